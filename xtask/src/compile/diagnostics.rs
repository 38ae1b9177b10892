//! rustc's errors, as `cargo check --message-format=json` reports them.

use std::path::PathBuf;

use serde::Deserialize;

/// One error of rustc's: where (the primary span's file and line, else the
/// first span's) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompileError {
    /// `error[E0599]: ...`: rustc's first line, code included.
    pub message: String,
    /// Every span's file and first line, the primary ones first; the
    /// spans of macro expansions included, since a generated call of a
    /// macro points into the macro.
    pub spans: Vec<(PathBuf, usize)>,
    /// rustc's whole rendering, for an error regen cannot place.
    pub rendered: String,
}

#[derive(Deserialize)]
struct Line {
    reason: String,
    message: Option<Message>,
}

#[derive(Deserialize)]
struct Message {
    message: String,
    level: String,
    code: Option<Code>,
    #[serde(default)]
    spans: Vec<Span>,
    #[serde(default)]
    children: Vec<Message>,
    rendered: Option<String>,
}

#[derive(Deserialize)]
struct Code {
    code: String,
}

#[derive(Deserialize)]
struct Span {
    file_name: String,
    line_start: usize,
    is_primary: bool,
    expansion: Option<Box<Expansion>>,
}

#[derive(Deserialize)]
struct Expansion {
    span: Span,
}

/// The errors of cargo's JSON output `stdout` (one message a line; other
/// lines, such as artifacts and warnings, are skipped).
pub fn errors(stdout: &str) -> Vec<CompileError> {
    stdout
        .lines()
        .filter_map(|line| serde_json::from_str::<Line>(line).ok())
        .filter(|line| line.reason == "compiler-message")
        .filter_map(|line| line.message)
        .filter(|message| message.level == "error" && !message.spans.is_empty())
        .map(|message| {
            let mut spans = Vec::new();
            let mut primary: Vec<&Span> = message.spans.iter().filter(|s| s.is_primary).collect();
            primary.extend(message.spans.iter().filter(|s| !s.is_primary));
            primary.extend(message.children.iter().flat_map(|c| &c.spans));
            for span in primary {
                let mut at = Some(span);
                while let Some(span) = at {
                    spans.push((PathBuf::from(&span.file_name), span.line_start));
                    at = span.expansion.as_ref().map(|e| &e.span);
                }
            }
            let message_line = match &message.code {
                Some(code) => format!("error[{}]: {}", code.code, message.message),
                None => format!("error: {}", message.message),
            };
            CompileError {
                message: message_line,
                spans,
                rendered: message.rendered.unwrap_or_default(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_errors_with_their_spans_and_skips_the_rest() {
        let out = concat!(
            r#"{"reason":"compiler-artifact","package_id":"x"}"#,
            "\n",
            r#"{"reason":"compiler-message","message":{"message":"unused","level":"warning","code":null,"spans":[{"file_name":"a.rs","line_start":1,"is_primary":true,"expansion":null}],"children":[],"rendered":"w"}}"#,
            "\n",
            r#"{"reason":"compiler-message","message":{"message":"`Vec<u8>` doesn't implement `std::fmt::Display`","level":"error","code":{"code":"E0599","explanation":null},"spans":[{"file_name":"b.rs","line_start":9,"is_primary":false,"expansion":null},{"file_name":"/g/client.rs","line_start":42,"is_primary":true,"expansion":null}],"children":[],"rendered":"error[E0599]: ..."}}"#,
            "\n",
            r#"{"reason":"compiler-message","message":{"message":"aborting due to 1 previous error","level":"error","code":null,"spans":[],"children":[],"rendered":"x"}}"#,
            "\n",
            "not json\n",
        );
        let found = errors(out);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "error[E0599]: `Vec<u8>` doesn't implement `std::fmt::Display`"
        );
        assert_eq!(
            found[0].spans,
            [
                (PathBuf::from("/g/client.rs"), 42),
                (PathBuf::from("b.rs"), 9)
            ]
        );
    }
}
