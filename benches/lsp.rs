//! `cargo bench --bench lsp [-- RESOURCES [PER_FILE]]`: the language server's latency for one
//! changed file. Generates the benchmark corpus (`benches/corpus.rs`, default 1,000 resources in
//! files of 50), loads it as `meshctl lsp` loads a workspace, then times what a `didChange`
//! costs once the debounce has passed: the changed file validated again on its own, the
//! workspace's set updated, analysis over the whole set, and the diagnostics to publish. The
//! budget is 50 ms; the number goes into docs/performance.md.

#[path = "common.rs"]
mod common;
#[path = "corpus.rs"]
mod corpus;

use std::time::Duration;

use common::{numeric_args, scratch_dir, sorted_files};
use meshctl::lsp::workspace::Workspace;

fn main() {
    let args = numeric_args();
    let total = args.first().copied().unwrap_or(1_000);
    let per_file = args.get(1).copied().unwrap_or(50);
    let dir = scratch_dir(&format!("meshctl-bench-lsp-{total}"));
    corpus::generate(&dir, total, per_file).expect("corpus written");
    let root = dir.canonicalize().expect("corpus dir");
    let start = std::time::Instant::now();
    let mut ws = Workspace::load(vec![root.clone()], None);
    let first = ws.changed_diagnostics();
    println!(
        "workspace: {} resources in {} files; loaded and analysed in {:.1} ms ({} files with diagnostics), {} threads",
        ws.set.objects.len(),
        ws.set.files.len(),
        start.elapsed().as_secs_f64() * 1e3,
        first.len(),
        rayon::current_num_threads()
    );
    let files = sorted_files(&root);
    let changed = files.get(files.len() / 2).expect("a file").clone();
    let original = std::fs::read_to_string(&changed).expect("file read");
    // Each edit changes the file's text (a comment line), as typing does.
    let mut times: Vec<Duration> = Vec::new();
    let mut published = 0;
    for i in 0..30 {
        let text = format!("{original}\n# edit {i}\n");
        let t = std::time::Instant::now();
        ws.update(&changed, text);
        published += ws.changed_diagnostics().len();
        times.push(t.elapsed());
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "one changed file ({} bytes): median {:.1} ms, best {:.1} ms, worst {:.1} ms over {} edits ({published} publications); budget 50 ms",
        original.len(),
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1]),
        times.len()
    );
    let _ = std::fs::remove_dir_all(&dir);
}
