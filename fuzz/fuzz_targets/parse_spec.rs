//! Any text, as YAML or JSON: parsing returns a spec or an error with a position, never panics;
//! and the page's two other ways of reading a spec agree with it: a slice of the text at a time
//! (`SpecReader`), and from the spec's JSON value (`parse_spec_json`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let whole = planb::parse_spec(text);
    let mut reader = planb::SpecReader::new(text);
    let sliced = loop {
        if let Some(result) = reader.step(3) {
            break result;
        }
    };
    match (&whole, &sliced) {
        (Ok(a), Ok(b)) => assert_eq!(a, b),
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
        _ => panic!("read whole and in slices differently: {whole:?} / {sliced:?}"),
    }
    match whole {
        Ok(spec) => {
            // What the page keeps (the spec as JSON) reads back as the same spec.
            if let Ok(value) = serde_json::to_value(&spec) {
                match (planb::parse_spec_json(&value), planb::parse_spec(&value.to_string())) {
                    (Ok(a), Ok(b)) => assert_eq!(a, b),
                    (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
                    (a, b) => panic!("read from the value and its text differently: {a:?} / {b:?}"),
                }
            }
        }
        Err(e) => {
            // Every error must display; positions are 1-based when present.
            let _ = e.to_string();
            if let Some(mark) = e.mark {
                assert!(mark.line >= 1 && mark.column >= 1, "{e:?}");
            }
        }
    }
});
