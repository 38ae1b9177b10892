//! Post-processing of the generated types so that a client built today keeps
//! reading responses after the API grows (syn AST rewrites, never hand edits).
//!
//! - `deny_unknown_fields` is dropped: a new field is ignored, at any depth.
//! - A string enum gains `Unknown(String)`: a new value (a channel, a status...)
//!   is kept as its raw string, which `Display` and serialization give back and
//!   `FromStr` accepts. Not an enum that tells the branches of an untagged
//!   union apart (the `type` of Adyen's payment methods): open, every branch
//!   takes any value, and serde's first branch that reads the rest wins,
//!   dropping the fields the right one has (Adyen's `econtext_stores` read as
//!   Amazon Pay's details, and sent without its name and email).
//! - An internally tagged enum (the history event union) gains
//!   `Unknown(serde_json::Map)`: an event of a new `type` is kept whole instead of
//!   failing its page. A *known* `type` with a malformed body is still an error.

use syn::punctuated::Punctuated;
use syn::{parse_quote, Attribute, Fields, Item, ItemEnum, Meta, Token};

use super::names::catch_all;

mod tagged;

use tagged::{open_tagged_enum, patch_tagged_enum_impls};

/// Whether `variant` is one these rewrites added: a value of a type this
/// version knows nothing of (a string, or a JSON object), kept whole.
pub fn is_catch_all(variant: &syn::Variant) -> bool {
    let Fields::Unnamed(fields) = &variant.fields else {
        return false;
    };
    let ty = &fields.unnamed[0].ty;
    let ty = quote::quote!(#ty).to_string();
    variant.ident.to_string().starts_with("Unknown")
        && (ty.ends_with("std :: string :: String") || ty.contains("serde_json :: Map"))
}

/// Applies every rewrite to the items of the generated `types` module.
pub fn apply(file: &mut syn::File) -> Result<(), String> {
    let items = types_module(file)?;
    for item in items.iter_mut() {
        strip_deny_unknown_fields(item);
    }
    // Each enum's impls, found once: a search of every item for each enum
    // was quadratic (20 s for an API with thousands of enums).
    let mut impls: std::collections::HashMap<String, Vec<usize>> = Default::default();
    for (index, item) in items.iter().enumerate() {
        if let Item::Impl(imp) = item {
            if let syn::Type::Path(p) = &*imp.self_ty {
                if let Some(ident) = p.path.get_ident() {
                    impls.entry(ident.to_string()).or_default().push(index);
                }
            }
        }
    }
    let closed = union_discriminators(items);
    let mut added = Vec::new();
    for index in 0..items.len() {
        let Item::Enum(e) = &items[index] else {
            continue;
        };
        // Opened already (a discriminated union, codegen/discriminator.rs).
        if e.variants.iter().any(is_catch_all) {
            continue;
        }
        let unknown = catch_all(e.variants.iter().map(|v| &v.ident));
        let own: &[usize] = impls.get(&e.ident.to_string()).map_or(&[], Vec::as_slice);
        if let Some(tag) = serde_tag(&e.attrs) {
            let name = e.ident.clone();
            added.extend(open_tagged_enum(&mut items[index], &tag, &unknown)?);
            patch_tagged_enum_impls(items, own, &name, &tag, &unknown);
        } else if is_string_enum(e) && !closed.contains(&e.ident.to_string()) {
            let name = e.ident.clone();
            open_string_enum(items, index, &unknown);
            patch_string_enum_impls(items, own, &name, &unknown)?;
        }
    }
    items.extend(added);
    Ok(())
}

/// The string enums that tell the branches of an untagged union apart: the
/// type of a field of one name (required or not) in two or more of its
/// branches (structs), each branch's own.
fn union_discriminators(items: &[Item]) -> std::collections::HashSet<String> {
    use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
    let string_enums: HashSet<String> = items
        .iter()
        .filter_map(|item| match item {
            Item::Enum(e) if is_string_enum(e) => Some(e.ident.to_string()),
            _ => None,
        })
        .collect();
    let plain_ident = |ty: &syn::Type| match ty {
        syn::Type::Path(p) if p.qself.is_none() => p.path.get_ident().map(|i| i.to_string()),
        _ => None,
    };
    // `T`, or `Option<T>` (an optional tag, which a branch may default).
    let tag_type = |ty: &syn::Type| {
        plain_ident(ty).or_else(|| {
            let syn::Type::Path(p) = ty else { return None };
            let last = p.path.segments.last()?;
            if last.ident != "Option" {
                return None;
            }
            let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
                return None;
            };
            match args.args.first()? {
                syn::GenericArgument::Type(inner) => plain_ident(inner),
                _ => None,
            }
        })
    };
    // Struct → its fields whose type is a string enum.
    let structs: HashMap<String, Vec<(String, String)>> = items
        .iter()
        .filter_map(|item| match item {
            Item::Struct(s) => Some((
                s.ident.to_string(),
                s.fields
                    .iter()
                    .filter_map(|f| {
                        let ty = tag_type(&f.ty).filter(|t| string_enums.contains(t))?;
                        Some((f.ident.as_ref()?.to_string(), ty))
                    })
                    .collect(),
            )),
            _ => None,
        })
        .collect();
    let mut closed = HashSet::new();
    for item in items {
        let Item::Enum(e) = item else { continue };
        let untagged = e
            .attrs
            .iter()
            .filter_map(serde_metas)
            .flatten()
            .any(|m| m.path().is_ident("untagged"));
        if !untagged {
            continue;
        }
        let mut by_field: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for variant in &e.variants {
            let Fields::Unnamed(fields) = &variant.fields else {
                continue;
            };
            let Some(branch) = fields.unnamed.first().and_then(|f| plain_ident(&f.ty)) else {
                continue;
            };
            for (field, ty) in structs.get(&branch).into_iter().flatten() {
                by_field
                    .entry(field.clone())
                    .or_default()
                    .insert(ty.clone());
            }
        }
        for types in by_field.into_values().filter(|types| types.len() > 1) {
            closed.extend(types);
        }
    }
    closed
}

/// The items of the generated `types` module.
pub(super) fn types_module(file: &mut syn::File) -> Result<&mut Vec<Item>, String> {
    file.items
        .iter_mut()
        .find_map(|item| match item {
            Item::Mod(m) if m.ident == "types" => m.content.as_mut().map(|(_, items)| items),
            _ => None,
        })
        .ok_or_else(|| "the generated code has no `types` module".to_string())
}

pub(super) fn serde_metas(attr: &Attribute) -> Option<Punctuated<Meta, Token![,]>> {
    if !attr.path().is_ident("serde") {
        return None;
    }
    attr.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
        .ok()
}

/// Removes `deny_unknown_fields` from every `#[serde(...)]` on the item.
fn strip_deny_unknown_fields(item: &mut Item) {
    let attrs = match item {
        Item::Struct(s) => &mut s.attrs,
        Item::Enum(e) => &mut e.attrs,
        _ => return,
    };
    attrs.retain_mut(|attr| {
        let Some(metas) = serde_metas(attr) else {
            return true;
        };
        let kept: Punctuated<Meta, Token![,]> = metas
            .into_iter()
            .filter(|m| !m.path().is_ident("deny_unknown_fields"))
            .collect();
        if kept.is_empty() {
            return false;
        }
        *attr = parse_quote!(#[serde(#kept)]);
        true
    });
}

/// The `tag = "..."` of an internally (or adjacently) tagged enum.
fn serde_tag(attrs: &[Attribute]) -> Option<String> {
    serde_string(attrs, "tag")
}

/// The value of `#[serde(key = "...")]` among `attrs`.
pub(super) fn serde_string(attrs: &[Attribute], key: &str) -> Option<String> {
    attrs
        .iter()
        .filter_map(serde_metas)
        .flatten()
        .find_map(|meta| match meta {
            Meta::NameValue(nv) if nv.path.is_ident(key) => match nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
}

fn is_string_enum(e: &ItemEnum) -> bool {
    !e.variants.is_empty()
        && e.variants.iter().all(|v| matches!(v.fields, Fields::Unit))
        && derives(&e.attrs, "Deserialize")
}

fn derives(attrs: &[Attribute], name: &str) -> bool {
    derive_paths(attrs)
        .iter()
        .any(|p| p.segments.last().is_some_and(|s| s.ident == name))
}

fn derive_paths(attrs: &[Attribute]) -> Vec<syn::Path> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("derive"))
        .filter_map(|a| {
            a.parse_args_with(Punctuated::<syn::Path, Token![,]>::parse_terminated)
                .ok()
        })
        .flatten()
        .collect()
}

/// Rewrites the `#[derive(...)]` list, keeping the derives `keep` accepts.
pub(super) fn retain_derives(attrs: &mut [Attribute], keep: impl Fn(&str) -> bool) {
    for attr in attrs.iter_mut().filter(|a| a.path().is_ident("derive")) {
        let Ok(paths) = attr.parse_args_with(Punctuated::<syn::Path, Token![,]>::parse_terminated)
        else {
            continue;
        };
        let kept: Punctuated<syn::Path, Token![,]> = paths
            .into_iter()
            .filter(|p| {
                p.segments
                    .last()
                    .is_some_and(|s| keep(&s.ident.to_string()))
            })
            .collect();
        *attr = parse_quote!(#[derive(#kept)]);
    }
}

fn open_string_enum(items: &mut [Item], index: usize, unknown: &syn::Ident) {
    let Item::Enum(e) = &mut items[index] else {
        unreachable!("checked by the caller")
    };
    // A `String` cannot be `Copy`.
    retain_derives(&mut e.attrs, |name| name != "Copy");
    e.variants.push(parse_quote! {
        /// A value this version of the crate does not know; it holds the raw
        /// string, which serializes and displays unchanged.
        #[serde(untagged)]
        #unknown(::std::string::String)
    });
}

/// Calls `f` with the trait's name (`Display` or `FromStr`) and the `match`
/// that ends each method of typify's impls of those traits for `name`;
/// `own` are the indices of the impls for that name.
pub(super) fn typify_trait_matches(
    items: &mut [Item],
    own: &[usize],
    name: &syn::Ident,
    f: &mut dyn FnMut(&str, &mut syn::ExprMatch),
) {
    for &index in own {
        let Item::Impl(imp) = &mut items[index] else {
            continue;
        };
        let for_this = matches!(&*imp.self_ty, syn::Type::Path(p) if p.path.is_ident(name));
        let Some(trait_name) = imp
            .trait_
            .as_ref()
            .and_then(|(_, path, _)| path.segments.last())
            .map(|s| s.ident.to_string())
        else {
            continue;
        };
        if !for_this || (trait_name != "Display" && trait_name != "FromStr") {
            continue;
        }
        for impl_item in imp.items.iter_mut() {
            let syn::ImplItem::Fn(method) = impl_item else {
                continue;
            };
            if let Some(syn::Stmt::Expr(syn::Expr::Match(m), None)) = method.block.stmts.last_mut()
            {
                f(&trait_name, m);
            }
        }
    }
}

/// `Display` shows an unknown value as it came; `FromStr` accepts any string.
/// `own` are the indices of the impls for the enum's name.
fn patch_string_enum_impls(
    items: &mut [Item],
    own: &[usize],
    name: &syn::Ident,
    unknown: &syn::Ident,
) -> Result<(), String> {
    let mut display = false;
    let mut from_str = false;
    let mut no_wildcard = false;
    typify_trait_matches(items, own, name, &mut |trait_name, m| {
        if trait_name == "Display" {
            // typify matches on `*self`, so the string is bound by reference.
            m.arms
                .push(parse_quote!(Self::#unknown(ref value) => f.write_str(value),));
            display = true;
        } else {
            let wildcard = m
                .arms
                .iter_mut()
                .find(|arm| matches!(arm.pat, syn::Pat::Wild(_)));
            match wildcard {
                Some(arm) => {
                    *arm = parse_quote!(_ => Ok(Self::#unknown(value.to_string())),);
                    from_str = true;
                }
                None => no_wildcard = true,
            }
        }
    });
    if no_wildcard {
        return Err(format!("{name}: FromStr has no `_` arm"));
    }
    if display && from_str {
        Ok(())
    } else {
        Err(format!(
            "{name}: expected typify's Display and FromStr impls"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Adyen's payment methods: an untagged union of structs told apart by
    /// their `type` (each branch's own enum, one optional), beside an enum
    /// no union tells apart.
    #[test]
    fn enums_that_tell_union_branches_apart_stay_closed() {
        let mut file: syn::File = parse_quote! {
            pub mod types {
                #[derive(::serde::Deserialize, ::serde::Serialize)]
                pub enum AmazonPayType { #[serde(rename = "amazonpay")] Amazonpay }
                #[derive(::serde::Deserialize, ::serde::Serialize)]
                pub enum EcontextType { #[serde(rename = "econtext_stores")] Stores }
                #[derive(::serde::Deserialize, ::serde::Serialize)]
                pub enum Channel { #[serde(rename = "web")] Web }
                pub struct AmazonPay { pub type_: Option<AmazonPayType>, pub channel: Channel }
                pub struct Econtext { pub type_: EcontextType, pub first_name: String }
                #[derive(::serde::Deserialize, ::serde::Serialize)]
                #[serde(untagged)]
                pub enum PaymentMethod { AmazonPay(AmazonPay), Econtext(Econtext) }
            }
        };
        let closed = union_discriminators(types_module(&mut file).unwrap());
        let mut closed: Vec<String> = closed.into_iter().collect();
        closed.sort();
        assert_eq!(closed, ["AmazonPayType", "EcontextType"]);
    }
}
