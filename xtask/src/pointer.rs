//! JSON Pointer (RFC 6901) helpers used to name locations in error messages.

use serde_json::Value;

/// Escapes one reference token (`~` → `~0`, `/` → `~1`).
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Unescapes one reference token.
pub fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Appends `token` to `base`.
pub fn join(base: &str, token: &str) -> String {
    format!("{base}/{}", escape(token))
}

/// Splits a pointer into unescaped tokens. `""` is the whole document.
pub fn tokens(pointer: &str) -> Vec<String> {
    if pointer.is_empty() {
        return Vec::new();
    }
    pointer
        .strip_prefix('/')
        .unwrap_or(pointer)
        .split('/')
        .map(unescape)
        .collect()
}

/// The value a local `$ref` (`#/...`) names, following chains of them; the
/// value itself when it is no reference or the target is missing.
///
/// ```
/// use serde_json::json;
/// let doc = json!({"components": {"parameters": {"P": {"$ref": "#/components/parameters/Q"}, "Q": {"name": "q"}}}});
/// let reference = json!({"$ref": "#/components/parameters/P"});
/// assert_eq!(xtask::pointer::follow_ref(&doc, &reference), &json!({"name": "q"}));
/// ```
pub fn follow_ref<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    match value
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix('#'))
    {
        Some(pointer) => doc
            .pointer(pointer)
            .map_or(value, |target| follow_ref(doc, target)),
        None => value,
    }
}

/// The pointer of the first place where `a` and `b` differ, or `None` when equal.
///
/// Object keys are compared as sets first (a key present on one side only is the
/// difference), then values in the order of `a`'s keys, so the answer is stable.
pub fn first_difference(a: &Value, b: &Value, at: &str) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (key, xv) in x {
                match y.get(key) {
                    None => return Some(join(at, key)),
                    Some(yv) => {
                        if let Some(found) = first_difference(xv, yv, &join(at, key)) {
                            return Some(found);
                        }
                    }
                }
            }
            y.keys()
                .find(|key| !x.contains_key(*key))
                .map(|key| join(at, key))
        }
        (Value::Array(x), Value::Array(y)) => {
            for (i, (xv, yv)) in x.iter().zip(y).enumerate() {
                if let Some(found) = first_difference(xv, yv, &join(at, &i.to_string())) {
                    return Some(found);
                }
            }
            (x.len() != y.len()).then(|| join(at, &x.len().min(y.len()).to_string()))
        }
        _ => (a != b).then(|| at.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn escapes_slashes_and_tildes() {
        assert_eq!(join("/paths", "/chat/sessions"), "/paths/~1chat~1sessions");
        assert_eq!(tokens("/paths/~1a~0b/get"), vec!["paths", "/a~b", "get"]);
    }

    #[test]
    fn finds_first_difference() {
        let a = json!({"type": "string", "enum": ["a", "b"]});
        let b = json!({"type": "string", "enum": ["a", "c"]});
        assert_eq!(first_difference(&a, &b, "/x").as_deref(), Some("/x/enum/1"));
        assert_eq!(first_difference(&a, &a, "/x"), None);
        let c = json!({"type": "string"});
        assert_eq!(first_difference(&c, &a, "").as_deref(), Some("/enum"));
        let d = json!([1]);
        let e = json!([1, 2]);
        assert_eq!(first_difference(&d, &e, "").as_deref(), Some("/1"));
    }
}
