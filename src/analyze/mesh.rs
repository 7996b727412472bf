//! The Istio MeshConfig some analyzers need (`--mesh-config FILE`, alias `--meshConfigFile`),
//! with Istio's defaults for everything the file leaves out. Only the fields analyzers read are
//! kept; the rest of the document is accepted and ignored.

use serde_json::Value;

use crate::Error;
use crate::load::yaml;

/// The parts of MeshConfig analyzers read.
#[derive(Debug, Clone, PartialEq)]
pub struct MeshConfig {
    /// `rootNamespace`: policies here apply mesh-wide (default `istio-system`).
    pub root_namespace: String,
    /// Names under `defaultProviders.accessLogging`.
    pub default_access_logging: Vec<String>,
    /// Names under `defaultProviders.tracing`.
    pub default_tracing: Vec<String>,
    /// Names of `extensionProviders`.
    pub extension_providers: Vec<String>,
    /// `defaultConfig.proxyMetadata.ISTIO_META_DNS_CAPTURE` and `..._DNS_AUTO_ALLOCATE` both
    /// true: the sidecar allocates addresses for ServiceEntries itself.
    pub dns_auto_allocate: bool,
    /// `ingressService` / `ingressSelector`: the default ingress gateway (`istio:
    /// ingressgateway`).
    pub ingress_selector: String,
    /// `outboundTrafficPolicy.mode: REGISTRY_ONLY`: sidecars block unknown hosts.
    pub registry_only: bool,
    /// Extension providers of the (deprecated) Lightstep type.
    pub lightstep_providers: Vec<String>,
    /// `defaultConfig.image.imageType` (`distroless`, `debug`, ...), empty when unset.
    pub image_type: String,
    /// A MeshNetworks document (`networks:`), when one was given (as the file, or as the
    /// `meshNetworks` key of the `istio` ConfigMap).
    pub networks: Option<Value>,
}

impl Default for MeshConfig {
    fn default() -> Self {
        MeshConfig {
            root_namespace: "istio-system".to_string(),
            default_access_logging: Vec::new(),
            default_tracing: Vec::new(),
            extension_providers: Vec::new(),
            dns_auto_allocate: false,
            ingress_selector: "ingressgateway".to_string(),
            registry_only: false,
            lightstep_providers: Vec::new(),
            image_type: String::new(),
            networks: None,
        }
    }
}

impl MeshConfig {
    /// Reads a MeshConfig file: a YAML document of MeshConfig fields, or the `istio` ConfigMap
    /// that carries it under `data.mesh`. Unreadable files are environment errors (exit 3);
    /// text that is not a MeshConfig mapping is a usage error (exit 2).
    pub fn from_file(path: &str) -> Result<MeshConfig, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Read {
            path: path.to_string(),
            source: e,
        })?;
        MeshConfig::from_text(&text).map_err(|m| Error::Usage(format!("--mesh-config {path}: {m}")))
    }

    /// Parses MeshConfig text (see [`MeshConfig::from_file`]).
    pub fn from_text(text: &str) -> Result<MeshConfig, String> {
        let value = parse_yaml(text)?;
        // The `istio` ConfigMap wraps the MeshConfig in a string.
        let config_map = value.get("kind").and_then(Value::as_str) == Some("ConfigMap");
        let networks = match value
            .get("data")
            .and_then(|d| d.get("meshNetworks"))
            .and_then(Value::as_str)
        {
            Some(inner) if config_map => Some(parse_yaml(inner)?),
            _ => value.get("networks").is_some().then(|| value.clone()),
        };
        let value = match value
            .get("data")
            .and_then(|d| d.get("mesh"))
            .and_then(Value::as_str)
        {
            Some(inner) if config_map => parse_yaml(inner)?,
            _ if config_map => Value::Object(Default::default()),
            _ => value,
        };
        let Value::Object(map) = &value else {
            return Err("expected a mapping of MeshConfig fields".to_string());
        };
        let mut mesh = MeshConfig {
            networks,
            ..MeshConfig::default()
        };
        if let Some(ns) = map.get("rootNamespace").and_then(Value::as_str) {
            mesh.root_namespace = ns.to_string();
        }
        let names = |v: Option<&Value>| -> Vec<String> {
            v.and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        };
        mesh.registry_only = map
            .get("outboundTrafficPolicy")
            .and_then(|p| p.get("mode"))
            .and_then(Value::as_str)
            == Some("REGISTRY_ONLY");
        if let Some(dp) = map.get("defaultProviders") {
            mesh.default_access_logging = names(dp.get("accessLogging"));
            mesh.default_tracing = names(dp.get("tracing"));
        }
        if let Some(list) = map.get("extensionProviders").and_then(Value::as_array) {
            mesh.extension_providers = list
                .iter()
                .filter_map(|p| p.get("name").and_then(Value::as_str).map(str::to_string))
                .collect();
            mesh.lightstep_providers = list
                .iter()
                .filter(|p| p.get("lightstep").is_some_and(|l| !l.is_null()))
                .filter_map(|p| p.get("name").and_then(Value::as_str).map(str::to_string))
                .collect();
        }
        if let Some(t) = map
            .get("defaultConfig")
            .and_then(|d| d.get("image"))
            .and_then(|i| i.get("imageType"))
            .and_then(Value::as_str)
        {
            mesh.image_type = t.to_string();
        }
        let meta = map
            .get("defaultConfig")
            .and_then(|d| d.get("proxyMetadata"))
            .cloned()
            .unwrap_or(Value::Null);
        let truthy = |k: &str| {
            meta.get(k)
                .and_then(Value::as_str)
                .is_some_and(|v| v.eq_ignore_ascii_case("true"))
        };
        mesh.dns_auto_allocate =
            truthy("ISTIO_META_DNS_CAPTURE") && truthy("ISTIO_META_DNS_AUTO_ALLOCATE");
        if let Some(sel) = map.get("ingressSelector").and_then(Value::as_str) {
            mesh.ingress_selector = sel.to_string();
        }
        Ok(mesh)
    }
}

fn parse_yaml(text: &str) -> Result<Value, String> {
    let mut first: Option<Result<Value, String>> = None;
    yaml::parse_stream(text, 0, |doc| {
        if first.is_some() {
            return;
        }
        if let Some(e) = doc.errors.first() {
            first = Some(Err(e.message.clone()));
        } else if let Some(root) = doc.root {
            first = Some(Ok(root.to_json()));
        }
    });
    first.unwrap_or(Ok(Value::Object(Default::default())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_fields() {
        let m = MeshConfig::from_text("").unwrap_or_default();
        assert_eq!(m, MeshConfig::default());
        let m = MeshConfig::from_text(
            "rootNamespace: mesh-root\ndefaultProviders:\n  accessLogging: [envoy]\nextensionProviders:\n- name: otel\n  opentelemetry: {}\ndefaultConfig:\n  proxyMetadata:\n    ISTIO_META_DNS_CAPTURE: \"true\"\n    ISTIO_META_DNS_AUTO_ALLOCATE: \"true\"\n",
        )
        .unwrap_or_default();
        assert_eq!(m.root_namespace, "mesh-root");
        assert_eq!(m.default_access_logging, vec!["envoy"]);
        assert_eq!(m.extension_providers, vec!["otel"]);
        assert!(m.dns_auto_allocate);
    }

    #[test]
    fn configmap_form_and_errors() {
        let m = MeshConfig::from_text(
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: istio}\ndata:\n  mesh: |\n    rootNamespace: other\n",
        )
        .unwrap_or_default();
        assert_eq!(m.root_namespace, "other");
        assert!(MeshConfig::from_text("- a\n- b\n").is_err());
        assert!(MeshConfig::from_text("a: [\n").is_err());
    }
}
