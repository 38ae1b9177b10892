//! The corpus report as Markdown: the summary, a row per document (the
//! pipeline beside progenitor alone and openapi-to-rust, and the wire
//! check), and what was left out, by reason.

use std::collections::BTreeMap;
use std::path::Path;

use super::alone::{self, Outcome};
use super::{openapi_to_rust, wire, Options, Row};

fn seconds(s: f64) -> String {
    format!("{s:.1} s")
}

fn checked(check: &Option<Result<f64, String>>) -> String {
    match check {
        None => "–".into(),
        Some(Ok(s)) => seconds(*s),
        Some(Err(_)) => "**does not compile**".into(),
    }
}

/// A check cell with rustc's first error where it does not compile.
fn checked_why(check: &Option<Result<f64, String>>) -> String {
    match check {
        Some(Err(why)) => format!("**does not compile**: {}", why.replace('|', "\\|")),
        check => checked(check),
    }
}

/// The summary bullet of openapi-to-rust: its clients, how many compile,
/// the operations they hold, and, over the documents where both its client
/// and the pipeline's compile, the lines and check times of each.
fn o2r_summary(rows: &[Row], total: usize, check: bool, version: Result<&str, &str>) -> String {
    let version = match version {
        Ok(version) => version,
        Err(why) => {
            return format!(
                "- **openapi-to-rust**: not in this report, it could not be installed: {}.\n",
                alone::one_line(why)
            )
        }
    };
    let generated: Vec<(&Row, &openapi_to_rust::Generated)> = rows
        .iter()
        .filter_map(|r| r.o2r.as_ref().map(|g| (r, g)))
        .filter(|(_, g)| matches!(g.outcome, Outcome::Generated(_)))
        .collect();
    let operations: usize = generated.iter().map(|(_, g)| g.operations).sum();
    let count = |f: fn(&Outcome) -> bool| {
        rows.iter()
            .filter(|r| r.o2r.as_ref().is_some_and(|g| f(&g.outcome)))
            .count()
    };
    let mut out = format!(
        "- **openapi-to-rust {version}** (from the registry, direct mode, default client \
         settings): {} of {} documents give a client{}, holding {operations} of {total} \
         operations ({:.1} %, counted as its client's methods less the variants it adds \
         for further response media types and request content types); it panics on {} \
         and fails on {}.",
        generated.len(),
        rows.len(),
        if check {
            format!(
                " ({} of them compile)",
                rows.iter()
                    .filter(|r| matches!(r.o2r_check, Some(Ok(_))))
                    .count()
            )
        } else {
            String::new()
        },
        100.0 * operations as f64 / total.max(1) as f64,
        count(|o| matches!(o, Outcome::Panicked(_))),
        count(|o| matches!(o, Outcome::Refused(_))),
    );
    if check {
        let both: Vec<(&Row, f64, f64, usize)> = rows
            .iter()
            .filter_map(|r| match (&r.ours_check, &r.o2r_check, &r.o2r) {
                (Some(Ok(ours)), Some(Ok(theirs)), Some(g)) => Some((r, *ours, *theirs, g.lines)),
                _ => None,
            })
            .collect();
        out.push_str(&format!(
            " Where both compile ({} documents, {} operations): the pipeline {} lines, \
             checked in {} in all; openapi-to-rust {} operations, {} lines, checked in {} in all.",
            both.len(),
            both.iter().map(|(r, ..)| r.ours.generated).sum::<usize>(),
            both.iter().map(|(r, ..)| r.ours.lines).sum::<usize>(),
            seconds(both.iter().map(|(_, s, ..)| s).sum()),
            both.iter()
                .filter_map(|(r, ..)| r.o2r.as_ref().map(|g| g.operations))
                .sum::<usize>(),
            both.iter().map(|(.., lines)| lines).sum::<usize>(),
            seconds(both.iter().map(|(_, _, s, _)| s).sum()),
        ));
    }
    out.push('\n');
    out
}

pub(super) fn render(
    dir: &Path,
    rows: &[Row],
    options: Options,
    o2r_version: Result<&str, &str>,
) -> String {
    let Options { check, wire } = options;
    let total: usize = rows.iter().map(|r| r.ours.operations).sum();
    let generated: usize = rows.iter().map(|r| r.ours.generated).sum();
    let clients = rows.iter().filter(|r| r.ours.error.is_none()).count();
    let compiling = rows
        .iter()
        .filter(|r| matches!(r.ours_check, Some(Ok(_))))
        .count();
    let alone_generated: Vec<&Row> = rows
        .iter()
        .filter(|r| matches!(r.alone, Outcome::Generated(_)))
        .collect();
    let alone_operations: usize = alone_generated.iter().map(|r| r.ours.operations).sum();
    let alone_compiling = rows
        .iter()
        .filter(|r| matches!(r.alone_check, Some(Ok(_))))
        .count();
    let folder = dir
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| dir.display().to_string());
    let mut out = format!(
        "# Corpus: `{folder}`\n\n\
         Written by `cargo run --release -p opencx-bench -- corpus {}{}{}`; do not edit.\n\n\
         Every document of the folder, through the pipeline (`cargo xtask vendor --name api` \
         and `regen` in a scratch workspace) and through progenitor 0.15.1 alone (builder \
         interface, default settings), in one process and profile (release), so the times \
         compare; and through openapi-to-rust, installed from the registry by the run \
         (`openapi-to-rust generate DOC --output-dir DIR`: its direct mode, whose defaults \
         generate the types and the async HTTP client, no retry, tracing, SSE or builders; \
         its time is its own process's, a release build too).{}\n\n",
        dir.display(),
        if check { "" } else { " --no-check" },
        if wire { " --wire" } else { "" },
        if check {
            " Check times are `cargo check` of each client alone, once its dependencies are \
             built (`CARGO_INCREMENTAL=0`); openapi-to-rust's client is checked in a crate of \
             edition 2024 around its output, with the dependencies of its `REQUIRED_DEPS.toml`."
        } else {
            ""
        }
    );
    out.push_str(&format!(
        "- **The pipeline**: {clients} of {} documents give a client{}; {generated} of {total} \
         operations are in them ({:.1} %); every other is listed below with its reason.\n",
        rows.len(),
        if check {
            format!(", {compiling} of them compile")
        } else {
            String::new()
        },
        100.0 * generated as f64 / total.max(1) as f64
    ));
    out.push_str(&format!(
        "- **progenitor alone**: {} of {} documents give a client{}, holding {alone_operations} \
         of {total} operations ({:.1} %); it panics on {} and refuses {}.\n\n",
        alone_generated.len(),
        rows.len(),
        if check {
            format!(" ({alone_compiling} of them compile)")
        } else {
            String::new()
        },
        100.0 * alone_operations as f64 / total.max(1) as f64,
        rows.iter()
            .filter(|r| matches!(r.alone, Outcome::Panicked(_)))
            .count(),
        rows.iter()
            .filter(|r| matches!(r.alone, Outcome::Refused(_)))
            .count(),
    ));
    out.pop();
    out.push_str(&o2r_summary(rows, total, check, o2r_version));
    out.push('\n');
    if wire {
        out.push_str(&wire::summary(rows.iter().filter_map(|r| r.wire.as_ref())));
    }
    out.push_str(
        "| document | operations | pipeline: generated | lines | regen | check | wire | progenitor alone | lines | generate | check | openapi-to-rust | operations | lines | generate | check |\n\
         | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | --- |\n",
    );
    for row in rows {
        let ours = match &row.ours.error {
            Some(error) => format!("**fails**: {error}"),
            None => format!("{}", row.ours.generated),
        };
        let alone = match &row.alone {
            Outcome::Generated(_) => "a client".to_string(),
            Outcome::Refused(why) => format!("refuses: {why}"),
            Outcome::Panicked(why) => format!("panics: {why}"),
        };
        let alone_lines = match row.alone {
            Outcome::Generated(_) => row.alone_lines.to_string(),
            _ => "–".into(),
        };
        let o2r = match row.o2r.as_ref() {
            None => "– | – | – | – | –".to_string(),
            Some(g) => match &g.outcome {
                Outcome::Generated(_) => format!(
                    "a client | {} | {} | {} | {}",
                    g.operations,
                    g.lines,
                    seconds(g.seconds),
                    checked_why(&row.o2r_check)
                ),
                Outcome::Refused(why) => format!(
                    "fails: {} | – | – | {} | –",
                    why.replace('|', "\\|"),
                    seconds(g.seconds)
                ),
                Outcome::Panicked(why) => format!(
                    "panics: {} | – | – | {} | –",
                    why.replace('|', "\\|"),
                    seconds(g.seconds)
                ),
            },
        };
        out.push_str(&format!(
            "| `{}` | {} | {ours} | {} | {} | {} | {} | {} | {alone_lines} | {} | {} | {o2r} |\n",
            row.name,
            row.ours.operations,
            row.ours.lines,
            seconds(row.ours.regen),
            checked(&row.ours_check),
            wire::cell(row.wire.as_ref()),
            alone.replace('|', "\\|"),
            seconds(row.alone_seconds),
            checked(&row.alone_check),
        ));
    }
    if wire {
        out.push_str(&wire::failures(rows.iter().filter_map(|r| {
            r.wire.as_ref().map(|report| (r.name.as_str(), report))
        })));
    }
    let mut reasons: BTreeMap<&str, Vec<(&str, &str)>> = BTreeMap::new();
    for row in rows {
        for (reason, operations) in &row.ours.left_out {
            for operation in operations {
                reasons
                    .entry(reason.as_str())
                    .or_default()
                    .push((row.name.as_str(), operation.as_str()));
            }
        }
    }
    out.push_str("\n## Left out, by reason\n\n");
    if reasons.is_empty() {
        out.push_str("Nothing: every operation of every document is generated.\n");
    } else {
        let mut reasons: Vec<_> = reasons.into_iter().collect();
        reasons.sort_by_key(|(reason, ops)| (std::cmp::Reverse(ops.len()), *reason));
        out.push_str("| reason | operations | where |\n| --- | ---: | --- |\n");
        for (reason, operations) in reasons {
            let mut documents: Vec<&str> = operations.iter().map(|(d, _)| *d).collect();
            documents.dedup();
            out.push_str(&format!(
                "| {} | {} | {} |\n",
                reason.replace('|', "\\|"),
                operations.len(),
                documents
                    .iter()
                    .map(|d| format!("`{d}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    out
}
