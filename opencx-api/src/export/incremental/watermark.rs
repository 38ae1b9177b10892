//! Where an incremental run starts, and what it must not export again.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Where an incremental export starts: sessions updated after [`after`](Self::after),
/// minus those already exported at their current `updated_at`.
///
/// The default (no `after`) exports everything: the first run. Each run's
/// [`Checkpoint::next_watermark`](crate::export::Checkpoint::next_watermark)
/// is the next run's; it comes from the server's timestamps only (see the
/// [module](super)). Serialized (a few dozen bytes, plus about 70 a session
/// in the overlap) as
/// `{"after":"2024-06-01T09:55:00Z","exported":{"3c90c3cc-...":"2024-06-01T10:00:00Z"}}`.
///
/// ```
/// use opencx_api::export::Watermark;
///
/// let first = Watermark::default();
/// assert_eq!(first.after(), None); // a full export
/// let saved = r#"{"after":"2024-06-01T09:55:00Z","exported":{"3c90c3cc-0d44-4b50-8888-000000000001":"2024-06-01T10:00:00Z"}}"#;
/// let next: Watermark = serde_json::from_str(saved).unwrap();
/// assert_eq!(next.after().unwrap().to_rfc3339(), "2024-06-01T09:55:00+00:00");
/// assert!(next.exported(&"3c90c3cc-0d44-4b50-8888-000000000001".parse().unwrap(), "2024-06-01T10:00:00Z".parse().unwrap()));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Watermark {
    /// The next listing's `updated_after`; `None` lists everything.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    after: Option<DateTime<Utc>>,
    /// The newest `updated_at` exported of each session whose `updated_at` is
    /// at or after `after`: the next listing may return them again.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    exported: BTreeMap<Uuid, DateTime<Utc>>,
}

impl Watermark {
    /// Starts from `after`, a time on the server's clock (the `updated_at`
    /// of the last session an earlier tool exported, say), with no session
    /// known as exported: a session updated exactly at `after` is exported
    /// again if the server's `updated_after` includes it.
    ///
    /// ```
    /// let resume = opencx_api::export::Watermark::new("2024-06-01T09:55:00Z".parse().unwrap());
    /// assert!(resume.after().is_some());
    /// ```
    pub fn new(after: DateTime<Utc>) -> Self {
        Self {
            after: Some(after),
            exported: BTreeMap::new(),
        }
    }

    /// The `updated_after` the run lists with; `None` for a full export.
    ///
    /// ```
    /// assert_eq!(opencx_api::export::Watermark::default().after(), None);
    /// ```
    pub fn after(&self) -> Option<DateTime<Utc>> {
        self.after
    }

    /// Whether session `id` was exported at `updated_at` or later by the
    /// runs that led here, so that exporting it again would repeat a record.
    /// Only sessions at or after [`after`](Self::after) are remembered.
    ///
    /// ```
    /// use opencx_api::export::Watermark;
    /// let id = "3c90c3cc-0d44-4b50-8888-000000000001".parse().unwrap();
    /// assert!(!Watermark::default().exported(&id, "2024-06-01T10:00:00Z".parse().unwrap()));
    /// ```
    pub fn exported(&self, id: &Uuid, updated_at: DateTime<Utc>) -> bool {
        self.exported.get(id).is_some_and(|&at| at >= updated_at)
    }

    /// How many sessions it remembers as exported at or after
    /// [`after`](Self::after).
    ///
    /// ```
    /// assert_eq!(opencx_api::export::Watermark::default().remembered(), 0);
    /// ```
    pub fn remembered(&self) -> usize {
        self.exported.len()
    }

    /// The watermark at `after`, remembering the sessions of `self` and of
    /// `more` whose newest exported `updated_at` is at or after it.
    pub(crate) fn advance(
        &self,
        after: Option<DateTime<Utc>>,
        more: &BTreeMap<Uuid, DateTime<Utc>>,
    ) -> Self {
        let mut exported = self.exported.clone();
        for (&id, &at) in more {
            let newest = exported.entry(id).or_insert(at);
            *newest = (*newest).max(at);
        }
        if let Some(after) = after {
            exported.retain(|_, at| *at >= after);
        }
        Self { after, exported }
    }
}
