//! Configuration in layers: defaults, then `paybridge.toml`, then `PAYBRIDGE_*`
//! environment variables, which win. Validated right after loading; an error
//! names the setting in one line.

use crate::secret::Secret;
use serde::Deserialize;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;
use url::Url;

/// Everything `paybridge serve` needs, validated.
#[derive(Debug, Clone)]
pub struct Config {
    /// Listen address; port 0 picks a free port (tests).
    pub addr: SocketAddr,
    /// Directory for the SQLite file and other state.
    pub data_dir: PathBuf,
    /// The SQLite database file.
    pub database: DatabaseLocation,
    /// Store API key; generated once and printed when unset.
    pub api_key: Option<Secret>,
    /// Seals webhook-endpoint secrets and signs admin sessions and buyer
    /// links; shared by every node. Required on PostgreSQL; on SQLite
    /// generated once in the data dir when unset.
    pub secret_key: Option<Secret>,
    /// Public base URL (for checkout links and Woovi webhooks); derived from the listener when unset.
    pub public_url: Option<Url>,
    /// Shown on buyer-facing pages.
    pub merchant_name: String,
    /// This node's name on its delivery leases (`PAYBRIDGE_NODE_ID`);
    /// generated once in the data dir when unset.
    pub node_id: Option<String>,
    /// Woovi settings.
    pub woovi: WooviConfig,
    /// Wiapy webhook tokens.
    pub wiapy: WiapyConfig,
    /// Eduzz webhook secrets.
    pub eduzz: EduzzConfig,
    /// Pending orders whose charge is older than this are checked with Woovi.
    pub reconcile_after: Duration,
    /// Delay before the embedded sandbox sends a webhook.
    pub sandbox_webhook_delay: Duration,
    /// Outbound webhooks to the store (`PAYBRIDGE_OUTBOUND_*`).
    pub outbound: crate::outbound::OutboundConfig,
}

/// Where the database lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseLocation {
    /// A SQLite file.
    Sqlite(PathBuf),
    /// An in-memory SQLite database (tests of the store alone).
    SqliteMemory,
    /// A PostgreSQL database, shared by every node.
    Postgres(PgUrl),
}

/// A `postgres://` URL; its password never reaches `Debug` or a log.
#[derive(Clone, PartialEq, Eq)]
pub struct PgUrl(Url);

impl PgUrl {
    /// Parses a `postgres://user[:pass]@host[:port]/db` URL.
    pub fn parse(s: &str) -> Result<PgUrl, String> {
        let url = Url::parse(s).map_err(|e| format!("not a URL ({e})"))?;
        if !matches!(url.scheme(), "postgres" | "postgresql") {
            return Err("must start with postgres://".into());
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err("names no host".into());
        }
        if url.path().trim_start_matches('/').is_empty() {
            return Err("names no database (postgres://user@host:port/DATABASE)".into());
        }
        Ok(PgUrl(url))
    }

    /// The full URL, password included (for the driver only).
    pub fn expose(&self) -> &str {
        self.0.as_str()
    }

    /// The URL without its password, for messages.
    pub fn redacted(&self) -> String {
        let mut u = self.0.clone();
        if u.password().is_some() {
            let _ = u.set_password(Some("[redacted]"));
        }
        u.to_string()
    }
}

impl std::fmt::Debug for PgUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl DatabaseLocation {
    /// True for PostgreSQL (several nodes may share it).
    pub fn is_shared(&self) -> bool {
        matches!(self, DatabaseLocation::Postgres(_))
    }
}

/// Woovi settings.
#[derive(Debug, Clone)]
pub struct WooviConfig {
    /// A real (or external) Woovi; when unset the embedded sandbox is mounted.
    pub base_url: Option<Url>,
    /// The appID; when unset a development appID is generated and persisted.
    pub app_id: Option<Secret>,
    /// Extra PEM files accepted for `x-webhook-signature`.
    pub public_keys: Vec<PathBuf>,
    /// Secret of the optional `X-OpenPix-Signature` HMAC.
    pub hmac_secret: Option<Secret>,
    /// Expected `Authorization` echo on webhooks.
    pub authorization: Option<Secret>,
    /// The configured Woovi is a paybridge sandbox (`paybridge sandbox`):
    /// the checkout offers "Simular pagamento" and `/demo` works, as with
    /// the embedded one. Refused for Woovi's own URL.
    pub sandbox: bool,
}

/// Wiapy settings.
#[derive(Debug, Clone, Default)]
pub struct WiapyConfig {
    /// Tokens accepted in the webhook's `Authorization` header (several during rotation).
    pub tokens: Vec<Secret>,
}

/// Eduzz settings.
#[derive(Debug, Clone, Default)]
pub struct EduzzConfig {
    /// Tokens accepted in the legacy webhook's `origin` field.
    pub origins: Vec<Secret>,
    /// Developer Hub secrets for the `x-signature` HMAC.
    pub hub_secrets: Vec<Secret>,
}

/// A configuration error: which setting, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid configuration: {setting}: {message}")]
pub struct ConfigError {
    /// The setting, as the user spelled it (env var or `paybridge.toml` key).
    pub setting: String,
    /// What is wrong.
    pub message: String,
}

fn err(setting: impl Into<String>, message: impl Into<String>) -> ConfigError {
    ConfigError {
        setting: setting.into(),
        message: message.into(),
    }
}

/// The `paybridge.toml` file; keys mirror the env names without the prefix.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    addr: Option<String>,
    data_dir: Option<String>,
    database_url: Option<String>,
    api_key: Option<String>,
    secret_key: Option<String>,
    public_url: Option<String>,
    merchant_name: Option<String>,
    node_id: Option<String>,
    reconcile_after_secs: Option<u64>,
    sandbox_webhook_delay_ms: Option<u64>,
    woovi: Option<FileWoovi>,
    wiapy: Option<FileWiapy>,
    eduzz: Option<FileEduzz>,
    outbound: Option<FileOutbound>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileWiapy {
    tokens: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileEduzz {
    origins: Option<Vec<String>>,
    hub_secrets: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileOutbound {
    allow_private: Option<bool>,
    schedule: Option<String>,
    timeout: Option<String>,
    disable_after: Option<String>,
    order_wait: Option<String>,
    poll: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileWoovi {
    base_url: Option<String>,
    app_id: Option<String>,
    public_keys: Option<Vec<String>>,
    hmac_secret: Option<String>,
    authorization: Option<String>,
    sandbox: Option<bool>,
}

/// One raw value and the name to blame if it is wrong.
struct Raw {
    value: String,
    setting: String,
}

struct Layers {
    env: HashMap<String, String>,
    file: HashMap<&'static str, String>,
}

impl Layers {
    /// Env wins over the file; empty env values count as unset.
    fn get(&self, env: &str, key: &'static str) -> Option<Raw> {
        if let Some(v) = self.env.get(env).filter(|v| !v.trim().is_empty()) {
            return Some(Raw {
                value: v.trim().to_owned(),
                setting: env.to_owned(),
            });
        }
        self.file.get(key).map(|v| Raw {
            value: v.clone(),
            setting: format!("{key} (paybridge.toml)"),
        })
    }
}

impl Config {
    /// Loads from the process environment and `./paybridge.toml`
    /// (or the file named by `PAYBRIDGE_CONFIG`).
    pub fn load() -> Result<Config, ConfigError> {
        let env: HashMap<String, String> = std::env::vars()
            .filter(|(k, _)| k.starts_with("PAYBRIDGE_"))
            .collect();
        let file = env
            .get("PAYBRIDGE_CONFIG")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("paybridge.toml"));
        Config::load_from(&file, env)
    }

    /// Loads from an explicit file (may be absent) and environment map.
    pub fn load_from(file: &Path, env: HashMap<String, String>) -> Result<Config, ConfigError> {
        let parsed: FileConfig = match std::fs::read_to_string(file) {
            Ok(text) => toml::from_str(&text).map_err(|e| {
                err(
                    format!("{}", file.display()),
                    e.message().replace('\n', " "),
                )
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => FileConfig::default(),
            Err(e) => return Err(err(format!("{}", file.display()), e.to_string())),
        };
        Config::from_layers(Layers {
            env,
            file: flatten(parsed),
        })
    }

    /// Defaults only (as if nothing were configured), for tests and tools.
    pub fn defaults() -> Config {
        Config::from_layers(Layers {
            env: HashMap::new(),
            file: HashMap::new(),
        })
        .expect("defaults are valid")
    }

    fn from_layers(l: Layers) -> Result<Config, ConfigError> {
        let addr = match l.get("PAYBRIDGE_ADDR", "addr") {
            Some(r) => r.value.parse::<SocketAddr>().map_err(|_| {
                err(
                    &r.setting,
                    format!("{:?} is not an address like 127.0.0.1:8080", r.value),
                )
            })?,
            None => SocketAddr::from(([127, 0, 0, 1], 8080)),
        };
        let data_dir = l
            .get("PAYBRIDGE_DATA_DIR", "data_dir")
            .map(|r| PathBuf::from(r.value))
            .unwrap_or_else(|| PathBuf::from("paybridge-data"));
        let database = match l.get("PAYBRIDGE_DATABASE_URL", "database_url") {
            Some(r) => parse_database_url(&r.value).map_err(|m| err(&r.setting, m))?,
            None => DatabaseLocation::Sqlite(data_dir.join("paybridge.db")),
        };
        let api_key = match l.get("PAYBRIDGE_API_KEY", "api_key") {
            Some(r) if r.value.len() < 16 => {
                return Err(err(&r.setting, "must be at least 16 characters"))
            }
            Some(r) => Some(Secret::new(r.value)),
            None => None,
        };
        let public_url = l
            .get("PAYBRIDGE_PUBLIC_URL", "public_url")
            .map(|r| parse_http_url(&r))
            .transpose()?;
        let merchant_name = l
            .get("PAYBRIDGE_MERCHANT_NAME", "merchant_name")
            .map(|r| r.value)
            .unwrap_or_else(|| "Loja Demo".to_owned());
        let node_id = match l.get("PAYBRIDGE_NODE_ID", "node_id") {
            Some(r)
                if r.value.is_empty()
                    || r.value.len() > 64
                    || !r
                        .value
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)) =>
            {
                return Err(err(
                    &r.setting,
                    "must be 1 to 64 letters, digits, '-', '_' or '.'",
                ))
            }
            Some(r) => Some(r.value),
            None => None,
        };
        let reconcile_after = match l.get("PAYBRIDGE_RECONCILE_AFTER_SECS", "reconcile_after_secs")
        {
            Some(r) => Duration::from_secs(r.value.parse::<u64>().map_err(|_| {
                err(
                    &r.setting,
                    format!("{:?} is not a whole number of seconds", r.value),
                )
            })?),
            None => Duration::from_secs(600),
        };
        let sandbox_webhook_delay = match l.get(
            "PAYBRIDGE_SANDBOX_WEBHOOK_DELAY_MS",
            "sandbox_webhook_delay_ms",
        ) {
            Some(r) => Duration::from_millis(r.value.parse::<u64>().map_err(|_| {
                err(
                    &r.setting,
                    format!("{:?} is not a whole number of milliseconds", r.value),
                )
            })?),
            None => Duration::from_millis(1500),
        };
        let base_url = l
            .get("PAYBRIDGE_WOOVI_BASE_URL", "woovi.base_url")
            .map(|r| parse_http_url(&r))
            .transpose()?;
        let app_id = l
            .get("PAYBRIDGE_WOOVI_APP_ID", "woovi.app_id")
            .map(|r| Secret::new(r.value));
        let public_keys = match l.get("PAYBRIDGE_WOOVI_PUBLIC_KEYS", "woovi.public_keys") {
            Some(r) => {
                let paths: Vec<PathBuf> = r
                    .value
                    .split([',', '\n'])
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .map(PathBuf::from)
                    .collect();
                for p in &paths {
                    let pem = std::fs::read_to_string(p).map_err(|e| {
                        err(&r.setting, format!("cannot read {}: {e}", p.display()))
                    })?;
                    if !pem.contains("-----BEGIN") {
                        return Err(err(
                            &r.setting,
                            format!("{} is not a PEM file", p.display()),
                        ));
                    }
                }
                paths
            }
            None => Vec::new(),
        };
        let hmac_secret = l
            .get("PAYBRIDGE_WOOVI_HMAC_SECRET", "woovi.hmac_secret")
            .map(|r| Secret::new(r.value));
        let authorization = l
            .get("PAYBRIDGE_WOOVI_AUTHORIZATION", "woovi.authorization")
            .map(|r| Secret::new(r.value));
        let sandbox = match l.get("PAYBRIDGE_WOOVI_SANDBOX", "woovi.sandbox") {
            Some(r) => match r.value.as_str() {
                "true" | "1" => {
                    match &base_url {
                        None => {
                            return Err(err(
                                &r.setting,
                                "needs PAYBRIDGE_WOOVI_BASE_URL (the sandbox it names); without one the embedded sandbox is used",
                            ))
                        }
                        Some(u) if is_woovi_production(u) => {
                            return Err(err(&r.setting, "cannot be set for Woovi's own URL"))
                        }
                        Some(_) => true,
                    }
                }
                "false" | "0" => false,
                other => return Err(err(&r.setting, format!("{other:?} is not true or false"))),
            },
            None => false,
        };
        let wiapy = WiapyConfig {
            tokens: secret_list(&l, "PAYBRIDGE_WIAPY_TOKENS", "wiapy.tokens")?,
        };
        let eduzz = EduzzConfig {
            origins: secret_list(&l, "PAYBRIDGE_EDUZZ_ORIGINS", "eduzz.origins")?,
            hub_secrets: secret_list(&l, "PAYBRIDGE_EDUZZ_HUB_SECRETS", "eduzz.hub_secrets")?,
        };
        let secret_key = match l.get("PAYBRIDGE_SECRET_KEY", "secret_key") {
            Some(r) if r.value.trim().len() < MIN_SECRET_KEY_LEN => {
                return Err(err(
                    &r.setting,
                    format!(
                        "must be at least {MIN_SECRET_KEY_LEN} characters (e.g. `openssl rand -hex 32`)"
                    ),
                ))
            }
            Some(r) => Some(Secret::new(r.value.trim())),
            None => None,
        };
        if database.is_shared() {
            // Nothing a node needs may live on one node's disk.
            if secret_key.is_none() {
                return Err(err(
                    "PAYBRIDGE_SECRET_KEY",
                    format!(
                        "is required with PostgreSQL (the same value on every node, at least {MIN_SECRET_KEY_LEN} characters)"
                    ),
                ));
            }
            if base_url.is_none() {
                return Err(err(
                    "PAYBRIDGE_WOOVI_BASE_URL",
                    "is required with PostgreSQL (the embedded sandbox lives on one node; \
                     point it at Woovi or at a separate `paybridge sandbox`)",
                ));
            }
            if public_url.is_none() {
                return Err(err(
                    "PAYBRIDGE_PUBLIC_URL",
                    "is required with PostgreSQL (the URL buyers and Woovi reach, in front of every node)",
                ));
            }
        }
        if base_url.is_some() && app_id.is_none() {
            if let Some(r) = l.get("PAYBRIDGE_WOOVI_BASE_URL", "woovi.base_url") {
                if !is_local(&r.value) {
                    return Err(err(
                        "PAYBRIDGE_WOOVI_APP_ID",
                        "is required when PAYBRIDGE_WOOVI_BASE_URL points at a remote Woovi",
                    ));
                }
            }
        }
        let outbound = crate::outbound::OutboundConfig::from_settings(|env, key| {
            l.get(env, key).map(|r| (r.value, r.setting))
        })
        .map_err(|(setting, message)| err(setting, message))?;
        Ok(Config {
            outbound,
            addr,
            data_dir,
            database,
            api_key,
            secret_key,
            public_url,
            merchant_name,
            node_id,
            woovi: WooviConfig {
                base_url,
                app_id,
                public_keys,
                hmac_secret,
                authorization,
                sandbox,
            },
            wiapy,
            eduzz,
            reconcile_after,
            sandbox_webhook_delay,
        })
    }
}

/// True for Woovi's own API hosts (whose embedded webhook key stays a
/// fallback, and which no sandbox setting may name).
pub fn is_woovi_production(base_url: &Url) -> bool {
    matches!(
        base_url.host_str(),
        Some("api.woovi.com" | "api.openpix.com.br" | "api.woovi-sandbox.com")
    )
}

/// Shortest `PAYBRIDGE_SECRET_KEY` accepted.
pub const MIN_SECRET_KEY_LEN: usize = 32;

/// A comma-separated list of secrets (several are active during rotation).
fn secret_list(l: &Layers, env: &str, key: &'static str) -> Result<Vec<Secret>, ConfigError> {
    let Some(r) = l.get(env, key) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for part in r.value.split(',').map(str::trim) {
        if part.is_empty() {
            return Err(err(
                &r.setting,
                "has an empty entry (comma-separated secrets)",
            ));
        }
        out.push(Secret::new(part));
    }
    Ok(out)
}

fn is_local(url: &str) -> bool {
    Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .is_some_and(|h| h == "localhost" || h == "127.0.0.1" || h == "[::1]")
}

fn parse_http_url(r: &Raw) -> Result<Url, ConfigError> {
    let url = Url::parse(&r.value)
        .map_err(|e| err(&r.setting, format!("{:?} is not a URL: {e}", r.value)))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(err(
            &r.setting,
            format!("{:?} must be an http(s) URL with a host", r.value),
        ));
    }
    Ok(url)
}

fn parse_database_url(s: &str) -> Result<DatabaseLocation, String> {
    if s.starts_with("postgres://") || s.starts_with("postgresql://") {
        return PgUrl::parse(s).map(DatabaseLocation::Postgres);
    }
    let rest = s
        .strip_prefix("sqlite://")
        .or_else(|| s.strip_prefix("sqlite:"))
        .ok_or_else(|| format!("{s:?} must start with sqlite:// or postgres://"))?;
    let path = rest.split('?').next().unwrap_or_default();
    if path == ":memory:" {
        return Ok(DatabaseLocation::SqliteMemory);
    }
    if path.is_empty() {
        return Err("names no database file".to_owned());
    }
    Ok(DatabaseLocation::Sqlite(PathBuf::from(path)))
}

fn flatten(f: FileConfig) -> HashMap<&'static str, String> {
    let mut m = HashMap::new();
    let mut put = |k: &'static str, v: Option<String>| {
        if let Some(v) = v {
            m.insert(k, v);
        }
    };
    put("addr", f.addr);
    put("data_dir", f.data_dir);
    put("database_url", f.database_url);
    put("api_key", f.api_key);
    put("public_url", f.public_url);
    put("node_id", f.node_id);
    put("secret_key", f.secret_key);
    put("merchant_name", f.merchant_name);
    put(
        "reconcile_after_secs",
        f.reconcile_after_secs.map(|v| v.to_string()),
    );
    put(
        "sandbox_webhook_delay_ms",
        f.sandbox_webhook_delay_ms.map(|v| v.to_string()),
    );
    if let Some(o) = f.outbound {
        put(
            "outbound.allow_private",
            o.allow_private.map(|v| v.to_string()),
        );
        put("outbound.schedule", o.schedule);
        put("outbound.timeout", o.timeout);
        put("outbound.disable_after", o.disable_after);
        put("outbound.order_wait", o.order_wait);
        put("outbound.poll", o.poll);
    }
    if let Some(w) = f.woovi {
        put("woovi.base_url", w.base_url);
        put("woovi.app_id", w.app_id);
        put("woovi.public_keys", w.public_keys.map(|v| v.join(",")));
        put("woovi.hmac_secret", w.hmac_secret);
        put("woovi.authorization", w.authorization);
        put("woovi.sandbox", w.sandbox.map(|b| b.to_string()));
    }
    if let Some(w) = f.wiapy {
        put("wiapy.tokens", w.tokens.map(|v| v.join(",")));
    }
    if let Some(e) = f.eduzz {
        put("eduzz.origins", e.origins.map(|v| v.join(",")));
        put("eduzz.hub_secrets", e.hub_secrets.map(|v| v.join(",")));
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(file: &str, env: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("paybridge.toml");
        std::fs::write(&path, file).unwrap();
        let env = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::load_from(&path, env)
    }

    #[test]
    fn defaults() {
        let c = load("", &[]).unwrap();
        assert_eq!(c.addr.to_string(), "127.0.0.1:8080");
        assert_eq!(
            c.database,
            DatabaseLocation::Sqlite(PathBuf::from("paybridge-data/paybridge.db"))
        );
        assert!(c.woovi.base_url.is_none());
        assert_eq!(c.reconcile_after, Duration::from_secs(600));
    }

    #[test]
    fn env_wins_over_file() {
        let c = load(
            "addr = \"0.0.0.0:9000\"\nmerchant_name = \"A\"",
            &[("PAYBRIDGE_ADDR", "127.0.0.1:7000")],
        )
        .unwrap();
        assert_eq!(c.addr.to_string(), "127.0.0.1:7000");
        assert_eq!(c.merchant_name, "A");
    }

    #[test]
    fn errors_name_the_setting() {
        type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a str);
        let cases: &[Case] = &[
            ("", &[("PAYBRIDGE_ADDR", "nope")], "PAYBRIDGE_ADDR"),
            ("addr = \"nope\"", &[], "addr (paybridge.toml)"),
            (
                "",
                &[("PAYBRIDGE_DATABASE_URL", "postgres://db.example")],
                "PAYBRIDGE_DATABASE_URL",
            ),
            (
                "",
                &[("PAYBRIDGE_DATABASE_URL", "mysql://db.example/pb")],
                "PAYBRIDGE_DATABASE_URL",
            ),
            (
                "",
                &[("PAYBRIDGE_DATABASE_URL", "postgres://u:p@db.example/pb")],
                "PAYBRIDGE_SECRET_KEY",
            ),
            (
                "",
                &[
                    ("PAYBRIDGE_DATABASE_URL", "postgres://u:p@db.example/pb"),
                    ("PAYBRIDGE_SECRET_KEY", "too-short"),
                ],
                "PAYBRIDGE_SECRET_KEY",
            ),
            (
                "",
                &[
                    ("PAYBRIDGE_DATABASE_URL", "postgres://u:p@db.example/pb"),
                    ("PAYBRIDGE_SECRET_KEY", SECRET_KEY),
                ],
                "PAYBRIDGE_WOOVI_BASE_URL",
            ),
            (
                "",
                &[
                    ("PAYBRIDGE_DATABASE_URL", "postgres://u:p@db.example/pb"),
                    ("PAYBRIDGE_SECRET_KEY", SECRET_KEY),
                    ("PAYBRIDGE_WOOVI_BASE_URL", "http://127.0.0.1:8090"),
                ],
                "PAYBRIDGE_PUBLIC_URL",
            ),
            (
                "",
                &[("PAYBRIDGE_PUBLIC_URL", "ftp://x")],
                "PAYBRIDGE_PUBLIC_URL",
            ),
            (
                "",
                &[("PAYBRIDGE_RECONCILE_AFTER_SECS", "-1")],
                "PAYBRIDGE_RECONCILE_AFTER_SECS",
            ),
            ("", &[("PAYBRIDGE_API_KEY", "short")], "PAYBRIDGE_API_KEY"),
            (
                "",
                &[("PAYBRIDGE_WOOVI_PUBLIC_KEYS", "/nonexistent.pem")],
                "PAYBRIDGE_WOOVI_PUBLIC_KEYS",
            ),
            (
                "",
                &[("PAYBRIDGE_WOOVI_BASE_URL", "https://api.woovi.com")],
                "PAYBRIDGE_WOOVI_APP_ID",
            ),
        ];
        for (file, env, setting) in cases {
            let e = load(file, env).unwrap_err();
            assert_eq!(&e.setting, setting, "{e}");
            assert!(!e.to_string().contains('\n'));
        }
    }

    const SECRET_KEY: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn postgres_needs_a_shared_key_an_external_woovi_and_a_public_url() {
        let c = load(
            "",
            &[
                (
                    "PAYBRIDGE_DATABASE_URL",
                    "postgres://pb:s3cret-pw@db.example:5433/paybridge",
                ),
                ("PAYBRIDGE_SECRET_KEY", SECRET_KEY),
                ("PAYBRIDGE_WOOVI_BASE_URL", "http://127.0.0.1:8090"),
                ("PAYBRIDGE_PUBLIC_URL", "https://pay.loja.example"),
            ],
        )
        .unwrap();
        assert!(c.database.is_shared());
        let shown = format!("{c:?}");
        assert!(!shown.contains("s3cret-pw"), "{shown}");
        assert!(!shown.contains(SECRET_KEY), "{shown}");
        assert!(shown.contains("db.example:5433/paybridge"), "{shown}");
        // SQLite keeps working with none of them.
        let lite = load("", &[]).unwrap();
        assert!(!lite.database.is_shared() && lite.secret_key.is_none());
    }

    #[test]
    fn platform_secrets_are_lists() {
        let c = load(
            "[wiapy]\ntokens = [\"w1\", \"w2\"]\n[eduzz]\norigins = [\"o1\"]\nhub_secrets = [\"h1\"]",
            &[("PAYBRIDGE_EDUZZ_ORIGINS", "o2, o3")],
        )
        .unwrap();
        let exposed = |v: &[Secret]| v.iter().map(|s| s.expose().to_owned()).collect::<Vec<_>>();
        assert_eq!(exposed(&c.wiapy.tokens), ["w1", "w2"]);
        assert_eq!(exposed(&c.eduzz.origins), ["o2", "o3"], "env wins");
        assert_eq!(exposed(&c.eduzz.hub_secrets), ["h1"]);
        assert!(!format!("{c:?}").contains("w1"));
        let none = load("", &[]).unwrap();
        assert!(none.wiapy.tokens.is_empty() && none.eduzz.origins.is_empty());
        let e = load("", &[("PAYBRIDGE_WIAPY_TOKENS", "a,,b")]).unwrap_err();
        assert_eq!(e.setting, "PAYBRIDGE_WIAPY_TOKENS");
    }

    #[test]
    fn secrets_are_redacted_in_debug() {
        let c = load("", &[("PAYBRIDGE_API_KEY", "0123456789abcdef-secret")]).unwrap();
        assert!(!format!("{c:?}").contains("0123456789abcdef-secret"));
    }
}
