//! A property left at its `default` is not sent.
//!
//! typify fills a property's `default` in when a value is built or read
//! (`#[serde(default = "defaults::x")]`, or `#[serde(default)]` when it is the
//! type's own) and then writes it like any value: a request built without the
//! property sends the default anyway. OpenAPI's `default` is what the server
//! assumes when the property is absent, so sending it says nothing more, and
//! where upstream's default breaks its own schema (Telnyx's `default: ""` of
//! a `format: url`) the server refuses a request the caller never filled in.
//! Each such field gets `skip_serializing_if` comparing it with its default
//! (a function beside typify's in `types::defaults`), for the types that can
//! be compared: strings, booleans, numbers, string enums, and `Option`s of
//! them (oxidecomputer/typify: no upstream report yet). The same for an
//! optional property of a recursive type, which typify boxes
//! (`Box<Option<T>>`) and writes as `null` when absent.

use std::collections::{BTreeSet, HashMap};

use quote::ToTokens;
use syn::punctuated::Punctuated;
use syn::{parse_quote, Fields, Item, Meta, Token, Type};

/// Adds the comparisons to the structs of the `types` module `items`.
/// Returns how many fields it changed.
pub fn apply(items: &mut Vec<Item>) -> usize {
    let comparable_enums: BTreeSet<String> = items
        .iter()
        .filter_map(|item| match item {
            Item::Enum(e) if derives_partial_eq(&e.attrs) => Some(e.ident.to_string()),
            _ => None,
        })
        .collect();
    // typify's default functions: name → return type.
    let mut functions: HashMap<String, Type> = HashMap::new();
    let defaults_index = items.iter().position(
        |item| matches!(item, Item::Mod(m) if m.ident == "defaults" && m.content.is_some()),
    );
    if let Some(Item::Mod(m)) = defaults_index.map(|i| &items[i]) {
        for item in m.content.iter().flat_map(|(_, items)| items) {
            if let Item::Fn(f) = item {
                if f.sig.generics.params.is_empty() {
                    if let syn::ReturnType::Type(_, ty) = &f.sig.output {
                        functions.insert(f.sig.ident.to_string(), (**ty).clone());
                    }
                }
            }
        }
    }
    let comparable = |ty: &Type| comparable(ty, &comparable_enums);
    let branches = untagged_branches(items);
    let mut companions: BTreeSet<String> = BTreeSet::new();
    let mut generic = false;
    let mut changed = 0;
    for item in items.iter_mut() {
        let Item::Struct(s) = item else { continue };
        let branch = branches.contains(&s.ident.to_string());
        let Fields::Named(fields) = &mut s.fields else {
            continue;
        };
        for field in fields.named.iter_mut() {
            let Some((index, metas)) = serde_attr(&field.attrs) else {
                continue;
            };
            if metas
                .iter()
                .any(|m| m.path().is_ident("skip_serializing_if"))
            {
                continue;
            }
            let skip: Option<String> = metas.iter().find_map(|meta| match meta {
                // An optional property of a recursive type: typify boxes
                // the `Option` and writes `None` as `null`, which a schema
                // without `nullable` refuses (Bitbucket's `parent`
                // repository); absent, it is not sent.
                Meta::Path(p) if p.is_ident("default") && boxed_option(&field.ty) => {
                    generic = true;
                    Some("defaults::is_boxed_none".to_string())
                }
                // A branch of an untagged union says every value it holds:
                // left out, a property at its default (Adyen's `type:
                // paywithgoogle`) no longer tells the branches apart, and the
                // server refuses a value that matches two of its `oneOf`.
                _ if branch => None,
                // `#[serde(default)]`: the type's own default.
                Meta::Path(p) if p.is_ident("default") => comparable(&field.ty).then(|| {
                    generic = true;
                    "defaults::is_type_default".to_string()
                }),
                Meta::NameValue(nv) if nv.path.is_ident("default") => {
                    let syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(path),
                        ..
                    }) = &nv.value
                    else {
                        return None;
                    };
                    let path = path.value();
                    let name = path.strip_prefix("defaults::")?;
                    if let Some(args) = name.strip_prefix("default_bool::") {
                        generic = true;
                        Some(format!("defaults::is_default_bool::{args}"))
                    } else if let Some(args) = name.strip_prefix("default_u64::") {
                        generic = true;
                        Some(format!("defaults::is_default_u64::{args}"))
                    } else if functions.get(name).is_some_and(&comparable) {
                        companions.insert(name.to_string());
                        Some(format!("defaults::is_{name}"))
                    } else {
                        None
                    }
                }
                _ => None,
            });
            let Some(skip) = skip else { continue };
            let mut metas = metas;
            metas.push(parse_quote!(skip_serializing_if = #skip));
            field.attrs[index] = parse_quote!(#[serde(#metas)]);
            changed += 1;
        }
    }
    if changed == 0 {
        return 0;
    }
    let mut added: Vec<Item> = Vec::new();
    if generic {
        added.push(parse_quote! {
            pub(super) fn is_type_default<T: ::std::default::Default + ::std::cmp::PartialEq>(value: &T) -> bool {
                *value == T::default()
            }
        });
        added.push(parse_quote! {
            #[allow(clippy::borrowed_box)]
            pub(super) fn is_boxed_none<T>(value: &::std::boxed::Box<::std::option::Option<T>>) -> bool {
                value.is_none()
            }
        });
        added.push(parse_quote! {
            pub(super) fn is_default_bool<const V: bool>(value: &bool) -> bool {
                *value == V
            }
        });
        added.push(parse_quote! {
            pub(super) fn is_default_u64<T, const V: u64>(value: &T) -> bool
            where
                T: ::std::convert::TryFrom<u64> + ::std::cmp::PartialEq,
            {
                T::try_from(V).is_ok_and(|default| *value == default)
            }
        });
    }
    for name in &companions {
        let function = syn::Ident::new(name, proc_macro2::Span::call_site());
        let companion = syn::Ident::new(&format!("is_{name}"), proc_macro2::Span::call_site());
        let ty = &functions[name];
        added.push(parse_quote! {
            pub(super) fn #companion(value: &#ty) -> bool {
                *value == #function()
            }
        });
    }
    match defaults_index.map(|i| &mut items[i]) {
        Some(Item::Mod(m)) => m.content.as_mut().expect("a module body").1.extend(added),
        _ => items.push(parse_quote! {
            /// Generation of default values for serde.
            pub mod defaults {
                #(#added)*
            }
        }),
    }
    changed
}

/// The `#[serde(...)]` attribute among `attrs`: its index and items.
/// The types an untagged enum of `items` holds in its variants (every type
/// named in a variant's fields).
fn untagged_branches(items: &[Item]) -> BTreeSet<String> {
    let mut branches = BTreeSet::new();
    for item in items {
        let Item::Enum(e) = item else { continue };
        let untagged = e.attrs.iter().any(|a| {
            a.path().is_ident("serde") && a.to_token_stream().to_string().contains("untagged")
        });
        if !untagged {
            continue;
        }
        for field in e.variants.iter().flat_map(|v| v.fields.iter()) {
            for token in field.ty.to_token_stream() {
                if let proc_macro2::TokenTree::Ident(ident) = token {
                    branches.insert(ident.to_string());
                }
            }
        }
    }
    branches
}

fn serde_attr(attrs: &[syn::Attribute]) -> Option<(usize, Punctuated<Meta, Token![,]>)> {
    attrs.iter().enumerate().find_map(|(i, attr)| {
        if !attr.path().is_ident("serde") {
            return None;
        }
        attr.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
            .ok()
            .map(|metas| (i, metas))
    })
}

fn derives_partial_eq(attrs: &[syn::Attribute]) -> bool {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("derive"))
        .any(|a| {
            a.parse_args_with(Punctuated::<syn::Path, Token![,]>::parse_terminated)
                .is_ok_and(|paths| {
                    paths
                        .iter()
                        .any(|p| p.segments.last().is_some_and(|s| s.ident == "PartialEq"))
                })
        })
}

/// Whether `ty` is `Box<Option<T>>`.
fn boxed_option(ty: &Type) -> bool {
    let inner = |ty: &Type, wanted: &str| -> Option<Type> {
        let Type::Path(p) = ty else { return None };
        let last = p.path.segments.last()?;
        if last.ident != wanted {
            return None;
        }
        let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
            return None;
        };
        match args.args.first()? {
            syn::GenericArgument::Type(inner) => Some(inner.clone()),
            _ => None,
        }
    };
    inner(ty, "Box").is_some_and(|boxed| inner(&boxed, "Option").is_some())
}

/// Whether a value of `ty` can be compared with its default: a string, a
/// boolean, a number, a string enum of `enums` (which derive `PartialEq`),
/// or an `Option` of one.
fn comparable(ty: &Type, enums: &BTreeSet<String>) -> bool {
    let Type::Path(p) = ty else { return false };
    let Some(last) = p.path.segments.last() else {
        return false;
    };
    let name = last.ident.to_string();
    match &last.arguments {
        syn::PathArguments::None => {
            matches!(
                name.as_str(),
                "String"
                    | "bool"
                    | "i8"
                    | "i16"
                    | "i32"
                    | "i64"
                    | "u8"
                    | "u16"
                    | "u32"
                    | "u64"
                    | "f32"
                    | "f64"
            ) || enums.contains(&name)
        }
        syn::PathArguments::AngleBracketed(args) if name == "Option" => {
            matches!(args.args.first(), Some(syn::GenericArgument::Type(inner)) if comparable(inner, enums))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_at_its_default_is_not_serialized() {
        let mut file: syn::File = parse_quote! {
            pub mod types {
                #[derive(Clone, PartialEq)]
                pub enum Version { X1 }
                pub struct Thing { pub name: String }
                pub struct Request {
                    #[serde(default = "defaults::request_url")]
                    pub url: ::std::option::Option<::std::string::String>,
                    #[serde(default)]
                    pub enabled: bool,
                    #[serde(default = "defaults::default_u64::<i64, 5>")]
                    pub count: i64,
                    #[serde(default = "defaults::request_version")]
                    pub version: Version,
                    #[serde(default = "defaults::request_thing")]
                    pub thing: Thing,
                    #[serde(default, skip_serializing_if = "Option::is_none")]
                    pub note: Option<String>,
                    #[serde(default)]
                    pub parent: ::std::boxed::Box<::std::option::Option<Request>>,
                }
                pub mod defaults {
                    pub(super) fn request_url() -> ::std::option::Option<::std::string::String> {
                        ::std::option::Option::Some("".to_string())
                    }
                    pub(super) fn request_version() -> super::Version { super::Version::X1 }
                    pub(super) fn request_thing() -> super::Thing { todo!() }
                }
            }
        };
        let syn::Item::Mod(types) = &mut file.items[0] else {
            unreachable!()
        };
        let items = &mut types.content.as_mut().unwrap().1;
        // `version` compares only if its enum is comparable (the enum is
        // `Version`, the return type `super::Version`: its last segment).
        assert_eq!(apply(items), 5);
        let text = quote::quote!(#file).to_string();
        for expected in [
            "skip_serializing_if = \"defaults::is_request_url\"",
            "skip_serializing_if = \"defaults::is_type_default\"",
            "skip_serializing_if = \"defaults::is_default_u64::<i64, 5>\"",
            "skip_serializing_if = \"defaults::is_request_version\"",
            "fn is_request_url",
            "skip_serializing_if = \"defaults::is_boxed_none\"",
        ] {
            assert!(text.contains(expected), "{expected} in {text}");
        }
        assert!(!text.contains("is_request_thing"));
    }

    #[test]
    fn a_branch_of_an_untagged_union_sends_its_defaults() {
        let mut file: syn::File = parse_quote! {
            pub mod types {
                #[derive(Clone, PartialEq)]
                pub enum PayWithGoogleType { Paywithgoogle }
                #[serde(untagged)]
                pub enum PaymentMethod { Google(GooglePay), PayWithGoogle(::std::boxed::Box<PayWithGoogle>) }
                pub struct PayWithGoogle {
                    #[serde(default = "defaults::pay_with_google_type")]
                    pub type_: PayWithGoogleType,
                }
                pub struct GooglePay {
                    #[serde(default)]
                    pub parent: ::std::boxed::Box<::std::option::Option<GooglePay>>,
                }
                pub mod defaults {
                    pub(super) fn pay_with_google_type() -> super::PayWithGoogleType {
                        super::PayWithGoogleType::Paywithgoogle
                    }
                }
            }
        };
        let syn::Item::Mod(types) = &mut file.items[0] else {
            unreachable!()
        };
        let items = &mut types.content.as_mut().unwrap().1;
        // Only the absent box: `type` tells Adyen's branches apart.
        assert_eq!(apply(items), 1);
        let text = quote::quote!(#file).to_string();
        assert!(!text.contains("is_pay_with_google_type"), "{text}");
        assert!(text.contains("is_boxed_none"), "{text}");
    }
}
