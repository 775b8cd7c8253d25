#!/usr/bin/env bash
# The reviewer's redline against its peers and against sopctl's own PDF (issue 18 item 6), on
# the large benchmark SOP (benches/gen_large_sop.py) released as 3.2, each next version as the
# working copy:
#
#   next (large-v2.md):    5% of the paragraphs edited, a section moved
#   heavier (large-v3.md): a quarter of the sections edited in four places, 1 table row in 50
#
#   text diff:  sopctl diff 3.2                vs  git diff --no-index --word-diff (within 3×)
#   PDF:        sopctl diff 3.2 --format pdf   vs  sopctl render --format pdf of the same
#               working copy (within 2×)
#
# Usage: benches/redline.sh        Needs: hyperfine, python3 (apt-get install hyperfine python3)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "hyperfine is not installed: apt-get install hyperfine" >&2; exit 1; }
cargo build --release --locked --quiet
sopctl="$PWD/target/release/sopctl"
work="${BENCH_DIR:-${TMPDIR:-/tmp}/sopctl-bench}/redline"
mkdir -p "$work"
[ -f "$work/large/large-v3.md" ] || python3 benches/gen_large_sop.py "$work/large" >/dev/null
for next in v2 v3; do
  repo="$work/repo-$next"
  if [ ! -d "$repo/.git" ]; then
    mkdir -p "$repo" && cp "$work/large/large.md" "$repo/SOP.md" && cp -r "$work/large/img" "$repo/"
    printf 'docs = ["."]\ntag_format = "v{version}"\n' > "$repo/sopctl.toml"
    git -C "$repo" init -q -b main && git -C "$repo" add -A
    git -C "$repo" -c user.name=bench -c user.email=bench@example.org commit -q -m 3.2
    git -C "$repo" -c user.name=bench -c user.email=bench@example.org tag -a v3.2.0 -m 3.2
    cp "$work/large/large-$next.md" "$repo/SOP.md"
  fi
  echo "== large vs large-$next.md"
  hyperfine -N --warmup 1 --min-runs 10 \
    -n "git diff --word-diff" "git diff --no-index --word-diff $work/large/large.md $work/large/large-$next.md" \
    -n "sopctl diff (text)" "env -C $repo $sopctl diff 3.2 --color never" \
    -i 2>/dev/null | grep -E "^Benchmark|Time \(mean" || true
  hyperfine -N --warmup 1 --min-runs 5 \
    -n "sopctl render --format pdf" "env -C $repo $sopctl render SOP.md --format pdf -o $work/out-$next" \
    -n "sopctl diff --format pdf" "env -C $repo $sopctl diff 3.2 --format pdf -o $work/redline-$next.pdf" \
    2>/dev/null | grep -E "^Benchmark|Time \(mean" || true
done
