//! `networking.istio.io` WorkloadEntry (a non-Kubernetes workload, such as a VM, registered in
//! the mesh) and WorkloadGroup (a template for WorkloadEntries that register themselves).

use std::collections::BTreeMap;

use crate::api_struct;

api_struct! {
    /// The properties of a single workload instance. Also used for the `endpoints` of a
    /// ServiceEntry and the `template` of a WorkloadGroup.
    pub struct WorkloadEntry {
        address: Option<String> => "address",
        ports: BTreeMap<String, u32> => "ports",
        labels: BTreeMap<String, String> => "labels",
        network: Option<String> => "network",
        locality: Option<String> => "locality",
        weight: Option<u32> => "weight",
        service_account: Option<String> => "serviceAccount",
    }
}

api_struct! {
    /// A template for the WorkloadEntries that workloads of the group register.
    pub struct WorkloadGroup {
        metadata: Option<WorkloadGroupMetadata> => "metadata",
        template: Option<WorkloadEntry> => "template" | REQUIRED,
        probe: Option<ReadinessProbe> => "probe",
    }
}

api_struct! {
    /// Labels and annotations copied onto the generated WorkloadEntries.
    pub struct WorkloadGroupMetadata {
        labels: BTreeMap<String, String> => "labels",
        annotations: BTreeMap<String, String> => "annotations",
    }
}

api_struct! {
    /// The health check the proxy runs on the workload to decide its readiness.
    pub struct ReadinessProbe oneof [["httpGet", "tcpSocket", "exec", "grpc"]] {
        initial_delay_seconds: Option<i32> => "initialDelaySeconds",
        timeout_seconds: Option<i32> => "timeoutSeconds",
        period_seconds: Option<i32> => "periodSeconds",
        success_threshold: Option<i32> => "successThreshold",
        failure_threshold: Option<i32> => "failureThreshold",
        http_get: Option<HttpHealthCheckConfig> => "httpGet",
        tcp_socket: Option<TcpHealthCheckConfig> => "tcpSocket",
        exec: Option<ExecHealthCheckConfig> => "exec",
        grpc: Option<GrpcHealthCheckConfig> => "grpc",
    }
}

api_struct! {
    pub struct HttpHealthCheckConfig {
        path: Option<String> => "path",
        port: Option<u32> => "port" | REQUIRED,
        host: Option<String> => "host",
        scheme: Option<String> => "scheme",
        http_headers: Vec<HttpHeader> => "httpHeaders",
    }
}

api_struct! {
    pub struct HttpHeader {
        name: Option<String> => "name",
        value: Option<String> => "value",
    }
}

api_struct! {
    pub struct TcpHealthCheckConfig {
        host: Option<String> => "host",
        port: Option<u32> => "port" | REQUIRED,
    }
}

api_struct! {
    pub struct ExecHealthCheckConfig {
        command: Option<Vec<String>> => "command" | REQUIRED,
    }
}

api_struct! {
    pub struct GrpcHealthCheckConfig {
        port: Option<u32> => "port",
        service: Option<String> => "service",
    }
}
