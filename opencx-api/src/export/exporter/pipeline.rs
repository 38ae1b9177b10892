//! The listing's sessions turned into steps: a history read for each
//! session to export, in listing order, several at a time.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};
use tokio::sync::Semaphore;
use uuid::Uuid;

use crate::export::incremental::ChangeRun;
use crate::export::listing::ListedPage;
use crate::export::{FailedSession, Position, Record, SessionExport};
use crate::pagination::ListChatHistoryExt;
use crate::types::Session;
use crate::{Client, Error};

/// How many sessions past the oldest unfinished one may be fetched, per
/// concurrent history: a slow session holds back the yielding of those after
/// it (records stay in listing order), not their fetching, until this runs out.
const READ_AHEAD: usize = 4;

/// Where a session sits in the listing.
pub(super) struct Slot {
    /// Pages counted from the first of this run.
    pub(super) page: u64,
    pub(super) at: Arc<Position>,
    /// The position after this page, when the session is its last.
    pub(super) next: Option<Arc<Position>>,
}

pub(super) enum Step {
    // Boxed: a record is several times the size of an error.
    Record(Box<Record>, Slot),
    /// A session an incremental run had exported at this `updated_at`.
    Unchanged {
        id: Uuid,
        updated_at: DateTime<Utc>,
        slot: Slot,
    },
    /// The server's time as the listing's first page was answered.
    Began(DateTime<Utc>),
    ListingFailed(Error),
}

#[derive(Default)]
pub(super) struct Progress {
    pub(super) listed: AtomicU64,
    pub(super) listing_done: AtomicBool,
}

/// What the checkpoint tells the pipeline.
pub(super) struct Resume {
    /// Sessions of the first page already yielded.
    pub(super) done: Vec<Uuid>,
    /// An incremental run: which versions are exported already.
    pub(super) changes: Option<ChangeRun>,
}

/// One listed item, before its history is read.
// Nearly every item is a session: boxing it would allocate once a session for
// the sake of the rare other variants.
#[allow(clippy::large_enum_variant)]
enum Listed {
    Began(DateTime<Utc>),
    /// A session, and whether it is to be exported.
    Session(Session, Slot, bool),
    Failed(Error),
}

/// The listing's sessions with their slots, minus those done on the run's
/// first page, each turned into a record by reading its history, or passed
/// over when an incremental run exported that version already.
pub(super) fn records<'a>(
    client: &'a Client,
    pages: BoxStream<'a, crate::Result<ListedPage>>,
    resume: Resume,
    concurrency: usize,
    progress: Arc<Progress>,
) -> BoxStream<'a, Step> {
    let Resume { done, changes } = resume;
    // Versions this stream chose to export, so that a listing returning one
    // twice does not export it twice.
    let mut chosen: HashMap<Uuid, DateTime<Utc>> = HashMap::new();
    let mut is_new = move |session: &Session| {
        let Some(run) = &changes else { return true };
        let (id, at) = (session.id, session.updated_at);
        let new = run.is_new(&id, at) && chosen.get(&id).is_none_or(|&before| before < at);
        if new {
            chosen.insert(id, at);
        }
        new
    };
    let listed = pages
        .enumerate()
        .map(move |(index, page)| {
            let page = match page {
                Ok(page) => page,
                Err(error) => return stream::iter(vec![Listed::Failed(error)]),
            };
            let mut items = page.items;
            if index == 0 {
                // The page the checkpoint was taken in: skip what it had yielded.
                items.retain(|session| !done.contains(&session.id));
            }
            if page.next == Position::Finished {
                progress.listing_done.store(true, Ordering::Relaxed);
            }
            progress
                .listed
                .fetch_add(items.len() as u64, Ordering::Relaxed);
            let mut out = Vec::with_capacity(items.len() + 1);
            if let (0, Some(time)) = (index, page.server_time) {
                out.push(Listed::Began(time));
            }
            let (at, next) = (Arc::new(page.at), Arc::new(page.next));
            let last = items.len().saturating_sub(1);
            for (i, session) in items.into_iter().enumerate() {
                let slot = Slot {
                    page: index as u64,
                    at: at.clone(),
                    next: (i == last).then(|| next.clone()),
                };
                let new = is_new(&session);
                out.push(Listed::Session(session, slot, new));
            }
            stream::iter(out)
        })
        .flatten();
    let in_flight = Arc::new(Semaphore::new(concurrency));
    listed
        .map(move |item| {
            let in_flight = in_flight.clone();
            async move {
                match item {
                    Listed::Session(session, slot, true) => {
                        // Never closed, so acquiring cannot fail.
                        let permit = in_flight.acquire_owned().await.ok();
                        let record = history(client, session).await;
                        drop(permit);
                        Step::Record(Box::new(record), slot)
                    }
                    Listed::Session(session, slot, false) => Step::Unchanged {
                        id: session.id,
                        updated_at: session.updated_at,
                        slot,
                    },
                    Listed::Began(time) => Step::Began(time),
                    Listed::Failed(error) => Step::ListingFailed(error),
                }
            }
        })
        .buffered(concurrency * READ_AHEAD)
        .boxed()
}

/// The session with its whole history, or the error that prevented it.
async fn history(client: &Client, session: Session) -> Record {
    let entries = client
        .list_chat_history()
        .session_id(session.id.to_string())
        .stream()
        .try_collect()
        .await;
    match entries {
        Ok(history) => Record::Exported(SessionExport { session, history }),
        Err(error) => Record::Failed(FailedSession { session, error }),
    }
}
