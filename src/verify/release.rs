//! One release checked: the tag (signature, trailers), its agreement with the release commit,
//! the released file, the approvals and the revision history.
//!
//! `release` writes the tag's message (summary and trailers) into the release commit's message
//! too (`SOP-1: release 1.0`, a blank line, then the tag's message), so the two must agree: a
//! tag whose message was changed and re-created (`git tag -f -a`) no longer does.

use crate::doc::{DocId, Sop, Status, revision_table};
use crate::lifecycle::Approval;
use crate::repo::ReleaseRecord;
use crate::repo::inspect::{StoredCommit, StoredTag};
use crate::repo::records::Message;
use crate::repo::transaction::RENDITION_TRAILER;
use crate::version::DocVersion;

use super::context::{Context, Files};
use super::signature::{IntactSignatures, Verdict};
use super::{Kind, Problem, ReleaseReport, commit_place, tag_place};

/// The trailers `release` writes into both the tag and the commit.
const SHARED: [&str; 6] = [
    "Document",
    "Version",
    "Date",
    "Author",
    "Adopted",
    "Approved-by",
];

/// A release as read from the repository, with what is wrong with it whoever is trusted
/// ([`read`]); what its signatures and approvals are worth is decided by [`judge`], once the
/// history has given the trust list and the approval commits.
pub(crate) struct Read {
    /// Which of the SOP's releases it is.
    index: usize,
    /// The tag; `None` when it cannot be read.
    tag: Option<StoredTag>,
    /// The release commit.
    commit: Option<StoredCommit>,
    /// Whether sopctl made the record.
    by_sopctl: bool,
    /// A tag made by another tool on a commit that is not a release commit: only its
    /// signature is checked.
    foreign: bool,
    /// What is wrong with the tag's message and its agreement with the release commit.
    tag_problems: Vec<Problem>,
    /// The released file; `None` when the release commit holds no readable file with the ID.
    sop: Option<Sop>,
    /// What is wrong with the released file.
    file_problems: Vec<Problem>,
    /// What is wrong with its revision-history table.
    table_problems: Vec<Problem>,
    /// The released file's revision-history section, when it was read from its heading on,
    /// with the offset in the body it was read from.
    section: Option<(revision_table::Section, usize)>,
}

/// Reads the release `records[index]` of `id` (`records` oldest first) and checks it as far as
/// no trust list decides: the tag's trailers against its commit, the released file, its
/// revision history. The SSH signatures of the tag and the commit are checked against their
/// records into `intact`, for [`judge`] to weigh.
pub(crate) fn read(
    files: &Files<'_>,
    id: &DocId,
    records: &[ReleaseRecord],
    index: usize,
    intact: &IntactSignatures,
) -> Read {
    let mut read = Read {
        index,
        tag: None,
        commit: None,
        by_sopctl: false,
        foreign: false,
        tag_problems: Vec::new(),
        sop: None,
        file_problems: Vec::new(),
        table_problems: Vec::new(),
        section: None,
    };
    let Some(record) = records.get(index) else {
        return read;
    };
    read.by_sopctl = record.by_sopctl;
    let Some(tag) = files.repo.stored_tag(&record.tag) else {
        return read;
    };
    let tag_at = tag_place(&record.tag);
    let commit = files.repo.stored_commit(&record.commit);
    let commit_signature = commit.as_ref().and_then(|c| c.signature.as_ref());
    for signature in [tag.signature.as_ref(), commit_signature]
        .into_iter()
        .flatten()
    {
        intact.check(signature);
    }
    // A tag made by another tool records no more than its name and signature; but a tag on a
    // release commit of this version is sopctl's, whatever its message now says.
    if !record.by_sopctl {
        let Some(c) = commit.as_ref().filter(|c| is_release_of(c, id, record)) else {
            read.foreign = true;
            read.tag = Some(tag);
            read.commit = commit;
            return read;
        };
        read.by_sopctl = true;
        read.tag_problems.push(Problem::new(
            &tag_at,
            Kind::Tag,
            format!(
                "its message does not end with the release record (Version, Document, Date and Author trailers) that the release commit {} holds: the tag was changed after the release",
                super::short(&c.id)
            ),
        ));
    }
    let mut texts = trailer_problems(id, record, &tag.message);
    if let Some(c) = &commit {
        texts.extend(commit_problems(&tag, c));
    }
    read.tag_problems.extend(
        texts
            .into_iter()
            .map(|text| Problem::new(&tag_at, Kind::Tag, text)),
    );
    read.tag = Some(tag);
    read.commit = commit;
    let Some(sop) = files.document(&record.commit, id) else {
        read.file_problems.push(Problem::new(
            &commit_place(&record.commit),
            Kind::ReleasedFile,
            format!("the release commit holds no readable file with the ID {id}"),
        ));
        return read;
    };
    let file_at = format!(
        "{} in {}",
        sop.path().display(),
        commit_place(&record.commit)
    );
    if let Some(tag) = &read.tag {
        read.file_problems.extend(
            file_problems(&sop, record, &tag.message)
                .into_iter()
                .map(|text| Problem::new(&file_at, Kind::ReleasedFile, text)),
        );
    }
    let (shown, later) = records.split_at(index.saturating_add(1).min(records.len()));
    let (section, section_start) = revision_table::find_noting_start(&sop);
    read.table_problems = super::table::problems_in(section.as_ref(), shown, later, &|r| {
        // This release's own row is as it is; earlier adopted rows as they were kept.
        if r.version == record.version {
            None
        } else {
            files.adopted_row(id, r)
        }
    })
    .into_iter()
    .map(|text| Problem::new(&file_at, Kind::RevisionHistory, text))
    .collect();
    read.section = section.zip(section_start);
    read.sop = Some(sop);
    read
}

impl Read {
    /// The released file, with its revision-history section and the offset in its body the
    /// section was read from, when it was read from its heading on
    /// ([`revision_table::find_noting_start`]).
    pub(crate) fn released_section(&self) -> Option<(&Sop, &revision_table::Section, usize)> {
        let (section, start) = self.section.as_ref()?;
        Some((self.sop.as_ref()?, section, *start))
    }
}

/// Weighs the release [`read`] (`records` oldest first): its tag's and commit's signatures
/// against the trust list, its approvals against the approval commits; then every problem, in
/// the order they are reported: signatures, tag, released file, approvals, revision history.
pub(crate) fn judge(
    ctx: &Context<'_>,
    id: &DocId,
    records: &[ReleaseRecord],
    read: &Read,
) -> ReleaseReport {
    let Some(record) = records.get(read.index) else {
        return empty(id, &DocVersion::new(0, 0, 0), "", "");
    };
    let mut report = empty(id, &record.version, &record.tag, &record.commit);
    report.by_sopctl = read.by_sopctl;
    let tag_at = tag_place(&record.tag);
    let Some(tag) = &read.tag else {
        report
            .problems
            .push(Problem::new(&tag_at, Kind::Tag, "the tag cannot be read"));
        return report;
    };
    let checked = ctx.trust.check(
        ctx.repo(),
        &record.commit,
        tag.signature.as_ref(),
        tag.time,
        (None, None),
    );
    report.signature = checked.verdict;
    if let Some(text) = checked.problem {
        report
            .problems
            .push(Problem::new(&tag_at, Kind::Signature, text));
    }
    if let Some(c) = &read.commit {
        let checked = ctx.trust.check(
            ctx.repo(),
            &c.id,
            c.signature.as_ref(),
            c.time,
            (None, None),
        );
        report.commit_signature = checked.verdict;
        if let Some(text) = checked.problem {
            report
                .problems
                .push(Problem::new(&commit_place(&c.id), Kind::Signature, text));
        }
    }
    if read.foreign {
        return report;
    }
    report.problems.extend(read.tag_problems.iter().cloned());
    report.problems.extend(read.file_problems.iter().cloned());
    let Some(sop) = &read.sop else {
        return report;
    };
    if let Some(c) = &read.commit {
        let (listed, problems) = super::approvals::check(ctx, id, records, read.index, sop, c);
        report.approvals = listed;
        report.problems.extend(problems);
    }
    report.problems.extend(read.table_problems.iter().cloned());
    report
}

fn empty(id: &DocId, version: &DocVersion, tag: &str, commit: &str) -> ReleaseReport {
    ReleaseReport {
        id: id.clone(),
        version: version.clone(),
        tag: tag.to_string(),
        commit: commit.to_string(),
        by_sopctl: false,
        signature: Verdict::Unsigned,
        commit_signature: Verdict::Unsigned,
        approvals: Vec::new(),
        problems: Vec::new(),
    }
}

/// Whether `commit` is the release commit of `record`: its message records the release of this
/// SOP in this version.
fn is_release_of(commit: &StoredCommit, id: &DocId, record: &ReleaseRecord) -> bool {
    let m = &commit.message;
    m.trailer("Document") == Some(id.as_str())
        && m.trailer("Version")
            .and_then(|v| DocVersion::parse_full(v).ok())
            .is_some_and(|v| v == record.version)
}

/// The tag's own trailers: present, well formed, and naming this SOP and version.
fn trailer_problems(id: &DocId, record: &ReleaseRecord, m: &Message) -> Vec<String> {
    let mut out = Vec::new();
    match m.trailer("Version").map(DocVersion::parse_full) {
        Some(Ok(v)) if v == record.version => {}
        Some(_) => out.push(format!(
            "its Version trailer says {}, but its name says {}",
            m.trailer("Version").unwrap_or(""),
            record.version.full()
        )),
        None => {}
    }
    match m.trailer("Document") {
        Some(d) if d == id.as_str() => {}
        Some(d) => out.push(format!("its Document trailer names {d}, not {id}")),
        None => out.push("it has no Document trailer".to_string()),
    }
    match m.trailer("Date") {
        Some(d) if d.parse::<jiff::civil::Date>().is_ok() => {}
        Some(d) => out.push(format!("its Date trailer `{d}` is not a date (YYYY-MM-DD)")),
        None => out.push("it has no Date trailer".to_string()),
    }
    if m.trailer("Author").is_none_or(str::is_empty) {
        out.push("it has no Author trailer".to_string());
    }
    for trailer in m.all("Approved-by") {
        let a = Approval::from_trailer(&trailer);
        if [&a.name, &a.email, &a.role, &a.meaning, &a.date]
            .iter()
            .any(|v| v.is_empty())
        {
            out.push(format!(
                "its approval `{trailer}` lacks a name, e-mail, role, meaning or date"
            ));
        }
    }
    for trailer in m.all(RENDITION_TRAILER) {
        if crate::repo::transaction::rendition_checksum(&trailer).is_none() {
            out.push(format!(
                "its {RENDITION_TRAILER} trailer `{trailer}` is not a file name and sha256 checksum"
            ));
        }
    }
    out
}

/// The tag against the release commit: the same summary and the same release trailers.
pub(crate) fn commit_problems(tag: &StoredTag, commit: &StoredCommit) -> Vec<String> {
    let short = super::short(&commit.id);
    if commit.message.trailer("Version").is_none() {
        return vec![format!(
            "it points at commit {short}, which is not a release commit (its message records no release)"
        )];
    }
    let mut out = Vec::new();
    // sopctl writes the tag and its commit in one transaction, with one time: a tag made later
    // was made again after the release, whatever it says (a minute's leeway).
    if (tag.time - commit.time).abs() > 60 {
        let day = |t: i64| {
            jiff::Timestamp::from_second(t)
                .map(|t| t.strftime("%Y-%m-%d %H:%M:%S UTC").to_string())
                .unwrap_or_else(|_| t.to_string())
        };
        out.push(format!(
            "it was made at {}, but its release commit {short} at {}: the tag was made again after the release",
            day(tag.time),
            day(commit.time)
        ));
    }
    let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let commit_summary = words(commit.message.body());
    let tag_summary = tag.message.summary();
    if commit_summary != tag_summary {
        out.push(format!(
            "its summary \"{tag_summary}\" differs from the release commit {short}'s \"{commit_summary}\": the tag was changed after the release"
        ));
    }
    for key in SHARED {
        let (in_tag, in_commit) = (tag.message.all(key), commit.message.all(key));
        if in_tag != in_commit {
            let show = |v: &[String]| {
                if v.is_empty() {
                    "none".to_string()
                } else {
                    v.iter()
                        .map(|s| format!("\"{s}\""))
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            };
            out.push(format!(
                "its {key} trailers ({}) differ from the release commit {short}'s ({}): the tag was changed after the release",
                show(&in_tag),
                show(&in_commit)
            ));
        }
    }
    out
}

/// The released file against the tag: version, effective date, status.
fn file_problems(sop: &Sop, record: &ReleaseRecord, m: &Message) -> Vec<String> {
    let mut out = Vec::new();
    let meta = &sop.metadata;
    if meta.version.as_ref() != Some(&record.version) {
        out.push(format!(
            "the file says version {}, but the tag releases {}",
            meta.version
                .as_ref()
                .map_or_else(|| "nothing".to_string(), ToString::to_string),
            record.version
        ));
    }
    let date = m
        .trailer("Date")
        .and_then(|d| d.parse::<jiff::civil::Date>().ok());
    if let Some(date) = date
        && meta.effective != Some(date)
    {
        out.push(format!(
            "the file's effective date is {}, but the tag's date is {date}",
            meta.effective
                .map_or_else(|| "not set".to_string(), |d| d.to_string())
        ));
    }
    let status = meta.status_or_default();
    if status != Status::Effective {
        out.push(format!(
            "the file's status is {status}, but a release makes it effective"
        ));
    }
    out
}
