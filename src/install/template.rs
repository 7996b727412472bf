//! meshctl's injection templates, written for istiod's injector and its Gateway API deployment
//! controller: Go text/templates (with Sprig's functions and the injector's own: `annotation`,
//! `excludeInboundPort`, `protoToJSON`, `structToJSON`, `toJsonMap`, `omit`, `strdict`, ...)
//! that istiod parses at startup and renders on demand. They are registered under Istio's names in
//! the `templates` of the injection ConfigMap (`istio-sidecar-injector`, key `config`), in
//! [`TEMPLATES`]; a pod picks one with `inject.istio.io/templates` (default: `sidecar`), a Gateway
//! class names its own.
//!
//! (The injector's `indent` pads every line but the first: the first goes where the action is.)
//!
//! The values they read come from the same ConfigMap's `values` (see
//! [`super::manifest::injection_values`]): the proxy image, log levels, resources, cluster domain,
//! istiod's namespace and revision. What meshctl does not let users change is written out.
//!
//! Each template renders:
//!
//! - [`SIDECAR`] (`sidecar`, pods): the pod fields to merge into a sidecar-mode workload, and
//!   nothing optional:
//!   - `istio-init`, which redirects the pod's traffic to the proxy with iptables (honouring the
//!     `traffic.sidecar.istio.io/*` and `sidecar.istio.io/interceptionMode` annotations);
//!   - `istio-proxy`, the Envoy sidecar with the agent (`proxy sidecar`), its identity, its proxy
//!     config, the application's ports (`ISTIO_META_POD_PORTS`), readiness and startup probes on
//!     15021, metrics on 15090, resources from the injection values or, when the pod has any
//!     of the `sidecar.istio.io/proxy{CPU,Memory}[Limit]` annotations, exactly those (shared
//!     with `istio-init` through the `resources` definition). As a *native sidecar* (an init
//!     container with `restartPolicy: Always`, started before and stopped after the application)
//!     when istiod finds every node on Kubernetes 1.33 or newer, or the pod's
//!     `sidecar.istio.io/nativeSidecar` annotation says so; then it drains on `preStop`. Otherwise
//!     with `holdApplicationUntilProxyStarts` (mesh or pod proxy config), a `postStart` hook
//!     (`pilot-agent wait`) holds the application until the proxy is ready;
//!   - the volumes the agent uses: the `istio-ca` service-account token, the mesh root
//!     certificate (`istio-ca-root-cert`), the optional CA revocation list (`istio-ca-crl`), pod
//!     info, and scratch space; a custom Envoy bootstrap from the ConfigMap the
//!     `sidecar.istio.io/bootstrapOverride` annotation names; the volumes and proxy mounts of the
//!     `sidecar.istio.io/userVolume` and `userVolumeMount` annotations (JSON maps by name);
//!   - with TPROXY interception (`sidecar.istio.io/interceptionMode: TPROXY`) the proxy runs as
//!     root with `NET_ADMIN` (the original destination is read from the socket), and
//!     `sidecar.istio.io/capNetBindService: "true"` lets it bind ports below 1024
//!     (`NET_BIND_SERVICE`, also as root);
//!   - the labels and annotations Istio's telemetry and tooling read (`security.istio.io/tlsMode`,
//!     canonical service name and revision, `istio.io/rev`, the default container).
//! - [`GATEWAY`] (`gateway`, pods): an *injected gateway*, a Deployment of the user's whose pod
//!   has a container `istio-proxy` with `image: auto` and the label
//!   `inject.istio.io/templates: gateway`. The template fills that container in as a standalone
//!   Envoy (`proxy router`, no traffic redirection, no init container), lets it bind ports below
//!   1024 without privileges (`net.ipv4.ip_unprivileged_port_start=0`) and adds the agent's
//!   volumes.
//! - [`KUBE_GATEWAY`] (`kube-gateway`, objects): what istiod's Gateway API controller creates for
//!   a `Gateway` of class `istio`: a ServiceAccount, a Deployment running `proxy router`, a
//!   Service (type from the Gateway, LoadBalancer by default) with a port per listener plus the
//!   status port, and a HorizontalPodAutoscaler and PodDisruptionBudget that istiod only keeps
//!   when the Gateway's parameters ConfigMap fills them in. Every object is owned by the Gateway
//!   and carries its name and class as labels. Without this template istiod's controller stops
//!   with `no "kube-gateway" template defined` and such a Gateway never gets a Deployment.
//! - [`WAYPOINT`] (`waypoint`, objects): the same for a `Gateway` of class `istio-waypoint`
//!   (ambient mode's L7 proxy): `proxy waypoint`, resources from `global.waypoint.resources`, the
//!   Service preferring close endpoints.
//! - [`GRPC_AGENT`] (`grpc-agent`, pods): proxyless gRPC with the agent: `istio-proxy` runs the
//!   agent only (`DISABLE_ENVOY`), serves the xDS bootstrap and certificates to the application
//!   over a shared volume, and the application containers get `GRPC_XDS_BOOTSTRAP` pointing at it.
//! - [`GRPC_SIMPLE`] (`grpc-simple`, pods): proxyless gRPC without the agent: an init container
//!   writes an xDS bootstrap naming istiod's plain-text port, and every container reads it.
//!
//! Not covered (istiod's own chart has them): Istio CNI, ambient's east-west gateways, the
//! privileged proxy of `IPTABLES_TRACE_LOGGING`.

/// The templates of the injection ConfigMap, by the names pods and Gateway classes use.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("sidecar", SIDECAR),
    ("gateway", GATEWAY),
    ("kube-gateway", KUBE_GATEWAY),
    ("waypoint", WAYPOINT),
    ("grpc-agent", GRPC_AGENT),
    ("grpc-simple", GRPC_SIMPLE),
];

/// The `sidecar` template.
pub const SIDECAR: &str = r#"{{- define "resources" }}
{{- $a := .ObjectMeta.Annotations }}
{{- if or (isset $a `sidecar.istio.io/proxyCPU`) (isset $a `sidecar.istio.io/proxyMemory`) (isset $a `sidecar.istio.io/proxyCPULimit`) (isset $a `sidecar.istio.io/proxyMemoryLimit`) }}
{{- if or (isset $a `sidecar.istio.io/proxyCPU`) (isset $a `sidecar.istio.io/proxyMemory`) }}
      requests:
{{- if isset $a `sidecar.istio.io/proxyCPU` }}
        cpu: {{ index $a `sidecar.istio.io/proxyCPU` | quote }}
{{- end }}
{{- if isset $a `sidecar.istio.io/proxyMemory` }}
        memory: {{ index $a `sidecar.istio.io/proxyMemory` | quote }}
{{- end }}
{{- end }}
{{- if or (isset $a `sidecar.istio.io/proxyCPULimit`) (isset $a `sidecar.istio.io/proxyMemoryLimit`) }}
      limits:
{{- if isset $a `sidecar.istio.io/proxyCPULimit` }}
        cpu: {{ index $a `sidecar.istio.io/proxyCPULimit` | quote }}
{{- end }}
{{- if isset $a `sidecar.istio.io/proxyMemoryLimit` }}
        memory: {{ index $a `sidecar.istio.io/proxyMemoryLimit` | quote }}
{{- end }}
{{- end }}
{{- else }}
      requests: {cpu: {{ .Values.global.proxy.resources.requests.cpu | quote }}, memory: {{ .Values.global.proxy.resources.requests.memory | quote }}}
      limits: {cpu: {{ .Values.global.proxy.resources.limits.cpu | quote }}, memory: {{ .Values.global.proxy.resources.limits.memory | quote }}}
{{- end }}
{{- end }}
{{- $apps := list }}
{{- range .Spec.Containers }}{{ if ne .Name "istio-proxy" }}{{ $apps = append $apps .Name }}{{ end }}{{ end }}
{{- $mode := annotation .ObjectMeta `sidecar.istio.io/interceptionMode` .ProxyConfig.InterceptionMode }}
{{- $proxy := .Values.global.proxy }}
{{- $tproxy := eq $mode "TPROXY" }}
{{- $netBind := eq (annotation .ObjectMeta `sidecar.istio.io/capNetBindService` $proxy.capNetBindService) "true" }}
{{- $native := ne (index .ObjectMeta.Annotations `sidecar.istio.io/nativeSidecar` | default (printf "%t" .NativeSidecars)) "false" }}
{{- $hold := and (or .ProxyConfig.HoldApplicationUntilProxyStarts.GetValue $proxy.holdApplicationUntilProxyStarts) (not $native) }}
{{- $cni := .Values.pilot.cni.enabled }}
metadata:
  labels:
    security.istio.io/tlsMode: {{ index .ObjectMeta.Labels `security.istio.io/tlsMode` | default "istio" | quote }}
    service.istio.io/canonical-name: {{ index .ObjectMeta.Labels `service.istio.io/canonical-name` | default (index .ObjectMeta.Labels `app.kubernetes.io/name`) | default (index .ObjectMeta.Labels `app`) | default .DeploymentMeta.Name | trunc 63 | trimAll "-_." | quote }}
    service.istio.io/canonical-revision: {{ index .ObjectMeta.Labels `service.istio.io/canonical-revision` | default (index .ObjectMeta.Labels `app.kubernetes.io/version`) | default (index .ObjectMeta.Labels `version`) | default "latest" | quote }}
  annotations:
    istio.io/rev: {{ .Revision | default "default" | quote }}
{{- if $cni }}
    sidecar.istio.io/interceptionMode: {{ $mode | quote }}
    traffic.sidecar.istio.io/includeOutboundIPRanges: {{ annotation .ObjectMeta `traffic.sidecar.istio.io/includeOutboundIPRanges` $proxy.includeIPRanges | quote }}
    traffic.sidecar.istio.io/excludeOutboundIPRanges: {{ annotation .ObjectMeta `traffic.sidecar.istio.io/excludeOutboundIPRanges` $proxy.excludeIPRanges | quote }}
    traffic.sidecar.istio.io/includeInboundPorts: {{ annotation .ObjectMeta `traffic.sidecar.istio.io/includeInboundPorts` $proxy.includeInboundPorts | quote }}
    traffic.sidecar.istio.io/excludeInboundPorts: {{ excludeInboundPort (annotation .ObjectMeta `status.sidecar.istio.io/port` $proxy.statusPort) (annotation .ObjectMeta `traffic.sidecar.istio.io/excludeInboundPorts` $proxy.excludeInboundPorts) | quote }}
{{- end }}
{{- if $apps }}
    kubectl.kubernetes.io/default-container: {{ annotation .ObjectMeta `kubectl.kubernetes.io/default-container` (index $apps 0) | quote }}
    kubectl.kubernetes.io/default-logs-container: {{ annotation .ObjectMeta `kubectl.kubernetes.io/default-logs-container` (index $apps 0) | quote }}
{{- end }}
spec:
{{- if or (ne $mode "NONE") $native }}
  initContainers:
{{- end }}
{{- if ne $mode "NONE" }}
  - name: {{ if $cni }}istio-validation{{ else }}istio-init{{ end }}
    image: {{ .ProxyImage | quote }}
    args:
    - istio-iptables
    - "-p"
    - "15001"
    - "-z"
    - "15006"
    - "-u"
    - {{ if $tproxy }}"1337"{{ else }}{{ .ProxyUID | default 1337 | quote }}{{ end }}
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
    - {{ printf "--log_output_level=%s" (annotation .ObjectMeta `sidecar.istio.io/agentLogLevel` .Values.global.logging.level) | quote }}
{{- if $cni }}
    - "--run-validation"
    - "--skip-rule-apply"
{{- end }}
    resources:
{{- template "resources" . }}
    securityContext:
      allowPrivilegeEscalation: false
      privileged: false
{{- if $cni }}
      readOnlyRootFilesystem: true
      runAsGroup: {{ if $tproxy }}1337{{ else }}{{ .ProxyGID | default 1337 }}{{ end }}
      runAsNonRoot: true
      runAsUser: {{ if $tproxy }}1337{{ else }}{{ .ProxyUID | default 1337 }}{{ end }}
      capabilities:
        drop: [ALL]
{{- else }}
      readOnlyRootFilesystem: false
      runAsGroup: 0
      runAsNonRoot: false
      runAsUser: 0
      capabilities:
        add: [NET_ADMIN, NET_RAW]
        drop: [ALL]
{{- end }}
{{- end }}
{{- if not $native }}
  containers:
{{- end }}
  - name: istio-proxy
    image: {{ .ProxyImage | quote }}
{{- if $native }}
    restartPolicy: Always
{{- end }}
    args:
    - proxy
    - sidecar
    - --domain
    - $(POD_NAMESPACE).svc.{{ $proxy.clusterDomain }}
    - {{ printf "--proxyLogLevel=%s" (annotation .ObjectMeta `sidecar.istio.io/logLevel` $proxy.logLevel) | quote }}
    - {{ printf "--proxyComponentLogLevel=%s" (annotation .ObjectMeta `sidecar.istio.io/componentLogLevel` $proxy.componentLogLevel) | quote }}
    - {{ printf "--log_output_level=%s" (annotation .ObjectMeta `sidecar.istio.io/agentLogLevel` .Values.global.logging.level) | quote }}
{{- if $hold }}
    lifecycle:
      postStart:
        exec:
          command: [pilot-agent, wait]
{{- else if $native }}
    lifecycle:
      preStop:
        exec:
          command: [pilot-agent, request, {{ printf "--debug-port=%v" (annotation .ObjectMeta `status.sidecar.istio.io/port` $proxy.statusPort) | quote }}, POST, drain]
{{- end }}
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
{{- $ports := list }}
{{- range .Spec.Containers }}{{ range .Ports }}{{ $ports = append $ports (structToJSON .) }}{{ end }}{{ end }}
    - name: ISTIO_META_POD_PORTS
      value: {{ printf "[%s]" (join "," $ports) | quote }}
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
{{- if index .ObjectMeta.Annotations `sidecar.istio.io/bootstrapOverride` }}
    - name: ISTIO_BOOTSTRAP_OVERRIDE
      value: /etc/istio/custom-bootstrap/custom_bootstrap.json
{{- end }}
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
{{- template "resources" . }}
    securityContext:
      allowPrivilegeEscalation: false
      privileged: false
      readOnlyRootFilesystem: true
{{- if or $tproxy $netBind }}
      runAsNonRoot: false
      runAsUser: 0
      runAsGroup: 1337
      capabilities:
        add:
{{- if $tproxy }}
        - NET_ADMIN
{{- end }}
{{- if $netBind }}
        - NET_BIND_SERVICE
{{- end }}
        drop: [ALL]
{{- else }}
      runAsNonRoot: true
      runAsUser: {{ .ProxyUID | default 1337 }}
      runAsGroup: {{ .ProxyGID | default 1337 }}
      capabilities:
        drop: [ALL]
{{- end }}
    volumeMounts:
    - {name: workload-socket, mountPath: /var/run/secrets/workload-spiffe-uds}
    - {name: credential-socket, mountPath: /var/run/secrets/credential-uds}
    - {name: workload-certs, mountPath: /var/run/secrets/workload-spiffe-credentials}
    - {name: istiod-ca-cert, mountPath: /var/run/secrets/istio}
    - {name: istio-ca-crl, mountPath: /var/run/secrets/istio/crl}
    - {name: istio-data, mountPath: /var/lib/istio/data}
    - {name: istio-envoy, mountPath: /etc/istio/proxy}
    - {name: istio-token, mountPath: /var/run/secrets/tokens}
    - {name: istio-podinfo, mountPath: /etc/istio/pod}
{{- if index .ObjectMeta.Annotations `sidecar.istio.io/bootstrapOverride` }}
    - {name: custom-bootstrap-volume, mountPath: /etc/istio/custom-bootstrap}
{{- end }}
{{- with index .ObjectMeta.Annotations `sidecar.istio.io/userVolumeMount` }}
{{- range $name, $mount := fromJSON . }}
    - name: {{ $name | quote }}
      {{ toYaml $mount | indent 6 }}
{{- end }}
{{- end }}
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
  - name: istio-ca-crl
    configMap: {name: istio-ca-crl, optional: true}
{{- with index .ObjectMeta.Annotations `sidecar.istio.io/bootstrapOverride` }}
  - name: custom-bootstrap-volume
    configMap: {name: {{ . | quote }}}
{{- end }}
{{- with index .ObjectMeta.Annotations `sidecar.istio.io/userVolume` }}
{{- range $name, $volume := fromJSON . }}
  - name: {{ $name | quote }}
    {{ toYaml $volume | indent 4 }}
{{- end }}
{{- end }}
"#;

/// The `gateway` template: a gateway Deployment's `istio-proxy` container (`image: auto`) made a
/// standalone Envoy.
pub const GATEWAY: &str = r#"{{- $apps := list }}
{{- range .Spec.Containers }}{{ if ne .Name "istio-proxy" }}{{ $apps = append $apps .Name }}{{ end }}{{ end }}
{{- $proxy := .Values.global.proxy }}
metadata:
  labels:
    service.istio.io/canonical-name: {{ index .ObjectMeta.Labels `service.istio.io/canonical-name` | default (index .ObjectMeta.Labels `app.kubernetes.io/name`) | default (index .ObjectMeta.Labels `app`) | default .DeploymentMeta.Name | quote }}
    service.istio.io/canonical-revision: {{ index .ObjectMeta.Labels `service.istio.io/canonical-revision` | default (index .ObjectMeta.Labels `app.kubernetes.io/version`) | default (index .ObjectMeta.Labels `version`) | default "latest" | quote }}
  annotations:
    istio.io/rev: {{ .Revision | default "default" | quote }}
{{- if $apps }}
    kubectl.kubernetes.io/default-container: {{ annotation .ObjectMeta `kubectl.kubernetes.io/default-container` (index $apps 0) | quote }}
    kubectl.kubernetes.io/default-logs-container: {{ annotation .ObjectMeta `kubectl.kubernetes.io/default-logs-container` (index $apps 0) | quote }}
{{- end }}
spec:
  securityContext:
    sysctls:
    - {name: net.ipv4.ip_unprivileged_port_start, value: "0"}
  containers:
  - name: istio-proxy
    image: {{ .ProxyImage | quote }}
    ports:
    - containerPort: 15090
      protocol: TCP
      name: http-envoy-prom
    args:
    - proxy
    - router
    - --domain
    - $(POD_NAMESPACE).svc.{{ $proxy.clusterDomain }}
    - {{ printf "--proxyLogLevel=%s" (annotation .ObjectMeta `sidecar.istio.io/logLevel` $proxy.logLevel) | quote }}
    - {{ printf "--proxyComponentLogLevel=%s" (annotation .ObjectMeta `sidecar.istio.io/componentLogLevel` $proxy.componentLogLevel) | quote }}
    - {{ printf "--log_output_level=%s" (annotation .ObjectMeta `sidecar.istio.io/agentLogLevel` .Values.global.logging.level) | quote }}
    securityContext:
      runAsUser: {{ .ProxyUID | default 1337 }}
      runAsGroup: {{ .ProxyGID | default 1337 }}
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
{{- $ports := list }}
{{- range .Spec.Containers }}{{ range .Ports }}{{ $ports = append $ports (structToJSON .) }}{{ end }}{{ end }}
    - name: ISTIO_META_POD_PORTS
      value: {{ printf "[%s]" (join "," $ports) | quote }}
    - name: ISTIO_META_APP_CONTAINERS
      value: {{ join "," $apps | quote }}
    - name: ISTIO_META_CLUSTER_ID
      value: Kubernetes
    - name: ISTIO_META_NODE_NAME
      valueFrom: {fieldRef: {fieldPath: spec.nodeName}}
    - name: ISTIO_META_INTERCEPTION_MODE
      value: {{ .ProxyConfig.InterceptionMode.String | quote }}
{{- if .DeploymentMeta.Name }}
    - name: ISTIO_META_WORKLOAD_NAME
      value: {{ .DeploymentMeta.Name | quote }}
{{- end }}
{{- if and .TypeMeta.APIVersion .DeploymentMeta.Name }}
    - name: ISTIO_META_OWNER
      value: {{ printf "kubernetes://apis/%s/namespaces/%s/%ss/%s" .TypeMeta.APIVersion (.DeploymentMeta.Namespace | default "default") (toLower .TypeMeta.Kind) .DeploymentMeta.Name | quote }}
{{- end }}
    - name: ISTIO_META_MESH_ID
      value: {{ .MeshConfig.TrustDomain | default "cluster.local" | quote }}
    - name: TRUST_DOMAIN
      value: {{ .MeshConfig.TrustDomain | default "cluster.local" | quote }}
{{- range $key, $value := .ProxyConfig.ProxyMetadata }}
    - name: {{ $key }}
      value: {{ $value | quote }}
{{- end }}
    readinessProbe:
      httpGet:
        path: /healthz/ready
        port: 15021
      initialDelaySeconds: 0
      periodSeconds: 15
      timeoutSeconds: 3
      failureThreshold: 4
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

/// The `kube-gateway` template: the objects of a Gateway API `Gateway` of class `istio`.
pub const KUBE_GATEWAY: &str = r#"{{- $proxy := .Values.global.proxy }}
{{- $annotations := omit .InfrastructureAnnotations "kubectl.kubernetes.io/last-applied-configuration" "gateway.istio.io/name-override" "gateway.istio.io/service-account" "gateway.istio.io/controller-version" }}
{{- $labels := strdict "gateway.networking.k8s.io/gateway-name" .Name "gateway.networking.k8s.io/gateway-class-name" .GatewayClass }}
{{- $managed := strdict "gateway.istio.io/managed" "istio.io-gateway-controller" }}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ .ServiceAccount | quote }}
  namespace: {{ .Namespace | quote }}
  annotations: {{ toJsonMap $annotations }}
  labels: {{ toJsonMap .InfrastructureLabels $labels }}
{{- if ge .KubeVersion 128 }}
  ownerReferences:
  - {apiVersion: gateway.networking.k8s.io/v1beta1, kind: Gateway, name: {{ .Name | quote }}, uid: {{ .UID | quote }}}
{{- end }}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .DeploymentName | quote }}
  namespace: {{ .Namespace | quote }}
  annotations: {{ toJsonMap $annotations }}
  labels: {{ toJsonMap .InfrastructureLabels $labels $managed }}
  ownerReferences:
  - {apiVersion: gateway.networking.k8s.io/v1beta1, kind: Gateway, name: {{ .Name | quote }}, uid: {{ .UID | quote }}}
spec:
  selector:
    matchLabels: {{ toJsonMap (strdict .GatewayNameLabel .Name) }}
  template:
    metadata:
      annotations: {{ toJsonMap $annotations (strdict "istio.io/rev" (.Revision | default "default") "prometheus.io/path" "/stats/prometheus" "prometheus.io/port" "15020" "prometheus.io/scrape" "true") }}
      labels: {{ toJsonMap (strdict "sidecar.istio.io/inject" "false" "service.istio.io/canonical-name" .DeploymentName "service.istio.io/canonical-revision" "latest") .InfrastructureLabels $labels $managed }}
    spec:
      securityContext:
        sysctls:
        - {name: net.ipv4.ip_unprivileged_port_start, value: "0"}
      serviceAccountName: {{ .ServiceAccount | quote }}
      containers:
      - name: istio-proxy
        image: {{ .ProxyImage | quote }}
        resources:
          requests: {cpu: {{ $proxy.resources.requests.cpu | quote }}, memory: {{ $proxy.resources.requests.memory | quote }}}
          limits: {cpu: {{ $proxy.resources.limits.cpu | quote }}, memory: {{ $proxy.resources.limits.memory | quote }}}
        securityContext:
          allowPrivilegeEscalation: false
          privileged: false
          readOnlyRootFilesystem: true
          runAsNonRoot: true
          runAsUser: {{ .ProxyUID | default 1337 }}
          runAsGroup: {{ .ProxyGID | default 1337 }}
          capabilities:
            drop: [ALL]
        ports:
        - {containerPort: 15020, name: metrics, protocol: TCP}
        - {containerPort: 15021, name: status-port, protocol: TCP}
        - {containerPort: 15090, name: http-envoy-prom, protocol: TCP}
        args:
        - proxy
        - router
        - --domain
        - $(POD_NAMESPACE).svc.{{ $proxy.clusterDomain }}
        - --proxyLogLevel
        - {{ annotation .ObjectMeta `sidecar.istio.io/logLevel` $proxy.logLevel | quote }}
        - --proxyComponentLogLevel
        - {{ annotation .ObjectMeta `sidecar.istio.io/componentLogLevel` $proxy.componentLogLevel | quote }}
        - --log_output_level
        - {{ annotation .ObjectMeta `sidecar.istio.io/agentLogLevel` .Values.global.logging.level | quote }}
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
        - name: PROXY_CONFIG
          value: {{ protoToJSON .ProxyConfig | quote }}
        - name: ISTIO_META_POD_PORTS
          value: "[]"
        - name: ISTIO_META_APP_CONTAINERS
          value: ""
        - name: GOMEMLIMIT
          valueFrom: {resourceFieldRef: {resource: limits.memory}}
        - name: GOMAXPROCS
          valueFrom: {resourceFieldRef: {resource: limits.cpu}}
        - name: ISTIO_META_CLUSTER_ID
          value: {{ .ClusterID | default "Kubernetes" | quote }}
        - name: ISTIO_META_NODE_NAME
          valueFrom: {fieldRef: {fieldPath: spec.nodeName}}
        - name: ISTIO_META_INTERCEPTION_MODE
          value: {{ .ProxyConfig.InterceptionMode.String | quote }}
{{- with index .InfrastructureLabels "topology.istio.io/network" }}
        - name: ISTIO_META_NETWORK
          value: {{ . | quote }}
        - name: ISTIO_META_REQUESTED_NETWORK_VIEW
          value: {{ . | quote }}
{{- end }}
        - name: ISTIO_META_WORKLOAD_NAME
          value: {{ .DeploymentName | quote }}
        - name: ISTIO_META_OWNER
          value: {{ printf "kubernetes://apis/apps/v1/namespaces/%s/deployments/%s" .Namespace .DeploymentName | quote }}
        - name: ISTIO_META_MESH_ID
          value: {{ .MeshConfig.TrustDomain | default "cluster.local" | quote }}
        - name: TRUST_DOMAIN
          value: {{ .MeshConfig.TrustDomain | default "cluster.local" | quote }}
{{- range $key, $value := .ProxyConfig.ProxyMetadata }}
        - name: {{ $key }}
          value: {{ $value | quote }}
{{- end }}
        startupProbe:
          httpGet: {path: /healthz/ready, port: 15021, scheme: HTTP}
          initialDelaySeconds: 1
          periodSeconds: 1
          timeoutSeconds: 1
          successThreshold: 1
          failureThreshold: 30
        readinessProbe:
          httpGet: {path: /healthz/ready, port: 15021, scheme: HTTP}
          initialDelaySeconds: 0
          periodSeconds: 15
          timeoutSeconds: 1
          successThreshold: 1
          failureThreshold: 4
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
---
apiVersion: v1
kind: Service
metadata:
  name: {{ .DeploymentName | quote }}
  namespace: {{ .Namespace | quote }}
  annotations: {{ toJsonMap $annotations }}
  labels: {{ toJsonMap .InfrastructureLabels $labels }}
  ownerReferences:
  - {apiVersion: gateway.networking.k8s.io/v1beta1, kind: Gateway, name: {{ .Name | quote }}, uid: {{ .UID | quote }}}
spec:
  ipFamilyPolicy: PreferDualStack
  ports:
{{- range .Ports }}
  - {name: {{ .Name | quote }}, port: {{ .Port }}, protocol: TCP, appProtocol: {{ .AppProtocol }}}
{{- end }}
  selector: {{ toJsonMap (strdict .GatewayNameLabel .Name) }}
{{- if and .Spec.Addresses (eq .ServiceType "LoadBalancer") }}
  loadBalancerIP: {{ (index .Spec.Addresses 0).Value | quote }}
{{- end }}
  type: {{ .ServiceType | quote }}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ .DeploymentName | quote }}
  namespace: {{ .Namespace | quote }}
  annotations: {{ toJsonMap $annotations }}
  labels: {{ toJsonMap .InfrastructureLabels $labels }}
  ownerReferences:
  - {apiVersion: gateway.networking.k8s.io/v1beta1, kind: Gateway, name: {{ .Name | quote }}, uid: {{ .UID | quote }}}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: {{ .DeploymentName | quote }}}
  maxReplicas: 1
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ .DeploymentName | quote }}
  namespace: {{ .Namespace | quote }}
  annotations: {{ toJsonMap $annotations }}
  labels: {{ toJsonMap .InfrastructureLabels $labels }}
  ownerReferences:
  - {apiVersion: gateway.networking.k8s.io/v1beta1, kind: Gateway, name: {{ .Name | quote }}, uid: {{ .UID | quote }}}
spec:
  selector:
    matchLabels: {{ toJsonMap (strdict "gateway.networking.k8s.io/gateway-name" .Name) }}
"#;

/// The `waypoint` template: the objects of a Gateway API `Gateway` of class `istio-waypoint`.
pub const WAYPOINT: &str = r#"{{- $proxy := .Values.global.proxy }}
{{- $waypoint := .Values.global.waypoint }}
{{- $annotations := omit .InfrastructureAnnotations "kubectl.kubernetes.io/last-applied-configuration" "gateway.istio.io/name-override" "gateway.istio.io/service-account" "gateway.istio.io/controller-version" }}
{{- $labels := strdict "gateway.networking.k8s.io/gateway-name" .Name "gateway.networking.k8s.io/gateway-class-name" .GatewayClass }}
{{- $managed := strdict "gateway.istio.io/managed" .ControllerLabel }}
{{- $network := index .InfrastructureLabels "topology.istio.io/network" | default .Values.global.network }}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ .ServiceAccount | quote }}
  namespace: {{ .Namespace | quote }}
  annotations: {{ toJsonMap $annotations }}
  labels: {{ toJsonMap .InfrastructureLabels $labels }}
{{- if ge .KubeVersion 128 }}
  ownerReferences:
  - {apiVersion: gateway.networking.k8s.io/v1beta1, kind: Gateway, name: {{ .Name | quote }}, uid: {{ .UID | quote }}}
{{- end }}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .DeploymentName | quote }}
  namespace: {{ .Namespace | quote }}
  annotations: {{ toJsonMap $annotations }}
  labels: {{ toJsonMap .InfrastructureLabels $labels $managed }}
  ownerReferences:
  - {apiVersion: gateway.networking.k8s.io/v1beta1, kind: Gateway, name: {{ .Name | quote }}, uid: {{ .UID | quote }}}
spec:
  selector:
    matchLabels: {{ toJsonMap (strdict .GatewayNameLabel .Name) }}
  template:
    metadata:
      annotations: {{ toJsonMap $annotations (strdict "istio.io/rev" (.Revision | default "default") "prometheus.io/path" "/stats/prometheus" "prometheus.io/port" "15020" "prometheus.io/scrape" "true") }}
      labels: {{ toJsonMap (strdict "sidecar.istio.io/inject" "false" "istio.io/dataplane-mode" "none" "service.istio.io/canonical-name" .DeploymentName "service.istio.io/canonical-revision" "latest") .InfrastructureLabels $labels $managed }}
    spec:
      serviceAccountName: {{ .ServiceAccount | quote }}
      containers:
      - name: istio-proxy
        image: {{ .ProxyImage | quote }}
        ports:
        - {containerPort: 15020, name: metrics, protocol: TCP}
        - {containerPort: 15021, name: status-port, protocol: TCP}
        - {containerPort: 15090, name: http-envoy-prom, protocol: TCP}
        args:
        - proxy
        - waypoint
        - --domain
        - $(POD_NAMESPACE).svc.{{ $proxy.clusterDomain }}
        - --serviceCluster
        - {{ .ServiceAccount }}.$(POD_NAMESPACE)
        - --proxyLogLevel
        - {{ annotation .ObjectMeta `sidecar.istio.io/logLevel` $proxy.logLevel | quote }}
        - --proxyComponentLogLevel
        - {{ annotation .ObjectMeta `sidecar.istio.io/componentLogLevel` $proxy.componentLogLevel | quote }}
        - --log_output_level
        - {{ annotation .ObjectMeta `sidecar.istio.io/agentLogLevel` .Values.global.logging.level | quote }}
        env:
        - name: ISTIO_META_SERVICE_ACCOUNT
          valueFrom: {fieldRef: {fieldPath: spec.serviceAccountName}}
        - name: ISTIO_META_NODE_NAME
          valueFrom: {fieldRef: {fieldPath: spec.nodeName}}
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
        - name: PROXY_CONFIG
          value: {{ protoToJSON .ProxyConfig | quote }}
{{- range $key, $value := .ProxyConfig.ProxyMetadata }}
        - name: {{ $key }}
          value: {{ $value | quote }}
{{- end }}
        - name: GOMEMLIMIT
          valueFrom: {resourceFieldRef: {resource: limits.memory}}
        - name: GOMAXPROCS
          valueFrom: {resourceFieldRef: {resource: limits.cpu}}
        - name: ISTIO_META_CLUSTER_ID
          value: {{ .ClusterID | default "Kubernetes" | quote }}
{{- if $network }}
        - name: ISTIO_META_NETWORK
          value: {{ $network | quote }}
{{- end }}
        - name: ISTIO_META_INTERCEPTION_MODE
          value: REDIRECT
        - name: ISTIO_META_WORKLOAD_NAME
          value: {{ .DeploymentName | quote }}
        - name: ISTIO_META_OWNER
          value: {{ printf "kubernetes://apis/apps/v1/namespaces/%s/deployments/%s" .Namespace .DeploymentName | quote }}
        - name: ISTIO_META_MESH_ID
          value: {{ .MeshConfig.TrustDomain | default "cluster.local" | quote }}
        - name: TRUST_DOMAIN
          value: {{ .MeshConfig.TrustDomain | default "cluster.local" | quote }}
        resources:
          requests: {cpu: {{ $waypoint.resources.requests.cpu | quote }}, memory: {{ $waypoint.resources.requests.memory | quote }}}
          limits: {cpu: {{ $waypoint.resources.limits.cpu | quote }}, memory: {{ $waypoint.resources.limits.memory | quote }}}
        startupProbe:
          httpGet: {path: /healthz/ready, port: 15021, scheme: HTTP}
          initialDelaySeconds: 1
          periodSeconds: 1
          timeoutSeconds: 1
          successThreshold: 1
          failureThreshold: 30
        readinessProbe:
          httpGet: {path: /healthz/ready, port: 15021, scheme: HTTP}
          initialDelaySeconds: 0
          periodSeconds: 15
          timeoutSeconds: 1
          successThreshold: 1
          failureThreshold: 4
        securityContext:
          allowPrivilegeEscalation: false
          privileged: false
          readOnlyRootFilesystem: true
          runAsNonRoot: true
          runAsUser: 1337
          runAsGroup: 1337
          capabilities:
            drop: [ALL]
        volumeMounts:
        - {name: workload-socket, mountPath: /var/run/secrets/workload-spiffe-uds}
        - {name: istiod-ca-cert, mountPath: /var/run/secrets/istio}
        - {name: istio-data, mountPath: /var/lib/istio/data}
        - {name: istio-envoy, mountPath: /etc/istio/proxy}
        - {name: istio-token, mountPath: /var/run/secrets/tokens}
        - {name: istio-podinfo, mountPath: /etc/istio/pod}
      volumes:
      - {name: workload-socket, emptyDir: {}}
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
---
apiVersion: v1
kind: Service
metadata:
  name: {{ .DeploymentName | quote }}
  namespace: {{ .Namespace | quote }}
  annotations: {{ toJsonMap (strdict "networking.istio.io/traffic-distribution" "PreferClose") $annotations }}
  labels: {{ toJsonMap .InfrastructureLabels $labels }}
  ownerReferences:
  - {apiVersion: gateway.networking.k8s.io/v1beta1, kind: Gateway, name: {{ .Name | quote }}, uid: {{ .UID | quote }}}
spec:
  ipFamilyPolicy: PreferDualStack
  ports:
{{- range .Ports }}
  - {name: {{ .Name | quote }}, port: {{ .Port }}, protocol: TCP, appProtocol: {{ .AppProtocol }}}
{{- end }}
  selector: {{ toJsonMap (strdict .GatewayNameLabel .Name) }}
{{- if and .Spec.Addresses (eq .ServiceType "LoadBalancer") }}
  loadBalancerIP: {{ (index .Spec.Addresses 0).Value | quote }}
{{- end }}
  type: {{ .ServiceType | quote }}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ .DeploymentName | quote }}
  namespace: {{ .Namespace | quote }}
  annotations: {{ toJsonMap $annotations }}
  labels: {{ toJsonMap .InfrastructureLabels $labels }}
  ownerReferences:
  - {apiVersion: gateway.networking.k8s.io/v1beta1, kind: Gateway, name: {{ .Name | quote }}, uid: {{ .UID | quote }}}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: {{ .DeploymentName | quote }}}
  maxReplicas: 1
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ .DeploymentName | quote }}
  namespace: {{ .Namespace | quote }}
  annotations: {{ toJsonMap $annotations }}
  labels: {{ toJsonMap .InfrastructureLabels $labels }}
  ownerReferences:
  - {apiVersion: gateway.networking.k8s.io/v1beta1, kind: Gateway, name: {{ .Name | quote }}, uid: {{ .UID | quote }}}
spec:
  selector:
    matchLabels: {{ toJsonMap (strdict "gateway.networking.k8s.io/gateway-name" .Name) }}
"#;

/// The `grpc-agent` template: proxyless gRPC with Istio's agent beside the application.
pub const GRPC_AGENT: &str = r#"{{- define "resources" }}
{{- $a := .ObjectMeta.Annotations }}
{{- if or (isset $a `sidecar.istio.io/proxyCPU`) (isset $a `sidecar.istio.io/proxyMemory`) (isset $a `sidecar.istio.io/proxyCPULimit`) (isset $a `sidecar.istio.io/proxyMemoryLimit`) }}
{{- if or (isset $a `sidecar.istio.io/proxyCPU`) (isset $a `sidecar.istio.io/proxyMemory`) }}
      requests:
{{- if isset $a `sidecar.istio.io/proxyCPU` }}
        cpu: {{ index $a `sidecar.istio.io/proxyCPU` | quote }}
{{- end }}
{{- if isset $a `sidecar.istio.io/proxyMemory` }}
        memory: {{ index $a `sidecar.istio.io/proxyMemory` | quote }}
{{- end }}
{{- end }}
{{- if or (isset $a `sidecar.istio.io/proxyCPULimit`) (isset $a `sidecar.istio.io/proxyMemoryLimit`) }}
      limits:
{{- if isset $a `sidecar.istio.io/proxyCPULimit` }}
        cpu: {{ index $a `sidecar.istio.io/proxyCPULimit` | quote }}
{{- end }}
{{- if isset $a `sidecar.istio.io/proxyMemoryLimit` }}
        memory: {{ index $a `sidecar.istio.io/proxyMemoryLimit` | quote }}
{{- end }}
{{- end }}
{{- else }}
      requests: {cpu: {{ .Values.global.proxy.resources.requests.cpu | quote }}, memory: {{ .Values.global.proxy.resources.requests.memory | quote }}}
      limits: {cpu: {{ .Values.global.proxy.resources.limits.cpu | quote }}, memory: {{ .Values.global.proxy.resources.limits.memory | quote }}}
{{- end }}
{{- end }}
{{- $apps := list }}
{{- range .Spec.Containers }}{{ if ne .Name "istio-proxy" }}{{ $apps = append $apps .Name }}{{ end }}{{ end }}
{{- $proxy := .Values.global.proxy }}
{{- $statusPort := annotation .ObjectMeta `status.sidecar.istio.io/port` $proxy.statusPort | toString }}
metadata:
  labels:
    service.istio.io/canonical-name: {{ index .ObjectMeta.Labels `service.istio.io/canonical-name` | default (index .ObjectMeta.Labels `app.kubernetes.io/name`) | default (index .ObjectMeta.Labels `app`) | default .DeploymentMeta.Name | quote }}
    service.istio.io/canonical-revision: {{ index .ObjectMeta.Labels `service.istio.io/canonical-revision` | default (index .ObjectMeta.Labels `app.kubernetes.io/version`) | default (index .ObjectMeta.Labels `version`) | default "latest" | quote }}
  annotations:
    istio.io/rev: {{ .Revision | default "default" | quote }}
{{- if $apps }}
    kubectl.kubernetes.io/default-container: {{ annotation .ObjectMeta `kubectl.kubernetes.io/default-container` (index $apps 0) | quote }}
    kubectl.kubernetes.io/default-logs-container: {{ annotation .ObjectMeta `kubectl.kubernetes.io/default-logs-container` (index $apps 0) | quote }}
{{- end }}
    sidecar.istio.io/rewriteAppHTTPProbers: "false"
spec:
  containers:
  - name: istio-proxy
    image: {{ .ProxyImage | quote }}
    ports:
    - {containerPort: 15020, protocol: TCP, name: mesh-metrics}
    args:
    - proxy
    - sidecar
    - --domain
    - $(POD_NAMESPACE).svc.{{ $proxy.clusterDomain }}
    - {{ printf "--proxyLogLevel=%s" (annotation .ObjectMeta `sidecar.istio.io/logLevel` $proxy.logLevel) | quote }}
    - {{ printf "--proxyComponentLogLevel=%s" (annotation .ObjectMeta `sidecar.istio.io/componentLogLevel` $proxy.componentLogLevel) | quote }}
    - {{ printf "--log_output_level=%s" (annotation .ObjectMeta `sidecar.istio.io/agentLogLevel` .Values.global.logging.level) | quote }}
    lifecycle:
      postStart:
        exec:
          command: [pilot-agent, wait, "--url=http://localhost:15020/healthz/ready"]
    env:
    - name: ISTIO_META_GENERATOR
      value: grpc
    - name: OUTPUT_CERTS
      value: /var/lib/istio/data
{{- if eq .InboundTrafficPolicyMode "localhost" }}
    - name: REWRITE_PROBE_LEGACY_LOCALHOST_DESTINATION
      value: "true"
{{- end }}
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
    - name: PROXY_CONFIG
      value: {{ protoToJSON .ProxyConfig | quote }}
{{- $ports := list }}
{{- range .Spec.Containers }}{{ range .Ports }}{{ $ports = append $ports (structToJSON .) }}{{ end }}{{ end }}
    - name: ISTIO_META_POD_PORTS
      value: {{ printf "[%s]" (join "," $ports) | quote }}
    - name: ISTIO_META_APP_CONTAINERS
      value: {{ join "," $apps | quote }}
    - name: ISTIO_META_CLUSTER_ID
      value: Kubernetes
    - name: ISTIO_META_NODE_NAME
      valueFrom: {fieldRef: {fieldPath: spec.nodeName}}
{{- if .DeploymentMeta.Name }}
    - name: ISTIO_META_WORKLOAD_NAME
      value: {{ .DeploymentMeta.Name | quote }}
{{- end }}
{{- if and .TypeMeta.APIVersion .DeploymentMeta.Name }}
    - name: ISTIO_META_OWNER
      value: {{ printf "kubernetes://apis/%s/namespaces/%s/%ss/%s" .TypeMeta.APIVersion (.DeploymentMeta.Namespace | default "default") (toLower .TypeMeta.Kind) .DeploymentMeta.Name | quote }}
{{- end }}
    - name: ISTIO_META_MESH_ID
      value: {{ .MeshConfig.TrustDomain | default "cluster.local" | quote }}
    - name: TRUST_DOMAIN
      value: {{ .MeshConfig.TrustDomain | default "cluster.local" | quote }}
{{- range $key, $value := .ProxyConfig.ProxyMetadata }}
    - name: {{ $key }}
      value: {{ $value | quote }}
{{- end }}
    - name: ISTIO_META_DNS_CAPTURE
      value: "false"
    - name: DISABLE_ENVOY
      value: "true"
{{- if ne $statusPort "0" }}
    readinessProbe:
      httpGet:
        path: /healthz/ready
        port: 15020
      initialDelaySeconds: {{ annotation .ObjectMeta `readiness.status.sidecar.istio.io/initialDelaySeconds` 0 }}
      periodSeconds: {{ annotation .ObjectMeta `readiness.status.sidecar.istio.io/periodSeconds` 15 }}
      timeoutSeconds: 3
      failureThreshold: {{ annotation .ObjectMeta `readiness.status.sidecar.istio.io/failureThreshold` 4 }}
{{- end }}
    resources:
{{- template "resources" . }}
    volumeMounts:
    - {name: workload-socket, mountPath: /var/run/secrets/workload-spiffe-uds}
    - {name: workload-certs, mountPath: /var/run/secrets/workload-spiffe-credentials}
    - {name: istiod-ca-cert, mountPath: /var/run/secrets/istio}
    - {name: istio-data, mountPath: /var/lib/istio/data}
    - {name: istio-xds, mountPath: /etc/istio/proxy}
    - {name: istio-token, mountPath: /var/run/secrets/tokens}
    - {name: istio-podinfo, mountPath: /etc/istio/pod}
{{- range $apps }}
  - name: {{ . }}
    env:
    - {name: GRPC_XDS_EXPERIMENTAL_SECURITY_SUPPORT, value: "true"}
    - {name: GRPC_XDS_BOOTSTRAP, value: /etc/istio/proxy/grpc-bootstrap.json}
    volumeMounts:
    - {name: istio-data, mountPath: /var/lib/istio/data}
    - {name: istio-xds, mountPath: /etc/istio/proxy}
    - {name: workload-certs, mountPath: /var/run/secrets/workload-spiffe-credentials}
{{- end }}
  volumes:
  - {name: workload-socket, emptyDir: {}}
  - {name: workload-certs, emptyDir: {}}
  - {name: istio-xds, emptyDir: {medium: Memory}}
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

/// The `grpc-simple` template: proxyless gRPC reading an xDS bootstrap written at pod start.
pub const GRPC_SIMPLE: &str = r#"metadata:
  annotations:
    sidecar.istio.io/rewriteAppHTTPProbers: "false"
spec:
  initContainers:
  - name: grpc-bootstrap-init
    image: busybox:1.28
    volumeMounts:
    - {name: grpc-io-proxyless-bootstrap, mountPath: /var/lib/grpc/data/}
    env:
    - name: INSTANCE_IP
      valueFrom: {fieldRef: {fieldPath: status.podIP}}
    - name: POD_NAME
      valueFrom: {fieldRef: {fieldPath: metadata.name}}
    - name: POD_NAMESPACE
      valueFrom: {fieldRef: {fieldPath: metadata.namespace}}
    - name: ISTIO_NAMESPACE
      value: {{ .Values.global.istioNamespace | quote }}
    command:
    - sh
    - -c
    - |-
      NODE_ID="sidecar~${INSTANCE_IP}~${POD_NAME}.${POD_NAMESPACE}~cluster.local"
      SERVER_URI="dns:///istiod.${ISTIO_NAMESPACE}.svc:15010"
      cat > /var/lib/grpc/data/bootstrap.json <<EOF
      {"xds_servers": [{"server_uri": "${SERVER_URI}", "channel_creds": [{"type": "insecure"}], "server_features": ["xds_v3"]}],
       "node": {"id": "${NODE_ID}", "metadata": {"GENERATOR": "grpc"}}}
      EOF
  containers:
{{- range .Spec.Containers }}
  - name: {{ .Name }}
    env:
    - {name: GRPC_XDS_BOOTSTRAP, value: /var/lib/grpc/data/bootstrap.json}
    - {name: GRPC_GO_LOG_VERBOSITY_LEVEL, value: "99"}
    - {name: GRPC_GO_LOG_SEVERITY_LEVEL, value: info}
    volumeMounts:
    - {name: grpc-io-proxyless-bootstrap, mountPath: /var/lib/grpc/data/}
{{- end }}
  volumes:
  - {name: grpc-io-proxyless-bootstrap, emptyDir: {}}
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::install::manifest::{Settings, injection_values};
    use crate::install::profile::Profile;

    /// The actions (`{{ ... }}`) of a template, trimmed of `-` and spaces; `Err` at an unclosed
    /// one. (`}}` outside an action is text: YAML flow mappings end so.)
    fn actions(text: &str) -> Result<Vec<&str>, String> {
        let mut out = Vec::new();
        let mut rest = text;
        while let Some(open) = rest.find("{{") {
            let after = &rest[open + 2..];
            let close = after
                .find("}}")
                .ok_or_else(|| format!("unclosed {{{{ at {:?}", &after[..after.len().min(40)]))?;
            let inner = &after[..close];
            if inner.contains("{{") {
                return Err(format!("nested {{{{ in {inner:?}"));
            }
            out.push(inner.trim_matches(|c: char| c == '-' || c.is_whitespace()));
            rest = &after[close + 2..];
        }
        Ok(out)
    }

    #[test]
    fn every_template_is_registered_under_istios_name() {
        let names: Vec<&str> = TEMPLATES.iter().map(|(n, _)| *n).collect();
        assert_eq!(
            names,
            [
                "sidecar",
                "gateway",
                "kube-gateway",
                "waypoint",
                "grpc-agent",
                "grpc-simple"
            ]
        );
        for (name, text) in TEMPLATES {
            assert!(!text.trim().is_empty(), "{name}");
        }
    }

    #[test]
    fn actions_are_closed_and_blocks_ended() {
        for (name, text) in TEMPLATES {
            let actions = actions(text).unwrap_or_else(|e| panic!("{name}: {e}"));
            let mut depth = 0i32;
            for a in &actions {
                let word = a.split_whitespace().next().unwrap_or("");
                match word {
                    "if" | "range" | "with" | "define" | "block" => depth += 1,
                    "end" => depth -= 1,
                    _ => {}
                }
                assert!(depth >= 0, "{name}: `end` without a block at {a:?}");
            }
            assert_eq!(depth, 0, "{name}: {depth} blocks not ended");
        }
        // The scanner finds what is wrong.
        assert!(actions("a: {{ .X }").is_err());
        assert!(actions("a: {{ .X {{ .Y }}").is_err());
        assert_eq!(actions("a: {b: {{- .X }}}"), Ok(vec![".X"]));
    }

    /// Every `.Values` path a template reads (directly or through `$proxy`/`$waypoint`) is in
    /// the values meshctl writes into the injection ConfigMap, so no template renders `<no
    /// value>` or an empty field.
    #[test]
    fn the_values_the_templates_read_are_there() {
        let values = injection_values(&Settings::profile(Profile::Demo));
        let aliases = [
            (".Values.", ""),
            ("$proxy.", "global.proxy."),
            ("$waypoint.", "global.waypoint."),
        ];
        let mut checked = 0;
        for (name, text) in TEMPLATES {
            for (marker, prefix) in aliases {
                for (at, _) in text.match_indices(marker) {
                    let tail = &text[at + marker.len()..];
                    let end = tail
                        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '_'))
                        .unwrap_or(tail.len());
                    let path = format!("{prefix}{}", tail[..end].trim_end_matches('.'));
                    let found = path
                        .split('.')
                        .try_fold(&values, |v, key| v.get(key))
                        .is_some();
                    assert!(found, "{name} reads {path}, not in the injection values");
                    checked += 1;
                }
            }
        }
        assert!(checked > 40, "{checked}");
    }

    #[test]
    fn gateway_class_templates_render_objects_pod_templates_pod_fields() {
        let kinds = |text: &str| {
            text.lines()
                .filter_map(|l| l.strip_prefix("kind: "))
                .map(str::to_string)
                .collect::<Vec<_>>()
        };
        for text in [KUBE_GATEWAY, WAYPOINT] {
            assert_eq!(
                kinds(text),
                [
                    "ServiceAccount",
                    "Deployment",
                    "Service",
                    "HorizontalPodAutoscaler",
                    "PodDisruptionBudget"
                ]
            );
            assert_eq!(text.matches("\n---\n").count(), 4);
            // Every object is owned by its Gateway, so it goes when the Gateway goes.
            assert_eq!(text.matches("kind: Gateway, name:").count(), 5);
        }
        assert!(KUBE_GATEWAY.contains("- router\n") && WAYPOINT.contains("- waypoint\n"));
        for text in [SIDECAR, GATEWAY, GRPC_AGENT, GRPC_SIMPLE] {
            assert!(kinds(text).is_empty());
            assert!(text.contains("\nspec:\n"));
        }
        // The sidecar is a native one (an init container that keeps running) when istiod or
        // the pod says so, and waits for the proxy otherwise when asked to.
        assert!(SIDECAR.contains("restartPolicy: Always") && SIDECAR.contains("NativeSidecars"));
        assert!(SIDECAR.contains("command: [pilot-agent, wait]"));
        assert!(SIDECAR.contains("ISTIO_META_POD_PORTS") && SIDECAR.contains("istio-ca-crl"));
        for annotation in [
            "userVolume",
            "userVolumeMount",
            "bootstrapOverride",
            "agentLogLevel",
        ] {
            assert!(
                SIDECAR.contains(&format!("`sidecar.istio.io/{annotation}`")),
                "{annotation}"
            );
        }
        // An injected gateway is a standalone Envoy: no traffic redirection.
        assert!(!GATEWAY.contains("istio-init") && GATEWAY.contains("- router\n"));
        assert!(GRPC_AGENT.contains("DISABLE_ENVOY"));
    }
}
