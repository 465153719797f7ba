//! Files given to the page, chosen, dropped or pasted. A spec is loaded as it is; pipeline files go
//! through the importer module (`planb_import.js`, loaded the first time one is given) into the
//! form, each imported field showing where it came from, with the findings on the files listed
//! above the form and one Undo back to the spec from before.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Function, Object, Promise, Reflect, JSON};
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::dom::{self, by_id};
use super::output::{page_template, status};
use super::{compact_value, mark, parse_in_tasks, replace_state, App};

thread_local! {
    /// The function of `www/main.js` that loads the importer module and resolves to it.
    static LOADER: RefCell<Option<Function>> = const { RefCell::new(None) };
}

/// Keeps the importer's loader that `www/main.js` passed to `start`.
pub fn set_loader(loader: JsValue) {
    LOADER.set(loader.dyn_into::<Function>().ok());
}

/// What the importer returns (`crate::import::Imported`), read as a JSON value: a derived
/// `Deserialize` would add its own reader to the page's module (4 KB of code, measured).
struct Imported(Value);

impl Imported {
    fn spec(&self) -> &str {
        self.0["spec"].as_str().unwrap_or_default()
    }

    fn list(&self, key: &str) -> &[Value] {
        self.0[key].as_array().map_or(&[], Vec::as_slice)
    }

    /// Each `(path, text, question)` of the provenance list.
    fn provenance(&self) -> impl Iterator<Item = (&str, &str, bool)> {
        self.list("provenance").iter().map(|p| {
            (p["path"].as_str().unwrap_or_default(), p["text"].as_str().unwrap_or_default(), p["question"] == true)
        })
    }
}

/// An import the page shows: the form's marks and the panel above the form.
pub struct Shown {
    /// Form path and the text shown under its field (`From rollout.yaml:12` or `To confirm: …`).
    /// A list, searched: an import fills tens of fields, and a sorted one costs the page's module
    /// a sort (3 KB of code, measured).
    sources: Vec<(String, String)>,
    /// The panel's HTML (`templates/page/imported.html.j2`).
    panel: String,
}

impl Shown {
    /// The text to show under the field or list item at a form path, when it was imported.
    pub fn source(&self, path: &str) -> Option<&str> {
        self.sources.iter().find(|(p, _)| p == path).map(|(_, text)| text.as_str())
    }
}

/// Shows an import's panel above the form, or with `None` hides it.
pub fn show_panel(shown: Option<&Shown>) {
    let Some(panel) = by_id("imported") else { return };
    panel.set_inner_html(shown.map_or("", |s| s.panel.as_str()));
    dom::set_hidden(&panel, shown.is_none());
}

/// Takes the files given to the page: one spec, or pipeline files read together.
pub async fn take(app: &Rc<RefCell<App>>, files: Vec<(String, String)>) {
    mark("planb:read");
    if let [(name, text)] = files.as_slice() {
        let spec_error = match parse_in_tasks(text).await {
            Ok(spec) => {
                let value = compact_value(&spec);
                mark("planb:parsed");
                // The form in a task of its own.
                dom::next_task().await;
                return replace_state(app, value, None, &format!("Imported {name}."));
            }
            Err(e) if names_another_format(&e) || crate::pipeline::looks_like_text_format(name, text) => {
                e.with_origin(name)
            }
            Err(e) => return status(&format!("{}; nothing was changed.", e.with_origin(name)), true),
        };
        // Not a spec: a pipeline file, unless the importer says it is none it reads.
        let detected = match importer().await {
            Ok(module) => call(&module, "detect", &[name.into(), text.into()]).map(|f| !f.is_null()),
            Err(e) => Err(e),
        };
        match detected {
            Ok(true) => {}
            Ok(false) => return status(&format!("{spec_error}; nothing was changed."), true),
            Err(why) => {
                let why = format!("{spec_error}; nothing was changed. If it is a pipeline file: {why}");
                return status(&why, true);
            }
        }
    }
    if let Err(why) = import(app, &files).await {
        status(&format!("{why}; nothing was changed."), true);
    }
}

/// Whether a spec error says the file is of another format: several documents (Kubernetes
/// resources), or a top-level key no spec has (every pipeline file has one: `apiVersion`,
/// `pipeline`, `jobs`, `stages`, a job's name). A file refused for its syntax or its size is not
/// handed on, unless its name or first line says it is a Jenkinsfile or OCL (which are not YAML):
/// the importer would read all of it again in one task to refuse it too (a 200,001-value file took
/// 180 ms so, `node bench/freeze.mjs`).
fn names_another_format(e: &crate::Error) -> bool {
    let top_level = e.path.as_deref().is_some_and(|p| !p.contains(['.', '[']));
    let unknown_key = e.kind == crate::ErrorKind::InvalidSpec && top_level && e.message.starts_with("unknown field");
    unknown_key || e.message.starts_with("expected a single document")
}

/// Imports pipeline files into the form.
async fn import(app: &Rc<RefCell<App>>, files: &[(String, String)]) -> Result<(), String> {
    let module = importer().await?;
    dom::next_task().await;
    let given: Array = files
        .iter()
        .map(|(name, text)| {
            let file = Object::new();
            let _ = Reflect::set(&file, &"name".into(), &name.into());
            let _ = Reflect::set(&file, &"text".into(), &text.into());
            JsValue::from(file)
        })
        .collect();
    let result = call(&module, "importPipeline", &[given.into()])?;
    let json: String = JSON::stringify(&result).map_err(|_| "the importer's answer is not JSON")?.into();
    let imported =
        Imported(serde_json::from_str(&json).map_err(|e| format!("the importer's answer did not read ({e})"))?);
    mark("planb:imported");
    dom::next_task().await;
    let spec = parse_in_tasks(imported.spec())
        .await
        .map_err(|e| format!("internal error, please report it: the imported spec does not read back ({e})"))?;
    let value = compact_value(&spec);
    let names: Vec<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
    let shown = shown(&imported, &names.join(", "))?;
    let message = summary(&imported, &names.join(", "));
    dom::next_task().await;
    replace_state(app, value, Some(Rc::new(shown)), &message);
    Ok(())
}

/// The status line after an import: what was filled, what is left to confirm, what was found.
fn summary(imported: &Imported, names: &str) -> String {
    let questions = imported.provenance().filter(|(_, _, question)| *question).count();
    let filled = imported.provenance().count() - questions;
    let counted = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    format!(
        "Imported {names}: {} from the files, {} to confirm, {} on the files (listed above the form).",
        counted(filled, "field", "fields"),
        counted(questions, "question", "questions"),
        counted(imported.list("findings").len(), "finding", "findings"),
    )
}

fn shown(imported: &Imported, names: &str) -> Result<Shown, String> {
    let sources = imported.provenance().map(|(path, text, _)| (path.to_string(), capitalised(text))).collect();
    let questions: Vec<Value> = imported
        .provenance()
        .filter(|(_, _, question)| *question)
        // Listed under "To confirm", the question alone.
        .map(|(path, text, _)| json!({ "path": path, "text": capitalised(text.trim_start_matches("to confirm: ")) }))
        .collect();
    let context = json!({
        "files": names,
        "findings": imported.list("findings"),
        "questions": questions,
        "notes": imported.list("notes"),
    });
    let panel = page_template("page/imported.html.j2", context).map_err(|e| message_of(&e))?;
    Ok(Shown { sources, panel })
}

/// The text with its first letter in capitals: planb's own words (`from …`, `to confirm: …`) start
/// with an ASCII letter (Unicode's case tables would add 10 KB to the page's module).
fn capitalised(text: &str) -> String {
    let mut text = text.to_string();
    if let Some(first) = text.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    text
}

/// The importer module, loaded on first use (`www/main.js` keeps it once loaded).
async fn importer() -> Result<JsValue, String> {
    let loader = LOADER.with_borrow(Clone::clone).ok_or("this page cannot load the pipeline importer")?;
    let promise = loader.call0(&JsValue::NULL).map_err(|e| message_of(&e))?;
    let module = JsFuture::from(Promise::from(promise)).await;
    module.map_err(|e| format!("the pipeline importer could not be loaded ({})", message_of(&e)))
}

/// Calls one of the importer's functions; a `PlanbError` it throws becomes its message.
fn call(module: &JsValue, name: &str, args: &[JsValue]) -> Result<JsValue, String> {
    let function = Reflect::get(module, &JsValue::from_str(name))
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .ok_or_else(|| format!("the pipeline importer has no function {name}"))?;
    function.apply(&JsValue::NULL, &args.iter().collect::<Array>()).map_err(|e| message_of(&e))
}

/// The message of a thrown JavaScript value.
fn message_of(e: &JsValue) -> String {
    match e.dyn_ref::<js_sys::Error>() {
        Some(error) => String::from(error.message()),
        None => e.as_string().unwrap_or_else(|| "an unknown error".to_string()),
    }
}
