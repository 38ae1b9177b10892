//! What an upstream change means: the API changes between two versions of the
//! merged document, each with a rule id and two verdicts (does it break a
//! running program on the wire; does it break code compiled against the
//! generated crate), and the semver bump they call for.
//!
//! The wire verdict comes from the documents (`spec/`); the Rust verdict from
//! the generated code itself ([`rust`]), compared item by item with syn, so a
//! `T` → `Option<T>` or a new variant of an exhaustive enum is caught.

mod lifecycle;
pub mod names;
mod render;
pub mod revision;
pub mod rust;
mod spec;

use std::fmt;

use serde::Serialize;
use serde_json::Value;

pub use lifecycle::Lifecycle;
pub use render::{
    changelog_heading, changelog_line, groups, rust_lines, verdicts, Entry, Format, Group,
};

/// What a change is about: an operation or a named type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    /// `METHOD /path` and its operationId.
    Operation(String, String),
    /// A component schema's name.
    Type(String),
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Subject::Operation(operation, id) => write!(f, "{operation} ({id})"),
            Subject::Type(name) => write!(f, "type {name}"),
        }
    }
}

/// The Rust API verdict of one change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RustVerdict {
    /// The generated public API did not change.
    Unchanged,
    /// Items were added; everything that compiled still compiles.
    Compatible,
    /// Code that compiled against the old crate may not compile.
    Breaking,
}

/// One API change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub subject: Subject,
    /// oasdiff's rule id where it has one (`response-property-enum-value-added`).
    pub rule: String,
    /// Where: `body`, a response status (`200`), a parameter's location
    /// (`query`), or a path inside them or a named type (`data[].items`, ``
    /// for a type's root).
    pub at: String,
    /// What at `at`: the property, parameter, enum value or wrapper; empty for
    /// the schema at `at` as a whole.
    pub name: String,
    pub detail: String,
    /// Does it break an existing program at run time?
    pub wire_breaking: bool,
    pub rust: RustVerdict,
    /// Deprecated, reactivated, or removed after a deprecation or without
    /// one: read from the rule id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lifecycle: Option<Lifecycle>,
    /// The generated items it changed.
    pub rust_changes: Vec<String>,
    /// The client crate's cargo features that compile what it changed (the
    /// tags of the operations involved, `codegen/selection.rs`): a crate
    /// that turns none of them on is not touched by it. Empty where the
    /// client has no features or the items are always compiled.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub features: Vec<String>,
    /// Rust items the change may touch: (item path, member), member empty for
    /// the item as a whole. Resolved against the Rust diff, then cleared.
    #[serde(skip)]
    candidates: Vec<(String, String)>,
}

impl Change {
    fn new(
        subject: Subject,
        rule: &str,
        detail: String,
        wire_breaking: bool,
        candidates: Vec<(String, String)>,
        at: String,
        name: String,
    ) -> Self {
        Self {
            subject,
            rule: rule.to_string(),
            at,
            name,
            detail,
            wire_breaking,
            rust: RustVerdict::Unchanged,
            lifecycle: Lifecycle::of_rule(rule),
            rust_changes: Vec::new(),
            features: Vec::new(),
            candidates,
        }
    }

    /// The semver bump this change alone calls for.
    pub fn bump(&self) -> Bump {
        if self.wire_breaking || self.rust == RustVerdict::Breaking {
            Bump::Major
        } else if self.rust == RustVerdict::Compatible
            || self.rule.ends_with("-added")
            // SemVer 2.0.0 §7: marking public API deprecated is a minor release.
            || self.rule.ends_with("-deprecated")
        {
            Bump::Minor
        } else {
            Bump::Patch
        }
    }
}

/// A semver bump, in increasing order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Bump {
    None,
    Patch,
    Minor,
    Major,
}

impl Bump {
    /// `version` bumped, with Cargo's rules for 0.x: there a breaking change
    /// bumps the minor number and anything else the patch number.
    ///
    /// ```
    /// use xtask::diff::Bump;
    /// assert_eq!(Bump::Major.apply("0.3.1"), Some("0.4.0".to_string()));
    /// assert_eq!(Bump::Minor.apply("0.3.1"), Some("0.3.2".to_string()));
    /// assert_eq!(Bump::Minor.apply("1.3.1"), Some("1.4.0".to_string()));
    /// ```
    pub fn apply(self, version: &str) -> Option<String> {
        let parts: Vec<u64> = version
            .split('.')
            .map(|p| p.parse().ok())
            .collect::<Option<_>>()?;
        let [major, minor, patch] = parts.as_slice() else {
            return None;
        };
        let (major, minor, patch) = (*major, *minor, *patch);
        Some(match (self, major) {
            (Bump::None, _) => version.to_string(),
            (Bump::Major, 0) => format!("0.{}.0", minor + 1),
            (_, 0) => format!("0.{minor}.{}", patch + 1),
            (Bump::Major, _) => format!("{}.0.0", major + 1),
            (Bump::Minor, _) => format!("{major}.{}.0", minor + 1),
            (Bump::Patch, _) => format!("{major}.{minor}.{}", patch + 1),
        })
    }
}

impl fmt::Display for Bump {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        })
    }
}

/// Every change between two versions of the API.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Explanation {
    pub changes: Vec<Change>,
    /// Descriptions, summaries and examples that changed, counted.
    pub docs_only: usize,
    /// Changes to the generated API that no spec change accounts for (a
    /// codegen or overlay change).
    pub other_rust_changes: Vec<rust::RustChange>,
}

impl Explanation {
    /// The bump all changes together call for.
    pub fn bump(&self) -> Bump {
        let spec = self.changes.iter().map(Change::bump);
        let rust =
            self.other_rust_changes
                .iter()
                .map(|c| if c.breaking { Bump::Major } else { Bump::Minor });
        let docs = (self.docs_only > 0).then_some(Bump::Patch);
        spec.chain(rust).chain(docs).max().unwrap_or(Bump::None)
    }

    /// Whether anything breaks, on the wire or in Rust.
    pub fn is_breaking(&self) -> bool {
        self.bump() == Bump::Major
    }

    /// Whether nothing changed at all.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty() && self.docs_only == 0 && self.other_rust_changes.is_empty()
    }

    /// Renders the explanation in `format`.
    pub fn render(&self, format: Format) -> String {
        render::render(self, format)
    }
}

/// The features that compile the items `change` may touch, as the new
/// client has them (the old one's for an item that is gone). `all-schemas`
/// is named only when no tag is: every reached type has it besides its tags.
fn features_of(change: &Change, old: &rust::Api, new: &rust::Api) -> Vec<String> {
    let mut features: std::collections::BTreeSet<String> = change
        .candidates
        .iter()
        .filter_map(|(item, member)| {
            new.features(item, member)
                .or_else(|| old.features(item, member))
        })
        .flatten()
        .cloned()
        .collect();
    if features.len() > 1 {
        features.remove(crate::codegen::selection::ALL_SCHEMAS);
    }
    features.into_iter().collect()
}

/// Explains the change from one merged document and generated client to
/// another.
pub fn explain(
    old_doc: &Value,
    new_doc: &Value,
    old_client: &str,
    new_client: &str,
) -> Result<Explanation, String> {
    let (mut changes, docs_only) = spec::changes(old_doc, new_doc);
    let (old_api, new_api) = (rust::Api::parse(old_client)?, rust::Api::parse(new_client)?);
    let mut rust_changes = rust::changes(&old_api, &new_api);
    let mut used = vec![false; rust_changes.len()];
    // A type's builder (`types::builder::X`) changes with the type.
    let of_type = |rc: &rust::RustChange| rc.item.replacen("types::builder::", "types::", 1);
    for change in &mut changes {
        for (i, rc) in rust_changes.iter().enumerate() {
            let hit = change.candidates.iter().any(|(item, member)| {
                (rc.item == *item || of_type(rc) == *item)
                    && (member.is_empty() || rc.member == *member || rc.member.is_empty())
            });
            if hit {
                used[i] = true;
                change.rust = change.rust.max(if rc.breaking {
                    RustVerdict::Breaking
                } else {
                    RustVerdict::Compatible
                });
                change.rust_changes.push(rc.description.clone());
            }
        }
    }
    // A type's or an operation's inline parts are types named after it
    // (`CreateSequenceInput` → `CreateSequenceInputStepsItem`): each new or
    // removed one goes with the change to the type or operation whose name
    // is the longest start of its own (added, removed, or answering another
    // type).
    for (i, rc) in rust_changes.iter().enumerate() {
        // New or removed items only: a change to an existing one is its own.
        let new_or_gone = !rc.breaking || rc.description.ends_with(" removed");
        if used[i] || !rc.member.is_empty() || !new_or_gone {
            continue;
        }
        let item = of_type(rc);
        let owner = changes
            .iter_mut()
            .filter_map(|c| {
                let longest = c
                    .candidates
                    .iter()
                    .filter(|(_, member)| member.is_empty())
                    .map(|(candidate, _)| candidate.replacen("builder::", "types::", 1))
                    .filter(|prefix| {
                        prefix.starts_with("types::") && item.starts_with(prefix.as_str())
                    })
                    .map(|prefix| prefix.len())
                    .max()?;
                Some((longest, c))
            })
            .max_by_key(|(longest, _)| *longest);
        if let Some((_, change)) = owner {
            used[i] = true;
            change.rust = change.rust.max(if rc.breaking {
                RustVerdict::Breaking
            } else {
                RustVerdict::Compatible
            });
            change.rust_changes.push(rc.description.clone());
        }
    }
    for change in &mut changes {
        change.features = features_of(change, &old_api, &new_api);
        change.candidates.clear();
    }
    let mut i = 0;
    rust_changes.retain(|_| {
        i += 1;
        !used[i - 1]
    });
    changes.sort_by(|a, b| {
        a.subject
            .cmp(&b.subject)
            .then(a.rule.cmp(&b.rule))
            .then(a.detail.cmp(&b.detail))
    });
    Ok(Explanation {
        changes,
        docs_only,
        other_rust_changes: rust_changes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(issues: Value) -> Value {
        json!({"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": {
            "/issues": {"get": {"operationId": "issues/list", "tags": ["issues"],
                "parameters": issues, "responses": {"204": {"description": "none"}}}},
            "/repos": {"get": {"operationId": "repos/list", "tags": ["repos"],
                "responses": {"204": {"description": "none"}}}}
        }})
    }

    /// A client as `codegen/selection.rs` gates it.
    fn client(extra: &str) -> String {
        format!(
            "impl Client {{ #[cfg(any(feature = \"issues\"))] pub fn issues_list(&self) -> builder::IssuesList<'_> {{ todo!() }} \
             #[cfg(any(feature = \"repos\"))] pub fn repos_list(&self) -> builder::ReposList<'_> {{ todo!() }} }} \
             pub mod builder {{ #[cfg(any(feature = \"issues\"))] pub struct IssuesList<'a> {{ client: &'a () }} \
             #[cfg(any(feature = \"issues\"))] impl<'a> IssuesList<'a> {{ {extra} }} \
             #[cfg(any(feature = \"repos\"))] pub struct ReposList<'a> {{ client: &'a () }} }}"
        )
    }

    #[test]
    fn each_change_names_the_features_that_compile_what_it_touches() {
        let old = doc(json!([]));
        let mut new = doc(json!([{"name": "state", "in": "query", "required": true,
            "schema": {"type": "string"}}]));
        new["paths"]["/repos/{id}"] = json!({"get": {"operationId": "repos/get",
            "tags": ["repos"], "parameters": [{"name": "id", "in": "path", "required": true,
            "schema": {"type": "string"}}], "responses": {"204": {"description": "none"}}}});
        let new_client = client("pub fn state(self, value: String) -> Self { self }").replacen(
            "impl Client {",
            "impl Client { #[cfg(any(feature = \"repos\"))] pub fn repos_get(&self) -> builder::ReposGet<'_> { todo!() }",
            1,
        );
        let explanation = explain(&old, &new, &client(""), &new_client).unwrap();
        let added = explanation
            .changes
            .iter()
            .find(|c| c.rule == "endpoint-added")
            .expect("the new operation is a change");
        assert_eq!(added.features, ["repos"]);
        let change = explanation
            .changes
            .iter()
            .find(|c| c.rule == "new-required-request-parameter")
            .expect("the new parameter is a change");
        assert_eq!(change.features, ["issues"]);
        let text = explanation.render(Format::Text);
        assert!(
            text.contains("GET /issues (issues/list) (feature `issues`)"),
            "{text}"
        );
        assert!(
            text.contains("GET /repos/{id} (repos/get) (feature `repos`)"),
            "{text}"
        );
        let json = explanation.render(Format::Json);
        assert!(
            json.contains("\"features\": [\n        \"issues\""),
            "{json}"
        );
    }
}
