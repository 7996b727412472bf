//! Rules for the Kubernetes built-in kinds: what the API server's validation
//! (`pkg/apis/core/validation`, `pkg/apis/apps/validation`,
//! `pkg/apis/admissionregistration/validation`) rejects in a Service, Pod, workload controller,
//! Namespace, ConfigMap, Secret or webhook configuration, worded as Kubernetes words it
//! ("Required value", "Invalid value", "Duplicate value", "Forbidden", "Not found").
//!
//! Secret values are never echoed: findings about a Secret name its keys only.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::net::IpAddr;
use std::sync::LazyLock;

use regex::Regex;
use serde::de::DeserializeOwned;

use super::{Ctx, Obj};
use crate::load::node::push_key;
use crate::model::kube::*;
use crate::model::schema::IntOrString;

// ---------------------------------------------------------------------------------------------
// Entry point
// ---------------------------------------------------------------------------------------------

pub fn validate(kind: &str, object: Obj<'_>, ctx: &mut Ctx<'_>) {
    check_object_meta(ctx);
    match kind {
        "Service" => with::<ServiceObject>(object, ctx, service),
        "Pod" => with::<PodObject>(object, ctx, pod),
        "Namespace" => with::<NamespaceObject>(object, ctx, namespace),
        "ConfigMap" => with::<ConfigMapObject>(object, ctx, config_map),
        "Secret" => with::<SecretObject>(object, ctx, secret),
        "Deployment" => with::<DeploymentObject>(object, ctx, deployment),
        "StatefulSet" => with::<StatefulSetObject>(object, ctx, stateful_set),
        "DaemonSet" => with::<DaemonSetObject>(object, ctx, daemon_set),
        "ReplicaSet" => with::<ReplicaSetObject>(object, ctx, replica_set),
        "MutatingWebhookConfiguration" => {
            with::<MutatingWebhookConfigurationObject>(object, ctx, |o, ctx| {
                webhooks(&o.webhooks, ctx)
            })
        }
        "ValidatingWebhookConfiguration" => {
            with::<ValidatingWebhookConfigurationObject>(object, ctx, |o, ctx| {
                let hooks: Vec<Webhook> = o.webhooks.iter().cloned().map(Webhook::from).collect();
                webhooks(&hooks, ctx)
            })
        }
        _ => {}
    }
}

/// Decodes the whole object and runs `rule`; the schema walk has already reported anything
/// that keeps the object from decoding.
fn with<T: DeserializeOwned>(object: Obj<'_>, ctx: &mut Ctx<'_>, rule: impl Fn(&T, &mut Ctx<'_>)) {
    if let Ok(typed) = object.decode::<T>() {
        rule(&typed, ctx);
    }
}

// ---------------------------------------------------------------------------------------------
// Kubernetes-style messages and name rules
// ---------------------------------------------------------------------------------------------

fn key_path(base: &str, key: &str) -> String {
    let mut p = base.to_string();
    push_key(&mut p, key);
    p
}

fn required(ctx: &mut Ctx<'_>, path: impl Into<String>) {
    ctx.error(path, "Required value");
}

fn required_because(ctx: &mut Ctx<'_>, path: impl Into<String>, detail: &str) {
    ctx.error(path, format!("Required value: {detail}"));
}

fn invalid(ctx: &mut Ctx<'_>, path: impl Into<String>, value: impl std::fmt::Debug, detail: &str) {
    ctx.error(path, format!("Invalid value: {value:?}: {detail}"));
}

fn forbidden(ctx: &mut Ctx<'_>, path: impl Into<String>, detail: &str) {
    ctx.error(path, format!("Forbidden: {detail}"));
}

fn duplicate(ctx: &mut Ctx<'_>, path: impl Into<String>, value: impl std::fmt::Debug) {
    ctx.error(path, format!("Duplicate value: {value:?}"));
}

fn unsupported(ctx: &mut Ctx<'_>, path: impl Into<String>, value: &str, supported: &[&str]) {
    let list = supported
        .iter()
        .map(|s| format!("{s:?}"))
        .collect::<Vec<_>>()
        .join(", ");
    ctx.error(
        path,
        format!("Unsupported value: {value:?}: supported values: {list}"),
    );
}

// Constant patterns from the CRDs and the API server; the unit tests compile every one.
use super::crd::constant_regex as re;

static DNS_LABEL_RE: LazyLock<Regex> = LazyLock::new(|| re("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"));
static DNS_SUBDOMAIN_RE: LazyLock<Regex> =
    LazyLock::new(|| re(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"));
static QUALIFIED_NAME_RE: LazyLock<Regex> =
    LazyLock::new(|| re("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$"));
static LABEL_VALUE_RE: LazyLock<Regex> =
    LazyLock::new(|| re("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$"));
static CONFIG_KEY_RE: LazyLock<Regex> = LazyLock::new(|| re("^[-._a-zA-Z0-9]+$"));
static HTTP_HEADER_NAME_RE: LazyLock<Regex> = LazyLock::new(|| re("^[-A-Za-z0-9]+$"));
static PERCENT_RE: LazyLock<Regex> = LazyLock::new(|| re("^[0-9]+%$"));
static DNS1035_LABEL_RE: LazyLock<Regex> = LazyLock::new(|| re("^[a-z]([-a-z0-9]*[a-z0-9])?$"));

const DNS_LABEL_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS_SUBDOMAIN_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const QUALIFIED_NAME_MSG: &str = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_MSG: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const PORT_RANGE_MSG: &str = "must be between 1 and 65535, inclusive";
const NON_NEGATIVE_MSG: &str = "must be greater than or equal to 0";
const MAX_ID: i64 = 2_147_483_647;
const ID_RANGE_MSG: &str = "must be between 0 and 2147483647, inclusive";

/// Kubernetes `IsDNS1123Label`.
fn dns_label_errors(s: &str) -> Vec<&'static str> {
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
fn dns_subdomain_errors(s: &str) -> Vec<&'static str> {
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
fn qualified_name_errors(s: &str) -> Vec<String> {
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
fn label_value_errors(v: &str) -> Vec<&'static str> {
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
fn port_name_errors(name: &str) -> Vec<&'static str> {
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

fn check_dns_label(ctx: &mut Ctx<'_>, path: &str, s: &str) {
    for e in dns_label_errors(s) {
        invalid(ctx, path, s, e);
    }
}

fn check_dns_subdomain(ctx: &mut Ctx<'_>, path: &str, s: &str) {
    for e in dns_subdomain_errors(s) {
        invalid(ctx, path, s, e);
    }
}

fn check_qualified_name(ctx: &mut Ctx<'_>, path: &str, s: &str) {
    for e in qualified_name_errors(s) {
        invalid(ctx, path, s, &e);
    }
}

fn check_port_number(ctx: &mut Ctx<'_>, path: &str, port: i64) {
    if !(1..=65535).contains(&port) {
        invalid(ctx, path, port, PORT_RANGE_MSG);
    }
}

fn check_port_name(ctx: &mut Ctx<'_>, path: &str, name: &str) {
    for e in port_name_errors(name) {
        invalid(ctx, path, name, e);
    }
}

fn check_non_negative(ctx: &mut Ctx<'_>, path: &str, value: Option<i64>) {
    if let Some(v) = value
        && v < 0
    {
        invalid(ctx, path, v, NON_NEGATIVE_MSG);
    }
}

fn check_id(ctx: &mut Ctx<'_>, path: &str, value: Option<i64>) {
    if let Some(v) = value
        && !(0..=MAX_ID).contains(&v)
    {
        invalid(ctx, path, v, ID_RANGE_MSG);
    }
}

/// Kubernetes `ValidateLabels`: every key a qualified name, every value a label value.
pub(super) fn check_labels(ctx: &mut Ctx<'_>, path: &str, labels: &BTreeMap<String, String>) {
    for (k, v) in labels {
        let p = key_path(path, k);
        check_qualified_name(ctx, &p, k);
        for e in label_value_errors(v) {
            invalid(ctx, &p, v, e);
        }
    }
}

/// Kubernetes `ValidateAnnotations`: keys are qualified names (checked lower-cased) and the
/// total size is at most 256 KiB.
pub(super) fn check_annotations(
    ctx: &mut Ctx<'_>,
    path: &str,
    annotations: &BTreeMap<String, String>,
) {
    let mut total = 0usize;
    for (k, v) in annotations {
        total += k.len() + v.len();
        let p = key_path(path, k);
        for e in qualified_name_errors(&k.to_lowercase()) {
            invalid(ctx, &p, k, &e);
        }
    }
    if total > 262_144 {
        ctx.error(path, "Too long: must have at most 262144 bytes");
    }
}

/// The label and annotation rules of `ValidateObjectMeta` (the name and namespace are checked
/// for every kind by `check::run`).
pub(super) fn check_object_meta(ctx: &mut Ctx<'_>) {
    let meta = ctx.meta;
    check_labels(ctx, "metadata.labels", &meta.labels);
    check_annotations(ctx, "metadata.annotations", &meta.annotations);
}

/// `metav1validation.ValidateLabelSelector`.
pub(super) fn check_label_selector(ctx: &mut Ctx<'_>, path: &str, sel: &LabelSelector) {
    for (i, e) in sel.match_expressions.iter().enumerate() {
        let base = format!("{path}.matchExpressions[{i}]");
        match e.operator.as_str() {
            "In" | "NotIn" => {
                if e.values.is_empty() {
                    required_because(
                        ctx,
                        format!("{base}.values"),
                        "must be specified when `operator` is 'In' or 'NotIn'",
                    );
                }
            }
            "Exists" | "DoesNotExist" => {
                if !e.values.is_empty() {
                    forbidden(
                        ctx,
                        format!("{base}.values"),
                        "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                    );
                }
            }
            "" => required(ctx, format!("{base}.operator")),
            other => invalid(
                ctx,
                format!("{base}.operator"),
                other,
                "not a valid selector operator",
            ),
        }
        if e.key.is_empty() {
            required(ctx, format!("{base}.key"));
        } else {
            check_qualified_name(ctx, &format!("{base}.key"), &e.key);
        }
    }
    check_labels(ctx, &format!("{path}.matchLabels"), &sel.match_labels);
}

/// A label selector inside a CRD (Gateway API): the schema only requires `key` and
/// `operator`; anything else Kubernetes would reject makes the selector unusable, which is
/// reported as a warning.
pub(super) fn check_label_selector_shape(ctx: &mut Ctx<'_>, path: &str, sel: &LabelSelector) {
    for (i, e) in sel.match_expressions.iter().enumerate() {
        let base = format!("{path}.matchExpressions[{i}]");
        if e.key.is_empty() {
            required(ctx, format!("{base}.key"));
        }
        if e.operator.is_empty() {
            required(ctx, format!("{base}.operator"));
        }
    }
    let mut inner = Ctx::new(ctx.meta, ctx.namespace);
    check_label_selector(&mut inner, path, sel);
    for f in inner.findings {
        if !f.message.starts_with("Required value") || f.path.ends_with(".values") {
            ctx.warn(
                f.path,
                format!("{}; the selector cannot be evaluated", f.message),
            );
        }
    }
}

fn parse_ip(s: &str) -> Option<IpAddr> {
    s.parse().ok()
}

// ---------------------------------------------------------------------------------------------
// Quantities
// ---------------------------------------------------------------------------------------------

/// Parses a Kubernetes quantity (`<signedNumber><suffix>`) into its value.
pub(super) fn parse_quantity(s: &str) -> Option<f64> {
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

const QUANTITY_MSG: &str =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

/// Checks a quantity's syntax and sign; returns its value when valid.
fn check_quantity(ctx: &mut Ctx<'_>, path: &str, q: &Quantity) -> Option<f64> {
    let Some(text) = q.as_text() else {
        invalid(ctx, path, &q.0, QUANTITY_MSG);
        return None;
    };
    let Some(v) = parse_quantity(&text) else {
        invalid(ctx, path, &text, QUANTITY_MSG);
        return None;
    };
    if v < 0.0 {
        invalid(ctx, path, &text, NON_NEGATIVE_MSG);
        return None;
    }
    Some(v)
}

fn is_standard_container_resource(name: &str) -> bool {
    matches!(name, "cpu" | "memory" | "ephemeral-storage") || name.starts_with("hugepages-")
}

fn check_resources(ctx: &mut Ctx<'_>, path: &str, res: &ResourceRequirements) {
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
                &p,
                q.as_text().unwrap_or_default(),
                &format!("must be less than or equal to {name} limit of {text}"),
            );
        }
    }
}

fn check_resource_name(ctx: &mut Ctx<'_>, path: &str, name: &str) {
    if is_standard_container_resource(name) {
        return;
    }
    if name.contains('/') {
        check_qualified_name(ctx, path, name);
    } else {
        invalid(
            ctx,
            path,
            name,
            "must be a standard resource for containers",
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Service
// ---------------------------------------------------------------------------------------------

fn service(svc: &ServiceObject, ctx: &mut Ctx<'_>) {
    let spec = svc.spec.clone().unwrap_or_default();
    let ty = spec.service_type();
    check_labels(ctx, "spec.selector", &spec.selector);

    if spec.ports.is_empty() && ty != ServiceType::ExternalName && !spec.is_headless() {
        required(ctx, "spec.ports");
    }
    let require_name = spec.ports.len() > 1;
    let mut names = HashSet::new();
    let mut port_keys = HashSet::new();
    let mut node_ports = HashSet::new();
    for (i, p) in spec.ports.iter().enumerate() {
        let base = format!("spec.ports[{i}]");
        if p.name.is_empty() {
            if require_name {
                required(ctx, format!("{base}.name"));
            }
        } else {
            check_dns_label(ctx, &format!("{base}.name"), &p.name);
            if !names.insert(p.name.as_str()) {
                duplicate(ctx, format!("{base}.name"), &p.name);
            }
        }
        check_port_number(ctx, &format!("{base}.port"), i64::from(p.port));
        let key = format!("{}/{}", p.port, p.protocol().as_str());
        if !port_keys.insert(key.clone()) {
            duplicate(ctx, &base, &key);
        }
        match &p.target_port {
            Some(IntOrString::Int(n)) if *n != 0 => {
                check_port_number(ctx, &format!("{base}.targetPort"), *n)
            }
            Some(IntOrString::Str(s)) if !s.is_empty() => {
                check_port_name(ctx, &format!("{base}.targetPort"), s)
            }
            _ => {}
        }
        if let Some(np) = p.node_port.filter(|n| *n != 0) {
            let path = format!("{base}.nodePort");
            if ty == ServiceType::ClusterIp {
                forbidden(ctx, &path, "may not be used when `type` is 'ClusterIP'");
            }
            check_port_number(ctx, &path, i64::from(np));
            let key = format!("{np}/{}", p.protocol().as_str());
            if !node_ports.insert(key) {
                duplicate(ctx, &path, np);
            }
        }
        if let Some(ap) = &p.app_protocol {
            check_qualified_name(ctx, &format!("{base}.appProtocol"), ap);
        }
    }

    let cluster_ip = spec.cluster_ip.as_deref().unwrap_or("");
    if ty == ServiceType::ExternalName {
        match spec.external_name.as_deref() {
            None | Some("") => required(ctx, "spec.externalName"),
            Some(name) => {
                let trimmed = name.strip_suffix('.').unwrap_or(name);
                check_dns_subdomain(ctx, "spec.externalName", trimmed);
            }
        }
        if !cluster_ip.is_empty() {
            forbidden(
                ctx,
                "spec.clusterIP",
                "may not be set for ExternalName services",
            );
        } else if !spec.cluster_ips.is_empty() {
            forbidden(
                ctx,
                "spec.clusterIPs",
                "may not be set for ExternalName services",
            );
        }
    }
    if !cluster_ip.is_empty() && cluster_ip != "None" && parse_ip(cluster_ip).is_none() {
        invalid(
            ctx,
            "spec.clusterIP",
            cluster_ip,
            "must be a valid IP address (e.g. 10.9.8.7 or 2001:db8::ffff)",
        );
    }
    for (i, ip) in spec.cluster_ips.iter().enumerate() {
        let path = format!("spec.clusterIPs[{i}]");
        if i == 0 && !cluster_ip.is_empty() && ip != cluster_ip {
            invalid(ctx, &path, ip, "first value must match `clusterIP`");
        } else if ip == "None" {
            if spec.cluster_ips.len() > 1 {
                invalid(ctx, &path, ip, "'None' must be the first and only value");
            }
        } else if !ip.is_empty() && parse_ip(ip).is_none() {
            invalid(
                ctx,
                &path,
                ip,
                "must be a valid IP address (e.g. 10.9.8.7 or 2001:db8::ffff)",
            );
        }
    }
    if spec.cluster_ips.len() > 2 {
        ctx.error(
            "spec.clusterIPs",
            format!(
                "Too many: {}: must have at most 2 items",
                spec.cluster_ips.len()
            ),
        );
    }
    for (i, ip) in spec.external_ips.iter().enumerate() {
        if parse_ip(ip).is_none() {
            invalid(
                ctx,
                format!("spec.externalIPs[{i}]"),
                ip,
                "must be a valid IP address (e.g. 10.9.8.7 or 2001:db8::ffff)",
            );
        }
    }

    let affinity = spec.session_affinity.unwrap_or(SessionAffinity::NoAffinity);
    if let Some(cfg) = &spec.session_affinity_config {
        match (&cfg.client_ip, affinity) {
            (Some(_), SessionAffinity::NoAffinity) => forbidden(
                ctx,
                "spec.sessionAffinityConfig",
                "must not be set when session affinity is None",
            ),
            (Some(c), SessionAffinity::ClientIp) => {
                if let Some(t) = c.timeout_seconds
                    && !(1..=86400).contains(&t)
                {
                    invalid(
                        ctx,
                        "spec.sessionAffinityConfig.clientIP.timeoutSeconds",
                        t,
                        "must be greater than 0 and less than 86400",
                    );
                }
            }
            _ => {}
        }
    }

    let externally_accessible = matches!(ty, ServiceType::NodePort | ServiceType::LoadBalancer)
        || (ty == ServiceType::ClusterIp && !spec.external_ips.is_empty());
    if let Some(p) = spec.external_traffic_policy
        && !externally_accessible
    {
        invalid(
            ctx,
            "spec.externalTrafficPolicy",
            p.as_str(),
            "may only be set for externally-accessible services",
        );
    }
    if let Some(hc) = spec.health_check_node_port.filter(|n| *n != 0) {
        let needs = ty == ServiceType::LoadBalancer
            && spec.external_traffic_policy == Some(TrafficPolicy::Local);
        if !needs {
            invalid(
                ctx,
                "spec.healthCheckNodePort",
                hc,
                "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
            );
        } else {
            check_port_number(ctx, "spec.healthCheckNodePort", i64::from(hc));
        }
    }
    let lb_only = "may only be used when `type` is 'LoadBalancer'";
    if ty != ServiceType::LoadBalancer {
        if !spec.load_balancer_source_ranges.is_empty() {
            forbidden(ctx, "spec.loadBalancerSourceRanges", lb_only);
        }
        if spec.load_balancer_class.is_some() {
            forbidden(ctx, "spec.loadBalancerClass", lb_only);
        }
        if spec.allocate_load_balancer_node_ports.is_some() {
            forbidden(ctx, "spec.allocateLoadBalancerNodePorts", lb_only);
        }
    }
    for (i, r) in spec.load_balancer_source_ranges.iter().enumerate() {
        let trimmed = r.trim();
        if crate::check::validate::common::parse_cidr(trimmed).is_none() {
            invalid(
                ctx,
                format!("spec.loadBalancerSourceRanges[{i}]"),
                r,
                "must be a list of IP ranges. For example, 10.240.0.0/24,10.250.0.0/24 ",
            );
        }
    }
    if let Some(class) = &spec.load_balancer_class {
        check_qualified_name(ctx, "spec.loadBalancerClass", class);
    }

    if spec.ip_families.len() > 2 {
        ctx.error(
            "spec.ipFamilies",
            format!(
                "Too many: {}: must have at most 2 items",
                spec.ip_families.len()
            ),
        );
    }
    let mut families = HashSet::new();
    for (i, f) in spec.ip_families.iter().enumerate() {
        if !families.insert(*f) {
            duplicate(ctx, format!("spec.ipFamilies[{i}]"), f.as_str());
        }
    }
    if spec.ip_families.len() > 1 && spec.ip_family_policy == Some(IpFamilyPolicy::SingleStack) {
        invalid(
            ctx,
            "spec.ipFamilyPolicy",
            "SingleStack",
            "must be RequireDualStack or PreferDualStack when multiple 'ipFamilies' are specified",
        );
    }
    if let Some(td) = &spec.traffic_distribution {
        const VALUES: &[&str] = &["PreferClose", "PreferSameZone", "PreferSameNode"];
        if !VALUES.contains(&td.as_str()) {
            unsupported(ctx, "spec.trafficDistribution", td, VALUES);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Pods and pod templates
// ---------------------------------------------------------------------------------------------

/// Where a PodSpec appears, which changes a few rules.
#[derive(Clone, Copy, PartialEq, Eq)]
enum PodUse {
    /// A Pod created directly.
    Pod,
    /// The template of a workload controller (the kind name, for messages).
    Template(&'static str),
}

fn pod(p: &PodObject, ctx: &mut Ctx<'_>) {
    let spec = p.spec.clone().unwrap_or_default();
    pod_spec(ctx, "spec", &spec, PodUse::Pod, &HashSet::new());
}

fn pod_template(
    ctx: &mut Ctx<'_>,
    path: &str,
    template: &PodTemplateSpec,
    owner: &'static str,
    extra_volumes: &HashSet<String>,
) {
    check_labels(
        ctx,
        &format!("{path}.metadata.labels"),
        &template.metadata.labels,
    );
    check_annotations(
        ctx,
        &format!("{path}.metadata.annotations"),
        &template.metadata.annotations,
    );
    let spec = template.spec.clone().unwrap_or_default();
    let spec_path = format!("{path}.spec");
    pod_spec(
        ctx,
        &spec_path,
        &spec,
        PodUse::Template(owner),
        extra_volumes,
    );
    if let Some(rp) = spec.restart_policy
        && rp != RestartPolicy::Always
    {
        unsupported(
            ctx,
            format!("{spec_path}.restartPolicy"),
            rp.as_str(),
            &["Always"],
        );
    }
    if spec.active_deadline_seconds.is_some() {
        forbidden(
            ctx,
            format!("{spec_path}.activeDeadlineSeconds"),
            &format!("activeDeadlineSeconds in {owner} is not Supported"),
        );
    }
}

fn pod_spec(
    ctx: &mut Ctx<'_>,
    path: &str,
    spec: &PodSpec,
    usage: PodUse,
    extra_volumes: &HashSet<String>,
) {
    let volume_names = volumes(ctx, path, &spec.volumes);
    let mut mountable: HashSet<String> = volume_names.clone();
    mountable.extend(extra_volumes.iter().cloned());

    if spec.containers.is_empty() {
        required(ctx, format!("{path}.containers"));
    }
    let host_network = spec.host_network.unwrap_or(false);
    let mut names: HashSet<&str> = HashSet::new();
    let mut host_ports: HashSet<String> = HashSet::new();
    for (list, i, c) in spec.all_containers() {
        let base = format!("{path}.{list}[{i}]");
        let init = list == "initContainers";
        if !c.name.is_empty() && !names.insert(c.name.as_str()) {
            duplicate(ctx, format!("{base}.name"), &c.name);
        }
        container(ctx, &base, c, init, usage, host_network, &mountable);
        for (j, port) in c.ports.iter().enumerate() {
            if let Some(hp) = port.host_port.filter(|h| *h != 0) {
                let key = format!(
                    "{}{}/{}",
                    port.host_ip
                        .as_deref()
                        .filter(|s| !s.is_empty())
                        .map(|ip| format!("{ip}:"))
                        .unwrap_or_default(),
                    hp,
                    port.protocol().as_str()
                );
                if !host_ports.insert(key.clone()) {
                    duplicate(ctx, format!("{base}.ports[{j}].hostPort"), &key);
                }
            }
        }
    }
    if !spec.ephemeral_containers.is_empty() {
        let detail = match usage {
            PodUse::Pod => "cannot be set on create",
            PodUse::Template(_) => "ephemeral containers not allowed in pod template",
        };
        forbidden(ctx, format!("{path}.ephemeralContainers"), detail);
    }

    if spec.dns_policy == Some(DnsPolicy::NoPolicy) && spec.dns_config.is_none() {
        required_because(
            ctx,
            format!("{path}.dnsConfig"),
            "must provide `dnsConfig` when `dnsPolicy` is None",
        );
    }
    if let Some(dns) = &spec.dns_config {
        let base = format!("{path}.dnsConfig");
        if dns.nameservers.len() > 3 {
            invalid(
                ctx,
                format!("{base}.nameservers"),
                &dns.nameservers,
                "must not have more than 3 nameservers",
            );
        }
        for (i, ns) in dns.nameservers.iter().enumerate() {
            if parse_ip(ns).is_none() {
                invalid(
                    ctx,
                    format!("{base}.nameservers[{i}]"),
                    ns,
                    "must be a valid IP address",
                );
            }
        }
        if dns.searches.len() > 32 {
            invalid(
                ctx,
                format!("{base}.searches"),
                dns.searches.len(),
                "must not have more than 32 search paths",
            );
        }
        for (i, s) in dns.searches.iter().enumerate() {
            let trimmed = s.strip_suffix('.').unwrap_or(s);
            check_dns_subdomain(ctx, &format!("{base}.searches[{i}]"), trimmed);
        }
        for (i, o) in dns.options.iter().enumerate() {
            if o.name.as_deref().unwrap_or("").is_empty() {
                required(ctx, format!("{base}.options[{i}].name"));
            }
        }
    }

    for (field, value) in [
        ("serviceAccountName", &spec.service_account_name),
        ("serviceAccount", &spec.service_account),
        ("nodeName", &spec.node_name),
        ("priorityClassName", &spec.priority_class_name),
        ("schedulerName", &spec.scheduler_name),
    ] {
        if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
            check_dns_subdomain(ctx, &format!("{path}.{field}"), v);
        }
    }
    for (field, value) in [("hostname", &spec.hostname), ("subdomain", &spec.subdomain)] {
        if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
            check_dns_label(ctx, &format!("{path}.{field}"), v);
        }
    }
    check_labels(ctx, &format!("{path}.nodeSelector"), &spec.node_selector);
    if let Some(a) = spec.active_deadline_seconds
        && !(1..=MAX_ID).contains(&a)
    {
        invalid(
            ctx,
            format!("{path}.activeDeadlineSeconds"),
            a,
            "must be between 1 and 2147483647, inclusive",
        );
    }

    if let Some(sc) = &spec.security_context {
        let base = format!("{path}.securityContext");
        check_id(ctx, &format!("{base}.runAsUser"), sc.run_as_user);
        check_id(ctx, &format!("{base}.runAsGroup"), sc.run_as_group);
        check_id(ctx, &format!("{base}.fsGroup"), sc.fs_group);
        for (i, g) in sc.supplemental_groups.iter().enumerate() {
            check_id(ctx, &format!("{base}.supplementalGroups[{i}]"), Some(*g));
        }
        check_profile(
            ctx,
            &format!("{base}.seccompProfile"),
            sc.seccomp_profile
                .as_ref()
                .map(|p| (p.r#type, &p.localhost_profile)),
            "seccomp",
        );
        check_profile(
            ctx,
            &format!("{base}.appArmorProfile"),
            sc.app_armor_profile
                .as_ref()
                .map(|p| (p.r#type, &p.localhost_profile)),
            "AppArmor",
        );
        for (i, s) in sc.sysctls.iter().enumerate() {
            if s.name.is_empty() {
                required(ctx, format!("{base}.sysctls[{i}].name"));
            }
        }
    }

    for (i, t) in spec.tolerations.iter().enumerate() {
        toleration(ctx, &format!("{path}.tolerations[{i}]"), t);
    }
    let mut spread = HashSet::new();
    for (i, t) in spec.topology_spread_constraints.iter().enumerate() {
        let base = format!("{path}.topologySpreadConstraints[{i}]");
        if t.max_skew <= 0 {
            invalid(
                ctx,
                format!("{base}.maxSkew"),
                t.max_skew,
                "must be greater than zero",
            );
        }
        if t.topology_key.is_empty() {
            required_because(ctx, format!("{base}.topologyKey"), "can not be empty");
        } else {
            check_qualified_name(ctx, &format!("{base}.topologyKey"), &t.topology_key);
        }
        match t.when_unsatisfiable {
            None => required(ctx, format!("{base}.whenUnsatisfiable")),
            Some(w) => {
                if !spread.insert((t.topology_key.clone(), w)) {
                    duplicate(
                        ctx,
                        &base,
                        format!("{{{}, {}}}", t.topology_key, w.as_str()),
                    );
                }
                if let Some(m) = t.min_domains {
                    if m <= 0 {
                        invalid(
                            ctx,
                            format!("{base}.minDomains"),
                            m,
                            "value must be greater than zero",
                        );
                    } else if w != UnsatisfiableConstraintAction::DoNotSchedule {
                        invalid(
                            ctx,
                            format!("{base}.minDomains"),
                            m,
                            "can only use minDomains if whenUnsatisfiable=DoNotSchedule",
                        );
                    }
                }
            }
        }
        if let Some(sel) = &t.label_selector {
            check_label_selector(ctx, &format!("{base}.labelSelector"), sel);
        }
    }
    for (i, h) in spec.host_aliases.iter().enumerate() {
        let base = format!("{path}.hostAliases[{i}]");
        if parse_ip(&h.ip).is_none() {
            invalid(
                ctx,
                format!("{base}.ip"),
                &h.ip,
                "must be a valid IP address",
            );
        }
        for (j, name) in h.hostnames.iter().enumerate() {
            check_dns_subdomain(ctx, &format!("{base}.hostnames[{j}]"), name);
        }
    }
    for (i, g) in spec.readiness_gates.iter().enumerate() {
        check_qualified_name(
            ctx,
            &format!("{path}.readinessGates[{i}].conditionType"),
            &g.condition_type,
        );
    }
    let mut gates = HashSet::new();
    for (i, g) in spec.scheduling_gates.iter().enumerate() {
        let p = format!("{path}.schedulingGates[{i}].name");
        check_qualified_name(ctx, &p, &g.name);
        if !gates.insert(g.name.as_str()) {
            duplicate(ctx, &p, &g.name);
        }
    }
    for (name, q) in &spec.overhead {
        check_quantity(ctx, &key_path(&format!("{path}.overhead"), name), q);
    }
    if let Some(r) = &spec.resources {
        check_resources(ctx, &format!("{path}.resources"), r);
    }
}

fn check_profile(
    ctx: &mut Ctx<'_>,
    path: &str,
    profile: Option<(Option<ProfileType>, &Option<String>)>,
    what: &str,
) {
    let Some((ty, localhost)) = profile else {
        return;
    };
    match ty {
        None => required(ctx, format!("{path}.type")),
        Some(ProfileType::Localhost) => {
            if localhost.as_deref().unwrap_or("").is_empty() {
                required_because(
                    ctx,
                    format!("{path}.localhostProfile"),
                    &format!("must be set when {what} type is Localhost"),
                );
            }
        }
        Some(_) => {
            if localhost.is_some() {
                invalid(
                    ctx,
                    format!("{path}.localhostProfile"),
                    localhost.as_deref().unwrap_or(""),
                    &format!("can only be set when {what} type is Localhost"),
                );
            }
        }
    }
}

fn toleration(ctx: &mut Ctx<'_>, base: &str, t: &Toleration) {
    let key = t.key.as_deref().unwrap_or("");
    if !key.is_empty() {
        check_qualified_name(ctx, &format!("{base}.key"), key);
    }
    let op = t.operator.unwrap_or(TolerationOperator::Equal);
    if key.is_empty() && op != TolerationOperator::Exists {
        invalid(
            ctx,
            format!("{base}.operator"),
            op.as_str(),
            "operator must be Exists when `key` is empty, which means \"match all values and all keys\"",
        );
    }
    if t.toleration_seconds.is_some() && t.effect != Some(TaintEffect::NoExecute) {
        invalid(
            ctx,
            format!("{base}.effect"),
            t.effect.map(|e| e.as_str()).unwrap_or(""),
            "effect must be 'NoExecute' when `tolerationSeconds` is set",
        );
    }
    let value = t.value.as_deref().unwrap_or("");
    match op {
        TolerationOperator::Exists if !value.is_empty() => invalid(
            ctx,
            format!("{base}.operator"),
            "Exists",
            "value must be empty when `operator` is 'Exists'",
        ),
        TolerationOperator::Equal => {
            for e in label_value_errors(value) {
                invalid(ctx, format!("{base}.value"), value, e);
            }
        }
        TolerationOperator::Exists => {}
    }
}

/// Validates `volumes` and returns their names.
fn volumes(ctx: &mut Ctx<'_>, path: &str, vols: &[Volume]) -> HashSet<String> {
    let mut names = HashSet::new();
    for (i, v) in vols.iter().enumerate() {
        let base = format!("{path}.volumes[{i}]");
        if v.name.is_empty() {
            required(ctx, format!("{base}.name"));
        } else {
            check_dns_label(ctx, &format!("{base}.name"), &v.name);
            if !names.insert(v.name.clone()) {
                duplicate(ctx, format!("{base}.name"), &v.name);
            }
        }
        let sources = v.sources();
        match sources.as_slice() {
            [] => required_because(ctx, &base, "must specify a volume type"),
            [_] => {}
            [_, second, ..] => forbidden(
                ctx,
                format!("{base}.{second}"),
                "may not specify more than 1 volume type",
            ),
        }
        if let Some(s) = &v.secret {
            if s.secret_name.as_deref().unwrap_or("").is_empty() {
                required(ctx, format!("{base}.secret.secretName"));
            }
            key_to_paths(ctx, &format!("{base}.secret.items"), &s.items);
            check_mode(ctx, &format!("{base}.secret.defaultMode"), s.default_mode);
        }
        if let Some(c) = &v.config_map {
            if c.name.as_deref().unwrap_or("").is_empty() {
                required(ctx, format!("{base}.configMap.name"));
            }
            key_to_paths(ctx, &format!("{base}.configMap.items"), &c.items);
            check_mode(
                ctx,
                &format!("{base}.configMap.defaultMode"),
                c.default_mode,
            );
        }
        if let Some(h) = &v.host_path
            && h.path.is_empty()
        {
            required(ctx, format!("{base}.hostPath.path"));
        }
        if let Some(c) = &v.persistent_volume_claim
            && c.claim_name.is_empty()
        {
            required(ctx, format!("{base}.persistentVolumeClaim.claimName"));
        }
        if let Some(e) = &v.empty_dir
            && let Some(q) = &e.size_limit
        {
            check_quantity(ctx, &format!("{base}.emptyDir.sizeLimit"), q);
        }
        if let Some(p) = &v.projected {
            projected(ctx, &format!("{base}.projected"), p);
        }
        if let Some(d) = &v.downward_api {
            check_mode(
                ctx,
                &format!("{base}.downwardAPI.defaultMode"),
                d.default_mode,
            );
            for (j, item) in d.items.iter().enumerate() {
                relative_path(
                    ctx,
                    &format!("{base}.downwardAPI.items[{j}].path"),
                    &item.path,
                );
            }
        }
        if let Some(c) = &v.csi
            && c.driver.is_empty()
        {
            required(ctx, format!("{base}.csi.driver"));
        }
    }
    names
}

fn projected(ctx: &mut Ctx<'_>, base: &str, p: &ProjectedVolumeSource) {
    check_mode(ctx, &format!("{base}.defaultMode"), p.default_mode);
    for (i, s) in p.sources.iter().enumerate() {
        let sp = format!("{base}.sources[{i}]");
        let set = [
            s.secret.is_some(),
            s.config_map.is_some(),
            s.downward_api.is_some(),
            s.service_account_token.is_some(),
            s.cluster_trust_bundle.is_some(),
            s.pod_certificate.is_some(),
        ]
        .into_iter()
        .filter(|b| *b)
        .count();
        if set == 0 {
            required_because(ctx, &sp, "must specify exactly 1 projection type");
        } else if set > 1 {
            forbidden(
                ctx,
                &sp,
                "may not specify more than 1 volume type per source",
            );
        }
        for (field, kp) in [("secret", &s.secret), ("configMap", &s.config_map)] {
            if let Some(kp) = kp {
                key_to_paths(ctx, &format!("{sp}.{field}.items"), &kp.items);
            }
        }
        if let Some(d) = &s.downward_api {
            for (j, item) in d.items.iter().enumerate() {
                relative_path(
                    ctx,
                    &format!("{sp}.downwardAPI.items[{j}].path"),
                    &item.path,
                );
            }
        }
        if let Some(t) = &s.service_account_token {
            let tp = format!("{sp}.serviceAccountToken");
            if t.path.is_empty() {
                required(ctx, format!("{tp}.path"));
            } else {
                relative_path(ctx, &format!("{tp}.path"), &t.path);
            }
            if let Some(e) = t.expiration_seconds {
                if e < 600 {
                    invalid(
                        ctx,
                        format!("{tp}.expirationSeconds"),
                        e,
                        "may not specify a duration less than 10 minutes",
                    );
                } else if e > 1 << 32 {
                    invalid(
                        ctx,
                        format!("{tp}.expirationSeconds"),
                        e,
                        "may not specify a duration larger than 2^32 seconds",
                    );
                }
            }
        }
    }
}

fn key_to_paths(ctx: &mut Ctx<'_>, base: &str, items: &[KeyToPath]) {
    for (i, item) in items.iter().enumerate() {
        let p = format!("{base}[{i}]");
        if item.key.is_empty() {
            required(ctx, format!("{p}.key"));
        }
        if item.path.is_empty() {
            required(ctx, format!("{p}.path"));
        } else {
            relative_path(ctx, &format!("{p}.path"), &item.path);
        }
        check_mode(ctx, &format!("{p}.mode"), item.mode);
    }
}

fn check_mode(ctx: &mut Ctx<'_>, path: &str, mode: Option<i32>) {
    if let Some(m) = mode
        && !(0..=0o777).contains(&m)
    {
        invalid(
            ctx,
            path,
            m,
            "must be a number between 0 and 0777 (octal), both inclusive",
        );
    }
}

/// Kubernetes `validateLocalDescendingPath`.
fn relative_path(ctx: &mut Ctx<'_>, path: &str, p: &str) {
    if p.starts_with('/') {
        invalid(ctx, path, p, "must be a relative path");
    }
    if p.split(['/', '\\']).any(|seg| seg == "..") {
        invalid(ctx, path, p, "must not contain '..'");
    }
}

fn container(
    ctx: &mut Ctx<'_>,
    base: &str,
    c: &Container,
    init: bool,
    usage: PodUse,
    host_network: bool,
    volumes: &HashSet<String>,
) {
    if c.name.is_empty() {
        required(ctx, format!("{base}.name"));
    } else {
        check_dns_label(ctx, &format!("{base}.name"), &c.name);
    }
    if c.image.is_empty() {
        required(ctx, format!("{base}.image"));
    } else if usage == PodUse::Pod && c.image.trim() != c.image {
        invalid(
            ctx,
            format!("{base}.image"),
            &c.image,
            "must not have leading or trailing whitespace",
        );
    }

    let restartable = c.is_restartable();
    match (&c.restart_policy, init) {
        (Some(rp), true) if rp != "Always" => {
            unsupported(ctx, format!("{base}.restartPolicy"), rp, &["Always"])
        }
        (Some(_), false) => ctx.warn(
            format!("{base}.restartPolicy"),
            "Forbidden: may not be set for non-init containers unless the ContainerRestartRules feature gate is enabled",
        ),
        _ => {}
    }

    // Ports.
    let mut port_names = HashSet::new();
    let mut seen_ports: HashMap<String, usize> = HashMap::new();
    for (j, p) in c.ports.iter().enumerate() {
        let pp = format!("{base}.ports[{j}]");
        if p.container_port == 0 {
            required(ctx, format!("{pp}.containerPort"));
        } else {
            check_port_number(
                ctx,
                &format!("{pp}.containerPort"),
                i64::from(p.container_port),
            );
        }
        if let Some(hp) = p.host_port.filter(|h| *h != 0) {
            check_port_number(ctx, &format!("{pp}.hostPort"), i64::from(hp));
            if host_network && hp != p.container_port {
                invalid(
                    ctx,
                    format!("{pp}.hostPort"),
                    hp,
                    "must match `containerPort` when `hostNetwork` is true",
                );
            }
        }
        if !p.name.is_empty() {
            check_port_name(ctx, &format!("{pp}.name"), &p.name);
            if !port_names.insert(p.name.as_str()) {
                duplicate(ctx, format!("{pp}.name"), &p.name);
            }
        }
        if let Some(ip) = p.host_ip.as_deref().filter(|s| !s.is_empty())
            && parse_ip(ip).is_none()
        {
            invalid(
                ctx,
                format!("{pp}.hostIP"),
                ip,
                "must be a valid IP address",
            );
        }
        let key = format!("{}/{}", p.container_port, p.protocol().as_str());
        if let Some(first) = seen_ports.get(&key) {
            ctx.warn(
                &pp,
                format!("duplicate port definition with {base}.ports[{first}]"),
            );
        } else {
            seen_ports.insert(key, j);
        }
    }

    // Environment.
    let mut env_names: HashMap<&str, usize> = HashMap::new();
    for (j, e) in c.env.iter().enumerate() {
        let ep = format!("{base}.env[{j}]");
        if e.name.is_empty() {
            required(ctx, format!("{ep}.name"));
        } else {
            if !e.name.bytes().all(|b| (32..=126).contains(&b) && b != b'=') {
                invalid(
                    ctx,
                    format!("{ep}.name"),
                    &e.name,
                    "a valid environment variable name must consist only of printable ASCII characters other than '='",
                );
            }
            if let Some(prev) = env_names.insert(e.name.as_str(), j) {
                ctx.warn(
                    format!("{ep}.name"),
                    format!(
                        "hides previous definition of {:?}, which may be dropped when using apply ({base}.env[{prev}])",
                        e.name
                    ),
                );
            }
        }
        if let Some(vf) = &e.value_from {
            env_source(ctx, &format!("{ep}.valueFrom"), vf, e.value.as_deref());
        }
    }
    for (j, ef) in c.env_from.iter().enumerate() {
        let ep = format!("{base}.envFrom[{j}]");
        match (&ef.config_map_ref, &ef.secret_ref) {
            (None, None) => invalid(
                ctx,
                &ep,
                "",
                "must specify one of: `configMapRef` or `secretRef`",
            ),
            (Some(_), Some(_)) => invalid(
                ctx,
                &ep,
                "",
                "may not have more than one field specified at a time",
            ),
            (Some(r), None) | (None, Some(r)) => {
                if r.name.is_empty() {
                    let field = if ef.config_map_ref.is_some() {
                        "configMapRef"
                    } else {
                        "secretRef"
                    };
                    required(ctx, format!("{ep}.{field}.name"));
                }
            }
        }
    }

    // Volume mounts.
    let mut mount_paths = HashSet::new();
    for (j, m) in c.volume_mounts.iter().enumerate() {
        let mp = format!("{base}.volumeMounts[{j}]");
        if m.name.is_empty() {
            required(ctx, format!("{mp}.name"));
        } else if !volumes.contains(&m.name) {
            ctx.error(format!("{mp}.name"), format!("Not found: {:?}", m.name));
        }
        if m.mount_path.is_empty() {
            required(ctx, format!("{mp}.mountPath"));
        } else if !mount_paths.insert(m.mount_path.as_str()) {
            invalid(
                ctx,
                format!("{mp}.mountPath"),
                &m.mount_path,
                "must be unique",
            );
        }
        if let Some(sp) = m.sub_path.as_deref().filter(|s| !s.is_empty()) {
            relative_path(ctx, &format!("{mp}.subPath"), sp);
        }
        if m.sub_path.as_deref().is_some_and(|s| !s.is_empty())
            && m.sub_path_expr.as_deref().is_some_and(|s| !s.is_empty())
        {
            invalid(
                ctx,
                format!("{mp}.subPathExpr"),
                m.sub_path_expr.as_deref().unwrap_or(""),
                "subPathExpr and subPath are mutually exclusive",
            );
        }
        if m.mount_propagation == Some(MountPropagation::Bidirectional)
            && c.security_context.as_ref().and_then(|s| s.privileged) != Some(true)
        {
            forbidden(
                ctx,
                format!("{mp}.mountPropagation"),
                "Bidirectional mount propagation is available only to privileged containers",
            );
        }
    }
    for (j, d) in c.volume_devices.iter().enumerate() {
        let dp = format!("{base}.volumeDevices[{j}]");
        if d.name.is_empty() {
            required(ctx, format!("{dp}.name"));
        } else if !volumes.contains(&d.name) {
            ctx.error(format!("{dp}.name"), format!("Not found: {:?}", d.name));
        }
        if d.device_path.is_empty() {
            required(ctx, format!("{dp}.devicePath"));
        }
    }

    // Probes and lifecycle.
    let probes = [
        ("livenessProbe", &c.liveness_probe),
        ("readinessProbe", &c.readiness_probe),
        ("startupProbe", &c.startup_probe),
    ];
    for (field, probe) in probes {
        let Some(probe) = probe else { continue };
        let pp = format!("{base}.{field}");
        if init && !restartable {
            forbidden(
                ctx,
                &pp,
                "may not be set for init containers without restartPolicy=Always",
            );
            continue;
        }
        check_probe(ctx, &pp, probe, field);
    }
    if let Some(lc) = &c.lifecycle {
        let lp = format!("{base}.lifecycle");
        if init && !restartable {
            forbidden(
                ctx,
                &lp,
                "may not be set for init containers without restartPolicy=Always",
            );
        } else {
            for (field, h) in [("postStart", &lc.post_start), ("preStop", &lc.pre_stop)] {
                if let Some(h) = h {
                    lifecycle_handler(ctx, &format!("{lp}.{field}"), h);
                }
            }
        }
    }

    if let Some(r) = &c.resources {
        check_resources(ctx, &format!("{base}.resources"), r);
    }
    if let Some(sc) = &c.security_context {
        let sp = format!("{base}.securityContext");
        check_id(ctx, &format!("{sp}.runAsUser"), sc.run_as_user);
        check_id(ctx, &format!("{sp}.runAsGroup"), sc.run_as_group);
        if sc.allow_privilege_escalation == Some(false) {
            if sc.privileged == Some(true) {
                invalid(
                    ctx,
                    &sp,
                    "",
                    "cannot set `allowPrivilegeEscalation` to false and `privileged` to true",
                );
            }
            if sc.capabilities.as_ref().is_some_and(|caps| {
                caps.add
                    .iter()
                    .any(|a| a == "CAP_SYS_ADMIN" || a == "SYS_ADMIN")
            }) {
                invalid(
                    ctx,
                    &sp,
                    "",
                    "cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN",
                );
            }
        }
        check_profile(
            ctx,
            &format!("{sp}.seccompProfile"),
            sc.seccomp_profile
                .as_ref()
                .map(|p| (p.r#type, &p.localhost_profile)),
            "seccomp",
        );
        check_profile(
            ctx,
            &format!("{sp}.appArmorProfile"),
            sc.app_armor_profile
                .as_ref()
                .map(|p| (p.r#type, &p.localhost_profile)),
            "AppArmor",
        );
    }
}

const ENV_FIELD_PATHS: &[&str] = &[
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
    "spec.nodeName",
    "spec.serviceAccountName",
    "status.hostIP",
    "status.hostIPs",
    "status.podIP",
    "status.podIPs",
];

const ENV_RESOURCES: &[&str] = &[
    "limits.cpu",
    "limits.memory",
    "limits.ephemeral-storage",
    "requests.cpu",
    "requests.memory",
    "requests.ephemeral-storage",
];

fn env_source(ctx: &mut Ctx<'_>, path: &str, vf: &EnvVarSource, value: Option<&str>) {
    let set = [
        vf.field_ref.is_some(),
        vf.resource_field_ref.is_some(),
        vf.config_map_key_ref.is_some(),
        vf.secret_key_ref.is_some(),
        vf.file_key_ref.is_some(),
    ]
    .into_iter()
    .filter(|b| *b)
    .count();
    if set == 0 {
        invalid(
            ctx,
            path,
            "",
            "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`",
        );
    } else if set > 1 {
        invalid(
            ctx,
            path,
            "",
            "may not have more than one field specified at a time",
        );
    }
    if value.is_some_and(|v| !v.is_empty()) {
        invalid(
            ctx,
            path,
            "",
            "may not be specified when `value` is not empty",
        );
    }
    if let Some(f) = &vf.field_ref {
        let fp = format!("{path}.fieldRef");
        if let Some(v) = f.api_version.as_deref().filter(|v| !v.is_empty())
            && v != "v1"
        {
            unsupported(ctx, format!("{fp}.apiVersion"), v, &["v1"]);
        }
        let p = f.field_path.as_str();
        let subscripted = ["metadata.labels['", "metadata.annotations['"]
            .iter()
            .any(|pre| p.starts_with(pre) && p.ends_with("']") && p.len() > pre.len() + 2);
        if p.is_empty() {
            required(ctx, format!("{fp}.fieldPath"));
        } else if !ENV_FIELD_PATHS.contains(&p) && !subscripted {
            unsupported(ctx, format!("{fp}.fieldPath"), p, ENV_FIELD_PATHS);
        }
    }
    if let Some(r) = &vf.resource_field_ref {
        let rp = format!("{path}.resourceFieldRef");
        if r.resource.is_empty() {
            required(ctx, format!("{rp}.resource"));
        } else if !ENV_RESOURCES.contains(&r.resource.as_str())
            && !r.resource.starts_with("limits.hugepages-")
            && !r.resource.starts_with("requests.hugepages-")
        {
            unsupported(ctx, format!("{rp}.resource"), &r.resource, ENV_RESOURCES);
        }
        if let Some(d) = &r.divisor {
            check_quantity(ctx, &format!("{rp}.divisor"), d);
        }
    }
    for (field, sel) in [
        ("configMapKeyRef", &vf.config_map_key_ref),
        ("secretKeyRef", &vf.secret_key_ref),
    ] {
        let Some(sel) = sel else { continue };
        let sp = format!("{path}.{field}");
        if sel.name.is_empty() {
            required(ctx, format!("{sp}.name"));
        }
        if sel.key.is_empty() {
            required(ctx, format!("{sp}.key"));
        } else {
            for e in config_key_errors(&sel.key) {
                invalid(ctx, format!("{sp}.key"), &sel.key, e);
            }
        }
    }
    if let Some(f) = &vf.file_key_ref {
        let fp = format!("{path}.fileKeyRef");
        for (field, v) in [
            ("volumeName", &f.volume_name),
            ("path", &f.path),
            ("key", &f.key),
        ] {
            if v.is_empty() {
                required(ctx, format!("{fp}.{field}"));
            }
        }
    }
}

fn check_probe(ctx: &mut Ctx<'_>, path: &str, probe: &Probe, field: &str) {
    let handlers = [
        ("exec", probe.exec.is_some()),
        ("httpGet", probe.http_get.is_some()),
        ("tcpSocket", probe.tcp_socket.is_some()),
        ("grpc", probe.grpc.is_some()),
    ];
    let set: Vec<&str> = handlers
        .iter()
        .filter_map(|(n, s)| s.then_some(*n))
        .collect();
    match set.as_slice() {
        [] => required_because(ctx, path, "must specify a handler type"),
        [_] => {}
        [_, second, ..] => forbidden(
            ctx,
            format!("{path}.{second}"),
            "may not specify more than 1 handler type",
        ),
    }
    for (name, v) in [
        ("initialDelaySeconds", probe.initial_delay_seconds),
        ("timeoutSeconds", probe.timeout_seconds),
        ("periodSeconds", probe.period_seconds),
        ("successThreshold", probe.success_threshold),
        ("failureThreshold", probe.failure_threshold),
    ] {
        check_non_negative(ctx, &format!("{path}.{name}"), v.map(i64::from));
    }
    if field != "readinessProbe"
        && let Some(s) = probe.success_threshold
        && s != 1
    {
        invalid(ctx, format!("{path}.successThreshold"), s, "must be 1");
    }
    if let Some(t) = probe.termination_grace_period_seconds {
        if field == "readinessProbe" {
            invalid(
                ctx,
                format!("{path}.terminationGracePeriodSeconds"),
                t,
                "must not be set for readinessProbes",
            );
        } else if t <= 0 {
            invalid(
                ctx,
                format!("{path}.terminationGracePeriodSeconds"),
                t,
                "must be greater than 0",
            );
        }
    }
    handler_actions(ctx, path, &probe.exec, &probe.http_get, &probe.tcp_socket);
    if let Some(g) = &probe.grpc {
        check_port_number(ctx, &format!("{path}.grpc.port"), i64::from(g.port));
    }
}

/// The actions probes and lifecycle hooks share: `exec` needs a command, `httpGet` and
/// `tcpSocket` a valid port.
fn handler_actions(
    ctx: &mut Ctx<'_>,
    path: &str,
    exec: &Option<ExecAction>,
    get: &Option<HttpGetAction>,
    tcp: &Option<TcpSocketAction>,
) {
    if let Some(e) = exec
        && e.command.is_empty()
    {
        required(ctx, format!("{path}.exec.command"));
    }
    if let Some(g) = get {
        http_get(ctx, &format!("{path}.httpGet"), g);
    }
    if let Some(t) = tcp {
        port_num_or_name(ctx, &format!("{path}.tcpSocket.port"), t.port.as_ref());
    }
}

fn lifecycle_handler(ctx: &mut Ctx<'_>, path: &str, h: &LifecycleHandler) {
    let set: Vec<&str> = [
        ("exec", h.exec.is_some()),
        ("httpGet", h.http_get.is_some()),
        ("tcpSocket", h.tcp_socket.is_some()),
        ("sleep", h.sleep.is_some()),
    ]
    .iter()
    .filter_map(|(n, s)| s.then_some(*n))
    .collect();
    match set.as_slice() {
        [] => required_because(ctx, path, "must specify a handler type"),
        [_] => {}
        [_, second, ..] => forbidden(
            ctx,
            format!("{path}.{second}"),
            "may not specify more than 1 handler type",
        ),
    }
    handler_actions(ctx, path, &h.exec, &h.http_get, &h.tcp_socket);
    if let Some(s) = &h.sleep
        && s.seconds < 0
    {
        invalid(
            ctx,
            format!("{path}.sleep.seconds"),
            s.seconds,
            NON_NEGATIVE_MSG,
        );
    }
}

fn http_get(ctx: &mut Ctx<'_>, path: &str, h: &HttpGetAction) {
    port_num_or_name(ctx, &format!("{path}.port"), h.port.as_ref());
    for (i, header) in h.http_headers.iter().enumerate() {
        if !HTTP_HEADER_NAME_RE.is_match(&header.name) {
            invalid(
                ctx,
                format!("{path}.httpHeaders[{i}].name"),
                &header.name,
                "a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')",
            );
        }
    }
}

/// Kubernetes `ValidatePortNumOrName`.
fn port_num_or_name(ctx: &mut Ctx<'_>, path: &str, port: Option<&IntOrString>) {
    match port {
        None => required(ctx, path),
        Some(IntOrString::Int(n)) => check_port_number(ctx, path, *n),
        Some(IntOrString::Str(s)) => check_port_name(ctx, path, s),
    }
}

// ---------------------------------------------------------------------------------------------
// Workload controllers
// ---------------------------------------------------------------------------------------------

/// The rules every controller applies to `selector` and the template's labels.
fn controller_selector(
    ctx: &mut Ctx<'_>,
    selector: Option<&LabelSelector>,
    template: &PodTemplateSpec,
    kind_lower: &str,
) {
    let Some(sel) = selector else {
        required(ctx, "spec.selector");
        return;
    };
    check_label_selector(ctx, "spec.selector", sel);
    if sel.is_empty_selector() {
        invalid(
            ctx,
            "spec.selector",
            "{}",
            &format!("empty selector is invalid for {kind_lower}"),
        );
    } else if !sel.matches(&template.metadata.labels) {
        invalid(
            ctx,
            "spec.template.metadata.labels",
            &template.metadata.labels,
            "`selector` does not match template `labels`",
        );
    }
}

/// `maxUnavailable` / `maxSurge`: a non-negative integer or a percentage; returns whether the
/// value is zero.
fn int_or_percent(ctx: &mut Ctx<'_>, path: &str, v: &IntOrString, max_100: bool) -> bool {
    match v {
        IntOrString::Int(n) => {
            if *n < 0 {
                invalid(ctx, path, n, NON_NEGATIVE_MSG);
            }
            *n == 0
        }
        IntOrString::Str(s) => {
            if !PERCENT_RE.is_match(s) {
                invalid(
                    ctx,
                    path,
                    s,
                    "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
                );
                return false;
            }
            let pct: u64 = s.trim_end_matches('%').parse().unwrap_or(u64::MAX);
            if max_100 && pct > 100 {
                invalid(ctx, path, s, "must not be greater than 100%");
            }
            pct == 0
        }
    }
}

fn rolling_update(ctx: &mut Ctx<'_>, path: &str, ru: &RollingUpdate, default_surge_zero: bool) {
    let unavailable_zero = ru
        .max_unavailable
        .as_ref()
        .map(|v| int_or_percent(ctx, &format!("{path}.maxUnavailable"), v, true));
    let surge_zero = ru
        .max_surge
        .as_ref()
        .map(|v| int_or_percent(ctx, &format!("{path}.maxSurge"), v, false));
    // Defaults: Deployments 25%/25%, DaemonSets maxUnavailable 1 and maxSurge 0.
    if unavailable_zero == Some(true) && surge_zero.unwrap_or(default_surge_zero) {
        invalid(
            ctx,
            format!("{path}.maxUnavailable"),
            ru.max_unavailable
                .as_ref()
                .map(int_or_string_text)
                .unwrap_or_default(),
            "may not be 0 when `maxSurge` is 0",
        );
    }
}

fn int_or_string_text(v: &IntOrString) -> String {
    match v {
        IntOrString::Int(n) => n.to_string(),
        IntOrString::Str(s) => s.clone(),
    }
}

fn deployment(d: &DeploymentObject, ctx: &mut Ctx<'_>) {
    let spec = d.spec.clone().unwrap_or_default();
    let template = spec.template.clone().unwrap_or_default();
    check_non_negative(ctx, "spec.replicas", spec.replicas.map(i64::from));
    check_non_negative(
        ctx,
        "spec.minReadySeconds",
        spec.min_ready_seconds.map(i64::from),
    );
    check_non_negative(
        ctx,
        "spec.revisionHistoryLimit",
        spec.revision_history_limit.map(i64::from),
    );
    if let Some(p) = spec.progress_deadline_seconds {
        if p <= 0 {
            invalid(
                ctx,
                "spec.progressDeadlineSeconds",
                p,
                "must be greater than 0",
            );
        } else if p <= spec.min_ready_seconds.unwrap_or(0) {
            invalid(
                ctx,
                "spec.progressDeadlineSeconds",
                p,
                "must be greater than minReadySeconds",
            );
        }
    }
    controller_selector(ctx, spec.selector.as_ref(), &template, "deployment");
    if let Some(s) = &spec.strategy {
        match (
            s.r#type.unwrap_or(DeploymentStrategyType::RollingUpdate),
            &s.rolling_update,
        ) {
            (DeploymentStrategyType::Recreate, Some(_)) => forbidden(
                ctx,
                "spec.strategy.rollingUpdate",
                "may not be specified when strategy `type` is 'Recreate'",
            ),
            (DeploymentStrategyType::RollingUpdate, Some(ru)) => {
                rolling_update(ctx, "spec.strategy.rollingUpdate", ru, false)
            }
            _ => {}
        }
    }
    pod_template(
        ctx,
        "spec.template",
        &template,
        "ReplicaSet",
        &HashSet::new(),
    );
}

fn stateful_set(s: &StatefulSetObject, ctx: &mut Ctx<'_>) {
    let spec = s.spec.clone().unwrap_or_default();
    let template = spec.template.clone().unwrap_or_default();
    check_non_negative(ctx, "spec.replicas", spec.replicas.map(i64::from));
    check_non_negative(
        ctx,
        "spec.minReadySeconds",
        spec.min_ready_seconds.map(i64::from),
    );
    check_non_negative(
        ctx,
        "spec.revisionHistoryLimit",
        spec.revision_history_limit.map(i64::from),
    );
    if let Some(o) = &spec.ordinals {
        check_non_negative(ctx, "spec.ordinals.start", o.start.map(i64::from));
    }
    if let Some(name) = spec.service_name.as_deref().filter(|n| !n.is_empty()) {
        for e in dns_label_errors(name) {
            ctx.warn(
                "spec.serviceName",
                format!(
                    "Invalid value: {name:?}: {e}; the pods' `subdomain` is set to it, so the controller could not create them"
                ),
            );
        }
    }
    controller_selector(ctx, spec.selector.as_ref(), &template, "statefulset");
    if let Some(u) = &spec.update_strategy {
        match (
            u.r#type.unwrap_or(UpdateStrategyType::RollingUpdate),
            &u.rolling_update,
        ) {
            (UpdateStrategyType::OnDelete, Some(_)) => invalid(
                ctx,
                "spec.updateStrategy.rollingUpdate",
                "",
                "only allowed for updateStrategy 'RollingUpdate'",
            ),
            (UpdateStrategyType::RollingUpdate, Some(ru)) => {
                check_non_negative(
                    ctx,
                    "spec.updateStrategy.rollingUpdate.partition",
                    ru.partition.map(i64::from),
                );
                if let Some(mu) = &ru.max_unavailable {
                    let p = "spec.updateStrategy.rollingUpdate.maxUnavailable";
                    if int_or_percent(ctx, p, mu, true) {
                        invalid(ctx, p, int_or_string_text(mu), "must be greater than 0");
                    }
                }
            }
            _ => {}
        }
    }
    let mut claims = HashSet::new();
    for (i, t) in spec.volume_claim_templates.iter().enumerate() {
        let name = t.metadata.name.clone().unwrap_or_default();
        if name.is_empty() {
            required(ctx, format!("spec.volumeClaimTemplates[{i}].metadata.name"));
        } else {
            check_dns_subdomain(
                ctx,
                &format!("spec.volumeClaimTemplates[{i}].metadata.name"),
                &name,
            );
            claims.insert(name);
        }
        if let Some(pvc) = &t.spec {
            if let Some(r) = &pvc.resources {
                for (k, q) in r.requests.iter().chain(r.limits.iter()) {
                    check_quantity(
                        ctx,
                        &key_path(&format!("spec.volumeClaimTemplates[{i}].spec.resources"), k),
                        q,
                    );
                }
            }
            if let Some(sel) = &pvc.selector {
                check_label_selector(
                    ctx,
                    &format!("spec.volumeClaimTemplates[{i}].spec.selector"),
                    sel,
                );
            }
        }
    }
    pod_template(ctx, "spec.template", &template, "StatefulSet", &claims);
}

fn daemon_set(d: &DaemonSetObject, ctx: &mut Ctx<'_>) {
    let spec = d.spec.clone().unwrap_or_default();
    let template = spec.template.clone().unwrap_or_default();
    check_non_negative(
        ctx,
        "spec.minReadySeconds",
        spec.min_ready_seconds.map(i64::from),
    );
    check_non_negative(
        ctx,
        "spec.revisionHistoryLimit",
        spec.revision_history_limit.map(i64::from),
    );
    controller_selector(ctx, spec.selector.as_ref(), &template, "daemonset");
    if let Some(u) = &spec.update_strategy
        && u.r#type.unwrap_or(UpdateStrategyType::RollingUpdate)
            == UpdateStrategyType::RollingUpdate
        && let Some(ru) = &u.rolling_update
    {
        rolling_update(ctx, "spec.updateStrategy.rollingUpdate", ru, true);
    }
    pod_template(
        ctx,
        "spec.template",
        &template,
        "DaemonSet",
        &HashSet::new(),
    );
}

fn replica_set(r: &ReplicaSetObject, ctx: &mut Ctx<'_>) {
    let spec = r.spec.clone().unwrap_or_default();
    let template = spec.template.clone().unwrap_or_default();
    check_non_negative(ctx, "spec.replicas", spec.replicas.map(i64::from));
    check_non_negative(
        ctx,
        "spec.minReadySeconds",
        spec.min_ready_seconds.map(i64::from),
    );
    controller_selector(ctx, spec.selector.as_ref(), &template, "replicaset");
    pod_template(
        ctx,
        "spec.template",
        &template,
        "ReplicaSet",
        &HashSet::new(),
    );
}

// ---------------------------------------------------------------------------------------------
// Namespace, ConfigMap, Secret
// ---------------------------------------------------------------------------------------------

fn namespace(ns: &NamespaceObject, ctx: &mut Ctx<'_>) {
    // The object name itself (an RFC 1123 label) is checked with every kind's metadata.
    if let Some(spec) = &ns.spec {
        for (i, f) in spec.finalizers.iter().enumerate() {
            check_qualified_name(ctx, &format!("spec.finalizers[{i}]"), f);
        }
    }
}

/// Kubernetes `IsConfigMapKey`.
fn config_key_errors(key: &str) -> Vec<&'static str> {
    let mut errs = Vec::new();
    if key.len() > 253 {
        errs.push("must be no more than 253 characters");
    }
    if !CONFIG_KEY_RE.is_match(key) {
        errs.push("a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')");
    }
    if key == "." {
        errs.push("must not be '.'");
    } else if key == ".." {
        errs.push("must not be '..'");
    } else if key.starts_with("..") {
        errs.push("must not start with '..'");
    }
    errs
}

/// Go's `base64.StdEncoding` as `encoding/json` uses it for `[]byte` (newlines ignored).
/// Returns the decoded length, or the byte offset of the first illegal input.
fn base64_decoded_len(s: &str) -> Result<usize, usize> {
    let bytes: Vec<(usize, u8)> = s
        .bytes()
        .enumerate()
        .filter(|(_, b)| *b != b'\n' && *b != b'\r')
        .collect();
    if !bytes.len().is_multiple_of(4) {
        return Err(bytes.last().map_or(0, |(i, _)| *i));
    }
    let mut padding = 0usize;
    for (n, (offset, b)) in bytes.iter().enumerate() {
        let alphabet = b.is_ascii_alphanumeric() || *b == b'+' || *b == b'/';
        if *b == b'=' {
            // Padding only in the last two positions of the final quantum.
            if n + 2 < bytes.len() {
                return Err(*offset);
            }
            padding += 1;
        } else if !alphabet || padding > 0 {
            return Err(*offset);
        }
    }
    Ok(bytes.len() / 4 * 3 - padding)
}

const MAX_OBJECT_DATA: usize = 1024 * 1024;
const SA_NAME_ANNOTATION: &str = "kubernetes.io/service-account.name";

fn config_map(cm: &ConfigMapObject, ctx: &mut Ctx<'_>) {
    let mut total = 0usize;
    for (k, v) in &cm.data {
        let p = key_path("data", k);
        for e in config_key_errors(k) {
            invalid(ctx, &p, k, e);
        }
        total += v.len();
    }
    for (k, v) in &cm.binary_data {
        let p = key_path("binaryData", k);
        for e in config_key_errors(k) {
            invalid(ctx, &p, k, e);
        }
        if cm.data.contains_key(k) {
            invalid(ctx, &p, k, &format!("duplicate of key {k:?}"));
        }
        match base64_decoded_len(v) {
            Ok(n) => total += n,
            Err(at) => invalid(
                ctx,
                &p,
                "<binary>",
                &format!("illegal base64 data at input byte {at}"),
            ),
        }
    }
    if total > MAX_OBJECT_DATA {
        ctx.error(
            "data",
            format!("Too long: must have at most {MAX_OBJECT_DATA} bytes"),
        );
    }
}

fn secret(s: &SecretObject, ctx: &mut Ctx<'_>) {
    let mut total = 0usize;
    let mut keys: HashSet<&str> = HashSet::new();
    for (k, v) in &s.data {
        let p = key_path("data", k);
        for e in config_key_errors(k) {
            invalid(ctx, &p, k, e);
        }
        match base64_decoded_len(v) {
            Ok(n) => total += n,
            // The value is secret: report where it is wrong, not what it is.
            Err(at) => ctx.error(
                &p,
                format!("Invalid value: <secret value>: illegal base64 data at input byte {at}"),
            ),
        }
        keys.insert(k.as_str());
    }
    for (k, v) in &s.string_data {
        let p = key_path("stringData", k);
        for e in config_key_errors(k) {
            invalid(ctx, &p, k, e);
        }
        total += v.len();
        keys.insert(k.as_str());
    }
    if total > MAX_OBJECT_DATA {
        ctx.error(
            "data",
            format!("Too long: must have at most {MAX_OBJECT_DATA} bytes"),
        );
    }
    let need = |ctx: &mut Ctx<'_>, key: &str| {
        if !keys.contains(key) {
            required(ctx, key_path("data", key));
        }
    };
    match s.r#type.as_deref().unwrap_or("Opaque") {
        "kubernetes.io/service-account-token"
            if s.metadata
                .annotations
                .get(SA_NAME_ANNOTATION)
                .is_none_or(|v| v.is_empty()) =>
        {
            required(ctx, key_path("metadata.annotations", SA_NAME_ANNOTATION));
        }
        "kubernetes.io/dockercfg" => need(ctx, ".dockercfg"),
        "kubernetes.io/dockerconfigjson" => need(ctx, ".dockerconfigjson"),
        "kubernetes.io/basic-auth" if !keys.contains("username") && !keys.contains("password") => {
            required(ctx, key_path("data", "username"));
            required(ctx, key_path("data", "password"));
        }
        "kubernetes.io/ssh-auth" => need(ctx, "ssh-privatekey"),
        "kubernetes.io/tls" => {
            need(ctx, "tls.crt");
            need(ctx, "tls.key");
        }
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------------
// Admission webhooks
// ---------------------------------------------------------------------------------------------

fn webhooks(hooks: &[Webhook], ctx: &mut Ctx<'_>) {
    let mut names = HashSet::new();
    for (i, w) in hooks.iter().enumerate() {
        let base = format!("webhooks[{i}]");
        if w.name.is_empty() {
            required(ctx, format!("{base}.name"));
        } else {
            let parts = w.name.split('.').count();
            check_dns_subdomain(ctx, &format!("{base}.name"), &w.name);
            if parts < 3 {
                invalid(
                    ctx,
                    format!("{base}.name"),
                    &w.name,
                    "should be a domain with at least three segments separated by dots",
                );
            }
            if !names.insert(w.name.as_str()) {
                duplicate(ctx, format!("{base}.name"), &w.name);
            }
        }
        for (j, r) in w.rules.iter().enumerate() {
            rule(ctx, &format!("{base}.rules[{j}]"), r);
        }
        if w.side_effects.is_none() {
            ctx.error(
                format!("{base}.sideEffects"),
                "Required value: must specify one of None, NoneOnDryRun",
            );
        }
        if let Some(t) = w.timeout_seconds
            && !(1..=30).contains(&t)
        {
            invalid(
                ctx,
                format!("{base}.timeoutSeconds"),
                t,
                "the timeout value must be between 1 and 30 seconds",
            );
        }
        review_versions(
            ctx,
            &format!("{base}.admissionReviewVersions"),
            &w.admission_review_versions,
        );
        match &w.client_config {
            None => required(ctx, format!("{base}.clientConfig")),
            Some(cc) => client_config(ctx, &format!("{base}.clientConfig"), cc),
        }
        if let Some(s) = &w.namespace_selector {
            check_label_selector(ctx, &format!("{base}.namespaceSelector"), s);
        }
        if let Some(s) = &w.object_selector {
            check_label_selector(ctx, &format!("{base}.objectSelector"), s);
        }
        if w.match_conditions.len() > 64 {
            ctx.error(
                format!("{base}.matchConditions"),
                format!(
                    "Too many: {}: must have at most 64 items",
                    w.match_conditions.len()
                ),
            );
        }
        let mut cond_names = HashSet::new();
        for (j, m) in w.match_conditions.iter().enumerate() {
            let mp = format!("{base}.matchConditions[{j}]");
            if m.name.is_empty() {
                required(ctx, format!("{mp}.name"));
            } else {
                check_qualified_name(ctx, &format!("{mp}.name"), &m.name);
                if !cond_names.insert(m.name.as_str()) {
                    duplicate(ctx, format!("{mp}.name"), &m.name);
                }
            }
            if m.expression.trim().is_empty() {
                required(ctx, format!("{mp}.expression"));
            }
        }
    }
}

fn review_versions(ctx: &mut Ctx<'_>, path: &str, versions: &[String]) {
    const SUPPORTED: &[&str] = &["v1", "v1beta1"];
    if versions.is_empty() {
        required_because(ctx, path, "must specify one of v1, v1beta1");
        return;
    }
    let mut seen = HashSet::new();
    for (i, v) in versions.iter().enumerate() {
        let p = format!("{path}[{i}]");
        if !seen.insert(v.as_str()) {
            duplicate(ctx, &p, v);
        }
        if v.len() > 63 || !DNS1035_LABEL_RE.is_match(v) {
            invalid(
                ctx,
                &p,
                v,
                "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
            );
        }
    }
    if !versions.iter().any(|v| SUPPORTED.contains(&v.as_str())) {
        invalid(
            ctx,
            path,
            versions,
            "must include at least one of v1, v1beta1",
        );
    }
}

fn rule(ctx: &mut Ctx<'_>, base: &str, r: &RuleWithOperations) {
    const OPERATIONS: &[&str] = &["*", "CREATE", "UPDATE", "DELETE", "CONNECT"];
    if r.operations.is_empty() {
        required(ctx, format!("{base}.operations"));
    }
    if r.operations.len() > 1 && r.operations.iter().any(|o| o == "*") {
        invalid(
            ctx,
            format!("{base}.operations"),
            &r.operations,
            "if '*' is present, must not specify other operations",
        );
    }
    for (i, o) in r.operations.iter().enumerate() {
        if !OPERATIONS.contains(&o.as_str()) {
            unsupported(ctx, format!("{base}.operations[{i}]"), o, OPERATIONS);
        }
    }
    for (field, list) in [
        ("apiGroups", &r.api_groups),
        ("apiVersions", &r.api_versions),
    ] {
        if list.is_empty() {
            required(ctx, format!("{base}.{field}"));
        }
        if list.len() > 1 && list.iter().any(|g| g == "*") {
            invalid(
                ctx,
                format!("{base}.{field}"),
                list,
                "if '*' is present, must not specify other API groups",
            );
        }
    }
    for (i, v) in r.api_versions.iter().enumerate() {
        if v.is_empty() {
            required(ctx, format!("{base}.apiVersions[{i}]"));
        }
    }
    if r.resources.is_empty() {
        required(ctx, format!("{base}.resources"));
    }
    let mut seen = HashSet::new();
    for (i, res) in r.resources.iter().enumerate() {
        let p = format!("{base}.resources[{i}]");
        if res.is_empty() {
            required(ctx, &p);
            continue;
        }
        if !seen.insert(res.as_str()) {
            duplicate(ctx, &p, res);
        }
        if res.contains('/') && res.split('/').count() != 2 {
            invalid(
                ctx,
                &p,
                res,
                "resource and subresource must be separated by a single '/'",
            );
        }
    }
    if r.resources.iter().any(|x| x == "*/*") && r.resources.len() > 1 {
        invalid(
            ctx,
            format!("{base}.resources"),
            &r.resources,
            "if '*/*' is present, must not specify other resources",
        );
    }
    if let Some(scope) = &r.scope {
        const SCOPES: &[&str] = &["*", "Cluster", "Namespaced"];
        if !SCOPES.contains(&scope.as_str()) {
            unsupported(ctx, format!("{base}.scope"), scope, SCOPES);
        }
    }
}

fn client_config(ctx: &mut Ctx<'_>, base: &str, cc: &WebhookClientConfig) {
    match (&cc.url, &cc.service) {
        (None, None) | (Some(_), Some(_)) => {
            required_because(ctx, base, "exactly one of url or service is required")
        }
        (Some(url), None) => webhook_url(ctx, &format!("{base}.url"), url),
        (None, Some(svc)) => {
            let sp = format!("{base}.service");
            if svc.name.is_empty() {
                required_because(ctx, format!("{sp}.name"), "service name is required");
            }
            if svc.namespace.is_empty() {
                required_because(
                    ctx,
                    format!("{sp}.namespace"),
                    "service namespace is required",
                );
            }
            if let Some(path) = svc.path.as_deref().filter(|p| !p.is_empty()) {
                webhook_path(ctx, &format!("{sp}.path"), path);
            }
            if let Some(port) = svc.port
                && !(1..=65535).contains(&port)
            {
                invalid(
                    ctx,
                    format!("{sp}.port"),
                    port,
                    "port is not valid: must be between 1 and 65535, inclusive",
                );
            }
        }
    }
    if let Some(ca) = &cc.ca_bundle
        && let Err(at) = base64_decoded_len(ca)
    {
        invalid(
            ctx,
            format!("{base}.caBundle"),
            "<bundle>",
            &format!("illegal base64 data at input byte {at}"),
        );
    }
}

fn webhook_url(ctx: &mut Ctx<'_>, path: &str, url: &str) {
    let Some((scheme, rest)) = url.split_once("://") else {
        invalid(ctx, path, url, "'https' is the only allowed URL scheme");
        return;
    };
    if scheme != "https" {
        invalid(ctx, path, url, "'https' is the only allowed URL scheme");
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.contains('@') {
        invalid(
            ctx,
            path,
            url,
            "user information is not permitted in the URL",
        );
    }
    let host = authority.rsplit('@').next().unwrap_or("");
    if host.is_empty() {
        invalid(ctx, path, url, "host must be specified");
    }
    if rest.contains('#') {
        invalid(ctx, path, url, "fragments are not permitted in the URL");
    }
    if rest.contains('?') {
        invalid(
            ctx,
            path,
            url,
            "query parameters are not permitted in the URL",
        );
    }
}

fn webhook_path(ctx: &mut Ctx<'_>, path: &str, p: &str) {
    if !p.starts_with('/') {
        invalid(ctx, path, p, "must start with a '/'");
        return;
    }
    if p == "/" {
        return;
    }
    let trimmed = p.strip_suffix('/').unwrap_or(p);
    for (i, seg) in trimmed.split('/').skip(1).enumerate() {
        if seg.is_empty() {
            invalid(ctx, path, p, &format!("segment[{i}] may not be empty"));
        } else if !dns_subdomain_errors(&seg.to_lowercase()).is_empty() {
            invalid(ctx, path, p, &format!("segment[{i}]: {DNS_SUBDOMAIN_MSG}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Level;
    use super::*;
    use crate::model::ObjectMeta;
    use serde_json::Value;
    use serde_json::json;

    fn run(kind: &str, object: Value) -> Vec<super::super::Finding> {
        let meta = ObjectMeta::default();
        let mut ctx = Ctx::new(&meta, "default");
        validate(kind, Obj::Json(&object), &mut ctx);
        ctx.findings
    }

    fn errors(kind: &str, object: Value) -> Vec<(String, String)> {
        run(kind, object)
            .into_iter()
            .filter(|f| f.level == Level::Error)
            .map(|f| (f.path, f.message))
            .collect()
    }

    fn has(errs: &[(String, String)], path: &str, fragment: &str) -> bool {
        errs.iter().any(|(p, m)| p == path && m.contains(fragment))
    }

    fn deployment_with(spec: Value) -> Value {
        json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"}, "spec": spec})
    }

    fn good_template() -> Value {
        json!({
            "metadata": {"labels": {"app": "web"}},
            "spec": {"containers": [{"name": "web", "image": "nginx", "ports": [{"containerPort": 80}]}]}
        })
    }

    #[test]
    fn patterns_compile() {
        for r in [
            &DNS_LABEL_RE,
            &DNS_SUBDOMAIN_RE,
            &QUALIFIED_NAME_RE,
            &LABEL_VALUE_RE,
            &CONFIG_KEY_RE,
            &HTTP_HEADER_NAME_RE,
            &PERCENT_RE,
            &DNS1035_LABEL_RE,
        ] {
            assert!(!r.as_str().is_empty());
        }
    }

    #[test]
    fn valid_service_passes() {
        let errs = errors(
            "Service",
            json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"}, "spec": {
                "selector": {"app": "web"},
                "ports": [
                    {"name": "http", "port": 80, "targetPort": 8080},
                    {"name": "grpc-api", "port": 9090, "targetPort": "grpc", "appProtocol": "kubernetes.io/h2c"}
                ]
            }}),
        );
        assert!(errs.is_empty(), "{errs:?}");
    }

    #[test]
    fn service_port_rules() {
        let errs = errors(
            "Service",
            json!({"spec": {"ports": [
                {"port": 0, "targetPort": 70000},
                {"name": "Bad_Name", "port": 80, "targetPort": "http--x"},
                {"name": "b", "port": 80, "nodePort": 30001},
                {"name": "b", "port": 81, "targetPort": "8080"}
            ]}}),
        );
        assert!(has(&errs, "spec.ports[0].name", "Required value"));
        assert!(has(
            &errs,
            "spec.ports[0].port",
            "must be between 1 and 65535"
        ));
        assert!(has(
            &errs,
            "spec.ports[0].targetPort",
            "must be between 1 and 65535"
        ));
        assert!(has(&errs, "spec.ports[1].name", "RFC 1123 label"));
        assert!(has(
            &errs,
            "spec.ports[1].targetPort",
            "consecutive hyphens"
        ));
        assert!(has(&errs, "spec.ports[2]", "Duplicate value: \"80/TCP\""));
        assert!(has(
            &errs,
            "spec.ports[2].nodePort",
            "may not be used when `type` is 'ClusterIP'"
        ));
        assert!(has(&errs, "spec.ports[3].name", "Duplicate value"));
        assert!(has(
            &errs,
            "spec.ports[3].targetPort",
            "at least one letter"
        ));
    }

    #[test]
    fn single_unnamed_port_and_headless() {
        assert!(errors("Service", json!({"spec": {"ports": [{"port": 80}]}})).is_empty());
        assert!(errors("Service", json!({"spec": {"clusterIP": "None"}})).is_empty());
        let errs = errors("Service", json!({"spec": {}}));
        assert!(has(&errs, "spec.ports", "Required value"));
    }

    #[test]
    fn external_name_service() {
        let ok = errors(
            "Service",
            json!({"spec": {"type": "ExternalName", "externalName": "db.example.com."}}),
        );
        assert!(ok.is_empty(), "{ok:?}");
        let errs = errors(
            "Service",
            json!({"spec": {"type": "ExternalName", "clusterIP": "10.0.0.1"}}),
        );
        assert!(has(&errs, "spec.externalName", "Required value"));
        assert!(has(
            &errs,
            "spec.clusterIP",
            "may not be set for ExternalName"
        ));
        let errs = errors(
            "Service",
            json!({"spec": {"type": "ExternalName", "externalName": "Bad_Host"}}),
        );
        assert!(has(&errs, "spec.externalName", "RFC 1123 subdomain"));
    }

    #[test]
    fn service_type_dependent_fields() {
        let errs = errors(
            "Service",
            json!({"spec": {
                "ports": [{"port": 80}],
                "externalTrafficPolicy": "Local",
                "loadBalancerSourceRanges": ["10.0.0.0/8"],
                "healthCheckNodePort": 31000,
                "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 10}},
                "clusterIP": "10.0.0.300",
                "ipFamilies": ["IPv4", "IPv4"]
            }}),
        );
        assert!(has(
            &errs,
            "spec.externalTrafficPolicy",
            "externally-accessible"
        ));
        assert!(has(
            &errs,
            "spec.loadBalancerSourceRanges",
            "may only be used when `type` is 'LoadBalancer'"
        ));
        assert!(has(
            &errs,
            "spec.healthCheckNodePort",
            "may only be set when"
        ));
        assert!(has(
            &errs,
            "spec.sessionAffinityConfig",
            "must not be set when session affinity is None"
        ));
        assert!(has(&errs, "spec.clusterIP", "must be a valid IP address"));
        assert!(has(&errs, "spec.ipFamilies[1]", "Duplicate value"));
        let ok = errors(
            "Service",
            json!({"spec": {
                "type": "LoadBalancer",
                "ports": [{"port": 80, "nodePort": 30080}],
                "externalTrafficPolicy": "Local",
                "healthCheckNodePort": 31000,
                "loadBalancerSourceRanges": ["10.0.0.0/8"],
                "sessionAffinity": "ClientIP",
                "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 10800}}
            }}),
        );
        assert!(ok.is_empty(), "{ok:?}");
        let errs = errors(
            "Service",
            json!({"spec": {"type": "LoadBalancer", "ports": [{"port": 80}], "loadBalancerSourceRanges": ["10.0.0.0"],
                "sessionAffinity": "ClientIP", "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 0}}}}),
        );
        assert!(has(
            &errs,
            "spec.loadBalancerSourceRanges[0]",
            "must be a list of IP ranges"
        ));
        assert!(has(
            &errs,
            "spec.sessionAffinityConfig.clientIP.timeoutSeconds",
            "less than 86400"
        ));
    }

    #[test]
    fn selector_labels_are_validated() {
        let errs = errors(
            "Service",
            json!({"spec": {"clusterIP": "None", "selector": {"app/x/y": "ok", "app": "bad value"}}}),
        );
        assert!(has(&errs, "spec.selector[\"app/x/y\"]", "qualified name"));
        assert!(has(&errs, "spec.selector.app", "a valid label must be"));
    }

    #[test]
    fn valid_deployment_passes() {
        let errs = errors(
            "Deployment",
            deployment_with(json!({
                "replicas": 2,
                "selector": {"matchLabels": {"app": "web"}},
                "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 0}},
                "template": {
                    "metadata": {"labels": {"app": "web", "version": "v1"}, "annotations": {"sidecar.istio.io/inject": "true"}},
                    "spec": {
                        "serviceAccountName": "web",
                        "securityContext": {"runAsUser": 1337, "fsGroup": 1337},
                        "volumes": [{"name": "certs", "secret": {"secretName": "certs"}}, {"name": "tmp", "emptyDir": {"sizeLimit": "1Gi"}}],
                        "initContainers": [{"name": "proxy", "image": "istio/proxyv2", "restartPolicy": "Always",
                            "readinessProbe": {"httpGet": {"path": "/healthz/ready", "port": 15021}}}],
                        "containers": [{
                            "name": "web", "image": "nginx:1.25",
                            "ports": [{"name": "http", "containerPort": 8080}],
                            "env": [{"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
                                    {"name": "MODE", "value": "prod"},
                                    {"name": "APP", "valueFrom": {"fieldRef": {"fieldPath": "metadata.labels['app']"}}}],
                            "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}, "limits": {"cpu": 1, "memory": "128Mi"}},
                            "volumeMounts": [{"name": "certs", "mountPath": "/etc/certs", "readOnly": true}, {"name": "tmp", "mountPath": "/tmp"}],
                            "livenessProbe": {"tcpSocket": {"port": "http"}, "periodSeconds": 5},
                            "securityContext": {"runAsUser": 1000, "runAsGroup": 1000, "allowPrivilegeEscalation": false,
                                "capabilities": {"drop": ["ALL"]}, "seccompProfile": {"type": "RuntimeDefault"}}
                        }]
                    }
                }
            })),
        );
        assert!(errs.is_empty(), "{errs:?}");
    }

    #[test]
    fn deployment_selector_rules() {
        let errs = errors(
            "Deployment",
            deployment_with(json!({"template": good_template()})),
        );
        assert!(has(&errs, "spec.selector", "Required value"));
        let errs = errors(
            "Deployment",
            deployment_with(
                json!({"selector": {"matchLabels": {"app": "api"}}, "template": good_template()}),
            ),
        );
        assert!(has(
            &errs,
            "spec.template.metadata.labels",
            "`selector` does not match template `labels`"
        ));
        let errs = errors(
            "Deployment",
            deployment_with(json!({"selector": {}, "template": good_template()})),
        );
        assert!(has(
            &errs,
            "spec.selector",
            "empty selector is invalid for deployment"
        ));
        let errs = errors(
            "Deployment",
            deployment_with(json!({"selector": {"matchExpressions": [
                {"key": "app", "operator": "In"},
                {"key": "tier", "operator": "Exists", "values": ["x"]},
                {"key": "x", "operator": "Has"}
            ]}, "template": good_template()})),
        );
        assert!(has(
            &errs,
            "spec.selector.matchExpressions[0].values",
            "must be specified when `operator` is 'In'"
        ));
        assert!(has(
            &errs,
            "spec.selector.matchExpressions[1].values",
            "may not be specified"
        ));
        assert!(has(
            &errs,
            "spec.selector.matchExpressions[2].operator",
            "not a valid selector operator"
        ));
    }

    #[test]
    fn deployment_strategy_and_counts() {
        let errs = errors(
            "Deployment",
            deployment_with(json!({
                "replicas": -1,
                "minReadySeconds": 30,
                "progressDeadlineSeconds": 10,
                "selector": {"matchLabels": {"app": "web"}},
                "strategy": {"type": "Recreate", "rollingUpdate": {"maxSurge": 1}},
                "template": good_template()
            })),
        );
        assert!(has(
            &errs,
            "spec.replicas",
            "must be greater than or equal to 0"
        ));
        assert!(has(
            &errs,
            "spec.progressDeadlineSeconds",
            "must be greater than minReadySeconds"
        ));
        assert!(has(
            &errs,
            "spec.strategy.rollingUpdate",
            "may not be specified when strategy `type` is 'Recreate'"
        ));
        let errs = errors(
            "Deployment",
            deployment_with(json!({
                "selector": {"matchLabels": {"app": "web"}},
                "strategy": {"rollingUpdate": {"maxSurge": "0%", "maxUnavailable": 0}},
                "template": good_template()
            })),
        );
        assert!(has(
            &errs,
            "spec.strategy.rollingUpdate.maxUnavailable",
            "may not be 0 when `maxSurge` is 0"
        ));
        let errs = errors(
            "Deployment",
            deployment_with(json!({
                "selector": {"matchLabels": {"app": "web"}},
                "strategy": {"rollingUpdate": {"maxSurge": "x", "maxUnavailable": "150%"}},
                "template": good_template()
            })),
        );
        assert!(has(
            &errs,
            "spec.strategy.rollingUpdate.maxSurge",
            "a valid percent string"
        ));
        assert!(has(
            &errs,
            "spec.strategy.rollingUpdate.maxUnavailable",
            "must not be greater than 100%"
        ));
    }

    #[test]
    fn template_restart_policy_and_deadline() {
        let mut t = good_template();
        t["spec"]["restartPolicy"] = json!("Never");
        t["spec"]["activeDeadlineSeconds"] = json!(10);
        let errs = errors(
            "Deployment",
            deployment_with(json!({"selector": {"matchLabels": {"app": "web"}}, "template": t})),
        );
        assert!(has(
            &errs,
            "spec.template.spec.restartPolicy",
            "supported values: \"Always\""
        ));
        assert!(has(
            &errs,
            "spec.template.spec.activeDeadlineSeconds",
            "not Supported"
        ));
    }

    #[test]
    fn missing_template_reports_containers() {
        let errs = errors(
            "Deployment",
            deployment_with(json!({"selector": {"matchLabels": {"app": "web"}}})),
        );
        assert!(has(
            &errs,
            "spec.template.spec.containers",
            "Required value"
        ));
        assert!(has(
            &errs,
            "spec.template.metadata.labels",
            "does not match"
        ));
    }

    fn pod_with(spec: Value) -> Value {
        json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec})
    }

    #[test]
    fn container_rules() {
        let errs = errors(
            "Pod",
            pod_with(json!({"containers": [
                {"name": "App", "image": " nginx", "ports": [
                    {"containerPort": 0}, {"containerPort": 70000, "name": "http"}, {"containerPort": 80, "name": "http"}
                ]},
                {"name": "App", "image": ""}
            ]})),
        );
        assert!(has(&errs, "spec.containers[0].name", "RFC 1123 label"));
        assert!(has(
            &errs,
            "spec.containers[0].image",
            "leading or trailing whitespace"
        ));
        assert!(has(
            &errs,
            "spec.containers[0].ports[0].containerPort",
            "Required value"
        ));
        assert!(has(
            &errs,
            "spec.containers[0].ports[1].containerPort",
            "must be between 1 and 65535"
        ));
        assert!(has(
            &errs,
            "spec.containers[0].ports[2].name",
            "Duplicate value"
        ));
        assert!(has(&errs, "spec.containers[1].name", "Duplicate value"));
        assert!(has(&errs, "spec.containers[1].image", "Required value"));
        let errs = errors("Pod", pod_with(json!({})));
        assert!(has(&errs, "spec.containers", "Required value"));
    }

    #[test]
    fn whitespace_image_allowed_in_templates() {
        let mut t = good_template();
        t["spec"]["containers"][0]["image"] = json!(" nginx");
        let errs = errors(
            "Deployment",
            deployment_with(json!({"selector": {"matchLabels": {"app": "web"}}, "template": t})),
        );
        assert!(errs.is_empty(), "{errs:?}");
    }

    #[test]
    fn security_context_rules() {
        let errs = errors(
            "Pod",
            pod_with(json!({
                "securityContext": {"runAsUser": -1, "fsGroup": 4294967296i64},
                "containers": [{"name": "a", "image": "x", "securityContext": {
                    "runAsUser": 3000000000i64, "privileged": true, "allowPrivilegeEscalation": false,
                    "seccompProfile": {"type": "Localhost"}
                }}]
            })),
        );
        assert!(has(
            &errs,
            "spec.securityContext.runAsUser",
            "between 0 and 2147483647"
        ));
        assert!(has(
            &errs,
            "spec.securityContext.fsGroup",
            "between 0 and 2147483647"
        ));
        assert!(has(
            &errs,
            "spec.containers[0].securityContext.runAsUser",
            "between 0 and 2147483647"
        ));
        assert!(has(
            &errs,
            "spec.containers[0].securityContext",
            "cannot set `allowPrivilegeEscalation` to false and `privileged` to true"
        ));
        assert!(has(
            &errs,
            "spec.containers[0].securityContext.seccompProfile.localhostProfile",
            "must be set when seccomp type is Localhost"
        ));
    }

    #[test]
    fn env_rules() {
        let errs = errors(
            "Pod",
            pod_with(json!({"containers": [{"name": "a", "image": "x", "env": [
                {"name": ""},
                {"name": "A=B"},
                {"name": "X", "value": "1", "valueFrom": {"fieldRef": {"fieldPath": "spec.foo"}}},
                {"name": "Y", "valueFrom": {}},
                {"name": "Z", "valueFrom": {"secretKeyRef": {"name": "s", "key": "bad/key"}, "configMapKeyRef": {"name": "c", "key": "k"}}},
                {"name": "R", "valueFrom": {"resourceFieldRef": {"resource": "limits.gpu"}}}
            ]}]})),
        );
        assert!(has(
            &errs,
            "spec.containers[0].env[0].name",
            "Required value"
        ));
        assert!(has(
            &errs,
            "spec.containers[0].env[1].name",
            "printable ASCII"
        ));
        assert!(has(
            &errs,
            "spec.containers[0].env[2].valueFrom",
            "may not be specified when `value` is not empty"
        ));
        assert!(has(
            &errs,
            "spec.containers[0].env[2].valueFrom.fieldRef.fieldPath",
            "Unsupported value"
        ));
        assert!(has(
            &errs,
            "spec.containers[0].env[3].valueFrom",
            "must specify one of"
        ));
        assert!(has(
            &errs,
            "spec.containers[0].env[4].valueFrom",
            "more than one field"
        ));
        assert!(has(
            &errs,
            "spec.containers[0].env[4].valueFrom.secretKeyRef.key",
            "valid config key"
        ));
        assert!(has(
            &errs,
            "spec.containers[0].env[5].valueFrom.resourceFieldRef.resource",
            "Unsupported value"
        ));
    }

    #[test]
    fn duplicate_env_is_a_warning() {
        let found = run(
            "Pod",
            pod_with(json!({"containers": [{"name": "a", "image": "x", "env": [
                {"name": "A", "value": "1"}, {"name": "A", "value": "2"}
            ]}]})),
        );
        assert!(found.iter().any(|f| f.level == Level::Warning
            && f.path == "spec.containers[0].env[1].name"
            && f.message.contains("hides previous definition")));
        assert!(found.iter().all(|f| f.level == Level::Warning));
    }

    #[test]
    fn volume_rules() {
        let errs = errors(
            "Pod",
            pod_with(json!({
                "volumes": [
                    {"name": "a", "emptyDir": {}},
                    {"name": "a", "configMap": {"name": "c", "items": [{"key": "k", "path": "../x"}], "defaultMode": 1000}},
                    {"name": "b"},
                    {"name": "c", "emptyDir": {}, "secret": {"secretName": "s"}},
                    {"name": "d", "projected": {"sources": [{"serviceAccountToken": {"path": "token", "expirationSeconds": 60}}]}}
                ],
                "containers": [{"name": "x", "image": "i", "volumeMounts": [
                    {"name": "missing", "mountPath": "/a"},
                    {"name": "a", "mountPath": "/a"},
                    {"name": "a", "mountPath": "/b", "subPath": "/abs"}
                ]}]
            })),
        );
        assert!(has(&errs, "spec.volumes[1].name", "Duplicate value"));
        assert!(has(
            &errs,
            "spec.volumes[1].configMap.items[0].path",
            "must not contain '..'"
        ));
        assert!(has(&errs, "spec.volumes[1].configMap.defaultMode", "0777"));
        assert!(has(&errs, "spec.volumes[2]", "must specify a volume type"));
        assert!(has(
            &errs,
            "spec.volumes[3].secret",
            "may not specify more than 1 volume type"
        ));
        assert!(has(
            &errs,
            "spec.volumes[4].projected.sources[0].serviceAccountToken.expirationSeconds",
            "less than 10 minutes"
        ));
        assert!(has(
            &errs,
            "spec.containers[0].volumeMounts[0].name",
            "Not found: \"missing\""
        ));
        assert!(has(
            &errs,
            "spec.containers[0].volumeMounts[1].mountPath",
            "must be unique"
        ));
        assert!(has(
            &errs,
            "spec.containers[0].volumeMounts[2].subPath",
            "must be a relative path"
        ));
    }

    #[test]
    fn probe_rules() {
        let errs = errors(
            "Pod",
            pod_with(json!({
                "initContainers": [{"name": "init", "image": "i", "livenessProbe": {"exec": {"command": ["true"]}}}],
                "containers": [{"name": "x", "image": "i",
                    "livenessProbe": {"successThreshold": 2, "httpGet": {"port": 0}},
                    "readinessProbe": {"httpGet": {"port": "http"}, "tcpSocket": {"port": 80}, "periodSeconds": -1},
                    "startupProbe": {}
                }]
            })),
        );
        assert!(has(
            &errs,
            "spec.initContainers[0].livenessProbe",
            "without restartPolicy=Always"
        ));
        assert!(has(
            &errs,
            "spec.containers[0].livenessProbe.successThreshold",
            "must be 1"
        ));
        assert!(has(
            &errs,
            "spec.containers[0].livenessProbe.httpGet.port",
            "must be between 1 and 65535"
        ));
        assert!(has(
            &errs,
            "spec.containers[0].readinessProbe.tcpSocket",
            "more than 1 handler type"
        ));
        assert!(has(
            &errs,
            "spec.containers[0].readinessProbe.periodSeconds",
            "greater than or equal to 0"
        ));
        assert!(has(
            &errs,
            "spec.containers[0].startupProbe",
            "must specify a handler type"
        ));
        let errs = errors(
            "Pod",
            pod_with(
                json!({"containers": [{"name": "x", "image": "i", "readinessProbe": {"exec": {}}}]}),
            ),
        );
        assert!(has(
            &errs,
            "spec.containers[0].readinessProbe.exec.command",
            "Required value"
        ));
    }

    #[test]
    fn resource_rules() {
        assert_eq!(parse_quantity("100m"), Some(0.1));
        assert_eq!(parse_quantity("1Gi"), Some(1_073_741_824.0));
        assert_eq!(parse_quantity("1e3"), Some(1000.0));
        assert_eq!(parse_quantity("-2"), Some(-2.0));
        assert_eq!(parse_quantity(".5"), Some(0.5));
        assert_eq!(parse_quantity("1.5.5"), None);
        assert_eq!(parse_quantity("10MB"), None);
        assert_eq!(parse_quantity(""), None);
        let errs = errors(
            "Pod",
            pod_with(
                json!({"containers": [{"name": "x", "image": "i", "resources": {
                    "requests": {"cpu": "2", "memory": "1GB", "storage": "1Gi", "example.com/foo": 1},
                    "limits": {"cpu": "1000m", "memory": -1}
                }}]}),
            ),
        );
        assert!(has(
            &errs,
            "spec.containers[0].resources.requests.cpu",
            "must be less than or equal to cpu limit of 1000m"
        ));
        assert!(has(
            &errs,
            "spec.containers[0].resources.requests.memory",
            "quantities must match"
        ));
        assert!(has(
            &errs,
            "spec.containers[0].resources.limits.memory",
            "greater than or equal to 0"
        ));
        assert!(has(
            &errs,
            "spec.containers[0].resources.requests.storage",
            "standard resource"
        ));
        assert!(!errs.iter().any(|(p, _)| p.contains("example.com")));
    }

    #[test]
    fn pod_level_rules() {
        let errs = errors(
            "Pod",
            pod_with(json!({
                "dnsPolicy": "None",
                "hostNetwork": true,
                "serviceAccountName": "Bad_SA",
                "ephemeralContainers": [{"name": "debug", "image": "busybox"}],
                "tolerations": [{"operator": "Equal", "value": "x"}, {"key": "k", "operator": "Exists", "value": "v", "tolerationSeconds": 5}],
                "topologySpreadConstraints": [{"maxSkew": 0, "topologyKey": "zone", "whenUnsatisfiable": "ScheduleAnyway", "minDomains": 2}],
                "containers": [{"name": "x", "image": "i", "ports": [{"containerPort": 80, "hostPort": 8080}]}]
            })),
        );
        assert!(has(
            &errs,
            "spec.dnsConfig",
            "must provide `dnsConfig` when `dnsPolicy` is None"
        ));
        assert!(has(
            &errs,
            "spec.containers[0].ports[0].hostPort",
            "must match `containerPort` when `hostNetwork` is true"
        ));
        assert!(has(&errs, "spec.serviceAccountName", "RFC 1123 subdomain"));
        assert!(has(
            &errs,
            "spec.ephemeralContainers",
            "cannot be set on create"
        ));
        assert!(has(
            &errs,
            "spec.tolerations[0].operator",
            "operator must be Exists when `key` is empty"
        ));
        assert!(has(
            &errs,
            "spec.tolerations[1].operator",
            "value must be empty"
        ));
        assert!(has(
            &errs,
            "spec.tolerations[1].effect",
            "effect must be 'NoExecute'"
        ));
        assert!(has(
            &errs,
            "spec.topologySpreadConstraints[0].maxSkew",
            "greater than zero"
        ));
        assert!(has(
            &errs,
            "spec.topologySpreadConstraints[0].minDomains",
            "whenUnsatisfiable=DoNotSchedule"
        ));
    }

    #[test]
    fn init_container_restart_policy() {
        let errs = errors(
            "Pod",
            pod_with(json!({
                "initContainers": [{"name": "i", "image": "x", "restartPolicy": "OnFailure"}],
                "containers": [{"name": "c", "image": "x"}]
            })),
        );
        assert!(has(
            &errs,
            "spec.initContainers[0].restartPolicy",
            "supported values: \"Always\""
        ));
    }

    #[test]
    fn stateful_set_claims_are_mountable() {
        let obj = json!({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "s"}, "spec": {
            "serviceName": "db",
            "selector": {"matchLabels": {"app": "db"}},
            "updateStrategy": {"type": "OnDelete", "rollingUpdate": {"partition": 1}},
            "volumeClaimTemplates": [{"metadata": {"name": "data"}, "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}],
            "template": {"metadata": {"labels": {"app": "db"}}, "spec": {"containers": [
                {"name": "db", "image": "postgres", "volumeMounts": [{"name": "data", "mountPath": "/var/lib/data"}]}
            ]}}
        }});
        let errs = errors("StatefulSet", obj);
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(has(
            &errs,
            "spec.updateStrategy.rollingUpdate",
            "only allowed for updateStrategy 'RollingUpdate'"
        ));
    }

    #[test]
    fn stateful_set_service_name_warns() {
        let found = run(
            "StatefulSet",
            json!({"spec": {"serviceName": "My.Svc", "selector": {"matchLabels": {"app": "x"}},
                "template": {"metadata": {"labels": {"app": "x"}}, "spec": {"containers": [{"name": "c", "image": "i"}]}}}}),
        );
        assert!(found.iter().any(|f| f.level == Level::Warning
            && f.path == "spec.serviceName"
            && f.message.contains("RFC 1123 label")));
        assert!(found.iter().all(|f| f.level == Level::Warning));
    }

    #[test]
    fn daemon_set_and_replica_set() {
        let errs = errors(
            "DaemonSet",
            json!({"spec": {"selector": {"matchLabels": {"app": "x"}},
                "updateStrategy": {"rollingUpdate": {"maxUnavailable": 0}},
                "template": {"metadata": {"labels": {"app": "x"}}, "spec": {"containers": [{"name": "c", "image": "i"}]}}}}),
        );
        assert!(has(
            &errs,
            "spec.updateStrategy.rollingUpdate.maxUnavailable",
            "may not be 0"
        ));
        let errs = errors(
            "ReplicaSet",
            json!({"spec": {"replicas": 1, "template": {"metadata": {"labels": {"app": "x"}}, "spec": {"containers": [{"name": "c", "image": "i"}]}}}}),
        );
        assert!(has(&errs, "spec.selector", "Required value"));
    }

    #[test]
    fn object_metadata_labels_and_annotations() {
        let meta: ObjectMeta = serde_json::from_value(json!({
            "name": "x",
            "labels": {"app": "web", "bad label": "v", "ok": "-bad-"},
            "annotations": {"sidecar.istio.io/inject": "true", "Example.COM/Key": "x", "a/b/c": "y"}
        }))
        .unwrap_or_default();
        let mut ctx = Ctx::new(&meta, "default");
        validate("ConfigMap", Obj::Json(&json!({})), &mut ctx);
        let errs: Vec<(String, String)> = ctx
            .findings
            .into_iter()
            .map(|f| (f.path, f.message))
            .collect();
        assert!(has(
            &errs,
            "metadata.labels[\"bad label\"]",
            "name part must consist"
        ));
        assert!(has(&errs, "metadata.labels.ok", "a valid label must be"));
        assert!(has(
            &errs,
            "metadata.annotations[\"a/b/c\"]",
            "qualified name"
        ));
        assert_eq!(errs.len(), 3, "{errs:?}");
    }

    #[test]
    fn namespace_rules() {
        assert!(errors("Namespace", json!({"metadata": {"name": "istio-system"}})).is_empty());
        let errs = errors(
            "Namespace",
            json!({"metadata": {"name": "team.a"}, "spec": {"finalizers": ["kubernetes", "a/b/c"]}}),
        );
        assert!(has(&errs, "spec.finalizers[1]", "qualified name"));
    }

    #[test]
    fn config_map_rules() {
        assert!(
            errors(
                "ConfigMap",
                json!({"data": {"mesh": "x", "a.b_c-d": ""}, "binaryData": {"bin": "aGVsbG8="}})
            )
            .is_empty()
        );
        let errs = errors(
            "ConfigMap",
            json!({"data": {"a/b": "x", "..x": "y", "dup": "z"}, "binaryData": {"dup": "aGVsbG8=", "bad": "a$=="}}),
        );
        assert!(has(&errs, "data[\"a/b\"]", "valid config key"));
        assert!(has(&errs, "data[\"..x\"]", "must not start with '..'"));
        assert!(has(&errs, "binaryData.dup", "duplicate of key"));
        assert!(has(
            &errs,
            "binaryData.bad",
            "illegal base64 data at input byte 1"
        ));
    }

    #[test]
    fn secret_rules_never_print_values() {
        let errs = errors(
            "Secret",
            json!({"type": "kubernetes.io/tls", "data": {"tls.crt": "c3VwZXJzZWNyZXQ=", "password": "s3cr3t!value"}}),
        );
        assert!(has(&errs, "data[\"tls.key\"]", "Required value"));
        assert!(has(&errs, "data.password", "illegal base64 data"));
        assert!(
            errs.iter()
                .all(|(_, m)| !m.contains("s3cr3t") && !m.contains("c3VwZXJzZWNyZXQ"))
        );
        assert!(errors("Secret", json!({"type": "kubernetes.io/tls", "data": {"tls.crt": "YQ=="}, "stringData": {"tls.key": "k"}})).is_empty());
        let errs = errors(
            "Secret",
            json!({"type": "kubernetes.io/service-account-token"}),
        );
        assert!(has(
            &errs,
            "metadata.annotations[\"kubernetes.io/service-account.name\"]",
            "Required value"
        ));
        let errs = errors(
            "Secret",
            json!({"type": "kubernetes.io/basic-auth", "data": {}}),
        );
        assert!(has(&errs, "data.username", "Required value"));
    }

    #[test]
    fn base64_decoding() {
        assert_eq!(base64_decoded_len("aGVsbG8="), Ok(5));
        assert_eq!(base64_decoded_len("aGVs\nbG8="), Ok(5));
        assert_eq!(base64_decoded_len(""), Ok(0));
        assert_eq!(base64_decoded_len("aGVsbG8"), Err(6));
        assert_eq!(base64_decoded_len("a=Vs"), Err(1));
        assert_eq!(base64_decoded_len("aGVs=G8="), Err(4));
    }

    #[test]
    fn valid_webhook_configuration_passes() {
        let errs = errors(
            "MutatingWebhookConfiguration",
            json!({"webhooks": [{
                "name": "rev.namespace.sidecar-injector.istio.io",
                "clientConfig": {"service": {"name": "istiod", "namespace": "istio-system", "path": "/inject/cluster/Kubernetes/net/network1", "port": 443}, "caBundle": "aGVsbG8="},
                "rules": [{"operations": ["CREATE"], "apiGroups": [""], "apiVersions": ["v1"], "resources": ["pods"]}],
                "sideEffects": "None",
                "failurePolicy": "Fail",
                "admissionReviewVersions": ["v1beta1", "v1"],
                "namespaceSelector": {"matchExpressions": [{"key": "istio-injection", "operator": "DoesNotExist"}]},
                "reinvocationPolicy": "Never"
            }]}),
        );
        assert!(errs.is_empty(), "{errs:?}");
    }

    #[test]
    fn webhook_rules() {
        let errs = errors(
            "ValidatingWebhookConfiguration",
            json!({"webhooks": [
                {"name": "istio.io", "clientConfig": {"url": "http://user@host:443/path?x=1#f"},
                 "rules": [{"operations": ["*", "CREATE"], "apiGroups": [], "apiVersions": ["v1"], "resources": ["*/*", "pods"]}],
                 "timeoutSeconds": 31, "admissionReviewVersions": ["v2"]},
                {"name": "a.b.c", "clientConfig": {"service": {"name": "s", "namespace": "ns", "path": "validate", "port": 0}},
                 "sideEffects": "None", "admissionReviewVersions": []},
                {"name": "a.b.c", "clientConfig": {}, "sideEffects": "None", "admissionReviewVersions": ["v1"]}
            ]}),
        );
        assert!(has(&errs, "webhooks[0].name", "at least three segments"));
        assert!(has(
            &errs,
            "webhooks[0].clientConfig.url",
            "'https' is the only allowed URL scheme"
        ));
        assert!(has(
            &errs,
            "webhooks[0].clientConfig.url",
            "user information"
        ));
        assert!(has(
            &errs,
            "webhooks[0].clientConfig.url",
            "query parameters"
        ));
        assert!(has(&errs, "webhooks[0].clientConfig.url", "fragments"));
        assert!(has(
            &errs,
            "webhooks[0].rules[0].operations",
            "if '*' is present"
        ));
        assert!(has(
            &errs,
            "webhooks[0].rules[0].apiGroups",
            "Required value"
        ));
        assert!(has(
            &errs,
            "webhooks[0].rules[0].resources",
            "if '*/*' is present"
        ));
        assert!(has(&errs, "webhooks[0].sideEffects", "Required value"));
        assert!(has(
            &errs,
            "webhooks[0].timeoutSeconds",
            "between 1 and 30 seconds"
        ));
        assert!(has(
            &errs,
            "webhooks[0].admissionReviewVersions",
            "must include at least one of v1, v1beta1"
        ));
        assert!(has(
            &errs,
            "webhooks[1].clientConfig.service.path",
            "must start with a '/'"
        ));
        assert!(has(
            &errs,
            "webhooks[1].clientConfig.service.port",
            "port is not valid"
        ));
        assert!(has(
            &errs,
            "webhooks[1].admissionReviewVersions",
            "Required value"
        ));
        assert!(has(&errs, "webhooks[2].name", "Duplicate value"));
        assert!(has(
            &errs,
            "webhooks[2].clientConfig",
            "exactly one of url or service is required"
        ));
        let errs2 = errors(
            "MutatingWebhookConfiguration",
            json!({"webhooks": [{"name": "a.b.c", "sideEffects": "None", "admissionReviewVersions": ["v1"],
                "clientConfig": {"service": {"name": "s", "namespace": "n", "path": "/a//b_c"}}}]}),
        );
        assert!(has(
            &errs2,
            "webhooks[0].clientConfig.service.path",
            "segment[1] may not be empty"
        ));
        assert!(has(
            &errs2,
            "webhooks[0].clientConfig.service.path",
            "segment[2]: a lowercase RFC 1123 subdomain"
        ));
    }
}
