//! What progenitor can generate, checked before it runs.
//!
//! progenitor 0.15 panics or fails the whole client on some valid 3.0 input
//! (a request with several content types, a multipart body, a cookie
//! parameter...). Each such case is settled here, per operation, so the rest of
//! the client is still generated:
//! - an exact or codegen-neutral rewrite where one exists (a JSON media type's
//!   `encoding`, which the spec ignores for JSON; a missing JSON schema, which
//!   means any JSON; the one content type the client will send);
//! - otherwise the operation is left out of codegen, with the reason, in the
//!   conversion report and as a regen warning.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::codegen::requests::Kind;
use crate::operations::{operations, METHODS};
use crate::pointer::{follow_ref, join};
use crate::report::{LeftOut, Report};

mod schemas;

/// Screens every operation and schema of the converted 3.0 `doc`: what has no
/// sound type (`schemas.rs`) is left out with what depends on it, then each
/// operation is settled for progenitor. `hand_written` maps an operationId to
/// the hand-written method that covers it.
pub fn screen(
    doc: &mut Value,
    hand_written: &BTreeMap<String, String>,
    report: &mut Report,
) -> anyhow::Result<()> {
    for unsound in schemas::unsound(doc) {
        // An earlier exclusion may have taken it out already.
        if doc
            .pointer(&crate::isolate::owner(&unsound.pointer))
            .is_none()
        {
            continue;
        }
        let exclusion = crate::isolate::Exclusion {
            pointer: unsound.pointer,
            reason: unsound.reason,
        };
        crate::isolate::exclude(doc, &exclusion, hand_written, report)?;
    }
    repeated_enum_values(doc, "", report);
    parameter_content(doc, report);
    screen_operations(doc, hand_written, report);
    Ok(())
}

/// A parameter given by `content` in one media type that is not JSON
/// (`*/*`, `text/plain`) is sent as its value's text, which is what a
/// `schema` parameter sends: it is read as one (progenitor reads `schema`
/// only). JSON `content` would send the value JSON-encoded, which a schema
/// cannot say; such an operation is left out with the reason.
fn parameter_content(doc: &mut Value, report: &mut Report) {
    let mut lists: Vec<String> = Vec::new();
    for (path, item) in doc
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let at = join("/paths", path);
        lists.push(join(&at, "parameters"));
        for (method, _) in item.as_object().into_iter().flatten() {
            if METHODS.contains(&method.as_str()) {
                lists.push(join(&join(&at, method), "parameters"));
            }
        }
    }
    let mut params: Vec<String> = Vec::new();
    for list in lists {
        let count = doc
            .pointer(&list)
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        params.extend((0..count).map(|i| join(&list, &i.to_string())));
    }
    for (name, _) in doc
        .pointer("/components/parameters")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        params.push(join("/components/parameters", name));
    }
    for at in params {
        let Some(param) = doc.pointer_mut(&at).and_then(Value::as_object_mut) else {
            continue;
        };
        if param.contains_key("schema") {
            continue;
        }
        let Some(Value::Object(content)) = param.get("content") else {
            continue;
        };
        let [(media_type, media)] = content.iter().collect::<Vec<_>>()[..] else {
            continue;
        };
        let json = crate::codegen::responses::is_json(media_type);
        let Some(schema) = media.get("schema").cloned().filter(|_| !json) else {
            continue;
        };
        let media_type = media_type.clone();
        param.shift_remove("content");
        param.insert("schema".into(), schema);
        report.repaired.insert(crate::report::Dropped {
            pointer: join(&at, "content"),
            why: format!(
                "a parameter in `{media_type}` content is sent as its value's text: the client \
                 takes it as its schema says"
            ),
        });
    }
}

/// Drops the later copies of a value an `enum` lists twice (a real API lists
/// one status twice): an enum is a set of values, and typify cannot name two
/// variants alike.
fn repeated_enum_values(value: &mut Value, at: &str, report: &mut Report) {
    match value {
        Value::Object(map) => {
            if let Some(Value::Array(values)) = map.get_mut("enum") {
                let mut kept: Vec<Value> = Vec::new();
                for (i, v) in values.iter().enumerate() {
                    if kept.contains(v) {
                        report.drop(
                            join(&join(at, "enum"), &i.to_string()),
                            format!("the enum lists {v} twice; an enum is a set of values"),
                        );
                    } else {
                        kept.push(v.clone());
                    }
                }
                *values = kept;
            }
            for (key, child) in map.iter_mut() {
                if !matches!(key.as_str(), "enum" | "example" | "examples" | "default") {
                    repeated_enum_values(child, &join(at, key), report);
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter_mut().enumerate() {
                repeated_enum_values(child, &join(at, &i.to_string()), report);
            }
        }
        _ => {}
    }
}

fn screen_operations(
    doc: &mut Value,
    hand_written: &BTreeMap<String, String>,
    report: &mut Report,
) {
    // References are followed in the document as it was: the loop rewrites it.
    let original = doc.clone();
    for (path, method, mut operation) in operations(doc) {
        let at = join(&join("/paths", &path), &method);
        let path_params = doc["paths"][&path].get("parameters").cloned();
        let outcome = screen_operation(&path, &mut operation, path_params, &original, &at, report);
        match outcome {
            Ok(()) => doc["paths"][&path][&method] = operation,
            Err(reason) => leave_out(doc, &path, &method, &at, reason, hand_written, report),
        }
    }
}

/// Takes the operation at `path` and `method` out of `doc` and records why:
/// `reason`, found at `pointer` (the operation, or a part of it).
pub fn leave_out(
    doc: &mut Value,
    path: &str,
    method: &str,
    pointer: &str,
    reason: String,
    hand_written: &BTreeMap<String, String>,
    report: &mut Report,
) {
    let Some(item) = doc["paths"].get_mut(path).and_then(Value::as_object_mut) else {
        return;
    };
    let Some(operation) = item.shift_remove(method) else {
        return;
    };
    let id = operation["operationId"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    report.left_out.insert(LeftOut {
        operation: format!("{} {path}", method.to_uppercase()),
        hand_written: hand_written.get(&id).cloned(),
        operation_id: id,
        pointer: pointer.to_string(),
        reason,
    });
    if !item.keys().any(|k| METHODS.contains(&k.as_str())) {
        doc["paths"]
            .as_object_mut()
            .expect("paths")
            .shift_remove(path);
    }
}

type Verdict = Result<(), String>;

fn screen_operation(
    path: &str,
    operation: &mut Value,
    path_params: Option<Value>,
    original: &Value,
    at: &str,
    report: &mut Report,
) -> Verdict {
    let mut params = Vec::new();
    for list in [path_params.as_ref(), operation.get("parameters")] {
        for param in list.and_then(Value::as_array).into_iter().flatten() {
            params.push(follow_ref(original, param).clone());
        }
    }
    let mut dropped_cookies = Vec::new();
    for param in &params {
        let name = param["name"].as_str().unwrap_or_default();
        let location = param["in"].as_str().unwrap_or_default();
        let style = param.get("style").and_then(Value::as_str);
        if param.get("schema").is_none() {
            return Err(format!(
                "parameter `{name}` has `content` instead of a schema"
            ));
        }
        match location {
            "path" if param.get("required") != Some(&json!(true)) => {
                return Err(format!("path parameter `{name}` is not marked required"))
            }
            "path" if style.is_some_and(|s| s != "simple") => {
                return Err(format!(
                    "path parameter `{name}` has style `{}`",
                    style.unwrap_or_default()
                ))
            }
            "query" if style.is_some_and(|s| s != "form") => {
                return Err(format!(
                    "query parameter `{name}` has style `{}`",
                    style.unwrap_or_default()
                ))
            }
            "cookie" if param.get("required") == Some(&json!(true)) => {
                return Err(format!(
                    "it requires the cookie parameter `{name}`, which progenitor cannot send"
                ))
            }
            "cookie" => dropped_cookies.push(name.to_string()),
            _ => {}
        }
    }
    // progenitor has no setter for an optional query parameter of a struct
    // type (`unreachable!()` in `builder_struct`, progenitor 0.15; no
    // upstream report yet): it is taken as JSON, which the query string
    // spells out field by field (form style) as for the struct.
    for param in &params {
        let name = param["name"].as_str().unwrap_or_default().to_string();
        let schema = param.get("schema").map(|s| follow_ref(original, s));
        let is_struct = schema.is_some_and(|s| {
            let s = match s.get("allOf").and_then(Value::as_array).map(Vec::as_slice) {
                Some([one]) => follow_ref(original, one),
                _ => s,
            };
            s.get("properties").is_some() || s.get("allOf").is_some()
        });
        if param["in"] != "query" || param.get("required") == Some(&json!(true)) || !is_struct {
            continue;
        }
        let mut loose = param.clone();
        loose["schema"] = json!({});
        let list = operation
            .as_object_mut()
            .expect("an operation")
            .entry("parameters")
            .or_insert_with(|| json!([]));
        let Some(list) = list.as_array_mut() else {
            continue;
        };
        let own = list.iter().position(|p| {
            let p = follow_ref(original, p);
            p["in"] == "query" && p["name"] == json!(name)
        });
        match own {
            Some(i) => list[i] = loose,
            None => list.push(loose),
        }
        report.repaired.insert(crate::report::Dropped {
            pointer: at.to_string(),
            why: format!(
                "the optional query parameter `{name}` is an object: the client takes it as JSON \
                 (`serde_json::Value`), sent field by field as for the object, since progenitor \
                 has no setter for an optional struct parameter"
            ),
        });
    }
    let declared: Vec<String> = params
        .iter()
        .filter(|p| p["in"] == "path")
        .filter_map(|p| p["name"].as_str().map(String::from))
        .collect();
    // A name the path has and no parameter declares (a real upstream forgot
    // them for nine operations): the request cannot be made without it, and
    // nothing says more of it than that it is a path segment, a string.
    for name in template_names(path) {
        if !declared.contains(&name) {
            let list = operation
                .as_object_mut()
                .expect("an operation")
                .entry("parameters")
                .or_insert_with(|| json!([]));
            if let Some(list) = list.as_array_mut() {
                list.push(json!({
                    "name": name, "in": "path", "required": true, "schema": {"type": "string"},
                }));
            }
            report.repaired.insert(crate::report::Dropped {
                pointer: at.to_string(),
                why: format!(
                    "the path names `{{{name}}}` but no parameter declares it: the client takes \
                     it as a required string"
                ),
            });
        }
    }
    let declared: Vec<&str> = declared.iter().map(String::as_str).collect();
    // A path parameter the template does not have (a typo upstream:
    // `/contacts/{id}` declaring `contactId`) cannot be sent anywhere: the
    // client leaves it out, and takes the template's own name instead.
    let stray: Vec<String> = declared
        .iter()
        .filter(|name| !template_names(path).iter().any(|n| n == *name))
        .map(|name| name.to_string())
        .collect();
    for name in stray {
        let own = operation
            .get_mut("parameters")
            .and_then(Value::as_array_mut)
            .and_then(|list| {
                let i = list.iter().position(|p| {
                    let p = follow_ref(original, p);
                    p["in"] == "path" && p["name"] == json!(name)
                })?;
                Some(list.remove(i))
            });
        if own.is_none() {
            return Err(format!("path parameter `{name}` is not in the path"));
        }
        report.repaired.insert(crate::report::Dropped {
            pointer: at.to_string(),
            why: format!(
                "declares path parameter `{name}`, which the path does not have: the client \
                 leaves it out"
            ),
        });
    }
    if !dropped_cookies.is_empty() {
        if let Some(list) = operation
            .get_mut("parameters")
            .and_then(Value::as_array_mut)
        {
            for (i, param) in list.iter().enumerate() {
                let param = follow_ref(original, param);
                if param["in"] == "cookie" {
                    report.drop(
                        join(&join(at, "parameters"), &i.to_string()),
                        "an optional cookie parameter: progenitor cannot send one, and the server must do without it",
                    );
                }
            }
            list.retain(|p| follow_ref(original, p)["in"] != "cookie");
        }
    }
    if let Some(body) = operation.get("requestBody").cloned() {
        let mut body = follow_ref(original, &body).clone();
        screen_request_body(&mut body, original, &join(at, "requestBody"), report)?;
        operation["requestBody"] = body;
    }
    if let Some(responses) = operation
        .get_mut("responses")
        .and_then(Value::as_object_mut)
    {
        for (status, response) in responses.iter_mut() {
            let here = join(&join(at, "responses"), status);
            if response.get("$ref").is_some() {
                let mut inlined = follow_ref(original, response).clone();
                if screen_json_media(&mut inlined, &here, report) {
                    *response = inlined;
                }
            } else {
                screen_json_media(response, &here, report);
            }
        }
    }
    Ok(())
}

fn screen_request_body(
    body: &mut Value,
    _original: &Value,
    at: &str,
    report: &mut Report,
) -> Verdict {
    let Some(content) = body.get_mut("content").and_then(Value::as_object_mut) else {
        return Ok(());
    };
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
            screen_json_media(body, at, report);
        }
        Kind::Multipart | Kind::Text | Kind::Binary => {}
    }
    Ok(())
}

/// Settles what progenitor panics on in JSON media types. Returns whether it
/// changed anything.
fn screen_json_media(holder: &mut Value, at: &str, report: &mut Report) -> bool {
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

/// The `{name}`s of a path template.
fn template_names(path: &str) -> Vec<String> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_string()))
        .collect()
}

#[cfg(test)]
mod tests;
