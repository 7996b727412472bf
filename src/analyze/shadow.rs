//! MSH3001 shadowed routes: an HTTP rule (or one match block of it) that can never match,
//! because an earlier rule of the same VirtualService takes every request it would take — not
//! only identical matches (Istio's IST0130/IST0131) but any earlier match that is at least as
//! broad: a shorter URI prefix, a regex that accepts the exact path, fewer header conditions.
//! Each finding carries a counterexample: a request the shadowed rule was written for, and the
//! earlier rule that routes it.

use super::context::Context;
use super::{Analyzer, Sink};
use crate::model::map::Map;
use crate::model::networking::VirtualService;
use crate::model::networking::virtual_service::{HttpMatchRequest, StringMatch};
use crate::model::string_match::{Condition as Cond, full_match_regex};

pub const SHADOWED_ROUTES: Analyzer = Analyzer {
    name: "meshctl.ShadowedRouteAnalyzer",
    description: "Finds HTTP rules and match blocks that can never match because an earlier rule of the same VirtualService covers every request they would take, and prints such a request",
    codes: &["MSH3001"],
    run: shadowed_routes,
};

fn cond(m: &StringMatch) -> Cond<'_> {
    m.condition(false)
}

/// A header or query parameter condition (an empty match, or `regex: "*"`, asks for presence).
fn cond_in_map(m: &StringMatch) -> Cond<'_> {
    m.condition(true)
}

fn full_match(re: &str, s: &str) -> bool {
    full_match_regex(re).is_ok_and(|r| r.is_match(s))
}

/// Whether every value `later` accepts is accepted by `earlier` (sound, not complete: `false`
/// when unsure). With `fold`, `earlier` compares case-insensitively.
fn implies(later: &Cond, earlier: &Cond, fold: bool) -> bool {
    let eq = |a: &str, b: &str| {
        if fold {
            a.eq_ignore_ascii_case(b)
        } else {
            a == b
        }
    };
    let starts = |s: &str, p: &str| {
        if fold {
            s.to_ascii_lowercase().starts_with(&p.to_ascii_lowercase())
        } else {
            s.starts_with(p)
        }
    };
    match (earlier, later) {
        (Cond::Present, _) => true,
        (Cond::Regex(r), _) if *r == ".*" || *r == "^.*$" => true,
        (Cond::Exact(e), Cond::Exact(l)) => eq(l, e),
        (Cond::Prefix(p), Cond::Exact(l) | Cond::Prefix(l)) => starts(l, p),
        (Cond::Prefix(p), _) => p.is_empty(),
        (Cond::Regex(r), Cond::Exact(l)) => full_match(r, l),
        (Cond::Regex(a), Cond::Regex(b)) => a == b,
        _ => false,
    }
}

/// Whether every request `later` accepts is accepted by `earlier` (within one VirtualService
/// whose own gateways are `vs_gateways`).
fn covers(earlier: &HttpMatchRequest, later: &HttpMatchRequest, vs_gateways: &[String]) -> bool {
    let opt =
        |e: Option<&StringMatch>, l: Option<&StringMatch>, fold: (bool, bool), uri: bool| match (
            e, l,
        ) {
            (None, _) => true,
            (Some(e), None) => universal(&cond(e), uri),
            (Some(e), Some(l)) => {
                let (ce, cl) = (cond(e), cond(l));
                // A case-insensitive later match also takes other spellings.
                let (fold_e, fold_l) = fold;
                (!fold_l || fold_e || !has_letters(&cl)) && implies(&cl, &ce, fold_e)
            }
        };
    let fold_e = earlier.ignore_uri_case == Some(true);
    let fold_l = later.ignore_uri_case == Some(true);
    let maps = |e: &Map<StringMatch>, l: &Map<StringMatch>| {
        e.iter().all(|(k, em)| {
            l.get(k)
                .is_some_and(|lm| implies(&cond_in_map(lm), &cond_in_map(em), false))
        })
    };
    // Later's withoutHeaders must exclude at least what earlier's exclude.
    let without = earlier.without_headers.iter().all(|(k, em)| {
        later
            .without_headers
            .get(k)
            .is_some_and(|lm| implies(&cond_in_map(em), &cond_in_map(lm), false))
    });
    let gateways = || {
        if earlier.gateways.is_empty() {
            return true;
        }
        let later_gw: &[String] = if later.gateways.is_empty() {
            vs_gateways
        } else {
            &later.gateways
        };
        !later_gw.is_empty() && later_gw.iter().all(|g| earlier.gateways.contains(g))
    };
    let exact = (false, false);
    opt(
        earlier.uri.as_ref(),
        later.uri.as_ref(),
        (fold_e, fold_l),
        true,
    ) && opt(
        earlier.scheme.as_deref(),
        later.scheme.as_deref(),
        exact,
        false,
    ) && opt(
        earlier.method.as_deref(),
        later.method.as_deref(),
        exact,
        false,
    ) && opt(
        earlier.authority.as_deref(),
        later.authority.as_deref(),
        exact,
        false,
    ) && maps(&earlier.headers, &later.headers)
        && maps(&earlier.query_params, &later.query_params)
        && without
        && earlier.port.is_none_or(|p| later.port == Some(p))
        && earlier
            .source_labels
            .iter()
            .all(|(k, v)| later.source_labels.get(k) == Some(v))
        && earlier
            .source_namespace
            .as_ref()
            .is_none_or(|n| later.source_namespace.as_ref() == Some(n))
        && gateways()
}

/// Whether a condition accepts every value (for the URI, `prefix: /` does: every HTTP path
/// starts with a slash).
fn universal(c: &Cond, uri: bool) -> bool {
    match c {
        Cond::Present => true,
        Cond::Prefix(p) => p.is_empty() || (uri && *p == "/"),
        Cond::Regex(r) => *r == ".*" || *r == "^.*$",
        Cond::Exact(_) => false,
    }
}

fn has_letters(c: &Cond) -> bool {
    match c {
        Cond::Exact(s) | Cond::Prefix(s) | Cond::Regex(s) => s.chars().any(|c| c.is_alphabetic()),
        Cond::Present => true,
    }
}

/// A concrete value a condition accepts, if one can be found.
fn sample(c: &Cond) -> Option<String> {
    match c {
        Cond::Exact(s) => Some(s.to_string()),
        Cond::Prefix(p) => Some(p.to_string()),
        Cond::Present => Some("x".to_string()),
        Cond::Regex(r) => {
            let literal: String = r
                .trim_start_matches('^')
                .chars()
                .take_while(|c| c.is_alphanumeric() || "/-_~".contains(*c))
                .collect();
            [
                literal.clone(),
                format!("{literal}x"),
                format!("{literal}/x"),
                format!("{literal}1"),
            ]
            .into_iter()
            .find(|s| full_match(r, s))
        }
    }
}

/// A request `m` accepts, written like a curl command line.
fn counterexample(m: &HttpMatchRequest, vs: &VirtualService) -> String {
    let method = m
        .method
        .as_ref()
        .and_then(|x| sample(&cond(x)))
        .unwrap_or_else(|| "GET".to_string());
    let scheme = m
        .scheme
        .as_ref()
        .and_then(|x| sample(&cond(x)))
        .unwrap_or_else(|| "http".to_string());
    let authority = m
        .authority
        .as_ref()
        .and_then(|x| sample(&cond(x)))
        .or_else(|| {
            vs.hosts
                .iter()
                .find(|h| !h.starts_with('*'))
                .cloned()
                .or_else(|| vs.hosts.first().map(|h| h.replacen('*', "app", 1)))
        })
        .unwrap_or_else(|| "example".to_string());
    let port = m.port.map(|p| format!(":{p}")).unwrap_or_default();
    let path = match &m.uri {
        None => "/".to_string(),
        Some(u) => sample(&cond(u)).unwrap_or_else(|| "/".to_string()),
    };
    let path = if path.starts_with('/') {
        path
    } else {
        format!("/{path}")
    };
    let query: Vec<String> = m
        .query_params
        .iter()
        .map(|(k, v)| format!("{k}={}", sample(&cond_in_map(v)).unwrap_or_default()))
        .collect();
    let q = if query.is_empty() {
        String::new()
    } else {
        format!("?{}", query.join("&"))
    };
    let mut out = format!("{method} {scheme}://{authority}{port}{path}{q}");
    for (k, v) in &m.headers {
        out.push_str(&format!(
            " -H '{k}: {}'",
            sample(&cond_in_map(v)).unwrap_or_default()
        ));
    }
    out
}

fn describe(m: &HttpMatchRequest) -> String {
    let mut parts = Vec::new();
    let show = |name: &str, s: &StringMatch| match cond(s) {
        Cond::Exact(v) => format!("{name} exact {v:?}"),
        Cond::Prefix(v) => format!("{name} prefix {v:?}"),
        Cond::Regex(v) => format!("{name} regex {v:?}"),
        Cond::Present => format!("{name} present"),
    };
    if let Some(u) = &m.uri {
        parts.push(show("uri", u));
    }
    if let Some(x) = &m.method {
        parts.push(show("method", x));
    }
    if let Some(x) = &m.authority {
        parts.push(show("authority", x));
    }
    for (k, v) in &m.headers {
        parts.push(show(&format!("header {k}"), v));
    }
    for (k, v) in &m.query_params {
        parts.push(show(&format!("query {k}"), v));
    }
    if let Some(p) = m.port {
        parts.push(format!("port {p}"));
    }
    if parts.is_empty() {
        "every request".to_string()
    } else {
        parts.join(", ")
    }
}

/// Every shadowed rule or match block of `vs`: (path, message, help).
pub fn shadowed(vs: &VirtualService) -> Vec<(String, String, String)> {
    let all = HttpMatchRequest::default();
    let mut out = Vec::new();
    // Earlier match blocks: (rule index, match index or None for a catch-all rule, block).
    let mut earlier: Vec<(usize, Option<usize>, &HttpMatchRequest)> = Vec::new();
    for (i, rule) in vs.http.iter().enumerate() {
        let blocks: Vec<(Option<usize>, &HttpMatchRequest)> = if rule.r#match.is_empty() {
            vec![(None, &all)]
        } else {
            rule.r#match
                .iter()
                .enumerate()
                .map(|(j, m)| (Some(j), m))
                .collect()
        };
        let mut found = Vec::new();
        for &(j, m) in &blocks {
            if let Some(&(ei, ej, em)) = earlier.iter().find(|(_, _, e)| covers(e, m, &vs.gateways))
            {
                found.push((j, m, ei, ej, em));
            }
        }
        let at = |i: usize, j: Option<usize>| match j {
            Some(j) => format!("spec.http[{i}].match[{j}]"),
            None => format!("spec.http[{i}]"),
        };
        let name = |i: usize| {
            vs.http[i]
                .name
                .as_deref()
                .map_or(format!("#{i}"), |n| format!("{n:?}"))
        };
        if !found.is_empty() && found.len() == blocks.len() {
            let (_, m, ei, ej, em) = found[0];
            out.push((
                format!("spec.http[{i}]"),
                format!(
                    "HTTP rule {} can never match: every request it takes is routed earlier by rule {} ({} at {})",
                    name(i),
                    name(ei),
                    describe(em),
                    at(ei, ej)
                ),
                format!(
                    "counterexample: `{}` matches this rule ({}) but is routed by rule {}; move this rule before it or narrow the earlier match",
                    counterexample(m, vs),
                    describe(m),
                    name(ei)
                ),
            ));
        } else {
            for (j, m, ei, ej, em) in found {
                out.push((
                    at(i, j),
                    format!(
                        "match block {} of HTTP rule {} can never match: rule {} ({} at {}) takes every request it would",
                        j.unwrap_or(0),
                        name(i),
                        name(ei),
                        describe(em),
                        at(ei, ej)
                    ),
                    format!(
                        "counterexample: `{}` matches this block ({}) but is routed by rule {}",
                        counterexample(m, vs),
                        describe(m),
                        name(ei)
                    ),
                ));
            }
        }
        for (j, m) in blocks {
            earlier.push((i, j, m));
        }
    }
    out
}

fn shadowed_routes(cx: &Context<'_>, sink: &mut Sink) {
    for v in &cx.virtual_services {
        for (path, message, help) in shadowed(&v.spec) {
            sink.push(cx.diag(v.obj, "MSH3001", &path, message).with_help(help));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vs(http: serde_json::Value) -> VirtualService {
        serde_json::from_value(serde_json::json!({"hosts": ["shop.example.com"], "http": http}))
            .unwrap_or_default()
    }

    #[test]
    fn root_prefix_shadows_api() {
        let v = vs(serde_json::json!([
            {"match": [{"uri": {"prefix": "/"}}], "route": [{"destination": {"host": "web"}}]},
            {"match": [{"uri": {"prefix": "/api"}}], "route": [{"destination": {"host": "api"}}]},
        ]));
        let found = shadowed(&v);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, "spec.http[1]");
        assert!(
            found[0].2.contains("`GET http://shop.example.com/api`"),
            "{}",
            found[0].2
        );
    }

    #[test]
    fn narrower_earlier_rules_do_not_shadow() {
        let v = vs(serde_json::json!([
            {"match": [{"uri": {"prefix": "/api"}, "headers": {"x-canary": {"exact": "1"}}}], "route": [{"destination": {"host": "canary"}}]},
            {"match": [{"uri": {"prefix": "/api"}}], "route": [{"destination": {"host": "api"}}]},
            {"match": [{"uri": {"prefix": "/"}}], "route": [{"destination": {"host": "web"}}]},
            {"route": [{"destination": {"host": "web"}}]},
        ]));
        let found = shadowed(&v);
        // Only the final catch-all is shadowed, by the `/` prefix.
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "spec.http[3]");
    }

    #[test]
    fn regex_methods_and_single_blocks() {
        let v = vs(serde_json::json!([
            {"match": [{"uri": {"regex": "/users/[0-9]+"}}], "route": [{"destination": {"host": "a"}}]},
            {"match": [{"uri": {"exact": "/users/42"}}, {"uri": {"exact": "/users/me"}}], "route": [{"destination": {"host": "b"}}]},
            {"match": [{"method": {"exact": "POST"}}], "route": [{"destination": {"host": "c"}}]},
            {"match": [{"method": {"exact": "POST"}, "uri": {"prefix": "/x"}}], "route": [{"destination": {"host": "d"}}]},
        ]));
        let found = shadowed(&v);
        let paths: Vec<&str> = found.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(paths, vec!["spec.http[1].match[0]", "spec.http[3]"]);
        assert!(found[1].2.contains("POST http://shop.example.com/x"));
    }

    #[test]
    fn case_insensitive_later_matches_more() {
        let v = vs(serde_json::json!([
            {"match": [{"uri": {"prefix": "/a"}}], "route": [{"destination": {"host": "a"}}]},
            {"match": [{"uri": {"prefix": "/a"}, "ignoreUriCase": true}], "route": [{"destination": {"host": "b"}}]},
        ]));
        assert!(shadowed(&v).is_empty());
        assert_eq!(sample(&Cond::Regex("/v[0-9]+/x")), None);
        assert_eq!(
            sample(&Cond::Regex("/items/.*")),
            Some("/items/".to_string())
        );
    }
}
