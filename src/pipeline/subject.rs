//! The facts the pipeline lint checks: one [`Subject`] per thing in a file a rule is about (a
//! Rollout, a job, a stage), holding named facts and the place in the file each came from.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::error::Mark;

/// Where something is in a pipeline file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub file: String,
    /// Its field path in the file, e.g. `spec.strategy.canary` or `jobs.deploy.environment`.
    pub path: String,
    pub mark: Mark,
}

/// A thing in a pipeline file that lint rules are checked on.
#[derive(Debug, Clone)]
pub struct Subject {
    /// The tool whose file it is in (`argo-rollouts`, `gitlab`, …): only that tool's rules apply.
    pub tool: &'static str,
    /// What it is, as rules name it: `rollout`, `canary`, `job`, `stage`, …
    pub kind: &'static str,
    /// Where it starts.
    pub place: Place,
    /// Its facts, which the rules' conditions read (`null` for a fact the files do not state).
    pub facts: Map<String, Value>,
    /// Where each fact the files state came from; a finding about it points there.
    pub places: BTreeMap<String, Place>,
}

impl Subject {
    pub fn new(tool: &'static str, kind: &'static str, place: Place) -> Subject {
        Subject { tool, kind, place, facts: Map::new(), places: BTreeMap::new() }
    }

    /// Records a fact that no single place in the files states (a default, or a count).
    pub fn fact(&mut self, name: &str, value: impl Into<Value>) -> &mut Subject {
        self.facts.insert(name.to_string(), value.into());
        self
    }

    /// Records a fact and the place it came from.
    pub fn fact_at(&mut self, name: &str, value: impl Into<Value>, place: Place) -> &mut Subject {
        self.places.insert(name.to_string(), place);
        self.fact(name, value)
    }

    /// The place a finding about `fact` points at: the fact's own, or else the subject's.
    pub fn place_of(&self, fact: Option<&str>) -> &Place {
        fact.and_then(|f| self.places.get(f)).unwrap_or(&self.place)
    }
}
