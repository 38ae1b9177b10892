//! Carries this crate's [`Error`] out of progenitor's `exec` hook.
//!
//! The hook must fail with a `reqwest::Error`, and the generated code wraps
//! that in `progenitor_client::Error` before the caller converts it into
//! [`Error`]. But the hook knows more than reqwest does (the operation, the
//! tries, how much of a body arrived), and a `reqwest::Error` can only be
//! built by reqwest. Reading a body whose stream fails is the one public way
//! to get one with a cause of our choosing: the hook's [`Error`] rides as that
//! cause, and `From<reqwest::Error> for Error` takes it back out whole.
//!
//! Code that inspects the raw `reqwest::Error` still sees everything: the
//! relayed error is in its cause chain, with reqwest's own error beneath it,
//! so `is_timeout()` and `is_connect()` keep answering truthfully.

use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;

use reqwest::{ResponseBuilderExt, Url};

use super::transport::causes;
use super::Error;

/// The cause that carries the error. An `Arc` so that [`recover`] can own
/// the error once the `reqwest::Error` around it is dropped.
#[derive(Debug)]
struct Relayed(Arc<Error>);

impl fmt::Display for Relayed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl StdError for Relayed {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.0.source()
    }
}

/// A `reqwest::Error` for `url` whose cause is `error`.
pub(crate) async fn relay(error: Error, url: Url) -> reqwest::Error {
    let relayed = Relayed(Arc::new(error));
    let body =
        reqwest::Body::wrap_stream(futures::stream::once(
            async move { Err::<Vec<u8>, _>(relayed) },
        ));
    let response = http::Response::builder()
        .url(url)
        .body(body)
        .expect("a bare response is valid");
    match reqwest::Response::from(response).bytes().await {
        Err(carrier) => carrier,
        Ok(_) => unreachable!("the body's only item is an error"),
    }
}

/// The error [`relay`] put into `error`, or `error` itself if it carries none.
pub(crate) fn recover(error: reqwest::Error) -> Result<Error, reqwest::Error> {
    let relayed = causes(&error)
        .find_map(|e| e.downcast_ref::<Relayed>())
        .map(|relayed| relayed.0.clone());
    let Some(relayed) = relayed else {
        return Err(error);
    };
    drop(error);
    // The dropped reqwest::Error held the only other copy; should that ever
    // change, the message survives.
    Ok(Arc::try_unwrap(relayed).unwrap_or_else(|shared| Error::Other(shared.to_string())))
}
