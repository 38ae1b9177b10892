//! `readOnly` and `writeOnly` shape the request and the response types
//! separately, as OpenAPI says they do.
//!
//! A `readOnly` property is sent by the server and never by the client; a
//! `writeOnly` one the other way round; `required` applies only on the side
//! the property travels (OpenAPI 3.0.3, Schema Object). typify ignores both
//! (no upstream report; progenitor copies them into metadata typify never
//! reads), so one schema used as a request body and a response demands that
//! the caller invent the required read-only `id` and sends it, and fails every
//! correct response for the missing write-only `secret`.
//!
//! Here a schema used on one side loses the properties that never travel
//! there. A schema used on both sides whose two views differ is split: the
//! response keeps its name, the request gets `{Name}Input`, and every request
//! (and every request copy) refers to that. Each removal is in the report.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use crate::codegen::names::{type_name, unique};
use crate::pointer::join;
use crate::relax::{reachable, roots};
use crate::report::{Report, Split};
use crate::walk::children_mut;

const SCHEMAS: &str = "/components/schemas";

/// The keyword that keeps a property off one side.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    /// Requests: `readOnly` properties are removed.
    Request,
    /// Responses: `writeOnly` properties are removed.
    Response,
}

impl Side {
    fn hidden_by(self) -> &'static str {
        match self {
            Side::Request => "readOnly",
            Side::Response => "writeOnly",
        }
    }
}

/// Applies `readOnly`/`writeOnly` to the 3.0 document `doc`.
pub fn apply(doc: &mut Value, report: &mut Report) {
    let roots = roots(doc);
    let mut request_roots = roots.requests.clone();
    let mut response_roots = roots.responses.clone();
    for (section, is_request) in [
        ("parameters", true),
        ("requestBodies", true),
        ("responses", false),
    ] {
        for name in doc
            .pointer(&format!("/components/{section}"))
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(name, _)| name)
        {
            let root = join(&format!("/components/{section}"), name);
            if is_request {
                request_roots.push(root);
            } else {
                response_roots.push(root);
            }
        }
    }
    let requests = reachable(doc, &request_roots);
    let responses = reachable(doc, &response_roots);
    let schemas = doc
        .pointer(SCHEMAS)
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    // Components whose request and response views differ: they mark a
    // property, or refer to one that does.
    let marks: BTreeSet<String> = schemas
        .iter()
        .filter(|(_, s)| marks_any(s))
        .map(|(n, _)| n.clone())
        .collect();
    // Read backwards from the marking schemas: once, not once a schema.
    let differ: BTreeSet<String> = crate::graph::Graph::of(doc)
        .referring(marks.iter().map(|name| format!("#{}", join(SCHEMAS, name))))
        .iter()
        .filter_map(|c| c.strip_prefix("#/components/schemas/"))
        .map(crate::pointer::unescape)
        .filter(|name| schemas.contains_key(name))
        .collect();
    let mut taken: BTreeSet<String> = schemas.keys().map(|n| type_name(n)).collect();
    let split: BTreeMap<String, String> = differ
        .iter()
        .filter(|n| requests.contains(*n) && responses.contains(*n))
        .map(|n| (n.clone(), unique(&format!("{n}Input"), &mut taken)))
        .collect();
    // Request copies first, from the schemas as upstream wrote them.
    for (name, input) in &split {
        let mut copy = schemas[name].clone();
        hide(&mut copy, Side::Request, &join(SCHEMAS, input), report);
        point_at_inputs(&mut copy, &split);
        doc["components"]["schemas"][input] = copy;
        report.split.insert(Split {
            name: name.clone(),
            request: input.clone(),
        });
    }
    for name in schemas.keys() {
        let at = join(SCHEMAS, name);
        let on_requests = requests.contains(name) && !split.contains_key(name);
        let on_responses = responses.contains(name);
        let schema = doc.pointer_mut(&at).expect("a component");
        // A split schema is the responses' now; its requests' copy is made.
        if on_requests && !on_responses {
            hide(schema, Side::Request, &at, report);
            point_at_inputs(schema, &split);
        } else if (on_responses && !on_requests) || split.contains_key(name) {
            hide(schema, Side::Response, &at, report);
        }
    }
    for root in &request_roots {
        if let Some(value) = doc.pointer_mut(root) {
            hide_inline(value, Side::Request, root, report);
            point_at_inputs(value, &split);
        }
    }
    for root in &response_roots {
        if let Some(value) = doc.pointer_mut(root) {
            hide_inline(value, Side::Response, root, report);
        }
    }
}

/// Whether `schema`, or a schema inline in it, marks a property.
fn marks_any(schema: &Value) -> bool {
    match schema {
        Value::Object(map) => {
            let here = map
                .get("properties")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .any(|(_, p)| {
                    p.get("readOnly") == Some(&json!(true))
                        || p.get("writeOnly") == Some(&json!(true))
                });
            here || map.values().any(marks_any)
        }
        Value::Array(items) => items.iter().any(marks_any),
        _ => false,
    }
}

/// Removes the properties `side` never carries from `schema` and the
/// schemas inline in it, and from their `required` lists.
fn hide(schema: &mut Value, side: Side, at: &str, report: &mut Report) {
    match schema {
        Value::Object(map) => {
            let mut gone = Vec::new();
            if let Some(Value::Object(properties)) = map.get_mut("properties") {
                properties.retain(|name, property| {
                    let hidden = property.get(side.hidden_by()) == Some(&json!(true));
                    if hidden {
                        gone.push(name.clone());
                    }
                    !hidden
                });
            }
            if !gone.is_empty() {
                if let Some(Value::Array(required)) = map.get_mut("required") {
                    required.retain(|r| !gone.iter().any(|g| r == g));
                    if required.is_empty() {
                        map.shift_remove("required");
                    }
                }
                for name in gone {
                    let why = match side {
                        Side::Request => {
                            "a `readOnly` property is never sent, so the request type has no field for it"
                        }
                        Side::Response => {
                            "a `writeOnly` property never comes back, so the response type has no field for it"
                        }
                    };
                    report.drop(join(&join(at, "properties"), &name), why);
                }
            }
            children_mut(map, at, |child, here| hide(child, side, &here, report));
        }
        Value::Array(items) => {
            for (i, child) in items.iter_mut().enumerate() {
                hide(child, side, &join(at, &i.to_string()), report);
            }
        }
        _ => {}
    }
}

/// [`hide`] on the schemas inside an operation part (a body, parameters,
/// responses), not on examples.
fn hide_inline(value: &mut Value, side: Side, at: &str, report: &mut Report) {
    match value {
        Value::Object(map) => {
            if let Some(schema) = map.get_mut("schema") {
                hide(schema, side, &join(at, "schema"), report);
            }
            for (key, child) in map.iter_mut() {
                if key != "schema" && key != "example" && key != "examples" {
                    hide_inline(child, side, &join(at, key), report);
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter_mut().enumerate() {
                hide_inline(child, side, &join(at, &i.to_string()), report);
            }
        }
        _ => {}
    }
}

/// Points every `$ref` to a split schema at its request copy.
fn point_at_inputs(value: &mut Value, split: &BTreeMap<String, String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get_mut("$ref") {
                if let Some(input) = reference
                    .strip_prefix("#/components/schemas/")
                    .and_then(|name| split.get(name))
                {
                    *reference = format!("#/components/schemas/{input}");
                }
            }
            map.values_mut().for_each(|v| point_at_inputs(v, split));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| point_at_inputs(v, split)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Value {
        json!({"paths": {"/accounts": {"post": {
            "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Account"}}}},
            "responses": {"201": {"description": "", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Account"}}}}}
        }}}, "components": {"schemas": {"Account": {
            "type": "object", "required": ["id", "email", "secret"],
            "properties": {
                "id": {"type": "string", "readOnly": true},
                "email": {"type": "string"},
                "secret": {"type": "string", "writeOnly": true}
            }
        }}}})
    }

    #[test]
    fn a_schema_on_both_sides_splits_into_a_request_and_a_response_type() {
        let mut doc = doc();
        let mut report = Report::default();
        apply(&mut doc, &mut report);
        let schemas = &doc["components"]["schemas"];
        assert_eq!(schemas["Account"]["required"], json!(["id", "email"]));
        assert!(schemas["Account"]["properties"].get("secret").is_none());
        assert_eq!(
            schemas["AccountInput"]["required"],
            json!(["email", "secret"])
        );
        assert!(schemas["AccountInput"]["properties"].get("id").is_none());
        let op = &doc["paths"]["/accounts"]["post"];
        assert_eq!(
            op["requestBody"]["content"]["application/json"]["schema"],
            json!({"$ref": "#/components/schemas/AccountInput"})
        );
        assert_eq!(
            op["responses"]["201"]["content"]["application/json"]["schema"],
            json!({"$ref": "#/components/schemas/Account"})
        );
        assert_eq!(report.split.len(), 1);
        assert_eq!(report.dropped.len(), 2);
    }

    #[test]
    fn a_schema_on_one_side_loses_what_never_travels_there() {
        let mut doc = doc();
        doc["paths"]["/accounts"]["post"]
            .as_object_mut()
            .unwrap()
            .shift_remove("requestBody");
        apply(&mut doc, &mut Report::default());
        let account = &doc["components"]["schemas"]["Account"];
        assert_eq!(account["required"], json!(["id", "email"]));
        assert!(doc["components"]["schemas"].get("AccountInput").is_none());
    }
}
