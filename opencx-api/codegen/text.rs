//! The document's prose as doc comments can hold it.
//!
//! progenitor and typify copy `description`, `summary` and `title` into doc
//! comments verbatim, and prettyplease writes a multi-line one as a block
//! comment, in which a bare carriage return is an error ("bare CR not
//! allowed in block doc-comment"): a document written on Windows
//! (`\r\n`) or with old Mac line ends does not compile. Line ends become
//! `\n` before the generators see them.

use serde_json::Value;

/// The keywords whose text becomes a doc comment.
const PROSE: [&str; 3] = ["description", "summary", "title"];

/// Writes every line end in the prose of `doc` as `\n`. Values (examples,
/// defaults, enums) are left as they are: they reach the code as escaped
/// strings. Returns how many texts it changed.
pub fn normalize_line_ends(doc: &mut Value) -> usize {
    match doc {
        Value::Object(map) => {
            let mut changed = 0;
            for (key, child) in map.iter_mut() {
                match child {
                    Value::String(text) if PROSE.contains(&key.as_str()) && text.contains('\r') => {
                        *text = text.replace("\r\n", "\n").replace('\r', "\n");
                        changed += 1;
                    }
                    _ if matches!(key.as_str(), "example" | "examples" | "default" | "enum") => {}
                    _ => changed += normalize_line_ends(child),
                }
            }
            changed
        }
        Value::Array(items) => items.iter_mut().map(normalize_line_ends).sum(),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn prose_gets_unix_line_ends_and_values_keep_theirs() {
        let mut doc = json!({"info": {"description": "a\r\nb\rc"},
            "properties": {"description": {"type": "string", "description": "x\r\ny", "example": "e\r\n"}}});
        assert_eq!(normalize_line_ends(&mut doc), 2);
        assert_eq!(doc["info"]["description"], "a\nb\nc");
        assert_eq!(doc["properties"]["description"]["description"], "x\ny");
        assert_eq!(doc["properties"]["description"]["example"], "e\r\n");
    }
}
