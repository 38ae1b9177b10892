//! Forward-compatible reading: string checks are not enforced on what the
//! server sends.
//!
//! typify turns `pattern`, `minLength` and `maxLength` into newtypes that refuse
//! non-matching values on deserialization, so one odd value (a contact email
//! the vendor's own regex rejects) would fail a whole page. In schemas that only
//! responses use, those checks are dropped; schemas requests use keep them, and
//! a check in a schema shared by both is kept, with a warning, for the
//! overlay to settle.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::pointer::join;
use crate::walk::{children, children_mut};

/// Validation-only string keywords dropped from response-only schemas.
pub const READ_CHECKS: [&str; 3] = ["pattern", "minLength", "maxLength"];

const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// A check in a schema that both requests and responses use.
#[derive(Debug, PartialEq, Eq)]
pub struct SharedCheck {
    pub pointer: String,
}

/// Where schemas enter the API: what requests send (parameters, bodies) and
/// what responses bring, as JSON pointers.
#[derive(Debug, Default)]
pub struct Roots {
    pub requests: Vec<String>,
    pub responses: Vec<String>,
}

/// The request and response roots of every operation of `doc`.
pub fn roots(doc: &Value) -> Roots {
    let mut roots = Roots::default();
    for (path, item) in doc
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        for (method, operation) in item.as_object().into_iter().flatten() {
            let at = join(&join("/paths", path), method);
            for key in operation
                .as_object()
                .into_iter()
                .flatten()
                .map(|(key, _)| key)
            {
                match key.as_str() {
                    "responses" => roots.responses.push(join(&at, key)),
                    "parameters" | "requestBody" => roots.requests.push(join(&at, key)),
                    _ => {}
                }
            }
        }
        if item.get("parameters").is_some() {
            roots
                .requests
                .push(join(&join("/paths", path), "parameters"));
        }
    }
    roots
}

/// Drops [`READ_CHECKS`] from every schema no request uses (responses' and
/// unused ones).
/// Returns the checks it kept because requests use the schema too (the
/// request must still be checked; the overlay can give the two sides their
/// own schemas).
pub fn relax_responses(doc: &mut Value) -> Vec<SharedCheck> {
    let Roots {
        requests: request_roots,
        responses: response_roots,
    } = roots(doc);
    let responses = reachable(doc, &response_roots);
    let requests = reachable(doc, &request_roots);
    let mut kept = Vec::new();
    for name in responses.intersection(&requests) {
        let at = join("/components/schemas", name);
        if let Some(found) = doc.pointer(&at).and_then(|schema| find_check(schema, &at)) {
            kept.push(SharedCheck { pointer: found });
        }
    }
    // Every component no request uses, those no operation uses included: an
    // unused component is generated as a public type all the same, and read
    // as what it describes (an answer), so whether an operation still uses it
    // never changes its Rust type.
    let unused_by_requests: Vec<String> = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|schemas| {
            schemas
                .keys()
                .filter(|name| !requests.contains(*name))
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    for name in unused_by_requests {
        if let Some(schema) = doc.pointer_mut(&join("/components/schemas", &name)) {
            strip(schema);
        }
    }
    for root in &response_roots {
        if let Some(inline) = doc.pointer_mut(root) {
            strip(inline);
        }
    }
    kept
}

/// Component names reachable through `$ref` from the values at `roots`.
/// The names of the component schemas reachable from the values at `roots`.
pub fn reachable(doc: &Value, roots: &[String]) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut queue: Vec<&Value> = roots.iter().filter_map(|r| doc.pointer(r)).collect();
    while let Some(value) = queue.pop() {
        match value {
            Value::Object(map) => {
                if let Some(name) = map
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|r| r.strip_prefix(SCHEMA_PREFIX))
                {
                    if found.insert(name.to_string()) {
                        if let Some(target) = doc.pointer(&join("/components/schemas", name)) {
                            queue.push(target);
                        }
                    }
                }
                queue.extend(map.values());
            }
            Value::Array(items) => queue.extend(items),
            _ => {}
        }
    }
    found
}

fn find_check(value: &Value, at: &str) -> Option<String> {
    match value {
        Value::Object(map) => {
            if let Some(key) = READ_CHECKS.iter().find(|k| map.contains_key(**k)) {
                return Some(join(at, key));
            }
            let mut found = None;
            children(map, at, |child, here| {
                if found.is_none() {
                    found = find_check(child, &here);
                }
            });
            found
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| find_check(v, &join(at, &i.to_string()))),
        _ => None,
    }
}

/// Removes the checks from a schema and the schemas inline in it. `example`
/// and `default` values are data, not schemas, and are left alone.
fn strip(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for key in READ_CHECKS {
                map.shift_remove(key);
            }
            // A property named `pattern` is a schema, not the check.
            children_mut(map, "", |child, _| strip(child));
        }
        Value::Array(items) => items.iter_mut().for_each(strip),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(response_schema: Value, request_schema: Value) -> Value {
        json!({
            "paths": {"/x": {"post": {
                "requestBody": {"content": {"application/json": {"schema": request_schema}}},
                "responses": {"200": {"content": {"application/json": {"schema": response_schema}}}}
            }}},
            "components": {"schemas": {
                "Out": {"type": "object", "properties": {"email": {"type": "string", "pattern": "^a", "maxLength": 3}}},
                "In": {"type": "object", "properties": {"date": {"type": "string", "pattern": "^2"}}},
                "Both": {"type": "string", "minLength": 1}
            }}
        })
    }

    #[test]
    fn response_only_schemas_lose_their_string_checks() {
        let mut d = doc(
            json!({"$ref": "#/components/schemas/Out"}),
            json!({"$ref": "#/components/schemas/In"}),
        );
        assert_eq!(relax_responses(&mut d), []);
        assert_eq!(
            d["components"]["schemas"]["Out"]["properties"]["email"],
            json!({"type": "string"})
        );
        assert_eq!(
            d["components"]["schemas"]["In"]["properties"]["date"]["pattern"],
            json!("^2")
        );
    }

    #[test]
    fn a_schema_no_operation_uses_loses_them_too() {
        // What decides its Rust type is what it is, not whether an
        // operation still answers it: a version that drops the last user
        // must not change the type.
        let mut d = doc(json!({}), json!({"$ref": "#/components/schemas/In"}));
        relax_responses(&mut d);
        assert_eq!(
            d["components"]["schemas"]["Out"]["properties"]["email"],
            json!({"type": "string"})
        );
        assert_eq!(
            d["components"]["schemas"]["Both"],
            json!({"type": "string"})
        );
        assert_eq!(
            d["components"]["schemas"]["In"]["properties"]["date"]["pattern"],
            json!("^2")
        );
    }

    #[test]
    fn inline_response_schemas_lose_them_too() {
        let mut d = doc(json!({"type": "string", "pattern": "x"}), json!({}));
        assert_eq!(relax_responses(&mut d), []);
        assert_eq!(
            d["paths"]["/x"]["post"]["responses"]["200"]["content"]["application/json"]["schema"],
            json!({"type": "string"})
        );
    }

    #[test]
    fn a_check_in_a_schema_shared_with_requests_is_kept_and_named() {
        let mut d = doc(
            json!({"$ref": "#/components/schemas/Both"}),
            json!({"$ref": "#/components/schemas/Both"}),
        );
        assert_eq!(
            relax_responses(&mut d),
            [SharedCheck {
                pointer: "/components/schemas/Both/minLength".into()
            }]
        );
        assert!(d["components"]["schemas"]["Both"]["minLength"].is_number());
    }
}
