//! The command line, as a function the tests can call: it returns the exit code
//! and writes to the given streams instead of the process's.

use std::io::{Read, Write};
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::workspace::Workspace;

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Maintainer tasks for opencx-rs")]
struct Cli {
    /// The workspace to work on (default: the one `cargo xtask` runs in, else the
    /// nearest one above the current folder).
    #[arg(long, global = true, value_name = "DIR")]
    root: Option<PathBuf>,
    /// Do not build the generated client while regenerating: faster, but an
    /// operation whose generated code does not compile is not left out, and
    /// the crate then does not build.
    #[arg(long, global = true)]
    no_compile_check: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Store upstream OpenAPI documents verbatim in specs/, with their provenance:
    /// from files, or with --fetch from the vendor's docs site.
    Vendor {
        /// Reference pages (Markdown with one ```yaml OpenAPI fence) or bare OpenAPI
        /// documents (YAML or JSON, 3.0.x or 3.1.x); `-` reads one from stdin.
        /// With --fetch: operationIds of new operations to vendor.
        #[arg(
            required_unless_present = "fetch",
            value_name = "PAGE_OR_DOCUMENT|OPERATION_ID"
        )]
        inputs: Vec<String>,
        /// What to record as the source (default: the input's path).
        #[arg(long, conflicts_with = "fetch")]
        source: Option<String>,
        /// File name under specs/, without extension, for the one input given
        /// (default: the operationId of a one-operation document, else a slug of
        /// its info.title).
        #[arg(long, conflicts_with = "fetch")]
        name: Option<String>,
        /// Read the docs site's llms.txt index, download the API reference page
        /// of every operation, and vendor those whose document changed; new
        /// operations are listed (vendored with --all or by operationId).
        #[arg(long)]
        fetch: bool,
        /// The docs site whose llms.txt is read (or the index's own URL).
        #[arg(long, requires = "fetch", value_name = "URL", default_value = crate::fetch::DEFAULT_DOCS_URL)]
        docs_url: String,
        /// With --fetch: write nothing; list changed and new operations and exit 1
        /// when there are any.
        #[arg(long, requires = "fetch", conflicts_with_all = ["all", "inputs"])]
        check: bool,
        /// With --fetch: vendor every new operation too.
        #[arg(long, requires = "fetch")]
        all: bool,
    },
    /// Merge, overlay, down-convert and regenerate every committed output.
    Regen {
        /// Write nothing; fail with a diff when a committed output is out of date.
        #[arg(long)]
        check: bool,
    },
    /// The whole upstream step for a scheduled job: fetch from the docs site,
    /// vendor what changed and what is new, regenerate, and write a pull
    /// request's branch, title, body and CHANGELOG entry into --out. Says
    /// "up to date" and writes nothing when upstream matches specs/.
    Upstream {
        /// The docs site whose llms.txt is read (or the index's own URL).
        #[arg(long, value_name = "URL", default_value = crate::fetch::DEFAULT_DOCS_URL)]
        docs_url: String,
        /// A new or empty folder for the pull request's files (outside the
        /// checkout, so that they are not committed).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Explain the API changes of the working tree against a revision: rule
    /// ids, wire and Rust API verdicts, and the semver bump they call for.
    Diff {
        /// The git revision to compare with.
        #[arg(long, default_value = "HEAD", value_name = "GIT_REV")]
        base: String,
        /// text, markdown (a PR comment or CI summary) or json.
        #[arg(long, default_value = "text")]
        format: crate::diff::Format,
        /// Exit 1 when a change is breaking (on the wire or in the Rust API).
        #[arg(long, value_name = "LEVEL", value_parser = ["breaking"])]
        fail_on: Option<String>,
    },
}

/// Runs `cargo xtask ARGS...` (`args` without the program name). Returns the
/// process exit code: 0 on success, 1 on any failure, 2 on a usage error.
pub fn run(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    run_with_stdin(args, &mut std::io::stdin(), out, err)
}

/// [`run`] reading `-` inputs from `stdin` instead of the process's.
pub fn run_with_stdin(
    args: &[String],
    stdin: &mut dyn Read,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    let cli =
        match Cli::try_parse_from(std::iter::once("xtask".to_string()).chain(args.iter().cloned()))
        {
            Ok(cli) => cli,
            Err(e) => {
                // `--help` and `--version` are "errors" that print to stdout.
                if e.use_stderr() {
                    let _ = write!(err, "{}", e.render());
                    return 2;
                }
                let _ = write!(out, "{}", e.render());
                return 0;
            }
        };
    let ws = match Workspace::locate(cli.root) {
        Ok(ws) if cli.no_compile_check => ws.without_compile_check(),
        Ok(ws) => ws,
        Err(error) => {
            let _ = writeln!(err, "error: {error:#}");
            return 1;
        }
    };
    let result = match cli.command {
        Command::Vendor {
            inputs,
            fetch: true,
            docs_url,
            check,
            all,
            ..
        } => {
            let options = crate::fetch::Options {
                docs_url: &docs_url,
                check,
                all,
                operation_ids: &inputs,
            };
            crate::fetch::run(&ws, options, out, err)
        }
        Command::Vendor {
            inputs,
            source,
            name,
            ..
        } => {
            let options = crate::vendor::Options {
                source: source.as_deref(),
                name: name.as_deref(),
            };
            crate::vendor::vendor_with(&ws, &inputs, options, stdin).map(|records| {
                crate::fetch::vendored(out, &records);
                0
            })
        }
        Command::Upstream { docs_url, out: dir } => crate::upstream::run(
            &ws,
            crate::upstream::Options {
                docs_url: &docs_url,
                out: &dir,
            },
            out,
            err,
        ),
        Command::Regen { check: false } => crate::regen::regen_with_warnings(&ws).map(|done| {
            for warning in &done.warnings {
                let _ = writeln!(err, "warning: {warning}");
            }
            if !done.explanation.is_empty() {
                let _ = write!(
                    out,
                    "{}",
                    done.explanation.render(crate::diff::Format::Text)
                );
            }
            if done.changed.is_empty() {
                let _ = writeln!(out, "everything is up to date");
            }
            for path in done.changed {
                let _ = writeln!(out, "wrote {}", ws.display(&path));
            }
            0
        }),
        Command::Diff {
            base,
            format,
            fail_on,
        } => crate::diff::revision::against(&ws, &base).map(|explanation| {
            // The diff reads the outputs on disk: say so when specs/ has
            // moved on since the last regen, rather than report "none".
            let recorded = std::fs::read_to_string(ws.report_path()).unwrap_or_default();
            let recorded = crate::inputs::recorded(&recorded).map(str::to_string);
            if let (Some(recorded), Ok(now)) = (recorded, crate::inputs::digest(&ws)) {
                if recorded != now {
                    let _ = writeln!(
                        err,
                        "warning: the generated outputs are older than specs/: this compares \
                         them as they are; run `cargo xtask regen` first to see what the \
                         vendored documents change"
                    );
                }
            }
            let _ = write!(out, "{}", explanation.render(format));
            u8::from(fail_on.is_some() && explanation.is_breaking())
        }),
        Command::Regen { check: true } => crate::regen::check(&ws).map(|drift| {
            if drift.is_clean() {
                let _ = writeln!(
                    out,
                    "no drift: every committed output matches the vendored documents"
                );
                0
            } else {
                let _ = write!(err, "{drift}");
                1
            }
        }),
    };
    result.unwrap_or_else(|error| {
        let _ = writeln!(err, "error: {error:#}");
        1
    })
}
