//! Redirects: the token never follows one to another host, and a chain of
//! them is cut off after [`opencx_api::config::MAX_REDIRECTS`].

use httpmock::MockServer;
use opencx_api::{Client, Error};
use opencx_tests::{fixtures, run};

fn client(server: &MockServer) -> Client {
    opencx_tests::client_without_retries(&server.base_url())
}

#[test]
fn the_token_follows_a_redirect_on_the_same_host_only() {
    let elsewhere = MockServer::start();
    let with_token = elsewhere.mock(|when, then| {
        when.header_exists("authorization");
        then.status(500);
    });
    let without_token = elsewhere.mock(|when, then| {
        when.path("/chat/sessions/s2")
            .header_missing("authorization");
        then.status(200).json_body(fixtures::session_json(2));
    });
    let server = MockServer::start();
    // Same host: the token goes along.
    server.mock(|when, then| {
        when.path("/chat/sessions/s1");
        then.status(307).header("location", "/chat/sessions/moved");
    });
    let moved = server.mock(|when, then| {
        when.path("/chat/sessions/moved")
            .header("authorization", "Bearer sk-test");
        then.status(200).json_body(fixtures::session_json(1));
    });
    // Another host (by name and port): it does not.
    server.mock(|when, then| {
        when.path("/chat/sessions/s2");
        then.status(307).header(
            "location",
            format!("http://localhost:{}/chat/sessions/s2", elsewhere.port()),
        );
    });
    let client = client(&server);
    let (same, other) = run(async {
        let same = client.get_chat_session().session_id("s1").send().await;
        let other = client.get_chat_session().session_id("s2").send().await;
        (same, other)
    });
    assert_eq!(same.unwrap().ticket_number, 1);
    assert_eq!(other.unwrap().ticket_number, 2);
    moved.assert_calls(1);
    without_token.assert_calls(1);
    with_token.assert_calls(0);
}

/// `/chat/sessions/s1` redirects `hops` times before the session answers.
fn redirect_chain(server: &MockServer, hops: usize) {
    for hop in 0..hops {
        let from = if hop == 0 {
            "/chat/sessions/s1".to_string()
        } else {
            format!("/hop/{hop}")
        };
        let to = if hop + 1 == hops {
            "/final".to_string()
        } else {
            format!("/hop/{}", hop + 1)
        };
        server.mock(|when, then| {
            when.path(from);
            then.status(302).header("location", to);
        });
    }
    server.mock(|when, then| {
        when.path("/final");
        then.status(200).json_body(fixtures::session_json(1));
    });
}

#[test]
fn redirects_are_followed_up_to_the_cap() {
    let server = MockServer::start();
    redirect_chain(&server, opencx_api::config::MAX_REDIRECTS);
    let session = run(client(&server).get_chat_session().session_id("s1").send()).unwrap();
    assert_eq!(session.ticket_number, 1);
}

#[test]
fn one_redirect_more_than_the_cap_is_an_error() {
    let server = MockServer::start();
    redirect_chain(&server, opencx_api::config::MAX_REDIRECTS + 1);
    let error: Error = run(client(&server).get_chat_session().session_id("s1").send()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "OpenCX get_chat_session failed: redirect failed: too many redirects"
    );
}
