//! `networking.istio.io` Gateway: a load balancer at the edge of the mesh, described as a set of
//! servers (port, hosts, TLS settings) applied to the workloads matched by `selector`.
//!
//! [`ServerTlsSettings`] is also the TLS block of a Sidecar's ingress listeners.

use std::collections::BTreeMap;

use crate::{api_enum, api_struct};

api_struct! {
    /// A load balancer operating at the edge of the mesh.
    pub struct Gateway {
        servers: Vec<Server> => "servers",
        /// Labels of the gateway workloads this configuration applies to (all when empty).
        selector: BTreeMap<String, String> => "selector",
    }
}

api_struct! {
    /// The properties of the proxy on one load balancer port.
    pub struct Server {
        port: Option<Port> => "port" | REQUIRED,
        /// An IP address or `unix://` socket path the listener binds to.
        bind: Option<String> => "bind",
        /// Hosts exposed by this server, as `[namespace/]dnsName`.
        hosts: Vec<String> => "hosts" | REQUIRED,
        tls: Option<Box<ServerTlsSettings>> => "tls",
        default_endpoint: Option<String> => "defaultEndpoint",
        /// Optional server name, unique across servers when set.
        name: Option<String> => "name",
    }
}

api_struct! {
    /// The port a server listens on.
    pub struct Port {
        number: Option<u32> => "number" | REQUIRED,
        /// One of HTTP, HTTPS, GRPC, GRPC-WEB, HTTP2, MONGO, TCP, TLS (case-insensitive).
        protocol: Option<String> => "protocol" | REQUIRED,
        name: Option<String> => "name" | REQUIRED,
        /// Deprecated; has no effect on gateways.
        target_port: Option<u32> => "targetPort",
    }
}

api_enum! {
    /// How a server handles TLS (`ServerTLSSettings.TLSmode`).
    pub enum ServerTlsMode {
        Passthrough = "PASSTHROUGH",
        Simple = "SIMPLE",
        Mutual = "MUTUAL",
        AutoPassthrough = "AUTO_PASSTHROUGH",
        IstioMutual = "ISTIO_MUTUAL",
        OptionalMutual = "OPTIONAL_MUTUAL",
    }
}

api_enum! {
    /// TLS protocol versions (`ServerTLSSettings.TLSProtocol`).
    pub enum TlsProtocol {
        TlsAuto = "TLS_AUTO",
        Tlsv10 = "TLSV1_0",
        Tlsv11 = "TLSV1_1",
        Tlsv12 = "TLSV1_2",
        Tlsv13 = "TLSV1_3",
    }
}

api_struct! {
    /// TLS options of a server (`ServerTLSSettings`).
    pub struct ServerTlsSettings {
        https_redirect: Option<bool> => "httpsRedirect",
        mode: Option<ServerTlsMode> => "mode",
        server_certificate: Option<String> => "serverCertificate",
        private_key: Option<String> => "privateKey",
        ca_certificates: Option<String> => "caCertificates",
        ca_crl: Option<String> => "caCrl",
        credential_name: Option<String> => "credentialName",
        /// At most two (an RSA and an ECDSA certificate); absent and empty are told apart
        /// because the CRD requires at least one item when the field is present.
        credential_names: Option<Vec<String>> => "credentialNames" [min_items: 1, max_items: 2],
        ca_cert_credential_name: Option<String> => "caCertCredentialName",
        /// At most two; absent and empty are told apart as for `credentialNames`.
        tls_certificates: Option<Vec<ServerTlsCertificate>> => "tlsCertificates" [min_items: 1, max_items: 2],
        subject_alt_names: Vec<String> => "subjectAltNames",
        verify_certificate_spki: Vec<String> => "verifyCertificateSpki",
        verify_certificate_hash: Vec<String> => "verifyCertificateHash",
        min_protocol_version: Option<TlsProtocol> => "minProtocolVersion",
        max_protocol_version: Option<TlsProtocol> => "maxProtocolVersion",
        cipher_suites: Vec<String> => "cipherSuites",
        ecdh_curves: Vec<String> => "ecdhCurves",
        /// Istio 1.32: the ALPN protocols advertised during the handshake.
        alpn_protocols: Vec<String> => "alpnProtocols",
        insecure_skip_verify: Option<bool> => "insecureSkipVerify" | NULLABLE,
    }
}

api_struct! {
    /// One server certificate of `tlsCertificates`.
    pub struct ServerTlsCertificate {
        server_certificate: Option<String> => "serverCertificate",
        private_key: Option<String> => "privateKey",
        ca_certificates: Option<String> => "caCertificates",
    }
}

impl ServerTlsSettings {
    /// The TLS mode, with protobuf's default (`PASSTHROUGH`) when unset.
    pub fn mode(&self) -> ServerTlsMode {
        self.mode.unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deserializes_a_gateway() {
        let gw: Gateway = serde_json::from_value(serde_json::json!({
            "selector": {"istio": "ingressgateway"},
            "servers": [{
                "port": {"number": 443, "name": "https", "protocol": "HTTPS"},
                "hosts": ["ns1/*.example.com"],
                "tls": {"mode": "SIMPLE", "credentialNames": ["a", "b"], "insecureSkipVerify": null}
            }]
        }))
        .unwrap_or_default();
        assert_eq!(gw.servers.len(), 1);
        let tls = gw
            .servers
            .first()
            .and_then(|s| s.tls.clone())
            .unwrap_or_default();
        assert_eq!(tls.mode(), ServerTlsMode::Simple);
        assert_eq!(tls.credential_names.map(|v| v.len()), Some(2));
        assert_eq!(tls.insecure_skip_verify, None);
        assert_eq!(
            ServerTlsSettings::default().mode(),
            ServerTlsMode::Passthrough
        );
    }
}
