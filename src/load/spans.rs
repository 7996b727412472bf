//! A spanned tree without its values: every node's span and, for map entries, where the key is
//! written, in one flat list (12 bytes a node; the tree takes 80 and more). It answers
//! [`Node::locate`] for an object whose tree was dropped once decoded, reading keys from the
//! source text instead of holding copies of them.

use super::node::{Node, Seg, Span, Value, parse_path};

const MAP: u8 = 1;
const SEQ: u8 = 2;
/// The key is written in quotes: its text is inside them.
const QUOTED: u8 = 4;

#[derive(Debug, Clone, Copy)]
struct Entry {
    start: u32,
    len: u16,
    /// Where the key of a map entry is written (the whole key, quotes included), counted back
    /// from the node's start.
    key_back: u16,
    /// Number of nodes in this one's subtree, itself included (the next sibling is that far).
    size: u16,
    key_len: u8,
    flags: u8,
}

impl Entry {
    fn span(&self) -> Span {
        Span::new(self.start as usize, self.start as usize + self.len as usize)
    }
    fn key_span(&self) -> Span {
        let start = self.start as usize - self.key_back as usize;
        Span::new(start, start + self.key_len as usize)
    }
}

/// See the module documentation. Built with [`SpanTable::of`] from the tree and the source text
/// its spans point into.
#[derive(Debug, Clone)]
pub struct SpanTable {
    nodes: Box<[Entry]>,
}

impl SpanTable {
    /// The table of `node`, or `None` when one of its keys is not written as itself in `text`
    /// (an escaped key) or is not before its value, or the object is
    /// too large for the table's widths (a node over 64 KiB, a key over 255 bytes, a subtree of
    /// over 65,535 nodes): then the tree is needed.
    pub fn of(node: &Node, text: &str) -> Option<SpanTable> {
        let mut nodes = Vec::with_capacity(node.count());
        push(node, None, text, &mut nodes)?;
        Some(SpanTable {
            nodes: nodes.into_boxed_slice(),
        })
    }

    /// What [`Node::locate`] answers on the tree this table was built from: the span to
    /// underline for `path` (its deepest existing ancestor's when not found whole) and whether
    /// it was found whole. `text` is the source text the table was built with.
    pub fn locate(&self, path: &str, text: &str) -> (Span, bool) {
        let Some(root) = self.nodes.first() else {
            return (Span::default(), false);
        };
        let mut at = 0usize;
        let mut span = root.span();
        for seg in parse_path(path) {
            let node = &self.nodes[at];
            let next = match seg {
                Seg::Key(k) if node.flags & MAP != 0 => self
                    .children(at)
                    .find(|&c| self.key(c, text) == Some(k.as_str())),
                Seg::Index(i) if node.flags & SEQ != 0 => self.children(at).nth(i),
                _ => None,
            };
            let Some(child) = next else {
                return (span, false);
            };
            let c = &self.nodes[child];
            // As `Node::locate`: block collections underline the key they hang from.
            let collection = c.flags & (MAP | SEQ) != 0;
            span = if c.len == 0 || (collection && c.len > 80) {
                match node.flags & MAP {
                    0 => c.span(),
                    _ => c.key_span(),
                }
            } else {
                c.span()
            };
            at = child;
        }
        (span, true)
    }

    /// Indices of the children of node `at`, in order.
    fn children(&self, at: usize) -> impl Iterator<Item = usize> + '_ {
        let end = at + self.nodes[at].size as usize;
        let mut next = at + 1;
        std::iter::from_fn(move || {
            if next >= end {
                return None;
            }
            let here = next;
            next = here + self.nodes[here].size as usize;
            Some(here)
        })
    }

    /// The key of map entry `at`, as written.
    fn key<'t>(&self, at: usize, text: &'t str) -> Option<&'t str> {
        let n = &self.nodes[at];
        let key = n.key_span();
        let (mut start, mut len) = (key.start as usize, key.len());
        if n.flags & QUOTED != 0 {
            start += 1;
            len = len.saturating_sub(2);
        }
        text.get(start..start + len)
    }
}

/// Appends `node` (the value of a map entry whose key is `key`, if any) and its subtree in
/// pre-order.
fn push(node: &Node, key: Option<(&str, Span)>, text: &str, out: &mut Vec<Entry>) -> Option<()> {
    let mut flags = match node.value {
        Value::Map(_) => MAP,
        Value::Seq(_) => SEQ,
        _ => 0,
    };
    let (key_back, key_len) = match key {
        None => (0, 0),
        Some((k, span)) => {
            let written = text.get(span.range())?;
            if written != k {
                let quoted = written.len() == k.len() + 2
                    && ((written.starts_with('"') && written.ends_with('"'))
                        || (written.starts_with('\'') && written.ends_with('\'')))
                    && &written[1..written.len() - 1] == k;
                if !quoted {
                    return None;
                }
                flags |= QUOTED;
            }
            let back = node.span.start.checked_sub(span.start)?;
            (u16::try_from(back).ok()?, u8::try_from(span.len()).ok()?)
        }
    };
    let at = out.len();
    out.push(Entry {
        start: node.span.start,
        len: u16::try_from(node.span.len()).ok()?,
        key_back,
        size: 0,
        key_len,
        flags,
    });
    match &node.value {
        Value::Map(entries) => {
            for e in entries {
                push(&e.value, Some((&e.key, e.key_span)), text, out)?;
            }
        }
        Value::Seq(items) => {
            for item in items {
                push(item, None, text, out)?;
            }
        }
        _ => {}
    }
    out[at].size = u16::try_from(out.len() - at).ok()?;
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Node {
        let mut root = None;
        crate::load::yaml::parse_stream(text, 0, |d| {
            if root.is_none() {
                root = d.root;
            }
        });
        root.expect("a document")
    }

    #[test]
    fn locates_every_path_as_the_tree_does() {
        let text = "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: r\n  labels: {\"app.kubernetes.io/name\": r, 'q': x}\nspec:\n  hosts: [r, \"s\"]\n  http:\n  - name: one\n    match:\n    - headers:\n        \"x-canary\":\n          exact: \"true\"\n      uri: {prefix: /a}\n    route:\n    - destination:\n        host: r\n        port: {number: 80}\n      weight: 100\n  - route: []\n    timeout:\n  - {}\n";
        let tree = parse(text);
        let table = SpanTable::of(&tree, text).expect("literal keys");
        let paths = [
            "",
            "kind",
            "metadata",
            "metadata.name",
            "metadata.labels[\"app.kubernetes.io/name\"]",
            "metadata.labels.q",
            "spec.hosts[1]",
            "spec.hosts[2]",
            "spec.http",
            "spec.http[0]",
            "spec.http[0].match[0].headers[\"x-canary\"].exact",
            "spec.http[0].match[0].uri.prefix",
            "spec.http[0].route[0].destination.port.number",
            "spec.http[0].route[0].weight",
            "spec.http[0].route[0].weight.deeper",
            "spec.http[1].route",
            "spec.http[1].timeout",
            "spec.http[2]",
            "spec.http[3]",
            "spec.tcp[0]",
            "status",
        ];
        for p in paths {
            assert_eq!(table.locate(p, text), tree.locate(p), "{p}");
        }
        // One entry of 12 bytes per node (a tree's entry is 80 bytes and more).
        assert_eq!(table.nodes.len(), 33);
        assert_eq!(std::mem::size_of::<Entry>(), 12);
    }

    #[test]
    fn keys_not_written_as_themselves_need_the_tree() {
        let text = "a:\n  \"x\\u0041\": 1\n";
        let tree = parse(text);
        assert!(SpanTable::of(&tree, text).is_none());
        // Aliases and merge keys: where the tree says their fields are.
        let text = "a: &x {b: 1}\nc: *x\nd:\n  <<: *x\n  e: 2\n";
        let tree = parse(text);
        let table = SpanTable::of(&tree, text).expect("literal keys");
        for p in ["a.b", "c", "c.b", "d.b", "d.e", "d.f"] {
            assert_eq!(table.locate(p, text), tree.locate(p), "{p}");
        }
        let big = format!("a: \"{}\"\n", "x".repeat(70_000));
        assert!(SpanTable::of(&parse(&big), &big).is_none());
        let plain = "a: {b: 1}\n";
        assert!(SpanTable::of(&parse(plain), plain).is_some());
    }
}
