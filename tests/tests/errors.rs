//! Error answers parse into `ApiError`; a non-JSON error body still yields an
//! error with the status and the first bytes of the body.

use httpmock::MockServer;
use opencx_api::mock::MockServerExt;
use opencx_api::{Client, Error, BODY_SNIPPET_LEN};
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
        // The raw generated error is already typed...
        assert!(
            matches!(&error, opencx_api::progenitor_client::Error::ErrorResponse(r) if r.status().as_u16() == status),
            "{status}: {error:?}"
        );
        // ...and so is the crate's.
        match Error::from(error) {
            Error::Api {
                status: got,
                error: Some(body),
                ..
            } => {
                assert_eq!(got.as_u16(), status);
                assert_eq!(body.message.as_deref(), Some(message));
                assert_eq!(body.status_code, Some(i64::from(status)));
            }
            other => panic!("{status}: {other:?}"),
        }
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
    let error = Error::from(run(client(&server).list_chat_sessions().send()).unwrap_err());
    match &error {
        Error::Api {
            status,
            error: None,
            body,
            ..
        } => {
            assert_eq!(status.as_u16(), 502);
            assert!(
                body.starts_with("<html><body><h1>502 Bad Gateway</h1>"),
                "{body}"
            );
            assert_eq!(body.len(), BODY_SNIPPET_LEN);
        }
        other => panic!("{other:?}"),
    }
    let text = error.to_string();
    assert!(
        text.starts_with(
            "OpenCX list_chat_sessions failed after 1 try: HTTP 502 Bad Gateway: <html>"
        ),
        "{text}"
    );
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
    match Error::from(run(client(&server).list_chat_sessions().send()).unwrap_err()) {
        Error::Api {
            status,
            error: None,
            body,
            ..
        } => {
            assert_eq!(status.as_u16(), 400);
            assert_eq!(body, "\"plain string\"");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_empty_error_body_still_names_the_status() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.path("/chat/sessions");
        then.status(503);
    });
    let error = Error::from(run(client(&server).list_chat_sessions().send()).unwrap_err());
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(
        error.to_string(),
        "OpenCX list_chat_sessions failed after 1 try: HTTP 503 Service Unavailable"
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
    let error = Error::from(run(client(&server).list_chat_sessions().send()).unwrap_err());
    assert!(
        matches!(&error, Error::InvalidResponse { body, .. } if body == "{\"items\": 7}"),
        "{error:?}"
    );
}
