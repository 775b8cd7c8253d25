//! `sopctl release`: a new version (SPEC §5).

use crate::cli::error::refusals_error;
use crate::cli::{CliError, Env, Ui};
use crate::doc::Sop;
use crate::doc::metadata::parse_date;
use crate::lifecycle::copies::{InForce, Recall, Standing};
use crate::release::{ReleasePlan, ReleaseRequest, apply, plan};
use crate::version::{Bump, DocVersion};
use crate::workspace::{Workspace, WorkspaceError};

/// Arguments of `sopctl release`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  sopctl release -m \"First release under sopctl\"        release the version in the front matter\n  sopctl release --minor -m \"Add FAQ for enterprise plans\"\n  sopctl release SOP-OPS-007 --major -m \"New cleaning agent\" --dry-run\n  sopctl release --patch -m \"Fix a typo\" --dry-run --json    the plan as data\n\n--major: a changed procedure that needs retraining; --minor: a clarification or addition;\n--patch: an editorial fix. The first release of a document releases the version in its\nfront matter. Nothing is changed when anything is wrong: every problem is listed at once."
)]
#[command(group(clap::ArgGroup::new("bump").args(["major", "minor", "patch", "set_version"])))]
pub struct ReleaseArgs {
    /// The SOP, by ID or path (may be left out when only one has changes)
    #[arg(add = crate::cli::complete::sop())]
    pub doc: Option<String>,
    /// A changed procedure that needs retraining: 1.4 → 2.0
    #[arg(long)]
    pub major: bool,
    /// A clarification or addition: 1.4 → 1.5
    #[arg(long)]
    pub minor: bool,
    /// An editorial fix: 1.4 → 1.4.1
    #[arg(long)]
    pub patch: bool,
    /// Release exactly this version
    #[arg(long, value_name = "VERSION")]
    pub set_version: Option<String>,
    /// Why this version exists: one line for the revision history
    #[arg(short = 'm', long = "message", value_name = "SUMMARY")]
    pub summary: Option<String>,
    /// The author recorded in the revision history (default: your git name)
    #[arg(long)]
    pub author: Option<String>,
    /// The day the version takes effect, YYYY-MM-DD (default: today, in the `timezone` of
    /// sopctl.toml); a later day releases it now and puts it in force on that day
    #[arg(long = "effective", visible_alias = "date", value_name = "DATE")]
    pub date: Option<String>,
    /// The change needs no retraining (an editorial change): acknowledgements of the version
    /// before still count; recorded in the tag
    #[arg(long)]
    pub no_retrain: bool,
    /// Show what would be done, change nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Do not write the PDF and HTML renditions
    #[arg(long)]
    pub no_render: bool,
    /// Signing and hooks.
    #[command(flatten)]
    pub record: super::RecordArgs,
    /// Print the plan (with --dry-run) or the release made as JSON
    #[arg(long)]
    pub json: bool,
}

/// `release --json`: the plan, and after a release the commit made (keys in docs/json.md).
#[derive(serde::Serialize)]
struct ReleaseJson<'a> {
    /// Whether this is the plan of a dry run: nothing was changed, `commit` is null.
    dry_run: bool,
    id: String,
    title: &'a str,
    /// The document, as the text output shows it.
    path: String,
    /// The version released.
    #[serde(flatten)]
    version: crate::cli::json::Version,
    /// The last release before this one; null for a first release.
    from: Option<crate::cli::json::Version>,
    /// A first release that brings an existing document under sopctl as it is.
    adopting: bool,
    status_before: String,
    effective: String,
    author: &'a str,
    summary: &'a str,
    approvals: Vec<crate::cli::json::Approval>,
    branch: &'a str,
    tag: &'a str,
    /// The release commit (full id); null in a dry run.
    commit: Option<String>,
    /// The front-matter keys that change.
    changed_keys: &'a [&'static str],
    /// The renditions written (empty with --no-render).
    renditions: Vec<String>,
    /// The regenerated revision-history table, as written into the document.
    revision_history: &'a str,
    /// The controlled copies still out of older versions, to recall once this version is in
    /// force (on `effective`).
    recall: Vec<crate::cli::json::Copy>,
}

impl<'a> ReleaseJson<'a> {
    fn new(
        ws: &Workspace,
        plan: &'a ReleasePlan,
        commit: Option<String>,
        recall: &[Recall],
    ) -> ReleaseJson<'a> {
        ReleaseJson {
            dry_run: commit.is_none(),
            id: plan.id.to_string(),
            title: &plan.title,
            path: ws.display_path(&plan.path).display().to_string(),
            version: (&plan.to).into(),
            from: plan.from.as_ref().map(Into::into),
            adopting: plan.adopting,
            status_before: plan.status_before.to_string(),
            effective: plan.effective.to_string(),
            author: &plan.author,
            summary: &plan.summary,
            approvals: plan.signatures.iter().cloned().map(Into::into).collect(),
            branch: &plan.branch,
            tag: &plan.tag_name,
            commit,
            changed_keys: &plan.changed_keys,
            renditions: plan
                .renders
                .iter()
                .map(|p| ws.display_path(p).display().to_string())
                .collect(),
            revision_history: &plan.table,
            recall: crate::cli::json::Copy::recalls(recall),
        }
    }
}

impl ReleaseArgs {
    fn request(&self) -> Result<ReleaseRequest, CliError> {
        let bump = if self.major {
            Some(Bump::Major)
        } else if self.minor {
            Some(Bump::Minor)
        } else if self.patch {
            Some(Bump::Patch)
        } else {
            None
        };
        let set_version = match &self.set_version {
            Some(text) => Some(
                DocVersion::parse(text)
                    .map_err(|e| CliError::usage(format!("--set-version: {e}")))?,
            ),
            None => None,
        };
        let date = match &self.date {
            Some(text) => {
                Some(parse_date(text).map_err(|m| CliError::usage(format!("--effective: {m}")))?)
            }
            None => None,
        };
        Ok(ReleaseRequest {
            bump,
            set_version,
            summary: self.summary.clone(),
            author: self.author.clone(),
            date,
            time: None,
            retrain: self.no_retrain.then_some(false),
            identity: None,
            render: !self.no_render,
            record: self.record.options(),
        })
    }
}

/// Plans the release, prints the plan, and (unless `--dry-run`) carries it out.
///
/// # Errors
/// Exit 1 with every refusal listed; a usage error for a bad `--date` or `--set-version`.
pub fn run(env: &Env, ui: &mut Ui, args: &ReleaseArgs) -> Result<(), CliError> {
    let request = args.request()?;
    let (ws, lock) = env.record_workspace(ui)?;
    let sop = find_changed(&ws, args.doc.as_deref())?;
    let name = sop.id().map_or_else(
        || ws.display_path(sop.path()).display().to_string(),
        ToString::to_string,
    );
    ui.verbose(&format!(
        "the SOP to release: {name} ({})",
        ws.display_path(sop.path()).display()
    ));
    let plan = plan::prepare(&ws, &sop, &request).map_err(|r| refusals_error(&name, &r))?;
    ui.verbose(&format!(
        "planned {} {}: {}",
        plan.id,
        plan.to,
        match (&plan.from, &request.set_version, &request.bump) {
            (None, _, _) => "the first release takes the version in the front matter".to_string(),
            (Some(_), Some(v), _) => format!("--set-version {v}"),
            (Some(from), None, Some(bump)) => format!("{from} raised by --{}", bump_flag(*bump)),
            (Some(from), None, None) => format!("after {from}"),
        }
    ));
    let recall = to_recall(&ws, &plan);
    if args.dry_run {
        if args.json {
            crate::cli::json::print(ui, &ReleaseJson::new(&ws, &plan, None, &recall))?;
        } else {
            print_plan(ui, &ws, &plan, None)?;
        }
        recall_warning(ui, &ws, &plan, &recall);
        ui.status("dry run: nothing was changed");
        return Ok(());
    }
    let lock = super::held(lock.as_ref())?;
    let applied = apply::apply(&ws, &plan, lock).map_err(record_error)?;
    if !args.json {
        for finding in &applied.findings {
            ui.finding(finding)?;
        }
    }
    let written = applied.written;
    ui.verbose(&format!(
        "committed {} on {} and tagged it {}",
        written.commit, plan.branch, plan.tag_name
    ));
    let short = &written.commit[..written.commit.len().min(7)];
    if args.json {
        crate::cli::json::print(
            ui,
            &ReleaseJson::new(&ws, &plan, Some(written.commit.clone()), &recall),
        )?;
    } else if ui.is_quiet() {
        ui.line(&format!(
            "released {} {} (tag {}, commit {short})",
            plan.id, plan.to, plan.tag_name
        ))?;
    } else {
        print_plan(ui, &ws, &plan, Some(short))?;
    }
    recall_warning(ui, &ws, &plan, &recall);
    // Only where there is somewhere to push to (a repository of one's own needs no server).
    if ws.repo.as_ref().is_some_and(crate::repo::Repo::has_remote) {
        ui.hint("share it with:  git push --follow-tags");
    }
    Ok(())
}

/// The controlled copies still out that the planned version replaces: every copy of an older
/// version, to recall once the release is in force (on its effective date).
fn to_recall(ws: &Workspace, plan: &ReleasePlan) -> Vec<Recall> {
    let standing = Standing {
        in_force: Some(InForce {
            version: plan.to.clone(),
            since: plan.effective,
        }),
        withdrawn: None,
    };
    crate::lifecycle::copies::recalls(ws.lifecycle().copies().of(plan.id.as_str()), &standing)
}

/// Names the copies to recall: now, for a release in force today, or on the day a release
/// dated later takes effect.
fn recall_warning(ui: &mut Ui, ws: &Workspace, plan: &ReleasePlan, recall: &[Recall]) {
    if recall.is_empty() {
        return;
    }
    let items = super::copy::recall_items(recall);
    if plan.effective > ws.today {
        ui.warning(&format!(
            "when {} {} takes effect on {}, recall these controlled copies: {items}",
            plan.id, plan.to, plan.effective
        ));
    } else {
        ui.warning(&format!(
            "{} {} is in force: recall these controlled copies: {items}",
            plan.id, plan.to
        ));
    }
    ui.hint(&format!(
        "record each copy that comes back with  sopctl copy return {} NUMBER",
        plan.id
    ));
}

/// The option that asks for `bump`.
fn bump_flag(bump: Bump) -> &'static str {
    match bump {
        Bump::Major => "major",
        Bump::Minor => "minor",
        Bump::Patch => "patch",
    }
}

/// The document named, or, when none is, the only SOP, or the only one with changes since
/// its last release (SPEC §4).
fn find_changed(ws: &Workspace, name: Option<&str>) -> Result<Sop, CliError> {
    match ws.find(name) {
        Ok(sop) => Ok(sop),
        // A name that several files answer to (a shared ID): they are named by path.
        Err(e @ WorkspaceError::Ambiguous { .. }) if name.is_some() => Err(e.into()),
        // A file whose front matter gives no valid ID: planned all the same, so the release is
        // refused with what `sopctl check` finds in it (no front matter, a bad `id`), as check
        // names it, rather than only "not an SOP".
        Err(WorkspaceError::NotAnSop { .. }) if name.is_some() => {
            let path = ws.cwd.join(name.unwrap_or_default());
            Ok(Sop::load(&path).map_err(|e| e.shown_as(&ws.display_path(&path)))?)
        }
        Err(WorkspaceError::Ambiguous { .. }) => {
            let mut changed: Vec<Sop> = ws
                .documents()
                .into_iter()
                .filter_map(|e| e.sop.ok())
                .filter(|sop| ws.has_unreleased_changes(sop))
                .collect();
            if changed.len() == 1 {
                return Ok(changed.remove(0));
            }
            let sops: Vec<Sop> = if changed.is_empty() {
                ws.documents()
                    .into_iter()
                    .filter_map(|e| e.sop.ok())
                    .collect()
            } else {
                changed
            };
            // Each by its ID, or by its path where files share an ID.
            let ids: Vec<Option<&crate::doc::DocId>> = sops.iter().map(Sop::id).collect();
            let list: Vec<String> = sops
                .iter()
                .map(|s| match s.id() {
                    Some(id) if ids.iter().filter(|i| **i == Some(id)).count() == 1 => {
                        id.to_string()
                    }
                    _ => ws.display_path(s.path()).display().to_string(),
                })
                .collect();
            Err(CliError::new(format!(
                "more than one SOP could be released; name one of: {}",
                list.join(", ")
            ))
            .hint({
                let first = list.first().map_or("SOP-ID", String::as_str);
                let shown = crate::shell::quote(first);
                // A first release takes the version in the front matter: no bump to choose.
                let released = crate::doc::DocId::parse(first)
                    .ok()
                    .and_then(|id| ws.releases(&id).ok())
                    .is_some_and(|r| r.latest().is_some());
                if released {
                    format!("sopctl release {shown} --minor -m \"…\"")
                } else {
                    format!("sopctl release {shown} -m \"…\"")
                }
            }))
        }
        Err(_) => super::find_doc(ws, name),
    }
}

/// The plan, as `--dry-run` shows it (`commit: None`) and as a real run reports it after the
/// fact (`commit: Some(short id)`): the same lines, so the dry run shows exactly what happens.
fn print_plan(
    ui: &mut Ui,
    ws: &Workspace,
    plan: &ReleasePlan,
    commit: Option<&str>,
) -> Result<(), CliError> {
    let version = match (&plan.from, plan.adopting) {
        (Some(from), _) => format!("{from} → {}", plan.to),
        (None, true) => format!(
            "{} (first release: the document comes under sopctl as it is)",
            plan.to
        ),
        (None, false) => format!("{} (first release)", plan.to),
    };
    let status = if plan.status_before == crate::doc::Status::Effective {
        "effective".to_string()
    } else {
        format!("{} → effective", plan.status_before)
    };
    let mut what: Vec<&str> = plan.changed_keys.clone();
    what.push("revision history");
    let heading = if commit.is_some() {
        "Released"
    } else {
        "Would release"
    };
    ui.line(&format!("{heading} {} \"{}\"", plan.id, plan.title))?;
    ui.line(&format!("  version:    {version}"))?;
    ui.line(&format!("  status:     {status}"))?;
    if plan.effective > ws.today {
        // Released now, in force later (issue 16): the version before stays in force.
        let in_force = ws
            .releases(&plan.id)
            .ok()
            .and_then(|r| r.current(ws.today).map(|c| c.version.clone()));
        let until = match in_force {
            Some(current) => format!("{current} stays in force until then"),
            None => "no version is in force until then".to_string(),
        };
        ui.line(&format!(
            "  effective:  {} (a later day: {until})",
            plan.effective
        ))?;
    } else {
        ui.line(&format!("  effective:  {}", plan.effective))?;
    }
    ui.line(&format!("  author:     {}", plan.author))?;
    ui.line(&format!("  summary:    {}", plan.summary))?;
    let id = commit.map(|c| format!("{c} ")).unwrap_or_default();
    ui.line(&format!(
        "  commit:     {id}\"{}: release {}\" on branch {}",
        plan.id, plan.to, plan.branch
    ))?;
    ui.line(&format!("  tag:        {} (annotated)", plan.tag_name))?;
    ui.line(&format!(
        "  writes:     {} ({})",
        ws.display_path(&plan.path).display(),
        what.join(", ")
    ))?;
    if plan.renders.is_empty() {
        ui.line("  renditions: none (--no-render)")?;
    } else {
        let shown: Vec<String> = plan
            .renders
            .iter()
            .map(|p| ws.display_path(p).display().to_string())
            .collect();
        ui.line(&format!("  renditions: {}", shown.join(", ")))?;
    }
    ui.line("")?;
    ui.line("Revision history:")?;
    for line in plan.table.lines() {
        ui.line(&format!("  {line}"))?;
    }
    Ok(())
}

/// The CLI error for a failed record: before the commit point nothing changed, and the message
/// says so; after it (an unfinished record, or a test's injected stop there) the next command
/// finishes the record.
pub(crate) fn record_error(e: crate::repo::RepoError) -> CliError {
    use crate::repo::RepoError;
    use crate::repo::transaction::FaultPoint;
    let finished_later = match &e {
        RepoError::Unfinished { .. } => true,
        RepoError::Injected(point) => {
            FaultPoint::from_env().is_some_and(|f| f.name() == *point && f.after_commit_point())
        }
        _ => false,
    };
    let mut err = CliError::from(e);
    if finished_later {
        err.message
            .push_str("; the next sopctl command finishes it");
    } else {
        err.message.push_str("; nothing was changed");
    }
    err
}
