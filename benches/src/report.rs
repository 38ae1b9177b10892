//! Renders the sections, the machine and the command as `BENCHMARKS.md`.

use std::process::Command;

use crate::Section;

/// The analysis written by hand (`benches/NOTES.md`): where the time goes,
/// what was fixed, with before and after figures. Read when the report is
/// written, so a new run keeps it.
fn notes() -> String {
    std::fs::read_to_string(crate::workspace_root().join("benches/NOTES.md")).unwrap_or_default()
}

/// The machine a run measured.
pub fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .and_then(|l| l.split_once(':'))
        .map_or("unknown".to_string(), |(_, m)| m.trim().to_string());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let memory = std::fs::read_to_string("/proc/meminfo")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or("unknown".to_string(), |kb| {
            format!("{:.0} GiB", kb as f64 / 1048576.0)
        });
    let command = |program: &str, args: &[&str]| {
        Command::new(program)
            .args(args)
            .output()
            .ok()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "unknown".to_string())
    };
    let kernel = command("uname", &["-sr"]);
    let rustc = command("rustc", &["--version"]);
    let commit = command(
        "git",
        &[
            "-C",
            env!("CARGO_MANIFEST_DIR"),
            "rev-parse",
            "--short",
            "HEAD",
        ],
    );
    format!(
        "- CPU: {model}, {cores} cores available\n- memory: {memory}\n- OS: {kernel}\n\
         - {rustc}, release profile\n- commit: {commit}\n"
    )
}

/// The whole document.
pub fn render(sections: &[Section], command: &str, quick: bool) -> String {
    let mut out = String::from(
        "# Benchmarks\n\n<!-- Written by the benchmark harness (benches/); edit benches/NOTES.md \
         or the harness, then run it again. -->\n\nWhat `opencx-api` costs its users, measured \
         side by side with a hand-written `reqwest` + `serde_json` loop and with the limits it \
         works under. The figures report; nothing asserts a timing.\n\n",
    );
    if quick {
        out.push_str("**Quick run on tiny sizes: these figures check the harness, they measure nothing.**\n\n");
    }
    out.push_str(&format!(
        "Command (from the workspace root):\n\n```sh\n{command}\n```\n\n"
    ));
    out.push_str(&format!("Machine:\n\n{}\n", machine()));
    out.push_str("## Summary\n\n| figure | measured: median (min–max) | target | met |\n| --- | --- | --- | --- |\n");
    for section in sections {
        for f in &section.figures {
            out.push_str(&format!(
                "| {}: {} | {} | {} | {} |\n",
                section
                    .title
                    .split_once(". ")
                    .map_or(&*section.title, |(_, t)| t),
                f.what,
                f.measured,
                f.target.as_deref().unwrap_or("—"),
                match f.met {
                    Some(true) => "yes",
                    Some(false) => "**no**",
                    None => "—",
                }
            ));
        }
    }
    for section in sections {
        out.push_str(&format!("\n## {}\n\n{}", section.title, section.body));
    }
    out.push('\n');
    out.push_str(&notes());
    out
}
