//! Which operations the runtime may send again like a `GET` although their
//! method is not idempotent: those the document marks `x-idempotent: true`
//! (an extension of ours, set in `specs/overlay.yaml` with its reason, e.g.
//! a `POST` that carries a search in its body and only reads). The client
//! gains `Client::IDEMPOTENT_OPERATIONS`, their method names (what
//! progenitor's `OperationInfo` carries to the hooks), so the retry classes
//! come from the document rather than a list kept by hand in the runtime.

use std::collections::BTreeMap;

use syn::parse_quote;

use super::responses::Plan;

/// The extension's name.
pub const EXTENSION: &str = "x-idempotent";

/// The method names of the operations `doc` marks `x-idempotent: true`, in
/// the plans' order; a value that is not a boolean is an error naming the
/// operation and its JSON pointer.
pub fn operations(
    doc: &serde_json::Value,
    plans: &BTreeMap<String, Plan>,
) -> Result<Vec<String>, String> {
    let mut marked = Vec::new();
    for plan in plans.values() {
        let method = plan.method.to_ascii_lowercase();
        let value = &doc["paths"][&plan.path][&method][EXTENSION];
        match value {
            serde_json::Value::Null | serde_json::Value::Bool(false) => {}
            serde_json::Value::Bool(true) => marked.push(plan.method_name.clone()),
            other => {
                let pointer = format!(
                    "/paths/{}/{method}/{EXTENSION}",
                    plan.path.replace('~', "~0").replace('/', "~1")
                );
                return Err(format!(
                    "operation `{}`: `{pointer}` must be true or false, not {other}",
                    plan.operation_id
                ));
            }
        }
    }
    Ok(marked)
}

/// Adds `impl Client { pub(crate) const IDEMPOTENT_OPERATIONS }` to the client.
pub fn apply(file: &mut syn::File, operations: &[String]) {
    let doc = format!(
        " Operations the document marks `{EXTENSION}: true`: retried like a `GET` \
         after a failure that may have reached the server (the runtime's hooks read it)."
    );
    file.items.push(parse_quote! {
        impl Client {
            #[doc = #doc]
            pub(crate) const IDEMPOTENT_OPERATIONS: &'static [&'static str] = &[#(#operations),*];
        }
    });
}

#[cfg(test)]
mod tests {
    use super::super::responses::prepare;
    use super::*;

    fn doc(extension: serde_json::Value) -> serde_json::Value {
        let answer = serde_json::json!({"200": {"description": "ok"}});
        serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {
                "/search": {"post": {"operationId": "search", EXTENSION: extension, "responses": answer}},
                "/things": {"post": {"operationId": "createThing", "responses": answer}},
            }
        })
    }

    #[test]
    fn only_operations_marked_true_are_listed() {
        let marked = doc(serde_json::json!(true));
        assert_eq!(
            operations(&marked, &prepare(&marked).plans).unwrap(),
            ["search"]
        );
        let unmarked = doc(serde_json::json!(false));
        assert!(operations(&unmarked, &prepare(&unmarked).plans)
            .unwrap()
            .is_empty());
    }

    #[test]
    fn a_value_that_is_not_a_boolean_names_the_operation_and_its_pointer() {
        let bad = doc(serde_json::json!("yes"));
        let error = operations(&bad, &prepare(&bad).plans).unwrap_err();
        assert_eq!(
            error,
            "operation `search`: `/paths/~1search/post/x-idempotent` must be true or false, not \"yes\""
        );
    }
}
