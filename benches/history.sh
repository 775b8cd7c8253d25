#!/usr/bin/env bash
# History side by side: `sopctl log DOC` and `sopctl release DOC --dry-run` against
# `git log --oneline -- PATH` on a repository of 200 SOPs, 2,000 commits and 400 release tags
# (benches/gen_history_repo.py), measured in one hyperfine run. Prints medians and ratios.
#
# Usage: benches/history.sh            (builds the release binary first)
# Needs: hyperfine (apt-get install hyperfine), python3, git.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "hyperfine is not installed: apt-get install hyperfine" >&2; exit 1; }
cargo build --release --locked --quiet
sopctl="$PWD/target/release/sopctl"
work="${BENCH_DIR:-${TMPDIR:-/tmp}/sopctl-bench}/history"
if [ ! -d "$work/.git" ]; then
  python3 benches/gen_history_repo.py "$work"
fi
cd "$work"
doc=SOP-077
path=sops/area-7/SOP-077.md
out=$(mktemp)
hyperfine --shell=none --warmup 5 --runs 40 --export-json "$out" \
  -n "git log --oneline -- PATH" "git log --oneline -- $path" \
  -n "sopctl log DOC" "$sopctl log $doc" \
  -n "sopctl release --dry-run" "$sopctl release $doc --minor -m bench --dry-run" >/dev/null
python3 - "$out" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
base = results[0]["median"]
print(f"{'command':32} {'median':>10} {'ratio':>7}")
for r in results:
    print(f"{r['command']:32} {r['median']*1000:8.1f} ms {r['median']/base:6.2f}x")
PY
rm -f "$out"
