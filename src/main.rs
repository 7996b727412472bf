//! The `meshctl` binary: parse the command line, run, map the outcome to an exit code.
//! Exit codes: 0 clean, 1 findings, 2 usage, 3 environment (see `cli::exit`).

fn main() -> std::process::ExitCode {
    meshctl::cli::main()
}
