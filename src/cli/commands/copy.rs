//! `sopctl copy`: controlled copies (issue 16 item 3): issue numbered PDFs of the version in
//! force to their holders, record their return, and list the distribution register with the
//! copies to recall ([`crate::lifecycle::copies`]).

use std::path::{Path, PathBuf};

use crate::cli::{CliError, Env, Ui};
use crate::lifecycle::copies::{
    self, ControlledCopy, CopyError, IssuePlan, Printer, Recall, Register, ReturnPlan, Standing,
};
use crate::workspace::Workspace;

/// Arguments of `sopctl copy`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  sopctl copy issue SOP-IT-001 --to \"Line 3\" --count 2\n  sopctl copy list --outstanding\n  sopctl copy return SOP-IT-001 2\n\nA controlled copy is a numbered PDF of the version in force whose footer reads\n\"Controlled copy No. N, issued to HOLDER on DATE\". Each issue and each return is a commit.\nWhen a newer version takes effect, or the SOP is withdrawn, the copies still out must be\nrecalled: `copy list`, `release`, `retire` and `check` name them."
)]
pub struct CopyArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: CopyAction,
}

/// The actions of `sopctl copy`.
#[derive(Debug, clap::Subcommand)]
pub enum CopyAction {
    /// Issue numbered controlled copies of the version in force to a holder
    Issue(IssueArgs),
    /// Record that a controlled copy came back
    Return(ReturnArgs),
    /// The distribution register: every copy, its holder, and whether it must be recalled
    List(ListArgs),
    /// Write the PDF of copies already issued again, exactly as first made; records nothing
    Print(PrintArgs),
}

/// Arguments of `sopctl copy issue`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  sopctl copy issue --to \"Line 3\"\n  sopctl copy issue SOP-IT-001 --to \"QA office\" --count 2 -o ~/print\n\nThe PDFs go to copies/ID/ID-vVERSION-copy-N.pdf (or the folder given with -o), never into\nthe published site. Numbers count per SOP from 1 and are never given twice."
)]
pub struct IssueArgs {
    /// The SOP, by ID or path (may be left out when there is only one)
    #[arg(add = crate::cli::complete::sop())]
    pub doc: Option<String>,
    /// Who receives the copies: a person, a place, a line
    #[arg(long = "to", value_name = "HOLDER")]
    pub to: String,
    /// How many copies (each gets its own number)
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub count: u32,
    /// The folder for the PDFs instead of copies/ (relative to the current folder)
    #[arg(short, long, value_name = "DIR", value_hint = clap::ValueHint::DirPath)]
    pub output: Option<PathBuf>,
    /// Signing and hooks.
    #[command(flatten)]
    pub record: super::RecordArgs,
    /// Print the record made as JSON
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `sopctl copy return`.
#[derive(Debug, clap::Args)]
#[command(
    allow_missing_positional = true,
    after_help = "Examples:\n  sopctl copy return 2\n  sopctl copy return SOP-IT-001 2\n\nThe copies of a withdrawn SOP can be returned: that is the recall."
)]
pub struct ReturnArgs {
    /// The SOP, by ID or path (may be left out when there is only one)
    #[arg(add = crate::cli::complete::sop())]
    pub doc: Option<String>,
    /// The copy's number
    #[arg(value_name = "NUMBER")]
    pub number: u32,
    /// Signing and hooks.
    #[command(flatten)]
    pub record: super::RecordArgs,
    /// Print the record made as JSON
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `sopctl copy list`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  sopctl copy list\n  sopctl copy list SOP-IT-001 --outstanding\n  sopctl copy list --json\n\nA copy still out must be recalled when its version is no longer in force or the SOP is withdrawn."
)]
pub struct ListArgs {
    /// The SOP, by ID or path (default: every SOP)
    #[arg(add = crate::cli::complete::sop())]
    pub doc: Option<String>,
    /// Only the copies not returned
    #[arg(long)]
    pub outstanding: bool,
    /// Print JSON instead of a table
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `sopctl copy print`.
#[derive(Debug, clap::Args)]
#[command(
    allow_missing_positional = true,
    after_help = "Examples:\n  sopctl copy print SOP-IT-001 1 2\n  sopctl copy print 3 -o ~/print\n\nFor when a PDF could not be written after the issue was recorded, or was lost before it was\nprinted. Only copies still out, of the version in force, are printed again."
)]
pub struct PrintArgs {
    /// The SOP, by ID or path (may be left out when there is only one)
    #[arg(add = crate::cli::complete::sop())]
    pub doc: Option<String>,
    /// The copies' numbers
    #[arg(value_name = "NUMBER", required = true, num_args = 1..)]
    pub numbers: Vec<u32>,
    /// The folder for the PDFs instead of copies/ (relative to the current folder)
    #[arg(short, long, value_name = "DIR", value_hint = clap::ValueHint::DirPath)]
    pub output: Option<PathBuf>,
}

/// `copy issue --json` (keys in docs/json.md).
#[derive(serde::Serialize)]
struct IssueJson {
    id: String,
    #[serde(flatten)]
    version: crate::cli::json::Version,
    holder: String,
    issued: String,
    numbers: Vec<u32>,
    /// The PDFs written.
    files: Vec<String>,
    /// The issue commit (full id).
    commit: String,
}

/// `copy return --json` (keys in docs/json.md).
#[derive(serde::Serialize)]
struct ReturnJson {
    #[serde(flatten)]
    copy: crate::cli::json::Copy,
    /// The return commit (full id).
    commit: String,
}

/// Runs the action.
///
/// # Errors
/// Each action's refusals.
pub fn run(env: &Env, ui: &mut Ui, args: &CopyArgs) -> Result<(), CliError> {
    match &args.action {
        CopyAction::Issue(a) => issue(env, ui, a),
        CopyAction::Return(a) => give_back(env, ui, a),
        CopyAction::List(a) => list(env, ui, a),
        CopyAction::Print(a) => print(env, ui, a),
    }
}

/// Renders the copies in memory, records the issue, then writes the PDFs.
fn issue(env: &Env, ui: &mut Ui, args: &IssueArgs) -> Result<(), CliError> {
    copies::holder(&args.to).map_err(|e| refusal(ui, e))?;
    let (ws, lock) = env.record_workspace(ui)?;
    let sop = super::find_doc(&ws, args.doc.as_deref())?;
    let id = super::require_id(&ws, &sop)?;
    let (repo, relative) = super::recording_repo(&ws, &sop, "controlled copies are")?;
    let dir = copies_folder(&ws, args.output.as_deref())?;
    let identity = repo.identity()?;
    let plan = IssuePlan::new(&ws, &sop, &id, &args.to, args.count, &identity)
        .map_err(|e| refusal(ui, e))?;
    // Every PDF is made before anything is recorded: a PDF that cannot be made changes nothing.
    let printer =
        Printer::new(&ws, &id, Some(&relative), &plan.release).map_err(|e| refusal(ui, e))?;
    let mut pdfs = Vec::new();
    for copy in &plan.copies {
        pdfs.push(printer.pdf(copy).map_err(|e| refusal(ui, e))?);
    }
    let recorder = args.record.recorder(lock.as_ref())?;
    let commit = repo
        .commit_files(
            recorder.lock,
            &[],
            recorder.write(
                format!("the issue of controlled copies of {id}"),
                &plan.message(),
                &identity,
                Some(crate::lifecycle::signing_time().as_second()),
            ),
        )
        .map_err(super::release::record_error)?;
    ui.verbose(&format!("committed the issue as {commit}"));
    let numbers = plan.numbers();
    let written = write_pdfs(&dir, &plan.copies, &pdfs).map_err(|mut e| {
        e.message = format!(
            "the issue is recorded (commit {}), but {}",
            short(&commit),
            e.message
        );
        e.hint(format!(
            "once the cause is fixed, write the PDFs with  sopctl copy print {id} {}",
            plan.copies
                .iter()
                .map(|c| c.number.to_string())
                .collect::<Vec<_>>()
                .join(" ")
        ))
    })?;
    let Some(first) = plan.copies.first() else {
        return Ok(());
    };
    if args.json {
        crate::cli::json::print(
            ui,
            &IssueJson {
                id: id.to_string(),
                version: (&first.version).into(),
                holder: first.holder.clone(),
                issued: first.issued.to_string(),
                numbers: plan.copies.iter().map(|c| c.number).collect(),
                files: shown(&ws, &written),
                commit: commit.clone(),
            },
        )?;
    } else {
        for path in shown(&ws, &written) {
            ui.line(&path)?;
        }
    }
    let what = if plan.copies.len() == 1 {
        format!("controlled copy No. {numbers}")
    } else {
        format!("controlled copies No. {numbers}")
    };
    ui.status(&format!(
        "issued {what} of {id} {} to {} (commit {})",
        first.version,
        first.holder,
        short(&commit)
    ));
    for later in &plan.pending {
        ui.warning(&format!(
            "{id} {} takes effect on {}: these copies must be recalled then",
            later.version, later.date
        ));
    }
    ignore_hint(&ws, ui, &dir);
    Ok(())
}

/// Records the return of one copy.
fn give_back(env: &Env, ui: &mut Ui, args: &ReturnArgs) -> Result<(), CliError> {
    let (ws, lock) = env.record_workspace(ui)?;
    let sop = super::find_doc(&ws, args.doc.as_deref())?;
    let id = super::require_id(&ws, &sop)?;
    let (repo, _) = super::recording_repo(&ws, &sop, "returns of controlled copies are")?;
    let register = Register::read(repo)?;
    let identity = repo.identity()?;
    let plan = ReturnPlan::new(&register, id.as_str(), args.number, ws.today, &identity)
        .map_err(|e| refusal(ui, e))?;
    let recorder = args.record.recorder(lock.as_ref())?;
    let commit = repo
        .commit_files(
            recorder.lock,
            &[],
            recorder.write(
                format!("the return of controlled copy No. {} of {id}", args.number),
                &plan.message(),
                &identity,
                Some(crate::lifecycle::signing_time().as_second()),
            ),
        )
        .map_err(super::release::record_error)?;
    ui.verbose(&format!("committed the return as {commit}"));
    let mut copy = plan.copy.clone();
    copy.returned = Some(plan.date);
    copy.return_commit = Some(commit.clone());
    if args.json {
        crate::cli::json::print(
            ui,
            &ReturnJson {
                copy: crate::cli::json::Copy::new(&copy, None),
                commit: commit.clone(),
            },
        )?;
    }
    ui.status(&format!(
        "recorded the return of controlled copy No. {} of {id} ({}, issued {}, version {}) on {}",
        copy.number, copy.holder, copy.issued, copy.version, plan.date
    ));
    let still_out = register.of(id.as_str()).filter(|c| c.is_out()).count() - 1;
    if still_out > 0 {
        ui.hint(&format!(
            "{still_out} more {} of {id} {} out:  sopctl copy list {id} --outstanding",
            if still_out == 1 { "copy" } else { "copies" },
            if still_out == 1 { "is" } else { "are" }
        ));
    }
    Ok(())
}

/// Prints the register, with the copies to recall marked.
fn list(env: &Env, ui: &mut Ui, args: &ListArgs) -> Result<(), CliError> {
    let ws = env.workspace(ui)?;
    let repo = ws.require_repo()?;
    let register = Register::read(repo)?;
    let ids: Vec<String> = match &args.doc {
        Some(name) => match super::find_doc(&ws, Some(name)) {
            Ok(sop) => vec![super::require_id(&ws, &sop)?.to_string()],
            // An SOP whose file is gone still has its copies on record.
            Err(_) if register.of(name).next().is_some() => vec![name.clone()],
            Err(e) => return Err(e),
        },
        None => register.ids().into_iter().map(str::to_string).collect(),
    };
    for clash in register
        .clashes()
        .iter()
        .filter(|c| ids.contains(&c.id))
        .filter(|c| {
            !register
                .of(&c.id)
                .any(|o| o.holder == c.holder && o.number > c.number && o.issued >= c.issued)
        })
    {
        ui.warning(&format!(
            "controlled copy No. {} of {} was also issued to {} on {} (commit {}), on a branch merged since: the register keeps the first; collect that copy and issue it again (sopctl check names both)",
            clash.number,
            clash.id,
            clash.holder,
            clash.issued,
            short(&clash.issue_commit)
        ));
    }
    let mut rows: Vec<(ControlledCopy, Option<copies::RecallReason>)> = Vec::new();
    for id in &ids {
        let standing = standing(&ws, id)?;
        for copy in register.of(id) {
            if args.outstanding && !copy.is_out() {
                continue;
            }
            rows.push((copy.clone(), copies::recall_reason(copy, &standing)));
        }
    }
    if args.json {
        let json: Vec<crate::cli::json::Copy> = rows
            .iter()
            .map(|(c, r)| crate::cli::json::Copy::new(c, r.as_ref()))
            .collect();
        return crate::cli::json::print(ui, &json);
    }
    if rows.is_empty() {
        ui.status(if args.outstanding {
            "no controlled copies are out"
        } else {
            "no controlled copies have been issued"
        });
        if !args.outstanding {
            ui.hint("issue one with  sopctl copy issue ID --to \"Holder\"");
        }
        return Ok(());
    }
    let header = [
        "SOP", "NO.", "VERSION", "HOLDER", "ISSUED", "RETURNED", "RECALL",
    ]
    .map(String::from)
    .to_vec();
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|(c, r)| {
            vec![
                c.id.clone(),
                c.number.to_string(),
                c.version.to_string(),
                c.holder.clone(),
                c.issued.to_string(),
                c.returned
                    .map_or_else(|| "out".to_string(), |d| d.to_string()),
                r.as_ref()
                    .map(|r| format!("recall: {r}"))
                    .unwrap_or_default(),
            ]
        })
        .collect();
    for line in crate::cli::ui::table(&header, &table) {
        ui.line(&line)?;
    }
    let to_recall = rows.iter().filter(|(_, r)| r.is_some()).count();
    if to_recall > 0 {
        ui.hint("when a recalled copy comes back, record it with  sopctl copy return ID NUMBER");
    }
    Ok(())
}

/// Writes the PDFs of copies already issued again.
fn print(env: &Env, ui: &mut Ui, args: &PrintArgs) -> Result<(), CliError> {
    let ws = env.workspace(ui)?;
    let sop = super::find_doc(&ws, args.doc.as_deref())?;
    let id = super::require_id(&ws, &sop)?;
    let repo = ws.require_repo()?;
    let dir = copies_folder(&ws, args.output.as_deref())?;
    let register = Register::read(repo)?;
    let standing = standing(&ws, id.as_str())?;
    let mut chosen: Vec<ControlledCopy> = Vec::new();
    for number in &args.numbers {
        let copy = copies::reprintable(&register, &standing, id.as_str(), *number)
            .map_err(|e| refusal(ui, e))?;
        if !chosen.iter().any(|c| c.number == copy.number) {
            chosen.push(copy.clone());
        }
    }
    let releases = ws.releases(&id)?;
    let relative = repo.relative(sop.path());
    let mut pdfs = Vec::new();
    for copy in &chosen {
        let release = releases
            .records
            .iter()
            .find(|r| r.version == copy.version)
            .ok_or_else(|| CopyError::MissingRelease {
                id: id.to_string(),
                version: copy.version.clone(),
            })
            .map_err(|e| refusal(ui, e))?;
        let printer =
            Printer::new(&ws, &id, relative.as_deref(), release).map_err(|e| refusal(ui, e))?;
        pdfs.push(printer.pdf(copy).map_err(|e| refusal(ui, e))?);
    }
    let written = write_pdfs(&dir, &chosen, &pdfs)?;
    for path in shown(&ws, &written) {
        ui.line(&path)?;
    }
    ui.status(&format!(
        "wrote {} again; nothing was recorded",
        if written.len() == 1 {
            "1 controlled copy".to_string()
        } else {
            format!("{} controlled copies", written.len())
        }
    ));
    ignore_hint(&ws, ui, &dir);
    Ok(())
}

/// SOP `id`'s standing today; an ID that is not one (a record written by hand) has none.
fn standing(ws: &Workspace, id: &str) -> Result<Standing, CliError> {
    match crate::doc::DocId::parse(id) {
        Ok(doc_id) => Ok(Standing::of(ws, &doc_id, ws.today)?),
        Err(_) => Ok(Standing::default()),
    }
}

/// The folder the PDFs go to: `-o DIR` (relative to the working directory) or `copies/` in the
/// workspace root; never the repository itself, `.git`, a folder of SOPs or of tracked files
/// ([`crate::paths::check_output_dir`]), nor the published site (`out`).
fn copies_folder(ws: &Workspace, option: Option<&Path>) -> Result<PathBuf, CliError> {
    let dir = option.map_or_else(|| ws.root.join("copies"), |o| ws.cwd.join(o));
    crate::paths::check_output_dir(ws, &dir).map_err(|e| {
        let hint = match &e {
            crate::paths::OutputDirError::Tracked { .. } if option.is_none() => {
                "PDFs of controlled copies were committed: take them out of git with  git rm -r --cached copies  and add the line  /copies/  to .gitignore"
            }
            _ => "choose a folder of its own for the controlled copies, e.g.  -o copies",
        };
        CliError::new(e.to_string()).hint(hint)
    })?;
    if crate::paths::in_publish_output(ws, &dir) {
        return Err(CliError::new(format!(
            "{} is in the published site ({}, `out` in sopctl.toml), where every copy is uncontrolled; controlled copies never go there",
            ws.display_path(&dir).display(),
            ws.settings.out.display()
        ))
        .hint("leave out -o to write them to copies/, or give a folder outside the site"));
    }
    Ok(dir)
}

/// Writes each copy's PDF atomically into `dir`; returns the paths written.
fn write_pdfs(
    dir: &Path,
    copies: &[ControlledCopy],
    pdfs: &[Vec<u8>],
) -> Result<Vec<PathBuf>, CliError> {
    let mut written = Vec::new();
    for (copy, bytes) in copies.iter().zip(pdfs) {
        let path = copy.path_in(dir);
        crate::fsx::write_atomic(&path, bytes).map_err(|e| {
            let mut err = CliError::from(e);
            err.message = format!(
                "the PDF of controlled copy No. {} could not be written: {}",
                copy.number, err.message
            );
            err
        })?;
        written.push(path);
    }
    Ok(written)
}

/// Paths as the text output shows them.
fn shown(ws: &Workspace, paths: &[PathBuf]) -> Vec<String> {
    paths
        .iter()
        .map(|p| ws.display_path(p).display().to_string())
        .collect()
}

/// The first 7 hex digits of a commit id.
fn short(commit: &str) -> &str {
    &commit[..commit.len().min(7)]
}

/// A hint when the PDFs were written into the work tree where git does not ignore them: a
/// `git add -A` would commit them.
fn ignore_hint(ws: &Workspace, ui: &mut Ui, dir: &Path) {
    let Some(repo) = &ws.repo else { return };
    let resolved = crate::fsx::resolve_existing_prefix(dir);
    let Ok(relative) = resolved.strip_prefix(repo.workdir()) else {
        return;
    };
    if !repo.is_ignored(&relative.join("x.pdf")) {
        ui.hint(&format!(
            "add the line  /{}/  to .gitignore, so that the printed copies are not committed",
            relative.display()
        ));
    }
}

/// The copies of a recall list in one line: `No. 1 (Line 3, issued 2026-11-30, version 1.1),
/// No. 3 (…)`.
pub(crate) fn recall_items(recalls: &[Recall]) -> String {
    recalls
        .iter()
        .map(|r| {
            format!(
                "No. {} ({}, issued {}, version {})",
                r.copy.number, r.copy.holder, r.copy.issued, r.copy.version
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The CLI error for a refusal of the copies module, with its hint; the problems of a PDF that
/// cannot show everything are printed first.
fn refusal(ui: &mut Ui, e: CopyError) -> CliError {
    match e {
        CopyError::Workspace(w) => w.into(),
        CopyError::Withdrawn { .. } => CliError::new(e.to_string()).hint(
            "a withdrawn SOP is not issued again; its copies still out are listed by  sopctl copy list --outstanding",
        ),
        CopyError::NotInForce { ref id, first: None, .. } => {
            let hint = format!("release it first:  sopctl release {id} -m \"…\"");
            CliError::new(e.to_string()).hint(hint)
        }
        CopyError::NotInForce { .. } => CliError::new(e.to_string())
            .hint("issue the copies on or after that day; until then no version is in force"),
        CopyError::HolderGlyphs { .. } => CliError::usage(e.to_string()).hint(
            "write the holder's name with letters the PDF's font has (Latin, Greek or Cyrillic), e.g. a line number or a transliteration",
        ),
        CopyError::EmptyHolder | CopyError::HolderControl { .. } | CopyError::Count { .. } => {
            CliError::usage(e.to_string())
        }
        CopyError::NoticeTooLong { .. } => CliError::new(e.to_string())
            .hint("give a shorter holder with --to, e.g. a short name for the place or line"),
        CopyError::UnknownNumber {
            ref id,
            ref outstanding,
            ..
        } => {
            let hint = if outstanding.is_empty() {
                format!("{id} has no controlled copies out;  sopctl copy list {id}  shows them all")
            } else {
                format!(
                    "the copies of {id} still out are No. {}",
                    outstanding
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            CliError::new(e.to_string()).hint(hint)
        }
        CopyError::AlreadyReturned { ref id, .. } => {
            let hint = format!("sopctl copy list {id} --outstanding  shows the copies still out");
            CliError::new(e.to_string()).hint(hint)
        }
        CopyError::Recalled { ref id, number, .. } => {
            let hint = format!("record its return when it comes back:  sopctl copy return {id} {number}");
            CliError::new(e.to_string()).hint(hint)
        }
        CopyError::MissingDocument { .. } | CopyError::MissingRelease { .. } => {
            CliError::new(e.to_string())
        }
        CopyError::Render { .. } => CliError::new(e.to_string()),
        CopyError::Incomplete { ref findings, .. } => {
            for finding in findings {
                let _ = ui.finding(finding);
            }
            CliError::new(format!("{e}; nothing was recorded")).hint(
                "a controlled copy shows the whole procedure: for an image kept in Git LFS, run  git lfs pull  and issue again",
            )
        }
    }
}
