//! `networking.istio.io` ServiceEntry: adds entries (external or mesh-internal services) to
//! Istio's internal service registry.

use crate::model::networking::sidecar::WorkloadSelector;
use crate::model::networking::workload::WorkloadEntry;
use crate::{api_enum, api_struct};

api_enum! {
    /// Whether the service is part of the mesh (mTLS, sidecar-managed) or outside of it.
    pub enum Location {
        MeshExternal = "MESH_EXTERNAL",
        MeshInternal = "MESH_INTERNAL",
    }
}

api_enum! {
    /// How the proxy resolves the IP addresses of the hosts' endpoints.
    pub enum Resolution {
        None = "NONE",
        Static = "STATIC",
        Dns = "DNS",
        DnsRoundRobin = "DNS_ROUND_ROBIN",
        DynamicDns = "DYNAMIC_DNS",
    }
}

api_struct! {
    /// Describes a service that is added to the mesh's service registry.
    pub struct ServiceEntry {
        hosts: Option<Vec<String>> => "hosts" | REQUIRED [min_items: 1, max_items: 256],
        addresses: Vec<String> => "addresses" [max_items: 256, items: [max_length: 64]],
        ports: Vec<ServicePort> => "ports" [max_items: 256],
        location: Option<Location> => "location",
        resolution: Option<Resolution> => "resolution",
        endpoints: Vec<WorkloadEntry> => "endpoints" [max_items: 4096],
        workload_selector: Option<WorkloadSelector> => "workloadSelector",
        export_to: Vec<String> => "exportTo",
        subject_alt_names: Vec<String> => "subjectAltNames",
    }
}

impl ServiceEntry {
    /// The hosts (`hosts` is kept optional in the model only to tell an absent list, which the
    /// schema walker reports as missing, from an empty one).
    pub fn hosts(&self) -> &[String] {
        self.hosts.as_deref().unwrap_or_default()
    }

    /// The resolution mode, with protobuf's default (`NONE`) when unset.
    pub fn resolution(&self) -> Resolution {
        self.resolution.unwrap_or_default()
    }

    /// The location, with protobuf's default (`MESH_EXTERNAL`) when unset.
    pub fn location(&self) -> Location {
        self.location.unwrap_or_default()
    }
}

api_struct! {
    /// A port of the service described by a ServiceEntry.
    pub struct ServicePort {
        number: Option<u32> => "number" | REQUIRED,
        protocol: Option<String> => "protocol" [max_length: 256],
        name: Option<String> => "name" | REQUIRED [max_length: 256],
        target_port: Option<u32> => "targetPort",
    }
}
