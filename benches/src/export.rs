//! Exports: every item of a long history listing through `.stream()`, as one
//! stream and as 8 concurrent streams sharing one client, paced by the
//! client's rate limiter against a server enforcing the same limit, and
//! through a server that injects faults.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use futures::TryStreamExt;
use opencx_api::config::{RateLimit, RetryPolicy};
use opencx_api::prelude::*;

use crate::pages::{index_of, Kind};
use crate::server::{Behaviour, Counters, Faults, Listing, Server};
use crate::{Figure, Section, Sizes};

/// Streams exported side by side in the concurrent run.
pub const STREAMS: u64 = 8;

/// One export's outcome.
struct Outcome {
    elapsed: Duration,
    /// The first error a stream ended with, if any.
    error: Option<String>,
    lost: u64,
    duplicated: u64,
}

/// Exports `listing` over `streams` shards with `client`.
fn export(client: &Client, listing: &Listing, streams: u64) -> Outcome {
    let started = Instant::now();
    let results = crate::runtime().block_on(futures::future::join_all((0..streams).map(|k| {
        client
            .list_chat_history()
            .session_id(format!("shard-{k}-of-{streams}"))
            .stream()
            .map_ok(|entry| index_of(&entry.id.to_string()))
            .try_collect::<Vec<u64>>()
    })));
    let elapsed = started.elapsed();
    let mut seen: HashMap<u64, u64> = HashMap::new();
    let mut error = None;
    for result in results {
        match result {
            Ok(ids) => ids
                .into_iter()
                .for_each(|id| *seen.entry(id).or_default() += 1),
            Err(e) => error = error.or(Some(e.to_string())),
        }
    }
    let lost = (0..listing.items())
        .filter(|id| !seen.contains_key(id))
        .count() as u64;
    let duplicated = seen.values().map(|&n| n.saturating_sub(1)).sum();
    Outcome {
        elapsed,
        error,
        lost,
        duplicated,
    }
}

fn history(pages: u64, per_page: u64) -> Listing {
    Listing {
        kind: Kind::History,
        pages,
        per_page,
        shardings: vec![1, STREAMS],
    }
}

/// Paced export at the limit.
pub fn paced(sizes: &Sizes) -> Section {
    let window = sizes.window;
    let r = u64::from(window.requests);
    // One page more than whole windows: the last request may go at the
    // start of the last window, so the best possible time is whole windows.
    let pages = r * sizes.paced_windows + 1;
    let best = window.period * sizes.paced_windows as u32;
    let mut rows = String::new();
    let mut figures = Vec::new();
    for streams in [1, STREAMS] {
        let listing = history(pages, sizes.per_page);
        let server = Server::start(
            listing.clone(),
            Behaviour {
                window: Some(window),
                faults: None,
            },
        );
        let client = crate::client(&server.url(), |b| {
            b.rate_limit(RateLimit::new(window.requests, window.period))
        });
        let outcome = export(&client, &listing, streams);
        let counters = server.counters();
        let too_many = Counters::get(&counters.too_many);
        let fraction = best.as_secs_f64() / outcome.elapsed.as_secs_f64();
        let rate = pages as f64 / outcome.elapsed.as_secs_f64();
        let name = if streams == 1 {
            "1 stream".to_string()
        } else {
            format!("{streams} concurrent streams, one client")
        };
        rows.push_str(&format!(
            "| {name} | {pages} | {:.2} s | {rate:.1} | {:.1}% | {too_many} | {} | {} | {} |\n",
            outcome.elapsed.as_secs_f64(),
            fraction * 100.0,
            outcome.lost,
            outcome.duplicated,
            outcome.error.as_deref().unwrap_or("none"),
        ));
        figures.push(
            Figure::new(
                format!("{name}: achieved ÷ best the limit allows"),
                format!("{:.1}%", fraction * 100.0),
            )
            .target("≥ 97%", fraction >= 0.97),
        );
        figures.push(
            Figure::new(format!("{name}: 429s"), too_many.to_string()).target("0", too_many == 0),
        );
        figures.push(
            Figure::new(
                format!("{name}: items lost / duplicated"),
                format!("{} / {}", outcome.lost, outcome.duplicated),
            )
            .target(
                "0 / 0",
                outcome.lost == 0 && outcome.duplicated == 0 && outcome.error.is_none(),
            ),
        );
    }
    let bulk = crate::bulk_export::run(window, sizes.paced_windows);
    let bulk_rate = bulk.requests as f64 / bulk.elapsed.as_secs_f64();
    figures.push(
        Figure::new(
            "bulk export (`opencx_api::export`): achieved rate ÷ limit",
            format!("{:.1}%", bulk.fraction * 100.0),
        )
        .target("≥ 97%", bulk.fraction >= 0.97),
    );
    figures.push(
        Figure::new(
            "bulk export (`opencx_api::export`): 429s",
            bulk.too_many.to_string(),
        )
        .target("0", bulk.too_many == 0),
    );
    figures.push(
        Figure::new(
            "bulk export (`opencx_api::export`): sessions lost / duplicated",
            format!("{} / {}", bulk.lost, bulk.duplicated),
        )
        .target(
            "0 / 0",
            bulk.lost == 0 && bulk.duplicated == 0 && bulk.failed == 0,
        ),
    );
    let body = format!(
        "The server allows R = {r} requests in any {period:?} (a sliding window) and answers \
         429 with `Retry-After` beyond it; the client is built with \
         `RateLimit::new({r}, {period:?})` (burst R, the default) and default retries. The export \
         streams {pages} pages of {per_page} history entries. The best time any client can reach \
         under the limit is {windows} windows ({best:?}): R requests at once, then R more each \
         time the window has passed. *Achieved* is that best time ÷ the measured time.\n\n\
         The bulk export runs `opencx_api::export::Exporter::filter` (concurrency \
         {concurrency}) over {sessions} sessions, each with its whole history (1 to 3 history \
         pages), against the simulated OpenCX of the export tests \
         (`opencx_tests::export_server::measure_export`), at the same R and period; that \
         server counts with a token bucket of burst R + 2. Its *achieved* is \
         `Throughput::fraction_of_limit()`, the same measure: the shortest time the limit \
         allows for the requests it sent ÷ the time taken; *lost* and *duplicated* count \
         sessions, and a session whose history failed counts as lost.\n\n\
         | export | pages | time | requests/s | achieved | 429s | lost | duplicated | error |\n\
         | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n{rows}\
         | bulk export (`opencx_api::export`) | {sessions} sessions, {bulk_requests} requests | \
         {bulk_time:.2} s | {bulk_rate:.1} | {bulk_fraction:.1}% | {bulk_429} | {bulk_lost} | \
         {bulk_dup} | none |\n",
        concurrency = opencx_api::export::DEFAULT_CONCURRENCY,
        sessions = bulk.sessions,
        bulk_requests = bulk.requests,
        bulk_time = bulk.elapsed.as_secs_f64(),
        bulk_fraction = bulk.fraction * 100.0,
        bulk_429 = bulk.too_many,
        bulk_lost = bulk.lost + bulk.failed,
        bulk_dup = bulk.duplicated,
        period = window.period,
        per_page = sizes.per_page,
        windows = sizes.paced_windows,
    );
    Section {
        key: "paced",
        title: "4. Paced export at the limit".into(),
        figures,
        body,
    }
}

/// Export through faults.
pub fn faults(sizes: &Sizes) -> Section {
    let pages = sizes.fault_pages;
    let policy = RetryPolicy::default()
        .max_retries(3)
        .initial_backoff(Duration::from_millis(10))
        .max_backoff(Duration::from_millis(50));
    let mut rows = String::new();
    let mut figures = Vec::new();
    for streams in [1, STREAMS] {
        let listing = history(pages, sizes.per_page);
        let server = Server::start(
            listing.clone(),
            Behaviour {
                window: None,
                faults: Some(Faults {
                    percent: sizes.fault_percent,
                    seed: 0x5eed + streams,
                }),
            },
        );
        let client = crate::client(&server.url(), |b| b.no_rate_limit().retry(policy.clone()));
        let outcome = export(&client, &listing, streams);
        let c = server.counters();
        let requests = Counters::get(&c.requests);
        let extra = requests.saturating_sub(pages);
        let complete = outcome.error.is_none() && outcome.lost == 0;
        let name = if streams == 1 {
            "1 stream".to_string()
        } else {
            format!("{streams} concurrent streams")
        };
        rows.push_str(&format!(
            "| {name} | {} | {:.2} s | {pages} | {requests} | {extra} ({:.1}%) | {} / {} / {} | {} | {} |\n",
            if complete { "yes" } else { "**no**" },
            outcome.elapsed.as_secs_f64(),
            extra as f64 * 100.0 / pages as f64,
            Counters::get(&c.unavailable),
            Counters::get(&c.closed),
            Counters::get(&c.cut),
            outcome.lost,
            outcome.duplicated,
        ));
        figures.push(
            Figure::new(
                format!("{name}: complete, items lost / duplicated"),
                format!(
                    "{}, {} / {}",
                    if complete { "yes" } else { "no" },
                    outcome.lost,
                    outcome.duplicated
                ),
            )
            .target("yes, 0 / 0", complete && outcome.duplicated == 0),
        );
        figures.push(Figure::new(
            format!("{name}: extra requests"),
            format!("{extra} for {pages} pages"),
        ));
    }
    let body = format!(
        "{pages} pages of {per_page} history entries from a server that fails {percent}% of tries \
         (seeded; only a request's first three tries can fail), in equal parts: 503 with \
         `Retry-After: 1` and `retry-after-ms: 20`, the connection closed before the answer, the \
         body cut short after half. Client: no rate limit, `RetryPolicy::default().max_retries(3)` \
         with backoff from 10 ms to 50 ms.\n\n\
         | export | complete | time | pages | requests | extra | 503 / closed / cut | lost | duplicated |\n\
         | --- | --- | ---: | ---: | ---: | ---: | --- | ---: | ---: |\n{rows}",
        per_page = sizes.per_page,
        percent = sizes.fault_percent,
    );
    Section {
        key: "faults",
        title: "5. Export through faults".into(),
        figures,
        body,
    }
}
