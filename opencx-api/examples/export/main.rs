//! Bulk export: every session matching a filter, with its full history, as
//! NDJSON; resumable, at the rate limit; or, with `--incremental`, only what
//! changed since the last run.
//!
//! ```sh
//! cargo run -p opencx-api --example export -- --out sessions.ndjson          # embedded mock OpenCX
//! OPENCX_API_KEY=sk-... cargo run -p opencx-api --example export -- --channel whatsapp --out sessions.ndjson
//! cargo run -p opencx-api --example export -- --incremental --out changes.ndjson   # every hour, say
//! cargo run -p opencx-api --example export -- --incremental --mock-change 5 --out changes.ndjson
//! ```
//!
//! Filters: `--channel C`, `--sentiment S`, `--tag T`, `--language L` (each
//! repeatable). Also `--concurrency N` (histories at once) and `--rate N`
//! (requests per minute; 100, the API's limit, unless the mock is used).
//! Run it again to resume: the checkpoint is `FILE.checkpoint.json`, failed
//! sessions go to `FILE.failed.ndjson`. Ctrl-C stops with the checkpoint saved.
//!
//! `--incremental` lists with `updated_after` (only the session listing has
//! it, so the only filter is one `--channel`): the first run exports
//! everything, each later one appends what changed since the watermark in
//! `FILE.state.json`, which it replaces when it completes. An interrupted run
//! resumes first. `--mock-change N` makes the embedded mock change N sessions
//! before it answers, to see a later run pick them up.

mod mock_opencx;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;

use futures::TryStreamExt;
use indicatif::{ProgressBar, ProgressStyle};
use opencx_api::config::RateLimit;
use opencx_api::export::ndjson::NdjsonFile;
use opencx_api::export::{Export, Exporter, Record, Watermark};
use opencx_api::prelude::*;
use serde_json::json;

/// The mock allows far more than the API's 100 requests per minute, so that
/// its few hundred sessions export in seconds.
const MOCK_RATE: u32 = 3000;

type Failure = Box<dyn std::error::Error>;

struct Args {
    request: SessionFilterRequest,
    out: PathBuf,
    concurrency: usize,
    rate: Option<u32>,
    /// `--incremental`: the session listing's channel filter, if any.
    incremental: Option<Option<SessionChannel>>,
    mock_change: usize,
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
    let (base_url, key, _mock) = match std::env::var(opencx_api::config::API_KEY_ENV) {
        Ok(_) if args.mock_change > 0 => {
            return Err(
                "--mock-change changes the embedded mock's sessions: unset OPENCX_API_KEY".into(),
            )
        }
        Ok(key) => {
            let url = std::env::var(opencx_api::config::BASE_URL_ENV)
                .unwrap_or_else(|_| opencx_api::config::DEFAULT_BASE_URL.to_string());
            (url, key, None)
        }
        Err(_) => {
            eprintln!(
                "{} is not set: exporting from an embedded mock OpenCX with {} sessions (it ignores filters)",
                opencx_api::config::API_KEY_ENV,
                mock_opencx::SESSIONS
            );
            let mock = mock_opencx::start(args.mock_change);
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
    let mut file = match &args.incremental {
        Some(channel) => {
            NdjsonFile::open_incremental(&args.out, &json!({ "channel_type": channel }))?
        }
        None => NdjsonFile::open(&args.out, &args.request)?,
    };
    if file.checkpoint().is_finished() {
        eprintln!(
            "{} is complete; delete {} to export again",
            args.out.display(),
            NdjsonFile::checkpoint_path(&args.out).display()
        );
        return Ok(());
    }
    // The watermark this run exports the changes since, for an incremental one.
    let since = file.checkpoint().watermark().map(Watermark::after);
    if file.checkpoint().records() > 0 {
        eprintln!("resuming after {} sessions", file.checkpoint().records());
    }
    match since {
        Some(Some(after)) => eprintln!("exporting the sessions changed since {}", rfc3339(after)),
        Some(None) => eprintln!("first incremental run: exporting every session"),
        None => {}
    }
    let exporter = match args.incremental {
        Some(channel) => Exporter::list(client, move |sessions| match &channel {
            Some(channel) => sessions.channel_type(channel.clone()),
            None => sessions,
        }),
        None => Exporter::filter(client, args.request),
    };
    let mut export = exporter
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
    let checkpoint = export.checkpoint();
    match (since, checkpoint.next_watermark()) {
        (Some(since), Some(next)) => {
            let changed = checkpoint.records();
            match since {
                Some(after) => eprintln!("{changed} sessions changed since {}", rfc3339(after)),
                None => eprintln!("{changed} sessions in the first run"),
            }
            if changed == 0 {
                eprintln!("nothing written to {}", args.out.display());
            } else {
                eprintln!("appended to {}, {events} events", args.out.display());
            }
            if failed > 0 {
                eprintln!(
                    "{failed} failed (in {}): the next run exports them again",
                    NdjsonFile::failed_path(&args.out).display()
                );
            }
            if checkpoint.unchanged() > 0 {
                eprintln!(
                    "{} sessions listed again through the overlap were exported already: skipped",
                    checkpoint.unchanged()
                );
            }
            match next.after() {
                Some(after) => {
                    eprintln!("the next run exports what changed since {}", rfc3339(after))
                }
                None => eprintln!("nothing listed: the next run exports everything"),
            }
        }
        _ => eprintln!(
            "{} sessions written to {} ({failed} failed), {events} events this run",
            checkpoint.records(),
            args.out.display()
        ),
    }
    eprintln!("{}", export.throughput());
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

/// A server timestamp as the API writes them.
fn rfc3339(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
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
    // The share of what the limit allows, not requests per minute: early on,
    // the limit's burst makes the average rate look above the limit.
    let throughput = export.throughput();
    let limit = match throughput.limit {
        None => format!("{:.0}/min, no limit", throughput.per_minute()),
        Some(l) => {
            let per_minute = f64::from(l.requests()) * 60.0 / l.period().as_secs_f64();
            let burst = l.burst_size().min(l.requests());
            if throughput.within_burst() {
                format!("within the burst of {burst} that the limit of {per_minute:.0}/min lets go at once")
            } else {
                let share = 100.0 * throughput.fraction_of_limit().unwrap_or(0.0);
                format!(
                    "{share:.0} % of what the limit of {per_minute:.0}/min (burst {burst}) allows"
                )
            }
        }
    };
    bar.set_message(format!(
        "{events} events  {} requests, {limit}",
        throughput.requests
    ));
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Args, Failure> {
    let mut filters = SessionFilters::default();
    let (mut out, mut concurrency, mut rate) =
        (None, opencx_api::export::DEFAULT_CONCURRENCY, None);
    let (mut incremental, mut mock_change) = (false, 0);
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
            "--incremental" => incremental = true,
            "--mock-change" => mock_change = value()?.parse()?,
            other => {
                return Err(
                    format!("unknown argument {other:?}; see the example's doc comment").into(),
                )
            }
        }
    }
    let incremental = if incremental {
        // The session listing, the only one with `updated_after`, takes one
        // channel and none of the filter endpoint's other criteria.
        if !(filters.sentiment.is_empty() && filters.tags.is_empty() && filters.language.is_empty())
            || filters.channels.len() > 1
        {
            return Err(
                "--incremental lists with updated_after, which only the session listing \
                        has: it filters by one --channel, not by sentiment, tag or language"
                    .into(),
            );
        }
        Some(filters.channels.first().cloned())
    } else {
        None
    };
    let mut request = SessionFilterRequest::default();
    request.filters = Some(filters);
    Ok(Args {
        request,
        out: out.ok_or("--out FILE is required")?,
        concurrency,
        rate,
        incremental,
        mock_change,
    })
}
