//! `networking.istio.io` VirtualService: routing rules for a set of hosts.

use std::collections::BTreeMap;

use crate::model::map::Map;
use crate::model::schema::Duration;
use crate::{api_enum, api_struct};

api_struct! {
    /// Routing rules applied to traffic addressed to `hosts`.
    pub struct VirtualService {
        hosts: Vec<String> => "hosts",
        gateways: Vec<String> => "gateways",
        http: Vec<HttpRoute> => "http",
        tls: Vec<TlsRoute> => "tls",
        tcp: Vec<TcpRoute> => "tcp",
        export_to: Vec<String> => "exportTo",
    }
}

api_struct! {
    /// A network-addressable service to which a request or connection is forwarded.
    pub struct Destination {
        host: String => "host" | REQUIRED,
        subset: Option<String> => "subset",
        port: Option<PortSelector> => "port",
    }
}

api_struct! {
    pub struct PortSelector {
        number: Option<u32> => "number",
    }
}

api_struct! {
    /// Match conditions and actions for HTTP/1.1, HTTP/2 and gRPC traffic.
    pub struct HttpRoute {
        name: Option<String> => "name",
        r#match: Vec<HttpMatchRequest> => "match",
        route: Vec<HttpRouteDestination> => "route",
        redirect: Option<Box<HttpRedirect>> => "redirect",
        direct_response: Option<Box<HttpDirectResponse>> => "directResponse",
        delegate: Option<Box<Delegate>> => "delegate",
        rewrite: Option<Box<HttpRewrite>> => "rewrite",
        timeout: Option<Duration> => "timeout",
        retries: Option<Box<HttpRetry>> => "retries",
        fault: Option<Box<HttpFaultInjection>> => "fault",
        mirror: Option<Box<Destination>> => "mirror",
        mirrors: Vec<HttpMirrorPolicy> => "mirrors",
        mirror_percent: Option<u32> => "mirrorPercent",
        mirror_percentage: Option<Box<Percent>> => "mirrorPercentage",
        cors_policy: Option<Box<CorsPolicy>> => "corsPolicy",
        headers: Option<Box<Headers>> => "headers",
    }
}

api_struct! {
    pub struct Delegate {
        name: Option<String> => "name",
        namespace: Option<String> => "namespace",
    }
}

api_struct! {
    pub struct Headers {
        request: Option<HeaderOperations> => "request",
        response: Option<HeaderOperations> => "response",
    }
}

api_struct! {
    pub struct HeaderOperations {
        set: BTreeMap<String, String> => "set",
        add: BTreeMap<String, String> => "add",
        remove: Vec<String> => "remove",
    }
}

api_struct! {
    pub struct TlsRoute {
        r#match: Vec<TlsMatchAttributes> => "match" | REQUIRED,
        route: Vec<RouteDestination> => "route",
    }
}

api_struct! {
    pub struct TcpRoute {
        r#match: Vec<L4MatchAttributes> => "match",
        route: Vec<RouteDestination> => "route",
    }
}

api_struct! {
    pub struct HttpMatchRequest {
        name: Option<String> => "name",
        uri: Option<StringMatch> => "uri",
        // Boxed, as other rarely written fields: a match is held per rule for the whole run.
        scheme: Option<Box<StringMatch>> => "scheme",
        method: Option<Box<StringMatch>> => "method",
        authority: Option<Box<StringMatch>> => "authority",
        headers: Map<StringMatch> => "headers",
        port: Option<u32> => "port",
        source_labels: BTreeMap<String, String> => "sourceLabels",
        gateways: Vec<String> => "gateways",
        query_params: Map<StringMatch> => "queryParams",
        ignore_uri_case: Option<bool> => "ignoreUriCase",
        without_headers: Map<StringMatch> => "withoutHeaders",
        source_namespace: Option<String> => "sourceNamespace",
        stat_prefix: Option<String> => "statPrefix",
    }
}

api_struct! {
    pub struct HttpRouteDestination {
        destination: Option<Destination> => "destination" | REQUIRED,
        weight: Option<i32> => "weight",
        headers: Option<Box<Headers>> => "headers",
    }
}

api_struct! {
    pub struct RouteDestination {
        destination: Option<Destination> => "destination" | REQUIRED,
        weight: Option<i32> => "weight",
    }
}

api_struct! {
    pub struct L4MatchAttributes {
        destination_subnets: Vec<String> => "destinationSubnets",
        port: Option<u32> => "port",
        source_subnet: Option<String> => "sourceSubnet",
        source_labels: BTreeMap<String, String> => "sourceLabels",
        gateways: Vec<String> => "gateways",
        source_namespace: Option<String> => "sourceNamespace",
    }
}

api_struct! {
    pub struct TlsMatchAttributes {
        sni_hosts: Vec<String> => "sniHosts" | REQUIRED,
        destination_subnets: Vec<String> => "destinationSubnets",
        port: Option<u32> => "port",
        source_labels: BTreeMap<String, String> => "sourceLabels",
        gateways: Vec<String> => "gateways",
        source_namespace: Option<String> => "sourceNamespace",
    }
}

api_enum! {
    pub enum RedirectPortSelection {
        FromProtocolDefault = "FROM_PROTOCOL_DEFAULT",
        FromRequestPort = "FROM_REQUEST_PORT",
    }
}

api_struct! {
    pub struct HttpRedirect oneof [["port", "derivePort"]] {
        uri: Option<String> => "uri",
        authority: Option<String> => "authority",
        port: Option<u32> => "port",
        derive_port: Option<RedirectPortSelection> => "derivePort",
        scheme: Option<String> => "scheme",
        redirect_code: Option<u32> => "redirectCode",
        prefix_rewrite: Option<String> => "prefixRewrite",
    }
}

api_struct! {
    pub struct HttpDirectResponse {
        status: Option<u32> => "status" | REQUIRED,
        body: Option<HttpBody> => "body",
    }
}

api_struct! {
    pub struct HttpBody oneof [["string", "bytes"]] {
        string: Option<String> => "string",
        bytes: Option<String> => "bytes",
    }
}

api_struct! {
    pub struct HttpRewrite {
        uri: Option<String> => "uri",
        authority: Option<String> => "authority",
        uri_regex_rewrite: Option<RegexRewrite> => "uriRegexRewrite",
    }
}

api_struct! {
    pub struct RegexRewrite {
        r#match: Option<String> => "match",
        rewrite: Option<String> => "rewrite",
    }
}

api_struct! {
    /// How to match a string in an HTTP header, URI, method, etc.
    pub struct StringMatch oneof [["exact", "prefix", "regex"]] {
        exact: Option<String> => "exact",
        prefix: Option<String> => "prefix",
        regex: Option<String> => "regex",
    }
}

api_struct! {
    pub struct HttpRetry {
        attempts: Option<i32> => "attempts",
        per_try_timeout: Option<Duration> => "perTryTimeout",
        retry_on: Option<String> => "retryOn",
        retry_remote_localities: Option<bool> => "retryRemoteLocalities",
        retry_ignore_previous_hosts: Option<bool> => "retryIgnorePreviousHosts",
        backoff: Option<Duration> => "backoff",
    }
}

api_enum! {
    pub enum UnmatchedPreflights {
        Unspecified = "UNSPECIFIED",
        Forward = "FORWARD",
        Ignore = "IGNORE",
    }
}

api_struct! {
    pub struct CorsPolicy {
        allow_origin: Vec<String> => "allowOrigin",
        allow_origins: Vec<StringMatch> => "allowOrigins",
        allow_methods: Vec<String> => "allowMethods",
        allow_headers: Vec<String> => "allowHeaders",
        expose_headers: Vec<String> => "exposeHeaders",
        max_age: Option<Duration> => "maxAge",
        allow_credentials: Option<bool> => "allowCredentials",
        unmatched_preflights: Option<UnmatchedPreflights> => "unmatchedPreflights",
    }
}

api_struct! {
    pub struct HttpFaultInjection {
        delay: Option<Delay> => "delay",
        abort: Option<Abort> => "abort",
    }
}

api_struct! {
    pub struct Delay oneof [["fixedDelay", "exponentialDelay"]] {
        percent: Option<i32> => "percent",
        fixed_delay: Option<Duration> => "fixedDelay",
        exponential_delay: Option<Duration> => "exponentialDelay",
        percentage: Option<Percent> => "percentage",
    }
}

api_struct! {
    pub struct Abort oneof [["httpStatus", "grpcStatus", "http2Error"]] {
        http_status: Option<i32> => "httpStatus",
        grpc_status: Option<String> => "grpcStatus",
        http2_error: Option<String> => "http2Error",
        percentage: Option<Percent> => "percentage",
    }
}

api_struct! {
    pub struct HttpMirrorPolicy {
        destination: Option<Destination> => "destination" | REQUIRED,
        percentage: Option<Percent> => "percentage",
    }
}

api_struct! {
    /// A percentage in the range 0.0 to 100.0.
    pub struct Percent {
        value: Option<f64> => "value",
    }
}
