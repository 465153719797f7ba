//! The sections of a spec that the data findings read, serialized alone (see `data.rs`).

use std::collections::BTreeMap;

use serde::ser::{self, Impossible, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::spec::Spec;
use crate::tools::DataFinding;

/// The spec as JSON, with only the top-level sections that the findings' conditions read.
pub(super) fn to_json(spec: &Spec, findings: &[DataFinding]) -> Value {
    let mut sections: Vec<&str> = Vec::new();
    let paths = findings.iter().flat_map(|f| f.when.keys().chain(f.any.iter().flat_map(BTreeMap::keys)));
    for section in paths.filter_map(|path| path.strip_prefix("spec.")?.split('.').next()) {
        if !sections.contains(&section) {
            sections.push(section);
        }
    }
    spec.serialize(Sections(&sections)).map_or(Value::Null, Value::Object)
}

/// Serializes the named fields of a struct to JSON and skips the rest.
struct Sections<'a>(&'a [&'a str]);

/// Collects the named fields (see [`Sections`]).
struct Picked<'a> {
    names: &'a [&'a str],
    map: Map<String, Value>,
}

impl ser::SerializeStruct for Picked<'_> {
    type Ok = Map<String, Value>;
    type Error = serde_json::Error;

    fn serialize_field<T: ?Sized + Serialize>(&mut self, key: &'static str, value: &T) -> Result<(), Self::Error> {
        if self.names.contains(&key) {
            self.map.insert(key.to_string(), serde_json::to_value(value)?);
        }
        Ok(())
    }

    fn end(self) -> Result<Self::Ok, Self::Error> {
        Ok(self.map)
    }
}

/// The methods of [`Sections`] for anything but a struct: an error, which reads as "no sections".
macro_rules! not_a_struct {
    ($($method:ident($($arg:ty),*) -> $ok:ty;)*) => {
        $(fn $method(self, $(_: $arg),*) -> Result<$ok, Self::Error> {
            Err(ser::Error::custom("expected a struct"))
        })*
    };
}

impl<'a> Serializer for Sections<'a> {
    type Ok = Map<String, Value>;
    type Error = serde_json::Error;
    type SerializeSeq = Impossible<Self::Ok, Self::Error>;
    type SerializeTuple = Impossible<Self::Ok, Self::Error>;
    type SerializeTupleStruct = Impossible<Self::Ok, Self::Error>;
    type SerializeTupleVariant = Impossible<Self::Ok, Self::Error>;
    type SerializeMap = Impossible<Self::Ok, Self::Error>;
    type SerializeStruct = Picked<'a>;
    type SerializeStructVariant = Impossible<Self::Ok, Self::Error>;

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Picked<'a>, Self::Error> {
        Ok(Picked { names: self.0, map: Map::new() })
    }

    fn serialize_some<T: ?Sized + Serialize>(self, _: &T) -> Result<Self::Ok, Self::Error> {
        Err(ser::Error::custom("expected a struct"))
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(self, _: &'static str, _: &T) -> Result<Self::Ok, Self::Error> {
        Err(ser::Error::custom("expected a struct"))
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Self::Ok, Self::Error> {
        Err(ser::Error::custom("expected a struct"))
    }

    not_a_struct! {
        serialize_bool(bool) -> Self::Ok;
        serialize_i8(i8) -> Self::Ok;
        serialize_i16(i16) -> Self::Ok;
        serialize_i32(i32) -> Self::Ok;
        serialize_i64(i64) -> Self::Ok;
        serialize_u8(u8) -> Self::Ok;
        serialize_u16(u16) -> Self::Ok;
        serialize_u32(u32) -> Self::Ok;
        serialize_u64(u64) -> Self::Ok;
        serialize_f32(f32) -> Self::Ok;
        serialize_f64(f64) -> Self::Ok;
        serialize_char(char) -> Self::Ok;
        serialize_str(&str) -> Self::Ok;
        serialize_bytes(&[u8]) -> Self::Ok;
        serialize_none() -> Self::Ok;
        serialize_unit() -> Self::Ok;
        serialize_unit_struct(&'static str) -> Self::Ok;
        serialize_unit_variant(&'static str, u32, &'static str) -> Self::Ok;
        serialize_seq(Option<usize>) -> Self::SerializeSeq;
        serialize_tuple(usize) -> Self::SerializeTuple;
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant;
        serialize_map(Option<usize>) -> Self::SerializeMap;
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Only a struct has sections: anything else is an error, which `to_json` reads as none.
    #[test]
    fn anything_but_a_struct_has_no_sections() {
        #[derive(serde::Serialize)]
        struct Wrapped(u8);
        #[derive(serde::Serialize)]
        enum Choice {
            One(u8),
        }
        let names = ["a"];
        assert!(Some(1).serialize(Sections(&names)).is_err());
        assert!(Wrapped(1).serialize(Sections(&names)).is_err());
        assert!(Choice::One(1).serialize(Sections(&names)).is_err());
        assert!(crate::spec::Duration::from_mins(5).serialize(Sections(&names)).is_err());
        assert!(serde_json::json!({ "a": 1 }).serialize(Sections(&names)).is_err(), "a map is not a struct");
    }

    #[test]
    fn the_sections_picked_are_the_sections_of_the_whole_spec() {
        for (name, text) in crate::examples::ALL {
            let spec = crate::parse_spec(text).unwrap();
            let Value::Object(whole) = serde_json::to_value(&spec).unwrap() else { panic!("{name}: not a mapping") };
            let keys: Vec<&str> = whole.keys().map(String::as_str).collect();
            assert_eq!(spec.serialize(Sections(&keys)).unwrap(), whole, "{name}");
            let some = ["deployment", "rollout", "not_a_section"];
            let picked = spec.serialize(Sections(&some)).unwrap();
            assert_eq!(picked.keys().collect::<Vec<_>>(), ["deployment", "rollout"], "{name}");
            assert_eq!(picked["deployment"], whole["deployment"], "{name}");
        }
    }
}
