//! An object's properties against their next version: added, removed,
//! required or no longer, and each one's schema compared in turn.

use super::super::lifecycle;
use super::super::names;
use super::schemas::{rust_type_of, Slot};
use super::view::View;
use super::{Differ, Found, Place, Side};

impl Differ<'_> {
    /// The properties the schema declares itself: a property or a
    /// requirement a `$ref`'d `allOf` branch brings is that type's change.
    pub(super) fn properties(&mut self, here: &Place, old: &View, new: &View) {
        let side = here.side;
        let prefix = side.prefix();
        for (name, property) in &new.properties {
            let name = *name;
            let field = self.member(here, name);
            let Some(before) = old.properties.get(name) else {
                if !property.owned {
                    continue;
                }
                let required = new.required_all.contains(name);
                let (rule, breaks) = match (side, required) {
                    (Side::Request, true) => ("new-required-request-property", true),
                    (Side::Request, false) => ("new-optional-request-property", false),
                    (Side::Response, true) => ("response-required-property-added", false),
                    (Side::Response, false) => ("response-optional-property-added", false),
                };
                self.push(Found {
                    place: here,
                    rule: rule.into(),
                    name: name.into(),
                    detail: format!(
                        "new {} property `{name}`",
                        if required { "required" } else { "optional" }
                    ),
                    wire_breaking: breaks,
                    rust: field,
                });
                continue;
            };
            let became_required =
                new.required_own.contains(name) && !old.required_all.contains(name);
            let became_optional =
                old.required_own.contains(name) && !new.required_all.contains(name);
            if became_required || became_optional {
                let became = if became_required {
                    "required"
                } else {
                    "optional"
                };
                // Sending: a newly required field breaks. Reading: a field
                // that may now be absent breaks a required one.
                let breaks = match side {
                    Side::Request => became_required,
                    Side::Response => became_optional,
                };
                self.push(Found {
                    place: here,
                    rule: format!("{prefix}-property-became-{became}"),
                    name: name.into(),
                    detail: format!("property `{name}` became {became}"),
                    wire_breaking: breaks,
                    rust: field.clone(),
                });
            }
            if let Some((rule, words)) =
                lifecycle::transition(before.schema, property.schema).filter(|_| property.owned)
            {
                self.push(Found {
                    place: here,
                    rule: format!("{prefix}-property-{rule}"),
                    name: name.into(),
                    detail: format!("property `{name}` {words}"),
                    wire_breaking: false,
                    rust: field.clone(),
                });
            }
            if property.owned && before.owned {
                let child_type = rust_type_of(
                    here.rust_type.as_deref(),
                    &names::type_of_schema(name),
                    property.schema,
                );
                let child = here.property(name, child_type);
                let slot = Slot::Property {
                    holder: here.clone(),
                    name: name.into(),
                };
                self.schema(&child, &slot, false, before.schema, property.schema);
            }
        }
        for (name, before) in &old.properties {
            if new.properties.contains_key(name) || !before.owned {
                continue;
            }
            let was_required = old.required_all.contains(name);
            let (rule, breaks) = match (side, was_required) {
                (Side::Request, _) => ("request-property-removed", false),
                (Side::Response, true) => ("response-required-property-removed", true),
                (Side::Response, false) => ("response-optional-property-removed", false),
            };
            let field = self.member(here, name);
            let removal = lifecycle::removal(before.schema, rule, rule);
            self.push(Found {
                place: here,
                rule: removal.rule,
                name: (*name).into(),
                detail: format!("property `{name}` {}", removal.removed),
                wire_breaking: breaks,
                rust: field,
            });
        }
    }
}
