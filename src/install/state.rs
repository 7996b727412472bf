//! The record of an installation: which profile and settings `install` applied, kept in the
//! cluster so that `verify` (and `uninstall`) know what is installed without being told again.
//!
//! istioctl keeps an IstioOperator named `installed-state` in istio-system for the same purpose.
//! meshctl's installation does not include the IstioOperator CRD, so the record is a ConfigMap,
//! `meshctl-installed-state` (`meshctl-installed-state-REVISION` for a named revision), in the
//! control-plane namespace. It holds the profile, the release and the effective settings as an
//! IstioOperator document, the same shape `-f` reads: `kubectl get configmap -n istio-system
//! meshctl-installed-state -o jsonpath='{.data.istio-operator\.yaml}'` gives a file that
//! `meshctl verify -f` (or `install -f`) accepts. It carries meshctl's label, so `uninstall`
//! removes it (last).

use k8s_openapi::api::core::v1::ConfigMap;
use kube::api::{Api, ListParams};
use serde_json::{Map, Value as Json, json};

use super::manifest::{MANAGED_BY, Settings};
use super::profile::Profile;
use crate::Error;
use crate::cluster::Cluster;

/// The name of the record of the default revision; named revisions add `-REVISION`.
pub const RECORD_NAME: &str = "meshctl-installed-state";
/// The ConfigMap key holding the IstioOperator document.
pub const SPEC_KEY: &str = "istio-operator.yaml";

/// The record's name for the settings' revision.
pub fn record_name(s: &Settings) -> String {
    if s.revision.is_empty() {
        RECORD_NAME.to_string()
    } else {
        format!("{RECORD_NAME}-{}", s.revision)
    }
}

/// The effective settings as an IstioOperator spec: every setting meshctl has, in an order
/// that [`Settings::build`] applies back to the same settings (a replica count before
/// `autoscaleEnabled`, which it would otherwise switch off).
pub fn spec(s: &Settings) -> Json {
    let requests = |r: &super::manifest::Resources| json!({"resources": {"requests": {"cpu": r.cpu, "memory": r.memory}}});
    let gateway = |r: &super::manifest::Resources, autoscale: bool| {
        let mut g = requests(r);
        g["autoscaleEnabled"] = Json::from(autoscale);
        g
    };
    let mut pilot = Map::new();
    if let Some(n) = s.pilot_replicas {
        pilot.insert("replicaCount".into(), Json::from(n));
    }
    pilot.insert("autoscaleEnabled".into(), Json::from(s.autoscale));
    pilot.insert(
        "resources".into(),
        requests(&s.pilot_requests)["resources"].clone(),
    );
    let mut spec = Map::new();
    spec.insert("profile".into(), Json::from(s.profile.as_str()));
    spec.insert("hub".into(), Json::from(s.hub.clone()));
    spec.insert("tag".into(), Json::from(s.tag.clone()));
    spec.insert("revision".into(), Json::from(s.revision.clone()));
    if !s.mesh_config.is_empty() {
        spec.insert("meshConfig".into(), Json::Object(s.mesh_config.clone()));
    }
    if s.namespace != "istio-system" {
        spec.insert("namespace".into(), Json::from(s.namespace.clone()));
    }
    let gateways = |gs: &[super::manifest::GatewaySpec]| {
        gs.iter()
            .map(|g| {
                let mut m = Map::new();
                m.insert("name".into(), Json::from(g.name.clone()));
                m.insert("enabled".into(), Json::Bool(true));
                if !g.label.is_empty() {
                    m.insert("label".into(), Json::Object(g.label.clone()));
                }
                if !g.k8s.is_empty() {
                    m.insert("k8s".into(), Json::Object(g.k8s.clone()));
                }
                Json::Object(m)
            })
            .collect::<Vec<_>>()
    };
    let component = |enabled: bool, k8s: &Map<String, Json>| {
        let mut m = Map::new();
        m.insert("enabled".into(), Json::Bool(enabled));
        if !k8s.is_empty() {
            m.insert("k8s".into(), Json::Object(k8s.clone()));
        }
        Json::Object(m)
    };
    spec.insert(
        "components".into(),
        json!({
            "base": {"enabled": s.base},
            "pilot": component(s.pilot, &s.pilot_k8s),
            "cni": component(s.cni, &s.cni_k8s),
            "ingressGateways": gateways(&s.ingress_gateways),
            "egressGateways": gateways(&s.egress_gateways),
        }),
    );
    if let Some(t) = &s.trace_sampling {
        pilot.insert("traceSampling".into(), Json::from(t.clone()));
    }
    if !s.pilot_env.is_empty() {
        pilot.insert("env".into(), Json::Object(s.pilot_env.clone()));
    }
    let mut values = json!({
        "global": {"proxy": requests(&s.proxy_requests),
                   "waypoint": requests(&s.waypoint_requests),
                   "logging": {"level": s.log_level}},
        "pilot": Json::Object(pilot),
        "gateways": {
            "istio-ingressgateway": gateway(&s.ingress_requests, s.ingress_autoscale),
            "istio-egressgateway": gateway(&s.egress_requests, s.egress_autoscale),
        },
    });
    if !s.revision_tags.is_empty() {
        values["revisionTags"] = json!(s.revision_tags);
    }
    super::manifest::merge(&mut values, &Json::Object(s.values.clone()));
    spec.insert("values".into(), values);
    Json::Object(spec)
}

/// The ConfigMap `install` writes with the installation (in its first component).
pub fn record(s: &Settings) -> Json {
    let operator = json!({
        "apiVersion": "install.istio.io/v1alpha1",
        "kind": "IstioOperator",
        "metadata": {"name": "installed-state", "namespace": s.namespace},
        "spec": spec(s),
    });
    json!({
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {
            "name": record_name(s),
            "namespace": s.namespace,
            "labels": {
                MANAGED_BY.0: MANAGED_BY.1,
                "istio.io/rev": s.rev(),
                "operator.istio.io/version": s.tag,
            },
        },
        "data": {
            "profile": s.profile.as_str(),
            "version": s.tag,
            SPEC_KEY: crate::report::yaml::to_yaml(&operator),
        },
    })
}

/// The settings a record describes, or why it cannot be read.
pub fn settings_of(data: &std::collections::BTreeMap<String, String>) -> Result<Settings, String> {
    let text = data
        .get(SPEC_KEY)
        .ok_or_else(|| format!("it has no {SPEC_KEY} key"))?;
    let mut doc = None;
    let mut problem = None;
    crate::load::yaml::parse_stream(text, 0, |d| {
        if let Some(e) = d.errors.first() {
            problem.get_or_insert_with(|| e.message.clone());
        }
        if doc.is_none() {
            doc = d.root.map(|r| r.to_json());
        }
    });
    if let Some(p) = problem {
        return Err(format!("its {SPEC_KEY} is not YAML: {p}"));
    }
    let doc = doc.ok_or_else(|| format!("its {SPEC_KEY} is empty"))?;
    if !doc.get("spec").is_some_and(Json::is_object) {
        return Err(format!("its {SPEC_KEY} has no spec"));
    }
    Settings::build(Profile::Default, &[doc], &[])
}

/// One installation record found in a cluster.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// `ConfigMap istio-system/meshctl-installed-state`.
    pub object: String,
    pub settings: Result<Settings, String>,
}

impl Cluster {
    /// The installation records in the control-plane namespace, sorted by name.
    pub async fn installed_states(&self) -> Result<Vec<Recorded>, Error> {
        let namespace = Settings::profile(Profile::Default).namespace;
        let api: Api<ConfigMap> = Api::namespaced(self.client.clone(), &namespace);
        let selector = format!("{}={}", MANAGED_BY.0, MANAGED_BY.1);
        let list = self
            .call(api.list(&ListParams::default().labels(&selector)))
            .await
            .map_err(|e| {
                self.fail(
                    &e,
                    &format!("listing the ConfigMaps of {namespace} meshctl installed"),
                )
            })?;
        let mut out: Vec<Recorded> = list
            .items
            .into_iter()
            .filter_map(|cm| {
                let name = cm.metadata.name?;
                is_record_name(&name).then(|| Recorded {
                    object: format!("ConfigMap {namespace}/{name}"),
                    settings: settings_of(&cm.data.unwrap_or_default()),
                })
            })
            .collect();
        out.sort_by(|a, b| a.object.cmp(&b.object));
        Ok(out)
    }
}

/// Whether a ConfigMap name is a record's (`meshctl-installed-state[-REVISION]`).
pub fn is_record_name(name: &str) -> bool {
    name == RECORD_NAME
        || name
            .strip_prefix(RECORD_NAME)
            .and_then(|r| r.strip_prefix('-'))
            .is_some_and(|r| !r.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(s: &Settings) -> Settings {
        let cm = record(s);
        let data: std::collections::BTreeMap<String, String> =
            serde_json::from_value(cm["data"].clone()).unwrap_or_default();
        settings_of(&data).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn every_profile_reads_back_as_installed() {
        for p in [Profile::Minimal, Profile::Default, Profile::Demo] {
            let s = Settings::profile(p);
            assert_eq!(round_trip(&s), s, "{p:?}");
        }
    }

    #[test]
    fn changed_settings_read_back_as_installed() {
        let sets: Vec<(String, String)> = [
            ("hub", "registry.example/istio"),
            ("tag", "1.28.2"),
            ("revision", "canary"),
            ("meshConfig.accessLogFile", "/dev/stdout"),
            (
                "meshConfig.defaultConfig.holdApplicationUntilProxyStarts",
                "true",
            ),
            ("values.pilot.replicaCount", "3"),
            ("values.pilot.autoscaleEnabled", "true"),
            ("values.pilot.resources.requests.cpu", "1"),
            ("values.global.proxy.resources.requests.memory", "64Mi"),
            ("components.egressGateways[0].enabled", "true"),
            ("components.ingressGateways[0].enabled", "false"),
            (
                "values.gateways.istio-egressgateway.autoscaleEnabled",
                "false",
            ),
            ("values.global.waypoint.resources.requests.cpu", "50m"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let s = Settings::build(Profile::Minimal, &[], &sets).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.pilot_replicas, Some(3));
        assert!(s.autoscale);
        assert!(s.ingress_autoscale && !s.egress_autoscale);
        assert_eq!(s.waypoint_requests.cpu, "50m");
        let back = round_trip(&s);
        assert_eq!(back, s);
        assert_eq!(record_name(&s), "meshctl-installed-state-canary");
    }

    #[test]
    fn the_record_names_what_was_installed() {
        let s = Settings::profile(Profile::Demo);
        let cm = record(&s);
        assert_eq!(cm["metadata"]["name"], "meshctl-installed-state");
        assert_eq!(cm["metadata"]["namespace"], "istio-system");
        assert_eq!(cm["metadata"]["labels"][MANAGED_BY.0], MANAGED_BY.1);
        assert_eq!(cm["data"]["profile"], "demo");
        assert_eq!(cm["data"]["version"], s.tag.as_str());
        let text = cm["data"][SPEC_KEY].as_str().unwrap_or_default();
        assert!(text.contains("kind: IstioOperator"), "{text}");
        assert!(text.contains("profile: demo"), "{text}");
    }

    #[test]
    fn broken_records_say_why() {
        let data =
            |v: &str| std::collections::BTreeMap::from([(SPEC_KEY.to_string(), v.to_string())]);
        assert!(settings_of(&Default::default()).is_err());
        assert!(
            settings_of(&data("spec: [unclosed"))
                .unwrap_err()
                .contains("not YAML")
        );
        assert!(settings_of(&data("kind: IstioOperator\n")).is_err());
        assert!(
            settings_of(&data("spec:\n  profile: huge\n"))
                .unwrap_err()
                .contains("profile")
        );
        assert!(
            settings_of(&data("spec:\n  nope: 1\n"))
                .unwrap_err()
                .contains("unknown field spec.nope")
        );
    }

    #[test]
    fn record_names() {
        assert!(is_record_name("meshctl-installed-state"));
        assert!(is_record_name("meshctl-installed-state-canary"));
        assert!(!is_record_name("meshctl-installed-state-"));
        assert!(!is_record_name("meshctl-installed-statex"));
        assert!(!is_record_name("istio"));
    }
}
