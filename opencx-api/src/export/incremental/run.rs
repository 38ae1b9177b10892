//! What an incremental run has seen so far: enough, saved in its checkpoint,
//! to resume it and to set the next watermark from the server's timestamps.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{Watermark, OVERLAP};

/// One incremental run, from its watermark to the next.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ChangeRun {
    /// Where the run started; kept until it completes.
    since: Watermark,
    /// The server's time when the listing began: the `Date` of its first
    /// answer (or, without one, the newest `updated_at` on its first page,
    /// which cannot be later). Every change the listing may have missed is
    /// later than this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    listing_began: Option<DateTime<Utc>>,
    /// The newest `updated_at` listed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    newest: Option<DateTime<Utc>>,
    /// The oldest `updated_at` of a session whose history failed: the next
    /// run must list it again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    oldest_failed: Option<DateTime<Utc>>,
    /// Sessions this run exported, with their `updated_at`, as far as the next
    /// watermark may need them (at or after the lowest it can still be).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    exported: BTreeMap<Uuid, DateTime<Utc>>,
    /// Sessions listed that had been exported at that `updated_at` already.
    #[serde(default)]
    unchanged: u64,
}

impl ChangeRun {
    pub(crate) fn new(since: Watermark) -> Self {
        Self {
            since,
            listing_began: None,
            newest: None,
            oldest_failed: None,
            exported: BTreeMap::new(),
            unchanged: 0,
        }
    }

    pub(crate) fn since(&self) -> &Watermark {
        &self.since
    }

    pub(crate) fn unchanged(&self) -> u64 {
        self.unchanged
    }

    /// Whether a listed session is a version not exported yet.
    pub(crate) fn is_new(&self, id: &Uuid, updated_at: DateTime<Utc>) -> bool {
        !self.since.exported(id, updated_at)
            && self.exported.get(id).is_none_or(|&at| at < updated_at)
    }

    /// The listing's first answer came at `server_time`. Only the first such
    /// time counts: a resumed run keeps the one its listing began with.
    pub(crate) fn began(&mut self, server_time: DateTime<Utc>) {
        self.listing_began.get_or_insert(server_time);
    }

    fn listed(&mut self, updated_at: DateTime<Utc>) {
        self.newest = self.newest.max(Some(updated_at));
    }

    /// A session exported with its history.
    pub(crate) fn exported(&mut self, id: Uuid, updated_at: DateTime<Utc>) {
        self.listed(updated_at);
        let newest = self.exported.entry(id).or_insert(updated_at);
        *newest = (*newest).max(updated_at);
        // The floor only rises: what falls below it now is never needed.
        if let Some(floor) = self.floor() {
            self.exported.retain(|_, at| *at >= floor);
        }
    }

    /// A session whose history failed: not exported, so the next watermark
    /// stays below it.
    pub(crate) fn failed(&mut self, updated_at: DateTime<Utc>) {
        self.listed(updated_at);
        self.oldest_failed = Some(self.oldest_failed.map_or(updated_at, |t| t.min(updated_at)));
    }

    /// A session listed again at an `updated_at` already exported.
    pub(crate) fn skipped(&mut self, updated_at: DateTime<Utc>) {
        self.listed(updated_at);
        self.unchanged += 1;
    }

    /// The next watermark's `after` as things stand: the oldest of the newest
    /// `updated_at` listed, the listing's start and the oldest failure, less
    /// the overlap, and never below where the run started. Unchanged when
    /// nothing was listed or the listing's start is unknown.
    fn floor(&self) -> Option<DateTime<Utc>> {
        let (Some(newest), Some(began)) = (self.newest, self.listing_began) else {
            return self.since.after();
        };
        let bound = newest.min(began).min(self.oldest_failed.unwrap_or(newest));
        let after = bound - OVERLAP;
        Some(self.since.after().map_or(after, |before| before.max(after)))
    }

    /// Where the next run starts, once this one has listed everything.
    pub(crate) fn next_watermark(&self) -> Watermark {
        self.since.advance(self.floor(), &self.exported)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    fn id(n: u32) -> Uuid {
        format!("3c90c3cc-0d44-4b50-8888-{n:012}").parse().unwrap()
    }

    #[test]
    fn the_watermark_stays_below_the_listing_start_however_late_the_sessions_it_saw() {
        let mut run = ChangeRun::new(Watermark::default());
        run.began(at("2030-01-01T10:00:00Z"));
        run.exported(id(1), at("2030-01-01T09:00:00Z"));
        // Updated hours into the run, listed at its new time.
        run.exported(id(2), at("2030-01-01T15:00:00Z"));
        let next = run.next_watermark();
        assert_eq!(next.after(), Some(at("2030-01-01T09:55:00Z")));
        assert!(next.exported(&id(2), at("2030-01-01T15:00:00Z")));
        assert!(!next.exported(&id(1), at("2030-01-01T09:00:00Z")));
    }

    #[test]
    fn a_failed_session_keeps_the_watermark_below_it_and_is_not_remembered() {
        let mut run = ChangeRun::new(Watermark::default());
        run.began(at("2030-01-01T10:00:00Z"));
        run.exported(id(1), at("2030-01-01T09:30:00Z"));
        run.failed(at("2030-01-01T08:00:00Z"));
        let next = run.next_watermark();
        assert_eq!(next.after(), Some(at("2030-01-01T07:55:00Z")));
        assert!(!next.exported(&id(2), at("2030-01-01T08:00:00Z")));
    }

    #[test]
    fn nothing_listed_or_an_unknown_start_keeps_the_watermark() {
        let since = Watermark::new(at("2030-01-01T10:00:00Z"));
        assert_eq!(ChangeRun::new(since.clone()).next_watermark(), since);
        let mut run = ChangeRun::new(since.clone());
        run.exported(id(1), at("2030-01-01T11:00:00Z"));
        assert_eq!(run.next_watermark().after(), since.after());
        // It never goes back either.
        let mut run = ChangeRun::new(since.clone());
        run.began(at("2030-01-01T12:00:00Z"));
        run.exported(id(1), at("2030-01-01T10:01:00Z"));
        assert_eq!(run.next_watermark().after(), since.after());
        assert!(run
            .next_watermark()
            .exported(&id(1), at("2030-01-01T10:01:00Z")));
    }

    #[test]
    fn a_version_already_exported_is_not_new_but_a_later_one_is() {
        let mut since = ChangeRun::new(Watermark::default());
        since.began(at("2030-01-01T10:00:00Z"));
        since.exported(id(1), at("2030-01-01T09:58:00Z"));
        let run = ChangeRun::new(since.next_watermark());
        assert!(!run.is_new(&id(1), at("2030-01-01T09:58:00Z")));
        assert!(run.is_new(&id(1), at("2030-01-01T09:59:00Z")));
        assert!(run.is_new(&id(2), at("2030-01-01T09:58:00Z")));
    }
}
