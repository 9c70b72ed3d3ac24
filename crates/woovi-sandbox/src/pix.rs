//! BR codes and QR images for charges and static QR codes.

use crate::SandboxError;

/// Merchant name shown by bank apps for sandbox charges.
pub(crate) const MERCHANT_NAME: &str = "PAYBRIDGE SANDBOX";
/// Merchant city shown by bank apps.
pub(crate) const MERCHANT_CITY: &str = "SAO PAULO";
/// The sandbox account's random Pix key (used by static QR codes).
pub(crate) const PIX_KEY: &str = "5f1e3c1a-5a3b-4e9f-9d1e-7c1d1a0b5a11";

/// Location URL (field 26/25, no scheme) of a dynamic charge.
pub(crate) fn location(public_base_url: &str, identifier: &str) -> String {
    let without_scheme = public_base_url
        .split_once("://")
        .map_or(public_base_url, |(_, rest)| rest);
    format!(
        "{}/qr/v2/{identifier}",
        without_scheme.trim_end_matches('/')
    )
}

/// A dynamic BR code (point of initiation 12, txid `***`) for a charge.
pub(crate) fn dynamic_brcode(
    public_base_url: &str,
    identifier: &str,
    value: i64,
) -> Result<String, String> {
    let url = location(public_base_url, identifier);
    brcode::Builder::new_dynamic(&url)
        .merchant_name(MERCHANT_NAME)
        .merchant_city(MERCHANT_CITY)
        .txid("***")
        .amount_cents(u64::try_from(value).unwrap_or(0))
        .build()
        .map_err(|e| e.to_string())
}

/// A static BR code paying the sandbox Pix key.
pub(crate) fn static_brcode(
    identifier: &str,
    value: Option<i64>,
    comment: Option<&str>,
) -> Result<String, String> {
    let key = brcode::PixKey::parse(PIX_KEY).map_err(|e| e.to_string())?;
    let mut builder = brcode::Builder::new_static(key)
        .merchant_name(MERCHANT_NAME)
        .merchant_city(MERCHANT_CITY)
        .txid(identifier);
    if let Some(v) = value.and_then(|v| u64::try_from(v).ok()).filter(|v| *v > 0) {
        builder = builder.amount_cents(v);
    }
    if let Some(c) = comment {
        builder = builder.info(c);
    }
    builder.build().map_err(|e| e.to_string())
}

/// Renders `payload` as a PNG QR code of about `size` pixels (with quiet zone).
pub(crate) fn png(payload: &str, size: u32) -> Result<Vec<u8>, String> {
    brcode::qr::png(payload, size, true).map_err(|e| e.to_string())
}

/// Fails early when the public URL would not fit a BR code.
pub(crate) fn check_base_url(public_base_url: &str) -> Result<(), SandboxError> {
    dynamic_brcode(public_base_url, &crate::ids::txid(), 100)
        .map(drop)
        .map_err(|e| {
            SandboxError::Config(format!(
                "public_base_url {public_base_url:?} does not fit a BR code: {e}"
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dynamic_code_has_location_and_crc() {
        let code = dynamic_brcode(
            "http://127.0.0.1:8080/_sandbox/woovi",
            "0123456789abcdef0123456789abcdef",
            5000,
        )
        .unwrap();
        assert!(code.starts_with("000201010212"));
        assert!(
            code.contains("127.0.0.1:8080/_sandbox/woovi/qr/v2/0123456789abcdef0123456789abcdef")
        );
        assert!(code.contains("540550.00"));
        assert!(code.contains("62070503***"));
    }

    #[test]
    fn codes_pass_strict_parsing() {
        let dynamic = dynamic_brcode(
            "http://127.0.0.1:8080/_sandbox/woovi",
            &crate::ids::txid(),
            1999,
        )
        .unwrap();
        let parsed = brcode::parse_strict(&dynamic).unwrap();
        assert!(parsed.is_dynamic());
        assert_eq!(parsed.amount_cents(), Some(1999));
        assert_eq!(parsed.txid(), Some("***"));
        let stat = static_brcode("abc123", Some(100), Some("hello")).unwrap();
        let parsed = brcode::parse_strict(&stat).unwrap();
        assert_eq!(parsed.key(), Some(PIX_KEY));
        assert_eq!(parsed.txid(), Some("abc123"));
    }

    #[test]
    fn too_long_base_url_is_rejected() {
        assert!(check_base_url(&format!("http://{}", "x".repeat(80))).is_err());
        assert!(check_base_url("http://127.0.0.1:8080/_sandbox/woovi").is_ok());
    }
}
