//! Answers offered in several media types, text first (the public
//! directory's ASP.NET documents list `text/plain`, `application/json` and
//! `text/json` for one object schema): the client asks for the JSON one
//! (`Accept: application/json`), so a server that negotiates, as Prism does,
//! answers JSON, never the object as text (Prism's "Cannot serialise complex
//! objects as text" is what it answers a request that allows text). The
//! fixture's `format: uuid` parameter makes the generated contract tests name
//! `uuid::Uuid`, a dependency the crate around them must have.
//!
//! Spring's springdoc gives every answer as `*/*` (66 documents of the
//! public directory, 2,191 answers): over a schema only JSON carries the
//! client reads it as JSON, into the document's type, errors included; over
//! a string, as bytes; a request body so given is the typed body, sent as
//! JSON (`screen/bodies.rs`, by the same reading of the schema). An answer given only by examples is any JSON.

use opencx_tests::generated_crate::{self, Fixture};
use opencx_tests::workspace_root;

fn fixture(name: &str) -> std::path::PathBuf {
    workspace_root()
        .join("tests/fixtures/negotiation")
        .join(name)
}

#[test]
fn the_client_asks_for_json_where_text_is_offered_first_and_prism_answers_it() {
    let regenerated = Fixture::regenerate(&fixture("api.yaml"));
    let client =
        std::fs::read_to_string(regenerated.root().join("opencx-api/generated/client.rs")).unwrap();
    assert!(
        client.contains(r#"from_static("application/json")"#),
        "the JSON media type is asked for"
    );
    for (builder, answer) in [
        ("GetPerson", "ResponseValue<types::Person>"),
        ("PutPerson", "ResponseValue<types::Person>"),
        ("GetPersonName", "ResponseValue<ByteStream>"),
        ("RandomRiddle", "ResponseValue<::serde_json::Value>"),
    ] {
        let at = client
            .find(&format!("impl<'a> {builder}<'a>"))
            .unwrap_or_else(|| panic!("builder {builder}"));
        let send = &client[at..];
        let send = &send[send.find("pub async fn send(").unwrap()..];
        let signature: String = send[..send.find('{').unwrap()].split_whitespace().collect();
        assert!(signature.contains(answer), "{builder}: {signature}");
    }
    // The request body of a range over an object is the typed body, sent
    // as JSON.
    let put = &client[client.find("impl<'a> PutPerson<'a>").expect("PutPerson")..];
    let put = &put[..put.find("pub async fn send(").unwrap()];
    let put: String = put.split_whitespace().collect();
    assert!(
        put.contains("V:std::convert::TryInto<types::Person>"),
        "put_person takes the typed Person body: {put}"
    );
    assert!(
        client.contains("(\"get_person\", 404u16)"),
        "the 404's `*/*` body is a documented error"
    );
    let tests =
        std::fs::read_to_string(regenerated.root().join("tests/tests/contract.rs")).unwrap();
    assert!(tests.contains("uuid::Uuid"), "{tests}");
    let Some(prism) = opencx_tests::contract::prism_or_skip("the negotiation fixture") else {
        return;
    };
    match generated_crate::run_contract_tests(&regenerated.root(), &prism) {
        Ok(output) => assert!(output.contains("test result: ok. 5 passed"), "{output}"),
        Err(output) => panic!("{output}"),
    }
}
