//! `networking.istio.io` DestinationRule: policies applied to traffic for a service after routing
//! (load balancing, connection pools, outlier detection, client TLS), optionally per subset and
//! per port.
//!
//! [`ConnectionPoolSettings`] is also used by Sidecar listeners, and [`ClientTlsSettings`] is the
//! client-side TLS block shared with other APIs.

use std::collections::BTreeMap;

use crate::model::constraints::MATCH_LABELS;
use crate::model::networking::virtual_service::PortSelector;
use crate::model::schema::Duration;
use crate::{api_enum, api_struct};

api_struct! {
    /// Policies that apply to traffic intended for `host` after routing has occurred.
    pub struct DestinationRule {
        /// The service (from the registry) the rule applies to; short names are resolved in the
        /// rule's namespace.
        host: String => "host" | REQUIRED,
        traffic_policy: Option<TrafficPolicy> => "trafficPolicy",
        subsets: Vec<Subset> => "subsets",
        export_to: Vec<String> => "exportTo",
        /// Restricts the rule to the workloads (clients) matched here.
        workload_selector: Option<MatchLabelsSelector> => "workloadSelector",
    }
}

api_struct! {
    /// `istio.type.v1beta1.WorkloadSelector`: selects workloads by `matchLabels`.
    pub struct MatchLabelsSelector {
        match_labels: BTreeMap<String, String> => "matchLabels" [..MATCH_LABELS],
    }
}

api_struct! {
    /// Traffic policies for a service, a subset or (through `portLevelSettings`) a port.
    pub struct TrafficPolicy {
        load_balancer: Option<Box<LoadBalancerSettings>> => "loadBalancer",
        connection_pool: Option<Box<ConnectionPoolSettings>> => "connectionPool",
        outlier_detection: Option<Box<OutlierDetection>> => "outlierDetection",
        tls: Option<Box<ClientTlsSettings>> => "tls",
        port_level_settings: Vec<PortTrafficPolicy> => "portLevelSettings" [max_items: 4096],
        tunnel: Option<Box<TunnelSettings>> => "tunnel",
        proxy_protocol: Option<Box<ProxyProtocol>> => "proxyProtocol",
        retry_budget: Option<Box<RetryBudget>> => "retryBudget",
    }
}

api_struct! {
    /// Traffic policies specific to one destination port.
    pub struct PortTrafficPolicy {
        port: Option<PortSelector> => "port",
        load_balancer: Option<Box<LoadBalancerSettings>> => "loadBalancer",
        connection_pool: Option<Box<ConnectionPoolSettings>> => "connectionPool",
        outlier_detection: Option<Box<OutlierDetection>> => "outlierDetection",
        tls: Option<Box<ClientTlsSettings>> => "tls",
    }
}

api_struct! {
    /// Tunnelling of TCP traffic through another proxy (HTTP CONNECT or POST).
    pub struct TunnelSettings {
        /// `CONNECT` (default) or `POST`.
        protocol: Option<String> => "protocol",
        target_host: Option<String> => "targetHost" | REQUIRED,
        target_port: Option<u32> => "targetPort" | REQUIRED,
    }
}

api_enum! {
    /// PROXY protocol version.
    pub enum ProxyProtocolVersion {
        V1 = "V1",
        V2 = "V2",
    }
}

api_struct! {
    /// Sends the PROXY protocol header to upstream connections.
    pub struct ProxyProtocol {
        version: Option<ProxyProtocolVersion> => "version",
    }
}

api_struct! {
    /// Limits retries to a share of the active requests.
    pub struct RetryBudget {
        percent: Option<f64> => "percent" | NULLABLE [minimum: 0, maximum: 100],
        min_retry_concurrency: Option<u32> => "minRetryConcurrency",
        budget_interval: Option<Duration> => "budgetInterval",
    }
}

api_struct! {
    /// A named version of the service, selected by endpoint labels.
    pub struct Subset {
        name: String => "name" | REQUIRED,
        labels: BTreeMap<String, String> => "labels",
        traffic_policy: Option<TrafficPolicy> => "trafficPolicy",
    }
}

api_enum! {
    /// Standard load balancing algorithms (`LoadBalancerSettings.SimpleLB`).
    pub enum SimpleLb {
        Unspecified = "UNSPECIFIED",
        LeastConn = "LEAST_CONN",
        Random = "RANDOM",
        Passthrough = "PASSTHROUGH",
        RoundRobin = "ROUND_ROBIN",
        LeastRequest = "LEAST_REQUEST",
    }
}

api_struct! {
    /// Load balancing policy: one algorithm, plus locality, zone-aware and warm-up settings.
    pub struct LoadBalancerSettings oneof [["simple", "consistentHash", "backendUtilization"]] {
        simple: Option<SimpleLb> => "simple",
        consistent_hash: Option<ConsistentHashLb> => "consistentHash",
        backend_utilization: Option<BackendUtilizationLb> => "backendUtilization",
        locality_lb_setting: Option<LocalityLoadBalancerSetting> => "localityLbSetting",
        zone_aware_lb_setting: Option<ZoneAwareLoadBalancerSetting> => "zoneAwareLbSetting",
        /// Deprecated in favour of `warmup.duration`.
        warmup_duration_secs: Option<Duration> => "warmupDurationSecs",
        warmup: Option<WarmupConfiguration> => "warmup",
    }
}

api_struct! {
    /// Consistent hashing (ring hash or Maglev) on a header, cookie, source IP or query parameter.
    pub struct ConsistentHashLb oneof [
        ["httpHeaderName", "httpCookie", "useSourceIp", "httpQueryParameterName"],
        ["ringHash", "maglev"],
    ] {
        http_header_name: Option<String> => "httpHeaderName",
        http_cookie: Option<HttpCookie> => "httpCookie",
        use_source_ip: Option<bool> => "useSourceIp",
        http_query_parameter_name: Option<String> => "httpQueryParameterName",
        ring_hash: Option<RingHash> => "ringHash",
        maglev: Option<MagLev> => "maglev",
        /// Deprecated in favour of `ringHash.minimumRingSize`.
        minimum_ring_size: Option<u64> => "minimumRingSize",
    }
}

api_struct! {
    pub struct RingHash {
        minimum_ring_size: Option<u64> => "minimumRingSize",
    }
}

api_struct! {
    pub struct MagLev {
        /// Must be a prime number below 5000011.
        table_size: Option<u64> => "tableSize",
    }
}

api_struct! {
    /// The cookie used as the hash key; generated when absent from the request.
    pub struct HttpCookie {
        name: Option<String> => "name" | REQUIRED,
        path: Option<String> => "path",
        ttl: Option<Duration> => "ttl",
        attributes: Vec<HttpCookieAttribute> => "attributes",
    }
}

api_struct! {
    pub struct HttpCookieAttribute {
        name: Option<String> => "name" | REQUIRED,
        value: Option<String> => "value",
    }
}

api_struct! {
    /// Utilization-based load balancing driven by ORCA metrics the backends report.
    pub struct BackendUtilizationLb {
        error_utilization_penalty_percent: Option<u32> => "errorUtilizationPenaltyPercent",
        metric_names_for_computing_utilization: Vec<String> => "metricNamesForComputingUtilization",
        weight_expiration_period: Option<Duration> => "weightExpirationPeriod",
        weight_stabilization_period: Option<Duration> => "weightStabilizationPeriod",
        weight_update_period: Option<Duration> => "weightUpdatePeriod",
    }
}

api_struct! {
    /// Locality-weighted load balancing: `distribute` weights or `failover` order.
    pub struct LocalityLoadBalancerSetting {
        distribute: Vec<LocalityDistribute> => "distribute",
        failover: Vec<LocalityFailover> => "failover",
        failover_priority: Vec<String> => "failoverPriority",
        enabled: Option<bool> => "enabled" | NULLABLE,
    }
}

api_struct! {
    /// Traffic from locality `from` is spread over the localities of `to` by weight.
    pub struct LocalityDistribute {
        from: Option<String> => "from",
        to: BTreeMap<String, u32> => "to",
    }
}

api_struct! {
    /// Traffic of region `from` fails over to region `to`.
    pub struct LocalityFailover {
        from: Option<String> => "from",
        to: Option<String> => "to",
    }
}

api_struct! {
    /// Envoy's zone-aware routing, with cross-region failover.
    pub struct ZoneAwareLoadBalancerSetting {
        enabled: Option<bool> => "enabled" | NULLABLE,
        failover: Vec<LocalityFailover> => "failover",
        failover_priority: Vec<String> => "failoverPriority",
        min_cluster_size: Option<u32> => "minClusterSize" | NULLABLE [minimum: 1],
    }
}

api_struct! {
    /// Gradual ramp-up of traffic to new endpoints.
    pub struct WarmupConfiguration {
        duration: Option<Duration> => "duration" | REQUIRED,
        minimum_percent: Option<f64> => "minimumPercent" | NULLABLE [minimum: 0, maximum: 100],
        aggression: Option<f64> => "aggression" | NULLABLE [minimum: 0],
    }
}

api_struct! {
    /// Connection pool limits for TCP and HTTP upstream connections.
    pub struct ConnectionPoolSettings {
        tcp: Option<TcpSettings> => "tcp",
        http: Option<HttpSettings> => "http",
    }
}

api_struct! {
    pub struct TcpSettings {
        max_connections: Option<i32> => "maxConnections",
        connect_timeout: Option<Duration> => "connectTimeout",
        tcp_keepalive: Option<TcpKeepalive> => "tcpKeepalive",
        max_connection_duration: Option<Duration> => "maxConnectionDuration",
        idle_timeout: Option<Duration> => "idleTimeout",
    }
}

api_struct! {
    pub struct TcpKeepalive {
        probes: Option<u32> => "probes",
        time: Option<Duration> => "time",
        interval: Option<Duration> => "interval",
    }
}

api_enum! {
    /// Whether HTTP/1.1 connections are upgraded to HTTP/2.
    pub enum H2UpgradePolicy {
        Default = "DEFAULT",
        DoNotUpgrade = "DO_NOT_UPGRADE",
        Upgrade = "UPGRADE",
    }
}

api_struct! {
    pub struct HttpSettings {
        http1_max_pending_requests: Option<i32> => "http1MaxPendingRequests",
        http2_max_requests: Option<i32> => "http2MaxRequests",
        max_requests_per_connection: Option<i32> => "maxRequestsPerConnection",
        max_retries: Option<i32> => "maxRetries",
        idle_timeout: Option<Duration> => "idleTimeout",
        h2_upgrade_policy: Option<H2UpgradePolicy> => "h2UpgradePolicy",
        use_client_protocol: Option<bool> => "useClientProtocol",
        max_concurrent_streams: Option<i32> => "maxConcurrentStreams",
        http2_keep_alive: Option<ConnectionKeepalive> => "http2KeepAlive",
    }
}

api_struct! {
    /// HTTP/2 PING keepalive.
    pub struct ConnectionKeepalive {
        interval: Option<Duration> => "interval",
        timeout: Option<Duration> => "timeout",
    }
}

api_struct! {
    /// Circuit breaking: ejection of unhealthy hosts from the load balancing pool.
    pub struct OutlierDetection {
        /// Deprecated in favour of `consecutiveGatewayErrors` / `consecutive5xxErrors`.
        consecutive_errors: Option<i32> => "consecutiveErrors",
        split_external_local_origin_errors: Option<bool> => "splitExternalLocalOriginErrors",
        consecutive_local_origin_failures: Option<u32> => "consecutiveLocalOriginFailures" | NULLABLE,
        consecutive_gateway_errors: Option<u32> => "consecutiveGatewayErrors" | NULLABLE,
        consecutive_5xx_errors: Option<u32> => "consecutive5xxErrors" | NULLABLE,
        interval: Option<Duration> => "interval",
        base_ejection_time: Option<Duration> => "baseEjectionTime",
        max_ejection_percent: Option<i32> => "maxEjectionPercent",
        min_health_percent: Option<i32> => "minHealthPercent",
        outlier_detection_http_error_codes: Vec<u32> => "outlierDetectionHttpErrorCodes" [items: [minimum: 100, maximum: 599]],
        /// Istio 1.32: eject hosts whose failure rate over `interval` reaches this percentage.
        failure_percentage_threshold: Option<u32> => "failurePercentageThreshold" | NULLABLE [maximum: 100],
    }
}

api_enum! {
    /// Client-side TLS modes (`ClientTLSSettings.TLSmode`).
    pub enum ClientTlsMode {
        Disable = "DISABLE",
        Simple = "SIMPLE",
        Mutual = "MUTUAL",
        IstioMutual = "ISTIO_MUTUAL",
    }
}

api_struct! {
    /// TLS settings for connections to the upstream (`ClientTLSSettings`).
    pub struct ClientTlsSettings {
        mode: Option<ClientTlsMode> => "mode",
        client_certificate: Option<String> => "clientCertificate",
        private_key: Option<String> => "privateKey",
        ca_certificates: Option<String> => "caCertificates",
        credential_name: Option<String> => "credentialName",
        subject_alt_names: Vec<String> => "subjectAltNames",
        sni: Option<String> => "sni",
        insecure_skip_verify: Option<bool> => "insecureSkipVerify" | NULLABLE,
        ca_crl: Option<String> => "caCrl",
        /// Istio 1.32: the Secret or ConfigMap holding the CA certificates to verify the server.
        ca_cert_credential_name: Option<String> => "caCertCredentialName",
    }
}

impl ClientTlsSettings {
    /// The TLS mode, with protobuf's default (`DISABLE`) when unset.
    pub fn mode(&self) -> ClientTlsMode {
        self.mode.unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deserializes_a_destination_rule() {
        let dr: DestinationRule = serde_json::from_value(serde_json::json!({
            "host": "reviews.prod.svc.cluster.local",
            "trafficPolicy": {
                "loadBalancer": {
                    "consistentHash": {"httpCookie": {"name": "user", "ttl": "0s"}, "maglev": {"tableSize": 65537}},
                    "warmup": {"duration": "30s", "minimumPercent": null}
                },
                "outlierDetection": {"consecutive5xxErrors": 7},
                "portLevelSettings": [{"port": {"number": 80}, "tls": {"mode": "ISTIO_MUTUAL"}}]
            },
            "subsets": [{"name": "v1", "labels": {"version": "v1"}}]
        }))
        .unwrap_or_default();
        assert_eq!(dr.host, "reviews.prod.svc.cluster.local");
        let tp = dr.traffic_policy.unwrap_or_default();
        let lb = tp.load_balancer.unwrap_or_default();
        let ch = lb.consistent_hash.unwrap_or_default();
        assert_eq!(ch.maglev.and_then(|m| m.table_size), Some(65537));
        assert_eq!(
            tp.outlier_detection.and_then(|o| o.consecutive_5xx_errors),
            Some(7)
        );
        let tls = tp
            .port_level_settings
            .first()
            .and_then(|p| p.tls.clone())
            .unwrap_or_default();
        assert_eq!(tls.mode(), ClientTlsMode::IstioMutual);
        assert_eq!(ClientTlsSettings::default().mode(), ClientTlsMode::Disable);
        assert_eq!(dr.subsets.len(), 1);
    }
}
