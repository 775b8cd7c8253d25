#!/usr/bin/env bash
# sopctl side by side with the tools users would pick instead, on the same inputs, in one
# hyperfine run per comparison. Prints medians and ratios (peer median / sopctl median: how many
# times faster sopctl is).
#
#   HTML: sopctl render --format html  vs  pandoc -f gfm -s  and the bare comrak CLI (a fragment
#         only, no page, no styles, no images)
#   PDF:  sopctl render --format pdf   vs  pandoc 3 with the typst engine (--pdf-engine=typst),
#         and pandoc with wkhtmltopdf and with WeasyPrint when they are installed
#   diff: sopctl diff (release vs working copy) vs  git diff --no-index --word-diff, on the
#         large SOP and its next version (5% of paragraphs edited, a section moved)
#
# pandoc 3 and typst: `pip install pypandoc_binary typst` gives both (a pandoc 3 binary inside
# the wheel, and typst's compiler as a Python module); benches/typst-shim.py is a `typst`
# command over that module. Set PANDOC3=path-to-pandoc-3 and put the shim on PATH as `typst`.
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
[ -f "$work/large/large-v2.md" ] || python3 benches/gen_large_sop.py "$work/large" >/dev/null
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
  hyperfine --shell=none --warmup 1 --min-runs 5 -i --export-json "$json" "${args[@]}" >/dev/null 2>&1
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

pandoc3="${PANDOC3:-}"
if [ -z "$pandoc3" ] && python3 -c "import pypandoc" 2>/dev/null; then
  pandoc3=$(python3 -c "import pypandoc; print(pypandoc.get_pandoc_path())" 2>/dev/null || true)
fi
shim_dir="$work/bin"; mkdir -p "$shim_dir"
if python3 -c "import typst" 2>/dev/null; then cp benches/typst-shim.py "$shim_dir/typst"; chmod +x "$shim_dir/typst"; fi
for input in example large; do
  file="$work/example.md"; [ "$input" = large ] && file="$work/large/large.md"
  specs=("sopctl render --format pdf:$sopctl render $file --format pdf -o $work/out")
  if [ -n "$pandoc3" ] && [ -x "$shim_dir/typst" ]; then
    # Tables made breakable (benches/typst-breakable.typ), or the large table runs off its page.
    specs+=("pandoc --pdf-engine=typst:env PATH=$shim_dir:$PATH $pandoc3 -f gfm -s $file -H $PWD/benches/typst-breakable.typ --pdf-engine=typst -o $work/out/typst.pdf")
  else
    echo "skipped pandoc with typst: pip install pypandoc_binary typst (see the top of this script)" >&2
  fi
  # HTML-to-PDF engines, driven by pandoc as users drive them.
  if command -v wkhtmltopdf >/dev/null && command -v pandoc >/dev/null; then
    specs+=("pandoc --pdf-engine=wkhtmltopdf:pandoc -f gfm -s $file --pdf-engine=wkhtmltopdf -o $work/out/wkhtmltopdf.pdf")
  else
    echo "skipped wkhtmltopdf: apt-get install wkhtmltopdf pandoc" >&2
  fi
  if command -v weasyprint >/dev/null && command -v pandoc >/dev/null; then
    specs+=("pandoc --pdf-engine=weasyprint:pandoc -f gfm -s $file --pdf-engine=weasyprint -o $work/out/weasyprint.pdf")
  else
    echo "skipped WeasyPrint: pip install weasyprint (and apt-get install pandoc)" >&2
  fi
  compare "PDF" "$input ($(wc -l < "$file") lines)" "${specs[@]}"
done

# diff: the large SOP released as 3.2 in a repository, its next version as the working copy.
repo="$work/diffrepo"
if [ ! -d "$repo/.git" ]; then
  mkdir -p "$repo" && cp "$work/large/large.md" "$repo/SOP.md"
  printf 'docs = ["."]\ntag_format = "v{version}"\n' > "$repo/sopctl.toml"
  git -C "$repo" init -q -b main && git -C "$repo" add -A
  git -C "$repo" -c user.name=bench -c user.email=bench@example.org commit -q -m 3.2
  git -C "$repo" -c user.name=bench -c user.email=bench@example.org tag -a v3.2.0 -m 3.2
  cp "$work/large/large-v2.md" "$repo/SOP.md"
fi
compare "diff" "large vs next version" \
  "sopctl diff:env -C $repo $sopctl diff 3.2 --color never" \
  "git diff --no-index --word-diff:git diff --no-index --word-diff $work/large/large.md $work/large/large-v2.md"
