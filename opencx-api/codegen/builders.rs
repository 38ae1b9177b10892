//! typify's struct builders only for the types an operation sends or answers.
//!
//! typify writes for every struct a builder (`types::builder::X`: a struct
//! of `Result` fields, `Default`, a generic setter a field, `TryFrom` and
//! `From`) and `X::builder()`: about three times the lines of the type
//! itself. A caller builds a request body with it, or an answer for a mock;
//! a type no operation reaches (a webhook's payload, a component nothing
//! uses) is only ever decoded. Today's GitHub description has 7,374 types of
//! which 2,701 an operation reaches: the builders of the others were 171,000
//! of its 653,000 generated lines, compiled by every crate that depends on
//! the client. Their types stay, with `Default` where typify wrote it.
//!
//! Reached: every type the operation builders (the `builder` module, which
//! holds each operation's parameters and body and names its answer) or the
//! mocks (every documented answer, errors included) name, and every type
//! named by a reached type's definition, until nothing is added (aliases the
//! dedup wrote included).

use std::collections::BTreeSet;

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;
use syn::{Item, Type};

/// Every identifier in `tokens`, groups included.
pub(super) fn idents(tokens: TokenStream, out: &mut BTreeSet<String>) {
    for token in tokens {
        match token {
            TokenTree::Ident(ident) => {
                out.insert(ident.to_string());
            }
            TokenTree::Group(group) => idents(group.stream(), out),
            _ => {}
        }
    }
}

/// The name a `types` item defines (a struct, enum or alias).
pub(super) fn defined(item: &Item) -> Option<String> {
    match item {
        Item::Struct(s) => Some(s.ident.to_string()),
        Item::Enum(e) => Some(e.ident.to_string()),
        Item::Type(t) => Some(t.ident.to_string()),
        _ => None,
    }
}

/// The identifiers an item's definition uses, its doc comments and other
/// attributes aside (a doc comment naming a type does not reach it).
pub(super) fn used(item: &Item) -> BTreeSet<String> {
    let mut item = item.clone();
    let mut out = BTreeSet::new();
    match &mut item {
        Item::Struct(s) => {
            s.attrs.clear();
            for field in s.fields.iter_mut() {
                field.attrs.clear();
            }
        }
        Item::Enum(e) => {
            e.attrs.clear();
            for variant in e.variants.iter_mut() {
                variant.attrs.clear();
                for field in variant.fields.iter_mut() {
                    field.attrs.clear();
                }
            }
        }
        Item::Type(t) => t.attrs.clear(),
        _ => {}
    }
    idents(item.to_token_stream(), &mut out);
    out
}

/// The last identifier of a type's path (`super::X` → `X`).
pub(super) fn last_ident(ty: &Type) -> Option<String> {
    match ty {
        Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// The types `roots` name and every type their definitions name, until
/// nothing is added.
fn reach(roots: &BTreeSet<String>, definitions: &[(String, BTreeSet<String>)]) -> BTreeSet<String> {
    let uses: std::collections::BTreeMap<&str, &BTreeSet<String>> =
        definitions.iter().map(|(n, u)| (n.as_str(), u)).collect();
    let mut reached: BTreeSet<String> = BTreeSet::new();
    let mut todo: Vec<&str> = roots
        .iter()
        .map(String::as_str)
        .filter(|r| uses.contains_key(r))
        .collect();
    while let Some(name) = todo.pop() {
        if !reached.insert(name.to_string()) {
            continue;
        }
        todo.extend(
            uses[name]
                .iter()
                .map(String::as_str)
                .filter(|u| uses.contains_key(u) && !reached.contains(*u)),
        );
    }
    reached
}

/// Removes the builders of the types no operation reaches from `file` (the
/// client), `mock` being its mocks, and puts those of the types only an
/// answer reaches under the `mock` feature: a request's parameters and body
/// are built by callers, an answer only by a test that mocks it. Returns
/// how many types lost their builder.
pub fn apply(file: &mut syn::File, mock: &syn::File) -> usize {
    let mut roots = BTreeSet::new();
    idents(mock.to_token_stream(), &mut roots);
    // What a request takes: the fields of each operation's builder.
    let mut sent_roots = BTreeSet::new();
    for item in &file.items {
        if let Item::Mod(m) = item {
            if m.ident == "builder" {
                idents(m.to_token_stream(), &mut roots);
                for item in m.content.iter().flat_map(|(_, items)| items) {
                    if let Item::Struct(s) = item {
                        idents(s.fields.to_token_stream(), &mut sent_roots);
                    }
                }
            }
        }
    }
    let Some(types) = file.items.iter_mut().find_map(|item| match item {
        Item::Mod(m) if m.ident == "types" => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    }) else {
        return 0;
    };
    let definitions: Vec<(String, BTreeSet<String>)> = types
        .iter()
        .filter_map(|item| defined(item).map(|name| (name, used(item))))
        .collect();
    let names: BTreeSet<&str> = definitions.iter().map(|(n, _)| n.as_str()).collect();
    let reached = reach(&roots, &definitions);
    let sent = reach(&sent_roots, &definitions);
    let unreached = |name: &str| names.contains(name) && !reached.contains(name);
    let answer_only = |name: &str| reached.contains(name) && !sent.contains(name);
    let for_mocks: syn::Attribute = syn::parse_quote!(#[cfg(feature = "mock")]);
    let mut pruned: BTreeSet<String> = BTreeSet::new();
    for item in types.iter_mut() {
        let Item::Mod(m) = item else { continue };
        if m.ident != "builder" {
            continue;
        }
        let Some((_, items)) = m.content.as_mut() else {
            continue;
        };
        items.retain(|item| {
            let subject = match item {
                Item::Impl(imp) => last_ident(&imp.self_ty),
                other => defined(other),
            };
            match subject {
                Some(name) if unreached(&name) => {
                    pruned.insert(name);
                    false
                }
                _ => true,
            }
        });
        for item in items.iter_mut() {
            let subject = match &*item {
                Item::Impl(imp) => last_ident(&imp.self_ty),
                other => defined(other),
            };
            if subject.is_some_and(|name| answer_only(&name)) {
                match &mut *item {
                    Item::Impl(imp) => imp.attrs.push(for_mocks.clone()),
                    Item::Struct(s) => s.attrs.push(for_mocks.clone()),
                    // The dedup's aliases of builders
                    // (`pub type A = B;`), gated as `B` is.
                    Item::Type(t) => t.attrs.push(for_mocks.clone()),
                    _ => {}
                }
            }
        }
    }
    // `X::builder()`, which returns the builder that went, or is there only
    // with the mocks.
    types.retain(|item| !(is_builder_fn(item) && subject_in(item, &pruned)));
    for item in types.iter_mut() {
        if is_builder_fn(item) {
            if let Item::Impl(imp) = item {
                if last_ident(&imp.self_ty).is_some_and(|n| answer_only(&n)) {
                    imp.attrs.push(for_mocks.clone());
                }
            }
        }
    }
    pruned.len()
}

/// Whether `item` is `impl X { pub fn builder() ... }` and nothing else.
fn is_builder_fn(item: &Item) -> bool {
    matches!(item, Item::Impl(imp) if imp.trait_.is_none()
        && imp.items.len() == 1
        && matches!(&imp.items[0], syn::ImplItem::Fn(f) if f.sig.ident == "builder"))
}

fn subject_in(item: &Item, names: &BTreeSet<String>) -> bool {
    matches!(item, Item::Impl(imp) if last_ident(&imp.self_ty).is_some_and(|n| names.contains(&n)))
}

/// The client's operations: builder struct name → client method, read
/// from each `Client` method's return type (`builder::ListPets<'_>`), for
/// the methods `keep` takes. Read, not derived from the operation's name,
/// so it is what progenitor wrote.
pub fn builders_of(
    file: &syn::File,
    keep: &dyn Fn(&str) -> bool,
) -> std::collections::BTreeMap<String, String> {
    let mut out = std::collections::BTreeMap::new();
    for item in &file.items {
        let Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some() || last_ident(&imp.self_ty).as_deref() != Some("Client") {
            continue;
        }
        for item in &imp.items {
            let syn::ImplItem::Fn(f) = item else { continue };
            let method = f.sig.ident.to_string();
            if !keep(&method) {
                continue;
            }
            if let syn::ReturnType::Type(_, ty) = &f.sig.output {
                if let Some(name) = last_ident(ty) {
                    out.insert(name, method);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    #[test]
    fn only_types_an_operation_reaches_keep_their_builders() {
        let mut file: syn::File = parse_quote! {
            pub mod types {
                /// Mentions `Payload` in its docs only.
                pub struct Answer { pub item: Item }
                pub struct Item { pub name: String }
                pub type Other = Item;
                pub struct Payload { pub sender: Sender }
                pub struct Sender { pub login: String }
                pub struct Failure { pub code: i64 }
                pub type Fault = Failure;
                impl Answer { pub fn builder() -> builder::Answer { Default::default() } }
                impl Failure { pub fn builder() -> builder::Failure { Default::default() } }
                impl Payload { pub fn builder() -> builder::Payload { Default::default() } }
                impl Sender { pub fn builder() -> builder::Sender { Default::default() } }
                pub mod builder {
                    pub struct Answer { item: Result<super::Item, String> }
                    impl Default for Answer { fn default() -> Self { todo!() } }
                    pub struct Payload { sender: Result<super::Sender, String> }
                    impl Default for Payload { fn default() -> Self { todo!() } }
                    impl TryFrom<Payload> for super::Payload {
                        type Error = String;
                        fn try_from(v: Payload) -> Result<Self, String> { todo!() }
                    }
                    impl From<super::Payload> for Payload { fn from(v: super::Payload) -> Self { todo!() } }
                    pub struct Sender { login: Result<String, String> }
                    pub struct Failure { code: Result<i64, String> }
                    pub type Fault = Failure;
                }
            }
            pub mod builder {
                pub struct GetAnswer { body: Result<types::builder::Answer, String> }
            }
        };
        let mock: syn::File = parse_quote! {
            pub fn answer_error(then: Then, body: &types::Fault) {}
        };
        assert_eq!(apply(&mut file, &mock), 2);
        let text = file.to_token_stream().to_string();
        assert!(text.contains("pub struct Answer { item"), "{text}");
        assert!(text.contains("impl Answer"), "{text}");
        assert!(
            text.contains("pub struct Failure { code : Result"),
            "{text}"
        );
        for gone in [
            "impl Payload",
            "impl Sender",
            "pub struct Payload { sender : Result",
            "for super :: Payload",
            "pub struct Sender { login : Result",
        ] {
            assert!(!text.contains(gone), "{gone} in {text}");
        }
        // An answer's builder is there for the mocks alone.
        assert!(
            text.contains("# [cfg (feature = \"mock\")] pub struct Failure"),
            "{text}"
        );
        assert!(
            !text.contains("# [cfg (feature = \"mock\")] pub struct Answer"),
            "{text}"
        );
        assert!(
            text.contains("# [cfg (feature = \"mock\")] pub type Fault = Failure"),
            "{text}"
        );
        // The types themselves stay.
        assert!(text.contains("pub struct Payload { pub sender"), "{text}");
    }
}
