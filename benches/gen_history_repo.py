#!/usr/bin/env python3
"""Build a deterministic repository of SOPs for history benchmarks.

200 SOPs (sops/area-N/SOP-NNN.md), 2,000 commits, 400 annotated release tags written the way
`sopctl release` writes them ({id}/v{version}, trailers). Each SOP is edited 10 times and released
after its 4th and 8th edit, so its last two edits are unreleased (release --dry-run has work to do).
Built with `git fast-import`, so it takes seconds. Same input, same repository, byte for byte.

With --whole, the record is whole as `sopctl verify` reads it: each release commit is written the
way `sopctl release` writes it (message `SOP-NNN: release 1.1` followed by the tag's message, the
effective date in the front matter, a revision-history row per release), so verify has every
check to make and nothing to report. Without it the output is as it always was.

Usage: benches/gen_history_repo.py [--whole] DIR
"""
import subprocess
import sys
from pathlib import Path

DOCS = 200
EDITS_PER_DOC = 10
RELEASE_AFTER = {4: "1.1.0", 8: "1.2.0"}
START = 1_700_000_000  # 2023-11-14, one commit an hour after


def doc_text(i, version, edits, history=None):
    """The SOP's text; `history` (--whole) is the list of (version, date, summary) released."""
    lines = [
        "---",
        f"id: SOP-{i:03}",
        f"title: Procedure number {i}",
        f"version: {version}",
    ]
    if history:
        lines.append(f"effective: {history[-1][1]}")
    lines += [
        "owner: Quality Manager",
        "status: effective",
        "review_interval: 1 year",
        "---",
        "",
        "## Purpose",
        "",
        f"This procedure describes task {i} in enough words to look like a real SOP body.",
        "",
        "## Procedure",
        "",
    ]
    lines += [f"{n}. Step {n} of procedure {i}: check, record and sign." for n in range(1, 21)]
    lines += ["", "## Changes", ""]
    lines += [f"- Revision {k} of procedure {i}." for k in range(1, edits + 1)]
    lines += ["", "## Revision History", "", "| Version | Date | Changes | Author |", "| --- | --- | --- | --- |"]
    for v, date, summary in history or []:
        lines.append(f"| {v.removesuffix('.0')} | {date} | {summary} | Quality Manager |")
    lines.append("")
    return "\n".join(lines)


def path(i):
    return f"sops/area-{i % 10}/SOP-{i:03}.md"


def data(payload: bytes) -> bytes:
    return b"data %d\n" % len(payload) + payload + b"\n"


def main():
    whole = "--whole" in sys.argv[1:]
    target = Path([a for a in sys.argv[1:] if a != "--whole"][0])
    target.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", "-b", "main", str(target)], check=True)
    out = bytearray()
    mark = 0
    t = START
    ident = b"Quality Manager <qm@example.org>"

    def commit(files, message, parent):
        nonlocal mark, t
        blobs = []
        for p, text in files:
            mark += 1
            out.extend(b"blob\nmark :%d\n" % mark + data(text.encode()))
            blobs.append((p, mark))
        mark += 1
        t += 3600
        out.extend(b"commit refs/heads/main\nmark :%d\n" % mark)
        out.extend(b"author %s %d +0000\ncommitter %s %d +0000\n" % (ident, t, ident, t))
        out.extend(data(message.encode()))
        if parent:
            out.extend(b"from :%d\n" % parent)
        for p, m in blobs:
            out.extend(b"M 100644 :%d %s\n" % (m, p.encode()))
        return mark

    versions = {i: "1.0.0" for i in range(DOCS)}
    edits = {i: 0 for i in range(DOCS)}
    history = {i: [] for i in range(DOCS)}
    head = commit([(path(i), doc_text(i, "1.0.0", 0)) for i in range(DOCS)], "Add 200 SOPs", None)
    for k in range(1, DOCS * EDITS_PER_DOC):
        i = k % DOCS
        edits[i] += 1
        release = RELEASE_AFTER.get(edits[i])
        if release:
            versions[i] = release
        date = "2024-%02d-%02d" % (1 + (k // 200) % 12, 1 + k % 28)
        msg = (
            f"Revision {edits[i]} of procedure {i}\n\nDocument: SOP-{i:03}\nVersion: {release}\n"
            f"Date: {date}\nAuthor: Quality Manager\n"
        )
        subject = f"SOP-{i:03}: revision {edits[i]}"
        if whole and release:
            history[i].append((release, date, f"Revision {edits[i]} of procedure {i}"))
            subject = f"SOP-{i:03}: release {release.removesuffix('.0')}\n\n{msg}"
        text = doc_text(i, versions[i], edits[i], history[i] if whole else None)
        head = commit([(path(i), text)], subject, head)
        if release:
            out.extend(b"tag SOP-%03d/v%s\nfrom :%d\n" % (i, release.encode(), head))
            out.extend(b"tagger %s %d +0000\n" % (ident, t))
            out.extend(data(msg.encode()))
    subprocess.run(["git", "fast-import", "--quiet"], input=bytes(out), cwd=target, check=True)
    subprocess.run(["git", "reset", "-q", "--hard"], cwd=target, check=True)
    subprocess.run(["git", "config", "user.name", "Quality Manager"], cwd=target, check=True)
    subprocess.run(["git", "config", "user.email", "qm@example.org"], cwd=target, check=True)
    commits = subprocess.run(["git", "rev-list", "--count", "HEAD"], cwd=target, capture_output=True, text=True).stdout.strip()
    tags = len(subprocess.run(["git", "tag"], cwd=target, capture_output=True, text=True).stdout.split())
    print(f"{target}: {DOCS} SOPs, {commits} commits, {tags} tags")


if __name__ == "__main__":
    main()
