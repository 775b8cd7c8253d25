#!/usr/bin/env python3
"""Add training records to a history benchmark repository (issue 17 item 5).

Takes a repository made by `benches/gen_history_repo.py --whole DIR` (200 SOPs, 400 releases)
and adds, deterministically:

- `people.toml` with 500 people, each in the role `Operators` and one of ten `Area N` roles;
- `audience: [Operators]` in every SOP's front matter (one commit);
- the branch `sopctl/training` with 100,000 acknowledgements, one per person and SOP, written
  as `sopctl ack` writes them (`acks/EMAIL`, one line per record): nine in ten of the latest
  release (1.2), the rest of 1.1, so the matrix has trained, pending and overdue cells. The
  branch holds one commit per person (500 commits of 200 records each): reading the records
  reads the tip's tree only, so the number of commits does not change what is measured.

Built with `git fast-import`; same input, same repository.

Usage: benches/gen_training_repo.py DIR
"""
import hashlib
import subprocess
import sys
from pathlib import Path

PEOPLE = 500
DOCS = 200
START = 1_710_000_000


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    repo = Path(sys.argv[1])
    run = lambda *args, **kw: subprocess.run(["git", "-C", str(repo), *args], check=True, **kw)
    people = []
    for p in range(PEOPLE):
        people.append((f"Person {p:03}, Line {p % 10}", f"person{p:03}@example.org", p % 10))
    lines = []
    for name, email, area in people:
        lines += [
            "[[person]]",
            f'name = "{name}"',
            f'email = "{email}"',
            f'roles = ["Operators", "Area {area}"]',
            "",
        ]
    (repo / "people.toml").write_text("\n".join(lines))
    for i in range(DOCS):
        path = repo / f"sops/area-{i % 10}/SOP-{i:03}.md"
        text = path.read_text()
        if "audience:" not in text:
            text = text.replace("owner: Quality Manager\n", "owner: Quality Manager\naudience: [Operators]\n", 1)
            path.write_text(text)
    env = {
        "GIT_AUTHOR_NAME": "Quality Manager",
        "GIT_AUTHOR_EMAIL": "qm@example.org",
        "GIT_COMMITTER_NAME": "Quality Manager",
        "GIT_COMMITTER_EMAIL": "qm@example.org",
        "GIT_AUTHOR_DATE": f"{START} +0000",
        "GIT_COMMITTER_DATE": f"{START} +0000",
        "PATH": "/usr/bin:/bin:/usr/local/bin",
    }
    run("add", "-A")
    run("commit", "-q", "-m", "Register 500 people; every SOP's audience is Operators", env=env)

    stream = []
    for n, (name, email, _) in enumerate(people):
        records = []
        for i in range(DOCS):
            version = "1.1.0" if (n * DOCS + i) % 10 == 0 else "1.2.0"
            content = "sha256:" + hashlib.sha256(f"SOP-{i:03} {version}".encode()).hexdigest()
            day = 1 + (n + i) % 28
            records.append(
                f"SOP-{i:03}\t{version}\t{content}\t2024-03-{day:02}T09:00:00Z\t2024-03-{day:02}\t{name}\t\n"
            )
        blob = "".join(records).encode()
        when = START + 60 * (n + 1)
        message = f"{name}: read and understood {DOCS} SOPs\n".encode()
        stream.append(b"commit refs/heads/sopctl/training\n")
        stream.append(f"committer {name} <{email}> {when} +0000\n".encode())
        stream.append(f"data {len(message)}\n".encode() + message)
        stream.append(f"M 100644 inline acks/{email}\n".encode())
        stream.append(f"data {len(blob)}\n".encode() + blob + b"\n")
    subprocess.run(
        ["git", "-C", str(repo), "fast-import", "--quiet"],
        input=b"".join(stream),
        check=True,
    )
    run("gc", "-q")
    print(f"{repo}: {PEOPLE} people, {DOCS} SOPs, {PEOPLE * DOCS} acknowledgements on sopctl/training")


if __name__ == "__main__":
    main()
