//! `extensions.istio.io` WasmPlugin: a WebAssembly filter added to the proxies in scope.
//!
//! The same CRD file also defines `TrafficExtension` (Wasm or Lua, `traffic_extension.proto`),
//! which meshctl does not model yet.

use crate::model::constraints::{PORT_NUMBER, SHA256_OR_EMPTY, TARGET_REFS};
use crate::model::security::{PolicyTargetReference, WorkloadSelector};
use crate::{api_enum, api_struct, crd_object};

api_enum! {
    pub enum PluginType {
        Unspecified = "UNSPECIFIED_PLUGIN_TYPE",
        Http = "HTTP",
        Network = "NETWORK",
    }
}

api_enum! {
    /// Where in the filter chain the plugin is injected.
    pub enum PluginPhase {
        Unspecified = "UNSPECIFIED_PHASE",
        Authn = "AUTHN",
        Authz = "AUTHZ",
        Stats = "STATS",
    }
}

api_enum! {
    pub enum PullPolicy {
        Unspecified = "UNSPECIFIED_POLICY",
        IfNotPresent = "IfNotPresent",
        Always = "Always",
    }
}

api_enum! {
    pub enum FailStrategy {
        FailClose = "FAIL_CLOSE",
        FailOpen = "FAIL_OPEN",
        FailReload = "FAIL_RELOAD",
    }
}

api_enum! {
    /// `istio.type.v1beta1.WorkloadMode`: the traffic direction a plugin applies to.
    pub enum TrafficMode {
        Undefined = "UNDEFINED",
        Client = "CLIENT",
        Server = "SERVER",
        ClientAndServer = "CLIENT_AND_SERVER",
    }
}

api_enum! {
    pub enum EnvValueSource {
        Inline = "INLINE",
        Host = "HOST",
    }
}

api_struct! {
    /// A Wasm module (`url`, optionally pinned by `sha256`) and how to run it.
    pub struct WasmPlugin {
        selector: Option<WorkloadSelector> => "selector",
        target_ref: Option<PolicyTargetReference> => "targetRef",
        target_refs: Option<Vec<PolicyTargetReference>> => "targetRefs" [..TARGET_REFS],
        url: Option<String> => "url" | REQUIRED [min_length: 1],
        sha256: Option<String> => "sha256" [pattern: SHA256_OR_EMPTY],
        image_pull_policy: Option<PullPolicy> => "imagePullPolicy",
        image_pull_secret: Option<String> => "imagePullSecret" [min_length: 1, max_length: 253],
        verification_key: Option<String> => "verificationKey",
        plugin_config: Option<serde_json::Value> => "pluginConfig",
        plugin_name: Option<String> => "pluginName" [min_length: 1, max_length: 256],
        phase: Option<PluginPhase> => "phase",
        priority: Option<i32> => "priority" | NULLABLE,
        fail_strategy: Option<FailStrategy> => "failStrategy",
        vm_config: Option<VmConfig> => "vmConfig",
        r#match: Vec<TrafficSelector> => "match",
        r#type: Option<PluginType> => "type",
    }
}

api_struct! {
    /// The traffic (direction and ports) a plugin applies to.
    pub struct TrafficSelector {
        mode: Option<TrafficMode> => "mode",
        ports: Vec<PortSelector> => "ports",
    }
}

api_struct! {
    /// `istio.type.v1beta1.PortSelector`.
    pub struct PortSelector {
        number: Option<u32> => "number" | REQUIRED [..PORT_NUMBER],
    }
}

api_struct! {
    /// Configuration of the VM the plugin runs in.
    pub struct VmConfig {
        env: Vec<EnvVar> => "env" [max_items: 256],
    }
}

api_struct! {
    /// An environment variable of the plugin VM: an inline value or one copied from the host.
    pub struct EnvVar {
        name: Option<String> => "name" | REQUIRED [min_length: 1, max_length: 256],
        value_from: Option<EnvValueSource> => "valueFrom",
        value: Option<String> => "value" [max_length: 2048],
    }
}

crd_object!(WasmPluginObject, WasmPlugin, REQUIRED);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::schema::{Schema, Ty};

    #[test]
    fn parses_and_requires_spec() {
        let spec: WasmPlugin = serde_json::from_value(serde_json::json!({
            "url": "oci://ghcr.io/x/y:1",
            "pluginConfig": {"a": [1, 2]},
            "vmConfig": {"env": [{"name": "A", "valueFrom": "HOST"}]},
            "match": [{"mode": "SERVER", "ports": [{"number": 80}]}],
            "type": "HTTP",
        }))
        .unwrap();
        assert_eq!(spec.r#type, Some(PluginType::Http));
        assert_eq!(spec.r#match[0].ports[0].number, Some(80));
        let Ty::Struct(desc) = WasmPluginObject::ty() else {
            panic!("not a struct");
        };
        assert!(desc.field("spec").is_some_and(|f| f.required()));
    }
}
