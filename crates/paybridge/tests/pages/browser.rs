//! The checkout in a real headless Chromium, driven over WebDriver. Fails
//! (never skips) when Chromium or chromedriver is missing:
//! `scripts/install-test-deps` installs them.

use crate::app::spawn_app;
use crate::support::{checkout_path, create_order};
use fantoccini::{ClientBuilder, Locator};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn chromium_binary() -> &'static str {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
        .expect("Chromium is not installed (run scripts/install-test-deps)")
}

async fn start_driver() -> (Driver, fantoccini::Client, tempfile::TempDir) {
    assert!(
        std::path::Path::new(CHROMEDRIVER).exists(),
        "{CHROMEDRIVER} is missing (run scripts/install-test-deps)"
    );
    // fantoccini's connector needs a process-wide rustls provider.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let chromium = chromium_binary();
    let port = free_port();
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let driver = Driver(child);
    let profile = tempfile::tempdir().unwrap();
    let caps = serde_json::json!({
        "goog:chromeOptions": {
            "binary": chromium,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run",
                "--window-size=420,900",
                format!("--user-data-dir={}", profile.path().display()),
            ]
        }
    });
    let caps = match caps {
        serde_json::Value::Object(m) => m,
        _ => unreachable!(),
    };
    let url = format!("http://127.0.0.1:{port}");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    let client = loop {
        match ClientBuilder::rustls()
            .expect("rustls connector")
            .capabilities(caps.clone())
            .connect(&url)
            .await
        {
            Ok(c) => break c,
            Err(e) => {
                assert!(
                    tokio::time::Instant::now() < deadline,
                    "chromedriver did not start a browser: {e}"
                );
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    };
    (driver, client, profile)
}

fn screenshot_path(name: &str) -> PathBuf {
    // CARGO_TARGET_TMPDIR is `<target>/tmp`; keep screenshots next to it.
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .join("test-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[tokio::test]
async fn buyer_pays_in_chromium_and_sees_confirmation() {
    let app = spawn_app().await;
    let order = create_order(&app).await;
    let (_driver, c, _profile) = start_driver().await;
    let result = async {
        c.goto(&format!("{}{}", app.base, checkout_path(&order)))
            .await?;
        let qr = c.find(Locator::Css("figure.qr svg")).await?;
        assert!(qr.is_displayed().await?, "QR code visible");
        let field = c.find(Locator::Id("brcode")).await?;
        let value = field.prop("value").await?.unwrap_or_default();
        assert_eq!(value, order["pix"]["br_code"].as_str().unwrap());
        let status = c.find(Locator::Id("status")).await?;
        assert_eq!(status.text().await?, "Aguardando pagamento");

        c.find(Locator::Id("copy")).await?.click().await?;
        let copied = c.find(Locator::Id("copied")).await?;
        let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
        while copied.text().await? != "Código copiado!" {
            assert!(tokio::time::Instant::now() < deadline, "copy feedback");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }

        c.find(Locator::Css("#simulate button"))
            .await?
            .click()
            .await?;
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        loop {
            let text = status.text().await?;
            if text == "Pagamento confirmado" {
                break;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "page still says {text:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        // No reload happened: the page learned it live and hid the QR itself.
        assert!(
            !c.find(Locator::Id("pix")).await?.is_displayed().await?,
            "QR hidden once paid"
        );
        let png = c.screenshot().await?;
        assert!(png.starts_with(b"\x89PNG"), "screenshot is a PNG");
        let path = screenshot_path("checkout-paid.png");
        std::fs::write(&path, png).unwrap();
        println!("screenshot: {}", path.display());
        Ok::<_, fantoccini::error::CmdError>(())
    }
    .await;
    let _ = c.close().await;
    result.expect("browser steps");
}
