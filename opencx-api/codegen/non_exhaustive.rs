//! `#[non_exhaustive]` on the generated types, so an additive upstream change
//! is a minor release, as it is for aws-sdk-rust's generated types.
//!
//! - Every enum: a new value or event type adds a variant, and a match outside
//!   the crate already needs a wildcard arm (responses also have `Unknown`).
//! - Every struct with named fields: a new field is not a breaking change.
//!   Request types stay constructible outside the crate: `X::default()` (or
//!   `X::builder()`) and then assigning the public fields.
//!
//! Newtypes (`SessionId(String)`) are left as they are: they never grow fields.

use syn::{parse_quote, Fields, Item};

/// Marks the items of the generated `types` module.
pub fn apply(items: &mut [Item]) {
    for item in items {
        let attrs = match item {
            Item::Enum(e) => &mut e.attrs,
            Item::Struct(s) if matches!(s.fields, Fields::Named(_)) => &mut s.attrs,
            _ => continue,
        };
        if !attrs.iter().any(|a| a.path().is_ident("non_exhaustive")) {
            attrs.push(parse_quote!(#[non_exhaustive]));
        }
    }
}
