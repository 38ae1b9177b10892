//! Merging one-operation documents into one document.

use std::collections::BTreeMap;

use anyhow::{bail, Result};
use serde_json::{Map, Value};

use crate::operations::METHODS;
pub use crate::origins::Origins;
use crate::pointer::{first_difference, join};

/// One parsed input document and the file it came from (as shown in messages).
#[derive(Debug, Clone)]
pub struct Source {
    pub file: String,
    pub doc: Value,
}

/// The merged document and where its parts came from.
#[derive(Debug, Clone)]
pub struct Merged {
    pub doc: Value,
    pub origins: Origins,
    /// Each source file's `openapi` version: a merged document can hold parts
    /// written in 3.0 and in 3.1, which the converter treats differently.
    pub versions: BTreeMap<String, String>,
}

impl Merged {
    /// The `openapi` version of the file behind `pointer`.
    pub fn version_at(&self, pointer: &str) -> Option<&str> {
        let file = self.origins.locate(pointer)?;
        self.versions.get(file).map(String::as_str)
    }
}

const TOP_LEVEL_ORDER: [&str; 6] = [
    "openapi",
    "info",
    "servers",
    "security",
    "paths",
    "components",
];

/// Merges `sources`. Identical duplicates fold into one; any conflict is an
/// error naming both files and the JSON pointer of the first difference.
/// The output's key order is fixed (paths and component names sorted, methods
/// in OpenAPI order) and so does not depend on the order of `sources`.
pub fn merge(sources: &[Source]) -> Result<Merged> {
    let mut top: BTreeMap<String, (Value, String)> = BTreeMap::new();
    let mut paths: BTreeMap<String, BTreeMap<String, (Value, String)>> = BTreeMap::new();
    let mut components: BTreeMap<String, BTreeMap<String, (Value, String)>> = BTreeMap::new();
    let mut operation_ids: BTreeMap<String, (String, String)> = BTreeMap::new();
    let mut versions: BTreeMap<String, String> = BTreeMap::new();
    let mut info: BTreeMap<String, (Value, String)> = BTreeMap::new();
    let mut info_order: Vec<String> = Vec::new();

    for source in sources {
        let Some(doc) = source.doc.as_object() else {
            bail!("{}: the document is not a mapping", source.file);
        };
        let version = doc.get("openapi").and_then(Value::as_str).unwrap_or("");
        if !(version.starts_with("3.1.") || version.starts_with("3.0.")) {
            bail!(
                "{}#/openapi: expected an OpenAPI 3.0.x or 3.1.x document, found {version:?}",
                source.file
            );
        }
        versions.insert(source.file.clone(), version.to_string());
        for (key, value) in doc {
            match key.as_str() {
                // Versions may differ between files; the merged document is
                // the newest, and each part keeps its own (see `versions`).
                "openapi" => {}
                "paths" => {
                    for (path, item) in object_at(value, &source.file, "/paths")? {
                        // `x-` keys of the Paths Object are extensions, not paths.
                        if path.starts_with("x-") {
                            continue;
                        }
                        let at = join("/paths", path);
                        for (field, value) in object_at(item, &source.file, &at)? {
                            let field_at = join(&at, field);
                            if METHODS.contains(&field.as_str()) {
                                if let Some(id) = value.get("operationId").and_then(Value::as_str) {
                                    if let Some((other, other_at)) = operation_ids.get(id) {
                                        bail!(
                                            "duplicate operationId {id:?}: {}#{field_at} and {other}#{other_at}",
                                            source.file
                                        );
                                    }
                                    operation_ids.insert(
                                        id.to_string(),
                                        (source.file.clone(), field_at.clone()),
                                    );
                                }
                                let slot = paths.entry(path.clone()).or_default();
                                if let Some((_, other)) = slot.get(field) {
                                    bail!(
                                        "duplicate operation {} {path}: defined in {other} and {}",
                                        field.to_uppercase(),
                                        source.file
                                    );
                                }
                                slot.insert(field.clone(), (value.clone(), source.file.clone()));
                            } else {
                                fold(
                                    paths.entry(path.clone()).or_default(),
                                    field,
                                    value,
                                    &source.file,
                                    &field_at,
                                )?;
                            }
                        }
                    }
                }
                "components" => {
                    for (section, entries) in object_at(value, &source.file, "/components")? {
                        let at = join("/components", section);
                        for (name, value) in object_at(entries, &source.file, &at)? {
                            fold(
                                components.entry(section.clone()).or_default(),
                                name,
                                value,
                                &source.file,
                                &join(&at, name),
                            )?;
                        }
                    }
                }
                // Field by field, so a document that adds a 3.1 `summary` or a
                // license to the same title and version merges.
                "info" => {
                    for (field, value) in object_at(value, &source.file, "/info")? {
                        if !info_order.contains(field) {
                            info_order.push(field.clone());
                        }
                        fold(&mut info, field, value, &source.file, &join("/info", field))?;
                    }
                }
                _ => fold(&mut top, key, value, &source.file, &join("", key))?,
            }
        }
    }

    let mut origins = Origins::default();
    let mut out = Map::new();
    if let Some(newest) = versions.values().max_by_key(|v| version_key(v)) {
        out.insert("openapi".into(), Value::String(newest.clone()));
    }
    if !info.is_empty() {
        let mut fields = Map::new();
        for field in info_order {
            let (value, file) = info.remove(&field).expect("ordered as folded");
            origins.record(join("/info", &field), &file);
            fields.insert(field, value);
        }
        let first = origins
            .locate("/info/title")
            .unwrap_or_default()
            .to_string();
        top.insert("info".into(), (Value::Object(fields), first));
    }
    let mut rest: Vec<_> = top.into_iter().collect();
    rest.sort_by_key(|(key, _)| {
        TOP_LEVEL_ORDER
            .iter()
            .position(|k| k == key)
            .unwrap_or(usize::MAX)
    });
    for (key, (value, file)) in rest {
        if key == "paths" || key == "components" {
            continue;
        }
        origins.record(join("", &key), &file);
        out.insert(key.clone(), value);
    }
    let mut path_map = Map::new();
    for (path, mut fields) in paths {
        let mut item = Map::new();
        let at = join("/paths", &path);
        // Path-level fields first, then operations in OpenAPI's method order.
        let mut keys: Vec<String> = fields.keys().cloned().collect();
        keys.sort_by_key(|k| {
            (
                METHODS.iter().position(|m| m == k).map_or(0, |p| p + 1),
                k.clone(),
            )
        });
        for key in keys {
            let (value, file) = fields.remove(&key).expect("key listed from the map");
            origins.record(join(&at, &key), &file);
            item.insert(key, value);
        }
        path_map.insert(path, Value::Object(item));
    }
    out.insert("paths".into(), Value::Object(path_map));
    let mut component_map = Map::new();
    for (section, entries) in components {
        let at = join("/components", &section);
        let mut section_map = Map::new();
        for (name, (value, file)) in entries {
            origins.record(join(&at, &name), &file);
            section_map.insert(name, value);
        }
        component_map.insert(section, Value::Object(section_map));
    }
    if !component_map.is_empty() {
        out.insert("components".into(), Value::Object(component_map));
    }
    Ok(Merged {
        doc: Value::Object(out),
        origins,
        versions,
    })
}

/// `3.1.0` → `[3, 1, 0]`, for ordering versions.
fn version_key(version: &str) -> Vec<u64> {
    version.split('.').map(|p| p.parse().unwrap_or(0)).collect()
}

/// Inserts `value` under `key`, folding an identical duplicate and refusing a
/// different one.
fn fold(
    slot: &mut BTreeMap<String, (Value, String)>,
    key: &str,
    value: &Value,
    file: &str,
    at: &str,
) -> Result<()> {
    match slot.get(key) {
        None => {
            slot.insert(key.to_string(), (value.clone(), file.to_string()));
            Ok(())
        }
        Some((existing, other)) => match first_difference(existing, value, at) {
            None => Ok(()),
            Some(difference) => {
                let relative = &difference[at.len()..];
                let shown = |v: &Value| v.pointer(relative).map_or("(absent)".to_string(), snippet);
                bail!(
                    "conflicting definitions of {at}: {other} and {file} first differ at {difference}: \
                     {other} has {}, {file} has {}",
                    shown(existing),
                    shown(value)
                )
            }
        },
    }
}

/// A value as compact JSON, cut at 200 characters for a message.
fn snippet(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(200) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

fn object_at<'a>(value: &'a Value, file: &str, at: &str) -> Result<&'a Map<String, Value>> {
    match value.as_object() {
        Some(map) => Ok(map),
        None => bail!("{file}#{at}: expected a mapping"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(path: &str, op: &str, schema: Value) -> Value {
        json!({
            "openapi": "3.1.0",
            "info": {"title": "T", "version": "1"},
            "paths": {path: {"get": {"operationId": op, "responses": {}}}},
            "components": {"schemas": {"Shared": schema}}
        })
    }

    fn source(file: &str, doc: Value) -> Source {
        Source {
            file: file.into(),
            doc,
        }
    }

    #[test]
    fn folds_identical_components_and_sorts_paths() {
        let merged = merge(&[
            source("b.yaml", doc("/b", "getB", json!({"type": "string"}))),
            source("a.yaml", doc("/a", "getA", json!({"type": "string"}))),
        ])
        .unwrap();
        let paths: Vec<_> = merged.doc["paths"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        assert_eq!(paths, ["/a", "/b"]);
        assert_eq!(
            merged.doc["components"]["schemas"]["Shared"],
            json!({"type": "string"})
        );
        assert_eq!(
            merged.origins.locate("/paths/~1a/get/responses"),
            Some("a.yaml")
        );
        assert_eq!(
            merged.origins.locate("/components/schemas/Shared/type"),
            Some("b.yaml")
        );
        let keys: Vec<_> = merged.doc.as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["openapi", "info", "paths", "components"]);
    }

    #[test]
    fn merge_is_independent_of_input_order() {
        let a = source("a.yaml", doc("/a", "getA", json!({"type": "string"})));
        let b = source("b.yaml", doc("/b", "getB", json!({"type": "string"})));
        let ab = serde_json::to_string(&merge(&[a.clone(), b.clone()]).unwrap().doc).unwrap();
        let ba = serde_json::to_string(&merge(&[b, a]).unwrap().doc).unwrap();
        assert_eq!(ab, ba);
    }

    #[test]
    fn conflicting_components_name_both_files_and_the_pointer() {
        let err = merge(&[
            source(
                "a.yaml",
                doc("/a", "getA", json!({"type": "string", "enum": ["x", "y"]})),
            ),
            source(
                "b.yaml",
                doc("/b", "getB", json!({"type": "string", "enum": ["x", "z"]})),
            ),
        ])
        .unwrap_err()
        .to_string();
        assert!(err.contains("a.yaml and b.yaml"), "{err}");
        assert!(err.contains("/components/schemas/Shared/enum/1"), "{err}");
        assert!(err.contains("a.yaml has \"y\", b.yaml has \"z\""), "{err}");
    }

    #[test]
    fn duplicate_operation_ids_are_an_error() {
        let err = merge(&[
            source("a.yaml", doc("/a", "same", json!({}))),
            source("b.yaml", doc("/b", "same", json!({}))),
        ])
        .unwrap_err()
        .to_string();
        assert!(err.contains("duplicate operationId \"same\""), "{err}");
        assert!(err.contains("b.yaml#/paths/~1b/get"), "{err}");
        assert!(err.contains("a.yaml#/paths/~1a/get"), "{err}");
    }

    #[test]
    fn duplicate_path_and_method_is_an_error() {
        let err = merge(&[
            source("a.yaml", doc("/a", "one", json!({}))),
            source("b.yaml", doc("/a", "two", json!({}))),
        ])
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("duplicate operation GET /a: defined in a.yaml and b.yaml"),
            "{err}"
        );
    }

    #[test]
    fn conflicting_info_is_an_error() {
        let mut other = doc("/b", "getB", json!({}));
        other["info"]["version"] = json!("2");
        let err = merge(&[
            source("a.yaml", doc("/a", "getA", json!({}))),
            source("b.yaml", other),
        ])
        .unwrap_err()
        .to_string();
        assert!(err.contains("/info/version"), "{err}");
    }

    #[test]
    fn a_document_that_is_not_3_0_or_3_1_is_refused() {
        let mut old = doc("/a", "getA", json!({}));
        old["openapi"] = json!("2.0");
        let err = merge(&[source("a.yaml", old)]).unwrap_err().to_string();
        assert!(err.contains("a.yaml#/openapi"), "{err}");
    }

    #[test]
    fn documents_of_both_versions_merge_and_keep_their_version() {
        let mut old = doc("/a", "getA", json!({}));
        old["openapi"] = json!("3.0.0");
        let merged = merge(&[
            source("a.yaml", old),
            source("b.yaml", doc("/b", "getB", json!({}))),
        ])
        .unwrap();
        assert_eq!(merged.doc["openapi"], json!("3.1.0"));
        assert_eq!(merged.version_at("/paths/~1a/get"), Some("3.0.0"));
        assert_eq!(merged.version_at("/paths/~1b/get/responses"), Some("3.1.0"));
    }
}
