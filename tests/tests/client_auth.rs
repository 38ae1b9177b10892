//! Construction and auth: every request carries the bearer token, and the token
//! never shows in Debug output or errors.

use std::time::Duration;

use httpmock::MockServer;
use opencx_api::error::ConfigError;
use opencx_api::mock::MockServerExt;
use opencx_api::types::SessionFilterRequest;
use opencx_api::{Client, Error};
use opencx_tests::{fixtures, run};

const TOKEN: &str = "sk-live-0123456789abcdef";

#[test]
fn every_operation_sends_the_bearer_token() {
    let server = MockServer::start();
    let auth = format!("Bearer {TOKEN}");
    let list = server.list_chat_sessions(|when, then| {
        when.into_inner().header("authorization", &auth);
        then.ok(&fixtures::session_list(vec![fixtures::session(1)], None));
    });
    let get = server.get_chat_session(|when, then| {
        when.session_id("s1")
            .into_inner()
            .header("authorization", &auth);
        then.ok(&fixtures::session(1));
    });
    let history = server.list_chat_history(|when, then| {
        when.session_id("s1")
            .into_inner()
            .header("authorization", &auth);
        then.ok(&fixtures::history_list(vec![], None));
    });
    let filter = server.filter_chat_sessions(|when, then| {
        when.into_inner().header("authorization", &auth);
        then.ok(&fixtures::filter_page(1, 25, false, vec![]));
    });
    let client = Client::with_bearer_token(server.base_url(), TOKEN).unwrap();
    run(async {
        client.list_chat_sessions().send().await.unwrap();
        client
            .get_chat_session()
            .session_id("s1")
            .send()
            .await
            .unwrap();
        client
            .list_chat_history()
            .session_id("s1")
            .send()
            .await
            .unwrap();
        client
            .filter_chat_sessions()
            .body(SessionFilterRequest::default())
            .send()
            .await
            .unwrap();
    });
    for mock in [list, get, history, filter] {
        mock.assert_calls(1);
    }
}

#[test]
fn the_default_user_agent_names_the_crate() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        assert!(opencx_api::config::USER_AGENT.starts_with("opencx-api/0."));
        when.header("user-agent", opencx_api::config::USER_AGENT);
        then.status(200).json_body(fixtures::session_json(1));
    });
    let client = Client::with_bearer_token(server.base_url(), TOKEN).unwrap();
    run(async {
        client
            .get_chat_session()
            .session_id("s1")
            .send()
            .await
            .unwrap()
    });
    mock.assert_calls(1);
}

#[test]
fn the_builder_sets_user_agent_and_timeout() {
    let server = MockServer::start();
    let slow = server.mock(|when, then| {
        when.header("user-agent", "my-app/2.0");
        then.status(200)
            .json_body(fixtures::session_json(1))
            .delay(Duration::from_secs(3));
    });
    let client = Client::builder()
        .base_url(server.base_url())
        .bearer_token(TOKEN)
        .user_agent("my-app/2.0")
        .timeout(Duration::from_millis(200))
        .no_retries()
        .build()
        .unwrap();
    let error = run(async {
        client
            .get_chat_session()
            .session_id("s1")
            .send()
            .await
            .unwrap_err()
    });
    let error = error;
    assert!(
        matches!(
            &error,
            Error::Transport {
                kind: opencx_api::error::TransportKind::Timeout { .. },
                ..
            }
        ),
        "{error:?}"
    );
    slow.assert_calls(1);
}

#[test]
fn an_existing_reqwest_client_keeps_its_settings_and_gets_the_token() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.header("x-team", "billing")
            .header("authorization", format!("Bearer {TOKEN}"));
        then.status(200).json_body(fixtures::session_json(1));
    });
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-team", "billing".parse().unwrap());
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .unwrap();
    let client = Client::builder()
        .base_url(server.base_url())
        .bearer_token(TOKEN)
        .http_client(http)
        .build()
        .unwrap();
    run(async {
        client
            .get_chat_session()
            .session_id("s1")
            .send()
            .await
            .unwrap()
    });
    mock.assert_calls(1);
}

#[test]
fn the_token_never_shows_in_debug_output() {
    let client = Client::with_bearer_token("https://api.open.cx", TOKEN).unwrap();
    let builder = Client::builder().bearer_token(TOKEN);
    for text in [
        format!("{client:?}"),
        format!("{client:#?}"),
        format!("{builder:?}"),
    ] {
        assert!(!text.contains(TOKEN), "{text}");
        assert!(!text.contains("0123456789abcdef"), "{text}");
    }
    assert!(format!("{builder:?}").contains("<redacted>"));
}

#[test]
fn the_token_never_shows_in_errors() {
    let server = MockServer::start();
    server.get_chat_session(|when, then| {
        when.session_id("s1");
        then.internal_server_error(&fixtures::api_error(500, "boom"));
    });
    let client = Client::builder()
        .base_url(server.base_url())
        .bearer_token(TOKEN)
        .no_retries()
        .build()
        .unwrap();
    // Nothing listens on port 1 of loopback: a connection error.
    let unreachable = Client::builder()
        .base_url("http://127.0.0.1:1")
        .bearer_token(TOKEN)
        .no_retries()
        .build()
        .unwrap();
    let (api, transport) = run(async {
        (
            client
                .get_chat_session()
                .session_id("s1")
                .send()
                .await
                .unwrap_err(),
            unreachable
                .get_chat_session()
                .session_id("s1")
                .send()
                .await
                .unwrap_err(),
        )
    });
    let api = api;
    assert!(
        matches!(&api, Error::Api { status, .. } if status.as_u16() == 500),
        "{api:?}"
    );
    assert!(
        matches!(&transport, Error::Transport { .. }),
        "{transport:?}"
    );
    for text in [
        format!("{api}"),
        format!("{api:?}"),
        format!("{transport}"),
        format!("{transport:?}"),
    ] {
        assert!(!text.contains(TOKEN), "{text}");
    }
}

#[test]
fn empty_or_unsendable_tokens_and_bad_urls_are_clear_errors() {
    assert!(matches!(
        Client::with_bearer_token("https://api.open.cx", ""),
        Err(ConfigError::EmptyApiKey)
    ));
    assert!(matches!(
        Client::with_bearer_token("https://api.open.cx", "  \t"),
        Err(ConfigError::EmptyApiKey)
    ));
    assert!(matches!(
        Client::with_bearer_token("https://api.open.cx", "a\nb"),
        Err(ConfigError::InvalidApiKey)
    ));
    let bad = Client::with_bearer_token("api.open.cx", TOKEN).unwrap_err();
    assert!(matches!(bad, ConfigError::InvalidBaseUrl(_)));
    assert!(bad.to_string().contains("\"api.open.cx\""), "{bad}");
    let ok = Client::with_bearer_token("http://127.0.0.1:8080/", TOKEN).unwrap();
    assert_eq!(ok.baseurl(), "http://127.0.0.1:8080");
}

/// One test owns the process environment, so no other test races with it.
#[test]
fn from_env_reads_the_key_and_the_base_url() {
    std::env::remove_var("OPENCX_API_KEY");
    std::env::remove_var("OPENCX_BASE_URL");
    let missing = Client::from_env().unwrap_err();
    assert!(matches!(
        missing,
        ConfigError::MissingApiKey {
            variable: "OPENCX_API_KEY"
        }
    ));
    assert!(
        missing.to_string().contains("OPENCX_API_KEY is not set"),
        "{missing}"
    );

    std::env::set_var("OPENCX_API_KEY", "");
    assert!(matches!(Client::from_env(), Err(ConfigError::EmptyApiKey)));

    std::env::set_var("OPENCX_API_KEY", TOKEN);
    assert_eq!(Client::from_env().unwrap().baseurl(), "https://api.open.cx");

    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.path("/chat/sessions/s1")
            .header("authorization", format!("Bearer {TOKEN}"));
        then.status(200).json_body(fixtures::session_json(1));
    });
    std::env::set_var("OPENCX_BASE_URL", server.base_url());
    let client = Client::from_env().unwrap();
    std::env::remove_var("OPENCX_API_KEY");
    std::env::remove_var("OPENCX_BASE_URL");
    run(async {
        client
            .get_chat_session()
            .session_id("s1")
            .send()
            .await
            .unwrap()
    });
    mock.assert_calls(1);
}

/// The production URL in the crate is the one the vendored documents give.
#[test]
fn the_default_base_url_is_the_specs_server() {
    let spec = opencx_tests::openapi_json();
    assert_eq!(
        spec["servers"][0]["url"],
        opencx_api::config::DEFAULT_BASE_URL
    );
}
