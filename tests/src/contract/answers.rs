//! Reading the client's results: a decoded answer as JSON, or a failure
//! message that says what Prism objected to.

use futures::{Stream, StreamExt};
use opencx_api::primitives::ResponseValue;
use opencx_api::Error;
use serde::Serialize;
use serde_json::Value;

use super::STREAM_ITEMS;

/// What the caller saw of one answer: its status and its body as JSON
/// (`null` for an answer without one, or one that is not JSON).
#[derive(Debug)]
pub struct Seen {
    pub status: u16,
    pub body: Value,
}

/// A JSON answer, decoded: `empty` are the statuses documented without a
/// body, where the client must give `None`.
pub fn json<T: Serialize>(
    result: Result<ResponseValue<T>, Error>,
    empty: &[u16],
) -> Result<Seen, String> {
    let response = result.map_err(|e| failure(&e))?;
    let status = response.status().as_u16();
    let body = serde_json::to_value(response.into_inner()).map_err(|e| e.to_string())?;
    if empty.contains(&status) && !body.is_null() {
        return Err(format!(
            "a {status} answer is documented without a body, but the client gave {body}"
        ));
    }
    Ok(Seen { status, body })
}

/// An answer whose body is not JSON, or absent: only its status is checked.
pub fn bodiless<T>(result: Result<ResponseValue<T>, Error>) -> Result<Seen, String> {
    let response = result.map_err(|e| failure(&e))?;
    Ok(Seen {
        status: response.status().as_u16(),
        body: Value::Null,
    })
}

/// An answer decoded into an operation's enum of success statuses: `read`
/// gives the status its variant stands for (`0` for a `2XX` range) and the
/// body as JSON; they must agree with the status that came.
pub fn by_status<T>(
    result: Result<ResponseValue<T>, Error>,
    read: impl FnOnce(T) -> (u16, Value),
) -> Result<Seen, String> {
    let response = result.map_err(|e| failure(&e))?;
    let status = response.status().as_u16();
    let (variant_status, body) = read(response.into_inner());
    if variant_status != 0 && variant_status != status {
        return Err(format!(
            "a {status} answer was decoded as the variant for {variant_status}"
        ));
    }
    Ok(Seen { status, body })
}

/// The decoded response as JSON, or why there is none (for streams' pages).
pub fn outcome<T: Serialize>(result: Result<ResponseValue<T>, Error>) -> Result<Value, String> {
    json(result, &[]).map(|seen| seen.body)
}

/// An error answer asked of Prism: the client must fail with its status and
/// `documented` (the generated `Error::documented()`, which the caller
/// passes as this crate cannot name it) must decode its body as the
/// document's type. Anything else is the failure, with the answer whole for
/// the round to check against upstream's schema.
pub fn error<T>(
    result: Result<ResponseValue<T>, Error>,
    documented: impl FnOnce(&Error) -> bool,
) -> Result<Seen, String> {
    let error = match result {
        Ok(response) => {
            return Err(format!(
                "asked for an error answer, the client gave a {} success",
                response.status()
            ))
        }
        Err(error) => error,
    };
    let (Some(status), Some(response)) = (error.status(), error.response()) else {
        return Err(failure(&error));
    };
    if !documented(&error) {
        return Err(format!(
            "the {status} answer's body did not decode as the document's type \
             (`Error::documented()` gave `None`)\n{ANSWER}{} {}",
            status.as_u16(),
            String::from_utf8_lossy(response.body()).replace('\n', " ")
        ));
    }
    Ok(Seen {
        status: status.as_u16(),
        body: Value::Null,
    })
}

/// How a failure's message carries the answer that did not decode, whole:
/// `{ANSWER}{status} {body}` on a line of its own, which the round reads to
/// check the answer against upstream's schema and takes out of the message.
pub(crate) const ANSWER: &str = "answer that did not decode: ";

/// Why a call failed, in the words a contract failure needs.
fn failure(error: &Error) -> String {
    match error {
        Error::Api {
            status, response, ..
        } => format!(
            "Prism answered {status}: the request breaks upstream's schema (422), its security \
             (401) or addresses no operation (404).\nbody: {}",
            String::from_utf8_lossy(response.body())
        ),
        Error::InvalidResponse { status, detail, .. } => format!(
            "the client could not decode Prism's answer: {error}\n{ANSWER}{} {}",
            status.as_u16(),
            String::from_utf8_lossy(detail.body()).replace('\n', " ")
        ),
        other => format!("the request failed: {other}"),
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
            Err(Error::Pagination(_)) => break,
            Err(other) => return Err(format!("on a page: {}", failure(&other))),
        }
    }
    Ok(Value::Array(items))
}

/// What the client saw of an answer, as JSON, when its status is the one
/// Prism was asked for.
pub(crate) fn as_asked(asked: Option<u16>, seen: Seen) -> Result<Value, String> {
    match asked {
        Some(asked) if asked != seen.status => Err(format!(
            "asked Prism for a {asked} answer, the client saw {}",
            seen.status
        )),
        _ => Ok(seen.body),
    }
}

/// `problem` without the line carrying the whole answer that did not
/// decode ([`ANSWER`]), and that answer's status and body.
pub(crate) fn take_answer(problem: &str) -> (String, Option<(u16, String)>) {
    let mut answer = None;
    let kept: Vec<&str> = problem
        .lines()
        .filter(|line| match line.strip_prefix(ANSWER) {
            Some(rest) => {
                answer = rest
                    .split_once(' ')
                    .and_then(|(status, body)| Some((status.parse().ok()?, body.to_string())));
                false
            }
            None => true,
        })
        .collect();
    (kept.join("\n"), answer)
}
