//! Admission rules for ProxyConfig: the CRD schema constraints (selector CEL rules, the
//! `concurrency` minimum, environment variable lengths) and istiod's `ValidateProxyConfig`
//! webhook (workload selector, concurrency).

use super::Ctx;
use super::codes::*;
use crate::model::networking::ProxyConfig;

pub fn validate(spec: &ProxyConfig, ctx: &mut Ctx<'_>) {
    if let Some(selector) = &spec.selector {
        let path = "spec.selector.matchLabels";
        let labels = &selector.match_labels;
        for (k, v) in labels {
            let entry = format!("{path}[{k:?}]");
            // The CRD's CEL rules; istiod's own selector check reports the same problems
            // ("empty key is not supported in selector", "wildcard is not supported in
            // selector"), so only the first wording is used.
            if k.is_empty() {
                ctx.report(PROXY_CONFIG_SELECTOR, &entry, "key must not be empty");
            }
            if k.contains('*') {
                ctx.report(
                    PROXY_CONFIG_SELECTOR,
                    &entry,
                    "wildcard not allowed in label key match",
                );
            }
            if v.contains('*') {
                ctx.report(
                    PROXY_CONFIG_SELECTOR,
                    &entry,
                    "wildcard not allowed in label value match",
                );
            }
        }
        if labels.is_empty() {
            ctx.report(
                SELECTOR_WITHOUT_LABELS,
                "spec.selector",
                "workload selector specified without labels",
            );
        }
    }

    // `concurrency` (at least 0, which istiod checks too) and the values of
    // `environmentVariables` (at most 2048 characters) are constraints of the model's fields.
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::check::validate::{Finding, Level};
    use crate::model::ObjectMeta;

    /// The whole of `validate` (the schema walk checks the constraints the model declares).
    fn validated(spec: serde_json::Value) -> Vec<Finding> {
        crate::check::validate::testing::validate_spec(
            "networking.istio.io/v1beta1",
            "ProxyConfig",
            spec,
        )
    }

    fn run(spec: serde_json::Value) -> Vec<Finding> {
        let meta = ObjectMeta::default();
        let mut ctx = Ctx::new(&meta, "default");
        let spec: ProxyConfig = serde_json::from_value(spec).expect("test spec");
        validate(&spec, &mut ctx);
        ctx.findings
    }

    use crate::check::validate::testing::has;

    #[test]
    fn accepted() {
        let f = run(
            json!({"concurrency": 1, "selector": {"matchLabels": {"foo": "bar"}},
            "image": {"imageType": "distroless"}, "environmentVariables": {"foo": "baz"}}),
        );
        assert!(f.is_empty(), "{f:?}");
        let f = run(json!({"concurrency": null}));
        assert!(f.is_empty(), "{f:?}");
        let f = run(json!({"selector": {"matchLabels": {}}}));
        assert!(f.iter().all(|f| f.level == Level::Warning), "{f:?}");
        assert!(has(&f, Level::Warning, "spec.selector", "without labels"));
    }

    #[test]
    fn concurrency_minimum() {
        let f = validated(json!({"concurrency": -1}));
        assert!(has(
            &f,
            Level::Error,
            "spec.concurrency",
            "spec.concurrency in body should be greater than or equal to 0"
        ));
    }

    #[test]
    fn selector_rules() {
        let f = validated(json!({"selector": {"matchLabels": {"": "bar"}}}));
        assert!(has(
            &f,
            Level::Error,
            "spec.selector.matchLabels[\"\"]",
            "key must not be empty"
        ));
        let f = validated(json!({"selector": {"matchLabels": {"a*": "b*"}}}));
        assert!(has(
            &f,
            Level::Error,
            "spec.selector.matchLabels[\"a*\"]",
            "label key match"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.selector.matchLabels[\"a*\"]",
            "label value match"
        ));
        let long = "v".repeat(64);
        let f = validated(json!({"selector": {"matchLabels": {"a": long}}}));
        assert!(has(
            &f,
            Level::Error,
            "spec.selector.matchLabels.a",
            "Too long"
        ));
    }

    #[test]
    fn environment_variable_length() {
        let long = "x".repeat(2049);
        let f = validated(json!({"environmentVariables": {"A": long}}));
        assert!(has(
            &f,
            Level::Error,
            "spec.environmentVariables.A",
            "Too long"
        ));
    }
}
