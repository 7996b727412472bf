//! Admission rules for RequestAuthentication.

use super::Ctx;
use crate::model::security::RequestAuthentication;

pub fn validate(_spec: &RequestAuthentication, _ctx: &mut Ctx<'_>) {}
