//! Reading a spec from YAML or JSON text, with errors that point at the line, column and field.

mod de;
mod emit;
mod json;
pub(crate) mod node;
mod surrogates;

pub(crate) use emit::scalar as yaml_scalar;
pub use emit::to_yaml;

use crate::error::{Error, ErrorKind};
use crate::spec::Spec;

/// Parses and validates a spec written in YAML or JSON.
///
/// The same parser reads both (JSON is YAML 1.2 flow syntax), so errors look alike
/// whichever format the user chose; a JSON document is read by a faster reader that builds
/// the same tree (see `json.rs`).
pub fn parse_spec(text: &str) -> Result<Spec, Error> {
    spec_from_node(tree(text)?)
}

/// A spec's text read once, to say where each of its fields is written (a finding's line).
pub struct Locations(node::Node);

impl Locations {
    /// `None` when the text does not parse.
    pub fn of(text: &str) -> Option<Locations> {
        tree(text).ok().map(Locations)
    }

    /// Where the field at `path` (a finding's, `data_changes[0].restore_tested`) is written: its
    /// key's line and column; for a field the text leaves out, those of the nearest field that holds
    /// it, down to the document's start.
    pub fn of_field(&self, path: &str) -> crate::Mark {
        locate(&self.0, path)
    }
}

fn locate(root: &node::Node, path: &str) -> crate::Mark {
    let mut at = root;
    let mut mark = root.mark;
    for segment in path_segments(path) {
        let next = match segment {
            Segment::Key(key) => at.entries().iter().find(|(k, _)| node::key_text(k) == key).map(|(k, v)| (k.mark, v)),
            Segment::Index(i) => at.items().get(i).map(|item| (item.mark, item)),
        };
        let Some((found, value)) = next else { break };
        mark = found;
        at = value;
    }
    mark
}

enum Segment<'p> {
    Key(&'p str),
    Index(usize),
}

/// `a.b[0].c` as `a`, `b`, `0`, `c`; an index that is not a number ends the path.
fn path_segments(path: &str) -> impl Iterator<Item = Segment<'_>> {
    path.split('.').filter(|part| !part.is_empty()).flat_map(|part| {
        let mut pieces = part.split('[');
        let key = pieces.next().filter(|k| !k.is_empty()).map(Segment::Key);
        let indexes =
            pieces.map(|index| index.trim_end_matches(']').parse().map_or(Segment::Index(usize::MAX), Segment::Index));
        key.into_iter().chain(indexes)
    })
}

/// The located tree of a YAML or JSON document.
fn tree(text: &str) -> Result<node::Node, Error> {
    json::parse(text).unwrap_or_else(|| node::parse(text))
}

/// Reads a spec from a JSON value, exactly as [`parse_spec`] reads the value's JSON text, but
/// several times faster: the page keeps the spec as a JSON value and reads it on every keystroke.
/// An invalid spec is read again from its text, so its error carries the line and column.
pub fn parse_spec_json(value: &serde_json::Value) -> Result<Spec, Error> {
    match node::from_json(value).map(spec_from_node) {
        Some(Ok(spec)) => Ok(spec),
        _ => parse_spec(&value.to_string()),
    }
}

/// Reads a spec a slice of the text at a time, giving the same spec or error as [`parse_spec`]:
/// the page reads a large file across several short tasks, so it never freezes while it reads.
pub struct SpecReader<'t> {
    text: &'t str,
    tree: node::TreeBuilder<'t>,
    /// Whether a step has run. The first reads a JSON document at once (see `json.rs`): the YAML
    /// parser reads a long flow list whole in its first step anyway, and more slowly.
    stepped: bool,
}

impl<'t> SpecReader<'t> {
    pub fn new(text: &'t str) -> SpecReader<'t> {
        SpecReader { text, tree: node::TreeBuilder::new(text), stepped: false }
    }

    /// Reads up to `events` more parser events (a value, or the start or end of a list or
    /// mapping, is one event); the spec or its error once the text is read.
    pub fn step(&mut self, events: usize) -> Option<Result<Spec, Error>> {
        if !std::mem::replace(&mut self.stepped, true) {
            if let Some(read) = json::parse(self.text) {
                return Some(read.and_then(spec_from_node));
            }
        }
        match self.tree.step(events) {
            Ok(None) => None,
            Ok(Some(root)) => Some(spec_from_node(root)),
            // A string with UTF-16 pairs is read again whole, from the start (see surrogates.rs).
            Err(e) if surrogates::is_invalid_escape(&e) => Some(node::parse(self.text).and_then(spec_from_node)),
            Err(e) => Some(Err(e)),
        }
    }
}

fn spec_from_node(root: node::Node) -> Result<Spec, Error> {
    if matches!(root.kind, node::NodeKind::Null) {
        return Err(Error::new(
            ErrorKind::InvalidSpec,
            "the spec is empty; expected a mapping with at least `component: { name: … }`",
        )
        .at(root.mark));
    }
    if !matches!(root.kind, node::NodeKind::Map(_)) {
        let found = root.kind.describe();
        return Err(Error::new(ErrorKind::InvalidSpec, format!("expected a mapping of spec sections, found {found}"))
            .at(root.mark));
    }
    de::from_node(&root)
}

/// Parses any YAML or JSON document into its located tree and then into `T`.
///
/// Used for planb's own data files (tool knowledge) as well as specs.
pub(crate) fn parse_as<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, Error> {
    de::from_node(&node::parse(text)?)
}
