//! Gateway analyzers: selectors that match no gateway pod and ports the gateway's Service does
//! not expose (IST0101, IST0162), gateways that claim the same host and port on the same
//! workloads (IST0145), one certificate on several gateways (IST0138), and `credentialName`s
//! with no usable Secret (IST0101, IST0161).

use std::collections::{BTreeMap, HashMap, HashSet};

use super::context::{Context, Typed, Workload};
use super::{Analyzer, Sink};
use crate::model::kube::Protocol;
use crate::model::networking::gateway::ServerTlsSettings;
use crate::model::schema::IntOrString;

fn selector_string(s: &BTreeMap<String, String>) -> String {
    s.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// Path of the selector (its first label) for locating findings.
fn selector_path(s: &BTreeMap<String, String>) -> String {
    match s.keys().next() {
        Some(k) => format!("spec.selector.{k}"),
        None => "spec".to_string(),
    }
}

/// The ports of the ingress gateway Service istioctl assumes when the files hold none.
const DEFAULT_INGRESS_PORTS: &[u32] = &[80, 443, 31400, 15443];

/// Gateway workloads an Istio installation provides, by their `istio` label: the ingress and
/// egress gateways of istioctl's profiles (in the root namespace), the east-west gateway of
/// multi-network installs, and the labels of Istio's Helm `gateway` chart (`istio: ingress`
/// for a release named `istio-ingress`).
const INSTALLED_GATEWAYS: &[&str] = &[
    "ingressgateway",
    "egressgateway",
    "eastwestgateway",
    "ingress",
    "egress",
];

/// Whether `selector` selects a gateway that an Istio installation provides and the input does
/// not contain: meshctl then assumes it exists rather than report every Gateway, unless the
/// input is complete or holds an Istio installation itself (then its gateways are what it has).
pub(crate) fn installed_gateway(cx: &Context<'_>, selector: &BTreeMap<String, String>) -> bool {
    let [(k, v)] = selector.iter().collect::<Vec<_>>()[..] else {
        return false;
    };
    k == "istio"
        && (INSTALLED_GATEWAYS.contains(&v.as_str()) || *v == cx.mesh.ingress_selector)
        && !cx.complete("Pod")
        && !cx.has_istio_installation()
        && cx.select(None, selector).is_empty()
}

/// The namespace of an assumed installation gateway: the root namespace for the profiles'
/// gateways; unknown for the Helm chart's, which is installed wherever its release is.
fn installed_gateway_namespace(
    cx: &Context<'_>,
    selector: &BTreeMap<String, String>,
) -> Option<String> {
    let profile = selector.get("istio").is_some_and(|v| {
        *v == cx.mesh.ingress_selector || v == "ingressgateway" || v == "egressgateway"
    });
    (profile && installed_gateway(cx, selector)).then(|| cx.mesh.root_namespace.clone())
}

pub const INGRESS_PORTS: Analyzer = Analyzer {
    name: "gateway.IngressGatewayPortAnalyzer",
    description: "Checks that a Gateway's selector matches gateway pods and that every server port is exposed by a Service of those pods",
    codes: &["IST0101", "IST0162"],
    run: ingress_ports,
};

fn ingress_ports(cx: &Context<'_>, sink: &mut Sink) {
    if cx.gateways.is_empty() {
        return;
    }
    let mut services_by_ns: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, s) in cx.services.iter().enumerate() {
        services_by_ns
            .entry(cx.obj(s.obj).namespace())
            .or_default()
            .push(i);
    }
    let mut unchecked = 0usize;
    for Typed { obj, spec: gw } in &cx.gateways {
        let default = installed_gateway(cx, &gw.selector);
        // Gateway selectors match pods in every namespace, but gateway pods usually live beside
        // their Gateway: only a namespace whose workloads the input has (or a complete input)
        // can show that no pod matches.
        if !default && !cx.has_workloads(Some(cx.obj(*obj).namespace())) {
            unchecked += 1;
            continue;
        }
        let pods = cx.select(None, &gw.selector);
        if pods.is_empty() && !default {
            sink.push(
                cx.diag(
                    *obj,
                    "IST0101",
                    &selector_path(&gw.selector),
                    format!("Referenced selector not found: {:?}", selector_string(&gw.selector)),
                )
                .with_help("no Pod or workload template in the input has these labels; gateway selectors match pods in every namespace"),
            );
            continue;
        }
        let mut ports: HashSet<u32> = HashSet::new();
        let mut mapped: HashSet<u32> = HashSet::new();
        if default {
            ports.extend(DEFAULT_INGRESS_PORTS);
        }
        for pod in &pods {
            for &si in services_by_ns
                .get(pod.namespace.as_str())
                .into_iter()
                .flatten()
            {
                let svc = &cx.services[si].spec;
                if svc.selector.is_empty()
                    || !svc
                        .selector
                        .iter()
                        .all(|(k, v)| pod.labels.get(k) == Some(v))
                {
                    continue;
                }
                for p in &svc.ports {
                    if p.protocol.is_some_and(|pr| pr != Protocol::Tcp) {
                        continue;
                    }
                    let port = u32::try_from(p.port).unwrap_or(0);
                    match &p.target_port {
                        Some(IntOrString::Int(tp)) if *tp != 0 => {
                            ports.insert(u32::try_from(*tp).unwrap_or(0));
                            mapped.insert(port);
                        }
                        _ => {
                            ports.insert(port);
                        }
                    }
                }
            }
        }
        for (i, server) in gw.servers.iter().enumerate() {
            let Some(n) = server.port.as_ref().and_then(|p| p.number) else {
                continue;
            };
            if !ports.contains(&n) && !mapped.contains(&n) {
                sink.push(
                    cx.diag(
                        *obj,
                        "IST0162",
                        &format!("spec.servers[{i}].port.number"),
                        format!(
                            "The gateway is listening on a target port (port {n}) that is not defined in the Service associated with its workload instances (Pod selector {}). If you need to access the gateway port through the gateway Service, it will not be available.",
                            selector_string(&gw.selector)
                        ),
                    )
                    .with_help("add the port to the gateway's Service (as `port` or `targetPort`), or listen on a port the Service exposes"),
                );
            }
        }
    }
    if unchecked > 0 {
        sink.note(format!(
            "{unchecked} Gateway selector(s) were not checked: the input has no workload in their namespace (--complete checks them)"
        ));
    }
}

pub const CONFLICTING_GATEWAYS: Analyzer = Analyzer {
    name: "gateway.ConflictingGatewayAnalyzer",
    description: "Checks that no two Gateways on the same workloads declare the same host on the same port",
    codes: &["IST0145"],
    run: conflicting_gateways,
};

/// Whether two gateway selectors can select the same pod: equal, or one is contained in the
/// other and some pod in the input carries both.
fn selectors_overlap(
    cx: &Context<'_>,
    a: &BTreeMap<String, String>,
    b: &BTreeMap<String, String>,
) -> bool {
    if a == b {
        return true;
    }
    let compatible = a.iter().all(|(k, v)| b.get(k).is_none_or(|w| w == v));
    if !compatible {
        return false;
    }
    let contained =
        a.iter().all(|(k, v)| b.get(k) == Some(v)) || b.iter().all(|(k, v)| a.get(k) == Some(v));
    if !contained {
        return false;
    }
    let mut union = a.clone();
    union.extend(b.iter().map(|(k, v)| (k.clone(), v.clone())));
    !cx.select(None, &union).is_empty()
}

fn conflicting_gateways(cx: &Context<'_>, sink: &mut Sink) {
    // (port, host, bind) → (gateway index, server index)
    let mut buckets: HashMap<(u32, String, String), Vec<(usize, usize)>> = HashMap::new();
    for (gi, g) in cx.gateways.iter().enumerate() {
        for (si, s) in g.spec.servers.iter().enumerate() {
            let Some(port) = s.port.as_ref().and_then(|p| p.number) else {
                continue;
            };
            for h in &s.hosts {
                buckets
                    .entry((
                        port,
                        h.to_ascii_lowercase(),
                        s.bind.clone().unwrap_or_default(),
                    ))
                    .or_default()
                    .push((gi, si));
            }
        }
    }
    // (gateway, server) → the gateways it conflicts with
    let mut conflicts: BTreeMap<(usize, usize), HashSet<usize>> = BTreeMap::new();
    for list in buckets.values().filter(|l| l.len() > 1) {
        for (x, &(ga, sa)) in list.iter().enumerate() {
            for &(gb, sb) in &list[x + 1..] {
                if ga == gb {
                    continue;
                }
                if selectors_overlap(
                    cx,
                    &cx.gateways[ga].spec.selector,
                    &cx.gateways[gb].spec.selector,
                ) {
                    conflicts.entry((ga, sa)).or_default().insert(gb);
                    conflicts.entry((gb, sb)).or_default().insert(ga);
                }
            }
        }
    }
    for ((gi, si), others) in conflicts {
        let g = &cx.gateways[gi];
        let server = &g.spec.servers[si];
        let mut names: Vec<String> = others
            .iter()
            .map(|&o| cx.obj(cx.gateways[o].obj).key())
            .collect();
        names.sort();
        let port = server.port.as_ref().and_then(|p| p.number).unwrap_or(0);
        sink.push(
            cx.diag(
                g.obj,
                "IST0145",
                &format!("spec.servers[{si}]"),
                format!(
                    "Conflict with gateways {} (workload selector {}, port {port}, hosts {}).",
                    names.join(","),
                    selector_string(&g.spec.selector),
                    server.hosts.join(",")
                ),
            )
            .with_help("only one of the servers takes effect; merge them into one Gateway or give them different hosts or ports"),
        );
    }
}

pub const CERTIFICATES: Analyzer = Analyzer {
    name: "gateway.CertificateAnalyzer",
    description: "Checks that one certificate is not used by several Gateways on the same workloads",
    codes: &["IST0138"],
    run: certificates,
};

fn certificate_key(tls: &ServerTlsSettings) -> Option<String> {
    if let Some(c) = tls.credential_name.as_deref().filter(|c| !c.is_empty()) {
        return Some(format!("credential:{c}"));
    }
    match (
        tls.server_certificate.as_deref(),
        tls.private_key.as_deref(),
    ) {
        (Some(c), Some(k)) if !c.is_empty() && !k.is_empty() => Some(format!("file:{c}:{k}")),
        _ => None,
    }
}

fn certificates(cx: &Context<'_>, sink: &mut Sink) {
    let mut by_cert: HashMap<String, Vec<usize>> = HashMap::new();
    for (gi, g) in cx.gateways.iter().enumerate() {
        let mut keys: Vec<String> = g
            .spec
            .servers
            .iter()
            .filter_map(|s| s.tls.as_deref().and_then(certificate_key))
            .collect();
        keys.sort();
        keys.dedup();
        for k in keys {
            by_cert.entry(k).or_default().push(gi);
        }
    }
    let mut pairs: BTreeMap<usize, HashSet<usize>> = BTreeMap::new();
    for list in by_cert.values().filter(|l| l.len() > 1) {
        for &a in list {
            for &b in list {
                if a == b {
                    continue;
                }
                let (sa, sb) = (&cx.gateways[a].spec.selector, &cx.gateways[b].spec.selector);
                if sa.is_empty() || sa.iter().all(|(k, v)| sb.get(k) == Some(v)) {
                    pairs.entry(a).or_default().insert(b);
                }
            }
        }
    }
    for (a, others) in pairs {
        let g = &cx.gateways[a];
        let mut names: Vec<String> = others
            .iter()
            .map(|&o| cx.obj(cx.gateways[o].obj).key())
            .collect();
        names.push(cx.obj(g.obj).key());
        names.sort();
        sink.push(
            cx.diag(
                g.obj,
                "IST0138",
                "metadata.name",
                format!(
                    "Duplicate certificate in multiple gateways {:?} may cause 404s if HTTP/2 connection coalescing occurs.",
                    names
                ),
            )
            .with_help("give each gateway its own certificate, or merge the servers into one Gateway"),
        );
    }
}

pub const SECRETS: Analyzer = Analyzer {
    name: "gateway.SecretAnalyzer",
    description: "Checks that a Gateway's selector matches gateway pods and that every credentialName names a Secret with a valid certificate and key in their namespace",
    codes: &["IST0101", "IST0161"],
    run: secrets,
};

/// Decodes standard base64 (the encoding of Secret `data`), ignoring whitespace.
fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for c in s.bytes().filter(|c| !c.is_ascii_whitespace()) {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => break,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// What is wrong with a gateway TLS Secret, if anything: the certificate and key keys
/// (`tls.crt`/`tls.key`, or `cert`/`key`) must be present and the certificate must be PEM.
pub(crate) fn secret_problem(secret: &crate::store::Object) -> Option<String> {
    let data = |k: &str| -> Option<Vec<u8>> {
        let node = secret.node();
        if let Some(v) = node
            .get("data")
            .and_then(|d| d.get(k))
            .and_then(|v| v.as_str())
        {
            return Some(base64_decode(v).unwrap_or_default());
        }
        node.get("stringData")
            .and_then(|d| d.get(k))
            .and_then(|v| v.as_str())
            .map(|v| v.as_bytes().to_vec())
    };
    let (cert, key) = match (data("tls.crt"), data("tls.key"), data("cert"), data("key")) {
        (Some(c), Some(k), _, _) | (_, _, Some(c), Some(k)) => (c, k),
        _ => return Some("it has neither tls.crt and tls.key nor cert and key".to_string()),
    };
    if !String::from_utf8_lossy(&cert).contains("-----BEGIN CERTIFICATE-----") {
        return Some("its certificate is not a PEM certificate".to_string());
    }
    if !String::from_utf8_lossy(&key).contains("PRIVATE KEY-----") {
        return Some("its key is not a PEM private key".to_string());
    }
    certificate_problem(&cert)
}

/// What is wrong with the first PEM certificate of `pem`: not X.509, expired, or not yet valid
/// (now, by the clock of the machine running meshctl, as istiod checks when it serves it).
fn certificate_problem(pem: &[u8]) -> Option<String> {
    // The PEM block may be preceded by text (comments, a bundle's other content).
    let start = pem
        .windows(b"-----BEGIN".len())
        .position(|w| w == b"-----BEGIN")
        .unwrap_or(0);
    let block = match x509_parser::pem::parse_x509_pem(pem.get(start..).unwrap_or_default()) {
        Ok((_, block)) => block,
        Err(_) => return Some("its certificate is not a PEM certificate".to_string()),
    };
    let cert = match block.parse_x509() {
        Ok(cert) => cert,
        Err(_) => return Some("its certificate is not a valid X.509 certificate".to_string()),
    };
    let validity = cert.validity();
    if validity.is_valid() {
        return None;
    }
    let now = x509_parser::time::ASN1Time::now();
    Some(if now < validity.not_before {
        format!(
            "its certificate is not valid before {}",
            validity.not_before
        )
    } else {
        format!("its certificate expired on {}", validity.not_after)
    })
}

fn secrets(cx: &Context<'_>, sink: &mut Sink) {
    let uses_credentials = cx.gateways.iter().any(|g| {
        g.spec
            .servers
            .iter()
            .any(|s| s.tls.as_ref().is_some_and(|t| t.credential_name.is_some()))
    });
    let check_credentials = uses_credentials && cx.has("Secret");
    if uses_credentials && !check_credentials {
        sink.note("gateway credentialNames were not checked: the input has no Secret");
    }
    for Typed { obj, spec: gw } in &cx.gateways {
        let pods: Vec<&Workload> = cx.select(None, &gw.selector);
        let gateway_ns = match pods.first() {
            Some(pod) => pod.namespace.clone(),
            None => match installed_gateway_namespace(cx, &gw.selector) {
                Some(ns) => ns,
                None => {
                    // Without gateway pods there is no namespace to find the Secrets in. As
                    // Istio does, say so (with IngressGatewayPortAnalyzer's words, so running
                    // both reports it once), where the input can show it.
                    if !installed_gateway(cx, &gw.selector)
                        && cx.has_workloads(Some(cx.obj(*obj).namespace()))
                    {
                        sink.push(
                            cx.diag(
                                *obj,
                                "IST0101",
                                &selector_path(&gw.selector),
                                format!("Referenced selector not found: {:?}", selector_string(&gw.selector)),
                            )
                            .with_help("no Pod or workload template in the input has these labels; gateway selectors match pods in every namespace"),
                        );
                    }
                    continue;
                }
            },
        };
        if !check_credentials {
            continue;
        }
        for (i, server) in gw.servers.iter().enumerate() {
            let Some(cn) = server
                .tls
                .as_ref()
                .and_then(|t| t.credential_name.as_deref())
                .filter(|c| !c.is_empty())
            else {
                continue;
            };
            let (sns, name) = cn.split_once('/').unwrap_or((gateway_ns.as_str(), cn));
            let path = format!("spec.servers[{i}].tls.credentialName");
            match cx.secret(sns, name) {
                None => sink.push(
                    cx.diag(
                        *obj,
                        "IST0101",
                        &path,
                        format!("Referenced credentialName not found: {cn:?}"),
                    )
                    .with_help(format!(
                        "the Secret must be in the namespace of the gateway pods ({sns})"
                    )),
                ),
                Some(secret) => {
                    if let Some(problem) = secret_problem(secret) {
                        sink.push(
                            cx.diag(
                                *obj,
                                "IST0161",
                                &path,
                                format!(
                                    "The gateway refers to a predefined credential {cn:?} in namespace {sns}, but {problem}."
                                ),
                            )
                            .with_help("a gateway TLS Secret needs tls.crt and tls.key (or cert and key) with a PEM certificate and key"),
                        );
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{p, pairs};
    use super::*;

    const PODS: &str = r#"
apiVersion: apps/v1
kind: Deployment
metadata: {name: ingress, namespace: istio-system}
spec:
  selector: {matchLabels: {istio: ingressgateway}}
  template:
    metadata: {labels: {istio: ingressgateway, app: gw}}
    spec: {containers: [{name: istio-proxy, image: auto}]}
---
apiVersion: v1
kind: Service
metadata: {name: ingress, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  ports:
  - {name: http2, port: 80, targetPort: 8080}
  - {name: https, port: 443}
"#;

    fn gw(name: &str, selector: &str, port: u32, host: &str, tls: &str) -> String {
        format!(
            "---\napiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {{name: {name}, namespace: istio-system}}\nspec:\n  selector: {selector}\n  servers:\n  - port: {{number: {port}, name: p, protocol: HTTPS}}\n    hosts: [\"{host}\"]\n{tls}"
        )
    }

    #[test]
    fn ports_and_selectors() {
        let input = [
            PODS.to_string(),
            gw("ok", "{istio: ingressgateway}", 80, "a.com", ""),
            gw("mapped", "{istio: ingressgateway}", 8080, "b.com", ""),
            gw("bad-port", "{istio: ingressgateway}", 9999, "c.com", ""),
            gw("bad-selector", "{istio: nothing}", 80, "d.com", ""),
        ]
        .concat();
        assert_eq!(
            pairs(&INGRESS_PORTS, &input),
            vec![
                p("IST0101", "Gateway istio-system/bad-selector"),
                p("IST0162", "Gateway istio-system/bad-port"),
            ]
        );
    }

    #[test]
    fn conflicts_and_certificates() {
        let tls = "    tls: {mode: SIMPLE, credentialName: shared}\n";
        let input = [
            PODS.to_string(),
            gw("alpha", "{istio: ingressgateway}", 443, "a.com", tls),
            gw(
                "beta",
                "{istio: ingressgateway, app: gw}",
                443,
                "a.com",
                tls,
            ),
            gw("gamma", "{istio: ingressgateway}", 443, "other.com", ""),
            gw("delta", "{istio: egress}", 443, "a.com", ""),
        ]
        .concat();
        assert_eq!(
            pairs(&CONFLICTING_GATEWAYS, &input),
            vec![
                p("IST0145", "Gateway istio-system/alpha"),
                p("IST0145", "Gateway istio-system/beta"),
            ]
        );
        assert_eq!(
            pairs(&CERTIFICATES, &input),
            vec![p("IST0138", "Gateway istio-system/alpha")]
        );
    }

    // Self-signed test certificates: valid 2024–2124, expired in 2021, valid from 2120.
    const VALID_CERT: &str = "    -----BEGIN CERTIFICATE-----\n    MIIBIDCByKADAgECAhRpoTyv9VkYI+ISqKfGZStLEI9SpTAKBggqhkjOPQQDAjAQ\n    MQ4wDAYDVQQDDAV2YWxpZDAgFw0yNDAxMDEwMDAwMDBaGA8yMTI0MDEwMTAwMDAw\n    MFowEDEOMAwGA1UEAwwFdmFsaWQwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAQN\n    /kjZ7Y+/geOUQQLk4weg85qVzt7q2ld3SFWIKxgYLbtX5UlE5f0EH2k4RWjgRFfn\n    lsu5GFay6Q9N6GMgjGAvMAoGCCqGSM49BAMCA0cAMEQCIHqeoM1moFLxhCTUf06H\n    CbPpmyOtAYmGw/S5BssAm8JQAiAmWRqdvc9AxbBcOc0csoQPcKbmMrkbSWskoCFN\n    N0YzAA==\n    -----END CERTIFICATE-----\n";
    const VALID_KEY: &str = "    -----BEGIN PRIVATE KEY-----\n    MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg9cD9h5l0ecSlFmDH\n    xe6HFhiCfa1BpFWFi35Zezg0i1ihRANCAAQN/kjZ7Y+/geOUQQLk4weg85qVzt7q\n    2ld3SFWIKxgYLbtX5UlE5f0EH2k4RWjgRFfnlsu5GFay6Q9N6GMgjGAv\n    -----END PRIVATE KEY-----\n";
    const EXPIRED_CERT: &str = "    -----BEGIN CERTIFICATE-----\n    MIIBJDCByqADAgECAhQ0bGo2/kV/VhENbACTvXpAOCqreTAKBggqhkjOPQQDAjAS\n    MRAwDgYDVQQDDAdleHBpcmVkMB4XDTIwMDEwMTAwMDAwMFoXDTIxMDEwMTAwMDAw\n    MFowEjEQMA4GA1UEAwwHZXhwaXJlZDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IA\n    BH3AJYiogpoHjWnNRtzA5C0TsbkBKPVgn5nl+2caHGAUNXHGz5g0b8sW1qU6hm3i\n    KWWujBdgNnlhX3CqPhS+m4kwCgYIKoZIzj0EAwIDSQAwRgIhAIiD0NpnqqIuRrTu\n    PcXBlUhWlSl+r8JtYt5Sog4e3gAfAiEA2Bv48VmkWTvJJemx6XkOskTSkYdMtzWu\n    kWlc2AIg9/g=\n    -----END CERTIFICATE-----\n";
    const FUTURE_CERT: &str = "    -----BEGIN CERTIFICATE-----\n    MIIBJDCBzKADAgECAhRATiVOwcL+f3x+S5Co9raSFD5IIjAKBggqhkjOPQQDAjAR\n    MQ8wDQYDVQQDDAZmdXR1cmUwIhgPMjEyMDAxMDEwMDAwMDBaGA8yMTIxMDEwMTAw\n    MDAwMFowETEPMA0GA1UEAwwGZnV0dXJlMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcD\n    QgAE0gRn1vha3qDX5WkiRoECrJO0pu/v8TasQRZwmK9byLFbuorfnukjmjUdyQ6p\n    A8SiklqlXNcyNyMW3xGgAjKpFTAKBggqhkjOPQQDAgNHADBEAiAmx07oo3ycK5Cg\n    djwLNnXjVRvO6jnhKn/5J9XdVMIOgQIgfcSKXiYsQsjySfeTHMHZQTDmUc5w4XZl\n    gK+4wNBrVfk=\n    -----END CERTIFICATE-----\n";

    fn secret(name: &str, cert: &str, key: &str) -> String {
        format!(
            "---\napiVersion: v1\nkind: Secret\nmetadata: {{name: {name}, namespace: istio-system}}\ntype: kubernetes.io/tls\nstringData:\n  tls.crt: |\n{cert}  tls.key: |\n{key}"
        )
    }

    #[test]
    fn credential_secrets() {
        let tls = |c: &str| format!("    tls: {{mode: SIMPLE, credentialName: {c}}}\n");
        let input = [
            PODS.to_string(),
            secret("good", VALID_CERT, VALID_KEY),
            secret("expired", EXPIRED_CERT, VALID_KEY),
            secret("future", FUTURE_CERT, VALID_KEY),
            secret("garbage", "    -----BEGIN CERTIFICATE-----\n    MIIB\n    -----END CERTIFICATE-----\n", VALID_KEY),
            "---\napiVersion: v1\nkind: Secret\nmetadata: {name: empty, namespace: istio-system}\ndata: {other: aGk=}\n".to_string(),
            gw("good", "{istio: ingressgateway}", 443, "a.com", &tls("good")),
            gw("missing", "{istio: ingressgateway}", 443, "b.com", &tls("nope")),
            gw("invalid", "{istio: ingressgateway}", 443, "c.com", &tls("empty")),
            gw("expired", "{istio: ingressgateway}", 443, "d.com", &tls("expired")),
            gw("future", "{istio: ingressgateway}", 443, "e.com", &tls("future")),
            gw("garbage", "{istio: ingressgateway}", 443, "f.com", &tls("garbage")),
        ]
        .concat();
        assert_eq!(
            pairs(&SECRETS, &input),
            vec![
                p("IST0101", "Gateway istio-system/missing"),
                p("IST0161", "Gateway istio-system/expired"),
                p("IST0161", "Gateway istio-system/future"),
                p("IST0161", "Gateway istio-system/garbage"),
                p("IST0161", "Gateway istio-system/invalid"),
            ]
        );
        assert_eq!(base64_decode("aGVsbG8="), Some(b"hello".to_vec()));
        assert_eq!(base64_decode("a$"), None);
    }
}
