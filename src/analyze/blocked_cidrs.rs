//! JWKS fetching without limits (IST0175): RequestAuthentications make istiod fetch JWKS URIs;
//! without `BLOCKED_CIDRS_IN_JWKS_URIS` on istiod a policy author can make istiod fetch from any
//! address, internal ones included.

use super::context::Context;
use super::{Analyzer, Sink};
use crate::store::kinds::Kind;

pub const BLOCKED_CIDRS: Analyzer = Analyzer {
    name: "authn.BlockedCIDRsAnalyzer",
    description: "Checks that istiod sets BLOCKED_CIDRS_IN_JWKS_URIS when RequestAuthentications exist",
    codes: &["IST0175"],
    run: blocked_cidrs,
};

fn blocked_cidrs(cx: &Context<'_>, sink: &mut Sink) {
    let names: Vec<String> = cx
        .request_authentications
        .iter()
        .map(|r| cx.obj(r.obj).key())
        .collect();
    if names.is_empty() {
        return;
    }
    let shown = if names.len() <= 5 {
        names.join(", ")
    } else {
        format!(
            "{}, and {} more",
            names.iter().take(5).cloned().collect::<Vec<_>>().join(", "),
            names.len() - 5
        )
    };
    for (i, o) in cx.set.objects.iter().enumerate() {
        if o.kind_of() != Kind::Deployment
            || o.meta.labels.get("app").map(String::as_str) != Some("istiod")
        {
            continue;
        }
        let set = o.pod_spec().is_some_and(|p| {
            p.containers.iter().any(|c| {
                c.env.iter().any(|e| {
                    e.name == "BLOCKED_CIDRS_IN_JWKS_URIS"
                        && e.value.as_deref().is_some_and(|v| !v.is_empty())
                })
            })
        });
        if !set {
            sink.push(
                cx.diag(i, "IST0175", "spec.template.spec.containers", format!(
                    "{} RequestAuthentication resource(s) ({shown}) have JWKS URIs that istiod fetches, but BLOCKED_CIDRS_IN_JWKS_URIS is not set on istiod, so JWKS fetches may reach any address, internal ones included.",
                    names.len()
                ))
                .with_help("set the BLOCKED_CIDRS_IN_JWKS_URIS environment variable of istiod to the CIDRs it must not fetch from (for example 169.254.169.254/32,10.0.0.0/8)"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{p, pairs};
    use super::*;

    #[test]
    fn istiod_without_blocked_cidrs() {
        let istiod = |env: &str| {
            format!(
                r#"
apiVersion: apps/v1
kind: Deployment
metadata: {{name: istiod, namespace: istio-system, labels: {{app: istiod}}}}
spec:
  selector: {{matchLabels: {{app: istiod}}}}
  template:
    metadata: {{labels: {{app: istiod}}}}
    spec: {{containers: [{{name: discovery, image: pilot, env: [{env}]}}]}}
"#
            )
        };
        let ra = "---\napiVersion: security.istio.io/v1\nkind: RequestAuthentication\nmetadata: {name: jwt, namespace: ns}\nspec: {jwtRules: [{issuer: x, jwksUri: 'https://x/jwks'}]}\n";
        assert_eq!(
            pairs(
                &BLOCKED_CIDRS,
                &format!("{}{ra}", istiod("{name: A, value: b}"))
            ),
            vec![p("IST0175", "Deployment istio-system/istiod")]
        );
        let set = istiod("{name: BLOCKED_CIDRS_IN_JWKS_URIS, value: 10.0.0.0/8}");
        assert!(pairs(&BLOCKED_CIDRS, &format!("{set}{ra}")).is_empty());
        assert!(pairs(&BLOCKED_CIDRS, &istiod("{name: A, value: b}")).is_empty());
    }
}
