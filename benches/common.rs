//! Helpers shared by the benchmarks (included as `#[path = "common.rs"] mod common;`): timing,
//! command-line numbers and scratch directories.

// Each benchmark includes this module and uses only some of its helpers.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Runs `f` `runs` times; the fastest time and that run's result.
pub fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best: Option<(Duration, T)> = None;
    for _ in 0..runs {
        let start = Instant::now();
        let out = f();
        let took = start.elapsed();
        if best.as_ref().is_none_or(|(b, _)| took < *b) {
            best = Some((took, out));
        }
    }
    best.expect("at least one run")
}

/// The numbers among the command-line arguments (`cargo bench --bench NAME -- N...`), in order.
pub fn numeric_args() -> Vec<usize> {
    std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect()
}

/// `name` under the temporary directory, emptied (removed if it exists).
pub fn scratch_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(name);
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// The entries of `dir`, sorted.
pub fn sorted_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("corpus dir")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    files
}
