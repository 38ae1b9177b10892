//! Dependencies run one way: no two modules of `xtask` or `opencx-api` refer
//! to each other. A module is a file or folder under `src/` (two levels
//! deep: `runtime::auth`, `diff::spec`); it refers to another when its code
//! names it (`crate::runtime::config`, `super::config`, `use crate::regen`).
//! A module and its own submodules are one thing, and not counted.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use opencx_tests::workspace_root;

/// The module a file under `src` is, two levels deep at most:
/// `runtime/auth.rs` → `runtime::auth`, `diff/spec/schemas.rs` →
/// `diff::spec`, `lib.rs` → the crate root (`""`).
fn module_of(relative: &Path) -> Vec<String> {
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if parts
        .last()
        .is_some_and(|p| p == "mod" || p == "lib" || p == "main")
    {
        parts.pop();
    }
    parts.truncate(2);
    parts
}

/// The modules (two levels deep) that `text`, the code of `module`, names.
fn referred(module: &[String], text: &str) -> BTreeSet<Vec<String>> {
    let mut found = BTreeSet::new();
    let code: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let words = |rest: &str| -> Vec<String> {
        rest.split("::")
            .map(|w| {
                w.chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect::<String>()
            })
            .take_while(|w| !w.is_empty() && w.chars().next().is_some_and(|c| c.is_lowercase()))
            .take(2)
            .collect()
    };
    for (i, _) in code.match_indices("crate::") {
        // `opencx_api::crate` never occurs; a `$crate` in a macro is ours too.
        let path = words(&code[i + "crate::".len()..]);
        if !path.is_empty() {
            found.insert(path);
        }
    }
    for (i, _) in code.match_indices("super::") {
        if i > 0 && code[..i].ends_with("super::") {
            continue; // counted from the first `super::`
        }
        let mut rest = &code[i..];
        let mut base: Vec<String> = module.to_vec();
        while let Some(after) = rest.strip_prefix("super::") {
            base.pop();
            rest = after;
        }
        let mut path = base;
        path.extend(words(rest));
        path.truncate(2);
        found.insert(path);
    }
    found
}

/// Pairs of modules of the crate at `src` that refer to each other.
fn mutual(src: &Path) -> Vec<String> {
    let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let module = module_of(path.strip_prefix(src).unwrap());
                let text = std::fs::read_to_string(&path).unwrap();
                edges
                    .entry(module.clone())
                    .or_default()
                    .extend(referred(&module, &text));
            }
        }
    }
    // Within one's own module, or an ancestor's or descendant's: not an edge.
    let related = |a: &[String], b: &[String]| a.starts_with(b) || b.starts_with(a);
    let mut pairs = Vec::new();
    for (a, targets) in &edges {
        for b in targets {
            if a < b
                && !related(a, b)
                && edges.get(b).is_some_and(|back| back.iter().any(|t| t == a))
            {
                pairs.push(format!("{} <-> {}", a.join("::"), b.join("::")));
            }
        }
    }
    pairs
}

#[test]
fn no_two_modules_refer_to_each_other() {
    for krate in ["xtask/src", "opencx-api/src", "opencx-api/codegen"] {
        let pairs = mutual(&workspace_root().join(krate));
        assert!(pairs.is_empty(), "{krate}: {}", pairs.join(", "));
    }
}

#[test]
fn a_pair_that_refers_to_each_other_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path();
    std::fs::create_dir_all(src.join("runtime")).unwrap();
    std::fs::write(
        src.join("runtime/auth.rs"),
        "use super::config::ConfigError;",
    )
    .unwrap();
    std::fs::write(
        src.join("runtime/config.rs"),
        "use crate::runtime::auth::Token;",
    )
    .unwrap();
    std::fs::write(src.join("runtime/mod.rs"), "mod auth; mod config;").unwrap();
    assert_eq!(mutual(src), ["runtime::auth <-> runtime::config"]);
}
