//! An [`Explanation`] as text for a terminal, Markdown for a pull request or
//! a CI job summary, or JSON for tools.

use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

use super::rust::RustChange;
use super::{Bump, Change, Explanation, RustVerdict, Subject};

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

/// One change as people read it: a change seen from both sides of a named
/// type (requests and responses) is one entry with both verdicts.
#[derive(Debug, Clone)]
pub struct Entry {
    pub detail: String,
    /// The rule ids behind it, one per side.
    pub rules: Vec<String>,
    /// `wire: breaking, Rust API: unchanged`, or per side when they differ.
    pub verdicts: String,
    pub bump: Bump,
}

/// The changes of one subject, breaking first.
#[derive(Debug, Clone)]
pub struct Group {
    pub subject: Subject,
    pub entries: Vec<Entry>,
    /// The cargo features that compile the subject ([`Change::features`]).
    pub features: Vec<String>,
}

impl Group {
    /// ` (features `issues`, `repos`)`, or nothing where the subject is
    /// always compiled.
    pub fn features_note(&self) -> String {
        if self.features.is_empty() {
            return String::new();
        }
        let names: Vec<String> = self.features.iter().map(|f| format!("`{f}`")).collect();
        let plural = if names.len() == 1 { "" } else { "s" };
        format!(" (feature{plural} {})", names.join(", "))
    }
}

impl Group {
    /// Whether every change of the subject is one of `rules`.
    fn only(&self, rules: &[&str]) -> bool {
        self.entries
            .iter()
            .all(|e| e.rules.iter().all(|r| rules.contains(&r.as_str())))
    }

    fn bump(&self) -> Bump {
        self.entries
            .iter()
            .map(|e| e.bump)
            .max()
            .unwrap_or(Bump::None)
    }
}

/// The explanation's changes by subject, subjects with a breaking change
/// first, one entry per change however many sides saw it.
pub fn groups(explanation: &Explanation) -> Vec<Group> {
    let mut by_subject: BTreeMap<&Subject, Vec<&Change>> = BTreeMap::new();
    for change in &explanation.changes {
        by_subject.entry(&change.subject).or_default().push(change);
    }
    let mut groups: Vec<Group> = by_subject
        .into_iter()
        .map(|(subject, changes)| {
            let mut same: BTreeMap<&str, Vec<&Change>> = BTreeMap::new();
            let mut order = Vec::new();
            for change in changes {
                if !same.contains_key(change.detail.as_str()) {
                    order.push(change.detail.as_str());
                }
                same.entry(&change.detail).or_default().push(change);
            }
            let mut entries: Vec<Entry> = order
                .into_iter()
                .map(|detail| entry(detail, &same[detail]))
                .collect();
            entries.sort_by_key(|e| std::cmp::Reverse(e.bump));
            let features: BTreeSet<String> = same
                .values()
                .flatten()
                .flat_map(|c| c.features.iter().cloned())
                .collect();
            Group {
                subject: subject.clone(),
                entries,
                features: features.into_iter().collect(),
            }
        })
        .collect();
    groups.sort_by(|a, b| b.bump().cmp(&a.bump()).then(a.subject.cmp(&b.subject)));
    groups
}

fn entry(detail: &str, sides: &[&Change]) -> Entry {
    let rust = sides
        .iter()
        .map(|c| c.rust)
        .max()
        .unwrap_or(RustVerdict::Unchanged);
    let rust = match rust {
        RustVerdict::Unchanged => "unchanged",
        RustVerdict::Compatible => "compatible",
        RustVerdict::Breaking => "breaking",
    };
    let wire = |c: &Change| {
        if c.wire_breaking {
            "breaking"
        } else {
            "compatible"
        }
    };
    let verdicts = match sides {
        [one] => format!("wire: {}, Rust API: {rust}", wire(one)),
        _ if sides
            .iter()
            .all(|c| c.wire_breaking == sides[0].wire_breaking) =>
        {
            format!("wire: {}, Rust API: {rust}", wire(sides[0]))
        }
        _ => {
            let per_side: Vec<String> = sides
                .iter()
                .map(|c| {
                    let side = c.rule.split('-').next().unwrap_or_default();
                    format!("{side}s: wire {}", wire(c))
                })
                .collect();
            format!("{}; Rust API: {rust}", per_side.join("; "))
        }
    };
    Entry {
        detail: detail.to_string(),
        rules: sides.iter().map(|c| c.rule.clone()).collect(),
        verdicts,
        bump: sides.iter().map(|c| c.bump()).max().unwrap_or(Bump::None),
    }
}

fn rules(entry: &Entry) -> String {
    entry
        .rules
        .iter()
        .map(|r| format!("`{r}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn text(explanation: &Explanation) -> String {
    if explanation.is_empty() {
        return "API changes: none\n".into();
    }
    let mut out = format!("API changes (semver: {}):\n", explanation.bump());
    for group in groups(explanation) {
        out.push_str(&format!("  {}{}\n", group.subject, group.features_note()));
        for entry in &group.entries {
            out.push_str(&format!(
                "    {} {}  [{}]\n",
                entry.rules.join(", "),
                entry.detail,
                entry.verdicts
            ));
        }
    }
    if explanation.docs_only > 0 {
        out.push_str(&format!(
            "  docs-only: {} descriptions, summaries or examples changed\n",
            explanation.docs_only
        ));
    }
    for (line, breaking) in rust_lines(&explanation.other_rust_changes) {
        let verdict = if breaking { "breaking" } else { "compatible" };
        out.push_str(&format!(
            "  generated code: {line}  [Rust API: {verdict}]\n"
        ));
    }
    out
}

/// For a pull request or a CI job summary: one list per subject, breaking
/// subjects first, each change with its verdicts and rule ids.
fn markdown(explanation: &Explanation) -> String {
    if explanation.is_empty() {
        return "### API changes\n\nNone.\n".into();
    }
    let mut out = format!(
        "### API changes\n\nSemver: **{}**{}\n",
        explanation.bump(),
        if explanation.is_breaking() {
            " (breaking)"
        } else {
            ""
        }
    );
    let all = groups(explanation);
    let (added, rest): (Vec<&Group>, Vec<&Group>) = all.iter().partition(|g| g.only(ADDED));
    let (removed, changed): (Vec<&Group>, Vec<&Group>) =
        rest.into_iter().partition(|g| g.only(REMOVED));
    let (breaking, other): (Vec<&Group>, Vec<&Group>) =
        changed.into_iter().partition(|g| g.bump() == Bump::Major);
    if !breaking.is_empty() || !removed.is_empty() {
        out.push_str("\n#### Breaking\n");
        subjects_list(&mut out, "Removed operations", "Removed types", &removed);
        for group in breaking {
            markdown_group(&mut out, group);
        }
    }
    if !other.is_empty() || !added.is_empty() {
        out.push_str("\n#### Other changes\n");
        for group in other {
            markdown_group(&mut out, group);
        }
        // Additions need no verdicts (compatible on both counts).
        subjects_list(&mut out, "New operations", "New types", &added);
    }
    if explanation.docs_only > 0 {
        out.push_str(&format!(
            "\nDocs only: {} descriptions, summaries or examples changed.\n",
            explanation.docs_only
        ));
    }
    if !explanation.other_rust_changes.is_empty() {
        out.push_str("\nGenerated code changes no rule above accounts for:\n\n");
        for (line, breaking) in rust_lines(&explanation.other_rust_changes) {
            let verdict = if breaking {
                "**breaking**"
            } else {
                "compatible"
            };
            out.push_str(&format!("- {line} ({verdict})\n"));
        }
    }
    out
}

/// Rules of a subject that is only new, or only gone.
const ADDED: &[&str] = &["endpoint-added", "type-added"];
const REMOVED: &[&str] = &[
    "api-removed-without-deprecation",
    "api-removed-with-deprecation",
    "api-removed-before-sunset",
    "type-removed",
];

/// One subject's changes, each with its verdicts and rule ids.
fn markdown_group(out: &mut String, group: &Group) {
    out.push_str(&format!(
        "\n**{}**{}\n\n",
        markdown_subject(&group.subject),
        group.features_note()
    ));
    for entry in &group.entries {
        let verdicts = if entry.bump == Bump::Major {
            format!("**{}**", entry.verdicts)
        } else {
            entry.verdicts.clone()
        };
        out.push_str(&format!(
            "- {}: {verdicts} ({})\n",
            entry.detail.replace('|', "\\|"),
            rules(entry)
        ));
    }
}

/// Subjects that are only added (or only removed) as two lists: the
/// operations one a line, the types on one line.
fn subjects_list(out: &mut String, operations_title: &str, types_title: &str, groups: &[&Group]) {
    let (operations, types): (Vec<&&Group>, Vec<&&Group>) = groups
        .iter()
        .partition(|g| matches!(g.subject, Subject::Operation(..)));
    if !operations.is_empty() {
        out.push_str(&format!("\n**{operations_title}**\n\n"));
        for group in operations {
            // How it went: `after deprecation`, `without deprecation`, `before
            // its sunset date ...` (a removed operation's one entry says).
            let how = group
                .entries
                .iter()
                .find_map(|e| e.detail.split_once(" removed ").map(|(_, how)| how));
            out.push_str(&format!(
                "- {}{}{}\n",
                markdown_subject(&group.subject),
                group.features_note(),
                how.map(|how| format!(": removed {how}"))
                    .unwrap_or_default()
            ));
        }
    }
    if !types.is_empty() {
        let names: Vec<String> = types
            .iter()
            .map(|g| match &g.subject {
                Subject::Type(name) => format!("`{name}`"),
                other => other.to_string(),
            })
            .collect();
        out.push_str(&format!("\n**{types_title}**: {}\n", names.join(", ")));
    }
}

fn markdown_subject(subject: &Subject) -> String {
    match subject {
        Subject::Operation(operation, id) => format!("`{operation}` (`{id}`)"),
        Subject::Type(name) => format!("type `{name}`"),
    }
}

/// A changelog line for `entry`.
pub fn changelog_line(entry: &Entry) -> String {
    format!("- {} ({}) {}", entry.detail, entry.verdicts, rules(entry))
}

/// A changelog heading for `group`'s subject, with the features that
/// compile it.
pub fn changelog_heading(group: &Group) -> String {
    format!(
        "{}{}",
        markdown_subject(&group.subject),
        group.features_note()
    )
}

/// Rust changes no spec rule accounts for, as lines: changes that say the
/// same of several items (`` `types::A` became #[non_exhaustive] ``) are one
/// line naming them all. Each line with whether it breaks.
pub fn rust_lines(changes: &[RustChange]) -> Vec<(String, bool)> {
    // The description with the item (and member) it names taken out.
    let pattern = |rc: &RustChange| -> Option<(String, String)> {
        let named = if rc.member.is_empty() {
            rc.item.clone()
        } else {
            format!("{}::{}", rc.item, rc.member)
        };
        let quoted = format!("`{named}`");
        rc.description
            .contains(&quoted)
            .then(|| (rc.description.replacen(&quoted, "{}", 1), quoted))
    };
    let mut lines: Vec<(String, bool, Vec<String>)> = Vec::new();
    for rc in changes {
        match pattern(rc) {
            Some((text, named)) => {
                match lines
                    .iter_mut()
                    .find(|(t, b, names)| *t == text && *b == rc.breaking && !names.is_empty())
                {
                    Some((_, _, names)) => names.push(named),
                    None => lines.push((text, rc.breaking, vec![named])),
                }
            }
            None => lines.push((rc.description.clone(), rc.breaking, Vec::new())),
        }
    }
    lines
        .into_iter()
        .map(|(text, breaking, names)| {
            let line = match names.as_slice() {
                [] => text,
                [one] => text.replacen("{}", one, 1),
                [rest @ .., last] => {
                    text.replacen("{}", &format!("{} and {last}", rest.join(", ")), 1)
                }
            };
            (line, breaking)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rc(item: &str, member: &str, description: &str, breaking: bool) -> RustChange {
        RustChange {
            item: item.into(),
            member: member.into(),
            description: description.into(),
            breaking,
        }
    }

    #[test]
    fn one_change_to_many_items_is_one_line() {
        let lines = rust_lines(&[
            rc("types::A", "", "`types::A` became #[non_exhaustive]", true),
            rc(
                "B",
                "s",
                "`B::s`: a value's conversion error must now implement `Display`",
                true,
            ),
            rc("types::C", "", "`types::C` became #[non_exhaustive]", true),
            rc("types::D", "", "new struct `types::D`", false),
            rc("types::E", "", "`types::E` became #[non_exhaustive]", true),
        ]);
        assert_eq!(
            lines,
            [
                (
                    "`types::A`, `types::C` and `types::E` became #[non_exhaustive]".to_string(),
                    true
                ),
                (
                    "`B::s`: a value's conversion error must now implement `Display`".to_string(),
                    true
                ),
                ("new struct `types::D`".to_string(), false),
            ]
        );
    }
}
