//! The library entry point of `meshctl analyze` and `meshctl lint` once the inputs are loaded:
//! run the chosen analyzers over a config set, drop what the chosen Istio release would not
//! report, add the input's own problems, and order the findings. Loading (files or a live
//! cluster), the suppression policy and output stay with the callers: the CLI, and anything
//! else that analyses a set (an editor integration, tests).

use super::{Analyzer, MeshConfig, Outcome};
use crate::check::Diagnostic;
use crate::config::ConfigSet;
use crate::model::releases::{self, Release};

/// What to analyse and how.
pub struct Request<'a> {
    pub set: &'a ConfigSet,
    pub mesh: &'a MeshConfig,
    pub checks: &'a [&'static Analyzer],
    /// The Istio release the configuration is for: analyzers added after it do not report.
    pub release: Release,
    /// Findings about the input found while loading it (duplicate definitions, an empty input),
    /// reported with the analysis.
    pub input_findings: Vec<Diagnostic>,
    /// `lint`: problems with the input itself (MSH0xxx: a file that does not parse) are
    /// reported too, since such a file is not clean.
    pub include_input_problems: bool,
    /// The objects were read from a cluster: findings name the object, not a line of meshctl's
    /// serialisation of it, and with `Some(ns)` only findings of that namespace are kept.
    pub live: Option<Option<&'a str>>,
}

/// Runs the request's analyzers; findings come back in output order, with the notes the
/// analyzers (and the release filter) left for the user.
pub fn analyze(req: Request<'_>) -> Outcome {
    let Outcome {
        mut findings,
        mut notes,
    } = super::run(req.set, req.mesh, req.checks);
    // Analyzers the chosen release does not have: istioctl of that release would not report.
    let mut absent: Vec<String> = Vec::new();
    findings.retain(|d| match releases::code_added_after(d.code, req.release) {
        Some(since) => {
            let n = format!("{} (added in Istio {since})", d.code);
            if !absent.contains(&n) {
                absent.push(n);
            }
            false
        }
        None => true,
    });
    if !absent.is_empty() {
        notes.push(format!(
            "not reported for Istio {}: {}",
            req.release,
            absent.join(", ")
        ));
    }
    findings.extend(req.input_findings);
    if let Some(namespace) = req.live {
        crate::config::detach_cluster_locations(&mut findings);
        if let Some(ns) = namespace {
            findings.retain(|d| in_namespace(d, ns));
        }
    }
    if req.include_input_problems {
        findings.extend(
            req.set
                .diagnostics
                .iter()
                .filter(|d| d.code.starts_with("MSH0"))
                .cloned(),
        );
    }
    findings.sort_by(Diagnostic::output_order);
    Outcome { findings, notes }
}

/// Whether a finding concerns namespace `ns` (the scope of `analyze -n` on a cluster): findings
/// on files are always kept; on live objects, those of the namespace and of the Namespace
/// object itself.
fn in_namespace(d: &Diagnostic, ns: &str) -> bool {
    if d.location.is_some() {
        return true;
    }
    match &d.resource {
        None => true,
        Some(r) => match &r.namespace {
            Some(n) => n == ns,
            None => r.kind != "Namespace" || r.name.as_deref() == Some(ns),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const INPUT: &str = "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: r, namespace: shop}\nspec:\n  hosts: [r]\n  http:\n  - route:\n    - destination: {host: nowhere.shop.svc.cluster.local}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: other, namespace: shop}\nspec:\n  ports: [{name: http, port: 80}]\n";

    fn codes(out: &Outcome) -> Vec<&str> {
        out.findings.iter().map(|d| d.code).collect()
    }

    /// Every analyzer over `INPUT` for Istio 1.28, as read from files or (`live`) a cluster.
    fn run(live: Option<Option<&str>>) -> Outcome {
        let set = crate::config::from_text("t.yaml", INPUT);
        let mesh = MeshConfig::default();
        let all: Vec<&'static Analyzer> = super::super::ANALYZERS.iter().collect();
        analyze(Request {
            set: &set,
            mesh: &mesh,
            checks: &all,
            release: Release::new(1, 28),
            input_findings: Vec::new(),
            include_input_problems: false,
            live,
        })
    }

    #[test]
    fn runs_analyzers_and_orders_findings() {
        let out = run(None);
        assert!(codes(&out).contains(&"IST0101"), "{:?}", codes(&out));
        let keys: Vec<_> = out.findings.iter().map(Diagnostic::sort_key).collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted);
    }

    #[test]
    fn live_findings_are_scoped_to_the_namespace() {
        // Files given with a cluster keep their locations, and are kept whatever the namespace.
        let files = run(None).findings.len();
        assert!(files > 0);
        assert_eq!(run(Some(Some("web"))).findings.len(), files);
        // A live object's finding belongs to its namespace.
        let mut d = run(None).findings.remove(0);
        d.location = None;
        assert!(in_namespace(&d, "shop"));
        assert!(!in_namespace(&d, "web"));
    }
}
