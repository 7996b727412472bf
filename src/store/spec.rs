//! An object's typed spec, decoded once where the object is read (in the parallel per-file step)
//! and shared (`Arc`) by the views, routing's index and analysis. With it, an object whose
//! analysis reads nothing but the typed spec need not keep its spanned tree for the whole run:
//! see [`super::LoadedObject::settle`].

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::de::DeserializeOwned;

use super::LoadedObject;
use super::kinds::Kind;
use crate::model::gateway_api::GatewaySpec as K8sGatewaySpec;
use crate::model::kube::{PodSpec, PodTemplateSpec, ServiceSpec};
use crate::model::meta::ObjectMeta;
use crate::model::networking::{
    DestinationRule, EnvoyFilter, Gateway, ServiceEntry, Sidecar, VirtualService,
};
use crate::model::security::{AuthorizationPolicy, PeerAuthentication, RequestAuthentication};
use crate::model::telemetry::Telemetry;

/// The pods a workload object describes: a Pod's own labels and spec, or a controller's pod
/// template.
#[derive(Debug, Default)]
pub struct PodTemplate {
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
    pub spec: Option<Arc<PodSpec>>,
    /// Field path of the pod template in the object (`spec.template`), empty for Pods.
    pub path: &'static str,
}

/// The typed spec of one object, for the kinds analysis and routing read typed. A spec that
/// does not decode is the kind's default (empty), as Istio reads a spec it cannot use.
#[derive(Debug, Clone, Default)]
pub enum Spec {
    VirtualService(Arc<VirtualService>),
    Gateway(Arc<Gateway>),
    DestinationRule(Arc<DestinationRule>),
    ServiceEntry(Arc<ServiceEntry>),
    Sidecar(Arc<Sidecar>),
    EnvoyFilter(Arc<EnvoyFilter>),
    Service(Arc<ServiceSpec>),
    AuthorizationPolicy(Arc<AuthorizationPolicy>),
    PeerAuthentication(Arc<PeerAuthentication>),
    RequestAuthentication(Arc<RequestAuthentication>),
    Telemetry(Arc<Telemetry>),
    K8sGateway(Arc<K8sGatewaySpec>),
    Workload(Arc<PodTemplate>),
    /// Any other kind: analysis reads it from its tree, which is kept.
    #[default]
    Other,
}

impl Spec {
    /// Decodes the spec of `o` (its tree, or the pruned copy of an object with schema problems)
    /// for its kind; `meta` is the object's decoded metadata (a Pod's labels are its own).
    pub fn decode(o: &LoadedObject, meta: &ObjectMeta) -> Spec {
        fn spec<T: DeserializeOwned + Default>(o: &LoadedObject) -> Arc<T> {
            Arc::new(o.decode_at("spec").unwrap_or_default())
        }
        let kind = Kind::of(o.info.group, o.info.kind);
        match kind {
            Kind::VirtualService => Spec::VirtualService(spec(o)),
            Kind::Gateway => Spec::Gateway(spec(o)),
            Kind::DestinationRule => Spec::DestinationRule(spec(o)),
            Kind::ServiceEntry => Spec::ServiceEntry(spec(o)),
            Kind::Sidecar => Spec::Sidecar(spec(o)),
            Kind::EnvoyFilter => Spec::EnvoyFilter(spec(o)),
            Kind::Service => Spec::Service(spec(o)),
            Kind::AuthorizationPolicy => Spec::AuthorizationPolicy(spec(o)),
            Kind::PeerAuthentication => Spec::PeerAuthentication(spec(o)),
            Kind::RequestAuthentication => Spec::RequestAuthentication(spec(o)),
            Kind::Telemetry => Spec::Telemetry(spec(o)),
            Kind::K8sGateway => Spec::K8sGateway(spec(o)),
            kind => match kind.pod_template_path() {
                // A Pod is its own template (its metadata and spec).
                Some("") => Spec::Workload(Arc::new(PodTemplate {
                    labels: meta.labels.clone(),
                    annotations: meta.annotations.clone(),
                    spec: o.decode_at::<PodSpec>("spec").map(Arc::new),
                    path: "",
                })),
                Some(path) => {
                    let t: PodTemplateSpec = o.decode_at(path).unwrap_or_default();
                    Spec::Workload(Arc::new(PodTemplate {
                        labels: t.metadata.labels,
                        annotations: t.metadata.annotations,
                        spec: t.spec.map(Arc::new),
                        path,
                    }))
                }
                None => Spec::Other,
            },
        }
    }

    /// Whether the typed spec holds everything analysis and routing read of an object of this
    /// kind (with its metadata and `status`), so that its tree can go once decoded. Kinds read
    /// raw somewhere (ConfigMaps, Secrets, webhooks, CRDs, Gateway API objects, Sidecars,
    /// EnvoyFilters, ProxyConfigs...) keep theirs.
    pub fn holds_all_read(&self) -> bool {
        matches!(
            self,
            Spec::Workload(_)
                | Spec::VirtualService(_)
                | Spec::Gateway(_)
                | Spec::DestinationRule(_)
                | Spec::ServiceEntry(_)
                | Spec::Service(_)
                | Spec::AuthorizationPolicy(_)
                | Spec::PeerAuthentication(_)
        )
    }
}
