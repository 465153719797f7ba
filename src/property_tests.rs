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
pub(crate) fn writable_specs(salt: u64) -> impl Iterator<Item = (u64, Spec)> {
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

/// Every leaf's JSON pointer, in document order.
fn leaves(value: &serde_json::Value, at: String, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => map.iter().for_each(|(k, v)| leaves(v, format!("{at}/{k}"), out)),
        serde_json::Value::Array(items) => {
            items.iter().enumerate().for_each(|(i, v)| leaves(v, format!("{at}/{i}"), out))
        }
        _ => out.push(at),
    }
}

#[test]
fn a_spec_reads_the_same_from_its_json_value_as_from_its_json_text() {
    use serde_json::json;
    let mut compared = (0u64, 0u64);
    for (seed, spec) in writable_specs(0x5EED_0003) {
        let base = serde_json::to_value(&spec).unwrap();
        let mut variants = vec![base.clone()];
        // One leaf at a time becomes something the spec may reject, or read another way.
        let mut pointers = Vec::new();
        leaves(&base, String::new(), &mut pointers);
        let odd = [json!(null), json!(150), json!(-1.5), json!("x"), json!(true), json!([1]), json!({ "a": 1 })];
        for (i, pointer) in pointers.iter().enumerate().take(30) {
            let mut broken = base.clone();
            *broken.pointer_mut(pointer).unwrap() = odd[(i + seed as usize) % odd.len()].clone();
            variants.push(broken);
        }
        for value in variants {
            let text = value.to_string();
            match (crate::parse_spec_json(&value), crate::parse_spec(&text)) {
                (Ok(a), Ok(b)) => {
                    assert_eq!(a, b, "seed {seed}: {text}");
                    compared.0 += 1;
                }
                (Err(a), Err(b)) => {
                    assert_eq!(a.to_string(), b.to_string(), "seed {seed}");
                    compared.1 += 1;
                }
                (a, b) => panic!("seed {seed}: from the value {:?}, from the text {:?}\n{text}", a.err(), b.err()),
            }
        }
    }
    assert!(compared.0 > cases() && compared.1 > cases(), "too few valid and invalid specs compared: {compared:?}");
}

#[test]
fn past_the_limits_a_json_value_fails_as_its_text_does() {
    use serde_json::json;
    let mut deep = json!(1);
    for _ in 0..70 {
        deep = json!([deep]);
    }
    let deep = json!({ "component": { "name": "x" }, "notes": deep });
    let wide = json!({ "component": { "name": "x" }, "notes": vec![0; 200_001] });
    for (value, limit) in [(deep, "levels"), (wide, "values")] {
        let from_value = crate::parse_spec_json(&value).unwrap_err().to_string();
        assert_eq!(from_value, crate::parse_spec(&value.to_string()).unwrap_err().to_string());
        assert!(from_value.contains(limit), "{from_value}");
    }
}

#[test]
fn a_spec_read_a_slice_at_a_time_is_the_spec_read_at_once() {
    let mut texts: Vec<String> = crate::examples::ALL.iter().map(|(_, text)| text.to_string()).collect();
    texts.extend(writable_specs(0x5EED_0004).map(|(_, spec)| crate::source::to_yaml(&spec)));
    texts.push("component: { name: x }\nrollout: { steps: [1, 2, 3".into()); // cut short
    texts.push(format!("component: {{ name: x }}\nnotes: [{}]", vec!["1"; 200_001].join(",")));
    for text in &texts {
        let whole = crate::parse_spec(text);
        for slice in [1, 7, 1000] {
            let mut reader = crate::SpecReader::new(text);
            let sliced = loop {
                if let Some(result) = reader.step(slice) {
                    break result;
                }
            };
            match (&whole, &sliced) {
                (Ok(a), Ok(b)) => assert_eq!(a, b),
                (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
                _ => panic!("slices of {slice} read {text:?} differently: {whole:?} / {sliced:?}"),
            }
        }
    }
}
