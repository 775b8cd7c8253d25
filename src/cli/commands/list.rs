//! `sopctl list`: every SOP with ID, title, version, status, effective date, next review and
//! whether it has changes since its release (SPEC §4).

use jiff::civil::Date;

use crate::cli::{CliError, Env, Ui};
use crate::doc::Sop;
use crate::workspace::Workspace;

/// Arguments of `sopctl list`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  sopctl list\n  sopctl list --json > sops.json\n\nA next review date marked (overdue) has passed."
)]
pub struct ListArgs {
    /// Print JSON instead of a table
    #[arg(long)]
    pub json: bool,
}

/// One row of the list.
#[derive(Debug, serde::Serialize)]
struct Row {
    id: String,
    title: String,
    /// The version in force (the front matter's, unless a release waits for its day).
    version: String,
    status: String,
    effective: Option<Date>,
    /// Releases waiting for their effective date (issue 16).
    coming: Vec<Coming>,
    next_review: Option<Date>,
    overdue: bool,
    unreleased_changes: bool,
    /// For an SOP with an `audience`: how many of its people are pending and overdue on their
    /// training (issue 17); null without an audience.
    training: Option<TrainingCount>,
    path: String,
}

/// Pending and overdue trainings of one SOP.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
struct TrainingCount {
    /// How many people must train on it.
    people: usize,
    pending: usize,
    overdue: usize,
}

impl TrainingCount {
    fn words(self) -> String {
        match (self.pending, self.overdue) {
            _ if self.people == 0 => "nobody in audience".to_string(),
            (0, 0) => "all trained".to_string(),
            (p, 0) => format!("{p} pending"),
            (0, o) => format!("{o} OVERDUE"),
            (p, o) => format!("{p} pending, {o} OVERDUE"),
        }
    }
}

/// The training counts of every SOP with an audience, by ID; empty when none has one.
fn training_counts(ws: &Workspace) -> std::collections::HashMap<String, TrainingCount> {
    use crate::training::matrix::State;
    let mut counts = std::collections::HashMap::new();
    let Ok(subjects) = crate::training::subjects(ws, None) else {
        return counts;
    };
    if subjects.is_empty() {
        return counts;
    }
    let Some(repo) = ws.repo.as_ref() else {
        return counts;
    };
    let registry = crate::people::load(ws).ok().flatten().unwrap_or_default();
    let Ok(acks) = crate::training::Acks::read(repo) else {
        return counts;
    };
    // A withdrawn or unreleased SOP asks nobody: it shows no count.
    for subject in subjects.iter().filter(|s| s.requirement.is_some()) {
        counts.insert(subject.id.clone(), TrainingCount::default());
    }
    for cell in crate::training::matrix::matrix(&registry, &acks, &subjects, ws.today) {
        let count = counts.entry(cell.id.clone()).or_default();
        count.people += 1;
        match cell.state {
            State::Pending { .. } => count.pending += 1,
            State::Overdue { .. } => count.overdue += 1,
            State::Trained { .. } => {}
        }
    }
    counts
}

/// A release waiting for its effective date.
#[derive(Debug, serde::Serialize)]
struct Coming {
    /// As SOPs number it: `1.2`.
    version: String,
    effective: Date,
}

/// Lists the SOPs. Files that cannot be read are reported as warnings and left out.
///
/// # Errors
/// A bad `sopctl.toml` or repository, or stdout closed.
pub fn run(env: &Env, ui: &mut Ui, args: &ListArgs) -> Result<(), CliError> {
    let ws = env.workspace(ui)?;
    let training = training_counts(&ws);
    let mut rows = Vec::new();
    let mut left_out = 0;
    for entry in ws.documents() {
        let shown = ws.display_path(&entry.path);
        match entry.sop {
            Ok(sop) if sop.id().is_some() => {
                if sop
                    .findings
                    .iter()
                    .any(|f| f.severity == crate::doc::Severity::Error)
                {
                    ui.warning(&format!(
                        "{} has errors in its front matter, so some values show as - or a default; run  sopctl check",
                        shown.display()
                    ));
                }
                let mut row = row(&ws, &sop);
                row.training = training.get(&row.id).copied();
                rows.push(row);
            }
            Ok(_) => {
                left_out += 1;
                ui.warning(&format!(
                    "{} is left out: its front matter has no valid `id`; run  sopctl check",
                    shown.display()
                ));
            }
            Err(e) => {
                left_out += 1;
                let why = match e {
                    crate::doc::DocError::FrontMatter { .. } => "its front matter cannot be read",
                    crate::doc::DocError::NotUtf8(_) => "it is not UTF-8 text",
                    crate::doc::DocError::TooLarge { .. } => "it is too large",
                    crate::doc::DocError::SymbolicLink { .. } => "it is a symbolic link",
                    crate::doc::DocError::Io(_) => "it cannot be read",
                };
                ui.warning(&format!(
                    "{} is left out: {why}; run  sopctl check",
                    shown.display()
                ));
            }
        }
    }
    let deleted = ws.deleted_documents();
    for (id, _) in deleted {
        ui.warning(&format!(
            "{id} is left out: it is deleted from the working copy; run  sopctl check"
        ));
    }
    if args.json {
        return crate::cli::json::print(ui, &rows);
    }
    if rows.is_empty() {
        if deleted.is_empty() && left_out == 0 {
            if !ws.is_sop_repository() {
                return Err(super::new::not_a_repository());
            }
            ui.status(&format!("no SOPs in {}", ws.describe_folders()));
            ui.hint(&ws.no_documents_hint());
        }
        return Ok(());
    }
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.id.clone(),
                r.title.clone(),
                std::iter::once(r.version.clone())
                    .chain(
                        r.coming
                            .iter()
                            .map(|c| format!("({} from {})", c.version, c.effective)),
                    )
                    .collect::<Vec<_>>()
                    .join(" "),
                r.status.clone(),
                r.effective
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "-".into()),
                match r.next_review {
                    Some(d) if r.overdue => format!("{d} (overdue)"),
                    Some(d) => d.to_string(),
                    None => "-".into(),
                },
                if r.unreleased_changes { "yes" } else { "no" }.into(),
            ]
        })
        .map(|mut cells: Vec<String>| {
            if !training.is_empty() {
                cells.push("-".to_string());
            }
            cells
        })
        .collect();
    let mut table = table;
    if !training.is_empty() {
        for (cells, r) in table.iter_mut().zip(&rows) {
            if let (Some(last), Some(count)) = (cells.last_mut(), r.training) {
                *last = count.words();
            }
        }
    }
    let mut header = [
        "ID",
        "TITLE",
        "VERSION",
        "STATUS",
        "EFFECTIVE",
        "NEXT REVIEW",
        "UNRELEASED",
    ]
    .map(String::from)
    .to_vec();
    if !training.is_empty() {
        header.push("TRAINING".to_string());
    }
    for line in crate::cli::ui::table(&header, &table) {
        ui.line(&line)?;
    }
    Ok(())
}

fn row(ws: &Workspace, sop: &Sop) -> Row {
    let meta = &sop.metadata;
    let version = meta.version_or_default();
    let next_review = crate::lifecycle::next_review(ws, sop);
    let id = meta
        .id
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default();
    // While a release waits for its effective date, the version before it is in force.
    let waiting = crate::lifecycle::in_force(ws, sop);
    let (version, status, effective) = match &waiting {
        Some(w) => match &w.current {
            Some(current) => (
                current.version.to_string(),
                meta.status_or_default().to_string(),
                Some(current.date),
            ),
            None => ("-".to_string(), "pending".to_string(), None),
        },
        None => (
            version.to_string(),
            meta.status_or_default().to_string(),
            meta.effective,
        ),
    };
    Row {
        title: meta.title.clone().unwrap_or_default(),
        version,
        status,
        effective,
        coming: waiting
            .map(|w| {
                w.coming
                    .iter()
                    .map(|r| Coming {
                        version: r.version.to_string(),
                        effective: r.date,
                    })
                    .collect()
            })
            .unwrap_or_default(),
        next_review,
        overdue: next_review.is_some_and(|d| d < ws.today),
        // A withdrawn SOP is not released again, so its edits are not "unreleased".
        unreleased_changes: crate::lifecycle::has_unreleased_edits(ws, sop),
        training: None,
        path: ws.display_path(sop.path()).display().to_string(),
        id,
    }
}
