//! Every code meshctl can report, in one table ordered by code. Codes are never reused; a
//! retired code stays here as retired. `docs/rules/` pages and `--list` output come from this
//! table, and a test fails when they drift.
//!
//! Ranges: MSH0xxx input and YAML, MSH1xxx schema and validation, MSH2xxx single-object lint,
//! MSH3xxx cross-object analysis, MSH4xxx live cluster. Istio's own analyzer codes (IST0xxx) keep
//! Istio's meaning.

use super::Severity;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lifecycle {
    Stable,
    Retired,
}

#[derive(Debug)]
pub struct CodeInfo {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
    pub lifecycle: Lifecycle,
}

macro_rules! catalog {
    ($($code:literal $name:literal $sev:ident $summary:literal;)*) => {
        pub static CATALOG: &[CodeInfo] = &[
            $(CodeInfo {
                code: $code,
                name: $name,
                severity: Severity::$sev,
                summary: $summary,
                lifecycle: Lifecycle::Stable,
            },)*
        ];
    };
}

catalog! {
    "MSH0001" "yaml-syntax-error" Error "The input is not valid YAML.";
    "MSH0002" "duplicate-key" Error "A mapping has the same key twice; the API server's strict decoding rejects it.";
    "MSH0003" "alias-expansion-limit" Error "YAML aliases expand to too many nodes (a \"billion laughs\" document).";
    "MSH0004" "nesting-too-deep" Error "The document nests deeper than meshctl accepts.";
    "MSH0005" "not-text" Error "The input is binary or not valid UTF-8.";
    "MSH0006" "not-an-object" Error "A YAML document is not a mapping, so it cannot be a Kubernetes object.";
    "MSH0007" "non-string-key" Error "A mapping key is a collection; Kubernetes objects only have string keys.";
    "MSH1001" "missing-type-meta" Error "apiVersion or kind is missing or not a string.";
    "MSH1002" "unknown-kind" Error "The kind does not exist in a known API group.";
    "MSH1003" "unknown-version" Error "The kind is not served in this API version.";
    "MSH1004" "not-validated" Info "The resource belongs to an API group meshctl does not model; it was not validated.";
    "MSH1005" "invalid-metadata" Error "metadata.name or metadata.namespace is missing or not a valid name.";
    "MSH1006" "unknown-field" Error "The field does not exist in the schema of this kind.";
    "MSH1007" "wrong-type" Error "The value has the wrong type for its field.";
    "MSH1008" "invalid-enum-value" Error "The value is not one of the values the field accepts.";
    "MSH1009" "oneof-conflict" Error "More than one member of a one-of group is set.";
    "MSH1010" "missing-required-field" Error "A required field is missing.";
    "MSH1011" "value-out-of-range" Error "A number does not fit the range of its field.";
    "MSH1012" "invalid-duration" Error "A duration is not in the form Istio accepts (e.g. \"1.5s\", \"100ms\").";
    "MSH1100" "invalid-value" Error "Istio's or Kubernetes' admission rules reject the value.";
    "MSH1101" "validation-warning" Warning "Istio accepts the value but warns about it.";
}

pub fn lookup(code: &str) -> Option<&'static CodeInfo> {
    CATALOG.iter().find(|c| c.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_docs_page_and_every_page_a_code() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules");
        for c in CATALOG {
            let page = std::fs::read_to_string(dir.join(format!("{}.md", c.code)))
                .unwrap_or_else(|_| panic!("docs/rules/{}.md is missing", c.code));
            assert!(
                page.starts_with(&format!("# {} {}\n", c.code, c.name)),
                "docs/rules/{}.md must start with its code and name",
                c.code
            );
        }
        for entry in std::fs::read_dir(&dir).expect("docs/rules exists") {
            let name = entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned();
            let code = name.trim_end_matches(".md");
            assert!(
                lookup(code).is_some(),
                "docs/rules/{name} has no catalogue entry"
            );
        }
    }

    #[test]
    fn codes_are_sorted_unique_and_well_formed() {
        for pair in CATALOG.windows(2) {
            assert!(
                pair[0].code < pair[1].code,
                "{} before {}",
                pair[0].code,
                pair[1].code
            );
        }
        for c in CATALOG {
            assert!(c.code.len() == 7 && (c.code.starts_with("MSH") || c.code.starts_with("IST")));
            assert!(!c.summary.is_empty());
            assert!(
                c.name
                    .chars()
                    .all(|ch| ch.is_ascii_lowercase() || ch == '-')
            );
        }
    }
}
