//! Upstream updates as they really change documents, each applied to a scratch
//! copy of the workspace: regen explains every one with its rule id, its wire
//! and Rust API verdicts, and the semver bump it calls for.

use opencx_tests::ScratchWorkspace;
use xtask::diff::{Bump, Change, Explanation, RustVerdict};
use xtask::regen::regen_with_warnings;

/// Replaces `from` with `to` in every vendored document holding it (shared
/// components are repeated in each document that uses them); panics when none
/// does, so a test never mutates nothing.
fn everywhere(scratch: &ScratchWorkspace, from: &str, to: &str) {
    let mut found = false;
    for name in [
        "filterChatSessions",
        "getChatSession",
        "listChatHistory",
        "listChatSessions",
    ] {
        let file = format!("specs/{name}.yaml");
        if scratch.read(&file).contains(from) {
            scratch.edit(&file, from, to);
            found = true;
        }
    }
    assert!(found, "no vendored document contains {from:?}");
}

fn explain(mutate: impl FnOnce(&ScratchWorkspace)) -> (Explanation, ScratchWorkspace) {
    let scratch = ScratchWorkspace::new();
    mutate(&scratch);
    let done = regen_with_warnings(&scratch.workspace()).expect("regen runs");
    (done.explanation, scratch)
}

/// The one change with `rule` on `subject` (as displayed), with its verdicts.
fn find<'a>(explanation: &'a Explanation, subject: &str, rule: &str) -> &'a Change {
    let found: Vec<&Change> = explanation
        .changes
        .iter()
        .filter(|c| c.subject.to_string() == subject && c.rule == rule)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected one {rule} on {subject}; got:\n{}",
        explanation.render(xtask::diff::Format::Text)
    );
    found[0]
}

fn assert_change(
    explanation: &Explanation,
    subject: &str,
    rule: &str,
    detail: &str,
    wire_breaking: bool,
    rust: RustVerdict,
) {
    let change = find(explanation, subject, rule);
    assert!(change.detail.contains(detail), "{change:?}");
    assert_eq!(
        change.wire_breaking, wire_breaking,
        "wire verdict of {change:?}"
    );
    assert_eq!(change.rust, rust, "Rust verdict of {change:?}");
}

const SESSION_TAIL: &str =
    "        updated_at:\n          type: string\n          format: date-time\n      required:\n";

#[test]
fn a_new_enum_value_is_compatible_everywhere() {
    let (e, _) = explain(|s| {
        everywhere(
            s,
            "        - web_voice\n",
            "        - web_voice\n        - telegram\n",
        )
    });
    for rule in [
        "request-property-enum-value-added",
        "response-property-enum-value-added",
    ] {
        assert_change(
            &e,
            "type SessionChannel",
            rule,
            "\"telegram\"",
            false,
            RustVerdict::Compatible,
        );
    }
    assert_eq!(e.bump(), Bump::Minor);
}

#[test]
fn a_removed_enum_value_breaks_requests_and_rust() {
    let (e, _) = explain(|s| everywhere(s, "        - web_voice\n", ""));
    assert_change(
        &e,
        "type SessionChannel",
        "request-property-enum-value-removed",
        "\"web_voice\"",
        true,
        RustVerdict::Breaking,
    );
    assert_change(
        &e,
        "type SessionChannel",
        "response-property-enum-value-removed",
        "\"web_voice\"",
        false,
        RustVerdict::Breaking,
    );
    assert_eq!(e.bump(), Bump::Major);
}

#[test]
fn a_new_event_type_is_compatible() {
    let (e, _) = explain(|s| {
        everywhere(
            s,
            "            - type: object\n              properties:\n                type:\n                  type: string\n                  const: workflow_message\n",
            "            - type: object\n              properties:\n                type:\n                  type: string\n                  const: note\n                text:\n                  type: string\n              required:\n                - type\n                - text\n              additionalProperties: false\n            - type: object\n              properties:\n                type:\n                  type: string\n                  const: workflow_message\n",
        )
    });
    assert_change(
        &e,
        "type ChatEvent",
        "response-property-one-of-added",
        "note",
        false,
        RustVerdict::Compatible,
    );
    assert_eq!(e.bump(), Bump::Minor);
}

#[test]
fn a_new_optional_request_field_is_compatible() {
    let (e, _) = explain(|s| {
        everywhere(
            s,
            "        sort_by:\n          description: 'Sort field",
            "        include_archived:\n          type: boolean\n        sort_by:\n          description: 'Sort field",
        )
    });
    assert_change(
        &e,
        "type SessionFilterRequest",
        "new-optional-request-property",
        "include_archived",
        false,
        RustVerdict::Compatible,
    );
    assert_eq!(e.bump(), Bump::Minor);
}

#[test]
fn a_new_required_request_field_breaks_the_wire() {
    let (e, _) = explain(|s| {
        everywhere(
            s,
            "      $id: '#/components/schemas/FilterSessionsPublicDtoInput'\n      type: object\n      properties:\n",
            "      $id: '#/components/schemas/FilterSessionsPublicDtoInput'\n      type: object\n      required:\n        - tenant\n      properties:\n        tenant:\n          type: string\n",
        )
    });
    assert_change(
        &e,
        "type SessionFilterRequest",
        "new-required-request-property",
        "tenant",
        true,
        RustVerdict::Compatible,
    );
    assert_eq!(e.bump(), Bump::Major);
}

#[test]
fn a_removed_required_response_field_breaks_both() {
    let (e, _) = explain(|s| {
        everywhere(s, "        assist_mode:\n          type: boolean\n", "");
        everywhere(s, "        - assist_mode\n", "");
    });
    assert_change(
        &e,
        "type Session",
        "response-required-property-removed",
        "assist_mode",
        true,
        RustVerdict::Breaking,
    );
    assert_eq!(e.bump(), Bump::Major);
}

#[test]
fn a_new_optional_response_field_is_compatible() {
    let (e, _) = explain(|s| {
        everywhere(s, "        assist_mode:\n          type: boolean\n", "        assist_mode:\n          type: boolean\n        priority:\n          type: string\n")
    });
    assert_change(
        &e,
        "type Session",
        "response-optional-property-added",
        "priority",
        false,
        RustVerdict::Compatible,
    );
    assert_eq!(e.bump(), Bump::Minor);
}

#[test]
fn a_field_made_nullable_breaks_readers_and_the_rust_type() {
    let (e, _) = explain(|s| {
        everywhere(s, SESSION_TAIL, "        updated_at:\n          type: [string, 'null']\n          format: date-time\n      required:\n")
    });
    assert_change(
        &e,
        "type Session",
        "response-property-became-nullable",
        "updated_at",
        true,
        RustVerdict::Breaking,
    );
    let change = find(&e, "type Session", "response-property-became-nullable");
    assert!(
        change.rust_changes.iter().any(|r| r.contains("Option")),
        "{change:?}"
    );
    assert_eq!(e.bump(), Bump::Major);
}

#[test]
fn a_field_made_optional_breaks_readers() {
    let (e, _) = explain(|s| {
        everywhere(
            s,
            "        - assist_mode\n        - created_at\n        - updated_at\n",
            "        - assist_mode\n        - created_at\n",
        )
    });
    assert_change(
        &e,
        "type Session",
        "response-property-became-optional",
        "updated_at",
        true,
        RustVerdict::Breaking,
    );
    assert_eq!(e.bump(), Bump::Major);
}

#[test]
fn a_type_change_breaks_both() {
    let (e, _) = explain(|s| {
        everywhere(
            s,
            "        assist_mode:\n          type: boolean\n",
            "        assist_mode:\n          type: string\n",
        )
    });
    assert_change(
        &e,
        "type Session",
        "response-property-type-changed",
        "boolean to string",
        true,
        RustVerdict::Breaking,
    );
    assert_eq!(e.bump(), Bump::Major);
}

const CONTACTS: &str = "openapi: 3.1.0\ninfo:\n  title: OpenCX API\n  version: 1.0-beta\npaths:\n  /contacts:\n    get:\n      operationId: listContacts\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {type: array, items: {type: string}}\n";

/// Vendors a one-operation document, `GET /contacts`, into the scratch workspace.
fn vendor_contacts(s: &ScratchWorkspace) {
    let file = s.root().join("contacts.yaml");
    std::fs::write(&file, CONTACTS).unwrap();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let args = [
        "--root".to_string(),
        s.root().display().to_string(),
        "vendor".into(),
        file.display().to_string(),
    ];
    assert_eq!(
        xtask::cli::run(&args, &mut out, &mut err),
        0,
        "{}",
        String::from_utf8_lossy(&err)
    );
}

#[test]
fn an_added_operation_is_compatible() {
    let (e, _) = explain(vendor_contacts);
    assert_change(
        &e,
        "GET /contacts (listContacts)",
        "endpoint-added",
        "listContacts",
        false,
        RustVerdict::Compatible,
    );
    assert_eq!(e.bump(), Bump::Minor);
}

#[test]
fn a_removed_operation_breaks_both() {
    let (_, scratch) = explain(vendor_contacts);
    std::fs::remove_file(scratch.root().join("specs/listContacts.yaml")).unwrap();
    let provenance = scratch.read("specs/provenance.yaml");
    let start = provenance.find("- file: listContacts.yaml").unwrap();
    let end = provenance[start + 1..]
        .find("- file:")
        .map_or(provenance.len(), |i| start + 1 + i);
    let kept = format!("{}{}", &provenance[..start], &provenance[end..]);
    std::fs::write(scratch.root().join("specs/provenance.yaml"), kept).unwrap();
    let e = regen_with_warnings(&scratch.workspace())
        .unwrap()
        .explanation;
    assert_change(
        &e,
        "GET /contacts (listContacts)",
        "api-removed-without-deprecation",
        "listContacts",
        true,
        RustVerdict::Breaking,
    );
    assert_eq!(e.bump(), Bump::Major);
}

#[test]
fn a_renamed_operation_id_breaks_only_rust() {
    let (e, _) = explain(|s| {
        s.edit(
            "specs/getChatSession.yaml",
            "operationId: getChatSession",
            "operationId: getSession",
        );
        s.edit(
            "specs/provenance.yaml",
            "operation_id: getChatSession",
            "operation_id: getSession",
        );
    });
    assert_change(
        &e,
        "GET /chat/sessions/{session_id} (getSession)",
        "api-operation-id-removed",
        "from `getChatSession` to `getSession`",
        false,
        RustVerdict::Breaking,
    );
    assert_eq!(e.bump(), Bump::Major);
}

#[test]
fn a_parameter_made_required_breaks_the_wire() {
    let (e, _) = explain(|s| {
        s.edit(
            "specs/listChatSessions.yaml",
            "          name: handed_off\n          required: false\n",
            "          name: handed_off\n          required: true\n",
        )
    });
    assert_change(
        &e,
        "GET /chat/sessions (listChatSessions)",
        "request-parameter-became-required",
        "handed_off",
        true,
        RustVerdict::Unchanged,
    );
    assert_eq!(e.bump(), Bump::Major);
}

#[test]
fn a_new_optional_parameter_is_compatible() {
    let (e, _) = explain(|s| {
        s.edit(
            "specs/listChatSessions.yaml",
            "          name: handed_off\n          required: false\n",
            "          name: handed_off\n          required: false\n        - schema:\n            type: string\n          in: query\n          name: language\n          required: false\n",
        )
    });
    assert_change(
        &e,
        "GET /chat/sessions (listChatSessions)",
        "new-optional-request-parameter",
        "language",
        false,
        RustVerdict::Compatible,
    );
    assert_eq!(e.bump(), Bump::Minor);
}

#[test]
fn a_removed_parameter_breaks_rust() {
    let (e, _) = explain(|s| {
        s.edit(
            "specs/listChatSessions.yaml",
            "        - schema:\n            type: boolean\n          in: query\n          name: handed_off\n          required: false\n          description: Filter by handoff status. Use \"true\" or \"false\"\n",
            "",
        )
    });
    assert_change(
        &e,
        "GET /chat/sessions (listChatSessions)",
        "request-parameter-removed",
        "handed_off",
        false,
        RustVerdict::Breaking,
    );
    assert_eq!(e.bump(), Bump::Major);
}

#[test]
fn a_new_response_status_is_compatible() {
    let (e, _) = explain(|s| {
        s.edit(
            "specs/getChatSession.yaml",
            "        '500':\n          description: Internal Server Error\n",
            "        '404':\n          description: Not Found\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/ErrorDto'\n        '500':\n          description: Internal Server Error\n",
        )
    });
    assert_change(
        &e,
        "GET /chat/sessions/{session_id} (getChatSession)",
        "response-non-success-status-added",
        "404",
        false,
        RustVerdict::Unchanged,
    );
    assert_eq!(
        e.bump(),
        Bump::Minor,
        "{}",
        e.render(xtask::diff::Format::Text)
    );
}

#[test]
fn a_description_only_edit_is_one_docs_line_and_a_patch() {
    let (e, scratch) = explain(|s| {
        s.edit(
            "specs/getChatSession.yaml",
            "Retrieves details of a specific chat session by its ID.",
            "Retrieves one chat session by its ID.",
        )
    });
    assert!(e.changes.is_empty(), "{:?}", e.changes);
    assert_eq!(e.docs_only, 1);
    assert_eq!(e.bump(), Bump::Patch);
    let changelog = scratch.read("opencx-api/CHANGELOG.md");
    assert!(
        changelog.contains("- docs only: 1 descriptions, summaries or examples changed"),
        "{changelog}"
    );
}

#[test]
fn the_changelog_collects_changes_and_says_which_version_to_release() {
    let (_, scratch) = explain(|s| {
        everywhere(
            s,
            "        - web_voice\n",
            "        - web_voice\n        - telegram\n",
        )
    });
    let changelog = scratch.read("opencx-api/CHANGELOG.md");
    // Under the type, once, though requests and responses both see it.
    assert!(
        changelog.contains(
            "#### type `SessionChannel`\n\n- new enum value \"telegram\" (wire: compatible, \
             Rust API: compatible) `request-property-enum-value-added`, `response-property-enum-value-added`\n"
        ),
        "{changelog}"
    );
    assert!(changelog.contains("Semver: "), "{changelog}");
    // A second regen adds nothing: the changelog is an output like the others.
    assert!(regen_with_warnings(&scratch.workspace())
        .unwrap()
        .changed
        .is_empty());
}

fn git(root: &std::path::Path, args: &[&str]) {
    let status = std::process::Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(root)
        .output()
        .expect("git runs");
    assert!(
        status.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&status.stderr)
    );
}

fn diff_command(root: &std::path::Path, extra: &[&str]) -> (u8, String) {
    let mut args = vec![
        "--root".to_string(),
        root.display().to_string(),
        "diff".into(),
    ];
    args.extend(extra.iter().map(|a| a.to_string()));
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = xtask::cli::run(&args, &mut out, &mut err);
    (
        code,
        format!(
            "{}{}",
            String::from_utf8_lossy(&out),
            String::from_utf8_lossy(&err)
        ),
    )
}

#[test]
fn the_diff_command_compares_the_working_tree_with_a_revision() {
    let scratch = ScratchWorkspace::new();
    let root = scratch.root();
    git(&root, &["init", "-q"]);
    git(&root, &["add", "-A"]);
    git(&root, &["commit", "-qm", "base"]);
    let (code, out) = diff_command(&root, &["--fail-on", "breaking"]);
    assert_eq!((code, out.as_str()), (0, "API changes: none\n"));

    everywhere(&scratch, "        - web_voice\n", "");
    // Before regen, the outputs on disk still match the base: the command
    // says they are older than specs/ instead of a bare "none".
    let (code, out) = diff_command(&root, &[]);
    assert_eq!(code, 0);
    assert!(
        out.contains(
            "warning: the generated outputs are older than specs/: this compares them as they \
             are; run `cargo xtask regen` first"
        ),
        "{out}"
    );
    regen_with_warnings(&scratch.workspace()).unwrap();
    let (code, out) = diff_command(
        &root,
        &[
            "--base",
            "HEAD",
            "--format",
            "markdown",
            "--fail-on",
            "breaking",
        ],
    );
    assert_eq!(
        code, 1,
        "breaking changes fail with --fail-on breaking:\n{out}"
    );
    assert!(out.contains("Semver: **major** (breaking)"), "{out}");
    assert!(
        out.contains(
            "**type `SessionChannel`**\n\n- enum value \"web_voice\" removed: **requests: wire breaking; \
             responses: wire compatible; Rust API: breaking** (`request-property-enum-value-removed`, \
             `response-property-enum-value-removed`)\n"
        ),
        "{out}"
    );
    let (code, out) = diff_command(&root, &["--format", "json"]);
    assert_eq!(
        code, 0,
        "without --fail-on the command reports and succeeds"
    );
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["semver"], "major");
    let (code, out) = diff_command(&root, &["--base", "no-such-rev"]);
    assert_eq!(code, 1);
    assert!(
        out.contains("git show no-such-rev:opencx-api/openapi.json failed"),
        "{out}"
    );
}
