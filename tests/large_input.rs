//! A 100 MB multi-document input: validated completely (split at document markers and parsed in
//! parallel), with a finding near the end located at the right line. Speed is measured in
//! `benches/validate.rs`, not here.

use std::io::Write;
use std::process::Command;

const DOC: &str = "apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: default
spec:
  hosts:
  - reviews.default.svc.cluster.local
  http:
  - match:
    - uri:
        prefix: /api/v1/
      headers:
        x-user:
          exact: tester
    route:
    - destination:
        host: reviews
        subset: v2
      weight: 25
    - destination:
        host: reviews
        subset: v1
      weight: 75
    timeout: 3s
  - route:
    - destination:
        host: reviews
        subset: v1
---
";

#[test]
fn hundred_megabyte_input_is_validated_and_located() {
    let dir = std::env::temp_dir().join(format!("meshctl-large-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("large.yaml");
    let copies = 100 * 1024 * 1024 / DOC.len() + 1;
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
        for _ in 0..copies {
            f.write_all(DOC.as_bytes()).expect("write");
        }
        // One broken document at the very end.
        f.write_all(b"apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: last\nspec:\n  hosts: [last]\n  http:\n  - route:\n    - destination: {host: last}\n      weight: -1\n")
            .expect("write");
    }
    let lines_before = copies * DOC.lines().count();
    let out = Command::new(env!("CARGO_BIN_EXE_meshctl"))
        .args(["validate", "-o", "json"])
        .arg(&path)
        .output()
        .expect("meshctl runs");
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["summary"]["resources"], copies + 1);
    assert_eq!(v["summary"]["errors"], 1);
    let d = &v["diagnostics"][0];
    assert_eq!(d["path"], "spec.http[0].route[0].weight");
    assert_eq!(d["line"], lines_before + 10);
    assert_eq!(d["column"], 15);
}
