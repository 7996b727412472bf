//! `cargo run --release --example gen_corpus -- N DIR [PER_FILE]`: writes N realistic Istio and
//! Kubernetes resources into DIR as multi-document YAML files (for benchmarks and experiments).

#[path = "../benches/corpus.rs"]
mod corpus;

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(n), Some(dir)) = (args.first().and_then(|a| a.parse().ok()), args.get(1)) else {
        eprintln!("usage: gen_corpus N DIR [PER_FILE]");
        return std::process::ExitCode::from(2);
    };
    let per_file = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(500);
    match corpus::generate(std::path::Path::new(dir), n, per_file) {
        Ok(bytes) => {
            println!("wrote {n} resources ({bytes} bytes) to {dir}");
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::from(3)
        }
    }
}
