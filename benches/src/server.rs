//! A minimal HTTP/1.1 keep-alive server on 127.0.0.1 that answers from
//! pre-rendered responses, so what is timed is the client, not the server.
//!
//! It serves one cursor listing of `pages` pages, split into shards so that
//! concurrent streams can each export a part: `/chat/sessions` (and
//! `/chat/sessions/shard-K-of-M/history`) start at their shard's first page,
//! and `?cursor=N` asks for page N. Optionally it enforces a sliding-window
//! rate limit (429 with `Retry-After`) or injects faults at a seeded rate.

use std::collections::{HashMap, HashSet, VecDeque};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::{Buf, Bytes, BytesMut};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::pages::{page_body, Kind};

/// The listing a server holds.
#[derive(Clone, Debug)]
pub struct Listing {
    /// What the pages hold.
    pub kind: Kind,
    /// Pages in the whole listing.
    pub pages: u64,
    /// Items per page.
    pub per_page: u64,
    /// The shard counts clients will ask for (1 for one stream over everything).
    pub shardings: Vec<u64>,
}

impl Listing {
    /// The pages of shard `k` of `m`.
    pub fn shard(&self, k: u64, m: u64) -> std::ops::Range<u64> {
        (self.pages * k / m)..(self.pages * (k + 1) / m)
    }

    /// Items in the whole listing.
    pub fn items(&self) -> u64 {
        self.pages * self.per_page
    }
}

/// A sliding-window limit: at most `requests` answered in any `period`.
#[derive(Clone, Copy, Debug)]
pub struct Window {
    pub requests: u32,
    pub period: Duration,
}

/// Faults on a seeded share of requests: a 503 with `Retry-After`, a
/// connection closed before the answer, or a body cut short, in equal parts.
/// Only the first three tries of a request can fail, so every export can
/// finish within a retry budget of three.
#[derive(Clone, Copy, Debug)]
pub struct Faults {
    pub percent: u64,
    pub seed: u64,
}

/// How the server behaves beyond answering.
#[derive(Clone, Copy, Debug, Default)]
pub struct Behaviour {
    pub window: Option<Window>,
    pub faults: Option<Faults>,
}

/// What the server did, counted as it went.
#[derive(Debug, Default)]
pub struct Counters {
    pub requests: AtomicU64,
    pub too_many: AtomicU64,
    pub unavailable: AtomicU64,
    pub closed: AtomicU64,
    pub cut: AtomicU64,
}

impl Counters {
    pub fn get(counter: &AtomicU64) -> u64 {
        counter.load(Ordering::Relaxed)
    }
}

struct Page {
    response: Bytes,
    body_len: usize,
}

struct Shared {
    listing: Listing,
    /// Page `p` pointing at page `p + 1`.
    pages: Vec<Page>,
    /// Page `p` as the last of its shard, for the pages that end one.
    last: HashMap<u64, Page>,
    behaviour: Behaviour,
    answered: Mutex<VecDeque<Instant>>,
    attempts: Mutex<HashMap<Bytes, u32>>,
    counters: Arc<Counters>,
}

/// A running server; it stops with the process.
pub struct Server {
    addr: SocketAddr,
    counters: Arc<Counters>,
}

impl Server {
    /// Renders every page, then serves them from a thread of its own.
    pub fn start(listing: Listing, behaviour: Behaviour) -> Self {
        let ends: HashSet<u64> = listing
            .shardings
            .iter()
            .flat_map(|&m| (0..m).map(move |k| (k, m)))
            .map(|(k, m)| listing.shard(k, m).end - 1)
            .collect();
        let render = |p: u64, next: Option<u64>| {
            let body = page_body(listing.kind, p, listing.per_page, next);
            Page {
                body_len: body.len(),
                response: response("200 OK", &[], &body),
            }
        };
        let pages = (0..listing.pages).map(|p| render(p, Some(p + 1))).collect();
        let last = ends.into_iter().map(|p| (p, render(p, None))).collect();
        let counters = Arc::new(Counters::default());
        let shared = Arc::new(Shared {
            listing,
            pages,
            last,
            behaviour,
            answered: Mutex::new(VecDeque::new()),
            attempts: Mutex::new(HashMap::new()),
            counters: counters.clone(),
        });
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        listener
            .set_nonblocking(true)
            .expect("a non-blocking socket");
        let addr = listener.local_addr().expect("a bound address");
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime for the server");
            runtime.block_on(async move {
                let listener = TcpListener::from_std(listener).expect("a tokio listener");
                while let Ok((stream, _)) = listener.accept().await {
                    let shared = shared.clone();
                    tokio::spawn(async move {
                        // A client that hangs up is no concern of the server's.
                        let _ = serve(stream, &shared).await;
                    });
                }
            });
        });
        Self { addr, counters }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// What the server counted so far.
    pub fn counters(&self) -> &Counters {
        &self.counters
    }
}

fn response(status: &str, headers: &[(&str, String)], body: &[u8]) -> Bytes {
    let mut head = format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body);
    bytes.into()
}

enum Answer<'a> {
    Whole(Bytes),
    Page(&'a Page),
    Close,
    Cut(&'a Page),
}

async fn serve(mut stream: TcpStream, shared: &Shared) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let mut buf = BytesMut::with_capacity(8192);
    loop {
        let head_len = loop {
            if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break at + 4;
            }
            if stream.read_buf(&mut buf).await? == 0 {
                return Ok(());
            }
        };
        let head = buf.split_to(head_len).freeze();
        let body_len = content_length(&head);
        while buf.len() < body_len {
            if stream.read_buf(&mut buf).await? == 0 {
                return Ok(());
            }
        }
        buf.advance(body_len);
        let target = request_target(&head);
        match shared.answer(&head.slice_ref(target)) {
            Answer::Whole(bytes) => stream.write_all(&bytes).await?,
            Answer::Page(page) => stream.write_all(&page.response).await?,
            Answer::Close => return Ok(()),
            Answer::Cut(page) => {
                let keep = page.response.len() - page.body_len / 2;
                stream.write_all(&page.response[..keep]).await?;
                return Ok(());
            }
        }
    }
}

fn request_target(head: &[u8]) -> &[u8] {
    let line = head.split(|&b| b == b'\r').next().unwrap_or_default();
    line.split(|&b| b == b' ').nth(1).unwrap_or_default()
}

fn content_length(head: &[u8]) -> usize {
    head.split(|&b| b == b'\n')
        .filter_map(|line| std::str::from_utf8(line).ok())
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse().ok())
        .unwrap_or(0)
}

impl Shared {
    fn answer(&self, target: &Bytes) -> Answer<'_> {
        self.counters.requests.fetch_add(1, Ordering::Relaxed);
        if let Some(faults) = self.behaviour.faults {
            let attempt = {
                let mut attempts = self.attempts.lock().expect("not poisoned");
                let count = attempts.entry(target.clone()).or_insert(0);
                *count += 1;
                *count - 1
            };
            let roll = mix(faults.seed ^ fnv(target) ^ u64::from(attempt).wrapping_mul(0x9e37));
            if attempt < 3 && roll % 100 < faults.percent {
                return match (roll / 100) % 3 {
                    0 => {
                        self.counters.unavailable.fetch_add(1, Ordering::Relaxed);
                        let headers = [
                            ("retry-after", "1".to_string()),
                            ("retry-after-ms", "20".to_string()),
                        ];
                        Answer::Whole(response(
                            "503 Service Unavailable",
                            &headers,
                            br#"{"statusCode":503,"message":"try again"}"#,
                        ))
                    }
                    1 => {
                        self.counters.closed.fetch_add(1, Ordering::Relaxed);
                        Answer::Close
                    }
                    _ => {
                        self.counters.cut.fetch_add(1, Ordering::Relaxed);
                        Answer::Cut(self.page(target))
                    }
                };
            }
        }
        if let Some(window) = self.behaviour.window {
            let now = Instant::now();
            let mut answered = self.answered.lock().expect("not poisoned");
            while answered
                .front()
                .is_some_and(|&t| now.duration_since(t) >= window.period)
            {
                answered.pop_front();
            }
            if answered.len() >= window.requests as usize {
                self.counters.too_many.fetch_add(1, Ordering::Relaxed);
                let wait = window.period - now.duration_since(answered[0]);
                let headers = [(
                    "retry-after",
                    wait.as_secs_f64().ceil().max(1.0).to_string(),
                )];
                return Answer::Whole(response(
                    "429 Too Many Requests",
                    &headers,
                    br#"{"statusCode":429,"message":"rate limit exceeded"}"#,
                ));
            }
            answered.push_back(now);
        }
        Answer::Page(self.page(target))
    }

    /// The page a target asks for.
    fn page(&self, target: &[u8]) -> &Page {
        let target = std::str::from_utf8(target).unwrap_or_default();
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let (k, m) = path
            .split('/')
            .find_map(|segment| {
                let rest = segment.strip_prefix("shard-")?;
                let (k, m) = rest.split_once("-of-")?;
                Some((k.parse().ok()?, m.parse().ok()?))
            })
            .unwrap_or((0, 1));
        let shard = self.listing.shard(k, m);
        let page = query
            .split('&')
            .find_map(|pair| pair.strip_prefix("cursor="))
            .and_then(|n| n.parse().ok())
            .unwrap_or(shard.start)
            .min(self.listing.pages - 1);
        if page + 1 == shard.end {
            &self.last[&page]
        } else {
            &self.pages[page as usize]
        }
    }
}

fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// splitmix64's finalizer: spreads the bits of a seed over the whole word.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}
