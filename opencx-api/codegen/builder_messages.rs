//! What a builder says when a request cannot be built, so the error names the
//! parameter and what is wrong with it.
//!
//! progenitor writes `session_id was not initialized` for a required
//! parameter that was never set, and `conversion to `SessionId` for
//! session_id failed` for a value that does not convert, dropping the
//! conversion's own reason (`|_|`). Here the first reads "the required
//! parameter `session_id` was not set", and the second keeps the reason:
//! "`session_id` is not a valid `SessionId`: ` and the reason", which asks the
//! conversion's error to be `Display` (every typify and std conversion error
//! is).

use syn::visit_mut::VisitMut;
use syn::{parse_quote, Expr, ImplItem, Item, Lit};

/// Rewrites the messages in every builder of `items` (the `builder` module).
/// Returns how many it rewrote.
pub fn apply(items: &mut [Item]) -> usize {
    let mut messages = Messages(0);
    for item in items.iter_mut() {
        let Item::Impl(imp) = item else { continue };
        for impl_item in imp.items.iter_mut() {
            let ImplItem::Fn(f) = impl_item else { continue };
            let before = messages.0;
            messages.visit_impl_item_fn_mut(f);
            // A setter whose conversion error is now shown needs it `Display`.
            if messages.0 > before {
                add_display_bound(f);
            }
        }
    }
    messages.0
}

struct Messages(usize);

impl VisitMut for Messages {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        // `"x was not initialized".to_string()`
        if let Expr::Lit(lit) = expr {
            if let Lit::Str(text) = &lit.lit {
                if let Some(name) = text.value().strip_suffix(" was not initialized") {
                    let message = format!("the required parameter `{name}` was not set");
                    *expr = parse_quote!(#message);
                    return;
                }
            }
        }
        // `|_| "conversion to `T` for x failed".to_string()`
        let Expr::Closure(closure) = expr else { return };
        let body = match &*closure.body {
            Expr::Block(block) if block.block.stmts.len() == 1 => match &block.block.stmts[0] {
                syn::Stmt::Expr(e, None) => e,
                _ => return,
            },
            other => other,
        };
        let Expr::MethodCall(call) = body else {
            return;
        };
        let Expr::Lit(syn::ExprLit {
            lit: Lit::Str(text),
            ..
        }) = &*call.receiver
        else {
            return;
        };
        let text = text.value();
        let Some(rest) = text.strip_prefix("conversion to `") else {
            return;
        };
        let Some((ty, rest)) = rest.split_once("` for ") else {
            return;
        };
        let Some(name) = rest.strip_suffix(" failed") else {
            return;
        };
        let message = format!("`{name}` is not a valid `{}`: {{}}", readable(ty));
        *expr = parse_quote!(|e| format!(#message, e));
        self.0 += 1;
    }
}

/// Adds `<V as TryInto<T>>::Error: Display` beside `V: TryInto<T>`.
fn add_display_bound(f: &mut syn::ImplItemFn) {
    let Some(clause) = f.sig.generics.where_clause.as_mut() else {
        return;
    };
    let mut bounds: Vec<syn::WherePredicate> = Vec::new();
    for predicate in &clause.predicates {
        let syn::WherePredicate::Type(pt) = predicate else {
            continue;
        };
        for bound in &pt.bounds {
            let syn::TypeParamBound::Trait(t) = bound else {
                continue;
            };
            if t.path.segments.last().is_some_and(|s| s.ident == "TryInto") {
                let (ty, path) = (&pt.bounded_ty, &t.path);
                bounds.push(parse_quote!(<#ty as #path>::Error: ::std::fmt::Display));
            }
        }
    }
    clause.predicates.extend(bounds);
}

/// A type as a person writes it: progenitor's `:: chrono :: DateTime <
/// :: chrono :: offset :: Utc >` is `DateTime<Utc>`.
fn readable(ty: &str) -> String {
    let Ok(mut parsed) = syn::parse_str::<syn::Type>(ty) else {
        return ty.to_string();
    };
    super::names::LastSegments.visit_type_mut(&mut parsed);
    let mut text = quote::ToTokens::to_token_stream(&parsed).to_string();
    for (from, to) in [
        (" < ", "<"),
        ("< ", "<"),
        (" >", ">"),
        (" ,", ","),
        ("& ", "&"),
    ] {
        text = text.replace(from, to);
    }
    text
}

#[cfg(test)]
mod tests {
    #[test]
    fn types_read_as_written() {
        assert_eq!(
            super::readable(":: chrono :: DateTime < :: chrono :: offset :: Utc >"),
            "DateTime<Utc>"
        );
        assert_eq!(super::readable(":: std :: string :: String"), "String");
        assert_eq!(
            super::readable(":: std :: vec :: Vec < types :: Tag >"),
            "Vec<Tag>"
        );
        assert_eq!(super::readable("SessionId"), "SessionId");
    }
}
