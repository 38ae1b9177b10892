//! The command line, as a function the tests can call: it returns the exit code
//! and writes to the given streams instead of the process's.

use std::io::Write;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::workspace::Workspace;

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Maintainer tasks for opencx-rs")]
struct Cli {
    /// The workspace to work on (default: the one this xtask was built in).
    #[arg(long, global = true, value_name = "DIR")]
    root: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Extract the OpenAPI document from upstream reference pages into specs/.
    Vendor {
        /// Page files (Markdown with one ```yaml OpenAPI fence), or `-` for stdin.
        #[arg(required = true)]
        pages: Vec<String>,
        /// What to record as the source page (default: the page's path).
        #[arg(long)]
        source: Option<String>,
    },
    /// Merge, overlay, down-convert and regenerate every committed output.
    Regen {
        /// Write nothing; fail with a diff when a committed output is out of date.
        #[arg(long)]
        check: bool,
    },
}

/// Runs `cargo xtask ARGS...` (`args` without the program name). Returns the
/// process exit code: 0 on success, 1 on any failure, 2 on a usage error.
pub fn run(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> u8 {
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
    let ws = cli
        .root
        .map(Workspace::new)
        .unwrap_or_else(Workspace::current);
    let result = match cli.command {
        Command::Vendor { pages, source } => crate::vendor::vendor(&ws, &pages, source.as_deref())
            .map(|records| {
                for r in records {
                    let _ = writeln!(
                        out,
                        "vendored {} ({}) from {}",
                        r.file, r.operation, r.source_page
                    );
                }
                let _ = writeln!(out, "now run `cargo xtask regen` and review the diff");
                0
            }),
        Command::Regen { check: false } => crate::regen::regen(&ws).map(|changed| {
            if changed.is_empty() {
                let _ = writeln!(out, "everything is up to date");
            }
            for path in changed {
                let _ = writeln!(out, "wrote {}", ws.display(&path));
            }
            0
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
