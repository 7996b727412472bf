//! End-to-end test: real istiod accepts what `meshctl install` puts into the cluster.
//!
//! Istio's pilot-discovery 1.28.3 (built by `scripts/test-cluster build-istiod` from the Go
//! module proxy) runs as a local process against the test bed after `meshctl install` applied
//! the demo installation. It reads meshctl's mesh config and injection ConfigMap, becomes
//! ready, injects an `istio-proxy` sidecar into a Bookinfo pod with meshctl's template through
//! its `/inject` endpoint, and its `/validate` endpoint accepts a valid VirtualService and
//! rejects an invalid one. meshctl's other injection templates are used too: a pod asking for
//! the `gateway` template becomes a standalone Envoy, one asking for `grpc-agent` gets the agent
//! without Envoy, and a Gateway API `Gateway` of class `istio` gets its ServiceAccount,
//! Deployment and Service from istiod's deployment controller rendering `kube-gateway`, and one
//! of class `istio-waypoint` from an istiod with ambient mode on rendering `waypoint` (the
//! Gateway API CRDs, meshctl's rendering, are applied for them and removed at the end).
//!
//! `#[ignore]`d like the other end-to-end tests; it also needs `MESHCTL_TESTBED_ISTIOD`, which
//! `scripts/test-cluster up`/`env` print once istiod is built:
//!
//! ```text
//! scripts/test-cluster build-istiod && eval "$(scripts/test-cluster up)"
//! cargo test --test e2e_istiod -- --ignored
//! ```

mod common;

use std::path::Path;

use std::time::{Duration, Instant};

use common::istiod::{self, curl};
use common::{meshctl_kube, testbed_var};
use meshctl::cluster::apply::ObjectRef;
use meshctl::cluster::{self, Access, Cluster};
use serde_json::{Value as Json, json};

fn block_on<T>(fut: impl std::future::Future<Output = T>) -> T {
    cluster::runtime()
        .unwrap_or_else(|e| panic!("{e}"))
        .block_on(fut)
}

async fn admin(kubeconfig: &Path) -> Cluster {
    Cluster::connect(&Access {
        kubeconfig: Some(kubeconfig.to_path_buf()),
        ..Access::default()
    })
    .await
    .unwrap_or_else(|e| panic!("connecting to the test bed: {e}"))
}

/// The live object `doc` names, or `None`.
fn get(kubeconfig: &Path, doc: &Json) -> Option<Json> {
    let r: Vec<ObjectRef> = ObjectRef::of(doc).into_iter().collect();
    block_on(async {
        admin(kubeconfig)
            .await
            .get_all(&r, 1)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    })
    .into_iter()
    .next()
    .flatten()
    .map(|o| serde_json::to_value(&o).unwrap_or_default())
}

/// Polls until the object exists (at most `within`).
fn wait_for(kubeconfig: &Path, doc: &Json, within: Duration, log: &dyn Fn() -> String) -> Json {
    let deadline = Instant::now() + within;
    loop {
        if let Some(o) = get(kubeconfig, doc) {
            return o;
        }
        assert!(
            Instant::now() < deadline,
            "no {} {} after {within:?}; istiod's log:\n{}",
            doc["kind"],
            doc["metadata"]["name"],
            log()
        );
        std::thread::sleep(Duration::from_millis(500));
    }
}

/// The patched pod of an `/inject` answer, as a map from JSONPatch path to value.
fn patch_of(answer: &Json) -> Json {
    let response = &answer["response"];
    assert_eq!(response["allowed"], true, "{answer:#}");
    serde_json::from_slice(&base64_decode(
        response["patch"]
            .as_str()
            .unwrap_or_else(|| panic!("no patch: {answer:#}")),
    ))
    .unwrap_or_else(|e| panic!("{e}"))
}

/// Applies a JSONPatch (RFC 6902: the `add`, `replace` and `remove` ops an admission response
/// uses) to `doc`.
fn apply_patch(mut doc: Json, patch: &Json) -> Json {
    for op in patch.as_array().into_iter().flatten() {
        let path = op["path"].as_str().unwrap_or_default();
        let mut parts: Vec<String> = path
            .split('/')
            .skip(1)
            .map(|p| p.replace("~1", "/").replace("~0", "~"))
            .collect();
        let Some(last) = parts.pop() else {
            doc = op["value"].clone();
            continue;
        };
        let mut parent = &mut doc;
        for p in &parts {
            parent = match parent {
                Json::Array(items) => {
                    let i: usize = p.parse().unwrap_or_else(|_| panic!("{path}"));
                    &mut items[i]
                }
                other => &mut other[p.as_str()],
            };
        }
        let kind = op["op"].as_str().unwrap_or_default();
        match (parent, kind) {
            (Json::Array(items), "add") if last == "-" => items.push(op["value"].clone()),
            (Json::Array(items), "add") => {
                let i: usize = last.parse().unwrap_or_else(|_| panic!("{path}"));
                items.insert(i, op["value"].clone());
            }
            (Json::Array(items), "replace") => {
                let i: usize = last.parse().unwrap_or_else(|_| panic!("{path}"));
                items[i] = op["value"].clone();
            }
            (Json::Array(items), "remove") => {
                let i: usize = last.parse().unwrap_or_else(|_| panic!("{path}"));
                items.remove(i);
            }
            (Json::Object(map), "add" | "replace") => {
                map.insert(last, op["value"].clone());
            }
            (Json::Object(map), "remove") => {
                map.remove(&last);
            }
            // Go's Pod has fields the request's JSON leaves out (`resources: {}`): add into them.
            (parent @ Json::Null, "add") => {
                let mut map = serde_json::Map::new();
                map.insert(last, op["value"].clone());
                *parent = Json::Object(map);
            }
            (parent, _) => panic!("cannot apply {op} to {parent}"),
        }
    }
    doc
}

/// The pod `/inject` makes of `pod`.
fn injected(post: &dyn Fn(&str, String) -> Json, uid: &str, pod: Json) -> Json {
    let patch = patch_of(&post(
        "/inject",
        review(uid, "", "Pod", "pods", pod.clone()),
    ));
    apply_patch(pod, &patch)
}

fn container<'a>(list: &'a Json, name: &str) -> Option<&'a Json> {
    list.as_array()
        .and_then(|items| items.iter().find(|c| c["name"] == name))
}

fn env_of(container: &Json, name: &str) -> Json {
    container["env"]
        .as_array()
        .and_then(|e| e.iter().find(|v| v["name"] == name))
        .map(|v| v["value"].clone())
        .unwrap_or(Json::Null)
}

fn meshctl(args: &[&str], kubeconfig: &Path) -> (Option<i32>, String) {
    let (code, text, _) = meshctl_kube(args, kubeconfig);
    (code, text)
}

/// Standard base64 (the JSONPatch of an admission response).
fn base64_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut buf, mut bits) = (0u32, 0);
    for c in text.bytes().filter(|c| *c != b'=') {
        let v = ALPHABET
            .iter()
            .position(|a| *a == c)
            .unwrap_or_else(|| panic!("not base64: {c}")) as u32;
        buf = (buf << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
        }
    }
    out
}

fn review(uid: &str, group: &str, kind: &str, resource: &str, object: Json) -> String {
    json!({
        "apiVersion": "admission.k8s.io/v1",
        "kind": "AdmissionReview",
        "request": {
            "uid": uid,
            "kind": {"group": group, "version": "v1", "kind": kind},
            "resource": {"group": group, "version": "v1", "resource": resource},
            "namespace": "default",
            "operation": "CREATE",
            "object": object,
        }
    })
    .to_string()
}

#[test]
#[ignore = "needs the Kubernetes test bed and istiod (scripts/test-cluster build-istiod, up); run with --ignored"]
fn real_istiod_serves_meshctls_installation_injects_and_validates() {
    istiod::binary();
    testbed_var("MESHCTL_TESTBED_LIMITED_KUBECONFIG");
    let kubeconfig = testbed_var("KUBECONFIG");

    // meshctl's demo installation. Its istiod Deployment never really runs in the test bed
    // (no kubelet: without controllers it has no pod, with them a fake one), which is what
    // leaves room for the istiod process below.
    let (code, out) = meshctl(&["uninstall", "-y"], &kubeconfig);
    assert_eq!(code, Some(0), "{out}");
    let controllers = std::env::var("MESHCTL_TESTBED_CONTROLLERS").as_deref() == Ok("1");
    let (code, out) = meshctl(
        &[
            "install",
            "-y",
            "--profile",
            "demo",
            "--readiness-timeout",
            "30s",
        ],
        &kubeconfig,
    );
    assert_eq!(code, Some(if controllers { 0 } else { 1 }), "{out}");
    assert!(out.contains("Istio core installed"), "{out}");

    // The Gateway API CRDs, so that istiod's Gateway controllers run.
    let gateway_crds = meshctl::model::crd::gateway_api_crds();
    let crd_names: Vec<String> = gateway_crds
        .iter()
        .filter_map(|c| c["metadata"]["name"].as_str().map(str::to_string))
        .collect();
    block_on(async {
        let c = admin(&kubeconfig).await;
        c.apply(&gateway_crds, "meshctl-e2e", false, 4)
            .await
            .unwrap_or_else(|e| panic!("applying meshctl's Gateway API CRDs: {e}"));
        c.wait_established(&crd_names, Duration::from_secs(60))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    });

    let istiod = istiod::start(&kubeconfig, "e2e-istiod");
    let dir = istiod.dir.clone();
    let log_tail = || istiod.log_tail();
    let log_text = istiod.log();
    assert!(
        log_text.contains("initializing sidecar injector"),
        "{}",
        log_tail()
    );
    assert!(
        !log_text.contains("Skipping sidecar injector"),
        "{}",
        log_tail()
    );
    let ca = istiod.ca_file();
    let https = istiod.https;
    let post = |path: &str, body: String| -> Json {
        let file = dir.join("review.json");
        std::fs::write(&file, body).unwrap_or_else(|e| panic!("{e}"));
        let out = curl(&[
            "--cacert",
            ca.to_str().unwrap_or_default(),
            "-H",
            "Content-Type: application/json",
            "--data-binary",
            &format!("@{}", file.display()),
            &format!("https://localhost:{https}{path}"),
        ]);
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}\n{}", log_tail()))
    };

    // A Bookinfo pod gets meshctl's sidecar.
    let pod = json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "reviews-v1-7f4c9", "namespace": "default",
                     "labels": {"app": "reviews", "version": "v1"}},
        "spec": {"serviceAccountName": "bookinfo-reviews", "containers": [{
            "name": "reviews", "image": "docker.io/istio/examples-bookinfo-reviews-v1:1.20.3",
            "ports": [{"containerPort": 9080}]}]}
    });
    let pod = injected(&post, "inject-1", pod);
    // istiod makes the proxy a native sidecar when every node runs Kubernetes 1.33 or newer:
    // without controllers there is no node at all (so every node does); with them, KWOK's node
    // reports a version istiod cannot read (so not).
    let native = !controllers;
    let list = if native {
        "initContainers"
    } else {
        "containers"
    };
    let proxy = container(&pod["spec"][list], "istio-proxy")
        .cloned()
        .unwrap_or_else(|| panic!("no istio-proxy in {list}: {pod:#}"));
    assert_eq!(proxy["image"], "docker.io/istio/proxyv2:1.28.3");
    assert_eq!(proxy["args"][0], "proxy");
    assert_eq!(
        proxy["resources"]["requests"]["memory"], "40Mi",
        "demo's sidecar requests"
    );
    let env_value = |name: &str| env_of(&proxy, name);
    assert_eq!(env_value("CA_ADDR"), "istiod.istio-system.svc:15012");
    assert_eq!(env_value("ISTIO_META_APP_CONTAINERS"), "reviews");
    assert_eq!(
        env_value("ISTIO_META_POD_PORTS"),
        r#"[{"containerPort":9080}]"#
    );
    assert_eq!(
        proxy.get("restartPolicy").is_some(),
        native,
        "native sidecar {native}: {proxy:#}"
    );
    assert!(
        pod["spec"]["volumes"]
            .as_array()
            .is_some_and(|v| v.iter().any(|v| v["name"] == "istio-ca-crl"
                && v["configMap"] == json!({"name": "istio-ca-crl", "optional": true}))),
        "{pod:#}"
    );
    assert_eq!(
        pod["spec"]["initContainers"][0]["name"], "istio-init",
        "{pod:#}"
    );
    // istio-init asks for what the proxy asks for (2000m and 1024Mi as the injector writes them).
    assert_eq!(
        pod["spec"]["initContainers"][0]["resources"],
        json!({"requests": {"cpu": "10m", "memory": "40Mi"}, "limits": {"cpu": "2", "memory": "1Gi"}}),
        "{pod:#}"
    );
    assert_eq!(
        proxy["resources"], pod["spec"]["initContainers"][0]["resources"],
        "{pod:#}"
    );
    assert_eq!(pod["spec"]["containers"][0]["name"], "reviews", "{pod:#}");
    let annotations = &pod["metadata"]["annotations"];
    assert_eq!(
        annotations["kubectl.kubernetes.io/default-container"],
        "reviews"
    );
    assert!(
        annotations["sidecar.istio.io/status"]
            .as_str()
            .is_some_and(|s| s.contains("istio-proxy")),
        "{annotations:#}"
    );
    assert_eq!(
        pod["metadata"]["labels"]["service.istio.io/canonical-name"],
        "reviews"
    );

    // A pod that opts out is left alone.
    let mut opted_out = json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "batch", "namespace": "default",
                     "annotations": {"sidecar.istio.io/inject": "false"}},
        "spec": {"containers": [{"name": "job", "image": "busybox"}]}
    });
    let answer = post(
        "/inject",
        review("inject-2", "", "Pod", "pods", opted_out.take()),
    );
    assert_eq!(answer["response"]["allowed"], true, "{answer:#}");
    assert!(answer["response"]["patch"].is_null(), "{answer:#}");

    // Validation: a valid VirtualService is allowed, a negative weight refused.
    let vs = |weight: i64| {
        json!({
            "apiVersion": "networking.istio.io/v1", "kind": "VirtualService",
            "metadata": {"name": "reviews", "namespace": "default"},
            "spec": {"hosts": ["reviews"], "http": [{"route": [
                {"destination": {"host": "reviews", "subset": "v1"}, "weight": weight},
                {"destination": {"host": "reviews", "subset": "v2"}, "weight": 100 - weight}]}]}
        })
    };
    let ok = post(
        "/validate",
        review(
            "validate-1",
            "networking.istio.io",
            "VirtualService",
            "virtualservices",
            vs(90),
        ),
    );
    assert_eq!(ok["response"]["allowed"], true, "{ok:#}");
    let bad = post(
        "/validate",
        review(
            "validate-2",
            "networking.istio.io",
            "VirtualService",
            "virtualservices",
            vs(-1),
        ),
    );
    assert_eq!(bad["response"]["allowed"], false, "{bad:#}");
    assert!(
        bad["response"]["status"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("weight -1 < 0")),
        "{bad:#}"
    );

    // A native sidecar, asked for by annotation: istio-proxy is an init container that keeps
    // running, after istio-init, and drains on preStop.
    let native_pod = json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "ratings-v1-6b8d", "namespace": "default",
                     "labels": {"app": "ratings", "version": "v1"},
                     "annotations": {"sidecar.istio.io/nativeSidecar": "true",
                                     "sidecar.istio.io/proxyCPU": "250m"}},
        "spec": {"containers": [{"name": "ratings", "image": "example.com/ratings:1"}]}
    });
    let pod = injected(&post, "inject-5", native_pod);
    let spec = &pod["spec"];
    assert!(
        container(&spec["containers"], "istio-proxy").is_none(),
        "{pod:#}"
    );
    let names: Vec<&str> = spec["initContainers"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert_eq!(names, ["istio-init", "istio-proxy"], "{pod:#}");
    let proxy = container(&spec["initContainers"], "istio-proxy")
        .cloned()
        .unwrap_or_default();
    assert_eq!(proxy["restartPolicy"], "Always", "{proxy:#}");
    // One resource annotation: that request alone, for both containers (as Istio's template).
    for c in [&proxy, &spec["initContainers"][0]] {
        assert_eq!(
            c["resources"],
            json!({"requests": {"cpu": "250m"}}),
            "{pod:#}"
        );
    }
    assert_eq!(
        proxy["lifecycle"]["preStop"]["exec"]["command"],
        json!([
            "pilot-agent",
            "request",
            "--debug-port=15020",
            "POST",
            "drain"
        ]),
        "{proxy:#}"
    );

    // holdApplicationUntilProxyStarts (the pod's proxy config) for a classic sidecar (the
    // annotation turns native sidecars off): a postStart hook that waits for the proxy, and
    // istio-proxy first among the containers. Its other annotations: the agent's log level, a
    // custom bootstrap, a volume of its own mounted into the proxy.
    let hold_pod = json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "details-v1-4f5c", "namespace": "default",
                     "labels": {"app": "details", "version": "v1"},
                     "annotations": {"proxy.istio.io/config": "{\"holdApplicationUntilProxyStarts\": true}",
                                     "sidecar.istio.io/nativeSidecar": "false",
                                     "sidecar.istio.io/agentLogLevel": "default:debug",
                                     "sidecar.istio.io/bootstrapOverride": "details-bootstrap",
                                     "sidecar.istio.io/userVolume": "{\"extra-certs\": {\"secret\": {\"secretName\": \"extra-certs\"}}}",
                                     "sidecar.istio.io/userVolumeMount": "{\"extra-certs\": {\"mountPath\": \"/etc/extra\", \"readOnly\": true}}"}},
        "spec": {"containers": [{"name": "details", "image": "example.com/details:1"}]}
    });
    let pod = injected(&post, "inject-6", hold_pod);
    let proxy = &pod["spec"]["containers"][0];
    assert_eq!(proxy["name"], "istio-proxy", "{pod:#}");
    assert!(proxy.get("restartPolicy").is_none(), "{proxy:#}");
    assert_eq!(
        proxy["lifecycle"]["postStart"]["exec"]["command"],
        json!(["pilot-agent", "wait"]),
        "{proxy:#}"
    );
    assert!(
        proxy["args"]
            .as_array()
            .is_some_and(|a| a.contains(&json!("--log_output_level=default:debug"))),
        "{proxy:#}"
    );
    assert_eq!(
        env_of(proxy, "ISTIO_BOOTSTRAP_OVERRIDE"),
        "/etc/istio/custom-bootstrap/custom_bootstrap.json"
    );
    let mounts = &proxy["volumeMounts"];
    assert_eq!(
        container(mounts, "extra-certs"),
        Some(&json!({"name": "extra-certs", "mountPath": "/etc/extra", "readOnly": true})),
        "{proxy:#}"
    );
    assert!(
        container(mounts, "custom-bootstrap-volume").is_some(),
        "{proxy:#}"
    );
    let volumes = &pod["spec"]["volumes"];
    assert_eq!(
        container(volumes, "extra-certs"),
        Some(&json!({"name": "extra-certs", "secret": {"secretName": "extra-certs"}})),
        "{pod:#}"
    );
    assert_eq!(
        container(volumes, "custom-bootstrap-volume"),
        Some(
            &json!({"name": "custom-bootstrap-volume", "configMap": {"name": "details-bootstrap"}})
        ),
        "{pod:#}"
    );

    // TPROXY interception: the proxy runs as root with NET_ADMIN, istio-init exempts 1337; and
    // capNetBindService adds NET_BIND_SERVICE.
    let tproxy_pod = json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "productpage-v1-8d2a", "namespace": "default",
                     "labels": {"app": "productpage", "version": "v1"},
                     "annotations": {"sidecar.istio.io/interceptionMode": "TPROXY",
                                     "sidecar.istio.io/capNetBindService": "true",
                                     "sidecar.istio.io/nativeSidecar": "false"}},
        "spec": {"containers": [{"name": "productpage", "image": "example.com/productpage:1"}]}
    });
    let pod = injected(&post, "inject-7", tproxy_pod);
    let proxy = container(&pod["spec"]["containers"], "istio-proxy")
        .cloned()
        .unwrap_or_else(|| panic!("no istio-proxy: {pod:#}"));
    let security = &proxy["securityContext"];
    assert_eq!(security["runAsUser"], 0, "{proxy:#}");
    assert_eq!(security["runAsNonRoot"], false, "{proxy:#}");
    assert_eq!(
        security["capabilities"]["add"],
        json!(["NET_ADMIN", "NET_BIND_SERVICE"]),
        "{proxy:#}"
    );
    assert_eq!(env_of(&proxy, "ISTIO_META_INTERCEPTION_MODE"), "TPROXY");
    let init_args: Vec<&str> = pod["spec"]["initContainers"][0]["args"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Json::as_str)
        .collect();
    let after = |flag: &str| {
        init_args
            .iter()
            .position(|a| *a == flag)
            .and_then(|i| init_args.get(i + 1).copied())
    };
    assert_eq!(
        (after("-u"), after("-m")),
        (Some("1337"), Some("TPROXY")),
        "{init_args:?}"
    );

    // An injected gateway: the `gateway` template turns `image: auto` into a standalone Envoy.
    let gateway_pod = json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "ingress-7d9f", "namespace": "default",
                     "labels": {"app": "ingress", "istio": "ingress"},
                     "annotations": {"inject.istio.io/templates": "gateway"}},
        "spec": {"containers": [{"name": "istio-proxy", "image": "auto"}]}
    });
    let pod = injected(&post, "inject-3", gateway_pod);
    let proxy = &pod["spec"]["containers"][0];
    assert_eq!(proxy["image"], "docker.io/istio/proxyv2:1.28.3", "{pod:#}");
    assert_eq!(proxy["args"][1], "router", "{pod:#}");
    assert!(
        pod["spec"].get("initContainers").is_none(),
        "a gateway gets no istio-init: {pod:#}"
    );
    assert_eq!(
        pod["spec"]["securityContext"]["sysctls"][0]["name"], "net.ipv4.ip_unprivileged_port_start",
        "{pod:#}"
    );

    // Proxyless gRPC with the agent: istio-proxy runs without Envoy, the application gets the
    // xDS bootstrap.
    let grpc_pod = json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "echo-grpc-5c7d", "namespace": "default",
                     "labels": {"app": "echo-grpc"},
                     "annotations": {"inject.istio.io/templates": "grpc-agent"}},
        "spec": {"containers": [{"name": "echo", "image": "example.com/echo:1",
                                 "ports": [{"containerPort": 7070, "name": "grpc"}]}]}
    });
    let pod = injected(&post, "inject-4", grpc_pod);
    let containers = &pod["spec"]["containers"];
    let agent =
        container(containers, "istio-proxy").unwrap_or_else(|| panic!("no istio-proxy: {pod:#}"));
    let app = container(containers, "echo").unwrap_or_else(|| panic!("no echo: {pod:#}"));
    assert_eq!(
        env_of(app, "GRPC_XDS_BOOTSTRAP"),
        "/etc/istio/proxy/grpc-bootstrap.json",
        "{app:#}"
    );
    assert_eq!(env_of(agent, "DISABLE_ENVOY"), "true", "{agent:#}");
    assert_eq!(env_of(agent, "ISTIO_META_GENERATOR"), "grpc", "{agent:#}");
    assert!(
        env_of(agent, "ISTIO_META_POD_PORTS")
            .as_str()
            .is_some_and(|p| p.contains("7070")),
        "{agent:#}"
    );

    // A Gateway API Gateway of class `istio` gets its objects from istiod (`kube-gateway`).
    let ns = format!("e2e-gateway-{}", std::process::id());
    let gateway = json!({
        "apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway",
        "metadata": {"name": "web", "namespace": ns},
        "spec": {"gatewayClassName": "istio", "listeners": [
            {"name": "http", "port": 80, "protocol": "HTTP"}]}
    });
    block_on(async {
        admin(&kubeconfig)
            .await
            .apply(
                &[
                    json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}}),
                    gateway.clone(),
                ],
                "meshctl-e2e",
                false,
                1,
            )
            .await
            .unwrap_or_else(|e| panic!("applying the Gateway: {e}"));
    });
    let named = |api_version: &str, kind: &str| {
        json!({"apiVersion": api_version, "kind": kind,
               "metadata": {"name": "web-istio", "namespace": ns}})
    };
    let within = Duration::from_secs(60);
    let applied = Instant::now();
    let deployment = wait_for(
        &kubeconfig,
        &named("apps/v1", "Deployment"),
        within,
        &log_tail,
    );
    eprintln!(
        "the Gateway's Deployment appeared {} ms after the Gateway was applied",
        applied.elapsed().as_millis()
    );
    let labels = &deployment["metadata"]["labels"];
    assert_eq!(
        labels["gateway.networking.k8s.io/gateway-name"], "web",
        "{deployment:#}"
    );
    assert_eq!(
        labels["gateway.istio.io/managed"], "istio.io-gateway-controller",
        "{deployment:#}"
    );
    assert_eq!(
        deployment["metadata"]["ownerReferences"][0]["name"], "web",
        "{deployment:#}"
    );
    let pod = &deployment["spec"]["template"];
    let proxy = &pod["spec"]["containers"][0];
    assert_eq!(proxy["name"], "istio-proxy", "{deployment:#}");
    assert_eq!(proxy["image"], "docker.io/istio/proxyv2:1.28.3");
    assert_eq!(proxy["args"][1], "router", "{proxy:#}");
    assert_eq!(
        proxy["resources"]["requests"],
        json!({"cpu": "10m", "memory": "40Mi"}),
        "demo's proxy requests: {proxy:#}"
    );
    assert_eq!(env_of(proxy, "CA_ADDR"), "istiod.istio-system.svc:15012");
    assert_eq!(env_of(proxy, "ISTIO_META_WORKLOAD_NAME"), "web-istio");
    assert_eq!(
        pod["metadata"]["annotations"]["istio.io/rev"], "default",
        "{pod:#}"
    );
    assert_eq!(
        pod["metadata"]["labels"]["sidecar.istio.io/inject"], "false",
        "{pod:#}"
    );
    assert_eq!(pod["spec"]["serviceAccountName"], "web-istio");
    let service = wait_for(&kubeconfig, &named("v1", "Service"), within, &log_tail);
    assert_eq!(service["spec"]["type"], "LoadBalancer", "{service:#}");
    let ports: Vec<i64> = service["spec"]["ports"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["port"].as_i64())
        .collect();
    assert_eq!(ports, [15021, 80], "{service:#}");
    assert_eq!(
        service["spec"]["selector"],
        json!({"gateway.networking.k8s.io/gateway-name": "web"})
    );
    wait_for(
        &kubeconfig,
        &named("v1", "ServiceAccount"),
        within,
        &log_tail,
    );
    // With controllers, the Deployment istiod wrote is one Kubernetes runs: a ReplicaSet and a
    // (fake) pod that becomes ready.
    if controllers {
        let deadline = Instant::now() + within;
        loop {
            let d = get(&kubeconfig, &named("apps/v1", "Deployment")).unwrap_or_default();
            if d["status"]["readyReplicas"].as_i64() == Some(1) {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "the gateway never got ready: {d:#}"
            );
            std::thread::sleep(Duration::from_millis(500));
        }
    }
    // The HPA and PodDisruptionBudget are left out unless the Gateway's parameters ask for them.
    assert!(
        get(
            &kubeconfig,
            &named("autoscaling/v2", "HorizontalPodAutoscaler")
        )
        .is_none(),
        "an HPA nobody asked for"
    );
    let log_text = istiod.log();
    for bad in [
        "error rendering templates",
        "template defined",
        "failed to parse",
    ] {
        assert!(
            !log_text.contains(bad),
            "{bad:?} in istiod's log:\n{}",
            log_tail()
        );
    }

    // A waypoint (ambient mode, which istiod runs only when enabled): istiod with ambient on
    // deploys a Gateway of class `istio-waypoint` with meshctl's `waypoint` template.
    drop(istiod);
    let ambient = istiod::start_with(
        &kubeconfig,
        "e2e-istiod-ambient",
        &[("PILOT_ENABLE_AMBIENT", "true")],
    );
    let ambient_log = || ambient.log_tail();
    let waypoint = json!({
        "apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway",
        "metadata": {"name": "waypoint", "namespace": ns,
                     "labels": {"istio.io/waypoint-for": "service"}},
        "spec": {"gatewayClassName": "istio-waypoint", "listeners": [
            {"name": "mesh", "port": 15008, "protocol": "HBONE"}]}
    });
    block_on(async {
        admin(&kubeconfig)
            .await
            .apply(&[waypoint], "meshctl-e2e", false, 1)
            .await
            .unwrap_or_else(|e| panic!("applying the waypoint: {e}"));
    });
    let at = |api_version: &str, kind: &str| {
        json!({"apiVersion": api_version, "kind": kind,
               "metadata": {"name": "waypoint", "namespace": ns}})
    };
    let deployment = wait_for(
        &kubeconfig,
        &at("apps/v1", "Deployment"),
        within,
        &ambient_log,
    );
    let pod = &deployment["spec"]["template"];
    let proxy = &pod["spec"]["containers"][0];
    assert_eq!(proxy["args"][1], "waypoint", "{deployment:#}");
    assert_eq!(proxy["image"], "docker.io/istio/proxyv2:1.28.3");
    assert_eq!(
        proxy["resources"]["requests"],
        json!({"cpu": "10m", "memory": "40Mi"}),
        "demo's waypoint requests: {proxy:#}"
    );
    assert_eq!(
        deployment["metadata"]["labels"]["gateway.istio.io/managed"], "istio.io-mesh-controller",
        "{deployment:#}"
    );
    assert_eq!(
        pod["metadata"]["labels"]["istio.io/dataplane-mode"], "none",
        "{pod:#}"
    );
    let service = wait_for(&kubeconfig, &at("v1", "Service"), within, &ambient_log);
    assert_eq!(
        service["metadata"]["annotations"]["networking.istio.io/traffic-distribution"],
        "PreferClose",
        "{service:#}"
    );
    let log_text = ambient.log();
    for bad in [
        "error rendering templates",
        "template defined",
        "failed to parse",
    ] {
        assert!(
            !log_text.contains(bad),
            "{bad:?} in istiod's log:\n{}",
            ambient_log()
        );
    }
    drop(ambient);

    // Clean up: the Gateways' namespace (their objects go with it), the Gateway API CRDs.
    let crd_refs: Vec<ObjectRef> = gateway_crds.iter().filter_map(ObjectRef::of).collect();
    block_on(async {
        let c = admin(&kubeconfig).await;
        let ns_ref: Vec<ObjectRef> = ObjectRef::of(
            &json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}}),
        )
        .into_iter()
        .collect();
        c.delete_all(&ns_ref, 1)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        c.delete_all(&crd_refs, 4)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    });

    let (code, out) = meshctl(&["uninstall", "-y"], &kubeconfig);
    assert_eq!(code, Some(0), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}
