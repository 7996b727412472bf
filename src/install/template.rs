//! meshctl's sidecar injection template, written for istiod's injector: a Go text/template
//! (with Sprig's functions and the injector's own: `annotation`, `excludeInboundPort`,
//! `protoToJSON`, ...) rendered against the pod being created, producing the pod fields to
//! merge in. It adds what a sidecar-mode workload needs and nothing optional:
//!
//! - `istio-init`, which redirects the pod's traffic to the proxy with iptables (honouring the
//!   `traffic.sidecar.istio.io/*` and `sidecar.istio.io/interceptionMode` annotations);
//! - `istio-proxy`, the Envoy sidecar with the agent (`proxy sidecar`), its identity, its proxy
//!   config, readiness and startup probes on 15021, metrics on 15090, resources from the
//!   injection values or the `sidecar.istio.io/proxy{CPU,Memory}[Limit]` annotations;
//! - the volumes the agent uses: the `istio-ca` service-account token, the mesh root
//!   certificate (`istio-ca-root-cert`), pod info, and scratch space;
//! - the labels and annotations Istio's telemetry and tooling read (`security.istio.io/tlsMode`,
//!   canonical service name and revision, `istio.io/rev`, the default container).
//!
//! Not covered (istiod's own chart has them): Istio CNI, TPROXY interception, native sidecars,
//! gateway and gRPC templates, ambient.

/// The `sidecar` template.
pub const SIDECAR: &str = r#"{{- $apps := list }}
{{- range .Spec.Containers }}{{ if ne .Name "istio-proxy" }}{{ $apps = append $apps .Name }}{{ end }}{{ end }}
{{- $mode := annotation .ObjectMeta `sidecar.istio.io/interceptionMode` .ProxyConfig.InterceptionMode }}
{{- $proxy := .Values.global.proxy }}
metadata:
  labels:
    security.istio.io/tlsMode: {{ index .ObjectMeta.Labels `security.istio.io/tlsMode` | default "istio" | quote }}
    service.istio.io/canonical-name: {{ index .ObjectMeta.Labels `service.istio.io/canonical-name` | default (index .ObjectMeta.Labels `app.kubernetes.io/name`) | default (index .ObjectMeta.Labels `app`) | default .DeploymentMeta.Name | trunc 63 | trimAll "-_." | quote }}
    service.istio.io/canonical-revision: {{ index .ObjectMeta.Labels `service.istio.io/canonical-revision` | default (index .ObjectMeta.Labels `app.kubernetes.io/version`) | default (index .ObjectMeta.Labels `version`) | default "latest" | quote }}
  annotations:
    istio.io/rev: {{ .Revision | default "default" | quote }}
{{- if $apps }}
    kubectl.kubernetes.io/default-container: {{ annotation .ObjectMeta `kubectl.kubernetes.io/default-container` (index $apps 0) | quote }}
    kubectl.kubernetes.io/default-logs-container: {{ annotation .ObjectMeta `kubectl.kubernetes.io/default-logs-container` (index $apps 0) | quote }}
{{- end }}
spec:
{{- if ne $mode "NONE" }}
  initContainers:
  - name: istio-init
    image: {{ .ProxyImage | quote }}
    args:
    - istio-iptables
    - "-p"
    - "15001"
    - "-z"
    - "15006"
    - "-u"
    - {{ .ProxyUID | default 1337 | quote }}
    - "-m"
    - {{ $mode | quote }}
    - "-i"
    - {{ annotation .ObjectMeta `traffic.sidecar.istio.io/includeOutboundIPRanges` $proxy.includeIPRanges | quote }}
    - "-x"
    - {{ annotation .ObjectMeta `traffic.sidecar.istio.io/excludeOutboundIPRanges` $proxy.excludeIPRanges | quote }}
    - "-b"
    - {{ annotation .ObjectMeta `traffic.sidecar.istio.io/includeInboundPorts` $proxy.includeInboundPorts | quote }}
    - "-d"
    - {{ printf "15090,15021,%s" (excludeInboundPort (annotation .ObjectMeta `status.sidecar.istio.io/port` $proxy.statusPort) (annotation .ObjectMeta `traffic.sidecar.istio.io/excludeInboundPorts` $proxy.excludeInboundPorts)) | quote }}
{{- with annotation .ObjectMeta `traffic.sidecar.istio.io/includeOutboundPorts` $proxy.includeOutboundPorts }}
    - "-q"
    - {{ . | quote }}
{{- end }}
{{- with annotation .ObjectMeta `traffic.sidecar.istio.io/excludeOutboundPorts` $proxy.excludeOutboundPorts }}
    - "-o"
    - {{ . | quote }}
{{- end }}
    - "--log_output_level=default:info"
    resources:
      requests:
        cpu: 10m
        memory: 10Mi
      limits:
        cpu: "2"
        memory: 1Gi
    securityContext:
      allowPrivilegeEscalation: false
      privileged: false
      readOnlyRootFilesystem: false
      runAsGroup: 0
      runAsNonRoot: false
      runAsUser: 0
      capabilities:
        add: [NET_ADMIN, NET_RAW]
        drop: [ALL]
{{- end }}
  containers:
  - name: istio-proxy
    image: {{ .ProxyImage | quote }}
    args:
    - proxy
    - sidecar
    - --domain
    - $(POD_NAMESPACE).svc.{{ $proxy.clusterDomain }}
    - {{ printf "--proxyLogLevel=%s" (annotation .ObjectMeta `sidecar.istio.io/logLevel` $proxy.logLevel) | quote }}
    - {{ printf "--proxyComponentLogLevel=%s" (annotation .ObjectMeta `sidecar.istio.io/componentLogLevel` $proxy.componentLogLevel) | quote }}
    - "--log_output_level=default:info"
    ports:
    - containerPort: 15090
      protocol: TCP
      name: http-envoy-prom
    env:
    - name: PILOT_CERT_PROVIDER
      value: istiod
    - name: CA_ADDR
      value: {{ .ProxyConfig.DiscoveryAddress | quote }}
    - name: POD_NAME
      valueFrom: {fieldRef: {fieldPath: metadata.name}}
    - name: POD_NAMESPACE
      valueFrom: {fieldRef: {fieldPath: metadata.namespace}}
    - name: INSTANCE_IP
      valueFrom: {fieldRef: {fieldPath: status.podIP}}
    - name: SERVICE_ACCOUNT
      valueFrom: {fieldRef: {fieldPath: spec.serviceAccountName}}
    - name: HOST_IP
      valueFrom: {fieldRef: {fieldPath: status.hostIP}}
    - name: ISTIO_CPU_LIMIT
      valueFrom: {resourceFieldRef: {resource: limits.cpu}}
    - name: GOMEMLIMIT
      valueFrom: {resourceFieldRef: {resource: limits.memory}}
    - name: GOMAXPROCS
      valueFrom: {resourceFieldRef: {resource: limits.cpu}}
    - name: PROXY_CONFIG
      value: {{ protoToJSON .ProxyConfig | quote }}
    - name: ISTIO_META_APP_CONTAINERS
      value: {{ join "," $apps | quote }}
    - name: ISTIO_META_CLUSTER_ID
      value: Kubernetes
    - name: ISTIO_META_NODE_NAME
      valueFrom: {fieldRef: {fieldPath: spec.nodeName}}
    - name: ISTIO_META_INTERCEPTION_MODE
      value: {{ $mode | quote }}
    - name: ISTIO_META_WORKLOAD_NAME
      value: {{ .DeploymentMeta.Name | quote }}
    - name: ISTIO_META_OWNER
      value: {{ printf "kubernetes://apis/%s/namespaces/%s/%ss/%s" .TypeMeta.APIVersion (.DeploymentMeta.Namespace | default "default") (toLower .TypeMeta.Kind) .DeploymentMeta.Name | quote }}
    - name: ISTIO_META_MESH_ID
      value: {{ .MeshConfig.TrustDomain | default "cluster.local" | quote }}
    - name: TRUST_DOMAIN
      value: {{ .MeshConfig.TrustDomain | default "cluster.local" | quote }}
    readinessProbe:
      httpGet:
        path: /healthz/ready
        port: 15021
      periodSeconds: 15
      timeoutSeconds: 3
      failureThreshold: 4
    startupProbe:
      httpGet:
        path: /healthz/ready
        port: 15021
      periodSeconds: 1
      timeoutSeconds: 3
      failureThreshold: 600
    resources:
      requests:
        cpu: {{ annotation .ObjectMeta `sidecar.istio.io/proxyCPU` $proxy.resources.requests.cpu | quote }}
        memory: {{ annotation .ObjectMeta `sidecar.istio.io/proxyMemory` $proxy.resources.requests.memory | quote }}
      limits:
        cpu: {{ annotation .ObjectMeta `sidecar.istio.io/proxyCPULimit` $proxy.resources.limits.cpu | quote }}
        memory: {{ annotation .ObjectMeta `sidecar.istio.io/proxyMemoryLimit` $proxy.resources.limits.memory | quote }}
    securityContext:
      allowPrivilegeEscalation: false
      privileged: false
      readOnlyRootFilesystem: true
      runAsNonRoot: true
      runAsUser: {{ .ProxyUID | default 1337 }}
      runAsGroup: {{ .ProxyGID | default 1337 }}
      capabilities:
        drop: [ALL]
    volumeMounts:
    - {name: workload-socket, mountPath: /var/run/secrets/workload-spiffe-uds}
    - {name: credential-socket, mountPath: /var/run/secrets/credential-uds}
    - {name: workload-certs, mountPath: /var/run/secrets/workload-spiffe-credentials}
    - {name: istiod-ca-cert, mountPath: /var/run/secrets/istio}
    - {name: istio-data, mountPath: /var/lib/istio/data}
    - {name: istio-envoy, mountPath: /etc/istio/proxy}
    - {name: istio-token, mountPath: /var/run/secrets/tokens}
    - {name: istio-podinfo, mountPath: /etc/istio/pod}
  volumes:
  - {name: workload-socket, emptyDir: {}}
  - {name: credential-socket, emptyDir: {}}
  - {name: workload-certs, emptyDir: {}}
  - {name: istio-envoy, emptyDir: {medium: Memory}}
  - {name: istio-data, emptyDir: {}}
  - name: istio-podinfo
    downwardAPI:
      items:
      - {path: labels, fieldRef: {fieldPath: metadata.labels}}
      - {path: annotations, fieldRef: {fieldPath: metadata.annotations}}
  - name: istio-token
    projected:
      sources:
      - serviceAccountToken: {path: istio-token, expirationSeconds: 43200, audience: istio-ca}
  - name: istiod-ca-cert
    configMap: {name: istio-ca-root-cert}
"#;
