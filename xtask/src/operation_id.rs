//! operationIds made up for operations upstream left without one, and the rule
//! for which ids (and other names) can name a file under `specs/`.
//!
//! A derived id must not change between runs or machines: it names vendored
//! files and, through progenitor, the client's method, so it is a pure function
//! of the method and the path.

/// A readable, deterministic operationId for `METHOD /path`:
/// `GET /contacts/{contact_id}/notes` → `get_contacts_by_contact_id_notes`.
///
/// A path parameter `{name}` becomes `by_name`, so `/a/{id}` and `/a/id` stay
/// apart; every other run of characters that are not ASCII letters or digits
/// becomes one `_`, and the result is lowercase.
pub fn derive(method: &str, path: &str) -> String {
    let mut words = String::from(method);
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        words.push('_');
        words.push_str(&rest[..open]);
        words.push_str("_by_");
        words.push_str(&rest[open + 1..open + close]);
        words.push('_');
        rest = &rest[open + close + 1..];
    }
    words.push('_');
    words.push_str(rest);
    identifier(&words)
}

/// `text` lowercased, with every run of characters other than ASCII letters and
/// digits turned into one `_`, and no `_` at either end. Non-ASCII letters count
/// as separators so that every result is a portable file name.
pub fn identifier(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    out.truncate(out.trim_end_matches('_').len());
    out
}

/// The longest name accepted, well under every file system's limit once an
/// extension is added.
pub const MAX_FILE_NAME: usize = 120;

/// Whether `name` can be used as it is for `specs/<name>.<ext>`: ASCII letters,
/// digits, `_` and `-`, starting with a letter, digit or `_` (so never a hidden
/// file or something that reads as a command-line option), at most
/// [`MAX_FILE_NAME`] bytes.
pub fn is_valid_file_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_FILE_NAME
        && !name.starts_with('-')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_paths_become_snake_case() {
        assert_eq!(
            derive("GET", "/chat/sessions/search"),
            "get_chat_sessions_search"
        );
        assert_eq!(derive("post", "/chat/sessions"), "post_chat_sessions");
        assert_eq!(derive("GET", "/"), "get");
    }

    #[test]
    fn path_parameters_become_by_name() {
        assert_eq!(
            derive("GET", "/contacts/{contact_id}/notes"),
            "get_contacts_by_contact_id_notes"
        );
        assert_eq!(
            derive("DELETE", "/chat/sessions/{sessionId}"),
            "delete_chat_sessions_by_sessionid"
        );
        // A parameter inside a segment, and two in a row.
        assert_eq!(
            derive("GET", "/files/{name}.json"),
            "get_files_by_name_json"
        );
        assert_eq!(derive("GET", "/a/{x}{y}"), "get_a_by_x_by_y");
        // A parameter and a literal segment of the same name stay apart.
        assert_ne!(derive("GET", "/a/{id}"), derive("GET", "/a/id"));
    }

    #[test]
    fn other_characters_collapse_into_one_underscore() {
        assert_eq!(
            derive("GET", "/v1//chat-sessions/~search.json"),
            "get_v1_chat_sessions_search_json"
        );
        assert_eq!(derive("GET", "/café/ünïcode"), "get_caf_n_code");
        // An unclosed brace is kept as text rather than guessed at.
        assert_eq!(derive("GET", "/a/{broken"), "get_a_broken");
    }

    #[test]
    fn derived_ids_are_valid_file_names() {
        for (method, path) in [
            ("GET", "/"),
            ("PATCH", "/contacts/{contact_id}/notes/{note_id}"),
            ("TRACE", "/~weird/{ }/%20"),
        ] {
            let id = derive(method, path);
            assert!(is_valid_file_name(&id), "{id:?}");
            assert_eq!(id, derive(method, path), "deterministic");
        }
    }

    #[test]
    fn identifiers_trim_and_collapse() {
        assert_eq!(identifier("  OpenCX API (v2) "), "opencx_api_v2");
        assert_eq!(identifier("日本語"), "");
        assert_eq!(identifier("__a__b__"), "a_b");
    }

    #[test]
    fn file_names() {
        for good in [
            "getChatSession",
            "get_chat_sessions",
            "opencx-api",
            "_x",
            "1",
        ] {
            assert!(is_valid_file_name(good), "{good}");
        }
        for bad in [
            "",
            "-rf",
            ".hidden",
            "a/b",
            "a.yaml",
            "a b",
            "ü",
            &"a".repeat(MAX_FILE_NAME + 1),
        ] {
            assert!(!is_valid_file_name(bad), "{bad}");
        }
    }
}
