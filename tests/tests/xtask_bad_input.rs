//! `cargo xtask` on bad input: a non-zero exit, a message naming the file and
//! the place in it, and nothing written.

use opencx_tests::ScratchWorkspace;

/// Runs the xtask command line on the scratch workspace; returns (exit code, stderr).
fn xtask(scratch: &ScratchWorkspace, args: &[&str]) -> (u8, String) {
    xtask_with_stdin(scratch, args, "")
}

/// [`xtask`] with `stdin` as what `-` reads.
fn xtask_with_stdin(scratch: &ScratchWorkspace, args: &[&str], stdin: &str) -> (u8, String) {
    let mut args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    args.extend([
        "--root".to_string(),
        scratch.root().display().to_string(),
        "--no-compile-check".to_string(),
    ]);
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = xtask::cli::run_with_stdin(&args, &mut stdin.as_bytes(), &mut out, &mut err);
    (code, String::from_utf8(err).unwrap())
}

/// Asserts that `args` fail, that stderr holds every one of `expected`, and
/// that the workspace is byte for byte as before.
fn assert_fails(scratch: &ScratchWorkspace, args: &[&str], expected: &[&str]) {
    assert_fails_with_stdin(scratch, args, "", expected);
}

/// [`assert_fails`] with `stdin` as what `-` reads.
fn assert_fails_with_stdin(
    scratch: &ScratchWorkspace,
    args: &[&str],
    stdin: &str,
    expected: &[&str],
) {
    let before = scratch.snapshot();
    let (code, stderr) = xtask_with_stdin(scratch, args, stdin);
    assert_eq!(code, 1, "{stderr}");
    for text in expected {
        assert!(stderr.contains(text), "expected {text:?} in:\n{stderr}");
    }
    assert!(
        before == scratch.snapshot(),
        "a failing `xtask {}` wrote files",
        args.join(" ")
    );
}

#[test]
fn the_scratch_workspace_is_clean_to_begin_with() {
    let scratch = ScratchWorkspace::new();
    assert_eq!(xtask(&scratch, &["regen", "--check"]).0, 0);
    assert_eq!(xtask(&scratch, &["regen"]).0, 0);
}

#[test]
fn malformed_yaml_in_a_vendored_document() {
    let scratch = ScratchWorkspace::new();
    scratch.edit(
        "specs/getChatSession.yaml",
        "      operationId: getChatSession\n",
        "      operationId: [getChatSession\n",
    );
    let expected = ["specs/getChatSession.yaml: malformed YAML at line"];
    assert_fails(&scratch, &["regen"], &expected);
    assert_fails(&scratch, &["regen", "--check"], &expected);
}

#[test]
fn malformed_overlay_and_provenance() {
    let scratch = ScratchWorkspace::new();
    scratch.edit("specs/overlay.yaml", "types:\n", "types: [\n");
    assert_fails(
        &scratch,
        &["regen"],
        &["specs/overlay.yaml: malformed overlay at line"],
    );
    let scratch = ScratchWorkspace::new();
    scratch.edit("specs/provenance.yaml", "documents:\n", "documents: {\n");
    assert_fails(
        &scratch,
        &["regen"],
        &["specs/provenance.yaml: malformed provenance YAML at line"],
    );
}

#[test]
fn a_page_with_no_fence_or_two_fences() {
    let scratch = ScratchWorkspace::new();
    let page = scratch.root().join("page.md");
    std::fs::write(&page, "# List chat sessions\n\nNo document here.\n").unwrap();
    let page = page.display().to_string();
    assert_fails(
        &scratch,
        &["vendor", &page],
        &[&page, "no ```yaml fence holding an OpenAPI document"],
    );

    let doc = scratch.read("specs/listChatSessions.yaml");
    std::fs::write(
        &page,
        format!("# Two\n\n```yaml\n{doc}```\n\n```yaml\n{doc}```\n"),
    )
    .unwrap();
    assert_fails(
        &scratch,
        &["vendor", &page],
        &[
            &page,
            "2 ```yaml fences hold an OpenAPI document (at lines 3, ",
        ],
    );
}

#[test]
fn a_conflicting_component() {
    let scratch = ScratchWorkspace::new();
    // Upstream adds a channel in one page but not in the others that carry it.
    scratch.edit(
        "specs/listChatSessions.yaml",
        "        - web_voice\n",
        "        - web_voice\n        - telegram\n",
    );
    assert_fails(
        &scratch,
        &["regen"],
        &[
            "conflicting definitions of /components/schemas/SessionChannel",
            "specs/filterChatSessions.yaml and specs/listChatSessions.yaml",
            "/components/schemas/SessionChannel/enum/10",
        ],
    );
}

#[test]
fn a_3_1_construct_without_a_sound_lowering() {
    let scratch = ScratchWorkspace::new();
    scratch.edit(
        "specs/listChatHistory.yaml",
        "        name:\n          type: string\n        size:\n",
        "        name:\n          type: array\n          prefixItems: [{type: string}, {type: integer}]\n        size:\n",
    );
    // Left out, with everything that depends on it, and regen goes on.
    let (code, stderr) = xtask(&scratch, &["regen"]);
    assert_eq!(code, 0, "{stderr}");
    for text in [
        "warning: specs/listChatHistory.yaml#/components/schemas/PublicChatAttachment/properties/name/prefixItems: \
         schema Attachment is left out of the generated client: `prefixItems` (a tuple: a schema \
         for each position of the array) has no sound OpenAPI 3.0 lowering; settle it in specs/overlay.yaml",
        "warning: specs/listChatHistory.yaml#/components/schemas/PublicChatAttachment/properties/name/prefixItems: \
         GET /chat/sessions/{session_id}/history (listChatHistory) is left out of the generated client: it uses",
    ] {
        assert!(stderr.contains(text), "expected {text:?} in:\n{stderr}");
    }
    let client =
        std::fs::read_to_string(scratch.root().join("opencx-api/generated/client.rs")).unwrap();
    assert!(!client.contains("pub fn list_chat_history("));
    assert!(client.contains("pub fn get_chat_session("));
}

#[test]
fn an_overlay_entry_that_matches_nothing() {
    let scratch = ScratchWorkspace::new();
    scratch.edit(
        "specs/overlay.yaml",
        "properties/handoff/properties/sentiment\n",
        "properties/handoff/properties/mood\n",
    );
    assert_fails(
        &scratch,
        &["regen"],
        &["specs/overlay.yaml: types.Sentiment.from[1]", "no longer matches the upstream documents", "nothing at /components/schemas/GetChatSessionOutput/properties/handoff/properties/mood"],
    );
}

#[test]
fn an_overlay_patch_whose_target_changed_upstream() {
    let scratch = ScratchWorkspace::new();
    // Upstream documents the ticket number as an integer itself.
    scratch.edit(
        "specs/getChatSession.yaml",
        "        ticket_number:\n          type: number\n",
        "        ticket_number:\n          type: integer\n",
    );
    for file in [
        "specs/listChatSessions.yaml",
        "specs/filterChatSessions.yaml",
    ] {
        scratch.edit(
            file,
            "        ticket_number:\n          type: number\n",
            "        ticket_number:\n          type: integer\n",
        );
    }
    assert_fails(
        &scratch,
        &["regen"],
        &[
            "specs/overlay.yaml: patches[",
            "/components/schemas/GetChatSessionOutput/properties/ticket_number",
            "no longer looks as `expect` says",
            "upstream has \"integer\"",
        ],
    );
}

#[test]
fn drift_exits_non_zero() {
    let scratch = ScratchWorkspace::new();
    scratch.edit(
        "opencx-api/generated/mock.rs",
        "pub trait MockServerExt {",
        "pub trait MockServerExt { // edited",
    );
    assert_fails(
        &scratch,
        &["regen", "--check"],
        &["opencx-api/generated/mock.rs is out of date"],
    );
}

/// Writes `content` to `name` in the scratch root and returns its path.
fn input(scratch: &ScratchWorkspace, name: &str, content: &str) -> String {
    let path = scratch.root().join(name);
    std::fs::write(&path, content).unwrap();
    path.display().to_string()
}

/// Writes `content` to `name`, vendors it with `flags`, and asserts that it
/// fails with a message naming the input followed by `message`, writing nothing.
fn assert_vendor_fails(name: &str, content: &str, flags: &[&str], message: &str) {
    let scratch = ScratchWorkspace::new();
    let path = input(&scratch, name, content);
    let args: Vec<&str> = ["vendor", path.as_str()]
        .into_iter()
        .chain(flags.iter().copied())
        .collect();
    assert_fails(&scratch, &args, &[&format!("{path}{message}")]);
}

/// A bare document with two operations under new paths and the given `info`.
fn two_operations(info: &str) -> String {
    format!(
        "openapi: 3.1.0\ninfo: {info}\npaths:\n  /a:\n    get:\n      responses: {{}}\n  \
         /b:\n    get:\n      responses: {{}}\n"
    )
}

#[test]
fn a_malformed_json_document_names_the_line_and_column() {
    assert_vendor_fails(
        "api.json",
        "{\n  \"openapi\": \"3.0.3\",\n  \"paths\": {\n    \"/a\": {\"get\": {}},\n  }\n}\n",
        &[],
        ": malformed JSON at line 5 column 3: trailing comma",
    );
    assert_fails_with_stdin(
        &ScratchWorkspace::new(),
        &["vendor", "-"],
        "{\"openapi\": \"3.0.3\" \"paths\": {}}",
        &["<stdin>: malformed JSON at line 1 column 21: expected `,` or `}`"],
    );
}

#[test]
fn a_malformed_bare_yaml_document_names_the_line() {
    assert_vendor_fails(
        "api.yaml",
        "openapi: 3.1.0\npaths:\n  /a: [\n",
        &[],
        ": malformed YAML at line",
    );
}

#[test]
fn a_document_with_two_operations_and_no_name() {
    let why = ": the document describes 2 operations, so it is named by --name NAME or by its info.title, and";
    assert_vendor_fails(
        "api.yaml",
        &two_operations("{version: '1'}"),
        &[],
        &format!("{why} it has no info.title; give --name NAME"),
    );
    assert_vendor_fails(
        "api.yaml",
        &two_operations("{title: '★', version: '1'}"),
        &[],
        &format!("{why} info.title \"★\" gives no usable name; give --name NAME"),
    );
}

#[test]
fn unusable_names() {
    let api = two_operations("{title: API, version: '1'}");
    for name in ["../escape", "api.yaml"] {
        let scratch = ScratchWorkspace::new();
        let path = input(&scratch, "api.yaml", &api);
        assert_fails(
            &scratch,
            &["vendor", &path, "--name", name],
            &[&format!("--name {name:?} cannot name a file")],
        );
    }
    assert_vendor_fails(
        "api.yaml",
        &api,
        &["--name", "provenance"],
        ": specs/provenance.yaml is not a vendored document",
    );
    let scratch = ScratchWorkspace::new();
    let path = input(&scratch, "api.yaml", &api);
    assert_fails(
        &scratch,
        &["vendor", &path, &path, "--name", "api"],
        &["--name names one document, but 2 inputs were given"],
    );
    assert_vendor_fails(
        "odd.yaml",
        "openapi: 3.1.0\npaths:\n  /a:\n    get:\n      operationId: a/b\n",
        &[],
        ": operationId \"a/b\" of GET /a cannot name a file; give --name NAME",
    );
    assert_vendor_fails(
        "none.yaml",
        "openapi: 3.1.0\ninfo: {title: t}\n",
        &[],
        ": the OpenAPI document describes no operations",
    );
}

#[test]
fn unsupported_or_misshapen_documents_name_the_pointer() {
    assert_vendor_fails(
        "new.json",
        "{\"openapi\": \"3.2.0\", \"paths\": {}}",
        &[],
        "#/openapi: version \"3.2.0\" is not supported; expected 3.0.x or 3.1.x",
    );
    assert_vendor_fails(
        "swagger.json",
        "{\"swagger\": \"2.0\", \"paths\": {}}",
        &[],
        ": no top-level `openapi` key",
    );
    assert_vendor_fails(
        "bad-id.yaml",
        "openapi: 3.0.1\npaths:\n  /a/{id}:\n    get:\n      operationId: [x]\n",
        &[],
        "#/paths/~1a~1{id}/get/operationId: expected a string",
    );
}

#[test]
fn operations_already_vendored_elsewhere_are_refused() {
    // A whole API that includes an operation one of the pages already gives.
    assert_vendor_fails(
        "api.yaml",
        "openapi: 3.1.0\ninfo: {title: API}\npaths:\n  /chat/sessions:\n    get: {}\n  /other:\n    get: {}\n",
        &[],
        ": specs/api.yaml would repeat operations already vendored: \
         GET /chat/sessions (in specs/listChatSessions.yaml)",
    );
    // The same name as a vendored document in the other format.
    assert_vendor_fails(
        "api.json",
        "{\"openapi\": \"3.1.0\", \"paths\": {\"/x\": {\"get\": {}}}}",
        &["--name", "getChatSession"],
        ": would be vendored as specs/getChatSession.json, but specs/getChatSession.yaml already holds",
    );
}

#[test]
fn every_input_is_checked_before_anything_is_written() {
    let scratch = ScratchWorkspace::new();
    let good = input(
        &scratch,
        "good.yaml",
        "openapi: 3.1.0\npaths:\n  /new:\n    get: {}\n",
    );
    let bad = input(&scratch, "bad.json", "{\"openapi\": \"3.1.0\",}");
    assert_fails(
        &scratch,
        &["vendor", &good, &bad],
        &[&format!("{bad}: malformed JSON at line 1 column 21")],
    );
    // Two inputs that would land in one file, and stdin twice.
    let again = input(
        &scratch,
        "again.yaml",
        "openapi: 3.1.0\npaths:\n  /new:\n    get: {}\n",
    );
    assert_fails(
        &scratch,
        &["vendor", &good, &again],
        &[
            &again,
            "would be vendored as specs/get_new.yaml, as good.yaml already is",
        ],
    );
    assert_fails(
        &scratch,
        &["vendor", "-", "-"],
        &["`-` (stdin) is given more than once"],
    );
}

#[test]
fn two_inputs_with_one_operation_are_refused() {
    let scratch = ScratchWorkspace::new();
    let one =
        "openapi: 3.1.0\ninfo: {title: One}\npaths:\n  /new:\n    get: {}\n  /x:\n    get: {}\n";
    let two =
        "openapi: 3.1.0\ninfo: {title: Two}\npaths:\n  /new:\n    get: {}\n  /y:\n    get: {}\n";
    let (one, two) = (
        input(&scratch, "one.yaml", one),
        input(&scratch, "two.yaml", two),
    );
    assert_fails(
        &scratch,
        &["vendor", &one, &two],
        &[&format!("{two}: specs/two.yaml would repeat operations already vendored: GET /new (in specs/one.yaml)")],
    );
}

#[test]
fn a_page_whose_operation_id_names_another_vendored_operation_is_refused() {
    // The seed `getChatSession` is GET /chat/sessions/{session_id}; a page
    // for another operation with that operationId must not replace it.
    let scratch = ScratchWorkspace::new();
    let page = "openapi: 3.1.0\ninfo: {title: Contacts, version: '1'}\npaths:\n  /contacts/all:\n    get:\n      operationId: getChatSession\n      responses:\n        '204': {description: none}\n";
    let page = input(&scratch, "contacts.yaml", page);
    assert_fails(
        &scratch,
        &["vendor", &page],
        &[&format!(
            "{page}: its operation GET /contacts/all has the operationId \"getChatSession\", and \
             specs/getChatSession.yaml already holds GET /chat/sessions/{{session_id}} under it"
        )],
    );
}
