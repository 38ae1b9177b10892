//! Runs an incremental export to one file, run after run, the way the
//! example does, and reads back what each run wrote.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use futures::TryStreamExt;
use opencx_api::export::ndjson::NdjsonFile;
use opencx_api::export::{Checkpoint, Exporter, Watermark};
use opencx_api::Client;
use opencx_tests::changing_server::ChangingOpenCx;
use opencx_tests::{fixtures, quick_retries, run};

/// What the exports are of: every session.
pub const QUERY: &str = "every session";

/// A clock `hours` away from this machine's.
pub fn server_clock(hours: i64) -> DateTime<Utc> {
    Utc::now() + chrono::TimeDelta::hours(hours)
}

/// One line of the output: session, its `updated_at`, its history's length.
pub type Line = (u32, DateTime<Utc>, usize);

/// An incremental export to one file, run after run, and what each run wrote.
pub struct Sync {
    _dir: tempfile::TempDir,
    pub path: PathBuf,
    client: Client,
    /// The lines each run appended, by run (a killed run and its resumption
    /// are one run).
    pub runs: Vec<Vec<Line>>,
    lines: usize,
}

impl Sync {
    pub fn new(server: &ChangingOpenCx) -> Self {
        let dir = tempfile::tempdir().unwrap();
        Self {
            path: dir.path().join("sessions.ndjson"),
            _dir: dir,
            client: opencx_tests::client_with_retries(&server.url(), quick_retries()),
            runs: Vec::new(),
            lines: 0,
        }
    }

    /// A whole run; the checkpoint it finished with.
    pub fn run(&mut self, server: &ChangingOpenCx) -> Checkpoint {
        server.store().begin_run();
        let checkpoint = self.go(None);
        self.collect();
        checkpoint
    }

    /// A run killed after `records` records: the checkpoint it had saved.
    pub fn killed_run(&mut self, server: &ChangingOpenCx, records: usize) -> Checkpoint {
        server.store().begin_run();
        self.go(Some(records))
    }

    /// The rest of a killed run.
    pub fn resume(&mut self) -> Checkpoint {
        let checkpoint = self.go(None);
        self.collect();
        checkpoint
    }

    fn go(&self, stop_after: Option<usize>) -> Checkpoint {
        let mut file = NdjsonFile::open_incremental(&self.path, &QUERY).unwrap();
        run(async {
            let mut export = Exporter::list(&self.client, |sessions| sessions)
                .resume_from(file.checkpoint().clone())
                .stream();
            let mut written = 0;
            while let Some(record) = export.try_next().await.expect("the listing works") {
                file.write(&record, export.checkpoint()).unwrap();
                written += 1;
                if stop_after == Some(written) {
                    // Killed: nothing after the last record's checkpoint is saved.
                    return export.checkpoint().clone();
                }
            }
            file.save(export.checkpoint()).unwrap();
            export.checkpoint().clone()
        })
    }

    /// Files the lines appended since the last run as this run's.
    fn collect(&mut self) {
        let all = lines(&self.path);
        self.runs.push(all[self.lines..].to_vec());
        self.lines = all.len();
    }

    /// The watermark the next run starts from, as saved.
    pub fn state(&self) -> Watermark {
        let text = std::fs::read_to_string(NdjsonFile::state_path(&self.path)).unwrap();
        let state: serde_json::Value = serde_json::from_str(&text).unwrap();
        serde_json::from_value(state["watermark"].clone()).unwrap()
    }
}

/// Every line of an output, checked to be whole and its history complete.
pub fn lines(path: &Path) -> Vec<Line> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).expect("whole lines");
            let n = value["session"]["ticket_number"].as_u64().unwrap() as u32;
            let at = value["session"]["updated_at"]
                .as_str()
                .unwrap()
                .parse()
                .unwrap();
            let history: Vec<String> = value["history"]
                .as_array()
                .unwrap()
                .iter()
                .map(|entry| entry["id"].as_str().unwrap().to_string())
                .collect();
            let expected: Vec<String> = (0..history.len() as u32)
                .map(|i| fixtures::uuid(n * 1000 + i))
                .collect();
            assert_eq!(history, expected, "history of session {n}");
            (n, at, history.len())
        })
        .collect()
}
