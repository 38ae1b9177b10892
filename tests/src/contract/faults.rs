//! Whose fault a failing round is: the client's, Prism's (its own log or
//! answer shows it strayed from the document), or the harness's (it could
//! not draw inputs), as the first word of the round's message says.

use std::io::Write;

use serde_json::{Map, Value};

/// Whose fault a failing round is, as the first word of its message says
/// (`[client]`, `[prism]`, `[harness]`), for the wire check's report: the
/// client sent what the document does not allow or refused what it does;
/// Prism answered what the document does not allow (its own log says so);
/// this runtime could not draw inputs for the operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    Client,
    Prism,
    Harness,
}

impl std::fmt::Display for Class {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Class::Client => "client",
            Class::Prism => "prism",
            Class::Harness => "harness",
        })
    }
}

/// A file each round Prism spoiled, and that was drawn again, is noted in
/// (a line: the operation, the round, the first line of why), so the wire
/// check counts them apart.
pub const REDRAWN_ENV: &str = "OPENCX_CONTRACT_REDRAWN";

/// Notes a round drawn again in [`REDRAWN_ENV`]'s file, if it is set.
pub(crate) fn note_redrawn(operation: &str, number: u64, message: &str) {
    let Some(path) = std::env::var_os(REDRAWN_ENV) else {
        return;
    };
    let why = message
        .lines()
        .find_map(|l| l.strip_prefix(EVIDENCE))
        .unwrap_or_default();
    if let Ok(mut file) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
    {
        let _ = writeln!(file, "{operation}\t{number}\t{why}");
    }
}

/// How a failing round's message introduces what shows that Prism was at
/// fault: why, then Prism's own log line.
pub const EVIDENCE: &str = "Prism's fault: ";

/// Whether Prism's `errors` (its log entries of one round) or its answer (in
/// `problem`) show that it, not the client, failed the call of the
/// operation at `method_path` (`POST /path`) that `sent` what it did: why,
/// and the line that shows it.
///
/// - Prism checks its own answers: one that breaks the document is its
///   fault, and the client was right to refuse it.
/// - Prism fills in a property's `default` and then refuses it, for a
///   property the request did not send.
/// - Prism checks a header parameter named `Accept`, `Content-Type` or
///   `Authorization`, which OpenAPI says SHALL be ignored.
/// - Prism never finds a query parameter whose name holds brackets
///   (stoplightio/prism#2017).
/// - An exception inside Prism (its answer generator overflowing its stack
///   on a recursive schema, or losing a `$ref`): a 500 that is no answer
///   the document gives.
/// - A path template holding a fragment (`/#X-Amz-Target=...`, the public
///   directory's AWS documents, which tell operations of one path apart by
///   a header): no request carries a fragment, so the client sends the path
///   before it, which Prism routes by the literal template cannot match.
/// - A path template holding a query (`/current?city={city}`, weatherbit's
///   way of telling operations of one path apart): the client sends it as
///   a query, which a server reads, and Prism looks for it in the path.
pub(crate) fn prism_fault<'l>(
    method_path: &str,
    errors: &[&'l str],
    problem: &'l str,
    sent: &Sent,
) -> Option<(&'static str, &'l str)> {
    // Only for an answer the client could not decode, and a request Prism
    // took: a refused request's answer (Prism's mock of a documented 422)
    // may break the document too, and is not what failed.
    let request_refused = errors.iter().any(|l| l.contains("Violation: request"));
    if problem.contains("could not decode") && !request_refused {
        if let Some(line) = errors.iter().find(|l| l.contains("Violation: response")) {
            return Some(("its answer breaks the document", line));
        }
    }
    // Prism fills in a property's `default` before it checks the body, and
    // then refuses the default (Telnyx's `default: ""` of a `format: url`):
    // the request never sent what Prism objects to.
    let body_path = |line: &str| -> Option<String> {
        let rest = line
            .split("Violation: request.body.")
            .nth(1)
            .or_else(|| line.split("Request body property ").nth(1))?;
        rest.split_whitespace().next().map(String::from)
    };
    if let Some(line) = errors.iter().find(|l| {
        body_path(l).is_some_and(|path| sent.body.as_ref().is_some_and(|b| !has_path(b, &path)))
    }) {
        return Some((
            "it checks a default it filled in for a property the request does not send",
            line,
        ));
    }
    // A property sent as an object (or a list) that Prism says must be one:
    // it read the value as text, as it reads every part of a multipart
    // body, a JSON part (OpenAPI's default for an object property) too
    // (Salesforce Einstein's `trainParams`).
    if let Some(line) = errors.iter().find(|l| {
        let Some(path) = body_path(l) else {
            return false;
        };
        let sent = sent.body.as_ref().and_then(|b| value_at(b, &path));
        (l.ends_with("must be object") && sent.is_some_and(Value::is_object))
            || (l.ends_with("must be array") && sent.is_some_and(Value::is_array))
    }) {
        return Some((
            "it reads a property sent as an object or a list (a multipart JSON part) as text",
            line,
        ));
    }
    // A body the document's discriminated unions take, which Prism reads as
    // plain `oneOf`s and refuses (the branches of Influx's notification
    // endpoints are told apart only by their tag).
    if sent.ambiguous {
        if let Some(line) = errors
            .iter()
            .find(|l| l.contains("Request body") && l.contains("oneOf"))
        {
            return Some((
                "it ignores the discriminator and finds the body matches several `oneOf` branches, \
                 or none (the body meets the branch its tag names)",
                line,
            ));
        }
    }
    // A query parameter whose name holds brackets (`filter[tag]`) Prism
    // never finds, sent either way (stoplightio/prism#2017).
    if let Some(line) = errors
        .iter()
        .find(|l| l.contains("Request query must have required property '") && l.contains("%5b"))
    {
        let named = sent.params.keys().any(|name| name.contains('['));
        if named {
            return Some((
                "it cannot read a query parameter whose name holds brackets (stoplightio/prism#2017)",
                line,
            ));
        }
    }
    // OpenAPI: a header parameter named `Accept`, `Content-Type` or
    // `Authorization` SHALL be ignored; Prism checks it against the request
    // (Influx declares `Accept: application/json` on a 204).
    if let Some(line) = errors.iter().find(|l| {
        ["accept", "content-type", "authorization"]
            .iter()
            .any(|h| l.contains(&format!("Violation: request.header.{h} ")))
    }) {
        return Some((
            "it checks a header parameter OpenAPI says to ignore (`Accept`, `Content-Type`, `Authorization`)",
            line,
        ));
    }
    // Prism's own answer of a failure says what it is: the line of the
    // problem that holds its body, where the log has not said it.
    let body = problem
        .lines()
        .find(|l| l.starts_with("body: "))
        .unwrap_or_default();
    // An exception inside Prism (its response generator, json-schema-faker,
    // overflowing its stack on a recursive schema, or losing a `$ref`) ends
    // the request with a JavaScript error, where a refusal of the request
    // names one of Prism's error types (`.../prism/errors#UNPROCESSABLE_ENTITY`).
    // (Not a body Prism could not parse: that is the client's.)
    if let Some(line) = errors.iter().find(|l| {
        l.split("Request terminated with error: ")
            .nth(1)
            .is_some_and(|what| {
                !what.starts_with("https://stoplight.io/prism/errors#")
                    && !what.contains("SyntaxError")
                    && !what.contains("Unexpected token")
            })
    }) {
        return Some(("it failed inside (a JavaScript exception)", line));
    }
    if [
        "stoplight.io/prism/errors#UNKNOWN",
        "\"type\":\"RangeError\"",
        "\"type\":\"TypeError\"",
    ]
    .iter()
    .any(|mark| body.contains(mark))
    {
        return Some(("it failed inside (a JavaScript exception)", body));
    }
    // Asked for any media type, Prism takes the first the document lists,
    // and fails where that is text and the schema an object (the client asks
    // for JSON where a JSON answer is offered: tests/tests/media_negotiation.rs).
    if body.contains("NO_COMPLEX_OBJECT_TEXT") {
        return Some((
            "it chose a text media type for an object schema and cannot write it",
            body,
        ));
    }
    let route = errors
        .iter()
        .find(|l| l.contains("NO_PATH_MATCHED") || l.contains("NO_METHOD_MATCHED"))
        .copied()
        .or_else(|| {
            (body.contains("NO_PATH_MATCHED") || body.contains("NO_METHOD_MATCHED")).then_some(body)
        });
    match route {
        Some(line) if method_path.contains('#') => Some((
            "it routes by the literal path template, whose fragment (`#...`) no request carries",
            line,
        )),
        // `/current?city={city}&country={country}`: the client sends the
        // query as the template writes it, which the server reads, but
        // Prism looks for `?...` in the request's path.
        Some(line) if method_path.contains('?') => Some((
            "it routes by the literal path template, whose query (`?...`) it looks for in the \
             request's path",
            line,
        )),
        _ => None,
    }
}

/// What one round sent, for telling Prism's faults apart.
pub(crate) struct Sent {
    pub(crate) body: Option<Value>,
    pub(crate) params: Map<String, Value>,
    pub(crate) ambiguous: bool,
}

/// Whether `value` has something at the dotted `path` (`a.b.0.c`).
fn has_path(value: &Value, path: &str) -> bool {
    value_at(value, path).is_some()
}

/// What `value` has at the dotted `path` (`a.b.0.c`).
fn value_at<'v>(value: &'v Value, path: &str) -> Option<&'v Value> {
    let mut here = value;
    for step in path.split('.') {
        here = match here {
            Value::Object(map) => map.get(step)?,
            Value::Array(items) => items.get(step.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(here)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_route_prism_cannot_find_is_its_fault_only_for_a_template_it_reads_literally() {
        let sent = Sent {
            body: None,
            params: Map::new(),
            ambiguous: false,
        };
        let line = "[6:20:30 PM] › [HTTP SERVER] get /alerts ✖  error     Request terminated with \
                    error: https://stoplight.io/prism/errors#NO_PATH_MATCHED_ERROR: Route not resolved";
        let fault = |method_path: &str| prism_fault(method_path, &[line], "", &sent).map(|f| f.0);
        assert!(fault("GET /alerts?lat={lat}&lon={lon}").is_some_and(|why| why.contains("query")));
        assert!(fault("POST /#X-Amz-Target=A.B").is_some_and(|why| why.contains("fragment")));
        // Any other path Prism cannot find is the client's to answer for.
        assert_eq!(fault("GET /alerts"), None);
    }

    #[test]
    fn an_object_sent_that_prism_calls_no_object_is_its_fault() {
        let line = "[6:22:10 PM] ›     [VALIDATOR] ✖  error     Request body property trainParams must be object";
        let sent = |value: Value| Sent {
            body: Some(serde_json::json!({"name": "n", "trainParams": value})),
            params: Map::new(),
            ambiguous: false,
        };
        let fault = |value: Value| {
            prism_fault("POST /v2/language/train", &[line], "", &sent(value)).map(|f| f.0)
        };
        assert!(fault(serde_json::json!({"withFeedback": false}))
            .is_some_and(|why| why.contains("multipart")));
        // Where the client sent no object, Prism is right.
        assert_eq!(fault(serde_json::json!("text")), None);
    }
}
