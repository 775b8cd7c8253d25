#!/usr/bin/env bash
# How cost grows with the size of a document: wall time and peak memory (maximum resident set
# size) measured with GNU time, in two parts.
#
# large: `sopctl render` for PDF and for HTML at 1x, 2x and 4x the large SOP
#        (benches/gen_large_sop.py DIR SCALE); the median of 3 runs. Growth must be no faster
#        than linear: the 4x time and memory at most about 4x the 1x ones.
# worst: the hostile inputs of issue 13 (benches/gen_worst.py: nested quotes, identical
#        headings, long front-matter lists, wide and long tables, nested emphasis, long lists,
#        footnotes, links, one long line) at 1x, 2x and 4x (2.4, 4.8 and 9.6 MB): `check`,
#        `render --format pdf` and `render --format html` on each; the median of WORST_RUNS runs
#        (default 1). Times are CPU seconds (user + system): each command runs on one thread,
#        so on an idle machine that is its wall time, and on a shared one it is not inflated by
#        the other work. Each doubling may cost at most 2.5x the time (growth column; `!!`
#        marks a breach), and the 9.6 MB inputs must finish in under 10 s and 1 GB each.
#
# Usage: benches/scaling.sh [large|worst]   (both by default; builds the release binary first)
#        CASES="quotes headings" benches/scaling.sh worst    (some of the worst cases only)
# Needs: python3, bc, GNU time (/usr/bin/time, Debian package `time`).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x /usr/bin/time ] || { echo "GNU time is not installed: apt-get install time" >&2; exit 1; }
parts=${1:-"large worst"}
cargo build --release --locked --quiet
sopctl="$PWD/target/release/sopctl"
work="${BENCH_DIR:-${TMPDIR:-/tmp}/sopctl-bench}/scaling"
mkdir -p "$work"

# The median "seconds KiB" of RUNS runs of the command (the middle one by time): wall time.
measure() {
  local runs=$1
  shift
  local results=()
  for _ in $(seq "$runs"); do
    results+=("$(/usr/bin/time -f '%e %M' "$@" 2>&1 >/dev/null | tail -1)")
  done
  printf '%s\n' "${results[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p"
}

# The same with CPU time (user + system) instead of wall time.
measure_cpu() {
  local runs=$1
  shift
  local results=()
  for _ in $(seq "$runs"); do
    read -r user sys kib < <(/usr/bin/time -f '%U %S %M' "$@" 2>&1 >/dev/null | tail -1)
    results+=("$(echo "$user + $sys" | bc) $kib")
  done
  printf '%s\n' "${results[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p"
}

ms() { echo "$1 * 1000 / 1" | bc; }
mb() { echo "$1 / 1024" | bc; }

if [[ " $parts " == *" large "* ]]; then
  printf '%-6s %-5s %8s %12s %12s\n' format scale lines "median time" "peak memory"
  for scale in 1 2 4; do
    dir="$work/x$scale"
    [ -f "$dir/large.md" ] || python3 benches/gen_large_sop.py "$dir" "$scale" >/dev/null
    lines=$(wc -l < "$dir/large.md")
    for format in pdf html; do
      read -r seconds kib < <(measure 3 "$sopctl" render "$dir/large.md" --format "$format" -o "$dir/out")
      printf '%-6s %-5s %8s %9s ms %9s MB\n' "$format" "${scale}x" "$lines" "$(ms "$seconds")" "$(mb "$kib")"
    done
  done
fi

if [[ " $parts " == *" worst "* ]]; then
  runs=${WORST_RUNS:-1}
  cases=${CASES:-"quotes headings approvers keys wide-table long-table emphasis list footnotes links long-line"}
  echo
  echo "| case | scale | size | check (CPU) | PDF (CPU) | HTML (CPU) | peak memory | growth of the slowest |"
  echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
  breach=0
  for case in $cases; do
    previous=""
    for scale in 1 2 4; do
      dir="$work/worst-x$scale"
      [ -f "$dir/$case.md" ] || python3 benches/gen_worst.py "$dir" "$scale" "$case" >/dev/null
      bytes=$(wc -c < "$dir/$case.md")
      read -r t_check k_check < <(measure_cpu "$runs" "$sopctl" check "$dir/$case.md")
      read -r t_pdf k_pdf < <(measure_cpu "$runs" "$sopctl" render "$dir/$case.md" --format pdf -o "$dir/out")
      read -r t_html k_html < <(measure_cpu "$runs" "$sopctl" render "$dir/$case.md" --format html -o "$dir/out")
      slowest=$(printf '%s\n' "$t_check" "$t_pdf" "$t_html" | sort -n | tail -1)
      peak=$(printf '%s\n' "$k_check" "$k_pdf" "$k_html" | sort -n | tail -1)
      growth=""
      if [ -n "$previous" ]; then
        # Below 0.2 s, start-up and timer resolution dominate: no verdict.
        ratio=$(echo "scale=2; $slowest / ($previous + 0.001)" | bc)
        growth="${ratio}x"
        if (($(echo "$previous >= 0.2 && $ratio > 2.5" | bc))); then
          growth="$growth !!"
          breach=1
        fi
      fi
      if ((scale == 4)) && (($(echo "$slowest >= 10 || $peak >= 1048576" | bc))); then
        growth="$growth (over 10 s or 1 GB !!)"
        breach=1
      fi
      printf '| %s | %sx | %s MB | %s ms | %s ms | %s ms | %s MB | %s |\n' "$case" "$scale" \
        "$(echo "scale=1; $bytes / 1000000" | bc)" "$(ms "$t_check")" "$(ms "$t_pdf")" \
        "$(ms "$t_html")" "$(mb "$peak")" "$growth"
      previous=$slowest
    done
  done
  if ((breach)); then
    echo "!! a worst case grows faster than 2.5x per doubling or breaks the 10 s / 1 GB bound" >&2
    exit 1
  fi
fi
