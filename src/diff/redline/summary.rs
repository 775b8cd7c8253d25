//! The first page of a redline: which versions, their dates and standing, who changed the
//! document, how much changed, the front-matter values that changed, and how to read the marks
//! (issue 18 item 1). Made as ordinary blocks, so the PDF and the HTML draw it as they draw the
//! document.

use super::super::{DocDiff, format};
use crate::model::{Align, Block, Inline, Revision, Table};

/// One of the two versions, as the summary names it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Side {
    /// `1.0`, `working copy`.
    pub label: String,
    /// Effective date, `YYYY-MM-DD`, or empty.
    pub effective: String,
    /// Status as the version's front matter gives it (`effective`, `draft`…).
    pub status: String,
}

/// What the summary says besides the comparison itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// The earlier version.
    pub from: Side,
    /// The later version.
    pub to: Side,
    /// Who changed the document between the two: the authors of the commits that changed its
    /// file, each once, in order of their first change.
    pub authors: Vec<String>,
}

fn text(t: &str) -> Vec<Inline> {
    vec![Inline::Text(t.to_string())]
}

fn or_dash(t: &str) -> Vec<Inline> {
    text(if t.is_empty() { "—" } else { t })
}

/// The summary's blocks, ending with a rule before the document.
pub fn summary(diff: &DocDiff, facts: &Facts) -> Vec<Block> {
    let named = |label: &str| {
        if label == "working copy" {
            "the working copy".to_string()
        } else {
            format!("version {label}")
        }
    };
    let mut out = vec![
        Block::Paragraph(vec![Inline::Strong(text(&format!(
            "Changes from {} to {}",
            named(&facts.from.label),
            named(&facts.to.label)
        )))]),
        Block::Paragraph(text(
            "A redline is for review: work to the released copy of a version, not to this document.",
        )),
    ];
    let row = |what: &str, a: &str, b: &str| vec![text(what), or_dash(a), or_dash(b)];
    out.push(Block::Table(Table {
        alignments: vec![Align::None; 3],
        header: vec![text(""), text("Earlier"), text("Later")],
        rows: vec![
            row("Version", &facts.from.label, &facts.to.label),
            row("Effective", &facts.from.effective, &facts.to.effective),
            row("Status", &facts.from.status, &facts.to.status),
        ],
    }));
    let authors = if facts.authors.is_empty() {
        "no commit between the two versions names an author".to_string()
    } else {
        facts.authors.join(", ")
    };
    out.push(Block::Paragraph(vec![
        Inline::Strong(text("Changed by: ")),
        Inline::Text(authors),
    ]));
    let counts = if diff.sections.is_empty() {
        "No change to the text.".to_string()
    } else {
        format!("{}.", format::counts_line(diff))
    };
    out.push(Block::Paragraph(vec![
        Inline::Strong(text("What changed: ")),
        Inline::Text(counts),
    ]));
    // Values a person writes in the front matter, before and after (issue 18 item 2); the
    // version, effective date and status are in the table above.
    let written: Vec<_> = diff
        .managed
        .iter()
        .filter(|c| !matches!(c.what.as_str(), "version" | "effective" | "status"))
        .collect();
    if !written.is_empty() {
        out.push(Block::Paragraph(vec![Inline::Strong(text(
            "Front matter changed:",
        ))]));
        out.push(Block::Table(Table {
            alignments: vec![Align::None; 3],
            header: vec![text("Value"), text("Before"), text("After")],
            rows: written
                .iter()
                .map(|c| {
                    vec![
                        text(&c.what),
                        super::inline::mark(&or_dash(&c.from), Revision::Deleted),
                        super::inline::mark(&or_dash(&c.to), Revision::Inserted),
                    ]
                })
                .collect(),
        }));
    }
    if diff.history_changed {
        out.push(Block::Paragraph(text(
            "The revision-history table has new rows, written by sopctl release: they are not marked as changes.",
        )));
    }
    out.push(Block::Paragraph(legend()));
    out.push(Block::Rule);
    out
}

/// How to read the marks, each shown as it is drawn.
fn legend() -> Vec<Inline> {
    let mut out = vec![Inline::Strong(text("How to read it: "))];
    let marks = [
        (Revision::Inserted, "inserted text", " underlined"),
        (Revision::Deleted, "deleted text", " struck through"),
        (Revision::MovedFrom, "moved away", " struck twice"),
        (Revision::MovedTo, "moved here", " underlined twice"),
    ];
    for (revision, sample, how) in marks {
        out.push(Inline::Revised(revision, text(sample)));
        out.push(Inline::Text(format!("{how}; ")));
    }
    out.push(Inline::Text(
        "a bar in the left margin marks each line with a change.".to_string(),
    ));
    out
}
