//! Every operation accounted for: the last check of a regen.
//!
//! Each operation of the vendored documents (a path item's `$ref` followed,
//! [`crate::operations::listed`]) is either in the generated client, which
//! is known from the code itself (every generated `send()` names its method
//! and path template in a `runtime::call::Operation`), or in the report's
//! left-out list with the vendored file, the pointer and the reason. One
//! that is neither was dropped by the pipeline without a word: regen fails
//! naming it, so a silent drop never ships.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{bail, Context, Result};
use syn::visit::Visit;

use crate::operations::listed;
use crate::report::Report;

/// How the vendored operations ended up.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Account {
    /// Every operation of the vendored documents, as `METHOD /path`.
    pub total: usize,
    /// Those the generated client has.
    pub generated: usize,
    /// Those left out, each with its reason in the report.
    pub left_out: usize,
}

/// The operations `client_rs` sends, as `METHOD /path`: the method and path
/// template of every `Operation { method, path, .. }` its `send()`s pass to
/// the runtime.
pub fn generated_operations(client_rs: &str) -> Result<BTreeSet<String>> {
    let file = syn::parse_file(client_rs).context("parsing the generated client")?;
    Ok(operations_in(&file))
}

/// [`generated_operations`] of a client already parsed (regen parses it
/// once for every check that reads it).
pub fn operations_in(client: &syn::File) -> BTreeSet<String> {
    let mut found = Found::default();
    found.visit_file(client);
    found.0
}

#[derive(Default)]
struct Found(BTreeSet<String>);

impl<'ast> Visit<'ast> for Found {
    fn visit_expr_struct(&mut self, expr: &'ast syn::ExprStruct) {
        if expr
            .path
            .segments
            .last()
            .is_some_and(|s| s.ident == "Operation")
        {
            let field = |name: &str| {
                expr.fields.iter().find_map(|f| match (&f.member, &f.expr) {
                    (
                        syn::Member::Named(ident),
                        syn::Expr::Lit(syn::ExprLit {
                            lit: syn::Lit::Str(text),
                            ..
                        }),
                    ) if ident == name => Some(text.value()),
                    _ => None,
                })
            };
            if let (Some(method), Some(path)) = (field("method"), field("path")) {
                self.0.insert(format!("{method} {path}"));
            }
        }
        syn::visit::visit_expr_struct(self, expr);
    }
}

/// Checks that every operation of `upstream` (the merged vendored documents)
/// is in `client` (the generated client, parsed) or in `report`'s left-out list. `describe` turns a
/// pointer into `file#pointer`.
///
/// # Errors
/// - Nothing is generated: every operation is listed with why it was left
///   out, so a maintainer sees the reasons, not only "no operations".
/// - An operation is neither generated nor reported left out, or is both: an
///   internal error of the pipeline, naming each such operation.
pub fn check(
    upstream: &serde_json::Value,
    client: &syn::File,
    report: &Report,
    describe: &dyn Fn(&str) -> String,
) -> Result<Account> {
    let generated = operations_in(client);
    let left_out: BTreeMap<&str, _> = report
        .left_out
        .iter()
        .map(|l| (l.operation.as_str(), l))
        .collect();
    let operations = listed(upstream);
    let mut account = Account {
        total: operations.len(),
        ..Account::default()
    };
    let mut unaccounted = Vec::new();
    for operation in &operations {
        let name = operation.name();
        match (
            generated.contains(&name),
            left_out.contains_key(name.as_str()),
        ) {
            (true, false) => account.generated += 1,
            (false, true) => account.left_out += 1,
            (true, true) => unaccounted.push(format!(
                "{}: {name} is in the generated client and also reported left out",
                describe(&operation.pointer)
            )),
            (false, false) => unaccounted.push(format!(
                "{}: {name} is neither in the generated client nor reported left out",
                describe(&operation.pointer)
            )),
        }
    }
    let known: BTreeSet<String> = operations.iter().map(|o| o.name()).collect();
    for extra in generated.difference(&known) {
        unaccounted.push(format!(
            "{extra} is in the generated client but in no vendored document"
        ));
    }
    if !unaccounted.is_empty() {
        bail!(
            "internal error: the pipeline lost track of {} operation(s); this is a bug in \
             xtask, please report it with the vendored documents:\n  {}",
            unaccounted.len(),
            unaccounted.join("\n  ")
        );
    }
    if account.generated == 0 && account.total > 0 {
        let reasons: Vec<String> = operations
            .iter()
            .filter_map(|o| left_out.get(o.name().as_str()))
            .map(|l| {
                format!(
                    "{}: {} ({}): {}",
                    describe(&l.pointer),
                    l.operation,
                    l.operation_id,
                    l.reason
                )
            })
            .collect();
        bail!(
            "nothing is left to generate: every operation of the vendored documents is left \
             out of the client:\n  {}",
            reasons.join("\n  ")
        );
    }
    Ok(account)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::report::LeftOut;

    fn upstream() -> serde_json::Value {
        json!({"paths": {
            "/a": {"get": {"operationId": "getA"}},
            "/b": {"$ref": "#/components/pathItems/B"}
        }, "components": {"pathItems": {"B": {"post": {"operationId": "postB"}}}}})
    }

    const CLIENT: &str = r#"
        fn send() { call(&crate::runtime::call::Operation { name: "get_a", id: "getA", method: "GET", path: "/a", documented: &[] }); }
    "#;

    fn left_out(operation: &str) -> LeftOut {
        LeftOut {
            operation: operation.into(),
            operation_id: "postB".into(),
            pointer: "/components/pathItems/B/post".into(),
            reason: "its request body is application/xml".into(),
            hand_written: None,
        }
    }

    fn describe(pointer: &str) -> String {
        format!("specs/api.yaml#{pointer}")
    }

    #[test]
    fn every_operation_generated_or_left_out_is_accounted_for() {
        let mut report = Report::default();
        report.left_out.insert(left_out("POST /b"));
        let account = check(
            &upstream(),
            &syn::parse_file(CLIENT).unwrap(),
            &report,
            &describe,
        )
        .unwrap();
        assert_eq!(
            account,
            Account {
                total: 2,
                generated: 1,
                left_out: 1
            }
        );
    }

    #[test]
    fn an_operation_dropped_without_a_word_is_an_internal_error_naming_it() {
        let err = check(
            &upstream(),
            &syn::parse_file(CLIENT).unwrap(),
            &Report::default(),
            &describe,
        )
        .unwrap_err()
        .to_string();
        assert!(err.starts_with("internal error"), "{err}");
        assert!(
            err.contains(
                "specs/api.yaml#/components/pathItems/B/post: POST /b is neither in the generated \
                 client nor reported left out"
            ),
            "{err}"
        );
    }

    #[test]
    fn nothing_left_to_generate_lists_each_operation_and_why() {
        let mut report = Report::default();
        report.left_out.insert(left_out("POST /b"));
        let mut first = left_out("GET /a");
        first.operation_id = "getA".into();
        first.pointer = "/paths/~1a/get".into();
        first.reason = "its request body is multipart/mixed".into();
        report.left_out.insert(first);
        let err = check(
            &upstream(),
            &syn::parse_file("fn main() {}").unwrap(),
            &report,
            &describe,
        )
        .unwrap_err()
        .to_string();
        assert!(err.starts_with("nothing is left to generate"), "{err}");
        assert!(
            err.contains(
                "specs/api.yaml#/paths/~1a/get: GET /a (getA): its request body is multipart/mixed"
            ),
            "{err}"
        );
        assert!(err.contains("POST /b (postB): its request body is application/xml"));
    }
}
