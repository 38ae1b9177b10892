//! Decode: MB/s decoding the same bytes into the generated types and into
//! `serde_json::Value`, rounds interleaved.

use std::hint::black_box;
use std::time::Instant;

use opencx_api::types::{ChatHistoryList, SessionList};
use serde::de::DeserializeOwned;

use crate::pages::{page_body, Kind};
use crate::stats::Summary;
use crate::{Figure, Section, Sizes};

pub fn run(sizes: &Sizes) -> Section {
    let (pages, per_page) = sizes.decode_pages;
    let history = kind_pages(Kind::History, pages, per_page);
    let sessions = kind_pages(Kind::Sessions, pages, per_page);
    let history_fig = compare::<ChatHistoryList>(&history, sizes.rounds);
    let sessions_fig = compare::<SessionList>(&sessions, sizes.rounds);
    let mb = |pages: &[Vec<u8>]| pages.iter().map(Vec::len).sum::<usize>() as f64 / 1e6;
    let row = |name: &str, c: &Comparison| {
        format!(
            "| {name} | {} | {} | {} |\n",
            c.typed.show(1),
            c.value.show(1),
            c.ratio.show(3)
        )
    };
    let body = format!(
        "{pages} pages of {per_page} items ({h:.1} MB of history, {s:.1} MB of sessions), \
         `serde_json::from_slice` from memory, {rounds} rounds interleaved; MB/s median (min–max). \
         History pages cycle through 16 event shapes (messages from each sender with \
         attachments and context, workflow and sequence messages, handoff, sub-status, comment, \
         agent joined, state checkpoint, CSAT, assignment, closure).\n\n\
         | page | typed MB/s | `Value` MB/s | typed ÷ `Value` |\n| --- | ---: | ---: | ---: |\n{hr}{sr}",
        h = mb(&history),
        s = mb(&sessions),
        rounds = sizes.rounds,
        hr = row("`ChatHistoryList`", &history_fig),
        sr = row("`SessionList`", &sessions_fig),
    );
    Section {
        key: "decode",
        title: "3. Decode".into(),
        figures: vec![
            Figure::new(
                "`ChatHistoryList` MB/s ÷ `Value` MB/s",
                history_fig.ratio.show(3),
            )
            .target("≥ 1", history_fig.ratio.median >= 1.0),
            Figure::new(
                "`SessionList` MB/s ÷ `Value` MB/s",
                sessions_fig.ratio.show(3),
            )
            .target("≥ 1", sessions_fig.ratio.median >= 1.0),
        ],
        body,
    }
}

fn kind_pages(kind: Kind, pages: u64, per_page: u64) -> Vec<Vec<u8>> {
    (0..pages)
        .map(|p| page_body(kind, p, per_page, Some(p + 1)))
        .collect()
}

struct Comparison {
    typed: Summary,
    value: Summary,
    ratio: Summary,
}

fn compare<T: DeserializeOwned>(pages: &[Vec<u8>], rounds: usize) -> Comparison {
    let bytes = pages.iter().map(Vec::len).sum::<usize>() as f64;
    let rate = |decode: &dyn Fn(&[u8])| {
        let started = Instant::now();
        for page in pages {
            decode(page);
        }
        bytes / 1e6 / started.elapsed().as_secs_f64()
    };
    let typed = |page: &[u8]| {
        black_box(serde_json::from_slice::<T>(page).expect("a typed page"));
    };
    let value = |page: &[u8]| {
        black_box(serde_json::from_slice::<serde_json::Value>(page).expect("JSON"));
    };
    rate(&typed);
    rate(&value);
    let (mut t, mut v, mut r) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds {
        let (a, b) = if round.is_multiple_of(2) {
            let a = rate(&typed);
            (a, rate(&value))
        } else {
            let b = rate(&value);
            (rate(&typed), b)
        };
        t.push(a);
        v.push(b);
        r.push(a / b);
    }
    Comparison {
        typed: Summary::of(&t),
        value: Summary::of(&v),
        ratio: Summary::of(&r),
    }
}
