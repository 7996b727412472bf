//! The README's first run: `meshctl validate examples/shop/` (and `analyze` on the same files)
//! must show exactly the mistakes the README describes, so the README stays true.

mod common;

use common::{meshctl, stdout};

#[test]
fn validate_shows_the_two_admission_mistakes() {
    let o = meshctl(&["validate", "-o", "concise", "examples/shop/"]);
    assert_eq!(o.status.code(), Some(1));
    insta::assert_snapshot!("first_run_validate", stdout(&o));
}

#[test]
fn analyze_adds_the_cross_resource_mistakes() {
    let o = meshctl(&["analyze", "-o", "concise", "examples/shop/"]);
    assert_eq!(o.status.code(), Some(1));
    insta::assert_snapshot!("first_run_analyze", stdout(&o));
}

#[test]
fn the_fixed_example_is_clean() {
    // The README's story holds only if fixing the three mistakes leaves nothing: apply the
    // fixes to a copy and check again.
    let dir = std::env::temp_dir().join(format!("meshctl-first-run-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/shop");
    for name in ["services.yaml", "gateway.yaml", "routing.yaml"] {
        let text = std::fs::read_to_string(root.join(name)).expect("example file");
        let fixed = text
            .replace(
                "      mode: SIMPLE\n",
                "      mode: SIMPLE\n      credentialName: shop-example-com\n",
            )
            .replace("    retry:\n", "    retries:\n")
            .replace(
                "  - name: v1\n    labels:\n      version: v1\n",
                "  - name: v1\n    labels:\n      version: v1\n  - name: v2\n    labels:\n      version: v2\n",
            );
        std::fs::write(dir.join(name), fixed).expect("write copy");
    }
    let path = dir.display().to_string();
    let v = meshctl(&["validate", "-o", "concise", &path]);
    let a = meshctl(&["analyze", "-o", "concise", &path]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(v.status.code(), Some(0), "{}", stdout(&v));
    // The ingress route's subsets warning (IST0140) remains by design: it is advice.
    let out = stdout(&a);
    assert_eq!(a.status.code(), Some(0), "{out}");
    assert!(!out.contains("ERROR"), "{out}");
}
