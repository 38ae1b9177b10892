//! Parameters progenitor would give one Rust name: named apart before it
//! runs.
//!
//! progenitor names a builder's field, setter and `send()` binding after
//! each parameter (`maxResults` → `max_results`) and the body `body`, without
//! checking them against each other, so an AWS-style operation with both
//! `maxResults` and `MaxResults` (or a query parameter `body` beside a
//! request body) does not compile: E0124 on the builder, E0416 in `send()`'s
//! `let Self { .. } = self` (no upstream report yet). Each later parameter
//! of a taken name gets a stand-in name (`MaxResults` → `max_results_2`,
//! `stand_ins.rs`), in the path template too for a path parameter; the wire
//! names come back after generation.

use std::collections::BTreeSet;

use super::follow;
use serde_json::{Map, Value};

use super::names::{progenitor_name, Case};
use super::stand_ins::stand_in;

/// Names apart the parameters of every operation of `doc`. Returns how many
/// it renamed.
pub fn name_apart(doc: &mut Value) -> usize {
    let original = doc.clone();
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return 0;
    };
    let mut renamed = 0;
    let mut templates: Vec<(String, String)> = Vec::new();
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        let methods: Vec<String> = item
            .keys()
            .filter(|k| super::METHODS.contains(&k.as_str()))
            .cloned()
            .collect();
        let mut template = path.clone();
        for method in methods {
            renamed += name_operation_apart(&original, item, &method, &mut template);
        }
        if template != *path {
            templates.push((path.clone(), template));
        }
    }
    // A renamed path parameter renames its place in the template.
    if !templates.is_empty() {
        let old = std::mem::take(paths);
        let mut new = Map::new();
        for (path, item) in old {
            let key = templates
                .iter()
                .find(|(from, _)| *from == path)
                .map_or(path, |(_, to)| to.clone());
            new.insert(key, item);
        }
        *paths = new;
    }
    renamed
}

/// One parameter of an operation as progenitor combines them, and the
/// stand-in it needs, if any.
struct Planned {
    /// In the operation's own list (else the path item's), at this index.
    own: bool,
    index: usize,
    /// `query`, `path`, `header`...
    location: String,
    name: String,
    stand_in: Option<String>,
}

/// The parameters of operation `method` of path item `item`, in the order
/// progenitor combines them (the path item's, then the operation's, which
/// replace those of the same name), each with the stand-in its name needs.
fn plan(doc: &Value, item: &Map<String, Value>, method: &str) -> Vec<Planned> {
    let has_body = item[method].get("requestBody").is_some();
    let mut taken: BTreeSet<String> = BTreeSet::new();
    if has_body {
        taken.insert("body".to_string());
    }
    let mut order: Vec<Planned> = Vec::new();
    for own in [false, true] {
        let list = match own {
            false => item.get("parameters"),
            true => item[method].get("parameters"),
        };
        for (index, param) in list
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let param = follow(doc, param);
            let Some(name) = param.get("name").and_then(Value::as_str) else {
                continue;
            };
            let location = param["in"].as_str().unwrap_or_default().to_string();
            // The operation's parameter replaces the path item's of its
            // name and location: a parameter is "a unique combination of
            // name and location" (OpenAPI 3.0, Path Item Object). SendGrid's
            // `/contactdb/lists/{list_id}` takes `list_id` in the path and,
            // on `GET`, in the query too; progenitor combines them by name
            // alone (`method.rs`, `combined_path_parameters`), so the path's
            // was lost and progenitor panicked ("missing path name mapping
            // list_id"). Both are kept, the later one under a stand-in.
            if own {
                order.retain(|p| p.own || p.name != name || p.location != location);
            }
            order.push(Planned {
                own,
                index,
                location,
                name: name.to_string(),
                stand_in: None,
            });
        }
    }
    // Path parameters name first, so that one keeps its name beside a query
    // parameter of that name (Google's APIs take an API `key` in the query
    // of every operation, and some a `{key}` in the path).
    let (mut path, mut rest): (Vec<&mut Planned>, Vec<&mut Planned>) =
        order.iter_mut().partition(|p| p.location == "path");
    for planned in path.iter_mut().chain(rest.iter_mut()) {
        if taken.insert(progenitor_name(&planned.name, Case::Snake)) {
            continue;
        }
        let new = (2..)
            .map(|n| stand_in(&planned.name, n))
            .find(|candidate| !taken.contains(&progenitor_name(candidate, Case::Snake)))
            .expect("some number is free");
        taken.insert(progenitor_name(&new, Case::Snake));
        planned.stand_in = Some(new);
    }
    order
}

/// The Rust name (the builder's field and setter, before a setter named
/// like a builder method gets its `_`) of every parameter of the operation
/// at `path` and `method` of `doc`, by `(location, name)`: what progenitor
/// writes once [`name_apart`] has run. For the tests regen writes, which
/// call each setter.
pub fn rust_names(doc: &Value, path: &str, method: &str) -> Vec<((String, String), String)> {
    let Some(item) = doc
        .get("paths")
        .and_then(|p| p.get(path))
        .and_then(Value::as_object)
    else {
        return Vec::new();
    };
    if item.get(method).is_none() {
        return Vec::new();
    }
    plan(doc, item, method)
        .into_iter()
        .map(|p| {
            let rust = progenitor_name(p.stand_in.as_deref().unwrap_or(&p.name), Case::Snake);
            ((p.location, p.name), rust)
        })
        .collect()
}

/// Names apart the parameters of one operation. The path item's are renamed
/// in place, so every operation of the path sends the same name.
fn name_operation_apart(
    doc: &Value,
    item: &mut Map<String, Value>,
    method: &str,
    template: &mut String,
) -> usize {
    let mut renamed = 0;
    for planned in plan(doc, item, method) {
        let Some(new) = planned.stand_in else {
            continue;
        };
        let list = match planned.own {
            false => item.get_mut("parameters"),
            true => item.get_mut(method).and_then(|o| o.get_mut("parameters")),
        };
        let Some(slot) = list
            .and_then(Value::as_array_mut)
            .and_then(|l| l.get_mut(planned.index))
        else {
            continue;
        };
        let mut param = follow(doc, slot).clone();
        if param["in"] == "path" {
            let name = &planned.name;
            *template = template.replace(&format!("{{{name}}}"), &format!("{{{new}}}"));
        }
        param["name"] = Value::String(new);
        *slot = param;
        renamed += 1;
    }
    renamed
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn later_parameters_of_a_taken_name_get_stand_ins() {
        let mut doc = json!({"paths": {"/v1/{clusterArn}/{ClusterArn}": {
            "parameters": [{"$ref": "#/components/parameters/Max"}],
            "get": {"operationId": "list", "parameters": [
                {"name": "clusterArn", "in": "path", "required": true, "schema": {}},
                {"name": "ClusterArn", "in": "path", "required": true, "schema": {}},
                {"name": "MaxResults", "in": "query", "schema": {}}
            ]},
            "post": {"operationId": "make", "requestBody": {}, "parameters": [
                {"name": "body", "in": "query", "schema": {}}
            ]}
        }}, "components": {"parameters": {"Max": {"name": "maxResults", "in": "query", "schema": {}}}}});
        assert_eq!(name_apart(&mut doc), 3);
        let (path, item) = doc["paths"].as_object().unwrap().iter().next().unwrap();
        assert_eq!(path, "/v1/{clusterArn}/{ClusterArn\u{1}2}");
        let names = |method: &str| -> Vec<String> {
            item[method]["parameters"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| progenitor_name(p["name"].as_str().unwrap(), Case::Snake))
                .collect()
        };
        assert_eq!(
            names("get"),
            ["cluster_arn", "cluster_arn_2", "max_results_2"]
        );
        assert_eq!(names("post"), ["body_2"]);
        // The path item's own parameter keeps its name.
        assert_eq!(
            item["parameters"][0],
            json!({"$ref": "#/components/parameters/Max"})
        );
        // Only the operation's parameter of the same name and location
        // replaces the path item's.
        let mut both = json!({"paths": {"/lists/{list_id}": {
            "parameters": [{"name": "list_id", "in": "path", "required": true, "schema": {}}],
            "get": {"operationId": "get", "parameters": [
                {"name": "list_id", "in": "query", "schema": {}}
            ]},
            "put": {"operationId": "put", "parameters": [
                {"name": "list_id", "in": "path", "required": true, "schema": {"type": "integer"}}
            ]}
        }}});
        assert_eq!(name_apart(&mut both), 1);
        let item = &both["paths"]["/lists/{list_id}"];
        assert_eq!(item["get"]["parameters"][0]["name"], "list_id\u{1}2");
        assert_eq!(item["put"]["parameters"][0]["name"], "list_id");
        assert_eq!(
            rust_names(&both, "/lists/{list_id}", "get"),
            [
                (("path".into(), "list_id".into()), "list_id".into()),
                (("query".into(), "list_id\u{1}2".into()), "list_id_2".into())
            ]
        );
    }
}
