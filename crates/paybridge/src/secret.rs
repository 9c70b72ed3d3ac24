//! Secrets (API keys, Woovi appID, webhook secrets) as a type whose `Debug`
//! and `Display` never show the value, so a stray `{:?}` cannot leak one.

use std::fmt;

/// A secret string; read it with [`Secret::expose`] at the one place it is used.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The value, for the one call that needs it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// A fresh random token: `prefix` + 32 random bytes as hex.
    pub fn generate(prefix: &str) -> Self {
        use rand::RngCore;
        let mut bytes = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut bytes);
        Secret(format!("{prefix}{}", hex::encode(bytes)))
    }

    /// SHA-256 hex of the value: what the database keeps for API keys.
    pub fn sha256_hex(&self) -> String {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(self.0.as_bytes()))
    }
}

/// A 32-byte key for one purpose, derived from a master secret with
/// HKDF-SHA256 (`label` separates purposes: one leaked derived key says
/// nothing about another).
pub fn derive_key(master: &Secret, label: &'static [u8]) -> [u8; 32] {
    use ring::hkdf;
    struct Len32;
    impl hkdf::KeyType for Len32 {
        fn len(&self) -> usize {
            32
        }
    }
    let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, b"paybridge").extract(master.expose().as_bytes());
    let labels = [label];
    let okm = prk
        .expand(&labels, Len32)
        .expect("32 bytes is within HKDF-SHA256's output limit");
    let mut out = [0u8; 32];
    okm.fill(&mut out)
        .expect("the output buffer has the requested length");
    out
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_redact() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s:?}"), "[redacted]");
        assert_eq!(format!("{s}"), "[redacted]");
        assert_eq!(s.expose(), "hunter2");
        assert_eq!(s.sha256_hex().len(), 64);
    }

    #[test]
    fn derived_keys_are_stable_and_separated_by_label() {
        let master = Secret::new("0123456789abcdef0123456789abcdef");
        let a = derive_key(&master, b"a");
        assert_eq!(a, derive_key(&master, b"a"), "same on every node");
        assert_ne!(a, derive_key(&master, b"b"));
        assert_ne!(
            a,
            derive_key(&Secret::new("another master key of 32 chars!!"), b"a")
        );
    }
}
