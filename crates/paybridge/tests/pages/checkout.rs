//! `/pay/{token}` over plain HTTP: markup, 404, simulate, Server-Sent Events.

use crate::app::spawn_app;
use crate::support::{checkout_path, create_order, wait_status};
use std::time::Duration;

#[tokio::test]
async fn checkout_page_shows_amount_qr_and_copy_code() {
    let app = spawn_app().await;
    let order = create_order(&app).await;
    let res = app
        .http
        .get(format!("{}{}", app.base, checkout_path(&order)))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains(r#"<html lang="pt-BR">"#), "{html}");
    assert!(html.contains("R$ 15,00"), "amount formatted: {html}");
    assert!(html.contains("<svg"), "inline QR: {html}");
    let br_code = order["pix"]["br_code"].as_str().unwrap();
    assert!(
        html.contains(&format!(r#"value="{br_code}""#)),
        "copia e cola in a field: {html}"
    );
    assert!(html.contains("Copiar"));
    assert!(html.contains("Aguardando pagamento"));
    assert!(html.contains(r#"aria-live="polite""#));
    assert!(html.contains("Simular pagamento"), "sandbox is mounted");
    assert!(
        !html.contains(r#"src="http"#) && !html.contains(r#"href="http"#),
        "no external assets: {html}"
    );
    let app_id = app
        .state
        .sandbox
        .as_ref()
        .unwrap()
        .app_id
        .expose()
        .to_owned();
    assert!(!html.contains(&app_id), "appID never reaches the browser");
}

#[tokio::test]
async fn unknown_token_is_a_portuguese_404() {
    let app = spawn_app().await;
    for path in ["/pay/nao-existe", "/pay/nao-existe/events"] {
        let res = app
            .http
            .get(format!("{}{path}", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404, "{path}");
        let html = res.text().await.unwrap();
        assert!(html.contains("Página não encontrada"), "{html}");
    }
}

#[tokio::test]
async fn simulate_pays_and_the_page_says_confirmed() {
    let app = spawn_app().await;
    let order = create_order(&app).await;
    let path = checkout_path(&order);
    let no_redirect = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let res = no_redirect
        .post(format!("{}{path}/simulate", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    wait_status(&app, order["id"].as_str().unwrap(), "paid").await;
    let html = app
        .http
        .get(format!("{}{path}", app.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Pagamento confirmado"), "{html}");
    assert!(!html.contains("<svg"), "no QR once paid");
}

#[tokio::test]
async fn events_stream_sends_current_status_then_paid() {
    let app = spawn_app().await;
    let order = create_order(&app).await;
    let path = checkout_path(&order);
    let mut res = app
        .http
        .get(format!("{}{path}/events", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["content-type"].to_str().unwrap(),
        "text/event-stream"
    );
    let mut seen = String::new();
    let mut want = r#""status":"pending""#;
    let mut paid_sent = false;
    let mut paid_at = None;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let chunk = tokio::time::timeout_at(deadline, res.chunk())
            .await
            .expect("event arrives in time")
            .unwrap()
            .expect("stream stays open");
        seen.push_str(&String::from_utf8_lossy(&chunk));
        if seen.contains(want) {
            if paid_sent {
                break;
            }
            // Current status first; now pay through the sandbox.
            let r = app
                .http
                .post(format!("{}{path}/simulate", app.base))
                .send()
                .await
                .unwrap();
            assert!(r.status().is_success(), "{}", r.status());
            paid_sent = true;
            paid_at = Some(tokio::time::Instant::now());
            want = r#""status":"paid""#;
        }
    }
    // The sandbox delivers the webhook 50 ms after the payment; the event
    // must follow the commit promptly, not on some polling interval.
    let lag = paid_at.unwrap().elapsed();
    assert!(lag < Duration::from_secs(2), "paid event took {lag:?}");
    assert!(seen.contains("event: status"), "{seen}");
    assert!(seen.contains("Pagamento confirmado"), "{seen}");
}

async fn page_text(app: &crate::app::TestApp, path: &str) -> String {
    app.http
        .get(format!("{}{path}", app.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

async fn action(app: &crate::app::TestApp, id: &str, what: &str) {
    let res = app
        .http
        .post(format!("{}/api/v1/orders/{id}/{what}", app.base))
        .bearer_auth(crate::app::API_KEY)
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{what}: {}", res.status());
}

#[tokio::test]
async fn final_states_are_spelled_out() {
    let app = spawn_app().await;

    let cancelled = create_order(&app).await;
    let id = cancelled["id"].as_str().unwrap();
    action(&app, id, "cancel").await;
    wait_status(&app, id, "cancelled").await;
    let html = page_text(&app, &checkout_path(&cancelled)).await;
    assert!(html.contains("Pedido cancelado"), "{html}");
    assert!(!html.contains("<svg"), "no QR for a cancelled order");

    let refunded = create_order(&app).await;
    let id = refunded["id"].as_str().unwrap();
    let path = checkout_path(&refunded);
    app.http
        .post(format!("{}{path}/simulate", app.base))
        .send()
        .await
        .unwrap();
    wait_status(&app, id, "paid").await;
    action(&app, id, "refund").await;
    wait_status(&app, id, "refunded").await;
    assert!(page_text(&app, &path).await.contains("Pagamento estornado"));

    let expired = create_order(&app).await;
    let id = expired["id"].as_str().unwrap();
    let sandbox = &app.state.sandbox.as_ref().unwrap().base_url;
    let res = app
        .http
        .post(format!("{sandbox}/sandbox/clock/advance?seconds=864000"))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success());
    wait_status(&app, id, "expired").await;
    assert!(page_text(&app, &checkout_path(&expired))
        .await
        .contains("Pagamento expirado"));
}
