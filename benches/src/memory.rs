//! Memory: peak RSS of a process that streams many pages versus few. The
//! pages come from a server in another process (`opencx-bench serve`), so the
//! measured process (`opencx-bench mem-client`) holds only what the client holds.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use futures::{StreamExt, TryStreamExt};
use opencx_api::prelude::*;

use crate::pages::Kind;
use crate::server::{Behaviour, Listing, Server};
use crate::stats::Summary;
use crate::{Figure, Section, Sizes};

pub fn run(sizes: &Sizes, exe: &Path) -> Section {
    let (small, large) = sizes.memory_pages;
    let server = ServerProcess::spawn(exe, large, sizes.per_page);
    let (mut peaks_small, mut peaks_large, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..sizes.memory_rounds {
        let a = client_peak_kb(exe, &server.url, small * sizes.per_page);
        let b = client_peak_kb(exe, &server.url, large * sizes.per_page);
        peaks_small.push(a);
        peaks_large.push(b);
        ratios.push(b / a);
    }
    let (a, b, ratio) = (
        Summary::of(&peaks_small),
        Summary::of(&peaks_large),
        Summary::of(&ratios),
    );
    let body = format!(
        "`.stream()` over `list_chat_sessions` ({per_page} sessions a page) in a fresh process each \
         time, peak RSS from `VmHWM` in `/proc/self/status` after the stream ends; the server runs \
         in another process. {rounds} rounds, interleaved; median (min–max).\n\n\
         | pages streamed | peak RSS (KiB) |\n| ---: | ---: |\n| {small} | {a} |\n| {large} | {b} |\n\n\
         Peak RSS of {large} pages ÷ {small} pages: **{ratio}**.\n",
        per_page = sizes.per_page,
        rounds = sizes.memory_rounds,
        ratio = ratio.show(3),
    );
    Section {
        key: "memory",
        title: "2. Memory".into(),
        figures: vec![Figure::new(
            format!("peak RSS, {large} pages ÷ {small} pages"),
            ratio.show(3),
        )
        .target("≤ 1.10", ratio.median <= 1.10)],
        body,
    }
}

/// The `serve` process, killed when dropped.
struct ServerProcess {
    child: Child,
    url: String,
}

impl ServerProcess {
    fn spawn(exe: &Path, pages: u64, per_page: u64) -> Self {
        let mut child = Command::new(exe)
            .args([
                "serve",
                "--pages",
                &pages.to_string(),
                "--per-page",
                &per_page.to_string(),
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("the server process starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("piped"))
            .read_line(&mut line)
            .expect("the server says where it listens");
        Self {
            child,
            url: line.trim().to_string(),
        }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn client_peak_kb(exe: &Path, url: &str, items: u64) -> f64 {
    let output = Command::new(exe)
        .args(["mem-client", "--url", url, "--items", &items.to_string()])
        .output()
        .expect("the client process runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "mem-client failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
        .lines()
        .find_map(|line| line.strip_prefix("vmhwm_kb="))
        .and_then(|kb| kb.trim().parse().ok())
        .unwrap_or_else(|| panic!("mem-client printed no peak: {stdout}"))
}

/// `opencx-bench serve`: serves `pages` session pages until stdin closes.
pub fn serve(pages: u64, per_page: u64) {
    let server = Server::start(
        Listing {
            kind: Kind::Sessions,
            pages,
            per_page,
            shardings: vec![1],
        },
        Behaviour::default(),
    );
    println!("{}", server.url());
    // The parent holds our stdin; when it goes, so do we.
    let _ = std::io::stdin().lines().count();
}

/// `opencx-bench mem-client`: streams `items` sessions, then prints the peak RSS.
pub fn mem_client(url: &str, items: u64) {
    let client = crate::client(url, |b| b.no_rate_limit());
    let got = crate::runtime().block_on(async {
        client
            .list_chat_sessions()
            .stream()
            .take(items as usize)
            .try_fold(0u64, |n, session| {
                std::hint::black_box(&session);
                async move { Ok(n + 1) }
            })
            .await
            .expect("the stream reads every page")
    });
    assert_eq!(got, items);
    println!(
        "vmhwm_kb={}",
        peak_rss_kb().expect("/proc/self/status has VmHWM")
    );
}

/// Peak resident set size of this process, in KiB (Linux).
pub fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}
