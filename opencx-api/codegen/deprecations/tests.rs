use serde_json::json;

use super::document::{mark, note, operations_and_parameters, MARKER};

#[test]
fn the_note_is_the_first_paragraph_on_one_line() {
    assert_eq!(
        note(Some("Use `b`\ninstead.\n\nIt goes in May.")),
        "Use `b` instead."
    );
    assert_eq!(note(Some("  \n")), "deprecated upstream");
    assert_eq!(note(None), "deprecated upstream");
}

#[test]
fn only_deprecated_properties_are_marked_at_any_depth() {
    let doc = json!({
        "paths": {"/a": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {
            "type": "object",
            "properties": {
                "old": {"type": "string", "deprecated": true, "description": "Gone soon."},
                "new": {"type": "string"},
                "list": {"type": "array", "items": {"allOf": [{
                    "properties": {"inner": {"type": "integer", "deprecated": true}}
                }]}}
            }
        }}}}}}}},
        "components": {"schemas": {"S": {"properties": {
            "off": {"type": "boolean", "deprecated": false},
            "schema": {"type": "string", "deprecated": true}
        }}}}
    });
    let marked = mark(&doc);
    let props = &marked["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]
        ["schema"]["properties"];
    assert_eq!(
        props["old"]["description"],
        format!("Gone soon.\n\n{MARKER}")
    );
    assert!(props["new"].get("description").is_none());
    assert_eq!(
        props["list"]["items"]["allOf"][0]["properties"]["inner"]["description"],
        MARKER
    );
    let component = &marked["components"]["schemas"]["S"]["properties"];
    assert!(component["off"].get("description").is_none());
    // A property named like a keyword is a property all the same.
    assert_eq!(component["schema"]["description"], MARKER);
}

#[test]
fn deprecated_operations_and_parameters_are_found_with_their_notes() {
    let doc = json!({
        "paths": {"/w/{id}": {
            "parameters": [{"$ref": "#/components/parameters/Id"}],
            "get": {"operationId": "getW", "deprecated": true, "description": "Use `listW`.",
                    "parameters": [{"name": "q", "in": "query", "deprecated": true}]},
            "put": {"operationId": "putW"},
            "x-other": {"deprecated": true}
        }},
        "components": {"parameters": {"Id": {"name": "id", "in": "path", "deprecated": true,
                                            "description": "Ids are names now."}}}
    });
    let (operations, parameters) = operations_and_parameters(&doc);
    let ops: Vec<(&str, &str)> = operations
        .iter()
        .map(|o| (o.operation_id.as_str(), o.note.as_str()))
        .collect();
    assert_eq!(ops, [("getW", "Use `listW`.")]);
    let params: Vec<(&str, &str, &str)> = parameters
        .iter()
        .map(|p| (p.operation_id.as_str(), p.name.as_str(), p.note.as_str()))
        .collect();
    assert_eq!(
        params,
        [
            ("getW", "id", "Ids are names now."),
            ("getW", "q", "deprecated upstream"),
            ("putW", "id", "Ids are names now."),
        ]
    );
}

#[test]
fn fields_setters_and_the_impls_that_use_them_are_marked() {
    let mut file: syn::File = syn::parse_quote! {
        pub mod types {
            pub struct W {
                #[doc = "Old.\n\n@opencx-deprecated-upstream"]
                pub old: i64,
                pub new: i64,
            }
            impl W {
                pub fn builder() -> builder::W { Default::default() }
            }
            pub mod builder {
                pub struct W { old: i64, new: i64 }
                impl W {
                    pub fn old(mut self, value: i64) -> Self { self.old = value; self }
                    pub fn new(mut self, value: i64) -> Self { self.new = value; self }
                }
                impl From<super::W> for W {
                    fn from(value: super::W) -> Self { Self { old: value.old, new: value.new } }
                }
            }
        }
    };
    let marked = super::apply(&mut file, &json!({}));
    assert_eq!(marked, ["types::W::old", "types::builder::W::old"]);
    let text = prettyplease::unparse(&file);
    assert!(!text.contains(MARKER), "{text}");
    assert!(
        text.contains("///Old.\n        #[deprecated(note = \"Old.\")]\n        pub old: i64,"),
        "{text}"
    );
    assert!(
        text.contains("#[deprecated(note = \"Old.\")]\n            pub fn old("),
        "{text}"
    );
    assert!(
        !text.contains("#[deprecated(note = \"Old.\")]\n            pub fn new("),
        "{text}"
    );
    // Only the conversion names the type's fields; `builder()` does not.
    assert_eq!(text.matches("#[allow(deprecated)]").count(), 1, "{text}");
    assert!(
        text.contains("#[allow(deprecated)]\n        impl From<super::W> for W"),
        "{text}"
    );
}
