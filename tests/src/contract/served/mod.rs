//! The document Prism is given: the upstream one, rewritten where Prism
//! would otherwise answer what the document forbids or never start, so that a
//! failing round tells about the client and not about Prism.
//!
//! [`equivalent`] changes only how a schema is written, never which values
//! it accepts. [`acyclic`] changes what is accepted (Prism no longer checks
//! a recursion's second round) and what Prism draws (no recursion at all);
//! the wire report says where it applied. [`answers`] gives Prism response
//! media types it can write. The contract runtime still checks every answer
//! against the document as upstream wrote it.

pub mod answers;
mod formats;

use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// Rewrites `document` into the same document for validation, written so
/// that Prism's value generator (json-schema-faker with randexp) keeps to
/// it. Returns what was rewritten, one line per kind.
///
/// - A lazy quantifier (`{7,}?`, `*?`, `+?`, `??`) becomes greedy: whether a
///   string matches an unanchored or anchored pattern does not depend on
///   laziness, but randexp reads the `?` as "optional" and draws `""` for
///   `[0-9a-f]{7,}?` (Bitbucket's commit hashes).
/// - An `enum` member outside the schema's own `type` is dropped: no value
///   could be both, yet Prism draws it (`enum: [approved, null]` under
///   `type: string`, without `nullable`).
/// - An integer format of OpenAPI's registry (`int8`, `uint16`, ...) is
///   written as its range too ([`formats::bounded`]).
pub fn equivalent(document: &mut Value) -> Vec<String> {
    let mut patterns = 0;
    let mut members = 0;
    let mut ranges = 0;
    rewrite(document, &mut |schema| {
        if let Some(Value::String(pattern)) = schema.get_mut("pattern") {
            let greedy = greedy(pattern);
            if greedy != *pattern {
                *pattern = greedy;
                patterns += 1;
            }
        }
        members += drop_foreign_members(schema);
        ranges += usize::from(formats::bounded(schema));
    });
    let mut notes = Vec::new();
    if patterns > 0 {
        notes.push(format!(
            "{patterns} pattern(s) with a lazy quantifier written greedy (same strings match; \
             randexp drew \"\" for them)"
        ));
    }
    if members > 0 {
        notes.push(format!(
            "{members} enum member(s) outside their schema's type dropped (no value can be both)"
        ));
    }
    if ranges > 0 {
        notes.push(format!(
            "{ranges} integer format(s) (`int8`, `uint16`, ...) written as their range (Prism \
             draws past it)"
        ));
    }
    notes
}

/// Cuts every `$ref` that closes a cycle, so that Prism, which dereferences
/// the whole document before it listens, can read it (a cycle through many
/// schemas keeps it reading for ever: stoplightio/prism#891, #2563), and so
/// that its generator, which ends a deep recursion with `{}` whatever the
/// schema requires there (Bitbucket's repository → branch → commit →
/// repository), never recurses. The ref of an optional property goes with
/// its property (Prism then never draws it, and the answer stays valid); any
/// other becomes `{}`. Returns how many were cut.
pub fn acyclic(document: &mut Value) -> usize {
    let mut targets = BTreeSet::new();
    collect_refs(document, &mut targets);
    let mut walk = Walk {
        document,
        targets,
        state: BTreeMap::new(),
        cuts: Vec::new(),
    };
    walk.node(String::new());
    let cuts = std::mem::take(&mut walk.cuts);
    for at in &cuts {
        cut(document, at);
    }
    cuts.len()
}

/// Calls `f` on every object of `value` that is not an example (an example
/// is data, whose keys may happen to be `pattern` or `enum`).
fn rewrite(value: &mut Value, f: &mut impl FnMut(&mut Map<String, Value>)) {
    match value {
        Value::Object(map) => {
            f(map);
            for (key, child) in map.iter_mut() {
                if key != "example" && key != "examples" && key != "default" {
                    rewrite(child, f);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| rewrite(item, f)),
        _ => {}
    }
}

/// `pattern` with each lazy quantifier made greedy.
fn greedy(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len());
    let mut i = 0;
    // Whether the last token was a quantifier, so a `?` now is laziness.
    let mut quantified = false;
    let mut in_class = false;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' {
            out.extend(&chars[i..(i + 2).min(chars.len())]);
            i += 2;
            quantified = false;
            continue;
        }
        if in_class {
            in_class = c != ']';
            out.push(c);
            i += 1;
            continue;
        }
        match c {
            '[' => {
                in_class = true;
                out.push(c);
                // `[]...]` and `[^]...]`: a `]` first is a member.
                if chars.get(i + 1) == Some(&'^') {
                    out.push('^');
                    i += 1;
                }
                if chars.get(i + 1) == Some(&']') {
                    out.push(']');
                    i += 1;
                }
                quantified = false;
            }
            '?' if quantified => quantified = false,
            // After `(` a `?` opens a group kind (`(?:`), not a quantifier.
            '?' => {
                quantified = i > 0 && chars[i - 1] != '(';
                out.push(c);
            }
            '*' | '+' => {
                quantified = true;
                out.push(c);
            }
            '{' => match bounds_len(&chars[i..]) {
                Some(len) => {
                    out.extend(&chars[i..i + len]);
                    i += len;
                    quantified = true;
                    continue;
                }
                None => {
                    out.push(c);
                    quantified = false;
                }
            },
            _ => {
                out.push(c);
                quantified = false;
            }
        }
        i += 1;
    }
    out
}

/// The length of `{n}`, `{n,}` or `{n,m}` at the start of `chars`.
fn bounds_len(chars: &[char]) -> Option<usize> {
    let close = chars.iter().position(|c| *c == '}')?;
    let inner: String = chars[1..close].iter().collect();
    let (low, high) = inner.split_once(',').unwrap_or((&inner, "0"));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    (!low.is_empty() && digits(low) && digits(high)).then_some(close + 1)
}

/// Drops the members of `schema`'s `enum` that its `type` rules out; how
/// many.
fn drop_foreign_members(schema: &mut Map<String, Value>) -> usize {
    let types: Vec<&str> = match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => return 0,
    };
    let nullable = schema.get("nullable") == Some(&Value::Bool(true)) || types.contains(&"null");
    let allowed = |v: &Value| match v {
        Value::Null => nullable,
        Value::Bool(_) => types.contains(&"boolean"),
        Value::Number(n) => {
            types.contains(&"number")
                || (types.contains(&"integer")
                    && (n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)))
        }
        Value::String(_) => types.contains(&"string"),
        Value::Array(_) => types.contains(&"array"),
        Value::Object(_) => types.contains(&"object"),
    };
    let Some(Value::Array(members)) = schema.get("enum") else {
        return 0;
    };
    let kept: Vec<Value> = members.iter().filter(|m| allowed(m)).cloned().collect();
    let dropped = members.len() - kept.len();
    // An enum none of whose members fits is left as written: emptying it
    // would say something upstream did not.
    if dropped == 0 || kept.is_empty() {
        return 0;
    }
    schema.insert("enum".into(), Value::Array(kept));
    dropped
}

/// Every local `$ref` target of `value`, as a JSON pointer.
fn collect_refs(value: &Value, into: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get("$ref") {
                if let Some(pointer) = target.strip_prefix('#') {
                    into.insert(pointer.to_string());
                }
            }
            map.values().for_each(|v| collect_refs(v, into));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, into)),
        _ => {}
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Visit {
    Open,
    Done,
}

/// A depth-first walk of the document through its `$ref`s, noting each ref
/// that leads back to a target still open.
struct Walk<'a> {
    document: &'a Value,
    targets: BTreeSet<String>,
    state: BTreeMap<String, Visit>,
    cuts: Vec<String>,
}

impl Walk<'_> {
    fn node(&mut self, at: String) {
        let is_target = self.targets.contains(&at);
        if is_target {
            if self.state.contains_key(&at) {
                return;
            }
            self.state.insert(at.clone(), Visit::Open);
        }
        let Some(value) = self.document.pointer(&at) else {
            return;
        };
        match value {
            Value::Object(map) => {
                if let Some(Value::String(target)) = map.get("$ref") {
                    if let Some(target) = target.strip_prefix('#') {
                        match self.state.get(target) {
                            Some(Visit::Open) => self.cuts.push(at.clone()),
                            Some(Visit::Done) => {}
                            None => self.node(target.to_string()),
                        }
                    }
                }
                let keys: Vec<String> = map.keys().cloned().collect();
                for key in keys {
                    if key != "$ref" {
                        self.node(format!("{at}/{}", escape(&key)));
                    }
                }
            }
            Value::Array(items) => {
                for i in 0..items.len() {
                    self.node(format!("{at}/{i}"));
                }
            }
            _ => {}
        }
        if is_target {
            self.state.insert(at, Visit::Done);
        }
    }
}

// Not `xtask::pointer`: this module is also compiled inside each generated
// workspace's contract-test crate, which has no `xtask` to depend on.
fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Cuts the ref at pointer `at`: its optional property goes, or it becomes
/// `{}`.
fn cut(document: &mut Value, at: &str) {
    let tokens: Vec<&str> = at.split('/').collect();
    // `.../properties/<name>` or `.../properties/<name>/items`.
    let property = match tokens.as_slice() {
        [.., "properties", _] => Some(tokens.len() - 2),
        [.., "properties", _, "items"] => Some(tokens.len() - 3),
        _ => None,
    };
    if let Some(p) = property {
        let owner = tokens[..p].join("/");
        let name = unescape(tokens[p + 1]);
        if let Some(Value::Object(schema)) = document.pointer_mut(&owner) {
            let required = schema
                .get("required")
                .and_then(Value::as_array)
                .is_some_and(|r| r.iter().any(|n| n.as_str() == Some(name.as_str())));
            let closed = schema.get("additionalProperties") == Some(&Value::Bool(false));
            if !required && !closed {
                if let Some(Value::Object(properties)) = schema.get_mut("properties") {
                    properties.remove(&name);
                    return;
                }
            }
        }
    }
    if let Some(slot) = document.pointer_mut(at) {
        *slot = Value::Object(Map::new());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lazy_quantifiers_become_greedy_and_nothing_else_changes() {
        assert_eq!(greedy("[0-9a-f]{7,}?"), "[0-9a-f]{7,}");
        assert_eq!(greedy("^a*?b+?c??d{2}?$"), "^a*b+c?d{2}$");
        // Not quantifiers: escapes, classes, group kinds, a literal brace.
        for same in [
            r"a\??",
            "[?*]?",
            "(?:ab)?",
            "x{a}?",
            r#"^"([0-9]+)"$"#,
            "[]?]",
        ] {
            assert_eq!(greedy(same), same);
        }
    }

    #[test]
    fn enum_members_outside_the_type_go_unless_nullable() {
        let mut doc = json!({"a": {"type": "string", "enum": ["x", null]},
            "b": {"type": "string", "nullable": true, "enum": ["x", null]},
            "c": {"type": "integer", "enum": [1, 2.5, "3"]},
            "example": {"type": "string", "enum": [null, "y"]}});
        let notes = equivalent(&mut doc);
        assert_eq!(doc["a"]["enum"], json!(["x"]));
        assert_eq!(doc["b"]["enum"], json!(["x", null]));
        assert_eq!(doc["c"]["enum"], json!([1]));
        assert_eq!(doc["example"]["enum"], json!([null, "y"]));
        assert_eq!(notes.len(), 1, "{notes:?}");
    }

    #[test]
    fn a_cycle_is_cut_at_an_optional_property_or_to_any() {
        let mut doc = json!({"components": {"schemas": {
            "A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B"}}},
            "B": {"type": "object", "required": ["a"], "properties": {
                "a": {"$ref": "#/components/schemas/A"},
                "many": {"type": "array", "items": {"$ref": "#/components/schemas/B"}}}},
            "C": {"allOf": [{"$ref": "#/components/schemas/C"}]}
        }}});
        assert_eq!(acyclic(&mut doc), 3);
        let schemas = &doc["components"]["schemas"];
        // Entered at A: B's required `a` closes the cycle and becomes `{}`,
        // B's optional `many` goes; C's self-reference becomes `{}`.
        assert_eq!(schemas["B"]["properties"]["a"], json!({}));
        assert!(schemas["B"]["properties"].get("many").is_none());
        assert_eq!(
            schemas["A"]["properties"]["b"]["$ref"],
            "#/components/schemas/B"
        );
        assert_eq!(schemas["C"]["allOf"][0], json!({}));
        let mut again = doc.clone();
        assert_eq!(acyclic(&mut again), 0);
    }
}
