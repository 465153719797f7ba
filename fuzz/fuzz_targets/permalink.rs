//! Any permalink fragment: decoding returns a spec or a clear error, never panics, and a decoded
//! spec encodes to a link that decodes to the same spec.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let fragment = String::from_utf8_lossy(data);
    for candidate in [fragment.to_string(), format!("v1.{fragment}")] {
        if let Ok(spec) = planb::permalink::decode(&candidate) {
            let again = planb::permalink::decode(&planb::permalink::encode(&spec)).expect("a link planb made decodes");
            assert_eq!(again, spec);
        }
    }
});
