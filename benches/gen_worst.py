#!/usr/bin/env python3
"""Write the hostile inputs of issue 13: SOPs built to find costs that grow faster than their size.

Usage: benches/gen_worst.py DIR SCALE [CASE ...]
Writes DIR/CASE.md for each case (all cases when none is named). At SCALE 1 each file is about
2.4 MB, so SCALE 4 (about 9.6 MB) stays under the 10 MB an SOP may be. Deterministic.

Cases:
  quotes        one line of `> > > …`: block quotes nested a million deep and more
  headings      the same heading `## Procedure` over and over (anchors procedure, procedure-1, …)
  approvers     a front-matter list of approvers, one per line
  keys          front-matter keys that sopctl does not know, one per line
  wide-table    a table of 300 columns
  long-table    a table of 3 columns and many rows
  emphasis      `***…x…***`: strong and emphasis nested half a million deep
  list          a bulleted list, one item per line
  footnotes     paragraphs that each cite their own footnote
  links         paragraphs full of links to headings of the document
  long-line     one paragraph on a single line of words
"""
import sys
from pathlib import Path

BYTES = 2_400_000
FRONT = "---\nid: SOP-WORST-001\ntitle: Worst case\nowner: QA\n---\n\n"


def repeat(unit, size):
    """`unit` repeated to fill about `size` bytes."""
    return unit * max(1, size // len(unit))


def fill(line, size):
    """`line(i)` for i = 0, 1, … until the lines fill `size` bytes."""
    out, total, i = [], 0, 0
    while total < size:
        text = line(i)
        out.append(text)
        total += len(text)
        i += 1
    return "".join(out)


def quotes(size):
    return FRONT + repeat("> ", size) + "deepest words\n"


def headings(size):
    return FRONT + repeat("## Procedure\n\nDo it.\n\n", size)


def approvers(size):
    items = fill(lambda i: f"  - Approver {i:07}\n", size)
    return "---\nid: SOP-WORST-001\ntitle: Worst case\nowner: QA\napprovers:\n" + items + "---\n\nBody.\n"


def keys(size):
    lines = fill(lambda i: f"custom_key_{i:07}: value {i}\n", size)
    return "---\nid: SOP-WORST-001\ntitle: Worst case\nowner: QA\n" + lines + "---\n\nBody.\n"


def table(columns, size):
    head = "| " + " | ".join(f"H{c}" for c in range(columns)) + " |\n"
    rule = "|" + "---|" * columns + "\n"
    out = [head, rule]
    total, r = len(head) + len(rule), 0
    while total < size:
        row = "| " + " | ".join(f"r{r}c{c}" for c in range(columns)) + " |\n"
        out.append(row)
        total += len(row)
        r += 1
    return FRONT + "".join(out)


def emphasis(size):
    half = size // 2
    return FRONT + "*" * half + "x" + "*" * half + "\n"


def bullet_list(size):
    return FRONT + fill(lambda i: f"- Step {i}: check the valve\n", size)


def footnotes(size):
    # Citations first, then the notes: about 30 bytes for each of the two.
    cites = fill(lambda i: f"Check {i}.[^n{i}]\n\n", size // 2)
    n = cites.count("[^")
    return FRONT + cites + "".join(f"[^n{i}]: Note {i}.\n" for i in range(n))


def links(size):
    n = size // 50
    return FRONT + "".join(
        f"## Part {i}\n\nSee [part {(i * 7) % n}](#part-{(i * 7) % n}).\n\n" for i in range(n)
    )


def long_line(size):
    return FRONT + fill(lambda i: f"w{i} ", size) + "\n"


CASES = {
    "quotes": quotes,
    "headings": headings,
    "approvers": approvers,
    "keys": keys,
    "wide-table": lambda size: table(300, size),
    "long-table": lambda size: table(3, size),
    "emphasis": emphasis,
    "list": bullet_list,
    "footnotes": footnotes,
    "links": links,
    "long-line": long_line,
}


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    out = Path(sys.argv[1])
    scale = int(sys.argv[2])
    names = sys.argv[3:] or list(CASES)
    out.mkdir(parents=True, exist_ok=True)
    for name in names:
        if name not in CASES:
            sys.exit(f"unknown case {name}; the cases are: {', '.join(CASES)}")
        text = CASES[name](BYTES * scale)
        (out / f"{name}.md").write_text(text, encoding="utf-8")
        print(out / f"{name}.md", len(text.encode()))


if __name__ == "__main__":
    main()
