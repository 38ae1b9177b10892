//! Bulk export: every session a listing returns, each with its complete
//! history, at the client's rate limit, resumable.
//!
//! An [`Exporter`] walks the session listing (the filter endpoint, or the
//! list endpoint with its parameters) and reads the history of several
//! sessions at once, all through the client's one rate limiter. Its
//! [`Export`] stream yields one [`Record`] per session in listing order:
//! [`Record::Exported`] with the session and its history, or
//! [`Record::Failed`] when that session's history could not be read within
//! the retry budget (the export goes on). A failure of the listing itself
//! ends the stream with an [`ExportError`].
//!
//! After every record, [`Export::checkpoint`] is a small serializable
//! [`Checkpoint`]: the listing page being worked on and the sessions of that
//! page already yielded. Because records come in listing order, "everything
//! before the checkpoint has been yielded" holds, and an exporter
//! [resumed](Exporter::resume_from) from it neither repeats nor skips a
//! session. [`ndjson::NdjsonFile`] writes records and checkpoints so that a
//! killed export resumes exactly where its file ends.
//!
//! An export can also take only what changed since the last one: see
//! [`incremental`] (a [`Watermark`] from the server's timestamps, kept in
//! `FILE.state.json` between runs).
//!
//! ```no_run
//! use futures::TryStreamExt;
//! use opencx_api::export::{ndjson::NdjsonFile, Exporter};
//! use opencx_api::prelude::*;
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::from_env()?;
//! let mut request = SessionFilterRequest::default();
//! let mut filters = SessionFilters::default();
//! filters.channels = vec![SessionChannel::Whatsapp];
//! request.filters = Some(filters);
//!
//! let mut file = NdjsonFile::open("sessions.ndjson", &request)?; // resumes if a checkpoint is beside it
//! let mut export = Exporter::filter(&client, request).resume_from(file.checkpoint().clone()).stream();
//! while let Some(record) = export.try_next().await? {
//!     file.write(&record, export.checkpoint())?;
//! }
//! println!("{:.0} requests/min", export.throughput().per_minute());
//! # Ok(()) }
//! ```

mod atomic;
mod checkpoint;
mod exporter;
pub mod incremental;
mod listing;
pub mod ndjson;
mod record;
mod throughput;

pub use checkpoint::{Checkpoint, Position};
pub use exporter::{Export, Exporter, DEFAULT_CONCURRENCY};
pub use incremental::Watermark;
pub use record::{ExportError, FailedSession, Record, SessionExport};
pub use throughput::Throughput;
