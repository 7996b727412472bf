//! The identity of every admission rule: a code from the catalogue (`check::catalog`) and its
//! default level. Rules report through [`super::Ctx`] naming one of these constants, so every
//! finding of `validate` carries the code a user can look up (`meshctl explain CODE`), suppress
//! or configure. A code stands for a rule as a user thinks of it ("VirtualService route
//! weights"), not for one call site; each has its page in `docs/rules/CODE.md`.
//!
//! Ranges: MSH1015 CRD field constraints, MSH12xx Istio networking kinds, MSH13xx Istio security,
//! telemetry and extensions kinds, MSH14xx Kubernetes built-in kinds, MSH15xx Gateway API.
//! MSH1100 and MSH1101 are retired as reported codes and live on as aliases (see [`ALIASES`]).

use super::Level;

/// An admission rule's code and default level. Only this module makes them, so a finding cannot
/// be reported without a catalogued code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    code: &'static str,
    level: Level,
}

impl Rule {
    pub fn code(self) -> &'static str {
        self.code
    }

    pub fn level(self) -> Level {
        self.level
    }
}

macro_rules! rules {
    ($($name:ident = $code:literal $level:ident;)*) => {
        $(pub const $name: Rule = Rule { code: $code, level: Level::$level };)*
        /// Every admission rule, in code order.
        pub const ALL: &[Rule] = &[$($name),*];
    };
}

rules! {
    FIELD_CONSTRAINT = "MSH1015" Error;
    ISTIO_RESERVED_ANNOTATION = "MSH1200" Error;
    VS_HOSTS = "MSH1201" Error;
    VS_GATEWAYS = "MSH1202" Error;
    VS_LEGACY_GATEWAY_NAME = "MSH1203" Warning;
    VS_STRUCTURE = "MSH1204" Error;
    VS_MATCH = "MSH1205" Error;
    VS_HEADERS = "MSH1206" Error;
    VS_CORS = "MSH1207" Error;
    VS_FAULT = "MSH1208" Error;
    VS_FAULT_ABORT_TYPE = "MSH1209" Warning;
    VS_MIRROR = "MSH1210" Error;
    VS_MIRROR_PERCENT_DEPRECATED = "MSH1211" Warning;
    VS_DESTINATION = "MSH1212" Error;
    VS_WEIGHTS = "MSH1213" Error;
    VS_REDIRECT_REWRITE = "MSH1214" Error;
    VS_DIRECT_RESPONSE = "MSH1215" Error;
    VS_DIRECT_RESPONSE_LARGE = "MSH1216" Warning;
    VS_RETRIES = "MSH1217" Error;
    VS_TIMEOUT = "MSH1218" Error;
    VS_TLS_ROUTE = "MSH1219" Error;
    VS_SNI_IP = "MSH1220" Warning;
    VS_TCP_ROUTE = "MSH1221" Error;
    EXPORT_TO = "MSH1222" Error;
    VS_UNREACHABLE_RULE = "MSH1223" Warning;
    VS_INEFFECTIVE_MATCH = "MSH1224" Warning;
    GW_SERVERS = "MSH1230" Error;
    GW_SERVER_HOSTS = "MSH1231" Error;
    GW_SERVER_PORTS = "MSH1232" Error;
    GW_TLS = "MSH1233" Error;
    GW_TLS_WARNING = "MSH1234" Warning;
    DR_HOST = "MSH1240" Error;
    DR_SUBSETS = "MSH1241" Error;
    DR_TRAFFIC_POLICY = "MSH1242" Error;
    DR_OUTLIER_DETECTION = "MSH1243" Error;
    DR_DEPRECATED_FIELD = "MSH1244" Warning;
    DR_CONNECTION_POOL = "MSH1245" Error;
    DR_LOAD_BALANCER = "MSH1246" Error;
    DR_LOCALITY_LB = "MSH1247" Error;
    DR_FAILOVER_WITHOUT_OUTLIER = "MSH1248" Warning;
    DR_TLS = "MSH1249" Error;
    SIDECAR_INGRESS = "MSH1260" Error;
    SIDECAR_EGRESS = "MSH1261" Error;
    SIDECAR_EGRESS_WARNING = "MSH1262" Warning;
    SIDECAR_OUTBOUND_POLICY = "MSH1263" Error;
    SIDECAR_INGRESS_WARNING = "MSH1264" Warning;
    SE_HOSTS = "MSH1270" Error;
    SE_HOSTS_WARNING = "MSH1271" Warning;
    SE_ADDRESSES = "MSH1272" Error;
    SE_PORTS = "MSH1273" Error;
    SE_ADDRESSES_REQUIRED = "MSH1274" Warning;
    SE_RESOLUTION = "MSH1275" Error;
    SE_RESOLUTION_WARNING = "MSH1276" Warning;
    SE_ENDPOINTS = "MSH1277" Error;
    SE_SELECTOR_IGNORED = "MSH1278" Warning;
    WORKLOAD_ENTRY = "MSH1280" Error;
    WORKLOAD_ENTRY_WARNING = "MSH1281" Warning;
    WORKLOAD_GROUP_PROBE = "MSH1282" Error;
    WORKLOAD_GROUP_METADATA = "MSH1283" Error;
    EF_PATCH = "MSH1284" Error;
    EF_MATCH = "MSH1285" Error;
    EF_WARNING = "MSH1286" Warning;
    PROXY_CONFIG_SELECTOR = "MSH1287" Error;
    EF_INTERNAL_API = "MSH1288" Warning;
    EF_VALUE = "MSH1289" Error;
    WORKLOAD_SELECTOR = "MSH1290" Error;
    SELECTOR_WITHOUT_LABELS = "MSH1291" Warning;
    TARGET_REF = "MSH1292" Error;
    EF_ANY_TYPE = "MSH1293" Error;
    AUTHZ_ACTION = "MSH1300" Error;
    AUTHZ_SOURCE = "MSH1301" Error;
    AUTHZ_OPERATION = "MSH1302" Error;
    AUTHZ_CONDITION = "MSH1303" Error;
    AUTHZ_DENY_HTTP_ONLY = "MSH1304" Warning;
    PEER_AUTHN_PORT_MTLS = "MSH1310" Error;
    REQUEST_AUTHN_JWT_RULE = "MSH1320" Error;
    REQUEST_AUTHN_PRIVATE_KEY = "MSH1321" Warning;
    TELEMETRY_METRICS = "MSH1330" Error;
    TELEMETRY_TAG_OVERRIDE_NAME = "MSH1331" Warning;
    TELEMETRY_TRACING = "MSH1332" Error;
    TELEMETRY_TRACING_UNSUPPORTED = "MSH1333" Warning;
    TELEMETRY_ACCESS_LOG_FILTER = "MSH1334" Error;
    WASM_PLUGIN = "MSH1340" Error;
    KUBE_METADATA = "MSH1400" Error;
    KUBE_SELECTOR_WARNING = "MSH1401" Warning;
    SERVICE_PORTS = "MSH1402" Error;
    SERVICE_SPEC = "MSH1403" Error;
    POD_SPEC = "MSH1410" Error;
    POD_CONTAINERS = "MSH1411" Error;
    POD_PROBES = "MSH1412" Error;
    POD_VOLUMES = "MSH1413" Error;
    POD_WARNING = "MSH1414" Warning;
    WORKLOAD_CONTROLLER = "MSH1420" Error;
    WORKLOAD_CONTROLLER_WARNING = "MSH1421" Warning;
    NAMESPACE = "MSH1430" Error;
    CONFIG_DATA = "MSH1431" Error;
    WEBHOOK_CONFIGURATION = "MSH1440" Error;
    GWAPI_LISTENERS = "MSH1500" Error;
    GWAPI_REFERENCES = "MSH1501" Error;
    GWAPI_ROUTE_RULES = "MSH1502" Error;
    GWAPI_ROUTE_FILTERS = "MSH1503" Error;
    GWAPI_REGEX = "MSH1504" Warning;
    GWAPI_WARNING = "MSH1505" Warning;
}

/// Codes users may still name (in `--suppress`, `.meshctl.yaml` and annotations) for every
/// admission error or every admission warning: what `validate` reported them as before each
/// rule had its own code.
pub const ALIASES: &[(&str, Level)] = &[("MSH1100", Level::Error), ("MSH1101", Level::Warning)];

/// The admission rule with `code`.
pub fn lookup(code: &str) -> Option<Rule> {
    ALL.iter().copied().find(|r| r.code == code)
}

/// Whether the alias code `alias` (MSH1100 or MSH1101) covers the finding code `code`.
pub fn alias_covers(alias: &str, code: &str) -> bool {
    ALIASES.iter().any(|(a, level)| {
        a.eq_ignore_ascii_case(alias) && lookup(code).is_some_and(|r| r.level == *level)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{Severity, catalog};

    #[test]
    fn every_rule_is_catalogued_with_its_severity() {
        for r in ALL {
            let info = catalog::lookup(r.code)
                .unwrap_or_else(|| panic!("{} is not in the catalogue", r.code));
            let want = match r.level {
                Level::Error => Severity::Error,
                Level::Warning => Severity::Warning,
            };
            assert_eq!(info.severity, want, "{}", r.code);
        }
    }

    #[test]
    fn codes_are_unique_sorted_and_in_the_rule_ranges() {
        for pair in ALL.windows(2) {
            assert!(
                pair[0].code < pair[1].code,
                "{} before {}",
                pair[0].code,
                pair[1].code
            );
        }
        for r in ALL {
            assert!(
                r.code == "MSH1015" || ("MSH1200".."MSH1600").contains(&r.code),
                "{} is outside the admission rule ranges",
                r.code
            );
        }
    }

    #[test]
    fn every_catalogued_rule_code_is_a_rule() {
        // A code in the rule ranges that no rule reports would be documented but dead.
        for c in catalog::CATALOG {
            if ("MSH1200".."MSH1600").contains(&c.code) {
                assert!(lookup(c.code).is_some(), "{} has no rule", c.code);
            }
        }
    }

    #[test]
    fn findings_on_the_fixtures_carry_rule_codes_never_the_aliases() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/invalid");
        let mut seen = std::collections::BTreeSet::new();
        for entry in std::fs::read_dir(&dir).expect("testdata/invalid") {
            let path = entry.expect("entry").path();
            let text = std::fs::read_to_string(&path).expect("fixture reads");
            let set = crate::config::from_text(&path.display().to_string(), &text);
            for d in &set.diagnostics {
                assert!(
                    !ALIASES.iter().any(|(a, _)| *a == d.code),
                    "{} is an alias, never reported",
                    d.code
                );
                if let Some(rule) = lookup(d.code) {
                    let want = match rule.level {
                        Level::Error => Severity::Error,
                        Level::Warning => Severity::Warning,
                    };
                    assert_eq!(d.severity, want, "{}: {}", d.code, d.message);
                    seen.insert(d.code);
                }
            }
        }
        assert!(seen.len() >= 5, "the fixtures exercise few rules: {seen:?}");
    }

    #[test]
    fn aliases_cover_by_level() {
        assert!(alias_covers("MSH1100", VS_WEIGHTS.code()));
        assert!(!alias_covers("MSH1100", VS_UNREACHABLE_RULE.code()));
        assert!(alias_covers("msh1101", VS_UNREACHABLE_RULE.code()));
        assert!(!alias_covers("MSH1101", "MSH1006"));
        for (alias, _) in ALIASES {
            assert!(
                catalog::lookup(alias).is_some(),
                "{alias} stays in the catalogue"
            );
        }
    }
}
