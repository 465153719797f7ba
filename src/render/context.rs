//! Template contexts: values converted once into the template engine's, and shared by renders.

use std::sync::Arc;

use minijinja::value::{Enumerator, Object, Serde, Value};
use serde::Serialize;

use crate::error::Error;
use crate::plan::Plan;

/// A template context converted once into the engine's values, to render several templates with it.
pub struct Context(pub(super) Value);

impl Context {
    pub fn from_value(value: Value) -> Context {
        Context(value)
    }

    /// Converts any serializable value (see [`value`]).
    pub fn from_serialize<S: Serialize>(value: &S) -> Result<Context, Error> {
        self::value(value).map(Context)
    }

    /// `{ plan }`, what the plan templates read.
    pub(crate) fn of_plan(plan: Value) -> Context {
        Context(Value::from_object(Root { plan, spec: None }))
    }

    /// What the standalone HTML file's template reads.
    pub(crate) fn of_document(document: Document) -> Context {
        Context(Value::from_object(document))
    }

    /// `{ plan, spec }`, what the messages and config snippets read.
    pub(crate) fn of_plan_and_spec(plan: Value, spec: Value) -> Context {
        Context(Value::from_object(Root { plan, spec: Some(spec) }))
    }
}

/// Converts a serializable value for the templates. Natively it converts directly, which is about
/// twice as fast; in Wasm it goes through `serde_json::Value`, so every type serializes with a
/// single serializer and the module stays small. Both give the same values (the golden corpus
/// test compares native and Wasm output byte for byte).
pub(crate) fn value<S: Serialize>(value: &S) -> Result<Value, Error> {
    #[cfg(not(target_arch = "wasm32"))]
    return Ok(Value::from(Serde(value)));
    #[cfg(target_arch = "wasm32")]
    return Ok(Value::from(Serde(&super::to_json(value)?)));
}

/// A plan with its template context, to render it in several formats.
pub struct Prepared {
    plan: Plan,
    context: Context,
}

impl Prepared {
    /// A plan whose value was converted before its messages and snippet were rendered: only those
    /// two parts are converted again, the rest of the value is shared (converting a whole plan
    /// costs as much as rendering one format).
    pub(crate) fn filled(plan: Plan, before: Value) -> Result<Prepared, Error> {
        let filled = Filled { plan: before, comms: value(&plan.comms)?, snippet: value(&plan.snippet)? };
        Ok(Prepared { plan, context: Context::of_plan(Value::from_object(filled)) })
    }

    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    pub(super) fn context(&self) -> &Context {
        &self.context
    }
}

/// The root of a plan's context: `plan`, and `spec` when the template reads it.
struct Root {
    plan: Value,
    spec: Option<Value>,
}

impl Object for Root {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.get_value_by_str(key.as_str()?)
    }

    fn get_value_by_str(self: &Arc<Self>, key: &str) -> Option<Value> {
        match key {
            "plan" => Some(self.plan.clone()),
            "spec" => self.spec.clone(),
            _ => None,
        }
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Str(if self.spec.is_some() { &["plan", "spec"] } else { &["plan"] })
    }
}

/// The context of a standalone HTML file: the plan's name, its article, figure and stylesheet (safe
/// strings, which the `safe` filter passes on without a copy) and the navigation links.
pub(crate) struct Document {
    pub name: Value,
    pub article: Value,
    pub figure: Value,
    pub css: Value,
    pub nav: Value,
}

impl Object for Document {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.get_value_by_str(key.as_str()?)
    }

    fn get_value_by_str(self: &Arc<Self>, key: &str) -> Option<Value> {
        Some(match key {
            "name" => self.name.clone(),
            "article" => self.article.clone(),
            "figure" => self.figure.clone(),
            "css" => self.css.clone(),
            "nav" => self.nav.clone(),
            _ => return None,
        })
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Str(&["name", "article", "figure", "css", "nav"])
    }
}

/// A converted plan with its `comms` and `snippet` replaced (see [`Prepared::filled`]).
struct Filled {
    plan: Value,
    comms: Value,
    snippet: Value,
}

// Written by hand: a derived `Debug` would print the whole plan, and cost the Wasm build a kilobyte.
impl std::fmt::Debug for Root {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<context>")
    }
}

impl std::fmt::Debug for Document {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<document>")
    }
}

impl std::fmt::Debug for Filled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<plan>")
    }
}

impl Object for Filled {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.get_value_by_str(key.as_str()?)
    }

    fn get_value_by_str(self: &Arc<Self>, key: &str) -> Option<Value> {
        match key {
            "comms" => Some(self.comms.clone()),
            "snippet" => Some(self.snippet.clone()),
            _ => self.plan.get_attr(key).ok().filter(|v| !v.is_undefined()),
        }
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        match self.plan.try_iter() {
            Ok(keys) => Enumerator::Values(keys.collect()),
            Err(_) => Enumerator::Empty,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::render::OUTPUTS;

    #[test]
    fn a_prepared_plan_renders_as_the_plan_converted_afresh() {
        let engine = crate::Engine::new().unwrap();
        for (name, text) in crate::examples::ALL {
            let prepared = engine.prepare(&crate::parse_spec(text).unwrap()).unwrap();
            for output in OUTPUTS {
                let shared = engine.templates().render_prepared(&prepared, output.options, &[]).unwrap();
                let afresh = engine.render_plan(prepared.plan(), output.options).unwrap();
                assert_eq!(shared, afresh, "{name}: {}", output.id);
            }
        }
    }
}
