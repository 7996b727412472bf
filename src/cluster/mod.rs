//! Kubernetes cluster access, the kubectl way: kubeconfig discovery (`--kubeconfig`,
//! `KUBECONFIG`, `~/.kube/config`, in-cluster service-account config), `--context`, the
//! context's namespace, exec credential plugins (through kube-rs), and `--request-timeout`.
//!
//! Every failure becomes one [`Error::Cluster`] line that says what failed and what to check
//! (exit code 3). Reading from the cluster is in [`fetch`]; writing (server-side apply) in
//! [`apply`].

pub mod apply;
pub mod fetch;
pub mod live;

use std::future::Future;
use std::path::{Path, PathBuf};
use std::time::Duration;

use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::{Client, Config};

use crate::Error;

/// The request timeout when `--request-timeout` is not given.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// How to reach the cluster: the command line's cluster flags.
#[derive(Debug, Clone, Default)]
pub struct Access {
    pub kubeconfig: Option<PathBuf>,
    pub context: Option<String>,
    /// Per request (connect, send, answer); [`DEFAULT_TIMEOUT`] when `None`.
    pub request_timeout: Option<Duration>,
}

/// A client for one cluster, with what error messages need to name it.
#[derive(Clone)]
pub struct Cluster {
    pub client: Client,
    /// The kubeconfig context (`in-cluster` inside a pod).
    pub context: String,
    /// The API server URL.
    pub server: String,
    /// The context's namespace (`default` when it sets none).
    pub namespace: String,
    pub timeout: Duration,
}

/// A failed API call: the server's answer or the transport's failure, or no answer in time.
#[derive(Debug)]
pub enum CallError {
    Kube(kube::Error),
    Timeout,
}

impl CallError {
    /// The HTTP status of an answer from the API server.
    pub fn status(&self) -> Option<u16> {
        match self {
            CallError::Kube(kube::Error::Api(s)) => Some(s.code),
            _ => None,
        }
    }
    /// Whether the answer means the resource or API group is not served (404, or a group or
    /// kind missing from discovery).
    pub fn not_served(&self) -> bool {
        self.status() == Some(404) || matches!(self, CallError::Kube(kube::Error::Discovery(_)))
    }
    /// The server's message (for 403s: who may not do what).
    pub fn server_message(&self) -> Option<&str> {
        match self {
            CallError::Kube(kube::Error::Api(s)) if !s.message.is_empty() => Some(&s.message),
            _ => None,
        }
    }
}

/// Starts the runtime cluster calls run on: one thread; listing is I/O bound, and the objects
/// are validated on rayon's pool afterwards.
pub fn runtime() -> Result<tokio::runtime::Runtime, Error> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Cluster(format!("cannot start the I/O runtime: {e}")))
}

/// Parses a kubectl-style duration: `30s`, `1m`, `1m30s`, `500ms`, `2h`; a bare number is
/// seconds. Zero is refused (kubectl's "no timeout" would let a dead cluster hang the command).
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("empty duration".into());
    }
    if let Ok(secs) = t.parse::<f64>() {
        return positive(Duration::try_from_secs_f64(secs).ok(), text);
    }
    let mut total = Duration::ZERO;
    let mut rest = t;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .ok_or_else(|| format!("{text:?}: a number needs a unit (ms, s, m, h)"))?;
        if digits == 0 {
            return Err(format!("{text:?}: expected a number before {rest:?}"));
        }
        let value: f64 = rest[..digits]
            .parse()
            .map_err(|_| format!("{text:?}: {:?} is not a number", &rest[..digits]))?;
        rest = &rest[digits..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let scale = match &rest[..unit_len] {
            "ms" => 0.001,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            u => return Err(format!("{text:?}: unknown unit {u:?} (use ms, s, m or h)")),
        };
        rest = &rest[unit_len..];
        total += Duration::try_from_secs_f64(value * scale)
            .map_err(|_| format!("{text:?}: out of range"))?;
    }
    positive(Some(total), text)
}

fn positive(d: Option<Duration>, text: &str) -> Result<Duration, String> {
    match d {
        Some(d) if !d.is_zero() => Ok(d),
        _ => Err(format!("{text:?}: the timeout must be greater than zero")),
    }
}

fn default_kubeconfig() -> Option<PathBuf> {
    let home = std::env::var_os("HOME").filter(|h| !h.is_empty())?;
    Some(Path::new(&home).join(".kube").join("config"))
}

/// The innermost cause of an error (the part that says what actually went wrong).
pub(crate) fn root_cause(err: &(dyn std::error::Error + 'static)) -> String {
    let mut last: &(dyn std::error::Error + 'static) = err;
    while let Some(next) = last.source() {
        last = next;
    }
    last.to_string()
}

/// What went wrong, for a message: a failed credential plugin by its program, exit status and
/// last line of stderr; anything else by its innermost cause.
pub(crate) fn cause(err: &(dyn std::error::Error + 'static)) -> String {
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = next {
        if let Some(kube::client::AuthError::AuthExecRun { cmd, out }) =
            e.downcast_ref::<kube::client::AuthError>()
        {
            // `cmd` is `ENV="..." "program" args`: name the program.
            let program = cmd
                .split('"')
                .rfind(|p| p.starts_with('/') || p.contains(std::path::MAIN_SEPARATOR))
                .unwrap_or(cmd);
            let stderr = String::from_utf8_lossy(&out.stderr);
            let said = stderr
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .map(|l| format!(": {}", l.trim()))
                .unwrap_or_default();
            return format!(
                "the credential plugin {program} failed ({}){said}",
                out.status
            );
        }
        next = e.source();
    }
    root_cause(err)
}

impl Cluster {
    /// Resolves the kubeconfig and context and builds a client. Nothing is sent yet.
    pub async fn connect(access: &Access) -> Result<Cluster, Error> {
        let timeout = access.request_timeout.unwrap_or(DEFAULT_TIMEOUT);
        let env_set = std::env::var_os("KUBECONFIG").is_some_and(|v| !v.is_empty());
        let (mut config, context, namespace) = if let Some(path) = &access.kubeconfig {
            let kc = Kubeconfig::read_from(path).map_err(|e| {
                Error::Cluster(format!(
                    "cannot read the kubeconfig {}: {}",
                    path.display(),
                    root_cause(&e)
                ))
            })?;
            from_kubeconfig(kc, access.context.as_deref(), &path.display().to_string()).await?
        } else if env_set || default_kubeconfig().is_some_and(|p| p.exists()) {
            let what = if env_set {
                "the kubeconfig in KUBECONFIG".to_string()
            } else {
                "~/.kube/config".to_string()
            };
            let kc = Kubeconfig::read()
                .map_err(|e| Error::Cluster(format!("cannot read {what}: {}", root_cause(&e))))?;
            from_kubeconfig(kc, access.context.as_deref(), &what).await?
        } else if std::env::var_os("KUBERNETES_SERVICE_HOST").is_some() {
            if let Some(c) = &access.context {
                return Err(Error::Cluster(format!(
                    "--context {c} needs a kubeconfig, and none was found (inside a pod meshctl uses the pod's service account)"
                )));
            }
            let config = Config::incluster().map_err(|e| {
                Error::Cluster(format!(
                    "cannot use the pod's service account: {}",
                    root_cause(&e)
                ))
            })?;
            let ns = config.default_namespace.clone();
            (config, "in-cluster".to_string(), ns)
        } else {
            return Err(Error::Cluster(
                "no cluster configured: KUBECONFIG is not set and ~/.kube/config does not exist; give --kubeconfig, or give files to work offline".to_string(),
            ));
        };
        config.connect_timeout = Some(timeout);
        config.read_timeout = Some(timeout);
        config.write_timeout = Some(timeout);
        let server = config.cluster_url.to_string();
        let server = server.trim_end_matches('/').to_string();
        let client = Client::try_from(config).map_err(|e| {
            Error::Cluster(format!(
                "cannot set up a client for {server} (context {context}): {}; check the user entry of the kubeconfig (exec plugin, token or certificate)",
                cause(&e)
            ))
        })?;
        Ok(Cluster {
            client,
            context,
            server,
            namespace,
            timeout,
        })
    }

    /// Runs one API call under the request timeout.
    pub async fn call<T>(
        &self,
        fut: impl Future<Output = Result<T, kube::Error>>,
    ) -> Result<T, CallError> {
        match tokio::time::timeout(self.timeout, fut).await {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(e)) => Err(CallError::Kube(e)),
            Err(_) => Err(CallError::Timeout),
        }
    }

    /// The one-line error for a failed call while `doing` something (`listing VirtualServices`).
    pub fn fail(&self, err: &CallError, doing: &str) -> Error {
        let at = format!("{} (context {})", self.server, self.context);
        let timed_out = match err {
            CallError::Timeout => true,
            CallError::Kube(kube::Error::Api(_)) => false,
            CallError::Kube(e) => {
                let cause = root_cause(e).to_ascii_lowercase();
                cause.contains("timed out") || cause.contains("deadline has elapsed")
            }
        };
        let timeout_message = || {
            format!(
                "no answer from the Kubernetes API server at {at} within {} while {doing}; check that the cluster is up and reachable, or raise --request-timeout",
                human_duration(self.timeout)
            )
        };
        Error::Cluster(match err {
            CallError::Timeout => timeout_message(),
            _ if timed_out => timeout_message(),
            CallError::Kube(kube::Error::Api(s)) => match s.code {
                401 => format!(
                    "the Kubernetes API server at {at} rejected the credentials (401 Unauthorized) while {doing}; they may have expired: log in again or refresh the kubeconfig"
                ),
                403 => format!(
                    "forbidden (403) while {doing} at {at}: {}; ask for RBAC rights, or use a context that has them",
                    if s.message.is_empty() {
                        "no reason given"
                    } else {
                        &s.message
                    }
                ),
                code => format!(
                    "the Kubernetes API server at {at} answered {code}{} while {doing}: {}",
                    if s.reason.is_empty() {
                        String::new()
                    } else {
                        format!(" {}", s.reason)
                    },
                    if s.message.is_empty() {
                        "no message"
                    } else {
                        &s.message
                    }
                ),
            },
            CallError::Kube(kube::Error::Auth(e)) => format!(
                "cannot get credentials for context {} while {doing}: {}; check the user entry of the kubeconfig (exec plugin, token or certificate)",
                self.context,
                cause(e)
            ),
            CallError::Kube(e) => {
                let cause = root_cause(e);
                let lower = cause.to_ascii_lowercase();
                let hint = if lower.contains("certificate") || lower.contains("tls") {
                    "check the cluster's certificate-authority data in the kubeconfig"
                } else {
                    "check that the cluster is running and that --kubeconfig/--context select it"
                };
                format!(
                    "cannot reach the Kubernetes API server at {at} while {doing}: {cause}; {hint}"
                )
            }
        })
    }
}

/// `30s`, `1m30s`, `500ms`.
pub fn human_duration(d: Duration) -> String {
    let ms = d.as_millis();
    if ms < 1000 {
        return format!("{ms}ms");
    }
    let secs = d.as_secs();
    let (m, s) = (secs / 60, secs % 60);
    match (m, s) {
        (0, s) => format!("{s}s"),
        (m, 0) => format!("{m}m"),
        (m, s) => format!("{m}m{s}s"),
    }
}

/// The config of one context of a kubeconfig, with its name and namespace. The context must
/// exist: kube-rs would otherwise fall back quietly.
async fn from_kubeconfig(
    kc: Kubeconfig,
    context: Option<&str>,
    what: &str,
) -> Result<(Config, String, String), Error> {
    let names: Vec<&str> = kc.contexts.iter().map(|c| c.name.as_str()).collect();
    let listed = if names.is_empty() {
        "it has none".to_string()
    } else {
        format!("it has: {}", names.join(", "))
    };
    let name = match context {
        Some(c) => c.to_string(),
        None => match kc.current_context.as_deref().filter(|c| !c.is_empty()) {
            Some(c) => c.to_string(),
            None => {
                return Err(Error::Cluster(format!(
                    "{what} sets no current-context; choose one with --context ({listed})"
                )));
            }
        },
    };
    let Some(named) = kc.contexts.iter().find(|c| c.name == name) else {
        return Err(Error::Cluster(format!(
            "context {name:?} is not in {what} ({listed})"
        )));
    };
    let namespace = named
        .context
        .as_ref()
        .and_then(|c| c.namespace.clone())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "default".to_string());
    let options = KubeConfigOptions {
        context: Some(name.clone()),
        ..KubeConfigOptions::default()
    };
    let config = Config::from_custom_kubeconfig(kc, &options)
        .await
        .map_err(|e| {
            Error::Cluster(format!(
                "cannot use context {name} of {what}: {}",
                root_cause(&e)
            ))
        })?;
    Ok((config, name, namespace))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("1m30s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("2h"), Ok(Duration::from_secs(7200)));
        assert_eq!(parse_duration("5"), Ok(Duration::from_secs(5)));
        assert_eq!(parse_duration("1.5s"), Ok(Duration::from_millis(1500)));
        assert!(parse_duration("0").is_err());
        assert!(parse_duration("0s").is_err());
        assert!(parse_duration("10x").is_err());
        assert!(parse_duration("s").is_err());
        assert!(parse_duration("").is_err());
        assert!(parse_duration("-1").is_err());
        assert_eq!(human_duration(Duration::from_secs(90)), "1m30s");
        assert_eq!(human_duration(Duration::from_millis(250)), "250ms");
        assert_eq!(human_duration(Duration::from_secs(120)), "2m");
    }

    #[test]
    fn missing_context_is_named_with_the_choices() {
        let kc = Kubeconfig::from_yaml(
            "apiVersion: v1\nkind: Config\ncurrent-context: a\ncontexts:\n- name: a\n  context:\n    cluster: c\n    user: u\n    namespace: team\nclusters:\n- name: c\n  cluster:\n    server: https://127.0.0.1:1\nusers:\n- name: u\n  user:\n    token: t\n",
        )
        .map_err(|e| e.to_string());
        let Ok(kc) = kc else {
            panic!("kubeconfig fixture does not parse: {kc:?}");
        };
        let rt = runtime().map_err(|e| e.to_string());
        let Ok(rt) = rt else { panic!("{rt:?}") };
        let err = rt
            .block_on(from_kubeconfig(kc.clone(), Some("b"), "the kubeconfig k"))
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("context \"b\" is not in the kubeconfig k (it has: a)")
        );
        let ok = rt.block_on(from_kubeconfig(kc, None, "the kubeconfig k"));
        let Ok((_, name, ns)) = ok else {
            panic!("current context should load")
        };
        assert_eq!((name.as_str(), ns.as_str()), ("a", "team"));
    }
}
