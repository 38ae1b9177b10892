//! A simulated OpenCX whose sessions change: created and updated between
//! export runs and while a run is listing, on a clock of its own (set hours
//! away from the machine's), for incremental export tests and the benchmark.
//!
//! `GET /chat/sessions` honours `updated_after` (strictly after, or
//! inclusively, as configured), pages with a keyset cursor in creation or
//! update order, and dates every answer with the simulated clock as the
//! request arrived. Each
//! session's history grows by one message per update. Every version a
//! session ever had is logged with how many runs had begun when it was made,
//! so a test can say which run had to export it.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, SubsecRound, TimeDelta, Utc};
use serde_json::{json, Value};

use crate::fault_server::{Fault, FaultServer, Handler, Headers, ServerLimit};
use crate::fixtures;

/// History entries per page.
pub const HISTORY_PAGE: u32 = 4;

/// The order `GET /chat/sessions` lists in: the API documents none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    /// By creation: an updated session stays where it was.
    Created,
    /// By `updated_at`: an updated session moves to the end.
    Updated,
}

/// How the simulated server behaves.
#[derive(Clone, Copy, Debug)]
pub struct Behaviour {
    pub order: Order,
    /// `updated_after` includes sessions updated exactly then.
    pub inclusive: bool,
    /// Sessions per listing page.
    pub page_size: usize,
    /// Whether answers carry a `Date` header.
    pub date: bool,
}

impl Default for Behaviour {
    fn default() -> Self {
        Self {
            order: Order::Created,
            inclusive: false,
            page_size: 50,
            date: true,
        }
    }
}

/// One session as it is now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Version {
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// History entries.
    pub messages: u32,
}

/// A version as made, for the checks.
#[derive(Clone, Copy, Debug)]
pub struct Made {
    pub session: u32,
    pub updated_at: DateTime<Utc>,
    /// History entries it has.
    pub messages: u32,
    /// Runs begun when it was made: 0 before the first, `r` during run `r`
    /// or between runs `r` and `r + 1`.
    pub runs_begun: usize,
}

/// A change to make once the current run's listing has answered `page`
/// pages.
type During = (usize, Box<dyn FnOnce(&mut Store) + Send>);

/// The server's sessions and clock.
pub struct Store {
    /// The server's clock: moves only when told to, and by each change.
    pub now: DateTime<Utc>,
    sessions: BTreeMap<u32, Version>,
    made: Vec<Made>,
    runs_begun: usize,
    behaviour: Behaviour,
    /// Listing requests in the current run.
    list_requests: usize,
    /// Every listing request's query, in order.
    pub list_queries: Vec<String>,
    /// History requests, in all.
    pub history_requests: usize,
    /// Sessions whose history answers 503, every time.
    pub failing: std::collections::BTreeSet<u32>,
    during: Vec<During>,
}

impl Store {
    /// Session `n` now.
    pub fn session(&self, n: u32) -> Version {
        self.sessions[&n]
    }

    /// Every session now.
    pub fn sessions(&self) -> &BTreeMap<u32, Version> {
        &self.sessions
    }

    /// Every version ever made.
    pub fn made(&self) -> &[Made] {
        &self.made
    }

    /// Moves the clock on.
    pub fn tick(&mut self, by: TimeDelta) {
        self.now += by;
    }

    /// Updates session `n` now (one more message); the clock moves a second.
    pub fn update(&mut self, n: u32) -> DateTime<Utc> {
        let at = self.now;
        self.stamp(n, at);
        self.now += TimeDelta::seconds(1);
        at
    }

    /// Updates session `n` with `updated_at` = `at`, which may be in the
    /// past (a transaction that commits after it was stamped) or shared with
    /// others; the clock does not move.
    pub fn stamp(&mut self, n: u32, at: DateTime<Utc>) {
        let version = self.sessions.get_mut(&n).expect("an existing session");
        version.updated_at = at;
        version.messages += 1;
        self.log(n, at);
    }

    /// Creates a session now; the clock moves a second. Its number.
    pub fn create(&mut self) -> u32 {
        let n = self.sessions.keys().next_back().map_or(1, |n| n + 1);
        let at = self.now;
        self.sessions.insert(
            n,
            Version {
                created_at: at,
                updated_at: at,
                messages: 2,
            },
        );
        self.log(n, at);
        self.now += TimeDelta::seconds(1);
        n
    }

    /// Makes `change` once the next run's listing has answered `pages`
    /// pages: while the run is listing.
    pub fn after_list_page(
        &mut self,
        pages: usize,
        change: impl FnOnce(&mut Store) + Send + 'static,
    ) {
        self.during.push((pages, Box::new(change)));
    }

    /// A run begins: versions made from now on belong to it.
    pub fn begin_run(&mut self) {
        self.runs_begun += 1;
        self.list_requests = 0;
    }

    /// Runs begun so far.
    pub fn runs_begun(&self) -> usize {
        self.runs_begun
    }

    fn log(&mut self, session: u32, updated_at: DateTime<Utc>) {
        self.made.push(Made {
            session,
            updated_at,
            messages: self.sessions[&session].messages,
            runs_begun: self.runs_begun,
        });
    }

    /// A listing page for `query` (`updated_after`, `cursor`).
    fn list(&mut self, query: &str) -> Value {
        self.list_queries.push(query.to_string());
        let pairs: BTreeMap<String, String> = reqwest::Url::parse(&format!("http://x/?{query}"))
            .expect("a query")
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let after: Option<DateTime<Utc>> = pairs
            .get("updated_after")
            .map(|t| t.parse().expect("updated_after is RFC 3339"));
        let inclusive = self.behaviour.inclusive;
        let mut keyed: Vec<((DateTime<Utc>, u32), u32)> = self
            .sessions
            .iter()
            .filter(|(_, v)| match after {
                Some(after) if inclusive => v.updated_at >= after,
                Some(after) => v.updated_at > after,
                None => true,
            })
            .map(|(&n, v)| (self.key(n, v), n))
            .collect();
        keyed.sort();
        let from = pairs.get("cursor").map(|c| decode_cursor(c));
        let mut rest = keyed
            .into_iter()
            .filter(|(key, _)| from.is_none_or(|from| *key > from));
        let page: Vec<((DateTime<Utc>, u32), u32)> =
            rest.by_ref().take(self.behaviour.page_size).collect();
        let next = match (rest.next(), page.last()) {
            (Some(_), Some((key, _))) => Some(encode_cursor(*key)),
            _ => None,
        };
        let items: Vec<Value> = page.iter().map(|&(_, n)| self.session_json(n)).collect();
        self.list_requests += 1;
        // The changes due once this page is out, in the order they were asked for.
        let (due, later): (Vec<During>, Vec<During>) = std::mem::take(&mut self.during)
            .into_iter()
            .partition(|(pages, _)| *pages <= self.list_requests);
        self.during = later;
        for (_, change) in due {
            change(self);
        }
        json!({"items": items, "next": next})
    }

    fn key(&self, n: u32, version: &Version) -> (DateTime<Utc>, u32) {
        match self.behaviour.order {
            // The epoch for all: creation order is session number order.
            Order::Created => (DateTime::<Utc>::UNIX_EPOCH, n),
            Order::Updated => (version.updated_at, n),
        }
    }

    fn session_json(&self, n: u32) -> Value {
        let version = self.sessions[&n];
        let mut session = fixtures::session_json(n);
        session["created_at"] = json!(version.created_at);
        session["updated_at"] = json!(version.updated_at);
        session
    }

    fn history(&mut self, n: u32, cursor: u32) -> Value {
        self.history_requests += 1;
        let len = self.sessions.get(&n).map_or(0, |v| v.messages);
        let last = (cursor + HISTORY_PAGE).min(len);
        let items: Vec<Value> = (cursor..last)
            .map(|i| fixtures::message_json(n * 1000 + i, "incremental"))
            .collect();
        json!({"items": items, "next": (last < len).then(|| last.to_string())})
    }
}

fn encode_cursor((at, n): (DateTime<Utc>, u32)) -> String {
    format!("{}_{n}", at.timestamp_micros())
}

fn decode_cursor(cursor: &str) -> (DateTime<Utc>, u32) {
    let (micros, n) = cursor.split_once('_').expect("a cursor of ours");
    let at = DateTime::from_timestamp_micros(micros.parse().expect("micros")).expect("a time");
    (at, n.parse().expect("a session number"))
}

/// The running server and its store.
pub struct ChangingOpenCx {
    server: FaultServer,
    store: Arc<Mutex<Store>>,
}

impl ChangingOpenCx {
    /// `sessions` sessions, created a month before `clock` and last updated
    /// a minute apart up to a day before it; the server's clock starts at
    /// `clock` (whole seconds).
    pub fn start(sessions: u32, clock: DateTime<Utc>, behaviour: Behaviour) -> Self {
        Self::start_limited(sessions, clock, behaviour, None)
    }

    /// [`start`](Self::start), refusing requests beyond `limit` with a 429.
    pub fn start_limited(
        sessions: u32,
        clock: DateTime<Utc>,
        behaviour: Behaviour,
        limit: Option<ServerLimit>,
    ) -> Self {
        let now = clock.trunc_subsecs(0);
        let store = (1..=sessions).fold(BTreeMap::new(), |mut all, n| {
            let updated_at = now - TimeDelta::days(1) - TimeDelta::minutes(i64::from(sessions - n));
            all.insert(
                n,
                Version {
                    created_at: now - TimeDelta::days(30) + TimeDelta::seconds(i64::from(n)),
                    updated_at,
                    messages: 1 + n % 9,
                },
            );
            all
        });
        let store = Arc::new(Mutex::new(Store {
            now,
            made: store
                .iter()
                .map(|(&session, v)| Made {
                    session,
                    updated_at: v.updated_at,
                    messages: v.messages,
                    runs_begun: 0,
                })
                .collect(),
            sessions: store,
            runs_begun: 0,
            behaviour,
            list_requests: 0,
            list_queries: Vec::new(),
            history_requests: 0,
            failing: Default::default(),
            during: Vec::new(),
        }));
        let shared = store.clone();
        let handler: Handler = Arc::new(move |request| {
            let mut store = shared.lock().unwrap();
            let (path, query) = request
                .target
                .split_once('?')
                .unwrap_or((request.target, ""));
            let body = if path == "/chat/sessions" {
                store.list(query)
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
                let cursor = query
                    .split('&')
                    .find_map(|pair| pair.strip_prefix("cursor="))
                    .map_or(0, |c| c.parse().expect("a numeric cursor"));
                if store.failing.contains(&n) {
                    return (
                        503,
                        json!({"statusCode": 503, "message": "busy"}).to_string(),
                    );
                }
                store.history(n, cursor)
            } else {
                return (
                    404,
                    json!({"statusCode": 404, "message": "no such route"}).to_string(),
                );
            };
            (200, body.to_string())
        });
        let dated = store.clone();
        let headers: Headers = Arc::new(move |_| {
            let store = dated.lock().unwrap();
            if store.behaviour.date {
                format!(
                    "date: {}\r\n",
                    store.now.format("%a, %d %b %Y %H:%M:%S GMT")
                )
            } else {
                String::new()
            }
        });
        let server =
            FaultServer::start_with_headers(Arc::new(|_, _| Fault::None), handler, limit, headers);
        Self { server, store }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        self.server.url()
    }

    /// The store, to change sessions or read what happened.
    pub fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap()
    }

    /// Requests the server answered, in all.
    pub fn requests(&self) -> usize {
        self.server.stats().requests.len()
    }

    /// Requests its limit refused with a 429.
    pub fn rate_limited(&self) -> usize {
        self.server.stats().rate_limited
    }
}
