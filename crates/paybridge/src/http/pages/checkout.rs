//! The buyer's checkout: `/pay/{token}` (QR code, "Pix copia e cola",
//! countdown, live status), `/pay/{token}/events` (Server-Sent Events) and,
//! with the embedded sandbox, `/pay/{token}/simulate`.

use super::format::{format_brl, status_label};
use super::layout::{internal, not_found, page};
use super::AppState;
use crate::domain::OrderStatus;
use crate::store::OrderRecord;
use axum::extract::{Path, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use futures::stream::{self, StreamExt};
use maud::{html, PreEscaped};
use std::convert::Infallible;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/pay/{token}", get(checkout))
        .route("/pay/{token}/events", get(events))
        .route("/pay/{token}/simulate", post(simulate))
}

async fn load(state: &AppState, token: &str) -> Result<OrderRecord, Response> {
    match state.store.order_by_checkout_token(token).await {
        Ok(Some(o)) => Ok(o),
        Ok(None) => Err(not_found()),
        Err(e) => Err(internal(e)),
    }
}

async fn checkout(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    let order = match load(&state, &token).await {
        Ok(o) => o,
        Err(r) => return r,
    };
    let pending = order.status == OrderStatus::Pending;
    let charge = order.charge.as_ref().filter(|_| pending);
    let qr = match charge.map(|c| brcode::qr::svg(&c.br_code, 256)).transpose() {
        Ok(q) => q,
        Err(e) => return internal(e),
    };
    let expires_at = charge
        .and_then(|c| c.expires_at)
        .map(|t| t.unix_timestamp());
    let body = html! {
        section.card data-token=(token) data-status=(order.status.as_str()) {
            p.merchant { (state.merchant_name) }
            h1 { "Pagamento via Pix" }
            p.amount { span.visually-hidden { "Valor: " } (format_brl(order.amount.get())) }
            @if let Some(r) = &order.reference { p.muted { "Pedido " (r) } }
            p #status .status role="status" aria-live="polite" data-status=(order.status.as_str()) {
                (status_label(order.status))
            }
            @if let (Some(c), Some(svg)) = (charge, qr) {
                div #pix {
                    figure.qr role="img" aria-label="QR Code Pix para pagamento" {
                        (PreEscaped(svg))
                    }
                    label for="brcode" { "Pix copia e cola" }
                    div.copy {
                        input #brcode type="text" readonly value=(c.br_code);
                        button #copy type="button" aria-controls="brcode" { "Copiar" }
                    }
                    p #copied .muted aria-live="polite" {}
                    @if let Some(ts) = expires_at {
                        p #countdown .muted data-expires-at=(ts) { "Expira em breve" }
                    }
                    @if state.sandbox.is_some() {
                        form #simulate method="post" action={ "/pay/" (token) "/simulate" } {
                            button.secondary type="submit" { "Simular pagamento" }
                            p.muted { "Ambiente de testes: nenhum dinheiro real é movimentado." }
                        }
                    }
                }
            } @else if pending {
                p.muted { "O Pix ainda está sendo gerado. Recarregue a página em instantes." }
            }
        }
        script src="/assets/checkout.js" defer {}
    };
    page(&format!("Pagamento — {}", state.merchant_name), body).into_response()
}

fn status_event(status: OrderStatus) -> Event {
    Event::default().event("status").data(
        serde_json::json!({ "status": status.as_str(), "label": status_label(status) }).to_string(),
    )
}

/// Current status first, then every change of this order; keep-alive comments
/// hold the connection open through proxies.
async fn events(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    // Subscribe before reading, so a change between the two is not lost.
    let rx = state.updates.subscribe();
    let order = match load(&state, &token).await {
        Ok(o) => o,
        Err(r) => return r,
    };
    let first = stream::once(async move { Ok::<_, Infallible>(status_event(order.status)) });
    let order_id = order.id;
    let store = state.store.clone();
    let changes = stream::unfold(
        (rx, order_id, store),
        |(mut rx, order_id, store)| async move {
            loop {
                match rx.recv().await {
                    Ok(u) if u.order_id == order_id => {
                        return Some((Ok(status_event(u.to)), (rx, order_id, store)));
                    }
                    Ok(_) => {}
                    Err(RecvError::Lagged(_)) => {
                        // Missed some updates: the database has the truth.
                        if let Ok(Some(o)) = store.get_order(&order_id).await {
                            return Some((Ok(status_event(o.status)), (rx, order_id, store)));
                        }
                    }
                    Err(RecvError::Closed) => return None,
                }
            }
        },
    );
    Sse::new(first.chain(changes))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response()
}

/// Pays the order's charge at the embedded sandbox (server-side, so the appID
/// stays here); the page then learns of the payment through the webhook, like
/// a real one.
async fn simulate(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    let Some(sandbox) = state.sandbox.clone() else {
        return not_found();
    };
    let order = match load(&state, &token).await {
        Ok(o) => o,
        Err(r) => return r,
    };
    if order.status == OrderStatus::Pending && order.charge.is_some() {
        let url = format!("{}/openpix/testing", sandbox.base_url);
        let res = reqwest::Client::new()
            .post(url)
            .query(&[("correlationID", order.correlation_id.as_str())])
            .header("Authorization", sandbox.app_id.expose())
            .timeout(Duration::from_secs(10))
            .send()
            .await;
        match res {
            Ok(r) if r.status().is_success() => {}
            Ok(r) => {
                let status = r.status();
                let text = r.text().await.unwrap_or_default();
                return internal(format!("sandbox refused the payment ({status}): {text}"));
            }
            Err(e) => return internal(e),
        }
    }
    Redirect::to(&format!("/pay/{token}")).into_response()
}
