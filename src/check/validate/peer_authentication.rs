//! Admission rules for PeerAuthentication: the CRD's constraints on `portLevelMtls` and the
//! selector, and istiod's `ValidatePeerAuthentication` (whose checks the CRD rules subsume,
//! except for its warning about a selector without labels).

use super::Ctx;
use super::codes::*;
use super::common::check_workload_selector;
use crate::model::security::PeerAuthentication;

pub fn validate(spec: &PeerAuthentication, ctx: &mut Ctx<'_>) {
    check_workload_selector(spec.selector.as_ref(), "spec.selector", ctx);

    let Some(ports) = &spec.port_level_mtls else {
        return;
    };
    let path = "spec.portLevelMtls";
    let has_labels = spec
        .selector
        .as_ref()
        .is_some_and(|s| !s.match_labels.is_empty());
    if !has_labels {
        // Port-level settings need a workload to resolve the port against.
        ctx.report(
            PEER_AUTHN_PORT_MTLS,
            path,
            "portLevelMtls requires selector",
        );
    }
    for key in ports.keys() {
        if let Err(e) = check_port_key(key) {
            ctx.report(PEER_AUTHN_PORT_MTLS, format!("{path}[{key:?}]"), e);
        }
    }
}

/// A `portLevelMtls` key: the CRD's CEL rule converts it with `int(key)` (Go's
/// `strconv.ParseInt`, so a sign and leading zeros are accepted) and wants 1..65535; istiod then
/// decodes it as a protobuf `uint32` map key, which takes digits only.
fn check_port_key(key: &str) -> Result<(), String> {
    const RULE: &str = "port must be between 1-65535";
    let digits = key.strip_prefix(['+', '-']).unwrap_or(key);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "type conversion error from 'string' to 'int' for key {key:?} evaluating rule: {RULE}"
        ));
    }
    let value: i128 = match digits.parse::<i128>() {
        Ok(v) if key.starts_with('-') => -v,
        Ok(v) => v,
        // More digits than even i128 holds: certainly out of int64 range.
        Err(_) => i128::MAX,
    };
    if value > i128::from(i64::MAX) || value < i128::from(i64::MIN) {
        return Err(format!(
            "type conversion error from 'string' to 'int' for key {key:?} evaluating rule: {RULE}"
        ));
    }
    if !(1..=65535).contains(&value) {
        return Err(RULE.to_string());
    }
    if key.starts_with(['+', '-']) {
        return Err(format!(
            "port key {key:?} cannot be decoded as a port number (digits only)"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::validate::{Finding, Level};

    /// The whole of `validate` (the schema walk checks the constraints the model declares).
    fn validated(spec: serde_json::Value) -> Vec<Finding> {
        crate::check::validate::testing::validate_spec(
            "security.istio.io/v1",
            "PeerAuthentication",
            spec,
        )
    }

    fn run(spec: serde_json::Value) -> Vec<Finding> {
        crate::check::validate::testing::run::<PeerAuthentication>(spec, validate)
    }

    use crate::check::validate::testing::has;

    #[test]
    fn accepts_valid_specs() {
        let f = run(serde_json::json!({
            "selector": {"matchLabels": {"foo": "bar"}},
            "mtls": {"mode": "PERMISSIVE"},
            "portLevelMtls": {"80": {"mode": "STRICT"}, "065535": {"mode": "DISABLE"}},
        }));
        assert!(f.is_empty(), "{f:?}");
        assert!(run(serde_json::json!({"mtls": {"mode": "STRICT"}})).is_empty());
    }

    #[test]
    fn empty_selector_only_warns() {
        let f = run(serde_json::json!({"selector": {}}));
        assert_eq!(f.len(), 1);
        assert!(has(&f, Level::Warning, "spec.selector", "without labels"));
    }

    #[test]
    fn port_level_mtls_requires_selector_labels() {
        let f = run(serde_json::json!({"portLevelMtls": {"80": {"mode": "STRICT"}}}));
        assert!(has(
            &f,
            Level::Error,
            "spec.portLevelMtls",
            "portLevelMtls requires selector"
        ));
        let f = run(serde_json::json!({"selector": {}, "portLevelMtls": {"80": {}}}));
        assert!(has(
            &f,
            Level::Error,
            "spec.portLevelMtls",
            "portLevelMtls requires selector"
        ));
    }

    #[test]
    fn port_level_mtls_must_not_be_empty() {
        let f = validated(serde_json::json!({
            "selector": {"matchLabels": {"foo": "bar"}}, "portLevelMtls": {}}));
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(has(
            &f,
            Level::Error,
            "spec.portLevelMtls",
            "at least 1 properties"
        ));
    }

    #[test]
    fn port_keys() {
        let f = run(serde_json::json!({
            "selector": {"matchLabels": {"foo": "bar"}},
            "portLevelMtls": {"acd": {}, "0": {}, "42949672": {}, "+80": {}, "99999999999999999999": {}},
        }));
        let p = |k: &str| format!("spec.portLevelMtls[{k:?}]");
        assert!(has(
            &f,
            Level::Error,
            &p("acd"),
            "type conversion error from"
        ));
        assert!(has(
            &f,
            Level::Error,
            &p("0"),
            "port must be between 1-65535"
        ));
        assert!(has(
            &f,
            Level::Error,
            &p("42949672"),
            "port must be between 1-65535"
        ));
        assert!(has(&f, Level::Error, &p("+80"), "digits only"));
        assert!(has(
            &f,
            Level::Error,
            &p("99999999999999999999"),
            "type conversion error"
        ));
        assert_eq!(f.len(), 5, "{f:?}");
    }
}
