//! `meshctl install` and `meshctl uninstall`: put the mesh into the cluster of the current
//! context and wait until it is ready; take out what meshctl installed.

use std::io::{IsTerminal, Write};
use std::time::Duration;

use clap::Args;

use super::cluster::AccessArgs;
use super::exit;
use super::manifest::InstallSettingsArgs;
use crate::Error;
use crate::cluster::{self, Cluster};
use crate::install::manifest::{self, Component};
use crate::install::profile::Profile;
use crate::install::run::{self, Event, InstallOptions, Outcome};

#[derive(Debug, Args)]
#[command(
    after_help = "Components are applied with server-side apply (field manager \
                        meshctl) in order: Istio core (CRDs, then wait until established), \
                        Istiod (wait until ready), gateways (wait until ready). Installing \
                        again changes nothing; an interrupted installation converges when run \
                        again.\n\nExit codes: 0 installed (or, with --dry-run, every object \
                        accepted), 1 a component did not become ready in time (the reason is \
                        printed), 2 usage error, 3 the cluster could not be used or refused an \
                        object."
)]
pub struct InstallArgs {
    #[command(flatten)]
    pub settings: InstallSettingsArgs,

    /// Do not ask for confirmation.
    #[arg(short = 'y', long = "skip-confirmation")]
    pub yes: bool,

    /// Send everything as a server-side dry run: the API server checks every object, nothing is
    /// stored, nothing is waited for.
    #[arg(long)]
    pub dry_run: bool,

    /// How long to wait for each component to become ready: 5m, 90s.
    #[arg(long = "readiness-timeout", value_name = "DURATION", default_value = "5m",
          value_parser = cluster::parse_duration)]
    pub readiness_timeout: Duration,

    #[command(flatten)]
    pub access: AccessArgs,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Removes every object carrying app.kubernetes.io/managed-by=meshctl \
                        of the kinds an installation creates; objects others created (in \
                        istio-system too) stay, and so does the istio-system namespace. \
                        --purge also removes the Istio CRDs, and with them every Istio \
                        resource in the cluster.\n\nExit codes: 0 removed (or nothing to \
                        remove), 2 usage error, 3 the cluster could not be used."
)]
pub struct UninstallArgs {
    /// Also remove the Istio CRDs (and so every VirtualService, Gateway, ... in the cluster).
    #[arg(long)]
    pub purge: bool,

    /// Do not ask for confirmation.
    #[arg(short = 'y', long = "skip-confirmation")]
    pub yes: bool,

    #[command(flatten)]
    pub access: AccessArgs,
}

/// Asks on the terminal; without one, `-y` is required.
fn confirm(question: &str, yes: bool) -> Result<bool, Error> {
    if yes {
        return Ok(true);
    }
    if !std::io::stdin().is_terminal() {
        return Err(Error::Usage(format!(
            "{question} — confirm with -y (standard input is not a terminal)"
        )));
    }
    eprint!("{question} Proceed? (y/N) ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin()
        .read_line(&mut answer)
        .map_err(|e| Error::Read {
            path: "<stdin>".to_string(),
            source: e,
        })?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes" | "Yes"))
}

/// Progress on stderr: a rewritten status line on a terminal, one line per change otherwise.
struct Progress {
    tty: bool,
    color: bool,
    frame: usize,
    last: String,
}

impl Progress {
    fn event(&mut self, e: Event) {
        match e {
            Event::Applying { component, objects } => {
                self.status(format!("{component}: applying {objects} objects"));
            }
            Event::Unchecked { component, objects } => {
                self.line(format!(
                    "  {component}: {objects} objects not checked: their namespace does not exist yet (a dry run creates none)"
                ));
            }
            Event::Waiting { component, pending } => {
                self.status(format!("{component}: waiting for {}", pending.join(", ")));
            }
            Event::Done { component, elapsed } => {
                let mark = self.paint("32", "✔");
                self.line(format!(
                    "{mark} {:<32} {:.1}s",
                    format!("{component} installed"),
                    elapsed.as_secs_f64()
                ));
            }
        }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        super::paint(self.color, code, text)
    }

    fn status(&mut self, text: String) {
        if self.tty {
            const FRAMES: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
            self.frame = (self.frame + 1) % FRAMES.len();
            eprint!("\r\x1b[K{} {text}", FRAMES[self.frame]);
            let _ = std::io::stderr().flush();
        } else if text != self.last {
            eprintln!("- {text}");
        }
        self.last = text;
    }

    fn line(&mut self, text: String) {
        if self.tty {
            eprint!("\r\x1b[K");
        }
        eprintln!("{text}");
        self.last.clear();
    }
}

pub fn run_install(args: &InstallArgs, color: bool) -> Result<u8, Error> {
    let settings = args.settings.settings()?;
    let components = manifest::render(&settings);
    let rt = cluster::runtime()?;
    let cluster = rt.block_on(Cluster::connect(&args.access.access()))?;
    let what = format!(
        "This will install Istio {} (profile {}) into cluster {}{}.",
        settings.tag,
        settings.profile.as_str(),
        cluster.context,
        if args.dry_run { " as a dry run" } else { "" }
    );
    if !args.dry_run && !confirm(&what, args.yes)? {
        eprintln!("Cancelled.");
        return Ok(exit::FINDINGS);
    }
    let tty = std::io::stderr().is_terminal();
    let mut progress = Progress {
        tty,
        color: color && tty,
        frame: 0,
        last: String::new(),
    };
    let opts = InstallOptions {
        dry_run: args.dry_run,
        readiness_timeout: args.readiness_timeout,
    };
    let outcome = rt.block_on(cluster.install(&components, &opts, &mut |e| progress.event(e)))?;
    match outcome {
        Outcome::Applied => {
            let n: usize = components.iter().map(|c| c.objects.len()).sum();
            progress.line(format!(
                "{} Dry run: the API server accepted the objects of {} components ({n} objects); nothing was changed",
                progress.paint("32", "✔"),
                components.len()
            ));
            Ok(exit::OK)
        }
        Outcome::Installed => {
            progress.line(format!(
                "{} Installation complete — next: kubectl label namespace default istio-injection=enabled",
                progress.paint("32", "✔")
            ));
            if let Some(note) = rt.block_on(load_balancer_note(&cluster, &components))? {
                eprintln!("note: {note}");
            }
            Ok(exit::OK)
        }
        Outcome::Stuck(stuck) => {
            progress.line(format!(
                "{} {} not ready after {}:",
                progress.paint("31", "✘"),
                stuck.component,
                cluster::human_duration(args.readiness_timeout)
            ));
            for r in &stuck.reasons {
                eprintln!("    {r}");
            }
            eprintln!(
                "  what is applied stays; run `meshctl install` again once the cause is fixed, or `meshctl uninstall`"
            );
            Ok(exit::FINDINGS)
        }
    }
}

/// On a cluster without a load-balancer controller (minikube), the ingress gateway's Service
/// never gets an address.
async fn load_balancer_note(
    cluster: &Cluster,
    components: &[Component],
) -> Result<Option<String>, Error> {
    let Some((ns, name)) = components
        .iter()
        .flat_map(|c| c.objects.iter())
        .find(|o| o["kind"] == "Service" && o["spec"]["type"] == "LoadBalancer")
        .and_then(|o| {
            Some((
                o["metadata"]["namespace"].as_str()?.to_string(),
                o["metadata"]["name"].as_str()?.to_string(),
            ))
        })
    else {
        return Ok(None);
    };
    let api: kube::Api<k8s_openapi::api::core::v1::Service> =
        kube::Api::namespaced(cluster.client.clone(), &ns);
    let svc = cluster
        .call(api.get_opt(&name))
        .await
        .map_err(|e| cluster.fail(&e, &format!("reading Service {ns}/{name}")))?;
    let has_address = svc
        .and_then(|s| s.status)
        .and_then(|s| s.load_balancer)
        .and_then(|lb| lb.ingress)
        .is_some_and(|i| !i.is_empty());
    Ok((!has_address).then(|| {
        format!(
            "the LoadBalancer Service {ns}/{name} has no external address yet; on minikube, run `minikube tunnel` in another terminal"
        )
    }))
}

pub fn run_uninstall(args: &UninstallArgs) -> Result<u8, Error> {
    let rt = cluster::runtime()?;
    let cluster = rt.block_on(Cluster::connect(&args.access.access()))?;
    // The kinds any profile installs (the demo profile has no autoscaler, the others no
    // egress gateway).
    let all: Vec<Component> = [Profile::Minimal, Profile::Default, Profile::Demo]
        .into_iter()
        .flat_map(|p| manifest::render(&manifest::Settings::profile(p)))
        .collect();
    let kinds = run::kinds_of(&all);
    let found = rt.block_on(cluster.installed_objects(&kinds, args.purge))?;
    if found.is_empty() {
        eprintln!(
            "Nothing to remove: no object installed by meshctl was found in cluster {}.",
            cluster.context
        );
        return Ok(exit::OK);
    }
    let question = format!(
        "This will remove {} objects meshctl installed from cluster {}{}.",
        found.len(),
        cluster.context,
        if args.purge {
            ", with the Istio CRDs and every Istio resource in the cluster"
        } else {
            ""
        }
    );
    if !confirm(&question, args.yes)? {
        eprintln!("Cancelled.");
        return Ok(exit::FINDINGS);
    }
    let removed = rt.block_on(cluster.delete_all(&found, 8))?;
    for r in &found {
        eprintln!("  Removed {r}");
    }
    eprintln!(
        "✔ Uninstall complete: {removed} objects removed (the istio-system namespace is kept)"
    );
    Ok(exit::OK)
}

#[derive(Debug, Args)]
#[command(
    after_help = "Give the same --profile, --set and -f as to install. Checks that every \
                        object of the installation exists, was installed by meshctl and is \
                        unmodified in the fields meshctl sets (a server-side dry-run apply \
                        would change nothing), that every Deployment is ready, and that every \
                        webhook calls an existing Service and has its CA bundle.\n\nExit \
                        codes: 0 verified (warnings allowed), 1 problems found or no \
                        installation, 2 usage error, 3 the cluster could not be used."
)]
pub struct VerifyArgs {
    #[command(flatten)]
    pub settings: InstallSettingsArgs,

    #[command(flatten)]
    pub access: AccessArgs,
}

pub fn run_verify(args: &VerifyArgs, color: bool) -> Result<u8, Error> {
    let settings = args.settings.settings()?;
    let components = manifest::render(&settings);
    let rt = cluster::runtime()?;
    let cluster = rt.block_on(Cluster::connect(&args.access.access()))?;
    let v = rt.block_on(cluster.verify(&components))?;
    let paint = |code: &str, text: &str| super::paint(color, code, text);
    let mut out = format!(
        "Verifying Istio {} (profile {}) in cluster {}\n",
        settings.tag,
        settings.profile.as_str(),
        cluster.context
    );
    if v.installed_by_meshctl == 0 {
        out.push_str(&format!(
            "{} No Istio installation by meshctl found: none of the {} objects of the profile carries its label ({} present)\n",
            paint("31", "✘"),
            v.expected,
            v.present
        ));
        super::write_stdout(&out)?;
        return Ok(exit::FINDINGS);
    }
    out.push_str(&format!(
        "{} {} of {} objects present\n",
        if v.present == v.expected {
            paint("32", "✔")
        } else {
            paint("31", "✘")
        },
        v.present,
        v.expected
    ));
    for p in &v.problems {
        let mark = if p.warning {
            paint("33", "⚠")
        } else {
            paint("31", "✘")
        };
        out.push_str(&format!("{mark} {}: {}\n", p.object, p.message));
    }
    let errors = v.problems.iter().filter(|p| !p.warning).count();
    if errors == 0 {
        out.push_str(&format!(
            "{} Istio is installed and verified\n",
            paint("32", "✔")
        ));
    } else {
        out.push_str(&format!(
            "{} Istio is not installed as the profile describes: {errors} problem(s)\n",
            paint("31", "✖")
        ));
    }
    super::write_stdout(&out)?;
    Ok(if errors == 0 {
        exit::OK
    } else {
        exit::FINDINGS
    })
}
