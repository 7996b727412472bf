//! Installing Istio: the profiles an installation is made of, and the checks before one
//! (`meshctl precheck`).

pub mod precheck;
pub mod profile;
