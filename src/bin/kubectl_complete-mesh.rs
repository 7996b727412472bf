//! `kubectl mesh <TAB>`: kubectl (1.26+) completes a plugin's arguments by running
//! `kubectl_complete-<plugin>` from PATH; this answers for `kubectl-mesh` in cobra's format.

fn main() -> std::process::ExitCode {
    meshctl::cli::plugin_complete::main()
}
