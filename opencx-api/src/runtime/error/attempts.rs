//! What an error keeps of the tries: the operation and how many times it was
//! sent, and why a request was not sent again.

use std::fmt;

use reqwest::Method;

/// Why a request whose failure retries are for was not sent again.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum NotRetried {
    /// Its method is not idempotent (`POST`, `PATCH`) and the request may
    /// have reached the server, which may have acted on it: sending it again
    /// could act twice. Check before trying again (or allow it with
    /// [`RetryPolicy::retry_non_idempotent`](crate::runtime::RetryPolicy::retry_non_idempotent)).
    NonIdempotent {
        /// The request's method.
        method: Method,
    },
}

impl fmt::Display for NotRetried {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotRetried::NonIdempotent { method } => write!(
                f,
                "not retried: {method} is not idempotent and the request may have reached \
                 the server; check whether it took effect before sending it again"
            ),
        }
    }
}

/// Which operation a failed call was for, and how many times it was sent
/// (the first try and the retries).
///
/// ```
/// let attempts = opencx_api::error::Attempts::new("get_chat_session", 3);
/// assert_eq!(attempts.operation(), "get_chat_session");
/// assert_eq!(attempts.tries(), 3);
/// assert_eq!(attempts.to_string(), "get_chat_session failed after 3 tries");
/// assert_eq!(opencx_api::error::Attempts::new("get_chat_session", 1).to_string(), "get_chat_session failed");
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
        match self.tries {
            0 | 1 => write!(f, "{} failed", self.operation),
            n => write!(f, "{} failed after {n} tries", self.operation),
        }
    }
}
