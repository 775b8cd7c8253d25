#!/usr/bin/env bash
# The published site's weight (issue 20 item 2): the front page, its search index and one SOP's
# page, raw and gzip-compressed (as a web server sends them), for the 200-SOP benchmark
# repository (benches/gen_history_repo.py --whole) and for 200 SOPs the size of the bundled
# example (the example's own index entry, counted 200 times).
#
# Usage: benches/site.sh          (builds the release binary first)
#        SOPCTL=target/debug/sopctl benches/site.sh
# Needs: python3, git, gzip.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${SOPCTL:-}" ]; then
  cargo build --release --locked --quiet
  SOPCTL="$PWD/target/release/sopctl"
fi
SOPCTL=$(realpath "$SOPCTL")
work="${BENCH_DIR:-${TMPDIR:-/tmp}/sopctl-bench}/site"
rm -rf "$work" && mkdir -p "$work"
python3 benches/gen_history_repo.py --whole "$work/history" >/dev/null
(cd "$work/history" && "$SOPCTL" publish -q -o "$work/history-site" >/dev/null)
(cd "$work" && "$SOPCTL" init -q --example demo >/dev/null && cd demo && "$SOPCTL" publish -q >/dev/null)

size() { printf '%8d B raw %8d B gzip' "$(wc -c <"$1")" "$(gzip -9c "$1" | wc -c)"; }
echo "200-SOP benchmark repository:"
echo "  index.html        $(size "$work/history-site/index.html")"
echo "  search-index.js   $(size "$work/history-site/search-index.js")"
echo "  SOP-001/index.html $(size "$work/history-site/SOP-001/index.html")"
python3 - "$work/demo/dist/search-index.js" "$work/example200.js" <<'PY'
import json, sys
text = open(sys.argv[1]).read()
entry = json.loads(text[text.index("["):text.rindex("]") + 1])[0]
entries = []
for i in range(200):
    e = dict(entry); e["id"] = f"SOP-{i:03}"; e["page"] = f"SOP-{i:03}/index.html"
    entries.append(e)
open(sys.argv[2], "w").write("window.sopctlSearch = " + json.dumps(entries, separators=(",", ":")) + ";\n")
PY
echo "200 SOPs the size of the example (its entry: $(python3 -c "import json,sys;t=open('$work/demo/dist/search-index.js').read();print(len(json.loads(t[t.index('['):t.rindex(']')+1])[0]['words'].split()))") distinct words):"
echo "  search-index.js   $(size "$work/example200.js")"
echo "the example's index.html: $(size "$work/demo/dist/index.html")"
