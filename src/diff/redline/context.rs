//! A redline limited to its changed sections (`diff --context N`).

use crate::model::{Block, Inline};

/// Whether a redline marks anything.
pub fn has_changes(blocks: &[Block]) -> bool {
    blocks.iter().any(block_changed)
}

fn block_changed(block: &Block) -> bool {
    match block {
        Block::Revised(..) => true,
        Block::Heading(h) => inlines_changed(&h.content),
        Block::Paragraph(p) => inlines_changed(p),
        Block::List(l) => l.items.iter().any(|i| has_changes(&i.blocks)),
        Block::BlockQuote(inner) => has_changes(inner),
        Block::Table(t) => {
            t.header.iter().any(|c| inlines_changed(c))
                || t.rows.iter().flatten().any(|c| inlines_changed(c))
        }
        Block::Code { .. } | Block::Rule | Block::Html(_) => false,
    }
}

fn inlines_changed(inlines: &[Inline]) -> bool {
    inlines.iter().any(|i| match i {
        Inline::Revised(..) => true,
        Inline::Emphasis(c)
        | Inline::Strong(c)
        | Inline::Strikethrough(c)
        | Inline::Marked(_, c)
        | Inline::Link { content: c, .. } => inlines_changed(c),
        _ => false,
    })
}

/// Limits a redline to the sections with changes and `n` sections on either side of them
/// (`diff --context N`); each run of sections left out is one line saying how many and which.
/// A section runs from a heading (of any level) to the next; the text before the first
/// heading is one too.
pub fn limit_context(blocks: Vec<Block>, n: usize) -> Vec<Block> {
    let mut sections: Vec<Vec<Block>> = vec![Vec::new()];
    for block in blocks {
        if matches!(block, Block::Heading(_)) && sections.last().is_some_and(|s| !s.is_empty()) {
            sections.push(Vec::new());
        }
        if let Some(s) = sections.last_mut() {
            s.push(block);
        }
    }
    let changed: Vec<usize> = sections
        .iter()
        .enumerate()
        .filter(|(_, s)| has_changes(s))
        .map(|(i, _)| i)
        .collect();
    let keep = |i: usize| changed.iter().any(|c| c.abs_diff(i) <= n);
    // A section shown keeps the headings above it (its chapter's, its part's), so that it is
    // never read as part of the section shown before it.
    let level = |s: &[Block]| match s.first() {
        Some(Block::Heading(h)) => h.level,
        _ => 0,
    };
    let levels: Vec<u8> = sections.iter().map(|s| level(s)).collect();
    let mut heading_only = vec![false; sections.len()];
    for i in (0..sections.len()).filter(|i| keep(*i)) {
        let mut below = levels.get(i).copied().unwrap_or(0);
        for j in (0..i).rev() {
            let l = levels.get(j).copied().unwrap_or(0);
            if l > 0 && l < below {
                below = l;
                if !keep(j)
                    && let Some(h) = heading_only.get_mut(j)
                {
                    *h = true;
                }
            }
        }
    }
    let mut out = Vec::new();
    let mut left_out: Vec<String> = Vec::new();
    let flush = |left_out: &mut Vec<String>, out: &mut Vec<Block>| {
        if left_out.is_empty() {
            return;
        }
        let names: Vec<String> = left_out.iter().filter(|t| !t.is_empty()).cloned().collect();
        let count = left_out.len();
        let text = match names.as_slice() {
            [] => format!("[{count} unchanged part not shown]"),
            [one] if count == 1 => format!("[Unchanged section not shown: {one}]"),
            _ => format!(
                "[{count} unchanged sections not shown: {}]",
                names.join(", ")
            ),
        };
        out.push(Block::Paragraph(vec![Inline::Emphasis(vec![
            Inline::Text(text),
        ])]));
        left_out.clear();
    };
    for (i, section) in sections.into_iter().enumerate() {
        if keep(i) {
            flush(&mut left_out, &mut out);
            out.extend(section);
        } else if heading_only.get(i).copied().unwrap_or(false) {
            flush(&mut left_out, &mut out);
            let more = section.len() > 1;
            out.extend(section.into_iter().take(1));
            if more {
                out.push(Block::Paragraph(vec![Inline::Emphasis(vec![
                    Inline::Text("[Unchanged text of this section not shown]".to_string()),
                ])]));
            }
        } else {
            left_out.push(match section.first() {
                Some(Block::Heading(h)) => h.text.clone(),
                _ => String::new(),
            });
        }
    }
    flush(&mut left_out, &mut out);
    out
}
