//! Admission rules for ServiceEntry: the CRD schema constraints (sizes, CEL rules on hosts,
//! ports, addresses, endpoints and resolution) and istiod's `ValidateServiceEntry` webhook.

use std::collections::{BTreeMap, BTreeSet};

use super::Ctx;
use super::codes::*;
use super::common::{
    Protocol, is_dns1123_label, validate_alpha_selector, validate_export_to, validate_fqdn,
    validate_ip, validate_ip_subnet, validate_labels, validate_partial_wildcard,
    validate_wildcard_domain,
};
use super::crd::port_in_range;
use super::workload::{check_endpoint_ports, check_entry_schema, validate_workload_entry};
use crate::model::networking::ServiceEntry;
use crate::model::networking::service_entry::{Location, Resolution};

/// The label that opts a ServiceEntry out of automatic IP allocation.
const AUTOALLOCATE_LABEL: &str = "networking.istio.io/enable-autoallocate-ip";
/// The label that attaches a resource to a waypoint proxy.
const USE_WAYPOINT_LABEL: &str = "istio.io/use-waypoint";

pub fn validate(spec: &ServiceEntry, ctx: &mut Ctx<'_>) {
    let resolution = spec.resolution();
    validate_selector(spec, ctx);
    if spec.workload_selector.is_some() && !spec.endpoints.is_empty() {
        ctx.report(
            SE_ENDPOINTS,
            "spec",
            "only one of WorkloadSelector or Endpoints can be set",
        );
    }
    validate_hosts(spec, resolution, ctx);
    validate_addresses(spec, resolution, ctx);
    let service_ports = validate_ports(spec, resolution, ctx);

    for (i, endpoint) in spec.endpoints.iter().enumerate() {
        check_entry_schema(endpoint, &format!("spec.endpoints[{i}]"), true, ctx);
    }

    match resolution {
        Resolution::None => {
            if !spec.endpoints.is_empty() {
                ctx.report(
                    SE_ENDPOINTS,
                    "spec.endpoints",
                    "NONE mode cannot set endpoints",
                );
            }
            if spec.workload_selector.is_some() {
                ctx.report(
                    SE_SELECTOR_IGNORED,
                    "spec.workloadSelector",
                    "workloadSelector should not be set when resolution mode is NONE",
                );
            }
        }
        Resolution::Static => {
            for (i, endpoint) in spec.endpoints.iter().enumerate() {
                let base = format!("spec.endpoints[{i}]");
                validate_workload_entry(endpoint, &base, Some(&service_ports), false, ctx);
            }
        }
        Resolution::Dns | Resolution::DnsRoundRobin => {
            validate_dns(spec, resolution, &service_ports, ctx);
        }
        Resolution::DynamicDns => validate_dynamic_dns(spec, resolution, ctx),
    }

    // With plain TCP a proxy cannot tell the hosts apart (HTTP has the authority, TLS the SNI),
    // unless resolution is NONE and the hosts are ignored.
    if resolution != Resolution::None && spec.hosts().len() > 1 {
        for (i, port) in spec.ports.iter().enumerate() {
            let protocol = Protocol::parse(port.protocol.as_deref().unwrap_or(""));
            if !protocol.is_http() && !protocol.is_tls() {
                ctx.report_with_help(
                    SE_PORTS,
                    format!("spec.ports[{i}]"),
                    "multiple hosts provided with non-HTTP, non-TLS ports",
                    "use one ServiceEntry per host for TCP ports, or resolution NONE",
                );
                break;
            }
        }
    }

    for err in validate_export_to(ctx.namespace, &spec.export_to, true, false) {
        ctx.report(EXPORT_TO, "spec.exportTo", err);
    }
}

fn validate_selector(spec: &ServiceEntry, ctx: &mut Ctx<'_>) {
    let Some(selector) = &spec.workload_selector else {
        return;
    };
    validate_alpha_selector(&selector.labels, "spec.workloadSelector.labels", ctx);
    if selector.labels.is_empty() {
        ctx.report(
            SELECTOR_WITHOUT_LABELS,
            "spec.workloadSelector",
            "service entry: workload selector specified without labels, will be applied to all \
             services in namespace",
        );
    }
}

fn validate_hosts(spec: &ServiceEntry, resolution: Resolution, ctx: &mut Ctx<'_>) {
    // The number of hosts (1 to 256) is a constraint of the model's field.
    for (i, host) in spec.hosts().iter().enumerate() {
        let path = format!("spec.hosts[{i}]");
        if host == "*" {
            ctx.report_with_help(
                SE_HOSTS,
                &path,
                "hostname cannot be wildcard",
                "a ServiceEntry cannot capture every host; list the hosts, or use a prefix \
                 wildcard such as \"*.example.com\"",
            );
            continue;
        }
        ctx.check(SE_HOSTS, &path, validate_wildcard_domain(host));
        if resolution != Resolution::DynamicDns
            && let Err(e) = validate_partial_wildcard(host)
        {
            ctx.report(SE_HOSTS_WARNING, &path, e);
        }
    }
}

fn validate_addresses(spec: &ServiceEntry, resolution: Resolution, ctx: &mut Ctx<'_>) {
    let mut cidr_found = false;
    for (i, address) in spec.addresses.iter().enumerate() {
        let path = format!("spec.addresses[{i}]");
        cidr_found |= address.contains('/');
        ctx.check(SE_ADDRESSES, &path, validate_ip_subnet(address));
    }
    if cidr_found && !matches!(resolution, Resolution::None | Resolution::Static) {
        ctx.report(
            SE_ADDRESSES,
            "spec.addresses",
            "CIDR addresses are allowed only for NONE/STATIC resolution types",
        );
    }
}

/// Checks `ports` and returns the set of port names (for the endpoint checks).
fn validate_ports<'a>(
    spec: &'a ServiceEntry,
    resolution: Resolution,
    ctx: &mut Ctx<'_>,
) -> BTreeSet<&'a str> {
    let auto_allocation = should_auto_allocate_ip(spec, resolution, ctx);
    let mut names: BTreeSet<&str> = BTreeSet::new();
    let mut numbers: BTreeMap<u32, usize> = BTreeMap::new();
    for (i, port) in spec.ports.iter().enumerate() {
        let base = format!("spec.ports[{i}]");
        if let Some(name) = port.name.as_deref() {
            // `ports` is a Kubernetes list-map keyed by name.
            if !names.insert(name) {
                ctx.report(
                    SE_PORTS,
                    &base,
                    format!("Duplicate value: {{\"name\":{name:?}}}"),
                );
            }
            if !is_dns1123_label(name) {
                ctx.report(
                    SE_PORTS,
                    format!("{base}.name"),
                    format!("invalid port name: {name}"),
                );
            }
        }
        if let Some(number) = port.number {
            if let Some(first) = numbers.get(&number) {
                ctx.report_with_help(
                    SE_PORTS,
                    format!("{base}.number"),
                    "port number cannot be duplicated",
                    format!("port {number} is also defined by spec.ports[{first}]"),
                );
            } else {
                numbers.insert(number, i);
            }
            port_in_range(ctx, format!("{base}.number"), number);
        }
        if let Some(target) = port.target_port {
            port_in_range(ctx, format!("{base}.targetPort"), target);
        }
        let protocol = port.protocol.as_deref().unwrap_or("");
        if !protocol.is_empty() && Protocol::parse(protocol) == Protocol::Unsupported {
            ctx.report(
                SE_PORTS,
                format!("{base}.protocol"),
                format!("unsupported protocol: {protocol}"),
            );
        }
        if spec.addresses.is_empty() && !auto_allocation && matches!(protocol, "" | "TCP") {
            ctx.report(
                SE_ADDRESSES_REQUIRED,
                &base,
                "addresses are required for ports serving TCP (or unset) protocol when IP \
                 Autoallocation is not enabled",
            );
        }
    }
    names
}

/// istiod's `ShouldV2AutoAllocateIP` with the feature on (its default): not for resolution
/// NONE, not when the user opted out by label, not when addresses are given.
fn should_auto_allocate_ip(spec: &ServiceEntry, resolution: Resolution, ctx: &Ctx<'_>) -> bool {
    if resolution == Resolution::None {
        return false;
    }
    if ctx
        .meta
        .labels
        .get(AUTOALLOCATE_LABEL)
        .is_some_and(|v| v.eq_ignore_ascii_case("false"))
    {
        return false;
    }
    spec.addresses.is_empty()
}

fn validate_dns(
    spec: &ServiceEntry,
    resolution: Resolution,
    service_ports: &BTreeSet<&str>,
    ctx: &mut Ctx<'_>,
) {
    let mode = resolution.as_str();
    if spec.endpoints.is_empty() {
        for (i, host) in spec.hosts().iter().enumerate() {
            if let Err(e) = validate_fqdn(host) {
                ctx.report(
                    SE_RESOLUTION,
                    format!("spec.hosts[{i}]"),
                    format!(
                        "hosts must be FQDN or contain only prefix wildcards if no endpoints are \
                         provided for resolution mode {mode}, {e}"
                    ),
                );
                break;
            }
        }
    }
    if resolution == Resolution::DnsRoundRobin && spec.endpoints.len() > 1 {
        ctx.report(
            SE_RESOLUTION,
            "spec.endpoints",
            "DNS_ROUND_ROBIN mode cannot have multiple endpoints",
        );
    }
    for (i, endpoint) in spec.endpoints.iter().enumerate() {
        let base = format!("spec.endpoints[{i}]");
        let address = endpoint.address.as_deref().unwrap_or("");
        if validate_ip(address).is_err() && validate_fqdn(address).is_err() {
            ctx.report(
                SE_RESOLUTION,
                format!("{base}.address"),
                format!("endpoint address {address:?} is not a valid FQDN or an IP address"),
            );
        }
        for err in validate_labels(&endpoint.labels) {
            ctx.report(SE_RESOLUTION, format!("{base}.labels"), err);
        }
        check_endpoint_ports(endpoint, &base, service_ports, ctx);
    }
    if !spec.addresses.is_empty() && spec.hosts().len() > 1 {
        let tcp = spec
            .ports
            .iter()
            .position(|p| Protocol::parse(p.protocol.as_deref().unwrap_or("")).is_tcp());
        if let Some(i) = tcp {
            ctx.report(
                SE_RESOLUTION_WARNING,
                format!("spec.ports[{i}]"),
                "service entry can not have more than one host specified simultaneously with \
                 address and tcp port",
            );
        }
    }
}

fn validate_dynamic_dns(spec: &ServiceEntry, resolution: Resolution, ctx: &mut Ctx<'_>) {
    let mode = resolution.as_str();
    for (i, host) in spec.hosts().iter().enumerate() {
        if !host.starts_with('*') {
            ctx.report(
                SE_RESOLUTION,
                format!("spec.hosts[{i}]"),
                format!("host must be wildcarded for resolution mode {mode}"),
            );
        }
    }
    if !spec.addresses.is_empty() {
        ctx.report(
            SE_RESOLUTION,
            "spec.addresses",
            format!(
                "addresses cannot be set for resolution type {mode}. HTTP route domains will only \
                 be generated from the hosts field values"
            ),
        );
    }
    if !spec.endpoints.is_empty() {
        ctx.report(
            SE_RESOLUTION,
            "spec.endpoints",
            format!(
                "endpoints cannot be set for resolution type {mode}. Destination IP address \
                 determined from hosts field values"
            ),
        );
    }
    for (i, port) in spec.ports.iter().enumerate() {
        let protocol = Protocol::parse(port.protocol.as_deref().unwrap_or(""));
        if !matches!(
            protocol,
            Protocol::Http | Protocol::Tls | Protocol::Grpc | Protocol::Http2
        ) {
            ctx.report(
                SE_RESOLUTION,
                format!("spec.ports[{i}].protocol"),
                format!(
                    "only HTTP, TLS, GRPC, and HTTP2 protocols are supported for resolution type \
                     {mode}"
                ),
            );
        }
    }
    if spec.location() == Location::MeshInternal && uses_waypoint(ctx) {
        ctx.report(
            SE_RESOLUTION,
            "spec.location",
            format!(
                "location MESH_INTERNAL with resolution type {mode} is not supported when using \
                 waypoints"
            ),
        );
    }
}

fn uses_waypoint(ctx: &Ctx<'_>) -> bool {
    ctx.meta
        .labels
        .get(USE_WAYPOINT_LABEL)
        .is_some_and(|v| !v.is_empty() && !v.eq_ignore_ascii_case("none"))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::check::validate::{Finding, Level};
    use crate::model::ObjectMeta;

    fn run_in(spec: serde_json::Value, meta: &ObjectMeta) -> Vec<Finding> {
        let mut ctx = Ctx::new(meta, "default");
        let spec: ServiceEntry = serde_json::from_value(spec).expect("test spec");
        validate(&spec, &mut ctx);
        ctx.findings
    }

    /// The whole of `validate` (the schema walk checks the constraints the model declares).
    fn validated(spec: serde_json::Value) -> Vec<Finding> {
        crate::check::validate::testing::validate_spec(
            "networking.istio.io/v1",
            "ServiceEntry",
            spec,
        )
    }

    fn run(spec: serde_json::Value) -> Vec<Finding> {
        run_in(spec, &ObjectMeta::default())
    }

    fn errors(findings: &[Finding]) -> Vec<&Finding> {
        findings
            .iter()
            .filter(|f| f.level == Level::Error)
            .collect()
    }

    use crate::check::validate::testing::has;

    #[test]
    fn accepted_entries() {
        for spec in [
            json!({"hosts": ["example.com"], "workloadSelector": {"labels": {"foo": "bar"}},
                   "addresses": ["1.2.3.4", "001:db8::"], "exportTo": ["foo", "."],
                   "location": "MESH_EXTERNAL",
                   "ports": [{"name": "foo", "protocol": "HTTP", "number": 1234,
                              "targetPort": 2345}],
                   "subjectAltNames": ["sa"], "resolution": "DNS"}),
            json!({"hosts": ["example.com"], "endpoints": [{"address": "sub.example.com"}],
                   "ports": [{"name": "foo", "protocol": "HTTP", "number": 1234}],
                   "resolution": "DNS"}),
            json!({"hosts": ["example.com"], "addresses": ["1.1.1.1/32"]}),
            json!({"hosts": ["*.example.com"], "resolution": "DYNAMIC_DNS",
                   "ports": [{"name": "https", "protocol": "TLS", "number": 443}]}),
            json!({"hosts": ["a.example.com", "b.example.com"], "resolution": "DNS",
                   "ports": [{"name": "https", "protocol": "HTTPS", "number": 443}]}),
            json!({"hosts": ["db.internal"], "resolution": "STATIC",
                   "addresses": ["10.0.0.0/24"],
                   "ports": [{"name": "tcp", "protocol": "TCP", "number": 5432}],
                   "endpoints": [{"address": "10.0.0.1", "ports": {"tcp": 5433}},
                                 {"address": "unix:///var/run/db.sock"}]}),
        ] {
            let findings = run(spec.clone());
            assert!(errors(&findings).is_empty(), "{spec}: {findings:?}");
        }
    }

    #[test]
    fn weird_but_accepted_entries_warn() {
        let f = run(json!({"hosts": ["example.com"], "workloadSelector": {}}));
        assert!(errors(&f).is_empty(), "{f:?}");
        assert!(has(
            &f,
            Level::Warning,
            "spec.workloadSelector",
            "without labels"
        ));
        let f = run(json!({"hosts": ["*x"]}));
        assert!(errors(&f).is_empty(), "{f:?}");
        assert!(has(&f, Level::Warning, "spec.hosts[0]", "partial wildcard"));
    }

    #[test]
    fn host_rules() {
        let f = validated(json!({"hosts": ["*"]}));
        assert!(has(
            &f,
            Level::Error,
            "spec.hosts[0]",
            "hostname cannot be wildcard"
        ));
        let f = validated(json!({"hosts": []}));
        assert!(has(&f, Level::Error, "spec.hosts", "at least 1 items"));
        // An absent list is the schema walker's "Required value", reported once.
        let f = validated(json!({}));
        assert_eq!(errors(&f).len(), 1, "{f:?}");
        assert!(has(&f, Level::Error, "spec.hosts", "Required value"));
        let f = validated(json!({"hosts": ["foo.*.com"]}));
        assert!(has(&f, Level::Error, "spec.hosts[0]", "invalid"));
        let f = validated(json!({"hosts": ["*.example.com"], "resolution": "DNS"}));
        assert!(has(&f, Level::Error, "spec.hosts[0]", "hosts must be FQDN"));
        let f = validated(json!({"hosts": ["*.example.com"], "resolution": "DNS",
                           "endpoints": [{"address": "1.2.3.4"}]}));
        assert!(errors(&f).is_empty(), "{f:?}");
    }

    #[test]
    fn selector_rules() {
        let f = run(json!({"hosts": ["example.com"],
                           "workloadSelector": {"labels": {"val": "*"}}}));
        assert!(has(
            &f,
            Level::Error,
            "spec.workloadSelector.labels[\"val\"]",
            "wildcard"
        ));
        let f = run(json!({"hosts": ["example.com"], "workloadSelector": {"labels": {"": "x"}}}));
        assert!(has(
            &f,
            Level::Error,
            "spec.workloadSelector.labels[\"\"]",
            "empty key"
        ));
        let f = run(json!({"hosts": ["example.com"], "workloadSelector": {},
                           "endpoints": [{"address": "1.2.3.4"}]}));
        assert!(has(
            &f,
            Level::Error,
            "spec",
            "only one of WorkloadSelector or Endpoints"
        ));
        let f = run(json!({"hosts": ["example.com"], "resolution": "NONE",
                           "workloadSelector": {"labels": {"a": "b"}}}));
        assert!(has(
            &f,
            Level::Warning,
            "spec.workloadSelector",
            "resolution mode is NONE"
        ));
    }

    #[test]
    fn address_rules() {
        let f = run(
            json!({"hosts": ["example.com"], "addresses": ["1.2.3.4/16"],
                           "resolution": "DNS"}),
        );
        assert!(has(
            &f,
            Level::Error,
            "spec.addresses",
            "CIDR addresses are allowed only"
        ));
        let f = run(json!({"hosts": ["example.com"], "addresses": ["1.2.3.4/99"]}));
        assert!(has(
            &f,
            Level::Error,
            "spec.addresses[0]",
            "not a valid CIDR block"
        ));
        let f = run(json!({"hosts": ["example.com"], "addresses": ["nope"]}));
        assert!(has(&f, Level::Error, "spec.addresses[0]", "not a valid IP"));
    }

    #[test]
    fn port_rules() {
        let f = run(json!({"hosts": ["example.com"], "ports": [
            {"name": "a", "number": 1}, {"name": "a", "number": 12}]}));
        assert!(has(&f, Level::Error, "spec.ports[1]", "Duplicate value"));
        let f = run(json!({"hosts": ["example.com"], "ports": [
            {"name": "a", "number": 1}, {"name": "b", "number": 1}]}));
        assert!(has(
            &f,
            Level::Error,
            "spec.ports[1].number",
            "cannot be duplicated"
        ));
        let f = run(json!({"hosts": ["example.com"], "ports": [{"name": "a", "number": 99999}]}));
        assert!(has(
            &f,
            Level::Error,
            "spec.ports[0].number",
            "between 1-65535"
        ));
        let f = run(json!({"hosts": ["example.com"], "ports": [
            {"name": "a", "number": 1, "targetPort": 99999}]}));
        assert!(has(
            &f,
            Level::Error,
            "spec.ports[0].targetPort",
            "between 1-65535"
        ));
        let f = run(json!({"hosts": ["example.com"], "ports": [
            {"name": "a_b", "number": 1, "protocol": "SMTP"}]}));
        assert!(has(
            &f,
            Level::Error,
            "spec.ports[0].name",
            "invalid port name"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.ports[0].protocol",
            "unsupported protocol"
        ));
    }

    #[test]
    fn tcp_ports_without_addresses_warn_unless_allocated() {
        let tcp = json!({"hosts": ["example.com"], "ports": [{"name": "t", "number": 9000}]});
        let f = run(tcp.clone());
        assert!(has(
            &f,
            Level::Warning,
            "spec.ports[0]",
            "addresses are required"
        ));
        let mut dns = tcp.clone();
        dns["resolution"] = json!("DNS");
        let f = run(dns.clone());
        assert!(f.is_empty(), "{f:?}");
        let mut meta = ObjectMeta::default();
        meta.labels
            .insert(AUTOALLOCATE_LABEL.to_string(), "False".to_string());
        let f = run_in(dns, &meta);
        assert!(has(
            &f,
            Level::Warning,
            "spec.ports[0]",
            "addresses are required"
        ));
    }

    #[test]
    fn multiple_hosts_need_http_or_tls() {
        let f = run(json!({"hosts": ["a.com", "b.com"], "resolution": "DNS",
                           "ports": [{"name": "t", "number": 9000, "protocol": "TCP"}]}));
        assert!(has(&f, Level::Error, "spec.ports[0]", "multiple hosts"));
        let f = run(
            json!({"hosts": ["a.com", "b.com"], "addresses": ["10.0.0.1"],
                           "ports": [{"name": "t", "number": 9000, "protocol": "TCP"}]}),
        );
        assert!(errors(&f).is_empty(), "{f:?}");
        let f = run(json!({"hosts": ["a.com", "b.com"], "resolution": "DNS",
                           "addresses": ["10.0.0.1"],
                           "ports": [{"name": "t", "number": 443, "protocol": "TLS"}]}));
        assert!(has(
            &f,
            Level::Warning,
            "spec.ports[0]",
            "more than one host"
        ));
    }

    #[test]
    fn endpoint_rules() {
        let f = run(json!({"hosts": ["example.com"], "resolution": "NONE",
                           "endpoints": [{"address": "1.2.3.4"}]}));
        assert!(has(
            &f,
            Level::Error,
            "spec.endpoints",
            "NONE mode cannot set endpoints"
        ));
        let f = run(
            json!({"hosts": ["example.com"], "resolution": "DNS_ROUND_ROBIN",
                           "endpoints": [{"address": "a.example.com"},
                                         {"address": "b.example.com"}]}),
        );
        assert!(has(
            &f,
            Level::Error,
            "spec.endpoints",
            "cannot have multiple endpoints"
        ));
        let f = run(json!({"hosts": ["example.com"], "resolution": "STATIC",
                           "endpoints": [{"address": "a.example.com"}]}));
        assert!(has(
            &f,
            Level::Error,
            "spec.endpoints[0].address",
            "not a valid IP address"
        ));
        let f = run(json!({"hosts": ["example.com"], "resolution": "DNS",
                           "ports": [{"name": "http", "number": 80, "protocol": "HTTP"}],
                           "endpoints": [{"address": "bad_host", "ports": {"grpc": 81}}]}));
        assert!(has(
            &f,
            Level::Error,
            "spec.endpoints[0].address",
            "not a valid FQDN"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.endpoints[0].ports[\"grpc\"]",
            "not defined"
        ));
        let f = run(json!({"hosts": ["example.com"], "resolution": "STATIC",
                           "endpoints": [{"labels": {"a": "b"}}]}));
        assert!(has(
            &f,
            Level::Error,
            "spec.endpoints[0]",
            "Address is required"
        ));
        let f = run(json!({"hosts": ["example.com"], "resolution": "STATIC",
                           "endpoints": [{"address": "unix://rel"}]}));
        assert!(has(
            &f,
            Level::Error,
            "spec.endpoints[0].address",
            "UDS must be"
        ));
    }

    #[test]
    fn dynamic_dns_rules() {
        let f = run(
            json!({"hosts": ["example.com"], "resolution": "DYNAMIC_DNS",
                           "addresses": ["1.2.3.4"], "endpoints": [{"address": "1.2.3.4"}],
                           "ports": [{"name": "t", "number": 1, "protocol": "TCP"}]}),
        );
        assert!(has(&f, Level::Error, "spec.hosts[0]", "must be wildcarded"));
        assert!(has(
            &f,
            Level::Error,
            "spec.addresses",
            "addresses cannot be set"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.endpoints",
            "endpoints cannot be set"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.ports[0].protocol",
            "only HTTP, TLS, GRPC"
        ));
        let mut meta = ObjectMeta::default();
        meta.labels
            .insert(USE_WAYPOINT_LABEL.to_string(), "waypoint".to_string());
        let spec = json!({"hosts": ["*.example.com"], "resolution": "DYNAMIC_DNS",
                          "location": "MESH_INTERNAL"});
        let f = run_in(spec.clone(), &meta);
        assert!(has(
            &f,
            Level::Error,
            "spec.location",
            "not supported when using waypoints"
        ));
        let f = run(spec);
        assert!(errors(&f).is_empty(), "{f:?}");
    }

    #[test]
    fn export_to_rules() {
        let f = run(json!({"hosts": ["example.com"], "exportTo": ["default", "."]}));
        assert!(has(
            &f,
            Level::Error,
            "spec.exportTo",
            ". and current namespace"
        ));
        let f = run(json!({"hosts": ["example.com"], "exportTo": ["a", "a"]}));
        assert!(has(&f, Level::Error, "spec.exportTo", "duplicate entries"));
        let f = run(json!({"hosts": ["example.com"], "exportTo": ["*", "a"]}));
        assert!(has(&f, Level::Error, "spec.exportTo", "both public"));
        let f = run(json!({"hosts": ["example.com"], "exportTo": ["~", "a"]}));
        assert!(has(
            &f,
            Level::Error,
            "spec.exportTo",
            "no one (~) and someone"
        ));
        let f = run(json!({"hosts": ["example.com"], "exportTo": ["~"]}));
        assert!(errors(&f).is_empty(), "{f:?}");
        let f = run(json!({"hosts": ["example.com"], "exportTo": ["Not_A_Label"]}));
        assert!(has(
            &f,
            Level::Error,
            "spec.exportTo",
            "valid DNS 1123 label"
        ));
    }

    #[test]
    fn protocol_parsing() {
        assert_eq!(Protocol::parse("http"), Protocol::Http);
        assert_eq!(Protocol::parse("GRPC-Web"), Protocol::GrpcWeb);
        assert_eq!(Protocol::parse("DoubleHBONE"), Protocol::Unsupported);
        assert!(Protocol::parse("HTTPS").is_tls());
        assert!(Protocol::parse("mysql").is_tcp());
        assert!(!Protocol::parse("").is_http());
    }
}
