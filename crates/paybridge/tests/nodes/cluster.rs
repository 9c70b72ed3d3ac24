//! Several real `paybridge serve` processes on one PostgreSQL database and
//! one real `paybridge sandbox`, as an operator would run them.

use crate::backend;
use paybridge::config::PgUrl;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const API_KEY: &str = "nodes-test-api-key-0123456789";
pub const APP_ID: &str = "nodes-test-app-id";
/// The address buyers see, shared by every node (a load balancer's in
/// production), so every node answers the same checkout links.
pub const PUBLIC_URL: &str = "https://pay.shop.example";

/// A child process, killed (SIGKILL) when dropped.
pub struct Proc(pub Child);

impl Drop for Proc {
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

async fn wait_healthy(url: &str, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while reqwest::get(url).await.map(|r| r.status().as_u16()).ok() != Some(200) {
        assert!(Instant::now() < deadline, "{what} did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Held (shared) by every test that uses the PostgreSQL server, and
/// (alone) by the test that restarts it.
pub static SERVER: tokio::sync::RwLock<()> = tokio::sync::RwLock::const_new(());

/// One database, one sandbox, and the nodes started on them.
pub struct Cluster {
    pub database: PgUrl,
    pub sandbox_url: String,
    pub dir: tempfile::TempDir,
    _sandbox: Proc,
    _server: Option<tokio::sync::RwLockReadGuard<'static, ()>>,
}

/// One `paybridge serve` node.
pub struct Node {
    pub name: String,
    pub base: String,
    pub log: PathBuf,
    pub proc: Proc,
}

impl Cluster {
    /// A fresh database and a sandbox (webhooks sent 50 ms after a payment).
    pub async fn start() -> Cluster {
        let guard = SERVER.read().await;
        let mut c = Self::start_unguarded().await;
        c._server = Some(guard);
        c
    }

    /// Like [`Cluster::start`], for the test that holds [`SERVER`] itself.
    pub async fn start_unguarded() -> Cluster {
        let admin = backend::postgres_admin_url().expect(
            "the multi-node tests need PostgreSQL: PAYBRIDGE_TEST_POSTGRES_URL is set by ./scripts/test-all",
        );
        let database = backend::fresh_postgres_database(&admin).await;
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let sandbox_url = format!("http://127.0.0.1:{port}");
        let sandbox = Proc(
            Command::new(env!("CARGO_BIN_EXE_paybridge"))
                .args([
                    "sandbox",
                    "--addr",
                    &format!("127.0.0.1:{port}"),
                    "--app-id",
                    APP_ID,
                ])
                .arg("--data-dir")
                .arg(dir.path().join("sandbox"))
                .args(["--webhook-base-delay-ms", "50"])
                .env("RUST_LOG", "off")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap(),
        );
        wait_healthy(
            &format!("{sandbox_url}/api/v1/webhook/public-keys"),
            "the sandbox",
        )
        .await;
        Cluster {
            database,
            sandbox_url,
            dir,
            _sandbox: sandbox,
            _server: None,
        }
    }

    /// Starts a node named `name` (its own data dir and port, the shared
    /// [`PUBLIC_URL`]) with `env` on top.
    pub async fn node(&self, name: &str, env: &[(&str, &str)]) -> Node {
        self.node_on(name, free_port(), env).await
    }

    /// Like [`Cluster::node`] on a given port (a restart keeps its address).
    pub async fn node_on(&self, name: &str, port: u16, env: &[(&str, &str)]) -> Node {
        let data = self.dir.path().join(name);
        std::fs::create_dir_all(&data).unwrap();
        let log = data.join("stderr.log");
        let base = format!("http://127.0.0.1:{port}");
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_paybridge"));
        cmd.arg("serve")
            .current_dir(&data)
            .env("RUST_LOG", "info")
            .env("PAYBRIDGE_ADDR", format!("127.0.0.1:{port}"))
            .env("PAYBRIDGE_DATA_DIR", &data)
            .env("PAYBRIDGE_DATABASE_URL", self.database.expose())
            .env("PAYBRIDGE_SECRET_KEY", backend::SECRET_KEY)
            .env("PAYBRIDGE_API_KEY", API_KEY)
            .env("PAYBRIDGE_PUBLIC_URL", PUBLIC_URL)
            .env("PAYBRIDGE_WOOVI_BASE_URL", &self.sandbox_url)
            .env("PAYBRIDGE_WOOVI_APP_ID", APP_ID)
            .env("PAYBRIDGE_OUTBOUND_ALLOW_PRIVATE", "true")
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::from(std::fs::File::create(&log).unwrap()));
        let proc = Proc(cmd.spawn().unwrap());
        wait_healthy(&format!("{base}/healthz"), name).await;
        Node {
            name: name.to_owned(),
            base,
            log,
            proc,
        }
    }

    /// The sandbox's webhook signing key.
    pub fn signing_key(&self) -> rsa::RsaPrivateKey {
        use rsa::pkcs8::DecodePrivateKey;
        let pem = std::fs::read_to_string(self.dir.path().join("sandbox/webhook-signing-key.pem"))
            .unwrap();
        rsa::RsaPrivateKey::from_pkcs8_pem(&pem).unwrap()
    }

    /// Points the sandbox's webhooks at `node` (`paybridge woovi webhook setup`).
    pub async fn send_webhooks_to(&self, node: &Node) {
        let client = woovi::Client::builder(APP_ID)
            .base_url(&self.sandbox_url)
            .build()
            .unwrap();
        let url = format!("{}/webhooks/woovi", node.base);
        for event in paybridge::startup::WEBHOOK_EVENTS {
            paybridge::gateway::ensure_webhook(&client, event, &url)
                .await
                .unwrap();
        }
    }

    /// Pays a charge at the sandbox (its webhook goes wherever it is registered).
    pub async fn pay(&self, correlation_id: &str) {
        let res = reqwest::Client::new()
            .post(format!(
                "{}/openpix/testing?correlationID={correlation_id}",
                self.sandbox_url
            ))
            .header("Authorization", APP_ID)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "sandbox payment");
    }

    /// The database, opened beside the nodes.
    pub async fn db(&self) -> sqlx::PgPool {
        sqlx::PgPool::connect(self.database.expose()).await.unwrap()
    }
}

impl Node {
    /// The node's log so far.
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// SIGKILLs the node.
    pub fn kill(&mut self) {
        self.proc.0.kill().unwrap();
        self.proc.0.wait().unwrap();
    }

    /// Sends `body` (none for GET) with the API key; status and JSON.
    pub async fn api(
        &self,
        method: &str,
        path: &str,
        body: &serde_json::Value,
    ) -> (u16, serde_json::Value) {
        let http = reqwest::Client::new();
        let req = http
            .request(method.parse().unwrap(), format!("{}{path}", self.base))
            .bearer_auth(API_KEY);
        let req = if body.is_null() { req } else { req.json(body) };
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(serde_json::Value::Null))
    }

    /// Creates an order (asserts 201); its JSON.
    pub async fn create_order(&self, reference: &str, amount: i64) -> serde_json::Value {
        let (s, v) = self
            .api(
                "POST",
                "/api/v1/orders",
                &serde_json::json!({
                    "reference": reference,
                    "amount": amount,
                    "customer": { "name": "Ana Souza", "email": "ana@example.com", "tax_id": "290.948.480-74" }
                }),
            )
            .await;
        assert_eq!(s, 201, "{v}");
        v
    }
}

/// base64 RSA-SHA256 of `body`, as Woovi's `x-webhook-signature`.
pub fn sign(key: &rsa::RsaPrivateKey, body: &[u8]) -> String {
    use base64::Engine;
    use rsa::signature::{SignatureEncoding, Signer};
    let sk = rsa::pkcs1v15::SigningKey::<rsa::sha2::Sha256>::new(key.clone());
    base64::engine::general_purpose::STANDARD.encode(sk.sign(body).to_bytes())
}

/// A Woovi `OPENPIX:CHARGE_COMPLETED` body for `correlation_id`.
pub fn completed_body(correlation_id: &str, end_to_end_id: &str, value: i64) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "event": "OPENPIX:CHARGE_COMPLETED",
        "charge": { "correlationID": correlation_id, "value": value, "status": "COMPLETED" },
        "pix": { "endToEndId": end_to_end_id, "value": value, "time": "2026-01-01T12:00:00.000Z" }
    }))
    .unwrap()
}

/// Polls `check` every 50 ms for up to `secs` seconds.
pub async fn eventually<F, Fut>(secs: u64, what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !check().await {
        assert!(
            Instant::now() < deadline,
            "timed out after {secs} s waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
