//! Lowerings that change no generated type's meaning and nothing the client
//! sends, before the operations are screened; each is in the report.

use serde_json::{json, Value};

use crate::operations::METHODS;
use crate::pointer::join;
use crate::report::Report;
use crate::walk::children_mut;

/// A parameter given by `content` in one media type that is not JSON
/// (`*/*`, `text/plain`) is sent as its value's text, which is what a
/// `schema` parameter sends: it is read as one (progenitor reads `schema`
/// only). JSON `content` would send the value JSON-encoded, which a schema
/// cannot say; such an operation is left out with the reason.
pub(super) fn parameter_content(doc: &mut Value, report: &mut Report) {
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
pub(super) fn repeated_enum_values(value: &mut Value, at: &str, report: &mut Report) {
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
            children_mut(map, at, |child, here| {
                repeated_enum_values(child, &here, report)
            });
        }
        Value::Array(items) => {
            for (i, child) in items.iter_mut().enumerate() {
                repeated_enum_values(child, &join(at, &i.to_string()), report);
            }
        }
        _ => {}
    }
}

/// Drops `anyOf`/`oneOf` branches that only add `required` (JSON Schema's
/// "at least one of these fields"): they constrain which fields are
/// present, not the shape, which the object's `properties` give. A field
/// every branch requires becomes required; the others stay optional. typify
/// made a union of one struct per branch, and the round trip of a value
/// that had the fields of two branches lost one of them.
pub(super) fn required_only_branches(value: &mut Value, at: &str, report: &mut Report) {
    match value {
        Value::Object(map) => {
            for key in ["anyOf", "oneOf"] {
                let Some(Value::Array(branches)) = map.get(key) else {
                    continue;
                };
                let only_required = |b: &Value| {
                    b.as_object().is_some_and(|b| {
                        b.contains_key("required")
                            && b.keys().all(|k| {
                                matches!(k.as_str(), "required" | "description" | "title")
                                    || k.starts_with("x-")
                            })
                    })
                };
                if branches.is_empty()
                    || !branches.iter().all(only_required)
                    || map.get("properties").is_none()
                {
                    continue;
                }
                let lists: Vec<Vec<Value>> = branches
                    .iter()
                    .map(|b| b["required"].as_array().cloned().unwrap_or_default())
                    .collect();
                let always: Vec<Value> = lists[0]
                    .iter()
                    .filter(|name| lists.iter().all(|l| l.contains(name)))
                    .cloned()
                    .collect();
                map.shift_remove(key);
                if !always.is_empty() {
                    let required = map
                        .entry("required")
                        .or_insert_with(|| json!([]))
                        .as_array_mut();
                    if let Some(required) = required {
                        for name in always {
                            if !required.contains(&name) {
                                required.push(name);
                            }
                        }
                    }
                }
                report.drop(
                    join(at, key),
                    "its branches only say which properties must be present (at least one of \
                     them); the struct has every property, optional unless every branch \
                     requires it",
                );
            }
            children_mut(map, at, |child, here| {
                required_only_branches(child, &here, report)
            });
        }
        Value::Array(items) => {
            for (i, child) in items.iter_mut().enumerate() {
                required_only_branches(child, &join(at, &i.to_string()), report);
            }
        }
        _ => {}
    }
}

/// Drops `format` from a schema whose type has no formats typify reads (an
/// object, a list, a boolean: Twilio's `type: object, format: uri-map`), or
/// that has no `type` at all (Loket's `format: int32` alone):
/// JSON Schema makes `format` an annotation, and typify panics on it there
/// ("invalid (or unexpected) schema", typify-impl 0.8 `convert.rs`).
pub(super) fn formats_without_meaning(value: &mut Value, at: &str, report: &mut Report) {
    match value {
        Value::Object(map) => {
            let typed = map.get("type").and_then(Value::as_str);
            let format = map.get("format").and_then(Value::as_str).map(String::from);
            let why = match (typed, &format) {
                (Some(kind @ ("object" | "array" | "boolean")), Some(format)) => Some(format!(
                    "`format: {format}` on a {kind} is an annotation no generated type reads"
                )),
                // Sinao's `format: object` beside `properties` and no `type`:
                // the shape is an object's or a list's, whose values no
                // format reads; typify panics on it the same way.
                (None, Some(format))
                    if ["properties", "additionalProperties", "items"]
                        .iter()
                        .any(|k| map.contains_key(*k)) =>
                {
                    Some(format!(
                        "`format: {format}` beside `properties` or `items` and no `type` is                          an annotation no generated type reads"
                    ))
                }
                _ => None,
            };
            if let Some(why) = why {
                map.shift_remove("format");
                report.drop(join(at, "format"), why);
            }
            // A schema without `type` or structure is any value; checks of
            // one type's values there (Loket's `format: int32` or
            // `maximum` alone) say nothing of others, and typify panics.
            const STRUCTURE: [&str; 10] = [
                "type",
                "$ref",
                "allOf",
                "anyOf",
                "oneOf",
                "not",
                "properties",
                "items",
                "additionalProperties",
                "enum",
            ];
            const CHECKS: [&str; 14] = [
                "format",
                "maximum",
                "minimum",
                "exclusiveMaximum",
                "exclusiveMinimum",
                "multipleOf",
                "minLength",
                "maxLength",
                "pattern",
                "minItems",
                "maxItems",
                "uniqueItems",
                "minProperties",
                "maxProperties",
            ];
            if !STRUCTURE.iter().any(|k| map.contains_key(*k)) {
                for check in CHECKS {
                    if map.shift_remove(check).is_some() {
                        report.drop(
                            join(at, check),
                            format!(
                                "`{check}` in a schema without a `type` checks no type: the \
                                 value is any JSON"
                            ),
                        );
                    }
                }
            }
            children_mut(map, at, |child, here| {
                formats_without_meaning(child, &here, report)
            });
        }
        Value::Array(items) => {
            for (i, child) in items.iter_mut().enumerate() {
                formats_without_meaning(child, &join(at, &i.to_string()), report);
            }
        }
        _ => {}
    }
}

/// Whether `value` is of the JSON Schema type `kind` (`null` is `nullable`'s,
/// read elsewhere).
fn fits_type(kind: &str, value: &Value) -> bool {
    match (kind, value) {
        (_, Value::Null) => true,
        ("string", Value::String(_))
        | ("boolean", Value::Bool(_))
        | ("array", Value::Array(_))
        | ("object", Value::Object(_))
        | ("number", Value::Number(_)) => true,
        ("integer", Value::Number(n)) => n.is_i64() || n.is_u64(),
        _ => false,
    }
}

/// Whether the string enum value `value` passes the check `check` (`bound`
/// its value); a check that cannot be read passes.
fn enum_value_passes(check: &str, bound: &Value, value: &str) -> bool {
    let length = value.chars().count() as u64;
    match (check, bound) {
        ("minLength", Value::Number(n)) => n.as_u64().is_none_or(|n| length >= n),
        ("maxLength", Value::Number(n)) => n.as_u64().is_none_or(|n| length <= n),
        ("pattern", Value::String(p)) => {
            regress::Regex::new(p).map_or(true, |r| r.find(value).is_some())
        }
        _ => true,
    }
}

/// Drops a `default` that is not a value of its schema (a number for a
/// string, a value its `enum` does not list): a default is what the server
/// assumes, never sent, and typify panics rendering it ("The default value
/// could not be rendered for this type"). And enum values not of the
/// schema's type.
pub(super) fn defaults_that_do_not_fit(value: &mut Value, at: &str, report: &mut Report) {
    match value {
        Value::Object(map) => {
            // Enum values its type does not allow (`type: integer` listing
            // "0", "1"...: Bungie's 844 error codes) no value can be; typify
            // refuses the whole client ("value does not conform to the given
            // schema"). They go, and an enum left with none goes too.
            if let (Some(kind), Some(Value::Array(values))) = (
                map.get("type").and_then(Value::as_str).map(String::from),
                map.get_mut("enum"),
            ) {
                let before = values.len();
                values.retain(|v| fits_type(&kind, v));
                let dropped = before - values.len();
                if dropped > 0 {
                    let all = values.is_empty();
                    if all {
                        map.shift_remove("enum");
                    }
                    report.drop(
                        join(at, "enum"),
                        format!(
                            "{dropped} of its enum values are not of its type `{kind}`{}",
                            if all { ", so it has no enum" } else { "" }
                        ),
                    );
                }
            }
            // String enum values its own length or pattern checks refuse
            // (Adyen's `gender`: MALE, FEMALE, UNKNOWN with `maxLength:
            // 1`): typify keeps only the values that pass, here none, and
            // writes an enum that can hold nothing. The values are what
            // the server sends; the checks that contradict them go.
            let strings: Vec<String> = map
                .get("enum")
                .and_then(Value::as_array)
                .map(|values| {
                    values
                        .iter()
                        .filter_map(|v| v.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default();
            for check in ["minLength", "maxLength", "pattern"] {
                let refused = map.get(check).is_some_and(|bound| {
                    strings
                        .iter()
                        .any(|value| !enum_value_passes(check, bound, value))
                });
                if refused {
                    let bound = map.shift_remove(check).expect("checked");
                    report.drop(
                        join(at, check),
                        format!(
                            "its own enum values break `{check}: {bound}`; the values are what the \
                             server sends, so the check goes"
                        ),
                    );
                }
            }
            let fits = match (map.get("default"), map.get("type").and_then(Value::as_str)) {
                (None, _) => true,
                (Some(Value::Null), _) => map.get("nullable") == Some(&json!(true)),
                (Some(default), kind) => {
                    let typed = kind.is_none_or(|kind| fits_type(kind, default));
                    let listed = map
                        .get("enum")
                        .and_then(Value::as_array)
                        .is_none_or(|values| values.contains(default));
                    typed && listed
                }
            };
            if !fits {
                let default = map.shift_remove("default").expect("checked");
                report.drop(
                    join(at, "default"),
                    format!("the default {default} is not a value of its schema; a default is never sent"),
                );
            }
            children_mut(map, at, |child, here| {
                defaults_that_do_not_fit(child, &here, report)
            });
        }
        Value::Array(items) => {
            for (i, child) in items.iter_mut().enumerate() {
                defaults_that_do_not_fit(child, &join(at, &i.to_string()), report);
            }
        }
        _ => {}
    }
}
