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
use crate::install::state;

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
                        resource in the cluster; it waits until the API server has deleted \
                        them (at most --request-timeout).\n\nExit codes: 0 removed (or \
                        nothing to remove), 1 CRDs still being deleted when the timeout \
                        passed, 2 usage error, 3 the cluster could not be used."
)]
pub struct UninstallArgs {
    /// Also remove the Istio CRDs (and so every VirtualService, Gateway, ... in the cluster).
    #[arg(long)]
    pub purge: bool,

    /// Do not ask for confirmation.
    #[arg(short = 'y', long = "skip-confirmation")]
    pub yes: bool,

    /// Remove only this control-plane revision (its istiod, webhooks, mesh config and record;
    /// `default` for the unnamed one), keeping Istio core and the other revisions.
    #[arg(long, value_name = "REVISION", conflicts_with = "purge")]
    pub revision: Option<String>,

    #[command(flatten)]
    pub access: AccessArgs,
}

/// The label selector of what `uninstall` removes: everything meshctl installed, or one
/// revision's objects without Istio core (the CRDs, the namespace and the reader account that
/// every revision shares).
pub fn uninstall_selector(revision: Option<&str>) -> String {
    let mut selector = format!("{}={}", manifest::MANAGED_BY.0, manifest::MANAGED_BY.1);
    if let Some(rev) = revision {
        selector.push_str(&format!(
            ",istio.io/rev={rev},{}!=Base",
            manifest::COMPONENT_LABEL
        ));
    }
    selector
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
    /// The components installed so far, with how long each took.
    done: Vec<(String, Duration)>,
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
                self.status(format!(
                    "{component} installed in {:.1}s",
                    elapsed.as_secs_f64()
                ));
                self.done.push((component, elapsed));
            }
        }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        super::paint(self.color, code, text)
    }

    /// The state of every component once the installation has ended: installed (and how long
    /// it took), not ready (`stuck`), or not applied.
    fn table(&self, components: &[Component], stuck: Option<(&str, Duration)>) -> String {
        let mut t = crate::report::tables::table(&["component", "objects", "result", "time"]);
        for c in components {
            let done = self.done.iter().find(|(name, _)| name == c.title);
            let (result, time) = match (done, stuck) {
                (Some((_, took)), _) => (
                    "✔ installed".to_string(),
                    format!("{:.1}s", took.as_secs_f64()),
                ),
                (None, Some((name, timeout))) if name == c.title => (
                    format!("✘ not ready after {}", cluster::human_duration(timeout)),
                    String::new(),
                ),
                _ => ("not applied".to_string(), String::new()),
            };
            t.add_row(vec![
                c.title.to_string(),
                c.objects.len().to_string(),
                result,
                time,
            ]);
        }
        crate::report::tables::right_align(&mut t, 1);
        crate::report::tables::right_align(&mut t, 3);
        super::paint_marks(self.color, &t.to_string())
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
    let mut components = manifest::render(&settings);
    // The record of what is installed goes in with Istio core, so that even an installation
    // that stops half-way can be verified against its own settings.
    if let Some(core) = components.first_mut() {
        core.objects.push(state::record(&settings));
    }
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
        done: Vec::new(),
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
            progress.line(progress.table(&components, None));
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
            progress.line(progress.table(
                &components,
                Some((stuck.component.as_str(), args.readiness_timeout)),
            ));
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
    // The kinds any installation has (the demo profile has no autoscaler, the others no
    // egress gateway; only Istio CNI has a DaemonSet).
    let all: Vec<Component> = [Profile::Minimal, Profile::Default, Profile::Demo]
        .into_iter()
        .map(manifest::Settings::profile)
        .chain(std::iter::once(manifest::Settings {
            cni: true,
            ..manifest::Settings::profile(Profile::Default)
        }))
        .flat_map(|s| manifest::render(&s))
        .collect();
    let kinds = run::kinds_of(&all);
    if let Some(rev) = &args.revision
        && (rev.is_empty()
            || !rev
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))
    {
        return Err(Error::Usage(format!(
            "--revision {rev:?}: use lowercase letters, digits and '-'"
        )));
    }
    let selector = uninstall_selector(args.revision.as_deref());
    let found = rt.block_on(cluster.installed_objects(&kinds, args.purge, &selector))?;
    // The installation records go last, so that an interrupted uninstall can still be verified
    // against the settings that were installed.
    let is_record =
        |r: &cluster::apply::ObjectRef| r.kind == "ConfigMap" && state::is_record_name(&r.name);
    let (records, objects): (Vec<_>, Vec<_>) = found.iter().cloned().partition(is_record);
    let recorded: Vec<String> = rt
        .block_on(cluster.installed_states())?
        .into_iter()
        .filter_map(|r| r.settings.ok())
        .filter(|s| args.revision.as_deref().is_none_or(|r| r == s.rev()))
        .map(|s| format!("Istio {}, profile {}", s.tag, s.profile.as_str()))
        .collect();
    if found.is_empty() {
        eprintln!(
            "Nothing to remove: no object installed by meshctl was found in cluster {}.",
            cluster.context
        );
        return Ok(exit::OK);
    }
    let question = format!(
        "This will remove {} objects meshctl installed{} from cluster {}{}.",
        found.len(),
        if recorded.is_empty() {
            String::new()
        } else {
            format!(" ({})", recorded.join("; "))
        },
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
    let mut removed = rt.block_on(cluster.delete_all(&objects, 8))?;
    removed += rt.block_on(cluster.delete_all(&records, 1))?;
    for r in objects.iter().chain(&records) {
        eprintln!("  Removed {r}");
    }
    // A deleted CRD stays (terminating) until the API server has removed its custom
    // resources; installing again before it is gone fails, so wait for it.
    let crds: Vec<_> = found
        .iter()
        .filter(|r| r.kind == "CustomResourceDefinition")
        .cloned()
        .collect();
    if !crds.is_empty() {
        eprintln!(
            "- waiting for {} CustomResourceDefinitions to be deleted (at most {})",
            crds.len(),
            cluster::human_duration(cluster.timeout)
        );
        let left = rt.block_on(cluster.wait_deleted(&crds, cluster.timeout))?;
        if !left.is_empty() {
            let names: Vec<&str> = left.iter().map(|r| r.name.as_str()).collect();
            eprintln!(
                "✘ {removed} objects removed, but {} CustomResourceDefinitions are still being deleted after {} (the API server removes their custom resources first): {}\n  check with `kubectl get crd`, or wait longer with --request-timeout",
                left.len(),
                cluster::human_duration(cluster.timeout),
                names.join(", ")
            );
            return Ok(exit::FINDINGS);
        }
    }
    eprintln!(
        "✔ Uninstall complete: {removed} objects removed{} (the istio-system namespace is kept)",
        if crds.is_empty() {
            ""
        } else {
            ", the CustomResourceDefinitions gone"
        }
    );
    Ok(exit::OK)
}

#[derive(Debug, Args)]
#[command(
    after_help = "Without --profile, --set, -f or --version, verifies the settings \
                        install recorded in the cluster (ConfigMap \
                        istio-system/meshctl-installed-state); with them, those settings, as \
                        install reads them. Checks that every \
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
    let rt = cluster::runtime()?;
    let cluster = rt.block_on(Cluster::connect(&args.access.access()))?;
    let (settings, basis) = if args.settings.given() {
        (args.settings.settings()?, String::new())
    } else {
        recorded_settings(&rt.block_on(cluster.installed_states())?)?
    };
    let components = manifest::render(&settings);
    let v = rt.block_on(cluster.verify(&components))?;
    let paint = |code: &str, text: &str| super::paint(color, code, text);
    let mut out = format!(
        "Verifying Istio {} (profile {}{basis}) in cluster {}\n",
        settings.tag,
        settings.profile.as_str(),
        cluster.context
    );
    if v.installed_by_meshctl == 0 {
        out.push_str(&no_installation(&v, &settings.namespace, &paint));
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
    if !v.problems.is_empty() {
        // One row per problem, never wrapped: each stays one line to read or grep.
        let mut t = crate::report::tables::table(&["object", "problem"]);
        for p in &v.problems {
            let mark = if p.warning { "⚠" } else { "✘" };
            t.add_row(vec![format!("{mark} {}", p.object), p.message.clone()]);
        }
        out.push_str(&super::paint_marks(color, &format!("{t}\n")));
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

/// The settings to verify when none are given: the installation's record, or the default
/// profile when there is none; with the words saying which it is.
fn recorded_settings(records: &[state::Recorded]) -> Result<(manifest::Settings, String), Error> {
    match records {
        [] => Ok((
            manifest::Settings::profile(Profile::Default),
            ": no record of an installation found".to_string(),
        )),
        [one] => match &one.settings {
            Ok(s) => Ok((s.clone(), ", as installed".to_string())),
            Err(e) => Err(Error::Cluster(format!(
                "cannot read the installation record {}: {e}; give the settings with --profile, --set or -f",
                one.object
            ))),
        },
        many => Err(Error::Usage(format!(
            "{} installations are recorded ({}): give the settings of the one to verify with --profile, --set or -f",
            many.len(),
            many.iter()
                .map(|r| r.object.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

/// What `verify` says when none of the installation's own objects (CRDs and namespace aside)
/// was installed by meshctl: whether they are there at all, and what an uninstall leaves.
fn no_installation(
    v: &run::Verification,
    namespace: &str,
    paint: &dyn Fn(&str, &str) -> String,
) -> String {
    let kept = v.crds_present + usize::from(v.namespace_present);
    let own = v.expected.saturating_sub(v.crds_expected + 1);
    let present = v.present.saturating_sub(kept);
    let mut out = if present == 0 {
        format!(
            "{} No Istio installation by meshctl found: none of the {own} objects the profile adds to its CRDs and namespace is present\n",
            paint("31", "✘"),
        )
    } else {
        format!(
            "{} No Istio installation by meshctl found: {present} of the {own} objects the profile adds to its CRDs and namespace are present, but none carries the {}={} label (installed by another tool?)\n",
            paint("31", "✘"),
            manifest::MANAGED_BY.0,
            manifest::MANAGED_BY.1,
        )
    };
    if kept > 0 {
        let mut what = Vec::new();
        if v.crds_present > 0 {
            what.push(format!(
                "{} of the {} CustomResourceDefinitions",
                v.crds_present, v.crds_expected
            ));
        }
        if v.namespace_present {
            what.push(format!("the namespace {namespace}"));
        }
        out.push_str(&format!(
            "  still present: {}, which `meshctl uninstall` keeps{}\n",
            what.join(" and "),
            if v.crds_present > 0 {
                " (`--purge` also removes the CRDs)"
            } else {
                ""
            }
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uninstall_of_a_revision_selects_its_objects_without_istio_core() {
        assert_eq!(
            uninstall_selector(None),
            "app.kubernetes.io/managed-by=meshctl"
        );
        assert_eq!(
            uninstall_selector(Some("canary")),
            "app.kubernetes.io/managed-by=meshctl,istio.io/rev=canary,operator.istio.io/component!=Base"
        );
        // Every object of a canary installation but Istio core carries what the selector asks.
        let s = manifest::Settings::build(
            Profile::Minimal,
            &[],
            &[("revision".to_string(), "canary".to_string())],
        );
        let Ok(s) = s else { panic!("{s:?}") };
        for c in manifest::render(&s) {
            for o in &c.objects {
                let labels = &o["metadata"]["labels"];
                let selected = labels["istio.io/rev"] == "canary" && c.key != "Base";
                assert_eq!(selected, c.key != "Base", "{}", o["metadata"]["name"]);
            }
        }
    }

    #[test]
    fn the_component_table_says_what_is_installed_stuck_and_not_applied() {
        let components = manifest::render(&manifest::Settings::profile(Profile::Demo));
        let progress = Progress {
            tty: false,
            color: false,
            frame: 0,
            last: String::new(),
            done: vec![("Istio core".to_string(), Duration::from_millis(700))],
        };
        let t = progress.table(&components, Some(("Istiod", Duration::from_secs(3))));
        let rows: Vec<Vec<&str>> = t
            .lines()
            .filter(|l| l.starts_with("│ "))
            .map(|l| l.trim_matches('│').split('┆').map(str::trim).collect())
            .collect();
        let base = components[0].objects.len().to_string();
        let pilot = components[1].objects.len().to_string();
        assert_eq!(
            rows,
            [
                vec!["component", "objects", "result", "time"],
                vec!["Istio core", base.as_str(), "✔ installed", "0.7s"],
                vec!["Istiod", pilot.as_str(), "✘ not ready after 3s", ""],
                vec!["Ingress gateways", "5", "not applied", ""],
                vec!["Egress gateways", "5", "not applied", ""],
            ],
            "{t}"
        );
    }

    fn verification(present: usize, crds: usize, namespace: bool) -> run::Verification {
        run::Verification {
            present,
            installed_by_meshctl: 0,
            expected: 39,
            crds_expected: 14,
            crds_present: crds,
            namespace_present: namespace,
            problems: Vec::new(),
        }
    }

    #[test]
    fn no_installation_names_what_uninstall_left() {
        let plain = |_: &str, t: &str| t.to_string();
        // Regression: this said "none of the 39 objects carries its label (15 present)".
        let out = no_installation(&verification(15, 14, true), "istio-system", &plain);
        assert_eq!(
            out,
            "✘ No Istio installation by meshctl found: none of the 24 objects the profile adds to its CRDs and namespace is present\n  still present: 14 of the 14 CustomResourceDefinitions and the namespace istio-system, which `meshctl uninstall` keeps (`--purge` also removes the CRDs)\n"
        );
        let out = no_installation(&verification(1, 0, true), "istio-system", &plain);
        assert!(
            out.ends_with(
                "still present: the namespace istio-system, which `meshctl uninstall` keeps\n"
            ),
            "{out}"
        );
        let out = no_installation(&verification(0, 0, false), "istio-system", &plain);
        assert_eq!(out.lines().count(), 1, "{out}");
        // Objects of the installation there, but not meshctl's.
        let out = no_installation(&verification(20, 14, true), "istio-system", &plain);
        assert!(
            out.contains("5 of the 24 objects the profile adds to its CRDs and namespace are present, but none carries the app.kubernetes.io/managed-by=meshctl label"),
            "{out}"
        );
    }

    #[test]
    fn verify_reads_the_one_record_and_refuses_to_guess_between_several() {
        let demo = manifest::Settings::profile(Profile::Demo);
        let record = |name: &str| state::Recorded {
            object: format!("ConfigMap istio-system/{name}"),
            settings: Ok(demo.clone()),
        };
        let (s, basis) = recorded_settings(&[]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.profile, Profile::Default);
        assert!(basis.contains("no record"), "{basis}");
        let (s, basis) = recorded_settings(&[record("meshctl-installed-state")])
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s, demo);
        assert_eq!(basis, ", as installed");
        let two = [
            record("meshctl-installed-state"),
            record("meshctl-installed-state-canary"),
        ];
        assert!(matches!(recorded_settings(&two), Err(Error::Usage(_))));
        let broken = state::Recorded {
            object: "ConfigMap istio-system/meshctl-installed-state".to_string(),
            settings: Err("its istio-operator.yaml is empty".to_string()),
        };
        assert!(matches!(
            recorded_settings(&[broken]),
            Err(Error::Cluster(m)) if m.contains("is empty")
        ));
    }
}
