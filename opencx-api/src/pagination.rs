//! Auto-pagination: `.pages()` and `.stream()` on the builders of the listing
//! operations, as extension traits (bring them in with `opencx_api::prelude::*`).
//!
//! OpenCX has two schemes. `list_chat_sessions` and `list_chat_history` take a
//! `cursor` and answer `{items, next}`; `filter_chat_sessions` takes `page` and
//! `limit` in its body and answers `{data, page, limit, has_next, ...}`. Either
//! way a stream is lazy (nothing is sent before it is polled), sends one request
//! at a time, repeats every parameter the caller set on every page, ends on the
//! last or an empty page, and ends with [`Error::Pagination`] instead of looping
//! when the server stops advancing. An error is yielded once and ends the stream.

use std::collections::HashSet;
use std::future::Future;
use std::hash::{BuildHasher, RandomState};

use std::task::{ready, Poll};

use futures::stream::{self, Stream, StreamExt};

use crate::builder::{FilterChatSessions, ListChatHistory, ListChatSessions};
use crate::types::{ChatHistoryEntry, Session};
use crate::{Error, Result};

/// The API's largest page size for `filter_chat_sessions`; the filter stream
/// asks for it unless the caller set `limit`.
pub const MAX_FILTER_PAGE_SIZE: u64 = 100;

/// One page of a cursor-paginated listing.
#[derive(Debug, Clone, PartialEq)]
pub struct CursorPage<T> {
    /// The page's items, in server order.
    pub items: Vec<T>,
    /// The cursor of the following page; `None` on the last page. To resume an
    /// interrupted export after this page, start a builder with
    /// `.cursor(next_cursor)`.
    pub next_cursor: Option<String>,
}

/// One page of a page-numbered listing.
#[derive(Debug, Clone, PartialEq)]
pub struct NumberedPage<T> {
    /// The page's items, in server order.
    pub items: Vec<T>,
    /// This page's number (1-based).
    pub page: u64,
    /// The page size the server used.
    pub limit: u64,
    /// Whether a following page exists.
    pub has_next: bool,
}

impl<T> NumberedPage<T> {
    /// The number of the following page, to resume after this one with
    /// `.body_map(|b| b.page(n))`; `None` on the last page.
    ///
    /// ```
    /// let page = opencx_api::pagination::NumberedPage::<()> { items: vec![], page: 3, limit: 100, has_next: true };
    /// assert_eq!(page.next_page(), Some(4));
    /// ```
    pub fn next_page(&self) -> Option<u64> {
        self.has_next.then_some(self.page + 1)
    }
}

/// Implements a cursor extension trait: both cursor listings take `cursor`
/// and answer `{items, next}`.
macro_rules! cursor_pagination {
    ($trait:ident, $builder:ident, $item:ty) => {
        impl<'a> $trait<'a> for $builder<'a> {
            fn stream(self) -> impl Stream<Item = Result<$item>> + Send + Unpin + 'a {
                flatten(self.pages())
            }

            fn pages(self) -> impl Stream<Item = Result<CursorPage<$item>>> + Send + Unpin + 'a {
                cursor_pages(self, |builder, cursor| async move {
                    let builder = match cursor {
                        Some(cursor) => builder.cursor(cursor),
                        None => builder,
                    };
                    let page = builder.send().await?.into_inner();
                    Ok(CursorPage {
                        items: page.items,
                        next_cursor: page.next,
                    })
                })
            }
        }
    };
}

/// Pagination for [`Client::list_chat_sessions`](crate::Client::list_chat_sessions).
///
/// ```no_run
/// use futures::TryStreamExt;
/// use opencx_api::prelude::*;
///
/// # async fn run(client: Client) -> Result<(), opencx_api::Error> {
/// let open: Vec<Session> = client
///     .list_chat_sessions()
///     .status(SessionStatus::Open)
///     .stream()
///     .try_collect()
///     .await?;
/// # Ok(()) }
/// ```
pub trait ListChatSessionsExt<'a> {
    /// Every session of every page, in order.
    fn stream(self) -> impl Stream<Item = Result<Session>> + Send + Unpin + 'a;
    /// Every page, each with the cursor to resume after it.
    fn pages(self) -> impl Stream<Item = Result<CursorPage<Session>>> + Send + Unpin + 'a;
}

cursor_pagination!(ListChatSessionsExt, ListChatSessions, Session);

/// Pagination for [`Client::list_chat_history`](crate::Client::list_chat_history).
///
/// ```no_run
/// use futures::TryStreamExt;
/// use opencx_api::prelude::*;
///
/// # async fn run(client: Client) -> Result<(), opencx_api::Error> {
/// let mut history = client.list_chat_history().session_id("3c90c3cc-0d44-4b50-8888-8dd25736052a").stream();
/// while let Some(entry) = history.try_next().await? {
///     println!("{} {:?}", entry.created_at, entry.event);
/// }
/// # Ok(()) }
/// ```
pub trait ListChatHistoryExt<'a> {
    /// Every history entry of every page, in order.
    fn stream(self) -> impl Stream<Item = Result<ChatHistoryEntry>> + Send + Unpin + 'a;
    /// Every page, each with the cursor to resume after it.
    fn pages(self) -> impl Stream<Item = Result<CursorPage<ChatHistoryEntry>>> + Send + Unpin + 'a;
}

cursor_pagination!(ListChatHistoryExt, ListChatHistory, ChatHistoryEntry);

/// Pagination for [`Client::filter_chat_sessions`](crate::Client::filter_chat_sessions).
///
/// Unless the body sets `limit`, pages of [`MAX_FILTER_PAGE_SIZE`] are asked for
/// (the server's default is 25), so an export takes a quarter of the requests.
///
/// ```no_run
/// use futures::TryStreamExt;
/// use opencx_api::prelude::*;
///
/// # async fn run(client: Client) -> Result<(), opencx_api::Error> {
/// let mut filters = SessionFilters::default(); // generated types are #[non_exhaustive]
/// filters.sentiment = vec![Sentiment::Angry];
/// let angry: Vec<Session> = client
///     .filter_chat_sessions()
///     .body_map(|body| body.filters(filters))
///     .stream()
///     .try_collect()
///     .await?;
/// # Ok(()) }
/// ```
pub trait FilterChatSessionsExt<'a> {
    /// Every matching session of every page, in order.
    fn stream(self) -> impl Stream<Item = Result<Session>> + Send + Unpin + 'a;
    /// Every page, each with its number to resume after it.
    fn pages(self) -> impl Stream<Item = Result<NumberedPage<Session>>> + Send + Unpin + 'a;
}

impl<'a> FilterChatSessionsExt<'a> for FilterChatSessions<'a> {
    fn stream(self) -> impl Stream<Item = Result<Session>> + Send + Unpin + 'a {
        flatten(self.pages())
    }

    fn pages(self) -> impl Stream<Item = Result<NumberedPage<Session>>> + Send + Unpin + 'a {
        let builder = self.body_map(|body| {
            // Read the caller's limit through the typed body; keep theirs if set.
            match crate::types::SessionFilterRequest::try_from(body.clone()) {
                Ok(request) if request.limit.is_none() => body.limit(Some(MAX_FILTER_PAGE_SIZE)),
                _ => body,
            }
        });
        let state = NumberedState {
            builder: Some(builder),
            next_page: None,
            last_page: None,
        };
        Box::pin(stream::try_unfold(state, |mut state| async move {
            let Some(builder) = state.builder.take() else {
                return Ok(None);
            };
            let request = match state.next_page {
                Some(page) => builder.clone().body_map(move |body| body.page(Some(page))),
                None => builder.clone(),
            };
            let response = request.send().await?.into_inner();
            if let Some(last) = state.last_page {
                if response.page <= last {
                    return Err(Error::Pagination(format!(
                        "filter_chat_sessions answered page {} after page {last}",
                        response.page
                    )));
                }
            }
            let page = NumberedPage {
                page: response.page,
                limit: response.limit,
                has_next: response.has_next,
                items: response.data,
            };
            if page.has_next && !page.items.is_empty() {
                state.builder = Some(builder);
                state.next_page = page.next_page();
                state.last_page = Some(page.page);
            }
            Ok(Some((page, state)))
        }))
    }
}

struct NumberedState<B> {
    /// `None` once the last page is fetched.
    builder: Option<B>,
    next_page: Option<u64>,
    last_page: Option<u64>,
}

struct CursorState<B> {
    /// `None` once the last page is fetched.
    builder: Option<B>,
    cursor: Option<String>,
    /// Fingerprints of every cursor followed, to notice a loop. Not the
    /// cursors themselves: those made a long export's memory grow by about
    /// 60 bytes a page (the memory benchmark), fingerprints by 9.
    seen: HashSet<u64>,
    fingerprint: RandomState,
    /// Ends the stream after the page that revealed it has been yielded.
    stop: Option<Error>,
}

/// Drives a cursor listing: `fetch(builder, cursor)` gets one page.
fn cursor_pages<'a, B, T, F, Fut>(
    builder: B,
    fetch: F,
) -> impl Stream<Item = Result<CursorPage<T>>> + Send + Unpin + 'a
where
    B: Clone + Send + 'a,
    T: Send + 'a,
    F: Fn(B, Option<String>) -> Fut + Send + Sync + 'a,
    Fut: Future<Output = Result<CursorPage<T>>> + Send + 'a,
{
    let state = CursorState {
        builder: Some(builder),
        cursor: None,
        seen: HashSet::new(),
        fingerprint: RandomState::new(),
        stop: None,
    };
    Box::pin(stream::try_unfold(
        (state, fetch),
        |(mut state, fetch)| async move {
            if let Some(error) = state.stop.take() {
                return Err(error);
            }
            let Some(builder) = state.builder.take() else {
                return Ok(None);
            };
            let page = fetch(builder.clone(), state.cursor.take()).await?;
            match &page.next_cursor {
                // An empty page ends the listing even if it names a cursor.
                Some(_) if page.items.is_empty() => {}
                Some(next) if !state.seen.insert(state.fingerprint.hash_one(next)) => {
                    // This page is new; following its cursor would repeat an earlier one.
                    state.stop = Some(Error::Pagination(format!(
                        "the server returned cursor {next:?} a second time"
                    )));
                }
                Some(next) => {
                    state.builder = Some(builder);
                    state.cursor = Some(next.clone());
                }
                None => {}
            }
            Ok(Some((page, (state, fetch))))
        },
    ))
}

/// The items of every page. Hand-rolled rather than `try_flatten` over
/// `stream::iter`: each item then moves once, not through three adapters,
/// which the stream-overhead benchmark showed at about 2% of an export.
fn flatten<'a, T, P>(
    mut pages: impl Stream<Item = Result<P>> + Send + Unpin + 'a,
) -> impl Stream<Item = Result<T>> + Send + Unpin + 'a
where
    T: Send + 'a,
    P: IntoIterator<Item = T> + Send + 'a,
    P::IntoIter: Send + Unpin + 'a,
{
    let mut page: Option<P::IntoIter> = None;
    stream::poll_fn(move |cx| loop {
        if let Some(item) = page.as_mut().and_then(Iterator::next) {
            return Poll::Ready(Some(Ok(item)));
        }
        page = None;
        match ready!(pages.poll_next_unpin(cx)) {
            Some(Ok(next)) => page = Some(next.into_iter()),
            Some(Err(error)) => return Poll::Ready(Some(Err(error))),
            None => return Poll::Ready(None),
        }
    })
}

impl<T> IntoIterator for CursorPage<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<T> IntoIterator for NumberedPage<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}
