//! Every builder's `send()` returns the crate's `Error` and decodes the
//! operation's answers as the document says (the [`Shape`]s of
//! `responses.rs`).
//!
//! progenitor's `send()` is kept, private and renamed, for what it does well:
//! building the request from the builder's arguments and sending it through
//! the hooks. Its last step, the `match` on the status that decodes one type
//! (oxidecomputer/progenitor#344, #950), becomes `Ok(response)`. The public
//! `send()` beside it hands that future to `crate::runtime::call::send`, which
//! turns errors into the crate's `Error` inside the call's span, with a
//! decoder written here from the plan.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::visit::Visit;
use syn::{parse_quote, Expr, ImplItem, ImplItemFn, Item, Stmt, Type};

use super::responses::{Payload, Plan, Shape, Variant};

/// Rewrites the builders in `file`; returns the enums the `types` module
/// gains, one per operation with several answer shapes.
pub fn apply(file: &mut syn::File, plans: &BTreeMap<String, Plan>) -> Result<Vec<Item>, String> {
    let builders = file
        .items
        .iter_mut()
        .find_map(|item| match item {
            Item::Mod(m) if m.ident == "builder" => m.content.as_mut().map(|(_, items)| items),
            _ => None,
        })
        .ok_or("the generated client has no `builder` module")?;
    let mut enums = Vec::new();
    let mut seen = BTreeSet::new();
    for item in builders.iter_mut() {
        let Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some() {
            continue;
        }
        let Some(index) = imp
            .items
            .iter()
            .position(|i| matches!(i, ImplItem::Fn(f) if f.sig.ident == "send"))
        else {
            continue;
        };
        let ImplItem::Fn(send) = &imp.items[index] else {
            unreachable!("found above")
        };
        let operation = operation_id(send)
            .ok_or("a builder's `send()` has no `OperationInfo { operation_id }`")?;
        let plan = plans
            .get(&operation)
            .ok_or_else(|| format!("no plan for operation `{operation}`"))?;
        seen.insert(operation.clone());
        let taken: BTreeSet<String> = super::collisions::method_names(imp).into_iter().collect();
        let raw_name = unique_method("send_request", &taken);
        let (raw, public, new_enum) = rewrite(send, plan, &raw_name)?;
        enums.extend(new_enum);
        imp.items[index] = ImplItem::Fn(public);
        imp.items.insert(index + 1, ImplItem::Fn(raw));
        paginated_stream(imp, plan);
    }
    if let Some(missing) = plans.keys().find(|k| !seen.contains(*k)) {
        return Err(format!("operation `{missing}` has no builder `send()`"));
    }
    Ok(enums)
}

/// progenitor's `stream()` on a builder of a paginated operation
/// (`x-dropshot-pagination`), which reads pages with `send()`: its items come
/// with the crate's `Error` as `send()`'s do. It is kept where `send()` still
/// answers progenitor's page type (one JSON shape), and removed where the
/// answers became another shape (an `Option` or an enum by status), whose
/// pages its `into_inner().items` cannot read.
fn paginated_stream(imp: &mut syn::ItemImpl, plan: &Plan) {
    struct CrateError;
    impl syn::visit_mut::VisitMut for CrateError {
        fn visit_type_mut(&mut self, ty: &mut Type) {
            if let Type::Path(p) = ty {
                // progenitor's own `Error<E>`, one segment with arguments;
                // not an API's `types::Error` that a page may hold.
                let progenitor = p.qself.is_none()
                    && p.path.segments.len() == 1
                    && p.path.segments[0].ident == "Error"
                    && !p.path.segments[0].arguments.is_none();
                if progenitor {
                    *ty = parse_quote!(crate::Error);
                    return;
                }
            }
            syn::visit_mut::visit_type_mut(self, ty);
        }
    }
    let is_stream = |f: &ImplItemFn| {
        f.sig.ident == "stream"
            && matches!(&f.sig.output, syn::ReturnType::Type(_, ty) if matches!(**ty, Type::ImplTrait(_)))
    };
    let keep = matches!(plan.shape, Shape::One(Payload::Json(_)));
    imp.items.retain_mut(|item| match item {
        ImplItem::Fn(f) if is_stream(f) => {
            syn::visit_mut::VisitMut::visit_return_type_mut(&mut CrateError, &mut f.sig.output);
            f.attrs.push(parse_quote!(
                #[doc = "\n\nErrors: each page's request fails as `send()` does, with a [`crate::Error`]; the stream ends after it."]
            ));
            keep
        }
        _ => true,
    });
}

/// `wanted`, else `_wanted`, `__wanted`...: the way progenitor keeps its own
/// locals apart from parameter names (`unique_ident_from`).
fn unique_method(wanted: &str, taken: &BTreeSet<String>) -> syn::Ident {
    let mut name = wanted.to_string();
    while taken.contains(&name) {
        name.insert(0, '_');
    }
    format_ident!("{}", name)
}

/// The `operation_id` progenitor writes into the `OperationInfo` it passes
/// the hooks: the client's method name.
pub(super) fn operation_id(f: &ImplItemFn) -> Option<String> {
    struct Find(Option<String>);
    impl<'ast> Visit<'ast> for Find {
        fn visit_expr_struct(&mut self, s: &'ast syn::ExprStruct) {
            if s.path.is_ident("OperationInfo") {
                for field in &s.fields {
                    if let (
                        syn::Member::Named(name),
                        Expr::Lit(syn::ExprLit {
                            lit: syn::Lit::Str(value),
                            ..
                        }),
                    ) = (&field.member, &field.expr)
                    {
                        if name == "operation_id" {
                            self.0 = Some(value.value());
                        }
                    }
                }
            }
            syn::visit::visit_expr_struct(self, s);
        }
    }
    let mut find = Find(None);
    find.visit_impl_item_fn(f);
    find.0
}

/// `T` of progenitor's `Result<ResponseValue<T>, Error<E>>`.
fn success_type(f: &ImplItemFn) -> Result<Type, String> {
    let syn::ReturnType::Type(_, ty) = &f.sig.output else {
        return Err("`send()` returns nothing".into());
    };
    let first_arg = |ty: &Type| -> Option<Type> {
        let Type::Path(p) = ty else { return None };
        let syn::PathArguments::AngleBracketed(args) = &p.path.segments.last()?.arguments else {
            return None;
        };
        match args.args.first()? {
            syn::GenericArgument::Type(t) => Some(t.clone()),
            _ => None,
        }
    };
    first_arg(ty)
        .and_then(|value| first_arg(&value))
        .ok_or_else(|| "`send()` does not return `Result<ResponseValue<T>, _>`".into())
}

fn rewrite(
    send: &ImplItemFn,
    plan: &Plan,
    raw_name: &syn::Ident,
) -> Result<(ImplItemFn, ImplItemFn, Option<Item>), String> {
    let progenitor_type = success_type(send)?;
    let mut raw = send.clone();
    raw.sig.ident = raw_name.clone();
    raw.vis = syn::Visibility::Inherited;
    raw.attrs.retain(|a| !a.path().is_ident("doc"));
    raw.attrs.push(parse_quote!(
        #[doc = " progenitor's `send()`: builds the request and sends it through the hooks."]
    ));
    raw.sig.output = parse_quote!(-> Result<reqwest::Response, Error<()>>);
    let last = raw.block.stmts.last_mut().ok_or("`send()` is empty")?;
    let response = match last {
        Stmt::Expr(Expr::Match(m), None) => match &*m.expr {
            Expr::MethodCall(as_u16) => match &*as_u16.receiver {
                Expr::MethodCall(status) => match &*status.receiver {
                    Expr::Path(p) => p.path.get_ident().cloned(),
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        },
        _ => None,
    }
    .ok_or("`send()` does not end with progenitor's `match response.status()`")?;
    *last = Stmt::Expr(parse_quote!(Ok(#response)), None);

    let (value_type, decode, new_enum) = decoder(plan, &progenitor_type);
    let name = &plan.method_name;
    let id = &plan.operation_id;
    let method = &plan.method;
    let path = &plan.path;
    let documented: Vec<&str> = plan.successes.iter().map(|s| s.status.as_str()).collect();
    let mut public = send.clone();
    public.sig.output = parse_quote!(-> Result<ResponseValue<#value_type>, crate::Error>);
    public.attrs.push(parse_quote!(
        #[doc = "\n\nErrors: an error status, a transport failure or an answer that does not decode is a [`crate::Error`] naming this operation."]
    ));
    public.block = parse_quote!({
        crate::runtime::call::send(
            &crate::runtime::call::Operation {
                name: #name,
                id: #id,
                method: #method,
                path: #path,
                documented: &[#(#documented),*],
            },
            self.#raw_name(),
            #decode,
        )
        .await
    });
    Ok((raw, public, new_enum))
}

/// The Rust type a payload decodes into, and the expression reading it from
/// `answer`.
fn payload(payload: &Payload, json_type: &TokenStream) -> (TokenStream, TokenStream) {
    match payload {
        Payload::Empty => (quote!(()), quote!(answer.empty())),
        Payload::Json(_) => (json_type.clone(), quote!(answer.json())),
        Payload::Text => (quote!(::std::string::String), quote!(answer.text())),
        Payload::Binary => (quote!(ByteStream), quote!(answer.stream())),
    }
}

/// The `send()`'s value type, its decoding closure, and the enum it needs.
fn decoder(plan: &Plan, progenitor_type: &Type) -> (TokenStream, TokenStream, Option<Item>) {
    let progenitor_type = quote!(#progenitor_type);
    match &plan.shape {
        Shape::One(one) => {
            let (ty, read) = payload(one, &progenitor_type);
            (ty, quote!(|answer| #read), None)
        }
        Shape::Optional {
            payload: one,
            empty,
        } => {
            let (ty, read) = payload(one, &progenitor_type);
            (
                quote!(::std::option::Option<#ty>),
                quote!(|answer| match answer.status().as_u16() {
                    #(#empty)|* => Ok(None),
                    _ => #read.map(Some),
                }),
                None,
            )
        }
        Shape::ByStatus { name, variants } => {
            let ident = format_ident!("{}", name);
            let arms = variants.iter().map(|v| {
                let variant = format_ident!("{}", v.name);
                let (_, read) = payload(&v.success.payload, &quote!(_));
                let pattern = match (v.success.code(), v.success.status.as_str()) {
                    (Some(code), _) => quote!(#code),
                    (None, "3XX") => quote!(300u16..=399u16),
                    _ => quote!(200u16..=299u16),
                };
                match v.success.payload {
                    Payload::Empty => quote!(#pattern => Ok(types::#ident::#variant),),
                    _ => quote!(#pattern => #read.map(types::#ident::#variant),),
                }
            });
            let decode = quote!(|answer| match answer.status().as_u16() {
                #(#arms)*
                _ => Err(answer.unexpected()),
            });
            let definition = by_status_enum(plan, &ident, variants, &progenitor_type);
            (quote!(types::#ident), decode, Some(definition))
        }
    }
}

/// The enum of an operation whose success answers differ by status.
fn by_status_enum(
    plan: &Plan,
    ident: &syn::Ident,
    variants: &[Variant],
    progenitor_type: &TokenStream,
) -> Item {
    // From inside `types`, progenitor's `types::X` is `super::types::X`.
    let progenitor_type: TokenStream = {
        let text = progenitor_type.to_string();
        text.replace("types ::", "super :: types ::")
            .parse()
            .expect("tokens that parsed before")
    };
    let mut clone = true;
    let variants = variants.iter().map(|v| {
        let name = format_ident!("{}", v.name);
        let status = &v.success.status;
        let media = v.success.media_type.as_deref().unwrap_or("no body");
        let doc = format!(" `{status}`: {media}.");
        let ty = match (&v.success.payload, &v.type_name) {
            (Payload::Empty, _) => None,
            (Payload::Json(_), Some(named)) => {
                let named = format_ident!("{}", named);
                Some(quote!(#named))
            }
            (Payload::Json(_), None) => Some(progenitor_type.clone()),
            (Payload::Text, _) => Some(quote!(::std::string::String)),
            (Payload::Binary, _) => {
                clone = false;
                Some(quote!(::progenitor_client::ByteStream))
            }
        };
        match ty {
            Some(ty) => quote!(#[doc = #doc] #name(#ty)),
            None => quote!(#[doc = #doc] #name),
        }
    });
    let variants: Vec<TokenStream> = variants.collect();
    let doc = format!(
        " What `{}` answers with (`{} {}`), by the success status the document gives.",
        plan.method_name, plan.method, plan.path
    );
    let derives = if clone {
        quote!(#[derive(Clone, Debug)])
    } else {
        quote!(#[derive(Debug)])
    };
    parse_quote! {
        #[doc = #doc]
        #derives
        #[non_exhaustive]
        pub enum #ident {
            #(#variants,)*
        }
    }
}
