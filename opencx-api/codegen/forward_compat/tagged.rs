//! An internally tagged enum opened to the tags a later version adds: an
//! `Unknown(serde_json::Map)` variant keeps such an event whole, and
//! typify's `Display` and `FromStr` impls learn of it.

use syn::{parse_quote, Fields, Item, Meta};

use super::{retain_derives, serde_metas, serde_string, typify_trait_matches};

/// The `Display` and `FromStr` impls typify writes for a tagged enum whose
/// variants carry only their tag: an unknown object displays as its tag (or
/// as JSON without one), and any other string parses into one.
pub(super) fn patch_tagged_enum_impls(
    items: &mut [Item],
    own: &[usize],
    name: &syn::Ident,
    tag: &str,
    unknown: &syn::Ident,
) {
    typify_trait_matches(items, own, name, &mut |trait_name, m| {
        if trait_name == "Display" {
            m.arms.push(parse_quote!(
                Self::#unknown(ref object) => match object.get(#tag).and_then(|t| t.as_str()) {
                    Some(tag) => f.write_str(tag),
                    None => ::std::fmt::Display::fmt(&::serde_json::Value::Object(object.clone()), f),
                },
            ));
        } else if let Some(arm) = m
            .arms
            .iter_mut()
            .find(|a| matches!(a.pat, syn::Pat::Wild(_)))
        {
            *arm = parse_quote!(_ => {
                let mut object = ::serde_json::Map::new();
                object.insert(#tag.to_string(), ::serde_json::Value::String(value.to_string()));
                Ok(Self::#unknown(object))
            });
        }
    });
}

/// Opens an internally tagged enum. Returns the items to add beside it: a
/// private twin that derives `Deserialize` for the known variants, the
/// conversion from it, and the `Deserialize` impl that chooses between them.
pub(super) fn open_tagged_enum(
    item: &mut Item,
    tag: &str,
    unknown: &syn::Ident,
) -> Result<Vec<Item>, String> {
    let Item::Enum(e) = item else {
        unreachable!("checked by the caller")
    };
    let name = e.ident.clone();
    let known_name = syn::Ident::new(&format!("{name}Known"), name.span());
    // typify writes `tag` and `content` for a union whose variants hold their
    // fields under one property (`{"type": "email", "data": {...}}`).
    let content = serde_string(&e.attrs, "content");

    let mut known = e.clone();
    known.ident = known_name.clone();
    known.vis = syn::Visibility::Inherited;
    known.attrs.retain(|a| !a.path().is_ident("doc"));
    retain_derives(&mut known.attrs, |name| name == "Deserialize");
    // Externally tagged: `crate::runtime::tagged_union` finds the tag and hands the
    // twin the variant's name and the rest of the object, read only once.
    known.attrs.retain(|attr| {
        !serde_metas(attr).is_some_and(|metas| {
            metas
                .iter()
                .any(|m| m.path().is_ident("tag") || m.path().is_ident("content"))
        })
    });
    known.attrs.push(parse_quote!(
        #[doc = "The variants this version knows, externally tagged for `crate::runtime::tagged_union`."]
    ));

    let mut tags = Vec::new();
    let mut arms: Vec<syn::Arm> = Vec::new();
    for variant in &e.variants {
        let ident = &variant.ident;
        let renamed = variant
            .attrs
            .iter()
            .filter_map(serde_metas)
            .flatten()
            .find_map(|meta| match meta {
                Meta::NameValue(nv) if nv.path.is_ident("rename") => match nv.value {
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(s),
                        ..
                    }) => Some(s.value()),
                    _ => None,
                },
                _ => None,
            });
        tags.push(renamed.unwrap_or_else(|| ident.to_string()));
        arms.push(match &variant.fields {
            Fields::Unit => parse_quote!(#known_name::#ident => Self::#ident,),
            Fields::Named(fields) => {
                let names: Vec<_> = fields.named.iter().map(|f| f.ident.clone()).collect();
                parse_quote!(#known_name::#ident { #(#names),* } => Self::#ident { #(#names),* },)
            }
            Fields::Unnamed(fields) => {
                let names: Vec<_> = (0..fields.unnamed.len())
                    .map(|i| syn::Ident::new(&format!("field{i}"), ident.span()))
                    .collect();
                parse_quote!(#known_name::#ident(#(#names),*) => Self::#ident(#(#names),*),)
            }
        });
    }

    // A JSON object has no order and cannot be copied.
    retain_derives(&mut e.attrs, |name| {
        !matches!(name, "Deserialize" | "Copy" | "Ord" | "PartialOrd")
    });
    e.variants.push(parse_quote! {
        /// An event type this version of the crate does not know: the whole
        /// object as received (including its tag), which serializes unchanged.
        #[serde(untagged)]
        #unknown(::serde_json::Map<::std::string::String, ::serde_json::Value>)
    });

    let conversion: Item = parse_quote! {
        impl ::std::convert::From<#known_name> for #name {
            fn from(value: #known_name) -> Self {
                match value {
                    #(#arms)*
                }
            }
        }
    };
    let read = match &content {
        None => quote::quote!(crate::runtime::tagged_union::deserialize::<D, #known_name>(
            deserializer,
            #tag,
            &[#(#tags),*],
        )?),
        Some(content) => {
            quote::quote!(crate::runtime::tagged_union::deserialize_adjacent::<D, #known_name>(
            deserializer,
            #tag,
            #content,
            &[#(#tags),*],
        )?)
        }
    };
    let deserialize: Item = parse_quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
            where
                D: ::serde::Deserializer<'de>,
            {
                match #read {
                    crate::runtime::tagged_union::Tagged::Known(known) => Ok(Self::from(known)),
                    crate::runtime::tagged_union::Tagged::Unknown(object) => Ok(Self::#unknown(object)),
                }
            }
        }
    };
    Ok(vec![Item::Enum(known), conversion, deserialize])
}
