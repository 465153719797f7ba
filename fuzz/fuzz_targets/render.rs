//! Any spec that parses plans and renders without panicking, in every format and style.
//!
//! Each input renders in one format and style, picked by its length, so an execution costs one
//! render and the fuzzer's mutations of length cover every format and style.
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
    let pick = data.len() % (FORMATS.len() * 2);
    let style = if pick % 2 == 0 { Style::Detailed } else { Style::Brief };
    let format = FORMATS[pick / 2].format;
    engine.render_plan(&plan, RenderOptions { format, style }).expect("every plan renders");
});
