//! Kubernetes quantities (`500m`, `1Gi`) and container resource requirements.

use super::*;

/// Parses a Kubernetes quantity (`<signedNumber><suffix>`) into its value.
pub(in crate::check::validate) fn parse_quantity(s: &str) -> Option<f64> {
    let (neg, body) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let num_end = body
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(body.len());
    let (num, suffix) = body.split_at(num_end);
    if num.is_empty() || num == "." || num.matches('.').count() > 1 {
        return None;
    }
    let value: f64 = num.parse().ok()?;
    let scale = match suffix {
        "" => 1.0,
        "n" => 1e-9,
        "u" => 1e-6,
        "m" => 1e-3,
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "P" => 1e15,
        "E" => 1e18,
        "Ki" => 1024f64,
        "Mi" => 1024f64.powi(2),
        "Gi" => 1024f64.powi(3),
        "Ti" => 1024f64.powi(4),
        "Pi" => 1024f64.powi(5),
        "Ei" => 1024f64.powi(6),
        exp => {
            let digits = exp.strip_prefix(['e', 'E'])?;
            let unsigned = digits.strip_prefix(['+', '-']).unwrap_or(digits);
            if unsigned.is_empty() || !unsigned.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let e: i32 = digits.parse().ok()?;
            10f64.powi(e)
        }
    };
    let v = value * scale;
    Some(if neg { -v } else { v })
}

pub(super) const QUANTITY_MSG: &str =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

/// Checks a quantity's syntax and sign; returns its value when valid.
pub(super) fn check_quantity(ctx: &mut Ctx<'_>, path: &str, q: &Quantity) -> Option<f64> {
    let Some(text) = q.as_text() else {
        invalid(ctx, POD_CONTAINERS, path, &q.0, QUANTITY_MSG);
        return None;
    };
    let Some(v) = parse_quantity(&text) else {
        invalid(ctx, POD_CONTAINERS, path, &text, QUANTITY_MSG);
        return None;
    };
    if v < 0.0 {
        invalid(ctx, POD_CONTAINERS, path, &text, NON_NEGATIVE_MSG);
        return None;
    }
    Some(v)
}

pub(super) fn is_standard_container_resource(name: &str) -> bool {
    matches!(name, "cpu" | "memory" | "ephemeral-storage") || name.starts_with("hugepages-")
}

pub(super) fn check_resources(ctx: &mut Ctx<'_>, path: &str, res: &ResourceRequirements) {
    let mut limits: HashMap<&str, (f64, String)> = HashMap::new();
    for (name, q) in &res.limits {
        let p = key_path(&format!("{path}.limits"), name);
        check_resource_name(ctx, &p, name);
        if let Some(v) = check_quantity(ctx, &p, q) {
            limits.insert(name.as_str(), (v, q.as_text().unwrap_or_default()));
        }
    }
    for (name, q) in &res.requests {
        let p = key_path(&format!("{path}.requests"), name);
        check_resource_name(ctx, &p, name);
        let Some(v) = check_quantity(ctx, &p, q) else {
            continue;
        };
        if let Some((limit, text)) = limits.get(name.as_str())
            && v > *limit * (1.0 + 1e-12)
        {
            invalid(
                ctx,
                POD_CONTAINERS,
                &p,
                q.as_text().unwrap_or_default(),
                &format!("must be less than or equal to {name} limit of {text}"),
            );
        }
    }
}

pub(super) fn check_resource_name(ctx: &mut Ctx<'_>, path: &str, name: &str) {
    if is_standard_container_resource(name) {
        return;
    }
    if name.contains('/') {
        check_qualified_name(ctx, POD_CONTAINERS, path, name);
    } else {
        invalid(
            ctx,
            POD_CONTAINERS,
            path,
            name,
            "must be a standard resource for containers",
        );
    }
}
