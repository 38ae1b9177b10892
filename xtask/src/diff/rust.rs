//! The public API of a generated client, read with syn, and what changed in it
//! between two versions: types, their fields and field types, enum variants,
//! and methods with their signatures (a builder method's parameter type is in
//! its signature), so type changes are caught.

use std::collections::BTreeMap;

use quote::ToTokens;

/// One public item and its members.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Item {
    kind: &'static str,
    non_exhaustive: bool,
    /// member name → (member kind, its type or signature).
    members: BTreeMap<String, (&'static str, String)>,
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
                    for (i, field) in s.fields.iter().enumerate() {
                        if is_pub(&field.vis) {
                            let name = field
                                .ident
                                .as_ref()
                                .map_or(i.to_string(), ToString::to_string);
                            members.insert(name, ("field", tokens(&field.ty)));
                        }
                    }
                    let entry = self.entry(path(&s.ident.to_string()), "struct");
                    entry.non_exhaustive = non_exhaustive(&s.attrs);
                    entry.members.extend(members);
                }
                syn::Item::Enum(e) if is_pub(&e.vis) => {
                    let members = e
                        .variants
                        .iter()
                        .map(|v| (v.ident.to_string(), ("variant", tokens(&v.fields))))
                        .collect::<BTreeMap<_, _>>();
                    let entry = self.entry(path(&e.ident.to_string()), "enum");
                    entry.non_exhaustive = non_exhaustive(&e.attrs);
                    entry.members.extend(members);
                }
                syn::Item::Type(t) if is_pub(&t.vis) => {
                    let entry = self.entry(path(&t.ident.to_string()), "type alias");
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
                                self.entry(owner.clone(), "struct")
                                    .members
                                    .insert(name, ("method", tokens(&f.sig)));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn entry(&mut self, path: String, kind: &'static str) -> &mut Item {
        let item = self.items.entry(path).or_insert_with(|| Item {
            kind,
            non_exhaustive: false,
            members: BTreeMap::new(),
        });
        // An `impl` can come before its type: the type says what it is.
        if kind != "struct" {
            item.kind = kind;
        }
        item
    }
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
mod tests {
    use super::*;

    fn diff(old: &str, new: &str) -> Vec<(String, bool)> {
        changes(&Api::parse(old).unwrap(), &Api::parse(new).unwrap())
            .into_iter()
            .map(|c| (c.description, c.breaking))
            .collect()
    }

    #[test]
    fn a_field_type_change_is_breaking() {
        let found = diff(
            "pub mod types { pub struct S { pub a: i64 } }",
            "pub mod types { pub struct S { pub a: Option<i64> } }",
        );
        assert_eq!(found.len(), 1);
        assert!(
            found[0]
                .0
                .contains("`types::S::a` changed from `i64` to `Option<i64>`"),
            "{found:?}"
        );
        assert!(found[0].1);
    }

    #[test]
    fn new_members_break_only_exhaustive_types() {
        let old = "pub struct S { pub a: i64 } pub enum E { A } #[non_exhaustive] pub struct N { pub a: i64 } #[non_exhaustive] pub enum F { A }";
        let new = "pub struct S { pub a: i64, pub b: i64 } pub enum E { A, B } #[non_exhaustive] pub struct N { pub a: i64, pub b: i64 } #[non_exhaustive] pub enum F { A, B }";
        let found = diff(old, new);
        let breaking: Vec<_> = found.iter().filter(|c| c.1).map(|c| c.0.as_str()).collect();
        assert_eq!(breaking, ["new variant `E::B`", "new field `S::b`"]);
        assert_eq!(found.len(), 4);
    }

    #[test]
    fn method_signatures_private_fields_and_removals() {
        let old = "pub struct B { x: i32 } impl B { pub fn p<V>(self, v: V) -> Self where V: TryInto<u8> { self } pub fn gone(&self) {} fn private(&self) {} }";
        let new = "pub struct B { y: i32 } impl B { pub fn p<V>(self, v: V) -> Self where V: TryInto<u16> { self } }";
        let found = diff(old, new);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found.iter().all(|c| c.1));
        assert_eq!(found[0].0, "setter `B::p` now takes `u16` (was `u8`)");
        assert_eq!(found[1].0, "method `B::gone` removed");
        // Other signatures as people write them.
        let old = "pub struct C; impl C { pub async fn send(self) -> Result<ResponseValue<::std::vec::Vec<types::Tag>>, crate::Error> { todo!() } }";
        let new = "pub struct C; impl C { pub async fn send(self) -> Result<ResponseValue<types::TagList>, crate::Error> { todo!() } }";
        assert_eq!(
            diff(old, new)[0].0,
            "method `C::send` changed from `async fn send(self) -> Result<ResponseValue<Vec<Tag>>, Error>` \
             to `async fn send(self) -> Result<ResponseValue<TagList>, Error>`"
        );
    }

    #[test]
    fn a_bound_added_to_a_setter_says_what_it_asks() {
        let old = "pub struct B; impl B { pub fn s<V>(mut self, value: V) -> Self where V: std::convert::TryInto<types::SessionId> { self } }";
        let new = "pub struct B; impl B { pub fn s<V>(mut self, value: V) -> Self where V: std::convert::TryInto<types::SessionId>, <V as std::convert::TryInto<types::SessionId>>::Error: ::std::fmt::Display { self } }";
        assert_eq!(
            diff(old, new)[0].0,
            "`B::s`: a value's conversion error must now implement `Display` (the error message keeps it)"
        );
        let api = Api::parse(new).unwrap();
        let (_, signature) = &api.items["B"].members["s"];
        assert!(
            signature.ends_with(
                "where V: TryInto<SessionId>, <V as TryInto<SessionId>>::Error: Display"
            ),
            "{signature}"
        );
    }

    #[test]
    fn a_type_that_becomes_an_alias_of_its_shape_keeps_its_members() {
        let old = "pub mod types { pub struct A { pub x: i64 } impl A { pub fn builder() {} } \
                   pub struct B { pub x: i64 } impl B { pub fn builder() {} } }";
        let new = "pub mod types { pub struct A { pub x: i64 } impl A { pub fn builder() {} } \
                   pub type B = A; }";
        let found = diff(old, new);
        assert_eq!(
            found,
            [(
                "`types::B` is now the same type as `types::A`: the document repeats its shape"
                    .to_string(),
                false
            )]
        );
        // And back: a type of its own again, still with every member.
        let found = diff(new, old);
        assert_eq!(
            found,
            [("`types::B` is a type of its own again".to_string(), false)]
        );
        // An alias whose type lost a field: the alias lost it too.
        let newer = "pub mod types { pub struct A { } pub type B = A; }";
        let found = diff(new, newer);
        assert!(
            found
                .iter()
                .any(|c| c.0 == "field `types::B::x` removed" && c.1),
            "{found:?}"
        );
    }
}
