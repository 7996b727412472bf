//! Engine tests over small in-memory configs: each pins one routing rule of Istio's.

use super::*;

fn router_text(yaml: &str) -> Index {
    let set = crate::config::from_text("t.yaml", yaml);
    Index::build(&set)
}

fn at_gateway(ix: &Index, url: &str) -> Decision {
    let mut r = Router::new(ix, default_gateway(), MeshSettings::default());
    explain(&mut r, &Request::parse(url).expect("url"))
}

fn at_sidecar(ix: &Index, from: &str, url: &str) -> Decision {
    let (namespace, labels) = Vantage::parse_workload(from).expect("workload");
    let mut r = Router::new(
        ix,
        Vantage::Sidecar { namespace, labels },
        MeshSettings::default(),
    );
    explain(&mut r, &Request::parse(url).expect("url"))
}

const GATEWAY: &str = "apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ['*']
---
apiVersion: v1
kind: Service
metadata: {name: a, namespace: app}
spec: {ports: [{name: http, port: 8000}]}
---
apiVersion: v1
kind: Service
metadata: {name: b, namespace: app}
spec: {ports: [{name: http, port: 8000}, {name: http-admin, port: 9000}]}
";

#[test]
fn gateway_merges_virtual_services_and_moves_catch_alls_last() {
    let ix = router_text(&format!(
        "{GATEWAY}---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {{name: old, namespace: app}}
spec:
  hosts: [shop.com]
  gateways: [istio-system/gw]
  http:
  - route: [{{destination: {{host: a}}}}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {{name: new, namespace: app}}
spec:
  hosts: [shop.com]
  gateways: [istio-system/gw]
  http:
  - match: [{{uri: {{prefix: /api}}}}]
    route: [{{destination: {{host: b}}}}]
"
    ));
    let d = at_gateway(&ix, "http://shop.com/api/x");
    assert_eq!(d.virtual_service.as_deref(), Some("app/new"));
    // b has two ports: at a gateway the server number (80) is used, which b lacks.
    assert_eq!(
        d.destinations[0].cluster,
        "outbound|80||b.app.svc.cluster.local"
    );
    assert_eq!(d.outcome, Outcome::NoCluster);
    let d = at_gateway(&ix, "http://shop.com/other");
    assert_eq!(d.virtual_service.as_deref(), Some("app/old"));
    assert_eq!(
        d.destinations[0].cluster,
        "outbound|8000||a.app.svc.cluster.local"
    );
    assert_eq!(d.outcome, Outcome::Route);
}

#[test]
fn vhost_precedence_without_fall_through() {
    let ix = router_text(&format!(
        "{GATEWAY}---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {{name: star, namespace: app}}
spec:
  hosts: ['*']
  gateways: [istio-system/gw]
  http: [{{route: [{{destination: {{host: a}}}}]}}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {{name: wild, namespace: app}}
spec:
  hosts: ['*.example.com']
  gateways: [istio-system/gw]
  http:
  - match: [{{uri: {{exact: /only}}}}]
    route: [{{destination: {{host: b, port: {{number: 8000}}}}}}]
"
    ));
    let d = at_gateway(&ix, "http://x.example.com/only");
    assert_eq!(d.virtual_host.as_deref(), Some("*.example.com:80"));
    assert_eq!(d.outcome, Outcome::Route);
    // Chosen by host, the wildcard virtual host does not fall back to `*`.
    let d = at_gateway(&ix, "http://x.example.com/else");
    assert_eq!(d.outcome, Outcome::NotFound);
    let d = at_gateway(&ix, "http://example.com/else");
    assert_eq!(d.virtual_host.as_deref(), Some("*:80"));
    assert_eq!(d.outcome, Outcome::Route);
}

#[test]
fn sidecar_oldest_wins_and_source_label_fallback() {
    let ix = router_text(
        "apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: default}
spec: {ports: [{name: http, port: 9080}]}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: first, namespace: default, creationTimestamp: '2024-01-01T00:00:00Z'}
spec:
  hosts: [reviews]
  http:
  - match: [{sourceLabels: {app: productpage}}]
    route: [{destination: {host: reviews, subset: v2}}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: second, namespace: default, creationTimestamp: '2025-01-01T00:00:00Z'}
spec:
  hosts: [reviews]
  http: [{route: [{destination: {host: reviews, subset: v3}}]}]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews, namespace: default}
spec:
  host: reviews
  subsets: [{name: v2, labels: {version: v2}}]
",
    );
    let d = at_sidecar(&ix, "default/app=productpage", "http://reviews:9080/");
    assert_eq!(d.virtual_service.as_deref(), Some("default/first"));
    assert_eq!(
        d.destinations[0].cluster,
        "outbound|9080|v2|reviews.default.svc.cluster.local"
    );
    assert_eq!(d.outcome, Outcome::Route);
    // The oldest yields no route for another caller, so it builds no virtual host and the
    // newer VS applies (Istio 1.28's buildSidecarVirtualHostsForVirtualService).
    let d = at_sidecar(&ix, "default/app=ratings", "http://reviews:9080/");
    assert_eq!(d.virtual_service.as_deref(), Some("default/second"));
    assert_eq!(
        d.destinations[0].cluster,
        "outbound|9080|v3|reviews.default.svc.cluster.local"
    );
    // Unknown Host on the shared port-9080 table: passthrough.
    let d = at_sidecar(&ix, "default/app=ratings", "http://elsewhere.org:9080/");
    assert_eq!(d.outcome, Outcome::Passthrough);
}

#[test]
fn delegates_merge_with_their_root() {
    let ix = router_text(&format!(
        "{GATEWAY}---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {{name: root, namespace: app}}
spec:
  hosts: [shop.com]
  gateways: [istio-system/gw]
  http:
  - match: [{{uri: {{prefix: /api}}}}]
    delegate: {{name: api}}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {{name: api, namespace: app}}
spec:
  http:
  - match: [{{uri: {{prefix: /api/v1}}}}]
    route: [{{destination: {{host: a}}}}]
  - match: [{{uri: {{prefix: /other}}}}]
    route: [{{destination: {{host: b, port: {{number: 8000}}}}}}]
"
    ));
    let d = at_gateway(&ix, "http://shop.com/api/v1/x");
    assert_eq!(d.outcome, Outcome::Route);
    let rule = d.rule.expect("rule");
    assert_eq!((rule.index, rule.match_index), (0, Some(0)));
    assert_eq!(rule.delegate.expect("delegate").virtual_service, "app/api");
    // The second delegate rule conflicts with the root match and is dropped.
    assert_eq!(
        at_gateway(&ix, "http://shop.com/other").outcome,
        Outcome::NotFound
    );
}

#[test]
fn weights_are_relative_and_zero_weights_dropped() {
    let ix = router_text(&format!(
        "{GATEWAY}---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {{name: split, namespace: app}}
spec:
  hosts: [shop.com]
  gateways: [istio-system/gw]
  http:
  - route:
    - {{destination: {{host: a}}, weight: 1}}
    - {{destination: {{host: b, port: {{number: 8000}}}}, weight: 3}}
    - {{destination: {{host: b, port: {{number: 9000}}}}}}
"
    ));
    let d = at_gateway(&ix, "http://shop.com/");
    let pct: Vec<f64> = d.destinations.iter().map(|x| x.percent).collect();
    assert_eq!(pct, vec![25.0, 75.0]);
}

#[test]
fn no_listener_and_tls_errors() {
    let ix = router_text(GATEWAY);
    assert_eq!(
        at_gateway(&ix, "http://shop.com:8081/").outcome,
        Outcome::NoListener
    );
    assert_eq!(
        at_gateway(&ix, "https://shop.com/").outcome,
        Outcome::NoListener
    );
    // No VirtualService: the blackhole virtual host.
    let d = at_gateway(&ix, "http://shop.com/");
    assert_eq!(
        (d.outcome, d.virtual_host.as_deref()),
        (Outcome::NotFound, Some("blackhole:80"))
    );
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    const CONFIG: &str = "apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ['*']
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs, namespace: app}
spec:
  hosts: ['*']
  gateways: [istio-system/gw]
  http:
  - match: [{uri: {prefix: /Ä}, ignoreUriCase: true}]
    rewrite: {uri: /x}
    route: [{destination: {host: a}}]
  - match: [{uri: {regex: '/r/(.*)'}}]
    rewrite: {uriRegexRewrite: {match: '/r/(.*)', rewrite: '/\\1'}}
    route: [{destination: {host: a}}]
  - match: [{queryParams: {q: {prefix: é}}, headers: {x: {regex: '.+'}}}]
    redirect: {prefixRewrite: /p, authority: other}
  - route: [{destination: {host: a}}]
";

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn explaining_arbitrary_requests(
            path in "(/[a-zA-Zä-ü0-9%.?=&]{0,6}){0,4}",
            host in "[a-zA-Z0-9.:\\[\\]-]{1,12}",
            header in "[ -~é]{0,8}",
        ) {
            let ix = router_text(CONFIG);
            if let Ok(mut req) = Request::parse(&format!("http://{host}{path}")) {
                req.add_header("x", &header);
                let mut r = Router::new(&ix, default_gateway(), MeshSettings::default());
                let d = explain(&mut r, &req);
                let _ = render::human(&d, true, render::Style { color: false });
            }
        }
    }
}

#[test]
fn sidecar_resources_limit_what_a_caller_imports() {
    let ix = router_text(
        "apiVersion: v1
kind: Service
metadata: {name: local, namespace: app}
spec: {ports: [{name: http, port: 8080}]}
---
apiVersion: v1
kind: Service
metadata: {name: far, namespace: other}
spec: {ports: [{name: http, port: 8080}]}
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: default, namespace: app}
spec:
  egress: [{hosts: ['./*', 'istio-system/*']}]
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: strict, namespace: app}
spec:
  workloadSelector: {labels: {tier: locked}}
  egress: [{hosts: ['./*']}]
  outboundTrafficPolicy: {mode: REGISTRY_ONLY}
",
    );
    let d = at_sidecar(&ix, "app/app=web", "http://local:8080/");
    assert_eq!(d.outcome, Outcome::Route);
    assert!(
        d.trace.iter().any(|t| t.contains("Sidecar app/default")),
        "{:?}",
        d.trace
    );
    // Not imported: no listener route for it, so the request leaves the mesh's routing.
    let d = at_sidecar(&ix, "app/app=web", "http://far.other:8080/");
    assert_eq!(d.outcome, Outcome::Passthrough);
    // The workload-specific Sidecar wins and turns on REGISTRY_ONLY.
    let d = at_sidecar(&ix, "app/tier=locked", "http://far.other:8080/");
    assert_eq!(d.outcome, Outcome::Blocked);
    // A caller in another namespace has no Sidecar: everything is imported.
    let d = at_sidecar(&ix, "other/app=x", "http://far:8080/");
    assert_eq!(d.outcome, Outcome::Route);
}

#[test]
fn default_vantage_follows_the_gateways_in_the_input() {
    let ix = router_text(GATEWAY);
    assert_eq!(default_vantage(&ix), default_gateway());
    let ix = router_text(
        "apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: edge, namespace: web}
spec:
  selector: {app: edge-gw}
  servers: [{port: {number: 8080, name: http, protocol: HTTP}, hosts: ['*']}]
",
    );
    let v = default_vantage(&ix);
    assert_eq!(v.describe(), "web/app=edge-gw");
    let ix = router_text(
        "apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {ports: [{port: 80}]}\n",
    );
    assert!(!default_vantage(&ix).is_gateway());
}

#[test]
fn what_the_input_shows_is_per_namespace() {
    let ix = router_text(GATEWAY);
    // Namespace app has Services in the input; default has none; no ServiceEntries at all.
    assert!(ix.scope.shows_service("c.app.svc.cluster.local"));
    assert!(!ix.scope.shows_service("c.default.svc.cluster.local"));
    assert!(!ix.scope.shows_service("api.example.com"));
    assert!(!ix.scope.shows_dest_rules(&["app", "istio-system"]));
    // Istio's gateway Services are assumed, with the default profile's ports.
    let egress = ix
        .service(
            "istio-egressgateway.istio-system.svc.cluster.local",
            "app",
            "app",
        )
        .expect("assumed egress gateway Service");
    assert!(egress.assumed.is_some());
    assert!(egress.port(80).is_some() && egress.port(443).is_some());
    let mut set = crate::config::from_text("t.yaml", GATEWAY);
    set.complete_all = true;
    let ix = Index::build(&set);
    assert!(ix.scope.shows_service("c.default.svc.cluster.local"));
    assert!(ix.scope.shows_service("api.example.com"));
    assert!(
        ix.service(
            "istio-egressgateway.istio-system.svc.cluster.local",
            "app",
            "app"
        )
        .is_none()
    );
}

#[test]
fn vantage_points_the_input_lacks_are_reported_with_a_suggestion() {
    let ix = router_text(&format!(
        "{GATEWAY}---
apiVersion: v1
kind: Pod
metadata: {{name: web-1, namespace: app, labels: {{app: web, version: v1}}}}
spec: {{containers: [{{name: web, image: web}}]}}
"
    ));
    let check = |v: &str, gateway: bool| {
        let (namespace, labels) = Vantage::parse_caller(v).expect("vantage");
        let vantage = if gateway {
            Vantage::Gateway { namespace, labels }
        } else {
            Vantage::Sidecar { namespace, labels }
        };
        check_vantage(&ix, &vantage, v)
    };
    assert_eq!(check("app/app=web", false), None);
    assert_eq!(check("app/app=web,version=v1", false), None);
    // A namespace alone: known when the input has something in it.
    assert_eq!(check("app/", false), None);
    let w = check("apps/", false).expect("warning");
    assert!(w.ends_with("did you mean app/?"), "{w}");
    let w = check("ap/app=web", false).expect("warning");
    assert!(w.ends_with("did you mean app/app=web?"), "{w}");
    let w = check("app/app=wbe", false).expect("warning");
    assert!(w.ends_with("did you mean app/app=web?"), "{w}");
    // Nothing close: no suggestion.
    let w = check("payments/team=billing", false).expect("warning");
    assert!(!w.contains("did you mean"), "{w}");
    assert_eq!(check("istio-system/istio=ingressgateway", true), None);
    let w = check("istio-system/istio=ingresgateway", true).expect("warning");
    assert!(
        w.ends_with("did you mean istio-system/istio=ingressgateway?"),
        "{w}"
    );
}

#[test]
fn wildcard_service_entries_take_hosts_without_an_exact_service() {
    let ix = router_text(
        "apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: apis, namespace: app}
spec:
  hosts: ['*.apis.example', '*.eu.apis.example']
  ports: [{number: 443, name: tls, protocol: TLS}, {number: 80, name: http, protocol: HTTP}]
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: private, namespace: app}
spec:
  hosts: ['*.internal.example']
  exportTo: ['.']
  ports: [{number: 443, name: tls, protocol: TLS}]
",
    );
    let d = at_sidecar(&ix, "app/app=web", "tls://a.eu.apis.example:443");
    assert_eq!(d.outcome, Outcome::Route);
    assert_eq!(d.destinations[0].cluster, "outbound|443||*.eu.apis.example");
    let d = at_sidecar(&ix, "app/app=web", "https://b.apis.example/");
    assert_eq!(d.destinations[0].cluster, "outbound|443||*.apis.example");
    // No wildcard has port 8443: unknown host.
    let d = at_sidecar(&ix, "app/app=web", "tls://b.apis.example:8443");
    assert_eq!(d.outcome, Outcome::Passthrough);
    // exportTo: a caller of another namespace does not see the private wildcard.
    let d = at_sidecar(&ix, "app/app=web", "tls://x.internal.example:443");
    assert_eq!(d.outcome, Outcome::Route);
    let d = at_sidecar(&ix, "other/app=web", "tls://x.internal.example:443");
    assert_eq!(d.outcome, Outcome::Passthrough);
}

fn at(ix: &Index, vantage: &str, url: &str) -> Decision {
    let (namespace, labels) = Vantage::parse_workload(vantage).expect("vantage");
    let mut r = Router::new(
        ix,
        Vantage::Gateway { namespace, labels },
        MeshSettings::default(),
    );
    explain(&mut r, &Request::parse(url).expect("url"))
}

#[test]
fn redirects_keep_the_host_header_as_sent() {
    let ix = router_text(
        "apiVersion: v1
kind: Service
metadata: {name: istio-ingressgateway, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  ports: [{name: http2, port: 80}, {name: http-alt, port: 8081}]
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 8081, name: http, protocol: HTTP}
    hosts: ['*']
    tls: {httpsRedirect: true}
  - port: {number: 80, name: http-80, protocol: HTTP}
    hosts: ['*']
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs, namespace: istio-system}
spec:
  hosts: ['*']
  gateways: [gw]
  http:
  - match: [{uri: {prefix: /secure}, port: 80}]
    redirect: {scheme: https}
",
    );
    let d = at_gateway(&ix, "http://API.Example.com:8081/login?x=1");
    assert_eq!(d.outcome, Outcome::TlsRedirect);
    let loc = d.redirect.map(|r| r.location);
    assert_eq!(
        loc.as_deref(),
        Some("https://API.Example.com:8081/login?x=1")
    );
    // a route redirect that only changes the scheme keeps the port too, but not a default one
    let d = at_gateway(&ix, "http://Shop.com/secure");
    let loc = d.redirect.map(|r| r.location);
    assert_eq!(loc.as_deref(), Some("https://Shop.com/secure"));
}

#[test]
fn regex_rewrite_naming_a_missing_group_keeps_the_path() {
    let ix = router_text(&format!(
        "{GATEWAY}---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {{name: vs, namespace: app}}
spec:
  hosts: [shop.com]
  gateways: [istio-system/gw]
  http:
  - match: [{{uri: {{prefix: /a}}}}]
    rewrite: {{uriRegexRewrite: {{match: '^/a/(.*)$', rewrite: '/b/\\2'}}}}
    route: [{{destination: {{host: a, port: {{number: 8000}}}}}}]
  - rewrite: {{uriRegexRewrite: {{match: '^/(.*)$', rewrite: '/x/\\1'}}}}
    route: [{{destination: {{host: a, port: {{number: 8000}}}}}}]
"
    ));
    let d = at_gateway(&ix, "http://shop.com/a/c");
    assert_eq!(d.rewrite.and_then(|r| r.path).as_deref(), Some("/a/c"));
    let d = at_gateway(&ix, "http://shop.com/c");
    assert_eq!(d.rewrite.and_then(|r| r.path).as_deref(), Some("/x/c"));
}

#[test]
fn servers_on_one_listener_share_the_first_servers_routes() {
    // Service port 80 targets 8080: both servers land on listener 8080. Istio builds the
    // VirtualService's routes once, for the first server (8080), so `port: 8080` matches on 80.
    let ix = router_text(&format!(
        "{GATEWAY}---
apiVersion: v1
kind: Service
metadata: {{name: istio-ingressgateway, namespace: istio-system}}
spec:
  selector: {{istio: ingressgateway}}
  ports: [{{name: http2, port: 80, targetPort: 8080}}]
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {{name: gw2, namespace: istio-system}}
spec:
  selector: {{istio: ingressgateway}}
  servers:
  - port: {{number: 8080, name: http-8080, protocol: HTTP}}
    hosts: [example.com]
  - port: {{number: 80, name: http-80, protocol: HTTP}}
    hosts: ['*']
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {{name: vs, namespace: app}}
spec:
  hosts: ['*']
  gateways: [istio-system/gw2]
  http:
  - match: [{{port: 8080}}]
    route: [{{destination: {{host: a, port: {{number: 8000}}}}}}]
  - route: [{{destination: {{host: b, port: {{number: 8000}}}}}}]
"
    ));
    let d = at_gateway(&ix, "http://shop.com/");
    assert_eq!(d.outcome, Outcome::Route, "{d:?}");
    assert_eq!(d.destinations[0].host, "a.app.svc.cluster.local");
}

const GW_API: &str = "apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: default}
spec:
  gatewayClassName: istio
  listeners:
  - {name: http, port: 8080, protocol: HTTP}
---
apiVersion: v1
kind: Service
metadata: {name: a, namespace: default}
spec: {ports: [{name: http, port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: b, namespace: other}
spec: {ports: [{name: http, port: 80}]}
";
const WEB: &str = "default/gateway.networking.k8s.io/gateway-name=web";

#[test]
fn gateway_api_keeps_splits_with_unresolvable_backends() {
    let ix = router_text(&format!(
        "{GW_API}---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {{name: r, namespace: default}}
spec:
  parentRefs: [{{name: web}}]
  rules:
  - matches: [{{path: {{type: PathPrefix, value: /split}}}}]
    backendRefs:
    - {{name: a, port: 80, weight: 3}}
    - {{name: nowhere, port: 80, weight: 1}}
  - matches: [{{path: {{type: PathPrefix, value: /denied}}}}]
    backendRefs: [{{name: b, namespace: other, port: 80}}]
  - matches: [{{path: {{type: PathPrefix, value: /zero}}}}]
    backendRefs: [{{name: a, port: 80, weight: 0}}]
"
    ));
    let d = at(&ix, WEB, "http://x.com:8080/split");
    assert_eq!(d.outcome, Outcome::Route);
    let hosts: Vec<_> = d.destinations.iter().map(|x| x.host.as_str()).collect();
    assert_eq!(
        hosts,
        [
            "a.default.svc.cluster.local",
            "nowhere.default.svc.cluster.local"
        ]
    );
    assert!(d.destinations[1].is_missing());
    // no ReferenceGrant: Istio's route points at UnknownService, 500
    let d = at(&ix, WEB, "http://x.com:8080/denied");
    assert_eq!(d.outcome, Outcome::NoCluster);
    assert_eq!(d.status, Some(500));
    assert_eq!(d.destinations[0].cluster, "UnknownService");
    assert_eq!(d.virtual_service.as_deref(), Some("default/r"));
    let d = at(&ix, WEB, "http://x.com:8080/zero");
    assert_eq!(d.outcome, Outcome::DirectResponse);
    assert_eq!(d.status, Some(500));
}

#[test]
fn gateway_api_prefixes_and_redirects() {
    let ix = router_text(&format!(
        "{GW_API}---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {{name: r, namespace: default}}
spec:
  parentRefs: [{{name: web}}]
  rules:
  - matches: [{{path: {{type: PathPrefix, value: /api/v1/}}}}]
    filters:
    - type: URLRewrite
      urlRewrite: {{path: {{type: ReplacePrefixMatch, replacePrefixMatch: /v2/}}}}
    backendRefs: [{{name: a, port: 80}}]
  - matches: [{{path: {{type: PathPrefix, value: /api/v1}}, method: GET}}]
    backendRefs: [{{name: a, port: 80}}]
  - matches: [{{path: {{type: PathPrefix, value: /old}}}}]
    filters:
    - type: RequestRedirect
      requestRedirect: {{hostname: new.example.com}}
  - filters:
    - type: URLRewrite
      urlRewrite: {{path: {{type: ReplacePrefixMatch, replacePrefixMatch: /v2/}}}}
    backendRefs: [{{name: a, port: 80}}]
"
    ));
    // `/api/v1/` ranks as `/api/v1`: the GET rule wins on the method
    let d = at(&ix, WEB, "http://x.com:8080/api/v1/x");
    assert_eq!(d.rule.as_ref().map(|r| r.index), Some(1));
    assert!(d.rewrite.is_none());
    let d = at(&ix, WEB, "http://x.com:8080/api/v1/x");
    assert_eq!(d.outcome, Outcome::Route);
    let ix_post = Request::parse("http://x.com:8080/api/v1/x").map(|mut r| {
        r.method = "POST".to_string();
        r
    });
    let mut router = Router::new(
        &ix,
        Vantage::parse_workload(WEB)
            .map(|(namespace, labels)| Vantage::Gateway { namespace, labels })
            .expect("vantage"),
        MeshSettings::default(),
    );
    let d = explain(&mut router, &ix_post.expect("url"));
    assert_eq!(d.rewrite.and_then(|r| r.path).as_deref(), Some("/v2/x"));
    // prefix `/` replaced by `/v2/`: Istio's own answer drops the slash
    let d = at(&ix, WEB, "http://x.com:8080/logout");
    assert_eq!(d.rewrite.and_then(|r| r.path).as_deref(), Some("/v2logout"));
    // a hostname-only redirect keeps the listener's port
    let d = at(&ix, WEB, "http://x.com:8080/old/a");
    let loc = d.redirect.map(|r| r.location);
    assert_eq!(loc.as_deref(), Some("http://new.example.com:8080/old/a"));
}

#[test]
fn gateway_api_attaches_per_listener_with_isolation() {
    let ix = router_text(
        "apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: default}
spec:
  gatewayClassName: istio
  listeners:
  - {name: any, port: 8080, protocol: HTTP}
  - {name: api, port: 8080, protocol: HTTP, hostname: api.example.com}
  - name: admin
    port: 9090
    protocol: HTTP
    allowedRoutes: {namespaces: {from: All}}
---
apiVersion: v1
kind: Service
metadata: {name: a, namespace: default}
spec: {ports: [{name: http, port: 80}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: wide, namespace: default, creationTimestamp: '2024-01-01T00:00:00Z'}
spec:
  parentRefs: [{name: web}]
  rules: [{backendRefs: [{name: a, port: 80}]}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: x, namespace: default, creationTimestamp: '2024-01-01T00:00:00Z'}
spec:
  parentRefs: [{name: web, sectionName: any}]
  hostnames: [api.example.com, www.example.com]
  rules:
  - matches: [{path: {type: PathPrefix, value: /x}}]
    backendRefs: [{name: a, port: 80}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: admin, namespace: team, creationTimestamp: '2024-01-01T00:00:00Z'}
spec:
  parentRefs: [{name: web, namespace: default, port: 9090}]
  rules:
  - matches: [{path: {type: PathPrefix, value: /x}}]
    backendRefs: [{name: a, namespace: default, port: 80}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: b, namespace: a, creationTimestamp: '2024-01-01T00:00:00Z'}
spec:
  parentRefs: [{name: web, namespace: default, port: 9090}]
  rules:
  - matches: [{path: {type: PathPrefix, value: /x}}]
    backendRefs: [{name: a, namespace: default, port: 80}]
",
    );
    // api.example.com belongs to the `api` listener: route x does not get it on `any`
    let d = at(&ix, WEB, "http://api.example.com:8080/x");
    assert_eq!(d.virtual_service.as_deref(), Some("default/wide"));
    let d = at(&ix, WEB, "http://www.example.com:8080/x");
    assert_eq!(d.virtual_service.as_deref(), Some("default/x"));
    // port 9090 admits all namespaces: a/b and team/admin tie on `/x` with equal timestamps,
    // so namespace/name decides (`wide` has the shorter default prefix `/`)
    let d = at(&ix, WEB, "http://www.example.com:9090/x");
    assert_eq!(d.virtual_service.as_deref(), Some("a/b"));
    let d = at(&ix, WEB, "http://www.example.com:9090/y");
    assert_eq!(d.virtual_service.as_deref(), Some("default/wide"));
}

#[test]
fn gateway_api_routes_of_the_gateways_namespace_come_first() {
    let ix = router_text(
        "apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: infra}
spec:
  gatewayClassName: istio
  listeners:
  - name: shop
    port: 8080
    protocol: HTTP
    hostname: shop.com
    allowedRoutes: {namespaces: {from: All}}
---
apiVersion: v1
kind: Service
metadata: {name: a, namespace: infra}
spec: {ports: [{name: http, port: 80}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: old, namespace: team, creationTimestamp: '2020-01-01T00:00:00Z'}
spec:
  parentRefs: [{name: web, namespace: infra}]
  rules: [{backendRefs: [{name: a, namespace: infra, port: 80}]}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: mine, namespace: infra, creationTimestamp: '2024-01-01T00:00:00Z'}
spec:
  parentRefs: [{name: web}]
  hostnames: [shop.com]
  rules: [{backendRefs: [{name: a, port: 80}]}]
",
    );
    let d = at(
        &ix,
        "infra/gateway.networking.k8s.io/gateway-name=web",
        "http://shop.com:8080/",
    );
    assert_eq!(d.virtual_service.as_deref(), Some("infra/mine"));
}

#[test]
fn sidecar_skips_a_virtual_service_with_no_route_for_the_caller() {
    // The oldest VirtualService for `a` only has rules for another source: it builds no
    // virtual host for this caller, so the next VirtualService for `a` applies (404 here).
    let ix = router_text(
        "apiVersion: v1
kind: Service
metadata: {name: a, namespace: app}
spec: {ports: [{name: http, port: 80}]}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: old, namespace: app, creationTimestamp: '2020-01-01T00:00:00Z'}
spec:
  hosts: [a.app.svc.cluster.local]
  http:
  - match: [{sourceLabels: {app: other}}]
    route: [{destination: {host: a.app.svc.cluster.local}}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: new, namespace: app, creationTimestamp: '2021-01-01T00:00:00Z'}
spec:
  hosts: [a.app.svc.cluster.local]
  http:
  - match: [{uri: {prefix: /only}}]
    route: [{destination: {host: a.app.svc.cluster.local}}]
",
    );
    let d = at_sidecar(&ix, "app/app=me", "http://a.app/elsewhere");
    assert_eq!(d.outcome, Outcome::NotFound, "{d:?}");
    let d = at_sidecar(&ix, "app/app=me", "http://a.app/only/x");
    assert_eq!(d.virtual_service.as_deref(), Some("app/new"));
}
