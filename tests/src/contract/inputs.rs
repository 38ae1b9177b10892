//! One round's inputs (parameters and body), drawn from the schemas Prism
//! checks them against: upstream's (`tests/contract/upstream.json`), not the
//! converted document the client is generated from. Conversion keeps the
//! client's types sound by loosening what they cannot say (a property two
//! `allOf` branches define differently becomes any JSON, "at least one of"
//! branches one struct, a recursive branch any value), so a value drawn from
//! the converted schema can break upstream's; a value of upstream's schema
//! fits the client's looser type. Where upstream has no counterpart (a
//! parameter regen supplied, a media type it chose), the converted schema is
//! used.

use serde_json::{json, Map, Value};

use super::schema_check::{self, SchemaCheck, Side};
use super::values::{Draw, Text};

/// Bodies drawn at most, in one round, until one passes upstream's schema.
const TRIES: usize = 20;

/// An operation as both documents give it.
pub(crate) struct Operation {
    /// The converted document's operation, path-level parameters merged in.
    pub(crate) converted: Value,
    /// Upstream's, likewise, if upstream has the same path and method.
    pub(crate) upstream: Option<Value>,
    /// `POST /path`, for messages.
    pub(crate) method_path: String,
}

/// Both documents: the converted one and upstream's (when it can be read).
pub(crate) struct Documents {
    pub(crate) converted: Value,
    pub(crate) upstream: Option<Value>,
    /// Upstream's, lowered for the JSON Schema validator: for requests,
    /// for requests as plain JSON Schema reads them, and for answers.
    lowered: Option<Lowered>,
}

/// Upstream's document lowered each way a value is checked.
struct Lowered {
    request: Value,
    plain_request: Value,
    response: Value,
}

impl Documents {
    /// The converted document and upstream's.
    pub(crate) fn new(converted: Value, upstream: Option<Value>) -> Self {
        let lowered = upstream.as_ref().map(|doc| Lowered {
            request: schema_check::lower(doc, Side::Request),
            plain_request: schema_check::lower(doc, Side::PlainRequest),
            response: schema_check::lower(doc, Side::Response),
        });
        Self {
            converted,
            upstream,
            lowered,
        }
    }

    /// The operation `operation_id` of the converted document, and its
    /// counterpart upstream (the same path and method).
    pub(crate) fn operation(&self, operation_id: &str) -> Operation {
        let (method, path, converted) = find_operation(&self.converted, operation_id);
        let upstream = self.upstream.as_ref().and_then(|doc| {
            let item = doc["paths"].get(&path)?;
            let op = item.get(&method)?;
            Some(merged_parameters(doc, item, op))
        });
        Operation {
            converted,
            upstream,
            method_path: format!("{} {path}", method.to_uppercase()),
        }
    }
}

impl Documents {
    /// Why the answer `body` (JSON text) of status `status` to `operation`
    /// breaks upstream's schema for it, if it does.
    pub(crate) fn answer_problem(
        &self,
        operation: &Operation,
        status: u16,
        body: &str,
    ) -> Option<String> {
        let upstream = self.upstream.as_ref()?;
        let lowered = &self.lowered.as_ref()?.response;
        let responses = operation.upstream.as_ref()?.get("responses")?;
        let range = format!("{}XX", status / 100);
        let response = [status.to_string(), range, "default".to_string()]
            .iter()
            .find_map(|key| {
                responses
                    .get(key)
                    .or_else(|| responses.get(key.to_lowercase()))
            })?;
        let content = resolve(upstream, response).get("content")?.as_object()?;
        let schema = content
            .iter()
            .find(|(media_type, _)| media_type.contains("json"))
            .or_else(|| content.iter().next())
            .and_then(|(_, media)| media.get("schema"))?;
        let value: Value = serde_json::from_str(body).ok()?;
        SchemaCheck::new(lowered, schema, Side::Response)?.problem(&value)
    }
}

/// One round's parameters and body.
pub(crate) fn draw(documents: &Documents, operation: &Operation, seed: u64) -> Drawn {
    let upstream_doc = documents.upstream.as_ref();
    let mut upstream = upstream_doc.map(|doc| Draw::new(doc, seed));
    let mut converted = Draw::new(&documents.converted, seed ^ 0x5bd1_e995);
    let mut params = Map::new();
    for param in list(&operation.converted, "parameters") {
        let name = param["name"].as_str().unwrap_or_default();
        // Upstream's declaration of the same parameter, where it has one.
        let theirs = operation.upstream.as_ref().and_then(|op| {
            list(op, "parameters")
                .into_iter()
                .find(|p| p["name"] == param["name"] && p["in"] == param["in"])
        });
        let (draw, declared, doc) = match (&mut upstream, theirs, upstream_doc) {
            (Some(draw), Some(theirs), Some(doc)) => (draw, theirs, doc),
            _ => (&mut converted, param, &documents.converted),
        };
        let required = declared.get("required") == Some(&Value::Bool(true))
            || param.get("required") == Some(&Value::Bool(true));
        let schema = parameter_schema(declared);
        // Prism 5.16 reads an absent header of a list or object schema as
        // `undefined.split(',')` (its `style/simple.js`) and dies, failing
        // every later request of the run (no upstream report found), so
        // such a header is always sent.
        let composite = resolve(doc, &schema)
            .get("type")
            .is_some_and(|t| ["array", "object"].iter().any(|kind| t == kind));
        let always = required || (param["in"] == "header" && composite);
        if !(always || draw.chance(50)) {
            continue;
        }
        let at = format!("{}/parameters/{name}", operation.method_path);
        let mut value = draw.parameter(&schema, &at, Text::of_parameter(declared));
        // No parameter style spells null, so the client does not send a
        // null parameter at all, which the server reads as missing: a
        // parameter that must be there is never drawn null.
        for _ in 0..100 {
            if !(always && value.is_null()) {
                break;
            }
            value = draw.parameter(&schema, &at, Text::of_parameter(declared));
        }
        // A path segment that is empty, `.` or `..` addresses another
        // endpoint; the client refuses to send one, so none is drawn.
        if param["in"] == "path" {
            for _ in 0..100 {
                let text = match &value {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                if !matches!(text.as_str(), "" | "." | "..") {
                    break;
                }
                value = draw.parameter(&schema, &at, Text::of_parameter(declared));
            }
        }
        params.insert(name.to_string(), value);
    }
    // The one content type the client sends (regen keeps one), always:
    // progenitor's builders send a body whether or not the document requires
    // one (an unset typed body is its `Default`, which fails on the first
    // required property), so a round without one would test the builder's
    // refusal, not the wire.
    let body = operation.converted.get("requestBody").and_then(|body| {
        let body = resolve(&documents.converted, body);
        let (media_type, media) = body.get("content")?.as_object()?.iter().next()?;
        let at = format!("{}/requestBody", operation.method_path);
        // Upstream's media type of that name, or the wildcard regen sent
        // JSON for (`*/*`).
        let theirs = operation
            .upstream
            .as_ref()
            .zip(upstream_doc)
            .and_then(|(op, doc)| {
                let body = resolve(doc, op.get("requestBody")?);
                let content = body.get("content")?;
                let media = content
                    .get(media_type)
                    .or_else(|| content.get("*/*"))
                    .or_else(|| content.get("application/*"))?;
                media.get("schema").cloned()
            });
        Some(match (&mut upstream, theirs) {
            (Some(draw), Some(schema)) => {
                let lowered = documents.lowered.as_ref();
                let check =
                    lowered.and_then(|l| SchemaCheck::new(&l.request, &schema, Side::Request));
                let plain = lowered
                    .and_then(|l| SchemaCheck::new(&l.plain_request, &schema, Side::PlainRequest));
                // A body both readings take, if one comes in the tries; else
                // one the document's reading (its discriminator's) takes.
                let mut return_body = None;
                let mut fallback = None;
                let mut problem = None;
                for _ in 0..TRIES {
                    let value = draw.request(&schema, &at);
                    problem = check.as_ref().and_then(|c| c.problem(&value));
                    if problem.is_some() {
                        continue;
                    }
                    if plain.as_ref().and_then(|c| c.problem(&value)).is_none() {
                        return_body = Some((value, false));
                        break;
                    }
                    fallback.get_or_insert(value);
                }
                match (return_body.take(), fallback) {
                    (Some(found), _) => found,
                    (None, Some(tagged)) => (tagged, true),
                    (None, None) => panic!(
                        "{at}: drew no body upstream's schema takes in {TRIES} tries: {}",
                        problem.unwrap_or_default()
                    ),
                }
            }
            _ => {
                let schema = media.get("schema").cloned().unwrap_or_else(|| json!({}));
                (converted.request(&schema, &at), false)
            }
        })
    });
    let ambiguous = body.as_ref().is_some_and(|(_, ambiguous)| *ambiguous);
    Drawn {
        params,
        body: body.map(|(value, _)| value),
        ambiguous,
    }
}

/// One round's inputs.
pub(crate) struct Drawn {
    /// By name.
    pub(crate) params: Map<String, Value>,
    pub(crate) body: Option<Value>,
    /// Whether the body meets the document's discriminated unions but not
    /// the same schema read as plain JSON Schema (a `oneOf` value matching
    /// two branches whatever its tag): a reader that ignores discriminators
    /// refuses it.
    pub(crate) ambiguous: bool,
}

/// A parameter's schema: its `schema`, or the one of its `content`.
fn parameter_schema(parameter: &Value) -> Value {
    if let Some(schema) = parameter.get("schema") {
        return schema.clone();
    }
    parameter
        .get("content")
        .and_then(Value::as_object)
        .and_then(|content| content.values().next())
        .and_then(|media| media.get("schema"))
        .cloned()
        .unwrap_or_else(|| json!({"type": "string"}))
}

fn list<'v>(op: &'v Value, key: &str) -> Vec<&'v Value> {
    op.get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .collect()
}

/// `op` with its path item's parameters before its own, each `$ref`'d one
/// read where it points (an operation's own parameter of the same name and
/// location overrides the path item's, as OpenAPI says).
fn merged_parameters(doc: &Value, item: &Value, op: &Value) -> Value {
    let own: Vec<Value> = list(op, "parameters")
        .into_iter()
        .map(|p| resolve(doc, p).clone())
        .collect();
    let shared = list(item, "parameters")
        .into_iter()
        .map(|p| resolve(doc, p).clone())
        .filter(|p| {
            !own.iter()
                .any(|o| o["name"] == p["name"] && o["in"] == p["in"])
        });
    let mut op = op.clone();
    op["parameters"] = Value::Array(shared.chain(own.iter().cloned()).collect());
    op
}

/// The operation `operation_id` of `doc`: its method, path and itself with
/// the path-level parameters merged in.
fn find_operation(doc: &Value, operation_id: &str) -> (String, String, Value) {
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for (method, op) in item.as_object().into_iter().flatten() {
            if op.get("operationId").and_then(Value::as_str) == Some(operation_id) {
                return (
                    method.clone(),
                    path.clone(),
                    merged_parameters(doc, item, op),
                );
            }
        }
    }
    panic!("opencx-api/openapi.json has no operation {operation_id}; run `cargo xtask regen`")
}

/// A local `$ref`'s target (following chains), else the value itself.
pub(crate) fn resolve<'v>(doc: &'v Value, value: &'v Value) -> &'v Value {
    let mut value = value;
    for _ in 0..64 {
        match value
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
            .and_then(|pointer| doc.pointer(pointer))
        {
            Some(target) if target != value => value = target,
            _ => break,
        }
    }
    value
}
