//! `analyze` and `lint`: checks over a whole [`ConfigSet`] (cross-resource analyzers with
//! Istio's IST codes, meshctl's MSH3xxx analyses) and over single objects (MSH2xxx lint rules).
//!
//! Everything runs offline on the input files. Services, workloads (Pods, and pods synthesised
//! from Deployment, StatefulSet, DaemonSet and ReplicaSet templates), Namespaces, Secrets,
//! ConfigMaps and webhook configurations in the input take part. Where a check needs a kind the
//! input does not contain at all (no Service anywhere, say), it is skipped with a note instead of
//! reporting every reference as missing.
//!
//! [`Context`] decodes every object once and builds the indexes analyzers share (hosts by FQDN
//! with their `exportTo` visibility, workloads by namespace and by label, objects by name), so no
//! analyzer compares objects pairwise.

pub mod context;
pub mod lint;
pub mod mesh;
pub mod pipeline;
pub mod shadow;

mod alpha;
mod annotation_table;
mod blocked_cidrs;
mod conditions;
mod deprecation;
mod destination_rule;
mod envoy_filter;
mod gateway;
mod image_auto;
mod k8s_gateway;
mod lightstep;
mod mesh_networks;
mod metadata;
mod policy;
mod proxy_image;
mod schema;
mod service;
mod virtual_service;
mod webhook;

use rayon::prelude::*;

use crate::check::Diagnostic;
use crate::config::ConfigSet;

pub use context::Context;
pub use mesh::MeshConfig;

/// One analyzer: a name (what `--analyzer` and `--list` show), what it checks, the codes it can
/// report, and the function that runs it.
pub struct Analyzer {
    pub name: &'static str,
    pub description: &'static str,
    pub codes: &'static [&'static str],
    pub run: fn(&Context<'_>, &mut Sink),
}

/// Where an analyzer reports: findings plus notes about checks it had to skip.
#[derive(Debug, Default)]
pub struct Sink {
    pub findings: Vec<Diagnostic>,
    pub notes: Vec<String>,
}

impl Sink {
    pub fn push(&mut self, d: Diagnostic) {
        self.findings.push(d);
    }
    pub fn note(&mut self, note: impl Into<String>) {
        self.notes.push(note.into());
    }
}

/// Every cross-resource analyzer, in the order `--list` prints them.
pub static ANALYZERS: &[Analyzer] = &[
    schema::VALIDATION,
    virtual_service::DESTINATION_HOSTS,
    virtual_service::DESTINATION_RULES,
    virtual_service::GATEWAYS,
    virtual_service::CONFLICTING_MESH_HOSTS,
    virtual_service::JWT_CLAIM_ROUTES,
    shadow::SHADOWED_ROUTES,
    destination_rule::CA_CERTIFICATES,
    destination_rule::SUBSET_PODS,
    gateway::INGRESS_PORTS,
    gateway::CONFLICTING_GATEWAYS,
    gateway::CERTIFICATES,
    gateway::SECRETS,
    policy::SIDECAR_SELECTORS,
    policy::TELEMETRY_SELECTORS,
    policy::TELEMETRY_DEFAULT_SELECTORS,
    policy::TELEMETRY_PROVIDERS,
    policy::AUTHORIZATION_POLICIES,
    service::PORT_NAMES,
    service::SERVICE_ENTRY_ADDRESSES,
    service::SERVICE_ENTRY_PROTOCOLS,
    service::DEPLOYMENT_SERVICES,
    service::APPLICATION_UID,
    metadata::ANNOTATIONS,
    alpha::ALPHA_ANNOTATIONS,
    metadata::INJECTION,
    proxy_image::PROXY_IMAGE,
    image_auto::IMAGE_AUTO,
    deprecation::DEPRECATION,
    lightstep::LIGHTSTEP,
    envoy_filter::ENVOY_PATCHES,
    webhook::INJECTOR_WEBHOOKS,
    webhook::EXTERNAL_CONTROL_PLANE,
    k8s_gateway::SELECTORS,
    k8s_gateway::CRD_VERSIONS,
    conditions::CONDITIONS,
    blocked_cidrs::BLOCKED_CIDRS,
    mesh_networks::MESH_NETWORKS,
];

/// Analyzers that run only when named (`--analyzer`), as Istio leaves them out of its default
/// set: they report on what Istio's own components write.
pub const OPT_IN: &[&str] = &["annotations.AlphaAnalyzer"];

/// What one run of analyzers produced.
#[derive(Debug, Default)]
pub struct Outcome {
    pub findings: Vec<Diagnostic>,
    pub notes: Vec<String>,
}

/// Runs `analyzers` (in parallel) over `set`; the findings come back in output order.
pub fn run(set: &ConfigSet, mesh: &MeshConfig, analyzers: &[&Analyzer]) -> Outcome {
    let cx = Context::new(set, mesh);
    let out = run_in(&cx, analyzers);
    // The views are many small allocations: free them off the caller's path (the caller goes
    // on to report the findings meanwhile).
    let views = cx.views;
    rayon::spawn(move || drop(views));
    out
}

/// [`run`] over a context built by the caller (so lint and analyze can share one).
pub fn run_in(cx: &Context<'_>, analyzers: &[&Analyzer]) -> Outcome {
    // Opt-in analyzers run only when chosen: not as part of the whole set.
    let everything = analyzers.len() == ANALYZERS.len();
    let sinks: Vec<Sink> = analyzers
        .par_iter()
        .filter(|a| !(everything && OPT_IN.contains(&a.name)))
        .map(|a| {
            let mut sink = Sink::default();
            (a.run)(cx, &mut sink);
            sink
        })
        .collect();
    let mut out = Outcome::default();
    for s in sinks {
        out.findings.extend(s.findings);
        for n in s.notes {
            if !out.notes.contains(&n) {
                out.notes.push(n);
            }
        }
    }
    out.findings.sort_by(Diagnostic::output_order);
    // As Istio does, one finding per code, resource and message: an analyzer that finds the
    // same thing at several places of one object reports it once (at the first). The same
    // resource defined in two files is two objects, each reported.
    // Keyed on borrowed fields (the resource as it is displayed: kind, and namespace with a
    // name), so no key is allocated.
    let keep: Vec<bool> = {
        let mut seen = std::collections::HashSet::new();
        out.findings
            .iter()
            .map(|d| match &d.resource {
                Some(r) => seen.insert((
                    d.code,
                    r.kind.as_str(),
                    r.name.as_ref().and(r.namespace.as_deref()),
                    r.name.as_deref(),
                    d.message.as_str(),
                    d.location.as_ref().map(|l| l.file()),
                )),
                None => true,
            })
            .collect()
    };
    let mut keep = keep.into_iter();
    out.findings.retain(|_| keep.next().unwrap_or(true));
    // What deduplication left can be a fraction of what the analyzers found: the list is kept
    // for the rest of the run, at its size.
    out.findings.shrink_to_fit();
    out
}

/// Looks an analyzer up by name (exact) or by the part after its family
/// (`DestinationHostAnalyzer`).
pub fn find(name: &str) -> Option<&'static Analyzer> {
    ANALYZERS
        .iter()
        .find(|a| a.name == name || a.name.rsplit('.').next() == Some(name))
}

#[cfg(test)]
pub(crate) mod testing {
    use super::*;

    /// Runs one analyzer over YAML text and returns (code, `Kind ns/name`) pairs, sorted.
    pub fn pairs(analyzer: &Analyzer, yaml: &str) -> Vec<(String, String)> {
        pairs_with(analyzer, yaml, &MeshConfig::default())
    }

    pub fn pairs_with(analyzer: &Analyzer, yaml: &str, mesh: &MeshConfig) -> Vec<(String, String)> {
        let set = crate::config::from_text("test.yaml", yaml);
        let out = run(&set, mesh, &[analyzer]);
        let mut v: Vec<(String, String)> = out
            .findings
            .iter()
            .map(|d| {
                (
                    d.code.to_string(),
                    d.resource
                        .as_ref()
                        .map(|r| r.to_string())
                        .unwrap_or_default(),
                )
            })
            .collect();
        v.sort();
        v
    }

    pub fn p(code: &str, res: &str) -> (String, String) {
        (code.to_string(), res.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::catalog;

    #[test]
    fn analyzers_have_unique_names_and_catalogued_codes() {
        let mut names = std::collections::HashSet::new();
        for a in ANALYZERS {
            assert!(names.insert(a.name), "duplicate analyzer {}", a.name);
            assert!(!a.description.is_empty());
            for c in a.codes {
                assert!(
                    catalog::lookup(c).is_some(),
                    "{} reports {c}, not in the catalogue",
                    a.name
                );
            }
        }
        assert!(find("DestinationHostAnalyzer").is_some());
        assert!(find("virtualservice.DestinationHostAnalyzer").is_some());
        assert!(find("nope").is_none());
    }
}
