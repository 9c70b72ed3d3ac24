//! Identifiers shaped like Woovi's: Relay global IDs, 32-hex txids,
//! 32-character end-to-end IDs.

use base64::Engine;
use rand::distributions::Alphanumeric;
use rand::Rng;
use time::OffsetDateTime;

/// A 24-hex Mongo-style object ID.
pub(crate) fn object_id() -> String {
    let bytes: [u8; 12] = rand::thread_rng().gen();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Relay global ID (`base64("Charge:<objectId>")`), as in `globalID`.
pub(crate) fn global_id(kind: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(format!("{kind}:{}", object_id()))
}

/// 32 lowercase hex characters: Woovi's `transactionID` / `identifier`.
pub(crate) fn txid() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// Hyphenated UUID: `paymentLinkID`, generated correlation IDs.
pub(crate) fn uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Pix end-to-end ID: `prefix` (`E` payment, `D` refund) + 8-digit ISPB +
/// `yyyyMMddHHmm` + 11 alphanumerics = 32 characters.
pub(crate) fn end_to_end_id(prefix: char, at: OffsetDateTime) -> String {
    let suffix: String = rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(11)
        .map(char::from)
        .collect();
    format!(
        "{prefix}54811417{:04}{:02}{:02}{:02}{:02}{suffix}",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn end_to_end_is_e_plus_31() {
        let id = end_to_end_id('E', OffsetDateTime::now_utc());
        assert_eq!(id.len(), 32);
        assert!(id.starts_with('E'));
        assert!(id.chars().all(|c| c.is_ascii_alphanumeric()));
    }

    #[test]
    fn global_id_decodes_to_kind() {
        let g = global_id("Charge");
        let raw = base64::engine::general_purpose::STANDARD.decode(g).unwrap();
        assert!(String::from_utf8(raw).unwrap().starts_with("Charge:"));
    }
}
