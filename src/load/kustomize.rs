//! `-k DIR`: the manifests a kustomization renders, as `kubectl apply -k` would apply them.
//! meshctl does not reimplement kustomize: it runs `kubectl kustomize DIR` (kubectl embeds
//! kustomize) or, without kubectl, `kustomize build DIR`, and reads what it prints. A missing
//! tool or a failed build is an environment error (exit 3) that names the tool and its message.

use std::path::Path;
use std::process::{Command, Stdio};

use crate::Error;

/// The tools tried, in order: the program and the arguments before the folder.
const TOOLS: &[(&str, &[&str])] = &[("kubectl", &["kustomize"]), ("kustomize", &["build"])];

/// Renders the kustomization in `dir` and returns what the tool printed.
pub fn render(dir: &Path) -> Result<Vec<u8>, Error> {
    if !dir.is_dir() {
        return Err(Error::Tool(format!(
            "-k {}: not a folder (give the folder that holds kustomization.yaml)",
            dir.display()
        )));
    }
    let mut tried = Vec::new();
    for (program, args) in TOOLS {
        let out = Command::new(program)
            .args(args.iter())
            .arg(dir)
            .stdin(Stdio::null())
            .output();
        match out {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                tried.push(*program);
                continue;
            }
            Err(e) => {
                return Err(Error::Tool(format!(
                    "-k {}: cannot run {program}: {e}",
                    dir.display()
                )));
            }
            Ok(o) if o.status.success() => return Ok(o.stdout),
            Ok(o) => {
                let stderr = String::from_utf8_lossy(&o.stderr);
                let last = stderr
                    .lines()
                    .rev()
                    .find(|l| !l.trim().is_empty())
                    .unwrap_or("no message");
                return Err(Error::Tool(format!(
                    "-k {}: `{program} {} {}` failed: {last}",
                    dir.display(),
                    args.join(" "),
                    dir.display()
                )));
            }
        }
    }
    Err(Error::Tool(format!(
        "-k {}: rendering a kustomization needs kubectl or kustomize on PATH ({} not found); or run `kustomize build {} | meshctl validate -`",
        dir.display(),
        tried.join(" and "),
        dir.display()
    )))
}
