//! `networking.istio.io` WorkloadEntry (a non-Kubernetes workload, such as a VM, registered in
//! the mesh) and WorkloadGroup (a template for WorkloadEntries that register themselves).

use std::collections::BTreeMap;

use crate::api_struct;
use crate::model::constraints::HEADER_TOKEN;

api_struct! {
    /// The properties of a single workload instance. Also used for the `endpoints` of a
    /// ServiceEntry and the `template` of a WorkloadGroup.
    pub struct WorkloadEntry {
        address: Option<String> => "address" [max_length: 256],
        ports: BTreeMap<String, u32> => "ports" [max_properties: 128],
        labels: BTreeMap<String, String> => "labels" [max_properties: 256],
        network: Option<String> => "network" [max_length: 2048],
        locality: Option<String> => "locality" [max_length: 2048],
        weight: Option<u32> => "weight",
        service_account: Option<String> => "serviceAccount" [max_length: 253],
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
        labels: BTreeMap<String, String> => "labels" [max_properties: 256],
        annotations: BTreeMap<String, String> => "annotations" [max_properties: 256],
    }
}

api_struct! {
    /// The health check the proxy runs on the workload to decide its readiness.
    pub struct ReadinessProbe oneof [["httpGet", "tcpSocket", "exec", "grpc"]] {
        initial_delay_seconds: Option<i32> => "initialDelaySeconds" [minimum: 0],
        timeout_seconds: Option<i32> => "timeoutSeconds" [minimum: 0],
        period_seconds: Option<i32> => "periodSeconds" [minimum: 0],
        success_threshold: Option<i32> => "successThreshold" [minimum: 0],
        failure_threshold: Option<i32> => "failureThreshold" [minimum: 0],
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
        name: Option<String> => "name" [pattern: HEADER_TOKEN],
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
        command: Option<Vec<String>> => "command" | REQUIRED [items: [min_length: 1]],
    }
}

api_struct! {
    pub struct GrpcHealthCheckConfig {
        port: Option<u32> => "port",
        service: Option<String> => "service",
    }
}
