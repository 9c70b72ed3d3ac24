//! Black-box tests of `paybridge brcode …`: the built binary, its stdout,
//! stderr and exit code.

use std::io::Write as _;
use std::process::{Command, Output, Stdio};

const STATIC: &str = "00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-4266554400005204000053039865802BR5913Fulano de Tal6008BRASILIA62070503***63041D3D";
const MULTI: &str = "00020104141234567890123426580014BR.GOV.BCB.PIX0136123e4567-e12b-12d1-a456-42665544000027300012BR.COM.OUTRO011001234567895204000053039865406123.455802BR5917NOME DO RECEBEDOR6008BRASILIA61087007490062190515RP12345678-201980390012BR.COM.OUTRO01190123.ABCD.3456.WXYZ6304AD38";

fn paybridge(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_paybridge"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run paybridge");
    {
        let mut pipe = child.stdin.take().unwrap();
        if let Some(input) = stdin {
            pipe.write_all(input.as_bytes()).unwrap();
        }
    }
    child.wait_with_output().unwrap()
}

fn json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "exit {:?}, stderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

#[test]
fn decode_prints_every_field() {
    let v = json(&paybridge(&["brcode", "decode", STATIC], None));
    assert_eq!(v["payload_format"], "01");
    assert_eq!(v["point_of_initiation"], serde_json::Value::Null);
    assert_eq!(v["gui"], "br.gov.bcb.pix");
    assert_eq!(v["key"], "123e4567-e12b-12d1-a456-426655440000");
    assert_eq!(v["key_type"], "random");
    assert_eq!(v["mcc"], "0000");
    assert_eq!(v["currency"], "986");
    assert_eq!(v["amount"], serde_json::Value::Null);
    assert_eq!(v["country"], "BR");
    assert_eq!(v["merchant_name"], "Fulano de Tal");
    assert_eq!(v["merchant_city"], "BRASILIA");
    assert_eq!(v["txid"], "***");
    assert_eq!(v["crc"], "1D3D");
    assert_eq!(v["unreserved"], serde_json::json!([]));
    for key in [
        "info",
        "fss",
        "url",
        "amount_cents",
        "postal_code",
        "unreserved",
    ] {
        assert!(v.get(key).is_some(), "missing key {key}");
    }
}

#[test]
fn decode_amount_and_kept_fields() {
    let v = json(&paybridge(&["brcode", "decode", MULTI], None));
    assert_eq!(v["amount"], "123.45");
    assert_eq!(v["amount_cents"], 12345);
    assert_eq!(v["postal_code"], "70074900");
    assert_eq!(v["gui"], "BR.GOV.BCB.PIX");
    assert_eq!(v["unreserved"][0]["id"], "80");
    assert_eq!(v["unknown"][1]["id"], "27");
}

#[test]
fn decode_invalid_fails_on_stderr() {
    let bad = STATIC.replace("1D3D", "1D3E");
    let out = paybridge(&["brcode", "decode", &bad], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("CRC mismatch"), "{err}");
}

#[test]
fn decode_strict() {
    // Lenient reads it; strict rejects the '-' in the txid.
    assert!(paybridge(&["brcode", "decode", MULTI], None)
        .status
        .success());
    let out = paybridge(&["brcode", "decode", "--strict", MULTI], None);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("txid (62.05)"), "{err}");
    json(&paybridge(&["brcode", "decode", "--strict", STATIC], None));
}

#[test]
fn decode_from_stdin() {
    let v = json(&paybridge(
        &["brcode", "decode", "-"],
        Some(&format!("{STATIC}\n")),
    ));
    assert_eq!(v["merchant_city"], "BRASILIA");
    let out = paybridge(&["brcode", "decode", "-"], Some(""));
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn encode_static_and_dynamic() {
    let out = paybridge(
        &[
            "brcode",
            "encode",
            "--key",
            "123.456.789-09",
            "--amount-cents",
            "1050",
            "--name",
            "Loja São João",
            "--city",
            "São Paulo",
            "--txid",
            "PEDIDO42",
            "--info",
            "Pedido 42",
        ],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let payload = String::from_utf8(out.stdout).unwrap();
    let payload = payload.trim_end();
    let v = json(&paybridge(&["brcode", "decode", "--strict", payload], None));
    assert_eq!(v["key"], "12345678909");
    assert_eq!(v["key_type"], "cpf");
    assert_eq!(v["amount"], "10.50");
    assert_eq!(v["merchant_name"], "LOJA SAO JOAO");
    assert_eq!(v["merchant_city"], "SAO PAULO");
    assert_eq!(v["txid"], "PEDIDO42");
    assert_eq!(v["info"], "Pedido 42");

    let out = paybridge(
        &[
            "brcode",
            "encode",
            "--url",
            "pix.example.com/qr/v2/abc",
            "--name",
            "Loja",
            "--city",
            "Recife",
        ],
        None,
    );
    let payload = String::from_utf8(out.stdout).unwrap();
    let v = json(&paybridge(
        &["brcode", "decode", "--strict", payload.trim_end()],
        None,
    ));
    assert_eq!(v["url"], "pix.example.com/qr/v2/abc");
    assert_eq!(v["point_of_initiation"], "12");

    let out = paybridge(
        &[
            "brcode",
            "encode",
            "--key",
            "not-a-key",
            "--name",
            "A",
            "--city",
            "B",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid --key"));
}

/// Width and height from the IHDR chunk, which must come first.
fn png_dimensions(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "PNG signature");
    assert_eq!(&bytes[12..16], b"IHDR");
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    (be(&bytes[16..20]), be(&bytes[20..24]))
}

#[test]
fn qr_png_and_svg() {
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("code.png");
    let out = paybridge(
        &["brcode", "qr", STATIC, "--out", png.to_str().unwrap()],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(png_dimensions(&std::fs::read(&png).unwrap()), (512, 512));

    let out = paybridge(
        &[
            "brcode",
            "qr",
            STATIC,
            "--out",
            png.to_str().unwrap(),
            "--size",
            "300",
        ],
        None,
    );
    assert!(out.status.success());
    assert_eq!(png_dimensions(&std::fs::read(&png).unwrap()), (300, 300));

    let svg = dir.path().join("code.svg");
    let out = paybridge(
        &[
            "brcode",
            "qr",
            STATIC,
            "--out",
            svg.to_str().unwrap(),
            "--size",
            "256",
        ],
        None,
    );
    assert!(out.status.success());
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.starts_with("<svg "), "{text}");
    assert!(text.contains(r#"width="256" height="256""#));

    // Invalid payloads and sizes are refused.
    let bad = dir.path().join("bad.png");
    let out = paybridge(
        &["brcode", "qr", "hello", "--out", bad.to_str().unwrap()],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(!bad.exists());
    let out = paybridge(
        &[
            "brcode",
            "qr",
            STATIC,
            "--out",
            bad.to_str().unwrap(),
            "--size",
            "10",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("too small"));
}
