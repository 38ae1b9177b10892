//! The public API of a generated client, read with syn, and what changed in it
//! between two versions: types, their fields and field types, enum variants,
//! and methods with their signatures (a builder method's parameter type is in
//! its signature), so type changes are caught.

mod api;

pub use api::Api;

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
