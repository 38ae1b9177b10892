//! A simulated OpenCX for export tests and benchmarks: `sessions` sessions
//! with histories of 0 to 12 entries in pages of [`HISTORY_PAGE`], served by a
//! [`FaultServer`] that can enforce a rate limit and inject faults.

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::TryStreamExt;
use opencx_api::config::RateLimit;
use opencx_api::export::{Exporter, Record, Throughput};
use opencx_api::types::SessionFilterRequest;
use opencx_api::Client;
use serde_json::{json, Value};

use crate::fault_server::{FaultServer, Handler, Plan, ServerLimit};
use crate::fixtures;

/// History entries per page: most sessions need two or three requests.
pub const HISTORY_PAGE: u32 = 4;
/// Sessions per page of the cursor listing.
pub const LIST_PAGE: u32 = 50;

/// How many history entries session `n` has: 0 to 12, so 1 to 3 pages.
pub fn history_len(n: u32) -> u32 {
    (n * 7) % 13
}

/// The ids of session `n`'s history entries, in order.
pub fn history_ids(n: u32) -> Vec<String> {
    (0..history_len(n))
        .map(|i| fixtures::uuid(n * 1000 + i))
        .collect()
}

/// The history requests exporting sessions `1..=sessions` takes.
pub fn history_requests(sessions: u32) -> u32 {
    (1..=sessions)
        .map(|n| history_len(n).div_ceil(HISTORY_PAGE).max(1))
        .sum()
}

/// Sessions `1..=sessions`: `/chat/sessions/filter` (numbered pages, the
/// body's `page` and `limit`), `/chat/sessions` (cursor pages of
/// [`LIST_PAGE`]) and `/chat/sessions/{id}/history` (cursor pages of
/// [`HISTORY_PAGE`]).
pub fn opencx(sessions: u32) -> Handler {
    Arc::new(move |request| {
        let (path, query) = request
            .target
            .split_once('?')
            .unwrap_or((request.target, ""));
        let cursor: u32 = query
            .split('&')
            .find_map(|pair| pair.strip_prefix("cursor="))
            .map_or(0, |c| c.parse().expect("a numeric cursor"));
        let body = if path == "/chat/sessions/filter" {
            let asked: Value = serde_json::from_slice(request.body).expect("a JSON body");
            let page = asked["page"].as_u64().unwrap_or(1) as u32;
            let limit = asked["limit"].as_u64().unwrap_or(25) as u32;
            let first = (page - 1) * limit + 1;
            let last = (first + limit - 1).min(sessions);
            let data: Vec<Value> = (first..=last).map(fixtures::session_json).collect();
            json!({"data": data, "page": page, "limit": limit,
                   "has_next": last < sessions, "has_previous": page > 1})
        } else if path == "/chat/sessions" {
            let first = cursor + 1;
            let last = (cursor + LIST_PAGE).min(sessions);
            let items: Vec<Value> = (first..=last).map(fixtures::session_json).collect();
            json!({"items": items, "next": (last < sessions).then(|| last.to_string())})
        } else if let Some(id) = path
            .strip_prefix("/chat/sessions/")
            .and_then(|rest| rest.strip_suffix("/history"))
        {
            let n: u32 = id
                .rsplit('-')
                .next()
                .unwrap()
                .parse()
                .expect("a fixture id");
            let len = history_len(n);
            let last = (cursor + HISTORY_PAGE).min(len);
            let items: Vec<Value> = (cursor..last)
                .map(|i| fixtures::message_json(n * 1000 + i, "export"))
                .collect();
            json!({"items": items, "next": (last < len).then(|| last.to_string())})
        } else {
            return (
                404,
                json!({"statusCode": 404, "message": "no such route"}).to_string(),
            );
        };
        (200, body.to_string())
    })
}

/// A server whose limit is `limit` plus two requests of burst: a request
/// the client sent on time can reach a loopback server a few ms after the one
/// sent behind it, which a bucket with no slack would count as over the limit.
pub fn limited(sessions: u32, plan: Plan, limit: RateLimit) -> FaultServer {
    let server_limit = ServerLimit {
        requests: limit.requests(),
        period: limit.period(),
        burst: limit.burst_size() + 2,
    };
    FaultServer::start_with(plan, opencx(sessions), Some(server_limit))
}

/// One measured export, for tests and benchmarks.
#[derive(Debug)]
pub struct ExportRun {
    /// Records yielded: sessions exported or failed.
    pub records: Vec<Record>,
    /// What the client measured (requests, time, its limit).
    pub throughput: Throughput,
    /// Requests the server saw.
    pub server_requests: usize,
    /// 429s the server's rate limit gave.
    pub rate_limited: usize,
    /// Wall time of the whole export.
    pub elapsed: Duration,
}

/// Exports `sessions` simulated sessions through the filter listing with a
/// client limited to `limit` and `concurrency` histories at once, against a
/// server enforcing the same limit; the benchmark's measurement.
///
/// ```no_run
/// use std::time::Duration;
/// let run = opencx_tests::export_server::measure_export(300, opencx_api::config::RateLimit::new(20, Duration::from_millis(200)), 8);
/// println!("{:.1} % of the limit", 100.0 * run.throughput.fraction_of_limit().unwrap());
/// ```
pub fn measure_export(sessions: u32, limit: RateLimit, concurrency: usize) -> ExportRun {
    let server = limited(
        sessions,
        Arc::new(|_, _| crate::fault_server::Fault::None),
        limit,
    );
    let client = limited_client(&server.url(), limit);
    let started = Instant::now();
    let (records, throughput) = crate::run(async {
        let mut export = Exporter::filter(&client, SessionFilterRequest::default())
            .concurrency(concurrency)
            .stream();
        let mut records = Vec::new();
        while let Some(record) = export
            .try_next()
            .await
            .expect("the listing never fails here")
        {
            records.push(record);
        }
        (records, export.throughput())
    });
    let stats = server.stats();
    ExportRun {
        records,
        throughput,
        server_requests: stats.requests.len(),
        rate_limited: stats.rate_limited,
        elapsed: started.elapsed(),
    }
}

/// A client for `url` with quick retries and the rate limit `limit`.
pub fn limited_client(url: &str, limit: RateLimit) -> Client {
    Client::builder()
        .base_url(url)
        .bearer_token(crate::TOKEN)
        .retry(crate::quick_retries())
        .rate_limit(limit)
        .build()
        .expect("a valid client")
}
