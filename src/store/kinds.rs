//! The one dispatch on (API group, kind): what meshctl reads an object as. Validation, the
//! store's views and routing match on [`Kind`] instead of comparing group and kind strings
//! each on their own, so a kind is recognised the same way everywhere.

/// The kinds meshctl reads beyond their metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    // networking.istio.io
    VirtualService,
    Gateway,
    DestinationRule,
    ServiceEntry,
    Sidecar,
    WorkloadEntry,
    WorkloadGroup,
    EnvoyFilter,
    ProxyConfig,
    // security.istio.io
    AuthorizationPolicy,
    PeerAuthentication,
    RequestAuthentication,
    // telemetry.istio.io, extensions.istio.io
    Telemetry,
    WasmPlugin,
    // Kubernetes core
    Service,
    Pod,
    Namespace,
    Secret,
    ConfigMap,
    // Kubernetes API extensions and admission
    CustomResourceDefinition,
    MutatingWebhookConfiguration,
    // Kubernetes workload controllers (their pod template makes pods)
    Deployment,
    StatefulSet,
    DaemonSet,
    ReplicaSet,
    Job,
    CronJob,
    /// An Argo Rollout: its pods come from its template, as a Deployment's do.
    Rollout,
    // gateway.networking.k8s.io
    K8sGateway,
    HttpRoute,
    ReferenceGrant,
    /// Any other kind: checked by its schema only, or not read.
    Other,
}

impl Kind {
    /// What an object of `group` and `kind` is read as.
    pub fn of(group: &str, kind: &str) -> Kind {
        match (group, kind) {
            ("networking.istio.io", "VirtualService") => Kind::VirtualService,
            ("networking.istio.io", "Gateway") => Kind::Gateway,
            ("networking.istio.io", "DestinationRule") => Kind::DestinationRule,
            ("networking.istio.io", "ServiceEntry") => Kind::ServiceEntry,
            ("networking.istio.io", "Sidecar") => Kind::Sidecar,
            ("networking.istio.io", "WorkloadEntry") => Kind::WorkloadEntry,
            ("networking.istio.io", "WorkloadGroup") => Kind::WorkloadGroup,
            ("networking.istio.io", "EnvoyFilter") => Kind::EnvoyFilter,
            ("networking.istio.io", "ProxyConfig") => Kind::ProxyConfig,
            ("security.istio.io", "AuthorizationPolicy") => Kind::AuthorizationPolicy,
            ("security.istio.io", "PeerAuthentication") => Kind::PeerAuthentication,
            ("security.istio.io", "RequestAuthentication") => Kind::RequestAuthentication,
            ("telemetry.istio.io", "Telemetry") => Kind::Telemetry,
            ("extensions.istio.io", "WasmPlugin") => Kind::WasmPlugin,
            ("", "Service") => Kind::Service,
            ("", "Pod") => Kind::Pod,
            ("", "Namespace") => Kind::Namespace,
            ("", "Secret") => Kind::Secret,
            ("", "ConfigMap") => Kind::ConfigMap,
            ("apiextensions.k8s.io", "CustomResourceDefinition") => Kind::CustomResourceDefinition,
            ("admissionregistration.k8s.io", "MutatingWebhookConfiguration") => {
                Kind::MutatingWebhookConfiguration
            }
            ("apps", "Deployment") => Kind::Deployment,
            ("apps", "StatefulSet") => Kind::StatefulSet,
            ("apps", "DaemonSet") => Kind::DaemonSet,
            ("apps", "ReplicaSet") => Kind::ReplicaSet,
            ("batch", "Job") => Kind::Job,
            ("batch", "CronJob") => Kind::CronJob,
            ("argoproj.io", "Rollout") => Kind::Rollout,
            ("gateway.networking.k8s.io", "Gateway") => Kind::K8sGateway,
            ("gateway.networking.k8s.io", "HTTPRoute") => Kind::HttpRoute,
            ("gateway.networking.k8s.io", "ReferenceGrant") => Kind::ReferenceGrant,
            _ => Kind::Other,
        }
    }
}

impl Kind {
    /// Where the pods of a kind that makes pods are described: `Some("")` for a Pod (the object
    /// is the pod), the field path of the pod template for workload controllers, `None` for
    /// kinds that make no pods. Analysis and routing both take workloads from here.
    pub fn pod_template_path(self) -> Option<&'static str> {
        match self {
            Kind::Pod => Some(""),
            Kind::Deployment
            | Kind::StatefulSet
            | Kind::DaemonSet
            | Kind::ReplicaSet
            | Kind::Job
            | Kind::Rollout => Some("spec.template"),
            Kind::CronJob => Some("spec.jobTemplate.spec.template"),
            _ => None,
        }
    }
}

impl super::Object {
    /// What this object is read as.
    pub fn kind_of(&self) -> Kind {
        Kind::of(self.group(), self.kind())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_tell_kinds_apart() {
        assert_eq!(Kind::of("networking.istio.io", "Gateway"), Kind::Gateway);
        assert_eq!(
            Kind::of("gateway.networking.k8s.io", "Gateway"),
            Kind::K8sGateway
        );
        assert_eq!(Kind::of("", "Service"), Kind::Service);
        assert_eq!(Kind::of("serving.knative.dev", "Service"), Kind::Other);
        assert_eq!(Kind::of("apps", "Pod"), Kind::Other);
    }

    #[test]
    fn every_kind_read_is_in_the_registry_of_kinds() {
        // Every variant but `Other` must come out of some registered (group, kind): a
        // misspelled arm above would never match and fail here.
        let read: std::collections::HashSet<Kind> = crate::model::kinds::KINDS
            .iter()
            .map(|info| Kind::of(info.group, info.kind))
            .filter(|k| *k != Kind::Other)
            .collect();
        assert_eq!(read.len(), 31, "{read:?}");
    }
}
