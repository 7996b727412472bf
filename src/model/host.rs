//! Host names the way Istio reads them, defined once for validation, analysis, routing and
//! diff: the mesh domain, short-name qualification (`ResolveShortnameToFQDN`), the FQDN of a
//! Kubernetes Service and its namespace, and the host algebra of Istio's `host.Name`
//! (`SubsetOf`, `Matches`) with wildcards. Pure functions, no I/O.

/// The DNS domain Kubernetes services live under (Istio's default trust and mesh domain).
pub const DEFAULT_DOMAIN: &str = "cluster.local";

/// Qualifies a short service name relative to `namespace` (istio `ResolveShortnameToFQDN`, for
/// hosts in VirtualServices, DestinationRules, ServiceEntries): `reviews` →
/// `reviews.<ns>.svc.<domain>`. `*`, IP addresses and names that contain a dot are left alone.
pub fn qualify(host: &str, namespace: &str, domain: &str) -> String {
    if host == "*" || host.contains('.') || host.parse::<std::net::IpAddr>().is_ok() {
        host.to_string()
    } else {
        service_fqdn(host, namespace, domain)
    }
}

/// The host of Kubernetes Service `name` in `namespace`: `name.<ns>.svc.<domain>`.
pub fn service_fqdn(name: &str, namespace: &str, domain: &str) -> String {
    format!("{name}.{namespace}.svc.{domain}")
}

/// The namespace of a Kubernetes service host `name.ns.svc.<domain>` (`None` for any other
/// host).
pub fn cluster_namespace<'h>(fqdn: &'h str, domain: &str) -> Option<&'h str> {
    let name_ns = fqdn.strip_suffix(domain)?.strip_suffix(".svc.")?;
    let (_, ns) = name_ns.rsplit_once('.')?;
    (!ns.is_empty()).then_some(ns)
}

/// istio `host.Name.SubsetOf` (case-sensitive): every host `n` matches, `o` matches too.
/// `*.example.com` is a subset of `*.com` and of `*`; a concrete host is a subset of a
/// wildcard with its suffix.
pub fn subset_of(n: &str, o: &str) -> bool {
    match (n.strip_prefix('*'), o.strip_prefix('*')) {
        (Some(ns), Some(os)) => ns.ends_with(os),
        (Some(_), None) => false,
        (None, Some(os)) => n.ends_with(os),
        (None, None) => n == o,
    }
}

/// istio `host.Name.Matches` (case-sensitive): the two names overlap, either may be a
/// wildcard.
pub fn matches(n: &str, o: &str) -> bool {
    subset_of(n, o) || subset_of(o, n)
}

/// Whether `pattern` (possibly `*` or `*.suffix`) covers the concrete or wildcard host `host`:
/// [`subset_of`] with the arguments the other way round, where a concrete `pattern` compares
/// ignoring ASCII case, and a wildcard needs at least one more label than its suffix
/// (`*.example.com` does not cover `.example.com`).
pub fn wildcard_matches(pattern: &str, host: &str) -> bool {
    if pattern == "*" {
        return true;
    }
    if !pattern.starts_with('*') {
        return pattern.eq_ignore_ascii_case(host);
    }
    subset_of(host, pattern) && (host.starts_with('*') || host.len() >= pattern.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qualification() {
        assert_eq!(
            qualify("reviews", "default", DEFAULT_DOMAIN),
            "reviews.default.svc.cluster.local"
        );
        assert_eq!(qualify("a.b", "default", DEFAULT_DOMAIN), "a.b");
        assert_eq!(qualify("*", "default", DEFAULT_DOMAIN), "*");
        assert_eq!(qualify("10.0.0.1", "default", DEFAULT_DOMAIN), "10.0.0.1");
        assert_eq!(qualify("::1", "default", DEFAULT_DOMAIN), "::1");
        assert_eq!(
            qualify("reviews", "prod", "example.org"),
            "reviews.prod.svc.example.org"
        );
    }

    #[test]
    fn cluster_namespaces() {
        let ns = |h| cluster_namespace(h, DEFAULT_DOMAIN);
        assert_eq!(ns("reviews.shop.svc.cluster.local"), Some("shop"));
        assert_eq!(ns("a.b.shop.svc.cluster.local"), Some("shop"));
        assert_eq!(ns("api.example.com"), None);
        assert_eq!(ns("svc.cluster.local"), None);
        assert_eq!(ns("a..svc.cluster.local"), None);
    }

    #[test]
    fn subsets_and_overlap() {
        assert!(subset_of("a.example.com", "*.example.com"));
        assert!(!subset_of("example.com", "*.example.com"));
        assert!(subset_of("*.a.example.com", "*.example.com"));
        assert!(!subset_of("*.example.com", "*.a.example.com"));
        assert!(subset_of("anything", "*"));
        assert!(subset_of("*.x", "*"));
        assert!(!subset_of("*", "a.com"));
        assert!(matches("*.com", "a.com") && matches("a.com", "*.com"));
        assert!(matches("*.a.com", "*.com") && matches("*.com", "*.a.com"));
        assert!(!matches("a.com", "b.com"));
        assert!(!matches("*.a.com", "*.b.com"));
        assert!(!matches("A.com", "a.com"));
    }

    #[test]
    fn wildcards() {
        assert!(wildcard_matches("*", "anything.com"));
        assert!(wildcard_matches("*", ""));
        assert!(wildcard_matches("*.example.com", "a.example.com"));
        assert!(wildcard_matches("*.example.com", "*.a.example.com"));
        assert!(wildcard_matches("*.example.com", "*.example.com"));
        assert!(!wildcard_matches("*.example.com", "example.com"));
        assert!(!wildcard_matches("*.example.com", ".example.com"));
        assert!(wildcard_matches("Example.com", "example.com"));
        assert!(!wildcard_matches("a.com", "b.com"));
    }
}
