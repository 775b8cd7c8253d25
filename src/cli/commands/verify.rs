//! `sopctl verify`: the inspector's check of the record, and of a downloaded copy (issue 15
//! items 5 and 6). Exit 0 when the record is whole and every copy named is genuine, 1 otherwise.

use serde::Serialize;

use crate::cli::json::Version;
use crate::cli::{CliError, Env, Ui};
use crate::doc::DocId;
use crate::verify::copy::{self, CopyReport, Currency};
use crate::verify::signature::Verdict;
use crate::verify::{Problem, RecordReport, ReleaseReport, Report};
use crate::workspace::Workspace;
use crate::workspace::WorkspaceError;

/// Arguments of `sopctl verify`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  sopctl verify                              every release, approval, review and retirement\n  sopctl verify SOP-OPS-007 --json            one SOP's record, as data\n  sopctl verify ~/Downloads/SOP-OPS-007-v1.0.pdf\n                                             is this copy genuine, and is it current?\n\nSignatures are checked as `git verify-tag` checks them, against git's allowed signers\n(gpg.ssh.allowedSignersFile) for SSH keys. Exit status: 0 when the record is whole and\nevery copy named is genuine, 1 when anything is broken."
)]
pub struct VerifyArgs {
    /// SOPs to check (by ID or path), or PDF and HTML copies to check against the record;
    /// default: every SOP
    #[arg(value_name = "DOC|FILE", add = crate::cli::complete::sop())]
    pub targets: Vec<String>,
    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

/// A signature as data.
#[derive(Serialize)]
struct JsonSignature {
    state: &'static str,
    format: Option<crate::verify::signature::Format>,
    key: Option<String>,
    signers: Vec<String>,
}

impl From<&Verdict> for JsonSignature {
    fn from(v: &Verdict) -> JsonSignature {
        JsonSignature {
            state: v.state(),
            format: v.format(),
            key: v.key().map(str::to_string),
            signers: match v {
                Verdict::Good { signers, .. } => signers.clone(),
                _ => Vec::new(),
            },
        }
    }
}

#[derive(Serialize)]
struct JsonApproval {
    #[serde(flatten)]
    approval: crate::cli::json::Approval,
    commit: Option<String>,
    signature: JsonSignature,
}

#[derive(Serialize)]
struct JsonRelease {
    id: String,
    #[serde(flatten)]
    version: Version,
    tag: String,
    commit: String,
    by_sopctl: bool,
    signature: JsonSignature,
    commit_signature: JsonSignature,
    approvals: Vec<JsonApproval>,
    problems: Vec<Problem>,
}

#[derive(Serialize)]
struct JsonRecord {
    kind: crate::verify::RecordKind,
    id: String,
    commit: String,
    what: String,
    signature: JsonSignature,
    problems: Vec<Problem>,
}

#[derive(Serialize)]
struct JsonCopy {
    file: String,
    format: &'static str,
    sha256: String,
    id: Option<String>,
    version: Option<Version>,
    finding: &'static str,
    genuine: bool,
    tag: Option<String>,
    currency: Option<&'static str>,
    /// The version in force, for a superseded copy.
    current: Option<Version>,
    /// The day a pending version takes effect.
    effective_from: Option<String>,
    /// The notice of a stamped copy.
    notice: Option<String>,
    /// A controlled copy: its number, holder, issue and return days.
    controlled: Option<JsonControlled>,
    withdrawn_as: Option<String>,
    replaced_by: Option<String>,
    summary: String,
}

#[derive(Serialize)]
struct JsonControlled {
    number: u32,
    holder: String,
    issued: String,
    returned: Option<String>,
}

#[derive(Serialize)]
struct JsonReport {
    whole: bool,
    problems: usize,
    releases: Vec<JsonRelease>,
    records: Vec<JsonRecord>,
    current: Vec<Problem>,
    registry: Vec<Problem>,
    training: Vec<Problem>,
    copies: Vec<JsonCopy>,
}

/// Checks the record (and the copies named) and reports every break.
///
/// # Errors
/// No repository; a shallow clone; an unknown SOP; a file that cannot be read; and, after the
/// report, a silent exit 1 when something is broken.
pub fn run(env: &Env, ui: &mut Ui, args: &VerifyArgs) -> Result<(), CliError> {
    let ws = env.workspace(ui)?;
    let (files, names): (Vec<&String>, Vec<&String>) = args
        .targets
        .iter()
        .partition(|t| copy::is_rendition(&env.cwd.join(t)));
    let mut copies = Vec::new();
    for file in &files {
        let path = env.cwd.join(file);
        ui.verbose(&format!(
            "checking the copy {file} against the release records"
        ));
        copies.push(
            copy::check(&ws, &path, std::path::Path::new(file)).map_err(|e| match e {
                copy::CopyError::Read(e) => CliError::from(e),
                // A copy is checked against the records of the repository it came from.
                copy::CopyError::Workspace(WorkspaceError::NotARepository { path }) => {
                    CliError::new(format!(
                        "{} is not in a git repository, so there are no release records to check {file} against",
                        path.display()
                    ))
                    .hint("run it inside a copy (git clone) of the repository the SOP comes from:  cd REPOSITORY  then  sopctl verify FILE")
                }
                copy::CopyError::Workspace(e) => CliError::from(e),
            })?,
        );
    }
    let report = if files.is_empty() || !names.is_empty() {
        let ids = if names.is_empty() {
            None
        } else {
            Some(resolve(&ws, &names)?)
        };
        Some(crate::verify::check(&ws, ids.as_deref())?)
    } else {
        None
    };
    let broken = report.as_ref().map_or(0, |r| r.problems().count());
    let not_genuine = copies.iter().filter(|c| !c.is_genuine()).count();
    if args.json {
        print_json(ui, report.as_ref(), &copies)?;
    } else {
        if let Some(report) = &report {
            print_report(ui, report)?;
        }
        for c in &copies {
            ui.line(&format!("{}: {}", c.file.display(), c.sentence()))?;
        }
    }
    finish(ui, report.as_ref(), broken, not_genuine)
}

/// The SOPs named, by ID or path; an ID with release tags counts even when its file is gone.
fn resolve(ws: &Workspace, names: &[&String]) -> Result<Vec<DocId>, CliError> {
    let mut ids = Vec::new();
    for name in names {
        let id = match super::find_doc(ws, Some(name)) {
            Ok(sop) => super::require_id(ws, &sop)?,
            Err(err) => {
                let released = DocId::parse(name)
                    .ok()
                    .filter(|id| ws.releases(id).is_ok_and(|r| !r.records.is_empty()));
                released.ok_or(err)?
            }
        };
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

/// The closing message and the exit code.
fn finish(
    ui: &mut Ui,
    report: Option<&Report>,
    broken: usize,
    not_genuine: usize,
) -> Result<(), CliError> {
    if broken > 0 {
        let mut err = CliError::new(format!(
            "the record is broken: {broken} {} found",
            if broken == 1 { "problem" } else { "problems" }
        ))
        .hint("each problem names its tag or commit; look at one with  git show NAME  and ask the SOP's owner how it came about");
        if not_genuine > 0 {
            err = err.cause(copies_words(not_genuine));
        }
        return Err(err);
    }
    if not_genuine > 0 {
        return Err(CliError::new(copies_words(not_genuine)).hint(
            "use only a copy that  sopctl verify  says is genuine and current; the SOP's owner can publish the current version with  sopctl publish",
        ));
    }
    if let Some(report) = report {
        let records = report.records.len();
        ui.status(&format!(
            "the record is whole: {} {} and {records} approval, review and retirement {} checked",
            report.releases.len(),
            if report.releases.len() == 1 {
                "release"
            } else {
                "releases"
            },
            if records == 1 { "record" } else { "records" }
        ));
    }
    Ok(())
}

fn copies_words(count: usize) -> String {
    if count == 1 {
        "1 copy is not the copy its release recorded".to_string()
    } else {
        format!("{count} copies are not the copies their releases recorded")
    }
}

/// `whole` or `2 problems`.
fn state(problems: &[Problem]) -> String {
    match problems.len() {
        0 => "whole".to_string(),
        1 => "1 problem".to_string(),
        n => format!("{n} problems"),
    }
}

/// The report, a line a release or record and its problems under it, written at once (one
/// write for a repository of hundreds of releases, not one a line).
fn print_report(ui: &mut Ui, report: &Report) -> Result<(), CliError> {
    let mut lines: Vec<String> = Vec::new();
    let under = |lines: &mut Vec<String>, problems: &[crate::verify::Problem]| {
        lines.extend(problems.iter().map(|p| format!("  {p}")));
    };
    for r in &report.releases {
        lines.push(release_line(r));
        under(&mut lines, &r.problems);
    }
    for r in &report.records {
        lines.push(record_line(r));
        under(&mut lines, &r.problems);
    }
    let groups = [
        ("current files:".to_string(), &report.current),
        (
            "signers registry (people.toml):".to_string(),
            &report.registry,
        ),
        (
            format!("training records ({}):", crate::training::BRANCH),
            &report.training,
        ),
    ];
    for (heading, problems) in groups {
        if !problems.is_empty() {
            lines.push(heading);
            under(&mut lines, problems);
        }
    }
    if lines.is_empty() {
        return Ok(());
    }
    ui.line(&lines.join("\n"))
}

fn release_line(r: &ReleaseReport) -> String {
    let made = if r.by_sopctl {
        String::new()
    } else {
        " (made by another tool: only its signatures are checked)".to_string()
    };
    format!(
        "{} {} ({}, commit {}){made}: {}; tag {}",
        r.id,
        r.version,
        r.tag,
        crate::verify::short(&r.commit),
        state(&r.problems),
        r.signature
    )
}

fn record_line(r: &RecordReport) -> String {
    let kind = match r.kind {
        crate::verify::RecordKind::Approval => "approval",
        crate::verify::RecordKind::Review => "review",
        crate::verify::RecordKind::Retirement => "retirement",
    };
    format!(
        "{kind} of {} ({}, commit {}): {}; {}",
        r.id,
        r.what,
        crate::verify::short(&r.commit),
        state(&r.problems),
        r.signature
    )
}

fn print_json(ui: &mut Ui, report: Option<&Report>, copies: &[CopyReport]) -> Result<(), CliError> {
    let empty = Report::default();
    let report = report.unwrap_or(&empty);
    let releases = report
        .releases
        .iter()
        .map(|r| JsonRelease {
            id: r.id.to_string(),
            version: (&r.version).into(),
            tag: r.tag.clone(),
            commit: r.commit.clone(),
            by_sopctl: r.by_sopctl,
            signature: (&r.signature).into(),
            commit_signature: (&r.commit_signature).into(),
            approvals: r
                .approvals
                .iter()
                .map(|a| JsonApproval {
                    approval: a.approval.clone().into(),
                    commit: a.commit.clone(),
                    signature: (&a.signature).into(),
                })
                .collect(),
            problems: r.problems.clone(),
        })
        .collect();
    let records = report
        .records
        .iter()
        .map(|r| JsonRecord {
            kind: r.kind,
            id: r.id.clone(),
            commit: r.commit.clone(),
            what: r.what.clone(),
            signature: (&r.signature).into(),
            problems: r.problems.clone(),
        })
        .collect();
    let all_genuine = copies.iter().all(CopyReport::is_genuine);
    let copies: Vec<JsonCopy> = copies.iter().map(json_copy).collect();
    let problems = report.problems().count();
    crate::cli::json::print(
        ui,
        &JsonReport {
            whole: problems == 0 && all_genuine,
            problems,
            releases,
            records,
            current: report.current.clone(),
            registry: report.registry.clone(),
            training: report.training.clone(),
            copies,
        },
    )
}

fn json_copy(c: &CopyReport) -> JsonCopy {
    use crate::verify::copy::Finding;
    let (currency, current, withdrawn_as, replaced_by) = match &c.currency {
        None => (None, None, None, None),
        Some(Currency::Current) => (Some("current"), None, None, None),
        Some(Currency::Pending { .. }) => (Some("pending"), None, None, None),
        Some(Currency::Superseded { current }) => {
            (Some("superseded"), Some(current.into()), None, None)
        }
        Some(Currency::Withdrawn { status, by }) => (
            Some("withdrawn"),
            None,
            Some(status.to_string()),
            by.clone(),
        ),
    };
    let effective_from = match &c.currency {
        Some(Currency::Pending { effective }) => Some(effective.to_string()),
        _ => None,
    };
    JsonCopy {
        file: c.file.display().to_string(),
        format: c.format,
        sha256: c.sha256.clone(),
        id: c.id.clone(),
        version: c.version.as_ref().map(Into::into),
        finding: match c.finding {
            Finding::Genuine => "genuine",
            Finding::Altered => "altered",
            Finding::NoChecksums => "no-checksums",
            Finding::Draft => "draft",
            Finding::NotReleased => "not-released",
            Finding::NoIdentity => "no-identity",
            Finding::Stamped { .. } => "stamped",
            Finding::Controlled { .. } => "controlled",
            Finding::RecordBroken(_) => "record-broken",
        },
        genuine: c.is_genuine(),
        tag: c.tag.clone(),
        currency,
        current,
        effective_from,
        notice: match &c.finding {
            Finding::Stamped { notice } => Some(notice.clone()),
            _ => None,
        },
        controlled: match &c.finding {
            Finding::Controlled {
                number,
                holder,
                issued,
                returned,
            } => Some(JsonControlled {
                number: *number,
                holder: holder.clone(),
                issued: issued.to_string(),
                returned: returned.map(|d| d.to_string()),
            }),
            _ => None,
        },
        withdrawn_as,
        replaced_by,
        summary: c.sentence(),
    }
}
