//! Permalinks: a whole spec in a URL fragment, so a plan can be shared with no backend.
//!
//! Format: `v1.` + base64url (no padding) of the raw-DEFLATE-compressed compact JSON of the spec.
//! The same code runs in the CLI and the page, so both produce the same link for the same spec.

use crate::error::{Error, ErrorKind};
use crate::spec::Spec;

/// The version prefix; a future change of encoding gets a new one and keeps decoding this.
const PREFIX: &str = "v1.";
/// Chat tools and wikis tend to cut URLs longer than this.
pub const LONG_LINK: usize = 2_000;
/// The most spec JSON a link may expand to, so a small hostile link cannot exhaust memory.
pub const MAX_DECODED: usize = 1 << 20;

/// Encodes a spec as a permalink fragment (without the leading `#`).
pub fn encode(spec: &Spec) -> String {
    encode_json(&compact_json(spec))
}

/// Encodes a spec's [`compact_json`] as a permalink fragment, for a caller that needs the JSON too.
pub fn encode_json(json: &str) -> String {
    let deflated = miniz_oxide::deflate::compress_to_vec(json.as_bytes(), level(json.len()));
    let mut out = String::with_capacity(PREFIX.len() + deflated.len() * 4 / 3 + 4);
    out.push_str(PREFIX);
    base64url_encode(&deflated, &mut out);
    out
}

/// The DEFLATE level for a JSON text of `len` bytes: the best for a spec of ordinary size, the
/// fastest past 64 KiB, where a link is too long to paste anywhere anyway. Measured on 1 MB of
/// words (miniz_oxide, natively): level 9 takes 127 ms for 118 KB, level 3 9 ms for 136 KB, level 1
/// 2.6 ms for 179 KB; in the page, level 3 took 54 ms.
fn level(len: usize) -> u8 {
    if len <= 64 * 1024 {
        9
    } else {
        1
    }
}

/// Decodes a permalink fragment (with or without the leading `#`) back to a spec.
pub fn decode(fragment: &str) -> Result<Spec, Error> {
    let json = decode_json(fragment)?;
    crate::parse_spec(&json).map_err(invalid_spec)
}

/// Decodes a whole link as a user copies it: a page address with its `#v1.…` fragment, or the
/// fragment alone.
pub fn decode_link(link: &str) -> Result<Spec, Error> {
    let link = link.trim();
    decode(link.split_once('#').map_or(link, |(_, fragment)| fragment))
}

/// Whether a command-line argument is a link rather than a file name: it holds a `#v1.` fragment or
/// is one. (A file of that name is still read as a file: the caller asks only when none exists.)
pub fn looks_like_link(arg: &str) -> bool {
    let arg = arg.trim();
    arg.contains("#v1.") || arg.starts_with(PREFIX)
}

/// The error of a link whose JSON is not a valid spec.
pub fn invalid_spec(e: Error) -> Error {
    Error { message: format!("the link holds an invalid spec: {}", e.message), ..e }
}

/// Decodes a permalink fragment to the spec's JSON text, without validating it.
pub fn decode_json(fragment: &str) -> Result<String, Error> {
    let broken = |detail: &str| Error::new(ErrorKind::Syntax, format!("this link is broken or truncated ({detail})"));
    let body = fragment.trim().trim_start_matches('#');
    let payload = body.strip_prefix(PREFIX).ok_or_else(|| {
        broken(if body.starts_with('v') { "it was made by a newer planb" } else { "it does not start with v1." })
    })?;
    let deflated = base64url_decode(payload).ok_or_else(|| broken("it is not valid base64url"))?;
    let bytes = miniz_oxide::inflate::decompress_to_vec_with_limit(&deflated, MAX_DECODED).map_err(|e| {
        if e.status == miniz_oxide::inflate::TINFLStatus::HasMoreOutput {
            Error::new(
                ErrorKind::InvalidSpec,
                "this link holds more than 1 MiB of spec, planb's limit for a link; share the spec as a file instead",
            )
        } else {
            broken("its compressed data is incomplete")
        }
    })?;
    String::from_utf8(bytes).map_err(|_| broken("it does not hold text"))
}

/// The spec as JSON with empty values left out, so links stay short; reading it back gives the
/// same spec.
pub fn compact_json(spec: &Spec) -> String {
    compact_value(spec).to_string()
}

/// [`compact_json`] as a value (no text in between, so every number keeps its exact value).
pub fn compact_value(spec: &Spec) -> serde_json::Value {
    let mut value = serde_json::to_value(spec).unwrap_or(serde_json::Value::Null);
    if let serde_json::Value::Object(sections) = &mut value {
        // A top-level section that is empty reads back as its default: leave it out.
        sections.retain(|_, v| prune(v) && !v.as_object().is_some_and(|m| m.is_empty()));
    }
    value
}

/// Removes nulls and empty lists, recursively; returns whether anything is left. Empty objects stay:
/// a stated but empty value (`window: {}`) is not the same spec as a missing one.
fn prune(value: &mut serde_json::Value) -> bool {
    use serde_json::Value;
    match value {
        Value::Null => false,
        Value::Array(items) => {
            items.iter_mut().for_each(|item| {
                prune(item);
            });
            !items.is_empty()
        }
        Value::Object(map) => {
            map.retain(|_, v| prune(v));
            true
        }
        _ => true,
    }
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn base64url_encode(bytes: &[u8], out: &mut String) {
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
}

/// Each byte's value in [`ALPHABET`], or [`NOT_BASE64`]: a table, because a search of the alphabet
/// per character made decoding a 1 MB link take tens of milliseconds in the page.
const DECODE: [u8; 256] = {
    let mut table = [NOT_BASE64; 256];
    let mut i = 0;
    while i < ALPHABET.len() {
        table[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    table
};
const NOT_BASE64: u8 = 0xff;

fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let text = text.as_bytes();
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    let value = |c: &u8| Some(u32::from(DECODE[usize::from(*c)])).filter(|&v| v != u32::from(NOT_BASE64));
    let mut quads = text.chunks_exact(4);
    for quad in &mut quads {
        let n = quad.iter().try_fold(0u32, |n, c| Some(n << 6 | value(c)?))?;
        out.extend_from_slice(&n.to_be_bytes()[1..]);
    }
    // The last 2 or 3 characters hold 1 or 2 whole bytes; a single one (6 bits) cannot.
    let rest = quads.remainder();
    match rest.len() {
        0 => return Some(out),
        1 => return None,
        _ => {}
    }
    let n = rest.iter().try_fold(0u32, |n, c| Some(n << 6 | value(c)?))?;
    let n = n << (6 * (4 - rest.len()));
    out.extend_from_slice(&n.to_be_bytes()[1..rest.len()]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_round_trips_every_length() {
        for len in 0..40 {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            let mut text = String::new();
            base64url_encode(&bytes, &mut text);
            assert!(!text.contains(['+', '/', '=']));
            assert_eq!(base64url_decode(&text).unwrap(), bytes, "len {len}");
        }
        // RFC 4648's examples (section 10), in the URL-safe alphabet and without padding.
        for (text, bytes) in
            [("", ""), ("Zg", "f"), ("Zm8", "fo"), ("Zm9v", "foo"), ("Zm9vYg", "foob"), ("Zm9vYmE", "fooba")]
        {
            assert_eq!(base64url_decode(text).unwrap(), bytes.as_bytes(), "{text}");
        }
        assert_eq!(base64url_decode("-_-_").unwrap(), [0xfb, 0xff, 0xbf]);
        assert_eq!(base64url_decode("A"), None);
        assert_eq!(base64url_decode("Zm9vY"), None);
        assert_eq!(base64url_decode("Zm+v"), None);
        assert_eq!(base64url_decode("ab$c"), None);
    }

    #[test]
    fn specs_round_trip_through_links() {
        let spec =
            crate::parse_spec("component: { name: a }\nrollout: { steps: [10, 100] }\nkill_switches: [{}]").unwrap();
        let link = encode(&spec);
        assert!(link.starts_with("v1."));
        assert_eq!(decode(&link).unwrap(), spec);
        assert_eq!(decode(&format!("#{link}")).unwrap(), spec);
    }

    #[test]
    fn a_large_spec_round_trips_through_its_faster_compressed_link() {
        let words = ["deploy", "payment", "ledger", "canary", "rollback", "flag", "switch", "traffic"];
        let description: Vec<&str> = (0..40_000).map(|i| words[(i * 7 + i / 3) % words.len()]).collect();
        let mut spec = crate::parse_spec("component: { name: a }").unwrap();
        spec.component.description = Some(description.join(" "));
        let json = compact_json(&spec);
        assert!(json.len() > 64 * 1024, "past the size of the best compression");
        let link = encode_json(&json);
        assert_eq!(decode(&link).unwrap(), spec);
        assert!(link.len() < json.len() / 3, "still compressed: {} of {}", link.len(), json.len());
    }

    /// A spec of ordinary size gets the shortest link DEFLATE's best level gives; past 64 KiB of JSON
    /// the fastest level (the link is too long to paste anywhere, and level 9 froze the page).
    #[test]
    fn links_use_the_best_compression_up_to_64_kib_and_the_fastest_past_it() {
        let deflated_at = |json: &str, level: u8| {
            let mut link = String::from(PREFIX);
            base64url_encode(&miniz_oxide::deflate::compress_to_vec(json.as_bytes(), level), &mut link);
            link
        };
        // Varied words, so that the levels give different bytes at every size below.
        let text = |len: usize| {
            let mut words = String::new();
            let mut i = 0u64;
            while words.len() < len {
                i = i.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                words.push_str(["flag ", "canary ", "ledger ", "rollback ", "traffic "][(i >> 60) as usize % 5]);
            }
            words.truncate(len);
            words
        };
        for len in [2_000, 64 * 1024, 64 * 1024 + 1, 200_000] {
            let json = text(len);
            let best = deflated_at(&json, 9);
            let fastest = deflated_at(&json, 1);
            assert_ne!(best, fastest, "{len}: the levels differ on this text");
            let expected = if len <= 64 * 1024 { best } else { fastest };
            assert!(encode_json(&json) == expected, "{len} bytes: the wrong compression level");
        }
    }

    #[test]
    fn broken_links_say_so() {
        let link = encode(&crate::parse_spec("component: { name: a, description: something long enough }").unwrap());
        let truncated = &link[..link.len() - 6];
        assert!(decode(truncated).unwrap_err().message.starts_with("this link is broken or truncated"));
        assert!(decode("v2.abc").unwrap_err().message.contains("newer planb"));
        assert!(decode("hello").unwrap_err().message.contains("does not start with v1."));
        assert!(decode("v1.***").unwrap_err().message.contains("base64url"));
    }

    #[test]
    fn a_link_past_the_limit_names_the_limit() {
        let huge = format!("{{\"component\":{{\"name\":\"{}\"}}}}", "x".repeat(MAX_DECODED + 10));
        let mut link = String::from(PREFIX);
        base64url_encode(&miniz_oxide::deflate::compress_to_vec(huge.as_bytes(), 9), &mut link);
        assert!(link.len() < 10_000, "it compresses well");
        assert!(decode(&link).unwrap_err().message.contains("more than 1 MiB of spec, planb's limit for a link"));
    }

    #[test]
    fn a_link_to_an_invalid_spec_names_the_field() {
        let deflated =
            miniz_oxide::deflate::compress_to_vec(br#"{"component":{"name":"a"},"rollout":{"steps":[500]}}"#, 9);
        let mut link = String::from(PREFIX);
        base64url_encode(&deflated, &mut link);
        let e = decode(&link).unwrap_err();
        assert_eq!(e.path.as_deref(), Some("rollout.steps[0]"));
        assert!(e.message.starts_with("the link holds an invalid spec: expected a percentage"));
    }

    #[test]
    fn compact_json_drops_empty_values() {
        let spec = crate::parse_spec("component: { name: a }").unwrap();
        assert_eq!(compact_json(&spec), r#"{"component":{"name":"a"}}"#);
    }
}
