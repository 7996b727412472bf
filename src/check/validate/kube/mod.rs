//! Rules for the Kubernetes built-in kinds: what the API server's validation
//! (`pkg/apis/core/validation`, `pkg/apis/apps/validation`,
//! `pkg/apis/admissionregistration/validation`) rejects in a Service, Pod, workload controller,
//! Namespace, ConfigMap, Secret or webhook configuration, worded as Kubernetes words it
//! ("Required value", "Invalid value", "Duplicate value", "Forbidden", "Not found").
//!
//! Secret values are never echoed: findings about a Secret name its keys only.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::net::IpAddr;
use std::sync::LazyLock;

use regex::Regex;
use serde::de::DeserializeOwned;

use super::codes::*;
use super::{Ctx, Obj};

use crate::load::node::push_key;
use crate::model::kube::*;
use crate::model::schema::IntOrString;

mod config;
mod container;
mod names;
mod pod;
mod quantity;
mod service;
#[cfg(test)]
mod tests;
mod webhook;
mod workload;

use config::*;
use container::*;
use names::*;
pub(super) use names::{check_label_selector_shape, check_object_meta};
use pod::*;
use quantity::*;
use service::*;
use webhook::*;
use workload::*;

pub fn validate(kind: &str, object: Obj<'_>, ctx: &mut Ctx<'_>) {
    check_object_meta(ctx);
    match kind {
        "Service" => with::<ServiceObject>(object, ctx, service),
        "Pod" => with::<PodObject>(object, ctx, pod),
        "Namespace" => with::<NamespaceObject>(object, ctx, namespace),
        "ConfigMap" => with::<ConfigMapObject>(object, ctx, config_map),
        "Secret" => with::<SecretObject>(object, ctx, secret),
        "Deployment" => with::<DeploymentObject>(object, ctx, deployment),
        "StatefulSet" => with::<StatefulSetObject>(object, ctx, stateful_set),
        "DaemonSet" => with::<DaemonSetObject>(object, ctx, daemon_set),
        "ReplicaSet" => with::<ReplicaSetObject>(object, ctx, replica_set),
        "MutatingWebhookConfiguration" => {
            with::<MutatingWebhookConfigurationObject>(object, ctx, |o, ctx| {
                webhooks(&o.webhooks, ctx)
            })
        }
        "ValidatingWebhookConfiguration" => {
            with::<ValidatingWebhookConfigurationObject>(object, ctx, |o, ctx| {
                let hooks: Vec<Webhook> = o.webhooks.iter().cloned().map(Webhook::from).collect();
                webhooks(&hooks, ctx)
            })
        }
        _ => {}
    }
}

/// Decodes the whole object and runs `rule`; the schema walk has already reported anything
/// that keeps the object from decoding.
fn with<T: DeserializeOwned>(object: Obj<'_>, ctx: &mut Ctx<'_>, rule: impl Fn(&T, &mut Ctx<'_>)) {
    if let Ok(typed) = object.decode::<T>() {
        rule(&typed, ctx);
    }
}
