//! `paybridge webhook verify` and `paybridge woovi` run as a real binary.

use std::process::Command;

fn shared(rel: &str) -> String {
    format!(
        "{}/../../../shared/providers/woovi/{rel}",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn signature() -> String {
    std::fs::read_to_string(shared("signature-vectors/docs-example.x-webhook-signature"))
        .unwrap()
        .trim()
        .to_owned()
}

fn verify(body: &str, sig: &str, extra: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_paybridge"))
        .args([
            "webhook",
            "verify",
            "--provider",
            "woovi",
            "--body",
            body,
            "--signature",
            sig,
        ])
        .args(extra)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn temp_file(name: &str, bytes: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("paybridge-cli-webhook-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn real_signed_webhook_is_valid() {
    let (code, out) = verify(
        &shared("signature-vectors/docs-example.body"),
        &signature(),
        &[],
    );
    assert_eq!(code, 0, "{out}");
    assert_eq!(out.trim(), "valid");
    // Same, with the key given explicitly and the signature read from a file.
    let sig_file = format!(
        "@{}",
        shared("signature-vectors/docs-example.x-webhook-signature")
    );
    let (code, out) = verify(
        &shared("signature-vectors/docs-example.body"),
        &sig_file,
        &["--public-key", &shared("webhook-public-key.pem")],
    );
    assert_eq!((code, out.trim()), (0, "valid"));
}

#[test]
fn tampered_body_is_invalid() {
    let mut body = std::fs::read(shared("signature-vectors/docs-example.body")).unwrap();
    let pos = body.windows(4).position(|w| w == b"1000").unwrap();
    body[pos] = b'9'; // "value": 9000 instead of 1000
    let path = temp_file("tampered.body", &body);
    let (code, out) = verify(&path, &signature(), &[]);
    assert_eq!(code, 1);
    assert!(out.starts_with("invalid:"), "{out}");
    assert!(out.contains("does not match"), "{out}");
}

#[test]
fn malformed_signatures_are_invalid_with_reasons() {
    let body = shared("signature-vectors/docs-example.body");
    let mut sig = signature();
    let first = sig.remove(0);
    sig.insert(0, if first == 'A' { 'B' } else { 'A' });
    let (code, out) = verify(&body, &sig, &[]);
    assert_eq!(code, 1, "{out}");
    let (code, out) = verify(&body, "", &[]);
    assert_eq!(code, 1);
    assert!(out.contains("empty"), "{out}");
    let (code, out) = verify(&body, "***", &[]);
    assert_eq!(code, 1);
    assert!(out.contains("base64"), "{out}");
    let (code, out) = verify(&body, "AAAA", &[]);
    assert_eq!(code, 1);
    assert!(out.contains("bytes"), "{out}");
}

#[test]
fn a_different_key_rejects_the_real_webhook() {
    // A syntactically valid RSA key that is not Woovi's: a 2048-bit key cannot
    // have produced a 128-byte signature.
    let other = "-----BEGIN PUBLIC KEY-----\n\
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo\n\
4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u\n\
+qKhbwKfBstIs+bMY2Zkp18gnTxKLxoS2tFczGkPLPgizskuemMghRniWaoLcyeh\n\
kd3qqGElvW/VDL5AaWTg0nLVkjRo9z+40RQzuVaE8AkAFmxZzow3x+VJYKdjykkJ\n\
0iT9wCS0DRTXu269V264Vf/3jvredZiKRkgwlL9xNAwxXFg0x/XFw005UWVRIkdg\n\
cKWTjpBP2dPwVZ4WWC+9aGVd+Gyn1o0CLelf4rEjGoXbAAEgAqeGUxrcIlbjXfbc\n\
mwIDAQAB\n\
-----END PUBLIC KEY-----\n";
    let key = temp_file("other.pem", other.as_bytes());
    let (code, out) = verify(
        &shared("signature-vectors/docs-example.body"),
        &signature(),
        &["--public-key", &key],
    );
    assert_eq!(code, 1, "{out}");
    assert!(out.starts_with("invalid:"), "{out}");
}

#[test]
fn woovi_subcommand_needs_an_app_id_and_never_prints_it() {
    let out = Command::new(env!("CARGO_BIN_EXE_paybridge"))
        .args(["woovi", "charge", "get", "x"])
        .env_remove("WOOVI_APP_ID")
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(0));
    // Unreachable base URL: fails with a transport error, and the appID is not echoed.
    let out = Command::new(env!("CARGO_BIN_EXE_paybridge"))
        .args([
            "woovi",
            "--base-url",
            "http://127.0.0.1:9",
            "charge",
            "list",
            "--status",
            "ACTIVE",
        ])
        .env("WOOVI_APP_ID", "very-secret-app-id")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!all.contains("very-secret-app-id"), "{all}");
    assert!(all.contains("transport"), "{all}");
}
