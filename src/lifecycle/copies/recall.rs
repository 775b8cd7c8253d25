//! The recall list: which controlled copies still out must come back, given the version in
//! force on a day and whether the SOP is withdrawn.

use jiff::civil::Date;

use super::{ControlledCopy, CopyError, Register};
use crate::doc::{DocId, Status};
use crate::version::DocVersion;
use crate::workspace::{Workspace, WorkspaceError};

/// The version of an SOP in force on a day, with the day it took effect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InForce {
    /// The version.
    pub version: DocVersion,
    /// Its effective date.
    pub since: Date,
}

/// What decides whether an SOP's copies must come back: its version in force on a day, and
/// whether it is withdrawn.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Standing {
    /// The version in force ([`crate::repo::Releases::current`]); `None` when none is.
    pub in_force: Option<InForce>,
    /// How it was withdrawn ([`crate::lifecycle::History::retirement`]), if it was.
    pub withdrawn: Option<Status>,
}

impl Standing {
    /// SOP `id`'s standing on `on`: its releases, and its retirement recorded in git.
    ///
    /// # Errors
    /// No repository, a shallow clone, tags that cannot be read.
    pub fn of(ws: &Workspace, id: &DocId, on: Date) -> Result<Standing, WorkspaceError> {
        Ok(Standing::new(
            &ws.releases(id)?,
            ws.lifecycle().retirement(id.as_str()).map(|r| r.status),
            on,
        ))
    }

    /// The standing on `on` of an SOP with these `releases`, withdrawn as `withdrawn`.
    pub fn new(releases: &crate::repo::Releases, withdrawn: Option<Status>, on: Date) -> Standing {
        Standing {
            in_force: releases.current(on).map(|r| InForce {
                version: r.version.clone(),
                since: r.date,
            }),
            withdrawn,
        }
    }
}

/// Why a copy must come back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecallReason {
    /// A newer version is in force.
    NewerVersion(InForce),
    /// The SOP is withdrawn (superseded or obsolete).
    Withdrawn(Status),
    /// No version of the SOP is in force, or not the copy's (its release is gone).
    NotInForce,
}

impl RecallReason {
    /// A stable code for scripts: `newer-version`, `withdrawn`, `not-in-force`.
    pub fn code(&self) -> &'static str {
        match self {
            RecallReason::NewerVersion(_) => "newer-version",
            RecallReason::Withdrawn(_) => "withdrawn",
            RecallReason::NotInForce => "not-in-force",
        }
    }
}

impl std::fmt::Display for RecallReason {
    /// In words: `1.2 is in force since 2026-03-01`, `the SOP is obsolete`, `its version is no
    /// longer in force`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RecallReason::NewerVersion(now) => {
                write!(f, "{} is in force since {}", now.version, now.since)
            }
            RecallReason::Withdrawn(status) => write!(f, "the SOP is {status}"),
            RecallReason::NotInForce => f.write_str("its version is no longer in force"),
        }
    }
}

/// A copy that must come back, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recall {
    /// The copy.
    pub copy: ControlledCopy,
    /// Why.
    pub reason: RecallReason,
}

/// Why `copy` must come back given its SOP's `standing`, or `None` when it may stay out (it is
/// back already, or its version is the one in force).
pub fn recall_reason(copy: &ControlledCopy, standing: &Standing) -> Option<RecallReason> {
    if !copy.is_out() {
        return None;
    }
    if let Some(status) = standing.withdrawn {
        return Some(RecallReason::Withdrawn(status));
    }
    match &standing.in_force {
        Some(now) if now.version == copy.version => None,
        Some(now) if now.version > copy.version => Some(RecallReason::NewerVersion(now.clone())),
        _ => Some(RecallReason::NotInForce),
    }
}

/// The copies among `copies` (of one SOP) to recall given its `standing`, by number.
pub fn recalls<'c>(
    copies: impl IntoIterator<Item = &'c ControlledCopy>,
    standing: &Standing,
) -> Vec<Recall> {
    copies
        .into_iter()
        .filter_map(|copy| {
            recall_reason(copy, standing).map(|reason| Recall {
                copy: copy.clone(),
                reason,
            })
        })
        .collect()
}

/// The recall list of the workspace on `on`: every copy still out whose version is not in
/// force that day or whose SOP is withdrawn, by SOP then number.
///
/// # Errors
/// The history or the tags cannot be read; a shallow clone.
pub fn recall_list(ws: &Workspace, on: Date) -> Result<Vec<Recall>, WorkspaceError> {
    let register = Register::read(ws.require_repo()?)?;
    let mut out = Vec::new();
    for id in register.ids() {
        let Ok(doc_id) = DocId::parse(id) else {
            continue;
        };
        let standing = Standing::of(ws, &doc_id, on)?;
        out.extend(recalls(register.of(id), &standing));
    }
    Ok(out)
}

/// Copy `number` of SOP `id` when it may be printed again (its first PDF was not written, or
/// was lost before it was printed): still out, and of the version in force (`standing`).
///
/// # Errors
/// [`CopyError::UnknownNumber`], [`CopyError::AlreadyReturned`], [`CopyError::Recalled`].
pub fn reprintable<'r>(
    register: &'r Register,
    standing: &Standing,
    id: &str,
    number: u32,
) -> Result<&'r ControlledCopy, CopyError> {
    let copy = register.outstanding(id, number)?;
    match recall_reason(copy, standing) {
        Some(reason) => Err(CopyError::Recalled {
            id: id.to_string(),
            number,
            reason,
        }),
        None => Ok(copy),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{day, history};
    use super::*;

    #[test]
    fn a_copy_is_recalled_when_its_version_is_not_in_force_or_its_sop_is_withdrawn() {
        let register = Register::from_commits(&history());
        let in_force = |v: DocVersion| Standing {
            in_force: Some(InForce {
                version: v,
                since: day("2026-03-01"),
            }),
            withdrawn: None,
        };
        assert_eq!(
            recalls(register.of("SOP-1"), &in_force(DocVersion::new(1, 0, 0))),
            vec![]
        );
        let newer = recalls(register.of("SOP-1"), &in_force(DocVersion::new(1, 1, 0)));
        let numbers: Vec<u32> = newer.iter().map(|r| r.copy.number).collect();
        assert_eq!(numbers, vec![1, 3]);
        assert_eq!(
            newer[0].reason.to_string(),
            "1.1 is in force since 2026-03-01"
        );
        assert_eq!(newer[0].reason.code(), "newer-version");
        let withdrawn = Standing {
            withdrawn: Some(Status::Obsolete),
            ..in_force(DocVersion::new(1, 0, 0))
        };
        let gone = recalls(register.of("SOP-1"), &withdrawn);
        assert_eq!(gone.len(), 2);
        assert_eq!(gone[0].reason.to_string(), "the SOP is obsolete");
        let none = recalls(register.of("SOP-1"), &Standing::default());
        assert_eq!(none[0].reason, RecallReason::NotInForce);
    }
}
