//! A serde `Deserializer` over the located tree.
//!
//! Every error it produces carries the field path and the position of the innermost
//! node being read, including errors raised by the spec's own validating types.

use std::fmt;

use serde::de::{self, DeserializeSeed, IntoDeserializer, Unexpected, Visitor};

use super::node::{key_text, Node, NodeKind};
use crate::error::Error;

/// Where a node sits in the document, as a linked list that costs nothing to extend.
#[derive(Clone, Copy)]
enum Path<'p> {
    Root,
    Key(&'p Path<'p>, &'p str),
    Index(&'p Path<'p>, usize),
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root => Ok(()),
            Path::Key(Path::Root, key) => f.write_str(key),
            Path::Key(parent, key) => write!(f, "{parent}.{key}"),
            Path::Index(parent, i) => write!(f, "{parent}[{i}]"),
        }
    }
}

/// Deserializes `T` from a located tree.
pub(crate) fn from_node<T: de::DeserializeOwned>(node: &Node) -> Result<T, Error> {
    T::deserialize(NodeDe { node, path: Path::Root })
}

struct NodeDe<'p> {
    node: &'p Node,
    path: Path<'p>,
}

/// A plain scalar resolved by the YAML 1.2 core schema.
enum Plain<'a> {
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    Str(&'a str),
}

fn resolve(text: &str) -> Plain<'_> {
    match text {
        "true" | "True" | "TRUE" => return Plain::Bool(true),
        "false" | "False" | "FALSE" => return Plain::Bool(false),
        ".inf" | "+.inf" | ".Inf" | "+.Inf" => return Plain::Float(f64::INFINITY),
        "-.inf" | "-.Inf" => return Plain::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" => return Plain::Float(f64::NAN),
        _ => {}
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(v) = text.parse::<i64>() {
            return Plain::Int(v);
        }
        if let Ok(v) = digits.parse::<u64>() {
            if !text.starts_with('-') {
                return Plain::UInt(v);
            }
        }
    }
    let numeric = text.bytes().any(|b| b.is_ascii_digit())
        && text.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'));
    if numeric {
        if let Ok(v) = text.parse::<f64>() {
            return Plain::Float(v);
        }
    }
    Plain::Str(text)
}

impl<'p> NodeDe<'p> {
    fn locate(&self, e: Error) -> Error {
        e.at(self.node.mark).in_field(self.path.to_string())
    }

    fn unexpected(&self) -> Unexpected<'_> {
        match &self.node.kind {
            NodeKind::Null => Unexpected::Unit,
            NodeKind::Scalar { text, plain: true } => match resolve(text) {
                Plain::Bool(b) => Unexpected::Bool(b),
                Plain::Int(i) => Unexpected::Signed(i),
                Plain::UInt(u) => Unexpected::Unsigned(u),
                Plain::Float(f) => Unexpected::Float(f),
                Plain::Str(s) => Unexpected::Str(s),
            },
            NodeKind::Scalar { text, .. } => Unexpected::Str(text),
            NodeKind::Seq(_) => Unexpected::Seq,
            NodeKind::Map(_) => Unexpected::Map,
        }
    }

    fn mismatch(&self, expected: &dyn de::Expected) -> Error {
        self.locate(de::Error::invalid_type(self.unexpected(), expected))
    }

    // Lists and mappings are visited by separate functions, so that a struct's `visit_seq` (never
    // used: specs write structs as mappings) is not reachable and the Wasm build drops it.
    fn visit_seq<'de, V: Visitor<'de>>(&self, visitor: V, items: &[Node]) -> Result<V::Value, Error> {
        visitor.visit_seq(SeqDe { items: items.iter().enumerate(), parent: &self.path }).map_err(|e| self.locate(e))
    }

    fn visit_map<'de, V: Visitor<'de>>(&self, visitor: V, entries: &[(Node, Node)]) -> Result<V::Value, Error> {
        visitor
            .visit_map(MapDe { entries: entries.iter(), parent: &self.path, value: None })
            .map_err(|e| self.locate(e))
    }
}

macro_rules! number {
    ($($method:ident => $visit:ident: $ty:ty,)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            let parsed = match &self.node.kind {
                NodeKind::Scalar { text, plain: true } => text.parse::<$ty>().ok(),
                _ => None,
            };
            match parsed {
                Some(v) => visitor.$visit(v).map_err(|e| self.locate(e)),
                None => Err(self.mismatch(&visitor)),
            }
        }
    )*};
}

impl<'de> de::Deserializer<'de> for NodeDe<'_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let result = match &self.node.kind {
            NodeKind::Null => visitor.visit_unit(),
            NodeKind::Scalar { text, plain: true } => match resolve(text) {
                Plain::Bool(b) => visitor.visit_bool(b),
                Plain::Int(i) => visitor.visit_i64(i),
                Plain::UInt(u) => visitor.visit_u64(u),
                Plain::Float(f) => visitor.visit_f64(f),
                Plain::Str(s) => visitor.visit_str(s),
            },
            NodeKind::Scalar { text, .. } => visitor.visit_str(text),
            NodeKind::Seq(items) => return self.visit_seq(visitor, items),
            NodeKind::Map(entries) => return self.visit_map(visitor, entries),
        };
        result.map_err(|e| self.locate(e))
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.node.kind {
            NodeKind::Scalar { text, plain: true } => match resolve(text) {
                Plain::Bool(b) => visitor.visit_bool(b).map_err(|e| self.locate(e)),
                _ => Err(self.mismatch(&visitor)),
            },
            _ => Err(self.mismatch(&visitor)),
        }
    }

    number! {
        deserialize_i8 => visit_i8: i8,
        deserialize_i16 => visit_i16: i16,
        deserialize_i32 => visit_i32: i32,
        deserialize_i64 => visit_i64: i64,
        deserialize_u8 => visit_u8: u8,
        deserialize_u16 => visit_u16: u16,
        deserialize_u32 => visit_u32: u32,
        deserialize_u64 => visit_u64: u64,
        deserialize_f32 => visit_f32: f32,
        deserialize_f64 => visit_f64: f64,
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        // Any scalar reads as its source text, so `version: 1.10` stays "1.10".
        match &self.node.kind {
            NodeKind::Scalar { text, .. } => visitor.visit_str(text).map_err(|e| self.locate(e)),
            _ => Err(self.mismatch(&visitor)),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        Err(self.mismatch(&visitor))
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        Err(self.mismatch(&visitor))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.node.kind {
            NodeKind::Null => visitor.visit_none().map_err(|e| self.locate(e)),
            _ => visitor.visit_some(NodeDe { node: self.node, path: self.path }),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.node.kind {
            NodeKind::Null => visitor.visit_unit().map_err(|e| self.locate(e)),
            _ => Err(self.mismatch(&visitor)),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.node.kind {
            NodeKind::Seq(items) => self.visit_seq(visitor, items),
            _ => Err(self.mismatch(&visitor)),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.node.kind {
            NodeKind::Map(entries) => self.visit_map(visitor, entries),
            // An empty section (`change:` with nothing under it) reads as an empty mapping.
            NodeKind::Null => self.visit_map(visitor, &[]),
            _ => Err(self.mismatch(&visitor)),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match &self.node.kind {
            NodeKind::Scalar { text, .. } => {
                let access: de::value::StrDeserializer<'_, Error> = text.as_str().into_deserializer();
                visitor.visit_enum(access).map_err(|e| self.locate(e))
            }
            _ => Err(self.mismatch(&visitor)),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }
}

struct SeqDe<'p> {
    items: std::iter::Enumerate<std::slice::Iter<'p, Node>>,
    parent: &'p Path<'p>,
}

impl<'de> de::SeqAccess<'de> for SeqDe<'_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        match self.items.next() {
            Some((i, node)) => seed.deserialize(NodeDe { node, path: Path::Index(self.parent, i) }).map(Some),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct MapDe<'p> {
    entries: std::slice::Iter<'p, (Node, Node)>,
    parent: &'p Path<'p>,
    value: Option<(&'p str, &'p Node)>,
}

impl<'de> de::MapAccess<'de> for MapDe<'_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        let Some((key, value)) = self.entries.next() else { return Ok(None) };
        let name = key_text(key);
        self.value = Some((name, value));
        seed.deserialize(NodeDe { node: key, path: Path::Key(self.parent, name) }).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let Some((name, node)) = self.value.take() else {
            return Err(de::Error::custom("a value was read before its key"));
        };
        seed.deserialize(NodeDe { node, path: Path::Key(self.parent, name) })
    }
}
