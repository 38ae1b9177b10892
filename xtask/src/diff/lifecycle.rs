//! Where a change leaves an operation, a parameter or a property in its
//! lifecycle: deprecated (upstream's `deprecated: true` appears), reactivated
//! (it goes), or removed, after a deprecation or without one, as oasdiff's
//! rules tell them apart (`api-removed-with-deprecation`,
//! `api-removed-without-deprecation`, `api-removed-before-sunset` and the
//! same for parameters and properties). A removal is before its sunset when
//! the item carried an `x-sunset` date (oasdiff's extension: `2026-12-31`
//! or an RFC 3339 time) that has not come yet.

use chrono::{NaiveDate, Utc};
use serde::Serialize;
use serde_json::Value;

/// A change's place in the lifecycle of what it changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Lifecycle {
    /// Upstream marked it `deprecated: true`.
    Deprecated,
    /// Upstream took `deprecated: true` away again.
    Reactivated,
    /// Removed after it was deprecated (and after its sunset date, if any).
    RemovedAfterDeprecation,
    /// Removed while deprecated, before the sunset date it announced.
    RemovedBeforeSunset,
    /// Removed without being deprecated first.
    RemovedWithoutDeprecation,
}

/// Removals oasdiff names without a suffix although they are the "without
/// deprecation" case (it kept the older ids for compatibility).
const REMOVED_WITHOUT_DEPRECATION: &[&str] = &[
    "api-removed-without-deprecation",
    "request-parameter-removed",
    "request-property-removed",
    "response-required-property-removed",
    "response-optional-property-removed",
];

impl Lifecycle {
    /// The lifecycle a rule id stands for, if any.
    ///
    /// ```
    /// use xtask::diff::Lifecycle;
    /// assert_eq!(Lifecycle::of_rule("api-removed-with-deprecation"), Some(Lifecycle::RemovedAfterDeprecation));
    /// assert_eq!(Lifecycle::of_rule("request-parameter-removed"), Some(Lifecycle::RemovedWithoutDeprecation));
    /// assert_eq!(Lifecycle::of_rule("endpoint-added"), None);
    /// ```
    pub fn of_rule(rule: &str) -> Option<Self> {
        if rule.ends_with("-deprecated") {
            Some(Lifecycle::Deprecated)
        } else if rule.ends_with("-reactivated") {
            Some(Lifecycle::Reactivated)
        } else if rule.ends_with("-removed-with-deprecation") {
            Some(Lifecycle::RemovedAfterDeprecation)
        } else if rule.ends_with("-removed-before-sunset") {
            Some(Lifecycle::RemovedBeforeSunset)
        } else if REMOVED_WITHOUT_DEPRECATION.contains(&rule) {
            Some(Lifecycle::RemovedWithoutDeprecation)
        } else {
            None
        }
    }
}

/// How something that is gone went: its rule id and the words for it.
pub(super) struct Removal {
    /// The rule id.
    pub rule: String,
    /// `removed after deprecation`, `removed without deprecation`, `removed
    /// before its sunset date 2026-12-31`.
    pub removed: String,
}

/// How `before` (the operation, parameter or property schema as it was) was
/// removed, today: `without` is the rule id of a removal without
/// deprecation, `stem` the one the `-with-deprecation` and
/// `-before-sunset` ids are built on (`api-removed`,
/// `request-parameter-removed`).
pub(super) fn removal(before: &Value, without: &str, stem: &str) -> Removal {
    removal_on(before, without, stem, Utc::now().date_naive())
}

fn removal_on(before: &Value, without: &str, stem: &str, today: NaiveDate) -> Removal {
    if !is_deprecated(before) {
        return Removal {
            rule: without.to_string(),
            removed: "removed without deprecation".into(),
        };
    }
    match sunset(before).filter(|date| *date > today) {
        Some(date) => Removal {
            rule: format!("{stem}-before-sunset"),
            removed: format!("removed before its sunset date {date}"),
        },
        None => Removal {
            rule: format!("{stem}-with-deprecation"),
            removed: "removed after deprecation".into(),
        },
    }
}

/// `deprecated` or `reactivated` when `deprecated: true` appeared or went
/// from `before` to `now`, with the words for it.
pub(super) fn transition(before: &Value, now: &Value) -> Option<(&'static str, &'static str)> {
    match (is_deprecated(before), is_deprecated(now)) {
        (false, true) => Some(("deprecated", "deprecated")),
        (true, false) => Some(("reactivated", "no longer deprecated")),
        _ => None,
    }
}

/// Whether `value` says `deprecated: true`.
pub(super) fn is_deprecated(value: &Value) -> bool {
    value.get("deprecated") == Some(&Value::Bool(true))
}

/// The `x-sunset` date of `value`, when it has one that reads as a date.
fn sunset(value: &Value) -> Option<NaiveDate> {
    let text = value.get("x-sunset")?.as_str()?.trim();
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .or_else(|| {
            chrono::DateTime::parse_from_rfc3339(text)
                .ok()
                .map(|t| t.date_naive())
        })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_removal_is_told_by_the_deprecation_and_its_sunset() {
        let today = day("2026-06-01");
        let removal = |value: Value| {
            let r = removal_on(
                &value,
                "api-removed-without-deprecation",
                "api-removed",
                today,
            );
            (r.rule, r.removed)
        };
        let pair = |rule: &str, removed: &str| (rule.to_string(), removed.to_string());
        assert_eq!(
            removal(json!({})),
            pair(
                "api-removed-without-deprecation",
                "removed without deprecation"
            )
        );
        assert_eq!(
            removal(json!({"deprecated": false, "x-sunset": "2027-01-01"})),
            pair(
                "api-removed-without-deprecation",
                "removed without deprecation"
            )
        );
        assert_eq!(
            removal(json!({"deprecated": true})),
            pair("api-removed-with-deprecation", "removed after deprecation")
        );
        assert_eq!(
            removal(json!({"deprecated": true, "x-sunset": "2026-06-01"})),
            pair("api-removed-with-deprecation", "removed after deprecation")
        );
        assert_eq!(
            removal(json!({"deprecated": true, "x-sunset": "2026-06-02T00:00:00Z"})),
            pair(
                "api-removed-before-sunset",
                "removed before its sunset date 2026-06-02"
            )
        );
        assert_eq!(
            removal(json!({"deprecated": true, "x-sunset": "soon"})),
            pair("api-removed-with-deprecation", "removed after deprecation")
        );
    }

    #[test]
    fn every_removal_rule_has_its_lifecycle() {
        for (rule, lifecycle) in [
            ("endpoint-deprecated", Lifecycle::Deprecated),
            ("request-parameter-reactivated", Lifecycle::Reactivated),
            (
                "response-optional-property-removed-with-deprecation",
                Lifecycle::RemovedAfterDeprecation,
            ),
            (
                "request-property-removed-before-sunset",
                Lifecycle::RemovedBeforeSunset,
            ),
            (
                "response-required-property-removed",
                Lifecycle::RemovedWithoutDeprecation,
            ),
        ] {
            assert_eq!(Lifecycle::of_rule(rule), Some(lifecycle), "{rule}");
        }
        assert_eq!(Lifecycle::of_rule("type-removed"), None);
    }
}
