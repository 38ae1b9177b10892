//! `deprecated: true` upstream becomes `#[deprecated(note = "...")]` in the
//! client, so code that calls a deprecated operation, sets a deprecated
//! parameter or uses a deprecated property gets a compiler warning with
//! upstream's reason before the day it is removed.
//!
//! progenitor 0.15 and typify 0.8 read `deprecated` and write nothing of it
//! (no upstream issue asks for it yet). Here:
//!
//! - an operation: the `Client` method that starts its builder;
//! - a parameter: the operation builder's setter for it;
//! - a schema property: the struct field (or the field of an enum variant)
//!   and typify's builder setter for it (`types::builder::X::field`).
//!
//! The note is the first paragraph of upstream's description of the item, or
//! "deprecated upstream". The generated code that uses these items itself
//! (typify's conversions between a type and its builder, its `Default`, the
//! other rewrites' impls) gets `#[allow(deprecated)]` on those impls only:
//! a downstream crate still sees every use of its own.

mod document;

use std::collections::BTreeMap;

use serde_json::Value;
use syn::{parse_quote, Attribute, Fields, ImplItem, Item};

use super::names::{progenitor_name, Case};
use document::MARKER;

pub use document::mark;

/// Marks every deprecated item of `client`, generated from `doc` as
/// [`mark`]ed: the `Client` methods and the builders' setters by the names
/// progenitor gives them, the fields by the marker typify copied into their
/// doc comments, which is removed from every doc comment. Returns the paths
/// of the items marked (`Client::get_widget`, `builder::ListWidgets::colour`,
/// `types::Widget::name`, `types::builder::Widget::name`).
pub fn apply(client: &mut syn::File, doc: &Value) -> Vec<String> {
    let (operations, parameters) = document::operations_and_parameters(doc);
    let mut marked = Vec::new();
    for item in client.items.iter_mut() {
        match item {
            Item::Impl(imp) if imp.trait_.is_none() && self_name(&imp.self_ty) == "Client" => {
                for op in &operations {
                    let method = progenitor_name(&op.operation_id, Case::Snake);
                    if let Some(f) = method_named(imp, &method) {
                        deprecate(&mut f.attrs, &op.note);
                        marked.push(format!("Client::{method}"));
                    }
                }
            }
            Item::Mod(m) if m.ident == "builder" => {
                let mut items = m.content.as_mut().map(|(_, items)| items);
                for param in &parameters {
                    let builder = progenitor_name(&param.operation_id, Case::Pascal);
                    let field = progenitor_name(&param.name, Case::Snake);
                    if let Some(name) = items
                        .as_deref_mut()
                        .and_then(|items| setter_of(items, &builder, &field, &param.note))
                    {
                        marked.push(format!("builder::{builder}::{name}"));
                    }
                }
            }
            Item::Mod(m) if m.ident == "types" => {
                if let Some((_, items)) = m.content.as_mut() {
                    marked.extend(properties(items));
                }
            }
            _ => {}
        }
    }
    strip_marker(client);
    marked
}

/// In the builder module `items`, the setter of builder `builder` that sets
/// its field `field` (named after the parameter, whatever the collisions
/// rewrite renamed the setter to): marked deprecated, its name returned.
fn setter_of(items: &mut [Item], builder: &str, field: &str, note: &str) -> Option<String> {
    for item in items.iter_mut() {
        let Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some() || self_name(&imp.self_ty) != builder {
            continue;
        }
        for impl_item in imp.items.iter_mut() {
            let ImplItem::Fn(f) = impl_item else { continue };
            if assigns_field(&f.block, field) {
                deprecate(&mut f.attrs, note);
                return Some(f.sig.ident.to_string());
            }
        }
    }
    None
}

/// Whether `block` assigns `self.<field> = ...` at its top level, as every
/// progenitor and typify setter does.
fn assigns_field(block: &syn::Block, field: &str) -> bool {
    block.stmts.iter().any(|stmt| {
        let syn::Stmt::Expr(syn::Expr::Assign(assign), _) = stmt else {
            return false;
        };
        matches!(&*assign.left, syn::Expr::Field(target)
            if matches!(&*target.base, syn::Expr::Path(p) if p.path.is_ident("self"))
                && matches!(&target.member, syn::Member::Named(name) if name == field))
    })
}

/// Marks the fields whose doc comment carries the marker, in the `types`
/// module `items` (structs and enum variants), and typify's builder setters
/// for them; allows the deprecated fields' use in the impls of their types
/// and builders. Returns what it marked.
fn properties(items: &mut [Item]) -> Vec<String> {
    // Type name → (field → note).
    let mut fields: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for item in items.iter_mut() {
        let (name, all) = match item {
            Item::Struct(s) => (s.ident.to_string(), vec![&mut s.fields]),
            Item::Enum(e) => (
                e.ident.to_string(),
                e.variants.iter_mut().map(|v| &mut v.fields).collect(),
            ),
            _ => continue,
        };
        for group in all {
            let Fields::Named(named) = group else {
                continue;
            };
            for field in named.named.iter_mut() {
                let Some(note) = marked_note(&field.attrs) else {
                    continue;
                };
                deprecate(&mut field.attrs, &note);
                let ident = field.ident.as_ref().map(ToString::to_string);
                if let Some(ident) = ident {
                    fields.entry(name.clone()).or_default().insert(ident, note);
                }
            }
        }
    }
    let mut marked: Vec<String> = fields
        .iter()
        .flat_map(|(ty, fields)| fields.keys().map(move |f| format!("types::{ty}::{f}")))
        .collect();
    for item in items.iter_mut() {
        match item {
            Item::Impl(imp) => allow_uses(imp, &fields, false),
            Item::Mod(m) if m.ident == "builder" => {
                for item in m.content.iter_mut().flat_map(|(_, items)| items.iter_mut()) {
                    let Item::Impl(imp) = item else { continue };
                    let owner = self_name(&imp.self_ty);
                    if let (None, Some(deprecated)) = (&imp.trait_, fields.get(&owner)) {
                        for (field, note) in deprecated {
                            if let Some(f) = method_named(imp, field) {
                                deprecate(&mut f.attrs, note);
                                marked.push(format!("types::builder::{owner}::{field}"));
                            }
                        }
                    }
                    allow_uses(imp, &fields, true);
                }
            }
            _ => {}
        }
    }
    marked
}

/// `#[allow(deprecated)]` on `imp` when it is an impl of a type with
/// deprecated fields that names one of them: typify's conversions between
/// a type and its builder, and the other rewrites' impls, read and build
/// every field. In `types::builder` (`in_builder`), only an impl that
/// names the type itself (`super::X`): the builder's own fields, of the
/// same names, are not deprecated.
fn allow_uses(
    imp: &mut syn::ItemImpl,
    fields: &BTreeMap<String, BTreeMap<String, String>>,
    in_builder: bool,
) {
    struct Names<'a>(&'a BTreeMap<String, String>, bool);
    impl syn::visit::Visit<'_> for Names<'_> {
        fn visit_member(&mut self, member: &syn::Member) {
            if let syn::Member::Named(name) = member {
                self.1 |= self.0.contains_key(&name.to_string());
            }
        }
    }
    let owner = self_name(&imp.self_ty);
    let Some(names) = fields.get(&owner) else {
        return;
    };
    let tokens = quote::ToTokens::to_token_stream(&*imp).to_string();
    if in_builder && !tokens.contains(&format!("super :: {owner}")) {
        return;
    }
    let mut found = Names(names, false);
    syn::visit::Visit::visit_item_impl(&mut found, imp);
    let allowed = imp.attrs.iter().any(|a| {
        a.path().is_ident("allow")
            && quote::ToTokens::to_token_stream(&a.meta).to_string() == "allow (deprecated)"
    });
    if found.1 && !allowed {
        imp.attrs.push(parse_quote!(#[allow(deprecated)]));
    }
}

/// The note of a field whose doc comment carries the marker: the doc
/// comment without it, or "deprecated upstream".
fn marked_note(attrs: &[Attribute]) -> Option<String> {
    let docs: Vec<String> = attrs.iter().filter_map(doc_text).collect();
    let text = docs.join("\n");
    text.contains(MARKER)
        .then(|| document::note(Some(&text.replace(MARKER, ""))))
}

/// Adds `#[deprecated(note = ...)]` to `attrs`, once.
fn deprecate(attrs: &mut Vec<Attribute>, note: &str) {
    if !attrs.iter().any(|a| a.path().is_ident("deprecated")) {
        attrs.push(parse_quote!(#[deprecated(note = #note)]));
    }
}

/// The text of a `#[doc = "..."]` attribute.
fn doc_text(attr: &Attribute) -> Option<String> {
    let syn::Meta::NameValue(nv) = &attr.meta else {
        return None;
    };
    if !nv.path.is_ident("doc") {
        return None;
    }
    match &nv.value {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => Some(s.value()),
        _ => None,
    }
}

/// Takes the marker out of every doc comment of the generated types (typify
/// may also copy a property's description onto the type it writes for it),
/// dropping a doc comment left empty.
fn strip_marker(file: &mut syn::File) {
    struct Strip;
    impl syn::visit_mut::VisitMut for Strip {
        fn visit_item_struct_mut(&mut self, item: &mut syn::ItemStruct) {
            strip(&mut item.attrs);
            syn::visit_mut::visit_item_struct_mut(self, item);
        }
        fn visit_item_enum_mut(&mut self, item: &mut syn::ItemEnum) {
            strip(&mut item.attrs);
            syn::visit_mut::visit_item_enum_mut(self, item);
        }
        fn visit_item_type_mut(&mut self, item: &mut syn::ItemType) {
            strip(&mut item.attrs);
        }
        fn visit_variant_mut(&mut self, variant: &mut syn::Variant) {
            strip(&mut variant.attrs);
            syn::visit_mut::visit_variant_mut(self, variant);
        }
        fn visit_field_mut(&mut self, field: &mut syn::Field) {
            strip(&mut field.attrs);
        }
    }
    syn::visit_mut::VisitMut::visit_file_mut(&mut Strip, file);
}

/// `attrs` without the marker in their doc comments.
fn strip(attrs: &mut Vec<Attribute>) {
    attrs.retain_mut(|attr| {
        let Some(text) = doc_text(attr).filter(|t| t.contains(MARKER)) else {
            return true;
        };
        let kept = text.replace(MARKER, "");
        let kept = kept.trim_end();
        if kept.trim().is_empty() {
            return false;
        }
        *attr = parse_quote!(#[doc = #kept]);
        true
    });
}

/// The inherent method of `imp` named `name`.
fn method_named<'a>(imp: &'a mut syn::ItemImpl, name: &str) -> Option<&'a mut syn::ImplItemFn> {
    imp.items.iter_mut().find_map(|item| match item {
        ImplItem::Fn(f) if f.sig.ident == name => Some(f),
        _ => None,
    })
}

/// The last segment of a type path: `Widget` for `super::Widget<'a>`.
fn self_name(ty: &syn::Type) -> String {
    match ty {
        syn::Type::Path(p) => p
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests;
