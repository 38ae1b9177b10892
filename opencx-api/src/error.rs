//! The one error type of the hand-written surface.
#![deny(missing_docs)]

use std::fmt;

use reqwest::StatusCode;

use crate::transport::TransportKind;
use crate::types::ApiError;
use crate::{error_body, error_relay};

/// How many bytes of an unparsable body an error keeps, for diagnosis.
pub const BODY_SNIPPET_LEN: usize = 512;

/// Everything that can go wrong talking to OpenCX.
///
/// Generated `send()` methods return `progenitor_client::Error<ApiError>`; `?`
/// converts it into this type, and the pagination streams yield it. Its
/// message names the operation, how many times it was sent, and what
/// happened, such as `OpenCX get_chat_session failed after 3 tries: timed out
/// after 30 s` or `OpenCX get_chat_session failed after 1 try: HTTP 404 Not
/// Found: no such session`. It never holds the API key.
///
/// ```
/// # async fn run(client: &opencx_api::Client) -> Result<(), opencx_api::Error> {
/// match client.get_chat_session().session_id("missing").send().await {
///     Ok(session) => println!("{}", session.id),
///     Err(e) => match opencx_api::Error::from(e) {
///         opencx_api::Error::Api { status, error, .. } if status == 404 => {
///             println!("no such session: {:?}", error.and_then(|e| e.message));
///         }
///         other => return Err(other),
///     },
/// }
/// # Ok(()) }
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with an error status. `error` is its JSON body when it
    /// had one; `body` holds the first bytes of a body that was not JSON.
    Api {
        /// The HTTP status.
        status: StatusCode,
        /// The parsed error body.
        error: Option<ApiError>,
        /// The first [`BODY_SNIPPET_LEN`] bytes of an unparsed body, else empty.
        body: String,
        /// The operation and how many times it was sent, when known.
        attempts: Option<Attempts>,
    },
    /// No usable answer arrived: a timeout, a refused or reset connection, a
    /// body cut short, TLS, DNS. Retries, if allowed, were spent first.
    Transport {
        /// What happened, read from reqwest's cause chain.
        kind: TransportKind,
        /// The operation and how many times it was sent, when known.
        attempts: Option<Attempts>,
        /// reqwest's error, with the causes beneath it.
        source: reqwest::Error,
    },
    /// A response whose body is not what the API documents.
    InvalidResponse {
        /// The first [`BODY_SNIPPET_LEN`] bytes of the body.
        body: String,
        /// Why it did not parse.
        source: serde_json::Error,
    },
    /// A request argument was invalid, so nothing was sent.
    InvalidRequest(String),
    /// A paginated listing stopped advancing (a cursor came back, or a page
    /// number did not grow); the stream ends rather than loop forever.
    Pagination(String),
    /// A client-side failure with no better category.
    Other(String),
}

impl Error {
    /// The HTTP status, when the error came from a response.
    ///
    /// ```
    /// let e = opencx_api::Error::InvalidRequest("bad".into());
    /// assert_eq!(e.status(), None);
    /// ```
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api { status, .. } => Some(*status),
            Error::Transport { source, .. } => source.status(),
            _ => None,
        }
    }

    /// The operation that failed and how many times it was sent, when the
    /// error came from sending it.
    ///
    /// ```
    /// let e = opencx_api::Error::InvalidRequest("bad".into());
    /// assert_eq!(e.attempts(), None);
    /// ```
    pub fn attempts(&self) -> Option<&Attempts> {
        match self {
            Error::Api { attempts, .. } | Error::Transport { attempts, .. } => attempts.as_ref(),
            _ => None,
        }
    }
}

/// Which operation a failed call was for, and how many times it was sent
/// (the first try and the retries).
///
/// ```
/// let attempts = opencx_api::Attempts::new("get_chat_session", 3);
/// assert_eq!(attempts.operation(), "get_chat_session");
/// assert_eq!(attempts.tries(), 3);
/// assert_eq!(attempts.to_string(), "get_chat_session failed after 3 tries");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attempts {
    // A boxed `str` keeps `Error` small enough to pass around in a `Result`.
    operation: Box<str>,
    tries: u32,
}

impl Attempts {
    /// `operation` (as the client's method names it), sent `tries` times.
    pub fn new(operation: impl Into<Box<str>>, tries: u32) -> Self {
        Self {
            operation: operation.into(),
            tries,
        }
    }

    /// The operation, as the client's method names it.
    pub fn operation(&self) -> &str {
        &self.operation
    }

    /// How many times the request was sent.
    pub fn tries(&self) -> u32 {
        self.tries
    }
}

impl fmt::Display for Attempts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tries = if self.tries == 1 { "try" } else { "tries" };
        write!(f, "{} failed after {} {tries}", self.operation, self.tries)
    }
}

/// "OpenCX get_chat_session failed after 3 tries", or less when less is known.
struct Context<'a>(Option<&'a Attempts>);

impl fmt::Display for Context<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(attempts) => write!(f, "OpenCX {attempts}"),
            None => f.write_str("OpenCX request failed"),
        }
    }
}

/// The first [`BODY_SNIPPET_LEN`] bytes of a body, as text.
pub(crate) fn snippet(body: &[u8]) -> String {
    String::from_utf8_lossy(&body[..body.len().min(BODY_SNIPPET_LEN)]).into_owned()
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api {
                status,
                error,
                body,
                attempts,
            } => {
                write!(f, "{}: HTTP {status}", Context(attempts.as_ref()))?;
                match error.as_ref().and_then(|e| e.message.as_deref()) {
                    Some(message) => write!(f, ": {message}"),
                    None if !body.is_empty() => write!(f, ": {body}"),
                    None => Ok(()),
                }
            }
            Error::Transport { kind, attempts, .. } => {
                write!(f, "{}: {kind}", Context(attempts.as_ref()))
            }
            Error::InvalidResponse { source, body } => {
                write!(f, "unexpected response body ({source}): {body}")
            }
            Error::InvalidRequest(message) => write!(f, "invalid request: {message}"),
            Error::Pagination(message) => write!(f, "pagination stopped: {message}"),
            Error::Other(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport { source, .. } => Some(source),
            Error::InvalidResponse { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl From<progenitor_client::Error<ApiError>> for Error {
    fn from(error: progenitor_client::Error<ApiError>) -> Self {
        use progenitor_client::Error as E;
        match error {
            E::ErrorResponse(response) => {
                let status = response.status();
                let attempts = error_body::attempts(response.headers());
                if response
                    .headers()
                    .contains_key(error_body::SYNTHESIZED_HEADER)
                {
                    // The server's body was not JSON; its first bytes are the message.
                    Error::Api {
                        status,
                        error: None,
                        body: response.into_inner().message.unwrap_or_default(),
                        attempts,
                    }
                } else {
                    Error::Api {
                        status,
                        error: Some(response.into_inner()),
                        body: String::new(),
                        attempts,
                    }
                }
            }
            E::UnexpectedResponse(response) => Error::Api {
                status: response.status(),
                error: None,
                body: String::new(),
                attempts: error_body::attempts(response.headers()),
            },
            E::InvalidResponsePayload(body, source) => Error::InvalidResponse {
                body: snippet(&body),
                source,
            },
            E::CommunicationError(e) | E::ResponseBodyError(e) | E::InvalidUpgrade(e) => {
                Error::from(e)
            }
            E::InvalidRequest(message) => Error::InvalidRequest(message),
            E::Custom(message) => Error::Other(message),
        }
    }
}

/// The client's hook relays its own errors inside reqwest's (see
/// `error_relay`); those come back whole. Any other is classified here,
/// without the operation or the tries.
impl From<reqwest::Error> for Error {
    fn from(error: reqwest::Error) -> Self {
        error_relay::recover(error).unwrap_or_else(|error| Error::Transport {
            kind: TransportKind::classify(&error, None, None),
            attempts: None,
            source: error,
        })
    }
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
