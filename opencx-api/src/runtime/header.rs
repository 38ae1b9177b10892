//! Header parameters spelled as OpenAPI's `style: simple` (the one style a
//! header has) and RFC 9110's lists say: a string as it is, a number or a
//! boolean as its text, a list's items joined by `,` (`X-Tags: a,b`), an
//! object's fields as `key,value,key,value`, or `key=value,key=value` with
//! `explode: true`; a null value is not sent at all.
//!
//! progenitor 0.15 sends a header parameter as `value.to_string()`
//! (oxidecomputer/progenitor#1067, which made non-string scalars compile),
//! which a list, an object or a nullable value (`Option<T>`) does not have,
//! so the client did not compile, and a timestamp went out as `Display`
//! writes it (`2024-05-01 00:00:00 UTC`), not as the document's `date-time`
//! (no upstream report of these yet). The codegen rewrites (`codegen/headers.rs`) make
//! the request call [`simple`] instead, and the typed mocks match with
//! [`text`], so both spell the value from its serde form, as the body and
//! the query do.
//!
//! Only clients of APIs with header parameters call it.
#![allow(dead_code)]

use reqwest::header::{HeaderName, HeaderValue};
use serde::Serialize;
use serde_json::Value;

/// The text header parameter `value` is sent as, `None` for null (the
/// header is left out: `style: simple` has no spelling for null).
///
/// # Errors
/// The value does not serialize (a map with keys that are not strings).
pub fn text<T: Serialize + ?Sized>(
    value: &T,
    explode: bool,
) -> Result<Option<String>, serde_json::Error> {
    Ok(match serde_json::to_value(value)? {
        Value::Null => None,
        Value::Array(items) => Some(
            items
                .iter()
                .filter_map(scalar)
                .collect::<Vec<_>>()
                .join(","),
        ),
        Value::Object(fields) => Some(
            fields
                .iter()
                .filter_map(|(key, value)| {
                    let value = scalar(value)?;
                    Some(if explode {
                        format!("{key}={value}")
                    } else {
                        format!("{key},{value}")
                    })
                })
                .collect::<Vec<_>>()
                .join(","),
        ),
        other => scalar(&other),
    })
}

/// A scalar's text; `None` for null. A list or an object inside a list or
/// an object, which `style: simple` does not spell, is sent as JSON.
fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(text) => Some(text.clone()),
        other => Some(other.to_string()),
    }
}

/// The header `name` with `value` as [`text`] spells it, for the generated
/// `send()` to append; `None` when the value is null and nothing is sent.
///
/// # Errors
/// A request error naming the header parameter, before anything is sent,
/// when the name is not a header name or the value holds what a header
/// cannot carry (a line break or another control character). The error type
/// is progenitor's, which the generated `send()` propagates with `?` (where
/// progenitor's `try_into()?` gave a bare "failed to parse header value").
#[allow(clippy::result_large_err)]
pub fn simple<T: Serialize + ?Sized>(
    name: &str,
    value: &T,
    explode: bool,
) -> Result<Option<(HeaderName, HeaderValue)>, progenitor_client::Error<()>> {
    let invalid = |why: String| {
        progenitor_client::Error::InvalidRequest(format!("header parameter `{name}`: {why}"))
    };
    let header = HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| invalid("the document's name is not an HTTP header name".into()))?;
    let Some(text) = text(value, explode).map_err(|e| invalid(format!("{e}")))? else {
        return Ok(None);
    };
    // The value itself is not quoted: it may be a secret.
    let value = HeaderValue::from_str(&text).map_err(|_| {
        invalid(
            "the value holds a character an HTTP header cannot carry (a line break or another \
             control character)"
                .into(),
        )
    })?;
    Ok(Some((header, value)))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde_json::json;

    use super::*;

    fn sent<T: Serialize + ?Sized>(value: &T, explode: bool) -> Option<String> {
        simple("X-Value", value, explode)
            .unwrap()
            .map(|(_, value)| value.to_str().unwrap().to_string())
    }

    #[test]
    fn each_kind_is_spelled_as_style_simple_says() {
        assert_eq!(sent("a b", false).as_deref(), Some("a b"));
        assert_eq!(sent(&7, false).as_deref(), Some("7"));
        assert_eq!(sent(&1.5, false).as_deref(), Some("1.5"));
        assert_eq!(sent(&true, false).as_deref(), Some("true"));
        assert_eq!(sent(&["a", "b"], false).as_deref(), Some("a,b"));
        assert_eq!(sent(&["a", "b"], true).as_deref(), Some("a,b"));
        assert_eq!(sent(&Vec::<i64>::new(), false).as_deref(), Some(""));
        let point = json!({"a": 1, "b": 2, "c": null});
        assert_eq!(sent(&point, false).as_deref(), Some("a,1,b,2"));
        assert_eq!(sent(&point, true).as_deref(), Some("a=1,b=2"));
        let map = BTreeMap::from([("k", "v")]);
        assert_eq!(sent(&map, true).as_deref(), Some("k=v"));
        // A timestamp in its serde form, RFC 3339, as the document's
        // `date-time` says (`Display` writes "2024-05-01 00:00:00 UTC").
        let at = chrono::DateTime::parse_from_rfc3339("2024-05-01T00:00:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        assert_eq!(sent(&at, false).as_deref(), Some("2024-05-01T00:00:00Z"));
        let day = chrono::NaiveDate::from_ymd_opt(2024, 5, 1).unwrap();
        assert_eq!(sent(&day, false).as_deref(), Some("2024-05-01"));
    }

    #[test]
    fn null_is_not_sent() {
        assert_eq!(sent(&None::<String>, false), None);
        assert_eq!(sent(&Some("x"), false).as_deref(), Some("x"));
        assert_eq!(sent(&json!(null), true), None);
    }

    #[test]
    fn a_value_a_header_cannot_carry_is_an_error_naming_the_parameter() {
        let error = simple("X-Trace", "a\nb", false).unwrap_err().to_string();
        assert!(error.contains("header parameter `X-Trace`"), "{error}");
        assert!(error.contains("cannot carry"), "{error}");
        assert!(!error.contains("a\nb"), "the value is not quoted: {error}");
        let error = simple("X Trace", "a", false).unwrap_err().to_string();
        assert!(error.contains("not an HTTP header name"), "{error}");
    }
}
