//! `/api/v1/webhook…`: registrations (probed with a signed test webhook
//! before they are saved, as Woovi does) and the public signing keys.

use super::body::JsonObject;
use super::{AppState, QueryMap};
use crate::delivery::{send_once, Target};
use crate::error::{ApiError, ApiResult};
use crate::events;
use crate::ids;
use crate::model::WebhookRec;
use crate::store::Write;
use axum::extract::{Path, State};
use axum::routing::{delete, get};
use axum::{Json, Router};
use serde_json::{json, Value};

/// Events a webhook can be registered for (OpenAPI `WebhookEventEnum` and the
/// response enum).
const EVENTS: &[&str] = &[
    "OPENPIX:CHARGE_CREATED",
    "OPENPIX:CHARGE_COMPLETED",
    "OPENPIX:CHARGE_EXPIRED",
    "OPENPIX:CHARGE_COMPLETED_NOT_SAME_CUSTOMER_PAYER",
    "OPENPIX:TRANSACTION_RECEIVED",
    "OPENPIX:TRANSACTION_REFUND_RECEIVED",
    "PIX_TRANSACTION_REFUND_RECEIVED_CONFIRMED",
    "PIX_TRANSACTION_REFUND_SENT_CONFIRMED",
    "PIX_TRANSACTION_REFUND_RECEIVED_REJECTED",
    "PIX_TRANSACTION_REFUND_SENT_REJECTED",
    "OPENPIX:MOVEMENT_CONFIRMED",
    "OPENPIX:MOVEMENT_FAILED",
    "OPENPIX:MOVEMENT_REMOVED",
    "OPENPIX:DISPUTE_CREATED",
    "OPENPIX:DISPUTE_ACCEPTED",
    "OPENPIX:DISPUTE_REJECTED",
    "OPENPIX:DISPUTE_CANCELED",
    "ACCOUNT_REGISTER_APPROVED",
    "ACCOUNT_REGISTER_REJECTED",
    "ACCOUNT_REGISTER_PENDING",
];

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/webhook", get(list).post(create))
        .route("/api/v1/webhook/{id}", delete(remove))
}

/// `public-keys` needs no AppID (the OpenAPI operation has `security: []`).
pub(super) fn public_router() -> Router<AppState> {
    Router::new().route("/api/v1/webhook/public-keys", get(public_keys))
}

async fn create(State(shared): State<AppState>, body: JsonObject) -> ApiResult<Json<Value>> {
    let hook = body
        .object("webhook")?
        .ok_or_else(|| ApiError::bad_request("webhook is required"))?;
    let url = hook.required_str("url")?;
    let parsed = url::Url::parse(&url).map_err(|_| ApiError::bad_request("url inválida"))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(ApiError::bad_request("url inválida"));
    }
    let event = hook
        .str("event")?
        .unwrap_or_else(|| events::name::TRANSACTION_RECEIVED.to_owned());
    if !EVENTS.contains(&event.as_str()) {
        return Err(ApiError::bad_request(format!("event inválido: {event}")));
    }
    let now = shared.clock.now();
    let rec = WebhookRec {
        id: ids::global_id("Webhook"),
        name: hook.str("name")?.unwrap_or_default(),
        event,
        url,
        authorization: hook.str("authorization")?,
        is_active: hook.bool("isActive")?.unwrap_or(true),
        created_at: now,
    };
    let probe =
        bytes::Bytes::from(serde_json::to_vec(&events::test_webhook(now)).unwrap_or_default());
    let target = Target {
        url: &rec.url,
        authorization: rec.authorization.as_deref(),
        webhook_id: "",
    };
    let attempt = send_once(
        &shared,
        &ids::uuid(),
        events::name::TEST,
        &target,
        &probe,
        1,
    )
    .await;
    if attempt.status_code != Some(200) {
        let got = attempt.status_code.map_or_else(
            || attempt.error.unwrap_or_default(),
            |s| format!("status {s}"),
        );
        return Err(ApiError::bad_request(format!(
            "O webhook de teste não retornou 200 ({got})"
        )));
    }
    shared.lock().webhooks.insert(rec.clone());
    shared.persist(vec![Write::put(&rec)]).await?;
    Ok(Json(json!({ "webhook": rec.render() })))
}

async fn list(State(shared): State<AppState>, query: QueryMap) -> ApiResult<Json<Value>> {
    let url = query.get("url").cloned();
    let state = shared.lock();
    let items: Vec<Value> = state
        .webhooks
        .iter()
        .rev()
        .filter(|w| url.as_deref().is_none_or(|u| w.url == u))
        .map(WebhookRec::render)
        .collect();
    Ok(Json(super::page("webhooks", items, &query)))
}

async fn remove(State(shared): State<AppState>, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    let removed = shared
        .lock()
        .webhooks
        .remove(&id)
        .ok_or_else(|| ApiError::bad_request("Webhook não encontrado"))?;
    shared.persist(vec![Write::delete(&removed)]).await?;
    Ok(Json(json!({ "status": "OK" })))
}

async fn public_keys(State(shared): State<AppState>) -> Json<Value> {
    Json(json!({ "public_keys": [{
        "key_identifier": shared.signer.key_identifier(),
        "key": shared.signer.public_key_pem(),
        "is_current": true,
    }]}))
}
