#!/usr/bin/env bash
# `sopctl publish` of a repository of 200 SOPs with 400 releases (benches/gen_history_repo.py):
# cold (every PDF, HTML and redline made, on all cores) and again with nothing to do, then the
# same work split in 2 shards run one after the other (what two CI machines would each do).
#
# Usage: benches/publish.sh            (builds the release binary first)
# Needs: hyperfine (apt-get install hyperfine), python3, git.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "hyperfine is not installed: apt-get install hyperfine" >&2; exit 1; }
cargo build --release --locked --quiet
sopctl="$PWD/target/release/sopctl"
work="${BENCH_DIR:-${TMPDIR:-/tmp}/sopctl-bench}/history"
[ -d "$work/.git" ] || python3 benches/gen_history_repo.py "$work"
cd "$work"
echo "cores: $(nproc)"
hyperfine --shell=none --runs 3 --prepare "rm -rf $work/site" \
  -n "publish, cold" "$sopctl publish -q -o $work/site"
"$sopctl" publish -q -o "$work/site"
hyperfine --shell=none --warmup 1 --runs 10 \
  -n "publish, nothing to do" "$sopctl publish -q -o $work/site"
hyperfine --shell=none --runs 3 --prepare "rm -rf $work/shard-1" \
  -n "publish --shard 1/2, cold" "$sopctl publish -q -o $work/shard-1 --shard 1/2"
