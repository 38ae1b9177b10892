//! The wire check: a regenerated API's contract tests (the
//! `tests/tests/contract.rs` regen wrote) run against one Prism serving its
//! `tests/contract/upstream.json`, and what happened to each operation:
//! passed, or failed with whose fault it was ([`Class`]: the client, Prism,
//! or the contract runtime) and the first line of why, with Prism's own log
//! line where Prism is at fault.
//!
//! One Prism per document, shared by the tests (run one at a time, so each
//! round reads its own part of Prism's log), and few rounds: a whole folder
//! of APIs is checked in minutes (`opencx-bench corpus DIR --wire`, and
//! `tests/tests/wire_check.rs` on part of `../shared/real-world/`).

use std::collections::BTreeMap;
use std::path::Path;

use crate::contract::{
    Class, Prism, EVIDENCE, PRISM_ENV, PRISM_LOG_ENV, PRISM_URL_ENV, REDRAWN_ENV, ROUNDS_ENV,
};
use crate::generated_crate;

/// Rounds per operation in the wire check (each a fresh draw of inputs and of
/// Prism's answer; an operation documenting several success statuses asks
/// for them in turn).
pub const WIRE_ROUNDS: u64 = 3;

/// How long Prism may take to read a document before it is given up on.
pub const PATIENCE: std::time::Duration = std::time::Duration::from_secs(180);
/// How long a contract test may run without a word before it is stopped
/// and counted the harness's: a test of a few rounds against a local Prism
/// takes seconds.
const QUIET: std::time::Duration = std::time::Duration::from_secs(300);

/// What happened to one operation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Passed,
    Failed {
        class: Class,
        /// The first line of why.
        why: String,
        /// Prism's log line that shows the fault, for [`Class::Prism`].
        evidence: Option<String>,
    },
}

/// One operation's result.
#[derive(Clone, Debug)]
pub struct Operation {
    /// `GET /path (operationId)`, as the generated test's doc says.
    pub name: String,
    pub outcome: Outcome,
}

/// One document's wire check.
#[derive(Debug, Default)]
pub struct Report {
    /// Every operation that has a contract test, in the tests' order.
    pub operations: Vec<Operation>,
    /// Why no test ran at all (Prism did not start, the tests did not
    /// compile), with the first error.
    pub error: Option<String>,
    /// Rounds whose answer Prism spoiled and that were drawn again (a line
    /// each: the operation, the round, why), counted apart from the
    /// operations' outcomes.
    pub redrawn: Vec<String>,
    /// How the document Prism served differs from upstream's, one line per
    /// kind ([`Prism::rewrites`]); empty when served as written.
    pub rewrites: Vec<String>,
}

impl Report {
    /// Operations that passed.
    pub fn passed(&self) -> usize {
        self.operations
            .iter()
            .filter(|o| o.outcome == Outcome::Passed)
            .count()
    }

    /// Operations that failed with `class`.
    pub fn failed(&self, class: Class) -> usize {
        self.operations
            .iter()
            .filter(|o| matches!(&o.outcome, Outcome::Failed { class: c, .. } if *c == class))
            .count()
    }
}

/// Runs the contract tests of the scratch workspace `ws` (where `cargo xtask
/// regen` ran) against a Prism (`prism`, the executable) serving its
/// document, `rounds` rounds each. cargo's whole output is left in
/// `ws/build/wire.log`.
pub fn check(ws: &Path, prism: &Path, rounds: u64) -> Report {
    let names = match test_names(&ws.join("tests/tests/contract.rs")) {
        Ok(names) => names,
        Err(error) => {
            return Report {
                error: Some(error),
                ..Report::default()
            }
        }
    };
    let build = match generated_crate::contract_workspace(ws) {
        Ok(build) => build,
        Err(error) => return failed_whole(&names, error),
    };
    // The tests compile first, without the server, so a compile error is
    // told apart from a failing test.
    let no_run = [generated_crate::CONTRACT_TESTS, &["--no-run"]].concat();
    if let Err(output) = generated_crate::cargo(&build, &no_run, &[]) {
        return failed_whole(
            &names,
            format!("the tests do not compile: {}", first_error(&output)),
        );
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let document = ws.join("tests/contract/upstream.json");
    let server = match runtime.block_on(Prism::start_within(prism, &document, PATIENCE)) {
        Ok(server) => server,
        Err(error) => {
            // Prism cannot serve a valid document: its fault, with its last
            // words as the evidence (circular `$ref`s keep it reading for
            // ever: stoplightio/prism#891, #2563).
            let last = error
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or_default();
            let mut report = failed_whole(&names, first_line(&error).to_string());
            for operation in &mut report.operations {
                operation.outcome = Outcome::Failed {
                    class: Class::Prism,
                    why: first_line(&error).to_string(),
                    evidence: Some(format!(
                        "Prism cannot serve the document; its log ends: {}",
                        last.trim()
                    )),
                };
            }
            return report;
        }
    };
    let mut server = server;
    let rounds = rounds.to_string();
    let redrawn = build.join("redrawn.tsv");
    let _ = std::fs::remove_file(&redrawn);
    let mut outcomes: BTreeMap<String, Outcome> = BTreeMap::new();
    // Tests to run (all at first), and tests never to run again: those that
    // took the test process down.
    let mut pending: Option<Vec<String>> = None;
    let mut skipped: Vec<String> = Vec::new();
    let mut outputs = Vec::new();
    let mut prism_logs = Vec::new();
    for _ in 0..MAX_RUNS {
        let mut args = generated_crate::CONTRACT_TESTS.to_vec();
        args.extend(["--", "--test-threads=1", "--exact"]);
        args.extend(pending.iter().flatten().map(String::as_str));
        for name in &skipped {
            args.extend(["--skip", name.as_str()]);
        }
        let log = server.log_path().to_path_buf();
        let output = generated_crate::cargo_watched(
            &build,
            &args,
            &[
                (PRISM_ENV, prism.as_os_str()),
                (PRISM_URL_ENV, server.base_url.as_ref()),
                (PRISM_LOG_ENV, log.as_os_str()),
                (ROUNDS_ENV, rounds.as_ref()),
                // Deep documents draw deep values: room for them.
                ("RUST_MIN_STACK", "67108864".as_ref()),
                (REDRAWN_ENV, redrawn.as_os_str()),
            ],
            QUIET,
        )
        .unwrap_or_else(|output| output);
        outputs.push(output.clone());
        let ran = outcomes_of(&output);
        outcomes.extend(ran.iter().cloned());
        if let Some((name, why)) = crash(&output).filter(|(n, _)| names.contains_key(n)) {
            // The test process went down: that test is recorded, the
            // others that had not run yet run without it.
            outcomes.insert(
                name.clone(),
                Outcome::Failed {
                    class: Class::Harness,
                    why: format!("the test process went down: {why}"),
                    evidence: None,
                },
            );
            skipped.push(name);
            pending = Some(
                names
                    .keys()
                    .filter(|t| !outcomes.contains_key(*t))
                    .cloned()
                    .collect(),
            );
            continue;
        }
        if !server.exited() {
            break;
        }
        // Prism went down during the run: the test it was answering is its
        // fault (its log's last error as the evidence), and the tests that
        // then found nobody listening run again on a new Prism.
        let log_text = std::fs::read_to_string(&log).unwrap_or_default();
        prism_logs.push(log_text.clone());
        let unreachable: Vec<String> = ran
            .iter()
            .filter(|(_, outcome)| {
                matches!(outcome, Outcome::Failed { why, .. }
                    if why.contains("connection refused") || why.contains("connection closed"))
            })
            .map(|(test, _)| test.clone())
            .collect();
        let Some(culprit) = unreachable.first().cloned() else {
            break;
        };
        let last = crate::contract::entries(&log_text)
            .into_iter()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or_default();
        outcomes.insert(
            culprit,
            Outcome::Failed {
                class: Class::Prism,
                why: "Prism went down answering this request".into(),
                evidence: Some(format!("it went down; its log ends: {}", last.trim())),
            },
        );
        pending = Some(unreachable[1..].to_vec());
        if unreachable.len() == 1 {
            break;
        }
        server = match runtime.block_on(Prism::start_within(prism, &document, PATIENCE)) {
            Ok(server) => server,
            Err(_) => break,
        };
    }
    prism_logs.push(std::fs::read_to_string(server.log_path()).unwrap_or_default());
    let rewrites = std::mem::take(&mut server.rewrites);
    drop(server);
    // The whole output, for a maintainer to read past the first line.
    let _ = std::fs::write(build.join("wire.log"), outputs.join("\n"));
    let _ = std::fs::write(build.join("prism.log"), prism_logs.join("\n"));
    Report {
        operations: names
            .iter()
            .map(|(test, name)| Operation {
                name: name.clone(),
                outcome: outcomes.remove(test).unwrap_or_else(|| Outcome::Failed {
                    class: Class::Harness,
                    why: "the test did not run (libtest reported nothing for it)".into(),
                    evidence: None,
                }),
            })
            .collect(),
        error: None,
        redrawn: std::fs::read_to_string(&redrawn)
            .unwrap_or_default()
            .lines()
            .map(String::from)
            .collect(),
        rewrites,
    }
}

/// Runs of the tests at most, for one document: Prism may go down and be
/// started again, and a test may take the test process down.
const MAX_RUNS: usize = 12;

/// The test that was running when the process ended without a result, and
/// what it printed (`thread '...' has overflowed its stack`).
fn crash(output: &str) -> Option<(String, String)> {
    let lines: Vec<&str> = output.lines().collect();
    let at = lines
        .iter()
        .rposition(|l| l.starts_with("test ") && l.contains(" ... "))?;
    let line = lines[at];
    if ["ok", "FAILED", "ignored"]
        .iter()
        .any(|r| line.ends_with(r))
    {
        return None;
    }
    let name = line
        .strip_prefix("test ")?
        .split(" ... ")
        .next()?
        .to_string();
    // cargo's own lines (`Finished`, `Running`) come in between.
    let after: Vec<&str> = lines[at + 1..].iter().map(|l| l.trim()).collect();
    let why = after
        .iter()
        .find(|l| {
            l.contains("overflowed its stack")
                || l.starts_with("fatal runtime error")
                || l.starts_with(generated_crate::STOPPED)
        })
        .or_else(|| {
            after
                .iter()
                .find(|l| !l.is_empty() && !l.starts_with("Finished") && !l.starts_with("Running"))
        })
        .copied()
        .unwrap_or("the process ended")
        .to_string();
    Some((name, why))
}

/// Every test of `names` failed with the harness's `error`.
fn failed_whole(names: &BTreeMap<String, String>, error: String) -> Report {
    Report {
        operations: names
            .values()
            .map(|name| Operation {
                name: name.clone(),
                outcome: Outcome::Failed {
                    class: Class::Harness,
                    why: error.clone(),
                    evidence: None,
                },
            })
            .collect(),
        error: Some(error),
        redrawn: Vec::new(),
        rewrites: Vec::new(),
    }
}

/// Test function → `METHOD /path (operationId)`, from the doc comment regen
/// writes above each test in `contract.rs`.
fn test_names(file: &Path) -> Result<BTreeMap<String, String>, String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let mut names = BTreeMap::new();
    let mut doc = None;
    for line in text.lines() {
        let line = line.trim();
        if let Some(comment) = line.strip_prefix("///") {
            doc = Some(
                comment
                    .trim()
                    .replace('`', "")
                    .trim_end_matches('.')
                    .to_string(),
            );
        } else if let Some(rest) = line.strip_prefix("async fn ") {
            let name = rest.split('(').next().unwrap_or_default().to_string();
            names.insert(name.clone(), doc.take().unwrap_or(name));
        } else if !line.starts_with("#[") {
            doc = None;
        }
    }
    Ok(names)
}

/// The outcome of each test libtest reported in `output`, in the order
/// they ran.
fn outcomes_of(output: &str) -> Vec<(String, Outcome)> {
    let mut failures: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in output.lines() {
        if let Some(name) = line
            .strip_prefix("---- ")
            .and_then(|l| l.strip_suffix(" stdout ----"))
        {
            current = Some(name.to_string());
            failures.entry(name.to_string()).or_default();
        } else if line == "failures:" || line.starts_with("test result:") {
            current = None;
        } else if let Some(name) = &current {
            failures.entry(name.clone()).or_default().push(line);
        }
    }
    output
        .lines()
        .filter_map(|l| {
            let rest = l.strip_prefix("test ")?;
            let (name, result) = rest.split_once(" ... ")?;
            let outcome = match result {
                "ok" => Outcome::Passed,
                "FAILED" => failure(failures.get(name).map(Vec::as_slice).unwrap_or_default()),
                _ => return None,
            };
            Some((name.to_string(), outcome))
        })
        .collect()
}

/// A failed test's class, why and evidence, from its panic message:
/// `[class] contract ...`, the inputs, then the problem, then Prism's errors.
fn failure(lines: &[&str]) -> Outcome {
    // The last panic is the test's own: one the runtime caught on the way
    // (drawing inputs, say) is printed before it, unworded.
    let last = lines
        .iter()
        .rposition(|l| l.contains("panicked at"))
        .unwrap_or(lines.len());
    let message: Vec<&str> = lines
        .iter()
        .skip(last + 1)
        .take_while(|l| !l.starts_with("stack backtrace:") && !l.starts_with("note: "))
        .copied()
        .collect();
    let first = message.first().copied().unwrap_or_default();
    let class = match first.split(']').next() {
        Some("[prism") => Class::Prism,
        Some("[harness") => Class::Harness,
        Some("[client") => Class::Client,
        // A panic the runtime did not word: the client's (a `send()` that
        // panicked, say).
        _ => Class::Client,
    };
    let why = message
        .iter()
        .skip(1)
        .find(|l| !l.starts_with("inputs: ") && !l.trim().is_empty())
        .map_or(first, |l| *l);
    let why = match class {
        // The runtime's own message is on its first line.
        Class::Harness if first.contains("drawing the inputs") => first,
        _ => why,
    };
    let evidence = message
        .iter()
        .find_map(|l| l.strip_prefix(EVIDENCE))
        .map(|l| l.trim().to_string());
    Outcome::Failed {
        class,
        why: first_line(why.trim()).to_string(),
        evidence: (class == Class::Prism).then_some(evidence).flatten(),
    }
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default()
}

/// The first `error` line of cargo's output, with the line after it (where).
fn first_error(output: &str) -> String {
    let lines: Vec<&str> = output.lines().collect();
    match lines.iter().position(|l| l.starts_with("error")) {
        Some(i) => lines[i..(i + 2).min(lines.len())].join(" "),
        None => first_line(output).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn libtest_output_gives_each_operation_its_outcome() {
        let output = "\
running 3 tests
test a ... ok
test b ... FAILED
test c ... FAILED

failures:

---- b stdout ----

thread 'b' (1) panicked at tests/src/contract/mod.rs:290:17:
[prism] contract getB (GET /b), round 0: rerun with OPENCX_CONTRACT_SEED=1
inputs: {}
the client could not decode Prism's answer: missing field `id`
Prism's fault: its answer breaks the document: [1:00:00 PM] ›     [VALIDATOR] ✖  error     Violation: response.body Response body must have required property 'id'
Prism's errors in this round (why it refused the request, for a 4xx):
[1:00:00 PM] ›     [VALIDATOR] ✖  error     Violation: response.body Response body must have required property 'id'
stack backtrace:
---- c stdout ----

thread 'c' (2) panicked at tests/src/contract/inputs.rs:219:33:
/paths/~1c/get/requestBody: drew no body upstream's schema takes in 20 tries: valid under more than one of oneOf
note: run with `RUST_BACKTRACE=1`

thread 'c' (2) panicked at tests/src/contract/mod.rs:250:13:
[harness] contract getC (GET /c), round 0: drawing the inputs: no rule
note: run with `RUST_BACKTRACE=1`

failures:
    b
    c

test result: FAILED. 1 passed; 2 failed
";
        let outcomes = outcomes_of(output);
        assert_eq!(outcomes.len(), 3);
        assert_eq!(outcomes[0], ("a".to_string(), Outcome::Passed));
        assert_eq!(
            outcomes[1].1,
            Outcome::Failed {
                class: Class::Prism,
                why: "the client could not decode Prism's answer: missing field `id`".into(),
                evidence: Some(
                    "its answer breaks the document: [1:00:00 PM] ›     [VALIDATOR] ✖  error     Violation: response.body Response body must have required property 'id'".into()
                ),
            }
        );
        assert!(matches!(
            &outcomes[2].1,
            Outcome::Failed { class: Class::Harness, why, .. } if why.contains("drawing the inputs: no rule")
        ));
    }

    #[test]
    fn a_test_that_takes_the_process_down_is_named_with_what_it_printed() {
        let output = "running 3 tests\ntest a ... ok\ntest b ...     Finished `test` profile\n     Running tests/contract.rs\n\nthread 'b' has overflowed its stack\nfatal runtime error: stack overflow\n";
        assert_eq!(
            crash(output),
            Some((
                "b".to_string(),
                "thread 'b' has overflowed its stack".to_string()
            ))
        );
        assert_eq!(crash("test a ... ok\ntest result: ok. 1 passed"), None);
        let stopped = format!(
            "test a ... ok\ntest b ... \n{} 300 s\n",
            generated_crate::STOPPED
        );
        assert_eq!(
            crash(&stopped),
            Some((
                "b".to_string(),
                format!("{} 300 s", generated_crate::STOPPED)
            ))
        );
    }
}
