//! The Wasm face: the library's pipeline for JavaScript, and the page that runs on it.
//!
//! Compiled only for `wasm32`; everything here is a thin layer over the same `Spec`, `Engine`
//! and templates the CLI uses. It builds two modules (`scripts/build-site.sh`):
//! - the page's (feature `page`): the JavaScript API ([`api`]) and the editor (`app`);
//! - the pipeline importer's (feature `import`): [`import`], which the page loads the first time it
//!   is given a pipeline file;
//! - the npm package's (features `page`, `import` and `node-cli`): all of the above, and the command
//!   line for Node (`cli`), which the package's `planb` command runs. Reading five pipeline formats and their lint rules is 50 KB of brotli
//!   (the site's first visit grew from 379,229 to 429,695 B with them in the page's module, `node
//!   bench/sizes.mjs`), which most visits never use.

use js_sys::{Reflect, JSON};
use wasm_bindgen::prelude::*;

use crate::Error;

#[cfg(feature = "page")]
pub mod api;
#[cfg(feature = "page")]
mod app;
#[cfg(feature = "node-cli")]
mod cli;
#[cfg(feature = "import")]
pub mod import;

// The declarations go into each module's `.d.ts` only: wasm-bindgen reads this custom section and
// leaves it out of the `.wasm` it writes.
#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = include_str!("../../schema/planb-types.d.ts");

/// Converts a library error into a JavaScript `Error` with structured fields.
pub(crate) fn to_js(e: &Error) -> JsValue {
    let js = js_sys::Error::new(&e.to_string());
    js.set_name("PlanbError");
    let set = |key: &str, value: JsValue| {
        let _ = Reflect::set(&js, &JsValue::from_str(key), &value);
    };
    set("kind", serde_json::to_string(&e.kind).unwrap_or_default().trim_matches('"').into());
    set("detail", e.message.as_str().into());
    set("path", e.path.as_deref().map_or(JsValue::NULL, JsValue::from_str));
    set("line", e.mark.map_or(JsValue::NULL, |m| JsValue::from(m.line)));
    set("column", e.mark.map_or(JsValue::NULL, |m| JsValue::from(m.column)));
    js.into()
}

/// A JSON text as a JavaScript value.
pub(crate) fn json_value(text: &str) -> Result<JsValue, JsValue> {
    JSON::parse(text)
}
