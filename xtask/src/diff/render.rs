//! An [`Explanation`] as text for a terminal, Markdown for a pull request or
//! a CI job summary, or JSON for tools.

use std::collections::BTreeMap;
use std::str::FromStr;

use super::{Change, Explanation, RustVerdict, Subject};

/// How to render an explanation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Json,
}

impl FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "text" => Ok(Format::Text),
            "markdown" | "md" => Ok(Format::Markdown),
            "json" => Ok(Format::Json),
            other => Err(format!("unknown format {other:?}: text, markdown or json")),
        }
    }
}

pub(super) fn render(explanation: &Explanation, format: Format) -> String {
    match format {
        Format::Json => {
            let mut value = serde_json::to_value(explanation).expect("plain data serializes");
            value["semver"] = serde_json::json!(explanation.bump().to_string());
            format!(
                "{}\n",
                serde_json::to_string_pretty(&value).expect("plain data serializes")
            )
        }
        Format::Text => text(explanation),
        Format::Markdown => markdown(explanation),
    }
}

/// `wire: breaking, Rust API: compatible`.
pub fn verdicts(change: &Change) -> String {
    let wire = if change.wire_breaking {
        "breaking"
    } else {
        "compatible"
    };
    let rust = match change.rust {
        RustVerdict::Unchanged => "unchanged",
        RustVerdict::Compatible => "compatible",
        RustVerdict::Breaking => "breaking",
    };
    format!("wire: {wire}, Rust API: {rust}")
}

fn grouped(explanation: &Explanation) -> BTreeMap<&Subject, Vec<&Change>> {
    let mut groups: BTreeMap<&Subject, Vec<&Change>> = BTreeMap::new();
    for change in &explanation.changes {
        groups.entry(&change.subject).or_default().push(change);
    }
    groups
}

fn text(explanation: &Explanation) -> String {
    if explanation.is_empty() {
        return "API changes: none\n".into();
    }
    let mut out = format!("API changes (semver: {}):\n", explanation.bump());
    for (subject, changes) in grouped(explanation) {
        out.push_str(&format!("  {subject}\n"));
        for change in changes {
            out.push_str(&format!(
                "    {} {}  [{}]\n",
                change.rule,
                change.detail,
                verdicts(change)
            ));
        }
    }
    if explanation.docs_only > 0 {
        out.push_str(&format!(
            "  docs-only: {} descriptions, summaries or examples changed\n",
            explanation.docs_only
        ));
    }
    for rc in &explanation.other_rust_changes {
        let verdict = if rc.breaking {
            "breaking"
        } else {
            "compatible"
        };
        out.push_str(&format!(
            "  generated code: {}  [Rust API: {verdict}]\n",
            rc.description
        ));
    }
    out
}

fn markdown(explanation: &Explanation) -> String {
    if explanation.is_empty() {
        return "### API changes\n\nNone.\n".into();
    }
    let mut out = format!(
        "### API changes\n\nSemver: **{}**{}\n\n| subject | rule | change | wire | Rust API |\n| --- | --- | --- | --- | --- |\n",
        explanation.bump(),
        if explanation.is_breaking() { " (breaking)" } else { "" }
    );
    for (subject, changes) in grouped(explanation) {
        for change in changes {
            let wire = if change.wire_breaking {
                "**breaking**"
            } else {
                "compatible"
            };
            let rust = match change.rust {
                RustVerdict::Breaking => "**breaking**",
                RustVerdict::Compatible => "compatible",
                RustVerdict::Unchanged => "unchanged",
            };
            out.push_str(&format!(
                "| {} | `{}` | {} | {wire} | {rust} |\n",
                subject.to_string().replace('|', "\\|"),
                change.rule,
                change.detail.replace('|', "\\|")
            ));
        }
    }
    if explanation.docs_only > 0 {
        out.push_str(&format!(
            "\nDocs only: {} descriptions, summaries or examples changed.\n",
            explanation.docs_only
        ));
    }
    if !explanation.other_rust_changes.is_empty() {
        out.push_str("\nGenerated code changes without a spec change:\n\n");
        for rc in &explanation.other_rust_changes {
            let verdict = if rc.breaking {
                "**breaking**"
            } else {
                "compatible"
            };
            out.push_str(&format!("- {} ({verdict})\n", rc.description));
        }
    }
    out
}
