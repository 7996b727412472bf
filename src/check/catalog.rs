//! Every code meshctl can report, in one table ordered by code. Codes are never reused; a
//! retired code stays here as retired. `docs/rules/` pages and `--list` output come from this
//! table, and a test fails when they drift.
//!
//! Ranges: MSH0xxx input and YAML, MSH1xxx schema and validation, MSH2xxx single-object lint,
//! MSH3xxx cross-object analysis, MSH4xxx live cluster. Istio's own analyzer codes (IST0xxx) keep
//! Istio's meaning.

use super::Severity;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lifecycle {
    Stable,
    Retired,
}

#[derive(Debug)]
pub struct CodeInfo {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
    pub lifecycle: Lifecycle,
    /// The rule's documentation page (`docs/rules/CODE.md`), built into the binary so that
    /// `meshctl explain CODE` works wherever meshctl is installed.
    pub doc: &'static str,
}

macro_rules! catalog {
    ($($code:literal $name:literal $sev:ident $summary:literal;)*) => {
        pub static CATALOG: &[CodeInfo] = &[
            $(CodeInfo {
                code: $code,
                name: $name,
                severity: Severity::$sev,
                summary: $summary,
                lifecycle: Lifecycle::Stable,
                doc: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules/", $code, ".md")),
            },)*
        ];
    };
}

catalog! {
    "IST0002" "deprecated" Warning "A resource uses a deprecated field, resource type or extension provider.";
    "IST0101" "referenced-resource-not-found" Error "A resource refers to a host, subset, gateway, selector, secret or namespace that does not exist.";
    "IST0102" "namespace-not-injected" Info "A namespace has neither sidecar injection nor ambient mode enabled.";
    "IST0103" "pod-missing-proxy" Warning "A pod in a namespace with sidecar injection enabled has no sidecar proxy.";
    "IST0106" "schema-validation-error" Error "validate found an error in the resource: Istio or the API server would reject it.";
    "IST0107" "misplaced-annotation" Warning "An Istio annotation is on a kind of resource Istio does not read it from.";
    "IST0108" "unknown-annotation" Warning "An annotation in an Istio domain is not one Istio knows.";
    "IST0109" "conflicting-mesh-gateway-virtual-service-hosts" Error "Several VirtualServices bound to the mesh gateway define the same host.";
    "IST0110" "conflicting-sidecar-workload-selectors" Error "Two Sidecars select the same workload.";
    "IST0111" "multiple-sidecars-without-workload-selectors" Error "A namespace has more than one Sidecar without a workload selector.";
    "IST0112" "virtual-service-destination-port-selector-required" Error "A destination whose service has several ports does not name a port.";
    "IST0116" "deployment-associated-to-multiple-services" Warning "Services selecting one workload use the same port number with different protocols.";
    "IST0118" "port-name-is-not-under-naming-convention" Info "A Service port name (or appProtocol) does not tell Istio the protocol.";
    "IST0123" "namespace-multiple-injection-labels" Warning "A namespace has both the istio-injection and the istio.io/rev label.";
    "IST0125" "invalid-annotation" Warning "An Istio annotation has a value Istio does not accept.";
    "IST0126" "unknown-mesh-networks-service-registry" Error "MeshNetworks names a service registry (cluster) that does not exist.";
    "IST0127" "no-matching-workloads-found" Warning "A policy's selector matches no workload.";
    "IST0128" "no-server-certificate-verification-destination-level" Warning "A DestinationRule originates TLS without caCertificates, so the server is not verified.";
    "IST0129" "no-server-certificate-verification-port-level" Warning "A DestinationRule's port-level TLS has no caCertificates, so the server is not verified.";
    "IST0130" "virtual-service-unreachable-rule" Warning "A VirtualService rule can never be used: earlier rules take all its traffic.";
    "IST0131" "virtual-service-ineffective-match" Info "A match of a VirtualService rule duplicates an earlier match.";
    "IST0132" "virtual-service-host-not-found-in-gateway" Warning "A VirtualService's hosts are not served by a Gateway it binds to.";
    "IST0133" "schema-warning" Warning "validate found a warning in the resource: Istio accepts it but warns.";
    "IST0134" "service-entry-addresses-required" Warning "A ServiceEntry with TCP (or unset) protocol ports has no addresses.";
    "IST0135" "deprecated-annotation" Info "An Istio annotation is deprecated.";
    "IST0136" "alpha-annotation" Info "An Istio annotation is of alpha maturity and may change or be removed.";
    "IST0137" "deployment-conflicting-ports" Warning "Services selecting one workload map one target port to different ports.";
    "IST0138" "gateway-duplicate-certificate" Warning "One certificate is used by several Gateways on the same workloads.";
    "IST0139" "invalid-webhook" Error "Istio sidecar-injector webhooks overlap or call a control-plane Service that does not exist.";
    "IST0140" "ingress-route-rules-not-affected" Warning "A VirtualService route option has no effect on traffic from an ingress gateway to the service.";
    "IST0141" "insufficient-permissions" Error "The user may not create a kind of object an Istio installation needs.";
    "IST0142" "unsupported-kubernetes-version" Error "The cluster's Kubernetes version is older than the Istio release supports.";
    "IST0144" "invalid-application-uid" Warning "An application container runs as UID 1337, which the sidecar proxy reserves.";
    "IST0145" "conflicting-gateways" Error "Gateways on the same workloads declare the same host on the same port.";
    "IST0146" "image-auto-without-injection-warning" Warning "A Deployment uses `image: auto` but its pods will not be injected.";
    "IST0147" "image-auto-without-injection-error" Error "A Pod uses `image: auto` but is not injected, so it cannot start.";
    "IST0148" "namespace-injection-enabled-by-default" Info "Injection is enabled by default (enableNamespacesByDefault) for a namespace without injection labels.";
    "IST0149" "jwt-claim-based-routing-without-request-authn" Error "A route matches JWT claims on a gateway no RequestAuthentication applies to.";
    "IST0150" "external-name-service-type-invalid-port-name" Warning "An ExternalName Service port is named tcp or without a protocol.";
    "IST0151" "envoy-filter-uses-relative-operation" Warning "An EnvoyFilter without priority uses a relative patch operation, so its outcome depends on filter order.";
    "IST0152" "envoy-filter-uses-replace-operation-incorrectly" Error "An EnvoyFilter uses REPLACE on an object other than HTTP_FILTER, NETWORK_FILTER or VIRTUAL_HOST.";
    "IST0153" "envoy-filter-uses-add-operation-incorrectly" Error "An EnvoyFilter uses ADD on ROUTE_CONFIGURATION or HTTP_ROUTE, where Istio ignores it.";
    "IST0154" "envoy-filter-uses-remove-operation-incorrectly" Error "An EnvoyFilter uses REMOVE on ROUTE_CONFIGURATION or HTTP_ROUTE, where Istio ignores it.";
    "IST0155" "envoy-filter-uses-relative-operation-with-proxy-version" Warning "An EnvoyFilter without priority uses a relative operation on a filter another patch targets for a proxyVersion.";
    "IST0157" "invalid-telemetry-provider" Warning "Telemetry access logging names no provider and MeshConfig has no default one.";
    "IST0158" "pods-istio-proxy-image-mismatch-in-namespace" Warning "Pods of a namespace run a proxy image other than the injector configuration names.";
    "IST0159" "conflicting-telemetry-workload-selectors" Error "Two Telemetries select the same workload.";
    "IST0160" "multiple-telemetries-without-workload-selectors" Error "A namespace has more than one Telemetry without a selector.";
    "IST0161" "invalid-gateway-credential" Error "A gateway's TLS Secret lacks a usable certificate and key.";
    "IST0162" "gateway-port-not-defined-on-service" Warning "A Gateway listens on a port the gateway's Service does not expose.";
    "IST0163" "invalid-external-control-plane-config" Warning "A webhook of an external control plane has a blank or unparsable URL.";
    "IST0164" "external-control-plane-address-is-not-a-hostname" Info "A webhook of an external control plane reaches it by IP address rather than hostname.";
    "IST0165" "referenced-internal-gateway" Warning "A VirtualService binds to a gateway Istio generates internally.";
    "IST0166" "ineffective-selector" Warning "A policy selects the pods of a Gateway API gateway by label; it takes effect there only through targetRef.";
    "IST0167" "ineffective-policy" Warning "A policy has no effect on the workloads it applies to (a Sidecar in an ambient namespace or on ambient pods).";
    "IST0171" "negative-condition-status" Warning "A resource carries a negative status condition written by a controller.";
    "IST0173" "destination-rule-subset-not-select-pods" Error "A DestinationRule subset selects no pod of its service.";
    "IST0174" "unknown-destination-rule-host" Warning "A DestinationRule's host matches no Service or ServiceEntry.";
    "IST0175" "jwks-uri-fetch-unrestricted" Warning "RequestAuthentications exist but istiod does not set BLOCKED_CIDRS_IN_JWKS_URIS.";
    "IST0176" "gateway-api-crd-version-below-minimum" Warning "A Gateway API CRD is older than the bundle version this Istio release needs.";
    "IST0177" "conflicting-service-entry-protocol" Warning "ServiceEntries visible together declare different protocols for one host and port.";
    "MSH0001" "yaml-syntax-error" Error "The input is not valid YAML.";
    "MSH0002" "duplicate-key" Error "A mapping has the same key twice; the API server's strict decoding rejects it.";
    "MSH0003" "alias-expansion-limit" Error "YAML aliases expand to too many nodes or bytes (a \"billion laughs\" document).";
    "MSH0004" "nesting-too-deep" Error "The document nests deeper than meshctl accepts.";
    "MSH0005" "not-text" Error "The input is binary or not valid UTF-8.";
    "MSH0006" "not-an-object" Error "A YAML document is not a mapping, so it cannot be a Kubernetes object.";
    "MSH0007" "non-string-key" Error "A mapping key is a collection; Kubernetes objects only have string keys.";
    "MSH0008" "empty-input" Warning "The input contains no Kubernetes object at all.";
    "MSH1001" "missing-type-meta" Error "apiVersion or kind is missing or not a string.";
    "MSH1002" "unknown-kind" Error "The kind does not exist in a known API group.";
    "MSH1003" "unknown-version" Error "The kind is not served in this API version.";
    "MSH1004" "not-validated" Info "The resource belongs to an API group meshctl does not model; it was not validated.";
    "MSH1005" "invalid-metadata" Error "metadata.name or metadata.namespace is missing or not a valid name.";
    "MSH1006" "unknown-field" Error "The field does not exist in the schema of this kind.";
    "MSH1007" "wrong-type" Error "The value has the wrong type for its field.";
    "MSH1008" "invalid-enum-value" Error "The value is not one of the values the field accepts.";
    "MSH1009" "oneof-conflict" Error "More than one member of a one-of group is set.";
    "MSH1010" "missing-required-field" Error "A required field is missing.";
    "MSH1011" "value-out-of-range" Error "A value is outside the bounds of its field: a number's range, a string's length or pattern, a list's or map's number of entries.";
    "MSH1012" "invalid-duration" Error "A duration is not in the form Istio accepts (e.g. \"1.5s\", \"100ms\").";
    "MSH1013" "removed-api" Error "The API version (or the whole API group) is no longer served by current Kubernetes or Istio releases.";
    "MSH1014" "not-in-istio-release" Error "The field, value or kind is not served by the Istio release chosen with --istio-version.";
    "MSH1015" "field-constraint" Error "A value breaks a CRD rule checked in rule code: unique list entries (list-type set or map) or Istio's CEL port range.";
    "MSH1100" "invalid-value" Error "No longer reported: an alias for every admission error in suppressions and .meshctl.yaml (each rule has its own code).";
    "MSH1101" "validation-warning" Warning "No longer reported: an alias for every admission warning in suppressions and .meshctl.yaml (each rule has its own code).";
    "MSH1200" "istio-reserved-annotation" Error "An Istio object carries an annotation users may not set (istio.io/dry-run outside AuthorizationPolicy, internal.istio.io/*).";
    "MSH1201" "virtual-service-hosts" Error "VirtualService hosts are invalid, duplicated, overlapping, or `*` on the mesh gateway.";
    "MSH1202" "virtual-service-gateways" Error "A VirtualService names a gateway that is not `namespace/name` or an FQDN.";
    "MSH1203" "virtual-service-legacy-gateway-name" Warning "A VirtualService names a gateway as `name.namespace` instead of `namespace/name`.";
    "MSH1204" "virtual-service-structure" Error "A VirtualService or HTTP route combines fields Istio does not allow together (delegate, route, redirect, directResponse, rewrite, mirror).";
    "MSH1205" "virtual-service-match" Error "An HTTP match condition is invalid: header names, string matches, regexes, port, source labels or namespaces.";
    "MSH1206" "virtual-service-headers" Error "A header operation is invalid or rewrites the authority twice.";
    "MSH1207" "virtual-service-cors" Error "A CORS policy is invalid: origins, methods, header names or maxAge.";
    "MSH1208" "virtual-service-fault" Error "A fault injection is invalid: no abort or delay, bad percentage, status or delay.";
    "MSH1209" "virtual-service-fault-abort-without-type" Warning "A fault abort has no error type, so it aborts nothing.";
    "MSH1210" "virtual-service-mirror" Error "A mirror policy is invalid: percentages out of range or a mirror without destination.";
    "MSH1211" "virtual-service-mirror-percent-deprecated" Warning "`mirrorPercent` is deprecated; use `mirrorPercentage`.";
    "MSH1212" "virtual-service-destination" Error "A route destination is invalid: host, subset or port.";
    "MSH1213" "virtual-service-route-weights" Error "Route weights are negative, or several destinations have total weight 0.";
    "MSH1214" "virtual-service-redirect-rewrite" Error "An HTTP redirect or rewrite is invalid.";
    "MSH1215" "virtual-service-direct-response" Error "A direct response has an invalid status or a body over 1 MB.";
    "MSH1216" "virtual-service-direct-response-large-body" Warning "A direct response body is over 100 KB.";
    "MSH1217" "virtual-service-retries" Error "A retry policy is invalid: attempts, perTryTimeout, backoff or retryOn.";
    "MSH1218" "virtual-service-timeout" Error "An HTTP route timeout is below 1ms or not at millisecond precision.";
    "MSH1219" "virtual-service-tls-route" Error "A TLS route is invalid: match, SNI hosts, subnets, port or route.";
    "MSH1220" "virtual-service-sni-ip-address" Warning "A TLS route matches an IP address as SNI host; clients do not send IPs in SNI.";
    "MSH1221" "virtual-service-tcp-route" Error "A TCP route is invalid: subnets, port or route.";
    "MSH1222" "invalid-export-to" Error "`exportTo` has an invalid, duplicated or conflicting entry.";
    "MSH1223" "virtual-service-unreachable-rule" Warning "A VirtualService rule is never used: an earlier rule takes all its traffic.";
    "MSH1224" "virtual-service-ineffective-match" Warning "A match of a VirtualService rule repeats or is covered by an earlier match.";
    "MSH1230" "gateway-servers" Error "A Gateway has an invalid name, no servers, or duplicate server port names.";
    "MSH1231" "gateway-server-hosts" Error "A Gateway server host is missing or not `[namespace/]dnsName`.";
    "MSH1232" "gateway-server-ports" Error "A Gateway server port or bind address is invalid.";
    "MSH1233" "gateway-tls" Error "A Gateway server's TLS settings are missing, misplaced or inconsistent.";
    "MSH1234" "gateway-tls-ignored-setting" Warning "A Gateway server's TLS setting has no effect or weakens TLS (httpsRedirect off HTTP, old TLS without ciphers, unknown ciphers, certificates in passthrough).";
    "MSH1240" "destination-rule-host" Error "A DestinationRule host is not a valid domain.";
    "MSH1241" "destination-rule-subsets" Error "A DestinationRule subset has an invalid or duplicate name or invalid labels.";
    "MSH1242" "destination-rule-traffic-policy" Error "A traffic policy is empty, combines tunnel with proxyProtocol, or has an invalid port-level setting or tunnel.";
    "MSH1243" "destination-rule-outlier-detection" Error "Outlier detection settings are invalid.";
    "MSH1244" "destination-rule-deprecated-field" Warning "A DestinationRule uses a deprecated field (consecutiveErrors, minimumRingSize).";
    "MSH1245" "destination-rule-connection-pool" Error "Connection pool settings are empty, negative or not at millisecond precision.";
    "MSH1246" "destination-rule-load-balancer" Error "Load balancer settings are invalid: consistent hash, maglev, warmup.";
    "MSH1247" "destination-rule-locality-lb" Error "Locality or zone-aware load balancing settings are invalid.";
    "MSH1248" "destination-rule-failover-without-outlier-detection" Warning "Locality failover is configured without outlier detection, so it never triggers.";
    "MSH1249" "destination-rule-tls" Error "Client TLS settings are inconsistent (credentials, insecureSkipVerify, MUTUAL without certificates).";
    "MSH1260" "sidecar-ingress" Error "A Sidecar ingress listener is invalid: port, bind, defaultEndpoint, TLS or connection pool.";
    "MSH1261" "sidecar-egress" Error "A Sidecar is empty or has an invalid egress listener: port, bind, capture mode or hosts.";
    "MSH1262" "sidecar-egress-hosts-warning" Warning "A Sidecar egress host is duplicated or ineffective.";
    "MSH1263" "sidecar-outbound-traffic-policy" Error "A Sidecar's outboundTrafficPolicy or egressProxy is invalid.";
    "MSH1264" "sidecar-http-pool-on-non-http-port" Warning "A Sidecar ingress listener sets HTTP connection pool settings on a port that is not HTTP.";
    "MSH1270" "service-entry-hosts" Error "ServiceEntry hosts are missing, wildcard `*` or not valid domains.";
    "MSH1271" "service-entry-partial-wildcard-host" Warning "A ServiceEntry host has a partial wildcard (`*foo.com`); Istio does not treat it as a wildcard.";
    "MSH1272" "service-entry-addresses" Error "ServiceEntry addresses are not IPs or CIDRs, or CIDRs are used with DNS resolution.";
    "MSH1273" "service-entry-ports" Error "ServiceEntry ports are duplicated or have an invalid name, number or protocol.";
    "MSH1274" "service-entry-addresses-required" Warning "TCP (or unset) protocol ports without addresses: traffic is matched by port only.";
    "MSH1275" "service-entry-resolution" Error "Endpoints, hosts or ports do not fit the ServiceEntry's resolution (STATIC, DNS, DNS_ROUND_ROBIN, DYNAMIC_DNS).";
    "MSH1276" "service-entry-tcp-multiple-hosts" Warning "A DNS ServiceEntry with addresses and a TCP port has several hosts; TCP traffic cannot tell them apart.";
    "MSH1277" "service-entry-endpoints" Error "ServiceEntry endpoints and workloadSelector are both set or endpoints are invalid.";
    "MSH1278" "service-entry-selector-ignored" Warning "A ServiceEntry with resolution NONE has a workloadSelector, which that mode ignores.";
    "MSH1280" "workload-entry" Error "A WorkloadEntry (or a WorkloadGroup template) has an invalid address, ports or labels.";
    "MSH1281" "workload-entry-address-unset" Warning "A WorkloadEntry has no address but names a network.";
    "MSH1282" "workload-group-probe" Error "A WorkloadGroup readiness probe is invalid.";
    "MSH1283" "workload-group-metadata" Error "WorkloadGroup template metadata labels are invalid.";
    "MSH1284" "envoy-filter-patch" Error "An EnvoyFilter patch is invalid: applyTo, operation, value or proxy version.";
    "MSH1285" "envoy-filter-match" Error "An EnvoyFilter match does not fit its applyTo or names filters wrongly.";
    "MSH1286" "envoy-filter-warning" Warning "An EnvoyFilter uses deprecated names, fields Envoy does not have, or a match or proxy version that has no effect.";
    "MSH1287" "proxy-config-selector" Error "A ProxyConfig selector has empty or wildcard keys or values.";
    "MSH1288" "envoy-filter-internal-api" Warning "Every EnvoyFilter: it patches Envoy internals that may change with any release.";
    "MSH1289" "envoy-filter-value" Error "An EnvoyFilter patch value does not decode into the Envoy type its applyTo names.";
    "MSH1290" "workload-selector" Error "A workload selector has an empty key, wildcards or conflicts with targetRefs.";
    "MSH1291" "selector-without-labels" Warning "A workload selector has no labels, so the object applies to every workload in the namespace.";
    "MSH1292" "policy-target-ref" Error "A policy's targetRef points to an unsupported kind or another namespace.";
    "MSH1293" "envoy-filter-any-type" Error "An EnvoyFilter patch value has a typed_config whose @type is missing or names no Envoy type.";
    "MSH1300" "authorization-policy-action" Error "An AuthorizationPolicy's action, provider or dry-run annotation does not fit its rules.";
    "MSH1301" "authorization-policy-source" Error "An AuthorizationPolicy source is invalid: principals, namespaces, service accounts, trust domains, IP blocks.";
    "MSH1302" "authorization-policy-operation" Error "An AuthorizationPolicy operation is invalid: hosts, ports, methods, paths.";
    "MSH1303" "authorization-policy-condition" Error "An AuthorizationPolicy `when` condition has an unknown key or invalid values.";
    "MSH1304" "authorization-policy-deny-http-only" Warning "A DENY rule matches only HTTP attributes, so it denies all traffic to TCP ports.";
    "MSH1310" "peer-authentication-port-mtls" Error "PeerAuthentication portLevelMtls without selector or with invalid ports.";
    "MSH1320" "request-authentication-jwt-rule" Error "A JWT rule is invalid: issuer, jwksUri, inline jwks, token locations or timeout.";
    "MSH1321" "request-authentication-jwks-private-key" Warning "An inline JWKS holds private or symmetric key material.";
    "MSH1330" "telemetry-metrics" Error "Telemetry metrics overrides are invalid: reporting interval or tag overrides.";
    "MSH1331" "telemetry-tag-override-empty-name" Warning "A Telemetry tag override has an empty name.";
    "MSH1332" "telemetry-tracing" Error "Telemetry tracing custom tags are invalid.";
    "MSH1333" "telemetry-tracing-multiple" Warning "More than one tracing entry or provider; Istio uses only the first.";
    "MSH1334" "telemetry-access-log-filter" Error "An access log filter expression is not valid CEL.";
    "MSH1340" "wasm-plugin" Error "A WasmPlugin's URL, environment or match ports are invalid.";
    "MSH1400" "kubernetes-metadata" Error "Labels, annotations or label selectors of a Kubernetes object are invalid.";
    "MSH1401" "kubernetes-selector-warning" Warning "A label selector cannot be evaluated by Istio.";
    "MSH1402" "service-ports" Error "Service ports are invalid or duplicated.";
    "MSH1403" "service-spec" Error "A Service's type, cluster IPs, IP families, external name or traffic policies are invalid.";
    "MSH1410" "pod-spec" Error "A pod spec is invalid: restart policy, DNS, security context, scheduling, tolerations.";
    "MSH1411" "pod-containers" Error "A container is invalid: name, image, ports, environment, resources, lifecycle.";
    "MSH1412" "pod-probes" Error "A container probe is invalid.";
    "MSH1413" "pod-volumes" Error "Pod volumes or volume mounts are invalid, duplicated or missing.";
    "MSH1414" "pod-warning" Warning "A pod spec is accepted but the API server warns (duplicate ports, ignored fields).";
    "MSH1420" "workload-controller" Error "A Deployment, StatefulSet, DaemonSet or ReplicaSet has an invalid selector, replicas or strategy.";
    "MSH1421" "workload-controller-warning" Warning "A workload controller setting is accepted but has no effect.";
    "MSH1430" "namespace-spec" Error "A Namespace's spec is invalid.";
    "MSH1431" "configmap-secret-data" Error "ConfigMap or Secret data keys or values are invalid.";
    "MSH1440" "webhook-configuration" Error "An admission webhook configuration is invalid.";
    "MSH1500" "gateway-api-listeners" Error "A Gateway API Gateway's listeners, addresses or infrastructure are invalid.";
    "MSH1501" "gateway-api-references" Error "A Gateway API parentRef, backendRef or other reference is invalid.";
    "MSH1502" "gateway-api-route-rules" Error "HTTPRoute or GRPCRoute rules or matches are invalid.";
    "MSH1503" "gateway-api-route-filters" Error "HTTPRoute or GRPCRoute filters are invalid or conflict.";
    "MSH1504" "gateway-api-regex-unsupported" Warning "A regular expression match that Istio cannot program.";
    "MSH1505" "gateway-api-warning" Warning "A Gateway API setting the API server accepts with a warning.";
    "MSH2001" "external-route-without-timeout" Warning "An HTTP route to a host outside the cluster has no timeout.";
    "MSH2002" "retries-without-per-try-timeout" Warning "A route retries without perTryTimeout.";
    "MSH2003" "subsets-without-outlier-detection" Warning "A DestinationRule with several subsets has no outlier detection.";
    "MSH2004" "https-gateway-wildcard-host" Warning "An HTTPS Gateway server accepts any host (`*`).";
    "MSH2005" "permissive-under-strict-mtls" Warning "A PeerAuthentication relaxes mTLS where the namespace or mesh requires STRICT.";
    "MSH2006" "allow-policy-empty-rules" Warning "An ALLOW AuthorizationPolicy's rules allow nothing, or a rule allows everything.";
    "MSH2007" "subset-pods-without-version-label" Info "Pods behind a DestinationRule with subsets have no `version` label.";
    "MSH3001" "shadowed-route" Warning "An HTTP rule or match can never match: an earlier rule takes every request it would.";
    "MSH3002" "duplicate-resource" Warning "The input defines the same resource (group, kind, namespace, name) twice; the later definition wins.";
    "MSH4001" "control-plane-present" Warning "An Istio control plane is already installed in the cluster.";
    "MSH4002" "insufficient-node-resources" Error "No schedulable node has room for a component of the installation.";
}

pub fn lookup(code: &str) -> Option<&'static CodeInfo> {
    CATALOG.iter().find(|c| c.code == code)
}

/// Where a user reads more about `code`: the command that prints its page.
pub fn see(code: &str) -> String {
    format!("meshctl explain {code}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_docs_page_and_every_page_a_code() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules");
        for c in CATALOG {
            let page = std::fs::read_to_string(dir.join(format!("{}.md", c.code)))
                .unwrap_or_else(|_| panic!("docs/rules/{}.md is missing", c.code));
            assert!(
                page.starts_with(&format!("# {} {}\n", c.code, c.name)),
                "docs/rules/{}.md must start with its code and name",
                c.code
            );
        }
        for entry in std::fs::read_dir(&dir).expect("docs/rules exists") {
            let name = entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned();
            let code = name.trim_end_matches(".md");
            assert!(
                lookup(code).is_some(),
                "docs/rules/{name} has no catalogue entry"
            );
        }
    }

    #[test]
    fn codes_are_sorted_unique_and_well_formed() {
        for pair in CATALOG.windows(2) {
            assert!(
                pair[0].code < pair[1].code,
                "{} before {}",
                pair[0].code,
                pair[1].code
            );
        }
        for c in CATALOG {
            assert!(c.code.len() == 7 && (c.code.starts_with("MSH") || c.code.starts_with("IST")));
            assert!(!c.summary.is_empty());
            assert!(
                c.name
                    .chars()
                    .all(|ch| ch.is_ascii_lowercase() || ch == '-')
            );
        }
    }
}
