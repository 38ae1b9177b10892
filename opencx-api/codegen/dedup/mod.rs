//! One type for one shape. typify writes a type for every inline schema, so
//! an API that repeats a shape inline (a `sortBy` enum on every list
//! operation, the same object answered by create, get, update and delete)
//! gets it once per use, each with its serde derives, impls and builder.
//! Those are most of what rustc spends on the generated crate (BENCHMARKS.md,
//! "Cost as the API grows"), and a caller cannot pass what one operation
//! answers to another that takes the same shape.
//!
//! Every repeat of an inline shape becomes an alias of one type of that
//! shape (`pub type GetResponsesSortBy = GetContactsSortBy;`, and the same in
//! `types::builder`), so every name the generated code used still compiles.
//! Named components are never made aliases: two components of one shape are
//! two concepts to the document's author, and Rust keeps them apart. No name
//! is invented (kubb dropped its own dedupe, kubb-labs/kubb#3633, because
//! the names it invented for hoisted shapes collided); typify has no such
//! option.
//!
//! Two types are repeats when everything generated for them (the type, its
//! impls, its builder and the builder's impls) is the same token for token,
//! doc comments aside, reading their own name as one placeholder and every
//! type they use through the aliases found so far, until nothing changes (so
//! two objects whose fields are repeats are repeats too).

use std::collections::{BTreeMap, BTreeSet};

use quote::ToTokens;
use syn::visit_mut::VisitMut;
use syn::{parse_quote, Attribute, Ident, Item};

/// Path segments after which a segment names a type of the `types` module
/// (or of its `builder` module); after a type, a segment is a variant.
const MODULES: &[&str] = &["super", "self", "crate", "types", "builder"];

/// What [`apply`] did: each alias and the type it now is.
pub type Aliases = BTreeMap<String, String>;

/// Makes repeats of inline shapes in the generated `types` module (and its
/// `builder` module) aliases; `components` are the type names of the
/// document's named schemas, which stay types of their own.
pub fn apply(types: &mut Vec<Item>, components: &BTreeSet<String>) -> Aliases {
    let defined: BTreeSet<String> = types
        .iter()
        .filter_map(|item| match item {
            Item::Struct(s) => Some(s.ident.to_string()),
            Item::Enum(e) => Some(e.ident.to_string()),
            _ => None,
        })
        .collect();
    let shapes = Shapes::read(types, &defined);
    let aliases = shapes.repeats(components);
    if !aliases.is_empty() {
        rewrite(types, &aliases);
    }
    aliases
}

/// Everything generated for each type, as tokens in which the type's own
/// name is `Self_` and every other type name is a [`Token::Type`].
struct Shapes {
    by_type: BTreeMap<String, Vec<Token>>,
}

#[derive(Clone, PartialEq, Eq)]
enum Token {
    Text(String),
    Type(String),
}

/// The type an item of `types` (or of `types::builder`) is generated for:
/// the type it defines or the type its `impl` is for.
fn owner(item: &Item, defined: &BTreeSet<String>) -> Option<String> {
    let name = match item {
        Item::Struct(s) => s.ident.to_string(),
        Item::Enum(e) => e.ident.to_string(),
        Item::Impl(i) => match &*i.self_ty {
            syn::Type::Path(p) if p.qself.is_none() => {
                let (last, before) = p
                    .path
                    .segments
                    .iter()
                    .collect::<Vec<_>>()
                    .split_last()
                    .map(|(last, before)| (last.ident.to_string(), before.to_vec()))?;
                let in_module = before
                    .iter()
                    .all(|s| MODULES.contains(&s.ident.to_string().as_str()));
                if !in_module {
                    return None;
                }
                last
            }
            _ => return None,
        },
        _ => return None,
    };
    defined.contains(&name).then_some(name)
}

fn builder_items(types: &[Item]) -> &[Item] {
    types
        .iter()
        .find_map(|item| match item {
            Item::Mod(m) if m.ident == "builder" => m.content.as_ref().map(|(_, items)| &items[..]),
            _ => None,
        })
        .unwrap_or(&[])
}

fn builder_items_mut(types: &mut [Item]) -> Option<&mut Vec<Item>> {
    types.iter_mut().find_map(|item| match item {
        Item::Mod(m) if m.ident == "builder" => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    })
}

impl Shapes {
    fn read(types: &[Item], defined: &BTreeSet<String>) -> Shapes {
        let mut by_type: BTreeMap<String, Vec<Token>> = BTreeMap::new();
        let modules = [("types", types), ("builder", builder_items(types))];
        for (module, items) in modules {
            for item in items {
                let Some(name) = owner(item, defined) else {
                    continue;
                };
                let mut item = item.clone();
                Marker {
                    own: &name,
                    defined,
                }
                .visit_item_mut(&mut item);
                let tokens = by_type.entry(name).or_default();
                tokens.push(Token::Text(module.to_string()));
                tokens.extend(item.to_token_stream().to_string().split(' ').map(|t| {
                    match t.strip_prefix(TYPE_MARK) {
                        Some(name) => Token::Type(name.to_string()),
                        None => Token::Text(t.to_string()),
                    }
                }));
            }
        }
        Shapes { by_type }
    }

    /// Each repeat and the type it becomes, to a fixed point.
    fn repeats(&self, components: &BTreeSet<String>) -> Aliases {
        let mut canonical: BTreeMap<&str, &str> = self
            .by_type
            .keys()
            .map(|k| (k.as_str(), k.as_str()))
            .collect();
        loop {
            let mut groups: BTreeMap<Vec<&str>, Vec<&str>> = BTreeMap::new();
            for (name, tokens) in &self.by_type {
                let key = tokens
                    .iter()
                    .map(|t| match t {
                        Token::Text(text) => text.as_str(),
                        Token::Type(other) => {
                            canonical.get(other.as_str()).copied().unwrap_or(other)
                        }
                    })
                    .collect();
                groups.entry(key).or_default().push(name);
            }
            let mut next = canonical.clone();
            for members in groups.values().filter(|m| m.len() > 1) {
                // A component's own name if the shape has one (the
                // document's name), else the shortest, then the first.
                let Some(chosen) = members
                    .iter()
                    .min_by_key(|m| (!components.contains(**m), m.len(), **m))
                else {
                    continue;
                };
                for member in members {
                    if !components.contains(*member) {
                        next.insert(member, chosen);
                    }
                }
            }
            if next == canonical {
                return canonical
                    .into_iter()
                    .filter(|(name, to)| name != to)
                    .map(|(name, to)| (name.to_string(), to.to_string()))
                    .collect();
            }
            canonical = next;
        }
    }
}

const SELF_MARK: &str = "Self_Own";
const TYPE_MARK: &str = "Type_Ref_";

/// Rewrites a copy of an item for comparison: doc comments emptied, the
/// owner's name as [`SELF_MARK`], other type names marked.
struct Marker<'a> {
    own: &'a str,
    defined: &'a BTreeSet<String>,
}

impl Marker<'_> {
    fn mark(&self, ident: &mut Ident) {
        let name = ident.to_string();
        if name == self.own {
            *ident = Ident::new(SELF_MARK, ident.span());
        } else if self.defined.contains(&name) {
            *ident = Ident::new(&format!("{TYPE_MARK}{name}"), ident.span());
        }
    }
}

impl VisitMut for Marker<'_> {
    fn visit_attribute_mut(&mut self, attr: &mut Attribute) {
        if attr.path().is_ident("doc") {
            *attr = parse_quote!(#[doc = ""]);
        }
    }

    fn visit_item_struct_mut(&mut self, item: &mut syn::ItemStruct) {
        self.mark(&mut item.ident);
        syn::visit_mut::visit_item_struct_mut(self, item);
    }

    fn visit_item_enum_mut(&mut self, item: &mut syn::ItemEnum) {
        self.mark(&mut item.ident);
        syn::visit_mut::visit_item_enum_mut(self, item);
    }

    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        let mut after_module = true;
        for segment in path.segments.iter_mut() {
            let name = segment.ident.to_string();
            let is_module = MODULES.contains(&name.as_str());
            if after_module && !is_module {
                self.mark(&mut segment.ident);
            }
            after_module = is_module;
            self.visit_path_arguments_mut(&mut segment.arguments);
        }
    }
}

/// Replaces each alias's items with `pub type Alias = Type;` (its docs kept),
/// in `types` and in `types::builder`, and drops trait impls that the aliases
/// made the same impl twice (`From<A> for E` and `From<B> for E`, once `B` is
/// `A`): which variant `E::from` meant is no longer known.
fn rewrite(types: &mut Vec<Item>, aliases: &Aliases) {
    let defined: BTreeSet<String> = aliases.keys().chain(aliases.values()).cloned().collect();
    let all_defined: BTreeSet<String> = types
        .iter()
        .filter_map(|item| match item {
            Item::Struct(s) => Some(s.ident.to_string()),
            Item::Enum(e) => Some(e.ident.to_string()),
            _ => None,
        })
        .chain(defined)
        .collect();
    replace_with_aliases(types, aliases, &all_defined, true);
    if let Some(builder) = builder_items_mut(types) {
        replace_with_aliases(builder, aliases, &all_defined, false);
        drop_twice_implemented(builder, aliases);
    }
    drop_twice_implemented(types, aliases);
    let mut constructors = Constructors { aliases };
    for item in types.iter_mut() {
        constructors.visit_item_mut(item);
    }
}

/// Calls of an alias as a tuple struct's constructor, and tuple-struct
/// patterns of it, name the type it stands for: a type alias cannot be
/// called (E0423, "expected function, tuple struct or tuple variant, found
/// type alias"), and typify's `defaults` module builds a constrained
/// string's default as `super::Name("…".to_string())`. SendGrid's API
/// repeats such a string inline with a default, and its client did not
/// compile. An alias's variants (`Alias::Variant(..)`) and struct literals
/// (`Alias { .. }`) compile as they are.
struct Constructors<'a> {
    aliases: &'a Aliases,
}

impl Constructors<'_> {
    fn resolve(&self, path: &mut syn::Path) {
        let in_module = path
            .segments
            .iter()
            .rev()
            .skip(1)
            .all(|s| MODULES.contains(&s.ident.to_string().as_str()));
        let Some(last) = path.segments.last_mut().filter(|_| in_module) else {
            return;
        };
        if let Some(to) = self.aliases.get(&last.ident.to_string()) {
            last.ident = Ident::new(to, last.ident.span());
        }
    }
}

impl VisitMut for Constructors<'_> {
    fn visit_expr_call_mut(&mut self, call: &mut syn::ExprCall) {
        if let syn::Expr::Path(function) = &mut *call.func {
            if function.qself.is_none() {
                self.resolve(&mut function.path);
            }
        }
        syn::visit_mut::visit_expr_call_mut(self, call);
    }

    fn visit_pat_tuple_struct_mut(&mut self, pattern: &mut syn::PatTupleStruct) {
        if pattern.qself.is_none() {
            self.resolve(&mut pattern.path);
        }
        syn::visit_mut::visit_pat_tuple_struct_mut(self, pattern);
    }
}

fn replace_with_aliases(
    items: &mut Vec<Item>,
    aliases: &Aliases,
    defined: &BTreeSet<String>,
    keep_docs: bool,
) {
    let mut out = Vec::with_capacity(items.len());
    for item in items.drain(..) {
        let Some(name) = owner(&item, defined) else {
            out.push(item);
            continue;
        };
        let Some(to) = aliases.get(&name) else {
            out.push(item);
            continue;
        };
        // The alias's impls and builder go; its definition becomes the alias.
        let attrs = match &item {
            Item::Struct(s) => &s.attrs,
            Item::Enum(e) => &e.attrs,
            _ => continue,
        };
        let ident = Ident::new(&name, proc_macro2::Span::call_site());
        let target = Ident::new(to, proc_macro2::Span::call_site());
        let docs: Vec<&Attribute> = attrs
            .iter()
            .filter(|a| keep_docs && a.path().is_ident("doc"))
            .collect();
        let note = format!(
            " The same shape as [`{to}`], so the same type: the document repeats it inline."
        );
        let separator = (!docs.is_empty()).then(|| quote::quote!(#[doc = ""]));
        let note = keep_docs.then(|| quote::quote!(#[doc = #note]));
        out.push(parse_quote! {
            #(#docs)*
            #separator
            #note
            pub type #ident = #target;
        });
    }
    *items = out;
}

/// Trait impls that are the same impl once aliases are read as their types.
fn drop_twice_implemented(items: &mut Vec<Item>, aliases: &Aliases) {
    let key = |item: &Item| -> Option<String> {
        let Item::Impl(i) = item else { return None };
        let (_, path, _) = i.trait_.as_ref()?;
        let (generics, self_ty) = (&i.generics, &i.self_ty);
        let text = quote::quote!(#generics #path #self_ty).to_string();
        let resolved: Vec<&str> = text
            .split(' ')
            .map(|t| aliases.get(t).map_or(t, String::as_str))
            .collect();
        Some(resolved.join(" "))
    };
    let keys: Vec<Option<String>> = items.iter().map(key).collect();
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for k in keys.iter().flatten() {
        *seen.entry(k).or_default() += 1;
    }
    let twice: BTreeSet<String> = seen
        .into_iter()
        .filter(|(_, n)| *n > 1)
        .map(|(k, _)| k.to_string())
        .collect();
    if twice.is_empty() {
        return;
    }
    let mut keys = keys.into_iter();
    items.retain(|_| keys.next().flatten().is_none_or(|k| !twice.contains(&k)));
}

#[cfg(test)]
mod tests;
