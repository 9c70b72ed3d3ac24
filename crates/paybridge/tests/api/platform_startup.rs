//! The real binary names, at start-up, every platform webhook that will be
//! refused for lack of a secret, and never prints a configured secret.

use crate::helpers::closed_port_url;
use crate::serve_process::{free_port, ServeProcess};

#[tokio::test]
async fn unconfigured_providers_are_named_in_the_startup_log() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let log_path = dir.path().join("stderr.log");
    let token = "wiapy-startup-secret-7f3a";
    let woovi = closed_port_url();
    let env = [
        ("RUST_LOG", "info"),
        ("PAYBRIDGE_WOOVI_BASE_URL", woovi.as_str()),
        ("PAYBRIDGE_WOOVI_APP_ID", "startup-test-app-id"),
        ("PAYBRIDGE_WIAPY_TOKENS", token),
        ("PAYBRIDGE_EDUZZ_ORIGINS", ""),
        ("PAYBRIDGE_EDUZZ_HUB_SECRETS", ""),
    ];
    let serve = ServeProcess::start(dir.path(), port, &env, Some(&log_path)).await;
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
