//! Deliveries checked by a receiver written with the official Standard
//! Webhooks library (`standardwebhooks` from PyPI, installed by
//! `scripts/install-test-deps` into `<target dir>/test-venv`). Missing Python
//! or package fails the test; it never skips.

use crate::helpers::{eventually, order_body};
use crate::outbound::{app, endpoint};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

struct PyReceiver {
    child: Child,
    base: String,
}

impl Drop for PyReceiver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `<target dir>/test-venv/bin/python`: the test binary lives in `<target dir>/<profile>/deps/`.
fn venv_python() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let target = exe.ancestors().nth(3).unwrap().to_path_buf();
    let py = target.join("test-venv/bin/python");
    assert!(
        py.exists(),
        "{} is missing: run scripts/install-test-deps (it creates the venv with standardwebhooks)",
        py.display()
    );
    py
}

fn start() -> PyReceiver {
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/api/standard_webhooks_receiver.py"
    );
    let mut child = Command::new(venv_python())
        .arg(script)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("python starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port: u16 = line.trim().parse().unwrap_or_else(|_| {
        panic!("receiver did not print its port (is standardwebhooks installed?): {line:?}")
    });
    PyReceiver {
        child,
        base: format!("http://127.0.0.1:{port}"),
    }
}

impl PyReceiver {
    async fn secrets(&self, http: &reqwest::Client, s: Value) {
        let res = http
            .put(format!("{}/secrets", self.base))
            .json(&s)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
    }
    async fn log(&self, http: &reqwest::Client) -> Vec<Value> {
        http.get(format!("{}/log", self.base))
            .send()
            .await
            .unwrap()
            .json::<Vec<Value>>()
            .await
            .unwrap()
    }
}

fn of_order<'a>(log: &'a [Value], order_id: &str) -> Vec<&'a Value> {
    log.iter()
        .filter(|e| {
            serde_json::from_str::<Value>(e["body"].as_str().unwrap_or("null"))
                .ok()
                .is_some_and(|b| b["data"]["id"] == order_id)
        })
        .collect()
}

#[tokio::test]
async fn the_official_library_verifies_every_delivery_through_a_rotation_and_rejects_tampering() {
    let app = app("100ms,200ms").await;
    let py = start();
    let http = reqwest::Client::new();
    let (ep, old) = endpoint(&app, &format!("{}/hook", py.base), None).await;
    py.secrets(&http, json!({ "old": old })).await;

    let order = app.create_order(&order_body()).await;
    let first = order["id"].as_str().unwrap().to_owned();
    eventually(20, "order.created verified", || async {
        !of_order(&py.log(&http).await, &first).is_empty()
    })
    .await;
    let log = py.log(&http).await;
    let e = of_order(&log, &first)[0];
    assert_eq!(e["verified_by"], json!(["old"]), "{e}");
    assert_eq!(e["signatures"], 1);

    // Rotation: both the old and the new secret verify, each on its own.
    let (s, r) = app
        .api_send(
            "POST",
            &format!("/api/v1/webhook-endpoints/{ep}/rotate-secret"),
            &json!({}),
        )
        .await;
    assert_eq!(s, 200, "{r}");
    let new = r["secret"].as_str().unwrap().to_owned();
    py.secrets(&http, json!({ "old": old, "new": new })).await;
    let order = app.create_order(&order_body()).await;
    let second = order["id"].as_str().unwrap().to_owned();
    app.pay_in_sandbox(order["correlation_id"].as_str().unwrap())
        .await;
    eventually(20, "created and paid during the rotation", || async {
        of_order(&py.log(&http).await, &second).len() == 2
    })
    .await;
    let log = py.log(&http).await;
    for e in of_order(&log, &second) {
        assert_eq!(e["verified_by"], json!(["new", "old"]), "{e}");
        assert_eq!(e["signatures"], 2);
    }
    // A receiver that knows only the new secret accepts them too; an unrelated secret does not.
    py.secrets(
        &http,
        json!({ "new": new, "stranger": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" }),
    )
    .await;
    let (s, ping) = app
        .api_send(
            "POST",
            &format!("/api/v1/webhook-endpoints/{ep}/test"),
            &json!({}),
        )
        .await;
    assert_eq!(
        (s, ping["status_code"].clone()),
        (200, json!(204)),
        "{ping}"
    );
    let log = py.log(&http).await;
    let last = log.last().unwrap();
    assert_eq!(last["verified_by"], json!(["new"]), "{last}");

    // Tampering: replay a real delivery's headers with a changed body.
    let paid = of_order(&log, &second)
        .into_iter()
        .find(|e| e["body"].as_str().unwrap().contains("\"order.paid\""))
        .unwrap()
        .clone();
    let body = paid["body"]
        .as_str()
        .unwrap()
        .replace("\"paid\"", "\"refunded\"");
    assert_ne!(body, paid["body"].as_str().unwrap());
    let events = app
        .api_get_json(&format!("/api/v1/events?order_id={second}&type=order.paid"))
        .await
        .1;
    let webhook_id = events["data"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(paid["webhook_id"], json!(webhook_id));
    // Sign the original again to get valid headers for this instant, then tamper.
    let key = paybridge::outbound::signing::SigningKey::parse(&new).unwrap();
    let ts = time::OffsetDateTime::now_utc().unix_timestamp();
    let sig = key.sign(&webhook_id, ts, paid["body"].as_str().unwrap().as_bytes());
    let send = |b: String| {
        http.post(format!("{}/hook", py.base))
            .header("webhook-id", &webhook_id)
            .header("webhook-timestamp", ts.to_string())
            .header("webhook-signature", &sig)
            .header("content-type", "application/json")
            .body(b)
            .send()
    };
    assert_eq!(
        send(paid["body"].as_str().unwrap().to_owned())
            .await
            .unwrap()
            .status(),
        204,
        "control"
    );
    assert_eq!(
        send(body).await.unwrap().status(),
        400,
        "tampered body must fail"
    );
    let last = py.log(&http).await.last().unwrap().clone();
    assert_eq!(last["verified_by"], json!([]));
    assert!(last["errors"]["new"].as_str().is_some(), "{last}");
}
