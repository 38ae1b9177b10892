//! The public API of one generated client, read with syn: each public item
//! with its members, their types or signatures, deprecations, and the
//! features that compile them.

use std::collections::{BTreeMap, BTreeSet};

use quote::ToTokens;

/// One public item and its members.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Item {
    pub(super) kind: &'static str,
    pub(super) non_exhaustive: bool,
    /// member name → (member kind, its type or signature).
    pub(super) members: BTreeMap<String, (&'static str, String)>,
    /// The members marked `#[deprecated]`.
    pub(super) deprecated: BTreeSet<String>,
    /// The cargo features its `#[cfg]` names (`codegen/selection.rs`: the
    /// tags of the operations that reach it); empty: always compiled.
    pub(super) features: BTreeSet<String>,
    /// The same, of each method that has its own `#[cfg]` (an operation's
    /// `Client` method).
    pub(super) member_features: BTreeMap<String, BTreeSet<String>>,
}

/// The public API of one generated client source, by item path.
#[derive(Debug, Default)]
pub struct Api {
    pub(super) items: BTreeMap<String, Item>,
}

impl Api {
    /// Reads the public items of `source` (a whole generated `client.rs`).
    pub fn parse(source: &str) -> Result<Self, String> {
        let file = syn::parse_file(source)
            .map_err(|e| format!("the generated client does not parse: {e}"))?;
        let mut api = Api::default();
        api.module(&file.items, "");
        api.resolve_aliases();
        Ok(api)
    }

    /// An alias of a type of the same module (the generator's one type for
    /// a repeated shape) has that type's members: `types::B = A` keeps every
    /// field, variant and method `B` had when `A` has them too.
    fn resolve_aliases(&mut self) {
        let resolved: Vec<(String, Item)> = self
            .items
            .iter()
            .filter(|(_, item)| item.kind == "type alias")
            .filter_map(|(path, item)| {
                let (_, target) = item.members.get("")?;
                let module = path.rsplit_once("::").map_or("", |(m, _)| m);
                let target_path = if module.is_empty() {
                    target.clone()
                } else {
                    format!("{module}::{target}")
                };
                let mut resolved = self.items.get(&target_path)?.clone();
                if resolved.kind == "type alias" {
                    return None;
                }
                resolved
                    .members
                    .insert(String::new(), ("alias", target_path));
                Some((path.clone(), resolved))
            })
            .collect();
        self.items.extend(resolved);
    }

    fn module(&mut self, items: &[syn::Item], prefix: &str) {
        let path = |name: &str| {
            if prefix.is_empty() {
                name.to_string()
            } else {
                format!("{prefix}::{name}")
            }
        };
        for item in items {
            match item {
                syn::Item::Mod(m) if is_pub(&m.vis) => {
                    if let Some((_, inner)) = &m.content {
                        self.module(inner, &path(&m.ident.to_string()));
                    }
                }
                syn::Item::Struct(s) if is_pub(&s.vis) => {
                    let mut members = BTreeMap::new();
                    let mut deprecated_fields = BTreeSet::new();
                    for (i, field) in s.fields.iter().enumerate() {
                        if is_pub(&field.vis) {
                            let name = field
                                .ident
                                .as_ref()
                                .map_or(i.to_string(), ToString::to_string);
                            if deprecated(&field.attrs) {
                                deprecated_fields.insert(name.clone());
                            }
                            members.insert(name, ("field", tokens(&field.ty)));
                        }
                    }
                    let entry = self.entry(path(&s.ident.to_string()), "struct");
                    entry.non_exhaustive = non_exhaustive(&s.attrs);
                    entry.features.extend(cfg_features(&s.attrs));
                    entry.members.extend(members);
                    entry.deprecated.extend(deprecated_fields);
                }
                syn::Item::Enum(e) if is_pub(&e.vis) => {
                    let members = e
                        .variants
                        .iter()
                        .map(|v| (v.ident.to_string(), ("variant", tokens(&v.fields))))
                        .collect::<BTreeMap<_, _>>();
                    let entry = self.entry(path(&e.ident.to_string()), "enum");
                    entry.non_exhaustive = non_exhaustive(&e.attrs);
                    entry.features.extend(cfg_features(&e.attrs));
                    entry.members.extend(members);
                }
                syn::Item::Type(t) if is_pub(&t.vis) => {
                    let entry = self.entry(path(&t.ident.to_string()), "type alias");
                    entry.features.extend(cfg_features(&t.attrs));
                    entry
                        .members
                        .insert(String::new(), ("alias", tokens(&t.ty)));
                }
                syn::Item::Impl(i) if i.trait_.is_none() => {
                    let Some(owner) = self_name(&i.self_ty) else {
                        continue;
                    };
                    let owner = path(&owner);
                    for member in &i.items {
                        if let syn::ImplItem::Fn(f) = member {
                            if is_pub(&f.vis) {
                                let name = f.sig.ident.to_string();
                                // A type of the runtime (`ClientBuilder`) is
                                // not defined here: only its methods are.
                                let entry = self.entry(owner.clone(), "impl");
                                if deprecated(&f.attrs) {
                                    entry.deprecated.insert(name.clone());
                                }
                                let features = cfg_features(&f.attrs);
                                if !features.is_empty() {
                                    entry
                                        .member_features
                                        .entry(name.clone())
                                        .or_default()
                                        .extend(features);
                                }
                                entry.members.insert(name, ("method", tokens(&f.sig)));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// The cargo features that compile `member` of `item` (the item as a
    /// whole for `""`): `types::Issue`, `builder::IssuesCreate`, or
    /// `Client` and an operation's method. `None` for an item this API has
    /// not.
    pub fn features(&self, item: &str, member: &str) -> Option<&BTreeSet<String>> {
        let item = self.items.get(item)?;
        Some(item.member_features.get(member).unwrap_or(&item.features))
    }

    fn entry(&mut self, path: String, kind: &'static str) -> &mut Item {
        let item = self.items.entry(path).or_insert_with(|| Item {
            kind,
            non_exhaustive: false,
            members: BTreeMap::new(),
            deprecated: BTreeSet::new(),
            features: BTreeSet::new(),
            member_features: BTreeMap::new(),
        });
        // An `impl` can come before its type: the type says what it is.
        if kind != "impl" {
            item.kind = kind;
        }
        item
    }
}

/// The features a `#[cfg(any(feature = "a", ...))]` among `attrs` names.
fn cfg_features(attrs: &[syn::Attribute]) -> Vec<String> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("cfg"))
        .flat_map(|a| {
            let text = a.meta.to_token_stream().to_string();
            text.split("feature = \"")
                .skip(1)
                .filter_map(|piece| piece.split_once('"').map(|(name, _)| name.to_string()))
                .collect::<Vec<_>>()
        })
        .collect()
}

pub(super) fn is_pub(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

pub(super) fn deprecated(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("deprecated"))
}

pub(super) fn non_exhaustive(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("non_exhaustive"))
}

pub(super) fn self_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// Tokens as one normalised string, so formatting never reads as a change.
/// The tokens as a person writes them: `Result<ResponseValue<T>, Error>`,
/// not `Result < ResponseValue < T > , Error >`.
pub(super) fn tokens(node: &impl ToTokens) -> String {
    // Paths as their last segment: `::chrono::DateTime<::chrono::offset::Utc>`
    // reads `DateTime<Utc>`, `super::Team` reads `Team`.
    use crate::codegen::names::LastSegments;
    let mut text = match syn::parse2::<syn::Signature>(node.to_token_stream()) {
        Ok(mut signature) => {
            syn::visit_mut::VisitMut::visit_signature_mut(&mut LastSegments, &mut signature);
            signature.to_token_stream().to_string()
        }
        Err(_) => match syn::parse2::<syn::Type>(node.to_token_stream()) {
            Ok(mut ty) => {
                syn::visit_mut::VisitMut::visit_type_mut(&mut LastSegments, &mut ty);
                ty.to_token_stream().to_string()
            }
            Err(_) => node.to_token_stream().to_string(),
        },
    };
    for (from, to) in [
        (" :: ", "::"),
        (":: ", "::"),
        (" ::", "::"),
        (" ,", ","),
        ("( ", "("),
        (" )", ")"),
        ("< ", "<"),
        (" <", "<"),
        (" >", ">"),
        ("& ", "&"),
        (" : ", ": "),
        (" ;", ";"),
        (",)", ")"),
        (",>", ">"),
        (" (", "("),
        (", where", " where"),
    ] {
        while text.contains(from) {
            text = text.replace(from, to);
        }
    }
    let text = text
        .replace("->", " -> ")
        .replace(",<", ", <")
        .replace("  ", " ");
    text.trim_end_matches(',').to_string()
}
