//! Admission rules for WasmPlugin: the CRD's constraints (url scheme, sha256, lengths, list-map
//! keys, the env `value`/`valueFrom` rule) and istiod's `ValidateWasmPlugin`.
//!
//! Also holds [`go_url`], a faithful port of the parts of Go's `net/url` that Istio and the
//! Kubernetes CEL `url()`/`isURL()` functions rely on; RequestAuthentication uses it for
//! `jwksUri`.

use std::collections::BTreeSet;

use super::Ctx;
use super::codes::*;
use super::common::check_selector_and_targets;
use crate::model::extensions::{EnvValueSource, WasmPlugin};

pub fn validate(spec: &WasmPlugin, ctx: &mut Ctx<'_>) {
    check_selector_and_targets(
        spec.selector.as_ref(),
        spec.target_ref.as_ref(),
        spec.target_refs.as_deref(),
        ctx,
    );

    if let Some(url) = &spec.url
        && !url.is_empty()
        && !url_has_allowed_scheme(url)
    {
        ctx.report(
            WASM_PLUGIN,
            "spec.url",
            "url must have schema one of [http, https, file, oci]",
        );
    }
    if let Some(vm) = &spec.vm_config {
        let mut seen = BTreeSet::new();
        for (i, env) in vm.env.iter().enumerate() {
            let path = format!("spec.vmConfig.env[{i}]");
            if let Some(name) = &env.name
                && !seen.insert(name.as_str())
            {
                ctx.report(
                    WASM_PLUGIN,
                    format!("{path}.name"),
                    format!("Duplicate value: {{\"name\":{name:?}}}"),
                );
            }
            // CRD CEL: a HOST variable takes its value from the proxy's environment, so an
            // explicit `value` (even an empty one) is rejected.
            if env.value_from == Some(EnvValueSource::Host) && env.value.is_some() {
                ctx.report(
                    WASM_PLUGIN,
                    format!("{path}.value"),
                    "value may only be set when valueFrom is INLINE",
                );
            }
        }
    }

    for (i, selector) in spec.r#match.iter().enumerate() {
        let mut seen = BTreeSet::new();
        for (j, port) in selector.ports.iter().enumerate() {
            let path = format!("spec.match[{i}].ports[{j}].number");
            let Some(number) = port.number else { continue };
            if !seen.insert(number) {
                ctx.report(
                    WASM_PLUGIN,
                    path,
                    format!("Duplicate value: {{\"number\":{number}}}"),
                );
            }
        }
    }
}

/// The CRD's CEL rule on `url` (istiod's `validateWasmPluginURL` accepts exactly the same set):
/// an absolute URL with scheme http, https, oci or file, a path (`/opt/x.wasm`), or something
/// that becomes a valid URL once `http://` is put in front (`registry.io/org/image:tag`).
fn url_has_allowed_scheme(url: &str) -> bool {
    const SCHEMES: [&str; 5] = ["", "http", "https", "oci", "file"];
    if go_url::parse_request_uri(url).is_ok() {
        return go_url::cel_url(url).is_ok_and(|u| SCHEMES.contains(&u.scheme.as_str()));
    }
    go_url::cel_url(&format!("http://{url}")).is_ok()
}

/// Go's `net/url` parsing (`url.Parse`, `url.ParseRequestURI`), as far as validation needs it:
/// whether a string parses, and its scheme, host and port.
pub(super) mod go_url {
    /// The parts of a parsed URL that the rules look at.
    #[derive(Debug, Default, PartialEq)]
    pub(in super::super) struct Url {
        /// Lower-cased, as Go stores it.
        pub scheme: String,
        /// Host without port, brackets kept for IPv6 literals.
        pub host: String,
        /// The digits after the host's last `:`, if any.
        pub port: String,
    }

    /// `url.Parse`: any URL reference; the fragment is split off first.
    pub(in super::super) fn parse(raw: &str) -> Result<Url, String> {
        let (rest, fragment) = match raw.split_once('#') {
            Some((r, f)) => (r, Some(f)),
            None => (raw, None),
        };
        let url = parse_inner(rest, false)?;
        if let Some(f) = fragment {
            unescape_check(f, Mode::Other)?;
        }
        Ok(url)
    }

    /// `url.ParseRequestURI`: an absolute URL or an absolute path; no fragment handling.
    pub(in super::super) fn parse_request_uri(raw: &str) -> Result<Url, String> {
        parse_inner(raw, true)
    }

    /// The Kubernetes CEL `url()` conversion: `ParseRequestURI` must accept the string, and the
    /// URL is then taken from `Parse`.
    pub(in super::super) fn cel_url(raw: &str) -> Result<Url, String> {
        parse_request_uri(raw)?;
        parse(raw)
    }

    fn parse_inner(raw: &str, via_request: bool) -> Result<Url, String> {
        if raw.bytes().any(|b| b < 0x20 || b == 0x7f) {
            return Err("net/url: invalid control character in URL".into());
        }
        if raw.is_empty() && via_request {
            return Err("empty url".into());
        }
        let mut url = Url::default();
        if raw == "*" {
            return Ok(url);
        }
        let (scheme, rest) = split_scheme(raw)?;
        url.scheme = scheme.to_ascii_lowercase();

        let rest = if rest.ends_with('?') && rest.matches('?').count() == 1 {
            &rest[..rest.len() - 1]
        } else {
            rest.split_once('?').map_or(rest, |(r, _)| r)
        };

        if !rest.starts_with('/') {
            if !url.scheme.is_empty() {
                // A rootless path after a scheme is opaque (`mailto:x`).
                return Ok(url);
            }
            if via_request {
                return Err("invalid URI for request".into());
            }
            let segment = rest.split_once('/').map_or(rest, |(s, _)| s);
            if segment.contains(':') {
                return Err("first path segment in URL cannot contain colon".into());
            }
        }

        let mut path = rest;
        let has_authority = (!url.scheme.is_empty() || (!via_request && !rest.starts_with("///")))
            && rest.starts_with("//");
        if has_authority {
            let after = &rest[2..];
            let (authority, remainder) = match after.find('/') {
                Some(i) => (&after[..i], &after[i..]),
                None => (after, ""),
            };
            let (host, port) = parse_authority(authority)?;
            url.host = host;
            url.port = port;
            path = remainder;
        }
        unescape_check(path, Mode::Other)?;
        Ok(url)
    }

    /// Go's `getScheme`.
    fn split_scheme(raw: &str) -> Result<(&str, &str), String> {
        for (i, c) in raw.bytes().enumerate() {
            match c {
                b'a'..=b'z' | b'A'..=b'Z' => {}
                b'0'..=b'9' | b'+' | b'-' | b'.' => {
                    if i == 0 {
                        return Ok(("", raw));
                    }
                }
                b':' => {
                    if i == 0 {
                        return Err("missing protocol scheme".into());
                    }
                    return Ok((&raw[..i], &raw[i + 1..]));
                }
                _ => return Ok(("", raw)),
            }
        }
        Ok(("", raw))
    }

    /// `[userinfo@]host[:port]`; returns (host, port).
    fn parse_authority(authority: &str) -> Result<(String, String), String> {
        let (userinfo, hostport) = match authority.rfind('@') {
            Some(i) => (Some(&authority[..i]), &authority[i + 1..]),
            None => (None, authority),
        };
        let parsed = parse_host(hostport)?;
        if let Some(userinfo) = userinfo {
            if !valid_userinfo(userinfo) {
                return Err("net/url: invalid userinfo".into());
            }
            unescape_check(userinfo, Mode::Other)?;
        }
        Ok(parsed)
    }

    fn parse_host(host: &str) -> Result<(String, String), String> {
        if let Some(inner) = host.strip_prefix('[') {
            let Some(close) = inner.rfind(']') else {
                return Err("missing ']' in host".into());
            };
            let colon_port = &inner[close + 1..];
            if !valid_optional_port(colon_port) {
                return Err(format!("invalid port {colon_port:?} after host"));
            }
            let literal = &inner[..close];
            let (addr, zone) = match literal.find("%25") {
                Some(z) => (&literal[..z], Some(&literal[z + 3..])),
                None => (literal, None),
            };
            if addr.parse::<std::net::Ipv6Addr>().is_err() {
                return Err(format!("invalid IP-literal {host:?}"));
            }
            if let Some(zone) = zone {
                unescape_check(zone, Mode::Zone)?;
            }
            let port = colon_port.strip_prefix(':').unwrap_or("").to_string();
            return Ok((format!("[{literal}]"), port));
        }
        let (name, port) = match host.rfind(':') {
            Some(i) => {
                let colon_port = &host[i..];
                if !valid_optional_port(colon_port) {
                    return Err(format!("invalid port {colon_port:?} after host"));
                }
                (&host[..i], &colon_port[1..])
            }
            None => (host, ""),
        };
        unescape_check(host, Mode::Host)?;
        Ok((name.to_string(), port.to_string()))
    }

    fn valid_optional_port(port: &str) -> bool {
        match port.strip_prefix(':') {
            None => port.is_empty(),
            Some(digits) => digits.bytes().all(|b| b.is_ascii_digit()),
        }
    }

    fn valid_userinfo(s: &str) -> bool {
        s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._:~!$&'()*+,;=%@".contains(c))
    }

    #[derive(Clone, Copy, PartialEq)]
    enum Mode {
        Host,
        Zone,
        Other,
    }

    /// Go's `unescape`, only for its verdict: `%` must start a two-digit hex escape, and hosts
    /// may not hold ASCII characters outside the RFC 3986 reg-name set.
    fn unescape_check(s: &str, mode: Mode) -> Result<(), String> {
        let bytes = s.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let c = bytes[i];
            if c == b'%' {
                let escape = bytes.get(i..i + 3).filter(|e| {
                    e.get(1).is_some_and(u8::is_ascii_hexdigit)
                        && e.get(2).is_some_and(u8::is_ascii_hexdigit)
                });
                let Some(escape) = escape else {
                    let end = (i + 3).min(bytes.len());
                    return Err(format!(
                        "invalid URL escape {:?}",
                        String::from_utf8_lossy(&bytes[i..end])
                    ));
                };
                let value = hex(escape[1]) << 4 | hex(escape[2]);
                let text = String::from_utf8_lossy(escape);
                if mode == Mode::Host && hex(escape[1]) < 8 && escape != b"%25" {
                    return Err(format!("invalid URL escape {text:?}"));
                }
                if mode == Mode::Zone
                    && escape != b"%25"
                    && value != b' '
                    && value < 0x80
                    && host_should_escape(value)
                {
                    return Err(format!("invalid URL escape {text:?}"));
                }
                i += 3;
                continue;
            }
            if matches!(mode, Mode::Host | Mode::Zone) && c < 0x80 && host_should_escape(c) {
                return Err(format!(
                    "invalid character {:?} in host name",
                    char::from(c).to_string()
                ));
            }
            i += 1;
        }
        Ok(())
    }

    fn hex(c: u8) -> u8 {
        match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            b'A'..=b'F' => c - b'A' + 10,
            _ => 0,
        }
    }

    /// Go's `shouldEscape(c, encodeHost)` for ASCII bytes.
    fn host_should_escape(c: u8) -> bool {
        !(c.is_ascii_alphanumeric() || b"-_.~!$&'()*+,;=:[]<>\"".contains(&c))
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn parse_request_uri_cases() {
            assert!(parse_request_uri("http://example.com/a?b#c").is_ok());
            assert!(parse_request_uri("/opt/filter.wasm").is_ok());
            assert!(parse_request_uri("oci://ghcr.io/a/b:1.0").is_ok());
            assert!(parse_request_uri("test").is_err());
            assert!(parse_request_uri("").is_err());
            assert!(parse_request_uri("registry.io/a:b").is_err());
            assert!(parse_request_uri(":foo").is_err());
            assert!(parse_request_uri("http://a b/").is_err());
            assert!(parse_request_uri("http://#%blah$#@").is_err());
            assert!(parse_request_uri("http://host:80x/").is_err());
            assert!(parse_request_uri("http://[::1]:8080/").is_ok());
            assert!(parse_request_uri("http://[nope]/").is_err());
            assert!(parse_request_uri("http://a/%zz").is_err());
            assert!(parse_request_uri("http://a/\u{8}").is_err());
        }

        #[test]
        fn parse_cases() {
            assert!(parse("relative/path").is_ok());
            assert!(parse("a:b/c").is_ok());
            assert!(parse("1a:b").is_err());
            assert!(parse("http://h/p#frag%zz").is_err());
            let u = parse("HTTPS://user:pw@Example.com:8443/jwks").unwrap();
            assert_eq!(u.scheme, "https");
            assert_eq!(u.host, "Example.com");
            assert_eq!(u.port, "8443");
            let u = parse("http://[fe80::1%25en0]:99/").unwrap();
            assert_eq!(u.port, "99");
            assert!(parse("http://us er@h/").is_err());
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
            "extensions.istio.io/v1alpha1",
            "WasmPlugin",
            spec,
        )
    }

    fn run(spec: serde_json::Value) -> Vec<Finding> {
        crate::check::validate::testing::run::<WasmPlugin>(spec, validate)
    }

    fn has(f: &[Finding], path: &str, msg: &str) -> bool {
        f.iter()
            .any(|f| f.level == Level::Error && f.path == path && f.message.contains(msg))
    }

    #[test]
    fn accepts_valid_plugins() {
        for url in [
            "file:///opt/filters/openid.wasm",
            "http://test",
            "https://example.com/a.wasm",
            "oci://ghcr.io/x/y:1.0",
            "test",
            "ghcr.io/x/y:1.0",
            "/opt/x.wasm",
        ] {
            let f = run(serde_json::json!({"url": url}));
            assert!(f.is_empty(), "{url}: {f:?}");
        }
        let f = run(serde_json::json!({
            "selector": {"matchLabels": {"istio": "ingressgateway"}},
            "url": "file:///opt/filters/openid.wasm",
            "sha256": "1ef0c9a92b0420cf25f7fe5d481b231464bc88f486ca3b9c83ed5cc21d2f6210",
            "phase": "AUTHN",
            "pluginConfig": {"openid_server": "authn"},
            "vmConfig": {"env": [
                {"name": "test", "valueFrom": "HOST"},
                {"name": "test2", "valueFrom": "INLINE", "value": "test"},
                {"name": "test3", "value": "test"},
            ]},
            "match": [{"mode": "SERVER", "ports": [{"number": 80}, {"number": 443}]}],
        }));
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn url_rules() {
        let f = validated(serde_json::json!({"url": ""}));
        assert!(has(&f, "spec.url", "at least 1 chars long"));
        assert_eq!(f.len(), 1);
        for bad in ["#%blah$#@", "fake://example.com", "x:y", "http://a/%zz"] {
            let f = validated(serde_json::json!({"url": bad}));
            assert!(
                has(&f, "spec.url", "url must have schema one of"),
                "{bad}: {f:?}"
            );
        }
        // Go quirk kept on purpose: "http://a b" fails, but "http://http://a b" parses (host
        // "http:", path "//a b"), so both the CRD rule and istiod accept it.
        assert!(validated(serde_json::json!({"url": "http://a b"})).is_empty());
    }

    #[test]
    fn field_constraints() {
        let f = validated(serde_json::json!({
            "url": "http://test", "sha256": "foo", "imagePullSecret": "", "pluginName": "",
        }));
        assert!(has(&f, "spec.sha256", "should match"));
        assert!(has(&f, "spec.imagePullSecret", "at least 1 chars long"));
        assert!(has(&f, "spec.pluginName", "at least 1 chars long"));
        let f = validated(serde_json::json!({
            "url": "http://test", "imagePullSecret": "s".repeat(254), "pluginName": "p".repeat(257),
        }));
        assert!(has(&f, "spec.imagePullSecret", "Too long"));
        assert!(has(&f, "spec.pluginName", "Too long"));
        // Uppercase hex is not accepted by the CRD pattern.
        let f = validated(serde_json::json!({"url": "http://test", "sha256": "A".repeat(64)}));
        assert!(has(&f, "spec.sha256", "should match"));
    }

    #[test]
    fn env_rules() {
        let f = validated(
            serde_json::json!({"url": "http://test", "vmConfig": {"env": [
                {"name": "a"}, {"name": "a"}, {"name": ""},
                {"name": "h", "valueFrom": "HOST", "value": "value"},
                {"name": "h2", "valueFrom": "HOST", "value": ""},
                {"name": "long", "value": "v".repeat(2049)},
            ]}}),
        );
        assert!(has(&f, "spec.vmConfig.env[1].name", "Duplicate value"));
        assert!(has(
            &f,
            "spec.vmConfig.env[2].name",
            "at least 1 chars long"
        ));
        assert!(has(
            &f,
            "spec.vmConfig.env[3].value",
            "value may only be set when valueFrom is INLINE"
        ));
        assert!(has(
            &f,
            "spec.vmConfig.env[4].value",
            "value may only be set when valueFrom is INLINE"
        ));
        assert!(has(&f, "spec.vmConfig.env[5].value", "Too long"));
        assert_eq!(f.len(), 5, "{f:?}");
        let many: Vec<serde_json::Value> = (0..257)
            .map(|i| serde_json::json!({"name": format!("e{i}")}))
            .collect();
        let f = validated(serde_json::json!({"url": "http://test", "vmConfig": {"env": many}}));
        assert!(has(&f, "spec.vmConfig.env", "at most 256 items"));
    }

    #[test]
    fn match_ports() {
        let f = validated(serde_json::json!({"url": "http://test", "match": [
            {"ports": [{"number": 0}, {"number": 65536}, {"number": 80}, {"number": 80}]},
            {"ports": [{"number": 80}]},
        ]}));
        assert!(has(
            &f,
            "spec.match[0].ports[0].number",
            "greater than or equal to 1"
        ));
        assert!(has(
            &f,
            "spec.match[0].ports[1].number",
            "less than or equal to 65535"
        ));
        assert!(has(&f, "spec.match[0].ports[3].number", "Duplicate value"));
        assert_eq!(f.len(), 3, "{f:?}");
    }

    #[test]
    fn selector_and_targets() {
        let f = run(serde_json::json!({"url": "http://test",
            "selector": {"matchLabels": {"istio*": "bar"}}}));
        assert!(has(
            &f,
            "spec.selector.matchLabels",
            "wildcard not allowed in label key match"
        ));
        let f = run(serde_json::json!({"url": "http://test",
            "selector": {"matchLabels": {"a": "b"}},
            "targetRefs": [{"kind": "Gateway", "group": "gateway.networking.k8s.io", "name": "gw"}]}));
        assert!(has(
            &f,
            "spec.targetRefs",
            "only one of targetRefs or selector can be set"
        ));
    }
}
