//! `networking.istio.io` ProxyConfig (v1beta1): per-workload proxy settings.

use std::collections::BTreeMap;

use crate::api_struct;
use crate::model::constraints::MATCH_LABELS;

api_struct! {
    /// Proxy-level settings for the workloads that `selector` picks (the whole namespace, or
    /// the whole mesh in the root namespace, when it is absent).
    pub struct ProxyConfig {
        selector: Option<MatchLabelsSelector> => "selector",
        concurrency: Option<i32> => "concurrency" | NULLABLE [minimum: 0],
        environment_variables: BTreeMap<String, String> => "environmentVariables" [items: [max_length: 2048]],
        image: Option<ProxyImage> => "image",
    }
}

api_struct! {
    /// `istio.type.v1beta1.WorkloadSelector`: selects workloads by their labels.
    pub struct MatchLabelsSelector {
        match_labels: BTreeMap<String, String> => "matchLabels" [..MATCH_LABELS],
    }
}

api_struct! {
    /// The proxy image variant (`default`, `debug`, `distroless`, ...).
    pub struct ProxyImage {
        image_type: Option<String> => "imageType",
    }
}
