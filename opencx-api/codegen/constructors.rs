//! progenitor's constructors, `Client::new(baseurl, inner)` and
//! `Client::new_with_client(baseurl, client, inner)`, and its `ClientInfo`
//! impl take the runtime's `ClientState`, which only the crate's builder
//! fills in right (token, retry policy, rate limiter): hidden from the
//! documented surface, so callers meet `Client::builder()` and its
//! shorthands. They stay public and callable, as the runtime's builder and
//! code that already calls them need.

use syn::{parse_quote, ImplItem, Item};

/// Marks progenitor's constructors and `impl ClientInfo for Client` `#[doc(hidden)]`.
pub fn apply(file: &mut syn::File) {
    for item in file.items.iter_mut() {
        let Item::Impl(imp) = item else { continue };
        let is_client = matches!(&*imp.self_ty, syn::Type::Path(p) if p.path.is_ident("Client"));
        if !is_client {
            continue;
        }
        match &imp.trait_ {
            Some((_, path, _))
                if path
                    .segments
                    .last()
                    .is_some_and(|s| s.ident == "ClientInfo") =>
            {
                imp.attrs.push(parse_quote!(#[doc(hidden)]));
            }
            Some(_) => {}
            None => {
                for member in imp.items.iter_mut() {
                    let ImplItem::Fn(f) = member else { continue };
                    if f.sig.ident == "new" || f.sig.ident == "new_with_client" {
                        f.attrs.push(parse_quote!(#[doc(hidden)]));
                    }
                }
            }
        }
    }
}
