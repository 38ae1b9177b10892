//! What the document deprecates: operations and parameters by name, and
//! schema properties by a marker in their description, which typify carries
//! onto the one field it writes for each (a property has no name of its own
//! in the generated code that the document could predict: an inline
//! object's type is named by typify, and the dedup rewrite may alias it).

use serde_json::Value;

/// What typify writes into a field's doc comment for a deprecated property:
/// its own paragraph after the description. The rewrite takes it out again.
pub const MARKER: &str = "@opencx-deprecated-upstream";

/// The note when upstream says nothing of why.
pub const NO_REASON: &str = "deprecated upstream";

/// An operation's HTTP methods, as OpenAPI's path item names them.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// A deprecated operation: its operationId and the note.
pub struct Operation {
    pub operation_id: String,
    pub note: String,
}

/// A deprecated parameter: the operation's operationId, the parameter's
/// name as the document writes it, and the note.
pub struct Parameter {
    pub operation_id: String,
    pub name: String,
    pub note: String,
}

/// Whether `value` says `deprecated: true`.
pub fn is_deprecated(value: &Value) -> bool {
    value.get("deprecated") == Some(&Value::Bool(true))
}

/// The note for an item whose description is `description`: its first
/// paragraph on one line (rustc prints the note after the item's path),
/// else [`NO_REASON`].
pub fn note(description: Option<&str>) -> String {
    let first = description
        .unwrap_or_default()
        .trim()
        .split("\n\n")
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if first.is_empty() {
        NO_REASON.to_string()
    } else {
        first
    }
}

/// Every deprecated operation and every deprecated parameter (the path
/// item's own ones too, `$ref`s to `components/parameters` followed) of an
/// operation with an operationId, in document order.
pub fn operations_and_parameters(doc: &Value) -> (Vec<Operation>, Vec<Parameter>) {
    let (mut operations, mut parameters) = (Vec::new(), Vec::new());
    for item in doc["paths"]
        .as_object()
        .into_iter()
        .flat_map(|p| p.values())
    {
        let shared = item.get("parameters").and_then(Value::as_array);
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            let Some(id) = op.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            if is_deprecated(op) {
                operations.push(Operation {
                    operation_id: id.to_string(),
                    note: note(op.get("description").and_then(Value::as_str)),
                });
            }
            let own = op.get("parameters").and_then(Value::as_array);
            for param in shared.into_iter().chain(own).flatten() {
                let param = resolve(doc, param);
                let Some(name) = param.get("name").and_then(Value::as_str) else {
                    continue;
                };
                if is_deprecated(param) {
                    parameters.push(Parameter {
                        operation_id: id.to_string(),
                        name: name.to_string(),
                        note: note(param.get("description").and_then(Value::as_str)),
                    });
                }
            }
        }
    }
    (operations, parameters)
}

/// `value`, or what its local `$ref` points at.
fn resolve<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    value
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix('#'))
        .and_then(|pointer| doc.pointer(pointer))
        .unwrap_or(value)
}

/// `doc` with [`MARKER`] appended to the description of every deprecated
/// schema property: in `components/schemas` and every schema under
/// `paths` and `components` (parameters', bodies', responses'), at any depth.
pub fn mark(doc: &Value) -> Value {
    let mut marked = doc.clone();
    walk(&mut marked);
    marked
}

/// Finds the schemas of a document part: every `schema`, and the values of
/// `components/schemas`.
fn walk(value: &mut Value) {
    let Some(object) = value.as_object_mut() else {
        if let Value::Array(items) = value {
            items.iter_mut().for_each(walk);
        }
        return;
    };
    for (key, child) in object.iter_mut() {
        match key.as_str() {
            "schema" => schema(child),
            "schemas" if child.is_object() => {
                child
                    .as_object_mut()
                    .into_iter()
                    .flat_map(|m| m.values_mut())
                    .for_each(schema);
            }
            _ => walk(child),
        }
    }
}

/// Marks the deprecated properties of `value` and of every schema inside it.
fn schema(value: &mut Value) {
    let Some(object) = value.as_object_mut() else {
        return;
    };
    if let Some(Value::Object(properties)) = object.get_mut("properties") {
        for property in properties.values_mut() {
            if is_deprecated(property) {
                if let Some(fields) = property.as_object_mut() {
                    let text = match fields.get("description").and_then(Value::as_str) {
                        Some(d) if !d.trim().is_empty() => format!("{}\n\n{MARKER}", d.trim_end()),
                        _ => MARKER.to_string(),
                    };
                    fields.insert("description".into(), Value::String(text));
                }
            }
            schema(property);
        }
    }
    for key in ["items", "additionalProperties", "not"] {
        if let Some(inner) = object.get_mut(key) {
            schema(inner);
        }
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(Value::Array(branches)) = object.get_mut(key) {
            branches.iter_mut().for_each(schema);
        }
    }
}
