//! Rewrites of progenitor's httpmock helpers (syn AST, never hand edits) so a
//! mock set up with them matches the request the client really sends.
//!
//! - A query value is compared in its serde form, which is what the client's
//!   query encoding sends: a timestamp as RFC 3339, not `Display`'s
//!   "2024-05-01 00:00:00 UTC".
//! - A path parameter takes whatever its builder method takes (`&str`,
//!   `String`, the newtype), and is matched percent-encoded, as sent, and
//!   literally, so `.` or `+` in an id are not regex syntax.
//! - An optional nullable string (`T: Into<Option<Option<&str>>>`, where
//!   progenitor names the lifetime only of a type that starts with `&`)
//!   gets the lifetime it needs: without it the mocks did not compile
//!   (`error[E0637]`; no upstream report yet).

use syn::punctuated::Punctuated;
use syn::visit_mut::VisitMut;
use syn::{parse_quote, Expr, FnArg, ImplItem, Item, Pat, Token, Type};

/// Applies the rewrites to the `operations` module of the generated mocks.
pub fn apply(file: &mut syn::File) -> Result<(), String> {
    let items = file
        .items
        .iter_mut()
        .find_map(|item| match item {
            Item::Mod(m) if m.ident == "operations" => m.content.as_mut().map(|(_, items)| items),
            _ => None,
        })
        .ok_or_else(|| "the generated mocks have no `operations` module".to_string())?;
    let mut queries = QueryValues(0);
    for item in items.iter_mut() {
        let Item::Impl(imp) = item else { continue };
        for impl_item in imp.items.iter_mut() {
            let ImplItem::Fn(f) = impl_item else { continue };
            queries.visit_impl_item_fn_mut(f);
            accept_builder_input(f)?;
            name_elided_lifetimes(f);
        }
    }
    // An API without query or path parameters has nothing to rewrite; that the
    // rewrites still find progenitor's helpers is pinned by the typed-mock
    // tests against the real API.
    items.push(parse_quote! {
        /// The text the client sends for a query value: its serde form, which
        /// the client's query encoding uses (a timestamp is RFC 3339).
        fn query_value<T: ::serde::Serialize + ?Sized>(value: &T) -> ::std::string::String {
            match ::serde_json::to_value(value) {
                Ok(::serde_json::Value::String(text)) => text,
                Ok(other) => other.to_string(),
                Err(error) => panic!("a query value the client could not send either: {error}"),
            }
        }
    });
    items.push(parse_quote! {
        /// A path segment as the client sends it (percent-encoded), as a
        /// regex that matches it literally.
        fn path_value(segment: ::std::string::String) -> ::std::string::String {
            ::regex::escape(&crate::runtime::path_segment::encode_path_segment(&segment))
        }
    });
    Ok(())
}

/// Gives every `&` in `f`'s where clause that names no lifetime the
/// lifetime `'a`, declared on `f` if it is not yet.
fn name_elided_lifetimes(f: &mut syn::ImplItemFn) {
    struct Elided(usize);
    impl VisitMut for Elided {
        fn visit_type_reference_mut(&mut self, reference: &mut syn::TypeReference) {
            if reference.lifetime.is_none() {
                reference.lifetime = Some(parse_quote!('a));
                self.0 += 1;
            }
            syn::visit_mut::visit_type_reference_mut(self, reference);
        }
    }
    let Some(clause) = f.sig.generics.where_clause.as_mut() else {
        return;
    };
    let mut elided = Elided(0);
    elided.visit_where_clause_mut(clause);
    let declared = f.sig.generics.lifetimes().any(|l| l.lifetime.ident == "a");
    if elided.0 > 0 && !declared {
        f.sig.generics.params.insert(0, parse_quote!('a));
    }
}

/// Whether `expr` is `value.to_string()`.
fn is_value_to_string(expr: &Expr) -> bool {
    matches!(expr, Expr::MethodCall(call)
        if call.method == "to_string"
            && call.args.is_empty()
            && matches!(&*call.receiver, Expr::Path(p) if p.path.is_ident("value")))
}

/// `.query_param(name, value.to_string())` becomes
/// `.query_param(name, query_value(&value))`; counts the rewrites.
struct QueryValues(usize);

impl VisitMut for QueryValues {
    fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
        syn::visit_mut::visit_expr_method_call_mut(self, call);
        if call.method == "query_param" && call.args.len() == 2 && is_value_to_string(&call.args[1])
        {
            call.args[1] = parse_quote!(query_value(&value));
            self.0 += 1;
        }
        // An optional body is `Option<&T>`, which `json_body_obj` takes by
        // reference as every other: `None` is the `null` the client sends
        // (progenitor writes `json_body_obj(value)`, which does not compile
        // for it).
        let is_value = |e: &Expr| matches!(e, Expr::Path(p) if p.path.is_ident("value"));
        if call.method == "json_body_obj" && call.args.len() == 1 && is_value(&call.args[0]) {
            call.args[0] = parse_quote!(&value);
        }
    }
}

/// Turns `fn name(self, value: &types::T)` that matches the path into
/// `fn name<V: TryInto<types::T>>(self, value: V)`, matching the encoded
/// value. Returns whether `f` was such a helper.
fn accept_builder_input(f: &mut syn::ImplItemFn) -> Result<bool, String> {
    let matches_path = calls_path_matches(f);
    let Some(FnArg::Typed(input)) = f.sig.inputs.iter_mut().nth(1) else {
        return Ok(false);
    };
    let Pat::Ident(name) = &*input.pat else {
        return Ok(false);
    };
    let Type::Reference(reference) = &*input.ty else {
        return Ok(false);
    };
    let is_path_helper = name.ident == "value" && reference.mutability.is_none() && matches_path;
    if !is_path_helper {
        return Ok(false);
    }
    // progenitor takes a string path parameter as `&str`; the owned type is
    // what a builder takes.
    let target = match &*reference.elem {
        Type::Path(p) if p.path.is_ident("str") => parse_quote!(::std::string::String),
        other => other.clone(),
    };
    let method = f.sig.ident.to_string();
    input.ty = parse_quote!(V);
    f.sig.generics = parse_quote!(<V>);
    f.sig.generics.where_clause = Some(parse_quote! {
        where V: ::std::convert::TryInto<#target>
    });
    let type_name = match &target {
        Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
    .unwrap_or_else(|| "value".to_string());
    let invalid = format!("the mock's {method} is not a valid {type_name}");
    let mut rewritten = 0;
    for stmt in f.block.stmts.iter_mut() {
        rewritten += encode_format_args(stmt);
    }
    if rewritten != 1 {
        return Err(format!(
            "mock helper {method}: expected one `value.to_string()` in the path pattern, found {rewritten}"
        ));
    }
    f.block.stmts.insert(
        0,
        parse_quote! {
            let value: #target = value.try_into().unwrap_or_else(|_| panic!(#invalid));
        },
    );
    Ok(true)
}

/// In every `format!` within `stmt`, `value.to_string()` becomes
/// `path_value(value.to_string())`; returns how many were replaced.
fn encode_format_args(stmt: &mut syn::Stmt) -> usize {
    struct Formats(usize);
    impl VisitMut for Formats {
        fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
            if !mac.path.is_ident("format") {
                return;
            }
            let Ok(mut args) = mac.parse_body_with(Punctuated::<Expr, Token![,]>::parse_terminated)
            else {
                return;
            };
            for arg in args.iter_mut().filter(|arg| is_value_to_string(arg)) {
                *arg = parse_quote!(path_value(value.to_string()));
                self.0 += 1;
            }
            mac.tokens = parse_quote!(#args);
        }
    }
    let mut formats = Formats(0);
    formats.visit_stmt_mut(stmt);
    formats.0
}

/// Whether `f` calls `.path_matches(..)`.
fn calls_path_matches(f: &mut syn::ImplItemFn) -> bool {
    struct Finds(bool);
    impl VisitMut for Finds {
        fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
            self.0 |= call.method == "path_matches";
            syn::visit_mut::visit_expr_method_call_mut(self, call);
        }
    }
    let mut finds = Finds(false);
    finds.visit_block_mut(&mut f.block);
    finds.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_elided_lifetime_in_a_helpers_bound_gets_one() {
        let mut f: syn::ImplItemFn = parse_quote! {
            pub fn x_nullable<T>(self, value: T) -> Self
            where
                T: Into<Option<Option<&str>>>,
            {
                self
            }
        };
        name_elided_lifetimes(&mut f);
        let sig = &f.sig;
        assert_eq!(
            quote::quote!(#sig).to_string(),
            "fn x_nullable < 'a , T > (self , value : T) -> Self where T : Into < Option < Option < & 'a str > > > ,"
        );
        // A bound that names its lifetime stays as it is.
        let mut named: syn::ImplItemFn = parse_quote! {
            pub fn x_at<'a, T>(self, value: T) -> Self where T: Into<Option<&'a str>> { self }
        };
        let before = quote::quote!(#named).to_string();
        name_elided_lifetimes(&mut named);
        assert_eq!(quote::quote!(#named).to_string(), before);
    }
}
