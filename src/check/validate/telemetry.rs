//! Admission rules for Telemetry: the CRD's constraints (provider names, tag override
//! operation/value, sampling range, reporting interval, custom tags) and istiod's
//! `ValidateTelemetry` (which also parses access log filters as CEL, see [`cel`]).

use super::Ctx;
use super::codes::*;
use super::common::check_selector_and_targets;
use crate::model::telemetry::{TagOperation, Telemetry, Tracing};

pub fn validate(spec: &Telemetry, ctx: &mut Ctx<'_>) {
    check_selector_and_targets(
        spec.selector.as_ref(),
        spec.target_ref.as_ref(),
        spec.target_refs.as_deref(),
        ctx,
    );

    for (i, metrics) in spec.metrics.iter().enumerate() {
        let path = format!("spec.metrics[{i}]");
        if let Some(interval) = &metrics.reporting_interval
            && interval.nanos().is_some_and(|n| n < 1_000_000)
        {
            ctx.report(
                TELEMETRY_METRICS,
                format!("{path}.reportingInterval"),
                "must be a valid duration greater than 1ms",
            );
        }
        for (j, o) in metrics.overrides.iter().enumerate() {
            let opath = format!("{path}.overrides[{j}]");
            for (name, tag) in &o.tag_overrides {
                let tpath = format!("{opath}.tagOverrides[{name:?}]");
                if name.is_empty() {
                    ctx.report(
                        TELEMETRY_TAG_OVERRIDE_NAME,
                        tpath.clone(),
                        "tagOverrides.name may not be empty",
                    );
                }
                let value = tag.value.as_deref();
                match tag.operation {
                    // The CRD rule reads `self.value`, which fails when it is absent.
                    Some(TagOperation::Upsert) if value.unwrap_or("").is_empty() => ctx.report(
                        TELEMETRY_METRICS,
                        tpath,
                        "value must be set when operation is UPSERT",
                    ),
                    Some(TagOperation::Remove) if value.is_some() => ctx.report(
                        TELEMETRY_METRICS,
                        format!("{tpath}.value"),
                        "value must not be set when operation is REMOVE",
                    ),
                    // UPSERT is the default operation for istiod, not for the CRD rule.
                    None if value.unwrap_or("").is_empty() => ctx.report(
                        TELEMETRY_METRICS,
                        tpath,
                        "tagOverrides.value must be set when operation is UPSERT",
                    ),
                    _ => {}
                }
            }
        }
    }

    if spec.tracing.len() > 1 {
        ctx.report(
            TELEMETRY_TRACING_UNSUPPORTED,
            "spec.tracing",
            "multiple tracing is not currently supported",
        );
    }
    for (i, tracing) in spec.tracing.iter().enumerate() {
        check_tracing(tracing, &format!("spec.tracing[{i}]"), ctx);
    }

    for (i, logging) in spec.access_logging.iter().enumerate() {
        let path = format!("spec.accessLogging[{i}]");
        if let Some(filter) = &logging.filter {
            let expr = filter.expression.as_deref().unwrap_or("");
            if let Err(e) = super::cel::check_syntax(expr) {
                let at = if filter.expression.is_some() {
                    format!("{path}.filter.expression")
                } else {
                    format!("{path}.filter")
                };
                ctx.report(
                    TELEMETRY_ACCESS_LOG_FILTER,
                    at,
                    format!("must be a valid CEL expression, {e}"),
                );
            }
        }
    }
}

fn check_tracing(tracing: &Tracing, path: &str, ctx: &mut Ctx<'_>) {
    if tracing.providers.len() > 1 {
        ctx.report(
            TELEMETRY_TRACING_UNSUPPORTED,
            format!("{path}.providers"),
            "multiple providers is not currently supported",
        );
    }
    for name in tracing.custom_tags.keys() {
        let tpath = format!("{path}.customTags[{name:?}]");
        if name.is_empty() {
            ctx.report(
                TELEMETRY_TRACING,
                tpath.clone(),
                "tag name may not be empty",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::validate::{Finding, Level};

    /// The whole of `validate` (the schema walk checks the constraints the model declares).
    fn validated(spec: serde_json::Value) -> Vec<Finding> {
        crate::check::validate::testing::validate_spec("telemetry.istio.io/v1", "Telemetry", spec)
    }

    fn run(spec: serde_json::Value) -> Vec<Finding> {
        crate::check::validate::testing::run::<Telemetry>(spec, validate)
    }

    use crate::check::validate::testing::has;

    #[test]
    fn accepts_a_full_spec() {
        let f = run(serde_json::json!({
            "metrics": [{
                "providers": [{"name": "prometheus"}],
                "reportingInterval": "5s",
                "overrides": [
                    {"tagOverrides": {"request_method": {"value": "request.method"}},
                     "match": {"customMetric": "foo"}, "disabled": false},
                    {"match": {"metric": "GRPC_REQUEST_MESSAGES"}, "disabled": true},
                    {"tagOverrides": {"foo": {"operation": "UPSERT", "value": "add"},
                                      "bar": {"operation": "REMOVE"}}},
                ],
            }],
            "accessLogging": [{"disabled": false, "filter": {"expression": "true"},
                               "match": {"mode": "CLIENT"}, "providers": [{"name": "stdout"}]}],
            "tracing": [{
                "providers": [{"name": "otlp"}],
                "match": {"mode": "CLIENT_AND_SERVER"},
                "randomSamplingPercentage": 54.54,
                "customTags": {
                    "env": {"environment": {"name": "NAME", "defaultValue": "default"}},
                    "header": {"header": {"name": "x-name"}},
                    "literal": {"literal": {"value": "default literal"}},
                },
            }],
        }));
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn provider_and_metric_names() {
        let f = validated(serde_json::json!({
            "metrics": [{"providers": [{"name": ""}], "overrides": [{"match": {"customMetric": ""}}]}],
            "accessLogging": [{"providers": [{"name": ""}]}],
        }));
        assert!(has(
            &f,
            Level::Error,
            "spec.metrics[0].providers[0].name",
            "at least 1 chars long"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.metrics[0].overrides[0].match.customMetric",
            "at least 1 chars long"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.accessLogging[0].providers[0].name",
            "at least 1 chars"
        ));
    }

    #[test]
    fn tag_overrides() {
        let f = run(
            serde_json::json!({"metrics": [{"overrides": [{"tagOverrides": {
                "a": {"operation": "UPSERT"},
                "b": {"operation": "UPSERT", "value": ""},
                "c": {"operation": "REMOVE", "value": "oops"},
                "d": {"operation": "REMOVE", "value": ""},
                "e": {},
                "": {"value": "x"},
            }}]}]}),
        );
        let t = |k: &str| format!("spec.metrics[0].overrides[0].tagOverrides[{k:?}]");
        assert!(has(
            &f,
            Level::Error,
            &t("a"),
            "value must be set when operation is UPSERT"
        ));
        assert!(has(
            &f,
            Level::Error,
            &t("b"),
            "value must be set when operation is UPSERT"
        ));
        assert!(has(
            &f,
            Level::Error,
            &format!("{}.value", t("c")),
            "value must not be set when operation is REMOVE"
        ));
        assert!(has(
            &f,
            Level::Error,
            &format!("{}.value", t("d")),
            "must not be set"
        ));
        assert!(has(
            &f,
            Level::Error,
            &t("e"),
            "tagOverrides.value must be set"
        ));
        assert!(has(
            &f,
            Level::Warning,
            &t(""),
            "tagOverrides.name may not be empty"
        ));
        assert_eq!(f.len(), 6, "{f:?}");
    }

    #[test]
    fn tracing_rules() {
        let f = validated(serde_json::json!({"tracing": [
            {"providers": [{"name": "a"}, {"name": "b"}], "randomSamplingPercentage": 100.5,
             "customTags": {"": {"literal": {"value": "x"}}, "h": {"header": {"name": ""}},
                            "f": {"formatter": {"value": ""}}}},
            {"randomSamplingPercentage": -1},
        ]}));
        assert!(has(&f, Level::Warning, "spec.tracing", "multiple tracing"));
        assert!(has(
            &f,
            Level::Warning,
            "spec.tracing[0].providers",
            "multiple providers"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.tracing[0].randomSamplingPercentage",
            "less than or equal to 100"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.tracing[1].randomSamplingPercentage",
            "greater than or equal to 0"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.tracing[0].customTags[\"\"]",
            "tag name may not be empty"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.tracing[0].customTags.h.header.name",
            "at least 1 chars"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.tracing[0].customTags.f.formatter.value",
            "at least 1 chars"
        ));
    }

    #[test]
    fn reporting_interval() {
        let f = run(
            serde_json::json!({"metrics": [{"reportingInterval": "0.5ms"}, {"reportingInterval": "1ms"}]}),
        );
        assert!(has(
            &f,
            Level::Error,
            "spec.metrics[0].reportingInterval",
            "greater than 1ms"
        ));
        assert_eq!(f.len(), 1, "{f:?}");
    }

    #[test]
    fn access_log_filters() {
        let f = run(serde_json::json!({"accessLogging": [
            {"filter": {"expression": "response.code >= 400"}},
            {"filter": {"expression": "response.code >="}},
            {"filter": {}},
        ]}));
        assert!(has(
            &f,
            Level::Error,
            "spec.accessLogging[1].filter.expression",
            "must be a valid CEL expression"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.accessLogging[2].filter",
            "must be a valid CEL expression"
        ));
        assert_eq!(f.len(), 2, "{f:?}");
    }

    #[test]
    fn selector_and_target_rules() {
        let f = run(serde_json::json!({
            "selector": {"matchLabels": {"a": "b"}},
            "targetRefs": [{"kind": "Gateway", "group": "gateway.networking.k8s.io", "name": "gw"}],
        }));
        assert!(has(
            &f,
            Level::Error,
            "spec.targetRefs",
            "only one of targetRefs or selector"
        ));
    }
}
