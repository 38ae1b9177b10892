//! `cargo xtask vendor` on bare OpenAPI documents (YAML or JSON, 3.0 or 3.1,
//! one operation or a whole API) and on pages whose operation has no
//! operationId: stored byte for byte, named predictably, with provenance.

use opencx_tests::ScratchWorkspace;
use xtask::vendor::{extract, ProvenanceFile, SourceFormat};

/// A whole API in JSON, as the vendor's `api-json` endpoint serves it: OpenAPI
/// 3.0, several operations, one of them without an operationId.
const WHOLE_API_JSON: &str = r#"{
  "openapi": "3.0.3",
  "info": {"title": "OpenCX Public API", "version": "2.1"},
  "paths": {
    "/contacts": {
      "get": {"operationId": "listContacts", "responses": {"200": {"description": "ok"}}},
      "post": {"operationId": "createContact", "responses": {"201": {"description": "ok"}}}
    },
    "/contacts/{contact_id}/notes": {
      "parameters": [{"name": "contact_id", "in": "path", "required": true, "schema": {"type": "string"}}],
      "get": {"responses": {"200": {"description": "ok"}}}
    },
    "/tickets/search": {
      "post": {"operationId": "searchTickets", "responses": {"200": {"description": "ok"}}}
    }
  }
}
"#;

/// One operation, bare OpenAPI 3.1 YAML.
const ONE_OPERATION_YAML: &str = "\
openapi: 3.1.0
info:
  title: Close a ticket
  version: '1'
paths:
  /tickets/{ticket_id}/close:
    post:
      operationId: closeTicket
      responses:
        '204':
          description: closed
";

/// Runs the xtask command line on the scratch workspace with `stdin`; returns
/// (exit code, stdout, stderr).
fn xtask(scratch: &ScratchWorkspace, args: &[&str], stdin: &str) -> (u8, String, String) {
    let mut args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    args.extend([
        "--root".to_string(),
        scratch.root().display().to_string(),
        "--no-compile-check".to_string(),
    ]);
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = xtask::cli::run_with_stdin(&args, &mut stdin.as_bytes(), &mut out, &mut err);
    (
        code,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

/// Writes `content` to `name` in the scratch root and returns its path.
fn input(scratch: &ScratchWorkspace, name: &str, content: &str) -> String {
    let path = scratch.root().join(name);
    std::fs::write(&path, content).unwrap();
    path.display().to_string()
}

fn record<'a>(provenance: &'a ProvenanceFile, file: &str) -> &'a xtask::vendor::Provenance {
    provenance
        .documents
        .iter()
        .find(|d| d.file == file)
        .unwrap_or_else(|| panic!("no record for {file}"))
}

#[test]
fn a_bare_3_0_json_document_with_many_operations() {
    let scratch = ScratchWorkspace::new();
    let before = scratch.read("specs/provenance.yaml");
    let path = input(&scratch, "api.json", WHOLE_API_JSON);
    let (code, out, err) = xtask(&scratch, &["vendor", &path], "");
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("vendored specs/opencx_public_api.json (4 operations) from api.json"),
        "{out}"
    );

    // Byte for byte, still JSON, named after info.title.
    assert_eq!(scratch.read("specs/opencx_public_api.json"), WHOLE_API_JSON);
    let provenance = ProvenanceFile::load(&scratch.workspace()).unwrap();
    let api = record(&provenance, "opencx_public_api.json");
    assert_eq!(api.format, SourceFormat::Json);
    assert_eq!(api.openapi.as_deref(), Some("3.0.3"));
    assert_eq!(api.title.as_deref(), Some("OpenCX Public API"));
    assert_eq!(api.source_page, "api.json");
    assert_eq!(
        api.sha256,
        xtask::vendor::sha256_hex(WHOLE_API_JSON.as_bytes())
    );
    let operations: Vec<(String, String, bool)> = api
        .operations
        .iter()
        .map(|o| {
            (
                o.operation.clone(),
                o.operation_id.clone(),
                o.operation_id_derived,
            )
        })
        .collect();
    assert_eq!(
        operations,
        [
            ("GET /contacts".into(), "listContacts".into(), false),
            ("POST /contacts".into(), "createContact".into(), false),
            (
                "GET /contacts/{contact_id}/notes".into(),
                "get_contacts_by_contact_id_notes".into(),
                true
            ),
            ("POST /tickets/search".into(), "searchTickets".into(), false),
        ]
    );

    // The four page records are exactly as they were.
    let after = scratch.read("specs/provenance.yaml");
    for file in [
        "filterChatSessions.yaml",
        "getChatSession.yaml",
        "listChatHistory.yaml",
        "listChatSessions.yaml",
    ] {
        let entry = |text: &str| {
            let rest = &text[text.find(&format!("- file: {file}\n")).unwrap()..];
            rest[..rest[1..].find("\n- ").map_or(rest.len(), |e| e + 2)].to_string()
        };
        assert_eq!(entry(&before), entry(&after), "{file}'s record changed");
    }

    // What regen --check compares: the source, read again, is the vendored file.
    assert_eq!(
        extract(WHOLE_API_JSON, "api.json").unwrap().body,
        scratch.read("specs/opencx_public_api.json")
    );
}

#[test]
fn a_bare_3_1_yaml_document_is_named_by_its_operation() {
    let scratch = ScratchWorkspace::new();
    let path = input(&scratch, "close.yml", ONE_OPERATION_YAML);
    let (code, out, err) = xtask(
        &scratch,
        &["vendor", &path, "--source", "https://docs.open.cx/close"],
        "",
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("vendored specs/closeTicket.yaml (POST /tickets/{ticket_id}/close)"),
        "{out}"
    );
    assert_eq!(scratch.read("specs/closeTicket.yaml"), ONE_OPERATION_YAML);
    let provenance = scratch.read("specs/provenance.yaml");
    assert!(
        provenance.contains(
            "- file: closeTicket.yaml\n  operation: POST /tickets/{ticket_id}/close\n  \
             operation_id: closeTicket\n  source_page: https://docs.open.cx/close\n  \
             format: yaml\n  openapi: 3.1.0\n  title: Close a ticket\n  sha256: "
        ),
        "{provenance}"
    );
}

#[test]
fn a_page_whose_operation_has_no_operation_id_gets_a_derived_one() {
    let scratch = ScratchWorkspace::new();
    let doc = scratch.read("specs/getChatSession.yaml").replacen(
        "      operationId: getChatSession\n",
        "",
        1,
    );
    let page = input(
        &scratch,
        "page.md",
        &format!("# Get a chat session\n\n````yaml get /chat/sessions/{{session_id}}\n{doc}````\n"),
    );
    // The operation is vendored already, as getChatSession.yaml: replace it.
    std::fs::remove_file(scratch.root().join("specs/getChatSession.yaml")).unwrap();
    let provenance = scratch.read("specs/provenance.yaml");
    let start = provenance.find("- file: getChatSession.yaml").unwrap();
    let end = start + provenance[start..].find("\n- file:").unwrap() + 1;
    std::fs::write(
        scratch.root().join("specs/provenance.yaml"),
        format!("{}{}", &provenance[..start], &provenance[end..]),
    )
    .unwrap();

    let (code, out, err) = xtask(&scratch, &["vendor", &page], "");
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("no operationId upstream; derived get_chat_sessions_by_session_id"),
        "{out}"
    );
    assert_eq!(
        scratch.read("specs/get_chat_sessions_by_session_id.yaml"),
        doc
    );
    let provenance = scratch.read("specs/provenance.yaml");
    assert!(
        provenance.contains(
            "- file: get_chat_sessions_by_session_id.yaml\n  operation: GET /chat/sessions/{session_id}\n  \
             operation_id: get_chat_sessions_by_session_id\n  operation_id_derived: true\n  \
             source_page: page.md\n  page_title: Get a chat session\n  sha256: "
        ),
        "{provenance}"
    );
}

#[test]
fn a_document_from_stdin_with_a_name() {
    let scratch = ScratchWorkspace::new();
    let (code, out, err) = xtask(
        &scratch,
        &[
            "vendor",
            "-",
            "--name",
            "public-api",
            "--source",
            "https://api.open.cx/api-json",
        ],
        WHOLE_API_JSON,
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(
            "vendored specs/public-api.json (4 operations) from https://api.open.cx/api-json"
        ),
        "{out}"
    );
    assert_eq!(scratch.read("specs/public-api.json"), WHOLE_API_JSON);

    // Without --source, stdin is recorded as `-`; vendoring the same name again
    // replaces the record rather than adding one.
    let (code, _, err) = xtask(
        &scratch,
        &["vendor", "-", "--name", "public-api"],
        WHOLE_API_JSON,
    );
    assert_eq!(code, 0, "{err}");
    let provenance = ProvenanceFile::load(&scratch.workspace()).unwrap();
    assert_eq!(record(&provenance, "public-api.json").source_page, "-");
    assert_eq!(provenance.documents.len(), 5);
}
