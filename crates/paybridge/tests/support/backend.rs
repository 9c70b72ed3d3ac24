//! The database the suite runs on. SQLite by default; PostgreSQL when
//! `PAYBRIDGE_TEST_POSTGRES_URL` names a cluster (the test command's second
//! pass starts a throw-away one): every test then gets a database of its
//! own, created here, and a Woovi sandbox served on a port of its own
//! (on PostgreSQL paybridge never mounts the embedded one).

use paybridge::config::{DatabaseLocation, PgUrl};
use sqlx::Connection;
use std::path::Path;

/// The shared key every node gets on PostgreSQL.
pub const SECRET_KEY: &str = "test-secret-key-0123456789abcdef-0123456789";

/// The AppID the separate sandbox of a PostgreSQL test accepts.
pub const SANDBOX_APP_ID: &str = "test-app-id";

/// The PostgreSQL cluster's admin URL when the suite runs on PostgreSQL.
pub fn postgres_admin_url() -> Option<String> {
    std::env::var("PAYBRIDGE_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
}

/// True when this pass runs on PostgreSQL.
pub fn is_postgres() -> bool {
    postgres_admin_url().is_some()
}

/// A new, empty database: a SQLite file named `file` in `dir`, or a fresh
/// PostgreSQL database (zero-to-production's `CREATE DATABASE "<uuid>"`).
pub async fn fresh_database(dir: &Path, file: &str) -> DatabaseLocation {
    match postgres_admin_url() {
        None => DatabaseLocation::Sqlite(dir.join(file)),
        Some(admin) => DatabaseLocation::Postgres(fresh_postgres_database(&admin).await),
    }
}

/// Creates a database on the cluster; its URL.
pub async fn fresh_postgres_database(admin: &str) -> PgUrl {
    let name = format!("pb_{}", uuid::Uuid::new_v4().simple());
    let mut conn = sqlx::PgConnection::connect(admin)
        .await
        .expect("the test PostgreSQL cluster answers");
    sqlx::query(&format!("CREATE DATABASE \"{name}\""))
        .execute(&mut conn)
        .await
        .expect("CREATE DATABASE");
    let mut url = url::Url::parse(admin).unwrap();
    url.set_path(&name);
    PgUrl::parse(url.as_str()).unwrap()
}

/// The URL string of a location, as `PAYBRIDGE_DATABASE_URL` takes it.
pub fn database_url(location: &DatabaseLocation) -> String {
    match location {
        DatabaseLocation::Sqlite(p) => format!("sqlite://{}", p.display()),
        DatabaseLocation::SqliteMemory => "sqlite://:memory:".into(),
        DatabaseLocation::Postgres(u) => u.expose().to_owned(),
    }
}

/// A Woovi sandbox served in this process on a port of its own (data in
/// `dir`, webhooks after `delay`); its base URL. Lives as long as the runtime.
pub async fn serve_sandbox(dir: &Path, delay: std::time::Duration) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let sandbox = woovi_sandbox::Sandbox::new(woovi_sandbox::SandboxConfig {
        app_ids: vec![SANDBOX_APP_ID.to_owned()],
        data_dir: Some(dir.to_path_buf()),
        public_base_url: base.clone(),
        webhook_base_delay: delay,
        key_bits: 1024,
        ..woovi_sandbox::SandboxConfig::default()
    })
    .await
    .expect("sandbox starts");
    let router = sandbox.router();
    tokio::spawn(async move {
        axum::serve(listener, router).await.unwrap();
    });
    base
}

/// The database behind a test's app, opened beside it to check what the
/// API does not show (what is stored, and how).
pub enum RawDb {
    /// The SQLite file (and its WAL) at this path.
    Sqlite(std::path::PathBuf, sqlx::SqlitePool),
    /// The PostgreSQL database.
    Postgres(sqlx::PgPool),
}

impl RawDb {
    /// Opens `location` (the app keeps running).
    pub async fn open(location: &DatabaseLocation) -> RawDb {
        match location {
            DatabaseLocation::Sqlite(p) => RawDb::Sqlite(
                p.clone(),
                sqlx::SqlitePool::connect(&format!("sqlite://{}", p.display()))
                    .await
                    .unwrap(),
            ),
            DatabaseLocation::Postgres(u) => {
                RawDb::Postgres(sqlx::PgPool::connect(u.expose()).await.unwrap())
            }
            DatabaseLocation::SqliteMemory => {
                panic!("an in-memory database cannot be opened twice")
            }
        }
    }

    /// The rows of `sql` (portable SQL, `?` placeholders, text arguments)
    /// as JSON objects: text and integer columns, NULL as null.
    pub async fn rows(&self, sql: &str, args: &[&str]) -> Vec<serde_json::Value> {
        use sqlx::{Column, Row};
        match self {
            RawDb::Sqlite(_, pool) => {
                let mut q = sqlx::query(sql);
                for a in args {
                    q = q.bind(*a);
                }
                q.fetch_all(pool)
                    .await
                    .unwrap()
                    .iter()
                    .map(|r| {
                        let mut m = serde_json::Map::new();
                        for (i, c) in r.columns().iter().enumerate() {
                            let v = match r.try_get::<Option<String>, _>(i) {
                                Ok(s) => serde_json::json!(s),
                                Err(_) => serde_json::json!(r.get::<Option<i64>, _>(i)),
                            };
                            m.insert(c.name().to_owned(), v);
                        }
                        serde_json::Value::Object(m)
                    })
                    .collect()
            }
            RawDb::Postgres(pool) => {
                let mut n = 0;
                let numbered: String = sql
                    .chars()
                    .flat_map(|c| {
                        if c == '?' {
                            n += 1;
                            format!("${n}").chars().collect::<Vec<_>>()
                        } else {
                            vec![c]
                        }
                    })
                    .collect();
                let wrapped = format!("SELECT row_to_json(q)::text FROM ({numbered}) q");
                let mut q = sqlx::query_scalar::<_, String>(&wrapped);
                for a in args {
                    q = q.bind(*a);
                }
                q.fetch_all(pool)
                    .await
                    .unwrap()
                    .iter()
                    .map(|t| serde_json::from_str(t).unwrap())
                    .collect()
            }
        }
    }

    /// Whether `needle` appears anywhere the database keeps data: the
    /// SQLite file and its WAL byte for byte, or every row of every table.
    pub async fn stores_anywhere(&self, needle: &[u8]) -> bool {
        let found = |bytes: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
        match self {
            RawDb::Sqlite(path, _) => {
                let db = std::fs::read(path).unwrap();
                let wal = std::fs::read(format!("{}-wal", path.display())).unwrap_or_default();
                found(&db) || found(&wal)
            }
            RawDb::Postgres(pool) => {
                let tables: Vec<String> = sqlx::query_scalar(
                    "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema()",
                )
                .fetch_all(pool)
                .await
                .unwrap();
                for t in tables {
                    let rows: Vec<String> =
                        sqlx::query_scalar(&format!("SELECT row_to_json(t)::text FROM \"{t}\" t"))
                            .fetch_all(pool)
                            .await
                            .unwrap();
                    if rows.iter().any(|r| found(r.as_bytes())) {
                        return true;
                    }
                }
                false
            }
        }
    }
}

/// Where a `paybridge serve` child started in `dir` keeps its data: the
/// default SQLite file of its data dir, or (PostgreSQL) a database created
/// on first use and remembered in `dir`, so a restart finds it again.
pub async fn serve_location(dir: &Path) -> DatabaseLocation {
    let Some(admin) = postgres_admin_url() else {
        return DatabaseLocation::Sqlite(dir.join("data/paybridge.db"));
    };
    let memo = dir.join("database-url");
    if let Ok(url) = std::fs::read_to_string(&memo) {
        return DatabaseLocation::Postgres(PgUrl::parse(url.trim()).unwrap());
    }
    let url = fresh_postgres_database(&admin).await;
    std::fs::write(&memo, url.expose()).unwrap();
    DatabaseLocation::Postgres(url)
}

/// What a `paybridge serve` child on `port` needs beyond the test's own
/// settings on this pass's backend: nothing on SQLite; on PostgreSQL the
/// database, the shared key, the public URL, and (unless the test names a
/// Woovi) a sandbox of its own served by the test process, data and
/// signing key where the embedded one keeps them (`dir/data/sandbox`),
/// kept across restarts of the node.
pub async fn serve_env(dir: &Path, port: u16, test_env: &[(&str, &str)]) -> Vec<(String, String)> {
    if !is_postgres() {
        return Vec::new();
    }
    let mut env = vec![
        (
            "PAYBRIDGE_DATABASE_URL".to_owned(),
            database_url(&serve_location(dir).await),
        ),
        ("PAYBRIDGE_SECRET_KEY".to_owned(), SECRET_KEY.to_owned()),
        (
            "PAYBRIDGE_PUBLIC_URL".to_owned(),
            format!("http://127.0.0.1:{port}"),
        ),
    ];
    if !test_env
        .iter()
        .any(|(k, _)| *k == "PAYBRIDGE_WOOVI_BASE_URL")
    {
        let memo = dir.join("sandbox-url");
        let url = match std::fs::read_to_string(&memo) {
            Ok(url) => url,
            Err(_) => {
                let url = serve_sandbox(
                    &dir.join("data/sandbox"),
                    std::time::Duration::from_millis(50),
                )
                .await;
                std::fs::write(&memo, &url).unwrap();
                url
            }
        };
        env.push(("PAYBRIDGE_WOOVI_BASE_URL".to_owned(), url));
        env.push((
            "PAYBRIDGE_WOOVI_APP_ID".to_owned(),
            SANDBOX_APP_ID.to_owned(),
        ));
    }
    env
}
