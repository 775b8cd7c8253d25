//! `sopctl training`: the training matrix of people × SOPs (issue 17 item 4).

use crate::cli::{CliError, Env, Ui};
use crate::training::matrix::{Cell, State};

/// Arguments of `sopctl training`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  sopctl training                       everyone and every SOP with an audience\n  sopctl training --me                  your own to-do list\n  sopctl training SOP-OPS-007 --csv > training.csv\n  sopctl training --exit-code           exit 1 when any training is overdue (for CI)\n\nWho must train: the people of people.toml who hold a role in the SOP's `audience`. Trained:\nthey acknowledged (sopctl ack) the version to know, or one since the last release that needed\nretraining. Due: `training_days` after that release took effect, or on its effective date when\nit waits for its day."
)]
pub struct TrainingArgs {
    /// SOPs to show (by ID or path); default: every SOP with an audience
    #[arg(value_name = "DOC", add = crate::cli::complete::sop())]
    pub docs: Vec<String>,
    /// Only this person (e-mail address)
    #[arg(long, value_name = "EMAIL", conflicts_with = "me")]
    pub person: Option<String>,
    /// Only you (your git user.email): your to-do list
    #[arg(long)]
    pub me: bool,
    /// Print JSON instead of a table
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// Print CSV (RFC 4180) for a spreadsheet
    #[arg(long)]
    pub csv: bool,
    /// Exit with 1 when any training shown is overdue
    #[arg(long)]
    pub exit_code: bool,
}

/// One cell as data (keys in docs/json.md).
#[derive(serde::Serialize)]
struct Row<'a> {
    id: &'a str,
    title: &'a str,
    #[serde(flatten)]
    version: crate::cli::json::Version,
    name: &'a str,
    email: &'a str,
    roles: &'a [String],
    /// `trained`, `pending` or `overdue`.
    state: &'static str,
    /// For `trained`: the version acknowledged and the day.
    trained_version: Option<String>,
    trained_on: Option<String>,
    /// For `pending` and `overdue`: by when.
    due: Option<String>,
}

impl<'a> From<&'a Cell> for Row<'a> {
    fn from(c: &'a Cell) -> Row<'a> {
        let (trained_version, trained_on, due) = match &c.state {
            State::Trained { version, date } => {
                (Some(version.to_string()), Some(date.to_string()), None)
            }
            State::Pending { due } | State::Overdue { due } => (None, None, Some(due.to_string())),
        };
        Row {
            id: &c.id,
            title: &c.title,
            version: (&c.version).into(),
            name: &c.name,
            email: &c.email,
            roles: &c.roles,
            state: c.state.name(),
            trained_version,
            trained_on,
            due,
        }
    }
}

/// Prints the matrix.
///
/// # Errors
/// No repository; an unreadable registry or training branch; `--exit-code` with anything
/// overdue.
pub fn run(env: &Env, ui: &mut Ui, args: &TrainingArgs) -> Result<(), CliError> {
    let ws = env.workspace(ui)?;
    let repo = ws.require_repo()?;
    let ids = if args.docs.is_empty() {
        None
    } else {
        let mut ids = Vec::new();
        for name in &args.docs {
            let sop = super::find_doc(&ws, Some(name))?;
            ids.push(super::require_id(&ws, &sop)?);
        }
        Some(ids)
    };
    let registry = crate::people::load(&ws)
        .map_err(|e| CliError::new(e.to_string()))?
        .unwrap_or_default();
    if registry.people.is_empty() {
        ui.warning("there is no people.toml (or nobody in it), so nobody is asked to train; register people with  sopctl people add NAME --email E --role ROLE");
    }
    let acks = crate::training::Acks::read(repo)?;
    let subjects = crate::training::subjects(&ws, ids.as_deref())?;
    if subjects.is_empty() {
        ui.warning("no SOP names an `audience`, so nobody is asked to train; add  audience: [Operators]  to an SOP's front matter");
    }
    let person = if args.me {
        Some(repo.identity()?.email)
    } else {
        args.person.clone()
    };
    if let Some(email) = &person
        && !registry
            .people
            .iter()
            .any(|p| p.email.eq_ignore_ascii_case(email.trim()))
    {
        let who = if args.me {
            format!("you ({email}, your git user.email) are")
        } else {
            format!("{email} is")
        };
        return Err(CliError::new(format!(
            "{who} not in people.toml, so no training is asked of {}",
            if args.me { "you" } else { "them" }
        ))
        .hint("sopctl people list  shows who is registered; the SOP's owner registers a person with  sopctl people add NAME --email E --role ROLE"));
    }
    let cells: Vec<Cell> = crate::training::matrix::matrix(&registry, &acks, &subjects, ws.today)
        .into_iter()
        .filter(|c| {
            person
                .as_deref()
                .is_none_or(|p| c.email.eq_ignore_ascii_case(p.trim()))
        })
        .collect();
    if args.json {
        let rows: Vec<Row<'_>> = cells.iter().map(Row::from).collect();
        crate::cli::json::print(ui, &rows)?;
    } else if args.csv {
        print_csv(ui, &cells)?;
    } else if args.me {
        print_to_do(ui, &cells)?;
    } else {
        print_table(ui, &cells)?;
    }
    let overdue = cells
        .iter()
        .filter(|c| matches!(c.state, State::Overdue { .. }))
        .count();
    if args.exit_code && overdue > 0 {
        return Err(CliError::new(format!(
            "{overdue} {} overdue",
            if overdue == 1 {
                "training is"
            } else {
                "trainings are"
            }
        ))
        .hint("each person reads the SOP and records it with  sopctl ack SOP-ID  (sopctl training --me lists their own)"));
    }
    Ok(())
}

/// `trained 2026-11-30 (1.1)`, `pending, due 2026-12-30`, `OVERDUE since 2026-11-01`.
fn state_words(state: &State) -> String {
    match state {
        State::Trained { version, date } => format!("trained {date} ({version})"),
        State::Pending { due } => format!("pending, due {due}"),
        State::Overdue { due } => format!("OVERDUE, was due {due}"),
    }
}

fn print_table(ui: &mut Ui, cells: &[Cell]) -> Result<(), CliError> {
    let header = ["SOP", "VERSION", "PERSON", "ROLE", "TRAINING"]
        .map(String::from)
        .to_vec();
    let rows: Vec<Vec<String>> = cells
        .iter()
        .map(|c| {
            vec![
                c.id.clone(),
                c.version.to_string(),
                format!("{} <{}>", c.name, c.email),
                c.roles.join(", "),
                state_words(&c.state),
            ]
        })
        .collect();
    for line in crate::cli::ui::table(&header, &rows) {
        ui.line(&line)?;
    }
    Ok(())
}

fn print_to_do(ui: &mut Ui, cells: &[Cell]) -> Result<(), CliError> {
    let (done, to_do): (Vec<&Cell>, Vec<&Cell>) = cells
        .iter()
        .partition(|c| matches!(c.state, State::Trained { .. }));
    if to_do.is_empty() {
        ui.line("Nothing to read: you are trained on every SOP you must know.")?;
    } else {
        ui.line("To read and acknowledge (sopctl ack SOP):")?;
        for c in &to_do {
            ui.line(&format!(
                "  {} {} \"{}\": {}",
                c.id,
                c.version,
                c.title,
                state_words(&c.state)
            ))?;
        }
    }
    if !done.is_empty() {
        ui.line("Done:")?;
        for c in &done {
            ui.line(&format!(
                "  {} \"{}\": {}",
                c.id,
                c.title,
                state_words(&c.state)
            ))?;
        }
    }
    Ok(())
}

/// A value as a spreadsheet shows it, not as a formula it would run: a value starting with
/// `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'` (OWASP's advice on CSV
/// injection).
fn inert(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    }
}

/// The matrix as CSV (RFC 4180: a header row, lines ending in CRLF, fields quoted when they
/// hold a comma, a quote or a line break), for a spreadsheet.
fn print_csv(ui: &mut Ui, cells: &[Cell]) -> Result<(), CliError> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let header = [
        "sop",
        "title",
        "version",
        "name",
        "email",
        "roles",
        "state",
        "trained_version",
        "trained_on",
        "due",
    ];
    let mut rows: Vec<Vec<String>> = Vec::with_capacity(cells.len() + 1);
    rows.push(header.iter().map(ToString::to_string).collect());
    for c in cells {
        let row = Row::from(c);
        rows.push(vec![
            inert(&c.id),
            inert(&c.title),
            c.version.to_string(),
            inert(&c.name),
            inert(&c.email),
            inert(&c.roles.join("; ")),
            row.state.to_string(),
            row.trained_version.unwrap_or_default(),
            row.trained_on.unwrap_or_default(),
            row.due.unwrap_or_default(),
        ]);
    }
    for row in rows {
        writer
            .write_record(&row)
            .map_err(|e| CliError::new(format!("cannot write the CSV: {e}")))?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| CliError::new(format!("cannot write the CSV: {e}")))?;
    ui.raw(&bytes)?;
    Ok(())
}
