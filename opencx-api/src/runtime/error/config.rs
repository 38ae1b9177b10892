//! Why a client could not be built: the one error of building, shared by the
//! token check ([`BearerToken`](crate::runtime::BearerToken)), the credentials'
//! checks and the builder
//! ([`ClientBuilder`](crate::runtime::ClientBuilder)).

use std::fmt;

/// Why a client could not be built.
///
/// ```
/// let error = opencx_api::Client::builder().bearer_token(" ").build().unwrap_err();
/// assert!(matches!(error, opencx_api::error::ConfigError::EmptyApiKey));
/// assert_eq!(error.to_string(), "the API key is empty");
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum ConfigError {
    /// The environment variable that holds the API key is not set.
    MissingApiKey {
        /// The variable's name (`OPENCX_API_KEY`).
        variable: &'static str,
    },
    /// The API key is empty or only white space.
    EmptyApiKey,
    /// The API key holds characters an HTTP header cannot carry.
    InvalidApiKey,
    /// No base URL was given, and the API names no default server.
    MissingBaseUrl,
    /// The base URL is not an absolute `http` or `https` URL.
    InvalidBaseUrl(String),
    /// reqwest could not build its client (for instance, no TLS backend).
    Http(reqwest::Error),
    /// A credential was given for a security scheme the API's document does
    /// not define.
    UnknownSecurityScheme {
        /// The name given.
        scheme: String,
        /// The schemes the document defines (`components/securitySchemes`).
        known: Vec<&'static str>,
    },
    /// A credential of the wrong kind for its scheme: a username and password
    /// for a scheme that is not HTTP basic, or a secret for one that is.
    CredentialKind {
        /// The scheme's name in the document.
        scheme: &'static str,
        /// What the scheme takes.
        expected: &'static str,
    },
    /// A scheme's credential is empty.
    EmptyCredential {
        /// The scheme's name in the document.
        scheme: &'static str,
    },
    /// A scheme's credential cannot be sent as the scheme says: characters
    /// the header or cookie that carries it cannot hold (a cookie's `;`), a
    /// basic username with `:` (RFC 7617), or an API key header name that is
    /// no header name.
    InvalidCredential {
        /// The scheme's name in the document.
        scheme: &'static str,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::MissingApiKey { variable } => {
                write!(f, "{variable} is not set; it holds the API key")
            }
            ConfigError::EmptyApiKey => f.write_str("the API key is empty"),
            ConfigError::InvalidApiKey => {
                f.write_str("the API key holds characters an HTTP header cannot carry")
            }
            ConfigError::MissingBaseUrl => {
                f.write_str("no base URL: set one with `ClientBuilder::base_url`")
            }
            ConfigError::InvalidBaseUrl(url) => write!(
                f,
                "invalid base URL {url:?}: expected http(s)://host[:port][/path]"
            ),
            ConfigError::Http(e) => write!(f, "could not build the HTTP client: {e}"),
            ConfigError::UnknownSecurityScheme { scheme, known } => match known.as_slice() {
                [] => write!(
                    f,
                    "credentials for security scheme `{scheme}`, but the API defines none"
                ),
                known => write!(
                    f,
                    "credentials for security scheme `{scheme}`, which the API does not define; \
                     it defines `{}`",
                    known.join("`, `")
                ),
            },
            ConfigError::CredentialKind { scheme, expected } => {
                write!(f, "security scheme `{scheme}` takes {expected}")
            }
            ConfigError::EmptyCredential { scheme } => {
                write!(f, "the credential of security scheme `{scheme}` is empty")
            }
            ConfigError::InvalidCredential { scheme } => write!(
                f,
                "the credential of security scheme `{scheme}` cannot be sent as it says: characters its header or cookie cannot carry, a basic username with `:`, or a header name that is none"
            ),
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
