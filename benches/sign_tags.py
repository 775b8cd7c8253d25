#!/usr/bin/env python3
"""Sign every tag of a repository with a new SSH key, as `git tag -s` with gpg.format=ssh would.

Each annotated tag is rewritten with the same object, name, tagger, time and message, followed by
an SSH signature made with `ssh-keygen -Y sign -n git` (what git runs), and the ref is moved to the
new tag object. The key (no passphrase) and an allowed-signers file naming it for the tagger's
e-mail go into the repository's git folder, and git is told to verify with them
(gpg.ssh.allowedSignersFile), so `git verify-tag` and `sopctl verify` both check the signatures.
Then objects and refs are packed (`git gc`), as they are in a clone.

Usage: benches/sign_tags.py DIR
"""
import subprocess
import sys
import tempfile
from pathlib import Path


def git(repo, *args, data=None):
    return subprocess.run(["git", *args], cwd=repo, input=data, capture_output=True, check=True).stdout


def main():
    repo = Path(sys.argv[1])
    gitdir = Path(git(repo, "rev-parse", "--absolute-git-dir").decode().strip())
    key = gitdir / "bench-signing-key"
    if not key.exists():
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "bench", "-f", str(key)], check=True)
    email = git(repo, "config", "user.email").decode().strip()
    allowed = gitdir / "allowed_signers"
    allowed.write_text(f"{email} {key.with_suffix('.pub').read_text()}")
    git(repo, "config", "gpg.ssh.allowedSignersFile", str(allowed))
    tags = git(repo, "for-each-ref", "--format=%(refname) %(objecttype)", "refs/tags").decode().split("\n")
    signed = 0
    with tempfile.TemporaryDirectory() as scratch:
        payload = Path(scratch) / "tag"
        for line in filter(None, tags):
            ref, kind = line.split(" ")
            if kind != "tag":
                continue
            body = git(repo, "cat-file", "tag", ref)
            if b"-----BEGIN SSH SIGNATURE-----" in body:
                continue
            payload.write_bytes(body)
            subprocess.run(["ssh-keygen", "-q", "-Y", "sign", "-n", "git", "-f", str(key), str(payload)],
                           check=True, capture_output=True)
            sig = Path(str(payload) + ".sig")
            new = git(repo, "hash-object", "-t", "tag", "-w", "--stdin", data=body + sig.read_bytes()).decode().strip()
            sig.unlink()
            git(repo, "update-ref", ref, new)
            signed += 1
    # As a clone has them: objects and refs packed.
    git(repo, "gc", "-q")
    print(f"{repo}: {signed} tags signed with {key}")


if __name__ == "__main__":
    main()
