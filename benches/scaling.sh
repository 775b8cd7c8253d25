#!/usr/bin/env bash
# How cost grows with the size of a document: wall time and peak memory (maximum resident set
# size) of `sopctl render` for PDF and for HTML at 1x, 2x and 4x the large SOP
# (benches/gen_large_sop.py DIR SCALE). Each figure is the median of 3 runs of /usr/bin/time.
# Growth must be no faster than linear: the 4x time and memory at most about 4x the 1x ones.
#
# Usage: benches/scaling.sh            (builds the release binary first)
# Needs: python3, GNU time (/usr/bin/time, Debian package `time`).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x /usr/bin/time ] || { echo "GNU time is not installed: apt-get install time" >&2; exit 1; }
cargo build --release --locked --quiet
sopctl="$PWD/target/release/sopctl"
work="${BENCH_DIR:-${TMPDIR:-/tmp}/sopctl-bench}/scaling"
mkdir -p "$work"
printf '%-6s %-5s %8s %12s %12s\n' format scale lines "median time" "peak memory"
for scale in 1 2 4; do
  dir="$work/x$scale"
  [ -f "$dir/large.md" ] || python3 benches/gen_large_sop.py "$dir" "$scale" >/dev/null
  lines=$(wc -l < "$dir/large.md")
  for format in pdf html; do
    results=()
    for _ in 1 2 3; do
      results+=("$(/usr/bin/time -f '%e %M' "$sopctl" render "$dir/large.md" --format "$format" -o "$dir/out" 2>&1 >/dev/null | tail -1)")
    done
    printf '%s\n' "${results[@]}" | sort -n | sed -n 2p | {
      read -r seconds kib
      printf '%-6s %-5s %8s %9.0f ms %9.0f MB\n' "$format" "${scale}x" "$lines" \
        "$(echo "$seconds * 1000" | bc)" "$(echo "$kib / 1024" | bc)"
    }
  done
done
