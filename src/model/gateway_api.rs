//! Kubernetes Gateway API kinds (`gateway.networking.k8s.io`): Gateway, GatewayClass,
//! HTTPRoute, GRPCRoute and ReferenceGrant, after the v1.6 CRDs Istio ships against.
//!
//! The field sets are those of the standard channel plus the experimental-channel fields Istio
//! implements (HTTPRoute `retry`, `sessionPersistence`, the `ExternalAuth` filter,
//! `useDefaultGateways`, Gateway `defaultScope`), so a cluster running either channel gets no
//! false "unknown field". All served versions (`v1`, `v1beta1`, `v1alpha2`) share this schema.
//!
//! Required fields are `Option<..>` with the `REQUIRED` flag: the schema walk reports a missing
//! one. The CRDs' `pattern`, length, item-count and range constraints are declared on the
//! fields (in brackets after the JSON name), so the schema walk checks them and `model::crd`
//! renders them; `check::validate::gateway_api` keeps only the CEL rules. Gateway API durations (`"10s"`, `"1h30m"`) are kept as strings; see
//! [`parse_gateway_duration`].

use std::collections::BTreeMap;

use serde_json::Value;

use crate::model::ObjectMeta;
use crate::model::constraints::{
    BACKEND_WEIGHT, CORS_ORIGIN, GATEWAY_ADDRESS_TYPE, GATEWAY_CONTROLLER, GATEWAY_DURATION,
    GATEWAY_HOSTNAME, HEADER_NAME, LABEL_VALUE, LISTENER_PROTOCOL, OBJECT_NAME, PORT_NUMBER,
    REF_GROUP, REF_KIND, REF_NAMESPACE, SECTION_NAME, URL_PATH,
};
use crate::model::kube::LabelSelector;
use crate::{api_enum, api_struct};

/// Declares the full object of a Gateway API kind (`spec` is required by every one of them).
macro_rules! gateway_object {
    ($(#[$m:meta])* $name:ident, $spec:ty) => {
        api_struct! {
            $(#[$m])*
            pub struct $name {
                api_version: String => "apiVersion",
                kind: String => "kind",
                metadata: ObjectMeta => "metadata",
                spec: Option<$spec> => "spec" | REQUIRED,
                status: Option<Value> => "status",
            }
        }
    };
}

gateway_object!(
    /// A Gateway: listeners a controller (Istio) provisions.
    GatewayObject,
    GatewaySpec
);
gateway_object!(
    /// A GatewayClass: which controller implements Gateways of this class.
    GatewayClassObject,
    GatewayClassSpec
);
gateway_object!(
    /// An HTTPRoute.
    HttpRouteObject,
    HttpRouteSpec
);
gateway_object!(
    /// A GRPCRoute.
    GrpcRouteObject,
    GrpcRouteSpec
);
gateway_object!(
    /// A ReferenceGrant: allows references from other namespaces into this one.
    ReferenceGrantObject,
    ReferenceGrantSpec
);

/// Parses a Gateway API duration (GEP-2257: `^([0-9]{1,5}(h|m|s|ms)){1,4}$`) into
/// milliseconds; `None` when it does not follow that grammar.
pub fn parse_gateway_duration(s: &str) -> Option<u64> {
    let mut rest = s;
    let (mut units, mut total) = (0usize, 0u64);
    while !rest.is_empty() {
        let digits_end = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        let (digits, after) = rest.split_at(digits_end);
        if digits.is_empty() || digits.len() > 5 {
            return None;
        }
        let n: u64 = digits.parse().ok()?;
        let (scale, next) = if let Some(r) = after.strip_prefix("ms") {
            (1, r)
        } else if let Some(r) = after.strip_prefix('h') {
            (3_600_000, r)
        } else if let Some(r) = after.strip_prefix('m') {
            (60_000, r)
        } else if let Some(r) = after.strip_prefix('s') {
            (1_000, r)
        } else {
            return None;
        };
        units += 1;
        total = total.checked_add(n.checked_mul(scale)?)?;
        rest = next;
    }
    (1..=4).contains(&units).then_some(total)
}

// ---------------------------------------------------------------------------------------------
// References shared by several kinds
// ---------------------------------------------------------------------------------------------

api_struct! {
    /// A route's reference to its parent (a Gateway, or a Service for mesh routing).
    pub struct ParentReference {
        group: Option<String> => "group" [..REF_GROUP],
        kind: Option<String> => "kind" [..REF_KIND],
        namespace: Option<String> => "namespace" [..REF_NAMESPACE],
        name: Option<String> => "name" | REQUIRED [..OBJECT_NAME],
        section_name: Option<String> => "sectionName" [..SECTION_NAME],
        port: Option<i32> => "port" [..PORT_NUMBER],
    }
}

impl ParentReference {
    /// The referenced group (default `gateway.networking.k8s.io`).
    pub fn group(&self) -> &str {
        self.group.as_deref().unwrap_or("gateway.networking.k8s.io")
    }
    /// The referenced kind (default `Gateway`).
    pub fn kind(&self) -> &str {
        self.kind.as_deref().unwrap_or("Gateway")
    }
}

api_struct! {
    /// A reference to a backend (`mirror`, `externalAuth`), without weight or filters.
    pub struct BackendObjectReference {
        group: Option<String> => "group" [..REF_GROUP],
        kind: Option<String> => "kind" [..REF_KIND],
        name: Option<String> => "name" | REQUIRED [..OBJECT_NAME],
        namespace: Option<String> => "namespace" [..REF_NAMESPACE],
        port: Option<i32> => "port" [..PORT_NUMBER],
    }
}

api_struct! {
    /// A reference to a Secret (or another certificate source) of a listener or client.
    pub struct SecretObjectReference {
        group: Option<String> => "group" [..REF_GROUP],
        kind: Option<String> => "kind" [..REF_KIND],
        name: Option<String> => "name" | REQUIRED [..OBJECT_NAME],
        namespace: Option<String> => "namespace" [..REF_NAMESPACE],
    }
}

api_struct! {
    /// A reference to a namespaced object of any kind, where `group` and `kind` are required.
    pub struct ObjectReference {
        group: Option<String> => "group" | REQUIRED [..REF_GROUP],
        kind: Option<String> => "kind" | REQUIRED [..REF_KIND],
        name: Option<String> => "name" | REQUIRED [..OBJECT_NAME],
        namespace: Option<String> => "namespace" [..REF_NAMESPACE],
    }
}

api_struct! {
    /// A reference to an object in the same namespace (`extensionRef`, `parametersRef`).
    pub struct LocalObjectReference {
        group: Option<String> => "group" | REQUIRED [..REF_GROUP],
        kind: Option<String> => "kind" | REQUIRED [..REF_KIND],
        name: Option<String> => "name" | REQUIRED [..OBJECT_NAME],
    }
}

// ---------------------------------------------------------------------------------------------
// GatewayClass
// ---------------------------------------------------------------------------------------------

api_struct! {
    pub struct GatewayClassSpec {
        controller_name: Option<String> => "controllerName" | REQUIRED [min_length: 1, max_length: 253, pattern: GATEWAY_CONTROLLER],
        parameters_ref: Option<ParametersReference> => "parametersRef",
        description: Option<String> => "description" [max_length: 64],
    }
}

api_struct! {
    pub struct ParametersReference {
        group: Option<String> => "group" | REQUIRED [..REF_GROUP],
        kind: Option<String> => "kind" | REQUIRED [..REF_KIND],
        name: Option<String> => "name" | REQUIRED [..OBJECT_NAME],
        namespace: Option<String> => "namespace" [..REF_NAMESPACE],
    }
}

// ---------------------------------------------------------------------------------------------
// Gateway
// ---------------------------------------------------------------------------------------------

api_enum! {
    /// `defaultScope` (experimental): whether routes using default Gateways attach here.
    pub enum GatewayDefaultScope {
        All = "All",
        NoScope = "None",
    }
}

api_struct! {
    pub struct GatewaySpec {
        gateway_class_name: Option<String> => "gatewayClassName" | REQUIRED [..OBJECT_NAME],
        listeners: Vec<Listener> => "listeners" | REQUIRED [min_items: 1, max_items: 64],
        addresses: Vec<GatewaySpecAddress> => "addresses" [max_items: 16],
        infrastructure: Option<GatewayInfrastructure> => "infrastructure",
        allowed_listeners: Option<AllowedListeners> => "allowedListeners",
        tls: Option<GatewayTlsConfig> => "tls",
        default_scope: Option<GatewayDefaultScope> => "defaultScope",
    }
}

api_struct! {
    /// A listener: a logical endpoint (port, protocol, optional hostname) routes bind to.
    pub struct Listener {
        name: Option<String> => "name" | REQUIRED [..SECTION_NAME],
        hostname: Option<String> => "hostname" [min_length: 1, max_length: 253, pattern: GATEWAY_HOSTNAME],
        port: Option<i32> => "port" | REQUIRED [..PORT_NUMBER],
        /// `HTTP`, `HTTPS`, `TLS`, `TCP`, `UDP` or an implementation-specific
        /// `domain/name` protocol.
        protocol: Option<String> => "protocol" | REQUIRED [min_length: 1, max_length: 255, pattern: LISTENER_PROTOCOL],
        tls: Option<ListenerTlsConfig> => "tls",
        allowed_routes: Option<AllowedRoutes> => "allowedRoutes",
    }
}

api_enum! {
    pub enum TlsModeType {
        Terminate = "Terminate",
        Passthrough = "Passthrough",
    }
}

api_struct! {
    pub struct ListenerTlsConfig {
        mode: Option<TlsModeType> => "mode",
        certificate_refs: Vec<SecretObjectReference> => "certificateRefs" [max_items: 64],
        options: BTreeMap<String, String> => "options" [max_properties: 16, items: [max_length: 4096]],
    }
}

impl ListenerTlsConfig {
    /// The TLS mode (default `Terminate`).
    pub fn mode(&self) -> TlsModeType {
        self.mode.unwrap_or(TlsModeType::Terminate)
    }
}

api_struct! {
    pub struct AllowedRoutes {
        namespaces: Option<RouteNamespaces> => "namespaces",
        kinds: Vec<RouteGroupKind> => "kinds" [max_items: 8],
    }
}

api_enum! {
    /// Where routes may attach from (`Same` is the default).
    pub enum FromNamespaces {
        Same = "Same",
        All = "All",
        Selector = "Selector",
    }
}

api_struct! {
    pub struct RouteNamespaces {
        from: Option<FromNamespaces> => "from",
        selector: Option<LabelSelector> => "selector",
    }
}

api_struct! {
    pub struct RouteGroupKind {
        group: Option<String> => "group" [..REF_GROUP],
        kind: Option<String> => "kind" | REQUIRED [..REF_KIND],
    }
}

api_struct! {
    /// A requested Gateway address: `type` is `IPAddress` (default), `Hostname`,
    /// `NamedAddress` or a `domain/name` implementation type.
    pub struct GatewaySpecAddress {
        r#type: Option<String> => "type" [min_length: 1, max_length: 253, pattern: GATEWAY_ADDRESS_TYPE],
        value: Option<String> => "value" [max_length: 253],
    }
}

impl GatewaySpecAddress {
    pub fn address_type(&self) -> &str {
        self.r#type.as_deref().unwrap_or("IPAddress")
    }
}

api_struct! {
    pub struct GatewayInfrastructure {
        labels: BTreeMap<String, String> => "labels" [max_properties: 8, items: [max_length: 63, pattern: LABEL_VALUE]],
        annotations: BTreeMap<String, String> => "annotations" [max_properties: 16, items: [max_length: 4096]],
        parameters_ref: Option<LocalObjectReference> => "parametersRef",
    }
}

api_enum! {
    pub enum ListenerNamespacesFrom {
        NoNamespaces = "None",
        Same = "Same",
        All = "All",
        Selector = "Selector",
    }
}

api_struct! {
    pub struct AllowedListeners {
        namespaces: Option<ListenerNamespaces> => "namespaces",
    }
}

api_struct! {
    pub struct ListenerNamespaces {
        from: Option<ListenerNamespacesFrom> => "from",
        selector: Option<LabelSelector> => "selector",
    }
}

api_struct! {
    /// Gateway-wide TLS settings (`spec.tls`).
    pub struct GatewayTlsConfig {
        backend: Option<GatewayBackendTls> => "backend",
        frontend: Option<FrontendTlsConfig> => "frontend",
    }
}

api_struct! {
    pub struct GatewayBackendTls {
        client_certificate_ref: Option<SecretObjectReference> => "clientCertificateRef",
    }
}

api_struct! {
    pub struct FrontendTlsConfig {
        default: Option<TlsConfig> => "default" | REQUIRED,
        per_port: Vec<TlsPortConfig> => "perPort" [max_items: 64],
    }
}

api_struct! {
    pub struct TlsPortConfig {
        port: Option<i32> => "port" | REQUIRED [..PORT_NUMBER],
        tls: Option<TlsConfig> => "tls" | REQUIRED,
    }
}

api_struct! {
    pub struct TlsConfig {
        validation: Option<FrontendTlsValidation> => "validation",
    }
}

api_enum! {
    pub enum FrontendValidationMode {
        AllowValidOnly = "AllowValidOnly",
        AllowInsecureFallback = "AllowInsecureFallback",
    }
}

api_struct! {
    pub struct FrontendTlsValidation {
        ca_certificate_refs: Vec<ObjectReference> => "caCertificateRefs" | REQUIRED [min_items: 1, max_items: 16],
        mode: Option<FrontendValidationMode> => "mode",
    }
}

// ---------------------------------------------------------------------------------------------
// Route pieces shared by HTTPRoute and GRPCRoute
// ---------------------------------------------------------------------------------------------

api_enum! {
    /// `useDefaultGateways` (experimental).
    pub enum GatewayDefaultScopeRoute {
        All = "All",
        NoScope = "None",
    }
}

api_struct! {
    /// A header to set or add.
    pub struct HttpHeader {
        name: Option<String> => "name" | REQUIRED [..HEADER_NAME],
        value: Option<String> => "value" | REQUIRED [min_length: 1, max_length: 4096],
    }
}

api_struct! {
    /// `requestHeaderModifier` / `responseHeaderModifier`.
    pub struct HeaderFilter {
        set: Vec<HttpHeader> => "set" [max_items: 16],
        add: Vec<HttpHeader> => "add" [max_items: 16],
        remove: Vec<String> => "remove" [max_items: 16],
    }
}

api_struct! {
    pub struct Fraction {
        numerator: Option<i32> => "numerator" | REQUIRED [minimum: 0],
        denominator: Option<i32> => "denominator" [minimum: 1],
    }
}

api_struct! {
    pub struct RequestMirrorFilter {
        backend_ref: Option<BackendObjectReference> => "backendRef" | REQUIRED,
        percent: Option<i32> => "percent" [minimum: 0, maximum: 100],
        fraction: Option<Fraction> => "fraction",
    }
}

api_enum! {
    pub enum SessionPersistenceType {
        Cookie = "Cookie",
        Header = "Header",
    }
}

api_enum! {
    pub enum CookieLifetimeType {
        Session = "Session",
        Permanent = "Permanent",
    }
}

api_struct! {
    /// `sessionPersistence` (experimental).
    pub struct SessionPersistence {
        session_name: Option<String> => "sessionName" [max_length: 128],
        absolute_timeout: Option<String> => "absoluteTimeout" [pattern: GATEWAY_DURATION],
        r#type: Option<SessionPersistenceType> => "type",
        cookie_config: Option<CookieConfig> => "cookieConfig",
    }
}

api_struct! {
    pub struct CookieConfig {
        lifetime_type: Option<CookieLifetimeType> => "lifetimeType",
    }
}

api_enum! {
    /// Exact or regular-expression match of a header, query parameter or gRPC method.
    pub enum MatchType {
        Exact = "Exact",
        RegularExpression = "RegularExpression",
    }
}

// ---------------------------------------------------------------------------------------------
// HTTPRoute
// ---------------------------------------------------------------------------------------------

api_struct! {
    pub struct HttpRouteSpec {
        parent_refs: Vec<ParentReference> => "parentRefs" [max_items: 32],
        hostnames: Vec<String> => "hostnames" [max_items: 16, items: [min_length: 1, max_length: 253, pattern: GATEWAY_HOSTNAME]],
        rules: Vec<HttpRouteRule> => "rules" [min_items: 1, max_items: 16],
        use_default_gateways: Option<GatewayDefaultScopeRoute> => "useDefaultGateways",
    }
}

api_struct! {
    pub struct HttpRouteRule {
        name: Option<String> => "name" [..SECTION_NAME],
        matches: Vec<HttpRouteMatch> => "matches" [max_items: 64],
        filters: Vec<HttpRouteFilter> => "filters" [max_items: 16],
        backend_refs: Vec<HttpBackendRef> => "backendRefs" [max_items: 16],
        timeouts: Option<HttpRouteTimeouts> => "timeouts",
        retry: Option<HttpRouteRetry> => "retry",
        session_persistence: Option<SessionPersistence> => "sessionPersistence",
    }
}

impl HttpRouteRule {
    /// The rule's matches after API-server defaulting: no `matches` means one `PathPrefix /`
    /// match, and a match without `path` gets `PathPrefix /`.
    pub fn effective_matches(&self) -> Vec<HttpRouteMatch> {
        let default_path = || HttpPathMatch {
            r#type: Some(PathMatchType::PathPrefix),
            value: Some("/".to_string()),
        };
        if self.matches.is_empty() {
            return vec![HttpRouteMatch {
                path: Some(default_path()),
                ..HttpRouteMatch::default()
            }];
        }
        self.matches
            .iter()
            .cloned()
            .map(|mut m| {
                if m.path.is_none() {
                    m.path = Some(default_path());
                }
                m
            })
            .collect()
    }
}

impl HttpRouteSpec {
    /// The rules after API-server defaulting: no `rules` means one rule matching every path
    /// (and, having no backends, answering 500 per the spec).
    pub fn effective_rules(&self) -> Vec<HttpRouteRule> {
        if self.rules.is_empty() {
            vec![HttpRouteRule::default()]
        } else {
            self.rules.clone()
        }
    }
}

api_enum! {
    pub enum PathMatchType {
        PathPrefix = "PathPrefix",
        Exact = "Exact",
        RegularExpression = "RegularExpression",
    }
}

api_enum! {
    pub enum HttpMethod {
        Get = "GET",
        Head = "HEAD",
        Post = "POST",
        Put = "PUT",
        Delete = "DELETE",
        Connect = "CONNECT",
        Options = "OPTIONS",
        Trace = "TRACE",
        Patch = "PATCH",
    }
}

api_struct! {
    pub struct HttpRouteMatch {
        path: Option<HttpPathMatch> => "path",
        headers: Vec<HttpHeaderMatch> => "headers" [max_items: 16],
        query_params: Vec<HttpQueryParamMatch> => "queryParams" [max_items: 16],
        method: Option<HttpMethod> => "method",
    }
}

api_struct! {
    pub struct HttpPathMatch {
        r#type: Option<PathMatchType> => "type",
        value: Option<String> => "value" [max_length: 1024],
    }
}

impl HttpPathMatch {
    /// The match type (default `PathPrefix`).
    pub fn match_type(&self) -> PathMatchType {
        self.r#type.unwrap_or(PathMatchType::PathPrefix)
    }
    /// The path (default `/`).
    pub fn value(&self) -> &str {
        self.value.as_deref().unwrap_or("/")
    }
}

api_struct! {
    pub struct HttpHeaderMatch {
        r#type: Option<MatchType> => "type",
        name: Option<String> => "name" | REQUIRED [..HEADER_NAME],
        value: Option<String> => "value" | REQUIRED [min_length: 1, max_length: 4096],
    }
}

api_struct! {
    pub struct HttpQueryParamMatch {
        r#type: Option<MatchType> => "type",
        name: Option<String> => "name" | REQUIRED [..HEADER_NAME],
        value: Option<String> => "value" | REQUIRED [min_length: 1, max_length: 1024],
    }
}

api_enum! {
    pub enum HttpRouteFilterType {
        RequestHeaderModifier = "RequestHeaderModifier",
        ResponseHeaderModifier = "ResponseHeaderModifier",
        RequestMirror = "RequestMirror",
        RequestRedirect = "RequestRedirect",
        UrlRewrite = "URLRewrite",
        ExtensionRef = "ExtensionRef",
        Cors = "CORS",
        ExternalAuth = "ExternalAuth",
    }
}

api_struct! {
    /// A filter: `type` names which one of the other fields carries its configuration.
    pub struct HttpRouteFilter {
        r#type: Option<HttpRouteFilterType> => "type" | REQUIRED,
        request_header_modifier: Option<HeaderFilter> => "requestHeaderModifier",
        response_header_modifier: Option<HeaderFilter> => "responseHeaderModifier",
        request_mirror: Option<RequestMirrorFilter> => "requestMirror",
        request_redirect: Option<HttpRequestRedirectFilter> => "requestRedirect",
        url_rewrite: Option<HttpUrlRewriteFilter> => "urlRewrite",
        extension_ref: Option<LocalObjectReference> => "extensionRef",
        cors: Option<HttpCorsFilter> => "cors",
        external_auth: Option<HttpExternalAuthFilter> => "externalAuth",
    }
}

api_enum! {
    pub enum RedirectScheme {
        Http = "http",
        Https = "https",
    }
}

api_struct! {
    pub struct HttpRequestRedirectFilter {
        scheme: Option<RedirectScheme> => "scheme",
        hostname: Option<String> => "hostname" [..SECTION_NAME],
        path: Option<HttpPathModifier> => "path",
        port: Option<i32> => "port" [..PORT_NUMBER],
        /// 301, 302 (default), 303, 307 or 308.
        status_code: Option<i32> => "statusCode",
    }
}

api_struct! {
    pub struct HttpUrlRewriteFilter {
        hostname: Option<String> => "hostname" [..SECTION_NAME],
        path: Option<HttpPathModifier> => "path",
    }
}

api_enum! {
    pub enum HttpPathModifierType {
        ReplaceFullPath = "ReplaceFullPath",
        ReplacePrefixMatch = "ReplacePrefixMatch",
    }
}

api_struct! {
    pub struct HttpPathModifier {
        r#type: Option<HttpPathModifierType> => "type" | REQUIRED,
        replace_full_path: Option<String> => "replaceFullPath" [max_length: 1024],
        replace_prefix_match: Option<String> => "replacePrefixMatch" [max_length: 1024],
    }
}

api_enum! {
    /// A CORS `allowMethods` entry.
    pub enum CorsMethod {
        Get = "GET",
        Head = "HEAD",
        Post = "POST",
        Put = "PUT",
        Delete = "DELETE",
        Connect = "CONNECT",
        Options = "OPTIONS",
        Trace = "TRACE",
        Patch = "PATCH",
        Any = "*",
    }
}

api_struct! {
    pub struct HttpCorsFilter {
        allow_origins: Vec<String> => "allowOrigins" [max_items: 64, items: [min_length: 1, max_length: 253, pattern: CORS_ORIGIN]],
        allow_credentials: Option<bool> => "allowCredentials",
        allow_methods: Vec<CorsMethod> => "allowMethods" [max_items: 9],
        allow_headers: Vec<String> => "allowHeaders" [max_items: 64, items: [..HEADER_NAME]],
        expose_headers: Vec<String> => "exposeHeaders" [max_items: 64, items: [..HEADER_NAME]],
        max_age: Option<i32> => "maxAge" [minimum: 1],
    }
}

api_enum! {
    pub enum ExternalAuthProtocol {
        Http = "HTTP",
        Grpc = "GRPC",
    }
}

api_struct! {
    /// The `ExternalAuth` filter (experimental).
    pub struct HttpExternalAuthFilter {
        protocol: Option<ExternalAuthProtocol> => "protocol" | REQUIRED,
        backend_ref: Option<BackendObjectReference> => "backendRef" | REQUIRED,
        grpc: Option<GrpcAuthConfig> => "grpc",
        http: Option<HttpAuthConfig> => "http",
        forward_body: Option<ForwardBodyConfig> => "forwardBody",
    }
}

api_struct! {
    pub struct GrpcAuthConfig {
        allowed_headers: Vec<String> => "allowedHeaders" [max_items: 64],
    }
}

api_struct! {
    pub struct HttpAuthConfig {
        path: Option<String> => "path" [max_length: 1024, pattern: URL_PATH],
        allowed_headers: Vec<String> => "allowedHeaders" [max_items: 64],
        allowed_response_headers: Vec<String> => "allowedResponseHeaders" [max_items: 64],
    }
}

api_struct! {
    pub struct ForwardBodyConfig {
        max_size: Option<i32> => "maxSize",
    }
}

api_struct! {
    /// A weighted backend of an HTTPRoute rule.
    pub struct HttpBackendRef {
        group: Option<String> => "group" [..REF_GROUP],
        kind: Option<String> => "kind" [..REF_KIND],
        name: Option<String> => "name" | REQUIRED [..OBJECT_NAME],
        namespace: Option<String> => "namespace" [..REF_NAMESPACE],
        port: Option<i32> => "port" [..PORT_NUMBER],
        weight: Option<i32> => "weight" [..BACKEND_WEIGHT],
        filters: Vec<HttpRouteFilter> => "filters" [max_items: 16],
    }
}

impl HttpBackendRef {
    /// The weight (default 1).
    pub fn weight(&self) -> i32 {
        self.weight.unwrap_or(1)
    }
}

api_struct! {
    pub struct HttpRouteTimeouts {
        request: Option<String> => "request" [pattern: GATEWAY_DURATION],
        backend_request: Option<String> => "backendRequest" [pattern: GATEWAY_DURATION],
    }
}

api_struct! {
    /// `retry` (experimental).
    pub struct HttpRouteRetry {
        codes: Vec<i32> => "codes" [items: [minimum: 400, maximum: 599]],
        attempts: Option<i32> => "attempts" [minimum: 1],
        backoff: Option<String> => "backoff" [pattern: GATEWAY_DURATION],
    }
}

// ---------------------------------------------------------------------------------------------
// GRPCRoute
// ---------------------------------------------------------------------------------------------

api_struct! {
    pub struct GrpcRouteSpec {
        parent_refs: Vec<ParentReference> => "parentRefs" [max_items: 32],
        hostnames: Vec<String> => "hostnames" [max_items: 16, items: [min_length: 1, max_length: 253, pattern: GATEWAY_HOSTNAME]],
        rules: Vec<GrpcRouteRule> => "rules" [max_items: 16],
        use_default_gateways: Option<GatewayDefaultScopeRoute> => "useDefaultGateways",
    }
}

api_struct! {
    pub struct GrpcRouteRule {
        name: Option<String> => "name" [..SECTION_NAME],
        matches: Vec<GrpcRouteMatch> => "matches" [max_items: 64],
        filters: Vec<GrpcRouteFilter> => "filters" [max_items: 16],
        backend_refs: Vec<GrpcBackendRef> => "backendRefs" [max_items: 16],
        session_persistence: Option<SessionPersistence> => "sessionPersistence",
    }
}

api_struct! {
    pub struct GrpcRouteMatch {
        method: Option<GrpcMethodMatch> => "method",
        headers: Vec<GrpcHeaderMatch> => "headers" [max_items: 16],
    }
}

api_struct! {
    pub struct GrpcMethodMatch {
        r#type: Option<MatchType> => "type",
        service: Option<String> => "service" [max_length: 1024],
        method: Option<String> => "method" [max_length: 1024],
    }
}

api_struct! {
    pub struct GrpcHeaderMatch {
        r#type: Option<MatchType> => "type",
        name: Option<String> => "name" | REQUIRED [..HEADER_NAME],
        value: Option<String> => "value" | REQUIRED [min_length: 1, max_length: 4096],
    }
}

api_enum! {
    pub enum GrpcRouteFilterType {
        ResponseHeaderModifier = "ResponseHeaderModifier",
        RequestHeaderModifier = "RequestHeaderModifier",
        RequestMirror = "RequestMirror",
        ExtensionRef = "ExtensionRef",
    }
}

api_struct! {
    pub struct GrpcRouteFilter {
        r#type: Option<GrpcRouteFilterType> => "type" | REQUIRED,
        request_header_modifier: Option<HeaderFilter> => "requestHeaderModifier",
        response_header_modifier: Option<HeaderFilter> => "responseHeaderModifier",
        request_mirror: Option<RequestMirrorFilter> => "requestMirror",
        extension_ref: Option<LocalObjectReference> => "extensionRef",
    }
}

api_struct! {
    pub struct GrpcBackendRef {
        group: Option<String> => "group" [..REF_GROUP],
        kind: Option<String> => "kind" [..REF_KIND],
        name: Option<String> => "name" | REQUIRED [..OBJECT_NAME],
        namespace: Option<String> => "namespace" [..REF_NAMESPACE],
        port: Option<i32> => "port" [..PORT_NUMBER],
        weight: Option<i32> => "weight" [..BACKEND_WEIGHT],
        filters: Vec<GrpcRouteFilter> => "filters" [max_items: 16],
    }
}

// ---------------------------------------------------------------------------------------------
// ReferenceGrant
// ---------------------------------------------------------------------------------------------

api_struct! {
    pub struct ReferenceGrantSpec {
        from: Vec<ReferenceGrantFrom> => "from" | REQUIRED [min_items: 1, max_items: 16],
        to: Vec<ReferenceGrantTo> => "to" | REQUIRED [min_items: 1, max_items: 16],
    }
}

api_struct! {
    pub struct ReferenceGrantFrom {
        group: Option<String> => "group" | REQUIRED [..REF_GROUP],
        kind: Option<String> => "kind" | REQUIRED [..REF_KIND],
        namespace: Option<String> => "namespace" | REQUIRED [..REF_NAMESPACE],
    }
}

api_struct! {
    pub struct ReferenceGrantTo {
        group: Option<String> => "group" | REQUIRED [..REF_GROUP],
        kind: Option<String> => "kind" | REQUIRED [..REF_KIND],
        name: Option<String> => "name" [..OBJECT_NAME],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn gateway_durations() {
        assert_eq!(parse_gateway_duration("10s"), Some(10_000));
        assert_eq!(parse_gateway_duration("1h30m"), Some(5_400_000));
        assert_eq!(parse_gateway_duration("500ms"), Some(500));
        assert_eq!(parse_gateway_duration("0s"), Some(0));
        assert_eq!(parse_gateway_duration("1h1m1s1ms"), Some(3_661_001));
        assert_eq!(parse_gateway_duration("1h1m1s1ms1h"), None);
        assert_eq!(parse_gateway_duration("1.5s"), None);
        assert_eq!(parse_gateway_duration("123456s"), None);
        assert_eq!(parse_gateway_duration("10"), None);
        assert_eq!(parse_gateway_duration(""), None);
        assert_eq!(parse_gateway_duration("s"), None);
        assert_eq!(parse_gateway_duration("5d"), None);
    }

    #[test]
    fn defaults_of_optional_fields() {
        let m: HttpPathMatch = serde_json::from_value(json!({})).unwrap_or_default();
        assert_eq!(m.match_type(), PathMatchType::PathPrefix);
        assert_eq!(m.value(), "/");
        let p: ParentReference = serde_json::from_value(json!({"name": "gw"})).unwrap_or_default();
        assert_eq!(
            (p.group(), p.kind()),
            ("gateway.networking.k8s.io", "Gateway")
        );
        let b: HttpBackendRef = serde_json::from_value(json!({"name": "svc"})).unwrap_or_default();
        assert_eq!(b.weight(), 1);
        let t = ListenerTlsConfig::default();
        assert_eq!(t.mode(), TlsModeType::Terminate);
        let a = GatewaySpecAddress::default();
        assert_eq!(a.address_type(), "IPAddress");
    }

    #[test]
    fn defaulted_rules_and_matches() {
        let spec = HttpRouteSpec::default();
        let rules = spec.effective_rules();
        assert_eq!(rules.len(), 1);
        let matches = rules
            .first()
            .map(HttpRouteRule::effective_matches)
            .unwrap_or_default();
        let path = matches
            .first()
            .and_then(|m| m.path.clone())
            .unwrap_or_default();
        assert_eq!(
            (path.match_type(), path.value()),
            (PathMatchType::PathPrefix, "/")
        );
        let rule: HttpRouteRule =
            serde_json::from_value(json!({"matches": [{"method": "POST"}]})).unwrap_or_default();
        assert_eq!(rule.effective_matches().len(), 1);
        let first = rule
            .effective_matches()
            .first()
            .cloned()
            .unwrap_or_default();
        assert_eq!(first.method, Some(HttpMethod::Post));
        assert_eq!(
            first.path.map(|p| p.value().to_string()).as_deref(),
            Some("/")
        );
    }

    #[test]
    fn route_deserialises() {
        let route: HttpRouteObject = serde_json::from_value(json!({
            "apiVersion": "gateway.networking.k8s.io/v1",
            "kind": "HTTPRoute",
            "metadata": {"name": "r"},
            "spec": {
                "parentRefs": [{"name": "gw"}],
                "rules": [{
                    "matches": [{"path": {"type": "Exact", "value": "/a"}, "method": "GET"}],
                    "filters": [{"type": "URLRewrite", "urlRewrite": {"hostname": "x"}}],
                    "backendRefs": [{"name": "svc", "port": 80, "weight": 3}]
                }]
            }
        }))
        .unwrap_or_default();
        let spec = route.spec.unwrap_or_default();
        let rule = spec.rules.first().cloned().unwrap_or_default();
        assert_eq!(
            rule.backend_refs.first().map(HttpBackendRef::weight),
            Some(3)
        );
        assert_eq!(
            rule.filters.first().and_then(|f| f.r#type),
            Some(HttpRouteFilterType::UrlRewrite)
        );
        assert_eq!(
            rule.matches.first().and_then(|m| m.method),
            Some(HttpMethod::Get)
        );
    }
}
