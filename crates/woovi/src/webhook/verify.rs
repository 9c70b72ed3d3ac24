//! Proof that a webhook came from Woovi, checked on the raw body.

use super::keys::KeySet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine as _;
use hmac::{Hmac, Mac};
use http::HeaderMap;
use ring::signature::{UnparsedPublicKey, RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY};
use sha1::Sha1;
use std::fmt;
use subtle::ConstantTimeEq;

/// Header carrying base64 RSA-SHA256 of the raw body.
pub const SIGNATURE_HEADER: &str = "x-webhook-signature";
/// Header carrying base64 HMAC-SHA1(secret, raw body).
pub const HMAC_HEADER: &str = "x-openpix-signature";
/// Headers echoing the webhook registration's `authorization` value.
pub const AUTHORIZATION_HEADERS: [&str; 2] = ["authorization", "x-openpix-authorization"];

/// Standard alphabet, padding optional: senders differ on `=`.
const B64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Why a webhook was refused. Each cause has its own variant so the ingress
/// can count them apart (a missing header is a misconfiguration; a bad
/// signature may be an attack).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// No `x-webhook-signature` header.
    #[error("missing x-webhook-signature header")]
    MissingSignature,
    /// The header is present but empty.
    #[error("empty x-webhook-signature header")]
    EmptySignature,
    /// The header is not base64.
    #[error("x-webhook-signature is not base64")]
    SignatureNotBase64,
    /// The decoded signature cannot come from any key in the set.
    #[error("signature is {actual} bytes; keys sign {expected:?} bytes")]
    SignatureWrongLength {
        /// Decoded length.
        actual: usize,
        /// Signature lengths of the keys in the set.
        expected: Vec<usize>,
    },
    /// The key set is empty; nothing can verify.
    #[error("no webhook public key configured")]
    NoKeys,
    /// No key in the set verifies this body and signature.
    #[error("signature does not match the body under any known key")]
    BadSignature,
    /// HMAC is required but `X-OpenPix-Signature` is missing.
    #[error("missing X-OpenPix-Signature header")]
    MissingHmac,
    /// `X-OpenPix-Signature` is not base64.
    #[error("X-OpenPix-Signature is not base64")]
    HmacNotBase64,
    /// `X-OpenPix-Signature` matches no configured secret.
    #[error("X-OpenPix-Signature does not match")]
    BadHmac,
    /// An authorization echo is required but absent.
    #[error("missing Authorization / x-openpix-authorization header")]
    MissingAuthorization,
    /// The authorization echo matches no configured value.
    #[error("authorization header does not match")]
    BadAuthorization,
}

#[derive(Clone)]
struct Secret(Vec<u8>);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Checks Woovi webhooks: the RSA signature always, HMAC and the
/// authorization echo when configured. Several secrets may be active at
/// once (rotation); any one matching is enough.
#[derive(Debug, Clone)]
pub struct WebhookVerifier {
    keys: KeySet,
    hmac_secrets: Vec<Secret>,
    authorizations: Vec<Secret>,
}

impl WebhookVerifier {
    /// Verifier accepting signatures of any key in `keys`.
    pub fn new(keys: KeySet) -> Self {
        Self {
            keys,
            hmac_secrets: Vec::new(),
            authorizations: Vec::new(),
        }
    }

    /// Also requires `X-OpenPix-Signature` = base64 HMAC-SHA1(secret, body).
    /// Call again to accept another secret.
    pub fn with_hmac_secret(mut self, secret: impl AsRef<[u8]>) -> Self {
        self.hmac_secrets.push(Secret(secret.as_ref().to_vec()));
        self
    }

    /// Also requires the `Authorization` (or `x-openpix-authorization`)
    /// header to equal `value`, the registration's `authorization` field.
    /// Call again to accept another value.
    pub fn with_authorization(mut self, value: impl AsRef<[u8]>) -> Self {
        self.authorizations.push(Secret(value.as_ref().to_vec()));
        self
    }

    /// The RSA keys in use.
    pub fn keys(&self) -> &KeySet {
        &self.keys
    }

    /// Replaces the RSA keys (after a refresh), keeping the other checks.
    pub fn set_keys(&mut self, keys: KeySet) {
        self.keys = keys;
    }

    /// Verifies `body` exactly as received against the headers.
    pub fn verify(&self, headers: &HeaderMap, body: &[u8]) -> Result<(), VerifyError> {
        self.verify_with_keys(&self.keys, headers, body)
    }

    /// Like [`verify`](Self::verify) with another key set (a refreshed one).
    pub fn verify_with_keys(
        &self,
        keys: &KeySet,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<(), VerifyError> {
        let raw = headers
            .get(SIGNATURE_HEADER)
            .ok_or(VerifyError::MissingSignature)?;
        verify_signature(keys, raw.as_bytes(), body)?;
        if !self.hmac_secrets.is_empty() {
            self.check_hmac(headers, body)?;
        }
        if !self.authorizations.is_empty() {
            self.check_authorization(headers)?;
        }
        Ok(())
    }

    fn check_hmac(&self, headers: &HeaderMap, body: &[u8]) -> Result<(), VerifyError> {
        let raw = headers.get(HMAC_HEADER).ok_or(VerifyError::MissingHmac)?;
        let given = B64
            .decode(trim_ascii(raw.as_bytes()))
            .map_err(|_| VerifyError::HmacNotBase64)?;
        let mut ok = subtle::Choice::from(0u8);
        for secret in &self.hmac_secrets {
            let mut mac =
                Hmac::<Sha1>::new_from_slice(&secret.0).expect("HMAC accepts any key length");
            mac.update(body);
            let expected = mac.finalize().into_bytes();
            ok |= expected.as_slice().ct_eq(&given);
        }
        if bool::from(ok) {
            Ok(())
        } else {
            Err(VerifyError::BadHmac)
        }
    }

    fn check_authorization(&self, headers: &HeaderMap) -> Result<(), VerifyError> {
        let values: Vec<&[u8]> = AUTHORIZATION_HEADERS
            .iter()
            .flat_map(|h| headers.get_all(*h).iter())
            .map(|v| v.as_bytes())
            .collect();
        if values.is_empty() {
            return Err(VerifyError::MissingAuthorization);
        }
        let mut ok = subtle::Choice::from(0u8);
        for given in &values {
            for expected in &self.authorizations {
                ok |= expected.0.as_slice().ct_eq(given);
            }
        }
        if bool::from(ok) {
            Ok(())
        } else {
            Err(VerifyError::BadAuthorization)
        }
    }
}

/// Checks one base64 RSA-SHA256 (PKCS#1 v1.5) signature of `body` against every key.
pub fn verify_signature(
    keys: &KeySet,
    signature_b64: &[u8],
    body: &[u8],
) -> Result<(), VerifyError> {
    let trimmed = trim_ascii(signature_b64);
    if trimmed.is_empty() {
        return Err(VerifyError::EmptySignature);
    }
    if keys.is_empty() {
        return Err(VerifyError::NoKeys);
    }
    let signature = B64
        .decode(trimmed)
        .map_err(|_| VerifyError::SignatureNotBase64)?;
    let mut length_matched = false;
    for key in keys.keys() {
        if key.modulus_len() != signature.len() {
            continue;
        }
        length_matched = true;
        let public = UnparsedPublicKey::new(
            &RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY,
            key.pkcs1_der(),
        );
        if public.verify(body, &signature).is_ok() {
            return Ok(());
        }
    }
    if !length_matched {
        let mut expected: Vec<usize> = keys.keys().iter().map(|k| k.modulus_len()).collect();
        expected.sort_unstable();
        expected.dedup();
        return Err(VerifyError::SignatureWrongLength {
            actual: signature.len(),
            expected,
        });
    }
    Err(VerifyError::BadSignature)
}

fn trim_ascii(b: &[u8]) -> &[u8] {
    let start = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    let end = b
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(start, |i| i + 1);
    &b[start..end]
}
