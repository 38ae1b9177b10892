//! Constructs real APIs use, each of a kind the directory of public APIs
//! holds thousands of (issues 21 and 24): every one is generated and sends
//! and decodes what the document says, or is left out with the vendored
//! file, the JSON pointer and the reason, never without a word.
//!
//! - `tests/fixtures/constructs/api.yaml`: a JSON body in a vendor media type,
//!   multipart, XML, an image, a form with an `encoding`, text with a
//!   checked schema, TRACE and OPTIONS, every query style, two parameters of
//!   one Rust name, a parameter in `content`, enum values typify cannot name,
//!   "at least one of" branches, Dropshot's pagination (`stream()`); `behaviour.rs` checks each against a local
//!   server.
//! - A tuple (refused) and `patternProperties` (generated), alone.
//! - Path items by reference, in a page as in a bare document.
//! - Parameters named like every local and item progenitor writes around
//!   them, and every reserved word: the client compiles, and Prism, serving
//!   the document, accepts every request the contract tests make.
//! - A `$ref` cycle through 2,000 schemas: refused with its pointer.
//! - `tests/fixtures/constructs/headers.yaml` (issue 31): a header parameter
//!   of every schema (lists, objects, nullable, numbers, dates, enums),
//!   required and optional, and every method on `/` without an
//!   operationId; `headers.rs` checks the exact header values sent, and
//!   Prism the requests of the contract tests.
//! - `tests/fixtures/constructs/events.yaml` (issue 32): operations
//!   answering `text/event-stream` (a 3.2 `itemSchema` envelope, inline JSON
//!   on a `POST`, text); `events.rs` streams them from a local server that
//!   cuts the stream (resumed with `Last-Event-ID`) and sends an event of
//!   another shape (one `Err` item).

use std::path::{Path, PathBuf};

use opencx_tests::generated_crate::{self, ApiCrate, Fixture};
use opencx_tests::{workspace_root, xtask};

fn fixture(name: &str) -> PathBuf {
    workspace_root()
        .join("tests/fixtures/constructs")
        .join(name)
}

/// A scratch workspace in `dir` with `inputs` vendored (as `specs/api.*`
/// when there is one bare document), and what regen did: its exit code and
/// standard error.
fn regen(dir: &Path, inputs: &[&str], name: Option<&str>) -> (PathBuf, u8, String) {
    let root = dir.join("ws");
    opencx_tests::empty_workspace(&root);
    let mut args = vec!["vendor"];
    if let Some(name) = name {
        args.extend(["--name", name]);
    }
    args.extend(inputs);
    let (code, out, err) = xtask(&root, &args);
    assert_eq!(code, 0, "{out}{err}");
    let (code, _, err) = xtask(&root, &["regen"]);
    (root, code, err)
}

/// Every fixture's contract tests build crates of the same names and paths
/// (`opencx-api/`, `tests/`) into the shared target folder, so two tests
/// running theirs at once build into each other's artifacts (one ran the
/// other's client against its own Prism): one runs at a time.
static CONTRACT_TESTS: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// [`generated_crate::run_contract_tests`], one at a time.
fn run_contract_tests(root: &Path, prism: &Path) -> Result<String, String> {
    let _alone = CONTRACT_TESTS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    generated_crate::run_contract_tests(root, prism)
}

/// The report's rows of operations left out.
fn left_out(root: &Path) -> String {
    let report = std::fs::read_to_string(root.join("opencx-api/CONVERSION.md")).unwrap();
    let start = report
        .find("## Operations left out of the generated client")
        .expect("the report's section");
    let end = report[start..].find("\n## Schemas").unwrap() + start;
    report[start..end].to_string()
}

/// Panics with the report's rows and regen's warnings unless the fixture's
/// every operation is generated.
fn every_operation_generated(regenerated: &Fixture) {
    let left = left_out(&regenerated.root());
    assert!(
        left.contains("\nNone.\n"),
        "every operation is generated:\n{left}\n{}",
        regenerated.regen_stderr
    );
}

#[test]
fn every_construct_is_generated_and_sends_and_decodes_what_the_document_says() {
    let regenerated = Fixture::regenerate(&fixture("api.yaml"));
    every_operation_generated(&regenerated);
    let err = &regenerated.regen_stderr;
    for expected in [
        "specs/api.yaml#/paths/~1search/get: the query parameter `filter` is an object",
        "specs/api.yaml#/paths/~1search/get/parameters/6/content: a parameter in `text/plain` content",
    ] {
        assert!(err.contains(expected), "{expected:?} in:\n{err}");
    }
    let report =
        std::fs::read_to_string(regenerated.root().join("opencx-api/CONVERSION.md")).unwrap();
    for expected in [
        "| `specs/api.yaml#/components/schemas/Licence/anyOf` |",
        "| `specs/api.yaml#/components/schemas/Sort/enum/4` | the enum lists \"count\" twice",
        "/encoding` | the form is sent in OpenAPI's default encoding",
    ] {
        assert!(report.contains(expected), "{expected:?} in:\n{report}");
    }
    let output = regenerated
        .test(&[fixture("behaviour.rs")])
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(output.contains("test result: ok. 11 passed"), "{output}");
}

#[test]
fn header_parameters_of_every_schema_and_operations_on_the_root_are_generated_and_sent() {
    let regenerated = Fixture::regenerate(&fixture("headers.yaml"));
    let root = regenerated.root();
    every_operation_generated(&regenerated);
    let err = &regenerated.regen_stderr;
    assert!(
        err.contains(
            "specs/api.yaml#/paths/~1headers/post: the header parameter `X-Point` is an object: \
             the client takes it as JSON"
        ),
        "{err}"
    );
    let report = std::fs::read_to_string(root.join("opencx-api/CONVERSION.md")).unwrap();
    assert!(
        report.contains(
            "| `POST /` | `post_operation` | `post` is the hook every `send()` calls on `Client`"
        ),
        "{report}"
    );
    let output = regenerated
        .test(&[fixture("headers.rs")])
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(output.contains("test result: ok. 6 passed"), "{output}");
    let Some(prism) = opencx_tests::contract::prism_or_skip("the headers fixture") else {
        return;
    };
    match run_contract_tests(&root, &prism) {
        Ok(output) => assert!(output.contains("test result: ok."), "{output}"),
        Err(output) => panic!("Prism refused a request:\n{output}"),
    }
}

#[test]
fn schemas_typify_gets_wrong_are_all_generated() {
    // Each fails without its fix: Zuora's `$ref` property merged beside
    // custom fields (typify's merge writes an inline copy under the
    // component's own name), GitHub's nullable `conditions` union (moved
    // to a component that typify then wrapped in a newtype of its own name)
    // and GHES's `enum` beside the union it narrows (a newtype that did not
    // compile).
    let regenerated = Fixture::regenerate(&fixture("names.yaml"));
    let root = regenerated.root();
    every_operation_generated(&regenerated);
    let report = std::fs::read_to_string(root.join("opencx-api/CONVERSION.md")).unwrap();
    for expected in [
        "| `specs/api.yaml#/components/schemas/POSTScheduleTypeRevenueEvent` | `PostScheduleTypeRevenueEvent2` |",
        "| `specs/api.yaml#/components/schemas/repository-ruleset/properties/conditions` | `RepositoryRulesetConditions2` |",
    ] {
        assert!(report.contains(expected), "{expected:?} in:\n{report}");
    }
    assert!(
        report.contains("| `specs/api.yaml#/paths/~1pages/put/requestBody/content/application~1json/schema/properties/source/anyOf` |"),
        "{report}"
    );
    let output = regenerated
        .test(&[fixture("names.rs")])
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(output.contains("test result: ok. 3 passed"), "{output}");
}

#[test]
fn documented_error_bodies_decode_as_the_documents_types() {
    let regenerated = Fixture::regenerate(&fixture("errors.yaml"));
    every_operation_generated(&regenerated);
    let output = regenerated
        .test(&[fixture("errors.rs")])
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(output.contains("test result: ok. 3 passed"), "{output}");
}

#[test]
fn a_refused_construct_is_named_with_its_file_pointer_and_reason_even_when_nothing_is_left() {
    let dir = tempfile::tempdir().unwrap();
    let tuple = fixture("tuple.yaml").display().to_string();
    let (root, code, err) = regen(dir.path(), &[&tuple], Some("api"));
    assert_eq!(code, 1, "{err}");
    assert!(
        err.starts_with(
            "error: nothing is left to generate: every operation of the vendored documents is \
             left out of the client:\n  specs/api.yaml#/paths/~1point/get/responses/200/content/\
             application~1json/schema/prefixItems: GET /point (getPoint): `prefixItems` (a tuple"
        ),
        "{err}"
    );
    // Nothing is written.
    assert!(!root.join("opencx-api/openapi.json").exists());
}

#[test]
fn pattern_properties_beside_no_additional_ones_are_generated() {
    let regenerated = Fixture::regenerate(&fixture("pattern.yaml"));
    every_operation_generated(&regenerated);
    let client =
        std::fs::read_to_string(regenerated.root().join("opencx-api/generated/client.rs")).unwrap();
    assert!(client.contains("pub fn get_labels(&self)"), "{client}");
}

#[test]
fn path_items_by_reference_count_alike_in_a_page_and_a_bare_document() {
    let dir = tempfile::tempdir().unwrap();
    let page = fixture("path-items.txt").display().to_string();
    let root = dir.path().join("ws");
    opencx_tests::empty_workspace(&root);
    let (code, out, err) = xtask(&root, &["vendor", &page]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("vendored specs/listWidgets.yaml (GET /widgets)"),
        "{out}"
    );
    let (code, out, err) = xtask(&root, &["regen"]);
    assert_eq!(code, 0, "{out}{err}");
    let client = std::fs::read_to_string(root.join("opencx-api/generated/client.rs")).unwrap();
    assert!(client.contains("pub fn list_widgets(&self)"));
    // The same document bare.
    let text = std::fs::read_to_string(&page).unwrap();
    let fence = text.split("```yaml get /widgets\n").nth(1).unwrap();
    let bare = dir.path().join("widgets.yaml");
    std::fs::write(&bare, fence.split("```").next().unwrap()).unwrap();
    let other = tempfile::tempdir().unwrap();
    let (root, code, err) = regen(other.path(), &[&bare.display().to_string()], None);
    assert_eq!(code, 0, "{err}");
    let client = std::fs::read_to_string(root.join("opencx-api/generated/client.rs")).unwrap();
    assert!(client.contains("pub fn list_widgets(&self)"));
}

/// Every name progenitor writes beside a parameter's in the builder and its
/// `send()` (its fields, methods and locals, ours too), every Rust keyword
/// and reserved word, and names that differ from another only by case or
/// separators.
const NAMES: &[&str] = &[
    // progenitor's builder and `send()`, and the rewrites' own.
    "client",
    "_client",
    "url",
    "_url",
    "request",
    "_request",
    "response",
    "result",
    "_result",
    "header_map",
    "info",
    "body",
    "body_map",
    "send",
    "send_request",
    "new",
    "stream",
    "value",
    "self",
    "Self",
    "super",
    "crate",
    // Keywords, strict and reserved, of every edition.
    "as",
    "async",
    "await",
    "break",
    "const",
    "continue",
    "dyn",
    "else",
    "enum",
    "extern",
    "false",
    "fn",
    "for",
    "if",
    "impl",
    "in",
    "let",
    "loop",
    "match",
    "mod",
    "move",
    "mut",
    "pub",
    "ref",
    "return",
    "static",
    "struct",
    "trait",
    "true",
    "type",
    "unsafe",
    "use",
    "where",
    "while",
    "abstract",
    "become",
    "box",
    "do",
    "final",
    "gen",
    "macro",
    "override",
    "priv",
    "try",
    "typeof",
    "unsized",
    "virtual",
    "yield",
    "union",
    "_",
    // One Rust name for several wire names.
    "maxResults",
    "MaxResults",
    "max-results",
    "max_results",
    "MAX_RESULTS",
];

/// A document whose one operation takes a required query parameter of each
/// of [`NAMES`] (each with its own one value, so Prism rejects a request that
/// sends one under another name), a path parameter `id`, a header and a
/// JSON body.
fn names_document() -> String {
    let mut parameters = vec![
        serde_json::json!({"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}),
        serde_json::json!({"name": "x-request-id", "in": "header", "required": true,
            "schema": {"type": "string", "enum": ["r-1"]}}),
    ];
    for (i, name) in NAMES.iter().enumerate() {
        parameters.push(serde_json::json!({
            "name": name, "in": "query", "required": true,
            "schema": {"type": "string", "enum": [format!("v{i}")]},
        }));
    }
    serde_json::to_string_pretty(&serde_json::json!({
        "openapi": "3.0.3",
        "info": {"title": "Names", "version": "1"},
        "paths": {"/things/{id}": {"post": {
            "operationId": "postThing",
            "parameters": parameters,
            "requestBody": {"required": true, "content": {"application/json": {"schema": {
                "type": "object", "properties": {"name": {"type": "string"}}}}}},
            "responses": {"204": {"description": "stored"}},
        }}},
    }))
    .unwrap()
}

#[test]
fn parameters_named_like_anything_progenitor_writes_compile_and_are_sent_by_their_names() {
    let dir = tempfile::tempdir().unwrap();
    let document = dir.path().join("names.json");
    std::fs::write(&document, names_document()).unwrap();
    let (root, code, err) = regen(dir.path(), &[&document.display().to_string()], Some("api"));
    assert_eq!(code, 0, "{err}");
    assert!(left_out(&root).contains("\nNone.\n"), "{}", left_out(&root));
    assert!(
        !err.contains("no contract test"),
        "every parameter has its setter: {err}"
    );
    let crates = [ApiCrate {
        name: "names".into(),
        generated: root.join("opencx-api/generated"),
    }];
    if let Err(errors) = generated_crate::check(&dir.path().join("build"), &crates) {
        panic!("the client does not compile:\n{errors}");
    }
    let Some(prism) = opencx_tests::contract::prism_or_skip("the names fixture") else {
        return;
    };
    match run_contract_tests(&root, &prism) {
        Ok(output) => assert!(output.contains("test result: ok. 1 passed"), "{output}"),
        Err(output) => panic!("Prism refused a request:\n{output}"),
    }
}

#[test]
fn a_ref_cycle_through_two_thousand_schemas_is_refused_with_its_pointer() {
    let n = 2000;
    let schemas: serde_json::Map<String, serde_json::Value> = (0..n)
        .map(|i| {
            (
                format!("S{i}"),
                serde_json::json!({"$ref": format!("#/components/schemas/S{}", (i + 1) % n)}),
            )
        })
        .collect();
    let document = serde_json::json!({
        "openapi": "3.0.3", "info": {"title": "Cycle", "version": "1"},
        "paths": {
            "/a": {"get": {"operationId": "getA", "responses": {"200": {"description": "",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/S0"}}}}}}},
            "/b": {"get": {"operationId": "getB", "responses": {"204": {"description": ""}}}}
        },
        "components": {"schemas": schemas},
    });
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cycle.json");
    std::fs::write(&path, document.to_string()).unwrap();
    let (root, code, err) = regen(dir.path(), &[&path.display().to_string()], Some("api"));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains(
            "warning: specs/api.json#/components/schemas/S0: schema S0 is left out of the \
             generated client: `S0`, `S1`, `S10`, `S100` and 1996 more reach each other through \
             `allOf` and `$ref` alone"
        ),
        "{}",
        err.lines().next().unwrap_or_default()
    );
    assert!(
        err.contains("GET /a (getA) is left out"),
        "the operation using it goes too"
    );
    let client = std::fs::read_to_string(root.join("opencx-api/generated/client.rs")).unwrap();
    assert!(client.contains("pub fn get_b(&self)"));
}

#[test]
fn a_document_of_webhooks_only_gives_a_client_of_its_types() {
    let regenerated = Fixture::regenerate(&fixture("webhooks.yaml"));
    let err = &regenerated.regen_stderr;
    assert!(
        err.contains(
            "specs/api.yaml#/webhooks: the vendored documents describe no operations (webhooks are \
             requests the vendor sends): the client holds their types and no operations"
        ),
        "{err}"
    );
    let output = regenerated
        .test(&[fixture("webhooks.rs")])
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(output.contains("test result: ok. 1 passed"), "{output}");
}

#[test]
fn server_sent_events_stream_typed_resume_after_a_cut_and_report_a_bad_event() {
    let regenerated = Fixture::regenerate(&fixture("events.yaml"));
    every_operation_generated(&regenerated);
    let output = regenerated
        .test(&[fixture("events.rs")])
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(output.contains("test result: ok. 3 passed"), "{output}");
}
