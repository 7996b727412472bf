//! Kubernetes object metadata shared by every kind.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::api_struct;

api_struct! {
    /// `metadata` of any Kubernetes object.
    pub struct ObjectMeta {
        name: Option<String> => "name",
        generate_name: Option<String> => "generateName",
        namespace: Option<String> => "namespace",
        labels: BTreeMap<String, String> => "labels",
        annotations: BTreeMap<String, String> => "annotations",
        uid: Option<String> => "uid",
        resource_version: Option<String> => "resourceVersion",
        generation: Option<i64> => "generation",
        creation_timestamp: Option<Box<Value>> => "creationTimestamp" | NULLABLE,
        deletion_timestamp: Option<Box<Value>> => "deletionTimestamp" | NULLABLE,
        deletion_grace_period_seconds: Option<i64> => "deletionGracePeriodSeconds",
        owner_references: Vec<Value> => "ownerReferences",
        finalizers: Vec<String> => "finalizers",
        managed_fields: Vec<Value> => "managedFields",
        self_link: Option<String> => "selfLink",
    }
}

/// Declares the full object type of an Istio custom resource: the envelope (`apiVersion`, `kind`,
/// `metadata`, `status`) around a typed `spec`. Flags after the spec type apply to `spec`.
#[macro_export]
macro_rules! crd_object {
    ($(#[$m:meta])* $name:ident, $spec:ty $(, $flag:ident)*) => {
        $crate::api_struct! {
            $(#[$m])*
            pub struct $name {
                api_version: String => "apiVersion",
                kind: String => "kind",
                metadata: $crate::model::meta::ObjectMeta => "metadata",
                spec: Option<$spec> => "spec" $(| $flag)*,
                status: Option<serde_json::Value> => "status",
            }
        }
    };
}
