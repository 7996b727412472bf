//! The language server's state: every YAML and JSON file of the workspace folders, read and
//! validated once at `initialize` into one [`ConfigSet`], then updated a file at a time as
//! documents change (only the changed file is validated again; analysis runs over the kept
//! set). Findings are `validate`'s and `analyze`'s, with `.meshctl.yaml` and suppression
//! annotations applied as the CLI applies them.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use lsp_types::{
    DiagnosticRelatedInformation, DiagnosticSeverity, Location as LspLocation, NumberOrString,
};
use rayon::prelude::*;

use super::text;
use crate::analyze::{self, MeshConfig};
use crate::check::run::SuppressAnnotation;
use crate::check::{Diagnostic, Severity};
use crate::config::{self, ConfigSet};
use crate::load::{self, InputSpec, Source};
use crate::model::releases::{self, Release};
use crate::report::policy::{Policy, RuleConfig};

/// One file of the workspace: its text (the editor's, while open) and its suppression
/// annotations.
struct File {
    source: Arc<Source>,
    suppressions: Vec<SuppressAnnotation>,
}

pub struct Workspace {
    pub roots: Vec<PathBuf>,
    pub release: Release,
    pub config: RuleConfig,
    pub mesh: MeshConfig,
    /// Every object of the workspace with validation's findings.
    pub set: ConfigSet,
    files: BTreeMap<String, File>,
    /// What was last published per file, so only changes are sent.
    published: HashMap<String, Vec<lsp_types::Diagnostic>>,
    /// Problems with the set-up (`.meshctl.yaml`, the mesh config), for the client's log.
    pub problems: Vec<String>,
}

impl Workspace {
    /// Reads every manifest under `roots` (as `meshctl validate DIR` discovers them), with the
    /// first `.meshctl.yaml` from the first root upwards; `istio_version` (the client's
    /// initialization option) wins over the config file's.
    pub fn load(roots: Vec<PathBuf>, istio_version: Option<Release>) -> Workspace {
        let mut problems = Vec::new();
        let start = roots
            .first()
            .cloned()
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_default();
        let config = RuleConfig::discover(None, &start).unwrap_or_else(|e| {
            problems.push(format!(".meshctl.yaml: {e}"));
            RuleConfig {
                base: start.clone(),
                ..RuleConfig::default()
            }
        });
        let release = istio_version
            .or(config.istio_version)
            .unwrap_or(releases::DEFAULT);
        let mesh = match &config.mesh_config {
            Some(p) => {
                let path = config.base.join(p).display().to_string();
                MeshConfig::from_file(&path).unwrap_or_else(|e| {
                    problems.push(format!("mesh config {path}: {e}"));
                    MeshConfig::default()
                })
            }
            None => MeshConfig::default(),
        };
        let mut paths = Vec::new();
        for root in &roots {
            match load::discover(&[InputSpec::Path(root.clone())]) {
                Ok(found) => paths.extend(found.files),
                Err(e) => problems.push(e.to_string()),
            }
        }
        let read: Vec<(String, Arc<Source>, ConfigSet)> = paths
            .par_iter()
            .filter_map(|f| load::read(f).ok())
            .map(|(source, _)| {
                let set = config::from_source_for(&source, release);
                (source.name.clone(), source, set)
            })
            .collect();
        let mut ws = Workspace {
            roots,
            release,
            config,
            mesh,
            set: ConfigSet::default(),
            files: BTreeMap::new(),
            published: HashMap::new(),
            problems,
        };
        for (name, source, set) in read {
            ws.put(name, source, set);
        }
        ws
    }

    fn put(&mut self, name: String, source: Arc<Source>, mut set: ConfigSet) {
        let suppressions = std::mem::take(&mut set.suppressions);
        self.set.replace_file(&name, set);
        self.files.insert(
            name,
            File {
                source,
                suppressions,
            },
        );
    }

    /// The file's text changed (opened, edited, saved): validate it again, alone.
    pub fn update(&mut self, path: &Path, text: String) {
        let name = path.display().to_string();
        if self.files.get(&name).is_some_and(|f| f.source.text == text) {
            return;
        }
        let source = Source::new(name.clone(), text);
        let set = config::from_source_for(&source, self.release);
        self.put(name, source, set);
    }

    /// The file is gone (deleted, or closed and not on disk).
    pub fn remove(&mut self, path: &Path) {
        let name = path.display().to_string();
        self.set.remove_file(&name);
        self.files.remove(&name);
    }

    /// The text of a file of the workspace.
    pub fn text(&self, path: &Path) -> Option<&Arc<Source>> {
        self.files
            .get(&path.display().to_string())
            .map(|f| &f.source)
    }

    /// Every file's source, for hover's look-ups.
    pub fn sources(&self) -> impl Iterator<Item = &Arc<Source>> {
        self.files.values().map(|f| &f.source)
    }

    /// The findings of the whole workspace, by file: `validate`'s under their MSH codes, and
    /// `analyze`'s own (its restatements of validate's findings as IST0106/IST0133 are left
    /// out: the same finding is already there), after `.meshctl.yaml` and suppressions.
    pub fn findings(&self) -> Result<Vec<Diagnostic>, crate::Error> {
        let annotations: Vec<SuppressAnnotation> = self
            .files
            .values()
            .flat_map(|f| f.suppressions.iter().cloned())
            .collect();
        let policy = |istio_annotation| Policy {
            config: self.config.clone(),
            suppress: Vec::new(),
            output_threshold: self.config.output_threshold,
            istio_annotation,
        };
        let (mut out, _) = policy(false).apply(&annotations, self.set.diagnostics.clone())?;
        let all: Vec<&analyze::Analyzer> = analyze::ANALYZERS.iter().collect();
        let mut analysis = analyze::run(&self.set, &self.mesh, &all).findings;
        analysis.retain(|d| {
            d.rule.is_none()
                && !d.code.starts_with("MSH0")
                && !d.code.starts_with("MSH1")
                && releases::code_added_after(d.code, self.release).is_none()
        });
        let (analysis, _) = policy(true).apply(&annotations, analysis)?;
        out.extend(analysis);
        let shown = self.config.output_threshold.unwrap_or(Severity::Info);
        out.retain(|d| d.severity >= shown);
        Ok(out)
    }

    /// The diagnostics to publish: for every file whose diagnostics differ from what was last
    /// published (files whose findings went away get an empty list).
    pub fn changed_diagnostics(&mut self) -> Vec<(PathBuf, Vec<lsp_types::Diagnostic>)> {
        let findings = match self.findings() {
            Ok(f) => f,
            Err(e) => {
                self.problems.push(e.to_string());
                Vec::new()
            }
        };
        let mut by_file: HashMap<String, Vec<lsp_types::Diagnostic>> = HashMap::new();
        for d in &findings {
            if let Some((file, diagnostic)) = to_lsp(d)
                && self.files.contains_key(&file)
            {
                by_file.entry(file).or_default().push(diagnostic);
            }
        }
        let mut changed = Vec::new();
        for (file, diagnostics) in &by_file {
            if self.published.get(file) != Some(diagnostics) {
                changed.push((PathBuf::from(file), diagnostics.clone()));
            }
        }
        for (file, old) in &self.published {
            if !old.is_empty() && !by_file.contains_key(file) {
                changed.push((PathBuf::from(file), Vec::new()));
            }
        }
        for (file, diagnostics) in &changed {
            self.published
                .insert(file.display().to_string(), diagnostics.clone());
        }
        changed.sort_by(|a, b| a.0.cmp(&b.0));
        changed
    }
}

/// The replacements a finding's help proposes: "did you mean `X`?", "did you mean "X"?",
/// "did you mean A or B?".
pub fn suggestions(help: &str) -> Vec<String> {
    let Some(i) = help.find("did you mean ") else {
        return Vec::new();
    };
    let rest = &help[i + "did you mean ".len()..];
    let Some(end) = rest.find('?') else {
        return Vec::new();
    };
    rest[..end]
        .split(" or ")
        .map(|s| s.trim().trim_matches(|c| c == '`' || c == '"').to_string())
        .filter(|s| !s.is_empty() && !s.contains(' '))
        .collect()
}

/// A finding as an LSP diagnostic of the file it is located in (`None` without a location).
/// The help, if any, follows the message; "did you mean" replacements travel in `data` for
/// the quick fixes.
pub fn to_lsp(d: &Diagnostic) -> Option<(String, lsp_types::Diagnostic)> {
    let l = d.location.as_ref()?;
    let src = &l.source.text;
    let range = text::range(src, l.span.start as usize, l.span.end as usize);
    let severity = match d.severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    };
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let replacements = d.help.as_deref().map(suggestions).unwrap_or_default();
    let related = d.related.as_ref().and_then(|(loc, msg)| {
        let uri = text::path_to_uri(Path::new(loc.file()))?;
        let range = text::range(
            &loc.source.text,
            loc.span.start as usize,
            loc.span.end as usize,
        );
        Some(vec![DiagnosticRelatedInformation {
            location: LspLocation::new(uri, range),
            message: msg.clone(),
        }])
    });
    let diagnostic = lsp_types::Diagnostic {
        range,
        severity: Some(severity),
        code: Some(NumberOrString::String(d.code.to_string())),
        code_description: None,
        source: Some("meshctl".to_string()),
        message,
        related_information: related,
        tags: None,
        data: (!replacements.is_empty())
            .then(|| serde_json::json!({ "replacements": replacements })),
    };
    Some((l.file().to_string(), diagnostic))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_from_help() {
        assert_eq!(suggestions("did you mean `route`?"), ["route"]);
        assert_eq!(
            suggestions("did you mean \"ROUND_ROBIN\"? supported values: A, B"),
            ["ROUND_ROBIN"]
        );
        assert_eq!(
            suggestions(
                "the input has Service r in a, b: did you mean r.a.svc.cluster.local or r.b.svc.cluster.local?"
            ),
            ["r.a.svc.cluster.local", "r.b.svc.cluster.local"]
        );
        assert!(suggestions("VirtualService has the fields: hosts").is_empty());
    }

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).expect("fixture written");
        p
    }

    #[test]
    fn a_changed_file_updates_its_diagnostics_and_the_others() {
        let dir = std::env::temp_dir().join(format!("meshctl-lsp-ws-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("dir");
        let vs = write(
            &dir,
            "vs.yaml",
            "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: r\n  namespace: shop\nspec:\n  hosts: [reviews]\n  http:\n  - route:\n    - destination:\n        host: reviews\n",
        );
        write(
            &dir,
            "ratings.yaml",
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: ratings\n  namespace: shop\nspec:\n  ports:\n  - port: 80\n    name: http\n",
        );
        let mut ws = Workspace::load(vec![dir.clone()], None);
        let first = ws.changed_diagnostics();
        let codes = |d: &[lsp_types::Diagnostic]| -> Vec<String> {
            d.iter()
                .filter_map(|d| match &d.code {
                    Some(NumberOrString::String(s)) => Some(s.clone()),
                    _ => None,
                })
                .collect()
        };
        let vs_diags = first
            .iter()
            .find(|(p, _)| *p == vs)
            .map(|(_, d)| d.clone())
            .unwrap_or_default();
        assert!(
            codes(&vs_diags).contains(&"IST0101".to_string()),
            "{first:?}"
        );
        // The Service appears in another file: the VirtualService's finding goes away.
        let svc = dir.join("svc.yaml");
        ws.update(
            &svc,
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: reviews\n  namespace: shop\nspec:\n  ports:\n  - port: 80\n    name: http\n".to_string(),
        );
        let second = ws.changed_diagnostics();
        let vs_now = second
            .iter()
            .find(|(p, _)| *p == vs)
            .map(|(_, d)| codes(d))
            .unwrap_or_default();
        assert!(!vs_now.contains(&"IST0101".to_string()), "{second:?}");
        // Nothing changed: nothing to publish.
        assert!(ws.changed_diagnostics().is_empty());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
