//! Hostile bodies against every provider's gate (`intake::accept`), with
//! and without a valid proof: nesting 10⁴ deep, 10⁵ keys, a 1 MB key, NUL
//! bytes, invalid UTF-8, a number of 10⁴ digits. Each is refused with a
//! named reason, in one linear pass, and never panics or recurses deeply.

use super::hostile::{form_case, json_case, CASES};
use super::intake::{accept, Refusal};
use super::shared_secret::hmac_sha256_hex;
use super::{eduzz, eduzz_hub, wiapy, woovi, Provider};
use crate::config::{EduzzConfig, WiapyConfig, WooviConfig};
use crate::secret::Secret;
use http::HeaderMap;

/// What a JSON provider answers a hostile body once its proof holds.
fn proven_json_reason(case: &str) -> &'static str {
    match case {
        "invalid UTF-8" => "malformed",
        _ => "body_limit",
    }
}

fn headers(pairs: &[(&'static str, String)]) -> HeaderMap {
    let mut h = HeaderMap::new();
    for (k, v) in pairs {
        h.insert(*k, v.parse().unwrap());
    }
    h
}

fn json_headers(extra: &[(&'static str, String)]) -> HeaderMap {
    let mut h = headers(extra);
    h.insert("content-type", "application/json".parse().unwrap());
    h
}

/// Runs one case; the refusal's reason and whether it is a 400.
fn refused(provider: &dyn Provider, h: &HeaderMap, body: &[u8], what: &str) -> (String, bool) {
    match accept(provider, h, body) {
        Ok(events) => panic!("{what}: accepted as {events:?}"),
        Err(r @ Refusal::UnsupportedMediaType) => panic!("{what}: {r}"),
        Err(r) => (r.reason().to_owned(), r.is_bad_request()),
    }
}

fn woovi_with_key() -> (woovi::WooviProvider, rsa::RsaPrivateKey) {
    use rsa::pkcs8::{EncodePublicKey, LineEnding};
    let key = rsa::RsaPrivateKey::new(&mut rand::thread_rng(), 1024).unwrap();
    let pem = key
        .to_public_key()
        .to_public_key_pem(LineEnding::LF)
        .unwrap();
    let cfg = WooviConfig {
        base_url: None,
        app_id: None,
        public_keys: vec![],
        hmac_secret: None,
        authorization: None,
        sandbox: false,
    };
    (
        woovi::WooviProvider::from_config(&cfg, &[pem]).unwrap(),
        key,
    )
}

fn rsa_sign(key: &rsa::RsaPrivateKey, body: &[u8]) -> String {
    use base64::Engine;
    use rsa::signature::{SignatureEncoding, Signer};
    let signer = rsa::pkcs1v15::SigningKey::<rsa::sha2::Sha256>::new(key.clone());
    base64::engine::general_purpose::STANDARD.encode(signer.sign(body).to_bytes())
}

#[test]
fn header_proven_providers_refuse_hostile_bodies_before_and_after_the_proof() {
    let (woovi, key) = woovi_with_key();
    let wiapy = wiapy::WiapyProvider::from_config(&WiapyConfig {
        tokens: vec![Secret::new("wiapy-token")],
    });
    let hub = eduzz_hub::EduzzHubProvider::from_config(&EduzzConfig {
        origins: vec![],
        hub_secrets: vec![Secret::new("hub-secret")],
    });
    for case in CASES {
        let body = json_case(case, "");
        // (provider, headers without a valid proof, headers with one, reason unproven)
        let runs: [(&dyn Provider, HeaderMap, HeaderMap, &str); 3] = [
            (
                &woovi,
                json_headers(&[("x-webhook-signature", rsa_sign(&key, b"other"))]),
                json_headers(&[("x-webhook-signature", rsa_sign(&key, &body))]),
                "invalid_signature",
            ),
            (
                &wiapy,
                json_headers(&[("authorization", "wrong".into())]),
                json_headers(&[("authorization", "Bearer wiapy-token".into())]),
                "invalid_token",
            ),
            (
                &hub,
                json_headers(&[("x-signature", hmac_sha256_hex("attacker", &body))]),
                json_headers(&[("x-signature", hmac_sha256_hex("hub-secret", &body))]),
                "invalid_signature",
            ),
        ];
        for (provider, forged, proven, unproven_reason) in runs {
            let what = format!("{} {case}", provider.name());
            assert_eq!(
                refused(provider, &forged, &body, &what),
                (unproven_reason.to_owned(), false),
                "{what} without proof: 401 before the body is looked at"
            );
            assert_eq!(
                refused(provider, &proven, &body, &what),
                (proven_json_reason(case).to_owned(), true),
                "{what} with proof"
            );
        }
    }
}

#[test]
fn eduzz_finds_its_origin_within_the_limits_whatever_the_body() {
    let eduzz = eduzz::EduzzProvider::from_config(&EduzzConfig {
        origins: vec![Secret::new("origin-token")],
        hub_secrets: vec![],
    });
    let form = headers(&[("content-type", "application/x-www-form-urlencoded".into())]);
    let json = json_headers(&[]);
    for case in CASES {
        // The proof is in the body, so the search for it meets the limits
        // whether the origin is right, wrong or absent.
        for (origin, label) in [
            (Some("origin-token"), "right origin"),
            (Some("forged"), "wrong origin"),
            (None, "no origin"),
        ] {
            let json_prefix = origin.map_or(String::new(), |o| format!("\"origin\":\"{o}\","));
            let form_prefix = origin.map_or(String::new(), |o| format!("origin={o}&"));
            let what = format!("eduzz JSON {case}, {label}");
            let want = proven_json_reason(case);
            assert_eq!(
                refused(&eduzz, &json, &json_case(case, &json_prefix), &what),
                (want.to_owned(), true),
                "{what}"
            );
            let what = format!("eduzz form {case}, {label}");
            let want = match (case, origin) {
                ("invalid UTF-8", _) => ("malformed", true),
                // A long number is only text in a form: within the limits,
                // so the proof decides, then the money parser refuses it.
                ("digits", Some("origin-token")) => ("malformed", true),
                ("digits", Some(_)) => ("invalid_token", false),
                ("digits", None) => ("missing_token", false),
                _ => ("body_limit", true),
            };
            assert_eq!(
                refused(&eduzz, &form, &form_case(case, &form_prefix), &what),
                (want.0.to_owned(), want.1),
                "{what}"
            );
        }
    }
}

#[test]
fn unconfigured_providers_refuse_every_hostile_body_unread() {
    let none = EduzzConfig::default();
    let eduzz = eduzz::EduzzProvider::from_config(&none);
    let hub = eduzz_hub::EduzzHubProvider::from_config(&none);
    let wiapy = wiapy::WiapyProvider::from_config(&WiapyConfig::default());
    let form = headers(&[("content-type", "application/x-www-form-urlencoded".into())]);
    for case in CASES {
        for (p, h, body) in [
            (
                &eduzz as &dyn Provider,
                json_headers(&[]),
                json_case(case, ""),
            ),
            (&eduzz, form.clone(), form_case(case, "")),
            (&hub, json_headers(&[]), json_case(case, "")),
            (&wiapy, json_headers(&[]), json_case(case, "")),
        ] {
            let what = format!("unconfigured {} {case}", p.name());
            assert_eq!(
                refused(p, &h, &body, &what),
                ("not_configured".to_owned(), false),
                "{what}"
            );
        }
    }
}
