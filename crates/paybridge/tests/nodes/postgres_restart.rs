//! PostgreSQL itself restarted during load: while it is down paybridge
//! answers 503 (so providers retry), never 500 and never a dropped
//! connection; it recovers by itself; nothing acknowledged is lost.

use crate::cluster::{completed_body, eventually, sign, Cluster, SERVER};
use std::collections::HashSet;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// `pg_ctl` on the test cluster, as its unprivileged owner when run as root.
fn pg_ctl(args: &[&str]) {
    let bin =
        std::env::var("PAYBRIDGE_TEST_POSTGRES_BIN").expect("set by scripts/postgres-test-cluster");
    let dir =
        std::env::var("PAYBRIDGE_TEST_POSTGRES_DIR").expect("set by scripts/postgres-test-cluster");
    let pg_ctl = format!("{bin}/pg_ctl");
    let data = format!("{dir}/data");
    let log = format!("{dir}/server.log");
    let root = Command::new("id").arg("-u").output().unwrap().stdout == b"0\n";
    let mut cmd = if root {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--", &pg_ctl]);
        c
    } else {
        Command::new(&pg_ctl)
    };
    let status = cmd
        .args(["-D", &data, "-l", &log, "-w", "-t", "60"])
        .args(args)
        .status()
        .unwrap();
    assert!(status.success(), "pg_ctl {args:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgres_restart_is_answered_503_and_loses_nothing_acknowledged() {
    let _alone = SERVER.write().await;
    let cluster = Cluster::start_unguarded().await;
    let node = cluster.node("a", &[]).await;
    let key = cluster.signing_key();
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    let acked: Arc<Mutex<HashSet<String>>> = Arc::default();
    let statuses: Arc<Mutex<Vec<u16>>> = Arc::default();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut senders = Vec::new();
    for worker in 0..4 {
        let (http, acked, statuses, stop, key) = (
            http.clone(),
            acked.clone(),
            statuses.clone(),
            stop.clone(),
            key.clone(),
        );
        let base = node.base.clone();
        senders.push(tokio::spawn(async move {
            let mut i = 0u64;
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                i += 1;
                let e2e = format!("E{worker}{i:030}");
                let body = completed_body(&format!("no-such-order-{worker}-{i}"), &e2e, 1000);
                let res = http
                    .post(format!("{base}/webhooks/woovi"))
                    .header("content-type", "application/json")
                    .header("x-webhook-signature", sign(&key, &body))
                    .body(body)
                    .send()
                    .await
                    .expect("paybridge answers even while PostgreSQL is down");
                let status = res.status().as_u16();
                statuses.lock().unwrap().push(status);
                if status == 200 {
                    acked.lock().unwrap().insert(e2e);
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }));
    }
    eventually(20, "load before the restart", || async {
        acked.lock().unwrap().len() >= 50
    })
    .await;
    pg_ctl(&["stop", "-m", "fast"]);
    tokio::time::sleep(Duration::from_secs(4)).await;
    pg_ctl(&[
        "start",
        "-l",
        &format!(
            "{}/server.log",
            std::env::var("PAYBRIDGE_TEST_POSTGRES_DIR").unwrap()
        ),
    ]);
    let before = acked.lock().unwrap().len();
    eventually(30, "paybridge to recover by itself", || async {
        acked.lock().unwrap().len() > before + 50
    })
    .await;
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    for s in senders {
        s.await.unwrap();
    }
    let statuses = statuses.lock().unwrap().clone();
    let unexpected: Vec<u16> = statuses
        .iter()
        .copied()
        .filter(|s| *s != 200 && *s != 503)
        .collect();
    assert!(unexpected.is_empty(), "only 200 or 503: {unexpected:?}");
    assert!(
        statuses.contains(&503),
        "PostgreSQL was down for 4 s: some answers were 503"
    );
    let db = cluster.db().await;
    let stored: HashSet<String> = sqlx::query_scalar::<_, String>(
        "SELECT substr(dedupe_key, length('CHARGE_COMPLETED:') + 1) FROM inbox",
    )
    .fetch_all(&db)
    .await
    .unwrap()
    .into_iter()
    .collect();
    let acked = acked.lock().unwrap().clone();
    let missing = acked.iter().filter(|e| !stored.contains(*e)).count();
    assert_eq!(missing, 0, "of {} acknowledged", acked.len());
}
