//! The builder's canonical output and its refusals.

use brcode::{BuildError, Builder, PixKey, StrictError};

fn key() -> PixKey {
    PixKey::parse("123e4567-e12b-12d1-a456-426655440000").unwrap()
}

#[test]
fn reproduces_the_manual_static_example() {
    let p = Builder::new_static(key())
        .merchant_name("Fulano de Tal")
        .merchant_city("BRASILIA")
        .build()
        .unwrap();
    // Same as the manual's example except the name, which is upper-cased.
    assert_eq!(
        p,
        "00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-4266554400005204000053039865802BR5913FULANO DE TAL6008BRASILIA62070503***6304".to_owned()
            + &format!("{:04X}", brcode::crc::crc16(&p.as_bytes()[..p.len() - 4]))
    );
    assert!(brcode::parse_strict(&p).is_ok());
}

#[test]
fn reproduces_the_manual_dynamic_example() {
    let p = Builder::new_dynamic("pix.example.com/8b3da2f39a4140d1a91abd93113bd441")
        .merchant_name("Fulano de Tal")
        .merchant_city("BRASILIA")
        .build()
        .unwrap();
    let code = brcode::parse_strict(&p).unwrap();
    assert_eq!(code.point_of_initiation(), Some("12"));
    assert_eq!(
        code.url(),
        Some("pix.example.com/8b3da2f39a4140d1a91abd93113bd441")
    );
    assert_eq!(code.key(), None);
}

#[test]
fn canonical_fields() {
    let p = Builder::new_static(PixKey::parse("thalesog@me.com").unwrap())
        .amount_cents(1005)
        .merchant_name("  Thalês Ogliari da Conceição Júnior  ")
        .merchant_city("São Miguel do Oeste")
        .txid("Pedido123")
        .info("Pedido nº 123")
        .postal_code("89900000")
        .build()
        .unwrap();
    let code = brcode::parse_strict(&p).unwrap();
    assert_eq!(code.amount(), Some("10.05"));
    assert_eq!(code.merchant_name(), Some("THALES OGLIARI DA CONCEIC"));
    assert_eq!(code.merchant_city(), Some("SAO MIGUEL DO O"));
    assert_eq!(code.txid(), Some("Pedido123"));
    assert_eq!(code.info(), Some("Pedido n 123"));
    assert_eq!(code.postal_code(), Some("89900000"));
    assert!(p.ends_with(&format!("{:04X}", code.crc())));
}

#[test]
fn refusals() {
    let b = || {
        Builder::new_static(key())
            .merchant_name("A")
            .merchant_city("B")
    };
    assert_eq!(
        Builder::new_static(key()).merchant_city("B").build(),
        Err(BuildError::MissingMerchantName)
    );
    assert_eq!(
        Builder::new_static(key())
            .merchant_name("€")
            .merchant_city("B")
            .build(),
        Err(BuildError::MissingMerchantName)
    );
    assert_eq!(
        Builder::new_static(key()).merchant_name("A").build(),
        Err(BuildError::MissingMerchantCity)
    );
    assert_eq!(b().amount_cents(0).build(), Err(BuildError::AmountZero));
    assert!(b().amount_cents(999_999_999_999).build().is_ok());
    assert_eq!(
        b().amount_cents(1_000_000_000_000).build(),
        Err(BuildError::AmountTooLarge {
            cents: 1_000_000_000_000,
            max: 999_999_999_999
        })
    );
    assert_eq!(
        b().txid("a-b").build(),
        Err(BuildError::Txid(StrictError::TxidInvalidChar {
            ch: '-',
            position: 1
        }))
    );
    assert!(b().txid(&"a".repeat(25)).build().is_ok());
    assert_eq!(
        b().txid(&"a".repeat(26)).build(),
        Err(BuildError::Txid(StrictError::TxidTooLong {
            len: 26,
            max: 25
        }))
    );
    assert!(matches!(b().txid("").build(), Err(BuildError::Txid(_))));
    assert_eq!(
        b().postal_code("12345678901").build(),
        Err(BuildError::PostalCode { len: 11, max: 10 })
    );
    // 18 (GUI) + 40 (key) + 4 + 37 = 99 fits; one more does not.
    assert!(b().info(&"i".repeat(37)).build().is_ok());
    assert_eq!(
        b().info(&"i".repeat(38)).build(),
        Err(BuildError::PixTemplateTooLong { len: 100, max: 99 })
    );
    assert!(matches!(
        Builder::new_dynamic("https://pix.example.com/x")
            .merchant_name("A")
            .merchant_city("B")
            .build(),
        Err(BuildError::UrlHasScheme(_))
    ));
    assert_eq!(
        Builder::new_dynamic("")
            .merchant_name("A")
            .merchant_city("B")
            .build(),
        Err(BuildError::UrlInvalid)
    );
    // Dynamic codes may carry a zero amount.
    assert!(Builder::new_dynamic("pix.example.com/x")
        .merchant_name("A")
        .merchant_city("B")
        .amount_cents(0)
        .build()
        .is_ok());
}

#[test]
fn single_use_flag() {
    let p = Builder::new_static(key())
        .merchant_name("A")
        .merchant_city("B")
        .single_use(false)
        .build()
        .unwrap();
    assert_eq!(brcode::parse(&p).unwrap().point_of_initiation(), Some("11"));
}
