//! Any text, as YAML or JSON: parsing returns a spec or an error with a position, never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Err(e) = planb::parse_spec(text) {
            // Every error must display; positions are 1-based when present.
            let _ = e.to_string();
            if let Some(mark) = e.mark {
                assert!(mark.line >= 1 && mark.column >= 1, "{e:?}");
            }
        }
    }
});
