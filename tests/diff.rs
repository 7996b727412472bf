//! CLI tests of `meshctl diff`: the binary run on the fixtures in `testdata/diff/`, with the
//! documented exit codes.

mod common;

use std::process::Output;

use common::{meshctl, meshctl_stdin, stderr, stdout};

/// `meshctl ARGS... -o FORMAT`.
fn output(args: &[&str], format: &str) -> Output {
    meshctl(&[args, &["-o", format]].concat())
}

fn json(args: &[&str]) -> (Option<i32>, serde_json::Value) {
    let o = output(args, "json");
    let v = serde_json::from_slice(&o.stdout).expect("JSON output");
    (o.status.code(), v)
}

#[test]
fn reordered_reformatted_and_moved_documents_are_no_difference() {
    let o = meshctl(&[
        "diff",
        "testdata/diff/reorder/old",
        "testdata/diff/reorder/new",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert_eq!(stdout(&o), "no differences (3 resources compared)\n");
    let (code, v) = json(&[
        "diff",
        "testdata/diff/reorder/old",
        "testdata/diff/reorder/new",
        "--traffic",
    ]);
    assert_eq!(code, Some(0));
    assert_eq!(v["summary"]["differences"], false);
    assert_eq!(v["traffic"]["changes"], serde_json::json!([]));
}

#[test]
fn weight_removed_match_and_new_virtual_service_are_reported() {
    let (code, v) = json(&[
        "diff",
        "testdata/diff/change/old",
        "testdata/diff/change/new",
    ]);
    assert_eq!(code, Some(1));
    let res = v["resources"].as_array().expect("resources");
    let summary: Vec<(String, String)> = res
        .iter()
        .map(|r| {
            (
                r["change"].as_str().unwrap_or_default().to_string(),
                r["name"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("changed".to_string(), "productpage".to_string()),
            ("added".to_string(), "ratings".to_string()),
            ("changed".to_string(), "reviews".to_string()),
        ]
    );
    assert_eq!(
        res[0]["fields"],
        serde_json::json!([{
            "path": "spec.http[0].match[1]",
            "change": "removed",
            "old": {"uri": {"exact": "/login"}}
        }])
    );
    let paths: Vec<&str> = res[2]["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .filter_map(|f| f["path"].as_str())
        .collect();
    assert_eq!(
        paths,
        [
            "metadata.annotations",
            "spec.http[0].route[0].weight",
            "spec.http[0].route[1].weight"
        ]
    );
    assert_eq!(res[2]["fields"][1]["old"], 90);
    assert_eq!(res[2]["fields"][1]["new"], 80);
    assert_eq!(res[1]["new"]["line"], 38);
}

#[test]
fn human_output_shows_a_unified_diff_and_a_summary() {
    let o = meshctl(&[
        "diff",
        "testdata/diff/change/old",
        "testdata/diff/change/new",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(!out.contains('\x1b'), "no color on a pipe");
    assert!(
        out.contains("~ changed VirtualService bookinfo/reviews"),
        "{out}"
    );
    assert!(
        out.contains("    -      weight: 90\n    +      weight: 80\n"),
        "{out}"
    );
    assert!(
        out.contains("+ added VirtualService bookinfo/ratings"),
        "{out}"
    );
    assert!(
        out.ends_with("3 resources differ: 1 added, 0 removed, 2 changed; 0 unchanged\n"),
        "{out}"
    );
    let colored = meshctl(&[
        "diff",
        "--color",
        "always",
        "testdata/diff/change/old",
        "testdata/diff/change/new",
    ]);
    assert!(stdout(&colored).contains("\x1b[31m-      weight: 90\x1b[0m"));
}

#[test]
fn ignore_field_and_exit_zero() {
    let args = [
        "diff",
        "testdata/diff/change/old",
        "testdata/diff/change/new",
        "--ignore-field",
        "metadata.annotations",
        "--ignore-field",
        "spec.http[*].route",
    ];
    let (code, v) = json(&args);
    assert_eq!(code, Some(1));
    // Only the removed match block and the new VirtualService remain.
    assert_eq!(v["summary"]["changed"], 1);
    assert_eq!(v["summary"]["added"], 1);
    assert_eq!(v["summary"]["unchanged"], 1);
    let mut zero = args.to_vec();
    zero.push("--exit-zero");
    assert_eq!(meshctl(&zero).status.code(), Some(0));
}

#[test]
fn stdin_side_and_exit_codes_for_bad_input() {
    let text = std::fs::read("testdata/diff/change/old/bookinfo.yaml").expect("fixture");
    let o = meshctl_stdin(
        &["diff", "-", "testdata/diff/change/old/bookinfo.yaml"],
        Some(&text),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let o = meshctl_stdin(&["diff", "-", "-"], Some(b""));
    assert_eq!(o.status.code(), Some(2));
    let o = meshctl(&["diff", "testdata/diff/change/old"]);
    assert_eq!(o.status.code(), Some(2));
    let o = meshctl(&["diff", "testdata/diff/nope", "testdata/diff/change/new"]);
    assert_eq!(o.status.code(), Some(3));
    let o = meshctl_stdin(
        &["diff", "-", "testdata/diff/change/new"],
        Some(b"kind: [unclosed\n"),
    );
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("<stdin>"));
}

#[test]
fn traffic_diff_of_a_shadowing_prefix_reports_exactly_the_moved_requests() {
    let (code, v) = json(&[
        "diff",
        "testdata/diff/shadow/old.yaml",
        "testdata/diff/shadow/new.yaml",
        "--traffic",
    ]);
    assert_eq!(code, Some(1));
    let changes = v["traffic"]["changes"].as_array().expect("changes");
    let moved: Vec<(&str, &str, &str)> = changes
        .iter()
        .map(|c| {
            (
                c["request"].as_str().unwrap_or_default(),
                c["old"]["destinations"][0]["host"]
                    .as_str()
                    .unwrap_or_default(),
                c["new"]["destinations"][0]["host"]
                    .as_str()
                    .unwrap_or_default(),
            )
        })
        .collect();
    let web = "web.shop.svc.cluster.local";
    let catalog = "catalog.shop.svc.cluster.local";
    let v2 = "catalog-v2.shop.svc.cluster.local";
    assert_eq!(
        moved,
        [
            ("GET shop.example.com/cat", web, v2),
            ("GET shop.example.com/cat/x", web, v2),
            ("GET shop.example.com/catalo", web, v2),
            ("GET shop.example.com/catalog", catalog, v2),
            ("GET shop.example.com/catalog/x", catalog, v2),
            ("GET shop.example.com/catalogx", catalog, v2),
            ("GET shop.example.com/catx", web, v2),
        ]
    );
    // Requests outside the new prefix (`/`, `/ca`) were probed and did not move.
    assert_eq!(v["traffic"]["probes"], 9);
    // Traces come with --explain.
    assert!(changes[0].get("new_trace").is_none());
}

#[test]
fn canary_shift_human_and_markdown() {
    let args = [
        "diff",
        "testdata/diff/canary/old",
        "testdata/diff/canary/new",
        "--traffic",
    ];
    let o = meshctl(&args);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(out.contains(
        "  GET bookinfo.example.com/api/v1/reviews: reviews:9080 (v1) 90%, reviews:9080 (v2) 10% → \
         reviews:9080 (v1) 50%, reviews:9080 (v2) 50% (VirtualService bookinfo/bookinfo \
         http[0] match[0] → http[1] match[0])\n"
    ), "{out}");
    assert!(
        out.contains(
            "[x-tester: true]: reviews:9080 (v1) 90%, reviews:9080 (v2) 10% → reviews:9080 (v3)"
        ),
        "{out}"
    );
    assert!(
        out.contains("traffic: 6 of 9 probe requests change (from 1 proxy)"),
        "{out}"
    );
    let out = stdout(&output(&args, "markdown"));
    assert!(
        out.starts_with("### meshctl diff: 1 resource differs"),
        "{out}"
    );
    assert!(out.contains("```diff\n"), "{out}");
    assert!(
        out.contains("| host | proxy | request | before | after | rule |"),
        "{out}"
    );
    let out = stdout(&output(&args, "yaml"));
    assert!(
        out.contains("  - path: spec.http[0]\n    change: added\n"),
        "{out}"
    );
}

#[test]
fn secret_values_are_masked_in_every_format() {
    // A rotated key, an added and a removed Secret: which keys changed shows, never a value
    // (plain or base64), in any format.
    let secrets = [
        "VALUE",
        "plain-token",
        "T0xELUtFWS1WQUxVRQ",
        "TkVXLUtFWS1WQUxVRQ",
        "U0FNRS1DRVJULVZBTFVF",
    ];
    for format in ["human", "markdown", "json", "yaml"] {
        let o = meshctl(&[
            "diff",
            "-o",
            format,
            "--color",
            "always",
            "testdata/diff/secret/old",
            "testdata/diff/secret/new",
        ]);
        assert_eq!(o.status.code(), Some(1), "{format}: {}", stderr(&o));
        let out = format!("{}{}", stdout(&o), stderr(&o));
        for s in secrets {
            assert!(!out.contains(s), "{format} prints {s}:\n{out}");
        }
        assert!(
            out.contains("*** (before)") && out.contains("*** (after)"),
            "{format}:\n{out}"
        );
        assert!(out.contains("tls.key"), "{format}:\n{out}");
    }
    // The change is still a change: only the key that differs is marked.
    let o = meshctl(&[
        "diff",
        "-o",
        "json",
        "testdata/diff/secret/old",
        "testdata/diff/secret/new",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let text = v.to_string();
    assert!(text.contains(r#"data[\"tls.key\"]"#), "{text}");
    assert!(!text.contains("tls.crt"), "{text}");
}

#[test]
fn reorders_sets_renames_moves_and_values_as_written() {
    let (old, new) = ("testdata/diff/semantic/old", "testdata/diff/semantic/new");
    let o = meshctl(&["diff", "--color", "never", old, new]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    // A rule swap is one reorder, not four field edits.
    assert!(
        out.contains("spec.http: rule order changed (the old items now stand in the order 1, 0)"),
        "{out}"
    );
    // Lists Istio treats as sets: reordering them is no difference.
    assert!(!out.contains("DestinationRule"), "{out}");
    // A move and a rename are said as such.
    assert!(out.contains("> moved Gateway shop/gw → web/gw"), "{out}");
    assert!(
        out.contains("> renamed ServiceEntry shop/api → shop/external-api"),
        "{out}"
    );
    // Values are shown as written: targetPort stays as it was, only port changes.
    assert!(
        out.contains("-    port: 8080\n    +    port: 8081\n         targetPort: 8080"),
        "{out}"
    );
    assert!(!out.contains("+    targetPort"), "{out}");
    assert!(
        out.contains("3 resources differ: 0 added, 0 removed, 1 changed, 1 moved; 2 unchanged")
            || out.contains("4 resources differ"),
        "{out}"
    );
    let (code, v) = json(&["diff", old, new]);
    assert_eq!(code, Some(1));
    let changes = v["resources"].as_array().cloned().unwrap_or_default();
    let kinds: Vec<(String, String)> = changes
        .iter()
        .map(|c| {
            (
                c["change"].as_str().unwrap_or("").to_string(),
                c["kind"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert!(
        kinds.contains(&("moved".into(), "Gateway".into())),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&("renamed".into(), "ServiceEntry".into())),
        "{kinds:?}"
    );
    assert!(
        !kinds.iter().any(|(_, k)| k == "DestinationRule"),
        "{kinds:?}"
    );
    let vs = changes
        .iter()
        .find(|c| c["kind"] == "VirtualService")
        .expect("the VirtualService changed");
    // Both lists changed order; the hosts' reorder is labelled as having no effect.
    assert_eq!(vs["fields"][0]["change"], "reordered", "{vs}");
    assert_eq!(vs["fields"][0]["path"], "spec.hosts", "{vs}");
    assert_eq!(vs["fields"][1]["change"], "reordered", "{vs}");
    assert_eq!(vs["fields"][1]["path"], "spec.http", "{vs}");
    assert!(
        out.contains("spec.hosts: order changed, no effect (Istio treats this list as a set)"),
        "{out}"
    );
    assert_eq!(v["summary"]["moved"], 1);
    assert_eq!(v["summary"]["renamed"], 1);
}

#[test]
fn findings_a_change_introduces_and_resolves() {
    // new → old swaps the rules back: /api first shadows /api/v2 (MSH3001 introduced).
    let (code, v) = json(&[
        "diff",
        "--findings",
        "testdata/diff/semantic/new",
        "testdata/diff/semantic/old",
    ]);
    assert_eq!(code, Some(1));
    let introduced = v["findings"]["introduced"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        introduced
            .iter()
            .any(|d| d["code"] == "MSH3001" && d["resource"]["name"] == "reviews"),
        "{v}"
    );
    assert_eq!(v["findings"]["resolved"], serde_json::json!([]), "{v}");
    // Markdown (for pull requests) says so without the flag.
    let o = output(
        &[
            "diff",
            "testdata/diff/semantic/new",
            "testdata/diff/semantic/old",
        ],
        "markdown",
    );
    let md = stdout(&o);
    assert!(
        md.contains("### findings: 2 introduced, 0 resolved"),
        "{md}"
    );
    assert!(
        md.contains("- **introduced** warning MSH3001 VirtualService shop/reviews"),
        "{md}"
    );
    // Without the flag, other formats do not analyze.
    let (_, v) = json(&[
        "diff",
        "testdata/diff/semantic/new",
        "testdata/diff/semantic/old",
    ]);
    assert!(v.get("findings").is_none(), "{v}");
}

#[test]
fn probes_that_fail_alike_on_both_sides_are_said_not_hidden() {
    let o = meshctl(&[
        "diff",
        "--traffic",
        "testdata/diff/blind/old",
        "testdata/diff/blind/new",
    ]);
    let out = stdout(&o);
    assert!(out.contains("traffic: no request changes"), "{out}");
    assert!(
        out.contains(
            "end the same way on both sides (no-listener): the change cannot show in them"
        ),
        "{out}"
    );
}

#[test]
fn a_change_behind_a_gateway_server_on_8080_shows_in_traffic() {
    // Istio's Bookinfo gateway listens on 8080 behind Service port 80: probes go through the
    // Service port that reaches the server, so the new prefix match shows as moved requests.
    let o = meshctl(&[
        "diff",
        "--traffic",
        "testdata/diff/gateway-8080/old",
        "testdata/diff/gateway-8080/new",
    ]);
    let out = stdout(&o);
    assert!(
        out.contains("traffic: 3 of 11 probe requests change"),
        "{out}"
    );
    assert!(
        out.contains("GET probe.example/api/v1/reviews: 404 (no route) → productpage:9080"),
        "{out}"
    );
    assert!(!out.contains("no request changes"), "{out}");
}

#[test]
fn traffic_traces_only_with_explain() {
    let args = [
        "diff",
        "--traffic",
        "-o",
        "json",
        "testdata/diff/gateway-8080/old",
        "testdata/diff/gateway-8080/new",
    ];
    let o = meshctl(&args);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let change = &v["traffic"]["changes"][0];
    assert!(change["new"].is_object(), "{v}");
    assert!(change.get("new_trace").is_none(), "{change}");
    let o = meshctl(&[&args[..], &["--explain"]].concat());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert!(
        v["traffic"]["changes"][0]["new_trace"]
            .as_array()
            .is_some_and(|t| !t.is_empty()),
        "{v}"
    );
}
