//! `RefreshingKeySet`: published keys join the set, refresh is rate-limited,
//! and a failing endpoint keeps the last good set.

mod common;

use http::{HeaderMap, HeaderValue};
use serde_json::json;
use std::time::Duration;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};
use woovi::webhook::{KeySet, RefreshingKeySet, VerifyError, WebhookVerifier};
use woovi::Client;

fn client(server: &MockServer) -> Client {
    Client::builder("app")
        .base_url(server.uri())
        .max_retries(0)
        .build()
        .unwrap()
}

fn signed(body: &[u8]) -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert(
        "x-webhook-signature",
        HeaderValue::from_str(&common::sign(body)).unwrap(),
    );
    h
}

#[tokio::test]
async fn published_key_is_accepted_and_fetched_once_per_interval() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/webhook/public-keys"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "public_keys": [{"key_identifier": "t", "key": common::TEST_PUBLIC_PEM, "is_current": true}]
        })))
        .expect(1)
        .mount(&server)
        .await;
    let keys = RefreshingKeySet::new(client(&server));
    assert_eq!(
        keys.current().len(),
        1,
        "embedded key only before the first fetch"
    );
    let body = br#"{"event":"OPENPIX:CHARGE_COMPLETED"}"#;
    let verifier = WebhookVerifier::new(KeySet::empty());
    assert_eq!(keys.verify(&verifier, &signed(body), body).await, Ok(()));
    // Second call within the hour: no new fetch (the mock expects exactly one).
    assert_eq!(keys.keys().await.len(), 2);
}

#[tokio::test]
async fn failed_refresh_keeps_the_last_good_set() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/webhook/public-keys"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "public_keys": [{"key": common::TEST_PUBLIC_PEM}]
        })))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/webhook/public-keys"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    let keys =
        RefreshingKeySet::with_base(client(&server), KeySet::empty()).with_interval(Duration::ZERO);
    assert_eq!(keys.keys().await.len(), 1);
    assert!(keys.refresh().await.is_err());
    assert_eq!(
        keys.keys().await.len(),
        1,
        "the published key survives the failure"
    );
    let body = b"{}";
    let verifier = WebhookVerifier::new(KeySet::empty());
    assert_eq!(keys.verify(&verifier, &signed(body), body).await, Ok(()));
}

#[tokio::test]
async fn unreachable_endpoint_falls_back_to_the_embedded_key() {
    let c = Client::builder("app")
        .base_url("http://127.0.0.1:9")
        .max_retries(0)
        .build()
        .unwrap();
    let keys = RefreshingKeySet::new(c);
    assert_eq!(keys.keys().await, KeySet::embedded());
    let body = b"{}";
    let verifier = WebhookVerifier::new(KeySet::empty());
    assert!(matches!(
        keys.verify(&verifier, &signed(body), body).await,
        Err(VerifyError::SignatureWrongLength { .. })
    ));
}
