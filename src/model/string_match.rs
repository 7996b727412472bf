//! `StringMatch` (exact, prefix, regex) read the way Istio reads it, once for validation,
//! analysis and routing: which field of the one-of counts, what an empty match means, and how a
//! regex matches (the whole value, RE2 syntax as Envoy's `safe_regex`). Pure semantics: the
//! route engine compiles conditions into matchers, analyzers reason about them.

use regex::Regex;

use super::networking::virtual_service::StringMatch;

/// What a `StringMatch` accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Condition<'a> {
    Exact(&'a str),
    Prefix(&'a str),
    /// A regex that must match the whole value.
    Regex(&'a str),
    /// Any value (for headers and query parameters: the key must be present).
    Present,
}

impl StringMatch {
    /// The condition this match states: the first of `exact`, `prefix`, `regex` that is set
    /// (validation rejects more than one). An empty match accepts any value; in a map of
    /// headers or query parameters (`in_map`) it, like `regex: "*"`, only asks for presence.
    pub fn condition(&self, in_map: bool) -> Condition<'_> {
        if let Some(e) = &self.exact {
            return Condition::Exact(e);
        }
        if let Some(p) = &self.prefix {
            return Condition::Prefix(p);
        }
        match &self.regex {
            Some(r) if in_map && r == "*" => Condition::Present,
            Some(r) => Condition::Regex(r),
            None => Condition::Present,
        }
    }
}

/// Builds the matcher of a regex condition: anchored at both ends, as Envoy's RE2
/// `FullMatch`, with a bounded program size. RE2-only syntax checks are validation's
/// (`check::validate::common::validate_re2`); callers that must refuse what RE2 refuses run
/// that first.
pub fn full_match_regex(re: &str) -> Result<Regex, regex::Error> {
    regex::RegexBuilder::new(&format!("^(?:{re})$"))
        .size_limit(1 << 22)
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sm(exact: Option<&str>, prefix: Option<&str>, regex: Option<&str>) -> StringMatch {
        StringMatch {
            exact: exact.map(str::to_string),
            prefix: prefix.map(str::to_string),
            regex: regex.map(str::to_string),
        }
    }

    #[test]
    fn one_of_and_empty_matches() {
        assert_eq!(
            sm(Some("/a"), Some("/b"), None).condition(false),
            Condition::Exact("/a")
        );
        assert_eq!(
            sm(None, Some("/b"), Some("x")).condition(false),
            Condition::Prefix("/b")
        );
        assert_eq!(
            sm(None, None, Some("/v.*")).condition(false),
            Condition::Regex("/v.*")
        );
        assert_eq!(sm(None, None, None).condition(false), Condition::Present);
        assert_eq!(
            sm(None, None, Some("*")).condition(true),
            Condition::Present
        );
        assert_eq!(
            sm(None, None, Some("*")).condition(false),
            Condition::Regex("*")
        );
    }

    #[test]
    fn regexes_match_the_whole_value() {
        let r = full_match_regex("/a|/b").unwrap();
        assert!(r.is_match("/a") && r.is_match("/b") && !r.is_match("/ab") && !r.is_match("x/a"));
        assert!(full_match_regex("(").is_err());
    }
}
