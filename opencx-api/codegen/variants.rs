//! Enum variants named by us where typify cannot name them.
//!
//! typify names a string enum's variants after its values in PascalCase; when
//! two values give one name (`item-total` and `item_total`, `count` and
//! `__count__`), it tries once more with punctuation as `X`, and then panics
//! ("Failed to make unique variant names", typify-impl 0.8
//! `type_entry.rs`; no upstream report yet), which leaves out the operation
//! and everything using the enum. Before progenitor runs, each later value
//! of such a name is given a stand-in that names a variant of its own
//! (`item_total` → `ItemTotal2`, `stand_ins.rs`); after it, every string
//! of the generated code that holds one gets the real value back, so the
//! wire and the text are upstream's.

use std::collections::BTreeSet;

use serde_json::Value;
use unicode_ident::is_xid_continue;

use super::names::type_name;

/// Whether typify names every value apart, as it tries: as written, then
/// with `_` and other punctuation as `X`.
fn typify_names_apart(values: &[&str]) -> bool {
    let apart = |names: Vec<String>| names.iter().collect::<BTreeSet<_>>().len() == names.len();
    apart(values.iter().map(|v| type_name(v)).collect())
        || apart(
            values
                .iter()
                .map(|v| type_name(&v.replace(|c: char| c == '_' || !is_xid_continue(c), "X")))
                .collect(),
        )
}

/// Gives the later values of every string enum in `doc` that typify cannot
/// name apart a stand-in. Returns how many values it replaced.
pub fn name_apart(doc: &mut Value) -> usize {
    match doc {
        Value::Object(map) => {
            let mut replaced = 0;
            if let Some(Value::Array(values)) = map.get_mut("enum") {
                replaced += stand_ins(values);
            }
            for (key, child) in map.iter_mut() {
                // Examples and defaults are values, not schemas.
                if !matches!(key.as_str(), "enum" | "example" | "examples" | "default") {
                    replaced += name_apart(child);
                }
            }
            replaced
        }
        Value::Array(items) => items.iter_mut().map(name_apart).sum(),
        _ => 0,
    }
}

fn stand_ins(values: &mut Vec<Value>) -> usize {
    // A value listed twice is one value (regen reports it; this keeps the
    // build script's input as sound).
    let mut seen: Vec<Value> = Vec::new();
    values.retain(|v| {
        let first = !seen.contains(v);
        seen.push(v.clone());
        first
    });
    let Some(strings) = values
        .iter()
        .map(Value::as_str)
        .collect::<Option<Vec<&str>>>()
    else {
        return 0;
    };
    if typify_names_apart(&strings) {
        return 0;
    }
    let strings: Vec<String> = strings.into_iter().map(String::from).collect();
    let mut taken: BTreeSet<String> = BTreeSet::new();
    let mut replaced = 0;
    for (value, slot) in strings.iter().zip(values.iter_mut()) {
        if taken.insert(type_name(value)) {
            continue;
        }
        let stand_in = (2..)
            .map(|n| super::stand_ins::stand_in(value, n))
            .find(|candidate| !taken.contains(&type_name(candidate)))
            .expect("some number is free");
        taken.insert(type_name(&stand_in));
        *slot = Value::String(stand_in);
        replaced += 1;
    }
    replaced
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn values_typify_cannot_name_apart_get_stand_ins_and_keep_their_text() {
        let mut doc = json!({"schema": {"type": "string",
            "enum": ["count", "__count__", "item-total", "item_total"],
            "example": "count"}});
        assert_eq!(name_apart(&mut doc), 2);
        let values: Vec<String> = doc["schema"]["enum"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| type_name(v.as_str().unwrap()))
            .collect();
        assert_eq!(values, ["Count", "Count2", "ItemTotal", "ItemTotal2"]);
        let stand_in = doc["schema"]["enum"][3].as_str().unwrap().to_string();
        let mut file: syn::File = syn::parse_str(&format!(
            "#[doc = {doc:?}] enum E {{ #[serde(rename = {stand_in:?})] ItemTotal2 }} \
             fn f() -> &'static str {{ {stand_in:?} }}",
            doc = format!("\"enum\": [\"item_total\\u0001{}\"]", 2),
        ))
        .unwrap();
        super::super::stand_ins::restore(&mut file);
        let text = quote::quote!(#file).to_string();
        assert!(text.contains(r#"rename = "item_total""#), "{text}");
        assert!(text.contains(r#"{ "item_total" }"#), "{text}");
        assert!(text.contains(r#"\"enum\": [\"item_total\"]"#), "{text}");
        assert!(!text.contains("u0001") && !text.contains("u{1}"), "{text}");
    }

    #[test]
    fn enums_typify_names_apart_are_left_alone() {
        // `a_b` and `aB` collide as written, not with punctuation as `X`.
        let mut doc = json!({"enum": ["a_b", "aB", "plain"]});
        let before = doc.clone();
        assert_eq!(name_apart(&mut doc), 0);
        assert_eq!(doc, before);
    }
}
