//! The client crate's `[features]`: one a tag of the document, which the
//! generated code's `cfg`s name (`codegen/selection.rs`), `full` for all of
//! them (a default feature) and `all-schemas` for the types no operation
//! reaches.
//!
//! Regen writes them into `opencx-api/Cargo.toml` and a scratch crate around
//! a generated client (`compile::scratch`) declares them too: a `cfg` naming
//! a feature the manifest lacks compiles its item out without a word.
//! Features the maintainer wrote (`mock`, ...) stay as they are; the tag
//! features of the last regen are the members of `full`, so that a tag
//! upstream drops goes with it.

use std::collections::BTreeSet;

use toml_edit::{value, Array, Item, Table};

use crate::codegen::selection::{Feature, ALL_SCHEMAS, FULL};

/// The features a generated client's `cfg`s name, its text read
/// (`feature = "…"`), without the crate's own `mock`; whether
/// `all-schemas` is among them.
pub fn named_by(client: &str) -> (Vec<Feature>, bool) {
    let mut names = BTreeSet::new();
    for piece in client.split("feature = \"").skip(1) {
        if let Some((name, _)) = piece.split_once('"') {
            names.insert(name.to_string());
        }
    }
    let all_schemas = names.remove(ALL_SCHEMAS);
    names.remove("mock");
    let features = names
        .into_iter()
        .map(|name| Feature {
            name,
            tags: BTreeSet::new(),
            operations: 0,
        })
        .collect();
    (features, all_schemas)
}

/// Sets the generated features of `table` (a manifest's `[features]`):
/// each of `tags`, `full` listing them, `all-schemas` where the client
/// names it, and `full` among the defaults. Every other feature stays.
pub fn declare(table: &mut Table, tags: &[Feature], all_schemas: bool) {
    let previous = strings(table, FULL);
    for name in previous
        .iter()
        .map(String::as_str)
        .chain([FULL, ALL_SCHEMAS])
    {
        table.remove(name);
    }
    let mut defaults = strings(table, "default");
    if !defaults.iter().any(|d| d == FULL) {
        defaults.insert(0, FULL.to_string());
    }
    table.insert("default", value(array(defaults.iter())));
    table.insert(FULL, value(array(tags.iter().map(|f| &f.name))));
    if let Some(mut key) = table.key_mut(FULL) {
        key.leaf_decor_mut().set_prefix(
            "# Every operation (one feature a tag of the document; an operation\n\
             # without tags is always compiled). Written by `cargo xtask regen`.\n",
        );
    }
    if all_schemas {
        table.insert(ALL_SCHEMAS, value(Array::new()));
        if let Some(mut key) = table.key_mut(ALL_SCHEMAS) {
            key.leaf_decor_mut()
                .set_prefix("# The types no operation sends or answers (webhook payloads, ...).\n");
        }
    }
    for feature in tags {
        table.insert(&feature.name, value(Array::new()));
        if feature.tags.is_empty() {
            continue;
        }
        let tags: Vec<String> = feature.tags.iter().map(|t| format!("`{t}`")).collect();
        let plural = if feature.operations == 1 { "" } else { "s" };
        if let Some(mut key) = table.key_mut(&feature.name) {
            key.leaf_decor_mut().set_prefix(format!(
                "# {} operation{plural} tagged {}.\n",
                feature.operations,
                tags.join(", ")
            ));
        }
    }
}

/// `manifest` (a crate manifest's text) with the features of `client` (the
/// generated client's text): `tags` are the document's, by name, with the
/// tags and operations each stands for, for the comments.
pub fn manifest(manifest: &str, tags: &[Feature], client: &str) -> anyhow::Result<String> {
    let mut doc: toml_edit::DocumentMut = manifest
        .parse()
        .map_err(|e| anyhow::anyhow!("opencx-api/Cargo.toml is not TOML: {e}"))?;
    let (named, all_schemas) = named_by(client);
    // The document's tags where the client names them (a tag whose
    // operations were all left out names nothing).
    let named: BTreeSet<&str> = named.iter().map(|f| f.name.as_str()).collect();
    let tags: Vec<Feature> = tags
        .iter()
        .filter(|f| named.contains(f.name.as_str()))
        .cloned()
        .collect();
    if doc.get("features").and_then(Item::as_table).is_none() {
        doc["features"] = Item::Table(Table::new());
    }
    let table = doc["features"]
        .as_table_mut()
        .expect("[features] is a table, made so above");
    declare(table, &tags, all_schemas);
    Ok(doc.to_string())
}

/// The strings of the array `key` of `table`; none where it is not one.
fn strings(table: &Table, key: &str) -> Vec<String> {
    table
        .get(key)
        .and_then(Item::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

fn array<'a>(names: impl Iterator<Item = &'a String>) -> Array {
    let mut out = Array::new();
    for name in names {
        out.push(name.as_str());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use toml_edit::DocumentMut;

    fn feature(name: &str, tag: &str, operations: usize) -> Feature {
        Feature {
            name: name.into(),
            tags: [tag.to_string()].into(),
            operations,
        }
    }

    #[test]
    fn regen_replaces_the_tag_features_and_keeps_the_maintainers() {
        let mut doc: DocumentMut = "[features]\ndefault = [\"mock\"]\nmock = [\"dep:httpmock\"]\n\
             full = [\"gone\"]\ngone = []\n"
            .parse()
            .unwrap();
        let table = doc["features"].as_table_mut().unwrap();
        declare(
            table,
            &[feature("repos", "repos", 2), feature("issues", "Issues", 1)],
            true,
        );
        let text = doc.to_string();
        assert!(!text.contains("gone"), "{text}");
        assert!(text.contains("mock = [\"dep:httpmock\"]"), "{text}");
        assert!(text.contains("default = [\"full\", \"mock\"]"), "{text}");
        assert!(text.contains("full = [\"repos\", \"issues\"]"), "{text}");
        assert!(
            text.contains("# 2 operations tagged `repos`.\nrepos = []"),
            "{text}"
        );
        assert!(text.contains("all-schemas = []"), "{text}");
        // Twice is once.
        let table = doc["features"].as_table_mut().unwrap();
        declare(
            table,
            &[feature("repos", "repos", 2), feature("issues", "Issues", 1)],
            true,
        );
        assert_eq!(doc.to_string(), text);
    }

    #[test]
    fn the_features_a_client_names_are_read_from_its_cfgs() {
        let (features, all) = named_by(
            "#[cfg(any(feature = \"repos\", feature = \"all-schemas\"))]\n\
             #[cfg(feature = \"mock\")] #[cfg(feature = \"issues\")]",
        );
        let names: Vec<&str> = features.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["issues", "repos"]);
        assert!(all);
    }
}
