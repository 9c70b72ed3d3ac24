//! The dashboard's outbound webhooks: an order's deliveries, failed ones with
//! a resend button (CSRF-checked), and each endpoint's health.

use crate::admin_client::{admin_page, client, logged_in};
use crate::app::{spawn_app_with, API_KEY};
use crate::support::create_order;
use axum::http::StatusCode;
use paybridge::outbound::schedule::Schedule;
use paybridge::outbound::OutboundConfig;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

async fn receiver(up: Arc<AtomicBool>, hits: Arc<AtomicUsize>) -> String {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", l.local_addr().unwrap());
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move || {
            let (up, hits) = (up.clone(), hits.clone());
            async move {
                hits.fetch_add(1, Ordering::SeqCst);
                if up.load(Ordering::SeqCst) {
                    StatusCode::OK
                } else {
                    StatusCode::INTERNAL_SERVER_ERROR
                }
            }
        }),
    );
    tokio::spawn(async move { axum::serve(l, app).await.unwrap() });
    url
}

fn csrf_of(html: &str) -> String {
    let at = html.find(r#"name="csrf" value=""#).expect("csrf field") + 19;
    html[at..at + 64].to_owned()
}

fn resend_action(html: &str) -> String {
    let at = html
        .find(r#"action="/admin/deliveries/"#)
        .expect("a resend form")
        + 8;
    let end = html[at..].find('"').unwrap();
    html[at..at + end].to_owned()
}

#[tokio::test]
async fn failed_deliveries_show_with_a_resend_button_and_endpoint_health() {
    let app = spawn_app_with(|c| {
        c.outbound = OutboundConfig {
            allow_private: true,
            schedule: Schedule::parse("100ms").unwrap(),
            poll: Duration::from_millis(20),
            ..OutboundConfig::default()
        }
    })
    .await;
    let (up, hits) = (
        Arc::new(AtomicBool::new(false)),
        Arc::new(AtomicUsize::new(0)),
    );
    let url = receiver(up.clone(), hits.clone()).await;
    let res = app
        .http
        .post(format!("{}/api/v1/webhook-endpoints", app.base))
        .bearer_auth(API_KEY)
        .json(&json!({ "url": url, "events": ["order.created"], "description": "Loja principal" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let order = create_order(&app).await;
    let order_id = order["id"].as_str().unwrap();
    let cookie = logged_in(&app).await;
    let deadline = Instant::now() + Duration::from_secs(20);
    let html = loop {
        let html = admin_page(&app, &cookie, "/admin/webhooks").await;
        if html.contains("Reenviar") {
            break html;
        }
        assert!(
            Instant::now() < deadline,
            "no failed delivery shown: {html}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(html.contains("Entregas com falha"));
    assert!(html.contains("Falhando desde"), "endpoint health: {html}");
    assert!(html.contains("Loja principal"));
    assert!(html.contains("HTTP 500"));
    let page = admin_page(&app, &cookie, &format!("/admin/orders/{order_id}")).await;
    assert!(page.contains("Notificações à loja"), "{page}");
    assert!(
        page.contains("order.created") && page.contains("falhou"),
        "{page}"
    );

    // A forged form (wrong token) is refused and changes nothing.
    up.store(true, Ordering::SeqCst);
    let action = resend_action(&html);
    let before = hits.load(Ordering::SeqCst);
    let res = client()
        .post(format!("{}{action}", app.base))
        .header("cookie", &cookie)
        .form(&[
            ("csrf", "0".repeat(64).as_str()),
            ("back", "/admin/webhooks"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(hits.load(Ordering::SeqCst), before, "nothing resent");
    assert!(admin_page(&app, &cookie, "/admin/webhooks")
        .await
        .contains("Reenviar"));

    // The real button resends; the delivery turns delivered, the endpoint healthy.
    let res = client()
        .post(format!("{}{action}", app.base))
        .header("cookie", &cookie)
        .form(&[
            ("csrf", csrf_of(&html).as_str()),
            ("back", "https://evil.example/"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(
        res.headers()["location"],
        "/admin/webhooks",
        "no open redirect"
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let page = admin_page(&app, &cookie, &format!("/admin/orders/{order_id}")).await;
        if page.contains("entregue") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "not delivered after resend: {page}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let html = admin_page(&app, &cookie, "/admin/webhooks").await;
    assert!(html.contains("Saudável"), "{html}");
    assert!(html.contains("Nenhuma entrega com falha."), "{html}");
    let v: Value = app
        .http
        .get(format!("{}/api/v1/events?order_id={order_id}", app.base))
        .bearer_auth(API_KEY)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v["data"][0]["status"], "delivered");
}
