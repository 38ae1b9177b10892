//! Every error answer reaches the generated code as a JSON `ApiError`, marked
//! with the operation and the number of tries it took.
//!
//! The vendor promises JSON error bodies, and the overlay declares them, so the
//! generated code parses every 4xx/5xx body as `ApiError`. A proxy's HTML 502
//! would then fail as an unparsable payload and lose its status. Here such a
//! body is replaced by an `ApiError` carrying the status and the body's first
//! bytes, marked with [`SYNTHESIZED_HEADER`] so [`Error`](crate::Error) can
//! report it as "no JSON body" rather than as the server's words.
//!
//! The generated code keeps only an error answer's status, headers and body,
//! so the operation and the tries travel as two more headers, which
//! [`attempts`] reads back when the error becomes an [`Error`](crate::Error).

use reqwest::header::{HeaderMap, HeaderValue, CONTENT_LENGTH, CONTENT_TYPE};

use crate::buffered::Buffered;
use crate::error::{snippet, Attempts};
use crate::types::ApiError;

/// Marks an error response whose body was not JSON and was replaced.
pub(crate) const SYNTHESIZED_HEADER: &str = "x-opencx-client-synthesized";
/// The operation an error answer was for.
const OPERATION_HEADER: &str = "x-opencx-client-operation";
/// How many times the request was sent.
const TRIES_HEADER: &str = "x-opencx-client-tries";

/// Leaves successes alone; makes sure an error answer's body is JSON and
/// notes `attempts` on it.
pub(crate) fn normalize(answer: &mut Buffered, attempts: &Attempts) {
    let status = answer.status;
    if status.is_success() {
        return;
    }
    if let Ok(operation) = HeaderValue::from_str(attempts.operation()) {
        answer.headers.insert(OPERATION_HEADER, operation);
    }
    answer.headers.insert(TRIES_HEADER, attempts.tries().into());
    if !(status.is_client_error() || status.is_server_error()) {
        return;
    }
    let body = &answer.body;
    let is_api_error = serde_json::from_slice::<serde_json::Value>(body)
        .is_ok_and(|v| v.is_object())
        && serde_json::from_slice::<ApiError>(body).is_ok();
    if is_api_error {
        return;
    }
    let replacement = ApiError {
        status_code: Some(i64::from(status.as_u16())),
        error: status.canonical_reason().map(str::to_string),
        message: Some(snippet(body)),
    };
    let headers = &mut answer.headers;
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(
        SYNTHESIZED_HEADER,
        HeaderValue::from_static("non-json-error-body"),
    );
    headers.remove(CONTENT_LENGTH);
    answer.body = serde_json::to_vec(&replacement)
        .expect("ApiError serializes")
        .into();
}

/// The operation and tries [`normalize`] noted on an answer.
pub(crate) fn attempts(headers: &HeaderMap) -> Option<Attempts> {
    let text = |name| headers.get(name).and_then(|v| v.to_str().ok());
    Some(Attempts::new(
        text(OPERATION_HEADER)?,
        text(TRIES_HEADER)?.parse().ok()?,
    ))
}
