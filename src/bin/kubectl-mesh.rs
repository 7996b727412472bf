//! `kubectl mesh ...`: meshctl as a kubectl plugin. kubectl runs an executable named
//! `kubectl-mesh` found on PATH for `kubectl mesh`; it is the same program as `meshctl`.

fn main() -> std::process::ExitCode {
    meshctl::cli::main()
}
