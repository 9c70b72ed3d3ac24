//! The real binary names, at start-up, every platform webhook that will be
//! refused for lack of a secret, and never prints a configured secret.

use crate::helpers::{closed_port_url, API_KEY};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Serve(Child);

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn unconfigured_providers_are_named_in_the_startup_log() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let log_path = dir.path().join("stderr.log");
    let token = "wiapy-startup-secret-7f3a";
    let child = Command::new(env!("CARGO_BIN_EXE_paybridge"))
        .arg("serve")
        .current_dir(dir.path())
        .env("RUST_LOG", "info")
        .env("PAYBRIDGE_ADDR", format!("127.0.0.1:{port}"))
        .env("PAYBRIDGE_DATA_DIR", dir.path().join("data"))
        .env("PAYBRIDGE_API_KEY", API_KEY)
        .env("PAYBRIDGE_WOOVI_BASE_URL", closed_port_url())
        .env("PAYBRIDGE_WOOVI_APP_ID", "startup-test-app-id")
        .env("PAYBRIDGE_WIAPY_TOKENS", token)
        .env_remove("PAYBRIDGE_EDUZZ_ORIGINS")
        .env_remove("PAYBRIDGE_EDUZZ_HUB_SECRETS")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log_path).unwrap())
        .spawn()
        .unwrap();
    let serve = Serve(child);
    let url = format!("http://127.0.0.1:{port}/healthz");
    let deadline = Instant::now() + Duration::from_secs(20);
    while reqwest::get(&url).await.map(|r| r.status()).ok() != Some(reqwest::StatusCode::OK) {
        assert!(Instant::now() < deadline, "paybridge did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Wiapy has a token: a webhook with another one is refused as invalid.
    let res = reqwest::Client::new()
        .post(format!("http://127.0.0.1:{port}/webhooks/wiapy"))
        .header("content-type", "application/json")
        .header("authorization", "not-the-token")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    drop(serve);
    let log = std::fs::read_to_string(&log_path).unwrap();
    assert!(
        log.contains("eduzz: no origin token configured (PAYBRIDGE_EDUZZ_ORIGINS)"),
        "{log}"
    );
    assert!(
        log.contains("eduzz-hub: no secret configured (PAYBRIDGE_EDUZZ_HUB_SECRETS)"),
        "{log}"
    );
    assert!(!log.contains("wiapy: no token"), "{log}");
    assert!(!log.contains(token), "a secret reached the log: {log}");
}
