//! The public API of a generated client, read with syn, and what changed in it
//! between two versions: types, their fields and field types, enum variants,
//! and methods with their signatures (a builder method's parameter type is in
//! its signature), so type changes are caught.

use std::collections::{BTreeMap, BTreeSet};

use quote::ToTokens;

/// One public item and its members.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Item {
    kind: &'static str,
    non_exhaustive: bool,
    /// member name → (member kind, its type or signature).
    members: BTreeMap<String, (&'static str, String)>,
    /// The members marked `#[deprecated]`.
    deprecated: BTreeSet<String>,
    /// The cargo features its `#[cfg]` names (`codegen/selection.rs`: the
    /// tags of the operations that reach it); empty: always compiled.
    features: BTreeSet<String>,
    /// The same, of each method that has its own `#[cfg]` (an operation's
    /// `Client` method).
    member_features: BTreeMap<String, BTreeSet<String>>,
}

/// The public API of one generated client source, by item path.
#[derive(Debug, Default)]
pub struct Api {
    items: BTreeMap<String, Item>,
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

/// One change to the public API.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RustChange {
    /// `types::Session`, `builder::ListChatSessions`, `Client`.
    pub item: String,
    /// The field, variant or method; empty for the item itself.
    pub member: String,
    /// What happened, for people.
    pub description: String,
    /// Whether code that compiled against the old API may not compile now.
    pub breaking: bool,
}

/// Every change from `old` to `new`, in item order.
pub fn changes(old: &Api, new: &Api) -> Vec<RustChange> {
    let mut out = Vec::new();
    let change = |item: &str, member: &str, description: String, breaking: bool| RustChange {
        item: item.to_string(),
        member: member.to_string(),
        description,
        breaking,
    };
    for (path, item) in &new.items {
        let Some(before) = old.items.get(path) else {
            if item.kind == "impl" {
                // Methods generated on a type defined elsewhere (the
                // runtime's `ClientBuilder`): each is new, the type is not.
                for name in item.members.keys() {
                    out.push(change(
                        path,
                        name,
                        format!("new method `{path}::{name}`"),
                        false,
                    ));
                }
                continue;
            }
            out.push(change(
                path,
                "",
                format!("new {} `{path}`", item.kind),
                false,
            ));
            continue;
        };
        if item.non_exhaustive && !before.non_exhaustive {
            // Struct literals and exhaustive matches outside the crate stop compiling.
            out.push(change(
                path,
                "",
                format!("`{path}` became #[non_exhaustive]"),
                true,
            ));
        }
        for (name, (kind, signature)) in &item.members {
            if *kind == "alias" || before.members.get(name).is_some_and(|(k, _)| *k == "alias") {
                // The same members either way (compared below); which type
                // the name stands for is said here.
                let old_target = before.members.get(name).map(|(_, t)| t);
                if old_target != Some(signature) {
                    out.push(change(
                        path,
                        "",
                        format!("`{path}` is now the same type as `{signature}`: the document repeats its shape"),
                        false,
                    ));
                }
                continue;
            }
            match before.members.get(name) {
                None => {
                    // A new field or variant breaks struct literals and
                    // exhaustive matches, unless the type is non-exhaustive.
                    let breaking = matches!(*kind, "field" | "variant") && !item.non_exhaustive;
                    out.push(change(
                        path,
                        name,
                        format!("new {kind} `{path}::{name}`"),
                        breaking,
                    ));
                }
                Some((_, old_signature)) if old_signature != signature => {
                    let description = match (setter_target(old_signature), setter_target(signature)) {
                        (Some(was), Some(now)) if *kind == "method" && was != now => {
                            format!("setter `{path}::{name}` now takes `{now}` (was `{was}`)")
                        }
                        (Some(_), Some(_))
                            if signature.contains("Display")
                                && !old_signature.contains("Display") =>
                        {
                            format!(
                                "`{path}::{name}`: a value's conversion error must now \
                                 implement `Display` (the error message keeps it)"
                            )
                        }
                        _ => format!(
                            "{kind} `{path}::{name}` changed from `{old_signature}` to `{signature}`"
                        ),
                    };
                    out.push(change(path, name, description, true))
                }
                Some(_) => {}
            }
            let (was, is) = (
                before.deprecated.contains(name),
                item.deprecated.contains(name),
            );
            if before.members.contains_key(name) && was != is {
                // Upstream's deprecation, or its end: code still compiles
                // (with a warning, or without one).
                let what = if is {
                    "is now #[deprecated]"
                } else {
                    "is no longer #[deprecated]"
                };
                out.push(change(
                    path,
                    name,
                    format!("`{path}::{name}` {what}"),
                    false,
                ));
            }
        }
        for (name, (kind, _)) in &before.members {
            if *kind == "alias" && !item.members.contains_key(name) {
                out.push(change(
                    path,
                    "",
                    format!("`{path}` is a type of its own again"),
                    false,
                ));
                continue;
            }
            if !item.members.contains_key(name) {
                out.push(change(
                    path,
                    name,
                    format!("{kind} `{path}::{name}` removed"),
                    true,
                ));
            }
        }
    }
    for (path, item) in &old.items {
        if !new.items.contains_key(path) {
            if item.kind == "impl" {
                for name in item.members.keys() {
                    out.push(change(
                        path,
                        name,
                        format!("method `{path}::{name}` removed"),
                        true,
                    ));
                }
                continue;
            }
            out.push(change(
                path,
                "",
                format!("{} `{path}` removed", item.kind),
                true,
            ));
        }
    }
    out
}

fn is_pub(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

fn deprecated(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("deprecated"))
}

fn non_exhaustive(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("non_exhaustive"))
}

fn self_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// Tokens as one normalised string, so formatting never reads as a change.
/// The tokens as a person writes them: `Result<ResponseValue<T>, Error>`,
/// not `Result < ResponseValue < T > , Error >`.
fn tokens(node: &impl ToTokens) -> String {
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

/// `X` of a builder setter's `where T: TryInto<X>`: what it takes.
fn setter_target(signature: &str) -> Option<&str> {
    let start = signature.find("TryInto<")? + "TryInto<".len();
    let mut depth = 1;
    for (i, c) in signature[start..].char_indices() {
        match c {
            '<' => depth += 1,
            '>' => {
                depth -= 1;
                if depth == 0 {
                    return Some(&signature[start..start + i]);
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests;
