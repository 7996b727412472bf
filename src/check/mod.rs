//! Checks turn loaded documents into [`Diagnostic`]s: `validate` (per object: structure, schema,
//! Istio's admission rules). Every check reports a field path; this module resolves paths to
//! file locations and owns the one diagnostic type that every output format renders.

pub mod catalog;
pub mod release;
pub mod run;
mod summary;
pub mod validate;

pub use summary::Summary;

use std::sync::Arc;

use serde::Serialize;

use crate::load::{Source, Span};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(&self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// The resource a finding is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResourceRef {
    #[serde(rename = "apiVersion")]
    pub api_version: String,
    pub kind: String,
    pub namespace: Option<String>,
    pub name: Option<String>,
}

impl std::fmt::Display for ResourceRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.kind)?;
        match (&self.namespace, &self.name) {
            (Some(ns), Some(n)) => write!(f, " {ns}/{n}"),
            (None, Some(n)) => write!(f, " {n}"),
            _ => Ok(()),
        }
    }
}

/// Where in a file a finding points.
#[derive(Debug, Clone)]
pub struct Location {
    pub source: Arc<Source>,
    pub span: Span,
}

/// `file:line:column` (1-based), as every format names a position.
impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (line, col) = self.start();
        write!(f, "{}:{line}:{col}", self.file())
    }
}

impl Location {
    pub fn file(&self) -> &str {
        &self.source.name
    }
    /// 1-based start line and column.
    pub fn start(&self) -> (usize, usize) {
        self.source.line_col(self.span.start as usize)
    }
    /// 1-based end line and column (exclusive end, as the span).
    pub fn end(&self) -> (usize, usize) {
        self.source.line_col(self.span.end as usize)
    }
}

/// One finding, as every output format sees it.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub resource: Option<ResourceRef>,
    /// Field path from the object root, e.g. `spec.http[0].route[1].weight`.
    pub path: Option<String>,
    pub location: Option<Location>,
    pub help: Option<String>,
    /// A second location that explains the first (e.g. where a duplicate key first appeared).
    pub related: Option<(Location, String)>,
    /// The meshctl rule behind a finding reported under another code: `analyze` reports a
    /// validate finding (say MSH1213) as Istio's IST0106 and keeps MSH1213 here, so that
    /// suppressions and `.meshctl.yaml` can still name the rule.
    pub rule: Option<&'static str>,
}

impl Diagnostic {
    pub fn new(code: &'static str, severity: Severity, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity,
            message: message.into(),
            resource: None,
            path: None,
            location: None,
            help: None,
            related: None,
            rule: None,
        }
    }

    /// A diagnostic with the catalogue's default severity for `code`.
    pub fn of(code: &'static str, message: impl Into<String>) -> Self {
        let severity = catalog::lookup(code).map_or(Severity::Error, |c| c.severity);
        Diagnostic::new(code, severity, message)
    }

    pub fn at(mut self, source: &Arc<Source>, span: Span) -> Self {
        self.location = Some(Location {
            source: Arc::clone(source),
            span,
        });
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_path(mut self, path: impl Into<String>) -> Self {
        let p = path.into();
        self.path = (!p.is_empty()).then_some(p);
        self
    }

    pub fn with_resource(mut self, resource: Option<ResourceRef>) -> Self {
        self.resource = resource;
        self
    }

    /// The order of output: file, position, code, message (borrowed: sorting allocates
    /// nothing).
    pub fn sort_key(&self) -> (&str, u32, &'static str, &str) {
        match &self.location {
            Some(l) => (l.file(), l.span.start, self.code, &self.message),
            None => ("", 0, self.code, &self.message),
        }
    }

    /// Compares two findings in output order ([`Diagnostic::sort_key`]), for `sort_by`.
    pub fn output_order(a: &Diagnostic, b: &Diagnostic) -> std::cmp::Ordering {
        a.sort_key().cmp(&b.sort_key())
    }
}

/// The closest candidate to `word`, if it is close enough to be a plausible typo.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_ascii_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        if c.eq_ignore_ascii_case(word) {
            return Some(c);
        }
        let d = strsim::levenshtein(&lower, &c.to_ascii_lowercase());
        if best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    let limit = (word.chars().count() / 3).clamp(1, 3);
    best.filter(|(d, _)| *d <= limit).map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        assert_eq!(
            suggest("VirtualServce", ["VirtualService", "Gateway"]),
            Some("VirtualService")
        );
        assert_eq!(suggest("rout", ["route", "redirect"]), Some("route"));
        assert_eq!(suggest("xyz", ["route", "redirect"]), None);
        assert_eq!(suggest("HOSTS", ["hosts"]), Some("hosts"));
    }
}
