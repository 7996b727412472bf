//! Workload controllers: Deployment, StatefulSet, DaemonSet, ReplicaSet (`pkg/apis/apps/validation`).

use super::*;

/// The rules every controller applies to `selector` and the template's labels.
pub(super) fn controller_selector(
    ctx: &mut Ctx<'_>,
    selector: Option<&LabelSelector>,
    template: &PodTemplateSpec,
    kind_lower: &str,
) {
    let Some(sel) = selector else {
        required(ctx, WORKLOAD_CONTROLLER, "spec.selector");
        return;
    };
    check_label_selector(ctx, "spec.selector", sel);
    if sel.is_empty_selector() {
        invalid(
            ctx,
            WORKLOAD_CONTROLLER,
            "spec.selector",
            "{}",
            &format!("empty selector is invalid for {kind_lower}"),
        );
    } else if !sel.matches(&template.metadata.labels) {
        invalid(
            ctx,
            WORKLOAD_CONTROLLER,
            "spec.template.metadata.labels",
            &template.metadata.labels,
            "`selector` does not match template `labels`",
        );
    }
}

/// `maxUnavailable` / `maxSurge`: a non-negative integer or a percentage; returns whether the
/// value is zero.
pub(super) fn int_or_percent(
    ctx: &mut Ctx<'_>,
    path: &str,
    v: &IntOrString,
    max_100: bool,
) -> bool {
    match v {
        IntOrString::Int(n) => {
            if *n < 0 {
                invalid(ctx, WORKLOAD_CONTROLLER, path, n, NON_NEGATIVE_MSG);
            }
            *n == 0
        }
        IntOrString::Str(s) => {
            if !PERCENT_RE.is_match(s) {
                invalid(
                    ctx,
                    WORKLOAD_CONTROLLER,
                    path,
                    s,
                    "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
                );
                return false;
            }
            let pct: u64 = s.trim_end_matches('%').parse().unwrap_or(u64::MAX);
            if max_100 && pct > 100 {
                invalid(
                    ctx,
                    WORKLOAD_CONTROLLER,
                    path,
                    s,
                    "must not be greater than 100%",
                );
            }
            pct == 0
        }
    }
}

pub(super) fn rolling_update(
    ctx: &mut Ctx<'_>,
    path: &str,
    ru: &RollingUpdate,
    default_surge_zero: bool,
) {
    let unavailable_zero = ru
        .max_unavailable
        .as_ref()
        .map(|v| int_or_percent(ctx, &format!("{path}.maxUnavailable"), v, true));
    let surge_zero = ru
        .max_surge
        .as_ref()
        .map(|v| int_or_percent(ctx, &format!("{path}.maxSurge"), v, false));
    // Defaults: Deployments 25%/25%, DaemonSets maxUnavailable 1 and maxSurge 0.
    if unavailable_zero == Some(true) && surge_zero.unwrap_or(default_surge_zero) {
        invalid(
            ctx,
            WORKLOAD_CONTROLLER,
            format!("{path}.maxUnavailable"),
            ru.max_unavailable
                .as_ref()
                .map(int_or_string_text)
                .unwrap_or_default(),
            "may not be 0 when `maxSurge` is 0",
        );
    }
}

pub(super) fn int_or_string_text(v: &IntOrString) -> String {
    match v {
        IntOrString::Int(n) => n.to_string(),
        IntOrString::Str(s) => s.clone(),
    }
}

pub(super) fn deployment(d: &DeploymentObject, ctx: &mut Ctx<'_>) {
    let spec = d.spec.clone().unwrap_or_default();
    let template = spec.template.clone().unwrap_or_default();
    check_non_negative(
        ctx,
        WORKLOAD_CONTROLLER,
        "spec.replicas",
        spec.replicas.map(i64::from),
    );
    check_non_negative(
        ctx,
        WORKLOAD_CONTROLLER,
        "spec.minReadySeconds",
        spec.min_ready_seconds.map(i64::from),
    );
    check_non_negative(
        ctx,
        WORKLOAD_CONTROLLER,
        "spec.revisionHistoryLimit",
        spec.revision_history_limit.map(i64::from),
    );
    if let Some(p) = spec.progress_deadline_seconds {
        if p <= 0 {
            invalid(
                ctx,
                WORKLOAD_CONTROLLER,
                "spec.progressDeadlineSeconds",
                p,
                "must be greater than 0",
            );
        } else if p <= spec.min_ready_seconds.unwrap_or(0) {
            invalid(
                ctx,
                WORKLOAD_CONTROLLER,
                "spec.progressDeadlineSeconds",
                p,
                "must be greater than minReadySeconds",
            );
        }
    }
    controller_selector(ctx, spec.selector.as_ref(), &template, "deployment");
    if let Some(s) = &spec.strategy {
        match (
            s.r#type.unwrap_or(DeploymentStrategyType::RollingUpdate),
            &s.rolling_update,
        ) {
            (DeploymentStrategyType::Recreate, Some(_)) => forbidden(
                ctx,
                WORKLOAD_CONTROLLER,
                "spec.strategy.rollingUpdate",
                "may not be specified when strategy `type` is 'Recreate'",
            ),
            (DeploymentStrategyType::RollingUpdate, Some(ru)) => {
                rolling_update(ctx, "spec.strategy.rollingUpdate", ru, false)
            }
            _ => {}
        }
    }
    pod_template(
        ctx,
        "spec.template",
        &template,
        "ReplicaSet",
        &HashSet::new(),
    );
}

pub(super) fn stateful_set(s: &StatefulSetObject, ctx: &mut Ctx<'_>) {
    let spec = s.spec.clone().unwrap_or_default();
    let template = spec.template.clone().unwrap_or_default();
    check_non_negative(
        ctx,
        WORKLOAD_CONTROLLER,
        "spec.replicas",
        spec.replicas.map(i64::from),
    );
    check_non_negative(
        ctx,
        WORKLOAD_CONTROLLER,
        "spec.minReadySeconds",
        spec.min_ready_seconds.map(i64::from),
    );
    check_non_negative(
        ctx,
        WORKLOAD_CONTROLLER,
        "spec.revisionHistoryLimit",
        spec.revision_history_limit.map(i64::from),
    );
    if let Some(o) = &spec.ordinals {
        check_non_negative(
            ctx,
            WORKLOAD_CONTROLLER,
            "spec.ordinals.start",
            o.start.map(i64::from),
        );
    }
    if let Some(name) = spec.service_name.as_deref().filter(|n| !n.is_empty()) {
        for e in dns_label_errors(name) {
            ctx.report(WORKLOAD_CONTROLLER_WARNING,
                "spec.serviceName",
                format!(
                    "Invalid value: {name:?}: {e}; the pods' `subdomain` is set to it, so the controller could not create them"
                ),
            );
        }
    }
    controller_selector(ctx, spec.selector.as_ref(), &template, "statefulset");
    if let Some(u) = &spec.update_strategy {
        match (
            u.r#type.unwrap_or(UpdateStrategyType::RollingUpdate),
            &u.rolling_update,
        ) {
            (UpdateStrategyType::OnDelete, Some(_)) => invalid(
                ctx,
                WORKLOAD_CONTROLLER,
                "spec.updateStrategy.rollingUpdate",
                "",
                "only allowed for updateStrategy 'RollingUpdate'",
            ),
            (UpdateStrategyType::RollingUpdate, Some(ru)) => {
                check_non_negative(
                    ctx,
                    WORKLOAD_CONTROLLER,
                    "spec.updateStrategy.rollingUpdate.partition",
                    ru.partition.map(i64::from),
                );
                if let Some(mu) = &ru.max_unavailable {
                    let p = "spec.updateStrategy.rollingUpdate.maxUnavailable";
                    if int_or_percent(ctx, p, mu, true) {
                        invalid(
                            ctx,
                            WORKLOAD_CONTROLLER,
                            p,
                            int_or_string_text(mu),
                            "must be greater than 0",
                        );
                    }
                }
            }
            _ => {}
        }
    }
    let mut claims = HashSet::new();
    for (i, t) in spec.volume_claim_templates.iter().enumerate() {
        let name = t.metadata.name.clone().unwrap_or_default();
        if name.is_empty() {
            required(
                ctx,
                WORKLOAD_CONTROLLER,
                format!("spec.volumeClaimTemplates[{i}].metadata.name"),
            );
        } else {
            check_dns_subdomain(
                ctx,
                WORKLOAD_CONTROLLER,
                &format!("spec.volumeClaimTemplates[{i}].metadata.name"),
                &name,
            );
            claims.insert(name);
        }
        if let Some(pvc) = &t.spec {
            if let Some(r) = &pvc.resources {
                for (k, q) in r.requests.iter().chain(r.limits.iter()) {
                    check_quantity(
                        ctx,
                        &key_path(&format!("spec.volumeClaimTemplates[{i}].spec.resources"), k),
                        q,
                    );
                }
            }
            if let Some(sel) = &pvc.selector {
                check_label_selector(
                    ctx,
                    &format!("spec.volumeClaimTemplates[{i}].spec.selector"),
                    sel,
                );
            }
        }
    }
    pod_template(ctx, "spec.template", &template, "StatefulSet", &claims);
}

pub(super) fn daemon_set(d: &DaemonSetObject, ctx: &mut Ctx<'_>) {
    let spec = d.spec.clone().unwrap_or_default();
    let template = spec.template.clone().unwrap_or_default();
    check_non_negative(
        ctx,
        WORKLOAD_CONTROLLER,
        "spec.minReadySeconds",
        spec.min_ready_seconds.map(i64::from),
    );
    check_non_negative(
        ctx,
        WORKLOAD_CONTROLLER,
        "spec.revisionHistoryLimit",
        spec.revision_history_limit.map(i64::from),
    );
    controller_selector(ctx, spec.selector.as_ref(), &template, "daemonset");
    if let Some(u) = &spec.update_strategy
        && u.r#type.unwrap_or(UpdateStrategyType::RollingUpdate)
            == UpdateStrategyType::RollingUpdate
        && let Some(ru) = &u.rolling_update
    {
        rolling_update(ctx, "spec.updateStrategy.rollingUpdate", ru, true);
    }
    pod_template(
        ctx,
        "spec.template",
        &template,
        "DaemonSet",
        &HashSet::new(),
    );
}

pub(super) fn replica_set(r: &ReplicaSetObject, ctx: &mut Ctx<'_>) {
    let spec = r.spec.clone().unwrap_or_default();
    let template = spec.template.clone().unwrap_or_default();
    check_non_negative(
        ctx,
        WORKLOAD_CONTROLLER,
        "spec.replicas",
        spec.replicas.map(i64::from),
    );
    check_non_negative(
        ctx,
        WORKLOAD_CONTROLLER,
        "spec.minReadySeconds",
        spec.min_ready_seconds.map(i64::from),
    );
    controller_selector(ctx, spec.selector.as_ref(), &template, "replicaset");
    pod_template(
        ctx,
        "spec.template",
        &template,
        "ReplicaSet",
        &HashSet::new(),
    );
}
