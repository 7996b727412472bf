//! Istio CNI (`components.cni.enabled`): the node agent that sets up each pod's traffic
//! redirection when the pod's network is created, so that injected pods need no privileged
//! `istio-init` (the sidecar template then runs the unprivileged `istio-validation` check
//! instead). The objects are those of Istio 1.28's `istio-cni` chart with its defaults, in the
//! control-plane namespace as istioctl 1.28 installs them: ServiceAccount `istio-cni`,
//! ClusterRoles and bindings `istio-cni` (read pods, nodes, namespaces) and
//! `istio-cni-repair-role` (repair pods that started before their network was ready), ConfigMap
//! `istio-cni-config` (the agent's settings) and DaemonSet `istio-cni-node`.

use serde_json::{Value as Json, json};

use super::manifest::Settings;

/// The component's objects.
pub fn objects(s: &Settings) -> Vec<Json> {
    let ns = s.namespace.as_str();
    let labels = json!({"app": "istio-cni", "app.kubernetes.io/name": "istio-cni"});
    let subject = json!([{"kind": "ServiceAccount", "name": "istio-cni", "namespace": ns}]);
    let role_ref = |name: &str| json!({"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": name});
    let env = |name: &str, path: &str| json!({"name": name, "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": path}}});
    let resource = |name: &str, resource: &str| json!({"name": name, "valueFrom": {"resourceFieldRef": {"resource": resource, "divisor": "1"}}});
    let host_path = |name: &str, path: &str, ty: Option<&str>| {
        let mut hp = json!({"path": path});
        if let Some(t) = ty {
            hp["type"] = Json::from(t);
        }
        json!({"name": name, "hostPath": hp})
    };
    let daemonset = json!({
        "apiVersion": "apps/v1", "kind": "DaemonSet",
        "metadata": {"name": "istio-cni-node", "namespace": ns,
                     "labels": {"k8s-app": "istio-cni-node", "app.kubernetes.io/name": "istio-cni"}},
        "spec": {
            "selector": {"matchLabels": {"k8s-app": "istio-cni-node"}},
            "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1}},
            "template": {
                "metadata": {
                    "labels": {"k8s-app": "istio-cni-node", "sidecar.istio.io/inject": "false",
                               "istio.io/dataplane-mode": "none",
                               "app.kubernetes.io/name": "istio-cni"},
                    "annotations": {"sidecar.istio.io/inject": "false",
                                    "prometheus.io/scrape": "true", "prometheus.io/port": "15014",
                                    "prometheus.io/path": "/metrics",
                                    "container.apparmor.security.beta.kubernetes.io/install-cni": "unconfined"},
                },
                "spec": {
                    "hostNetwork": true,
                    "dnsPolicy": "ClusterFirstWithHostNet",
                    "nodeSelector": {"kubernetes.io/os": "linux"},
                    "tolerations": [
                        {"effect": "NoSchedule", "operator": "Exists"},
                        {"key": "CriticalAddonsOnly", "operator": "Exists"},
                        {"effect": "NoExecute", "operator": "Exists"},
                    ],
                    "priorityClassName": "system-node-critical",
                    "serviceAccountName": "istio-cni",
                    "terminationGracePeriodSeconds": 5,
                    "containers": [{
                        "name": "install-cni",
                        "image": format!("{}/install-cni:{}", s.hub, s.tag),
                        "ports": [{"containerPort": 15014, "name": "metrics", "protocol": "TCP"}],
                        "readinessProbe": {"httpGet": {"path": "/readyz", "port": 8000}},
                        "securityContext": {
                            "privileged": false, "runAsGroup": 0, "runAsUser": 0, "runAsNonRoot": false,
                            "capabilities": {"drop": ["ALL"],
                                             "add": ["NET_ADMIN", "NET_RAW", "SYS_PTRACE", "SYS_ADMIN", "DAC_OVERRIDE"]},
                        },
                        "command": ["install-cni"],
                        "args": [format!("--log_output_level={}", s.log_level)],
                        "envFrom": [{"configMapRef": {"name": "istio-cni-config"}}],
                        "env": [
                            env("REPAIR_NODE_NAME", "spec.nodeName"),
                            {"name": "REPAIR_RUN_AS_DAEMON", "value": "true"},
                            {"name": "REPAIR_SIDECAR_ANNOTATION", "value": "sidecar.istio.io/status"},
                            {"name": "ALLOW_SWITCH_TO_HOST_NS", "value": "true"},
                            env("NODE_NAME", "spec.nodeName"),
                            resource("GOMEMLIMIT", "limits.memory"),
                            resource("GOMAXPROCS", "limits.cpu"),
                            env("POD_NAME", "metadata.name"),
                            env("POD_NAMESPACE", "metadata.namespace"),
                        ],
                        "volumeMounts": [
                            {"mountPath": "/host/opt/cni/bin", "name": "cni-bin-dir"},
                            {"mountPath": "/host/proc", "name": "cni-host-procfs", "readOnly": true},
                            {"mountPath": "/host/etc/cni/net.d", "name": "cni-net-dir"},
                            {"mountPath": "/var/run/istio-cni", "name": "cni-socket-dir"},
                        ],
                        "resources": {"requests": {"cpu": "100m", "memory": "100Mi"}},
                    }],
                    "volumes": [
                        host_path("cni-bin-dir", "/opt/cni/bin", None),
                        host_path("cni-host-procfs", "/proc", Some("Directory")),
                        host_path("cni-net-dir", "/etc/cni/net.d", None),
                        host_path("cni-socket-dir", "/var/run/istio-cni", None),
                        host_path("cni-netns-dir", "/var/run/netns", Some("DirectoryOrCreate")),
                    ],
                },
            },
        },
    });
    vec![
        json!({"apiVersion": "v1", "kind": "ServiceAccount",
               "metadata": {"name": "istio-cni", "namespace": ns, "labels": labels}}),
        json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
               "metadata": {"name": "istio-cni", "labels": labels},
               "rules": [{"apiGroups": [""], "resources": ["pods", "nodes", "namespaces"],
                          "verbs": ["get", "list", "watch"]}]}),
        json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
               "metadata": {"name": "istio-cni-repair-role", "labels": labels},
               "rules": [{"apiGroups": [""], "resources": ["events"], "verbs": ["create", "patch"]},
                         {"apiGroups": [""], "resources": ["pods"], "verbs": ["watch", "get", "list"]}]}),
        json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
               "metadata": {"name": "istio-cni", "labels": labels},
               "roleRef": role_ref("istio-cni"), "subjects": subject}),
        json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
               "metadata": {"name": "istio-cni-repair-rolebinding",
                            "labels": {"k8s-app": "istio-cni-repair", "app.kubernetes.io/name": "istio-cni"}},
               "roleRef": role_ref("istio-cni-repair-role"), "subjects": subject}),
        json!({"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "istio-cni-config", "namespace": ns, "labels": labels},
        "data": {
            "CURRENT_AGENT_VERSION": s.tag,
            "AMBIENT_ENABLED": "false",
            "AMBIENT_ENABLEMENT_SELECTOR": "- podSelector:\n    matchLabels:\n      istio.io/dataplane-mode: ambient\n- namespaceSelector:\n    matchLabels:\n      istio.io/dataplane-mode: ambient\n  podSelector:\n    matchExpressions:\n    - key: istio.io/dataplane-mode\n      operator: NotIn\n      values:\n      - none\n",
            "AMBIENT_DNS_CAPTURE": "true",
            "AMBIENT_IPV6": "true",
            "AMBIENT_RECONCILE_POD_RULES_ON_STARTUP": "false",
            "ISTIO_OWNED_CNI_CONFIG": "false",
            "CHAINED_CNI_PLUGIN": "true",
            "EXCLUDE_NAMESPACES": "kube-system",
            "REPAIR_ENABLED": "true",
            "REPAIR_LABEL_PODS": "false",
            "REPAIR_DELETE_PODS": "false",
            "REPAIR_REPAIR_PODS": "true",
            "REPAIR_INIT_CONTAINER_NAME": "istio-validation",
            "REPAIR_BROKEN_POD_LABEL_KEY": "cni.istio.io/uninitialized",
            "REPAIR_BROKEN_POD_LABEL_VALUE": "true",
            "NATIVE_NFTABLES": "false",
        }}),
        daemonset,
    ]
}
