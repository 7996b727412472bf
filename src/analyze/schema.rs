//! Validation findings as analysis findings: `analyze` reports what `validate` found in each
//! object, under Istio's codes — IST0106 for errors, IST0133 for warnings, and IST0130/IST0131
//! for the unreachable-rule warnings of VirtualServices (chosen by the validate rule's code). The
//! message keeps the validate code (e.g. `MSH1006`, `MSH1213`) so the precise rule and its page
//! (`meshctl explain CODE`) stay findable. Findings about the input itself (YAML
//! syntax, unknown kinds) keep their MSH0xxx/MSH1xxx codes.

use super::{Analyzer, Sink};
use crate::check::{Diagnostic, Severity};

pub const VALIDATION: Analyzer = Analyzer {
    name: "schema.ValidationAnalyzer",
    description: "Reports validate's per-object findings (schema and Istio's admission rules) as IST0106/IST0133, and unreachable VirtualService rules as IST0130/IST0131",
    codes: &["IST0106", "IST0130", "IST0131", "IST0133"],
    run: validation,
};

fn validation(cx: &super::Context<'_>, sink: &mut Sink) {
    for d in &cx.set.diagnostics {
        sink.push(convert(d, &cx.set.default_namespace));
    }
}

/// The analysis form of one validation finding; objects written without a namespace are in
/// `default_namespace` (`-n`, else `default`).
pub fn convert(d: &Diagnostic, default_namespace: &str) -> Diagnostic {
    // A removed API (MSH1013) is about the input, not the object's content: Istio's analyzers
    // never see such an object, so it keeps meshctl's code.
    let per_object = d.resource.is_some()
        && d.code.starts_with("MSH1")
        && !matches!(d.code, "MSH1004" | "MSH1013");
    if !per_object {
        return d.clone();
    }
    let code = match d.severity {
        Severity::Error => "IST0106",
        Severity::Warning | Severity::Info => unreachable_code(d).unwrap_or("IST0133"),
    };
    let mut out = d.clone();
    if let Some(r) = out.resource.as_mut()
        && r.namespace.is_none()
    {
        let (group, _) = crate::model::kinds::split_api_version(&r.api_version);
        if crate::model::kinds::lookup(group, &r.kind).is_some_and(|k| k.namespaced) {
            r.namespace = Some(default_namespace.to_string());
        }
    }
    let catalogued = Diagnostic::of(code, "");
    out.code = code;
    out.rule = Some(d.code);
    out.severity = catalogued.severity;
    out.message = format!("{} ({})", d.message, d.code);
    out
}

/// IST0130 for a VirtualService rule that can never be used, IST0131 for one match of a rule
/// that is covered by an earlier one: decided by the validate rule's code, never its wording.
fn unreachable_code(d: &Diagnostic) -> Option<&'static str> {
    use crate::check::validate::codes::{VS_INEFFECTIVE_MATCH, VS_UNREACHABLE_RULE};
    if d.code == VS_UNREACHABLE_RULE.code() {
        Some("IST0130")
    } else if d.code == VS_INEFFECTIVE_MATCH.code() {
        Some("IST0131")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{p, pairs};
    use super::*;

    #[test]
    fn validation_findings_get_istio_codes() {
        let input = r#"
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: dup, namespace: shop}
spec:
  hosts: [reviews]
  http:
  - match: [{uri: {exact: /a}}]
    route: [{destination: {host: reviews}}]
  - match: [{uri: {exact: /a}}]
    route: [{destination: {host: reviews}}]
  - route: [{destination: {host: reviews}}]
  - route: [{destination: {host: reviews}}]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: bad, namespace: shop}
spec:
  host: reviews
  trafficPolicy: {loadBalancer: {simple: FASTEST}}
"#;
        assert_eq!(
            pairs(&VALIDATION, input),
            vec![
                p("IST0106", "DestinationRule shop/bad"),
                p("IST0130", "VirtualService shop/dup"),
                p("IST0130", "VirtualService shop/dup"),
                p("IST0131", "VirtualService shop/dup"),
            ]
        );
    }

    #[test]
    fn unreachable_rules_are_told_apart_by_code_not_wording() {
        use crate::check::ResourceRef;
        let vs = |code: &'static str, message: &str| {
            Diagnostic::of(code, message).with_resource(Some(ResourceRef {
                api_version: "networking.istio.io/v1".into(),
                kind: "VirtualService".into(),
                namespace: Some("shop".into()),
                name: Some("r".into()),
            }))
        };
        // Any wording: the code decides.
        let rule = convert(&vs("MSH1223", "reworded"), "default");
        assert_eq!((rule.code, rule.rule), ("IST0130", Some("MSH1223")));
        let matched = convert(&vs("MSH1224", "reworded"), "default");
        assert_eq!((matched.code, matched.rule), ("IST0131", Some("MSH1224")));
        // The old wording on another rule's warning is a plain schema warning.
        let other = convert(
            &vs(
                "MSH1211",
                "virtualService rule #0 not used (only the last rule can have no matches)",
            ),
            "default",
        );
        assert_eq!((other.code, other.rule), ("IST0133", Some("MSH1211")));
        assert!(other.message.ends_with("(MSH1211)"), "{}", other.message);
    }

    #[test]
    fn input_level_findings_keep_their_code() {
        let set = crate::config::from_text("t.yaml", "a: [\n");
        let out = super::super::run(&set, &Default::default(), &[&VALIDATION]);
        assert!(out.findings.iter().all(|d| d.code.starts_with("MSH0")));
        assert!(!out.findings.is_empty());
    }
}
