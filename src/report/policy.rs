//! The reporting policy shared by `validate`, `analyze` and `lint`: suppressions (annotations on
//! the object and `--suppress CODE=Kind namespace/name`), the `.meshctl.yaml` config file (codes
//! off, severity overrides, ignored paths), baselines, and the output/failure thresholds.
//!
//! One syntax names a resource everywhere: `Kind namespace/name` (`Kind name` for cluster-scoped
//! kinds), as findings print it; `*` and `?` are wildcards in every part. A code pattern matches
//! a finding's code, or the meshctl rule behind it (`analyze` reports validate's MSH1213 as
//! IST0106); MSH1100 and MSH1101 stand for every admission error and every admission warning.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::Error;
use crate::check::run::{ISTIO_SUPPRESS, MESHCTL_SUPPRESS, SuppressAnnotation};
use crate::check::validate::codes;
use crate::check::{Diagnostic, Severity, catalog};

/// Whether the code pattern `pattern` (upper case, globs allowed) names the finding `d`: its
/// code, the rule behind it, or an alias (MSH1100/MSH1101) covering either.
pub fn code_matches(pattern: &str, d: &Diagnostic) -> bool {
    std::iter::once(d.code).chain(d.rule).any(|code| {
        glob_match(pattern, code)
            || codes::ALIASES
                .iter()
                .any(|(alias, _)| glob_match(pattern, alias) && codes::alias_covers(alias, code))
    })
}

/// Matches `text` against a pattern with `*` (any run, `/` included) and `?` (one character),
/// through `globset` (the glob engine `ignorePaths` uses). A pattern globset cannot read (an
/// unclosed `[`) matches only itself.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    if !pattern.contains(['*', '?', '[', '{', '\\']) {
        return pattern == text;
    }
    match globset::GlobBuilder::new(pattern)
        .literal_separator(false)
        .backslash_escape(true)
        .build()
    {
        Ok(glob) => glob.compile_matcher().is_match(text),
        Err(_) => pattern == text,
    }
}

/// The codes of the catalogue a code pattern (`IST0101`, `IST01*`) names; an error when none.
fn codes_matching(pattern: &str) -> Result<Vec<&'static str>, String> {
    let found: Vec<&'static str> = catalog::CATALOG
        .iter()
        .filter(|c| glob_match(&pattern.to_ascii_uppercase(), c.code))
        .map(|c| c.code)
        .collect();
    if found.is_empty() {
        let hint = crate::check::suggest(pattern, catalog::CATALOG.iter().map(|c| c.code))
            .map(|s| format!(" (did you mean {s}?)"))
            .unwrap_or_default();
        Err(format!(
            "unknown code {pattern:?}{hint}; `meshctl explain` lists the codes"
        ))
    } else {
        Ok(found)
    }
}

/// One suppression: a code pattern and a resource pattern.
#[derive(Debug, Clone, PartialEq)]
pub struct Suppression {
    pub code: String,
    pub kind: String,
    /// `None` for a cluster-scoped pattern (`Kind name`).
    pub namespace: Option<String>,
    pub name: String,
}

impl Suppression {
    /// Parses `CODE=Kind namespace/name` (or `CODE=Kind name`); globs are allowed in each part.
    pub fn parse(s: &str) -> Result<Suppression, String> {
        let syntax = "expected CODE=Kind namespace/name (e.g. IST0101=VirtualService shop/reviews, IST01*=* prod/*)";
        let (code, res) = s
            .split_once('=')
            .ok_or_else(|| format!("invalid suppression {s:?}: {syntax}"))?;
        let code = code.trim();
        if code.is_empty() {
            return Err(format!(
                "invalid suppression {s:?}: the code is missing; {syntax}"
            ));
        }
        codes_matching(code).map_err(|e| format!("invalid suppression {s:?}: {e}"))?;
        let (kind, target) = res
            .trim()
            .split_once(char::is_whitespace)
            .ok_or_else(|| format!("invalid suppression {s:?}: {syntax}"))?;
        let target = target.trim();
        if kind.is_empty() || target.is_empty() || target.contains(char::is_whitespace) {
            return Err(format!("invalid suppression {s:?}: {syntax}"));
        }
        if target.contains('.') && !target.contains('/') && !target.contains('*') {
            return Err(format!(
                "invalid suppression {s:?}: resources are written namespace/name, not name.namespace (istioctl's help text); {syntax}"
            ));
        }
        let (namespace, name) = match target.split_once('/') {
            Some((ns, n)) if !ns.is_empty() && !n.is_empty() => {
                (Some(ns.to_string()), n.to_string())
            }
            Some(_) => return Err(format!("invalid suppression {s:?}: {syntax}")),
            None => (None, target.to_string()),
        };
        Ok(Suppression {
            code: code.to_ascii_uppercase(),
            kind: kind.to_string(),
            namespace,
            name,
        })
    }

    pub fn matches(&self, d: &Diagnostic) -> bool {
        let Some(r) = &d.resource else { return false };
        code_matches(&self.code, d)
            && glob_match(&self.kind, &r.kind)
            && glob_match(&self.name, r.name.as_deref().unwrap_or(""))
            && match (&self.namespace, &r.namespace) {
                (None, None) => true,
                (Some(p), Some(ns)) => glob_match(p, ns),
                (Some(p), None) => p == "*",
                (None, Some(_)) => self.name == "*" && self.kind == "*",
            }
    }
}

/// A finding's severity after configuration: a severity, or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Off,
    On(Severity),
    /// On with the catalogue's severity.
    Default,
}

fn parse_level(v: &str) -> Option<Level> {
    match v.to_ascii_lowercase().as_str() {
        "off" | "disable" | "disabled" | "false" => Some(Level::Off),
        "on" | "enable" | "enabled" | "true" | "default" => Some(Level::Default),
        "error" => Some(Level::On(Severity::Error)),
        "warning" | "warn" => Some(Level::On(Severity::Warning)),
        "info" | "note" => Some(Level::On(Severity::Info)),
        _ => None,
    }
}

pub fn parse_severity(v: &str) -> Option<Severity> {
    match parse_level(v) {
        Some(Level::On(s)) => Some(s),
        _ => None,
    }
}

/// The `.meshctl.yaml` settings.
#[derive(Debug, Clone, Default)]
pub struct RuleConfig {
    /// Code → level, from `rules:` (code patterns expanded).
    pub levels: BTreeMap<&'static str, Level>,
    /// Globs of files whose findings are not reported (relative to the config file).
    pub ignore_paths: Vec<String>,
    pub suppress: Vec<Suppression>,
    pub failure_threshold: Option<Severity>,
    pub output_threshold: Option<Severity>,
    pub mesh_config: Option<String>,
    /// `istioVersion`: the Istio release the configuration is for (`--istio-version` wins).
    pub istio_version: Option<crate::model::releases::Release>,
    /// The directory the file was found in (ignore paths are relative to it).
    pub base: PathBuf,
    /// Where the configuration came from, for messages.
    pub path: Option<PathBuf>,
}

pub const CONFIG_NAMES: &[&str] = &[".meshctl.yaml", ".meshctl.yml"];

impl RuleConfig {
    /// The config file: `explicit` when given, else the first `.meshctl.yaml` found from `start`
    /// upwards; defaults when there is none.
    pub fn discover(explicit: Option<&str>, start: &Path) -> Result<RuleConfig, Error> {
        if let Some(p) = explicit {
            return RuleConfig::load(Path::new(p));
        }
        let mut dir = Some(start);
        while let Some(d) = dir {
            for name in CONFIG_NAMES {
                let candidate = d.join(name);
                if candidate.is_file() {
                    return RuleConfig::load(&candidate);
                }
            }
            dir = d.parent();
        }
        Ok(RuleConfig {
            base: start.to_path_buf(),
            ..RuleConfig::default()
        })
    }

    pub fn load(path: &Path) -> Result<RuleConfig, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Read {
            path: path.display().to_string(),
            source: e,
        })?;
        let mut cfg = RuleConfig::parse(&text)
            .map_err(|m| Error::Usage(format!("{}: {m}", path.display())))?;
        cfg.base = path
            .parent()
            .map(Path::to_path_buf)
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or_else(|| PathBuf::from("."));
        cfg.path = Some(path.to_path_buf());
        Ok(cfg)
    }

    /// Parses the config text (a YAML mapping; see docs/analyze.md).
    pub fn parse(text: &str) -> Result<RuleConfig, String> {
        let mut root: Option<Result<Value, String>> = None;
        crate::load::yaml::parse_stream(text, 0, |doc| {
            if root.is_none() {
                root = Some(match doc.errors.first() {
                    Some(e) => Err(e.message.clone()),
                    None => Ok(doc.root.map_or(Value::Null, |r| r.to_json())),
                });
            }
        });
        let root = root.unwrap_or(Ok(Value::Null))?;
        let map = match root {
            Value::Null => return Ok(RuleConfig::default()),
            Value::Object(m) => m,
            _ => return Err("the config must be a mapping".to_string()),
        };
        let mut cfg = RuleConfig::default();
        let strings = |key: &str, v: &Value| -> Result<Vec<String>, String> {
            match v {
                Value::Array(a) => a
                    .iter()
                    .map(|x| {
                        x.as_str()
                            .map(str::to_string)
                            .ok_or_else(|| format!("`{key}` must be a list of strings"))
                    })
                    .collect(),
                _ => Err(format!("`{key}` must be a list of strings")),
            }
        };
        for (key, v) in &map {
            match key.as_str() {
                "rules" => {
                    let Value::Object(rules) = v else {
                        return Err(
                            "`rules` must map codes to off, on, error, warning or info".to_string()
                        );
                    };
                    for (pattern, level) in rules {
                        let text = match level {
                            Value::String(s) => s.clone(),
                            Value::Bool(b) => b.to_string(),
                            _ => String::new(),
                        };
                        let level = parse_level(&text).ok_or_else(|| {
                            format!("rules.{pattern}: {level} is not one of off, on, error, warning, info")
                        })?;
                        for code in codes_matching(pattern).map_err(|e| format!("rules: {e}"))? {
                            cfg.levels.insert(code, level);
                        }
                    }
                }
                "disable" => {
                    for pattern in strings(key, v)? {
                        for code in codes_matching(&pattern).map_err(|e| format!("disable: {e}"))? {
                            cfg.levels.insert(code, Level::Off);
                        }
                    }
                }
                "enable" => {
                    for pattern in strings(key, v)? {
                        for code in codes_matching(&pattern).map_err(|e| format!("enable: {e}"))? {
                            cfg.levels.insert(code, Level::Default);
                        }
                    }
                }
                "ignorePaths" => cfg.ignore_paths = strings(key, v)?,
                "suppress" => {
                    for s in strings(key, v)? {
                        cfg.suppress.push(Suppression::parse(&s)?);
                    }
                }
                "failureThreshold" | "outputThreshold" => {
                    let s = v
                        .as_str()
                        .and_then(parse_severity)
                        .ok_or_else(|| format!("`{key}` must be one of error, warning, info"))?;
                    if key == "failureThreshold" {
                        cfg.failure_threshold = Some(s);
                    } else {
                        cfg.output_threshold = Some(s);
                    }
                }
                "meshConfig" => {
                    cfg.mesh_config = Some(
                        v.as_str()
                            .ok_or("`meshConfig` must be a file path")?
                            .to_string(),
                    );
                }
                "istioVersion" => {
                    let text = match v {
                        Value::String(s) => s.clone(),
                        Value::Number(n) => n.to_string(),
                        _ => String::new(),
                    };
                    cfg.istio_version = Some(
                        crate::model::releases::Release::supported(&text)
                            .map_err(|e| format!("istioVersion: {e}"))?,
                    );
                }
                other => {
                    let known = [
                        "istioVersion",
                        "rules",
                        "disable",
                        "enable",
                        "ignorePaths",
                        "suppress",
                        "failureThreshold",
                        "outputThreshold",
                        "meshConfig",
                    ];
                    let hint = crate::check::suggest(other, known)
                        .map(|s| format!(" (did you mean `{s}`?)"))
                        .unwrap_or_default();
                    return Err(format!("unknown setting `{other}`{hint}"));
                }
            }
        }
        Ok(cfg)
    }

    fn ignored(&self, file: &str, globs: &globset::GlobSet) -> bool {
        if globs.is_empty() {
            return false;
        }
        let p = Path::new(file);
        if globs.is_match(p) || globs.is_match(p.strip_prefix("./").unwrap_or(p)) {
            return true;
        }
        match (std::path::absolute(p), std::path::absolute(&self.base)) {
            (Ok(abs), Ok(base)) => normalize(&abs)
                .strip_prefix(normalize(&base))
                .is_ok_and(|rel| globs.is_match(rel)),
            _ => false,
        }
    }

    fn glob_set(&self) -> Result<globset::GlobSet, Error> {
        let mut b = globset::GlobSetBuilder::new();
        for g in &self.ignore_paths {
            let glob = globset::GlobBuilder::new(g)
                .literal_separator(false)
                .build()
                .map_err(|e| Error::Usage(format!("ignorePaths: {g:?}: {e}")))?;
            b.add(glob);
        }
        b.build()
            .map_err(|e| Error::Usage(format!("ignorePaths: {e}")))
    }
}

/// Removes `.` and resolves `..` components without touching the file system.
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Everything that turns raw findings into reported ones.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    pub config: RuleConfig,
    /// `--suppress` flags.
    pub suppress: Vec<Suppression>,
    pub output_threshold: Option<Severity>,
    /// Honour Istio's `galley.istio.io/analyze-suppress` annotation too (`analyze`, `lint`);
    /// `meshctl.dev/suppress` is always honoured.
    pub istio_annotation: bool,
}

/// What the policy did, for the summary and notes.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Applied {
    pub suppressed: usize,
    pub disabled: usize,
    pub ignored: usize,
}

impl Policy {
    /// The configured level of a finding: its own code first, then the rule behind it, then
    /// an alias covering either.
    fn level(&self, d: &Diagnostic) -> Option<Level> {
        let levels = &self.config.levels;
        let codes = || std::iter::once(d.code).chain(d.rule);
        codes()
            .find_map(|c| levels.get(c))
            .or_else(|| {
                codes().find_map(|c| {
                    codes::ALIASES
                        .iter()
                        .filter(|(alias, _)| codes::alias_covers(alias, c))
                        .find_map(|(alias, _)| levels.get(alias))
                })
            })
            .copied()
    }

    /// Applies severity overrides, disabled codes, ignored paths, suppressions (flags, config
    /// and the annotations on the object), in that order.
    pub fn apply(
        &self,
        annotations: &[SuppressAnnotation],
        findings: Vec<Diagnostic>,
    ) -> Result<(Vec<Diagnostic>, Applied), Error> {
        let globs = self.config.glob_set()?;
        let mut by_object: HashMap<(&str, &str), Vec<&SuppressAnnotation>> = HashMap::new();
        for a in annotations {
            if a.annotation == MESHCTL_SUPPRESS
                || (self.istio_annotation && a.annotation == ISTIO_SUPPRESS)
            {
                by_object.entry((a.kind, &a.name)).or_default().push(a);
            }
        }
        let mut out = Vec::with_capacity(findings.len());
        let mut applied = Applied::default();
        for mut d in findings {
            match self.level(&d) {
                Some(Level::Off) => {
                    applied.disabled += 1;
                    continue;
                }
                Some(Level::On(s)) => d.severity = s,
                _ => {}
            }
            if let Some(l) = &d.location
                && self.config.ignored(l.file(), &globs)
            {
                applied.ignored += 1;
                continue;
            }
            let by_flag = self
                .suppress
                .iter()
                .chain(&self.config.suppress)
                .any(|s| s.matches(&d));
            let by_annotation = d.resource.as_ref().is_some_and(|r| {
                let name = r.name.as_deref().unwrap_or("");
                by_object
                    .get(&(r.kind.as_str(), name))
                    .into_iter()
                    .flatten()
                    // An object written without a namespace is the finding's object whatever
                    // namespace the finding was given (analyze fills in the default one).
                    .filter(|a| a.namespace.is_none() || a.namespace == r.namespace)
                    .any(|a| {
                        a.codes
                            .split(',')
                            .map(str::trim)
                            .any(|c| c == "*" || code_matches(&c.to_ascii_uppercase(), &d))
                    })
            });
            if by_flag || by_annotation {
                applied.suppressed += 1;
                continue;
            }
            out.push(d);
        }
        Ok((out, applied))
    }
}

/// A finding's identity in a baseline: code, resource and field path (not the line, so
/// unrelated edits do not resurrect it).
fn fingerprint(d: &Diagnostic) -> (String, String, String) {
    (
        d.code.to_string(),
        d.resource
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_else(|| {
                d.location
                    .as_ref()
                    .map(|l| l.file().to_string())
                    .unwrap_or_default()
            }),
        d.path.clone().unwrap_or_default(),
    )
}

/// Writes today's findings as a baseline file (JSON).
pub fn write_baseline(path: &str, findings: &[Diagnostic]) -> Result<(), Error> {
    let entries: Vec<Value> = findings
        .iter()
        .map(|d| {
            let (code, resource, field) = fingerprint(d);
            json!({"code": code, "resource": resource, "path": field, "message": d.message})
        })
        .collect();
    let doc = json!({"meshctlBaseline": 1, "findings": entries});
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    std::fs::write(path, text).map_err(|e| Error::Read {
        path: path.to_string(),
        source: e,
    })
}

/// Reads a baseline and drops the findings it records (each entry excuses one finding).
pub fn apply_baseline(
    path: &str,
    findings: Vec<Diagnostic>,
) -> Result<(Vec<Diagnostic>, usize), Error> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::Read {
        path: path.to_string(),
        source: e,
    })?;
    let bad = |m: &str| Error::Usage(format!("--baseline {path}: {m}"));
    let doc: Value =
        serde_json::from_str(&text).map_err(|e| bad(&format!("not a meshctl baseline ({e})")))?;
    if doc.get("meshctlBaseline").and_then(Value::as_u64) != Some(1) {
        return Err(bad(
            "not a meshctl baseline (write one with --write-baseline)",
        ));
    }
    let mut known: HashMap<(String, String, String), usize> = HashMap::new();
    for e in doc
        .get("findings")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let s = |k: &str| e.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        *known
            .entry((s("code"), s("resource"), s("path")))
            .or_default() += 1;
    }
    let mut kept = Vec::new();
    let mut dropped = 0;
    for d in findings {
        match known.get_mut(&fingerprint(&d)) {
            Some(n) if *n > 0 => {
                *n -= 1;
                dropped += 1;
            }
            _ => kept.push(d),
        }
    }
    Ok((kept, dropped))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::ResourceRef;

    fn finding(code: &'static str, kind: &str, ns: Option<&str>, name: &str) -> Diagnostic {
        Diagnostic::of(code, "m").with_resource(Some(ResourceRef {
            api_version: "v1".into(),
            kind: kind.into(),
            namespace: ns.map(str::to_string),
            name: Some(name.into()),
        }))
    }

    #[test]
    fn paths_normalize() {
        assert_eq!(
            normalize(Path::new("/a/b/../c/./d")),
            PathBuf::from("/a/c/d")
        );
    }

    #[test]
    fn globs() {
        assert!(glob_match("IST01*", "IST0101"));
        assert!(glob_match("*", ""));
        assert!(glob_match("a?c", "abc"));
        assert!(!glob_match("a?c", "ac"));
        assert!(glob_match("*-v*", "reviews-v1"));
        assert!(!glob_match("IST01*", "IST0201"));
    }

    #[test]
    fn suppression_syntax() {
        let s = Suppression::parse("IST0101=VirtualService shop/reviews")
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(s.matches(&finding(
            "IST0101",
            "VirtualService",
            Some("shop"),
            "reviews"
        )));
        assert!(!s.matches(&finding(
            "IST0101",
            "VirtualService",
            Some("web"),
            "reviews"
        )));
        let g = Suppression::parse("IST01*=* prod-*/*").unwrap_or_else(|e| panic!("{e}"));
        assert!(g.matches(&finding("IST0132", "Gateway", Some("prod-eu"), "gw")));
        let c = Suppression::parse("IST0102=Namespace legacy").unwrap_or_else(|e| panic!("{e}"));
        assert!(c.matches(&finding("IST0102", "Namespace", None, "legacy")));
        for bad in [
            "IST0101",
            "=Kind a/b",
            "IST0101=VirtualService",
            "IST9999=Kind a/b",
            "IST0101=VirtualService reviews.shop",
            "IST0101=Kind /x",
        ] {
            assert!(Suppression::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn config_file() {
        let cfg = RuleConfig::parse(
            "rules:\n  IST0118: off\n  MSH20*: error\ndisable: [IST0102]\nignorePaths: [vendor/**]\nsuppress: [\"IST0101=VirtualService a/b\"]\nfailureThreshold: warning\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(cfg.levels.get("IST0118"), Some(&Level::Off));
        assert_eq!(cfg.levels.get("IST0102"), Some(&Level::Off));
        assert_eq!(cfg.levels.get("MSH2001"), Some(&Level::On(Severity::Error)));
        assert_eq!(cfg.failure_threshold, Some(Severity::Warning));
        assert_eq!(cfg.suppress.len(), 1);
        for bad in [
            "rule: {}",
            "rules: {IST0118: loud}",
            "rules: {NOPE: off}",
            "- a",
            "ignorePaths: x",
            "failureThreshold: high",
        ] {
            assert!(RuleConfig::parse(bad).is_err(), "{bad}");
        }
        assert!(RuleConfig::parse("").is_ok());
    }

    #[test]
    fn policy_applies_levels_and_annotations() {
        let set = crate::config::from_text(
            "t.yaml",
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  namespace: demo\n  annotations: {galley.istio.io/analyze-suppress: \"IST0118\"}\nspec: {ports: [{name: x, port: 1}]}\n",
        );
        assert_eq!(set.suppressions.len(), 1);
        let policy = Policy {
            config: RuleConfig::parse("rules: {IST0108: error, IST0102: off}").unwrap_or_default(),
            istio_annotation: true,
            ..Policy::default()
        };
        let findings = vec![
            finding("IST0118", "Service", Some("demo"), "s"),
            finding("IST0108", "Service", Some("demo"), "s"),
            finding("IST0102", "Namespace", None, "demo"),
        ];
        let (kept, applied) = policy
            .apply(&set.suppressions, findings)
            .unwrap_or_default();
        assert_eq!(kept.len(), 1, "{kept:?}");
        assert_eq!(kept[0].severity, Severity::Error);
        assert_eq!(
            applied,
            Applied {
                suppressed: 1,
                disabled: 1,
                ignored: 0
            }
        );
    }
}
