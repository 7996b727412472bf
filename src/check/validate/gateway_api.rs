//! Rules for built-in kinds.

use serde_json::Value;

use super::Ctx;

pub fn validate(_kind: &str, _object: &Value, _ctx: &mut Ctx<'_>) {}
