//! The page's state: the spec as JSON (valid or not, so no keystroke is lost), saved after a typing pause
//! and whenever the page is hidden or left.

use serde_json::{Map, Value};
use wasm_bindgen::UnwrapThrowExt;

use super::dom;

const STORAGE_KEY: &str = "planb.spec.v1";
/// The permalink this browser last wrote into the address bar, to tell its own links from others'.
const LINK_KEY: &str = "planb.link.v1";

/// One step of a path into the spec JSON.
#[derive(Debug, Clone, PartialEq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// Parses a form path such as `rollout.steps.1.percent` (numbers are list indices).
pub fn parse_path(path: &str) -> Vec<Seg> {
    path.split('.')
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<usize>().map_or_else(|_| Seg::Key(s.to_string()), Seg::Index))
        .collect()
}

/// Converts a spec path from an error or finding (`rollout.steps[1]`) to a form path (`rollout.steps.1`).
pub fn form_path(spec_path: &str) -> String {
    spec_path.replace('[', ".").replace(']', "")
}

/// Reads the value at a path.
pub fn get<'a>(root: &'a Value, path: &[Seg]) -> Option<&'a Value> {
    path.iter().try_fold(root, |v, seg| match seg {
        Seg::Key(k) => v.get(k.as_str()),
        Seg::Index(i) => v.get(*i),
    })
}

/// Sets (or with `None`, removes) the value at a path, creating objects and lists on the way.
pub fn set(root: &mut Value, path: &[Seg], value: Option<Value>) {
    let Some((last, parents)) = path.split_last() else { return };
    let mut node = root;
    for (i, seg) in parents.iter().enumerate() {
        let next_is_index = matches!(path.get(i + 1), Some(Seg::Index(_)));
        let empty = || if next_is_index { Value::Array(Vec::new()) } else { Value::Object(Map::new()) };
        node = match seg {
            Seg::Key(k) => {
                if !node.is_object() {
                    *node = Value::Object(Map::new());
                }
                let map = node.as_object_mut().unwrap_throw();
                map.entry(k.clone()).or_insert_with(empty)
            }
            Seg::Index(idx) => {
                if !node.is_array() {
                    *node = Value::Array(Vec::new());
                }
                let list = node.as_array_mut().unwrap_throw();
                while list.len() <= *idx {
                    list.push(Value::Object(Map::new()));
                }
                &mut list[*idx]
            }
        };
    }
    match (last, value) {
        (Seg::Key(k), Some(v)) => {
            if !node.is_object() {
                *node = Value::Object(Map::new());
            }
            node.as_object_mut().unwrap_throw().insert(k.clone(), v);
        }
        (Seg::Key(k), None) => {
            if let Some(map) = node.as_object_mut() {
                map.shift_remove(k);
            }
        }
        (Seg::Index(i), v) => {
            if let Some(list) = node.as_array_mut() {
                match v {
                    Some(v) if *i < list.len() => list[*i] = v,
                    Some(v) => list.push(v),
                    None if *i < list.len() => {
                        list.remove(*i);
                    }
                    None => {}
                }
            }
        }
    }
}

/// The spec JSON saved in this browser, if any.
pub fn load_saved() -> Option<Value> {
    let storage = dom::window().local_storage().ok().flatten()?;
    let text = storage.get_item(STORAGE_KEY).ok().flatten()?;
    serde_json::from_str(&text).ok()
}

/// Saves the spec JSON in this browser; returns false when the browser refused (storage full or
/// blocked), so the page can say that the work lives only in this tab.
pub fn save(state: &Value) -> bool {
    match dom::window().local_storage().ok().flatten() {
        Some(storage) => storage.set_item(STORAGE_KEY, &state.to_string()).is_ok(),
        None => false,
    }
}

/// The permalink fragment (without `#`) this browser last put in the address bar.
pub fn load_link() -> Option<String> {
    dom::window().local_storage().ok().flatten()?.get_item(LINK_KEY).ok().flatten()
}

/// Remembers the permalink fragment just put in the address bar.
pub fn save_link(link: &str) {
    if let Some(storage) = dom::window().local_storage().ok().flatten() {
        let _ = storage.set_item(LINK_KEY, link);
    }
}
