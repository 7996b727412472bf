//! Kubernetes built-in kinds that meshctl reads: Service, Pod and the workload controllers
//! (Deployment, StatefulSet, DaemonSet, ReplicaSet), Namespace, ConfigMap, Secret and the
//! admission webhook configurations.
//!
//! The field sets follow the `core/v1`, `apps/v1` and `admissionregistration/v1` API types, so a
//! real manifest produces no "unknown field" finding while a misspelt one does. The parts
//! analyzers and the routing simulator read (labels, ports, containers, security contexts,
//! selectors) are typed precisely; large subtrees nobody inspects (affinity, most volume
//! sources, `status`) are accepted as any JSON.
//!
//! Built-in kinds decode like Go structs: an absent field and its zero value are the same thing,
//! so fields the API server requires are plain `String`/`Vec` values here and the "Required
//! value" rules live in `check::validate::kube` rather than in `REQUIRED` flags.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::model::ObjectMeta;
use crate::model::schema::{IntOrString, IsEmpty, Schema, Ty};
use crate::{api_enum, api_struct};

// ---------------------------------------------------------------------------------------------
// Shared building blocks
// ---------------------------------------------------------------------------------------------

/// A Kubernetes resource quantity (`500m`, `1Gi`, `0.5`, `2`). YAML writers use both numbers and
/// strings, so the raw JSON value is kept; [`Quantity::as_text`] gives its textual form and
/// `check::validate::kube` checks the syntax.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize, serde::Serialize)]
#[serde(transparent)]
pub struct Quantity(pub Value);

impl Quantity {
    /// The quantity as written (numbers are rendered the way YAML wrote them), or `None` when
    /// the value is neither a string nor a number.
    pub fn as_text(&self) -> Option<String> {
        match &self.0 {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }
}

impl Schema for Quantity {
    fn ty() -> Ty {
        // Strings and numbers are both accepted; `Ty` has no "number or string", so the
        // validator checks the shape.
        Ty::Any
    }
}

impl IsEmpty for Quantity {
    fn is_empty(&self) -> bool {
        false
    }
}

/// A map of resource names (`cpu`, `memory`, `nvidia.com/gpu`) to quantities.
pub type ResourceList = BTreeMap<String, Quantity>;

api_enum! {
    /// Transport protocol of a port.
    pub enum Protocol {
        Tcp = "TCP",
        Udp = "UDP",
        Sctp = "SCTP",
    }
}

api_struct! {
    /// `metav1.LabelSelector`: all of `matchLabels` and `matchExpressions` must match.
    pub struct LabelSelector {
        match_labels: BTreeMap<String, String> => "matchLabels",
        match_expressions: Vec<LabelSelectorRequirement> => "matchExpressions",
    }
}

api_struct! {
    /// One `matchExpressions` term: `key` `operator` (`In`, `NotIn`, `Exists`,
    /// `DoesNotExist`) `values`.
    pub struct LabelSelectorRequirement {
        key: String => "key",
        operator: String => "operator",
        values: Vec<String> => "values",
    }
}

impl LabelSelector {
    /// Whether the selector selects nothing-in-particular (no terms at all), which Kubernetes
    /// treats as "matches everything" for most kinds and rejects for workload controllers.
    pub fn is_empty_selector(&self) -> bool {
        self.match_labels.is_empty() && self.match_expressions.is_empty()
    }

    /// Whether `labels` satisfy every term (Kubernetes `LabelSelectorAsSelector().Matches`).
    /// Terms with an unknown operator match nothing.
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.match_labels
            .iter()
            .all(|(k, v)| labels.get(k) == Some(v))
            && self.match_expressions.iter().all(|e| {
                let value = labels.get(&e.key);
                match e.operator.as_str() {
                    "In" => value.is_some_and(|v| e.values.contains(v)),
                    "NotIn" => value.is_none_or(|v| !e.values.contains(v)),
                    "Exists" => value.is_some(),
                    "DoesNotExist" => value.is_none(),
                    _ => false,
                }
            })
    }
}

api_struct! {
    /// A reference to an object in the same namespace by name.
    pub struct LocalObjectReference {
        name: String => "name",
    }
}

// ---------------------------------------------------------------------------------------------
// Service
// ---------------------------------------------------------------------------------------------

api_struct! {
    /// A `v1` Service.
    pub struct ServiceObject {
        api_version: String => "apiVersion",
        kind: String => "kind",
        metadata: ObjectMeta => "metadata",
        spec: Option<ServiceSpec> => "spec",
        status: Option<Value> => "status",
    }
}

api_enum! {
    pub enum ServiceType {
        ClusterIp = "ClusterIP",
        NodePort = "NodePort",
        LoadBalancer = "LoadBalancer",
        ExternalName = "ExternalName",
    }
}

api_enum! {
    pub enum SessionAffinity {
        NoAffinity = "None",
        ClientIp = "ClientIP",
    }
}

api_enum! {
    /// `externalTrafficPolicy` and `internalTrafficPolicy`.
    pub enum TrafficPolicy {
        Cluster = "Cluster",
        Local = "Local",
    }
}

api_enum! {
    pub enum IpFamilyPolicy {
        SingleStack = "SingleStack",
        PreferDualStack = "PreferDualStack",
        RequireDualStack = "RequireDualStack",
    }
}

api_enum! {
    pub enum IpFamily {
        IPv4 = "IPv4",
        IPv6 = "IPv6",
    }
}

api_struct! {
    pub struct ServiceSpec {
        ports: Vec<ServicePort> => "ports",
        selector: BTreeMap<String, String> => "selector",
        cluster_ip: Option<String> => "clusterIP",
        cluster_ips: Vec<String> => "clusterIPs",
        r#type: Option<ServiceType> => "type",
        external_ips: Vec<String> => "externalIPs",
        session_affinity: Option<SessionAffinity> => "sessionAffinity",
        load_balancer_ip: Option<String> => "loadBalancerIP",
        load_balancer_source_ranges: Vec<String> => "loadBalancerSourceRanges",
        external_name: Option<String> => "externalName",
        external_traffic_policy: Option<TrafficPolicy> => "externalTrafficPolicy",
        health_check_node_port: Option<i32> => "healthCheckNodePort",
        publish_not_ready_addresses: Option<bool> => "publishNotReadyAddresses",
        session_affinity_config: Option<SessionAffinityConfig> => "sessionAffinityConfig",
        ip_families: Vec<IpFamily> => "ipFamilies",
        ip_family_policy: Option<IpFamilyPolicy> => "ipFamilyPolicy",
        allocate_load_balancer_node_ports: Option<bool> => "allocateLoadBalancerNodePorts",
        load_balancer_class: Option<String> => "loadBalancerClass",
        internal_traffic_policy: Option<TrafficPolicy> => "internalTrafficPolicy",
        traffic_distribution: Option<String> => "trafficDistribution",
    }
}

impl ServiceSpec {
    /// The service type, defaulting to `ClusterIP` as the API server does.
    pub fn service_type(&self) -> ServiceType {
        self.r#type.unwrap_or(ServiceType::ClusterIp)
    }

    /// A headless service (`clusterIP: None`).
    pub fn is_headless(&self) -> bool {
        self.cluster_ip.as_deref() == Some("None")
    }
}

api_struct! {
    pub struct ServicePort {
        name: String => "name",
        protocol: Option<Protocol> => "protocol",
        app_protocol: Option<String> => "appProtocol",
        port: i32 => "port",
        target_port: Option<IntOrString> => "targetPort",
        node_port: Option<i32> => "nodePort",
    }
}

impl ServicePort {
    /// The protocol, defaulting to TCP.
    pub fn protocol(&self) -> Protocol {
        self.protocol.unwrap_or(Protocol::Tcp)
    }
}

api_struct! {
    pub struct SessionAffinityConfig {
        client_ip: Option<ClientIpConfig> => "clientIP",
    }
}

api_struct! {
    pub struct ClientIpConfig {
        timeout_seconds: Option<i32> => "timeoutSeconds",
    }
}

// ---------------------------------------------------------------------------------------------
// Namespace, ConfigMap, Secret
// ---------------------------------------------------------------------------------------------

api_struct! {
    pub struct NamespaceObject {
        api_version: String => "apiVersion",
        kind: String => "kind",
        metadata: ObjectMeta => "metadata",
        spec: Option<NamespaceSpec> => "spec",
        status: Option<Value> => "status",
    }
}

api_struct! {
    pub struct NamespaceSpec {
        finalizers: Vec<String> => "finalizers",
    }
}

api_struct! {
    pub struct ConfigMapObject {
        api_version: String => "apiVersion",
        kind: String => "kind",
        metadata: ObjectMeta => "metadata",
        immutable: Option<bool> => "immutable",
        data: BTreeMap<String, String> => "data",
        /// Base64-encoded values.
        binary_data: BTreeMap<String, String> => "binaryData",
    }
}

api_struct! {
    /// A Secret. Its values are never printed by meshctl: findings name keys only.
    pub struct SecretObject {
        api_version: String => "apiVersion",
        kind: String => "kind",
        metadata: ObjectMeta => "metadata",
        immutable: Option<bool> => "immutable",
        /// Base64-encoded values.
        data: BTreeMap<String, String> => "data",
        string_data: BTreeMap<String, String> => "stringData",
        /// `Opaque`, `kubernetes.io/tls`, … or any custom type.
        r#type: Option<String> => "type",
    }
}

// ---------------------------------------------------------------------------------------------
// Pod and PodSpec
// ---------------------------------------------------------------------------------------------

api_struct! {
    pub struct PodObject {
        api_version: String => "apiVersion",
        kind: String => "kind",
        metadata: ObjectMeta => "metadata",
        spec: Option<PodSpec> => "spec",
        status: Option<Value> => "status",
    }
}

api_struct! {
    /// A pod template of a workload controller.
    pub struct PodTemplateSpec {
        metadata: ObjectMeta => "metadata",
        spec: Option<PodSpec> => "spec",
    }
}

api_enum! {
    pub enum RestartPolicy {
        Always = "Always",
        OnFailure = "OnFailure",
        Never = "Never",
    }
}

api_enum! {
    pub enum DnsPolicy {
        ClusterFirst = "ClusterFirst",
        ClusterFirstWithHostNet = "ClusterFirstWithHostNet",
        Default = "Default",
        NoPolicy = "None",
    }
}

api_enum! {
    pub enum PreemptionPolicy {
        PreemptLowerPriority = "PreemptLowerPriority",
        Never = "Never",
    }
}

api_struct! {
    pub struct PodSpec {
        volumes: Vec<Volume> => "volumes",
        init_containers: Vec<Container> => "initContainers",
        containers: Vec<Container> => "containers",
        /// Ephemeral containers are added through a subresource; the API server rejects them
        /// in a created Pod and in templates, so their content is not modelled.
        ephemeral_containers: Vec<Value> => "ephemeralContainers",
        restart_policy: Option<RestartPolicy> => "restartPolicy",
        termination_grace_period_seconds: Option<i64> => "terminationGracePeriodSeconds",
        active_deadline_seconds: Option<i64> => "activeDeadlineSeconds",
        dns_policy: Option<DnsPolicy> => "dnsPolicy",
        node_selector: BTreeMap<String, String> => "nodeSelector",
        service_account_name: Option<String> => "serviceAccountName",
        /// Deprecated alias of `serviceAccountName`.
        service_account: Option<String> => "serviceAccount",
        automount_service_account_token: Option<bool> => "automountServiceAccountToken",
        node_name: Option<String> => "nodeName",
        host_network: Option<bool> => "hostNetwork",
        host_pid: Option<bool> => "hostPID",
        host_ipc: Option<bool> => "hostIPC",
        share_process_namespace: Option<bool> => "shareProcessNamespace",
        security_context: Option<Box<PodSecurityContext>> => "securityContext",
        image_pull_secrets: Vec<LocalObjectReference> => "imagePullSecrets",
        hostname: Option<String> => "hostname",
        subdomain: Option<String> => "subdomain",
        affinity: Option<Value> => "affinity",
        scheduler_name: Option<String> => "schedulerName",
        tolerations: Vec<Toleration> => "tolerations",
        host_aliases: Vec<HostAlias> => "hostAliases",
        priority_class_name: Option<String> => "priorityClassName",
        priority: Option<i32> => "priority",
        dns_config: Option<Box<PodDnsConfig>> => "dnsConfig",
        readiness_gates: Vec<PodReadinessGate> => "readinessGates",
        runtime_class_name: Option<String> => "runtimeClassName",
        enable_service_links: Option<bool> => "enableServiceLinks",
        preemption_policy: Option<PreemptionPolicy> => "preemptionPolicy",
        overhead: ResourceList => "overhead",
        topology_spread_constraints: Vec<TopologySpreadConstraint> => "topologySpreadConstraints",
        set_hostname_as_fqdn: Option<bool> => "setHostnameAsFQDN",
        os: Option<PodOs> => "os",
        host_users: Option<bool> => "hostUsers",
        scheduling_gates: Vec<PodSchedulingGate> => "schedulingGates",
        resource_claims: Vec<PodResourceClaim> => "resourceClaims",
        resources: Option<Box<ResourceRequirements>> => "resources",
        hostname_override: Option<String> => "hostnameOverride",
        scheduling_group: Option<Value> => "schedulingGroup",
        eviction_responders: Vec<Value> => "evictionResponders",
    }
}

impl PodSpec {
    /// Init containers followed by regular containers, with the field name of their list.
    pub fn all_containers(&self) -> impl Iterator<Item = (&'static str, usize, &Container)> {
        self.init_containers
            .iter()
            .enumerate()
            .map(|(i, c)| ("initContainers", i, c))
            .chain(
                self.containers
                    .iter()
                    .enumerate()
                    .map(|(i, c)| ("containers", i, c)),
            )
    }

    /// The effective service account (`serviceAccountName`, else the deprecated
    /// `serviceAccount`, else `default`).
    pub fn effective_service_account(&self) -> &str {
        self.service_account_name
            .as_deref()
            .filter(|s| !s.is_empty())
            .or(self.service_account.as_deref().filter(|s| !s.is_empty()))
            .unwrap_or("default")
    }
}

api_enum! {
    pub enum PullPolicy {
        Always = "Always",
        Never = "Never",
        IfNotPresent = "IfNotPresent",
    }
}

api_enum! {
    pub enum TerminationMessagePolicy {
        File = "File",
        FallbackToLogsOnError = "FallbackToLogsOnError",
    }
}

api_struct! {
    /// A container (regular or init).
    pub struct Container {
        name: String => "name",
        image: String => "image",
        command: Vec<String> => "command",
        args: Vec<String> => "args",
        working_dir: Option<String> => "workingDir",
        ports: Vec<ContainerPort> => "ports",
        env_from: Vec<EnvFromSource> => "envFrom",
        env: Vec<EnvVar> => "env",
        resources: Option<Box<ResourceRequirements>> => "resources",
        resize_policy: Vec<ContainerResizePolicy> => "resizePolicy",
        /// Only `Always` for init containers (native sidecars).
        restart_policy: Option<String> => "restartPolicy",
        restart_policy_rules: Vec<Value> => "restartPolicyRules",
        volume_mounts: Vec<VolumeMount> => "volumeMounts",
        volume_devices: Vec<VolumeDevice> => "volumeDevices",
        liveness_probe: Option<Box<Probe>> => "livenessProbe",
        readiness_probe: Option<Box<Probe>> => "readinessProbe",
        startup_probe: Option<Box<Probe>> => "startupProbe",
        lifecycle: Option<Box<Lifecycle>> => "lifecycle",
        termination_message_path: Option<String> => "terminationMessagePath",
        termination_message_policy: Option<TerminationMessagePolicy> => "terminationMessagePolicy",
        image_pull_policy: Option<PullPolicy> => "imagePullPolicy",
        security_context: Option<Box<SecurityContext>> => "securityContext",
        stdin: Option<bool> => "stdin",
        stdin_once: Option<bool> => "stdinOnce",
        tty: Option<bool> => "tty",
    }
}

impl Container {
    /// Whether this is a native sidecar (an init container with `restartPolicy: Always`).
    pub fn is_restartable(&self) -> bool {
        self.restart_policy.as_deref() == Some("Always")
    }
}

api_struct! {
    pub struct ContainerPort {
        name: String => "name",
        host_port: Option<i32> => "hostPort",
        container_port: i32 => "containerPort",
        protocol: Option<Protocol> => "protocol",
        host_ip: Option<String> => "hostIP",
    }
}

impl ContainerPort {
    pub fn protocol(&self) -> Protocol {
        self.protocol.unwrap_or(Protocol::Tcp)
    }
}

api_struct! {
    pub struct EnvVar {
        name: String => "name",
        value: Option<String> => "value",
        value_from: Option<EnvVarSource> => "valueFrom",
    }
}

api_struct! {
    pub struct EnvVarSource {
        field_ref: Option<ObjectFieldSelector> => "fieldRef",
        resource_field_ref: Option<ResourceFieldSelector> => "resourceFieldRef",
        config_map_key_ref: Option<KeySelector> => "configMapKeyRef",
        secret_key_ref: Option<KeySelector> => "secretKeyRef",
        file_key_ref: Option<FileKeySelector> => "fileKeyRef",
    }
}

api_struct! {
    pub struct ObjectFieldSelector {
        api_version: Option<String> => "apiVersion",
        field_path: String => "fieldPath",
    }
}

api_struct! {
    pub struct ResourceFieldSelector {
        container_name: Option<String> => "containerName",
        resource: String => "resource",
        divisor: Option<Quantity> => "divisor",
    }
}

api_struct! {
    /// `configMapKeyRef` / `secretKeyRef`.
    pub struct KeySelector {
        name: String => "name",
        key: String => "key",
        optional: Option<bool> => "optional",
    }
}

api_struct! {
    pub struct FileKeySelector {
        volume_name: String => "volumeName",
        path: String => "path",
        key: String => "key",
        optional: Option<bool> => "optional",
    }
}

api_struct! {
    pub struct EnvFromSource {
        prefix: Option<String> => "prefix",
        config_map_ref: Option<EnvSourceRef> => "configMapRef",
        secret_ref: Option<EnvSourceRef> => "secretRef",
    }
}

api_struct! {
    /// `configMapRef` / `secretRef` of `envFrom`.
    pub struct EnvSourceRef {
        name: String => "name",
        optional: Option<bool> => "optional",
    }
}

api_struct! {
    pub struct ResourceRequirements {
        limits: ResourceList => "limits",
        requests: ResourceList => "requests",
        claims: Vec<ResourceClaim> => "claims",
    }
}

api_struct! {
    pub struct ResourceClaim {
        name: String => "name",
        request: Option<String> => "request",
    }
}

api_struct! {
    pub struct ContainerResizePolicy {
        resource_name: String => "resourceName",
        restart_policy: String => "restartPolicy",
    }
}

api_enum! {
    pub enum MountPropagation {
        NoPropagation = "None",
        HostToContainer = "HostToContainer",
        Bidirectional = "Bidirectional",
    }
}

api_enum! {
    pub enum RecursiveReadOnly {
        Disabled = "Disabled",
        IfPossible = "IfPossible",
        Enabled = "Enabled",
    }
}

api_struct! {
    pub struct VolumeMount {
        name: String => "name",
        read_only: Option<bool> => "readOnly",
        recursive_read_only: Option<RecursiveReadOnly> => "recursiveReadOnly",
        mount_path: String => "mountPath",
        sub_path: Option<String> => "subPath",
        mount_propagation: Option<MountPropagation> => "mountPropagation",
        sub_path_expr: Option<String> => "subPathExpr",
        bind_mount_options: Vec<String> => "bindMountOptions",
    }
}

api_struct! {
    pub struct VolumeDevice {
        name: String => "name",
        device_path: String => "devicePath",
    }
}

api_struct! {
    /// A probe: one handler (`exec`, `httpGet`, `tcpSocket`, `grpc`) and its timing.
    pub struct Probe {
        exec: Option<ExecAction> => "exec",
        http_get: Option<HttpGetAction> => "httpGet",
        tcp_socket: Option<TcpSocketAction> => "tcpSocket",
        grpc: Option<GrpcAction> => "grpc",
        initial_delay_seconds: Option<i32> => "initialDelaySeconds",
        timeout_seconds: Option<i32> => "timeoutSeconds",
        period_seconds: Option<i32> => "periodSeconds",
        success_threshold: Option<i32> => "successThreshold",
        failure_threshold: Option<i32> => "failureThreshold",
        termination_grace_period_seconds: Option<i64> => "terminationGracePeriodSeconds",
    }
}

api_struct! {
    pub struct ExecAction {
        command: Vec<String> => "command",
    }
}

api_enum! {
    pub enum UriScheme {
        Http = "HTTP",
        Https = "HTTPS",
    }
}

api_struct! {
    pub struct HttpGetAction {
        path: Option<String> => "path",
        port: Option<IntOrString> => "port",
        host: Option<String> => "host",
        scheme: Option<UriScheme> => "scheme",
        http_headers: Vec<HttpHeader> => "httpHeaders",
        protocol: Option<String> => "protocol",
    }
}

api_struct! {
    pub struct HttpHeader {
        name: String => "name",
        value: String => "value",
    }
}

api_struct! {
    pub struct TcpSocketAction {
        port: Option<IntOrString> => "port",
        host: Option<String> => "host",
    }
}

api_struct! {
    pub struct GrpcAction {
        port: i32 => "port",
        service: Option<String> => "service",
        mode: Option<String> => "mode",
    }
}

api_struct! {
    pub struct SleepAction {
        seconds: i64 => "seconds",
    }
}

api_struct! {
    pub struct Lifecycle {
        post_start: Option<LifecycleHandler> => "postStart",
        pre_stop: Option<LifecycleHandler> => "preStop",
        stop_signal: Option<String> => "stopSignal",
    }
}

api_struct! {
    pub struct LifecycleHandler {
        exec: Option<ExecAction> => "exec",
        http_get: Option<HttpGetAction> => "httpGet",
        tcp_socket: Option<TcpSocketAction> => "tcpSocket",
        sleep: Option<SleepAction> => "sleep",
    }
}

api_enum! {
    pub enum ProcMount {
        Default = "Default",
        Unmasked = "Unmasked",
    }
}

api_struct! {
    /// A container's security context.
    pub struct SecurityContext {
        capabilities: Option<Capabilities> => "capabilities",
        privileged: Option<bool> => "privileged",
        se_linux_options: Option<SeLinuxOptions> => "seLinuxOptions",
        windows_options: Option<WindowsSecurityContextOptions> => "windowsOptions",
        run_as_user: Option<i64> => "runAsUser",
        run_as_group: Option<i64> => "runAsGroup",
        run_as_non_root: Option<bool> => "runAsNonRoot",
        read_only_root_filesystem: Option<bool> => "readOnlyRootFilesystem",
        allow_privilege_escalation: Option<bool> => "allowPrivilegeEscalation",
        proc_mount: Option<ProcMount> => "procMount",
        seccomp_profile: Option<SeccompProfile> => "seccompProfile",
        app_armor_profile: Option<AppArmorProfile> => "appArmorProfile",
    }
}

api_enum! {
    pub enum FsGroupChangePolicy {
        OnRootMismatch = "OnRootMismatch",
        Always = "Always",
    }
}

api_enum! {
    pub enum SupplementalGroupsPolicy {
        Merge = "Merge",
        Strict = "Strict",
    }
}

api_enum! {
    pub enum SeLinuxChangePolicy {
        Recursive = "Recursive",
        MountOption = "MountOption",
    }
}

api_struct! {
    /// The pod-level security context (defaults for every container).
    pub struct PodSecurityContext {
        se_linux_options: Option<SeLinuxOptions> => "seLinuxOptions",
        windows_options: Option<WindowsSecurityContextOptions> => "windowsOptions",
        run_as_user: Option<i64> => "runAsUser",
        run_as_group: Option<i64> => "runAsGroup",
        run_as_non_root: Option<bool> => "runAsNonRoot",
        supplemental_groups: Vec<i64> => "supplementalGroups",
        supplemental_groups_policy: Option<SupplementalGroupsPolicy> => "supplementalGroupsPolicy",
        fs_group: Option<i64> => "fsGroup",
        sysctls: Vec<Sysctl> => "sysctls",
        fs_group_change_policy: Option<FsGroupChangePolicy> => "fsGroupChangePolicy",
        seccomp_profile: Option<SeccompProfile> => "seccompProfile",
        app_armor_profile: Option<AppArmorProfile> => "appArmorProfile",
        se_linux_change_policy: Option<SeLinuxChangePolicy> => "seLinuxChangePolicy",
    }
}

api_struct! {
    pub struct Capabilities {
        add: Vec<String> => "add",
        drop: Vec<String> => "drop",
    }
}

api_enum! {
    pub enum ProfileType {
        RuntimeDefault = "RuntimeDefault",
        Unconfined = "Unconfined",
        Localhost = "Localhost",
    }
}

api_struct! {
    pub struct SeccompProfile {
        r#type: Option<ProfileType> => "type",
        localhost_profile: Option<String> => "localhostProfile",
    }
}

api_struct! {
    pub struct AppArmorProfile {
        r#type: Option<ProfileType> => "type",
        localhost_profile: Option<String> => "localhostProfile",
    }
}

api_struct! {
    pub struct SeLinuxOptions {
        user: Option<String> => "user",
        role: Option<String> => "role",
        r#type: Option<String> => "type",
        level: Option<String> => "level",
    }
}

api_struct! {
    pub struct WindowsSecurityContextOptions {
        gmsa_credential_spec_name: Option<String> => "gmsaCredentialSpecName",
        gmsa_credential_spec: Option<String> => "gmsaCredentialSpec",
        run_as_user_name: Option<String> => "runAsUserName",
        host_process: Option<bool> => "hostProcess",
    }
}

api_struct! {
    pub struct Sysctl {
        name: String => "name",
        value: String => "value",
    }
}

api_enum! {
    pub enum TolerationOperator {
        Exists = "Exists",
        Equal = "Equal",
    }
}

api_enum! {
    pub enum TaintEffect {
        NoSchedule = "NoSchedule",
        PreferNoSchedule = "PreferNoSchedule",
        NoExecute = "NoExecute",
    }
}

api_struct! {
    pub struct Toleration {
        key: Option<String> => "key",
        operator: Option<TolerationOperator> => "operator",
        value: Option<String> => "value",
        effect: Option<TaintEffect> => "effect",
        toleration_seconds: Option<i64> => "tolerationSeconds",
    }
}

api_struct! {
    pub struct HostAlias {
        ip: String => "ip",
        hostnames: Vec<String> => "hostnames",
    }
}

api_struct! {
    pub struct PodDnsConfig {
        nameservers: Vec<String> => "nameservers",
        searches: Vec<String> => "searches",
        options: Vec<PodDnsConfigOption> => "options",
    }
}

api_struct! {
    pub struct PodDnsConfigOption {
        name: Option<String> => "name",
        value: Option<String> => "value",
    }
}

api_struct! {
    pub struct PodReadinessGate {
        condition_type: String => "conditionType",
    }
}

api_enum! {
    pub enum UnsatisfiableConstraintAction {
        DoNotSchedule = "DoNotSchedule",
        ScheduleAnyway = "ScheduleAnyway",
    }
}

api_enum! {
    pub enum NodeInclusionPolicy {
        Honor = "Honor",
        Ignore = "Ignore",
    }
}

api_struct! {
    pub struct TopologySpreadConstraint {
        max_skew: i32 => "maxSkew",
        topology_key: String => "topologyKey",
        when_unsatisfiable: Option<UnsatisfiableConstraintAction> => "whenUnsatisfiable",
        label_selector: Option<LabelSelector> => "labelSelector",
        min_domains: Option<i32> => "minDomains",
        node_affinity_policy: Option<NodeInclusionPolicy> => "nodeAffinityPolicy",
        node_taints_policy: Option<NodeInclusionPolicy> => "nodeTaintsPolicy",
        match_label_keys: Vec<String> => "matchLabelKeys",
    }
}

api_enum! {
    pub enum OsName {
        Linux = "linux",
        Windows = "windows",
    }
}

api_struct! {
    pub struct PodOs {
        name: Option<OsName> => "name",
    }
}

api_struct! {
    pub struct PodSchedulingGate {
        name: String => "name",
    }
}

api_struct! {
    pub struct PodResourceClaim {
        name: String => "name",
        resource_claim_name: Option<String> => "resourceClaimName",
        resource_claim_template_name: Option<String> => "resourceClaimTemplateName",
    }
}

// ---------------------------------------------------------------------------------------------
// Volumes
// ---------------------------------------------------------------------------------------------

api_struct! {
    /// A pod volume: a name and exactly one source. The sources meshctl reads (Secrets,
    /// ConfigMaps, projected tokens, claims) are typed; the storage-driver sources are kept as
    /// any JSON.
    pub struct Volume {
        name: String => "name",
        host_path: Option<HostPathVolumeSource> => "hostPath",
        empty_dir: Option<EmptyDirVolumeSource> => "emptyDir",
        gce_persistent_disk: Option<Value> => "gcePersistentDisk",
        aws_elastic_block_store: Option<Value> => "awsElasticBlockStore",
        git_repo: Option<Value> => "gitRepo",
        secret: Option<SecretVolumeSource> => "secret",
        nfs: Option<Value> => "nfs",
        iscsi: Option<Value> => "iscsi",
        glusterfs: Option<Value> => "glusterfs",
        persistent_volume_claim: Option<PersistentVolumeClaimVolumeSource> => "persistentVolumeClaim",
        rbd: Option<Value> => "rbd",
        flex_volume: Option<Value> => "flexVolume",
        cinder: Option<Value> => "cinder",
        cephfs: Option<Value> => "cephfs",
        flocker: Option<Value> => "flocker",
        downward_api: Option<DownwardApiVolumeSource> => "downwardAPI",
        fc: Option<Value> => "fc",
        azure_file: Option<Value> => "azureFile",
        config_map: Option<ConfigMapVolumeSource> => "configMap",
        vsphere_volume: Option<Value> => "vsphereVolume",
        quobyte: Option<Value> => "quobyte",
        azure_disk: Option<Value> => "azureDisk",
        photon_persistent_disk: Option<Value> => "photonPersistentDisk",
        projected: Option<ProjectedVolumeSource> => "projected",
        portworx_volume: Option<Value> => "portworxVolume",
        scale_io: Option<Value> => "scaleIO",
        storageos: Option<Value> => "storageos",
        csi: Option<CsiVolumeSource> => "csi",
        ephemeral: Option<Value> => "ephemeral",
        image: Option<ImageVolumeSource> => "image",
    }
}

impl Volume {
    /// The JSON names of the sources that are set (exactly one in a valid volume).
    pub fn sources(&self) -> Vec<&'static str> {
        let flags: [(&'static str, bool); 30] = [
            ("hostPath", self.host_path.is_some()),
            ("emptyDir", self.empty_dir.is_some()),
            ("gcePersistentDisk", self.gce_persistent_disk.is_some()),
            (
                "awsElasticBlockStore",
                self.aws_elastic_block_store.is_some(),
            ),
            ("gitRepo", self.git_repo.is_some()),
            ("secret", self.secret.is_some()),
            ("nfs", self.nfs.is_some()),
            ("iscsi", self.iscsi.is_some()),
            ("glusterfs", self.glusterfs.is_some()),
            (
                "persistentVolumeClaim",
                self.persistent_volume_claim.is_some(),
            ),
            ("rbd", self.rbd.is_some()),
            ("flexVolume", self.flex_volume.is_some()),
            ("cinder", self.cinder.is_some()),
            ("cephfs", self.cephfs.is_some()),
            ("flocker", self.flocker.is_some()),
            ("downwardAPI", self.downward_api.is_some()),
            ("fc", self.fc.is_some()),
            ("azureFile", self.azure_file.is_some()),
            ("configMap", self.config_map.is_some()),
            ("vsphereVolume", self.vsphere_volume.is_some()),
            ("quobyte", self.quobyte.is_some()),
            ("azureDisk", self.azure_disk.is_some()),
            (
                "photonPersistentDisk",
                self.photon_persistent_disk.is_some(),
            ),
            ("projected", self.projected.is_some()),
            ("portworxVolume", self.portworx_volume.is_some()),
            ("scaleIO", self.scale_io.is_some()),
            ("storageos", self.storageos.is_some()),
            ("csi", self.csi.is_some()),
            ("ephemeral", self.ephemeral.is_some()),
            ("image", self.image.is_some()),
        ];
        flags
            .into_iter()
            .filter_map(|(name, set)| set.then_some(name))
            .collect()
    }
}

api_struct! {
    pub struct HostPathVolumeSource {
        path: String => "path",
        r#type: Option<String> => "type",
    }
}

api_struct! {
    pub struct EmptyDirVolumeSource {
        medium: Option<String> => "medium",
        size_limit: Option<Quantity> => "sizeLimit",
        mode: Option<i32> => "mode",
    }
}

api_struct! {
    pub struct SecretVolumeSource {
        secret_name: Option<String> => "secretName",
        items: Vec<KeyToPath> => "items",
        default_mode: Option<i32> => "defaultMode",
        optional: Option<bool> => "optional",
        default_user: Option<i64> => "defaultUser",
    }
}

api_struct! {
    pub struct ConfigMapVolumeSource {
        name: Option<String> => "name",
        items: Vec<KeyToPath> => "items",
        default_mode: Option<i32> => "defaultMode",
        optional: Option<bool> => "optional",
        default_user: Option<i64> => "defaultUser",
    }
}

api_struct! {
    pub struct KeyToPath {
        key: String => "key",
        path: String => "path",
        mode: Option<i32> => "mode",
        user: Option<i64> => "user",
    }
}

api_struct! {
    pub struct PersistentVolumeClaimVolumeSource {
        claim_name: String => "claimName",
        read_only: Option<bool> => "readOnly",
    }
}

api_struct! {
    pub struct DownwardApiVolumeSource {
        items: Vec<DownwardApiVolumeFile> => "items",
        default_mode: Option<i32> => "defaultMode",
        default_user: Option<i64> => "defaultUser",
    }
}

api_struct! {
    pub struct DownwardApiVolumeFile {
        path: String => "path",
        field_ref: Option<ObjectFieldSelector> => "fieldRef",
        resource_field_ref: Option<ResourceFieldSelector> => "resourceFieldRef",
        mode: Option<i32> => "mode",
        user: Option<i64> => "user",
    }
}

api_struct! {
    pub struct ProjectedVolumeSource {
        sources: Vec<VolumeProjection> => "sources",
        default_mode: Option<i32> => "defaultMode",
        default_user: Option<i64> => "defaultUser",
    }
}

api_struct! {
    pub struct VolumeProjection {
        secret: Option<KeyProjection> => "secret",
        downward_api: Option<DownwardApiProjection> => "downwardAPI",
        config_map: Option<KeyProjection> => "configMap",
        service_account_token: Option<ServiceAccountTokenProjection> => "serviceAccountToken",
        cluster_trust_bundle: Option<Value> => "clusterTrustBundle",
        pod_certificate: Option<Value> => "podCertificate",
    }
}

api_struct! {
    /// The `secret` / `configMap` projection of a projected volume.
    pub struct KeyProjection {
        name: Option<String> => "name",
        items: Vec<KeyToPath> => "items",
        optional: Option<bool> => "optional",
    }
}

api_struct! {
    pub struct DownwardApiProjection {
        items: Vec<DownwardApiVolumeFile> => "items",
    }
}

api_struct! {
    pub struct ServiceAccountTokenProjection {
        audience: Option<String> => "audience",
        expiration_seconds: Option<i64> => "expirationSeconds",
        path: String => "path",
        user: Option<i64> => "user",
    }
}

api_struct! {
    pub struct CsiVolumeSource {
        driver: String => "driver",
        read_only: Option<bool> => "readOnly",
        fs_type: Option<String> => "fsType",
        volume_attributes: BTreeMap<String, String> => "volumeAttributes",
        node_publish_secret_ref: Option<LocalObjectReference> => "nodePublishSecretRef",
    }
}

api_struct! {
    pub struct ImageVolumeSource {
        reference: Option<String> => "reference",
        pull_policy: Option<PullPolicy> => "pullPolicy",
    }
}

// ---------------------------------------------------------------------------------------------
// Workload controllers
// ---------------------------------------------------------------------------------------------

api_struct! {
    pub struct DeploymentObject {
        api_version: String => "apiVersion",
        kind: String => "kind",
        metadata: ObjectMeta => "metadata",
        spec: Option<DeploymentSpec> => "spec",
        status: Option<Value> => "status",
    }
}

api_struct! {
    pub struct DeploymentSpec {
        replicas: Option<i32> => "replicas",
        selector: Option<LabelSelector> => "selector",
        template: Option<PodTemplateSpec> => "template",
        strategy: Option<DeploymentStrategy> => "strategy",
        min_ready_seconds: Option<i32> => "minReadySeconds",
        revision_history_limit: Option<i32> => "revisionHistoryLimit",
        paused: Option<bool> => "paused",
        progress_deadline_seconds: Option<i32> => "progressDeadlineSeconds",
    }
}

api_enum! {
    pub enum DeploymentStrategyType {
        RollingUpdate = "RollingUpdate",
        Recreate = "Recreate",
    }
}

api_struct! {
    pub struct DeploymentStrategy {
        r#type: Option<DeploymentStrategyType> => "type",
        rolling_update: Option<RollingUpdate> => "rollingUpdate",
    }
}

api_struct! {
    /// `rollingUpdate` of a Deployment or DaemonSet.
    pub struct RollingUpdate {
        max_unavailable: Option<IntOrString> => "maxUnavailable",
        max_surge: Option<IntOrString> => "maxSurge",
    }
}

api_struct! {
    pub struct StatefulSetObject {
        api_version: String => "apiVersion",
        kind: String => "kind",
        metadata: ObjectMeta => "metadata",
        spec: Option<StatefulSetSpec> => "spec",
        status: Option<Value> => "status",
    }
}

api_enum! {
    pub enum PodManagementPolicy {
        OrderedReady = "OrderedReady",
        Parallel = "Parallel",
    }
}

api_enum! {
    /// `updateStrategy.type` of a StatefulSet or DaemonSet.
    pub enum UpdateStrategyType {
        RollingUpdate = "RollingUpdate",
        OnDelete = "OnDelete",
    }
}

api_enum! {
    pub enum PvcRetentionPolicy {
        Retain = "Retain",
        Delete = "Delete",
    }
}

api_struct! {
    pub struct StatefulSetSpec {
        replicas: Option<i32> => "replicas",
        selector: Option<LabelSelector> => "selector",
        template: Option<PodTemplateSpec> => "template",
        volume_claim_templates: Vec<PersistentVolumeClaim> => "volumeClaimTemplates",
        service_name: Option<String> => "serviceName",
        pod_management_policy: Option<PodManagementPolicy> => "podManagementPolicy",
        update_strategy: Option<StatefulSetUpdateStrategy> => "updateStrategy",
        revision_history_limit: Option<i32> => "revisionHistoryLimit",
        min_ready_seconds: Option<i32> => "minReadySeconds",
        persistent_volume_claim_retention_policy: Option<PvcRetentionPolicies> => "persistentVolumeClaimRetentionPolicy",
        ordinals: Option<StatefulSetOrdinals> => "ordinals",
    }
}

api_struct! {
    pub struct StatefulSetUpdateStrategy {
        r#type: Option<UpdateStrategyType> => "type",
        rolling_update: Option<StatefulSetRollingUpdate> => "rollingUpdate",
    }
}

api_struct! {
    pub struct StatefulSetRollingUpdate {
        partition: Option<i32> => "partition",
        max_unavailable: Option<IntOrString> => "maxUnavailable",
    }
}

api_struct! {
    pub struct PvcRetentionPolicies {
        when_deleted: Option<PvcRetentionPolicy> => "whenDeleted",
        when_scaled: Option<PvcRetentionPolicy> => "whenScaled",
    }
}

api_struct! {
    pub struct StatefulSetOrdinals {
        start: Option<i32> => "start",
    }
}

api_struct! {
    /// A PersistentVolumeClaim, as written in `volumeClaimTemplates`.
    pub struct PersistentVolumeClaim {
        api_version: Option<String> => "apiVersion",
        kind: Option<String> => "kind",
        metadata: ObjectMeta => "metadata",
        spec: Option<PersistentVolumeClaimSpec> => "spec",
        status: Option<Value> => "status",
    }
}

api_struct! {
    pub struct PersistentVolumeClaimSpec {
        access_modes: Vec<String> => "accessModes",
        selector: Option<LabelSelector> => "selector",
        resources: Option<VolumeResourceRequirements> => "resources",
        volume_name: Option<String> => "volumeName",
        storage_class_name: Option<String> => "storageClassName",
        volume_mode: Option<String> => "volumeMode",
        data_source: Option<Value> => "dataSource",
        data_source_ref: Option<Value> => "dataSourceRef",
        volume_attributes_class_name: Option<String> => "volumeAttributesClassName",
    }
}

api_struct! {
    pub struct VolumeResourceRequirements {
        limits: ResourceList => "limits",
        requests: ResourceList => "requests",
    }
}

api_struct! {
    pub struct DaemonSetObject {
        api_version: String => "apiVersion",
        kind: String => "kind",
        metadata: ObjectMeta => "metadata",
        spec: Option<DaemonSetSpec> => "spec",
        status: Option<Value> => "status",
    }
}

api_struct! {
    pub struct DaemonSetSpec {
        selector: Option<LabelSelector> => "selector",
        template: Option<PodTemplateSpec> => "template",
        update_strategy: Option<DaemonSetUpdateStrategy> => "updateStrategy",
        min_ready_seconds: Option<i32> => "minReadySeconds",
        revision_history_limit: Option<i32> => "revisionHistoryLimit",
    }
}

api_struct! {
    pub struct DaemonSetUpdateStrategy {
        r#type: Option<UpdateStrategyType> => "type",
        rolling_update: Option<RollingUpdate> => "rollingUpdate",
    }
}

api_struct! {
    pub struct ReplicaSetObject {
        api_version: String => "apiVersion",
        kind: String => "kind",
        metadata: ObjectMeta => "metadata",
        spec: Option<ReplicaSetSpec> => "spec",
        status: Option<Value> => "status",
    }
}

api_struct! {
    pub struct ReplicaSetSpec {
        replicas: Option<i32> => "replicas",
        min_ready_seconds: Option<i32> => "minReadySeconds",
        selector: Option<LabelSelector> => "selector",
        template: Option<PodTemplateSpec> => "template",
    }
}

// ---------------------------------------------------------------------------------------------
// Admission webhooks
// ---------------------------------------------------------------------------------------------

api_struct! {
    pub struct MutatingWebhookConfigurationObject {
        api_version: String => "apiVersion",
        kind: String => "kind",
        metadata: ObjectMeta => "metadata",
        webhooks: Vec<Webhook> => "webhooks",
    }
}

api_struct! {
    pub struct ValidatingWebhookConfigurationObject {
        api_version: String => "apiVersion",
        kind: String => "kind",
        metadata: ObjectMeta => "metadata",
        webhooks: Vec<ValidatingWebhook> => "webhooks",
    }
}

api_enum! {
    pub enum FailurePolicy {
        Fail = "Fail",
        Ignore = "Ignore",
    }
}

api_enum! {
    pub enum MatchPolicy {
        Equivalent = "Equivalent",
        Exact = "Exact",
    }
}

api_enum! {
    /// `sideEffects` values the `admissionregistration.k8s.io/v1` API accepts (`Unknown` and
    /// `Some` were v1beta1 only).
    pub enum SideEffectClass {
        NoSideEffects = "None",
        NoneOnDryRun = "NoneOnDryRun",
    }
}

api_enum! {
    pub enum ReinvocationPolicy {
        Never = "Never",
        IfNeeded = "IfNeeded",
    }
}

api_struct! {
    /// A webhook of a MutatingWebhookConfiguration.
    pub struct Webhook {
        name: String => "name",
        client_config: Option<WebhookClientConfig> => "clientConfig",
        rules: Vec<RuleWithOperations> => "rules",
        failure_policy: Option<FailurePolicy> => "failurePolicy",
        match_policy: Option<MatchPolicy> => "matchPolicy",
        namespace_selector: Option<LabelSelector> => "namespaceSelector",
        object_selector: Option<LabelSelector> => "objectSelector",
        side_effects: Option<SideEffectClass> => "sideEffects",
        timeout_seconds: Option<i32> => "timeoutSeconds",
        admission_review_versions: Vec<String> => "admissionReviewVersions",
        reinvocation_policy: Option<ReinvocationPolicy> => "reinvocationPolicy",
        match_conditions: Vec<MatchCondition> => "matchConditions",
    }
}

api_struct! {
    /// A webhook of a ValidatingWebhookConfiguration (no `reinvocationPolicy`).
    pub struct ValidatingWebhook {
        name: String => "name",
        client_config: Option<WebhookClientConfig> => "clientConfig",
        rules: Vec<RuleWithOperations> => "rules",
        failure_policy: Option<FailurePolicy> => "failurePolicy",
        match_policy: Option<MatchPolicy> => "matchPolicy",
        namespace_selector: Option<LabelSelector> => "namespaceSelector",
        object_selector: Option<LabelSelector> => "objectSelector",
        side_effects: Option<SideEffectClass> => "sideEffects",
        timeout_seconds: Option<i32> => "timeoutSeconds",
        admission_review_versions: Vec<String> => "admissionReviewVersions",
        match_conditions: Vec<MatchCondition> => "matchConditions",
    }
}

impl From<ValidatingWebhook> for Webhook {
    fn from(w: ValidatingWebhook) -> Self {
        Webhook {
            name: w.name,
            client_config: w.client_config,
            rules: w.rules,
            failure_policy: w.failure_policy,
            match_policy: w.match_policy,
            namespace_selector: w.namespace_selector,
            object_selector: w.object_selector,
            side_effects: w.side_effects,
            timeout_seconds: w.timeout_seconds,
            admission_review_versions: w.admission_review_versions,
            reinvocation_policy: None,
            match_conditions: w.match_conditions,
        }
    }
}

api_struct! {
    pub struct WebhookClientConfig {
        url: Option<String> => "url",
        service: Option<WebhookServiceReference> => "service",
        /// Base64-encoded PEM bundle.
        ca_bundle: Option<String> => "caBundle",
    }
}

api_struct! {
    pub struct WebhookServiceReference {
        namespace: String => "namespace",
        name: String => "name",
        path: Option<String> => "path",
        port: Option<i32> => "port",
    }
}

api_struct! {
    pub struct RuleWithOperations {
        operations: Vec<String> => "operations",
        api_groups: Vec<String> => "apiGroups",
        api_versions: Vec<String> => "apiVersions",
        resources: Vec<String> => "resources",
        scope: Option<String> => "scope",
    }
}

api_struct! {
    pub struct MatchCondition {
        name: String => "name",
        expression: String => "expression",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn selector_matching() {
        let sel: LabelSelector = serde_json::from_value(json!({
            "matchLabels": {"app": "web"},
            "matchExpressions": [
                {"key": "tier", "operator": "In", "values": ["a", "b"]},
                {"key": "canary", "operator": "DoesNotExist"}
            ]
        }))
        .unwrap_or_default();
        let mut labels = BTreeMap::new();
        labels.insert("app".to_string(), "web".to_string());
        labels.insert("tier".to_string(), "a".to_string());
        assert!(sel.matches(&labels));
        labels.insert("canary".to_string(), "yes".to_string());
        assert!(!sel.matches(&labels));
        assert!(!sel.is_empty_selector());
        assert!(LabelSelector::default().is_empty_selector());
    }

    #[test]
    fn quantities_keep_their_text() {
        let q: ResourceList =
            serde_json::from_value(json!({"cpu": 0.5, "memory": "128Mi"})).unwrap_or_default();
        assert_eq!(
            q.get("cpu").and_then(Quantity::as_text).as_deref(),
            Some("0.5")
        );
        assert_eq!(
            q.get("memory").and_then(Quantity::as_text).as_deref(),
            Some("128Mi")
        );
        assert_eq!(Quantity(json!({})).as_text(), None);
    }

    #[test]
    fn service_defaults() {
        let spec: ServiceSpec = serde_json::from_value(json!({
            "clusterIP": "None",
            "ports": [{"port": 80, "targetPort": "http"}]
        }))
        .unwrap_or_default();
        assert_eq!(spec.service_type(), ServiceType::ClusterIp);
        assert!(spec.is_headless());
        assert_eq!(
            spec.ports.first().map(ServicePort::protocol),
            Some(Protocol::Tcp)
        );
        assert_eq!(
            spec.ports.first().and_then(|p| p.target_port.clone()),
            Some(IntOrString::Str("http".to_string()))
        );
    }

    #[test]
    fn volume_sources_are_listed() {
        let v: Volume = serde_json::from_value(json!({
            "name": "certs", "secret": {"secretName": "x"}, "emptyDir": {}
        }))
        .unwrap_or_default();
        assert_eq!(v.sources(), vec!["emptyDir", "secret"]);
    }

    #[test]
    fn pod_service_account() {
        let spec: PodSpec =
            serde_json::from_value(json!({"serviceAccount": "legacy"})).unwrap_or_default();
        assert_eq!(spec.effective_service_account(), "legacy");
        assert_eq!(PodSpec::default().effective_service_account(), "default");
    }
}
