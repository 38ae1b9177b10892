//! Every operation's success answers as the document has them, and the
//! documents progenitor is given so that it can generate them.
//!
//! progenitor 0.15 decodes one success type per operation: an operation with
//! a body on `200` and none on `204`, or different bodies on `200` and `202`,
//! or a JSON `200` beside a `default` in `application/problem+json`, fails its
//! `assert!(response_types.len() <= 1)` (oxidecomputer/progenitor#344, #950),
//! and a non-JSON error body makes the error type a `ByteStream`
//! (progenitor#905). So the decoding is not left to it:
//!
//! - error answers (4xx, 5xx, whatever the document says of them) become the
//!   crate's `Error` in the runtime, from the status and the body;
//! - success answers are decoded by the `send()` the rewrites in
//!   `codegen/send.rs` write, following the [`Shape`] planned here: one type
//!   for every success status, `Option<T>` when some statuses have no body,
//!   or an enum with one variant per status when the bodies differ;
//! - progenitor sees, per operation, at most the one JSON success schema, so
//!   it generates that type (named as it always names it) and sends
//!   `Accept: application/json`; every other body schema the enums need is
//!   moved to `components/schemas` under a name of ours first.
//!
//! The mocks are generated from the document with every documented answer,
//! so each status keeps its typed `then` helper.

mod prepare;

use serde_json::{json, Map, Value};

use super::names::status_variant;

pub use prepare::{prepare, Prepared};

/// What one success status answers with.
#[derive(Clone, Debug, PartialEq)]
pub enum Payload {
    /// No body.
    Empty,
    /// A JSON body (any `application/json` or `+json` media type) and its
    /// schema as written: a `$ref`, or inline.
    Json(Value),
    /// Text (`text/*`): a `String`.
    Text,
    /// Any other media type: the raw bytes.
    Binary,
}

/// One documented success status.
#[derive(Clone, Debug, PartialEq)]
pub struct Success {
    /// `200`, `2XX` or `default` (a `default` is a success only where no 2xx
    /// is documented).
    pub status: String,
    pub payload: Payload,
    /// The media type the payload was read from.
    pub media_type: Option<String>,
}

impl Success {
    /// The exact status code, for a status that is one.
    pub fn code(&self) -> Option<u16> {
        self.status.parse().ok()
    }
}

/// What `send()` returns for an operation.
#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    /// The same payload for every success status.
    One(Payload),
    /// One payload where there is a body, and `None` on the statuses that
    /// answer without one (a `200` with JSON beside a `204`).
    Optional { payload: Payload, empty: Vec<u16> },
    /// Different payloads: an enum with a variant per status.
    ByStatus {
        /// The enum's type name.
        name: String,
        variants: Vec<Variant>,
    },
}

/// One variant of a [`Shape::ByStatus`] enum.
#[derive(Clone, Debug, PartialEq)]
pub struct Variant {
    pub name: String,
    pub success: Success,
    /// For a JSON payload, the type its body decodes into: a component's
    /// type name, or `None` for the one type progenitor generates.
    pub type_name: Option<String>,
}

/// One operation's plan.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    pub operation_id: String,
    /// `GET`.
    pub method: String,
    /// The path template.
    pub path: String,
    /// The client's method, as progenitor names it.
    pub method_name: String,
    pub successes: Vec<Success>,
    pub shape: Shape,
}

/// The media type without parameters, lowercased.
pub fn essence(media_type: &str) -> String {
    media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// Whether a media type carries JSON: `application/json`, or a `+json`
/// suffix (`application/problem+json`, RFC 6839).
pub fn is_json(media_type: &str) -> bool {
    let essence = essence(media_type);
    essence == "application/json" || essence.ends_with("+json")
}

fn is_binary_schema(schema: Option<&Value>) -> bool {
    schema.is_some_and(|s| s.get("format").and_then(Value::as_str) == Some("binary"))
}

/// The payload one media type gives, and its rank (lower is preferred).
fn payload_of(doc: &Value, media_type: &str, media: &Value) -> (u8, Payload) {
    let schema = media.get("schema");
    let essence = essence(media_type);
    if is_json(media_type) && !is_binary_schema(schema) {
        return (
            0,
            Payload::Json(schema.cloned().unwrap_or_else(|| json!({}))),
        );
    }
    // A media range (`*/*`, Spring's springdoc writes it for every answer)
    // over a schema only JSON can carry (an object, a list, a number): the
    // answer is read as JSON, after a JSON type the document names. Read as
    // bytes, the caller would get no `types::Person` for a `Person` schema.
    if is_range(&essence) && schema.is_some_and(|s| json_only(doc, s)) {
        return (1, Payload::Json(schema.cloned().unwrap_or_default()));
    }
    if essence.starts_with("text/") && !is_binary_schema(schema) {
        return (2, Payload::Text);
    }
    (3, Payload::Binary)
}

/// Whether `media_type` is a range (`*/*`, `application/*+json`) rather than
/// one media type.
pub fn is_range(media_type: &str) -> bool {
    essence(media_type).contains('*')
}

/// Whether `schema` (a `$ref` followed) describes values that only JSON
/// carries: an object, a list, a number, an integer or a boolean, or a
/// composition or properties without a `type`. Not a string, nor a schema
/// that says nothing (`{}`), which could be any bytes.
pub fn json_only(doc: &Value, schema: &Value) -> bool {
    let schema = follow(doc, schema);
    match schema.get("type").and_then(Value::as_str) {
        Some(kind) => kind != "string",
        None => [
            "properties",
            "items",
            "allOf",
            "oneOf",
            "anyOf",
            "additionalProperties",
        ]
        .iter()
        .any(|k| schema.get(*k).is_some()),
    }
}

/// The media type a client asks for among a response's `content`: JSON,
/// then a range over a schema only JSON carries, then text, then anything
/// else, each in document order.
pub fn chosen_media(doc: &Value, content: &Map<String, Value>) -> Option<(String, Payload)> {
    content
        .iter()
        .map(|(media_type, media)| {
            let (rank, payload) = payload_of(doc, media_type, media);
            (rank, media_type.clone(), payload)
        })
        .min_by_key(|(rank, _, _)| *rank)
        .map(|(_, media_type, payload)| (media_type, payload))
}

/// A local `$ref`'s target, else the value.
pub(super) fn follow<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    let mut value = value;
    for _ in 0..32 {
        match value
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
            .and_then(|pointer| doc.pointer(pointer))
        {
            Some(target) => value = target,
            None => break,
        }
    }
    value
}

fn is_success_code(status: &str) -> bool {
    status.len() == 3 && status.starts_with('2') && status.parse::<u16>().is_ok()
}

fn is_redirect_code(status: &str) -> bool {
    status.len() == 3 && status.starts_with('3') && status.parse::<u16>().is_ok()
}

/// The success statuses of `operation`, in the order a decoder tries them:
/// exact codes, then `2XX`, then `default` where nothing else is a success.
/// An operation documenting none answers with its bytes, as progenitor's
/// own fallback does.
pub fn successes(doc: &Value, operation: &Value) -> Vec<Success> {
    let responses = operation
        .get("responses")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let mut codes: Vec<&String> = responses.keys().filter(|s| is_success_code(s)).collect();
    codes.sort();
    let mut statuses: Vec<&String> = codes;
    statuses.extend(responses.keys().filter(|s| s.eq_ignore_ascii_case("2XX")));
    if statuses.is_empty() {
        // An operation that documents only redirections (httpbin's
        // `/redirect-to`): the client follows one that says where to
        // (`Location`), so what reaches the decoder is the answer the
        // document gives, not an error.
        let mut redirects: Vec<&String> =
            responses.keys().filter(|s| is_redirect_code(s)).collect();
        redirects.sort();
        statuses.extend(redirects);
        statuses.extend(responses.keys().filter(|s| s.eq_ignore_ascii_case("3XX")));
    }
    if statuses.is_empty() {
        statuses.extend(responses.keys().filter(|s| *s == "default"));
    }
    let found: Vec<Success> = statuses
        .into_iter()
        .map(|status| {
            let response = follow(doc, &responses[status]);
            let content = response
                .get("content")
                .and_then(Value::as_object)
                .filter(|c| !c.is_empty());
            // A 204, 205 or 304 answer has no body, whatever the document
            // says it holds (RFC 9110 §15.3.5, §15.3.6, §15.4.5): Bitbucket
            // gives its 204s a JSON error schema.
            let bodiless = matches!(status.as_str(), "204" | "205" | "304");
            let (media_type, payload) = match content.and_then(|c| chosen_media(doc, c)) {
                Some((media_type, payload)) if !bodiless => (Some(media_type), payload),
                _ => (None, Payload::Empty),
            };
            Success {
                status: if status.eq_ignore_ascii_case("2XX") || status.eq_ignore_ascii_case("3XX")
                {
                    status.to_ascii_uppercase()
                } else {
                    status.clone()
                },
                payload,
                media_type,
            }
        })
        .collect();
    if found.is_empty() {
        return vec![Success {
            status: "2XX".into(),
            payload: Payload::Binary,
            media_type: None,
        }];
    }
    found
}

/// The shape of `successes` (the enum's name is filled in by [`prepare`]).
pub fn shape(successes: &[Success]) -> Shape {
    let bodies: Vec<&Success> = successes
        .iter()
        .filter(|s| s.payload != Payload::Empty)
        .collect();
    let Some(first) = bodies.first() else {
        return Shape::One(Payload::Empty);
    };
    if bodies.iter().all(|s| s.payload == first.payload) {
        let empty: Vec<u16> = successes
            .iter()
            .filter(|s| s.payload == Payload::Empty)
            .filter_map(Success::code)
            .collect();
        // An empty `2XX` beside a body on `200` has no code to tell it by:
        // the body's absence is not something the status says, so it stays
        // one type, and an empty answer there fails to decode, loudly.
        return if empty.is_empty() {
            Shape::One(first.payload.clone())
        } else {
            Shape::Optional {
                payload: first.payload.clone(),
                empty,
            }
        };
    }
    Shape::ByStatus {
        name: String::new(),
        variants: successes
            .iter()
            .map(|s| Variant {
                name: status_variant(&s.status),
                success: s.clone(),
                type_name: None,
            })
            .collect(),
    }
}

pub(super) fn component_name(schema: &Value) -> Option<&str> {
    schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
}

#[cfg(test)]
mod tests;
