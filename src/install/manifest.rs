//! The objects of an Istio installation, rendered by meshctl from its own code: what
//! `meshctl manifest generate` prints and what `install` applies, component by component, in
//! install order (Istio core → Istiod → gateways).
//!
//! The shape follows what Istio's own installation consists of (istio-system, istiod with its
//! RBAC, mesh config, injection config, Deployment, Service and webhooks; gateway Deployments
//! and Services): names, ports, labels and selectors are the ones Istio's components and
//! users expect. The CRDs come from meshctl's model ([`crate::model::crd`]); the sidecar
//! injection template is meshctl's ([`super::template`]).

use serde_json::{Map, Value as Json, json};

use super::profile::{DEFAULT_VERSION, Profile};
use super::template;
use super::{k8s, operator};

/// The label every object meshctl installs carries; `uninstall` and `verify` select by it.
pub const MANAGED_BY: (&str, &str) = ("app.kubernetes.io/managed-by", "meshctl");
/// The component label, with Istio's component names (`Base`, `Pilot`, `IngressGateways`,
/// `EgressGateways`), as Istio's own installer sets it.
pub const COMPONENT_LABEL: &str = "operator.istio.io/component";

/// What to install: the profile with `--set` and `-f` applied.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub profile: Profile,
    /// Image registry and repository prefix (`docker.io/istio`).
    pub hub: String,
    /// Image tag: the Istio release.
    pub tag: String,
    /// Control-plane revision; empty for the default revision.
    pub revision: String,
    /// The control-plane namespace.
    pub namespace: String,
    /// MeshConfig fields set by the user, merged over meshctl's defaults.
    pub mesh_config: Map<String, Json>,
    pub pilot_requests: Resources,
    pub proxy_requests: Resources,
    pub ingress_requests: Resources,
    pub egress_requests: Resources,
    /// What waypoint proxies (ambient mode's `istio-waypoint` Gateways) request.
    pub waypoint_requests: Resources,
    /// The ingress gateways (`components.ingressGateways`, each enabled one by name).
    pub ingress_gateways: Vec<GatewaySpec>,
    /// The egress gateways.
    pub egress_gateways: Vec<GatewaySpec>,
    /// `components.base.enabled`: the namespace, the CRDs, the reader ServiceAccount.
    pub base: bool,
    /// `components.pilot.enabled`: istiod.
    pub pilot: bool,
    /// `components.cni.enabled`: Istio CNI.
    pub cni: bool,
    /// `components.pilot.k8s`: applied to istiod's objects as istioctl patches them.
    pub pilot_k8s: Map<String, Json>,
    /// `components.cni.k8s`.
    pub cni_k8s: Map<String, Json>,
    /// `values.pilot.env`: istiod's extra environment, over the chart's.
    pub pilot_env: Map<String, Json>,
    /// `values.pilot.traceSampling` (`PILOT_TRACE_SAMPLING`); `None`: the profile's.
    pub trace_sampling: Option<String>,
    /// `values.global.logging.level`: istiod's and the gateways' `--log_output_level`.
    pub log_level: String,
    /// `values.sidecarInjectorWebhook` and `values.global.proxy` as given: merged into the
    /// injection ConfigMap's `values`, which the injection templates read.
    pub values: Map<String, Json>,
    /// `values.revisionTags`: tags whose injection webhooks send to this revision's istiod.
    pub revision_tags: Vec<String>,
    /// What meshctl accepted and does not render, one line per field (printed to stderr).
    pub warnings: Vec<String>,
    /// `None`: istiod runs one replica (the demo profile) or scales 1–5 with an HPA.
    pub pilot_replicas: Option<u32>,
    pub autoscale: bool,
    /// The ingress gateway scales 1–5 with an HPA (and its Deployment sets no `replicas`).
    pub ingress_autoscale: bool,
    /// Likewise the egress gateway.
    pub egress_autoscale: bool,
}

/// CPU and memory as Kubernetes quantities.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resources {
    pub cpu: String,
    pub memory: String,
}

/// One gateway of `components.ingressGateways` / `egressGateways`.
#[derive(Debug, Clone, PartialEq)]
pub struct GatewaySpec {
    /// The name of its Deployment, Service, ServiceAccount, ... (`istio-ingressgateway`).
    pub name: String,
    /// Labels over the chart's (`app`, `istio`): also the pods' and the Service's selector.
    pub label: Map<String, Json>,
    /// Its `k8s` settings, applied as istioctl patches them.
    pub k8s: Map<String, Json>,
}

impl GatewaySpec {
    pub fn named(name: &str) -> GatewaySpec {
        GatewaySpec {
            name: name.to_string(),
            label: Map::new(),
            k8s: Map::new(),
        }
    }
}

impl Resources {
    fn new(cpu: &str, memory: &str) -> Resources {
        Resources {
            cpu: cpu.to_string(),
            memory: memory.to_string(),
        }
    }
}

impl Settings {
    /// A profile's settings for the default release.
    pub fn profile(profile: Profile) -> Settings {
        let demo = profile == Profile::Demo;
        let mut mesh_config = Map::new();
        if demo {
            mesh_config.insert("accessLogFile".into(), Json::from("/dev/stdout"));
            mesh_config.insert("extensionProviders".into(), demo_extension_providers());
        }
        Settings {
            profile,
            hub: "docker.io/istio".to_string(),
            tag: DEFAULT_VERSION.to_string(),
            revision: String::new(),
            namespace: "istio-system".to_string(),
            mesh_config,
            pilot_requests: if demo {
                Resources::new("10m", "100Mi")
            } else {
                Resources::new("500m", "2048Mi")
            },
            proxy_requests: if demo {
                Resources::new("10m", "40Mi")
            } else {
                Resources::new("100m", "128Mi")
            },
            ingress_requests: if demo {
                Resources::new("10m", "40Mi")
            } else {
                Resources::new("100m", "128Mi")
            },
            egress_requests: if demo {
                Resources::new("10m", "40Mi")
            } else {
                Resources::new("100m", "128Mi")
            },
            waypoint_requests: if demo {
                Resources::new("10m", "40Mi")
            } else {
                Resources::new("100m", "128Mi")
            },
            ingress_gateways: if matches!(profile, Profile::Minimal | Profile::Empty) {
                Vec::new()
            } else {
                vec![GatewaySpec::named("istio-ingressgateway")]
            },
            egress_gateways: if demo {
                vec![GatewaySpec::named("istio-egressgateway")]
            } else {
                Vec::new()
            },
            base: profile != Profile::Empty,
            pilot: profile != Profile::Empty,
            cni: false,
            pilot_k8s: Map::new(),
            cni_k8s: Map::new(),
            pilot_env: Map::new(),
            trace_sampling: None,
            log_level: "default:info".to_string(),
            values: Map::new(),
            revision_tags: Vec::new(),
            warnings: Vec::new(),
            pilot_replicas: demo.then_some(1),
            autoscale: !demo,
            ingress_autoscale: !demo,
            egress_autoscale: !demo,
        }
    }

    /// The `--set` keys meshctl understands (Istio's names for them).
    pub const KEYS: &'static [&'static str] = &[
        "profile",
        "hub",
        "tag",
        "revision",
        "meshConfig.<field>",
        "values.pilot.resources.requests.cpu|memory",
        "values.pilot.replicaCount",
        "values.pilot.autoscaleEnabled",
        "values.global.proxy.resources.requests.cpu|memory",
        "values.gateways.istio-ingressgateway.resources.requests.cpu|memory",
        "values.gateways.istio-egressgateway.resources.requests.cpu|memory",
        "values.gateways.istio-ingressgateway.autoscaleEnabled",
        "values.gateways.istio-egressgateway.autoscaleEnabled",
        "values.global.waypoint.resources.requests.cpu|memory",
        "values.pilot.traceSampling",
        "values.pilot.env.<NAME>",
        "values.global.logging.level",
        "values.global.istioNamespace",
        "values.revisionTags",
        "values.sidecarInjectorWebhook.<field>",
        "values.global.proxy.<field>",
        "components.<component>.enabled",
        "components.<component>.k8s.<field>",
        "components.ingressGateways[i].name|label",
    ];

    /// Builds the settings from `--set KEY=VALUE` pairs and IstioOperator overlay documents
    /// (`-f`), as istioctl merges them (see [`super::operator`]): the overlays in order, then the
    /// `--set` pairs, laid over the profile (the spec's `profile`, else `profile`).
    pub fn build(
        profile: Profile,
        overlays: &[Json],
        sets: &[(String, String)],
    ) -> Result<Settings, String> {
        let spec = operator::user_spec(overlays, sets)?;
        let chosen = operator::profile_of(&spec)?.unwrap_or(profile);
        let mut s = Settings::profile(chosen);
        operator::apply(&mut s, &spec)?;
        operator::check_mesh_config(&s.mesh_config)?;
        // An overlay naming an object the component does not have patches nothing (as
        // istioctl): a warning; a path that does not resolve is an error.
        let (_, problems) = render_checked(&s);
        let (missing, errors): (Vec<String>, Vec<String>) = problems
            .into_iter()
            .partition(|p| p.contains(k8s::NO_OBJECT));
        if !errors.is_empty() {
            return Err(errors.join("; "));
        }
        for m in missing {
            s.warn(format!("{m}: it patches nothing"));
        }
        Ok(s)
    }

    /// Records a setting meshctl accepted and does not render.
    pub fn warn(&mut self, w: String) {
        if !self.warnings.contains(&w) {
            self.warnings.push(w);
        }
    }

    /// Applies one setting.
    pub fn set(&mut self, key: &str, value: &Json) -> Result<(), String> {
        let text = || match value {
            Json::String(s) => Ok(s.clone()),
            Json::Number(n) => Ok(n.to_string()),
            other => Err(format!("{key}: expected a string, not {other}")),
        };
        let boolean = || {
            value
                .as_bool()
                .ok_or_else(|| format!("{key}: expected true or false, not {value}"))
        };
        match key {
            "profile" => {}
            "hub" => self.hub = text()?,
            "tag" | "version" => self.tag = text()?,
            "revision" => {
                let r = text()?;
                if !r.is_empty()
                    && !r
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                {
                    return Err(format!(
                        "revision {r:?}: use lowercase letters, digits and '-'"
                    ));
                }
                self.revision = r;
            }
            "meshConfig" => {
                let Json::Object(m) = value else {
                    return Err("meshConfig: expected a mapping of MeshConfig fields".into());
                };
                let mut merged = Json::Object(std::mem::take(&mut self.mesh_config));
                merge(&mut merged, &Json::Object(m.clone()));
                if let Json::Object(m) = merged {
                    self.mesh_config = m;
                }
            }
            k if k.starts_with("meshConfig.") => {
                let mut nested = value.clone();
                for part in k["meshConfig.".len()..].rsplit('.') {
                    if part.is_empty() {
                        return Err(format!("{key}: empty field name"));
                    }
                    let mut m = Map::new();
                    m.insert(part.to_string(), nested);
                    nested = Json::Object(m);
                }
                self.set("meshConfig", &nested)?;
            }
            "values.pilot.resources.requests.cpu" => self.pilot_requests.cpu = text()?,
            "values.pilot.resources.requests.memory" => self.pilot_requests.memory = text()?,
            "values.pilot.replicaCount" => {
                let n = value
                    .as_u64()
                    .or_else(|| value.as_str().and_then(|s| s.parse().ok()))
                    .filter(|n| *n >= 1)
                    .ok_or_else(|| format!("{key}: expected a number of at least 1"))?;
                // As Istio's chart: the count applies only with the autoscaler off.
                self.pilot_replicas = u32::try_from(n).ok();
            }
            "values.pilot.autoscaleEnabled" => self.autoscale = boolean()?,
            "values.global.proxy.resources.requests.cpu" => self.proxy_requests.cpu = text()?,
            "values.global.proxy.resources.requests.memory" => self.proxy_requests.memory = text()?,
            "values.gateways.istio-ingressgateway.resources.requests.cpu" => {
                self.ingress_requests.cpu = text()?
            }
            "values.gateways.istio-ingressgateway.resources.requests.memory" => {
                self.ingress_requests.memory = text()?
            }
            "values.gateways.istio-egressgateway.resources.requests.cpu" => {
                self.egress_requests.cpu = text()?
            }
            "values.gateways.istio-egressgateway.resources.requests.memory" => {
                self.egress_requests.memory = text()?
            }
            "values.gateways.istio-ingressgateway.autoscaleEnabled" => {
                self.ingress_autoscale = boolean()?
            }
            "values.gateways.istio-egressgateway.autoscaleEnabled" => {
                self.egress_autoscale = boolean()?
            }
            "values.global.waypoint.resources.requests.cpu" => self.waypoint_requests.cpu = text()?,
            "values.global.waypoint.resources.requests.memory" => {
                self.waypoint_requests.memory = text()?
            }
            "namespace" | "values.global.istioNamespace" => {
                let n = text()?;
                if n.is_empty()
                    || !n
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                {
                    return Err(format!(
                        "{key} {n:?}: use lowercase letters, digits and '-'"
                    ));
                }
                self.namespace = n;
            }
            "values.global.hub" => self.hub = text()?,
            "values.global.tag" => self.tag = text()?,
            "values.revision" => self.set("revision", value)?,
            "values.meshConfig" => self.set("meshConfig", value)?,
            "values.revisionTags" => {
                let tags = match value {
                    Json::Array(items) => items.clone(),
                    // `--set values.revisionTags={default,prod}` (Helm's list syntax).
                    Json::String(t) if t.starts_with('{') && t.ends_with('}') => t[1..t.len() - 1]
                        .split(',')
                        .filter(|x| !x.is_empty())
                        .map(|x| Json::from(x.trim()))
                        .collect(),
                    _ => return Err(format!("{key}: expected a list of tag names")),
                };
                let mut out = Vec::new();
                for tag in tags {
                    let Some(tag) = tag.as_str().filter(|t| {
                        !t.is_empty()
                            && t.chars()
                                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                    }) else {
                        return Err(format!(
                            "{key}: {tag} is not a tag name (lowercase letters, digits and '-')"
                        ));
                    };
                    if tag == self.revision {
                        return Err(format!("{key}: {tag} is the revision itself"));
                    }
                    if !out.iter().any(|t| t == tag) {
                        out.push(tag.to_string());
                    }
                }
                self.revision_tags = out;
            }
            "values.pilot.enabled" => self.pilot = boolean()?,
            "values.pilot.cni.enabled" => self.cni = boolean()?,
            "values.pilot.traceSampling" => {
                let t = text()?;
                if !t.parse::<f64>().is_ok_and(|v| (0.0..=100.0).contains(&v)) {
                    return Err(format!(
                        "{key}: expected a percentage from 0 to 100, not {t}"
                    ));
                }
                self.trace_sampling = Some(t);
            }
            "values.global.logging.level" => {
                let t = text()?;
                for part in t.split(',') {
                    let level = part.rsplit(':').next().unwrap_or("");
                    if !["debug", "info", "warn", "error", "fatal", "none"].contains(&level) {
                        return Err(format!(
                            "{key} {t:?}: expected scope:level pairs (default:info,ads:debug)"
                        ));
                    }
                }
                self.log_level = t;
            }
            "values.pilot.env" => {
                let Json::Object(m) = value else {
                    return Err(format!("{key}: expected a mapping of NAME: value"));
                };
                for (k, v) in m {
                    let v = match v {
                        Json::String(t) => t.clone(),
                        Json::Null => continue,
                        Json::Bool(_) | Json::Number(_) => v.to_string(),
                        _ => return Err(format!("{key}.{k}: expected a string, not {v}")),
                    };
                    self.pilot_env.insert(k.clone(), Json::from(v));
                }
            }
            k if k.starts_with("values.pilot.env.") => {
                let name = &k["values.pilot.env.".len()..];
                let mut m = Map::new();
                m.insert(name.to_string(), value.clone());
                self.set("values.pilot.env", &Json::Object(m))?;
            }
            _ => {
                return Err(format!(
                    "unknown setting {key:?}; meshctl understands: {}",
                    Settings::KEYS.join(", ")
                ));
            }
        }
        Ok(())
    }

    /// `-<revision>` for named revisions, empty for the default one.
    fn suffix(&self) -> String {
        if self.revision.is_empty() {
            String::new()
        } else {
            format!("-{}", self.revision)
        }
    }

    /// The `istio.io/rev` value.
    pub fn rev(&self) -> &str {
        if self.revision.is_empty() {
            "default"
        } else {
            &self.revision
        }
    }

    fn image(&self, name: &str) -> String {
        format!("{}/{name}:{}", self.hub, self.tag)
    }
}

/// The demo profile's tracing and access-log providers (Istio's demo profile names the same four),
/// so that a Telemetry resource naming `otel`, `skywalking`, `otel-tracing` or `jaeger` reaches a
/// collector at the address Istio's samples deploy it to.
fn demo_extension_providers() -> Json {
    json!([
        {"name": "otel", "envoyOtelAls": {
            "service": "opentelemetry-collector.observability.svc.cluster.local", "port": 4317}},
        {"name": "skywalking", "skywalking": {
            "service": "tracing.istio-system.svc.cluster.local", "port": 11800}},
        {"name": "otel-tracing", "opentelemetry": {
            "service": "opentelemetry-collector.observability.svc.cluster.local", "port": 4317}},
        {"name": "jaeger", "opentelemetry": {
            "service": "jaeger-collector.istio-system.svc.cluster.local", "port": 4317}},
    ])
}

/// One component: the unit `install` applies and then waits for.
#[derive(Debug, Clone)]
pub struct Component {
    /// Istio's component name (`Base`, `Pilot`, ...), the value of [`COMPONENT_LABEL`].
    pub key: &'static str,
    /// What users read (`Istio core`, `Istiod`, `Ingress gateways`, `Egress gateways`).
    pub title: &'static str,
    pub objects: Vec<Json>,
}

/// Every object of the installation, by component, in install order.
pub fn render(s: &Settings) -> Vec<Component> {
    render_checked(s).0
}

/// [`render`], and the `k8s.overlays` patches that found nothing to patch.
pub fn render_checked(s: &Settings) -> (Vec<Component>, Vec<String>) {
    let mut problems = Vec::new();
    let mut out = Vec::new();
    if s.base {
        out.push(Component {
            key: "Base",
            title: "Istio core",
            objects: base(s),
        });
    }
    if s.pilot {
        let mut objects = pilot(s);
        let name = format!("istiod{}", s.suffix());
        problems.extend(
            k8s::apply(&mut objects, &name, "discovery", &s.pilot_k8s, false)
                .into_iter()
                .map(|p| format!("components.pilot.k8s.{p}")),
        );
        out.push(Component {
            key: "Pilot",
            title: "Istiod",
            objects,
        });
    }
    if s.cni {
        let mut objects = super::cni::objects(s);
        problems.extend(
            k8s::apply(
                &mut objects,
                "istio-cni-node",
                "install-cni",
                &s.cni_k8s,
                false,
            )
            .into_iter()
            .map(|p| format!("components.cni.k8s.{p}")),
        );
        out.push(Component {
            key: "Cni",
            title: "Istio CNI",
            objects,
        });
    }
    for (key, title, which, specs) in [
        (
            "IngressGateways",
            "Ingress gateways",
            Gateway::Ingress,
            &s.ingress_gateways,
        ),
        (
            "EgressGateways",
            "Egress gateways",
            Gateway::Egress,
            &s.egress_gateways,
        ),
    ] {
        if specs.is_empty() {
            continue;
        }
        let mut objects = Vec::new();
        for g in specs {
            let mut o = gateway(s, which, g);
            problems.extend(
                k8s::apply(&mut o, &g.name, "istio-proxy", &g.k8s, true)
                    .into_iter()
                    .map(|p| {
                        let kind = if which == Gateway::Ingress {
                            "ingress"
                        } else {
                            "egress"
                        };
                        format!("components.{kind}Gateways[name={}].k8s.{p}", g.name)
                    }),
            );
            objects.extend(o);
        }
        out.push(Component {
            key,
            title,
            objects,
        });
    }
    for c in &mut out {
        for o in &mut c.objects {
            label(o, s, c.key);
        }
    }
    (out, problems)
}

/// Adds meshctl's and Istio's installation labels to an object.
fn label(o: &mut Json, s: &Settings, component: &str) {
    let Some(meta) = o.get_mut("metadata").and_then(Json::as_object_mut) else {
        return;
    };
    let labels = meta
        .entry("labels")
        .or_insert_with(|| Json::Object(Map::new()));
    if let Some(l) = labels.as_object_mut() {
        l.insert(MANAGED_BY.0.into(), Json::from(MANAGED_BY.1));
        l.insert(COMPONENT_LABEL.into(), Json::from(component));
        l.insert(
            "operator.istio.io/version".into(),
            Json::from(s.tag.clone()),
        );
        l.entry("istio.io/rev")
            .or_insert_with(|| Json::from(s.rev()));
    }
}

fn base(s: &Settings) -> Vec<Json> {
    let mut objects = vec![json!({
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"name": s.namespace},
    })];
    objects.extend(crate::model::crd::istio_crds());
    objects.push(json!({
        "apiVersion": "v1",
        "kind": "ServiceAccount",
        "metadata": {"name": "istio-reader-service-account", "namespace": s.namespace,
                     "labels": {"app": "istio-reader"}},
    }));
    objects
}

/// The mesh config istiod and the proxies read (`ConfigMap istio`, key `mesh`).
pub fn mesh_config(s: &Settings) -> Json {
    let mut mesh = json!({
        "trustDomain": "cluster.local",
        "rootNamespace": s.namespace,
        "defaultProviders": {"metrics": ["prometheus"]},
        "enablePrometheusMerge": true,
        "defaultConfig": {
            "discoveryAddress": format!("istiod{}.{}.svc:15012", s.suffix(), s.namespace),
        },
    });
    merge(&mut mesh, &Json::Object(s.mesh_config.clone()));
    mesh
}

/// Deep-merges `over` into `base` (objects key by key; anything else replaces).
pub fn merge(base: &mut Json, over: &Json) {
    match (base, over) {
        (Json::Object(b), Json::Object(o)) => {
            for (k, v) in o {
                match b.get_mut(k) {
                    Some(existing) if existing.is_object() && v.is_object() => merge(existing, v),
                    _ => {
                        b.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (b, o) => *b = o.clone(),
    }
}

/// The values the injection template reads (`ConfigMap istio-sidecar-injector`, key `values`),
/// in the shape istiod's injector expects.
pub fn injection_values(s: &Settings) -> Json {
    let mut values = json!({
        "global": {
            "hub": s.hub,
            "tag": s.tag,
            "istioNamespace": s.namespace,
            "imagePullPolicy": "",
            "logging": {"level": s.log_level},
            "proxy": {
                "image": "proxyv2",
                "clusterDomain": "cluster.local",
                "statusPort": 15020,
                "includeIPRanges": "*",
                "excludeIPRanges": "",
                "includeInboundPorts": "*",
                "excludeInboundPorts": "",
                "includeOutboundPorts": "",
                "excludeOutboundPorts": "",
                "logLevel": "warning",
                "holdApplicationUntilProxyStarts": false,
                "capNetBindService": false,
                "componentLogLevel": "misc:error",
                "resources": {
                    "requests": {"cpu": s.proxy_requests.cpu, "memory": s.proxy_requests.memory},
                    "limits": {"cpu": "2000m", "memory": "1024Mi"},
                },
            },
            "proxy_init": {"image": "proxyv2"},
            "network": "",
            "waypoint": {
                "resources": {
                    "requests": {"cpu": s.waypoint_requests.cpu, "memory": s.waypoint_requests.memory},
                    "limits": {"cpu": "2", "memory": "1Gi"},
                },
            },
        },
        "revision": s.revision,
        "sidecarInjectorWebhook": {"rewriteAppHTTPProbe": true},
        // The sidecar template checks the pod's traffic with `istio-validation` instead of
        // redirecting it with `istio-init` when Istio CNI does that.
        "pilot": {"cni": {"enabled": s.cni}},
    });
    merge(&mut values, &Json::Object(s.values.clone()));
    values
}

fn pilot(s: &Settings) -> Vec<Json> {
    let ns = s.namespace.as_str();
    let sfx = s.suffix();
    let istiod = format!("istiod{sfx}");
    let app = json!({"app": "istiod", "istio.io/rev": s.rev(), "app.kubernetes.io/name": "istiod"});
    let mesh = mesh_config(s);
    let mesh_yaml = crate::report::yaml::to_yaml(&mesh);
    let mut injector_config = json!({
        "defaultTemplates": ["sidecar"],
        "policy": "enabled",
        "alwaysInjectSelector": [],
        "neverInjectSelector": [],
        "injectedAnnotations": {},
        "templates": template::TEMPLATES
            .iter()
            .map(|(name, text)| (name.to_string(), Json::from(*text)))
            .collect::<Map<String, Json>>(),
    });
    // What istiod's injector reads from `values.sidecarInjectorWebhook` into its config (Istio's
    // chart copies the same keys; custom `templates` are added to meshctl's).
    if let Some(w) = s.values.get("sidecarInjectorWebhook") {
        for (from, to) in [
            ("defaultTemplates", "defaultTemplates"),
            ("alwaysInjectSelector", "alwaysInjectSelector"),
            ("neverInjectSelector", "neverInjectSelector"),
            ("injectedAnnotations", "injectedAnnotations"),
            ("templates", "templates"),
        ] {
            if let Some(v) = w.get(from).filter(|v| !v.is_null()) {
                merge(&mut injector_config[to], v);
            }
        }
    }
    let selector = if s.revision.is_empty() {
        json!({"istio": "pilot"})
    } else {
        json!({"app": "istiod", "istio.io/rev": s.rev()})
    };
    // The Service of a revision selects that revision's pods only (Istio: `istio.io/rev`);
    // the default one the pods labelled `istio: pilot`, which no named revision's pods carry.
    let pdb_selector = if s.revision.is_empty() {
        json!({"app": "istiod", "istio": "pilot"})
    } else {
        json!({"app": "istiod", "istio.io/rev": s.rev()})
    };
    let service_selector = if s.revision.is_empty() {
        json!({"app": "istiod", "istio": "pilot"})
    } else {
        json!({"app": "istiod", "istio.io/rev": s.rev()})
    };
    let pod_labels = json!({
        "app": "istiod",
        "istio": if s.revision.is_empty() { "pilot" } else { "istiod" },
        "istio.io/rev": s.rev(),
        "sidecar.istio.io/inject": "false",
        "istio.io/dataplane-mode": "none",
        "app.kubernetes.io/name": "istiod",
    });
    let mut deployment_spec = json!({
        "strategy": {"rollingUpdate": {"maxSurge": "100%", "maxUnavailable": "25%"}},
        "selector": {"matchLabels": selector},
        "template": {
            "metadata": {
                "labels": pod_labels,
                "annotations": {
                    "prometheus.io/port": "15014",
                    "prometheus.io/scrape": "true",
                    "sidecar.istio.io/inject": "false",
                },
            },
            "spec": {
                "serviceAccountName": istiod,
                "tolerations": [{"key": "cni.istio.io/not-ready", "operator": "Exists"}],
                "containers": [{
                    "name": "discovery",
                    "image": s.image("pilot"),
                    "args": ["discovery", "--monitoringAddr=:15014", format!("--log_output_level={}", s.log_level),
                             "--domain", "cluster.local", "--keepaliveMaxServerConnectionAge", "30m"],
                    "ports": [
                        {"containerPort": 8080, "protocol": "TCP", "name": "http-debug"},
                        {"containerPort": 15010, "protocol": "TCP", "name": "grpc-xds"},
                        {"containerPort": 15012, "protocol": "TCP", "name": "tls-xds"},
                        {"containerPort": 15017, "protocol": "TCP", "name": "https-webhooks"},
                        {"containerPort": 15014, "protocol": "TCP", "name": "http-monitoring"},
                    ],
                    "readinessProbe": {
                        "httpGet": {"path": "/ready", "port": 8080},
                        "initialDelaySeconds": 1, "periodSeconds": 3, "timeoutSeconds": 5,
                    },
                    "env": [
                        {"name": "REVISION", "value": s.rev()},
                        {"name": "PILOT_CERT_PROVIDER", "value": "istiod"},
                        {"name": "POD_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}}},
                        {"name": "POD_NAMESPACE", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}},
                        {"name": "SERVICE_ACCOUNT", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "spec.serviceAccountName"}}},
                        {"name": "KUBECONFIG", "value": "/var/run/secrets/remote/config"},
                        {"name": "CA_TRUSTED_NODE_ACCOUNTS", "value": format!("{ns}/ztunnel")},
                        {"name": "PILOT_TRACE_SAMPLING", "value": s.trace_sampling.clone().unwrap_or_else(|| if s.profile == Profile::Demo { "100" } else { "1" }.to_string())},
                        {"name": "PILOT_ENABLE_ANALYSIS", "value": "false"},
                        {"name": "CLUSTER_ID", "value": "Kubernetes"},
                        // The Go runtime sized to the container's limits (none by default: the
                        // node's), as Istio's chart sets them.
                        {"name": "GOMEMLIMIT", "valueFrom": {"resourceFieldRef": {"resource": "limits.memory", "divisor": "1"}}},
                        {"name": "GOMAXPROCS", "valueFrom": {"resourceFieldRef": {"resource": "limits.cpu", "divisor": "1"}}},
                        {"name": "PLATFORM", "value": ""},
                    ],
                    "resources": {"requests": {"cpu": s.pilot_requests.cpu, "memory": s.pilot_requests.memory}},
                    "securityContext": {
                        "allowPrivilegeEscalation": false,
                        "readOnlyRootFilesystem": true,
                        "runAsNonRoot": true,
                        "capabilities": {"drop": ["ALL"]},
                    },
                    "volumeMounts": [
                        {"name": "istio-token", "mountPath": "/var/run/secrets/tokens", "readOnly": true},
                        {"name": "local-certs", "mountPath": "/var/run/secrets/istio-dns"},
                        {"name": "cacerts", "mountPath": "/etc/cacerts", "readOnly": true},
                        {"name": "istio-kubeconfig", "mountPath": "/var/run/secrets/remote", "readOnly": true},
                        {"name": "istio-csr-dns-cert", "mountPath": "/var/run/secrets/istiod/tls", "readOnly": true},
                        {"name": "istio-csr-ca-configmap", "mountPath": "/var/run/secrets/istiod/ca", "readOnly": true},
                    ],
                }],
                "volumes": [
                    {"name": "local-certs", "emptyDir": {"medium": "Memory"}},
                    {"name": "istio-token", "projected": {"sources": [{"serviceAccountToken": {
                        "audience": "istio-ca", "expirationSeconds": 43200, "path": "istio-token"}}]}},
                    {"name": "cacerts", "secret": {"secretName": "cacerts", "optional": true}},
                    {"name": "istio-kubeconfig", "secret": {"secretName": "istio-kubeconfig", "optional": true}},
                    {"name": "istio-csr-dns-cert", "secret": {"secretName": "istiod-tls", "optional": true}},
                    {"name": "istio-csr-ca-configmap", "configMap": {"name": "istio-ca-root-cert", "defaultMode": 420, "optional": true}},
                ],
            },
        },
    });
    if let Some(env) = deployment_spec
        .pointer_mut("/template/spec/containers/0/env")
        .and_then(Json::as_array_mut)
    {
        for (name, value) in &s.pilot_env {
            let var = json!({"name": name, "value": value});
            match env.iter_mut().find(|e| e["name"] == name.as_str()) {
                Some(e) => *e = var,
                None => env.push(var),
            }
        }
    }
    // Istio's chart: a fixed count (`replicaCount`, default 1) only without the autoscaler;
    // with it, the HPA scales and `replicaCount` is ignored.
    if let (false, Some(spec)) = (s.autoscale, deployment_spec.as_object_mut()) {
        spec.insert("replicas".into(), Json::from(s.pilot_replicas.unwrap_or(1)));
    }
    let cluster_role = format!("istiod-clusterrole{sfx}-{ns}");
    // What remote secrets (`istioctl create-remote-secret`) and multicluster istiods read this
    // cluster with: the service account of Base, bound to a read-only role per revision.
    let reader_role = format!("istio-reader-clusterrole{sfx}-{ns}");
    let reader = json!({"app": "istio-reader", "app.kubernetes.io/name": "istio-reader"});
    let gateway_role = format!("istiod-gateway-controller{sfx}-{ns}");
    let service_ports = json!([
        {"port": 15010, "name": "grpc-xds", "protocol": "TCP"},
        {"port": 15012, "name": "https-dns", "protocol": "TCP"},
        {"port": 443, "name": "https-webhook", "targetPort": 15017, "protocol": "TCP"},
        {"port": 15014, "name": "http-monitoring", "protocol": "TCP"},
    ]);
    let mut objects = vec![
        json!({"apiVersion": "v1", "kind": "ServiceAccount",
               "metadata": {"name": istiod, "namespace": ns, "labels": app}}),
        json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
               "metadata": {"name": cluster_role, "labels": app}, "rules": istiod_rules()}),
        json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
        "metadata": {"name": gateway_role, "labels": app}, "rules": [
            rule(&["apps"], &["deployments"], ALL),
            rule(&["autoscaling"], &["horizontalpodautoscalers"], ALL),
            rule(&["policy"], &["poddisruptionbudgets"], ALL),
            rule(&[""], &["services", "serviceaccounts"], ALL),
        ]}),
        binding("ClusterRoleBinding", &cluster_role, &istiod, ns, &app, None),
        binding("ClusterRoleBinding", &gateway_role, &istiod, ns, &app, None),
        json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
               "metadata": {"name": reader_role, "labels": reader}, "rules": reader_rules()}),
        binding(
            "ClusterRoleBinding",
            &reader_role,
            "istio-reader-service-account",
            ns,
            &reader,
            None,
        ),
        json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
        "metadata": {"name": istiod, "namespace": ns, "labels": app}, "rules": [
            rule(&["networking.istio.io"], &["gateways"], &["create"]),
            rule(&[""], &["secrets"], &["create", "get", "watch", "list", "update", "delete"]),
            rule(&[""], &["configmaps"], &["delete"]),
            rule(&["coordination.k8s.io"], &["leases"], &["get", "update", "patch", "create"]),
        ]}),
        binding("RoleBinding", &istiod, &istiod, ns, &app, Some(ns)),
        json!({"apiVersion": "v1", "kind": "ConfigMap",
               "metadata": {"name": format!("istio{sfx}"), "namespace": ns, "labels": app},
               "data": {"mesh": mesh_yaml, "meshNetworks": "networks: {}\n"}}),
        json!({"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": format!("istio-sidecar-injector{sfx}"), "namespace": ns, "labels": app},
        "data": {
            "values": serde_json::to_string_pretty(&injection_values(s)).unwrap_or_default(),
            "config": crate::report::yaml::to_yaml(&injector_config),
        }}),
        json!({"apiVersion": "apps/v1", "kind": "Deployment",
               "metadata": {"name": istiod, "namespace": ns,
                            "labels": {"app": "istiod", "istio": "pilot", "istio.io/rev": s.rev(),
                                       "app.kubernetes.io/name": "istiod"}},
               "spec": deployment_spec}),
        json!({"apiVersion": "v1", "kind": "Service",
               "metadata": {"name": istiod, "namespace": ns,
                            "labels": {"app": "istiod", "istio": "pilot", "istio.io/rev": s.rev(),
                                       "app.kubernetes.io/name": "istiod"}},
               "spec": {"ports": service_ports, "selector": service_selector}}),
        injector_webhooks(s, &istiod),
        json!({"apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingWebhookConfiguration",
        "metadata": {"name": format!("istio-validator{sfx}-{ns}"),
                     "labels": {"app": "istiod", "istio": "istiod", "istio.io/rev": s.rev()}},
        "webhooks": [{
            "name": "rev.validation.istio.io",
            "clientConfig": {"service": {"name": istiod, "namespace": ns, "path": "/validate"}},
            "rules": [{
                "operations": ["CREATE", "UPDATE"],
                "apiGroups": ["security.istio.io", "networking.istio.io", "telemetry.istio.io", "extensions.istio.io"],
                "apiVersions": ["*"],
                "resources": ["*"],
            }],
            "failurePolicy": "Ignore",
            "sideEffects": "None",
            "admissionReviewVersions": ["v1"],
            "objectSelector": {"matchExpressions": [{
                "key": "istio.io/rev", "operator": "In", "values": [s.rev()]}]},
        }]}),
    ];
    for tag in &s.revision_tags {
        objects.push(revision_tag_webhooks(s, &istiod, tag));
        objects.push(json!({"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": format!("istiod-revision-tag-{tag}"), "namespace": ns,
                         "labels": {"app": "istiod", "istio": "pilot", "istio.io/rev": s.rev(),
                                    "istio.io/tag": tag, "app.kubernetes.io/name": "istiod"}},
            "spec": {"ports": service_ports.clone(), "selector": service_selector.clone()}}));
    }
    if s.autoscale {
        objects.push(cpu_autoscaler(&istiod, ns, &app));
    }
    // Istio's chart: a PodDisruptionBudget keeps one istiod up during node drains once istiod
    // runs more than one replica for certain (a fixed count above 1; the HPA here starts at 1).
    if !s.autoscale && s.pilot_replicas.unwrap_or(1) > 1 {
        let mut labels = app.clone();
        labels["istio"] = json!("pilot");
        objects.push(json!({
            "apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
            "metadata": {"name": istiod, "namespace": ns, "labels": labels},
            "spec": {"minAvailable": 1, "selector": {"matchLabels": pdb_selector}},
        }));
    }
    objects
}

const ALL: &[&str] = &[
    "get", "watch", "list", "update", "patch", "create", "delete",
];
const READ: &[&str] = &["get", "list", "watch"];

fn rule(groups: &[&str], resources: &[&str], verbs: &[&str]) -> Json {
    json!({"apiGroups": groups, "resources": resources, "verbs": verbs})
}

/// What istiod reads and writes cluster-wide.
fn istiod_rules() -> Json {
    let istio_groups = [
        "config.istio.io",
        "security.istio.io",
        "networking.istio.io",
        "authentication.istio.io",
        "rbac.istio.io",
        "telemetry.istio.io",
        "extensions.istio.io",
    ];
    json!([
        rule(
            &["admissionregistration.k8s.io"],
            &["mutatingwebhookconfigurations"],
            &["get", "list", "watch", "update", "patch"]
        ),
        rule(
            &["admissionregistration.k8s.io"],
            &["validatingwebhookconfigurations"],
            &["get", "list", "watch", "update"]
        ),
        rule(&istio_groups, &["*"], &["get", "watch", "list"]),
        rule(&["networking.istio.io"], &["workloadentries"], ALL),
        rule(
            &["networking.istio.io"],
            &["workloadentries/status", "serviceentries/status"],
            ALL
        ),
        rule(
            &["security.istio.io"],
            &["authorizationpolicies/status"],
            ALL
        ),
        rule(&[""], &["services/status"], ALL),
        rule(
            &["apiextensions.k8s.io"],
            &["customresourcedefinitions"],
            READ
        ),
        rule(
            &[""],
            &["pods", "nodes", "services", "namespaces", "endpoints"],
            READ
        ),
        rule(&["discovery.k8s.io"], &["endpointslices"], READ),
        rule(
            &["networking.k8s.io"],
            &["ingresses", "ingressclasses"],
            READ
        ),
        rule(&["networking.k8s.io"], &["ingresses/status"], &["*"]),
        rule(
            &[""],
            &["configmaps"],
            &["create", "get", "list", "watch", "update"]
        ),
        rule(&["authentication.k8s.io"], &["tokenreviews"], &["create"]),
        rule(
            &["authorization.k8s.io"],
            &["subjectaccessreviews"],
            &["create"]
        ),
        rule(
            &["gateway.networking.k8s.io", "gateway.networking.x-k8s.io"],
            &["*"],
            READ
        ),
        rule(
            &["gateway.networking.k8s.io"],
            &[
                "backendtlspolicies/status",
                "gatewayclasses/status",
                "gateways/status",
                "grpcroutes/status",
                "httproutes/status",
                "referencegrants/status",
                "tcproutes/status",
                "tlsroutes/status",
                "udproutes/status"
            ],
            &["update", "patch"]
        ),
        rule(
            &["gateway.networking.x-k8s.io"],
            &["xbackendtrafficpolicies/status", "xlistenersets/status"],
            &["update", "patch"]
        ),
        rule(
            &["gateway.networking.k8s.io"],
            &["gatewayclasses"],
            &["create", "update", "patch", "delete"]
        ),
        rule(&["inference.networking.k8s.io"], &["inferencepools"], READ),
        rule(
            &["inference.networking.k8s.io"],
            &["inferencepools/status"],
            &["update", "patch"]
        ),
        rule(&[""], &["secrets"], READ),
        rule(
            &["multicluster.x-k8s.io"],
            &["serviceexports"],
            &["get", "watch", "list", "create", "delete"]
        ),
        rule(&["multicluster.x-k8s.io"], &["serviceimports"], READ),
    ])
}

/// What the `istio-reader` service account may read (and the service exports it may manage).
fn reader_rules() -> Json {
    json!([
        rule(
            &[
                "config.istio.io",
                "security.istio.io",
                "networking.istio.io",
                "authentication.istio.io",
                "rbac.istio.io",
                "telemetry.istio.io",
                "extensions.istio.io"
            ],
            &["*"],
            READ
        ),
        rule(
            &[""],
            &[
                "endpoints",
                "pods",
                "services",
                "nodes",
                "replicationcontrollers",
                "namespaces",
                "secrets"
            ],
            READ
        ),
        rule(&["networking.istio.io"], &["workloadentries"], READ),
        rule(
            &["networking.x-k8s.io", "gateway.networking.k8s.io"],
            &["gateways"],
            READ
        ),
        rule(
            &["apiextensions.k8s.io"],
            &["customresourcedefinitions"],
            READ
        ),
        rule(&["discovery.k8s.io"], &["endpointslices"], READ),
        rule(
            &["multicluster.x-k8s.io"],
            &["serviceexports"],
            &["get", "list", "watch", "create", "delete"]
        ),
        rule(&["multicluster.x-k8s.io"], &["serviceimports"], READ),
        rule(&["apps"], &["replicasets"], READ),
        rule(&["authentication.k8s.io"], &["tokenreviews"], &["create"]),
        rule(
            &["authorization.k8s.io"],
            &["subjectaccessreviews"],
            &["create"]
        ),
    ])
}

fn binding(kind: &str, role: &str, sa: &str, ns: &str, labels: &Json, in_ns: Option<&str>) -> Json {
    let role_kind = if kind == "RoleBinding" {
        "Role"
    } else {
        "ClusterRole"
    };
    let mut meta = json!({"name": role, "labels": labels});
    if let (Some(n), Some(m)) = (in_ns, meta.as_object_mut()) {
        m.insert("namespace".into(), Json::from(n));
    }
    json!({
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": kind,
        "metadata": meta,
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": role_kind, "name": role},
        "subjects": [{"kind": "ServiceAccount", "name": sa, "namespace": ns}],
    })
}

/// The injection webhooks: by namespace or pod label, for the revision and (for the default
/// revision) the classic `istio-injection=enabled` / `sidecar.istio.io/inject=true` labels. A pod
/// labelled `sidecar.istio.io/inject=false` is never sent.
fn injector_webhooks(s: &Settings, service: &str) -> Json {
    let rev = s.rev();
    json!({
        "apiVersion": "admissionregistration.k8s.io/v1",
        "kind": "MutatingWebhookConfiguration",
        "metadata": {"name": format!("istio-sidecar-injector{}", s.suffix()),
                     "labels": {"app": "sidecar-injector", "istio.io/rev": rev}},
        "webhooks": injector_hooks(s, service, rev, s.revision.is_empty()),
    })
}

/// A revision tag's injection webhooks (`istio-revision-tag-TAG`, as Istio's chart renders them
/// for each of `values.revisionTags`): namespaces and pods labelled `istio.io/rev=TAG` are
/// injected by this installation's istiod; the tag `default` also takes the classic
/// `istio-injection=enabled` / `sidecar.istio.io/inject=true` labels.
fn revision_tag_webhooks(s: &Settings, service: &str, tag: &str) -> Json {
    let name = if s.namespace == "istio-system" {
        format!("istio-revision-tag-{tag}")
    } else {
        format!("istio-revision-tag-{tag}-{}", s.namespace)
    };
    json!({
        "apiVersion": "admissionregistration.k8s.io/v1",
        "kind": "MutatingWebhookConfiguration",
        "metadata": {"name": name,
                     "labels": {"app": "sidecar-injector", "istio.io/rev": s.rev(),
                                "istio.io/tag": tag, "app.kubernetes.io/name": "istiod"}},
        "webhooks": injector_hooks(s, service, tag, tag == "default"),
    })
}

/// The four (or two) injection webhooks selecting `rev` (a revision or a tag); `classic` adds the
/// `istio-injection=enabled` / `sidecar.istio.io/inject=true` ones.
fn injector_hooks(s: &Settings, service: &str, rev: &str, classic: bool) -> Json {
    let hook = |prefix: &str, namespace_selector: Json, object_selector: Json| {
        json!({
            "name": format!("{prefix}sidecar-injector.istio.io"),
            "clientConfig": {"service": {"name": service, "namespace": s.namespace,
                                         "path": "/inject", "port": 443}},
            "sideEffects": "None",
            "rules": [{"operations": ["CREATE"], "apiGroups": [""], "apiVersions": ["v1"],
                       "resources": ["pods"]}],
            "failurePolicy": "Fail",
            "reinvocationPolicy": "Never",
            "admissionReviewVersions": ["v1"],
            "namespaceSelector": namespace_selector,
            "objectSelector": object_selector,
        })
    };
    let expr = |key: &str, op: &str, values: &[&str]| {
        if values.is_empty() {
            json!({"key": key, "operator": op})
        } else {
            json!({"key": key, "operator": op, "values": values})
        }
    };
    let not_disabled = expr("sidecar.istio.io/inject", "NotIn", &["false"]);
    let mut hooks = vec![
        hook(
            "rev.namespace.",
            json!({"matchExpressions": [expr("istio.io/rev", "In", &[rev]),
                                        expr("istio-injection", "DoesNotExist", &[])]}),
            json!({"matchExpressions": [not_disabled.clone()]}),
        ),
        hook(
            "rev.object.",
            json!({"matchExpressions": [expr("istio.io/rev", "DoesNotExist", &[]),
                                        expr("istio-injection", "DoesNotExist", &[])]}),
            json!({"matchExpressions": [not_disabled.clone(), expr("istio.io/rev", "In", &[rev])]}),
        ),
    ];
    if classic {
        hooks.push(hook(
            "namespace.",
            json!({"matchExpressions": [expr("istio-injection", "In", &["enabled"])]}),
            json!({"matchExpressions": [not_disabled]}),
        ));
        hooks.push(hook(
            "object.",
            json!({"matchExpressions": [expr("istio-injection", "DoesNotExist", &[]),
                                        expr("istio.io/rev", "DoesNotExist", &[])]}),
            json!({"matchExpressions": [expr("sidecar.istio.io/inject", "In", &["true"]),
                                        expr("istio.io/rev", "DoesNotExist", &[])]}),
        ));
    }
    Json::Array(hooks)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gateway {
    Ingress,
    Egress,
}

fn gateway(s: &Settings, which: Gateway, g: &GatewaySpec) -> Vec<Json> {
    let ns = s.namespace.as_str();
    let (requests, autoscale) = match which {
        Gateway::Ingress => (&s.ingress_requests, s.ingress_autoscale),
        Gateway::Egress => (&s.egress_requests, s.egress_autoscale),
    };
    let (default_name, istio, mut ports) = match which {
        Gateway::Ingress => {
            let mut ports = vec![
                json!({"name": "status-port", "port": 15021, "protocol": "TCP", "targetPort": 15021}),
                json!({"name": "http2", "port": 80, "protocol": "TCP", "targetPort": 8080}),
                json!({"name": "https", "port": 443, "protocol": "TCP", "targetPort": 8443}),
            ];
            if s.profile == Profile::Demo {
                ports.push(
                    json!({"name": "tcp", "port": 31400, "protocol": "TCP", "targetPort": 31400}),
                );
                ports.push(
                    json!({"name": "tls", "port": 15443, "protocol": "TCP", "targetPort": 15443}),
                );
            }
            ("istio-ingressgateway", "ingressgateway", ports)
        }
        Gateway::Egress => (
            "istio-egressgateway",
            "egressgateway",
            vec![
                json!({"name": "http2", "port": 80, "protocol": "TCP", "targetPort": 8080}),
                json!({"name": "https", "port": 443, "protocol": "TCP", "targetPort": 8443}),
            ],
        ),
    };
    // `k8s.service.ports` replace the chart's (istioctl hands them to the chart, which also
    // opens each target port on the container).
    if let Some(Json::Array(user)) = g.k8s.get("service").and_then(|v| v.get("ports")) {
        ports = user
            .iter()
            .map(|p| {
                let mut p = p.clone();
                if let Some(m) = p.as_object_mut() {
                    m.entry("protocol").or_insert_with(|| Json::from("TCP"));
                    if let Some(port) = m.get("port").cloned() {
                        m.entry("targetPort").or_insert(port);
                    }
                }
                p
            })
            .collect();
    }
    let name = g.name.as_str();
    let mut labels = json!({"app": default_name, "istio": istio});
    merge(&mut labels, &Json::Object(g.label.clone()));
    let sa = format!("{name}-service-account");
    // Gateways are never captured by ambient mode (Istio labels their Deployment and pods so).
    let mut deployment_labels = labels.clone();
    deployment_labels["istio.io/dataplane-mode"] = json!("none");
    // The legacy file-mounted TLS credentials: optional Secrets mounted when they exist.
    let short = name.trim_start_matches("istio-");
    let certs = format!("{short}-certs");
    let ca_certs = format!("{short}-ca-certs");
    let canonical_revision = if s.revision.is_empty() {
        "latest"
    } else {
        s.revision.as_str()
    };
    let container_ports: Vec<Json> = ports
        .iter()
        .filter_map(|p| p.get("targetPort").cloned())
        .map(|port| json!({"containerPort": port, "protocol": "TCP"}))
        .chain(std::iter::once(
            json!({"containerPort": 15090, "protocol": "TCP", "name": "http-envoy-prom"}),
        ))
        .collect();
    let env = |n: &str, path: &str| json!({"name": n, "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": path}}});
    let mut pod_labels = labels.clone();
    merge(
        &mut pod_labels,
        &json!({"istio.io/rev": s.rev(), "sidecar.istio.io/inject": "false",
                "istio.io/dataplane-mode": "none",
                "service.istio.io/canonical-name": name,
                "service.istio.io/canonical-revision": canonical_revision}),
    );
    let deployment = json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": name, "namespace": ns, "labels": deployment_labels},
        // No `replicas`, as Istio's gateway charts: Kubernetes starts one, the HPA (if any) scales.
        "spec": {
            "selector": {"matchLabels": labels},
            "strategy": {"rollingUpdate": {"maxSurge": "100%", "maxUnavailable": "25%"}},
            "template": {
                "metadata": {
                    "labels": pod_labels,
                    "annotations": {"prometheus.io/port": "15020", "prometheus.io/scrape": "true",
                                    "prometheus.io/path": "/stats/prometheus",
                                    "sidecar.istio.io/inject": "false",
                                    "istio.io/rev": s.rev()},
                },
                "spec": {
                    "serviceAccountName": sa,
                    "securityContext": {"runAsUser": 1337, "runAsGroup": 1337, "runAsNonRoot": true},
                    "containers": [{
                        "name": "istio-proxy",
                        "image": s.image("proxyv2"),
                        "args": ["proxy", "router", "--domain", "$(POD_NAMESPACE).svc.cluster.local",
                                 "--proxyLogLevel=warning", "--proxyComponentLogLevel=misc:error",
                                 format!("--log_output_level={}", s.log_level)],
                        "ports": container_ports,
                        "readinessProbe": {"httpGet": {"path": "/healthz/ready", "port": 15021, "scheme": "HTTP"},
                                           "initialDelaySeconds": 1, "periodSeconds": 2, "timeoutSeconds": 1,
                                           "successThreshold": 1, "failureThreshold": 30},
                        "resources": {"requests": {"cpu": requests.cpu, "memory": requests.memory},
                                      "limits": {"cpu": "2000m", "memory": "1024Mi"}},
                        "securityContext": {"allowPrivilegeEscalation": false, "privileged": false,
                                            "readOnlyRootFilesystem": true, "capabilities": {"drop": ["ALL"]}},
                        "env": [
                            {"name": "PILOT_CERT_PROVIDER", "value": "istiod"},
                            {"name": "CA_ADDR", "value": format!("istiod{}.{ns}.svc:15012", s.suffix())},
                            env("NODE_NAME", "spec.nodeName"),
                            env("POD_NAME", "metadata.name"),
                            env("POD_NAMESPACE", "metadata.namespace"),
                            env("INSTANCE_IP", "status.podIP"),
                            env("HOST_IP", "status.hostIP"),
                            {"name": "ISTIO_CPU_LIMIT", "valueFrom": {"resourceFieldRef": {"resource": "limits.cpu"}}},
                            env("SERVICE_ACCOUNT", "spec.serviceAccountName"),
                            {"name": "ISTIO_META_WORKLOAD_NAME", "value": name},
                            {"name": "ISTIO_META_OWNER", "value": format!("kubernetes://apis/apps/v1/namespaces/{ns}/deployments/{name}")},
                            {"name": "ISTIO_META_MESH_ID", "value": "cluster.local"},
                            {"name": "TRUST_DOMAIN", "value": "cluster.local"},
                            {"name": "ISTIO_META_UNPRIVILEGED_POD", "value": "true"},
                            {"name": "ISTIO_META_CLUSTER_ID", "value": "Kubernetes"},
                            {"name": "ISTIO_META_NODE_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "spec.nodeName"}}},
                        ],
                        "volumeMounts": [
                            {"name": "workload-socket", "mountPath": "/var/run/secrets/workload-spiffe-uds"},
                            {"name": "credential-socket", "mountPath": "/var/run/secrets/credential-uds"},
                            {"name": "workload-certs", "mountPath": "/var/run/secrets/workload-spiffe-credentials"},
                            {"name": "istio-envoy", "mountPath": "/etc/istio/proxy"},
                            {"name": "config-volume", "mountPath": "/etc/istio/config"},
                            {"name": "istiod-ca-cert", "mountPath": "/var/run/secrets/istio"},
                            {"name": "istio-token", "mountPath": "/var/run/secrets/tokens", "readOnly": true},
                            {"name": "istio-data", "mountPath": "/var/lib/istio/data"},
                            {"name": "podinfo", "mountPath": "/etc/istio/pod"},
                            {"name": certs, "mountPath": format!("/etc/istio/{certs}"), "readOnly": true},
                            {"name": ca_certs, "mountPath": format!("/etc/istio/{ca_certs}"), "readOnly": true},
                        ],
                    }],
                    "volumes": [
                        {"name": "workload-socket", "emptyDir": {}},
                        {"name": "credential-socket", "emptyDir": {}},
                        {"name": "workload-certs", "emptyDir": {}},
                        {"name": "istiod-ca-cert", "configMap": {"name": "istio-ca-root-cert"}},
                        {"name": "podinfo", "downwardAPI": {"items": [
                            {"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}},
                            {"path": "annotations", "fieldRef": {"fieldPath": "metadata.annotations"}},
                        ]}},
                        {"name": "istio-envoy", "emptyDir": {}},
                        {"name": "istio-data", "emptyDir": {}},
                        {"name": "istio-token", "projected": {"sources": [{"serviceAccountToken": {
                            "audience": "istio-ca", "expirationSeconds": 43200, "path": "istio-token"}}]}},
                        {"name": "config-volume", "configMap": {"name": format!("istio{}", s.suffix()), "optional": true}},
                        {"name": certs, "secret": {"secretName": format!("istio-{certs}"), "optional": true}},
                        {"name": ca_certs, "secret": {"secretName": format!("istio-{ca_certs}"), "optional": true}},
                    ],
                },
            },
        },
    });
    let service_type = if which == Gateway::Ingress {
        "LoadBalancer"
    } else {
        "ClusterIP"
    };
    let sds = format!("{name}-sds");
    let mut objects = vec![
        json!({"apiVersion": "v1", "kind": "ServiceAccount",
               "metadata": {"name": sa, "namespace": ns, "labels": labels}}),
        json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
               "metadata": {"name": sds, "namespace": ns, "labels": labels},
               "rules": [rule(&[""], &["secrets"], &["get", "watch", "list"])]}),
        binding("RoleBinding", &sds, &sa, ns, &labels, Some(ns)),
        deployment,
        json!({"apiVersion": "v1", "kind": "Service",
               "metadata": {"name": name, "namespace": ns, "labels": labels},
               "spec": {"type": service_type, "selector": labels, "ports": ports}}),
    ];
    if autoscale {
        objects.push(cpu_autoscaler(name, ns, &labels));
    }
    objects
}

/// The HorizontalPodAutoscaler Istio's charts give istiod and the gateways: 1 to 5 replicas of
/// the Deployment `name`, at 80 % CPU.
fn cpu_autoscaler(name: &str, ns: &str, labels: &serde_json::Value) -> serde_json::Value {
    json!({
        "apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": name, "namespace": ns, "labels": labels},
        "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": name},
            "minReplicas": 1, "maxReplicas": 5,
            "metrics": [{"type": "Resource", "resource": {"name": "cpu",
                         "target": {"type": "Utilization", "averageUtilization": 80}}}],
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(c: &Component) -> Vec<String> {
        c.objects
            .iter()
            .map(|o| {
                format!(
                    "{}/{}",
                    o["kind"].as_str().unwrap_or(""),
                    o["metadata"]["name"].as_str().unwrap_or("")
                )
            })
            .collect()
    }

    #[test]
    fn profiles_render_their_components() {
        let keys = |p| {
            render(&Settings::profile(p))
                .iter()
                .map(|c| c.key)
                .collect::<Vec<_>>()
        };
        assert_eq!(keys(Profile::Minimal), ["Base", "Pilot"]);
        assert_eq!(keys(Profile::Default), ["Base", "Pilot", "IngressGateways"]);
        assert_eq!(
            keys(Profile::Demo),
            ["Base", "Pilot", "IngressGateways", "EgressGateways"]
        );
        let demo = render(&Settings::profile(Profile::Demo));
        let pilot = kinds(&demo[1]);
        assert!(
            pilot.contains(&"Deployment/istiod".to_string()),
            "{pilot:?}"
        );
        assert!(pilot.contains(&"ConfigMap/istio-sidecar-injector".to_string()));
        // The demo profile runs one istiod without autoscaling.
        assert!(
            !pilot
                .iter()
                .any(|k| k.starts_with("HorizontalPodAutoscaler"))
        );
        let every = demo.iter().flat_map(|c| c.objects.iter());
        for o in every {
            assert_eq!(o["metadata"]["labels"][MANAGED_BY.0], MANAGED_BY.1, "{o}");
        }
    }

    #[test]
    fn each_revision_service_selects_only_its_own_istiod_pods() {
        // (Service selector, pod template labels) of istiod for a revision.
        let istiod = |revision: &str| {
            let mut s = Settings::profile(Profile::Minimal);
            s.revision = revision.to_string();
            let objects: Vec<Json> = render(&s).into_iter().flat_map(|c| c.objects).collect();
            let find = |kind: &str| {
                objects
                    .iter()
                    .find(|o| {
                        o["kind"] == kind
                            && o["metadata"]["name"]
                                .as_str()
                                .is_some_and(|n| n.starts_with("istiod"))
                    })
                    .cloned()
                    .unwrap_or_default()
            };
            let selector = find("Service")["spec"]["selector"].clone();
            let labels = find("Deployment")["spec"]["template"]["metadata"]["labels"].clone();
            (selector, labels)
        };
        let selects = |selector: &Json, labels: &Json| {
            selector
                .as_object()
                .is_some_and(|m| !m.is_empty() && m.iter().all(|(k, v)| &labels[k] == v))
        };
        let (default_sel, default_pods) = istiod("");
        let (canary_sel, canary_pods) = istiod("canary");
        let (blue_sel, blue_pods) = istiod("blue");
        assert!(selects(&default_sel, &default_pods), "{default_sel}");
        assert!(selects(&canary_sel, &canary_pods), "{canary_sel}");
        assert!(!selects(&default_sel, &canary_pods), "{default_sel}");
        assert!(!selects(&canary_sel, &default_pods), "{canary_sel}");
        assert!(!selects(&canary_sel, &blue_pods), "{canary_sel}");
        assert!(!selects(&blue_sel, &canary_pods), "{blue_sel}");
    }

    #[test]
    fn settings_from_set_and_overlays() {
        let sets = |pairs: &[(&str, &str)]| {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<Vec<_>>()
        };
        let s = Settings::build(
            Profile::Default,
            &[],
            &sets(&[
                ("profile", "demo"),
                ("hub", "registry.example.com/istio"),
                ("meshConfig.accessLogFile", ""),
                (
                    "meshConfig.defaultConfig.holdApplicationUntilProxyStarts",
                    "true",
                ),
                ("components.egressGateways[0].enabled", "false"),
                ("values.pilot.replicaCount", "2"),
            ]),
        );
        let Ok(s) = s else { panic!("{s:?}") };
        assert_eq!(s.profile, Profile::Demo);
        assert_eq!(s.ingress_gateways.len(), 1);
        assert!(s.egress_gateways.is_empty());
        assert_eq!(s.pilot_replicas, Some(2));
        assert_eq!(s.mesh_config["accessLogFile"], "");
        assert_eq!(
            s.mesh_config["defaultConfig"]["holdApplicationUntilProxyStarts"],
            true
        );
        let image = &render(&s)[1]
            .objects
            .iter()
            .find(|o| o["kind"] == "Deployment")
            .cloned();
        assert_eq!(
            image
                .as_ref()
                .map(|d| d["spec"]["template"]["spec"]["containers"][0]["image"].clone()),
            Some(json!("registry.example.com/istio/pilot:1.28.3"))
        );
        let overlay = json!({"apiVersion": "install.istio.io/v1alpha1", "kind": "IstioOperator",
            "spec": {"profile": "minimal", "meshConfig": {"accessLogFile": "/dev/stdout"},
                     "values": {"pilot": {"resources": {"requests": {"cpu": "1"}}}}}});
        let s = Settings::build(Profile::Default, &[overlay], &[]);
        let Ok(s) = s else { panic!("{s:?}") };
        assert_eq!(
            (s.profile, s.pilot_requests.cpu.as_str()),
            (Profile::Minimal, "1")
        );
        assert_eq!(s.mesh_config["accessLogFile"], "/dev/stdout");
        // istioctl hands unknown values to its charts: a warning naming the key.
        let odd = Settings::build(Profile::Default, &[], &sets(&[("values.nope", "1")]));
        assert!(odd.is_ok_and(|s| s.warnings.iter().any(|w| w.contains("values.nope"))));
        // An unknown field of the IstioOperator API is refused, as istioctl refuses it.
        let bad = Settings::build(Profile::Default, &[], &sets(&[("nope", "1")]));
        assert!(bad.is_err_and(|e| e.contains("unknown field spec.nope")));
        let bad = Settings::build(
            Profile::Default,
            &[],
            &sets(&[("components.pilot.k8s.nope", "1")]),
        );
        assert!(bad.is_err_and(|e| e.contains("components.pilot.k8s.nope")));
    }

    fn objects(s: &Settings) -> Vec<Json> {
        render(s).into_iter().flat_map(|c| c.objects).collect()
    }

    fn find<'a>(objects: &'a [Json], kind: &str, name: &str) -> Option<&'a Json> {
        objects
            .iter()
            .find(|o| o["kind"] == kind && o["metadata"]["name"] == name)
    }

    /// (group, resource, verb) triples a list of RBAC rules grants.
    fn grants(rules: &Json) -> Vec<(String, String, String)> {
        let strings = |v: &Json| -> Vec<String> {
            v.as_array()
                .into_iter()
                .flatten()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        };
        let mut out = Vec::new();
        for r in rules.as_array().into_iter().flatten() {
            for g in strings(&r["apiGroups"]) {
                for res in strings(&r["resources"]) {
                    for v in strings(&r["verbs"]) {
                        out.push((g.clone(), res.clone(), v));
                    }
                }
            }
        }
        out
    }

    #[test]
    fn injection_config_carries_every_template_verbatim() {
        let objects = objects(&Settings::profile(Profile::Default));
        let config = find(&objects, "ConfigMap", "istio-sidecar-injector")
            .and_then(|c| c["data"]["config"].as_str())
            .unwrap_or_default()
            .to_string();
        let mut parsed = None;
        crate::load::yaml::parse_stream(&config, 0, |doc| {
            parsed = doc.root.map(|n| n.to_json());
        });
        let parsed = parsed.unwrap_or_default();
        let templates = parsed["templates"].as_object().cloned().unwrap_or_default();
        assert_eq!(templates.len(), template::TEMPLATES.len(), "{parsed:#}");
        for (name, text) in template::TEMPLATES {
            assert_eq!(templates.get(*name), Some(&Json::from(*text)), "{name}");
        }
        assert_eq!(parsed["defaultTemplates"], json!(["sidecar"]));
    }

    #[test]
    fn istio_reader_can_read_what_remote_istiods_need() {
        for (revision, name) in [
            ("", "istio-reader-clusterrole-istio-system"),
            ("canary", "istio-reader-clusterrole-canary-istio-system"),
        ] {
            let mut s = Settings::profile(Profile::Minimal);
            s.revision = revision.to_string();
            let objects = objects(&s);
            let role = find(&objects, "ClusterRole", name)
                .cloned()
                .unwrap_or_default();
            let g = grants(&role["rules"]);
            for (group, resource, verb) in [
                ("networking.istio.io", "*", "list"),
                ("", "secrets", "watch"),
                ("discovery.k8s.io", "endpointslices", "get"),
                ("gateway.networking.k8s.io", "gateways", "list"),
                ("multicluster.x-k8s.io", "serviceexports", "create"),
                ("authentication.k8s.io", "tokenreviews", "create"),
            ] {
                let want = (group.to_string(), resource.to_string(), verb.to_string());
                assert!(g.contains(&want), "{name} lacks {want:?}");
            }
            // Read-only but for service exports and reviews.
            assert!(
                g.iter()
                    .all(|(_, r, v)| matches!(v.as_str(), "get" | "list" | "watch")
                        || r == "serviceexports"
                        || r.ends_with("reviews")),
                "{g:?}"
            );
            let binding = find(&objects, "ClusterRoleBinding", name)
                .cloned()
                .unwrap_or_default();
            assert_eq!(binding["roleRef"]["name"], name);
            assert_eq!(
                binding["subjects"],
                json!([{"kind": "ServiceAccount", "name": "istio-reader-service-account",
                        "namespace": "istio-system"}])
            );
            // The service account it binds is part of the installation.
            assert!(find(&objects, "ServiceAccount", "istio-reader-service-account").is_some());
        }
    }

    #[test]
    fn istiod_may_write_inference_pool_and_experimental_gateway_status() {
        let objects = objects(&Settings::profile(Profile::Default));
        let role = find(&objects, "ClusterRole", "istiod-clusterrole-istio-system")
            .cloned()
            .unwrap_or_default();
        let g = grants(&role["rules"]);
        let mut missing = Vec::new();
        for (group, resource, verbs) in [
            (
                "inference.networking.k8s.io",
                "inferencepools",
                &["get", "list", "watch"][..],
            ),
            (
                "inference.networking.k8s.io",
                "inferencepools/status",
                &["update", "patch"],
            ),
            (
                "gateway.networking.x-k8s.io",
                "xlistenersets/status",
                &["update", "patch"],
            ),
            (
                "gateway.networking.x-k8s.io",
                "xbackendtrafficpolicies/status",
                &["update", "patch"],
            ),
        ] {
            for v in verbs {
                let want = (group.to_string(), resource.to_string(), v.to_string());
                if !g.contains(&want) {
                    missing.push(want);
                }
            }
        }
        assert!(missing.is_empty(), "{missing:?}");
    }

    #[test]
    fn gateways_autoscale_where_istio_does_and_never_fix_replicas() {
        let hpa_range = |objects: &[Json], name: &str| {
            find(objects, "HorizontalPodAutoscaler", name).map(|h| {
                (
                    h["spec"]["minReplicas"].clone(),
                    h["spec"]["maxReplicas"].clone(),
                )
            })
        };
        let default = objects(&Settings::profile(Profile::Default));
        assert_eq!(
            hpa_range(&default, "istio-ingressgateway"),
            Some((json!(1), json!(5)))
        );
        let demo = objects(&Settings::profile(Profile::Demo));
        assert_eq!(hpa_range(&demo, "istio-ingressgateway"), None);
        assert_eq!(hpa_range(&demo, "istio-egressgateway"), None);
        for objects in [&default, &demo] {
            for name in ["istio-ingressgateway", "istio-egressgateway"] {
                if let Some(d) = find(objects, "Deployment", name) {
                    assert!(d["spec"].get("replicas").is_none(), "{d:#}");
                }
            }
        }
        // Switched per gateway.
        let s = Settings::build(
            Profile::Demo,
            &[],
            &[(
                "values.gateways.istio-egressgateway.autoscaleEnabled".to_string(),
                "true".to_string(),
            )],
        );
        let Ok(s) = s else { panic!("{s:?}") };
        let objects = objects(&s);
        assert!(hpa_range(&objects, "istio-egressgateway").is_some());
        assert!(hpa_range(&objects, "istio-ingressgateway").is_none());
    }

    #[test]
    fn istiod_replicas_hpa_and_pdb_as_istios_chart() {
        let build = |set: &[(&str, &str)]| {
            let set: Vec<(String, String)> = set
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            let s = Settings::build(Profile::Default, &[], &set);
            let Ok(s) = s else { panic!("{s:?}") };
            objects(&s)
        };
        let replicas =
            |o: &[Json]| find(o, "Deployment", "istiod").map(|d| d["spec"]["replicas"].clone());
        // With the autoscaler (default), replicaCount is ignored: the HPA scales, no PDB.
        let o = build(&[("values.pilot.replicaCount", "3")]);
        assert_eq!(replicas(&o), Some(Json::Null));
        assert!(find(&o, "HorizontalPodAutoscaler", "istiod").is_some());
        assert!(find(&o, "PodDisruptionBudget", "istiod").is_none());
        // Without it: the fixed count, and a PDB once that is above 1.
        let off = ("values.pilot.autoscaleEnabled", "false");
        let o = build(&[off]);
        assert_eq!(replicas(&o), Some(json!(1)));
        assert!(find(&o, "HorizontalPodAutoscaler", "istiod").is_none());
        assert!(find(&o, "PodDisruptionBudget", "istiod").is_none());
        let o = build(&[off, ("values.pilot.replicaCount", "3")]);
        assert_eq!(replicas(&o), Some(json!(3)));
        let pdb = find(&o, "PodDisruptionBudget", "istiod").cloned();
        let Some(pdb) = pdb else {
            panic!("no PodDisruptionBudget")
        };
        assert_eq!(pdb["spec"]["minAvailable"], 1);
        assert_eq!(
            pdb["spec"]["selector"]["matchLabels"],
            json!({"app": "istiod", "istio": "pilot"})
        );
        // A revision's PDB selects only that revision's istiod.
        let o = build(&[
            off,
            ("values.pilot.replicaCount", "2"),
            ("revision", "canary"),
        ]);
        let pdb = find(&o, "PodDisruptionBudget", "istiod-canary").cloned();
        assert_eq!(
            pdb.map(|p| p["spec"]["selector"]["matchLabels"].clone()),
            Some(json!({"app": "istiod", "istio.io/rev": "canary"}))
        );
    }

    #[test]
    fn demo_mesh_config_names_the_four_extension_providers() {
        let names = |p| {
            mesh_config(&Settings::profile(p))["extensionProviders"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|e| e["name"].as_str().map(str::to_string))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            names(Profile::Demo),
            ["otel", "skywalking", "otel-tracing", "jaeger"]
        );
        assert!(names(Profile::Default).is_empty());
    }

    #[test]
    fn istiod_sizes_the_go_runtime_to_its_limits() {
        let objects = objects(&Settings::profile(Profile::Minimal));
        let env = find(&objects, "Deployment", "istiod")
            .map(|d| d["spec"]["template"]["spec"]["containers"][0]["env"].clone())
            .unwrap_or_default();
        let from = |name: &str| {
            env.as_array()
                .into_iter()
                .flatten()
                .find(|e| e["name"] == name)
                .map(|e| e["valueFrom"]["resourceFieldRef"]["resource"].clone())
        };
        assert_eq!(from("GOMEMLIMIT"), Some(json!("limits.memory")));
        assert_eq!(from("GOMAXPROCS"), Some(json!("limits.cpu")));
    }

    #[test]
    fn mesh_config_takes_user_fields_over_defaults() {
        let mut s = Settings::profile(Profile::Default);
        s.mesh_config
            .insert("accessLogFile".into(), Json::from("/dev/stdout"));
        s.mesh_config.insert(
            "defaultConfig".into(),
            json!({"holdApplicationUntilProxyStarts": true}),
        );
        let m = mesh_config(&s);
        assert_eq!(m["accessLogFile"], "/dev/stdout");
        assert_eq!(m["defaultConfig"]["holdApplicationUntilProxyStarts"], true);
        assert_eq!(
            m["defaultConfig"]["discoveryAddress"],
            "istiod.istio-system.svc:15012"
        );
    }
}
