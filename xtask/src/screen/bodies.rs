//! One operation's request body (the one media type the client sends: an
//! object in a wildcard media type as JSON) and its JSON media, settled for
//! progenitor.

use serde_json::{json, Value};

use crate::codegen::requests::Kind;
use crate::pointer::join;
use crate::report::Report;

type Verdict = Result<(), String>;

pub(super) fn request_body(
    body: &mut Value,
    original: &Value,
    at: &str,
    report: &mut Report,
) -> Verdict {
    let Some(content) = body.get_mut("content").and_then(Value::as_object_mut) else {
        return Ok(());
    };
    // A wildcard media type (`*/*`, `application/*`) takes JSON among the
    // rest; a schema only JSON carries is sent as JSON (Telnyx's `*/*` of a
    // report request: sent as bytes with `Content-Type: */*`, it could not
    // be read as the object it is), as such an answer is read
    // (`codegen/responses`).
    let wildcards: Vec<String> = content
        .iter()
        .filter(|(media_type, media)| {
            let essence = crate::codegen::responses::essence(media_type);
            (essence == "*/*" || essence == "application/*")
                && crate::codegen::responses::json_only(original, &media["schema"])
        })
        .map(|(media_type, _)| media_type.clone())
        .collect();
    for wildcard in wildcards {
        if content.contains_key("application/json") {
            break;
        }
        let media = content
            .shift_remove(&wildcard)
            .expect("listed from the keys");
        content.insert("application/json".into(), media);
        report.repaired.insert(crate::report::Dropped {
            pointer: join(&join(at, "content"), &wildcard),
            why: format!(
                "`{wildcard}` takes any media type and the schema is an object or a list: the \
                 client sends it as `application/json`"
            ),
        });
    }
    // The one the client sends: the most typed kind, the document's first
    // of that kind (`codegen/requests.rs` sends each kind).
    let Some(chosen) = content.keys().min_by_key(|t| Kind::of(t).rank()).cloned() else {
        return Ok(());
    };
    let types: Vec<String> = content.keys().cloned().collect();
    for other in types.iter().filter(|t| **t != chosen) {
        report.drop(
            join(&join(at, "content"), other),
            format!("the client sends one of the accepted content types, `{chosen}`"),
        );
        content.shift_remove(other);
    }
    let media = content.get_mut(&chosen).expect("chosen from the keys");
    match Kind::of(&chosen) {
        Kind::Form => {
            if let Some(media) = media.as_object_mut() {
                if media.shift_remove("encoding").is_some() {
                    report.drop(
                        join(&join(&join(at, "content"), &chosen), "encoding"),
                        "the form is sent in OpenAPI's default encoding (each field `form` \
                         style, exploded); progenitor cannot apply another",
                    );
                }
            }
        }
        Kind::Json => {
            json_media(body, at, report);
        }
        Kind::Multipart | Kind::Text | Kind::Binary => {}
    }
    Ok(())
}

/// Settles what progenitor panics on in JSON media types. Returns whether it
/// changed anything.
pub(super) fn json_media(holder: &mut Value, at: &str, report: &mut Report) -> bool {
    let mut changed = false;
    let Some(content) = holder.get_mut("content").and_then(Value::as_object_mut) else {
        return false;
    };
    for (content_type, media) in content.iter_mut() {
        if Kind::of(content_type) != Kind::Json {
            continue;
        }
        let Some(media) = media.as_object_mut() else {
            continue;
        };
        let here = join(&join(at, "content"), content_type);
        if media.shift_remove("encoding").is_some() {
            report.drop(
                join(&here, "encoding"),
                "OpenAPI applies `encoding` to multipart and form bodies only; JSON ignores it",
            );
            changed = true;
        }
        if !media.contains_key("schema") {
            // No schema means any JSON, which the empty schema says.
            media.insert("schema".into(), json!({}));
            changed = true;
        }
    }
    changed
}
