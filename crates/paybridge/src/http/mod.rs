//! HTTP: one router per feature, merged here with the shared layers.

pub mod api;
pub mod auth;
pub mod error;
pub mod metrics;
pub mod openapi;
pub mod pages;
pub mod rate_limit;
pub mod webhooks;

use crate::gateway::ChargeGateway;
use crate::providers::Registry;
use crate::store::{IngestHandle, OrderUpdate, Store};
use axum::Router;
use std::sync::Arc;
use tokio::sync::broadcast;
use url::Url;

/// Everything handlers share; cloned per request (all fields are handles).
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub store: Store,
    /// The group-commit writer for provider events.
    pub ingest: IngestHandle,
    /// The charge provider (Woovi or the embedded sandbox).
    pub gateway: Arc<dyn ChargeGateway>,
    /// Webhook providers.
    pub providers: Registry,
    /// Order status changes, sent after commit; pages subscribe.
    pub updates: broadcast::Sender<OrderUpdate>,
    /// Prometheus counters and histograms.
    pub metrics: Arc<metrics::Metrics>,
    /// Base of links handed out (`{public_url}/pay/{token}`).
    pub public_url: Url,
    /// Shown on buyer pages.
    pub merchant_name: Arc<str>,
    /// SHA-256 hex of the store API key.
    pub api_key_sha256: Arc<str>,
    /// The embedded Woovi sandbox, when mounted (checkout "Simular pagamento").
    pub sandbox: Option<pages::SandboxLink>,
    /// Outbound webhooks: settings, sealed secrets, delivery client, dispatcher wake-up.
    pub outbound: crate::outbound::Outbound,
    /// Provider test webhooks accepted per provider (registration tests
    /// arrive unauthenticated).
    pub test_webhooks: Arc<rate_limit::RateLimit>,
}

impl AppState {
    /// The order use cases, over this state's store, ingestion and gateway.
    pub fn orders(&self) -> crate::service::Orders {
        crate::service::Orders {
            store: self.store.clone(),
            ingest: self.ingest.clone(),
            gateway: self.gateway.clone(),
        }
    }

    /// The buyer's checkout link of an order.
    pub fn checkout_url(&self, token: &str) -> String {
        crate::store::checkout_url(self.public_url.as_str(), token)
    }
}

/// The whole application router (without the sandbox mount).
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(api::router())
        .merge(webhooks::router())
        .merge(pages::router())
        .merge(openapi::router())
        .merge(metrics::router())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::track_latency,
        ))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}
