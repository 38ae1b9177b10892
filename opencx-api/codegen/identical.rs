//! Items typify writes twice, token for token: the later copies go.
//!
//! typify can convert one schema twice under one name (a component reached
//! again through an `allOf` merge gets the same name and the same shape:
//! oxidecomputer/typify#487, open), so the module defines the type, its
//! impls and its builder twice (E0428, E0119). Two identical definitions
//! mean one thing; keeping the first changes nothing a caller can see. Items
//! of one name that differ are left alone: regen names their schemas apart.

use std::collections::{BTreeMap, BTreeSet};

use quote::ToTokens;
use syn::Item;

/// The key two copies of one item share: its kind and what it defines or
/// implements. Items without one (uses, macros) are never removed.
fn key(item: &Item) -> Option<String> {
    Some(match item {
        Item::Struct(s) => format!("struct {}", s.ident),
        Item::Enum(e) => format!("enum {}", e.ident),
        Item::Type(t) => format!("type {}", t.ident),
        Item::Fn(f) => format!("fn {}", f.sig.ident),
        Item::Impl(imp) => {
            let ty = &imp.self_ty;
            let trait_ = imp
                .trait_
                .as_ref()
                .map(|(_, path, _)| path.to_token_stream().to_string())
                .unwrap_or_default();
            format!("impl {trait_} for {}", ty.to_token_stream())
        }
        Item::Mod(m) => format!("mod {}", m.ident),
        _ => return None,
    })
}

/// Removes every item of `items` (and of the modules among them) that
/// repeats an earlier one token for token. Returns how many went.
pub fn apply(items: &mut Vec<Item>) -> usize {
    let mut removed = 0;
    for item in items.iter_mut() {
        if let Item::Mod(m) = item {
            if let Some((_, inner)) = m.content.as_mut() {
                removed += apply(inner);
            }
        }
    }
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for item in items.iter() {
        if let Some(key) = key(item) {
            *counts.entry(key).or_default() += 1;
        }
    }
    // Only items whose key repeats are compared as text.
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let before = items.len();
    items.retain(|item| {
        let Some(key) = key(item).filter(|k| counts[k] > 1) else {
            return true;
        };
        seen.insert(format!("{key}\n{}", item.to_token_stream()))
    });
    removed + before - items.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_type_written_twice_alike_is_written_once() {
        let mut file: syn::File = syn::parse_quote! {
            pub struct TeamLinks { pub html: Option<Link> }
            impl TeamLinks { pub fn builder() -> builder::TeamLinks { Default::default() } }
            pub struct TeamLinks { pub html: Option<Link> }
            impl TeamLinks { pub fn builder() -> builder::TeamLinks { Default::default() } }
            pub struct Other { pub a: i64 }
            pub mod builder {
                pub struct TeamLinks { html: Result<Option<super::Link>, String> }
                pub struct TeamLinks { html: Result<Option<super::Link>, String> }
            }
        };
        assert_eq!(apply(&mut file.items), 3);
        let text = file.to_token_stream().to_string();
        assert_eq!(text.matches("struct TeamLinks").count(), 2, "{text}");
        assert!(text.contains("struct Other"));
    }

    #[test]
    fn two_different_items_of_one_name_stay() {
        let mut file: syn::File = syn::parse_quote! {
            pub struct Link { pub href: String }
            pub struct Link { pub name: String }
        };
        assert_eq!(apply(&mut file.items), 0);
        assert_eq!(file.items.len(), 2);
    }
}
