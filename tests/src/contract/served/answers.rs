//! The answers' media types, rewritten where Prism cannot write what the
//! document gives.

use serde_json::{json, Map, Value};

/// Gives every response media type without a schema one that accepts the
/// same answers: `{}` for JSON, and for any other media type (a PDF, text)
/// bytes, OpenAPI 3.0's `type: string, format: binary`, which an empty
/// schema there stands for too. Prism refuses to answer a media type
/// without a schema ("Tried to force a dynamic response for:
/// application/json but schema is not defined": fungenerators' answers,
/// which give only `examples`), and has no serializer for a value other
/// than a string in a media type that is not JSON ("Cannot find serializer
/// for application/pdf"). Returns how many.
pub fn schemas_given(document: &mut Value) -> usize {
    let mut given = 0;
    for content in response_contents(document) {
        for (media_type, media) in content.iter_mut() {
            let Some(media) = media.as_object_mut() else {
                continue;
            };
            let json = is_json(media_type);
            let says_nothing = match media.get("schema") {
                None => true,
                Some(Value::Object(schema)) => schema.is_empty() && !json,
                Some(_) => false,
            };
            if says_nothing {
                let schema = match json {
                    true => json!({}),
                    false => json!({"type": "string", "format": "binary"}),
                };
                media.insert("schema".into(), schema);
                given += 1;
            }
        }
    }
    given
}

/// Serves a response's media range (`*/*`, springdoc's for every answer)
/// over a schema only JSON carries as `application/json`, where the
/// response names no JSON type. Prism writes a range as text and cannot
/// write an object so (`NO_COMPLEX_OBJECT_TEXT`), and answers 406 to an
/// `Accept: application/json` the range allows. `application/json` is one
/// type the range stands for, so Prism's answers stay ones the document
/// allows; the client reads such a range as JSON
/// (`codegen/responses/mod.rs`). Returns how many.
pub fn json_ranges(document: &mut Value) -> usize {
    let schemas = document.clone();
    let mut served = 0;
    for content in response_contents(document) {
        if content.keys().any(|m| is_json(m)) {
            continue;
        }
        let range = content.iter().find_map(|(media_type, media)| {
            let json = essence(media_type).contains('*')
                && media
                    .get("schema")
                    .is_some_and(|schema| json_only(&schemas, schema));
            json.then(|| media_type.clone())
        });
        if let Some(range) = range {
            if let Some(media) = content.remove(&range) {
                content.insert("application/json".into(), media);
                served += 1;
            }
        }
    }
    served
}

/// Every response's `content` map: of each operation's responses and of
/// `components/responses`.
fn response_contents(document: &mut Value) -> Vec<&mut Map<String, Value>> {
    let mut responses: Vec<&mut Value> = Vec::new();
    let (paths, components) = match document.as_object_mut() {
        Some(root) => {
            let mut paths = None;
            let mut components = None;
            for (key, value) in root.iter_mut() {
                match key.as_str() {
                    "paths" => paths = Some(value),
                    "components" => components = Some(value),
                    _ => {}
                }
            }
            (paths, components)
        }
        None => return Vec::new(),
    };
    for item in paths
        .and_then(Value::as_object_mut)
        .into_iter()
        .flat_map(|p| p.values_mut())
    {
        for operation in item
            .as_object_mut()
            .into_iter()
            .flat_map(|i| i.values_mut())
        {
            if let Some(Value::Object(answers)) = operation.get_mut("responses") {
                responses.extend(answers.values_mut());
            }
        }
    }
    if let Some(Value::Object(answers)) = components.and_then(|c| c.get_mut("responses")) {
        responses.extend(answers.values_mut());
    }
    responses
        .into_iter()
        .filter_map(|response| match response.get_mut("content") {
            Some(Value::Object(content)) => Some(content),
            _ => None,
        })
        .collect()
}

/// The media type without parameters, lowercased.
fn essence(media_type: &str) -> String {
    media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

fn is_json(media_type: &str) -> bool {
    let essence = essence(media_type);
    essence == "application/json" || essence.ends_with("+json")
}

/// Whether `schema` (a local `$ref` followed) describes values only JSON
/// carries: as the client reads a range (`codegen/responses/mod.rs`).
fn json_only(document: &Value, schema: &Value) -> bool {
    let schema = super::super::inputs::resolve(document, schema);
    match schema.get("type").and_then(Value::as_str) {
        Some(kind) => kind != "string",
        None => [
            "properties",
            "items",
            "allOf",
            "oneOf",
            "anyOf",
            "additionalProperties",
        ]
        .iter()
        .any(|k| schema.get(*k).is_some()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_over_an_object_is_served_as_json_and_a_bare_media_type_gets_a_schema() {
        let mut document = json!({
            "paths": {"/p": {"get": {"responses": {
                "200": {"content": {"*/*": {"schema": {"$ref": "#/components/schemas/P"}}}},
                "201": {"content": {"*/*": {"schema": {"type": "string"}}}},
                "202": {"content": {"*/*": {"schema": {"type": "object"}},
                                    "application/json": {"schema": {"type": "array"}}}},
                "203": {"content": {"application/json": {"examples": {}}}}
            }}}},
            "components": {
                "schemas": {"P": {"type": "object"}},
                "responses": {"E": {"content": {"*/*": {"schema": {"type": "integer"}}}}}
            }
        });
        assert_eq!(json_ranges(&mut document), 2);
        let answers = &document["paths"]["/p"]["get"]["responses"];
        assert_eq!(
            answers["200"]["content"],
            json!({"application/json": {"schema": {"$ref": "#/components/schemas/P"}}})
        );
        // A string may be any bytes; a JSON type named already is Prism's.
        assert!(answers["201"]["content"].get("*/*").is_some());
        assert!(answers["202"]["content"].get("*/*").is_some());
        assert!(document["components"]["responses"]["E"]["content"]
            .get("application/json")
            .is_some());
        document["paths"]["/p"]["get"]["responses"]["204"] = json!({"content": {
            "application/pdf": {"example": "%PDF"},
            "text/csv": {"schema": {}}
        }});
        assert_eq!(schemas_given(&mut document), 3);
        let answers = &document["paths"]["/p"]["get"]["responses"];
        assert_eq!(
            answers["203"]["content"]["application/json"]["schema"],
            json!({})
        );
        for media_type in ["application/pdf", "text/csv"] {
            assert_eq!(
                answers["204"]["content"][media_type]["schema"],
                json!({"type": "string", "format": "binary"})
            );
        }
    }
}
