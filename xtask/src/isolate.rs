//! Isolation: what cannot be generated soundly is left out, and regen goes on.
//!
//! A refusal of the converter, a contradiction the screen finds, or a
//! progenitor or typify failure (a panic included) names a JSON pointer: an
//! operation, or a component. [`exclude`] takes that part out of the document
//! with everything that depends on it (the components that refer to it, then
//! the operations that use any of those), and records each in the report with
//! the pointer and the reason. The rest of the API is generated.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{bail, Result};
use serde_json::Value;

use crate::codegen;
use crate::graph::refers_to;
use crate::operations::operations;
use crate::operations::METHODS;
use crate::pointer::{escape, join, tokens};
use crate::report::{LeftOut, LeftOutSchema, Report};

/// What is taken out, and why.
#[derive(Debug, Clone)]
pub struct Exclusion {
    /// JSON pointer of the part that cannot be generated: inside an
    /// operation (`/paths/~1a/get/...`) or a component
    /// (`/components/schemas/A/...`).
    pub pointer: String,
    pub reason: String,
}

/// Takes the operation or component that `exclusion.pointer` is in out of
/// `doc`, with everything depending on it. A pointer in neither (the
/// document's top level) cannot be isolated: that is an error.
pub fn exclude(
    doc: &mut Value,
    exclusion: &Exclusion,
    hand_written: &BTreeMap<String, String>,
    report: &mut Report,
) -> Result<()> {
    let parts = tokens(&exclusion.pointer);
    match parts.as_slice() {
        [paths, path, method, ..]
            if paths == "paths" && doc["paths"][path].get(method).is_some() =>
        {
            leave_out(
                doc,
                path,
                method,
                &exclusion.pointer,
                exclusion.reason.clone(),
                hand_written,
                report,
            );
            Ok(())
        }
        // A path-level parameter: every operation of the path.
        [paths, path, ..] if paths == "paths" && doc["paths"].get(path).is_some() => {
            for (p, method, _) in operations(doc) {
                if &p == path {
                    leave_out(
                        doc,
                        path,
                        &method,
                        &exclusion.pointer,
                        exclusion.reason.clone(),
                        hand_written,
                        report,
                    );
                }
            }
            Ok(())
        }
        [components, kind, name, ..]
            if components == "components" && doc["components"][kind].get(name).is_some() =>
        {
            exclude_component(doc, kind, name, exclusion, hand_written, report);
            Ok(())
        }
        _ => bail!(
            "{}: {} (this part of the document cannot be left out on its own)",
            exclusion.pointer,
            exclusion.reason
        ),
    }
}

/// Removes component `kind/name`, every component that refers to it, and
/// every operation that uses any of them.
fn exclude_component(
    doc: &mut Value,
    kind: &str,
    name: &str,
    exclusion: &Exclusion,
    hand_written: &BTreeMap<String, String>,
    report: &mut Report,
) {
    let root = format!("#/components/{kind}/{}", escape(name));
    // The components referring to it, through any number of others.
    let removed: BTreeSet<String> = crate::graph::Graph::of(doc).referring([root.clone()]);
    for target in &removed {
        let parts = tokens(target.trim_start_matches('#'));
        let (section, entry) = (&parts[1], &parts[2]);
        if let Some(entries) = doc["components"]
            .get_mut(section)
            .and_then(Value::as_object_mut)
        {
            entries.shift_remove(entry);
        }
        let why = if target == &root {
            exclusion.reason.clone()
        } else {
            format!(
                "it refers to `{root}`, which is left out: {}",
                exclusion.reason
            )
        };
        if section == "schemas" {
            report.left_out_schemas.insert(LeftOutSchema {
                name: entry.clone(),
                pointer: if target == &root {
                    exclusion.pointer.clone()
                } else {
                    target.trim_start_matches('#').to_string()
                },
                reason: why,
            });
        }
    }
    for (path, method, operation) in operations(doc) {
        let item = &doc["paths"][&path];
        let shared = item.get("parameters").cloned().unwrap_or(Value::Null);
        let uses = |value: &Value| !refers_to(value).is_disjoint(&removed);
        if uses(&operation) || uses(&shared) {
            leave_out(
                doc,
                &path,
                &method,
                &exclusion.pointer,
                format!("it uses `{root}`, which is left out: {}", exclusion.reason),
                hand_written,
                report,
            );
        }
    }
}

/// Takes the operation at `path` and `method` out of `doc` and records why:
/// `reason`, found at `pointer` (the operation, or a part of it).
pub fn leave_out(
    doc: &mut Value,
    path: &str,
    method: &str,
    pointer: &str,
    reason: String,
    hand_written: &BTreeMap<String, String>,
    report: &mut Report,
) {
    let Some(item) = doc["paths"].get_mut(path).and_then(Value::as_object_mut) else {
        return;
    };
    let Some(operation) = item.shift_remove(method) else {
        return;
    };
    let id = operation["operationId"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    report.left_out.insert(LeftOut {
        operation: format!("{} {path}", method.to_uppercase()),
        hand_written: hand_written.get(&id).cloned(),
        operation_id: id,
        pointer: pointer.to_string(),
        reason,
    });
    if !item.keys().any(|k| METHODS.contains(&k.as_str())) {
        doc["paths"]
            .as_object_mut()
            .expect("paths")
            .shift_remove(path);
    }
}

/// What the code generated from a document does not compile for: each part
/// of the document to leave out, and why. Empty when it compiles.
pub type CompileCheck<'a> = dyn FnMut(&Value, &codegen::Generated) -> Result<Vec<Exclusion>> + 'a;

/// Generates the client from `doc`, leaving out what progenitor or typify
/// cannot generate (found by generating each operation and schema alone),
/// naming apart what typify would name twice, and leaving out what
/// `compiles` finds does not compile, until the rest generates and compiles.
/// Returns the document as generated, as JSON, and the generated code.
pub fn generate(
    doc: &mut Value,
    hand_written: &BTreeMap<String, String>,
    report: &mut Report,
    compiles: &mut CompileCheck<'_>,
) -> Result<(String, codegen::Generated)> {
    crate::type_names::settle_titles(doc, report);
    // Each round removes or renames something, so this ends.
    loop {
        let json = format!("{}\n", serde_json::to_string_pretty(doc)?);
        match codegen::generate(&json) {
            Ok(generated) => {
                let exclusions = compiles(doc, &generated)?;
                if exclusions.is_empty() {
                    return Ok((json, generated));
                }
                for exclusion in &exclusions {
                    // A part an earlier exclusion of this round took with it
                    // is gone already.
                    if doc.pointer(&owner(&exclusion.pointer)).is_some() {
                        exclude(doc, exclusion, hand_written, report)?;
                    }
                }
            }
            Err(codegen::Error::DuplicateTypes(names)) => {
                if crate::type_names::separate(doc, &names, report) > 0 {
                    // A nullable union moved to a component is one as the
                    // screen found them (GitHub's ruleset `conditions`).
                    crate::nullable_unions::null_as_a_branch(doc);
                    continue;
                }
                // No schema behind them is known: the part that names two
                // types alike on its own is left out.
                let Some((culprit, message)) = codegen::duplicates_culprit(&json, &names) else {
                    bail!(
                        "internal error: the generated types define {} more than once, and no \
                         part of the document does so alone",
                        names.join(", ")
                    );
                };
                let exclusion = Exclusion {
                    pointer: culprit.pointer(),
                    reason: format!("progenitor cannot generate it: {message}"),
                };
                exclude(doc, &exclusion, hand_written, report)?;
            }
            Err(codegen::Error::Part { culprit, message }) => {
                let exclusion = Exclusion {
                    pointer: culprit.pointer(),
                    reason: format!("progenitor cannot generate it: {message}"),
                };
                exclude(doc, &exclusion, hand_written, report)?;
            }
            Err(codegen::Error::Other(message)) => bail!("{message}"),
        }
    }
}

/// The pointer of the component or operation a pointer is in, for messages.
pub fn owner(pointer: &str) -> String {
    let parts = tokens(pointer);
    let keep = match parts.first().map(String::as_str) {
        Some("paths") => 3,
        Some("components") => 3,
        _ => parts.len(),
    };
    parts
        .iter()
        .take(keep)
        .fold(String::new(), |at, part| join(&at, part))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn doc() -> Value {
        json!({"paths": {
            "/a": {"get": {"operationId": "getA", "responses": {"200": {"description": "",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Outer"}}}}}}},
            "/b": {"get": {"operationId": "getB", "responses": {"204": {"description": ""}}}}
        }, "components": {"schemas": {
            "Bad": {"allOf": []},
            "Outer": {"type": "object", "properties": {"bad": {"$ref": "#/components/schemas/Bad"}}},
            "Fine": {"type": "string"}
        }}})
    }

    #[test]
    fn a_component_goes_with_what_refers_to_it_and_the_operations_that_use_them() {
        let mut doc = doc();
        let mut report = Report::default();
        let exclusion = Exclusion {
            pointer: "/components/schemas/Bad/allOf".into(),
            reason: "contradiction".into(),
        };
        exclude(&mut doc, &exclusion, &BTreeMap::new(), &mut report).unwrap();
        let schemas: Vec<&String> = doc["components"]["schemas"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(schemas, ["Fine"]);
        assert!(doc["paths"].get("/a").is_none());
        assert!(doc["paths"]["/b"].get("get").is_some());
        let left: Vec<(&str, &str)> = report
            .left_out
            .iter()
            .map(|l| (l.operation.as_str(), l.pointer.as_str()))
            .collect();
        assert_eq!(left, [("GET /a", "/components/schemas/Bad/allOf")]);
        assert_eq!(report.left_out_schemas.len(), 2);
    }

    #[test]
    fn a_pointer_at_the_top_level_cannot_be_isolated() {
        let mut doc = doc();
        let exclusion = Exclusion {
            pointer: "/webhooks".into(),
            reason: "no".into(),
        };
        assert!(exclude(
            &mut doc,
            &exclusion,
            &BTreeMap::new(),
            &mut Report::default()
        )
        .is_err());
        assert_eq!(owner("/paths/~1a/get/responses/200"), "/paths/~1a/get");
    }
}
