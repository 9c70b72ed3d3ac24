//! Every vector of the shared fixtures file, at both levels.

mod common;

use serde_json::Value;

fn field(code: &brcode::BrCode<'_>, name: &str) -> Value {
    let s = |v: Option<&str>| v.map_or(Value::Null, |v| Value::String(v.to_owned()));
    match name {
        "payload_format" => s(code.payload_format()),
        "point_of_initiation" => s(code.point_of_initiation()),
        "gui" => s(code.gui()),
        "key" => s(code.key()),
        "info" => s(code.info()),
        "fss" => s(code.fss()),
        "url" => s(code.url()),
        "mcc" => s(code.mcc()),
        "currency" => s(code.currency()),
        "amount" => s(code.amount()),
        "amount_cents" => code.amount_cents().map_or(Value::Null, Value::from),
        "country" => s(code.country()),
        "merchant_name" => s(code.merchant_name()),
        "merchant_city" => s(code.merchant_city()),
        "postal_code" => s(code.postal_code()),
        "txid" => s(code.txid()),
        other => panic!("the vectors name a field this test does not know: {other}"),
    }
}

#[test]
fn every_vector_at_both_levels() {
    let text = std::fs::read_to_string(common::VECTORS).expect("vectors file");
    let doc: Value = serde_json::from_str(&text).expect("vectors JSON");
    let vectors = doc["vectors"].as_array().expect("vectors array");
    assert!(vectors.len() >= 8, "expected the full vector set");
    let mut fields_checked = 0;
    for v in vectors {
        let name = v["name"].as_str().unwrap();
        let payload = v["payload"].as_str().unwrap();
        let lenient = brcode::parse(payload);
        assert_eq!(
            lenient.is_ok(),
            v["lenient"].as_bool().unwrap(),
            "{name}: lenient gave {lenient:?}"
        );
        let strict = brcode::parse_strict(payload);
        assert_eq!(
            strict.is_ok(),
            v["strict"].as_bool().unwrap(),
            "{name}: strict gave {strict:?}"
        );
        if let (Ok(code), Some(fields)) = (&lenient, v["fields"].as_object()) {
            for (key, expected) in fields {
                assert_eq!(&field(code, key), expected, "{name}: field {key}");
                fields_checked += 1;
            }
        }
    }
    assert!(fields_checked > 20);
}

#[test]
fn named_vectors_fail_for_the_expected_reason() {
    let text = std::fs::read_to_string(common::VECTORS).unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    let by_name = |n: &str| {
        doc["vectors"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["name"] == n)
            .unwrap_or_else(|| panic!("vector {n}"))["payload"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(
        brcode::parse(&by_name("crc-mismatch")),
        Err(brcode::ParseError::CrcMismatch {
            found: 0x1D3E,
            computed: 0x1D3D
        })
    );
    assert_eq!(
        brcode::parse(&by_name("truncated")),
        Err(brcode::ParseError::MissingCrc)
    );
    assert_eq!(
        brcode::parse(&by_name("empty")),
        Err(brcode::ParseError::Empty)
    );
    let multi = by_name("brcode-manual-multi-arrangement-as-published");
    assert!(matches!(
        brcode::parse_strict(&multi),
        Err(brcode::Error::Strict(
            brcode::StrictError::TxidInvalidChar {
                ch: '-',
                position: 10
            }
        ))
    ));
    // Other arrangements' fields are kept, not dropped.
    let code = brcode::parse(&multi).unwrap();
    let unknown: Vec<_> = code.unknown().map(|f| f.id).collect();
    assert_eq!(unknown, vec![4, 27]);
    let unreserved: Vec<_> = code.unreserved().map(|f| (f.id, f.value)).collect();
    assert_eq!(
        unreserved,
        vec![(80, "0012BR.COM.OUTRO01190123.ABCD.3456.WXYZ")]
    );
    assert_eq!(code.gui(), Some("BR.GOV.BCB.PIX"));
    let composite_payload = by_name("bcb-pix-manual-composite-static");
    let composite = brcode::parse(&composite_payload).unwrap();
    assert_eq!(composite.unreserved().count(), 1);
    assert_eq!(composite.amount(), Some("100.50"));
}

#[test]
fn lower_case_crc_is_accepted_when_reading() {
    let p = "00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-4266554400005204000053039865802BR5913Fulano de Tal6008BRASILIA62070503***63041d3d";
    let code = brcode::parse(p).unwrap();
    assert_eq!(code.crc(), 0x1D3D);
    assert!(brcode::parse_strict(p).is_ok());
}
