//! Reading a whole answer inside the retry loop.
//!
//! The generated code reads the body after the `exec` hook returns, outside
//! any retry; a connection that drops mid-page would fail the call there. So
//! the hook reads the body itself, where a failure can still be retried, and
//! hands the generated code a response that decodes from memory. Only the one
//! answer in hand is held.

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::{ResponseBuilderExt, StatusCode, Url, Version};

/// An answer read to its end.
pub(crate) struct Buffered {
    pub(crate) status: StatusCode,
    pub(crate) version: Version,
    pub(crate) headers: HeaderMap,
    pub(crate) url: Url,
    pub(crate) body: Bytes,
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
        let mut body = Gathered::default();
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => body.push(chunk, expected),
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
            body: body.finish(),
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

/// A body as its chunks arrive. Most answers come in one chunk (the
/// stream-overhead benchmark saw 1 in 40 pages split), which is kept as the
/// `Bytes` it arrived in and handed on without a copy; only a second chunk
/// starts a buffer that joins them.
#[derive(Default)]
struct Gathered {
    /// The body while it is a single chunk.
    single: Option<Bytes>,
    /// The body once it is more than one.
    joined: Vec<u8>,
}

impl Gathered {
    fn push(&mut self, chunk: Bytes, expected: Option<u64>) {
        if self.joined.is_empty() {
            let Some(first) = self.single.take() else {
                self.single = Some(chunk);
                return;
            };
            // A lying length must not make us reserve gigabytes up front.
            let announced = expected.unwrap_or(0).min(1 << 20) as usize;
            self.joined
                .reserve(announced.max(first.len() + chunk.len()));
            self.joined.extend_from_slice(&first);
        }
        self.joined.extend_from_slice(&chunk);
    }

    fn len(&self) -> usize {
        self.single.as_ref().map_or(0, Bytes::len) + self.joined.len()
    }

    fn finish(self) -> Bytes {
        match self.single {
            Some(single) => single,
            None => Bytes::from(self.joined),
        }
    }
}
