#!/usr/bin/env bash
# sopctl side by side with the tools users would pick instead, on the same inputs, in one
# hyperfine run per comparison. Prints medians and ratios (peer median / sopctl median: how many
# times faster sopctl is).
#
#   HTML: sopctl render --format html  vs  pandoc -f gfm -s  and the bare comrak CLI (a fragment
#         only, no page, no styles, no images)
#
# Inputs: the bundled example and a 20,000-line SOP with a 2,000-row table
# (benches/gen_large_sop.py). A peer that is not installed is skipped, with how to install it.
# Usage: benches/peers.sh        Needs: hyperfine, python3 (apt-get install hyperfine python3)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "hyperfine is not installed: apt-get install hyperfine" >&2; exit 1; }
cargo build --release --locked --quiet
sopctl="$PWD/target/release/sopctl"
work="${BENCH_DIR:-${TMPDIR:-/tmp}/sopctl-bench}/peers"
mkdir -p "$work"
[ -f "$work/large/large.md" ] || python3 benches/gen_large_sop.py "$work/large" >/dev/null
cp docs/examples/privacy-settings-sop.md "$work/example.md"
comrak_bin="${COMRAK:-$(command -v comrak || true)}"

compare() {  # compare TITLE INPUT NAME:COMMAND...
  local title=$1 input=$2; shift 2
  local args=() names=()
  for spec in "$@"; do
    names+=("${spec%%:*}")
    args+=(-n "${spec%%:*}" "${spec#*:}")
  done
  local json; json=$(mktemp)
  hyperfine --shell=none --warmup 3 --min-runs 10 --export-json "$json" "${args[@]}" >/dev/null 2>&1
  python3 - "$json" "$title" "$input" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
base = results[0]["median"]
print(f"\n{sys.argv[2]} — {sys.argv[3]}")
print(f"  {'tool':44} {'median':>10} {'peer/sopctl':>12}")
for r in results:
    print(f"  {r['command']:44} {r['median']*1000:8.2f} ms {r['median']/base:11.2f}x")
PY
  rm -f "$json"
}

for input in example large; do
  file="$work/example.md"; [ "$input" = large ] && file="$work/large/large.md"
  specs=("sopctl render --format html:$sopctl render $file --format html -o $work/out")
  if command -v pandoc >/dev/null; then
    specs+=("pandoc -f gfm -s:pandoc -f gfm -s $file -o $work/out/pandoc.html")
  else
    echo "skipped pandoc: not installed (apt-get install pandoc)" >&2
  fi
  if [ -n "$comrak_bin" ]; then
    specs+=("comrak --gfm (fragment):$comrak_bin --gfm $file -o $work/out/comrak.html")
  else
    echo "skipped comrak: not installed (cargo install comrak, or set COMRAK=path)" >&2
  fi
  compare "HTML" "$input ($(wc -l < "$file") lines)" "${specs[@]}"
done
