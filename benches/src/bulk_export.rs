//! Bulk export through `opencx_api::export::Exporter`: the sessions of a
//! filter listing, each with its whole history, at the same limit as the
//! paced exports, against the simulated OpenCX the export tests use
//! (`opencx_tests::export_server`), so the bench measures what the tests
//! check.

use std::collections::HashMap;
use std::time::Duration;

use opencx_api::config::RateLimit;
use opencx_api::export::DEFAULT_CONCURRENCY;
use opencx_api::pagination::MAX_FILTER_PAGE_SIZE;
use opencx_tests::export_server::{history_requests, measure_export};
use opencx_tests::fixtures;

use crate::server::Window;

/// One bulk export's outcome.
#[derive(Clone, Debug)]
pub struct Bulk {
    pub sessions: u32,
    /// Requests the client sent (listing and histories, retries included).
    pub requests: u64,
    pub elapsed: Duration,
    /// `Throughput::fraction_of_limit`: the shortest time the limit allows
    /// for these requests ÷ the time taken, as for the other exports.
    pub fraction: f64,
    /// 429s the server answered.
    pub too_many: usize,
    /// Sessions never yielded, yielded twice, or yielded as failed.
    pub lost: u64,
    pub duplicated: u64,
    pub failed: u64,
}

/// Exports as many sessions as take about `windows` windows of `window`'s
/// requests, with the client limited to the same rate.
pub fn run(window: Window, windows: u64) -> Bulk {
    let target = u64::from(window.requests) * windows + 1;
    // Each session costs one to three history requests; the filter listing
    // one request per MAX_FILTER_PAGE_SIZE sessions.
    let sessions = (1..)
        .find(|&n: &u32| {
            u64::from(history_requests(n)) + u64::from(n).div_ceil(MAX_FILTER_PAGE_SIZE) >= target
        })
        .expect("some number of sessions fills the windows");
    let limit = RateLimit::new(window.requests, window.period);
    let run = measure_export(sessions, limit, DEFAULT_CONCURRENCY);
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut failed = 0;
    for record in &run.records {
        *seen.entry(record.session().id.to_string()).or_default() += 1;
        failed += u64::from(!matches!(record, opencx_api::export::Record::Exported(_)));
    }
    let lost = (1..=sessions)
        .filter(|&n| !seen.contains_key(&fixtures::uuid(n)))
        .count() as u64;
    Bulk {
        sessions,
        requests: run.throughput.requests,
        elapsed: run.throughput.elapsed,
        fraction: run
            .throughput
            .fraction_of_limit()
            .expect("the client has a limit"),
        too_many: run.rate_limited,
        lost,
        duplicated: seen.values().map(|&n| n.saturating_sub(1)).sum(),
        failed,
    }
}
