//! Starting nodes: a database that cannot be used stops start-up with one
//! clear line and a failing exit code; two nodes starting at once on an
//! empty database generate exactly one API key, printed by one of them.

use crate::backend;
use crate::cluster::{Cluster, APP_ID};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// `paybridge serve` with `database_url` and otherwise valid settings; its
/// exit success and stderr (it must stop by itself within 30 s).
fn serve_once(cluster: &Cluster, database_url: &str) -> (bool, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_paybridge"))
        .arg("serve")
        .current_dir(dir.path())
        .env("RUST_LOG", "off")
        .env("PAYBRIDGE_ADDR", "127.0.0.1:0")
        .env("PAYBRIDGE_DATA_DIR", dir.path())
        .env("PAYBRIDGE_DATABASE_URL", database_url)
        .env("PAYBRIDGE_SECRET_KEY", backend::SECRET_KEY)
        .env("PAYBRIDGE_PUBLIC_URL", "http://127.0.0.1:1")
        .env("PAYBRIDGE_WOOVI_BASE_URL", &cluster.sandbox_url)
        .env("PAYBRIDGE_WOOVI_APP_ID", APP_ID)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("paybridge serve kept running with {database_url}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    (status.success(), stderr)
}

fn with(url: &paybridge::config::PgUrl, f: impl FnOnce(&mut url::Url)) -> String {
    let mut u = url::Url::parse(url.expose()).unwrap();
    f(&mut u);
    u.to_string()
}

#[tokio::test]
async fn a_database_that_cannot_be_used_stops_start_up_with_one_line() {
    let cluster = Cluster::start().await;
    let db = &cluster.database;
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    // A schema from a newer paybridge, and one whose last migration failed.
    let newer = backend::fresh_postgres_database(&backend::postgres_admin_url().unwrap()).await;
    let dirty = backend::fresh_postgres_database(&backend::postgres_admin_url().unwrap()).await;
    for u in [&newer, &dirty] {
        paybridge::store::Store::connect(&paybridge::config::DatabaseLocation::Postgres(u.clone()))
            .await
            .unwrap();
    }
    let pool = sqlx::PgPool::connect(newer.expose()).await.unwrap();
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (9999, 'from a newer paybridge', true, '\\x00', 0)",
    )
    .execute(&pool)
    .await
    .unwrap();
    let pool = sqlx::PgPool::connect(dirty.expose()).await.unwrap();
    sqlx::query("UPDATE _sqlx_migrations SET success = false WHERE version = 5")
        .execute(&pool)
        .await
        .unwrap();
    let cases = [
        (
            "refused connection",
            with(db, |u| u.set_port(Some(closed)).unwrap()),
            "refused",
        ),
        (
            "unknown user",
            with(db, |u| u.set_username("no_such_role").unwrap()),
            "no_such_role",
        ),
        (
            "unknown database",
            with(db, |u| u.set_path("no_such_database")),
            "no_such_database",
        ),
        ("newer schema", newer.expose().to_owned(), "9999"),
        ("failed migration", dirty.expose().to_owned(), "5"),
    ];
    for (what, url, named) in cases {
        let (ok, stderr) = serve_once(&cluster, &url);
        assert!(!ok, "{what}: start-up must fail");
        let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
        assert_eq!(lines.len(), 1, "{what}: one line, got {stderr}");
        assert!(
            lines[0].contains("database"),
            "{what}: names the database: {stderr}"
        );
        assert!(
            lines[0].contains(named),
            "{what}: says what is wrong: {stderr}"
        );
        assert!(!lines[0].contains(backend::SECRET_KEY), "{what}: {stderr}");
    }
}

#[tokio::test]
async fn two_nodes_starting_at_once_generate_exactly_one_api_key() {
    let cluster = Cluster::start().await;
    let start = |name: &str| {
        let dir = cluster.dir.path().join(name);
        std::fs::create_dir_all(&dir).unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        Command::new(env!("CARGO_BIN_EXE_paybridge"))
            .arg("serve")
            .current_dir(&dir)
            .env("RUST_LOG", "off")
            .env("PAYBRIDGE_ADDR", format!("127.0.0.1:{port}"))
            .env("PAYBRIDGE_DATA_DIR", &dir)
            .env("PAYBRIDGE_DATABASE_URL", cluster.database.expose())
            .env("PAYBRIDGE_SECRET_KEY", backend::SECRET_KEY)
            .env("PAYBRIDGE_PUBLIC_URL", format!("http://127.0.0.1:{port}"))
            .env("PAYBRIDGE_WOOVI_BASE_URL", &cluster.sandbox_url)
            .env("PAYBRIDGE_WOOVI_APP_ID", APP_ID)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map(crate::cluster::Proc)
            .unwrap()
    };
    let (mut a, mut b) = (start("a"), start("b"));
    // Each node's banner ends its first block with the `store API key` line.
    let key_line = |p: &mut crate::cluster::Proc| {
        use std::io::BufRead;
        let out = p.0.stdout.take().unwrap();
        std::thread::spawn(move || {
            std::io::BufReader::new(out)
                .lines()
                .map_while(Result::ok)
                .find(|l| l.contains("store API key"))
                .unwrap_or_default()
        })
    };
    let (la, lb) = (key_line(&mut a), key_line(&mut b));
    let lines = [la.join().unwrap(), lb.join().unwrap()];
    drop((a, b));
    let generated = lines
        .iter()
        .filter(|l| l.contains("store API key: pb_"))
        .count();
    assert_eq!(generated, 1, "exactly one node prints a new key: {lines:?}");
    assert!(
        lines.iter().any(|l| l.contains("configured")),
        "the other says one exists: {lines:?}"
    );
    let pool = cluster.db().await;
    let keys: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM settings WHERE key = 'api_key_sha256'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(keys, 1);
}
