//! `networking.istio.io`: traffic management (v1, v1beta1 and v1alpha3 share one schema).

pub mod destination_rule;
pub mod envoy_filter;
pub mod gateway;
pub mod proxy_config;
pub mod service_entry;
pub mod sidecar;
pub mod virtual_service;
pub mod workload;

pub use destination_rule::DestinationRule;
pub use envoy_filter::EnvoyFilter;
pub use gateway::Gateway;
pub use proxy_config::ProxyConfig;
pub use service_entry::ServiceEntry;
pub use sidecar::Sidecar;
pub use virtual_service::VirtualService;
pub use workload::{WorkloadEntry, WorkloadGroup};

use crate::crd_object;

crd_object!(VirtualServiceObject, VirtualService);
crd_object!(GatewayObject, Gateway);
crd_object!(DestinationRuleObject, DestinationRule);
crd_object!(ServiceEntryObject, ServiceEntry, REQUIRED);
crd_object!(SidecarObject, Sidecar);
crd_object!(WorkloadEntryObject, WorkloadEntry, REQUIRED);
crd_object!(WorkloadGroupObject, WorkloadGroup, REQUIRED);
crd_object!(EnvoyFilterObject, EnvoyFilter);
crd_object!(ProxyConfigObject, ProxyConfig);
