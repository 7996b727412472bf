//! `meshctl precheck`: can Istio be installed in this cluster? Four checks, read-only:
//! the Kubernetes version (IST0142), the rights to create what an installation creates
//! (IST0141, asked with SelfSubjectAccessReviews as `istioctl x precheck` does), an Istio
//! control plane already there (MSH4001), and nodes with room for the profile's pods (MSH4002).

use futures::future::join_all;
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::authorization::v1::{
    ResourceAttributes, SelfSubjectAccessReview, SelfSubjectAccessReviewSpec,
};
use k8s_openapi::api::core::v1::Node;
use kube::api::{Api, ListParams, PostParams};

use super::profile::{self, MIN_KUBERNETES_MINOR, Profile, Requests, Workload};
use crate::Error;
use crate::check::{Diagnostic, ResourceRef};
use crate::cluster::Cluster;

/// How a check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Pass,
    Warn,
    Fail,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Warn => "warn",
            Status::Fail => "fail",
        }
    }
}

/// One check: its outcome in a line, and the findings behind a warning or failure.
#[derive(Debug, Clone)]
pub struct Check {
    pub name: &'static str,
    pub status: Status,
    pub summary: String,
    pub findings: Vec<Diagnostic>,
}

/// What to check for.
#[derive(Debug, Clone)]
pub struct Options {
    pub profile: Profile,
    /// Where the control plane goes (`istio-system`).
    pub namespace: String,
    /// The Istio release to install.
    pub version: String,
}

/// The kinds an installation creates, as `istioctl x precheck` asks for them: (API group,
/// resource, namespaced).
const CREATES: &[(&str, &str, bool)] = &[
    ("", "namespaces", false),
    ("rbac.authorization.k8s.io", "clusterroles", false),
    ("rbac.authorization.k8s.io", "clusterrolebindings", false),
    ("apiextensions.k8s.io", "customresourcedefinitions", false),
    ("rbac.authorization.k8s.io", "roles", true),
    ("", "serviceaccounts", true),
    ("", "services", true),
    ("apps", "deployments", true),
    ("", "configmaps", true),
    (
        "admissionregistration.k8s.io",
        "mutatingwebhookconfigurations",
        false,
    ),
    (
        "admissionregistration.k8s.io",
        "validatingwebhookconfigurations",
        false,
    ),
];

impl Cluster {
    /// Runs every check. Fails (exit 3) only when the cluster cannot be used at all.
    pub async fn precheck(&self, opts: &Options) -> Result<Vec<Check>, Error> {
        let (version, permissions, control_plane, resources) = futures::join!(
            self.check_version(opts),
            self.check_permissions(opts),
            self.check_control_plane(opts),
            self.check_resources(opts),
        );
        Ok(vec![version?, permissions?, control_plane?, resources?])
    }

    async fn check_version(&self, opts: &Options) -> Result<Check, Error> {
        let info = self
            .call(self.client.apiserver_version())
            .await
            .map_err(|e| self.fail(&e, "reading the Kubernetes version"))?;
        let minor: Option<u32> = info
            .minor
            .trim_end_matches(|c: char| !c.is_ascii_digit())
            .parse()
            .ok();
        let supported = format!(
            "Istio {} supports 1.{MIN_KUBERNETES_MINOR} and newer",
            release_line(&opts.version)
        );
        Ok(match minor {
            Some(m) if info.major == "1" && m < MIN_KUBERNETES_MINOR => Check {
                name: "Kubernetes version",
                status: Status::Fail,
                summary: format!("{}: too old; {supported}", info.git_version),
                findings: vec![
                    Diagnostic::of(
                        "IST0142",
                        format!(
                            "The Kubernetes version {} is not supported by Istio {}. The minimum supported Kubernetes version is 1.{MIN_KUBERNETES_MINOR}.",
                            info.git_version, opts.version
                        ),
                    )
                    .with_help("upgrade the cluster, or install an older Istio release with --version"),
                ],
            },
            Some(_) => Check {
                name: "Kubernetes version",
                status: Status::Pass,
                summary: format!("{}: {supported}", info.git_version),
                findings: Vec::new(),
            },
            None => Check {
                name: "Kubernetes version",
                status: Status::Warn,
                summary: format!(
                    "{}: the minor version {:?} is not a number, so support cannot be told; {supported}",
                    info.git_version, info.minor
                ),
                findings: Vec::new(),
            },
        })
    }

    async fn check_permissions(&self, opts: &Options) -> Result<Check, Error> {
        let api: Api<SelfSubjectAccessReview> = Api::all(self.client.clone());
        let reviews = join_all(CREATES.iter().map(|(group, resource, namespaced)| {
            let review = SelfSubjectAccessReview {
                spec: SelfSubjectAccessReviewSpec {
                    resource_attributes: Some(ResourceAttributes {
                        group: Some(group.to_string()),
                        resource: Some(resource.to_string()),
                        verb: Some("create".to_string()),
                        namespace: namespaced.then(|| opts.namespace.clone()),
                        ..ResourceAttributes::default()
                    }),
                    ..SelfSubjectAccessReviewSpec::default()
                },
                ..SelfSubjectAccessReview::default()
            };
            let api = api.clone();
            async move { self.call(api.create(&PostParams::default(), &review)).await }
        }))
        .await;
        let mut denied = Vec::new();
        let mut findings = Vec::new();
        for ((group, resource, namespaced), review) in CREATES.iter().zip(reviews) {
            let review = review.map_err(|e| {
                self.fail(
                    &e,
                    &format!("asking whether the user may create {resource}"),
                )
            })?;
            let status = review.status.unwrap_or_default();
            if status.allowed {
                continue;
            }
            let scope = if *namespaced {
                format!("in namespace {}", opts.namespace)
            } else {
                "cluster-wide".to_string()
            };
            let reason = status
                .reason
                .filter(|r| !r.is_empty())
                .unwrap_or_else(|| "permission denied".to_string());
            let what = if group.is_empty() {
                resource.to_string()
            } else {
                format!("{resource}.{group}")
            };
            findings.push(
                Diagnostic::of(
                    "IST0141",
                    format!("This user does not have the permission to create {what} ({scope}): {reason}"),
                )
                .with_help("an installation needs cluster-admin rights (or a role that may create these kinds)"),
            );
            denied.push(what);
        }
        Ok(if denied.is_empty() {
            Check {
                name: "Permissions",
                status: Status::Pass,
                summary: format!(
                    "may create every kind an installation creates ({} checked)",
                    CREATES.len()
                ),
                findings,
            }
        } else {
            Check {
                name: "Permissions",
                status: Status::Fail,
                summary: format!(
                    "may not create {} of the {} kinds an installation creates",
                    denied.len(),
                    CREATES.len()
                ),
                findings,
            }
        })
    }

    async fn check_control_plane(&self, opts: &Options) -> Result<Check, Error> {
        let api: Api<Deployment> = Api::all(self.client.clone());
        let listed = self
            .call(api.list(&ListParams::default().labels("app=istiod")))
            .await;
        let list = match listed {
            Ok(l) => l,
            Err(e) if e.status() == Some(403) => {
                return Ok(Check {
                    name: "Control plane",
                    status: Status::Warn,
                    summary: format!(
                        "could not look for an installed control plane: listing Deployments is forbidden ({})",
                        e.server_message().unwrap_or("403")
                    ),
                    findings: Vec::new(),
                });
            }
            Err(e) => return Err(self.fail(&e, "looking for an installed Istio control plane")),
        };
        let mut findings = Vec::new();
        let mut found = Vec::new();
        for d in &list.items {
            let ns = d.metadata.namespace.clone().unwrap_or_default();
            let name = d.metadata.name.clone().unwrap_or_default();
            let image = d
                .spec
                .as_ref()
                .and_then(|s| s.template.spec.as_ref())
                .and_then(|s| s.containers.first())
                .and_then(|c| c.image.clone())
                .unwrap_or_default();
            let tag = image.rsplit_once(':').map(|(_, t)| t).unwrap_or("unknown");
            let revision = d
                .metadata
                .labels
                .as_ref()
                .and_then(|l| l.get("istio.io/rev"))
                .cloned()
                .unwrap_or_else(|| "default".to_string());
            let change = if tag == opts.version {
                "reinstalling the same release converges it"
            } else {
                "installing would replace it"
            };
            findings.push(
                Diagnostic::of(
                    "MSH4001",
                    format!(
                        "Istio {tag} control plane (revision {revision}) is installed in {ns} (Deployment {name}); {change}"
                    ),
                )
                .with_resource(Some(ResourceRef {
                    api_version: "apps/v1".to_string(),
                    kind: "Deployment".to_string(),
                    namespace: Some(ns.clone()),
                    name: Some(name.clone()),
                }))
                .with_help("check the running mesh first (meshctl verify), or uninstall it; a second control plane of the same revision is not supported"),
            );
            found.push(format!("{tag} in {ns}"));
        }
        Ok(if found.is_empty() {
            Check {
                name: "Control plane",
                status: Status::Pass,
                summary: "no Istio control plane is installed".to_string(),
                findings,
            }
        } else {
            Check {
                name: "Control plane",
                status: Status::Warn,
                summary: format!("Istio is already installed: {}", found.join(", ")),
                findings,
            }
        })
    }

    async fn check_resources(&self, opts: &Options) -> Result<Check, Error> {
        let api: Api<Node> = Api::all(self.client.clone());
        let nodes = match self.call(api.list(&ListParams::default())).await {
            Ok(l) => l.items,
            Err(e) if e.status() == Some(403) => {
                return Ok(Check {
                    name: "Resources",
                    status: Status::Warn,
                    summary: format!(
                        "could not check node resources: listing Nodes is forbidden ({})",
                        e.server_message().unwrap_or("403")
                    ),
                    findings: Vec::new(),
                });
            }
            Err(e) => return Err(self.fail(&e, "listing Nodes")),
        };
        let mut fitting = Vec::new();
        let mut excluded = Vec::new();
        for n in &nodes {
            let name = n.metadata.name.clone().unwrap_or_default();
            match unschedulable_because(n) {
                None => fitting.push((name, allocatable(n))),
                Some(why) => excluded.push(format!("{name}: {why}")),
            }
        }
        Ok(fit(opts.profile, &excluded, &fitting))
    }
}

/// `1.28` of `1.28.3`.
fn release_line(version: &str) -> &str {
    match version.match_indices('.').nth(1) {
        Some((i, _)) => &version[..i],
        None => version,
    }
}

/// Why new pods without tolerations cannot land on the node (`None`: they can).
fn unschedulable_because(n: &Node) -> Option<String> {
    let spec = n.spec.as_ref()?;
    if spec.unschedulable == Some(true) {
        return Some("cordoned".to_string());
    }
    spec.taints.as_ref().and_then(|taints| {
        taints
            .iter()
            .find(|t| t.effect == "NoSchedule" || t.effect == "NoExecute")
            .map(|t| format!("taint {}:{}", t.key, t.effect))
    })
}

fn allocatable(n: &Node) -> Requests {
    let get = |k: &str| {
        n.status
            .as_ref()
            .and_then(|s| s.allocatable.as_ref())
            .and_then(|a| a.get(k))
            .map(|q| q.0.clone())
    };
    Requests {
        cpu_milli: get("cpu").and_then(|q| profile::parse_cpu(&q)).unwrap_or(0),
        memory: get("memory")
            .and_then(|q| profile::parse_memory(&q))
            .unwrap_or(0),
    }
}

/// Whether the profile's pods fit on the schedulable nodes (by allocatable capacity; pods
/// already running are not subtracted).
fn fit(profile: Profile, excluded: &[String], nodes: &[(String, Requests)]) -> Check {
    let workloads: Vec<Workload> = profile.workloads();
    let mut findings = Vec::new();
    if nodes.is_empty() {
        let why = if excluded.is_empty() {
            "the cluster has no nodes".to_string()
        } else {
            format!(
                "none of its {} node(s) accepts new pods ({})",
                excluded.len(),
                excluded.join("; ")
            )
        };
        findings.push(
            Diagnostic::of(
                "MSH4002",
                format!("No pod of the installation can be scheduled: {why}"),
            )
            .with_help("add a node, or uncordon one; on minikube, `minikube start` creates one"),
        );
        return Check {
            name: "Resources",
            status: Status::Fail,
            summary: why,
            findings,
        };
    }
    let largest = nodes
        .iter()
        .max_by_key(|(_, r)| (r.memory, r.cpu_milli))
        .map(|(n, r)| format!("{n} with {r}"))
        .unwrap_or_default();
    for w in &workloads {
        if !nodes.iter().any(|(_, room)| w.requests.fits(room)) {
            findings.push(
                Diagnostic::of(
                    "MSH4002",
                    format!(
                        "No node has room for {} ({}): it requests {}; the largest node is {largest}",
                        w.name, w.component, w.requests
                    ),
                )
                .with_help("use larger nodes (minikube start --memory=8192 --cpus=4), or the demo profile, which requests much less"),
            );
        }
    }
    let total = workloads.iter().fold(Requests::default(), |t, w| Requests {
        cpu_milli: t.cpu_milli + w.requests.cpu_milli,
        memory: t.memory + w.requests.memory,
    });
    let room = nodes
        .iter()
        .fold(Requests::default(), |t, (_, r)| Requests {
            cpu_milli: t.cpu_milli + r.cpu_milli,
            memory: t.memory + r.memory,
        });
    if findings.is_empty() && !total.fits(&room) {
        findings.push(
            Diagnostic::of(
                "MSH4002",
                format!(
                    "The {} profile requests {total} in all; the schedulable nodes have {room}",
                    profile.as_str()
                ),
            )
            .with_help("add nodes or use larger ones, or the demo profile"),
        );
    }
    if findings.is_empty() {
        Check {
            name: "Resources",
            status: Status::Pass,
            summary: format!(
                "{} schedulable node(s) with room for the {} profile ({total} requested in all)",
                nodes.len(),
                profile.as_str()
            ),
            findings,
        }
    } else {
        Check {
            name: "Resources",
            status: Status::Fail,
            summary: format!(
                "not enough room for the {} profile ({total} requested in all)",
                profile.as_str()
            ),
            findings,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GI: u64 = 1024 * 1024 * 1024;

    #[test]
    fn fitting_a_profile_onto_nodes() {
        let no_nodes = fit(Profile::Default, &[], &[]);
        assert_eq!(no_nodes.status, Status::Fail);
        assert!(no_nodes.summary.contains("no nodes"));
        let cordoned = fit(Profile::Default, &["a: cordoned".to_string()], &[]);
        assert!(
            cordoned
                .summary
                .contains("none of its 1 node(s) accepts new pods (a: cordoned)")
        );

        let small = [("laptop".to_string(), Requests::new(2000, GI))];
        let default = fit(Profile::Default, &[], &small);
        assert_eq!(default.status, Status::Fail, "{default:?}");
        assert!(default.findings[0].message.contains("istiod"));
        assert_eq!(fit(Profile::Demo, &[], &small).status, Status::Pass);

        let big = [("node".to_string(), Requests::new(4000, 8 * GI))];
        assert_eq!(fit(Profile::Default, &[], &big).status, Status::Pass);
        // Each pod fits somewhere, but not all of them together.
        let tight = [
            ("a".to_string(), Requests::new(500, 2 * GI)),
            ("b".to_string(), Requests::new(50, 2 * GI)),
        ];
        let t = fit(Profile::Default, &[], &tight);
        assert_eq!(t.status, Status::Fail, "{t:?}");
        assert!(t.findings[0].message.contains("in all"));
    }

    #[test]
    fn release_lines() {
        assert_eq!(release_line("1.28.3"), "1.28");
        assert_eq!(release_line("1.28"), "1.28");
    }
}
