//! A whole API of the kind upstream can publish, through the whole pipeline:
//! a 3.0 document with `nullable` and several operations, a 3.1 multipart
//! upload with webhooks, and a 3.1 operation without an operationId using
//! `$defs`, `if`/`then`/`else`, type lists and no `components`. It is vendored
//! and regenerated with `--root` in a scratch workspace, and the generated
//! client compiles.

use std::path::{Path, PathBuf};

use opencx_tests::generated_crate::{self, ApiCrate};
use opencx_tests::workspace_root;
use opencx_tests::xtask;
use serde_json::{json, Value};

/// A hand-written method that covers the upload, as `opencx-api/src` would
/// have it: the report must name it.
const HAND_WRITTEN: &str = r#"
impl Client {
    /// Uploads a file to a contact (multipart, which progenitor cannot generate).
    #[doc(alias = "uploadContactFile")]
    pub async fn upload_contact_file(&self) {}
}
"#;

struct Scratch {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

fn scratch() -> Scratch {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    opencx_tests::empty_workspace(&root);
    std::fs::write(root.join("opencx-api/src/upload.rs"), HAND_WRITTEN).unwrap();
    Scratch { _dir: dir, root }
}

fn fixture(name: &str) -> String {
    workspace_root()
        .join("tests/fixtures/mixed-api")
        .join(name)
        .display()
        .to_string()
}

fn vendor_all(root: &Path) {
    let (code, out, err) = xtask(
        root,
        &[
            "vendor",
            "--name",
            "contacts",
            &fixture("contacts-3.0.json"),
        ],
    );
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = xtask(
        root,
        &["vendor", &fixture("upload.yaml"), &fixture("search.yaml")],
    );
    assert_eq!(code, 0, "{out}{err}");
}

#[test]
fn a_mixed_api_regenerates_reports_and_compiles() {
    let ws = scratch();
    vendor_all(&ws.root);
    let (code, out, err) = xtask(&ws.root, &["regen"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        err.contains(
            "warning: specs/uploadContactFile.yaml#/paths/~1contacts~1{contact_id}~1files/post: \
             POST /contacts/{contact_id}/files (uploadContactFile) is left out of the \
             generated client: the hand-written `Client::upload_contact_file` covers it"
        ),
        "{err}"
    );
    assert!(
        err.contains("covered by the hand-written `Client::upload_contact_file`"),
        "{err}"
    );

    let doc: Value = serde_json::from_str(
        &std::fs::read_to_string(ws.root.join("opencx-api/openapi.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(doc["openapi"], json!("3.0.3"));
    assert!(doc.get("webhooks").is_none());
    // The 3.0 document went through unchanged.
    assert_eq!(
        doc["components"]["schemas"]["Contact"]["properties"]["email"],
        json!({"type": "string", "nullable": true})
    );
    let search = &doc["paths"]["/chat/sessions/search"]["post"];
    assert_eq!(search["operationId"], json!("post_chat_sessions_search"));
    let body = &search["requestBody"]["content"]["application/json"]["schema"];
    assert_eq!(
        body["properties"]["score"],
        json!({"oneOf": [{"type": "integer"}, {"type": "string"}]})
    );
    assert_eq!(
        body["properties"]["channel"],
        json!({"type": "string", "enum": ["web", "email", null], "nullable": true})
    );
    assert_eq!(
        doc["components"]["schemas"]["Hit"]["properties"]["payload"],
        json!({"type": "string", "format": "byte"})
    );
    assert!(doc["paths"].get("/contacts/{contact_id}/files").is_none());

    let report = std::fs::read_to_string(ws.root.join("opencx-api/CONVERSION.md")).unwrap();
    for line in [
        "| `POST /contacts/{contact_id}/files` | `uploadContactFile` | `specs/uploadContactFile.yaml#/paths/~1contacts~1{contact_id}~1files/post` |",
        "| `Client::upload_contact_file` |",
        "| `POST /chat/sessions/search` | `post_chat_sessions_search` |",
        "$defs/Hit` | `Hit` |",
        "schema/if` |",
        "schema/dependentRequired` |",
        "schema/unevaluatedProperties` |",
        "$defs/Hit/properties/labels/contains` |",
        "specs/uploadContactFile.yaml#/webhooks` |",
    ] {
        assert!(report.contains(line), "{line:?} missing from:\n{report}");
    }

    // Deterministic: a second regen writes nothing.
    let (code, out, err) = xtask(&ws.root, &["regen"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("everything is up to date"), "{out}");

    let client = std::fs::read_to_string(ws.root.join("opencx-api/generated/client.rs")).unwrap();
    for method in [
        "pub fn list_contacts(",
        "pub fn get_contact(",
        "pub fn post_chat_sessions_search(",
    ] {
        assert!(client.contains(method), "{method} missing");
    }
    assert!(!client.contains("upload_contact_file"));
    compiles(&ws.root.join("opencx-api/generated/client.rs"));
}

#[test]
fn a_document_without_components_regenerates() {
    let ws = scratch();
    let doc = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths:\n  /ping:\n    get:\n      \
               operationId: ping\n      responses:\n        '200':\n          description: ok\n          \
               content:\n            application/json:\n              schema:\n                \
               type: object\n                properties: {ok: {type: boolean}}\n";
    let file = ws.root.join("ping.yaml");
    std::fs::write(&file, doc).unwrap();
    let (code, out, err) = xtask(&ws.root, &["vendor", &file.display().to_string()]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = xtask(&ws.root, &["regen"]);
    assert_eq!(code, 0, "{out}{err}");
    let client = std::fs::read_to_string(ws.root.join("opencx-api/generated/client.rs")).unwrap();
    assert!(client.contains("pub fn ping("), "{client}");
}

/// `cargo check`s a crate around a generated client, on the crate's runtime.
fn compiles(client: &Path) {
    let dir = tempfile::tempdir().unwrap();
    let api = ApiCrate {
        name: "mixed-api".into(),
        generated: client.parent().unwrap().to_path_buf(),
    };
    if let Err(errors) = generated_crate::check(dir.path(), &[api]) {
        panic!("the generated client does not compile:\n{errors}");
    }
}

#[test]
fn an_overlay_patch_names_an_operation_upstream_left_without_an_id() {
    let ws = scratch();
    std::fs::write(
        ws.root.join("specs/overlay.yaml"),
        "patches:\n  - at: /paths/~1chat~1sessions~1search/post/operationId\n    \
         why: upstream gives none; `search_sessions` reads better than the derived name\n    \
         set: searchSessions\n",
    )
    .unwrap();
    let (code, out, err) = xtask(&ws.root, &["vendor", &fixture("search.yaml")]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = xtask(&ws.root, &["regen"]);
    assert_eq!(code, 0, "{out}{err}");
    let client = std::fs::read_to_string(ws.root.join("opencx-api/generated/client.rs")).unwrap();
    assert!(
        client.contains("pub fn search_sessions("),
        "the overlay's name wins"
    );
    assert!(!client.contains("post_chat_sessions_search"));
    let report = std::fs::read_to_string(ws.root.join("opencx-api/CONVERSION.md")).unwrap();
    assert!(
        report.contains("## Derived operationIds\n\nNone.\n"),
        "{report}"
    );
}
