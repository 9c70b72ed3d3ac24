//! Any bytes, through both parse levels and every accessor: must not panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(code) = brcode::parse(&text) {
        let _ = (
            code.key(),
            code.url(),
            code.amount_cents(),
            code.txid(),
            code.unknown().count(),
            code.unreserved().count(),
            code.additional_data_fields().count(),
        );
        let _ = code.validate_strict();
    }
    let _ = brcode::parse_strict(&text);
    let _ = brcode::PixKey::parse(&text);
    let _ = brcode::TaxId::parse(&text);
});
