#!/usr/bin/env bash
# `cargo check` of GitHub's clients side by side, in one run: progenitor's
# 2022 sample (767 operations) beside today's description with its default
# features (`full`: every operation), with one tag (`issues`), and with every
# feature (`all-schemas`: the webhook payloads too). Prints wall and user
# seconds and rustc's peak memory for each, twice, alternating.
#
#   benches/github/check.sh GITHUB_2022.json GITHUB_TODAY.json
#
# With REUSE=1 the crates of an earlier run are checked again, not
# regenerated.
#
# The documents come from progenitor's repository (`sample_openapi/github.json`)
# and the npm package @octokit/openapi 23.0.2 (`generated/api.github.com.json`);
# neither is committed here.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
dir="$root/target/github-check"
if [ "${REUSE:-}" != 1 ]; then
  rm -rf "$dir/docs" && mkdir -p "$dir/docs"
  cp "$1" "$dir/docs/github-2022.json"
  cp "$2" "$dir/docs/github-today.json"
  # Regenerates both and writes (and checks once) the crates around them.
  cargo run -q --release -p opencx-bench -- corpus "$dir/docs" --out "$dir/report.md" >/dev/null
fi
build="$root/target/corpus/docs/build"
cd "$build"
export CARGO_TARGET_DIR="$root/target/github-check/target" CARGO_INCREMENTAL=0
run() {
  local label=$1 member=$2
  shift 2
  touch "$member/src/lib.rs"
  /usr/bin/time -f "$label: %e s wall, %U s user, %M KB peak" \
    cargo check --offline -q -p "$member" "$@" 2>&1 | grep -F -- "$label: "
}
# Dependencies first, for each feature set.
cargo check --offline -q -p ours-github-2022 >/dev/null 2>&1
cargo check --offline -q -p ours-github-today --all-features >/dev/null 2>&1
cargo check --offline -q -p ours-github-today --no-default-features --features issues >/dev/null 2>&1
for _ in 1 2; do
  run "2022, default" ours-github-2022
  run "today, default (full)" ours-github-today
  run "today, issues alone" ours-github-today --no-default-features --features issues
  run "today, all features" ours-github-today --all-features
done
