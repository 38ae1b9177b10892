//! Incremental export: a run over many sessions of which 1 % changed since
//! the last, against what a full export of the same sessions takes, at the
//! limit. The incremental run is measured against the simulated OpenCX of
//! the incremental export tests (`opencx_tests::changing_server`), enforcing
//! the limit; the full export's requests are counted from the same fixture,
//! and its time is the shortest the limit allows (§4's bulk export shows the
//! exporter within a few percent of that).

use std::collections::HashSet;
use std::time::Duration;

use chrono::{TimeDelta, Utc};
use futures::TryStreamExt;
use opencx_api::config::RateLimit;
use opencx_api::export::{Exporter, Record, Watermark, DEFAULT_CONCURRENCY};
use opencx_tests::changing_server::{Behaviour, ChangingOpenCx, HISTORY_PAGE};
use opencx_tests::fault_server::ServerLimit;

use crate::{Figure, Section, Sizes};

/// Sessions per page of the session listing, as in the export tests.
const LIST_PAGE: usize = 50;

/// One incremental run's outcome.
struct Run {
    requests: u64,
    elapsed: Duration,
    fraction: f64,
    too_many: usize,
    exported: usize,
    lost: usize,
    duplicated: usize,
}

/// History requests reading `messages` entries take.
fn history_requests(messages: u32) -> u64 {
    u64::from(messages.div_ceil(HISTORY_PAGE).max(1))
}

/// Exports what changed since a watermark over `sessions` sessions, of which
/// `changed` were updated after it, at `limit`; and what a full export of the
/// same sessions sends.
fn measure(sessions: u32, changed: u32, limit: RateLimit) -> (Run, u64) {
    let server = ChangingOpenCx::start_limited(
        sessions,
        Utc::now(),
        Behaviour {
            page_size: LIST_PAGE,
            ..Behaviour::default()
        },
        Some(ServerLimit {
            requests: limit.requests(),
            period: limit.period(),
            // Slack for requests that reach a loopback server out of order.
            burst: limit.burst_size() + 2,
        }),
    );
    let (since, full_requests, expected) = {
        let mut store = server.store();
        // The last run ended here; an hour later, 1 % of the sessions changed.
        let since = Watermark::new(store.now);
        store.tick(TimeDelta::hours(1));
        let step = sessions / changed.max(1);
        let expected: HashSet<u32> = (1..=changed).map(|k| k * step).collect();
        for &n in &expected {
            store.update(n);
        }
        let full = u64::from(sessions).div_ceil(LIST_PAGE as u64)
            + store
                .sessions()
                .values()
                .map(|v| history_requests(v.messages))
                .sum::<u64>();
        (since, full, expected)
    };
    let client = crate::client(&server.url(), |b| {
        b.rate_limit(limit).retry(opencx_tests::quick_retries())
    });
    let (records, throughput) = crate::runtime().block_on(async {
        let mut export = Exporter::list(&client, |s| s)
            .concurrency(DEFAULT_CONCURRENCY)
            .changes_since(since)
            .stream();
        let mut records = Vec::new();
        while let Some(record) = export.try_next().await.expect("the listing works") {
            records.push(record);
        }
        (records, export.throughput())
    });
    let mut seen = HashSet::new();
    let mut duplicated = 0;
    for record in &records {
        if let Record::Exported(export) = record {
            duplicated += usize::from(!seen.insert(export.session.ticket_number as u32));
        }
    }
    let run = Run {
        requests: throughput.requests,
        elapsed: throughput.elapsed,
        fraction: throughput.fraction_of_limit().unwrap_or(0.0),
        too_many: server.rate_limited(),
        exported: seen.len(),
        lost: expected.difference(&seen).count(),
        duplicated,
    };
    (run, full_requests)
}

/// A time at OpenCX's limit; none is requests within its burst.
fn minutes(d: Duration) -> String {
    let m = d.as_secs_f64() / 60.0;
    if d.is_zero() {
        "at once (within the burst)".to_string()
    } else if m >= 120.0 {
        format!("{:.1} h", m / 60.0)
    } else {
        format!("{m:.1} min")
    }
}

/// The incremental export figure.
pub fn run(sizes: &Sizes) -> Section {
    let window = sizes.window;
    let limit = RateLimit::new(window.requests, window.period);
    let opencx = RateLimit::per_minute(100);
    let sessions = sizes.incremental_sessions;
    let changed = sessions / 100;
    let (run, full) = measure(sessions, changed, limit);
    let full_here = limit.shortest_time_for(full);
    let per_minute = f64::from(window.requests) * 60.0 / window.period.as_secs_f64();
    let mut figures = vec![
        Figure::new(
            format!("{changed} of {sessions} sessions changed: requests, incremental / full"),
            format!("{} / {full}", run.requests),
        ),
        Figure::new(
            format!("{changed} of {sessions} sessions changed: time at OpenCX's 100/min, incremental / full"),
            format!(
                "{} / {}",
                minutes(opencx.shortest_time_for(run.requests)),
                minutes(opencx.shortest_time_for(full))
            ),
        ),
        Figure::new(
            "incremental run: achieved ÷ what the limit allows",
            format!("{:.1}%", run.fraction * 100.0),
        )
        .target("≥ 97%", run.fraction >= 0.97),
    ];
    figures.push(
        Figure::new("incremental run: 429s", run.too_many.to_string())
            .target("0", run.too_many == 0),
    );
    figures.push(
        Figure::new(
            "incremental run: changed sessions lost / duplicated",
            format!("{} / {}", run.lost, run.duplicated),
        )
        .target("0 / 0", run.lost == 0 && run.duplicated == 0),
    );
    let body = format!(
        "{sessions} sessions on the simulated OpenCX of the incremental export tests \
         (`opencx_tests::changing_server`: a session listing of {LIST_PAGE} a page that honours \
         `updated_after`, histories of 1 to 3 pages of {HISTORY_PAGE}); the last run's watermark \
         is an hour old and {changed} sessions (1 %) were updated since. The incremental run is \
         `Exporter::list(..).changes_since(watermark)` (concurrency {DEFAULT_CONCURRENCY}) through \
         a client limited to {r} requests per {period:?} ({per_minute:.0}/min, burst {r}), against \
         a server enforcing the same limit; its requests and time are measured. The full export's \
         requests are counted from the same fixture (one listing request per {LIST_PAGE} \
         sessions, then every history page), and its time is the shortest the limit allows for \
         them. The last column is what the same requests take at OpenCX's documented 100 \
         requests/min: the shortest time that limit allows.\n\n\
         | run | sessions exported | requests | time at {per_minute:.0}/min | achieved | 429s | time at 100/min |\n\
         | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n\
         | incremental, {changed} of {sessions} changed (measured) | {exported} | {requests} | {time:.2} s | {fraction:.1}% | {too_many} | {inc_opencx} |\n\
         | full export (counted; shortest time) | {sessions} | {full} | {full_time:.1} s | — | — | {full_opencx} |\n",
        r = window.requests,
        period = window.period,
        exported = run.exported,
        requests = run.requests,
        time = run.elapsed.as_secs_f64(),
        fraction = run.fraction * 100.0,
        too_many = run.too_many,
        inc_opencx = minutes(opencx.shortest_time_for(run.requests)),
        full_time = full_here.as_secs_f64(),
        full_opencx = minutes(opencx.shortest_time_for(full)),
    );
    Section {
        key: "incremental",
        title: "9. Incremental export".into(),
        figures,
        body,
    }
}
