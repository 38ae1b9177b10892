//! The corpus report as Markdown: the summary, a row per document (the
//! pipeline beside progenitor alone, and the wire check), and what was left
//! out, by reason.

use std::collections::BTreeMap;
use std::path::Path;

use super::alone::Outcome;
use super::{wire, Options, Row};

fn seconds(s: f64) -> String {
    format!("{s:.1} s")
}

fn checked(check: &Option<Result<f64, ()>>) -> String {
    match check {
        None => "–".into(),
        Some(Ok(s)) => seconds(*s),
        Some(Err(())) => "**does not compile**".into(),
    }
}

pub(super) fn render(dir: &Path, rows: &[Row], options: Options) -> String {
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
         Written by `cargo run --release -p opencx-bench -- corpus {}`{}{}; do not edit.\n\n\
         Every document of the folder, through the pipeline (`cargo xtask vendor --name api` \
         and `regen` in a scratch workspace) and through progenitor 0.15.1 alone (builder \
         interface, default settings), in one process and profile (release), so the times \
         compare.{}\n\n",
        dir.display(),
        if check { "" } else { " --no-check" },
        if wire { " --wire" } else { "" },
        if check {
            " Check times are `cargo check` of each client alone, once its dependencies are \
             built (`CARGO_INCREMENTAL=0`)."
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
    if wire {
        out.push_str(&wire::summary(rows.iter().filter_map(|r| r.wire.as_ref())));
    }
    out.push_str(
        "| document | operations | pipeline: generated | lines | regen | check | wire | progenitor alone | lines | generate | check |\n\
         | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |\n",
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
        out.push_str(&format!(
            "| `{}` | {} | {ours} | {} | {} | {} | {} | {} | {alone_lines} | {} | {} |\n",
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
