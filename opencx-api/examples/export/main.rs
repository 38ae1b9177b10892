//! Bulk export: every session matching a filter, with its full history, as
//! NDJSON; resumable, at the rate limit.
//!
//! ```sh
//! cargo run -p opencx-api --example export -- --out sessions.ndjson          # embedded mock OpenCX
//! OPENCX_API_KEY=sk-... cargo run -p opencx-api --example export -- --channel whatsapp --out sessions.ndjson
//! ```
//!
//! Filters: `--channel C`, `--sentiment S`, `--tag T`, `--language L` (each
//! repeatable). Also `--concurrency N` (histories at once) and `--rate N`
//! (requests per minute; 100, the API's limit, unless the mock is used).
//! Run it again to resume: the checkpoint is `FILE.checkpoint.json`, failed
//! sessions go to `FILE.failed.ndjson`. Ctrl-C stops with the checkpoint saved.

mod mock_opencx;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;

use futures::TryStreamExt;
use indicatif::{ProgressBar, ProgressStyle};
use opencx_api::export::ndjson::NdjsonFile;
use opencx_api::export::{Export, Exporter, Record};
use opencx_api::prelude::*;
use opencx_api::RateLimit;

/// The mock allows far more than the API's 100 requests per minute, so that
/// its few hundred sessions export in seconds.
const MOCK_RATE: u32 = 3000;

type Failure = Box<dyn std::error::Error>;

struct Args {
    request: SessionFilterRequest,
    out: PathBuf,
    concurrency: usize,
    rate: Option<u32>,
}

fn main() -> std::process::ExitCode {
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Failure> {
    let args = parse(std::env::args().skip(1))?;
    // The mock is set up before the runtime starts: httpmock's blocking set-up
    // calls run a runtime of their own.
    let (base_url, key, _mock) = match std::env::var(opencx_api::API_KEY_ENV) {
        Ok(key) => {
            let url = std::env::var(opencx_api::BASE_URL_ENV)
                .unwrap_or_else(|_| opencx_api::DEFAULT_BASE_URL.to_string());
            (url, key, None)
        }
        Err(_) => {
            eprintln!(
                "{} is not set: exporting from an embedded mock OpenCX with {} sessions (it ignores filters)",
                opencx_api::API_KEY_ENV,
                mock_opencx::SESSIONS
            );
            let mock = mock_opencx::start();
            (
                mock.base_url(),
                mock_opencx::DEMO_KEY.to_string(),
                Some(mock),
            )
        }
    };
    let rate = args
        .rate
        .unwrap_or(if _mock.is_some() { MOCK_RATE } else { 100 });
    let client = Client::builder()
        .base_url(base_url)
        .bearer_token(key)
        // The API's burst of 100 even at the mock's rate, so the mock run
        // shows pacing rather than one burst.
        .rate_limit(RateLimit::per_minute(rate).burst(rate.min(100)))
        .build()?;
    tokio::runtime::Runtime::new()?.block_on(export(&client, args))
}

async fn export(client: &Client, args: Args) -> Result<(), Failure> {
    let mut file = NdjsonFile::open(&args.out, &args.request)?;
    if file.checkpoint().is_finished() {
        eprintln!(
            "{} is complete; delete {} to export again",
            args.out.display(),
            NdjsonFile::checkpoint_path(&args.out).display()
        );
        return Ok(());
    }
    if file.checkpoint().records() > 0 {
        eprintln!("resuming after {} sessions", file.checkpoint().records());
    }
    let mut export = Exporter::filter(client, args.request)
        .concurrency(args.concurrency)
        .resume_from(file.checkpoint().clone())
        .stream();
    let bar = progress_bar(file.checkpoint().records());
    let (mut events, mut failed) = (0usize, 0usize);
    let interrupted = tokio::signal::ctrl_c();
    tokio::pin!(interrupted);
    let mut ticker = tokio::time::interval(Duration::from_millis(250));
    let outcome = loop {
        let next = tokio::select! {
            _ = &mut interrupted => break Ok(false),
            _ = ticker.tick() => {
                show(&bar, &export, events);
                continue;
            }
            next = export.try_next() => next,
        };
        match next {
            Ok(Some(record)) => {
                match &record {
                    Record::Exported(session) => events += session.history.len(),
                    Record::Failed(session) => {
                        failed += 1;
                        bar.suspend(|| {
                            eprintln!("session {}: {}", session.session.id, session.error)
                        });
                    }
                    _ => {}
                }
                file.write(&record, export.checkpoint())?;
                bar.inc(1);
            }
            Ok(None) => break Ok(true),
            Err(error) => break Err(error),
        }
    };
    file.save(export.checkpoint())?;
    bar.finish_and_clear();
    let throughput = export.throughput();
    let checkpoint = export.checkpoint();
    eprintln!(
        "{} sessions written to {} ({failed} failed), {events} events this run",
        checkpoint.records(),
        args.out.display()
    );
    eprintln!(
        "{} requests in {:.1} s: {:.0} requests/min, {:.1} % of what the limit of {}/min allows",
        throughput.requests,
        throughput.elapsed.as_secs_f64(),
        throughput.per_minute(),
        100.0 * throughput.fraction_of_limit().unwrap_or(0.0),
        throughput.limit.map_or(0, |l| l.requests())
    );
    match outcome {
        Ok(true) => Ok(()),
        Ok(false) => {
            eprintln!("interrupted; run the same command again to resume");
            Ok(())
        }
        Err(error) => {
            eprintln!("run the same command again to resume");
            Err(error.into())
        }
    }
}

/// A bar on stderr when it is a terminal; nothing otherwise.
fn progress_bar(done: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::no_length().with_position(done);
    bar.set_style(style(
        "{spinner} {pos} sessions  {msg}  [{elapsed_precise}]",
    ));
    bar
}

fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template).expect("a valid template")
}

fn show(bar: &ProgressBar, export: &Export<'_>, events: usize) {
    // The total, and so an ETA, is known once the listing's last page is read.
    if let (Some(total), None) = (export.total(), bar.length()) {
        bar.set_length(total);
        bar.set_style(style(
            "{bar:30} {pos}/{len} sessions  {msg}  [{elapsed_precise}, ETA {eta}]",
        ));
    }
    let throughput = export.throughput();
    let limit = throughput.limit.map_or(String::from("no limit"), |l| {
        let per_minute = f64::from(l.requests()) * 60.0 / l.period().as_secs_f64();
        let share = 100.0 * throughput.fraction_of_limit().unwrap_or(0.0);
        format!("{share:.0} % of the limit of {per_minute:.0}/min")
    });
    bar.set_message(format!(
        "{events} events  {:.0} requests/min, {limit}",
        throughput.per_minute()
    ));
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Args, Failure> {
    let mut filters = SessionFilters::default();
    let (mut out, mut concurrency, mut rate) =
        (None, opencx_api::export::DEFAULT_CONCURRENCY, None);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--out" => out = Some(PathBuf::from(value()?)),
            "--channel" => filters.channels.push(value()?.parse()?),
            "--sentiment" => filters.sentiment.push(value()?.parse()?),
            "--tag" => filters.tags.push(value()?),
            "--language" => filters.language.push(value()?),
            "--concurrency" => concurrency = value()?.parse()?,
            "--rate" => rate = Some(value()?.parse()?),
            other => {
                return Err(
                    format!("unknown argument {other:?}; see the example's doc comment").into(),
                )
            }
        }
    }
    let mut request = SessionFilterRequest::default();
    request.filters = Some(filters);
    Ok(Args {
        request,
        out: out.ok_or("--out FILE is required")?,
        concurrency,
        rate,
    })
}
