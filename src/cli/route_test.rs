//! `meshctl route-test`: which gateway, virtual host, VirtualService rule and destination a
//! request hits, and why; with `--tests`, a suite of such cases for CI, with route coverage.

use clap::Args;

use super::exit;
use crate::Error;
use crate::check::Severity;
use crate::config::{self, ConfigSet};
use crate::load::InputSpec;
use crate::report::{Format, Formats};
use crate::route::render::{self, Style};
use crate::route::suite::{self, SuiteOptions};
use crate::route::{Index, MeshSettings, Request, Router, Vantage};

#[derive(Debug, Args)]
#[command(
    after_help = "Objects without metadata.creationTimestamp are taken as created in the \
                        order they are read (files in order, documents in file order); that \
                        order decides \"oldest wins\" on sidecars and merge order on gateways. \
                        Set creationTimestamp to pin it.\n\n\
                        Partial input: a destination (or a sidecar caller's target) whose \
                        Service the input says nothing about (no Services of its namespace in \
                        the input; for other hosts, no ServiceEntries) is assumed to exist: the \
                        outcome is route, with a note, and \"exists\": null in JSON. The same holds for a subset when the input \
                        has no DestinationRules where Istio looks for one, and for Istio's \
                        istio-ingressgateway and istio-egressgateway Services in istio-system \
                        (default ports) unless the input has its own. --complete declares the \
                        input complete: what is not in it does not exist (no-cluster, 503). \
                        With --kube, every kind listed from the cluster is complete.\n\n\
                        Exit codes: 0 the command ran (whatever the outcome), 1 a test suite \
                        failed (or coverage is below --fail-under), 2 usage error, 3 input \
                        could not be read."
)]
pub struct RouteTestArgs {
    /// The request: scheme://host[:port]/path?query (http, https; tcp and tls for
    /// connections). Not used with --tests.
    #[arg(value_name = "URL", required_unless_present = "tests")]
    pub url: Option<String>,

    /// Istio and Kubernetes configuration: files, directories (recursively) or http(s) URLs,
    /// `-` for stdin (repeatable). With --kube, overlaid on the cluster's configuration.
    #[arg(short = 'f', long = "filename", value_name = "PATH")]
    pub files: Vec<String>,

    /// The Istio release the configuration is for: 1.28, 1.29, 1.30, 1.31 or 1.32 [default:
    /// 1.32]. Objects that release would reject are not routed.
    #[arg(long = "istio-version", value_name = "X.Y", value_parser = super::parse_release)]
    pub istio_version: Option<crate::model::releases::Release>,

    /// HTTP method.
    #[arg(
        short = 'X',
        long = "request",
        value_name = "METHOD",
        default_value = "GET"
    )]
    pub method: String,

    /// A request header, 'Name: value' (repeatable). `Host:` sets the authority.
    #[arg(short = 'H', long = "header", value_name = "HEADER")]
    pub headers: Vec<String>,

    /// TLS server name (default: the URL's host for https and tls).
    #[arg(long, value_name = "NAME")]
    pub sni: Option<String>,

    /// Evaluate at this ingress gateway workload: NAMESPACE/LABEL=VALUE[,LABEL=VALUE...]
    /// (default istio-system/istio=ingressgateway when a Gateway in the input selects it, else
    /// the first Gateway's selector in its namespace).
    #[arg(long, value_name = "WORKLOAD", conflicts_with = "from")]
    pub gateway: Option<String>,

    /// Evaluate at the sidecar of this caller workload: NAMESPACE/LABEL=VALUE[,...]. A
    /// workload (or, for --gateway, a gateway) the input does not have is a warning.
    #[arg(long, value_name = "WORKLOAD")]
    pub from: Option<String>,

    /// Print every candidate route and the full trace.
    #[arg(short = 'v', long = "explain")]
    pub explain: bool,

    /// Outbound traffic policy REGISTRY_ONLY: requests to unknown hosts are blocked (502)
    /// instead of passed through.
    #[arg(long)]
    pub registry_only: bool,

    /// Run the test cases in these files or directories (istio-config-validator files and
    /// meshctl's native form).
    #[arg(long, value_name = "PATH")]
    pub tests: Vec<String>,

    /// With --tests: fail when route coverage is below this percentage.
    #[arg(long, value_name = "PCT", requires = "tests")]
    pub fail_under: Option<f64>,

    /// Output format.
    #[arg(short = 'o', long = "output", value_parser = Formats(Format::ROUTE), default_value = "human")]
    pub output: Format,

    #[command(flatten)]
    pub scope: super::scope::InputScopeArgs,

    #[command(flatten)]
    pub cluster: super::cluster::ClusterArgs,
}

fn inputs(list: &[String]) -> Vec<InputSpec> {
    list.iter().map(|a| InputSpec::parse(a)).collect()
}

/// Reports the objects Istio would reject (they take no part in routing) on stderr.
fn report_rejected(set: &ConfigSet) {
    for d in set
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
    {
        let at = d
            .location
            .as_ref()
            .map(|l| format!("{l}: "))
            .unwrap_or_default();
        let what = d
            .resource
            .as_ref()
            .map(|r| format!("{r} is ignored: "))
            .unwrap_or_default();
        eprintln!("warning: {at}{what}{} [{}]", d.message, d.code);
    }
}

pub fn run(args: &RouteTestArgs, color: bool) -> Result<u8, Error> {
    if let Some(p) = args.fail_under
        && !(0.0..=100.0).contains(&p)
    {
        return Err(Error::Usage(format!(
            "--fail-under {p}: give a percentage between 0 and 100"
        )));
    }
    if args.output == Format::Junit && args.tests.is_empty() {
        return Err(Error::Usage(
            "-o junit needs --tests (it reports test cases)".to_string(),
        ));
    }
    let (set, mesh_registry_only) = if args.cluster.requested() {
        let (mut set, registry_only) =
            super::cluster::routing_set(&args.cluster, &inputs(&args.files))?;
        if args.cluster.namespace.is_some() && !args.cluster.all_namespaces {
            // Listed from one namespace: complete for it, not for the others (what the other
            // namespaces hold is judged like file input).
            set.complete_kinds.clear();
        }
        (set, registry_only)
    } else if args.files.is_empty() {
        return Err(Error::Usage(
            "no configuration: give -f FILE|DIR (or -), or --kube to route against the cluster"
                .to_string(),
        ));
    } else {
        let release = super::release(args.istio_version, None);
        let mut set = config::load_inputs_for(&inputs(&args.files), release)?;
        for d in set.dedupe_identities() {
            eprintln!("warning: {} [{}]", d.message, d.code);
        }
        (set, false)
    };
    let mut set = set;
    args.scope.apply(&mut set);
    report_rejected(&set);
    let ix = Index::build(&set);
    for p in &ix.problems {
        eprintln!("warning: {p}");
    }
    let given = vantage_from_args(args.gateway.as_deref(), args.from.as_deref())?;
    let vantage_warning = given.as_ref().and_then(|v| {
        let typed = args.gateway.as_deref().or(args.from.as_deref())?;
        crate::route::check_vantage(&ix, v, typed)
    });
    if let Some(w) = &vantage_warning {
        eprintln!("warning: {w}");
    }
    let vantage = given.unwrap_or_else(|| crate::route::default_vantage(&ix));
    let mesh = MeshSettings {
        registry_only: args.registry_only || mesh_registry_only,
    };
    let style = Style { color };
    if !args.tests.is_empty() {
        let opts = SuiteOptions {
            vantage,
            mesh,
            explicit_vantage: args.gateway.is_some() || args.from.is_some(),
        };
        let found = crate::load::discover(&inputs(&args.tests))?;
        let mut files = Vec::new();
        for f in &found.files {
            let (source, _) = crate::load::read(f)?;
            files.push(source);
        }
        let result = suite::run(&ix, &files, &opts);
        let text = match args.output {
            // `route-test` offers `Format::ROUTE`; others fall back to the human text.
            Format::Human | Format::Concise | Format::Sarif | Format::Github | Format::Markdown => {
                suite::human(&result, args.explain, style)
            }
            Format::Json => suite::json(&result),
            Format::Yaml => crate::report::yaml::to_yaml(&suite::report_value(&result)),
            Format::Junit => {
                crate::report::junit::write(&crate::report::junit::route_suite(&result))
            }
        };
        super::write_stdout(&text)?;
        let below = args
            .fail_under
            .is_some_and(|p| result.coverage.percent() + 1e-9 < p);
        if below && args.output == Format::Human {
            eprintln!(
                "route coverage {:.1}% is below --fail-under {}",
                result.coverage.percent(),
                args.fail_under.unwrap_or_default()
            );
        }
        return Ok(if result.failed() > 0 || result.errors() > 0 || below {
            exit::FINDINGS
        } else {
            exit::OK
        });
    }
    let Some(url) = &args.url else {
        return Err(Error::Usage("give a URL or --tests".to_string()));
    };
    let mut req = Request::parse(url).map_err(|e| Error::Usage(e.to_string()))?;
    req.method = args.method.clone();
    for h in &args.headers {
        req.add_header_line(h)
            .map_err(|e| Error::Usage(e.to_string()))?;
    }
    if let Some(sni) = &args.sni {
        req.sni = Some(sni.to_ascii_lowercase());
    }
    let mut router = Router::new(&ix, vantage, mesh);
    let mut decision = crate::route::explain(&mut router, &req);
    if let Some(w) = vantage_warning
        && args.output != Format::Human
    {
        // Machine formats carry it too (human output has it on standard error).
        decision.warnings.insert(0, w);
    }
    let text = match args.output {
        Format::Human | Format::Concise | Format::Sarif | Format::Github | Format::Markdown => {
            render::human(&decision, args.explain, style)
        }
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&decision).unwrap_or_default();
            s.push('\n');
            s
        }
        Format::Yaml | Format::Junit => {
            crate::report::yaml::to_yaml(&serde_json::to_value(&decision).unwrap_or_default())
        }
    };
    super::write_stdout(&text)?;
    Ok(exit::OK)
}

/// `--gateway` / `--from` to a vantage point (`None`: neither given).
pub fn vantage_from_args(
    gateway: Option<&str>,
    from: Option<&str>,
) -> Result<Option<Vantage>, Error> {
    if let Some(g) = gateway {
        let (namespace, labels) =
            Vantage::parse_workload(g).map_err(|e| Error::Usage(format!("--gateway {e}")))?;
        return Ok(Some(Vantage::Gateway { namespace, labels }));
    }
    if let Some(f) = from {
        let (namespace, labels) =
            Vantage::parse_caller(f).map_err(|e| Error::Usage(format!("--from {e}")))?;
        return Ok(Some(Vantage::Sidecar { namespace, labels }));
    }
    Ok(None)
}
