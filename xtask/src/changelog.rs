//! `opencx-api/CHANGELOG.md`, in Keep a Changelog form: regen adds each API
//! change to the `Unreleased` section and keeps its semver hint true against
//! the last release recorded below it and the version in
//! `opencx-api/Cargo.toml`.
//!
//! Releasing is a hand edit: rename `[Unreleased]` to `[x.y.z] - date` with the
//! version the hint asks for; the next regen starts a new, empty `Unreleased`.

use crate::diff::{
    changelog_heading, changelog_line, groups, rust_lines, Bump, Explanation, Lifecycle,
};

const HEADER: &str = "# Changelog\n\n\
All notable changes to `opencx-api`. The format is [Keep a Changelog](https://keepachangelog.com/en/1.1.0/);\n\
versions follow [Semantic Versioning](https://semver.org/) with Cargo's rules for 0.x.\n\
`cargo xtask regen` adds every API change to `Unreleased`, with its rule id and whether\n\
it breaks a running program (wire) or code compiled against the crate (Rust API).\n";

/// The sections of `Unreleased`, in order, and the bump each stands for.
/// `Deprecated` is Keep a Changelog's: what upstream marked `deprecated`;
/// what it then removes is `Breaking`, each line saying whether a
/// deprecation came first.
const SECTIONS: [(&str, Bump); 4] = [
    ("Breaking", Bump::Major),
    ("Added", Bump::Minor),
    ("Deprecated", Bump::Minor),
    ("Changed", Bump::Patch),
];

/// The `Unreleased` entries: (section, subject heading, line), in order.
type Entries = Vec<(String, String, String)>;

/// The changelog after `explanation`, given the crate's current version.
///
/// Entries are grouped by section (breaking first), then by operation or
/// type (a `####` heading), one line per change: a change seen from the
/// request and the response side of a type is one line with both verdicts,
/// and a line already there is not added again.
pub fn update(
    existing: Option<&str>,
    explanation: &Explanation,
    crate_version: Option<&str>,
) -> String {
    let existing = existing.unwrap_or("");
    let (mut entries, released) = parse(existing);
    for group in groups(explanation) {
        let heading = changelog_heading(&group);
        for entry in &group.entries {
            let deprecation = entry
                .rules
                .iter()
                .all(|r| Lifecycle::of_rule(r) == Some(Lifecycle::Deprecated));
            let section = if deprecation && entry.bump < Bump::Major {
                "Deprecated"
            } else {
                section_of(entry.bump)
            };
            add(&mut entries, section, &heading, changelog_line(entry));
        }
    }
    for (line, breaking) in rust_lines(&explanation.other_rust_changes) {
        let (bump, verdict) = if breaking {
            (Bump::Major, "breaking")
        } else {
            (Bump::Minor, "compatible")
        };
        add(
            &mut entries,
            section_of(bump),
            "generated code",
            format!("- {line} (Rust API: {verdict})"),
        );
    }
    if explanation.docs_only > 0 {
        add(
            &mut entries,
            "Changed",
            "",
            format!(
                "- docs only: {} descriptions, summaries or examples changed",
                explanation.docs_only
            ),
        );
    }
    let mut out = String::from(HEADER);
    out.push_str("\n## [Unreleased]\n\n");
    out.push_str(&hint(
        &entries,
        last_release(&released).as_deref(),
        crate_version,
    ));
    for (name, _) in SECTIONS {
        let in_section: Vec<&(String, String, String)> =
            entries.iter().filter(|(s, _, _)| s == name).collect();
        if in_section.is_empty() {
            continue;
        }
        out.push_str(&format!("\n### {name}\n"));
        let mut headings: Vec<&str> = Vec::new();
        for (_, heading, _) in &in_section {
            if !headings.contains(&heading.as_str()) {
                headings.push(heading);
            }
        }
        for heading in headings {
            if heading.is_empty() {
                out.push('\n');
            } else {
                out.push_str(&format!("\n#### {heading}\n\n"));
            }
            for (_, _, line) in in_section.iter().filter(|(_, h, _)| h == heading) {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    if !released.is_empty() {
        out.push('\n');
        out.push_str(&released);
    }
    out
}

fn section_of(bump: Bump) -> &'static str {
    SECTIONS
        .iter()
        .find(|(_, b)| *b == bump)
        .map_or("Changed", |(name, _)| name)
}

fn add(entries: &mut Entries, section: &str, heading: &str, line: String) {
    if !entries.iter().any(|(_, h, l)| h == heading && *l == line) {
        entries.push((section.to_string(), heading.to_string(), line));
    }
}

/// The `Unreleased` entries, and everything from the first released
/// version on.
fn parse(text: &str) -> (Entries, String) {
    let mut entries = Vec::new();
    let mut in_unreleased = false;
    let mut section = String::new();
    let mut heading = String::new();
    let mut released = String::new();
    for line in text.lines() {
        if !released.is_empty()
            || (line.starts_with("## [") && !line.starts_with("## [Unreleased]"))
        {
            released.push_str(line);
            released.push('\n');
            continue;
        }
        if line.starts_with("## [Unreleased]") {
            in_unreleased = true;
        } else if let Some(name) = line.strip_prefix("#### ") {
            heading = name.trim().to_string();
        } else if let Some(name) = line.strip_prefix("### ") {
            section = name.trim().to_string();
            heading.clear();
        } else if in_unreleased && line.starts_with("- ") {
            entries.push((section.clone(), heading.clone(), line.to_string()));
        }
    }
    (entries, released)
}

/// The version of the newest release: the first `## [x.y.z]` heading.
fn last_release(released: &str) -> Option<String> {
    released
        .lines()
        .find_map(|l| l.strip_prefix("## ["))
        .and_then(|l| l.split(']').next())
        .map(str::to_string)
}

fn hint(entries: &Entries, last: Option<&str>, crate_version: Option<&str>) -> String {
    let bump = entries
        .iter()
        .filter_map(|(section, _, _)| {
            SECTIONS
                .iter()
                .find(|(name, _)| name == section)
                .map(|(_, b)| *b)
        })
        .max()
        .unwrap_or(Bump::None);
    if bump == Bump::None {
        return "No API changes since the last release.\n".into();
    }
    let Some(last) = last else {
        return format!("Semver: {bump} (no release recorded yet).\n");
    };
    let needed = bump.apply(last).unwrap_or_else(|| last.to_string());
    let current = crate_version.unwrap_or("unknown");
    let enough = crate_version.is_some_and(|v| version_key(v) >= version_key(&needed));
    let advice = if enough {
        format!("`opencx-api/Cargo.toml` has {current}, which is enough.")
    } else {
        format!("bump `opencx-api/Cargo.toml` from {current} to {needed} before releasing.")
    };
    format!("Semver: {bump} since {last}: release {needed}; {advice}\n")
}

fn version_key(version: &str) -> Vec<u64> {
    version.split('.').map(|p| p.parse().unwrap_or(0)).collect()
}

/// The `version` of the `[package]` in a Cargo.toml.
pub fn crate_version(manifest: &str) -> Option<String> {
    let mut in_package = false;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_package = line == "[package]";
        } else if in_package {
            if let Some(value) = line.strip_prefix("version") {
                let value = value.trim_start().strip_prefix('=')?.trim();
                return Some(value.trim_matches('"').to_string());
            }
        }
    }
    None
}

/// The version the `Unreleased` section of `changelog` calls for: the last
/// release it records bumped as its entries say, else `crate_version` so
/// bumped; `None` when there is nothing to release or no version to bump.
pub fn next_release(changelog: &str, crate_version: Option<&str>) -> Option<String> {
    let (entries, released) = parse(changelog);
    let bump = entries
        .iter()
        .filter_map(|(section, _, _)| SECTIONS.iter().find(|(name, _)| name == section))
        .map(|(_, bump)| *bump)
        .max()?;
    bump.apply(last_release(&released).as_deref().or(crate_version)?)
}

/// `explanation` alone as `Unreleased` would list it: its `### Breaking`,
/// `### Added`... sections, without the file's header and semver hint.
pub fn entry(explanation: &Explanation) -> String {
    let whole = update(None, explanation, None);
    whole
        .find("\n### ")
        .map(|start| whole[start + 1..].to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_package_version() {
        assert_eq!(
            crate_version(
                "[package]\nname = \"x\"\nversion = \"0.3.1\"\n[dependencies]\nversion = 1\n"
            )
            .as_deref(),
            Some("0.3.1")
        );
    }

    #[test]
    fn the_next_release_follows_the_hint() {
        let text = format!(
            "{HEADER}\n## [Unreleased]\n\n### Added\n\n#### x\n\n- new\n\n## [0.3.1] - 2026-01-01\n"
        );
        assert_eq!(next_release(&text, Some("9.9.9")).as_deref(), Some("0.3.2"));
        let unreleased_only = format!("{HEADER}\n## [Unreleased]\n\n### Breaking\n\n- gone\n");
        assert_eq!(
            next_release(&unreleased_only, Some("0.1.0")).as_deref(),
            Some("0.2.0")
        );
        assert_eq!(
            next_release(&format!("{HEADER}\n## [Unreleased]\n"), Some("0.1.0")),
            None
        );
        assert!(entry(&Explanation::default()).is_empty());
    }

    #[test]
    fn an_empty_changelog_with_a_release_keeps_it_and_says_no_changes() {
        let text =
            format!("{HEADER}\n## [Unreleased]\n\n## [0.1.0] - 2026-01-01\n\n- First release.\n");
        let out = update(Some(&text), &Explanation::default(), Some("0.1.0"));
        assert!(
            out.contains("No API changes since the last release."),
            "{out}"
        );
        assert!(
            out.ends_with("## [0.1.0] - 2026-01-01\n\n- First release.\n"),
            "{out}"
        );
        assert_eq!(
            update(Some(&out), &Explanation::default(), Some("0.1.0")),
            out
        );
    }
}
