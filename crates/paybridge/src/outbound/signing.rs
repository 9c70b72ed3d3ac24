//! Standard Webhooks signing: `whsec_` secrets and
//! `v1,<base64 HMAC-SHA256("{id}.{timestamp}.{body}")>` signatures.

use crate::secret::Secret;
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Prefix of every endpoint secret.
pub const SECRET_PREFIX: &str = "whsec_";

/// Random bytes in a new secret (the scheme asks for 24 to 64).
const SECRET_BYTES: usize = 32;

/// A secret that is not `whsec_` + base64 of 24 to 64 bytes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a webhook secret is \"whsec_\" followed by base64 of 24 to 64 bytes")]
pub struct BadSecret;

/// An endpoint's signing key, parsed from its `whsec_` form.
#[derive(Clone)]
pub struct SigningKey {
    key: Vec<u8>,
    text: Secret,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SigningKey([redacted])")
    }
}

impl SigningKey {
    /// A fresh random secret.
    pub fn generate() -> SigningKey {
        use rand::RngCore;
        let mut key = vec![0u8; SECRET_BYTES];
        rand::thread_rng().fill_bytes(&mut key);
        let text = Secret::new(format!("{SECRET_PREFIX}{}", B64.encode(&key)));
        SigningKey { key, text }
    }

    /// Reads a `whsec_…` secret.
    pub fn parse(s: &str) -> Result<SigningKey, BadSecret> {
        let b64 = s.strip_prefix(SECRET_PREFIX).ok_or(BadSecret)?;
        let key = B64.decode(b64).map_err(|_| BadSecret)?;
        if !(24..=64).contains(&key.len()) {
            return Err(BadSecret);
        }
        Ok(SigningKey {
            key,
            text: Secret::new(s),
        })
    }

    /// The `whsec_…` text (shown once to the merchant, sealed at rest).
    pub fn text(&self) -> &Secret {
        &self.text
    }

    fn mac(&self, id: &str, timestamp: i64, body: &[u8]) -> Hmac<Sha256> {
        let mut m = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes any key length");
        m.update(id.as_bytes());
        m.update(b".");
        m.update(timestamp.to_string().as_bytes());
        m.update(b".");
        m.update(body);
        m
    }

    /// `v1,<base64 signature>` of one message.
    pub fn sign(&self, id: &str, timestamp: i64, body: &[u8]) -> String {
        format!(
            "v1,{}",
            B64.encode(self.mac(id, timestamp, body).finalize().into_bytes())
        )
    }

    /// True when one of the space-separated `v1,` signatures matches (constant time).
    pub fn verify(&self, id: &str, timestamp: i64, body: &[u8], header: &str) -> bool {
        header
            .split(' ')
            .filter_map(|s| s.strip_prefix("v1,"))
            .filter_map(|s| B64.decode(s).ok())
            .any(|sig| self.mac(id, timestamp, body).verify_slice(&sig).is_ok())
    }
}

/// The `webhook-signature` header: one signature per active key, space-separated
/// (the current key and, during a rotation, the previous one).
pub fn signature_header(keys: &[SigningKey], id: &str, timestamp: i64, body: &[u8]) -> String {
    keys.iter()
        .map(|k| k.sign(id, timestamp, body))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    // The example of the Standard Webhooks specification (and of its libraries' tests).
    const SPEC_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const SPEC_ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    const SPEC_TS: i64 = 1614265330;
    const SPEC_BODY: &[u8] = br#"{"test": 2432232314}"#;
    const SPEC_SIG: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    #[test]
    fn matches_the_specification_example() {
        let k = SigningKey::parse(SPEC_SECRET).unwrap();
        assert_eq!(k.sign(SPEC_ID, SPEC_TS, SPEC_BODY), SPEC_SIG);
        assert!(k.verify(SPEC_ID, SPEC_TS, SPEC_BODY, SPEC_SIG));
    }

    #[test]
    fn tampering_any_part_fails() {
        let k = SigningKey::parse(SPEC_SECRET).unwrap();
        let cases: [(&str, i64, &[u8]); 3] = [
            ("msg_other", SPEC_TS, SPEC_BODY),
            (SPEC_ID, SPEC_TS + 1, SPEC_BODY),
            (SPEC_ID, SPEC_TS, br#"{"test": 2432232315}"#),
        ];
        for (id, ts, body) in cases {
            assert!(!k.verify(id, ts, body, SPEC_SIG), "{id} {ts}");
        }
        assert!(!k.verify(SPEC_ID, SPEC_TS, SPEC_BODY, "v2,abc"));
        assert!(!SigningKey::generate().verify(SPEC_ID, SPEC_TS, SPEC_BODY, SPEC_SIG));
    }

    #[test]
    fn rotation_header_carries_both_signatures() {
        let (old, new) = (SigningKey::generate(), SigningKey::generate());
        let h = signature_header(&[new.clone(), old.clone()], "m", 1, b"{}");
        assert_eq!(h.split(' ').count(), 2);
        assert!(old.verify("m", 1, b"{}", &h));
        assert!(new.verify("m", 1, b"{}", &h));
    }

    #[test]
    fn generated_secrets_parse_and_bad_ones_do_not() {
        let k = SigningKey::generate();
        assert!(k.text().expose().starts_with("whsec_"));
        assert!(SigningKey::parse(k.text().expose()).is_ok());
        for bad in [
            "",
            "whsec_",
            "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "whsec_!!!",
            "whsec_c2hvcnQ=",
        ] {
            assert_eq!(SigningKey::parse(bad).unwrap_err(), BadSecret, "{bad}");
        }
        assert!(!format!("{k:?}").contains("whsec_"));
    }
}
