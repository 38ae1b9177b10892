//! `specs/overlay.yaml`: our reviewable changes to the merged upstream document.
//!
//! Every pointer in the overlay names a place in the merged *upstream* document
//! (before any overlay entry is applied), so entries do not depend on each
//! other's order. A pointer token may be a selector, `[key=value]`, picking the
//! one list element whose `key` (a dotted path inside the element) equals
//! `value`: `parameters/[name=cursor]`, `anyOf/[properties.type.const=message]`.
//! An entry whose target is gone, or no longer looks as the entry expects, is an
//! error: the overlay never silently stops applying.

use std::collections::BTreeMap;

use anyhow::{anyhow, bail, Context, Result};
use serde::Deserialize;
use serde_json::{json, Map, Value};

use crate::merge::Origins;
use crate::pointer::{first_difference, join, tokens};
use crate::vendor::yaml_location;
use crate::workspace::Workspace;

/// The parsed overlay file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Overlay {
    /// Replacements of single values (a schema, a parameter's schema...).
    #[serde(default)]
    pub patches: Vec<Patch>,
    /// Named types: inline schemas given a component name, or components renamed.
    #[serde(default)]
    pub types: Vec<NamedType>,
    #[serde(skip)]
    file: String,
}

/// Replace the value at `at`, which must currently equal `expect`
/// (or be absent when `expect` is not given).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Patch {
    /// One place, or several that take the same change.
    pub at: Places,
    pub why: String,
    #[serde(default)]
    pub expect: Option<Value>,
    pub set: Value,
    /// The entry only narrows what upstream allows (a number that is whole by
    /// nature becomes an integer), so the contract tests' mock server, which
    /// otherwise serves upstream unchanged, takes it too: it must not send what
    /// the client's narrower type cannot hold. Checked by `crate::contract`.
    #[serde(default)]
    pub narrows: bool,
}

/// One pointer or a list of them.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Places {
    One(String),
    Many(Vec<String>),
}

impl Places {
    pub fn iter(&self) -> impl Iterator<Item = &String> {
        match self {
            Places::One(one) => std::slice::from_ref(one).iter(),
            Places::Many(many) => many.iter(),
        }
    }
}

/// One concept, one Rust type: either every schema at `from` (all equal) moves to
/// `components/schemas/<name>` and each place refers to it, or the existing
/// component `rename` is renamed to `name`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamedType {
    pub name: String,
    pub why: String,
    #[serde(default)]
    pub from: Vec<String>,
    #[serde(default)]
    pub rename: Option<String>,
    /// Doc comment for the type, where upstream gives none.
    #[serde(default)]
    pub description: Option<String>,
}

impl Overlay {
    /// Reads `specs/overlay.yaml`; a missing file is an empty overlay.
    pub fn load(ws: &Workspace) -> Result<Self> {
        let path = ws.overlay_path();
        let file = ws.display(&path);
        if !path.exists() {
            return Ok(Self {
                file,
                ..Self::default()
            });
        }
        let text = std::fs::read_to_string(&path).with_context(|| format!("reading {file}"))?;
        Self::parse(&text, &file)
    }

    /// Parses overlay text; `file` names it in messages.
    pub fn parse(text: &str, file: &str) -> Result<Self> {
        let mut overlay: Self = serde_yaml::from_str(text)
            .map_err(|e| anyhow!("{file}: malformed overlay{}: {e}", yaml_location(&e)))?;
        overlay.file = file.to_string();
        for (i, patch) in overlay.patches.iter().enumerate() {
            if patch.why.trim().is_empty() {
                bail!("{file}: patches[{i}]: `why` must say why the entry exists");
            }
            if patch.at.iter().next().is_none() {
                bail!("{file}: patches[{i}]: `at` names no place");
            }
        }
        for t in &overlay.types {
            if t.why.trim().is_empty() {
                bail!(
                    "{file}: types.{}: `why` must say why the entry exists",
                    t.name
                );
            }
            if t.from.is_empty() == t.rename.is_none() {
                bail!("{file}: types.{}: give either `from` (inline schemas to name) or `rename` (a component)", t.name);
            }
            if !is_type_name(&t.name) {
                bail!(
                    "{file}: types.{}: a type name is UpperCamelCase ASCII",
                    t.name
                );
            }
        }
        Ok(overlay)
    }

    /// Only the patches marked `narrows`: what the contract tests' mock server
    /// applies to the upstream document. Named types are left out, as they
    /// rename and move schemas without changing what they accept.
    pub fn narrowing(&self) -> Self {
        Self {
            patches: self.patches.iter().filter(|p| p.narrows).cloned().collect(),
            types: Vec::new(),
            file: self.file.clone(),
        }
    }

    /// Applies every entry to the merged document: patches, then named types.
    pub fn apply(&self, doc: &mut Value, origins: &mut Origins) -> Result<()> {
        let upstream = doc.clone();
        self.apply_patches(&upstream, doc, origins)?;
        let moved = self.move_named_schemas(&upstream, doc)?;
        self.add_named_components(doc, moved, origins)
    }

    fn apply_patches(&self, upstream: &Value, doc: &mut Value, origins: &Origins) -> Result<()> {
        let file = &self.file;
        for (i, patch) in self.patches.iter().enumerate() {
            for place in patch.at.iter() {
                let entry = format!("{file}: patches[{i}]");
                let (parent, key) = resolve_slot(upstream, place).map_err(|e| {
                    anyhow!("{entry}: {place} no longer matches the upstream documents: {e}")
                })?;
                let at = join(&parent, &key);
                let current = upstream.pointer(&at);
                match (&patch.expect, current) {
                    (None, None) => {}
                    (None, Some(_)) => bail!(
                        "{entry}: {} already exists upstream; give `expect`",
                        origins.describe(&at)
                    ),
                    (Some(_), None) => bail!(
                        "{entry}: {} no longer exists upstream",
                        origins.describe(&at)
                    ),
                    (Some(expected), Some(found)) => {
                        if let Some(diff) = first_difference(expected, found, &at) {
                            bail!(
                            "{entry}: {} no longer looks as `expect` says; first difference at {diff}: upstream has {}",
                            origins.describe(&at),
                            upstream.pointer(&diff).map_or("nothing".into(), Value::to_string)
                        );
                        }
                    }
                }
                insert(doc, &parent, &key, patch.set.clone());
            }
        }
        Ok(())
    }

    /// Replaces every `from` place with a `$ref` to its type's name and returns
    /// the schemas taken out, by type name, each with its `from` index and
    /// pointer. Places are resolved against the upstream document, then replaced
    /// deepest first, so a type named inside another's schema is already a
    /// `$ref` when the outer schema is moved.
    fn move_named_schemas<'s>(&'s self, upstream: &Value, doc: &mut Value) -> Result<Moved<'s>> {
        let file = &self.file;
        let mut places: Vec<(String, &NamedType, usize)> = Vec::new();
        for t in &self.types {
            for (j, from) in t.from.iter().enumerate() {
                let at = resolve(upstream, from).map_err(|e| {
                    anyhow!("{file}: types.{}.from[{j}]: {from} no longer matches the upstream documents: {e}", t.name)
                })?;
                if places.iter().any(|(p, _, _)| *p == at) {
                    bail!("{file}: types.{}.from[{j}]: {at} is named twice", t.name);
                }
                places.push((at, t, j));
            }
        }
        places.sort_by_key(|(at, _, _)| std::cmp::Reverse(tokens(at).len()));
        let mut moved = Moved::new();
        for (at, t, j) in &places {
            let slot = doc
                .pointer_mut(at)
                .expect("resolved against the same shape");
            let mut schema = std::mem::take(slot);
            // A description at the place documents that use of the type: it stays.
            let mut reference = Map::new();
            if let Some(description) = schema
                .as_object_mut()
                .and_then(|m| m.shift_remove("description"))
            {
                reference.insert("description".into(), description);
            }
            reference.insert(
                "$ref".into(),
                json!(format!("#/components/schemas/{}", t.name)),
            );
            *slot = Value::Object(reference);
            moved
                .entry(t.name.as_str())
                .or_default()
                .push((*j, at.clone(), schema));
        }
        Ok(moved)
    }

    /// Adds each named type to `components/schemas` (a moved schema, checked
    /// to be the same at every place, or a renamed component) and points every
    /// reference to a renamed component at its new name.
    fn add_named_components(
        &self,
        doc: &mut Value,
        mut moved: Moved<'_>,
        origins: &mut Origins,
    ) -> Result<()> {
        let file = &self.file;
        // A document with every schema inline has no `components` at all.
        let root = doc
            .as_object_mut()
            .context("the merged document is not a mapping")?;
        let schemas = root
            .entry("components")
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .context("the merged document's components is not a mapping")?
            .entry("schemas")
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .context("the merged document's components/schemas is not a mapping")?;
        for t in &self.types {
            let entry = format!("{file}: types.{}", t.name);
            let mut schema = if let Some(old) = &t.rename {
                let schema = schemas
                    .shift_remove(old)
                    .ok_or_else(|| anyhow!("{entry}: rename: no component {old:?} upstream"))?;
                let old_at = join("/components/schemas", old);
                let source = origins.locate(&old_at).unwrap_or(file).to_string();
                origins.record_moved(join("/components/schemas", &t.name), &source, &old_at);
                schema
            } else {
                let mut copies = moved.remove(t.name.as_str()).unwrap_or_default();
                copies.sort_by_key(|(j, _, _)| *j);
                let (_, first_at, first) = copies
                    .first()
                    .cloned()
                    .context("types always have places")?;
                for (_, at, other) in &copies[1..] {
                    if let Some(diff) = first_difference(&first, other, "") {
                        bail!(
                            "{entry}: the schemas at {} and {} differ (first at {diff}); they cannot be one type",
                            origins.describe(&first_at),
                            origins.describe(at)
                        );
                    }
                }
                let file_of_first = origins.locate(&first_at).unwrap_or(file).to_string();
                origins.record_moved(
                    join("/components/schemas", &t.name),
                    &file_of_first,
                    &first_at,
                );
                first
            };
            if schemas.contains_key(&t.name) {
                bail!("{entry}: a component named {:?} already exists", t.name);
            }
            if let (Some(description), Some(map)) = (&t.description, schema.as_object_mut()) {
                if map.get("description").is_some() {
                    bail!("{entry}: upstream already describes this type; drop `description` from the entry");
                }
                map.insert("description".into(), json!(description));
            }
            schemas.insert(t.name.clone(), schema);
        }
        schemas.sort_keys();
        for t in &self.types {
            if let Some(old) = &t.rename {
                rename_refs(
                    doc,
                    &format!("#/components/schemas/{old}"),
                    &format!("#/components/schemas/{}", t.name),
                );
            }
        }
        Ok(())
    }
}

/// Schemas taken out of their places, by type name: `(from index, pointer, schema)`.
type Moved<'s> = BTreeMap<&'s str, Vec<(usize, String, Value)>>;

fn is_type_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric())
}

/// Resolves an overlay pointer (with selectors) to a plain JSON pointer of an
/// existing value.
pub fn resolve(doc: &Value, pointer: &str) -> std::result::Result<String, String> {
    let (parent, key) = resolve_slot(doc, pointer)?;
    let at = join(&parent, &key);
    match doc.pointer(&at) {
        Some(_) => Ok(at),
        None => Err(format!("nothing at {at}")),
    }
}

/// Resolves all but the last token to an existing value; the last token may name
/// a key that does not exist yet. Returns the parent's pointer and the key.
fn resolve_slot(doc: &Value, pointer: &str) -> std::result::Result<(String, String), String> {
    if !pointer.starts_with('/') {
        return Err("a pointer starts with `/`".into());
    }
    let parts = tokens(pointer);
    let (_, walk) = parts
        .split_last()
        .ok_or("the pointer names the whole document")?;
    let mut at = String::new();
    let mut here = doc;
    for (index, token) in parts.iter().enumerate() {
        let step = match (selector(token), here) {
            (Some((path, want)), Value::Array(items)) => {
                let matches: Vec<usize> = (0..items.len())
                    .filter(|i| dotted(&items[*i], path).and_then(Value::as_str) == Some(want))
                    .collect();
                match matches.as_slice() {
                    [one] => one.to_string(),
                    [] => return Err(format!("no element of {at} has {path} = {want}")),
                    _ => return Err(format!("several elements of {at} have {path} = {want}")),
                }
            }
            (Some(_), _) => return Err(format!("{at} is not a list, so {token} selects nothing")),
            (None, _) => token.clone(),
        };
        if index == walk.len() {
            return Ok((at, step));
        }
        at = join(&at, &step);
        here = doc.pointer(&at).ok_or_else(|| format!("nothing at {at}"))?;
    }
    unreachable!("the loop returns at the last token")
}

/// `[key=value]` → `(key, value)`.
fn selector(token: &str) -> Option<(&str, &str)> {
    token.strip_prefix('[')?.strip_suffix(']')?.split_once('=')
}

fn dotted<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(value, |v, key| v.get(key))
}

fn insert(doc: &mut Value, parent: &str, key: &str, value: Value) {
    match doc.pointer_mut(parent).expect("parent resolved") {
        Value::Object(map) => {
            map.insert(key.to_string(), value);
        }
        Value::Array(items) => {
            let index: usize = key.parse().expect("list index resolved");
            items[index] = value;
        }
        _ => unreachable!("resolve_slot only walks into mappings and lists"),
    }
}

fn rename_refs(value: &mut Value, old: &str, new: &str) {
    match value {
        Value::Object(map) => {
            for (key, item) in map.iter_mut() {
                match item {
                    Value::String(target)
                        if key == "$ref"
                            && (target == old || target.starts_with(&format!("{old}/"))) =>
                    {
                        *target = format!("{new}{}", &target[old.len()..]);
                    }
                    _ => rename_refs(item, old, new),
                }
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| rename_refs(item, old, new)),
        _ => {}
    }
}

#[cfg(test)]
mod tests;
