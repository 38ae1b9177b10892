//! Path parameters encoded as OpenAPI's `simple` style requires: the generated
//! calls to progenitor-client's `encode_path`, which leaves `\` and `,` (among
//! others) raw and sends an empty or `..` segment as it is, become calls to
//! the runtime's `path_segment::checked`, which encodes strictly and refuses
//! a segment that would address another endpoint, naming the parameter:
//! `encode_path(&id.to_string())` → `checked(&id.to_string(), "id")?`.

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};
use quote::quote;
use syn::visit_mut::VisitMut;
use syn::{parse_quote, Expr};

/// Rewrites every `encode_path(...)` call in `file`; returns how many.
pub fn apply(file: &mut syn::File) -> usize {
    let mut calls = Calls(0);
    calls.visit_file_mut(file);
    calls.0
}

struct Calls(usize);

/// The first identifier in `tokens`: the parameter whose value is encoded.
fn first_ident(tokens: TokenStream) -> String {
    tokens
        .into_iter()
        .find_map(|t| match t {
            TokenTree::Ident(i) => Some(i.to_string()),
            _ => None,
        })
        .unwrap_or_default()
}

impl VisitMut for Calls {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        let Expr::Call(call) = expr else { return };
        let is_encode_path = matches!(&*call.func, Expr::Path(p)
            if p.path.segments.last().is_some_and(|s| s.ident == "encode_path"));
        if is_encode_path {
            let args = &call.args;
            let name = first_ident(quote!(#args));
            *expr = parse_quote!(crate::runtime::path_segment::checked(#args, #name)?);
            self.0 += 1;
        }
    }

    // The URL is built inside `format!`, whose arguments are tokens to syn.
    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        mac.tokens = self.tokens(std::mem::take(&mut mac.tokens));
    }
}

impl Calls {
    fn tokens(&mut self, tokens: TokenStream) -> TokenStream {
        let mut out = TokenStream::new();
        let mut trees = tokens.into_iter().peekable();
        while let Some(tree) = trees.next() {
            match tree {
                TokenTree::Ident(ident) if ident == "encode_path" => {
                    let Some(TokenTree::Group(args)) = trees.next_if(
                        |t| matches!(t, TokenTree::Group(g) if g.delimiter() == Delimiter::Parenthesis),
                    ) else {
                        out.extend([TokenTree::Ident(ident)]);
                        continue;
                    };
                    self.0 += 1;
                    let inner = args.stream();
                    let name = first_ident(inner.clone());
                    out.extend(quote!(crate::runtime::path_segment::checked(#inner, #name)?));
                }
                TokenTree::Group(group) => {
                    let mut inner = Group::new(group.delimiter(), self.tokens(group.stream()));
                    inner.set_span(group.span());
                    out.extend([TokenTree::Group(inner)]);
                }
                other => out.extend([other]),
            }
        }
        out
    }
}
