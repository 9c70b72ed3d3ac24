use crate::helpers::{closed_port_url, spawn_app_with, Options};

async fn spawn_app() -> crate::helpers::TestApp {
    spawn_app_with(Options {
        woovi_base_url: Some(closed_port_url()),
        ..Options::default()
    })
    .await
}

#[tokio::test]
async fn health_ready_and_metrics_answer() {
    let app = spawn_app().await;
    for path in ["/healthz", "/readyz"] {
        let res = app
            .http
            .get(format!("{}{path}", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{path}");
    }
    let m = app.metrics().await;
    assert!(m.contains("paybridge_orders{status=\"pending\"} 0"), "{m}");
    assert!(
        m.contains(
            "paybridge_http_request_duration_seconds_count{method=\"GET\",route=\"/healthz\",status=\"200\"} 1"
        ),
        "{m}"
    );
}

#[tokio::test]
async fn openapi_matches_the_committed_snapshot() {
    let app = spawn_app().await;
    let served: serde_json::Value = app
        .http
        .get(format!("{}/openapi.json", app.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.json");
    let pretty = serde_json::to_string_pretty(&served).unwrap() + "\n";
    if std::env::var("UPDATE_SNAPSHOTS").is_ok_and(|v| v == "1") {
        std::fs::write(path, &pretty).unwrap();
    }
    let committed = std::fs::read_to_string(path)
        .expect("openapi.json committed (UPDATE_SNAPSHOTS=1 writes it)");
    assert_eq!(
        committed, pretty,
        "the API contract changed: review, then UPDATE_SNAPSHOTS=1"
    );
}

#[tokio::test]
async fn api_needs_the_key() {
    let app = spawn_app().await;
    let res = app
        .http
        .get(format!("{}/api/v1/orders", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    let res = app
        .http
        .get(format!("{}/api/v1/orders", app.base))
        .bearer_auth("wrong-key-wrong-key")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unauthorized");
}
