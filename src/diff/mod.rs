//! `meshctl diff`: a semantic diff of two config sets. Resources are matched by identity
//! (API group, kind, namespace, name), compared after normalisation (key order, formatting,
//! comments, quoting and meaningless or defaulted fields do not count; list order does), and
//! reported as added, removed or changed, with the changed field paths and a unified diff of the
//! normalised YAML. [`traffic`] adds what a change does to routing.
//!
//! Loading is built for large inputs: documents are split on their `---` markers and a
//! document whose text occurs unchanged on the other side is matched by its text alone, without
//! parsing; only the remaining documents are parsed and normalised.

pub mod findings;
pub mod render;
pub mod traffic;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::Error;
use crate::load::node::{Seg, parse_path, push_index, push_key};
use crate::load::{self, InputSpec, Node, Source};
use crate::model::kinds;

pub use crate::store::ObjectId;

/// Where a resource was read: `file:line`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Origin {
    pub file: String,
    /// `None` for objects read from a cluster (the text is meshctl's, not the user's).
    pub line: Option<usize>,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}", self.file),
            None => f.write_str(&self.file),
        }
    }
}

/// One parsed, normalised resource.
#[derive(Debug, Clone)]
pub struct Resource {
    pub id: ObjectId,
    /// The normalised object the comparison uses (keys sorted, meaningless and defaulted
    /// fields removed, lists Istio treats as sets sorted).
    pub value: Value,
    /// The object as written, for display: server-owned metadata and ignored fields removed,
    /// but defaults and list order kept, so that what is shown is what the user wrote.
    pub shown: Value,
    pub origin: Origin,
    /// Where it was read: the document (index into the side's parsed documents) and the
    /// resource's position among the document's resources (`List` items).
    at: (usize, usize),
    /// A hash of the normalised value with sets sorted: equal for resources of the same meaning.
    fingerprint: u128,
}

/// One side of a diff as read: the texts, and the documents that need parsing.
#[derive(Debug, Default)]
pub struct Side {
    pub sources: Vec<Arc<Source>>,
    /// Files of a directory walk that were not YAML or JSON.
    pub skipped: Vec<String>,
}

/// Options of a diff.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Field paths removed from both sides before comparing (`metadata.annotations`,
    /// `spec.http[*].timeout`); `*` matches every key or list item.
    pub ignore: Vec<Vec<Seg>>,
    /// The namespace of namespaced objects written without one (`default` when `None`; the
    /// context's or `-n`'s namespace against a cluster).
    pub default_namespace: Option<String>,
}

impl Options {
    /// Parses `--ignore-field` values.
    pub fn with_ignored(paths: &[String]) -> Result<Options, Error> {
        let mut ignore = Vec::new();
        for p in paths {
            let segs = parse_path(p.trim());
            if segs.is_empty() {
                return Err(Error::Usage(format!(
                    "--ignore-field {p:?}: expected a field path such as metadata.annotations"
                )));
            }
            ignore.push(segs);
        }
        Ok(Options {
            ignore,
            default_namespace: None,
        })
    }
}

/// How a resource differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    Removed,
    Added,
    Changed,
    /// A resource removed and one added that differ only in name (the same namespace).
    Renamed,
    /// A resource removed and one added that differ only in namespace (and maybe name).
    Moved,
    /// A list whose items are the same, in another order (field changes only).
    Reordered,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Removed => "removed",
            ChangeKind::Added => "added",
            ChangeKind::Changed => "changed",
            ChangeKind::Renamed => "renamed",
            ChangeKind::Moved => "moved",
            ChangeKind::Reordered => "reordered",
        }
    }
}

/// One changed field of a changed resource.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldChange {
    pub path: String,
    pub change: ChangeKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<Value>,
}

/// One resource that differs.
#[derive(Debug, Clone)]
pub struct ResourceChange {
    pub id: ObjectId,
    pub change: ChangeKind,
    pub old: Option<Resource>,
    pub new: Option<Resource>,
    /// Changed field paths (changed resources only).
    pub fields: Vec<FieldChange>,
}

/// The resource diff of two config sets.
#[derive(Debug, Default)]
pub struct ResourceDiff {
    /// Sorted by identity.
    pub changes: Vec<ResourceChange>,
    pub unchanged: usize,
    /// Resources on the old and new side.
    pub old_total: usize,
    pub new_total: usize,
    /// Things the user should know (duplicate identities, documents that are not objects).
    pub warnings: Vec<String>,
}

impl ResourceDiff {
    pub fn count(&self, kind: ChangeKind) -> usize {
        self.changes.iter().filter(|c| c.change == kind).count()
    }
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

/// Reads one side: every file the inputs name. Unreadable input is an environment error;
/// text that is not UTF-8 or is binary too (exit 3), since nothing sensible can be compared.
pub fn read_side(inputs: &[InputSpec]) -> Result<Side, Error> {
    let found = load::discover(inputs)?;
    let sources: Vec<Result<Arc<Source>, Error>> = found
        .files
        .par_iter()
        .map(|f| {
            let (source, problem) = load::read(f)?;
            match problem {
                None => Ok(source),
                Some(p) => {
                    let offset = match p {
                        load::TextProblem::Binary { offset }
                        | load::TextProblem::InvalidUtf8 { offset } => offset,
                    };
                    Err(unreadable(
                        &source.name,
                        format!("not UTF-8 text (byte {offset})"),
                    ))
                }
            }
        })
        .collect();
    Ok(Side {
        sources: sources.into_iter().collect::<Result<_, _>>()?,
        skipped: found
            .skipped
            .iter()
            .map(|p| p.display().to_string())
            .collect(),
    })
}

fn unreadable(file: &str, message: String) -> Error {
    Error::Read {
        path: file.to_string(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidData, message),
    }
}

/// One document's text within its source.
struct Doc<'a> {
    source: &'a Arc<Source>,
    offset: usize,
    text: &'a str,
}

impl Doc<'_> {
    /// Nothing but blank lines, comments and markers.
    fn blank(&self) -> bool {
        self.text.lines().all(|l| {
            let t = l.trim();
            t.is_empty() || t.starts_with('#') || t == "---" || t == "..."
        })
    }
}

/// Splits a source into documents at `---` markers (a `---` at the start of a line always
/// starts a document). A stream with directives (`%YAML`, `%TAG`) stays whole.
fn documents(source: &Arc<Source>) -> Vec<Doc<'_>> {
    let text = source.text.as_str();
    let whole = |t: &'_ str| t.starts_with('%') || t.contains("\n%");
    if whole(text) {
        return vec![Doc {
            source,
            offset: 0,
            text,
        }];
    }
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut search = 0;
    loop {
        let found = if search == 0 && text.starts_with("---") {
            Some(0)
        } else {
            text.get(search..)
                .and_then(|r| r.find("\n---"))
                .map(|i| search + i + 1)
        };
        let Some(marker) = found else { break };
        let after = bytes.get(marker + 3).copied();
        if matches!(after, None | Some(b' ' | b'\n' | b'\r' | b'\t')) {
            if marker > start {
                out.push(Doc {
                    source,
                    offset: start,
                    text: &text[start..marker],
                });
            }
            start = marker;
        }
        search = marker + 3;
    }
    out.push(Doc {
        source,
        offset: start,
        text: &text[start..],
    });
    out
}

/// The part of a document's text that decides its content: without its `---` marker line and
/// surrounding blank space, so a document at the top of a file equals the same document after
/// a marker.
fn content_key(doc: &str) -> &str {
    let mut t = doc;
    if let Some(rest) = t.strip_prefix("---") {
        match rest.find('\n') {
            Some(nl) if rest[..nl].trim().is_empty() => t = &rest[nl + 1..],
            None if rest.trim().is_empty() => t = "",
            _ => {}
        }
    }
    // Leading spaces are part of the first line's indentation; only blank lines go.
    t.trim_start_matches(['\n', '\r']).trim_end()
}

/// Compares two sides.
pub fn diff(old: &Side, new: &Side, opts: &Options) -> Result<ResourceDiff, Error> {
    let old_docs: Vec<Doc<'_>> = old.sources.iter().flat_map(documents).collect();
    let new_docs: Vec<Doc<'_>> = new.sources.iter().flat_map(documents).collect();

    // Text-identical documents are equal whatever file they are in: match them as a multiset
    // and parse only the rest. Documents with nothing but comments hold no object.
    let mut counts: HashMap<&str, usize> = HashMap::with_capacity(old_docs.len());
    for d in old_docs.iter().filter(|d| !d.blank()) {
        *counts.entry(content_key(d.text)).or_default() += 1;
    }
    let mut new_rest = Vec::new();
    let mut identical = 0usize;
    for d in new_docs.iter().filter(|d| !d.blank()) {
        match counts.get_mut(content_key(d.text)) {
            Some(n) if *n > 0 => {
                *n -= 1;
                identical += 1;
            }
            _ => new_rest.push(d),
        }
    }
    let mut old_rest = Vec::new();
    for d in old_docs.iter().filter(|d| !d.blank()) {
        if let Some(n) = counts.get_mut(content_key(d.text))
            && *n > 0
        {
            *n -= 1;
            old_rest.push(d);
        }
    }

    // The other documents are parsed twice: first to a fingerprint per resource (nothing of
    // the objects is kept), then, for the documents holding a resource whose meaning changed
    // (or that was added, removed or defined twice), fully. Memory then follows the change,
    // not the input.
    let mut warnings = Vec::new();
    let old_light = parse_docs(&old_rest, opts, Keep::Fingerprint, &mut warnings)?;
    let new_light = parse_docs(&new_rest, opts, Keep::Fingerprint, &mut warnings)?;
    let (old_need, new_need, same) = unchanged_by_fingerprint(&old_light, &new_light);
    let (old_light_total, new_light_total) = (old_light.len(), new_light.len());
    drop((old_light, new_light));
    let mut ignored = Vec::new();
    let old_res = materialise(&old_rest, &old_need, opts, &mut ignored)?;
    let new_res = materialise(&new_rest, &new_need, opts, &mut ignored)?;
    let mut out = compare(old_res, new_res, &mut warnings);
    // Identical documents count as unchanged resources (a `List` counts once), as do
    // resources whose fingerprints agree.
    out.unchanged += identical + same;
    out.old_total = old_light_total + identical;
    out.new_total = new_light_total + identical;
    out.warnings = warnings;
    Ok(out)
}

/// Parses and normalises documents in parallel. A YAML syntax error makes the input
/// unreadable (exit 3).
fn parse_docs(
    docs: &[&Doc<'_>],
    opts: &Options,
    keep: Keep,
    warnings: &mut Vec<String>,
) -> Result<Vec<Resource>, Error> {
    parse_some(docs, (0..docs.len()).collect(), opts, keep, warnings)
}

/// What parsing keeps of each resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Keep {
    /// Identity, origin and fingerprint; `value` and `shown` are left null.
    Fingerprint,
    /// Everything.
    Full,
}

/// Parses documents `which` of `docs` (indices into `docs`, so positions stay those of the
/// whole side).
fn parse_some(
    docs: &[&Doc<'_>],
    which: Vec<usize>,
    opts: &Options,
    keep: Keep,
    warnings: &mut Vec<String>,
) -> Result<Vec<Resource>, Error> {
    type Parsed = Result<(Vec<Resource>, Vec<String>), Error>;
    let parsed: Vec<Parsed> = which
        .par_iter()
        .map(|&index| {
            let d = docs[index];
            let mut res = Vec::new();
            let mut warn = Vec::new();
            let mut failure = None;
            load::yaml::parse_stream(d.text, d.offset, |doc| {
                if failure.is_some() {
                    return;
                }
                if let Some(e) = doc.errors.first() {
                    let (line, col) = d.source.line_col(e.span.start as usize);
                    failure = Some(unreadable(
                        &d.source.name,
                        format!("line {line}, column {col}: {}", e.message),
                    ));
                    return;
                }
                if let Some(root) = doc.root {
                    let from = res.len();
                    collect(d.source, &root, opts, keep, &mut res, &mut warn);
                    for (n, r) in res[from..].iter_mut().enumerate() {
                        r.at = (index, from + n);
                    }
                }
            });
            match failure {
                Some(e) => Err(e),
                None => Ok((res, warn)),
            }
        })
        .collect();
    let mut out = Vec::new();
    for p in parsed {
        let (res, warn) = p?;
        out.extend(res);
        warnings.extend(warn);
    }
    Ok(out)
}

/// Turns a document root into resources (`List`s into their items).
fn collect(
    source: &Arc<Source>,
    node: &Node,
    opts: &Options,
    keep: Keep,
    out: &mut Vec<Resource>,
    warnings: &mut Vec<String>,
) {
    if matches!(node.value, load::Value::Null) {
        return;
    }
    let (line, _) = source.line_col(node.span.start as usize);
    let origin = Origin {
        file: source.name.clone(),
        line: (source.origin == load::Origin::File).then_some(line),
    };
    let api_version = node.get("apiVersion").and_then(Node::as_str);
    let kind = node.get("kind").and_then(Node::as_str);
    let (Some(api_version), Some(kind)) = (api_version, kind) else {
        warnings.push(format!(
            "{origin}: not a Kubernetes object (no apiVersion and kind); not compared"
        ));
        return;
    };
    if kind.ends_with("List")
        && let Some(load::Node {
            value: load::Value::Seq(items),
            ..
        }) = node.get("items")
    {
        for item in items {
            collect(source, item, opts, keep, out, warnings);
        }
        return;
    }
    let meta = node.get("metadata");
    let name = meta
        .and_then(|m| m.get("name").or_else(|| m.get("generateName")))
        .and_then(Node::as_str)
        .unwrap_or_default();
    let (group, _) = kinds::split_api_version(api_version);
    let namespaced = is_namespaced(group, kind);
    let namespace = if namespaced {
        meta.and_then(|m| m.get("namespace"))
            .and_then(Node::as_str)
            .filter(|n| !n.is_empty())
            .unwrap_or(opts.default_namespace.as_deref().unwrap_or("default"))
    } else {
        ""
    };
    let id = ObjectId::new(group, kind, namespace, name);
    let mut shown = node.to_json();
    normalise_shown(&mut shown, &id, opts);
    let mut value = shown.clone();
    normalise_semantics(&mut value, &id);
    let fingerprint = fingerprint(&value, &id);
    if keep == Keep::Fingerprint {
        (value, shown) = (Value::Null, Value::Null);
    }
    out.push(Resource {
        id,
        value,
        shown,
        origin,
        at: (0, 0),
        fingerprint,
    });
}

/// A 128-bit hash of a normalised value with Istio's sets sorted: resources of the same
/// meaning (what [`same_meaning`] compares) have the same fingerprint. Map keys are hashed in
/// sorted order and numbers as written by serde, so equal values hash alike.
fn fingerprint(value: &Value, id: &ObjectId) -> u128 {
    use std::hash::{Hash, Hasher};
    fn feed(v: &Value, h: &mut impl Hasher) {
        match v {
            Value::Null => 0u8.hash(h),
            Value::Bool(b) => (1u8, b).hash(h),
            Value::Number(n) => (2u8, n.to_string()).hash(h),
            Value::String(s) => (3u8, s).hash(h),
            Value::Array(items) => {
                (4u8, items.len()).hash(h);
                for i in items {
                    feed(i, h);
                }
            }
            Value::Object(map) => {
                (5u8, map.len()).hash(h);
                let mut entries: Vec<(&String, &Value)> = map.iter().collect();
                entries.sort_by(|a, b| a.0.cmp(b.0));
                for (k, v) in entries {
                    k.hash(h);
                    feed(v, h);
                }
            }
        }
    }
    let mut sorted = value.clone();
    sort_sets(&mut sorted, id);
    // Two independent 64-bit hashes (different keys) make one of 128 bits.
    let mut a = std::hash::DefaultHasher::new();
    let mut b = std::hash::DefaultHasher::new();
    0xA5u8.hash(&mut b);
    feed(&sorted, &mut a);
    feed(&sorted, &mut b);
    (u128::from(a.finish()) << 64) | u128::from(b.finish())
}

/// Positions (document, resource within it) of the resources to parse in full.
type Needed = HashSet<(usize, usize)>;

/// Which resources of each side must be compared in full, and how many are unchanged: a
/// resource defined once on each side with the same fingerprint is unchanged; every other one
/// (changed, added, removed, defined twice on a side) is needed. Returns the needed positions
/// of each side and the count of unchanged resources.
fn unchanged_by_fingerprint(old: &[Resource], new: &[Resource]) -> (Needed, Needed, usize) {
    fn by_id(list: &[Resource]) -> HashMap<&ObjectId, Vec<&Resource>> {
        let mut map: HashMap<&ObjectId, Vec<&Resource>> = HashMap::new();
        for r in list {
            map.entry(&r.id).or_default().push(r);
        }
        map
    }
    let (old_ids, new_ids) = (by_id(old), by_id(new));
    let mut same = 0;
    let mut old_need = HashSet::new();
    let mut new_need = HashSet::new();
    for (id, olds) in &old_ids {
        match new_ids.get(id) {
            Some(news)
                if olds.len() == 1
                    && news.len() == 1
                    && olds[0].fingerprint == news[0].fingerprint =>
            {
                same += 1;
            }
            _ => old_need.extend(olds.iter().map(|r| r.at)),
        }
    }
    for (id, news) in &new_ids {
        let unchanged = news.len() == 1
            && old_ids
                .get(id)
                .is_some_and(|o| o.len() == 1 && o[0].fingerprint == news[0].fingerprint);
        if !unchanged {
            new_need.extend(news.iter().map(|r| r.at));
        }
    }
    (old_need, new_need, same)
}

/// Parses in full the documents holding the `needed` resources and keeps those resources, in
/// input order.
fn materialise(
    docs: &[&Doc<'_>],
    needed: &Needed,
    opts: &Options,
    warnings: &mut Vec<String>,
) -> Result<Vec<Resource>, Error> {
    let mut which: Vec<usize> = needed.iter().map(|(doc, _)| *doc).collect();
    which.sort_unstable();
    which.dedup();
    let mut all = parse_some(docs, which, opts, Keep::Full, warnings)?;
    all.retain(|r| needed.contains(&r.at));
    Ok(all)
}

/// Kubernetes kinds that are cluster-scoped though meshctl does not model them.
const CLUSTER_SCOPED: &[&str] = &[
    "Namespace",
    "Node",
    "PersistentVolume",
    "StorageClass",
    "ClusterRole",
    "ClusterRoleBinding",
    "CustomResourceDefinition",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
    "PriorityClass",
    "IngressClass",
    "GatewayClass",
    "APIService",
    "RuntimeClass",
];

fn is_namespaced(group: &str, kind: &str) -> bool {
    match kinds::lookup(group, kind) {
        Some(info) => info.namespaced,
        None => !CLUSTER_SCOPED.contains(&kind),
    }
}

/// Metadata fields the API server owns; they say nothing about the desired configuration.
const SERVER_METADATA: &[&str] = &[
    "resourceVersion",
    "uid",
    "generation",
    "creationTimestamp",
    "managedFields",
    "selfLink",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
];
const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// Normalises an object in place: server-owned metadata, `status` and the last-applied
/// annotation removed; the namespace made explicit; known defaults removed; null values and
/// empty maps and lists (as map values) removed; integral floats made integers; ignored fields
/// removed; map keys sorted.
pub fn normalise(v: &mut Value, id: &ObjectId, opts: &Options) {
    normalise_shown(v, id, opts);
    normalise_semantics(v, id);
}

/// What display and comparison share: server-owned metadata, `status` and the last-applied
/// annotation removed; the namespace made explicit; ignored fields removed; nulls and empty
/// values removed; map keys sorted.
fn normalise_shown(v: &mut Value, id: &ObjectId, opts: &Options) {
    if let Value::Object(obj) = v {
        obj.remove("status");
        if let Some(Value::Object(meta)) = obj.get_mut("metadata") {
            for k in SERVER_METADATA {
                meta.remove(*k);
            }
            if let Some(Value::Object(ann)) = meta.get_mut("annotations") {
                ann.remove(LAST_APPLIED);
            }
            if id.namespace.is_empty() {
                meta.remove("namespace");
            } else {
                meta.insert("namespace".into(), Value::String(id.namespace.clone()));
            }
        }
    }
    for path in &opts.ignore {
        remove_path(v, path);
    }
    clean(v);
}

/// What only the comparison needs: defaults the API server fills in removed, and the lists
/// Istio treats as sets put in one order.
fn normalise_semantics(v: &mut Value, id: &ObjectId) {
    if let Value::Object(obj) = v
        && id.group.is_empty()
        && id.kind == "Service"
    {
        service_defaults(obj);
    }
    clean(v);
}

/// Whether two normalised objects mean the same to Istio: equal, or equal once the lists it
/// treats as sets are put in one order.
fn same_meaning(a: &Value, b: &Value, id: &ObjectId) -> bool {
    if a == b {
        return true;
    }
    let (mut a, mut b) = (a.clone(), b.clone());
    sort_sets(&mut a, id);
    sort_sets(&mut b, id);
    a == b
}

/// Whether `path` (a field path with indices) names a list Istio treats as a set.
pub fn is_set_path(kind: &str, path: &str) -> bool {
    let general = crate::load::node::without_indices(path);
    SETS.iter()
        .any(|(k, paths)| *k == kind && paths.contains(&general.as_str()))
}

/// Lists whose order means nothing to Istio, by kind: hosts and gateways of VirtualServices,
/// the match blocks of one route rule (any one matching is enough), Gateway server hosts,
/// ServiceEntry hosts, addresses and ports, DestinationRule subsets (by name).
const SETS: &[(&str, &[&str])] = &[
    (
        "VirtualService",
        &[
            "spec.hosts",
            "spec.gateways",
            "spec.http[].match",
            "spec.tcp[].match",
            "spec.tls[].match",
        ],
    ),
    ("Gateway", &["spec.servers[].hosts"]),
    (
        "ServiceEntry",
        &["spec.hosts", "spec.addresses", "spec.ports"],
    ),
    ("DestinationRule", &["spec.subsets"]),
];

fn sort_sets(v: &mut Value, id: &ObjectId) {
    if !id.group.ends_with(".istio.io") {
        return;
    }
    let Some((_, paths)) = SETS.iter().find(|(k, _)| *k == id.kind) else {
        return;
    };
    for path in *paths {
        let segs: Vec<&str> = path.split('.').collect();
        sort_at(v, &segs);
    }
}

/// Sorts the list at `segs` (`name[]` steps into every item of a list) by each item's
/// canonical JSON (subsets and ports by their name or number first, so the order reads well).
fn sort_at(v: &mut Value, segs: &[&str]) {
    let Some((first, rest)) = segs.split_first() else {
        if let Value::Array(items) = v {
            items.sort_by_cached_key(|i| {
                let lead = i
                    .get("name")
                    .or_else(|| i.get("number"))
                    .map(Value::to_string)
                    .unwrap_or_default();
                (lead, i.to_string())
            });
        }
        return;
    };
    let (key, each) = match first.strip_suffix("[]") {
        Some(k) => (k, true),
        None => (*first, false),
    };
    let Some(child) = v.get_mut(key) else { return };
    if each {
        if let Value::Array(items) = child {
            for item in items {
                sort_at(item, rest);
            }
        }
    } else {
        sort_at(child, rest);
    }
}

/// Defaults the API server fills in for a Service: `type: ClusterIP`, `sessionAffinity: None`,
/// `protocol: TCP` on ports, `targetPort` equal to `port`.
fn service_defaults(obj: &mut Map<String, Value>) {
    let Some(Value::Object(spec)) = obj.get_mut("spec") else {
        return;
    };
    if spec.get("type").and_then(Value::as_str) == Some("ClusterIP") {
        spec.remove("type");
    }
    if spec.get("sessionAffinity").and_then(Value::as_str) == Some("None") {
        spec.remove("sessionAffinity");
    }
    if let Some(Value::Array(ports)) = spec.get_mut("ports") {
        for p in ports {
            if let Value::Object(p) = p {
                if p.get("protocol").and_then(Value::as_str) == Some("TCP") {
                    p.remove("protocol");
                }
                if p.get("targetPort").is_some() && p.get("targetPort") == p.get("port") {
                    p.remove("targetPort");
                }
            }
        }
    }
}

fn remove_path(v: &mut Value, path: &[Seg]) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    let wildcard = matches!(first, Seg::Key(k) if k == "*");
    match v {
        Value::Object(map) => {
            if wildcard {
                if rest.is_empty() {
                    map.clear();
                } else {
                    for child in map.values_mut() {
                        remove_path(child, rest);
                    }
                }
            } else if let Seg::Key(k) = first {
                if rest.is_empty() {
                    map.remove(k);
                } else if let Some(child) = map.get_mut(k) {
                    remove_path(child, rest);
                }
            }
        }
        Value::Array(items) => match first {
            Seg::Index(i) => {
                if rest.is_empty() {
                    if *i < items.len() {
                        items.remove(*i);
                    }
                } else if let Some(child) = items.get_mut(*i) {
                    remove_path(child, rest);
                }
            }
            Seg::Key(_) if wildcard => {
                if rest.is_empty() {
                    items.clear();
                } else {
                    for child in items {
                        remove_path(child, rest);
                    }
                }
            }
            Seg::Key(_) => {}
        },
        _ => {}
    }
}

/// Removes null and empty values from maps, turns integral floats into integers and sorts keys
/// (`apiVersion`, `kind`, `metadata`, `spec`, `name`, `namespace` first, then alphabetically).
fn clean(v: &mut Value) {
    match v {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = std::mem::take(map).into_iter().collect();
            for (_, child) in &mut entries {
                clean(child);
            }
            entries.retain(|(_, c)| !is_empty(c));
            entries.sort_by(|(a, _), (b, _)| key_rank(a).cmp(&key_rank(b)).then(a.cmp(b)));
            map.extend(entries);
        }
        Value::Array(items) => items.iter_mut().for_each(clean),
        Value::Number(n) => {
            if let Some(f) = n.as_f64()
                && !n.is_i64()
                && !n.is_u64()
                && f.fract() == 0.0
                && f.abs() < 9.0e15
            {
                *v = Value::from(f as i64);
            }
        }
        _ => {}
    }
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Object(m) => m.is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

fn key_rank(k: &str) -> u8 {
    match k {
        "apiVersion" => 0,
        "kind" => 1,
        "metadata" => 2,
        "spec" => 3,
        "name" => 4,
        "namespace" => 5,
        _ => 6,
    }
}

/// Matches resources by identity and compares them. A removed and an added resource of one
/// kind whose content is the same but for name or namespace are one renamed or moved resource.
fn compare(old: Vec<Resource>, new: Vec<Resource>, warnings: &mut Vec<String>) -> ResourceDiff {
    let mut out = ResourceDiff {
        old_total: old.len(),
        new_total: new.len(),
        ..ResourceDiff::default()
    };
    let old = by_identity(old, "old", warnings);
    let mut new = by_identity(new, "new", warnings);
    let mut removed = Vec::new();
    for (id, mut o) in old {
        match new.remove(&id) {
            Some(mut n) => {
                if same_meaning(&o.value, &n.value, &id) {
                    out.unchanged += 1;
                } else {
                    if is_secret(&id) {
                        mask_secret(Some(&mut o), Some(&mut n));
                    }
                    let fields = field_changes(&o.value, &n.value);
                    out.changes.push(ResourceChange {
                        id,
                        change: ChangeKind::Changed,
                        old: Some(o),
                        new: Some(n),
                        fields,
                    });
                }
            }
            None => removed.push(o),
        }
    }
    // Renames and moves: the same content under another identity.
    let mut by_content: HashMap<(String, String, String), Vec<Resource>> = HashMap::new();
    for r in removed {
        by_content
            .entry((
                r.id.group.clone(),
                r.id.kind.clone(),
                content_without_identity(&r.value, &r.id),
            ))
            .or_default()
            .push(r);
    }
    for (_, n) in new {
        let key = (
            n.id.group.clone(),
            n.id.kind.clone(),
            content_without_identity(&n.value, &n.id),
        );
        let twin = by_content.get_mut(&key).and_then(|v| {
            // Prefer a twin in the same namespace (a rename) over one elsewhere (a move).
            let i = v
                .iter()
                .position(|o| o.id.namespace == n.id.namespace)
                .unwrap_or(0);
            (!v.is_empty()).then(|| v.remove(i))
        });
        let mut n = n;
        match twin {
            Some(mut o) => {
                if is_secret(&n.id) {
                    mask_secret(Some(&mut o), Some(&mut n));
                }
                let change = if o.id.namespace == n.id.namespace {
                    ChangeKind::Renamed
                } else {
                    ChangeKind::Moved
                };
                out.changes.push(ResourceChange {
                    id: n.id.clone(),
                    change,
                    old: Some(o),
                    new: Some(n),
                    fields: Vec::new(),
                });
            }
            None => {
                if is_secret(&n.id) {
                    mask_secret(None, Some(&mut n));
                }
                out.changes.push(ResourceChange {
                    id: n.id.clone(),
                    change: ChangeKind::Added,
                    old: None,
                    new: Some(n),
                    fields: Vec::new(),
                });
            }
        }
    }
    for (_, list) in by_content {
        for mut o in list {
            if is_secret(&o.id) {
                mask_secret(Some(&mut o), None);
            }
            out.changes.push(ResourceChange {
                id: o.id.clone(),
                change: ChangeKind::Removed,
                old: Some(o),
                new: None,
                fields: Vec::new(),
            });
        }
    }
    out.changes
        .sort_by(|a, b| a.id.cmp(&b.id).then(a.change.cmp(&b.change)));
    out
}

/// A resource's normalised content without its name and namespace (the key of rename and
/// move detection).
fn content_without_identity(v: &Value, id: &ObjectId) -> String {
    let mut v = v.clone();
    sort_sets(&mut v, id);
    if let Some(Value::Object(meta)) = v.get_mut("metadata") {
        meta.remove("name");
        meta.remove("namespace");
    }
    v.to_string()
}

fn is_secret(id: &ObjectId) -> bool {
    id.group.is_empty() && id.kind == "Secret"
}

/// What a Secret's values become in every output: `***` where both sides agree (or only one
/// side has the key), `*** (before)` / `*** (after)` where they differ, as `kubectl diff` shows
/// them. Masking happens after the comparison, so a changed value is still a change. The
/// `last-applied-configuration` annotation, which repeats the data in clear, is masked too.
fn mask_secret(old: Option<&mut Resource>, new: Option<&mut Resource>) {
    let (old_shown, old_value) = match old {
        Some(r) => (Some(&mut r.shown), Some(&mut r.value)),
        None => (None, None),
    };
    let (new_shown, new_value) = match new {
        Some(r) => (Some(&mut r.shown), Some(&mut r.value)),
        None => (None, None),
    };
    mask_values(old_value, new_value);
    mask_values(old_shown, new_shown);
}

fn mask_values(old: Option<&mut Value>, new: Option<&mut Value>) {
    const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";
    let read = |v: &Option<&mut Value>, field: &str, key: &str| -> Option<Value> {
        v.as_ref()
            .and_then(|v| v.get(field))
            .and_then(|m| m.get(key))
            .cloned()
    };
    let keys = |v: &Option<&mut Value>, field: &str| -> Vec<String> {
        v.as_ref()
            .and_then(|v| v.get(field))
            .and_then(Value::as_object)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    };
    let mut plan: Vec<(&str, String, Value, Value)> = Vec::new();
    for field in ["data", "stringData"] {
        let mut all = keys(&old, field);
        all.extend(keys(&new, field));
        all.sort();
        all.dedup();
        for key in all {
            let (a, b) = (read(&old, field, &key), read(&new, field, &key));
            let (ma, mb) = match (&a, &b) {
                (Some(x), Some(y)) if x != y => ("*** (before)", "*** (after)"),
                _ => ("***", "***"),
            };
            plan.push((field, key, Value::from(ma), Value::from(mb)));
        }
    }
    let annotation = |v: &Option<&mut Value>| -> Option<Value> {
        v.as_ref()
            .and_then(|v| v.pointer("/metadata/annotations"))
            .and_then(|a| a.get(LAST_APPLIED))
            .cloned()
    };
    let (aa, ab) = (annotation(&old), annotation(&new));
    let (la, lb) = match (&aa, &ab) {
        (Some(x), Some(y)) if x != y => ("*** (before)", "*** (after)"),
        _ => ("***", "***"),
    };
    let apply = |v: Option<&mut Value>, before: bool| {
        let Some(v) = v else { return };
        for (field, key, ma, mb) in &plan {
            if let Some(slot) = v.get_mut(*field).and_then(|m| m.get_mut(key.as_str())) {
                *slot = if before { ma.clone() } else { mb.clone() };
            }
        }
        if let Some(slot) = v
            .pointer_mut("/metadata/annotations")
            .and_then(|a| a.get_mut(LAST_APPLIED))
        {
            *slot = Value::from(if before { la } else { lb });
        }
    };
    apply(old, true);
    apply(new, false);
}

/// Resources by identity; of duplicates the last one wins, as with `kubectl apply`.
fn by_identity(
    list: Vec<Resource>,
    side: &str,
    warnings: &mut Vec<String>,
) -> BTreeMap<ObjectId, Resource> {
    let mut map: BTreeMap<ObjectId, Resource> = BTreeMap::new();
    for r in list {
        if let Some(prev) = map.get(&r.id) {
            warnings.push(format!(
                "{} appears twice on the {side} side ({} and {}); the later one is compared",
                r.id, prev.origin, r.origin
            ));
        }
        map.insert(r.id.clone(), r);
    }
    map
}

/// The changed field paths between two normalised values. Lists are aligned by their items
/// (an inserted rule shows as one added item, not as every later item changed).
pub fn field_changes(old: &Value, new: &Value) -> Vec<FieldChange> {
    let mut out = Vec::new();
    walk(old, new, &mut String::new(), &mut out);
    out
}

fn walk(old: &Value, new: &Value, path: &mut String, out: &mut Vec<FieldChange>) {
    if old == new {
        return;
    }
    match (old, new) {
        (Value::Object(a), Value::Object(b)) => {
            let len = path.len();
            for (k, av) in a {
                push_key(path, k);
                match b.get(k) {
                    Some(bv) => walk(av, bv, path, out),
                    None => out.push(change(path, Some(av), None)),
                }
                path.truncate(len);
            }
            for (k, bv) in b {
                if !a.contains_key(k) {
                    push_key(path, k);
                    out.push(change(path, None, Some(bv)));
                    path.truncate(len);
                }
            }
        }
        (Value::Array(a), Value::Array(b)) => walk_list(a, b, path, out),
        _ => out.push(change(path, Some(old), Some(new))),
    }
}

fn walk_list(a: &[Value], b: &[Value], path: &mut String, out: &mut Vec<FieldChange>) {
    let len = path.len();
    if let Some(order) = permutation(a, b) {
        // The same items in another order: one change that says so (rule order decides which
        // rule matches first; `--traffic` shows what that does to requests).
        out.push(FieldChange {
            path: path.clone(),
            change: ChangeKind::Reordered,
            old: Some(Value::from((0..a.len()).collect::<Vec<usize>>())),
            new: Some(Value::from(order)),
        });
        return;
    }
    if a.len() == b.len() {
        for (i, (x, y)) in a.iter().zip(b).enumerate() {
            push_index(path, i);
            walk(x, y, path, out);
            path.truncate(len);
        }
        return;
    }
    let ka: Vec<String> = a.iter().map(Value::to_string).collect();
    let kb: Vec<String> = b.iter().map(Value::to_string).collect();
    let ops = similar::capture_diff_slices(similar::Algorithm::Myers, &ka, &kb);
    for op in ops {
        match op {
            similar::DiffOp::Equal { .. } => {}
            similar::DiffOp::Delete {
                old_index, old_len, ..
            } => {
                for (i, item) in a.iter().enumerate().skip(old_index).take(old_len) {
                    push_index(path, i);
                    out.push(change(path, Some(item), None));
                    path.truncate(len);
                }
            }
            similar::DiffOp::Insert {
                new_index, new_len, ..
            } => {
                for (j, item) in b.iter().enumerate().skip(new_index).take(new_len) {
                    push_index(path, j);
                    out.push(change(path, None, Some(item)));
                    path.truncate(len);
                }
            }
            similar::DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                let olds = &a[old_index..old_index + old_len];
                let news = &b[new_index..new_index + new_len];
                let pairs = pair_items(olds, news);
                let mut next_new = 0;
                for (i, x) in olds.iter().enumerate() {
                    match pairs.iter().find(|(pi, _)| *pi == i) {
                        Some(&(_, j)) => {
                            for (k, item) in news.iter().enumerate().take(j).skip(next_new) {
                                push_index(path, new_index + k);
                                out.push(change(path, None, Some(item)));
                                path.truncate(len);
                            }
                            push_index(path, new_index + j);
                            walk(x, &news[j], path, out);
                            path.truncate(len);
                            next_new = j + 1;
                        }
                        None => {
                            push_index(path, old_index + i);
                            out.push(change(path, Some(x), None));
                            path.truncate(len);
                        }
                    }
                }
                for (k, item) in news.iter().enumerate().skip(next_new) {
                    push_index(path, new_index + k);
                    out.push(change(path, None, Some(item)));
                    path.truncate(len);
                }
            }
        }
    }
}

/// When `b` holds the items of `a` in another order: for each position of `b`, the index the
/// item had in `a`.
fn permutation(a: &[Value], b: &[Value]) -> Option<Vec<usize>> {
    if a.len() != b.len() || a.len() < 2 || a == b {
        return None;
    }
    let mut unused: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, x) in a.iter().enumerate().rev() {
        unused.entry(x.to_string()).or_default().push(i);
    }
    b.iter()
        .map(|y| unused.get_mut(&y.to_string()).and_then(Vec::pop))
        .collect()
}

/// Pairs replaced list items that are the same item edited: in order, each old item with the
/// most similar later new item (same `name`, most equal fields). Returns (old, new) indices.
fn pair_items(olds: &[Value], news: &[Value]) -> Vec<(usize, usize)> {
    let score = |x: &Value, y: &Value| -> usize {
        match (x, y) {
            (Value::Object(a), Value::Object(b)) => {
                let same = a.iter().filter(|(k, v)| b.get(*k) == Some(*v)).count();
                let named = a.get("name").is_some_and(|n| b.get("name") == Some(n));
                match (a.get("name"), b.get("name")) {
                    (Some(_), Some(_)) if !named => 0,
                    _ => same + if named { 100 } else { 0 },
                }
            }
            _ => 0,
        }
    };
    let mut pairs = Vec::new();
    let mut from = 0;
    for (i, x) in olds.iter().enumerate() {
        let best = (from..news.len())
            .map(|j| (score(x, &news[j]), j))
            .filter(|(s, _)| *s > 0)
            .max_by_key(|(s, j)| (*s, std::cmp::Reverse(*j)));
        if let Some((_, j)) = best {
            pairs.push((i, j));
            from = j + 1;
        }
    }
    pairs
}

fn change(path: &str, old: Option<&Value>, new: Option<&Value>) -> FieldChange {
    FieldChange {
        path: path.to_string(),
        change: match (old, new) {
            (Some(_), None) => ChangeKind::Removed,
            (None, Some(_)) => ChangeKind::Added,
            _ => ChangeKind::Changed,
        },
        old: old.cloned(),
        new: new.cloned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn side(files: &[(&str, &str)]) -> Side {
        Side {
            sources: files.iter().map(|(n, t)| Source::new(*n, *t)).collect(),
            skipped: Vec::new(),
        }
    }

    fn run(old: &[(&str, &str)], new: &[(&str, &str)], opts: &Options) -> ResourceDiff {
        diff(&side(old), &side(new), opts).unwrap()
    }

    const VS: &str = "apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews, subset: v1}
      weight: 90
    - destination: {host: reviews, subset: v2}
      weight: 10
";

    #[test]
    fn documents_split_at_markers_only() {
        let s = Source::new("a.yaml", "a: 1\n---\nb: |\n  x---\n---\n");
        let docs = documents(&s);
        assert_eq!(docs.len(), 3);
        assert_eq!(content_key(docs[1].text), "b: |\n  x---");
        assert_eq!(content_key(docs[2].text), "");
    }

    #[test]
    fn reformatting_and_key_order_do_not_count() {
        let reformatted = "# comment\nkind: VirtualService\napiVersion: \"networking.istio.io/v1\"
metadata: {namespace: default, name: reviews, resourceVersion: '7'}
spec:
  http:
    - route:
        - weight: 90.0
          destination:
            subset: v1
            host: 'reviews'
        - {weight: 10, destination: {host: reviews, subset: v2}}
  hosts:
    - reviews
  exportTo: []
status: {}
";
        let d = run(
            &[("a.yaml", VS)],
            &[("b.yaml", reformatted)],
            &Options::default(),
        );
        assert!(d.is_empty(), "{:?}", d.changes);
        assert_eq!(d.unchanged, 1);
    }

    #[test]
    fn only_changed_resources_are_parsed_in_full() {
        // A List of three: one reformatted only, one changed, one removed; a twice-defined
        // resource on the new side; every document differs in text, so all are fingerprinted.
        let cm = |name: &str, v: &str| {
            format!(
                "- apiVersion: v1\n  kind: ConfigMap\n  metadata: {{name: {name}}}\n  data: {{k: {v}}}\n"
            )
        };
        let old = format!(
            "apiVersion: v1\nkind: List\nitems:\n{}{}{}",
            cm("same", "'1'"),
            cm("changed", "1"),
            cm("gone", "1")
        );
        let new = format!(
            "# edited\napiVersion: v1\nkind: List\nitems:\n{}{}",
            cm("same", "\"1\""),
            cm("changed", "2")
        );
        let twice = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: dup}\ndata: {k: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: dup}\ndata: {k: b}\n";
        let d = run(
            &[("a.yaml", &old)],
            &[("a.yaml", &new), ("b.yaml", twice)],
            &Options::default(),
        );
        let changes: Vec<(String, &str)> = d
            .changes
            .iter()
            .map(|c| (c.id.name.clone(), c.change.as_str()))
            .collect();
        assert_eq!(
            changes,
            [
                ("changed".to_string(), "changed"),
                ("dup".to_string(), "added"),
                ("gone".to_string(), "removed")
            ]
        );
        assert_eq!(d.changes[0].fields[0].path, "data.k");
        assert_eq!((d.unchanged, d.old_total, d.new_total), (1, 3, 4));
        // The twice-defined resource keeps its warning, and the later definition is compared.
        assert!(
            d.warnings
                .iter()
                .any(|w| w.contains("appears twice on the new side")),
            "{:?}",
            d.warnings
        );
        let a = fingerprint(
            &serde_json::json!({"a": 1, "b": [1, 2]}),
            &ObjectId::new("", "ConfigMap", "x", "y"),
        );
        let b = fingerprint(
            &serde_json::json!({"b": [1, 2], "a": 1}),
            &ObjectId::new("", "ConfigMap", "x", "y"),
        );
        let c = fingerprint(
            &serde_json::json!({"b": [2, 1], "a": 1}),
            &ObjectId::new("", "ConfigMap", "x", "y"),
        );
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn changed_weight_is_a_field_change() {
        let new = VS
            .replace("weight: 90", "weight: 50")
            .replace("weight: 10", "weight: 50");
        let d = run(&[("a.yaml", VS)], &[("a.yaml", &new)], &Options::default());
        assert_eq!(d.changes.len(), 1);
        let paths: Vec<&str> = d.changes[0]
            .fields
            .iter()
            .map(|f| f.path.as_str())
            .collect();
        assert_eq!(
            paths,
            [
                "spec.http[0].route[0].weight",
                "spec.http[0].route[1].weight"
            ]
        );
        assert_eq!(d.changes[0].fields[0].old, Some(Value::from(90)));
        assert_eq!(d.changes[0].fields[0].new, Some(Value::from(50)));
    }

    #[test]
    fn inserted_list_item_is_one_change() {
        let old = serde_json::json!({"http": [{"a": 1}, {"b": 2}]});
        let new = serde_json::json!({"http": [{"z": 0}, {"a": 1}, {"b": 2}]});
        let f = field_changes(&old, &new);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].path, "http[0]");
        assert_eq!(f[0].change, ChangeKind::Added);
        // An inserted rule before an edited one: the edit is paired with its old self.
        let old = serde_json::json!([{"name": "a", "w": 90}, {"name": "p"}]);
        let new = serde_json::json!([{"name": "t", "w": 1}, {"name": "a", "w": 50}, {"name": "p"}]);
        let f = field_changes(&old, &new);
        let paths: Vec<(&str, ChangeKind)> =
            f.iter().map(|c| (c.path.as_str(), c.change)).collect();
        assert_eq!(
            paths,
            [("[0]", ChangeKind::Added), ("[1].w", ChangeKind::Changed)]
        );
    }

    #[test]
    fn identity_uses_group_not_version_and_default_namespace() {
        let old = VS.replace("networking.istio.io/v1", "networking.istio.io/v1beta1");
        let new = VS.replace(
            "  name: reviews\n",
            "  name: reviews\n  namespace: default\n",
        );
        let d = run(
            &[("a.yaml", &old)],
            &[("a.yaml", &new)],
            &Options::default(),
        );
        assert_eq!(d.changes.len(), 1);
        assert_eq!(d.changes[0].change, ChangeKind::Changed);
        assert_eq!(d.changes[0].fields[0].path, "apiVersion");
        assert_eq!(
            d.changes[0].id.to_string(),
            "VirtualService default/reviews"
        );
    }

    #[test]
    fn ignored_fields_and_wildcards() {
        let new = VS
            .replace(
                "  name: reviews\n",
                "  name: reviews\n  annotations: {team: a}\n",
            )
            .replace("weight: 10\n", "weight: 10\n    timeout: 5s\n");
        let opts = Options::with_ignored(&[
            "metadata.annotations".to_string(),
            "spec.http[*].timeout".to_string(),
        ])
        .unwrap();
        let d = run(&[("a.yaml", VS)], &[("a.yaml", &new)], &opts);
        assert!(d.is_empty(), "{:?}", d.changes);
        let d = run(&[("a.yaml", VS)], &[("a.yaml", &new)], &Options::default());
        assert_eq!(d.changes[0].fields.len(), 2);
    }

    #[test]
    fn moved_documents_added_removed_and_lists() {
        let other = "apiVersion: v1\nkind: Service\nmetadata: {name: reviews}\nspec:\n  ports: [{port: 80, protocol: TCP}]\n";
        let old = format!("{VS}---\n{other}");
        let d = run(
            &[("a.yaml", &old)],
            &[("b.yaml", other), ("c.yaml", VS)],
            &Options::default(),
        );
        assert!(d.is_empty());
        assert_eq!(d.unchanged, 2);
        let list = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {name: ratings}\n";
        let d = run(
            &[("a.yaml", &old)],
            &[("a.yaml", list)],
            &Options::default(),
        );
        let kinds: Vec<(ChangeKind, String)> = d
            .changes
            .iter()
            .map(|c| (c.change, c.id.to_string()))
            .collect();
        assert_eq!(
            kinds,
            [
                (ChangeKind::Added, "Service default/ratings".to_string()),
                (ChangeKind::Removed, "Service default/reviews".to_string()),
                (
                    ChangeKind::Removed,
                    "VirtualService default/reviews".to_string()
                ),
            ]
        );
    }

    #[test]
    fn syntax_errors_are_unreadable_input() {
        let e = diff(
            &side(&[("a.yaml", VS)]),
            &side(&[("b.yaml", "a: [1\n")]),
            &Options::default(),
        )
        .unwrap_err();
        assert_eq!(e.exit_code(), 3);
        assert!(e.to_string().contains("b.yaml"), "{e}");
    }

    #[test]
    fn service_defaults_do_not_count() {
        let a = "apiVersion: v1\nkind: Service\nmetadata: {name: r}\nspec:\n  type: ClusterIP\n  ports: [{port: 80, targetPort: 80, protocol: TCP}]\n";
        let b =
            "apiVersion: v1\nkind: Service\nmetadata: {name: r}\nspec:\n  ports: [{port: 80}]\n";
        assert!(run(&[("a", a)], &[("b", b)], &Options::default()).is_empty());
    }
}
