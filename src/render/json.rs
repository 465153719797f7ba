//! Pretty JSON, byte for byte as `serde_json::to_writer_pretty` writes it (two spaces a level), with
//! each line's break, comma and indent written in one piece instead of one write per level: the
//! JSON of a plan has about a thousand lines.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::Formatter;

/// Writes `value` as pretty JSON.
pub fn write_pretty<W: Write, S: Serialize + ?Sized>(out: W, value: &S) -> serde_json::Result<()> {
    value.serialize(&mut serde_json::Serializer::with_formatter(out, Pretty::default()))
}

/// A comma, a line break and room for 32 levels of indent.
const BREAK: &[u8] = b",\n                                                                ";

#[derive(Default)]
struct Pretty {
    depth: usize,
    has_value: bool,
}

impl Pretty {
    /// A line break (after a comma unless `first`) and the current level's indent.
    fn line<W: ?Sized + Write>(&self, out: &mut W, first: bool) -> io::Result<()> {
        let from = usize::from(first);
        match BREAK.get(from..2 + 2 * self.depth) {
            Some(piece) => out.write_all(piece),
            None => {
                out.write_all(&BREAK[from..2])?;
                (0..self.depth).try_for_each(|_| out.write_all(b"  "))
            }
        }
    }

    fn open<W: ?Sized + Write>(&mut self, out: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        out.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, out: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.line(out, true)?;
        }
        out.write_all(bracket)
    }
}

impl Formatter for Pretty {
    fn begin_array<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.open(out, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.close(out, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        self.line(out, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _out: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.open(out, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.close(out, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        self.line(out, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, out: &mut W) -> io::Result<()> {
        out.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _out: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

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
            let mut ours = Vec::new();
            super::write_pretty(&mut ours, &value).unwrap();
            assert_eq!(String::from_utf8(ours).unwrap(), serde_json::to_string_pretty(&value).unwrap());
        }
    }
}
