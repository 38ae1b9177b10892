//! Hand-written methods in `opencx-api` that cover operations: such an
//! operation is left out of codegen (the maintainer's method stands, and a
//! generated one of the same name would not compile beside it), and a
//! left-out report names the method that covers it.
//!
//! A method says which operation it covers with `#[doc(alias = "operationId")]`,
//! which also makes rustdoc's search find it by the upstream name.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};
use syn::visit::Visit;

/// operationId → `Type::method` for every method carrying a `doc(alias)` under
/// `src` (searched recursively). A missing folder has none.
pub fn scan(src: &Path) -> Result<BTreeMap<String, String>> {
    let mut found = BTreeMap::new();
    if !src.is_dir() {
        return Ok(found);
    }
    let mut files = Vec::new();
    collect(src, &mut files)?;
    files.sort();
    for file in files {
        let text = std::fs::read_to_string(&file)
            .with_context(|| format!("reading {}", file.display()))?;
        let parsed =
            syn::parse_file(&text).with_context(|| format!("parsing {}", file.display()))?;
        let mut visitor = Aliases {
            owner: None,
            found: &mut found,
        };
        visitor.visit_file(&parsed);
    }
    Ok(found)
}

fn collect(dir: &Path, files: &mut Vec<std::path::PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, files)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    Ok(())
}

struct Aliases<'a> {
    owner: Option<String>,
    found: &'a mut BTreeMap<String, String>,
}

impl Aliases<'_> {
    fn record(&mut self, attrs: &[syn::Attribute], name: &syn::Ident) {
        for alias in doc_aliases(attrs) {
            let method = match &self.owner {
                Some(owner) => format!("{owner}::{name}"),
                None => name.to_string(),
            };
            self.found.entry(alias).or_insert(method);
        }
    }
}

impl<'ast> Visit<'ast> for Aliases<'_> {
    fn visit_item_impl(&mut self, item: &'ast syn::ItemImpl) {
        let owner = match &*item.self_ty {
            syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
            _ => None,
        };
        let previous = std::mem::replace(&mut self.owner, owner);
        syn::visit::visit_item_impl(self, item);
        self.owner = previous;
    }

    fn visit_item_trait(&mut self, item: &'ast syn::ItemTrait) {
        let previous = self.owner.replace(item.ident.to_string());
        syn::visit::visit_item_trait(self, item);
        self.owner = previous;
    }

    fn visit_impl_item_fn(&mut self, item: &'ast syn::ImplItemFn) {
        self.record(&item.attrs, &item.sig.ident);
    }

    fn visit_trait_item_fn(&mut self, item: &'ast syn::TraitItemFn) {
        self.record(&item.attrs, &item.sig.ident);
    }

    fn visit_item_fn(&mut self, item: &'ast syn::ItemFn) {
        self.record(&item.attrs, &item.sig.ident);
    }
}

/// The values of `#[doc(alias = "...")]`, the form the module docs ask for.
/// Doc comments (`#[doc = "..."]`) are not lists and are skipped.
fn doc_aliases(attrs: &[syn::Attribute]) -> Vec<String> {
    let mut aliases = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("doc")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("alias") {
                let value: syn::LitStr = meta.value()?.parse()?;
                aliases.push(value.value());
            }
            Ok(())
        });
    }
    aliases
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_methods_by_their_doc_alias() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("upload")).unwrap();
        std::fs::write(
            dir.path().join("upload/mod.rs"),
            "impl Client {\n    /// Uploads.\n    #[doc(alias = \"uploadFile\")]\n    pub async fn upload_file(&self) {}\n}\n\
             pub trait Ext { #[doc(alias = \"other\")] fn other(&self); }\n",
        )
        .unwrap();
        let found = scan(dir.path()).unwrap();
        assert_eq!(
            found.get("uploadFile").map(String::as_str),
            Some("Client::upload_file")
        );
        assert_eq!(found.get("other").map(String::as_str), Some("Ext::other"));
        assert!(scan(&dir.path().join("missing")).unwrap().is_empty());
    }
}
