//! Woovi's official Node SDK (`@woovi/node-sdk`) works against the sandbox.
//! Needs `node` and `npm ci` in `tests/node` (scripts/install-test-deps);
//! fails, never skips, when either is missing.

mod common;

use common::{spawn, APP_ID};
use std::path::PathBuf;

#[tokio::test]
async fn official_node_sdk_creates_gets_and_lists_charges_and_customers() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/node");
    assert!(
        dir.join("node_modules/@woovi/node-sdk/package.json")
            .exists(),
        "@woovi/node-sdk is not installed: run `npm ci` in {}",
        dir.display()
    );
    let sb = spawn().await;
    let output = tokio::process::Command::new("node")
        .arg("check.mjs")
        .current_dir(&dir)
        .env("WOOVI_SANDBOX_URL", &sb.base)
        .env("WOOVI_APP_ID", APP_ID)
        .output()
        .await
        .expect("`node` must be installed to run this test");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "node check.mjs failed\nstdout: {stdout}\nstderr: {stderr}"
    );
    let summary: serde_json::Value =
        serde_json::from_str(stdout.trim().lines().last().unwrap_or("")).unwrap();
    assert_eq!(summary["ok"], true);

    // What the SDK created is really in the sandbox.
    let charge = summary["charge"].as_str().unwrap();
    let (status, body) = sb.get(&format!("/api/v1/charge/{charge}")).await;
    assert_eq!(status, 200);
    assert_eq!(body["charge"]["value"], 1234);
    let customer = summary["customer"].as_str().unwrap();
    let (status, _) = sb.get(&format!("/api/v1/customer/{customer}")).await;
    assert_eq!(status, 200);
}
