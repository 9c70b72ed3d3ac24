//! The sandbox's webhook signing key: RSA PKCS#1 v1.5 over SHA-256, exactly
//! how Woovi fills `x-webhook-signature`, with its own key so nobody confuses
//! sandbox deliveries with real ones.

use crate::SandboxError;
use base64::Engine;
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey, EncodePublicKey, LineEnding};
use rsa::signature::{SignatureEncoding, Signer as _};
use rsa::RsaPrivateKey;
use sha2::{Digest, Sha256};
use std::path::Path;

/// File name of the persisted key inside the data dir.
const KEY_FILE: &str = "webhook-signing-key.pem";

/// Signs webhook bodies.
pub(crate) struct Signer {
    key: SigningKey<Sha256>,
    public_pem: String,
    key_identifier: String,
}

impl Signer {
    /// Uses `pem` if given, else the key saved in `data_dir`, else a new key
    /// of `bits` (saved to `data_dir` when there is one).
    pub(crate) async fn load_or_generate(
        pem: Option<&str>,
        data_dir: Option<&Path>,
        bits: usize,
    ) -> Result<Self, SandboxError> {
        if let Some(pem) = pem {
            return Self::from_pem(pem);
        }
        let path = data_dir.map(|d| d.join(KEY_FILE));
        if let Some(path) = &path {
            if path.exists() {
                return Self::from_pem(&std::fs::read_to_string(path)?);
            }
        }
        let key =
            tokio::task::spawn_blocking(move || RsaPrivateKey::new(&mut rand::thread_rng(), bits))
                .await
                .map_err(|e| SandboxError::Key(e.to_string()))?
                .map_err(|e| SandboxError::Key(e.to_string()))?;
        let pem = key
            .to_pkcs8_pem(LineEnding::LF)
            .map_err(|e| SandboxError::Key(e.to_string()))?;
        if let Some(path) = &path {
            write_private(path, pem.as_bytes())?;
        }
        Self::from_key(key)
    }

    fn from_pem(pem: &str) -> Result<Self, SandboxError> {
        let key =
            RsaPrivateKey::from_pkcs8_pem(pem).map_err(|e| SandboxError::Key(e.to_string()))?;
        Self::from_key(key)
    }

    fn from_key(key: RsaPrivateKey) -> Result<Self, SandboxError> {
        let public = key.to_public_key();
        let public_pem = public
            .to_public_key_pem(LineEnding::LF)
            .map_err(|e| SandboxError::Key(e.to_string()))?;
        let der = public
            .to_public_key_der()
            .map_err(|e| SandboxError::Key(e.to_string()))?;
        let key_identifier = Sha256::digest(der.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        Ok(Self {
            key: SigningKey::<Sha256>::new(key),
            public_pem,
            key_identifier,
        })
    }

    /// SPKI PEM of the public half.
    pub(crate) fn public_key_pem(&self) -> &str {
        &self.public_pem
    }

    /// Hex SHA-256 of the public key's DER, as in `public_keys[].key_identifier`.
    pub(crate) fn key_identifier(&self) -> &str {
        &self.key_identifier
    }

    /// Base64 signature of exactly `body`, the value of `x-webhook-signature`.
    pub(crate) fn sign(&self, body: &[u8]) -> String {
        let sig = self.key.sign(body);
        base64::engine::general_purpose::STANDARD.encode(sig.to_bytes())
    }
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, bytes)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rsa::pkcs1v15::{Signature, VerifyingKey};
    use rsa::pkcs8::DecodePublicKey;
    use rsa::signature::Verifier;

    #[tokio::test]
    async fn signature_verifies_with_published_key_and_key_persists() {
        let dir = tempfile::tempdir().unwrap();
        let signer = Signer::load_or_generate(None, Some(dir.path()), 1024)
            .await
            .unwrap();
        let body = br#"{"evento":"teste_webhook"}"#;
        let sig = base64::engine::general_purpose::STANDARD
            .decode(signer.sign(body))
            .unwrap();
        let public = rsa::RsaPublicKey::from_public_key_pem(signer.public_key_pem()).unwrap();
        let verifier = VerifyingKey::<Sha256>::new(public);
        let sig = Signature::try_from(sig.as_slice()).unwrap();
        verifier.verify(body, &sig).unwrap();
        assert!(verifier.verify(b"tampered", &sig).is_err());

        let again = Signer::load_or_generate(None, Some(dir.path()), 1024)
            .await
            .unwrap();
        assert_eq!(again.public_key_pem(), signer.public_key_pem());
    }
}
