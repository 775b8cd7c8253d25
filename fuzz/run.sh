#!/usr/bin/env bash
# Runs every fuzz target for MINUTES minutes each (default 10; FUZZ_SECONDS gives seconds
# instead, as benches/fuzz.sh does), one after another, seeded with the bundled example and the
# user-reported cases. Needs a nightly toolchain and cargo-fuzz:
#   rustup toolchain install nightly && cargo install cargo-fuzz
# Crashes land in fuzz/artifacts/<target>/: fix them, then copy each into
# fuzz/regressions/<target>/, where tests/properties.rs replays it on every test run.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-$((${MINUTES:-10} * 60))}
targets=${TARGETS:-"version front_matter html pdf diff"}
cargo +nightly fuzz build
for target in $targets; do
  corpus=fuzz/corpus/$target
  mkdir -p "$corpus"
  if [ "$target" != version ]; then
    cp docs/examples/*.md "$corpus"/ 2>/dev/null || true
    cp tests/fixtures/cases/*.md "$corpus"/ 2>/dev/null || true
  fi
  cp fuzz/regressions/"$target"/* "$corpus"/ 2>/dev/null || true
  echo "== $target: $seconds s"
  # A crash stops this target's run (libFuzzer's way), not the others'.
  if ! cargo +nightly fuzz run "$target" "$corpus" -- \
    -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -max_len=16384 \
    -print_final_stats=1 > "fuzz/$target.log" 2>&1; then
    echo "!! $target stopped on a finding: see fuzz/$target.log and fuzz/artifacts/$target/"
    failed=1
  fi
  grep -E "^Done|stat::" "fuzz/$target.log" || true
done
exit "${failed:-0}"
