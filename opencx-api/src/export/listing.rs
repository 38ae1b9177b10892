//! The session listing an export walks: either listing endpoint, as pages
//! that know their own [`Position`] and the one after them.

use std::sync::Arc;

use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};

use super::Position;
use crate::builder::ListChatSessions;
use crate::pagination::{FilterChatSessionsExt, ListChatSessionsExt, MAX_FILTER_PAGE_SIZE};
use crate::types::{Session, SessionFilterRequest, SessionSortField, SortOrder};
use crate::{Client, Error, Result};

/// Sets the parameters of a `list_chat_sessions` request.
pub(crate) type ListParams<'a> =
    Arc<dyn Fn(ListChatSessions<'a>) -> ListChatSessions<'a> + Send + Sync + 'a>;

/// Which endpoint lists the sessions, with the caller's criteria.
#[derive(Clone)]
pub(crate) enum Listing<'a> {
    Filter(Box<SessionFilterRequest>),
    List(ListParams<'a>),
}

/// One listing page, placed.
pub(crate) struct ListedPage {
    pub(crate) items: Vec<Session>,
    /// Where this page is; resuming there fetches it again.
    pub(crate) at: Position,
    /// Where the page after it is; `Finished` after the last.
    pub(crate) next: Position,
}

impl<'a> Listing<'a> {
    /// The pages from `from` on. A position of the other endpoint is refused
    /// up front: a page number means nothing to a cursor listing.
    pub(crate) fn pages(
        &self,
        client: &'a Client,
        from: &Position,
    ) -> Result<BoxStream<'a, Result<ListedPage>>> {
        match (self, from) {
            (_, Position::Finished) => Ok(stream::empty().boxed()),
            (Listing::Filter(request), Position::Start | Position::Page { .. }) => {
                Ok(filter_pages(client, (**request).clone(), from))
            }
            (Listing::List(params), Position::Start | Position::Cursor(_)) => {
                Ok(list_pages(client, params.clone(), from.clone()))
            }
            (_, other) => Err(Error::invalid_request(format!(
                "a checkpoint at {other:?} belongs to an export over the other session listing"
            ))),
        }
    }
}

fn filter_pages<'a>(
    client: &'a Client,
    mut request: SessionFilterRequest,
    from: &Position,
) -> BoxStream<'a, Result<ListedPage>> {
    // Page N must hold the same sessions when a run resumes there. The API's
    // default order, last message first, moves a session to the front each
    // time its conversation goes on, so it could be exported twice or never;
    // creation order only grows at the end.
    if request.sort_by.is_none() {
        request.sort_by = Some(SessionSortField::CreatedAt);
        request.sort_order = request.sort_order.or(Some(SortOrder::Asc));
    }
    match from {
        Position::Page { number, size } => {
            request.page = Some(*number);
            request.limit = Some(*size);
        }
        _ => {
            request.page = Some(1);
            request.limit = request.limit.or(Some(MAX_FILTER_PAGE_SIZE));
        }
    }
    client
        .filter_chat_sessions()
        .body(request)
        .pages()
        .map_ok(|page| {
            let at = Position::Page {
                number: page.page,
                size: page.limit,
            };
            let next = match page.next_page() {
                Some(number) if !page.items.is_empty() => Position::Page {
                    number,
                    size: page.limit,
                },
                _ => Position::Finished,
            };
            ListedPage {
                items: page.items,
                at,
                next,
            }
        })
        .boxed()
}

fn list_pages<'a>(
    client: &'a Client,
    params: ListParams<'a>,
    from: Position,
) -> BoxStream<'a, Result<ListedPage>> {
    let builder = params(client.list_chat_sessions());
    let builder = match &from {
        Position::Cursor(cursor) => builder.cursor(cursor.clone()),
        _ => builder,
    };
    // A cursor page does not name its own cursor: carry it from the page before.
    let mut at = from;
    builder
        .pages()
        .map_ok(move |page| {
            let next = match page.next_cursor {
                Some(cursor) if !page.items.is_empty() => Position::Cursor(cursor),
                _ => Position::Finished,
            };
            let this = std::mem::replace(&mut at, next.clone());
            ListedPage {
                items: page.items,
                at: this,
                next,
            }
        })
        .boxed()
}
