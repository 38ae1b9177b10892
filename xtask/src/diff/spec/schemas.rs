//! One schema against its next version: its type, enum values, properties
//! (`properties.rs`), items, map values and alternatives, and a body whose
//! properties moved into a wrapper.

use std::collections::BTreeSet;

use serde_json::Value;

use super::super::names;
use super::view::{merged, merges, resolved, view, View};
use super::{Differ, Found, Place, Side};

/// What the schema being compared is to its holder, for where a type change
/// is reported: a property of an object (`at` the object, `name` the
/// property), or a whole (a body, a response, a component root, items).
#[derive(Clone)]
pub(super) enum Slot {
    Property { holder: Place, name: String },
    Whole,
}

/// The rule prefix: `request-property`, `response-property`, or
/// `request-parameter` for a parameter's schema.
pub(super) fn prefix(place: &Place, parameter: bool) -> String {
    if parameter {
        "request-parameter".into()
    } else {
        format!("{}-property", place.side.prefix())
    }
}

impl Differ<'_> {
    /// Compares the schema at `here` (`slot` says what it is to its holder);
    /// `parameter` for a parameter's schema.
    pub(super) fn schema(
        &mut self,
        here: &Place,
        slot: &Slot,
        parameter: bool,
        old: &Value,
        new: &Value,
    ) {
        let (mut old_view, mut new_view) = (view(self.old, old), view(self.new, new));
        // A reference to `X` on one side and `allOf: [X, ...]` on the other
        // (a `required` list added beside it) are one object, compared as
        // merged.
        let one_merges_the_other = match (old_view.reference, new_view.reference) {
            (Some(name), None) => merges(new, name),
            (None, Some(name)) => merges(old, name),
            _ => false,
        };
        if one_merges_the_other {
            old_view = merged(self.old, old);
            new_view = merged(self.new, new);
        } else if old_view.reference != new_view.reference {
            // Another name, or a name for what was written inline (`id:
            // {type: string}` becoming `$ref: webhookId`): the wire sees
            // only what the names stand for, so those are compared. The
            // Rust type's new name is the generated-code diff's to report.
            // Types that hold themselves stop at the pair already open.
            let pair = (
                old_view.reference.map(str::to_string),
                new_view.reference.map(str::to_string),
            );
            if self.resolving.contains(&pair) {
                return;
            }
            self.resolving.push(pair);
            let (old_view, new_view) = (resolved(self.old, old), resolved(self.new, new));
            self.views(here, slot, parameter, old_view, new_view);
            self.resolving.pop();
            return;
        }
        self.views(here, slot, parameter, old_view, new_view);
    }

    /// [`Self::schema`] once both sides are read.
    fn views(
        &mut self,
        here: &Place,
        slot: &Slot,
        parameter: bool,
        old_view: View<'_>,
        new_view: View<'_>,
    ) {
        let prefix = prefix(here, parameter);
        if old_view.types != new_view.types {
            let (place, name) = match slot {
                Slot::Property { holder, name } => (holder, name.clone()),
                Slot::Whole => (here, String::new()),
            };
            let mut member = self.member(place, &name);
            // A whole answer of another type changes what `send()` returns.
            if let (Side::Response, true, crate::diff::Subject::Operation(_, id)) = (
                here.side,
                name.is_empty() && !here.at.contains(['.', '[', '{']),
                &here.subject,
            ) {
                member.push((
                    format!("builder::{}", names::builder_of_operation(id)),
                    "send".into(),
                ));
            }
            self.push(Found {
                place,
                rule: format!("{prefix}-type-changed"),
                name: name.clone(),
                detail: format!(
                    "{}type changed from {} to {}",
                    if name.is_empty() {
                        String::new()
                    } else {
                        format!("property `{name}`: ")
                    },
                    describe(&old_view),
                    describe(&new_view)
                ),
                // A reader breaks when values it did not expect may come; a
                // sender when values it sends may no longer be taken.
                wire_breaking: match here.side {
                    Side::Response => !covers(&old_view.types, &new_view.types),
                    Side::Request => !covers(&new_view.types, &old_view.types),
                },
                rust: member,
            });
            return;
        }
        if old_view.nullable != new_view.nullable {
            let (place, name) = match slot {
                Slot::Property { holder, name } => (holder, name.clone()),
                Slot::Whole => (here, String::new()),
            };
            let became = if new_view.nullable {
                "nullable"
            } else {
                "not-nullable"
            };
            // A value that may now be null fails a reader whose field is not
            // an `Option`; a request that may no longer send null, a sender.
            let breaks = match here.side {
                Side::Response => new_view.nullable && !name.is_empty(),
                Side::Request => !new_view.nullable,
            };
            let member = self.member(place, &name);
            self.push(Found {
                place,
                rule: format!("{prefix}-became-{became}"),
                name: name.clone(),
                detail: format!(
                    "{}became {}",
                    if name.is_empty() {
                        String::new()
                    } else {
                        format!("property `{name}` ")
                    },
                    became.replace('-', " ")
                ),
                wire_breaking: breaks,
                rust: member,
            });
        }
        if old_view.reference.is_some() {
            // The same named type: compared under its own name.
            return;
        }
        self.enum_values(here, &prefix, &old_view, &new_view);
        if !parameter {
            self.properties(here, &old_view, &new_view);
        }
        if let (Some(o), Some(n)) = (old_view.items, new_view.items) {
            let rust_type = rust_type_of(here.rust_type.as_deref(), "Item", n);
            self.schema(&here.inner("[]", rust_type), &Slot::Whole, parameter, o, n);
        }
        if let (Some(o), Some(n)) = (old_view.additional, new_view.additional) {
            let rust_type = rust_type_of(here.rust_type.as_deref(), "Value", n);
            self.schema(&here.inner("{}", rust_type), &Slot::Whole, parameter, o, n);
        }
        for (key, o) in &old_view.alternatives {
            match new_view.alternatives.get(key) {
                Some(n) => self.schema(here, &Slot::Whole, parameter, o, n),
                None => {
                    let breaks = here.side == Side::Request;
                    let rust = self.member(here, "");
                    self.push(Found {
                        place: here,
                        rule: format!("{}-one-of-removed", prefix),
                        name: key.clone(),
                        detail: format!("alternative {key} removed"),
                        wire_breaking: breaks,
                        rust,
                    });
                }
            }
        }
        for key in new_view.alternatives.keys() {
            if !old_view.alternatives.contains_key(key) {
                let rust = self.member(here, "");
                self.push(Found {
                    place: here,
                    rule: format!("{}-one-of-added", prefix),
                    name: key.clone(),
                    detail: format!("new alternative {key}"),
                    wire_breaking: false,
                    rust,
                });
            }
        }
    }

    /// The Rust items a change of `name` at `place` touches: the field of
    /// the type that holds it, or the type as a whole.
    pub(super) fn member(&self, place: &Place, name: &str) -> Vec<(String, String)> {
        match &place.rust_type {
            Some(t) if !name.is_empty() => vec![(t.clone(), names::field_of_property(name))],
            Some(t) => vec![(t.clone(), String::new())],
            None => Vec::new(),
        }
    }

    fn enum_values(&mut self, here: &Place, prefix: &str, old: &View, new: &View) {
        let (Some(old_values), Some(new_values)) = (&old.values, &new.values) else {
            return;
        };
        let rust_type = here.rust_type.clone().unwrap_or_default();
        for removed in old_values.difference(new_values) {
            self.push(Found {
                place: here,
                rule: format!("{prefix}-enum-value-removed"),
                name: removed.clone(),
                detail: format!("enum value {removed:?} removed"),
                // A request can no longer send it; a response no longer
                // brings it, which a reader does not mind.
                wire_breaking: here.side == Side::Request,
                rust: vec![(rust_type.clone(), names::variant_of_value(removed))],
            });
        }
        for added in new_values.difference(old_values) {
            // Responses read an unknown value into `Unknown`.
            self.push(Found {
                place: here,
                rule: format!("{prefix}-enum-value-added"),
                name: added.clone(),
                detail: format!("new enum value {added:?}"),
                wire_breaking: false,
                rust: vec![(rust_type.clone(), names::variant_of_value(added))],
            });
        }
    }

    /// Compares a body root (a request body, a response, a component),
    /// first asking whether its properties moved into a new wrapper
    /// property: then that is one change, and the old body is compared with
    /// the wrapper.
    pub(super) fn body(&mut self, here: &Place, old: &Value, new: &Value) {
        if let Some((wrapper, inner)) = self.wrapper(old, new) {
            let rust = self.member(here, &wrapper);
            self.push(Found {
                place: here,
                rule: format!("{}-body-wrapped", here.side.prefix()),
                name: wrapper.clone(),
                detail: format!("the body moved into `{wrapper}`"),
                wire_breaking: true,
                rust,
            });
            let inside = here.property(&wrapper, None);
            self.schema(&inside, &Slot::Whole, false, old, inner);
            return;
        }
        self.schema(here, &Slot::Whole, false, old, new);
    }

    /// The new property `old`'s properties moved into, with its schema: one
    /// whose object holds at least two of them and 60 % of them, and more of
    /// them than `new` itself still has.
    fn wrapper<'n>(&self, old: &Value, new: &'n Value) -> Option<(String, &'n Value)>
    where
        Self: 'n,
    {
        let (old_view, new_view) = (view(self.old, old), view(self.new, new));
        let moved: BTreeSet<&str> = old_view.properties.keys().copied().collect();
        if moved.len() < 2 {
            return None;
        }
        let kept = moved
            .iter()
            .filter(|p| new_view.properties.contains_key(*p))
            .count();
        new_view
            .properties
            .iter()
            .filter(|(name, _)| !old_view.properties.contains_key(*name))
            .filter_map(|(name, property)| {
                let schema = match super::view::reference(property.schema) {
                    Some(r) => self.new.pointer(&format!("/components/schemas/{r}"))?,
                    None => property.schema,
                };
                let inner = view(self.new, schema);
                let held = moved
                    .iter()
                    .filter(|p| inner.properties.contains_key(*p))
                    .count();
                (held >= 2 && held * 10 >= moved.len() * 6 && held > kept)
                    .then(|| ((*name).to_string(), schema))
            })
            .next()
    }
}

/// The Rust type typify writes for `schema`, found at `suffix` of a schema
/// whose type is `holder`: the component it refers to, else its `title`,
/// else the holder's name and the suffix (property `items` of
/// `ListChatSessionsOutput` is `ListChatSessionsOutputItems`, its items
/// `ListChatSessionsOutputItemsItem`, a map's values `…Value`).
pub(super) fn rust_type_of(holder: Option<&str>, suffix: &str, schema: &Value) -> Option<String> {
    if let Some(name) = super::view::reference(schema) {
        return Some(format!("types::{}", names::type_of_schema(name)));
    }
    if let Some(title) = schema.get("title").and_then(Value::as_str) {
        return Some(format!("types::{}", names::type_of_schema(title)));
    }
    holder.map(|t| format!("{t}{suffix}"))
}

/// Whether every value of the types `inner` is one of the types `outer`
/// (an empty set is any value; `number` holds every `integer`).
fn covers(outer: &BTreeSet<String>, inner: &BTreeSet<String>) -> bool {
    if outer.is_empty() {
        return true;
    }
    !inner.is_empty()
        && inner
            .iter()
            .all(|t| outer.contains(t) || (t == "integer" && outer.contains("number")))
}

/// A schema's type as a person reads it.
fn describe(view: &View) -> String {
    if view.types.is_empty() {
        return "any".into();
    }
    view.types
        .iter()
        .map(|t| match t.strip_prefix("ref:") {
            Some(name) => format!("`{name}`"),
            None => t.clone(),
        })
        .collect::<Vec<_>>()
        .join(" or ")
}
