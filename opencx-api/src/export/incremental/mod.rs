//! Incremental export: each run takes only the sessions created or updated
//! since the last one, each with its complete history.
//!
//! A run starts from a [`Watermark`] (the default one exports everything)
//! and lists `list_chat_sessions` with `updated_after` set to it. When the
//! listing is done, [`Checkpoint::next_watermark`](super::Checkpoint::next_watermark)
//! is where the next run starts. [`NdjsonFile::open_incremental`](super::ndjson::NdjsonFile::open_incremental)
//! keeps it in `FILE.state.json` beside the output, replaced only when a run
//! completes.
//!
//! ```no_run
//! use futures::TryStreamExt;
//! use opencx_api::export::{ndjson::NdjsonFile, Exporter};
//! use opencx_api::prelude::*;
//!
//! # async fn run(client: Client) -> Result<(), Box<dyn std::error::Error>> {
//! // The first run exports everything; every later run, what changed since the one before.
//! let mut file = NdjsonFile::open_incremental("sessions.ndjson", &"all sessions")?;
//! let mut export = Exporter::list(&client, |sessions| sessions)
//!     .resume_from(file.checkpoint().clone()) // the run's watermark, or where a killed run stopped
//!     .stream();
//! while let Some(record) = export.try_next().await? {
//!     file.write(&record, export.checkpoint())?;
//! }
//! file.save(export.checkpoint())?; // finished: FILE.state.json now holds the next watermark
//! # Ok(()) }
//! ```
//!
//! # Which endpoint
//!
//! Only `list_chat_sessions` selects by update time (`updated_after`,
//! `updated_before`). `filter_chat_sessions` can select by creation time
//! (`filters.date`) and sort by `created_at` or `last_message_at`, so it finds
//! new sessions but not changed ones: a session closed, re-assigned, tagged or
//! re-scored keeps its creation time and, often, its last message time. An
//! incremental export therefore takes the list endpoint's criteria (status,
//! channel, hand-off, creation time) and not the filter's (sentiment, tags,
//! language...); [`Exporter::filter`](super::Exporter::filter) with a
//! watermark is an error.
//!
//! # The watermark comes from the server's clock
//!
//! Nothing here reads the local clock, so a client whose clock is hours off
//! loses nothing. The list endpoint documents no order, so a session may be
//! updated after the listing passed it, and sessions listed late in a long
//! run may carry `updated_at`s far later than its start. The highest
//! `updated_at` seen is therefore not a safe watermark on its own: a change
//! made early in the run, behind the listing, is older than it. The next
//! watermark is
//!
//! `min(highest updated_at listed, server time when the listing began, oldest failed session) − OVERLAP`
//!
//! (and never below the run's own), where the server time is the `Date` of
//! the first listing page's answer. Every change the listing could miss
//! happened after the listing began, so it is later than the watermark: this
//! run or the next exports it. A failed session's history is exported again
//! by the next run. Without a `Date` header, the newest `updated_at` on the
//! first page stands in: it cannot be later than the listing's start.
//!
//! Like every export, this takes the listing's cursor to be a stable one (a
//! keyset, as cursors usually are): a session that did not change is neither
//! skipped nor repeated while others change. An offset cursor over a set that
//! changes under it could skip one, and no watermark can bring that back.
//!
//! [`OVERLAP`] (5 minutes) absorbs what separates the `Date` header from the
//! `updated_at` a change is stamped with: the header's whole seconds, the
//! first page's time on the server, a transaction that commits after it was
//! stamped, a read replica behind the primary, and the skew between the web
//! server's and the database's clocks. It costs listing slots only: the
//! sessions it brings back are recognised and not exported again (below).
//!
//! # Nothing written twice
//!
//! A warehouse deduplicates on `session.id` and `session.updated_at`, which
//! every record carries. The exporter goes further: the watermark keeps the
//! id and `updated_at` of every session exported at or after it (those the
//! next listing may return again, through the overlap or an inclusive
//! `updated_after`), and a listed session already exported at that
//! `updated_at` is skipped without reading its history. That set is small:
//! the sessions updated in the overlap and during the run.

mod run;
pub(crate) mod state_file;
mod watermark;

pub(crate) use run::ChangeRun;
pub use watermark::Watermark;

/// How far below the newest server time a run saw the next watermark is
/// set. See the [module](self) for what it absorbs.
///
/// ```
/// assert_eq!(opencx_api::export::incremental::OVERLAP.num_seconds(), 300);
/// ```
pub const OVERLAP: chrono::TimeDelta = chrono::TimeDelta::minutes(5);
