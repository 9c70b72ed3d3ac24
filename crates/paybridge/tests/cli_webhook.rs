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

/// A minimal HTTP/1.1 server on a thread: answers each request with
/// `respond(request_line, headers_and_body)` and records what it received.
fn serve(respond: fn(&str) -> String) -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { return };
            let log = log.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut writer = stream;
                loop {
                    let mut head = String::new();
                    let mut len = 0usize;
                    loop {
                        let mut line = String::new();
                        if reader.read_line(&mut line).unwrap_or(0) == 0 {
                            return;
                        }
                        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                            len = v.trim().parse().unwrap();
                        }
                        let end = line == "\r\n";
                        head.push_str(&line);
                        if end {
                            break;
                        }
                    }
                    let mut body = vec![0u8; len];
                    reader.read_exact(&mut body).unwrap();
                    let request = format!("{head}{}", String::from_utf8_lossy(&body));
                    let answer = respond(&request);
                    log.lock().unwrap().push(request);
                    let reply = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{answer}",
                        answer.len()
                    );
                    writer.write_all(reply.as_bytes()).unwrap();
                }
            });
        }
    });
    (format!("http://{addr}/prefix"), seen)
}

fn woovi_cli(base: &str, args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_paybridge"))
        .args(["woovi", "--base-url", base])
        .args(args)
        .env("WOOVI_APP_ID", "cli-app-id")
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[test]
fn woovi_charge_create_sends_the_appid_and_prints_json() {
    let (base, seen) = serve(|_| {
        r#"{"charge":{"correlationID":"order-9","value":100,"status":"ACTIVE"},"brCode":"000201"}"#
            .into()
    });
    let (code, out) = woovi_cli(
        &base,
        &[
            "charge",
            "create",
            "--value",
            "100",
            "--correlation-id",
            "order-9",
        ],
    );
    assert_eq!(code, 0, "{out}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["charge"]["correlationID"], "order-9");
    let req = seen.lock().unwrap()[0].clone();
    assert!(
        req.starts_with("POST /prefix/api/v1/charge?return_existing=true "),
        "{req}"
    );
    assert!(
        req.to_ascii_lowercase()
            .contains("authorization: cli-app-id\r\n"),
        "{req}"
    );
    assert!(
        req.contains(r#""correlationID":"order-9""#) && req.contains(r#""value":100"#),
        "{req}"
    );
}

#[test]
fn woovi_charge_list_all_walks_the_pages() {
    let (base, seen) = serve(|req| {
        if req.contains("skip=0") {
            r#"{"pageInfo":{"totalCount":3,"hasNextPage":true},"charges":[{"value":1},{"value":2}]}"#.into()
        } else {
            r#"{"pageInfo":{"totalCount":3,"hasNextPage":false},"charges":[{"value":3}]}"#.into()
        }
    });
    let (code, out) = woovi_cli(&base, &["charge", "list", "--status", "ACTIVE", "--all"]);
    assert_eq!(code, 0, "{out}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let values: Vec<i64> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["value"].as_i64().unwrap())
        .collect();
    assert_eq!(values, vec![1, 2, 3]);
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 2);
    assert!(
        seen[0].starts_with("GET /prefix/api/v1/charge?status=ACTIVE&skip=0 "),
        "{}",
        seen[0]
    );
    assert!(
        seen[1].starts_with("GET /prefix/api/v1/charge?status=ACTIVE&skip=2 "),
        "{}",
        seen[1]
    );
}
