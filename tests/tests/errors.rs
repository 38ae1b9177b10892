//! Error answers parse into `ApiError`; a non-JSON error body still yields an
//! error with the status and the first bytes of the body.

use httpmock::MockServer;
use opencx_api::error::BODY_SNIPPET_LEN;
use opencx_api::mock::MockServerExt;
use opencx_api::{Client, Error};
use opencx_tests::fixtures::api_error;
use opencx_tests::run;

fn client(server: &MockServer) -> Client {
    opencx_tests::client_without_retries(&server.base_url())
}

#[test]
fn json_error_bodies_parse_for_every_error_status() {
    for (status, message) in [
        (400, "bad filter"),
        (401, "invalid token"),
        (404, "no such session"),
        (429, "slow down"),
        (500, "boom"),
    ] {
        let server = MockServer::start();
        server.get_chat_session(|when, then| {
            when.session_id("s1");
            match status {
                500 => then.internal_server_error(&api_error(status, message)),
                400..=499 => then.client_error(status, &api_error(status, message)),
                _ => unreachable!(),
            };
        });
        let error = run(client(&server).get_chat_session().session_id("s1").send()).unwrap_err();
        assert_eq!(
            error.status().map(|s| s.as_u16()),
            Some(status),
            "{error:?}"
        );
        let body = error.api_error().expect("an ApiError body");
        assert_eq!(body.message.as_deref(), Some(message));
        assert_eq!(body.status_code, Some(i64::from(status)));
        assert_eq!(
            error.to_string(),
            format!(
                "OpenCX get_chat_session failed: {}: {message}",
                reqwest::StatusCode::from_u16(status).unwrap()
            )
        );
    }
}

#[test]
fn an_html_502_is_an_error_with_the_status_and_the_first_bytes() {
    let server = MockServer::start();
    let page = format!(
        "<html><body><h1>502 Bad Gateway</h1>{}</body></html>",
        "x".repeat(2000)
    );
    server.mock(|when, then| {
        when.path("/chat/sessions");
        then.status(502)
            .header("content-type", "text/html")
            .body(&page);
    });
    let error = run(client(&server).list_chat_sessions().send()).unwrap_err();
    match &error {
        Error::Api {
            status, response, ..
        } => {
            assert_eq!(status.as_u16(), 502);
            assert_eq!(response.body(), page.as_bytes(), "the whole body is kept");
        }
        other => panic!("{other:?}"),
    }
    assert!(error.api_error().is_none());
    let text = error.to_string();
    let expected = format!(
        "OpenCX list_chat_sessions failed: 502 Bad Gateway: {}",
        &page[..BODY_SNIPPET_LEN]
    );
    assert_eq!(text, expected);
}

#[test]
fn an_error_body_that_is_json_but_not_an_object_keeps_its_text() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.path("/chat/sessions");
        then.status(400)
            .header("content-type", "application/json")
            .body("\"plain string\"");
    });
    let error = run(client(&server).list_chat_sessions().send()).unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(400));
    assert!(error.api_error().is_none());
    assert_eq!(
        error.to_string(),
        "OpenCX list_chat_sessions failed: 400 Bad Request: plain string"
    );
}

#[test]
fn an_empty_error_body_still_names_the_status() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.path("/chat/sessions");
        then.status(503);
    });
    let error = run(client(&server).list_chat_sessions().send()).unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(
        error.to_string(),
        "OpenCX list_chat_sessions failed: 503 Service Unavailable"
    );
}

#[test]
fn a_success_with_an_unparsable_body_is_an_invalid_response() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.path("/chat/sessions");
        then.status(200)
            .header("content-type", "application/json")
            .body("{\"items\": 7}");
    });
    let error = run(client(&server).list_chat_sessions().send()).unwrap_err();
    match &error {
        Error::InvalidResponse { status, detail, .. } => {
            assert_eq!(status.as_u16(), 200);
            assert_eq!(detail.path(), "items");
            assert_eq!(detail.snippet(), "{\"items\": 7}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        error.to_string(),
        "OpenCX list_chat_sessions: the 200 OK answer does not decode at `items`: \
         invalid type: integer `7`, expected a sequence at line 1 column 11 (body: {\"items\": 7})"
    );
}
