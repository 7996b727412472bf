//! Admission rules for Telemetry.

use super::Ctx;
use crate::model::telemetry::Telemetry;

pub fn validate(_spec: &Telemetry, _ctx: &mut Ctx<'_>) {}
