//! What every request of a client and its clones shares (the state the
//! generated `Client` holds), and what a client tells of it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use super::auth::{Credentials, Scheme};
use super::rate_limit::{RateLimit, TokenBucket};
use super::retry::RetryPolicy;
use crate::Client;

/// What every request of a [`Client`] (and its clones) shares: the
/// credentials, the retry policy and the rate limiter. The generated code holds it as the
/// client's `inner` value (progenitor's `inner_type` setting, named
/// `crate::runtime::ClientState` in `codegen/mod.rs`); it is built by
/// [`ClientBuilder`](super::ClientBuilder), and hidden from the documented
/// surface with progenitor's constructors that take it.
#[doc(hidden)]
#[derive(Clone, Debug)]
pub struct ClientState {
    pub(crate) credentials: Credentials,
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

/// No credentials, the default retry policy, no rate limit: no API's settings.
impl Default for ClientState {
    fn default() -> Self {
        Self {
            credentials: Credentials::default(),
            retry: RetryPolicy::default(),
            rate_limiter: None,
            sent: Arc::default(),
            timeouts: None,
        }
    }
}

impl Client {
    /// The base URL requests go to, without a trailing `/`.
    ///
    /// ```
    /// let client = opencx_api::Client::with_bearer_token("http://127.0.0.1:8080/", "sk-test").unwrap();
    /// assert_eq!(client.baseurl(), "http://127.0.0.1:8080");
    /// ```
    pub fn baseurl(&self) -> &str {
        progenitor_client::ClientInfo::baseurl(self)
    }

    /// The security schemes of the API's document (`components/securitySchemes`):
    /// each one's name, how its credential is sent and the environment
    /// variable [`ClientBuilder::credentials_from_env`](crate::ClientBuilder::credentials_from_env)
    /// reads it from.
    ///
    /// ```
    /// use opencx_api::config::SchemeKind;
    ///
    /// let schemes = opencx_api::Client::security_schemes();
    /// assert_eq!(schemes[0].name, "bearerAuth");
    /// assert_eq!(schemes[0].kind, SchemeKind::Bearer);
    /// assert_eq!(schemes[0].env, "OPENCX_API_KEY");
    /// ```
    pub fn security_schemes() -> &'static [Scheme] {
        Client::SECURITY_SCHEMES
    }

    /// The client-side rate limit this client and its clones share, if any.
    ///
    /// ```
    /// use opencx_api::config::{RateLimit, DEFAULT_RATE_LIMIT};
    ///
    /// let client = opencx_api::Client::builder().bearer_token("sk-test").build().unwrap();
    /// assert_eq!(client.rate_limit(), Some(DEFAULT_RATE_LIMIT));
    /// assert_eq!(DEFAULT_RATE_LIMIT, RateLimit::per_minute(100));
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
