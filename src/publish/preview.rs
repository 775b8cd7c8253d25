//! The preview (issue 20 item 7): the site as `publish` makes it, built into a folder of its
//! own (never the site's), with the working copy's drafts beside the releases, clearly marked.
//! The drafts are kept in memory and served from there, so they never enter a folder that is
//! published; [`crate::publish::serve`] serves both and reloads the browser after a rebuild.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::PublishError;
use crate::doc::Sop;
use crate::render::{self, RenderJob, RenderSettings};
use crate::workspace::Workspace;

/// A working copy with changes not released yet, rendered as a draft (marked DRAFT).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    /// Document ID.
    pub id: String,
    /// Title.
    pub title: String,
    /// The last release (SOP form), or `None` for an SOP never released.
    pub since: Option<String>,
    /// The file, relative to the repository root.
    pub file: PathBuf,
    /// The HTML rendition.
    pub html: Vec<u8>,
    /// The SHA-256 of the text it was rendered from: an unchanged file is not rendered again.
    pub source_sha256: String,
}

impl Draft {
    /// Where the preview serves its HTML, relative to the site root.
    pub fn html_path(&self) -> String {
        format!("drafts/{0}/{0}-working-copy.html", self.id)
    }

    /// Where the preview serves its PDF (made when asked for), relative to the site root.
    pub fn pdf_path(&self) -> String {
        format!("drafts/{0}/{0}-working-copy.pdf", self.id)
    }
}

/// What one build of the preview made.
#[derive(Debug, Default)]
pub struct Build {
    /// The drafts, by ID.
    pub drafts: BTreeMap<String, Draft>,
    /// SOPs on the site.
    pub sops: usize,
    /// Renditions rendered in this build (releases and drafts).
    pub rendered: usize,
    /// Problems met, one message each: a file that cannot be read as an SOP, a draft that
    /// could not be rendered.
    pub problems: Vec<String>,
}

/// Builds the preview of `ws` in `site`: the releases as `publish` makes them (only what is
/// missing is rendered, so a rebuild after an edit renders just the draft), then the HTML of
/// every SOP with unreleased changes. `previous` holds the last build's drafts: one whose file did not
/// change is kept, not rendered again.
///
/// # Errors
/// [`PublishError`] as for [`super::publish`].
pub fn build(
    ws: &Workspace,
    site: &Path,
    previous: &BTreeMap<String, Draft>,
) -> Result<Build, PublishError> {
    let report = super::publish(ws, site, &|_| {})?;
    let mut build = Build {
        sops: report.sops,
        rendered: report.rendered,
        // A file that cannot be read is said, not skipped in silence: a typo must not make an
        // SOP vanish unexplained.
        problems: report.unreadable,
        ..Build::default()
    };
    let settings = RenderSettings::of(ws);
    for entry in ws.documents() {
        let Ok(sop) = entry.sop else { continue };
        let Some(id) = sop.id().cloned() else {
            continue;
        };
        if build.drafts.contains_key(id.as_str())
            || !crate::lifecycle::has_unreleased_edits(ws, &sop)
        {
            continue;
        }
        match draft(ws, &settings, &sop, previous.get(id.as_str())) {
            Ok((made, rendered)) => {
                build.rendered += usize::from(rendered);
                build.drafts.insert(id.to_string(), made);
            }
            Err(e) => build
                .problems
                .push(format!("the draft of {id} could not be made: {e}")),
        }
    }
    Ok(build)
}

/// The draft of `sop`: `kept` again when its file and text are unchanged, else rendered now
/// (then `true`).
fn draft(
    ws: &Workspace,
    settings: &RenderSettings,
    sop: &Sop,
    kept: Option<&Draft>,
) -> Result<(Draft, bool), render::RenderError> {
    let file = sop
        .path()
        .strip_prefix(ws.repository_root())
        .unwrap_or(sop.path())
        .to_path_buf();
    let source_sha256 = crate::repo::transaction::sha256_hex(sop.source.text().as_bytes());
    let (html, rendered) = match kept {
        Some(k) if k.file == file && k.source_sha256 == source_sha256 => (k.html.clone(), false),
        _ => (rendition(ws, settings, sop, false)?, true),
    };
    let id = sop.id().map(ToString::to_string).unwrap_or_default();
    let since = sop
        .id()
        .and_then(|doc_id| ws.releases(doc_id).ok())
        .and_then(|r| r.latest().map(|l| l.version.to_string()));
    let draft = Draft {
        id,
        title: sop.metadata.title.clone().unwrap_or_default(),
        since,
        file,
        html,
        source_sha256,
    };
    Ok((draft, rendered))
}

/// `sop` rendered as a draft, marked DRAFT, as `sopctl render` renders a working copy: the PDF
/// when `is_pdf`, else the HTML. (Images changed without the text are picked up at the text's
/// next change.)
fn rendition(
    ws: &Workspace,
    settings: &RenderSettings,
    sop: &Sop,
    is_pdf: bool,
) -> Result<Vec<u8>, render::RenderError> {
    let root = ws.repository_root();
    let file = sop.path().strip_prefix(root).unwrap_or(sop.path());
    let work_tree = render::images::WorkTree {
        root: root.to_path_buf(),
    };
    let mut job = RenderJob::new(settings, sop, file.to_path_buf(), &work_tree, None);
    job.meta.mark_unreleased();
    let made = if is_pdf {
        render::pdf::pdf(&job, render::source_date(sop.metadata.effective, ws.today))?
    } else {
        render::html(&job)?
    };
    Ok(made.bytes)
}

/// The PDF of the draft of `id` in `ws`, made now (the preview makes PDFs only when asked for).
///
/// # Errors
/// A message when the SOP is not found or cannot be rendered.
pub fn draft_pdf(ws: &Workspace, id: &str) -> Result<Vec<u8>, String> {
    let sop = ws.find(Some(id)).map_err(|e| e.to_string())?;
    rendition(ws, &RenderSettings::of(ws), &sop, true).map_err(|e| e.to_string())
}

/// The section the preview adds to the front page: the `problems` of the last build (a file
/// that cannot be read), then the drafts, each marked DRAFT, with what they change (a
/// never-released SOP, or changes since its last release).
pub fn drafts_section(drafts: &BTreeMap<String, Draft>, problems: &[String]) -> String {
    use crate::render::html::escape;
    let mut out = String::from(
        "<section class=\"preview-drafts\" aria-labelledby=\"preview-drafts\">\n<h2 id=\"preview-drafts\">Drafts in the working copy</h2>\n<p>Shown in this preview only: drafts are never published. Each is the SOP as it is now in the working copy, marked DRAFT.</p>\n",
    );
    for problem in problems {
        out.push_str(&format!(
            "<p class=\"notice\" role=\"alert\">{}</p>\n",
            escape(problem)
        ));
    }
    if drafts.is_empty() {
        out.push_str("<p>No SOP has unreleased changes.</p>\n</section>\n");
        return out;
    }
    out.push_str("<ul class=\"search-results\">\n");
    for d in drafts.values() {
        let since = match &d.since {
            Some(v) => format!("changes since version {}", escape(v)),
            None => "never released".to_string(),
        };
        out.push_str(&format!(
            "<li><strong class=\"draft-mark\">DRAFT</strong> <a href=\"{}\">{} {}</a> <span class=\"found\">{since} · <a href=\"{}\">PDF<span class=\"visually-hidden\"> of the draft of {}</span></a> · {}</span></li>\n",
            d.html_path(),
            escape(&d.id),
            escape(&d.title),
            d.pdf_path(),
            escape(&d.id),
            escape(&d.file.display().to_string()),
        ));
    }
    out.push_str("</ul>\n</section>\n");
    out
}
