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
    emv::dynamic(&url, u64::try_from(value).unwrap_or(0))
}

/// A static BR code paying the sandbox Pix key.
pub(crate) fn static_brcode(
    identifier: &str,
    value: Option<i64>,
    comment: Option<&str>,
) -> Result<String, String> {
    emv::static_code(
        PIX_KEY,
        identifier,
        value.and_then(|v| u64::try_from(v).ok()),
        comment,
    )
}

/// Renders `payload` as a PNG QR code of `size` pixels.
pub(crate) fn png(payload: &str, size: u32) -> Result<Vec<u8>, String> {
    emv::png(payload, size)
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

mod emv {
    //! Minimal EMV MPM writer, replaced by the `brcode` builder once it lands.

    fn field(out: &mut String, id: &str, value: &str) -> Result<(), String> {
        if value.len() > 99 {
            return Err(format!("field {id} is longer than 99 bytes"));
        }
        out.push_str(id);
        out.push_str(&format!("{:02}", value.len()));
        out.push_str(value);
        Ok(())
    }

    fn amount(cents: u64) -> String {
        format!("{}.{:02}", cents / 100, cents % 100)
    }

    pub(super) fn crc16(data: &[u8]) -> u16 {
        let mut crc: u16 = 0xFFFF;
        for &b in data {
            crc ^= u16::from(b) << 8;
            for _ in 0..8 {
                crc = if crc & 0x8000 != 0 {
                    (crc << 1) ^ 0x1021
                } else {
                    crc << 1
                };
            }
        }
        crc
    }

    fn finish(mut out: String) -> String {
        out.push_str("6304");
        let crc = crc16(out.as_bytes());
        out.push_str(&format!("{crc:04X}"));
        out
    }

    fn tail(out: &mut String, cents: Option<u64>, txid: &str) -> Result<(), String> {
        field(out, "52", "0000")?;
        field(out, "53", "986")?;
        if let Some(c) = cents.filter(|c| *c > 0) {
            field(out, "54", &amount(c))?;
        }
        field(out, "58", "BR")?;
        field(out, "59", super::MERCHANT_NAME)?;
        field(out, "60", super::MERCHANT_CITY)?;
        let mut add = String::new();
        field(&mut add, "05", txid)?;
        field(out, "62", &add)
    }

    pub(super) fn dynamic(url: &str, cents: u64) -> Result<String, String> {
        if url.len() > 77 {
            return Err("location URL is longer than 77 bytes".to_owned());
        }
        let mut out = String::with_capacity(200);
        field(&mut out, "00", "01")?;
        field(&mut out, "01", "12")?;
        let mut mai = String::new();
        field(&mut mai, "00", "br.gov.bcb.pix")?;
        field(&mut mai, "25", url)?;
        field(&mut out, "26", &mai)?;
        tail(&mut out, Some(cents), "***")?;
        Ok(finish(out))
    }

    pub(super) fn static_code(
        key: &str,
        txid: &str,
        cents: Option<u64>,
        info: Option<&str>,
    ) -> Result<String, String> {
        let mut out = String::with_capacity(200);
        field(&mut out, "00", "01")?;
        let mut mai = String::new();
        field(&mut mai, "00", "br.gov.bcb.pix")?;
        field(&mut mai, "01", key)?;
        if let Some(info) = info.filter(|i| !i.is_empty()) {
            field(&mut mai, "02", info)?;
        }
        field(&mut out, "26", &mai)?;
        tail(&mut out, cents, txid)?;
        Ok(finish(out))
    }

    pub(super) fn png(payload: &str, size: u32) -> Result<Vec<u8>, String> {
        let code = qrcode::QrCode::new(payload.as_bytes()).map_err(|e| e.to_string())?;
        let modules = code.width() as u32;
        let colors = code.to_colors();
        let total = modules + 8; // 4-module quiet zone each side
        let scale = (size / total).max(1);
        let px = total * scale;
        let mut pixels = vec![255u8; (px * px) as usize];
        for y in 0..modules {
            for x in 0..modules {
                if colors[(y * modules + x) as usize] == qrcode::Color::Dark {
                    for dy in 0..scale {
                        let row = ((y + 4) * scale + dy) * px;
                        let start = (row + (x + 4) * scale) as usize;
                        pixels[start..start + scale as usize].fill(0);
                    }
                }
            }
        }
        let mut out = Vec::new();
        {
            let mut enc = png::Encoder::new(&mut out, px, px);
            enc.set_color(png::ColorType::Grayscale);
            enc.set_depth(png::BitDepth::Eight);
            let mut writer = enc.write_header().map_err(|e| e.to_string())?;
            writer
                .write_image_data(&pixels)
                .map_err(|e| e.to_string())?;
        }
        Ok(out)
    }
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
    fn crc_matches_a_real_woovi_code() {
        assert_eq!(
            emv::crc16(b"123456789"),
            0x29B1,
            "CRC-16/CCITT-FALSE check value"
        );
        // From webhook-examples/refund-payload.json.
        let real = "00020101021226990014br.gov.bcb.pix2577pix-h.bpp.com.br/23114447/qrs1/v2/01jAVrYybMRhanrjbpgCDIxFrHxa7zdBSdcIinjmXbp52040000530398654041.515802BR5912Your_Company6009Sao_Paulo62290525c37368e176894eea9b35fe0ea63047E32";
        let (body, crc) = real.split_at(real.len() - 4);
        assert_eq!(format!("{:04X}", emv::crc16(body.as_bytes())), crc);
    }

    #[test]
    fn too_long_base_url_is_rejected() {
        assert!(check_base_url(&format!("http://{}", "x".repeat(80))).is_err());
        assert!(check_base_url("http://127.0.0.1:8080/_sandbox/woovi").is_ok());
    }
}
