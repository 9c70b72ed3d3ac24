//! Helpers shared by the integration tests: assemble payloads field by
//! field and seal them with a correct CRC, so each test changes one rule.
#![allow(dead_code)]

/// One TLV field.
pub fn tlv(id: u8, value: &str) -> String {
    format!("{id:02}{:02}{value}", value.len())
}

/// Appends `6304` and the CRC.
pub fn seal(body: &str) -> String {
    let mut s = format!("{body}6304");
    let crc = brcode::crc::crc16(s.as_bytes());
    s.push_str(&format!("{crc:04X}"));
    s
}

/// Fields of a strictly valid static code, in order, as (id, value).
pub fn base_fields() -> Vec<(u8, String)> {
    vec![
        (0, "01".into()),
        (
            26,
            tlv(0, "br.gov.bcb.pix") + &tlv(1, "123e4567-e12b-12d1-a456-426655440000"),
        ),
        (52, "0000".into()),
        (53, "986".into()),
        (54, "10.00".into()),
        (58, "BR".into()),
        (59, "FULANO DE TAL".into()),
        (60, "BRASILIA".into()),
        (62, tlv(5, "***")),
    ]
}

/// Seals a field list into a payload.
pub fn payload(fields: &[(u8, String)]) -> String {
    let body: String = fields.iter().map(|(id, v)| tlv(*id, v)).collect();
    seal(&body)
}

/// The base code with field `id` replaced (or added in ID order), or
/// removed when `value` is `None`.
pub fn with(id: u8, value: Option<&str>) -> String {
    let mut f = base_fields();
    f.retain(|(i, _)| *i != id);
    if let Some(v) = value {
        f.push((id, v.to_owned()));
        f.sort_by_key(|(i, _)| *i);
    }
    payload(&f)
}

/// The vectors file, shared with the other crates' tests.
pub const VECTORS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/fixtures/brcode/vectors.json"
);
