//! Pods and pod templates: the pod spec, tolerations and volumes (`ValidatePodSpec`).

use super::*;

/// Where a PodSpec appears, which changes a few rules.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum PodUse {
    /// A Pod created directly.
    Pod,
    /// The template of a workload controller (the kind name, for messages).
    Template(&'static str),
}

pub(super) fn pod(p: &PodObject, ctx: &mut Ctx<'_>) {
    let spec = p.spec.clone().unwrap_or_default();
    pod_spec(ctx, "spec", &spec, PodUse::Pod, &HashSet::new());
}

pub(super) fn pod_template(
    ctx: &mut Ctx<'_>,
    path: &str,
    template: &PodTemplateSpec,
    owner: &'static str,
    extra_volumes: &HashSet<String>,
) {
    check_labels(
        ctx,
        &format!("{path}.metadata.labels"),
        &template.metadata.labels,
    );
    check_annotations(
        ctx,
        &format!("{path}.metadata.annotations"),
        &template.metadata.annotations,
    );
    let spec = template.spec.clone().unwrap_or_default();
    let spec_path = format!("{path}.spec");
    pod_spec(
        ctx,
        &spec_path,
        &spec,
        PodUse::Template(owner),
        extra_volumes,
    );
    if let Some(rp) = spec.restart_policy
        && rp != RestartPolicy::Always
    {
        unsupported(
            ctx,
            POD_SPEC,
            format!("{spec_path}.restartPolicy"),
            rp.as_str(),
            &["Always"],
        );
    }
    if spec.active_deadline_seconds.is_some() {
        forbidden(
            ctx,
            POD_SPEC,
            format!("{spec_path}.activeDeadlineSeconds"),
            &format!("activeDeadlineSeconds in {owner} is not Supported"),
        );
    }
}

pub(super) fn pod_spec(
    ctx: &mut Ctx<'_>,
    path: &str,
    spec: &PodSpec,
    usage: PodUse,
    extra_volumes: &HashSet<String>,
) {
    let volume_names = volumes(ctx, path, &spec.volumes);
    let mut mountable: HashSet<String> = volume_names.clone();
    mountable.extend(extra_volumes.iter().cloned());

    if spec.containers.is_empty() {
        required(ctx, POD_SPEC, format!("{path}.containers"));
    }
    let host_network = spec.host_network.unwrap_or(false);
    let mut names: HashSet<&str> = HashSet::new();
    let mut host_ports: HashSet<String> = HashSet::new();
    for (list, i, c) in spec.all_containers() {
        let base = format!("{path}.{list}[{i}]");
        let init = list == "initContainers";
        if !c.name.is_empty() && !names.insert(c.name.as_str()) {
            duplicate(ctx, POD_SPEC, format!("{base}.name"), &c.name);
        }
        container(ctx, &base, c, init, usage, host_network, &mountable);
        for (j, port) in c.ports.iter().enumerate() {
            if let Some(hp) = port.host_port.filter(|h| *h != 0) {
                let key = format!(
                    "{}{}/{}",
                    port.host_ip
                        .as_deref()
                        .filter(|s| !s.is_empty())
                        .map(|ip| format!("{ip}:"))
                        .unwrap_or_default(),
                    hp,
                    port.protocol().as_str()
                );
                if !host_ports.insert(key.clone()) {
                    duplicate(ctx, POD_SPEC, format!("{base}.ports[{j}].hostPort"), &key);
                }
            }
        }
    }
    if !spec.ephemeral_containers.is_empty() {
        let detail = match usage {
            PodUse::Pod => "cannot be set on create",
            PodUse::Template(_) => "ephemeral containers not allowed in pod template",
        };
        forbidden(ctx, POD_SPEC, format!("{path}.ephemeralContainers"), detail);
    }

    if spec.dns_policy == Some(DnsPolicy::NoPolicy) && spec.dns_config.is_none() {
        required_because(
            ctx,
            POD_SPEC,
            format!("{path}.dnsConfig"),
            "must provide `dnsConfig` when `dnsPolicy` is None",
        );
    }
    if let Some(dns) = &spec.dns_config {
        let base = format!("{path}.dnsConfig");
        if dns.nameservers.len() > 3 {
            invalid(
                ctx,
                POD_SPEC,
                format!("{base}.nameservers"),
                &dns.nameservers,
                "must not have more than 3 nameservers",
            );
        }
        for (i, ns) in dns.nameservers.iter().enumerate() {
            if parse_ip(ns).is_none() {
                invalid(
                    ctx,
                    POD_SPEC,
                    format!("{base}.nameservers[{i}]"),
                    ns,
                    "must be a valid IP address",
                );
            }
        }
        if dns.searches.len() > 32 {
            invalid(
                ctx,
                POD_SPEC,
                format!("{base}.searches"),
                dns.searches.len(),
                "must not have more than 32 search paths",
            );
        }
        for (i, s) in dns.searches.iter().enumerate() {
            let trimmed = s.strip_suffix('.').unwrap_or(s);
            check_dns_subdomain(ctx, POD_SPEC, &format!("{base}.searches[{i}]"), trimmed);
        }
        for (i, o) in dns.options.iter().enumerate() {
            if o.name.as_deref().unwrap_or("").is_empty() {
                required(ctx, POD_SPEC, format!("{base}.options[{i}].name"));
            }
        }
    }

    for (field, value) in [
        ("serviceAccountName", &spec.service_account_name),
        ("serviceAccount", &spec.service_account),
        ("nodeName", &spec.node_name),
        ("priorityClassName", &spec.priority_class_name),
        ("schedulerName", &spec.scheduler_name),
    ] {
        if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
            check_dns_subdomain(ctx, POD_SPEC, &format!("{path}.{field}"), v);
        }
    }
    for (field, value) in [("hostname", &spec.hostname), ("subdomain", &spec.subdomain)] {
        if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
            check_dns_label(ctx, POD_SPEC, &format!("{path}.{field}"), v);
        }
    }
    check_labels(ctx, &format!("{path}.nodeSelector"), &spec.node_selector);
    if let Some(a) = spec.active_deadline_seconds
        && !(1..=MAX_ID).contains(&a)
    {
        invalid(
            ctx,
            POD_SPEC,
            format!("{path}.activeDeadlineSeconds"),
            a,
            "must be between 1 and 2147483647, inclusive",
        );
    }

    if let Some(sc) = &spec.security_context {
        let base = format!("{path}.securityContext");
        check_id(ctx, POD_SPEC, &format!("{base}.runAsUser"), sc.run_as_user);
        check_id(
            ctx,
            POD_SPEC,
            &format!("{base}.runAsGroup"),
            sc.run_as_group,
        );
        check_id(ctx, POD_SPEC, &format!("{base}.fsGroup"), sc.fs_group);
        for (i, g) in sc.supplemental_groups.iter().enumerate() {
            check_id(
                ctx,
                POD_SPEC,
                &format!("{base}.supplementalGroups[{i}]"),
                Some(*g),
            );
        }
        check_profile(
            ctx,
            &format!("{base}.seccompProfile"),
            sc.seccomp_profile
                .as_ref()
                .map(|p| (p.r#type, &p.localhost_profile)),
            "seccomp",
        );
        check_profile(
            ctx,
            &format!("{base}.appArmorProfile"),
            sc.app_armor_profile
                .as_ref()
                .map(|p| (p.r#type, &p.localhost_profile)),
            "AppArmor",
        );
        for (i, s) in sc.sysctls.iter().enumerate() {
            if s.name.is_empty() {
                required(ctx, POD_SPEC, format!("{base}.sysctls[{i}].name"));
            }
        }
    }

    for (i, t) in spec.tolerations.iter().enumerate() {
        toleration(ctx, &format!("{path}.tolerations[{i}]"), t);
    }
    let mut spread = HashSet::new();
    for (i, t) in spec.topology_spread_constraints.iter().enumerate() {
        let base = format!("{path}.topologySpreadConstraints[{i}]");
        if t.max_skew <= 0 {
            invalid(
                ctx,
                POD_SPEC,
                format!("{base}.maxSkew"),
                t.max_skew,
                "must be greater than zero",
            );
        }
        if t.topology_key.is_empty() {
            required_because(
                ctx,
                POD_SPEC,
                format!("{base}.topologyKey"),
                "can not be empty",
            );
        } else {
            check_qualified_name(
                ctx,
                POD_SPEC,
                &format!("{base}.topologyKey"),
                &t.topology_key,
            );
        }
        match t.when_unsatisfiable {
            None => required(ctx, POD_SPEC, format!("{base}.whenUnsatisfiable")),
            Some(w) => {
                if !spread.insert((t.topology_key.clone(), w)) {
                    duplicate(
                        ctx,
                        POD_SPEC,
                        &base,
                        format!("{{{}, {}}}", t.topology_key, w.as_str()),
                    );
                }
                if let Some(m) = t.min_domains {
                    if m <= 0 {
                        invalid(
                            ctx,
                            POD_SPEC,
                            format!("{base}.minDomains"),
                            m,
                            "value must be greater than zero",
                        );
                    } else if w != UnsatisfiableConstraintAction::DoNotSchedule {
                        invalid(
                            ctx,
                            POD_SPEC,
                            format!("{base}.minDomains"),
                            m,
                            "can only use minDomains if whenUnsatisfiable=DoNotSchedule",
                        );
                    }
                }
            }
        }
        if let Some(sel) = &t.label_selector {
            check_label_selector(ctx, &format!("{base}.labelSelector"), sel);
        }
    }
    for (i, h) in spec.host_aliases.iter().enumerate() {
        let base = format!("{path}.hostAliases[{i}]");
        if parse_ip(&h.ip).is_none() {
            invalid(
                ctx,
                POD_SPEC,
                format!("{base}.ip"),
                &h.ip,
                "must be a valid IP address",
            );
        }
        for (j, name) in h.hostnames.iter().enumerate() {
            check_dns_subdomain(ctx, POD_SPEC, &format!("{base}.hostnames[{j}]"), name);
        }
    }
    for (i, g) in spec.readiness_gates.iter().enumerate() {
        check_qualified_name(
            ctx,
            POD_SPEC,
            &format!("{path}.readinessGates[{i}].conditionType"),
            &g.condition_type,
        );
    }
    let mut gates = HashSet::new();
    for (i, g) in spec.scheduling_gates.iter().enumerate() {
        let p = format!("{path}.schedulingGates[{i}].name");
        check_qualified_name(ctx, POD_SPEC, &p, &g.name);
        if !gates.insert(g.name.as_str()) {
            duplicate(ctx, POD_SPEC, &p, &g.name);
        }
    }
    for (name, q) in &spec.overhead {
        check_quantity(ctx, &key_path(&format!("{path}.overhead"), name), q);
    }
    if let Some(r) = &spec.resources {
        check_resources(ctx, &format!("{path}.resources"), r);
    }
}

pub(super) fn check_profile(
    ctx: &mut Ctx<'_>,
    path: &str,
    profile: Option<(Option<ProfileType>, &Option<String>)>,
    what: &str,
) {
    let Some((ty, localhost)) = profile else {
        return;
    };
    match ty {
        None => required(ctx, POD_SPEC, format!("{path}.type")),
        Some(ProfileType::Localhost) => {
            if localhost.as_deref().unwrap_or("").is_empty() {
                required_because(
                    ctx,
                    POD_SPEC,
                    format!("{path}.localhostProfile"),
                    &format!("must be set when {what} type is Localhost"),
                );
            }
        }
        Some(_) => {
            if localhost.is_some() {
                invalid(
                    ctx,
                    POD_SPEC,
                    format!("{path}.localhostProfile"),
                    localhost.as_deref().unwrap_or(""),
                    &format!("can only be set when {what} type is Localhost"),
                );
            }
        }
    }
}

pub(super) fn toleration(ctx: &mut Ctx<'_>, base: &str, t: &Toleration) {
    let key = t.key.as_deref().unwrap_or("");
    if !key.is_empty() {
        check_qualified_name(ctx, POD_SPEC, &format!("{base}.key"), key);
    }
    let op = t.operator.unwrap_or(TolerationOperator::Equal);
    if key.is_empty() && op != TolerationOperator::Exists {
        invalid(
            ctx,
            POD_SPEC,
            format!("{base}.operator"),
            op.as_str(),
            "operator must be Exists when `key` is empty, which means \"match all values and all keys\"",
        );
    }
    if t.toleration_seconds.is_some() && t.effect != Some(TaintEffect::NoExecute) {
        invalid(
            ctx,
            POD_SPEC,
            format!("{base}.effect"),
            t.effect.map(|e| e.as_str()).unwrap_or(""),
            "effect must be 'NoExecute' when `tolerationSeconds` is set",
        );
    }
    let value = t.value.as_deref().unwrap_or("");
    match op {
        TolerationOperator::Exists if !value.is_empty() => invalid(
            ctx,
            POD_SPEC,
            format!("{base}.operator"),
            "Exists",
            "value must be empty when `operator` is 'Exists'",
        ),
        TolerationOperator::Equal => {
            for e in label_value_errors(value) {
                invalid(ctx, POD_SPEC, format!("{base}.value"), value, e);
            }
        }
        TolerationOperator::Exists => {}
    }
}

/// Validates `volumes` and returns their names.
pub(super) fn volumes(ctx: &mut Ctx<'_>, path: &str, vols: &[Volume]) -> HashSet<String> {
    let mut names = HashSet::new();
    for (i, v) in vols.iter().enumerate() {
        let base = format!("{path}.volumes[{i}]");
        if v.name.is_empty() {
            required(ctx, POD_VOLUMES, format!("{base}.name"));
        } else {
            check_dns_label(ctx, POD_VOLUMES, &format!("{base}.name"), &v.name);
            if !names.insert(v.name.clone()) {
                duplicate(ctx, POD_VOLUMES, format!("{base}.name"), &v.name);
            }
        }
        let sources = v.sources();
        match sources.as_slice() {
            [] => required_because(ctx, POD_VOLUMES, &base, "must specify a volume type"),
            [_] => {}
            [_, second, ..] => forbidden(
                ctx,
                POD_VOLUMES,
                format!("{base}.{second}"),
                "may not specify more than 1 volume type",
            ),
        }
        if let Some(s) = &v.secret {
            if s.secret_name.as_deref().unwrap_or("").is_empty() {
                required(ctx, POD_VOLUMES, format!("{base}.secret.secretName"));
            }
            key_to_paths(ctx, &format!("{base}.secret.items"), &s.items);
            check_mode(ctx, &format!("{base}.secret.defaultMode"), s.default_mode);
        }
        if let Some(c) = &v.config_map {
            if c.name.as_deref().unwrap_or("").is_empty() {
                required(ctx, POD_VOLUMES, format!("{base}.configMap.name"));
            }
            key_to_paths(ctx, &format!("{base}.configMap.items"), &c.items);
            check_mode(
                ctx,
                &format!("{base}.configMap.defaultMode"),
                c.default_mode,
            );
        }
        if let Some(h) = &v.host_path
            && h.path.is_empty()
        {
            required(ctx, POD_VOLUMES, format!("{base}.hostPath.path"));
        }
        if let Some(c) = &v.persistent_volume_claim
            && c.claim_name.is_empty()
        {
            required(
                ctx,
                POD_VOLUMES,
                format!("{base}.persistentVolumeClaim.claimName"),
            );
        }
        if let Some(e) = &v.empty_dir
            && let Some(q) = &e.size_limit
        {
            check_quantity(ctx, &format!("{base}.emptyDir.sizeLimit"), q);
        }
        if let Some(p) = &v.projected {
            projected(ctx, &format!("{base}.projected"), p);
        }
        if let Some(d) = &v.downward_api {
            check_mode(
                ctx,
                &format!("{base}.downwardAPI.defaultMode"),
                d.default_mode,
            );
            for (j, item) in d.items.iter().enumerate() {
                relative_path(
                    ctx,
                    &format!("{base}.downwardAPI.items[{j}].path"),
                    &item.path,
                );
            }
        }
        if let Some(c) = &v.csi
            && c.driver.is_empty()
        {
            required(ctx, POD_VOLUMES, format!("{base}.csi.driver"));
        }
    }
    names
}

pub(super) fn projected(ctx: &mut Ctx<'_>, base: &str, p: &ProjectedVolumeSource) {
    check_mode(ctx, &format!("{base}.defaultMode"), p.default_mode);
    for (i, s) in p.sources.iter().enumerate() {
        let sp = format!("{base}.sources[{i}]");
        let set = [
            s.secret.is_some(),
            s.config_map.is_some(),
            s.downward_api.is_some(),
            s.service_account_token.is_some(),
            s.cluster_trust_bundle.is_some(),
            s.pod_certificate.is_some(),
        ]
        .into_iter()
        .filter(|b| *b)
        .count();
        if set == 0 {
            required_because(
                ctx,
                POD_VOLUMES,
                &sp,
                "must specify exactly 1 projection type",
            );
        } else if set > 1 {
            forbidden(
                ctx,
                POD_VOLUMES,
                &sp,
                "may not specify more than 1 volume type per source",
            );
        }
        for (field, kp) in [("secret", &s.secret), ("configMap", &s.config_map)] {
            if let Some(kp) = kp {
                key_to_paths(ctx, &format!("{sp}.{field}.items"), &kp.items);
            }
        }
        if let Some(d) = &s.downward_api {
            for (j, item) in d.items.iter().enumerate() {
                relative_path(
                    ctx,
                    &format!("{sp}.downwardAPI.items[{j}].path"),
                    &item.path,
                );
            }
        }
        if let Some(t) = &s.service_account_token {
            let tp = format!("{sp}.serviceAccountToken");
            if t.path.is_empty() {
                required(ctx, POD_VOLUMES, format!("{tp}.path"));
            } else {
                relative_path(ctx, &format!("{tp}.path"), &t.path);
            }
            if let Some(e) = t.expiration_seconds {
                if e < 600 {
                    invalid(
                        ctx,
                        POD_VOLUMES,
                        format!("{tp}.expirationSeconds"),
                        e,
                        "may not specify a duration less than 10 minutes",
                    );
                } else if e > 1 << 32 {
                    invalid(
                        ctx,
                        POD_VOLUMES,
                        format!("{tp}.expirationSeconds"),
                        e,
                        "may not specify a duration larger than 2^32 seconds",
                    );
                }
            }
        }
    }
}

pub(super) fn key_to_paths(ctx: &mut Ctx<'_>, base: &str, items: &[KeyToPath]) {
    for (i, item) in items.iter().enumerate() {
        let p = format!("{base}[{i}]");
        if item.key.is_empty() {
            required(ctx, POD_VOLUMES, format!("{p}.key"));
        }
        if item.path.is_empty() {
            required(ctx, POD_VOLUMES, format!("{p}.path"));
        } else {
            relative_path(ctx, &format!("{p}.path"), &item.path);
        }
        check_mode(ctx, &format!("{p}.mode"), item.mode);
    }
}

pub(super) fn check_mode(ctx: &mut Ctx<'_>, path: &str, mode: Option<i32>) {
    if let Some(m) = mode
        && !(0..=0o777).contains(&m)
    {
        invalid(
            ctx,
            POD_VOLUMES,
            path,
            m,
            "must be a number between 0 and 0777 (octal), both inclusive",
        );
    }
}

/// Kubernetes `validateLocalDescendingPath`.
pub(super) fn relative_path(ctx: &mut Ctx<'_>, path: &str, p: &str) {
    if p.starts_with('/') {
        invalid(ctx, POD_VOLUMES, path, p, "must be a relative path");
    }
    if p.split(['/', '\\']).any(|seg| seg == "..") {
        invalid(ctx, POD_VOLUMES, path, p, "must not contain '..'");
    }
}
