//! The PDF rendition (SPEC §7): [`layout`] (the document model into positioned items, in
//! points, no PDF types) then [`write`](mod@write) (the only code that knows printpdf).
//!
//! - [`fonts`]: the embedded DejaVu faces and their metrics.
//! - [`text`]: line breaking by font metrics and UAX #14.
//! - [`layout`]: pages of positioned items.
//! - [`write`](mod@write): PDF bytes, reproducible.

pub mod fit;
pub mod fonts;
pub mod hyphenate;
pub mod layout;
pub mod text;
pub mod write;

use super::{RenderError, RenderJob, RenderWarning, Rendition};

/// The PDF rendition of `job`. `date` (seconds since the Unix epoch) is written as the
/// document's creation date: the release date, or `SOURCE_DATE_EPOCH`, never the clock, so the
/// same input gives the same bytes.
///
/// # Errors
/// [`RenderError::Pdf`] when the PDF cannot be written.
pub fn pdf(job: &RenderJob<'_>, date: i64) -> Result<Rendition, RenderError> {
    let doc = crate::model::Document::parse(job.sop.body(), job.sop.body_first_line());
    pdf_of(job, doc, date, super::Contents::Listed)
}

/// The PDF rendition of `doc`, a body made for `job`'s document (the document itself, or a
/// redline of it), with or without a table of contents; otherwise as [`pdf`].
///
/// # Errors
/// [`RenderError::Pdf`] when the PDF cannot be written.
pub fn pdf_of(
    job: &RenderJob<'_>,
    doc: crate::model::Document,
    date: i64,
    contents: super::Contents<'_>,
) -> Result<Rendition, RenderError> {
    let laid = layout::layout_with(
        &doc,
        &job.meta,
        job.files,
        &job.doc_relative,
        job.paper,
        contents,
    );
    let mut warnings = RenderWarning::nesting(&doc);
    // The model is as large as the layout again: let it go before the PDF is written.
    drop(doc);
    warnings.extend(laid.warnings);
    let text = job.sop.source.text();
    // Offsets are located in file order, with one locator: linear in the text however many
    // characters are missing or lines are right to left.
    let mut locator = job.sop.source.locator();
    let mut first_seen: std::collections::HashMap<char, crate::doc::Location> =
        std::collections::HashMap::new();
    if !laid.missing.is_empty() {
        let missing: std::collections::HashSet<char> = laid.missing.iter().copied().collect();
        for (offset, c) in text.char_indices() {
            if missing.contains(&c) && !first_seen.contains_key(&c) {
                first_seen.insert(c, locator.locate(offset));
                if first_seen.len() == missing.len() {
                    break;
                }
            }
        }
    }
    for c in &laid.missing {
        let at = first_seen
            .get(c)
            .copied()
            .unwrap_or(crate::doc::Location { line: 1, column: 1 });
        warnings.push(RenderWarning::MissingGlyph {
            c: *c,
            line: at.line,
            column: at.column,
        });
    }
    if let Some((at, more)) = fonts::right_to_left_text(job.sop) {
        warnings.push(RenderWarning::RightToLeft {
            line: at.line,
            column: at.column,
            more,
        });
    }
    let meta = &job.meta;
    let info = write::DocInfo {
        title: if meta.id.is_empty() {
            meta.title.clone()
        } else {
            format!("{} {}", meta.id, meta.title)
        },
        author: meta.owner.clone(),
        subject: if meta.redline {
            format!(
                "Redline of a standard operating procedure, {}",
                meta.version
            )
        } else {
            format!("Standard operating procedure, version {}", meta.version)
        },
        keywords: [
            meta.id.clone(),
            "SOP".to_string(),
            format!("version {}", meta.version),
        ]
        .into_iter()
        .filter(|k| !k.is_empty())
        .collect(),
        date,
        lang: meta.lang.clone(),
        identity: super::IDENTITY
            .iter()
            .zip(meta.identity())
            .map(|((key, _), value)| ((*key).to_string(), value))
            .collect(),
    };
    let bytes = write::write(laid.doc, &info).map_err(|e| RenderError::Pdf(e.to_string()))?;
    Ok(Rendition { bytes, warnings })
}
