//! The binary on inputs that once crashed it (exit 101) or ate its memory, built here rather
//! than committed: findings past display column 65,535 (minified JSON, double-width text), a
//! file with CR-only line endings, a small file whose aliases expand to gigabytes (through every
//! command that reads YAML), and a 50 MB one-line object.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{meshctl, meshctl_stdin, stdout};

/// A directory of its own for one test's files, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("meshctl-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }
    fn write(&self, name: &str, text: &str) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, text).expect("write");
        path.to_string_lossy().into_owned()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn assert_no_crash(o: &Output, what: &str) {
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        !err.contains("panicked"),
        "{what} panicked: {}",
        err.lines().take(5).collect::<Vec<_>>().join("\n")
    );
    assert_ne!(o.status.code(), Some(101), "{what}");
    assert!(o.status.code().is_some(), "{what} was killed");
}

/// Human output: no source line shown wider than the renderer's bound.
fn assert_narrow(human: &str) {
    for line in human.lines() {
        if line
            .trim_start()
            .split_once(" │ ")
            .is_some_and(|(n, _)| n.parse::<usize>().is_ok())
        {
            assert!(line.chars().count() < 200, "wide snippet line: {line:.200}");
        }
    }
}

fn minified_vs(pad: &str) -> String {
    format!(
        r#"{{"apiVersion":"networking.istio.io/v1","kind":"VirtualService","metadata":{{"name":"r","namespace":"default","annotations":{{"pad":"{pad}"}}}},"spec":{{"hosts":["a"],"http":[{{"route":[{{"destination":{{"host":"a"}}}}],"timeout":"bogus"}}]}}}}"#
    )
}

#[test]
fn human_output_of_minified_json_past_column_65535() {
    let text = minified_vs(&"x".repeat(100_000));
    let col = text.find("\"bogus\"").expect("in text") + 1;
    for cmd in ["validate", "analyze", "lint"] {
        for color in ["never", "always"] {
            let o = meshctl_stdin(&[cmd, "--color", color, "-"], Some(text.as_bytes()));
            assert_no_crash(&o, cmd);
            let out = stdout(&o);
            assert_narrow(&out);
            if cmd != "lint" {
                assert_eq!(o.status.code(), Some(1), "{cmd}: {out}");
                assert!(out.contains(&format!("<stdin>:1:{col}")), "{cmd}: {out}");
                assert!(out.contains("…"), "{cmd}: {out}");
            }
        }
    }
}

#[test]
fn human_output_of_a_double_width_line() {
    // 40,000 characters but 80,000 columns before the finding.
    let text = format!(
        "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {{annotations: {{a: \"{}\"}}, name: Bad_Name}}\nspec: {{hosts: [a], http: [{{route: [{{destination: {{host: a}}}}]}}]}}\n",
        "中".repeat(40_000)
    );
    for cmd in ["validate", "analyze"] {
        let o = meshctl_stdin(&[cmd, "--color", "never", "-"], Some(text.as_bytes()));
        assert_no_crash(&o, cmd);
        let out = stdout(&o);
        assert_eq!(o.status.code(), Some(1), "{out}");
        assert!(out.contains("[<stdin>:3:40040]"), "{out}");
        assert_narrow(&out);
    }
}

#[test]
fn cr_only_file_over_64_kb() {
    let text = common::cr_only_virtual_services();
    let o = meshctl_stdin(
        &["validate", "--color", "never", "-"],
        Some(text.as_bytes()),
    );
    assert_no_crash(&o, "validate");
    let out = stdout(&o);
    assert!(out.contains("[<stdin>:4809:14]"), "{out}");
    assert!(out.contains(" 4809 │   - timeout: bogus\n"), "{out}");
    let o = meshctl_stdin(&["validate", "-o", "json", "-"], Some(text.as_bytes()));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["diagnostics"][0]["line"], 4809);
    assert_eq!(v["diagnostics"][0]["column"], 14);
    assert_eq!(v["summary"]["resources"], 401);
}

/// 63 KB that would expand to about 5 GB: a 60 KB string aliased 300 times, and that list
/// aliased 300 times.
fn alias_bomb() -> String {
    let mut text = format!("a: &s {}\n", "A".repeat(60_000));
    text.push_str(&format!("b: &l [{}]\n", vec!["*s"; 300].join(", ")));
    text.push_str(&format!("c: [{}]\n", vec!["*l"; 300].join(", ")));
    text
}

/// Runs meshctl with its address space capped at 1 GiB where the shell can do that (Linux), so
/// an unbounded expansion fails the test instead of the machine.
fn meshctl_capped(args: &[&str]) -> Output {
    if cfg!(target_os = "linux") && Path::new("/bin/sh").exists() {
        Command::new("/bin/sh")
            .arg("-c")
            .arg("ulimit -v 1048576 && exec \"$0\" \"$@\"")
            .arg(env!("CARGO_BIN_EXE_meshctl"))
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .expect("meshctl runs")
    } else {
        meshctl(args)
    }
}

#[test]
fn alias_amplification_is_bounded_in_every_command() {
    let dir = TempDir::new("alias");
    let bomb = dir.write("bomb.yaml", &alias_bomb());
    let ok = "testdata/valid/shop-gateway.yaml";
    let message = "aliases expand to more than 4 MiB";
    let runs: Vec<(Vec<&str>, Option<i32>)> = vec![
        (vec!["validate", "--color", "never", &bomb], Some(1)),
        (vec!["analyze", "--color", "never", &bomb], Some(1)),
        (vec!["lint", "--color", "never", &bomb], Some(1)),
        (vec!["validate", "-o", "json", &bomb], Some(1)),
        (vec!["diff", ok, &bomb], None),
        (vec!["route-test", "-f", &bomb, "http://a/"], None),
        (vec!["route-test", "-f", ok, "--tests", &bomb], None),
        (vec!["analyze", "--mesh-config", &bomb, ok], None),
    ];
    for (args, code) in runs {
        let o = meshctl_capped(&args);
        let what = args.join(" ");
        assert_no_crash(&o, &what);
        let all = format!("{}{}", stdout(&o), String::from_utf8_lossy(&o.stderr));
        assert!(all.contains(message), "{what}: {all:.2000}");
        if let Some(code) = code {
            assert_eq!(o.status.code(), Some(code), "{what}");
            // Located: line 2, where the alias that crosses the limit is.
            assert!(
                all.contains(":2:") || all.contains("\"line\": 2"),
                "{what}: {all:.2000}"
            );
        }
    }
}

#[test]
fn fifty_megabyte_one_line_object_prints_a_short_snippet() {
    let mut text = String::with_capacity(50_000_200);
    text.push_str(
        r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm"},"data":{"k":""#,
    );
    text.push_str(&"x".repeat(50_000_000));
    text.push_str(r#""},"extra":1}"#);
    let col = text.len() - 9;
    let o = meshctl_stdin(
        &["validate", "--color", "never", "-"],
        Some(text.as_bytes()),
    );
    assert_no_crash(&o, "validate");
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(out.len() < 10_000, "{} bytes of output", out.len());
    assert!(out.contains(&format!("[<stdin>:1:{col}]")), "{out}");
    assert!(out.contains("…xxxx"), "{out}");
    assert_narrow(&out);
}
