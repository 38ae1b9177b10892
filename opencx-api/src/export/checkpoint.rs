//! Where an export stands: small enough to save after every record.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

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
/// that page already yielded, and how many records came before.
///
/// [`Export`](super::Export) updates it after every record, so everything it
/// yielded before is covered and nothing after; an
/// [`Exporter`](super::Exporter) given it with
/// [`resume_from`](super::Exporter::resume_from) continues with the first
/// session not yet yielded. It serializes with serde (a few hundred bytes to a
/// few KB: at most one page of ids).
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
}

impl Checkpoint {
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
        if !same_page {
            self.done.clear();
        }
        self.position = at.clone();
        self.done.push(id);
        self.records += 1;
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
