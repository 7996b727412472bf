//! Field-level rules shared by many kinds, written after Istio's `pkg/config/validation/agent`
//! helpers (host names, ports, labels, IPs, durations) so that meshctl's messages and verdicts
//! match what istiod's admission webhook says.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::sync::LazyLock;

use regex::Regex;

use super::Ctx;
use super::codes::*;
use super::crd::constant_regex;
use crate::model::constraints::{
    DNS1123_LABEL as K8S_DNS1123_LABEL, DNS1123_SUBDOMAIN as K8S_DNS1123_SUBDOMAIN,
};
use crate::model::schema::Duration;
use crate::model::security::{PolicyTargetReference, WorkloadSelector};

const DNS1123_LABEL: &str = "[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?";
const QUALIFIED_NAME: &str = "(?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";

fn re(pattern: String) -> Regex {
    constant_regex(&pattern)
}

static LABEL_RE: LazyLock<Regex> = LazyLock::new(|| re(format!("^{DNS1123_LABEL}$")));
static WILDCARD_LABEL_RE: LazyLock<Regex> =
    LazyLock::new(|| re(format!(r"^(\*|(\*|\*-)?{DNS1123_LABEL})$")));
static LABEL_KEY_RE: LazyLock<Regex> = LazyLock::new(|| {
    re(format!(
        r"^({DNS1123_LABEL}(?:\.{DNS1123_LABEL})*/)?({QUALIFIED_NAME})$"
    ))
});
static LABEL_VALUE_RE: LazyLock<Regex> = LazyLock::new(|| re(format!("^({QUALIFIED_NAME})?$")));

/// Istio's `IsDNS1123Label`: letters of either case, digits and dashes, at most 63 characters.
pub fn is_dns1123_label(s: &str) -> bool {
    s.len() <= 63 && LABEL_RE.is_match(s)
}

/// Istio's `IsWildcardDNS1123Label`: `*`, or a label optionally prefixed by `*` or `*-`.
pub fn is_wildcard_dns1123_label(s: &str) -> bool {
    s.len() <= 63 && WILDCARD_LABEL_RE.is_match(s)
}

/// Kubernetes' RFC 1123 label (lower case), used for namespace names.
pub fn is_k8s_dns_label(s: &str) -> bool {
    s.len() <= 63 && K8S_DNS1123_LABEL.is_match(s)
}

/// Kubernetes' RFC 1123 subdomain (lower case), used for most object names.
pub fn is_k8s_dns_subdomain(s: &str) -> bool {
    s.len() <= 253 && K8S_DNS1123_SUBDOMAIN.is_match(s)
}

fn check_dns1123_preconditions(name: &str) -> Result<(), String> {
    if name.len() > 255 {
        return Err(format!("domain name {name:?} too long (max 255)"));
    }
    if name.is_empty() {
        return Err("empty domain name not allowed".to_string());
    }
    Ok(())
}

/// Istio's `ValidateDNS1123Labels`.
pub fn validate_dns1123_labels(domain: &str) -> Result<(), String> {
    let parts: Vec<&str> = domain.split('.').collect();
    if let Some(tld) = parts.last()
        && !tld.is_empty()
        && tld.parse::<i64>().is_ok()
    {
        return Err(format!(
            "domain name {domain:?} invalid (top level domain {tld:?} cannot be all-numeric)"
        ));
    }
    for (i, label) in parts.iter().enumerate() {
        if i == parts.len() - 1 && label.is_empty() {
            return Ok(());
        }
        if !is_dns1123_label(label) {
            return Err(format!(
                "domain name {domain:?} invalid (label {label:?} invalid)"
            ));
        }
    }
    Ok(())
}

/// Istio's `ValidateFQDN`.
pub fn validate_fqdn(fqdn: &str) -> Result<(), String> {
    check_dns1123_preconditions(fqdn)?;
    validate_dns1123_labels(fqdn)
}

/// Istio's `ValidateWildcardDomain`: wildcards only in the first label.
pub fn validate_wildcard_domain(domain: &str) -> Result<(), String> {
    check_dns1123_preconditions(domain)?;
    let (first, rest) = match domain.split_once('.') {
        Some((f, r)) => (f, Some(r)),
        None => (domain, None),
    };
    if !is_wildcard_dns1123_label(first) {
        return Err(format!(
            "domain name {domain:?} invalid (label {first:?} invalid)"
        ));
    }
    match rest {
        Some(r) => validate_dns1123_labels(r),
        None => Ok(()),
    }
}

/// Istio's `ValidatePartialWildCard`.
pub fn validate_partial_wildcard(host: &str) -> Result<(), String> {
    if host.contains('*') && host.len() != 1 && !host.starts_with("*.") {
        return Err(format!("partial wildcard {host:?} not allowed"));
    }
    Ok(())
}

/// Istio's `ValidatePort`.
pub fn validate_port(port: i64) -> Result<(), String> {
    if (1..=65535).contains(&port) {
        Ok(())
    } else {
        Err(format!("port number {port} must be in the range 1..65535"))
    }
}

/// Istio's `ValidateIPAddress` (Go's `netip.ParseAddr`, which also accepts IPv6 zones).
pub fn validate_ip(addr: &str) -> Result<(), String> {
    let base = addr.split_once('%').map_or(addr, |(a, _)| a);
    if base.parse::<IpAddr>().is_ok() && (base == addr || base.contains(':')) {
        Ok(())
    } else {
        Err(format!("{addr} is not a valid IP"))
    }
}

/// Parses `a.b.c.d/nn` or `v6/nn` like Go's `netip.ParsePrefix`.
pub fn parse_cidr(s: &str) -> Option<(IpAddr, u8)> {
    let (ip, bits) = s.split_once('/')?;
    let ip: IpAddr = ip.parse().ok()?;
    if bits.is_empty() || bits.len() > 3 || !bits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if bits.len() > 1 && bits.starts_with('0') {
        return None;
    }
    let bits: u8 = bits.parse().ok()?;
    let max = if ip.is_ipv4() { 32 } else { 128 };
    (bits <= max).then_some((ip, bits))
}

/// Istio's `ValidateIPSubnet`: CIDR notation or a bare address.
pub fn validate_ip_subnet(subnet: &str) -> Result<(), String> {
    if subnet.matches('/').count() == 1 {
        return parse_cidr(subnet)
            .map(|_| ())
            .ok_or_else(|| format!("{subnet} is not a valid CIDR block"));
    }
    validate_ip(subnet)
}

/// Istio's `ValidateDuration`: at least 1ms, millisecond precision.
pub fn validate_duration(d: &Duration) -> Result<(), String> {
    let nanos = d
        .nanos()
        .ok_or_else(|| format!("invalid duration {:?}", d.0))?;
    if nanos < 1_000_000 {
        return Err("duration must be greater than 1ms".to_string());
    }
    if nanos % 1_000_000 != 0 {
        return Err("only durations to ms precision are supported".to_string());
    }
    Ok(())
}

/// Istio's `labels.Instance.Validate`: every key and value of a label map.
pub fn validate_labels(labels: &BTreeMap<String, String>) -> Vec<String> {
    let mut errs = Vec::new();
    for (k, v) in labels {
        if let Err(e) = validate_label_key(k) {
            errs.push(e);
        }
        if !LABEL_VALUE_RE.is_match(v) || v.len() > 63 {
            errs.push(format!("invalid tag value: {v:?}"));
        }
    }
    errs
}

pub fn validate_label_key(k: &str) -> Result<(), String> {
    let Some(caps) = LABEL_KEY_RE.captures(k) else {
        return Err(format!("invalid tag key: {k:?}"));
    };
    if let Some(prefix) = caps.get(1)
        && prefix.as_str().len() - 1 > 253
    {
        return Err(format!("invalid tag key: {k:?} (DNS prefix is too long)"));
    }
    if caps.get(2).is_some_and(|n| n.as_str().len() > 63) {
        return Err(format!("invalid tag key: {k:?} (name is too long)"));
    }
    Ok(())
}

/// Istio's `validatePercent` for integer percentages.
pub fn validate_percent(val: i64) -> Result<(), String> {
    if (0..=100).contains(&val) {
        Ok(())
    } else {
        Err(format!("percentage {val} is not in range 0..100"))
    }
}

/// Compiles a regular expression the way Envoy's RE2 would see it, reporting syntax that RE2
/// rejects. Rust's `regex` accepts a superset in a few places (class set operations, `\<`),
/// which are rejected here first.
pub fn validate_re2(pattern: &str) -> Result<(), String> {
    // Configurations repeat the same few patterns many times; compiling each once per thread
    // keeps regex-heavy inputs fast.
    thread_local! {
        static CACHE: std::cell::RefCell<std::collections::HashMap<String, Result<(), String>>> =
            std::cell::RefCell::new(std::collections::HashMap::new());
    }
    if let Some(hit) = CACHE.with(|c| c.borrow().get(pattern).cloned()) {
        return hit;
    }
    let result = compile_re2(pattern);
    CACHE.with(|c| {
        let mut cache = c.borrow_mut();
        if cache.len() >= 4096 {
            cache.clear();
        }
        cache.insert(pattern.to_string(), result.clone());
    });
    result
}

fn compile_re2(pattern: &str) -> Result<(), String> {
    if has_class_set_operation(pattern) {
        // Class set operations are not RE2 syntax (outside a class they are literals).
        return Err(format!(
            "{pattern:?}: character class set operations (&&, --, ~~) are not supported by RE2"
        ));
    }
    for bad in ["\\<", "\\>", "\\b{"] {
        if pattern.contains(bad) {
            return Err(format!("{pattern:?}: {bad} is not supported by RE2"));
        }
    }
    if let Some(ops) = nested_repetition(pattern) {
        return Err(format!(
            "{pattern:?} is not a valid regular expression: invalid nested repetition operator: `{ops}`"
        ));
    }
    regex::RegexBuilder::new(pattern)
        .size_limit(1 << 22)
        .build()
        .map(|_| ())
        .map_err(|e| {
            let text = e.to_string();
            let last = text
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("");
            format!(
                "{pattern:?} is not a valid regular expression: {}",
                last.trim()
            )
        })
}

/// Go's regexp (RE2) rejects stacked repetition operators (`a**`, `a++`, `a{2}*`), which Rust's
/// `regex` accepts; a lazy `?` after one operator is fine. Returns the offending operators.
pub fn nested_repetition(pattern: &str) -> Option<String> {
    let chars: Vec<char> = pattern.chars().collect();
    let at = |i: usize| chars.get(i).copied();
    let mut i = 0;
    // Where the previous token, if it was a repetition operator, started.
    let mut last_repeat: Option<usize> = None;
    while let Some(c) = at(i) {
        let repeat_end = match c {
            '\\' => {
                i += 2;
                last_repeat = None;
                continue;
            }
            '[' => {
                i = class_end(&chars, i);
                last_repeat = None;
                continue;
            }
            '(' if at(i + 1) == Some('?') => {
                i += 2;
                last_repeat = None;
                continue;
            }
            '*' | '+' | '?' => Some(i + 1),
            '{' => brace_repeat_end(&chars, i),
            _ => None,
        };
        match repeat_end {
            Some(end) => {
                if let Some(start) = last_repeat {
                    let ops: String = chars.get(start..end).unwrap_or_default().iter().collect();
                    return Some(ops);
                }
                last_repeat = Some(i);
                i = end;
                // A lazy marker belongs to the operator.
                if at(i) == Some('?') {
                    i += 1;
                }
            }
            None => {
                last_repeat = None;
                i += 1;
            }
        }
    }
    None
}

/// The index after the character class starting at `start` (`]` right after `[` or `[^` is a
/// literal).
fn class_end(chars: &[char], start: usize) -> usize {
    let mut i = start + 1;
    if chars.get(i) == Some(&'^') {
        i += 1;
    }
    if chars.get(i) == Some(&']') {
        i += 1;
    }
    while let Some(&c) = chars.get(i) {
        match c {
            '\\' => i += 2,
            ']' => return i + 1,
            _ => i += 1,
        }
    }
    chars.len()
}

/// The end of a `{n}`, `{n,}` or `{n,m}` repetition starting at `start`, or `None` when the
/// brace is a literal.
fn brace_repeat_end(chars: &[char], start: usize) -> Option<usize> {
    let mut i = start + 1;
    let digits = |i: &mut usize| {
        let from = *i;
        while chars.get(*i).is_some_and(char::is_ascii_digit) {
            *i += 1;
        }
        *i > from
    };
    if !digits(&mut i) {
        return None;
    }
    if chars.get(i) == Some(&',') {
        i += 1;
        digits(&mut i);
    }
    (chars.get(i) == Some(&'}')).then_some(i + 1)
}

fn has_class_set_operation(pattern: &str) -> bool {
    let mut depth = 0usize;
    let mut chars = pattern.chars().peekable();
    let mut prev = '\0';
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
                prev = '\0';
                continue;
            }
            '[' => depth += 1,
            ']' if depth > 0 => depth -= 1,
            '&' | '-' | '~' if depth > 0 && prev == c && chars.peek().is_some() => return true,
            _ => {}
        }
        prev = c;
    }
    false
}

/// Istio's `validateExportTo`: `.`, `*`, namespace names (and `~` for ServiceEntries), no
/// duplicates, `*` and `~` alone. `dr_with_selector` adds the DestinationRule-with-selector rule.
pub fn validate_export_to(
    namespace: &str,
    export_to: &[String],
    is_service_entry: bool,
    dr_with_selector: bool,
) -> Vec<String> {
    export_to_errors(namespace, export_to, is_service_entry, dr_with_selector)
        .into_iter()
        .map(|(_, message)| message)
        .collect()
}

/// [`validate_export_to`], with the index of the offending entry for the errors about one entry
/// (`None` for the rules about the list as a whole).
pub fn export_to_errors(
    namespace: &str,
    export_to: &[String],
    is_service_entry: bool,
    dr_with_selector: bool,
) -> Vec<(Option<usize>, String)> {
    let mut errs = Vec::new();
    if export_to.is_empty() {
        return errs;
    }
    let mut seen: Vec<String> = Vec::new();
    for (i, e) in export_to.iter().enumerate() {
        // `.` means the object's own namespace.
        let key = if e == "." {
            namespace.to_string()
        } else {
            e.clone()
        };
        if seen.contains(&key) {
            if &key != e {
                errs.push((
                    Some(i),
                    format!("duplicate entries in exportTo: . and current namespace {namespace}"),
                ));
            } else {
                errs.push((
                    Some(i),
                    format!("duplicate entries in exportTo for entry {e}"),
                ));
            }
            continue;
        }
        if is_service_entry && e == "~" {
            seen.push(key);
            continue;
        }
        let valid = match key.as_str() {
            "*" | "." => Ok(()),
            "~" => {
                Err("exportTo ~ (none) is not allowed for Istio configuration objects".to_string())
            }
            k if is_dns1123_label(k) => Ok(()),
            _ => {
                Err("only .,*, or a valid DNS 1123 label is allowed as exportTo entry".to_string())
            }
        };
        match valid {
            Ok(()) => seen.push(key),
            Err(msg) => errs.push((Some(i), msg)),
        }
    }
    if dr_with_selector && !seen.is_empty() {
        if seen.iter().any(|s| s == namespace) {
            if seen.len() > 1 {
                errs.push((
                    None,
                    "destination rule with workload selector cannot have multiple entries in exportTo"
                        .to_string(),
                ));
            }
        } else {
            errs.push((
                None,
                "destination rule with workload selector cannot have exportTo beyond current namespace"
                    .to_string(),
            ));
        }
    }
    if seen.iter().any(|s| s == "*") && export_to.len() > 1 {
        errs.push((
            None,
            "cannot have both public (*) and non-public exportTo values for a resource".to_string(),
        ));
    }
    if seen.iter().any(|s| s == "~") && export_to.len() > 1 {
        errs.push((
            None,
            "cannot export service entry to no one (~) and someone".to_string(),
        ));
    }
    errs
}

/// RFC 7230 token characters, Istio's `validHeaderNameRegex`.
pub fn is_header_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Istio's `ValidateHTTPHeaderValue`: no control characters, and `%VAR%` expressions well formed.
pub fn validate_header_value(value: &str) -> Result<(), String> {
    if value
        .chars()
        .any(|c| (c as u32) <= 0x08 || ((0x0A..=0x1F).contains(&(c as u32))) || c == '\u{7f}')
    {
        return Err(format!("header value configuration {value} is invalid"));
    }
    #[derive(PartialEq)]
    enum St {
        Literal,
        VarName,
        ExpectArray,
        ExpectString,
        InString,
        ExpectDelimOrEnd,
        ExpectArgsEnd,
        ExpectVarEnd,
    }
    let b = value.as_bytes();
    let mut st = St::Literal;
    let mut i = 0;
    let prefix = "header value configuration: invalid header configuration.";
    while i < b.len() {
        let ch = b[i];
        let has_next = i + 1 < b.len();
        match st {
            St::Literal => {
                if ch == b'%' {
                    if !has_next {
                        return Err(format!("{prefix} Un-escaped %"));
                    }
                    if b[i + 1] == b'%' {
                        i += 1;
                    } else {
                        st = St::VarName;
                    }
                }
            }
            St::VarName => {
                if ch == b'%' {
                    st = St::Literal;
                } else if ch == b'(' {
                    st = St::ExpectArray;
                }
            }
            St::ExpectArray => {
                if ch == b'[' {
                    st = St::ExpectString;
                } else if ch != b' ' {
                    st = St::InString;
                }
            }
            St::ExpectDelimOrEnd => {
                if ch == b',' {
                    st = St::ExpectString;
                } else if ch == b']' {
                    st = St::ExpectArgsEnd;
                } else if ch != b' ' {
                    return Err(format!("{prefix} Expecting ',', ']', or whitespace"));
                }
            }
            St::ExpectString => {
                if ch == b'"' {
                    st = St::InString;
                } else if ch != b' ' {
                    return Err(format!("{prefix} Expecting '\"'"));
                }
            }
            St::InString => {
                if ch == b'\\' {
                    if !has_next {
                        return Err(format!("{prefix} Un-terminated backslash in JSON string"));
                    }
                    i += 1;
                } else if ch == b')' {
                    st = St::ExpectVarEnd;
                } else if ch == b'"' {
                    st = St::ExpectDelimOrEnd;
                }
            }
            St::ExpectArgsEnd => {
                if ch == b')' {
                    st = St::ExpectVarEnd;
                } else if ch != b' ' {
                    return Err(format!("{prefix} Expecting ')' or whitespace"));
                }
            }
            St::ExpectVarEnd => {
                if ch == b'%' {
                    st = St::Literal;
                } else if ch != b' ' {
                    return Err(format!("{prefix} Expecting '%' or whitespace after"));
                }
            }
        }
        i += 1;
    }
    if st != St::Literal {
        return Err(format!(
            "{prefix} Un-terminated variable expression '{value}'"
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Workload selectors and policy target references
// ---------------------------------------------------------------------------------------------

/// The kinds a policy may target (istiod's `allowedTargetRefs`), as (canonical group, kind).
const ALLOWED_TARGETS: [(&str, &str); 4] = [
    ("core", "Service"),
    ("networking.istio.io", "ServiceEntry"),
    ("gateway.networking.k8s.io", "Gateway"),
    ("gateway.networking.k8s.io", "GatewayClass"),
];
const ALLOWED_TARGETS_TEXT: &str = "[core/v1/Service networking.istio.io/v1/ServiceEntry \
    gateway.networking.k8s.io/v1/Gateway gateway.networking.k8s.io/v1/GatewayClass]";

/// The selector and target reference rules common to AuthorizationPolicy,
/// RequestAuthentication, Telemetry and WasmPlugin.
pub(super) fn check_selector_and_targets(
    selector: Option<&WorkloadSelector>,
    target_ref: Option<&PolicyTargetReference>,
    target_refs: Option<&[PolicyTargetReference]>,
    ctx: &mut Ctx<'_>,
) {
    // CRD CEL on the spec: presence-based, so `targetRefs: []` counts as set.
    let members = [
        ("spec.selector", selector.is_some()),
        ("spec.targetRef", target_ref.is_some()),
        ("spec.targetRefs", target_refs.is_some()),
    ];
    for (path, _) in members.iter().filter(|(_, set)| *set).skip(1) {
        ctx.report(
            WORKLOAD_SELECTOR,
            *path,
            "only one of targetRefs or selector can be set",
        );
    }
    check_workload_selector(selector, "spec.selector", ctx);
    if let Some(r) = target_ref {
        check_target_ref(r, "spec.targetRef", ctx);
    }
    if let Some(refs) = target_refs {
        for (i, r) in refs.iter().enumerate() {
            check_target_ref(r, &format!("spec.targetRefs[{i}]"), ctx);
        }
    }
}

/// `istio.type.v1beta1.WorkloadSelector`: CRD constraints on `matchLabels`, and istiod's
/// warning for a selector without labels (which selects every workload).
pub(super) fn check_workload_selector(
    selector: Option<&WorkloadSelector>,
    path: &str,
    ctx: &mut Ctx<'_>,
) {
    let Some(selector) = selector else { return };
    let labels = &selector.match_labels;
    check_match_labels(labels, &format!("{path}.matchLabels"), ctx);
    if labels.is_empty() {
        ctx.report(
            SELECTOR_WITHOUT_LABELS,
            path,
            "workload selector specified without labels",
        );
    }
}

/// The CRD's CEL rules on the `matchLabels` of an `istio.type.v1beta1.WorkloadSelector` (also
/// DestinationRule's `workloadSelector`): keys not empty, no `*` in keys or values. The
/// number of labels and the values' length are constraints of the model's fields.
pub(super) fn check_match_labels(
    labels: &BTreeMap<String, String>,
    labels_path: &str,
    ctx: &mut Ctx<'_>,
) {
    if labels.keys().any(|k| k.contains('*')) {
        ctx.report(
            WORKLOAD_SELECTOR,
            labels_path,
            "wildcard not allowed in label key match",
        );
    }
    if labels.keys().any(String::is_empty) {
        ctx.report(WORKLOAD_SELECTOR, labels_path, "key must not be empty");
    }
    for (k, v) in labels {
        let value_path = format!("{labels_path}[{k:?}]");
        if v.contains('*') {
            ctx.report(
                WORKLOAD_SELECTOR,
                value_path,
                "wildcard not allowed in label value match",
            );
        }
    }
}

/// `istio.type.v1beta1.PolicyTargetReference`: the CRD's CEL rule and the kinds istiod
/// accepts as targets.
pub(super) fn check_target_ref(r: &PolicyTargetReference, path: &str, ctx: &mut Ctx<'_>) {
    let group = r.group.as_deref().unwrap_or("");
    check_target_ref_schema(r.namespace.as_deref(), path, ctx);
    if let Some(kind) = r.kind.as_deref().filter(|k| !k.is_empty()) {
        let canonical = if group.is_empty() { "core" } else { group };
        if !ALLOWED_TARGETS.contains(&(canonical, kind)) {
            ctx.report(
                TARGET_REF,
                format!("{path}.kind"),
                format!(
                    "targetRef must be to one of {ALLOWED_TARGETS_TEXT} but was {group}/{kind}"
                ),
            );
        }
    }
}

/// The CRD's CEL rule on `istio.type.v1beta1.PolicyTargetReference` alone (EnvoyFilter's
/// `targetRefs`, which istiod's webhook does not check further); the lengths and patterns of
/// `group`, `kind` and `name` are constraints of the model's fields.
pub(super) fn check_target_ref_schema(namespace: Option<&str>, path: &str, ctx: &mut Ctx<'_>) {
    if namespace.is_some_and(|ns| !ns.is_empty()) {
        ctx.report(
            TARGET_REF,
            format!("{path}.namespace"),
            "cross namespace referencing is not currently supported",
        );
    }
}

/// The `networking.istio.io` WorkloadSelector `labels` of ServiceEntry and EnvoyFilter:
/// istiod's `ValidateAlphaWorkloadSelector` (no empty keys, no wildcards); the number of
/// labels and the values' length are constraints of the model's fields.
pub(super) fn validate_alpha_selector(
    labels: &BTreeMap<String, String>,
    path: &str,
    ctx: &mut Ctx<'_>,
) {
    for (k, v) in labels {
        let entry = format!("{path}[{k:?}]");
        if k.is_empty() {
            ctx.report(
                WORKLOAD_SELECTOR,
                &entry,
                format!("empty key is not supported in selector: \"{k}={v}\""),
            );
        }
        if k.contains('*') || v.contains('*') {
            ctx.report(
                WORKLOAD_SELECTOR,
                &entry,
                format!("wildcard is not supported in selector: \"{k}={v}\""),
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Unix domain sockets and port protocols
// ---------------------------------------------------------------------------------------------

/// The address prefix that marks a Unix domain socket (bind address, endpoint address).
pub(super) const UNIX_PREFIX: &str = "unix://";

/// Istio's `ValidateUnixAddress` (the part after `unix://`).
pub(super) fn validate_unix_address(addr: &str) -> Result<(), String> {
    if addr.is_empty() {
        return Err("unix address must not be empty".to_string());
    }
    // Linux abstract sockets.
    if addr.starts_with('@') {
        return Ok(());
    }
    if !addr.starts_with('/') || addr.ends_with('/') {
        return Err(format!("{addr} is not an absolute path to a file"));
    }
    Ok(())
}

/// Istio's port protocol names (`protocol.Parse`, case-insensitive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Protocol {
    Tcp,
    Udp,
    Grpc,
    GrpcWeb,
    Http,
    HttpProxy,
    Http2,
    Https,
    Tls,
    Mongo,
    Redis,
    MySql,
    Unsupported,
}

impl Protocol {
    pub(super) fn parse(s: &str) -> Protocol {
        // istiod compares the lower-cased name with "DoubleHBONE", so that one never matches.
        match s.to_ascii_lowercase().as_str() {
            "tcp" => Protocol::Tcp,
            "udp" => Protocol::Udp,
            "grpc" => Protocol::Grpc,
            "grpc-web" => Protocol::GrpcWeb,
            "http" => Protocol::Http,
            "http_proxy" => Protocol::HttpProxy,
            "http2" => Protocol::Http2,
            "https" => Protocol::Https,
            "tls" => Protocol::Tls,
            "mongo" => Protocol::Mongo,
            "redis" => Protocol::Redis,
            "mysql" => Protocol::MySql,
            _ => Protocol::Unsupported,
        }
    }

    pub(super) fn is_http(self) -> bool {
        matches!(
            self,
            Protocol::Http
                | Protocol::Http2
                | Protocol::HttpProxy
                | Protocol::Grpc
                | Protocol::GrpcWeb
        )
    }

    pub(super) fn is_tcp(self) -> bool {
        matches!(
            self,
            Protocol::Tcp
                | Protocol::Https
                | Protocol::Tls
                | Protocol::Mongo
                | Protocol::Redis
                | Protocol::MySql
        )
    }

    pub(super) fn is_tls(self) -> bool {
        matches!(self, Protocol::Https | Protocol::Tls)
    }
}

#[cfg(test)]
mod selector_tests {
    use super::*;
    use crate::check::validate::Level;

    use crate::check::validate::testing::run_ctx as run;

    fn selector(labels: &[(&str, &str)]) -> WorkloadSelector {
        WorkloadSelector {
            match_labels: labels
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    fn target(group: &str, kind: &str, name: &str) -> PolicyTargetReference {
        PolicyTargetReference {
            group: Some(group.into()),
            kind: Some(kind.into()),
            name: Some(name.into()),
            namespace: None,
        }
    }

    #[test]
    fn selector_rules() {
        let ok = run(|ctx| {
            check_workload_selector(Some(&selector(&[("app", "x")])), "spec.selector", ctx)
        });
        assert!(ok.is_empty(), "{ok:?}");

        let f = run(|ctx| {
            check_workload_selector(
                Some(&selector(&[("istio*", "a"), ("b", "bar*"), ("", "c")])),
                "spec.selector",
                ctx,
            )
        });
        assert!(f.iter().any(|(l, p, m)| *l == Level::Error
            && p == "spec.selector.matchLabels"
            && m.contains("wildcard not allowed in label key match")));
        assert!(
            f.iter()
                .any(|(_, p, m)| p == "spec.selector.matchLabels[\"b\"]"
                    && m.contains("wildcard not allowed in label value match"))
        );
        assert!(f.iter().any(|(_, _, m)| m == "key must not be empty"));

        // The values' length is a constraint of the model's field (the schema walk's).
        let long = "v".repeat(64);
        let f = validated(serde_json::json!({"selector": {"matchLabels": {"a": long}}}));
        assert!(
            f.iter()
                .any(|(p, m)| p == "spec.selector.matchLabels.a" && m.contains("Too long"))
        );

        let f = run(|ctx| check_workload_selector(Some(&selector(&[])), "spec.selector", ctx));
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].0, Level::Warning);
        assert!(f[0].2.contains("without labels"));
    }

    /// The errors of `validate` for an AuthorizationPolicy with `spec`: the schema walk checks
    /// the constraints the model declares on selectors and target references.
    fn validated(spec: serde_json::Value) -> Vec<(String, String)> {
        crate::check::validate::testing::validate_spec(
            "security.istio.io/v1",
            "AuthorizationPolicy",
            spec,
        )
        .into_iter()
        .filter(|f| f.level == Level::Error)
        .map(|f| (f.path, f.message))
        .collect()
    }

    #[test]
    fn one_of_selector_and_targets() {
        let sel = selector(&[("a", "b")]);
        let t = target("", "Service", "foo");
        let f = run(|ctx| check_selector_and_targets(Some(&sel), Some(&t), None, ctx));
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].1, "spec.targetRef");
        assert!(f[0].2.contains("only one of targetRefs or selector"));

        // Presence, not emptiness, counts.
        let f = run(|ctx| check_selector_and_targets(Some(&sel), None, Some(&[]), ctx));
        assert!(f.iter().any(|(_, p, _)| p == "spec.targetRefs"));

        let f =
            run(|ctx| check_selector_and_targets(None, None, Some(std::slice::from_ref(&t)), ctx));
        assert!(f.is_empty(), "{f:?}");

        let many = vec![serde_json::json!({"kind": "Service", "name": "foo"}); 17];
        let f = validated(serde_json::json!({ "targetRefs": many }));
        assert!(
            f.iter()
                .any(|(p, m)| p == "spec.targetRefs" && m.contains("Too many: 17"))
        );
    }

    #[test]
    fn target_ref_rules() {
        for (group, kind) in [
            ("", "Service"),
            ("core", "Service"),
            ("networking.istio.io", "ServiceEntry"),
            ("gateway.networking.k8s.io", "Gateway"),
            ("gateway.networking.k8s.io", "GatewayClass"),
        ] {
            let f = run(|ctx| check_target_ref(&target(group, kind, "x"), "spec.targetRef", ctx));
            assert!(f.is_empty(), "{group}/{kind}: {f:?}");
        }
        let f =
            run(|ctx| check_target_ref(&target("apps", "Deployment", "x"), "spec.targetRef", ctx));
        assert!(f.iter().any(|(_, p, m)| p == "spec.targetRef.kind"
            && m.contains("targetRef must be to one of")
            && m.contains("apps/Deployment")));

        let f = validated(
            serde_json::json!({"targetRef": {"group": "__", "kind": "Serv_ice", "name": ""}}),
        );
        assert!(
            f.iter()
                .any(|(p, m)| p == "spec.targetRef.group" && m.contains("in body should match"))
        );
        assert!(
            f.iter()
                .any(|(p, m)| p == "spec.targetRef.kind" && m.contains("in body should match"))
        );
        assert!(
            f.iter()
                .any(|(p, m)| p == "spec.targetRef.name" && m.contains("at least 1 chars"))
        );

        let mut t = target("", "Service", "foo");
        t.namespace = Some("bar".into());
        let f = run(|ctx| check_target_ref(&t, "spec.targetRef", ctx));
        assert!(f.iter().any(|(_, p, m)| p == "spec.targetRef.namespace"
            && m == "cross namespace referencing is not currently supported"));
        t.namespace = Some(String::new());
        assert!(run(|ctx| check_target_ref(&t, "spec.targetRef", ctx)).is_empty());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        assert!(validate_fqdn("reviews.default.svc.cluster.local").is_ok());
        assert!(validate_fqdn("istio.io.").is_ok());
        assert!(validate_fqdn("a.123").is_err());
        assert!(validate_fqdn("").is_err());
        assert!(validate_fqdn("bad_host.com").is_err());
        assert!(validate_wildcard_domain("*.example.com").is_ok());
        assert!(validate_wildcard_domain("*").is_ok());
        assert!(validate_wildcard_domain("*foo.example.com").is_ok());
        assert!(validate_wildcard_domain("foo.*.com").is_err());
        assert!(validate_partial_wildcard("*.example.com").is_ok());
        assert!(validate_partial_wildcard("*example.com").is_err());
    }

    #[test]
    fn ports_ips_and_subnets() {
        assert!(validate_port(0).is_err());
        assert!(validate_port(65535).is_ok());
        assert!(validate_port(65536).is_err());
        assert!(validate_ip("10.0.0.1").is_ok());
        assert!(validate_ip("fe80::1%eth0").is_ok());
        assert!(validate_ip("10.0.0.256").is_err());
        assert!(validate_ip_subnet("10.0.0.0/8").is_ok());
        assert!(validate_ip_subnet("2001:db8::/32").is_ok());
        assert!(validate_ip_subnet("10.0.0.0/33").is_err());
        assert!(validate_ip_subnet("10.0.0.0/8/8").is_err());
    }

    #[test]
    fn labels() {
        let mut m = BTreeMap::new();
        m.insert("app.kubernetes.io/name".to_string(), "reviews".to_string());
        m.insert("version".to_string(), "".to_string());
        assert!(validate_labels(&m).is_empty());
        m.insert("bad key!".to_string(), "x".to_string());
        m.insert("k".to_string(), "-bad".to_string());
        assert_eq!(validate_labels(&m).len(), 2);
    }

    #[test]
    fn durations() {
        assert!(validate_duration(&Duration("1s".into())).is_ok());
        assert!(validate_duration(&Duration("0.5ms".into())).is_err());
        assert!(validate_duration(&Duration("1.0001s".into())).is_err());
    }

    #[test]
    fn export_to() {
        let v = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(validate_export_to("ns", &v(&[".", "other"]), false, false).is_empty());
        assert_eq!(
            validate_export_to("ns", &v(&[".", "ns"]), false, false).len(),
            1
        );
        assert_eq!(
            validate_export_to("ns", &v(&["*", "a"]), false, false).len(),
            1
        );
        assert_eq!(validate_export_to("ns", &v(&["~"]), false, false).len(), 1);
        assert!(validate_export_to("ns", &v(&["~"]), true, false).is_empty());
        assert_eq!(
            validate_export_to("ns", &v(&["other"]), false, true).len(),
            1
        );
    }

    #[test]
    fn header_values() {
        assert!(validate_header_value("foo").is_ok());
        assert!(validate_header_value("%HOSTNAME%").is_ok());
        assert!(validate_header_value("100%%").is_ok());
        assert!(validate_header_value("abc%123").is_err());
        assert!(validate_header_value("%START_TIME%%").is_err());
        assert!(validate_header_value("a\u{1}b").is_err());
        assert!(is_header_token("x-request-id"));
        assert!(!is_header_token("bad header"));
    }

    #[test]
    fn re2_dialect() {
        assert!(validate_re2("^/api/v[0-9]+/.*").is_ok());
        assert!(validate_re2("[a-z&&[^aeiou]]").is_err());
        assert!(validate_re2(r"\<word\>").is_err());
        assert!(validate_re2("(unclosed").is_err());
        assert!(validate_re2("a&&b").is_ok());
    }
}
