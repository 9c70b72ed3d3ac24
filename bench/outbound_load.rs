//! Outbound webhook benchmark: the real dispatcher (same store, signing,
//! client and SQLite settings as `paybridge serve`) delivering to a fast
//! local receiver.
//!
//! 1. Backlog: `--backlog` orders are committed (one `order.created` event
//!    each) before the dispatcher starts; reports deliveries per second until
//!    the receiver has all of them.
//! 2. Not backlogged: `--rate` orders per second for `--seconds`; reports the
//!    p50/p99/max time from the order's commit returning to the receiver
//!    getting its event (an upper bound of commit → first attempt).
//!
//! ```text
//! cargo run --release -p paybridge --example outbound_load -- --backlog 5000 --rate 200 --seconds 10
//! ```

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use clap::Parser;
use paybridge::config::DatabaseLocation;
use paybridge::domain::{Cents, CorrelationId, Customer, PersonName};
use paybridge::outbound::event_type::EventSelection;
use paybridge::outbound::signing::SigningKey;
use paybridge::outbound::{Outbound, OutboundConfig};
use paybridge::store::webhook_endpoints::{new_endpoint_id, NewEndpoint};
use paybridge::store::{NewOrder, Store};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Parser)]
struct Args {
    /// Events committed before the dispatcher starts.
    #[arg(long, default_value_t = 5000)]
    backlog: usize,
    /// Orders per second in the latency phase.
    #[arg(long, default_value_t = 200)]
    rate: u64,
    /// Length of the latency phase.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
}

#[derive(Default)]
struct Seen {
    arrivals: HashMap<String, Instant>,
}

async fn hook(State(seen): State<Arc<Mutex<Seen>>>, body: Bytes) -> StatusCode {
    let at = Instant::now();
    let v: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
    if let Some(id) = v["data"]["id"].as_str() {
        seen.lock()
            .unwrap()
            .arrivals
            .entry(id.to_owned())
            .or_insert(at);
    }
    StatusCode::NO_CONTENT
}

fn new_order(i: usize) -> NewOrder {
    NewOrder {
        correlation_id: CorrelationId::generate(),
        amount: Cents::positive(1500).unwrap(),
        customer: Customer {
            name: PersonName::parse("Ana Souza").unwrap(),
            email: None,
            tax_id: None,
            phone: None,
            age: None,
        },
        reference: Some(format!("BENCH-{i}")),
        items: None,
        metadata: None,
        idempotency_key: None,
        request_hash: String::new(),
        expires_in: 3600,
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let dir = tempfile::tempdir()?;
    let store = Store::connect(&DatabaseLocation::Sqlite(dir.path().join("bench.db"))).await?;
    let seen = Arc::new(Mutex::new(Seen::default()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/hook", listener.local_addr()?);
    let app = axum::Router::new()
        .route("/hook", post(hook))
        .with_state(seen.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });

    let config = OutboundConfig {
        allow_private: true,
        ..OutboundConfig::default()
    };
    let outbound = Outbound::new(config, None, dir.path())?;
    let id = new_endpoint_id();
    let key = SigningKey::generate();
    let endpoint = NewEndpoint {
        url: url.parse()?,
        description: None,
        events: EventSelection::all(),
    };
    store
        .insert_endpoint(&id, &endpoint, &outbound.secrets.seal(key.text(), &id))
        .await?;

    // Phase 1: backlog.
    let t = Instant::now();
    let mut orders = Vec::with_capacity(args.backlog);
    for chunk in (0..args.backlog).collect::<Vec<_>>().chunks(64) {
        let news: Vec<NewOrder> = chunk.iter().map(|i| new_order(*i)).collect();
        let batch = futures::future::join_all(news.iter().map(|n| store.insert_order(n)));
        for o in batch.await {
            orders.push(o.map_err(|e| anyhow::anyhow!("{e:?}"))?.id);
        }
    }
    println!(
        "backlog: {} events committed in {:.1?}",
        orders.len(),
        t.elapsed()
    );
    let start = Instant::now();
    paybridge::workers::dispatcher::spawn(store.clone(), outbound.clone());
    loop {
        let n = seen.lock().unwrap().arrivals.len();
        if n >= orders.len() {
            break;
        }
        anyhow::ensure!(
            start.elapsed() < Duration::from_secs(600),
            "only {n} delivered"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let took = start.elapsed();
    println!(
        "backlog drained: {} deliveries in {:.2?} = {:.0} deliveries/s",
        orders.len(),
        took,
        orders.len() as f64 / took.as_secs_f64()
    );

    // Phase 2: steady rate, not backlogged.
    let total = (args.rate * args.seconds) as usize;
    let interval = Duration::from_secs_f64(1.0 / args.rate as f64);
    let commits = Arc::new(Mutex::new(HashMap::new()));
    let phase = Instant::now();
    let mut tasks = Vec::with_capacity(total);
    for i in 0..total {
        let due = phase + interval * i as u32;
        tokio::time::sleep_until(due.into()).await;
        let (store, commits) = (store.clone(), commits.clone());
        tasks.push(tokio::spawn(async move {
            let o = store.insert_order(&new_order(1_000_000 + i)).await.ok()?;
            commits.lock().unwrap().insert(o.id, Instant::now());
            Some(())
        }));
    }
    for t in tasks {
        t.await?;
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    let commits = commits.lock().unwrap().clone();
    loop {
        let all = {
            let s = seen.lock().unwrap();
            commits.keys().all(|k| s.arrivals.contains_key(k))
        };
        if all || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let s = seen.lock().unwrap();
    let mut lat: Vec<Duration> = commits
        .iter()
        .filter_map(|(k, c)| s.arrivals.get(k).map(|a| a.saturating_duration_since(*c)))
        .collect();
    lat.sort();
    anyhow::ensure!(
        lat.len() == commits.len(),
        "{} of {} arrived",
        lat.len(),
        commits.len()
    );
    println!(
        "steady {} orders/s for {} s: commit -> receiver p50 {:.1?}, p99 {:.1?}, max {:.1?} ({} events)",
        args.rate,
        args.seconds,
        percentile(&lat, 0.5),
        percentile(&lat, 0.99),
        lat.last().unwrap(),
        lat.len()
    );
    Ok(())
}
