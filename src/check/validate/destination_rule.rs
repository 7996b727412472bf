//! Admission rules for DestinationRule: the CRD's schema constraints that the structural walk does
//! not cover (item counts, number bounds, CEL rules on durations and selectors), then the checks
//! of istiod's `ValidateDestinationRule` webhook.
//!
//! Where the CRD and the webhook reject the same condition, only the CRD's message is reported:
//! the API server evaluates the schema first and never calls the webhook for such an object.
//!
//! The connection pool rules are shared with Sidecar, the subset name rule with Sidecar's
//! `egressProxy`.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use super::Ctx;
use super::codes::*;
use super::common::{
    check_match_labels, export_to_errors, is_dns1123_label, validate_duration, validate_fqdn,
    validate_ip, validate_labels, validate_percent, validate_port, validate_wildcard_domain,
};
use crate::model::networking::DestinationRule;
use crate::model::networking::destination_rule::{
    ClientTlsMode, ClientTlsSettings, ConnectionPoolSettings, H2UpgradePolicy,
    LoadBalancerSettings, LocalityFailover, LocalityLoadBalancerSetting, OutlierDetection,
    TrafficPolicy, TunnelSettings, ZoneAwareLoadBalancerSetting,
};
use crate::model::schema::Duration;

/// The message of the CRD's `duration(self) >= duration('1ms')` rules.
const CEL_MIN_DURATION: &str = "must be a valid duration greater than 1ms";
const MILLISECOND: i128 = 1_000_000;
/// Kubernetes' topology labels, which zone-aware load balancing handles by itself.
const TOPOLOGY_REGION: &str = "topology.kubernetes.io/region";
const TOPOLOGY_ZONE: &str = "topology.kubernetes.io/zone";
const TOPOLOGY_SUBZONE: &str = "topology.istio.io/subzone";

pub fn validate(spec: &DestinationRule, ctx: &mut Ctx<'_>) {
    // The CRD schema.
    if let Some(tp) = &spec.traffic_policy {
        crd_traffic_policy(tp, "spec.trafficPolicy", ctx);
    }
    for (i, subset) in spec.subsets.iter().enumerate() {
        if let Some(tp) = &subset.traffic_policy {
            crd_traffic_policy(tp, &format!("spec.subsets[{i}].trafficPolicy"), ctx);
        }
    }
    if let Some(selector) = &spec.workload_selector {
        check_match_labels(
            &selector.match_labels,
            "spec.workloadSelector.matchLabels",
            ctx,
        );
    }

    // The webhook.
    ctx.check(DR_HOST, "spec.host", validate_wildcard_domain(&spec.host));
    let namespace = ctx.namespace.to_string();
    if let Some(tp) = &spec.traffic_policy {
        validate_traffic_policy(tp, "spec.trafficPolicy", &namespace, ctx);
    }
    let mut names = HashSet::new();
    for (i, subset) in spec.subsets.iter().enumerate() {
        let path = format!("spec.subsets[{i}]");
        if !names.insert(subset.name.as_str()) {
            ctx.report(
                DR_SUBSETS,
                format!("{path}.name"),
                format!("duplicate subset names: {}", subset.name),
            );
        }
        ctx.check(
            DR_SUBSETS,
            format!("{path}.name"),
            validate_subset_name(&subset.name),
        );
        for e in validate_labels(&subset.labels) {
            ctx.report(DR_SUBSETS, format!("{path}.labels"), e);
        }
        if let Some(tp) = &subset.traffic_policy {
            validate_traffic_policy(tp, &format!("{path}.trafficPolicy"), &namespace, ctx);
        }
    }
    for (entry, message) in export_to_errors(
        &namespace,
        &spec.export_to,
        false,
        spec.workload_selector.is_some(),
    ) {
        match entry {
            Some(i) => ctx.report(EXPORT_TO, format!("spec.exportTo[{i}]"), message),
            None => ctx.report(EXPORT_TO, "spec.exportTo", message),
        }
    }
    if spec
        .workload_selector
        .as_ref()
        .is_some_and(|s| s.match_labels.is_empty())
    {
        ctx.report(
            SELECTOR_WITHOUT_LABELS,
            "spec.workloadSelector",
            "workload selector specified without labels",
        );
    }
}

// ---------------------------------------------------------------------------------------------
// CRD schema constraints
// ---------------------------------------------------------------------------------------------

fn crd_traffic_policy(tp: &TrafficPolicy, path: &str, ctx: &mut Ctx<'_>) {
    if let Some(lb) = &tp.load_balancer {
        crd_load_balancer(lb, &format!("{path}.loadBalancer"), ctx);
    }
    if let Some(cp) = &tp.connection_pool {
        crd_connection_pool(cp, &format!("{path}.connectionPool"), ctx);
    }
    if let Some(od) = &tp.outlier_detection {
        crd_outlier_detection(od, &format!("{path}.outlierDetection"), ctx);
    }
    for (i, pls) in tp.port_level_settings.iter().enumerate() {
        let p = format!("{path}.portLevelSettings[{i}]");
        if let Some(lb) = &pls.load_balancer {
            crd_load_balancer(lb, &format!("{p}.loadBalancer"), ctx);
        }
        if let Some(cp) = &pls.connection_pool {
            crd_connection_pool(cp, &format!("{p}.connectionPool"), ctx);
        }
        if let Some(od) = &pls.outlier_detection {
            crd_outlier_detection(od, &format!("{p}.outlierDetection"), ctx);
        }
    }
}

fn crd_load_balancer(lb: &LoadBalancerSettings, path: &str, ctx: &mut Ctx<'_>) {
    cel_min_duration(
        DR_LOAD_BALANCER,
        &lb.warmup_duration_secs,
        &format!("{path}.warmupDurationSecs"),
        ctx,
    );
    if let Some(warmup) = &lb.warmup {
        cel_min_duration(
            DR_LOAD_BALANCER,
            &warmup.duration,
            &format!("{path}.warmup.duration"),
            ctx,
        );
    }
}

/// The CRD's CEL rules on the durations of a connection pool (DestinationRule and Sidecar).
pub(super) fn crd_connection_pool(cp: &ConnectionPoolSettings, path: &str, ctx: &mut Ctx<'_>) {
    if let Some(http) = &cp.http {
        cel_min_duration(
            DR_CONNECTION_POOL,
            &http.idle_timeout,
            &format!("{path}.http.idleTimeout"),
            ctx,
        );
        if let Some(ka) = &http.http2_keep_alive {
            cel_min_duration(
                DR_CONNECTION_POOL,
                &ka.interval,
                &format!("{path}.http.http2KeepAlive.interval"),
                ctx,
            );
            cel_min_duration(
                DR_CONNECTION_POOL,
                &ka.timeout,
                &format!("{path}.http.http2KeepAlive.timeout"),
                ctx,
            );
        }
    }
    if let Some(tcp) = &cp.tcp {
        cel_min_duration(
            DR_CONNECTION_POOL,
            &tcp.connect_timeout,
            &format!("{path}.tcp.connectTimeout"),
            ctx,
        );
        cel_min_duration(
            DR_CONNECTION_POOL,
            &tcp.max_connection_duration,
            &format!("{path}.tcp.maxConnectionDuration"),
            ctx,
        );
        if let Some(ka) = &tcp.tcp_keepalive {
            cel_min_duration(
                DR_CONNECTION_POOL,
                &ka.time,
                &format!("{path}.tcp.tcpKeepalive.time"),
                ctx,
            );
            cel_min_duration(
                DR_CONNECTION_POOL,
                &ka.interval,
                &format!("{path}.tcp.tcpKeepalive.interval"),
                ctx,
            );
        }
    }
}

fn crd_outlier_detection(od: &OutlierDetection, path: &str, ctx: &mut Ctx<'_>) {
    cel_min_duration(
        DR_OUTLIER_DETECTION,
        &od.base_ejection_time,
        &format!("{path}.baseEjectionTime"),
        ctx,
    );
    cel_min_duration(
        DR_OUTLIER_DETECTION,
        &od.interval,
        &format!("{path}.interval"),
        ctx,
    );
}

/// A CRD `duration(self) >= duration('1ms')` rule. Unparsable durations are left to the
/// schema walk.
pub(super) fn cel_min_duration(rule: Rule, d: &Option<Duration>, path: &str, ctx: &mut Ctx<'_>) {
    if let Some(nanos) = d.as_ref().and_then(Duration::nanos)
        && nanos < MILLISECOND
    {
        ctx.report(rule, path, CEL_MIN_DURATION);
    }
}

// ---------------------------------------------------------------------------------------------
// Webhook rules
// ---------------------------------------------------------------------------------------------

/// istiod's `ValidateDuration` on a field; `cel` tells that a CRD rule already rejects values
/// below 1ms, so only the precision remains to check.
fn webhook_duration(rule: Rule, d: &Option<Duration>, cel: bool, path: &str, ctx: &mut Ctx<'_>) {
    let Some(d) = d else { return };
    if d.nanos().is_none() {
        return; // reported by the schema walk
    }
    if cel && d.nanos().is_some_and(|n| n < MILLISECOND) {
        return;
    }
    ctx.check(rule, path, validate_duration(d));
}

fn validate_traffic_policy(tp: &TrafficPolicy, path: &str, namespace: &str, ctx: &mut Ctx<'_>) {
    if tp.outlier_detection.is_none()
        && tp.connection_pool.is_none()
        && tp.load_balancer.is_none()
        && tp.tls.is_none()
        && tp.port_level_settings.is_empty()
        && tp.tunnel.is_none()
        && tp.proxy_protocol.is_none()
        && tp.retry_budget.is_none()
    {
        ctx.report(
            DR_TRAFFIC_POLICY,
            path,
            "traffic policy must have at least one field",
        );
        return;
    }
    if tp.tunnel.is_some() && tp.proxy_protocol.is_some() {
        ctx.report(
            DR_TRAFFIC_POLICY,
            path,
            "tunnel and proxyProtocol must not be set together",
        );
        return;
    }
    if let Some(od) = &tp.outlier_detection {
        validate_outlier_detection(od, &format!("{path}.outlierDetection"), ctx);
    }
    if let Some(cp) = &tp.connection_pool {
        validate_connection_pool(cp, &format!("{path}.connectionPool"), ctx);
    }
    if let Some(lb) = &tp.load_balancer {
        validate_load_balancer(
            lb,
            tp.outlier_detection.is_some(),
            &format!("{path}.loadBalancer"),
            ctx,
        );
    }
    if let Some(tls) = &tp.tls {
        validate_client_tls(tls, namespace, &format!("{path}.tls"), ctx);
    }
    for (i, pls) in tp.port_level_settings.iter().enumerate() {
        let p = format!("{path}.portLevelSettings[{i}]");
        if pls.port.is_none() {
            ctx.report(
                DR_TRAFFIC_POLICY,
                p.clone(),
                "portTrafficPolicy must have valid port",
            );
        }
        if pls.outlier_detection.is_none()
            && pls.connection_pool.is_none()
            && pls.load_balancer.is_none()
            && pls.tls.is_none()
        {
            ctx.report(
                DR_TRAFFIC_POLICY,
                p,
                "port traffic policy must have at least one field",
            );
            continue;
        }
        if let Some(od) = &pls.outlier_detection {
            validate_outlier_detection(od, &format!("{p}.outlierDetection"), ctx);
        }
        if let Some(cp) = &pls.connection_pool {
            validate_connection_pool(cp, &format!("{p}.connectionPool"), ctx);
        }
        if let Some(lb) = &pls.load_balancer {
            validate_load_balancer(
                lb,
                pls.outlier_detection.is_some(),
                &format!("{p}.loadBalancer"),
                ctx,
            );
        }
        if let Some(tls) = &pls.tls {
            validate_client_tls(tls, namespace, &format!("{p}.tls"), ctx);
        }
    }
    if let Some(tunnel) = &tp.tunnel {
        validate_tunnel(tunnel, &format!("{path}.tunnel"), ctx);
    }
}

fn validate_tunnel(tunnel: &TunnelSettings, path: &str, ctx: &mut Ctx<'_>) {
    if let Some(protocol) = tunnel.protocol.as_deref()
        && !protocol.is_empty()
        && protocol != "CONNECT"
        && protocol != "POST"
    {
        ctx.report(
            DR_TRAFFIC_POLICY,
            format!("{path}.protocol"),
            "tunnel protocol must be \"CONNECT\" or \"POST\"",
        );
    }
    // Absent required fields are reported by the schema walk.
    if let Some(host) = tunnel.target_host.as_deref()
        && let (Err(fqdn), Err(ip)) = (validate_fqdn(host), validate_ip(host))
    {
        ctx.report(
            DR_TRAFFIC_POLICY,
            format!("{path}.targetHost"),
            format!("tunnel target host must be valid FQDN or IP address: {fqdn}; {ip}"),
        );
    }
    if let Some(port) = tunnel.target_port
        && let Err(e) = validate_port(i64::from(port))
    {
        ctx.report(
            DR_TRAFFIC_POLICY,
            format!("{path}.targetPort"),
            format!("tunnel target port is invalid: {e}"),
        );
    }
}

fn validate_outlier_detection(od: &OutlierDetection, path: &str, ctx: &mut Ctx<'_>) {
    webhook_duration(
        DR_OUTLIER_DETECTION,
        &od.base_ejection_time,
        true,
        &format!("{path}.baseEjectionTime"),
        ctx,
    );
    if od.consecutive_errors.unwrap_or(0) != 0 {
        ctx.report(DR_DEPRECATED_FIELD,
            format!("{path}.consecutiveErrors"),
            "outlier detection consecutive errors is deprecated, use consecutiveGatewayErrors or consecutive5xxErrors instead",
        );
    }
    if !od.split_external_local_origin_errors.unwrap_or(false)
        && od.consecutive_local_origin_failures.unwrap_or(0) > 0
    {
        ctx.report(DR_OUTLIER_DETECTION,
            format!("{path}.consecutiveLocalOriginFailures"),
            "outlier detection consecutive local origin failures is specified, but split external local origin errors is set to false",
        );
    }
    webhook_duration(
        DR_OUTLIER_DETECTION,
        &od.interval,
        true,
        &format!("{path}.interval"),
        ctx,
    );
    ctx.check(
        DR_OUTLIER_DETECTION,
        format!("{path}.maxEjectionPercent"),
        validate_percent(i64::from(od.max_ejection_percent.unwrap_or(0))),
    );
    ctx.check(
        DR_OUTLIER_DETECTION,
        format!("{path}.minHealthPercent"),
        validate_percent(i64::from(od.min_health_percent.unwrap_or(0))),
    );
}

/// istiod's `validateConnectionPool` (DestinationRule traffic policies and Sidecar listeners).
pub(super) fn validate_connection_pool(cp: &ConnectionPoolSettings, path: &str, ctx: &mut Ctx<'_>) {
    if cp.http.is_none() && cp.tcp.is_none() {
        ctx.report(
            DR_CONNECTION_POOL,
            path,
            "connection pool must have at least one field",
        );
        return;
    }
    if let Some(http) = &cp.http {
        let p = format!("{path}.http");
        let non_negative = [
            (
                http.http1_max_pending_requests,
                "http1MaxPendingRequests",
                "http1 max pending requests",
            ),
            (
                http.http2_max_requests,
                "http2MaxRequests",
                "http2 max requests",
            ),
            (
                http.max_requests_per_connection,
                "maxRequestsPerConnection",
                "max requests per connection",
            ),
            (http.max_retries, "maxRetries", "max retries"),
            (
                http.max_concurrent_streams,
                "maxConcurrentStreams",
                "max concurrent streams",
            ),
        ];
        for (value, field, what) in non_negative {
            if value.unwrap_or(0) < 0 {
                ctx.report(
                    DR_CONNECTION_POOL,
                    format!("{p}.{field}"),
                    format!("{what} must be non-negative"),
                );
            }
        }
        webhook_duration(
            DR_CONNECTION_POOL,
            &http.idle_timeout,
            true,
            &format!("{p}.idleTimeout"),
            ctx,
        );
        if http.h2_upgrade_policy == Some(H2UpgradePolicy::Upgrade)
            && http.use_client_protocol.unwrap_or(false)
        {
            ctx.report(
                DR_CONNECTION_POOL,
                format!("{p}.useClientProtocol"),
                "use client protocol must not be true when H2UpgradePolicy is UPGRADE",
            );
        }
        if let Some(ka) = &http.http2_keep_alive {
            let kp = format!("{p}.http2KeepAlive");
            if ka.interval.is_none() {
                ctx.report(
                    DR_CONNECTION_POOL,
                    format!("{kp}.interval"),
                    "http2 keepalive interval is required",
                );
            }
            webhook_duration(
                DR_CONNECTION_POOL,
                &ka.interval,
                true,
                &format!("{kp}.interval"),
                ctx,
            );
            if ka.timeout.is_none() {
                ctx.report(
                    DR_CONNECTION_POOL,
                    format!("{kp}.timeout"),
                    "http2 keepalive timeout is required",
                );
            }
            webhook_duration(
                DR_CONNECTION_POOL,
                &ka.timeout,
                true,
                &format!("{kp}.timeout"),
                ctx,
            );
        }
    }
    if let Some(tcp) = &cp.tcp {
        let p = format!("{path}.tcp");
        if tcp.max_connections.unwrap_or(0) < 0 {
            ctx.report(
                DR_CONNECTION_POOL,
                format!("{p}.maxConnections"),
                "max connections must be non-negative",
            );
        }
        webhook_duration(
            DR_CONNECTION_POOL,
            &tcp.connect_timeout,
            true,
            &format!("{p}.connectTimeout"),
            ctx,
        );
        webhook_duration(
            DR_CONNECTION_POOL,
            &tcp.max_connection_duration,
            true,
            &format!("{p}.maxConnectionDuration"),
            ctx,
        );
        // An idle timeout of 0 (whole milliseconds) disables it.
        let disabled = tcp
            .idle_timeout
            .as_ref()
            .and_then(Duration::nanos)
            .is_some_and(|n| n / MILLISECOND == 0);
        if !disabled {
            webhook_duration(
                DR_CONNECTION_POOL,
                &tcp.idle_timeout,
                false,
                &format!("{p}.idleTimeout"),
                ctx,
            );
        }
        if let Some(ka) = &tcp.tcp_keepalive {
            webhook_duration(
                DR_CONNECTION_POOL,
                &ka.time,
                true,
                &format!("{p}.tcpKeepalive.time"),
                ctx,
            );
            webhook_duration(
                DR_CONNECTION_POOL,
                &ka.interval,
                true,
                &format!("{p}.tcpKeepalive.interval"),
                ctx,
            );
        }
    }
}

fn validate_load_balancer(
    lb: &LoadBalancerSettings,
    has_outlier: bool,
    path: &str,
    ctx: &mut Ctx<'_>,
) {
    if let Some(ch) = &lb.consistent_hash {
        let p = format!("{path}.consistentHash");
        if let Some(cookie) = &ch.http_cookie {
            // An absent name is reported by the schema walk (Required value).
            if cookie.name.as_deref() == Some("") {
                ctx.report(
                    DR_LOAD_BALANCER,
                    format!("{p}.httpCookie.name"),
                    "name required for HttpCookie",
                );
            }
            let mut seen = HashSet::new();
            for (i, attr) in cookie.attributes.iter().enumerate() {
                let Some(name) = attr.name.as_deref() else {
                    continue;
                };
                let ap = format!("{p}.httpCookie.attributes[{i}].name");
                if name.is_empty() {
                    ctx.report(
                        DR_LOAD_BALANCER,
                        ap,
                        "cookie attribute name cannot be empty",
                    );
                } else if !seen.insert(name) {
                    ctx.report(
                        DR_LOAD_BALANCER,
                        ap,
                        format!("duplicate cookie attribute name: {name}"),
                    );
                }
            }
        }
        if ch.minimum_ring_size.unwrap_or(0) != 0 {
            ctx.report(DR_DEPRECATED_FIELD,
                format!("{p}.minimumRingSize"),
                "consistent hash MinimumRingSize is deprecated, use ConsistentHashLB's RingHash configuration instead",
            );
            if ch.ring_hash.is_some() || ch.maglev.is_some() {
                ctx.report(
                    DR_LOAD_BALANCER,
                    format!("{p}.minimumRingSize"),
                    "only one of MinimumRingSize or Maglev/Ringhash can be specified",
                );
            }
        }
        if let Some(maglev) = &ch.maglev {
            let mp = format!("{p}.maglev.tableSize");
            let size = maglev.table_size.unwrap_or(0);
            if size == 0 {
                ctx.report(
                    DR_LOAD_BALANCER,
                    mp.clone(),
                    "tableSize must be set for maglev",
                );
            }
            if size >= 5_000_011 {
                ctx.report(
                    DR_LOAD_BALANCER,
                    mp.clone(),
                    "tableSize must be less than 5000011 for maglev",
                );
            }
            if !is_prime(size) {
                ctx.report(
                    DR_LOAD_BALANCER,
                    mp,
                    "tableSize must be a prime number for maglev",
                );
            }
        }
    }
    if lb.locality_lb_setting.is_some() && lb.zone_aware_lb_setting.is_some() {
        ctx.report(
            DR_LOCALITY_LB,
            path,
            "only one of localityLbSetting and zoneAwareLbSetting can be set",
        );
    }
    if let Some(locality) = &lb.locality_lb_setting {
        validate_locality_lb(
            locality,
            has_outlier,
            &format!("{path}.localityLbSetting"),
            ctx,
        );
    }
    if let Some(zone) = &lb.zone_aware_lb_setting {
        validate_zone_aware_lb(
            zone,
            has_outlier,
            &format!("{path}.zoneAwareLbSetting"),
            ctx,
        );
    }
    if let Some(warmup) = &lb.warmup {
        // A missing duration is reported by the schema walk (Required value), values outside
        // the CRD's bounds by the CRD rules above.
        webhook_duration(
            DR_LOAD_BALANCER,
            &warmup.duration,
            true,
            &format!("{path}.warmup.duration"),
            ctx,
        );
        if warmup.aggression == Some(0.0) {
            ctx.report(
                DR_LOAD_BALANCER,
                format!("{path}.warmup.aggression"),
                "aggression should be greater than 0",
            );
        }
    }
}

/// Envoy's primality test, which istiod uses for Maglev table sizes (0 is not prime, 1 is).
fn is_prime(x: u64) -> bool {
    if x != 0 && x < 4 {
        return true;
    }
    if x & 1 == 0 {
        return false;
    }
    let mut factor = 3u64;
    while factor.saturating_mul(factor) <= x {
        if x.is_multiple_of(factor) {
            return false;
        }
        factor += 2;
    }
    true
}

fn validate_locality_lb(
    lb: &LocalityLoadBalancerSetting,
    has_outlier: bool,
    path: &str,
    ctx: &mut Ctx<'_>,
) {
    if !lb.distribute.is_empty() && !lb.failover.is_empty() {
        ctx.report(
            DR_LOCALITY_LB,
            path,
            "can not simultaneously specify 'distribute' and 'failover'",
        );
        return;
    }
    if !lb.failover.is_empty()
        && let Some(label) = lb
            .failover_priority
            .iter()
            .find(|l| [TOPOLOGY_REGION, TOPOLOGY_ZONE, TOPOLOGY_SUBZONE].contains(&l.as_str()))
    {
        ctx.report(DR_LOCALITY_LB,
            format!("{path}.failoverPriority"),
            format!(
                "can not simultaneously set 'failover' and topology label '{label}' in 'failover_priority'"
            ),
        );
        return;
    }

    let mut sources = Vec::new();
    for (i, d) in lb.distribute.iter().enumerate() {
        let p = format!("{path}.distribute[{i}]");
        sources.push(d.from.clone().unwrap_or_default());
        // The map is visited in key order (istiod's order is Go's random map order).
        if d.to.values().any(|w| *w == 0 || *w > 100) {
            ctx.report(
                DR_LOCALITY_LB,
                format!("{p}.to"),
                "locality weight must be in range [1, 100]",
            );
            return;
        }
        let total: u64 = d.to.values().map(|w| u64::from(*w)).sum();
        if total != 100 {
            ctx.report(
                DR_LOCALITY_LB,
                format!("{p}.to"),
                format!("total locality weight {total} != 100"),
            );
            return;
        }
        let targets: Vec<String> = d.to.keys().cloned().collect();
        ctx.check(
            DR_LOCALITY_LB,
            format!("{p}.to"),
            validate_localities(&targets),
        );
    }
    ctx.check(
        DR_LOCALITY_LB,
        format!("{path}.distribute"),
        validate_localities(&sources),
    );

    if (!lb.failover.is_empty() || !lb.failover_priority.is_empty()) && !has_outlier {
        ctx.report(
            DR_FAILOVER_WITHOUT_OUTLIER,
            path,
            "outlier detection policy must be provided for failover",
        );
    }
    failover_rules(&lb.failover, path, "locality lb", ctx);
}

fn validate_zone_aware_lb(
    lb: &ZoneAwareLoadBalancerSetting,
    has_outlier: bool,
    path: &str,
    ctx: &mut Ctx<'_>,
) {
    for (i, label) in lb.failover_priority.iter().enumerate() {
        if [TOPOLOGY_REGION, TOPOLOGY_ZONE, TOPOLOGY_SUBZONE].contains(&label.as_str()) {
            ctx.report(DR_LOCALITY_LB,
                format!("{path}.failoverPriority[{i}]"),
                format!(
                    "'failover_priority' for zone aware lb must not use topology label '{label}'; region- and zone-level routing are handled automatically"
                ),
            );
        }
    }
    if (!lb.failover.is_empty() || !lb.failover_priority.is_empty()) && !has_outlier {
        ctx.report(
            DR_FAILOVER_WITHOUT_OUTLIER,
            path,
            "outlier detection policy must be provided for failover",
        );
    }
    failover_rules(&lb.failover, path, "zone aware lb", ctx);
}

/// The rules on `failover` entries, shared by locality and zone-aware load balancing.
fn failover_rules(failover: &[LocalityFailover], path: &str, what: &str, ctx: &mut Ctx<'_>) {
    for (i, f) in failover.iter().enumerate() {
        let p = format!("{path}.failover[{i}]");
        let from = f.from.as_deref().unwrap_or("");
        let to = f.to.as_deref().unwrap_or("");
        if from == to {
            ctx.report(
                DR_LOCALITY_LB,
                p.clone(),
                format!("{what} failover settings must specify different regions"),
            );
        }
        if from.contains('/') || to.contains('/') {
            let message = if what == "locality lb" {
                "locality lb failover only specify region".to_string()
            } else {
                format!(
                    "{what} failover only specifies region; zone and subzone failover are handled automatically"
                )
            };
            ctx.report(DR_LOCALITY_LB, p.clone(), message);
        }
        if from.contains('*') || to.contains('*') {
            ctx.report(
                DR_LOCALITY_LB,
                p,
                format!("{what} failover region should not contain '*' wildcard"),
            );
        }
    }
}

type ZoneMap = BTreeMap<String, BTreeMap<String, BTreeSet<String>>>;

/// istiod's `validateLocalities`: `region[/zone[/subzone]]` entries, a trailing `*` wildcard at
/// most, and no entry covered by an earlier one.
fn validate_localities(localities: &[String]) -> Result<(), String> {
    let mut seen: ZoneMap = BTreeMap::new();
    for locality in localities {
        let stars = locality.matches('*').count();
        if stars > 1 || (stars == 1 && !locality.ends_with('*')) {
            return Err(format!(
                "locality {locality} wildcard '*' number can not exceed 1 and must be in the end"
            ));
        }
        let overlap = || format!("locality {locality} overlap with previous specified ones");
        if seen.contains_key("*") {
            return Err(overlap());
        }
        let items: Vec<&str> = locality.splitn(3, '/').collect();
        if items.iter().any(|s| s.is_empty()) {
            return Err(format!(
                "locality {locality} must not contain empty region/zone/subzone info"
            ));
        }
        let region = items.first().copied().unwrap_or("").to_string();
        let zone = items.get(1).map(|s| s.to_string());
        let subzone = items.get(2).map(|s| s.to_string());
        match (zone, subzone) {
            (None, _) => {
                if seen.contains_key(&region) {
                    return Err(overlap());
                }
                seen.insert(region, BTreeMap::from([("*".to_string(), star_set())]));
            }
            (Some(zone), None) => {
                let zones = seen.entry(region).or_default();
                if zones.contains_key("*") || zones.contains_key(&zone) {
                    return Err(overlap());
                }
                zones.insert(zone, star_set());
            }
            (Some(zone), Some(subzone)) => {
                let zones = seen.entry(region).or_default();
                if zones.contains_key("*") {
                    return Err(overlap());
                }
                let subzones = zones.entry(zone).or_default();
                if subzones.contains("*") || subzones.contains(&subzone) {
                    return Err(overlap());
                }
                subzones.insert(subzone);
            }
        }
    }
    Ok(())
}

fn star_set() -> BTreeSet<String> {
    BTreeSet::from(["*".to_string()])
}

/// istiod's `ValidateTLS` for client-side TLS settings.
fn validate_client_tls(tls: &ClientTlsSettings, namespace: &str, path: &str, ctx: &mut Ctx<'_>) {
    let set = |f: &Option<String>| f.as_deref().is_some_and(|s| !s.is_empty());
    let credential = tls.credential_name.as_deref().unwrap_or("");
    if let Some(rest) = credential.strip_prefix("configmap://") {
        let p = format!("{path}.credentialName");
        match rest.split('/').collect::<Vec<_>>().as_slice() {
            [_] | [] => ctx.report(DR_TLS,
                p,
                format!(
                    "invalid configmap:// credentialName: invalid resource name {credential:?}. Expected namespace and name"
                ),
            ),
            ["", ..] => ctx.report(DR_TLS,
                p,
                format!(
                    "invalid configmap:// credentialName: invalid resource name {credential:?}. Expected namespace"
                ),
            ),
            [_, "", ..] => ctx.report(DR_TLS,
                p,
                format!(
                    "invalid configmap:// credentialName: invalid resource name {credential:?}. Expected name"
                ),
            ),
            [ns, ..] => {
                if *ns != namespace || namespace.is_empty() {
                    ctx.report(DR_TLS,
                        p,
                        format!(
                            "invalid configmap:// credentialName: namespace must match the configuration namespace {namespace:?}"
                        ),
                    );
                }
            }
        }
    }

    let mode = tls.mode();
    if tls.insecure_skip_verify == Some(true) {
        if mode == ClientTlsMode::Simple
            && (set(&tls.ca_certificates)
                || set(&tls.credential_name)
                || !tls.subject_alt_names.is_empty())
        {
            ctx.report(DR_TLS,
                path,
                "cannot specify CaCertificates or CredentialName or SubjectAltNames when InsecureSkipVerify is set true",
            );
        }
        if mode == ClientTlsMode::Mutual
            && (set(&tls.ca_certificates) || !tls.subject_alt_names.is_empty())
        {
            ctx.report(DR_TLS,
                path,
                "cannot specify CaCertificates or SubjectAltNames when InsecureSkipVerify is set true",
            );
        }
    }

    if matches!(mode, ClientTlsMode::Simple | ClientTlsMode::Mutual) && set(&tls.credential_name) {
        if set(&tls.client_certificate)
            || set(&tls.ca_certificates)
            || set(&tls.private_key)
            || set(&tls.ca_crl)
        {
            ctx.report(DR_TLS,
                path,
                "cannot specify client certificates or CA certificate or CA CRL If credentialName is set",
            );
        }
        // Certificates come from the credential.
        return;
    }
    if mode == ClientTlsMode::Mutual {
        if !set(&tls.client_certificate) {
            ctx.report(
                DR_TLS,
                format!("{path}.clientCertificate"),
                "client certificate required for mutual tls",
            );
        }
        if !set(&tls.private_key) {
            ctx.report(
                DR_TLS,
                format!("{path}.privateKey"),
                "private key required for mutual tls",
            );
        }
    }
}

/// istiod's `validateSubsetName` (also used for `Destination.subset`).
pub(super) fn validate_subset_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("subset name cannot be empty".to_string());
    }
    if !is_dns1123_label(name) {
        return Err(format!("subset name is invalid: {name}"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::{Finding, Level};
    use super::*;
    use crate::model::ObjectMeta;
    use serde_json::json;

    fn run(spec: serde_json::Value) -> Vec<Finding> {
        let meta = ObjectMeta::default();
        let spec: DestinationRule = match serde_json::from_value(spec) {
            Ok(s) => s,
            Err(e) => panic!("bad test spec: {e}"),
        };
        let mut ctx = Ctx::new(&meta, "prod");
        validate(&spec, &mut ctx);
        ctx.findings
    }

    /// The whole of `validate` (the schema walk checks the constraints the model declares).
    fn validated(spec: serde_json::Value) -> Vec<Finding> {
        crate::check::validate::testing::validate_spec(
            "networking.istio.io/v1",
            "DestinationRule",
            spec,
        )
    }

    fn validated_tp(tp: serde_json::Value) -> Vec<Finding> {
        validated(json!({"host": "reviews.prod.svc.cluster.local", "trafficPolicy": tp}))
    }

    fn with_tp(tp: serde_json::Value) -> Vec<Finding> {
        run(json!({"host": "reviews.prod.svc.cluster.local", "trafficPolicy": tp}))
    }

    use crate::check::validate::testing::has;

    #[test]
    fn accepts_a_full_rule() {
        let f = run(json!({
            "host": "reviews",
            "exportTo": [".", "istio-system"],
            "trafficPolicy": {
                "loadBalancer": {
                    "simple": "LEAST_REQUEST",
                    "localityLbSetting": {"distribute": [{"from": "us-west/zone1/*", "to": {"us-west/zone1/*": 80, "us-west/zone2/*": 20}}]},
                    "warmup": {"duration": "300s", "minimumPercent": 5.0, "aggression": 5.0}
                },
                "connectionPool": {
                    "tcp": {"maxConnections": 100, "connectTimeout": "30ms", "idleTimeout": "0s",
                            "tcpKeepalive": {"time": "7200s", "interval": "75s"}},
                    "http": {"http2MaxRequests": 1000, "maxRequestsPerConnection": 10,
                             "http2KeepAlive": {"interval": "15s", "timeout": "5s"}}
                },
                "outlierDetection": {"consecutive5xxErrors": 7, "interval": "5m", "baseEjectionTime": "15m",
                                     "maxEjectionPercent": 100},
                "tls": {"mode": "MUTUAL", "clientCertificate": "/c", "privateKey": "/k"},
                "portLevelSettings": [{"port": {"number": 80}, "loadBalancer": {"consistentHash": {"maglev": {"tableSize": 65537}, "httpCookie": {"name": "u", "ttl": "0s"}}}}]
            },
            "subsets": [
                {"name": "v1", "labels": {"version": "v1"}},
                {"name": "v2", "labels": {"version": "v2"}, "trafficPolicy": {"tunnel": {"targetHost": "10.0.0.1", "targetPort": 8443}}}
            ]
        }));
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn host_subsets_and_labels() {
        let f = run(json!({
            "host": "bad_host",
            "subsets": [
                {"name": "v1"}, {"name": "v1"}, {"name": "V_2"}, {"name": "v3", "labels": {"bad key": "x"}},
                {"name": "v4", "trafficPolicy": {}}
            ]
        }));
        assert!(has(&f, Level::Error, "spec.host", "invalid"));
        assert!(has(
            &f,
            Level::Error,
            "spec.subsets[1].name",
            "duplicate subset names: v1"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.subsets[2].name",
            "subset name is invalid"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.subsets[3].labels",
            "invalid tag key"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.subsets[4].trafficPolicy",
            "at least one field"
        ));
    }

    #[test]
    fn traffic_policy_shape() {
        let f = validated_tp(
            json!({"tunnel": {"targetHost": "a.b", "targetPort": 80}, "proxyProtocol": {"version": "V1"}}),
        );
        assert!(has(
            &f,
            Level::Error,
            "spec.trafficPolicy",
            "tunnel and proxyProtocol"
        ));
        let f = validated_tp(
            json!({"portLevelSettings": [{"loadBalancer": {"simple": "RANDOM"}}, {"port": {"number": 80}}]}),
        );
        assert!(has(
            &f,
            Level::Error,
            "spec.trafficPolicy.portLevelSettings[0]",
            "must have valid port"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.trafficPolicy.portLevelSettings[1]",
            "port traffic policy must have at least one field"
        ));
        let f = validated_tp(json!({"retryBudget": {"percent": 120.0}}));
        assert!(has(
            &f,
            Level::Error,
            "spec.trafficPolicy.retryBudget.percent",
            "less than or equal to 100"
        ));
    }

    #[test]
    fn tunnel() {
        let f = with_tp(
            json!({"tunnel": {"protocol": "GET", "targetHost": "bad_host", "targetPort": 0}}),
        );
        assert!(has(
            &f,
            Level::Error,
            "spec.trafficPolicy.tunnel.protocol",
            "CONNECT"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.trafficPolicy.tunnel.targetHost",
            "valid FQDN or IP"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.trafficPolicy.tunnel.targetPort",
            "tunnel target port is invalid"
        ));
    }

    #[test]
    fn warmup() {
        let base = "spec.trafficPolicy.loadBalancer.warmup";
        let f = validated_tp(
            json!({"loadBalancer": {"warmup": {"duration": "300s", "minimumPercent": 150.0}}}),
        );
        assert!(has(
            &f,
            Level::Error,
            &format!("{base}.minimumPercent"),
            "Invalid value: 150"
        ));
        let f = validated_tp(
            json!({"loadBalancer": {"warmup": {"duration": "300s", "aggression": -0.1}}}),
        );
        assert!(has(
            &f,
            Level::Error,
            &format!("{base}.aggression"),
            "Invalid value: -0.1"
        ));
        let f = validated_tp(
            json!({"loadBalancer": {"warmup": {"duration": "300s", "aggression": 0.0}}}),
        );
        assert!(has(
            &f,
            Level::Error,
            &format!("{base}.aggression"),
            "greater than 0"
        ));
        let f = validated_tp(json!({"loadBalancer": {"warmup": {"duration": "0.5ms"}}}));
        assert!(has(
            &f,
            Level::Error,
            &format!("{base}.duration"),
            CEL_MIN_DURATION
        ));
        assert_eq!(f.len(), 1, "{f:?}");
        let f = validated_tp(json!({"loadBalancer": {"warmup": {"duration": "1.0005s"}}}));
        assert!(has(
            &f,
            Level::Error,
            &format!("{base}.duration"),
            "ms precision"
        ));
        let f = validated_tp(json!({"loadBalancer": {"warmupDurationSecs": "0s"}}));
        assert!(has(
            &f,
            Level::Error,
            "spec.trafficPolicy.loadBalancer.warmupDurationSecs",
            CEL_MIN_DURATION
        ));
    }

    #[test]
    fn consistent_hash() {
        let p = "spec.trafficPolicy.loadBalancer.consistentHash";
        let f = with_tp(json!({"loadBalancer": {"consistentHash": {
            "httpCookie": {"name": "", "attributes": [{"name": "a"}, {"name": "a"}, {"name": ""}]},
            "minimumRingSize": 1024, "maglev": {"tableSize": 65536}
        }}}));
        assert!(has(
            &f,
            Level::Error,
            &format!("{p}.httpCookie.name"),
            "name required"
        ));
        assert!(has(
            &f,
            Level::Error,
            &format!("{p}.httpCookie.attributes[1].name"),
            "duplicate cookie attribute name: a"
        ));
        assert!(has(
            &f,
            Level::Error,
            &format!("{p}.httpCookie.attributes[2].name"),
            "cannot be empty"
        ));
        assert!(has(
            &f,
            Level::Warning,
            &format!("{p}.minimumRingSize"),
            "deprecated"
        ));
        assert!(has(
            &f,
            Level::Error,
            &format!("{p}.minimumRingSize"),
            "only one of MinimumRingSize"
        ));
        assert!(has(
            &f,
            Level::Error,
            &format!("{p}.maglev.tableSize"),
            "prime"
        ));
        let f = with_tp(
            json!({"loadBalancer": {"consistentHash": {"useSourceIp": true, "maglev": {}}}}),
        );
        assert!(has(
            &f,
            Level::Error,
            &format!("{p}.maglev.tableSize"),
            "must be set"
        ));
        let f = with_tp(
            json!({"loadBalancer": {"consistentHash": {"useSourceIp": true, "maglev": {"tableSize": 5000011}}}}),
        );
        assert!(has(
            &f,
            Level::Error,
            &format!("{p}.maglev.tableSize"),
            "less than 5000011"
        ));
        assert!(is_prime(2) && is_prime(3) && is_prime(65537) && !is_prime(9) && !is_prime(0));
    }

    #[test]
    fn locality_and_zone_aware() {
        let p = "spec.trafficPolicy.loadBalancer";
        let f = validated_tp(json!({"loadBalancer": {
            "localityLbSetting": {"failover": [{"from": "us-east", "to": "us-east"}, {"from": "a/b", "to": "*"}]},
            "zoneAwareLbSetting": {"failoverPriority": ["topology.kubernetes.io/zone"], "minClusterSize": 0}
        }}));
        assert!(has(
            &f,
            Level::Error,
            p,
            "only one of localityLbSetting and zoneAwareLbSetting"
        ));
        assert!(has(
            &f,
            Level::Error,
            &format!("{p}.localityLbSetting.failover[0]"),
            "different regions"
        ));
        assert!(has(
            &f,
            Level::Error,
            &format!("{p}.localityLbSetting.failover[1]"),
            "only specify region"
        ));
        assert!(has(
            &f,
            Level::Error,
            &format!("{p}.localityLbSetting.failover[1]"),
            "'*' wildcard"
        ));
        assert!(has(
            &f,
            Level::Warning,
            &format!("{p}.localityLbSetting"),
            "outlier detection policy must be provided"
        ));
        assert!(has(
            &f,
            Level::Error,
            &format!("{p}.zoneAwareLbSetting.failoverPriority[0]"),
            "must not use topology label"
        ));
        assert!(has(
            &f,
            Level::Error,
            &format!("{p}.zoneAwareLbSetting.minClusterSize"),
            "greater than or equal to 1"
        ));

        let f = validated_tp(
            json!({"loadBalancer": {"localityLbSetting": {"distribute": [{"from": "a", "to": {"b": 50, "c": 40}}]}}}),
        );
        assert!(has(
            &f,
            Level::Error,
            &format!("{p}.localityLbSetting.distribute[0].to"),
            "total locality weight 90 != 100"
        ));
        let f = validated_tp(
            json!({"loadBalancer": {"localityLbSetting": {"distribute": [{"from": "a", "to": {"b": 0, "c": 100}}]}}}),
        );
        assert!(has(
            &f,
            Level::Error,
            &format!("{p}.localityLbSetting.distribute[0].to"),
            "range [1, 100]"
        ));
        let f = validated_tp(
            json!({"loadBalancer": {"localityLbSetting": {"distribute": [{"from": "a/*", "to": {"a/*": 50, "a/b": 50}}]}}}),
        );
        assert!(has(
            &f,
            Level::Error,
            &format!("{p}.localityLbSetting.distribute[0].to"),
            "overlap"
        ));
        let f = validated_tp(
            json!({"loadBalancer": {"localityLbSetting": {"distribute": [{"from": "a/*/c", "to": {"b": 100}}]}}}),
        );
        assert!(has(
            &f,
            Level::Error,
            &format!("{p}.localityLbSetting.distribute"),
            "must be in the end"
        ));
        let f = validated_tp(json!({"loadBalancer": {"localityLbSetting": {
            "failover": [{"from": "a", "to": "b"}], "failoverPriority": ["topology.kubernetes.io/region"]}}}));
        assert!(has(
            &f,
            Level::Error,
            &format!("{p}.localityLbSetting.failoverPriority"),
            "can not simultaneously set 'failover'"
        ));
        let f = validated_tp(
            json!({"loadBalancer": {"localityLbSetting": {"distribute": [{"to": {"b": 100}}], "failover": [{"from": "a", "to": "b"}]}}}),
        );
        assert!(has(
            &f,
            Level::Error,
            &format!("{p}.localityLbSetting"),
            "'distribute' and 'failover'"
        ));
    }

    #[test]
    fn localities() {
        let l =
            |v: &[&str]| validate_localities(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert!(l(&["a", "b/c", "b/d/e", "b/d/f"]).is_ok());
        assert!(l(&["a", "a/b"]).is_err());
        assert!(l(&["a/b", "a"]).is_err());
        assert!(l(&["a/b", "a/b"]).is_err());
        assert!(l(&["*", "a"]).is_err());
        assert!(l(&["a//b"]).is_err());
        assert!(l(&[""]).is_err());
        assert!(l(&["a/b/*", "a/b/c"]).is_err());
    }

    #[test]
    fn connection_pool_and_outlier() {
        let f = validated_tp(json!({
            "connectionPool": {
                "http": {"http1MaxPendingRequests": -1, "maxRetries": -2, "h2UpgradePolicy": "UPGRADE",
                         "useClientProtocol": true, "idleTimeout": "0.5ms", "http2KeepAlive": {"timeout": "5s"}},
                "tcp": {"maxConnections": -1, "idleTimeout": "1.5ms", "connectTimeout": "1.0001s"}
            },
            "outlierDetection": {"consecutiveErrors": 5, "consecutiveLocalOriginFailures": 3,
                                 "maxEjectionPercent": 101, "interval": "0s", "outlierDetectionHttpErrorCodes": [503, 99]}
        }));
        let cp = "spec.trafficPolicy.connectionPool";
        let od = "spec.trafficPolicy.outlierDetection";
        assert!(has(
            &f,
            Level::Error,
            &format!("{cp}.http.http1MaxPendingRequests"),
            "non-negative"
        ));
        assert!(has(
            &f,
            Level::Error,
            &format!("{cp}.http.maxRetries"),
            "non-negative"
        ));
        assert!(has(
            &f,
            Level::Error,
            &format!("{cp}.http.useClientProtocol"),
            "UPGRADE"
        ));
        assert!(has(
            &f,
            Level::Error,
            &format!("{cp}.http.idleTimeout"),
            CEL_MIN_DURATION
        ));
        assert!(has(
            &f,
            Level::Error,
            &format!("{cp}.http.http2KeepAlive.interval"),
            "interval is required"
        ));
        assert!(has(
            &f,
            Level::Error,
            &format!("{cp}.tcp.maxConnections"),
            "non-negative"
        ));
        assert!(has(
            &f,
            Level::Error,
            &format!("{cp}.tcp.idleTimeout"),
            "ms precision"
        ));
        assert!(has(
            &f,
            Level::Error,
            &format!("{cp}.tcp.connectTimeout"),
            "ms precision"
        ));
        assert!(has(
            &f,
            Level::Warning,
            &format!("{od}.consecutiveErrors"),
            "deprecated"
        ));
        assert!(has(
            &f,
            Level::Error,
            &format!("{od}.consecutiveLocalOriginFailures"),
            "split external"
        ));
        assert!(has(
            &f,
            Level::Error,
            &format!("{od}.maxEjectionPercent"),
            "0..100"
        ));
        assert!(has(
            &f,
            Level::Error,
            &format!("{od}.interval"),
            CEL_MIN_DURATION
        ));
        assert!(has(
            &f,
            Level::Error,
            &format!("{od}.outlierDetectionHttpErrorCodes[1]"),
            "greater than or equal to 100"
        ));
        let f = validated_tp(json!({"connectionPool": {}}));
        assert!(has(
            &f,
            Level::Error,
            cp,
            "connection pool must have at least one field"
        ));
    }

    #[test]
    fn client_tls() {
        let p = "spec.trafficPolicy.tls";
        let f = with_tp(json!({"tls": {"mode": "MUTUAL"}}));
        assert!(has(
            &f,
            Level::Error,
            &format!("{p}.clientCertificate"),
            "client certificate required"
        ));
        assert!(has(
            &f,
            Level::Error,
            &format!("{p}.privateKey"),
            "private key required"
        ));
        let f = with_tp(
            json!({"tls": {"mode": "MUTUAL", "credentialName": "c", "caCertificates": "/ca"}}),
        );
        assert!(has(&f, Level::Error, p, "If credentialName is set"));
        let f = with_tp(
            json!({"tls": {"mode": "SIMPLE", "insecureSkipVerify": true, "subjectAltNames": ["a"]}}),
        );
        assert!(has(&f, Level::Error, p, "InsecureSkipVerify"));
        let f =
            with_tp(json!({"tls": {"mode": "SIMPLE", "credentialName": "configmap://prod/ca"}}));
        assert!(f.is_empty(), "{f:?}");
        let f =
            with_tp(json!({"tls": {"mode": "SIMPLE", "credentialName": "configmap://other/ca"}}));
        assert!(has(
            &f,
            Level::Error,
            &format!("{p}.credentialName"),
            "namespace must match"
        ));
        let f = with_tp(json!({"tls": {"mode": "SIMPLE", "credentialName": "configmap://ca"}}));
        assert!(has(
            &f,
            Level::Error,
            &format!("{p}.credentialName"),
            "Expected namespace and name"
        ));
        let f = with_tp(json!({"tls": {"mode": "ISTIO_MUTUAL"}}));
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn export_to_and_selector() {
        let f = run(json!({"host": "a.b", "exportTo": ["prod", ".", "~", "Bad_ns", "*", "*"]}));
        assert!(has(
            &f,
            Level::Error,
            "spec.exportTo[1]",
            "duplicate entries in exportTo: . and current namespace prod"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.exportTo[2]",
            "~ (none) is not allowed"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.exportTo[3]",
            "valid DNS 1123 label"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.exportTo[5]",
            "duplicate entries in exportTo for entry *"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.exportTo",
            "both public (*) and non-public"
        ));
        let f = run(
            json!({"host": "a.b", "exportTo": ["other"], "workloadSelector": {"matchLabels": {"app": "x"}}}),
        );
        assert!(has(
            &f,
            Level::Error,
            "spec.exportTo",
            "cannot have exportTo beyond current namespace"
        ));
        let f = run(
            json!({"host": "a.b", "exportTo": [".", "other"], "workloadSelector": {"matchLabels": {"app": "x"}}}),
        );
        assert!(has(
            &f,
            Level::Error,
            "spec.exportTo",
            "cannot have multiple entries"
        ));
        let f = run(
            json!({"host": "a.b", "exportTo": ["."], "workloadSelector": {"matchLabels": {"app": "x"}}}),
        );
        assert!(f.is_empty(), "{f:?}");
        let f = run(json!({"host": "a.b", "workloadSelector": {}}));
        assert!(has(
            &f,
            Level::Warning,
            "spec.workloadSelector",
            "without labels"
        ));
        let f = run(
            json!({"host": "a.b", "workloadSelector": {"matchLabels": {"a*": "b", "": "c", "d": "e*"}}}),
        );
        let p = "spec.workloadSelector.matchLabels";
        assert!(has(
            &f,
            Level::Error,
            p,
            "wildcard not allowed in label key match"
        ));
        assert!(has(&f, Level::Error, p, "key must not be empty"));
        assert!(has(
            &f,
            Level::Error,
            &format!("{p}[\"d\"]"),
            "wildcard not allowed in label value match"
        ));
    }
}
