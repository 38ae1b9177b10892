//! What a pull request for one upstream step says: its branch, its title
//! with the version the changes call for, its body (what changed upstream,
//! the API changes, what to review) and the CHANGELOG entry.

use std::collections::BTreeSet;

use crate::diff::{groups, Bump, Explanation, Format, Lifecycle, Subject};
use crate::fetch::Plan;

/// The branch every upstream pull request of the docs site at `index` comes
/// from: one per site, so a run that finds the same or a newer upstream
/// updates the open pull request instead of opening another.
///
/// ```
/// use xtask::upstream::branch;
/// assert_eq!(branch("https://docs.open.cx/llms.txt"), "upstream/docs.open.cx");
/// assert_eq!(branch("http://127.0.0.1:8080/llms.txt"), "upstream/127.0.0.1-8080");
/// ```
pub fn branch(index: &str) -> String {
    let host = reqwest::Url::parse(index)
        .ok()
        .and_then(|url| {
            let host = url.host_str()?.to_string();
            Some(match url.port() {
                Some(port) => format!("{host}-{port}"),
                None => host,
            })
        })
        .unwrap_or_else(|| "docs".into());
    // Git refuses `:`, spaces and most punctuation in a branch name.
    let safe: String = host
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("upstream/{safe}")
}

/// Rules of a subject that only appears or only goes.
const ADDED: &[&str] = &["endpoint-added"];
const REMOVED: &[&str] = &[
    "api-removed-without-deprecation",
    "api-removed-with-deprecation",
    "api-removed-before-sunset",
];

/// `opencx-api 0.3.0: 2 operations added, 1 breaking change`: the release
/// the CHANGELOG now calls for, and the changes counted. Types that come
/// and go with operations are not counted apart; docs-only edits are, when
/// nothing else changed.
pub fn title(version: &str, explanation: &Explanation) -> String {
    let (mut added, mut removed, mut breaking, mut deprecated, mut other) = (0, 0, 0, 0, 0);
    for group in groups(explanation) {
        let rules: BTreeSet<&str> = group
            .entries
            .iter()
            .flat_map(|e| e.rules.iter().map(String::as_str))
            .collect();
        match &group.subject {
            Subject::Operation(..) if rules.iter().all(|r| ADDED.contains(r)) => added += 1,
            Subject::Operation(..) if rules.iter().all(|r| REMOVED.contains(r)) => removed += 1,
            Subject::Type(_)
                if rules
                    .iter()
                    .all(|r| *r == "type-added" || *r == "type-removed") => {}
            _ => {
                for entry in &group.entries {
                    let deprecation = entry
                        .rules
                        .iter()
                        .all(|r| Lifecycle::of_rule(r) == Some(Lifecycle::Deprecated));
                    if entry.bump == Bump::Major {
                        breaking += 1;
                    } else if deprecation {
                        deprecated += 1;
                    } else {
                        other += 1;
                    }
                }
            }
        }
    }
    for change in &explanation.other_rust_changes {
        if change.breaking {
            breaking += 1;
        } else {
            other += 1;
        }
    }
    let mut parts: Vec<String> = [
        (added, "operation", " added"),
        (removed, "operation", " removed"),
        (breaking, "breaking change", ""),
        (deprecated, "deprecation", ""),
        (other, "other change", ""),
    ]
    .into_iter()
    .filter(|(n, _, _)| *n > 0)
    .map(|(n, noun, verb)| format!("{n} {noun}{}{verb}", if n == 1 { "" } else { "s" }))
    .collect();
    if parts.is_empty() && explanation.docs_only > 0 {
        parts.push(format!(
            "{} docs-only change{}",
            explanation.docs_only,
            if explanation.docs_only == 1 { "" } else { "s" }
        ));
    }
    if parts.is_empty() {
        parts.push("upstream documents changed, no API change".into());
    }
    format!("opencx-api {version}: {}", parts.join(", "))
}

/// What the pull request says: what upstream changed (with each page's
/// URL), the API changes, the new lines of `CONVERSION.md`, and what to
/// review, ending with the digest of `specs/` the branch holds.
pub fn body(
    index: &str,
    plan: &Plan,
    explanation: &Explanation,
    conversion: &[(String, String)],
    digest: &str,
) -> String {
    let mut out = format!(
        "Upstream changed: `cargo xtask upstream` read the docs index {index}, vendored what \
         changed and regenerated the client.\n\n"
    );
    for change in &plan.changed {
        out.push_str(&format!("- changed: {}\n", change.describe()));
    }
    for page in &plan.new {
        out.push_str(&format!("- new: {}\n", page.describe()));
    }
    for record in &plan.gone {
        out.push_str(&format!(
            "- not on the docs site any more, left vendored: {} (`specs/{}`); if upstream \
             dropped it, remove the file and its record in `specs/provenance.yaml`\n",
            record.summary(),
            record.file
        ));
    }
    out.push('\n');
    out.push_str(&explanation.render(Format::Markdown));
    out.push_str("\n### `opencx-api/CONVERSION.md`: new lines\n");
    if conversion.is_empty() {
        out.push_str("\nNone: nothing new is left out, supplied, dropped or renamed.\n");
    }
    let mut heading = "";
    for (section, line) in conversion {
        if section != heading {
            out.push_str(&format!("\n**{section}**\n\n"));
            heading = section;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.push_str(
        "\n### To review\n\n\
         - The API changes above, also in `opencx-api/CHANGELOG.md` (`Unreleased`): its semver \
         hint says which version to release; bump `opencx-api/Cargo.toml` before releasing.\n\
         - `opencx-api/CONVERSION.md`'s new lines: what the client leaves out or reads \
         differently from the document.\n\
         - CI (`bash .ci/run`) on this branch: the drift check, the tests and the contract tests \
         against the new documents.\n",
    );
    out.push_str(&format!("\n<!-- upstream-digest: {digest} -->\n"));
    out
}

/// The lines of the `CONVERSION.md` text `after` that `before` does not
/// have in the same section, with their section's heading; the closing digest
/// line and "None." aside. A new table row comes with its table's header.
pub fn new_report_lines(before: &str, after: &str) -> Vec<(String, String)> {
    let old: BTreeSet<(String, String)> = sectioned(before).into_iter().collect();
    let lines = sectioned(after);
    // A table's header: the first two `|` lines of its section.
    let header = |i: usize| {
        let (section, line) = &lines[i];
        line.starts_with('|')
            && lines[..i]
                .iter()
                .filter(|(s, l)| s == section && l.starts_with('|'))
                .count()
                < 2
    };
    let new_rows: BTreeSet<&str> = (0..lines.len())
        .filter(|&i| !header(i) && !old.contains(&lines[i]))
        .map(|i| lines[i].0.as_str())
        .collect();
    (0..lines.len())
        .filter(|&i| {
            !old.contains(&lines[i]) || (header(i) && new_rows.contains(lines[i].0.as_str()))
        })
        .map(|i| lines[i].clone())
        .collect()
}

/// Each non-empty line of a report under a `## ` heading, with that heading.
fn sectioned(report: &str) -> Vec<(String, String)> {
    let mut heading = String::new();
    let mut out = Vec::new();
    for line in report.lines() {
        if let Some(h) = line.strip_prefix("## ") {
            heading = h.trim().to_string();
        } else if !heading.is_empty()
            && !line.trim().is_empty()
            && line.trim() != "None."
            && crate::inputs::recorded(line).is_none()
        {
            out.push((heading.clone(), line.to_string()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_branch_is_the_sites_and_safe_for_git() {
        assert_eq!(
            branch("https://docs.open.cx/llms.txt"),
            "upstream/docs.open.cx"
        );
        assert_eq!(branch("not a url"), "upstream/docs");
    }

    #[test]
    fn a_new_table_row_comes_with_its_header() {
        let table = "| operation | why |\n| --- | --- |\n";
        let before = format!(
            "## Derived\n\n{table}| `GET /a` | none |\n\n## Other\n\n{table}| `GET /b` | x |\n"
        );
        let after = format!("{before}| `GET /c` | none |\n");
        let found: Vec<String> = new_report_lines(&before, &after)
            .into_iter()
            .map(|(section, line)| format!("{section}: {line}"))
            .collect();
        assert_eq!(
            found,
            [
                "Other: | operation | why |",
                "Other: | --- | --- |",
                "Other: | `GET /c` | none |"
            ]
        );
    }

    #[test]
    fn new_report_lines_keep_their_section_and_skip_the_digest() {
        let before = "# R\n\n## Left out\n\nNone.\n\n## Dropped\n\n- a: why\n\nGenerated from `specs/` with sha256 `1`.\n";
        let after = "# R\n\n## Left out\n\n- b: multipart\n\n## Dropped\n\n- a: why\n- c: why\n\nGenerated from `specs/` with sha256 `2`.\n";
        assert_eq!(
            new_report_lines(before, after),
            [
                ("Left out".to_string(), "- b: multipart".to_string()),
                ("Dropped".to_string(), "- c: why".to_string()),
            ]
        );
    }
}
