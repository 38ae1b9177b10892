//! Building a [`Client`]: base URL, token, timeouts, user agent.
#![deny(missing_docs)]

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use super::auth::BearerToken;
use super::rate_limit::{RateLimit, TokenBucket};
use super::retry::RetryPolicy;
use crate::Client;

/// The production server, as the vendored documents' `servers` list gives it.
pub const DEFAULT_BASE_URL: &str = "https://api.open.cx";

/// Environment variable holding the API key, read by [`Client::from_env`].
pub const API_KEY_ENV: &str = "OPENCX_API_KEY";

/// Environment variable overriding the base URL, read by [`Client::from_env`].
pub const BASE_URL_ENV: &str = "OPENCX_BASE_URL";

/// The `User-Agent` sent by clients this crate builds.
pub const USER_AGENT: &str = concat!("opencx-api/", env!("CARGO_PKG_VERSION"));

/// Default limit on one request, from connecting to reading the whole body.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Default limit on establishing a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How many redirects one request follows before it fails. The API does not
/// redirect; a long chain is a misconfigured proxy, or a loop. (A caller's own
/// client, given with [`ClientBuilder::http_client`], keeps its own policy.)
///
/// ```
/// assert_eq!(opencx_api::MAX_REDIRECTS, 5);
/// ```
pub const MAX_REDIRECTS: usize = 5;

/// Why a client could not be built.
#[derive(Debug)]
#[non_exhaustive]
pub enum ConfigError {
    /// `OPENCX_API_KEY` is not set.
    MissingApiKey,
    /// The API key is empty or only white space.
    EmptyApiKey,
    /// The API key holds characters an HTTP header cannot carry.
    InvalidApiKey,
    /// The base URL is not an absolute `http` or `https` URL.
    InvalidBaseUrl(String),
    /// reqwest could not build its client (for instance, no TLS backend).
    Http(reqwest::Error),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::MissingApiKey => write!(
                f,
                "{API_KEY_ENV} is not set; create an API key in the OpenCX dashboard"
            ),
            ConfigError::EmptyApiKey => f.write_str("the OpenCX API key is empty"),
            ConfigError::InvalidApiKey => {
                f.write_str("the OpenCX API key holds characters an HTTP header cannot carry")
            }
            ConfigError::InvalidBaseUrl(url) => write!(
                f,
                "invalid OpenCX base URL {url:?}: expected http(s)://host[:port][/path]"
            ),
            ConfigError::Http(e) => write!(f, "could not build the HTTP client: {e}"),
        }
    }
}

impl std::error::Error for ConfigError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ConfigError::Http(e) => Some(e),
            _ => None,
        }
    }
}

/// What every request of a [`Client`] (and its clones) shares: the token, the
/// retry policy and the rate limiter. The generated code holds it as the
/// client's `inner` value; build it through [`ClientBuilder`].
///
/// ```
/// // `Client::new` is progenitor's; it takes the state explicitly.
/// let client = opencx_api::Client::new("http://127.0.0.1:8080", opencx_api::ClientState::default());
/// # let _ = client;
/// ```
#[derive(Clone, Debug)]
pub struct ClientState {
    pub(crate) token: Option<BearerToken>,
    pub(crate) retry: RetryPolicy,
    /// Shared by clones, so they pace together.
    pub(crate) rate_limiter: Option<Arc<TokenBucket>>,
    /// Every try sent, retries included; shared by clones, so a long job can
    /// report the rate it achieved against the limit.
    pub(crate) sent: Arc<AtomicU64>,
    /// The limits the HTTP client was built with, to say which one ran out;
    /// unknown for a caller's own `reqwest::Client`.
    pub(crate) timeouts: Option<Timeouts>,
}

/// A client's request and connect timeouts.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Timeouts {
    pub(crate) request: Duration,
    pub(crate) connect: Duration,
}

/// No token; the default retry policy and rate limit.
impl Default for ClientState {
    fn default() -> Self {
        Self {
            token: None,
            retry: RetryPolicy::default(),
            rate_limiter: Some(Arc::new(TokenBucket::new(RateLimit::default()))),
            sent: Arc::default(),
            timeouts: None,
        }
    }
}

/// Configures a [`Client`].
///
/// ```
/// use std::time::Duration;
///
/// let client = opencx_api::Client::builder()
///     .bearer_token("sk-test")
///     .base_url("http://127.0.0.1:8080")
///     .timeout(Duration::from_secs(5))
///     .user_agent("my-app/1.0")
///     .build()
///     .unwrap();
/// assert_eq!(client.baseurl(), "http://127.0.0.1:8080");
/// ```
#[derive(Clone)]
pub struct ClientBuilder {
    base_url: String,
    token: Option<String>,
    timeout: Duration,
    connect_timeout: Duration,
    user_agent: String,
    http: Option<reqwest::Client>,
    retry: RetryPolicy,
    rate_limit: Option<RateLimit>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("user_agent", &self.user_agent)
            .field(
                "http",
                &self.http.as_ref().map(|_| "<caller's reqwest::Client>"),
            )
            .finish()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            base_url: DEFAULT_BASE_URL.to_string(),
            token: None,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            user_agent: USER_AGENT.to_string(),
            http: None,
            retry: RetryPolicy::default(),
            rate_limit: Some(RateLimit::default()),
        }
    }
}

impl ClientBuilder {
    /// The server, default [`DEFAULT_BASE_URL`]. A trailing `/` is ignored.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// The API key, sent as `Authorization: Bearer <key>` on every request.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// Limit on one request, from connecting to reading the body; default
    /// [`DEFAULT_TIMEOUT`]. Ignored with [`http_client`](Self::http_client).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Limit on connecting; default [`DEFAULT_CONNECT_TIMEOUT`]. Ignored with
    /// [`http_client`](Self::http_client).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The `User-Agent`; default [`USER_AGENT`]. Ignored with
    /// [`http_client`](Self::http_client), whose own settings apply.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Use an existing `reqwest::Client` (proxies, TLS roots, connection pool)
    /// instead of building one. The token is still added to every request;
    /// its own timeouts and redirect policy apply.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// How failed requests are retried; default [`RetryPolicy::default`].
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Sends every request once, whatever the answer.
    pub fn no_retries(self) -> Self {
        self.retry(RetryPolicy::disabled())
    }

    /// Paces requests client-side; default [`RateLimit::default`] (OpenCX's
    /// documented 100 requests per minute). Clones of the client share it.
    pub fn rate_limit(mut self, limit: RateLimit) -> Self {
        self.rate_limit = Some(limit);
        self
    }

    /// Sends requests as fast as they come (the server's limit still applies).
    pub fn no_rate_limit(mut self) -> Self {
        self.rate_limit = None;
        self
    }

    /// Builds the client. Fails on an empty or unsendable token, or a base URL
    /// that is not absolute `http(s)`.
    pub fn build(self) -> Result<Client, ConfigError> {
        let base_url = normalize_base_url(&self.base_url)?;
        let token = self.token.map(BearerToken::new).transpose()?;
        let (http, timeouts) = match self.http {
            Some(http) => (http, None),
            None => {
                let http = reqwest::Client::builder()
                    .timeout(self.timeout)
                    .connect_timeout(self.connect_timeout)
                    .user_agent(self.user_agent)
                    // reqwest drops `Authorization` when a redirect leaves the
                    // host; this bounds how far one may lead.
                    .redirect(reqwest::redirect::Policy::limited(MAX_REDIRECTS))
                    .build()
                    .map_err(ConfigError::Http)?;
                let timeouts = Timeouts {
                    request: self.timeout,
                    connect: self.connect_timeout,
                };
                (http, Some(timeouts))
            }
        };
        let rate_limiter = self
            .rate_limit
            .map(|limit| Arc::new(TokenBucket::new(limit)));
        let state = ClientState {
            token,
            retry: self.retry,
            rate_limiter,
            sent: Arc::default(),
            timeouts,
        };
        Ok(Client::new_with_client(&base_url, http, state))
    }
}

fn normalize_base_url(url: &str) -> Result<String, ConfigError> {
    let trimmed = url.trim().trim_end_matches('/');
    match reqwest::Url::parse(trimmed) {
        Ok(parsed) if matches!(parsed.scheme(), "http" | "https") && parsed.has_host() => {
            Ok(trimmed.to_string())
        }
        _ => Err(ConfigError::InvalidBaseUrl(url.to_string())),
    }
}

impl Client {
    /// A [`ClientBuilder`] with the defaults.
    ///
    /// ```
    /// let client = opencx_api::Client::builder().bearer_token("sk-test").build().unwrap();
    /// assert_eq!(client.baseurl(), opencx_api::DEFAULT_BASE_URL);
    /// ```
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client for `base_url` that sends `token` as a bearer token.
    ///
    /// ```
    /// let client = opencx_api::Client::with_bearer_token("https://api.open.cx", "sk-test").unwrap();
    /// # let _ = client;
    /// ```
    pub fn with_bearer_token(
        base_url: impl Into<String>,
        token: impl Into<String>,
    ) -> Result<Self, ConfigError> {
        Self::builder()
            .base_url(base_url)
            .bearer_token(token)
            .build()
    }

    /// A client configured from the environment: the key from `OPENCX_API_KEY`
    /// (required, non-empty), the server from `OPENCX_BASE_URL` (default
    /// [`DEFAULT_BASE_URL`]).
    ///
    /// ```no_run
    /// let client = opencx_api::Client::from_env()?;
    /// # Ok::<(), opencx_api::ConfigError>(())
    /// ```
    pub fn from_env() -> Result<Self, ConfigError> {
        let token = std::env::var(API_KEY_ENV).map_err(|_| ConfigError::MissingApiKey)?;
        let base_url = std::env::var(BASE_URL_ENV)
            .ok()
            .filter(|url| !url.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_BASE_URL.to_string());
        Self::builder()
            .base_url(base_url)
            .bearer_token(token)
            .build()
    }

    /// The base URL requests go to.
    pub fn baseurl(&self) -> &str {
        progenitor_client::ClientInfo::baseurl(self)
    }

    /// The client-side rate limit this client and its clones share, if any.
    ///
    /// ```
    /// let client = opencx_api::Client::builder().bearer_token("sk-test").build().unwrap();
    /// assert_eq!(client.rate_limit(), Some(opencx_api::RateLimit::per_minute(100)));
    /// ```
    pub fn rate_limit(&self) -> Option<RateLimit> {
        self.inner
            .rate_limiter
            .as_ref()
            .map(|bucket| bucket.limit())
    }

    /// How many requests this client and its clones have sent, every retry
    /// counted: what the server's rate limit sees.
    ///
    /// ```
    /// let client = opencx_api::Client::builder().bearer_token("sk-test").build().unwrap();
    /// assert_eq!(client.requests_sent(), 0);
    /// ```
    pub fn requests_sent(&self) -> u64 {
        self.inner.sent.load(Ordering::Relaxed)
    }
}
