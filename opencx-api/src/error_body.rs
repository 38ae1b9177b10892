//! Every error answer reaches the generated code as a JSON `ApiError`.
//!
//! The vendor promises JSON error bodies, and the overlay declares them, so the
//! generated code parses every 4xx/5xx body as `ApiError`. A proxy's HTML 502
//! would then fail as an unparsable payload and lose its status. Here such a
//! body is replaced by an `ApiError` carrying the status and the body's first
//! bytes, marked with [`SYNTHESIZED_HEADER`] so [`Error`](crate::Error) can
//! report it as "no JSON body" rather than as the server's words.

use reqwest::header::{HeaderValue, CONTENT_LENGTH, CONTENT_TYPE};

use crate::error::snippet;
use crate::types::ApiError;

/// Marks an error response whose body was not JSON and was replaced.
pub(crate) const SYNTHESIZED_HEADER: &str = "x-opencx-client-synthesized";

/// Passes successes through; makes sure an error answer's body is JSON.
pub(crate) async fn normalize(
    result: reqwest::Result<reqwest::Response>,
) -> reqwest::Result<reqwest::Response> {
    let response = result?;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return Ok(response);
    }
    let version = response.version();
    let mut headers = response.headers().clone();
    let body = response.bytes().await?;
    let is_api_error = serde_json::from_slice::<serde_json::Value>(&body)
        .is_ok_and(|v| v.is_object())
        && serde_json::from_slice::<ApiError>(&body).is_ok();
    let body = if is_api_error {
        body.to_vec()
    } else {
        let replacement = ApiError {
            status_code: Some(i64::from(status.as_u16())),
            error: status.canonical_reason().map(str::to_string),
            message: Some(snippet(&body)),
        };
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        headers.insert(
            SYNTHESIZED_HEADER,
            HeaderValue::from_static("non-json-error-body"),
        );
        serde_json::to_vec(&replacement).expect("ApiError serializes")
    };
    headers.remove(CONTENT_LENGTH);
    let mut rebuilt = http::Response::new(body);
    *rebuilt.status_mut() = status;
    *rebuilt.version_mut() = version;
    *rebuilt.headers_mut() = headers;
    Ok(reqwest::Response::from(rebuilt))
}
