//! Helpers for the CRD rules that rule code still checks: constant patterns of CEL rules, and
//! Istio's CEL rule on port numbers. The OpenAPI constraints of the CRDs (`pattern`,
//! `minLength`/`maxLength`, `minItems`/`maxItems`, `minProperties`/`maxProperties`,
//! `minimum`/`maximum`) are declared on the model's fields and checked by the schema walk
//! (`schema.rs`), with the API server's wording.

use regex::Regex;

use super::Ctx;
use super::codes::*;

/// Builds a constant pattern of a CRD schema; the unit tests compile every one.
pub(super) fn constant_regex(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|e| panic!("built-in pattern {pattern}: {e}"))
}

/// Istio's CEL rule on port fields (`0 < self && self <= 65535`).
pub(super) fn port_in_range(ctx: &mut Ctx<'_>, path: impl Into<String>, port: u32) {
    if !(1..=65535).contains(&port) {
        ctx.report_with_help(
            FIELD_CONSTRAINT,
            path,
            "port must be between 1-65535",
            format!("{port} is not a valid port number"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::validate::Level;

    use crate::check::validate::testing::run_ctx as run;

    #[test]
    fn port_rule_wording() {
        let f = run(|ctx| {
            port_in_range(ctx, "spec.a", 0);
            port_in_range(ctx, "spec.b", 1);
            port_in_range(ctx, "spec.c", 65535);
            port_in_range(ctx, "spec.d", 65536);
        });
        let found: Vec<(&str, &str)> = f.iter().map(|(_, p, m)| (p.as_str(), m.as_str())).collect();
        assert_eq!(
            found,
            [
                ("spec.a", "port must be between 1-65535"),
                ("spec.d", "port must be between 1-65535"),
            ]
        );
        assert!(f.iter().all(|(l, _, _)| *l == Level::Error));
    }
}
