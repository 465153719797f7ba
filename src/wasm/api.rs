//! Functions exported to JavaScript. Every error reaches JavaScript as an `Error` named
//! `PlanbError` with `kind`, `path`, `line` and `column`; nothing here panics on bad input.
//!
//! Their TypeScript types (`planb.d.ts`) name the model's types, declared in
//! `schema/planb-types.d.ts`, which is generated from the Rust types (src/typescript.rs).

use std::sync::OnceLock;

use js_sys::{Array, Reflect, JSON};
use wasm_bindgen::prelude::*;

use super::{json_value, to_js};
use crate::{Engine, Error, RenderOptions};

/// The engine, loaded on first use and shared by every call.
pub(crate) fn engine() -> Result<&'static Engine, JsValue> {
    static ENGINE: OnceLock<Result<Engine, Error>> = OnceLock::new();
    ENGINE.get_or_init(Engine::new).as_ref().map_err(to_js)
}

/// Renders the plan for a spec (YAML or JSON text). `options` is `{ format, style }`, both optional.
#[wasm_bindgen]
pub fn render(
    spec: &str,
    #[wasm_bindgen(unchecked_optional_param_type = "RenderOptions")] options: JsValue,
) -> Result<String, JsValue> {
    let options: RenderOptions = if options.is_undefined() || options.is_null() {
        RenderOptions::default()
    } else {
        let text: String = JSON::stringify(&options)?.into();
        serde_json::from_str(&text)
            .map_err(|e| to_js(&Error::new(crate::ErrorKind::InvalidSpec, format!("invalid render options: {e}"))))?
    };
    let spec = crate::parse_spec(spec).map_err(|e| to_js(&e))?;
    engine()?.render(&spec, options).map_err(|e| to_js(&e))
}

/// The findings for a spec, as an array of `{ id, rule, severity, message, path, fix }`.
#[wasm_bindgen(unchecked_return_type = "Finding[]")]
pub fn check(spec: &str) -> Result<JsValue, JsValue> {
    let spec = crate::parse_spec(spec).map_err(|e| to_js(&e))?;
    let findings = engine()?.check(&spec);
    json_value(&serde_json::to_value(&findings).map_or_else(|_| "[]".into(), |v| v.to_string()))
}

/// The whole plan as a JSON-compatible object.
#[wasm_bindgen(unchecked_return_type = "Plan")]
pub fn plan(spec: &str) -> Result<JsValue, JsValue> {
    let spec = crate::parse_spec(spec).map_err(|e| to_js(&e))?;
    let plan = engine()?.plan(&spec).map_err(|e| to_js(&e))?;
    json_value(&serde_json::to_value(&plan).map_or_else(|_| "null".into(), |v| v.to_string()))
}

/// The JSON Schema of the spec.
#[wasm_bindgen(unchecked_return_type = "JsonSchema")]
pub fn schema() -> Result<JsValue, JsValue> {
    json_value(crate::SPEC_SCHEMA)
}

/// The example specs shipped with planb, as `[{ name, text }]`.
#[wasm_bindgen(unchecked_return_type = "Example[]")]
pub fn examples() -> Array {
    crate::examples::ALL
        .iter()
        .map(|(name, text)| {
            let item = js_sys::Object::new();
            let _ = Reflect::set(&item, &"name".into(), &JsValue::from_str(name));
            let _ = Reflect::set(&item, &"text".into(), &JsValue::from_str(text));
            JsValue::from(item)
        })
        .collect()
}

/// The permalink fragment (without `#`) for a spec.
#[wasm_bindgen(js_name = encodeLink)]
pub fn encode_link(spec: &str) -> Result<String, JsValue> {
    let spec = crate::parse_spec(spec).map_err(|e| to_js(&e))?;
    Ok(crate::permalink::encode(&spec))
}

/// The spec JSON held by a permalink fragment; throws `PlanbError` for a broken link.
#[wasm_bindgen(js_name = decodeLink)]
pub fn decode_link(fragment: &str) -> Result<String, JsValue> {
    let spec = crate::permalink::decode(fragment).map_err(|e| to_js(&e))?;
    Ok(crate::permalink::compact_json(&spec))
}
