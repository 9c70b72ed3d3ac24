//! A bad configuration stops start-up with one line naming the setting.

use std::process::Command;

fn serve_with(env: &[(&str, &str)]) -> (bool, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_paybridge"));
    cmd.arg("serve")
        .current_dir(dir.path())
        .env("RUST_LOG", "off");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn bad_settings_are_named_in_one_line() {
    let cases = [
        ("PAYBRIDGE_ADDR", "not-an-address"),
        ("PAYBRIDGE_DATABASE_URL", "postgres://localhost"),
        ("PAYBRIDGE_PUBLIC_URL", "ftp://example.com"),
        ("PAYBRIDGE_RECONCILE_AFTER_SECS", "ten"),
        ("PAYBRIDGE_WOOVI_PUBLIC_KEYS", "/does/not/exist.pem"),
    ];
    for (key, value) in cases {
        let (ok, stderr) = serve_with(&[(key, value)]);
        assert!(!ok, "{key}={value} must stop start-up");
        let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
        assert_eq!(lines.len(), 1, "{key}: {stderr}");
        assert!(lines[0].contains(key), "{key}: {stderr}");
    }
}
