//! One operation settled for progenitor: its parameters (cookies, styles,
//! names the path has and no parameter declares, and the reverse, headers
//! the client does not take from a caller); its request body and JSON media
//! are `bodies.rs`'s.

use serde_json::{json, Value};

use super::bodies;
use crate::pointer::{follow_ref, join};
use crate::report::Report;

type Verdict = Result<(), String>;

/// Header parameters the client never takes from a caller: OpenAPI's three,
/// and the framing headers RFC 9112 gives the HTTP client.
const IGNORED_HEADERS: &[&str] = &[
    "Accept",
    "Content-Type",
    "Authorization",
    "Content-Length",
    "Transfer-Encoding",
    "Host",
    "Connection",
];

/// Settles one operation for progenitor; the reason when it cannot be.
pub(super) fn screen(
    path: &str,
    operation: &mut Value,
    path_params: Option<Value>,
    original: &Value,
    at: &str,
    report: &mut Report,
) -> Verdict {
    // Callbacks are requests the server makes to the caller's URL; the
    // client never sends them (and a `$ref`'d one is no 3.0 input
    // progenitor reads).
    if let Some(map) = operation.as_object_mut() {
        if map.shift_remove("callbacks").is_some() {
            report.drop(
                join(at, "callbacks"),
                "callbacks are requests the server makes; the client never sends them",
            );
        }
    }
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
            // Every query style OpenAPI has is sent in its own spelling
            // (`codegen/query.rs`).
            "query"
                if style.is_some_and(|s| {
                    !["form", "deepObject", "spaceDelimited", "pipeDelimited"].contains(&s)
                }) =>
            {
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
    struct_parameters(operation, &params, original, at, report)?;
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
    // Headers the client does not take from a caller: OpenAPI says a header
    // parameter named `Accept`, `Content-Type` or `Authorization` SHALL be
    // ignored (the media types and the security schemes say those), and the
    // message's framing (`Content-Length`...) is the HTTP client's: Influx's
    // `Content-Length` parameter, set by hand, made the server wait for
    // bytes that never came.
    if let Some(list) = operation
        .get_mut("parameters")
        .and_then(Value::as_array_mut)
    {
        let ignored = |p: &Value| {
            p["in"] == "header"
                && p["name"].as_str().is_some_and(|name| {
                    IGNORED_HEADERS.iter().any(|h| h.eq_ignore_ascii_case(name))
                })
        };
        for (i, param) in list.iter().enumerate() {
            let param = follow_ref(original, param);
            if ignored(param) {
                report.drop(
                    join(&join(at, "parameters"), &i.to_string()),
                    format!(
                        "a header parameter named `{}`: OpenAPI says to ignore `Accept`, \
                         `Content-Type` and `Authorization` parameters (the media types and the \
                         security schemes set them), and the HTTP client writes the message's \
                         framing",
                        param["name"].as_str().unwrap_or_default()
                    ),
                );
            }
        }
        list.retain(|p| !ignored(follow_ref(original, p)));
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
        bodies::request_body(&mut body, original, &join(at, "requestBody"), report)?;
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
                if bodies::json_media(&mut inlined, &here, report) {
                    *response = inlined;
                }
            } else {
                bodies::json_media(response, &here, report);
            }
        }
    }
    Ok(())
}

/// The `{name}`s of a path template.
fn template_names(path: &str) -> Vec<String> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_string()))
        .collect()
}

/// A parameter whose type typify makes a struct has no setter in
/// progenitor (`unreachable!()` in `builder_struct` when optional, an
/// `assert_eq!(param.name, "body")` when required; progenitor 0.15, no
/// upstream report yet), so:
/// - an `anyOf` of scalars (an IPv4 or an IPv6 address) is a string, which
///   is what any branch sends;
/// - an object in the query is taken as JSON (`serde_json::Value`), which
///   the query spells field by field as for the object, in its style;
/// - an object in a header is taken as JSON too, which the client spells
///   as OpenAPI's `simple` style does (`a,1,b,2`, or `a=1,b=2` exploded;
///   `codegen/headers.rs`);
/// - an object in the path cannot be taken: the operation is left out with
///   the reason.
fn struct_parameters(
    operation: &mut Value,
    params: &[Value],
    original: &Value,
    at: &str,
    report: &mut Report,
) -> Verdict {
    for param in params {
        let name = param["name"].as_str().unwrap_or_default().to_string();
        let location = param["in"].as_str().unwrap_or_default().to_string();
        let Some(schema) = param.get("schema").map(|s| follow_ref(original, s)) else {
            continue;
        };
        let schema = match schema
            .get("allOf")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
        {
            Some([one]) => follow_ref(original, one),
            _ => schema,
        };
        // typify makes an `anyOf` a struct of optional parts (a `oneOf` is
        // an enum, which progenitor sets and sends like a scalar).
        let branches = schema.get("anyOf").and_then(Value::as_array);
        let scalar = |s: &Value| {
            matches!(
                follow_ref(original, s).get("type").and_then(Value::as_str),
                Some("string" | "integer" | "number" | "boolean")
            )
        };
        let strings = branches.is_some_and(|b| !b.is_empty() && b.iter().all(scalar));
        let is_struct = schema.get("properties").is_some()
            || schema.get("allOf").is_some()
            || (branches.is_some() && !strings);
        let (replacement, why) = if strings {
            (
                json!({"type": "string"}),
                format!(
                    "the {location} parameter `{name}` is any of several scalars: the client \
                     takes it as the string it is sent as"
                ),
            )
        } else if is_struct && location == "query" {
            (
                json!({}),
                format!(
                    "the query parameter `{name}` is an object: the client takes it as JSON \
                     (`serde_json::Value`), sent field by field as for the object, since \
                     progenitor has no setter for a struct parameter"
                ),
            )
        } else if is_struct && location == "header" {
            (
                json!({}),
                format!(
                    "the header parameter `{name}` is an object: the client takes it as JSON \
                     (`serde_json::Value`), sent as `style: simple` spells an object \
                     (`key,value,...`, or `key=value,...` exploded), since progenitor has no \
                     setter for a struct parameter"
                ),
            )
        } else if is_struct {
            return Err(format!(
                "the {location} parameter `{name}` is an object, which progenitor cannot send there"
            ));
        } else {
            continue;
        };
        let mut loose = param.clone();
        loose["schema"] = replacement;
        let list = operation
            .as_object_mut()
            .expect("an operation")
            .entry("parameters")
            .or_insert_with(|| json!([]));
        let Some(list) = list.as_array_mut() else {
            continue;
        };
        // The operation's own parameter of that name and place, or one
        // that overrides the path item's.
        let own = list.iter().position(|p| {
            let p = follow_ref(original, p);
            p["in"] == json!(location) && p["name"] == json!(name)
        });
        match own {
            Some(i) => list[i] = loose,
            None => list.push(loose),
        }
        report.repaired.insert(crate::report::Dropped {
            pointer: at.to_string(),
            why,
        });
    }
    Ok(())
}
