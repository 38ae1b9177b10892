//! Why no usable answer arrived: reqwest's error, read down its cause chain
//! into the few kinds a person can act on.
//!
//! reqwest's own `Display` says only "error sending request for url (...)";
//! what happened (a timeout, a refused or reset connection, TLS, DNS) is in
//! the chain of causes beneath it, as hyper, rustls and `std::io` errors.

use std::error::Error as StdError;
use std::fmt;
use std::io;
use std::time::Duration;

/// What went wrong below HTTP, in [`Error::Transport`](super::Error::Transport).
///
/// ```
/// use std::time::Duration;
/// use opencx_api::error::TransportKind;
///
/// let kind = TransportKind::Timeout { after: Some(Duration::from_secs(30)) };
/// assert_eq!(kind.to_string(), "timed out after 30 s");
/// let cut = TransportKind::BodyCutShort { received: 512, expected: Some(2048) };
/// assert_eq!(cut.to_string(), "body cut short after 512 of 2048 bytes");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportKind {
    /// The request took longer than the client allows.
    Timeout {
        /// The limit that ran out, when known.
        after: Option<Duration>,
    },
    /// Nothing listens at the server's address.
    ConnectionRefused,
    /// The connection was reset.
    ConnectionReset,
    /// The connection closed after the request was sent and before an answer
    /// came: the server may have received it.
    ConnectionClosed,
    /// The answer's body stopped before its end.
    BodyCutShort {
        /// Bytes of the body that arrived.
        received: u64,
        /// The length the server announced, if it did.
        expected: Option<u64>,
    },
    /// The TLS handshake or session failed (certificate, protocol).
    Tls(String),
    /// The server's name did not resolve.
    Dns(String),
    /// A redirect could not be followed (too many, or an unusable target).
    Redirect(String),
    /// Anything else, as the deepest cause describes it.
    Other(String),
}

impl TransportKind {
    /// Reads `error`'s cause chain. `cut_short` is `(received, expected)` when
    /// the failure came while reading the body; `timeout` is the limit that
    /// applies, if the caller knows it.
    pub(crate) fn classify(
        error: &reqwest::Error,
        cut_short: Option<(u64, Option<u64>)>,
        timeout: Option<Duration>,
    ) -> Self {
        if error.is_timeout() {
            return TransportKind::Timeout { after: timeout };
        }
        if let Some((received, expected)) = cut_short {
            return TransportKind::BodyCutShort { received, expected };
        }
        let root = deepest_cause(error);
        if error.is_dns() {
            return TransportKind::Dns(root);
        }
        if causes(error).any(|e| e.is::<rustls::Error>()) {
            return TransportKind::Tls(root);
        }
        let io_kind = |kinds: &[io::ErrorKind]| {
            causes(error)
                .filter_map(|e| e.downcast_ref::<io::Error>())
                .any(|e| kinds.contains(&e.kind()))
        };
        if io_kind(&[io::ErrorKind::ConnectionRefused]) {
            return TransportKind::ConnectionRefused;
        }
        if io_kind(&[
            io::ErrorKind::ConnectionReset,
            io::ErrorKind::ConnectionAborted,
            io::ErrorKind::BrokenPipe,
        ]) {
            return TransportKind::ConnectionReset;
        }
        if causes(error)
            .filter_map(|e| e.downcast_ref::<hyper::Error>())
            .any(hyper::Error::is_incomplete_message)
        {
            return TransportKind::ConnectionClosed;
        }
        if error.is_redirect() {
            return TransportKind::Redirect(root);
        }
        TransportKind::Other(root)
    }
}

/// `error` and every cause beneath it. A `std::io::Error`'s `source` skips
/// the error it wraps (rustls and hyper-util wrap theirs in one, sometimes
/// twice), so the walk steps into the wrapped error instead.
pub(crate) fn causes<'a>(
    error: &'a (dyn StdError + 'static),
) -> impl Iterator<Item = &'a (dyn StdError + 'static)> {
    std::iter::successors(Some(error), |&e| {
        match e.downcast_ref::<io::Error>().and_then(io::Error::get_ref) {
            Some(wrapped) => Some(wrapped as &(dyn StdError + 'static)),
            None => e.source(),
        }
    })
}

/// The innermost cause's message, which names the actual problem.
pub(crate) fn deepest_cause(error: &reqwest::Error) -> String {
    causes(error)
        .last()
        .map(ToString::to_string)
        .unwrap_or_default()
}

impl fmt::Display for TransportKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransportKind::Timeout { after: Some(after) } => {
                write!(f, "timed out after {}", Seconds(*after))
            }
            TransportKind::Timeout { after: None } => f.write_str("timed out"),
            TransportKind::ConnectionRefused => f.write_str("connection refused"),
            TransportKind::ConnectionReset => f.write_str("connection reset"),
            TransportKind::ConnectionClosed => f.write_str("connection closed before the answer"),
            TransportKind::BodyCutShort {
                received,
                expected: Some(expected),
            } => write!(f, "body cut short after {received} of {expected} bytes"),
            TransportKind::BodyCutShort { received, .. } => {
                write!(f, "body cut short after {received} bytes")
            }
            TransportKind::Tls(cause) => write!(f, "TLS error: {cause}"),
            TransportKind::Dns(cause) => write!(f, "DNS lookup failed: {cause}"),
            TransportKind::Redirect(cause) => write!(f, "redirect failed: {cause}"),
            TransportKind::Other(cause) => f.write_str(cause),
        }
    }
}

/// A duration as a person reads it: "30 s", "1.5 s", "100 ms".
struct Seconds(Duration);

impl fmt::Display for Seconds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.0;
        if d < Duration::from_secs(1) {
            write!(f, "{} ms", d.as_millis())
        } else if d.subsec_nanos() == 0 {
            write!(f, "{} s", d.as_secs())
        } else {
            write!(f, "{:.1} s", d.as_secs_f64())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        let shown = |d| Seconds(d).to_string();
        assert_eq!(shown(Duration::from_millis(100)), "100 ms");
        assert_eq!(shown(Duration::from_secs(30)), "30 s");
        assert_eq!(shown(Duration::from_millis(1500)), "1.5 s");
    }
}
