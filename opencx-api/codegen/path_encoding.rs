//! Path parameters encoded as OpenAPI's `simple` style requires: the generated
//! calls to progenitor-client's `encode_path`, which leaves `\` and `,` (among
//! others) raw, become calls to the crate's stricter `encode_path_segment`.

use proc_macro2::{Group, TokenStream, TokenTree};
use syn::visit_mut::VisitMut;
use syn::{parse_quote, Expr};

/// Rewrites every `encode_path(...)` call in `file`; returns how many.
pub fn apply(file: &mut syn::File) -> usize {
    let mut calls = Calls(0);
    calls.visit_file_mut(file);
    calls.0
}

struct Calls(usize);

impl VisitMut for Calls {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if let Expr::Call(call) = expr {
            let is_encode_path = matches!(&*call.func, Expr::Path(p)
                if p.path.segments.last().is_some_and(|s| s.ident == "encode_path"));
            if is_encode_path {
                call.func = parse_quote!(crate::encode_path_segment);
                self.0 += 1;
            }
        }
        syn::visit_mut::visit_expr_mut(self, expr);
    }

    // The URL is built inside `format!`, whose arguments are tokens to syn.
    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        mac.tokens = self.tokens(std::mem::take(&mut mac.tokens));
    }
}

impl Calls {
    fn tokens(&mut self, tokens: TokenStream) -> TokenStream {
        tokens
            .into_iter()
            .flat_map(|tree| -> TokenStream {
                match tree {
                    TokenTree::Ident(ident) if ident == "encode_path" => {
                        self.0 += 1;
                        "crate::encode_path_segment".parse().expect("a valid path")
                    }
                    TokenTree::Group(group) => {
                        let mut inner = Group::new(group.delimiter(), self.tokens(group.stream()));
                        inner.set_span(group.span());
                        TokenTree::Group(inner).into()
                    }
                    other => other.into(),
                }
            })
            .collect()
    }
}
