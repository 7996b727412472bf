//! The CRD schema constraints (`minLength`, `maxItems`, `minimum`, `pattern`, ...) that the
//! structural schema walk does not cover, reported with the API server's wording.
//!
//! The apiextensions API server turns `maxLength` into `field.TooLongMaxLength`, `maxItems` and
//! `maxProperties` into `field.TooMany` ("Too many: N: must have at most M items", for maps as
//! well), and the other constraints into `field.Invalid` with kube-openapi's message
//! ("Invalid value: V: spec.x in body should be ..."). The `minLength` and `pattern` messages
//! leave out the `Invalid value` prefix, as meshctl always has.

use std::fmt::Display;

use regex::Regex;

use super::Ctx;
use super::codes::*;

/// `minLength` (counted in characters, as OpenAPI does).
pub(super) fn min_length(ctx: &mut Ctx<'_>, path: impl Into<String>, value: &str, min: usize) {
    if value.chars().count() < min {
        let path = path.into();
        let message = format!("{path} in body should be at least {min} chars long");
        ctx.report(FIELD_CONSTRAINT, path, message);
    }
}

/// `maxLength` (counted in characters, as OpenAPI does).
pub(super) fn max_length(ctx: &mut Ctx<'_>, path: impl Into<String>, value: &str, max: usize) {
    if value.chars().count() > max {
        ctx.report(
            FIELD_CONSTRAINT,
            path,
            format!("Too long: may not be more than {max} bytes"),
        );
    }
}

/// `minItems`.
pub(super) fn min_items(ctx: &mut Ctx<'_>, path: impl Into<String>, len: usize, min: usize) {
    if len < min {
        let path = path.into();
        let message =
            format!("Invalid value: {len}: {path} in body should have at least {min} items");
        ctx.report(FIELD_CONSTRAINT, path, message);
    }
}

/// `maxItems`.
pub(super) fn max_items(ctx: &mut Ctx<'_>, path: impl Into<String>, len: usize, max: usize) {
    if len > max {
        ctx.report(
            FIELD_CONSTRAINT,
            path,
            format!("Too many: {len}: must have at most {max} items"),
        );
    }
}

/// `minProperties`.
pub(super) fn min_properties(ctx: &mut Ctx<'_>, path: impl Into<String>, len: usize, min: usize) {
    if len < min {
        let path = path.into();
        let message = format!("{path} in body should have at least {min} properties");
        ctx.report(FIELD_CONSTRAINT, path, message);
    }
}

/// `maxProperties` (the API server reports it as `field.TooMany`, which says "items").
pub(super) fn max_properties(ctx: &mut Ctx<'_>, path: impl Into<String>, len: usize, max: usize) {
    max_items(ctx, path, len, max);
}

/// `minimum`.
pub(super) fn minimum<T: PartialOrd + Display>(
    ctx: &mut Ctx<'_>,
    path: impl Into<String>,
    value: T,
    min: T,
) {
    if value < min {
        let path = path.into();
        let message = format!(
            "Invalid value: {value}: {path} in body should be greater than or equal to {min}"
        );
        ctx.report(FIELD_CONSTRAINT, path, message);
    }
}

/// `maximum`.
pub(super) fn maximum<T: PartialOrd + Display>(
    ctx: &mut Ctx<'_>,
    path: impl Into<String>,
    value: T,
    max: T,
) {
    if value > max {
        let path = path.into();
        let message =
            format!("Invalid value: {value}: {path} in body should be less than or equal to {max}");
        ctx.report(FIELD_CONSTRAINT, path, message);
    }
}

/// `minimum` and `maximum` together (one finding at most).
pub(super) fn range<T: PartialOrd + Display>(
    ctx: &mut Ctx<'_>,
    path: impl Into<String>,
    value: T,
    min: T,
    max: T,
) {
    if value < min {
        minimum(ctx, path, value, min);
    } else {
        maximum(ctx, path, value, max);
    }
}

/// `pattern`.
pub(super) fn pattern(ctx: &mut Ctx<'_>, path: impl Into<String>, value: &str, re: &Regex) {
    if !re.is_match(value) {
        let path = path.into();
        let message = format!("{path} in body should match '{}'", re.as_str());
        ctx.report(FIELD_CONSTRAINT, path, message);
    }
}

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
    fn length_and_item_helpers() {
        use super::{max_length as max_len, min_length as min_len};
        let f = run(|ctx| {
            min_len(ctx, "a", "", 1);
            min_len(ctx, "b", "x", 1);
            max_len(ctx, "c", "ééé", 3);
            max_len(ctx, "d", "abcd", 3);
            max_items(ctx, "e", 3, 3);
            max_items(ctx, "f", 4, 3);
        });
        let paths: Vec<&str> = f.iter().map(|(_, p, _)| p.as_str()).collect();
        assert_eq!(paths, ["a", "d", "f"]);
    }

    #[test]
    fn api_server_wording() {
        let f = run(|ctx| {
            min_length(ctx, "spec.a", "", 1);
            max_length(ctx, "spec.b", "abcd", 3);
            min_items(ctx, "spec.c", 0, 1);
            max_items(ctx, "spec.d", 17, 16);
            min_properties(ctx, "spec.e", 0, 1);
            max_properties(ctx, "spec.f", 5, 4);
            minimum(ctx, "spec.g", -1, 0);
            maximum(ctx, "spec.h", 100.5, 100.0);
            range(ctx, "spec.i", 600, 100, 599);
            pattern(ctx, "spec.j", "a_b", &constant_regex("^[a-z]+$"));
            port_in_range(ctx, "spec.k", 0);
        });
        let messages: Vec<&str> = f.iter().map(|(_, _, m)| m.as_str()).collect();
        assert_eq!(
            messages,
            [
                "spec.a in body should be at least 1 chars long",
                "Too long: may not be more than 3 bytes",
                "Invalid value: 0: spec.c in body should have at least 1 items",
                "Too many: 17: must have at most 16 items",
                "spec.e in body should have at least 1 properties",
                "Too many: 5: must have at most 4 items",
                "Invalid value: -1: spec.g in body should be greater than or equal to 0",
                "Invalid value: 100.5: spec.h in body should be less than or equal to 100",
                "Invalid value: 600: spec.i in body should be less than or equal to 599",
                "spec.j in body should match '^[a-z]+$'",
                "port must be between 1-65535",
            ]
        );
        assert!(f.iter().all(|(l, _, _)| *l == Level::Error));
    }
}
