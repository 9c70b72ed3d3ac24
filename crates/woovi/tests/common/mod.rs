//! Helpers shared by the integration tests.
#![allow(dead_code)]

use base64::Engine as _;

/// Path of a file under the shared Woovi provider folder.
pub fn provider_file(rel: &str) -> String {
    format!(
        "{}/../../../shared/providers/woovi/{rel}",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// A test-only RSA-2048 key pair (never used by Woovi): PKCS#8 private PEM.
pub const TEST_PRIVATE_PEM: &str = include_str!("../fixtures/test-signing-key.pk8.pem");
/// Public half of [`TEST_PRIVATE_PEM`], SPKI PEM.
pub const TEST_PUBLIC_PEM: &str = include_str!("../fixtures/test-signing-key.pub.pem");

/// Base64 RSA-SHA256 PKCS#1 v1.5 signature of `body` with the test key.
pub fn sign(body: &[u8]) -> String {
    let b64: String = TEST_PRIVATE_PEM
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap();
    let pair = ring::signature::RsaKeyPair::from_pkcs8(&der).unwrap();
    let mut sig = vec![0u8; pair.public().modulus_len()];
    pair.sign(
        &ring::signature::RSA_PKCS1_SHA256,
        &ring::rand::SystemRandom::new(),
        body,
        &mut sig,
    )
    .unwrap();
    base64::engine::general_purpose::STANDARD.encode(sig)
}
