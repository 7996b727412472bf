//! Containers: ports, env, resources, probes and lifecycle hooks (`validateContainers`).

use super::*;

pub(super) fn container(
    ctx: &mut Ctx<'_>,
    base: &str,
    c: &Container,
    init: bool,
    usage: PodUse,
    host_network: bool,
    volumes: &HashSet<String>,
) {
    if c.name.is_empty() {
        required(ctx, POD_CONTAINERS, format!("{base}.name"));
    } else {
        check_dns_label(ctx, POD_CONTAINERS, &format!("{base}.name"), &c.name);
    }
    if c.image.is_empty() {
        required(ctx, POD_CONTAINERS, format!("{base}.image"));
    } else if usage == PodUse::Pod && c.image.trim() != c.image {
        invalid(
            ctx,
            POD_CONTAINERS,
            format!("{base}.image"),
            &c.image,
            "must not have leading or trailing whitespace",
        );
    }

    let restartable = c.is_restartable();
    match (&c.restart_policy, init) {
        (Some(rp), true) if rp != "Always" => {
            unsupported(ctx, POD_CONTAINERS, format!("{base}.restartPolicy"), rp, &["Always"])
        }
        (Some(_), false) => ctx.report(POD_WARNING,
            format!("{base}.restartPolicy"),
            "Forbidden: may not be set for non-init containers unless the ContainerRestartRules feature gate is enabled",
        ),
        _ => {}
    }

    // Ports.
    let mut port_names = HashSet::new();
    let mut seen_ports: HashMap<String, usize> = HashMap::new();
    for (j, p) in c.ports.iter().enumerate() {
        let pp = format!("{base}.ports[{j}]");
        if p.container_port == 0 {
            required(ctx, POD_CONTAINERS, format!("{pp}.containerPort"));
        } else {
            check_port_number(
                ctx,
                POD_CONTAINERS,
                &format!("{pp}.containerPort"),
                i64::from(p.container_port),
            );
        }
        if let Some(hp) = p.host_port.filter(|h| *h != 0) {
            check_port_number(
                ctx,
                POD_CONTAINERS,
                &format!("{pp}.hostPort"),
                i64::from(hp),
            );
            if host_network && hp != p.container_port {
                invalid(
                    ctx,
                    POD_CONTAINERS,
                    format!("{pp}.hostPort"),
                    hp,
                    "must match `containerPort` when `hostNetwork` is true",
                );
            }
        }
        if !p.name.is_empty() {
            check_port_name(ctx, POD_CONTAINERS, &format!("{pp}.name"), &p.name);
            if !port_names.insert(p.name.as_str()) {
                duplicate(ctx, POD_CONTAINERS, format!("{pp}.name"), &p.name);
            }
        }
        if let Some(ip) = p.host_ip.as_deref().filter(|s| !s.is_empty())
            && parse_ip(ip).is_none()
        {
            invalid(
                ctx,
                POD_CONTAINERS,
                format!("{pp}.hostIP"),
                ip,
                "must be a valid IP address",
            );
        }
        let key = format!("{}/{}", p.container_port, p.protocol().as_str());
        if let Some(first) = seen_ports.get(&key) {
            ctx.report(
                POD_WARNING,
                &pp,
                format!("duplicate port definition with {base}.ports[{first}]"),
            );
        } else {
            seen_ports.insert(key, j);
        }
    }

    // Environment.
    let mut env_names: HashMap<&str, usize> = HashMap::new();
    for (j, e) in c.env.iter().enumerate() {
        let ep = format!("{base}.env[{j}]");
        if e.name.is_empty() {
            required(ctx, POD_CONTAINERS, format!("{ep}.name"));
        } else {
            if !e.name.bytes().all(|b| (32..=126).contains(&b) && b != b'=') {
                invalid(
                    ctx,
                    POD_CONTAINERS,
                    format!("{ep}.name"),
                    &e.name,
                    "a valid environment variable name must consist only of printable ASCII characters other than '='",
                );
            }
            if let Some(prev) = env_names.insert(e.name.as_str(), j) {
                ctx.report(POD_WARNING,
                    format!("{ep}.name"),
                    format!(
                        "hides previous definition of {:?}, which may be dropped when using apply ({base}.env[{prev}])",
                        e.name
                    ),
                );
            }
        }
        if let Some(vf) = &e.value_from {
            env_source(ctx, &format!("{ep}.valueFrom"), vf, e.value.as_deref());
        }
    }
    for (j, ef) in c.env_from.iter().enumerate() {
        let ep = format!("{base}.envFrom[{j}]");
        match (&ef.config_map_ref, &ef.secret_ref) {
            (None, None) => invalid(
                ctx,
                POD_CONTAINERS,
                &ep,
                "",
                "must specify one of: `configMapRef` or `secretRef`",
            ),
            (Some(_), Some(_)) => invalid(
                ctx,
                POD_CONTAINERS,
                &ep,
                "",
                "may not have more than one field specified at a time",
            ),
            (Some(r), None) | (None, Some(r)) => {
                if r.name.is_empty() {
                    let field = if ef.config_map_ref.is_some() {
                        "configMapRef"
                    } else {
                        "secretRef"
                    };
                    required(ctx, POD_CONTAINERS, format!("{ep}.{field}.name"));
                }
            }
        }
    }

    // Volume mounts.
    let mut mount_paths = HashSet::new();
    for (j, m) in c.volume_mounts.iter().enumerate() {
        let mp = format!("{base}.volumeMounts[{j}]");
        if m.name.is_empty() {
            required(ctx, POD_VOLUMES, format!("{mp}.name"));
        } else if !volumes.contains(&m.name) {
            ctx.report(
                POD_VOLUMES,
                format!("{mp}.name"),
                format!("Not found: {:?}", m.name),
            );
        }
        if m.mount_path.is_empty() {
            required(ctx, POD_VOLUMES, format!("{mp}.mountPath"));
        } else if !mount_paths.insert(m.mount_path.as_str()) {
            invalid(
                ctx,
                POD_VOLUMES,
                format!("{mp}.mountPath"),
                &m.mount_path,
                "must be unique",
            );
        }
        if let Some(sp) = m.sub_path.as_deref().filter(|s| !s.is_empty()) {
            relative_path(ctx, &format!("{mp}.subPath"), sp);
        }
        if m.sub_path.as_deref().is_some_and(|s| !s.is_empty())
            && m.sub_path_expr.as_deref().is_some_and(|s| !s.is_empty())
        {
            invalid(
                ctx,
                POD_VOLUMES,
                format!("{mp}.subPathExpr"),
                m.sub_path_expr.as_deref().unwrap_or(""),
                "subPathExpr and subPath are mutually exclusive",
            );
        }
        if m.mount_propagation == Some(MountPropagation::Bidirectional)
            && c.security_context.as_ref().and_then(|s| s.privileged) != Some(true)
        {
            forbidden(
                ctx,
                POD_VOLUMES,
                format!("{mp}.mountPropagation"),
                "Bidirectional mount propagation is available only to privileged containers",
            );
        }
    }
    for (j, d) in c.volume_devices.iter().enumerate() {
        let dp = format!("{base}.volumeDevices[{j}]");
        if d.name.is_empty() {
            required(ctx, POD_VOLUMES, format!("{dp}.name"));
        } else if !volumes.contains(&d.name) {
            ctx.report(
                POD_VOLUMES,
                format!("{dp}.name"),
                format!("Not found: {:?}", d.name),
            );
        }
        if d.device_path.is_empty() {
            required(ctx, POD_VOLUMES, format!("{dp}.devicePath"));
        }
    }

    // Probes and lifecycle.
    let probes = [
        ("livenessProbe", &c.liveness_probe),
        ("readinessProbe", &c.readiness_probe),
        ("startupProbe", &c.startup_probe),
    ];
    for (field, probe) in probes {
        let Some(probe) = probe else { continue };
        let pp = format!("{base}.{field}");
        if init && !restartable {
            forbidden(
                ctx,
                POD_CONTAINERS,
                &pp,
                "may not be set for init containers without restartPolicy=Always",
            );
            continue;
        }
        check_probe(ctx, &pp, probe, field);
    }
    if let Some(lc) = &c.lifecycle {
        let lp = format!("{base}.lifecycle");
        if init && !restartable {
            forbidden(
                ctx,
                POD_CONTAINERS,
                &lp,
                "may not be set for init containers without restartPolicy=Always",
            );
        } else {
            for (field, h) in [("postStart", &lc.post_start), ("preStop", &lc.pre_stop)] {
                if let Some(h) = h {
                    lifecycle_handler(ctx, &format!("{lp}.{field}"), h);
                }
            }
        }
    }

    if let Some(r) = &c.resources {
        check_resources(ctx, &format!("{base}.resources"), r);
    }
    if let Some(sc) = &c.security_context {
        let sp = format!("{base}.securityContext");
        check_id(
            ctx,
            POD_CONTAINERS,
            &format!("{sp}.runAsUser"),
            sc.run_as_user,
        );
        check_id(
            ctx,
            POD_CONTAINERS,
            &format!("{sp}.runAsGroup"),
            sc.run_as_group,
        );
        if sc.allow_privilege_escalation == Some(false) {
            if sc.privileged == Some(true) {
                invalid(
                    ctx,
                    POD_CONTAINERS,
                    &sp,
                    "",
                    "cannot set `allowPrivilegeEscalation` to false and `privileged` to true",
                );
            }
            if sc.capabilities.as_ref().is_some_and(|caps| {
                caps.add
                    .iter()
                    .any(|a| a == "CAP_SYS_ADMIN" || a == "SYS_ADMIN")
            }) {
                invalid(
                    ctx,
                    POD_CONTAINERS,
                    &sp,
                    "",
                    "cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN",
                );
            }
        }
        check_profile(
            ctx,
            &format!("{sp}.seccompProfile"),
            sc.seccomp_profile
                .as_ref()
                .map(|p| (p.r#type, &p.localhost_profile)),
            "seccomp",
        );
        check_profile(
            ctx,
            &format!("{sp}.appArmorProfile"),
            sc.app_armor_profile
                .as_ref()
                .map(|p| (p.r#type, &p.localhost_profile)),
            "AppArmor",
        );
    }
}

pub(super) const ENV_FIELD_PATHS: &[&str] = &[
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
    "spec.nodeName",
    "spec.serviceAccountName",
    "status.hostIP",
    "status.hostIPs",
    "status.podIP",
    "status.podIPs",
];

pub(super) const ENV_RESOURCES: &[&str] = &[
    "limits.cpu",
    "limits.memory",
    "limits.ephemeral-storage",
    "requests.cpu",
    "requests.memory",
    "requests.ephemeral-storage",
];

pub(super) fn env_source(ctx: &mut Ctx<'_>, path: &str, vf: &EnvVarSource, value: Option<&str>) {
    let set = [
        vf.field_ref.is_some(),
        vf.resource_field_ref.is_some(),
        vf.config_map_key_ref.is_some(),
        vf.secret_key_ref.is_some(),
        vf.file_key_ref.is_some(),
    ]
    .into_iter()
    .filter(|b| *b)
    .count();
    if set == 0 {
        invalid(
            ctx,
            POD_CONTAINERS,
            path,
            "",
            "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`",
        );
    } else if set > 1 {
        invalid(
            ctx,
            POD_CONTAINERS,
            path,
            "",
            "may not have more than one field specified at a time",
        );
    }
    if value.is_some_and(|v| !v.is_empty()) {
        invalid(
            ctx,
            POD_CONTAINERS,
            path,
            "",
            "may not be specified when `value` is not empty",
        );
    }
    if let Some(f) = &vf.field_ref {
        let fp = format!("{path}.fieldRef");
        if let Some(v) = f.api_version.as_deref().filter(|v| !v.is_empty())
            && v != "v1"
        {
            unsupported(ctx, POD_CONTAINERS, format!("{fp}.apiVersion"), v, &["v1"]);
        }
        let p = f.field_path.as_str();
        let subscripted = ["metadata.labels['", "metadata.annotations['"]
            .iter()
            .any(|pre| p.starts_with(pre) && p.ends_with("']") && p.len() > pre.len() + 2);
        if p.is_empty() {
            required(ctx, POD_CONTAINERS, format!("{fp}.fieldPath"));
        } else if !ENV_FIELD_PATHS.contains(&p) && !subscripted {
            unsupported(
                ctx,
                POD_CONTAINERS,
                format!("{fp}.fieldPath"),
                p,
                ENV_FIELD_PATHS,
            );
        }
    }
    if let Some(r) = &vf.resource_field_ref {
        let rp = format!("{path}.resourceFieldRef");
        if r.resource.is_empty() {
            required(ctx, POD_CONTAINERS, format!("{rp}.resource"));
        } else if !ENV_RESOURCES.contains(&r.resource.as_str())
            && !r.resource.starts_with("limits.hugepages-")
            && !r.resource.starts_with("requests.hugepages-")
        {
            unsupported(
                ctx,
                POD_CONTAINERS,
                format!("{rp}.resource"),
                &r.resource,
                ENV_RESOURCES,
            );
        }
        if let Some(d) = &r.divisor {
            check_quantity(ctx, &format!("{rp}.divisor"), d);
        }
    }
    for (field, sel) in [
        ("configMapKeyRef", &vf.config_map_key_ref),
        ("secretKeyRef", &vf.secret_key_ref),
    ] {
        let Some(sel) = sel else { continue };
        let sp = format!("{path}.{field}");
        if sel.name.is_empty() {
            required(ctx, POD_CONTAINERS, format!("{sp}.name"));
        }
        if sel.key.is_empty() {
            required(ctx, POD_CONTAINERS, format!("{sp}.key"));
        } else {
            for e in config_key_errors(&sel.key) {
                invalid(ctx, POD_CONTAINERS, format!("{sp}.key"), &sel.key, e);
            }
        }
    }
    if let Some(f) = &vf.file_key_ref {
        let fp = format!("{path}.fileKeyRef");
        for (field, v) in [
            ("volumeName", &f.volume_name),
            ("path", &f.path),
            ("key", &f.key),
        ] {
            if v.is_empty() {
                required(ctx, POD_CONTAINERS, format!("{fp}.{field}"));
            }
        }
    }
}

pub(super) fn check_probe(ctx: &mut Ctx<'_>, path: &str, probe: &Probe, field: &str) {
    let handlers = [
        ("exec", probe.exec.is_some()),
        ("httpGet", probe.http_get.is_some()),
        ("tcpSocket", probe.tcp_socket.is_some()),
        ("grpc", probe.grpc.is_some()),
    ];
    let set: Vec<&str> = handlers
        .iter()
        .filter_map(|(n, s)| s.then_some(*n))
        .collect();
    match set.as_slice() {
        [] => required_because(ctx, POD_PROBES, path, "must specify a handler type"),
        [_] => {}
        [_, second, ..] => forbidden(
            ctx,
            POD_PROBES,
            format!("{path}.{second}"),
            "may not specify more than 1 handler type",
        ),
    }
    for (name, v) in [
        ("initialDelaySeconds", probe.initial_delay_seconds),
        ("timeoutSeconds", probe.timeout_seconds),
        ("periodSeconds", probe.period_seconds),
        ("successThreshold", probe.success_threshold),
        ("failureThreshold", probe.failure_threshold),
    ] {
        check_non_negative(ctx, POD_PROBES, &format!("{path}.{name}"), v.map(i64::from));
    }
    if field != "readinessProbe"
        && let Some(s) = probe.success_threshold
        && s != 1
    {
        invalid(
            ctx,
            POD_PROBES,
            format!("{path}.successThreshold"),
            s,
            "must be 1",
        );
    }
    if let Some(t) = probe.termination_grace_period_seconds {
        if field == "readinessProbe" {
            invalid(
                ctx,
                POD_PROBES,
                format!("{path}.terminationGracePeriodSeconds"),
                t,
                "must not be set for readinessProbes",
            );
        } else if t <= 0 {
            invalid(
                ctx,
                POD_PROBES,
                format!("{path}.terminationGracePeriodSeconds"),
                t,
                "must be greater than 0",
            );
        }
    }
    handler_actions(ctx, path, &probe.exec, &probe.http_get, &probe.tcp_socket);
    if let Some(g) = &probe.grpc {
        check_port_number(
            ctx,
            POD_PROBES,
            &format!("{path}.grpc.port"),
            i64::from(g.port),
        );
    }
}

/// The actions probes and lifecycle hooks share: `exec` needs a command, `httpGet` and
/// `tcpSocket` a valid port.
pub(super) fn handler_actions(
    ctx: &mut Ctx<'_>,
    path: &str,
    exec: &Option<ExecAction>,
    get: &Option<HttpGetAction>,
    tcp: &Option<TcpSocketAction>,
) {
    if let Some(e) = exec
        && e.command.is_empty()
    {
        required(ctx, POD_PROBES, format!("{path}.exec.command"));
    }
    if let Some(g) = get {
        http_get(ctx, &format!("{path}.httpGet"), g);
    }
    if let Some(t) = tcp {
        port_num_or_name(ctx, &format!("{path}.tcpSocket.port"), t.port.as_ref());
    }
}

pub(super) fn lifecycle_handler(ctx: &mut Ctx<'_>, path: &str, h: &LifecycleHandler) {
    let set: Vec<&str> = [
        ("exec", h.exec.is_some()),
        ("httpGet", h.http_get.is_some()),
        ("tcpSocket", h.tcp_socket.is_some()),
        ("sleep", h.sleep.is_some()),
    ]
    .iter()
    .filter_map(|(n, s)| s.then_some(*n))
    .collect();
    match set.as_slice() {
        [] => required_because(ctx, POD_PROBES, path, "must specify a handler type"),
        [_] => {}
        [_, second, ..] => forbidden(
            ctx,
            POD_PROBES,
            format!("{path}.{second}"),
            "may not specify more than 1 handler type",
        ),
    }
    handler_actions(ctx, path, &h.exec, &h.http_get, &h.tcp_socket);
    if let Some(s) = &h.sleep
        && s.seconds < 0
    {
        invalid(
            ctx,
            POD_PROBES,
            format!("{path}.sleep.seconds"),
            s.seconds,
            NON_NEGATIVE_MSG,
        );
    }
}

pub(super) fn http_get(ctx: &mut Ctx<'_>, path: &str, h: &HttpGetAction) {
    port_num_or_name(ctx, &format!("{path}.port"), h.port.as_ref());
    for (i, header) in h.http_headers.iter().enumerate() {
        if !HTTP_HEADER_NAME_RE.is_match(&header.name) {
            invalid(
                ctx,
                POD_PROBES,
                format!("{path}.httpHeaders[{i}].name"),
                &header.name,
                "a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')",
            );
        }
    }
}

/// Kubernetes `ValidatePortNumOrName`.
pub(super) fn port_num_or_name(ctx: &mut Ctx<'_>, path: &str, port: Option<&IntOrString>) {
    match port {
        None => required(ctx, POD_PROBES, path),
        Some(IntOrString::Int(n)) => check_port_number(ctx, POD_PROBES, path, *n),
        Some(IntOrString::Str(s)) => check_port_name(ctx, POD_PROBES, path, s),
    }
}
