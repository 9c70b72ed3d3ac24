//! Property tests: round-trip, single-byte changes, no panics.

use brcode::{Builder, PixKey};
use proptest::prelude::*;

/// A valid CPF from 9 random digits, check digits computed here
/// independently of the crate.
fn cpf() -> impl Strategy<Value = String> {
    proptest::collection::vec(0u32..10, 9)
        .prop_filter("not all equal", |d| d.iter().any(|&x| x != d[0]))
        .prop_map(|mut d| {
            for n in [9usize, 10] {
                let sum: u32 = d
                    .iter()
                    .enumerate()
                    .map(|(i, &x)| x * (n as u32 + 1 - i as u32))
                    .sum();
                let r = sum % 11;
                d.push(if r < 2 { 0 } else { 11 - r });
            }
            d.iter().map(|x| char::from(b'0' + *x as u8)).collect()
        })
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        cpf(),
        "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
        "\\+55[1-9]{2}9[0-9]{8}",
        "[a-z0-9._]{1,20}@[a-z0-9]{1,10}\\.com",
    ]
}

#[derive(Debug, Clone)]
struct Input {
    key: String,
    amount: Option<u64>,
    name: String,
    city: String,
    txid: Option<String>,
    info: Option<String>,
    cep: Option<String>,
}

fn input() -> impl Strategy<Value = Input> {
    (
        key(),
        proptest::option::of(1u64..=999_999_999_999),
        "[A-Z0-9]([A-Z0-9 ]{0,23}[A-Z0-9])?",
        "[A-Z]([A-Z ]{0,13}[A-Z])?",
        proptest::option::of("[A-Za-z0-9]{1,25}"),
        proptest::option::of("[A-Za-z0-9]([A-Za-z0-9 ]{0,10}[A-Za-z0-9])?"),
        proptest::option::of("[0-9]{8}"),
    )
        .prop_filter("no double spaces (folding collapses them)", |t| {
            !t.2.contains("  ")
                && !t.3.contains("  ")
                && !t.5.as_deref().unwrap_or("").contains("  ")
        })
        .prop_map(|(key, amount, name, city, txid, info, cep)| Input {
            key,
            amount,
            name,
            city,
            txid,
            info,
            cep,
        })
}

fn build(i: &Input) -> String {
    let mut b = Builder::new_static(PixKey::parse(&i.key).expect("strategy makes valid keys"))
        .merchant_name(&i.name)
        .merchant_city(&i.city);
    if let Some(a) = i.amount {
        b = b.amount_cents(a);
    }
    if let Some(t) = &i.txid {
        b = b.txid(t);
    }
    if let Some(t) = &i.info {
        b = b.info(t);
    }
    if let Some(c) = &i.cep {
        b = b.postal_code(c);
    }
    b.build().expect("valid input builds")
}

fn check_no_panic(s: &str) {
    if let Ok(code) = brcode::parse(s) {
        // Touch every accessor.
        let _ = (
            code.key(),
            code.url(),
            code.amount_cents(),
            code.txid(),
            code.merchant_name(),
            code.unknown().count(),
            code.unreserved().count(),
            code.additional_data_fields().count(),
        );
        let _ = code.validate_strict();
        assert!(brcode::crc::from_hex(&s.as_bytes()[s.len() - 4..]) == Some(code.crc()));
    }
    let _ = brcode::parse_strict(s);
    let _ = PixKey::parse(s);
    let _ = brcode::TaxId::parse(s);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn round_trip(i in input()) {
        let p = build(&i);
        let code = brcode::parse_strict(&p).map_err(|e| TestCaseError::fail(format!("{p}: {e}")))?;
        prop_assert_eq!(code.key(), Some(i.key.as_str()));
        prop_assert_eq!(code.amount_cents(), i.amount);
        prop_assert_eq!(code.merchant_name(), Some(i.name.as_str()));
        prop_assert_eq!(code.merchant_city(), Some(i.city.as_str()));
        prop_assert_eq!(code.txid(), Some(i.txid.as_deref().unwrap_or("***")));
        prop_assert_eq!(code.info(), i.info.as_deref());
        prop_assert_eq!(code.postal_code(), i.cep.as_deref());
        prop_assert_eq!(code.url(), None);
        // Building the parsed code again gives the same payload.
        let again = Input {
            key: code.key().unwrap().to_owned(),
            amount: code.amount_cents(),
            name: code.merchant_name().unwrap().to_owned(),
            city: code.merchant_city().unwrap().to_owned(),
            txid: code.txid().filter(|t| *t != "***").map(str::to_owned),
            info: code.info().map(str::to_owned),
            cep: code.postal_code().map(str::to_owned),
        };
        prop_assert_eq!(build(&again), p);
    }

    #[test]
    fn any_single_byte_change_is_rejected(i in input(), pos in any::<prop::sample::Index>(), byte in 0x20u8..0x7F) {
        let p = build(&i);
        let pos = pos.index(p.len());
        let old = p.as_bytes()[pos];
        prop_assume!(byte != old);
        // The one change that is not an error: a CRC hex letter in the
        // other case, which readers must accept.
        prop_assume!(!(pos >= p.len() - 4 && byte.eq_ignore_ascii_case(&old)));
        let mut bytes = p.clone().into_bytes();
        bytes[pos] = byte;
        let changed = String::from_utf8(bytes).unwrap();
        prop_assert!(brcode::parse(&changed).is_err(), "accepted {}", changed);
    }

    #[test]
    fn parse_never_panics_on_strings(s in any::<String>()) {
        check_no_panic(&s);
    }

    #[test]
    fn parse_never_panics_on_bytes(b in proptest::collection::vec(any::<u8>(), 0..600)) {
        check_no_panic(&String::from_utf8_lossy(&b));
    }

    #[test]
    fn parse_never_panics_on_digit_soup(s in "[0-9]{0,300}") {
        check_no_panic(&s);
    }

    /// Structured input: random TLV fields (some nested, some non-ASCII)
    /// sealed with a good CRC, so the parse gets past the checksum and the
    /// strict rules run.
    #[test]
    fn sealed_random_fields_never_panic(
        fields in proptest::collection::vec((0u8..100, "[ -~é]{0,40}", any::<bool>()), 0..16)
    ) {
        let mut body = String::new();
        for (id, value, nest) in fields {
            let value = if nest {
                format!("0014br.gov.bcb.pix01{:02}{value}", value.len())
            } else {
                value
            };
            if value.len() > 99 { continue; }
            body.push_str(&format!("{id:02}{:02}{value}", value.len()));
        }
        body.push_str("6304");
        let crc = brcode::crc::crc16(body.as_bytes());
        body.push_str(&format!("{crc:04X}"));
        check_no_panic(&body);
        // Sealed, well-formed top level with no stray 63: lenient must accept.
        if brcode::fields(&body).filter(|f| f.id == 63).count() == 1
            && brcode::fields(&body).map(|f| f.value.len() + 4).sum::<usize>() == body.len()
        {
            // Only the first 62 and the first Pix template are read.
            let tlv_ok = |v: &str| brcode::fields(v).map(|g| g.value.len() + 4).sum::<usize>() == v.len();
            let (mut seen_62, mut seen_pix, mut nested_ok) = (false, false, true);
            for f in brcode::fields(&body) {
                if f.id == 62 && !seen_62 {
                    seen_62 = true;
                    nested_ok &= tlv_ok(f.value);
                }
                if (26..=51).contains(&f.id) && !seen_pix && f.value.starts_with("0014br.gov.bcb.pix") {
                    seen_pix = true;
                    nested_ok &= tlv_ok(f.value);
                }
            }
            prop_assert_eq!(brcode::parse(&body).is_ok(), nested_ok, "{}", body);
        }
    }
}
