//! Where each item of the generated client and mock goes under `cfg`s: an
//! operation's client method, builder, mock and error arms under its tags'
//! features, a type under the features of every operation that reaches it.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::{quote, ToTokens};
use syn::{Attribute, ImplItem, Item, TraitItem, Type};

use super::super::builders::{builders_of, defined, idents, last_ident, used};
use super::ALL_SCHEMAS;

/// When an item is compiled.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Gate {
    Always,
    /// With any of these features (and, for a type, with `all-schemas`).
    Any(BTreeSet<String>),
}

impl Gate {
    fn join(&mut self, other: &Gate) {
        match (&mut *self, other) {
            (Gate::Always, _) => {}
            (_, Gate::Always) => *self = Gate::Always,
            (Gate::Any(mine), Gate::Any(theirs)) => mine.extend(theirs.iter().cloned()),
        }
    }

    /// Whether `self` being on implies `other` is.
    fn implies(&self, other: &Gate) -> bool {
        match (self, other) {
            (_, Gate::Always) => true,
            (Gate::Always, _) => false,
            (Gate::Any(mine), Gate::Any(theirs)) => mine.is_subset(theirs),
        }
    }

    /// The condition, `None` for always; a type's includes `all-schemas`.
    fn condition(&self, of_type: bool) -> Option<TokenStream> {
        let Gate::Any(features) = self else {
            return None;
        };
        let mut names: Vec<&str> = features.iter().map(String::as_str).collect();
        if of_type {
            names.push(ALL_SCHEMAS);
        }
        Some(match names.as_slice() {
            [one] => quote!(feature = #one),
            many => quote!(any(#(feature = #many),*)),
        })
    }
}

fn cfg(condition: TokenStream) -> Attribute {
    syn::parse_quote!(#[cfg(#condition)])
}

fn ident_set(tokens: impl ToTokens) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    idents(tokens.to_token_stream(), &mut out);
    out
}

/// The name of the error body enum, read from `Error::documented()`'s
/// return type (`Option<types::ErrorBody>`): compiled always, its variants
/// gated.
fn error_body_enum(file: &syn::File) -> Option<String> {
    for item in &file.items {
        let Item::Impl(imp) = item else { continue };
        for item in &imp.items {
            let ImplItem::Fn(f) = item else { continue };
            if f.sig.ident != "documented" {
                continue;
            }
            let syn::ReturnType::Type(_, ty) = &f.sig.output else {
                continue;
            };
            let Type::Path(p) = &**ty else { continue };
            let last = p.path.segments.last()?;
            if let syn::PathArguments::AngleBracketed(args) = &last.arguments {
                if let Some(syn::GenericArgument::Type(inner)) = args.args.first() {
                    return last_ident(inner);
                }
            }
        }
    }
    None
}

/// Each type's gate: the features of every operation that reaches it,
/// `Always` where an operation without features does.
fn type_gates(
    types: &[Item],
    seeds: &[(Gate, BTreeSet<String>)],
    skip: Option<&str>,
) -> BTreeMap<String, Gate> {
    let mut uses: BTreeMap<String, BTreeSet<String>> = types
        .iter()
        .filter_map(|item| defined(item).map(|name| (name, used(item))))
        .filter(|(name, _)| Some(name.as_str()) != skip)
        .collect();
    // A type uses what its impls name too: a union's `Deserialize` reads
    // through a helper enum its definition does not name
    // (`discriminator.rs`'s `…Known`).
    for item in types {
        let Item::Impl(imp) = item else { continue };
        if let Some(names) = last_ident(&imp.self_ty).and_then(|s| uses.get_mut(&s)) {
            idents(imp.to_token_stream(), names);
        }
    }
    let mut gates: BTreeMap<String, Gate> = uses
        .keys()
        .map(|name| (name.clone(), Gate::Any(BTreeSet::new())))
        .collect();
    for (gate, roots) in seeds {
        let mut todo: Vec<&String> = roots.iter().filter(|r| uses.contains_key(*r)).collect();
        let mut seen: BTreeSet<&String> = BTreeSet::new();
        while let Some(name) = todo.pop() {
            if !seen.insert(name) {
                continue;
            }
            let Some(current) = gates.get_mut(name) else {
                continue;
            };
            current.join(gate);
            todo.extend(
                uses[name]
                    .iter()
                    .filter(|u| uses.contains_key(*u) && !seen.contains(u)),
            );
        }
    }
    gates
}

/// The gate of an item that mentions the defined types `names`: the one
/// that implies all the others, else all of them.
fn gate_of_mentions(
    names: &BTreeSet<String>,
    gates: &BTreeMap<String, Gate>,
) -> Option<TokenStream> {
    let mentioned: Vec<&Gate> = names
        .iter()
        .filter_map(|n| gates.get(n))
        .filter(|g| **g != Gate::Always)
        .collect();
    if mentioned.is_empty() {
        return None;
    }
    if let Some(strongest) = mentioned
        .iter()
        .find(|g| mentioned.iter().all(|o| g.implies(o)))
    {
        return strongest.condition(true);
    }
    let all: Vec<TokenStream> = mentioned.iter().filter_map(|g| g.condition(true)).collect();
    Some(quote!(all(#(#all),*)))
}

/// Gates the items of `types` (and of its `builder` and `defaults`
/// modules) by the types they define or implement for.
fn gate_types(items: &mut [Item], gates: &BTreeMap<String, Gate>, error_enum: Option<&str>) {
    for item in items.iter_mut() {
        let condition = match item {
            Item::Enum(e) if Some(e.ident.to_string().as_str()) == error_enum => {
                for variant in e.variants.iter_mut() {
                    let names = variant
                        .fields
                        .iter()
                        .flat_map(|f| ident_set(&f.ty))
                        .collect();
                    if let Some(condition) = gate_of_mentions(&names, gates) {
                        variant.attrs.push(cfg(condition));
                    }
                }
                None
            }
            Item::Struct(_) | Item::Enum(_) | Item::Type(_) => {
                let name = defined(item).unwrap_or_default();
                gates.get(&name).and_then(|g| g.condition(true))
            }
            Item::Impl(imp) => {
                let mut header = ident_set(&imp.self_ty);
                if let Some((_, path, _)) = &imp.trait_ {
                    header.extend(ident_set(path));
                }
                gate_of_mentions(&header, gates)
            }
            Item::Fn(f) => gate_of_mentions(&ident_set(&f.sig), gates),
            Item::Mod(m) => {
                if let Some((_, inner)) = m.content.as_mut() {
                    gate_types(inner, gates, error_enum);
                }
                None
            }
            _ => None,
        };
        if let Some(condition) = condition {
            push_attr(item, cfg(condition));
        }
    }
}

fn push_attr(item: &mut Item, attr: Attribute) {
    match item {
        Item::Struct(s) => s.attrs.push(attr),
        Item::Enum(e) => e.attrs.push(attr),
        Item::Type(t) => t.attrs.push(attr),
        Item::Impl(i) => i.attrs.push(attr),
        Item::Fn(f) => f.attrs.push(attr),
        Item::Trait(t) => t.attrs.push(attr),
        _ => {}
    }
}

/// The gate of the client method `method`.
fn operation_gate(
    method: &str,
    methods: &BTreeMap<String, BTreeSet<String>>,
) -> Option<TokenStream> {
    let features = methods.get(method)?;
    if features.is_empty() {
        return None;
    }
    Gate::Any(features.clone()).condition(false)
}

/// Puts each operation's items and each type under the features of the
/// tags that reach it (see the module's docs). `methods` is
/// [`operation_features`]; nothing changes where no operation has a
/// feature.
pub fn apply(
    client: &mut syn::File,
    mock: &mut syn::File,
    methods: &BTreeMap<String, BTreeSet<String>>,
) -> Result<(), String> {
    let builders = builders_of(client, &|method| methods.contains_key(method));
    let op_of_mock = |name: &str| {
        name.strip_suffix("When")
            .or_else(|| name.strip_suffix("Then"))
            .and_then(|b| builders.get(b))
    };
    // What each operation names: its builder, and its mocks (every
    // documented answer, errors included).
    let mut roots: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for item in &client.items {
        let Item::Mod(m) = item else { continue };
        if m.ident != "builder" {
            continue;
        }
        for item in m.content.iter().flat_map(|(_, items)| items) {
            let subject = match item {
                Item::Struct(s) => Some(s.ident.to_string()),
                Item::Impl(imp) => last_ident(&imp.self_ty),
                _ => None,
            };
            if let Some(method) = subject.and_then(|s| builders.get(&s)) {
                idents(item.to_token_stream(), roots.entry(method).or_default());
            }
        }
    }
    for item in &mock.items {
        let Item::Mod(m) = item else { continue };
        for item in m.content.iter().flat_map(|(_, items)| items) {
            let subject = match item {
                Item::Struct(s) => Some(s.ident.to_string()),
                Item::Impl(imp) => last_ident(&imp.self_ty),
                _ => None,
            };
            if let Some(method) = subject.as_deref().and_then(op_of_mock) {
                idents(item.to_token_stream(), roots.entry(method).or_default());
            }
        }
    }
    let mut by_gate: BTreeMap<Vec<String>, BTreeSet<String>> = BTreeMap::new();
    for (method, names) in roots {
        let features: Vec<String> = methods[method].iter().cloned().collect();
        by_gate.entry(features).or_default().extend(names);
    }
    let seeds: Vec<(Gate, BTreeSet<String>)> = by_gate
        .into_iter()
        .map(|(features, names)| {
            let gate = if features.is_empty() {
                Gate::Always
            } else {
                Gate::Any(features.into_iter().collect())
            };
            (gate, names)
        })
        .collect();
    let error_enum = error_body_enum(client);
    let types = super::super::forward_compat::types_module(client)?;
    let gates = type_gates(types, &seeds, error_enum.as_deref());
    gate_types(types, &gates, error_enum.as_deref());
    for item in client.items.iter_mut() {
        match item {
            Item::Impl(imp) if imp.trait_.is_none() => {
                let is_client = last_ident(&imp.self_ty).as_deref() == Some("Client");
                for item in imp.items.iter_mut() {
                    let ImplItem::Fn(f) = item else { continue };
                    if is_client {
                        if let Some(condition) = operation_gate(&f.sig.ident.to_string(), methods) {
                            f.attrs.push(cfg(condition));
                        }
                    } else if f.sig.ident == "documented" {
                        gate_arms(&mut f.block, methods);
                    } else if let syn::ReturnType::Type(_, ty) = &f.sig.output {
                        // An error body accessor: `Option<types::X>`.
                        if let Some(condition) = gate_of_mentions(&ident_set(ty), &gates) {
                            f.attrs.push(cfg(condition));
                        }
                    }
                }
            }
            Item::Mod(m) if m.ident == "builder" => {
                for item in m.content.iter_mut().flat_map(|(_, items)| items.iter_mut()) {
                    let subject = match item {
                        Item::Struct(s) => Some(s.ident.to_string()),
                        Item::Impl(imp) => last_ident(&imp.self_ty),
                        _ => None,
                    };
                    let method = subject.and_then(|s| builders.get(&s));
                    if let Some(condition) = method.and_then(|m| operation_gate(m, methods)) {
                        push_attr(item, cfg(condition));
                    }
                }
            }
            _ => {}
        }
    }
    for item in mock.items.iter_mut() {
        match item {
            Item::Mod(m) => {
                for item in m.content.iter_mut().flat_map(|(_, items)| items.iter_mut()) {
                    let subject = match item {
                        Item::Struct(s) => Some(s.ident.to_string()),
                        Item::Impl(imp) => last_ident(&imp.self_ty),
                        _ => None,
                    };
                    let method = subject.as_deref().and_then(op_of_mock);
                    if let Some(condition) = method.and_then(|m| operation_gate(m, methods)) {
                        push_attr(item, cfg(condition));
                    }
                }
            }
            Item::Trait(t) => {
                for item in t.items.iter_mut() {
                    if let TraitItem::Fn(f) = item {
                        if let Some(condition) = operation_gate(&f.sig.ident.to_string(), methods) {
                            f.attrs.push(cfg(condition));
                        }
                    }
                }
            }
            Item::Impl(imp) if imp.trait_.is_some() => {
                for item in imp.items.iter_mut() {
                    if let ImplItem::Fn(f) = item {
                        if let Some(condition) = operation_gate(&f.sig.ident.to_string(), methods) {
                            f.attrs.push(cfg(condition));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Gates the arms of `documented()`'s match, whose patterns start with the
/// operation's method name (`("get_user", 404u16)`).
fn gate_arms(block: &mut syn::Block, methods: &BTreeMap<String, BTreeSet<String>>) {
    for stmt in block.stmts.iter_mut() {
        let syn::Stmt::Expr(syn::Expr::Match(m), _) = stmt else {
            continue;
        };
        for arm in m.arms.iter_mut() {
            let syn::Pat::Tuple(tuple) = &arm.pat else {
                continue;
            };
            let Some(syn::Pat::Lit(lit)) = tuple.elems.first() else {
                continue;
            };
            let syn::Lit::Str(method) = &lit.lit else {
                continue;
            };
            if let Some(condition) = operation_gate(&method.value(), methods) {
                arm.attrs.push(cfg(condition));
            }
        }
    }
}
