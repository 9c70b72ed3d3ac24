//! HTTP plumbing: configuration, authentication, retries, decoding, paging.

use crate::error::{api_error, snippet, Error};
use crate::models::{Listed, Page};
use futures::Stream;
use rand::Rng;
use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// Production API.
pub const PRODUCTION_URL: &str = "https://api.woovi.com";
/// Woovi's sandbox API.
pub const SANDBOX_URL: &str = "https://api.woovi-sandbox.com";

/// A Woovi appID. Secret: it moves money, so `Debug` and `Display` never show it.
#[derive(Clone, PartialEq, Eq)]
pub struct AppId(String);

impl AppId {
    /// Wraps a raw appID.
    pub fn new(raw: impl Into<String>) -> Self {
        Self(raw.into())
    }

    /// The raw value, for the `Authorization` header or a constant-time compare only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AppId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for AppId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl From<String> for AppId {
    fn from(s: String) -> Self {
        Self(s)
    }
}

impl From<&str> for AppId {
    fn from(s: &str) -> Self {
        Self(s.to_owned())
    }
}

/// Which Woovi deployment to talk to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Environment {
    /// `https://api.woovi.com`: real money.
    #[default]
    Production,
    /// `https://api.woovi-sandbox.com`: Woovi's test environment.
    Sandbox,
}

impl Environment {
    /// Base URL of the environment.
    pub fn base_url(self) -> &'static str {
        match self {
            Environment::Production => PRODUCTION_URL,
            Environment::Sandbox => SANDBOX_URL,
        }
    }
}

/// Configures a [`Client`]; defaults suit production.
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    app_id: AppId,
    base_url: String,
    timeout: Duration,
    connect_timeout: Duration,
    max_retries: u32,
    retry_base_delay: Duration,
    max_retry_delay: Duration,
}

impl ClientBuilder {
    /// Uses the base URL of a Woovi environment.
    pub fn environment(mut self, env: Environment) -> Self {
        self.base_url = env.base_url().to_owned();
        self
    }

    /// Uses any base URL (a local emulator); a path prefix such as
    /// `http://127.0.0.1:8080/_sandbox/woovi` is kept in front of every path.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Total time allowed for one HTTP attempt (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Time allowed to connect (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Retries after the first attempt for requests safe to repeat (default 3).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// First backoff delay; doubles on each retry, with jitter (default 200 ms).
    pub fn retry_base_delay(mut self, delay: Duration) -> Self {
        self.retry_base_delay = delay;
        self
    }

    /// Longest wait between attempts, `Retry-After` included (default 30 s);
    /// a longer `Retry-After` ends the retries with [`Error::RateLimited`].
    pub fn max_retry_delay(mut self, delay: Duration) -> Self {
        self.max_retry_delay = delay;
        self
    }

    /// Validates the configuration and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let base = self.base_url.trim().trim_end_matches('/').to_owned();
        let parsed = url::Url::parse(&base)
            .map_err(|e| Error::InvalidInput(format!("base URL {base:?}: {e}")))?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.cannot_be_a_base() {
            return Err(Error::InvalidInput(format!(
                "base URL {base:?} is not an http(s) URL"
            )));
        }
        if parsed.query().is_some() || parsed.fragment().is_some() {
            return Err(Error::InvalidInput(format!(
                "base URL {base:?} must not have a query"
            )));
        }
        let mut auth = HeaderValue::from_str(self.app_id.expose())
            .map_err(|_| Error::InvalidInput("appID is not a valid header value".into()))?;
        auth.set_sensitive(true);
        let http = reqwest::Client::builder()
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout)
            .user_agent(concat!("paybridge-woovi/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(Error::Transport)?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base,
                auth,
                max_retries: self.max_retries,
                retry_base_delay: self.retry_base_delay,
                max_retry_delay: self.max_retry_delay,
            }),
        })
    }
}

/// Woovi API client. Cheap to clone (shared connection pool).
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base: String,
    auth: HeaderValue,
    max_retries: u32,
    retry_base_delay: Duration,
    max_retry_delay: Duration,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base)
            .field("app_id", &"[redacted]")
            .field("max_retries", &self.inner.max_retries)
            .finish()
    }
}

/// Query string pairs.
pub(crate) type Query = Vec<(&'static str, String)>;

/// Whether a request may be sent twice without doing something twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Idempotency {
    /// Reads, deletes, and creates Woovi deduplicates.
    Safe,
    /// Creates that would run twice.
    Unsafe,
}

impl Client {
    /// Production client with default settings.
    ///
    /// # Panics
    /// Only if the TLS backend cannot initialise, as `reqwest::Client::new` does.
    pub fn new(app_id: impl Into<AppId>) -> Self {
        Self::builder(app_id)
            .build()
            .expect("the default configuration is valid")
    }

    /// Starts a configuration.
    pub fn builder(app_id: impl Into<AppId>) -> ClientBuilder {
        ClientBuilder {
            app_id: app_id.into(),
            base_url: PRODUCTION_URL.to_owned(),
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            max_retries: 3,
            retry_base_delay: Duration::from_millis(200),
            max_retry_delay: Duration::from_secs(30),
        }
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.inner.base
    }

    fn url(&self, path: &str, query: &Query) -> Result<url::Url, Error> {
        let mut url = url::Url::parse(&format!("{}{}", self.inner.base, path))
            .map_err(|e| Error::InvalidInput(format!("URL for {path}: {e}")))?;
        if !query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (k, v) in query {
                pairs.append_pair(k, v);
            }
        }
        Ok(url)
    }

    /// Sends one request with retries; returns the body of a 2xx answer.
    pub(crate) async fn execute(
        &self,
        method: Method,
        path: &str,
        query: &Query,
        body: Option<Vec<u8>>,
        idempotency: Idempotency,
        authenticated: bool,
    ) -> Result<bytes_body::Body, Error> {
        let url = self.url(path, query)?;
        let retries = if idempotency == Idempotency::Safe {
            self.inner.max_retries
        } else {
            0
        };
        let mut attempt: u32 = 0;
        loop {
            let mut headers = HeaderMap::new();
            headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
            if authenticated {
                headers.insert(AUTHORIZATION, self.inner.auth.clone());
            }
            let mut req = self
                .inner
                .http
                .request(method.clone(), url.clone())
                .headers(headers);
            if let Some(b) = &body {
                req = req
                    .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
                    .body(b.clone());
            }
            let outcome = match req.send().await {
                Ok(resp) => {
                    let status = resp.status();
                    let retry_after = retry_after(resp.headers());
                    match resp.bytes().await {
                        Ok(bytes) => Ok((status, retry_after, bytes.to_vec())),
                        Err(e) => Err(e),
                    }
                }
                Err(e) => Err(e),
            };
            let can_retry = attempt < retries;
            match outcome {
                Err(e) => {
                    tracing::debug!(%method, path, attempt, error = %e, "Woovi transport error");
                    if !can_retry {
                        return Err(Error::Transport(e));
                    }
                    self.backoff(attempt, None).await;
                }
                Ok((status, retry_after, bytes)) => {
                    tracing::debug!(%method, path, attempt, status = status.as_u16(), "Woovi answered");
                    if status.is_success() {
                        return Ok(bytes_body::Body { bytes });
                    }
                    if status == StatusCode::TOO_MANY_REQUESTS {
                        let too_long = retry_after.is_some_and(|d| d > self.inner.max_retry_delay);
                        if !can_retry || too_long {
                            return Err(Error::RateLimited { retry_after });
                        }
                        self.backoff(attempt, retry_after).await;
                    } else if status.is_server_error() && can_retry {
                        self.backoff(attempt, retry_after).await;
                    } else {
                        return Err(api_error(status.as_u16(), &bytes));
                    }
                }
            }
            attempt += 1;
        }
    }

    /// Exponential backoff with jitter; never shorter than `Retry-After`.
    async fn backoff(&self, attempt: u32, retry_after: Option<Duration>) {
        let base = self
            .inner
            .retry_base_delay
            .saturating_mul(1u32 << attempt.min(16));
        let capped = base.min(self.inner.max_retry_delay);
        // Jitter in [capped/2, capped] spreads retries of many clients apart.
        let half = capped / 2;
        let jitter = if half.is_zero() {
            Duration::ZERO
        } else {
            Duration::from_nanos(rand::thread_rng().gen_range(0..=half.as_nanos() as u64))
        };
        let delay = (half + jitter).max(retry_after.unwrap_or(Duration::ZERO));
        tokio::time::sleep(delay.min(self.inner.max_retry_delay)).await;
    }

    pub(crate) async fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &Query,
    ) -> Result<T, Error> {
        let body = self
            .execute(Method::GET, path, query, None, Idempotency::Safe, true)
            .await?;
        decode(&body.bytes)
    }

    /// GET returning the object under one of `keys` of the answer.
    pub(crate) async fn get_wrapped<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &Query,
        keys: &[&str],
    ) -> Result<T, Error> {
        let body = self
            .execute(Method::GET, path, query, None, Idempotency::Safe, true)
            .await?;
        decode_wrapped(&body.bytes, keys)
    }

    pub(crate) async fn delete<T: DeserializeOwned>(&self, path: &str) -> Result<T, Error> {
        let body = self
            .execute(
                Method::DELETE,
                path,
                &Vec::new(),
                None,
                Idempotency::Safe,
                true,
            )
            .await?;
        decode(&body.bytes)
    }

    pub(crate) async fn post<B: Serialize + ?Sized>(
        &self,
        path: &str,
        query: &Query,
        body: &B,
        idempotency: Idempotency,
    ) -> Result<Vec<u8>, Error> {
        let json = serde_json::to_vec(body)
            .map_err(|e| Error::InvalidInput(format!("request body: {e}")))?;
        let body = self
            .execute(Method::POST, path, query, Some(json), idempotency, true)
            .await?;
        Ok(body.bytes)
    }

    /// Pages of a list, walking `skip` until Woovi says there is no next page.
    pub(crate) fn pages<T>(
        &self,
        path: String,
        query: Query,
        start_skip: u32,
        limit: Option<u32>,
    ) -> impl Stream<Item = Result<Page<T>, Error>> + Send + 'static
    where
        T: Listed + DeserializeOwned + Send + 'static,
    {
        let client = self.clone();
        async_stream::try_stream! {
            let mut skip = start_skip;
            loop {
                let mut q = query.clone();
                q.push(("skip", skip.to_string()));
                if let Some(limit) = limit {
                    q.push(("limit", limit.to_string()));
                }
                let page: Page<T> = client.get(&path, &q).await?;
                let n = page.items.len();
                let more = page.has_next();
                yield page;
                if !more || n == 0 {
                    break;
                }
                skip = skip.saturating_add(n as u32);
            }
        }
    }

    /// Every item of a list, page after page.
    pub(crate) fn items<T>(
        &self,
        path: String,
        query: Query,
        start_skip: u32,
        limit: Option<u32>,
    ) -> impl Stream<Item = Result<T, Error>> + Send + 'static
    where
        T: Listed + DeserializeOwned + Send + 'static,
    {
        use futures::StreamExt;
        self.pages::<T>(path, query, start_skip, limit)
            .map(|page| match page {
                Ok(p) => futures::stream::iter(p.items.into_iter().map(Ok).collect::<Vec<_>>()),
                Err(e) => futures::stream::iter(vec![Err(e)]),
            })
            .flatten()
    }
}

pub(crate) mod bytes_body {
    /// A 2xx body.
    pub(crate) struct Body {
        pub(crate) bytes: Vec<u8>,
    }
}

fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let v = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    v.parse::<u64>().ok().map(Duration::from_secs).or_else(|| {
        v.parse::<f64>()
            .ok()
            .filter(|f| f.is_finite() && *f >= 0.0)
            .map(Duration::from_secs_f64)
    })
}

pub(crate) fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Error> {
    serde_json::from_slice(bytes).map_err(|source| Error::Decode {
        body_snippet: snippet(bytes),
        source,
    })
}

/// Decodes `{"<key>": T}`, trying each key in order.
pub(crate) fn decode_wrapped<T: DeserializeOwned>(bytes: &[u8], keys: &[&str]) -> Result<T, Error> {
    let value: Value = decode(bytes)?;
    let inner = match value {
        Value::Object(mut m) => keys.iter().find_map(|k| m.remove(*k)),
        _ => None,
    };
    let Some(inner) = inner else {
        return Err(Error::Decode {
            body_snippet: snippet(bytes),
            source: serde::de::Error::custom(format!(
                "expected a {:?} field",
                keys.first().unwrap_or(&"")
            )),
        });
    };
    serde_json::from_value(inner).map_err(|source| Error::Decode {
        body_snippet: snippet(bytes),
        source,
    })
}

/// Percent-encodes one path segment (IDs and correlation IDs may hold `/`, `#`, `%`, `=`).
pub(crate) fn seg(id: &str) -> String {
    urlencoding::encode(id).into_owned()
}
