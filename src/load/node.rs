//! The spanned node tree: every mapping key and every value keeps the byte span it came from,
//! so a field path found by a check can be turned into an exact file location.

use std::fmt::Write as _;

pub use compact_str::CompactString;

/// A byte range in the source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span {
            start: start as u32,
            end: end.max(start) as u32,
        }
    }
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
    pub fn len(&self) -> usize {
        (self.end - self.start) as usize
    }
    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }
    /// Shrinks a multi-line span of `text` to its first line, so a finding about a whole block
    /// underlines the line that opens it.
    pub fn first_line(self, text: &str) -> Span {
        let start = self.start as usize;
        let end = (self.end as usize).min(text.len());
        match text.get(start..end).and_then(|s| s.find(['\n', '\r'])) {
            Some(nl) => Span::new(start, start + nl),
            None => self,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    /// Inline up to 24 bytes: most keys and scalars of a manifest need no allocation.
    Str(CompactString),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: CompactString,
    pub key_span: Span,
    pub value: Node,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub span: Span,
    pub value: Value,
    /// The scalar was written without quotes (its type came from resolution, not from the
    /// author's choice).
    pub plain: bool,
}

impl Node {
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|e| e.key == key).map(|e| &e.value),
            _ => None,
        }
    }

    pub fn entry(&self, key: &str) -> Option<&Entry> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|e| e.key == key),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn kind_name(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Int(_) => "integer",
            Value::Float(_) => "number",
            Value::Str(_) => "string",
            Value::Seq(_) => "array",
            Value::Map(_) => "object",
        }
    }

    /// Converts to JSON the way sigs.k8s.io/yaml does (keys are strings, scalars resolved).
    pub fn to_json(&self) -> serde_json::Value {
        match &self.value {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Int(i) => serde_json::Value::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f)
                .map_or(serde_json::Value::Null, serde_json::Value::Number),
            Value::Str(s) => serde_json::Value::String(s.to_string()),
            Value::Seq(items) => items.iter().map(Node::to_json).collect(),
            Value::Map(entries) => serde_json::Value::Object(
                entries
                    .iter()
                    .map(|e| (e.key.to_string(), e.value.to_json()))
                    .collect(),
            ),
        }
    }

    /// Finds the node a field path points at, or the deepest existing ancestor. Returns the
    /// node, the span to underline (a missing child underlines its parent's key if known) and
    /// whether the path was found whole.
    pub fn locate(&self, path: &str) -> (Span, bool) {
        let mut node = self;
        let mut span = self.span;
        for seg in parse_path(path) {
            let next = match (&seg, &node.value) {
                (Seg::Key(k), Value::Map(entries)) => entries
                    .iter()
                    .find(|e| e.key == k)
                    .map(|e| (e.key_span, &e.value)),
                (Seg::Index(i), Value::Seq(items)) => items.get(*i).map(|n| (n.span, n)),
                _ => None,
            };
            match next {
                Some((key_span, child)) => {
                    node = child;
                    // Scalars and flow values underline the value; block collections underline
                    // the key they hang from, which reads better than a multi-line range.
                    span = if child.span.is_empty() || spans_lines(child) {
                        key_span
                    } else {
                        child.span
                    };
                }
                None => return (span, false),
            }
        }
        (span, true)
    }

    /// Span of the key under which `path` hangs (for "unknown field" style findings).
    pub fn key_span(&self, path: &str) -> Option<Span> {
        let segs = parse_path(path);
        let (last, parents) = segs.split_last()?;
        let mut node = self;
        for seg in parents {
            node = match (seg, &node.value) {
                (Seg::Key(k), Value::Map(entries)) => &entries.iter().find(|e| e.key == k)?.value,
                (Seg::Index(i), Value::Seq(items)) => items.get(*i)?,
                _ => return None,
            };
        }
        match (last, &node.value) {
            (Seg::Key(k), Value::Map(entries)) => {
                entries.iter().find(|e| e.key == k).map(|e| e.key_span)
            }
            (Seg::Index(i), Value::Seq(items)) => items.get(*i).map(|n| n.span),
            _ => None,
        }
    }

    /// Number of nodes in this subtree (used to bound alias expansion).
    pub fn count(&self) -> usize {
        1 + match &self.value {
            Value::Seq(items) => items.iter().map(Node::count).sum(),
            Value::Map(entries) => entries.iter().map(|e| 1 + e.value.count()).sum(),
            _ => 0,
        }
    }
}

fn spans_lines(n: &Node) -> bool {
    matches!(n.value, Value::Map(_) | Value::Seq(_)) && n.span.len() > 80
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// Parses `spec.http[0].route[1].weight` and `metadata.labels["app.kubernetes.io/name"]`.
pub fn parse_path(path: &str) -> Vec<Seg> {
    let mut segs = Vec::new();
    let mut chars = path.chars().peekable();
    let mut cur = String::new();
    while let Some(c) = chars.next() {
        match c {
            '.' => {
                if !cur.is_empty() {
                    segs.push(Seg::Key(std::mem::take(&mut cur)));
                }
            }
            '[' => {
                if !cur.is_empty() {
                    segs.push(Seg::Key(std::mem::take(&mut cur)));
                }
                if chars.peek() == Some(&'"') {
                    chars.next();
                    let mut key = String::new();
                    while let Some(k) = chars.next() {
                        match k {
                            '\\' => {
                                if let Some(n) = chars.next() {
                                    key.push(n);
                                }
                            }
                            '"' => break,
                            _ => key.push(k),
                        }
                    }
                    if chars.peek() == Some(&']') {
                        chars.next();
                    }
                    segs.push(Seg::Key(key));
                } else {
                    let mut num = String::new();
                    for k in chars.by_ref() {
                        if k == ']' {
                            break;
                        }
                        num.push(k);
                    }
                    match num.parse() {
                        Ok(i) => segs.push(Seg::Index(i)),
                        Err(_) => segs.push(Seg::Key(num)),
                    }
                }
            }
            _ => cur.push(c),
        }
    }
    if !cur.is_empty() {
        segs.push(Seg::Key(cur));
    }
    segs
}

/// Appends a map key to a path, quoting keys that are not plain identifiers.
pub fn push_key(path: &mut String, key: &str) {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '$');
    if plain {
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(key);
    } else {
        let _ = write!(path, "[{key:?}]");
    }
}

pub fn push_index(path: &mut String, i: usize) {
    let _ = write!(path, "[{i}]");
}

/// A field path with its list indices (and quoted keys) left out, as schemas and rule tables
/// name fields: `spec.http[2].route[0]` → `spec.http[].route[]`.
pub fn without_indices(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_index = false;
    for c in path.chars() {
        match c {
            '[' => {
                in_index = true;
                out.push('[');
            }
            ']' => {
                in_index = false;
                out.push(']');
            }
            _ if in_index => {}
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_round_trip() {
        assert_eq!(
            parse_path("spec.http[0].route[12].weight"),
            vec![
                Seg::Key("spec".into()),
                Seg::Key("http".into()),
                Seg::Index(0),
                Seg::Key("route".into()),
                Seg::Index(12),
                Seg::Key("weight".into())
            ]
        );
        let mut p = String::from("metadata.labels");
        push_key(&mut p, "app.kubernetes.io/name");
        assert_eq!(p, r#"metadata.labels["app.kubernetes.io/name"]"#);
        assert_eq!(
            parse_path(&p),
            vec![
                Seg::Key("metadata".into()),
                Seg::Key("labels".into()),
                Seg::Key("app.kubernetes.io/name".into())
            ]
        );
    }
}
