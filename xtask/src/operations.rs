//! The operations of a document: the path-item keys that are HTTP methods.

use serde_json::Value;

/// The HTTP methods a path item can hold, in OpenAPI's order.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Every operation as (path, method, operation), in document order.
///
/// ```
/// let doc = serde_json::json!({"paths": {"/a": {"parameters": [], "get": {}}}});
/// let found = xtask::operations::operations(&doc);
/// assert_eq!(found.len(), 1);
/// assert_eq!((found[0].0.as_str(), found[0].1.as_str()), ("/a", "get"));
/// ```
pub fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut found = Vec::new();
    for (path, item) in doc
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        for (method, operation) in item.as_object().into_iter().flatten() {
            if METHODS.contains(&method.as_str()) {
                found.push((path.clone(), method.clone(), operation.clone()));
            }
        }
    }
    found
}

/// One operation as a document lists it: under `paths`, or in a path item
/// that `paths` refers to with `$ref` (3.1's `components/pathItems`, or
/// another local path item), which is where its pointer leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    /// The path template, as the `paths` key has it.
    pub path: String,
    /// The method, lowercase.
    pub method: String,
    /// JSON pointer of the operation: `/paths/~1a/get`, or
    /// `/components/pathItems/A/get` for a referenced path item.
    pub pointer: String,
    /// The operation itself.
    pub operation: Value,
}

impl Listed {
    /// `GET /a`, as reports name an operation.
    pub fn name(&self) -> String {
        format!("{} {}", self.method.to_uppercase(), self.path)
    }
}

/// Every operation of `doc`, in document order, following a path item's
/// local `$ref` (a chain of them included) to the operations it holds; the
/// fields beside the `$ref` win, as in OpenAPI 3.1. A `$ref` that leads
/// nowhere lists nothing: the converter reports it.
///
/// ```
/// let doc = serde_json::json!({
///     "paths": {"/a": {"$ref": "#/components/pathItems/A"}},
///     "components": {"pathItems": {"A": {"get": {"operationId": "getA"}}}},
/// });
/// let found = xtask::operations::listed(&doc);
/// assert_eq!(found[0].name(), "GET /a");
/// assert_eq!(found[0].pointer, "/components/pathItems/A/get");
/// ```
pub fn listed(doc: &Value) -> Vec<Listed> {
    let mut found = Vec::new();
    for (path, item) in doc
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        if path.starts_with("x-") {
            continue; // an extension of the Paths Object
        }
        let own = crate::pointer::join("/paths", path);
        let mut at = own.clone();
        let mut target = item;
        let mut seen = vec![own.clone()];
        while let Some(pointer) = target
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
        {
            match doc.pointer(pointer) {
                Some(next) if !seen.iter().any(|s| s == pointer) => {
                    seen.push(pointer.to_string());
                    at = pointer.to_string();
                    target = next;
                }
                _ => break,
            }
        }
        let mut methods: Vec<(&String, &Value, String)> = Vec::new();
        for (holder, holder_at) in [(target, &at), (item, &own)] {
            for (method, operation) in holder.as_object().into_iter().flatten() {
                if METHODS.contains(&method.as_str()) {
                    let pointer = crate::pointer::join(holder_at, method);
                    match methods.iter_mut().find(|(m, _, _)| *m == method) {
                        Some(slot) => *slot = (method, operation, pointer),
                        None => methods.push((method, operation, pointer)),
                    }
                }
            }
        }
        for (method, operation, pointer) in methods {
            found.push(Listed {
                path: path.clone(),
                method: method.clone(),
                pointer,
                operation: operation.clone(),
            });
        }
    }
    found
}
