//! Installation profiles (`minimal`, `default`, `demo`): which components an Istio installation
//! of that profile has and what each asks of the cluster. The numbers are Istio 1.28's own
//! defaults for its charts (the demo profile lowers every request so the mesh fits on a laptop).

use clap::ValueEnum;

/// The Istio release meshctl installs by default.
pub const DEFAULT_VERSION: &str = "1.28.3";

/// The oldest Kubernetes minor version the default release supports (Istio 1.28: 1.30).
pub const MIN_KUBERNETES_MINOR: u32 = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Profile {
    /// istiod only.
    Minimal,
    /// istiod and an ingress gateway (what production installations start from).
    Default,
    /// istiod, ingress and egress gateways, small requests, access logs on: for trying Istio.
    Demo,
    /// Nothing: a base for overlays that enable components one by one.
    Empty,
}

impl Profile {
    pub fn as_str(self) -> &'static str {
        match self {
            Profile::Minimal => "minimal",
            Profile::Default => "default",
            Profile::Demo => "demo",
            Profile::Empty => "empty",
        }
    }

    /// The pods the installation runs, one per component (each with one replica at first).
    pub fn workloads(self) -> Vec<Workload> {
        if self == Profile::Empty {
            return Vec::new();
        }
        let demo = self == Profile::Demo;
        let mut out = vec![Workload {
            component: "Istiod",
            name: "istiod",
            requests: if demo {
                Requests::new(10, 100 * MI)
            } else {
                Requests::new(500, 2048 * MI)
            },
        }];
        if self != Profile::Minimal {
            out.push(Workload {
                component: "Ingress gateways",
                name: "istio-ingressgateway",
                requests: if demo {
                    Requests::new(10, 40 * MI)
                } else {
                    Requests::new(100, 128 * MI)
                },
            });
        }
        if demo {
            out.push(Workload {
                component: "Egress gateways",
                name: "istio-egressgateway",
                requests: Requests::new(10, 40 * MI),
            });
        }
        out
    }
}

const MI: u64 = 1024 * 1024;

/// One pod of the installation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Workload {
    pub component: &'static str,
    pub name: &'static str,
    pub requests: Requests,
}

/// CPU in millicores and memory in bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Requests {
    pub cpu_milli: u64,
    pub memory: u64,
}

impl Requests {
    pub const fn new(cpu_milli: u64, memory: u64) -> Requests {
        Requests { cpu_milli, memory }
    }

    /// Whether `self` fits into `room`.
    pub fn fits(&self, room: &Requests) -> bool {
        self.cpu_milli <= room.cpu_milli && self.memory <= room.memory
    }
}

impl std::fmt::Display for Requests {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} CPU, {} memory",
            cpu(self.cpu_milli),
            bytes(self.memory)
        )
    }
}

/// `500m`, `2`, `1.5`.
pub fn cpu(milli: u64) -> String {
    if milli.is_multiple_of(1000) {
        format!("{}", milli / 1000)
    } else if milli > 1000 {
        format!("{:.1}", milli as f64 / 1000.0)
    } else {
        format!("{milli}m")
    }
}

/// `128Mi`, `2Gi`, `1.9Gi`.
pub fn bytes(n: u64) -> String {
    const GI: u64 = 1024 * MI;
    if n >= GI {
        if n.is_multiple_of(GI) {
            format!("{}Gi", n / GI)
        } else {
            format!("{:.1}Gi", n as f64 / GI as f64)
        }
    } else if n >= MI {
        format!("{}Mi", n / MI)
    } else {
        format!("{n}")
    }
}

/// Parses a Kubernetes CPU quantity (`2`, `3800m`, `0.5`) into millicores.
pub fn parse_cpu(q: &str) -> Option<u64> {
    let q = q.trim();
    if let Some(m) = q.strip_suffix('m') {
        return m.parse::<u64>().ok();
    }
    let v = parse_number_with_suffix(q)?;
    Some((v * 1000.0).round() as u64)
}

/// Parses a Kubernetes memory quantity (`8039876Ki`, `16Gi`, `2G`, `1e9`, `512`) into bytes.
pub fn parse_memory(q: &str) -> Option<u64> {
    let v = parse_number_with_suffix(q.trim())?;
    Some(v.round() as u64)
}

fn parse_number_with_suffix(q: &str) -> Option<f64> {
    const SUFFIXES: &[(&str, f64)] = &[
        ("Ki", 1024.0),
        ("Mi", 1_048_576.0),
        ("Gi", 1_073_741_824.0),
        ("Ti", 1_099_511_627_776.0),
        ("Pi", 1_125_899_906_842_624.0),
        ("k", 1e3),
        ("M", 1e6),
        ("G", 1e9),
        ("T", 1e12),
        ("P", 1e15),
    ];
    for (suffix, scale) in SUFFIXES {
        if let Some(n) = q.strip_suffix(suffix) {
            return n
                .parse::<f64>()
                .ok()
                .filter(|v| *v >= 0.0)
                .map(|v| v * scale);
        }
    }
    q.parse::<f64>().ok().filter(|v| v.is_finite() && *v >= 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities() {
        assert_eq!(parse_cpu("2"), Some(2000));
        assert_eq!(parse_cpu("3800m"), Some(3800));
        assert_eq!(parse_cpu("0.5"), Some(500));
        assert_eq!(parse_cpu("x"), None);
        assert_eq!(parse_memory("16Gi"), Some(16 * 1024 * MI));
        assert_eq!(parse_memory("8039876Ki"), Some(8_039_876 * 1024));
        assert_eq!(parse_memory("2G"), Some(2_000_000_000));
        assert_eq!(parse_memory("1e9"), Some(1_000_000_000));
        assert_eq!(parse_memory("-1"), None);
        assert_eq!(cpu(500), "500m");
        assert_eq!(cpu(2000), "2");
        assert_eq!(bytes(2048 * MI), "2Gi");
        assert_eq!(bytes(128 * MI), "128Mi");
    }

    #[test]
    fn profiles_have_their_components() {
        let names = |p: Profile| p.workloads().iter().map(|w| w.name).collect::<Vec<_>>();
        assert_eq!(names(Profile::Minimal), ["istiod"]);
        assert_eq!(names(Profile::Default), ["istiod", "istio-ingressgateway"]);
        assert_eq!(
            names(Profile::Demo),
            ["istiod", "istio-ingressgateway", "istio-egressgateway"]
        );
        assert!(
            Profile::Demo.workloads()[0]
                .requests
                .fits(&Requests::new(100, 1024 * MI))
        );
        assert!(
            !Profile::Default.workloads()[0]
                .requests
                .fits(&Requests::new(2000, 1024 * MI))
        );
    }
}
