//! Host-name helpers shared by validation, analysis and routing: wildcard matching and
//! short-name qualification the way Istio resolves them.

/// Qualifies a short service name relative to `namespace`, as Istio does for hosts in
/// VirtualServices and DestinationRules: `reviews` → `reviews.<ns>.svc.<domain>`. Names that
/// contain a dot, and wildcards, are left alone.
pub fn qualify(host: &str, namespace: &str, domain: &str) -> String {
    if host.contains('.') || host.starts_with('*') {
        host.to_string()
    } else {
        format!("{host}.{namespace}.svc.{domain}")
    }
}

/// Whether `pattern` (possibly `*` or `*.suffix`) matches the concrete or wildcard host `host`.
/// A wildcard pattern matches hosts with the same suffix and at least one more label, and a
/// wildcard host that is at least as narrow.
pub fn wildcard_matches(pattern: &str, host: &str) -> bool {
    if pattern == "*" {
        return true;
    }
    match pattern.strip_prefix('*') {
        Some(suffix) => match host.strip_prefix('*') {
            Some(host_suffix) => host_suffix.ends_with(suffix),
            None => host.len() > suffix.len() && host.ends_with(suffix),
        },
        None => pattern.eq_ignore_ascii_case(host),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qualification() {
        assert_eq!(
            qualify("reviews", "default", "cluster.local"),
            "reviews.default.svc.cluster.local"
        );
        assert_eq!(qualify("a.b", "default", "cluster.local"), "a.b");
        assert_eq!(qualify("*", "default", "cluster.local"), "*");
    }

    #[test]
    fn wildcards() {
        assert!(wildcard_matches("*", "anything.com"));
        assert!(wildcard_matches("*.example.com", "a.example.com"));
        assert!(wildcard_matches("*.example.com", "*.a.example.com"));
        assert!(wildcard_matches("*.example.com", "*.example.com"));
        assert!(!wildcard_matches("*.example.com", "example.com"));
        assert!(wildcard_matches("Example.com", "example.com"));
        assert!(!wildcard_matches("a.com", "b.com"));
    }
}
