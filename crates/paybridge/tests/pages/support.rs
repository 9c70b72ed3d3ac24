//! Shared steps of the page tests.

use crate::app::{order_body, TestApp};
use serde_json::Value;
use std::time::Duration;

/// Creates an order through the API; returns its JSON.
pub async fn create_order(app: &TestApp) -> Value {
    let res = app.post_order(&order_body()).await;
    assert_eq!(res.status(), 201, "order created");
    let order: Value = res.json().await.unwrap();
    assert!(
        order["pix"]["br_code"].is_string(),
        "charge attached: {order}"
    );
    order
}

/// The `/pay/{token}` path of an order.
pub fn checkout_path(order: &Value) -> String {
    let url = order["checkout_url"].as_str().unwrap();
    let at = url.find("/pay/").expect("checkout url has /pay/");
    url[at..].to_owned()
}

/// Polls the API until the order has `status` (bounded).
pub async fn wait_status(app: &TestApp, id: &str, status: &str) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let o = app.get_order(id).await;
        if o["status"] == status {
            return o;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "order never reached {status}: {o}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
