//! `networking.istio.io` EnvoyFilter: patches applied to the Envoy configuration Istio
//! generates.

use std::collections::BTreeMap;

use crate::model::constraints::{OBJECT_NAME, REF_GROUP, REF_KIND, SELECTOR_LABELS, TARGET_REFS};
use crate::{api_enum, api_struct};

api_struct! {
    /// A set of patches to the generated Envoy configuration of the selected proxies.
    pub struct EnvoyFilter {
        workload_selector: Option<EnvoyFilterWorkloadSelector> => "workloadSelector",
        target_refs: Vec<PolicyTargetReference> => "targetRefs" [..TARGET_REFS],
        config_patches: Vec<EnvoyConfigObjectPatch> => "configPatches",
        priority: Option<i32> => "priority",
    }
}

api_struct! {
    /// `networking.istio.io` WorkloadSelector: the proxies the patches apply to, by labels.
    pub struct EnvoyFilterWorkloadSelector {
        labels: BTreeMap<String, String> => "labels" [..SELECTOR_LABELS],
    }
}

api_struct! {
    /// `istio.type.v1beta1.PolicyTargetReference`: a resource a policy attaches to.
    pub struct PolicyTargetReference {
        group: Option<String> => "group" [..REF_GROUP],
        kind: Option<String> => "kind" | REQUIRED [..REF_KIND],
        name: Option<String> => "name" | REQUIRED [..OBJECT_NAME],
        namespace: Option<String> => "namespace",
    }
}

api_enum! {
    /// The kind of Envoy configuration object a patch applies to.
    pub enum ApplyTo {
        Invalid = "INVALID",
        Listener = "LISTENER",
        FilterChain = "FILTER_CHAIN",
        NetworkFilter = "NETWORK_FILTER",
        HttpFilter = "HTTP_FILTER",
        RouteConfiguration = "ROUTE_CONFIGURATION",
        VirtualHost = "VIRTUAL_HOST",
        HttpRoute = "HTTP_ROUTE",
        Cluster = "CLUSTER",
        ExtensionConfig = "EXTENSION_CONFIG",
        Bootstrap = "BOOTSTRAP",
        ListenerFilter = "LISTENER_FILTER",
    }
}

api_enum! {
    /// The configuration generation context a patch matches on.
    pub enum PatchContext {
        Any = "ANY",
        SidecarInbound = "SIDECAR_INBOUND",
        SidecarOutbound = "SIDECAR_OUTBOUND",
        Gateway = "GATEWAY",
        Waypoint = "WAYPOINT",
    }
}

api_enum! {
    /// How a patch is applied.
    pub enum Operation {
        Invalid = "INVALID",
        Merge = "MERGE",
        Add = "ADD",
        Remove = "REMOVE",
        InsertBefore = "INSERT_BEFORE",
        InsertAfter = "INSERT_AFTER",
        InsertFirst = "INSERT_FIRST",
        Replace = "REPLACE",
        MergeAndReplaceList = "MERGE_AND_REPLACE_LIST",
    }
}

api_enum! {
    /// Where an inserted HTTP filter goes relative to Istio's own filters.
    pub enum FilterClass {
        Unspecified = "UNSPECIFIED",
        Authn = "AUTHN",
        Authz = "AUTHZ",
        Stats = "STATS",
    }
}

api_enum! {
    /// The action of a route to match on.
    pub enum RouteAction {
        Any = "ANY",
        Route = "ROUTE",
        Redirect = "REDIRECT",
        DirectResponse = "DIRECT_RESPONSE",
    }
}

api_struct! {
    /// One patch: what it applies to, where, and how.
    pub struct EnvoyConfigObjectPatch {
        apply_to: Option<ApplyTo> => "applyTo",
        r#match: Option<EnvoyConfigObjectMatch> => "match",
        patch: Option<Patch> => "patch",
    }
}

api_struct! {
    /// The conditions an Envoy configuration object must meet for a patch to apply.
    pub struct EnvoyConfigObjectMatch oneof [["listener", "routeConfiguration", "cluster", "waypoint"]] {
        context: Option<PatchContext> => "context",
        proxy: Option<ProxyMatch> => "proxy",
        listener: Option<ListenerMatch> => "listener",
        route_configuration: Option<RouteConfigurationMatch> => "routeConfiguration",
        cluster: Option<ClusterMatch> => "cluster",
        waypoint: Option<WaypointMatch> => "waypoint",
    }
}

impl EnvoyConfigObjectMatch {
    /// Whether one member of the `object_types` oneof is set.
    pub fn has_object_types(&self) -> bool {
        self.listener.is_some()
            || self.route_configuration.is_some()
            || self.cluster.is_some()
            || self.waypoint.is_some()
    }
}

api_struct! {
    pub struct ProxyMatch {
        proxy_version: Option<String> => "proxyVersion",
        metadata: BTreeMap<String, String> => "metadata",
    }
}

api_struct! {
    pub struct ClusterMatch {
        port_number: Option<u32> => "portNumber",
        service: Option<String> => "service",
        subset: Option<String> => "subset",
        name: Option<String> => "name",
    }
}

api_struct! {
    pub struct RouteConfigurationMatch {
        port_number: Option<u32> => "portNumber",
        port_name: Option<String> => "portName",
        gateway: Option<String> => "gateway",
        vhost: Option<VirtualHostMatch> => "vhost",
        name: Option<String> => "name",
    }
}

api_struct! {
    pub struct VirtualHostMatch {
        name: Option<String> => "name",
        domain_name: Option<String> => "domainName",
        route: Option<RouteMatch> => "route",
    }
}

api_struct! {
    pub struct RouteMatch {
        name: Option<String> => "name",
        action: Option<RouteAction> => "action",
    }
}

api_struct! {
    pub struct ListenerMatch {
        port_number: Option<u32> => "portNumber",
        port_name: Option<String> => "portName",
        filter_chain: Option<FilterChainMatch> => "filterChain",
        listener_filter: Option<String> => "listenerFilter",
        name: Option<String> => "name",
    }
}

api_struct! {
    pub struct FilterChainMatch {
        name: Option<String> => "name",
        sni: Option<String> => "sni",
        transport_protocol: Option<String> => "transportProtocol",
        application_protocols: Option<String> => "applicationProtocols",
        filter: Option<FilterMatch> => "filter",
        destination_port: Option<u32> => "destinationPort",
        transport_socket: Option<String> => "transportSocket",
    }
}

api_struct! {
    pub struct FilterMatch {
        name: Option<String> => "name",
        sub_filter: Option<SubFilterMatch> => "subFilter",
    }
}

api_struct! {
    pub struct SubFilterMatch {
        name: Option<String> => "name",
    }
}

api_struct! {
    /// Match conditions for waypoint proxies (only with `context: WAYPOINT`).
    pub struct WaypointMatch {
        port_number: Option<u32> => "portNumber",
        route: Option<WaypointRouteMatch> => "route",
        filter: Option<FilterMatch> => "filter",
    }
}

api_struct! {
    pub struct WaypointRouteMatch {
        name: Option<String> => "name",
    }
}

api_struct! {
    /// The patch itself: an operation and, except for REMOVE, the value to apply.
    pub struct Patch {
        operation: Option<Operation> => "operation",
        value: Option<serde_json::Value> => "value",
        filter_class: Option<FilterClass> => "filterClass",
    }
}
