//! Which part of the document a line of generated code was written for.
//!
//! The generated files are prettyplease's output, laid out the same way
//! every time: an item's first line at four spaces a level of nesting. A
//! line's enclosing items (`mod builder` → `impl ListChatSessions<'a>` →
//! `fn send`) name what it belongs to: progenitor writes an operation as a
//! method of `Client` (snake case of its operationId), a builder struct and
//! its impls in `builder` (Pascal case), and in the mocks a `When` and a
//! `Then` in `operations` and a method of `MockServerExt`; typify writes a
//! schema as types in `types` named after the component (or, for an inline
//! schema, after what holds it: the component, or the operation).

use std::collections::BTreeMap;

use serde_json::Value;

use crate::codegen::names::{progenitor_name, type_name, Case};
use crate::operations::operations;
use crate::pointer::escape;

/// The items enclosing each line of a generated file, outermost first, by
/// name (`types`, `Foo`; `Client`, `list_things`).
pub struct Outline {
    /// For each line (0-based), the index of its chain in `chains`.
    line_chain: Vec<usize>,
    chains: Vec<Vec<String>>,
}

impl Outline {
    /// The outline of prettyplease-printed `source`.
    pub fn of(source: &str) -> Self {
        let lines: Vec<&str> = source.lines().collect();
        let mut stack: Vec<(usize, String)> = Vec::new();
        let mut chains: Vec<Vec<String>> = vec![Vec::new()];
        let mut line_chain = Vec::with_capacity(lines.len());
        for (i, line) in lines.iter().enumerate() {
            let trimmed = line.trim_start();
            let indent = line.len() - trimmed.len();
            if let Some(name) = item_name(trimmed, &lines[i..]) {
                while stack.last().is_some_and(|(at, _)| *at >= indent) {
                    stack.pop();
                }
                stack.push((indent, name));
                chains.push(stack.iter().map(|(_, n)| n.clone()).collect());
            } else if !trimmed.is_empty() && indent == 0 && trimmed.starts_with('}') {
                // The end of a top-level item: what follows is in none.
                line_chain.push(chains.len() - 1);
                stack.clear();
                chains.push(Vec::new());
                continue;
            }
            line_chain.push(chains.len() - 1);
        }
        Self { line_chain, chains }
    }

    /// The items enclosing line `line` (1-based, as rustc counts).
    pub fn at(&self, line: usize) -> &[String] {
        line.checked_sub(1)
            .and_then(|i| self.line_chain.get(i))
            .map_or(&[], |&c| self.chains[c].as_slice())
    }
}

/// The name of the item whose first line is `line` (with the lines after it,
/// for a header printed over several), or `None` for any other line.
fn item_name(line: &str, rest: &[&str]) -> Option<String> {
    let mut words = line.split_whitespace().peekable();
    // Visibility and qualifiers.
    while let Some(word) = words.peek() {
        if word.starts_with("pub") || matches!(*word, "async" | "unsafe" | "const" | "extern") {
            // `const NAME: T = ..;` is an item: its name follows `const`.
            if *word == "const" {
                let mut ahead = words.clone();
                ahead.next();
                if ahead
                    .peek()
                    .is_some_and(|w| *w != "fn" && *w != "unsafe" && *w != "async")
                {
                    break;
                }
            }
            words.next();
        } else {
            break;
        }
    }
    let keyword = words.next()?;
    match keyword {
        "struct" | "enum" | "type" | "trait" | "mod" | "fn" | "const" | "static" | "union" => {
            let name: String = words
                .next()?
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            (!name.is_empty()).then_some(name)
        }
        _ if keyword == "impl" || keyword.starts_with("impl<") => {
            // The header up to its `{`: `impl<'a> A<'a> {`,
            // `impl From<&B> for B {`, or a header over several lines.
            let mut header = String::new();
            for part in rest.iter().take(40) {
                header.push_str(part.trim());
                header.push(' ');
                if part.trim_end().ends_with('{') || part.trim_end().ends_with(';') {
                    break;
                }
            }
            Some(impl_self_type(&header))
        }
        _ => None,
    }
}

/// The last path segment of the type an impl header is for, without its
/// generics: `Foo` of `impl<'a> ::std::convert::From<&'a Foo> for Foo {`.
fn impl_self_type(header: &str) -> String {
    let header = header.trim_end().trim_end_matches('{').trim();
    // Generics of the impl itself: `impl<...>`.
    let body = header.strip_prefix("impl").unwrap_or(header);
    let body = skip_generics(body.trim_start());
    // ` for ` outside angle brackets splits trait and type.
    let mut depth = 0i32;
    let mut self_type = body;
    let bytes = body.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'<' | b'(' | b'[' => depth += 1,
            b'>' | b')' | b']' => depth -= 1,
            b' ' if depth == 0 && body[i..].starts_with(" for ") => {
                self_type = &body[i + 5..];
                break;
            }
            _ => {}
        }
        i += 1;
    }
    let self_type = self_type.split(" where ").next().unwrap_or(self_type);
    let path = self_type.split('<').next().unwrap_or(self_type).trim();
    path.rsplit("::")
        .next()
        .unwrap_or(path)
        .trim_start_matches('&')
        .trim()
        .to_string()
}

fn skip_generics(s: &str) -> &str {
    if !s.starts_with('<') {
        return s;
    }
    let mut depth = 0;
    for (i, c) in s.char_indices() {
        match c {
            '<' => depth += 1,
            '>' => {
                depth -= 1;
                if depth == 0 {
                    return s[i + 1..].trim_start();
                }
            }
            _ => {}
        }
    }
    s
}

/// The parts of a document generated code can belong to, by the names
/// progenitor and typify give them.
pub struct Parts {
    /// Method name (snake case) → operation pointer.
    methods: BTreeMap<String, String>,
    /// Builder name (Pascal case) → operation pointer.
    builders: BTreeMap<String, String>,
    /// Type name of a component schema → its pointer.
    schemas: BTreeMap<String, String>,
}

impl Parts {
    /// The operations and component schemas of `doc`.
    pub fn of(doc: &Value) -> Self {
        let mut parts = Self {
            methods: BTreeMap::new(),
            builders: BTreeMap::new(),
            schemas: BTreeMap::new(),
        };
        for (path, method, operation) in operations(doc) {
            let Some(id) = operation.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            let pointer = format!("/paths/{}/{method}", escape(&path));
            parts
                .methods
                .insert(progenitor_name(id, Case::Snake), pointer.clone());
            parts
                .builders
                .insert(progenitor_name(id, Case::Pascal), pointer);
        }
        for name in doc["components"]["schemas"]
            .as_object()
            .into_iter()
            .flat_map(|s| s.keys())
        {
            let pointer = format!("/components/schemas/{}", escape(name));
            parts.schemas.insert(type_name(name), pointer.clone());
            if let Some(title) = doc["components"]["schemas"][name]
                .get("title")
                .and_then(Value::as_str)
            {
                parts.schemas.entry(type_name(title)).or_insert(pointer);
            }
        }
        parts
    }

    /// The pointer of the part the items `chain` (outermost first) were
    /// generated for, if one can be told.
    pub fn place(&self, chain: &[String]) -> Option<String> {
        let names: Vec<&str> = chain.iter().map(String::as_str).collect();
        match names.as_slice() {
            // The client's operation methods, and the mocks' extension trait.
            ["Client" | "MockServer" | "MockServerExt", method, ..] => {
                self.methods.get(*method).cloned()
            }
            ["builder", builder, ..] => self.builders.get(*builder).cloned(),
            ["operations", mock, ..] => {
                let name = mock
                    .strip_suffix("When")
                    .or_else(|| mock.strip_suffix("Then"))
                    .unwrap_or(mock);
                self.builders.get(name).cloned()
            }
            // typify's own submodules hold items named after the types.
            ["types", "builder" | "defaults" | "error", name, ..] | ["types", name, ..] => {
                self.type_part(name)
            }
            _ => None,
        }
    }

    /// The part a type is generated for: the component it is named after,
    /// else the component or operation whose name starts its own (an
    /// inline schema), the longest such.
    fn type_part(&self, name: &str) -> Option<String> {
        if let Some(pointer) = self.schemas.get(name) {
            return Some(pointer.clone());
        }
        self.schemas
            .iter()
            .chain(&self.builders)
            .filter(|(owner, _)| name.starts_with(owner.as_str()))
            .max_by_key(|(owner, _)| owner.len())
            .map(|(_, pointer)| pointer.clone())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const CLIENT: &str = "\
pub mod types {
    /// A thing.
    pub struct Thing {
        pub id: String,
    }
    impl ::std::convert::From<&Thing> for Thing {
        fn from(value: &Thing) -> Self {
            value.clone()
        }
    }
    pub struct ListThingsResponse {
        pub items: Vec<Thing>,
    }
    pub mod builder {
        pub struct Thing {
            id: String,
        }
    }
}
pub struct Client {
    baseurl: String,
}
impl Client {
    pub fn list_things(&self) -> builder::ListThings<'_> {
        builder::ListThings::new(self)
    }
}
pub mod builder {
    pub struct ListThings<'a> {
        client: &'a super::Client,
    }
    impl<'a> ListThings<'a> {
        pub async fn send(self) {
            header_map.append(\"x\", x.to_string().try_into()?);
        }
    }
}
";

    fn parts() -> Parts {
        Parts::of(&json!({
            "paths": {"/things": {"get": {"operationId": "listThings"}}},
            "components": {"schemas": {"Thing": {"type": "object"}}}
        }))
    }

    fn place(line_text: &str) -> Option<String> {
        let outline = Outline::of(CLIENT);
        let line = CLIENT
            .lines()
            .position(|l| l.contains(line_text))
            .expect("the line")
            + 1;
        parts().place(outline.at(line))
    }

    #[test]
    fn a_line_of_a_builder_or_client_method_is_its_operation() {
        assert_eq!(
            place("header_map.append").as_deref(),
            Some("/paths/~1things/get")
        );
        assert_eq!(
            place("builder::ListThings::new").as_deref(),
            Some("/paths/~1things/get")
        );
    }

    #[test]
    fn a_line_of_a_type_is_its_schema_or_the_operation_it_is_inline_in() {
        assert_eq!(
            place("value.clone()").as_deref(),
            Some("/components/schemas/Thing")
        );
        assert_eq!(
            place("pub items: Vec<Thing>").as_deref(),
            Some("/paths/~1things/get")
        );
        assert_eq!(
            place("id: String,").as_deref(),
            Some("/components/schemas/Thing")
        );
    }

    #[test]
    fn a_line_outside_any_part_is_not_placed() {
        assert_eq!(place("baseurl: String"), None);
    }

    #[test]
    fn impl_headers_name_their_self_type() {
        assert_eq!(impl_self_type("impl<'a> ListThings<'a> {"), "ListThings");
        assert_eq!(
            impl_self_type("impl ::std::convert::TryFrom< ::std::string::String> for Kind {"),
            "Kind"
        );
        assert_eq!(
            impl_self_type("impl<'de> Deserialize<'de> for types::A where X: Y {"),
            "A"
        );
    }
}
