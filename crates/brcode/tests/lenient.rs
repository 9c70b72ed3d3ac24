//! The lenient level: what it rejects (structure, CRC) and what it keeps.

mod common;

use brcode::{ParseError as P, TlvErrorKind as K};
use common::{base_fields, payload, seal, tlv, with};

fn tlv_err(template: Option<u8>, offset: usize, kind: K) -> Result<(), P> {
    Err(P::Tlv {
        template,
        offset,
        kind,
    })
}

fn lenient(p: &str) -> Result<(), P> {
    brcode::parse(p).map(|_| ())
}

#[test]
fn structural_errors() {
    assert_eq!(lenient(""), Err(P::Empty));
    assert_eq!(lenient("000201"), Err(P::MissingCrc));
    assert_eq!(
        lenient(&seal("00020")),
        tlv_err(None, 6, K::InvalidLength { id: 30 })
    );
    assert_eq!(lenient(&seal("000201X")), tlv_err(None, 6, K::InvalidId));
    assert_eq!(lenient("0002010"), tlv_err(None, 6, K::TruncatedHeader));
    assert_eq!(
        lenient(&seal("0002010")),
        tlv_err(
            None,
            6,
            K::TruncatedValue {
                id: 6,
                len: 30,
                available: 5
            }
        )
    );
    assert_eq!(
        lenient(&seal("00AB01")),
        tlv_err(None, 0, K::InvalidLength { id: 0 })
    );
    assert_eq!(lenient(&seal("0a0201")), tlv_err(None, 0, K::InvalidId));
    assert_eq!(
        lenient("00020163041234"),
        Err(P::CrcMismatch {
            found: 0x1234,
            computed: brcode::crc::crc16(b"0002016304")
        })
    );
    assert_eq!(lenient("0002016304123G"), Err(P::CrcNotHex));
    assert_eq!(lenient("000201630512345"), Err(P::CrcLength { len: 5 }));
    let not_last = seal("000201");
    let p = format!("{not_last}5802BR");
    assert_eq!(lenient(&p), Err(P::CrcNotLast { offset: 6 }));
    // A value that runs past the end.
    assert_eq!(
        lenient("0099016304"),
        tlv_err(
            None,
            0,
            K::TruncatedValue {
                id: 0,
                len: 99,
                available: 6
            }
        )
    );
}

#[test]
fn a_length_that_splits_a_character_is_an_error() {
    // "Ã" is two bytes; a declared length of 2 over "AÃ" ends inside it.
    let body = format!("000201{}", "5902AÃ");
    assert_eq!(
        lenient(&seal(&body)),
        tlv_err(None, 6, K::SplitCharacter { id: 59 })
    );
}

#[test]
fn nested_errors_name_their_template() {
    let bad_62 = with(62, Some("0599"));
    assert!(matches!(
        brcode::parse(&bad_62),
        Err(P::Tlv {
            template: Some(62),
            offset: 0,
            kind: K::TruncatedValue { id: 5, .. }
        })
    ));
    let bad_pix = with(26, Some(&(tlv(0, "br.gov.bcb.pix") + "01XX")));
    assert!(matches!(
        brcode::parse(&bad_pix),
        Err(P::Tlv {
            template: Some(26),
            kind: K::InvalidLength { id: 1 },
            ..
        })
    ));
    // A malformed template of another arrangement is kept, not an error.
    let other = with(27, Some("garbage"));
    let code = brcode::parse(&other).unwrap();
    assert_eq!(
        code.unknown().map(|f| (f.id, f.value)).collect::<Vec<_>>(),
        vec![(27, "garbage")]
    );
}

#[test]
fn lenient_accepts_what_strict_rejects() {
    for p in [
        with(60, Some("SAO JOSE DOS CAMPOS")),
        with(53, Some("840")),
        with(52, None),
        with(62, Some(&tlv(5, "RP-1"))),
        with(0, Some("")),
    ] {
        assert!(brcode::parse(&p).is_ok(), "{p}");
        assert!(brcode::parse_strict(&p).is_err(), "{p}");
    }
}

#[test]
fn accessors_and_kept_fields() {
    let mut f = base_fields();
    f[1].1 = tlv(0, "br.gov.bcb.pix")
        + &tlv(1, "pix@example.com")
        + &tlv(2, "Pedido 42")
        + &tlv(3, "12345678")
        + &tlv(9, "future");
    f.insert(1, (1, "11".into()));
    f.insert(5, (55, "01".into()));
    f.push((61, "70074900".into()));
    f.sort_by_key(|(i, _)| *i);
    f.push((85, "0004abcd".into()));
    let p = payload(&f);
    let code = brcode::parse_strict(&p).unwrap();
    assert_eq!(code.payload(), p);
    assert_eq!(code.payload_format(), Some("01"));
    assert_eq!(code.point_of_initiation(), Some("11"));
    assert_eq!(code.key(), Some("pix@example.com"));
    assert_eq!(code.info(), Some("Pedido 42"));
    assert_eq!(code.fss(), Some("12345678"));
    assert_eq!(code.url(), None);
    assert!(!code.is_dynamic());
    assert_eq!(code.mcc(), Some("0000"));
    assert_eq!(code.currency(), Some("986"));
    assert_eq!(code.amount(), Some("10.00"));
    assert_eq!(code.amount_cents(), Some(1000));
    assert_eq!(code.country(), Some("BR"));
    assert_eq!(code.merchant_name(), Some("FULANO DE TAL"));
    assert_eq!(code.merchant_city(), Some("BRASILIA"));
    assert_eq!(code.postal_code(), Some("70074900"));
    assert_eq!(code.txid(), Some("***"));
    assert_eq!(code.pix_account().map(|a| a.id()), Some(26));
    let pix_extra: Vec<_> = code
        .pix_account()
        .unwrap()
        .fields()
        .filter(|f| f.id == 9)
        .map(|f| f.value)
        .collect();
    assert_eq!(pix_extra, vec!["future"]);
    assert_eq!(code.unknown().map(|f| f.id).collect::<Vec<_>>(), vec![55]);
    assert_eq!(
        code.unreserved()
            .map(|f| (f.id, f.value))
            .collect::<Vec<_>>(),
        vec![(85, "0004abcd")]
    );
    assert_eq!(code.additional_data_fields().count(), 1);
}
