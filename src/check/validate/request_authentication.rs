//! Admission rules for RequestAuthentication: the CRD's constraints on JWT rules (lengths,
//! `jwksUri` scheme, one JWKS source, header names, timeout) and istiod's
//! `ValidateRequestAuthentication` (issuer or JWKS URI required, JWKS URI and inline JWKS parse,
//! warning on private key material).

use serde_json::Value;

use super::Ctx;
use super::codes::*;
use super::common::check_selector_and_targets;
use super::wasm_plugin::go_url;
use crate::model::security::{JwtRule, RequestAuthentication};

pub fn validate(spec: &RequestAuthentication, ctx: &mut Ctx<'_>) {
    check_selector_and_targets(
        spec.selector.as_ref(),
        spec.target_ref.as_ref(),
        spec.target_refs.as_deref(),
        ctx,
    );
    for (i, rule) in spec.jwt_rules.iter().enumerate() {
        check_rule(rule, &format!("spec.jwtRules[{i}]"), ctx);
    }
}

fn check_rule(rule: &JwtRule, path: &str, ctx: &mut Ctx<'_>) {
    // CRD CEL on the rule: at most one JWKS source (presence-based).
    let sources = [
        ("jwksUri", rule.jwks_uri.is_some()),
        ("jwks_uri", rule.jwks_uri_alt.is_some()),
        ("jwks", rule.jwks.is_some()),
    ];
    for (field, _) in sources.iter().filter(|(_, set)| *set).skip(1) {
        ctx.report(
            REQUEST_AUTHN_JWT_RULE,
            format!("{path}.{field}"),
            "only one of jwks or jwksUri can be set",
        );
    }

    for (field, uri) in [
        ("jwksUri", &rule.jwks_uri),
        ("jwks_uri", &rule.jwks_uri_alt),
    ] {
        let Some(uri) = uri else { continue };
        let uri_path = format!("{path}.{field}");
        if !uri.is_empty()
            && let Err(e) = check_jwks_uri(uri)
        {
            ctx.report(REQUEST_AUTHN_JWT_RULE, uri_path, e);
        }
    }

    let uri = rule.jwks_uri.as_deref().or(rule.jwks_uri_alt.as_deref());
    if rule.issuer.as_deref().unwrap_or("").is_empty() && uri.unwrap_or("").is_empty() {
        ctx.report(
            REQUEST_AUTHN_JWT_RULE,
            format!("{path}.issuer"),
            "issuer or jwksUri must be non-empty string",
        );
    }

    if let Some(jwks) = rule.jwks.as_deref().filter(|j| !j.is_empty()) {
        match jwk::parse(jwks) {
            Err(e) => ctx.report(
                REQUEST_AUTHN_JWT_RULE,
                format!("{path}.jwks"),
                format!("jwks parse error: {e}"),
            ),
            Ok(keys) => {
                for (i, key) in keys.iter().enumerate() {
                    if key.private {
                        ctx.report(
                            REQUEST_AUTHN_PRIVATE_KEY,
                            format!("{path}.jwks"),
                            format!(
                                "jwks key at index {i} contains private key material; only \
                                 public keys are used for verification"
                            ),
                        );
                    }
                }
            }
        }
    }

    if let Some(timeout) = &rule.timeout {
        // Unparseable durations are reported by the schema walk.
        if let Some(nanos) = timeout.nanos() {
            let path = format!("{path}.timeout");
            if nanos < 1_000_000 {
                ctx.report(
                    REQUEST_AUTHN_JWT_RULE,
                    path,
                    "must be a valid duration greater than 1ms",
                );
            } else if nanos % 1_000_000 != 0 {
                ctx.report(
                    REQUEST_AUTHN_JWT_RULE,
                    path,
                    "only durations to ms precision are supported",
                );
            }
        }
    }
}

/// The CRD rule `url(self).getScheme() in ['http', 'https']` (an absolute URL that Go's
/// `ParseRequestURI` and `Parse` both accept) and istiod's `ParseJwksURI` (which also needs the
/// port to fit Go's `int`).
fn check_jwks_uri(uri: &str) -> Result<(), String> {
    const MESSAGE: &str = "url must have scheme http:// or https://";
    let url = match go_url::cel_url(uri) {
        Ok(url) => url,
        Err(e) => return Err(format!("{e} evaluating rule: {MESSAGE}")),
    };
    if url.scheme != "http" && url.scheme != "https" {
        return Err(MESSAGE.to_string());
    }
    if !url.port.is_empty() && url.port.parse::<i64>().is_err() {
        return Err(format!(
            "strconv.Atoi: parsing {:?}: value out of range",
            url.port
        ));
    }
    Ok(())
}

/// What istiod's JWKS parser (lestrrat-go/jwx v1 `jwk.Parse`) checks in an inline `jwks`: a
/// JSON object that is either a key set (`keys`: an array of keys) or a single key; each key
/// has a known `kty` and that type's required members, base64-encoded.
mod jwk {
    use super::Value;

    pub struct Key {
        /// Holds private (or symmetric) key material.
        pub private: bool,
    }

    pub fn parse(src: &str) -> Result<Vec<Key>, String> {
        let value: Value =
            serde_json::from_str(src).map_err(|e| format!("failed to unmarshal JWK set: {e}"))?;
        let Value::Object(obj) = &value else {
            return Err("failed to unmarshal JWK set: expected a JSON object".into());
        };
        match obj.get("keys") {
            None => parse_key(&value).map(|k| vec![k]),
            Some(Value::Array(list)) => list
                .iter()
                .enumerate()
                .map(|(i, k)| {
                    parse_key(k).map_err(|e| format!("failed to decode key #{i} in \"keys\": {e}"))
                })
                .collect(),
            Some(Value::Null) => Ok(Vec::new()),
            Some(_) => Err("failed to decode \"keys\": expected an array".into()),
        }
    }

    fn parse_key(value: &Value) -> Result<Key, String> {
        let obj = match value {
            Value::Object(obj) => obj,
            Value::Null => return Err("invalid key type from JSON ()".into()),
            _ => return Err("failed to unmarshal JSON into key hint".into()),
        };
        let kty = match obj.get("kty") {
            Some(Value::String(s)) => s.as_str(),
            None | Some(Value::Null) => "",
            Some(_) => {
                return Err("failed to unmarshal JSON into key hint: kty must be a string".into());
            }
        };
        let has_d = obj.contains_key("d");
        let (bytes_fields, required, private): (&[&str], &[&str], bool) = match kty {
            "RSA" if has_d => (
                &["n", "e", "d", "p", "q", "dp", "dq", "qi"],
                &["d", "e", "n"],
                true,
            ),
            "RSA" => (&["n", "e"], &["e", "n"], false),
            "EC" if has_d => (&["x", "y", "d"], &["crv", "d", "x", "y"], true),
            "EC" => (&["x", "y"], &["crv", "x", "y"], false),
            "OKP" if has_d => (&["x", "d"], &["crv", "d", "x"], true),
            "OKP" => (&["x"], &["crv", "x"], false),
            "oct" => (&["k"], &["k"], true),
            other => return Err(format!("invalid key type from JSON ({other})")),
        };
        for (name, v) in obj {
            let is_bytes = bytes_fields.contains(&name.as_str());
            let is_string = matches!(
                name.as_str(),
                "kty" | "kid" | "alg" | "use" | "crv" | "x5u" | "x5t" | "x5t#S256"
            );
            match v {
                Value::String(s) if is_bytes && !base64_ok(s) => {
                    return Err(format!(
                        "failed to decode value for key {name}: expected base64 encoded []byte"
                    ));
                }
                Value::String(_) | Value::Null => {}
                _ if is_bytes || is_string => {
                    return Err(format!(
                        "failed to decode value for key {name}: expected a string"
                    ));
                }
                _ => {}
            }
        }
        for name in required {
            if !obj.contains_key(*name) {
                return Err(format!("required field {name} is missing"));
            }
        }
        Ok(Key { private })
    }

    /// jwx's base64 decoding: the alphabet is URL-safe unless `+` or `/` appear, and padding is
    /// expected only when the value ends with `=`; CR and LF are ignored, as in Go.
    fn base64_ok(s: &str) -> bool {
        let data: Vec<u8> = s.bytes().filter(|&b| b != b'\r' && b != b'\n').collect();
        let url = !data.iter().any(|&b| b == b'+' || b == b'/');
        let padded = data.last() == Some(&b'=');
        let body_len = data.iter().rposition(|&b| b != b'=').map_or(0, |p| p + 1);
        let (body, pad) = data.split_at(body_len);
        let in_alphabet = |b: u8| {
            b.is_ascii_alphanumeric()
                || if url {
                    b == b'-' || b == b'_'
                } else {
                    b == b'+' || b == b'/'
                }
        };
        if !body.iter().all(|&b| in_alphabet(b)) {
            return false;
        }
        if padded {
            data.len().is_multiple_of(4) && pad.len() <= 2 && body.len() % 4 != 1
        } else {
            body.len() % 4 != 1
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn key_sets_and_single_keys() {
            let set = r#"{"keys":[{"kty":"RSA","e":"AQAB","n":"qTs5-w"},{"kty":"EC","crv":"P-256","x":"AQ","y":"Ag"}]}"#;
            let keys = parse(set).unwrap();
            assert_eq!(keys.len(), 2);
            assert!(keys.iter().all(|k| !k.private));
            assert_eq!(parse(r#"{"keys":[]}"#).unwrap().len(), 0);
            let single = parse(r#"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#).unwrap();
            assert_eq!(single.len(), 1);
        }

        #[test]
        fn private_material_is_flagged() {
            let keys = parse(r#"{"keys":[{"kty":"oct","k":"c2VjcmV0"},{"kty":"RSA","e":"AQAB","n":"qQ","d":"AQ"}]}"#).unwrap();
            assert!(keys.iter().all(|k| k.private));
        }

        #[test]
        fn rejects_malformed_sets() {
            assert!(parse("not json").is_err());
            assert!(parse("[]").is_err());
            assert!(parse(r#"{"keys":{}}"#).is_err());
            assert!(parse(r#"{"keys":[{"kty":"XYZ"}]}"#).is_err());
            assert!(parse(r#"{"keys":[{"kty":"RSA","e":"AQAB"}]}"#).is_err());
            assert!(parse(r#"{"keys":[{"kty":"RSA","e":"AQAB","n":"!!"}]}"#).is_err());
            assert!(parse(r#"{"keys":[{"kty":"EC","x":"AQ","y":"AQ"}]}"#).is_err());
            assert!(parse(r#"{"keys":[{"kty":"RSA","e":5,"n":"AQ"}]}"#).is_err());
            assert!(parse(r#"{"kid":"a"}"#).is_err());
        }

        #[test]
        fn base64_variants() {
            assert!(base64_ok("AQAB"));
            assert!(base64_ok("qTs5-w"));
            assert!(base64_ok("qTs5+w=="));
            assert!(base64_ok("a/b+"));
            assert!(!base64_ok("A"));
            assert!(!base64_ok("AQ=A"));
            assert!(!base64_ok("ab-+"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::validate::{Finding, Level};

    /// The whole of `validate` (the schema walk checks the constraints the model declares).
    fn validated(spec: serde_json::Value) -> Vec<Finding> {
        crate::check::validate::testing::validate_spec(
            "security.istio.io/v1",
            "RequestAuthentication",
            spec,
        )
    }

    fn run(spec: serde_json::Value) -> Vec<Finding> {
        crate::check::validate::testing::run::<RequestAuthentication>(spec, validate)
    }

    use crate::check::validate::testing::has;

    #[test]
    fn accepts_a_full_spec() {
        let f = run(serde_json::json!({
            "targetRefs": [{"group": "", "kind": "Service", "name": "foo"}],
            "jwtRules": [{
                "issuer": "example.com",
                "jwksUri": "https://example.com/.well-known/jwks.json",
                "forwardOriginalToken": true,
                "fromCookies": ["foo"],
                "fromHeaders": [{"name": "foo", "prefix": "baz"}],
                "outputClaimToHeaders": [{"claim": "abc", "header": "def"}],
                "timeout": "5s",
                "outputPayloadToHeader": "header",
                "spaceDelimitedClaims": ["custom_scope"],
                "presence": "REQUIRED",
            }, {
                "jwks_uri": "http://jwks.local:8080/keys",
            }, {
                "issuer": "inline",
                "jwks": r#"{"keys":[{"kty":"RSA","e":"AQAB","n":"qTs5-w"}]}"#,
            }],
        }));
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn selector_and_target_rules() {
        let f = run(serde_json::json!({
            "selector": {"matchLabels": {"a": "b"}},
            "targetRef": {"group": "", "kind": "Service", "name": "foo"},
        }));
        assert!(has(
            &f,
            Level::Error,
            "spec.targetRef",
            "only one of targetRefs or selector"
        ));
        let f = run(serde_json::json!({
            "targetRef": {"group": "", "kind": "Service", "name": "foo", "namespace": "bar"},
        }));
        assert!(has(
            &f,
            Level::Error,
            "spec.targetRef.namespace",
            "cross namespace referencing"
        ));
    }

    #[test]
    fn string_list_items_must_not_be_empty() {
        let f = validated(serde_json::json!({"jwtRules": [{
            "issuer": "example",
            "audiences": [""], "fromParams": [""], "fromCookies": [""], "spaceDelimitedClaims": [""],
            "fromHeaders": [{"name": ""}],
            "outputClaimToHeaders": [{"claim": "", "header": "h"}, {"claim": "x", "header": ""},
                                     {"claim": "x", "header": ":authority"}],
        }]}));
        let r = "spec.jwtRules[0]";
        for p in [
            "audiences[0]",
            "fromParams[0]",
            "fromCookies[0]",
            "spaceDelimitedClaims[0]",
            "fromHeaders[0].name",
            "outputClaimToHeaders[0].claim",
            "outputClaimToHeaders[1].header",
        ] {
            assert!(
                has(
                    &f,
                    Level::Error,
                    &format!("{r}.{p}"),
                    "at least 1 chars long"
                ),
                "{p}: {f:?}"
            );
        }
        assert!(has(
            &f,
            Level::Error,
            &format!("{r}.outputClaimToHeaders[2].header"),
            "should match"
        ));
        assert_eq!(f.len(), 8, "{f:?}");
    }

    #[test]
    fn jwks_uri_rules() {
        let f = validated(serde_json::json!({"jwtRules": [
            {"issuer": "example", "jwksUri": "hTPp\\\u{8}lah"},
            {"issuer": "example", "jwksUri": "ftp://example.com/jwks"},
            {"issuer": "example", "jwksUri": "example.com/jwks"},
            {"issuer": "example", "jwksUri": "http://example.com:99999999999999999999/jwks"},
            {"jwksUri": ""},
        ]}));
        for i in 0..3 {
            assert!(
                has(
                    &f,
                    Level::Error,
                    &format!("spec.jwtRules[{i}].jwksUri"),
                    "url must have scheme"
                ),
                "{i}: {f:?}"
            );
        }
        assert!(has(
            &f,
            Level::Error,
            "spec.jwtRules[3].jwksUri",
            "value out of range"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.jwtRules[4].jwksUri",
            "at least 1 chars long"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.jwtRules[4].issuer",
            "issuer or jwksUri must be non-empty"
        ));
        // The scheme is case-insensitive.
        let f =
            validated(serde_json::json!({"jwtRules": [{"jwksUri": "HTTPS://example.com/jwks"}]}));
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn one_jwks_source() {
        let f = run(serde_json::json!({"jwtRules": [{
            "issuer": "a", "jwksUri": "https://a/jwks", "jwks": r#"{"keys":[]}"#}]}));
        assert!(has(
            &f,
            Level::Error,
            "spec.jwtRules[0].jwks",
            "only one of jwks or jwksUri"
        ));
        let f = run(serde_json::json!({"jwtRules": [{
            "jwksUri": "https://a/jwks", "jwks_uri": "https://a/jwks"}]}));
        assert!(has(
            &f,
            Level::Error,
            "spec.jwtRules[0].jwks_uri",
            "only one of jwks or jwksUri"
        ));
    }

    #[test]
    fn issuer_or_uri_required() {
        let f = validated(serde_json::json!({"jwtRules": [{"audiences": ["a"]}]}));
        assert!(has(
            &f,
            Level::Error,
            "spec.jwtRules[0].issuer",
            "issuer or jwksUri must be non-empty string"
        ));
        let f = validated(serde_json::json!({"jwtRules": [{"issuer": ""}]}));
        assert!(has(
            &f,
            Level::Error,
            "spec.jwtRules[0].issuer",
            "at least 1 chars long"
        ));
    }

    #[test]
    fn inline_jwks() {
        let f = run(serde_json::json!({"jwtRules": [{"issuer": "a", "jwks": "{bad"}]}));
        assert!(has(
            &f,
            Level::Error,
            "spec.jwtRules[0].jwks",
            "jwks parse error"
        ));
        let f = run(serde_json::json!({"jwtRules": [{"issuer": "a",
            "jwks": r#"{"keys":[{"kty":"RSA","e":"AQAB","n":"qQ"},{"kty":"oct","k":"c2VjcmV0"}]}"#}]}));
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(has(
            &f,
            Level::Warning,
            "spec.jwtRules[0].jwks",
            "jwks key at index 1 contains private key material"
        ));
    }

    #[test]
    fn timeouts() {
        let f = run(serde_json::json!({"jwtRules": [
            {"issuer": "a", "timeout": "0s"},
            {"issuer": "a", "timeout": "1.5ms"},
            {"issuer": "a", "timeout": "apple"},
            {"issuer": "a", "timeout": "1ms"},
        ]}));
        assert!(has(
            &f,
            Level::Error,
            "spec.jwtRules[0].timeout",
            "must be a valid duration greater than 1ms"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.jwtRules[1].timeout",
            "only durations to ms precision"
        ));
        assert_eq!(f.len(), 2, "{f:?}");
    }

    #[test]
    fn rule_count_limits() {
        let claims: Vec<String> = (0..65).map(|i| format!("c{i}")).collect();
        let f = validated(
            serde_json::json!({"jwtRules": [{"issuer": "a", "spaceDelimitedClaims": claims}]}),
        );
        assert!(has(
            &f,
            Level::Error,
            "spec.jwtRules[0].spaceDelimitedClaims",
            "at most 64 items"
        ));
    }
}
