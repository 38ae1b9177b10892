//! The one error type of the hand-written surface.
#![deny(missing_docs)]

use std::fmt;

use reqwest::StatusCode;

use crate::types::ApiError;

/// How many bytes of an unparsable body an error keeps, for diagnosis.
pub const BODY_SNIPPET_LEN: usize = 512;

/// Everything that can go wrong talking to OpenCX.
///
/// Generated `send()` methods return `progenitor_client::Error<ApiError>`; `?`
/// converts it into this type, and the pagination streams yield it.
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
    },
    /// The request could not be sent or the response not received: connection
    /// refused, TLS, timeout.
    Transport(reqwest::Error),
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
            Error::Transport(e) => e.status(),
            _ => None,
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
                error: Some(error),
                ..
            } => {
                write!(f, "OpenCX API error {status}")?;
                if let Some(message) = &error.message {
                    write!(f, ": {message}")?;
                }
                Ok(())
            }
            Error::Api {
                status,
                error: None,
                body,
            } if body.is_empty() => write!(f, "OpenCX API error {status}"),
            Error::Api {
                status,
                error: None,
                body,
            } => write!(f, "OpenCX API error {status}: {body}"),
            Error::Transport(e) => write!(f, "could not reach the OpenCX API: {e}"),
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
            Error::Transport(e) => Some(e),
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
                if response
                    .headers()
                    .contains_key(crate::error_body::SYNTHESIZED_HEADER)
                {
                    // The server's body was not JSON; its first bytes are the message.
                    Error::Api {
                        status,
                        error: None,
                        body: response.into_inner().message.unwrap_or_default(),
                    }
                } else {
                    Error::Api {
                        status,
                        error: Some(response.into_inner()),
                        body: String::new(),
                    }
                }
            }
            E::UnexpectedResponse(response) => Error::Api {
                status: response.status(),
                error: None,
                body: String::new(),
            },
            E::InvalidResponsePayload(body, source) => Error::InvalidResponse {
                body: snippet(&body),
                source,
            },
            E::CommunicationError(e) | E::ResponseBodyError(e) | E::InvalidUpgrade(e) => {
                Error::Transport(e)
            }
            E::InvalidRequest(message) => Error::InvalidRequest(message),
            E::Custom(message) => Error::Other(message),
        }
    }
}

impl From<reqwest::Error> for Error {
    fn from(error: reqwest::Error) -> Self {
        Error::Transport(error)
    }
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
