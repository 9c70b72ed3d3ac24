//! Webhook signature checks against Woovi's real signed example and a test key.

mod common;

use base64::Engine as _;
use common::{provider_file, sign, TEST_PUBLIC_PEM};
use http::{HeaderMap, HeaderValue};
use woovi::webhook::{KeySet, VerifyError, WebhookVerifier};

fn vector() -> (Vec<u8>, String) {
    let body = std::fs::read(provider_file("signature-vectors/docs-example.body")).unwrap();
    let sig = std::fs::read_to_string(provider_file(
        "signature-vectors/docs-example.x-webhook-signature",
    ))
    .unwrap();
    (body, sig.trim().to_owned())
}

fn headers_with(sig: &str) -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert("x-webhook-signature", HeaderValue::from_str(sig).unwrap());
    h
}

#[test]
fn real_woovi_webhook_verifies_with_embedded_key() {
    let (body, sig) = vector();
    let v = WebhookVerifier::new(KeySet::embedded());
    assert_eq!(v.verify(&headers_with(&sig), &body), Ok(()));
}

#[test]
fn header_name_is_case_insensitive_and_whitespace_is_trimmed() {
    let (body, sig) = vector();
    let mut h = HeaderMap::new();
    h.insert(
        "X-Webhook-Signature",
        HeaderValue::from_str(&format!(" {sig} ")).unwrap(),
    );
    assert_eq!(
        WebhookVerifier::new(KeySet::embedded()).verify(&h, &body),
        Ok(())
    );
}

#[test]
fn every_single_byte_change_of_the_body_fails() {
    let (body, sig) = vector();
    let v = WebhookVerifier::new(KeySet::embedded());
    let h = headers_with(&sig);
    for i in 0..body.len() {
        let mut tampered = body.clone();
        tampered[i] ^= 0x01;
        assert_eq!(
            v.verify(&h, &tampered),
            Err(VerifyError::BadSignature),
            "byte {i}"
        );
    }
    let mut longer = body.clone();
    longer.push(b' ');
    assert_eq!(v.verify(&h, &longer), Err(VerifyError::BadSignature));
    assert_eq!(
        v.verify(&h, &body[..body.len() - 1]),
        Err(VerifyError::BadSignature)
    );
}

#[test]
fn every_single_byte_change_of_the_signature_fails() {
    let (body, sig) = vector();
    let raw = base64::engine::general_purpose::STANDARD
        .decode(&sig)
        .unwrap();
    assert_eq!(raw.len(), 128);
    let v = WebhookVerifier::new(KeySet::embedded());
    for i in 0..raw.len() {
        let mut tampered = raw.clone();
        tampered[i] ^= 0x80;
        let enc = base64::engine::general_purpose::STANDARD.encode(&tampered);
        assert_eq!(
            v.verify(&headers_with(&enc), &body),
            Err(VerifyError::BadSignature),
            "byte {i}"
        );
    }
}

#[test]
fn malformed_signatures_fail_with_distinct_errors() {
    let (body, sig) = vector();
    let v = WebhookVerifier::new(KeySet::embedded());
    assert_eq!(
        v.verify(&HeaderMap::new(), &body),
        Err(VerifyError::MissingSignature)
    );
    assert_eq!(
        v.verify(&headers_with(""), &body),
        Err(VerifyError::EmptySignature)
    );
    assert_eq!(
        v.verify(&headers_with("   "), &body),
        Err(VerifyError::EmptySignature)
    );
    assert_eq!(
        v.verify(&headers_with("not*base64!"), &body),
        Err(VerifyError::SignatureNotBase64)
    );
    let short = base64::engine::general_purpose::STANDARD.encode([7u8; 64]);
    assert_eq!(
        v.verify(&headers_with(&short), &body),
        Err(VerifyError::SignatureWrongLength {
            actual: 64,
            expected: vec![128]
        })
    );
    // Truncating the base64 text changes the decoded length too.
    let cut = &sig[..sig.len() - 8];
    assert!(matches!(
        v.verify(&headers_with(cut), &body),
        Err(VerifyError::SignatureWrongLength { .. } | VerifyError::SignatureNotBase64)
    ));
    assert_eq!(
        WebhookVerifier::new(KeySet::empty()).verify(&headers_with(&sig), &body),
        Err(VerifyError::NoKeys)
    );
}

#[test]
fn a_set_without_the_embedded_key_accepts_only_its_own_keys() {
    let body = br#"{"event":"OPENPIX:CHARGE_COMPLETED","charge":{"value":100}}"#;
    let sig = sign(body);
    let own = KeySet::from_pem(TEST_PUBLIC_PEM).unwrap();
    assert_eq!(own.len(), 1);
    assert_eq!(
        WebhookVerifier::new(own.clone()).verify(&headers_with(&sig), body),
        Ok(())
    );
    // Woovi's key alone cannot verify a test signature (and 256-byte signatures
    // do not fit an RSA-1024 key).
    assert_eq!(
        WebhookVerifier::new(KeySet::embedded()).verify(&headers_with(&sig), body),
        Err(VerifyError::SignatureWrongLength {
            actual: 256,
            expected: vec![128]
        })
    );
    // The test key alone cannot verify Woovi's real webhook.
    let (real_body, real_sig) = vector();
    assert_eq!(
        WebhookVerifier::new(own).verify(&headers_with(&real_sig), &real_body),
        Err(VerifyError::SignatureWrongLength {
            actual: 128,
            expected: vec![256]
        })
    );
    // Both keys in one set: both verify.
    let mut both = KeySet::embedded();
    both.add_pem(TEST_PUBLIC_PEM).unwrap();
    let v = WebhookVerifier::new(both);
    assert_eq!(v.verify(&headers_with(&sig), body), Ok(()));
    assert_eq!(v.verify(&headers_with(&real_sig), &real_body), Ok(()));
}

#[test]
fn hmac_and_authorization_echo_are_checked_when_configured() {
    use hmac::{Hmac, Mac};
    let (body, sig) = vector();
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(b"s3cret").unwrap();
    mac.update(&body);
    let good_hmac = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());

    let v = WebhookVerifier::new(KeySet::embedded())
        .with_hmac_secret("old-secret")
        .with_hmac_secret("s3cret")
        .with_authorization("token-123");
    let mut h = headers_with(&sig);
    assert_eq!(v.verify(&h, &body), Err(VerifyError::MissingHmac));
    h.insert("x-openpix-signature", HeaderValue::from_static("%%%"));
    assert_eq!(v.verify(&h, &body), Err(VerifyError::HmacNotBase64));
    h.insert(
        "x-openpix-signature",
        HeaderValue::from_static("AAAAAAAAAAAAAAAAAAAAAAAAAAA="),
    );
    assert_eq!(v.verify(&h, &body), Err(VerifyError::BadHmac));
    h.insert(
        "x-openpix-signature",
        HeaderValue::from_str(&good_hmac).unwrap(),
    );
    assert_eq!(v.verify(&h, &body), Err(VerifyError::MissingAuthorization));
    h.insert("authorization", HeaderValue::from_static("token-12"));
    assert_eq!(v.verify(&h, &body), Err(VerifyError::BadAuthorization));
    h.insert("authorization", HeaderValue::from_static("token-123"));
    assert_eq!(v.verify(&h, &body), Ok(()));
    h.remove("authorization");
    h.insert(
        "x-openpix-authorization",
        HeaderValue::from_static("token-123"),
    );
    assert_eq!(v.verify(&h, &body), Ok(()));
    // The RSA check still comes first.
    let mut tampered = body.clone();
    tampered[10] ^= 1;
    assert_eq!(v.verify(&h, &tampered), Err(VerifyError::BadSignature));
}

#[test]
fn verifier_debug_never_shows_secrets() {
    let v = WebhookVerifier::new(KeySet::empty())
        .with_hmac_secret("hmac-secret-value")
        .with_authorization("auth-secret-value");
    let dbg = format!("{v:?}");
    assert!(!dbg.contains("hmac-secret-value"), "{dbg}");
    assert!(!dbg.contains("auth-secret-value"), "{dbg}");
}
