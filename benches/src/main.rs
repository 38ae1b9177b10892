//! `cargo run --release -p opencx-bench`: runs every benchmark and writes
//! `BENCHMARKS.md` at the workspace root. `--quick` runs tiny sizes (what the
//! harness test does); `--no-builds` skips the clean builds and `regen`
//! timings; `--only overhead` (or another key of `SCENARIOS`) runs one
//! scenario; `--out FILE` writes elsewhere. `serve` and
//! `mem-client` are the two halves of the memory figure, run as processes of
//! their own; `serve` and `overhead-client` are the stream overhead's client
//! alone, for a profiler (see `benches/NOTES.md`). `corpus DIR` runs a
//! folder of OpenAPI documents through the pipeline and progenitor alone and
//! prints the table (`CORPUS.md`); with `--wire`, each client's contract
//! tests run against Prism serving its document.

use std::path::PathBuf;
use std::process::ExitCode;

use opencx_bench::{memory, overhead, report, run_all, workspace_root, Sizes, SCENARIOS};

const USAGE: &str = "usage: opencx-bench [--quick] [--no-builds] [--only SCENARIO] [--out FILE]
       opencx-bench corpus DIR [--no-check] [--wire] [--out FILE]
       opencx-bench serve --pages N --per-page N
       opencx-bench mem-client --url URL --items N
       opencx-bench overhead-client --url URL --variant stream|pages|hand";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let number = |name: &str| value(name).and_then(|v| v.parse::<u64>().ok());
    match args.first().map(String::as_str) {
        Some("corpus") => {
            let Some(dir) = args.get(1).filter(|a| !a.starts_with("--")) else {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            };
            let options = opencx_bench::corpus::Options {
                check: !args.iter().any(|a| a == "--no-check"),
                wire: args.iter().any(|a| a == "--wire"),
            };
            match opencx_bench::corpus::run(std::path::Path::new(dir), options, &mut |step| {
                eprintln!("{step}")
            }) {
                Ok(report) => match value("--out") {
                    Some(out) => {
                        if let Err(e) = std::fs::write(&out, report) {
                            eprintln!("error: {out}: {e}");
                            return ExitCode::FAILURE;
                        }
                        eprintln!("wrote {out}");
                    }
                    None => print!("{report}"),
                },
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::FAILURE;
                }
            }
        }
        Some("serve") => {
            let (Some(pages), Some(per_page)) = (number("--pages"), number("--per-page")) else {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            };
            memory::serve(pages, per_page);
        }
        Some("mem-client") => {
            let (Some(url), Some(items)) = (value("--url"), number("--items")) else {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            };
            memory::mem_client(&url, items);
        }
        Some("overhead-client") => {
            let variant = value("--variant").and_then(|v| overhead::Variant::parse(&v));
            let (Some(url), Some(variant)) = (value("--url"), variant) else {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            };
            println!("items={}", overhead::client_once(&url, variant));
        }
        _ => {
            let known =
                |a: &String| ["--quick", "--out", "--no-builds", "--only"].contains(&a.as_str());
            let takes_value =
                |i: usize| i > 0 && ["--out", "--only"].contains(&args[i - 1].as_str());
            let only = value("--only");
            if args
                .iter()
                .enumerate()
                .any(|(i, a)| !known(a) && !takes_value(i))
                || only.as_deref().is_some_and(|o| !SCENARIOS.contains(&o))
            {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            }
            let quick = args.iter().any(|a| a == "--quick");
            let out = value("--out")
                .map_or_else(|| workspace_root().join("BENCHMARKS.md"), PathBuf::from);
            let mut sizes = if quick { Sizes::quick() } else { Sizes::full() };
            // For a quick look at the runtime figures: the builds take minutes.
            sizes.timed_builds &= !args.iter().any(|a| a == "--no-builds");
            let exe = std::env::current_exe().expect("the path of this binary");
            let started = std::time::Instant::now();
            let sections = run_all(&sizes, &exe, only.as_deref(), &mut |step| {
                eprintln!("{step}")
            });
            let command = if quick {
                "cargo run --release -p opencx-bench -- --quick"
            } else {
                "cargo run --release -p opencx-bench"
            };
            let text = report::render(&sections, command, quick);
            if let Err(e) = std::fs::write(&out, text) {
                eprintln!("error: {}: {e}", out.display());
                return ExitCode::FAILURE;
            }
            eprintln!(
                "wrote {} in {:.0} s",
                out.display(),
                started.elapsed().as_secs_f64()
            );
        }
    }
    ExitCode::SUCCESS
}
