//! The registry of every kind meshctl knows: API group, kind, served versions, scope and the
//! schema of the whole object. `load` uses it to recognise documents, `check::validate` to pick
//! the schema and the semantic rules, and (later) `install` to render CRDs.

use crate::model::schema::{Schema, Ty};
use crate::model::{extensions, gateway_api, kube, networking, security, telemetry};

/// How strictly the object is decoded: CRDs reject `null` for non-nullable fields and unknown
/// fields (as the API server's structural schema with `kubectl --validate=strict` does); built-in
/// kinds treat `null` as absent, like Go's JSON decoding into typed structs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decoding {
    Crd,
    BuiltIn,
}

pub struct KindInfo {
    pub group: &'static str,
    pub kind: &'static str,
    /// Served versions, newest first.
    pub versions: &'static [&'static str],
    pub namespaced: bool,
    /// The schema of the whole object; `None` for kinds meshctl recognises but does not model
    /// (only their envelope and metadata are checked).
    pub schema: Option<fn() -> Ty>,
    pub decoding: Decoding,
}

impl std::fmt::Debug for KindInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.group, self.kind)
    }
}

impl KindInfo {
    pub fn is_istio(&self) -> bool {
        self.group.ends_with(".istio.io")
    }
}

const NET: &[&str] = &["v1", "v1beta1", "v1alpha3"];
const SEC: &[&str] = &["v1", "v1beta1"];
const GW: &[&str] = &["v1", "v1beta1"];

macro_rules! kinds {
    ($( $group:literal $kind:literal $versions:expr, $ns:literal, $schema:expr, $dec:ident; )*) => {
        pub static KINDS: &[KindInfo] = &[
            $(KindInfo {
                group: $group,
                kind: $kind,
                versions: $versions,
                namespaced: $ns,
                schema: $schema,
                decoding: Decoding::$dec,
            },)*
        ];
    };
}

kinds! {
    "networking.istio.io" "VirtualService" NET, true, Some(networking::VirtualServiceObject::ty), Crd;
    "networking.istio.io" "Gateway" NET, true, Some(networking::GatewayObject::ty), Crd;
    "networking.istio.io" "DestinationRule" NET, true, Some(networking::DestinationRuleObject::ty), Crd;
    "networking.istio.io" "ServiceEntry" NET, true, Some(networking::ServiceEntryObject::ty), Crd;
    "networking.istio.io" "Sidecar" NET, true, Some(networking::SidecarObject::ty), Crd;
    "networking.istio.io" "WorkloadEntry" NET, true, Some(networking::WorkloadEntryObject::ty), Crd;
    "networking.istio.io" "WorkloadGroup" NET, true, Some(networking::WorkloadGroupObject::ty), Crd;
    "networking.istio.io" "EnvoyFilter" &["v1alpha3"], true, Some(networking::EnvoyFilterObject::ty), Crd;
    "networking.istio.io" "ProxyConfig" &["v1beta1"], true, Some(networking::ProxyConfigObject::ty), Crd;
    "security.istio.io" "AuthorizationPolicy" SEC, true, Some(security::AuthorizationPolicyObject::ty), Crd;
    "security.istio.io" "PeerAuthentication" SEC, true, Some(security::PeerAuthenticationObject::ty), Crd;
    "security.istio.io" "RequestAuthentication" SEC, true, Some(security::RequestAuthenticationObject::ty), Crd;
    "telemetry.istio.io" "Telemetry" &["v1", "v1alpha1"], true, Some(telemetry::TelemetryObject::ty), Crd;
    "extensions.istio.io" "WasmPlugin" &["v1alpha1"], true, Some(extensions::WasmPluginObject::ty), Crd;
    // Istio 1.30 and later; recognised (envelope and metadata checked), its spec not modelled.
    "extensions.istio.io" "TrafficExtension" &["v1alpha1"], true, None, Crd;
    "" "Service" &["v1"], true, Some(kube::ServiceObject::ty), BuiltIn;
    "" "Pod" &["v1"], true, Some(kube::PodObject::ty), BuiltIn;
    "" "Namespace" &["v1"], false, Some(kube::NamespaceObject::ty), BuiltIn;
    "" "ConfigMap" &["v1"], true, Some(kube::ConfigMapObject::ty), BuiltIn;
    "" "Secret" &["v1"], true, Some(kube::SecretObject::ty), BuiltIn;
    "" "ServiceAccount" &["v1"], true, None, BuiltIn;
    "" "Endpoints" &["v1"], true, None, BuiltIn;
    "" "PersistentVolumeClaim" &["v1"], true, None, BuiltIn;
    "" "PersistentVolume" &["v1"], false, None, BuiltIn;
    "" "ReplicationController" &["v1"], true, None, BuiltIn;
    "" "LimitRange" &["v1"], true, None, BuiltIn;
    "" "ResourceQuota" &["v1"], true, None, BuiltIn;
    "" "Node" &["v1"], false, None, BuiltIn;
    "apps" "Deployment" &["v1"], true, Some(kube::DeploymentObject::ty), BuiltIn;
    "apps" "StatefulSet" &["v1"], true, Some(kube::StatefulSetObject::ty), BuiltIn;
    "apps" "DaemonSet" &["v1"], true, Some(kube::DaemonSetObject::ty), BuiltIn;
    "apps" "ReplicaSet" &["v1"], true, Some(kube::ReplicaSetObject::ty), BuiltIn;
    "batch" "Job" &["v1"], true, None, BuiltIn;
    "batch" "CronJob" &["v1"], true, None, BuiltIn;
    "autoscaling" "HorizontalPodAutoscaler" &["v2", "v1"], true, None, BuiltIn;
    "policy" "PodDisruptionBudget" &["v1"], true, None, BuiltIn;
    "rbac.authorization.k8s.io" "Role" &["v1"], true, None, BuiltIn;
    "rbac.authorization.k8s.io" "RoleBinding" &["v1"], true, None, BuiltIn;
    "rbac.authorization.k8s.io" "ClusterRole" &["v1"], false, None, BuiltIn;
    "rbac.authorization.k8s.io" "ClusterRoleBinding" &["v1"], false, None, BuiltIn;
    "networking.k8s.io" "Ingress" &["v1"], true, None, BuiltIn;
    "networking.k8s.io" "IngressClass" &["v1"], false, None, BuiltIn;
    "networking.k8s.io" "NetworkPolicy" &["v1"], true, None, BuiltIn;
    "admissionregistration.k8s.io" "MutatingWebhookConfiguration" &["v1"], false, Some(kube::MutatingWebhookConfigurationObject::ty), BuiltIn;
    "admissionregistration.k8s.io" "ValidatingWebhookConfiguration" &["v1"], false, Some(kube::ValidatingWebhookConfigurationObject::ty), BuiltIn;
    "apiextensions.k8s.io" "CustomResourceDefinition" &["v1"], false, None, BuiltIn;
    "gateway.networking.k8s.io" "Gateway" GW, true, Some(gateway_api::GatewayObject::ty), Crd;
    "gateway.networking.k8s.io" "GatewayClass" GW, false, Some(gateway_api::GatewayClassObject::ty), Crd;
    "gateway.networking.k8s.io" "HTTPRoute" GW, true, Some(gateway_api::HttpRouteObject::ty), Crd;
    "gateway.networking.k8s.io" "GRPCRoute" &["v1"], true, Some(gateway_api::GrpcRouteObject::ty), Crd;
    "gateway.networking.k8s.io" "ReferenceGrant" &["v1", "v1beta1"], true, Some(gateway_api::ReferenceGrantObject::ty), Crd;
    "gateway.networking.k8s.io" "TCPRoute" &["v1alpha2"], true, None, Crd;
    "gateway.networking.k8s.io" "TLSRoute" &["v1alpha2"], true, None, Crd;
    "gateway.networking.k8s.io" "UDPRoute" &["v1alpha2"], true, None, Crd;
    "gateway.networking.k8s.io" "BackendTLSPolicy" &["v1alpha3"], true, None, Crd;
    // Argo Rollouts replace Deployments in many meshes: their pod template is a workload.
    "argoproj.io" "Rollout" &["v1alpha1"], true, None, Crd;
}

/// An API that Kubernetes or Istio served once and a current cluster no longer serves: applying
/// an object of it fails ("no matches for kind"). meshctl reports it instead of treating the
/// group as a third party's.
pub struct Removed {
    pub group: &'static str,
    /// `None`: every version of the group.
    pub version: Option<&'static str>,
    /// `None`: every kind of the group.
    pub kind: Option<&'static str>,
    /// The release that removed it ("Kubernetes 1.16").
    pub removed_in: &'static str,
    /// What to use instead.
    pub instead: &'static str,
    /// The current group of the same kind, so that analysis can still read the object (the pod
    /// template of an `extensions/v1beta1` Deployment is still a workload).
    pub current_group: Option<&'static str>,
}

macro_rules! removed {
    ($($group:literal $version:expr, $kind:expr, $release:literal, $instead:literal, $current:expr;)*) => {
        /// Removed APIs, most specific first.
        pub static REMOVED: &[Removed] = &[
            $(Removed {
                group: $group,
                version: $version,
                kind: $kind,
                removed_in: $release,
                instead: $instead,
                current_group: $current,
            },)*
        ];
    };
}

removed! {
    "extensions" Some("v1beta1"), Some("Ingress"), "Kubernetes 1.22", "networking.k8s.io/v1", Some("networking.k8s.io");
    "extensions" Some("v1beta1"), Some("NetworkPolicy"), "Kubernetes 1.16", "networking.k8s.io/v1", Some("networking.k8s.io");
    "extensions" Some("v1beta1"), Some("PodSecurityPolicy"), "Kubernetes 1.16", "Pod Security admission (namespace labels)", None;
    "extensions" Some("v1beta1"), None, "Kubernetes 1.16", "apps/v1", Some("apps");
    "apps" Some("v1beta1"), None, "Kubernetes 1.16", "apps/v1", Some("apps");
    "apps" Some("v1beta2"), None, "Kubernetes 1.16", "apps/v1", Some("apps");
    "networking.k8s.io" Some("v1beta1"), None, "Kubernetes 1.22", "networking.k8s.io/v1", Some("networking.k8s.io");
    "batch" Some("v1beta1"), None, "Kubernetes 1.25", "batch/v1", Some("batch");
    "policy" Some("v1beta1"), Some("PodDisruptionBudget"), "Kubernetes 1.25", "policy/v1", Some("policy");
    "policy" Some("v1beta1"), Some("PodSecurityPolicy"), "Kubernetes 1.25", "Pod Security admission (namespace labels)", None;
    "autoscaling" Some("v2beta1"), None, "Kubernetes 1.25", "autoscaling/v2", Some("autoscaling");
    "autoscaling" Some("v2beta2"), None, "Kubernetes 1.26", "autoscaling/v2", Some("autoscaling");
    "rbac.authorization.k8s.io" Some("v1beta1"), None, "Kubernetes 1.22", "rbac.authorization.k8s.io/v1", Some("rbac.authorization.k8s.io");
    "rbac.authorization.k8s.io" Some("v1alpha1"), None, "Kubernetes 1.22", "rbac.authorization.k8s.io/v1", Some("rbac.authorization.k8s.io");
    "apiextensions.k8s.io" Some("v1beta1"), None, "Kubernetes 1.22", "apiextensions.k8s.io/v1", Some("apiextensions.k8s.io");
    "admissionregistration.k8s.io" Some("v1beta1"), None, "Kubernetes 1.22", "admissionregistration.k8s.io/v1", None;
    "config.istio.io" None, None, "Istio 1.8 (Mixer)", "Telemetry, AuthorizationPolicy, WasmPlugin or EnvoyFilter", None;
    "rbac.istio.io" None, None, "Istio 1.6", "security.istio.io/v1 AuthorizationPolicy", None;
    "authentication.istio.io" Some("v1alpha1"), None, "Istio 1.6", "security.istio.io/v1 PeerAuthentication and RequestAuthentication", None;
}

/// The removed API an object of `group`/`version`/`kind` belongs to, if any.
pub fn removed(group: &str, version: &str, kind: &str) -> Option<&'static Removed> {
    REMOVED.iter().find(|r| {
        r.group == group
            && r.version.is_none_or(|v| v == version)
            && r.kind.is_none_or(|k| k == kind)
    })
}

/// Whether meshctl knows this API group (so an unknown kind in it is an error, not a
/// third-party resource).
pub fn is_known_group(group: &str) -> bool {
    KINDS.iter().any(|k| k.group == group)
}

pub fn lookup(group: &str, kind: &str) -> Option<&'static KindInfo> {
    KINDS.iter().find(|k| k.group == group && k.kind == kind)
}

/// Kinds of a group, for "did you mean" suggestions.
pub fn kinds_in_group(group: &str) -> impl Iterator<Item = &'static KindInfo> + '_ {
    KINDS.iter().filter(move |k| k.group == group)
}

/// Splits `apiVersion` into (group, version); the core group is "".
pub fn split_api_version(api_version: &str) -> (&str, &str) {
    match api_version.rsplit_once('/') {
        Some((g, v)) => (g, v),
        None => ("", api_version),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_schema_builds_and_kinds_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for k in KINDS {
            assert!(
                seen.insert((k.group, k.kind)),
                "duplicate {} {}",
                k.group,
                k.kind
            );
            assert!(!k.versions.is_empty());
            if let Some(schema) = k.schema {
                assert!(matches!(schema(), Ty::Struct(_)));
            }
        }
    }

    #[test]
    fn api_versions_split() {
        assert_eq!(split_api_version("v1"), ("", "v1"));
        assert_eq!(
            split_api_version("networking.istio.io/v1"),
            ("networking.istio.io", "v1")
        );
    }
}
