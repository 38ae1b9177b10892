//! Contract tests' runtime: every operation of the generated client, against
//! Prism serving the upstream documents (`tests/contract/upstream.json`).
//!
//! The tests themselves are generated (`tests/tests/contract.rs`, by `cargo
//! xtask regen`); this module starts the server, draws each round's inputs
//! from the operation's schemas in `opencx-api/openapi.json` (the document the
//! client is generated from), and reads the answers. Prism checks every
//! request against upstream (a violation is a 422 whose `sl-violations` header
//! the failure shows) and answers with random schema-valid responses, which
//! the client must decode.
//!
//! Deterministic: round `r` draws its inputs from a seed derived from
//! [`SEED_ENV`] (default [`DEFAULT_SEED`]) and asks Prism for the response of
//! the same seed (`Prefer: seed=...`); each test has its own Prism, so even
//! unseeded follow-up pages repeat run to run.

mod answers;
mod faults;
mod inputs;
mod round;
mod schema_check;
mod served;
mod server;
pub mod values;

use answers::{as_asked, take_answer};
use faults::{note_redrawn, prism_fault, Sent};
pub use faults::{Class, EVIDENCE, REDRAWN_ENV};
pub use round::Round;

use std::collections::BTreeSet;
use std::future::Future;
use std::io::Write;
use std::sync::Mutex;

use opencx_api::config::{Credential, SchemeKind};
use opencx_api::Client;
use serde_json::{json, Value};

pub use answers::{bodiless, by_status, collect, error, json, outcome, Seen};
pub use server::{
    entries, find, Prism, INSTALL_HINT, PRISM_ENV, PRISM_LOG_ENV, PRISM_URL_ENV, SKIP_ENV,
};

/// Overrides the seed every round's seed derives from.
pub const SEED_ENV: &str = "OPENCX_CONTRACT_SEED";
/// Overrides the number of rounds per operation.
pub const ROUNDS_ENV: &str = "OPENCX_CONTRACT_ROUNDS";
/// The seed unless [`SEED_ENV`] says otherwise.
pub const DEFAULT_SEED: u64 = 20_240_501;
/// Single requests per operation unless [`ROUNDS_ENV`] says otherwise.
pub const DEFAULT_ROUNDS: u64 = 40;
/// At most this many times the rounds, while a union's variants are missing.
const EXTRA_ROUNDS: u64 = 5;
/// Stream rounds are numbered from here, apart from the single requests.
const STREAM_ROUNDS: u64 = 1_000_000;
/// Where the rounds that ask for a documented error start (their seeds
/// differ from the others').
const ERROR_ROUNDS: u64 = 2_000_000;
/// Paginated streams per operation that has one (a quarter of the rounds).
const STREAM_SHARE: u64 = 4;
/// Items read from one stream at most; Prism's pages are random, so a
/// stream might go on for long.
pub(crate) const STREAM_ITEMS: usize = 60;
/// A token (and basic auth's password) for Prism, which checks that every
/// request carries the credentials upstream requires (a missing one is a 401).
const TOKEN: &str = "sk-contract-test";
/// HTTP basic auth's username.
const USER: &str = "contract-test";

/// Attempts at one round at most, while Prism spoils its answer.
const REDRAWS: u64 = 4;

/// A tagged union in an operation's response, as the generated test
/// describes it: the test fails unless every tag was seen, each read as a
/// known variant.
#[derive(Clone, Copy)]
pub struct Union {
    /// The Rust type's name.
    pub name: &'static str,
    /// The tag property.
    pub tag: &'static str,
    /// Where in the response: property names, `*` for list items.
    pub paths: &'static [&'static str],
    /// Every tag the document defines.
    pub tags: &'static [&'static str],
    /// Decodes a value and says whether it became the `Unknown` variant.
    pub is_unknown: fn(Value) -> Result<bool, serde_json::Error>,
}

/// One operation's contract test: its server, seed and what it saw.
pub struct Contract {
    operation: String,
    method_path: String,
    /// The operation in the converted document and upstream's.
    inputs: inputs::Operation,
    documents: inputs::Documents,
    server: Prism,
    seed: u64,
    rounds: u64,
    unions: Mutex<Vec<(Union, BTreeSet<String>)>>,
}

/// The Prism executable for contract tests of `what`, installing the pinned
/// one when it is missing. With [`SKIP_ENV`] set to `1` this prints a loud
/// note and returns `None`; without Prism it fails saying how to install it.
pub fn prism_or_skip(what: &str) -> Option<std::path::PathBuf> {
    if std::env::var(SKIP_ENV).as_deref() == Ok("1") {
        let _ = writeln!(
            std::io::stderr(),
            "\n!!! contract tests of {what} SKIPPED ({SKIP_ENV}=1): NOT checked against Prism !!!\n"
        );
        return None;
    }
    match find(&crate::workspace_root()) {
        Some(prism) => Some(prism),
        None => panic!(
            "the contract tests need the Prism mock server, which is not installed: {INSTALL_HINT}"
        ),
    }
}

impl Contract {
    /// Starts Prism for `operation_id`. Without Prism the test fails saying how
    /// to install it. With [`SKIP_ENV`] set to `1` this prints a loud note and
    /// returns `None`, so the test passes having checked nothing.
    pub async fn start(operation_id: &str) -> Option<Self> {
        if std::env::var(SKIP_ENV).as_deref() == Ok("1") {
            // Straight to stderr: the test harness captures `eprintln!` of
            // passing tests, and this note must not go unseen.
            let _ = writeln!(
                std::io::stderr(),
                "\n!!! contract test for {operation_id} SKIPPED ({SKIP_ENV}=1): the client \
                 was NOT checked against the upstream documents !!!\n"
            );
            return None;
        }
        let root = crate::workspace_root();
        let text = std::fs::read_to_string(root.join("opencx-api/openapi.json"))
            .expect("opencx-api/openapi.json");
        let converted: Value = serde_json::from_str(&text).expect("openapi.json is JSON");
        let upstream = std::fs::read_to_string(root.join("tests/contract/upstream.json"))
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok());
        let documents = inputs::Documents::new(converted, upstream);
        let inputs = documents.operation(operation_id);
        let method_path = inputs.method_path.clone();
        let server = match Prism::shared() {
            Some(shared) => shared,
            None => {
                let Some(prism) = find(&root) else {
                    panic!("the contract tests need the Prism mock server, which is not installed: {INSTALL_HINT}");
                };
                Prism::start(&prism, &root.join("tests/contract/upstream.json"))
                    .await
                    .unwrap_or_else(|e| panic!("[harness] starting {}: {e}", prism.display()))
            }
        };
        Some(Self {
            operation: operation_id.to_string(),
            method_path,
            inputs,
            documents,
            server,
            seed: env_number(SEED_ENV).unwrap_or(DEFAULT_SEED),
            rounds: env_number(ROUNDS_ENV).unwrap_or(DEFAULT_ROUNDS),
            unions: Mutex::new(Vec::new()),
        })
    }

    /// Declares a union the operation's responses hold.
    pub fn expect(&self, union: Union) {
        self.unions.lock().unwrap().push((union, BTreeSet::new()));
    }

    /// Sends the operation once per round, each with fresh inputs, and checks
    /// that it succeeds. Round `n` asks Prism for the success status
    /// `statuses[n % len]` (Prism's own choice when there are none), so every
    /// documented answer is exercised. `call` builds and sends the request
    /// and says what the caller saw ([`json`], [`bodiless`], [`by_status`]).
    pub async fn rounds<F, Fut>(&self, statuses: &[u16], call: F)
    where
        F: Fn(Round) -> Fut,
        Fut: Future<Output = Result<Seen, String>>,
    {
        let call = |round: Round| {
            let asked = round.status;
            let seen = call(round);
            async move { as_asked(asked, seen.await?) }
        };
        for number in 0..self.rounds {
            self.round(number, true, "", statuses, &call).await;
        }
        // A union with many variants (the history's 40 events) may need more
        // answers than that before each variant came up; still deterministic.
        let mut number = self.rounds;
        while !self.covered() && number < self.rounds * EXTRA_ROUNDS {
            self.round(number, true, "", statuses, &call).await;
            number += 1;
        }
    }

    /// Asks Prism once for each error status of `statuses` (with valid
    /// inputs, `Prefer: code=<status>`), and checks that the client gives
    /// the answer's body as the document's type ([`error`]). A body that
    /// breaks the document is Prism's fault, as for a success.
    pub async fn errors<F, Fut>(&self, statuses: &[u16], call: F)
    where
        F: Fn(Round) -> Fut,
        Fut: Future<Output = Result<Seen, String>>,
    {
        // The body was checked by `call` ([`error`]).
        let call = |round: Round| {
            let asked = round.status;
            let seen = call(round);
            async move { as_asked(asked, seen.await?).map(|_| Value::Null) }
        };
        for (number, status) in (ERROR_ROUNDS..).zip(statuses) {
            self.round(number, true, "", &[*status], &call).await;
        }
    }

    fn covered(&self) -> bool {
        let unions = self.unions.lock().unwrap();
        unions
            .iter()
            .all(|(union, seen)| union.tags.iter().all(|t| seen.contains(*t)))
    }

    /// Reads a quarter as many paginated streams, bounded, each a page or
    /// more; `items` is the response's list property the stream yields.
    pub async fn streams<F, Fut>(&self, items: &str, call: F)
    where
        F: Fn(Round) -> Fut,
        Fut: Future<Output = Result<Value, String>>,
    {
        for number in 0..self.rounds.div_ceil(STREAM_SHARE) {
            self.round(STREAM_ROUNDS + number, false, items, &[], &call)
                .await;
        }
    }

    async fn round<F, Fut>(
        &self,
        number: u64,
        seeded: bool,
        items: &str,
        statuses: &[u16],
        call: &F,
    ) where
        F: Fn(Round) -> Fut,
        Fut: Future<Output = Result<Value, String>>,
    {
        // A round whose answer Prism spoiled (see [`prism_fault`]) tests
        // nothing of the client: it is drawn again, with other inputs and
        // another of Prism's answers, and counted apart ([`REDRAWN_ENV`]).
        let mut attempt = 0;
        loop {
            let (class, message) = match self
                .attempt(number, attempt, seeded, items, statuses, call)
                .await
            {
                Ok(()) => return,
                Err(failure) => failure,
            };
            if class != Class::Prism || attempt + 1 >= REDRAWS {
                panic!("{message}");
            }
            note_redrawn(&self.operation, number, &message);
            attempt += 1;
        }
    }

    /// One attempt at round `number`: its class and message when it fails.
    async fn attempt<F, Fut>(
        &self,
        number: u64,
        attempt: u64,
        seeded: bool,
        items: &str,
        statuses: &[u16],
        call: &F,
    ) -> Result<(), (Class, String)>
    where
        F: Fn(Round) -> Fut,
        Fut: Future<Output = Result<Value, String>>,
    {
        let seed = match attempt {
            0 => round_seed(self.seed, &self.operation, number),
            n => round_seed(
                self.seed ^ n.wrapping_mul(0xA076_1D64_78BD_642F),
                &self.operation,
                number,
            ),
        };
        let status = (!statuses.is_empty()).then(|| statuses[number as usize % statuses.len()]);
        let round = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.draw(seed, seeded, status)
        }))
        .map_err(|panic| {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            (
                Class::Harness,
                format!(
                    "[{}] contract {} ({}), round {number}: drawing the inputs: {message}",
                    Class::Harness,
                    self.operation,
                    self.method_path
                ),
            )
        })?;
        let inputs = round.describe();
        let sent_body = round.sent_body.clone();
        let params = round.params.clone();
        let ambiguous = round.ambiguous;
        // Where this round's part of Prism's log starts: once the last
        // round's lines are in.
        let logged = self.server.settled_log_len().await;
        let result = call(round).await.map(|v| {
            if items.is_empty() {
                v
            } else {
                json!({ items: v })
            }
        });
        let context = |class: Class| {
            format!(
                "[{class}] contract {} ({}), round {number}{}{}: rerun with {SEED_ENV}={}\ninputs: {inputs}",
                self.operation,
                self.method_path,
                if seeded { "" } else { " (stream)" },
                if attempt > 0 { format!(", drawn again ({attempt})") } else { String::new() },
                self.seed
            )
        };
        match result {
            Ok(response) => self.record(&response).map_err(|problem| {
                (
                    Class::Client,
                    format!("{}\n{problem}", context(Class::Client)),
                )
            }),
            Err(problem) => {
                // The body as the client's type wrote it, which is what went
                // on the wire.
                let sent = Sent {
                    body: sent_body.lock().unwrap().clone(),
                    params,
                    ambiguous,
                };
                let log = self.server.log_since(logged).await;
                let entries = server::entries(&log);
                let errors: Vec<&str> = entries
                    .iter()
                    .map(String::as_str)
                    .filter(|l| l.contains('✖'))
                    .collect();
                // The answer that did not decode, whole, is for the check
                // below, not for the message.
                let (problem, answer) = take_answer(&problem);
                let logged_fault = prism_fault(&self.method_path, &errors, &problem, &sent)
                    .map(|(why, line)| format!("{why}: {}", line.trim()));
                // Prism's log does not always say that its answer breaks the
                // document; upstream's schema, checked here, does.
                let checked_fault = || {
                    let (status, body) = answer.as_ref()?;
                    let why = self.documents.answer_problem(&self.inputs, *status, body)?;
                    Some(format!(
                        "its answer breaks the document (upstream's schema, checked here; \
                         Prism logged nothing): {why}"
                    ))
                };
                let (class, evidence) = match logged_fault.or_else(checked_fault) {
                    Some(fault) => (Class::Prism, format!("\n{EVIDENCE}{fault}")),
                    None => (Class::Client, String::new()),
                };
                Err((
                    class,
                    format!(
                        "{}\n{problem}{evidence}\nPrism's errors in this round (why it refused the request, for a 4xx):\n{}",
                        context(class),
                        errors.join("\n")
                    ),
                ))
            }
        }
    }

    /// Draws one round's inputs and a client whose requests ask Prism for the
    /// response of the same seed (or, for streams, continue Prism's random
    /// sequence, so that each page differs).
    fn draw(&self, seed: u64, seeded: bool, status: Option<u16>) -> Round {
        let inputs::Drawn {
            params,
            body,
            ambiguous,
        } = inputs::draw(&self.documents, &self.inputs, seed);
        let mut prefer = match seeded {
            true => format!("dynamic=true, seed={seed}"),
            false => "dynamic=true".to_string(),
        };
        if let Some(status) = status {
            prefer = format!("code={status}, {prefer}");
        }
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("prefer", prefer.parse().expect("ASCII"));
        let http = reqwest::Client::builder()
            .default_headers(headers)
            // A redirection asked of Prism (`Prefer: code=302`) would be
            // asked again of wherever it points: the answer is what the
            // client reads, as it reads one whose `Location` is gone.
            .redirect(reqwest::redirect::Policy::none())
            // Prism answers at once; a call that hangs is a failure to see.
            .timeout(std::time::Duration::from_secs(60))
            .build()
            .expect("an HTTP client");
        let mut builder = Client::builder().base_url(&self.server.base_url);
        // A credential for every scheme the document defines, so each
        // operation sends what its `security` requirement names and Prism
        // checks it; the bearer token serves operations the document is
        // silent on.
        for scheme in Client::security_schemes() {
            builder = match scheme.kind {
                SchemeKind::Basic => {
                    builder.credential(scheme.name, Credential::basic(USER, TOKEN))
                }
                SchemeKind::MutualTls => builder,
                _ => builder.credential(scheme.name, TOKEN),
            };
        }
        let client = builder
            .bearer_token(TOKEN)
            .http_client(http)
            .no_retries()
            .no_rate_limit()
            .build()
            .expect("a valid client");
        Round {
            client,
            params,
            body,
            ambiguous,
            sent_body: Default::default(),
            status,
        }
    }

    /// Notes the union tags in a decoded response.
    fn record(&self, response: &Value) -> Result<(), String> {
        let mut unions = self.unions.lock().unwrap();
        for (union, seen) in unions.iter_mut() {
            for path in union.paths {
                for value in values_at(response, path) {
                    let unknown = (union.is_unknown)(value.clone()).map_err(|e| {
                        format!("{} at {path} does not decode again: {e}", union.name)
                    })?;
                    let tag = value
                        .get(union.tag)
                        .and_then(Value::as_str)
                        .unwrap_or("<none>");
                    if unknown {
                        return Err(format!(
                            "{} at {path} with tag {tag:?} was read as `Unknown`",
                            union.name
                        ));
                    }
                    seen.insert(tag.to_string());
                }
            }
        }
        Ok(())
    }

    /// Fails unless every tag of every declared union was seen.
    pub fn assert_coverage(&self) {
        for (union, seen) in self.unions.lock().unwrap().iter() {
            let missing: Vec<&str> = union
                .tags
                .iter()
                .copied()
                .filter(|t| !seen.contains(*t))
                .collect();
            assert!(
                missing.is_empty(),
                "[{}] contract {}: in {} rounds (seed {}), Prism never sent these {} variants: {missing:?}; \
                 raise {ROUNDS_ENV} or change {SEED_ENV}",
                Class::Harness,
                self.operation,
                self.rounds * EXTRA_ROUNDS,
                self.seed,
                union.name
            );
        }
    }
}

/// The values at a `/`-separated path of property names and `*` (every item).
fn values_at<'v>(value: &'v Value, path: &str) -> Vec<&'v Value> {
    let mut here = vec![value];
    for step in path.split('/').filter(|s| !s.is_empty()) {
        here = here
            .into_iter()
            .flat_map(|v| match (step, v) {
                ("*", Value::Array(items)) => items.iter().collect::<Vec<_>>(),
                (key, Value::Object(map)) => map.get(key).into_iter().collect(),
                _ => Vec::new(),
            })
            .collect();
    }
    here
}

/// Round `number`'s seed: the base seed, the operation and the round mixed.
fn round_seed(seed: u64, operation: &str, number: u64) -> u64 {
    let mut rng = values::Rng::new(seed);
    let name = operation.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    let mut mixed =
        values::Rng::new(rng.next_u64() ^ name ^ number.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    mixed.next_u64() % 1_000_000_000_000
}

fn env_number(name: &str) -> Option<u64> {
    let text = std::env::var(name).ok()?;
    Some(
        text.parse()
            .unwrap_or_else(|_| panic!("{name}={text:?} is not a whole number")),
    )
}
