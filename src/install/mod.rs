//! Installing Istio: the profiles, the objects an installation consists of (`meshctl manifest
//! generate`), and the checks before one (`meshctl precheck`).

pub mod manifest;
pub mod precheck;
pub mod profile;
pub mod run;
pub mod template;
