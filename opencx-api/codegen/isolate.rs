//! Turning a progenitor or typify failure, panics included, into a message
//! that names the operation or schema being generated.
//!
//! progenitor reports some unsupported input with `todo!`, `assert!` or an
//! `unwrap` on a missing reference. A panic in the build script is a backtrace
//! that names nothing in the document; here it is caught, and the document is
//! cut down to one operation, then one schema with what it refers to, until the
//! part that fails on its own is found.

use std::cell::Cell;
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
        Err(format!("progenitor panicked: {message}"))
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

/// Finds the part of `doc` that makes `generate` fail on its own: the first
/// component schema (with the schemas it refers to) when the components fail
/// without any operation, else the first operation, else the first schema.
/// Returns it with the failure, or `None` when no part fails alone.
pub fn culprit(
    doc: &Value,
    generate: &dyn Fn(&Value) -> Result<(), String>,
) -> Option<(Culprit, String)> {
    let paths = doc
        .get("paths")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    // The components alone fail: a schema is at fault, whatever operation
    // is tried with it.
    let mut components_only = doc.clone();
    components_only["paths"] = json!({});
    let schemas_first = generate(&components_only).is_err();
    if schemas_first {
        if let Some(found) = schema_culprit(doc, generate) {
            return Some(found);
        }
    }
    for (path, item) in &paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        for (method, operation) in item {
            if !operation.get("responses").is_some_and(Value::is_object) {
                continue; // not an operation: `parameters`, `summary`...
            }
            let mut single = item.clone();
            single.retain(|k, _| k == method || !operation_keys().contains(&k.as_str()));
            let mut alone = doc.clone();
            alone["paths"] = json!({ path: single });
            if let Err(e) = generate(&alone) {
                let id = operation
                    .get("operationId")
                    .and_then(Value::as_str)
                    .unwrap_or("?");
                let culprit = Culprit::Operation {
                    path: path.clone(),
                    method: method.clone(),
                    operation_id: id.to_string(),
                };
                return Some((culprit, e));
            }
        }
    }
    if schemas_first {
        return None;
    }
    schema_culprit(doc, generate)
}

/// The first component schema that fails alone (with the schemas it refers
/// to), and how.
fn schema_culprit(
    doc: &Value,
    generate: &dyn Fn(&Value) -> Result<(), String>,
) -> Option<(Culprit, String)> {
    let schemas = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    for name in schemas.keys() {
        let mut alone = doc.clone();
        alone["paths"] = json!({});
        alone["components"]["schemas"] = Value::Object(closure(&schemas, name));
        if let Err(e) = generate(&alone) {
            return Some((Culprit::Schema(name.clone()), e));
        }
    }
    None
}

fn operation_keys() -> [&'static str; 8] {
    [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ]
}

/// `name` and every schema it refers to, directly or not.
fn closure(schemas: &Map<String, Value>, name: &str) -> Map<String, Value> {
    let mut out = Map::new();
    let mut todo = vec![name.to_string()];
    while let Some(next) = todo.pop() {
        if out.contains_key(&next) {
            continue;
        }
        let Some(schema) = schemas.get(&next) else {
            continue;
        };
        refs(schema, &mut todo);
        out.insert(next, schema.clone());
    }
    out
}

fn refs(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(name) = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
            {
                found.push(name.to_string());
            }
            map.values().for_each(|v| refs(v, found));
        }
        Value::Array(list) => list.iter().for_each(|v| refs(v, found)),
        _ => {}
    }
}
