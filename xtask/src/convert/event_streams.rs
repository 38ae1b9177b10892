//! Server-sent events (`text/event-stream`) in the document: each event's
//! `data` schema is what codegen types the stream's items as
//! (`codegen/events.rs`), whether the document gives it as 3.2's
//! `itemSchema`, as the response schema, or wrapped in an envelope of the
//! whole event (`data` beside `event`, `id`, `retry`).

use serde_json::{Map, Value};

use crate::codegen::responses::essence;
use crate::pointer::join;

/// A streamed media type's items (OpenAPI 3.2's `itemSchema`: each event of
/// `text/event-stream`, each line of `application/jsonl`) as 3.0's `schema`,
/// which codegen reads as one item (`codegen/events.rs`). Where the schema
/// describes the whole server-sent event (an inline object whose `data`
/// sits beside `event`, `id` or `retry`), it becomes that of the `data`:
/// its `contentSchema` where the data is JSON in a string, a keyword 3.0
/// has not and the schema converter would drop.
pub(super) fn event_stream_media(media: &Map<String, Value>) -> Map<String, Value> {
    let mut media = media.clone();
    let Some(item) = media
        .remove("itemSchema")
        .or_else(|| media.get("schema").cloned())
    else {
        return media;
    };
    let data = is_event_envelope(&item)
        .then(|| item.get("properties").and_then(|p| p.get("data")))
        .flatten();
    let schema = match data {
        Some(data) => data.get("contentSchema").unwrap_or(data).clone(),
        None => item,
    };
    media.insert("schema".into(), schema);
    media
}

/// A `text/event-stream` item schema that is a `$ref` to an event envelope
/// (a schema whose `data` sits beside `event`, `id` or `retry`) becomes a
/// copy of that envelope, so that [`event_stream_media`] can take its
/// `data`'s `contentSchema` as it does an inline envelope's; the component
/// itself would lose `contentSchema`, which 3.0 has not, and the events
/// would be read as text.
pub(super) fn inline_event_envelopes(doc: &mut Value) {
    let envelopes: Vec<(String, Value)> = {
        let mut found = Vec::new();
        collect_event_refs(doc, &mut found);
        found
            .into_iter()
            .filter_map(|(at, target)| {
                let envelope = doc.pointer(target.strip_prefix('#')?)?;
                is_event_envelope(envelope).then(|| (at, envelope.clone()))
            })
            .collect()
    };
    for (at, envelope) in envelopes {
        if let Some(slot) = doc.pointer_mut(&at) {
            *slot = envelope;
        }
    }
}

/// The pointer and target of every `$ref` that is a `text/event-stream`
/// media type's `itemSchema` or `schema`.
fn collect_event_refs(value: &Value, found: &mut Vec<(String, String)>) {
    fn walk(value: &Value, at: &str, found: &mut Vec<(String, String)>) {
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    let here = join(at, key);
                    if essence(key) == "text/event-stream" {
                        for field in ["itemSchema", "schema"] {
                            if let Some(Value::String(target)) =
                                child.get(field).and_then(|s| s.get("$ref"))
                            {
                                found.push((join(&here, field), target.clone()));
                            }
                        }
                    }
                    walk(child, &here, found);
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    walk(item, &join(at, &i.to_string()), found);
                }
            }
            _ => {}
        }
    }
    walk(value, "", found);
}

/// Whether `schema` describes a whole server-sent event: a `data` property
/// beside `event`, `id` or `retry`.
fn is_event_envelope(schema: &Value) -> bool {
    schema
        .get("properties")
        .and_then(Value::as_object)
        .is_some_and(|p| {
            p.contains_key("data") && ["event", "id", "retry"].iter().any(|k| p.contains_key(*k))
        })
}
