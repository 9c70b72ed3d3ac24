//! `/api/v1/webhook-endpoints`: where the store wants its events, with a
//! `whsec_` secret shown once, rotation, a test ping and bulk recovery.

use crate::http::auth::StoreAuth;
use crate::http::error::{AppError, FieldError};
use crate::http::AppState;
use crate::outbound::client::{self, Message};
use crate::outbound::event_type::EventSelection;
use crate::outbound::schedule::AttemptResult;
use crate::outbound::signing::{signature_header, SigningKey};
use crate::outbound::ssrf;
use crate::store::webhook_endpoints::{
    new_endpoint_id, EndpointPatch, EndpointRecord, NewEndpoint,
};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Map, Value};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// How long a rotated-out secret keeps signing.
const ROTATION_OVERLAP: time::Duration = time::Duration::hours(24);

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/webhook-endpoints", post(create).get(list))
        .route(
            "/api/v1/webhook-endpoints/{id}",
            get(read).patch(update).delete(remove),
        )
        .route("/api/v1/webhook-endpoints/{id}/rotate-secret", post(rotate))
        .route("/api/v1/webhook-endpoints/{id}/test", post(test))
        .route("/api/v1/webhook-endpoints/{id}/recover", post(recover))
}

fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

/// An endpoint as the API answers it (never the secret).
fn endpoint_json(e: &EndpointRecord) -> Value {
    let health = if !e.enabled {
        "disabled"
    } else if e.failing_since.is_some() {
        "failing"
    } else {
        "healthy"
    };
    json!({
        "id": e.id,
        "url": e.url,
        "description": e.description,
        "events": e.events.types(),
        "enabled": e.enabled,
        "disabled_reason": e.disabled_reason,
        "health": {
            "status": health,
            "failing_since": e.failing_since.map(rfc3339),
            "last_success_at": e.last_success_at.map(rfc3339),
            "last_failure_at": e.last_failure_at.map(rfc3339),
        },
        "created_at": rfc3339(e.created_at),
    })
}

fn object(body: &[u8]) -> Result<Map<String, Value>, AppError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(AppError::bad_request(
            "invalid_json",
            "body must be a JSON object",
        )),
        Err(e) => Err(AppError::bad_request(
            "invalid_json",
            format!("body is not valid JSON: {e}"),
        )),
    }
}

async fn parse_url(
    state: &AppState,
    v: Option<&Value>,
    errs: &mut Vec<FieldError>,
) -> Option<url::Url> {
    let Some(s) = v.and_then(Value::as_str) else {
        errs.push(FieldError::new("url", "is required (a string)"));
        return None;
    };
    let url = match ssrf::parse_url(s) {
        Ok(u) => u,
        Err(e) => {
            errs.push(FieldError::new("url", e));
            return None;
        }
    };
    match ssrf::check_url(&url, state.outbound.config.allow_private).await {
        Ok(()) => Some(url),
        Err(e) => {
            errs.push(FieldError::new("url", e));
            None
        }
    }
}

fn parse_events(v: Option<&Value>, errs: &mut Vec<FieldError>) -> Option<EventSelection> {
    match v {
        None | Some(Value::Null) => Some(EventSelection::all()),
        Some(Value::Array(list)) => {
            let names: Option<Vec<&str>> = list.iter().map(Value::as_str).collect();
            match names.map(|n| EventSelection::parse(&n)) {
                Some(Ok(s)) => Some(s),
                Some(Err(e)) => {
                    errs.push(FieldError::new("events", e));
                    None
                }
                None => {
                    errs.push(FieldError::new("events", "must be an array of strings"));
                    None
                }
            }
        }
        Some(_) => {
            errs.push(FieldError::new("events", "must be an array of event types"));
            None
        }
    }
}

fn parse_description(v: Option<&Value>, errs: &mut Vec<FieldError>) -> Option<Option<String>> {
    match v {
        None | Some(Value::Null) => Some(None),
        Some(Value::String(s)) if s.chars().count() <= 500 => {
            Some(Some(s.trim().to_owned()).filter(|s| !s.is_empty()))
        }
        Some(_) => {
            errs.push(FieldError::new(
                "description",
                "must be a string of at most 500 characters",
            ));
            None
        }
    }
}

async fn create(
    _auth: StoreAuth,
    State(state): State<AppState>,
    body: axum::body::Bytes,
) -> Result<(StatusCode, Json<Value>), AppError> {
    let m = object(&body)?;
    let mut errs = Vec::new();
    let url = parse_url(&state, m.get("url"), &mut errs).await;
    let events = parse_events(m.get("events"), &mut errs);
    let description = parse_description(m.get("description"), &mut errs);
    let (Some(url), Some(events), Some(description), true) =
        (url, events, description, errs.is_empty())
    else {
        return Err(AppError::Validation(errs));
    };
    let id = new_endpoint_id();
    let key = SigningKey::generate();
    let sealed = state.outbound.secrets.seal(key.text(), &id);
    let new = NewEndpoint {
        url,
        description,
        events,
    };
    let e = state.store.insert_endpoint(&id, &new, &sealed).await?;
    tracing::info!(endpoint_id = %e.id, "webhook endpoint created");
    state.outbound.wake.notify_one();
    let mut v = endpoint_json(&e);
    v["secret"] = json!(key.text().expose());
    Ok((StatusCode::CREATED, Json(v)))
}

async fn list(_auth: StoreAuth, State(state): State<AppState>) -> Result<Json<Value>, AppError> {
    let all = state.store.list_endpoints().await?;
    Ok(Json(
        json!({ "data": all.iter().map(endpoint_json).collect::<Vec<_>>() }),
    ))
}

async fn found(state: &AppState, id: &str) -> Result<EndpointRecord, AppError> {
    state
        .store
        .get_endpoint(id)
        .await?
        .ok_or(AppError::NotFound("webhook endpoint"))
}

async fn read(
    _auth: StoreAuth,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    Ok(Json(endpoint_json(&found(&state, &id).await?)))
}

async fn update(
    _auth: StoreAuth,
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<Json<Value>, AppError> {
    found(&state, &id).await?;
    let m = object(&body)?;
    let mut errs = Vec::new();
    for k in m.keys() {
        if !["url", "events", "enabled", "description"].contains(&k.as_str()) {
            errs.push(FieldError::new(k.clone(), "cannot be changed"));
        }
    }
    let mut patch = EndpointPatch::default();
    if m.contains_key("url") {
        patch.url = parse_url(&state, m.get("url"), &mut errs).await;
    }
    if m.contains_key("events") {
        patch.events = parse_events(m.get("events"), &mut errs);
    }
    if m.contains_key("description") {
        patch.description = parse_description(m.get("description"), &mut errs);
    }
    match m.get("enabled") {
        None => {}
        Some(Value::Bool(b)) => patch.enabled = Some(*b),
        Some(_) => errs.push(FieldError::new("enabled", "must be true or false")),
    }
    if !errs.is_empty() {
        return Err(AppError::Validation(errs));
    }
    let e = state
        .store
        .update_endpoint(&id, &patch)
        .await?
        .ok_or(AppError::NotFound("webhook endpoint"))?;
    state.outbound.wake.notify_one();
    Ok(Json(endpoint_json(&e)))
}

async fn remove(
    _auth: StoreAuth,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    if state.store.delete_endpoint(&id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::NotFound("webhook endpoint"))
    }
}

async fn rotate(
    _auth: StoreAuth,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    let e = found(&state, &id).await?;
    let key = SigningKey::generate();
    let sealed = state.outbound.secrets.seal(key.text(), &id);
    let until = OffsetDateTime::now_utc() + ROTATION_OVERLAP;
    if !state
        .store
        .rotate_endpoint_secret(&id, &sealed, &e.secret_sealed, until)
        .await?
    {
        return Err(AppError::NotFound("webhook endpoint"));
    }
    tracing::info!(endpoint_id = %id, "webhook endpoint secret rotated");
    Ok(Json(json!({
        "id": id,
        "secret": key.text().expose(),
        "previous_secret_valid_until": rfc3339(until),
    })))
}

/// Sends a signed `ping` now and answers what the endpoint said (not queued, not retried).
async fn test(
    _auth: StoreAuth,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    let e = found(&state, &id).await?;
    let open = |sealed: &str| -> Result<SigningKey, AppError> {
        let s = state
            .outbound
            .secrets
            .open(sealed, &e.id)
            .map_err(anyhow::Error::from)?;
        SigningKey::parse(s.expose()).map_err(|e| AppError::Internal(e.into()))
    };
    let mut keys = vec![open(&e.secret_sealed)?];
    let now = OffsetDateTime::now_utc();
    if let (Some(p), Some(until)) = (&e.previous_secret_sealed, e.previous_secret_until) {
        if until > now {
            keys.push(open(p)?);
        }
    }
    let msg_id = format!("evt_ping_{}", uuid::Uuid::now_v7().simple());
    let body = json!({
        "id": msg_id,
        "type": "ping",
        "created_at": rfc3339(now),
        "data": { "endpoint_id": e.id },
    })
    .to_string();
    let ts = now.unix_timestamp();
    let signature = signature_header(&keys, &msg_id, ts, body.as_bytes());
    let a = client::send(
        &state.outbound.client,
        state.outbound.config.allow_private,
        Message {
            url: &e.url,
            id: &msg_id,
            timestamp: ts,
            signature: &signature,
            body: body.as_bytes(),
        },
    )
    .await;
    let code = match a.result {
        AttemptResult::Status { code, .. } => Some(code),
        AttemptResult::NoResponse => None,
    };
    Ok(Json(json!({
        "id": msg_id,
        "delivered": code.is_some_and(|c| (200..300).contains(&c)),
        "status_code": code,
        "latency_ms": a.latency.as_millis() as u64,
        "response": a.snippet,
    })))
}

async fn recover(
    _auth: StoreAuth,
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<(StatusCode, Json<Value>), AppError> {
    found(&state, &id).await?;
    let m = object(&body)?;
    let since = m
        .get("since")
        .and_then(Value::as_str)
        .and_then(|s| OffsetDateTime::parse(s, &Rfc3339).ok())
        .ok_or_else(|| {
            AppError::Validation(vec![FieldError::new(
                "since",
                "is required: an RFC 3339 time like 2026-01-01T00:00:00Z",
            )])
        })?;
    let n = state.store.recover_endpoint(&id, since).await?;
    state.outbound.wake.notify_one();
    Ok((StatusCode::ACCEPTED, Json(json!({ "queued": n }))))
}
