//! CLI tests of `meshctl analyze` and `meshctl lint`: every analyzer and lint rule on a fixture
//! of `testdata/analyze` and `testdata/lint`, asserted as (code, resource) pairs; fixtures that
//! must produce nothing; suppression, config file, baseline and thresholds; exit codes in every
//! format; and the structure of SARIF and GitHub output.

mod common;

use std::path::Path;
use std::process::Output;

use serde_json::Value;

use common::{
    diagnostics, expect, json, meshctl, meshctl_in, meshctl_without_cluster, pairs, stderr, stdout,
};

/// `meshctl analyze -o json ARGS...`.
fn analyze_json(args: &[&str]) -> Output {
    let mut all = vec!["analyze", "-o", "json"];
    all.extend(args);
    meshctl(&all)
}

fn analyze(path: &str) -> Vec<(String, String)> {
    pairs(&json(&analyze_json(&[path])))
}

#[test]
fn references_to_hosts_subsets_ports_and_gateways() {
    assert_eq!(
        analyze("testdata/analyze/references.yaml"),
        expect(&[
            ("IST0101", "VirtualService shop/typo"),
            ("IST0101", "VirtualService shop/not-exported"),
            ("IST0101", "VirtualService shop/subset"),
            ("IST0112", "VirtualService shop/ports"),
            ("IST0101", "VirtualService shop/gateways"),
            // One for the Gateway that serves none of its hosts, one for the missing gateway
            // (which serves none either; Istio reports both).
            ("IST0132", "VirtualService shop/gateways"),
            ("IST0132", "VirtualService shop/gateways"),
        ])
    );
}

#[test]
fn conflicting_mesh_hosts() {
    assert_eq!(
        analyze("testdata/analyze/mesh-hosts.yaml"),
        expect(&[
            ("IST0109", "VirtualService shop/a"),
            ("IST0109", "VirtualService shop/b")
        ])
    );
}

#[test]
fn gateways() {
    assert_eq!(
        analyze("testdata/analyze/gateways.yaml"),
        expect(&[
            ("IST0138", "Gateway istio-system/alpha"),
            ("IST0138", "Gateway istio-system/beta"),
            ("IST0145", "Gateway istio-system/alpha"),
            ("IST0145", "Gateway istio-system/beta"),
            ("IST0162", "Gateway istio-system/odd-port"),
            ("IST0101", "Gateway istio-system/no-pods"),
            ("IST0101", "Gateway istio-system/missing-secret"),
            ("IST0161", "Gateway istio-system/bad-secret"),
        ])
    );
}

#[test]
fn destination_rules() {
    assert_eq!(
        analyze("testdata/analyze/destination-rules.yaml"),
        expect(&[
            ("IST0128", "DestinationRule shop/tls"),
            ("IST0129", "DestinationRule shop/tls"),
            ("IST0173", "DestinationRule shop/reviews"),
            ("IST0174", "DestinationRule shop/typo"),
        ])
    );
}

#[test]
fn sidecars_telemetry_and_authorization() {
    assert_eq!(
        analyze("testdata/analyze/policies.yaml"),
        expect(&[
            ("IST0110", "Sidecar shop/a"),
            ("IST0110", "Sidecar shop/b"),
            ("IST0101", "Sidecar shop/none"),
            ("IST0111", "Sidecar shop/d1"),
            ("IST0111", "Sidecar shop/d2"),
            ("IST0157", "Telemetry shop/logs"),
            ("IST0159", "Telemetry shop/t1"),
            ("IST0159", "Telemetry shop/t2"),
            ("IST0127", "AuthorizationPolicy shop/nopods"),
            ("IST0101", "AuthorizationPolicy shop/badns"),
            ("IST0103", "Pod shop/reviews-1"),
        ])
    );
}

#[test]
fn services_service_entries_and_workloads() {
    assert_eq!(
        analyze("testdata/analyze/services.yaml"),
        expect(&[
            ("IST0118", "Service shop/web"),
            ("IST0150", "Service shop/ext"),
            ("IST0134", "ServiceEntry shop/db"),
            ("IST0177", "ServiceEntry shop/api-https"),
            ("IST0177", "ServiceEntry shop/api-tls"),
            ("IST0116", "Deployment shop/app"),
            ("IST0137", "Deployment shop/app"),
            ("IST0144", "Deployment shop/app"),
        ])
    );
}

#[test]
fn annotations_and_injection() {
    assert_eq!(
        analyze("testdata/analyze/metadata.yaml"),
        expect(&[
            ("IST0108", "Service shop/svc"),
            ("IST0125", "Pod shop/pod"),
            // shop has istio-injection=enabled and the Pod no proxy.
            ("IST0103", "Pod shop/pod"),
            ("IST0102", "Namespace legacy"),
            ("IST0107", "Namespace legacy"),
            ("IST0123", "Namespace both"),
        ])
    );
}

#[test]
fn validation_findings_and_unreachable_rules() {
    assert_eq!(
        analyze("testdata/analyze/validation.yaml"),
        expect(&[
            ("IST0106", "DestinationRule shop/bad"),
            ("IST0130", "VirtualService shop/dup"),
            ("IST0131", "VirtualService shop/dup"),
            ("MSH3001", "VirtualService shop/dup"),
            ("MSH3001", "VirtualService shop/dup"),
        ])
    );
}

#[test]
fn jwt_claims_and_internal_gateways() {
    assert_eq!(
        analyze("testdata/analyze/jwt-and-internal.yaml"),
        expect(&[
            ("IST0149", "VirtualService shop/claims"),
            ("IST0165", "VirtualService shop/internal"),
            // Istio's internal gateway names (`name~istio-autogenerated-k8s-gateway~listener`)
            // are not valid gateway references either: validation rejects them too.
            ("IST0106", "VirtualService shop/internal"),
        ])
    );
}

#[test]
fn shadowed_route_has_a_counterexample() {
    let o = analyze_json(&["testdata/analyze/shadowed-route.yaml"]);
    let v = json(&o);
    let shadow: Vec<&Value> = diagnostics(&v).filter(|d| d["code"] == "MSH3001").collect();
    assert_eq!(shadow.len(), 1, "{}", stdout(&o));
    assert_eq!(shadow[0]["path"], "spec.http[1]");
    assert_eq!(shadow[0]["line"], 12);
    let help = shadow[0]["help"].as_str().unwrap_or("");
    assert!(help.contains("GET http://shop.example.com/api"), "{help}");
    let human = stdout(&meshctl(&[
        "analyze",
        "--color",
        "never",
        "testdata/analyze/shadowed-route.yaml",
    ]));
    assert!(
        human.contains("MSH3001") && human.contains("counterexample"),
        "{human}"
    );
}

#[test]
fn clean_inputs_produce_nothing() {
    for cmd in ["analyze", "lint"] {
        let o = meshctl(&[cmd, "-o", "json", "testdata/analyze/clean"]);
        assert_eq!(o.status.code(), Some(0), "{cmd}: {}", stdout(&o));
        assert!(pairs(&json(&o)).is_empty(), "{cmd}: {}", stdout(&o));
    }
}

#[test]
fn lint_rules() {
    let o = meshctl(&["lint", "-o", "json", "testdata/lint/rules.yaml"]);
    assert_eq!(
        pairs(&json(&o)),
        expect(&[
            ("MSH2001", "VirtualService shop/payments"),
            ("MSH2002", "VirtualService shop/payments"),
            ("MSH2003", "DestinationRule shop/reviews"),
            ("MSH2004", "Gateway istio-system/public"),
            ("MSH2005", "PeerAuthentication shop/legacy"),
            ("MSH2006", "AuthorizationPolicy shop/forgot"),
            ("MSH2006", "AuthorizationPolicy shop/open"),
            ("MSH2007", "Deployment shop/reviews-v1"),
        ])
    );
    // Warnings and infos only: exit 0 by default, 1 with a warning threshold.
    assert_eq!(o.status.code(), Some(0));
    let strict = meshctl(&[
        "lint",
        "--failure-threshold",
        "warning",
        "testdata/lint/rules.yaml",
    ]);
    assert_eq!(strict.status.code(), Some(1));
    let one = meshctl(&[
        "lint",
        "-o",
        "json",
        "--rule",
        "RetryPerTryTimeout",
        "testdata/lint/rules.yaml",
    ]);
    assert_eq!(
        pairs(&json(&one)),
        expect(&[("MSH2002", "VirtualService shop/payments")])
    );
}

#[test]
fn suppression_by_annotation_flag_and_glob() {
    let path = "testdata/analyze/suppressed.yaml";
    assert_eq!(
        analyze(path),
        expect(&[("IST0101", "VirtualService web/loud")])
    );
    let o = analyze_json(&["-S", "IST0101=VirtualService web/loud", path]);
    assert!(pairs(&json(&o)).is_empty());
    assert_eq!(o.status.code(), Some(0));
    let glob = analyze_json(&["--suppress", "IST01*=* w*/*", path]);
    assert!(pairs(&json(&glob)).is_empty());
    let other = analyze_json(&["--suppress", "IST0101=VirtualService shop/loud", path]);
    assert_eq!(pairs(&json(&other)).len(), 1);
}

#[test]
fn bad_suppressions_and_configs_are_usage_errors() {
    for bad in [
        "IST0101",
        "IST0101=VirtualService loud.web",
        "NOPE=Kind a/b",
    ] {
        let o = meshctl(&[
            "analyze",
            "--suppress",
            bad,
            "testdata/analyze/suppressed.yaml",
        ]);
        assert_eq!(o.status.code(), Some(2), "{bad}: {}", stderr(&o));
        assert!(stderr(&o).contains("suppress"), "{}", stderr(&o));
    }
    let dir = tempdir("bad-config");
    let (bad, missing) = (dir.join("bad.yaml"), dir.join("missing.yaml"));
    std::fs::write(&bad, "rules: {IST0101: loud}\n").expect("write");
    let (bad, missing) = (bad.to_str().unwrap_or(""), missing.to_str().unwrap_or(""));
    // (flag, value, exit code): a bad config or analyzer name is a usage error, a missing file
    // an environment error.
    for (flag, value, code) in [
        ("--config", bad, 2),
        ("--config", missing, 3),
        ("--mesh-config", missing, 3),
        ("--analyzer", "nope", 2),
    ] {
        let o = meshctl(&["analyze", flag, value, "testdata/analyze/suppressed.yaml"]);
        assert_eq!(
            o.status.code(),
            Some(code),
            "{flag} {value}: {}",
            stderr(&o)
        );
    }
    // No files: the cluster is analyzed; with none configured, that is an environment error
    // that says how to work offline.
    let o = meshctl_without_cluster(&["analyze"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("no cluster configured") && stderr(&o).contains("give files"),
        "{}",
        stderr(&o)
    );
}

fn tempdir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "meshctl-analyze-test-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn config_file_is_discovered_and_applied() {
    let dir = tempdir("config");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/analyze");
    std::fs::create_dir_all(dir.join("k8s/vendor")).expect("dirs");
    std::fs::copy(fixture.join("services.yaml"), dir.join("k8s/services.yaml")).expect("copy");
    std::fs::copy(
        fixture.join("gateways.yaml"),
        dir.join("k8s/vendor/gateways.yaml"),
    )
    .expect("copy");
    std::fs::write(
        dir.join(".meshctl.yaml"),
        "rules:\n  IST0118: off\n  IST0144: error\nignorePaths: [\"k8s/vendor/**\"]\nsuppress: [\"IST0177=ServiceEntry shop/api-tls\"]\n",
    )
    .expect("config");
    std::fs::create_dir_all(dir.join("sub")).expect("sub");
    // Discovered upwards from the working directory.
    let o = meshctl_in(&dir.join("sub"), &["analyze", "-o", "json", "../k8s"]);
    let v = json(&o);
    let found = pairs(&v);
    assert!(!found.iter().any(|(c, _)| c == "IST0118"), "{found:?}");
    assert!(
        !found.iter().any(|(_, r)| r.starts_with("Gateway")),
        "{found:?}"
    );
    assert!(!found.contains(&(
        "IST0177".to_string(),
        "ServiceEntry shop/api-tls".to_string()
    )));
    assert!(found.contains(&(
        "IST0177".to_string(),
        "ServiceEntry shop/api-https".to_string()
    )));
    let uid = diagnostics(&v).find(|d| d["code"] == "IST0144");
    assert_eq!(
        uid.map(|d| d["severity"].clone()),
        Some(Value::from("error"))
    );
    // The severity override makes the run fail.
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn baseline_reports_only_new_findings() {
    let dir = tempdir("baseline");
    let baseline = dir.join("baseline.json");
    let b = baseline.to_str().unwrap_or("");
    let o = meshctl(&[
        "analyze",
        "--write-baseline",
        b,
        "testdata/analyze/references.yaml",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = analyze_json(&["--baseline", b, "testdata/analyze/references.yaml"]);
    assert!(pairs(&json(&o)).is_empty());
    assert_eq!(o.status.code(), Some(0));
    // New findings in another file still show.
    let o = analyze_json(&[
        "--baseline",
        b,
        "testdata/analyze/references.yaml",
        "testdata/analyze/mesh-hosts.yaml",
    ]);
    let new = pairs(&json(&o));
    assert!(!new.is_empty());
    assert!(
        new.iter().all(|(_, r)| [
            "VirtualService shop/a",
            "VirtualService shop/b",
            "VirtualService shop/c",
            "VirtualService shop/d"
        ]
        .contains(&r.as_str())),
        "{new:?}"
    );
    std::fs::write(&baseline, "{}").expect("write");
    let o = meshctl(&[
        "analyze",
        "--baseline",
        b,
        "testdata/analyze/references.yaml",
    ]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn thresholds_and_exit_codes_in_every_format() {
    let path = "testdata/analyze/references.yaml";
    for format in ["human", "json", "yaml", "sarif", "junit", "github"] {
        let o = meshctl(&["analyze", "-o", format, path]);
        assert_eq!(o.status.code(), Some(1), "{format}");
        let o = meshctl(&["analyze", "-o", format, "testdata/analyze/clean"]);
        assert_eq!(o.status.code(), Some(0), "{format}");
    }
    // Warnings only (IST0162 and IST0138 are warnings): exit 0 unless the threshold says so.
    let ports = "gateway.IngressGatewayPortAnalyzer";
    let certs = "gateway.CertificateAnalyzer";
    for (args, code, why) in [
        (
            &["--analyzer", ports][..],
            1,
            "IST0101 on no-pods is an error",
        ),
        (&["--analyzer", certs], 0, "warnings only"),
        (
            &["--failure-threshold", "warning", "--analyzer", certs],
            1,
            "warnings at a warning threshold",
        ),
    ] {
        let o = analyze_json(&[args, &["testdata/analyze/gateways.yaml"]].concat());
        assert_eq!(o.status.code(), Some(code), "{why}");
    }
    // The output threshold hides, but the failure threshold still counts every finding.
    let o = analyze_json(&[
        "--output-threshold",
        "error",
        "testdata/analyze/services.yaml",
    ]);
    assert!(pairs(&json(&o)).is_empty());
    let o = analyze_json(&[
        "--output-threshold",
        "error",
        "testdata/analyze/references.yaml",
    ]);
    assert!(pairs(&json(&o)).iter().all(|(c, _)| c != "IST0132"));
}

/// A focused structural check of SARIF 2.1.0's required properties: `version` and `runs`;
/// each run's `tool.driver.name`; each result's `message.text`, a `ruleId` that names a rule
/// of the driver with the matching `ruleIndex`, a valid `level`, and physical locations with an
/// artifact URI and a region of positive line and column numbers.
#[test]
fn sarif_output_is_structurally_valid() {
    let o = meshctl(&[
        "analyze",
        "-o",
        "sarif",
        "testdata/analyze/references.yaml",
        "testdata/analyze/shadowed-route.yaml",
    ]);
    let v = json(&o);
    assert_eq!(v["version"], "2.1.0");
    let runs = v["runs"].as_array().expect("runs is an array");
    assert_eq!(runs.len(), 1);
    for run in runs {
        let driver = &run["tool"]["driver"];
        assert!(driver["name"].as_str().is_some_and(|n| !n.is_empty()));
        let rules = driver["rules"].as_array().expect("rules");
        for r in rules {
            assert!(r["id"].as_str().is_some_and(|s| !s.is_empty()));
            assert!(r["shortDescription"]["text"].is_string());
        }
        let results = run["results"].as_array().expect("results");
        assert!(results.iter().any(|r| r["ruleId"] == "MSH3001"));
        for r in results {
            assert!(r["message"]["text"].as_str().is_some_and(|s| !s.is_empty()));
            let id = r["ruleId"].as_str().expect("ruleId");
            let index = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
            assert_eq!(rules[index]["id"], id);
            assert!(
                ["none", "note", "warning", "error"].contains(&r["level"].as_str().unwrap_or(""))
            );
            for loc in r["locations"].as_array().expect("locations") {
                let phys = &loc["physicalLocation"];
                let uri = phys["artifactLocation"]["uri"].as_str().expect("uri");
                assert!(!uri.is_empty() && !uri.contains('\\') && !uri.contains(' '));
                let region = &phys["region"];
                for k in ["startLine", "startColumn", "endLine", "endColumn"] {
                    assert!(
                        region[k].as_u64().is_some_and(|n| n >= 1),
                        "{k} in {region}"
                    );
                }
                assert!(region["endLine"].as_u64() >= region["startLine"].as_u64());
            }
        }
    }
}

#[test]
fn github_annotations_point_at_the_finding_line() {
    let o = meshctl(&[
        "analyze",
        "-o",
        "github",
        "testdata/analyze/shadowed-route.yaml",
    ]);
    let text = stdout(&o);
    let line = text
        .lines()
        .find(|l| l.contains("MSH3001"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        line.starts_with("::warning file=testdata/analyze/shadowed-route.yaml,line=12,"),
        "{line}"
    );
}

#[test]
fn list_prints_the_catalogue() {
    let o = meshctl(&["analyze", "--list"]);
    assert_eq!(o.status.code(), Some(0));
    let text = stdout(&o);
    for needle in [
        "virtualservice.DestinationHostAnalyzer",
        "IST0101",
        "IST0145",
        "MSH3001",
        "`meshctl explain CODE` prints a code's documentation.",
    ] {
        assert!(text.contains(needle), "{needle}");
    }
    // Two tables drawn with comfy-table, as the summary tables are: every row of a table as
    // wide as its borders, an analyzer's name on one line with its codes.
    let tables: Vec<&str> = text.split("┌").skip(1).collect();
    assert_eq!(tables.len(), 2, "{text}");
    for t in &tables {
        let body: Vec<&str> = t
            .lines()
            .skip(1)
            .take_while(|l| !l.starts_with('└'))
            .collect();
        let width = t.lines().next().map_or(0, |l| l.chars().count());
        assert!(width > 0 && width < 100, "{t}");
        assert!(
            body.iter().all(|l| l.chars().count() == width + 1),
            "ragged table:\n{t}"
        );
    }
    assert!(
        text.lines()
            .any(|l| l.starts_with("│ virtualservice.GatewayAnalyzer ")
                && l.contains("┆ IST0101, IST0132, IST0165")),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("│ IST0132 ┆ warning  ┆ ")),
        "{text}"
    );
    let lint = meshctl(&["lint", "--list"]);
    assert_eq!(lint.status.code(), Some(0));
    let lint = stdout(&lint);
    assert!(lint.contains("MSH2001") && !lint.contains("IST0101"));
    insta::assert_snapshot!("lint_list", lint);
}

#[test]
fn mesh_config_changes_findings() {
    let dir = tempdir("mesh");
    let mesh = dir.join("mesh.yaml");
    std::fs::write(&mesh, "defaultProviders:\n  accessLogging: [envoy]\n").expect("write");
    let o = analyze_json(&[
        "--meshConfigFile",
        mesh.to_str().unwrap_or(""),
        "testdata/analyze/policies.yaml",
    ]);
    assert!(!pairs(&json(&o)).iter().any(|(c, _)| c == "IST0157"));
    std::fs::write(&mesh, "- not a mesh config\n").expect("write");
    let o = meshctl(&[
        "analyze",
        "--mesh-config",
        mesh.to_str().unwrap_or(""),
        "testdata/analyze/policies.yaml",
    ]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn duplicate_resources_keep_the_later_definition() {
    // Defined twice in one file: a mistake. The earlier VirtualService routes to a host that
    // does not exist; only the later one is analyzed, so the only finding is the duplicate
    // itself, on the earlier definition.
    let o = analyze_json(&["testdata/analyze/duplicates-same-file"]);
    let v = json(&o);
    assert_eq!(
        pairs(&v),
        expect(&[("MSH3002", "VirtualService shop/reviews")]),
        "{}",
        stdout(&o)
    );
    let d = diagnostics(&v).next().expect("one finding");
    assert_eq!(d["line"], 9, "{d}");
    assert!(
        d["message"]
            .as_str()
            .unwrap_or("")
            .contains("reviews.yaml:17:1"),
        "{d}"
    );
}

#[test]
fn duplicates_across_files_are_alternatives_noted_once() {
    // Tutorial steps and overlays define one resource in several files: the later one is
    // analyzed (no IST0101 for the earlier destination), and a note says so instead of a
    // warning per definition.
    let o = analyze_json(&["testdata/analyze/duplicates"]);
    assert_eq!(pairs(&json(&o)), expect(&[]), "{}", stdout(&o));
    assert!(
        stderr(&o).contains("1 resource definition(s) are defined again in a later file"),
        "{}",
        stderr(&o)
    );
}
