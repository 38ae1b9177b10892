//! One call of an operation, as every generated `send()` makes it: progenitor's
//! code builds the request and the client's hooks send it (auth, rate limit,
//! retries, the whole body read); here the answer becomes the operation's
//! documented type or the crate's [`Error`], inside one `tracing` span.
//!
//! The decoding is ours, not progenitor's, because progenitor 0.15 decodes
//! one success type per operation and one error type
//! (oxidecomputer/progenitor#344, #950, #905): see `codegen/responses.rs`
//! for the shapes the generated `send()` asks for.

use std::future::Future;
use std::time::Instant;

use bytes::Bytes;
use progenitor_client::{ByteStream, ResponseValue};
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use tracing::Instrument;

use super::error::{request_id, Attempts, DecodeFailure, ErrorResponse};
use super::Error;

/// What a generated `send()` tells the runtime about its operation.
#[derive(Debug)]
pub struct Operation {
    /// The client's method (`get_chat_session`), which errors name.
    pub name: &'static str,
    /// The operationId as the document writes it (`getChatSession`).
    pub id: &'static str,
    /// `GET`.
    pub method: &'static str,
    /// The path template (`/chat/sessions/{session_id}`).
    pub path: &'static str,
    /// The success statuses the document gives, as it writes them.
    pub documented: &'static [&'static str],
}

/// An answer with a success status, read whole, for the generated decoder.
///
/// Each reader serves one kind of documented body; a client whose document
/// has no text or binary answers does not call those, hence the `allow`.
pub struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    operation: &'static Operation,
    tries: u32,
}

#[allow(dead_code)]
impl Answer {
    /// The answer's status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    fn attempts(&self) -> Attempts {
        Attempts::new(self.operation.name, self.tries)
    }

    /// The body as JSON of type `T`; a failure names the JSON path of the
    /// value that did not fit.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Error> {
        let failure = |path: String, error| Error::InvalidResponse {
            status: self.status,
            attempts: self.attempts(),
            detail: Box::new(DecodeFailure::new(path, &self.body, error)),
        };
        // Tracking the path costs on every value (a quarter of a page's
        // decode time), so the body is read again with it only when the
        // fast read failed, to say where.
        let error = match serde_json::from_slice(&self.body) {
            Ok(value) => return Ok(value),
            Err(error) => error,
        };
        let mut deserializer = serde_json::Deserializer::from_slice(&self.body);
        match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
            Err(located) => Err(failure(located.path().to_string(), located.into_inner())),
            // Only the trailing bytes after the value were wrong.
            Ok(_) => Err(failure(".".into(), error)),
        }
    }

    /// The body as text; a body that is not UTF-8 is an error.
    pub fn text(&self) -> Result<String, Error> {
        String::from_utf8(self.body.to_vec()).map_err(|e| Error::InvalidResponse {
            status: self.status,
            attempts: self.attempts(),
            detail: Box::new(DecodeFailure::new(
                ".",
                &self.body,
                serde::de::Error::custom(format!("the text is not UTF-8: {e}")),
            )),
        })
    }

    /// No body is documented: whatever came is ignored.
    pub fn empty(&self) -> Result<(), Error> {
        Ok(())
    }

    /// The body's bytes, as a stream of one chunk (the hooks read it whole,
    /// inside the retry loop).
    pub fn stream(&mut self) -> Result<ByteStream, Error> {
        let body = std::mem::take(&mut self.body);
        Ok(ByteStream::new(Box::pin(futures::stream::once(
            async move { Ok(body) },
        ))))
    }

    /// A success status the operation does not document, where the status
    /// decides how to read the body.
    pub fn unexpected(&self) -> Error {
        Error::UnexpectedStatus {
            status: self.status,
            attempts: self.attempts(),
            documented: self
                .operation
                .documented
                .iter()
                .map(|s| s.to_string())
                .collect(),
        }
    }
}

/// The span every call runs in. Fields follow OpenTelemetry's HTTP client
/// conventions where they have a name for it.
fn span(operation: &'static Operation) -> tracing::Span {
    // Named after the crate the runtime is compiled into (`opencx_api.call`),
    // never another API's.
    tracing::info_span!(
        concat!(env!("CARGO_CRATE_NAME"), ".call"),
        operation = operation.name,
        operation_id = operation.id,
        http.request.method = operation.method,
        http.route = operation.path,
        attempts = tracing::field::Empty,
        http.response.status_code = tracing::field::Empty,
        request_id = tracing::field::Empty,
        duration_ms = tracing::field::Empty,
        error = tracing::field::Empty,
    )
}

/// Sends one call: awaits `raw` (progenitor's request building and the hooks'
/// sending) and reads the answer with `decode`, which the generated `send()`
/// writes from the operation's documented success shapes.
pub async fn send<T>(
    operation: &'static Operation,
    raw: impl Future<Output = Result<reqwest::Response, progenitor_client::Error<()>>>,
    decode: impl FnOnce(&mut Answer) -> Result<T, Error>,
) -> Result<ResponseValue<T>, Error> {
    let span = span(operation);
    let started = Instant::now();
    let outcome = async {
        let response = raw.await.map_err(|e| from_progenitor(e, operation))?;
        let mut answer = read(response, operation).await?;
        decode(&mut answer).map(|value| ResponseValue::new(value, answer.status, answer.headers))
    }
    .instrument(span.clone())
    .await;
    span.record("duration_ms", started.elapsed().as_millis() as u64);
    match &outcome {
        Ok(value) => {
            span.record("http.response.status_code", value.status().as_u16());
            if let Some(id) = request_id(value.headers()) {
                span.record("request_id", id);
            }
        }
        Err(error) => {
            if let Some(status) = error.status() {
                span.record("http.response.status_code", status.as_u16());
            }
            if let Some(id) = error.request_id() {
                span.record("request_id", id);
            }
            span.record("error", tracing::field::display(error));
        }
    }
    outcome
}

/// Sends an event stream's request (`events.rs`) and hands on its success
/// answer unread; an error answer, or one that is not `text/event-stream`,
/// is the crate's [`Error`], as [`send`] makes it. (Unused by a client whose
/// document streams nothing.)
#[allow(dead_code)]
pub(crate) async fn open_stream(
    operation: &'static Operation,
    raw: impl Future<Output = Result<reqwest::Response, progenitor_client::Error<()>>>,
) -> Result<reqwest::Response, Error> {
    let response = raw.await.map_err(|e| from_progenitor(e, operation))?;
    let status = response.status();
    let media = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let essence = media.split(';').next().unwrap_or("").trim();
    if status.is_success() && essence.eq_ignore_ascii_case("text/event-stream") {
        return Ok(response);
    }
    let answer = read(response, operation).await?;
    if !status.is_success() {
        return Err(answer.unexpected());
    }
    Err(Error::InvalidResponse {
        status,
        attempts: answer.attempts(),
        detail: Box::new(DecodeFailure::new(
            ".",
            &answer.body,
            serde::de::Error::custom(format!(
                "an event stream was asked for (`text/event-stream`), and the answer is `{media}`"
            )),
        )),
    })
}

/// How many times the hooks sent the request, which they note on the answer.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Tries(pub(crate) u32);

async fn read(response: reqwest::Response, operation: &'static Operation) -> Result<Answer, Error> {
    let status = response.status();
    let tries = response.extensions().get::<Tries>().map_or(1, |t| t.0);
    let not_retried = response.extensions().get::<super::NotRetried>().cloned();
    let mut response = response;
    let headers = std::mem::take(response.headers_mut());
    // The hooks read the body whole; this takes it from memory.
    let body = response.bytes().await.map_err(Error::from)?;
    let attempts = || Attempts::new(operation.name, tries);
    // A redirection is the answer of an operation that documents it
    // (`codegen/responses`: one documenting no 2xx); one that says where to
    // go was followed before it got here.
    let documented_redirect = status.is_redirection()
        && operation.documented.iter().any(|documented| {
            *documented == status.as_str() || documented.eq_ignore_ascii_case("3XX")
        });
    if status.is_success() || documented_redirect {
        return Ok(Answer {
            status,
            headers,
            body,
            operation,
            tries,
        });
    }
    if status.is_client_error() || status.is_server_error() {
        return Err(Error::Api {
            status,
            attempts: attempts(),
            not_retried,
            response: Box::new(ErrorResponse::new(headers, body)),
        });
    }
    Err(Error::UnexpectedStatus {
        status,
        attempts: attempts(),
        documented: operation.documented.iter().map(|s| s.to_string()).collect(),
    })
}

/// progenitor's errors from building and sending: a builder argument that is
/// missing or does not convert, a request reqwest cannot build, or what the
/// hooks relayed.
fn from_progenitor(error: progenitor_client::Error<()>, operation: &'static Operation) -> Error {
    use progenitor_client::Error as E;
    match error {
        E::InvalidRequest(message) => Error::InvalidRequest {
            operation: Some(operation.name.into()),
            message,
        },
        E::CommunicationError(e) | E::ResponseBodyError(e) | E::InvalidUpgrade(e) => {
            match Error::from(e) {
                // Not relayed by the hooks: the request was never built.
                Error::Transport {
                    attempts: None,
                    source,
                    ..
                } if source.is_builder() => Error::InvalidRequest {
                    operation: Some(operation.name.into()),
                    message: super::transport::deepest_cause(&source),
                },
                Error::Transport {
                    kind,
                    attempts: None,
                    not_retried,
                    source,
                } => Error::Transport {
                    kind,
                    attempts: Some(Attempts::new(operation.name, 0)),
                    not_retried,
                    source,
                },
                other => other,
            }
        }
        E::InvalidResponsePayload(body, source) => Error::InvalidResponse {
            status: StatusCode::OK,
            attempts: Attempts::new(operation.name, 1),
            detail: Box::new(DecodeFailure::new(".", &body, source)),
        },
        E::ErrorResponse(_) | E::UnexpectedResponse(_) => Error::Other(format!(
            "{}: progenitor decoded an answer the runtime reads",
            operation.name
        )),
        E::Custom(message) => Error::Other(message),
    }
}
