//! Rust names as progenitor 0.15.1 and typify 0.8.0 derive them from the
//! document, so the rewrites can name what the generators will write before
//! they write it (a component's type, an operation's method), and pick names
//! of their own that cannot collide with those.
//!
//! Both generators use the same recipe (heck's case conversion after turning
//! every character that cannot continue an identifier into `-`); they differ
//! only in how they fix a name that cannot start an identifier. The versions
//! are pinned in the workspace `Cargo.toml`, and a generated client whose
//! names do not match these is refused by the rewrites that look them up.

use std::collections::BTreeSet;

use heck::{ToPascalCase, ToSnakeCase};
use unicode_ident::{is_xid_continue, is_xid_start};

/// The case a name is converted to.
#[derive(Clone, Copy)]
pub enum Case {
    /// Types and variants: `WidgetPart`.
    Pascal,
    /// Methods, fields, parameters: `widget_part`.
    Snake,
}

fn convert(input: &str, case: Case) -> String {
    let to_case = |s: &str| match case {
        Case::Pascal => s.to_pascal_case(),
        Case::Snake => s.to_snake_case(),
    };
    match input {
        "+1" => "plus1".to_string(),
        "-1" => "minus1".to_string(),
        _ => to_case(
            &input
                .replace('\'', "")
                .replace(|c: char| !is_xid_continue(c), "-"),
        ),
    }
}

/// Whether `name` can be written as a plain identifier (typify's
/// `accept_as_ident`: not a keyword, not `_`, and not `gen`).
fn acceptable(name: &str) -> bool {
    name != "gen" && name != "_" && syn::parse_str::<syn::Ident>(name).is_ok()
}

/// A type name as typify writes it: `widget-part` → `WidgetPart`,
/// `2fa` → `X2fa`, `Self` → `Self_`.
pub fn type_name(input: &str) -> String {
    let out = convert(input, Case::Pascal);
    let out = match out.chars().next() {
        None => "X".to_string(),
        Some(c) if is_xid_start(c) => out,
        Some(_) => format!("X{out}"),
    };
    if acceptable(&out) {
        out
    } else {
        format!("{out}_")
    }
}

/// A struct field as typify writes it for a property: `ticketNumber` →
/// `ticket_number`, `2fa` → `x2fa`, `type` → `type_`.
pub fn field_name(input: &str) -> String {
    let out = convert(input, Case::Snake);
    let out = match out.chars().next() {
        None => "x".to_string(),
        Some(c) if is_xid_start(c) => out,
        Some(_) => format!("x{out}"),
    };
    if acceptable(&out) {
        out
    } else {
        format!("{out}_")
    }
}

/// A method, builder or parameter name as progenitor writes it:
/// `listChatSessions` → `list_chat_sessions`; `Widget` in [`Case::Pascal`] for
/// a builder struct.
pub fn progenitor_name(input: &str, case: Case) -> String {
    let out = convert(input, case);
    let out = match out.chars().next() {
        None => convert("x", case),
        Some(c) if is_xid_start(c) => out,
        Some(_) => format!("_{out}"),
    };
    if acceptable(&out) {
        out
    } else {
        format!("{out}_")
    }
}

/// The type names the components of `doc` (`components/schemas`) take, so
/// that names of ours stay apart from them.
pub fn component_type_names(doc: &serde_json::Value) -> BTreeSet<String> {
    doc.pointer("/components/schemas")
        .and_then(serde_json::Value::as_object)
        .into_iter()
        .flatten()
        .map(|(name, _)| type_name(name))
        .collect()
}

/// `wanted`, or `wanted2`, `wanted3`...: the first that is not `taken`, which
/// it then joins.
pub fn unique(wanted: &str, taken: &mut BTreeSet<String>) -> String {
    let name = if taken.contains(wanted) {
        (2..)
            .map(|n| format!("{wanted}{n}"))
            .find(|name| !taken.contains(name))
            .expect("some number is free")
    } else {
        wanted.to_string()
    };
    taken.insert(name.clone());
    name
}

/// The name of the variant that keeps values this version does not know:
/// `Unknown`, unless the enum has a variant of that name already (an API
/// whose values include "unknown"), then `UnknownValue`, `UnknownValue2`...
pub fn catch_all<'a>(variants: impl Iterator<Item = &'a syn::Ident>) -> syn::Ident {
    let mut taken: BTreeSet<String> = variants.map(|v| v.to_string()).collect();
    let name = if taken.contains("Unknown") {
        unique("UnknownValue", &mut taken)
    } else {
        "Unknown".to_string()
    };
    syn::Ident::new(&name, proc_macro2::Span::call_site())
}

/// An HTTP success status as a variant name: its reason phrase (`201` →
/// `Created`), `Status299` for a code without one, `Success` for `2XX`.
pub fn status_variant(status: &str) -> String {
    match status.parse::<u16>() {
        Ok(code) => match http_reason(code) {
            Some(reason) => type_name(reason),
            None => format!("Status{code}"),
        },
        Err(_) => match status.to_ascii_uppercase().as_str() {
            "1XX" => "Informational".into(),
            "2XX" => "Success".into(),
            "3XX" => "Redirection".into(),
            "4XX" => "ClientError".into(),
            "5XX" => "ServerError".into(),
            _ => "Default".into(),
        },
    }
}

/// The reason phrase of `code` as the `http` crate gives it (the one
/// progenitor's mocks name their methods after), if it has one.
pub fn http_reason(code: u16) -> Option<&'static str> {
    http::StatusCode::from_u16(code).ok()?.canonical_reason()
}

/// Shortens every path in what it visits to its last segment, as a person
/// writes a type: `::chrono::DateTime<::chrono::offset::Utc>` becomes
/// `DateTime<Utc>`, `<V as std::convert::TryInto<X>>::Error` becomes
/// `<V as TryInto<X>>::Error`. For messages and change descriptions, never
/// for code.
pub struct LastSegments;

impl syn::visit_mut::VisitMut for LastSegments {
    fn visit_type_path_mut(&mut self, ty: &mut syn::TypePath) {
        let Some(qself) = ty.qself.as_mut() else {
            return syn::visit_mut::visit_type_path_mut(self, ty);
        };
        // The trait's last segment and what follows it.
        self.visit_type_mut(&mut qself.ty);
        let segments: Vec<syn::PathSegment> =
            std::mem::take(&mut ty.path.segments).into_iter().collect();
        let position = qself.position.min(segments.len());
        let keep = position.saturating_sub(1);
        for mut segment in segments.into_iter().skip(keep) {
            self.visit_path_arguments_mut(&mut segment.arguments);
            ty.path.segments.push(segment);
        }
        qself.position = position - keep;
        ty.path.leading_colon = None;
    }

    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        if let Some(last) = path.segments.pop().map(|pair| pair.into_value()) {
            path.segments.clear();
            path.segments.push(last);
        }
        path.leading_colon = None;
        syn::visit_mut::visit_path_mut(self, path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_as_the_generators_write_them() {
        assert_eq!(type_name("widget-part"), "WidgetPart");
        assert_eq!(type_name("Widget_part"), "WidgetPart");
        assert_eq!(type_name("2fa"), "X2fa");
        assert_eq!(type_name("Self"), "Self_");
        assert_eq!(
            progenitor_name("listChatSessions", Case::Snake),
            "list_chat_sessions"
        );
        assert_eq!(progenitor_name("get-thing.v2", Case::Pascal), "GetThingV2");
        assert_eq!(progenitor_name("type", Case::Snake), "type_");
        assert_eq!(field_name("ticketNumber"), "ticket_number");
        assert_eq!(field_name("2fa"), "x2fa");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(status_variant("201"), "Created");
        assert_eq!(status_variant("207"), "MultiStatus");
        assert_eq!(status_variant("299"), "Status299");
        assert_eq!(status_variant("2XX"), "Success");
    }

    #[test]
    fn unique_names_take_the_next_free_number() {
        let mut taken = BTreeSet::from(["Widget".to_string(), "Widget2".to_string()]);
        assert_eq!(unique("Widget", &mut taken), "Widget3");
        assert_eq!(unique("Other", &mut taken), "Other");
        assert!(taken.contains("Widget3"));
    }
}
