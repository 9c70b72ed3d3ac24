//! The real binary killed between the order commit and the Woovi call: a
//! retry after restart creates exactly one charge.

use crate::helpers::{order_body, API_KEY};
use serde_json::Value;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const APP_ID: &str = "crash-test-app-id";

struct Serve(Child);

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

async fn serve(dir: &std::path::Path, port: u16, woovi: &str, crash: bool) -> Serve {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_paybridge"));
    cmd.arg("serve")
        .current_dir(dir)
        .env("RUST_LOG", "off")
        .env("PAYBRIDGE_ADDR", format!("127.0.0.1:{port}"))
        .env("PAYBRIDGE_DATA_DIR", dir.join("data"))
        .env("PAYBRIDGE_API_KEY", API_KEY)
        .env("PAYBRIDGE_WOOVI_BASE_URL", woovi)
        .env("PAYBRIDGE_WOOVI_APP_ID", APP_ID)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if crash {
        cmd.env("PAYBRIDGE_TEST_CRASH_AFTER_ORDER_COMMIT", "1");
    }
    let child = Serve(cmd.spawn().unwrap());
    let deadline = Instant::now() + Duration::from_secs(20);
    let url = format!("http://127.0.0.1:{port}/healthz");
    while reqwest::get(&url).await.map(|r| r.status()).ok() != Some(reqwest::StatusCode::OK) {
        assert!(Instant::now() < deadline, "paybridge did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    child
}

async fn charges_for(http: &reqwest::Client, woovi: &str, correlation_id: &str) -> usize {
    let v: Value = http
        .get(format!("{woovi}/api/v1/charge?limit=100"))
        .header("Authorization", APP_ID)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    v["charges"]
        .as_array()
        .expect("charges")
        .iter()
        .filter(|c| c["correlationID"] == correlation_id)
        .count()
}

#[tokio::test]
async fn crash_after_the_order_commit_then_retry_gives_exactly_one_charge() {
    let dir = tempfile::tempdir().unwrap();
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
    let http = reqwest::Client::new();
    let port = free_port();
    let orders = format!("http://127.0.0.1:{port}/api/v1/orders");

    let mut first = serve(dir.path(), port, &woovi, true).await;
    let res = http
        .post(&orders)
        .bearer_auth(API_KEY)
        .header("Idempotency-Key", "crash-1")
        .json(&order_body())
        .send()
        .await;
    assert!(res.is_err(), "the process dies before answering: {res:?}");
    let status = first.0.wait().unwrap();
    assert!(!status.success(), "{status:?}");
    drop(first);
    let total: Value = http
        .get(format!("{woovi}/api/v1/charge"))
        .header("Authorization", APP_ID)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        total["charges"],
        serde_json::json!([]),
        "died before calling Woovi"
    );

    let _second = serve(dir.path(), port, &woovi, false).await;
    let retry = || {
        http.post(&orders)
            .bearer_auth(API_KEY)
            .header("Idempotency-Key", "crash-1")
            .json(&order_body())
            .send()
    };
    let res = retry().await.unwrap();
    assert!(res.status().is_success(), "{}", res.status());
    let order: Value = res.json().await.unwrap();
    let cid = order["correlation_id"].as_str().unwrap().to_owned();
    assert!(order["pix"]["br_code"].is_string(), "{order}");
    assert_eq!(charges_for(&http, &woovi, &cid).await, 1);

    // Retrying again (either way) does not create a second charge.
    let again: Value = retry().await.unwrap().json().await.unwrap();
    assert_eq!(again["id"], order["id"]);
    let res = http
        .post(format!("{orders}/{}/charge", order["id"].as_str().unwrap()))
        .bearer_auth(API_KEY)
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{}", res.status());
    assert_eq!(charges_for(&http, &woovi, &cid).await, 1);
    let list: Value = http
        .get(&orders)
        .bearer_auth(API_KEY)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["data"].as_array().unwrap().len(), 1, "one order");
}
