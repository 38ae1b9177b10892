//! Server-sent events: an operation that answers `text/event-stream` gets
//! an `events()` method beside `send()`, which returns an [`EventStream`]
//! of typed [`Event`]s instead of reading the whole answer.
//!
//! The stream follows the WHATWG HTML standard's `EventSource` (§9.2): the
//! lines are parsed by `eventsource-stream`; `event` names an event
//! (`message` when absent), `data` is decoded as the document's schema (the
//! media type's `itemSchema`, or its `schema`; text where that is a string),
//! `id` is remembered and sent back as `Last-Event-ID` when the stream is
//! resumed, and `retry` sets how long to wait before resuming.
//!
//! A cut (the connection fails before the server ends the answer) resumes
//! the stream: the request is sent again, through the client's hooks (auth,
//! rate limit, retries), with `Last-Event-ID`, after the server's `retry`
//! (else [`DEFAULT_RETRY`]). An operation that is not a `GET` resumes only
//! once the server has given an event id, since sending it again without
//! one would start it over. A stream the server ends cleanly ends, as an
//! API's streamed answer (a completion) ends: it is not reconnected as a
//! browser's `EventSource` would. At most [`MAX_RESUMES`] cuts in a row
//! without an event between them are resumed.
//!
//! An event whose data does not decode is an `Err` item
//! ([`Error::InvalidResponse`], naming the event, its id and the JSON path),
//! and the stream goes on with the next event; an error answer, a failure
//! to connect, or an answer that is not `text/event-stream` is the stream's
//! last item.

// A client whose document streams nothing calls none of this (OpenCX's
// today); the clients of other documents on this runtime do.
#![allow(dead_code)]

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use eventsource_stream::{EventStreamError, Eventsource};
use futures::stream::BoxStream;
use futures::{Stream, StreamExt};
use reqwest::StatusCode;

use super::call::{self, Operation};
use super::error::{Attempts, DecodeFailure};
use super::Error;

/// How long to wait before resuming a cut stream when the server gave no
/// `retry` (browsers wait about as long).
pub const DEFAULT_RETRY: Duration = Duration::from_secs(3);

/// How many cuts in a row, without an event between them, are resumed
/// before the stream ends with the last cut's error.
pub const MAX_RESUMES: u32 = 5;

/// How long one connection of a stream may last: an answer that goes on
/// for hours is what a stream is, so the client's whole-request timeout
/// does not apply; at this age the connection is cut and resumed.
const CONNECTION_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);

/// One server-sent event, its `data` decoded.
///
/// ```
/// use opencx_api::primitives::Event;
///
/// fn show(event: &Event<String>) -> String {
///     format!("{} #{}: {}", event.event, event.id.as_deref().unwrap_or("-"), event.data)
/// }
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Event<T> {
    /// The event's name: its `event` field, `message` where it has none.
    pub event: String,
    /// The `data` lines (joined with `\n`), decoded as the document's
    /// schema for the operation's events.
    pub data: T,
    /// The last event id the server gave, this event's or an earlier one's
    /// (the `id` field carries over, as the standard says); `None` before
    /// the first.
    pub id: Option<String>,
    /// The reconnection time the event set (`retry`, in milliseconds on the
    /// wire), if it set one.
    pub retry: Option<Duration>,
}

/// The events of one streamed answer: a [`Stream`] of
/// `Result<Event<T>, Error>` (see the module's docs for resuming and
/// errors). Dropping it closes the connection.
///
/// ```no_run
/// # async fn run(stream: opencx_api::primitives::EventStream<String>) -> opencx_api::Result<()> {
/// use futures::StreamExt;
///
/// let mut stream = stream;
/// while let Some(event) = stream.next().await {
///     let event = event?;
///     println!("{}: {}", event.event, event.data);
/// }
/// # Ok(())
/// # }
/// ```
pub struct EventStream<T> {
    inner: BoxStream<'static, Result<Event<T>, Error>>,
}

impl<T> fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream").finish_non_exhaustive()
    }
}

impl<T> Stream for EventStream<T> {
    type Item = Result<Event<T>, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

/// What the hooks do differently for a stream's request: ask for
/// `text/event-stream`, send `Last-Event-ID`, and hand on a success answer
/// unread (`hooks.rs` reads [`streaming`]).
#[derive(Clone, Debug, Default)]
pub(crate) struct Resume {
    pub(crate) last_event_id: Option<String>,
}

tokio::task_local! {
    static RESUME: Resume;
}

/// The stream request being sent, if the current task sends one.
pub(crate) fn streaming() -> Option<Resume> {
    RESUME.try_with(Resume::clone).ok()
}

/// Sets what a stream's request needs on `request`, made by the generated
/// code for an ordinary call.
pub(crate) fn prepare(request: &mut reqwest::Request, resume: &Resume) {
    let headers = request.headers_mut();
    headers.insert(
        reqwest::header::ACCEPT,
        reqwest::header::HeaderValue::from_static("text/event-stream"),
    );
    headers.insert(
        reqwest::header::CACHE_CONTROL,
        reqwest::header::HeaderValue::from_static("no-cache"),
    );
    if let Some(value) = resume
        .last_event_id
        .as_deref()
        .and_then(|id| reqwest::header::HeaderValue::from_str(id).ok())
    {
        headers.insert("last-event-id", value);
    }
    *request.timeout_mut() = Some(CONNECTION_LIFETIME);
}

type Raw =
    Pin<Box<dyn Future<Output = Result<reqwest::Response, progenitor_client::Error<()>>> + Send>>;

struct State<T> {
    operation: &'static Operation,
    connect: Box<dyn FnMut() -> Raw + Send>,
    decode: fn(&str) -> Result<T, serde_json::Error>,
    lines: Option<
        BoxStream<'static, Result<eventsource_stream::Event, EventStreamError<reqwest::Error>>>,
    >,
    status: StatusCode,
    last_event_id: Option<String>,
    retry: Duration,
    cuts: u32,
    done: bool,
}

/// The stream of `operation`'s events: `connect` makes the request (the
/// generated builder's, sent through the client's hooks), once and again
/// for each resume; `decode` reads one event's data. Called by the
/// generated `events()` methods.
pub fn open<T, F, Fut>(
    operation: &'static Operation,
    mut connect: F,
    decode: fn(&str) -> Result<T, serde_json::Error>,
) -> EventStream<T>
where
    T: Send + 'static,
    F: FnMut() -> Fut + Send + 'static,
    Fut: Future<Output = Result<reqwest::Response, progenitor_client::Error<()>>> + Send + 'static,
{
    let state = State {
        operation,
        connect: Box::new(move || Box::pin(connect()) as Raw),
        decode,
        lines: None,
        status: StatusCode::OK,
        last_event_id: None,
        retry: DEFAULT_RETRY,
        cuts: 0,
        done: false,
    };
    EventStream {
        inner: futures::stream::unfold(state, next).boxed(),
    }
}

/// The stream's next item, connecting or resuming first where needed.
async fn next<T>(mut state: State<T>) -> Option<(Result<Event<T>, Error>, State<T>)> {
    loop {
        if state.done {
            return None;
        }
        if state.lines.is_none() {
            let resume = Resume {
                last_event_id: state.last_event_id.clone(),
            };
            let raw = (state.connect)();
            match RESUME
                .scope(resume, call::open_stream(state.operation, raw))
                .await
            {
                Ok(response) => {
                    state.status = response.status();
                    state.lines = Some(response.bytes_stream().eventsource().boxed());
                }
                Err(error) => {
                    state.done = true;
                    return Some((Err(error), state));
                }
            }
        }
        let lines = state.lines.as_mut().expect("connected above");
        match lines.next().await {
            Some(Ok(raw)) => {
                state.cuts = 0;
                if !raw.id.is_empty() {
                    state.last_event_id = Some(raw.id.clone());
                }
                if let Some(retry) = raw.retry {
                    state.retry = retry;
                }
                let item = match (state.decode)(&raw.data) {
                    Ok(data) => Ok(Event {
                        event: raw.event,
                        data,
                        id: state.last_event_id.clone(),
                        retry: raw.retry,
                    }),
                    Err(error) => Err(undecodable(&state, &raw, error)),
                };
                return Some((item, state));
            }
            // The server ended the answer.
            None => return None,
            Some(Err(EventStreamError::Transport(error))) => {
                state.lines = None;
                state.cuts += 1;
                let resumable = state.operation.method == "GET" || state.last_event_id.is_some();
                if !resumable || state.cuts > MAX_RESUMES {
                    state.done = true;
                    return Some((Err(Error::from(error)), state));
                }
                tracing::warn!(
                    operation = state.operation.name,
                    last_event_id = state.last_event_id.as_deref(),
                    retry_ms = state.retry.as_millis() as u64,
                    "the event stream was cut; resuming"
                );
                tokio::time::sleep(state.retry).await;
            }
            Some(Err(error)) => {
                // Not UTF-8, or not event-stream lines: what follows cannot
                // be read either.
                state.done = true;
                let failure = DecodeFailure::new(
                    ".",
                    &[],
                    serde::de::Error::custom(format!("the event stream is unreadable: {error}")),
                );
                let error = Error::InvalidResponse {
                    status: state.status,
                    attempts: Attempts::new(state.operation.name, 1),
                    detail: Box::new(failure),
                };
                return Some((Err(error), state));
            }
        }
    }
}

/// The error of an event whose data is not the document's type.
fn undecodable<T>(
    state: &State<T>,
    raw: &eventsource_stream::Event,
    error: serde_json::Error,
) -> Error {
    let message = format!(
        "event `{}` (id {}): {error}",
        raw.event,
        state.last_event_id.as_deref().unwrap_or("none"),
    );
    Error::InvalidResponse {
        status: state.status,
        attempts: Attempts::new(state.operation.name, 1),
        detail: Box::new(DecodeFailure::new(
            ".",
            raw.data.as_bytes(),
            serde::de::Error::custom(message),
        )),
    }
}

/// `data` as JSON of type `T`: the decoder of an operation whose events
/// carry JSON.
pub fn json<T: serde::de::DeserializeOwned>(data: &str) -> Result<T, serde_json::Error> {
    serde_json::from_str(data)
}

/// `data` as it is: the decoder of an operation whose events carry text.
pub fn text(data: &str) -> Result<String, serde_json::Error> {
    Ok(data.to_string())
}
