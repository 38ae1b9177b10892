//! Named types (`components/schemas`): each compared once, under its name,
//! on each side (request, response) that uses it in the new version.

use serde_json::{Map, Value};

use super::super::names;
use super::{sides, Differ, Found, Place, Side, Subject};

impl Differ<'_> {
    pub(super) fn types(&mut self) {
        let empty = Map::new();
        let schemas = |doc: &'_ Value| {
            doc.pointer("/components/schemas")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_else(|| empty.clone())
        };
        let (old_types, new_types) = (schemas(self.old), schemas(self.new));
        let (old_sides, new_sides) = (sides(self.old), sides(self.new));
        for (name, schema) in &new_types {
            let subject = Subject::Type(name.clone());
            let rust = vec![(
                format!("types::{}", names::type_of_schema(name)),
                String::new(),
            )];
            let Some(old_schema) = old_types.get(name) else {
                let place = Place {
                    subject,
                    side: Side::Response,
                    at: String::new(),
                    rust_type: None,
                };
                self.push(Found {
                    place: &place,
                    rule: "type-added".into(),
                    name: String::new(),
                    detail: format!("new type `{name}`"),
                    wire_breaking: false,
                    rust,
                });
                continue;
            };
            // A type no operation uses is still public: read it as a response.
            let used = new_sides
                .get(name.as_str())
                .cloned()
                .unwrap_or_else(|| vec![Side::Response]);
            for side in used {
                let place = Place {
                    subject: subject.clone(),
                    side,
                    at: String::new(),
                    rust_type: Some(format!(
                        "types::{}",
                        names::fields_type_of_schema(name, schema)
                            .unwrap_or_else(|| names::type_of_schema(name))
                    )),
                };
                self.body(&place, old_schema, schema);
            }
            if ["description", "title", "example"]
                .iter()
                .any(|k| old_schema.get(*k) != schema.get(*k))
            {
                self.docs += 1;
            }
        }
        for name in old_types.keys() {
            if new_types.contains_key(name) {
                continue;
            }
            let place = Place {
                subject: Subject::Type(name.clone()),
                side: Side::Response,
                at: String::new(),
                rust_type: None,
            };
            let used = !old_sides
                .get(name.as_str())
                .cloned()
                .unwrap_or_default()
                .is_empty();
            self.push(Found {
                place: &place,
                rule: "type-removed".into(),
                name: String::new(),
                detail: format!("type `{name}` removed"),
                wire_breaking: used,
                rust: vec![(
                    format!("types::{}", names::type_of_schema(name)),
                    String::new(),
                )],
            });
        }
    }
}
