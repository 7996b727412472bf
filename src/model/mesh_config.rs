//! MeshConfig (`istio.mesh.v1alpha1.MeshConfig`, Istio 1.28): the mesh-wide settings of the
//! `istio` ConfigMap and of an IstioOperator's `meshConfig`. The fields whose types istiod checks
//! when it reads the mesh config (enums, durations, ports and other integers, booleans, lists,
//! the shape of `extensionProviders`) are declared here; the rest are left to istiod, which,
//! like istioctl, accepts fields it does not know. `install` walks a user's `meshConfig` against
//! this schema so that `outboundTrafficPolicy.mode: BOGUS` is refused where istioctl refuses it.

use std::collections::BTreeMap;

use crate::model::schema::Duration;
use crate::{api_enum, api_struct};

api_struct! {
    /// The mesh-wide settings.
    pub struct MeshConfig {
        proxy_listen_port: Option<Port> => "proxyListenPort" [minimum: 0, maximum: 65535],
        proxy_inbound_listen_port: Option<Port> => "proxyInboundListenPort" [minimum: 0, maximum: 65535],
        proxy_http_port: Option<Port> => "proxyHttpPort" [minimum: 0, maximum: 65535],
        connect_timeout: Option<Duration> => "connectTimeout",
        protocol_detection_timeout: Option<Duration> => "protocolDetectionTimeout",
        tcp_keepalive: Option<TcpKeepalive> => "tcpKeepalive",
        ingress_class: Option<String> => "ingressClass",
        ingress_service: Option<String> => "ingressService",
        ingress_controller_mode: Option<IngressControllerMode> => "ingressControllerMode",
        ingress_selector: Option<String> => "ingressSelector",
        enable_tracing: Option<bool> => "enableTracing",
        access_log_file: Option<String> => "accessLogFile",
        access_log_format: Option<String> => "accessLogFormat",
        access_log_encoding: Option<AccessLogEncoding> => "accessLogEncoding",
        enable_envoy_access_log_service: Option<bool> => "enableEnvoyAccessLogService",
        disable_envoy_listener_log: Option<bool> => "disableEnvoyListenerLog",
        default_config: Option<ProxyConfigFields> => "defaultConfig",
        outbound_traffic_policy: Option<OutboundTrafficPolicy> => "outboundTrafficPolicy",
        inbound_traffic_policy: Option<InboundTrafficPolicy> => "inboundTrafficPolicy",
        enable_auto_mtls: Option<bool> => "enableAutoMtls",
        trust_domain: Option<String> => "trustDomain",
        trust_domain_aliases: Vec<String> => "trustDomainAliases",
        default_service_export_to: Vec<String> => "defaultServiceExportTo",
        default_virtual_service_export_to: Vec<String> => "defaultVirtualServiceExportTo",
        default_destination_rule_export_to: Vec<String> => "defaultDestinationRuleExportTo",
        root_namespace: Option<String> => "rootNamespace",
        dns_refresh_rate: Option<Duration> => "dnsRefreshRate",
        h2_upgrade_policy: Option<H2UpgradePolicy> => "h2UpgradePolicy",
        inbound_cluster_stat_name: Option<String> => "inboundClusterStatName",
        outbound_cluster_stat_name: Option<String> => "outboundClusterStatName",
        enable_prometheus_merge: Option<bool> => "enablePrometheusMerge",
        verify_certificate_at_client: Option<bool> => "verifyCertificateAtClient",
        extension_providers: Vec<ExtensionProvider> => "extensionProviders",
        default_providers: Option<DefaultProviders> => "defaultProviders",
        path_normalization: Option<PathNormalization> => "pathNormalization",
        mesh_mtls: Option<TlsConfig> => "meshMTLS",
        tls_defaults: Option<TlsConfig> => "tlsDefaults",
        certificates: Vec<serde_json::Value> => "certificates",
        service_settings: Vec<serde_json::Value> => "serviceSettings",
        discovery_selectors: Vec<serde_json::Value> => "discoverySelectors",
        locality_lb_setting: Option<serde_json::Value> => "localityLbSetting",
        ca: Option<serde_json::Value> => "ca",
        default_http_retry_policy: Option<serde_json::Value> => "defaultHttpRetryPolicy",
    }
}

/// A port number (protobuf `int32`; istiod refuses what does not fit).
pub type Port = i32;

api_struct! {
    /// `tcpKeepalive`.
    pub struct TcpKeepalive {
        probes: Option<u32> => "probes",
        time: Option<Duration> => "time",
        interval: Option<Duration> => "interval",
    }
}

api_enum! {
    /// `ingressControllerMode`.
    pub enum IngressControllerMode {
        Unspecified = "UNSPECIFIED",
        Off = "OFF",
        Default = "DEFAULT",
        Strict = "STRICT",
    }
}

api_enum! {
    /// `accessLogEncoding`.
    pub enum AccessLogEncoding {
        Text = "TEXT",
        Json = "JSON",
    }
}

api_enum! {
    /// `outboundTrafficPolicy.mode`.
    pub enum OutboundMode {
        RegistryOnly = "REGISTRY_ONLY",
        AllowAny = "ALLOW_ANY",
    }
}

api_struct! {
    /// `outboundTrafficPolicy`.
    pub struct OutboundTrafficPolicy {
        mode: Option<OutboundMode> => "mode",
    }
}

api_enum! {
    /// `inboundTrafficPolicy.mode`.
    pub enum InboundMode {
        Passthrough = "PASSTHROUGH",
        Localhost = "LOCALHOST",
    }
}

api_struct! {
    /// `inboundTrafficPolicy`.
    pub struct InboundTrafficPolicy {
        mode: Option<InboundMode> => "mode",
    }
}

api_enum! {
    /// `h2UpgradePolicy`.
    pub enum H2UpgradePolicy {
        DoNotUpgrade = "DO_NOT_UPGRADE",
        Upgrade = "UPGRADE",
    }
}

api_enum! {
    /// `pathNormalization.normalization`.
    pub enum Normalization {
        Default = "DEFAULT",
        None = "NONE",
        Base = "BASE",
        MergeSlashes = "MERGE_SLASHES",
        DecodeAndMergeSlashes = "DECODE_AND_MERGE_SLASHES",
    }
}

api_struct! {
    /// `pathNormalization`.
    pub struct PathNormalization {
        normalization: Option<Normalization> => "normalization",
    }
}

api_enum! {
    /// `meshMTLS.minProtocolVersion`.
    pub enum TlsProtocol {
        TlsAuto = "TLS_AUTO",
        TlsV12 = "TLS_V1_2",
        TlsV13 = "TLS_V1_3",
    }
}

api_struct! {
    /// `meshMTLS`, `tlsDefaults`.
    pub struct TlsConfig {
        min_protocol_version: Option<TlsProtocol> => "minProtocolVersion",
        ecdh_curves: Vec<String> => "ecdhCurves",
        cipher_suites: Vec<String> => "cipherSuites",
    }
}

api_struct! {
    /// `defaultProviders`: provider names by kind.
    pub struct DefaultProviders {
        tracing: Vec<String> => "tracing",
        metrics: Vec<String> => "metrics",
        access_logging: Vec<String> => "accessLogging",
    }
}

api_enum! {
    /// `defaultConfig.interceptionMode`.
    pub enum InterceptionMode {
        Redirect = "REDIRECT",
        Tproxy = "TPROXY",
        None = "NONE",
    }
}

api_struct! {
    /// The typed fields of `defaultConfig` (a ProxyConfig) istiod checks when reading it.
    pub struct ProxyConfigFields {
        config_path: Option<String> => "configPath",
        binary_path: Option<String> => "binaryPath",
        service_cluster: Option<String> => "serviceCluster",
        drain_duration: Option<Duration> => "drainDuration",
        termination_drain_duration: Option<Duration> => "terminationDrainDuration",
        discovery_address: Option<String> => "discoveryAddress",
        proxy_admin_port: Option<Port> => "proxyAdminPort" [minimum: 0, maximum: 65535],
        status_port: Option<Port> => "statusPort" [minimum: 0, maximum: 65535],
        concurrency: Option<i32> => "concurrency",
        interception_mode: Option<InterceptionMode> => "interceptionMode",
        hold_application_until_proxy_starts: Option<bool> => "holdApplicationUntilProxyStarts",
        proxy_metadata: BTreeMap<String, String> => "proxyMetadata",
        tracing: Option<serde_json::Value> => "tracing",
    }
}

api_struct! {
    /// One of `extensionProviders`: a name and exactly one provider.
    pub struct ExtensionProvider oneof [[
        "envoyExtAuthzHttp", "envoyExtAuthzGrpc", "zipkin", "datadog", "stackdriver",
        "skywalking", "opentelemetry", "prometheus", "envoyFileAccessLog", "envoyHttpAls",
        "envoyTcpAls", "envoyOtelAls", "sds",
    ]] {
        name: String => "name",
        envoy_ext_authz_http: Option<ServiceProvider> => "envoyExtAuthzHttp",
        envoy_ext_authz_grpc: Option<ServiceProvider> => "envoyExtAuthzGrpc",
        zipkin: Option<ServiceProvider> => "zipkin",
        datadog: Option<ServiceProvider> => "datadog",
        stackdriver: Option<serde_json::Value> => "stackdriver",
        skywalking: Option<ServiceProvider> => "skywalking",
        opentelemetry: Option<ServiceProvider> => "opentelemetry",
        prometheus: Option<serde_json::Value> => "prometheus",
        envoy_file_access_log: Option<serde_json::Value> => "envoyFileAccessLog",
        envoy_http_als: Option<ServiceProvider> => "envoyHttpAls",
        envoy_tcp_als: Option<ServiceProvider> => "envoyTcpAls",
        envoy_otel_als: Option<ServiceProvider> => "envoyOtelAls",
        sds: Option<serde_json::Value> => "sds",
    }
}

api_struct! {
    /// The address of a provider's collector or server (the other fields are the provider's).
    pub struct ServiceProvider {
        service: Option<String> => "service",
        port: Option<u32> => "port" [minimum: 0, maximum: 65535],
        timeout: Option<Duration> => "timeout",
    }
}
