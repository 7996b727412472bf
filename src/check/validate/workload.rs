//! Admission rules for WorkloadEntry and WorkloadGroup: the CRD schema constraints (lengths,
//! sizes, CEL rules on Unix domain socket addresses and ports) and the rules of istiod's
//! `ValidateWorkloadEntry` / `ValidateWorkloadGroup` webhooks.
//!
//! The WorkloadEntry rules are shared with ServiceEntry, whose `endpoints` are WorkloadEntries;
//! so are the Kubernetes-style schema helpers at the end of this file.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use regex::Regex;

use super::Ctx;
use super::codes::*;
use super::common::{UNIX_PREFIX, validate_fqdn, validate_ip, validate_labels};
use super::crd::port_in_range;
use crate::model::constraints::HEADER_TOKEN;
use crate::model::networking::workload::{
    ExecHealthCheckConfig, HttpHealthCheckConfig, ReadinessProbe, WorkloadGroupMetadata,
};
use crate::model::networking::{WorkloadEntry, WorkloadGroup};

static PORT_NAME_RE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new("^[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?$").ok());
static PROBE_HEADER_NAME_RE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new("^[-A-Za-z0-9]+$").ok());

fn matches(re: &LazyLock<Option<Regex>>, s: &str) -> bool {
    re.as_ref().is_some_and(|r| r.is_match(s))
}

pub fn validate_entry(spec: &WorkloadEntry, ctx: &mut Ctx<'_>) {
    check_entry_schema(spec, "spec", true, ctx);
    validate_workload_entry(spec, "spec", None, true, ctx);
}

pub fn validate_group(spec: &WorkloadGroup, ctx: &mut Ctx<'_>) {
    if let Some(meta) = &spec.metadata {
        validate_group_metadata(meta, ctx);
    }
    // istiod deliberately does not run the WorkloadEntry rules on the template (its address and
    // some other fields are filled in when a workload registers); only the CRD schema applies,
    // without its "Address is required" rule.
    if let Some(template) = &spec.template {
        check_entry_schema(template, "spec.template", false, ctx);
    }
    if let Some(probe) = &spec.probe {
        validate_probe(probe, "spec.probe", ctx);
    }
}

fn validate_group_metadata(meta: &WorkloadGroupMetadata, ctx: &mut Ctx<'_>) {
    for err in validate_labels(&meta.labels) {
        ctx.report(
            WORKLOAD_GROUP_METADATA,
            "spec.metadata.labels",
            format!("invalid labels: {err}"),
        );
    }
}

/// The CRD's CEL rules on a WorkloadEntry (standalone, ServiceEntry endpoint or WorkloadGroup
/// template); its lengths and map sizes are constraints of the model's fields.
/// `address_required` is the object-level CEL rule that WorkloadGroup templates are exempt
/// from.
pub(super) fn check_entry_schema(
    we: &WorkloadEntry,
    base: &str,
    address_required: bool,
    ctx: &mut Ctx<'_>,
) {
    if address_required && we.address.is_none() && we.network.is_none() {
        ctx.report(WORKLOAD_ENTRY, base, "Address is required");
    }
    let address = we.address.as_deref().unwrap_or("");
    if let Some(addr) = &we.address {
        let path = format!("{base}.address");
        if let Some(socket) = addr.strip_prefix(UNIX_PREFIX) {
            if !(socket.starts_with('/') || socket.starts_with('@')) {
                ctx.report(
                    WORKLOAD_ENTRY,
                    &path,
                    "UDS must be an absolute path or abstract socket",
                );
            }
            if addr.ends_with('/') {
                ctx.report(WORKLOAD_ENTRY, &path, "UDS may not be a dir");
            }
        }
    }
    if address.starts_with(UNIX_PREFIX) && !we.ports.is_empty() {
        ctx.report(
            WORKLOAD_ENTRY,
            format!("{base}.ports"),
            "UDS may not include ports",
        );
    }
    check_port_map(&we.ports, &format!("{base}.ports"), ctx);
}

/// The `ports` map of a WorkloadEntry: valid names, ports in range (the number of entries is a
/// constraint of the model's field).
fn check_port_map(ports: &BTreeMap<String, u32>, path: &str, ctx: &mut Ctx<'_>) {
    for (name, port) in ports {
        let entry = format!("{path}[{name:?}]");
        // The CRD rule is stricter than istiod's DNS-1123 label check (fewer than 63
        // characters rather than at most 63); it is the one the API server applies first.
        if name.chars().count() >= 63 || !matches(&PORT_NAME_RE, name) {
            ctx.report_with_help(
                WORKLOAD_ENTRY,
                &entry,
                "port name must be valid",
                format!(
                    "port name {name:?} must be a DNS-1123 label shorter than 63 characters \
                     (letters, digits and '-', starting and ending with a letter or digit)"
                ),
            );
        }
        port_in_range(ctx, &entry, *port);
    }
}

/// istiod's `validateWorkloadEntry`, for a standalone WorkloadEntry and for the endpoints of a
/// STATIC ServiceEntry (`service_ports` = the names of the ServiceEntry's ports). Findings the
/// CRD schema already reports (see [`check_entry_schema`]) are not repeated.
pub(super) fn validate_workload_entry(
    we: &WorkloadEntry,
    base: &str,
    service_ports: Option<&BTreeSet<&str>>,
    allow_fqdn: bool,
    ctx: &mut Ctx<'_>,
) {
    let address = we.address.as_deref().unwrap_or("");
    let network = we.network.as_deref().unwrap_or("");
    if address.is_empty() {
        if network.is_empty() {
            // With both fields absent the CRD's "Address is required" already fired.
            if we.address.is_some() || we.network.is_some() {
                ctx.report(WORKLOAD_ENTRY, base, "address is required");
            }
            return;
        }
        ctx.report(
            WORKLOAD_ENTRY_WARNING,
            format!("{base}.address"),
            format!("address is unset with network {network:?}"),
        );
    }

    let unix = address.starts_with(UNIX_PREFIX);
    // Unix socket paths and ports are covered by the CRD rules of `check_entry_schema`, which
    // reject a superset of what istiod's `ValidateUnixAddress` rejects.
    if !unix && !address.is_empty() && validate_ip(address).is_err() {
        if !allow_fqdn {
            ctx.report(
                WORKLOAD_ENTRY,
                format!("{base}.address"),
                format!("endpoint address {address:?} is not a valid IP address"),
            );
        } else if validate_fqdn(address).is_err() {
            ctx.report(
                WORKLOAD_ENTRY,
                format!("{base}.address"),
                format!("endpoint address {address:?} is not a valid FQDN or an IP address"),
            );
        }
    }

    if let Some(defined) = service_ports {
        check_endpoint_ports(we, base, defined, ctx);
    }
    for err in validate_labels(&we.labels) {
        ctx.report(WORKLOAD_ENTRY, format!("{base}.labels"), err);
    }
    if unix && service_ports.is_some_and(|p| p.len() != 1) {
        ctx.report(
            WORKLOAD_ENTRY,
            format!("{base}.address"),
            "exactly 1 service port required for unix endpoints",
        );
    }
}

/// istiod's rule that every port of a ServiceEntry endpoint names one of the entry's ports.
pub(super) fn check_endpoint_ports(
    we: &WorkloadEntry,
    base: &str,
    service_ports: &BTreeSet<&str>,
    ctx: &mut Ctx<'_>,
) {
    for (name, port) in &we.ports {
        if !service_ports.contains(name.as_str()) {
            ctx.report(
                WORKLOAD_ENTRY,
                format!("{base}.ports[{name:?}]"),
                format!(
                    "endpoint port {port} is not defined by the service entry (no service port \
                     is named {name:?})"
                ),
            );
        }
    }
}

fn validate_probe(probe: &ReadinessProbe, base: &str, ctx: &mut Ctx<'_>) {
    // The schema walker reports two methods at once; the webhook then needs exactly one of
    // httpGet, tcpSocket and exec: it has no case for grpc, which it therefore rejects.
    if let Some(http) = &probe.http_get {
        validate_http_probe(http, &format!("{base}.httpGet"), ctx);
    }
    if let Some(tcp) = &probe.tcp_socket
        && let Some(port) = tcp.port
    {
        port_in_range(ctx, format!("{base}.tcpSocket.port"), port);
    }
    if let Some(exec) = &probe.exec {
        validate_exec_probe(exec, &format!("{base}.exec"), ctx);
    }
    if let Some(grpc) = &probe.grpc {
        if let Some(port) = grpc.port {
            port_in_range(ctx, format!("{base}.grpc.port"), port);
        }
        ctx.report_with_help(
            WORKLOAD_GROUP_PROBE,
            format!("{base}.grpc"),
            "unknown health check method grpc",
            "istiod's webhook only accepts httpGet, tcpSocket and exec readiness probes",
        );
    }
    if probe.http_get.is_none()
        && probe.tcp_socket.is_none()
        && probe.exec.is_none()
        && probe.grpc.is_none()
    {
        ctx.report_with_help(
            WORKLOAD_GROUP_PROBE,
            base,
            "unknown health check method: the probe sets none of httpGet, tcpSocket or exec",
            "istiod's webhook requires a readiness probe to set exactly one health check method",
        );
    }
}

fn validate_http_probe(http: &HttpHealthCheckConfig, base: &str, ctx: &mut Ctx<'_>) {
    if let Some(port) = http.port {
        port_in_range(ctx, format!("{base}.port"), port);
    }
    if let Some(scheme) = &http.scheme
        && !matches!(scheme.as_str(), "" | "HTTP" | "HTTPS")
    {
        ctx.report(
            WORKLOAD_GROUP_PROBE,
            format!("{base}.scheme"),
            "scheme must be one of [HTTP, HTTPS]",
        );
    }
    for (i, header) in http.http_headers.iter().enumerate() {
        let path = format!("{base}.httpHeaders[{i}].name");
        match header.name.as_deref() {
            None => ctx.report(WORKLOAD_GROUP_PROBE, &path, "header name cannot be empty"),
            // The CRD's pattern, which the schema walk reports; the webhook's stricter
            // check comes after it.
            Some(name) if !HEADER_TOKEN.is_match(name) => {}
            Some(name) if !matches(&PROBE_HEADER_NAME_RE, name) => ctx.report(
                WORKLOAD_GROUP_PROBE,
                &path,
                format!("header name {name} is not a valid header name"),
            ),
            Some(_) => {}
        }
    }
}

fn validate_exec_probe(exec: &ExecHealthCheckConfig, base: &str, ctx: &mut Ctx<'_>) {
    // An absent `command` is the schema walker's "Required value".
    let Some(command) = &exec.command else {
        return;
    };
    if command.is_empty() {
        ctx.report(
            WORKLOAD_GROUP_PROBE,
            format!("{base}.command"),
            "exec.command is required",
        );
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::check::validate::{Finding, Level};
    use crate::model::ObjectMeta;

    /// The whole of `validate` (the schema walk checks the constraints the model declares).
    fn validated_entry(spec: serde_json::Value) -> Vec<Finding> {
        crate::check::validate::testing::validate_spec(
            "networking.istio.io/v1",
            "WorkloadEntry",
            spec,
        )
    }

    /// The whole of `validate` (the schema walk checks the constraints the model declares).
    fn validated_group(spec: serde_json::Value) -> Vec<Finding> {
        crate::check::validate::testing::validate_spec(
            "networking.istio.io/v1",
            "WorkloadGroup",
            spec,
        )
    }

    fn run_entry(spec: serde_json::Value) -> Vec<Finding> {
        let meta = ObjectMeta::default();
        let mut ctx = Ctx::new(&meta, "default");
        let spec: WorkloadEntry = serde_json::from_value(spec).expect("test spec");
        validate_entry(&spec, &mut ctx);
        ctx.findings
    }

    fn run_group(spec: serde_json::Value) -> Vec<Finding> {
        let meta = ObjectMeta::default();
        let mut ctx = Ctx::new(&meta, "default");
        let spec: WorkloadGroup = serde_json::from_value(spec).expect("test spec");
        validate_group(&spec, &mut ctx);
        ctx.findings
    }

    fn errors(findings: &[Finding]) -> Vec<&Finding> {
        findings
            .iter()
            .filter(|f| f.level == Level::Error)
            .collect()
    }

    use crate::check::validate::testing::has;

    #[test]
    fn valid_entries() {
        for spec in [
            json!({"address": "1.2.3.4", "serviceAccount": "sa", "network": "net",
                   "labels": {"app": "app"}, "ports": {"http": 1}, "weight": 2,
                   "locality": "foo/bar/baz"}),
            json!({"address": "unix://@foo"}),
            json!({"address": "unix:///foo/bar"}),
            json!({"address": "example.com"}),
            json!({"address": "fe80::1"}),
        ] {
            let findings = run_entry(spec.clone());
            assert!(findings.is_empty(), "{spec}: {findings:?}");
        }
    }

    #[test]
    fn network_without_address_is_a_warning() {
        let findings = run_entry(json!({"network": "net"}));
        assert!(errors(&findings).is_empty(), "{findings:?}");
        assert!(has(
            &findings,
            Level::Warning,
            "spec.address",
            "unset with network"
        ));
    }

    #[test]
    fn address_is_required() {
        let findings = run_entry(json!({}));
        assert!(has(&findings, Level::Error, "spec", "Address is required"));
        assert_eq!(errors(&findings).len(), 1, "{findings:?}");
        let findings = run_entry(json!({"address": ""}));
        assert!(has(&findings, Level::Error, "spec", "address is required"));
    }

    #[test]
    fn unix_addresses() {
        let findings = run_entry(json!({"address": "unix:///dir/"}));
        assert!(has(
            &findings,
            Level::Error,
            "spec.address",
            "UDS may not be a dir"
        ));
        let findings = run_entry(json!({"address": "unix://relative"}));
        assert!(has(
            &findings,
            Level::Error,
            "spec.address",
            "absolute path or abstract"
        ));
        let findings = run_entry(json!({"address": "unix://"}));
        assert!(has(
            &findings,
            Level::Error,
            "spec.address",
            "absolute path or abstract"
        ));
        let findings = run_entry(json!({"address": "unix://@foo", "ports": {"http": 80}}));
        assert!(has(
            &findings,
            Level::Error,
            "spec.ports",
            "UDS may not include ports"
        ));
    }

    #[test]
    fn bad_addresses() {
        let findings = validated_entry(json!({"address": "not_a_host!"}));
        assert!(has(
            &findings,
            Level::Error,
            "spec.address",
            "not a valid FQDN or an IP"
        ));
        let long = "a".repeat(257);
        let findings = validated_entry(json!({ "address": long }));
        assert!(has(&findings, Level::Error, "spec.address", "Too long"));
    }

    #[test]
    fn ports_and_labels() {
        let findings = run_entry(json!({"address": "1.1.1.1", "ports": {"http": 99999}}));
        assert!(has(
            &findings,
            Level::Error,
            "spec.ports[\"http\"]",
            "between 1-65535"
        ));
        let findings = run_entry(json!({"address": "1.1.1.1", "ports": {"@": 80}}));
        assert!(has(
            &findings,
            Level::Error,
            "spec.ports[\"@\"]",
            "port name must be valid"
        ));
        let name63 = "a".repeat(63);
        let findings = run_entry(json!({"address": "1.1.1.1", "ports": { name63: 80 }}));
        assert_eq!(errors(&findings).len(), 1, "{findings:?}");
        let findings = run_entry(json!({"address": "1.1.1.1", "labels": {"k": "-bad"}}));
        assert!(has(
            &findings,
            Level::Error,
            "spec.labels",
            "invalid tag value"
        ));
    }

    #[test]
    fn static_endpoint_rules() {
        let meta = ObjectMeta::default();
        let mut ctx = Ctx::new(&meta, "default");
        let we: WorkloadEntry =
            serde_json::from_value(json!({"address": "example.com", "ports": {"tcp": 80}}))
                .expect("test spec");
        let defined: BTreeSet<&str> = ["http"].into_iter().collect();
        validate_workload_entry(&we, "spec.endpoints[0]", Some(&defined), false, &mut ctx);
        let f = &ctx.findings;
        assert!(has(
            f,
            Level::Error,
            "spec.endpoints[0].address",
            "not a valid IP address"
        ));
        assert!(has(
            f,
            Level::Error,
            "spec.endpoints[0].ports[\"tcp\"]",
            "not defined"
        ));

        let mut ctx = Ctx::new(&meta, "default");
        let we: WorkloadEntry =
            serde_json::from_value(json!({"address": "unix:///sock"})).expect("test spec");
        let two: BTreeSet<&str> = ["a", "b"].into_iter().collect();
        validate_workload_entry(&we, "spec.endpoints[0]", Some(&two), false, &mut ctx);
        assert!(has(
            &ctx.findings,
            Level::Error,
            "spec.endpoints[0].address",
            "exactly 1"
        ));
    }

    #[test]
    fn valid_groups() {
        for spec in [
            json!({
                "metadata": {"labels": {"foo": "bar"}, "annotations": {"foo": "bar"}},
                "probe": {"failureThreshold": 2, "initialDelaySeconds": 1, "periodSeconds": 1,
                          "successThreshold": 1, "timeoutSeconds": 1,
                          "httpGet": {"port": 8080, "host": "bar", "scheme": "HTTPS",
                                      "path": "/bar",
                                      "httpHeaders": [{"name": "foo", "value": "bar"}]}},
                "template": {"serviceAccount": "sa", "network": "net", "labels": {"app": "app"},
                             "ports": {"http": 1}, "weight": 2, "locality": "foo/bar/baz"}
            }),
            json!({"probe": {"tcpSocket": {"port": 8080}}, "template": {}}),
            json!({"probe": {"exec": {"command": ["true"]}}, "template": {}}),
            json!({"template": {}}),
        ] {
            let findings = run_group(spec.clone());
            assert!(findings.is_empty(), "{spec}: {findings:?}");
        }
    }

    #[test]
    fn group_probe_rules() {
        let f = validated_group(json!({"probe": {"tcpSocket": {"port": 65536}}, "template": {}}));
        assert!(has(
            &f,
            Level::Error,
            "spec.probe.tcpSocket.port",
            "between 1-65535"
        ));
        let f = validated_group(json!({"probe": {"httpGet": {"port": 80,
            "httpHeaders": [{"name": "**"}]}}, "template": {}}));
        assert!(has(
            &f,
            Level::Error,
            "spec.probe.httpGet.httpHeaders[0].name",
            "spec.probe.httpGet.httpHeaders[0].name in body should match"
        ));
        let f = validated_group(json!({"probe": {"httpGet": {"port": 80,
            "httpHeaders": [{"name": "x_y"}, {"value": "v"}]}}, "template": {}}));
        assert!(has(
            &f,
            Level::Error,
            "spec.probe.httpGet.httpHeaders[0].name",
            "not a valid"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.probe.httpGet.httpHeaders[1].name",
            "empty"
        ));
        let f = validated_group(json!({"probe": {"httpGet": {"port": 80, "scheme": "FTP"}},
            "template": {}}));
        assert!(has(
            &f,
            Level::Error,
            "spec.probe.httpGet.scheme",
            "HTTP, HTTPS"
        ));
        let f = validated_group(
            json!({"probe": {"periodSeconds": -1, "exec": {"command": ["x"]}},
            "template": {}}),
        );
        assert!(has(
            &f,
            Level::Error,
            "spec.probe.periodSeconds",
            "greater than or equal to 0"
        ));
        let f = validated_group(json!({"probe": {"exec": {"command": []}}, "template": {}}));
        assert!(has(
            &f,
            Level::Error,
            "spec.probe.exec.command",
            "exec.command is required"
        ));
        let f = validated_group(json!({"probe": {"exec": {"command": [""]}}, "template": {}}));
        assert!(has(
            &f,
            Level::Error,
            "spec.probe.exec.command[0]",
            "at least 1 chars"
        ));
        let f = validated_group(json!({"probe": {"grpc": {"port": 80}}, "template": {}}));
        assert!(has(
            &f,
            Level::Error,
            "spec.probe.grpc",
            "unknown health check method"
        ));
        let f = validated_group(json!({"probe": {}, "template": {}}));
        assert!(has(
            &f,
            Level::Error,
            "spec.probe",
            "unknown health check method"
        ));
    }

    #[test]
    fn group_template_and_metadata() {
        let f = run_group(json!({"template": {"address": "unix://@x", "ports": {"a": 1}}}));
        assert!(has(
            &f,
            Level::Error,
            "spec.template.ports",
            "UDS may not include ports"
        ));
        let f = run_group(json!({"template": {"ports": {"a_b": 1}}}));
        assert!(has(
            &f,
            Level::Error,
            "spec.template.ports[\"a_b\"]",
            "port name"
        ));
        let f = run_group(json!({"metadata": {"labels": {"bad key!": "x"}}, "template": {}}));
        assert!(has(
            &f,
            Level::Error,
            "spec.metadata.labels",
            "invalid labels"
        ));
        // No "Address is required" for templates, and no webhook address checks.
        let f = run_group(json!({"template": {"address": "not_a_host!"}}));
        assert!(f.is_empty(), "{f:?}");
    }
}
