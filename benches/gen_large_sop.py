#!/usr/bin/env python3
"""Write a deterministic large SOP for benchmarks: about 20,000 lines with a 2,000-row table,
nested lists, code blocks and images (small PNGs written next to it).

Usage: benches/gen_large_sop.py DIR [SCALE]   (SCALE 1, 2, 4: copies of the body, for growth)
Writes DIR/large.md, DIR/img/figure-N.png, DIR/large-v2.md: the next version, with 5% of the
paragraphs edited (one word changed, one added) and section 1.3 moved to the end, and
DIR/large-v3.md: a heavier revision, every fourth section edited (a quarter of them: a paragraph
reworded, a step inserted, a checklist item deleted, a code line changed) and every 50th table
row changed (issue 18 item 6: at least 10% of the sections edited).
"""
import struct
import sys
import zlib
from pathlib import Path


def png(width, height, shade):
    raw = b"".join(b"\x00" + bytes([(x * 7 + y * 3 + shade) % 256 for x in range(width)] * 1) for y in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def body(part):
    out = []
    w = out.append
    for s in range(1, 41):
        w(f"## {part}.{s} Section {s} of part {part}")
        w("")
        for p in range(6):
            w(
                f"Paragraph {p} of section {s}: operators check the line, record the batch number "
                f"B-{part:02}{s:03}{p:02}-X and sign the form before the next shift starts. "
                "Deviations are reported to the supervisor at once, with the time and the reason."
            )
            w("")
        w("1. Prepare the station")
        w("   - Check the tools")
        w("     - Torque wrench calibrated")
        w("       - Certificate on file")
        w("   - [x] Clean the surface")
        w("   - [ ] Record the temperature")
        w("2. Run the procedure")
        w("3. Sign the record")
        w("")
        w("```text")
        for c in range(12):
            w(f"step {c:02}  set valve V{c} to {c * 5} %  # checked by operator")
        w("```")
        w("")
        if s % 8 == 0:
            w(f"![Figure {s}](img/figure-{s % 3}.png)")
            w("")
        for filler in range(425):
            w(f"- Check item {filler} of section {s}: record value, unit and initials.")
        w("")
    return out


def table(rows):
    out = ["## Parameter table", "", "| Code | Parameter | Minimum | Maximum | Unit | Notes |", "| --- | --- | ---: | ---: | --- | --- |"]
    for r in range(rows):
        out.append(f"| P-{r:04} | Parameter {r} of the line | {r % 17} | {r % 17 + 40} | °C | Check every {r % 5 + 1} h |")
    out.append("")
    return out


def main():
    target = Path(sys.argv[1])
    scale = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    (target / "img").mkdir(parents=True, exist_ok=True)
    for n in range(3):
        (target / "img" / f"figure-{n}.png").write_bytes(png(240, 120, n * 40))
    lines = [
        "---",
        "id: SOP-BENCH-001",
        "title: Line operation, large",
        "version: 3.2",
        "owner: Production Manager",
        "status: effective",
        "effective: 2025-01-06",
        "review_interval: 1 year",
        "---",
        "",
    ]
    for part in range(1, scale + 1):
        lines += body(part)
        lines += table(2000)
    lines += ["## Revision History", "", "| Version | Date | Changes | Author |", "| --- | --- | --- | --- |", "| 3.2 | 2025-01-06 | Benchmark | - |", ""]
    (target / "large.md").write_text("\n".join(lines))
    print(f"{target / 'large.md'}: {len(lines)} lines")
    # The next version: every 20th paragraph edited, section 1.3 moved to the end of part 1.
    edited = []
    count = 0
    for line in lines:
        if line.startswith("Paragraph "):
            count += 1
            if count % 20 == 0:
                line = line.replace("record the batch number", "record the lot number").replace("at once", "at once in writing")
        edited.append(line)
    edited = [l.replace("version: 3.2", "version: 3.3") for l in edited]
    start = edited.index("## 1.3 Section 3 of part 1")
    end = edited.index("## 1.4 Section 4 of part 1")
    moved = edited[start:end]
    del edited[start:end]
    at = edited.index("## Parameter table")
    edited[at:at] = moved
    (target / "large-v2.md").write_text("\n".join(edited))
    (target / "large-v3.md").write_text("\n".join(heavier(lines)))


def heavier(lines):
    """Every fourth section edited in four places, every 50th table row changed."""
    out = []
    section = 0
    for line in lines:
        if line.startswith("## ") and "Section" in line:
            section = int(line.split()[1].split(".")[1])
        hit = section % 4 == 0
        if hit and line.startswith("Paragraph 1 of section"):
            line = line.replace("operators check the line", "the shift lead checks the whole line").replace(
                "before the next shift starts", "before handing over"
            )
        if hit and line == "2. Run the procedure":
            out.append("2. Confirm the line clearance with a second person")
            line = "3. Run the procedure"
        elif hit and line == "3. Sign the record":
            line = "4. Sign and date the record"
        if hit and line.startswith("- Check item 7 of section"):
            continue
        if hit and line.startswith("step 05"):
            line = line.replace("25 %", "30 %")
        if line.startswith("| P-") and int(line[4:8]) % 50 == 0:
            line = line.replace("| °C |", "| K |")
        if line.startswith("version: 3.2"):
            line = "version: 3.3"
        out.append(line)
    return out


if __name__ == "__main__":
    main()
