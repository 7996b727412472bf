//! The `meshctl` binary: parse the command line, run, map the outcome to an exit code.
//! Exit codes: 0 clean, 1 findings, 2 usage, 3 environment (see `cli::exit`).

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = meshctl::cli::Cli::parse();
    match meshctl::cli::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(err.exit_code())
        }
    }
}
