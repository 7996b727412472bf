//! Service: ports, selectors, type-dependent fields, cluster IPs (`ValidateService`).

use super::*;

pub(super) fn service(svc: &ServiceObject, ctx: &mut Ctx<'_>) {
    let spec = svc.spec.clone().unwrap_or_default();
    let ty = spec.service_type();
    check_labels(ctx, "spec.selector", &spec.selector);

    if spec.ports.is_empty() && ty != ServiceType::ExternalName && !spec.is_headless() {
        required(ctx, SERVICE_PORTS, "spec.ports");
    }
    let require_name = spec.ports.len() > 1;
    let mut names = HashSet::new();
    let mut port_keys = HashSet::new();
    let mut node_ports = HashSet::new();
    for (i, p) in spec.ports.iter().enumerate() {
        let base = format!("spec.ports[{i}]");
        if p.name.is_empty() {
            if require_name {
                required(ctx, SERVICE_PORTS, format!("{base}.name"));
            }
        } else {
            check_dns_label(ctx, SERVICE_PORTS, &format!("{base}.name"), &p.name);
            if !names.insert(p.name.as_str()) {
                duplicate(ctx, SERVICE_PORTS, format!("{base}.name"), &p.name);
            }
        }
        check_port_number(
            ctx,
            SERVICE_PORTS,
            &format!("{base}.port"),
            i64::from(p.port),
        );
        let key = format!("{}/{}", p.port, p.protocol().as_str());
        if !port_keys.insert(key.clone()) {
            duplicate(ctx, SERVICE_PORTS, &base, &key);
        }
        match &p.target_port {
            Some(IntOrString::Int(n)) if *n != 0 => {
                check_port_number(ctx, SERVICE_PORTS, &format!("{base}.targetPort"), *n)
            }
            Some(IntOrString::Str(s)) if !s.is_empty() => {
                check_port_name(ctx, SERVICE_PORTS, &format!("{base}.targetPort"), s)
            }
            _ => {}
        }
        if let Some(np) = p.node_port.filter(|n| *n != 0) {
            let path = format!("{base}.nodePort");
            if ty == ServiceType::ClusterIp {
                forbidden(
                    ctx,
                    SERVICE_PORTS,
                    &path,
                    "may not be used when `type` is 'ClusterIP'",
                );
            }
            check_port_number(ctx, SERVICE_PORTS, &path, i64::from(np));
            let key = format!("{np}/{}", p.protocol().as_str());
            if !node_ports.insert(key) {
                duplicate(ctx, SERVICE_PORTS, &path, np);
            }
        }
        if let Some(ap) = &p.app_protocol {
            check_qualified_name(ctx, SERVICE_PORTS, &format!("{base}.appProtocol"), ap);
        }
    }

    let cluster_ip = spec.cluster_ip.as_deref().unwrap_or("");
    if ty == ServiceType::ExternalName {
        match spec.external_name.as_deref() {
            None | Some("") => required(ctx, SERVICE_SPEC, "spec.externalName"),
            Some(name) => {
                let trimmed = name.strip_suffix('.').unwrap_or(name);
                check_dns_subdomain(ctx, SERVICE_SPEC, "spec.externalName", trimmed);
            }
        }
        if !cluster_ip.is_empty() {
            forbidden(
                ctx,
                SERVICE_SPEC,
                "spec.clusterIP",
                "may not be set for ExternalName services",
            );
        } else if !spec.cluster_ips.is_empty() {
            forbidden(
                ctx,
                SERVICE_SPEC,
                "spec.clusterIPs",
                "may not be set for ExternalName services",
            );
        }
    }
    if !cluster_ip.is_empty() && cluster_ip != "None" && parse_ip(cluster_ip).is_none() {
        invalid(
            ctx,
            SERVICE_SPEC,
            "spec.clusterIP",
            cluster_ip,
            "must be a valid IP address (e.g. 10.9.8.7 or 2001:db8::ffff)",
        );
    }
    for (i, ip) in spec.cluster_ips.iter().enumerate() {
        let path = format!("spec.clusterIPs[{i}]");
        if i == 0 && !cluster_ip.is_empty() && ip != cluster_ip {
            invalid(
                ctx,
                SERVICE_SPEC,
                &path,
                ip,
                "first value must match `clusterIP`",
            );
        } else if ip == "None" {
            if spec.cluster_ips.len() > 1 {
                invalid(
                    ctx,
                    SERVICE_SPEC,
                    &path,
                    ip,
                    "'None' must be the first and only value",
                );
            }
        } else if !ip.is_empty() && parse_ip(ip).is_none() {
            invalid(
                ctx,
                SERVICE_SPEC,
                &path,
                ip,
                "must be a valid IP address (e.g. 10.9.8.7 or 2001:db8::ffff)",
            );
        }
    }
    if spec.cluster_ips.len() > 2 {
        ctx.report(
            SERVICE_SPEC,
            "spec.clusterIPs",
            format!(
                "Too many: {}: must have at most 2 items",
                spec.cluster_ips.len()
            ),
        );
    }
    for (i, ip) in spec.external_ips.iter().enumerate() {
        if parse_ip(ip).is_none() {
            invalid(
                ctx,
                SERVICE_SPEC,
                format!("spec.externalIPs[{i}]"),
                ip,
                "must be a valid IP address (e.g. 10.9.8.7 or 2001:db8::ffff)",
            );
        }
    }

    let affinity = spec.session_affinity.unwrap_or(SessionAffinity::NoAffinity);
    if let Some(cfg) = &spec.session_affinity_config {
        match (&cfg.client_ip, affinity) {
            (Some(_), SessionAffinity::NoAffinity) => forbidden(
                ctx,
                SERVICE_SPEC,
                "spec.sessionAffinityConfig",
                "must not be set when session affinity is None",
            ),
            (Some(c), SessionAffinity::ClientIp) => {
                if let Some(t) = c.timeout_seconds
                    && !(1..=86400).contains(&t)
                {
                    invalid(
                        ctx,
                        SERVICE_SPEC,
                        "spec.sessionAffinityConfig.clientIP.timeoutSeconds",
                        t,
                        "must be greater than 0 and less than 86400",
                    );
                }
            }
            _ => {}
        }
    }

    let externally_accessible = matches!(ty, ServiceType::NodePort | ServiceType::LoadBalancer)
        || (ty == ServiceType::ClusterIp && !spec.external_ips.is_empty());
    if let Some(p) = spec.external_traffic_policy
        && !externally_accessible
    {
        invalid(
            ctx,
            SERVICE_SPEC,
            "spec.externalTrafficPolicy",
            p.as_str(),
            "may only be set for externally-accessible services",
        );
    }
    if let Some(hc) = spec.health_check_node_port.filter(|n| *n != 0) {
        let needs = ty == ServiceType::LoadBalancer
            && spec.external_traffic_policy == Some(TrafficPolicy::Local);
        if !needs {
            invalid(
                ctx,
                SERVICE_SPEC,
                "spec.healthCheckNodePort",
                hc,
                "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
            );
        } else {
            check_port_number(ctx, SERVICE_SPEC, "spec.healthCheckNodePort", i64::from(hc));
        }
    }
    let lb_only = "may only be used when `type` is 'LoadBalancer'";
    if ty != ServiceType::LoadBalancer {
        if !spec.load_balancer_source_ranges.is_empty() {
            forbidden(ctx, SERVICE_SPEC, "spec.loadBalancerSourceRanges", lb_only);
        }
        if spec.load_balancer_class.is_some() {
            forbidden(ctx, SERVICE_SPEC, "spec.loadBalancerClass", lb_only);
        }
        if spec.allocate_load_balancer_node_ports.is_some() {
            forbidden(
                ctx,
                SERVICE_SPEC,
                "spec.allocateLoadBalancerNodePorts",
                lb_only,
            );
        }
    }
    for (i, r) in spec.load_balancer_source_ranges.iter().enumerate() {
        let trimmed = r.trim();
        if crate::check::validate::common::parse_cidr(trimmed).is_none() {
            invalid(
                ctx,
                SERVICE_SPEC,
                format!("spec.loadBalancerSourceRanges[{i}]"),
                r,
                "must be a list of IP ranges. For example, 10.240.0.0/24,10.250.0.0/24 ",
            );
        }
    }
    if let Some(class) = &spec.load_balancer_class {
        check_qualified_name(ctx, SERVICE_SPEC, "spec.loadBalancerClass", class);
    }

    if spec.ip_families.len() > 2 {
        ctx.report(
            SERVICE_SPEC,
            "spec.ipFamilies",
            format!(
                "Too many: {}: must have at most 2 items",
                spec.ip_families.len()
            ),
        );
    }
    let mut families = HashSet::new();
    for (i, f) in spec.ip_families.iter().enumerate() {
        if !families.insert(*f) {
            duplicate(
                ctx,
                SERVICE_SPEC,
                format!("spec.ipFamilies[{i}]"),
                f.as_str(),
            );
        }
    }
    if spec.ip_families.len() > 1 && spec.ip_family_policy == Some(IpFamilyPolicy::SingleStack) {
        invalid(
            ctx,
            SERVICE_SPEC,
            "spec.ipFamilyPolicy",
            "SingleStack",
            "must be RequireDualStack or PreferDualStack when multiple 'ipFamilies' are specified",
        );
    }
    if let Some(td) = &spec.traffic_distribution {
        const VALUES: &[&str] = &["PreferClose", "PreferSameZone", "PreferSameNode"];
        if !VALUES.contains(&td.as_str()) {
            unsupported(ctx, SERVICE_SPEC, "spec.trafficDistribution", td, VALUES);
        }
    }
}
