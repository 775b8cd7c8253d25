//! Is this copy genuine and current? (issue 15 item 6)
//!
//! Takes a PDF or HTML file somebody downloaded or was sent; reads which SOP and version it says
//! it is from its metadata (the PDF's document information, the HTML's `<meta>` elements: see
//! [`crate::render::IDENTITY`]); compares the SHA-256 of its bytes with the checksums the
//! release tag of that version records (`Rendition:` trailers, written by `release`); and says
//! whether that version is current, superseded by a later release, or withdrawn. A copy that
//! claims an ID and version but whose bytes match no checksum of the record is altered.

use std::path::{Path, PathBuf};

use crate::doc::{DocId, Status};
use crate::render::IDENTITY;
use crate::repo::transaction::{RENDITION_TRAILER, sha256_hex};
use crate::version::DocVersion;
use crate::workspace::{Workspace, WorkspaceError};

/// Why a copy cannot be checked at all.
#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    /// The file cannot be read.
    #[error(transparent)]
    Read(#[from] crate::fsx::FsError),
    /// No repository, a shallow clone, unreadable tags.
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
}

/// What a copy is, against the record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// Its bytes are those the release recorded.
    Genuine,
    /// It claims an ID and version, but its bytes match none of the release's renditions.
    Altered,
    /// The release records no checksums (it was made before sopctl recorded them, or with
    /// `--no-render`), so the bytes cannot be compared.
    NoChecksums,
    /// A rendition of a working copy with unreleased changes (status `draft`).
    Draft,
    /// The version it claims was never released.
    NotReleased,
    /// Its metadata names no SOP.
    NoIdentity,
    /// A stamped copy of a version no longer in force (issue 16): its bytes are those
    /// `sopctl publish` makes from the release's tag with the SUPERSEDED or OBSOLETE watermark
    /// and this notice on every page.
    Stamped {
        /// The notice it carries: `Superseded by version 1.1, effective 2026-03-01`.
        notice: String,
    },
    /// The release record's own signature is broken, so its checksums prove nothing.
    RecordBroken(String),
    /// A controlled copy (issue 16 item 3): its bytes are those `sopctl copy` makes from the
    /// release's tag for the copy this number names in the distribution register.
    Controlled {
        /// The copy's number.
        number: u32,
        /// Who holds it.
        holder: String,
        /// The day it was issued.
        issued: jiff::civil::Date,
        /// The day it was returned, if it was: it should no longer be in use.
        returned: Option<jiff::civil::Date>,
    },
}

/// Whether the version is still the one in force ([`crate::lifecycle::standing`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Currency {
    /// The version in force, and the SOP is not withdrawn.
    Current,
    /// Released to take effect on a later day; the version before is in force until then.
    Pending {
        /// The day it takes effect.
        effective: jiff::civil::Date,
    },
    /// A later version has taken effect.
    Superseded {
        /// The version in force now.
        current: DocVersion,
    },
    /// The SOP was withdrawn (`sopctl retire`).
    Withdrawn {
        /// `superseded` or `obsolete`.
        status: Status,
        /// The SOP that replaces it.
        by: Option<String>,
    },
}

/// The outcome for one file.
#[derive(Debug, Clone)]
pub struct CopyReport {
    /// The file, as given.
    pub file: PathBuf,
    /// `pdf` or `html`.
    pub format: &'static str,
    /// The SHA-256 of its bytes, lowercase hex.
    pub sha256: String,
    /// The SOP it says it is.
    pub id: Option<String>,
    /// The version it says it is.
    pub version: Option<DocVersion>,
    /// What it is against the record.
    pub finding: Finding,
    /// The release tag it was compared with.
    pub tag: Option<String>,
    /// Whether its version is current, when the SOP has releases.
    pub currency: Option<Currency>,
    /// The released versions, oldest first.
    pub released: Vec<DocVersion>,
    /// Whether the release record (its tag) is signed: an unsigned record shows what the
    /// repository holds, but not who vouched for it.
    pub record_signed: bool,
}

impl CopyReport {
    /// Whether the copy is one the records vouch for: the copy the release recorded, or a
    /// stamped copy made from it.
    pub fn is_genuine(&self) -> bool {
        matches!(
            self.finding,
            Finding::Genuine | Finding::Stamped { .. } | Finding::Controlled { .. }
        )
    }

    /// The outcome in one line, without the file name.
    pub fn sentence(&self) -> String {
        let id = self.id.as_deref().unwrap_or("");
        let version = self
            .version
            .as_ref()
            .map_or_else(String::new, ToString::to_string);
        let tag = self.tag.as_deref().unwrap_or("");
        let what = match &self.finding {
            Finding::Genuine if !self.record_signed => format!(
                "{id} version {version}, genuine: its bytes match the release record {tag} (which is not signed, so it shows what the repository holds, not who vouched for it)"
            ),
            Finding::Genuine => {
                format!("{id} version {version}, genuine: its bytes match the release record {tag}")
            }
            Finding::Altered => format!(
                "claims to be {id} version {version}, but it is ALTERED: its bytes match none of the renditions the release record {tag} lists"
            ),
            Finding::NoChecksums => format!(
                "{id} version {version}, not checked: the release record {tag} lists no checksums of its renditions (made before sopctl recorded them, or released with --no-render)"
            ),
            Finding::Draft => format!(
                "a DRAFT of {id} made from a working copy with unreleased changes, not a released copy"
            ),
            Finding::NotReleased => format!(
                "claims to be {id} version {version}, which was never released{}",
                if self.released.is_empty() {
                    format!(" ({id} has no releases in this repository)")
                } else {
                    format!(
                        " (its releases are {})",
                        self.released
                            .iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                }
            ),
            Finding::NoIdentity => format!(
                "this {} does not say which SOP it is (no SOP-ID in its metadata), so it is not a copy of an SOP that sopctl made: a redline or a page of the download site is not one, and renditions made before sopctl recorded their ID do not say it",
                self.format.to_uppercase()
            ),
            Finding::Stamped { notice } => format!(
                "{id} version {version}, genuine stamped copy (\"{notice}\"): its bytes are those made from the release record {tag} with that notice on every page"
            ),
            Finding::Controlled {
                number,
                holder,
                issued,
                returned,
            } => format!(
                "{id} version {version}, genuine controlled copy No. {number}, issued to {holder} on {issued}{}",
                returned
                    .map(|d| format!(" and returned on {d}, so it should no longer be in use"))
                    .unwrap_or_default()
            ),
            Finding::RecordBroken(reason) => format!(
                "claims to be {id} version {version}, but the release record {tag} cannot be trusted: {reason}"
            ),
        };
        match &self.currency {
            Some(c) if !matches!(self.finding, Finding::NoIdentity | Finding::NotReleased) => {
                format!("{what}; {}", currency_words(c))
            }
            _ => what,
        }
    }
}

/// `current`, `superseded by 1.1`, `withdrawn (obsolete)`.
pub fn currency_words(c: &Currency) -> String {
    match c {
        Currency::Current => "current".to_string(),
        Currency::Pending { effective } => {
            format!("not yet in force: it takes effect on {effective}")
        }
        Currency::Superseded { current } => format!("superseded by {current}"),
        Currency::Withdrawn {
            status,
            by: Some(by),
        } => {
            format!("withdrawn ({status}, replaced by {by})")
        }
        Currency::Withdrawn { status, by: None } => format!("withdrawn ({status})"),
    }
}

/// Whether `path` looks like a rendition (a PDF, or an HTML page) rather than an SOP.
pub fn is_rendition(path: &Path) -> bool {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    matches!(ext.as_deref(), Some("pdf" | "html" | "htm")) && path.is_file()
}

/// Checks the copy at `path` (shown as `shown`) against the records of the workspace.
///
/// # Errors
/// [`CopyError::Read`] when the file cannot be read; [`CopyError::Workspace`] without a
/// repository or with a shallow one.
pub fn check(ws: &Workspace, path: &Path, shown: &Path) -> Result<CopyReport, CopyError> {
    let bytes = crate::fsx::read(path)?;
    let is_pdf = bytes.starts_with(b"%PDF-");
    let claimed = identity(&bytes);
    let mut report = CopyReport {
        file: shown.to_path_buf(),
        format: if is_pdf { "pdf" } else { "html" },
        sha256: sha256_hex(&bytes),
        id: claimed.first().cloned(),
        version: claimed.get(1).and_then(|v| DocVersion::parse(v).ok()),
        finding: Finding::NoIdentity,
        tag: None,
        currency: None,
        released: Vec::new(),
        record_signed: false,
    };
    let Some(id) = report.id.as_deref().and_then(|i| DocId::parse(i).ok()) else {
        return Ok(report);
    };
    let releases = ws.releases(&id)?;
    report.released = releases.records.iter().map(|r| r.version.clone()).collect();
    report.currency = currency(ws, &id, &releases, report.version.as_ref());
    if claimed.get(2).is_some_and(|s| s == "draft") {
        report.finding = Finding::Draft;
        return Ok(report);
    }
    let record = report
        .version
        .as_ref()
        .and_then(|v| releases.records.iter().find(|r| &r.version == v));
    let Some(record) = record else {
        report.finding = Finding::NotReleased;
        return Ok(report);
    };
    report.tag = Some(record.tag.clone());
    let repo = ws.require_repo()?;
    let Some(tag) = repo.stored_tag(&record.tag) else {
        report.finding = Finding::NoChecksums;
        return Ok(report);
    };
    let trust = super::trust::Trust::of(ws, repo);
    let checked = trust.check(
        repo,
        &record.commit,
        tag.signature.as_ref(),
        tag.time,
        (None, None),
    );
    // A tag changed or made again after the release vouches for nothing.
    let remade = repo.stored_commit(&record.commit).and_then(|commit| {
        super::release::commit_problems(&tag, &commit)
            .into_iter()
            .next()
    });
    report.record_signed = checked.verdict != super::signature::Verdict::Unsigned;
    if let Some(reason) = checked.problem.or(remade) {
        report.finding = Finding::RecordBroken(reason);
        return Ok(report);
    }
    let sums: Vec<String> = tag
        .message
        .all(RENDITION_TRAILER)
        .iter()
        .filter_map(|t| {
            crate::repo::transaction::rendition_checksum(t).map(|(_, sum)| sum.to_string())
        })
        .collect();
    report.finding = if sums.is_empty() {
        Finding::NoChecksums
    } else if sums.contains(&report.sha256) {
        Finding::Genuine
    } else if let Some(notice) = stamped(ws, &id, &releases, record, &claimed, &bytes, is_pdf) {
        Finding::Stamped { notice }
    } else if let Some(copy) = controlled(ws, &id, record, &claimed, &bytes, is_pdf) {
        copy
    } else {
        Finding::Altered
    };
    Ok(report)
}

/// The notice of a stamped copy whose bytes are those `publish` makes from `record`'s tag
/// ([`crate::render::released`]) with a notice sopctl gives that version: superseded by any
/// later release (as it was stamped once that release took effect, whatever came after), or
/// the withdrawal of its SOP. `None` when the copy claims no stamp, or one sopctl never gives,
/// or differs from the copy made now with it.
fn stamped(
    ws: &Workspace,
    id: &DocId,
    releases: &crate::repo::Releases,
    record: &crate::repo::ReleaseRecord,
    claimed: &[String],
    bytes: &[u8],
    is_pdf: bool,
) -> Option<String> {
    use crate::lifecycle::standing::Standing;
    let (claimed_status, claimed_notice) = (claimed.get(2)?, claimed.get(3)?);
    let sop = ws.find(Some(id.as_str())).ok();
    let titles = |successor: &str| {
        ws.find(Some(successor))
            .ok()
            .and_then(|s| s.metadata.title.clone())
    };
    let mut standings: Vec<Standing> = releases
        .records
        .iter()
        .filter(|r| r.version > record.version)
        .map(|r| Standing::Superseded {
            by: r.version.clone(),
            effective: r.date,
        })
        .collect();
    if let Some(w) = sop
        .as_ref()
        .and_then(|s| crate::lifecycle::withdrawal(ws, s))
    {
        standings.push(Standing::Withdrawn {
            status: w.status,
            successor: w.successor,
        });
    }
    let stamp = standings
        .iter()
        .filter_map(|s| s.stamp(&titles))
        .find(|s| &s.notice == claimed_notice && &s.status.to_string() == claimed_status)?;
    let repo = ws.repo.as_ref()?;
    let relative = sop.as_ref().and_then(|s| repo.relative(s.path()));
    let released =
        crate::render::released::Released::read(repo, id, relative.as_deref(), record).ok()?;
    let marks = crate::render::released::Marks {
        stamp: Some(&stamp),
        footer: None,
    };
    let made = released
        .render(&crate::render::RenderSettings::of(ws), marks, is_pdf)
        .ok()?;
    (sha256_hex(&made.bytes) == sha256_hex(bytes)).then_some(stamp.notice)
}

/// The controlled copy of `record` whose bytes these are: each copy of that version in the
/// distribution register is made again ([`crate::lifecycle::copies::Printer`]) and compared;
/// `None` for an HTML file, a stamped copy, or bytes no copy has.
fn controlled(
    ws: &Workspace,
    id: &DocId,
    record: &crate::repo::ReleaseRecord,
    claimed: &[String],
    bytes: &[u8],
    is_pdf: bool,
) -> Option<Finding> {
    if !is_pdf || claimed.get(3).is_some() {
        return None;
    }
    let repo = ws.repo.as_ref()?;
    let register = crate::lifecycle::copies::Register::read(repo).ok()?;
    // A copy issued under a number another copy already had (merged branches) is genuine too.
    let mut copies = register
        .of(id.as_str())
        .chain(register.clashes().iter().filter(|c| c.id == id.as_str()))
        .filter(|c| c.version == record.version)
        .peekable();
    copies.peek()?;
    let relative = ws
        .find(Some(id.as_str()))
        .ok()
        .and_then(|s| repo.relative(s.path()));
    let printer =
        crate::lifecycle::copies::Printer::new(ws, id, relative.as_deref(), record).ok()?;
    let sum = sha256_hex(bytes);
    copies
        .find(|c| printer.pdf(c).is_ok_and(|made| sha256_hex(&made) == sum))
        .map(|c| Finding::Controlled {
            number: c.number,
            holder: c.holder.clone(),
            issued: c.issued,
            returned: c.returned,
        })
}

/// Whether `version` of `id` is current, pending, superseded or withdrawn today.
fn currency(
    ws: &Workspace,
    id: &DocId,
    releases: &crate::repo::Releases,
    version: Option<&DocVersion>,
) -> Option<Currency> {
    if let Some(r) = ws.lifecycle().retirement(id.as_str()) {
        return Some(Currency::Withdrawn {
            status: r.status,
            by: r.superseded_by.clone(),
        });
    }
    let record = version.and_then(|v| releases.records.iter().find(|r| &r.version == v));
    let current = releases.current(ws.today);
    Some(match record {
        Some(record) => {
            match crate::lifecycle::standing::Standing::of(releases, record, ws.today, None) {
                crate::lifecycle::standing::Standing::Pending { effective } => {
                    Currency::Pending { effective }
                }
                crate::lifecycle::standing::Standing::InForce => Currency::Current,
                _ => Currency::Superseded {
                    current: current?.version.clone(),
                },
            }
        }
        None => Currency::Superseded {
            current: current.or_else(|| releases.latest())?.version.clone(),
        },
    })
}

/// The identity a PDF or HTML copy claims: the values of [`IDENTITY`] in its order (ID,
/// version, status, and the notice of a stamped copy), as far as it carries them.
pub fn identity(bytes: &[u8]) -> Vec<String> {
    if bytes.starts_with(b"%PDF-") {
        pdf_identity(bytes)
    } else {
        html_identity(&String::from_utf8_lossy(bytes))
    }
}

/// A PDF text string (ISO 32000-1 §7.9.2.2): UTF-16BE after a byte-order mark, else one byte
/// per character.
fn pdf_text(bytes: &[u8]) -> String {
    match bytes.strip_prefix(&[0xFE, 0xFF]) {
        Some(units) => {
            let units: Vec<u16> = units
                .chunks(2)
                .map(|c| {
                    u16::from_be_bytes([
                        c.first().copied().unwrap_or(0),
                        c.get(1).copied().unwrap_or(0),
                    ])
                })
                .collect();
            String::from_utf16_lossy(&units)
        }
        None => bytes.iter().map(|b| char::from(*b)).collect(),
    }
}

/// The identity values of a PDF's document information, read with lopdf; read from the bytes
/// when the file is too damaged for lopdf.
fn pdf_identity(bytes: &[u8]) -> Vec<String> {
    let from_info = || -> Option<Vec<String>> {
        let doc = lopdf::Document::load_mem(bytes).ok()?;
        let info = doc.trailer.get(b"Info").ok()?;
        let info = match info {
            lopdf::Object::Reference(r) => doc.get_object(*r).ok()?,
            other => other,
        };
        let dict = info.as_dict().ok()?;
        let values: Vec<String> = IDENTITY
            .iter()
            .map_while(|(key, _)| dict.get(key.as_bytes()).ok()?.as_str().ok().map(pdf_text))
            .collect();
        (!values.is_empty()).then_some(values)
    };
    from_info().unwrap_or_else(|| {
        IDENTITY
            .iter()
            .map_while(|(key, _)| raw_pdf_string(bytes, key))
            .collect()
    })
}

/// The literal string after `/KEY ` in the raw bytes of a PDF (`/SOP-ID (SOP-1)`).
fn raw_pdf_string(bytes: &[u8], key: &str) -> Option<String> {
    let needle = format!("/{key}");
    let at = bytes
        .windows(needle.len())
        .position(|w| w == needle.as_bytes())?
        + needle.len();
    let rest = bytes.get(at..)?;
    let open = rest.iter().position(|b| !b.is_ascii_whitespace())?;
    if rest.get(open) != Some(&b'(') {
        return None;
    }
    let body = rest.get(open + 1..)?;
    let close = body.iter().position(|b| *b == b')')?;
    Some(pdf_text(body.get(..close)?))
}

/// The identity values of an HTML page's `<meta name="sop-…" content="…">` elements.
fn html_identity(page: &str) -> Vec<String> {
    IDENTITY
        .iter()
        .map_while(|(_, name)| meta_content(page, name))
        .collect()
}

/// The `content` of `<meta name="NAME" content="…">` (as sopctl writes it), unescaped.
fn meta_content(page: &str, name: &str) -> Option<String> {
    let needle = format!("<meta name=\"{name}\" content=\"");
    let at = page.find(&needle)? + needle.len();
    let rest = page.get(at..)?;
    let value = rest.get(..rest.find('"')?)?;
    Some(
        value
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_is_read_from_html_meta_elements() {
        let page = "<head>\n<meta name=\"sop-id\" content=\"SOP-1\">\n<meta name=\"sop-version\" content=\"1.1\">\n<meta name=\"sop-status\" content=\"effective\">\n";
        assert_eq!(html_identity(page), ["SOP-1", "1.1", "effective"]);
        assert_eq!(
            meta_content("<meta name=\"sop-id\" content=\"A&amp;B\">", "sop-id").as_deref(),
            Some("A&B")
        );
        assert!(html_identity("<html><head></head>").is_empty());
    }

    #[test]
    fn identity_is_read_from_the_raw_bytes_of_a_damaged_pdf() {
        let raw = b"%PDF-1.7\n garbage /SOP-ID (SOP-1) /SOP-Version (1.0) /SOP-Status (effective)";
        assert_eq!(pdf_identity(raw), ["SOP-1", "1.0", "effective"]);
        assert_eq!(pdf_text(&[0xFE, 0xFF, 0, b'A', 0x00, 0xE9]), "Aé");
    }
}
