//! `telemetry.istio.io` Telemetry: tracing, metrics and access logging of the workloads in scope
//! (v1 and v1alpha1 share one schema).

use std::collections::BTreeMap;

use crate::model::constraints::TARGET_REFS;
use crate::model::schema::Duration;
use crate::model::security::{PolicyTargetReference, WorkloadSelector};
use crate::{api_enum, api_struct, crd_object};

api_struct! {
    /// Telemetry configuration of a mesh, a namespace or selected workloads.
    pub struct Telemetry {
        selector: Option<WorkloadSelector> => "selector",
        target_ref: Option<PolicyTargetReference> => "targetRef",
        target_refs: Option<Vec<PolicyTargetReference>> => "targetRefs" [..TARGET_REFS],
        tracing: Vec<Tracing> => "tracing",
        metrics: Vec<Metrics> => "metrics",
        access_logging: Vec<AccessLogging> => "accessLogging",
    }
}

api_enum! {
    /// Traffic direction a telemetry setting applies to, from the workload's point of view.
    pub enum WorkloadMode {
        ClientAndServer = "CLIENT_AND_SERVER",
        Client = "CLIENT",
        Server = "SERVER",
    }
}

api_struct! {
    /// A telemetry provider defined in the mesh config's `extensionProviders`.
    pub struct ProviderRef {
        name: Option<String> => "name" | REQUIRED [min_length: 1],
    }
}

api_struct! {
    pub struct TracingSelector {
        mode: Option<WorkloadMode> => "mode",
    }
}

api_struct! {
    /// Tracing behaviour: providers, sampling and custom span tags.
    pub struct Tracing {
        r#match: Option<TracingSelector> => "match",
        providers: Vec<ProviderRef> => "providers",
        random_sampling_percentage: Option<f64> => "randomSamplingPercentage" | NULLABLE [minimum: 0, maximum: 100],
        disable_span_reporting: Option<bool> => "disableSpanReporting" | NULLABLE,
        custom_tags: BTreeMap<String, CustomTag> => "customTags",
        use_request_id_for_trace_sampling: Option<bool> => "useRequestIdForTraceSampling" | NULLABLE,
        enable_istio_tags: Option<bool> => "enableIstioTags" | NULLABLE,
        disable_context_propagation: Option<bool> => "disableContextPropagation" | NULLABLE,
    }
}

api_struct! {
    /// Where the value of a custom span tag comes from.
    pub struct CustomTag oneof [["literal", "environment", "header", "formatter"]] {
        literal: Option<TagLiteral> => "literal",
        environment: Option<TagEnvironment> => "environment",
        header: Option<TagRequestHeader> => "header",
        formatter: Option<TagFormatter> => "formatter",
    }
}

api_struct! {
    pub struct TagLiteral {
        value: Option<String> => "value" | REQUIRED [min_length: 1],
    }
}

api_struct! {
    pub struct TagEnvironment {
        name: Option<String> => "name" | REQUIRED [min_length: 1],
        default_value: Option<String> => "defaultValue",
    }
}

api_struct! {
    pub struct TagRequestHeader {
        name: Option<String> => "name" | REQUIRED [min_length: 1],
        default_value: Option<String> => "defaultValue",
    }
}

api_struct! {
    pub struct TagFormatter {
        value: Option<String> => "value" | REQUIRED [min_length: 1],
    }
}

api_struct! {
    /// Metrics generation: providers, per-metric overrides and reporting interval.
    pub struct Metrics {
        providers: Vec<ProviderRef> => "providers",
        overrides: Vec<MetricsOverrides> => "overrides",
        reporting_interval: Option<Duration> => "reportingInterval",
    }
}

api_enum! {
    /// The standard Istio metrics.
    pub enum IstioMetric {
        AllMetrics = "ALL_METRICS",
        RequestCount = "REQUEST_COUNT",
        RequestDuration = "REQUEST_DURATION",
        RequestSize = "REQUEST_SIZE",
        ResponseSize = "RESPONSE_SIZE",
        TcpOpenedConnections = "TCP_OPENED_CONNECTIONS",
        TcpClosedConnections = "TCP_CLOSED_CONNECTIONS",
        TcpSentBytes = "TCP_SENT_BYTES",
        TcpReceivedBytes = "TCP_RECEIVED_BYTES",
        GrpcRequestMessages = "GRPC_REQUEST_MESSAGES",
        GrpcResponseMessages = "GRPC_RESPONSE_MESSAGES",
    }
}

api_struct! {
    /// Which metric(s) an override applies to.
    pub struct MetricSelector oneof [["metric", "customMetric"]] {
        metric: Option<IstioMetric> => "metric",
        custom_metric: Option<String> => "customMetric" [min_length: 1],
        mode: Option<WorkloadMode> => "mode",
    }
}

api_struct! {
    /// Disables or customises (tags) the selected metrics.
    pub struct MetricsOverrides {
        r#match: Option<MetricSelector> => "match",
        disabled: Option<bool> => "disabled" | NULLABLE,
        tag_overrides: BTreeMap<String, TagOverride> => "tagOverrides",
    }
}

api_enum! {
    pub enum TagOperation {
        Upsert = "UPSERT",
        Remove = "REMOVE",
    }
}

api_struct! {
    /// Adds, changes (UPSERT, the default) or removes one metric tag.
    pub struct TagOverride {
        operation: Option<TagOperation> => "operation",
        value: Option<String> => "value",
    }
}

api_struct! {
    pub struct LogSelector {
        mode: Option<WorkloadMode> => "mode",
    }
}

api_struct! {
    /// A CEL expression selecting the requests to log.
    pub struct AccessLogFilter {
        expression: Option<String> => "expression",
    }
}

api_struct! {
    /// Access logging: providers, on/off and a filter.
    pub struct AccessLogging {
        r#match: Option<LogSelector> => "match",
        providers: Vec<ProviderRef> => "providers",
        disabled: Option<bool> => "disabled" | NULLABLE,
        filter: Option<AccessLogFilter> => "filter",
    }
}

crd_object!(TelemetryObject, Telemetry);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_full_spec() {
        let spec: Telemetry = serde_json::from_value(serde_json::json!({
            "metrics": [{"overrides": [{"match": {"metric": "REQUEST_COUNT", "mode": "CLIENT"},
                                         "tagOverrides": {"foo": {"operation": "REMOVE"}}}],
                         "reportingInterval": "5s"}],
            "tracing": [{"randomSamplingPercentage": 10.5,
                         "customTags": {"t": {"literal": {"value": "v"}}}}],
            "accessLogging": [{"filter": {"expression": "response.code >= 400"}}],
        }))
        .unwrap();
        let o = &spec.metrics[0].overrides[0];
        assert_eq!(o.tag_overrides["foo"].operation, Some(TagOperation::Remove));
        assert_eq!(o.tag_overrides["foo"].value, None);
        assert_eq!(
            o.r#match.as_ref().and_then(|m| m.metric),
            Some(IstioMetric::RequestCount)
        );
        assert_eq!(spec.tracing[0].random_sampling_percentage, Some(10.5));
    }
}
