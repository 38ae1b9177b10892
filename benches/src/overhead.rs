//! Stream overhead: `.stream()` and `.pages()` against a hand-written
//! `reqwest` + `serde_json` loop decoding into the same generated types, on
//! the same keep-alive server, rounds interleaved.

use std::hint::black_box;
use std::time::Instant;

use futures::TryStreamExt;
use opencx_api::prelude::*;
use opencx_api::types::SessionList;

use crate::pages::Kind;
use crate::server::{Behaviour, Listing, Server};
use crate::stats::Summary;
use crate::{Figure, Section, Sizes};

/// One way of reading the listing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variant {
    /// `.stream()`: item by item.
    Stream,
    /// `.pages()`: page by page.
    Pages,
    /// The hand-written `reqwest` + `serde_json` loop.
    Hand,
}

impl Variant {
    /// `stream`, `pages` or `hand`.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "stream" => Some(Variant::Stream),
            "pages" => Some(Variant::Pages),
            "hand" => Some(Variant::Hand),
            _ => None,
        }
    }
}

const VARIANTS: [Variant; 3] = [Variant::Stream, Variant::Pages, Variant::Hand];

pub fn run(sizes: &Sizes) -> Section {
    let listing = Listing {
        kind: Kind::Sessions,
        pages: sizes.overhead_pages,
        per_page: sizes.per_page,
        shardings: vec![1],
    };
    let items = listing.items();
    let server = Server::start(listing, Behaviour::default());
    let url = server.url();
    // As a user would build it: retries on, no rate limit (the server has none).
    let client = crate::client(&url, |b| b.no_rate_limit());
    let http = reqwest::Client::new();
    // One client thread beside the server's: on two cores, a second worker
    // would only add scheduling noise to a strictly sequential stream.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let mut rates: [Vec<f64>; 3] = Default::default();
    let (mut stream_ratio, mut pages_ratio) = (Vec::new(), Vec::new());
    // One untimed pass of each warms connections and allocator.
    for variant in VARIANTS {
        runtime.block_on(once(variant, &client, &http, &url));
    }
    for round in 0..sizes.rounds {
        let mut this_round = [0.0; 3];
        for k in 0..3 {
            // Rotate the order so no variant always runs first.
            let i = (k + round) % 3;
            let started = Instant::now();
            let got = runtime.block_on(once(VARIANTS[i], &client, &http, &url));
            let elapsed = started.elapsed().as_secs_f64();
            assert_eq!(got, items, "{:?} read every item", VARIANTS[i]);
            this_round[i] = items as f64 / elapsed;
            rates[i].push(this_round[i]);
        }
        stream_ratio.push(this_round[0] / this_round[2]);
        pages_ratio.push(this_round[1] / this_round[2]);
    }
    let [stream, pages, hand] = rates.map(|r| Summary::of(&r));
    let (stream_ratio, pages_ratio) = (Summary::of(&stream_ratio), Summary::of(&pages_ratio));
    let body = format!(
        "{pages_n} pages × {per_page} sessions (about {kb} KiB a page) from a keep-alive server on \
         127.0.0.1, {rounds} rounds, the three variants interleaved in rotating order; \
         items/s as median (min–max), ratios per round against the hand-written loop.\n\n\
         | variant | items/s | ratio to hand-written |\n| --- | ---: | ---: |\n\
         | `.stream()` | {stream} | {stream_ratio} |\n\
         | `.pages()` | {pages} | {pages_ratio} |\n\
         | hand-written `reqwest` + `serde_json::from_slice::<SessionList>` | {hand} | 1 |\n",
        pages_n = sizes.overhead_pages,
        per_page = sizes.per_page,
        kb = crate::pages::page_body(Kind::Sessions, 0, sizes.per_page, Some(1)).len() / 1024,
        rounds = sizes.rounds,
        stream_ratio = stream_ratio.show(3),
        pages_ratio = pages_ratio.show(3),
    );
    Section {
        key: "overhead",
        title: "1. Stream overhead".into(),
        figures: vec![
            Figure::new("`.stream()` items/s ÷ hand-written", stream_ratio.show(3))
                .target("≥ 0.97", stream_ratio.median >= 0.97),
            Figure::new("`.pages()` items/s ÷ hand-written", pages_ratio.show(3))
                .target("≥ 0.97", pages_ratio.median >= 0.97),
        ],
        body,
    }
}

/// `opencx-bench overhead-client`: reads the whole listing at `url` once, the
/// way `variant` does, with nothing else in the process (the server runs in
/// `opencx-bench serve`), so that a profiler such as callgrind sees only the
/// client's work; returns the items read. How `benches/NOTES.md`'s instruction
/// counts were taken.
pub fn client_once(url: &str, variant: Variant) -> u64 {
    let client = crate::client(url, |b| b.no_rate_limit());
    let http = reqwest::Client::new();
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
        .block_on(once(variant, &client, &http, url))
}

async fn once(
    variant: Variant,
    client: &opencx_api::Client,
    http: &reqwest::Client,
    url: &str,
) -> u64 {
    match variant {
        Variant::Stream => client
            .list_chat_sessions()
            .stream()
            .try_fold(0, |n, session| {
                black_box(&session);
                async move { Ok(n + 1) }
            })
            .await
            .expect("the stream reads every page"),
        Variant::Pages => client
            .list_chat_sessions()
            .pages()
            .try_fold(0, |n, page| {
                let len = page.items.len() as u64;
                black_box(&page);
                async move { Ok(n + len) }
            })
            .await
            .expect("the pages arrive"),
        Variant::Hand => hand_written(http, url).await,
    }
}

/// What a user would write without this crate.
async fn hand_written(http: &reqwest::Client, url: &str) -> u64 {
    let endpoint = format!("{url}/chat/sessions");
    let mut cursor: Option<String> = None;
    let mut n = 0;
    loop {
        let mut request = http.get(&endpoint).bearer_auth("sk-bench");
        if let Some(cursor) = &cursor {
            request = request.query(&[("cursor", cursor)]);
        }
        let response = request.send().await.expect("an answer");
        let bytes = response
            .error_for_status()
            .expect("a success")
            .bytes()
            .await
            .expect("a whole body");
        let page: SessionList = serde_json::from_slice(&bytes).expect("a session page");
        n += page.items.len() as u64;
        black_box(&page.items);
        match page.next {
            Some(next) if !page.items.is_empty() => cursor = Some(next),
            _ => return n,
        }
    }
}
