//! The request being routed: parsed from a URL plus `-X`, `-H` and `--sni`, with the path
//! normalised the way Istio's default (`BASE`) normalisation does before route matching.

use std::borrow::Cow;
use std::fmt;

/// An HTTP request as the proxy sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// `http` or `https` (also `tcp` / `tls` for connections without HTTP).
    pub scheme: String,
    /// Host without port, lower-cased, from the `Host` header (virtual-host selection).
    pub host: String,
    /// The URL's host, lower-cased: where the connection goes (a `Host:` header does not
    /// change it).
    pub url_host: String,
    /// The port the client connects to.
    pub port: u16,
    /// `:authority` as sent: the URL's authority (host plus a non-default port).
    pub authority: String,
    pub method: String,
    /// Path as given (without query), before normalisation.
    pub raw_path: String,
    /// Normalised path (dot segments resolved), used for matching.
    pub path: String,
    /// Raw query string without `?` (empty when none).
    pub query: String,
    /// Header names lower-cased; one entry per header (repeated headers joined with `,`).
    pub headers: Vec<(String, String)>,
    /// TLS server name for https/tls connections.
    pub sni: Option<String>,
}

/// A request could not be built from the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestError(pub String);

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Request {
    /// Parses `scheme://host[:port][/path][?query]`. A URL without a scheme is taken as http.
    pub fn parse(url: &str) -> Result<Request, RequestError> {
        let (scheme, rest) = match url.split_once("://") {
            Some((s, r)) => (s.to_ascii_lowercase(), r),
            None => ("http".to_string(), url),
        };
        let default_port = match scheme.as_str() {
            "http" => 80,
            "https" => 443,
            "tcp" | "tls" => 0,
            other => {
                return Err(RequestError(format!(
                    "unsupported URL scheme {other:?}: use http, https, tcp or tls"
                )));
            }
        };
        let (authority, path_query) = match rest.find(['/', '?']) {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        let authority = authority.rsplit_once('@').map_or(authority, |(_, a)| a);
        if authority.is_empty() {
            return Err(RequestError(format!("URL {url:?} has no host")));
        }
        let (host, port) = split_host_port(authority)
            .ok_or_else(|| RequestError(format!("URL {url:?}: invalid host or port")))?;
        let port = match port {
            Some(p) => p,
            None if default_port != 0 => default_port,
            None => {
                return Err(RequestError(format!(
                    "URL {url:?}: a {scheme} URL needs a port (e.g. {scheme}://{host}:3306)"
                )));
            }
        };
        let (raw_path, query) = match path_query.split_once('?') {
            Some((p, q)) => (p, q),
            None => (path_query, ""),
        };
        let raw_path = raw_path.split('#').next().unwrap_or_default();
        let raw_path = if raw_path.is_empty() { "/" } else { raw_path };
        let query = query.split('#').next().unwrap_or_default();
        let sni = (scheme == "https" || scheme == "tls").then(|| host.to_ascii_lowercase());
        Ok(Request {
            authority: authority.to_string(),
            host: host.trim_end_matches('.').to_ascii_lowercase(),
            url_host: host.trim_end_matches('.').to_ascii_lowercase(),
            port,
            method: "GET".to_string(),
            path: normalize_path(raw_path),
            raw_path: raw_path.to_string(),
            query: query.to_string(),
            headers: Vec::new(),
            sni,
            scheme,
        })
    }

    /// Adds a header from `Name: value`. `Host` replaces the authority (and so the virtual host
    /// chosen), as with curl.
    pub fn add_header_line(&mut self, line: &str) -> Result<(), RequestError> {
        let (name, value) = line.split_once(':').ok_or_else(|| {
            RequestError(format!("header {line:?} is not in the form 'Name: value'"))
        })?;
        let name = name.trim();
        if name.is_empty() || !name.bytes().all(is_token_byte) {
            return Err(RequestError(format!("invalid header name {name:?}")));
        }
        self.add_header(name, value.trim());
        Ok(())
    }

    /// Adds a header; repeated names are joined with `,` as Envoy does before matching.
    pub fn add_header(&mut self, name: &str, value: &str) {
        let name = name.to_ascii_lowercase();
        if name == "host" || name == ":authority" {
            self.authority = value.to_string();
            if let Some((h, _)) = split_host_port(value) {
                self.host = h.trim_end_matches('.').to_ascii_lowercase();
            }
            return;
        }
        match self.headers.iter_mut().find(|(n, _)| *n == name) {
            Some((_, v)) => {
                v.push(',');
                v.push_str(value);
            }
            None => self.headers.push((name, value.to_string())),
        }
    }

    /// A request header's value, including the pseudo-headers `:method`, `:authority`,
    /// `:scheme` and `:path`.
    pub fn header(&self, name: &str) -> Option<&str> {
        match name {
            ":method" => Some(&self.method),
            ":authority" | "host" => Some(&self.authority),
            ":scheme" => Some(&self.scheme),
            ":path" => Some(&self.raw_path),
            _ => self
                .headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str()),
        }
    }

    /// The first value of query parameter `name` (URL-decoded), `Some("")` for `?name`.
    pub fn query_param(&self, name: &str) -> Option<Cow<'_, str>> {
        self.query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| p.split_once('=').unwrap_or((p, "")))
            .find(|(k, _)| percent_decode(k) == name)
            .map(|(_, v)| percent_decode(v))
    }

    /// The path and query as sent upstream (`/a/b?x=1`).
    pub fn path_and_query(&self) -> String {
        if self.query.is_empty() {
            self.path.clone()
        } else {
            format!("{}?{}", self.path, self.query)
        }
    }

    /// The request line as shown to users: `GET http://host/path?q`.
    pub fn display_url(&self) -> String {
        format!(
            "{}://{}{}",
            self.scheme,
            self.authority,
            self.path_and_query()
        )
    }

    /// Whether the request carries HTTP (as opposed to a raw TCP or TLS connection).
    pub fn is_http(&self) -> bool {
        self.scheme == "http" || self.scheme == "https"
    }
}

fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~:".contains(&b)
}

/// Splits `host[:port]` (IPv6 literals in brackets). `None` when the port is not a number in
/// 1..=65535 or the host is empty.
pub fn split_host_port(authority: &str) -> Option<(&str, Option<u16>)> {
    if let Some(rest) = authority.strip_prefix('[') {
        let (host, after) = rest.split_once(']')?;
        return match after.strip_prefix(':') {
            Some(p) => Some((host, Some(parse_port(p)?))),
            None if after.is_empty() => Some((host, None)),
            None => None,
        };
    }
    match authority.rsplit_once(':') {
        Some((h, p)) if !h.contains(':') => {
            if h.is_empty() {
                return None;
            }
            Some((h, Some(parse_port(p)?)))
        }
        Some(_) => Some((authority, None)),
        None if authority.is_empty() => None,
        None => Some((authority, None)),
    }
}

fn parse_port(p: &str) -> Option<u16> {
    p.parse::<u16>().ok().filter(|&n| n != 0)
}

/// Resolves `.` and `..` segments as Envoy's `normalize_path` does (RFC 3986 section 5.2.4);
/// duplicate slashes and percent-escapes are left alone (Istio's default `BASE` setting).
pub fn normalize_path(path: &str) -> String {
    if !path.contains("/.") {
        return path.to_string();
    }
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    let last = segments.len().saturating_sub(1);
    let mut trailing_slash = false;
    for (i, seg) in segments.iter().enumerate() {
        match *seg {
            "." => trailing_slash = i == last,
            ".." => {
                out.pop();
                trailing_slash = i == last;
            }
            s => {
                out.push(s);
                trailing_slash = false;
            }
        }
    }
    let mut p = String::with_capacity(path.len());
    for seg in &out {
        p.push('/');
        p.push_str(seg);
    }
    if trailing_slash || p.is_empty() {
        p.push('/');
    }
    p
}

/// Decodes `%xx` escapes and `+` (as a space) in a query component.
pub fn percent_decode(s: &str) -> Cow<'_, str> {
    if !s.contains(['%', '+']) {
        return Cow::Borrowed(s);
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = |b: &u8| (*b as char).to_digit(16);
                match (
                    bytes.get(i + 1).and_then(hex),
                    bytes.get(i + 2).and_then(hex),
                ) {
                    (Some(h), Some(l)) => {
                        out.push((h * 16 + l) as u8);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_urls() {
        let r = Request::parse("http://Bookinfo.Example.com/api/v1/products?x=1#f").unwrap();
        assert_eq!(r.host, "bookinfo.example.com");
        assert_eq!(r.port, 80);
        assert_eq!(r.authority, "Bookinfo.Example.com");
        assert_eq!(r.path, "/api/v1/products");
        assert_eq!(r.query, "x=1");
        let r = Request::parse("https://a.com:8443").unwrap();
        assert_eq!((r.port, r.path.as_str()), (8443, "/"));
        assert_eq!(r.sni.as_deref(), Some("a.com"));
        let r = Request::parse("reviews:9080/x").unwrap();
        assert_eq!(
            (r.scheme.as_str(), r.host.as_str(), r.port),
            ("http", "reviews", 9080)
        );
        let r = Request::parse("http://[fe80::1]:81/").unwrap();
        assert_eq!((r.host.as_str(), r.port), ("fe80::1", 81));
        assert!(Request::parse("ftp://a").is_err());
        assert!(Request::parse("http://a:99999/").is_err());
        assert!(Request::parse("http:///x").is_err());
        assert!(Request::parse("tcp://db").is_err());
    }

    #[test]
    fn headers_and_host_override() {
        let mut r = Request::parse("http://a.com/").unwrap();
        r.add_header_line("X-Env: canary").unwrap();
        r.add_header_line("x-env: two").unwrap();
        r.add_header_line("Host: b.com:8080").unwrap();
        assert_eq!(r.header("X-ENV"), Some("canary,two"));
        assert_eq!(r.host, "b.com");
        assert_eq!(r.header(":authority"), Some("b.com:8080"));
        assert!(r.add_header_line("no colon").is_err());
        assert!(r.add_header_line("bad name: v").is_err());
    }

    #[test]
    fn query_params_first_value_decoded() {
        let r = Request::parse("http://a/?a=1&a=2&b=x%20y+z&flag").unwrap();
        assert_eq!(r.query_param("a").as_deref(), Some("1"));
        assert_eq!(r.query_param("b").as_deref(), Some("x y z"));
        assert_eq!(r.query_param("flag").as_deref(), Some(""));
        assert_eq!(r.query_param("c"), None);
    }

    #[test]
    fn path_normalisation() {
        assert_eq!(normalize_path("/a/./b/../c"), "/a/c");
        assert_eq!(normalize_path("/a/.."), "/");
        assert_eq!(normalize_path("/../x"), "/x");
        assert_eq!(normalize_path("/a//b"), "/a//b");
        assert_eq!(normalize_path("/a/b/."), "/a/b/");
        assert_eq!(normalize_path("/.hidden"), "/.hidden");
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("a%2Fb"), "a/b");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
    }
}
