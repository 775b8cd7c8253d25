//! HTML: the document model as one self-contained HTML file (SPEC §7).
//!
//! The body is written here from the shared model ([`crate::model`]); the page around it (title
//! block, metadata, table of contents, status mark, styles) comes from the `page.html` and
//! `style.css` templates, built in or overridden by the repository's `templates/`. Styles are
//! inlined and images embedded as `data:` URIs, so the file works when mailed or downloaded.
//!
//! Safe by default: raw HTML in the Markdown is shown as text, except the inline tags GitHub
//! renders, which the model has already read as their meaning (`<br>`, `<sup>`, …, see
//! [`crate::doc::inline_html`]) and which are written here as sopctl's own elements. With
//! `allow_html = true` raw HTML passes through the ammonia sanitiser. In every mode,
//! `javascript:`, `vbscript:` and `data:` link targets ([`crate::doc::links::UNSAFE_SCHEMES`])
//! are dropped however they are cased, spaced or entity-encoded (comrak decodes entities in
//! link destinations; white space and control characters are ignored when the scheme is read),
//! and no `<script>` or event-handler attribute reaches the page.

use std::fmt::Write as _;

use base64::Engine as _;

use super::images::{self, FileSource};
use super::{RenderJob, RenderWarning};
use crate::model::{Align, Block, Document, Footnote, Inline, List, Revision, Table};

/// HTML-escapes text for element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `html` (escaped text) with every date (`2026-08-23`), version (`v1.1.0`) and ID-like word
/// of capitals, digits and hyphens (`SOP-IT-001`, `SHA-256`; at most 24 characters) in a
/// `<span class="nowrap">`, so that a browser never breaks one at its hyphens (issue 20: on a
/// phone, a narrow table column broke "2026-08-/23").
pub fn keep_whole(html: &str) -> std::borrow::Cow<'_, str> {
    // Every word kept whole has a hyphen or a full stop: text without either is left as it is,
    // without a copy (most of a document's text).
    if !html.contains(['-', '.']) {
        return std::borrow::Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find(|c: char| c.is_ascii_alphanumeric()) {
        let (before, from) = rest.split_at(start);
        out.push_str(before);
        let len = from
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '.'))
            .unwrap_or(from.len());
        // A full stop ending a sentence is not part of the word.
        let len = from[..len].trim_end_matches('.').len();
        let word = &from[..len];
        // An entity's name (`&amp;`) is not a word.
        if whole_word(word) && !before.ends_with('&') {
            out.push_str("<span class=\"nowrap\">");
            out.push_str(word);
            out.push_str("</span>");
        } else {
            out.push_str(word);
        }
        rest = &from[len..];
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// Whether `word` is a date `YYYY-MM-DD`, an ID (capitals and digits in at least two parts
/// joined by single hyphens, starting with a capital, at most 24 characters) or a version
/// (`1.1`, `v1.1.0`).
fn whole_word(word: &str) -> bool {
    let bytes = word.as_bytes();
    let date = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        });
    let id = word.len() <= 24
        && word.starts_with(|c: char| c.is_ascii_uppercase())
        && word.contains('-')
        && word.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        });
    // A version: `1.1`, `v1.1.0`.
    let number = word.strip_prefix('v').unwrap_or(word);
    let version = (2..=4).contains(&number.split('.').count())
        && number
            .split('.')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()));
    date || id || version
}

/// The element a redline's mark is written as: `del` for text gone from the later version,
/// `ins` otherwise (HTML 5.2 §4.7).
fn revision_tag(revision: Revision) -> &'static str {
    if revision.is_removal() { "del" } else { "ins" }
}

/// The classes `style.css` draws a redline's mark with (`rl rl-inserted`, `rl rl-moved-from`…).
fn revision_class(revision: Revision) -> &'static str {
    match revision {
        Revision::Inserted => "rl rl-inserted",
        Revision::Deleted => "rl rl-deleted",
        Revision::MovedTo => "rl rl-moved-to",
        Revision::MovedFrom => "rl rl-moved-from",
    }
}

/// The id of a reference to note `number`: `fnref:2` for the first, `fnref:2:3` for the third.
fn reference_id(number: u32, occurrence: u32) -> String {
    if occurrence <= 1 {
        format!("fnref:{number}")
    } else {
        format!("fnref:{number}:{occurrence}")
    }
}

/// Writes the body of `doc` as HTML.
pub(crate) struct BodyWriter<'a> {
    pub(crate) job: &'a RenderJob<'a>,
    pub(crate) files: &'a dyn FileSource,
    pub(crate) warnings: Vec<RenderWarning>,
    pub(crate) out: String,
    /// Each image read and checked once: its media type and base64 text, or what is wrong.
    pub(crate) images: std::collections::HashMap<
        String,
        Result<std::rc::Rc<(String, String)>, images::ImageProblem>,
    >,
    /// Bytes of image files embedded so far, each time shown ([`images::MAX_HTML_EMBEDDED_BYTES`]).
    pub(crate) embedded: u64,
    /// Inside a redline's deletion: a note mark there is written without the id and link the
    /// same mark in the later text has.
    pub(crate) in_removal: bool,
}

impl BodyWriter<'_> {
    pub(crate) fn document(&mut self, doc: &Document) {
        self.blocks(&doc.blocks, false);
        self.footnotes(&doc.footnotes);
    }

    /// The notes, each once, its paragraphs kept, with a link back to each reference. The ids
    /// hold a `:`, which no heading anchor has (see [`crate::doc::anchors`]), so they never
    /// clash with one.
    fn footnotes(&mut self, notes: &[Footnote]) {
        if notes.is_empty() {
            return;
        }
        self.out
            .push_str("<section class=\"footnotes\" aria-label=\"Footnotes\">\n<ol>\n");
        for note in notes {
            let _ = writeln!(self.out, "<li id=\"fn:{}\">", note.number);
            self.blocks(&note.blocks, false);
            let mut back = String::new();
            for occurrence in 1..=note.references {
                let id = reference_id(note.number, occurrence);
                let _ = if note.references == 1 {
                    write!(
                        back,
                        " <a href=\"#{id}\" class=\"footnote-back\" aria-label=\"Back to the text\">↩</a>"
                    )
                } else {
                    write!(
                        back,
                        " <a href=\"#{id}\" class=\"footnote-back\" aria-label=\"Back to reference {occurrence}\">↩<sup>{occurrence}</sup></a>"
                    )
                };
            }
            // Inside the last paragraph, if the note ends with one.
            match self.out.strip_suffix("</p>\n").map(str::len) {
                Some(end) => {
                    self.out.truncate(end);
                    let _ = writeln!(self.out, "{back}</p>\n</li>");
                }
                None => {
                    let _ = writeln!(self.out, "{back}\n</li>");
                }
            }
        }
        self.out.push_str("</ol>\n</section>\n");
    }

    pub(crate) fn blocks(&mut self, blocks: &[Block], tight: bool) {
        for b in blocks {
            self.block(b, tight);
        }
    }

    fn block(&mut self, block: &Block, tight: bool) {
        match block {
            Block::Heading(h) => {
                let _ = write!(self.out, "<h{} id=\"{}\">", h.level, escape(&h.anchor));
                self.inlines(&h.content);
                let _ = writeln!(self.out, "</h{}>", h.level);
            }
            Block::Paragraph(content) if tight => {
                self.inlines(content);
                self.out.push('\n');
            }
            Block::Paragraph(content) => {
                self.out.push_str("<p>");
                self.inlines(content);
                self.out.push_str("</p>\n");
            }
            Block::List(list) => self.list(list),
            Block::BlockQuote(inner) => {
                self.out.push_str("<blockquote>\n");
                self.blocks(inner, false);
                self.out.push_str("</blockquote>\n");
            }
            Block::Code { info, text } => {
                let lang = info.split_whitespace().next().unwrap_or("");
                if lang.is_empty() {
                    self.out.push_str("<pre><code>");
                } else {
                    let _ = write!(self.out, "<pre><code class=\"language-{}\">", escape(lang));
                }
                self.out.push_str(&escape(text));
                self.out.push_str("</code></pre>\n");
            }
            Block::Table(table) => self.table(table),
            Block::Revised(revision, inner) => {
                let _ = writeln!(
                    self.out,
                    "<{tag} class=\"{class} rl-block\">",
                    tag = revision_tag(*revision),
                    class = revision_class(*revision)
                );
                self.blocks(inner, tight);
                let _ = writeln!(self.out, "</{}>", revision_tag(*revision));
            }
            Block::Rule => self.out.push_str("<hr>\n"),
            Block::Html(raw) => {
                if self.job.allow_html {
                    self.out.push_str(raw);
                } else {
                    let _ = writeln!(
                        self.out,
                        "<pre class=\"raw-html\">{}</pre>",
                        escape(raw.trim_end())
                    );
                }
            }
        }
    }

    fn list(&mut self, list: &List) {
        let tag = if list.ordered { "ol" } else { "ul" };
        let is_tasks = list.items.iter().any(|i| i.task.is_some());
        if list.ordered && list.start != 1 {
            let _ = writeln!(self.out, "<ol start=\"{}\">", list.start);
        } else if is_tasks {
            let _ = writeln!(self.out, "<{tag} class=\"tasks\">");
        } else {
            let _ = writeln!(self.out, "<{tag}>");
        }
        // A redline's removed items take no number: the items after one say theirs.
        let numbered_after_removed = list.ordered && list.items.iter().any(|i| i.is_removed());
        let mut number = list.start;
        for item in &list.items {
            if item.is_removed() {
                self.out.push_str("<li class=\"rl-removed-item\">");
            } else if numbered_after_removed {
                let _ = write!(self.out, "<li value=\"{number}\">");
                number += 1;
            } else {
                self.out.push_str("<li>");
            }
            if let Some(done) = item.task {
                // A printed glyph rather than a form control: it prints black, like the PDF.
                let _ = write!(
                    self.out,
                    "<span class=\"task-box\" role=\"img\" aria-label=\"{}\">{}</span> ",
                    if done { "done" } else { "not done" },
                    if done { "☒" } else { "☐" }
                );
            }
            self.blocks(&item.blocks, list.tight);
            self.out.push_str("</li>\n");
        }
        let _ = writeln!(self.out, "</{tag}>");
    }

    fn table(&mut self, table: &Table) {
        let align = |i: usize| match table.alignments.get(i) {
            Some(Align::Left) => " class=\"left\"",
            Some(Align::Center) => " class=\"center\"",
            Some(Align::Right) => " class=\"right\"",
            _ => "",
        };
        // A table wider than the screen scrolls in its own box: a region that can take the
        // keyboard's focus and is named by its columns (WCAG 2.1.1; axe's
        // `scrollable-region-focusable`).
        let columns: Vec<String> = table
            .header
            .iter()
            .map(|c| crate::model::inline_text(c))
            .collect();
        let mut label = format!("Table: {}", columns.join(", "));
        if let Some((cut, _)) = label.char_indices().nth(100) {
            label.truncate(cut);
            label.push('…');
        }
        let _ = write!(
            self.out,
            "<div class=\"table\" role=\"region\" tabindex=\"0\" aria-label=\"{}\"><table>\n<thead><tr>",
            escape(&label)
        );
        for (i, cell) in table.header.iter().enumerate() {
            let _ = write!(self.out, "<th{}>", align(i));
            self.inlines(cell);
            self.out.push_str("</th>");
        }
        self.out.push_str("</tr></thead>\n");
        if !table.rows.is_empty() {
            self.out.push_str("<tbody>\n");
            for row in &table.rows {
                self.out.push_str("<tr>");
                for (i, cell) in row.iter().enumerate() {
                    let _ = write!(self.out, "<td{}>", align(i));
                    self.inlines(cell);
                    self.out.push_str("</td>");
                }
                self.out.push_str("</tr>\n");
            }
            self.out.push_str("</tbody>\n");
        }
        self.out.push_str("</table></div>\n");
    }

    fn inlines(&mut self, inlines: &[Inline]) {
        for inline in inlines {
            self.inline(inline);
        }
    }

    fn inline(&mut self, inline: &Inline) {
        match inline {
            Inline::Text(t) => self.out.push_str(&keep_whole(&escape(t))),
            Inline::Code(c) => {
                let _ = write!(self.out, "<code>{}</code>", escape(c));
            }
            Inline::Emphasis(c) => self.wrap("em", c),
            Inline::Strong(c) => self.wrap("strong", c),
            Inline::Strikethrough(c) => self.wrap("del", c),
            Inline::Marked(element, c) => self.wrap(element.tag(), c),
            Inline::Revised(revision, c) => {
                let tag = revision_tag(*revision);
                let _ = write!(self.out, "<{tag} class=\"{}\">", revision_class(*revision));
                let outer = self.in_removal;
                self.in_removal = outer || revision.is_removal();
                self.inlines(c);
                self.in_removal = outer;
                let _ = write!(self.out, "</{tag}>");
            }
            Inline::Link {
                target,
                title,
                content,
            } => {
                if crate::doc::links::is_safe(target) {
                    let title = if title.is_empty() {
                        String::new()
                    } else {
                        format!(" title=\"{}\"", escape(title))
                    };
                    let _ = write!(
                        self.out,
                        "<a href=\"{}\"{title}>",
                        escape(&crate::doc::links::href(&self.job.link_target(target)))
                    );
                    self.inlines(content);
                    self.out.push_str("</a>");
                } else {
                    self.inlines(content);
                }
            }
            Inline::Image { source, title, alt } => self.image(source, title, alt),
            Inline::SoftBreak => self.out.push('\n'),
            Inline::LineBreak => self.out.push_str("<br>\n"),
            Inline::Html(raw) => {
                if self.job.allow_html {
                    self.out.push_str(raw);
                } else {
                    self.out.push_str(&escape(raw));
                }
            }
            Inline::FootnoteRef { number, .. } if self.in_removal => {
                let _ = write!(self.out, "<sup class=\"footnote-ref\">{number}</sup>");
            }
            Inline::FootnoteRef {
                number, occurrence, ..
            } => {
                let id = reference_id(*number, *occurrence);
                let _ = write!(
                    self.out,
                    "<sup class=\"footnote-ref\"><a href=\"#fn:{number}\" id=\"{id}\">{number}</a></sup>"
                );
            }
        }
    }

    fn wrap(&mut self, tag: &str, content: &[Inline]) {
        let _ = write!(self.out, "<{tag}>");
        self.inlines(content);
        let _ = write!(self.out, "</{tag}>");
    }

    fn image(&mut self, source: &str, title: &str, alt: &str) {
        let (job, files) = (self.job, self.files);
        let resolved = self
            .images
            .entry(source.to_string())
            .or_insert_with(|| {
                images::resolve(source, &job.doc_relative, files)
                    .and_then(|image| images::verify(&image).map(|()| image))
                    .map(|image| {
                        let data = base64::engine::general_purpose::STANDARD.encode(&image.bytes);
                        std::rc::Rc::new((image.format.media_type().to_string(), data))
                    })
            })
            .clone()
            .and_then(|image| {
                let size = image.1.len() as u64;
                if self.embedded + size > images::MAX_HTML_EMBEDDED_BYTES {
                    return Err(images::ImageProblem::TooMuchEmbedded);
                }
                self.embedded += size;
                Ok(image)
            });
        match resolved {
            Ok(image) => {
                let (media_type, data) = &*image;
                let title = if title.is_empty() {
                    String::new()
                } else {
                    format!(" title=\"{}\"", escape(title))
                };
                let _ = write!(
                    self.out,
                    "<img src=\"data:{media_type};base64,{data}\" alt=\"{}\"{title}>",
                    escape(alt)
                );
            }
            Err(problem) => {
                self.warnings.push(RenderWarning::Image {
                    source: source.to_string(),
                    problem,
                });
                let _ = write!(
                    self.out,
                    "<span class=\"image-missing\" role=\"img\" aria-label=\"{0}\">[image: {0}]</span>",
                    escape(if alt.is_empty() { source } else { alt })
                );
            }
        }
    }
}

/// Cleans HTML written by the body writer plus the raw HTML a repository allows
/// (`allow_html = true`): ammonia's safe set, with the ids, classes and elements sopctl writes
/// itself kept, and `data:` allowed only for embedded images.
pub fn sanitize(html: &str) -> String {
    let mut builder = ammonia::Builder::default();
    builder
        .add_generic_attributes(["id", "class", "aria-label", "role", "title"])
        .add_tags([
            "input",
            "section",
            "sup",
            "sub",
            "kbd",
            "ins",
            "del",
            "mark",
            "figure",
            "figcaption",
            "details",
            "summary",
        ])
        .add_tag_attributes("input", ["type", "disabled", "checked"])
        .add_tag_attributes("ol", ["start"])
        .add_tag_attributes("li", ["value"])
        .add_tag_attributes("img", ["src", "alt", "title", "width", "height"])
        .add_url_schemes(["data"])
        .link_rel(None)
        .attribute_filter(|element, attribute, value| {
            let is_data = value.trim_start().to_ascii_lowercase().starts_with("data:");
            if is_data
                && !(element == "img" && attribute == "src" && value.starts_with("data:image/"))
            {
                return None;
            }
            // Images only from inside the file: a web image would make the page depend on the
            // network and could tell a third party who reads it.
            if element == "img" && attribute == "src" && !value.starts_with("data:image/") {
                return None;
            }
            if attribute == "type" && element == "input" && value != "checkbox" {
                return None;
            }
            Some(value.into())
        });
    builder.clean(html).to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_and_ids_are_kept_whole_and_nothing_else_is_touched() {
        assert_eq!(
            super::keep_whole(
                "Due 2026-08-23 for SOP-IT-001 (SHA-256), not e-mail &amp; A-b 1-2 x2026-08-23"
            ),
            "Due <span class=\"nowrap\">2026-08-23</span> for <span class=\"nowrap\">SOP-IT-001</span> (<span class=\"nowrap\">SHA-256</span>), not e-mail &amp; A-b 1-2 x2026-08-23"
        );
        assert_eq!(
            super::keep_whole("SOP-1/v1.1.0, in 1.2. Not 1.2.3.4.5 or v1 or 1..2"),
            "<span class=\"nowrap\">SOP-1</span>/<span class=\"nowrap\">v1.1.0</span>, in <span class=\"nowrap\">1.2</span>. Not 1.2.3.4.5 or v1 or 1..2"
        );
        assert_eq!(
            super::keep_whole("&lt;A-1&gt;"),
            "&lt;<span class=\"nowrap\">A-1</span>&gt;"
        );
        assert_eq!(
            super::keep_whole("ABCDEFGHIJ-KLMNOPQRST-UVWXYZ"),
            "ABCDEFGHIJ-KLMNOPQRST-UVWXYZ"
        );
        assert_eq!(super::keep_whole("SOP--1 -A"), "SOP--1 -A");
    }

    use super::*;

    #[test]
    fn the_sanitiser_removes_scripts_and_handlers_but_keeps_our_markup() {
        let out = sanitize(
            "<h2 id=\"scope\">Scope</h2><script>alert(1)</script><p onclick=\"x()\" style=\"position:fixed\">a<img src=\"data:image/png;base64,AA\" alt=\"d\" onerror=\"x()\"><img src=\"https://tracker.example/p.gif\"></p><a href=\"javascript:x\">j</a><a href=\"data:text/html,x\">d</a><input type=\"checkbox\" disabled checked>",
        );
        assert!(!out.contains("script"), "{out}");
        assert!(
            !out.contains("onclick") && !out.contains("onerror"),
            "{out}"
        );
        assert!(out.contains("<h2 id=\"scope\">"), "{out}");
        assert!(out.contains("src=\"data:image/png;base64,AA\""), "{out}");
        assert!(
            !out.contains("javascript") && !out.contains("data:text"),
            "{out}"
        );
        assert!(
            out.contains("<input type=\"checkbox\" disabled=\"\" checked=\"\">"),
            "{out}"
        );
    }

    /// A PNG of 2 × 2 pixels, and how often a source read it.
    struct Counting {
        png: Vec<u8>,
        reads: std::cell::Cell<usize>,
    }

    impl FileSource for Counting {
        fn read(&self, _relative: &std::path::Path) -> Option<Vec<u8>> {
            self.reads.set(self.reads.get() + 1);
            Some(self.png.clone())
        }
    }

    #[test]
    fn an_image_is_read_once_and_the_page_carries_at_most_the_limit() {
        let mut png = std::io::Cursor::new(Vec::new());
        image::RgbImage::from_raw(2, 2, vec![9; 12])
            .expect("pixels")
            .write_to(&mut png, image::ImageFormat::Png)
            .expect("encode");
        let files = Counting {
            png: png.into_inner(),
            reads: std::cell::Cell::new(0),
        };
        let sop = crate::doc::Sop::from_bytes(
            std::path::Path::new("a.md"),
            b"---\nid: A\n---\n![x](x.png)\n".to_vec(),
        )
        .expect("sop");
        let settings = crate::render::RenderSettings::default();
        let job = RenderJob::new(&settings, &sop, "a.md".into(), &files, None);
        let mut writer = BodyWriter {
            job: &job,
            files: &files,
            warnings: Vec::new(),
            out: String::new(),
            images: Default::default(),
            embedded: 0,
            in_removal: false,
        };
        for _ in 0..100 {
            writer.image("x.png", "", "x");
        }
        assert_eq!(files.reads.get(), 1);
        assert_eq!(
            writer
                .out
                .matches("<img src=\"data:image/png;base64,")
                .count(),
            100
        );
        // Near the limit, the next copy is its alt text, with the reason.
        writer.embedded = images::MAX_HTML_EMBEDDED_BYTES - 1;
        writer.image("x.png", "", "x");
        assert!(writer.out.ends_with("[image: x]</span>"), "{}", writer.out);
        assert!(matches!(
            writer.warnings.as_slice(),
            [RenderWarning::Image {
                problem: images::ImageProblem::TooMuchEmbedded,
                ..
            }]
        ));
    }
}
