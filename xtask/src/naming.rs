//! Operations without an `operationId` get one derived from their method and
//! path ([`crate::operation_id::derive`]), so progenitor can name their method.
//! An operationId whose method name the client has already (`new`, or
//! `get_thing` for both `getThing` and `get_thing`: progenitor compares the
//! ids as written, not the methods it makes of them) gets a free one.
//!
//! The overlay runs first, so a patch that sets `operationId` overrides the
//! derived name; each derived id is listed in the conversion report.

use std::collections::BTreeMap;

use anyhow::{bail, Result};
use serde_json::{json, Value};

use crate::codegen::names::{progenitor_name, Case};
use crate::operation_id::derive;
use crate::operations::operations;
use crate::pointer::join;
use crate::report::DerivedId;

/// Gives every operation of `doc` without an operationId a derived one.
/// A derived id equal to an existing one is an error naming both operations.
pub fn name_operations(doc: &mut Value) -> Result<Vec<DerivedId>> {
    let mut taken: BTreeMap<String, String> = BTreeMap::new();
    let mut missing = Vec::new();
    for (path, method, operation) in operations(doc) {
        let name = format!("{} {path}", method.to_uppercase());
        match operation.get("operationId").and_then(Value::as_str) {
            Some(id) => {
                taken.insert(id.to_string(), name);
            }
            None => missing.push((path, method, name)),
        }
    }
    let mut derived = Vec::new();
    for (path, method, name) in missing {
        let id = derive(&method, &path);
        if let Some(other) = taken.get(&id) {
            bail!(
                "{name} has no operationId and the one derived for it, {id:?}, is already {other}'s; \
                 set one in specs/overlay.yaml:\n  - at: {}\n    why: upstream gives none\n    set: <a name>",
                join(&join(&join("/paths", &path), &method), "operationId")
            );
        }
        doc["paths"][&path][&method]["operationId"] = json!(id);
        taken.insert(id.clone(), name.clone());
        derived.push(DerivedId {
            operation: name,
            operation_id: id,
            why: "upstream gives none".into(),
        });
    }
    derived.extend(unique_methods(doc));
    Ok(derived)
}

/// Methods of `Client` that are not operations: progenitor's (`new`,
/// `new_with_client`, `api_version`; `baseurl`, `client` and `inner` of its
/// `ClientInfo`, which an inherent method of the same name would shadow) and
/// the crate's (`builder`, `with_bearer_token`, `from_env` in
/// `opencx-api/src/config.rs`; `baseurl`, `rate_limit`, `requests_sent` in
/// `opencx-api/src/runtime/state.rs`). A test checks the list against the
/// generated client and every hand-written `impl Client`.
pub const CLIENT_METHODS: &[&str] = &[
    "new",
    "new_with_client",
    "api_version",
    "baseurl",
    "client",
    "inner",
    "builder",
    "with_bearer_token",
    "from_env",
    "rate_limit",
    "requests_sent",
    "security",
    "security_schemes",
];

/// Gives each operation whose method name is taken (by `Client` itself, or
/// by an earlier operation) an operationId whose method is free:
/// `new_operation`, `get_thing_2`.
fn unique_methods(doc: &mut Value) -> Vec<DerivedId> {
    let mut methods: BTreeMap<String, String> = BTreeMap::new();
    let mut derived = Vec::new();
    for (path, method, operation) in operations(doc) {
        let Some(id) = operation.get("operationId").and_then(Value::as_str) else {
            continue;
        };
        let name = format!("{} {path}", method.to_uppercase());
        let wanted = progenitor_name(id, Case::Snake);
        let why = if CLIENT_METHODS.contains(&wanted.as_str()) {
            format!("`{wanted}` is a method of `Client` itself")
        } else if let Some(other) = methods.get(&wanted) {
            format!("`{wanted}` is already the method of {other}")
        } else {
            methods.insert(wanted, name);
            continue;
        };
        let stem = if CLIENT_METHODS.contains(&wanted.as_str()) {
            format!("{id}_operation")
        } else {
            id.to_string()
        };
        let free = |candidate: &str| {
            let method = progenitor_name(candidate, Case::Snake);
            !CLIENT_METHODS.contains(&method.as_str()) && !methods.contains_key(&method)
        };
        let new = std::iter::once(stem.clone())
            .chain((2..).map(|n| format!("{stem}_{n}")))
            .find(|c| free(c))
            .expect("some number is free");
        methods.insert(progenitor_name(&new, Case::Snake), name.clone());
        doc["paths"][&path][&method]["operationId"] = json!(new);
        derived.push(DerivedId {
            operation: name,
            operation_id: new,
            why,
        });
    }
    derived
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_operation_named_like_a_client_method_or_another_operation_gets_a_free_id() {
        let mut doc = json!({"paths": {
            "/n": {"get": {"operationId": "new", "responses": {}}},
            "/a": {"get": {"operationId": "getThing", "responses": {}}},
            "/b": {"get": {"operationId": "get_thing", "responses": {}}}
        }});
        let derived = name_operations(&mut doc).unwrap();
        assert_eq!(doc["paths"]["/n"]["get"]["operationId"], "new_operation");
        assert_eq!(doc["paths"]["/a"]["get"]["operationId"], "getThing");
        assert_eq!(doc["paths"]["/b"]["get"]["operationId"], "get_thing_2");
        let whys: Vec<&str> = derived.iter().map(|d| d.why.as_str()).collect();
        assert_eq!(
            whys,
            [
                "`new` is a method of `Client` itself",
                "`get_thing` is already the method of GET /a"
            ]
        );
    }

    #[test]
    fn the_client_methods_are_the_generated_and_the_runtime_ones() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .unwrap();
        fn sources(dir: &std::path::Path, into: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    sources(&path, into);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    into.push(std::fs::read_to_string(path).unwrap());
                }
            }
        }
        let mut all =
            vec![std::fs::read_to_string(root.join("opencx-api/generated/client.rs")).unwrap()];
        sources(&root.join("opencx-api/src"), &mut all);
        let mut found = Vec::new();
        for source in all {
            let file = syn::parse_file(&source).unwrap();
            for item in file.items {
                let syn::Item::Impl(imp) = item else { continue };
                let ty = &imp.self_ty;
                let is_client = quote::quote!(#ty).to_string() == "Client";
                // Inherent methods, and `ClientInfo`'s, which they would shadow.
                let trait_name = imp
                    .trait_
                    .as_ref()
                    .map(|(_, p, _)| quote::quote!(#p).to_string());
                if !is_client || trait_name.is_some_and(|t| !t.contains("ClientInfo")) {
                    continue;
                }
                for f in imp.items {
                    if let syn::ImplItem::Fn(f) = f {
                        let name = f.sig.ident.to_string();
                        // Operations are methods too; they return builders.
                        let ret = &f.sig.output;
                        if !quote::quote!(#ret).to_string().contains("builder ::") {
                            found.push(name);
                        }
                    }
                }
            }
        }
        for name in &found {
            assert!(
                CLIENT_METHODS.contains(&name.as_str()),
                "`{name}` is missing from CLIENT_METHODS"
            );
        }
    }

    #[test]
    fn fills_in_missing_ids_and_keeps_given_ones() {
        let mut doc = json!({"paths": {
            "/chat/sessions/search": {"get": {"responses": {}}},
            "/a": {"post": {"operationId": "makeA", "responses": {}}}
        }});
        let derived = name_operations(&mut doc).unwrap();
        assert_eq!(
            doc["paths"]["/chat/sessions/search"]["get"]["operationId"],
            "get_chat_sessions_search"
        );
        assert_eq!(doc["paths"]["/a"]["post"]["operationId"], "makeA");
        assert_eq!(
            derived,
            [DerivedId {
                operation: "GET /chat/sessions/search".into(),
                operation_id: "get_chat_sessions_search".into(),
                why: "upstream gives none".into(),
            }]
        );
    }

    #[test]
    fn a_derived_id_that_collides_names_both_operations() {
        let mut doc = json!({"paths": {
            "/a": {"get": {"responses": {}}},
            "/b": {"get": {"operationId": "get_a", "responses": {}}}
        }});
        let err = name_operations(&mut doc).unwrap_err().to_string();
        assert!(err.contains("GET /a has no operationId"), "{err}");
        assert!(err.contains("already GET /b's"), "{err}");
        assert!(err.contains("/paths/~1a/get/operationId"), "{err}");
    }
}
