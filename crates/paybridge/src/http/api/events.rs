//! `/api/v1/events`: what paybridge told (or is telling) the store, every
//! attempt, and replay.

use crate::http::auth::StoreAuth;
use crate::http::error::{AppError, FieldError};
use crate::http::AppState;
use crate::outbound::event_type::EVENT_TYPES;
use crate::store::deliveries::DeliveryRecord;
use crate::store::outbox::{EventFilter, EventRecord, EVENT_STATUSES};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use time::format_description::well_known::Rfc3339;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/events", get(list))
        .route("/api/v1/events/{id}", get(read))
        .route("/api/v1/events/{id}/attempts", get(attempts))
        .route("/api/v1/events/{id}/redeliver", post(redeliver))
}

fn rfc3339(t: time::OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

fn event_json(e: &EventRecord) -> Value {
    json!({
        "id": e.id,
        "type": e.event_type,
        "order_id": e.order_id,
        "sequence": e.sequence,
        "status": e.status,
        "created_at": rfc3339(e.created_at),
        "payload": e.payload,
    })
}

fn delivery_json(d: &DeliveryRecord) -> Value {
    json!({
        "id": d.id,
        "endpoint_id": d.endpoint_id,
        "url": d.endpoint_url,
        "status": d.status,
        "attempts": d.attempts,
        "next_attempt_at": (d.status == "pending").then(|| rfc3339(d.next_attempt_at)),
        "last_status_code": d.last_status_code,
        "last_error": d.last_error,
    })
}

#[derive(Debug, Deserialize)]
struct ListQuery {
    #[serde(rename = "type")]
    event_type: Option<String>,
    order_id: Option<String>,
    status: Option<String>,
    limit: Option<u32>,
    cursor: Option<String>,
}

async fn list(
    _auth: StoreAuth,
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> Result<Json<Value>, AppError> {
    let mut errs = Vec::new();
    let nonempty = |v: Option<String>| v.filter(|s| !s.trim().is_empty());
    let event_type = nonempty(q.event_type);
    if let Some(t) = &event_type {
        if !EVENT_TYPES.contains(&t.as_str()) {
            errs.push(FieldError::new("type", format!("unknown event type {t:?}")));
        }
    }
    let status = nonempty(q.status);
    if let Some(s) = &status {
        if !EVENT_STATUSES.contains(&s.as_str()) {
            errs.push(FieldError::new(
                "status",
                format!("must be one of {}", EVENT_STATUSES.join(", ")),
            ));
        }
    }
    if !errs.is_empty() {
        return Err(AppError::Validation(errs));
    }
    let filter = EventFilter {
        event_type,
        order_id: nonempty(q.order_id),
        status,
        limit: q.limit.unwrap_or(50),
        cursor: nonempty(q.cursor),
    };
    let (events, next) = state.store.list_events(&filter).await?;
    Ok(Json(json!({
        "data": events.iter().map(event_json).collect::<Vec<_>>(),
        "next_cursor": next,
    })))
}

async fn read(
    _auth: StoreAuth,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    let e = state
        .store
        .get_event(&id)
        .await?
        .ok_or(AppError::NotFound("event"))?;
    let deliveries = state.store.deliveries_for_event(&id).await?;
    let mut v = event_json(&e);
    v["deliveries"] = deliveries.iter().map(delivery_json).collect();
    Ok(Json(v))
}

async fn attempts(
    _auth: StoreAuth,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    state
        .store
        .get_event(&id)
        .await?
        .ok_or(AppError::NotFound("event"))?;
    let list = state.store.attempts_for_event(&id).await?;
    Ok(Json(json!({
        "data": list.iter().map(|a| json!({
            "delivery_id": a.delivery_id,
            "endpoint_id": a.endpoint_id,
            "at": rfc3339(a.at),
            "status_code": a.status_code,
            "latency_ms": a.latency_ms,
            "response": a.response,
        })).collect::<Vec<_>>(),
    })))
}

async fn redeliver(
    _auth: StoreAuth,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<Value>), AppError> {
    let n = state
        .store
        .redeliver_event(&id)
        .await?
        .ok_or(AppError::NotFound("event"))?;
    state.outbound.wake.notify_one();
    Ok((StatusCode::ACCEPTED, Json(json!({ "queued": n }))))
}
