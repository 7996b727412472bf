//! Mutating and validating admission webhook configurations
//! (`pkg/apis/admissionregistration/validation`).

use super::*;

pub(super) fn webhooks(hooks: &[Webhook], ctx: &mut Ctx<'_>) {
    let mut names = HashSet::new();
    for (i, w) in hooks.iter().enumerate() {
        let base = format!("webhooks[{i}]");
        if w.name.is_empty() {
            required(ctx, WEBHOOK_CONFIGURATION, format!("{base}.name"));
        } else {
            let parts = w.name.split('.').count();
            check_dns_subdomain(ctx, WEBHOOK_CONFIGURATION, &format!("{base}.name"), &w.name);
            if parts < 3 {
                invalid(
                    ctx,
                    WEBHOOK_CONFIGURATION,
                    format!("{base}.name"),
                    &w.name,
                    "should be a domain with at least three segments separated by dots",
                );
            }
            if !names.insert(w.name.as_str()) {
                duplicate(ctx, WEBHOOK_CONFIGURATION, format!("{base}.name"), &w.name);
            }
        }
        for (j, r) in w.rules.iter().enumerate() {
            rule(ctx, &format!("{base}.rules[{j}]"), r);
        }
        if w.side_effects.is_none() {
            ctx.report(
                WEBHOOK_CONFIGURATION,
                format!("{base}.sideEffects"),
                "Required value: must specify one of None, NoneOnDryRun",
            );
        }
        if let Some(t) = w.timeout_seconds
            && !(1..=30).contains(&t)
        {
            invalid(
                ctx,
                WEBHOOK_CONFIGURATION,
                format!("{base}.timeoutSeconds"),
                t,
                "the timeout value must be between 1 and 30 seconds",
            );
        }
        review_versions(
            ctx,
            &format!("{base}.admissionReviewVersions"),
            &w.admission_review_versions,
        );
        match &w.client_config {
            None => required(ctx, WEBHOOK_CONFIGURATION, format!("{base}.clientConfig")),
            Some(cc) => client_config(ctx, &format!("{base}.clientConfig"), cc),
        }
        if let Some(s) = &w.namespace_selector {
            check_label_selector(ctx, &format!("{base}.namespaceSelector"), s);
        }
        if let Some(s) = &w.object_selector {
            check_label_selector(ctx, &format!("{base}.objectSelector"), s);
        }
        if w.match_conditions.len() > 64 {
            ctx.report(
                WEBHOOK_CONFIGURATION,
                format!("{base}.matchConditions"),
                format!(
                    "Too many: {}: must have at most 64 items",
                    w.match_conditions.len()
                ),
            );
        }
        let mut cond_names = HashSet::new();
        for (j, m) in w.match_conditions.iter().enumerate() {
            let mp = format!("{base}.matchConditions[{j}]");
            if m.name.is_empty() {
                required(ctx, WEBHOOK_CONFIGURATION, format!("{mp}.name"));
            } else {
                check_qualified_name(ctx, WEBHOOK_CONFIGURATION, &format!("{mp}.name"), &m.name);
                if !cond_names.insert(m.name.as_str()) {
                    duplicate(ctx, WEBHOOK_CONFIGURATION, format!("{mp}.name"), &m.name);
                }
            }
            if m.expression.trim().is_empty() {
                required(ctx, WEBHOOK_CONFIGURATION, format!("{mp}.expression"));
            }
        }
    }
}

pub(super) fn review_versions(ctx: &mut Ctx<'_>, path: &str, versions: &[String]) {
    const SUPPORTED: &[&str] = &["v1", "v1beta1"];
    if versions.is_empty() {
        required_because(
            ctx,
            WEBHOOK_CONFIGURATION,
            path,
            "must specify one of v1, v1beta1",
        );
        return;
    }
    let mut seen = HashSet::new();
    for (i, v) in versions.iter().enumerate() {
        let p = format!("{path}[{i}]");
        if !seen.insert(v.as_str()) {
            duplicate(ctx, WEBHOOK_CONFIGURATION, &p, v);
        }
        if v.len() > 63 || !DNS1035_LABEL_RE.is_match(v) {
            invalid(
                ctx,
                WEBHOOK_CONFIGURATION,
                &p,
                v,
                "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
            );
        }
    }
    if !versions.iter().any(|v| SUPPORTED.contains(&v.as_str())) {
        invalid(
            ctx,
            WEBHOOK_CONFIGURATION,
            path,
            versions,
            "must include at least one of v1, v1beta1",
        );
    }
}

pub(super) fn rule(ctx: &mut Ctx<'_>, base: &str, r: &RuleWithOperations) {
    const OPERATIONS: &[&str] = &["*", "CREATE", "UPDATE", "DELETE", "CONNECT"];
    if r.operations.is_empty() {
        required(ctx, WEBHOOK_CONFIGURATION, format!("{base}.operations"));
    }
    if r.operations.len() > 1 && r.operations.iter().any(|o| o == "*") {
        invalid(
            ctx,
            WEBHOOK_CONFIGURATION,
            format!("{base}.operations"),
            &r.operations,
            "if '*' is present, must not specify other operations",
        );
    }
    for (i, o) in r.operations.iter().enumerate() {
        if !OPERATIONS.contains(&o.as_str()) {
            unsupported(
                ctx,
                WEBHOOK_CONFIGURATION,
                format!("{base}.operations[{i}]"),
                o,
                OPERATIONS,
            );
        }
    }
    for (field, list) in [
        ("apiGroups", &r.api_groups),
        ("apiVersions", &r.api_versions),
    ] {
        if list.is_empty() {
            required(ctx, WEBHOOK_CONFIGURATION, format!("{base}.{field}"));
        }
        if list.len() > 1 && list.iter().any(|g| g == "*") {
            invalid(
                ctx,
                WEBHOOK_CONFIGURATION,
                format!("{base}.{field}"),
                list,
                "if '*' is present, must not specify other API groups",
            );
        }
    }
    for (i, v) in r.api_versions.iter().enumerate() {
        if v.is_empty() {
            required(
                ctx,
                WEBHOOK_CONFIGURATION,
                format!("{base}.apiVersions[{i}]"),
            );
        }
    }
    if r.resources.is_empty() {
        required(ctx, WEBHOOK_CONFIGURATION, format!("{base}.resources"));
    }
    let mut seen = HashSet::new();
    for (i, res) in r.resources.iter().enumerate() {
        let p = format!("{base}.resources[{i}]");
        if res.is_empty() {
            required(ctx, WEBHOOK_CONFIGURATION, &p);
            continue;
        }
        if !seen.insert(res.as_str()) {
            duplicate(ctx, WEBHOOK_CONFIGURATION, &p, res);
        }
        if res.contains('/') && res.split('/').count() != 2 {
            invalid(
                ctx,
                WEBHOOK_CONFIGURATION,
                &p,
                res,
                "resource and subresource must be separated by a single '/'",
            );
        }
    }
    if r.resources.iter().any(|x| x == "*/*") && r.resources.len() > 1 {
        invalid(
            ctx,
            WEBHOOK_CONFIGURATION,
            format!("{base}.resources"),
            &r.resources,
            "if '*/*' is present, must not specify other resources",
        );
    }
    if let Some(scope) = &r.scope {
        const SCOPES: &[&str] = &["*", "Cluster", "Namespaced"];
        if !SCOPES.contains(&scope.as_str()) {
            unsupported(
                ctx,
                WEBHOOK_CONFIGURATION,
                format!("{base}.scope"),
                scope,
                SCOPES,
            );
        }
    }
}

pub(super) fn client_config(ctx: &mut Ctx<'_>, base: &str, cc: &WebhookClientConfig) {
    match (&cc.url, &cc.service) {
        (None, None) | (Some(_), Some(_)) => required_because(
            ctx,
            WEBHOOK_CONFIGURATION,
            base,
            "exactly one of url or service is required",
        ),
        (Some(url), None) => webhook_url(ctx, &format!("{base}.url"), url),
        (None, Some(svc)) => {
            let sp = format!("{base}.service");
            if svc.name.is_empty() {
                required_because(
                    ctx,
                    WEBHOOK_CONFIGURATION,
                    format!("{sp}.name"),
                    "service name is required",
                );
            }
            if svc.namespace.is_empty() {
                required_because(
                    ctx,
                    WEBHOOK_CONFIGURATION,
                    format!("{sp}.namespace"),
                    "service namespace is required",
                );
            }
            if let Some(path) = svc.path.as_deref().filter(|p| !p.is_empty()) {
                webhook_path(ctx, &format!("{sp}.path"), path);
            }
            if let Some(port) = svc.port
                && !(1..=65535).contains(&port)
            {
                invalid(
                    ctx,
                    WEBHOOK_CONFIGURATION,
                    format!("{sp}.port"),
                    port,
                    "port is not valid: must be between 1 and 65535, inclusive",
                );
            }
        }
    }
    if let Some(ca) = &cc.ca_bundle
        && let Err(at) = base64_decoded_len(ca)
    {
        invalid(
            ctx,
            WEBHOOK_CONFIGURATION,
            format!("{base}.caBundle"),
            "<bundle>",
            &format!("illegal base64 data at input byte {at}"),
        );
    }
}

pub(super) fn webhook_url(ctx: &mut Ctx<'_>, path: &str, url: &str) {
    let Some((scheme, rest)) = url.split_once("://") else {
        invalid(
            ctx,
            WEBHOOK_CONFIGURATION,
            path,
            url,
            "'https' is the only allowed URL scheme",
        );
        return;
    };
    if scheme != "https" {
        invalid(
            ctx,
            WEBHOOK_CONFIGURATION,
            path,
            url,
            "'https' is the only allowed URL scheme",
        );
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.contains('@') {
        invalid(
            ctx,
            WEBHOOK_CONFIGURATION,
            path,
            url,
            "user information is not permitted in the URL",
        );
    }
    let host = authority.rsplit('@').next().unwrap_or("");
    if host.is_empty() {
        invalid(
            ctx,
            WEBHOOK_CONFIGURATION,
            path,
            url,
            "host must be specified",
        );
    }
    if rest.contains('#') {
        invalid(
            ctx,
            WEBHOOK_CONFIGURATION,
            path,
            url,
            "fragments are not permitted in the URL",
        );
    }
    if rest.contains('?') {
        invalid(
            ctx,
            WEBHOOK_CONFIGURATION,
            path,
            url,
            "query parameters are not permitted in the URL",
        );
    }
}

pub(super) fn webhook_path(ctx: &mut Ctx<'_>, path: &str, p: &str) {
    if !p.starts_with('/') {
        invalid(ctx, WEBHOOK_CONFIGURATION, path, p, "must start with a '/'");
        return;
    }
    if p == "/" {
        return;
    }
    let trimmed = p.strip_suffix('/').unwrap_or(p);
    for (i, seg) in trimmed.split('/').skip(1).enumerate() {
        if seg.is_empty() {
            invalid(
                ctx,
                WEBHOOK_CONFIGURATION,
                path,
                p,
                &format!("segment[{i}] may not be empty"),
            );
        } else if !dns_subdomain_errors(&seg.to_lowercase()).is_empty() {
            invalid(
                ctx,
                WEBHOOK_CONFIGURATION,
                path,
                p,
                &format!("segment[{i}]: {DNS_SUBDOMAIN_MSG}"),
            );
        }
    }
}
