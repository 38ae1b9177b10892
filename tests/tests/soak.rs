//! Soak: long history exports over a loopback server that injects, at a fixed
//! seed, 503s, 429s with `Retry-After`, connections closed before the answer
//! and bodies cut short. Within the retry budget every entry arrives exactly
//! once, in order; beyond it a stream ends with one clear error and repeats
//! nothing. Waits are a millisecond or two, so the whole file runs in seconds.

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::StreamExt;
use opencx_api::prelude::*;
use opencx_tests::fault_server::{seeded, Content, Fault, FaultServer, Plan, Stats};
use opencx_tests::{fixtures, quick_retries, run};
use serde_json::json;

/// Entries per session: a long export.
const ENTRIES: u32 = 3000;
const PAGE: u32 = 50;
const SEED: u64 = 0x5eed_f00d;
/// Share of requests that fail, in percent.
const FAULT_PERCENT: u64 = 30;
/// Retries allowed per request; the seeded plan never fails one more often.
const BUDGET: u32 = 4;

/// `/chat/sessions/{id}/history?cursor=N` answers page N (0 without cursor).
fn history() -> Content {
    Arc::new(|target| {
        let page: u32 = target
            .split_once("cursor=")
            .map_or(0, |(_, n)| n.parse().expect("a numeric cursor"));
        let first = page * PAGE;
        let last = (first + PAGE).min(ENTRIES);
        let items: Vec<_> = (first..last)
            .map(|n| fixtures::message_json(n, "soak"))
            .collect();
        let next = (last < ENTRIES).then(|| (page + 1).to_string());
        (200, json!({"items": items, "next": next}).to_string())
    })
}

fn client(url: &str) -> Client {
    opencx_tests::client_with_retries(url, quick_retries().max_retries(BUDGET))
}

/// Exports the history of every session at once on one client; each stream's
/// results in the order it yielded them, with the time it took.
fn export(server: &FaultServer, sessions: usize) -> (Vec<Vec<Result<String, Error>>>, Duration) {
    let client = client(&server.url());
    let started = Instant::now();
    let results = run(futures::future::join_all((0..sessions).map(|s| {
        client
            .list_chat_history()
            .session_id(format!("s{s}"))
            .stream()
            .map(|entry| entry.map(|e| e.id.to_string()))
            .collect::<Vec<_>>()
    })));
    (results, started.elapsed())
}

fn every_entry() -> Vec<String> {
    (0..ENTRIES).map(fixtures::uuid).collect()
}

fn report(what: &str, stats: &Stats, took: Duration) {
    let count = |f: fn(&Fault) -> bool| stats.count(f);
    eprintln!(
        "{what}: {} requests in {took:?}: {} x 503, {} x 429, {} closed before the answer, {} cut short; at most {} tries per page",
        stats.requests.len(),
        count(|f| *f == Fault::Unavailable),
        count(|f| matches!(f, Fault::TooManyRequests { .. })),
        count(|f| *f == Fault::CloseBeforeAnswer),
        count(|f| *f == Fault::CutBody),
        stats.attempts.values().max().unwrap_or(&0),
    );
}

/// What every soak run must show of the server's side.
fn assert_within_budget(stats: &Stats) {
    assert!(
        stats.attempts.values().all(|&n| n <= BUDGET + 1),
        "a page was asked for more often than the budget allows"
    );
    assert_eq!(
        stats.max_in_flight_per_path, 1,
        "a stream had two requests in flight"
    );
}

fn assert_every_fault_happened(stats: &Stats) {
    for (name, seen) in [
        ("503", stats.count(|f| *f == Fault::Unavailable)),
        (
            "429",
            stats.count(|f| matches!(f, Fault::TooManyRequests { .. })),
        ),
        ("close", stats.count(|f| *f == Fault::CloseBeforeAnswer)),
        ("cut body", stats.count(|f| *f == Fault::CutBody)),
    ] {
        assert!(seen > 0, "the seed injected no {name}");
    }
}

fn complete(results: Vec<Result<String, Error>>) -> Vec<String> {
    results
        .into_iter()
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("the export failed: {e}"))
}

#[test]
fn one_long_export_gets_every_entry_exactly_once_in_order() {
    let server = FaultServer::start(seeded(SEED, FAULT_PERCENT, BUDGET), history());
    let (mut results, took) = export(&server, 1);
    let stats = server.stats();
    report("1 stream", &stats, took);
    assert_eq!(complete(results.remove(0)), every_entry());
    assert_within_budget(&stats);
    assert_every_fault_happened(&stats);
}

#[test]
fn eight_exports_at_once_on_one_client_each_get_every_entry_once() {
    let server = FaultServer::start(seeded(SEED, FAULT_PERCENT, BUDGET), history());
    let (results, took) = export(&server, 8);
    let stats = server.stats();
    report("8 streams", &stats, took);
    for results in results {
        assert_eq!(complete(results), every_entry());
    }
    assert_within_budget(&stats);
    assert_every_fault_happened(&stats);
}

/// The seeded faults, plus one page per session that fails with `fault` every
/// time: session `sN` breaks at page `10 + N`.
fn beyond_budget(fault: Fault) -> Plan {
    let transient = seeded(SEED, FAULT_PERCENT, BUDGET);
    Arc::new(move |target, attempt| {
        let session: u32 = target["/chat/sessions/s".len()..]
            .split('/')
            .next()
            .and_then(|s| s.parse().ok())
            .expect("a soak session id");
        if target.ends_with(&format!("cursor={}", 10 + session)) {
            fault
        } else {
            transient(target, attempt)
        }
    })
}

/// A stream that met a fault beyond the budget: every entry before the broken
/// page once and in order, then one error, then nothing.
fn assert_ends_with_one_error(session: u32, results: Vec<Result<String, Error>>) -> Error {
    let mut results = results;
    let error = match results.pop() {
        Some(Err(error)) => error,
        other => panic!("s{session} did not end with an error: {other:?}"),
    };
    let before = (10 + session) * PAGE;
    assert_eq!(
        complete(results),
        every_entry()[..before as usize],
        "s{session}"
    );
    error
}

#[test]
fn faults_beyond_the_budget_end_each_stream_with_one_clear_error() {
    for (fault, message) in [
        (
            Fault::Unavailable,
            "503 Service Unavailable: busy".to_string(),
        ),
        (Fault::CutBody, "body cut short after".to_string()),
    ] {
        for sessions in [1, 8] {
            let server = FaultServer::start(beyond_budget(fault), history());
            let (results, took) = export(&server, sessions);
            let stats = server.stats();
            report(
                &format!("{sessions} streams, {fault:?} beyond the budget"),
                &stats,
                took,
            );
            for (session, results) in results.into_iter().enumerate() {
                let error = assert_ends_with_one_error(session as u32, results).to_string();
                let expected = format!(
                    "OpenCX list_chat_history failed after {} tries: {message}",
                    BUDGET + 1
                );
                assert!(error.starts_with(&expected), "{error}");
            }
            assert_within_budget(&stats);
        }
    }
}
