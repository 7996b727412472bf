//! CLI tests of `meshctl route-test`: the binary run on the fixtures in `testdata/route/`, each
//! asserting what Istio (istiod's generated config, evaluated by Envoy) does with one request.
//! The expectations follow the routing specification derived from istio/istio's code (istiod's
//! route building, Envoy's matching); every fixture is small and built for its topic.

use std::process::{Command, Output};

use serde_json::Value;

fn meshctl(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_meshctl"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .expect("meshctl runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn fixture(name: &str) -> String {
    format!("testdata/route/{name}")
}

fn suite(name: &str) -> String {
    format!("testdata/route/suites/{name}")
}

/// `meshctl route-test URL -f FIXTURE... EXTRA... -o json`: the decision, parsed.
fn route(url: &str, fixtures: &[&str], extra: &[&str]) -> Value {
    let files: Vec<String> = fixtures.iter().map(|f| fixture(f)).collect();
    let mut args = vec!["route-test", url];
    for f in &files {
        args.extend(["-f", f.as_str()]);
    }
    args.extend(extra);
    args.extend(["-o", "json"]);
    let o = meshctl(&args);
    assert_eq!(
        o.status.code(),
        Some(0),
        "meshctl {}\nstdout: {}\nstderr: {}",
        args.join(" "),
        stdout(&o),
        stderr(&o)
    );
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("JSON output of {url}: {e}\n{}", stdout(&o)))
}

fn text<'a>(d: &'a Value, field: &str) -> &'a str {
    d[field].as_str().unwrap_or_default()
}

fn outcome(d: &Value) -> &str {
    text(d, "outcome")
}

/// The cluster names of the decision's destinations.
fn clusters(d: &Value) -> Vec<String> {
    d["destinations"]
        .as_array()
        .expect("destinations is a list")
        .iter()
        .map(|x| x["cluster"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// `(rule index, match index)` of the matched rule (`None` for "no match list").
fn rule(d: &Value) -> (u64, Option<u64>) {
    let r = &d["rule"];
    assert!(r.is_object(), "no rule matched: {d:#}");
    (
        r["index"].as_u64().expect("rule.index"),
        r["match"].as_u64(),
    )
}

fn cluster_of(svc: &str, ns: &str, port: u16) -> String {
    format!("outbound|{port}||{svc}.{ns}.svc.cluster.local")
}

/// Asserts a forwarded request: outcome route, VirtualService `vs`, exactly these clusters.
#[track_caller]
fn assert_routed(d: &Value, vs: &str, want: &[&str]) {
    assert_eq!(outcome(d), "route", "{d:#}");
    assert_eq!(text(d, "virtual_service"), vs, "{d:#}");
    assert_eq!(clusters(d), want, "{d:#}");
}

#[track_caller]
fn assert_not_found(d: &Value) {
    assert_eq!(outcome(d), "not-found", "{d:#}");
    assert_eq!(d["status"], 404, "{d:#}");
    assert!(
        d["destinations"].as_array().is_some_and(Vec::is_empty),
        "{d:#}"
    );
}

// ------------------------------------------------------------------------------------------
// 1. The Bookinfo seed
// ------------------------------------------------------------------------------------------

const BOOKINFO: &str = "bookinfo.yaml";
const PRODUCTPAGE: &str = "outbound|9080||productpage.default.svc.cluster.local";

#[test]
fn bookinfo_paths_reach_productpage() {
    for (path, block) in [
        ("/productpage", 0),
        ("/static/x", 1),
        ("/login", 2),
        ("/logout", 3),
        ("/api/v1/products/1", 4),
    ] {
        let d = route(
            &format!("http://bookinfo.example.com{path}"),
            &[BOOKINFO],
            &[],
        );
        assert_routed(&d, "default/bookinfo", &[PRODUCTPAGE]);
        assert_eq!(rule(&d), (0, Some(block)), "{path}");
        assert_eq!(d["proxy"], "gateway");
        assert_eq!(d["workload"], "istio-system/istio=ingressgateway");
        assert_eq!(d["gateway"], "default/bookinfo-gateway");
        // Client port 80 reaches the server numbered 8080 through the default 80→8080 mapping.
        assert_eq!(d["request"]["port"], 80);
        assert_eq!(d["route_table"], "http.8080");
        assert_eq!(d["virtual_host"], "*:8080");
        let dest = &d["destinations"][0];
        assert_eq!(dest["host"], "productpage.default.svc.cluster.local");
        assert_eq!(dest["port"], 9080);
        assert_eq!(dest["percent"], 100.0);
        assert_eq!(dest["exists"], true);
    }
}

#[test]
fn bookinfo_unknown_path_is_404_with_misses() {
    let d = route("http://bookinfo.example.com/foo", &[BOOKINFO], &[]);
    assert_not_found(&d);
    assert_eq!(
        d["virtual_host"], "*:8080",
        "the vhost was chosen; no route matched"
    );
    assert!(d["virtual_service"].is_null() && d["rule"].is_null());
    let misses: Vec<&str> = d["misses"]
        .as_array()
        .expect("misses")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(misses.len(), 5, "one miss per match block: {misses:#?}");
    assert!(
        misses[0].ends_with(r#"http[0] match[0]: uri exact "/productpage" ≠ "/foo""#),
        "{misses:#?}"
    );
    assert!(
        misses[1].ends_with(r#"http[0] match[1]: uri prefix "/static" ≠ "/foo""#),
        "{misses:#?}"
    );
    assert!(
        misses[4].ends_with(r#"http[0] match[4]: uri prefix "/api/v1/products" ≠ "/foo""#),
        "{misses:#?}"
    );
}

#[test]
fn bookinfo_human_output() {
    let f = fixture(BOOKINFO);
    let o = meshctl(&[
        "route-test",
        "http://bookinfo.example.com/productpage",
        "-f",
        &f,
    ]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0], "ROUTE  GET http://bookinfo.example.com/productpage",
        "{out}"
    );
    assert!(
        lines[1].starts_with("  gateway   istio-system/istio=ingressgateway")
            && lines[1].contains("[Gateway default/bookinfo-gateway]"),
        "{out}"
    );
    assert!(
        out.contains(r#"  matched   VirtualService default/bookinfo  http[0] match[0]  uri exact "/productpage""#),
        "{out}"
    );
    assert!(
        out.contains(
            "  ──▶ productpage.default.svc.cluster.local:9080  (100%)   cluster outbound|9080||productpage.default.svc.cluster.local"
        ),
        "{out}"
    );

    // --explain adds the trace.
    let o = meshctl(&[
        "route-test",
        "http://bookinfo.example.com/productpage",
        "-f",
        &f,
        "--explain",
    ]);
    let out = stdout(&o);
    assert!(out.contains("  why:\n"), "{out}");
    assert!(out.contains("route table http.8080"), "{out}");

    let o = meshctl(&["route-test", "http://bookinfo.example.com/foo", "-f", &f]);
    assert_eq!(o.status.code(), Some(0), "a 404 is a result, not an error");
    let out = stdout(&o);
    assert!(
        out.starts_with("NOT FOUND (404)  GET http://bookinfo.example.com/foo\n"),
        "{out}"
    );
    assert!(out.contains("  not matched:\n"), "{out}");
    assert!(
        out.contains(r#"    default/bookinfo http[0] match[0]: uri exact "/productpage" ≠ "/foo""#),
        "{out}"
    );
}

#[test]
fn yaml_output_has_the_json_fields() {
    let f = fixture(BOOKINFO);
    let o = meshctl(&[
        "route-test",
        "http://bookinfo.example.com/login",
        "-f",
        &f,
        "-o",
        "yaml",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.contains("\noutcome: route\n"), "{out}");
    assert!(
        out.contains("\nvirtual_service: default/bookinfo\n"),
        "{out}"
    );
}

// ------------------------------------------------------------------------------------------
// 2. Gateway servers: port, protocol, hosts
// ------------------------------------------------------------------------------------------

const SERVERS: &str = "gateway-servers.yaml";

#[test]
fn servers_numbered_80_and_8080_share_the_8080_listener() {
    let web = cluster_of("web", "app", 80);
    // Server 80 and server 8080 both bind to targetPort 8080: one route table.
    let d = route("http://plain.example.com/", &[SERVERS], &[]);
    assert_routed(&d, "app/plain", &[&web]);
    assert_eq!(d["route_table"], "http.8080");
    assert_eq!(d["virtual_host"], "plain.example.com:80");
    let d = route("http://alt.example.com/x", &[SERVERS], &[]);
    assert_routed(&d, "app/plain", &[&web]);
    assert_eq!(d["route_table"], "http.8080");
    assert_eq!(d["virtual_host"], "alt.example.com:8080");
}

#[test]
fn gateways_of_other_workloads_do_not_apply() {
    // `internal` selects istio=internalgateway; the VS binds to it but not through `edge`.
    let d = route("http://internal.example.com/", &[SERVERS], &[]);
    assert_not_found(&d);
    assert!(d["virtual_host"].is_null(), "no virtual host for it: {d:#}");
}

#[test]
fn namespace_qualified_server_host_only_takes_that_namespace() {
    // Server host other/qualified.example.com: app/qualified (older) is ignored, other/qualified
    // serves the host.
    let d = route("http://qualified.example.com/", &[SERVERS], &[]);
    assert_routed(&d, "other/qualified", &[&cluster_of("web", "other", 80)]);
}

#[test]
fn https_server_is_chosen_by_sni_and_sees_scheme_https() {
    let d = route("https://secure.example.com/", &[SERVERS], &[]);
    assert_routed(&d, "app/secure", &[&cluster_of("web", "app", 80)]);
    assert_eq!(d["route_table"], "https.443.https.edge.istio-system");
    assert_eq!(d["virtual_host"], "secure.example.com:443");
    assert_eq!(rule(&d), (0, Some(0)), "scheme exact https matched");
}

#[test]
fn each_https_server_has_its_own_route_table() {
    let d = route("https://a.wild.example.com/", &[SERVERS], &[]);
    assert_routed(&d, "app/secure", &[&cluster_of("web", "app", 80)]);
    assert_eq!(d["route_table"], "https.443.https-wild.edge.istio-system");
    assert_eq!(d["virtual_host"], "*.wild.example.com:443");
    // SNI picks the wildcard server; its table has no virtual host for the Host header
    // secure.example.com, although the other HTTPS server's table has.
    let d = route(
        "https://a.wild.example.com/",
        &[SERVERS],
        &["-H", "Host: secure.example.com"],
    );
    assert_not_found(&d);
    assert_eq!(d["route_table"], "https.443.https-wild.edge.istio-system");
    // The plain-text table has no *.wild.example.com virtual host.
    assert_not_found(&route("http://a.wild.example.com/", &[SERVERS], &[]));
}

#[test]
fn https_without_a_matching_sni_fails_the_handshake() {
    let d = route("https://nope.example.com/", &[SERVERS], &[]);
    assert_eq!(outcome(&d), "tls-error", "{d:#}");
    assert!(d["status"].is_null());
    // The SNI decides, not the Host header.
    let d = route(
        "https://secure.example.com/",
        &[SERVERS],
        &["--sni", "nope.example.com"],
    );
    assert_eq!(outcome(&d), "tls-error", "{d:#}");
}

#[test]
fn port_not_exposed_by_the_gateway_service_is_no_listener() {
    let d = route("http://plain.example.com:9999/", &[SERVERS], &[]);
    assert_eq!(outcome(&d), "no-listener", "{d:#}");
    assert!(d["status"].is_null() && d["gateway"].is_null());
    // 8080 is the target port, not a port of the (default) gateway Service.
    let d = route("http://plain.example.com:8080/", &[SERVERS], &[]);
    assert_eq!(outcome(&d), "no-listener", "{d:#}");
}

#[test]
fn gateway_service_in_the_input_replaces_the_default_ports() {
    // tcp-tls.yaml has the gateway Service: 80→8080 (no server there), 443→8443, 31400, 15021.
    let d = route("http://anything.example.com/", &["tcp-tls.yaml"], &[]);
    assert_eq!(
        outcome(&d),
        "no-listener",
        "no server listens on 8080: {d:#}"
    );
    let d = route("http://anything.example.com:15021/", &["tcp-tls.yaml"], &[]);
    assert_eq!(outcome(&d), "no-listener", "{d:#}");
}

#[test]
fn https_redirect_server_answers_301_to_https() {
    let d = route("http://secure.example.com/x?a=1", &[SERVERS], &[]);
    assert_eq!(outcome(&d), "tls-redirect", "{d:#}");
    assert_eq!(d["status"], 301);
    assert_eq!(
        d["redirect"]["location"],
        "https://secure.example.com/x?a=1"
    );
    assert_eq!(d["redirect"]["status"], 301);
    assert!(d["destinations"].as_array().is_some_and(Vec::is_empty));
}

#[test]
fn tcp_server_first_on_a_port_takes_it_from_http() {
    // Input order is creation order: the older Gateway's protocol owns port 80 (→8080). A TCP
    // server with no tcp route builds no listener at all, so HTTP is refused too.
    let d = route(
        "http://foo.bar/",
        &["conflict-tcp.yaml", "conflict-http.yaml"],
        &[],
    );
    assert_eq!(outcome(&d), "no-listener", "{d:#}");
    let d = route(
        "http://foo.bar/",
        &["conflict-http.yaml", "conflict-tcp.yaml"],
        &[],
    );
    assert_routed(&d, "default/web", &[&cluster_of("web", "default", 80)]);
}

#[test]
fn reported_gateway_and_server_are_those_of_the_chosen_virtual_host() {
    // alt.example.com exists only because of edge's server :8080.
    let d = route("http://alt.example.com/x", &[SERVERS], &[]);
    assert!(
        text(&d, "server").starts_with(":8080 (HTTP) hosts [\"alt.example.com\"]"),
        "{d:#}"
    );
    // relative.team.example.com exists only because of app/team's server.
    let d = route("http://relative.team.example.com/", &[BINDING], &[]);
    assert_eq!(d["gateway"], "app/team", "{d:#}");
}

// ------------------------------------------------------------------------------------------
// 3. VirtualService binding to gateways
// ------------------------------------------------------------------------------------------

const BINDING: &str = "binding.yaml";

#[test]
fn gateway_names_are_relative_to_the_virtual_service_namespace() {
    let web = cluster_of("web", "app", 80);
    // `team` in namespace app means app/team.
    let d = route("http://relative.team.example.com/", &[BINDING], &[]);
    assert_routed(&d, "app/relative", &[&web]);
    // `public` in namespace app means app/public, which does not exist.
    let d = route("http://unqualified.public.example.com/", &[BINDING], &[]);
    assert_not_found(&d);
    // `istio-system/public` is the gateway.
    let d = route("http://qualified.public.example.com/", &[BINDING], &[]);
    assert_routed(&d, "app/qualified", &[&web]);
}

#[test]
fn mesh_binding_and_no_gateways() {
    let web = cluster_of("web", "app", 80);
    // No `gateways`: mesh only, never a gateway.
    let d = route("http://nogw.public.example.com/", &[BINDING], &[]);
    assert_not_found(&d);
    let d = route(
        "http://nogw.public.example.com/",
        &[BINDING],
        &["--from", "app/app=client"],
    );
    assert_eq!(d["proxy"], "sidecar");
    assert_routed(&d, "app/no-gateways", &[&web]);
    // [mesh, istio-system/public]: both.
    let d = route("http://both.public.example.com/", &[BINDING], &[]);
    assert_routed(&d, "app/both", &[&web]);
    let d = route(
        "http://both.public.example.com/",
        &[BINDING],
        &["--from", "app/app=client"],
    );
    assert_routed(&d, "app/both", &[&web]);
    // Gateway-only: sidecars do not see it (the host is unknown to them: passthrough).
    let d = route(
        "http://qualified.public.example.com/",
        &[BINDING],
        &["--from", "app/app=client"],
    );
    assert_eq!(outcome(&d), "passthrough", "{d:#}");
}

#[test]
fn export_to_dot_hides_a_virtual_service_from_a_gateway_in_another_namespace() {
    let d = route("http://private.public.example.com/", &[BINDING], &[]);
    assert_not_found(&d);
    // The same gateway Deployment running in namespace app does see it.
    let d = route(
        "http://private.public.example.com/",
        &[BINDING],
        &["--gateway", "app/istio=ingressgateway"],
    );
    assert_routed(&d, "app/private", &[&cluster_of("web", "app", 80)]);
}

// ------------------------------------------------------------------------------------------
// 4. Host intersection and virtual-host precedence at gateways
// ------------------------------------------------------------------------------------------

const HOSTS: &str = "hosts.yaml";

#[test]
fn exact_host_beats_wildcard_beats_star() {
    let d = route("http://a.example.com/api", &[HOSTS], &[]);
    assert_routed(&d, "default/exact", &[&cluster_of("exact", "default", 80)]);
    assert_eq!(d["virtual_host"], "a.example.com:80");
    // Host matching is case-insensitive and ignores the port.
    let d = route("http://A.Example.com:80/api/x", &[HOSTS], &[]);
    assert_eq!(d["virtual_host"], "a.example.com:80", "{d:#}");
    for host in ["b.example.com", "x.y.example.com"] {
        let d = route(&format!("http://{host}/"), &[HOSTS], &[]);
        assert_routed(
            &d,
            "default/wildcard",
            &[&cluster_of("wildcard", "default", 80)],
        );
        assert_eq!(d["virtual_host"], "*.example.com:80");
    }
    for host in ["example.com", "other.org"] {
        let d = route(&format!("http://{host}/"), &[HOSTS], &[]);
        assert_routed(&d, "default/star", &[&cluster_of("star", "default", 80)]);
        assert_eq!(
            d["virtual_host"], "*:80",
            "*.example.com does not match {host}"
        );
    }
}

#[test]
fn no_fall_through_once_a_virtual_host_is_chosen() {
    // a.example.com only routes /api; `*.example.com` and `*` would match /other, but Envoy
    // never leaves the chosen virtual host.
    let d = route("http://a.example.com/other", &[HOSTS], &[]);
    assert_not_found(&d);
    assert_eq!(d["virtual_host"], "a.example.com:80");
}

#[test]
fn short_virtual_service_hosts_are_qualified_at_gateways_too() {
    let d = route("http://short/", &[HOSTS], &[]);
    assert_routed(&d, "default/star", &[&cluster_of("star", "default", 80)]);
    let d = route("http://short.default.svc.cluster.local/", &[HOSTS], &[]);
    assert_routed(&d, "default/short", &[&cluster_of("exact", "default", 80)]);
}

#[test]
fn virtual_service_hosts_are_intersected_with_server_hosts() {
    let web = cluster_of("web", "default", 80);
    // `*` narrowed to *.shop.com and exact.org.
    let d = route("http://x.shop.com/", &["intersection.yaml"], &[]);
    assert_routed(&d, "default/any", &[&web]);
    assert_eq!(d["virtual_host"], "*.shop.com:80");
    let d = route("http://exact.org/", &["intersection.yaml"], &[]);
    assert_routed(&d, "default/any", &[&web]);
    assert_eq!(d["virtual_host"], "exact.org:80");
    // *.shop.com does not contain shop.com; other.net is in no server host.
    for host in ["shop.com", "other.net"] {
        let d = route(&format!("http://{host}/"), &["intersection.yaml"], &[]);
        assert_not_found(&d);
        assert!(d["virtual_host"].is_null(), "{host}: {d:#}");
    }
    let d = route("http://a.b.shop.com/", &["intersection.yaml"], &[]);
    assert_routed(&d, "default/specific", &[&web]);
    assert_eq!(d["virtual_host"], "a.b.shop.com:80");
}

// ------------------------------------------------------------------------------------------
// 5. Several VirtualServices for one host on a gateway
// ------------------------------------------------------------------------------------------

#[test]
fn routes_of_several_virtual_services_merge_in_creation_order() {
    let old = cluster_of("old", "default", 80);
    let new = cluster_of("new", "default", 80);
    // `older` is written second but created first: its /shared comes first.
    let d = route("http://shop.example.com/shared", &["merge.yaml"], &[]);
    assert_routed(&d, "default/older", &[&old]);
    assert_eq!(rule(&d), (0, Some(0)));
    // The older VS's `/` catch-all moves after the newer VS's /api, and the older VS's own
    // /api, written after its catch-all, was dropped when its routes were built.
    let d = route("http://shop.example.com/api/x", &["merge.yaml"], &[]);
    assert_routed(&d, "default/newer", &[&new]);
    assert_eq!(rule(&d), (1, Some(0)));
    let d = route("http://shop.example.com/else", &["merge.yaml"], &[]);
    assert_routed(&d, "default/older", &[&old]);
    assert_eq!(rule(&d), (1, Some(0)));
    // Tried before it: older /shared, newer /shared, newer /api (not older http[2]).
    assert_eq!(d["misses"].as_array().map(Vec::len), Some(3), "{d:#}");
    assert!(!d["misses"].to_string().contains("older http[2]"), "{d:#}");
}

// ------------------------------------------------------------------------------------------
// 6. Sidecars
// ------------------------------------------------------------------------------------------

const SIDECAR: &str = "sidecar.yaml";

#[test]
fn sidecar_is_the_default_vantage_without_gateways() {
    let d = route("http://reviews:9080/v1", &[SIDECAR], &[]);
    assert_eq!(d["proxy"], "sidecar");
    assert_eq!(d["route_table"], "9080");
    assert_eq!(d["virtual_host"], "reviews.default.svc.cluster.local:9080");
}

#[test]
fn sidecar_oldest_virtual_service_owns_the_host() {
    // reviews-older (created first, written second) owns reviews; reviews-newer is ignored on
    // sidecars: its /v2 is a 404, not merged.
    let d = route("http://reviews:9080/v1", &[SIDECAR], &[]);
    assert_routed(
        &d,
        "default/reviews-older",
        &["outbound|9080|v1|reviews.default.svc.cluster.local"],
    );
    let d = route("http://reviews:9080/v2", &[SIDECAR], &[]);
    assert_not_found(&d);
    assert_eq!(d["virtual_host"], "reviews.default.svc.cluster.local:9080");
    // The same from another namespace, with the full name.
    let d = route(
        "http://reviews.default.svc.cluster.local:9080/v1",
        &[SIDECAR],
        &["--from", "other/app=x"],
    );
    assert_routed(
        &d,
        "default/reviews-older",
        &["outbound|9080|v1|reviews.default.svc.cluster.local"],
    );
}

#[test]
fn sidecar_short_names_resolve_in_the_virtual_service_namespace() {
    let app = cluster_of("ratings", "app", 9080);
    // app/ratings has `hosts: [ratings]` = ratings.app: it routes ratings.app ...
    let d = route("http://ratings.app:9080/", &[SIDECAR], &[]);
    assert_routed(&d, "app/ratings", &[&app]);
    let d = route("http://ratings:9080/", &[SIDECAR], &["--from", "app/app=x"]);
    assert_routed(&d, "app/ratings", &[&app]);
    // ... and not ratings.default, which a caller in default reaches as `ratings`.
    let d = route("http://ratings:9080/", &[SIDECAR], &[]);
    assert_eq!(outcome(&d), "route");
    assert!(d["virtual_service"].is_null(), "default route: {d:#}");
    assert_eq!(clusters(&d), [cluster_of("ratings", "default", 9080)]);
}

#[test]
fn sidecar_virtual_service_with_every_route_filtered_falls_back_to_the_default_route() {
    // default/details only has a route for callers labelled app=productpage.
    let d = route(
        "http://details:9080/",
        &[SIDECAR],
        &["--from", "default/app=reviews"],
    );
    assert_eq!(outcome(&d), "route", "{d:#}");
    assert!(
        d["virtual_service"].is_null() && d["rule"].is_null(),
        "{d:#}"
    );
    assert_eq!(clusters(&d), [cluster_of("details", "default", 9080)]);
    let d = route(
        "http://details:9080/",
        &[SIDECAR],
        &["--from", "default/app=productpage"],
    );
    assert_routed(
        &d,
        "default/details",
        &[&cluster_of("ratings", "default", 9080)],
    );
}

#[test]
fn sidecar_unknown_host_is_passthrough_or_blocked() {
    let d = route("http://unknown.example.org/", &[SIDECAR], &[]);
    assert_eq!(outcome(&d), "passthrough", "{d:#}");
    assert!(d["status"].is_null());
    let d = route(
        "http://unknown.example.org/",
        &[SIDECAR],
        &["--registry-only"],
    );
    assert_eq!(outcome(&d), "blocked", "{d:#}");
    assert_eq!(d["status"], 502);
    // A Host header matching no virtual host of the port-80 table.
    let d = route(
        "http://web/",
        &[SIDECAR],
        &["-H", "Host: nothing.example.org"],
    );
    assert_eq!(outcome(&d), "passthrough", "{d:#}");
    let d = route(
        "http://web/",
        &[SIDECAR],
        &["-H", "Host: nothing.example.org", "--registry-only"],
    );
    assert_eq!(outcome(&d), "blocked", "{d:#}");
    assert_eq!(d["status"], 502);
}

#[test]
fn sidecar_sniffed_port_routes_by_its_own_table() {
    let d = route("http://sniffed:8000/", &[SIDECAR], &[]);
    assert_routed(
        &d,
        "default/sniffed",
        &[&cluster_of("sniffed", "default", 8000)],
    );
    assert_eq!(d["route_table"], "sniffed.default.svc.cluster.local:8000");
}

#[test]
fn sidecar_host_header_picks_the_virtual_host_of_the_port_table() {
    // Connected to reviews:9080; the shared table of port 9080 is searched by Host.
    let d = route(
        "http://reviews:9080/",
        &[SIDECAR],
        &["-H", "Host: details", "--from", "default/app=productpage"],
    );
    assert_routed(
        &d,
        "default/details",
        &[&cluster_of("ratings", "default", 9080)],
    );
    assert_eq!(d["virtual_host"], "details.default.svc.cluster.local:9080");
}

#[test]
fn sidecar_connection_target_is_the_url_host_not_the_host_header() {
    // The client connects to sniffed:8000, a sniffed port: Istio's table
    // `sniffed.default.svc.cluster.local:8000` has one virtual host with domains ["*"].
    let d = route(
        "http://sniffed:8000/",
        &[SIDECAR],
        &["-H", "Host: whatever.example.com"],
    );
    assert_routed(
        &d,
        "default/sniffed",
        &[&cluster_of("sniffed", "default", 8000)],
    );
    assert_eq!(d["route_table"], "sniffed.default.svc.cluster.local:8000");
    // The client connects to reviews:9080 (a listener exists); Host `web` names no virtual
    // host of table 9080 (web has no port 9080): the catch-all passes it through.
    let d = route("http://reviews:9080/", &[SIDECAR], &["-H", "Host: web"]);
    assert_eq!(outcome(&d), "passthrough", "{d:#}");
}

// ------------------------------------------------------------------------------------------
// 7. Delegates
// ------------------------------------------------------------------------------------------

const DELEGATES: &str = "delegates.yaml";

#[test]
fn delegate_matches_merge_with_the_root() {
    let d = route(
        "http://delegate.example.com/api/v1/books",
        &[DELEGATES],
        &[],
    );
    assert_routed(&d, "default/root", &[&cluster_of("api-v1", "team", 8000)]);
    assert_eq!(rule(&d), (0, Some(0)));
    assert_eq!(d["rule"]["delegate"]["virtual_service"], "team/api");
    assert_eq!(d["rule"]["delegate"]["index"], 0);
    assert_eq!(d["rule"]["delegate"]["match"], 0);
    // The delegate rule without match takes the root's prefix /api (a plain prefix).
    for path in ["/api/other", "/apix"] {
        let d = route(
            &format!("http://delegate.example.com{path}"),
            &[DELEGATES],
            &[],
        );
        assert_routed(&d, "default/root", &[&cluster_of("api-rest", "team", 8000)]);
        assert_eq!(d["rule"]["delegate"]["index"], 2, "{path}");
    }
}

#[test]
fn conflicting_delegate_rule_is_dropped() {
    // team/api http[1] (prefix /other) conflicts with the root's prefix /api: dropped, so
    // /other is a 404 (it is not re-matched on its own).
    let d = route("http://delegate.example.com/other", &[DELEGATES], &[]);
    assert_not_found(&d);
    let misses = d["misses"].to_string();
    assert!(!misses.contains("team/api http[1]"), "{misses}");
}

#[test]
fn delegate_not_exported_to_the_root_namespace_is_dropped() {
    let d = route("http://delegate.example.com/private/x", &[DELEGATES], &[]);
    assert_not_found(&d);
    let f = fixture(DELEGATES);
    let o = meshctl(&[
        "route-test",
        "http://delegate.example.com/private/x",
        "-f",
        &f,
    ]);
    let err = stderr(&o);
    assert!(
        err.contains("team/private") && err.contains("not exported"),
        "{err}"
    );
}

// ------------------------------------------------------------------------------------------
// 8. Match semantics
// ------------------------------------------------------------------------------------------

const MATCHING: &str = "matching.yaml";

/// Routes `url` on the matching fixture: `Some((rule, match))` when it went to `a` (the rule
/// under test), `None` when it fell to `b`.
fn hits_a(url: &str, extra: &[&str]) -> Option<(u64, Option<u64>)> {
    let d = route(url, &[MATCHING], extra);
    assert_eq!(outcome(&d), "route", "{url}: {d:#}");
    match clusters(&d).as_slice() {
        [c] if *c == cluster_of("a", "default", 80) => Some(rule(&d)),
        [c] if *c == cluster_of("b", "default", 80) => None,
        other => panic!("{url}: unexpected destinations {other:?}"),
    }
}

#[test]
fn first_matching_rule_wins() {
    assert_eq!(
        hits_a("http://first.example.com/x/y", &[]),
        Some((0, Some(0)))
    );
}

#[test]
fn match_blocks_are_ored_and_conditions_anded() {
    let url = "http://blocks.example.com/and";
    assert_eq!(hits_a(url, &["-H", "X-Team: blue"]), Some((0, Some(0))));
    assert_eq!(hits_a(url, &[]), None, "uri alone is not enough");
    assert_eq!(hits_a(url, &["-H", "X-Team: red"]), None);
    assert_eq!(
        hits_a("http://blocks.example.com/or", &[]),
        Some((0, Some(1)))
    );
}

#[test]
fn uri_prefix_exact_regex_and_ignore_case() {
    let u = |p: &str| format!("http://uri.example.com{p}");
    // A plain string prefix: /static matches /staticfoo.
    assert_eq!(hits_a(&u("/staticfoo"), &[]), Some((0, Some(0))));
    // Regexes match the whole path: /a|/b matches /b, not /ax.
    assert_eq!(hits_a(&u("/b"), &[]), Some((1, Some(0))));
    assert_eq!(hits_a(&u("/ax"), &[]), None);
    // ignoreUriCase applies to exact (and prefix) ...
    assert_eq!(hits_a(&u("/CASE"), &[]), Some((2, Some(0))));
    // ... but not to regex.
    assert_eq!(hits_a(&u("/reg"), &[]), Some((3, Some(0))));
    assert_eq!(hits_a(&u("/REG"), &[]), None);
    let d = route(&u("/ax"), &[MATCHING], &[]);
    assert!(
        d["misses"].to_string().contains(r#"regex \"/a|/b\""#),
        "{:#}",
        d["misses"]
    );
}

#[test]
fn header_matches() {
    let url = "http://headers.example.com/";
    assert_eq!(hits_a(url, &["-H", "x-exact: gold"]), Some((0, Some(0))));
    assert_eq!(hits_a(url, &["-H", "x-exact: golden"]), None);
    assert_eq!(hits_a(url, &["-H", "x-prefix: candy"]), Some((0, Some(1))));
    assert_eq!(hits_a(url, &["-H", "x-regex: v12"]), Some((0, Some(2))));
    assert_eq!(
        hits_a(url, &["-H", "x-regex: av12"]),
        None,
        "regex is anchored"
    );
    // {} is a presence check: any value, even empty; names are case-insensitive.
    assert_eq!(hits_a(url, &["-H", "X-Present: z"]), Some((0, Some(3))));
    assert_eq!(hits_a(url, &["-H", "x-present:"]), Some((0, Some(3))));
    assert_eq!(hits_a(url, &[]), None);
}

#[test]
fn without_headers() {
    // {exact: "1"}: matches when the header is absent or has another value.
    let url = "http://without.example.com/value";
    assert_eq!(hits_a(url, &[]), Some((0, Some(0))));
    assert_eq!(hits_a(url, &["-H", "x-debug: 2"]), Some((0, Some(0))));
    assert_eq!(hits_a(url, &["-H", "x-debug: 1"]), None);
    // {}: matches only when the header is absent.
    let url = "http://without.example.com/presence";
    assert_eq!(hits_a(url, &[]), Some((0, Some(1))));
    assert_eq!(hits_a(url, &["-H", "x-debug: 2"]), None);
}

#[test]
fn query_params_use_the_first_value() {
    assert_eq!(
        hits_a("http://query.example.com/?v=1&v=2", &[]),
        Some((0, Some(0)))
    );
    assert_eq!(hits_a("http://query.example.com/?v=2&v=1", &[]), None);
    assert_eq!(
        hits_a("http://query.example.com/?V=1", &[]),
        None,
        "names are case-sensitive"
    );
}

#[test]
fn method_is_case_sensitive() {
    let url = "http://method.example.com/";
    assert_eq!(hits_a(url, &["-X", "POST"]), Some((0, Some(0))));
    assert_eq!(hits_a(url, &["-X", "post"]), None);
    assert_eq!(hits_a(url, &[]), None);
}

#[test]
fn authority_includes_the_port() {
    let url = "http://authority.example.com/";
    assert_eq!(hits_a(url, &[]), Some((0, Some(0))));
    assert_eq!(
        hits_a(url, &["-H", "Host: authority.example.com:8080"]),
        None,
        "exact authority.example.com does not match authority.example.com:8080"
    );
}

#[test]
fn scheme_is_http_on_plain_text() {
    assert_eq!(hits_a("http://scheme.example.com/", &[]), None);
    let d = route("http://scheme.example.com/", &[MATCHING], &[]);
    assert_eq!(rule(&d), (1, Some(0)), "scheme exact http");
}

#[test]
fn match_port_is_the_gateway_server_number() {
    // The client uses port 80, the server is numbered 8080: `port: 80` does not exist.
    assert_eq!(hits_a("http://port.example.com/", &[]), Some((1, Some(0))));
    let d = route("http://port.example.com/", &[MATCHING], &[]);
    assert_eq!(d["misses"].as_array().map(Vec::len), Some(0), "{d:#}");
}

#[test]
fn source_labels_and_namespace_at_a_gateway_are_the_gateway_pod_s() {
    // sourceLabels app=productpage and sourceNamespace default are dropped for the gateway
    // pod istio-system/istio=ingressgateway; its own labels and namespace match.
    assert_eq!(
        hits_a("http://source.example.com/", &[]),
        Some((2, Some(0)))
    );
    let d = route("http://source.example.com/", &[MATCHING], &[]);
    assert_eq!(d["misses"].as_array().map(Vec::len), Some(0), "{d:#}");
}

#[test]
fn match_gateways_select_and_override_source_labels() {
    // http[0] is for other-gw only; http[1] names gw, so its sourceLabels are not evaluated.
    assert_eq!(
        hits_a("http://gateways.example.com/", &[]),
        Some((1, Some(0)))
    );
}

// ------------------------------------------------------------------------------------------
// 9. Actions
// ------------------------------------------------------------------------------------------

const ACTIONS: &str = "actions.yaml";

fn reviews(subset: &str) -> String {
    format!("outbound|9080|{subset}|reviews.default.svc.cluster.local")
}

fn percents(d: &Value) -> Vec<f64> {
    d["destinations"]
        .as_array()
        .expect("destinations")
        .iter()
        .map(|x| x["percent"].as_f64().expect("percent"))
        .collect()
}

#[test]
fn weighted_destinations() {
    let d = route("http://weights.example.com/", &[ACTIONS], &[]);
    assert_routed(&d, "default/weights", &[&reviews("v1"), &reviews("v2")]);
    assert_eq!(percents(&d), [90.0, 10.0]);
    assert_eq!(d["destinations"][1]["subset"], "v2");
    assert_eq!(d["destinations"][1]["weight"], 10);
    // With several destinations, one without weight (0) is dropped.
    let d = route("http://unweighted.example.com/", &[ACTIONS], &[]);
    assert_routed(&d, "default/unweighted", &[&reviews("v1")]);
    assert_eq!(percents(&d), [100.0]);
    // Weights are relative: 1 and 3 are 25% and 75%.
    let d = route("http://relative.example.com/", &[ACTIONS], &[]);
    assert_routed(&d, "default/relative", &[&reviews("v1"), &reviews("v2")]);
    assert_eq!(percents(&d), [25.0, 75.0]);
}

#[test]
fn subsets_need_a_destination_rule_subset() {
    let d = route("http://subsets.example.com/v2", &[ACTIONS], &[]);
    assert_routed(&d, "default/subsets", &[&reviews("v2")]);
    assert_eq!(d["destinations"][0]["exists"], true);
    let d = route("http://subsets.example.com/other", &[ACTIONS], &[]);
    assert_eq!(outcome(&d), "no-cluster", "{d:#}");
    assert_eq!(d["status"], 503);
    assert_eq!(clusters(&d), [reviews("v9")]);
    assert_eq!(d["destinations"][0]["exists"], false);
    assert!(d["destinations"][0]["missing"].is_string(), "{d:#}");
}

#[test]
fn destination_port_defaults() {
    // A single-port service: its port.
    let d = route("http://ports.example.com/single", &[ACTIONS], &[]);
    assert_routed(
        &d,
        "default/ports",
        &[&cluster_of("reviews", "default", 9080)],
    );
    // A multi-port service at a gateway: the server number (8080), not the client port 80.
    let d = route("http://ports.example.com/multi", &[ACTIONS], &[]);
    assert_routed(
        &d,
        "default/ports",
        &[&cluster_of("multi", "default", 8080)],
    );
    // ... which the service may not have: no cluster.
    let d = route("http://ports.example.com/x", &[ACTIONS], &[]);
    assert_eq!(outcome(&d), "no-cluster", "{d:#}");
    assert_eq!(d["status"], 503);
    assert_eq!(clusters(&d), [cluster_of("noport", "default", 8080)]);
    assert_eq!(d["destinations"][0]["exists"], false);
}

#[test]
fn uri_rewrite_replaces_the_matched_prefix() {
    let path = |p: &str| {
        let d = route(&format!("http://rewrite.example.com{p}"), &[ACTIONS], &[]);
        assert_eq!(outcome(&d), "route", "{d:#}");
        text(&d["rewrite"], "path").to_string()
    };
    assert_eq!(path("/apiary"), "/v2ary");
    assert_eq!(path("/api/x?q=1"), "/v2/x?q=1");
    assert_eq!(path("/common/api"), "//api");
}

#[test]
fn uri_regex_rewrite() {
    let d = route(
        "http://rewrite.example.com/service/foo/v1/api",
        &[ACTIONS],
        &[],
    );
    assert_eq!(d["rewrite"]["path"], "/v1/api/instance/foo", "{d:#}");
}

#[test]
fn authority_rewrite() {
    let d = route("http://rewrite.example.com/host/x", &[ACTIONS], &[]);
    assert_eq!(outcome(&d), "route");
    assert_eq!(d["rewrite"]["authority"], "backend.internal");
    assert!(d["rewrite"]["path"].is_null());
}

#[test]
fn redirects() {
    let d = route("http://redirect.example.com/old?x=1", &[ACTIONS], &[]);
    assert_eq!(outcome(&d), "redirect", "{d:#}");
    assert_eq!(d["status"], 302);
    assert_eq!(
        d["redirect"]["location"],
        "http://redirect.example.com/new?x=1"
    );
    assert!(d["destinations"].as_array().is_some_and(Vec::is_empty));
    let d = route("http://redirect.example.com/secure/x", &[ACTIONS], &[]);
    assert_eq!(d["status"], 301, "redirectCode defaults to 301");
    assert_eq!(
        d["redirect"]["location"],
        "https://secure.example.com/secure/x"
    );
    // FROM_REQUEST_PORT is the listener port: the gateway server number 8080, not 80.
    let d = route("http://redirect.example.com/port/a", &[ACTIONS], &[]);
    assert_eq!(
        d["redirect"]["location"],
        "http://ports.example.com:8080/port/a"
    );
}

#[test]
fn direct_response() {
    let d = route("http://direct.example.com/anything", &[ACTIONS], &[]);
    assert_eq!(outcome(&d), "direct-response", "{d:#}");
    assert_eq!(d["status"], 418);
    assert_eq!(d["direct_response"]["status"], 418);
    assert_eq!(d["direct_response"]["body"], "I'm a teapot");
}

// ------------------------------------------------------------------------------------------
// 10. TCP and TLS
// ------------------------------------------------------------------------------------------

const L4: &str = "tcp-tls.yaml";

#[test]
fn tcp_server_uses_the_tcp_route() {
    let d = route("tcp://gw.example.com:31400", &[L4], &[]);
    assert_routed(
        &d,
        "default/tcp-echo",
        &[&cluster_of("tcp-echo", "default", 9000)],
    );
    assert_eq!(d["gateway"], "default/l4");
    assert_eq!(d["rule"]["index"], 0);
}

#[test]
fn tls_passthrough_routes_by_sni() {
    let db = cluster_of("db", "default", 5433);
    let d = route("tls://db.pass.example.com:443", &[L4], &[]);
    assert_routed(&d, "default/passthrough", &[&db]);
    assert_eq!(d["rule"]["index"], 0);
    let d = route(
        "https://gw.example.com/",
        &[L4],
        &["--sni", "db.pass.example.com"],
    );
    assert_routed(&d, "default/passthrough", &[&db]);
    // Exact SNI first, then the wildcard chain.
    let d = route("tls://x.pass.example.com:443", &[L4], &[]);
    assert_routed(
        &d,
        "default/passthrough",
        &[&cluster_of("web-tls", "default", 443)],
    );
    assert_eq!(d["rule"]["index"], 1);
    // No server accepts the name.
    let d = route("tls://other.example.com:443", &[L4], &[]);
    assert_eq!(outcome(&d), "tls-error", "{d:#}");
}

// ------------------------------------------------------------------------------------------
// 11. Gateway API
// ------------------------------------------------------------------------------------------

const GW_API: &str = "gateway-api.yaml";
const GW_API_VANTAGE: &str = "default/gateway.networking.k8s.io/gateway-name=web";

fn gateway_api(path: &str) -> Value {
    route(
        &format!("http://web.example.com{path}"),
        &[GW_API],
        &["--gateway", GW_API_VANTAGE],
    )
}

#[test]
fn gateway_api_path_prefix_is_segment_wise() {
    let api = cluster_of("api", "default", 8080);
    for path in ["/api", "/api/", "/api/x"] {
        let d = gateway_api(path);
        assert_routed(&d, "default/api", &[&api]);
        assert_eq!(d["kind"], "HTTPRoute", "{path}");
        assert_eq!(d["gateway"], "default/web", "{path}");
        assert_eq!(rule(&d), (0, Some(0)), "{path}");
    }
    assert_not_found(&gateway_api("/apix"));
    assert_not_found(&gateway_api("/"));
}

#[test]
fn gateway_api_exact_beats_prefix_whatever_the_order() {
    let d = gateway_api("/api/special");
    assert_routed(
        &d,
        "default/api",
        &[&cluster_of("special", "default", 8080)],
    );
    assert_eq!(rule(&d).0, 1);
}

#[test]
fn gateway_api_missing_backend_is_500() {
    let d = gateway_api("/missing/x");
    assert_eq!(outcome(&d), "no-cluster", "{d:#}");
    assert_eq!(d["status"], 500);
}

#[test]
fn gateway_api_gateway_is_the_default_vantage_when_alone() {
    let f = fixture(GW_API);
    let o = meshctl(&[
        "route-test",
        "http://web.example.com/api",
        "-f",
        &f,
        "-o",
        "json",
    ]);
    let d: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(
        d["workload"],
        "default/gateway.networking.k8s.io/gateway-name=web"
    );
    assert_eq!(outcome(&d), "route");
}

// ------------------------------------------------------------------------------------------
// 12. Validation
// ------------------------------------------------------------------------------------------

#[test]
fn rejected_virtual_service_is_reported_and_left_out() {
    let f = fixture("invalid.yaml");
    let o = meshctl(&[
        "route-test",
        "http://broken.example.com/",
        "-f",
        &f,
        "-o",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let err = stderr(&o);
    assert!(
        err.contains("VirtualService default/broken is ignored") && err.contains("weight -1"),
        "{err}"
    );
    let d: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_not_found(&d);
    assert!(d["virtual_host"].is_null(), "{d:#}");
    // The valid object next to it still routes.
    let d = route("http://fine.example.com/", &["invalid.yaml"], &[]);
    assert_routed(&d, "default/fine", &[&cluster_of("web", "default", 80)]);
}

// ------------------------------------------------------------------------------------------
// 13. Test suites
// ------------------------------------------------------------------------------------------

/// `route-test --tests SUITE... -f bookinfo.yaml EXTRA...`.
fn run_suites(suites: &[&str], extra: &[&str]) -> Output {
    let paths: Vec<String> = suites.iter().map(|s| suite(s)).collect();
    let bookinfo = fixture(BOOKINFO);
    let mut args = vec!["route-test"];
    for p in &paths {
        args.extend(["--tests", p.as_str()]);
    }
    args.extend(["-f", bookinfo.as_str()]);
    args.extend(extra);
    meshctl(&args)
}

#[test]
fn istio_config_validator_suite_passes() {
    let o = run_suites(&["bookinfo-icv.yaml"], &[]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{}", stderr(&o));
    assert!(out.contains("2 case(s): 2 passed, 0 failed"), "{out}");
    assert!(
        out.contains("route coverage: 100.0% (5 of 5 match blocks)"),
        "{out}"
    );
}

#[test]
fn native_suite_passes() {
    let o = run_suites(&["bookinfo-native.yaml"], &[]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{}", stderr(&o));
    assert!(out.contains("5 case(s): 5 passed, 0 failed"), "{out}");
    assert!(
        out.contains("route coverage: 100.0% (5 of 5 match blocks)"),
        "{out}"
    );
    // Several suite files in one run, with full coverage.
    let o = meshctl(&[
        "route-test",
        "--tests",
        &suite("bookinfo-native.yaml"),
        "--tests",
        &suite("bookinfo-icv.yaml"),
        "-f",
        &fixture(BOOKINFO),
        "--fail-under",
        "100",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

#[test]
fn failing_cases_exit_1_and_are_all_listed() {
    let o = run_suites(&["bookinfo-icv-failing.yaml", "bookinfo-failing.yaml"], &[]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    for line in [
        "FAIL wrong port with wantMatch true",
        r#"route: want [{"destination":{"host":"productpage","port":{"number":8080}}}]"#,
        "FAIL wantMatch defaults to false, so an exact match fails",
        "FAIL expects the wrong port",
        "destinations[0].port: want 8080, got 9080",
        "PASS passes",
        "FAIL expects a route where Istio answers 404",
        "outcome: want route, got not-found",
        "5 case(s): 1 passed, 4 failed",
    ] {
        assert!(out.contains(line), "missing {line:?} in\n{out}");
    }
}

#[test]
fn fail_under_with_uncovered_blocks_exits_1() {
    let o = run_suites(&["bookinfo-partial.yaml"], &[]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "all cases pass: {out}");
    assert!(
        out.contains("route coverage: 20.0% (1 of 5 match blocks)"),
        "{out}"
    );
    assert!(
        out.contains("VirtualService default/bookinfo http[0] match[4]"),
        "{out}"
    );
    let o = run_suites(&["bookinfo-partial.yaml"], &["--fail-under", "100"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stderr(&o).contains("below --fail-under"), "{}", stderr(&o));
    let o = run_suites(&["bookinfo-partial.yaml"], &["--fail-under", "20"]);
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn suite_json_output() {
    let o = run_suites(&["bookinfo-failing.yaml"], &["-o", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(
        v["summary"],
        serde_json::json!({"cases": 3, "passed": 1, "failed": 2, "errors": 0})
    );
    let cov = &v["coverage"];
    assert_eq!(cov["blocks"], 5);
    assert_eq!(cov["covered"], 2);
    assert_eq!(cov["percent"], 40.0);
    assert_eq!(
        cov["uncovered"][0],
        serde_json::json!({"object": "VirtualService default/bookinfo", "rule": 0, "match": 1})
    );
    let case = &v["cases"][0];
    assert_eq!(case["description"], "expects the wrong port");
    assert_eq!(case["passed"], false);
    let check = &case["checks"][0];
    assert_eq!(
        check["request"],
        "GET http://bookinfo.example.com/productpage"
    );
    assert_eq!(
        check["failures"][0],
        "destinations[0].port: want 8080, got 9080"
    );
    assert_eq!(check["decision"]["outcome"], "route");
    assert_eq!(v["cases"][1]["passed"], true);
}

#[test]
fn suite_junit_output() {
    let o = run_suites(&["bookinfo-failing.yaml"], &["-o", "junit"]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
        "{out}"
    );
    assert!(
        out.contains(r#"<testsuites name="meshctl route-test" tests="3" failures="2" errors="0">"#),
        "{out}"
    );
    assert_eq!(out.matches("<testcase ").count(), 3, "{out}");
    assert_eq!(out.matches("<failure ").count(), 2, "{out}");
    assert!(out.contains(r#"name="passes"/>"#), "{out}");
    assert!(out.trim_end().ends_with("</testsuites>"), "{out}");
    // JUnit is for suites only.
    let f = fixture(BOOKINFO);
    let o = meshctl(&["route-test", "http://a/", "-f", &f, "-o", "junit"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn malformed_test_files_are_clear_errors() {
    let o = run_suites(&["malformed.yaml"], &[]);
    assert_ne!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.contains("ERROR"), "{out}");
    assert!(
        out.contains("testdata/route/suites/malformed.yaml:5:6: invalid YAML"),
        "{out}"
    );
    let o = run_suites(&["unknown-field.yaml"], &[]);
    assert_ne!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.contains("unknown field `outcom`"), "{out}");
    assert!(
        out.contains("testdata/route/suites/unknown-field.yaml:"),
        "{out}"
    );
    let o = run_suites(&["unknown-field.yaml"], &["-o", "json"]);
    let v: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["summary"]["errors"], 1);
}

// ------------------------------------------------------------------------------------------
// 14. Usage errors
// ------------------------------------------------------------------------------------------

#[test]
fn usage_errors_exit_2() {
    let f = fixture(BOOKINFO);
    for bad in [
        "istio-system",
        "istio-system/",
        "/istio=ingressgateway",
        "ns/novalue",
    ] {
        let o = meshctl(&["route-test", "http://a/", "-f", &f, "--gateway", bad]);
        assert_eq!(o.status.code(), Some(2), "--gateway {bad}: {}", stderr(&o));
        assert!(stderr(&o).contains("--gateway"), "{}", stderr(&o));
    }
    let o = meshctl(&["route-test", "http://a/"]);
    assert_eq!(o.status.code(), Some(2), "missing -f: {}", stderr(&o));
    let o = meshctl(&["route-test", "ftp://a/", "-f", &f]);
    assert_eq!(o.status.code(), Some(2), "bad scheme: {}", stderr(&o));
    let o = meshctl(&["route-test", "http://a/", "-f", &f, "-H", "no colon"]);
    assert_eq!(o.status.code(), Some(2), "bad header: {}", stderr(&o));
}

#[test]
fn unreadable_inputs_exit_3() {
    let o = meshctl(&[
        "route-test",
        "http://a/",
        "-f",
        "testdata/route/does-not-exist.yaml",
    ]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("does-not-exist.yaml"), "{}", stderr(&o));
    let o = run_suites(&["does-not-exist.yaml"], &[]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
}

// ------------------------------------------------------------------------------------------
// 15. Partial input: what the input does not say is unknown, not missing
// ------------------------------------------------------------------------------------------

const PARTIAL: &str = "partial-gateway.yaml";
const PARTIAL_WORKLOADS: &str = "partial-workloads.yaml";

/// `meshctl route-test URL -f FIXTURE... EXTRA...` in human form: (exit code, stdout, stderr).
fn route_human(url: &str, fixtures: &[&str], extra: &[&str]) -> (Option<i32>, String, String) {
    let files: Vec<String> = fixtures.iter().map(|f| fixture(f)).collect();
    let mut args = vec!["route-test", url];
    for f in &files {
        args.extend(["-f", f.as_str()]);
    }
    args.extend(extra);
    let o = meshctl(&args);
    (o.status.code(), stdout(&o), stderr(&o))
}

#[test]
fn gateway_and_virtual_service_alone_route_to_the_service_they_name() {
    let (code, out, err) = route_human("http://bookinfo.example.com/productpage", &[PARTIAL], &[]);
    assert_eq!(code, Some(0), "{out}{err}");
    let head = out.lines().next().unwrap_or_default();
    assert!(head.starts_with("ROUTE "), "{out}");
    assert!(
        out.contains("──▶ productpage.default.svc.cluster.local:9080  (100%)"),
        "{out}"
    );
    assert!(
        out.contains(
            "note: Service productpage.default.svc.cluster.local is not in the input; assumed to exist"
        ),
        "{out}"
    );
    assert!(
        !out.contains("MISSING") && !out.contains("warning"),
        "{out}"
    );
}

#[test]
fn json_says_exists_null_for_an_assumed_service() {
    let d = route("http://bookinfo.example.com/productpage", &[PARTIAL], &[]);
    assert_routed(&d, "default/shop", &[PRODUCTPAGE]);
    assert_eq!(d["status"], Value::Null);
    let dest = &d["destinations"][0];
    assert!(dest["exists"].is_null(), "{d:#}");
    assert!(dest.get("missing").is_none(), "{d:#}");
    assert_eq!(
        d["notes"][0],
        "Service productpage.default.svc.cluster.local is not in the input; assumed to exist"
    );
    // A known Service: exists is true, no note.
    let d = route("http://bookinfo.example.com/productpage", &[BOOKINFO], &[]);
    assert_eq!(d["destinations"][0]["exists"], true, "{d:#}");
    assert!(d.get("notes").is_none(), "{d:#}");
}

#[test]
fn complete_input_makes_an_absent_service_missing() {
    let d = route(
        "http://bookinfo.example.com/productpage",
        &[PARTIAL],
        &["--complete"],
    );
    assert_eq!(outcome(&d), "no-cluster", "{d:#}");
    assert_eq!(d["status"], 503);
    assert_eq!(d["destinations"][0]["exists"], false);
    let (_, out, _) = route_human(
        "http://bookinfo.example.com/productpage",
        &[PARTIAL],
        &["--complete"],
    );
    assert!(out.starts_with("NO CLUSTER (503)"), "{out}");
    assert!(out.contains("the input is complete"), "{out}");
}

#[test]
fn services_of_the_namespace_in_the_input_make_an_absent_one_missing() {
    // The second file has a Service of namespace default (details), not productpage.
    let d = route(
        "http://bookinfo.example.com/productpage",
        &[PARTIAL, PARTIAL_WORKLOADS],
        &[],
    );
    assert_eq!(outcome(&d), "no-cluster", "{d:#}");
    assert_eq!(d["destinations"][0]["exists"], false);
    let why = text(&d["destinations"][0], "missing");
    assert!(
        why.contains("the input has other Services of namespace default"),
        "{d:#}"
    );
}

#[test]
fn subset_without_any_destination_rule_in_the_input_is_assumed() {
    // Service known (bookinfo.yaml has reviews), no DestinationRule anywhere in the input.
    let d = route(
        "http://bookinfo.example.com/reviews/1",
        &[PARTIAL, BOOKINFO],
        &[],
    );
    assert_eq!(outcome(&d), "route", "{d:#}");
    assert!(d["destinations"][0]["exists"].is_null(), "{d:#}");
    assert_eq!(
        d["notes"][0],
        "no DestinationRule for reviews.default.svc.cluster.local is in the input; \
         subset \"v2\" assumed to be defined",
        "{d:#}"
    );
}

#[test]
fn suite_cases_on_partial_input_route() {
    let f = fixture(PARTIAL);
    let s = suite("partial-input.yaml");
    let o = meshctl(&["route-test", "--tests", &s, "-f", &f]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{}", stderr(&o));
    assert!(out.contains("2 case(s): 2 passed, 0 failed"), "{out}");
    let o = meshctl(&["route-test", "--tests", &s, "-f", &f, "--complete"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("outcome: want route, got no-cluster"),
        "{}",
        stdout(&o)
    );
}

// ------------------------------------------------------------------------------------------
// 16. Vantage points the input does not have
// ------------------------------------------------------------------------------------------

#[test]
fn misspelt_from_workload_is_a_warning_with_the_closest_match() {
    let fixtures = [PARTIAL, PARTIAL_WORKLOADS];
    let (code, out, err) = route_human(
        "http://details:9080/",
        &fixtures,
        &["--from", "defualt/app=productpage"],
    );
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(
        err.contains(
            "warning: --from defualt/app=productpage: no workload in the input has these labels \
             in namespace defualt; did you mean default/app=productpage?"
        ),
        "{err}"
    );
    // A misspelt label value, too; JSON carries the warning.
    let d = route(
        "http://details:9080/",
        &fixtures,
        &["--from", "default/app=prodcutpage"],
    );
    assert!(
        d["warnings"][0]
            .as_str()
            .is_some_and(|w| w.ends_with("did you mean default/app=productpage?")),
        "{d:#}"
    );
    // The workload of the input, or a subset of its labels: no warning.
    for from in [
        "default/app=productpage",
        "default/app=productpage,version=v1",
    ] {
        let (_, _, err) = route_human("http://details:9080/", &fixtures, &["--from", from]);
        assert!(!err.contains("warning"), "{from}: {err}");
    }
    // Without workloads in the input there is nothing to check against.
    let (_, _, err) = route_human(
        "http://details:9080/",
        &[PARTIAL],
        &["--from", "defualt/app=productpage"],
    );
    assert!(!err.contains("warning"), "{err}");
}

#[test]
fn misspelt_gateway_workload_is_a_warning_with_the_closest_match() {
    let (_, _, err) = route_human(
        "http://bookinfo.example.com/productpage",
        &[PARTIAL],
        &["--gateway", "istio-system/istio=ingresgateway"],
    );
    assert!(
        err.contains(
            "warning: --gateway istio-system/istio=ingresgateway: no Gateway in the input selects \
             these labels; did you mean istio-system/istio=ingressgateway?"
        ),
        "{err}"
    );
    let (_, _, err) = route_human(
        "http://bookinfo.example.com/productpage",
        &[PARTIAL],
        &["--gateway", "istio-sytem/istio=ingressgateway"],
    );
    assert!(
        err.contains("did you mean istio-system/istio=ingressgateway?"),
        "{err}"
    );
    let (_, _, err) = route_human(
        "http://bookinfo.example.com/productpage",
        &[PARTIAL],
        &["--gateway", "istio-system/istio=ingressgateway"],
    );
    assert!(!err.contains("warning"), "{err}");
}

// ------------------------------------------------------------------------------------------
// 17. Wildcard ServiceEntries and egress gateways
// ------------------------------------------------------------------------------------------

const WILDCARD_SE: &str = "wildcard-service-entry.yaml";
const EGRESS: &str = "egress-gateway.yaml";

fn from_web(url: &str, fixture: &str) -> Value {
    route(
        url,
        &[fixture],
        &["--from", "shop/app=web", "--registry-only"],
    )
}

#[test]
fn wildcard_service_entry_is_reached_by_host_and_by_sni() {
    // HTTP: the virtual host with the wildcard domain.
    let d = from_web("http://objects.cloud.example/x", WILDCARD_SE);
    assert_eq!(outcome(&d), "route", "{d:#}");
    assert_eq!(clusters(&d), ["outbound|80||*.cloud.example"]);
    assert_eq!(d["virtual_host"], "*.cloud.example:80");
    // HTTPS and TLS: the filter chain whose server name is the wildcard host.
    for url in [
        "https://objects.cloud.example/x",
        "tls://objects.cloud.example:443",
    ] {
        let d = from_web(url, WILDCARD_SE);
        assert_eq!(outcome(&d), "route", "{url}: {d:#}");
        assert_eq!(clusters(&d), ["outbound|443||*.cloud.example"], "{url}");
        assert_eq!(d["destinations"][0]["exists"], true);
    }
    // The most specific wildcard wins; an exact host beats the wildcards.
    let d = from_web("tls://files.eu.cloud.example:443", WILDCARD_SE);
    assert_eq!(clusters(&d), ["outbound|443||*.eu.cloud.example"]);
    let d = from_web("https://login.cloud.example/", WILDCARD_SE);
    assert_eq!(clusters(&d), ["outbound|443||login.cloud.example"]);
    // `*.cloud.example` does not cover cloud.example; an SNI outside the wildcard matches no
    // filter chain: blocked under REGISTRY_ONLY.
    let d = from_web("https://cloud.example/", WILDCARD_SE);
    assert_eq!(outcome(&d), "blocked", "{d:#}");
    let d = route(
        "tls://objects.cloud.example:443",
        &[WILDCARD_SE],
        &[
            "--from",
            "shop/app=web",
            "--registry-only",
            "--sni",
            "other.example",
        ],
    );
    assert_eq!(outcome(&d), "blocked", "{d:#}");
}

#[test]
fn egress_gateway_pattern_routes_through_the_gateway() {
    // From the sidecar, HTTP and TLS go to the egress gateway Service (Istio's, not in the
    // input: assumed), subset from the DestinationRule.
    let d = from_web("http://api.partner.example/v1/orders", EGRESS);
    assert_routed(
        &d,
        "shop/partner-via-egress",
        &["outbound|80|partner|istio-egressgateway.istio-system.svc.cluster.local"],
    );
    assert!(d["destinations"][0]["exists"].is_null(), "{d:#}");
    assert!(
        d["notes"][0].as_str().is_some_and(|n| n.contains(
            "istio-egressgateway.istio-system.svc.cluster.local is not in the input; assumed installed by Istio"
        )),
        "{d:#}"
    );
    let d = from_web("tls://api.partner.example:443", EGRESS);
    assert_eq!(outcome(&d), "route", "{d:#}");
    assert_eq!(
        clusters(&d),
        ["outbound|443|partner|istio-egressgateway.istio-system.svc.cluster.local"]
    );
    // At the egress gateway, on to the external host.
    let at_gw = ["--gateway", "istio-system/istio=egressgateway"];
    let d = route("http://api.partner.example/v1/orders", &[EGRESS], &at_gw);
    assert_routed(
        &d,
        "shop/partner-via-egress",
        &["outbound|80||api.partner.example"],
    );
    assert_eq!(d["gateway"], "shop/egress");
    assert_eq!(d["destinations"][0]["exists"], true);
    let d = route("tls://api.partner.example:443", &[EGRESS], &at_gw);
    assert_eq!(outcome(&d), "route", "{d:#}");
    assert_eq!(clusters(&d), ["outbound|443||api.partner.example"]);
    // --complete: Istio's Services are not assumed either.
    let d = route(
        "http://api.partner.example/v1/orders",
        &[EGRESS],
        &["--from", "shop/app=web", "--complete"],
    );
    assert_eq!(outcome(&d), "no-cluster", "{d:#}");
}

#[test]
fn sidecar_caller_reaches_a_service_the_input_does_not_have() {
    let at = ["--from", "default/app=productpage"];
    let d = route("http://reviews:9080/", &["partial-mesh.yaml"], &at);
    assert_routed(
        &d,
        "default/reviews",
        &["outbound|9080|v1|reviews.default.svc.cluster.local"],
    );
    assert!(d["destinations"][0]["exists"].is_null(), "{d:#}");
    assert_eq!(
        d["notes"][0],
        "Service reviews.default.svc.cluster.local is not in the input; assumed to exist"
    );
    let mut with_header = at.to_vec();
    with_header.extend(["-H", "end-user: jason"]);
    let d = route("http://reviews:9080/", &["partial-mesh.yaml"], &with_header);
    assert_eq!(
        clusters(&d),
        ["outbound|9080|v2|reviews.default.svc.cluster.local"]
    );
    // The DestinationRule is in the input: a subset it does not define is missing.
    let d = route("http://reviews:9080/v3", &["partial-mesh.yaml"], &at);
    assert_eq!(outcome(&d), "no-cluster", "{d:#}");
    assert!(
        text(&d["destinations"][0], "missing")
            .contains("subset \"v3\" is not defined in DestinationRule default/reviews"),
        "{d:#}"
    );
    // Declared complete, reviews is not a service: the caller's request passes through.
    let mut complete = at.to_vec();
    complete.push("--complete");
    let d = route("http://reviews:9080/", &["partial-mesh.yaml"], &complete);
    assert_eq!(outcome(&d), "passthrough", "{d:#}");
}

#[test]
fn gateway_api_backend_not_in_the_input_is_assumed() {
    let at = ["--gateway", GW_API_VANTAGE];
    let d = route(
        "http://shop.example.com/",
        &["gateway-api-partial.yaml"],
        &at,
    );
    assert_routed(
        &d,
        "default/store",
        &[&cluster_of("store", "default", 8080)],
    );
    assert!(d["destinations"][0]["exists"].is_null(), "{d:#}");
    let mut complete = at.to_vec();
    complete.push("--complete");
    let d = route(
        "http://shop.example.com/",
        &["gateway-api-partial.yaml"],
        &complete,
    );
    assert_eq!(outcome(&d), "no-cluster", "{d:#}");
    assert_eq!(d["status"], 500);
}
