//! Whether a drawn request body is one upstream's schema takes, checked by a
//! JSON Schema validator (the `jsonschema` crate) before it is sent, so the
//! runtime draws again where its rules alone cannot tell: a `oneOf` value
//! must match exactly one branch, and branches that only differ by which
//! fields they require, or by a discriminator's value, are easy to meet
//! twice or not at all.
//!
//! The same check reads an answer the client could not decode: one that
//! breaks upstream's schema is Prism's fault, whether or not Prism's own
//! log said so.
//!
//! OpenAPI 3.0 schemas are JSON Schema draft 4 with changes, lowered here
//! for the validator: `nullable: true` allows `null`, and a `readOnly`
//! property is not required of a request, nor a `writeOnly` one of an
//! answer. 3.1 documents are JSON Schema 2020-12 as they are.

use serde_json::{json, Map, Value};

use super::values::mapping_target;

/// The validator of one request body schema of upstream's document.
pub(crate) struct SchemaCheck(jsonschema::Validator);

impl SchemaCheck {
    /// A check of `schema`, whose `$ref`s point into `lowered` (upstream's
    /// document after [`lower`]); `None` where the validator cannot read it.
    pub(crate) fn new(lowered: &Value, schema: &Value, side: Side) -> Option<Self> {
        let mut root = lowered.clone();
        let draft = match root["openapi"].as_str() {
            Some(version) if version.starts_with("3.1") => jsonschema::Draft::Draft202012,
            _ => jsonschema::Draft::Draft4,
        };
        let root_map = root.as_object_mut()?;
        // The document's own keys are no keywords; the schema is checked
        // from its root, where its `$ref`s resolve.
        root_map.retain(|key, _| key == "components" || key == "paths");
        root_map.insert(
            "allOf".into(),
            json!([lower_schema(schema.clone(), draft, side)]),
        );
        jsonschema::options()
            .with_draft(draft)
            .should_validate_formats(true)
            .build(&root)
            .ok()
            .map(Self)
    }

    /// The first reason `value` breaks the schema, if it does.
    pub(crate) fn problem(&self, value: &Value) -> Option<String> {
        self.0.iter_errors(value).next().map(|error| {
            let at = error.instance_path().to_string();
            match at.is_empty() {
                true => error.to_string(),
                false => format!("{error} at {at}"),
            }
        })
    }
}

/// Which way a value goes, which decides the properties it may leave out.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    /// A request: `readOnly` properties are never sent.
    Request,
    /// A request read as plain JSON Schema reads it, a discriminator
    /// ignored (as Prism reads it): a `oneOf` value must match one branch
    /// whatever its tag.
    PlainRequest,
    /// An answer: `writeOnly` properties never come back.
    Response,
}

impl Side {
    fn hidden_by(self) -> &'static str {
        match self {
            Side::Request | Side::PlainRequest => "readOnly",
            Side::Response => "writeOnly",
        }
    }
}

/// Upstream's document lowered for the validator, for values going `side`
/// (see the module's doc).
pub(crate) fn lower(document: &Value, side: Side) -> Value {
    let draft = match document["openapi"].as_str() {
        Some(version) if version.starts_with("3.1") => jsonschema::Draft::Draft202012,
        _ => jsonschema::Draft::Draft4,
    };
    let mut document = document.clone();
    if let Some(schemas) = document
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for schema in schemas.values_mut() {
            *schema = lower_schema(std::mem::take(schema), draft, side);
        }
    }
    document
}

fn lower_schema(schema: Value, draft: jsonschema::Draft, side: Side) -> Value {
    match schema {
        Value::Object(map) => Value::Object(lower_map(map, draft, side)),
        Value::Array(items) => Value::Array(
            items
                .into_iter()
                .map(|v| lower_schema(v, draft, side))
                .collect(),
        ),
        other => other,
    }
}

fn lower_map(
    mut map: Map<String, Value>,
    draft: jsonschema::Draft,
    side: Side,
) -> Map<String, Value> {
    // Subschemas first; a map of names holds schemas, data holds none.
    for (key, value) in map.iter_mut() {
        match key.as_str() {
            "enum" | "const" | "example" | "examples" | "default" => {}
            "properties" | "patternProperties" | "definitions" | "$defs" | "dependentSchemas" => {
                if let Value::Object(named) = value {
                    for schema in named.values_mut() {
                        *schema = lower_schema(std::mem::take(schema), draft, side);
                    }
                }
            }
            _ => *value = lower_schema(std::mem::take(value), draft, side),
        }
    }
    // Read-only properties are never sent, so never required of a request;
    // write-only ones never come back.
    let hidden: Vec<String> = map
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(_, p)| p.get(side.hidden_by()) == Some(&Value::Bool(true)))
        .map(|(name, _)| name.clone())
        .collect();
    if let Some(Value::Array(required)) = map.get_mut("required") {
        required.retain(|name| !hidden.iter().any(|r| name == r));
    }
    if side != Side::PlainRequest {
        tag_branches(&mut map);
    }
    if draft == jsonschema::Draft::Draft4 && map.get("nullable") == Some(&Value::Bool(true)) {
        map.remove("nullable");
        match map.get_mut("type") {
            Some(Value::String(kind)) => {
                let kind = kind.clone();
                map.insert("type".into(), json!([kind, "null"]));
                if let Some(Value::Array(values)) = map.get_mut("enum") {
                    values.push(Value::Null);
                }
            }
            _ => {
                return [(
                    "anyOf".to_string(),
                    json!([{"type": "null"}, Value::Object(map)]),
                )]
                .into_iter()
                .collect()
            }
        }
    }
    map
}

/// A `oneOf` or `anyOf` with a `discriminator`: each branch takes only the
/// tags that name it (its `mapping` entries, else its component's name), as
/// OpenAPI reads a discriminated union and the client decodes it. Plain JSON
/// Schema ignores the discriminator, so an answer tagged `http` that lacks
/// what the `http` branch requires would pass as another branch.
fn tag_branches(map: &mut Map<String, Value>) {
    let Some(property) = map
        .get("discriminator")
        .and_then(|d| d.get("propertyName"))
        .and_then(Value::as_str)
        .map(String::from)
    else {
        return;
    };
    let mapping: Vec<(String, String)> = map["discriminator"]
        .get("mapping")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(tag, target)| Some((tag.clone(), mapping_target(target.as_str()?))))
        .collect();
    for key in ["oneOf", "anyOf"] {
        let Some(Value::Array(branches)) = map.get_mut(key) else {
            continue;
        };
        for branch in branches.iter_mut() {
            let Some(target) = branch.get("$ref").and_then(Value::as_str).map(String::from) else {
                continue;
            };
            let mut tags: Vec<Value> = mapping
                .iter()
                .filter(|(_, t)| *t == target)
                .map(|(tag, _)| Value::String(tag.clone()))
                .collect();
            if tags.is_empty() {
                let name = target.rsplit('/').next().unwrap_or_default();
                tags.push(Value::String(name.to_string()));
            }
            *branch =
                json!({"allOf": [branch.clone(), {"properties": {&property: {"enum": tags}}}]});
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exactly_one_branch_and_nullable_are_checked_as_openapi_says() {
        let document = json!({"openapi": "3.0.3", "components": {"schemas": {
            "Rule": {"oneOf": [
                {"type": "object", "required": ["org"], "properties": {"org": {"type": "string"}}},
                {"type": "object", "required": ["orgID"], "properties": {"orgID": {"type": "string"}}}
            ]},
            "Thing": {"type": "object", "required": ["id", "note"], "properties": {
                "id": {"type": "string", "readOnly": true},
                "note": {"type": "string", "nullable": true}
            }}
        }}});
        let lowered = lower(&document, Side::Request);
        let rule = SchemaCheck::new(
            &lowered,
            &json!({"$ref": "#/components/schemas/Rule"}),
            Side::Request,
        )
        .unwrap();
        assert_eq!(rule.problem(&json!({"org": "a"})), None);
        assert!(rule.problem(&json!({"org": "a", "orgID": "b"})).is_some());
        assert!(rule.problem(&json!({})).is_some());
        let thing = SchemaCheck::new(
            &lowered,
            &json!({"$ref": "#/components/schemas/Thing"}),
            Side::Request,
        )
        .unwrap();
        assert_eq!(thing.problem(&json!({"note": null})), None);
        assert!(thing.problem(&json!({"note": 1})).is_some());
    }

    #[test]
    fn a_discriminated_union_checks_the_branch_its_tag_names() {
        let document = json!({"openapi": "3.0.3", "components": {"schemas": {
            "Endpoint": {
                "oneOf": [{"$ref": "#/components/schemas/Slack"}, {"$ref": "#/components/schemas/Http"}],
                "discriminator": {"propertyName": "type", "mapping": {
                    "slack": "#/components/schemas/Slack", "http": "#/components/schemas/Http"
                }}
            },
            "Slack": {"type": "object", "required": ["type"], "properties": {"type": {"type": "string"}}},
            "Http": {"type": "object", "required": ["type", "url"], "properties": {
                "type": {"type": "string"}, "url": {"type": "string"}
            }}
        }}});
        let lowered = lower(&document, Side::Response);
        let check = SchemaCheck::new(
            &lowered,
            &json!({"$ref": "#/components/schemas/Endpoint"}),
            Side::Response,
        )
        .unwrap();
        // Plain JSON Schema would take it as a Slack endpoint.
        assert!(check.problem(&json!({"type": "http"})).is_some());
        assert_eq!(check.problem(&json!({"type": "http", "url": "u"})), None);
        assert_eq!(check.problem(&json!({"type": "slack"})), None);
    }
}
