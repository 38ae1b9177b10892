//! Each kind of typed mock helper matches the request the client really sends:
//! a mock set up with the helper is hit exactly once by the matching call.

use httpmock::MockServer;
use opencx_api::mock::MockServerExt;
use opencx_api::prelude::*;
use opencx_api::types::{SessionId, SessionList};
use opencx_tests::fixtures::{
    filter_page, filter_request, history_list, session, session_filters, session_list,
};
use opencx_tests::run;

fn client(server: &MockServer) -> Client {
    opencx_tests::client_without_retries(&server.base_url())
}

fn one_page() -> SessionList {
    session_list(vec![session(1)], None)
}

#[test]
fn a_timestamp_query_parameter_matches_what_the_client_sends() {
    let server = MockServer::start();
    let since: chrono::DateTime<chrono::Utc> = "2024-05-01T00:00:00Z".parse().unwrap();
    let until: chrono::DateTime<chrono::Utc> = "2024-05-31T23:59:59.250Z".parse().unwrap();
    let mock = server.list_chat_sessions(|when, then| {
        when.created_after(&since).updated_before(&until);
        then.ok(&one_page());
    });
    run(client(&server)
        .list_chat_sessions()
        .created_after(since)
        .updated_before(until)
        .send())
    .unwrap();
    mock.assert_calls(1);
}

#[test]
fn enum_bool_and_text_query_parameters_match_what_the_client_sends() {
    let server = MockServer::start();
    let mock = server.list_chat_sessions(|when, then| {
        when.status(SessionStatus::Open)
            .channel_type(SessionChannel::Whatsapp)
            .handed_off(true)
            .cursor("c 2/3");
        then.ok(&one_page());
    });
    run(client(&server)
        .list_chat_sessions()
        .status(SessionStatus::Open)
        .channel_type(SessionChannel::Whatsapp)
        .handed_off(true)
        .cursor("c 2/3")
        .send())
    .unwrap();
    mock.assert_calls(1);
}

#[test]
fn an_absent_query_parameter_matches_a_request_without_it() {
    let server = MockServer::start();
    let without = server.list_chat_sessions(|when, then| {
        when.cursor(None).created_after(None);
        then.ok(&one_page());
    });
    run(client(&server).list_chat_sessions().send()).unwrap();
    without.assert_calls(1);
}

#[test]
fn a_path_parameter_takes_what_the_builder_takes_and_matches_the_encoded_path() {
    let server = MockServer::start();
    let id: SessionId = "s-3".parse().unwrap();
    let mocks = [
        server.get_chat_session(|when, then| {
            when.session_id("s-1");
            then.ok(&session(1));
        }),
        server.get_chat_session(|when, then| {
            when.session_id(String::from("s-2"));
            then.ok(&session(2));
        }),
        server.get_chat_session(|when, then| {
            when.session_id(id.clone());
            then.ok(&session(3));
        }),
        // Reserved characters and regex metacharacters stay literal.
        server.get_chat_session(|when, then| {
            when.session_id("a/b c.d+e");
            then.ok(&session(4));
        }),
    ];
    let history = server.list_chat_history(|when, then| {
        when.session_id("h 1").cursor(None);
        then.ok(&history_list(vec![], None));
    });
    let client = client(&server);
    run(async {
        for (id, ticket) in [("s-1", 1), ("s-2", 2), ("s-3", 3), ("a/b c.d+e", 4)] {
            let got = client
                .get_chat_session()
                .session_id(id)
                .send()
                .await
                .unwrap();
            assert_eq!(got.ticket_number, ticket, "{id}");
        }
        client
            .list_chat_history()
            .session_id("h 1")
            .send()
            .await
            .unwrap();
    });
    for mock in mocks {
        mock.assert_calls(1);
    }
    history.assert_calls(1);
}

#[test]
fn a_body_matches_what_the_client_sends() {
    let server = MockServer::start();
    let mut request = filter_request(session_filters(|f| f.sentiment = vec![Sentiment::Angry]));
    request.page = Some(2);
    request.limit = Some(10);
    let mock = server.filter_chat_sessions(|when, then| {
        when.body(&request);
        then.ok(&filter_page(2, 10, false, vec![session(1)]));
    });
    run(client(&server)
        .filter_chat_sessions()
        .body(request.clone())
        .send())
    .unwrap();
    mock.assert_calls(1);
}
