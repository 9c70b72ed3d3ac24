//! One row per strict rule, with both sides of every length limit: the
//! base code passes, each row changes one field and expects one error.

mod common;

use brcode::{Error, PixKeyError, StrictError as S};
use common::{base_fields, payload, seal, tlv, with};

fn strict(p: &str) -> Result<(), S> {
    match brcode::parse_strict(p) {
        Ok(_) => Ok(()),
        Err(Error::Strict(e)) => Err(e),
        Err(Error::Parse(e)) => panic!("{p}: not even lenient: {e}"),
    }
}

fn pix(sub: &[(u8, &str)]) -> String {
    sub.iter().map(|(id, v)| tlv(*id, v)).collect()
}

const GUI: &str = "br.gov.bcb.pix";
const KEY: &str = "123e4567-e12b-12d1-a456-426655440000";

#[test]
fn base_code_is_strictly_valid() {
    assert_eq!(strict(&payload(&base_fields())), Ok(()));
}

#[test]
fn length_limits_both_sides() {
    let rows: Vec<(u8, String, Result<(), S>)> = vec![
        (54, "9999999999.99".into(), Ok(())),
        (
            54,
            "99999999999.99".into(),
            Err(S::AmountTooLong { len: 14, max: 13 }),
        ),
        (59, "A".repeat(25), Ok(())),
        (
            59,
            "A".repeat(26),
            Err(S::MerchantNameTooLong { len: 26, max: 25 }),
        ),
        (60, "A".repeat(15), Ok(())),
        (
            60,
            "A".repeat(16),
            Err(S::MerchantCityTooLong { len: 16, max: 15 }),
        ),
        (
            60,
            "SAO JOSE DOS CAMPOS".into(),
            Err(S::MerchantCityTooLong { len: 19, max: 15 }),
        ),
        (61, "1".repeat(10), Ok(())),
        (
            61,
            "1".repeat(11),
            Err(S::PostalCodeTooLong { len: 11, max: 10 }),
        ),
        (62, tlv(5, &"a".repeat(25)), Ok(())),
        (
            62,
            tlv(5, &"a".repeat(26)),
            Err(S::TxidTooLong { len: 26, max: 25 }),
        ),
        (62, tlv(5, "A"), Ok(())),
    ];
    for (id, value, expected) in rows {
        assert_eq!(
            strict(&with(id, Some(&value))),
            expected,
            "{id:02} = {value:?}"
        );
    }
}

#[test]
fn field_value_rules() {
    let rows: Vec<(u8, Option<String>, Result<(), S>)> = vec![
        (
            0,
            Some("02".into()),
            Err(S::PayloadFormatInvalid { value: "02".into() }),
        ),
        (1, Some("11".into()), Ok(())),
        (1, Some("12".into()), Ok(())),
        (
            1,
            Some("13".into()),
            Err(S::PointOfInitiationInvalid { value: "13".into() }),
        ),
        (52, Some("5411".into()), Ok(())),
        (
            52,
            Some("00A0".into()),
            Err(S::MccInvalid {
                value: "00A0".into(),
            }),
        ),
        (
            52,
            Some("000".into()),
            Err(S::MccInvalid {
                value: "000".into(),
            }),
        ),
        (
            53,
            Some("840".into()),
            Err(S::CurrencyNotBrl {
                value: "840".into(),
            }),
        ),
        (54, None, Ok(())),
        (54, Some("0.01".into()), Ok(())),
        (54, Some("1".into()), Ok(())),
        (54, Some("0.00".into()), Err(S::AmountNotPositive)),
        (54, Some("0".into()), Err(S::AmountNotPositive)),
        (
            54,
            Some("1,00".into()),
            Err(S::AmountInvalid {
                value: "1,00".into(),
            }),
        ),
        (
            54,
            Some("1.005".into()),
            Err(S::AmountInvalid {
                value: "1.005".into(),
            }),
        ),
        (
            54,
            Some("-1.00".into()),
            Err(S::AmountInvalid {
                value: "-1.00".into(),
            }),
        ),
        (
            58,
            Some("US".into()),
            Err(S::CountryNotBr { value: "US".into() }),
        ),
        (62, Some(tlv(5, "***")), Ok(())),
        (
            62,
            Some(tlv(5, "ab-c")),
            Err(S::TxidInvalidChar {
                ch: '-',
                position: 2,
            }),
        ),
        (
            62,
            Some(tlv(5, "**")),
            Err(S::TxidInvalidChar {
                ch: '*',
                position: 0,
            }),
        ),
        (
            62,
            Some(tlv(5, "****")),
            Err(S::TxidInvalidChar {
                ch: '*',
                position: 0,
            }),
        ),
        (
            62,
            Some(tlv(5, "a b")),
            Err(S::TxidInvalidChar {
                ch: ' ',
                position: 1,
            }),
        ),
    ];
    for (id, value, expected) in rows {
        assert_eq!(
            strict(&with(id, value.as_deref())),
            expected,
            "{id:02} = {value:?}"
        );
    }
}

#[test]
fn mandatory_fields() {
    let rows = [
        (52, "52", "merchant category code"),
        (53, "53", "transaction currency"),
        (58, "58", "country code"),
        (59, "59", "merchant name"),
        (60, "60", "merchant city"),
        (62, "62", "additional data field template"),
    ];
    for (id, sid, name) in rows {
        assert_eq!(
            strict(&with(id, None)),
            Err(S::MissingField { id: sid, name }),
            "{id}"
        );
    }
    assert_eq!(
        strict(&with(62, Some(&tlv(7, "x")))),
        Err(S::MissingField {
            id: "62.05",
            name: "reference label (txid)"
        })
    );
    assert_eq!(strict(&with(0, None)), Err(S::PayloadFormatNotFirst));
    assert_eq!(strict(&with(26, None)), Err(S::MissingPixAccount));
    // A 26 template of another arrangement does not count as Pix.
    assert_eq!(
        strict(&with(26, Some(&pix(&[(0, "br.com.outro"), (1, KEY)])))),
        Err(S::MissingPixAccount)
    );
}

#[test]
fn key_and_url_rules() {
    let rows: Vec<(String, Result<(), S>)> = vec![
        (pix(&[(0, "BR.GOV.BCB.PIX"), (1, KEY)]), Ok(())),
        (pix(&[(0, GUI), (25, "pix.example.com/qr/1")]), Ok(())),
        (
            pix(&[(0, GUI), (1, KEY), (25, "pix.example.com/qr/1")]),
            Err(S::KeyAndUrl),
        ),
        (pix(&[(0, GUI), (2, "info only")]), Err(S::MissingKeyOrUrl)),
        (
            pix(&[(0, GUI), (25, "https://pix.example.com/qr/1")]),
            Err(S::UrlHasScheme),
        ),
        (pix(&[(0, GUI), (1, "12345678909")]), Ok(())),
        (pix(&[(0, GUI), (1, "12ABC34501DE35")]), Ok(())),
        (pix(&[(0, GUI), (1, "+5561987654321")]), Ok(())),
        (pix(&[(0, GUI), (1, "pix@example.com")]), Ok(())),
        (
            pix(&[(0, GUI), (1, "Pix@Example.com")]),
            Err(S::InvalidKey(PixKeyError::Email)),
        ),
        (
            pix(&[(0, GUI), (1, "61987654321x")]),
            Err(S::InvalidKey(PixKeyError::Unrecognized)),
        ),
        (
            pix(&[(1, KEY), (0, GUI)]),
            Err(S::GuiNotFirst { template: 26 }),
        ),
        (
            pix(&[(0, GUI), (2, "x"), (1, KEY)]),
            Err(S::FieldOrder {
                template: Some(26),
                id: 1,
                previous: 2,
            }),
        ),
        (
            pix(&[(0, GUI), (1, KEY), (2, "")]),
            Err(S::EmptyField {
                template: Some(26),
                id: 2,
            }),
        ),
    ];
    for (template, expected) in rows {
        assert_eq!(strict(&with(26, Some(&template))), expected, "{template}");
    }
    // Zero is allowed in a dynamic code: the amount comes from the URL.
    let mut f = base_fields();
    f[1].1 = pix(&[(0, GUI), (25, "pix.example.com/qr/1")]);
    f[4].1 = "0.00".into();
    assert_eq!(strict(&payload(&f)), Ok(()));
    assert!(matches!(
        strict(&with(26, Some(&pix(&[(0, GUI), (1, "12345678908")])))),
        Err(S::InvalidKey(PixKeyError::TaxId { .. }))
    ));
}

#[test]
fn order_duplicates_and_empty_fields() {
    let mut f = base_fields();
    f.swap(6, 7); // 60 before 59
    assert_eq!(
        strict(&payload(&f)),
        Err(S::FieldOrder {
            template: None,
            id: 59,
            previous: 60
        })
    );
    let mut f = base_fields();
    f.insert(7, (59, "OTHER".into()));
    assert_eq!(
        strict(&payload(&f)),
        Err(S::DuplicateField {
            template: None,
            id: 59
        })
    );
    assert_eq!(
        strict(&with(61, Some(""))),
        Err(S::EmptyField {
            template: None,
            id: 61
        })
    );
    let mut f = base_fields();
    f.insert(0, (1, "12".into()));
    assert_eq!(strict(&payload(&f)), Err(S::PayloadFormatNotFirst));
    assert_eq!(
        strict(&with(62, Some(&(tlv(5, "***") + &tlv(5, "***"))))),
        Err(S::DuplicateField {
            template: Some(62),
            id: 5
        })
    );
}

#[test]
fn total_length_both_sides() {
    // Pad with unreserved templates until the payload is exactly n bytes.
    let sized = |n: usize| {
        let mut f = base_fields();
        let mut len = payload(&f).len();
        let mut id = 80;
        while len < n {
            let room = n - len - 4;
            let v = "X".repeat(room.min(99));
            len += 4 + v.len();
            f.push((id, v));
            id += 1;
        }
        let p = payload(&f);
        assert_eq!(p.len(), n);
        p
    };
    assert_eq!(strict(&sized(512)), Ok(()));
    assert_eq!(
        strict(&sized(513)),
        Err(S::PayloadTooLong { len: 513, max: 512 })
    );
    // Unreserved templates go after 62 and before the CRC.
    let mut f = base_fields();
    f.push((64, "X".into()));
    f.push((99, "X".into()));
    assert_eq!(strict(&payload(&f)), Ok(()));
}

#[test]
fn only_printable_ascii() {
    let p = with(59, Some("SÃO"));
    assert!(brcode::parse(&p).is_ok(), "lenient reads UTF-8 names");
    let offset = p.find('Ã').unwrap();
    assert_eq!(strict(&p), Err(S::NotPrintableAscii { offset }));
    let body = payload(&base_fields());
    let with_tab = seal(&body[..body.len() - 8].replace("FULANO DE", "FULANO\tDE"));
    assert!(matches!(
        strict(&with_tab),
        Err(S::NotPrintableAscii { .. })
    ));
}

#[test]
fn errors_name_field_and_rule() {
    let e = brcode::parse_strict(&with(60, Some("SAO JOSE DOS CAMPOS"))).unwrap_err();
    assert_eq!(
        e.to_string(),
        "merchant city (60) is 19 characters, the maximum is 15"
    );
}
