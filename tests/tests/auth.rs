//! Authentication as the document says, for any API: every kind of
//! `securitySchemes` entry (HTTP bearer and basic, an API key in a header,
//! the query or a cookie, OAuth 2.0 and OpenID Connect tokens, a token
//! source that refreshes them), alternatives and combinations per operation,
//! `security: []` and optional auth (`tests/fixtures/auth/api.yaml`).
//!
//! - `behaviour.rs`, compiled against the generated client, checks on the
//!   wire what each operation sends, the setters named after the schemes,
//!   `credentials_from_env`, redaction and the errors of a wrong credential.
//! - The contract tests regen wrote run against Prism, which refuses (401) a
//!   request that does not meet its operation's requirement.

use opencx_tests::generated_crate::{self, Fixture};
use opencx_tests::workspace_root;

fn fixture(name: &str) -> std::path::PathBuf {
    workspace_root().join("tests/fixtures/auth").join(name)
}

#[test]
fn each_operation_sends_what_its_security_requirement_names() {
    let regenerated = Fixture::regenerate(&fixture("api.yaml"));
    if let Err(output) = regenerated.test(&[fixture("behaviour.rs")]) {
        panic!("{output}");
    }
}

#[test]
fn prism_finds_every_operations_requirement_met() {
    let regenerated = Fixture::regenerate(&fixture("api.yaml"));
    let Some(prism) = opencx_tests::contract::prism_or_skip("the auth fixture") else {
        return;
    };
    match generated_crate::run_contract_tests(&regenerated.root(), &prism) {
        Ok(output) => assert!(output.contains("test result: ok. 11 passed"), "{output}"),
        Err(output) => panic!("Prism refused a request:\n{output}"),
    }
}
