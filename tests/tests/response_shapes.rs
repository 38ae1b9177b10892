//! Responses as real APIs have them: a fixture document
//! (`tests/fixtures/responses/api.yaml`) with 200 and 201 of one schema, a
//! body or none (200 + 204), different bodies by status (200 + 202 + 204,
//! 200 + 207), 204 alone, an empty 200, text, bytes without a schema, a
//! `default` alone, and `application/problem+json` errors on `404` and
//! `default`. It regenerates without a warning, and
//! `tests/fixtures/responses/shapes.rs`, compiled against the client, calls
//! each shape against a local server and checks what the caller sees.

use opencx_tests::generated_crate::Fixture;
use opencx_tests::workspace_root;

#[test]
fn every_response_shape_gives_the_caller_the_status_and_body_the_document_says() {
    let fixtures = workspace_root().join("tests/fixtures/responses");
    let fixture = Fixture::regenerate(&fixtures.join("api.yaml"));
    let err = &fixture.regen_stderr;
    assert!(!err.contains("warning"), "every shape is generated: {err}");
    let output = fixture
        .test(&[fixtures.join("shapes.rs")])
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(output.contains("test result: ok. 8 passed"), "{output}");
}
