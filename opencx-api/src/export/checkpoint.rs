//! Where an export stands: small enough to save after every record.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::incremental::ChangeRun;
use super::Watermark;

/// A position in the session listing: the page an export is working on.
///
/// Serialized as `"start"`, `{"page":{"number":3,"size":100}}`,
/// `{"cursor":"..."}` or `"finished"`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Position {
    /// The first page, not asked for yet.
    #[default]
    Start,
    /// A page of `filter_chat_sessions`. The size is kept because page
    /// `number` only means the same sessions again with the same size.
    Page {
        /// 1-based page number.
        number: u64,
        /// Sessions per page.
        size: u64,
    },
    /// A page of `list_chat_sessions`, by the cursor that fetches it.
    Cursor(String),
    /// Every page has been exported.
    Finished,
}

/// How far an export got: the listing page it is working on, the sessions of
/// that page already yielded, and how many records came before; for an
/// [incremental](super::incremental) run, also the watermark it started from
/// and what it has seen towards the next one.
///
/// [`Export`](super::Export) updates it after every record, so everything it
/// yielded before is covered and nothing after; an
/// [`Exporter`](super::Exporter) given it with
/// [`resume_from`](super::Exporter::resume_from) continues with the first
/// session not yet yielded. It serializes with serde (a few hundred bytes to a
/// few KB: at most one page of ids, and for an incremental run the sessions
/// exported within the overlap).
///
/// ```
/// use opencx_api::export::{Checkpoint, Position};
///
/// let start = Checkpoint::default();
/// assert_eq!(start.position(), &Position::Start);
/// let saved = serde_json::to_string(&start).unwrap();
/// assert_eq!(serde_json::from_str::<Checkpoint>(&saved).unwrap(), start);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    position: Position,
    /// Ids yielded from the page at `position`, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    done: Vec<Uuid>,
    /// Records yielded so far, over every run.
    #[serde(default)]
    records: u64,
    /// An incremental run: its watermark and what it has seen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    changes: Option<ChangeRun>,
}

impl Checkpoint {
    /// The start of an incremental run: the sessions created or updated after
    /// `watermark` (all of them for the default one), each exported once per
    /// `updated_at`. Give it to an exporter over `list_chat_sessions` with
    /// [`resume_from`](super::Exporter::resume_from).
    ///
    /// ```
    /// use opencx_api::export::{Checkpoint, Watermark};
    ///
    /// let first = Checkpoint::changes_since(Watermark::default());
    /// assert_eq!(first.watermark(), Some(&Watermark::default()));
    /// assert_eq!(first.next_watermark(), None); // not finished
    /// ```
    pub fn changes_since(watermark: Watermark) -> Self {
        Self {
            changes: Some(ChangeRun::new(watermark)),
            ..Self::default()
        }
    }

    /// The watermark an incremental run started from; `None` for an export
    /// of everything the listing returns.
    pub fn watermark(&self) -> Option<&Watermark> {
        self.changes.as_ref().map(ChangeRun::since)
    }

    /// Where the next incremental run starts, once this one has finished
    /// (see [`incremental`](super::incremental) for how it is set); `None`
    /// before, and for an export that is not incremental.
    pub fn next_watermark(&self) -> Option<Watermark> {
        self.changes
            .as_ref()
            .filter(|_| self.is_finished())
            .map(ChangeRun::next_watermark)
    }

    /// Sessions an incremental run listed that had already been exported at
    /// the same `updated_at` (by an earlier run, through the overlap), and
    /// so skipped without reading their history.
    ///
    /// ```
    /// assert_eq!(opencx_api::export::Checkpoint::default().unchanged(), 0);
    /// ```
    pub fn unchanged(&self) -> u64 {
        self.changes.as_ref().map_or(0, ChangeRun::unchanged)
    }

    pub(crate) fn changes(&self) -> Option<&ChangeRun> {
        self.changes.as_ref()
    }

    pub(crate) fn changes_mut(&mut self) -> Option<&mut ChangeRun> {
        self.changes.as_mut()
    }

    /// The listing page being worked on.
    pub fn position(&self) -> &Position {
        &self.position
    }

    /// The sessions of that page already yielded, in listing order.
    pub fn done(&self) -> &[Uuid] {
        &self.done
    }

    /// How many records (exported or failed sessions) have been yielded, over
    /// every run that led here.
    ///
    /// ```
    /// assert_eq!(opencx_api::export::Checkpoint::default().records(), 0);
    /// ```
    pub fn records(&self) -> u64 {
        self.records
    }

    /// Whether the whole listing has been exported.
    ///
    /// ```
    /// assert!(!opencx_api::export::Checkpoint::default().is_finished());
    /// ```
    pub fn is_finished(&self) -> bool {
        self.position == Position::Finished
    }

    /// Records `id` as yielded from the page at `at`. `same_page` says the
    /// page is the one the checkpoint already describes (the first page of a
    /// resumed run may report another position for it: `Start` becomes page 1);
    /// `next` is set when `id` was the last session of its page.
    pub(crate) fn advance(
        &mut self,
        at: &Position,
        same_page: bool,
        id: Uuid,
        next: Option<&Position>,
    ) {
        self.pass(at, same_page, id, next);
        self.records += 1;
    }

    /// Records `id` as passed over without a record (an incremental run had
    /// exported it already), as [`advance`](Self::advance) otherwise.
    pub(crate) fn pass(
        &mut self,
        at: &Position,
        same_page: bool,
        id: Uuid,
        next: Option<&Position>,
    ) {
        if !same_page {
            self.done.clear();
        }
        self.position = at.clone();
        self.done.push(id);
        if let Some(next) = next {
            self.position = next.clone();
            self.done.clear();
        }
    }

    /// Marks the listing as exhausted.
    pub(crate) fn finish(&mut self) {
        self.position = Position::Finished;
        self.done.clear();
    }
}
