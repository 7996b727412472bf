//! Helpers shared by the CLI test suites: run the `meshctl` binary (from the crate root, or
//! another directory, optionally with bytes on standard input) and read what it printed.

// Each test crate includes this module and uses only some of its helpers.
#![allow(dead_code)]

pub mod istiod;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// `meshctl ARGS...` in the crate root, with an empty standard input.
pub fn meshctl(args: &[&str]) -> Output {
    meshctl_stdin(args, None)
}

/// `meshctl ARGS...` in the crate root, with `stdin` (if any) on standard input.
pub fn meshctl_stdin(args: &[&str], stdin: Option<&[u8]>) -> Output {
    run(Path::new(env!("CARGO_MANIFEST_DIR")), args, stdin)
}

/// `meshctl ARGS...` in `dir`, with an empty standard input.
pub fn meshctl_in(dir: &Path, args: &[&str]) -> Output {
    run(dir, args, None)
}

/// `meshctl ARGS...` in the crate root where no cluster is configured: no KUBECONFIG, a HOME
/// without ~/.kube/config, not in a pod.
pub fn meshctl_without_cluster(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_meshctl"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("KUBECONFIG")
        .env_remove("KUBERNETES_SERVICE_HOST")
        .env(
            "HOME",
            Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata"),
        )
        .stdin(Stdio::null())
        .output()
        .expect("meshctl runs")
}

fn run(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_meshctl"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("meshctl runs");
    if let (Some(mut pipe), Some(bytes)) = (child.stdin.take(), stdin) {
        // A closed pipe here means the binary exited early, which the assertions report.
        let _ = pipe.write_all(bytes);
    }
    child.wait_with_output().expect("meshctl finishes")
}

/// A path the test bed exports (`scripts/test-cluster up` prints them); a missing one fails the
/// test, saying how to start the test bed.
pub fn testbed_var(name: &str) -> std::path::PathBuf {
    std::env::var_os(name)
        .filter(|v| !v.is_empty())
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            panic!("{name} is not set: needs the test bed (eval \"$(scripts/test-cluster up)\")")
        })
}

/// `meshctl ARGS... --kubeconfig KUBECONFIG`: exit code, stdout and stderr together, and how
/// long it took.
pub fn meshctl_kube(
    args: &[&str],
    kubeconfig: &Path,
) -> (Option<i32>, String, std::time::Duration) {
    let start = std::time::Instant::now();
    let o = Command::new(env!("CARGO_BIN_EXE_meshctl"))
        .args(args)
        .arg("--kubeconfig")
        .arg(kubeconfig)
        .output()
        .expect("meshctl runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    (o.status.code(), text, start.elapsed())
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The JSON report a command printed.
pub fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("JSON output ({e}): {}{}", stdout(o), stderr(o)))
}

/// The diagnostics of a JSON report.
pub fn diagnostics(v: &serde_json::Value) -> impl Iterator<Item = &serde_json::Value> {
    v["diagnostics"].as_array().into_iter().flatten()
}

/// (code, "Kind ns/name") pairs of a JSON report, sorted.
pub fn pairs(v: &serde_json::Value) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = diagnostics(v)
        .map(|d| {
            let r = &d["resource"];
            let kind = r["kind"].as_str().unwrap_or("");
            let name = r["name"].as_str().unwrap_or("");
            let res = match r["namespace"].as_str() {
                Some(ns) => format!("{kind} {ns}/{name}"),
                None => format!("{kind} {name}"),
            };
            (d["code"].as_str().unwrap_or("").to_string(), res)
        })
        .collect();
    out.sort();
    out
}

/// Expected (code, resource) pairs, sorted like [`pairs`].
pub fn expect(list: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = list
        .iter()
        .map(|(c, r)| (c.to_string(), r.to_string()))
        .collect();
    v.sort();
    v
}

/// A file over 64 KB with CR-only line endings: 401 VirtualServices, the last with an invalid
/// timeout (line 400 * 12 + 9 = 4809, as YAML 1.2 counts CR line breaks).
pub fn cr_only_virtual_services() -> String {
    let doc = |i: usize, timeout: &str| {
        format!(
            "apiVersion: networking.istio.io/v1\rkind: VirtualService\rmetadata:\r  name: r{i}\r  namespace: default\rspec:\r  hosts: [a]\r  http:\r  - timeout: {timeout}\r    route:\r    - destination: {{host: a}}\r---\r"
        )
    };
    let mut text: String = (0..400).map(|i| doc(i, "3s")).collect();
    text.push_str(&doc(400, "bogus"));
    assert!(text.len() > 64 * 1024);
    text
}

/// Whether the output has a table row (comfy-table, as meshctl draws its tables) whose first
/// cell is `first` and whose second cell starts with `second`.
pub fn table_row(out: &str, first: &str, second: &str) -> bool {
    out.lines().any(|l| {
        let cells: Vec<&str> = l.trim_matches('│').split('┆').map(str::trim).collect();
        cells.len() >= 2 && cells[0] == first && cells[1].starts_with(second)
    })
}
