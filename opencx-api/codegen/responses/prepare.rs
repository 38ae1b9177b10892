//! The documents progenitor is given for the client and for the mocks, and
//! the names of what the plans add (the enums, the schemas moved for them).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Map, Value};

use super::super::names::{progenitor_name, type_name, unique, Case};
use super::{
    chosen_media, component_name, follow, shape, successes, Payload, Plan, Shape, Variant,
};

/// The documents progenitor is given, and the plans.
pub struct Prepared {
    /// For the client: error answers removed, at most one JSON success.
    pub client: Value,
    /// For the mocks: every answer, each body typed where the client has its
    /// type.
    pub mock: Value,
    /// By the client's method name.
    pub plans: BTreeMap<String, Plan>,
}

/// Plans every operation and prepares the documents.
pub fn prepare(doc: &Value) -> Prepared {
    let mut shared = doc.clone();
    // Type names the document's components take, so ours stay apart.
    let mut taken: BTreeSet<String> = super::super::names::component_type_names(doc);
    let mut plans = BTreeMap::new();
    let mut hoisted: Vec<(String, Value)> = Vec::new();
    let paths: Vec<(String, Value)> = doc
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(p, item)| (p.clone(), item.clone()))
        .collect();
    // Every operation's shape first: progenitor names an operation's inline
    // body type after it (`{id}-response`, `{id}-body`), so those names are
    // taken before any enum or moved schema is named.
    let mut planned = Vec::new();
    for (path, item) in &paths {
        for (method, operation) in item.as_object().into_iter().flatten() {
            if !super::super::METHODS.contains(&method.as_str()) {
                continue;
            }
            let Some(id) = operation.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            let successes = successes(doc, operation);
            let shape = shape(&successes);
            taken.insert(type_name(&format!("{id}-body")));
            if progenitor_keeps_inline(&shape) {
                taken.insert(type_name(&format!("{id}-response")));
            }
            planned.push((
                path.clone(),
                method.clone(),
                id.to_string(),
                successes,
                shape,
            ));
        }
    }
    for (path, method, id, successes, mut shape) in planned {
        if let Shape::ByStatus { name, variants } = &mut shape {
            let pascal = progenitor_name(&id, Case::Pascal);
            *name = unique(&format!("{pascal}Response"), &mut taken);
            // With one JSON schema progenitor generates its type; with more,
            // each becomes a component the enum can name.
            if distinct_json(variants) > 1 {
                for variant in variants.iter_mut() {
                    let Payload::Json(schema) = &variant.success.payload else {
                        continue;
                    };
                    let component = match component_name(schema) {
                        Some(existing) => existing.to_string(),
                        None => {
                            let new = unique(&format!("{pascal}{}", variant.name), &mut taken);
                            hoisted.push((new.clone(), schema.clone()));
                            let reference = json!({"$ref": format!("#/components/schemas/{new}")});
                            variant.success.payload = Payload::Json(reference);
                            new
                        }
                    };
                    variant.type_name = Some(type_name(&component));
                }
            }
        }
        let method_name = progenitor_name(&id, Case::Snake);
        plans.insert(
            method_name.clone(),
            Plan {
                operation_id: id,
                method: method.to_uppercase(),
                path,
                method_name,
                successes,
                shape,
            },
        );
    }
    if !hoisted.is_empty() {
        let root = shared.as_object_mut().expect("a document is a mapping");
        let schemas = root
            .entry("components")
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .expect("components is a mapping")
            .entry("schemas")
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .expect("schemas is a mapping");
        for (name, schema) in hoisted {
            schemas.insert(name, schema);
        }
    }
    let mut client = shared.clone();
    let mut mock = shared;
    for plan in plans.values() {
        let pointer = format!(
            "/paths/{}/{}",
            plan.path.replace('~', "~0").replace('/', "~1"),
            plan.method.to_lowercase()
        );
        if let Some(operation) = client.pointer_mut(&pointer) {
            operation["responses"] = client_responses(plan);
        }
        let original = doc.pointer(&format!("{pointer}/responses")).cloned();
        if let (Some(operation), Some(original)) = (mock.pointer_mut(&pointer), original) {
            operation["responses"] = mock_responses(doc, plan, &original);
        }
    }
    Prepared {
        client,
        mock,
        plans,
    }
}

/// How many different JSON schemas the variants' bodies have.
fn distinct_json(variants: &[Variant]) -> usize {
    variants
        .iter()
        .filter_map(|v| match &v.success.payload {
            Payload::Json(schema) => Some(schema.to_string()),
            _ => None,
        })
        .collect::<BTreeSet<_>>()
        .len()
}

/// Whether progenitor generates a type of its own naming for the shape: one
/// inline JSON schema, which it calls `{operationId}Response`.
fn progenitor_keeps_inline(shape: &Shape) -> bool {
    let inline =
        |payload: &Payload| matches!(payload, Payload::Json(s) if component_name(s).is_none());
    match shape {
        Shape::One(payload) | Shape::Optional { payload, .. } => inline(payload),
        Shape::ByStatus { variants, .. } => {
            distinct_json(variants) == 1 && variants.iter().any(|v| inline(&v.success.payload))
        }
    }
}

/// The JSON schema progenitor generates the operation's one type from, if
/// its plan has one.
fn progenitor_schema(plan: &Plan) -> Option<Value> {
    let json = |payload: &Payload| match payload {
        Payload::Json(schema) => Some(schema.clone()),
        _ => None,
    };
    match &plan.shape {
        Shape::One(payload) | Shape::Optional { payload, .. } => json(payload),
        Shape::ByStatus { variants, .. } => variants.iter().find_map(|v| json(&v.success.payload)),
    }
}

fn client_responses(plan: &Plan) -> Value {
    match progenitor_schema(plan) {
        Some(schema) => json!({"200": {
            "description": "",
            "content": {"application/json": {"schema": schema}},
        }}),
        None => json!({"2XX": {"description": ""}}),
    }
}

/// Every documented answer, each body typed where the client has its type:
/// the client's one JSON schema and named components. Other bodies are
/// untyped (`serde_json::Value`), and statuses without a reason phrase
/// (which progenitor's mocks name their methods after) are left out.
fn mock_responses(doc: &Value, plan: &Plan, original: &Value) -> Value {
    let kept = progenitor_schema(plan);
    let hoisted: BTreeMap<&str, &Value> = match &plan.shape {
        Shape::ByStatus { variants, .. } => variants
            .iter()
            .filter_map(|v| match &v.success.payload {
                Payload::Json(schema) => Some((v.success.status.as_str(), schema)),
                _ => None,
            })
            .collect(),
        _ => BTreeMap::new(),
    };
    let mut out = Map::new();
    for (status, response) in original.as_object().into_iter().flatten() {
        if let Ok(code) = status.parse::<u16>() {
            if super::super::names::http_reason(code).is_none() {
                continue;
            }
        }
        let response = follow(doc, response);
        let content = response
            .get("content")
            .and_then(Value::as_object)
            .filter(|c| !c.is_empty());
        let mut answer = json!({"description": ""});
        if let Some((media_type, payload)) = content.and_then(|c| chosen_media(doc, c)) {
            let schema = match (payload, hoisted.get(status.as_str())) {
                (Payload::Json(_), Some(reference)) => Some((*reference).clone()),
                (Payload::Json(schema), None)
                    if component_name(&schema).is_some() || Some(&schema) == kept.as_ref() =>
                {
                    Some(schema)
                }
                _ => None,
            };
            let _ = media_type;
            answer["content"] = match schema {
                Some(schema) => json!({"application/json": {"schema": schema}}),
                None => json!({"application/octet-stream": {
                    "schema": {"type": "string", "format": "binary"},
                }}),
            };
        }
        out.insert(status.clone(), answer);
    }
    Value::Object(out)
}
