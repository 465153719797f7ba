//! A located document tree built from YAML 1.2 events.
//!
//! JSON is a subset of YAML 1.2 flow syntax, so one parser serves both and every
//! node keeps the line and column it started at.

use std::collections::{HashMap, HashSet};

use saphyr_parser::{Event, Parser, ScalarStyle, Span};

use crate::error::{Error, ErrorKind, Mark};

/// Upper bound on nodes, so alias expansion ("billion laughs") cannot exhaust memory.
pub(super) const MAX_NODES: usize = 200_000;
/// Upper bound on nesting, so a hostile document cannot exhaust the stack.
pub(super) const MAX_DEPTH: usize = 64;

/// One value of the document and where it starts.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub kind: NodeKind,
    pub mark: Mark,
}

#[derive(Debug, Clone)]
pub(crate) enum NodeKind {
    Null,
    /// A scalar; `plain` is false when it was quoted or a block scalar, which makes it a string.
    Scalar {
        text: String,
        plain: bool,
    },
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

impl NodeKind {
    /// What the node is, in the words an error message uses.
    pub fn describe(&self) -> &'static str {
        match self {
            NodeKind::Null => "nothing",
            NodeKind::Scalar { .. } => "a scalar",
            NodeKind::Seq(_) => "a list",
            NodeKind::Map(_) => "a mapping",
        }
    }
}

enum Frame {
    Seq { mark: Mark, anchor: usize, items: Vec<Node> },
    Map { mark: Mark, anchor: usize, entries: Vec<(Node, Node)>, key: Option<Node>, keys: Keys },
}

/// The keys of one mapping so far, to refuse a duplicate: the entries are scanned while they are
/// few; past that a set of the keys' fingerprints answers, and only a fingerprint seen before
/// costs a scan (scanning every time, a mapping of 100,000 keys took seconds).
#[derive(Default)]
pub(super) struct Keys(Option<HashSet<u64>>);

impl Keys {
    /// The entries a scan checks before the fingerprints take over.
    const SCAN: usize = 32;

    /// Whether `text` is a key new to the mapping whose `entries` come so far; it is then remembered.
    pub(super) fn insert(&mut self, entries: &[(Node, Node)], text: &str) -> bool {
        let seen = |text: &str| entries.iter().any(|(k, _)| key_text(k) == text);
        match &mut self.0 {
            Some(set) => set.insert(fingerprint(text)) || !seen(text),
            None if seen(text) => false,
            None => {
                if entries.len() >= Self::SCAN {
                    let known = entries.iter().map(|(k, _)| key_text(k));
                    self.0 = Some(known.chain([text]).map(fingerprint).collect());
                }
                true
            }
        }
    }
}

/// FNV-1a, 64 bits: a key's fingerprint (collisions only cost a scan).
fn fingerprint(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, b| (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3))
}

fn mark_of(span: &Span) -> Mark {
    Mark { line: span.start.line() as u32, column: span.start.col() as u32 + 1 }
}

pub(super) fn syntax(mark: Mark, message: impl Into<String>) -> Error {
    Error::new(ErrorKind::Syntax, message).at(mark)
}

/// Parses one YAML (or JSON) document into a located tree.
pub(crate) fn parse(text: &str) -> Result<Node, Error> {
    match read(text) {
        Err(e) if super::surrogates::is_invalid_escape(&e) => super::surrogates::read_with_pairs(text, e, read),
        read => read,
    }
}

fn read(text: &str) -> Result<Node, Error> {
    let mut builder = TreeBuilder::new(text);
    loop {
        if let Some(root) = builder.step(usize::MAX)? {
            return Ok(root);
        }
    }
}

/// Builds the located tree of a document from the parser's events, as many at a time as asked,
/// so that a caller (the page) can parse a large document across several short tasks.
pub(crate) struct TreeBuilder<'t> {
    parser: Parser<'t, saphyr_parser::StrInput<'t>>,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Node>,
    root: Option<Node>,
    nodes: usize,
    documents: usize,
}

impl<'t> TreeBuilder<'t> {
    pub fn new(text: &'t str) -> TreeBuilder<'t> {
        TreeBuilder {
            parser: Parser::new_from_str(text),
            stack: Vec::new(),
            anchors: HashMap::new(),
            root: None,
            nodes: 0,
            documents: 0,
        }
    }

    /// Reads up to `events` more events; the tree once the document ends.
    pub fn step(&mut self, events: usize) -> Result<Option<Node>, Error> {
        let TreeBuilder { parser, stack, anchors, root, nodes, documents } = self;
        for _ in 0..events {
            let Some(event) = parser.next_event() else {
                return Ok(Some(
                    root.take().unwrap_or(Node { kind: NodeKind::Null, mark: Mark { line: 1, column: 1 } }),
                ));
            };
            let (event, span) = event.map_err(|e| {
                let m = e.marker();
                syntax(Mark { line: m.line() as u32, column: m.col() as u32 + 1 }, e.info().to_string())
            })?;
            let mark = mark_of(&span);
            let completed = match event {
                Event::StreamStart | Event::StreamEnd | Event::Nothing | Event::DocumentEnd => None,
                Event::DocumentStart(_) => {
                    *documents += 1;
                    if *documents > 1 {
                        return Err(syntax(mark, "expected a single document, found a second `---`"));
                    }
                    None
                }
                Event::SequenceStart(anchor, _) => {
                    if stack.len() >= MAX_DEPTH {
                        return Err(syntax(mark, format!("nesting deeper than {MAX_DEPTH} levels")));
                    }
                    stack.push(Frame::Seq { mark, anchor, items: Vec::new() });
                    None
                }
                Event::MappingStart(anchor, _) => {
                    if stack.len() >= MAX_DEPTH {
                        return Err(syntax(mark, format!("nesting deeper than {MAX_DEPTH} levels")));
                    }
                    stack.push(Frame::Map { mark, anchor, entries: Vec::new(), key: None, keys: Keys::default() });
                    None
                }
                Event::SequenceEnd => match stack.pop() {
                    Some(Frame::Seq { mark, anchor, items }) => {
                        Some((Node { kind: NodeKind::Seq(items), mark }, anchor))
                    }
                    _ => return Err(syntax(mark, "unbalanced sequence end")),
                },
                Event::MappingEnd => match stack.pop() {
                    Some(Frame::Map { mark, anchor, entries, key: None, .. }) => {
                        Some((Node { kind: NodeKind::Map(entries), mark }, anchor))
                    }
                    _ => return Err(syntax(mark, "unbalanced mapping end")),
                },
                Event::Scalar(value, style, anchor, _) => {
                    let plain = matches!(style, ScalarStyle::Plain);
                    let kind = if plain && is_null(&value) {
                        NodeKind::Null
                    } else {
                        NodeKind::Scalar { text: value.into_owned(), plain }
                    };
                    Some((Node { kind, mark }, anchor))
                }
                Event::Alias(id) => {
                    let node =
                        anchors.get(&id).cloned().ok_or_else(|| syntax(mark, "alias refers to an unknown anchor"))?;
                    *nodes += count(&node);
                    Some((node, 0))
                }
            };
            let Some((node, anchor)) = completed else { continue };
            *nodes += 1;
            if *nodes > MAX_NODES {
                return Err(syntax(mark, format!("document has more than {MAX_NODES} values")));
            }
            if anchor != 0 {
                anchors.insert(anchor, node.clone());
            }
            match stack.last_mut() {
                None => *root = Some(node),
                Some(Frame::Seq { items, .. }) => items.push(node),
                Some(Frame::Map { entries, key, keys, .. }) => match key.take() {
                    None => {
                        if !matches!(node.kind, NodeKind::Scalar { .. }) {
                            return Err(syntax(node.mark, "expected a plain key, found a complex key"));
                        }
                        let text = key_text(&node);
                        if !keys.insert(entries, text) {
                            return Err(syntax(node.mark, format!("duplicate key `{text}`")));
                        }
                        *key = Some(node);
                    }
                    Some(k) => entries.push((k, node)),
                },
            }
        }
        Ok(None)
    }
}

/// The tree of a JSON value, as [`parse`] reads the value's JSON text, but without the text:
/// `None` where the text would not parse the same (past the limits), so the caller parses the
/// text and reports the error with its line and column. Every node is marked 1:1.
pub(crate) fn from_json(value: &serde_json::Value) -> Option<Node> {
    fn build(value: &serde_json::Value, depth: usize, nodes: &mut usize) -> Option<Node> {
        use serde_json::Value;
        *nodes += 1;
        if *nodes > MAX_NODES {
            return None;
        }
        let scalar = |text: String, plain| NodeKind::Scalar { text, plain };
        let kind = match value {
            Value::Null => NodeKind::Null,
            Value::Bool(b) => scalar(b.to_string(), true),
            Value::Number(n) => scalar(n.to_string(), true),
            Value::String(s) => scalar(s.clone(), false),
            Value::Array(_) | Value::Object(_) if depth >= MAX_DEPTH => return None,
            Value::Array(items) => {
                NodeKind::Seq(items.iter().map(|v| build(v, depth + 1, nodes)).collect::<Option<_>>()?)
            }
            Value::Object(map) => NodeKind::Map(
                map.iter()
                    .map(|(k, v)| {
                        let key = build(&Value::String(k.clone()), depth + 1, nodes)?;
                        Some((key, build(v, depth + 1, nodes)?))
                    })
                    .collect::<Option<_>>()?,
            ),
        };
        Some(Node { kind, mark: Mark { line: 1, column: 1 } })
    }
    build(value, 0, &mut 0)
}

/// The text of a key node (keys are always scalars).
pub(crate) fn key_text(node: &Node) -> &str {
    match &node.kind {
        NodeKind::Scalar { text, .. } => text,
        _ => "",
    }
}

fn is_null(text: &str) -> bool {
    matches!(text, "" | "~" | "null" | "Null" | "NULL")
}

fn count(node: &Node) -> usize {
    match &node.kind {
        NodeKind::Seq(items) => 1 + items.iter().map(count).sum::<usize>(),
        NodeKind::Map(entries) => 1 + entries.iter().map(|(k, v)| count(k) + count(v)).sum::<usize>(),
        _ => 1,
    }
}
