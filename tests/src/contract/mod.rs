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
mod server;
pub mod values;

use std::collections::BTreeSet;
use std::future::Future;
use std::io::Write;
use std::sync::Mutex;

use opencx_api::Client;
use serde::de::DeserializeOwned;
use serde_json::{json, Map, Value};

pub use answers::{bodiless, by_status, collect, json, outcome, Seen};
pub use server::{find, Prism, INSTALL_HINT, PRISM_ENV, SKIP_ENV};
use values::Draw;

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
/// Paginated streams per operation that has one (a quarter of the rounds).
const STREAM_SHARE: u64 = 4;
/// Items read from one stream at most; Prism's pages are random, so a
/// stream might go on for long.
pub(crate) const STREAM_ITEMS: usize = 60;
/// A token for Prism, which checks that every request carries the bearer
/// credentials upstream requires (a missing one is a 401).
const TOKEN: &str = "sk-contract-test";

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
    operation_doc: Value,
    doc: Value,
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
        let Some(prism) = find(&root) else {
            panic!("the contract tests need the Prism mock server, which is not installed: {INSTALL_HINT}");
        };
        let text = std::fs::read_to_string(root.join("opencx-api/openapi.json"))
            .expect("opencx-api/openapi.json");
        let doc: Value = serde_json::from_str(&text).expect("openapi.json is JSON");
        let (method_path, operation_doc) = find_operation(&doc, operation_id);
        let server = Prism::start(&prism, &root.join("tests/contract/upstream.json"))
            .await
            .unwrap_or_else(|e| panic!("starting {}: {e}", prism.display()));
        Some(Self {
            operation: operation_id.to_string(),
            method_path,
            operation_doc,
            doc,
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
            async move {
                let seen = seen.await?;
                match asked {
                    Some(asked) if asked != seen.status => Err(format!(
                        "asked Prism for a {asked} answer, the client saw {}",
                        seen.status
                    )),
                    _ => Ok(seen.body),
                }
            }
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
        let seed = round_seed(self.seed, &self.operation, number);
        let status = (!statuses.is_empty()).then(|| statuses[number as usize % statuses.len()]);
        let round = self.draw(seed, seeded, status);
        let inputs = round.describe();
        let result = call(round).await.map(|v| {
            if items.is_empty() {
                v
            } else {
                json!({ items: v })
            }
        });
        let context = || {
            format!(
                "contract {} ({}), round {number}{}: rerun with {SEED_ENV}={}\ninputs: {inputs}",
                self.operation,
                self.method_path,
                if seeded { "" } else { " (stream)" },
                self.seed
            )
        };
        match result {
            Ok(response) => {
                if let Err(problem) = self.record(&response) {
                    panic!("{}\n{problem}", context());
                }
            }
            Err(problem) => panic!(
                "{}\n{problem}\nPrism's last errors (why it refused the request, for a 4xx):\n{}",
                context(),
                self.server.errors(6).await
            ),
        }
    }

    /// Draws one round's inputs and a client whose requests ask Prism for the
    /// response of the same seed (or, for streams, continue Prism's random
    /// sequence, so that each page differs).
    fn draw(&self, seed: u64, seeded: bool, status: Option<u16>) -> Round {
        let mut draw = Draw::new(&self.doc, seed);
        let mut params = Map::new();
        for param in self
            .operation_doc
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let name = param["name"].as_str().unwrap_or_default();
            let required = param.get("required") == Some(&Value::Bool(true));
            if required || draw.chance(50) {
                let at = format!("{}/parameters/{name}", self.method_path);
                let mut value = draw.value(&param["schema"], &at);
                // A path segment that is empty, `.` or `..` addresses another
                // endpoint; the client refuses to send one, so none is drawn.
                if param["in"] == "path" {
                    for _ in 0..100 {
                        let text = match &value {
                            Value::String(s) => s.clone(),
                            other => other.to_string(),
                        };
                        if !matches!(text.as_str(), "" | "." | "..") {
                            break;
                        }
                        value = draw.value(&param["schema"], &at);
                    }
                }
                params.insert(name.to_string(), value);
            }
        }
        // The one content type the client sends (regen keeps one).
        let body = self.operation_doc.get("requestBody").and_then(|body| {
            let (_, media) = body.get("content")?.as_object()?.iter().next()?;
            let schema = media.get("schema").cloned().unwrap_or_else(|| json!({}));
            let required = body.get("required") == Some(&Value::Bool(true));
            (required || draw.chance(70))
                .then(|| draw.value(&schema, &format!("{}/requestBody", self.method_path)))
        });
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
            .build()
            .expect("an HTTP client");
        let client = Client::builder()
            .base_url(&self.server.base_url)
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
                "contract {}: in {} rounds (seed {}), Prism never sent these {} variants: {missing:?}; \
                 raise {ROUNDS_ENV} or change {SEED_ENV}",
                self.operation,
                self.rounds * EXTRA_ROUNDS,
                self.seed,
                union.name
            );
        }
    }
}

/// One round: the client to call and the inputs drawn for it.
pub struct Round {
    client: Client,
    params: Map<String, Value>,
    body: Option<Value>,
    /// The success status asked of Prism, if any.
    status: Option<u16>,
}

impl Round {
    /// The client, pointed at Prism.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The value drawn for parameter `name`, as the builder's type; `None`
    /// when this round leaves it out.
    pub fn param<T: DeserializeOwned>(&self, name: &str) -> Option<T> {
        let value = self.params.get(name)?;
        Some(typed(value, &format!("parameter `{name}`")))
    }

    /// The body drawn for this round, as the builder's type.
    pub fn body<T: DeserializeOwned>(&self) -> Option<T> {
        self.body.as_ref().map(|value| typed(value, "the body"))
    }

    /// The body drawn for this round as the raw bytes a text or binary body
    /// sends (a string as its UTF-8, anything else as its JSON text).
    pub fn raw_body(&self) -> Option<Vec<u8>> {
        self.body.as_ref().map(|value| match value {
            Value::String(text) => text.clone().into_bytes(),
            other => other.to_string().into_bytes(),
        })
    }

    fn describe(&self) -> String {
        json!({"parameters": self.params, "body": self.body, "status": self.status}).to_string()
    }
}

fn typed<T: DeserializeOwned>(value: &Value, what: &str) -> T {
    serde_json::from_value(value.clone()).unwrap_or_else(|e| {
        panic!(
            "drew {value} for {what}, which `{}` refuses ({e}): the schema and the client's type disagree",
            std::any::type_name::<T>()
        )
    })
}

fn find_operation(doc: &Value, operation_id: &str) -> (String, Value) {
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for (method, op) in item.as_object().into_iter().flatten() {
            if op.get("operationId").and_then(Value::as_str) == Some(operation_id) {
                let mut op = op.clone();
                // Path-level parameters apply to every method; `$ref`'d ones
                // are read where they point.
                let shared = item.get("parameters").and_then(Value::as_array);
                let own = op.get("parameters").and_then(Value::as_array);
                let all: Vec<Value> = shared
                    .into_iter()
                    .chain(own)
                    .flatten()
                    .map(|p| resolve(doc, p).clone())
                    .collect();
                op["parameters"] = Value::Array(all);
                return (format!("{} {path}", method.to_uppercase()), op);
            }
        }
    }
    panic!("opencx-api/openapi.json has no operation {operation_id}; run `cargo xtask regen`")
}

/// A local `$ref`'s target (following chains), else the value itself.
fn resolve<'v>(doc: &'v Value, value: &'v Value) -> &'v Value {
    match value
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix('#'))
        .and_then(|pointer| doc.pointer(pointer))
    {
        Some(target) if target != value => resolve(doc, target),
        _ => value,
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
