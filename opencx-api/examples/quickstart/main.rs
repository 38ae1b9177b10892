//! Quickstart: list open sessions, fetch one, stream its history, run a filter.
//!
//! ```sh
//! cargo run -p opencx-api --example quickstart                  # embedded mock OpenCX
//! OPENCX_API_KEY=sk-... cargo run -p opencx-api --example quickstart   # the real API
//! ```

mod mock_opencx;

use futures::{StreamExt, TryStreamExt};
use opencx_api::prelude::*;

/// At most this many sessions are read from a real account.
const SAMPLE: usize = 20;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The mock is set up before the runtime starts: httpmock's blocking set-up
    // calls run a runtime of their own.
    let (client, server, _mock) = if std::env::var_os(opencx_api::config::API_KEY_ENV).is_some() {
        let client = Client::from_env()?;
        let server = format!("the OpenCX API at {}", client.baseurl());
        (client, server, None)
    } else {
        let mock = mock_opencx::start();
        let client = Client::with_bearer_token(mock.base_url(), mock_opencx::DEMO_KEY)?;
        let server = format!(
            "an embedded mock OpenCX at {} (set {} to use the real API)",
            client.baseurl(),
            opencx_api::config::API_KEY_ENV
        );
        (client, server, Some(mock))
    };
    println!("Using {server}\n");
    tokio::runtime::Runtime::new()?.block_on(tour(&client))
}

async fn tour(client: &Client) -> Result<(), Box<dyn std::error::Error>> {
    // 1. Open sessions, across as many pages as it takes.
    let open: Vec<Session> = client
        .list_chat_sessions()
        .status(SessionStatus::Open)
        .stream()
        .take(SAMPLE)
        .try_collect()
        .await?;
    println!("{} open sessions:", open.len());
    for s in &open {
        let who = s
            .contact
            .as_ref()
            .and_then(|c| c.name.clone())
            .unwrap_or_else(|| "unknown contact".into());
        println!(
            "  #{:<5} {:<12} {:<8} {who}",
            s.ticket_number,
            s.channel.type_.to_string(),
            sentiment(s)
        );
    }
    let Some(first) = open.first() else {
        println!("no open sessions: nothing more to show");
        return Ok(());
    };

    // 2. One session by id.
    let session = client
        .get_chat_session()
        .session_id(first.id.to_string())
        .send()
        .await?;
    println!(
        "\nSession #{} ({}) was created {}",
        session.ticket_number, session.id, session.created_at
    );

    // 3. Its history, as one stream over every page.
    println!("History:");
    let mut history = client
        .list_chat_history()
        .session_id(session.id.to_string())
        .stream();
    while let Some(entry) = history.try_next().await? {
        println!(
            "  {} {}",
            entry.created_at.format("%H:%M"),
            describe(&entry.event)
        );
    }

    // 4. A filter: angry customers on any channel, newest first.
    let angry: Vec<Session> = client
        .filter_chat_sessions()
        .body_map(|body| {
            // Generated types are #[non_exhaustive]: start from the default.
            let mut filters = SessionFilters::default();
            filters.sentiment = vec![Sentiment::Angry];
            body.filters(filters)
                .sort_order(Some(opencx_api::types::SortOrder::Desc))
        })
        .stream()
        .take(SAMPLE)
        .try_collect()
        .await?;
    let tickets: Vec<String> = angry
        .iter()
        .map(|s| format!("#{}", s.ticket_number))
        .collect();
    println!(
        "\n{} sessions with angry customers: {}",
        angry.len(),
        tickets.join(", ")
    );
    Ok(())
}

fn sentiment(session: &Session) -> String {
    session
        .sentiment
        .as_ref()
        .map_or_else(|| "-".to_string(), |s| s.to_string())
}

fn describe(event: &ChatEvent) -> String {
    use opencx_api::types::ChatMessageSender as Sender;
    match event {
        ChatEvent::Message {
            sender, content, ..
        } => {
            let from = match sender {
                Sender::Contact { name } => name.clone().unwrap_or_else(|| "contact".into()),
                Sender::Ai { .. } => "AI agent".into(),
                Sender::HumanAgent { name } => name.clone().unwrap_or_else(|| "agent".into()),
                // A sender type newer than this crate.
                Sender::Unknown(raw) => format!("{:?}", raw.get("type")),
                // Variants a later version of this crate may add.
                _ => "someone".into(),
            };
            format!("{from}: {}", content.text)
        }
        ChatEvent::Handoff { .. } => "handed off to a human".into(),
        ChatEvent::HumanAgentJoined { human_agent_id } => format!("agent {human_agent_id} joined"),
        ChatEvent::HumanAgentComment { content, .. } => format!("internal note: {}", content.text),
        ChatEvent::CsatSubmitted { payload } => format!("CSAT {}", payload.score),
        other => format!("{other:?}"),
    }
}
