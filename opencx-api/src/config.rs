//! Configuring a [`Client`]: OpenCX's own settings, and the knobs
//! [`ClientBuilder`] takes.
//!
//! Everything that is OpenCX's rather than any API's lives here, outside the
//! runtime (which names no API, so clients generated for other documents run
//! on it with none of this): the server, the environment variables
//! [`Client::from_env`] reads, the `User-Agent`, and the documented rate
//! limit, which [`Client::builder`] starts from.
//!
//! ```
//! use std::time::Duration;
//! use opencx_api::config::{RateLimit, RetryPolicy};
//!
//! let client = opencx_api::Client::builder()
//!     .bearer_token("sk-test")
//!     .retry(RetryPolicy::default().max_retries(5))
//!     .rate_limit(RateLimit::per_minute(60))
//!     .timeout(Duration::from_secs(10))
//!     .build()?;
//! assert_eq!(client.baseurl(), opencx_api::config::DEFAULT_BASE_URL);
//! # Ok::<(), opencx_api::error::ConfigError>(())
//! ```

use crate::error::ConfigError;
use crate::{Client, ClientBuilder};

pub use crate::runtime::{
    BearerToken, Credential, KeyLocation, RateLimit, RetryPolicy, Scheme, SchemeKind, TokenError,
    TokenSource, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, MAX_REDIRECTS,
};

/// The production server, as the vendored documents' `servers` list gives it.
pub const DEFAULT_BASE_URL: &str = "https://api.open.cx";

/// Environment variable holding the API key, read by [`Client::from_env`].
pub const API_KEY_ENV: &str = "OPENCX_API_KEY";

/// Environment variable overriding the base URL, read by [`Client::from_env`].
pub const BASE_URL_ENV: &str = "OPENCX_BASE_URL";

/// The `User-Agent` clients of this crate send unless told otherwise:
/// `opencx-api/<version>`.
///
/// ```
/// assert!(opencx_api::config::USER_AGENT.starts_with("opencx-api/"));
/// ```
pub const USER_AGENT: &str = concat!("opencx-api/", env!("CARGO_PKG_VERSION"));

/// OpenCX's documented limit for standard endpoints, which every client
/// starts with: 100 requests per minute, with a burst of 100.
///
/// ```
/// use opencx_api::config::{RateLimit, DEFAULT_RATE_LIMIT};
///
/// assert_eq!(DEFAULT_RATE_LIMIT, RateLimit::per_minute(100));
/// ```
pub const DEFAULT_RATE_LIMIT: RateLimit = RateLimit::per_minute(100);

impl Client {
    /// A [`ClientBuilder`] with OpenCX's settings: [`DEFAULT_BASE_URL`],
    /// [`USER_AGENT`], [`DEFAULT_RATE_LIMIT`], a 30 s timeout
    /// ([`DEFAULT_TIMEOUT`]) and the default [`RetryPolicy`]; no token.
    ///
    /// ```
    /// let client = opencx_api::Client::builder().bearer_token("sk-test").build().unwrap();
    /// assert_eq!(client.baseurl(), opencx_api::config::DEFAULT_BASE_URL);
    /// ```
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
            .base_url(DEFAULT_BASE_URL)
            .user_agent(USER_AGENT)
            .rate_limit(DEFAULT_RATE_LIMIT)
    }

    /// A client for `base_url` that sends `token` as a bearer token, with
    /// the other settings of [`Client::builder`].
    ///
    /// # Errors
    /// A [`ConfigError`] for a base URL that is not absolute `http(s)` or a
    /// token that is empty or cannot be sent in a header.
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

    /// A client configured from the environment: the key from
    /// `OPENCX_API_KEY` ([`API_KEY_ENV`]; required, non-empty; create one in
    /// the OpenCX dashboard), the server from `OPENCX_BASE_URL`
    /// ([`BASE_URL_ENV`], default [`DEFAULT_BASE_URL`]).
    ///
    /// # Errors
    /// [`ConfigError::MissingApiKey`] naming `OPENCX_API_KEY` when it is not
    /// set, and the errors of [`Client::with_bearer_token`].
    ///
    /// ```no_run
    /// let client = opencx_api::Client::from_env()?;
    /// # Ok::<(), opencx_api::error::ConfigError>(())
    /// ```
    pub fn from_env() -> Result<Self, ConfigError> {
        let token = std::env::var(API_KEY_ENV).map_err(|_| ConfigError::MissingApiKey {
            variable: API_KEY_ENV,
        })?;
        let base_url = std::env::var(BASE_URL_ENV)
            .ok()
            .filter(|url| !url.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_BASE_URL.to_string());
        Self::with_bearer_token(base_url, token)
    }
}
