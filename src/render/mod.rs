//! MODEL → LAYOUT → WRITE: renditions of a document (SPEC §7).
//!
//! Takes a [`RenderJob`] (the parsed document, what to print around it, where its images come
//! from), reads the body into the shared model ([`crate::model`]) and returns the bytes of a
//! rendition plus warnings. It writes no files: callers decide where renditions go
//! ([`output_path`]) and write them atomically.
//!
//! - [`images`]: image references resolved inside the repository.
//! - [`html`](mod@html): the self-contained HTML rendition.
//! - [`pdf`]: the PDF rendition: layout, then the writer.

pub mod html;
pub mod images;
pub mod pdf;
pub mod redline;
pub mod released;

use std::path::{Path, PathBuf};

use jiff::civil::Date;

use crate::doc::{Sop, Status};
use crate::templates::{self, TemplateError};
use crate::version::DocVersion;

/// What is printed around the body: the title block, metadata, header and footer.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RenderMeta {
    /// Organisation name (`organization` in `sopctl.toml`), possibly empty.
    pub organization: String,
    /// Document ID, possibly empty for a lone file.
    pub id: String,
    /// Title, possibly empty for a lone file.
    pub title: String,
    /// The version in SOP form (`1.1`).
    pub version: String,
    /// Effective date, `YYYY-MM-DD`, possibly empty.
    pub effective: String,
    /// Owner, possibly empty.
    pub owner: String,
    /// Status name (`draft`, `effective`, …).
    pub status: String,
    /// Next periodic review, `YYYY-MM-DD`, possibly empty.
    pub next_review: String,
    /// The short commit id of a released version, else empty.
    pub commit: String,
    /// Set when the working copy has changes that are not released: shown as a draft.
    pub unreleased: bool,
    /// The uncontrolled-copy notice (`footer` in `sopctl.toml`), or the controlled copy's
    /// number and holder.
    pub footer: String,
    /// What a copy of a version no longer in force says on every page, first in the footer
    /// and under the title (issue 16): `Superseded by version 1.1, effective 2026-03-01`.
    /// Empty for a copy in force.
    pub notice: String,
    /// The document language (`lang` in the front matter, default `en`).
    pub lang: String,
    /// The signature manifest of a released version (21 CFR 11.50): printed name, role, date
    /// and time (UTC) and meaning of each approval.
    pub approvals: Vec<crate::lifecycle::Approval>,
    /// Set for a redline ([`redline`]): it carries no [`IDENTITY`], so that `verify FILE`
    /// never takes it for a copy of the version.
    pub redline: bool,
    /// The deepest heading level the table of contents lists (`toc_depth`, 1 to 6).
    pub toc_depth: u8,
    /// Paragraphs set flush to both margins in the PDF (`justify`).
    pub justify: bool,
}

impl RenderMeta {
    /// The metadata of `sop`, read leniently (missing values are blank).
    pub fn of(sop: &Sop, organization: &str, footer: &str, commit: Option<&str>) -> RenderMeta {
        let m = &sop.metadata;
        let lang = document_language(sop).unwrap_or_else(|| "en".to_string());
        RenderMeta {
            organization: organization.to_string(),
            id: m.id.as_ref().map(ToString::to_string).unwrap_or_default(),
            title: m.title.clone().unwrap_or_else(|| fallback_title(sop)),
            // A file without front matter has no version to show.
            version: if sop.front_matter.is_some() {
                m.version_or_default().to_string()
            } else {
                String::new()
            },
            effective: m.effective.map(|d| d.to_string()).unwrap_or_default(),
            owner: m.owner.clone().unwrap_or_default(),
            status: m.status_or_default().to_string(),
            next_review: m
                .next_review(m.effective)
                .map(|d: Date| d.to_string())
                .unwrap_or_default(),
            commit: commit.unwrap_or_default().to_string(),
            unreleased: false,
            footer: footer.to_string(),
            lang,
            approvals: Vec::new(),
            notice: String::new(),
            redline: false,
            toc_depth: 3,
            justify: false,
        }
    }

    /// The line at the foot of every page, PDF and printed HTML alike: the notice of a copy
    /// no longer in force, the footer notice, the status when it is not `effective` (and no
    /// notice says so already), and the commit a released version was built from, joined by
    /// ` · `.
    pub fn footer_line(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if !self.notice.is_empty() {
            parts.push(self.notice.clone());
        }
        if !self.footer.is_empty() {
            parts.push(self.footer.clone());
        }
        // The notice already says the version is not in force.
        if self.status != "effective" && self.notice.is_empty() {
            parts.push(format!("Status: {}", self.status));
        }
        if !self.commit.is_empty() {
            parts.push(format!("Built from commit {}", self.commit));
        }
        parts.join(" · ")
    }

    /// Marks the metadata as that of a working copy with unreleased changes: a draft of the next
    /// version, not yet in effect (a superseded or obsolete status is kept).
    pub fn mark_unreleased(&mut self) {
        self.unreleased = true;
        if !matches!(
            Status::parse(&self.status),
            Some(Status::Superseded | Status::Obsolete)
        ) {
            self.status = Status::Draft.to_string();
        }
        self.effective = String::new();
        self.commit = String::new();
    }

    /// The visible mark for a document that is not in effect (SPEC §7), if any.
    pub fn status_mark(&self) -> Option<&'static str> {
        match Status::parse(&self.status) {
            Some(Status::Superseded) => Some("SUPERSEDED"),
            Some(Status::Obsolete) => Some("OBSOLETE"),
            _ if self.unreleased => Some("DRAFT"),
            Some(Status::Effective) => None,
            _ => Some("DRAFT"),
        }
    }
}

/// Where a rendition carries which SOP and version it is, for `sopctl verify FILE` (issue 15
/// item 6): the PDF document-information key (ISO 32000-1 §14.3.3 allows keys of one's own) and
/// the HTML `<meta name>` of the ID, the version (as SOPs number it, `1.1`), the status
/// (`draft` for a working copy with unreleased changes) and, on a copy of a version no longer
/// in force only, its notice (issue 16: `Superseded by version 1.1, effective 2026-03-01`) and
/// the sopctl that made it ([`GENERATOR`]: `publish` keeps a stamped copy made by the same
/// sopctl with the same notice, and makes it again otherwise).
pub const IDENTITY: [(&str, &str); 5] = [
    ("SOP-ID", "sop-id"),
    ("SOP-Version", "sop-version"),
    ("SOP-Status", "sop-status"),
    ("SOP-Notice", "sop-notice"),
    ("SOP-Generator", "sop-generator"),
];

/// `sopctl 0.1.0`: the program and version a stamped copy names as its maker.
pub const GENERATOR: &str = concat!("sopctl ", env!("CARGO_PKG_VERSION"));

impl RenderMeta {
    /// The values of [`IDENTITY`], in its order; empty when the document has no ID (a lone
    /// file).
    pub fn identity(&self) -> Vec<String> {
        if self.id.is_empty() || self.redline {
            return Vec::new();
        }
        let mut values = vec![self.id.clone(), self.version.clone(), self.status.clone()];
        if !self.notice.is_empty() {
            values.push(self.notice.clone());
            values.push(GENERATOR.to_string());
        }
        values
    }

    /// The `<meta>` elements of [`IDENTITY`] for the HTML rendition's head.
    fn identity_html(&self) -> String {
        IDENTITY
            .iter()
            .zip(self.identity())
            .map(|((_, name), value)| {
                format!(
                    "<meta name=\"{name}\" content=\"{}\">\n",
                    html::escape(&value)
                )
            })
            .collect()
    }
}

/// Everything a rendition needs.
/// What every rendition made from one repository shares: its settings and its SOPs (the
/// context mdBook hands each renderer). Made once per command ([`RenderSettings::of`]) and
/// shared, also between the threads of `publish`.
#[derive(Debug, Clone, Default)]
pub struct RenderSettings {
    /// Organisation name (`organization` in `sopctl.toml`), possibly empty.
    pub organization: String,
    /// The uncontrolled-copy notice (`footer` in `sopctl.toml`).
    pub footer: String,
    /// Raw HTML passes (sanitised) when true (`allow_html`).
    pub allow_html: bool,
    /// Paper size, for print styles and the PDF (`paper`).
    pub paper: crate::config::Paper,
    /// The root whose `templates/` may override the built-in templates.
    pub template_root: PathBuf,
    /// The repository's SOPs: each file's path (relative to the root) and its ID, so that a
    /// link to another SOP's file becomes a link to that SOP on the published site.
    pub sop_links: std::collections::BTreeMap<PathBuf, String>,
    /// The deepest heading level the table of contents lists (`toc_depth`).
    pub toc_depth: u8,
    /// The repository's `language` (empty: `en`), for documents that do not name theirs.
    pub language: String,
    /// Paragraphs set flush to both margins in the PDF (`justify`).
    pub justify: bool,
}

/// The language a document names in its front matter (`lang: de`), if it names a valid one.
pub fn document_language(sop: &Sop) -> Option<String> {
    sop.front_matter
        .as_ref()
        .and_then(|fm| fm.get("lang"))
        .and_then(|e| match &e.value {
            crate::doc::front_matter::Value::Scalar(s) => Some(s.value.trim().to_string()),
            _ => None,
        })
        .filter(|l| crate::config::is_language_tag(l))
}

impl RenderSettings {
    /// The settings of `ws` and its SOPs ([`sop_links`]).
    pub fn of(ws: &crate::workspace::Workspace) -> RenderSettings {
        RenderSettings {
            organization: ws.settings.organization.clone(),
            footer: ws.settings.footer.clone(),
            allow_html: ws.settings.allow_html,
            paper: ws.settings.paper,
            template_root: ws.root.clone(),
            sop_links: sop_links(ws),
            toc_depth: ws.settings.toc_depth,
            language: ws.settings.language.clone(),
            justify: ws.settings.justify,
        }
    }
}

/// Everything a rendition needs: made by [`RenderJob::new`], the one place a job is assembled.
#[non_exhaustive]
pub struct RenderJob<'a> {
    /// The document.
    pub sop: &'a Sop,
    /// The document's path relative to the repository root (images resolve from its folder).
    pub doc_relative: PathBuf,
    /// Where images are read from.
    pub files: &'a dyn images::FileSource,
    /// What is printed around the body; callers adjust it after [`RenderJob::new`] (approvals,
    /// a draft's marks, a retired SOP's status).
    pub meta: RenderMeta,
    /// Raw HTML passes (sanitised) when true.
    pub allow_html: bool,
    /// Paper size, for print styles.
    pub paper: crate::config::Paper,
    /// The root whose `templates/` may override the built-in templates.
    pub template_root: PathBuf,
    /// The repository's SOPs by path, for [`RenderJob::link_target`].
    pub sop_links: &'a std::collections::BTreeMap<PathBuf, String>,
    /// The published site's root as seen from the folder the rendition is written to, ending
    /// in `/`: `../../` for `{out}/{id}/{version}/` (the default); a draft in
    /// `drafts/{id}/` beside the site sets its own ([`RenderJob::link_target`]).
    pub site: String,
}

impl<'a> RenderJob<'a> {
    /// The job of rendering `sop` (at `doc_relative` in the repository, its images read from
    /// `files`) with the repository's `settings`; the metadata printed around it is read from
    /// the document ([`RenderMeta::of`]), with `commit` (a short id) for a released version.
    pub fn new(
        settings: &'a RenderSettings,
        sop: &'a Sop,
        doc_relative: PathBuf,
        files: &'a dyn images::FileSource,
        commit: Option<&str>,
    ) -> RenderJob<'a> {
        RenderJob {
            sop,
            doc_relative,
            files,
            meta: RenderMeta {
                // A default `RenderSettings` (a lone file's) has no depth: the default one.
                toc_depth: if settings.toc_depth == 0 {
                    3
                } else {
                    settings.toc_depth
                },
                justify: settings.justify,
                lang: document_language(sop).unwrap_or_else(|| {
                    if settings.language.is_empty() {
                        "en".to_string()
                    } else {
                        settings.language.clone()
                    }
                }),
                ..RenderMeta::of(sop, &settings.organization, &settings.footer, commit)
            },
            allow_html: settings.allow_html,
            paper: settings.paper,
            template_root: settings.template_root.clone(),
            sop_links: &settings.sop_links,
            site: "../../".to_string(),
        }
    }
}

impl RenderJob<'_> {
    /// Where a link written in the document should point in a rendition. A relative link to
    /// another SOP's Markdown file goes to that SOP's page on the site
    /// (`{site}{ID}/index.html`, [`RenderJob::site`]);
    /// anything else is kept as written.
    pub fn link_target<'t>(&self, target: &'t str) -> std::borrow::Cow<'t, str> {
        let is_relative = !target.starts_with('#')
            && crate::doc::links::scheme(target).is_none()
            && !target.starts_with("//");
        if is_relative
            && let Some(path) = images::repo_path(target, &self.doc_relative)
            && let Some(id) = self.sop_links.get(&path)
        {
            return std::borrow::Cow::Owned(format!("{}{id}/index.html", self.site));
        }
        std::borrow::Cow::Borrowed(target)
    }
}

/// The document date for reproducible output: `SOURCE_DATE_EPOCH` when set, else the given date
/// (a version's effective date) at 00:00 UTC, else `today` (a draft that has none: the day its
/// copy is made, the same all day). Never the time of day.
pub fn source_date(date: Option<jiff::civil::Date>, today: jiff::civil::Date) -> i64 {
    if let Some(epoch) = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
    {
        return epoch;
    }
    date.unwrap_or(today)
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .map_or(0, |z| z.timestamp().as_second())
}

/// The SOPs of a workspace by repository-relative path, for [`RenderSettings::sop_links`].
pub fn sop_links(ws: &crate::workspace::Workspace) -> std::collections::BTreeMap<PathBuf, String> {
    let root = ws.repository_root();
    ws.documents()
        .into_iter()
        .filter_map(|e| {
            let id = e.sop.ok()?.id()?.to_string();
            let canonical = e.path.canonicalize().unwrap_or(e.path);
            Some((canonical.strip_prefix(root).ok()?.to_path_buf(), id))
        })
        .collect()
}

/// Something a reader of the rendition should know about, with its place in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenderWarning {
    /// An image that is shown as a placeholder.
    Image {
        /// The reference as written.
        source: String,
        /// Why it is not embedded.
        problem: images::ImageProblem,
    },
    /// Right-to-left text, drawn left to right and unshaped (PDF only): where it first is, and
    /// on how many more lines.
    RightToLeft {
        /// The source line.
        line: usize,
        /// Its column, in characters from 1.
        column: usize,
        /// How many more lines have some.
        more: usize,
    },
    /// A place where quotes, lists or inline markup nest more deeply than renditions show
    /// (see [`crate::doc::nesting`]): the deeper levels are flattened, their text kept.
    TooDeep(crate::doc::nesting::TooDeep),
    /// A character no embedded font can draw (PDF only): it shows as the font's missing-glyph
    /// box. Reported once per character, at the first place it appears.
    MissingGlyph {
        /// The character.
        c: char,
        /// The first source line it appears on.
        line: usize,
        /// Its column on that line, in characters from 1.
        column: usize,
    },
}

impl RenderWarning {
    /// A warning for each place of `doc` that nested too deeply and was flattened.
    pub fn nesting(doc: &crate::model::Document) -> Vec<RenderWarning> {
        doc.too_deep
            .iter()
            .copied()
            .map(RenderWarning::TooDeep)
            .collect()
    }
}

impl std::fmt::Display for RenderWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RenderWarning::TooDeep(place) => write!(f, "{place}"),
            RenderWarning::RightToLeft { more, .. } => {
                write!(f, "{}", pdf::fonts::right_to_left_message(*more))
            }
            RenderWarning::MissingGlyph { c, .. } => {
                write!(
                    f,
                    "no glyph for U+{:04X} '{c}' in the PDF fonts; it shows as an empty box",
                    *c as u32
                )
            }
            RenderWarning::Image { source, problem } => {
                write!(
                    f,
                    "the image `{source}` {problem}; its alt text is shown instead"
                )?;
                match problem.hint() {
                    Some(hint) => write!(f, ": {hint}"),
                    None => Ok(()),
                }
            }
        }
    }
}

/// A rendition that cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// A template failed.
    #[error(transparent)]
    Template(#[from] TemplateError),
    /// The PDF could not be written.
    #[error("the PDF could not be written: {0}")]
    Pdf(String),
}

/// A finished rendition.
#[derive(Debug, Clone)]
pub struct Rendition {
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// What the reader should know.
    pub warnings: Vec<RenderWarning>,
}

/// One entry of the table of contents.
#[derive(Debug, Clone, serde::Serialize)]
struct TocEntry {
    level: u8,
    anchor: String,
    text: String,
}

/// The HTML rendition: one self-contained file (SPEC §7).
///
/// # Errors
/// [`RenderError::Template`] when a repository's own template is broken.
pub fn html(job: &RenderJob<'_>) -> Result<Rendition, RenderError> {
    let doc = crate::model::Document::parse(job.sop.body(), job.sop.body_first_line());
    html_of(job, &doc, Contents::Listed)
}

/// What follows a rendition's title block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Contents<'a> {
    /// The table of contents: headings of levels 1 to 3.
    Listed,
    /// These blocks in its place, with no change bars beside them (a redline's summary: its
    /// legend shows the marks without being a change).
    Summary(&'a [crate::model::Block]),
}

/// The HTML rendition of `doc`, a body made for `job`'s document (the document itself, or a
/// redline of it), with or without a table of contents.
///
/// # Errors
/// [`RenderError::Template`] when a repository's own template is broken.
pub fn html_of(
    job: &RenderJob<'_>,
    doc: &crate::model::Document,
    contents: Contents<'_>,
) -> Result<Rendition, RenderError> {
    let mut writer = html::BodyWriter {
        job,
        files: job.files,
        warnings: Vec::new(),
        out: String::new(),
        images: Default::default(),
        embedded: 0,
        in_removal: false,
    };
    if let Contents::Summary(blocks) = contents {
        writer
            .out
            .push_str("<section class=\"redline-summary\" aria-label=\"Summary of changes\">\n");
        writer.blocks(blocks, false);
        writer.out.push_str("</section>\n");
    }
    writer.document(doc);
    let body = if job.allow_html {
        html::sanitize(&writer.out)
    } else {
        writer.out
    };
    let toc: Vec<TocEntry> = doc
        .headings()
        .into_iter()
        .filter(|h| h.level <= job.meta.toc_depth && contents == Contents::Listed)
        .map(|h| TocEntry {
            level: h.level,
            anchor: h.anchor.clone(),
            text: h.text.clone(),
        })
        .collect();
    let css = templates::source(&job.template_root, templates::STYLE)?;
    let page_size = match job.paper {
        crate::config::Paper::A4 => "A4",
        crate::config::Paper::Letter => "letter",
    };
    // Running header and footer for printed pages (CSS Paged Media margin boxes), the same
    // text as the PDF's.
    let m = &job.meta;
    let mut header: Vec<&str> = Vec::new();
    if !m.id.is_empty() {
        header.push(&m.id);
    }
    if !m.title.is_empty() {
        header.push(&m.title);
    }
    let version = if m.version.is_empty() {
        String::new()
    } else {
        format!("Version {}", m.version)
    };
    if !version.is_empty() {
        header.push(&version);
    }
    let footer = m.footer_line();
    let context = minijinja::context! {
        running_header => css_string(&header.join(" · ")),
        running_footer => css_string(&footer),
        running_mark => css_string(job.meta.status_mark().unwrap_or("")),
        meta => minijinja::value::Value::from(minijinja::value::Serde(&job.meta)),
        mark => job.meta.status_mark(),
        toc => minijinja::value::Value::from(minijinja::value::Serde(&toc)),
        body => minijinja::value::Value::from_safe_string(body),
        css => minijinja::value::Value::from_safe_string(css),
        page_size => page_size,
        generator => format!("sopctl {}", env!("CARGO_PKG_VERSION")),
        identity => minijinja::value::Value::from_safe_string(job.meta.identity_html()),
    };
    let page = templates::render(&job.template_root, templates::PAGE, context)?;
    // A repository's own page template may leave the identity out: it goes in all the same.
    let metas = job.meta.identity_html();
    let page = if metas.is_empty() || page.contains("name=\"sop-id\"") {
        page
    } else {
        with_identity(page, &metas)
    };
    let mut warnings = RenderWarning::nesting(doc);
    warnings.extend(writer.warnings);
    Ok(Rendition {
        bytes: page.into_bytes(),
        warnings,
    })
}

/// `page` with `metas` right after its `<head>` (or at its start, when it has none).
fn with_identity(page: String, metas: &str) -> String {
    let at = page
        .to_ascii_lowercase()
        .find("<head")
        .and_then(|i| page.get(i..)?.find('>').map(|j| i + j + 1))
        .unwrap_or(0);
    let mut out = String::with_capacity(page.len() + metas.len() + 1);
    out.push_str(page.get(..at).unwrap_or_default());
    if at > 0 {
        out.push('\n');
    }
    out.push_str(metas);
    out.push_str(page.get(at..).unwrap_or_default());
    out
}

/// The title of a document whose front matter gives none: its first heading, else its file name.
fn fallback_title(sop: &Sop) -> String {
    crate::doc::markdown::scan(sop.body(), sop.body_first_line())
        .headings
        .into_iter()
        .next()
        .map(|h| h.text)
        .filter(|t| !t.trim().is_empty())
        .or_else(|| {
            sop.path()
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
        })
        .unwrap_or_default()
}

/// A CSS string literal (CSS 2.1 §4.3.7): quotes and backslashes escaped, control characters
/// as hex escapes.
fn css_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() || c == '<' || c == '>' => {
                out.push_str(&format!("\\{:x} ", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Where a rendition goes (SPEC §5.4): `{out}/{id}/{display version}/{id}-v{display version}.{ext}`.
pub fn output_path(out: &Path, id: &str, version: &DocVersion, ext: &str) -> PathBuf {
    let display = version.to_string();
    out.join(id)
        .join(&display)
        .join(format!("{id}-v{display}.{ext}"))
}

/// A rendition's warnings as located findings on `sop` (shown as `shown`), in the document's
/// own lines and columns: an image outside the repository is an error (SPEC §9), every other
/// problem a warning. Findings repeated by several renditions of one document (PDF and HTML)
/// are listed once.
pub fn findings(
    sop: &Sop,
    shown: &std::path::Path,
    warnings: &[RenderWarning],
) -> Vec<crate::doc::Finding> {
    use crate::doc::{Finding, Location};
    if warnings.is_empty() {
        return Vec::new();
    }
    let refs = crate::doc::markdown::scan(sop.body(), sop.body_first_line()).references;
    // Where each image is first referenced: one lookup per warning, not a search.
    let mut first_image = std::collections::HashMap::new();
    for r in refs.iter().filter(|r| r.is_image) {
        first_image.entry(r.target.as_str()).or_insert(r.location);
    }
    let mut out: Vec<Finding> = Vec::new();
    // Each finding once, in one pass (a right-to-left SOP gives one warning per line).
    let mut seen = std::collections::HashSet::new();
    for w in warnings {
        let (location, error) = match w {
            RenderWarning::Image { source, problem } => (
                first_image
                    .get(source.as_str())
                    .copied()
                    .unwrap_or(Location { line: 1, column: 1 }),
                matches!(problem, images::ImageProblem::Outside),
            ),
            RenderWarning::TooDeep(place) => (
                Location {
                    line: place.line,
                    column: place.column,
                },
                false,
            ),
            RenderWarning::RightToLeft { line, column, .. } => (
                Location {
                    line: *line,
                    column: *column,
                },
                false,
            ),
            RenderWarning::MissingGlyph { line, column, .. } => (
                Location {
                    line: *line,
                    column: *column,
                },
                false,
            ),
        };
        let finding = match w {
            RenderWarning::Image { source, .. } if error => Finding::error(
                shown,
                location,
                format!(
                    "the image `{source}` is outside the repository; it is not read or embedded; copy it into the repository"
                ),
            ),
            _ => Finding::warning(shown, location, w.to_string()),
        };
        if seen.insert((
            finding.location.line,
            finding.location.column,
            finding.message.clone(),
        )) {
            out.push(finding);
        }
    }
    out
}
