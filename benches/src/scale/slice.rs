//! Slices of one API for regen's growth: its first `n` operations and only
//! the components they reach, so that the sizes differ in operations and not
//! in how heavy each operation's schemas are (different APIs at different
//! sizes measure their schemas, not regen's growth).

use serde_json::{Map, Value};
use xtask::graph::{refers_to, Graph};
use xtask::operations::METHODS;

/// `doc` with its first `n` operations (paths in document order, methods in
/// each path's order), each path's own keys (`parameters`, `summary`) where
/// an operation of it is kept, every security scheme, and the other
/// components the kept paths reach through `$ref`s. Everything else at the
/// top level (`info`, `servers`, `security`, `tags`) stays as it is.
///
/// ```
/// use serde_json::json;
/// let doc = json!({"openapi": "3.0.3", "paths": {
///     "/a": {"get": {"responses": {"200": {"$ref": "#/components/responses/A"}}}},
///     "/b": {"get": {"responses": {"204": {"description": ""}}}}
/// }, "components": {
///     "responses": {"A": {"description": "", "content": {"application/json":
///         {"schema": {"$ref": "#/components/schemas/A"}}}}},
///     "schemas": {"A": {"type": "string"}, "B": {"type": "integer"}}
/// }});
/// let one = opencx_bench::scale::slice::first_operations(&doc, 1);
/// assert!(one["paths"].get("/b").is_none());
/// assert!(one["components"]["schemas"].get("A").is_some());
/// assert!(one["components"]["schemas"].get("B").is_none());
/// ```
pub fn first_operations(doc: &Value, n: usize) -> Value {
    let mut kept = 0;
    let mut paths = Map::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        let Some(item) = item.as_object() else {
            continue;
        };
        let mut slice = Map::new();
        let mut operations = 0;
        for (key, value) in item {
            let is_operation = METHODS.contains(&key.as_str());
            if is_operation && kept == n {
                continue;
            }
            if is_operation {
                kept += 1;
                operations += 1;
            }
            slice.insert(key.clone(), value.clone());
        }
        if operations > 0 {
            paths.insert(path.clone(), Value::Object(slice));
        }
    }
    let paths = Value::Object(paths);
    let reached = Graph::of(doc).reachable(refers_to(&paths));
    let mut components = Map::new();
    for (section, entries) in doc["components"].as_object().into_iter().flatten() {
        let entries: Map<String, Value> = entries
            .as_object()
            .into_iter()
            .flatten()
            .filter(|(name, _)| {
                section == "securitySchemes" || reached.contains(&component(section, name))
            })
            .map(|(name, value)| (name.clone(), value.clone()))
            .collect();
        if !entries.is_empty() {
            components.insert(section.clone(), Value::Object(entries));
        }
    }
    let mut out = doc.clone();
    if let Some(top) = out.as_object_mut() {
        top.insert("paths".into(), paths);
        top.insert("components".into(), Value::Object(components));
        // 3.1's webhooks are operations too, and not among the first `n`.
        top.shift_remove("webhooks");
        top.shift_remove("x-webhooks");
    }
    out
}

/// `#/components/{section}/{name}`, as [`refers_to`] names a component.
fn component(section: &str, name: &str) -> String {
    format!(
        "#/components/{}/{}",
        xtask::pointer::escape(section),
        xtask::pointer::escape(name)
    )
}
