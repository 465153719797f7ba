//! The Wasm API, run in Node by wasm-bindgen-test-runner:
//! `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner cargo test --target wasm32-unknown-unknown --test wasm_api`
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap()
}

fn options(format: &str, style: &str) -> JsValue {
    let o = js_sys::Object::new();
    Reflect::set(&o, &"format".into(), &format.into()).unwrap();
    Reflect::set(&o, &"style".into(), &style.into()).unwrap();
    o.into()
}

#[wasm_bindgen_test]
fn render_uses_the_same_pipeline_as_the_cli() {
    let text = planb::wasm_api::render("component: { name: api }", JsValue::UNDEFINED).unwrap();
    assert!(text.starts_with("# Fallback plan: api\n"));
    let brief = planb::wasm_api::render("component: { name: api }", options("text", "brief")).unwrap();
    assert!(brief.starts_with("Fallback plan for api"));
}

#[path = "support/golden_corpus.rs"]
mod golden_corpus;

/// The golden snapshots are the native build's output; the Wasm build must give the same bytes
/// for every example in every format and style.
#[wasm_bindgen_test]
fn wasm_output_is_byte_identical_to_every_native_snapshot() {
    assert!(golden_corpus::GOLDEN.len() >= 80, "{} snapshots", golden_corpus::GOLDEN.len());
    for (test, example, snapshot) in golden_corpus::GOLDEN {
        let spec = planb::examples::ALL.iter().find(|(n, _)| n == example).map(|(_, t)| *t).unwrap();
        let (format, style) = match *test {
            "detailed_markdown" => ("markdown", "detailed"),
            "brief_markdown" => ("markdown", "brief"),
            "detailed_text" => ("text", "detailed"),
            "brief_text" => ("text", "brief"),
            "html_document" => ("html", "detailed"),
            "html_fragment" => ("html-fragment", "detailed"),
            "slack_brief" => ("slack", "brief"),
            "slack_detailed" => ("slack", "detailed"),
            "checklist_markdown" => ("checklist-markdown", "detailed"),
            other => (other, "detailed"),
        };
        // An insta snapshot is a `---` header block followed by the value.
        let expected = snapshot.splitn(3, "---\n").nth(2).unwrap();
        let actual = planb::wasm_api::render(spec, options(format, style)).unwrap();
        assert_eq!(actual.trim_end(), expected.trim_end(), "{test} {example}");
    }
}

#[wasm_bindgen_test]
fn errors_are_structured_js_errors() {
    let err = planb::wasm_api::render("component: { name: a }\nrollout: { steps: [10, 150] }\n", JsValue::UNDEFINED)
        .unwrap_err();
    let error: &js_sys::Error = err.dyn_ref().expect("a JS Error");
    assert_eq!(String::from(error.name()), "PlanbError");
    assert_eq!(get(&err, "kind"), "invalid_spec");
    assert_eq!(get(&err, "path"), "rollout.steps[1]");
    assert_eq!(get(&err, "line"), 2);
    assert_eq!(get(&err, "column"), 24);
    assert!(String::from(error.message()).contains("expected a percentage 1–100, found 150"));
    let syntax = planb::wasm_api::check("component: [").unwrap_err();
    assert_eq!(get(&syntax, "kind"), "syntax");
    let options_error = planb::wasm_api::render("component: { name: a }", options("pdf", "brief")).unwrap_err();
    assert!(
        String::from(options_error.dyn_ref::<js_sys::Error>().unwrap().message()).contains("invalid render options")
    );
}

#[wasm_bindgen_test]
fn check_returns_findings_as_objects() {
    let findings: Array = planb::wasm_api::check("component: { name: a }").unwrap().dyn_into().unwrap();
    assert!(findings.length() > 0);
    let first = findings.get(0);
    assert_eq!(get(&first, "id"), "PB001");
    assert_eq!(get(&first, "severity"), "error");
}

#[wasm_bindgen_test]
fn links_round_trip_and_broken_links_throw() {
    let link = planb::wasm_api::encode_link("component: { name: a }\nrollout: { steps: [10, 100] }").unwrap();
    assert!(link.starts_with("v1."));
    assert_eq!(
        planb::wasm_api::decode_link(&link).unwrap(),
        r#"{"component":{"name":"a"},"rollout":{"steps":[{"percent":10},{"percent":100}]}}"#
    );
    let broken = planb::wasm_api::decode_link(&link[..link.len() / 2]).unwrap_err();
    assert!(String::from(broken.dyn_ref::<js_sys::Error>().unwrap().message()).contains("broken or truncated"));
}

#[wasm_bindgen_test]
fn schema_and_examples_are_available() {
    let schema = planb::wasm_api::schema().unwrap();
    assert_eq!(get(&get(&schema, "properties"), "component").is_object(), true);
    let examples = planb::wasm_api::examples();
    assert_eq!(examples.length() as usize, planb::examples::ALL.len());
    let name = get(&examples.get(0), "name").as_string().unwrap();
    assert!(name.ends_with(".yaml") || name.ends_with(".json"));
    let plan = planb::wasm_api::plan("component: { name: a }").unwrap();
    assert_eq!(get(&get(&plan, "component"), "name"), "a");
}

fn file(name: &str, text: &str) -> JsValue {
    let o = js_sys::Object::new();
    Reflect::set(&o, &"name".into(), &name.into()).unwrap();
    Reflect::set(&o, &"text".into(), &text.into()).unwrap();
    o.into()
}

/// The importer's module (the page loads it on the first pipeline file) reads files as `planb import`
/// does: a Rollout whose canary has no analysis gives its name, its strategy with its source, the
/// questions the file cannot answer, and PB201 at the canary.
#[wasm_bindgen_test]
fn the_importer_reads_pipeline_files_as_planb_import_does() {
    let rollout = "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata:\n  name: api\nspec:\n  strategy:\n    canary:\n      steps:\n        - setWeight: 20\n        - pause: {}\n";
    let native =
        planb::Engine::new().unwrap().import(&[planb::pipeline::PipelineFile { name: "r.yaml", text: rollout }]);
    let native = native.unwrap();
    let imported = planb::wasm_import::import_pipeline(Array::of1(&file("r.yaml", rollout)).into()).unwrap();
    // The same spec, byte for byte, and the same findings, as `planb import` gives (Engine::import).
    assert_eq!(get(&imported, "spec"), native.spec.as_str());
    assert!(native.spec.contains("name: api") && native.spec.contains("# from r.yaml:4"), "{}", native.spec);
    let findings: Array = get(&imported, "findings").dyn_into().unwrap();
    let ids: Vec<String> = findings.iter().map(|f| get(&f, "id").as_string().unwrap()).collect();
    assert_eq!(ids, native.findings.iter().map(|f| f.id).collect::<Vec<_>>());
    assert!(ids.contains(&"PB201".to_string()), "{ids:?}");
    let canary = findings.iter().find(|f| get(f, "id") == "PB201").unwrap();
    assert_eq!((get(&canary, "file"), get(&canary, "line")), ("r.yaml".into(), JsValue::from(7)));
    // Each field's source, and the questions, as the spec's comments say them.
    let provenance: Array = get(&imported, "provenance").dyn_into().unwrap();
    let of = |path: &str| provenance.iter().find(|p| get(p, "path") == path);
    let name = of("component.name").unwrap();
    assert_eq!((get(&name, "text"), get(&name, "question")), ("from r.yaml:4".into(), JsValue::FALSE));
    let first = of("deployment.first_deployment").unwrap();
    assert_eq!(get(&first, "question"), JsValue::TRUE);
    assert!(get(&first, "text").as_string().unwrap().starts_with("to confirm: "));

    assert_eq!(planb::wasm_import::detect("r.yaml", rollout), Some("Argo Rollouts".to_string()));
    assert_eq!(planb::wasm_import::detect("spec.yaml", "component: { name: a }"), None);
}

#[wasm_bindgen_test]
fn the_importer_throws_planb_errors_for_bad_input() {
    let message = |e: JsValue| String::from(e.dyn_ref::<js_sys::Error>().expect("a JS Error").message());
    let not_a_list = planb::wasm_import::import_pipeline("text".into()).unwrap_err();
    assert!(message(not_a_list).contains("expected an array of { name, text }"));
    let no_text = planb::wasm_import::import_pipeline(Array::of1(&js_sys::Object::new()).into()).unwrap_err();
    assert_eq!(get(&no_text, "name"), "PlanbError");
    let other =
        planb::wasm_import::import_pipeline(Array::of1(&file("c.yaml", "kind: ConfigMap\n")).into()).unwrap_err();
    let text = message(other);
    assert!(text.starts_with("c.yaml") && text.contains("not a pipeline file planb reads"), "{text}");
}
