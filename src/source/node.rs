//! A located document tree built from YAML 1.2 events.
//!
//! JSON is a subset of YAML 1.2 flow syntax, so one parser serves both and every
//! node keeps the line and column it started at.

use std::collections::{HashMap, HashSet};

use saphyr_parser::{Event, Parser, ScalarStyle, Span};

use crate::error::{Error, ErrorKind, Mark};

/// Upper bound on nodes, so alias expansion ("billion laughs") cannot exhaust memory.
pub(crate) const MAX_NODES: usize = 200_000;
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

impl Node {
    /// The value of `key` in a mapping; `None` for a missing key or a node that is not a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entries().iter().find(|(k, _)| key_text(k) == key).map(|(_, v)| v)
    }

    /// The key node of `key` in a mapping: where the field is written, which for a list or mapping
    /// value is a line above the value's own mark.
    pub fn key(&self, key: &str) -> Option<&Node> {
        self.entries().iter().find(|(k, _)| key_text(k) == key).map(|(k, _)| k)
    }

    /// The text of a scalar; `None` for anything else (null included).
    pub fn text(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    /// A plain `true` or `false` (YAML 1.2 core schema); `None` for anything else.
    pub fn truth(&self) -> Option<bool> {
        match &self.kind {
            NodeKind::Scalar { text, plain: true } => match text.as_str() {
                "true" | "True" | "TRUE" => Some(true),
                "false" | "False" | "FALSE" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }

    /// The items of a list; empty for anything else.
    pub fn items(&self) -> &[Node] {
        match &self.kind {
            NodeKind::Seq(items) => items,
            _ => &[],
        }
    }

    /// The entries of a mapping; empty for anything else.
    pub fn entries(&self) -> &[(Node, Node)] {
        match &self.kind {
            NodeKind::Map(entries) => entries,
            _ => &[],
        }
    }
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

/// FNV-1a, 64 bits: a key's fingerprint (collisions only cost a scan); reports and the page use it too.
pub(crate) fn fingerprint(text: &str) -> u64 {
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

/// How a stream's merge keys (`<<`) are read: YAML 1.1's rules, or as Ruby's Psych reads them, which
/// is how GitLab reads `.gitlab-ci.yml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MergeKeys {
    /// <https://yaml.org/type/merge.html>: a key of the mapping itself wins over a merged one,
    /// wherever it is written; of several merged mappings the first wins.
    Yaml11,
    /// Psych (`revive_hash` in lib/psych/visitors/to_ruby.rb, ruby/psych at 7d5e03623e1e): the
    /// entries apply in document order, each overwriting what came before, so a key written before
    /// `<<` is overwritten by the merged one and of two `<<` keys the second wins; within a list of
    /// mappings the first still wins; a `<<` of anything but mappings stays a plain `<<` key.
    Psych,
}

/// Parses every document of a YAML stream, as the pipeline files of the tools are written: several
/// documents split by `---` (a Rollout with its Services), and YAML 1.1 merge keys (`<<: *defaults`),
/// which GitLab and GitHub files use and which are expanded here (see [`MergeKeys`]). The limits of
/// [`parse`] hold for the stream as a whole.
pub(crate) fn parse_stream(text: &str, merge_keys: MergeKeys) -> Result<Vec<Node>, Error> {
    let read_stream = |text: &str| {
        let mut builder = TreeBuilder { stream: Some((Vec::new(), merge_keys)), ..TreeBuilder::new(text) };
        loop {
            if builder.step(usize::MAX)?.is_some() {
                return Ok(builder.stream.take().map(|(docs, _)| docs).unwrap_or_default());
            }
        }
    };
    match read_stream(text) {
        Err(e) if super::surrogates::is_invalid_escape(&e) => {
            // The surrogate re-read works on one tree: the documents travel in a sequence.
            let one = |text: &str| {
                read_stream(text).map(|docs| Node { kind: NodeKind::Seq(docs), mark: Mark { line: 1, column: 1 } })
            };
            match super::surrogates::read_with_pairs(text, e, one)?.kind {
                NodeKind::Seq(docs) => Ok(docs),
                _ => Ok(Vec::new()),
            }
        }
        read => read,
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
    /// The documents read so far when reading a stream (`parse_stream`), and how its merge keys
    /// read; `None` for one document.
    stream: Option<(Vec<Node>, MergeKeys)>,
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
            stream: None,
        }
    }

    /// Reads up to `events` more events; the tree once the document ends.
    pub fn step(&mut self, events: usize) -> Result<Option<Node>, Error> {
        let TreeBuilder { parser, stack, anchors, root, nodes, documents, stream } = self;
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
                Event::StreamStart | Event::StreamEnd | Event::Nothing => None,
                Event::DocumentEnd => {
                    if let Some((docs, _)) = stream {
                        docs.push(root.take().unwrap_or(Node { kind: NodeKind::Null, mark }));
                    }
                    None
                }
                Event::DocumentStart(_) => {
                    *documents += 1;
                    if *documents > 1 && stream.is_none() {
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
                        let entries = merged(stream, entries)?;
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
                    // The values it repeats; its own top one is counted below, as every node is.
                    *nodes += count(&node) - 1;
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
                        // A merge key may repeat; GitLab's reading (Psych) takes a repeated key too.
                        let merge_key = stream.is_some() && text == MERGE_KEY;
                        let psych = matches!(stream, Some((_, MergeKeys::Psych)));
                        if !merge_key && !psych && !keys.insert(entries, text) {
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

/// A mapping's entries with its merge keys expanded when reading a stream.
#[cfg(any(not(target_arch = "wasm32"), feature = "import"))]
fn merged(stream: &Option<(Vec<Node>, MergeKeys)>, entries: Vec<(Node, Node)>) -> Result<Vec<(Node, Node)>, Error> {
    Ok(match stream {
        Some((_, MergeKeys::Yaml11)) => merge(entries)?,
        Some((_, MergeKeys::Psych)) => merge_as_psych(entries),
        None => entries,
    })
}

/// The page's module reads specs, never streams (pipeline files go to the importer's module, which
/// has the merge code): without it the page's Wasm is 2.1 KB smaller in brotli (381,368 to 379,229 B
/// for the site when it was measured, `node bench/sizes.mjs`).
#[cfg(all(target_arch = "wasm32", not(feature = "import")))]
fn merged(_: &Option<(Vec<Node>, MergeKeys)>, entries: Vec<(Node, Node)>) -> Result<Vec<(Node, Node)>, Error> {
    Ok(entries)
}

/// The merge key of YAML 1.1 (<https://yaml.org/type/merge.html>).
const MERGE_KEY: &str = "<<";

/// A mapping's entries with its merge keys expanded. The merge-key type says that "each of its
/// key/value pairs is inserted into the current mapping, unless the key already exists in it", and
/// that of a list of mappings "keys in mapping nodes earlier in the sequence override keys specified in
/// later mapping nodes" (<https://yaml.org/type/merge.html>). A mapping with two `<<` keys (GitLab's
/// own templates have them) reads as one `<<` whose list holds both values in order.
#[cfg(any(not(target_arch = "wasm32"), feature = "import"))]
fn merge(entries: Vec<(Node, Node)>) -> Result<Vec<(Node, Node)>, Error> {
    if !entries.iter().any(|(k, _)| key_text(k) == MERGE_KEY) {
        return Ok(entries);
    }
    let (merged, mut own): (Vec<_>, Vec<_>) = entries.into_iter().partition(|(k, _)| key_text(k) == MERGE_KEY);
    let mut sources = Vec::new();
    for (_, value) in merged {
        match value.kind {
            NodeKind::Map(_) => sources.push(value),
            NodeKind::Seq(items) => sources.extend(items),
            _ => return Err(syntax(value.mark, "expected a mapping or a list of mappings after `<<`")),
        }
    }
    for source in sources {
        let NodeKind::Map(pairs) = source.kind else {
            return Err(syntax(source.mark, "expected a mapping to merge after `<<`"));
        };
        for (k, v) in pairs {
            if !own.iter().any(|(known, _)| key_text(known) == key_text(&k)) {
                own.push((k, v));
            }
        }
    }
    Ok(own)
}

/// A mapping's entries as Psych builds its Hash (see [`MergeKeys::Psych`]): in document order, each
/// entry overwriting an earlier one of its key in place (Psych has no duplicate-key check: the later
/// key wins), a merged mapping overwriting too.
#[cfg(any(not(target_arch = "wasm32"), feature = "import"))]
fn merge_as_psych(entries: Vec<(Node, Node)>) -> Vec<(Node, Node)> {
    /// The entries so far and where each key is, so that a large mapping costs no scans.
    struct Hash {
        entries: Vec<(Node, Node)>,
        at: HashMap<String, usize>,
    }
    impl Hash {
        fn put(&mut self, k: Node, v: Node) {
            match self.at.get(key_text(&k)) {
                Some(&i) => self.entries[i].1 = v,
                None => {
                    self.at.insert(key_text(&k).to_string(), self.entries.len());
                    self.entries.push((k, v));
                }
            }
        }
    }
    let mut out = Hash { entries: Vec::with_capacity(entries.len()), at: HashMap::with_capacity(entries.len()) };
    for (k, v) in entries {
        if key_text(&k) != MERGE_KEY {
            out.put(k, v);
            continue;
        }
        match v.kind {
            NodeKind::Map(pairs) => pairs.into_iter().for_each(|(k, v)| out.put(k, v)),
            // `val.reverse_each { |value| h.merge! value }`: the first mapping of the list wins.
            NodeKind::Seq(items) if items.iter().all(|i| matches!(i.kind, NodeKind::Map(_))) => {
                let mut merged = Hash { entries: Vec::new(), at: HashMap::new() };
                for item in items.into_iter().rev() {
                    if let NodeKind::Map(pairs) = item.kind {
                        pairs.into_iter().for_each(|(k, v)| merged.put(k, v));
                    }
                }
                merged.entries.into_iter().for_each(|(k, v)| out.put(k, v));
            }
            kind => out.put(k, Node { kind, mark: v.mark }),
        }
    }
    out.entries
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A node as compact text: `{a: 1, b: [x]}`, for comparing trees.
    fn show(node: &Node) -> String {
        match &node.kind {
            NodeKind::Null => "~".into(),
            NodeKind::Scalar { text, .. } => text.clone(),
            NodeKind::Seq(items) => format!("[{}]", items.iter().map(show).collect::<Vec<_>>().join(", ")),
            NodeKind::Map(entries) => format!(
                "{{{}}}",
                entries.iter().map(|(k, v)| format!("{}: {}", show(k), show(v))).collect::<Vec<_>>().join(", ")
            ),
        }
    }

    #[test]
    fn a_stream_gives_every_document_and_one_document_reading_still_refuses_a_second() {
        let text = "a: 1\n---\nb: 2\n---\n";
        let docs = parse_stream(text, MergeKeys::Yaml11).unwrap();
        assert_eq!(docs.iter().map(show).collect::<Vec<_>>(), ["{a: 1}", "{b: 2}", "~"]);
        assert_eq!(docs[1].mark.line, 3);
        let e = parse(text).unwrap_err();
        assert!(e.message.contains("second `---`"), "{e}");
    }

    /// YAML 1.1 merge keys (https://yaml.org/type/merge.html): a key of the mapping itself wins over
    /// a merged one wherever it is written, and of merged mappings the earlier wins.
    #[test]
    fn merge_keys_insert_what_the_mapping_lacks_earlier_sources_first() {
        let text = "base: &b { image: x, stage: test }\nother: &o { stage: deploy, when: manual }\n\
                    job:\n  stage: build\n  <<: [*b, *o]\n";
        let docs = parse_stream(text, MergeKeys::Yaml11).unwrap();
        assert_eq!(show(docs[0].get("job").unwrap()), "{stage: build, image: x, when: manual}");
        // Two `<<` keys read as one list, in order.
        let text = "a: &a { x: 1 }\nb: &b { x: 2, y: 2 }\nj:\n  <<: *a\n  <<: *b\n";
        assert_eq!(show(parse_stream(text, MergeKeys::Yaml11).unwrap()[0].get("j").unwrap()), "{x: 1, y: 2}");
        // A spec (one document) keeps `<<` a plain key, refused as a duplicate the second time.
        assert!(parse("j:\n  <<: 1\n  <<: 2\n").unwrap_err().message.contains("duplicate key `<<`"));
    }

    /// GitLab's reading (Psych's `revive_hash`, read from its source): entries apply in order, each
    /// overwriting; a list of mappings keeps its first; a `<<` of a scalar stays a key.
    #[test]
    fn psych_merges_in_document_order_and_the_later_key_wins() {
        let read = |text: &str| show(parse_stream(text, MergeKeys::Psych).unwrap()[0].get("j").unwrap());
        let anchors = "a: &a { x: 1, y: 1 }\nb: &b { x: 2, z: 2 }\n";
        assert_eq!(read(&format!("{anchors}j:\n  x: 0\n  <<: *a\n")), "{x: 1, y: 1}", "before `<<`: overwritten");
        assert_eq!(read(&format!("{anchors}j:\n  <<: *a\n  x: 0\n")), "{x: 0, y: 1}", "after `<<`: kept");
        assert_eq!(read(&format!("{anchors}j:\n  <<: *a\n  <<: *b\n")), "{x: 2, y: 1, z: 2}", "the second `<<` wins");
        // `reverse_each` merges b then a into an empty hash: x keeps b's place, takes a's value.
        assert_eq!(read(&format!("{anchors}j:\n  <<: [*a, *b]\n")), "{x: 1, z: 2, y: 1}", "in a list the first wins");
        assert_eq!(read("j:\n  <<: 3\n"), "{<<: 3}");
        // A list that is not all mappings cannot be merged (Psych rescues the TypeError): a plain key.
        assert_eq!(read(&format!("{anchors}j:\n  <<: [*a, 3]\n")), "{<<: [{x: 1, y: 1}, 3]}");
        // No duplicate-key check: the later key wins, in the first one's place.
        assert_eq!(read("j:\n  x: 1\n  y: 2\n  x: 3\n"), "{x: 3, y: 2}");
        // YAML 1.1's rules for the same text: the mapping's own key wins wherever it is written.
        let yaml11 = parse_stream(&format!("{anchors}j:\n  x: 0\n  <<: *a\n"), MergeKeys::Yaml11).unwrap();
        assert_eq!(show(yaml11[0].get("j").unwrap()), "{x: 0, y: 1}");
    }

    #[test]
    fn a_merge_of_something_other_than_mappings_is_an_error_at_it() {
        let e = parse_stream("j:\n  <<: 3\n", MergeKeys::Yaml11).unwrap_err();
        assert_eq!(
            (e.mark.map(|m| m.line), e.message.as_str()),
            (Some(2), "expected a mapping or a list of mappings after `<<`")
        );
        let e = parse_stream("j:\n  <<: [ { a: 1 }, x ]\n", MergeKeys::Yaml11).unwrap_err();
        assert!(e.message.contains("expected a mapping to merge"), "{e}");
    }

    #[test]
    fn a_stream_is_bounded_like_one_document() {
        // Each document holds a few nodes, the aliases multiply them: the stream as a whole is bounded.
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..6 {
            let prev = if i == 0 { "a".to_string() } else { format!("l{}", i - 1) };
            text.push_str(&format!("l{i}: &l{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        let e = parse_stream(&text, MergeKeys::Yaml11).unwrap_err();
        assert!(e.message.contains("more than"), "{e}");
        let deep = "a: ".to_string() + &"[".repeat(MAX_DEPTH + 1);
        assert!(parse_stream(&deep, MergeKeys::Yaml11).unwrap_err().message.contains("nesting deeper"));
    }

    #[test]
    fn a_stream_reads_utf16_pairs_in_any_document() {
        let docs = parse_stream("a: 1\n---\nb: \"\\ud83d\\ude80\"\n", MergeKeys::Yaml11).unwrap();
        assert_eq!(docs[1].get("b").and_then(Node::text), Some("\u{1F680}"));
    }
}
