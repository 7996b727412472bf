//! `meshctl manifest generate`: the objects of an installation for each profile, snapshot-tested
//! (the CRDs are compared with `meshctl manifest crds` instead of being snapshotted again), and
//! every one of them clean under `meshctl validate`.

mod common;

use common::{meshctl, meshctl_stdin, stderr, stdout};
use serde_json::Value as Json;

/// The generated objects of `args` as JSON (`-o json` prints a List).
fn generate(args: &[&str]) -> Vec<Json> {
    let mut all = vec!["manifest", "generate", "-o", "json"];
    all.extend_from_slice(args);
    let o = meshctl(&all);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let list: Json = serde_json::from_slice(&o.stdout).expect("a JSON List");
    list["items"].as_array().cloned().expect("items")
}

fn crds() -> Vec<Json> {
    let o = meshctl(&["manifest", "crds", "-o", "json"]);
    let list: Json = serde_json::from_slice(&o.stdout).expect("a JSON List");
    list["items"].as_array().cloned().expect("items")
}

/// The non-CRD objects as a YAML stream, after checking that the CRDs are exactly meshctl's.
fn without_crds(objects: &[Json]) -> String {
    let (crd, rest): (Vec<&Json>, Vec<&Json>) = objects
        .iter()
        .partition(|o| o["kind"] == "CustomResourceDefinition");
    let expected = crds();
    assert_eq!(crd.len(), expected.len());
    for (got, want) in crd.iter().zip(&expected) {
        // Installed CRDs carry the installation labels on top of the model's.
        let mut got = (*got).clone();
        if let Some(labels) = got["metadata"]["labels"].as_object_mut() {
            labels.retain(|k, _| {
                want["metadata"]["labels"]
                    .as_object()
                    .is_some_and(|w| w.contains_key(k))
            });
        }
        assert_eq!(&got, want);
    }
    let o = meshctl_stdin(
        &["validate", "-", "-o", "json"],
        Some(
            serde_json::to_string(
                &serde_json::json!({"apiVersion": "v1", "kind": "List", "items": rest}),
            )
            .expect("JSON")
            .as_bytes(),
        ),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    rest.iter()
        .map(|o| serde_yaml_like(o))
        .collect::<Vec<_>>()
        .join("---\n")
}

/// A stable YAML rendering for the snapshot: meshctl's own (what `-o yaml` prints).
fn serde_yaml_like(o: &Json) -> String {
    meshctl::report::yaml::to_yaml(o)
}

#[test]
fn every_profile_renders_and_validates_clean() {
    for profile in ["minimal", "default", "demo"] {
        generated_validates_clean(&["--profile", profile]);
    }
}

/// `manifest generate ARGS` succeeds, and `validate` finds neither an error nor a warning in
/// what it wrote.
fn generated_validates_clean(args: &[&str]) {
    let mut all = vec!["manifest", "generate"];
    all.extend_from_slice(args);
    let o = meshctl(&all);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = meshctl_stdin(&["validate", "-", "-o", "json"], Some(&o.stdout));
    assert_eq!(v.status.code(), Some(0), "{args:?}: {}", stdout(&v));
    let report: Json = serde_json::from_slice(&v.stdout).expect("JSON");
    assert_eq!(report["summary"]["errors"], 0, "{args:?}");
    assert_eq!(report["summary"]["warnings"], 0, "{args:?}: {report:#}");
}

#[test]
fn minimal_profile_snapshot() {
    insta::assert_snapshot!(without_crds(&generate(&["--profile", "minimal"])));
}

#[test]
fn default_profile_snapshot() {
    insta::assert_snapshot!(without_crds(&generate(&["--profile", "default"])));
}

#[test]
fn demo_profile_snapshot() {
    insta::assert_snapshot!(without_crds(&generate(&["--profile", "demo"])));
}

#[test]
fn overlays_and_set_change_the_objects() {
    let objects = generate(&[
        "-f",
        "testdata/install/overlay.yaml",
        "--set",
        "tag=1.28.2",
        "--set",
        "meshConfig.defaultConfig.holdApplicationUntilProxyStarts=true",
    ]);
    let find = |kind: &str, name: &str| {
        objects
            .iter()
            .find(|o| o["kind"] == kind && o["metadata"]["name"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("no {kind} {name}"))
    };
    let istiod = find("Deployment", "istiod");
    let container = &istiod["spec"]["template"]["spec"]["containers"][0];
    assert_eq!(
        container["image"],
        "registry.example.com/istio/pilot:1.28.2"
    );
    assert_eq!(container["resources"]["requests"]["cpu"], "250m");
    let mesh = find("ConfigMap", "istio")["data"]["mesh"]
        .as_str()
        .unwrap_or("")
        .to_string();
    assert!(mesh.contains("accessLogFile: /dev/stdout"), "{mesh}");
    assert!(mesh.contains("mode: REGISTRY_ONLY"), "{mesh}");
    assert!(
        mesh.contains("holdApplicationUntilProxyStarts: true"),
        "{mesh}"
    );
    // minimal has no gateway; the overlay turned the ingress gateway on.
    find("Deployment", "istio-ingressgateway");
    assert!(
        !objects
            .iter()
            .any(|o| o["metadata"]["name"] == "istio-egressgateway")
    );

    // --version picks the images' release, one of the releases meshctl knows.
    let objects = generate(&["--version", "1.30.8"]);
    let images: Vec<&str> = objects
        .iter()
        .filter(|o| o["kind"] == "Deployment")
        .filter_map(|o| o["spec"]["template"]["spec"]["containers"][0]["image"].as_str())
        .collect();
    assert_eq!(
        images,
        [
            "docker.io/istio/pilot:1.30.8",
            "docker.io/istio/proxyv2:1.30.8"
        ]
    );
    for (bad, says) in [
        (
            "1.27.9",
            "Istio 1.27 is not a release meshctl knows; supported: 1.28, 1.29",
        ),
        ("1.30", "tagged by patch release"),
    ] {
        let o = meshctl(&["manifest", "generate", "--version", bad]);
        assert_eq!(o.status.code(), Some(2), "{bad}");
        assert!(stderr(&o).contains(says), "{bad}: {}", stderr(&o));
    }
    // --set tag takes any tag (a private build, a variant).
    let o = meshctl(&["manifest", "generate", "--set", "tag=1.27.9-custom"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));

    // A value meshctl does not render is accepted, as istioctl accepts it, with a warning
    // naming it; a field the IstioOperator API does not have is a usage error.
    let o = meshctl(&["manifest", "generate", "--set", "values.global.nope=1"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stderr(&o).contains("warning: values.global.nope is not rendered"),
        "{}",
        stderr(&o)
    );
    let o = meshctl(&["manifest", "generate", "--set", "nope=1"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unknown field spec.nope"),
        "{}",
        stderr(&o)
    );
    let o = meshctl(&["manifest", "generate", "--set", "novalue"]);
    assert_eq!(o.status.code(), Some(2));
}

/// An IstioOperator with named gateways, `k8s` settings, overlays and `values` istioctl accepts:
/// each setting reaches the objects it names, and what meshctl does not render is a warning.
#[test]
fn istio_operator_fields_reach_the_objects() {
    let o = meshctl(&[
        "manifest",
        "generate",
        "-o",
        "json",
        "-f",
        "testdata/install/operator-full.yaml",
        "--set",
        "components.ingressGateways[1].k8s.replicaCount=3",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("warning: values.telemetry.enabled"), "{err}");
    let list: Json = serde_json::from_slice(&o.stdout).expect("a JSON List");
    let objects = list["items"].as_array().cloned().unwrap_or_default();
    let find = |kind: &str, name: &str| {
        objects
            .iter()
            .find(|o| o["kind"] == kind && o["metadata"]["name"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("no {kind} {name}"))
    };
    let istiod = find("Deployment", "istiod");
    assert_eq!(istiod["spec"]["replicas"], 2);
    let pod = &istiod["spec"]["template"];
    assert_eq!(pod["metadata"]["annotations"]["team"], "mesh");
    assert_eq!(pod["spec"]["nodeSelector"]["pool"], "control");
    assert_eq!(pod["spec"]["tolerations"][0]["key"], "dedicated");
    let c = &pod["spec"]["containers"][0];
    let env = |n: &str| {
        c["env"]
            .as_array()
            .and_then(|e| e.iter().find(|v| v["name"] == n))
            .map(|v| v["value"].clone())
    };
    assert_eq!(env("EXTRA"), Some(Json::from("yes")));
    assert_eq!(env("PILOT_TRACE_SAMPLING"), Some(Json::from("5")));
    assert_eq!(env("PILOT_ENABLE_STATUS"), Some(Json::from("true")));
    let args: Vec<&str> = c["args"]
        .as_array()
        .map(|a| a.iter().filter_map(Json::as_str).collect())
        .unwrap_or_default();
    assert!(args.contains(&"15m") && !args.contains(&"30m"), "{args:?}");
    assert!(
        args.contains(&"--log_output_level=default:debug"),
        "{args:?}"
    );
    assert_eq!(
        find("HorizontalPodAutoscaler", "istio-ingressgateway")["spec"]["maxReplicas"],
        7
    );
    assert_eq!(
        find("Service", "istio-ingressgateway")["metadata"]["annotations"]["cloud.example/internal"],
        "true"
    );
    // The second gateway: its own name, labels, Service ports and replicas.
    let internal = find("Deployment", "internal-gateway");
    assert_eq!(internal["spec"]["replicas"], 3);
    assert_eq!(
        internal["spec"]["selector"]["matchLabels"]["istio"],
        "internal-gateway"
    );
    find("ServiceAccount", "internal-gateway-service-account");
    let svc = find("Service", "internal-gateway");
    assert_eq!(svc["spec"]["type"], "ClusterIP");
    assert_eq!(svc["spec"]["ports"][0]["port"], 8081);
    assert_eq!(svc["spec"]["selector"]["istio"], "internal-gateway");
    // values.global.proxy and sidecarInjectorWebhook reach the injection ConfigMap.
    let injector = find("ConfigMap", "istio-sidecar-injector");
    let values: Json = serde_json::from_str(injector["data"]["values"].as_str().unwrap_or("{}"))
        .unwrap_or_default();
    assert_eq!(
        values["global"]["proxy"]["holdApplicationUntilProxyStarts"],
        true
    );
    let config = injector["data"]["config"].as_str().unwrap_or("");
    assert!(config.contains("key: job"), "{config}");
}

#[test]
fn profile_empty_and_disabled_components_render_nothing_of_them() {
    let objects = generate(&["--set", "profile=empty"]);
    assert!(objects.is_empty(), "{objects:?}");
    let objects = generate(&[
        "--set",
        "components.pilot.enabled=false",
        "--set",
        "components.ingressGateways[0].enabled=false",
    ]);
    assert!(objects.iter().all(|o| o["metadata"]["name"] != "istiod"));
    assert!(
        objects
            .iter()
            .any(|o| o["kind"] == "CustomResourceDefinition")
    );
    assert!(
        objects.iter().all(|o| o["kind"] != "Deployment"),
        "{objects:?}"
    );
    let o = meshctl(&[
        "manifest",
        "generate",
        "--set",
        "components.pilot.k8s.bogus=1",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("components.pilot.k8s.bogus"));
}

/// meshConfig is checked as istioctl checks it: enums, durations, types and ports refused
/// (located in the overlay file), fields MeshConfig does not have accepted.
#[test]
fn mesh_config_values_are_checked() {
    let o = meshctl(&[
        "manifest",
        "generate",
        "-f",
        "testdata/install/bad-mesh-config.yaml",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("bad-mesh-config.yaml:7:13: meshConfig.outboundTrafficPolicy.mode")
            && err.contains("BOGUS"),
        "{err}"
    );
    for bad in [
        "meshConfig.outboundTrafficPolicy.mode=BOGUS",
        "meshConfig.connectTimeout=ten",
        "meshConfig.defaultConfig.proxyAdminPort=70000",
        "meshConfig.enableTracing=maybe",
        "meshConfig.extensionProviders[0].zipkin.port=http",
    ] {
        let o = meshctl(&["manifest", "generate", "--set", bad]);
        assert_eq!(o.status.code(), Some(2), "{bad}: {}", stderr(&o));
        let field = bad.split('=').next().unwrap_or("");
        let field = field.split('[').next().unwrap_or(field);
        assert!(stderr(&o).contains(field), "{bad}: {}", stderr(&o));
    }
    for good in [
        "meshConfig.outboundTrafficPolicy.mode=REGISTRY_ONLY",
        "meshConfig.connectTimeout=5s",
        "meshConfig.someFutureField=1",
    ] {
        let o = meshctl(&["manifest", "generate", "--set", good]);
        assert_eq!(o.status.code(), Some(0), "{good}: {}", stderr(&o));
    }
}

/// Istio CNI's objects (the chart's defaults), and the sidecar template switching from
/// `istio-init` to the `istio-validation` check when CNI redirects the traffic.
#[test]
fn cni_snapshot() {
    let objects = generate(&["--set", "components.cni.enabled=true"]);
    let cni: Vec<String> = objects
        .iter()
        .filter(|o| o["metadata"]["labels"]["operator.istio.io/component"] == "Cni")
        .map(serde_yaml_like)
        .collect();
    insta::assert_snapshot!(cni.join("---\n"));
    let injector = objects
        .iter()
        .find(|o| o["kind"] == "ConfigMap" && o["metadata"]["name"] == "istio-sidecar-injector")
        .cloned()
        .unwrap_or_default();
    let values: Json = serde_json::from_str(injector["data"]["values"].as_str().unwrap_or("{}"))
        .unwrap_or_default();
    assert_eq!(values["pilot"]["cni"]["enabled"], true);
    // Without CNI, no CNI object and the template's switch is off.
    let plain = generate(&[]);
    assert!(
        plain
            .iter()
            .all(|o| o["metadata"]["labels"]["operator.istio.io/component"] != "Cni")
    );
}

#[test]
fn istio_operator_installations_validate_clean() {
    for args in [
        &["-f", "testdata/install/operator-full.yaml"][..],
        &["--set", "components.cni.enabled=true", "--profile", "demo"][..],
    ] {
        generated_validates_clean(args);
    }
}

/// `values.revisionTags`: each tag's injection webhooks (and Service) send to this revision's
/// istiod; the tag `default` also takes the classic injection labels, as Istio's chart renders
/// `istio-revision-tag-default`.
#[test]
fn revision_tags_route_injection_to_the_revision() {
    let objects = generate(&[
        "--set",
        "revision=canary",
        "--set",
        "values.revisionTags={default,prod}",
        "--profile",
        "minimal",
    ]);
    let find = |kind: &str, name: &str| {
        objects
            .iter()
            .find(|o| o["kind"] == kind && o["metadata"]["name"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("no {kind} {name}"))
    };
    let hooks = |o: &Json| -> Vec<(String, String)> {
        o["webhooks"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|h| {
                (
                    h["name"].as_str().unwrap_or("").to_string(),
                    h["clientConfig"]["service"]["name"]
                        .as_str()
                        .unwrap_or("")
                        .to_string(),
                )
            })
            .collect()
    };
    let default_tag = find("MutatingWebhookConfiguration", "istio-revision-tag-default");
    assert_eq!(
        hooks(&default_tag),
        [
            ("rev.namespace.sidecar-injector.istio.io", "istiod-canary"),
            ("rev.object.sidecar-injector.istio.io", "istiod-canary"),
            ("namespace.sidecar-injector.istio.io", "istiod-canary"),
            ("object.sidecar-injector.istio.io", "istiod-canary"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    assert_eq!(
        default_tag["webhooks"][0]["namespaceSelector"]["matchExpressions"][0]["values"][0],
        "default"
    );
    let prod = find("MutatingWebhookConfiguration", "istio-revision-tag-prod");
    assert_eq!(hooks(&prod).len(), 2);
    assert_eq!(prod["metadata"]["labels"]["istio.io/rev"], "canary");
    let svc = find("Service", "istiod-revision-tag-prod");
    assert_eq!(svc["spec"]["selector"]["istio.io/rev"], "canary");
    // The revision's own webhook selects only `istio.io/rev=canary`.
    let own = find(
        "MutatingWebhookConfiguration",
        "istio-sidecar-injector-canary",
    );
    assert_eq!(hooks(&own).len(), 2);
    assert_eq!(
        own["webhooks"][0]["namespaceSelector"]["matchExpressions"][0]["values"][0],
        "canary"
    );
    // A tag named like the revision is refused.
    let o = meshctl(&[
        "manifest",
        "generate",
        "--set",
        "revision=canary",
        "--set",
        "values.revisionTags={canary}",
    ]);
    assert_eq!(o.status.code(), Some(2));
}
