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
