//! `networking.istio.io` Sidecar: the inbound and outbound listeners of the proxies matched by
//! `workloadSelector` (or of every proxy of the namespace), and the set of services they can reach.
//!
//! [`WorkloadSelector`] (a plain `labels` map) is the networking API's own selector, shared with
//! other networking kinds.

use std::collections::BTreeMap;

use crate::model::constraints::SELECTOR_LABELS;
use crate::model::networking::destination_rule::ConnectionPoolSettings;
use crate::model::networking::gateway::ServerTlsSettings;
use crate::model::networking::virtual_service::Destination;
use crate::{api_enum, api_struct};

api_struct! {
    /// Configuration of the sidecar proxies of a namespace or of selected workloads.
    pub struct Sidecar {
        workload_selector: Option<WorkloadSelector> => "workloadSelector",
        ingress: Vec<IstioIngressListener> => "ingress",
        egress: Vec<IstioEgressListener> => "egress",
        inbound_connection_pool: Option<ConnectionPoolSettings> => "inboundConnectionPool",
        outbound_traffic_policy: Option<OutboundTrafficPolicy> => "outboundTrafficPolicy",
    }
}

api_struct! {
    /// `networking.v1alpha3.WorkloadSelector`: selects workloads (pods, VMs) by their labels.
    pub struct WorkloadSelector {
        labels: BTreeMap<String, String> => "labels" [..SELECTOR_LABELS],
    }
}

api_enum! {
    /// How traffic to a listener is captured.
    pub enum CaptureMode {
        Default = "DEFAULT",
        Iptables = "IPTABLES",
        None = "NONE",
    }
}

api_struct! {
    /// A listener for inbound traffic to the workload.
    pub struct IstioIngressListener {
        port: Option<SidecarPort> => "port" | REQUIRED,
        bind: Option<String> => "bind",
        capture_mode: Option<CaptureMode> => "captureMode",
        /// Where traffic is forwarded: `127.0.0.1:PORT`, `0.0.0.0:PORT`, `[::1]:PORT`,
        /// `[::]:PORT` or `unix:///path`.
        default_endpoint: Option<String> => "defaultEndpoint",
        tls: Option<ServerTlsSettings> => "tls",
        connection_pool: Option<ConnectionPoolSettings> => "connectionPool",
    }
}

api_struct! {
    /// A listener for outbound traffic, and the hosts (`namespace/dnsName`) it can reach.
    pub struct IstioEgressListener {
        port: Option<SidecarPort> => "port",
        bind: Option<String> => "bind",
        capture_mode: Option<CaptureMode> => "captureMode",
        hosts: Vec<String> => "hosts" | REQUIRED,
    }
}

api_struct! {
    /// The port of a sidecar listener; every field is optional (0 means a unix domain socket).
    pub struct SidecarPort {
        number: Option<u32> => "number",
        protocol: Option<String> => "protocol",
        name: Option<String> => "name",
        /// Deprecated; has no effect on sidecars.
        target_port: Option<u32> => "targetPort",
    }
}

api_enum! {
    /// Whether unknown destinations are reachable.
    pub enum OutboundTrafficPolicyMode {
        RegistryOnly = "REGISTRY_ONLY",
        AllowAny = "ALLOW_ANY",
    }
}

api_struct! {
    /// The policy for traffic to destinations outside the service registry.
    pub struct OutboundTrafficPolicy {
        mode: Option<OutboundTrafficPolicyMode> => "mode",
        /// Where `ALLOW_ANY` traffic is sent instead of passing through.
        egress_proxy: Option<Destination> => "egressProxy",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deserializes_a_sidecar() {
        let sc: Sidecar = serde_json::from_value(serde_json::json!({
            "workloadSelector": {"labels": {"app": "ratings"}},
            "ingress": [{
                "port": {"number": 9080, "protocol": "HTTP", "name": "http"},
                "defaultEndpoint": "127.0.0.1:8080",
                "connectionPool": {"http": {"http1MaxPendingRequests": 10}}
            }],
            "egress": [{"captureMode": "NONE", "hosts": ["./*", "istio-system/*"]}],
            "outboundTrafficPolicy": {"mode": "ALLOW_ANY", "egressProxy": {"host": "proxy.example.com", "port": {"number": 3128}}}
        }))
        .unwrap_or_default();
        assert_eq!(sc.ingress.len(), 1);
        assert_eq!(
            sc.egress.first().and_then(|e| e.capture_mode),
            Some(CaptureMode::None)
        );
        let otp = sc.outbound_traffic_policy.unwrap_or_default();
        assert_eq!(otp.mode, Some(OutboundTrafficPolicyMode::AllowAny));
        assert_eq!(
            otp.egress_proxy.map(|d| d.host),
            Some("proxy.example.com".to_string())
        );
    }
}
