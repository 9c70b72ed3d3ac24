//! Content fingerprints: SHA-256 hex of a body, as the inbox and the
//! rejected-attempt log keep it and as providers derive dedupe keys from it.

/// SHA-256 of `bytes`, lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}
