//! The redline's structure on small documents.

use super::*;

fn doc(markdown: &str) -> Document {
    Document::parse(markdown, 1)
}

/// The redline as text: `[-…-]` deleted, `{+…+}` inserted, `[<…>]` moved away, `{>…<}` moved
/// here, blocks one per line.
fn show(blocks: &[Block]) -> String {
    fn inl(i: &[Inline]) -> String {
        i.iter()
            .map(|x| match x {
                Inline::Text(t) => t.clone(),
                Inline::SoftBreak => " ".into(),
                Inline::Strong(c) => format!("**{}**", inl(c)),
                Inline::Revised(r, c) => wrap(*r, &inl(c)),
                other => crate::model::inline_text(std::slice::from_ref(other)),
            })
            .collect()
    }
    fn wrap(r: Revision, t: &str) -> String {
        match r {
            Revision::Deleted => format!("[-{t}-]"),
            Revision::Inserted => format!("{{+{t}+}}"),
            Revision::MovedFrom => format!("[<{t}>]"),
            Revision::MovedTo => format!("{{>{t}<}}"),
        }
    }
    fn blk(b: &Block, out: &mut Vec<String>) {
        match b {
            Block::Heading(h) => out.push(format!("# {}", inl(&h.content))),
            Block::Paragraph(p) => out.push(inl(p)),
            Block::List(l) => {
                let mut n = l.start;
                for item in &l.items {
                    let mut inner = Vec::new();
                    item.blocks.iter().for_each(|b| blk(b, &mut inner));
                    let marker = if item.is_removed() {
                        "-".to_string()
                    } else {
                        n += 1;
                        format!("{}.", n - 1)
                    };
                    out.push(format!("{marker} {}", inner.join(" / ")));
                }
            }
            Block::Revised(r, inner) => {
                let mut lines = Vec::new();
                inner.iter().for_each(|b| blk(b, &mut lines));
                out.push(wrap(*r, &lines.join(" / ")));
            }
            Block::Table(t) => {
                for row in std::iter::once(&t.header).chain(&t.rows) {
                    out.push(row.iter().map(|c| inl(c)).collect::<Vec<_>>().join(" | "));
                }
            }
            other => out.push(format!("{other:?}")),
        }
    }
    let mut out = Vec::new();
    blocks.iter().for_each(|b| blk(b, &mut out));
    out.join("\n")
}

fn redlined(old: &str, new: &str) -> String {
    show(&redline(&doc(old), &doc(new), "1.1").blocks)
}

#[test]
fn an_inserted_step_is_one_insertion_and_renumbering_is_no_change() {
    let old = "1. Put on gloves.\n2. Open the valve.\n3. Record the reading.\n";
    let new = "1. Put on gloves.\n1. Check the pressure gauge reads zero.\n1. Open the valve.\n1. Record the reading.\n";
    assert_eq!(
        redlined(old, new),
        "1. Put on gloves.\n2. {+Check the pressure gauge reads zero.+}\n3. Open the valve.\n4. Record the reading."
    );
}

#[test]
fn a_deleted_step_takes_no_number() {
    let old = "1. One thing to do.\n2. Two things to do.\n3. Three things to do.\n";
    let new = "1. One thing to do.\n2. Three things to do.\n";
    assert_eq!(
        redlined(old, new),
        "1. One thing to do.\n- [-Two things to do.-]\n2. Three things to do."
    );
}

#[test]
fn an_edited_paragraph_shows_its_words() {
    assert_eq!(
        redlined(
            "# Scope\n\nThis applies to **line 1** only.\n",
            "# Scope\n\nThis applies to **line 1** and line 2.\n"
        ),
        "# Scope\nThis applies to **line 1** [-only-]\u{2009}{+and line 2+}."
    );
}

#[test]
fn a_paragraph_moved_between_sections_is_moved_with_its_edits() {
    let old = "# A\n\nWear gloves when handling the sample tubes.\n\nFirst.\n\n# B\n\nSecond.\n";
    let new =
        "# A\n\nFirst.\n\n# B\n\nSecond.\n\nWear nitrile gloves when handling the sample tubes.\n";
    assert_eq!(
        redlined(old, new),
        "# A\n[<Wear gloves when handling the sample tubes.>]\nFirst.\n# B\nSecond.\n{>Wear {+nitrile +}gloves when handling the sample tubes.<}"
    );
}

#[test]
fn table_rows_compare_by_cell() {
    let old = "| Item | Qty |\n|---|---|\n| Gloves | 2 |\n| Masks | 1 |\n";
    let new = "| Item | Qty |\n|---|---|\n| Gloves | 4 |\n| Masks | 1 |\n| Gowns | 1 |\n";
    assert_eq!(
        redlined(old, new),
        "Item | Qty\nGloves | [-2-]\u{2009}{+4+}\nMasks | 1\n{+Gowns+} | {+1+}"
    );
}

#[test]
fn the_generated_history_table_is_not_marked_but_a_note_under_it_is() {
    let old = "# Steps\n\nGo.\n\n## Revision history\n\n| Version | Date |\n|---|---|\n| 1.0 | 2026-01-01 |\n";
    let new = "# Steps\n\nGo.\n\n## Revision history\n\n| Version | Date |\n|---|---|\n| 1.0 | 2026-01-01 |\n| 1.1 | 2026-02-01 |\n\nThe 1.0 release was signed on paper.\n";
    assert_eq!(
        redlined(old, new),
        "# Steps\nGo.\n# Revision history\nVersion | Date\n1.0 | 2026-01-01\n1.1 | 2026-02-01\n{+The 1.0 release was signed on paper.+}"
    );
}

#[test]
fn context_keeps_changed_sections_and_their_neighbours() {
    let old = "# A\n\na\n\n# B\n\nb\n\n# C\n\nc\n\n# D\n\nd\n\n# E\n\ne\n";
    let new = "# A\n\na\n\n# B\n\nb\n\n# C\n\nc changed\n\n# D\n\nd\n\n# E\n\ne\n";
    let blocks = limit_context(redline(&doc(old), &doc(new), "1.1").blocks, 0);
    assert_eq!(
        show(&blocks),
        "[2 unchanged sections not shown: A, B]\n# C\nc{+ changed+}\n[2 unchanged sections not shown: D, E]"
    );
    let blocks = limit_context(redline(&doc(old), &doc(new), "1.1").blocks, 1);
    assert_eq!(
        show(&blocks),
        "[Unchanged section not shown: A]\n# B\nb\n# C\nc{+ changed+}\n# D\nd\n[Unchanged section not shown: E]"
    );
}
