//! Telemetry tracing through a Lightstep extension provider (IST0002): the provider type is
//! deprecated in favour of OpenTelemetry.

use serde_json::Value;

use super::context::Context;
use super::{Analyzer, Sink};

pub const LIGHTSTEP: Analyzer = Analyzer {
    name: "telemetry.LightstepAnalyzer",
    description: "Checks for Telemetry tracing through a (deprecated) Lightstep extension provider of MeshConfig",
    codes: &["IST0002"],
    run: lightstep,
};

fn lightstep(cx: &Context<'_>, sink: &mut Sink) {
    let names = &cx.mesh.lightstep_providers;
    if names.is_empty() {
        return;
    }
    for t in &cx.telemetries {
        let spec = cx
            .obj(t.obj)
            .node()
            .get("spec")
            .map(|s| s.to_json())
            .unwrap_or(Value::Null);
        for (i, tracing) in spec
            .get("tracing")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            for (j, p) in tracing
                .get("providers")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                let Some(name) = p.get("name").and_then(Value::as_str) else {
                    continue;
                };
                if names.iter().any(|n| n == name) {
                    sink.push(
                        cx.diag(t.obj, "IST0002", &format!("spec.tracing[{i}].providers[{j}].name"), format!(
                            "Deprecated: The Lightstep provider {name} is deprecated, please migrate to OpenTelemetry provider."
                        ))
                        .with_help("define an opentelemetry extension provider in MeshConfig and trace through it"),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{p, pairs_with};
    use super::*;
    use crate::analyze::MeshConfig;

    #[test]
    fn lightstep_tracing() {
        let mesh = MeshConfig::from_text(
            "extensionProviders:\n- name: ls\n  lightstep: {service: x, port: 443}\n- name: otel\n  opentelemetry: {service: y, port: 4317}\n",
        )
        .unwrap_or_default();
        let input = r#"
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata: {name: t, namespace: istio-system}
spec: {tracing: [{providers: [{name: ls}, {name: otel}]}]}
"#;
        assert_eq!(
            pairs_with(&LIGHTSTEP, input, &mesh),
            vec![p("IST0002", "Telemetry istio-system/t")]
        );
        assert!(pairs_with(&LIGHTSTEP, input, &MeshConfig::default()).is_empty());
    }
}
