#!/usr/bin/env python3
# Minimal `typst` command for benchmarks: `typst compile [--root R] INPUT [OUTPUT]` through the
# typst Python binding (PyPI `typst`), which embeds the real typst compiler.
import sys, typst
args = [a for a in sys.argv[1:]]
if args and args[0] == "--version":
    print("typst (python binding)"); sys.exit(0)
assert args and args[0] == "compile", args
rest = args[1:]
opts = {}
files = []
i = 0
while i < len(rest):
    a = rest[i]
    if a.startswith("--") and "=" not in a and i + 1 < len(rest) and a in ("--root", "--font-path", "--format", "--input"):
        opts[a] = rest[i + 1]; i += 2; continue
    if a.startswith("-") and a != "-":
        i += 1; continue
    files.append(a); i += 1
inp = files[0]
out = files[1] if len(files) > 1 else inp.rsplit(".", 1)[0] + ".pdf"
if inp == "-":
    data = sys.stdin.buffer.read()
    res = typst.compile(data)
else:
    res = typst.compile(inp, root=opts.get("--root"))
if out == "-":
    sys.stdout.buffer.write(res)
else:
    open(out, "wb").write(res)
