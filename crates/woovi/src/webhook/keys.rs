//! RSA public keys that may sign Woovi webhooks.

use base64::Engine as _;
use std::sync::Arc;

/// Woovi's published webhook key (RSA-1024, SPKI PEM), copied unchanged from
/// Woovi's documentation. Used when the key endpoint cannot be reached.
const EMBEDDED_PEM: &str = include_str!("../../keys/woovi-webhook-public-key.pem");

/// Why a PEM could not be used as a webhook key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// No `-----BEGIN … KEY-----` block was found.
    #[error("no PEM public key block found")]
    NoPemBlock,
    /// The block's body is not base64.
    #[error("PEM body is not valid base64")]
    Base64,
    /// The DER is not an RSA SubjectPublicKeyInfo or RSAPublicKey.
    #[error("not an RSA public key: {0}")]
    Der(&'static str),
}

/// One RSA key, kept as the PKCS#1 `RSAPublicKey` DER that ring verifies with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey {
    pkcs1_der: Vec<u8>,
    modulus_len: usize,
}

impl PublicKey {
    /// Parses the first PEM block (SPKI `PUBLIC KEY` or PKCS#1 `RSA PUBLIC KEY`).
    pub fn from_pem(pem: &str) -> Result<Self, KeyError> {
        parse_all_pem(pem)?
            .into_iter()
            .next()
            .ok_or(KeyError::NoPemBlock)
    }

    /// Parses an SPKI or PKCS#1 DER.
    pub fn from_der(der: &[u8]) -> Result<Self, KeyError> {
        let pkcs1 = match spki_to_pkcs1(der) {
            Ok(inner) => inner.to_vec(),
            Err(spki_err) => {
                // Not SPKI: maybe a bare RSAPublicKey.
                if rsa_modulus_len(der).is_ok() {
                    der.to_vec()
                } else {
                    return Err(spki_err);
                }
            }
        };
        let modulus_len = rsa_modulus_len(&pkcs1)?;
        Ok(Self {
            pkcs1_der: pkcs1,
            modulus_len,
        })
    }

    /// PKCS#1 `RSAPublicKey` DER (what `ring::signature::UnparsedPublicKey` wants).
    pub fn pkcs1_der(&self) -> &[u8] {
        &self.pkcs1_der
    }

    /// Modulus size in bytes, which is also the signature size (128 for RSA-1024).
    pub fn modulus_len(&self) -> usize {
        self.modulus_len
    }
}

/// The set of keys any of which may have signed a webhook (rotation).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeySet {
    keys: Arc<Vec<PublicKey>>,
}

impl KeySet {
    /// Woovi's published key only: the production default.
    pub fn embedded() -> Self {
        let key =
            PublicKey::from_pem(EMBEDDED_PEM).expect("the embedded Woovi key is a valid RSA key");
        Self {
            keys: Arc::new(vec![key]),
        }
    }

    /// No keys: for an emulator or tests that sign with their own key.
    pub fn empty() -> Self {
        Self::default()
    }

    /// Every key in `pem` (one or more PEM blocks), without the embedded key.
    pub fn from_pem(pem: &str) -> Result<Self, KeyError> {
        let mut set = Self::empty();
        set.add_pem(pem)?;
        Ok(set)
    }

    /// Adds every key of `pem`; duplicates are ignored. All or nothing.
    pub fn add_pem(&mut self, pem: &str) -> Result<(), KeyError> {
        let parsed = parse_all_pem(pem)?;
        for key in parsed {
            self.add_key(key);
        }
        Ok(())
    }

    /// Adds a parsed key unless already present.
    pub fn add_key(&mut self, key: PublicKey) {
        if !self.keys.contains(&key) {
            Arc::make_mut(&mut self.keys).push(key);
        }
    }

    /// Adds every key of `other`.
    pub fn extend(&mut self, other: &KeySet) {
        for key in other.keys.iter() {
            self.add_key(key.clone());
        }
    }

    /// The keys.
    pub fn keys(&self) -> &[PublicKey] {
        &self.keys
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether no key is present (every signature then fails).
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

fn parse_all_pem(pem: &str) -> Result<Vec<PublicKey>, KeyError> {
    let mut keys = Vec::new();
    let mut rest = pem;
    while let Some(start) = rest.find("-----BEGIN ") {
        let after = &rest[start + 11..];
        let label_end = after.find("-----").ok_or(KeyError::NoPemBlock)?;
        let label = &after[..label_end];
        let body_start = &after[label_end + 5..];
        let end_marker = format!("-----END {label}-----");
        let end = body_start.find(&end_marker).ok_or(KeyError::NoPemBlock)?;
        let b64: String = body_start[..end]
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let der = base64::engine::general_purpose::STANDARD
            .decode(b64.as_bytes())
            .map_err(|_| KeyError::Base64)?;
        keys.push(PublicKey::from_der(&der)?);
        rest = &body_start[end + end_marker.len()..];
    }
    if keys.is_empty() {
        return Err(KeyError::NoPemBlock);
    }
    Ok(keys)
}

/// rsaEncryption OID 1.2.840.113549.1.1.1, DER-encoded content.
const RSA_ENCRYPTION_OID: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];

/// Reads one DER TLV; returns (tag, content, rest).
fn tlv(input: &[u8]) -> Result<(u8, &[u8], &[u8]), KeyError> {
    let (&tag, rest) = input.split_first().ok_or(KeyError::Der("truncated"))?;
    let (&first, rest) = rest
        .split_first()
        .ok_or(KeyError::Der("truncated length"))?;
    let (len, rest) = if first < 0x80 {
        (first as usize, rest)
    } else {
        let n = (first & 0x7f) as usize;
        if n == 0 || n > 4 || rest.len() < n {
            return Err(KeyError::Der("bad length"));
        }
        let len = rest[..n]
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | *b as usize);
        (len, &rest[n..])
    };
    if rest.len() < len {
        return Err(KeyError::Der("truncated content"));
    }
    Ok((tag, &rest[..len], &rest[len..]))
}

/// SubjectPublicKeyInfo ::= SEQUENCE { AlgorithmIdentifier, BIT STRING }:
/// returns the RSAPublicKey inside the bit string.
fn spki_to_pkcs1(der: &[u8]) -> Result<&[u8], KeyError> {
    let (tag, spki, trailing) = tlv(der)?;
    if tag != 0x30 || !trailing.is_empty() {
        return Err(KeyError::Der("SPKI is not one SEQUENCE"));
    }
    let (tag, alg, rest) = tlv(spki)?;
    if tag != 0x30 {
        return Err(KeyError::Der("AlgorithmIdentifier is not a SEQUENCE"));
    }
    let (tag, oid, _params) = tlv(alg)?;
    if tag != 0x06 || oid != RSA_ENCRYPTION_OID {
        return Err(KeyError::Der("algorithm is not rsaEncryption"));
    }
    let (tag, bits, rest) = tlv(rest)?;
    if tag != 0x03 || !rest.is_empty() {
        return Err(KeyError::Der("subjectPublicKey is not a BIT STRING"));
    }
    match bits.split_first() {
        Some((0, inner)) => Ok(inner),
        _ => Err(KeyError::Der("BIT STRING has unused bits")),
    }
}

/// RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }.
fn rsa_modulus_len(der: &[u8]) -> Result<usize, KeyError> {
    let (tag, seq, trailing) = tlv(der)?;
    if tag != 0x30 || !trailing.is_empty() {
        return Err(KeyError::Der("RSAPublicKey is not one SEQUENCE"));
    }
    let (tag, n, rest) = tlv(seq)?;
    if tag != 0x02 {
        return Err(KeyError::Der("modulus is not an INTEGER"));
    }
    let (tag, _e, rest) = tlv(rest)?;
    if tag != 0x02 || !rest.is_empty() {
        return Err(KeyError::Der("exponent is not an INTEGER"));
    }
    let n = match n.split_first() {
        Some((0, tail)) => tail,
        _ => n,
    };
    if n.len() < 128 {
        return Err(KeyError::Der("modulus shorter than 1024 bits"));
    }
    Ok(n.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_key_is_rsa_1024() {
        let set = KeySet::embedded();
        assert_eq!(set.len(), 1);
        assert_eq!(set.keys()[0].modulus_len(), 128);
    }

    #[test]
    fn garbage_pem_is_rejected() {
        assert_eq!(KeySet::from_pem("hello"), Err(KeyError::NoPemBlock));
        assert_eq!(
            KeySet::from_pem("-----BEGIN PUBLIC KEY-----\n!!!\n-----END PUBLIC KEY-----"),
            Err(KeyError::Base64)
        );
        assert!(matches!(
            KeySet::from_pem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"),
            Err(KeyError::Der(_))
        ));
    }

    #[test]
    fn duplicate_keys_are_kept_once() {
        let mut set = KeySet::embedded();
        set.add_pem(EMBEDDED_PEM).unwrap();
        assert_eq!(set.len(), 1);
    }
}
