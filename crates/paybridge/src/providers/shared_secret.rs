//! Shared-secret proofs: a token the provider echoes (Wiapy `Authorization`,
//! Eduzz `origin`) and HMAC-SHA256 signatures (Eduzz Hub), checked in
//! constant time against every configured secret (several at once during rotation).

use crate::secret::Secret;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// Tokens accepted at once; compared by SHA-256 digest so neither content
/// nor length leaks through timing.
#[derive(Clone)]
pub struct TokenSet {
    digests: Vec<[u8; 32]>,
}

impl std::fmt::Debug for TokenSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TokenSet({} tokens)", self.digests.len())
    }
}

impl TokenSet {
    /// From the configured secrets.
    pub fn new(tokens: &[Secret]) -> Self {
        TokenSet {
            digests: tokens
                .iter()
                .map(|t| Sha256::digest(t.expose().as_bytes()).into())
                .collect(),
        }
    }

    /// True when nothing is configured (every request is refused).
    pub fn is_empty(&self) -> bool {
        self.digests.is_empty()
    }

    /// Whether `candidate` equals one of the tokens; looks at all of them.
    pub fn matches(&self, candidate: &str) -> bool {
        let got: [u8; 32] = Sha256::digest(candidate.as_bytes()).into();
        self.digests
            .iter()
            .fold(subtle::Choice::from(0), |acc, d| acc | d.ct_eq(&got))
            .into()
    }
}

/// HMAC-SHA256 keys accepted at once.
#[derive(Clone)]
pub struct HmacKeys {
    keys: Vec<Secret>,
}

impl std::fmt::Debug for HmacKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "HmacKeys({} keys)", self.keys.len())
    }
}

impl HmacKeys {
    /// From the configured secrets.
    pub fn new(keys: &[Secret]) -> Self {
        HmacKeys {
            keys: keys.to_vec(),
        }
    }

    /// True when nothing is configured.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Whether `tag` is the HMAC-SHA256 of `body` under one of the keys
    /// (each comparison constant-time).
    pub fn verifies(&self, body: &[u8], tag: &[u8]) -> bool {
        self.keys.iter().fold(false, |ok, key| {
            let mut mac = Hmac::<Sha256>::new_from_slice(key.expose().as_bytes())
                .expect("HMAC takes keys of any length");
            mac.update(body);
            mac.verify_slice(tag).is_ok() | ok
        })
    }
}

/// Hex HMAC-SHA256 of `body` (tests and tools sign with it).
pub fn hmac_sha256_hex(key: &str, body: &[u8]) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_rotate() {
        let set = TokenSet::new(&[Secret::new("old-token"), Secret::new("new-token")]);
        assert!(set.matches("old-token"));
        assert!(set.matches("new-token"));
        assert!(!set.matches("new-token "));
        assert!(!set.matches(""));
        assert!(!TokenSet::new(&[]).matches(""));
        assert!(TokenSet::new(&[]).is_empty());
        assert!(!format!("{set:?}").contains("token\""));
    }

    #[test]
    fn hmac_keys_rotate() {
        let keys = HmacKeys::new(&[Secret::new("k1"), Secret::new("k2")]);
        let body = b"{\"id\":\"1\"}";
        for k in ["k1", "k2"] {
            let tag = hex::decode(hmac_sha256_hex(k, body)).unwrap();
            assert!(keys.verifies(body, &tag), "{k}");
            assert!(!keys.verifies(b"{\"id\":\"2\"}", &tag), "{k} other body");
        }
        let tag = hex::decode(hmac_sha256_hex("k3", body)).unwrap();
        assert!(!keys.verifies(body, &tag));
        assert!(!keys.verifies(body, &[]));
    }
}
