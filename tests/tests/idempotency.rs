//! Only requests that can be sent twice without effect are retried when the
//! first may have reached the server. Every operation today is a read (the
//! filter is a POST that only reads, marked `x-idempotent` in the overlay);
//! one that is not, added by an upstream update, is not retried by default.
//! It is driven here through the client's `exec` hook, as its generated
//! builder would. (A client generated from another document gets its retry
//! classes from that document: `tests/tests/other_api.rs`.)

use httpmock::MockServer;
use opencx_api::config::RetryPolicy;
use opencx_api::types::SessionFilterRequest;
use opencx_api::Client;
use opencx_tests::{quick_retries as quick, run};
use progenitor_client::{ClientHooks, OperationInfo};

fn client(server: &MockServer, policy: RetryPolicy) -> Client {
    opencx_tests::client_with_retries(&server.base_url(), policy)
}

/// Sends `POST /chat/sessions` as a hypothetical `create_chat_session`.
fn create_session(client: &Client) -> reqwest::Result<reqwest::Response> {
    let request = reqwest::Client::new()
        .post(format!("{}/chat/sessions", client.baseurl()))
        .json(&serde_json::json!({"channel": "web"}))
        .build()
        .unwrap();
    let info = OperationInfo {
        operation_id: "create_chat_session",
    };
    run(async { client.exec(request, &info).await })
}

fn answering(server: &MockServer, method: httpmock::Method, status: u16) -> httpmock::Mock<'_> {
    server.mock(|when, then| {
        when.method(method).path("/chat/sessions");
        then.status(status)
            .header("retry-after-ms", "1")
            .json_body(serde_json::json!({"message": "busy"}));
    })
}

#[test]
fn a_post_that_may_have_changed_something_is_not_retried_by_default() {
    let server = MockServer::start();
    let mock = answering(&server, httpmock::Method::POST, 503);
    let response = create_session(&client(&server, quick())).unwrap();
    assert_eq!(response.status().as_u16(), 503);
    mock.assert_calls(1);
}

#[test]
fn a_post_refused_with_429_was_not_acted_on_and_is_retried() {
    let server = MockServer::start();
    let mock = answering(&server, httpmock::Method::POST, 429);
    create_session(&client(&server, quick())).unwrap();
    mock.assert_calls(3);
}

#[test]
fn retrying_non_idempotent_requests_can_be_allowed() {
    let server = MockServer::start();
    let mock = answering(&server, httpmock::Method::POST, 503);
    create_session(&client(&server, quick().retry_non_idempotent(true))).unwrap();
    mock.assert_calls(3);
}

#[test]
fn the_filter_is_a_post_that_only_reads_and_is_retried() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(httpmock::Method::POST)
            .path("/chat/sessions/filter");
        then.status(503)
            .json_body(serde_json::json!({"message": "busy"}));
    });
    run(client(&server, quick())
        .filter_chat_sessions()
        .body(SessionFilterRequest::default())
        .send())
    .unwrap_err();
    mock.assert_calls(3);
}

#[test]
fn every_operation_in_the_api_is_a_read() {
    let spec = opencx_tests::openapi_json();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            const METHODS: [&str; 8] = [
                "get", "put", "post", "delete", "options", "head", "patch", "trace",
            ];
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            let idempotent: reqwest::Method = method.to_uppercase().parse().unwrap();
            let id = operation["operationId"].as_str().unwrap();
            // A new write is not retried by default; this names it for review.
            // A read sent as POST says so in the overlay (`x-idempotent: true`).
            assert!(
                idempotent.is_idempotent() || operation["x-idempotent"] == true,
                "{method} {path} ({id}) is not known to be safe to repeat"
            );
        }
    }
}

#[test]
fn the_filter_is_marked_idempotent_in_the_document_and_the_others_need_not_be() {
    let spec = opencx_tests::openapi_json();
    let marked: Vec<&str> = spec["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().values())
        .filter(|operation| operation["x-idempotent"] == true)
        .map(|operation| operation["operationId"].as_str().unwrap())
        .collect();
    assert_eq!(marked, ["filterChatSessions"]);
}
