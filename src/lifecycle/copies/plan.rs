//! The plans of an issue and of a return: checked, numbered, and the commit message that
//! records them.

use super::{
    BY, ControlledCopy, CopyError, DOCUMENT, HOLDER, ISSUED, MAX_COUNT, NUMBER, RETURNED, Register,
    VERSION,
};
use crate::doc::{DocId, Sop};
use crate::repo::{Identity, ReleaseRecord};
use crate::workspace::{Workspace, WorkspaceError};
use jiff::civil::Date;

/// An issue of controlled copies, checked and ready to be rendered and recorded.
#[derive(Debug, Clone)]
pub struct IssuePlan {
    /// The SOP.
    pub id: DocId,
    /// The release in force, whose text the copies carry.
    pub release: ReleaseRecord,
    /// The releases that take effect later: the copies will have to come back then.
    pub pending: Vec<ReleaseRecord>,
    /// The copies, numbered, with `issue_commit` still empty.
    pub copies: Vec<ControlledCopy>,
}

impl IssuePlan {
    /// Plans `count` copies of `sop`'s version in force on `ws.today` for `holder` (as given;
    /// normalised by [`super::holder`]), recorded as issued by `by`.
    ///
    /// # Errors
    /// [`CopyError::Withdrawn`], [`CopyError::NotInForce`], a bad holder or count; the history
    /// or the tags cannot be read.
    pub fn new(
        ws: &Workspace,
        sop: &Sop,
        id: &DocId,
        holder_text: &str,
        count: u32,
        by: &Identity,
    ) -> Result<IssuePlan, CopyError> {
        let holder = super::holder(holder_text)?;
        if count == 0 || count > MAX_COUNT {
            return Err(CopyError::Count {
                count,
                max: MAX_COUNT,
            });
        }
        if let Some(status) = crate::lifecycle::retired_status(ws, sop) {
            return Err(CopyError::Withdrawn {
                id: id.to_string(),
                status,
            });
        }
        let releases = ws.releases(id)?;
        let Some(release) = releases.current(ws.today).cloned() else {
            return Err(CopyError::NotInForce {
                id: id.to_string(),
                today: ws.today,
                first: releases
                    .records
                    .iter()
                    .min_by_key(|r| r.date)
                    .map(|r| (r.version.clone(), r.date)),
            });
        };
        let register = Register::read(ws.require_repo()?).map_err(WorkspaceError::from)?;
        let first = register.next_number(id.as_str());
        let copies = (0..count)
            .map(|i| ControlledCopy {
                id: id.to_string(),
                number: first.saturating_add(i),
                version: release.version.clone(),
                holder: holder.clone(),
                issued: ws.today,
                issued_by: format!("{} <{}>", by.name, by.email),
                issue_commit: String::new(),
                returned: None,
                return_commit: None,
            })
            .collect();
        Ok(IssuePlan {
            id: id.clone(),
            pending: releases.pending(ws.today).into_iter().cloned().collect(),
            release,
            copies,
        })
    }

    /// The numbers in words: `1` or `1-3`.
    pub fn numbers(&self) -> String {
        match (self.copies.first(), self.copies.last()) {
            (Some(a), Some(b)) if a.number != b.number => format!("{}-{}", a.number, b.number),
            (Some(a), _) => a.number.to_string(),
            _ => String::new(),
        }
    }

    /// The commit message that records the issue (see the module's documentation).
    pub fn message(&self) -> String {
        let Some(first) = self.copies.first() else {
            return String::new();
        };
        let what = if self.copies.len() == 1 {
            "controlled copy"
        } else {
            "controlled copies"
        };
        let mut message = format!(
            "{}: {what} {} of {} issued to {}\n\n",
            self.id,
            self.numbers(),
            first.version,
            first.holder
        );
        for (k, v) in [
            (DOCUMENT, self.id.to_string()),
            (VERSION, first.version.full()),
            (HOLDER, first.holder.clone()),
            (ISSUED, first.issued.to_string()),
            (BY, first.issued_by.clone()),
        ] {
            message.push_str(&format!("{k}: {v}\n"));
        }
        for copy in &self.copies {
            message.push_str(&format!("{NUMBER}: {}\n", copy.number));
        }
        message
    }
}

/// The return of one copy, checked and ready to be recorded.
#[derive(Debug, Clone)]
pub struct ReturnPlan {
    /// The copy as issued.
    pub copy: ControlledCopy,
    /// The day it came back.
    pub date: Date,
    /// Who records it (`Name <email>`).
    pub by: String,
}

impl ReturnPlan {
    /// Plans the return of copy `number` of SOP `id` on `date`, by `by`. A withdrawn SOP's
    /// copies may come back: that is the recall.
    ///
    /// # Errors
    /// [`CopyError::UnknownNumber`], [`CopyError::AlreadyReturned`].
    pub fn new(
        register: &Register,
        id: &str,
        number: u32,
        date: Date,
        by: &Identity,
    ) -> Result<ReturnPlan, CopyError> {
        let copy = register.outstanding(id, number)?;
        Ok(ReturnPlan {
            copy: copy.clone(),
            date,
            by: format!("{} <{}>", by.name, by.email),
        })
    }

    /// The commit message that records the return.
    pub fn message(&self) -> String {
        let c = &self.copy;
        format!(
            "{}: controlled copy {} returned\n\n{DOCUMENT}: {}\n{NUMBER}: {}\n{RETURNED}: {}\n{BY}: {}\n",
            c.id, c.number, c.id, c.number, self.date, self.by
        )
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{by, commit, day, history};
    use super::*;
    use crate::version::DocVersion;

    #[test]
    fn the_records_written_read_back() {
        let register = Register::from_commits(&history());
        let plan = IssuePlan {
            id: DocId::parse("SOP-1").expect("id"),
            release: ReleaseRecord {
                version: DocVersion::new(1, 0, 0),
                date: day("2026-01-01"),
                recorded: day("2026-01-01"),
                retrain: None,
                author: String::new(),
                summary: String::new(),
                approvals: Vec::new(),
                tag: "SOP-1/v1.0.0".into(),
                commit: "0".repeat(40),
                by_sopctl: true,
                adopted: false,
            },
            pending: Vec::new(),
            copies: (4..=5)
                .map(|number| ControlledCopy {
                    number,
                    holder: "Line 4".into(),
                    issue_commit: String::new(),
                    ..register.get("SOP-1", 1).expect("copy").clone()
                })
                .collect(),
        };
        assert_eq!(
            plan.message(),
            "SOP-1: controlled copies 4-5 of 1.0 issued to Line 4\n\nCopy-Document: SOP-1\nCopy-Version: 1.0.0\nCopy-Holder: Line 4\nCopy-Issued: 2026-01-15\nCopy-By: Alex Example <alex@example.org>\nCopy-Number: 4\nCopy-Number: 5\n"
        );
        let back = ReturnPlan::new(&register, "SOP-1", 1, day("2026-02-02"), &by()).expect("out");
        let mut commits = history();
        commits.insert(0, commit("c7", &back.message()));
        commits.insert(0, commit("c8", &plan.message()));
        let read = Register::from_commits(&commits);
        assert_eq!(
            read.get("SOP-1", 1).and_then(|c| c.returned),
            Some(day("2026-02-02"))
        );
        assert_eq!(
            read.get("SOP-1", 5).map(|c| c.holder.as_str()),
            Some("Line 4")
        );
    }

    #[test]
    fn a_return_is_refused_for_an_unknown_number_and_a_copy_back_already() {
        let register = Register::from_commits(&history());
        let today = day("2026-03-01");
        match ReturnPlan::new(&register, "SOP-1", 99, today, &by()) {
            Err(CopyError::UnknownNumber { outstanding, .. }) => {
                assert_eq!(outstanding, vec![1, 3]);
            }
            other => panic!("{other:?}"),
        }
        match ReturnPlan::new(&register, "SOP-1", 2, today, &by()) {
            Err(e @ CopyError::AlreadyReturned { .. }) => assert_eq!(
                e.to_string(),
                "controlled copy No. 2 of SOP-1 was returned on 2026-02-01"
            ),
            other => panic!("{other:?}"),
        }
    }
}
