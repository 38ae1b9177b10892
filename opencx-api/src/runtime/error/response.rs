//! What an error keeps of an answer: the headers and body of an error
//! status, or where a success body stopped making sense.

use bytes::Bytes;
use reqwest::header::HeaderMap;

/// How many bytes of a body an error shows in its message.
pub const BODY_SNIPPET_LEN: usize = 512;

/// The headers and body of an error answer.
///
/// ```
/// let response = opencx_api::error::ErrorResponse::new(Default::default(), r#"{"message":"no"}"#.into());
/// assert_eq!(response.message().as_deref(), Some("no"));
/// ```
#[derive(Clone, Debug, Default)]
pub struct ErrorResponse {
    headers: HeaderMap,
    body: Bytes,
}

impl ErrorResponse {
    /// An error answer's `headers` and whole `body`.
    pub fn new(headers: HeaderMap, body: Bytes) -> Self {
        Self { headers, body }
    }

    /// The answer's headers, as received.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The whole body, as received.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// The body decoded as `T` (the API documents its error bodies as JSON).
    ///
    /// ```
    /// let response = opencx_api::error::ErrorResponse::new(Default::default(), r#"{"code":7}"#.into());
    /// let value: serde_json::Value = response.json().unwrap();
    /// assert_eq!(value["code"], 7);
    /// ```
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_slice(&self.body)
    }

    /// What the server said went wrong: a JSON body's `message` (a list of
    /// them, as NestJS validation sends, joined with `; `), `detail` or
    /// `title` (RFC 9457 problem details), `error`, or `errors[0].message`;
    /// else the first [`BODY_SNIPPET_LEN`] bytes of a body that is text.
    pub fn message(&self) -> Option<String> {
        match serde_json::from_slice::<serde_json::Value>(&self.body) {
            Ok(value) => json_message(&value),
            Err(_) => {
                let text = one_line(&snippet(&self.body));
                (!text.is_empty()).then_some(text)
            }
        }
    }

    /// The server's request id, for a support ticket: the first of the
    /// `x-request-id`, `request-id`, `x-correlation-id`, `x-amzn-requestid`
    /// and `cf-ray` headers it sent.
    pub fn request_id(&self) -> Option<&str> {
        request_id(&self.headers)
    }
}

/// The request id header of an answer, if it has one.
pub(crate) fn request_id(headers: &HeaderMap) -> Option<&str> {
    [
        "x-request-id",
        "request-id",
        "x-correlation-id",
        "x-amzn-requestid",
        "cf-ray",
    ]
    .iter()
    .find_map(|name| headers.get(*name)?.to_str().ok())
}

fn json_message(value: &serde_json::Value) -> Option<String> {
    if let serde_json::Value::String(text) = value {
        return Some(one_line(text));
    }
    let text = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) if !s.is_empty() => Some(s.clone()),
        serde_json::Value::Array(items) => {
            let parts: Vec<&str> = items.iter().filter_map(|i| i.as_str()).collect();
            (!parts.is_empty()).then(|| parts.join("; "))
        }
        serde_json::Value::Object(_) => json_message(v),
        _ => None,
    };
    ["message", "detail", "title", "error", "error_description"]
        .iter()
        .find_map(|key| value.get(*key).and_then(text))
        .or_else(|| value.pointer("/errors/0/message").and_then(text))
}

/// Where a body stopped making sense.
///
/// ```
/// let error = serde_json::from_str::<u8>("300").unwrap_err();
/// let detail = opencx_api::error::DecodeFailure::new("items[3].id", b"300", error);
/// assert_eq!(detail.path(), "items[3].id");
/// ```
#[derive(Debug)]
pub struct DecodeFailure {
    path: String,
    snippet: String,
    body: Bytes,
    source: serde_json::Error,
}

impl DecodeFailure {
    /// A failure at JSON path `path` (`.` for the whole body) of `body`.
    pub fn new(path: impl Into<String>, body: &[u8], source: serde_json::Error) -> Self {
        Self {
            path: path.into(),
            snippet: one_line(&snippet(body)),
            body: Bytes::copy_from_slice(body),
            source,
        }
    }

    /// The whole body that did not decode, to read past the snippet or to
    /// check against the document.
    ///
    /// ```
    /// let error = serde_json::from_str::<u8>("300").unwrap_err();
    /// let detail = opencx_api::error::DecodeFailure::new(".", b"300", error);
    /// assert_eq!(detail.body(), b"300");
    /// ```
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The JSON path of the value that failed (`items[3].created_at`), `.`
    /// for the body as a whole.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The start of the body, on one line.
    pub fn snippet(&self) -> &str {
        &self.snippet
    }

    /// serde's error.
    pub fn source(&self) -> &serde_json::Error {
        &self.source
    }
}

/// The first [`BODY_SNIPPET_LEN`] bytes of a body, as text.
pub(crate) fn snippet(body: &[u8]) -> String {
    String::from_utf8_lossy(&body[..body.len().min(BODY_SNIPPET_LEN)]).into_owned()
}

/// `text` with its line breaks and runs of white space made single spaces,
/// so a message stays one line.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
