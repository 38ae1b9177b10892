//! Arbitrary bytes and arbitrary JSON fed to every response type: parsing may
//! fail, but only with an error, never a panic.

use opencx_api::types::{
    ApiError, Attachment, ChatEvent, ChatHistoryEntry, ChatHistoryList, ChatMessageSender, Contact,
    Session, SessionFilterPage, SessionList,
};
use opencx_tests::fixtures::session_json;
use proptest::prelude::*;
use serde_json::Value;

/// Parses `bytes` as every response type; the results do not matter.
fn parse_all_bytes(bytes: &[u8]) {
    let _ = serde_json::from_slice::<Session>(bytes);
    let _ = serde_json::from_slice::<SessionList>(bytes);
    let _ = serde_json::from_slice::<SessionFilterPage>(bytes);
    let _ = serde_json::from_slice::<ChatHistoryList>(bytes);
    let _ = serde_json::from_slice::<ChatHistoryEntry>(bytes);
    let _ = serde_json::from_slice::<ChatEvent>(bytes);
    let _ = serde_json::from_slice::<ChatMessageSender>(bytes);
    let _ = serde_json::from_slice::<Contact>(bytes);
    let _ = serde_json::from_slice::<Attachment>(bytes);
    let _ = serde_json::from_slice::<ApiError>(bytes);
}

fn parse_all_values(value: &Value) {
    parse_all_bytes(value.to_string().as_bytes());
}

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        prop_oneof![
            ".*",
            Just("message".to_string()),
            Just("open".to_string()),
            Just("3c90c3cc-0d44-4b50-8888-8dd25736052a".to_string()),
            Just("2024-01-01T00:00:00Z".to_string()),
        ]
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::from),
            prop::collection::btree_map(
                prop_oneof![
                    "[a-z_]{1,12}",
                    Just("type".to_string()),
                    Just("items".to_string()),
                    Just("event".to_string()),
                    Just("next".to_string()),
                ],
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        parse_all_bytes(&bytes);
    }

    #[test]
    fn arbitrary_json_never_panics(value in any_json()) {
        parse_all_values(&value);
    }

    /// A valid session with one field replaced by anything: close to the real
    /// shape, so parsing goes deep before it fails.
    #[test]
    fn a_session_with_any_one_field_replaced_never_panics(field in "[a-z_]{2,16}|id|status|channel|contact|sentiment", value in any_json()) {
        let mut session = session_json(1);
        session[field.as_str()] = value.clone();
        parse_all_values(&session);
        let page = serde_json::json!({"items": [session], "next": null});
        parse_all_values(&page);
        let event = serde_json::json!({"id": "3c90c3cc-0d44-4b50-8888-8dd25736052a", "created_at": "2024-01-01T00:00:00Z", "event": {"type": "message", "sender": value, "content": {"type": "text", "text": "x"}, "attachments": []}});
        parse_all_values(&event);
    }
}
