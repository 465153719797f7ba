//! Values too long to show whole. Laying out a megabyte of text froze the page for 150–500 ms
//! (Chromium 156: a text area 530 ms, a paragraph 220 ms), so the form and the preview show such a
//! value in part; the spec, its link, and every copy and download keep all of it.

use serde_json::Value;

/// A text longer than this, in bytes, is shown in part: 64 KiB lays out in about 35 ms in a text
/// area, and every hostile payload of the browser tests (up to 30 KB) is still shown whole.
pub const LONG: usize = 64 * 1024;
/// How much of it is shown, in bytes.
const SHOWN: usize = 2_000;

/// The start of a long text, cut at a character boundary.
pub fn start(text: &str) -> &str {
    let mut end = SHOWN.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// The spec for the preview, every long text in it shortened; `None` when no text is long.
pub fn shortened(state: &Value) -> Option<Value> {
    if !has_long(state) {
        return None;
    }
    let mut copy = state.clone();
    shorten(&mut copy);
    Some(copy)
}

fn has_long(value: &Value) -> bool {
    match value {
        Value::String(s) => s.len() > LONG,
        Value::Array(items) => items.iter().any(has_long),
        Value::Object(map) => map.values().any(has_long),
        _ => false,
    }
}

fn shorten(value: &mut Value) {
    match value {
        Value::String(s) if s.len() > LONG => {
            let shown = start(s);
            let more = s[shown.len()..].chars().count();
            *s = format!(
                "{shown} … [{more} more characters: the spec, its link and every copy and download keep all of it]"
            );
        }
        Value::Array(items) => items.iter_mut().for_each(shorten),
        Value::Object(map) => map.values_mut().for_each(shorten),
        _ => {}
    }
}
