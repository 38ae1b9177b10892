//! Bulk export (`opencx_api::export`) against a simulated OpenCX on loopback
//! that can enforce a rate limit and inject faults: every session once, in
//! listing order, with its whole history; resumable from any record; one
//! failing session does not end the run; a failing listing does, with a
//! checkpoint that resumes.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use futures::{StreamExt, TryStreamExt};
use opencx_api::config::RateLimit;
use opencx_api::export::ndjson::NdjsonFile;
use opencx_api::export::{Checkpoint, Exporter, Position, Record};
use opencx_api::prelude::*;
use opencx_tests::export_server::{self, history_ids, measure_export, opencx};
use opencx_tests::fault_server::{Fault, FaultServer, Plan};
use opencx_tests::{fixtures, quick_retries, run};

fn no_faults() -> Plan {
    Arc::new(|_, _| Fault::None)
}

/// An unlimited client with quick retries, for tests about what is exported.
fn client(server: &FaultServer) -> Client {
    opencx_tests::client_with_retries(&server.url(), quick_retries())
}

/// The fixture number of a session (its ticket number).
fn number(record: &Record) -> u32 {
    record.session().ticket_number as u32
}

/// Asserts `record` is session `n`, exported with its whole history in order.
fn assert_complete(record: &Record, n: u32) {
    let Record::Exported(export) = record else {
        panic!("session {n} failed: {record:?}");
    };
    assert_eq!(export.session.id.to_string(), fixtures::uuid(n));
    let history: Vec<String> = export.history.iter().map(|e| e.id.to_string()).collect();
    assert_eq!(history, history_ids(n), "history of session {n}");
}

/// A filter request for pages of `size`, so that checkpoints cross pages.
fn pages_of(size: u64) -> SessionFilterRequest {
    let mut request = SessionFilterRequest::default();
    request.limit = Some(size);
    request
}

/// Exports up to `stop_after` records, then drops the stream; the records and
/// the checkpoint after the last one, as saved and read back.
async fn export_until(exporter: Exporter<'_>, stop_after: usize) -> (Vec<Record>, Checkpoint) {
    let mut export = exporter.stream();
    let mut records = Vec::new();
    while records.len() < stop_after {
        match export.try_next().await.expect("the listing works") {
            Some(record) => records.push(record),
            None => break,
        }
    }
    let saved = serde_json::to_string(export.checkpoint()).unwrap();
    (records, serde_json::from_str(&saved).unwrap())
}

#[test]
fn an_export_at_the_rate_limit_yields_every_session_once_with_its_whole_history() {
    const SESSIONS: u32 = 200;
    let limit = RateLimit::new(40, Duration::from_millis(200));
    let run = measure_export(SESSIONS, limit, 8);
    for (record, n) in run.records.iter().zip(1..) {
        assert_complete(record, n);
    }
    assert_eq!(run.records.len(), SESSIONS as usize);
    // Two filter pages of 100, then every history page once: no retries.
    let expected = 2 + export_server::history_requests(SESSIONS) as usize;
    assert_eq!(run.server_requests, expected);
    assert_eq!(run.throughput.requests as usize, expected);
    assert_eq!(run.rate_limited, 0, "the server's limit refused requests");
    let fraction = run.throughput.fraction_of_limit().unwrap();
    eprintln!(
        "{} requests in {:?}: {:.0}/min, {:.1} % of what the limit allows",
        run.throughput.requests,
        run.elapsed,
        run.throughput.per_minute(),
        100.0 * fraction
    );
    assert!(
        fraction > 0.8,
        "the export left the limiter idle: {fraction}"
    );
}

#[test]
fn the_test_server_refuses_a_client_that_ignores_the_limit() {
    // Without this, "no 429" above could mean the server never refuses.
    let limit = RateLimit::new(40, Duration::from_millis(200));
    let server = export_server::limited(200, no_faults(), limit);
    let unlimited = opencx_tests::client_with_retries(&server.url(), quick_retries());
    let records = run(async {
        Exporter::filter(&unlimited, SessionFilterRequest::default())
            .concurrency(16)
            .stream()
            .take(60)
            .try_collect::<Vec<_>>()
            .await
    })
    .unwrap();
    assert_eq!(records.len(), 60);
    assert!(server.stats().rate_limited > 0);
}

#[test]
fn a_list_export_follows_cursors_and_yields_every_session_once() {
    let server = FaultServer::start_with(no_faults(), opencx(120), None);
    let client = client(&server);
    let records: Vec<Record> =
        run(
            Exporter::list(&client, |sessions| sessions.status(SessionStatus::Open))
                .stream()
                .try_collect(),
        )
        .unwrap();
    assert_eq!(records.len(), 120);
    for (record, n) in records.iter().zip(1..) {
        assert_complete(record, n);
    }
    assert!(server.stats().requests[0].0.contains("status=open"));
}

#[test]
fn an_export_dropped_anywhere_and_resumed_yields_every_session_exactly_once() {
    const SESSIONS: u32 = 90;
    let server = FaultServer::start_with(no_faults(), opencx(SESSIONS), None);
    let client = client(&server);
    // Mid-page, the last of a page, the first of the next, twice in a row.
    for cuts in [vec![1], vec![30], vec![31], vec![17, 40, 2], vec![89]] {
        let mut checkpoint = Checkpoint::default();
        let mut numbers = Vec::new();
        for cut in cuts.iter().copied().chain([usize::MAX]) {
            let exporter = Exporter::filter(&client, pages_of(30)).resume_from(checkpoint);
            let (records, saved) = run(export_until(exporter, cut));
            numbers.extend(records.iter().map(number));
            checkpoint = saved;
            assert_eq!(checkpoint.records() as usize, numbers.len());
        }
        assert_eq!(
            numbers,
            (1..=SESSIONS).collect::<Vec<_>>(),
            "cut at {cuts:?}"
        );
        assert!(checkpoint.is_finished());
    }
    // The same over the cursor listing.
    let mut checkpoint = Checkpoint::default();
    let mut numbers = Vec::new();
    for cut in [49, 1, usize::MAX] {
        let exporter = Exporter::list(&client, |s| s).resume_from(checkpoint);
        let (records, saved) = run(export_until(exporter, cut));
        numbers.extend(records.iter().map(number));
        checkpoint = saved;
    }
    assert_eq!(numbers, (1..=SESSIONS).collect::<Vec<_>>());
}

#[test]
fn a_checkpoint_holds_the_page_and_the_sessions_done_in_it() {
    let server = FaultServer::start_with(no_faults(), opencx(90), None);
    let client = client(&server);
    let (_, checkpoint) = run(export_until(Exporter::filter(&client, pages_of(30)), 32));
    assert_eq!(
        checkpoint.position(),
        &Position::Page {
            number: 2,
            size: 30
        }
    );
    let done: Vec<String> = checkpoint.done().iter().map(|id| id.to_string()).collect();
    assert_eq!(done, [fixtures::uuid(31), fixtures::uuid(32)]);
    let (_, checkpoint) = run(export_until(Exporter::filter(&client, pages_of(30)), 30));
    assert_eq!(
        checkpoint.position(),
        &Position::Page {
            number: 2,
            size: 30
        }
    );
    assert!(checkpoint.done().is_empty());
    // A page number means nothing to the cursor listing.
    let error = run(Exporter::list(&client, |s| s)
        .resume_from(checkpoint)
        .stream()
        .try_next())
    .unwrap_err();
    assert!(
        error.to_string().contains("other session listing"),
        "{error}"
    );
}

#[test]
fn a_session_that_keeps_failing_is_an_error_record_and_the_export_goes_on() {
    let broken = format!("/chat/sessions/{}/history", fixtures::uuid(7));
    let plan: Plan = Arc::new(move |target, _| {
        if target.starts_with(&broken) {
            Fault::Unavailable
        } else {
            Fault::None
        }
    });
    let server = FaultServer::start_with(plan, opencx(40), None);
    let client = client(&server);
    let mut export = Exporter::filter(&client, pages_of(10)).stream();
    let records: Vec<Record> = run(async {
        let mut records = Vec::new();
        while let Some(record) = export.try_next().await.unwrap() {
            records.push(record);
        }
        records
    });
    assert_eq!(records.len(), 40);
    for (record, n) in records.iter().zip(1..) {
        if n == 7 {
            let Record::Failed(failed) = record else {
                panic!("session 7 did not fail: {record:?}");
            };
            assert_eq!(failed.session.id.to_string(), fixtures::uuid(7));
            let message = failed.error.to_string();
            assert!(
                message.starts_with(
                    "OpenCX list_chat_history failed after 3 tries: 503 Service Unavailable"
                ),
                "{message}"
            );
            let line = serde_json::to_value(failed).unwrap();
            assert_eq!(line["session_id"], fixtures::uuid(7));
        } else {
            assert_complete(record, n);
        }
    }
    assert!(export.checkpoint().is_finished());
}

#[test]
fn a_failing_listing_ends_the_export_with_an_error_and_a_checkpoint_that_resumes() {
    let outage = Arc::new(AtomicBool::new(true));
    let down = outage.clone();
    // The third filter request on, until the outage ends.
    let plan: Plan = Arc::new(move |target, attempt| {
        if target == "/chat/sessions/filter" && attempt >= 2 && down.load(Ordering::SeqCst) {
            Fault::Unavailable
        } else {
            Fault::None
        }
    });
    let server = FaultServer::start_with(plan, opencx(100), None);
    let client = client(&server);
    let (records, error) = run(async {
        let mut export = Exporter::filter(&client, pages_of(25)).stream();
        let mut records = Vec::new();
        loop {
            match export.next().await {
                Some(Ok(record)) => records.push(record),
                Some(Err(error)) => {
                    assert!(export.next().await.is_none(), "the export went on");
                    return (records, error);
                }
                None => panic!("the export ended without the listing's error"),
            }
        }
    });
    assert_eq!(
        records.iter().map(number).collect::<Vec<_>>(),
        (1..=50).collect::<Vec<_>>()
    );
    let message = error.to_string();
    assert!(
        message.contains("after 50 records")
            && message
                .contains("filter_chat_sessions failed after 3 tries: 503 Service Unavailable"),
        "{message}"
    );
    assert_eq!(
        error.checkpoint.position(),
        &Position::Page {
            number: 3,
            size: 25
        }
    );
    outage.store(false, Ordering::SeqCst);
    let rest: Vec<Record> = run(Exporter::filter(&client, pages_of(25))
        .resume_from(error.checkpoint)
        .stream()
        .try_collect())
    .unwrap();
    assert_eq!(
        rest.iter().map(number).collect::<Vec<_>>(),
        (51..=100).collect::<Vec<_>>()
    );
}

#[test]
fn an_ndjson_file_killed_mid_line_resumes_with_every_session_exactly_once() {
    const SESSIONS: u32 = 60;
    let server = FaultServer::start_with(no_faults(), opencx(SESSIONS), None);
    let client = client(&server);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sessions.ndjson");
    let request = pages_of(25);

    // A first run writes 33 records, each with the checkpoint after it...
    let mut file = NdjsonFile::open(&path, &request).unwrap();
    let checkpoint = run(async {
        let mut export = Exporter::filter(&client, request.clone()).stream();
        for _ in 0..33 {
            let record = export.try_next().await.unwrap().unwrap();
            file.write(&record, export.checkpoint()).unwrap();
        }
        export.checkpoint().clone()
    });
    drop(file);
    // ...and was killed while writing a 34th line and before saving its checkpoint.
    let mut bytes = std::fs::read(&path).unwrap();
    bytes.extend_from_slice(b"{\"session\":{\"id\":\"3c90c3cc-0d44-4b50-8888-0000000");
    std::fs::write(&path, bytes).unwrap();

    // Another query must not append to this file.
    let other = pages_of(10);
    assert!(NdjsonFile::open(&path, &other).is_err());

    let mut file = NdjsonFile::open(&path, &request).unwrap();
    assert_eq!(file.checkpoint(), &checkpoint);
    run(async {
        let mut export = Exporter::filter(&client, request.clone())
            .resume_from(file.checkpoint().clone())
            .stream();
        while let Some(record) = export.try_next().await.unwrap() {
            file.write(&record, export.checkpoint()).unwrap();
        }
        file.save(export.checkpoint()).unwrap();
    });
    let text = std::fs::read_to_string(&path).unwrap();
    let mut seen = HashSet::new();
    let tickets: Vec<u64> = text
        .lines()
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).expect("whole lines");
            let ticket = value["session"]["ticket_number"].as_u64().unwrap();
            assert!(seen.insert(ticket), "session {ticket} twice");
            assert_eq!(
                value["history"].as_array().unwrap().len() as u32,
                export_server::history_len(ticket as u32)
            );
            ticket
        })
        .collect();
    assert_eq!(tickets, (1..=SESSIONS as u64).collect::<Vec<_>>());
    // Finished: opening again resumes nothing.
    assert!(NdjsonFile::open(&path, &request)
        .unwrap()
        .checkpoint()
        .is_finished());
    // A file with content and no checkpoint is not appended to.
    std::fs::remove_file(NdjsonFile::checkpoint_path(&path)).unwrap();
    assert!(NdjsonFile::open(&path, &request).is_err());
}
