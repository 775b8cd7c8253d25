//! Controlled copies (issue 16 item 3): numbered printed copies of the version in force, each
//! issued to a holder and recalled when that version stops being in force.
//!
//! Takes the workspace (its releases, its retirements, today's date) and the commits that record
//! the copies; returns the distribution register ([`Register`]), the copies to recall
//! ([`recalls`]), the plan of an issue or a return (refusals as [`CopyError`]), and the PDF of
//! a copy in memory ([`Printer`]). It writes no file and makes no commit: the command line
//! commits the message a plan gives ([`IssuePlan::message`], [`ReturnPlan::message`]) and then
//! writes the PDFs.
//!
//! An issue is one commit with no file changes; the copies it issues share a version, a holder
//! and a date, and each has a `Copy-Number` trailer of its own:
//!
//! ```text
//! SOP-IT-001: controlled copies 1-2 of 1.1 issued to Line 3
//!
//! Copy-Document: SOP-IT-001
//! Copy-Version: 1.1.0
//! Copy-Holder: Line 3
//! Copy-Issued: 2026-11-30
//! Copy-By: Alex Example <alex@example.org>
//! Copy-Number: 1
//! Copy-Number: 2
//! ```
//!
//! A return is a commit of its own with `Copy-Document`, `Copy-Number`, `Copy-Returned: DATE`
//! and `Copy-By`. Numbers count per SOP from 1 and are never given twice: the next is one more
//! than the highest number any issue record of the SOP carries.
//!
//! - this file: the records ([`ControlledCopy`], [`Register`]) and the refusals ([`CopyError`]).
//! - `recall.rs`: the recall list ([`Standing`], [`recalls`], [`recall_list`]).
//! - `plan.rs`: an issue or a return, checked, with its commit message ([`IssuePlan`],
//!   [`ReturnPlan`]).
//! - `print.rs`: the PDF of a copy, in memory ([`Printer`]).

mod plan;
mod print;
mod recall;

pub use plan::{IssuePlan, ReturnPlan};
pub use print::Printer;
pub use recall::{
    InForce, Recall, RecallReason, Standing, recall_list, recall_reason, recalls, reprintable,
};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use crate::doc::{Finding, Status};
use crate::repo::{Repo, TrailerCommit};
use crate::version::DocVersion;
use crate::workspace::WorkspaceError;

/// The trailer that makes a commit a controlled-copy record: the SOP's ID.
pub const DOCUMENT: &str = "Copy-Document";
/// The version issued, in full (`1.1.0`).
pub const VERSION: &str = "Copy-Version";
/// The copy's number; one trailer per copy.
pub const NUMBER: &str = "Copy-Number";
/// Who holds the copy (a person, a place, a line).
pub const HOLDER: &str = "Copy-Holder";
/// The day the copies were issued (`YYYY-MM-DD`, in the repository's time zone).
pub const ISSUED: &str = "Copy-Issued";
/// The day the copy came back.
pub const RETURNED: &str = "Copy-Returned";
/// Who recorded the issue or the return: `Name <email>`.
pub const BY: &str = "Copy-By";

/// The most copies one `issue` makes.
pub const MAX_COUNT: u32 = 100;

/// One controlled copy, as the register holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ControlledCopy {
    /// The SOP.
    pub id: String,
    /// Its number, from 1, per SOP.
    pub number: u32,
    /// The version printed on it.
    pub version: DocVersion,
    /// Who holds it.
    pub holder: String,
    /// The day it was issued.
    pub issued: Date,
    /// Who issued it (`Name <email>`), as recorded.
    pub issued_by: String,
    /// The commit that records the issue (full id); empty in a plan not yet committed.
    pub issue_commit: String,
    /// The day it came back, if it has.
    pub returned: Option<Date>,
    /// The commit that records the return (full id).
    pub return_commit: Option<String>,
}

impl ControlledCopy {
    /// Whether the copy is still out (not returned).
    pub fn is_out(&self) -> bool {
        self.returned.is_none()
    }

    /// The notice printed in the footer of every page in place of the `footer` setting:
    /// `Controlled copy No. 3, issued to Line 3 on 2026-11-30`.
    pub fn notice(&self) -> String {
        format!(
            "Controlled copy No. {}, issued to {} on {}",
            self.number, self.holder, self.issued
        )
    }

    /// The PDF's file name: `SOP-IT-001-v1.1-copy-3.pdf`.
    pub fn file_name(&self) -> String {
        format!("{}-v{}-copy-{}.pdf", self.id, self.version, self.number)
    }

    /// Where the PDF goes in the folder of copies `dir`: `{dir}/{ID}/{file name}`.
    pub fn path_in(&self, dir: &Path) -> PathBuf {
        dir.join(&self.id).join(self.file_name())
    }
}

/// The distribution register: every controlled copy recorded on the current branch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Register {
    /// Every copy, by SOP then number.
    copies: BTreeMap<(String, u32), ControlledCopy>,
    /// The highest number any issue record of an SOP carries, readable or not.
    highest: BTreeMap<String, u32>,
    /// Issues of a number already issued (two branches that each issued copies, merged): the
    /// later issue, kept out of the register so that each number names one copy.
    clashes: Vec<ControlledCopy>,
}

impl Register {
    /// Reads the copy records of the current branch's history, in one walk.
    ///
    /// # Errors
    /// [`crate::repo::RepoError`] when the history cannot be read.
    pub fn read(repo: &Repo) -> Result<Register, crate::repo::RepoError> {
        Ok(Register::from_commits(
            &repo.commits_with_any_trailer(&[DOCUMENT])?,
        ))
    }

    /// The register the copy records among `commits` (newest first, as git walks them) make;
    /// other commits are passed over. A record that cannot be read (a number or date that is
    /// not one) is left out, but its numbers are still counted as given; an issue of a number
    /// already issued (two branches merged) keeps the older one, and only a copy's first return
    /// counts.
    pub fn from_commits(commits: &[TrailerCommit]) -> Register {
        let mut register = Register::default();
        for c in commits.iter().rev() {
            let m = &c.message;
            let Some(id) = m.trailer(DOCUMENT).map(str::trim) else {
                continue;
            };
            let numbers: Vec<u32> = m
                .all(NUMBER)
                .iter()
                .filter_map(|n| n.trim().parse().ok())
                .collect();
            let date = |key: &str| m.trailer(key).and_then(|d| d.trim().parse::<Date>().ok());
            if m.trailer(ISSUED).is_some() {
                if let Some(top) = numbers.iter().max() {
                    let highest = register.highest.entry(id.to_string()).or_default();
                    *highest = (*highest).max(*top);
                }
                let version = m.trailer(VERSION).and_then(|v| DocVersion::parse(v).ok());
                let holder = m.trailer(HOLDER).map(str::trim).unwrap_or_default();
                let (Some(version), Some(issued)) = (version, date(ISSUED)) else {
                    continue;
                };
                if holder.is_empty() {
                    continue;
                }
                for number in numbers {
                    let copy = ControlledCopy {
                        id: id.to_string(),
                        number,
                        version: version.clone(),
                        holder: holder.to_string(),
                        issued,
                        issued_by: m.trailer(BY).unwrap_or_default().to_string(),
                        issue_commit: c.commit.clone(),
                        returned: None,
                        return_commit: None,
                    };
                    match register.copies.entry((id.to_string(), number)) {
                        std::collections::btree_map::Entry::Vacant(slot) => {
                            slot.insert(copy);
                        }
                        std::collections::btree_map::Entry::Occupied(_) => {
                            register.clashes.push(copy);
                        }
                    }
                }
            } else if let Some(returned) = date(RETURNED) {
                for number in numbers {
                    if let Some(copy) = register.copies.get_mut(&(id.to_string(), number))
                        && copy.returned.is_none()
                    {
                        copy.returned = Some(returned);
                        copy.return_commit = Some(c.commit.clone());
                    }
                }
            }
        }
        register
    }

    /// Copies issued under a number another copy of the SOP already had (branches that each
    /// issued copies, merged): not in the register; `check` names each.
    pub fn clashes(&self) -> &[ControlledCopy] {
        &self.clashes
    }

    /// Every copy, by SOP then number.
    pub fn all(&self) -> impl Iterator<Item = &ControlledCopy> {
        self.copies.values()
    }

    /// The copies of SOP `id`, by number.
    pub fn of<'r>(&'r self, id: &'r str) -> impl Iterator<Item = &'r ControlledCopy> + 'r {
        self.copies.values().filter(move |c| c.id == id)
    }

    /// Copy `number` of SOP `id`.
    pub fn get(&self, id: &str, number: u32) -> Option<&ControlledCopy> {
        self.copies.get(&(id.to_string(), number))
    }

    /// The SOPs that have copies, sorted.
    pub fn ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = self.copies.keys().map(|(id, _)| id.as_str()).collect();
        ids.dedup();
        ids
    }

    /// Copy `number` of SOP `id`, if it is still out.
    ///
    /// # Errors
    /// [`CopyError::UnknownNumber`] (naming the copies still out), [`CopyError::AlreadyReturned`].
    pub fn outstanding(&self, id: &str, number: u32) -> Result<&ControlledCopy, CopyError> {
        let Some(copy) = self.get(id, number) else {
            return Err(CopyError::UnknownNumber {
                id: id.to_string(),
                number,
                outstanding: self
                    .of(id)
                    .filter(|c| c.is_out())
                    .map(|c| c.number)
                    .collect(),
            });
        };
        match copy.returned {
            Some(on) => Err(CopyError::AlreadyReturned {
                id: id.to_string(),
                number,
                on,
            }),
            None => Ok(copy),
        }
    }

    /// The number the next copy of SOP `id` gets: one more than the highest ever issued.
    pub fn next_number(&self, id: &str) -> u32 {
        self.highest.get(id).map_or(1, |n| n.saturating_add(1))
    }
}

/// Why copies cannot be issued, printed or returned. Nothing has been recorded when one is
/// returned.
#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    /// The history, the tags or the repository cannot be read.
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
    /// The SOP is superseded or obsolete.
    #[error("{id} is {status}; controlled copies are issued only of an SOP in force")]
    Withdrawn {
        /// The SOP.
        id: String,
        /// How it was withdrawn.
        status: Status,
    },
    /// No release of the SOP has taken effect.
    #[error("{id} has no version in force on {today}{}", match first { Some((v, d)) => format!(": {v} takes effect on {d}"), None => String::from(" (it has no release)") })]
    NotInForce {
        /// The SOP.
        id: String,
        /// Today.
        today: Date,
        /// The first release to take effect, and when.
        first: Option<(DocVersion, Date)>,
    },
    /// The holder is empty after trimming.
    #[error("the holder is empty: name the person, place or line that receives the copies")]
    EmptyHolder,
    /// The holder holds a control character (a line break, a tab), or a character that
    /// changes the direction of the text after it (Unicode UAX #9 explicit formatting), which
    /// would make the register and the footer read differently from what was typed.
    #[error(
        "the holder `{holder}` holds a line break, a tab or a character that turns the text's direction"
    )]
    HolderControl {
        /// As given.
        holder: String,
    },
    /// The holder holds characters the PDF's font cannot draw: the footer would show boxes
    /// instead of the holder's name.
    #[error("the holder `{holder}` holds characters the PDF cannot print ({missing})")]
    HolderGlyphs {
        /// As given.
        holder: String,
        /// The characters, as typed.
        missing: String,
    },
    /// The notice with this holder does not fit in the page footer.
    #[error("the notice `{notice}` is too long to be printed whole in the page footer")]
    NoticeTooLong {
        /// The notice.
        notice: String,
    },
    /// `--count` out of range.
    #[error("the number of copies must be from 1 to {max}, not {count}")]
    Count {
        /// As given.
        count: u32,
        /// [`MAX_COUNT`].
        max: u32,
    },
    /// No copy of the SOP has this number.
    #[error("{id} has no controlled copy No. {number}")]
    UnknownNumber {
        /// The SOP.
        id: String,
        /// As given.
        number: u32,
        /// The numbers still out, to choose from.
        outstanding: Vec<u32>,
    },
    /// The copy came back already.
    #[error("controlled copy No. {number} of {id} was returned on {on}")]
    AlreadyReturned {
        /// The SOP.
        id: String,
        /// The copy.
        number: u32,
        /// When it came back.
        on: Date,
    },
    /// The copy is to be recalled, so it is not printed again.
    #[error(
        "controlled copy No. {number} of {id} must be recalled ({reason}), so it is not printed again"
    )]
    Recalled {
        /// The SOP.
        id: String,
        /// The copy.
        number: u32,
        /// Why.
        reason: RecallReason,
    },
    /// The release holds no readable document with the ID.
    #[error("the release {tag} holds no readable file with the ID {id}")]
    MissingDocument {
        /// The SOP.
        id: String,
        /// Its release tag.
        tag: String,
    },
    /// The copy's release is not among the tags any more.
    #[error("{id} has no release {version} any more, so its copy cannot be printed")]
    MissingRelease {
        /// The SOP.
        id: String,
        /// The copy's version.
        version: DocVersion,
    },
    /// The PDF cannot be made.
    #[error("the PDF of controlled copy No. {number} cannot be made: {reason}")]
    Render {
        /// The copy.
        number: u32,
        /// Why.
        reason: String,
    },
    /// Something the release shows cannot be drawn (an image missing): a controlled copy shows
    /// the whole procedure or is not made.
    #[error(
        "the PDF of {id} {version} cannot show everything the release holds (see the problems above)"
    )]
    Incomplete {
        /// The SOP.
        id: String,
        /// The version.
        version: DocVersion,
        /// What cannot be drawn, located in the released text.
        findings: Vec<Finding>,
    },
}

/// The holder as it is recorded: white space runs made one space, trimmed.
///
/// # Errors
/// [`CopyError::EmptyHolder`], [`CopyError::HolderControl`].
pub fn holder(text: &str) -> Result<String, CopyError> {
    // UAX #9 explicit directional formatting characters (and the marks).
    let directional = |c: char| matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    if text.chars().any(|c| c.is_control() || directional(c)) {
        return Err(CopyError::HolderControl {
            holder: text.to_string(),
        });
    }
    let holder = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if holder.is_empty() {
        return Err(CopyError::EmptyHolder);
    }
    let missing: String = holder
        .chars()
        .filter(|c| !c.is_whitespace())
        .filter(|c| {
            !crate::render::pdf::fonts::has_glyph(crate::render::pdf::fonts::FaceId::Sans, *c)
        })
        .collect();
    if !missing.is_empty() {
        return Err(CopyError::HolderGlyphs { holder, missing });
    }
    Ok(holder)
}

#[cfg(test)]
pub(crate) mod testing {
    //! What the tests of the submodules share: a history of copy records.
    use super::*;
    use crate::repo::Identity;
    use crate::repo::records::Message;

    pub(crate) fn commit(id: &str, message: &str) -> TrailerCommit {
        TrailerCommit {
            commit: id.to_string(),
            message: Message::parse(message),
            time: 0,
        }
    }

    pub(crate) fn day(text: &str) -> Date {
        text.parse().expect("date")
    }

    pub(crate) fn by() -> Identity {
        Identity {
            name: "Alex Example".into(),
            email: "alex@example.org".into(),
        }
    }

    /// Two issues and a return, newest first as git lists them.
    pub(crate) fn history() -> Vec<TrailerCommit> {
        vec![
            commit(
                "c3",
                "SOP-1: controlled copy 2 returned\n\nCopy-Document: SOP-1\nCopy-Number: 2\nCopy-Returned: 2026-02-01\nCopy-By: Alex Example <alex@example.org>\n",
            ),
            commit(
                "c2",
                "SOP-1: controlled copy 3 of 1.0 issued to QA office\n\nCopy-Document: SOP-1\nCopy-Version: 1.0.0\nCopy-Holder: QA office\nCopy-Issued: 2026-01-15\nCopy-By: Alex Example <alex@example.org>\nCopy-Number: 3\n",
            ),
            commit(
                "c1",
                "SOP-1: controlled copies 1-2 of 1.0 issued to Line 3\n\nCopy-Document: SOP-1\nCopy-Version: 1.0.0\nCopy-Holder: Line 3\nCopy-Issued: 2026-01-15\nCopy-By: Alex Example <alex@example.org>\nCopy-Number: 1\nCopy-Number: 2\n",
            ),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{commit, day, history};
    use super::*;

    #[test]
    fn the_register_reads_issues_and_returns_with_exact_values() {
        let register = Register::from_commits(&history());
        let numbers: Vec<(u32, &str, Option<Date>)> = register
            .of("SOP-1")
            .map(|c| (c.number, c.holder.as_str(), c.returned))
            .collect();
        assert_eq!(
            numbers,
            vec![
                (1, "Line 3", None),
                (2, "Line 3", Some(day("2026-02-01"))),
                (3, "QA office", None)
            ]
        );
        let two = register.get("SOP-1", 2).expect("copy 2");
        assert_eq!(two.issue_commit, "c1");
        assert_eq!(two.return_commit.as_deref(), Some("c3"));
        assert_eq!(two.version, DocVersion::new(1, 0, 0));
        assert_eq!(
            two.notice(),
            "Controlled copy No. 2, issued to Line 3 on 2026-01-15"
        );
        assert_eq!(two.file_name(), "SOP-1-v1.0-copy-2.pdf");
        assert_eq!(register.next_number("SOP-1"), 4);
        assert_eq!(register.next_number("SOP-2"), 1);
        assert_eq!(register.ids(), vec!["SOP-1"]);
    }

    #[test]
    fn a_number_is_never_given_twice_even_when_its_record_is_unreadable() {
        let mut commits = history();
        commits.insert(
            0,
            commit(
                "c4",
                "SOP-1: controlled copy 7\n\nCopy-Document: SOP-1\nCopy-Version: nonsense\nCopy-Holder: X\nCopy-Issued: 2026-01-16\nCopy-Number: 7\n",
            ),
        );
        let register = Register::from_commits(&commits);
        assert!(register.get("SOP-1", 7).is_none());
        assert_eq!(register.next_number("SOP-1"), 8);
    }

    #[test]
    fn the_first_return_counts_and_an_issue_merged_twice_keeps_the_older() {
        let mut commits = history();
        commits.insert(
            0,
            commit(
                "c5",
                "SOP-1: controlled copy 2 returned\n\nCopy-Document: SOP-1\nCopy-Number: 2\nCopy-Returned: 2026-03-01\n",
            ),
        );
        commits.insert(
            0,
            commit(
                "c6",
                "SOP-1: copy\n\nCopy-Document: SOP-1\nCopy-Version: 1.0.0\nCopy-Holder: Elsewhere\nCopy-Issued: 2026-01-20\nCopy-Number: 3\n",
            ),
        );
        let register = Register::from_commits(&commits);
        assert_eq!(
            register.get("SOP-1", 2).and_then(|c| c.returned),
            Some(day("2026-02-01"))
        );
        assert_eq!(
            register.get("SOP-1", 3).map(|c| c.holder.as_str()),
            Some("QA office")
        );
    }

    #[test]
    fn the_holder_is_one_line_of_words() {
        assert_eq!(holder("  Line   3 ").expect("ok"), "Line 3");
        assert!(matches!(holder("   "), Err(CopyError::EmptyHolder)));
        assert!(matches!(
            holder("Line\n3"),
            Err(CopyError::HolderControl { .. })
        ));
    }
}
