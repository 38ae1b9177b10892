//! A running export: the stream that yields records in listing order and
//! keeps the checkpoint (and an incremental run's watermark) after each.

use std::pin::Pin;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::task::{ready, Context, Poll};
use std::time::Instant;

use futures::stream::{BoxStream, Stream, StreamExt};

use super::pipeline::{Progress, Slot, Step};
use crate::export::{Checkpoint, ExportError, Position, Record, Throughput};
use crate::Client;

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

impl<'a> Export<'a> {
    pub(super) fn new(
        inner: BoxStream<'a, Step>,
        checkpoint: Checkpoint,
        progress: Arc<Progress>,
        client: &'a Client,
        started: Instant,
        requests_before: u64,
    ) -> Self {
        Self {
            inner,
            records_before: checkpoint.records(),
            checkpoint,
            progress,
            client,
            started,
            requests_before,
            page: None,
            ended: false,
        }
    }

    /// Whether `slot` is on the page of the session before it, and from now
    /// on the page the export is on.
    fn enter(&mut self, slot: &Slot) -> bool {
        let same = self.page == Some(slot.page) || (self.page.is_none() && slot.page == 0);
        self.page = Some(slot.page);
        same
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
        // Steps that yield nothing (the listing's start, a session exported
        // already) only move the checkpoint on.
        loop {
            match ready!(this.inner.poll_next_unpin(cx)) {
                Some(Step::Began(time)) => {
                    // The listing's very first page only: a resumed run keeps its start.
                    if this.checkpoint.position() == &Position::Start {
                        if let Some(run) = this.checkpoint.changes_mut() {
                            run.began(time);
                        }
                    }
                }
                Some(Step::Unchanged {
                    id,
                    updated_at,
                    slot,
                }) => {
                    let same_page = this.enter(&slot);
                    this.checkpoint
                        .pass(&slot.at, same_page, id, slot.next.as_deref());
                    if let Some(run) = this.checkpoint.changes_mut() {
                        run.skipped(updated_at);
                    }
                }
                Some(Step::Record(record, slot)) => {
                    let same_page = this.enter(&slot);
                    let (id, updated_at) = (record.session().id, record.session().updated_at);
                    this.checkpoint
                        .advance(&slot.at, same_page, id, slot.next.as_deref());
                    if let Some(run) = this.checkpoint.changes_mut() {
                        match &*record {
                            Record::Failed(_) => run.failed(updated_at),
                            _ => run.exported(id, updated_at),
                        }
                    }
                    return Poll::Ready(Some(Ok(*record)));
                }
                Some(Step::ListingFailed(error)) => {
                    this.ended = true;
                    return Poll::Ready(Some(Err(ExportError {
                        error,
                        checkpoint: this.checkpoint.clone(),
                    })));
                }
                None => {
                    this.ended = true;
                    this.checkpoint.finish();
                    return Poll::Ready(None);
                }
            }
        }
    }
}
