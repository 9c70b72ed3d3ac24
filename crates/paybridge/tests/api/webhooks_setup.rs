//! `paybridge woovi webhooks setup` against a standalone sandbox.

use serde_json::Value;
use std::process::Command;

const APP_ID: &str = "setup-test-app-id";

fn setup(woovi: &str, public_url: &str) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_paybridge"))
        .args(["woovi", "webhooks", "setup"])
        .env("RUST_LOG", "off")
        .env("WOOVI_APP_ID", APP_ID)
        .env("WOOVI_BASE_URL", woovi)
        .env("PAYBRIDGE_PUBLIC_URL", public_url)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[tokio::test]
async fn setup_registers_every_event_once() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let woovi = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(woovi_sandbox::serve(
        woovi_sandbox::SandboxConfig {
            app_ids: vec![APP_ID.to_owned()],
            public_base_url: woovi.clone(),
            ..woovi_sandbox::SandboxConfig::default()
        },
        listener,
    ));
    // The sandbox, like Woovi, posts a test webhook and wants a 200.
    let receiver = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let public_url = format!("http://{}/", receiver.local_addr().unwrap());
    let app = axum::Router::new().route("/webhooks/woovi", axum::routing::post(|| async { "ok" }));
    tokio::spawn(async move { axum::serve(receiver, app).await });

    let want = paybridge::startup::WEBHOOK_EVENTS.len();
    let (w, p) = (woovi.clone(), public_url.clone());
    let first = tokio::task::spawn_blocking(move || setup(&w, &p))
        .await
        .unwrap();
    let first = first.as_array().unwrap();
    assert_eq!(first.len(), want);
    assert!(first.iter().all(|r| r["result"] == "created"), "{first:?}");
    let (w, p) = (woovi.clone(), public_url.clone());
    let second = tokio::task::spawn_blocking(move || setup(&w, &p))
        .await
        .unwrap();
    assert!(
        second
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["result"] == "exists"),
        "{second}"
    );

    let hooks: Value = reqwest::Client::new()
        .get(format!("{woovi}/api/v1/webhook"))
        .header("Authorization", APP_ID)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let hooks = hooks["webhooks"].as_array().unwrap();
    assert_eq!(hooks.len(), want, "no duplicates: {hooks:?}");
    let target = format!("{}webhooks/woovi", public_url);
    for event in paybridge::startup::WEBHOOK_EVENTS {
        assert_eq!(
            hooks
                .iter()
                .filter(|h| h["event"] == event && h["url"] == target.as_str())
                .count(),
            1,
            "{event}"
        );
    }
}
