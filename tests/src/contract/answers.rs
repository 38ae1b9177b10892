//! Reading the client's results: a decoded answer as JSON, or a failure
//! message that says what Prism objected to.

use futures::{Stream, StreamExt};
use opencx_api::types::ApiError;
use opencx_api::ResponseValue;
use serde::Serialize;
use serde_json::Value;

use super::STREAM_ITEMS;

/// The decoded response as JSON, or why there is none. Prism's reasons for a
/// 4xx are in its body's `validation` list, which decoding into `ApiError`
/// drops; the runner adds them from Prism's log.
pub fn outcome<T: Serialize>(
    result: Result<ResponseValue<T>, opencx_api::progenitor_client::Error<ApiError>>,
) -> Result<Value, String> {
    use opencx_api::progenitor_client::Error;
    match result {
        Ok(response) => serde_json::to_value(response.into_inner()).map_err(|e| e.to_string()),
        Err(Error::ErrorResponse(response)) => Err(format!(
            "Prism answered {}: the request breaks upstream's schema (422), its security \
             (401) or addresses no operation (404).\nbody: {:?}",
            response.status(),
            response.into_inner()
        )),
        Err(Error::InvalidResponsePayload(bytes, error)) => Err(format!(
            "the client could not decode Prism's answer: {error}\nanswer: {}",
            String::from_utf8_lossy(&bytes)
        )),
        Err(other) => Err(format!("the request failed: {other}")),
    }
}

/// Reads a bounded stream into a JSON list. A pagination error ends it
/// without failing: Prism's pages are independent random answers, so page
/// numbers go backwards, and the client is right to stop.
pub async fn collect<T: Serialize>(
    stream: impl Stream<Item = opencx_api::Result<T>> + Unpin,
) -> Result<Value, String> {
    let mut items = Vec::new();
    let mut stream = stream.take(STREAM_ITEMS);
    while let Some(item) = stream.next().await {
        match item {
            Ok(item) => items.push(serde_json::to_value(item).map_err(|e| e.to_string())?),
            Err(opencx_api::Error::Pagination(_)) => break,
            Err(opencx_api::Error::Api {
                status,
                error,
                body,
                ..
            }) => {
                return Err(format!(
                    "Prism answered {status} on a page: the request breaks upstream's schema.\n\
                     error: {error:?}\nbody: {body:?}"
                ))
            }
            Err(other) => return Err(format!("the stream failed: {other}")),
        }
    }
    Ok(Value::Array(items))
}
