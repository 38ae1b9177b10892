//! Incremental export (`opencx_api::export::incremental`) against a
//! simulated OpenCX whose sessions are created and updated between runs and
//! while a run is listing, on a server clock hours away from this machine's:
//! across consecutive runs no change is lost and no session is written twice
//! for one `updated_at`; a killed run resumes without losing or repeating
//! anything; a damaged state file is an error that names it.

mod checks;
mod sync;

use chrono::{TimeDelta, Utc};
use futures::TryStreamExt;
use opencx_api::export::incremental::OVERLAP;
use opencx_api::export::ndjson::NdjsonFile;
use opencx_api::export::{Exporter, Watermark};
use opencx_tests::changing_server::{Behaviour, ChangingOpenCx, Order};
use opencx_tests::{fixtures, quick_retries, run};

use checks::{assert_none_repeated, assert_nothing_lost_or_repeated};
use sync::{server_clock, Sync, QUERY};

/// Five runs with sessions created and updated between them and during the
/// listing: after it passed them, before it reached them, at one timestamp,
/// committed late, and one exactly at the watermark.
fn five_runs(behaviour: Behaviour, clock_hours: i64) {
    let clock = server_clock(clock_hours);
    let server = ChangingOpenCx::start(40, clock, behaviour);
    let mut sync = Sync::new(&server);

    // Run 1, the full export, long as a full export is (hours on the
    // server's clock). Page 1 holds sessions 1 to 4 (in either order).
    {
        let mut store = server.store();
        store.after_list_page(1, |s| {
            s.update(2); // the listing is past it
            s.update(30); // not reached yet
            s.create(); // 41
            s.tick(TimeDelta::hours(3));
        });
        store.after_list_page(5, |s| {
            s.update(3); // past it too, hours later
            s.update(35); // listed at a time far past the listing's start
            s.update(1);
            s.update(1); // twice in one run
        });
    }
    let began = server.store().now;
    let first = sync.run(&server);
    assert_eq!(first.watermark(), Some(&Watermark::default()));
    assert!(sync.runs[0].len() >= 41, "{:?}", sync.runs[0]);
    // From the server's clock, not this machine's: the listing began at
    // `began` (its first answer is dated a few changes later).
    let w1 = sync.state().after().expect("a watermark");
    if behaviour.date {
        assert!(
            w1 >= began - OVERLAP && w1 <= began - OVERLAP + TimeDelta::seconds(5),
            "{w1} for a listing that began at {began}"
        );
    } else {
        // The newest `updated_at` on the first page stands in for the `Date`.
        assert!(w1 <= began - TimeDelta::days(1) - OVERLAP, "{w1}");
    }
    assert!(
        (Utc::now() - w1).abs() > TimeDelta::hours(2),
        "{w1} is near the local clock"
    );

    // Between runs 1 and 2: an hour passes.
    {
        let mut store = server.store();
        store.tick(TimeDelta::minutes(60));
        store.update(10);
        store.update(11);
        let same = store.now;
        store.stamp(12, same); // two sessions at one timestamp
        store.stamp(13, same);
        store.tick(TimeDelta::seconds(1));
        // Stamped a minute before run 1's listing began, committed only now.
        store.stamp(14, began - TimeDelta::minutes(1));
        store.after_list_page(1, |s| {
            s.update(11); // listed on page 1 in creation order: the listing is past it
            s.update(40); // not reached yet
        });
    }
    sync.run(&server);
    assert!(
        sync.runs[1].len() < 20,
        "run 2 re-exported unchanged sessions: {:?}",
        sync.runs[1]
    );

    // Between runs 2 and 3: session 21 updated five minutes before session 20,
    // so that run 3's watermark is exactly 21's `updated_at`.
    let exactly = {
        let mut store = server.store();
        store.tick(TimeDelta::minutes(60));
        let at = store.update(21);
        store.tick(OVERLAP - TimeDelta::seconds(1));
        store.update(20);
        at
    };
    sync.run(&server);
    if behaviour.date {
        assert_eq!(sync.state().after(), Some(exactly));
    }

    // Between runs 3 and 4; during run 4 the listing passes 5 and 6 first.
    {
        let mut store = server.store();
        store.tick(TimeDelta::minutes(60));
        store.update(5);
        store.create(); // 42
        let same = store.now;
        store.stamp(6, same);
        store.stamp(7, same);
        store.tick(TimeDelta::seconds(1));
        store.after_list_page(1, |s| {
            s.update(5);
            s.update(6);
            s.create(); // 43
        });
    }
    sync.run(&server);

    // Between runs 4 and 5; nothing changes during run 5.
    {
        let mut store = server.store();
        store.tick(TimeDelta::minutes(60));
        store.update(8);
        store.update(9);
    }
    sync.run(&server);

    let store = server.store();
    assert_nothing_lost_or_repeated(store.made(), &sync.runs);
    // Runs after the first list only what changed since their watermark.
    let listings: Vec<&String> = store
        .list_queries
        .iter()
        .filter(|q| !q.contains("cursor="))
        .collect();
    assert_eq!(listings.len(), 5);
    assert!(!listings[0].contains("updated_after"), "{}", listings[0]);
    assert!(
        listings[1..].iter().all(|q| q.contains("updated_after=")),
        "{listings:?}"
    );
    // And the last version of every session is in the file.
    for (&n, version) in store.sessions() {
        let newest = sync
            .runs
            .iter()
            .flatten()
            .filter(|l| l.0 == n)
            .map(|l| l.1)
            .max();
        assert_eq!(newest, Some(version.updated_at), "session {n}");
    }
}

#[test]
fn five_runs_lose_and_repeat_nothing_with_the_server_clock_hours_behind() {
    five_runs(
        Behaviour {
            page_size: 4,
            ..Behaviour::default()
        },
        -7,
    );
}

#[test]
fn five_runs_lose_and_repeat_nothing_when_updated_after_includes_the_watermark() {
    five_runs(
        Behaviour {
            page_size: 4,
            inclusive: true,
            ..Behaviour::default()
        },
        5,
    );
}

#[test]
fn five_runs_lose_and_repeat_nothing_when_the_listing_is_in_update_order() {
    five_runs(
        Behaviour {
            page_size: 4,
            order: Order::Updated,
            inclusive: true,
            ..Behaviour::default()
        },
        -9,
    );
}

#[test]
fn without_a_date_header_the_first_page_bounds_the_watermark_and_nothing_is_lost() {
    five_runs(
        Behaviour {
            page_size: 4,
            date: false,
            ..Behaviour::default()
        },
        -7,
    );
}

#[test]
fn a_run_killed_midway_and_run_again_loses_and_repeats_nothing() {
    let server = ChangingOpenCx::start(
        30,
        server_clock(-6),
        Behaviour {
            page_size: 4,
            ..Behaviour::default()
        },
    );
    let mut sync = Sync::new(&server);
    sync.run(&server);
    let w1 = sync.state();
    {
        let mut store = server.store();
        store.tick(TimeDelta::hours(1));
        for n in [3, 17, 25] {
            store.update(n);
        }
        store.create(); // 31
    }
    // Killed after two records, while writing a third line.
    let killed = sync.killed_run(&server, 2);
    assert_eq!(killed.records(), 2);
    let mut out = std::fs::read(&sync.path).unwrap();
    out.extend_from_slice(b"{\"session\":{\"id\":\"3c90c3cc-0d44-4b50-8888-0000000");
    std::fs::write(&sync.path, out).unwrap();
    // The state keeps the old watermark until the run completes.
    assert_eq!(sync.state(), w1);
    {
        let mut store = server.store();
        store.tick(TimeDelta::minutes(10));
        store.update(3); // exported before the kill; changed again while down
        store.update(26);
        store.tick(TimeDelta::hours(1)); // a long way down
                                         // Once the resumed listing is on its way: seen at a time long after
                                         // the run began.
        store.after_list_page(1, |s| {
            s.update(28);
        });
    }
    let resumed = NdjsonFile::open_incremental(&sync.path, &QUERY).unwrap();
    assert_eq!(resumed.checkpoint().records(), 2, "the killed run resumes");
    assert_eq!(resumed.checkpoint().watermark(), Some(&w1));
    drop(resumed);
    sync.resume();
    assert_ne!(sync.state(), w1);

    // A run that stopped after saving its finished checkpoint but before
    // replacing the state: the next open completes it.
    server.store().update(9);
    let state = NdjsonFile::state_path(&sync.path);
    let before = std::fs::read(&state).unwrap();
    sync.run(&server);
    let after = std::fs::read(&state).unwrap();
    std::fs::write(&state, &before).unwrap();
    sync.run(&server);
    assert_eq!(
        std::fs::read(&state).unwrap(),
        after,
        "the state was not completed"
    );
    assert!(
        sync.runs[3].is_empty(),
        "run 4 repeated run 3: {:?}",
        sync.runs[3]
    );

    assert_nothing_lost_or_repeated(server.store().made(), &sync.runs);
}

#[test]
fn a_session_whose_history_failed_is_exported_by_the_next_run() {
    let server = ChangingOpenCx::start(
        12,
        server_clock(-3),
        Behaviour {
            page_size: 4,
            ..Behaviour::default()
        },
    );
    let mut sync = Sync::new(&server);
    sync.run(&server);
    {
        let mut store = server.store();
        store.tick(TimeDelta::hours(1));
        store.update(4);
        store.update(5);
        store.failing.insert(4);
    }
    sync.run(&server);
    assert_eq!(sync.runs[1].iter().map(|l| l.0).collect::<Vec<_>>(), [5]);
    let failed = std::fs::read_to_string(NdjsonFile::failed_path(&sync.path)).unwrap();
    assert!(failed.contains(&fixtures::uuid(4)), "{failed}");
    // The watermark stays below the failed session: the next run has it.
    server.store().failing.clear();
    sync.run(&server);
    assert_eq!(sync.runs[2].iter().map(|l| l.0).collect::<Vec<_>>(), [4]);
    assert_none_repeated(server.store().made(), &sync.runs);
}

#[test]
fn a_corrupt_foreign_or_mismatched_state_file_is_an_error_that_names_it() {
    let server = ChangingOpenCx::start(10, server_clock(4), Behaviour::default());
    let mut sync = Sync::new(&server);
    sync.run(&server);
    server.store().update(2);
    sync.run(&server);
    let state = NdjsonFile::state_path(&sync.path);
    let good = std::fs::read(&state).unwrap();
    let out = std::fs::read(&sync.path).unwrap();
    let named = state.display().to_string();
    let open_with = |content: Option<&[u8]>| {
        match content {
            Some(bytes) => std::fs::write(&state, bytes).unwrap(),
            None => std::fs::remove_file(&state).unwrap(),
        }
        let error = NdjsonFile::open_incremental(&sync.path, &QUERY).unwrap_err();
        assert_eq!(
            std::fs::read(&sync.path).unwrap(),
            out,
            "the output changed"
        );
        error.to_string()
    };
    for (content, says) in [
        (&b"{\"format\": \"opencx-export-st"[..], "corrupt JSON"),
        (b"{\"bookmarks\": {\"sessions\": {\"updated_at\": \"2024-01-01\"}}}", "not an export state file"),
        (
            br#"{"format":"opencx-export-state/1","query":{"incremental":"other sessions"},"watermark":{}}"#,
            "the state of an export of",
        ),
        (br#"{"format":"opencx-export-state/1","query":{"incremental":"every session"},"watermark":{"after":7}}"#, "damaged"),
        (
            br#"{"format":"opencx-export-state/1","query":{"incremental":"every session"},"watermark":{"after":"2020-01-01T00:00:00Z"}}"#,
            "does not match",
        ),
    ] {
        let message = open_with(Some(content));
        assert!(message.contains(&named) && message.contains(says), "{message}");
    }
    let message = open_with(None);
    assert!(
        message.contains(&named) && message.contains("is missing"),
        "{message}"
    );
    std::fs::write(&state, &good).unwrap();
    NdjsonFile::open_incremental(&sync.path, &QUERY).expect("the good state opens");
    // Neither kind of export appends to the other's file.
    assert!(NdjsonFile::open(&sync.path, &QUERY).is_err());
}

#[test]
fn the_filter_endpoint_refuses_a_watermark() {
    let server = ChangingOpenCx::start(3, server_clock(0), Behaviour::default());
    let client = opencx_tests::client_with_retries(&server.url(), quick_retries());
    let error = run(Exporter::filter(&client, Default::default())
        .changes_since(Watermark::default())
        .stream()
        .try_next())
    .unwrap_err();
    assert!(error.to_string().contains("Exporter::list"), "{error}");
    assert_eq!(server.requests(), 0);
}
