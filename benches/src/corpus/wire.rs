//! The wire check's part of the corpus report: per document, how many of its
//! operations passed their contract test against Prism, and each one that
//! did not, with whose fault it was and why (Prism's own log line where the
//! fault is Prism's).

use opencx_tests::contract::Class;
use opencx_tests::wire::{Outcome, Report};

/// The summary line over every document checked.
pub(super) fn summary<'r>(reports: impl Iterator<Item = &'r Report>) -> String {
    let reports: Vec<&Report> = reports.collect();
    let tested: usize = reports.iter().map(|r| r.operations.len()).sum();
    let passed: usize = reports.iter().map(|r| r.passed()).sum();
    let by = |class| reports.iter().map(|r| r.failed(class)).sum::<usize>();
    let redrawn: usize = reports.iter().map(|r| r.redrawn.len()).sum();
    format!(
        "- **On the wire**: {passed} of {tested} operations with a contract test pass against Prism \
         serving their document ({:.1} %), {} rounds each; of the others, {} are Prism's fault \
         (its own log or upstream's schema shows it), {} the client's and {} the contract \
         runtime's (listed below). {redrawn} rounds whose answer Prism spoiled were drawn again \
         (up to 3 more times each, counted apart: by kind below).\n\n",
        100.0 * passed as f64 / tested.max(1) as f64,
        opencx_tests::wire::WIRE_ROUNDS,
        by(Class::Prism),
        by(Class::Client),
        by(Class::Harness),
    )
}

/// A document's cell: `passed / tested`.
pub(super) fn cell(report: Option<&Report>) -> String {
    match report {
        None => "–".into(),
        Some(report) => format!("{} / {}", report.passed(), report.operations.len()),
    }
}

/// The section listing every operation that did not pass.
pub(super) fn failures<'r>(reports: impl Iterator<Item = (&'r str, &'r Report)>) -> String {
    let mut rows = Vec::new();
    let mut redrawn: std::collections::BTreeMap<String, Vec<&str>> = Default::default();
    let mut served = String::new();
    for (document, report) in reports {
        for rewrite in &report.rewrites {
            served.push_str(&format!("| `{document}` | {} |\n", cell_text(rewrite)));
        }
        for line in &report.redrawn {
            let why = line.splitn(3, '\t').nth(2).unwrap_or_default();
            redrawn.entry(kind_of(why)).or_default().push(document);
        }
        for operation in &report.operations {
            if let Outcome::Failed {
                class,
                why,
                evidence,
            } = &operation.outcome
            {
                rows.push(format!(
                    "| `{document}` | `{}` | {class} | {} |\n",
                    operation.name,
                    cell_text(evidence.as_deref().unwrap_or(why))
                ));
            }
        }
    }
    let mut out = String::from("\n## On the wire, not passed\n\n");
    if !served.is_empty() {
        out.push_str(
            "Where Prism was served the document rewritten (`tests/src/contract/served.rs`; \
             the contract runtime still checks every answer against the document as written):\n\n\
             | document | rewrite |\n| --- | --- |\n",
        );
        out.push_str(&served);
        out.push('\n');
    }
    out.push_str(&redrawn_section(&redrawn));
    if rows.is_empty() {
        out.push_str("None: every operation with a contract test passed against Prism.\n");
    } else {
        out.push_str(
            "Whose fault: `prism` where Prism's own log shows it answered what the document does \
             not allow (or cannot route the document's path), `client` where the client sent what \
             the document does not allow or refused what it does, `harness` where the contract \
             runtime could not draw inputs or build the tests.\n\n\
             | document | operation | fault | why (for Prism: its log line) |\n| --- | --- | --- | --- |\n",
        );
        out.extend(rows);
    }
    out
}

/// The rounds drawn again, by the kind of Prism's fault.
fn redrawn_section(redrawn: &std::collections::BTreeMap<String, Vec<&str>>) -> String {
    if redrawn.is_empty() {
        return String::new();
    }
    let mut kinds: Vec<(&String, &Vec<&str>)> = redrawn.iter().collect();
    kinds.sort_by_key(|(kind, documents)| (std::cmp::Reverse(documents.len()), kind.as_str()));
    let mut out = String::from(
        "Rounds drawn again because Prism spoiled the answer (they test nothing of the client; \
         an operation fails only when every attempt at a round is spoiled):\n\n\
         | Prism's fault | rounds | documents |\n| --- | ---: | --- |\n",
    );
    for (kind, documents) in kinds {
        let mut names: Vec<&str> = documents.clone();
        names.dedup();
        out.push_str(&format!(
            "| {} | {} | {} |\n",
            cell_text(kind),
            documents.len(),
            names
                .iter()
                .map(|d| format!("`{d}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    out.push('\n');
    out
}

/// A fault's kind: its why without the log's times, paths and values.
fn kind_of(why: &str) -> String {
    let why = why.split(": [").next().unwrap_or(why);
    why.split(": ").next().unwrap_or(why).to_string()
}

/// Text for a table cell: one line, pipes escaped, at most 300 characters.
fn cell_text(text: &str) -> String {
    let line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let short: String = line.chars().take(300).collect();
    let short = if short.len() < line.len() {
        format!("{short}…")
    } else {
        short
    };
    short.replace('|', "\\|")
}
