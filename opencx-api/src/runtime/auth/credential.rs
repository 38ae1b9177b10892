//! What a caller gives for one security scheme: a secret (a bearer token, an
//! API key, an OAuth 2.0 access token), a username and password for HTTP
//! basic, or a [`TokenSource`] asked before every call for a fresh token.

use std::fmt;
use std::future::Future;
use std::sync::Arc;

use futures::future::BoxFuture;

/// The error a [`TokenSource`] gives when it has no token: any error type.
pub type TokenError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Where a fresh access token comes from, for a scheme whose tokens expire
/// (`oauth2`, `openIdConnect`, or any bearer token): asked once per call,
/// before the first try (retries of that call reuse its token). Caching a
/// token until it expires, and refreshing it, is the source's business; a
/// closure returning a future is one.
///
/// A source that fails fails the call with an [`Error::Other`](crate::Error)
/// naming the scheme and the source's message; nothing is sent.
///
/// ```
/// use opencx_api::config::Credential;
///
/// let refreshing = Credential::refreshing(|| async {
///     // Ask the identity provider, or a cache of its last answer.
///     Ok::<_, std::io::Error>("access-token-1".to_string())
/// });
/// assert_eq!(format!("{refreshing:?}"), "Credential(<token source>)");
/// ```
pub trait TokenSource: Send + Sync + 'static {
    /// A token to send now.
    fn token(&self) -> BoxFuture<'_, Result<String, TokenError>>;
}

impl<F, Fut, E> TokenSource for F
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<String, E>> + Send + 'static,
    E: Into<TokenError>,
{
    fn token(&self) -> BoxFuture<'_, Result<String, TokenError>> {
        let future = self();
        Box::pin(async move { future.await.map_err(Into::into) })
    }
}

/// The credentials for one security scheme of the API's document, given to
/// [`ClientBuilder::credential`](crate::ClientBuilder::credential) or to the
/// setter generated for the scheme. `Debug` never shows the secret.
///
/// Which kind fits which scheme: [`Credential::basic`] for `http` `basic`;
/// a secret ([`Credential::secret`], or any `String`/`&str`) for every other
/// kind (`http` `bearer` and other `http` schemes, `apiKey` in a header, the
/// query or a cookie, `oauth2`, `openIdConnect`); [`Credential::refreshing`]
/// for any of those as well.
///
/// ```
/// use opencx_api::config::Credential;
///
/// let key: Credential = "sk-live-123".into();
/// assert_eq!(format!("{key:?}"), "Credential(<redacted>)");
/// let basic = Credential::basic("ACxxxx", "auth-token");
/// assert_eq!(format!("{basic:?}"), "Credential(basic, <redacted>)");
/// ```
#[derive(Clone)]
pub struct Credential(pub(crate) Kind);

#[derive(Clone)]
pub(crate) enum Kind {
    Secret(String),
    Basic { username: String, password: String },
    Source(Arc<dyn TokenSource>),
}

impl Credential {
    /// A secret sent as it is: a bearer token, an API key, an access token.
    pub fn secret(secret: impl Into<String>) -> Self {
        Self(Kind::Secret(secret.into()))
    }

    /// A username and password for HTTP basic authentication (RFC 7617),
    /// sent as `Authorization: Basic base64(username:password)`.
    pub fn basic(username: impl Into<String>, password: impl Into<String>) -> Self {
        Self(Kind::Basic {
            username: username.into(),
            password: password.into(),
        })
    }

    /// A token asked of `source` before every call (see [`TokenSource`]).
    pub fn refreshing(source: impl TokenSource) -> Self {
        Self(Kind::Source(Arc::new(source)))
    }

    /// Whether this is a username and password.
    pub(crate) fn is_basic(&self) -> bool {
        matches!(self.0, Kind::Basic { .. })
    }
}

impl From<String> for Credential {
    fn from(secret: String) -> Self {
        Self::secret(secret)
    }
}

impl From<&str> for Credential {
    fn from(secret: &str) -> Self {
        Self::secret(secret)
    }
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Kind::Secret(_) => f.write_str("Credential(<redacted>)"),
            Kind::Basic { .. } => f.write_str("Credential(basic, <redacted>)"),
            Kind::Source(_) => f.write_str("Credential(<token source>)"),
        }
    }
}
