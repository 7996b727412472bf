//! CLI tests: the `meshctl` binary run on the fixtures in `testdata/`, with snapshots of the
//! human and JSON output (so one snapshot pins the logic, the location and the wording), and the
//! documented exit codes.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};

use common::{meshctl, meshctl_stdin, stderr, stdout};

fn fixtures(dir: &str) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut names: Vec<String> = std::fs::read_dir(&root)
        .expect("fixture dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn valid_fixtures_pass_with_exit_0() {
    let o = meshctl(&["validate", "testdata/valid"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert_eq!(stdout(&o), "✔ no problems (10 resources in 4 files)\n");
}

#[test]
fn invalid_fixtures_human_and_json_snapshots() {
    for name in fixtures("testdata/invalid") {
        let path = format!("testdata/invalid/{name}");
        let human = meshctl(&["validate", &path]);
        assert_eq!(human.status.code(), Some(1), "{path} must fail");
        insta::assert_snapshot!(format!("human__{name}"), stdout(&human));
        let json = meshctl(&["validate", "-o", "json", &path]);
        assert_eq!(json.status.code(), Some(1), "{path} must fail in JSON too");
        let value: serde_json::Value =
            serde_json::from_slice(&json.stdout).expect("JSON output parses");
        insta::assert_json_snapshot!(format!("json__{name}"), value);
    }
}

#[test]
fn every_format_keeps_the_exit_code() {
    for format in ["human", "json", "yaml", "sarif", "junit", "github"] {
        let bad = meshctl(&[
            "validate",
            "-o",
            format,
            "testdata/invalid/zero-weights.yaml",
        ]);
        assert_eq!(bad.status.code(), Some(1), "{format}");
        let good = meshctl(&["validate", "-o", format, "testdata/valid"]);
        assert_eq!(good.status.code(), Some(0), "{format}");
    }
}

#[test]
fn kubectl_style_filename_flag_and_stdin() {
    let o = meshctl(&[
        "validate",
        "-f",
        "testdata/valid/shop-gateway.yaml",
        "-f",
        "testdata/invalid/bad-enum.yaml",
        "-o",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["summary"]["files"], 2);
    assert_eq!(v["summary"]["errors"], 1);

    let text = std::fs::read("testdata/invalid/bad-duration.yaml").expect("fixture");
    let o = meshctl_stdin(&["validate", "-o", "json", "-"], Some(&text));
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["diagnostics"][0]["file"], "<stdin>");
    assert_eq!(v["diagnostics"][0]["line"], 8);
    assert_eq!(v["diagnostics"][0]["column"], 14);
}

#[test]
fn strict_fails_on_warnings() {
    let input = b"apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: a}\nspec:\n  hosts: [a]\n  http:\n  - route: [{destination: {host: a}}]\n  - route: [{destination: {host: b}}]\n";
    let o = meshctl_stdin(&["validate", "-"], Some(input));
    assert_eq!(
        o.status.code(),
        Some(0),
        "warnings alone pass: {}",
        stdout(&o)
    );
    let o = meshctl_stdin(&["validate", "--strict", "-"], Some(input));
    assert_eq!(o.status.code(), Some(1), "--strict fails on warnings");
}

#[test]
fn usage_and_environment_exit_codes() {
    let o = meshctl(&["validate"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no input"));
    let o = meshctl(&["validate", "--output", "xml", "testdata/valid"]);
    assert_eq!(o.status.code(), Some(2));
    let o = meshctl(&["validate", "testdata/does-not-exist.yaml"]);
    assert_eq!(o.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("cannot read testdata/does-not-exist.yaml"),
        "{stderr}"
    );
}

#[test]
fn kubectl_recursive_flag_is_accepted() {
    // `-R` as kubectl and istioctl users type it: directories are read recursively either way.
    let plain = meshctl(&["validate", "-o", "concise", "examples/"]);
    let with_r = meshctl(&["validate", "-R", "-o", "concise", "examples/"]);
    let long = meshctl(&["analyze", "--recursive", "-o", "concise", "examples/"]);
    assert_eq!(with_r.status.code(), plain.status.code());
    assert_eq!(stdout(&with_r), stdout(&plain));
    assert!(
        stdout(&plain).contains("examples/shop/"),
        "{}",
        stdout(&plain)
    );
    assert_eq!(long.status.code(), Some(1), "{}", stderr(&long));
}

#[test]
fn each_command_accepts_only_the_formats_it_writes() {
    // One format enum; each command's `-o` offers (and completes) its own subset.
    for (args, refused, offered) in [
        (
            &["validate", "-o", "markdown", "testdata/valid"][..],
            "markdown",
            "sarif",
        ),
        (
            &["route-test", "-o", "sarif", "http://x/"][..],
            "sarif",
            "junit",
        ),
        (&["diff", "-o", "junit", "a", "b"][..], "junit", "markdown"),
    ] {
        let o = meshctl(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = stderr(&o);
        assert!(
            err.contains(&format!("invalid value '{refused}'")) && err.contains(offered),
            "{args:?}: {err}"
        );
    }
    let o = meshctl(&[
        "diff",
        "-o",
        "markdown",
        "testdata/diff/reorder/old",
        "testdata/diff/reorder/new",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn empty_binary_and_non_utf8_inputs_are_reported_not_crashes() {
    let o = meshctl_stdin(&["validate", "-"], Some(b""));
    assert_eq!(o.status.code(), Some(0));
    let o = meshctl_stdin(&["validate", "-"], Some(b"---\n---\n...\n"));
    assert_eq!(o.status.code(), Some(0));
    let o = meshctl_stdin(
        &["validate", "-o", "json", "-"],
        Some(b"\x7fELF\x02\x01\x00\x00binary"),
    );
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["diagnostics"][0]["code"], "MSH0005");
    let o = meshctl_stdin(
        &["validate", "-o", "json", "-"],
        Some(b"a: 1\nb: \xff\xfe\n"),
    );
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let codes: Vec<&str> = v["diagnostics"]
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert!(codes.contains(&"MSH0005"), "{codes:?}");
    let d = v["diagnostics"]
        .as_array()
        .expect("array")
        .iter()
        .find(|d| d["code"] == "MSH0005")
        .expect("MSH0005");
    assert_eq!(d["line"], 2);
}

#[test]
fn alias_bomb_and_deep_nesting_fail_fast_with_a_location() {
    let mut bomb = String::from(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: lol}\ndata:\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n",
    );
    for i in 1..12 {
        bomb.push_str(&format!(
            "  a{i}: &a{i} [{}]\n",
            vec![format!("*a{}", i - 1); 10].join(", ")
        ));
    }
    let o = meshctl_stdin(&["validate", "-o", "json", "-"], Some(bomb.as_bytes()));
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["diagnostics"][0]["code"], "MSH0003");
    assert!(v["diagnostics"][0]["line"].as_u64().is_some());

    let deep = format!("a: {}{}\n", "[".repeat(5000), "]".repeat(5000));
    let o = meshctl_stdin(&["validate", "-o", "json", "-"], Some(deep.as_bytes()));
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let code = v["diagnostics"][0]["code"].as_str().unwrap_or("");
    assert!(code == "MSH0004" || code == "MSH0001", "{code}");
}

#[test]
fn no_color_and_color_flags() {
    let o = meshctl(&[
        "validate",
        "--color",
        "always",
        "testdata/invalid/bad-enum.yaml",
    ]);
    assert!(stdout(&o).contains("\x1b["), "--color always colors");
    let o = Command::new(env!("CARGO_BIN_EXE_meshctl"))
        .args([
            "validate",
            "--color",
            "auto",
            "testdata/invalid/bad-enum.yaml",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .expect("runs");
    assert!(!stdout(&o).contains("\x1b["), "NO_COLOR disables color");
}

#[test]
fn sarif_is_well_formed_2_1_0() {
    let o = meshctl(&["validate", "-o", "sarif", "testdata/invalid"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("sarif is JSON");
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    for r in run["results"].as_array().expect("results") {
        let idx = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[idx]["id"], r["ruleId"]);
        assert!(matches!(
            r["level"].as_str(),
            Some("error" | "warning" | "note")
        ));
        let region = &r["locations"][0]["physicalLocation"]["region"];
        assert!(region["startLine"].as_u64().is_some_and(|l| l >= 1));
        assert!(region["startColumn"].as_u64().is_some_and(|c| c >= 1));
        let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .expect("uri");
        assert!(uri.starts_with("testdata/invalid/"), "{uri}");
    }
}

#[test]
fn junit_and_github_formats() {
    let o = meshctl(&[
        "validate",
        "-o",
        "junit",
        "testdata/invalid/zero-weights.yaml",
        "testdata/valid/list.json",
    ]);
    let xml = stdout(&o);
    assert!(xml.starts_with("<?xml"));
    assert!(xml.contains("tests=\"2\" failures=\"1\""), "{xml}");
    let o = meshctl(&["validate", "-o", "github", "testdata/invalid/bad-enum.yaml"]);
    assert_eq!(
        stdout(&o).lines().next().unwrap_or(""),
        "::error file=testdata/invalid/bad-enum.yaml,line=9,col=13,endLine=9,endColumn=23,title=MSH1008 invalid-enum-value::spec.trafficPolicy.tls.mode: Unsupported value: \"ISTIO_MTLS\" [DestinationRule api]%0Ahelp: supported values: \"DISABLE\", \"SIMPLE\", \"MUTUAL\", \"ISTIO_MUTUAL\""
    );
}

#[test]
fn yaml_output_is_the_json_structure() {
    let o = meshctl(&["validate", "-o", "yaml", "testdata/invalid/bad-enum.yaml"]);
    let text = stdout(&o);
    assert!(
        text.starts_with("diagnostics:\n- code: MSH1008\n"),
        "{text}"
    );
    assert!(text.contains("summary:\n  files: 1\n"), "{text}");
}

#[test]
fn checked_in_completions_and_man_page_are_current() {
    for (shell, file) in [
        ("bash", "completions/meshctl.bash"),
        ("zsh", "completions/_meshctl"),
        ("fish", "completions/meshctl.fish"),
        ("powershell", "completions/_meshctl.ps1"),
        ("elvish", "completions/meshctl.elv"),
    ] {
        let o = meshctl(&["completions", shell]);
        assert_eq!(o.status.code(), Some(0));
        let checked_in = std::fs::read_to_string(file).unwrap_or_default();
        assert!(
            checked_in == stdout(&o),
            "{file} is stale: run `cargo run -q -- completions {shell} > {file}`"
        );
    }
    let o = meshctl(&["man"]);
    let checked_in = std::fs::read_to_string("docs/man/meshctl.1").unwrap_or_default();
    assert!(
        checked_in == stdout(&o),
        "docs/man/meshctl.1 is stale: run `cargo run -q -- man > docs/man/meshctl.1`"
    );
}

#[test]
fn broken_pipe_is_not_an_error() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_meshctl"))
        .args(["validate", "testdata/invalid"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    drop(child.stdout.take());
    let status = child.wait().expect("waits");
    assert!(matches!(status.code(), Some(0 | 1)), "{status:?}");
}

#[test]
fn generated_crds_validate_clean_and_cover_every_istio_kind() {
    let o = meshctl(&["manifest", "crds"]);
    assert_eq!(o.status.code(), Some(0));
    let yaml = o.stdout;
    let v = meshctl_stdin(&["validate", "-", "-o", "json"], Some(&yaml));
    assert_eq!(v.status.code(), Some(0), "{}", stdout(&v));
    let report: serde_json::Value = serde_json::from_slice(&v.stdout).expect("JSON");
    assert_eq!(report["summary"]["resources"], 14);
    let o = meshctl(&["manifest", "crds", "-o", "json"]);
    let list: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let names: Vec<&str> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|c| c["metadata"]["name"].as_str())
        .collect();
    for n in [
        "virtualservices.networking.istio.io",
        "authorizationpolicies.security.istio.io",
        "telemetries.telemetry.istio.io",
        "wasmplugins.extensions.istio.io",
    ] {
        assert!(names.contains(&n), "{n} missing from {names:?}");
    }
}

#[test]
fn explain_prints_a_codes_page_from_the_binary() {
    let o = meshctl(&["explain", "msh0008"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stdout(&o).starts_with("# MSH0008 empty-input\n"),
        "{}",
        stdout(&o)
    );
    let o = meshctl(&["explain", "IST0100"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("did you mean IST0101?"),
        "{}",
        stderr(&o)
    );
    // Without a code: every code in a table (comfy-table, the look of the summary tables).
    let o = meshctl(&["explain"]);
    assert_eq!(o.status.code(), Some(0));
    let text = stdout(&o);
    let row = text
        .lines()
        .find(|l| l.contains(" MSH1014 "))
        .unwrap_or_else(|| panic!("{text}"));
    let cells: Vec<&str> = row.trim_matches('│').split('┆').map(str::trim).collect();
    assert_eq!(cells, ["MSH1014", "error", "not-in-istio-release"], "{row}");
    let rows = text.lines().filter(|l| l.starts_with("│ ")).count();
    assert_eq!(rows, meshctl::check::catalog::CATALOG.len() + 1, "{text}");
    assert!(text.ends_with("`meshctl explain CODE` prints a code's documentation.\n"));
    // Human output points at the command, not at a file users of the binary do not have.
    let o = meshctl(&[
        "validate",
        "--color",
        "never",
        "testdata/invalid/bad-enum.yaml",
    ]);
    assert!(
        stdout(&o).contains("see meshctl explain MSH1008"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn concise_output_is_one_line_per_finding() {
    let o = meshctl(&[
        "validate",
        "-o",
        "concise",
        "testdata/invalid/bad-enum.yaml",
        "testdata/invalid/bad-duration.yaml",
    ]);
    assert_eq!(o.status.code(), Some(1));
    insta::assert_snapshot!("concise", stdout(&o));
}

#[test]
fn summary_tables_and_grouping() {
    // 12 findings: repeated ones on one object are grouped under the first, and the output
    // ends with the tables by code and by file. Machine output keeps every finding.
    let o = meshctl(&["analyze", "--color", "never", "testdata/scale/"]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    insta::assert_snapshot!("summary_tables_and_grouping", out);
    let j = meshctl(&["analyze", "-o", "json", "testdata/scale/"]);
    assert_eq!(
        common::json(&j)["diagnostics"].as_array().map(Vec::len),
        Some(12)
    );
    // A handful of findings gets no tables.
    let few = meshctl(&[
        "validate",
        "--color",
        "never",
        "testdata/invalid/bad-enum.yaml",
    ]);
    assert!(
        !stdout(&few).contains("Findings by code"),
        "{}",
        stdout(&few)
    );
}

#[test]
fn kubectl_runs_meshctl_as_the_mesh_plugin() {
    let plugin = Path::new(env!("CARGO_BIN_EXE_kubectl-mesh"));
    let dir = plugin.parent().expect("the plugin's folder");
    // The plugin binary is meshctl under kubectl's naming convention.
    let o = Command::new(plugin)
        .args(["validate", "testdata/valid/shop-gateway.yaml"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("kubectl-mesh runs");
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let has_kubectl = Command::new("kubectl")
        .args(["version", "--client"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_kubectl {
        eprintln!("kubectl is not installed: `kubectl mesh` itself is not tried");
        return;
    }
    let path = format!(
        "{}:{}",
        dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let o = Command::new("kubectl")
        .args(["mesh", "validate", "testdata/valid/shop-gateway.yaml"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("PATH", &path)
        .output()
        .expect("kubectl runs");
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("no problems"), "{}", stdout(&o));
    let o = Command::new("kubectl")
        .args(["plugin", "list", "--name-only"])
        .env("PATH", &path)
        .output()
        .expect("kubectl runs");
    assert!(
        stdout(&o).lines().any(|l| l.trim() == "kubectl-mesh"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn kubectl_completes_the_mesh_plugin() {
    let helper = Path::new(env!("CARGO_BIN_EXE_kubectl_complete-mesh"));
    // The completion helper answers in cobra's format: candidates, then `:directive`.
    let o = Command::new(helper)
        .args(["validate", "-o", "js"])
        .output()
        .expect("kubectl_complete-mesh runs");
    assert_eq!(stdout(&o), "json\n:4\n");
    let has_kubectl = Command::new("kubectl")
        .args(["version", "--client"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_kubectl {
        eprintln!("kubectl is not installed: `kubectl mesh <TAB>` itself is not tried");
        return;
    }
    let dir = helper.parent().expect("the helper's folder");
    let path = format!(
        "{}:{}",
        dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    // What the shell asks kubectl when the user presses TAB after `kubectl mesh an`.
    let o = Command::new("kubectl")
        .args(["__complete", "mesh", "an"])
        .env("PATH", &path)
        .output()
        .expect("kubectl runs");
    let out = stdout(&o);
    assert!(out.lines().any(|l| l.starts_with("analyze\t")), "{out}");
    assert!(out.lines().any(|l| l == ":4"), "{out}");
}

/// EnvoyFilter patch values are decoded against Envoy's API as istiod decodes them: a wrong
/// `@type` and a wrongly typed field are errors at the offending key, an unknown field is a
/// warning there, and common filters (local rate limit, Lua, ext_authz, a cluster) pass.
#[test]
fn envoy_filter_patch_values_decode_as_istiod_does() {
    let findings = |path: &str| {
        let o = meshctl(&["validate", "-o", "json", path]);
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON output");
        let found: Vec<(String, String, u64, u64)> = v["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            // Every EnvoyFilter gets istiod's "internal implementation details" warning.
            .filter(|d| d["code"] != "MSH1288")
            .map(|d| {
                (
                    d["code"].as_str().unwrap_or_default().to_string(),
                    d["severity"].as_str().unwrap_or_default().to_string(),
                    d["line"].as_u64().unwrap_or_default(),
                    d["column"].as_u64().unwrap_or_default(),
                )
            })
            .collect();
        (o.status.code(), found)
    };
    let (code, found) = findings("testdata/envoyfilter/common-filters.yaml");
    assert_eq!((code, found), (Some(0), vec![]));

    let (code, found) = findings("testdata/envoyfilter/unknown-field.yaml");
    assert_eq!(code, Some(0));
    assert_eq!(found, [("MSH1286".into(), "warning".into(), 28, 13)]);

    let (code, found) = findings("testdata/invalid/envoyfilter-wrong-type-url.yaml");
    assert_eq!(code, Some(1));
    assert_eq!(found, [("MSH1293".into(), "error".into(), 26, 20)]);

    let (code, found) = findings("testdata/invalid/envoyfilter-wrong-field-type.yaml");
    assert_eq!(code, Some(1));
    assert_eq!(found, [("MSH1289".into(), "error".into(), 26, 25)]);
}
