//! `meshctl precheck`: whether Istio can be installed in the cluster of the current context.

use clap::Args;
use serde_json::{Value as Json, json};

use super::cluster::AccessArgs;
use super::exit;
use crate::Error;
use crate::check::Diagnostic;
use crate::cluster::{self, Cluster};
use crate::install::precheck::{Check, Options, Status};
use crate::install::profile::{DEFAULT_VERSION, Profile};
use crate::report::{Format, Formats};

#[derive(Debug, Args)]
#[command(
    after_help = "Checks, read-only: the Kubernetes version (IST0142), the rights to create \
                  what an installation creates (IST0141), an Istio control plane already \
                  installed (MSH4001), and schedulable nodes with room for the profile's pods \
                  (MSH4002; by allocatable capacity, not subtracting running pods).\n\n\
                  Exit codes: 0 Istio can be installed (warnings allowed), 1 a check failed, \
                  2 usage error, 3 the cluster could not be used."
)]
pub struct PrecheckArgs {
    /// The profile to be installed (its pods' requests are checked against the nodes).
    #[arg(long, value_enum, default_value_t = Profile::Default)]
    pub profile: Profile,

    /// The namespace the control plane goes into.
    #[arg(
        long = "istio-namespace",
        value_name = "NAMESPACE",
        default_value = "istio-system"
    )]
    pub namespace: String,

    /// Output format.
    #[arg(short = 'o', long = "output", value_parser = Formats(Format::REPORT), default_value = "human")]
    pub output: Format,

    #[command(flatten)]
    pub access: AccessArgs,
}

pub fn run(args: &PrecheckArgs, color: bool) -> Result<u8, Error> {
    let opts = Options {
        profile: args.profile,
        namespace: args.namespace.clone(),
        version: DEFAULT_VERSION.to_string(),
    };
    let rt = cluster::runtime()?;
    let (cluster, checks) = rt.block_on(async {
        let cluster = Cluster::connect(&args.access.access()).await?;
        let checks = cluster.precheck(&opts).await?;
        Ok::<_, Error>((cluster, checks))
    })?;
    let failed = checks.iter().filter(|c| c.status == Status::Fail).count();
    let text = match args.output {
        // `precheck` offers `Format::REPORT`; other formats fall back to the human text.
        Format::Human
        | Format::Concise
        | Format::Sarif
        | Format::Junit
        | Format::Github
        | Format::Markdown => human(&cluster, &opts, &checks, color),
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&to_json(&cluster, &opts, &checks))
                .unwrap_or_default();
            s.push('\n');
            s
        }
        Format::Yaml => crate::report::yaml::to_yaml(&to_json(&cluster, &opts, &checks)),
    };
    super::write_stdout(&text)?;
    Ok(if failed > 0 { exit::FINDINGS } else { exit::OK })
}

fn human(cluster: &Cluster, opts: &Options, checks: &[Check], color: bool) -> String {
    let paint = |code: &str, text: &str| super::paint(color, code, text);
    let mut out = format!(
        "Precheck for Istio {} (profile {}) in cluster {} ({})\n",
        opts.version,
        opts.profile.as_str(),
        cluster.context,
        cluster.server
    );
    let mut table = crate::report::tables::wrapped_table(&["check", "result"]);
    for c in checks {
        let mark = match c.status {
            Status::Pass => "✔",
            Status::Warn => "⚠",
            Status::Fail => "✘",
        };
        table.add_row(vec![format!("{mark} {}", c.name), c.summary.clone()]);
    }
    out.push_str(&super::paint_marks(color, &format!("{table}\n")));
    // The findings of each check after the table; findings of one check often share their
    // help: each help once, after them.
    for c in checks.iter().filter(|c| !c.findings.is_empty()) {
        out.push_str(&format!("{}:\n", c.name));
        let mut helps: Vec<(&str, &str)> = Vec::new();
        for d in &c.findings {
            out.push_str(&format!(
                "    {}[{}] {}\n",
                d.severity.as_str(),
                d.code,
                d.message
            ));
            if let Some(h) = &d.help
                && !helps.iter().any(|(_, seen)| seen == h)
            {
                helps.push((d.code, h));
            }
        }
        for (code, h) in helps {
            out.push_str(&format!(
                "    help: {h} (see `{}`)\n",
                crate::check::catalog::see(code)
            ));
        }
    }
    let failed = checks.iter().filter(|c| c.status == Status::Fail).count();
    if failed == 0 {
        out.push_str(&format!(
            "{} No issues found: Istio {} (profile {}) can be installed here.\n",
            paint("32", "✔"),
            opts.version,
            opts.profile.as_str()
        ));
    } else {
        out.push_str(&format!(
            "{} Issues found: {failed} check(s) failed; Istio cannot be installed here as is.\n",
            paint("31", "✖")
        ));
    }
    out
}

fn to_json(cluster: &Cluster, opts: &Options, checks: &[Check]) -> Json {
    let finding = |d: &Diagnostic| {
        json!({
            "code": d.code,
            "severity": d.severity.as_str(),
            "message": d.message,
            "resource": d.resource.as_ref().map(|r| json!({
                "apiVersion": r.api_version,
                "kind": r.kind,
                "namespace": r.namespace,
                "name": r.name,
            })),
            "help": d.help,
        })
    };
    json!({
        "cluster": {"context": cluster.context, "server": cluster.server},
        "istio_version": opts.version,
        "profile": opts.profile.as_str(),
        "istio_namespace": opts.namespace,
        "checks": checks.iter().map(|c| json!({
            "check": c.name,
            "status": c.status.as_str(),
            "summary": c.summary,
            "findings": c.findings.iter().map(finding).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "ok": checks.iter().all(|c| c.status != Status::Fail),
    })
}
