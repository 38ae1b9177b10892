//! The benchmark suite behind `BENCHMARKS.md`: what the client costs its users,
//! measured side by side with a hand-written `reqwest` + `serde_json` loop and
//! with the limits it works under.
//!
//! Each scenario is one module returning a [`Section`]; [`report`] renders them.
//! Nothing here asserts a timing: figures are reported, targets are shown
//! beside them.

pub mod api_size;
pub mod build_cost;
pub mod bulk_export;
pub mod corpus;
pub mod decode;
pub mod export;
pub mod incremental;
pub mod memory;
pub mod overhead;
pub mod pages;
pub mod report;
pub mod scale;
pub mod server;
pub mod stats;

use std::path::{Path, PathBuf};

/// How big a run is.
#[derive(Clone, Debug)]
pub struct Sizes {
    /// Rounds of every side-by-side comparison.
    pub rounds: usize,
    /// Items per listing page (sessions and history alike).
    pub per_page: u64,
    /// Pages streamed per variant and round for the stream overhead.
    pub overhead_pages: u64,
    /// Pages streamed for the small and the large memory figure.
    pub memory_pages: (u64, u64),
    /// Rounds of the memory figure (each a fresh process).
    pub memory_rounds: usize,
    /// Pages decoded per round, and entries per page.
    pub decode_pages: (u64, u64),
    /// Requests allowed per window, and the window, for the paced export.
    pub window: server::Window,
    /// Windows the paced export spans.
    pub paced_windows: u64,
    /// Pages of the export through faults, and the faulted share in percent.
    pub fault_pages: u64,
    pub fault_percent: u64,
    /// Sessions of the incremental export figure (1 % of them changed).
    pub incremental_sessions: u32,
    /// Whether to time clean builds and `regen --check` (minutes) or only
    /// count crates.
    pub timed_builds: bool,
}

impl Sizes {
    /// The full run (a few minutes on two cores).
    pub fn full() -> Self {
        Self {
            rounds: 7,
            per_page: 50,
            overhead_pages: 2000,
            memory_pages: (100, 10_000),
            memory_rounds: 3,
            decode_pages: (300, 100),
            window: server::Window {
                requests: 100,
                period: std::time::Duration::from_secs(1),
            },
            paced_windows: 10,
            fault_pages: 1000,
            fault_percent: 10,
            incremental_sessions: 50_000,
            timed_builds: true,
        }
    }

    /// Seconds: every figure, on tiny sizes, so the harness cannot rot.
    pub fn quick() -> Self {
        Self {
            rounds: 2,
            per_page: 5,
            overhead_pages: 20,
            memory_pages: (2, 20),
            memory_rounds: 1,
            decode_pages: (4, 20),
            window: server::Window {
                requests: 10,
                period: std::time::Duration::from_millis(200),
            },
            paced_windows: 2,
            fault_pages: 40,
            fault_percent: 10,
            incremental_sessions: 2_000,
            timed_builds: false,
        }
    }
}

/// One scenario's results, ready to render.
#[derive(Clone, Debug)]
pub struct Section {
    /// A stable key (`overhead`, `memory`, ...) the harness test looks for.
    pub key: &'static str,
    pub title: String,
    /// The headline figures: (what, measured, target).
    pub figures: Vec<Figure>,
    /// Markdown: tables and how it was measured.
    pub body: String,
}

/// One headline figure.
#[derive(Clone, Debug)]
pub struct Figure {
    pub what: String,
    pub measured: String,
    /// `None` where the issue sets no target.
    pub target: Option<String>,
    /// Whether the target is met, where there is one.
    pub met: Option<bool>,
}

impl Figure {
    pub fn new(what: impl Into<String>, measured: impl Into<String>) -> Self {
        Self {
            what: what.into(),
            measured: measured.into(),
            target: None,
            met: None,
        }
    }

    pub fn target(mut self, target: impl Into<String>, met: bool) -> Self {
        self.target = Some(target.into());
        self.met = Some(met);
        self
    }
}

/// The workspace this crate belongs to.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("benches/ is in the workspace")
        .to_path_buf()
}

/// A client for a bench server: the bearer token, and everything else as the
/// caller says.
pub fn client(
    url: &str,
    configure: impl FnOnce(opencx_api::ClientBuilder) -> opencx_api::ClientBuilder,
) -> opencx_api::Client {
    configure(
        opencx_api::Client::builder()
            .base_url(url)
            .bearer_token("sk-bench"),
    )
    .build()
    .expect("a valid client")
}

/// A runtime like most applications': tokio's multi-threaded one.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// The scenarios, by the key of the section each writes, in report order.
pub const SCENARIOS: [&str; 10] = [
    "overhead",
    "memory",
    "decode",
    "paced",
    "faults",
    "build",
    "regen",
    "api_size",
    "incremental",
    "scale",
];

/// Runs every scenario, or only the one whose key is `only` (one of
/// [`SCENARIOS`]); `exe` is this binary, for the ones that need a process of
/// their own. `progress` hears what runs.
pub fn run_all(
    sizes: &Sizes,
    exe: &Path,
    only: Option<&str>,
    progress: &mut dyn FnMut(&str),
) -> Vec<Section> {
    let mut sections = Vec::new();
    let mut step = |key: &str, name: &str, run: &mut dyn FnMut() -> Section| {
        if only.is_some_and(|only| only != key) {
            return;
        }
        progress(name);
        let started = std::time::Instant::now();
        let section = run();
        progress(&format!(
            "  done in {:.1} s",
            started.elapsed().as_secs_f64()
        ));
        sections.push(section);
    };
    step("overhead", "stream overhead", &mut || overhead::run(sizes));
    step("memory", "memory", &mut || memory::run(sizes, exe));
    step("decode", "decode", &mut || decode::run(sizes));
    step("paced", "paced export", &mut || export::paced(sizes));
    step("faults", "export through faults", &mut || {
        export::faults(sizes)
    });
    step("build", "build cost", &mut || build_cost::build_cost(sizes));
    step("regen", "regen", &mut || build_cost::regen(sizes));
    step("api_size", "cost as the API grows", &mut || {
        api_size::run(sizes)
    });
    step("incremental", "incremental export", &mut || {
        incremental::run(sizes)
    });
    step("scale", "any size: GitHub and Nexus", &mut || {
        scale::run(sizes)
    });
    sections
}
