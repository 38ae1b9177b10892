//! Turning a progenitor or typify failure, panics included, into a message
//! that names the operation or schema being generated.
//!
//! progenitor reports some unsupported input with `todo!`, `assert!` or an
//! `unwrap` on a missing reference. A panic in the build script is a backtrace
//! that names nothing in the document; here it is caught, and the document is
//! cut down to one operation, then one schema with what it refers to, until the
//! part that fails on its own is found.

use std::cell::Cell;
use std::collections::BTreeSet;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use serde_json::{json, Map, Value};

thread_local! {
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f`, turning a panic into `Err` with its message. The panic is not
/// printed: the caller reports it with its context.
pub fn catch<T>(f: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            // Other threads (other tests) keep the usual report.
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
    QUIET.with(|q| q.set(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(false));
    result.unwrap_or_else(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".into());
        // One line, as every warning is: a panic's later lines are dumps
        // of typify's state, cut short.
        let mut line = message.split_whitespace().collect::<Vec<_>>().join(" ");
        if line.chars().count() > 200 {
            line = line.chars().take(200).collect::<String>() + "…";
        }
        Err(format!("progenitor panicked: {line}"))
    })
}

/// The part of a document that progenitor or typify cannot generate alone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Culprit {
    /// An operation: its path, method (lowercase) and operationId.
    Operation {
        path: String,
        method: String,
        operation_id: String,
    },
    /// A component schema, by name.
    Schema(String),
}

impl Culprit {
    /// The JSON pointer of the culprit in the document.
    pub fn pointer(&self) -> String {
        let escape = |s: &str| s.replace('~', "~0").replace('/', "~1");
        match self {
            Culprit::Operation { path, method, .. } => format!("/paths/{}/{method}", escape(path)),
            Culprit::Schema(name) => format!("/components/schemas/{}", escape(name)),
        }
    }
}

impl std::fmt::Display for Culprit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Culprit::Operation {
                path,
                method,
                operation_id,
            } => write!(
                f,
                "operation {operation_id} ({} {path})",
                method.to_uppercase()
            ),
            Culprit::Schema(name) => write!(f, "schema {name} (#/components/schemas/{name})"),
        }
    }
}

/// One part a document can be cut down to: an operation (path and method),
/// or a component schema.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Part {
    Operation(String, String),
    Schema(String),
}

/// Finds the part of `doc` that makes `generate` fail on its own: a
/// component schema (with what it refers to) when the components fail
/// without any operation, else an operation (with the components it
/// reaches). Returns it with the failure, or `None` when no part fails
/// alone.
///
/// The parts are halved until one fails alone, and each trial holds only
/// what its parts reach, so finding one culprit among n parts takes about
/// log2(n) small generations, not n of the whole document's size (a
/// 361-operation API spent minutes here).
pub fn culprit(
    doc: &Value,
    generate: &dyn Fn(&Value) -> Result<(), String>,
) -> Option<(Culprit, String)> {
    let mut components_only = doc.clone();
    components_only["paths"] = json!({});
    let schemas: Vec<Part> = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(name, _)| Part::Schema(name.clone()))
        .collect();
    let mut operations = Vec::new();
    for (path, item) in doc
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        for (method, operation) in item.as_object().into_iter().flatten() {
            // Not an operation: `parameters`, `summary`...
            if operation_keys().contains(&method.as_str())
                && operation.get("responses").is_some_and(Value::is_object)
            {
                operations.push(Part::Operation(path.clone(), method.clone()));
            }
        }
    }
    let trial = |parts: &[Part]| generate(&cut(doc, parts));
    let found = if generate(&components_only).is_err() {
        bisect(&schemas, &trial).or_else(|| bisect(&operations, &trial))
    } else {
        bisect(&operations, &trial).or_else(|| bisect(&schemas, &trial))
    };
    let (part, message) = found?;
    let culprit = match part {
        Part::Schema(name) => Culprit::Schema(name),
        Part::Operation(path, method) => {
            let operation_id = doc["paths"][&path][&method]["operationId"]
                .as_str()
                .unwrap_or("?")
                .to_string();
            Culprit::Operation {
                path,
                method,
                operation_id,
            }
        }
    };
    Some((culprit, message))
}

/// The part of `parts` that fails alone, halving: a half that fails is
/// searched on; when each half passes alone but both together fail, each
/// part is tried alone.
fn bisect(parts: &[Part], trial: &dyn Fn(&[Part]) -> Result<(), String>) -> Option<(Part, String)> {
    let error = trial(parts).err()?;
    match parts {
        [] => None,
        [one] => Some((one.clone(), error)),
        _ => {
            let (left, right) = parts.split_at(parts.len() / 2);
            bisect(left, trial)
                .or_else(|| bisect(right, trial))
                .or_else(|| {
                    parts.iter().find_map(|part| {
                        trial(std::slice::from_ref(part))
                            .err()
                            .map(|e| (part.clone(), e))
                    })
                })
        }
    }
}

/// `doc` with only `parts`: their operations (with the path items' shared
/// fields), their schemas, and every component either reaches.
fn cut(doc: &Value, parts: &[Part]) -> Value {
    let mut out = doc.clone();
    let mut paths = Map::new();
    let mut todo: Vec<String> = Vec::new();
    for part in parts {
        match part {
            Part::Operation(path, method) => {
                let Some(item) = doc["paths"][path].as_object() else {
                    continue;
                };
                let entry = paths.entry(path.clone()).or_insert_with(|| {
                    let mut shared = item.clone();
                    shared.retain(|k, _| !operation_keys().contains(&k.as_str()));
                    Value::Object(shared)
                });
                entry[method] = item[method].clone();
            }
            Part::Schema(name) => todo.push(format!(
                "#/components/schemas/{}",
                name.replace('~', "~0").replace('/', "~1")
            )),
        }
    }
    let paths = Value::Object(paths);
    refs(&paths, &mut todo);
    out["paths"] = paths;
    // What the parts reach, through components of every section.
    let mut kept: BTreeSet<String> = BTreeSet::new();
    while let Some(next) = todo.pop() {
        let Some(component) = component_of(&next) else {
            continue;
        };
        if !kept.insert(component.clone()) {
            continue;
        }
        if let Some(value) = doc.pointer(&component[1..]) {
            refs(value, &mut todo);
        }
    }
    if let Some(sections) = out.get_mut("components").and_then(Value::as_object_mut) {
        for (section, entries) in sections.iter_mut() {
            // Security schemes are read by name, never by `$ref`.
            if section == "securitySchemes" {
                continue;
            }
            if let Some(entries) = entries.as_object_mut() {
                entries.retain(|name, _| {
                    let escape = |s: &str| s.replace('~', "~0").replace('/', "~1");
                    kept.contains(&format!(
                        "#/components/{}/{}",
                        escape(section),
                        escape(name)
                    ))
                });
            }
        }
    }
    out
}

/// The component a local `$ref` points at or into.
fn component_of(reference: &str) -> Option<String> {
    let rest = reference.strip_prefix("#/components/")?;
    let mut tokens = rest.splitn(3, '/');
    let (section, name) = (tokens.next()?, tokens.next()?);
    Some(format!("#/components/{section}/{name}"))
}

fn operation_keys() -> [&'static str; 8] {
    [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ]
}

/// Every local `$ref` under `value`, as written.
fn refs(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
                found.push(reference.to_string());
            }
            map.values().for_each(|v| refs(v, found));
        }
        Value::Array(list) => list.iter().for_each(|v| refs(v, found)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use super::*;

    /// 64 operations, each answering its own schema; `/op41` fails.
    fn doc() -> Value {
        let mut paths = Map::new();
        let mut schemas = Map::new();
        for i in 0..64 {
            let schema = if i == 41 { "Bad" } else { "Fine" };
            paths.insert(
                format!("/op{i}"),
                json!({"get": {"operationId": format!("op{i}"), "responses": {"200": {
                    "description": "",
                    "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}{i}")}}}
                }}}}),
            );
            schemas.insert(format!("{schema}{i}"), json!({"type": "object"}));
        }
        json!({"paths": paths, "components": {"schemas": schemas}})
    }

    #[test]
    fn the_failing_operation_is_found_in_few_small_trials() {
        let doc = doc();
        let trials = RefCell::new(Vec::new());
        let generate = |part: &Value| {
            let schemas = part["components"]["schemas"].as_object().unwrap();
            trials.borrow_mut().push(schemas.len());
            // The schema is fine alone; the operation using it fails.
            let uses = part["paths"].get("/op41").is_some();
            if uses && schemas.keys().any(|k| k.starts_with("Bad")) {
                Err("typify panicked".to_string())
            } else {
                Ok(())
            }
        };
        let (found, message) = culprit(&doc, &generate).unwrap();
        assert_eq!(
            found,
            Culprit::Operation {
                path: "/op41".into(),
                method: "get".into(),
                operation_id: "op41".into()
            }
        );
        assert_eq!(message, "typify panicked");
        let trials = trials.into_inner();
        // The components alone, then at most two trials a halving, each
        // with only the schemas its operations reach: not 64 whole ones.
        assert!(trials.len() <= 2 + 2 * 6, "{trials:?}");
        assert!(trials[2..].iter().all(|&n| n <= 32), "{trials:?}");
        assert_eq!(trials.last(), Some(&1));
    }

    #[test]
    fn a_failing_schema_is_found_without_any_operation() {
        let doc = doc();
        let generate = |part: &Value| {
            let schemas = part["components"]["schemas"].as_object().unwrap();
            match schemas.contains_key("Fine7") {
                true => Err("bad".to_string()),
                false => Ok(()),
            }
        };
        let (found, _) = culprit(&doc, &generate).unwrap();
        assert_eq!(found, Culprit::Schema("Fine7".into()));
    }
}
