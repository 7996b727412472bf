//! Unit tests of the Kubernetes built-in kinds' rules, through the entry point.

use super::super::Level;
use super::*;
use crate::model::ObjectMeta;
use serde_json::Value;
use serde_json::json;

fn run(kind: &str, object: Value) -> Vec<super::super::Finding> {
    let meta = ObjectMeta::default();
    let mut ctx = Ctx::new(&meta, "default");
    validate(kind, Obj::Json(&object), &mut ctx);
    ctx.findings
}

fn errors(kind: &str, object: Value) -> Vec<(String, String)> {
    run(kind, object)
        .into_iter()
        .filter(|f| f.level == Level::Error)
        .map(|f| (f.path, f.message))
        .collect()
}

fn has(errs: &[(String, String)], path: &str, fragment: &str) -> bool {
    errs.iter().any(|(p, m)| p == path && m.contains(fragment))
}

fn deployment_with(spec: Value) -> Value {
    json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"}, "spec": spec})
}

fn good_template() -> Value {
    json!({
        "metadata": {"labels": {"app": "web"}},
        "spec": {"containers": [{"name": "web", "image": "nginx", "ports": [{"containerPort": 80}]}]}
    })
}

#[test]
fn patterns_compile() {
    for r in [
        &DNS_LABEL_RE,
        &DNS_SUBDOMAIN_RE,
        &QUALIFIED_NAME_RE,
        &LABEL_VALUE_RE,
        &CONFIG_KEY_RE,
        &HTTP_HEADER_NAME_RE,
        &PERCENT_RE,
        &DNS1035_LABEL_RE,
    ] {
        assert!(!r.as_str().is_empty());
    }
}

#[test]
fn valid_service_passes() {
    let errs = errors(
        "Service",
        json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"}, "spec": {
            "selector": {"app": "web"},
            "ports": [
                {"name": "http", "port": 80, "targetPort": 8080},
                {"name": "grpc-api", "port": 9090, "targetPort": "grpc", "appProtocol": "kubernetes.io/h2c"}
            ]
        }}),
    );
    assert!(errs.is_empty(), "{errs:?}");
}

#[test]
fn service_port_rules() {
    let errs = errors(
        "Service",
        json!({"spec": {"ports": [
            {"port": 0, "targetPort": 70000},
            {"name": "Bad_Name", "port": 80, "targetPort": "http--x"},
            {"name": "b", "port": 80, "nodePort": 30001},
            {"name": "b", "port": 81, "targetPort": "8080"}
        ]}}),
    );
    assert!(has(&errs, "spec.ports[0].name", "Required value"));
    assert!(has(
        &errs,
        "spec.ports[0].port",
        "must be between 1 and 65535"
    ));
    assert!(has(
        &errs,
        "spec.ports[0].targetPort",
        "must be between 1 and 65535"
    ));
    assert!(has(&errs, "spec.ports[1].name", "RFC 1123 label"));
    assert!(has(
        &errs,
        "spec.ports[1].targetPort",
        "consecutive hyphens"
    ));
    assert!(has(&errs, "spec.ports[2]", "Duplicate value: \"80/TCP\""));
    assert!(has(
        &errs,
        "spec.ports[2].nodePort",
        "may not be used when `type` is 'ClusterIP'"
    ));
    assert!(has(&errs, "spec.ports[3].name", "Duplicate value"));
    assert!(has(
        &errs,
        "spec.ports[3].targetPort",
        "at least one letter"
    ));
}

#[test]
fn single_unnamed_port_and_headless() {
    assert!(errors("Service", json!({"spec": {"ports": [{"port": 80}]}})).is_empty());
    assert!(errors("Service", json!({"spec": {"clusterIP": "None"}})).is_empty());
    let errs = errors("Service", json!({"spec": {}}));
    assert!(has(&errs, "spec.ports", "Required value"));
}

#[test]
fn external_name_service() {
    let ok = errors(
        "Service",
        json!({"spec": {"type": "ExternalName", "externalName": "db.example.com."}}),
    );
    assert!(ok.is_empty(), "{ok:?}");
    let errs = errors(
        "Service",
        json!({"spec": {"type": "ExternalName", "clusterIP": "10.0.0.1"}}),
    );
    assert!(has(&errs, "spec.externalName", "Required value"));
    assert!(has(
        &errs,
        "spec.clusterIP",
        "may not be set for ExternalName"
    ));
    let errs = errors(
        "Service",
        json!({"spec": {"type": "ExternalName", "externalName": "Bad_Host"}}),
    );
    assert!(has(&errs, "spec.externalName", "RFC 1123 subdomain"));
}

#[test]
fn service_type_dependent_fields() {
    let errs = errors(
        "Service",
        json!({"spec": {
            "ports": [{"port": 80}],
            "externalTrafficPolicy": "Local",
            "loadBalancerSourceRanges": ["10.0.0.0/8"],
            "healthCheckNodePort": 31000,
            "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 10}},
            "clusterIP": "10.0.0.300",
            "ipFamilies": ["IPv4", "IPv4"]
        }}),
    );
    assert!(has(
        &errs,
        "spec.externalTrafficPolicy",
        "externally-accessible"
    ));
    assert!(has(
        &errs,
        "spec.loadBalancerSourceRanges",
        "may only be used when `type` is 'LoadBalancer'"
    ));
    assert!(has(
        &errs,
        "spec.healthCheckNodePort",
        "may only be set when"
    ));
    assert!(has(
        &errs,
        "spec.sessionAffinityConfig",
        "must not be set when session affinity is None"
    ));
    assert!(has(&errs, "spec.clusterIP", "must be a valid IP address"));
    assert!(has(&errs, "spec.ipFamilies[1]", "Duplicate value"));
    let ok = errors(
        "Service",
        json!({"spec": {
            "type": "LoadBalancer",
            "ports": [{"port": 80, "nodePort": 30080}],
            "externalTrafficPolicy": "Local",
            "healthCheckNodePort": 31000,
            "loadBalancerSourceRanges": ["10.0.0.0/8"],
            "sessionAffinity": "ClientIP",
            "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 10800}}
        }}),
    );
    assert!(ok.is_empty(), "{ok:?}");
    let errs = errors(
        "Service",
        json!({"spec": {"type": "LoadBalancer", "ports": [{"port": 80}], "loadBalancerSourceRanges": ["10.0.0.0"],
            "sessionAffinity": "ClientIP", "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 0}}}}),
    );
    assert!(has(
        &errs,
        "spec.loadBalancerSourceRanges[0]",
        "must be a list of IP ranges"
    ));
    assert!(has(
        &errs,
        "spec.sessionAffinityConfig.clientIP.timeoutSeconds",
        "less than 86400"
    ));
}

#[test]
fn selector_labels_are_validated() {
    let errs = errors(
        "Service",
        json!({"spec": {"clusterIP": "None", "selector": {"app/x/y": "ok", "app": "bad value"}}}),
    );
    assert!(has(&errs, "spec.selector[\"app/x/y\"]", "qualified name"));
    assert!(has(&errs, "spec.selector.app", "a valid label must be"));
}

#[test]
fn valid_deployment_passes() {
    let errs = errors(
        "Deployment",
        deployment_with(json!({
            "replicas": 2,
            "selector": {"matchLabels": {"app": "web"}},
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 0}},
            "template": {
                "metadata": {"labels": {"app": "web", "version": "v1"}, "annotations": {"sidecar.istio.io/inject": "true"}},
                "spec": {
                    "serviceAccountName": "web",
                    "securityContext": {"runAsUser": 1337, "fsGroup": 1337},
                    "volumes": [{"name": "certs", "secret": {"secretName": "certs"}}, {"name": "tmp", "emptyDir": {"sizeLimit": "1Gi"}}],
                    "initContainers": [{"name": "proxy", "image": "istio/proxyv2", "restartPolicy": "Always",
                        "readinessProbe": {"httpGet": {"path": "/healthz/ready", "port": 15021}}}],
                    "containers": [{
                        "name": "web", "image": "nginx:1.25",
                        "ports": [{"name": "http", "containerPort": 8080}],
                        "env": [{"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
                                {"name": "MODE", "value": "prod"},
                                {"name": "APP", "valueFrom": {"fieldRef": {"fieldPath": "metadata.labels['app']"}}}],
                        "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}, "limits": {"cpu": 1, "memory": "128Mi"}},
                        "volumeMounts": [{"name": "certs", "mountPath": "/etc/certs", "readOnly": true}, {"name": "tmp", "mountPath": "/tmp"}],
                        "livenessProbe": {"tcpSocket": {"port": "http"}, "periodSeconds": 5},
                        "securityContext": {"runAsUser": 1000, "runAsGroup": 1000, "allowPrivilegeEscalation": false,
                            "capabilities": {"drop": ["ALL"]}, "seccompProfile": {"type": "RuntimeDefault"}}
                    }]
                }
            }
        })),
    );
    assert!(errs.is_empty(), "{errs:?}");
}

#[test]
fn deployment_selector_rules() {
    let errs = errors(
        "Deployment",
        deployment_with(json!({"template": good_template()})),
    );
    assert!(has(&errs, "spec.selector", "Required value"));
    let errs = errors(
        "Deployment",
        deployment_with(
            json!({"selector": {"matchLabels": {"app": "api"}}, "template": good_template()}),
        ),
    );
    assert!(has(
        &errs,
        "spec.template.metadata.labels",
        "`selector` does not match template `labels`"
    ));
    let errs = errors(
        "Deployment",
        deployment_with(json!({"selector": {}, "template": good_template()})),
    );
    assert!(has(
        &errs,
        "spec.selector",
        "empty selector is invalid for deployment"
    ));
    let errs = errors(
        "Deployment",
        deployment_with(json!({"selector": {"matchExpressions": [
            {"key": "app", "operator": "In"},
            {"key": "tier", "operator": "Exists", "values": ["x"]},
            {"key": "x", "operator": "Has"}
        ]}, "template": good_template()})),
    );
    assert!(has(
        &errs,
        "spec.selector.matchExpressions[0].values",
        "must be specified when `operator` is 'In'"
    ));
    assert!(has(
        &errs,
        "spec.selector.matchExpressions[1].values",
        "may not be specified"
    ));
    assert!(has(
        &errs,
        "spec.selector.matchExpressions[2].operator",
        "not a valid selector operator"
    ));
}

#[test]
fn deployment_strategy_and_counts() {
    let errs = errors(
        "Deployment",
        deployment_with(json!({
            "replicas": -1,
            "minReadySeconds": 30,
            "progressDeadlineSeconds": 10,
            "selector": {"matchLabels": {"app": "web"}},
            "strategy": {"type": "Recreate", "rollingUpdate": {"maxSurge": 1}},
            "template": good_template()
        })),
    );
    assert!(has(
        &errs,
        "spec.replicas",
        "must be greater than or equal to 0"
    ));
    assert!(has(
        &errs,
        "spec.progressDeadlineSeconds",
        "must be greater than minReadySeconds"
    ));
    assert!(has(
        &errs,
        "spec.strategy.rollingUpdate",
        "may not be specified when strategy `type` is 'Recreate'"
    ));
    let errs = errors(
        "Deployment",
        deployment_with(json!({
            "selector": {"matchLabels": {"app": "web"}},
            "strategy": {"rollingUpdate": {"maxSurge": "0%", "maxUnavailable": 0}},
            "template": good_template()
        })),
    );
    assert!(has(
        &errs,
        "spec.strategy.rollingUpdate.maxUnavailable",
        "may not be 0 when `maxSurge` is 0"
    ));
    let errs = errors(
        "Deployment",
        deployment_with(json!({
            "selector": {"matchLabels": {"app": "web"}},
            "strategy": {"rollingUpdate": {"maxSurge": "x", "maxUnavailable": "150%"}},
            "template": good_template()
        })),
    );
    assert!(has(
        &errs,
        "spec.strategy.rollingUpdate.maxSurge",
        "a valid percent string"
    ));
    assert!(has(
        &errs,
        "spec.strategy.rollingUpdate.maxUnavailable",
        "must not be greater than 100%"
    ));
}

#[test]
fn template_restart_policy_and_deadline() {
    let mut t = good_template();
    t["spec"]["restartPolicy"] = json!("Never");
    t["spec"]["activeDeadlineSeconds"] = json!(10);
    let errs = errors(
        "Deployment",
        deployment_with(json!({"selector": {"matchLabels": {"app": "web"}}, "template": t})),
    );
    assert!(has(
        &errs,
        "spec.template.spec.restartPolicy",
        "supported values: \"Always\""
    ));
    assert!(has(
        &errs,
        "spec.template.spec.activeDeadlineSeconds",
        "not Supported"
    ));
}

#[test]
fn missing_template_reports_containers() {
    let errs = errors(
        "Deployment",
        deployment_with(json!({"selector": {"matchLabels": {"app": "web"}}})),
    );
    assert!(has(
        &errs,
        "spec.template.spec.containers",
        "Required value"
    ));
    assert!(has(
        &errs,
        "spec.template.metadata.labels",
        "does not match"
    ));
}

fn pod_with(spec: Value) -> Value {
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec})
}

#[test]
fn container_rules() {
    let errs = errors(
        "Pod",
        pod_with(json!({"containers": [
            {"name": "App", "image": " nginx", "ports": [
                {"containerPort": 0}, {"containerPort": 70000, "name": "http"}, {"containerPort": 80, "name": "http"}
            ]},
            {"name": "App", "image": ""}
        ]})),
    );
    assert!(has(&errs, "spec.containers[0].name", "RFC 1123 label"));
    assert!(has(
        &errs,
        "spec.containers[0].image",
        "leading or trailing whitespace"
    ));
    assert!(has(
        &errs,
        "spec.containers[0].ports[0].containerPort",
        "Required value"
    ));
    assert!(has(
        &errs,
        "spec.containers[0].ports[1].containerPort",
        "must be between 1 and 65535"
    ));
    assert!(has(
        &errs,
        "spec.containers[0].ports[2].name",
        "Duplicate value"
    ));
    assert!(has(&errs, "spec.containers[1].name", "Duplicate value"));
    assert!(has(&errs, "spec.containers[1].image", "Required value"));
    let errs = errors("Pod", pod_with(json!({})));
    assert!(has(&errs, "spec.containers", "Required value"));
}

#[test]
fn whitespace_image_allowed_in_templates() {
    let mut t = good_template();
    t["spec"]["containers"][0]["image"] = json!(" nginx");
    let errs = errors(
        "Deployment",
        deployment_with(json!({"selector": {"matchLabels": {"app": "web"}}, "template": t})),
    );
    assert!(errs.is_empty(), "{errs:?}");
}

#[test]
fn security_context_rules() {
    let errs = errors(
        "Pod",
        pod_with(json!({
            "securityContext": {"runAsUser": -1, "fsGroup": 4294967296i64},
            "containers": [{"name": "a", "image": "x", "securityContext": {
                "runAsUser": 3000000000i64, "privileged": true, "allowPrivilegeEscalation": false,
                "seccompProfile": {"type": "Localhost"}
            }}]
        })),
    );
    assert!(has(
        &errs,
        "spec.securityContext.runAsUser",
        "between 0 and 2147483647"
    ));
    assert!(has(
        &errs,
        "spec.securityContext.fsGroup",
        "between 0 and 2147483647"
    ));
    assert!(has(
        &errs,
        "spec.containers[0].securityContext.runAsUser",
        "between 0 and 2147483647"
    ));
    assert!(has(
        &errs,
        "spec.containers[0].securityContext",
        "cannot set `allowPrivilegeEscalation` to false and `privileged` to true"
    ));
    assert!(has(
        &errs,
        "spec.containers[0].securityContext.seccompProfile.localhostProfile",
        "must be set when seccomp type is Localhost"
    ));
}

#[test]
fn env_rules() {
    let errs = errors(
        "Pod",
        pod_with(json!({"containers": [{"name": "a", "image": "x", "env": [
            {"name": ""},
            {"name": "A=B"},
            {"name": "X", "value": "1", "valueFrom": {"fieldRef": {"fieldPath": "spec.foo"}}},
            {"name": "Y", "valueFrom": {}},
            {"name": "Z", "valueFrom": {"secretKeyRef": {"name": "s", "key": "bad/key"}, "configMapKeyRef": {"name": "c", "key": "k"}}},
            {"name": "R", "valueFrom": {"resourceFieldRef": {"resource": "limits.gpu"}}}
        ]}]})),
    );
    assert!(has(
        &errs,
        "spec.containers[0].env[0].name",
        "Required value"
    ));
    assert!(has(
        &errs,
        "spec.containers[0].env[1].name",
        "printable ASCII"
    ));
    assert!(has(
        &errs,
        "spec.containers[0].env[2].valueFrom",
        "may not be specified when `value` is not empty"
    ));
    assert!(has(
        &errs,
        "spec.containers[0].env[2].valueFrom.fieldRef.fieldPath",
        "Unsupported value"
    ));
    assert!(has(
        &errs,
        "spec.containers[0].env[3].valueFrom",
        "must specify one of"
    ));
    assert!(has(
        &errs,
        "spec.containers[0].env[4].valueFrom",
        "more than one field"
    ));
    assert!(has(
        &errs,
        "spec.containers[0].env[4].valueFrom.secretKeyRef.key",
        "valid config key"
    ));
    assert!(has(
        &errs,
        "spec.containers[0].env[5].valueFrom.resourceFieldRef.resource",
        "Unsupported value"
    ));
}

#[test]
fn duplicate_env_is_a_warning() {
    let found = run(
        "Pod",
        pod_with(json!({"containers": [{"name": "a", "image": "x", "env": [
            {"name": "A", "value": "1"}, {"name": "A", "value": "2"}
        ]}]})),
    );
    assert!(found.iter().any(|f| f.level == Level::Warning
        && f.path == "spec.containers[0].env[1].name"
        && f.message.contains("hides previous definition")));
    assert!(found.iter().all(|f| f.level == Level::Warning));
}

#[test]
fn volume_rules() {
    let errs = errors(
        "Pod",
        pod_with(json!({
            "volumes": [
                {"name": "a", "emptyDir": {}},
                {"name": "a", "configMap": {"name": "c", "items": [{"key": "k", "path": "../x"}], "defaultMode": 1000}},
                {"name": "b"},
                {"name": "c", "emptyDir": {}, "secret": {"secretName": "s"}},
                {"name": "d", "projected": {"sources": [{"serviceAccountToken": {"path": "token", "expirationSeconds": 60}}]}}
            ],
            "containers": [{"name": "x", "image": "i", "volumeMounts": [
                {"name": "missing", "mountPath": "/a"},
                {"name": "a", "mountPath": "/a"},
                {"name": "a", "mountPath": "/b", "subPath": "/abs"}
            ]}]
        })),
    );
    assert!(has(&errs, "spec.volumes[1].name", "Duplicate value"));
    assert!(has(
        &errs,
        "spec.volumes[1].configMap.items[0].path",
        "must not contain '..'"
    ));
    assert!(has(&errs, "spec.volumes[1].configMap.defaultMode", "0777"));
    assert!(has(&errs, "spec.volumes[2]", "must specify a volume type"));
    assert!(has(
        &errs,
        "spec.volumes[3].secret",
        "may not specify more than 1 volume type"
    ));
    assert!(has(
        &errs,
        "spec.volumes[4].projected.sources[0].serviceAccountToken.expirationSeconds",
        "less than 10 minutes"
    ));
    assert!(has(
        &errs,
        "spec.containers[0].volumeMounts[0].name",
        "Not found: \"missing\""
    ));
    assert!(has(
        &errs,
        "spec.containers[0].volumeMounts[1].mountPath",
        "must be unique"
    ));
    assert!(has(
        &errs,
        "spec.containers[0].volumeMounts[2].subPath",
        "must be a relative path"
    ));
}

#[test]
fn probe_rules() {
    let errs = errors(
        "Pod",
        pod_with(json!({
            "initContainers": [{"name": "init", "image": "i", "livenessProbe": {"exec": {"command": ["true"]}}}],
            "containers": [{"name": "x", "image": "i",
                "livenessProbe": {"successThreshold": 2, "httpGet": {"port": 0}},
                "readinessProbe": {"httpGet": {"port": "http"}, "tcpSocket": {"port": 80}, "periodSeconds": -1},
                "startupProbe": {}
            }]
        })),
    );
    assert!(has(
        &errs,
        "spec.initContainers[0].livenessProbe",
        "without restartPolicy=Always"
    ));
    assert!(has(
        &errs,
        "spec.containers[0].livenessProbe.successThreshold",
        "must be 1"
    ));
    assert!(has(
        &errs,
        "spec.containers[0].livenessProbe.httpGet.port",
        "must be between 1 and 65535"
    ));
    assert!(has(
        &errs,
        "spec.containers[0].readinessProbe.tcpSocket",
        "more than 1 handler type"
    ));
    assert!(has(
        &errs,
        "spec.containers[0].readinessProbe.periodSeconds",
        "greater than or equal to 0"
    ));
    assert!(has(
        &errs,
        "spec.containers[0].startupProbe",
        "must specify a handler type"
    ));
    let errs = errors(
        "Pod",
        pod_with(
            json!({"containers": [{"name": "x", "image": "i", "readinessProbe": {"exec": {}}}]}),
        ),
    );
    assert!(has(
        &errs,
        "spec.containers[0].readinessProbe.exec.command",
        "Required value"
    ));
}

#[test]
fn resource_rules() {
    assert_eq!(parse_quantity("100m"), Some(0.1));
    assert_eq!(parse_quantity("1Gi"), Some(1_073_741_824.0));
    assert_eq!(parse_quantity("1e3"), Some(1000.0));
    assert_eq!(parse_quantity("-2"), Some(-2.0));
    assert_eq!(parse_quantity(".5"), Some(0.5));
    assert_eq!(parse_quantity("1.5.5"), None);
    assert_eq!(parse_quantity("10MB"), None);
    assert_eq!(parse_quantity(""), None);
    let errs = errors(
        "Pod",
        pod_with(
            json!({"containers": [{"name": "x", "image": "i", "resources": {
                "requests": {"cpu": "2", "memory": "1GB", "storage": "1Gi", "example.com/foo": 1},
                "limits": {"cpu": "1000m", "memory": -1}
            }}]}),
        ),
    );
    assert!(has(
        &errs,
        "spec.containers[0].resources.requests.cpu",
        "must be less than or equal to cpu limit of 1000m"
    ));
    assert!(has(
        &errs,
        "spec.containers[0].resources.requests.memory",
        "quantities must match"
    ));
    assert!(has(
        &errs,
        "spec.containers[0].resources.limits.memory",
        "greater than or equal to 0"
    ));
    assert!(has(
        &errs,
        "spec.containers[0].resources.requests.storage",
        "standard resource"
    ));
    assert!(!errs.iter().any(|(p, _)| p.contains("example.com")));
}

#[test]
fn pod_level_rules() {
    let errs = errors(
        "Pod",
        pod_with(json!({
            "dnsPolicy": "None",
            "hostNetwork": true,
            "serviceAccountName": "Bad_SA",
            "ephemeralContainers": [{"name": "debug", "image": "busybox"}],
            "tolerations": [{"operator": "Equal", "value": "x"}, {"key": "k", "operator": "Exists", "value": "v", "tolerationSeconds": 5}],
            "topologySpreadConstraints": [{"maxSkew": 0, "topologyKey": "zone", "whenUnsatisfiable": "ScheduleAnyway", "minDomains": 2}],
            "containers": [{"name": "x", "image": "i", "ports": [{"containerPort": 80, "hostPort": 8080}]}]
        })),
    );
    assert!(has(
        &errs,
        "spec.dnsConfig",
        "must provide `dnsConfig` when `dnsPolicy` is None"
    ));
    assert!(has(
        &errs,
        "spec.containers[0].ports[0].hostPort",
        "must match `containerPort` when `hostNetwork` is true"
    ));
    assert!(has(&errs, "spec.serviceAccountName", "RFC 1123 subdomain"));
    assert!(has(
        &errs,
        "spec.ephemeralContainers",
        "cannot be set on create"
    ));
    assert!(has(
        &errs,
        "spec.tolerations[0].operator",
        "operator must be Exists when `key` is empty"
    ));
    assert!(has(
        &errs,
        "spec.tolerations[1].operator",
        "value must be empty"
    ));
    assert!(has(
        &errs,
        "spec.tolerations[1].effect",
        "effect must be 'NoExecute'"
    ));
    assert!(has(
        &errs,
        "spec.topologySpreadConstraints[0].maxSkew",
        "greater than zero"
    ));
    assert!(has(
        &errs,
        "spec.topologySpreadConstraints[0].minDomains",
        "whenUnsatisfiable=DoNotSchedule"
    ));
}

#[test]
fn init_container_restart_policy() {
    let errs = errors(
        "Pod",
        pod_with(json!({
            "initContainers": [{"name": "i", "image": "x", "restartPolicy": "OnFailure"}],
            "containers": [{"name": "c", "image": "x"}]
        })),
    );
    assert!(has(
        &errs,
        "spec.initContainers[0].restartPolicy",
        "supported values: \"Always\""
    ));
}

#[test]
fn stateful_set_claims_are_mountable() {
    let obj = json!({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "s"}, "spec": {
        "serviceName": "db",
        "selector": {"matchLabels": {"app": "db"}},
        "updateStrategy": {"type": "OnDelete", "rollingUpdate": {"partition": 1}},
        "volumeClaimTemplates": [{"metadata": {"name": "data"}, "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}],
        "template": {"metadata": {"labels": {"app": "db"}}, "spec": {"containers": [
            {"name": "db", "image": "postgres", "volumeMounts": [{"name": "data", "mountPath": "/var/lib/data"}]}
        ]}}
    }});
    let errs = errors("StatefulSet", obj);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(has(
        &errs,
        "spec.updateStrategy.rollingUpdate",
        "only allowed for updateStrategy 'RollingUpdate'"
    ));
}

#[test]
fn stateful_set_service_name_warns() {
    let found = run(
        "StatefulSet",
        json!({"spec": {"serviceName": "My.Svc", "selector": {"matchLabels": {"app": "x"}},
            "template": {"metadata": {"labels": {"app": "x"}}, "spec": {"containers": [{"name": "c", "image": "i"}]}}}}),
    );
    assert!(found.iter().any(|f| f.level == Level::Warning
        && f.path == "spec.serviceName"
        && f.message.contains("RFC 1123 label")));
    assert!(found.iter().all(|f| f.level == Level::Warning));
}

#[test]
fn daemon_set_and_replica_set() {
    let errs = errors(
        "DaemonSet",
        json!({"spec": {"selector": {"matchLabels": {"app": "x"}},
            "updateStrategy": {"rollingUpdate": {"maxUnavailable": 0}},
            "template": {"metadata": {"labels": {"app": "x"}}, "spec": {"containers": [{"name": "c", "image": "i"}]}}}}),
    );
    assert!(has(
        &errs,
        "spec.updateStrategy.rollingUpdate.maxUnavailable",
        "may not be 0"
    ));
    let errs = errors(
        "ReplicaSet",
        json!({"spec": {"replicas": 1, "template": {"metadata": {"labels": {"app": "x"}}, "spec": {"containers": [{"name": "c", "image": "i"}]}}}}),
    );
    assert!(has(&errs, "spec.selector", "Required value"));
}

#[test]
fn object_metadata_labels_and_annotations() {
    let meta: ObjectMeta = serde_json::from_value(json!({
        "name": "x",
        "labels": {"app": "web", "bad label": "v", "ok": "-bad-"},
        "annotations": {"sidecar.istio.io/inject": "true", "Example.COM/Key": "x", "a/b/c": "y"}
    }))
    .unwrap_or_default();
    let mut ctx = Ctx::new(&meta, "default");
    validate("ConfigMap", Obj::Json(&json!({})), &mut ctx);
    let errs: Vec<(String, String)> = ctx
        .findings
        .into_iter()
        .map(|f| (f.path, f.message))
        .collect();
    assert!(has(
        &errs,
        "metadata.labels[\"bad label\"]",
        "name part must consist"
    ));
    assert!(has(&errs, "metadata.labels.ok", "a valid label must be"));
    assert!(has(
        &errs,
        "metadata.annotations[\"a/b/c\"]",
        "qualified name"
    ));
    assert_eq!(errs.len(), 3, "{errs:?}");
}

#[test]
fn namespace_rules() {
    assert!(errors("Namespace", json!({"metadata": {"name": "istio-system"}})).is_empty());
    let errs = errors(
        "Namespace",
        json!({"metadata": {"name": "team.a"}, "spec": {"finalizers": ["kubernetes", "a/b/c"]}}),
    );
    assert!(has(&errs, "spec.finalizers[1]", "qualified name"));
}

#[test]
fn config_map_rules() {
    assert!(
        errors(
            "ConfigMap",
            json!({"data": {"mesh": "x", "a.b_c-d": ""}, "binaryData": {"bin": "aGVsbG8="}})
        )
        .is_empty()
    );
    let errs = errors(
        "ConfigMap",
        json!({"data": {"a/b": "x", "..x": "y", "dup": "z"}, "binaryData": {"dup": "aGVsbG8=", "bad": "a$=="}}),
    );
    assert!(has(&errs, "data[\"a/b\"]", "valid config key"));
    assert!(has(&errs, "data[\"..x\"]", "must not start with '..'"));
    assert!(has(&errs, "binaryData.dup", "duplicate of key"));
    assert!(has(
        &errs,
        "binaryData.bad",
        "illegal base64 data at input byte 1"
    ));
}

#[test]
fn secret_rules_never_print_values() {
    let errs = errors(
        "Secret",
        json!({"type": "kubernetes.io/tls", "data": {"tls.crt": "c3VwZXJzZWNyZXQ=", "password": "s3cr3t!value"}}),
    );
    assert!(has(&errs, "data[\"tls.key\"]", "Required value"));
    assert!(has(&errs, "data.password", "illegal base64 data"));
    assert!(
        errs.iter()
            .all(|(_, m)| !m.contains("s3cr3t") && !m.contains("c3VwZXJzZWNyZXQ"))
    );
    assert!(errors("Secret", json!({"type": "kubernetes.io/tls", "data": {"tls.crt": "YQ=="}, "stringData": {"tls.key": "k"}})).is_empty());
    let errs = errors(
        "Secret",
        json!({"type": "kubernetes.io/service-account-token"}),
    );
    assert!(has(
        &errs,
        "metadata.annotations[\"kubernetes.io/service-account.name\"]",
        "Required value"
    ));
    let errs = errors(
        "Secret",
        json!({"type": "kubernetes.io/basic-auth", "data": {}}),
    );
    assert!(has(&errs, "data.username", "Required value"));
}

#[test]
fn base64_decoding() {
    assert_eq!(base64_decoded_len("aGVsbG8="), Ok(5));
    assert_eq!(base64_decoded_len("aGVs\nbG8="), Ok(5));
    assert_eq!(base64_decoded_len(""), Ok(0));
    assert_eq!(base64_decoded_len("aGVsbG8"), Err(6));
    assert_eq!(base64_decoded_len("a=Vs"), Err(1));
    assert_eq!(base64_decoded_len("aGVs=G8="), Err(4));
}

#[test]
fn valid_webhook_configuration_passes() {
    let errs = errors(
        "MutatingWebhookConfiguration",
        json!({"webhooks": [{
            "name": "rev.namespace.sidecar-injector.istio.io",
            "clientConfig": {"service": {"name": "istiod", "namespace": "istio-system", "path": "/inject/cluster/Kubernetes/net/network1", "port": 443}, "caBundle": "aGVsbG8="},
            "rules": [{"operations": ["CREATE"], "apiGroups": [""], "apiVersions": ["v1"], "resources": ["pods"]}],
            "sideEffects": "None",
            "failurePolicy": "Fail",
            "admissionReviewVersions": ["v1beta1", "v1"],
            "namespaceSelector": {"matchExpressions": [{"key": "istio-injection", "operator": "DoesNotExist"}]},
            "reinvocationPolicy": "Never"
        }]}),
    );
    assert!(errs.is_empty(), "{errs:?}");
}

#[test]
fn webhook_rules() {
    let errs = errors(
        "ValidatingWebhookConfiguration",
        json!({"webhooks": [
            {"name": "istio.io", "clientConfig": {"url": "http://user@host:443/path?x=1#f"},
             "rules": [{"operations": ["*", "CREATE"], "apiGroups": [], "apiVersions": ["v1"], "resources": ["*/*", "pods"]}],
             "timeoutSeconds": 31, "admissionReviewVersions": ["v2"]},
            {"name": "a.b.c", "clientConfig": {"service": {"name": "s", "namespace": "ns", "path": "validate", "port": 0}},
             "sideEffects": "None", "admissionReviewVersions": []},
            {"name": "a.b.c", "clientConfig": {}, "sideEffects": "None", "admissionReviewVersions": ["v1"]}
        ]}),
    );
    assert!(has(&errs, "webhooks[0].name", "at least three segments"));
    assert!(has(
        &errs,
        "webhooks[0].clientConfig.url",
        "'https' is the only allowed URL scheme"
    ));
    assert!(has(
        &errs,
        "webhooks[0].clientConfig.url",
        "user information"
    ));
    assert!(has(
        &errs,
        "webhooks[0].clientConfig.url",
        "query parameters"
    ));
    assert!(has(&errs, "webhooks[0].clientConfig.url", "fragments"));
    assert!(has(
        &errs,
        "webhooks[0].rules[0].operations",
        "if '*' is present"
    ));
    assert!(has(
        &errs,
        "webhooks[0].rules[0].apiGroups",
        "Required value"
    ));
    assert!(has(
        &errs,
        "webhooks[0].rules[0].resources",
        "if '*/*' is present"
    ));
    assert!(has(&errs, "webhooks[0].sideEffects", "Required value"));
    assert!(has(
        &errs,
        "webhooks[0].timeoutSeconds",
        "between 1 and 30 seconds"
    ));
    assert!(has(
        &errs,
        "webhooks[0].admissionReviewVersions",
        "must include at least one of v1, v1beta1"
    ));
    assert!(has(
        &errs,
        "webhooks[1].clientConfig.service.path",
        "must start with a '/'"
    ));
    assert!(has(
        &errs,
        "webhooks[1].clientConfig.service.port",
        "port is not valid"
    ));
    assert!(has(
        &errs,
        "webhooks[1].admissionReviewVersions",
        "Required value"
    ));
    assert!(has(&errs, "webhooks[2].name", "Duplicate value"));
    assert!(has(
        &errs,
        "webhooks[2].clientConfig",
        "exactly one of url or service is required"
    ));
    let errs2 = errors(
        "MutatingWebhookConfiguration",
        json!({"webhooks": [{"name": "a.b.c", "sideEffects": "None", "admissionReviewVersions": ["v1"],
            "clientConfig": {"service": {"name": "s", "namespace": "n", "path": "/a//b_c"}}}]}),
    );
    assert!(has(
        &errs2,
        "webhooks[0].clientConfig.service.path",
        "segment[1] may not be empty"
    ));
    assert!(has(
        &errs2,
        "webhooks[0].clientConfig.service.path",
        "segment[2]: a lowercase RFC 1123 subdomain"
    ));
}
