//! Suppressing `validate` findings, each by one of the three means (an annotation on the
//! object, `--suppress`, `.meshctl.yaml`), the MSH1100/MSH1101 aliases, and a wrong code as a
//! usage error. The fixture has three objects with one admission error each.

mod common;

use std::path::{Path, PathBuf};

use common::{meshctl, meshctl_in, stderr};

const FIXTURE: &str = "testdata/suppress/validate.yaml";

fn fixture_abs() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(FIXTURE)
        .display()
        .to_string()
}

/// (code, resource) of every finding of a `-o json` run.
fn findings(o: &std::process::Output) -> Vec<(String, String)> {
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON output parses");
    v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            let r = &d["resource"];
            (
                d["code"].as_str().unwrap_or("").to_string(),
                format!(
                    "{} {}/{}",
                    r["kind"].as_str().unwrap_or(""),
                    r["namespace"].as_str().unwrap_or(""),
                    r["name"].as_str().unwrap_or("")
                ),
            )
        })
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(c, r)| (c.to_string(), r.to_string()))
        .collect()
}

fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "meshctl-validate-suppress-{name}-{}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn the_meshctl_annotation_suppresses_and_istios_does_not() {
    let o = meshctl(&["validate", "-o", "json", FIXTURE]);
    assert_eq!(o.status.code(), Some(1));
    // The VirtualService's MSH1213 is suppressed by `meshctl.dev/suppress`; the
    // DestinationRule's `galley.istio.io/analyze-suppress: "*"` is istioctl analyze's business.
    assert_eq!(
        findings(&o),
        pairs(&[
            ("MSH1241", "DestinationRule shop/flagged"),
            ("MSH1230", "Gateway shop/configured"),
        ])
    );
    let human = meshctl(&["validate", FIXTURE]);
    assert!(
        stderr(&human).contains("1 finding(s) not shown (1 suppressed"),
        "{}",
        stderr(&human)
    );
}

#[test]
fn the_suppress_flag_suppresses_one_finding() {
    let o = meshctl(&[
        "validate",
        "-o",
        "json",
        "--suppress",
        "MSH1241=DestinationRule shop/flagged",
        FIXTURE,
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        findings(&o),
        pairs(&[("MSH1230", "Gateway shop/configured")])
    );
    // Another object's name suppresses nothing.
    let other = meshctl(&[
        "validate",
        "-o",
        "json",
        "-S",
        "MSH1241=DestinationRule shop/other",
        FIXTURE,
    ]);
    assert_eq!(findings(&other).len(), 2);
}

#[test]
fn the_config_file_suppresses_and_the_exit_code_follows() {
    let dir = tempdir("config");
    std::fs::write(
        dir.join(".meshctl.yaml"),
        "suppress: [\"MSH1230=Gateway shop/configured\"]\n",
    )
    .expect("write config");
    let path = fixture_abs();
    let o = meshctl_in(&dir, &["validate", "-o", "json", &path]);
    assert_eq!(
        findings(&o),
        pairs(&[("MSH1241", "DestinationRule shop/flagged")])
    );
    // With the flag for the last one, nothing is left: exit 0.
    let all = meshctl_in(
        &dir,
        &[
            "validate",
            "-S",
            "MSH1241=DestinationRule shop/flagged",
            &path,
        ],
    );
    assert_eq!(all.status.code(), Some(0), "{}", stderr(&all));
    assert!(
        stderr(&all).contains("3 finding(s) not shown (3 suppressed"),
        "{}",
        stderr(&all)
    );
    // `disable:` turns a rule off everywhere; counted as disabled by config.
    std::fs::write(dir.join(".meshctl.yaml"), "disable: [MSH1241, MSH1230]\n")
        .expect("write config");
    let off = meshctl_in(&dir, &["validate", &path]);
    assert_eq!(off.status.code(), Some(0), "{}", stderr(&off));
    assert!(
        stderr(&off).contains("2 disabled by config"),
        "{}",
        stderr(&off)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn msh1100_still_names_every_admission_error() {
    let o = meshctl(&["validate", "-o", "json", "-S", "MSH1100=* shop/*", FIXTURE]);
    assert_eq!(o.status.code(), Some(0));
    assert!(findings(&o).is_empty());
    // MSH1101 (warnings) does not cover errors.
    let w = meshctl(&["validate", "-o", "json", "-S", "MSH1101=* shop/*", FIXTURE]);
    assert_eq!(findings(&w).len(), 2);
}

#[test]
fn a_wrong_code_in_suppress_is_a_usage_error() {
    for bad in [
        "MSH9999=Gateway shop/configured",
        "MSH1230",
        "NOPE=Kind a/b",
    ] {
        let o = meshctl(&["validate", "--suppress", bad, FIXTURE]);
        assert_eq!(o.status.code(), Some(2), "{bad}: {}", stderr(&o));
        assert!(stderr(&o).contains("suppress"), "{}", stderr(&o));
    }
}

#[test]
fn analyze_reports_the_rule_behind_ist0106_and_suppresses_by_it() {
    let ist0106 = |o: &std::process::Output| -> Vec<(String, String)> {
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON output parses");
        v["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .filter(|d| d["code"] == "IST0106")
            .map(|d| {
                (
                    d["rule"].as_str().unwrap_or("").to_string(),
                    d["resource"]["name"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect()
    };
    // The VirtualService's finding is suppressed by its meshctl annotation (naming the rule
    // behind the IST0106), the DestinationRule's by Istio's annotation, which analyze honours.
    let o = meshctl(&["analyze", "-o", "json", FIXTURE]);
    assert_eq!(
        ist0106(&o),
        vec![("MSH1230".to_string(), "configured".to_string())]
    );
    let by_rule = meshctl(&[
        "analyze",
        "-o",
        "json",
        "-S",
        "MSH1230=Gateway shop/configured",
        FIXTURE,
    ]);
    assert!(ist0106(&by_rule).is_empty());
}
