//! What an export yields: one record per session, or the error that ended it.

use std::fmt;

use serde::{Serialize, Serializer};

use super::Checkpoint;
use crate::types::{ChatHistoryEntry, Session};
use crate::Error;

/// One session and its complete history, in the order the server keeps it.
/// Serializes as `{"session": {...}, "history": [...]}`, one NDJSON line.
/// `session.id` with `session.updated_at` names the version: the key a
/// warehouse deduplicates on, and keeps the newest `updated_at` of (an
/// [incremental](super::incremental) export writes each version once).
///
/// ```
/// let line = serde_json::json!({"session": {"id": "3c90c3cc-0d44-4b50-8888-8dd25736052a"}, "history": []});
/// assert!(line["history"].as_array().unwrap().is_empty());
/// ```
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct SessionExport {
    /// The session as the listing returned it.
    pub session: Session,
    /// Every history entry of every page, oldest page first.
    pub history: Vec<ChatHistoryEntry>,
}

/// A session whose history could not be read within the client's retry
/// budget. The export goes on; the session counts as done in the checkpoint,
/// so keep this record (export the session again by id later).
#[derive(Debug)]
#[non_exhaustive]
pub struct FailedSession {
    /// The session as the listing returned it.
    pub session: Session,
    /// Why its history could not be read.
    pub error: Error,
}

/// `{"session_id": "...", "ticket_number": 1041, "error": "OpenCX list_chat_history failed after 3 tries: ..."}`:
/// enough to find the session again, and the error as text.
impl Serialize for FailedSession {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Line {
            session_id: String,
            ticket_number: i64,
            error: String,
        }
        Line {
            session_id: self.session.id.to_string(),
            ticket_number: self.session.ticket_number,
            error: self.error.to_string(),
        }
        .serialize(serializer)
    }
}

/// One item of an [`Export`](super::Export): a session exported whole, or one
/// that failed on its own.
#[derive(Debug)]
#[non_exhaustive]
pub enum Record {
    /// The session and its complete history.
    Exported(SessionExport),
    /// The session's history could not be read; the export continues.
    Failed(FailedSession),
}

impl Record {
    /// The session the record is about.
    ///
    /// ```no_run
    /// # fn show(record: &opencx_api::export::Record) {
    /// println!("{}", record.session().id);
    /// # }
    /// ```
    pub fn session(&self) -> &Session {
        match self {
            Record::Exported(export) => &export.session,
            Record::Failed(failed) => &failed.session,
        }
    }
}

/// The session listing itself failed (after the client's retries), which ends
/// the export. [`checkpoint`](Self::checkpoint) covers every record yielded
/// before: resume from it once the cause is gone.
#[derive(Debug)]
#[non_exhaustive]
pub struct ExportError {
    /// What went wrong with the listing.
    pub error: Error,
    /// Where to resume.
    pub checkpoint: Checkpoint,
}

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the session listing failed after {} records: {}",
            self.checkpoint.records(),
            self.error
        )
    }
}

impl std::error::Error for ExportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}
