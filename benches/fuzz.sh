#!/usr/bin/env bash
# Fuzzing for a fixed time, as a benchmark step: every cargo-fuzz target of fuzz/ (front matter,
# PDF, HTML, diff, versions) for SECONDS seconds each (default 60), through fuzz/run.sh, then
# the saved regressions and the property tests. A target that stops on a finding leaves the
# input in fuzz/artifacts/<target>/: fix the bug, copy the input into fuzz/regressions/<target>/
# (tests/properties.rs replays every file there on each `cargo test`), and say in the test
# suite's history where it came from.
#
# Usage: benches/fuzz.sh [SECONDS]
# Needs: a nightly toolchain and cargo-fuzz (rustup toolchain install nightly;
#        cargo install cargo-fuzz). Without them the fuzz step is skipped with a note, and the
#        property tests run with PROPTEST_CASES cases (default 2000) instead.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
status=0
if cargo +nightly fuzz --version >/dev/null 2>&1; then
  FUZZ_SECONDS="$seconds" fuzz/run.sh || status=$?
  cases=${PROPTEST_CASES:-200}
else
  echo "note: cargo-fuzz or a nightly toolchain is missing (rustup toolchain install nightly;" \
    "cargo install cargo-fuzz): no fuzzing, the property tests run longer instead" >&2
  cases=${PROPTEST_CASES:-2000}
fi
echo "== regressions and property tests: $cases cases each"
PROPTEST_CASES="$cases" cargo test --locked --test properties || status=1
exit "$status"
