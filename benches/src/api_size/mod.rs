//! What an API's size costs: for APIs of about 4, 25 and 100 operations,
//! `cargo xtask regen`'s time, the lines it generates, and the build of
//! `opencx-api` around that client with its build script (progenitor runs in
//! it): from a clean target folder, the crate alone with its dependencies
//! built, and again after one description in `openapi.json` changed.
//!
//! The APIs are real documents nobody on the team wrote, read from
//! `../shared/real-docs` (never copied into the project): OpenCX's four
//! vendored pages; OpenCX's own 2024 API (24 operations); and that API with
//! two whole 3.1 APIs beside it (92 operations), each under a path prefix and
//! with its component names prefixed so they merge.

mod apis;
mod builds;

use std::path::Path;
use std::time::Instant;

use serde_json::Value;

use crate::stats::Summary;
use crate::{Figure, Section, Sizes};

use apis::{diff_step, workspaces, xtask};
use builds::builds;

/// One API measured.
struct Measured {
    name: &'static str,
    operations: usize,
    /// Milliseconds.
    regen: Summary,
    lines: usize,
    /// Clean build, the crate alone, after one description changed (seconds).
    builds: Option<(f64, f64, f64)>,
}

fn operations(root: &Path) -> usize {
    let text =
        std::fs::read_to_string(root.join("opencx-api/openapi.json")).expect("regen wrote it");
    let doc: Value = serde_json::from_str(&text).expect("JSON");
    doc["paths"]
        .as_object()
        .into_iter()
        .flatten()
        .flat_map(|(_, item)| item.as_object().into_iter().flatten())
        .filter(|(k, _)| {
            [
                "get", "put", "post", "delete", "patch", "head", "options", "trace",
            ]
            .contains(&k.as_str())
        })
        .count()
}

fn lines(root: &Path) -> usize {
    ["client.rs", "mock.rs"]
        .iter()
        .map(|f| {
            std::fs::read_to_string(root.join("opencx-api/generated").join(f))
                .map(|t| t.lines().count())
                .unwrap_or(0)
        })
        .sum()
}

fn seconds(s: f64) -> String {
    format!("{s:.1} s")
}

/// Runs the scenario.
pub fn run(sizes: &Sizes) -> Section {
    let mut measured = Vec::new();
    let mut step = None;
    for (name, root) in workspaces() {
        let mut times = Vec::new();
        for _ in 0..sizes.rounds.max(1) {
            let started = Instant::now();
            xtask(&root, &["regen"]);
            times.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        measured.push(Measured {
            name,
            operations: operations(&root),
            regen: Summary::of(&times),
            lines: lines(&root),
            builds: sizes
                .timed_builds
                .then(|| builds(&root, &format!("api-{name}"))),
        });
        if name == "100" {
            step = Some(diff_step(&root, sizes.rounds));
        }
    }
    render(&measured, step)
}

fn render(measured: &[Measured], step: Option<(Summary, usize)>) -> Section {
    let mut body = String::from(
        "| API | operations | `regen` (median) | generated lines | clean build | crate alone | after one description changed |\n\
         | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n",
    );
    for m in measured {
        let (clean, alone, incremental) = match m.builds {
            Some((c, a, i)) => (seconds(c), seconds(a), seconds(i)),
            None => ("not timed".into(), "not timed".into(), "not timed".into()),
        };
        body.push_str(&format!(
            "| about {} | {} | {} ms | {} | {clean} | {alone} | {incremental} |\n",
            m.name, m.operations, m.regen, m.lines
        ));
    }
    let (small, large) = (&measured[0], &measured[measured.len() - 1]);
    let per_op = |a: f64, b: f64| (b - a) / (large.operations - small.operations).max(1) as f64;
    let regen_ratio = large.regen.median / small.regen.median.max(1e-9);
    body.push_str(&format!(
        "\nPer operation, from the smallest API to the largest: `regen` {:.0} ms, {:.0} generated lines",
        per_op(small.regen.median, large.regen.median),
        per_op(small.lines as f64, large.lines as f64),
    ));
    let mut figures = vec![Figure::new(
        format!(
            "`regen`, {} ÷ {} operations",
            large.operations, small.operations
        ),
        format!("{regen_ratio:.1}×"),
    )];
    if let (Some(s), Some(l)) = (small.builds, large.builds) {
        body.push_str(&format!(
            ", the crate alone {:.2} s, after a change {:.2} s.\n",
            per_op(s.1, l.1),
            per_op(s.2, l.2)
        ));
        let ratio = l.1 / s.1;
        figures.push(
            Figure::new(
                format!(
                    "crate build, {} ÷ {} operations",
                    large.operations, small.operations
                ),
                format!("{ratio:.2}× ({} ÷ {})", seconds(l.1), seconds(s.1)),
            )
            .target("about 3× at most", ratio <= 3.0),
        );
        figures.push(Figure::new(
            format!(
                "clean build with dependencies, {} ÷ {} operations",
                large.operations, small.operations
            ),
            format!("{:.2}× ({} ÷ {})", l.0 / s.0, seconds(l.0), seconds(s.0)),
        ));
    } else {
        body.push_str(".\n");
    }
    if let Some((time, changes)) = step {
        body.push_str(&format!(
            "\n`cargo xtask diff --format json` of one real upstream step of the largest API \
             (OpenCX's 2024 API from `2544a79` to `9c4abd5`, beside the two others: \
             {changes} changes) takes {time} ms: both documents read and compared, both \
             generated clients parsed with syn and compared item by item.\n"
        ));
        figures.push(
            Figure::new(
                format!(
                    "`diff` of one upstream step, {} operations",
                    large.operations
                ),
                format!("{time} ms"),
            )
            .target("well under 1 s", time.median < 500.0),
        );
    }
    Section {
        key: "api_size",
        title: "8. Cost as the API grows".into(),
        figures,
        body,
    }
}
