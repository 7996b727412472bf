//! Generates a realistic corpus of Istio and Kubernetes resources for benchmarks: per service a
//! Deployment, a Service, a DestinationRule with subsets, a VirtualService with several match
//! rules and retries, an AuthorizationPolicy, plus Gateways and ServiceEntries, written as
//! multi-document YAML files of `per_file` resources.

use std::fmt::Write as _;
use std::path::Path;

/// Writes `total` resources under `dir`; returns the number of bytes written.
pub fn generate(dir: &Path, total: usize, per_file: usize) -> std::io::Result<u64> {
    std::fs::create_dir_all(dir)?;
    let mut written = 0u64;
    let mut file_no = 0;
    let mut buf = String::new();
    let mut in_file = 0;
    for i in 0..total {
        if in_file > 0 {
            buf.push_str("---\n");
        }
        resource(i, &mut buf);
        in_file += 1;
        if in_file == per_file || i + 1 == total {
            let path = dir.join(format!("resources-{file_no:05}.yaml"));
            std::fs::write(&path, buf.as_bytes())?;
            written += buf.len() as u64;
            buf.clear();
            in_file = 0;
            file_no += 1;
        }
    }
    Ok(written)
}

fn resource(i: usize, out: &mut String) {
    let svc = i / 8;
    let ns = format!("team-{}", svc % 17);
    let name = format!("svc-{svc}");
    let _ = match i % 8 {
        0 => write!(
            out,
            "apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}-v1
  namespace: {ns}
  labels:
    app: {name}
    version: v1
spec:
  replicas: 2
  selector:
    matchLabels:
      app: {name}
      version: v1
  template:
    metadata:
      labels:
        app: {name}
        version: v1
      annotations:
        sidecar.istio.io/inject: \"true\"
    spec:
      serviceAccountName: {name}
      containers:
      - name: app
        image: registry.example.com/{name}:1.{svc}.0
        ports:
        - containerPort: 8080
          name: http
        resources:
          requests:
            cpu: 100m
            memory: 128Mi
        readinessProbe:
          httpGet:
            path: /healthz
            port: 8080
"
        ),
        1 => write!(
            out,
            "apiVersion: v1
kind: Service
metadata:
  name: {name}
  namespace: {ns}
  labels:
    app: {name}
spec:
  selector:
    app: {name}
  ports:
  - name: http
    port: 8080
    targetPort: 8080
  - name: grpc
    port: 9090
    targetPort: 9090
"
        ),
        2 => write!(
            out,
            "apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: {name}
  namespace: {ns}
spec:
  host: {name}.{ns}.svc.cluster.local
  trafficPolicy:
    connectionPool:
      tcp:
        maxConnections: 100
      http:
        http1MaxPendingRequests: 50
        maxRequestsPerConnection: 10
    outlierDetection:
      consecutive5xxErrors: 5
      interval: 30s
      baseEjectionTime: 60s
    tls:
      mode: ISTIO_MUTUAL
  subsets:
  - name: v1
    labels:
      version: v1
  - name: v2
    labels:
      version: v2
"
        ),
        3 | 4 => write!(
            out,
            "apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: {name}-{i}
  namespace: {ns}
spec:
  hosts:
  - {name}-{i}.{ns}.svc.cluster.local
  http:
  - name: canary
    match:
    - headers:
        x-canary:
          exact: \"true\"
      uri:
        prefix: /api/v2/
    route:
    - destination:
        host: {name}
        subset: v2
        port:
          number: 8080
  - name: items
    match:
    - uri:
        regex: \"/api/v1/items/[0-9]+\"
    - uri:
        prefix: /api/v1/
    timeout: 5s
    retries:
      attempts: 3
      perTryTimeout: 2s
      retryOn: 5xx,connect-failure
    route:
    - destination:
        host: {name}
        subset: v1
      weight: 90
    - destination:
        host: {name}
        subset: v2
      weight: 10
  - route:
    - destination:
        host: {name}
        subset: v1
"
        ),
        5 => write!(
            out,
            "apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: {name}
  namespace: {ns}
spec:
  selector:
    matchLabels:
      app: {name}
  action: ALLOW
  rules:
  - from:
    - source:
        principals:
        - cluster.local/ns/{ns}/sa/frontend
    to:
    - operation:
        methods: [GET, POST]
        paths: [\"/api/*\"]
"
        ),
        6 => write!(
            out,
            "apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: {name}-gw
  namespace: {ns}
spec:
  selector:
    istio: ingressgateway
  servers:
  - port:
      number: 443
      name: https
      protocol: HTTPS
    tls:
      mode: SIMPLE
      credentialName: {name}-cert
    hosts:
    - {name}.example.com
"
        ),
        _ => write!(
            out,
            "apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: {name}-ext
  namespace: {ns}
spec:
  hosts:
  - api-{svc}.partner.example
  location: MESH_EXTERNAL
  ports:
  - number: 443
    name: tls
    protocol: TLS
  resolution: DNS
"
        ),
    };
}
