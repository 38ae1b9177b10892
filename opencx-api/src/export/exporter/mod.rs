//! The exporter: the listing, then every session's history, several at a
//! time, yielded in listing order.

use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Instant;

use futures::stream::{self, BoxStream, Stream, StreamExt, TryStreamExt};
use tokio::sync::Semaphore;

use super::listing::{ListedPage, Listing};
use super::{Checkpoint, ExportError, FailedSession, Position, Record, SessionExport, Throughput};
use crate::builder::ListChatSessions;
use crate::pagination::ListChatHistoryExt;
use crate::types::{Session, SessionFilterRequest};
use crate::{Client, Error};

/// Histories read at once unless [`Exporter::concurrency`] says otherwise:
/// enough to keep a limit of a few requests per second busy over a link
/// with a few hundred milliseconds of latency.
pub const DEFAULT_CONCURRENCY: usize = 8;

/// How many sessions past the oldest unfinished one may be fetched, per
/// concurrent history: a slow session holds back the yielding of those after
/// it (records stay in listing order), not their fetching, until this runs out.
const READ_AHEAD: usize = 4;

/// Exports every session a listing returns, each with its complete history.
///
/// Build it from a [`Client`] and a filter ([`filter`](Self::filter)) or the
/// list endpoint's parameters ([`list`](Self::list)); [`stream`](Self::stream)
/// yields one [`Record`] per session, in listing order. Histories of up to
/// [`concurrency`](Self::concurrency) sessions are read at once, all through
/// the client's shared rate limiter, so a long export runs at the limit and
/// not above it. The filter listing is read in creation order (unless the
/// request sets `sort_by`), so its page numbers stay valid for resuming.
///
/// ```no_run
/// use futures::TryStreamExt;
/// use opencx_api::export::{Checkpoint, Exporter, Record};
/// use opencx_api::prelude::*;
///
/// # async fn run(client: Client, saved: Option<Checkpoint>) -> Result<(), Box<dyn std::error::Error>> {
/// let mut filters = SessionFilters::default();
/// filters.sentiment = vec![Sentiment::Angry];
/// let mut request = SessionFilterRequest::default();
/// request.filters = Some(filters);
///
/// let mut export = Exporter::filter(&client, request)
///     .resume_from(saved.unwrap_or_default())
///     .stream();
/// while let Some(record) = export.try_next().await? {
///     match record {
///         Record::Exported(session) => println!("{} {} events", session.session.id, session.history.len()),
///         Record::Failed(failed) => eprintln!("{}: {}", failed.session.id, failed.error),
///         _ => {}
///     }
///     let checkpoint = serde_json::to_string(export.checkpoint())?; // save it beside the output
/// #   let _ = checkpoint;
/// }
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Exporter<'a> {
    client: &'a Client,
    listing: Listing<'a>,
    concurrency: usize,
    checkpoint: Checkpoint,
}

impl std::fmt::Debug for Exporter<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let listing = match &self.listing {
            Listing::Filter(request) => format!("filter_chat_sessions({request:?})"),
            Listing::List(_) => "list_chat_sessions(..)".to_string(),
        };
        f.debug_struct("Exporter")
            .field("listing", &listing)
            .field("concurrency", &self.concurrency)
            .field("checkpoint", &self.checkpoint)
            .finish()
    }
}

impl<'a> Exporter<'a> {
    /// Exports the sessions `filter_chat_sessions` returns for `request`
    /// (pages of 100 unless it sets `limit`; its `page` is ignored, as the
    /// checkpoint says where to start).
    ///
    /// ```
    /// use opencx_api::export::Exporter;
    /// use opencx_api::prelude::*;
    ///
    /// let client = Client::with_bearer_token("http://127.0.0.1:8080", "sk-test").unwrap();
    /// let exporter = Exporter::filter(&client, SessionFilterRequest::default());
    /// # let _ = exporter;
    /// ```
    pub fn filter(client: &'a Client, mut request: SessionFilterRequest) -> Self {
        request.page = None;
        Self::new(client, Listing::Filter(Box::new(request)))
    }

    /// Exports the sessions `list_chat_sessions` returns with the parameters
    /// `params` sets (its `cursor` is replaced: the checkpoint says where to
    /// start).
    ///
    /// ```
    /// use opencx_api::export::Exporter;
    /// use opencx_api::prelude::*;
    ///
    /// let client = Client::with_bearer_token("http://127.0.0.1:8080", "sk-test").unwrap();
    /// let exporter = Exporter::list(&client, |sessions| sessions.status(SessionStatus::Open));
    /// # let _ = exporter;
    /// ```
    pub fn list(
        client: &'a Client,
        params: impl Fn(ListChatSessions<'a>) -> ListChatSessions<'a> + Send + Sync + 'a,
    ) -> Self {
        Self::new(client, Listing::List(Arc::new(params)))
    }

    fn new(client: &'a Client, listing: Listing<'a>) -> Self {
        Self {
            client,
            listing,
            concurrency: DEFAULT_CONCURRENCY,
            checkpoint: Checkpoint::default(),
        }
    }

    /// How many sessions' histories are read at once (default
    /// [`DEFAULT_CONCURRENCY`], at least 1). The rate limiter, not this, sets
    /// the pace: raise it when requests are slow compared with the limit.
    ///
    /// ```
    /// # let client = opencx_api::Client::with_bearer_token("http://127.0.0.1:8080", "sk-test").unwrap();
    /// let exporter = opencx_api::export::Exporter::filter(&client, Default::default()).concurrency(16);
    /// # let _ = exporter;
    /// ```
    pub fn concurrency(mut self, sessions: usize) -> Self {
        self.concurrency = sessions.max(1);
        self
    }

    /// Continues an earlier export: the first record is the first session
    /// it had not yielded. The listing must be the same one.
    ///
    /// ```
    /// # let client = opencx_api::Client::with_bearer_token("http://127.0.0.1:8080", "sk-test").unwrap();
    /// let saved = r#"{"position":{"page":{"number":3,"size":100}},"done":[],"records":200}"#;
    /// let checkpoint = serde_json::from_str(saved).unwrap();
    /// let exporter = opencx_api::export::Exporter::filter(&client, Default::default()).resume_from(checkpoint);
    /// # let _ = exporter;
    /// ```
    pub fn resume_from(mut self, checkpoint: Checkpoint) -> Self {
        self.checkpoint = checkpoint;
        self
    }

    /// The export, as a stream of records. Nothing is sent before it is polled.
    pub fn stream(self) -> Export<'a> {
        let progress = Arc::new(Progress::default());
        let requests_before = self.client.requests_sent();
        let inner = match self.listing.pages(self.client, self.checkpoint.position()) {
            Ok(pages) => records(
                self.client,
                pages,
                self.checkpoint.done().to_vec(),
                self.concurrency,
                progress.clone(),
            ),
            Err(error) => stream::once(async { Step::ListingFailed(error) }).boxed(),
        };
        Export {
            inner,
            records_before: self.checkpoint.records(),
            checkpoint: self.checkpoint,
            progress,
            client: self.client,
            started: Instant::now(),
            requests_before,
            page: None,
            ended: false,
        }
    }
}

/// Where a yielded session sits in the listing.
struct Slot {
    /// Pages counted from the first of this run.
    page: u64,
    at: Arc<Position>,
    /// The position after this page, when the session is its last.
    next: Option<Arc<Position>>,
}

enum Step {
    // Boxed: a record is several times the size of an error.
    Record(Box<Record>, Slot),
    ListingFailed(Error),
}

#[derive(Default)]
struct Progress {
    listed: AtomicU64,
    listing_done: AtomicBool,
}

/// The listing's sessions with their slots, minus those `done` on the run's
/// first page, each turned into a record by reading its history.
fn records<'a>(
    client: &'a Client,
    pages: BoxStream<'a, crate::Result<ListedPage>>,
    done: Vec<uuid::Uuid>,
    concurrency: usize,
    progress: Arc<Progress>,
) -> BoxStream<'a, Step> {
    let sessions = pages
        .enumerate()
        .map(move |(index, page)| {
            let page = match page {
                Ok(page) => page,
                Err(error) => return stream::iter(vec![Err(error)]),
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
            let (at, next) = (Arc::new(page.at), Arc::new(page.next));
            let last = items.len().saturating_sub(1);
            let slots = items.into_iter().enumerate().map(|(i, session)| {
                let slot = Slot {
                    page: index as u64,
                    at: at.clone(),
                    next: (i == last).then(|| next.clone()),
                };
                Ok((session, slot))
            });
            stream::iter(slots.collect::<Vec<_>>())
        })
        .flatten();
    let in_flight = Arc::new(Semaphore::new(concurrency));
    sessions
        .map(move |item| {
            let in_flight = in_flight.clone();
            async move {
                match item {
                    Ok((session, slot)) => {
                        // Never closed, so acquiring cannot fail.
                        let permit = in_flight.acquire_owned().await.ok();
                        let record = history(client, session).await;
                        drop(permit);
                        Step::Record(Box::new(record), slot)
                    }
                    Err(error) => Step::ListingFailed(error),
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

/// A running export: a [`Stream`] of [`Record`]s in listing order, ending
/// with an [`ExportError`] if the listing fails.
///
/// After each record, [`checkpoint`](Self::checkpoint) covers it and every
/// record before it. Dropping the stream stops the export; requests in
/// flight are abandoned, and resuming from the last checkpoint fetches their
/// sessions again.
pub struct Export<'a> {
    inner: BoxStream<'a, Step>,
    checkpoint: Checkpoint,
    progress: Arc<Progress>,
    client: &'a Client,
    started: Instant,
    requests_before: u64,
    /// `checkpoint.records()` when the run began.
    records_before: u64,
    /// The slot page of the last record, to tell when a page is left.
    page: Option<u64>,
    ended: bool,
}

impl std::fmt::Debug for Export<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Export")
            .field("checkpoint", &self.checkpoint)
            .field("ended", &self.ended)
            .finish_non_exhaustive()
    }
}

impl Export<'_> {
    /// Where the export stands: after the last record yielded.
    ///
    /// ```no_run
    /// # async fn run(client: opencx_api::Client) {
    /// let export = opencx_api::export::Exporter::filter(&client, Default::default()).stream();
    /// assert_eq!(export.checkpoint().records(), 0);
    /// # }
    /// ```
    pub fn checkpoint(&self) -> &Checkpoint {
        &self.checkpoint
    }

    /// Sessions the listing has returned so far, counting those before the
    /// checkpoint this run resumed from.
    pub fn listed(&self) -> u64 {
        self.progress.listed.load(Ordering::Relaxed) + self.records_before
    }

    /// The number of sessions the export will yield, once the listing's last
    /// page has been read (for an ETA).
    pub fn total(&self) -> Option<u64> {
        self.progress
            .listing_done
            .load(Ordering::Relaxed)
            .then(|| self.listed())
    }

    /// The requests the client has sent since the stream was made (retries
    /// included; other users of the same client or its clones count too),
    /// against its rate limit.
    pub fn throughput(&self) -> Throughput {
        Throughput {
            requests: self.client.requests_sent() - self.requests_before,
            elapsed: self.started.elapsed(),
            limit: self.client.rate_limit(),
        }
    }
}

impl Stream for Export<'_> {
    type Item = Result<Record, ExportError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.ended {
            return Poll::Ready(None);
        }
        let this = &mut *self;
        match this.inner.poll_next_unpin(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Some(Step::Record(record, slot))) => {
                let same_page =
                    this.page == Some(slot.page) || (this.page.is_none() && slot.page == 0);
                this.page = Some(slot.page);
                this.checkpoint.advance(
                    &slot.at,
                    same_page,
                    record.session().id,
                    slot.next.as_deref(),
                );
                Poll::Ready(Some(Ok(*record)))
            }
            Poll::Ready(Some(Step::ListingFailed(error))) => {
                this.ended = true;
                Poll::Ready(Some(Err(ExportError {
                    error,
                    checkpoint: this.checkpoint.clone(),
                })))
            }
            Poll::Ready(None) => {
                this.ended = true;
                this.checkpoint.finish();
                Poll::Ready(None)
            }
        }
    }
}
