//! Human output of `route-test`: a short block per request (what happened and where), with
//! every candidate's first failing condition for misses, and the whole trace with `--explain`.

use std::fmt::Write as _;

use super::engine::Outcome;
use super::explain::Decision;

/// ANSI styling, off unless colors are enabled.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
}

impl Style {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    pub fn bold(&self, s: &str) -> String {
        self.paint("1", s)
    }
    pub fn green(&self, s: &str) -> String {
        self.paint("1;32", s)
    }
    pub fn red(&self, s: &str) -> String {
        self.paint("1;31", s)
    }
    pub fn yellow(&self, s: &str) -> String {
        self.paint("1;33", s)
    }
    pub fn dim(&self, s: &str) -> String {
        self.paint("2", s)
    }
}

/// The headline word(s) of an outcome.
pub fn headline(d: &Decision) -> String {
    match d.outcome {
        Outcome::Route => "ROUTE".to_string(),
        Outcome::Redirect => format!("REDIRECT ({})", d.status.unwrap_or(301)),
        Outcome::DirectResponse => format!("DIRECT RESPONSE ({})", d.status.unwrap_or(200)),
        Outcome::TlsRedirect => "HTTPS REDIRECT (301)".to_string(),
        Outcome::NotFound => "NOT FOUND (404)".to_string(),
        Outcome::NoCluster => format!("NO CLUSTER ({})", d.status.unwrap_or(503)),
        Outcome::Passthrough => "PASSTHROUGH".to_string(),
        Outcome::Blocked => "BLOCKED (502)".to_string(),
        Outcome::NoListener => "NO LISTENER (connection refused)".to_string(),
        Outcome::TlsError => "TLS HANDSHAKE FAILURE".to_string(),
    }
}

/// Renders one decision.
pub fn human(d: &Decision, explain: bool, style: Style) -> String {
    let mut s = String::new();
    let head = headline(d);
    let head = match d.outcome {
        Outcome::Route | Outcome::Redirect | Outcome::DirectResponse | Outcome::TlsRedirect => {
            style.green(&head)
        }
        Outcome::Passthrough => style.yellow(&head),
        _ => style.red(&head),
    };
    let _ = writeln!(s, "{head}  {} {}", d.request.method, d.request.url);
    match d.proxy {
        "gateway" => {
            let mut line = format!("  gateway   {}", d.workload);
            if let Some(server) = &d.server {
                let _ = write!(line, "  server {server}");
            }
            if let Some(g) = &d.gateway {
                let _ = write!(line, "   [{} {g}]", d.gateway_kind.unwrap_or("Gateway"));
            }
            let _ = writeln!(s, "{line}");
        }
        _ => {
            let _ = writeln!(s, "  sidecar   {}", d.workload);
        }
    }
    if let Some(v) = &d.virtual_host {
        let table = d
            .route_table
            .as_deref()
            .map(|t| format!("   (route table {t})"))
            .unwrap_or_default();
        let _ = writeln!(s, "  vhost     {v}{}", style.dim(&table));
    }
    if let (Some(vs), Some(rule)) = (&d.virtual_service, &d.rule) {
        let kind = d.kind.unwrap_or("VirtualService");
        let section = match (kind, rule.condition.as_deref()) {
            ("HTTPRoute", _) => "rules",
            (_, Some("tcp")) => "tcp",
            (_, Some("tls")) => "tls",
            _ => "http",
        };
        let mut line = format!("  matched   {kind} {vs}  {section}[{}]", rule.index);
        if let Some(m) = rule.match_index {
            let _ = write!(line, " match[{m}]");
        }
        if let Some(n) = &rule.name {
            let _ = write!(line, " ({n:?})");
        }
        if let Some(del) = &rule.delegate {
            let _ = write!(
                line,
                "  via delegate {} http[{}]",
                del.virtual_service, del.index
            );
            if let Some(m) = del.match_index {
                let _ = write!(line, " match[{m}]");
            }
        }
        if let Some(c) = rule
            .condition
            .as_deref()
            .filter(|c| *c != "tcp" && *c != "tls")
        {
            let _ = write!(line, "  {c}");
        }
        let _ = writeln!(s, "{line}");
    }
    for dst in &d.destinations {
        let subset = dst
            .subset
            .as_ref()
            .map(|x| format!(" subset {x}"))
            .unwrap_or_default();
        let pct = format!("{:.4}", dst.percent);
        let pct = pct.trim_end_matches('0').trim_end_matches('.');
        let mut line = format!(
            "  ──▶ {}:{}{subset}  ({pct}%)   cluster {}",
            dst.host, dst.port, dst.cluster
        );
        if dst.is_missing() {
            let _ = write!(line, "  {}", style.red("MISSING"));
        }
        let _ = writeln!(s, "{line}");
    }
    if let Some(rw) = &d.rewrite {
        if let Some(p) = &rw.path {
            let _ = writeln!(s, "  rewrite   path {p}");
        }
        if let Some(a) = &rw.authority {
            let _ = writeln!(s, "  rewrite   authority {a}");
        }
    }
    if let Some(r) = &d.redirect {
        let _ = writeln!(s, "  ──▶ {} Location: {}", r.status, r.location);
    }
    if let Some(r) = &d.direct_response {
        let body = r
            .body
            .as_ref()
            .map(|b| format!("  body {:?}", truncate(b, 60)))
            .unwrap_or_default();
        let _ = writeln!(s, "  ──▶ {}{body}", r.status);
    }
    if explain {
        for (k, v) in [
            ("timeout", &d.timeout),
            ("retries", &d.retries),
            ("fault", &d.fault),
        ] {
            if let Some(v) = v {
                let _ = writeln!(s, "  {k:<9} {v}");
            }
        }
        for m in &d.mirrors {
            let _ = writeln!(s, "  mirror    {m}");
        }
    }
    let show_misses = explain
        || !matches!(
            d.outcome,
            Outcome::Route | Outcome::Redirect | Outcome::DirectResponse
        );
    if show_misses && !d.misses.is_empty() {
        let _ = writeln!(s, "  {}", style.bold("not matched:"));
        for m in &d.misses {
            let _ = writeln!(s, "    {m}");
        }
    }
    if explain
        || d.misses.is_empty()
            && !matches!(
                d.outcome,
                Outcome::Route | Outcome::Redirect | Outcome::DirectResponse
            )
    {
        let _ = writeln!(s, "  {}", style.bold("why:"));
        for t in &d.trace {
            let _ = writeln!(s, "    {t}");
        }
    }
    for n in &d.notes {
        let _ = writeln!(s, "  {} {n}", style.dim("note:"));
    }
    for w in &d.warnings {
        let _ = writeln!(s, "  {} {w}", style.yellow("warning:"));
    }
    s
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n).collect();
        t.push('…');
        t
    }
}
