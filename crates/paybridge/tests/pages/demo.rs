//! `paybridge demo` as a black box: the real binary, exit code and step lines.

use std::process::Command;
use std::time::{Duration, Instant};

#[test]
fn demo_walks_through_and_ends_paid() {
    let started = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_paybridge"))
        .arg("demo")
        .env("RUST_LOG", "warn")
        .output()
        .expect("binary runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "exit {:?}\n{stdout}\n{stderr}",
        out.status
    );
    for n in 1..=5 {
        assert!(stdout.contains(&format!("[{n}/5] ")), "step {n}: {stdout}");
    }
    assert!(stdout.contains("/pay/"), "checkout URL: {stdout}");
    assert!(
        stdout.contains("Pix copia e cola: 000201"),
        "BR code: {stdout}"
    );
    assert!(stdout.contains("R$ 49,90"), "{stdout}");
    assert!(stdout.contains("is paid"), "{stdout}");
    assert!(started.elapsed() < Duration::from_secs(30));
}
