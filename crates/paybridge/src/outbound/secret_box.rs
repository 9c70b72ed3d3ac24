//! Endpoint secrets must be readable to sign, so they cannot be hashed; they
//! are sealed with AES-256-GCM under a key kept in a file of the data dir
//! (created once, mode 0600). A copy of the database alone reveals no secret.

use crate::secret::Secret;
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM, NONCE_LEN};
use std::path::Path;
use std::sync::Arc;

/// File name of the key inside the data dir.
pub const KEY_FILE: &str = "outbound-secrets.key";

/// Why sealing or opening failed.
#[derive(Debug, thiserror::Error)]
pub enum SecretBoxError {
    /// The key file cannot be read or written.
    #[error("secret key file {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The IO error.
        source: std::io::Error,
    },
    /// The key file does not hold 32 bytes of hex.
    #[error("secret key file {0} is not 64 hex characters")]
    BadKey(String),
    /// A sealed value was altered or sealed under another key.
    #[error("a sealed secret does not open with this key (altered, or the key file changed)")]
    Open,
}

/// Seals and opens secrets; cheap to clone.
#[derive(Clone)]
pub struct SecretBox(Arc<LessSafeKey>);

impl std::fmt::Debug for SecretBox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretBox([redacted])")
    }
}

impl SecretBox {
    /// From 32 key bytes.
    pub fn from_key(key: &[u8; 32]) -> SecretBox {
        let k = UnboundKey::new(&AES_256_GCM, key).expect("32 bytes is an AES-256 key");
        SecretBox(Arc::new(LessSafeKey::new(k)))
    }

    /// Derived from the shared `PAYBRIDGE_SECRET_KEY` (HKDF-SHA256, its own
    /// label), so every node opens what any node sealed.
    pub fn from_secret_key(secret_key: &crate::secret::Secret) -> SecretBox {
        SecretBox::from_key(&crate::secret::derive_key(
            secret_key,
            b"paybridge outbound endpoint secrets v1",
        ))
    }

    /// Reads `dir/outbound-secrets.key`, creating it with a random key on first start.
    pub fn load_or_create(dir: &Path) -> Result<SecretBox, SecretBoxError> {
        let path = dir.join(KEY_FILE);
        let io = |source| SecretBoxError::Io {
            path: path.display().to_string(),
            source,
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                use rand::RngCore;
                let mut key = [0u8; 32];
                rand::thread_rng().fill_bytes(&mut key);
                write_private(&path, &hex::encode(key)).map_err(io)?;
                std::fs::read_to_string(&path).map_err(io)?
            }
            Err(e) => return Err(io(e)),
        };
        let bytes = hex::decode(text.trim())
            .ok()
            .and_then(|b| <[u8; 32]>::try_from(b).ok())
            .ok_or_else(|| SecretBoxError::BadKey(path.display().to_string()))?;
        Ok(SecretBox::from_key(&bytes))
    }

    /// `base64(nonce || ciphertext || tag)`; `aad` binds it to its row.
    pub fn seal(&self, plain: &Secret, aad: &str) -> String {
        use rand::RngCore;
        let mut nonce = [0u8; NONCE_LEN];
        rand::thread_rng().fill_bytes(&mut nonce);
        let mut buf = plain.expose().as_bytes().to_vec();
        self.0
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(aad.as_bytes()),
                &mut buf,
            )
            .expect("AES-GCM sealing of a short secret cannot fail");
        let mut out = nonce.to_vec();
        out.extend_from_slice(&buf);
        B64.encode(out)
    }

    /// Opens what [`SecretBox::seal`] produced with the same `aad`.
    pub fn open(&self, sealed: &str, aad: &str) -> Result<Secret, SecretBoxError> {
        let raw = B64.decode(sealed).map_err(|_| SecretBoxError::Open)?;
        if raw.len() < NONCE_LEN {
            return Err(SecretBoxError::Open);
        }
        let (nonce, rest) = raw.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| SecretBoxError::Open)?;
        let mut buf = rest.to_vec();
        let plain = self
            .0
            .open_in_place(nonce, Aad::from(aad.as_bytes()), &mut buf)
            .map_err(|_| SecretBoxError::Open)?;
        String::from_utf8(plain.to_vec())
            .map(Secret::new)
            .map_err(|_| SecretBoxError::Open)
    }
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(text.as_bytes())?;
    f.sync_all()
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seals_opens_and_detects_tampering() {
        let dir = tempfile::tempdir().unwrap();
        let b = SecretBox::load_or_create(dir.path()).unwrap();
        let s = Secret::new("whsec_abc");
        let sealed = b.seal(&s, "ep_1");
        assert!(!sealed.contains("whsec"));
        assert_eq!(b.open(&sealed, "ep_1").unwrap().expose(), "whsec_abc");
        assert!(b.open(&sealed, "ep_2").is_err(), "bound to its row");
        let mut raw = B64.decode(&sealed).unwrap();
        *raw.last_mut().unwrap() ^= 1;
        assert!(b.open(&B64.encode(raw), "ep_1").is_err());
        // Same key after a restart; another data dir cannot open it.
        let again = SecretBox::load_or_create(dir.path()).unwrap();
        assert_eq!(again.open(&sealed, "ep_1").unwrap().expose(), "whsec_abc");
        let other = SecretBox::load_or_create(tempfile::tempdir().unwrap().path()).unwrap();
        assert!(other.open(&sealed, "ep_1").is_err());
    }

    #[cfg(unix)]
    #[test]
    fn key_file_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        SecretBox::load_or_create(dir.path()).unwrap();
        let mode = std::fs::metadata(dir.path().join(KEY_FILE))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}
