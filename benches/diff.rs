//! `cargo bench --bench diff [-- RESOURCES [VIRTUAL_SERVICES]]`: the resource diff of two
//! corpora (default 100,000 resources, one document in a hundred changed: a canary weight
//! shift where the document is a VirtualService, an extra metadata field elsewhere), reading
//! included; and the traffic diff of a config with about 1,000 VirtualServices (loading and
//! validation included). The numbers go into docs/performance.md.

#[path = "common.rs"]
mod common;
#[path = "corpus.rs"]
mod corpus;

use std::path::Path;

use meshctl::load::InputSpec;

use common::{best_of, numeric_args, scratch_dir, sorted_files};

/// Copies `from` to `to`, changing every hundredth document.
fn changed_copy(from: &Path, to: &Path) -> usize {
    std::fs::create_dir_all(to).expect("dir");
    let files = sorted_files(from);
    let mut n = 0usize;
    let mut changed = 0usize;
    for f in files {
        let text = std::fs::read_to_string(&f).expect("read");
        let docs: Vec<String> = text
            .split("\n---\n")
            .map(|d| {
                n += 1;
                if !n.is_multiple_of(100) {
                    return d.to_string();
                }
                changed += 1;
                if d.contains("weight: 90") {
                    d.replace("weight: 90", "weight: 50")
                        .replace("weight: 10", "weight: 50")
                } else {
                    d.replacen("metadata:\n", "metadata:\n  generateName: bench-\n", 1)
                }
            })
            .collect();
        let name = f.file_name().expect("file name");
        std::fs::write(to.join(name), docs.join("\n---\n")).expect("write");
    }
    changed
}

fn main() {
    let nums = numeric_args();
    let total = nums.first().copied().unwrap_or(100_000);
    let vs_target = nums.get(1).copied().unwrap_or(1_000);
    let root = scratch_dir(&format!("meshctl-bench-diff-{total}"));
    let (old, new) = (root.join("old"), root.join("new"));
    let bytes = corpus::generate(&old, total, 500).expect("corpus written");
    let changed = changed_copy(&old, &new);
    println!(
        "corpora: {total} resources ({:.1} MB) each, {changed} documents changed, {} threads",
        bytes as f64 / 1e6,
        rayon::current_num_threads()
    );
    let opts = meshctl::diff::Options::default();
    let (took, d) = best_of(5, || {
        let a = meshctl::diff::read_side(&[InputSpec::Path(old.clone())]).expect("old side");
        let b = meshctl::diff::read_side(&[InputSpec::Path(new.clone())]).expect("new side");
        meshctl::diff::diff(&a, &b, &opts).expect("diff runs")
    });
    println!(
        "resource diff: {:>8.1} ms  ({} changed, {} added, {} removed, {} unchanged)",
        took.as_secs_f64() * 1e3,
        d.count(meshctl::diff::ChangeKind::Changed),
        d.count(meshctl::diff::ChangeKind::Added),
        d.count(meshctl::diff::ChangeKind::Removed),
        d.unchanged
    );

    // The corpus has two VirtualServices in every eight resources.
    let small = vs_target * 4;
    let root2 = scratch_dir(&format!("meshctl-bench-traffic-{small}"));
    let (old2, new2) = (root2.join("old"), root2.join("new"));
    corpus::generate(&old2, small, 500).expect("corpus written");
    changed_copy(&old2, &new2);
    let (took, t) = best_of(3, || {
        let a = meshctl::config::load_inputs(&[InputSpec::Path(old2.clone())]).expect("old");
        let b = meshctl::config::load_inputs(&[InputSpec::Path(new2.clone())]).expect("new");
        let vs = a
            .objects
            .iter()
            .filter(|o| o.kind() == "VirtualService")
            .count();
        (vs, meshctl::diff::traffic::diff(&a, &b))
    });
    let (vs, t) = t;
    println!(
        "traffic diff:  {:>8.1} ms  ({vs} VirtualServices, {} probes from {} proxies, {} requests changed)",
        took.as_secs_f64() * 1e3,
        t.probes,
        t.proxies,
        t.changes.len()
    );
    let _ = std::fs::remove_dir_all(&root);
    let _ = std::fs::remove_dir_all(&root2);
}
