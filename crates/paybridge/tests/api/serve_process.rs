//! The real `paybridge serve` binary as a child process, for the tests that
//! kill it, restart it on the same data dir or read its log.

use crate::helpers::API_KEY;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A `paybridge serve` child process, killed when dropped.
pub struct ServeProcess(pub Child);

impl Drop for ServeProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A port nothing listens on right now.
pub fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

impl ServeProcess {
    /// Starts `paybridge serve` in `dir` on `port` (data in `dir/data`, the
    /// test API key, logs off unless `env` sets `RUST_LOG`) on this pass's
    /// database backend, with `env` on top, stderr to `stderr_to` when
    /// given, and waits until `/healthz` answers.
    pub async fn start(
        dir: &Path,
        port: u16,
        env: &[(&str, &str)],
        stderr_to: Option<&Path>,
    ) -> ServeProcess {
        let backend = crate::backend::serve_env(dir, port, env).await;
        let mut all: Vec<(&str, &str)> = backend
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        all.extend_from_slice(env);
        Self::spawn(dir, port, &all, stderr_to).await
    }

    /// Starts `paybridge serve` with no configuration at all but the port,
    /// data dir and API key: SQLite and the embedded sandbox, whatever the
    /// pass's backend (that is what zero configuration means).
    pub async fn start_zero_config(dir: &Path, port: u16) -> ServeProcess {
        Self::spawn(dir, port, &[], None).await
    }

    async fn spawn(
        dir: &Path,
        port: u16,
        env: &[(&str, &str)],
        stderr_to: Option<&Path>,
    ) -> ServeProcess {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_paybridge"));
        cmd.arg("serve")
            .current_dir(dir)
            .env("RUST_LOG", "off")
            .env("PAYBRIDGE_ADDR", format!("127.0.0.1:{port}"))
            .env("PAYBRIDGE_DATA_DIR", dir.join("data"))
            .env("PAYBRIDGE_API_KEY", API_KEY)
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(match stderr_to {
                Some(path) => Stdio::from(std::fs::File::create(path).unwrap()),
                None => Stdio::null(),
            });
        let child = ServeProcess(cmd.spawn().unwrap());
        let deadline = Instant::now() + Duration::from_secs(30);
        let url = format!("http://127.0.0.1:{port}/healthz");
        while reqwest::get(&url).await.map(|r| r.status()).ok() != Some(reqwest::StatusCode::OK) {
            assert!(Instant::now() < deadline, "paybridge did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        child
    }
}

/// Sends `body` (none for GET) with the test API key; the status and the JSON answer.
pub async fn api_json(
    http: &reqwest::Client,
    method: &str,
    url: &str,
    body: &serde_json::Value,
) -> (u16, serde_json::Value) {
    let req = http
        .request(method.parse().unwrap(), url)
        .bearer_auth(API_KEY);
    let req = if body.is_null() { req } else { req.json(body) };
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(serde_json::Value::Null))
}
