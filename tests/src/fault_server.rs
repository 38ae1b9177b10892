//! A loopback HTTP/1.1 server that misbehaves the way real networks do, on
//! purpose and reproducibly: each answer is decided by a [`Plan`] from the
//! request's path and query and how many times that exact request came before,
//! so the same seed gives the same faults however concurrent streams interleave.
//!
//! Every answer closes its connection, so a fault never leaks into the next
//! request through a pooled connection.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// What the server does with one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Fault {
    /// Answers normally.
    None,
    /// `503 Service Unavailable` with a JSON `ApiError`.
    Unavailable,
    /// `429 Too Many Requests` asking, through `retry-after-ms`, for this many
    /// milliseconds (and a whole second through `Retry-After`, which the
    /// client must ignore in favour of the finer header).
    TooManyRequests { retry_after_ms: u64 },
    /// Reads the request, then closes the connection without a word.
    CloseBeforeAnswer,
    /// Sends the headers (with the full `content-length`) and half the body,
    /// then closes.
    CutBody,
    /// Resets the connection (TCP RST) instead of answering.
    Reset,
    /// Waits this long before answering normally.
    Delay(Duration),
}

/// Decides the fault for a request: `(path and query, attempt)`, where
/// `attempt` counts earlier requests with the same path and query (0 first).
pub type Plan = Arc<dyn Fn(&str, u32) -> Fault + Send + Sync>;

/// Answers a request that is not faulted: `(status, JSON body)`.
pub type Content = Arc<dyn Fn(&str) -> (u16, String) + Send + Sync>;

/// A request as the server read it, for answers that depend on the body.
#[derive(Clone, Copy, Debug)]
pub struct Request<'a> {
    /// Path and query.
    pub target: &'a str,
    /// The body, empty for a `GET`.
    pub body: &'a [u8],
}

/// Answers a request that is not faulted, from all of it.
pub type Handler = Arc<dyn Fn(&Request) -> (u16, String) + Send + Sync>;

/// Extra header lines for the answer to a request, each `name: value\r\n`,
/// made as the request arrives, before its answer (a `Date` from a simulated
/// clock, say).
pub type Headers = Arc<dyn Fn(&Request) -> String + Send + Sync>;

/// A server-side rate limit: a token bucket of `requests` per `period` with
/// a burst of `burst`, the model the client's `RateLimit` paces against. A
/// request beyond it gets a 429 with the wait in `retry-after-ms`.
#[derive(Clone, Copy, Debug)]
pub struct ServerLimit {
    pub requests: u32,
    pub period: Duration,
    pub burst: u32,
}

#[derive(Debug)]
struct Bucket {
    limit: ServerLimit,
    tokens: f64,
    updated: Instant,
}

impl Bucket {
    /// Takes a token, or says how long until one is there.
    fn take(&mut self, now: Instant) -> Result<(), Duration> {
        let per_second = f64::from(self.limit.requests) / self.limit.period.as_secs_f64();
        let refill = now.duration_since(self.updated).as_secs_f64() * per_second;
        self.tokens = (self.tokens + refill).min(f64::from(self.limit.burst));
        self.updated = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - self.tokens) / per_second))
        }
    }
}

/// What the server saw, for assertions and for the soak test's report.
#[derive(Clone, Debug, Default)]
pub struct Stats {
    /// Every request, in arrival order: path and query, and the fault given.
    pub requests: Vec<(String, Fault)>,
    /// How many times each path and query was asked for.
    pub attempts: HashMap<String, u32>,
    /// The most requests for one path (without query) open at once.
    pub max_in_flight_per_path: u32,
    /// When each request arrived, since the server started, in arrival order.
    pub arrivals: Vec<Duration>,
    /// Requests refused with a 429 by the [`ServerLimit`] (not by the plan).
    pub rate_limited: usize,
    in_flight: HashMap<String, u32>,
}

impl Stats {
    /// How many requests got `fault`, compared by kind.
    pub fn count(&self, fault: impl Fn(&Fault) -> bool) -> usize {
        self.requests.iter().filter(|(_, f)| fault(f)).count()
    }

    /// The most requests that arrived within any span of `window`.
    pub fn max_in_window(&self, window: Duration) -> usize {
        let mut first = 0;
        let mut most = 0;
        for (last, at) in self.arrivals.iter().enumerate() {
            while *at - self.arrivals[first] >= window {
                first += 1;
            }
            most = most.max(last + 1 - first);
        }
        most
    }
}

/// The running server. It stops when the test process ends.
pub struct FaultServer {
    addr: SocketAddr,
    stats: Arc<Mutex<Stats>>,
}

impl FaultServer {
    /// Starts a server on 127.0.0.1 on its own thread and runtime, so it
    /// outlives any one test runtime.
    pub fn start(plan: Plan, content: Content) -> Self {
        Self::start_with(plan, Arc::new(move |request| content(request.target)), None)
    }

    /// Starts a server that answers from whole requests and, with `limit`,
    /// refuses requests beyond it before the plan is asked.
    pub fn start_with(plan: Plan, handler: Handler, limit: Option<ServerLimit>) -> Self {
        Self::start_with_headers(plan, handler, limit, Arc::new(|_| String::new()))
    }

    /// [`start_with`](Self::start_with), adding `headers` to every answer.
    pub fn start_with_headers(
        plan: Plan,
        handler: Handler,
        limit: Option<ServerLimit>,
        headers: Headers,
    ) -> Self {
        let started = Instant::now();
        let bucket = limit.map(|limit| {
            Arc::new(Mutex::new(Bucket {
                limit,
                tokens: f64::from(limit.burst),
                updated: started,
            }))
        });
        let std_listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        std_listener.set_nonblocking(true).unwrap();
        let addr = std_listener.local_addr().unwrap();
        let stats = Arc::new(Mutex::new(Stats::default()));
        let shared = stats.clone();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime for the fault server");
            runtime.block_on(async move {
                let listener = TcpListener::from_std(std_listener).unwrap();
                loop {
                    let Ok((stream, _)) = listener.accept().await else {
                        continue;
                    };
                    let server = Serve {
                        plan: plan.clone(),
                        handler: handler.clone(),
                        headers: headers.clone(),
                        stats: shared.clone(),
                        bucket: bucket.clone(),
                        started,
                    };
                    tokio::spawn(async move {
                        // A client that gave up mid-answer is part of the game.
                        let _ = server.serve(stream).await;
                    });
                }
            });
        });
        Self { addr, stats }
    }

    /// Starts a server that plays `script` for every request: the fault at
    /// index `attempt`, then [`Fault::None`] once the script runs out.
    pub fn scripted(script: Vec<Fault>, content: Content) -> Self {
        Self::start(
            Arc::new(move |_, attempt| {
                script.get(attempt as usize).copied().unwrap_or(Fault::None)
            }),
            content,
        )
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The server's address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// A copy of what the server saw so far.
    pub fn stats(&self) -> Stats {
        self.stats.lock().unwrap().clone()
    }
}

/// The same answer to every request.
pub fn always(status: u16, body: String) -> Content {
    Arc::new(move |_| (status, body.clone()))
}

/// What a connection needs of the server.
struct Serve {
    plan: Plan,
    handler: Handler,
    headers: Headers,
    stats: Arc<Mutex<Stats>>,
    bucket: Option<Arc<Mutex<Bucket>>>,
    started: Instant,
}

impl Serve {
    async fn serve(&self, stream: TcpStream) -> std::io::Result<()> {
        let mut reader = BufReader::new(stream);
        let mut request_line = String::new();
        reader.read_line(&mut request_line).await?;
        let mut length = 0usize;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).await? <= 2 {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut body = vec![0; length];
        tokio::io::AsyncReadExt::read_exact(&mut reader, &mut body).await?;
        let target = request_line
            .split_whitespace()
            .nth(1)
            .unwrap_or("/")
            .to_string();
        let path = target.split('?').next().unwrap_or("").to_string();

        let now = Instant::now();
        let over_limit = self
            .bucket
            .as_ref()
            .and_then(|bucket| bucket.lock().unwrap().take(now).err());
        let fault = {
            let mut stats = self.stats.lock().unwrap();
            stats.arrivals.push(now - self.started);
            let fault = match over_limit {
                Some(wait) => {
                    stats.rate_limited += 1;
                    Fault::TooManyRequests {
                        retry_after_ms: wait.as_millis() as u64 + 1,
                    }
                }
                None => {
                    let attempt = stats.attempts.entry(target.clone()).or_default();
                    let fault = (self.plan)(&target, *attempt);
                    *attempt += 1;
                    fault
                }
            };
            stats.requests.push((target.clone(), fault));
            let open = stats.in_flight.entry(path.clone()).or_default();
            *open += 1;
            let open = *open;
            stats.max_in_flight_per_path = stats.max_in_flight_per_path.max(open);
            fault
        };
        let mut stream = reader.into_inner();
        let request = Request {
            target: &target,
            body: &body,
        };
        let result = answer(&mut stream, fault, &request, &self.handler, &self.headers).await;
        // Counted as finished before the client can notice the connection end.
        *self.stats.lock().unwrap().in_flight.get_mut(&path).unwrap() -= 1;
        if fault == Fault::Reset {
            // A zero linger turns the close into a reset; it does not block.
            #[allow(deprecated)]
            stream.set_linger(Some(Duration::ZERO))?;
            drop(stream);
            return result;
        }
        stream.shutdown().await?;
        result
    }
}

async fn answer(
    stream: &mut TcpStream,
    fault: Fault,
    request: &Request<'_>,
    handler: &Handler,
    headers: &Headers,
) -> std::io::Result<()> {
    let headers = headers(request);
    let (status, body, extra) = match fault {
        Fault::CloseBeforeAnswer | Fault::Reset => return Ok(()),
        Fault::Unavailable => (
            503,
            r#"{"statusCode":503,"message":"busy"}"#.to_string(),
            String::new(),
        ),
        Fault::TooManyRequests { retry_after_ms } => (
            429,
            r#"{"statusCode":429,"message":"slow down"}"#.to_string(),
            format!("retry-after-ms: {retry_after_ms}\r\nretry-after: 1\r\n"),
        ),
        Fault::Delay(wait) => {
            tokio::time::sleep(wait).await;
            let (status, body) = handler(request);
            (status, body, String::new())
        }
        Fault::None | Fault::CutBody => {
            let (status, body) = handler(request);
            (status, body, String::new())
        }
    };
    let head = format!(
        "HTTP/1.1 {status} {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n{extra}{}connection: close\r\n\r\n",
        reason(status),
        body.len(),
        headers
    );
    stream.write_all(head.as_bytes()).await?;
    let sent = if fault == Fault::CutBody {
        &body.as_bytes()[..body.len() / 2]
    } else {
        body.as_bytes()
    };
    stream.write_all(sent).await?;
    stream.flush().await
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        404 => "Not Found",
        429 => "Too Many Requests",
        503 => "Service Unavailable",
        _ => "Whatever",
    }
}

/// A small xorshift64* generator: reproducible faults without a crate.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator for `seed` mixed with `key` (FNV-1a), so each request key
    /// draws its own reproducible sequence.
    pub fn new(seed: u64, key: &str) -> Self {
        let mut hash = 0xcbf2_9ce4_8422_2325u64 ^ seed;
        for byte in key.bytes() {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
        Self(hash | 1)
    }

    /// The next value.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A value in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
}

/// The faults a flaky network and a busy server produce, drawn at random.
pub const TRANSIENT: [Fault; 4] = [
    Fault::Unavailable,
    Fault::TooManyRequests { retry_after_ms: 1 },
    Fault::CloseBeforeAnswer,
    Fault::CutBody,
];

/// A reproducible plan: each request fails with one of [`TRANSIENT`] with
/// probability `percent`/100, and at most `max_in_a_row` times in a row, so a
/// client allowed that many retries always gets through.
pub fn seeded(seed: u64, percent: u64, max_in_a_row: u32) -> Plan {
    Arc::new(move |target, attempt| {
        if attempt >= max_in_a_row {
            return Fault::None;
        }
        let mut rng = Rng::new(seed ^ u64::from(attempt), target);
        if rng.below(100) < percent {
            TRANSIENT[rng.below(TRANSIENT.len() as u64) as usize]
        } else {
            Fault::None
        }
    })
}
