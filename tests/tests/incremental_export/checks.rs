//! What every incremental test asserts of the runs' output against the
//! versions the server made.

use std::collections::HashSet;

use opencx_tests::changing_server::Made;

use crate::sync::Line;

/// No session is written twice for one `updated_at`; every version the
/// server made is exported, or superseded by a later one that is, by the run
/// that could first see it or the next (a version made during run `r` or
/// before it began: run `r` or `r + 1`), with its whole history.
pub fn assert_nothing_lost_or_repeated(made: &[Made], runs: &[Vec<Line>]) {
    assert_none_repeated(made, runs);
    for version in made {
        let first = version.runs_begun.max(1);
        let last = (version.runs_begun + 1).min(runs.len());
        let covered = runs[first - 1..last]
            .iter()
            .flatten()
            .find(|&&(n, at, _)| n == version.session && at >= version.updated_at);
        let Some(&(_, at, messages)) = covered else {
            panic!(
                "session {} at {} (made with {} runs begun) was exported by none of runs {first} to {last}: {:?}",
                version.session, version.updated_at, version.runs_begun, runs
            );
        };
        if at == version.updated_at {
            assert!(
                messages >= version.messages as usize,
                "session {} at {at}: {messages} of {} messages",
                version.session,
                version.messages
            );
        }
    }
}

/// No session is written twice for one `updated_at`, and each line is a
/// version the server had.
pub fn assert_none_repeated(made: &[Made], runs: &[Vec<Line>]) {
    let mut seen = HashSet::new();
    for (run, lines) in runs.iter().enumerate() {
        for &(n, at, _) in lines {
            assert!(
                seen.insert((n, at)),
                "session {n} at {at} written twice (again by run {})",
                run + 1
            );
            assert!(
                made.iter().any(|m| m.session == n && m.updated_at == at),
                "session {n} at {at} was never on the server"
            );
        }
    }
}
