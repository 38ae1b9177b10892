//! Building a [`Client`]: base URL, token, timeouts, user agent, retries and
//! the rate limit. The builder starts from no API's settings: the crate
//! around the runtime starts `Client::builder()` from its own (opencx-api's
//! are in `src/config.rs`).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::auth::{BearerToken, Credential, Credentials, SchemeKind};
use super::error::ConfigError;
use super::rate_limit::{RateLimit, TokenBucket};
use super::retry::RetryPolicy;
use super::state::{ClientState, Timeouts};
use crate::Client;

/// Default limit on one request, from connecting to reading the whole body.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Default limit on establishing a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How many redirects one request follows before it fails. An API does not
/// redirect; a long chain is a misconfigured proxy, or a loop. (A caller's own
/// client, given with [`ClientBuilder::http_client`], keeps its own policy.)
///
/// ```
/// assert_eq!(opencx_api::config::MAX_REDIRECTS, 5);
/// ```
pub const MAX_REDIRECTS: usize = 5;

/// The `User-Agent` of a builder nobody gave one: the name and version of the
/// crate the runtime is compiled into (`opencx-api/0.1.0`), never another API's.
const CRATE_USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// Configures a [`Client`]; start one with `Client::builder()`.
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
    base_url: Option<String>,
    token: Option<String>,
    /// By scheme name, in the order given; a later one for the same scheme wins.
    credentials: Vec<(String, Credential)>,
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
            .field("credentials", &self.credentials)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("user_agent", &self.user_agent)
            .field(
                "http",
                &self.http.as_ref().map(|_| "<caller's reqwest::Client>"),
            )
            .field("retry", &self.retry)
            .field("rate_limit", &self.rate_limit)
            .finish()
    }
}

impl ClientBuilder {
    /// A builder with no API's settings: no base URL, no token, no rate
    /// limit, the crate's own `User-Agent`, [`DEFAULT_TIMEOUT`],
    /// [`DEFAULT_CONNECT_TIMEOUT`] and the default [`RetryPolicy`]. The crate
    /// around the runtime adds its API's settings in `Client::builder()`.
    pub(crate) fn new() -> Self {
        Self {
            base_url: None,
            token: None,
            credentials: Vec::new(),
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            user_agent: CRATE_USER_AGENT.to_string(),
            http: None,
            retry: RetryPolicy::default(),
            rate_limit: None,
        }
    }

    /// The server: an absolute `http(s)` URL, with a path stem if the API
    /// has one. A trailing `/` is ignored.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// A bearer token, sent as `Authorization: Bearer <token>` for every
    /// security scheme of the document that takes one (`http` `bearer`,
    /// `oauth2`, `openIdConnect`) and has no credential of its own, and on
    /// the operations the document gives no security requirement.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// The credential for the document's security scheme `scheme` (its name
    /// in `components/securitySchemes`); each operation sends the credentials
    /// its `security` requirement names. The client also has a setter per
    /// scheme, named after it, which calls this.
    ///
    /// [`build`](Self::build) fails with [`ConfigError::UnknownSecurityScheme`]
    /// for a scheme the document does not define, and
    /// [`ConfigError::CredentialKind`] for a username and password given to a
    /// scheme that is not HTTP basic, or the reverse.
    pub fn credential(
        mut self,
        scheme: impl Into<String>,
        credential: impl Into<Credential>,
    ) -> Self {
        self.credentials.push((scheme.into(), credential.into()));
        self
    }

    /// Reads a credential for every security scheme of the document from the
    /// environment, where it is set and not empty (white space around it
    /// trimmed): the variable each scheme's setter names (for HTTP basic,
    /// that name with `_USERNAME` and `_PASSWORD`). Schemes without one keep
    /// what they had; one that has one takes it over what a setter called
    /// before gave.
    pub fn credentials_from_env(self) -> Self {
        // A value pasted with its line end works as the setter's would.
        let read = |name: &str| {
            std::env::var(name)
                .ok()
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let mut builder = self;
        for scheme in Client::SECURITY_SCHEMES {
            let credential = match scheme.kind {
                SchemeKind::Basic => {
                    let username = read(&format!("{}_USERNAME", scheme.env));
                    let password = read(&format!("{}_PASSWORD", scheme.env));
                    match (username, password) {
                        (Some(username), Some(password)) => {
                            Some(Credential::basic(username, password))
                        }
                        _ => None,
                    }
                }
                SchemeKind::MutualTls => None,
                _ => read(scheme.env).map(Credential::secret),
            };
            if let Some(credential) = credential {
                builder = builder.credential(scheme.name, credential);
            }
        }
        builder
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

    /// The `User-Agent`. Ignored with [`http_client`](Self::http_client),
    /// whose own settings apply.
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

    /// Paces requests client-side. Clones of the client share the limit.
    pub fn rate_limit(mut self, limit: RateLimit) -> Self {
        self.rate_limit = Some(limit);
        self
    }

    /// Sends requests as fast as they come (the server's limit still applies).
    pub fn no_rate_limit(mut self) -> Self {
        self.rate_limit = None;
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    /// [`ConfigError::MissingBaseUrl`] without a base URL,
    /// [`ConfigError::InvalidBaseUrl`] for one that is not absolute
    /// `http(s)`, [`ConfigError::EmptyApiKey`] or
    /// [`ConfigError::InvalidApiKey`] for a token that cannot be sent, the
    /// errors of [`credential`](Self::credential), and
    /// [`ConfigError::Http`] when reqwest cannot build its client.
    pub fn build(self) -> Result<Client, ConfigError> {
        let base_url = normalize_base_url(self.base_url.as_deref())?;
        let token = self.token.map(BearerToken::new).transpose()?;
        let custom_http = self.http.is_some();
        let credentials = Credentials::new(
            Client::SECURITY_SCHEMES,
            self.credentials,
            token,
            custom_http,
        )?;
        let secret_headers = credentials.in_own_headers();
        let (http, timeouts) = match self.http {
            Some(http) => (http, None),
            None => {
                let http = reqwest::Client::builder()
                    .timeout(self.timeout)
                    .connect_timeout(self.connect_timeout)
                    .user_agent(self.user_agent)
                    .redirect(redirect_policy(secret_headers))
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
            credentials,
            retry: self.retry,
            rate_limiter,
            sent: Arc::default(),
            timeouts,
        };
        Ok(Client::new_with_client(&base_url, http, state))
    }
}

/// How redirects are followed: at most [`MAX_REDIRECTS`], and, where a
/// credential travels in a header of the API's own naming (an API key in
/// `X-API-Key`), never to another origin: reqwest drops `Authorization` and
/// `Cookie` when a redirect leaves the host, but not such a header, which
/// would go with the request to wherever the answer points. The redirection
/// itself is then the answer (an error unless the operation documents it).
fn redirect_policy(secret_headers: bool) -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(move |attempt| {
        // `previous()` holds the first URL too, as in reqwest's own `limited`.
        if attempt.previous().len() > MAX_REDIRECTS {
            return attempt.error("too many redirects");
        }
        let leaves = attempt
            .previous()
            .last()
            .is_some_and(|from| from.origin() != attempt.url().origin());
        if secret_headers && leaves {
            attempt.stop()
        } else {
            attempt.follow()
        }
    })
}

fn normalize_base_url(url: Option<&str>) -> Result<String, ConfigError> {
    let url = url.ok_or(ConfigError::MissingBaseUrl)?;
    let trimmed = url.trim().trim_end_matches('/');
    match reqwest::Url::parse(trimmed) {
        Ok(parsed) if matches!(parsed.scheme(), "http" | "https") && parsed.has_host() => {
            Ok(trimmed.to_string())
        }
        _ => Err(ConfigError::InvalidBaseUrl(url.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_builder_starts_from_no_api_settings() {
        let builder = ClientBuilder::new();
        assert_eq!(builder.base_url, None);
        assert_eq!(builder.rate_limit, None);
        assert_eq!(builder.user_agent, CRATE_USER_AGENT);
        assert!(matches!(
            builder.bearer_token("sk-test").build(),
            Err(ConfigError::MissingBaseUrl)
        ));
    }
}
