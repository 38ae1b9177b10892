//! Operations without an `operationId` get one derived from their method and
//! path ([`crate::operation_id::derive`]), so progenitor can name their method.
//! An operationId whose method name the client has already (`new`, or
//! `get_thing` for both `getThing` and `get_thing`: progenitor compares the
//! ids as written, not the methods it makes of them), or that names
//! something the generated code lives beside (the hooks `send()` calls on
//! the client, the builder module's imports, httpmock's `MockServer`
//! methods), gets a free one.
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

/// Methods the generated `send()` calls on its `&Client` that an inherent
/// method of the same name would hide: progenitor-client's `ClientHooks`
/// (`client.pre(&mut request, &info)`, `client.exec(..)`,
/// `client.post(&result, &info)` in every builder's `send()`), which the
/// runtime implements in `opencx-api/src/runtime/hooks.rs`. An operation
/// `POST /` without an operationId derives `post`, and then no `send()` of
/// the client compiled (`error[E0061]: this method takes 0 arguments but 2
/// arguments were supplied`; no upstream report yet). A test checks the list
/// against the calls on `client` in the generated builders.
pub const HOOK_METHODS: &[&str] = &["pre", "exec", "post"];

/// Types and traits progenitor's `builder` module imports (`use super::{
/// ByteStream, ClientInfo, ClientHooks, Error, OperationInfo,
/// RequestBuilderExt, ResponseValue}`, beside the function `encode_path`,
/// which no struct name can clash with): an operation's builder struct is
/// its operationId in PascalCase, and one named like an import does not
/// compile (`error[E0255]: the name `Error` is defined multiple times` for
/// an operation `error`). A test checks the list against the generated
/// module.
pub const BUILDER_IMPORTS: &[&str] = &[
    "ByteStream",
    "ClientInfo",
    "ClientHooks",
    "Error",
    "OperationInfo",
    "RequestBuilderExt",
    "ResponseValue",
];

/// Methods of httpmock's `MockServer` (0.8) that take `&self`: the typed
/// mocks add a method per operation to `MockServer` through the
/// `MockServerExt` trait, and an inherent method of the same name wins, so
/// `server.reset(|when, then| ..)` would call httpmock's `reset` and not
/// compile (the generated trait itself still compiles: its
/// `self.mock(..)` is httpmock's).
pub const MOCK_SERVER_METHODS: &[&str] = &[
    "host",
    "port",
    "address",
    "url",
    "base_url",
    "mock",
    "mock_async",
    "reset",
    "reset_async",
    "forward_to",
    "forward_to_async",
    "proxy",
    "proxy_async",
    "record",
    "record_async",
    "playback",
    "playback_async",
    "playback_from_yaml",
    "playback_from_yaml_async",
];

/// Why the operationId `id`, whose method is `method`, cannot name an
/// operation whatever the other operations are called: the names it lives
/// beside (the `Client`'s methods, the hooks `send()` calls on the client,
/// the builder module's imports, `MockServer`'s methods).
fn reserved(id: &str, method: &str) -> Option<String> {
    if CLIENT_METHODS.contains(&method) {
        return Some(format!("`{method}` is a method of `Client` itself"));
    }
    if HOOK_METHODS.contains(&method) {
        return Some(format!(
            "`{method}` is the hook every `send()` calls on `Client` (progenitor-client's \
             `ClientHooks::{method}`), which a method of that name would hide"
        ));
    }
    let builder = progenitor_name(id, Case::Pascal);
    if BUILDER_IMPORTS.contains(&builder.as_str()) {
        return Some(format!(
            "its builder would be `builder::{builder}`, a name the `builder` module imports from \
             progenitor-client"
        ));
    }
    if MOCK_SERVER_METHODS.contains(&method) {
        return Some(format!(
            "`{method}` is a method of httpmock's `MockServer`, which would hide the typed mock \
             `MockServerExt::{method}`"
        ));
    }
    None
}

/// Gives each operation whose method name is taken (by `Client` itself, a
/// name it lives beside, or an earlier operation) an operationId whose
/// method is free: `new_operation`, `post_operation`, `get_thing_2`.
fn unique_methods(doc: &mut Value) -> Vec<DerivedId> {
    let mut methods: BTreeMap<String, String> = BTreeMap::new();
    let mut derived = Vec::new();
    for (path, method, operation) in operations(doc) {
        let Some(id) = operation.get("operationId").and_then(Value::as_str) else {
            continue;
        };
        let name = format!("{} {path}", method.to_uppercase());
        let wanted = progenitor_name(id, Case::Snake);
        let taken_by_name = reserved(id, &wanted);
        let why = if let Some(why) = &taken_by_name {
            why.clone()
        } else if let Some(other) = methods.get(&wanted) {
            format!("`{wanted}` is already the method of {other}")
        } else {
            methods.insert(wanted, name);
            continue;
        };
        let stem = if taken_by_name.is_some() {
            format!("{id}_operation")
        } else {
            id.to_string()
        };
        let free = |candidate: &str| {
            let method = progenitor_name(candidate, Case::Snake);
            reserved(candidate, &method).is_none() && !methods.contains_key(&method)
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

    #[test]
    fn operations_on_the_root_get_ids_free_of_the_hooks_send_calls() {
        let mut doc = json!({"paths": {"/": {
            "get": {"responses": {}},
            "put": {"responses": {}},
            "post": {"responses": {}},
            "delete": {"responses": {}},
            "options": {"responses": {}},
            "head": {"responses": {}},
            "patch": {"responses": {}}
        }}});
        let derived = name_operations(&mut doc).unwrap();
        let ids: Vec<&str> = ["get", "put", "post", "delete", "options", "head", "patch"]
            .iter()
            .map(|m| doc["paths"]["/"][m]["operationId"].as_str().unwrap())
            .collect();
        assert_eq!(
            ids,
            [
                "get",
                "put",
                "post_operation",
                "delete",
                "options",
                "head",
                "patch"
            ]
        );
        let renamed = derived.last().unwrap();
        assert_eq!(renamed.operation, "POST /");
        assert_eq!(
            renamed.why,
            "`post` is the hook every `send()` calls on `Client` (progenitor-client's \
             `ClientHooks::post`), which a method of that name would hide"
        );
    }

    #[test]
    fn ids_named_like_a_hook_a_builder_import_or_a_mock_server_method_get_free_ones() {
        let mut doc = json!({"paths": {
            "/a": {"get": {"operationId": "exec", "responses": {}}},
            "/b": {"get": {"operationId": "error", "responses": {}}},
            "/c": {"get": {"operationId": "responseValue", "responses": {}}},
            "/d": {"get": {"operationId": "reset", "responses": {}}},
            "/e": {"get": {"operationId": "error_operation", "responses": {}}},
            "/f": {"get": {"operationId": "errors", "responses": {}}}
        }});
        let derived = name_operations(&mut doc).unwrap();
        let id = |path: &str| doc["paths"][path]["get"]["operationId"].as_str().unwrap();
        assert_eq!(id("/a"), "exec_operation");
        assert_eq!(id("/b"), "error_operation");
        assert_eq!(id("/c"), "responseValue_operation");
        assert_eq!(id("/d"), "reset_operation");
        // The later one of a name taken by a renamed one moves on.
        assert_eq!(id("/e"), "error_operation_2");
        assert_eq!(id("/f"), "errors");
        let whys: Vec<&str> = derived.iter().map(|d| d.why.as_str()).collect();
        assert!(whys[1].contains("`builder::Error`, a name the `builder` module imports"));
        assert!(whys[3].contains("method of httpmock's `MockServer`"));
    }

    #[test]
    fn the_hooks_and_builder_imports_are_what_the_generated_client_uses() {
        use syn::visit::Visit;
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .unwrap();
        let source = std::fs::read_to_string(root.join("opencx-api/generated/client.rs")).unwrap();
        let file = syn::parse_file(&source).unwrap();
        let builder = file
            .items
            .iter()
            .find_map(|item| match item {
                syn::Item::Mod(m) if m.ident == "builder" => m.content.as_ref(),
                _ => None,
            })
            .expect("the builder module");
        // Methods called on the `client` local of every `send()`.
        struct Calls(std::collections::BTreeSet<String>);
        impl<'ast> Visit<'ast> for Calls {
            fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
                if matches!(&*call.receiver, syn::Expr::Path(p) if p.path.is_ident("client")) {
                    self.0.insert(call.method.to_string());
                }
                syn::visit::visit_expr_method_call(self, call);
            }
        }
        let mut calls = Calls(Default::default());
        let mut imports = Vec::new();
        for item in &builder.1 {
            calls.visit_item(item);
            if let syn::Item::Use(used) = item {
                let text = quote::quote!(#used).to_string();
                for name in text.split(|c: char| !c.is_alphanumeric() && c != '_') {
                    if name.starts_with(char::is_uppercase) {
                        imports.push(name.to_string());
                    }
                }
            }
        }
        let calls: Vec<&str> = calls.0.iter().map(String::as_str).collect();
        assert_eq!(calls, ["exec", "post", "pre"]);
        for call in calls {
            assert!(
                HOOK_METHODS.contains(&call),
                "`{call}` is missing from HOOK_METHODS"
            );
        }
        imports.sort();
        let mut listed = BUILDER_IMPORTS.to_vec();
        listed.sort();
        assert_eq!(imports, listed);
    }
}
