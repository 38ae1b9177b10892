//! The session listing an export walks: either listing endpoint, as pages
//! that know their own [`Position`] and the one after them.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};

use super::{Position, Watermark};
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
    /// On the first page a cursor listing fetched: the server's time when it
    /// answered (its `Date` header), or without one the newest `updated_at`
    /// on the page, which cannot be later. An incremental run's next
    /// watermark stays below it.
    pub(crate) server_time: Option<DateTime<Utc>>,
}

impl<'a> Listing<'a> {
    /// The pages from `from` on, of the sessions changed since `since` when
    /// it is set. A position of the other endpoint is refused up front: a page
    /// number means nothing to a cursor listing; so is a watermark for the
    /// filter endpoint, which cannot select by update time.
    pub(crate) fn pages(
        &self,
        client: &'a Client,
        from: &Position,
        since: Option<&Watermark>,
    ) -> Result<BoxStream<'a, Result<ListedPage>>> {
        match (self, from) {
            (Listing::Filter(_), _) if since.is_some() => Err(Error::invalid_request(
                "an incremental export lists with Exporter::list: filter_chat_sessions cannot \
                 select sessions by update time"
                    .to_string(),
            )),
            (_, Position::Finished) => Ok(stream::empty().boxed()),
            (Listing::Filter(request), Position::Start | Position::Page { .. }) => {
                Ok(filter_pages(client, (**request).clone(), from))
            }
            (Listing::List(params), Position::Start | Position::Cursor(_)) => {
                Ok(list_pages(client, params.clone(), from.clone(), since))
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
                server_time: None,
            }
        })
        .boxed()
}

/// The list endpoint's pages from `from`, updated after `since` when set.
/// The first page is fetched on its own, for its answer's `Date`; the rest
/// through `.pages()`, from the cursor it names.
fn list_pages<'a>(
    client: &'a Client,
    params: ListParams<'a>,
    from: Position,
    since: Option<&Watermark>,
) -> BoxStream<'a, Result<ListedPage>> {
    let incremental = since.is_some();
    let builder = params(client.list_chat_sessions());
    // Ours, after the caller's: the watermark decides what a run lists.
    let builder = match since.and_then(Watermark::after) {
        Some(after) => builder.updated_after(after),
        None => builder,
    };
    let first = match &from {
        Position::Cursor(cursor) => builder.clone().cursor(cursor.clone()),
        _ => builder.clone(),
    };
    let first = async move {
        let answer = first.send().await?;
        let date = answer
            .headers()
            .get(reqwest::header::DATE)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| httpdate::parse_http_date(value).ok())
            .map(DateTime::<Utc>::from);
        Ok::<_, Error>((answer.into_inner(), date))
    };
    stream::once(first)
        .map(move |first| {
            let (page, date) = match first {
                Ok(first) => first,
                Err(error) => return stream::once(async { Err(error) }).boxed(),
            };
            let newest = page.items.iter().map(|session| session.updated_at).max();
            if incremental && date.is_none() && newest.is_some() {
                tracing::warn!(
                    "the session listing's answer has no Date header: an incremental export's \
                     watermark advances only to the newest updated_at of its first page"
                );
            }
            let next = next_position(page.next, page.items.is_empty());
            let head = ListedPage {
                items: page.items,
                at: from.clone(),
                next: next.clone(),
                server_time: date.or(newest),
            };
            let Position::Cursor(cursor) = &next else {
                return stream::once(async { Ok(head) }).boxed();
            };
            // A cursor page does not name its own cursor: carry it from the page before.
            let mut at = next.clone();
            let rest = builder
                .clone()
                .cursor(cursor.clone())
                .pages()
                .map_ok(move |page| {
                    let next = next_position(page.next_cursor, page.items.is_empty());
                    ListedPage {
                        items: page.items,
                        at: std::mem::replace(&mut at, next.clone()),
                        next,
                        server_time: None,
                    }
                });
            stream::once(async { Ok(head) }).chain(rest).boxed()
        })
        .flatten()
        .boxed()
}

/// The position after a cursor page: an empty page ends the listing even if
/// it names a cursor, as `.pages()` does.
fn next_position(cursor: Option<String>, empty: bool) -> Position {
    match cursor {
        Some(cursor) if !empty => Position::Cursor(cursor),
        _ => Position::Finished,
    }
}
