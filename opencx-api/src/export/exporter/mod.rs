//! The exporter: the listing, then every session's history, several at a
//! time, yielded in listing order. Here, what it exports and how; the
//! pipeline reads the listing and the histories; the stream yields them and
//! keeps the checkpoint.

use std::sync::Arc;
use std::time::Instant;

use futures::stream::{self, StreamExt};

use super::listing::Listing;
use super::{Checkpoint, Watermark};
use crate::builder::ListChatSessions;
use crate::types::SessionFilterRequest;
use crate::Client;

mod pipeline;
mod running;

use pipeline::{Progress, Step};
pub use running::Export;

/// Histories read at once unless [`Exporter::concurrency`] says otherwise:
/// enough to keep a limit of a few requests per second busy over a link
/// with a few hundred milliseconds of latency.
pub const DEFAULT_CONCURRENCY: usize = 8;

/// Exports every session a listing returns, each with its complete history.
///
/// Build it from a [`Client`] and a filter ([`filter`](Self::filter)) or the
/// list endpoint's parameters ([`list`](Self::list)); [`stream`](Self::stream)
/// yields one [`Record`](super::Record) per session, in listing order. Histories of up to
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

    /// Exports only what changed since `watermark`: the sessions the listing
    /// returns with `updated_after` set to it, less those already exported at
    /// their `updated_at` (see [`incremental`](super::incremental)). The same
    /// as resuming from [`Checkpoint::changes_since`]; after the last record,
    /// [`Checkpoint::next_watermark`] is the next run's. Only for
    /// [`list`](Self::list): the stream of a [`filter`](Self::filter) export
    /// with a watermark ends at once with an error.
    ///
    /// ```no_run
    /// use futures::TryStreamExt;
    /// use opencx_api::export::{Exporter, Watermark};
    ///
    /// # async fn run(client: opencx_api::Client, last: Watermark) -> Result<Watermark, Box<dyn std::error::Error>> {
    /// let mut export = Exporter::list(&client, |sessions| sessions).changes_since(last).stream();
    /// while let Some(record) = export.try_next().await? {
    ///     println!("{} changed at {}", record.session().id, record.session().updated_at);
    /// }
    /// Ok(export.checkpoint().next_watermark().expect("the export finished"))
    /// # }
    /// ```
    pub fn changes_since(self, watermark: Watermark) -> Self {
        self.resume_from(Checkpoint::changes_since(watermark))
    }

    /// The export, as a stream of records. Nothing is sent before it is polled.
    pub fn stream(self) -> Export<'a> {
        let progress = Arc::new(Progress::default());
        let requests_before = self.client.requests_sent();
        let checkpoint = &self.checkpoint;
        let pages = self
            .listing
            .pages(self.client, checkpoint.position(), checkpoint.watermark());
        let inner = match pages {
            Ok(pages) => pipeline::records(
                self.client,
                pages,
                pipeline::Resume {
                    done: checkpoint.done().to_vec(),
                    changes: checkpoint.changes().cloned(),
                },
                self.concurrency,
                progress.clone(),
            ),
            Err(error) => stream::once(async { Step::ListingFailed(error) }).boxed(),
        };
        Export::new(
            inner,
            self.checkpoint,
            progress,
            self.client,
            Instant::now(),
            requests_before,
        )
    }
}
