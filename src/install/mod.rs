//! Installing Istio: the profiles, the objects an installation consists of (`meshctl manifest
//! generate`), the checks before one (`meshctl precheck`), applying and removing one, and the
//! record of what was installed (`state`).

pub mod cni;
pub mod k8s;
pub mod manifest;
pub mod operator;
pub mod precheck;
pub mod profile;
pub mod run;
pub mod state;
pub mod template;
