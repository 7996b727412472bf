//! The typed model of the Istio API (one module per API group), the Kubernetes and Gateway API
//! kinds meshctl reads, and the registry of kinds. Each struct is declared once with
//! [`crate::api_struct!`] and so carries both its serde type and its structural schema; nothing
//! here knows where an object came from or how it is reported.

pub mod constraints;
pub mod crd;
pub mod extensions;
pub mod gateway_api;
pub mod host;
pub mod kinds;
pub mod kube;
pub mod map;
pub mod mesh_config;
pub mod meta;
pub mod networking;

pub mod releases;
pub mod schema;
pub mod security;
pub mod string_match;
pub mod telemetry;
pub mod visibility;

pub use meta::ObjectMeta;
