//! Any spec that parses plans and renders in every format and style without panicking.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use planb::render::{RenderOptions, Style, FORMATS};

fuzz_target!(|data: &[u8]| {
    static ENGINE: OnceLock<planb::Engine> = OnceLock::new();
    let engine = ENGINE.get_or_init(|| planb::Engine::new().expect("the embedded templates load"));
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(spec) = planb::parse_spec(text) else { return };
    let plan = engine.plan(&spec).expect("every valid spec plans");
    for info in FORMATS {
        for style in [Style::Brief, Style::Detailed] {
            engine.render_plan(&plan, RenderOptions { format: info.format, style }).expect("every plan renders");
        }
    }
});
