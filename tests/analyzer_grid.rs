//! Istio's analyzer test grid (`pkg/config/analysis/analyzers/analyzers_test.go`, Istio 1.28):
//! one test per case, each running the case's analyzer (by Istio's name) over meshctl's own
//! fixture in `testdata/analyze/grid/` and asserting the exact list of (code, resource) pairs the
//! Istio case expects. The fixtures are written for meshctl from what each analyzer checks; they
//! are not Istio's test data. As in Istio's expectations, `Kind name` names an object written
//! without a namespace (meshctl places it in `default`).
//!
//! Four cases describe a namespace only through the resource under test (a Gateway, a
//! DestinationRule or a namespace-wide policy with no workload input at all); meshctl's
//! partial-input rules leave those unchecked, so they run with `--complete`, as Istio treats
//! its input as the whole cluster.

mod common;

use serde_json::Value;

use common::{meshctl, stderr, stdout};

/// Runs `analyze --analyzer NAME` over the fixtures and compares with `expected`.
fn check(
    analyzer: &str,
    files: &[&str],
    mesh: Option<&str>,
    complete: bool,
    expected: &[(&str, &str)],
) {
    let dir = "testdata/analyze/grid";
    let mut args: Vec<String> = vec![
        "analyze".into(),
        "-o".into(),
        "json".into(),
        "--use-kube=false".into(),
        "--analyzer".into(),
        analyzer.into(),
    ];
    if let Some(m) = mesh {
        args.push("--mesh-config".into());
        args.push(format!("{dir}/{m}"));
    }
    if complete {
        args.push("--complete".into());
    }
    args.extend(files.iter().map(|f| format!("{dir}/{f}")));
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = meshctl(&argv);
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("JSON output ({e}): {}{}", stdout(&out), stderr(&out)));
    let mut want: Vec<(String, String)> = expected
        .iter()
        .map(|(c, r)| (c.to_string(), r.to_string()))
        .collect();
    want.sort();
    let mut got: Vec<(String, String)> = v["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["code"].as_str().is_some_and(|c| c.starts_with("IST")))
        .map(|d| {
            let r = &d["resource"];
            let kind = r["kind"].as_str().unwrap_or("");
            let name = r["name"].as_str().unwrap_or("");
            let code = d["code"].as_str().unwrap_or("").to_string();
            let res = match r["namespace"].as_str() {
                Some(ns) => format!("{kind} {ns}/{name}"),
                None => format!("{kind} {name}"),
            };
            // Istio names objects written without a namespace by name alone.
            let bare = format!("{kind} {name}");
            let res = match r["namespace"].as_str() {
                Some("default") if want.contains(&(code.clone(), bare.clone())) => bare,
                _ => res,
            };
            (code, res)
        })
        .collect();
    got.sort();
    assert_eq!(got, want, "{}", stdout(&out));
}

/// Istio case 'misannoted' (annotations.K8sAnalyzer).
#[test]
fn misannoted() {
    check(
        "annotations.K8sAnalyzer",
        &["annotations.yaml"],
        None,
        false,
        &[
            ("IST0108", "Service httpbin"),
            ("IST0125", "Pod invalid-annotations"),
            ("IST0107", "Pod grafana-test"),
            ("IST0107", "Deployment fortio-deploy"),
            ("IST0107", "Namespace staging"),
            ("IST0135", "Deployment fortio-deploy"),
        ],
    );
}

/// Istio case 'alpha' (annotations.AlphaAnalyzer).
#[test]
fn alpha() {
    check(
        "annotations.AlphaAnalyzer",
        &["annotations.yaml"],
        None,
        false,
        &[
            ("IST0136", "Deployment fortio-deploy"),
            ("IST0136", "Pod invalid-annotations"),
            ("IST0136", "Pod invalid-annotations"),
            ("IST0136", "Service httpbin"),
            ("IST0136", "Pod anno-not-set-by-default"),
            ("IST0136", "Pod anno-not-set-by-default"),
            ("IST0136", "Pod anno-not-set-by-default"),
            ("IST0136", "Pod anno-not-set-by-default"),
        ],
    );
}

/// Istio case 'deprecation' (deprecation.DeprecationAnalyzer).
#[test]
fn deprecation() {
    check(
        "deprecation.DeprecationAnalyzer",
        &["deprecation.yaml"],
        None,
        false,
        &[
            ("IST0002", "VirtualService foo/productpage"),
            ("IST0002", "Sidecar default/no-selector"),
        ],
    );
}

/// Istio case 'externalControlPlaneMissingWebhooks' (externalcontrolplane.ExternalControlPlaneAnalyzer).
#[test]
fn externalcontrolplanemissingwebhooks() {
    check(
        "externalcontrolplane.ExternalControlPlaneAnalyzer",
        &["ecp-missing-urls.yaml"],
        None,
        false,
        &[
            (
                "IST0163",
                "MutatingWebhookConfiguration istio-sidecar-injector-external-istiod",
            ),
            (
                "IST0163",
                "ValidatingWebhookConfiguration istio-validator-external-istiod",
            ),
        ],
    );
}

/// Istio case 'externalControlPlaneMissingWebhooks' (externalcontrolplane.ExternalControlPlaneAnalyzer).
#[test]
fn externalcontrolplanemissingwebhooks_4() {
    check(
        "externalcontrolplane.ExternalControlPlaneAnalyzer",
        &["ecp-missing-urls-custom-ns.yaml"],
        None,
        false,
        &[
            (
                "IST0163",
                "MutatingWebhookConfiguration istio-sidecar-injector-custom-ns",
            ),
            (
                "IST0163",
                "ValidatingWebhookConfiguration istio-validator-custom-ns",
            ),
        ],
    );
}

/// Istio case 'externalControlPlaneUsingIpAddresses' (externalcontrolplane.ExternalControlPlaneAnalyzer).
#[test]
fn externalcontrolplaneusingipaddresses() {
    check(
        "externalcontrolplane.ExternalControlPlaneAnalyzer",
        &["ecp-ip-address.yaml"],
        None,
        false,
        &[(
            "IST0164",
            "MutatingWebhookConfiguration istio-sidecar-injector-external-istiod",
        )],
    );
}

/// Istio case 'externalControlPlaneValidWebhooks' (externalcontrolplane.ExternalControlPlaneAnalyzer).
#[test]
fn externalcontrolplanevalidwebhooks() {
    check(
        "externalcontrolplane.ExternalControlPlaneAnalyzer",
        &["ecp-valid-urls.yaml"],
        None,
        false,
        &[],
    );
}

/// Istio case 'externalControlPlaneValidWebhooks' (externalcontrolplane.ExternalControlPlaneAnalyzer).
#[test]
fn externalcontrolplanevalidwebhooks_7() {
    check(
        "externalcontrolplane.ExternalControlPlaneAnalyzer",
        &["ecp-valid-urls-custom-ns.yaml"],
        None,
        false,
        &[],
    );
}

/// Istio case 'gatewayNoWorkload' (gateway.IngressGatewayPortAnalyzer).
#[test]
fn gatewaynoworkload() {
    check(
        "gateway.IngressGatewayPortAnalyzer",
        &["gateway-no-workload.yaml"],
        None,
        true,
        &[("IST0101", "Gateway httpbin-gateway")],
    );
}

/// Istio case 'gatewayBadPort' (gateway.IngressGatewayPortAnalyzer).
#[test]
fn gatewaybadport() {
    check(
        "gateway.IngressGatewayPortAnalyzer",
        &["gateway-bad-port.yaml"],
        None,
        false,
        &[("IST0162", "Gateway httpbin-gateway")],
    );
}

/// Istio case 'gatewayCorrectPort' (gateway.IngressGatewayPortAnalyzer).
#[test]
fn gatewaycorrectport() {
    check(
        "gateway.IngressGatewayPortAnalyzer",
        &["gateway-correct-port.yaml"],
        None,
        false,
        &[],
    );
}

/// Istio case 'gatewayCustomIngressGateway' (gateway.IngressGatewayPortAnalyzer).
#[test]
fn gatewaycustomingressgateway() {
    check(
        "gateway.IngressGatewayPortAnalyzer",
        &["gateway-custom.yaml"],
        None,
        false,
        &[],
    );
}

/// Istio case 'gatewayCustomIngressGatewayBadPort' (gateway.IngressGatewayPortAnalyzer).
#[test]
fn gatewaycustomingressgatewaybadport() {
    check(
        "gateway.IngressGatewayPortAnalyzer",
        &["gateway-custom-bad-port.yaml"],
        None,
        false,
        &[("IST0162", "Gateway httpbin-gateway")],
    );
}

/// Istio case 'gatewayCustomIngressGatewayBadPortWithoutTarget' (gateway.IngressGatewayPortAnalyzer).
#[test]
fn gatewaycustomingressgatewaybadportwithouttarget() {
    check(
        "gateway.IngressGatewayPortAnalyzer",
        &["gateway-custom-bad-port-no-target.yaml"],
        None,
        false,
        &[("IST0162", "Gateway httpbin-gateway")],
    );
}

/// Istio case 'gatewayCustomIngressGatewayTranslation' (gateway.IngressGatewayPortAnalyzer).
#[test]
fn gatewaycustomingressgatewaytranslation() {
    check(
        "gateway.IngressGatewayPortAnalyzer",
        &["gateway-custom-translation.yaml"],
        None,
        false,
        &[],
    );
}

/// Istio case 'gatewayServiceMatchPod' (gateway.IngressGatewayPortAnalyzer).
#[test]
fn gatewayservicematchpod() {
    check(
        "gateway.IngressGatewayPortAnalyzer",
        &["gateway-service-selector.yaml"],
        None,
        false,
        &[("IST0162", "Gateway httpbin8002-gateway")],
    );
}

/// Istio case 'gatewaySecret' (gateway.SecretAnalyzer).
#[test]
fn gatewaysecret() {
    check(
        "gateway.SecretAnalyzer",
        &["gateway-secrets.yaml"],
        None,
        false,
        &[
            ("IST0101", "Gateway defaultgateway-bogusCredentialName"),
            ("IST0101", "Gateway customgateway-wrongnamespace"),
            ("IST0101", "Gateway bogusgateway"),
        ],
    );
}

/// Istio case 'gatewaySecretValidations' (gateway.SecretAnalyzer).
#[test]
fn gatewaysecretvalidations() {
    check(
        "gateway.SecretAnalyzer",
        &["gateway-secrets-validation.yaml"],
        None,
        false,
        &[
            ("IST0161", "Gateway defaultgateway-invalid-keys"),
            ("IST0161", "Gateway defaultgateway-missing-keys"),
            ("IST0161", "Gateway defaultgateway-invalid-cert"),
            ("IST0161", "Gateway defaultgateway-expired"),
        ],
    );
}

/// Istio case 'conflicting gateways detect' (gateway.ConflictingGatewayAnalyzer).
#[test]
fn conflicting_gateways_detect() {
    check(
        "gateway.ConflictingGatewayAnalyzer",
        &["conflicting-gateways.yaml"],
        None,
        false,
        &[("IST0145", "Gateway alpha"), ("IST0145", "Gateway beta")],
    );
}

/// Istio case 'gateways with different port are non-conflicting' (gateway.ConflictingGatewayAnalyzer).
#[test]
fn gateways_with_different_port_are_non_conflicting() {
    check(
        "gateway.ConflictingGatewayAnalyzer",
        &["gateways-different-ports.yaml"],
        None,
        false,
        &[],
    );
}

/// Istio case 'conflicting gateways with multiple port declarations' (gateway.ConflictingGatewayAnalyzer).
#[test]
fn conflicting_gateways_with_multiple_port_declarations() {
    check(
        "gateway.ConflictingGatewayAnalyzer",
        &["conflicting-gateways-ports.yaml"],
        None,
        false,
        &[("IST0145", "Gateway alpha"), ("IST0145", "Gateway beta")],
    );
}

/// Istio case 'conflicting gateways detect by sub selector' (gateway.ConflictingGatewayAnalyzer).
#[test]
fn conflicting_gateways_detect_by_sub_selector() {
    check(
        "gateway.ConflictingGatewayAnalyzer",
        &["conflicting-gateways-subselector.yaml"],
        None,
        false,
        &[("IST0145", "Gateway alpha"), ("IST0145", "Gateway beta")],
    );
}

/// Istio case 'conflicting gateways detect: no port' (gateway.ConflictingGatewayAnalyzer).
#[test]
fn conflicting_gateways_detect_no_port() {
    check(
        "gateway.ConflictingGatewayAnalyzer",
        &["conflicting-gateways-no-port.yaml"],
        None,
        false,
        &[],
    );
}

/// Istio case 'istioInjection' (injection.Analyzer).
#[test]
fn istioinjection() {
    check(
        "injection.Analyzer",
        &["injection.yaml"],
        None,
        false,
        &[
            ("IST0102", "Namespace bar"),
            ("IST0103", "Pod default/noninjectedpod"),
            ("IST0123", "Namespace busted"),
            ("IST0123", "Namespace multi-ns-1"),
            ("IST0123", "Namespace multi-ns-2"),
            ("IST0123", "Namespace multi-ns-3"),
        ],
    );
}

/// Istio case 'istioInjectionEnableNamespacesByDefault' (injection.Analyzer).
#[test]
fn istioinjectionenablenamespacesbydefault() {
    check(
        "injection.Analyzer",
        &["injection.yaml", "injector-enabled-by-default.yaml"],
        None,
        false,
        &[
            ("IST0148", "Namespace bar"),
            ("IST0103", "Pod default/noninjectedpod"),
            ("IST0123", "Namespace busted"),
            ("IST0123", "Namespace multi-ns-1"),
            ("IST0123", "Namespace multi-ns-2"),
            ("IST0123", "Namespace multi-ns-3"),
        ],
    );
}

/// Istio case 'istioInjectionProxyImageMismatch' (injection.ImageAnalyzer).
#[test]
fn istioinjectionproxyimagemismatch() {
    check(
        "injection.ImageAnalyzer",
        &["proxy-images.yaml", "injector-configmap.yaml"],
        None,
        false,
        &[
            ("IST0158", "Namespace enabled-namespace"),
            ("IST0158", "Namespace enabled-namespace-native"),
        ],
    );
}

/// Istio case 'injectionImageDistroless' (injection.ImageAnalyzer).
#[test]
fn injectionimagedistroless() {
    check(
        "injection.ImageAnalyzer",
        &["proxy-images-distroless.yaml", "injector-configmap.yaml"],
        Some("meshconfig-distroless.yaml"),
        false,
        &[("IST0158", "Namespace enabled-namespace")],
    );
}

/// Istio case 'injectionImageDistrolessNoMeshConfig' (injection.ImageAnalyzer).
#[test]
fn injectionimagedistrolessnomeshconfig() {
    check(
        "injection.ImageAnalyzer",
        &[
            "proxy-images-distroless-no-mesh.yaml",
            "injector-configmap.yaml",
        ],
        None,
        false,
        &[],
    );
}

/// Istio case 'istioInjectionProxyImageMismatchAbsolute' (injection.ImageAnalyzer).
#[test]
fn istioinjectionproxyimagemismatchabsolute() {
    check(
        "injection.ImageAnalyzer",
        &["proxy-images.yaml", "injector-configmap-full-image.yaml"],
        None,
        false,
        &[
            ("IST0158", "Namespace enabled-namespace"),
            ("IST0158", "Namespace enabled-namespace-native"),
        ],
    );
}

/// Istio case 'istioInjectionProxyImageMismatchWithRevisionCanary' (injection.ImageAnalyzer).
#[test]
fn istioinjectionproxyimagemismatchwithrevisioncanary() {
    check(
        "injection.ImageAnalyzer",
        &[
            "proxy-images.yaml",
            "injector-configmap-full-image.yaml",
            "injector-configmap-canary.yaml",
        ],
        None,
        false,
        &[
            ("IST0158", "Namespace enabled-namespace"),
            ("IST0158", "Namespace enabled-namespace-native"),
            ("IST0158", "Namespace revision-namespace"),
        ],
    );
}

/// Istio case 'portNameNotFollowConvention' (service.PortNameAnalyzer).
#[test]
fn portnamenotfollowconvention() {
    check(
        "service.PortNameAnalyzer",
        &["port-names-unnamed.yaml"],
        None,
        false,
        &[
            ("IST0118", "Service my-namespace1/my-service1"),
            ("IST0118", "Service my-namespace1/my-service1"),
            ("IST0118", "Service my-namespace2/my-service2"),
        ],
    );
}

/// Istio case 'namedPort' (service.PortNameAnalyzer).
#[test]
fn namedport() {
    check(
        "service.PortNameAnalyzer",
        &["port-names.yaml"],
        None,
        false,
        &[],
    );
}

/// Istio case 'unnamedPortInSystemNamespace' (service.PortNameAnalyzer).
#[test]
fn unnamedportinsystemnamespace() {
    check(
        "service.PortNameAnalyzer",
        &["port-names-system.yaml"],
        None,
        false,
        &[],
    );
}

/// Istio case 'sidecarDefaultSelector' (sidecar.SelectorAnalyzer).
#[test]
fn sidecardefaultselector() {
    check(
        "sidecar.SelectorAnalyzer",
        &["sidecar-default-selector.yaml"],
        None,
        false,
        &[
            ("IST0111", "Sidecar ns2/has-conflict-2"),
            ("IST0111", "Sidecar ns2/has-conflict-1"),
            ("IST0167", "Sidecar ns-ambient/namespace-scoped"),
            ("IST0167", "Sidecar ns-ambient/pod-scoped"),
        ],
    );
}

/// Istio case 'sidecarSelector' (sidecar.SelectorAnalyzer).
#[test]
fn sidecarselector() {
    check(
        "sidecar.SelectorAnalyzer",
        &["sidecar-selector.yaml"],
        None,
        false,
        &[
            ("IST0101", "Sidecar default/maps-to-nonexistent"),
            ("IST0101", "Sidecar other/maps-to-different-ns"),
            ("IST0110", "Sidecar default/dupe-1"),
            ("IST0110", "Sidecar default/dupe-2"),
            ("IST0110", "Sidecar default/overlap-1"),
            ("IST0110", "Sidecar default/overlap-2"),
        ],
    );
}

/// Istio case 'virtualServiceConflictingMeshGatewayHosts' (virtualservice.ConflictingMeshGatewayHostsAnalyzer).
#[test]
fn virtualserviceconflictingmeshgatewayhosts() {
    check(
        "virtualservice.ConflictingMeshGatewayHostsAnalyzer",
        &["mesh-hosts.yaml"],
        None,
        false,
        &[
            ("IST0109", "VirtualService team3/ratings"),
            ("IST0109", "VirtualService team4/ratings"),
            ("IST0109", "VirtualService foo/ratings"),
            ("IST0109", "VirtualService bar/ratings"),
            ("IST0109", "VirtualService foo/productpage"),
            ("IST0109", "VirtualService foo/bogus-productpage"),
            ("IST0109", "VirtualService team2/ratings"),
        ],
    );
}

/// Istio case 'virtualServiceConflictingMeshGatewayHostsWithExportTo' (virtualservice.ConflictingMeshGatewayHostsAnalyzer).
#[test]
fn virtualserviceconflictingmeshgatewayhostswithexportto() {
    check(
        "virtualservice.ConflictingMeshGatewayHostsAnalyzer",
        &["mesh-hosts-export-to.yaml"],
        None,
        false,
        &[
            ("IST0109", "VirtualService foo/productpage"),
            ("IST0109", "VirtualService bar/productpage"),
            ("IST0109", "VirtualService foo/productpage-c"),
            ("IST0109", "VirtualService bar/productpage-c"),
            ("IST0109", "VirtualService foo/productpage-d"),
            ("IST0109", "VirtualService bar/productpage-d"),
        ],
    );
}

/// Istio case 'virtualServiceDestinationHosts' (virtualservice.DestinationHostAnalyzer).
#[test]
fn virtualservicedestinationhosts() {
    check(
        "virtualservice.DestinationHostAnalyzer",
        &["destination-hosts.yaml"],
        None,
        false,
        &[
            ("IST0101", "VirtualService default/reviews-bogushost"),
            ("IST0101", "VirtualService default/reviews-bogushost"),
            ("IST0101", "VirtualService default/reviews-bookinfo-other"),
            ("IST0101", "VirtualService default/reviews-mirror-bogushost"),
            ("IST0101", "VirtualService default/reviews-bogusport"),
            ("IST0112", "VirtualService default/reviews-2port-missing"),
            (
                "IST0101",
                "VirtualService istio-system/cross-namespace-details",
            ),
            ("IST0101", "VirtualService hello/hello-export-to-bogus"),
        ],
    );
}

/// Istio case 'virtualServiceDestinationRules' (virtualservice.DestinationRuleAnalyzer).
#[test]
fn virtualservicedestinationrules() {
    check(
        "virtualservice.DestinationRuleAnalyzer",
        &["destination-rules.yaml"],
        None,
        false,
        &[
            ("IST0101", "VirtualService default/reviews-bogussubset"),
            (
                "IST0101",
                "VirtualService default/reviews-mirror-bogussubset",
            ),
        ],
    );
}

/// Istio case 'virtualServiceGateways' (virtualservice.GatewayAnalyzer).
#[test]
fn virtualservicegateways() {
    check(
        "virtualservice.GatewayAnalyzer",
        &["vs-gateways.yaml"],
        None,
        false,
        &[
            ("IST0101", "VirtualService httpbin-bogus"),
            ("IST0132", "VirtualService default/cross-test"),
            ("IST0132", "VirtualService httpbin-bogus"),
            ("IST0132", "VirtualService httpbin"),
        ],
    );
}

/// Istio case 'virtualServiceKubernetesGateways' (virtualservice.GatewayAnalyzer).
#[test]
fn virtualservicekubernetesgateways() {
    check(
        "virtualservice.GatewayAnalyzer",
        &["vs-kubernetes-gateways.yaml"],
        None,
        false,
        &[("IST0132", "VirtualService default/my-vs-host-mismatch")],
    );
}

/// Istio case 'virtualServiceJWTClaimRoute' (virtualservice.JWTClaimRouteAnalyzer).
#[test]
fn virtualservicejwtclaimroute() {
    check(
        "virtualservice.JWTClaimRouteAnalyzer",
        &["jwt-claim-route.yaml"],
        None,
        false,
        &[("IST0149", "VirtualService foo")],
    );
}

/// Istio case 'virtualServiceInternalGatewayRef' (virtualservice.GatewayAnalyzer).
#[test]
fn virtualserviceinternalgatewayref() {
    check(
        "virtualservice.GatewayAnalyzer",
        &["internal-gateway-ref.yaml"],
        None,
        false,
        &[("IST0165", "VirtualService httpbin")],
    );
}

/// Istio case 'serviceMultipleDeployments' (deployment.ServiceAssociationAnalyzer).
#[test]
fn servicemultipledeployments() {
    check(
        "deployment.ServiceAssociationAnalyzer",
        &["multi-service.yaml"],
        None,
        false,
        &[
            ("IST0116", "Deployment bookinfo/multiple-svc-multiple-prot"),
            ("IST0116", "Deployment bookinfo/multiple-without-port"),
            ("IST0137", "Deployment bookinfo/conflicting-ports"),
        ],
    );
}

/// Istio case 'deploymentMultiServicesInDifferentNamespace' (deployment.ServiceAssociationAnalyzer).
#[test]
fn deploymentmultiservicesindifferentnamespace() {
    check(
        "deployment.ServiceAssociationAnalyzer",
        &["multi-service-other-ns.yaml"],
        None,
        false,
        &[],
    );
}

/// Istio case 'serviceWithNoSelector' (deployment.ServiceAssociationAnalyzer).
#[test]
fn servicewithnoselector() {
    check(
        "deployment.ServiceAssociationAnalyzer",
        &["service-no-selector.yaml"],
        None,
        false,
        &[],
    );
}

/// Istio case 'unknown service registry in mesh networks' (meshnetworks.MeshNetworksAnalyzer).
#[test]
fn unknown_service_registry_in_mesh_networks() {
    check(
        "meshnetworks.MeshNetworksAnalyzer",
        &["registry-secret.yaml"],
        Some("meshnetworks.yaml"),
        false,
        &[
            ("IST0126", "MeshNetworks istio-system/meshnetworks"),
            ("IST0126", "MeshNetworks istio-system/meshnetworks"),
        ],
    );
}

/// Istio case 'blockedCIDRsMissing' (authn.BlockedCIDRsAnalyzer).
#[test]
fn blockedcidrsmissing() {
    check(
        "authn.BlockedCIDRsAnalyzer",
        &["blocked-cidrs-missing.yaml"],
        None,
        false,
        &[("IST0175", "Deployment istio-system/istiod")],
    );
}

/// Istio case 'blockedCIDRsConfigured' (authn.BlockedCIDRsAnalyzer).
#[test]
fn blockedcidrsconfigured() {
    check(
        "authn.BlockedCIDRsAnalyzer",
        &["blocked-cidrs-set.yaml"],
        None,
        false,
        &[],
    );
}

/// Istio case 'blockedCIDRsNoRA' (authn.BlockedCIDRsAnalyzer).
#[test]
fn blockedcidrsnora() {
    check(
        "authn.BlockedCIDRsAnalyzer",
        &["blocked-cidrs-no-ra.yaml"],
        None,
        false,
        &[],
    );
}

/// Istio case 'authorizationpolicies' (auth.AuthorizationPoliciesAnalyzer).
#[test]
fn authorizationpolicies() {
    check(
        "auth.AuthorizationPoliciesAnalyzer",
        &["authorization-policies.yaml"],
        None,
        true,
        &[
            (
                "IST0127",
                "AuthorizationPolicy istio-system/meshwide-httpbin-v1",
            ),
            (
                "IST0127",
                "AuthorizationPolicy httpbin-empty/httpbin-empty-namespace-wide",
            ),
            ("IST0127", "AuthorizationPolicy httpbin/httpbin-nopods"),
            ("IST0101", "AuthorizationPolicy httpbin/httpbin-bogus-ns"),
            ("IST0101", "AuthorizationPolicy httpbin/httpbin-bogus-ns"),
            (
                "IST0101",
                "AuthorizationPolicy httpbin/httpbin-bogus-not-ns",
            ),
            (
                "IST0101",
                "AuthorizationPolicy httpbin/httpbin-bogus-not-ns",
            ),
            ("IST0127", "AuthorizationPolicy test-ambient/no-workload"),
        ],
    );
}

/// Istio case 'destinationrule with no cacert, simple at destinationlevel' (destinationrule.CaCertificateAnalyzer).
#[test]
fn destinationrule_with_no_cacert_simple_at_destinationlevel() {
    check(
        "destinationrule.CaCertificateAnalyzer",
        &["dr-simple.yaml"],
        None,
        false,
        &[("IST0128", "DestinationRule db-tls")],
    );
}

/// Istio case 'destinationrule with no cacert, mutual at destinationlevel' (destinationrule.CaCertificateAnalyzer).
#[test]
fn destinationrule_with_no_cacert_mutual_at_destinationlevel() {
    check(
        "destinationrule.CaCertificateAnalyzer",
        &["dr-mutual.yaml"],
        None,
        false,
        &[("IST0128", "DestinationRule db-mtls")],
    );
}

/// Istio case 'destinationrule with no cacert, simple at portlevel' (destinationrule.CaCertificateAnalyzer).
#[test]
fn destinationrule_with_no_cacert_simple_at_portlevel() {
    check(
        "destinationrule.CaCertificateAnalyzer",
        &["dr-simple-port.yaml"],
        None,
        false,
        &[("IST0129", "DestinationRule db-tls")],
    );
}

/// Istio case 'destinationrule with credentialname, simple at destinationlevel, no workloadSelector' (destinationrule.CaCertificateAnalyzer).
#[test]
fn destinationrule_with_credentialname_simple_at_destinationlevel_no_workloadselector() {
    check(
        "destinationrule.CaCertificateAnalyzer",
        &["dr-credential.yaml"],
        None,
        false,
        &[("IST0128", "DestinationRule db-tls")],
    );
}

/// Istio case 'destinationrule with credentialname, simple at destinationlevel, workloadSelector' (destinationrule.CaCertificateAnalyzer).
#[test]
fn destinationrule_with_credentialname_simple_at_destinationlevel_workloadselector() {
    check(
        "destinationrule.CaCertificateAnalyzer",
        &["dr-credential-selector.yaml"],
        None,
        false,
        &[],
    );
}

/// Istio case 'destinationrule with credentialname, simple at portlevel, no workloadSelector' (destinationrule.CaCertificateAnalyzer).
#[test]
fn destinationrule_with_credentialname_simple_at_portlevel_no_workloadselector() {
    check(
        "destinationrule.CaCertificateAnalyzer",
        &["dr-credential-port.yaml"],
        None,
        false,
        &[("IST0129", "DestinationRule db-tls")],
    );
}

/// Istio case 'destinationrule with credentialname, simple at portlevel, workloadSelector' (destinationrule.CaCertificateAnalyzer).
#[test]
fn destinationrule_with_credentialname_simple_at_portlevel_workloadselector() {
    check(
        "destinationrule.CaCertificateAnalyzer",
        &["dr-credential-port-selector.yaml"],
        None,
        false,
        &[],
    );
}

/// Istio case 'destinationrule with no cacert, mutual at portlevel' (destinationrule.CaCertificateAnalyzer).
#[test]
fn destinationrule_with_no_cacert_mutual_at_portlevel() {
    check(
        "destinationrule.CaCertificateAnalyzer",
        &["dr-mutual-port.yaml"],
        None,
        false,
        &[("IST0129", "DestinationRule db-mtls")],
    );
}

/// Istio case 'destinationrule with no cacert, mutual at destinationlevel and simple at port level' (destinationrule.CaCertificateAnalyzer).
#[test]
fn destinationrule_with_no_cacert_mutual_at_destinationlevel_and_simple_at_port_level() {
    check(
        "destinationrule.CaCertificateAnalyzer",
        &["dr-mutual-simple-port.yaml"],
        None,
        false,
        &[
            ("IST0128", "DestinationRule db-mtls"),
            ("IST0129", "DestinationRule db-mtls"),
        ],
    );
}

/// Istio case 'destinationrule with no cacert, simple at destinationlevel and mutual at port level' (destinationrule.CaCertificateAnalyzer).
#[test]
fn destinationrule_with_no_cacert_simple_at_destinationlevel_and_mutual_at_port_level() {
    check(
        "destinationrule.CaCertificateAnalyzer",
        &["dr-simple-mutual-port.yaml"],
        None,
        false,
        &[
            ("IST0129", "DestinationRule db-mtls"),
            ("IST0128", "DestinationRule db-mtls"),
        ],
    );
}

/// Istio case 'destinationrule with both cacerts' (destinationrule.CaCertificateAnalyzer).
#[test]
fn destinationrule_with_both_cacerts() {
    check(
        "destinationrule.CaCertificateAnalyzer",
        &["dr-with-ca.yaml"],
        None,
        false,
        &[],
    );
}

/// Istio case 'dupmatches' (schema.ValidationAnalyzer).
#[test]
fn dupmatches() {
    check(
        "schema.ValidationAnalyzer",
        &["dup-matches.yaml", "overlapping-matches.yaml"],
        None,
        false,
        &[
            ("IST0130", "VirtualService duplicate-match"),
            ("IST0130", "VirtualService foo/sample-foo-cluster01"),
            ("IST0131", "VirtualService almost-duplicate-match"),
            ("IST0131", "VirtualService duplicate-match"),
            ("IST0130", "VirtualService duplicate-tcp-match"),
            ("IST0130", "VirtualService duplicate-empty-tcp"),
            ("IST0131", "VirtualService almost-duplicate-tcp-match"),
            ("IST0131", "VirtualService duplicate-tcp-match"),
            ("IST0130", "VirtualService none/tls-routing"),
            ("IST0131", "VirtualService none/tls-routing-almostmatch"),
            ("IST0131", "VirtualService none/tls-routing"),
            ("IST0131", "VirtualService non-method-get"),
            ("IST0131", "VirtualService overlapping-in-single-match"),
            ("IST0131", "VirtualService overlapping-in-two-matches"),
            (
                "IST0131",
                "VirtualService overlapping-mathes-with-different-methods",
            ),
        ],
    );
}

/// Istio case 'host defined in virtualservice not found in the gateway' (virtualservice.GatewayAnalyzer).
#[test]
fn host_defined_in_virtualservice_not_found_in_the_gateway() {
    check(
        "virtualservice.GatewayAnalyzer",
        &["vs-host-gateway.yaml"],
        None,
        false,
        &[
            (
                "IST0132",
                "VirtualService default/testing-service-02-test-01",
            ),
            (
                "IST0132",
                "VirtualService default/testing-service-02-test-02",
            ),
            (
                "IST0132",
                "VirtualService default/testing-service-02-test-03",
            ),
            (
                "IST0132",
                "VirtualService default/testing-service-03-test-04",
            ),
        ],
    );
}

/// Istio case 'host defined in virtualservice not found in the gateway(beta version)' (virtualservice.GatewayAnalyzer).
#[test]
fn host_defined_in_virtualservice_not_found_in_the_gateway_beta_version() {
    check(
        "virtualservice.GatewayAnalyzer",
        &["vs-host-gateway-beta.yaml"],
        None,
        false,
        &[
            (
                "IST0132",
                "VirtualService default/testing-service-02-test-01",
            ),
            (
                "IST0132",
                "VirtualService default/testing-service-02-test-02",
            ),
            (
                "IST0132",
                "VirtualService default/testing-service-02-test-03",
            ),
            (
                "IST0132",
                "VirtualService default/testing-service-03-test-04",
            ),
        ],
    );
}

/// Istio case 'host defined in virtualservice not found in the gateway with ns' (virtualservice.GatewayAnalyzer).
#[test]
fn host_defined_in_virtualservice_not_found_in_the_gateway_with_ns() {
    check(
        "virtualservice.GatewayAnalyzer",
        &["vs-host-gateway-ns.yaml"],
        None,
        false,
        &[(
            "IST0132",
            "VirtualService default/testing-service-01-test-01",
        )],
    );
}

/// Istio case 'host defined in virtualservice not found in the gateway with ns(beta version)' (virtualservice.GatewayAnalyzer).
#[test]
fn host_defined_in_virtualservice_not_found_in_the_gateway_with_ns_beta_version() {
    check(
        "virtualservice.GatewayAnalyzer",
        &["vs-host-gateway-ns-beta.yaml"],
        None,
        false,
        &[(
            "IST0132",
            "VirtualService default/testing-service-01-test-01",
        )],
    );
}

/// Istio case 'missing Addresses and Protocol in Service Entry' (serviceentry.ProtocolAddressesAnalyzer).
#[test]
fn missing_addresses_and_protocol_in_service_entry() {
    check(
        "serviceentry.ProtocolAddressesAnalyzer",
        &["se-addresses.yaml"],
        None,
        false,
        &[
            ("IST0134", "ServiceEntry default/service-entry-test-03"),
            ("IST0134", "ServiceEntry default/service-entry-test-04"),
            ("IST0134", "ServiceEntry default/service-entry-test-07"),
        ],
    );
}

/// Istio case 'missing Addresses and Protocol in Service Entry with ISTIO_META_DNS_AUTO_ALLOCATE enabled' (serviceentry.ProtocolAddressesAnalyzer).
#[test]
fn missing_addresses_and_protocol_in_service_entry_with_istio_meta_dns_auto_allocate_enabled() {
    check(
        "serviceentry.ProtocolAddressesAnalyzer",
        &["se-addresses.yaml"],
        Some("meshconfig-dns-auto-allocate.yaml"),
        false,
        &[],
    );
}

/// Istio case 'certificate duplication in Gateway' (gateway.CertificateAnalyzer).
#[test]
fn certificate_duplication_in_gateway() {
    check(
        "gateway.CertificateAnalyzer",
        &["duplicate-certificates.yaml"],
        None,
        false,
        &[
            ("IST0138", "Gateway istio-system/gateway-01-test-01"),
            ("IST0138", "Gateway istio-system/gateway-02-test-01"),
            ("IST0138", "Gateway istio-system/gateway-01-test-02"),
            ("IST0138", "Gateway default/gateway-01-test-03"),
        ],
    );
}

/// Istio case 'webook' (webhook.Analyzer).
#[test]
fn webook() {
    check(
        "webhook.Analyzer",
        &["webhooks.yaml"],
        None,
        false,
        &[
            (
                "IST0139",
                "MutatingWebhookConfiguration istio-sidecar-injector-missing-overlap",
            ),
            (
                "IST0139",
                "MutatingWebhookConfiguration istio-sidecar-injector-missing-overlap",
            ),
            (
                "IST0139",
                "MutatingWebhookConfiguration istio-sidecar-injector-overlap",
            ),
        ],
    );
}

/// Istio case 'Route Rule no effect on Ingress' (virtualservice.DestinationHostAnalyzer).
#[test]
fn route_rule_no_effect_on_ingress() {
    check(
        "virtualservice.DestinationHostAnalyzer",
        &["ingress-subsets.yaml"],
        None,
        false,
        &[(
            "IST0140",
            "VirtualService default/testing-service-01-test-01",
        )],
    );
}

/// Istio case 'Application Pod SecurityContext with UID 1337' (deployment.ApplicationUIDAnalyzer).
#[test]
fn application_pod_securitycontext_with_uid_1337() {
    check(
        "deployment.ApplicationUIDAnalyzer",
        &["uid-pod.yaml"],
        None,
        false,
        &[("IST0144", "Pod pod-sec-uid")],
    );
}

/// Istio case 'Application Container SecurityContext with UID 1337' (deployment.ApplicationUIDAnalyzer).
#[test]
fn application_container_securitycontext_with_uid_1337() {
    check(
        "deployment.ApplicationUIDAnalyzer",
        &["uid-container.yaml"],
        None,
        false,
        &[("IST0144", "Pod con-sec-uid")],
    );
}

/// Istio case 'Deployment Pod SecurityContext with UID 1337' (deployment.ApplicationUIDAnalyzer).
#[test]
fn deployment_pod_securitycontext_with_uid_1337() {
    check(
        "deployment.ApplicationUIDAnalyzer",
        &["uid-deployment-pod.yaml"],
        None,
        false,
        &[("IST0144", "Deployment deploy-pod-sec-uid")],
    );
}

/// Istio case 'Deployment Container SecurityContext with UID 1337' (deployment.ApplicationUIDAnalyzer).
#[test]
fn deployment_container_securitycontext_with_uid_1337() {
    check(
        "deployment.ApplicationUIDAnalyzer",
        &["uid-deployment-container.yaml"],
        None,
        false,
        &[("IST0144", "Deployment deploy-con-sec-uid")],
    );
}

/// Istio case 'Detect `image: auto` in non-injected pods' (injection.ImageAutoAnalyzer).
#[test]
fn detect_image_auto_in_non_injected_pods() {
    check(
        "injection.ImageAutoAnalyzer",
        &["image-auto.yaml"],
        None,
        false,
        &[
            (
                "IST0146",
                "Deployment not-injected/non-injected-gateway-deployment",
            ),
            ("IST0147", "Pod default/injected-pod"),
        ],
    );
}

/// Istio case 'ExternalNameServiceTypeInvalidPortName' (service.PortNameAnalyzer).
#[test]
fn externalnameservicetypeinvalidportname() {
    check(
        "service.PortNameAnalyzer",
        &["external-name-bad.yaml"],
        None,
        false,
        &[
            ("IST0150", "Service nginx-ns/nginx"),
            ("IST0150", "Service nginx-ns2/nginx-svc2"),
            ("IST0150", "Service nginx-ns3/nginx-svc3"),
        ],
    );
}

/// Istio case 'ExternalNameServiceTypeValidPortName' (service.PortNameAnalyzer).
#[test]
fn externalnameservicetypevalidportname() {
    check(
        "service.PortNameAnalyzer",
        &["external-name-good.yaml"],
        None,
        false,
        &[],
    );
}

/// Istio case 'EnvoyFilterUsesRelativeOperation' (envoyfilter.EnvoyPatchAnalyzer).
#[test]
fn envoyfilterusesrelativeoperation() {
    check(
        "envoyfilter.EnvoyPatchAnalyzer",
        &["ef-relative.yaml"],
        None,
        false,
        &[
            ("IST0151", "EnvoyFilter bookinfo/test-relative-1"),
            ("IST0151", "EnvoyFilter bookinfo/test-relative-2"),
            ("IST0151", "EnvoyFilter bookinfo/test-relative-3"),
            ("IST0155", "EnvoyFilter bookinfo/test-relative-3"),
        ],
    );
}

/// Istio case 'EnvoyFilterFilterChainMatch' (envoyfilter.EnvoyPatchAnalyzer).
#[test]
fn envoyfilterfilterchainmatch() {
    check(
        "envoyfilter.EnvoyPatchAnalyzer",
        &["ef-filter-chain.yaml"],
        None,
        false,
        &[],
    );
}

/// Istio case 'EnvoyFilterUsesAbsoluteOperation' (envoyfilter.EnvoyPatchAnalyzer).
#[test]
fn envoyfilterusesabsoluteoperation() {
    check(
        "envoyfilter.EnvoyPatchAnalyzer",
        &["ef-absolute.yaml"],
        None,
        false,
        &[],
    );
}

/// Istio case 'EnvoyFilterUsesReplaceOperation' (envoyfilter.EnvoyPatchAnalyzer).
#[test]
fn envoyfilterusesreplaceoperation() {
    check(
        "envoyfilter.EnvoyPatchAnalyzer",
        &["ef-replace.yaml"],
        None,
        false,
        &[
            ("IST0152", "EnvoyFilter bookinfo/test-replace-1"),
            ("IST0155", "EnvoyFilter bookinfo/test-replace-3"),
            ("IST0151", "EnvoyFilter bookinfo/test-replace-3"),
        ],
    );
}

/// Istio case 'EnvoyFilterUsesAddOperation' (envoyfilter.EnvoyPatchAnalyzer).
#[test]
fn envoyfilterusesaddoperation() {
    check(
        "envoyfilter.EnvoyPatchAnalyzer",
        &["ef-add.yaml"],
        None,
        false,
        &[
            ("IST0153", "EnvoyFilter bookinfo/test-auth-2"),
            ("IST0153", "EnvoyFilter bookinfo/test-auth-3"),
        ],
    );
}

/// Istio case 'EnvoyFilterUsesRemoveOperation' (envoyfilter.EnvoyPatchAnalyzer).
#[test]
fn envoyfilterusesremoveoperation() {
    check(
        "envoyfilter.EnvoyPatchAnalyzer",
        &["ef-remove.yaml"],
        None,
        false,
        &[
            ("IST0151", "EnvoyFilter bookinfo/test-remove-1"),
            ("IST0154", "EnvoyFilter bookinfo/test-remove-2"),
            ("IST0154", "EnvoyFilter bookinfo/test-remove-3"),
            ("IST0151", "EnvoyFilter bookinfo/test-remove-5"),
        ],
    );
}

/// Istio case 'Analyze conflicting gateway with list type' (gateway.ConflictingGatewayAnalyzer).
#[test]
fn analyze_conflicting_gateway_with_list_type() {
    check(
        "gateway.ConflictingGatewayAnalyzer",
        &["conflicting-gateways-list.yaml"],
        None,
        false,
        &[
            ("IST0145", "Gateway alpha"),
            ("IST0145", "Gateway alpha-l"),
            ("IST0145", "Gateway beta-l"),
        ],
    );
}

/// Istio case 'Analyze invalid telemetry' (telemetry.ProviderAnalyzer).
#[test]
fn analyze_invalid_telemetry() {
    check(
        "telemetry.ProviderAnalyzer",
        &["telemetry-no-provider.yaml"],
        None,
        false,
        &[("IST0157", "Telemetry istio-system/mesh-default")],
    );
}

/// Istio case 'Analyze invalid telemetry' (telemetry.ProviderAnalyzer).
#[test]
fn analyze_invalid_telemetry_87() {
    check(
        "telemetry.ProviderAnalyzer",
        &["telemetry-disabled.yaml"],
        None,
        false,
        &[],
    );
}

/// Istio case 'telemetrySelector' (telemetry.SelectorAnalyzer).
#[test]
fn telemetryselector() {
    check(
        "telemetry.SelectorAnalyzer",
        &["telemetry-selector.yaml"],
        None,
        false,
        &[
            ("IST0101", "Telemetry default/maps-to-nonexistent"),
            ("IST0101", "Telemetry other/maps-to-different-ns"),
            ("IST0159", "Telemetry default/dupe-1"),
            ("IST0159", "Telemetry default/dupe-2"),
            ("IST0159", "Telemetry default/overlap-1"),
            ("IST0159", "Telemetry default/overlap-2"),
        ],
    );
}

/// Istio case 'telemetryDefaultSelector' (telemetry.DefaultSelectorAnalyzer).
#[test]
fn telemetrydefaultselector() {
    check(
        "telemetry.DefaultSelectorAnalyzer",
        &["telemetry-default-selector.yaml"],
        None,
        false,
        &[
            ("IST0160", "Telemetry ns2/has-conflict-2"),
            ("IST0160", "Telemetry ns2/has-conflict-1"),
        ],
    );
}

/// Istio case 'Telemetry Lightstep' (telemetry.LightstepAnalyzer).
#[test]
fn telemetry_lightstep() {
    check(
        "telemetry.LightstepAnalyzer",
        &["telemetry-lightstep.yaml"],
        Some("meshconfig-lightstep.yaml"),
        false,
        &[("IST0002", "Telemetry istio-system/mesh-default")],
    );
}

/// Istio case 'KubernetesGatewaySelector' (k8sgateway.SelectorAnalyzer).
#[test]
fn kubernetesgatewayselector() {
    check(
        "k8sgateway.SelectorAnalyzer",
        &["k8s-gateway-selector.yaml"],
        None,
        false,
        &[
            ("IST0166", "RequestAuthentication default/ra-ineffective"),
            ("IST0166", "AuthorizationPolicy default/ap-ineffective"),
            ("IST0166", "WasmPlugin default/wasmplugin-ineffective"),
            ("IST0166", "Telemetry default/telemetry-ineffective"),
        ],
    );
}

/// Istio case 'GatewayAPICRDVersionBelowMinimum' (k8sgateway.CRDVersionAnalyzer).
#[test]
fn gatewayapicrdversionbelowminimum() {
    check(
        "k8sgateway.CRDVersionAnalyzer",
        &["gateway-api-crds.yaml"],
        None,
        false,
        &[(
            "IST0176",
            "CustomResourceDefinition tlsroutes.gateway.networking.k8s.io",
        )],
    );
}

/// Istio case 'ServiceEntry Addresses Required Lowercase Protocol' (serviceentry.ProtocolAddressesAnalyzer).
#[test]
fn serviceentry_addresses_required_lowercase_protocol() {
    check(
        "serviceentry.ProtocolAddressesAnalyzer",
        &["se-lowercase.yaml"],
        None,
        false,
        &[("IST0134", "ServiceEntry address-missing-lowercase")],
    );
}

/// Istio case 'ServiceEntry Addresses Required Uppercase Protocol' (serviceentry.ProtocolAddressesAnalyzer).
#[test]
fn serviceentry_addresses_required_uppercase_protocol() {
    check(
        "serviceentry.ProtocolAddressesAnalyzer",
        &["se-uppercase.yaml"],
        None,
        false,
        &[("IST0134", "ServiceEntry address-missing-uppercase")],
    );
}

/// Istio case 'ServiceEntry conflicting protocols on same host and port' (serviceentry.ConflictingServiceEntryProtocolAnalyzer).
#[test]
fn serviceentry_conflicting_protocols_on_same_host_and_port() {
    check(
        "serviceentry.ConflictingServiceEntryProtocolAnalyzer",
        &["se-conflicting.yaml"],
        None,
        false,
        &[
            ("IST0177", "ServiceEntry default/se-http"),
            ("IST0177", "ServiceEntry default/se-https"),
        ],
    );
}

/// Istio case 'ServiceEntry no conflict same protocol' (serviceentry.ConflictingServiceEntryProtocolAnalyzer).
#[test]
fn serviceentry_no_conflict_same_protocol() {
    check(
        "serviceentry.ConflictingServiceEntryProtocolAnalyzer",
        &["se-same-protocol.yaml"],
        None,
        false,
        &[],
    );
}

/// Istio case 'ServiceEntry no conflict non-overlapping exportTo scopes' (serviceentry.ConflictingServiceEntryProtocolAnalyzer).
#[test]
fn serviceentry_no_conflict_non_overlapping_exportto_scopes() {
    check(
        "serviceentry.ConflictingServiceEntryProtocolAnalyzer",
        &["se-export-to.yaml"],
        None,
        false,
        &[],
    );
}

/// Istio case 'Condition Analyzer' (conditions.ConditionAnalyzer).
#[test]
fn condition_analyzer() {
    check(
        "conditions.ConditionAnalyzer",
        &["conditions.yaml"],
        None,
        false,
        &[
            ("IST0171", "Service default/negative-condition-svc"),
            (
                "IST0171",
                "ServiceEntry default/negative-condition-svcEntry",
            ),
            (
                "IST0171",
                "AuthorizationPolicy default/negative-condition-authz",
            ),
            ("IST0171", "Gateway default/negative-condition-gateway"),
            ("IST0171", "HTTPRoute default/negative-condition-httproute"),
            ("IST0171", "GRPCRoute default/negative-condition-grpcroute"),
            (
                "IST0171",
                "AuthorizationPolicy default/negative-condition-authz-partially-invalid",
            ),
        ],
    );
}

/// Istio case 'DestinationRuleWithFakeHost' (destinationrule.PodNotSelectedAnalyzer).
#[test]
fn destinationrulewithfakehost() {
    check(
        "destinationrule.PodNotSelectedAnalyzer",
        &["dr-fake-host.yaml"],
        None,
        true,
        &[("IST0174", "DestinationRule default/fake-host")],
    );
}

/// Istio case 'DestinationRuleSubsetsNotSelectPods' (destinationrule.PodNotSelectedAnalyzer).
#[test]
fn destinationrulesubsetsnotselectpods() {
    check(
        "destinationrule.PodNotSelectedAnalyzer",
        &["dr-subsets-no-pods.yaml"],
        None,
        true,
        &[("IST0173", "DestinationRule default/subsets-not-select-pods")],
    );
}

/// Istio case 'DestinationRuleSubsetsWithTopologyLabels' (destinationrule.PodNotSelectedAnalyzer).
#[test]
fn destinationrulesubsetswithtopologylabels() {
    check(
        "destinationrule.PodNotSelectedAnalyzer",
        &["dr-topology.yaml"],
        None,
        false,
        &[],
    );
}

/// Istio case 'DestinationRuleEmptyTopologyLabels' (destinationrule.PodNotSelectedAnalyzer).
#[test]
fn destinationruleemptytopologylabels() {
    check(
        "destinationrule.PodNotSelectedAnalyzer",
        &["dr-empty-topology.yaml"],
        None,
        false,
        &[("IST0173", "DestinationRule default/empty-topology-labels")],
    );
}

/// Istio case 'ServiceEntry Addresses Allocated' (serviceentry.ProtocolAddressesAnalyzer).
#[test]
fn serviceentry_addresses_allocated() {
    check(
        "serviceentry.ProtocolAddressesAnalyzer",
        &["se-allocated.yaml"],
        Some("meshconfig-dns-auto-allocate.yaml"),
        false,
        &[],
    );
}
