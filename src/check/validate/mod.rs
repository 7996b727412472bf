//! Per-object validation: the structural schema walk (`schema`) over the spanned tree, then
//! Istio's admission rules for each kind (one file per kind), which run on the typed model.
//! Rules report findings against a field path (`spec.http[0].route[1].weight`); the caller turns
//! paths into file locations.

pub mod apiserver;
pub mod cel;
pub mod codes;
pub mod common;
pub mod crd;
pub mod schema;

mod authorization_policy;
mod destination_rule;
mod envoy_filter;
mod envoy_value;
mod gateway;
mod gateway_api;
mod kube;
mod peer_authentication;
mod proxy_config;
mod request_authentication;
mod service_entry;
mod sidecar;
mod telemetry;
mod virtual_service;
mod wasm_plugin;
mod workload;

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::load::Node;
use crate::model::ObjectMeta;
use crate::model::kinds::KindInfo;
use crate::store::kinds::Kind;
use codes::Rule;

/// Whether a finding makes the object invalid (Istio rejects it) or is a warning (Istio accepts
/// it and prints a warning).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Error,
    Warning,
}

/// One finding of a semantic rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// The rule's code (`MSH1213`), from [`codes`]; the finding's level is the rule's.
    pub code: &'static str,
    pub level: Level,
    /// Field path from the object root, e.g. `spec.http[0].route[1].weight`.
    pub path: String,
    pub message: String,
    pub help: Option<String>,
}

/// What a rule sees besides the typed spec, and where it reports. Every report names the rule
/// ([`codes::Rule`]) it comes from, which fixes its code and level.
pub struct Ctx<'a> {
    pub meta: &'a ObjectMeta,
    /// The namespace the object lives in (`metadata.namespace`, else the default namespace).
    pub namespace: &'a str,
    pub findings: Vec<Finding>,
}

impl<'a> Ctx<'a> {
    pub fn new(meta: &'a ObjectMeta, namespace: &'a str) -> Self {
        Ctx {
            meta,
            namespace,
            findings: Vec::new(),
        }
    }

    /// Reports a finding of `rule` at `path`.
    pub fn report(&mut self, rule: Rule, path: impl Into<String>, message: impl Into<String>) {
        self.push(rule, path.into(), message.into(), None);
    }

    pub fn report_with_help(
        &mut self,
        rule: Rule,
        path: impl Into<String>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.push(rule, path.into(), message.into(), Some(help.into()));
    }

    /// Reports `Err` of a helper from `common` as a finding of `rule` at `path`.
    pub fn check(&mut self, rule: Rule, path: impl Into<String>, result: Result<(), String>) {
        if let Err(message) = result {
            self.report(rule, path, message);
        }
    }

    fn push(&mut self, rule: Rule, path: String, message: String, help: Option<String>) {
        self.findings.push(Finding {
            code: rule.code(),
            level: rule.level(),
            path,
            message,
            help,
        });
    }
}

/// An object as the typed rules read it: straight from the spanned tree when the schema walk
/// found nothing to prune (the fast path), or from the pruned JSON value otherwise.
#[derive(Debug, Clone, Copy)]
pub enum Obj<'a> {
    Node(&'a Node),
    Json(&'a Value),
}

impl<'a> Obj<'a> {
    pub fn get(self, key: &str) -> Option<Obj<'a>> {
        match self {
            Obj::Node(n) => n.get(key).map(Obj::Node),
            Obj::Json(v) => v.get(key).map(Obj::Json),
        }
    }

    pub fn is_null(self) -> bool {
        match self {
            Obj::Node(n) => n.value == crate::load::Value::Null,
            Obj::Json(v) => v.is_null(),
        }
    }

    /// Decodes a typed model value.
    pub fn decode<T: DeserializeOwned>(self) -> Result<T, String> {
        match self {
            Obj::Node(n) => T::deserialize(n).map_err(|e| e.to_string()),
            Obj::Json(v) => T::deserialize(v).map_err(|e| e.to_string()),
        }
    }

    pub fn to_json(self) -> Value {
        match self {
            Obj::Node(n) => n.to_json(),
            Obj::Json(v) => v.clone(),
        }
    }
}

/// Runs the semantic rules of `kind` on an object that passed through the schema walk (so
/// `object` holds only fields the schema knows, with the right types).
pub fn semantic(kind: &KindInfo, object: Obj<'_>, namespace: &str) -> Vec<Finding> {
    let meta: ObjectMeta = object
        .get("metadata")
        .and_then(|m| m.decode().ok())
        .unwrap_or_default();
    let mut ctx = Ctx::new(&meta, namespace);
    if kind.is_istio() && !istio_metadata(kind, &mut ctx) {
        return ctx.findings;
    }
    // A kind that requires `spec` and has none was reported by the schema walk; its rules
    // would only repeat that in other words.
    if object.get("spec").is_none_or(Obj::is_null) && spec_required(kind) {
        return ctx.findings;
    }
    match Kind::of(kind.group, kind.kind) {
        Kind::VirtualService => with_spec(object, &mut ctx, virtual_service::validate),
        Kind::Gateway => with_spec(object, &mut ctx, gateway::validate),
        Kind::DestinationRule => with_spec(object, &mut ctx, destination_rule::validate),
        Kind::ServiceEntry => with_spec(object, &mut ctx, service_entry::validate),
        Kind::Sidecar => with_spec(object, &mut ctx, sidecar::validate),
        Kind::WorkloadEntry => with_spec(object, &mut ctx, workload::validate_entry),
        Kind::WorkloadGroup => with_spec(object, &mut ctx, workload::validate_group),
        Kind::EnvoyFilter => with_spec(object, &mut ctx, envoy_filter::validate),
        Kind::ProxyConfig => with_spec(object, &mut ctx, proxy_config::validate),
        Kind::AuthorizationPolicy => with_spec(object, &mut ctx, authorization_policy::validate),
        Kind::PeerAuthentication => with_spec(object, &mut ctx, peer_authentication::validate),
        Kind::RequestAuthentication => {
            with_spec(object, &mut ctx, request_authentication::validate)
        }
        Kind::Telemetry => with_spec(object, &mut ctx, telemetry::validate),
        Kind::WasmPlugin => with_spec(object, &mut ctx, wasm_plugin::validate),
        // Gateway API and Kubernetes kinds: each group's rule file dispatches on the kind.
        _ => match kind.group {
            "gateway.networking.k8s.io" => {
                gateway_api::validate(kind.kind, &object.to_json(), &mut ctx)
            }
            "" | "apps" | "admissionregistration.k8s.io" => {
                kube::validate(kind.kind, object, &mut ctx)
            }
            _ => {}
        },
    }
    ctx.findings
}

/// istiod's `validateMetadata`, run before every Istio kind's own rules: annotations users may
/// not set. Returns false when istiod would stop there.
fn istio_metadata(kind: &KindInfo, ctx: &mut Ctx<'_>) -> bool {
    const DRY_RUN: &str = "istio.io/dry-run";
    const BANNED: &[(&str, &str)] = &[
        (
            "internal.istio.io/webhook-always-reject",
            "annotation found, rejecting",
        ),
        (
            "internal.istio.io/parent-namespace",
            "annotation found, this may not be set by users",
        ),
        (
            "internal.istio.io/parents",
            "annotation found, this may not be set by users",
        ),
    ];
    let annotations = &ctx.meta.annotations;
    if kind.kind != "AuthorizationPolicy" && annotations.contains_key(DRY_RUN) {
        let name = ctx.meta.name.clone().unwrap_or_default();
        let ns = ctx.namespace.to_string();
        ctx.report_with_help(
            codes::ISTIO_RESERVED_ANNOTATION,
            format!("metadata.annotations[{DRY_RUN:?}]"),
            format!(
                "{ns}/{name} has unsupported annotation {DRY_RUN}, please remove the annotation"
            ),
            "only AuthorizationPolicy supports istio.io/dry-run",
        );
        return false;
    }
    for (key, what) in BANNED {
        if annotations.contains_key(*key) {
            ctx.report(
                codes::ISTIO_RESERVED_ANNOTATION,
                format!("metadata.annotations[{key:?}]"),
                format!("{key:?} {what}"),
            );
            return false;
        }
    }
    true
}

fn spec_required(kind: &KindInfo) -> bool {
    match kind.schema.map(|s| s()) {
        Some(crate::model::schema::Ty::Struct(desc)) => {
            desc.field("spec").is_some_and(|f| f.required())
        }
        _ => false,
    }
}

/// Deserialises `spec` into its typed form and runs `rule` on it. A missing spec is treated as
/// an empty one (the schema walk already reported it where the kind requires it).
fn with_spec<T: DeserializeOwned + Default>(
    object: Obj<'_>,
    ctx: &mut Ctx<'_>,
    rule: fn(&T, &mut Ctx<'_>),
) {
    let spec = match object.get("spec") {
        Some(v) if !v.is_null() => match v.decode::<T>() {
            Ok(spec) => spec,
            // The schema walk guarantees the shape; if serde still disagrees, the typed rules
            // cannot run, which the schema findings already explain.
            Err(_) => return,
        },
        _ => T::default(),
    };
    rule(&spec, ctx);
}

/// Helpers shared by the rule files' unit tests.
#[cfg(test)]
pub(crate) mod testing {
    use serde::de::DeserializeOwned;

    use super::{Ctx, Finding, Level};
    use crate::model::ObjectMeta;

    /// Decodes `spec` and runs `rule` on it in namespace `default`.
    pub fn run<T: DeserializeOwned>(
        spec: serde_json::Value,
        rule: fn(&T, &mut Ctx<'_>),
    ) -> Vec<Finding> {
        let spec: T = serde_json::from_value(spec).expect("test spec decodes");
        let meta = ObjectMeta::default();
        let mut ctx = Ctx::new(&meta, "default");
        rule(&spec, &mut ctx);
        ctx.findings
    }

    /// Runs `f` with a fresh context and returns its findings as (level, path, message).
    pub fn run_ctx(f: impl FnOnce(&mut Ctx<'_>)) -> Vec<(Level, String, String)> {
        let meta = ObjectMeta::default();
        let mut ctx = Ctx::new(&meta, "default");
        f(&mut ctx);
        ctx.findings
            .into_iter()
            .map(|f| (f.level, f.path, f.message))
            .collect()
    }

    /// Validates `object` (a whole object, apiVersion to spec) the way `meshctl validate`
    /// does, schema walk and rules together, and returns the errors as (path, message).
    pub fn validate_errors(object: &serde_json::Value) -> Vec<(String, String)> {
        let text = serde_json::to_string(object).unwrap_or_default();
        let (source, problem) = crate::load::decode("test.yaml".into(), text.into_bytes());
        crate::check::run::validate_source(&source, problem)
            .diagnostics
            .into_iter()
            .filter(|d| d.severity == crate::check::Severity::Error)
            .map(|d| (d.path.unwrap_or_default(), d.message))
            .collect()
    }

    /// Runs `spec` as the spec of a `kind` object (`api_version`, namespace `default`) through
    /// the whole of `meshctl validate`, schema walk and rules together, and returns what it
    /// reports as findings: for the constraints the model declares on fields, which the schema
    /// walk checks rather than the rule files.
    pub fn validate_spec(api_version: &str, kind: &str, spec: serde_json::Value) -> Vec<Finding> {
        let object = serde_json::json!({
            "apiVersion": api_version,
            "kind": kind,
            "metadata": {"name": "test", "namespace": "default"},
            "spec": spec,
        });
        let text = serde_json::to_string(&object).unwrap_or_default();
        let (source, problem) = crate::load::decode("test.yaml".into(), text.into_bytes());
        crate::check::run::validate_source(&source, problem)
            .diagnostics
            .into_iter()
            .map(|d| Finding {
                code: d.code,
                level: if d.severity == crate::check::Severity::Error {
                    Level::Error
                } else {
                    Level::Warning
                },
                path: d.path.unwrap_or_default(),
                message: d.message,
                help: d.help,
            })
            .collect()
    }

    /// Whether a finding of `level` at `path` contains `fragment`.
    pub fn has(findings: &[Finding], level: Level, path: &str, fragment: &str) -> bool {
        findings
            .iter()
            .any(|f| f.level == level && f.path == path && f.message.contains(fragment))
    }
}
