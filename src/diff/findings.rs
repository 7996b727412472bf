//! `diff --findings`: which analyzer findings a change introduces and which it resolves. Both
//! sides are analyzed as `meshctl analyze` would analyze them (every analyzer, validate's
//! per-object findings included), and the findings are matched by what they say, not by where:
//! code, resource, field path and message. A finding that only moved to another line is neither
//! introduced nor resolved.

use std::collections::HashMap;

use crate::analyze::{self, MeshConfig};
use crate::check::Diagnostic;
use crate::config::ConfigSet;

/// The findings only one side has.
#[derive(Debug, Default)]
pub struct FindingsDiff {
    /// On the new side only: what the change introduces.
    pub introduced: Vec<Diagnostic>,
    /// On the old side only: what the change resolves.
    pub resolved: Vec<Diagnostic>,
}

impl FindingsDiff {
    pub fn is_empty(&self) -> bool {
        self.introduced.is_empty() && self.resolved.is_empty()
    }
}

/// Analyzes both sides and compares their findings.
pub fn diff(old: ConfigSet, new: ConfigSet, mesh: &MeshConfig) -> FindingsDiff {
    let a = findings(old, mesh);
    let b = findings(new, mesh);
    let mut counts: HashMap<String, usize> = HashMap::new();
    for d in &a {
        *counts.entry(identity(d)).or_default() += 1;
    }
    let mut introduced = Vec::new();
    for d in b {
        match counts.get_mut(&identity(&d)) {
            Some(n) if *n > 0 => *n -= 1,
            _ => introduced.push(d),
        }
    }
    let mut resolved = Vec::new();
    for d in a {
        if let Some(n) = counts.get_mut(&identity(&d))
            && *n > 0
        {
            *n -= 1;
            resolved.push(d);
        }
    }
    FindingsDiff {
        introduced,
        resolved,
    }
}

fn findings(mut set: ConfigSet, mesh: &MeshConfig) -> Vec<Diagnostic> {
    let duplicates = set.dedupe_identities();
    let all: Vec<&analyze::Analyzer> = analyze::ANALYZERS.iter().collect();
    let mut out = analyze::run(&set, mesh, &all).findings;
    out.extend(duplicates);
    out.sort_by(Diagnostic::output_order);
    out
}

/// What a finding says, without where it is: its code, resource, field path and message (the
/// message of a finding that points at another place, such as a duplicate's, keeps its
/// `file:line`, but that place is part of what it says).
fn identity(d: &Diagnostic) -> String {
    format!(
        "{}\u{1f}{}\u{1f}{}\u{1f}{}",
        d.code,
        d.resource
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
        d.path.as_deref().unwrap_or(""),
        d.message
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::from_text;

    const RULES: &str = "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: r, namespace: shop}\nspec:\n  hosts: [reviews]\n  http:\n";

    #[test]
    fn a_rule_swap_that_shadows_a_rule_is_introduced() {
        let specific =
            "  - match: [{uri: {prefix: /api/v2}}]\n    route: [{destination: {host: reviews}}]\n";
        let general =
            "  - match: [{uri: {prefix: /api}}]\n    route: [{destination: {host: reviews}}]\n";
        let old = from_text("old.yaml", &format!("{RULES}{specific}{general}"));
        let new = from_text("new.yaml", &format!("{RULES}{general}{specific}"));
        let d = diff(old, new, &MeshConfig::default());
        assert!(
            d.introduced.iter().any(|f| f.code == "MSH3001"),
            "{:?}",
            d.introduced
        );
        assert!(d.resolved.is_empty(), "{:?}", d.resolved);
        // The reverse change resolves it.
        let old = from_text("old.yaml", &format!("{RULES}{general}{specific}"));
        let new = from_text("new.yaml", &format!("{RULES}{specific}{general}"));
        let d = diff(old, new, &MeshConfig::default());
        assert!(d.resolved.iter().any(|f| f.code == "MSH3001"));
        assert!(d.introduced.is_empty());
    }

    #[test]
    fn a_finding_that_only_moved_is_no_change() {
        let text = "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: r, namespace: shop}\nspec:\n  hosts: [reviews]\n  http:\n  - route: [{destination: {host: reviews}}]\n  - route: [{destination: {host: ratings}}]\n";
        let old = from_text("old.yaml", text);
        let new = from_text("new.yaml", &format!("# moved down\n\n{text}"));
        assert!(diff(old, new, &MeshConfig::default()).is_empty());
    }
}
