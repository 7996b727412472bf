//! The validate pipeline for one source: split into documents (in parallel for large files),
//! recognise each object's kind, walk its schema, run the kind's admission rules, and turn every
//! finding into a located [`Diagnostic`].

use std::sync::Arc;

use rayon::prelude::*;

use super::validate::schema::Walker;
use super::validate::{self, Level};
use super::{Diagnostic, ResourceRef, Severity, suggest};
use crate::load::yaml::{self, YamlError, YamlErrorKind};
use crate::load::{Node, Source, Span, TextProblem, Value};
use crate::model::kinds::{self, KindInfo};
use crate::model::releases::{self, Release};
use crate::store::LoadedObject;

/// What one source produced.
#[derive(Debug, Default)]
pub struct SourceReport {
    pub diagnostics: Vec<Diagnostic>,
    /// Kubernetes objects found (list items counted one by one).
    pub resources: usize,
    /// With [`Collect::Objects`]: every object of a kind meshctl knows, in document order, with
    /// whether validation found an error in it.
    pub objects: Vec<LoadedObject>,
    /// Suppression annotations (`meshctl.dev/suppress`, `galley.istio.io/analyze-suppress`)
    /// found on objects, kept even when the objects are not collected, so `validate` can honour
    /// them without holding every object.
    pub suppressions: Vec<SuppressAnnotation>,
    /// Set when the source is not a Kubernetes manifest at all (a values file, a workflow, a
    /// JSON patch, a Helm template): it was left out, and this says why.
    pub not_manifest: Option<NotManifest>,
    /// Documents that look like Kubernetes objects (they have a `kind` or `metadata`).
    manifests: usize,
    /// Findings on documents that do not look like Kubernetes objects: errors in a manifest
    /// file, dropped when no document of the file looks like one.
    stray: Vec<(Diagnostic, NotManifest)>,
    /// A string value that only a Helm template has (`{{ .Values.x }}`).
    helm_action: bool,
}

/// The annotation meshctl reads on any object: a comma-separated list of codes (or `*`) whose
/// findings on that object are not reported, by `validate` and `analyze` alike.
pub const MESHCTL_SUPPRESS: &str = "meshctl.dev/suppress";
/// The annotation Istio's analyzers honour; `analyze` honours it as istioctl does.
pub const ISTIO_SUPPRESS: &str = "galley.istio.io/analyze-suppress";

/// One suppression annotation on one object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuppressAnnotation {
    /// [`MESHCTL_SUPPRESS`] or [`ISTIO_SUPPRESS`].
    pub annotation: &'static str,
    pub kind: &'static str,
    /// As written; `None` when the object has no namespace.
    pub namespace: Option<String>,
    pub name: String,
    /// The annotation's value: codes separated by commas, or `*`.
    pub codes: String,
}

/// Records the suppression annotations of a known object.
fn record_suppressions(
    node: &Node,
    info: &KindInfo,
    name: Option<&str>,
    namespace: Option<&str>,
    report: &mut SourceReport,
) {
    let Some(annotations) = node.get("metadata").and_then(|m| m.get("annotations")) else {
        return;
    };
    for key in [MESHCTL_SUPPRESS, ISTIO_SUPPRESS] {
        if let Some(Value::Str(codes)) = annotations.get(key).map(|v| &v.value) {
            report.suppressions.push(SuppressAnnotation {
                annotation: key,
                kind: info.kind,
                namespace: namespace.map(str::to_string),
                name: name.unwrap_or_default().to_string(),
                codes: codes.to_string(),
            });
        }
    }
}

/// Why a source was left out as not a Kubernetes manifest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotManifest {
    /// YAML documents without `apiVersion` and `kind` (values files, workflows, compose files).
    NoTypeMeta,
    /// A JSON patch: a list of `{op, path, value}` operations.
    JsonPatch,
    /// A list or scalar document that is not a Kubernetes object.
    NotAnObject,
    /// Go template syntax (`{{ ... }}`) where YAML is expected: a Helm template to render.
    HelmTemplate,
}

impl NotManifest {
    /// The note shown for a file left out for this reason.
    pub fn note(self, file: &str) -> String {
        match self {
            NotManifest::NoTypeMeta => format!(
                "{file}: no document has apiVersion and kind; not a Kubernetes manifest, skipped"
            ),
            NotManifest::JsonPatch => {
                format!("{file}: a JSON patch, not a Kubernetes manifest; skipped")
            }
            NotManifest::NotAnObject => {
                format!("{file}: no document is a Kubernetes object; skipped")
            }
            NotManifest::HelmTemplate => format!(
                "{file}: a Helm template (`{{{{ ... }}}}`); render it first: `helm template CHART | meshctl validate -`"
            ),
        }
    }
}

impl SourceReport {
    fn merge(mut self, other: SourceReport) -> SourceReport {
        self.diagnostics.extend(other.diagnostics);
        self.resources += other.resources;
        self.objects.extend(other.objects);
        self.suppressions.extend(other.suppressions);
        self.manifests += other.manifests;
        self.stray.extend(other.stray);
        self.helm_action |= other.helm_action;
        self
    }

    /// Decides whether the source is a manifest at all, once every document was seen: a file
    /// with Go template syntax that breaks its YAML (or Helm-only values) is a Helm template; a
    /// file none of whose documents looks like a Kubernetes object is not a manifest. Either
    /// way its findings are dropped and `not_manifest` says why. In a manifest, documents that
    /// are not objects stay errors, as `kubectl apply` would report them.
    fn classify(&mut self, text: &str) {
        let broken_yaml = self
            .diagnostics
            .iter()
            .any(|d| matches!(d.code, "MSH0001" | "MSH0007"));
        let helm = text.contains("{{") && (broken_yaml || self.helm_action);
        let reason = if helm {
            Some(NotManifest::HelmTemplate)
        } else if self.manifests == 0 && !self.stray.is_empty() && !broken_yaml {
            self.stray.first().map(|(_, why)| *why)
        } else {
            None
        };
        match reason {
            Some(why) => {
                self.diagnostics.clear();
                self.stray.clear();
                self.objects.clear();
                self.resources = 0;
                self.not_manifest = Some(why);
            }
            None => {
                self.diagnostics
                    .extend(self.stray.drain(..).map(|(d, _)| d));
            }
        }
    }
}

/// Whether a string value is a Helm template action: the whole value is `{{ ... }}` and names
/// something only Helm's rendering provides (other tools use `{{ }}` inside strings too:
/// Prometheus rules, Grafana dashboards, Istio's injection templates).
fn helm_action(s: &str) -> bool {
    let t = s.trim();
    t.starts_with("{{")
        && t.ends_with("}}")
        && !t.contains('\n')
        && [
            ".Values",
            ".Release",
            ".Chart",
            ".Capabilities",
            ".Files",
            "include ",
            "template ",
            "tpl ",
        ]
        .iter()
        .any(|w| t.contains(w))
}

/// Whether any string value under `node` is a Helm template action.
fn has_helm_action(node: &Node) -> bool {
    match &node.value {
        Value::Str(s) => helm_action(s),
        Value::Seq(items) => items.iter().any(has_helm_action),
        Value::Map(entries) => entries.iter().any(|e| has_helm_action(&e.value)),
        _ => false,
    }
}

/// Whether a document looks like a Kubernetes object: a mapping with a `kind` or a `metadata`
/// mapping. Values files, workflows and compose files have neither.
fn looks_like_object(node: &Node) -> bool {
    matches!(node.value, Value::Map(_))
        && (node.get("kind").is_some()
            || node
                .get("metadata")
                .is_some_and(|m| matches!(m.value, Value::Map(_))))
}

/// Whether a list document is a JSON patch: every item a mapping with `op` and `path`.
fn json_patch(items: &[Node]) -> bool {
    !items.is_empty()
        && items
            .iter()
            .all(|i| i.get("op").is_some() && i.get("path").is_some())
}

/// Whether validation also hands back the objects it read (analysis, routing and diff need
/// them; `validate` alone does not, and skips the copies).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Collect {
    Nothing,
    /// Every object with its whole tree (routing, diff, the language server).
    Objects,
    /// Every object typed, its tree dropped where the typed spec holds all that analysis reads
    /// ([`crate::store::LoadedObject::settle`]): what `analyze` holds for a whole run.
    Typed,
}

/// Size above which a file is split at document markers and parsed in parallel.
const CHUNK: usize = 1 << 20;

/// Validates every document of `source`. `problem` is a decoding problem found while reading
/// (binary content, invalid UTF-8); the valid prefix is still validated.
pub fn validate_source(source: &Arc<Source>, problem: Option<TextProblem>) -> SourceReport {
    validate_source_with(source, problem, Collect::Nothing)
}

/// [`validate_source`], optionally collecting the objects read.
pub fn validate_source_with(
    source: &Arc<Source>,
    problem: Option<TextProblem>,
    collect: Collect,
) -> SourceReport {
    validate_source_for(source, problem, collect, releases::DEFAULT)
}

/// [`validate_source_with`] for the Istio `release` the objects are meant for: what that
/// release does not serve is reported (MSH1014).
pub fn validate_source_for(
    source: &Arc<Source>,
    problem: Option<TextProblem>,
    collect: Collect,
    release: Release,
) -> SourceReport {
    let chunks = yaml::split_chunks(&source.text, CHUNK);
    let mut report = if matches!(problem, Some(TextProblem::Binary { .. })) {
        // A binary file is not YAML with a bad byte: its prefix would only produce noise.
        SourceReport::default()
    } else if chunks.len() == 1 {
        validate_chunk(source, 0, &source.text, collect, release)
    } else {
        chunks
            .par_iter()
            .map(|(off, text)| validate_chunk(source, *off, text, collect, release))
            .reduce(SourceReport::default, SourceReport::merge)
    };
    report.classify(&source.text);
    if let Some(p) = problem {
        let (offset, message) = match p {
            TextProblem::Binary { offset } => (
                0,
                format!("binary content (NUL byte at byte {offset}); not a YAML or JSON file"),
            ),
            TextProblem::InvalidUtf8 { offset } => {
                (offset, format!("invalid UTF-8 at byte {offset}"))
            }
        };
        let at = offset.min(source.text.len());
        report.diagnostics.push(
            Diagnostic::of("MSH0005", message)
                .at(source, Span::new(at, at))
                .with_help("Kubernetes manifests must be UTF-8 text; the part before this point was validated"),
        );
    }
    report
}

fn validate_chunk(
    source: &Arc<Source>,
    base: usize,
    text: &str,
    collect: Collect,
    release: Release,
) -> SourceReport {
    let mut report = SourceReport::default();
    let templated = text.contains("{{");
    yaml::parse_stream_with(text, base, collect != Collect::Nothing, |doc| {
        let doc_span = doc.span;
        for e in &doc.errors {
            report.diagnostics.push(yaml_diagnostic(source, e));
        }
        let Some(root) = doc.root else {
            return;
        };
        let fatal = doc
            .errors
            .iter()
            .any(|e| matches!(e.kind, YamlErrorKind::Syntax | YamlErrorKind::AliasLimit));
        if fatal {
            return;
        }
        if templated && !report.helm_action && has_helm_action(&root) {
            report.helm_action = true;
        }
        let first = report.objects.len();
        validate_node(source, &root, "", collect, release, &mut report);
        // The objects kept from this document take their trees out of it instead of copying
        // them (a kept object never holds another: a `List` itself is not kept).
        let mut root = root;
        for o in &mut report.objects[first..] {
            if let Some(tree) = take_object(&mut root, &o.prefix) {
                o.node = tree;
            }
            o.doc = doc_span;
            o.settle(collect == Collect::Typed);
        }
    });
    report
}

/// A stand-in for an object's tree until [`take_object`] moves the tree in.
fn placeholder(node: &Node) -> Node {
    Node {
        span: node.span,
        value: Value::Null,
        plain: false,
    }
}

/// Moves the tree of the object at `prefix` (empty: the document itself; else `items[N]`
/// steps into `List`s) out of the document, leaving null behind.
fn take_object(root: &mut Node, prefix: &str) -> Option<Node> {
    let mut node = root;
    if !prefix.is_empty() {
        for step in prefix.split('.') {
            let i: usize = step
                .strip_prefix("items[")?
                .strip_suffix(']')?
                .parse()
                .ok()?;
            let Value::Map(entries) = &mut node.value else {
                return None;
            };
            let items = entries.iter_mut().find(|e| e.key == "items")?;
            let Value::Seq(list) = &mut items.value.value else {
                return None;
            };
            node = list.get_mut(i)?;
        }
    }
    let stand_in = placeholder(node);
    Some(std::mem::replace(node, stand_in))
}

fn yaml_diagnostic(source: &Arc<Source>, e: &YamlError) -> Diagnostic {
    let code = match e.kind {
        YamlErrorKind::Syntax => "MSH0001",
        YamlErrorKind::DuplicateKey => "MSH0002",
        YamlErrorKind::AliasLimit => "MSH0003",
        YamlErrorKind::TooDeep => "MSH0004",
        YamlErrorKind::ComplexKey => "MSH0007",
    };
    let mut d = Diagnostic::of(code, e.message.clone()).at(source, e.span);
    if let Some(first) = e.related {
        d.related = Some((
            super::Location {
                source: Arc::clone(source),
                span: first,
            },
            "first defined here".to_string(),
        ));
        d.help = Some("remove one of the two; the API server rejects duplicate fields".to_string());
    }
    d
}

/// Validates one document root (or one item of a `List`).
fn validate_node(
    source: &Arc<Source>,
    node: &Node,
    prefix: &str,
    collect: Collect,
    release: Release,
    report: &mut SourceReport,
) {
    let top = prefix.is_empty();
    match &node.value {
        Value::Null => return,
        Value::Map(_) => {}
        other => {
            let d = Diagnostic::of(
                "MSH0006",
                format!(
                    "a Kubernetes object must be a mapping, found {}",
                    node.kind_name()
                ),
            )
            .at(source, node.span.first_line(&source.text))
            .with_path(prefix);
            let objects = matches!(other, Value::Seq(items) if items.iter().any(looks_like_object));
            if top && !objects {
                let why = match other {
                    Value::Seq(items) if json_patch(items) => NotManifest::JsonPatch,
                    _ => NotManifest::NotAnObject,
                };
                report.stray.push((d, why));
            } else {
                report.diagnostics.push(d);
            }
            return;
        }
    }
    if !top || looks_like_object(node) {
        report.manifests += 1;
    }
    let api_version = node.get("apiVersion").and_then(Node::as_str);
    let kind = node.get("kind").and_then(Node::as_str);
    let (Some(api_version), Some(kind)) = (api_version, kind) else {
        let missing = match (api_version, kind) {
            (None, None) => "apiVersion and kind are",
            (None, _) => "apiVersion is",
            _ => "kind is",
        };
        let d = Diagnostic::of("MSH1001", format!("{missing} missing or not a string"))
            .at(source, node.span.first_line(&source.text))
            .with_path(prefix)
            .with_help("every Kubernetes object needs `apiVersion` and `kind`");
        if top && !looks_like_object(node) {
            report.stray.push((d, NotManifest::NoTypeMeta));
        } else {
            report.resources += 1;
            report.diagnostics.push(d);
        }
        return;
    };

    // `kind: List` and typed lists (`ServiceList`, ...) carry their objects in `items`.
    if kind.ends_with("List")
        && let Some(items) = node.get("items")
    {
        if let Value::Seq(list) = &items.value {
            for (i, item) in list.iter().enumerate() {
                let p = format!(
                    "{prefix}{}items[{i}]",
                    if prefix.is_empty() { "" } else { "." }
                );
                validate_node(source, item, &p, collect, release, report);
            }
        }
        return;
    }

    report.resources += 1;
    let meta = node.get("metadata");
    let name = meta.and_then(|m| m.get("name")).and_then(Node::as_str);
    let namespace = meta.and_then(|m| m.get("namespace")).and_then(Node::as_str);
    let resource = Some(ResourceRef {
        api_version: api_version.to_string(),
        kind: kind.to_string(),
        namespace: namespace.map(str::to_string),
        name: name.map(str::to_string),
    });
    let mut out = Vec::new();
    let mut emit = |d: Diagnostic| out.push(d.with_resource(resource.clone()));
    let at = |path: &str| -> Span {
        let (span, _) = node.locate(path);
        span.first_line(&source.text)
    };
    let full = |p: &str| -> String {
        match (prefix.is_empty(), p.is_empty()) {
            (true, _) => p.to_string(),
            (false, true) => prefix.to_string(),
            (false, false) => format!("{prefix}.{p}"),
        }
    };

    let (group, version) = kinds::split_api_version(api_version);
    if let Some(gone) = kinds::removed(group, version, kind) {
        emit(
            Diagnostic::of(
                "MSH1013",
                format!(
                    "{api_version} {kind}: this API was removed in {}",
                    gone.removed_in
                ),
            )
            .at(source, at("apiVersion"))
            .with_path(full("apiVersion"))
            .with_help(format!(
                "a current cluster rejects it (\"no matches for kind\"); use {} instead",
                gone.instead
            )),
        );
        report.diagnostics.extend(out);
        // The object is rejected, but what it describes still takes part in analysis under its
        // current API (the pod template of an old Deployment is still a workload).
        let current = gone.current_group.and_then(|g| kinds::lookup(g, kind));
        if let (Collect::Objects | Collect::Typed, Some(info)) = (collect, current) {
            report.objects.push(LoadedObject {
                source: Arc::clone(source),
                node: placeholder(node),
                prefix: prefix.to_string(),
                info,
                api_version: api_version.to_string(),
                name: name.unwrap_or_default().to_string(),
                namespace: namespace.map(str::to_string),
                rejected: true,
                offset: node.span.start,
                pruned: None,
                doc: node.span,
                spans: None,
                meta: None,
                spec: Default::default(),
            });
        }
        return;
    }
    let Some(info) = kinds::lookup(group, kind) else {
        // In Istio's groups meshctl knows every kind, so anything else is a mistake. Kubernetes
        // groups have kinds meshctl does not list; there only a near miss of a known kind is an
        // error, anything else is reported as not validated.
        let suggestion = suggest(kind, kinds::kinds_in_group(group).map(|k| k.kind));
        let strict = group.ends_with(".istio.io");
        if kinds::is_known_group(group) && (strict || suggestion.is_some()) {
            let help = match suggestion {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!(
                    "{group} has the kinds: {}",
                    kinds::kinds_in_group(group)
                        .map(|k| k.kind)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            let label = if group.is_empty() {
                "the core API group"
            } else {
                group
            };
            emit(
                Diagnostic::of("MSH1002", format!("unknown kind {kind:?} in {label}"))
                    .at(source, at("kind"))
                    .with_path(full("kind"))
                    .with_help(help),
            );
        } else {
            emit(
                Diagnostic::of(
                    "MSH1004",
                    format!("{api_version} {kind} is not a kind meshctl models; not validated"),
                )
                .at(source, at("kind"))
                .with_path(full("kind")),
            );
        }
        report.diagnostics.extend(out);
        return;
    };
    if !info.versions.contains(&version) {
        let served = info
            .versions
            .iter()
            .map(|v| {
                if group.is_empty() {
                    v.to_string()
                } else {
                    format!("{group}/{v}")
                }
            })
            .collect::<Vec<_>>()
            .join(", ");
        emit(
            Diagnostic::of(
                "MSH1003",
                format!("{kind} is not served as {api_version:?}"),
            )
            .at(source, at("apiVersion"))
            .with_path(full("apiVersion"))
            .with_help(format!("use one of: {served}")),
        );
        report.diagnostics.extend(out);
        return;
    }
    let keep =
        |out: &[Diagnostic], report: &mut SourceReport, pruned: Option<serde_json::Value>| {
            if collect != Collect::Nothing {
                report.objects.push(LoadedObject {
                    source: Arc::clone(source),
                    node: placeholder(node),
                    prefix: prefix.to_string(),
                    info,
                    api_version: api_version.to_string(),
                    name: name.unwrap_or_default().to_string(),
                    namespace: namespace.map(str::to_string),
                    rejected: out.iter().any(|d| d.severity == Severity::Error),
                    offset: node.span.start,
                    pruned,
                    doc: node.span,
                    spans: None,
                    meta: None,
                    spec: Default::default(),
                });
            }
        };

    record_suppressions(node, info, name, namespace, report);
    check_metadata(info, node, &mut |path, msg, help| {
        let mut d = Diagnostic::of("MSH1005", msg)
            .at(source, at(path))
            .with_path(full(path));
        d.help = help;
        emit(d);
    });
    if info.is_istio() {
        for d in super::release::check(source, node, info, version, prefix, release) {
            emit(d);
        }
    }

    let Some(schema) = info.schema else {
        keep(&out, report, None);
        report.diagnostics.extend(out);
        return;
    };
    // Fast path: check only, then decode the typed rules' input straight from the tree. When
    // the walk finds problems, walk again building the pruned value the rules then read.
    // Validation sees the object the API server validates: nulls pruned or decoded as Go
    // decodes them, and the Kubernetes defaults that change validity applied.
    let prepared = validate::apiserver::prepare(node, schema(), info);
    let object_node = prepared.as_ref().unwrap_or(node);
    let mut walker = Walker::checking(&source.text, info.decoding);
    let mut path = String::new();
    let accepted = walker
        .walk(object_node, schema(), &mut path, false)
        .is_some();
    let pruned = if walker.findings.is_empty() {
        None
    } else {
        walker = Walker::new(&source.text, info.decoding);
        path.clear();
        walker.walk(object_node, schema(), &mut path, false)
    };
    for f in std::mem::take(&mut walker.findings) {
        let mut d = Diagnostic::of(f.code, f.message)
            .at(source, f.span.first_line(&source.text))
            .with_path(full(&f.path));
        d.help = f.help;
        emit(d);
    }
    let object = match &pruned {
        Some(value) => Some(validate::Obj::Json(value)),
        None if accepted => Some(validate::Obj::Node(object_node)),
        None => None,
    };
    if let Some(object) = object {
        let ns = namespace.unwrap_or("default");
        for f in validate::semantic(info, object, ns) {
            let severity = match f.level {
                Level::Error => Severity::Error,
                Level::Warning => Severity::Warning,
            };
            let mut d = Diagnostic::new(f.code, severity, f.message)
                .at(source, at(&f.path))
                .with_path(full(&f.path));
            d.help = f.help;
            emit(d);
        }
    }
    keep(&out, report, pruned);
    report.diagnostics.extend(out);
}

/// Object names: required (unless `generateName` is set), and valid DNS names; namespaces are
/// DNS labels. Cluster-scoped kinds must not claim a namespace only in the sense that it is
/// ignored, so that is not reported.
fn check_metadata(
    info: &KindInfo,
    node: &Node,
    report: &mut dyn FnMut(&str, String, Option<String>),
) {
    let Some(meta) = node.get("metadata") else {
        report(
            "metadata",
            "metadata.name: Required value".to_string(),
            Some("add `metadata: {name: ...}`".to_string()),
        );
        return;
    };
    match meta.get("name").map(|n| &n.value) {
        Some(Value::Str(name)) => {
            use crate::check::validate::common::{is_k8s_dns_label, is_k8s_dns_subdomain};
            // Services are RFC 1035 labels (they become DNS names), Namespaces RFC 1123
            // labels, everything else RFC 1123 subdomains.
            let (ok, rule, help) = match (info.group, info.kind) {
                ("", "Service") => (
                    is_k8s_dns_label(name) && name.starts_with(|c: char| c.is_ascii_lowercase()),
                    "a lowercase RFC 1035 label",
                    "use lower-case letters, digits and '-', starting with a letter",
                ),
                ("", "Namespace") => (
                    is_k8s_dns_label(name),
                    "a lowercase RFC 1123 label",
                    "use lower-case letters, digits and '-', starting and ending with a letter or digit",
                ),
                _ => (
                    is_k8s_dns_subdomain(name),
                    "a lowercase RFC 1123 subdomain",
                    "use lower-case letters, digits, '-' and '.', starting and ending with a letter or digit",
                ),
            };
            if !ok {
                report(
                    "metadata.name",
                    format!("metadata.name: Invalid value: {name:?}: must be {rule}"),
                    Some(help.to_string()),
                );
            }
        }
        Some(Value::Null) | None => {
            if meta.get("generateName").is_none() {
                report(
                    "metadata",
                    "metadata.name: Required value".to_string(),
                    Some("add `name` under `metadata`".to_string()),
                );
            }
        }
        Some(_) => {}
    }
    if let Some(Value::Str(ns)) = meta.get("namespace").map(|n| &n.value)
        && !crate::check::validate::common::is_k8s_dns_label(ns)
    {
        report(
            "metadata.namespace",
            format!(
                "metadata.namespace: Invalid value: {ns:?}: must be a lowercase RFC 1123 label"
            ),
            None,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Vec<Diagnostic> {
        let src = Source::new("t.yaml", text);
        let mut d = validate_source(&src, None).diagnostics;
        d.sort_by(Diagnostic::output_order);
        d
    }

    #[test]
    fn unknown_kind_in_known_group_suggests() {
        let d =
            run("apiVersion: networking.istio.io/v1\nkind: VirtualServce\nmetadata: {name: a}\n");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, "MSH1002");
        assert_eq!(d[0].help.as_deref(), Some("did you mean `VirtualService`?"));
    }

    #[test]
    fn third_party_kinds_are_info() {
        let d = run("apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: a}\n");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].severity, Severity::Info);
    }

    #[test]
    fn wrong_version_lists_served_ones() {
        let d = run("apiVersion: networking.istio.io/v2\nkind: Gateway\nmetadata: {name: a}\n");
        assert_eq!(d[0].code, "MSH1003");
    }

    #[test]
    fn list_items_are_validated() {
        let d = run(
            "apiVersion: v1\nkind: List\nitems:\n- apiVersion: networking.istio.io/v1\n  kind: VirtualService\n  metadata: {name: a}\n  spec: {hosts: [a], http: [{route: [{destination: {host: a}}]}], htp: []}\n",
        );
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].path.as_deref(), Some("items[0].spec.htp"));
    }

    #[test]
    fn kept_objects_own_their_trees() {
        // Documents, `List` items and nested `List`s: each kept object has its whole tree
        // (moved out of the document, not copied).
        let src = Arc::new(Source::new(
            "t.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: v}\n---\napiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: b}\n- apiVersion: v1\n  kind: List\n  items:\n  - apiVersion: v1\n    kind: Service\n    metadata: {name: c}\n    spec: {ports: [{port: 80}]}\n",
        ));
        let report = validate_source_with(&src, None, Collect::Objects);
        let kept: Vec<(&str, &str, Option<&str>)> = report
            .objects
            .iter()
            .map(|o| {
                let name = o.node.get("metadata").and_then(|m| m.get("name"));
                (
                    o.prefix.as_str(),
                    o.name.as_str(),
                    name.and_then(Node::as_str),
                )
            })
            .collect();
        assert_eq!(
            kept,
            [
                ("", "a", Some("a")),
                ("items[0]", "b", Some("b")),
                ("items[1].items[0]", "c", Some("c")),
            ]
        );
        let svc = &report.objects[2].node;
        assert!(svc.locate("spec.ports[0].port").1);
        assert_eq!(&src.text[svc.span.range()][..11], "apiVersion:");
    }

    #[test]
    fn object_names_follow_each_kinds_dns_rule() {
        let d = run("apiVersion: v1\nkind: Service\nmetadata: {name: 1web}\n");
        assert_eq!(d.iter().filter(|d| d.code == "MSH1005").count(), 1, "{d:?}");
        let d = run("apiVersion: v1\nkind: Namespace\nmetadata: {name: 1web}\n");
        assert!(d.iter().all(|d| d.code != "MSH1005"), "{d:?}");
        let d = run("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a.b-c}\n");
        assert!(d.iter().all(|d| d.code != "MSH1005"), "{d:?}");
        let d = run("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: A_b}\n");
        assert_eq!(d.iter().filter(|d| d.code == "MSH1005").count(), 1, "{d:?}");
    }

    #[test]
    fn nulls_are_read_as_the_api_server_reads_them() {
        // Pruned by the API server (non-nullable fields without a default), so accepted.
        let d = run(
            "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: a}\nspec:\n  hosts: [a]\n  http:\n  - timeout:\n    route:\n    - destination: {host: a, subset: null}\n---\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: a}\nspec: {host: a, subsets: null}\n---\napiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: a}\nspec: {mtls: null}\n",
        );
        assert!(d.is_empty(), "{d:?}");
        // Nulls in lists are kept, and rejected.
        let d = run(
            "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: a}\nspec:\n  hosts: [a]\n  http:\n  - match: [null]\n    route: [{destination: {host: a}}]\n",
        );
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].code, "MSH1007");
        assert_eq!(d[0].path.as_deref(), Some("spec.http[0].match[0]"));
        // A built-in list item that is null is the zero value: a Service port 0.
        let d = run("apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec:\n  ports: [null]\n");
        assert!(
            d.iter()
                .any(|d| d.path.as_deref() == Some("spec.ports[0].port")),
            "{d:?}"
        );
    }

    #[test]
    fn kubernetes_defaults_apply_before_validation() {
        let d = run(
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  volumes:\n  - name: data\n    emptyDir:\n  containers:\n  - name: c\n    image: nginx\n    imagePullPolicy: \"\"\n    livenessProbe: {exec: {command: [x]}, successThreshold: 0}\n",
        );
        assert!(d.is_empty(), "{d:?}");
        // Two host-network ports that default to the same hostPort collide.
        let d = run(
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostNetwork: true\n  containers:\n  - {name: a, image: i, ports: [{containerPort: 80}]}\n  - {name: b, image: i, ports: [{containerPort: 80}]}\n",
        );
        assert!(
            d.iter().any(|d| d.message.contains("Duplicate value")),
            "{d:?}"
        );
    }

    #[test]
    fn an_empty_destination_subset_is_unset() {
        let d = run(
            "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: a}\nspec:\n  hosts: [a]\n  http:\n  - route: [{destination: {host: a, subset: \"\"}}]\n",
        );
        assert!(d.is_empty(), "{d:?}");
    }

    #[test]
    fn non_objects_and_missing_type() {
        // In a manifest, documents that are not objects are errors, as kubectl reports them.
        let d = run(
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n- a\n- b\n---\nfoo: bar\n---\nmetadata: {name: b}\n",
        );
        let codes: Vec<&str> = d.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["MSH0006", "MSH1001", "MSH1001"], "{d:?}");
    }

    fn classify(text: &str) -> (Option<NotManifest>, usize) {
        let r = validate_source(&Source::new("t.yaml", text), None);
        (r.not_manifest, r.diagnostics.len())
    }

    #[test]
    fn files_that_are_not_manifests() {
        // A values file, a workflow, Chart.yaml: no document has a kind or metadata.
        assert_eq!(
            classify("replicaCount: 1\nimage: {repository: nginx}\n"),
            (Some(NotManifest::NoTypeMeta), 0)
        );
        assert_eq!(
            classify("apiVersion: v2\nname: chart\nversion: 0.1.0\n"),
            (Some(NotManifest::NoTypeMeta), 0)
        );
        assert_eq!(
            classify("on: [push]\njobs: {build: {runs-on: ubuntu-latest}}\n"),
            (Some(NotManifest::NoTypeMeta), 0)
        );
        assert_eq!(
            classify("- op: replace\n  path: /spec/replicas\n  value: 3\n"),
            (Some(NotManifest::JsonPatch), 0)
        );
        // Helm templates: broken YAML with template syntax, or Helm-only values.
        assert_eq!(
            classify(
                "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n{{- if .Values.x }}\n"
            ),
            (Some(NotManifest::HelmTemplate), 0)
        );
        assert_eq!(
            classify(
                "apiVersion: v1\nkind: Service\nmetadata:\n  name: \"{{ include \\\"x.fullname\\\" . }}\"\n"
            ),
            (Some(NotManifest::HelmTemplate), 0)
        );
        // `{{ }}` inside a string of a real manifest (dashboards, alert texts) is not Helm.
        let (why, _) = classify(
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: dash}\ndata:\n  a: \"{{pod}}\"\n  b: |\n    {{ .Values.x }}\n    more\n",
        );
        assert_eq!(why, None);
        // A manifest that lacks its kind is still an error, not a skipped file.
        let (why, n) = classify("apiVersion: v1\nmetadata: {name: a}\n");
        assert_eq!((why, n), (None, 1));
        // A list of objects is a manifest mistake, not a file to skip.
        let (why, n) = classify("- apiVersion: v1\n  kind: Service\n");
        assert_eq!((why, n), (None, 1));
    }
}
