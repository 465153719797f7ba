//! Pretty JSON, byte for byte as `serde_json::to_writer_pretty` writes it (two spaces a level), by a
//! serializer of planb's own for the files of `planb build`. Two things make it cheaper than
//! serde_json's: strings are scanned for characters to escape 16 bytes at a time (serde_json looks
//! at each byte in turn, and a plan's JSON is mostly prose), and each line's comma, break and indent
//! are written in one piece. Numbers are written by serde_json itself, so they cannot differ.

use std::fmt::{self, Display};
use std::io::{self, Write};

use serde::ser::{self, Serialize};

/// Writes `value` as pretty JSON.
pub fn write_pretty<W: Write, S: Serialize + ?Sized>(out: W, value: &S) -> Result<(), Error> {
    value.serialize(&mut Pretty { out, depth: 0 })
}

/// Why a value could not be written: the writer failed, or the value has no JSON form (a map key
/// that is not a string or a number, or a type's own serializer refusing).
#[derive(Debug)]
pub struct Error(String);

impl Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

impl From<io::Error> for Error {
    fn from(e: io::Error) -> Self {
        Error(e.to_string())
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Error(e.to_string())
    }
}

/// A comma, a line break and room for 32 levels of indent.
const BREAK: &[u8] = b",\n                                                                ";

struct Pretty<W> {
    out: W,
    depth: usize,
}

impl<W: Write> Pretty<W> {
    /// A line break (after a comma unless `first`) and the current level's indent.
    fn line(&mut self, first: bool) -> io::Result<()> {
        let from = usize::from(first);
        match BREAK.get(from..2 + 2 * self.depth) {
            Some(piece) => self.out.write_all(piece),
            None => {
                self.out.write_all(&BREAK[from..2])?;
                (0..self.depth).try_for_each(|_| self.out.write_all(b"  "))
            }
        }
    }

    /// Opens an array or object; an empty one is written whole at its close.
    fn open(&mut self, bracket: &[u8]) -> Result<Compound<'_, W>, Error> {
        self.depth += 1;
        self.out.write_all(bracket)?;
        Ok(Compound { ser: self, first: true, wrapped: false })
    }

    /// `{ "variant": ` …, the object around the value of an enum's newtype, tuple or struct variant.
    fn open_variant(&mut self, variant: &str) -> Result<(), Error> {
        self.depth += 1;
        self.out.write_all(b"{")?;
        self.line(true)?;
        self.string(variant)?;
        Ok(self.out.write_all(b": ")?)
    }

    fn close_variant(&mut self) -> Result<(), Error> {
        self.depth -= 1;
        self.line(true)?;
        Ok(self.out.write_all(b"}")?)
    }

    /// A string literal, escaped as serde_json escapes: `"`, `\` and control characters.
    fn string(&mut self, s: &str) -> io::Result<()> {
        let bytes = s.as_bytes();
        self.out.write_all(b"\"")?;
        let mut run = 0;
        while let Some(skip) = next_escape(&bytes[run..]) {
            let at = run + skip;
            self.out.write_all(&bytes[run..at])?;
            let b = bytes[at];
            let short = match b {
                b'"' => Some(b'"'),
                b'\\' => Some(b'\\'),
                0x08 => Some(b'b'),
                0x0c => Some(b'f'),
                b'\n' => Some(b'n'),
                b'\r' => Some(b'r'),
                b'\t' => Some(b't'),
                _ => None,
            };
            match short {
                Some(c) => self.out.write_all(&[b'\\', c])?,
                None => {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    self.out.write_all(&[
                        b'\\',
                        b'u',
                        b'0',
                        b'0',
                        HEX[usize::from(b >> 4)],
                        HEX[usize::from(b & 15)],
                    ])?
                }
            }
            run = at + 1;
        }
        self.out.write_all(&bytes[run..])?;
        self.out.write_all(b"\"")
    }

    /// A number, as serde_json writes it.
    fn number<N: Serialize>(&mut self, n: N) -> Result<(), Error> {
        Ok(serde_json::to_writer(&mut self.out, &n)?)
    }
}

/// The index of the first byte of `bytes` that JSON escapes: a test of 16 bytes at a time without
/// a branch a byte, then a search of the chunk that holds one.
fn next_escape(bytes: &[u8]) -> Option<usize> {
    const CHUNK: usize = 16;
    let escaped = |b: u8| (b < 0x20) | (b == b'"') | (b == b'\\');
    let mut start = 0;
    for chunk in bytes.chunks_exact(CHUNK) {
        if chunk.iter().fold(false, |any, &b| any | escaped(b)) {
            break;
        }
        start += CHUNK;
    }
    bytes[start..].iter().position(|&b| escaped(b)).map(|at| start + at)
}

/// An array or object being written.
struct Compound<'a, W> {
    ser: &'a mut Pretty<W>,
    first: bool,
    /// Inside the object of an enum variant, which closes with it.
    wrapped: bool,
}

impl<W: Write> Compound<'_, W> {
    fn item(&mut self) -> io::Result<()> {
        let first = std::mem::replace(&mut self.first, false);
        self.ser.line(first)
    }

    fn close(self, bracket: &[u8]) -> Result<(), Error> {
        self.ser.depth -= 1;
        if !self.first {
            self.ser.line(true)?;
        }
        self.ser.out.write_all(bracket)?;
        if self.wrapped {
            self.ser.close_variant()?;
        }
        Ok(())
    }

    fn entry<K: Serialize + ?Sized, V: Serialize + ?Sized>(&mut self, key: &K, value: &V) -> Result<(), Error> {
        self.key(key)?;
        value.serialize(&mut *self.ser)
    }

    fn key<K: Serialize + ?Sized>(&mut self, key: &K) -> Result<(), Error> {
        self.item()?;
        key.serialize(KeySerializer { ser: &mut *self.ser })?;
        Ok(self.ser.out.write_all(b": ")?)
    }
}

impl<'a, W: Write> ser::Serializer for &'a mut Pretty<W> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'a, W>;
    type SerializeTuple = Compound<'a, W>;
    type SerializeTupleStruct = Compound<'a, W>;
    type SerializeTupleVariant = Compound<'a, W>;
    type SerializeMap = Compound<'a, W>;
    type SerializeStruct = Compound<'a, W>;
    type SerializeStructVariant = Compound<'a, W>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        Ok(self.out.write_all(if v { b"true" } else { b"false" })?)
    }

    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.number(v)
    }

    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.number(v)
    }

    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.number(v)
    }

    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.number(v)
    }

    fn serialize_i128(self, v: i128) -> Result<(), Error> {
        self.number(v)
    }

    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.number(v)
    }

    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.number(v)
    }

    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.number(v)
    }

    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.number(v)
    }

    fn serialize_u128(self, v: u128) -> Result<(), Error> {
        self.number(v)
    }

    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        self.number(v)
    }

    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        self.number(v)
    }

    fn serialize_char(self, v: char) -> Result<(), Error> {
        Ok(self.string(v.encode_utf8(&mut [0; 4]))?)
    }

    fn serialize_str(self, v: &str) -> Result<(), Error> {
        Ok(self.string(v)?)
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        ser::Serializer::collect_seq(self, v)
    }

    fn serialize_none(self) -> Result<(), Error> {
        Ok(self.out.write_all(b"null")?)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Error> {
        self.serialize_none()
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        self.serialize_none()
    }

    fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &'static str) -> Result<(), Error> {
        self.serialize_str(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _name: &'static str, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.open_variant(variant)?;
        value.serialize(&mut *self)?;
        self.close_variant()
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'a, W>, Error> {
        self.open(b"[")
    }

    fn serialize_tuple(self, len: usize) -> Result<Compound<'a, W>, Error> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Compound<'a, W>, Error> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a, W>, Error> {
        self.open_variant(variant)?;
        let mut array = self.open(b"[")?;
        array.wrapped = true;
        Ok(array)
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'a, W>, Error> {
        self.open(b"{")
    }

    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Compound<'a, W>, Error> {
        self.open(b"{")
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a, W>, Error> {
        self.open_variant(variant)?;
        let mut object = self.open(b"{")?;
        object.wrapped = true;
        Ok(object)
    }
}

impl<W: Write> ser::SerializeSeq for Compound<'_, W> {
    type Ok = ();
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.item()?;
        value.serialize(&mut *self.ser)
    }

    fn end(self) -> Result<(), Error> {
        self.close(b"]")
    }
}

impl<W: Write> ser::SerializeTuple for Compound<'_, W> {
    type Ok = ();
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }

    fn end(self) -> Result<(), Error> {
        self.close(b"]")
    }
}

impl<W: Write> ser::SerializeTupleStruct for Compound<'_, W> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }

    fn end(self) -> Result<(), Error> {
        self.close(b"]")
    }
}

impl<W: Write> ser::SerializeTupleVariant for Compound<'_, W> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }

    fn end(self) -> Result<(), Error> {
        self.close(b"]")
    }
}

impl<W: Write> ser::SerializeMap for Compound<'_, W> {
    type Ok = ();
    type Error = Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.key(key)
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(&mut *self.ser)
    }

    fn serialize_entry<K: Serialize + ?Sized, V: Serialize + ?Sized>(
        &mut self,
        key: &K,
        value: &V,
    ) -> Result<(), Error> {
        self.entry(key, value)
    }

    fn end(self) -> Result<(), Error> {
        self.close(b"}")
    }
}

impl<W: Write> ser::SerializeStruct for Compound<'_, W> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
        self.entry(key, value)
    }

    fn end(self) -> Result<(), Error> {
        self.close(b"}")
    }
}

impl<W: Write> ser::SerializeStructVariant for Compound<'_, W> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
        self.entry(key, value)
    }

    fn end(self) -> Result<(), Error> {
        self.close(b"}")
    }
}

/// An object key: JSON keys are strings, so strings, characters and unit variants are written as
/// they are, and numbers and booleans in quotes, as serde_json does; anything else is an error.
struct KeySerializer<'a, W> {
    ser: &'a mut Pretty<W>,
}

impl<W: Write> KeySerializer<'_, W> {
    fn quoted(self, v: impl Display) -> Result<(), Error> {
        Ok(write!(self.ser.out, "\"{v}\"")?)
    }

    fn float<N: Serialize>(self, finite: bool, v: N) -> Result<(), Error> {
        if !finite {
            return Err(Error("float key must be finite (got NaN or +/-inf)".into()));
        }
        self.ser.out.write_all(b"\"")?;
        self.ser.number(v)?;
        Ok(self.ser.out.write_all(b"\"")?)
    }
}

fn key_must_be_a_string() -> Error {
    Error("key must be a string".into())
}

impl<W: Write> ser::Serializer for KeySerializer<'_, W> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = ser::Impossible<(), Error>;
    type SerializeTuple = ser::Impossible<(), Error>;
    type SerializeTupleStruct = ser::Impossible<(), Error>;
    type SerializeTupleVariant = ser::Impossible<(), Error>;
    type SerializeMap = ser::Impossible<(), Error>;
    type SerializeStruct = ser::Impossible<(), Error>;
    type SerializeStructVariant = ser::Impossible<(), Error>;

    fn serialize_str(self, v: &str) -> Result<(), Error> {
        Ok(self.ser.string(v)?)
    }

    fn serialize_char(self, v: char) -> Result<(), Error> {
        Ok(self.ser.string(v.encode_utf8(&mut [0; 4]))?)
    }

    fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &'static str) -> Result<(), Error> {
        self.serialize_str(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _name: &'static str, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.quoted(v)
    }

    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.quoted(v)
    }

    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.quoted(v)
    }

    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.quoted(v)
    }

    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.quoted(v)
    }

    fn serialize_i128(self, v: i128) -> Result<(), Error> {
        self.quoted(v)
    }

    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.quoted(v)
    }

    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.quoted(v)
    }

    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.quoted(v)
    }

    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.quoted(v)
    }

    fn serialize_u128(self, v: u128) -> Result<(), Error> {
        self.quoted(v)
    }

    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        self.float(v.is_finite(), v)
    }

    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        self.float(v.is_finite(), v)
    }

    fn serialize_bytes(self, _v: &[u8]) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_none(self) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_tuple_struct(self, _name: &'static str, _len: usize) -> Result<Self::SerializeTupleStruct, Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Self::SerializeStruct, Error> {
        Err(key_must_be_a_string())
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(key_must_be_a_string())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Serialize;
    use serde_json::json;

    fn both<S: Serialize + ?Sized>(value: &S) -> (String, String) {
        let mut ours = Vec::new();
        super::write_pretty(&mut ours, value).unwrap();
        (String::from_utf8(ours).unwrap(), serde_json::to_string_pretty(value).unwrap())
    }

    /// The same bytes as serde_json's own pretty printer, for nesting deeper than the indent piece.
    #[test]
    fn writes_what_serde_json_pretty_writes() {
        let mut deep = json!("bottom");
        for i in 0..40 {
            deep = if i % 2 == 0 {
                json!({ "level": i, "inner": deep, "empty": {} })
            } else {
                json!([i, deep, [], "x\n\"y\""])
            };
        }
        for value in [json!(null), json!([]), json!({}), json!({ "a": [1, 2.5, { "b": null }], "c": "d" }), deep] {
            let (ours, theirs) = both(&value);
            assert_eq!(ours, theirs);
        }
    }

    /// Every byte that JSON escapes, at every position of a 16-byte chunk and in the rest after the
    /// last whole chunk, beside text that needs none.
    #[test]
    fn escapes_strings_as_serde_json_does() {
        let specials: Vec<char> =
            (0u8..0x20).map(char::from).chain(['"', '\\', '\u{7f}', 'é', '\u{2028}', '漢']).collect();
        for c in specials {
            for at in 0..40 {
                let text = format!("{}{c}{}", "a".repeat(at), "b".repeat(at % 7));
                let (ours, theirs) = both(&text);
                assert_eq!(ours, theirs, "{c:?} at {at}");
            }
        }
        let (ours, theirs) = both("\"\\\u{0}\u{1f}\n\r\t\u{8}\u{c}");
        assert_eq!(ours, theirs);
    }

    /// The shapes serde gives Rust types: options, enum variants of every kind, tuples, numbers,
    /// and maps keyed by numbers, characters and booleans.
    #[test]
    fn writes_every_serde_shape_as_serde_json_does() {
        #[derive(Serialize)]
        enum Shape {
            Unit,
            Newtype(u8),
            Tuple(i32, &'static str),
            Struct { a: Option<f64>, b: Vec<()> },
        }
        #[derive(Serialize)]
        struct Unit;
        #[derive(Serialize)]
        struct Wrapper(f32);
        #[derive(Serialize)]
        struct All {
            shapes: Vec<Shape>,
            numbers: (i8, i64, u64, i128, u128, f64, f64, f64),
            empty: (),
            unit: Unit,
            wrapper: Wrapper,
            none: Option<bool>,
            c: char,
            bytes: &'static [u8],
            by_number: BTreeMap<i32, bool>,
            by_char: BTreeMap<char, Vec<u8>>,
            by_bool: BTreeMap<bool, &'static str>,
        }
        let all = All {
            shapes: vec![
                Shape::Unit,
                Shape::Newtype(7),
                Shape::Tuple(-3, "x"),
                Shape::Struct { a: Some(0.1), b: vec![(), ()] },
                Shape::Struct { a: None, b: vec![] },
            ],
            numbers: (i8::MIN, i64::MAX, u64::MAX, i128::MIN, u128::MAX, 1e300, f64::NAN, -0.0),
            empty: (),
            unit: Unit,
            wrapper: Wrapper(2.5),
            none: None,
            c: '"',
            bytes: b"ab",
            by_number: BTreeMap::from([(-1, true), (2, false)]),
            by_char: BTreeMap::from([('k', vec![]), ('\n', vec![1])]),
            by_bool: BTreeMap::from([(true, "yes")]),
        };
        let (ours, theirs) = both(&all);
        assert_eq!(ours, theirs);
    }

    /// Plans of arbitrary specs (any text, numbers, empty and full lists) as serde_json writes them.
    #[test]
    fn plans_of_arbitrary_specs_are_written_as_serde_json_writes_them() {
        let engine = crate::Engine::new().unwrap();
        let mut checked = 0;
        for (seed, spec) in crate::property_tests::writable_specs(0x0150_A000) {
            let plan = engine.plan(&spec).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
            let (ours, theirs) = both(&plan);
            assert!(ours == theirs, "seed {seed}: the JSON differs from serde_json's");
            checked += 1;
        }
        assert!(checked > 0);
    }

    #[test]
    fn a_key_that_is_not_a_string_or_a_number_is_an_error() {
        let mut out = Vec::new();
        let error = super::write_pretty(&mut out, &BTreeMap::from([((1, 2), 3)])).unwrap_err();
        assert_eq!(error.to_string(), "key must be a string");
        assert!(serde_json::to_string_pretty(&BTreeMap::from([((1, 2), 3)])).is_err());
    }
}
