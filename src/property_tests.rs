//! Property tests: arbitrary specs never panic the pipeline, and always render.
//!
//! Specs are generated with `arbitrary` from a seeded pseudo-random byte stream, so a failure
//! names its seed and reproduces exactly.

use arbitrary::{Arbitrary, Unstructured};

use crate::{Engine, Format, RenderOptions, Spec, Style};

/// SplitMix64: a tiny, well-distributed generator, enough to feed `arbitrary`.
fn bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed;
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        out.extend_from_slice(&(z ^ (z >> 31)).to_le_bytes());
    }
    out
}

fn cases() -> u64 {
    std::env::var("PLANB_PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(300)
}

#[test]
fn arbitrary_specs_always_plan_and_render_in_every_format_and_style() {
    let engine = Engine::new().unwrap();
    let mut rendered = 0;
    for seed in 0..cases() {
        let data = bytes(seed, 4096 + (seed as usize % 8) * 1024);
        let Ok(spec) = Spec::arbitrary(&mut Unstructured::new(&data)) else { continue };
        let plan = engine.plan(&spec).unwrap_or_else(|e| panic!("seed {seed}: plan failed: {e}"));
        assert!(!plan.ladder.is_empty(), "seed {seed}: empty ladder");
        assert_eq!(plan.ladder.last().unwrap().kind, crate::plan::RungKind::FixForward, "seed {seed}");
        for format in [Format::Markdown, Format::Text] {
            for style in [Style::Brief, Style::Detailed] {
                let text = engine
                    .render_plan(&plan, RenderOptions { format, style })
                    .unwrap_or_else(|e| panic!("seed {seed}: {format:?}/{style:?} failed: {e}"));
                assert!(!text.is_empty(), "seed {seed}");
            }
        }
        rendered += 1;
    }
    assert!(rendered as u64 > cases() / 2, "too few specs were generated ({rendered})");
}

#[test]
fn arbitrary_specs_survive_a_json_round_trip() {
    let mut checked = 0u64;
    for seed in 0..cases() {
        let data = bytes(seed ^ 0xDEAD_BEEF, 4096);
        let Ok(spec) = Spec::arbitrary(&mut Unstructured::new(&data)) else { continue };
        // NaN thresholds have no JSON form; they are not a spec anyone writes.
        if spec.verification.kpis.iter().any(|k| k.threshold.is_some_and(|t| !t.is_finite())) {
            continue;
        }
        let json = serde_json::to_string(&spec).unwrap();
        if spec.component.name.trim().is_empty() {
            // A blank name is the one thing a spec may not have.
            assert!(crate::parse_spec(&json).is_err(), "seed {seed}: a blank name was accepted");
            continue;
        }
        let back = crate::parse_spec(&json).unwrap_or_else(|e| panic!("seed {seed}: {e}\n{json}"));
        assert_eq!(back, spec, "seed {seed}");
        checked += 1;
    }
    assert!(checked > cases() / 2, "too few specs were checked ({checked})");
}

/// Arbitrary specs that a person could write (a non-blank name, finite thresholds).
fn writable_specs(salt: u64) -> impl Iterator<Item = (u64, Spec)> {
    (0..cases()).filter_map(move |seed| {
        let data = bytes(seed ^ salt, 4096);
        let spec = Spec::arbitrary(&mut Unstructured::new(&data)).ok()?;
        let finite = spec.verification.kpis.iter().all(|k| k.threshold.is_none_or(f64::is_finite));
        (finite && !spec.component.name.trim().is_empty()).then_some((seed, spec))
    })
}

#[test]
fn arbitrary_specs_survive_a_permalink_round_trip() {
    let mut checked = 0u64;
    for (seed, spec) in writable_specs(0x5EED_0001) {
        let link = crate::permalink::encode(&spec);
        let back = crate::permalink::decode(&link).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        assert_eq!(back, spec, "seed {seed}");
        checked += 1;
    }
    assert!(checked > cases() / 3, "too few specs were checked ({checked})");
}

#[test]
fn arbitrary_specs_survive_a_yaml_export_and_import() {
    let mut checked = 0u64;
    for (seed, spec) in writable_specs(0x5EED_0002) {
        let yaml = crate::source::to_yaml(&spec);
        let back = crate::parse_spec(&yaml).unwrap_or_else(|e| panic!("seed {seed}: {e}\n{yaml}"));
        assert_eq!(back, spec, "seed {seed}\n{yaml}");
        checked += 1;
    }
    assert!(checked > cases() / 3, "too few specs were checked ({checked})");
}
