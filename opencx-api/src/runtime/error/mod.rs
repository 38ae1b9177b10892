//! The one error type every call returns.
//!
//! The enum, its accessors and what it prints are here; [`response`] holds
//! what an error keeps of an answer (its body and headers, where decoding
//! stopped), [`attempts`] what it keeps of the tries, and [`config`] the
//! error of building a client.

mod attempts;
mod config;
mod response;

use std::fmt;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use super::transport::TransportKind;

pub use attempts::{Attempts, NotRetried};
pub use config::ConfigError;
pub(crate) use response::request_id;
pub use response::{DecodeFailure, ErrorResponse, BODY_SNIPPET_LEN};

/// Everything that can go wrong calling the API. Messages start with the
/// API's name (the document's `info.title` without a last word "API", or the
/// overlay's `x-api-name`: "OpenCX" for this crate).
///
/// Every generated `send()`, the pagination streams, the exporter and the
/// hand-written methods return it, so `?` works in functions returning
/// `opencx_api::Result`, `anyhow::Result` or `Box<dyn std::error::Error>`.
/// What it prints says what happened, in one line, without the API key:
///
/// ```text
/// OpenCX get_chat_session failed after 2 tries: timed out after 300 ms
/// OpenCX get_chat_session failed: 404 Not Found: Session not found
/// OpenCX list_chat_sessions failed after 3 tries: 502 Bad Gateway: <html><body>Bad gateway</body></html>
/// OpenCX get_chat_session: the 200 OK answer does not decode at `channel.type`: unknown variant ... (body: {"id":"s1",...)
/// OpenCX get_chat_session: invalid request: the required parameter `session_id` was not set
/// ```
///
/// Match on the variants, or use the accessors ([`status`](Self::status),
/// [`is_timeout`](Self::is_timeout), [`is_retryable`](Self::is_retryable),
/// [`operation`](Self::operation), [`tries`](Self::tries),
/// [`response`](Self::response), [`request_id`](Self::request_id)):
///
/// ```
/// # async fn run(client: &opencx_api::Client) -> opencx_api::Result<()> {
/// match client.get_chat_session().session_id("missing").send().await {
///     Ok(session) => println!("{}", session.id),
///     Err(e) if e.status() == Some(reqwest::StatusCode::NOT_FOUND) => {
///         println!("no such session ({})", e.request_id().unwrap_or("no request id"));
///     }
///     Err(e) => return Err(e),
/// }
/// # Ok(()) }
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with an error status (4xx, 5xx, or any other
    /// that is not a success), after the retries the policy allows.
    Api {
        /// The HTTP status of the last answer.
        status: StatusCode,
        /// The operation and how many times it was sent.
        attempts: Attempts,
        /// Set when the status is one retries are for, but the request was
        /// not sent again.
        not_retried: Option<NotRetried>,
        /// The answer's headers and body.
        response: Box<ErrorResponse>,
    },
    /// No usable answer arrived: a timeout, a refused or reset connection, a
    /// body cut short, TLS, DNS. Retries, if allowed, were spent first.
    Transport {
        /// What happened, read from reqwest's cause chain.
        kind: TransportKind,
        /// The operation and how many times it was sent, when known.
        attempts: Option<Attempts>,
        /// Set when the failure is one retries are for, but the request was
        /// not sent again.
        not_retried: Option<NotRetried>,
        /// reqwest's error, with the causes beneath it.
        source: reqwest::Error,
    },
    /// A success answer whose body is not what the API documents.
    InvalidResponse {
        /// The HTTP status of the answer.
        status: StatusCode,
        /// The operation and how many times it was sent.
        attempts: Attempts,
        /// Where the body stopped making sense, and how it starts.
        detail: Box<DecodeFailure>,
    },
    /// A success status the operation does not document, where the status
    /// decides how the body is read (an operation with several answers), or
    /// an informational or redirect status that reached the client.
    UnexpectedStatus {
        /// The HTTP status of the answer.
        status: StatusCode,
        /// The operation and how many times it was sent.
        attempts: Attempts,
        /// The success statuses the operation documents, as written there
        /// (`200`, `2XX`).
        documented: Vec<String>,
    },
    /// A request the client could not build, so nothing was sent: a required
    /// parameter not set, a value that does not convert, a header value HTTP
    /// cannot carry.
    InvalidRequest {
        /// The operation, when the request came from one.
        operation: Option<Box<str>>,
        /// Which parameter, and what is wrong with it.
        message: String,
    },
    /// A paginated listing stopped advancing (a cursor came back, or a page
    /// number did not grow); the stream ends rather than loop forever.
    Pagination(String),
    /// A client-side failure with no better category.
    Other(String),
}

impl Error {
    /// An [`Error::InvalidRequest`] without an operation.
    ///
    /// ```
    /// let e = opencx_api::Error::invalid_request("`limit` must be at most 100");
    /// assert_eq!(e.to_string(), "OpenCX: invalid request: `limit` must be at most 100");
    /// ```
    pub fn invalid_request(message: impl Into<String>) -> Self {
        Error::InvalidRequest {
            operation: None,
            message: message.into(),
        }
    }

    /// The HTTP status, when the error came with an answer.
    ///
    /// ```
    /// let e = opencx_api::Error::invalid_request("bad");
    /// assert_eq!(e.status(), None);
    /// ```
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api { status, .. }
            | Error::InvalidResponse { status, .. }
            | Error::UnexpectedStatus { status, .. } => Some(*status),
            Error::Transport { source, .. } => source.status(),
            _ => None,
        }
    }

    /// Whether the request timed out (each try, when it was retried).
    ///
    /// ```
    /// assert!(!opencx_api::Error::invalid_request("bad").is_timeout());
    /// ```
    pub fn is_timeout(&self) -> bool {
        matches!(
            self,
            Error::Transport {
                kind: TransportKind::Timeout { .. },
                ..
            }
        )
    }

    /// Whether sending the same request again later may succeed: a 408, 409,
    /// 429 or 5xx answer, a timeout, a refused, reset or closed connection,
    /// a body cut short. Not a 4xx the request itself caused, an answer that
    /// does not decode, TLS or DNS trouble. The client's retries have already
    /// been spent; this is for the caller's own, later, retry.
    ///
    /// ```
    /// assert!(!opencx_api::Error::invalid_request("bad").is_retryable());
    /// ```
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api { status, .. } => super::retry::RetryPolicy::is_retryable_status(*status),
            Error::Transport { kind, .. } => matches!(
                kind,
                TransportKind::Timeout { .. }
                    | TransportKind::ConnectionRefused
                    | TransportKind::ConnectionReset
                    | TransportKind::ConnectionClosed
                    | TransportKind::BodyCutShort { .. }
            ),
            _ => false,
        }
    }

    /// Whether the request may have reached the server, which may have acted
    /// on it: an answer came, or the connection broke after sending. A write
    /// operation that fails this way may have taken effect.
    ///
    /// ```
    /// assert!(!opencx_api::Error::invalid_request("bad").may_have_reached_server());
    /// ```
    pub fn may_have_reached_server(&self) -> bool {
        match self {
            Error::Api { .. } | Error::InvalidResponse { .. } | Error::UnexpectedStatus { .. } => {
                true
            }
            Error::Transport { kind, .. } => !matches!(
                kind,
                TransportKind::ConnectionRefused | TransportKind::Dns(_) | TransportKind::Tls(_)
            ),
            _ => false,
        }
    }

    /// Why the request was not sent again, when its failure is one retries
    /// are for.
    pub fn not_retried(&self) -> Option<&NotRetried> {
        match self {
            Error::Api { not_retried, .. } | Error::Transport { not_retried, .. } => {
                not_retried.as_ref()
            }
            _ => None,
        }
    }

    /// The operation and how many times it was sent, when the error came from
    /// sending one.
    ///
    /// ```
    /// assert_eq!(opencx_api::Error::invalid_request("bad").attempts(), None);
    /// ```
    pub fn attempts(&self) -> Option<&Attempts> {
        match self {
            Error::Api { attempts, .. }
            | Error::InvalidResponse { attempts, .. }
            | Error::UnexpectedStatus { attempts, .. } => Some(attempts),
            Error::Transport { attempts, .. } => attempts.as_ref(),
            _ => None,
        }
    }

    /// The operation that failed, as the client's method names it
    /// (`get_chat_session`).
    ///
    /// ```
    /// assert_eq!(opencx_api::Error::invalid_request("bad").operation(), None);
    /// ```
    pub fn operation(&self) -> Option<&str> {
        match self {
            Error::InvalidRequest { operation, .. } => operation.as_deref(),
            _ => self.attempts().map(Attempts::operation),
        }
    }

    /// How many times the request was sent: 1 when it was not retried, 0
    /// when it was never sent.
    ///
    /// ```
    /// assert_eq!(opencx_api::Error::invalid_request("bad").tries(), None);
    /// ```
    pub fn tries(&self) -> Option<u32> {
        match self {
            Error::InvalidRequest {
                operation: Some(_), ..
            } => Some(0),
            _ => self.attempts().map(Attempts::tries),
        }
    }

    /// The error answer's headers and body, for an [`Error::Api`].
    pub fn response(&self) -> Option<&ErrorResponse> {
        match self {
            Error::Api { response, .. } => Some(response),
            _ => None,
        }
    }

    /// The error answer's headers, for an [`Error::Api`].
    pub fn headers(&self) -> Option<&HeaderMap> {
        self.response().map(ErrorResponse::headers)
    }

    /// The server's request id for an [`Error::Api`] (see
    /// [`ErrorResponse::request_id`]), to quote in a support ticket.
    pub fn request_id(&self) -> Option<&str> {
        self.response().and_then(ErrorResponse::request_id)
    }
}

/// The API's name, which every message starts with: the document's
/// (`codegen/security.rs`), never another API's.
const API: &str = crate::Client::API_NAME;

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api {
                status,
                attempts,
                not_retried,
                response,
            } => {
                write!(f, "{API} {attempts}: {status}")?;
                if let Some(message) = response.message() {
                    write!(f, ": {message}")?;
                }
                if let Some(not_retried) = not_retried {
                    write!(f, "; {not_retried}")?;
                }
                Ok(())
            }
            Error::Transport {
                kind,
                attempts,
                not_retried,
                ..
            } => {
                match attempts {
                    Some(attempts) => write!(f, "{API} {attempts}: {kind}")?,
                    None => write!(f, "{API} request failed: {kind}")?,
                }
                if let Some(not_retried) = not_retried {
                    write!(f, "; {not_retried}")?;
                }
                Ok(())
            }
            Error::InvalidResponse {
                status,
                attempts,
                detail,
            } => {
                let at = match detail.path() {
                    "." | "" => String::new(),
                    path => format!(" at `{path}`"),
                };
                write!(
                    f,
                    "{API} {}: the {status} answer does not decode{at}: {} (body: {})",
                    attempts.operation(),
                    detail.source(),
                    detail.snippet()
                )
            }
            Error::UnexpectedStatus {
                status,
                attempts,
                documented,
            } => write!(
                f,
                "{API} {}: unexpected {status} answer; the API documents {}",
                attempts.operation(),
                documented.join(", ")
            ),
            Error::InvalidRequest {
                operation: Some(operation),
                message,
            } => write!(f, "{API} {operation}: invalid request: {message}"),
            Error::InvalidRequest {
                operation: None,
                message,
            } => write!(f, "{API}: invalid request: {message}"),
            Error::Pagination(message) => write!(f, "{API} pagination stopped: {message}"),
            Error::Other(message) => write!(f, "{API}: {message}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport { source, .. } => Some(source),
            // The message already quotes serde's words; its source is below.
            Error::InvalidResponse { detail, .. } => detail.source().source(),
            _ => None,
        }
    }
}

/// The client's hook relays its own errors inside reqwest's (see
/// `error_relay`); those come back whole. Any other is classified here,
/// without the operation or the tries.
impl From<reqwest::Error> for Error {
    fn from(error: reqwest::Error) -> Self {
        super::error_relay::recover(error).unwrap_or_else(|error| Error::Transport {
            kind: TransportKind::classify(&error, None, None),
            attempts: None,
            not_retried: None,
            source: error,
        })
    }
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
