//! Kubernetes-style messages and the API server's name rules: DNS labels and subdomains,
//! qualified names, label values, port names, labels, annotations and label selectors.

use super::*;

pub(super) fn key_path(base: &str, key: &str) -> String {
    let mut p = base.to_string();
    push_key(&mut p, key);
    p
}

pub(super) fn required(ctx: &mut Ctx<'_>, rule: Rule, path: impl Into<String>) {
    ctx.report(rule, path, "Required value");
}

pub(super) fn required_because(
    ctx: &mut Ctx<'_>,
    rule: Rule,
    path: impl Into<String>,
    detail: &str,
) {
    ctx.report(rule, path, format!("Required value: {detail}"));
}

pub(super) fn invalid(
    ctx: &mut Ctx<'_>,
    rule: Rule,
    path: impl Into<String>,
    value: impl std::fmt::Debug,
    detail: &str,
) {
    ctx.report(rule, path, format!("Invalid value: {value:?}: {detail}"));
}

pub(super) fn forbidden(ctx: &mut Ctx<'_>, rule: Rule, path: impl Into<String>, detail: &str) {
    ctx.report(rule, path, format!("Forbidden: {detail}"));
}

pub(super) fn duplicate(
    ctx: &mut Ctx<'_>,
    rule: Rule,
    path: impl Into<String>,
    value: impl std::fmt::Debug,
) {
    ctx.report(rule, path, format!("Duplicate value: {value:?}"));
}

pub(super) fn unsupported(
    ctx: &mut Ctx<'_>,
    rule: Rule,
    path: impl Into<String>,
    value: &str,
    supported: &[&str],
) {
    let list = supported
        .iter()
        .map(|s| format!("{s:?}"))
        .collect::<Vec<_>>()
        .join(", ");
    ctx.report(
        rule,
        path,
        format!("Unsupported value: {value:?}: supported values: {list}"),
    );
}

// Constant patterns from the CRDs and the API server; the unit tests compile every one.
use crate::check::validate::crd::constant_regex as re;

pub(super) static DNS_LABEL_RE: LazyLock<Regex> =
    LazyLock::new(|| re("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"));
pub(super) static DNS_SUBDOMAIN_RE: LazyLock<Regex> =
    LazyLock::new(|| re(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"));
pub(super) static QUALIFIED_NAME_RE: LazyLock<Regex> =
    LazyLock::new(|| re("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$"));
pub(super) static LABEL_VALUE_RE: LazyLock<Regex> =
    LazyLock::new(|| re("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$"));
pub(super) static CONFIG_KEY_RE: LazyLock<Regex> = LazyLock::new(|| re("^[-._a-zA-Z0-9]+$"));
pub(super) static HTTP_HEADER_NAME_RE: LazyLock<Regex> = LazyLock::new(|| re("^[-A-Za-z0-9]+$"));
pub(super) static PERCENT_RE: LazyLock<Regex> = LazyLock::new(|| re("^[0-9]+%$"));
pub(super) static DNS1035_LABEL_RE: LazyLock<Regex> =
    LazyLock::new(|| re("^[a-z]([-a-z0-9]*[a-z0-9])?$"));

pub(super) const DNS_LABEL_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
pub(super) const DNS_SUBDOMAIN_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
pub(super) const QUALIFIED_NAME_MSG: &str = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
pub(super) const LABEL_VALUE_MSG: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
pub(super) const PORT_RANGE_MSG: &str = "must be between 1 and 65535, inclusive";
pub(super) const NON_NEGATIVE_MSG: &str = "must be greater than or equal to 0";
pub(super) const MAX_ID: i64 = 2_147_483_647;
pub(super) const ID_RANGE_MSG: &str = "must be between 0 and 2147483647, inclusive";

/// Kubernetes `IsDNS1123Label`.
pub(super) fn dns_label_errors(s: &str) -> Vec<&'static str> {
    let mut errs = Vec::new();
    if s.len() > 63 {
        errs.push("must be no more than 63 characters");
    }
    if !DNS_LABEL_RE.is_match(s) {
        errs.push(DNS_LABEL_MSG);
    }
    errs
}

/// Kubernetes `IsDNS1123Subdomain`.
pub(super) fn dns_subdomain_errors(s: &str) -> Vec<&'static str> {
    let mut errs = Vec::new();
    if s.len() > 253 {
        errs.push("must be no more than 253 characters");
    }
    if !DNS_SUBDOMAIN_RE.is_match(s) {
        errs.push(DNS_SUBDOMAIN_MSG);
    }
    errs
}

/// Kubernetes `IsQualifiedName` (label keys, annotation keys, finalizers, condition types).
pub(super) fn qualified_name_errors(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    let parts: Vec<&str> = s.split('/').collect();
    let name = match parts.as_slice() {
        [name] => *name,
        [prefix, name] => {
            if prefix.is_empty() {
                errs.push("prefix part must be non-empty".to_string());
            } else {
                for e in dns_subdomain_errors(prefix) {
                    errs.push(format!("prefix part {e}"));
                }
            }
            *name
        }
        _ => {
            errs.push(format!(
                "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName'), not {s:?}"
            ));
            return errs;
        }
    };
    if name.is_empty() {
        errs.push("name part must be non-empty".to_string());
    } else if name.len() > 63 {
        errs.push("name part must be no more than 63 characters".to_string());
    }
    if !name.is_empty() && !QUALIFIED_NAME_RE.is_match(name) {
        errs.push(QUALIFIED_NAME_MSG.to_string());
    }
    errs
}

/// Kubernetes `IsValidLabelValue`.
pub(super) fn label_value_errors(v: &str) -> Vec<&'static str> {
    let mut errs = Vec::new();
    if v.len() > 63 {
        errs.push("must be no more than 63 characters");
    }
    if !LABEL_VALUE_RE.is_match(v) {
        errs.push(LABEL_VALUE_MSG);
    }
    errs
}

/// Kubernetes `IsValidPortName` (IANA_SVC_NAME).
pub(super) fn port_name_errors(name: &str) -> Vec<&'static str> {
    let mut errs = Vec::new();
    if name.len() > 15 {
        errs.push("must be no more than 15 characters");
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        errs.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
    }
    if !name.bytes().any(|b| b.is_ascii_lowercase()) {
        errs.push("must contain at least one letter (a-z)");
    }
    if name.contains("--") {
        errs.push("must not contain consecutive hyphens");
    }
    if name.starts_with('-') || name.ends_with('-') {
        errs.push("must not begin or end with a hyphen");
    }
    errs
}

pub(super) fn check_dns_label(ctx: &mut Ctx<'_>, rule: Rule, path: &str, s: &str) {
    for e in dns_label_errors(s) {
        invalid(ctx, rule, path, s, e);
    }
}

pub(super) fn check_dns_subdomain(ctx: &mut Ctx<'_>, rule: Rule, path: &str, s: &str) {
    for e in dns_subdomain_errors(s) {
        invalid(ctx, rule, path, s, e);
    }
}

pub(super) fn check_qualified_name(ctx: &mut Ctx<'_>, rule: Rule, path: &str, s: &str) {
    for e in qualified_name_errors(s) {
        invalid(ctx, rule, path, s, &e);
    }
}

pub(super) fn check_port_number(ctx: &mut Ctx<'_>, rule: Rule, path: &str, port: i64) {
    if !(1..=65535).contains(&port) {
        invalid(ctx, rule, path, port, PORT_RANGE_MSG);
    }
}

pub(super) fn check_port_name(ctx: &mut Ctx<'_>, rule: Rule, path: &str, name: &str) {
    for e in port_name_errors(name) {
        invalid(ctx, rule, path, name, e);
    }
}

pub(super) fn check_non_negative(ctx: &mut Ctx<'_>, rule: Rule, path: &str, value: Option<i64>) {
    if let Some(v) = value
        && v < 0
    {
        invalid(ctx, rule, path, v, NON_NEGATIVE_MSG);
    }
}

pub(super) fn check_id(ctx: &mut Ctx<'_>, rule: Rule, path: &str, value: Option<i64>) {
    if let Some(v) = value
        && !(0..=MAX_ID).contains(&v)
    {
        invalid(ctx, rule, path, v, ID_RANGE_MSG);
    }
}

/// Kubernetes `ValidateLabels`: every key a qualified name, every value a label value.
pub(in crate::check::validate) fn check_labels(
    ctx: &mut Ctx<'_>,
    path: &str,
    labels: &BTreeMap<String, String>,
) {
    for (k, v) in labels {
        let p = key_path(path, k);
        check_qualified_name(ctx, KUBE_METADATA, &p, k);
        for e in label_value_errors(v) {
            invalid(ctx, KUBE_METADATA, &p, v, e);
        }
    }
}

/// Kubernetes `ValidateAnnotations`: keys are qualified names (checked lower-cased) and the
/// total size is at most 256 KiB.
pub(in crate::check::validate) fn check_annotations(
    ctx: &mut Ctx<'_>,
    path: &str,
    annotations: &BTreeMap<String, String>,
) {
    let mut total = 0usize;
    for (k, v) in annotations {
        total += k.len() + v.len();
        let p = key_path(path, k);
        for e in qualified_name_errors(&k.to_lowercase()) {
            invalid(ctx, KUBE_METADATA, &p, k, &e);
        }
    }
    if total > 262_144 {
        ctx.report(
            KUBE_METADATA,
            path,
            "Too long: must have at most 262144 bytes",
        );
    }
}

/// The label and annotation rules of `ValidateObjectMeta` (the name and namespace are checked
/// for every kind by `check::run`).
pub(in crate::check::validate) fn check_object_meta(ctx: &mut Ctx<'_>) {
    let meta = ctx.meta;
    check_labels(ctx, "metadata.labels", &meta.labels);
    check_annotations(ctx, "metadata.annotations", &meta.annotations);
}

/// `metav1validation.ValidateLabelSelector`.
pub(in crate::check::validate) fn check_label_selector(
    ctx: &mut Ctx<'_>,
    path: &str,
    sel: &LabelSelector,
) {
    for (i, e) in sel.match_expressions.iter().enumerate() {
        let base = format!("{path}.matchExpressions[{i}]");
        match e.operator.as_str() {
            "In" | "NotIn" => {
                if e.values.is_empty() {
                    required_because(
                        ctx,
                        KUBE_METADATA,
                        format!("{base}.values"),
                        "must be specified when `operator` is 'In' or 'NotIn'",
                    );
                }
            }
            "Exists" | "DoesNotExist" => {
                if !e.values.is_empty() {
                    forbidden(
                        ctx,
                        KUBE_METADATA,
                        format!("{base}.values"),
                        "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                    );
                }
            }
            "" => required(ctx, KUBE_METADATA, format!("{base}.operator")),
            other => invalid(
                ctx,
                KUBE_METADATA,
                format!("{base}.operator"),
                other,
                "not a valid selector operator",
            ),
        }
        if e.key.is_empty() {
            required(ctx, KUBE_METADATA, format!("{base}.key"));
        } else {
            check_qualified_name(ctx, KUBE_METADATA, &format!("{base}.key"), &e.key);
        }
    }
    check_labels(ctx, &format!("{path}.matchLabels"), &sel.match_labels);
}

/// A label selector inside a CRD (Gateway API): the schema only requires `key` and
/// `operator`; anything else Kubernetes would reject makes the selector unusable, which is
/// reported as a warning.
pub(in crate::check::validate) fn check_label_selector_shape(
    ctx: &mut Ctx<'_>,
    path: &str,
    sel: &LabelSelector,
) {
    for (i, e) in sel.match_expressions.iter().enumerate() {
        let base = format!("{path}.matchExpressions[{i}]");
        if e.key.is_empty() {
            required(ctx, KUBE_METADATA, format!("{base}.key"));
        }
        if e.operator.is_empty() {
            required(ctx, KUBE_METADATA, format!("{base}.operator"));
        }
    }
    let mut inner = Ctx::new(ctx.meta, ctx.namespace);
    check_label_selector(&mut inner, path, sel);
    for f in inner.findings {
        if !f.message.starts_with("Required value") || f.path.ends_with(".values") {
            ctx.report(
                KUBE_SELECTOR_WARNING,
                f.path,
                format!("{}; the selector cannot be evaluated", f.message),
            );
        }
    }
}

pub(super) fn parse_ip(s: &str) -> Option<IpAddr> {
    s.parse().ok()
}
