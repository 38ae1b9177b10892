//! Pins the public names downstream code depends on. A renaming upstream (or in
//! the overlay) breaks this file at compile time, here rather than downstream.

use opencx_api::types::{
    AiClosureType, ApiError, Attachment, ChannelInfo, ChatEvent, ChatHistoryEntry, ChatHistoryList,
    ChatMessageSender, Contact, CsatSubmission, CustomDataValue, DateRange, Handoff,
    HandoffIntegration, Sentiment, Session, SessionChannel, SessionFilterPage,
    SessionFilterRequest, SessionFilters, SessionList, SessionSortField, SessionStatus, SortOrder,
    Team, TextContent, TicketingIdType, TicketingSystem, TicketingSystemName, WaitingOn,
};
use opencx_api::Client;
use opencx_tests::fixtures::session_filters;
use serde_json::json;

fn session_json() -> serde_json::Value {
    json!({
        "id": "3c90c3cc-0d44-4b50-8888-8dd25736052a",
        "status": "open",
        "ai_closure_type": "handed_off",
        "sentiment": "angry",
        "channel": {"type": "whatsapp"},
        "contact": {
            "id": "3c90c3cc-0d44-4b50-8888-8dd25736052b",
            "email": "jane@example.com",
            "phone_number": null,
            "name": "Jane",
            "custom_data": {"plan": "pro"},
            "created_at": "2024-01-01T00:00:00Z",
            "updated_at": "2024-01-02T00:00:00Z",
            "non_verified_name": null,
            "non_verified_email": null,
            "non_verified_custom_data": {"score": 3, "vip": true}
        },
        "team": {"id": "3c90c3cc-0d44-4b50-8888-8dd25736052c", "name": "Support"},
        "handoff": {"summary": "wants a refund", "sentiment": "angry"},
        "ticketing_system": {"name": "zendesk", "external_id": "42", "id_type": "ticket_id"},
        "custom_data": {"order": "A-1", "items": 2, "gift": false},
        "ticket_number": 123,
        "assist_mode": false,
        "created_at": "2024-01-01T00:00:00Z",
        "updated_at": "2024-01-02T00:00:00Z"
    })
}

#[test]
fn a_sessions_values_go_into_a_filter_without_conversion() {
    let session: Session = serde_json::from_value(session_json()).unwrap();
    let sentiment: Sentiment = session.sentiment.unwrap();
    let closure: AiClosureType = session.ai_closure_type.unwrap();
    let channel: SessionChannel = session.channel.type_;
    let handoff: Handoff = session.handoff.clone().unwrap();
    // The generated types are `#[non_exhaustive]`: downstream code builds them
    // from `Default` and assigns the public fields...
    let mut date = DateRange::default();
    date.from = Some(session.created_at);
    let mut filters = SessionFilters::default();
    filters.sentiment = vec![sentiment.clone(), handoff.sentiment.clone().unwrap()];
    filters.ai_closure = vec![closure.clone()];
    filters.channels = vec![channel.clone()];
    filters.ticket_number = Some(session.ticket_number);
    filters.date = Some(date);
    filters.waiting_on = Some(WaitingOn::HumanAgents);
    let mut request = SessionFilterRequest::default();
    request.filters = Some(filters);
    request.sort_by = Some(SessionSortField::CreatedAt);
    request.sort_order = Some(SortOrder::Desc);
    request.page = Some(1);
    request.limit = Some(100);
    // ...or uses the builders, which take the same values.
    let built: SessionFilterRequest = SessionFilterRequest::builder()
        .filters(Some(
            SessionFilters::builder()
                .sentiment(vec![sentiment, handoff.sentiment.unwrap()])
                .ai_closure(vec![closure])
                .channels(vec![channel.clone()])
                .ticket_number(Some(session.ticket_number))
                .date(Some(
                    DateRange::builder()
                        .from(Some(session.created_at))
                        .try_into()
                        .unwrap(),
                ))
                .waiting_on(Some(WaitingOn::HumanAgents))
                .try_into()
                .unwrap(),
        ))
        .sort_by(Some(SessionSortField::CreatedAt))
        .sort_order(Some(SortOrder::Desc))
        .page(Some(1))
        .limit(Some(100))
        .try_into()
        .unwrap();
    let body = serde_json::to_value(&request).unwrap();
    assert_eq!(serde_json::to_value(&built).unwrap(), body);
    assert_eq!(body["filters"]["sentiment"], json!(["angry", "angry"]));
    assert_eq!(body["filters"]["ai_closure"], json!(["handed_off"]));
    assert_eq!(body["filters"]["channels"], json!(["whatsapp"]));
    assert_eq!(body["filters"]["ticket_number"], json!(123));
    assert_eq!(body["limit"], json!(100));

    // The list endpoint's status filter takes the session's own status type.
    let client = Client::with_bearer_token("http://127.0.0.1:1", "sk-test").unwrap();
    let _builder = client
        .list_chat_sessions()
        .status(session.status)
        .channel_type(channel);
}

#[test]
fn nested_session_parts_have_their_own_names() {
    let session: Session = serde_json::from_value(session_json()).unwrap();
    let contact: Contact = session.contact.unwrap();
    let team: Team = session.team.unwrap();
    let ticketing: TicketingSystem = session.ticketing_system.unwrap();
    let _: ChannelInfo = session.channel;
    let _: SessionStatus = session.status;
    assert_eq!(team.name, "Support");
    assert!(matches!(ticketing.name, TicketingSystemName::Zendesk));
    assert!(matches!(ticketing.id_type, TicketingIdType::TicketId));
    assert!(matches!(session.custom_data["items"], CustomDataValue::Number(n) if n == 2.0));
    assert!(matches!(
        contact.non_verified_custom_data.unwrap()["vip"],
        CustomDataValue::Boolean(true)
    ));
    let id: uuid::Uuid = session.id;
    assert_eq!(id.to_string(), "3c90c3cc-0d44-4b50-8888-8dd25736052a");
}

#[test]
fn history_events_are_one_enum_with_a_variant_per_type() {
    let page: ChatHistoryList = serde_json::from_value(json!({
        "items": [
            {"id": "3c90c3cc-0d44-4b50-8888-8dd25736052a", "created_at": "2024-01-01T00:00:00Z",
             "event": {"type": "message", "sender": {"type": "contact", "name": "Jane"},
                       "content": {"type": "text", "text": "hi"}, "attachments": [
                           {"id": "a1", "name": "x.png", "size": 12, "type": "image/png", "url": "https://example.com/x.png"}]}},
            {"id": "3c90c3cc-0d44-4b50-8888-8dd25736052b", "created_at": "2024-01-01T00:01:00Z",
             "event": {"type": "human_agent_comment", "human_agent_id": 7,
                       "content": {"type": "text", "text": "note"}, "comment_thread_id": null}},
            {"id": "3c90c3cc-0d44-4b50-8888-8dd25736052c", "created_at": "2024-01-01T00:02:00Z",
             "event": {"type": "handoff", "integration": {"type": "salesforce-miaw"}}},
            {"id": "3c90c3cc-0d44-4b50-8888-8dd25736052d", "created_at": "2024-01-01T00:03:00Z",
             "event": {"type": "csat_submitted", "payload": {"score": 4.5, "feedback": null}}},
            {"id": "3c90c3cc-0d44-4b50-8888-8dd25736052e", "created_at": "2024-01-01T00:04:00Z",
             "event": {"type": "closed_resolved_by_agent"}}
        ],
        "next": null
    }))
    .unwrap();
    let entries: Vec<ChatHistoryEntry> = page.items;
    let texts: Vec<&TextContent> = entries
        .iter()
        .filter_map(|e| match &e.event {
            ChatEvent::Message {
                content,
                sender: ChatMessageSender::Contact { .. },
                attachments,
                ..
            } => {
                let a: &Attachment = &attachments[0];
                assert_eq!(a.size, 12u64);
                Some(content)
            }
            ChatEvent::HumanAgentComment {
                content,
                human_agent_id,
                ..
            } => {
                assert_eq!(*human_agent_id, 7i64);
                Some(content)
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        texts.iter().map(|t| t.text.as_str()).collect::<Vec<_>>(),
        ["hi", "note"]
    );
    assert!(matches!(
        &entries[2].event,
        ChatEvent::Handoff {
            integration: Some(HandoffIntegration { .. })
        }
    ));
    assert!(
        matches!(&entries[3].event, ChatEvent::CsatSubmitted { payload: CsatSubmission { score, .. } } if *score == 4.5)
    );
    assert!(matches!(entries[4].event, ChatEvent::ClosedResolvedByAgent));
}

#[test]
fn list_filter_and_error_types_are_named() {
    let list: SessionList =
        serde_json::from_value(json!({"items": [session_json()], "next": "c2"})).unwrap();
    assert_eq!(list.next.as_deref(), Some("c2"));
    let page: SessionFilterPage = serde_json::from_value(json!({
        "data": [session_json()], "page": 2, "limit": 100, "has_next": true, "has_previous": true
    }))
    .unwrap();
    assert_eq!((page.page, page.limit), (2u64, 100u64));
    let error: ApiError = serde_json::from_value(
        json!({"statusCode": 404, "message": "not found", "error": "Not Found"}),
    )
    .unwrap();
    assert_eq!(error.status_code, Some(404));
}

#[test]
fn list_timestamps_take_chrono_values() {
    let client = Client::with_bearer_token("http://127.0.0.1:1", "sk-test").unwrap();
    let since: chrono::DateTime<chrono::Utc> = "2024-01-01T00:00:00Z".parse().unwrap();
    let _builder = client
        .list_chat_sessions()
        .created_after(since)
        .updated_before(since);
}

/// Every event type the vendored history document defines is a `ChatEvent`
/// variant: the union became one enum, not a struct of options.
#[test]
fn every_upstream_event_type_is_a_variant() {
    let spec =
        std::fs::read_to_string(opencx_tests::workspace_root().join("opencx-api/openapi.json"))
            .unwrap();
    let spec: serde_json::Value = serde_json::from_str(&spec).unwrap();
    let variants = spec["components"]["schemas"]["ChatEvent"]["oneOf"]
        .as_array()
        .unwrap();
    assert!(variants.len() >= 30, "{} variants", variants.len());
    for variant in variants {
        let tag = &variant["properties"]["type"]["enum"][0];
        // Only the tag: variants with required fields must refuse it, the rest accept it.
        let required = variant["required"].as_array().unwrap().len();
        let parsed = serde_json::from_value::<ChatEvent>(json!({"type": tag}));
        assert_eq!(
            parsed.is_ok(),
            required == 1,
            "event type {tag}: {parsed:?}"
        );
    }
}

/// "empty array = unassigned": an empty list is sent, an absent one is not.
#[test]
fn an_empty_assignee_filter_is_sent_and_an_absent_one_is_not() {
    let unassigned = session_filters(|f| f.assignees = Some(vec![]));
    assert_eq!(
        serde_json::to_value(&unassigned).unwrap(),
        json!({"assignees": []})
    );
    let any = SessionFilters::default();
    assert_eq!(serde_json::to_value(&any).unwrap(), json!({}));
    let some = session_filters(|f| f.assignees = Some(vec![7, 9]));
    assert_eq!(
        serde_json::to_value(&some).unwrap(),
        json!({"assignees": [7, 9]})
    );
}
