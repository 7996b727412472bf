//! A config set: every object read from a set of inputs, validated, in a stable order. This is
//! what `route-test`, `analyze` and `diff` work on. Objects that validation rejects stay in the
//! set (marked `rejected`) so analysers can still name them, but routing leaves them out, as
//! Istio would.

use std::sync::Arc;

use rayon::prelude::*;

use crate::Error;
use crate::check::Diagnostic;
use crate::check::run::{Collect, SourceReport, validate_source_for, validate_source_with};
use crate::check::{ResourceRef, Summary};
use crate::load::{self, InputSpec, Origin, Source};
use crate::model::releases::{self, Release};
use crate::store::{Object, ObjectId};

/// Every object of the inputs plus validation's findings.
#[derive(Debug)]
pub struct ConfigSet {
    /// Objects in input order: files as discovered, documents in file order. That order stands
    /// in for creation order where objects carry no `creationTimestamp`.
    pub objects: Vec<Object>,
    pub diagnostics: Vec<Diagnostic>,
    pub summary: Summary,
    pub files: Vec<String>,
    /// Files of a directory walk that were not YAML or JSON.
    pub skipped: Vec<String>,
    /// What the user should know about the input that is not a finding: files left out as
    /// not manifests (Helm charts, kustomize patches, values files, JSON patches).
    pub notes: Vec<String>,
    /// Kinds of which the set holds every object there is (listed from a whole cluster), so
    /// that none of a kind means none exist rather than "not in the input".
    pub complete_kinds: Vec<&'static str>,
    /// The user declared the input complete (`--complete`): every kind counts as complete.
    pub complete_all: bool,
    /// The namespace of namespaced objects written without one: `-n`, else `default`.
    pub default_namespace: String,
    /// Suppression annotations of the objects (recorded even when objects are not collected).
    pub suppressions: Vec<crate::check::run::SuppressAnnotation>,
}

impl Default for ConfigSet {
    fn default() -> ConfigSet {
        ConfigSet {
            objects: Vec::new(),
            diagnostics: Vec::new(),
            summary: Summary::default(),
            files: Vec::new(),
            skipped: Vec::new(),
            notes: Vec::new(),
            complete_kinds: Vec::new(),
            complete_all: false,
            default_namespace: "default".to_string(),
            suppressions: Vec::new(),
        }
    }
}

/// Findings name objects by [`ResourceRef`]; the store below `check` does not know that type,
/// so the conversion lives here, in the layer that joins the two.
impl Object {
    /// The resource a finding names: kind, effective namespace, name.
    pub fn resource_ref(&self) -> ResourceRef {
        ResourceRef {
            api_version: self.loaded.api_version.clone(),
            kind: self.kind().to_string(),
            namespace: self
                .loaded
                .info
                .namespaced
                .then(|| self.namespace().to_string()),
            name: Some(self.name().to_string()),
        }
    }
}

/// Reads, validates and collects every object of `inputs`. Files are read in parallel; the
/// result is in input order.
pub fn load_inputs(inputs: &[InputSpec]) -> Result<ConfigSet, Error> {
    load_with(inputs, Collect::Objects, releases::DEFAULT)
}

/// [`load_inputs`] for the Istio `release` the objects are meant for.
pub fn load_inputs_for(inputs: &[InputSpec], release: Release) -> Result<ConfigSet, Error> {
    load_with(inputs, Collect::Objects, release)
}

/// [`load_inputs_for`] as `analyze` holds the objects for a whole run: typed, with the trees
/// of objects whose typed spec holds all analysis reads dropped (see
/// [`crate::store::LoadedObject::settle`]).
pub fn load_typed_for(inputs: &[InputSpec], release: Release) -> Result<ConfigSet, Error> {
    load_with(inputs, Collect::Typed, release)
}

/// Validation only, without keeping the objects (what `validate` needs).
pub fn validate_inputs(inputs: &[InputSpec]) -> Result<ConfigSet, Error> {
    load_with(inputs, Collect::Nothing, releases::DEFAULT)
}

/// [`validate_inputs`] for the Istio `release` the objects are meant for.
pub fn validate_inputs_for(inputs: &[InputSpec], release: Release) -> Result<ConfigSet, Error> {
    load_with(inputs, Collect::Nothing, release)
}

fn load_with(inputs: &[InputSpec], collect: Collect, release: Release) -> Result<ConfigSet, Error> {
    let found = load::discover(inputs)?;
    let progress = load::progress::Progress::start("reading files", found.files.len());
    let results: Vec<Result<(String, SourceReport), Error>> = found
        .files
        .par_iter()
        .map(|file| {
            let (source, problem) = load::read(file)?;
            let report = prepare(validate_source_for(&source, problem, collect, release));
            progress.tick();
            Ok((source.name.clone(), report))
        })
        .collect();
    progress.finish();
    let mut set = ConfigSet {
        notes: found.notes(),
        ..ConfigSet::default()
    };
    // Every object is kept for the whole run: the list is allocated once, at its size.
    let objects: usize = results
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .map(|(_, report)| report.objects.len())
        .sum();
    set.objects.reserve_exact(objects);
    for r in results {
        let (name, report) = r?;
        set.add(name, report);
    }
    set.finish();
    set.skipped = found
        .skipped
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    Ok(set)
}

/// One source's report with its objects in document order.
fn prepare(mut report: SourceReport) -> SourceReport {
    report.objects.sort_by_key(|o| o.offset);
    report
}

/// Validates and collects objects already in memory (objects listed from a cluster, see
/// [`crate::cluster`]). Sources are validated in parallel; the result is in source order. Only
/// file sources count as files.
pub fn from_sources(sources: Vec<Arc<Source>>) -> ConfigSet {
    let reports: Vec<_> = sources
        .par_iter()
        .map(|s| prepare(validate_source_with(s, None, Collect::Objects)))
        .collect();
    let mut set = ConfigSet::default();
    for (source, report) in sources.iter().zip(reports) {
        set.add(source.name.clone(), report);
        if source.origin == Origin::Cluster {
            set.files.pop();
        }
    }
    set.finish();
    set
}

impl ConfigSet {
    /// Overlays `files` on `self` (the live state of a cluster): an object of the files replaces
    /// the live object of the same identity (API group, kind, namespace, name), as applying the
    /// files would, and the live object's findings go with it. Namespaced objects written
    /// without a namespace take `namespace`, as `kubectl apply -n` would place them. The
    /// files' objects come last: they are the newest.
    pub fn overlay(mut self, mut files: ConfigSet, namespace: &str) -> ConfigSet {
        use std::collections::HashSet;
        for o in &mut files.objects {
            if o.loaded.info.namespaced && o.loaded.namespace.is_none() {
                o.loaded.namespace = Some(namespace.to_string());
            }
        }
        let replaced: HashSet<ObjectId> = files
            .objects
            .iter()
            .filter(|o| !o.name().is_empty())
            .map(Object::id)
            .collect();
        let is_replaced = |o: &Object| replaced.contains(&o.id());
        // Findings name their resource without the API group: the live objects replaced, by
        // kind, namespace and name, are what their findings are matched against.
        let gone: HashSet<(String, String, String)> = self
            .objects
            .iter()
            .filter(|o| is_replaced(o))
            .map(|o| {
                let id = o.id();
                (id.kind, id.namespace, id.name)
            })
            .collect();
        let replaced_count = gone.len();
        self.objects.retain(|o| !is_replaced(o));
        self.diagnostics.retain(|d| {
            let Some(r) = &d.resource else { return true };
            let live = d
                .location
                .as_ref()
                .is_some_and(|l| l.source.origin == Origin::Cluster);
            !(live
                && gone.contains(&(
                    r.kind.clone(),
                    r.namespace.clone().unwrap_or_default(),
                    r.name.clone().unwrap_or_default(),
                )))
        });
        let base = self.objects.len();
        for (i, mut o) in files.objects.into_iter().enumerate() {
            o.seq = base + i;
            self.objects.push(o);
        }
        self.diagnostics.extend(files.diagnostics);
        self.diagnostics.sort_by(Diagnostic::output_order);
        self.suppressions.extend(files.suppressions);
        self.files.extend(files.files);
        self.skipped.extend(files.skipped);
        self.notes.extend(files.notes);
        self.summary.files = self.files.len();
        self.summary.resources =
            (self.summary.resources + files.summary.resources).saturating_sub(replaced_count);
        self
    }

    /// Whether the set holds every object of `kind` there is (declared complete, or the kind
    /// was listed from a whole cluster): then an object of that kind not in the set is missing,
    /// not merely unknown.
    pub fn complete(&self, kind: &str) -> bool {
        self.complete_all || self.complete_kinds.contains(&kind)
    }

    /// Places namespaced objects written without a namespace in `namespace`, as `kubectl apply
    /// -n` does (offline `-n`).
    pub fn assign_namespace(&mut self, namespace: &str) {
        self.default_namespace = namespace.to_string();
        for o in &mut self.objects {
            if o.loaded.info.namespaced && o.loaded.namespace.is_none() {
                o.loaded.namespace = Some(namespace.to_string());
            }
        }
    }

    /// Appends one source's report (its objects in document order).
    fn add(&mut self, name: String, report: SourceReport) {
        if let Some(why) = report.not_manifest {
            self.notes.push(why.note(&name));
        }
        self.summary.resources += report.resources;
        self.diagnostics.extend(report.diagnostics);
        self.suppressions.extend(report.suppressions);
        for mut loaded in report.objects {
            let seq = self.objects.len();
            let meta = loaded.meta.take().map(|m| *m).unwrap_or_default();
            self.objects.push(Object { loaded, meta, seq });
        }
        self.files.push(name);
    }

    /// Replaces the objects and findings of the file `name` with those of `file` (the same file
    /// validated again on its own, see [`from_source_for`]): the incremental update of a set
    /// that lives long (`meshctl lsp`). The file's objects take the place of its old ones, so
    /// input order holds; a new file's come last. Suppression annotations are per set and not
    /// attributed to files: the caller keeps them per file.
    pub fn replace_file(&mut self, name: &str, file: ConfigSet) {
        let at = self
            .objects
            .iter()
            .position(|o| o.loaded.source.name == name)
            .unwrap_or(self.objects.len());
        self.objects.retain(|o| o.loaded.source.name != name);
        let at = at.min(self.objects.len());
        self.objects.splice(at..at, file.objects);
        for (seq, o) in self.objects.iter_mut().enumerate() {
            o.seq = seq;
        }
        self.diagnostics
            .retain(|d| d.location.as_ref().is_none_or(|l| l.file() != name));
        self.diagnostics.extend(file.diagnostics);
        if !self.files.iter().any(|f| f == name) {
            self.files.push(name.to_string());
        }
        self.summary = Summary::default();
        self.summary.resources = self.objects.len();
        self.finish();
    }

    /// Removes the objects and findings of the file `name` (deleted or closed).
    pub fn remove_file(&mut self, name: &str) {
        self.replace_file(name, ConfigSet::default());
        self.files.retain(|f| f != name);
        self.summary.files = self.files.len();
    }

    /// Keeps only the last definition of each resource identity (API group, kind, namespace,
    /// name), as applying the inputs in order would, and returns a warning (MSH3002) for every
    /// definition replaced by a later one in the same file; definitions replaced from another
    /// file are counted in a note. Objects without a name are kept.
    pub fn dedupe_identities(&mut self) -> Vec<Diagnostic> {
        use std::collections::HashMap;
        let mut last: HashMap<(&str, &str, &str, &str), usize> = HashMap::new();
        for (i, o) in self.objects.iter().enumerate() {
            if o.name().is_empty() {
                continue;
            }
            last.insert(o.id_ref(), i);
        }
        let mut warnings = Vec::new();
        let mut keep = vec![true; self.objects.len()];
        let mut elsewhere = 0usize;
        for (i, o) in self.objects.iter().enumerate() {
            if o.name().is_empty() {
                continue;
            }
            let Some(&winner) = last.get(&o.id_ref()) else {
                continue;
            };
            if winner == i {
                continue;
            }
            keep[i] = false;
            let w = &self.objects[winner];
            if !Arc::ptr_eq(w.source(), o.source()) {
                // Definitions in different files are alternatives more often than mistakes
                // (tutorial steps, overlays, examples): counted in one note, not warned about.
                elsewhere += 1;
                continue;
            }
            let (line, col) = w.source().line_col(w.span().start as usize);
            let mut d = Diagnostic::of(
                "MSH3002",
                format!(
                    "{} {} is defined again at {}:{line}:{col}; the later definition is used",
                    o.kind(),
                    o.key(),
                    w.source().name
                ),
            )
            .at(o.source(), o.span().first_line(&o.source().text))
            .with_resource(Some(o.resource_ref()))
            .with_help(
                "keep one definition per resource; when the inputs are applied in order, only the last one takes effect",
            );
            d.related = Some((
                crate::check::Location {
                    source: std::sync::Arc::clone(w.source()),
                    span: w.span().first_line(&w.source().text),
                },
                "the definition that is used".to_string(),
            ));
            warnings.push(d);
        }
        let mut i = 0;
        self.objects.retain(|_| {
            i += 1;
            keep[i - 1]
        });
        if elsewhere > 0 {
            self.notes.push(format!(
                "{elsewhere} resource definition(s) are defined again in a later file (alternatives or tutorial steps?); analysis uses the last definition of each"
            ));
        }
        warnings
    }

    /// A warning when the input holds no Kubernetes object at all: an empty file, empty
    /// standard input (a failed `kustomize build |`), a folder without manifests. It is not
    /// "no problems": `--strict` and CI should catch a pipeline that fed nothing.
    pub fn empty_input_warning(&self) -> Option<Diagnostic> {
        // A file that failed to parse already has its finding: that is not an empty input.
        if self.summary.resources > 0 || !self.objects.is_empty() || !self.diagnostics.is_empty() {
            return None;
        }
        let what = match (self.files.len(), self.notes.len()) {
            (0, 0) => "no file was read".to_string(),
            (n, 0) => format!("{n} file(s) read"),
            (n, m) => format!("{n} file(s) read, {m} note(s) on what was left out"),
        };
        Some(
            Diagnostic::of(
                "MSH0008",
                format!("the input contains no Kubernetes object ({what})"),
            )
            .with_help(
                "check that the upstream step (kustomize build, helm template, a glob) produced manifests; an empty input is never \"no problems\"",
            ),
        )
    }

    fn finish(&mut self) {
        self.summary.files = self.files.len();
        self.diagnostics.sort_by(Diagnostic::output_order);
        self.summary.count(&self.diagnostics);
    }
}

/// Findings on objects read from a cluster name the object, not a line of meshctl's own
/// serialisation of it: their locations are dropped (a related location too).
pub fn detach_cluster_locations(findings: &mut [Diagnostic]) {
    for d in findings {
        if d.location
            .as_ref()
            .is_some_and(|l| l.source.origin == Origin::Cluster)
        {
            d.location = None;
        }
        if d.related
            .as_ref()
            .is_some_and(|(l, _)| l.source.origin == Origin::Cluster)
        {
            d.related = None;
        }
    }
}

/// Parses YAML text (one or more documents) into a config set; for tests and embedding.
/// A config set of one source already read, validated for the Istio `release`.
pub fn from_source_for(source: &Arc<Source>, release: Release) -> ConfigSet {
    let report = validate_source_for(source, None, Collect::Objects, release);
    let mut set = ConfigSet::default();
    set.add(source.name.clone(), prepare(report));
    set.finish();
    set
}

pub fn from_text(name: &str, text: &str) -> ConfigSet {
    from_text_with(name, text, Collect::Objects)
}

/// [`from_text`], collecting the objects as `collect` says ([`Collect::Typed`]: as `analyze`
/// holds them).
pub fn from_text_with(name: &str, text: &str, collect: Collect) -> ConfigSet {
    let source = Source::new(name, text);
    let report = validate_source_with(&source, None, collect);
    let mut set = ConfigSet::default();
    set.add(name.to_string(), prepare(report));
    set.finish();
    set
}
