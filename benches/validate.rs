//! `cargo bench --bench validate [-- RESOURCES]`: generates a corpus (default 100,000 resources
//! in files of 500), then measures, on all cores, the YAML parser alone (granit-parser events
//! over every file), the spanned tree meshctl builds from those events, and `meshctl validate`'s
//! whole pipeline (read, parse, schema, Istio rules, sort). It prints throughput and the ratio of
//! validate to the parser alone; the numbers go into docs/performance.md.

#[path = "common.rs"]
mod common;
#[path = "corpus.rs"]
mod corpus;

use rayon::prelude::*;

use common::{best_of, numeric_args, scratch_dir, sorted_files};

fn main() {
    let total = numeric_args().first().copied().unwrap_or(100_000);
    let dir = scratch_dir(&format!("meshctl-bench-{total}"));
    let bytes = corpus::generate(&dir, total, 500).expect("corpus written");
    let files = sorted_files(&dir);
    let mb = bytes as f64 / 1e6;
    println!(
        "corpus: {total} resources, {} files, {mb:.1} MB, {} threads",
        files.len(),
        rayon::current_num_threads()
    );

    let (parse, events) = best_of(5, || {
        files
            .par_iter()
            .map(|p| {
                let text = std::fs::read_to_string(p).expect("read");
                let mut parser = granit_parser::Parser::new_from_str(&text);
                let mut n = 0usize;
                while let Some(Ok(_)) = parser.next_event() {
                    n += 1;
                }
                n
            })
            .sum::<usize>()
    });
    println!(
        "parser alone:  {:>8.1} ms  {:>7.1} MB/s  ({events} events)",
        parse.as_secs_f64() * 1e3,
        mb / parse.as_secs_f64()
    );

    let (load, nodes) = best_of(5, || {
        files
            .par_iter()
            .map(|p| {
                let text = std::fs::read_to_string(p).expect("read");
                let mut n = 0usize;
                meshctl::load::yaml::parse_stream(&text, 0, |doc| {
                    n += doc.root.map_or(0, |r| r.count());
                });
                n
            })
            .sum::<usize>()
    });
    println!(
        "spanned tree:  {:>8.1} ms  {:>7.1} MB/s  ({nodes} nodes)",
        load.as_secs_f64() * 1e3,
        mb / load.as_secs_f64()
    );

    let inputs = vec![meshctl::load::InputSpec::Path(dir.clone())];
    let (validate, outcome) = best_of(5, || {
        meshctl::config::validate_inputs(&inputs).expect("validate runs")
    });
    println!(
        "validate:      {:>8.1} ms  {:>7.1} MB/s  {:>9.0} resources/s  ({} resources, {} errors, {} warnings)",
        validate.as_secs_f64() * 1e3,
        mb / validate.as_secs_f64(),
        outcome.summary.resources as f64 / validate.as_secs_f64(),
        outcome.summary.resources,
        outcome.summary.errors,
        outcome.summary.warnings,
    );
    println!(
        "ratio validate / parser alone: {:.2}",
        validate.as_secs_f64() / parse.as_secs_f64()
    );
    let _ = std::fs::remove_dir_all(&dir);
}
