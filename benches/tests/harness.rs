//! The benchmark harness, run once on tiny sizes so that it cannot rot: it
//! must produce every figure. No timing is asserted.

use std::process::Command;

#[test]
fn a_quick_run_writes_every_figure() {
    let dir = std::env::temp_dir().join(format!("opencx-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("BENCHMARKS.md");
    let status = Command::new(env!("CARGO_BIN_EXE_opencx-bench"))
        .args(["--quick", "--out"])
        .arg(&out)
        .status()
        .expect("the harness runs");
    assert!(status.success(), "the harness failed");
    let report = std::fs::read_to_string(&out).unwrap();
    for heading in [
        "## 1. Stream overhead",
        "## 2. Memory",
        "## 3. Decode",
        "## 4. Paced export at the limit",
        "## 5. Export through faults",
        "## 6. Build cost",
        "## 7. Regen",
        "## 8. Cost as the API grows",
        "## 9. Incremental export",
        "## 10. Any size",
        "bulk export (`opencx_api::export`)",
        "CPU: ",
        "cargo run --release -p opencx-bench",
    ] {
        assert!(report.contains(heading), "no {heading:?} in:\n{report}");
    }
    for figure in [
        "`.stream()` items/s ÷ hand-written",
        "`.pages()` items/s ÷ hand-written",
        "peak RSS, 20 pages ÷ 2 pages",
        "`ChatHistoryList` MB/s ÷ `Value` MB/s",
        "1 stream: achieved ÷ best the limit allows",
        "8 concurrent streams, one client: 429s",
        "bulk export (`opencx_api::export`): achieved rate ÷ limit",
        "bulk export (`opencx_api::export`): 429s",
        "bulk export (`opencx_api::export`): sessions lost / duplicated",
        "1 stream: complete, items lost / duplicated",
        "8 concurrent streams: extra requests",
        "crates pulled in: shipped / snapshot",
        "`cargo xtask regen --check`, warm",
        "`regen`, ",
        "20 of 2000 sessions changed: requests, incremental / full",
        "20 of 2000 sessions changed: time at OpenCX's 100/min, incremental / full",
        "incremental run: achieved ÷ what the limit allows",
        "incremental run: changed sessions lost / duplicated",
        "regen per operation, ",
    ] {
        let row = report
            .lines()
            .find(|l| l.starts_with("| ") && l.contains(figure))
            .unwrap_or_else(|| panic!("no figure {figure:?} in:\n{report}"));
        // Every figure has a measured value in its row.
        assert!(
            row.split('|').nth(2).is_some_and(|m| !m.trim().is_empty()),
            "{row}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
