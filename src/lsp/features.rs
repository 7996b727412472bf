//! Hover and code actions. Hover on a field key shows the field's documentation from the model
//! (the text the JSON Schemas carry, [`crate::model::crd::field_doc`]); on a VirtualService's
//! host or gateway reference, what it resolves to in the workspace. Code actions turn the
//! "did you mean" of a finding into a quick fix.

use std::collections::HashMap;
use std::path::Path;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, Hover, HoverContents, MarkupContent,
    MarkupKind, Position, TextEdit, Uri, WorkspaceEdit,
};

use super::text;
use super::workspace::Workspace;
use crate::load::{Node, Source, Span, Value};
use crate::model::host;
use crate::model::kinds::{self, KindInfo};
use crate::model::releases;
use crate::model::schema::Ty;

/// What the cursor is on: a key (with its field path) or a scalar value.
enum Hit<'a> {
    Key(Vec<String>, Span),
    Value(Vec<String>, &'a Node),
}

/// The innermost key or scalar of `node` at byte `offset`; `path` holds the keys down to it
/// (list indices as `[]`).
fn find<'a>(node: &'a Node, offset: u32, path: &mut Vec<String>) -> Option<Hit<'a>> {
    match &node.value {
        Value::Map(entries) => {
            for e in entries {
                if e.key_span.start <= offset && offset <= e.key_span.end {
                    let mut p = path.clone();
                    p.push(e.key.to_string());
                    return Some(Hit::Key(p, e.key_span));
                }
                if e.value.span.start <= offset && offset <= e.value.span.end {
                    path.push(e.key.to_string());
                    return find(&e.value, offset, path);
                }
            }
            None
        }
        Value::Seq(items) => {
            let item = items
                .iter()
                .find(|i| i.span.start <= offset && offset <= i.span.end)?;
            path.push("[]".to_string());
            find(item, offset, path)
        }
        _ => Some(Hit::Value(path.clone(), node)),
    }
}

/// The model's description of the field at `path` (keys, `[]` for list items) of a `ty`.
fn field_at(ty: Ty, path: &[String]) -> Option<String> {
    let (last, parents) = path.split_last()?;
    let mut ty = ty;
    for seg in parents {
        ty = match (ty, seg.as_str()) {
            (Ty::List(item), "[]") => item(),
            (Ty::Map(value), _) => value(),
            (Ty::Struct(d), name) => (d.field(name)?.ty)(),
            _ => return None,
        };
    }
    let Ty::Struct(owner) = ty else { return None };
    let field = owner.field(last)?;
    Some(crate::model::crd::field_doc(owner, field))
}

/// The document of `source` that contains `offset`, parsed.
fn document_at(source: &Source, offset: usize) -> Option<Node> {
    let mut found = None;
    crate::load::yaml::parse_stream(&source.text, 0, |doc| {
        if found.is_none() && (doc.span.start as usize) <= offset && offset <= doc.span.end as usize
        {
            found = doc.root;
        }
    });
    found
}

fn markdown(value: String) -> Hover {
    Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value,
        }),
        range: None,
    }
}

/// `file:line` of a byte offset of a source.
fn place(source: &Source, offset: u32) -> String {
    let (line, _) = source.line_col(offset as usize);
    format!("{}:{line}", source.name)
}

pub fn hover(ws: &Workspace, path: &Path, pos: Position) -> Option<Hover> {
    let source = ws.text(path)?;
    let offset = text::offset(&source.text, pos);
    let root = document_at(source, offset)?;
    let api_version = root.get("apiVersion")?.as_str()?;
    let kind = root.get("kind")?.as_str()?;
    let (group, version) = kinds::split_api_version(api_version);
    let info = kinds::lookup(group, kind)?;
    let mut path_keys = Vec::new();
    match find(&root, u32::try_from(offset).ok()?, &mut path_keys)? {
        Hit::Key(keys, span) => {
            let mut doc = field_at((info.schema?)(), &keys)?;
            let dotted = keys.join(".").replace(".[]", "[]");
            if let Some(m) = releases::field_missing(group, kind, version, &dotted, ws.release) {
                doc.push_str(&format!("\n\nNot in Istio {} ({}).", ws.release, m.since()));
            }
            let mut h = markdown(doc);
            h.range = Some(text::range(
                &source.text,
                span.start as usize,
                span.end as usize,
            ));
            Some(h)
        }
        Hit::Value(keys, node) => {
            let value = node.as_str()?;
            let namespace = root
                .get("metadata")
                .and_then(|m| m.get("namespace"))
                .and_then(Node::as_str)
                .unwrap_or("default");
            let text = reference(ws, info, &keys, value, namespace)?;
            let mut h = markdown(text);
            h.range = Some(text::range(
                &source.text,
                node.span.start as usize,
                node.span.end as usize,
            ));
            Some(h)
        }
    }
}

/// What a VirtualService's host or gateway reference resolves to.
fn reference(
    ws: &Workspace,
    info: &KindInfo,
    keys: &[String],
    value: &str,
    namespace: &str,
) -> Option<String> {
    if info.group != "networking.istio.io" || info.kind != "VirtualService" {
        return None;
    }
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    let is_gateway = matches!(keys.as_slice(), ["spec", "gateways", "[]"])
        || keys.ends_with(&["match", "[]", "gateways", "[]"]);
    let is_host = matches!(keys.as_slice(), ["spec", "hosts", "[]"])
        || keys.ends_with(&["destination", "host"])
        || keys.ends_with(&["mirror", "host"]);
    if is_gateway {
        return Some(gateway(ws, value, namespace));
    }
    if is_host {
        return Some(host_target(ws, value, namespace));
    }
    None
}

fn gateway(ws: &Workspace, value: &str, namespace: &str) -> String {
    if value == "mesh" {
        return "`mesh`: the sidecars of the mesh (every workload the VirtualService is visible to)"
            .to_string();
    }
    let (ns, name) = value.split_once('/').unwrap_or((namespace, value));
    let found = ws.set.objects.iter().find(|o| {
        o.group() == "networking.istio.io"
            && o.kind() == "Gateway"
            && o.name() == name
            && o.namespace() == ns
    });
    match found {
        Some(o) => format!(
            "Gateway `{ns}/{name}` in {}",
            place(&o.loaded.source, o.loaded.offset)
        ),
        None => format!("Gateway `{ns}/{name}`: not in the workspace"),
    }
}

fn host_target(ws: &Workspace, value: &str, namespace: &str) -> String {
    let domain = "cluster.local";
    let fqdn = host::qualify(value, namespace, domain);
    let mut lines = vec![format!("`{value}` → `{fqdn}`")];
    for o in &ws.set.objects {
        match (o.group(), o.kind()) {
            ("", "Service") if host::service_fqdn(o.name(), o.namespace(), domain) == fqdn => {
                lines.push(format!(
                    "- Service `{}/{}` in {}",
                    o.namespace(),
                    o.name(),
                    place(&o.loaded.source, o.loaded.offset)
                ));
            }
            ("networking.istio.io", "ServiceEntry") => {
                let hosts = o
                    .loaded
                    .node
                    .get("spec")
                    .and_then(|s| s.get("hosts"))
                    .map(|h| match &h.value {
                        Value::Seq(items) => items.iter().filter_map(Node::as_str).collect(),
                        _ => Vec::new(),
                    })
                    .unwrap_or_default();
                if hosts
                    .iter()
                    .any(|h| *h == fqdn || host::wildcard_matches(h, &fqdn))
                {
                    lines.push(format!(
                        "- ServiceEntry `{}/{}` in {}",
                        o.namespace(),
                        o.name(),
                        place(&o.loaded.source, o.loaded.offset)
                    ));
                }
            }
            _ => {}
        }
    }
    if lines.len() == 1 {
        lines.push("- no Service or ServiceEntry of the workspace has this host".to_string());
    }
    lines.join("\n")
}

/// Quick fixes for the diagnostics of the request that carry "did you mean" replacements.
pub fn code_actions(
    ws: &Workspace,
    uri: &Uri,
    path: &Path,
    diagnostics: &[lsp_types::Diagnostic],
) -> Vec<CodeActionOrCommand> {
    let Some(source) = ws.text(path) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for d in diagnostics {
        let Some(replacements) = d
            .data
            .as_ref()
            .and_then(|v| v.get("replacements"))
            .and_then(|v| v.as_array())
        else {
            continue;
        };
        let start = text::offset(&source.text, d.range.start);
        let end = text::offset(&source.text, d.range.end);
        let current = source.text.get(start..end).unwrap_or("");
        for r in replacements.iter().filter_map(|r| r.as_str()) {
            // A quoted scalar keeps its quotes.
            let new_text = match current.chars().next() {
                Some(q @ ('"' | '\'')) if current.len() > 1 && current.ends_with(q) => {
                    format!("{q}{r}{q}")
                }
                _ => r.to_string(),
            };
            // `Uri` caches parts of itself; as a key it is only hashed once, here.
            #[allow(clippy::mutable_key_type)]
            let mut changes = HashMap::new();
            changes.insert(uri.clone(), vec![TextEdit::new(d.range, new_text)]);
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: format!("Replace with `{r}`"),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![d.clone()]),
                edit: Some(WorkspaceEdit {
                    changes: Some(changes),
                    document_changes: None,
                    change_annotations: None,
                }),
                command: None,
                is_preferred: Some(replacements.len() == 1),
                disabled: None,
                data: None,
            }));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_documentation_follows_the_path() {
        let vs = kinds::lookup("networking.istio.io", "VirtualService")
            .and_then(|i| i.schema)
            .map(|s| s())
            .expect("VirtualService model");
        let path: Vec<String> = ["spec", "http", "[]", "route", "[]", "destination", "host"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let doc = field_at(vs, &path).unwrap_or_default();
        assert!(
            doc.starts_with("Destination.host: string, required"),
            "{doc}"
        );
        let bad: Vec<String> = ["spec", "nope"].iter().map(|s| s.to_string()).collect();
        assert!(field_at(vs, &bad).is_none());
    }
}
