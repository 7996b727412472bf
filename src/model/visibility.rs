//! Who may see a configuration object (`exportTo`), defined once for analysis and routing:
//! Istio's `exportTo` list on VirtualServices, DestinationRules and ServiceEntries, and the
//! `networking.istio.io/exportTo` annotation on Kubernetes Services. Pure semantics, no I/O.

/// The annotation that sets a Kubernetes Service's `exportTo` (comma-separated).
pub const EXPORT_TO_ANNOTATION: &str = "networking.istio.io/exportTo";

/// The namespaces an object is visible to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Visibility {
    /// Every namespace (`*`, or no `exportTo`: the mesh default).
    Public,
    /// These namespaces (sorted, without duplicates, never empty).
    Namespaces(Vec<String>),
    /// No namespace (`~`, or only entries that name none).
    Nobody,
}

impl Visibility {
    /// Resolves an `exportTo` list for an object in `own` namespace: `.` is `own`, `*` every
    /// namespace, `~` no one; entries are trimmed and empty ones name no namespace. An empty
    /// list is the mesh default, `*`.
    pub fn from_export_to<S: AsRef<str>>(list: impl IntoIterator<Item = S>, own: &str) -> Self {
        let mut any = false;
        let mut set: Vec<String> = Vec::new();
        for e in list {
            any = true;
            match e.as_ref().trim() {
                "*" => return Visibility::Public,
                "~" | "" => {}
                "." => set.push(own.to_string()),
                ns => set.push(ns.to_string()),
            }
        }
        if !any {
            return Visibility::Public;
        }
        set.sort();
        set.dedup();
        if set.is_empty() {
            Visibility::Nobody
        } else {
            Visibility::Namespaces(set)
        }
    }

    /// The visibility of a Kubernetes Service in `own` from its annotations' value of
    /// [`EXPORT_TO_ANNOTATION`] (`None`: not annotated, visible everywhere).
    pub fn from_annotation(value: Option<&str>, own: &str) -> Self {
        match value {
            Some(v) => Visibility::from_export_to(v.split(','), own),
            None => Visibility::Public,
        }
    }

    pub fn visible_to(&self, ns: &str) -> bool {
        match self {
            Visibility::Public => true,
            Visibility::Namespaces(set) => set.iter().any(|n| n == ns),
            Visibility::Nobody => false,
        }
    }

    /// Whether some namespace could see both (a public object overlaps everything).
    pub fn overlaps(&self, other: &Visibility) -> bool {
        match (self, other) {
            (Visibility::Public, _) | (_, Visibility::Public) => true,
            (Visibility::Namespaces(a), Visibility::Namespaces(b)) => {
                a.iter().any(|n| b.contains(n))
            }
            _ => false,
        }
    }

    /// Istio's selection order for a proxy in `ns` of an object in `own`: 0 private to its own
    /// namespace, 1 exported to it by name, 2 public; `None` when not visible.
    pub fn rank(&self, own: &str, ns: &str) -> Option<u8> {
        match self {
            Visibility::Public => Some(2),
            Visibility::Namespaces(set) if own == ns && set.len() == 1 && set[0] == ns => Some(0),
            Visibility::Namespaces(set) if set.iter().any(|n| n == ns) => Some(1),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_to_lists() {
        let v = Visibility::from_export_to([".", "web", " web "], "shop");
        assert_eq!(
            v,
            Visibility::Namespaces(vec!["shop".to_string(), "web".to_string()])
        );
        assert!(v.visible_to("shop") && v.visible_to("web") && !v.visible_to("other"));
        assert_eq!(
            Visibility::from_export_to(Vec::<String>::new(), "x"),
            Visibility::Public
        );
        assert_eq!(Visibility::from_export_to(["~"], "x"), Visibility::Nobody);
        assert_eq!(
            Visibility::from_export_to(["a", "*"], "x"),
            Visibility::Public
        );
        assert!(!Visibility::Nobody.visible_to("x"));
    }

    #[test]
    fn service_annotations() {
        assert_eq!(Visibility::from_annotation(None, "x"), Visibility::Public);
        assert_eq!(
            Visibility::from_annotation(Some("., web"), "x"),
            Visibility::Namespaces(vec!["web".to_string(), "x".to_string()])
        );
        // An empty annotation names no namespace: the Service is visible to none.
        assert_eq!(
            Visibility::from_annotation(Some(""), "x"),
            Visibility::Nobody
        );
    }

    #[test]
    fn overlap_and_rank() {
        let a = Visibility::from_export_to(["a", "b"], "a");
        let b = Visibility::from_export_to(["b"], "c");
        let c = Visibility::from_export_to(["c"], "c");
        assert!(a.overlaps(&b) && !a.overlaps(&c));
        assert!(Visibility::Public.overlaps(&Visibility::Nobody));
        assert!(!Visibility::Nobody.overlaps(&c));
        let own = Visibility::from_export_to(["."], "app");
        assert_eq!(own.rank("app", "app"), Some(0));
        assert_eq!(own.rank("app", "istio-system"), None);
        assert_eq!(
            Visibility::from_export_to(["istio-system"], "app").rank("app", "istio-system"),
            Some(1)
        );
        assert_eq!(Visibility::Public.rank("x", "y"), Some(2));
    }
}
