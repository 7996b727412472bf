//! Real istiod (Istio's pilot-discovery, built by `scripts/test-cluster build-istiod`) as a local
//! process against the test bed, for the end-to-end tests that need its webhooks.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use meshctl::cluster::apply::ObjectRef;
use meshctl::cluster::{self, Access, Cluster};
use serde_json::{Value as Json, json};

/// istiod's binary from `MESHCTL_TESTBED_ISTIOD`; a missing variable fails the test, saying
/// how to build it.
pub fn binary() -> PathBuf {
    const NAME: &str = "MESHCTL_TESTBED_ISTIOD";
    if std::env::var_os(NAME).is_none_or(|v| v.is_empty()) {
        panic!(
            "{NAME} is not set: scripts/test-cluster build-istiod, then eval \"$(scripts/test-cluster up)\""
        );
    }
    super::testbed_var(NAME)
}

/// A running istiod, killed when dropped (the test passing or not).
pub struct Istiod {
    child: Child,
    /// Its working directory (log, root certificate).
    pub dir: PathBuf,
    /// Plain HTTP port (`/ready`).
    pub http: u16,
    /// HTTPS port of the webhooks (`/inject`, `/validate`); its certificate names localhost.
    pub https: u16,
    /// The root certificate (PEM) that signed the webhook certificate.
    pub root_cert: String,
}

impl Drop for Istiod {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Istiod {
    /// The last 30 lines of istiod's log.
    pub fn log_tail(&self) -> String {
        log_tail(&self.dir)
    }

    /// The whole log.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("istiod.log")).unwrap_or_default()
    }

    /// The root certificate's file (for curl's `--cacert`).
    pub fn ca_file(&self) -> PathBuf {
        self.dir.join("root-cert.pem")
    }
}

fn log_tail(dir: &Path) -> String {
    let text = std::fs::read_to_string(dir.join("istiod.log")).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(30)..].join("\n")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("no free port: {e}"))
}

/// `curl` with the given arguments; its stdout.
pub fn curl(args: &[&str]) -> String {
    let o = Command::new("curl")
        .args(["--silent", "--show-error", "--max-time", "10"])
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("running curl: {e}"));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Starts istiod in istio-system (meshctl's installation must be there: its mesh config and
/// injection ConfigMap), waits until it is ready and has published its root certificate.
/// `tag` names its working directory.
pub fn start(kubeconfig: &Path, tag: &str) -> Istiod {
    start_with(kubeconfig, tag, &[])
}

/// [`start`] with more environment variables (istiod's feature flags, e.g.
/// `PILOT_ENABLE_AMBIENT`).
pub fn start_with(kubeconfig: &Path, tag: &str, env: &[(&str, &str)]) -> Istiod {
    let istiod = binary();
    let dir = std::env::temp_dir().join(format!("meshctl-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let ports: Vec<u16> = (0..6).map(|_| free_port()).collect();
    let (http, https) = (ports[0], ports[1]);
    let log = std::fs::File::create(dir.join("istiod.log")).unwrap_or_else(|e| panic!("{e}"));
    let child = Command::new(&istiod)
        .arg("discovery")
        .arg(format!("--kubeconfig={}", kubeconfig.display()))
        .args([
            "-n",
            "istio-system",
            "--domain=cluster.local",
            "--clusterID=Kubernetes",
        ])
        .arg(format!("--httpAddr=127.0.0.1:{http}"))
        .arg(format!("--httpsAddr=127.0.0.1:{https}"))
        .arg(format!("--grpcAddr=127.0.0.1:{}", ports[2]))
        .arg(format!("--secureGRPCAddr=127.0.0.1:{}", ports[3]))
        .arg(format!("--monitoringAddr=127.0.0.1:{}", ports[4]))
        .args([
            "--ctrlz_address=127.0.0.1",
            &format!("--ctrlz_port={}", ports[5]),
        ])
        .env("POD_NAMESPACE", "istio-system")
        .env("POD_NAME", "istiod-e2e")
        .env("REVISION", "default")
        // The webhook certificate names localhost too, so curl and the API server can check it.
        .env("ISTIOD_CUSTOM_HOST", "localhost")
        // Leave the webhook configurations as they are.
        .env("INJECTION_WEBHOOK_CONFIG_NAME", "")
        .env("VALIDATION_WEBHOOK_CONFIG_NAME", "")
        .envs(env.iter().copied())
        .current_dir(&dir)
        .stdin(Stdio::null())
        .stdout(log.try_clone().unwrap_or_else(|e| panic!("{e}")))
        .stderr(log)
        .spawn()
        .unwrap_or_else(|e| panic!("starting {}: {e}", istiod.display()));
    let mut running = Istiod {
        child,
        dir: dir.clone(),
        http,
        https,
        root_cert: String::new(),
    };

    // Ready: its caches synced, the injector read meshctl's ConfigMap.
    let deadline = Instant::now() + Duration::from_secs(90);
    let ready_url = format!("http://127.0.0.1:{http}/ready");
    loop {
        let code = curl(&["-o", "/dev/null", "-w", "%{http_code}", &ready_url]);
        if code == "200" {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "istiod not ready after 90 s:\n{}",
            log_tail(&dir)
        );
        std::thread::sleep(Duration::from_millis(500));
    }

    // The root certificate istiod publishes (its namespace controller writes it shortly after
    // /ready), to check its webhook certificate.
    let pem = cluster::runtime()
        .unwrap_or_else(|e| panic!("{e}"))
        .block_on(async {
            let c = Cluster::connect(&Access {
                kubeconfig: Some(kubeconfig.to_path_buf()),
                ..Access::default()
            })
            .await
            .unwrap_or_else(|e| panic!("{e}"));
            let r: Vec<ObjectRef> = ObjectRef::of(&json!({"apiVersion": "v1", "kind": "ConfigMap",
                "metadata": {"name": "istio-ca-root-cert", "namespace": "istio-system"}}))
            .into_iter()
            .collect();
            loop {
                let found = c.get_all(&r, 1).await.unwrap_or_else(|e| panic!("{e}"));
                let pem = found
                    .first()
                    .and_then(|o| o.as_ref())
                    .and_then(|o| o.data.pointer("/data/root-cert.pem"))
                    .and_then(Json::as_str)
                    .map(str::to_string);
                if let Some(pem) = pem {
                    break pem;
                }
                assert!(
                    Instant::now() < deadline,
                    "istiod published no root certificate:\n{}",
                    log_tail(&dir)
                );
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
        });
    std::fs::write(running.ca_file(), &pem).unwrap_or_else(|e| panic!("{e}"));
    running.root_cert = pem;
    running
}
