//! The pipeline importer's Wasm module: pipeline files to a draft spec, each field's source and the
//! findings on the files ([`crate::import`]), as `planb import` reads them.
//!
//! The page loads it the first time it is given a file that is not a spec (see `www/main.js`).

use js_sys::{Array, Reflect};
use wasm_bindgen::prelude::*;

use super::{json_value, to_js};
use crate::error::{Error, ErrorKind};
use crate::pipeline::{self, PipelineFile};

/// The files as `(name, text)`, from an array of `{ name, text }`.
fn files_of(files: &JsValue) -> Result<Vec<(String, String)>, JsValue> {
    let expected =
        || to_js(&Error::new(ErrorKind::InvalidSpec, "expected an array of { name, text } with text a string"));
    if !Array::is_array(files) {
        return Err(expected());
    }
    Array::from(files)
        .iter()
        .map(|file| {
            let field = |key: &str| Reflect::get(&file, &JsValue::from_str(key)).ok().and_then(|v| v.as_string());
            let text = field("text").ok_or_else(expected)?;
            Ok((field("name").unwrap_or_else(|| "<pasted>".to_string()), text))
        })
        .collect()
}

/// The format of a file, as `planb check` names it (`"GitLab CI configuration"`), or `null` when it
/// is not a pipeline file planb reads (a spec, say).
#[wasm_bindgen]
pub fn detect(name: &str, text: &str) -> Option<String> {
    pipeline::detect(PipelineFile { name, text }).map(|format| format.name().to_string())
}

/// Reads pipeline files together (`[{ name, text }]`): the spec they imply as YAML with each field's
/// source, each field's source or question again as a list, notes, and the findings on the files.
#[wasm_bindgen(js_name = importPipeline, unchecked_return_type = "Imported")]
pub fn import_pipeline(
    #[wasm_bindgen(unchecked_param_type = "PipelineFile[]")] files: JsValue,
) -> Result<JsValue, JsValue> {
    let files = files_of(&files)?;
    let files: Vec<PipelineFile> = files.iter().map(|(name, text)| PipelineFile { name, text }).collect();
    let imported = crate::import::import(&files).map_err(|e| to_js(&e))?;
    let json = serde_json::to_string(&imported).map_err(|e| to_js(&Error::new(ErrorKind::Render, e.to_string())))?;
    json_value(&json)
}
