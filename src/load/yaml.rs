//! Builds the spanned node tree from granit-parser's event stream, one document at a time.
//! (granit-parser is the maintained saphyr-parser fork that serde-saphyr uses; unlike saphyr it
//! accepts the relaxed flow-collection indentation that go-yaml, and so kubectl, accept.)
//!
//! The builder is where Kubernetes' YAML semantics and meshctl's safety limits live: plain
//! scalars are resolved with go-yaml v2 rules (`resolve`), duplicate mapping keys are errors (as
//! the API server's strict decoding reports them), `<<` merge keys are applied, aliases are
//! expanded up to a budget of nodes and bytes (so a "billion laughs" document fails fast, with
//! a located error, instead of eating memory), and nesting is capped. Events are consumed iteratively, never recursively, so no
//! input can overflow the stack.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use granit_parser::{
    Event, Options, Parser, ScalarStyle, ScanError, Span as PSpan, StructureStyle,
};

use super::line_index::CharMap;
use super::node::{CompactString, Entry, Node, Span, Value};
use super::resolve::resolve_plain;

/// Nesting deeper than this is rejected; real Kubernetes objects stay far below it.
pub const MAX_DEPTH: usize = 128;
/// Nodes that alias expansion may add to one document.
pub const MAX_ALIAS_NODES: usize = 100_000;
/// Bytes that alias expansion may add to one document (measured as the size of the copied
/// values written out as JSON, see [`weight`]): 4 MiB. The API server refuses request bodies
/// over 3 MiB (and etcd stores objects of at most 1.5 MiB), and kubectl sends the expanded
/// object, so a document that expands past this bound could never be applied anyway. Counting
/// nodes alone is not enough: a 60 KB string aliased 90,000 times is few nodes but gigabytes.
pub const MAX_ALIAS_BYTES: usize = 4 << 20;
/// Over a whole stream (one file, or one chunk of a large file), the copies made for aliases and
/// anchors may add at most [`MAX_ALIAS_BYTES`] plus this many times the input's size, and
/// [`MAX_ALIAS_NODES`] plus one node per input byte: this bounds the memory of a file of many
/// small documents that each stay under the per-document limits (and of nested anchors, each
/// of which keeps a copy of its value).
pub const ALIAS_STREAM_FACTOR: usize = 8;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum YamlErrorKind {
    Syntax,
    DuplicateKey,
    AliasLimit,
    TooDeep,
    ComplexKey,
}

#[derive(Debug, Clone, PartialEq)]
pub struct YamlError {
    pub kind: YamlErrorKind,
    pub message: String,
    pub span: Span,
    /// A second place that explains the error (the first occurrence of a duplicate key).
    pub related: Option<Span>,
}

/// One YAML document of a stream.
#[derive(Debug)]
pub struct Document {
    pub root: Option<Node>,
    /// Byte span of the whole document.
    pub span: Span,
    /// Problems that make this document unusable (or partly so); the stream goes on.
    pub errors: Vec<YamlError>,
}

/// An anchored value, kept for the aliases that follow.
enum Anchor {
    Value {
        node: Node,
        nodes: usize,
        bytes: usize,
    },
    /// Keeping a copy would have gone past the stream's budget: aliases of it are errors.
    TooLarge,
}

/// Nodes and approximate JSON size in bytes of a subtree (what a copy of it costs). Iterative,
/// though nesting is bounded anyway.
pub fn weight(node: &Node) -> (usize, usize) {
    let (mut nodes, mut bytes) = (0usize, 0usize);
    let mut todo = vec![node];
    while let Some(n) = todo.pop() {
        nodes += 1;
        bytes = bytes.saturating_add(match &n.value {
            Value::Null | Value::Bool(_) => 5,
            Value::Int(_) | Value::Float(_) => 8,
            Value::Str(s) => s.len() + 3,
            Value::Seq(items) => {
                todo.extend(items);
                2
            }
            Value::Map(entries) => {
                for e in entries {
                    nodes += 1;
                    bytes = bytes.saturating_add(e.key.len() + 4);
                    todo.push(&e.value);
                }
                2
            }
        });
    }
    (nodes, bytes)
}

enum Frame {
    Seq {
        items: Vec<Node>,
        start: usize,
        anchor: usize,
    },
    Map {
        entries: Vec<Entry>,
        key: Option<(CompactString, Span, bool)>,
        /// The pending key was a collection: its value is dropped (already reported).
        bad_key: bool,
        /// A flow mapping without braces (`[a: b]`): a single pair inside a flow sequence.
        implicit_pair: bool,
        merged: Vec<Entry>,
        seen: Option<HashSet<CompactString>>,
        start: usize,
        anchor: usize,
    },
}

struct Builder<'a> {
    text: &'a str,
    base: usize,
    chars: CharMap,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Anchor>,
    alias_nodes: usize,
    alias_bytes: usize,
    /// Copies made for anchors and aliases over the whole stream, and their bounds.
    stream_nodes: usize,
    stream_bytes: usize,
    stream_max_nodes: usize,
    stream_max_bytes: usize,
    /// While > 0, events are being skipped because the document nested too deeply.
    skip_depth: usize,
    skip_start: usize,
    root: Option<Node>,
    errors: Vec<YamlError>,
    /// Build lists and maps without spare capacity (trees kept for a whole run).
    compact: bool,
}

impl<'a> Builder<'a> {
    fn byte(&self, m: &granit_parser::Marker) -> usize {
        match m.byte_offset() {
            Some(b) => self.base + b.min(self.text.len()),
            None => self.base + self.chars.byte(self.text, m.index()),
        }
    }

    fn span(&self, s: &PSpan) -> Span {
        let start = self.byte(&s.start);
        let mut end = self.byte(&s.end).max(start);
        // Block collections end where the next token starts; trim the white space between.
        let bytes = self.text.as_bytes();
        while end > start {
            match bytes.get(end - 1 - self.base) {
                Some(b' ' | b'\n' | b'\r' | b'\t') => end -= 1,
                _ => break,
            }
        }
        Span::new(start, end)
    }

    fn trimmed_end(&self, start: usize, end: usize) -> usize {
        let bytes = self.text.as_bytes();
        let mut end = end.max(start);
        while end > start {
            match bytes.get(end - 1 - self.base) {
                Some(b' ' | b'\n' | b'\r' | b'\t') => end -= 1,
                _ => break,
            }
        }
        end
    }

    fn reset(&mut self) {
        self.stack.clear();
        self.anchors.clear();
        self.alias_nodes = 0;
        self.alias_bytes = 0;
        self.skip_depth = 0;
        self.root = None;
        self.errors = Vec::new();
    }

    fn error(&mut self, kind: YamlErrorKind, message: String, span: Span, related: Option<Span>) {
        self.errors.push(YamlError {
            kind,
            message,
            span,
            related,
        });
    }

    fn open(&mut self, frame: Frame, at: Span) {
        if self.skip_depth > 0 || self.stack.len() >= MAX_DEPTH {
            if self.skip_depth == 0 {
                self.skip_start = at.start as usize;
                self.error(
                    YamlErrorKind::TooDeep,
                    format!("nesting exceeds {MAX_DEPTH} levels"),
                    at,
                    None,
                );
            }
            self.skip_depth += 1;
            return;
        }
        self.stack.push(frame);
    }

    fn close(&mut self, end: usize) {
        if self.skip_depth > 0 {
            self.skip_depth -= 1;
            if self.skip_depth == 0 {
                let s = self.skip_start;
                let span = Span::new(s, self.trimmed_end(s, end));
                self.push(Node {
                    span,
                    value: Value::Null,
                    plain: false,
                });
            }
            return;
        }
        let Some(frame) = self.stack.pop() else {
            return;
        };
        let (value, start, anchor) = match frame {
            Frame::Seq {
                mut items,
                start,
                anchor,
            } => {
                // Kept objects own these trees for the whole run: no spare capacity.
                if self.compact {
                    items.shrink_to_fit();
                }
                (Value::Seq(items), start, anchor)
            }
            Frame::Map {
                mut entries,
                merged,
                start,
                anchor,
                implicit_pair,
                ..
            } => {
                if implicit_pair && let Some(text) = self.colon_suffixed_scalar(&entries) {
                    let node = Node {
                        span: Span::new(start, start + text.len()),
                        value: Value::Str(text.into()),
                        plain: true,
                    };
                    self.finish(node, anchor);
                    return;
                }
                for m in merged {
                    if !entries.iter().any(|e| e.key == m.key) {
                        entries.push(m);
                    }
                }
                if self.compact {
                    entries.shrink_to_fit();
                }
                (Value::Map(entries), start, anchor)
            }
        };
        let node = Node {
            span: Span::new(start, self.trimmed_end(start, end)),
            value,
            plain: false,
        };
        self.finish(node, anchor);
    }

    /// go-yaml (and so kubectl) ends a plain scalar in a flow collection only at `: ` or a flow
    /// indicator, so `[fe80::, x]` holds the string `fe80::`; the YAML 1.2 parser reads
    /// `fe80:` + `:` as a one-pair mapping with an empty value. Recognise that shape and give back
    /// the scalar Kubernetes would see.
    fn colon_suffixed_scalar(&self, entries: &[Entry]) -> Option<String> {
        let [entry] = entries else {
            return None;
        };
        if entry.value.value != Value::Null || !entry.value.span.is_empty() {
            return None;
        }
        let after = (entry.key_span.end as usize).checked_sub(self.base)?;
        let bytes = self.text.as_bytes();
        let raw_key = self
            .text
            .get((entry.key_span.start as usize).checked_sub(self.base)?..after)?;
        let ok = bytes.get(after) == Some(&b':')
            && matches!(bytes.get(after + 1), Some(b',' | b']' | b'}'))
            && !raw_key.starts_with(['"', '\''])
            && !raw_key.contains(char::is_whitespace);
        ok.then(|| format!("{raw_key}:"))
    }

    fn finish(&mut self, node: Node, anchor: usize) {
        if anchor != 0 {
            let (nodes, bytes) = weight(&node);
            let entry = if self.stream_nodes + nodes <= self.stream_max_nodes
                && self.stream_bytes + bytes <= self.stream_max_bytes
            {
                self.stream_nodes += nodes;
                self.stream_bytes += bytes;
                Anchor::Value {
                    node: node.clone(),
                    nodes,
                    bytes,
                }
            } else {
                Anchor::TooLarge
            };
            self.anchors.insert(anchor, entry);
        }
        self.push(node);
    }

    fn push(&mut self, node: Node) {
        if self.skip_depth > 0 {
            return;
        }
        let mut pending_error = None;
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map {
                entries,
                key,
                bad_key,
                merged,
                seen,
                ..
            }) => match key.take() {
                None => match node.value {
                    Value::Str(s) => *key = Some((s, node.span, node.plain)),
                    Value::Null => *key = Some(("null".into(), node.span, node.plain)),
                    Value::Bool(b) => *key = Some((b.to_string().into(), node.span, node.plain)),
                    Value::Int(i) => *key = Some((i.to_string().into(), node.span, node.plain)),
                    Value::Float(f) => *key = Some((f.to_string().into(), node.span, node.plain)),
                    Value::Seq(_) | Value::Map(_) => {
                        // Keep the slot filled so the value that follows is dropped with it.
                        *key = Some((CompactString::default(), node.span, false));
                        *bad_key = true;
                        pending_error = Some((
                            YamlErrorKind::ComplexKey,
                            "mapping keys must be strings, not collections".to_string(),
                            node.span,
                            None,
                        ));
                    }
                },
                Some((k, key_span, plain)) => {
                    if k == "<<" && plain {
                        merge_into(merged, node);
                    } else if std::mem::take(bad_key) {
                        // The value of a rejected complex key.
                    } else {
                        let dup = if entries.len() < 16 {
                            entries.iter().find(|e| e.key == k).map(|e| e.key_span)
                        } else {
                            let set = seen.get_or_insert_with(|| {
                                entries.iter().map(|e| e.key.clone()).collect()
                            });
                            if set.insert(k.clone()) {
                                None
                            } else {
                                entries.iter().find(|e| e.key == k).map(|e| e.key_span)
                            }
                        };
                        match dup {
                            Some(first) => {
                                pending_error = Some((
                                    YamlErrorKind::DuplicateKey,
                                    format!("duplicate key {k:?}"),
                                    key_span,
                                    Some(first),
                                ));
                            }
                            None => {
                                if let Some(set) = seen.as_mut() {
                                    set.insert(k.clone());
                                }
                                entries.push(Entry {
                                    key: k,
                                    key_span,
                                    value: node,
                                })
                            }
                        }
                    }
                }
            },
        }
        if let Some((kind, msg, span, related)) = pending_error {
            self.error(kind, msg, span, related);
        }
    }

    fn scalar(
        &mut self,
        text: Cow<'_, str>,
        style: ScalarStyle,
        tag: Option<String>,
        span: Span,
    ) -> Node {
        let explicit_str = tag.as_deref() == Some("str");
        let value = if style == ScalarStyle::Plain && !explicit_str {
            resolve_plain(&text)
        } else {
            Value::Str(CompactString::from(text))
        };
        Node {
            span,
            value,
            plain: style == ScalarStyle::Plain,
        }
    }

    fn alias(&mut self, id: usize, span: Span) {
        if self.skip_depth > 0 {
            return;
        }
        let over = match self.anchors.get(&id) {
            Some(Anchor::Value { nodes, bytes, .. }) => {
                if self.alias_nodes + nodes > MAX_ALIAS_NODES {
                    Some(format!(
                        "aliases expand to more than {MAX_ALIAS_NODES} nodes"
                    ))
                } else if self.alias_bytes + bytes > MAX_ALIAS_BYTES {
                    Some(format!(
                        "aliases expand to more than {} MiB",
                        MAX_ALIAS_BYTES >> 20
                    ))
                } else if self.stream_nodes + nodes > self.stream_max_nodes
                    || self.stream_bytes + bytes > self.stream_max_bytes
                {
                    Some(format!(
                        "aliases in this file expand to more than {ALIAS_STREAM_FACTOR} times its size"
                    ))
                } else {
                    None
                }
            }
            Some(Anchor::TooLarge) => Some(format!(
                "anchored values in this file are larger than {ALIAS_STREAM_FACTOR} times its size"
            )),
            None => None,
        };
        let node = match (over, self.anchors.get(&id)) {
            (None, Some(Anchor::Value { node, nodes, bytes })) => {
                self.alias_nodes += nodes;
                self.alias_bytes += bytes;
                self.stream_nodes += nodes;
                self.stream_bytes += bytes;
                let mut n = node.clone();
                n.span = span;
                n
            }
            (over, _) => {
                if let Some(why) = over
                    && !self
                        .errors
                        .iter()
                        .any(|e| e.kind == YamlErrorKind::AliasLimit)
                {
                    self.error(
                        YamlErrorKind::AliasLimit,
                        format!("{why} (a \"billion laughs\" document?)"),
                        span,
                        None,
                    );
                }
                Node {
                    span,
                    value: Value::Null,
                    plain: false,
                }
            }
        };
        self.push(node);
    }
}

fn merge_into(merged: &mut Vec<Entry>, node: Node) {
    match node.value {
        Value::Map(entries) => {
            for e in entries {
                if !merged.iter().any(|m| m.key == e.key) {
                    merged.push(e);
                }
            }
        }
        Value::Seq(items) => {
            for item in items {
                merge_into(merged, item);
            }
        }
        _ => {}
    }
}

/// Parses a YAML stream that starts at byte `base` of its file, calling `on_doc` for every
/// document. A syntax error ends the stream (the parser cannot resume after one): the document
/// it occurred in is still delivered, carrying the error.
pub fn parse_stream(text: &str, base: usize, on_doc: impl FnMut(Document)) {
    parse_stream_with(text, base, false, on_doc)
}

/// [`parse_stream`]; with `compact`, lists and maps are built without spare capacity, for
/// trees that are kept (analysis holds every object's tree for the whole run; validate drops
/// each tree once checked and would only pay for the reallocations).
pub fn parse_stream_with(text: &str, base: usize, compact: bool, mut on_doc: impl FnMut(Document)) {
    let mut options = Options::default();
    // meshctl enforces its own, lower nesting limit with a located error; the parser's limits
    // only need to stay above it.
    options.flow_nesting_limit = MAX_DEPTH * 4;
    options.block_nesting_limit = MAX_DEPTH * 4;
    let mut parser = Parser::new_from_str_with_options(text, options);
    let mut b = Builder {
        text,
        base,
        chars: CharMap::new(text),
        stack: Vec::new(),
        anchors: HashMap::new(),
        alias_nodes: 0,
        alias_bytes: 0,
        stream_nodes: 0,
        stream_bytes: 0,
        stream_max_nodes: MAX_ALIAS_NODES.saturating_add(text.len()),
        stream_max_bytes: MAX_ALIAS_BYTES
            .saturating_add(text.len().saturating_mul(ALIAS_STREAM_FACTOR)),
        skip_depth: 0,
        skip_start: 0,
        root: None,
        errors: Vec::new(),
        compact,
    };
    let mut doc_start = base;
    let mut in_doc = false;
    while let Some(next) = parser.next_event() {
        let (event, pspan) = match next {
            Ok(ev) => ev,
            Err(e) => {
                let at = syntax_span(&b, &e);
                b.error(YamlErrorKind::Syntax, syntax_message(&e), at, None);
                let errors = std::mem::take(&mut b.errors);
                on_doc(Document {
                    root: None,
                    span: Span::new(doc_start, at.end as usize),
                    errors,
                });
                return;
            }
        };
        match event {
            Event::StreamStart => {}
            Event::StreamEnd => break,
            Event::DocumentStart(..) => {
                b.reset();
                doc_start = b.byte(&pspan.start);
                in_doc = true;
            }
            Event::DocumentEnd => {
                let end = b.byte(&pspan.end).max(doc_start);
                let end = b.trimmed_end(doc_start, end);
                let root = b.root.take();
                let errors = std::mem::take(&mut b.errors);
                on_doc(Document {
                    root,
                    span: Span::new(doc_start, end),
                    errors,
                });
                in_doc = false;
            }
            Event::Scalar(text, style, anchor, tag) => {
                if b.skip_depth > 0 {
                    continue;
                }
                let span = b.span(&pspan);
                let tag = tag.and_then(|t| t.is_yaml_core_schema().then(|| t.suffix().to_string()));
                let node = b.scalar(text, style, tag, span);
                b.finish(node, anchor);
            }
            Event::Alias(id) => {
                let span = b.span(&pspan);
                b.alias(id, span);
            }
            Event::SequenceStart(_, anchor, _) => {
                let start = b.byte(&pspan.start);
                let at = b.span(&pspan);
                b.open(
                    Frame::Seq {
                        items: Vec::new(),
                        start,
                        anchor,
                    },
                    at,
                );
            }
            Event::MappingStart(style, anchor, _) => {
                let start = b.byte(&pspan.start);
                let at = b.span(&pspan);
                let implicit_pair = style == StructureStyle::Flow && pspan.start == pspan.end;
                b.open(
                    Frame::Map {
                        entries: Vec::new(),
                        key: None,
                        bad_key: false,
                        implicit_pair,
                        merged: Vec::new(),
                        seen: None,
                        start,
                        anchor,
                    },
                    at,
                );
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let end = b.byte(&pspan.end);
                b.close(end);
            }
            // Anchor, comment and unresolved-alias events are off in these options.
            _ => {}
        }
    }
    if in_doc {
        let root = b.root.take();
        let errors = std::mem::take(&mut b.errors);
        let end = base + text.len();
        on_doc(Document {
            root,
            span: Span::new(doc_start, b.trimmed_end(doc_start, end)),
            errors,
        });
    }
}

fn syntax_span(b: &Builder<'_>, e: &ScanError) -> Span {
    let at = b.byte(e.marker());
    // Underline one character (or nothing at the end of the input).
    let len = b
        .text
        .get(at - b.base..)
        .and_then(|r| r.chars().next())
        .map_or(0, char::len_utf8);
    Span::new(at, at + len)
}

fn syntax_message(e: &ScanError) -> String {
    format!("invalid YAML: {}", e.info())
}

/// Splits a large multi-document stream into chunks of about `target` bytes that begin at
/// document-start markers, so they can be parsed in parallel. A `---` at the start of a line is
/// always a document marker in YAML 1.2 (no scalar may contain one), so the split is exact. A
/// stream with directives (`%YAML`, `%TAG`) is not split.
pub fn split_chunks(text: &str, target: usize) -> Vec<(usize, &str)> {
    if text.len() <= target || text.starts_with('%') || text.contains("\n%") {
        return vec![(0, text)];
    }
    let bytes = text.as_bytes();
    let mut chunks = Vec::new();
    let mut start = 0;
    let mut search = target;
    while search < text.len() {
        let Some(rel) = text.get(search..).and_then(|r| r.find("\n---")) else {
            break;
        };
        let marker = search + rel + 1;
        let after = bytes.get(marker + 3).copied();
        if matches!(after, None | Some(b' ' | b'\n' | b'\r' | b'\t')) {
            chunks.push((start, &text[start..marker]));
            start = marker;
            search = marker + target;
        } else {
            search = marker + 3;
        }
    }
    chunks.push((start, &text[start..]));
    chunks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs(text: &str) -> Vec<Document> {
        let mut out = Vec::new();
        parse_stream(text, 0, |d| out.push(d));
        out
    }

    #[test]
    fn spans_point_at_values() {
        let text = "a: 1\nb:\n  c: hello\n";
        let d = docs(text);
        assert_eq!(d.len(), 1);
        let root = d[0].root.as_ref().unwrap();
        let c = root.get("b").unwrap().get("c").unwrap();
        assert_eq!(&text[c.span.range()], "hello");
        let e = root.get("b").unwrap().entry("c").unwrap();
        assert_eq!(&text[e.key_span.range()], "c");
    }

    #[test]
    fn multi_document_and_empty() {
        let d = docs("a: 1\n---\n---\nb: 2\n");
        assert_eq!(d.len(), 3);
        assert!(d[1].root.as_ref().is_none_or(|n| n.value == Value::Null));
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let d = docs("a: 1\nb: 2\na: 3\n");
        assert_eq!(d[0].errors.len(), 1);
        assert_eq!(d[0].errors[0].kind, YamlErrorKind::DuplicateKey);
        assert_eq!(d[0].errors[0].span, Span::new(10, 11));
        assert_eq!(d[0].errors[0].related, Some(Span::new(0, 1)));
    }

    #[test]
    fn merge_keys_and_aliases() {
        let d = docs("base: &b {a: 1, b: 2}\nm:\n  <<: *b\n  b: 3\n");
        let m = d[0].root.as_ref().unwrap().get("m").unwrap();
        assert_eq!(m.get("a").unwrap().value, Value::Int(1));
        assert_eq!(m.get("b").unwrap().value, Value::Int(3));
    }

    #[test]
    fn keys_follow_kubernetes_resolution() {
        // sigs.k8s.io/yaml turns the YAML 1.1 boolean key `y` into the JSON key "true".
        let d = docs("y: 1\n");
        assert!(d[0].root.as_ref().unwrap().get("true").is_some());
    }

    #[test]
    fn billion_laughs_is_bounded() {
        let mut text = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for i in 1..10 {
            let refs = vec![format!("*a{}", i - 1); 10].join(", ");
            text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        let start = std::time::Instant::now();
        let d = docs(&text);
        assert!(
            d[0].errors
                .iter()
                .any(|e| e.kind == YamlErrorKind::AliasLimit)
        );
        assert!(start.elapsed().as_secs() < 5);
    }

    /// Few nodes, many bytes: a 60 KB string aliased 90,000 times would need gigabytes.
    #[test]
    fn alias_bytes_are_bounded() {
        let mut text = format!("a: &s {}\n", "A".repeat(60_000));
        text.push_str(&format!("b: &l [{}]\n", vec!["*s"; 300].join(", ")));
        text.push_str(&format!("c: [{}]\n", vec!["*l"; 300].join(", ")));
        let d = docs(&text);
        let errors: Vec<_> = d[0]
            .errors
            .iter()
            .filter(|e| e.kind == YamlErrorKind::AliasLimit)
            .collect();
        assert_eq!(errors.len(), 1);
        assert!(errors[0].message.contains("4 MiB"), "{}", errors[0].message);
        // Located at the first alias past the limit, inside `b`.
        let at = errors[0].span.start as usize;
        assert_eq!(&text[errors[0].span.range()], "*s");
        assert!(at > text.find("b: ").unwrap_or(0) && at < text.find("c: ").unwrap_or(0));
        let (_, bytes) = weight(d[0].root.as_ref().unwrap());
        assert!(bytes <= 2 * MAX_ALIAS_BYTES + 2 * text.len(), "{bytes}");
    }

    /// Every document stays under the per-document limits, but together they would not.
    #[test]
    fn alias_bytes_are_bounded_per_stream() {
        let doc = format!(
            "a: &s {}\nb: [{}]\n---\n",
            "A".repeat(1000),
            vec!["*s"; 4000].join(", ")
        );
        let text = doc.repeat(20);
        let d = docs(&text);
        assert!(d[0].errors.is_empty());
        assert!(
            d.iter().flat_map(|d| &d.errors).any(
                |e| e.kind == YamlErrorKind::AliasLimit && e.message.contains("times its size")
            )
        );
        let total: usize = d
            .iter()
            .filter_map(|d| d.root.as_ref())
            .map(|r| weight(r).1)
            .sum();
        assert!(total <= MAX_ALIAS_BYTES + ALIAS_STREAM_FACTOR * text.len() + 4 * text.len());
    }

    /// Nested anchors each keep a copy of their value: bounded by the stream budget too.
    #[test]
    fn nested_anchor_copies_are_bounded() {
        let depth = 100;
        let mut text = String::new();
        for i in 0..depth {
            text.push_str(&format!("&a{i} ["));
        }
        text.push_str(&"B".repeat(100_000));
        text.push_str(&"]".repeat(depth));
        text.push('\n');
        let d = docs(&text);
        assert!(d[0].errors.is_empty());
        let wrapped = format!("x: {}y: *a0\n", text);
        let d = docs(&wrapped);
        assert!(
            d[0].errors
                .iter()
                .any(|e| e.kind == YamlErrorKind::AliasLimit)
        );
    }

    #[test]
    fn ordinary_aliases_still_expand() {
        let text = "d: &d {a: 1, b: [x, y]}\nm: [*d, *d]\nn:\n  <<: *d\n  c: 2\n";
        let d = docs(text);
        assert!(d[0].errors.is_empty());
        let m = d[0].root.as_ref().unwrap().get("m").unwrap();
        assert!(matches!(&m.value, Value::Seq(items) if items.len() == 2));
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let text = "[".repeat(10_000) + &"]".repeat(10_000);
        let d = docs(&text);
        assert!(!d[0].errors.is_empty());
        let text = "a:\n".to_string()
            + &(1..300)
                .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
                .collect::<String>();
        let d = docs(&text);
        assert!(d[0].errors.iter().any(|e| e.kind == YamlErrorKind::TooDeep));
    }

    #[test]
    fn collection_keys_are_rejected_and_empty_keys_kept() {
        let d = docs("? [a, b]\n: 1\n\"\": 2\n");
        assert_eq!(d[0].errors[0].kind, YamlErrorKind::ComplexKey);
        let root = d[0].root.as_ref().unwrap();
        assert_eq!(root.get("").unwrap().value, Value::Int(2));
    }

    #[test]
    fn ipv6_in_flow_sequences_reads_like_go_yaml() {
        let text = "a: [1.2.3.4, 001:db8::, fe80::1, {k: v}, x: y]\n";
        let d = docs(text);
        let Value::Seq(items) = &d[0].root.as_ref().unwrap().get("a").unwrap().value else {
            panic!("sequence expected");
        };
        assert_eq!(items[1].value, Value::Str("001:db8::".into()));
        assert_eq!(&text[items[1].span.range()], "001:db8::");
        assert_eq!(items[2].value, Value::Str("fe80::1".into()));
        assert!(matches!(items[3].value, Value::Map(_)));
        assert!(matches!(items[4].value, Value::Map(_)));
    }

    #[test]
    fn syntax_errors_are_located() {
        let d = docs("a: 1\nb: [1, 2\n");
        let e = &d.last().unwrap().errors[0];
        assert_eq!(e.kind, YamlErrorKind::Syntax);
    }

    #[test]
    fn non_ascii_spans_are_bytes() {
        let text = "é: ü\nk: v\n";
        let d = docs(text);
        let root = d[0].root.as_ref().unwrap();
        assert_eq!(&text[root.get("k").unwrap().span.range()], "v");
        assert_eq!(&text[root.get("é").unwrap().span.range()], "ü");
    }

    #[test]
    fn chunks_split_at_document_markers() {
        let text = "a: 1\n---\nb: 2\n---\nc: |\n  ---x\n---\nd: 4\n";
        let chunks = split_chunks(text, 4);
        let joined: String = chunks.iter().map(|(_, c)| *c).collect();
        assert_eq!(joined, text);
        for (off, c) in &chunks {
            assert_eq!(&text[*off..*off + c.len()], *c);
        }
        assert!(chunks.len() >= 3);
    }
}
