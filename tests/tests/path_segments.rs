//! A session id stays inside its path segment, whatever it holds. The request
//! line is read off the wire by a one-shot loopback listener, so what is
//! checked is exactly what a server would see.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::thread::JoinHandle;

use opencx_api::{Client, Error};
use opencx_tests::{fixtures, run};

/// Accepts one connection on 127.0.0.1, answers 200 with `body`, and returns
/// the request line it received.
fn one_request(body: String) -> (String, JoinHandle<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut request_line = String::new();
        reader.read_line(&mut request_line).unwrap();
        let mut line = String::new();
        while reader.read_line(&mut line).unwrap() > 2 {
            line.clear();
        }
        let mut stream = stream;
        write!(
            stream,
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        request_line.trim_end().to_string()
    });
    (url, handle)
}

fn client(url: &str) -> Client {
    Client::builder()
        .base_url(url)
        .bearer_token("sk-test")
        .no_retries()
        .no_rate_limit()
        .build()
        .unwrap()
}

#[test]
fn reserved_characters_are_percent_encoded_in_the_segment() {
    for (id, path) in [
        ("a/b", "/chat/sessions/a%2Fb"),
        ("../../admin", "/chat/sessions/..%2F..%2Fadmin"),
        ("x?admin=1", "/chat/sessions/x%3Fadmin%3D1"),
        // URL parsing reads `\` as `/` in http paths: it must not reach it raw.
        ("a\\history", "/chat/sessions/a%5Chistory"),
        ("a\\..", "/chat/sessions/a%5C.."),
        // OpenAPI's `simple` style encodes sub-delimiters (a `,` reads as a list).
        (
            "'7i!T,P;K(n)*+&$:",
            "/chat/sessions/%277i%21T%2CP%3BK%28n%29%2A%2B%26%24%3A",
        ),
        ("y#frag", "/chat/sessions/y%23frag"),
        ("50%", "/chat/sessions/50%25"),
        ("a..b", "/chat/sessions/a..b"),
    ] {
        let (url, server) = one_request(fixtures::session_json(1).to_string());
        run(client(&url).get_chat_session().session_id(id).send()).unwrap();
        assert_eq!(
            server.join().unwrap(),
            format!("GET {path} HTTP/1.1"),
            "session id {id:?}"
        );
    }
}

#[test]
fn the_history_path_keeps_its_suffix() {
    let (url, server) = one_request(r#"{"items": [], "next": null}"#.to_string());
    run(client(&url)
        .list_chat_history()
        .session_id("../x?y#z")
        .send())
    .unwrap();
    assert_eq!(
        server.join().unwrap(),
        "GET /chat/sessions/..%2Fx%3Fy%23z/history HTTP/1.1"
    );
}

#[test]
fn dot_segments_and_empty_ids_are_refused_before_sending() {
    // URL parsing resolves `.` and `..` (even percent-encoded) and an empty
    // segment addresses another endpoint, so nothing may be sent for them.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    for id in [".", "..", ""] {
        let error = run(client(&url).get_chat_session().session_id(id).send()).unwrap_err();
        assert!(
            matches!(error, Error::InvalidRequest { .. }),
            "session id {id:?}"
        );
        let error = run(client(&url).list_chat_history().session_id(id).send()).unwrap_err();
        assert!(
            matches!(error, Error::InvalidRequest { .. }),
            "session id {id:?}"
        );
    }
    assert!(listener.accept().is_err(), "a request was sent");
}
