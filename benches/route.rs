//! `cargo bench --bench route [-- REQUESTS]`: builds the routing index for a generated config of
//! 1,000 VirtualServices bound to 200 Gateways (with 1,000 Services and DestinationRules), then
//! evaluates generated requests (default 1,000,000) on one core at the ingress gateway, and
//! prints the index build time, the route-table build time and decisions per second. The numbers
//! go into docs/performance.md.

use std::fmt::Write as _;
use std::time::Instant;

use meshctl::route::{Index, MeshSettings, Request, Router, default_gateway};

const VS: usize = 1000;
const GATEWAYS: usize = 200;

fn config() -> String {
    let mut y = String::new();
    for g in 0..GATEWAYS {
        let _ = write!(
            y,
            "apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {{name: gw-{g}, namespace: istio-system}}
spec:
  selector: {{istio: ingressgateway}}
  servers:
  - port: {{number: 80, name: http, protocol: HTTP}}
    hosts: [\"*.g{g}.example.com\"]
---
"
        );
    }
    for i in 0..VS {
        let g = i % GATEWAYS;
        let ns = format!("team-{}", i % 10);
        let _ = write!(
            y,
            "apiVersion: v1
kind: Service
metadata: {{name: svc-{i}, namespace: {ns}}}
spec:
  selector: {{app: svc-{i}}}
  ports: [{{name: http, port: 8080}}]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {{name: svc-{i}, namespace: {ns}}}
spec:
  host: svc-{i}
  subsets:
  - {{name: v1, labels: {{version: v1}}}}
  - {{name: v2, labels: {{version: v2}}}}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {{name: vs-{i}, namespace: {ns}}}
spec:
  hosts: [s{i}.g{g}.example.com]
  gateways: [istio-system/gw-{g}]
  http:
  - match: [{{uri: {{exact: /api/v1/items}}}}]
    route: [{{destination: {{host: svc-{i}, subset: v1}}}}]
  - match:
    - headers: {{x-canary: {{exact: \"true\"}}}}
      uri: {{prefix: /api/}}
    route: [{{destination: {{host: svc-{i}, subset: v2}}}}]
  - match: [{{uri: {{regex: \"/users/[0-9]+\"}}}}]
    route: [{{destination: {{host: svc-{i}, subset: v1}}}}]
  - match:
    - method: {{exact: POST}}
      uri: {{prefix: /orders}}
    - queryParams: {{debug: {{exact: \"1\"}}}}
    rewrite: {{uri: /v2/orders}}
    route: [{{destination: {{host: svc-{i}, subset: v2}}}}]
  - match: [{{uri: {{prefix: /static}}}}]
    redirect: {{authority: cdn.example.com}}
  - route:
    - {{destination: {{host: svc-{i}, subset: v1}}, weight: 90}}
    - {{destination: {{host: svc-{i}, subset: v2}}, weight: 10}}
---
"
        );
    }
    y
}

fn requests() -> Vec<Request> {
    let paths = [
        ("GET", "/api/v1/items", None),
        ("GET", "/api/v2/things", Some(("x-canary", "true"))),
        ("GET", "/users/12345", None),
        ("POST", "/orders/7", None),
        ("GET", "/search?debug=1", None),
        ("GET", "/static/app.js", None),
        ("GET", "/", None),
        ("GET", "/api/v2/things", None),
    ];
    let mut out = Vec::new();
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    for _ in 0..10_000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let i = (x % VS as u64) as usize;
        let (method, path, header) = paths[(x >> 20) as usize % paths.len()];
        // One request in 16 goes to a host no VirtualService serves.
        let host = if (x >> 40).is_multiple_of(16) {
            format!("unknown{i}.example.org")
        } else {
            format!("s{i}.g{}.example.com", i % GATEWAYS)
        };
        let mut r = Request::parse(&format!("http://{host}{path}")).expect("generated URL");
        r.method = method.to_string();
        if let Some((k, v)) = header {
            r.add_header(k, v);
        }
        out.push(r);
    }
    out
}

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let text = config();
    let t = Instant::now();
    let set = meshctl::config::from_text("bench.yaml", &text);
    let load = t.elapsed();
    let errors = set
        .diagnostics
        .iter()
        .filter(|d| d.severity == meshctl::check::Severity::Error)
        .count();
    assert_eq!(errors, 0, "the generated config is valid");
    let mut best_index = f64::MAX;
    let mut ix = Index::default();
    for _ in 0..5 {
        let t = Instant::now();
        ix = Index::build(&set);
        best_index = best_index.min(t.elapsed().as_secs_f64());
    }
    println!(
        "config: {} Gateways, {} VirtualServices, {} objects, {:.1} MB (parse + validate {:.0} ms)",
        ix.gateways.len(),
        ix.virtual_services.len(),
        set.objects.len(),
        text.len() as f64 / 1e6,
        load.as_secs_f64() * 1e3
    );
    println!("index build:       {:>8.2} ms", best_index * 1e3);
    let reqs = requests();
    let t = Instant::now();
    let mut router = Router::new(&ix, default_gateway(), MeshSettings::default());
    let _ = router.resolve(&reqs[0]);
    println!(
        "route table build: {:>8.2} ms  (gateway http.8080, first request)",
        t.elapsed().as_secs_f64() * 1e3
    );
    let mut best = f64::MAX;
    let mut matched = 0usize;
    for _ in 0..3 {
        matched = 0;
        let t = Instant::now();
        for i in 0..n {
            let hit = router.resolve(&reqs[i % reqs.len()]);
            if matches!(
                hit,
                meshctl::route::engine::Hit::Http { route: Some(_), .. }
            ) {
                matched += 1;
            }
        }
        best = best.min(t.elapsed().as_secs_f64());
    }
    println!(
        "decisions:         {:>8.0} ms for {n} requests = {:.2} M decisions/s on one core ({matched} matched a route)",
        best * 1e3,
        n as f64 / best / 1e6
    );
    let t = Instant::now();
    let k = 10_000;
    for r in reqs.iter().take(k) {
        std::hint::black_box(meshctl::route::explain(&mut router, r));
    }
    println!(
        "explained:         {:>8.0} ms for {k} requests (full explanation with trace)",
        t.elapsed().as_secs_f64() * 1e3
    );
}
