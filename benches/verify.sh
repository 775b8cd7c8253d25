#!/usr/bin/env bash
# `sopctl verify` against `git log` on the history benchmark's repository (200 SOPs, 2,000
# commits, 400 release tags: benches/gen_history_repo.py --whole) with every tag signed with an
# SSH key (benches/sign_tags.py) and git's allowed-signers file set, measured in one hyperfine
# run. Prints medians and the ratio (issue 15 item 7: within 3x).
#
# Usage: benches/verify.sh                 (builds the release binary first)
#        SOPCTL=target/debug/sopctl benches/verify.sh   (a binary of your choice, e.g. debug)
# Needs: hyperfine (apt-get install hyperfine), python3, git, ssh-keygen.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "hyperfine is not installed: apt-get install hyperfine" >&2; exit 1; }
if [ -z "${SOPCTL:-}" ]; then
  cargo build --release --locked --quiet
  SOPCTL="$PWD/target/release/sopctl"
fi
sopctl="$(realpath "$SOPCTL")"
work="${BENCH_DIR:-${TMPDIR:-/tmp}/sopctl-bench}/verify"
if [ ! -d "$work/.git" ]; then
  python3 benches/gen_history_repo.py --whole "$work"
  python3 benches/sign_tags.py "$work"
fi
cd "$work"
"$sopctl" verify >/dev/null 2>&1 || { echo "sopctl verify does not find the record whole" >&2; exit 1; }
out=$(mktemp)
hyperfine --shell=none --warmup 3 --runs 20 --export-json "$out" \
  -n "git log" "git log" \
  -n "sopctl verify" "$sopctl verify" >/dev/null
python3 - "$out" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
base = results[0]["median"]
print(f"{'command':16} {'median':>10} {'user':>9} {'ratio':>7}")
for r in results:
    print(f"{r['command']:16} {r['median']*1000:8.1f} ms {r['user']*1000:6.1f} ms {r['median']/base:6.2f}x")
PY
rm -f "$out"
