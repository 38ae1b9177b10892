//! Reading a whole answer inside the retry loop.
//!
//! The generated code reads the body after the `exec` hook returns, outside
//! any retry; a connection that drops mid-page would fail the call there. So
//! the hook reads the body itself, where a failure can still be retried, and
//! hands the generated code a response that decodes from memory. Only the one
//! answer in hand is held.

use reqwest::header::HeaderMap;
use reqwest::{ResponseBuilderExt, StatusCode, Url, Version};

/// An answer read to its end.
pub(crate) struct Buffered {
    pub(crate) status: StatusCode,
    pub(crate) version: Version,
    pub(crate) headers: HeaderMap,
    pub(crate) url: Url,
    pub(crate) body: Vec<u8>,
}

/// A body that broke off before its end.
pub(crate) struct CutShort {
    pub(crate) received: u64,
    /// The announced length, if any.
    pub(crate) expected: Option<u64>,
    pub(crate) error: reqwest::Error,
}

impl Buffered {
    /// Reads `response` to its end. Chunk by chunk rather than with
    /// `Response::bytes`, which would not say how much had arrived.
    pub(crate) async fn read(mut response: reqwest::Response) -> Result<Self, CutShort> {
        let expected = response.content_length();
        // A lying length must not make us reserve gigabytes up front.
        let mut body = Vec::with_capacity(expected.unwrap_or(0).min(1 << 20) as usize);
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => body.extend_from_slice(&chunk),
                Ok(None) => break,
                Err(error) => {
                    return Err(CutShort {
                        received: body.len() as u64,
                        expected,
                        error,
                    })
                }
            }
        }
        Ok(Self {
            status: response.status(),
            version: response.version(),
            // Taken, not cloned: the response is dropped here.
            headers: std::mem::take(response.headers_mut()),
            url: response.url().clone(),
            body,
        })
    }

    /// A response the generated code can decode, with the same status,
    /// headers, version and URL.
    pub(crate) fn into_response(self) -> reqwest::Response {
        let mut rebuilt = http::Response::builder()
            .status(self.status)
            .version(self.version)
            .url(self.url)
            .body(self.body)
            .expect("parts taken from a valid response");
        *rebuilt.headers_mut() = self.headers;
        reqwest::Response::from(rebuilt)
    }
}
