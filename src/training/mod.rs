//! TRAINING: read-and-understood records tied to the exact version of an SOP (issue 17), for
//! the training that ISO 13485 §6.2, EU GMP Part I Chapter 2 (2.10–2.14) and 21 CFR 211.25
//! require people to have on the procedures they follow.
//!
//! **Who must train** ([`matrix`]): an SOP names the roles that must train on it
//! (`audience: [Operators]`); the signers registry (`people.toml`, [`crate::people`]) gives each
//! person's roles. A release needs retraining unless it says otherwise ([`needs_training`]).
//!
//! **Where the records are**: on the branch [`BRANCH`] (`sopctl/training`), never checked out
//! and never merged into the documents' branch, so `git log` of the SOPs stays readable with
//! 100,000 records. Its tree holds one file per person, `acks/EMAIL`, one line per
//! acknowledgement ([`Ack::line`]); each acknowledgement is also a commit of its own (signed
//! when signing is on) whose message carries the same values as trailers (`Ack-Document`,
//! `Ack-Version`, `Ack-Content`, `Ack-Name`, `Ack-Email`, `Ack-Date`): the file is what is read
//! (one tree, fast), the commit is the record. A team shares the branch with
//! `git push origin sopctl/training`; `git fetch` brings the others', and the next
//! acknowledgement merges a fetched branch that moved on (each person's file joined line by
//! line, [`join`]).

pub mod matrix;

use std::collections::HashMap;

use jiff::civil::Date;

use crate::doc::{DocId, Sop};
use crate::repo::{ReleaseRecord, Repo, RepoError};
use crate::version::DocVersion;
use crate::workspace::{Workspace, WorkspaceError};

/// The branch the training records are kept on.
pub const BRANCH: &str = "sopctl/training";

/// The folder of the branch's tree that holds one file per person.
const FOLDER: &str = "acks";

/// One person's "read and understood" of one version of an SOP.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Ack {
    /// The SOP's ID.
    pub id: String,
    /// The version read.
    pub version: DocVersion,
    /// The content hash of that version ([`crate::lifecycle::content_hash`]): the
    /// acknowledgement is bound to the text, as an approval is.
    pub content: String,
    /// When, UTC, RFC 3339 (`2026-11-30T10:02:11Z`).
    pub time: String,
    /// The day, in the repository's time zone.
    pub date: Date,
    /// The person's printed name.
    pub name: String,
    /// The person's e-mail address, as the registry has it.
    pub email: String,
    /// What they noted (`-m`), possibly empty.
    pub note: String,
}

impl Ack {
    /// The line of the person's file: ID, full version, content hash, time, day, name and
    /// note, separated by tabs (tabs and line breaks inside a value become spaces).
    pub fn line(&self) -> String {
        let clean = |v: &str| {
            v.chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect::<String>()
        };
        format!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
            clean(&self.id),
            self.version.full(),
            clean(&self.content),
            clean(&self.time),
            self.date,
            clean(&self.name),
            clean(&self.note)
        )
    }

    /// Reads a line written by [`Ack::line`] in the file of `email`; `None` for a line that
    /// is not one.
    pub fn parse(line: &str, email: &str) -> Option<Ack> {
        let mut parts = line.trim_end_matches(['\n', '\r']).split('\t');
        let id = parts.next()?.to_string();
        let version = DocVersion::parse(parts.next()?).ok()?;
        let content = parts.next()?.to_string();
        let time = parts.next()?.to_string();
        let date = parts.next()?.parse().ok()?;
        let name = parts.next()?.to_string();
        let note = parts.next().unwrap_or("").to_string();
        (!id.is_empty()).then(|| Ack {
            id,
            version,
            content,
            time,
            date,
            name,
            email: email.to_string(),
            note,
        })
    }

    /// The trailers of the acknowledgement's commit.
    pub fn trailers(&self) -> String {
        format!(
            "Ack-Document: {}\nAck-Version: {}\nAck-Content: {}\nAck-Name: {}\nAck-Email: {}\nAck-Date: {}\n",
            self.id,
            self.version.full(),
            self.content,
            self.name,
            self.email,
            self.time
        )
    }
}

/// The name of a person's file: their e-mail address in small letters (addresses are matched
/// without regard to capitals), with every byte other than letters, digits and `@._+-` written
/// `%XX` (its hexadecimal value), so that two addresses never share a file and none leads out
/// of the folder.
pub fn file_name(email: &str) -> String {
    let mut out = String::new();
    for b in email.trim().to_lowercase().bytes() {
        if b.is_ascii_alphanumeric() || b"@._+-".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    // `.` and `..` alone are not file names git keeps.
    if out.chars().all(|c| c == '.') {
        out = out.replace('.', "%2E");
    }
    out
}

/// Two versions of a person's file joined: every line of `earlier`, then each line of
/// `other` that `earlier` does not have.
pub fn join(earlier: &[u8], other: &[u8]) -> Vec<u8> {
    let mut out = earlier.to_vec();
    if !out.is_empty() && !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    let have: std::collections::HashSet<&[u8]> = earlier.split(|b| *b == b'\n').collect();
    for line in other.split(|b| *b == b'\n') {
        if !line.is_empty() && !have.contains(line) {
            out.extend_from_slice(line);
            out.push(b'\n');
        }
    }
    out
}

/// What the matrix needs of one acknowledgement: the version and the day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Brief {
    /// The version acknowledged.
    pub version: DocVersion,
    /// The day.
    pub date: Date,
}

/// Every acknowledgement recorded, by person (their file name, [`file_name`]) and SOP, as much
/// as the matrix needs ([`Brief`]): 100,000 records are read without keeping their text.
#[derive(Debug, Clone, Default)]
pub struct Acks {
    by_person: HashMap<String, HashMap<String, Vec<Brief>>>,
}

impl Acks {
    /// Reads the records of the branch and of every remote's copy of it (joined as
    /// [`join`] does); none when the branch does not exist yet. Lines that are not records
    /// are passed over.
    ///
    /// # Errors
    /// A branch or file that cannot be read.
    pub fn read(repo: &Repo) -> Result<Acks, RepoError> {
        let tips = repo.side_tips(BRANCH);
        let files = repo.side_files(&tips, FOLDER, &|_, a, b| join(a, b))?;
        let mut by_person: HashMap<String, HashMap<String, Vec<Brief>>> = HashMap::new();
        let mut versions: HashMap<String, DocVersion> = HashMap::new();
        for (name, bytes) in files {
            let text = String::from_utf8_lossy(&bytes);
            let mine = by_person.entry(name).or_default();
            for line in text.lines() {
                let mut parts = line.split('\t');
                let (Some(id), Some(version), Some(_), Some(_), Some(day)) = (
                    parts.next(),
                    parts.next(),
                    parts.next(),
                    parts.next(),
                    parts.next(),
                ) else {
                    continue;
                };
                let version = match versions.get(version) {
                    Some(v) => v.clone(),
                    None => match DocVersion::parse(version) {
                        Ok(v) => {
                            versions.insert(version.to_string(), v.clone());
                            v
                        }
                        Err(_) => continue,
                    },
                };
                let Ok(date) = day.parse::<Date>() else {
                    continue;
                };
                let brief = Brief { version, date };
                match mine.get_mut(id) {
                    Some(list) => list.push(brief),
                    None => {
                        mine.insert(id.to_string(), vec![brief]);
                    }
                }
            }
        }
        Ok(Acks { by_person })
    }

    /// The records of the person with `email` only, in full (one file read: what `sopctl ack`
    /// needs), oldest first.
    ///
    /// # Errors
    /// A branch or file that cannot be read.
    pub fn read_person(repo: &Repo, email: &str) -> Result<Vec<Ack>, RepoError> {
        let tips = repo.side_tips(BRANCH);
        let name = file_name(email);
        let Some(bytes) = repo.side_file(&tips, FOLDER, &name, &|_, a, b| join(a, b))? else {
            return Ok(Vec::new());
        };
        let text = String::from_utf8_lossy(&bytes);
        Ok(text.lines().filter_map(|l| Ack::parse(l, email)).collect())
    }

    /// The acknowledgements of SOP `id` by the person whose file is `key` ([`file_name`]),
    /// oldest first.
    pub fn of(&self, key: &str, id: &str) -> &[Brief] {
        self.by_person
            .get(key)
            .and_then(|m| m.get(id))
            .map_or(&[], Vec::as_slice)
    }
}

/// The files a commit on top of `tips` changes against the first tip so that it holds every
/// tip's records (none with one tip).
fn joined_changes(repo: &Repo, tips: &[git2::Oid]) -> Result<crate::repo::side::Files, RepoError> {
    if tips.len() < 2 {
        return Ok(crate::repo::side::Files::new());
    }
    let merge = |_: &str, a: &[u8], b: &[u8]| join(a, b);
    let first: Vec<git2::Oid> = tips.iter().take(1).copied().collect();
    let base = repo.side_files(&first, FOLDER, &merge)?;
    Ok(repo
        .side_files(tips, FOLDER, &merge)?
        .into_iter()
        .filter(|(name, bytes)| base.get(name) != Some(bytes))
        .collect())
}

/// Records `ack` as a commit on [`BRANCH`] (merging a fetched copy of the branch that moved
/// on), signed and run through the hooks as `options` say. Returns the commit's id.
///
/// # Errors
/// The branch moved meanwhile, signing or a hook refused, or git failed; nothing is changed.
pub fn record(
    repo: &Repo,
    ack: &Ack,
    message: &str,
    time: i64,
    options: crate::repo::transaction::RecordOptions,
) -> Result<String, RepoError> {
    let tips = repo.side_tips(BRANCH);
    let merge = |_: &str, a: &[u8], b: &[u8]| join(a, b);
    let file = file_name(&ack.email);
    // One tip: only the person's file changes. Several (a fetched branch moved on): every
    // file that differs from the first tip's is joined into the merge.
    let mut changes = joined_changes(repo, &tips)?;
    let mine = match changes.remove(&file) {
        Some(joined) => joined,
        None => repo
            .side_file(&tips, FOLDER, &file, &merge)?
            .unwrap_or_default(),
    };
    changes.insert(file, join(&mine, ack.line().as_bytes()));
    let identity = crate::repo::Identity {
        name: ack.name.clone(),
        email: ack.email.clone(),
    };
    repo.commit_side(
        BRANCH, &tips, FOLDER, &changes, message, &identity, time, options,
    )
}

/// When a fetched copy of [`BRANCH`] moved on beside the local one: a merge commit that joins
/// them, by `identity` at `time`, so that `git push` takes the branch again. `None` when there
/// is nothing to join.
///
/// # Errors
/// As [`record`].
pub fn join_fetched(
    repo: &Repo,
    identity: &crate::repo::Identity,
    time: i64,
    options: crate::repo::transaction::RecordOptions,
) -> Result<Option<String>, RepoError> {
    let tips = repo.side_tips(BRANCH);
    if tips.len() < 2 {
        return Ok(None);
    }
    let changes = joined_changes(repo, &tips)?;
    let message = "Join the training records fetched from other copies of the repository\n";
    repo.commit_side(
        BRANCH, &tips, FOLDER, &changes, message, identity, time, options,
    )
    .map(Some)
}

/// The SOPs of the work tree that name an `audience` (only `ids`, when given), with what each
/// asks of it today ([`matrix::requirement`]; nothing for a withdrawn SOP).
///
/// # Errors
/// The release records cannot be read (no repository, a shallow clone).
pub fn subjects(
    ws: &Workspace,
    ids: Option<&[DocId]>,
) -> Result<Vec<matrix::Subject>, WorkspaceError> {
    let mut out = Vec::new();
    for entry in ws.documents() {
        let Ok(sop) = entry.sop else { continue };
        let Some(id) = sop.id() else { continue };
        if sop.metadata.audience.is_empty() || ids.is_some_and(|ids| !ids.contains(id)) {
            continue;
        }
        if out.iter().any(|s: &matrix::Subject| s.id == id.as_str()) {
            continue;
        }
        let requirement = if crate::lifecycle::retired_status(ws, &sop).is_some() {
            None
        } else {
            matrix::requirement(
                &ws.releases(id)?,
                ws.today,
                ws.settings.training_days,
                ws.settings.retrain_on_patch,
            )
        };
        out.push(matrix::Subject {
            id: id.to_string(),
            title: sop.metadata.title.clone().unwrap_or_default(),
            audience: sop.metadata.audience.clone(),
            requirement,
        });
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(out)
}

/// For `sopctl check`: a warning at the `audience` of each SOP among `entries` naming a role
/// that nobody in `people.toml` holds, so nobody would be asked to train on it (a misspelt
/// role, or nobody registered yet).
pub fn audience_findings(
    ws: &Workspace,
    entries: &[crate::workspace::Entry],
) -> Vec<crate::doc::Finding> {
    let registry = crate::people::load(ws).ok().flatten().unwrap_or_default();
    let mut findings = Vec::new();
    for entry in entries {
        let Ok(sop) = &entry.sop else { continue };
        let Some(at) = sop.front_matter.as_ref().and_then(|fm| fm.get("audience")) else {
            continue;
        };
        for role in &sop.metadata.audience {
            let held = registry
                .people
                .iter()
                .any(|p| p.roles.iter().any(|r| r.eq_ignore_ascii_case(role)));
            if !held {
                findings.push(crate::doc::Finding::warning(
                    ws.display_path(&entry.path),
                    at.location,
                    format!(
                        "nobody in people.toml holds the audience role `{role}`, so nobody is asked to train on this SOP; register them with  sopctl people add NAME --email E --role {}  (or correct the role)",
                        crate::shell::quote(role)
                    ),
                ));
            }
        }
    }
    findings
}

/// Why `sopctl ack` records nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AckRefusal {
    /// The SOP has no release: there is no version to have read.
    #[error("{id} has no release yet, so there is no version to acknowledge")]
    NotReleased {
        /// The SOP.
        id: String,
    },
    /// The SOP is withdrawn.
    #[error("{id} is {status}: a withdrawn SOP is not trained on")]
    Withdrawn {
        /// The SOP.
        id: String,
        /// `superseded` or `obsolete`.
        status: crate::doc::Status,
    },
    /// The version asked for is not the one to know now.
    #[error("{id} {asked} is not the version to know: {current} is{}", if *.pending { " (it takes effect soon)" } else { " in force" })]
    NotCurrent {
        /// The SOP.
        id: String,
        /// The version asked for.
        asked: DocVersion,
        /// The version to acknowledge.
        current: DocVersion,
        /// Whether that version waits for its day.
        pending: bool,
    },
    /// There is no signers registry.
    #[error("there is no people.toml, so nobody is registered to train")]
    NoRegistry,
    /// The person is not in the registry.
    #[error("{email} is not in people.toml, so their training is not recorded")]
    NotRegistered {
        /// Their git e-mail address.
        email: String,
    },
}

/// What `sopctl ack` records, or that it is recorded already.
#[derive(Debug, Clone)]
pub enum AckPlan {
    /// A new acknowledgement and its commit message.
    Record {
        /// The acknowledgement.
        ack: Ack,
        /// The commit message (subject, note, trailers).
        message: String,
        /// Whether the person holds one of the SOP's audience roles (or it names none): someone
        /// outside the audience may read it too, but the matrix does not ask it of them.
        in_audience: bool,
    },
    /// The person acknowledged this version before.
    Already(Ack),
}

/// What `identity` acknowledging `sop` records at `time` (RFC 3339, UTC; `date` its day in the
/// repository's zone): the newest release, in force or waiting for its day (or `version`, if
/// it is that one), bound to its content hash. `earlier` are the person's records so far
/// ([`Acks::read_person`]).
///
/// # Errors
/// [`AckRefusal`] for a withdrawn or unreleased SOP, another version, a person not registered;
/// [`WorkspaceError`] when the records cannot be read.
#[allow(clippy::too_many_arguments, reason = "one record, described in full")]
pub fn plan_ack(
    ws: &Workspace,
    sop: &Sop,
    id: &DocId,
    version: Option<&DocVersion>,
    identity: &crate::repo::Identity,
    note: &str,
    (time, date): (&str, Date),
    earlier: &[Ack],
) -> Result<Result<AckPlan, AckRefusal>, WorkspaceError> {
    if let Some(status) = crate::lifecycle::retired_status(ws, sop) {
        return Ok(Err(AckRefusal::Withdrawn {
            id: id.to_string(),
            status,
        }));
    }
    let releases = ws.releases(id)?;
    let Some(target) = releases.latest() else {
        return Ok(Err(AckRefusal::NotReleased { id: id.to_string() }));
    };
    if let Some(asked) = version
        && asked != &target.version
    {
        return Ok(Err(AckRefusal::NotCurrent {
            id: id.to_string(),
            asked: asked.clone(),
            current: target.version.clone(),
            pending: target.date > ws.today,
        }));
    }
    let registry = match crate::people::load(ws) {
        Ok(Some(registry)) => registry,
        _ => return Ok(Err(AckRefusal::NoRegistry)),
    };
    let Some(person) = registry
        .people
        .iter()
        .find(|p| p.email.eq_ignore_ascii_case(identity.email.trim()))
    else {
        return Ok(Err(AckRefusal::NotRegistered {
            email: identity.email.clone(),
        }));
    };
    if let Some(done) = earlier
        .iter()
        .find(|a| a.id == id.as_str() && a.version == target.version)
    {
        return Ok(Ok(AckPlan::Already(done.clone())));
    }
    let repo = ws.require_repo()?;
    let relative = repo.relative(sop.path());
    let content = repo
        .document_at(&target.commit, id, relative.as_deref())
        .and_then(|(path, bytes)| Sop::from_bytes(&path, bytes).ok())
        .map(|released| crate::lifecycle::content_hash(&released))
        .unwrap_or_default();
    let ack = Ack {
        id: id.to_string(),
        version: target.version.clone(),
        content,
        time: time.to_string(),
        date,
        name: person.name.clone(),
        email: person.email.clone(),
        note: note.trim().to_string(),
    };
    let mut message = format!("{id}: {} read and understood {}\n\n", ack.name, ack.version);
    if !ack.note.is_empty() {
        message.push_str(&format!("{}\n\n", ack.note));
    }
    message.push_str(&ack.trailers());
    let audience = &sop.metadata.audience;
    let in_audience = audience.is_empty()
        || audience
            .iter()
            .any(|a| person.roles.iter().any(|r| r.eq_ignore_ascii_case(a)));
    Ok(Ok(AckPlan::Record {
        ack,
        message,
        in_audience,
    }))
}

/// Whether the release at `index` of `records` (oldest first) needs its audience to train on
/// it again (issue 17): as its tag says (`Retrain:`, written by `release`, `--no-retrain`
/// for an editorial change); for a tag that does not say, a first, major or minor release
/// does, a patch release only with `retrain_on_patch`.
pub fn needs_training(records: &[ReleaseRecord], index: usize, retrain_on_patch: bool) -> bool {
    let Some(record) = records.get(index) else {
        return false;
    };
    if let Some(said) = record.retrain {
        return said;
    }
    match index.checked_sub(1).and_then(|i| records.get(i)) {
        None => true,
        Some(before) => !is_patch(&before.version, &record.version) || retrain_on_patch,
    }
}

/// Whether `to` differs from `from` in the patch number only.
pub fn is_patch(from: &DocVersion, to: &DocVersion) -> bool {
    let (a, b) = (from.full(), to.full());
    let head = |v: &str| v.splitn(3, '.').take(2).collect::<Vec<_>>().join(".");
    head(&a) == head(&b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> DocVersion {
        DocVersion::parse(s).expect("version")
    }

    #[test]
    fn a_line_reads_back_and_values_cannot_break_it() {
        let ack = Ack {
            id: "SOP-1".into(),
            version: v("1.1"),
            content: "sha256:ab".into(),
            time: "2026-11-30T10:00:00Z".into(),
            date: "2026-11-30".parse().expect("date"),
            name: "Olga\tOperator".into(),
            email: "olga@example.org".into(),
            note: "Read it\nall".into(),
        };
        let line = ack.line();
        assert_eq!(
            line,
            "SOP-1\t1.1.0\tsha256:ab\t2026-11-30T10:00:00Z\t2026-11-30\tOlga Operator\tRead it all\n"
        );
        let back = Ack::parse(&line, "olga@example.org").expect("parsed");
        assert_eq!(back.name, "Olga Operator");
        assert_eq!(back.version, v("1.1"));
        assert_eq!(Ack::parse("not a record", "x"), None);
    }

    #[test]
    fn joined_files_keep_every_line_once() {
        assert_eq!(join(b"a\nb\n", b"b\nc\n"), b"a\nb\nc\n".to_vec());
        assert_eq!(join(b"", b"c\n"), b"c\n".to_vec());
        assert_eq!(join(b"a", b"a\n"), b"a\n".to_vec());
    }

    #[test]
    fn patches_need_no_training_unless_the_setting_says_so() {
        assert!(is_patch(&v("1.1"), &v("1.1.1")));
        assert!(!is_patch(&v("1.1"), &v("1.2")));
        assert!(!is_patch(&v("1.9.3"), &v("2.0")));
        assert_eq!(file_name(" Olga.O@Example.org "), "olga.o@example.org");
        assert_eq!(file_name("a/b@x"), "a%2Fb@x");
        assert_ne!(file_name("a/b@x"), file_name("a_b@x"));
        assert_eq!(file_name("../x@y"), "..%2Fx@y");
        assert_eq!(file_name(".."), "%2E%2E");
    }
}
