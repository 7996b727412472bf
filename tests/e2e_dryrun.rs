//! End-to-end test: `meshctl validate` accepts and rejects exactly what `kubectl apply` would.
//!
//! Every document of `testdata/`, of edge cases written here, of the shared corpus beside the
//! checkout (`../shared/corpus`: Istio's samples, Istio's CRD validation cases without their
//! `_err` field, real-world repositories, the inputs of Istio's analyzer tests) and of a
//! mutation corpus generated at test time (`../shared/tools/mutate_corpus.py`) is validated by meshctl and sent to the test bed's API
//! server as `kubectl apply` sends a new object: a create with `dryRun=All` and
//! `fieldValidation=Strict`, the YAML converted to JSON as sigs.k8s.io/yaml does. The API
//! server serves meshctl's CRDs (`meshctl manifest crds`) and calls **real istiod's** `/validate`
//! for the Istio groups through a ValidatingWebhookConfiguration, as in a cluster, so the
//! webhook sees the object after null pruning and defaulting. Nothing is written.
//!
//! The test asserts that meshctl rejects a document (any error) exactly when the API server
//! does, document by document, apart from the [`EXCEPTIONS`] listed below with their reasons.
//! Documents whose kind meshctl does not model, or that the test bed does not serve (the
//! Gateway API kinds: no Gateway API CRDs), are counted and left out. Without `../shared` that
//! part is skipped, and said so.
//!
//! `#[ignore]`d like the other end-to-end tests; it needs the test bed and istiod:
//!
//! ```text
//! scripts/test-cluster build-istiod && eval "$(scripts/test-cluster up)"
//! cargo test --test e2e_dryrun -- --ignored --nocapture
//! ```

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::{istiod, meshctl_kube, testbed_var};
use futures::stream::{self, StreamExt};
use kube::Resource;
use kube::api::{DynamicObject, PostParams};
use kube::core::{ApiResource, GroupVersionKind};
use kube::discovery::{self, Scope};
use meshctl::check::Severity;
use meshctl::check::run::{Collect, validate_source_for};
use meshctl::model::releases::Release;

/// The Istio release of the test bed's istiod (1.28.3): meshctl validates for it, as
/// `--istio-version 1.28` would.
const RELEASE: Release = Release::new(1, 28);
use meshctl::cluster::{self, Access, Cluster};
use meshctl::load::{self, Source};
use meshctl::model::kinds;
use serde_json::{Value as Json, json};

/// Where meshctl and the test bed disagree for a known reason. An exception marked `seen` is
/// hit by the fixed corpus (testdata, ../shared, the default mutation seed): if it stops
/// matching anything, the test fails, so the list cannot go stale. The others show up with
/// other mutation seeds.
const EXCEPTIONS: &[Exception] = &[
    // The test bed, not meshctl.
    Exception {
        when: When::ServerSays("is not configured for dual-stack services"),
        seen: true,
        reason: "the test bed is IPv4 single-stack (--service-cluster-ip-range=10.0.0.0/16): \
                 it refuses RequireDualStack and IPv6 Services, which a dual-stack cluster \
                 accepts; meshctl validates without knowing the cluster's IP families",
    },
    Exception {
        when: When::ServerSays("Invalid value: \"IPv6\": not configured on this cluster"),
        seen: true,
        reason: "the test bed is IPv4 single-stack (see above)",
    },
    Exception {
        when: When::ServerSays("is not in the valid range. The range of valid IPs is 10.0.0.0/16"),
        seen: true,
        reason: "a fixed clusterIP outside the test bed's service range (10.0.0.0/16): the \
                 range is the cluster's configuration, which meshctl does not know",
    },
    // Istio versions: meshctl validates for Istio 1.28, the test bed's istiod, so what later
    // releases added (EnvoyFilter context WAYPOINT, operation MERGE_AND_REPLACE_LIST) is
    // refused by both. The condition keys of AuthorizationPolicy `when` are not in the CRDs'
    // release table, so one later key remains a difference.
    Exception {
        when: When::ServerSays("unknown attribute: source.trustDomain"),
        seen: false,
        reason: "the AuthorizationPolicy condition key source.trustDomain is newer than istiod 1.28.3",
    },
    Exception {
        when: When::NewerField("waypoint"),
        seen: true,
        reason: "EnvoyFilter `match.waypoint` came with Istio 1.29: meshctl refuses it for 1.28 \
                 (MSH1014) as Istio 1.28's own CRDs would, while the test bed serves meshctl's \
                 CRDs (every supported release's fields) and istiod 1.28.3 ignores the field",
    },
    Exception {
        when: When::NewerField("http2KeepAlive"),
        seen: true,
        reason: "DestinationRule http2KeepAlive came with Istio 1.31: refused for 1.28 (MSH1014) \
                 as Istio 1.28's CRDs would; the test bed's CRDs hold it and istiod ignores it",
    },
    Exception {
        when: When::NewerField("trustDomains"),
        seen: false,
        reason: "AuthorizationPolicy `source.trustDomains` came with Istio 1.30: refused for \
                 1.28 (MSH1014) as Istio 1.28's CRDs would; the test bed's CRDs hold it and \
                 istiod ignores it",
    },
    Exception {
        when: When::NewerField("presence"),
        seen: true,
        reason: "RequestAuthentication `jwtRules[].presence` came with Istio 1.32: refused for \
                 1.28 (MSH1014) as Istio 1.28's CRDs would; the test bed's CRDs hold it and \
                 istiod ignores it",
    },
    // Istio's own CRD schema: a CEL rule, which meshctl checks and meshctl's CRDs (served by
    // the test bed) do not carry; istiod does not check it either, so only a cluster with
    // Istio's CRDs refuses it, as meshctl does. (The OpenAPI constraints of Istio's CRDs,
    // lengths, item counts, bounds and patterns, are in meshctl's CRDs.)
    Exception {
        when: When::MeshctlSays("value may only be set when valueFrom is INLINE"),
        seen: false,
        reason: "a CEL rule of Istio's WasmPlugin CRD (`has(self.value)`); istiod only refuses \
                 a non-empty value",
    },
];

struct Exception {
    when: When,
    /// The fixed corpus hits it.
    seen: bool,
    reason: &'static str,
}

#[derive(Clone, Copy)]
enum When {
    /// The API server rejects (meshctl accepts) with a message containing this.
    ServerSays(&'static str),
    /// meshctl rejects (the API server accepts), and every error it reports contains this.
    MeshctlSays(&'static str),
    /// A document using this field, which istiod 1.28.3 does not know and ignores: meshctl
    /// checks it (and may reject), istiod reads the object without it (and may reject what
    /// is left).
    NewerField(&'static str),
}

impl Exception {
    fn applies(&self, d: &Doc, server_message: Option<&str>) -> bool {
        match (self.when, server_message) {
            (When::ServerSays(fragment), Some(m)) => m.contains(fragment),
            (When::MeshctlSays(fragment), None) => {
                !d.errors.is_empty() && d.errors.iter().all(|e| e.contains(fragment))
            }
            (When::NewerField(field), _) => d.body.to_string().contains(&format!("\"{field}\"")),
            _ => false,
        }
    }

    fn label(&self) -> String {
        match self.when {
            When::ServerSays(f) => format!("API server says {f:?}"),
            When::MeshctlSays(f) => format!("meshctl says {f:?}"),
            When::NewerField(f) => format!("newer field {f}"),
        }
    }
}

/// Edge cases of what the API server does before validation (see docs/validate.md): each is
/// compared like the corpus.
const EDGE_CASES: &str = r#"
# Custom resources: non-nullable nulls are pruned.
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: nulls-pruned, labels: {app: reviews}}
spec:
  hosts: [reviews]
  gateways: null
  http:
  - timeout:
    retries: null
    route:
    - destination: {host: reviews, subset: null, port: null}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: empty-subset}
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews, subset: ""}
---
# Nulls in lists are kept, and rejected.
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: null-match}
spec:
  hosts: [reviews]
  http:
  - match: [null]
    route:
    - destination: {host: reviews}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: null-host}
spec:
  hosts: [reviews, null]
  http:
  - route:
    - destination: {host: reviews}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: null-subsets}
spec:
  host: reviews
  subsets: null
  trafficPolicy:
    tls: null
    portLevelSettings: null
    outlierDetection: {consecutive5xxErrors: null, interval: 10s}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: null-subset-item}
spec:
  host: reviews
  subsets: [null]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: null-labels-value}
spec:
  host: reviews
  subsets:
  - name: v1
    labels: {version: null}
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: null-mtls}
spec:
  mtls: null
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: null-spec}
spec: null
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: null-tls}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ["*"]
    tls: null
---
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata: {name: null-map-values}
spec:
  metrics:
  - providers: [{name: prometheus}]
    overrides:
    - match: {metric: REQUEST_COUNT}
      tagOverrides: {request_host: null, response_code: {operation: REMOVE}}
  tracing:
  - customTags: {team: null}
---
# Built-in kinds: defaults and Go's decoding.
apiVersion: v1
kind: Pod
metadata: {name: volume-without-source}
spec:
  volumes:
  - name: data
    emptyDir:
  - name: cache
  containers:
  - name: app
    image: nginx
    imagePullPolicy: ""
    terminationMessagePolicy: ""
    ports: [{containerPort: 80, protocol: ""}]
    livenessProbe: {exec: {command: ["true"]}, successThreshold: 0, periodSeconds: 0}
    readinessProbe: {httpGet: {port: 80, scheme: "", path: ""}}
    volumeMounts: [{name: data, mountPath: /data}, {name: cache, mountPath: /cache}]
  dnsPolicy: ""
  restartPolicy: ""
  tolerations: [{key: a, operator: "", effect: "", value: b}]
---
apiVersion: v1
kind: Pod
metadata: {name: null-container}
spec:
  containers: [null]
---
apiVersion: v1
kind: Pod
metadata: {name: host-network-ports}
spec:
  hostNetwork: true
  containers:
  - {name: a, image: nginx, ports: [{containerPort: 8080}]}
  - {name: b, image: nginx, ports: [{containerPort: 8080}]}
---
apiVersion: v1
kind: Pod
metadata: {name: null-env-item}
spec:
  containers:
  - name: app
    image: nginx
    env: [null]
---
apiVersion: v1
kind: Service
metadata: {name: affinity-config-without-client-ip}
spec:
  type: ""
  sessionAffinity: ""
  sessionAffinityConfig: {clientIP: {timeoutSeconds: 60}}
  ports: [{port: 80, protocol: "", targetPort: 0}]
  selector: {app: a}
---
apiVersion: v1
kind: Service
metadata: {name: null-port}
spec:
  ports: [null]
---
apiVersion: v1
kind: Service
metadata: {name: empty-internal-traffic-policy}
spec:
  internalTrafficPolicy: ""
  ports: [{port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: null-selector-value}
spec:
  selector: {app: null}
  ports: [{port: 80, targetPort: ""}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: max-unavailable-zero}
spec:
  selector: {matchLabels: {app: a}}
  strategy: {type: "", rollingUpdate: {maxUnavailable: 0}}
  template:
    metadata: {labels: {app: a}}
    spec:
      containers: [{name: a, image: nginx}]
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: max-unavailable-zero}
spec:
  selector: {matchLabels: {app: a}}
  updateStrategy: {rollingUpdate: {maxUnavailable: 0}}
  template:
    metadata: {labels: {app: a}}
    spec:
      containers: [{name: a, image: nginx}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: empty-strategy}
spec:
  serviceName: a
  podManagementPolicy: ""
  updateStrategy: {type: ""}
  selector: {matchLabels: {app: a}}
  template:
    metadata: {labels: {app: a, tier: null}}
    spec:
      containers: [{name: a, image: nginx}]
      volumes: [{name: scratch}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: null-label-matches-empty}
spec:
  selector: {matchLabels: {app: ""}}
  template:
    metadata: {labels: {app: null}}
    spec:
      containers: [{name: a, image: nginx}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: null-data-value}
data: {a: null, b: x}
---
apiVersion: v1
kind: Secret
metadata: {name: empty-type}
type: ""
stringData: {a: b}
---
apiVersion: v1
kind: Namespace
metadata: {name: edge-null-spec, labels: {team: null}}
spec: null
---
apiVersion: v1
kind: Service
metadata: {name: node-port-empty-traffic-policy}
spec:
  type: NodePort
  externalTrafficPolicy: ""
  ports: [{port: 80}]
---
apiVersion: v1
kind: Pod
metadata: {name: empty-seccomp-type}
spec:
  securityContext: {seccompProfile: {type: ""}}
  containers: [{name: a, image: nginx}]
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: {name: edge-null-policies}
webhooks:
- name: a.example.com
  clientConfig: {url: "https://example.com/validate"}
  rules:
  - {operations: [CREATE], apiGroups: [""], apiVersions: [v1], resources: [pods], scope: null}
  failurePolicy: null
  matchPolicy: null
  namespaceSelector: null
  timeoutSeconds: null
  sideEffects: None
  admissionReviewVersions: [v1]
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: {name: edge-empty-failure-policy}
webhooks:
- name: a.example.com
  clientConfig: {url: "https://example.com/validate"}
  failurePolicy: ""
  sideEffects: None
  admissionReviewVersions: [v1]
---
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata: {name: edge-null-rule}
webhooks:
- name: a.example.com
  clientConfig: {service: {name: s, namespace: ns, port: null}}
  rules: [null]
  sideEffects: None
  admissionReviewVersions: [v1]
  reinvocationPolicy: null
"#;

/// Namespace for documents that name none.
const NAMESPACE: &str = "meshctl-dryrun";
/// Requests in flight at once.
const CONCURRENCY: usize = 16;
/// Size and seed of the mutation corpus. `MESHCTL_DRYRUN_MUTANTS` and `MESHCTL_DRYRUN_SEED`
/// override them, to hunt for disagreements in other corpora (then exceptions that do not
/// match are not an error).
const MUTANTS: usize = 400;
const SEED: u64 = 20261207;

fn mutation_setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// One object to compare.
struct Doc {
    /// `file#n` (n counts objects in the file from 1; list items count one by one).
    origin: String,
    body: Json,
    group: String,
    version: String,
    kind: String,
    namespace: Option<String>,
    /// meshctl's errors: empty when it accepts the object.
    errors: Vec<String>,
}

#[derive(Default)]
struct Corpus {
    docs: Vec<Doc>,
    /// Left out, by reason: counts.
    skipped: BTreeMap<String, usize>,
}

impl Corpus {
    fn skip(&mut self, reason: impl Into<String>) {
        *self.skipped.entry(reason.into()).or_default() += 1;
    }

    /// Validates every object of `text` with meshctl and keeps those it models.
    fn add_text(&mut self, name: &str, text: &str) {
        let source = Source::new(name, text);
        let report = validate_source_for(&source, None, Collect::Objects, RELEASE);
        // Problems of the YAML itself (syntax, duplicate keys, ...): their objects are not
        // compared, since the JSON sent could not carry them.
        let yaml_problems: Vec<(u32, u32)> = report
            .diagnostics
            .iter()
            .filter(|d| d.code.starts_with("MSH000"))
            .filter_map(|d| d.location.as_ref().map(|l| (l.span.start, l.span.end)))
            .collect();
        for (n, o) in report.objects.iter().enumerate() {
            let origin = format!("{name}#{}", n + 1);
            let (start, end) = (o.node.span.start, o.node.span.end);
            if yaml_problems.iter().any(|(s, e)| *s >= start && *e <= end) {
                self.skip("YAML problems (duplicate keys, ...) the JSON cannot carry");
                continue;
            }
            if o.info.schema.is_none() {
                self.skip(format!("{} (a kind meshctl does not model)", o.info.kind));
                continue;
            }
            let errors: Vec<String> = report
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .filter(|d| {
                    d.location
                        .as_ref()
                        .is_some_and(|l| l.span.start >= start && l.span.end <= end)
                })
                .map(|d| {
                    format!(
                        "{} {}: {}",
                        d.code,
                        d.path.as_deref().unwrap_or(""),
                        d.message
                    )
                })
                .collect();
            assert_eq!(
                o.rejected,
                !errors.is_empty(),
                "{origin}: meshctl's verdict and its errors disagree: {errors:?}"
            );
            let (group, version) = kinds::split_api_version(&o.api_version);
            self.docs.push(Doc {
                origin,
                body: kubectl_json(o.node.to_json()),
                group: group.to_string(),
                version: version.to_string(),
                kind: o.info.kind.to_string(),
                namespace: o.namespace.clone(),
                errors,
            });
        }
    }

    /// Every `*.yaml`/`*.yml` under `dir`, in name order; `label` prefixes the origins.
    fn add_dir(&mut self, dir: &Path, label: &str, strip_err: bool) -> usize {
        let mut files = Vec::new();
        collect_yaml(dir, &mut files);
        files.sort();
        let before = self.docs.len();
        for f in &files {
            let rel = f.strip_prefix(dir).unwrap_or(f).display().to_string();
            let name = format!("{label}/{rel}");
            let bytes = std::fs::read(f).unwrap_or_else(|e| panic!("reading {}: {e}", f.display()));
            let (source, problem) = load::decode(name.clone(), bytes);
            if problem.is_some() {
                self.skip("files that are not UTF-8 text");
                continue;
            }
            let text = if strip_err {
                without_err(&source.text)
            } else {
                source.text.clone()
            };
            self.add_text(&name, &text);
        }
        self.docs.len() - before
    }
}

fn collect_yaml(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect_yaml(&p, out);
        } else if p.extension().is_some_and(|x| x == "yaml" || x == "yml") {
            out.push(p);
        }
    }
}

/// The text without top-level `_err` fields (Istio's validation cases name the expected error
/// there; it is not part of the resource), continuation lines included.
fn without_err(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut skipping = false;
    for line in text.split_inclusive('\n') {
        if line.starts_with("_err:") {
            skipping = true;
            continue;
        }
        if skipping && (line.starts_with(' ') || line.starts_with('\t')) {
            continue;
        }
        skipping = false;
        out.push_str(line);
    }
    out
}

/// JSON as kubectl sends it: sigs.k8s.io/yaml decodes YAML numbers to float64 and
/// `encoding/json` writes a whole float64 without a fraction (`1.0` is sent as `1`).
fn kubectl_json(v: Json) -> Json {
    match v {
        Json::Number(n) if !n.is_i64() && !n.is_u64() => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Json::from(f as i64),
            _ => Json::Number(n),
        },
        Json::Array(items) => Json::Array(items.into_iter().map(kubectl_json).collect()),
        Json::Object(m) => Json::Object(m.into_iter().map(|(k, v)| (k, kubectl_json(v))).collect()),
        other => other,
    }
}

/// The ValidatingWebhookConfiguration this test registers; it points at the istiod process,
/// which goes away with the test, so it must go too (else every later Istio write fails).
const WEBHOOK: &str = "meshctl-e2e-dryrun-istiod";

/// Deletes [`WEBHOOK`] when the test ends, passing or not.
struct RemoveWebhook(PathBuf);

impl Drop for RemoveWebhook {
    fn drop(&mut self) {
        let Ok(rt) = cluster::runtime() else {
            return;
        };
        rt.block_on(async {
            let Ok(c) = Cluster::connect(&Access {
                kubeconfig: Some(self.0.clone()),
                ..Access::default()
            })
            .await
            else {
                return;
            };
            let ar = ApiResource::from_gvk(&GroupVersionKind::gvk(
                "admissionregistration.k8s.io",
                "v1",
                "ValidatingWebhookConfiguration",
            ));
            let api: kube::Api<DynamicObject> = kube::Api::all_with(c.client.clone(), &ar);
            if let Err(e) = api.delete(WEBHOOK, &Default::default()).await {
                eprintln!("deleting ValidatingWebhookConfiguration {WEBHOOK}: {e}");
            }
        });
    }
}

/// The API server's verdict on one document.
enum Verdict {
    Accepted,
    Rejected(String),
}

/// `POST ...?dryRun=All&fieldValidation=Strict`, as `kubectl apply` creates an object.
async fn dry_run(
    client: &kube::Client,
    ar: &ApiResource,
    namespace: Option<&str>,
    body: &Json,
) -> Verdict {
    let url = DynamicObject::url_path(ar, namespace);
    let params = PostParams {
        dry_run: true,
        field_manager: Some("kubectl-client-side-apply".to_string()),
    };
    let data = serde_json::to_vec(body).unwrap_or_else(|e| panic!("{e}"));
    let request = || {
        let mut req = kube::core::Request::new(url.clone())
            .create(&params, data.clone())
            .unwrap_or_else(|e| panic!("{e}"));
        let uri = format!("{}&fieldValidation=Strict", req.uri());
        *req.uri_mut() = uri.parse().unwrap_or_else(|e| panic!("{uri}: {e}"));
        req
    };
    let mut attempt = 0;
    loop {
        attempt += 1;
        match client.request_text(request()).await {
            Ok(_) => return Verdict::Accepted,
            // The object exists (a namespace this test created): validation and admission
            // passed before the store found it.
            Err(kube::Error::Api(s)) if s.code == 409 && s.reason == "AlreadyExists" => {
                return Verdict::Accepted;
            }
            Err(kube::Error::Api(s)) if (400..500).contains(&s.code) && s.code != 429 => {
                return Verdict::Rejected(format!("{} {}", s.code, s.message));
            }
            Err(e) if attempt < 3 => {
                eprintln!("retrying after: {e}");
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
            Err(e) => panic!("dry run failed: {e}"),
        }
    }
}

/// Standard base64 (a webhook's `caBundle`).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The shared corpus beside the checkout, if present.
fn shared() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    dir.join("corpus").is_dir().then_some(dir)
}

/// Generates the mutation corpus into a temporary directory (`None` when it cannot be made).
fn mutants(shared: &Path, out: &Path) -> Option<PathBuf> {
    let sources = out.join("sources");
    let mutated = out.join("mutated");
    std::fs::create_dir_all(&sources).ok()?;
    for d in ["istio-samples", "istio-validation-cases", "real-world"] {
        let target = shared.join("corpus").join(d);
        let link = sources.join(d);
        if !link.exists() {
            std::os::unix::fs::symlink(&target, &link).ok()?;
        }
    }
    let o = std::process::Command::new("python3")
        .arg(shared.join("tools/mutate_corpus.py"))
        .arg(&sources)
        .arg(&mutated)
        .arg(mutation_setting("MESHCTL_DRYRUN_MUTANTS", MUTANTS as u64).to_string())
        .arg(mutation_setting("MESHCTL_DRYRUN_SEED", SEED).to_string())
        .output()
        .ok()?;
    if !o.status.success() {
        eprintln!(
            "mutate_corpus.py failed: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        return None;
    }
    Some(mutated)
}

#[test]
#[ignore = "needs the Kubernetes test bed and istiod (scripts/test-cluster build-istiod, up); run with --ignored"]
fn meshctl_accepts_and_rejects_what_the_api_server_and_istiod_do() {
    istiod::binary();
    testbed_var("MESHCTL_TESTBED_LIMITED_KUBECONFIG");
    let kubeconfig = testbed_var("KUBECONFIG");
    let started = Instant::now();

    // The documents and meshctl's verdicts.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut corpus = Corpus::default();
    let mut sources = Vec::new();
    let before = corpus.docs.len();
    corpus.add_text("edge-cases", EDGE_CASES);
    let edge = corpus.docs.len() - before;
    assert_eq!(edge, 31, "every edge case is compared");
    sources.push(format!("edge cases: {edge}"));
    let n = corpus.add_dir(&root.join("testdata"), "testdata", false);
    sources.push(format!("testdata: {n}"));
    let tmp = std::env::temp_dir().join(format!("meshctl-e2e-dryrun-{}", std::process::id()));
    match shared() {
        Some(shared) => {
            for (d, strip) in [
                ("istio-samples", false),
                ("istio-validation-cases", true),
                ("real-world", false),
                ("istio-analyzer-inputs", false),
            ] {
                let n = corpus.add_dir(&shared.join("corpus").join(d), d, strip);
                sources.push(format!("{d}: {n}"));
            }
            match mutants(&shared, &tmp) {
                Some(dir) => {
                    let n = corpus.add_dir(&dir, "mutated", true);
                    let seed = mutation_setting("MESHCTL_DRYRUN_SEED", SEED);
                    sources.push(format!("mutated (seed {seed}): {n}"));
                }
                None => eprintln!("NOTE: the mutation corpus could not be generated; skipped"),
            }
        }
        None => eprintln!(
            "NOTE: ../shared is not beside the checkout: the shared corpus and the mutation corpus are skipped"
        ),
    }

    let kubeconfig_for_meshctl = kubeconfig.clone();
    let meshctl = |args: &[&str]| {
        let (code, text, _) = meshctl_kube(args, &kubeconfig_for_meshctl);
        (code, text)
    };

    // meshctl's installation (istiod reads its mesh config), then real istiod.
    let (code, out) = meshctl(&["uninstall", "-y"]);
    assert_eq!(code, Some(0), "{out}");
    let controllers = std::env::var("MESHCTL_TESTBED_CONTROLLERS").as_deref() == Ok("1");
    let (code, out) = meshctl(&[
        "install",
        "-y",
        "--profile",
        "demo",
        "--readiness-timeout",
        "30s",
    ]);
    assert_eq!(code, Some(if controllers { 0 } else { 1 }), "{out}");
    let istiod = istiod::start(&kubeconfig, "e2e-dryrun");

    let remove_webhook = RemoveWebhook(kubeconfig.clone());
    let rt = cluster::runtime().unwrap_or_else(|e| panic!("{e}"));
    let results = rt.block_on(async {
        let c = Cluster::connect(&Access {
            kubeconfig: Some(kubeconfig.clone()),
            ..Access::default()
        })
        .await
        .unwrap_or_else(|e| panic!("connecting to the test bed: {e}"));
        c.apply_istio_crds("meshctl-e2e", Duration::from_secs(60))
            .await
            .unwrap_or_else(|e| panic!("applying meshctl's CRDs: {e}"));
        let client = c.client.clone();

        // The webhooks meshctl installed point at a Service nothing serves here: replace them
        // with one that sends the Istio groups to the istiod process.
        let hooks = [
            ("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration"),
            ("admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration"),
        ];
        for (api_version, kind) in hooks {
            let ar = ApiResource::from_gvk(&GroupVersionKind::gvk(
                "admissionregistration.k8s.io",
                "v1",
                kind,
            ));
            let api: kube::Api<DynamicObject> = kube::Api::all_with(client.clone(), &ar);
            let list = api
                .list(&Default::default())
                .await
                .unwrap_or_else(|e| panic!("listing {kind}s: {e}"));
            for o in list.items {
                let name = o.metadata.name.clone().unwrap_or_default();
                api.delete(&name, &Default::default())
                    .await
                    .unwrap_or_else(|e| panic!("deleting {api_version} {kind} {name}: {e}"));
            }
        }
        let webhook = json!({
            "apiVersion": "admissionregistration.k8s.io/v1",
            "kind": "ValidatingWebhookConfiguration",
            "metadata": {"name": WEBHOOK},
            "webhooks": [{
                "name": "rev.validation.istio.io",
                "clientConfig": {
                    "url": format!("https://localhost:{}/validate", istiod.https),
                    "caBundle": base64(istiod.root_cert.as_bytes()),
                },
                "rules": [{
                    "operations": ["CREATE", "UPDATE"],
                    "apiGroups": ["networking.istio.io", "security.istio.io",
                                  "telemetry.istio.io", "extensions.istio.io"],
                    "apiVersions": ["*"],
                    "resources": ["*"],
                }],
                "failurePolicy": "Fail",
                "sideEffects": "None",
                "admissionReviewVersions": ["v1", "v1beta1"],
                "timeoutSeconds": 10,
            }]
        });
        c.apply(&[webhook], "meshctl-e2e", false, 1)
            .await
            .unwrap_or_else(|e| panic!("registering istiod's webhook: {e}"));

        // The kinds: resource names and scope from discovery (`None`: not served).
        let mut resolved: HashMap<(String, String, String), Option<(ApiResource, bool)>> =
            HashMap::new();
        for d in &corpus.docs {
            let key = (d.group.clone(), d.version.clone(), d.kind.clone());
            if resolved.contains_key(&key) {
                continue;
            }
            let gvk = GroupVersionKind::gvk(&d.group, &d.version, &d.kind);
            let found = discovery::oneshot::pinned_kind(&client, &gvk)
                .await
                .ok()
                .map(|(ar, caps)| (ar, caps.scope == Scope::Namespaced));
            resolved.insert(key, found);
        }

        // The namespaces documents name (and the default one), so creation can reach
        // validation.
        let mut namespaces: BTreeSet<String> = corpus
            .docs
            .iter()
            .filter_map(|d| d.namespace.clone())
            .filter(|ns| meshctl::check::validate::common::is_k8s_dns_label(ns))
            .collect();
        namespaces.insert(NAMESPACE.to_string());
        let ns_api: kube::Api<DynamicObject> = kube::Api::all_with(
            client.clone(),
            &ApiResource::from_gvk(&GroupVersionKind::gvk("", "v1", "Namespace")),
        );
        for ns in &namespaces {
            let obj: DynamicObject = serde_json::from_value(json!({
                "apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}
            }))
            .unwrap_or_else(|e| panic!("{e}"));
            match ns_api.create(&PostParams::default(), &obj).await {
                Ok(_) => {}
                Err(kube::Error::Api(s)) if s.code == 409 => {}
                Err(e) => panic!("creating namespace {ns}: {e}"),
            }
        }

        // The webhook answers: a negative weight is refused by istiod, through the API server.
        let vs_ar = resolved
            .iter()
            .find(|((g, _, k), _)| g == "networking.istio.io" && k == "VirtualService")
            .and_then(|(_, v)| v.clone())
            .map(|(ar, _)| ar)
            .unwrap_or_else(|| {
                ApiResource::from_gvk(&GroupVersionKind::gvk(
                    "networking.istio.io",
                    "v1",
                    "VirtualService",
                ))
            });
        let probe = json!({
            "apiVersion": format!("networking.istio.io/{}", vs_ar.version),
            "kind": "VirtualService",
            "metadata": {"name": "probe", "namespace": NAMESPACE},
            "spec": {"hosts": ["a"], "http": [{"route": [{"destination": {"host": "a"}, "weight": -1}]}]}
        });
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            match dry_run(&client, &vs_ar, Some(NAMESPACE), &probe).await {
                Verdict::Rejected(m) if m.contains("weight -1") => break,
                other => {
                    let said = match other {
                        Verdict::Accepted => "accepted".to_string(),
                        Verdict::Rejected(m) => m,
                    };
                    assert!(
                        Instant::now() < deadline,
                        "istiod's webhook does not answer through the API server: {said}\n{}",
                        istiod.log_tail()
                    );
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
            }
        }

        let mut not_served = BTreeMap::new();
        let mut jobs = Vec::new();
        for (i, d) in corpus.docs.iter().enumerate() {
            let key = (d.group.clone(), d.version.clone(), d.kind.clone());
            match resolved.get(&key).cloned().flatten() {
                Some((ar, namespaced)) => jobs.push((i, ar, namespaced)),
                None => {
                    *not_served
                        .entry(format!(
                            "{} {} (not served by the test bed)",
                            if d.group.is_empty() { "core" } else { &d.group },
                            d.kind
                        ))
                        .or_insert(0usize) += 1;
                }
            }
        }
        let docs = &corpus.docs;
        let client = &client;
        let verdicts: Vec<(usize, Verdict)> = stream::iter(jobs.into_iter().map(
            |(i, ar, namespaced)| async move {
                let d = &docs[i];
                let ns = namespaced.then(|| d.namespace.as_deref().unwrap_or(NAMESPACE));
                (i, dry_run(client, &ar, ns, &d.body).await)
            },
        ))
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
        (verdicts, not_served)
    });
    let (mut verdicts, not_served) = results;
    verdicts.sort_by_key(|(i, _)| *i);
    for (reason, n) in not_served {
        *corpus.skipped.entry(reason).or_default() += n;
    }

    // Compare.
    let mut agree = 0;
    let mut excepted = Vec::new();
    let mut disagree = Vec::new();
    let mut used = vec![false; EXCEPTIONS.len()];
    let mut edge_lines = Vec::new();
    let (mut both_accept, mut both_reject) = (0, 0);
    for (i, verdict) in &verdicts {
        let d = &corpus.docs[*i];
        let meshctl_rejects = !d.errors.is_empty();
        let (server_rejects, said) = match verdict {
            Verdict::Accepted => (false, String::new()),
            Verdict::Rejected(m) => (true, m.clone()),
        };
        if meshctl_rejects == server_rejects {
            if d.origin.starts_with("edge-cases#") {
                edge_lines.push(format!(
                    "  edge case {} {}: {} by both{}",
                    d.kind,
                    d.body
                        .pointer("/metadata/name")
                        .and_then(Json::as_str)
                        .unwrap_or("?"),
                    if meshctl_rejects {
                        "rejected"
                    } else {
                        "accepted"
                    },
                    if meshctl_rejects {
                        format!(" (API server: {})", said.lines().next().unwrap_or(""))
                    } else {
                        String::new()
                    }
                ));
            }
            agree += 1;
            if meshctl_rejects {
                both_reject += 1;
            } else {
                both_accept += 1;
            }
            continue;
        }
        let line = format!(
            "{} ({} {}): meshctl {}, API server {}",
            d.origin,
            d.kind,
            d.body
                .pointer("/metadata/name")
                .and_then(Json::as_str)
                .unwrap_or("?"),
            if meshctl_rejects {
                format!("rejects: {}", d.errors.join("; "))
            } else {
                "accepts".to_string()
            },
            if server_rejects {
                format!("rejects: {said}")
            } else {
                "accepts".to_string()
            },
        );
        let server_message = server_rejects.then_some(said.as_str());
        match EXCEPTIONS.iter().position(|e| e.applies(d, server_message)) {
            Some(i) => {
                used[i] = true;
                excepted.push(format!("{line}\n    known: {}", EXCEPTIONS[i].reason));
            }
            None => disagree.push(line),
        }
    }
    let compared = verdicts.len();
    println!(
        "dry-run comparison: {compared} documents compared ({}), {agree} agree ({both_accept} accepted by both, {both_reject} rejected by both), {} known exceptions, {} disagreements, in {:.0?}",
        sources.join(", "),
        excepted.len(),
        disagree.len(),
        started.elapsed()
    );
    for l in &edge_lines {
        println!("{l}");
    }
    for (reason, n) in &corpus.skipped {
        println!("  not compared: {n} × {reason}");
    }
    for e in &excepted {
        println!("  exception: {e}");
    }
    let _ = std::fs::remove_dir_all(&tmp);
    drop(remove_webhook);
    let istiod_dir = istiod.dir.clone();
    drop(istiod);
    let _ = std::fs::remove_dir_all(istiod_dir);
    let (code, out) = meshctl(&["uninstall", "-y"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(
        disagree.is_empty(),
        "{} of {compared} documents: meshctl and the API server disagree:\n{}",
        disagree.len(),
        disagree.join("\n")
    );
    assert!(compared > 0, "no document was compared");
    // Stale exceptions fail too, once the whole fixed corpus ran.
    let default_corpus = std::env::var_os("MESHCTL_DRYRUN_SEED").is_none()
        && std::env::var_os("MESHCTL_DRYRUN_MUTANTS").is_none();
    if shared().is_some() && default_corpus {
        let unused: Vec<String> = EXCEPTIONS
            .iter()
            .zip(&used)
            .filter(|(e, u)| e.seen && !**u)
            .map(|(e, _)| e.label())
            .collect();
        assert!(
            unused.is_empty(),
            "exceptions that no longer match any disagreement (remove them, or mark them unseen): {unused:?}"
        );
    }
}
