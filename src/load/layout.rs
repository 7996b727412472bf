//! What a repository's files are, before any of them is read as a manifest: Helm charts (a
//! folder with a `Chart.yaml`, whose templates only mean something once rendered), kustomize
//! folders (a `kustomization.yaml` whose `patches` name partial objects, not whole ones) and the
//! kustomization files themselves. Users point meshctl at whole repositories, and these files
//! are not what `kubectl apply` would be given; reading them as manifests only produces noise.
//!
//! The decisions are by path only; what a single file's content is (a values file, a JSON
//! patch, a Helm template outside a chart) is decided per source in `check::run`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::yaml;
use super::{Node, Value};

/// Names of the file that makes a folder a kustomization (as kustomize looks for them).
pub const KUSTOMIZATION_FILES: &[&str] =
    &["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// Why a file is left out of validation.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Excluded {
    /// Part of the Helm chart rooted at this folder.
    HelmChart(PathBuf),
    /// A kustomization file (`kustomization.yaml`).
    Kustomization(PathBuf),
    /// A patch listed by the kustomization file at this path.
    KustomizePatch(PathBuf),
}

/// Remembers which folders are chart roots and which files kustomizations list as patches, so
/// that each folder is looked at once however many files are asked about.
#[derive(Debug, Default)]
pub struct Layout {
    charts: BTreeMap<PathBuf, bool>,
    /// Folder → patch files (canonical paths) its kustomization lists.
    patches: BTreeMap<PathBuf, BTreeSet<PathBuf>>,
}

/// At most this many folders above a named file are searched for a chart root.
const MAX_ANCESTORS: usize = 16;

impl Layout {
    /// Whether and why `file` is not a manifest to validate. `walked` is true for files found
    /// by walking a folder the user named (ancestors above that folder are still searched for a
    /// chart root: a folder inside a chart is still part of the chart).
    pub fn excluded(&mut self, file: &Path) -> Option<Excluded> {
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        // Folders are searched on the path as given (so notes show it as the user wrote it);
        // `a.yaml` has the parent "", the working directory.
        let parent = file.parent().map(Path::to_path_buf).unwrap_or_default();
        if let Some(root) = self.chart_root(&parent) {
            return Some(Excluded::HelmChart(root));
        }
        if KUSTOMIZATION_FILES.contains(&name) {
            return Some(Excluded::Kustomization(file.to_path_buf()));
        }
        // A patch is listed by a kustomization in its own folder or in a folder above it
        // (`patches: [{path: ../patches/x.yaml}]` reaches sideways too, hence the whole walk).
        let canonical = std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf());
        let mut dir = Some(parent.as_path());
        for _ in 0..MAX_ANCESTORS {
            let Some(d) = dir else { break };
            if let Some(k) = self.kustomization_listing(d, &canonical) {
                return Some(Excluded::KustomizePatch(k));
            }
            dir = d.parent();
        }
        None
    }

    /// The nearest folder at or above `dir` that holds a `Chart.yaml`.
    fn chart_root(&mut self, dir: &Path) -> Option<PathBuf> {
        let mut d = Some(dir);
        for _ in 0..MAX_ANCESTORS {
            let cur = d?;
            let is_chart = *self
                .charts
                .entry(cur.to_path_buf())
                .or_insert_with(|| here(cur).join("Chart.yaml").is_file());
            if is_chart {
                return Some(cur.to_path_buf());
            }
            d = cur.parent();
        }
        None
    }

    /// The kustomization file in `dir` when it lists `file` as a patch.
    fn kustomization_listing(&mut self, dir: &Path, file: &Path) -> Option<PathBuf> {
        if !self.patches.contains_key(dir) {
            let listed = KUSTOMIZATION_FILES
                .iter()
                .map(|n| here(dir).join(n))
                .find(|p| p.is_file())
                .and_then(|p| std::fs::read_to_string(&p).ok())
                .map(|text| patch_files(&text, here(dir)))
                .unwrap_or_default();
            self.patches.insert(dir.to_path_buf(), listed);
        }
        let listed = self.patches.get(dir)?;
        if listed.contains(file) {
            KUSTOMIZATION_FILES
                .iter()
                .map(|n| dir.join(n))
                .find(|p| here(p).is_file())
        } else {
            None
        }
    }
}

/// `dir` as a folder to open: the empty path is the working directory.
fn here(dir: &Path) -> &Path {
    if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    }
}

/// The files a kustomization lists as patches (`patches[].path`, `patchesStrategicMerge[]`,
/// `patchesJson6902[].path`), resolved against its folder. Inline patches name no file.
pub fn patch_files(text: &str, dir: &Path) -> BTreeSet<PathBuf> {
    let mut out = BTreeSet::new();
    yaml::parse_stream(text, 0, |doc| {
        let Some(root) = doc.root else { return };
        let mut add = |rel: &str| {
            // An inline strategic-merge patch is YAML text, not a path.
            if rel.contains('\n') || rel.contains(": ") {
                return;
            }
            let p = dir.join(rel);
            out.insert(std::fs::canonicalize(&p).unwrap_or(p));
        };
        for key in ["patches", "patchesJson6902", "patchesStrategicMerge"] {
            let Some(Node {
                value: Value::Seq(items),
                ..
            }) = root.get(key)
            else {
                continue;
            };
            for item in items {
                match &item.value {
                    Value::Str(s) => add(s),
                    Value::Map(_) => {
                        if let Some(p) = item.get("path").and_then(Node::as_str) {
                            add(p);
                        }
                    }
                    _ => {}
                }
            }
        }
    });
    out
}

impl Excluded {
    /// The folder or file a note groups this exclusion under (one note per chart, per
    /// kustomization).
    pub fn group(&self) -> &Path {
        match self {
            Excluded::HelmChart(p) | Excluded::Kustomization(p) | Excluded::KustomizePatch(p) => p,
        }
    }
}

/// One note per chart or kustomization for the files left out, in a stable order.
pub fn notes(excluded: &[(PathBuf, Excluded)]) -> Vec<String> {
    let mut charts: BTreeMap<&Path, usize> = BTreeMap::new();
    let mut patches: BTreeMap<&Path, usize> = BTreeMap::new();
    let mut kustomizations: BTreeSet<&Path> = BTreeSet::new();
    for (_, why) in excluded {
        match why {
            Excluded::HelmChart(root) => *charts.entry(root).or_default() += 1,
            Excluded::KustomizePatch(k) => *patches.entry(k).or_default() += 1,
            Excluded::Kustomization(k) => {
                kustomizations.insert(k);
            }
        }
    }
    let mut out = Vec::new();
    for (root, n) in charts {
        let shown = display(root);
        out.push(format!(
            "{shown} is a Helm chart: its {n} file(s) were not validated; render it first: `helm template {shown} | meshctl validate -`"
        ));
    }
    for (k, n) in patches {
        let dir = k.parent().map(display).unwrap_or_else(|| ".".to_string());
        out.push(format!(
            "{n} file(s) listed as patches in {} were not validated as whole objects; `-k {dir}` validates what kustomize renders",
            display(k)
        ));
    }
    for k in kustomizations {
        if !patches_for(excluded, k) {
            let dir = k.parent().map(display).unwrap_or_else(|| ".".to_string());
            out.push(format!(
                "{} is a kustomization, not a manifest; `-k {dir}` validates what kustomize renders",
                display(k)
            ));
        }
    }
    out
}

fn patches_for(excluded: &[(PathBuf, Excluded)], k: &Path) -> bool {
    excluded
        .iter()
        .any(|(_, e)| matches!(e, Excluded::KustomizePatch(p) if p == k))
}

fn display(p: &Path) -> String {
    let s = p.display().to_string();
    if s.is_empty() { ".".to_string() } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patch_files_of_every_spelling() {
        let dir = Path::new("/nonexistent/overlay");
        let text = "resources: [deploy.yaml]\npatches:\n- path: p1.yaml\n- patch: |-\n    - op: add\n      path: /x\n- target: {kind: Deployment}\n  path: ../p2.yaml\npatchesStrategicMerge:\n- p3.yaml\npatchesJson6902:\n- target: {kind: Service}\n  path: p4.json\n";
        let files = patch_files(text, dir);
        let names: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
        assert_eq!(
            names,
            [
                "/nonexistent/overlay/../p2.yaml",
                "/nonexistent/overlay/p1.yaml",
                "/nonexistent/overlay/p3.yaml",
                "/nonexistent/overlay/p4.json",
            ]
        );
    }

    #[test]
    fn charts_and_patches_are_found_from_files() {
        let tmp = std::env::temp_dir().join(format!("meshctl-layout-{}", std::process::id()));
        let chart = tmp.join("chart");
        let kust = tmp.join("kust");
        std::fs::create_dir_all(chart.join("templates")).ok();
        std::fs::create_dir_all(&kust).ok();
        std::fs::write(chart.join("Chart.yaml"), "apiVersion: v2\nname: c\n").ok();
        std::fs::write(chart.join("templates/d.yaml"), "kind: x\n").ok();
        std::fs::write(
            kust.join("kustomization.yaml"),
            "patches:\n- path: p.yaml\n",
        )
        .ok();
        std::fs::write(kust.join("p.yaml"), "kind: x\n").ok();
        std::fs::write(kust.join("full.yaml"), "kind: x\n").ok();
        let mut l = Layout::default();
        assert_eq!(
            l.excluded(&chart.join("templates/d.yaml")),
            Some(Excluded::HelmChart(chart.clone()))
        );
        assert!(matches!(
            l.excluded(&kust.join("p.yaml")),
            Some(Excluded::KustomizePatch(_))
        ));
        assert!(matches!(
            l.excluded(&kust.join("kustomization.yaml")),
            Some(Excluded::Kustomization(_))
        ));
        assert_eq!(l.excluded(&kust.join("full.yaml")), None);
        std::fs::remove_dir_all(&tmp).ok();
    }
}
