//! `/meus-pedidos` through signed links from `POST /api/v1/customers/portal-link`.

use crate::app::{spawn_app, TestApp, API_KEY};
use crate::support::create_order;
use serde_json::{json, Value};

async fn portal_link(app: &TestApp, body: Value, key: &str) -> reqwest::Response {
    app.http
        .post(format!("{}/api/v1/customers/portal-link", app.base))
        .bearer_auth(key)
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn url_for(app: &TestApp, body: Value) -> String {
    let res = portal_link(app, body, API_KEY).await;
    assert_eq!(res.status(), 200);
    let v: Value = res.json().await.unwrap();
    v["url"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn signed_link_lists_the_buyers_orders() {
    let app = spawn_app().await;
    let order = create_order(&app).await;
    let token = order["checkout_url"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    for body in [
        json!({ "email": "ana@example.com" }),
        json!({ "tax_id": "290.948.480-74" }),
    ] {
        let url = url_for(&app, body.clone()).await;
        assert!(
            url.starts_with(&format!("{}/meus-pedidos?token=", app.base)),
            "{url}"
        );
        let res = app.http.get(&url).send().await.unwrap();
        assert_eq!(res.status(), 200, "{body}");
        let html = res.text().await.unwrap();
        assert!(html.contains("Meus pedidos"));
        assert!(html.contains("PED-1"), "{html}");
        assert!(html.contains("R$ 15,00"));
        assert!(html.contains(&format!("/pay/{token}")), "pay link: {html}");
    }
    // Another buyer sees none of Ana's orders.
    let url = url_for(&app, json!({ "email": "bia@example.com" })).await;
    let html = app
        .http
        .get(&url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!html.contains("PED-1"));
    assert!(html.contains("Nenhum pedido encontrado"));
}

#[tokio::test]
async fn tampered_token_is_403() {
    let app = spawn_app().await;
    create_order(&app).await;
    let url = url_for(&app, json!({ "email": "bia@example.com" })).await;
    // Swap the signed e-mail for Ana's, keeping the signature.
    let token = url.split("token=").nth(1).unwrap();
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 4, "{token}");
    let forged = format!("e.{}.{}.{}", hex_of("ana@example.com"), parts[2], parts[3]);
    for t in [forged.as_str(), "", "garbage", &format!("{token}0")] {
        let res = app
            .http
            .get(format!("{}/meus-pedidos", app.base))
            .query(&[("token", t)])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403, "{t}");
        let html = res.text().await.unwrap();
        assert!(html.contains("Link inválido"));
        assert!(!html.contains("PED-1"));
    }
}

#[tokio::test]
async fn portal_link_needs_the_api_key_and_one_identifier() {
    let app = spawn_app().await;
    let res = portal_link(&app, json!({ "email": "ana@example.com" }), "wrong").await;
    assert_eq!(res.status(), 401);
    let res = portal_link(&app, json!({}), API_KEY).await;
    assert_eq!(res.status(), 400);
    let res = portal_link(&app, json!({ "email": "not-an-email" }), API_KEY).await;
    assert_eq!(res.status(), 422);
}

fn hex_of(s: &str) -> String {
    s.bytes().map(|b| format!("{b:02x}")).collect()
}
