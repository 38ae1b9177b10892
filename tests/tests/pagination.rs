//! Auto-pagination against httpmock: every parameter on every page, laziness,
//! the ways a listing ends, and the ways it refuses to loop.

use futures::{StreamExt, TryStreamExt};
use httpmock::MockServer;
use opencx_api::mock::MockServerExt;
use opencx_api::pagination::CursorPage;
use opencx_api::prelude::*;
use opencx_api::Error;
use opencx_tests::fixtures::{
    api_error, filter_page, filter_request, history_list, message, session, session_filters,
    session_list,
};
use opencx_tests::run;

fn client(server: &MockServer) -> Client {
    opencx_tests::client_without_retries(&server.base_url())
}

fn ids(sessions: &[Session]) -> Vec<i64> {
    sessions.iter().map(|s| s.ticket_number).collect()
}

fn since() -> chrono::DateTime<chrono::Utc> {
    "2024-05-01T00:00:00Z".parse().unwrap()
}

/// The listing [`three_session_pages`] answers: open WhatsApp sessions since [`since`].
fn filtered_sessions(client: &Client) -> opencx_api::builder::ListChatSessions<'_> {
    client
        .list_chat_sessions()
        .status(SessionStatus::Open)
        .channel_type(SessionChannel::Whatsapp)
        .created_after(since())
}

/// Three cursor pages; every one must carry the caller's filters.
fn three_session_pages(server: &MockServer) -> [httpmock::Mock<'_>; 3] {
    let since = since();
    let filtered = move |when: opencx_api::mock::operations::ListChatSessionsWhen| {
        when.status(SessionStatus::Open)
            .channel_type(SessionChannel::Whatsapp)
            .created_after(&since)
    };
    [
        server.list_chat_sessions(|when, then| {
            filtered(when).cursor(None);
            then.ok(&session_list(vec![session(1), session(2)], Some("c2")));
        }),
        server.list_chat_sessions(|when, then| {
            filtered(when).cursor("c2");
            then.ok(&session_list(vec![session(3)], Some("c3")));
        }),
        server.list_chat_sessions(|when, then| {
            filtered(when).cursor("c3");
            then.ok(&session_list(vec![session(4)], None));
        }),
    ]
}

#[test]
fn a_session_stream_yields_every_page_in_order_with_every_filter() {
    let server = MockServer::start();
    let pages = three_session_pages(&server);
    let client = client(&server);
    let sessions: Vec<Session> = run(filtered_sessions(&client).stream().try_collect()).unwrap();
    assert_eq!(ids(&sessions), [1, 2, 3, 4]);
    for page in pages {
        page.assert_calls(1);
    }
}

#[test]
fn pages_expose_the_cursor_to_resume_from_and_a_builder_resumes_there() {
    let server = MockServer::start();
    let [first, second, third] = three_session_pages(&server);
    let client = client(&server);
    let filtered = || filtered_sessions(&client);
    let (pages, resumed) = run(async {
        let pages: Vec<CursorPage<Session>> = filtered().pages().try_collect().await.unwrap();
        // An export that stopped after the first page restarts from its cursor.
        let resume_from = pages[0].next_cursor.clone().unwrap();
        let resumed: Vec<Session> = filtered()
            .cursor(resume_from)
            .stream()
            .try_collect()
            .await
            .unwrap();
        (pages, resumed)
    });
    let cursors: Vec<Option<&str>> = pages.iter().map(|p| p.next_cursor.as_deref()).collect();
    assert_eq!(cursors, [Some("c2"), Some("c3"), None]);
    assert_eq!(
        pages.iter().map(|p| p.items.len()).collect::<Vec<_>>(),
        [2, 1, 1]
    );
    assert_eq!(ids(&resumed), [3, 4]);
    first.assert_calls(1);
    second.assert_calls(2);
    third.assert_calls(2);
}

#[test]
fn streams_are_lazy_and_fetch_one_page_at_a_time() {
    let server = MockServer::start();
    let [first, second, _] = three_session_pages(&server);
    let client = client(&server);
    run(async {
        let mut stream = filtered_sessions(&client).stream();
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        assert_eq!(
            first.calls_async().await,
            0,
            "a request was sent before the stream was polled"
        );
        assert_eq!(ids(&[stream.try_next().await.unwrap().unwrap()]), [1]);
        assert_eq!(ids(&[stream.try_next().await.unwrap().unwrap()]), [2]);
        assert_eq!(
            (first.calls_async().await, second.calls_async().await),
            (1, 0),
            "fetched ahead"
        );
        assert_eq!(ids(&[stream.try_next().await.unwrap().unwrap()]), [3]);
        assert_eq!(second.calls_async().await, 1);
    });
}

#[test]
fn an_empty_page_ends_the_stream_even_with_a_cursor() {
    let server = MockServer::start();
    server.list_chat_sessions(|when, then| {
        when.cursor(None);
        then.ok(&session_list(vec![session(1)], Some("c2")));
    });
    server.list_chat_sessions(|when, then| {
        when.cursor("c2");
        then.ok(&session_list(vec![], Some("c3")));
    });
    let after = server.list_chat_sessions(|when, then| {
        when.cursor("c3");
        then.ok(&session_list(vec![session(9)], None));
    });
    let client = client(&server);
    let sessions: Vec<Session> = run(client.list_chat_sessions().stream().try_collect()).unwrap();
    assert_eq!(ids(&sessions), [1]);
    after.assert_calls(0);
}

#[test]
fn a_cursor_returned_twice_ends_the_stream_with_an_error() {
    let server = MockServer::start();
    server.list_chat_sessions(|when, then| {
        when.cursor(None);
        then.ok(&session_list(vec![session(1)], Some("c2")));
    });
    let stuck = server.list_chat_sessions(|when, then| {
        when.cursor("c2");
        then.ok(&session_list(vec![session(2)], Some("c2")));
    });
    let client = client(&server);
    let results: Vec<Result<Session, Error>> = run(client.list_chat_sessions().stream().collect());
    assert_eq!(results.len(), 3, "{results:?}");
    assert_eq!(results[0].as_ref().unwrap().ticket_number, 1);
    assert_eq!(
        results[1].as_ref().unwrap().ticket_number,
        2,
        "the page that repeated the cursor is still yielded"
    );
    assert!(
        matches!(&results[2], Err(Error::Pagination(m)) if m.contains("\"c2\"")),
        "{results:?}"
    );
    stuck.assert_calls(1);
}

#[test]
fn an_error_is_yielded_once_and_ends_the_stream() {
    let server = MockServer::start();
    server.list_chat_sessions(|when, then| {
        when.cursor(None);
        then.ok(&session_list(vec![session(1), session(2)], Some("c2")));
    });
    let failing = server.list_chat_sessions(|when, then| {
        when.cursor("c2");
        then.internal_server_error(&api_error(500, "boom"));
    });
    let client = client(&server);
    let results: Vec<Result<Session, Error>> = run(client.list_chat_sessions().stream().collect());
    assert_eq!(results.len(), 3, "{results:?}");
    assert!(results[..2].iter().all(Result::is_ok));
    assert!(
        matches!(&results[2], Err(Error::Api { status, .. }) if status.as_u16() == 500),
        "{results:?}"
    );
    failing.assert_calls(1);
}

#[test]
fn history_streams_follow_cursors_within_one_session() {
    let server = MockServer::start();
    let first = server.list_chat_history(|when, then| {
        when.session_id("s-1").cursor(None);
        then.ok(&history_list(
            vec![message(1, "hello"), message(2, "anyone?")],
            Some("h2"),
        ));
    });
    let second = server.list_chat_history(|when, then| {
        when.session_id("s-1").cursor("h2");
        then.ok(&history_list(vec![message(3, "thanks")], None));
    });
    let client = client(&server);
    let entries: Vec<ChatHistoryEntry> = run(client
        .list_chat_history()
        .session_id("s-1")
        .stream()
        .try_collect())
    .unwrap();
    let texts: Vec<&str> = entries
        .iter()
        .map(|e| match &e.event {
            ChatEvent::Message { content, .. } => content.text.as_str(),
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    assert_eq!(texts, ["hello", "anyone?", "thanks"]);
    first.assert_calls(1);
    second.assert_calls(1);
}

fn angry() -> SessionFilters {
    session_filters(|f| {
        f.sentiment = vec![Sentiment::Angry];
        f.tags = vec!["vip".into()];
    })
}

/// The exact body the filter stream must send for `page` (None: the caller's first page).
fn filter_body(page: Option<u64>, limit: u64) -> SessionFilterRequest {
    let mut body = filter_request(angry());
    body.limit = Some(limit);
    body.page = page;
    body
}

#[test]
fn the_filter_stream_sends_the_body_on_every_page_and_asks_for_100() {
    let server = MockServer::start();
    let mocks = [
        server.filter_chat_sessions(|when, then| {
            when.body(&filter_body(None, 100));
            then.ok(&filter_page(1, 100, true, vec![session(1), session(2)]));
        }),
        server.filter_chat_sessions(|when, then| {
            when.body(&filter_body(Some(2), 100));
            then.ok(&filter_page(2, 100, true, vec![session(3)]));
        }),
        server.filter_chat_sessions(|when, then| {
            when.body(&filter_body(Some(3), 100));
            then.ok(&filter_page(3, 100, false, vec![session(4)]));
        }),
    ];
    let client = client(&server);
    let sessions: Vec<Session> = run(client
        .filter_chat_sessions()
        .body_map(|b| b.filters(angry()))
        .stream()
        .try_collect())
    .unwrap();
    assert_eq!(ids(&sessions), [1, 2, 3, 4]);
    for mock in mocks {
        mock.assert_calls(1);
    }
}

#[test]
fn the_filter_stream_keeps_the_callers_limit_and_resumes_from_a_page() {
    let server = MockServer::start();
    let third = server.filter_chat_sessions(|when, then| {
        when.body(&filter_body(Some(3), 10));
        then.ok(&filter_page(3, 10, true, vec![session(21)]));
    });
    let fourth = server.filter_chat_sessions(|when, then| {
        when.body(&filter_body(Some(4), 10));
        then.ok(&filter_page(4, 10, false, vec![session(31)]));
    });
    let client = client(&server);
    let pages: Vec<NumberedPageOf> = run(client
        .filter_chat_sessions()
        .body_map(|b| b.filters(angry()).limit(Some(10)).page(Some(3)))
        .pages()
        .try_collect())
    .unwrap();
    assert_eq!(
        pages
            .iter()
            .map(|p| (p.page, p.next_page()))
            .collect::<Vec<_>>(),
        [(3, Some(4)), (4, None)]
    );
    third.assert_calls(1);
    fourth.assert_calls(1);
}

type NumberedPageOf = opencx_api::pagination::NumberedPage<Session>;

#[test]
fn the_filter_stream_ends_on_an_empty_page() {
    let server = MockServer::start();
    server.filter_chat_sessions(|when, then| {
        when.body(&filter_body(None, 100));
        then.ok(&filter_page(1, 100, true, vec![]));
    });
    let next = server.filter_chat_sessions(|when, then| {
        when.body(&filter_body(Some(2), 100));
        then.ok(&filter_page(2, 100, false, vec![session(1)]));
    });
    let client = client(&server);
    let sessions: Vec<Session> = run(client
        .filter_chat_sessions()
        .body_map(|b| b.filters(angry()))
        .stream()
        .try_collect())
    .unwrap();
    assert!(sessions.is_empty());
    next.assert_calls(0);
}

#[test]
fn a_page_number_that_does_not_advance_ends_the_filter_stream_with_an_error() {
    let server = MockServer::start();
    server.filter_chat_sessions(|when, then| {
        when.body(&filter_body(None, 100));
        then.ok(&filter_page(1, 100, true, vec![session(1)]));
    });
    let stuck = server.filter_chat_sessions(|when, then| {
        when.body(&filter_body(Some(2), 100));
        // The server ignores `page` and answers the first page again.
        then.ok(&filter_page(1, 100, true, vec![session(1)]));
    });
    let client = client(&server);
    let results: Vec<Result<Session, Error>> = run(client
        .filter_chat_sessions()
        .body_map(|b| b.filters(angry()))
        .stream()
        .collect());
    assert_eq!(results.len(), 2, "{results:?}");
    assert!(
        matches!(&results[1], Err(Error::Pagination(m)) if m.contains("page 1 after page 1")),
        "{results:?}"
    );
    stuck.assert_calls(1);
}
