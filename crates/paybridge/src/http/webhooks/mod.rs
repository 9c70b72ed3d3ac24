//! `POST /webhooks/{provider}`: raw bytes, verify, parse, one transaction
//! through the group-commit writer, then 200.

use crate::domain::EventKind;
use crate::http::error::AppError;
use crate::http::AppState;
use crate::providers::intake::{self, Refusal};
use crate::providers::Provider;
use crate::store::{body_sha256, settings, IngestCommand, IngestSource};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Path, State};
use axum::http::HeaderMap;
use axum::routing::post;
use axum::{Extension, Json, Router};
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::sync::Arc;

/// Largest webhook body accepted (413 above).
pub const BODY_LIMIT: usize = 1024 * 1024;

/// Registration tests (unauthenticated by design: Eduzz sends no origin
/// with them) accepted per provider: a burst of this many, then one a minute
/// per slot refilled. Above it they are answered 429 and never stored.
pub const TEST_EVENTS_BURST: u32 = 10;

/// Counts and records a refused attempt. `body` is `None` when it was never
/// read (over the size limit): no hash and no claimed order then.
async fn reject(
    state: &AppState,
    provider: &dyn Provider,
    reason: &str,
    headers: &HeaderMap,
    body: Option<&[u8]>,
    remote: Option<SocketAddr>,
) {
    let claimed = body
        .map(|b| intake::claimed_ref(provider, headers, b))
        .unwrap_or_default();
    let hash = body.map(body_sha256);
    let provider = provider.name();
    state.metrics.inc(
        "paybridge_webhooks_rejected_total",
        &[("provider", provider), ("reason", reason)],
    );
    let remote = remote.map(|a| a.ip().to_string());
    if let Err(e) = state
        .store
        .record_rejected_webhook(
            provider,
            reason,
            hash.as_deref(),
            remote.as_deref(),
            &claimed,
        )
        .await
    {
        tracing::error!(error = %e, "could not record rejected webhook");
    }
    tracing::warn!(provider, reason, "webhook rejected");
}

fn refusal_error(refusal: &Refusal) -> AppError {
    match refusal {
        Refusal::UnsupportedMediaType => AppError::UnsupportedMediaType,
        // `malformed_body` is the code stores have seen since the first release.
        r if r.reason() == "malformed" => AppError::bad_request("malformed_body", r.to_string()),
        r if r.is_bad_request() => AppError::bad_request(r.reason(), r.to_string()),
        r => AppError::InvalidSignature {
            code: r.reason(),
            message: r.to_string(),
        },
    }
}

async fn receive(
    State(state): State<AppState>,
    Path(provider_name): Path<String>,
    remote: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Value>, AppError> {
    let remote = remote.map(|Extension(ConnectInfo(a))| a);
    let provider = state
        .providers
        .get(&provider_name)
        .ok_or(AppError::NotFound("provider"))?;
    let name = provider.name();
    state
        .metrics
        .inc("paybridge_webhooks_received_total", &[("provider", name)]);
    let body = match body {
        Ok(b) => b,
        // Over the limit: recorded without a hash (the body is never read
        // past the limit, so there is nothing whole to hash).
        Err(e) if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => {
            reject(&state, &*provider, "body_too_large", &headers, None, remote).await;
            return Err(AppError::PayloadTooLarge { limit: BODY_LIMIT });
        }
        Err(e) => return Err(AppError::bad_request("unreadable_body", e.body_text())),
    };
    let events = match intake::accept(&*provider, &headers, &body) {
        Ok(events) => events,
        Err(refusal) => {
            reject(
                &state,
                &*provider,
                refusal.reason(),
                &headers,
                Some(&body),
                remote,
            )
            .await;
            return Err(refusal_error(&refusal));
        }
    };
    let is_test = events.iter().any(|e| e.kind == EventKind::ProviderTest);
    if is_test {
        if let Err(retry_after) = state.test_webhooks.take(name) {
            state.metrics.inc(
                "paybridge_webhooks_rejected_total",
                &[("provider", name), ("reason", "rate_limited")],
            );
            tracing::warn!(provider = name, "test webhook rate limited");
            return Err(AppError::TooManyRequests { retry_after });
        }
    }
    // A test body is not kept (its dedupe key is a fingerprint of it):
    // registration tests come unauthenticated, and nothing in them is worth
    // keeping whole.
    let raw: Option<Arc<[u8]>> = (!is_test).then(|| Arc::from(body.as_ref()));
    let mut outcomes = Vec::with_capacity(events.len());
    for event in events {
        if let EventKind::ProviderConfigure {
            app_id: Some(app_id),
        } = &event.kind
        {
            remember_app_id(&state, app_id).await?;
        }
        let outcome = state
            .ingest
            .submit(IngestCommand {
                event,
                raw_body: raw.clone(),
                source: IngestSource::Webhook,
            })
            .await
            .map_err(|e| {
                tracing::error!(error = %e, "webhook not stored");
                AppError::Unavailable
            })?;
        state.metrics.inc(
            "paybridge_webhooks_accepted_total",
            &[("provider", name), ("outcome", outcome.as_str())],
        );
        outcomes.push(outcome.as_str());
    }
    Ok(Json(json!({ "ok": true, "outcomes": outcomes })))
}

/// A one-click configure delivery: adopt its appID only when none is stored;
/// otherwise keep the current one and record the offer.
async fn remember_app_id(state: &AppState, app_id: &str) -> Result<(), AppError> {
    if state.store.setting(settings::WOOVI_APP_ID).await?.is_none() {
        state
            .store
            .set_setting(settings::WOOVI_APP_ID, app_id)
            .await?;
        tracing::info!("Woovi appID received by configure webhook and stored");
    } else {
        state
            .store
            .set_setting(settings::WOOVI_APP_ID_OFFERED, app_id)
            .await?;
        tracing::info!("configure webhook carried an appID; current appID kept");
    }
    Ok(())
}

/// Webhook ingress routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/webhooks/{provider}", post(receive))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
}
