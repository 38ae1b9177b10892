//! `cargo xtask`: see `cargo xtask --help`.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use xtask::workspace::Workspace;

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Maintainer tasks for opencx-rs")]
struct Cli {
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    let ws = Workspace::current();
    let result = match cli.command {
        Command::Vendor { pages, source } => xtask::vendor::vendor(&ws, &pages, source.as_deref())
            .map(|records| {
                for r in records {
                    println!(
                        "vendored {} ({}) from {}",
                        r.file, r.operation, r.source_page
                    );
                }
                println!("now run `cargo xtask regen` and review the diff");
                ExitCode::SUCCESS
            }),
        Command::Regen { check: false } => xtask::regen::regen(&ws).map(|changed| {
            if changed.is_empty() {
                println!("everything is up to date");
            }
            for path in changed {
                println!("wrote {}", ws.display(&path));
            }
            ExitCode::SUCCESS
        }),
        Command::Regen { check: true } => xtask::regen::check(&ws).map(|drift| {
            if drift.is_clean() {
                println!("no drift: every committed output matches the vendored documents");
                ExitCode::SUCCESS
            } else {
                eprint!("{drift}");
                ExitCode::FAILURE
            }
        }),
    };
    result.unwrap_or_else(|error| {
        eprintln!("error: {error:#}");
        ExitCode::FAILURE
    })
}
