//! Load generator: sends signed Woovi `OPENPIX:CHARGE_COMPLETED` webhooks to a
//! running paybridge at a target rate, reports throughput and latency
//! percentiles, then checks that every delivery answered 200 has its inbox row.
//!
//! ```text
//! cargo run --release -p paybridge --example webhook_load -- \
//!   --url http://127.0.0.1:8080 --key DATA_DIR/sandbox/webhook-signing-key.pem \
//!   --database-url sqlite://DATA_DIR/paybridge.db --rate 2000 --seconds 10 [--pid PID]
//! ```
//! `--database-url postgres://…` checks a PostgreSQL database instead (the
//! key is then the separate sandbox's: `SANDBOX_DATA/webhook-signing-key.pem`);
//! several `--url`s spread the load over several nodes in turn.
//! The key is the embedded sandbox's signing key, so paybridge verifies the
//! signatures exactly as it verifies the sandbox's own deliveries.
//!
//! Without `--api-key` the bodies name orders that do not exist (verify +
//! inbox commit only). With `--api-key` it first creates one real order per
//! webhook through the store API, and each webhook then pays its order: the
//! full path (order lookup, payment, status change, timeline, outbox), and
//! the final check also requires every acknowledged order to be `paid`.

use base64::Engine;
use clap::Parser;
use rsa::pkcs8::DecodePrivateKey;
use rsa::signature::{SignatureEncoding, Signer};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Parser)]
struct Args {
    /// paybridge base URL; repeat for several nodes (requests go round-robin).
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    url: Vec<String>,
    /// PKCS#8 PEM private key the bodies are signed with.
    #[arg(long)]
    key: std::path::PathBuf,
    /// paybridge's database (`sqlite://FILE` or `postgres://…`), for the final check.
    #[arg(long)]
    database_url: String,
    /// Webhooks per second.
    #[arg(long, default_value_t = 2000)]
    rate: u64,
    /// Duration of the run.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Requests in flight at most.
    #[arg(long, default_value_t = 256)]
    concurrency: usize,
    /// paybridge's process id, to report its RSS.
    #[arg(long)]
    pid: Option<u32>,
    /// Store API key: create a real order for every webhook first.
    #[arg(long)]
    api_key: Option<String>,
}

/// Creates `n` orders of R$ 10,00 and returns their correlationIDs.
async fn create_orders(
    http: &reqwest::Client,
    base: &str,
    api_key: &str,
    n: u64,
) -> anyhow::Result<Vec<String>> {
    let started = Instant::now();
    let sem = Arc::new(tokio::sync::Semaphore::new(32));
    let mut tasks = Vec::with_capacity(n as usize);
    for i in 0..n {
        let permit = sem.clone().acquire_owned().await?;
        let (http, url, key) = (
            http.clone(),
            format!("{base}/api/v1/orders"),
            api_key.to_owned(),
        );
        tasks.push(tokio::spawn(async move {
            let res = http
                .post(url)
                .bearer_auth(key)
                .json(&serde_json::json!({
                    "amount": 1000,
                    "reference": format!("load-{i}"),
                    "customer": { "name": "Carga de Teste", "email": format!("carga{i}@example.com") }
                }))
                .send()
                .await?;
            drop(permit);
            anyhow::ensure!(res.status() == 201, "order create answered {}", res.status());
            let order: serde_json::Value = res.json().await?;
            Ok::<_, anyhow::Error>(order["correlation_id"].as_str().unwrap_or_default().to_owned())
        }));
    }
    let mut ids = Vec::with_capacity(n as usize);
    for t in tasks {
        ids.push(t.await??);
    }
    println!(
        "created {n} orders in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(ids)
}

fn rss(pid: u32) -> String {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    s.lines()
        .filter(|l| l.starts_with("VmRSS") || l.starts_with("VmHWM"))
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join(", ")
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    if let Some(pid) = args.pid {
        println!("paybridge before: {}", rss(pid));
    }
    let key = rsa::RsaPrivateKey::from_pkcs8_pem(&std::fs::read_to_string(&args.key)?)?;
    let signer = rsa::pkcs1v15::SigningKey::<rsa::sha2::Sha256>::new(key);
    let total = args.rate * args.seconds;
    let run = uuid::Uuid::new_v4().simple().to_string();
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(args.concurrency)
        .build()?;
    let bases: Vec<String> = args
        .url
        .iter()
        .map(|u| u.trim_end_matches('/').to_owned())
        .collect();
    let orders = match &args.api_key {
        Some(key) => Some(create_orders(&http, &bases[0], key, total).await?),
        None => None,
    };
    let bodies: Vec<(String, bytes::Bytes, String)> = (0..total)
        .map(|i| {
            let e2e = format!("E{}{i:010}", &run[..20]);
            let body = serde_json::to_vec(&serde_json::json!({
                "event": "OPENPIX:CHARGE_COMPLETED",
                "charge": {
                    "correlationID": orders.as_ref().map_or_else(|| format!("load-{run}-{i}"), |o| o[i as usize].clone()),
                    "value": 1000,
                    "status": "COMPLETED"
                },
                "pix": { "endToEndId": e2e, "value": 1000, "time": "2026-01-01T12:00:00.000Z" }
            }))
            .expect("json");
            let sig = base64::engine::general_purpose::STANDARD.encode(signer.sign(&body).to_bytes());
            (e2e, bytes::Bytes::from(body), sig)
        })
        .collect();
    println!(
        "signed {total} bodies; sending at {}/s for {} s",
        args.rate, args.seconds
    );

    let urls: Vec<String> = bases
        .iter()
        .map(|b| format!("{b}/webhooks/woovi"))
        .collect();
    let sem = Arc::new(tokio::sync::Semaphore::new(args.concurrency));
    let mut tasks = Vec::with_capacity(total as usize);
    let start = Instant::now();
    let mut peak = String::new();
    for (i, (e2e, body, sig)) in bodies.into_iter().enumerate() {
        // Open loop: request i is due at i / rate seconds.
        let due = start + Duration::from_secs_f64(i as f64 / args.rate as f64);
        if let Some(wait) = due.checked_duration_since(Instant::now()) {
            tokio::time::sleep(wait).await;
        }
        if i % (args.rate as usize).max(1) == 0 {
            if let Some(pid) = args.pid {
                peak = rss(pid);
            }
        }
        let permit = sem.clone().acquire_owned().await?;
        let (http, url) = (http.clone(), urls[i % urls.len()].clone());
        tasks.push(tokio::spawn(async move {
            let t = Instant::now();
            let res = http
                .post(&url)
                .header("content-type", "application/json")
                .header("x-webhook-signature", sig)
                .body(body)
                .send()
                .await;
            drop(permit);
            let ok = matches!(&res, Ok(r) if r.status() == 200);
            (e2e, ok, t.elapsed())
        }));
    }
    let mut lat = Vec::with_capacity(tasks.len());
    let mut accepted = Vec::new();
    let mut failed = 0usize;
    for t in tasks {
        let (e2e, ok, d) = t.await?;
        lat.push(d);
        if ok {
            accepted.push(e2e);
        } else {
            failed += 1;
        }
    }
    let elapsed = start.elapsed();
    lat.sort();
    let pct = |p: f64| lat[((lat.len() as f64 - 1.0) * p) as usize];
    println!(
        "sent {total} in {:.2} s = {:.0}/s; 200: {}, other/failed: {failed}",
        elapsed.as_secs_f64(),
        total as f64 / elapsed.as_secs_f64(),
        accepted.len()
    );
    println!(
        "latency p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        pct(0.50).as_secs_f64() * 1e3,
        pct(0.99).as_secs_f64() * 1e3,
        lat[lat.len() - 1].as_secs_f64() * 1e3
    );
    if let Some(pid) = args.pid {
        println!("paybridge during run (last sample): {peak}");
        println!("paybridge after: {}", rss(pid));
    }

    let db = Checked::connect(&args.database_url).await?;
    let mut missing = 0usize;
    for e2e in &accepted {
        let n = db
            .count(
                "SELECT COUNT(*) FROM inbox WHERE provider = 'woovi' AND dedupe_key = $1",
                &format!("CHARGE_COMPLETED:{e2e}"),
            )
            .await?;
        if n != 1 {
            missing += 1;
        }
    }
    println!(
        "database: {} of {} acknowledged webhooks found in the inbox ({missing} missing)",
        accepted.len() - missing,
        accepted.len()
    );
    if orders.is_some() {
        let paid = db
            .count(
                "SELECT COUNT(*) FROM orders o JOIN payments p ON p.order_id = o.id \
                 WHERE o.status = 'paid' AND p.end_to_end_id LIKE $1",
                &format!("E{}%", &run[..20]),
            )
            .await?;
        println!(
            "database: {paid} orders paid by this run ({} acknowledged)",
            accepted.len()
        );
        if paid as usize != accepted.len() {
            missing += accepted.len().abs_diff(paid as usize);
        }
    }
    if missing > 0 || failed > 0 {
        std::process::exit(1);
    }
    Ok(())
}

/// The database the final check reads (read-only for SQLite).
enum Checked {
    Sqlite(sqlx::SqlitePool),
    Postgres(sqlx::PgPool),
}

impl Checked {
    async fn connect(url: &str) -> anyhow::Result<Checked> {
        Ok(if url.starts_with("postgres") {
            Checked::Postgres(sqlx::PgPool::connect(url).await?)
        } else {
            let path = url.trim_start_matches("sqlite://");
            Checked::Sqlite(sqlx::SqlitePool::connect(&format!("sqlite://{path}?mode=ro")).await?)
        })
    }

    /// `SELECT COUNT(*) … $1` with one text argument (SQLite reads `$1` too).
    async fn count(&self, sql: &str, arg: &str) -> anyhow::Result<i64> {
        Ok(match self {
            Checked::Sqlite(p) => sqlx::query_scalar(sql).bind(arg).fetch_one(p).await?,
            Checked::Postgres(p) => sqlx::query_scalar(sql).bind(arg).fetch_one(p).await?,
        })
    }
}
