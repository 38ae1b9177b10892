//! Unions with a `discriminator` decode by their tag.
//!
//! typify ignores OpenAPI's `discriminator` (oxidecomputer/typify#498;
//! progenitor drops it while reading the document) and writes
//! `#[serde(untagged)]`, which tries the variants in order: with
//! `{propertyName: shape_kind, mapping: {sq: Square, ci: Circle}}`, the
//! object `{"shape_kind": "ci", "size": 2}` decodes as whichever variant
//! accepts it first, silently. Here such an enum gets a `Deserialize` that
//! reads the tag and decodes the one variant it names (the `mapping`, and
//! for a variant the mapping does not name, its schema's name, as OpenAPI
//! says), and an `Unknown` variant that keeps an object with any other tag
//! whole. The variant types hold the tag property themselves, so the whole
//! object goes to them, and serializing stays untagged.

use std::collections::BTreeMap;

use quote::quote;
use serde_json::Value;
use syn::punctuated::Punctuated;
use syn::{parse_quote, Fields, Item, Meta, Token};

use super::names::type_name;

/// A component with a discriminator: its type name, the tag property, and
/// each variant's tags by the variant's type name.
struct Discriminated {
    type_name: String,
    property: String,
    tags: BTreeMap<String, Vec<String>>,
}

fn discriminated(doc: &Value) -> Vec<Discriminated> {
    let Some(schemas) = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for (name, schema) in schemas {
        let Some(property) = schema
            .pointer("/discriminator/propertyName")
            .and_then(Value::as_str)
        else {
            continue;
        };
        let Some(branches) = schema
            .get("oneOf")
            .or_else(|| schema.get("anyOf"))
            .and_then(Value::as_array)
        else {
            continue;
        };
        let mapping = schema
            .pointer("/discriminator/mapping")
            .and_then(Value::as_object);
        let mut tags: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for branch in branches {
            let Some(target) = branch
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
            else {
                continue;
            };
            let mut named: Vec<String> = mapping
                .into_iter()
                .flatten()
                .filter(|(_, to)| {
                    let to = to.as_str().unwrap_or_default();
                    to == target || to.strip_prefix("#/components/schemas/") == Some(target)
                })
                .map(|(tag, _)| tag.clone())
                .collect();
            if named.is_empty() {
                named.push(target.to_string());
            }
            tags.entry(type_name(target)).or_default().extend(named);
        }
        found.push(Discriminated {
            type_name: type_name(name),
            property: property.to_string(),
            tags,
        });
    }
    found
}

fn serde_metas(attr: &syn::Attribute) -> Vec<Meta> {
    if !attr.path().is_ident("serde") {
        return Vec::new();
    }
    attr.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
        .map(|m| m.into_iter().collect())
        .unwrap_or_default()
}

/// Rewrites the untagged enums of discriminated components in `items` (the
/// `types` module); returns the items to add and how many it rewrote.
pub fn apply(items: &mut [Item], doc: &Value) -> (Vec<Item>, usize) {
    let mut added = Vec::new();
    let mut rewritten = 0;
    for union in discriminated(doc) {
        let Some(e) = items.iter_mut().find_map(|item| match item {
            Item::Enum(e) if e.ident == union.type_name => Some(e),
            _ => None,
        }) else {
            continue;
        };
        let untagged = e
            .attrs
            .iter()
            .flat_map(serde_metas)
            .any(|m| m.path().is_ident("untagged"));
        // Each variant holds one type, and each type is a mapped branch.
        let mut arms = Vec::new();
        for variant in &e.variants {
            let Fields::Unnamed(fields) = &variant.fields else {
                arms.clear();
                break;
            };
            let ty = fields.unnamed.first().map(|f| &f.ty);
            let ty_name = quote!(#ty).to_string();
            let Some(tags) = union.tags.get(ty_name.trim()) else {
                arms.clear();
                break;
            };
            let ident = &variant.ident;
            arms.push(quote! {
                #(#tags)|* => crate::runtime::tagged_union::variant(object).map(Self::#ident),
            });
        }
        if !untagged || arms.len() != e.variants.len() {
            continue;
        }
        // Derives stay but `Deserialize`, and `Copy`/`Ord`, which a JSON
        // object cannot have.
        for attr in e.attrs.iter_mut().filter(|a| a.path().is_ident("derive")) {
            let Ok(paths) =
                attr.parse_args_with(Punctuated::<syn::Path, Token![,]>::parse_terminated)
            else {
                continue;
            };
            let kept: Punctuated<syn::Path, Token![,]> = paths
                .into_iter()
                .filter(|p| {
                    let last = p
                        .segments
                        .last()
                        .map(|s| s.ident.to_string())
                        .unwrap_or_default();
                    !matches!(last.as_str(), "Deserialize" | "Copy" | "Ord" | "PartialOrd")
                })
                .collect();
            *attr = parse_quote!(#[derive(#kept)]);
        }
        let unknown = super::names::catch_all(e.variants.iter().map(|v| &v.ident));
        e.variants.push(parse_quote! {
            /// A tag this version of the crate does not know: the whole
            /// object as received, which serializes unchanged.
            #unknown(::serde_json::Map<::std::string::String, ::serde_json::Value>)
        });
        let name = &e.ident;
        let property = &union.property;
        added.push(parse_quote! {
            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
                where
                    D: ::serde::Deserializer<'de>,
                {
                    let (tag, object) =
                        crate::runtime::tagged_union::discriminated::<D>(deserializer, #property)?;
                    match tag.as_str() {
                        #(#arms)*
                        _ => Ok(Self::#unknown(object)),
                    }
                }
            }
        });
        rewritten += 1;
    }
    (added, rewritten)
}
