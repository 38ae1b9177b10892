//! Paying for what you use (issue 32): each tag of the document is a cargo
//! feature of the client crate, and a crate that takes the client with one
//! tag compiles that tag's operations and the types they reach, nothing
//! else. `tests/fixtures/constructs/tags.yaml` (three tags, an operation of
//! two, one without tags, a tag named `Mock`, a discriminated union, a
//! webhook payload no operation reaches) is regenerated, and downstream
//! crates are checked beside its client with chosen features:
//!
//! - `issues` alone: its operations, their mocks and error accessor, the
//!   search operation tagged `search` and `issues`, and the untagged one
//!   compile;
//! - `issues` alone again: the `repos` operation, its mock and its types are
//!   not there (rustc says so);
//! - `all-schemas` alone: the webhook payload and every type it names;
//! - the default (`full`): every operation.

use std::path::PathBuf;

use opencx_tests::downstream::{self, Diagnostic, Downstream};
use opencx_tests::generated_crate::{ApiCrate, Fixture};
use opencx_tests::{empty_workspace, workspace_root, xtask};

fn fixture() -> PathBuf {
    workspace_root().join("tests/fixtures/constructs/tags.yaml")
}

const ISSUES: &str = r#"
pub async fn calls(client: &tagged::Client) -> Result<(), tagged::Error> {
    let issue: tagged::types::Issue = client.issues_get().number(1).send().await?.into_inner();
    let _login: &str = &issue.user.login;
    let _labels: &[tagged::types::Label] = &issue.labels;
    let found = client.search_issues().q("bug").send().await?.into_inner();
    let _: &[tagged::types::Issue] = &found.items;
    client.meta_get().send().await?;
    client
        .issues_create()
        .body_map(|b| b.title("bug"))
        .send()
        .await?;
    Ok(())
}

pub fn not_found(error: &tagged::Error) -> Option<String> {
    error.basic_error().and_then(|e| e.message)
}

pub fn mocks<S: tagged::mock::MockServerExt>(server: &S) {
    let user = tagged::types::SimpleUser::builder().login("octocat");
    let issue: tagged::types::Issue = tagged::types::Issue::builder()
        .number(1)
        .title("bug")
        .user(user)
        .try_into()
        .unwrap();
    let _ = server.issues_get(|when, then| {
        when.number(1);
        then.ok(&issue);
    });
}
"#;

const REPOS: &str = r#"
pub async fn calls(client: &tagged::Client) {
    let _ = client.repos_get().owner("o").repo("r").send().await;
}

pub fn named(repository: tagged::types::Repository) -> String {
    repository.name
}

pub fn mocks<S: tagged::mock::MockServerExt>(server: &S) {
    let _ = server.repos_get(|_, _| {});
}
"#;

const WEBHOOKS: &str = r#"
pub fn payload(push: tagged::types::WebhookPush) -> (String, String) {
    let repository: tagged::types::Repository = push.repository;
    (repository.name, push.sender.login)
}

pub async fn untagged(client: &tagged::Client) {
    let _ = client.meta_get().send().await;
}
"#;

const EVERYTHING: &str = r#"
pub async fn calls(client: &tagged::Client) {
    let _ = client.repos_get().owner("o").repo("r").send().await;
    let _ = client.repos_list_events().owner("o").repo("r").send().await;
    let _ = client.issues_get().number(1).send().await;
    let _ = client.mocks_list().send().await;
}
"#;

fn errors(diagnostics: &[Diagnostic], krate: &str) -> Vec<Diagnostic> {
    diagnostics
        .iter()
        .filter(|d| d.krate == krate && d.level == "error")
        .cloned()
        .collect()
}

fn check(api: &ApiCrate, name: &str, lib: &str, features: &[&str]) -> Vec<Diagnostic> {
    let build = tempfile::tempdir().unwrap();
    let crate_ = Downstream {
        name: name.into(),
        lib: lib.into(),
    };
    let diagnostics = downstream::check_with_features(build.path(), api, &crate_, features)
        .unwrap_or_else(|e| panic!("cargo did not run: {e}"));
    if name == "webhooks" {
        // The manifest the client crate got declares each tag's feature,
        // `Mock` apart from the crate's own `mock`.
        let manifest = std::fs::read_to_string(build.path().join("tagged/Cargo.toml")).unwrap();
        for feature in [
            "repos = []",
            "issues = []",
            "search = []",
            "tag-mock = []",
            "all-schemas = []",
        ] {
            assert!(manifest.contains(feature), "{feature} in {manifest}");
        }
    }
    diagnostics
}

#[test]
fn a_crate_compiles_the_operations_of_the_tags_it_turns_on_and_the_types_they_reach() {
    let regenerated = Fixture::regenerate(&fixture());
    let api = ApiCrate {
        name: "tagged".into(),
        generated: regenerated.root().join("opencx-api/generated"),
    };

    let issues = check(&api, "issues", ISSUES, &["issues", "mock"]);
    assert!(errors(&issues, "issues").is_empty(), "{issues:#?}");
    assert!(errors(&issues, "tagged").is_empty(), "{issues:#?}");

    let repos = check(&api, "repos", REPOS, &["issues", "mock"]);
    let repos_errors = errors(&repos, "repos");
    let codes: Vec<Option<&str>> = repos_errors.iter().map(|d| d.code.as_deref()).collect();
    assert!(errors(&repos, "tagged").is_empty(), "{repos:#?}");
    // No method `repos_get` on the client nor on the mock server; no type
    // `Repository`.
    assert_eq!(
        codes.iter().filter(|c| **c == Some("E0599")).count(),
        2,
        "{repos:#?}"
    );
    assert!(
        codes
            .iter()
            .any(|c| matches!(c, Some("E0412" | "E0425" | "E0433"))),
        "{repos:#?}"
    );

    let webhooks = check(&api, "webhooks", WEBHOOKS, &["all-schemas"]);
    assert!(errors(&webhooks, "webhooks").is_empty(), "{webhooks:#?}");
    assert!(errors(&webhooks, "tagged").is_empty(), "{webhooks:#?}");

    let everything = check(&api, "everything", EVERYTHING, &["full"]);
    assert!(
        errors(&everything, "everything").is_empty(),
        "{everything:#?}"
    );
}

/// Regen declares the tag features in the crate's manifest; where there is
/// none (a workspace laid out by hand) it says which features it could not
/// declare instead of leaving every tagged operation compiled out silently.
#[test]
fn regen_declares_the_features_in_the_manifest_or_says_it_has_none_to_declare_them_in() {
    let dir = tempfile::tempdir().unwrap();
    let document = fixture().display().to_string();

    let with = dir.path().join("with");
    empty_workspace(&with);
    let (code, out, err) = xtask(&with, &["vendor", "--name", "api", &document]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = xtask(&with, &["regen"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(!err.contains("Cargo.toml"), "{err}");
    let manifest = std::fs::read_to_string(with.join("opencx-api/Cargo.toml")).unwrap();
    for feature in ["issues = []", "repos = []", "default = [\"full\"]"] {
        assert!(manifest.contains(feature), "{feature} in {manifest}");
    }

    let without = dir.path().join("without");
    empty_workspace(&without);
    std::fs::remove_file(without.join("opencx-api/Cargo.toml")).unwrap();
    let (code, out, err) = xtask(&without, &["vendor", "--name", "api", &document]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = xtask(&without, &["regen"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        err.contains(
            "warning: opencx-api/Cargo.toml: not found, so the features \
             opencx-api/generated/client.rs names were not declared ("
        ),
        "{err}"
    );
    for feature in ["`issues`", "`repos`", "`all-schemas`"] {
        assert!(err.contains(feature), "{feature} in {err}");
    }
    assert!(!without.join("opencx-api/Cargo.toml").exists());
}
