//! `sopctl people`: the signers registry, `people.toml` (issue 15, item 2): add, remove and list
//! the people who sign records, with their roles and public keys. Each change is a record.

use std::path::PathBuf;

use crate::cli::{CliError, Env, Ui};
use crate::people::{self, Person, keys};

/// Arguments of `sopctl people`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  sopctl people add \"Dana Quality\" --email dana@example.org --role \"QA Manager\" --key dana.pub\n  sopctl people remove dana@example.org\n  sopctl people list\n\nThe registry is people.toml beside sopctl.toml. Each change is a commit of its own, signed as git\nis set to sign. With signatures = \"required\" in sopctl.toml, approvals and changes to the\nregistry must be signed with a key it lists (docs/file-format.md)."
)]
pub struct PeopleArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: PeopleAction,
}

/// The actions of `sopctl people`.
#[derive(Debug, clap::Subcommand)]
pub enum PeopleAction {
    /// Add a person: name, e-mail address, roles and public keys
    Add(AddArgs),
    /// Remove a person, named by e-mail address
    Remove(RemoveArgs),
    /// List the people, their roles and their keys' fingerprints
    List(ListArgs),
}

/// Arguments of `sopctl people add`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  sopctl people add \"Dana Quality\" --email dana@example.org --role \"QA Manager\" --key ~/.ssh/id_ed25519.pub\n  sopctl people add \"Erin Ops\" --email erin@example.org --role Reviewer --role \"Shift Lead\"\n\nThe key is the public half (the .pub file ssh-keygen made); a private key is refused."
)]
pub struct AddArgs {
    /// The person's name, as it is printed on records
    pub name: String,
    /// Their e-mail address: the one their git identity uses (user.email)
    #[arg(long)]
    pub email: String,
    /// A role they may sign for, as `approvers` lists it (repeat for more)
    #[arg(long = "role", value_name = "ROLE")]
    pub roles: Vec<String>,
    /// A file with one of their SSH public keys (repeat for more)
    #[arg(long = "key", value_name = "FILE.pub", value_hint = clap::ValueHint::FilePath)]
    pub keys: Vec<PathBuf>,
    /// Signing and hooks.
    #[command(flatten)]
    pub record: super::RecordArgs,
    /// Print the record made as JSON
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `sopctl people remove`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  sopctl people remove dana@example.org\n\nTheir past records stay as they are; they can no longer sign new ones."
)]
pub struct RemoveArgs {
    /// The e-mail address of the person to remove
    pub email: String,
    /// Signing and hooks.
    #[command(flatten)]
    pub record: super::RecordArgs,
    /// Print the record made as JSON
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `sopctl people list`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  sopctl people list\n  sopctl people list --json")]
pub struct ListArgs {
    /// Print JSON instead of a table
    #[arg(long)]
    pub json: bool,
}

/// `people add --json` and `people remove --json` (keys in docs/json.md).
#[derive(serde::Serialize)]
struct ChangeJson<'a> {
    /// `add` or `remove`.
    change: &'static str,
    person: &'a Person,
    /// The commit (full id).
    commit: &'a str,
}

/// Runs the action.
///
/// # Errors
/// Each action's refusals.
pub fn run(env: &Env, ui: &mut Ui, args: &PeopleArgs) -> Result<(), CliError> {
    match &args.action {
        PeopleAction::Add(a) => add(env, ui, a),
        PeopleAction::Remove(a) => remove(env, ui, a),
        PeopleAction::List(a) => list(env, ui, a),
    }
}

/// The person `people add` describes, with the keys read from their files.
fn new_person(env: &Env, args: &AddArgs) -> Result<Person, CliError> {
    let name = args.name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(CliError::usage(
            "the name is empty: give the person's name as it is printed on records",
        ));
    }
    let email = args.email.trim().to_string();
    if !people::is_email(&email) {
        return Err(CliError::usage(format!(
            "--email `{}` is not an e-mail address such as dana@example.org",
            args.email
        )));
    }
    let mut roles: Vec<String> = Vec::new();
    for role in &args.roles {
        let role = role.split_whitespace().collect::<Vec<_>>().join(" ");
        if role.is_empty() {
            return Err(CliError::usage(
                "--role is empty: name a role, as `approvers` lists it",
            ));
        }
        if role.contains('|') {
            return Err(CliError::usage(format!(
                "--role `{role}` holds a `|`, which separates the parts of an approval in the release record; write it without one (e.g. `QA / Lab`)"
            )));
        }
        if !roles.iter().any(|r| r.eq_ignore_ascii_case(&role)) {
            roles.push(role);
        }
    }
    let mut person_keys: Vec<keys::Key> = Vec::new();
    for file in &args.keys {
        let key = keys::read_file(&env.cwd.join(file), file).map_err(CliError::from)?;
        if !person_keys.iter().any(|k| k.fingerprint == key.fingerprint) {
            person_keys.push(key);
        }
    }
    Ok(Person {
        name,
        email,
        roles,
        keys: person_keys,
        line: 0,
    })
}

fn add(env: &Env, ui: &mut Ui, args: &AddArgs) -> Result<(), CliError> {
    let person = new_person(env, args)?;
    let (ws, lock) = env.record_workspace(ui)?;
    let recorder = args.record.recorder(lock.as_ref())?;
    let repo = ws.require_repo()?;
    let identity = repo.identity()?;
    let recorded = people::record::add(&ws, &recorder, &identity, person)?;
    report(ui, "add", &recorded, args.json)?;
    let p = &recorded.person;
    ui.status(&format!(
        "added {} to {} (roles: {}; keys: {})",
        p.label(),
        recorded.path.display(),
        or_none(&p.roles),
        or_none(&fingerprints(p))
    ));
    Ok(())
}

fn remove(env: &Env, ui: &mut Ui, args: &RemoveArgs) -> Result<(), CliError> {
    let (ws, lock) = env.record_workspace(ui)?;
    let recorder = args.record.recorder(lock.as_ref())?;
    let repo = ws.require_repo()?;
    let identity = repo.identity()?;
    let recorded = people::record::remove(&ws, &recorder, &identity, &args.email)?;
    report(ui, "remove", &recorded, args.json)?;
    ui.status(&format!(
        "removed {} from {}; their past records stay as they are",
        recorded.person.label(),
        recorded.path.display()
    ));
    Ok(())
}

/// Says which commit records the change, and prints it as JSON with `--json`.
fn report(
    ui: &mut Ui,
    change: &'static str,
    recorded: &people::record::Recorded,
    json: bool,
) -> Result<(), CliError> {
    ui.verbose(&format!("committed the change as {}", recorded.commit));
    if !json {
        return Ok(());
    }
    let json = ChangeJson {
        change,
        person: &recorded.person,
        commit: &recorded.commit,
    };
    crate::cli::json::print(ui, &json)
}

fn list(env: &Env, ui: &mut Ui, args: &ListArgs) -> Result<(), CliError> {
    let ws = env.workspace(ui)?;
    let registry = people::load(&ws)?.unwrap_or_default();
    if args.json {
        return crate::cli::json::print(ui, &registry.people);
    }
    if registry.people.is_empty() {
        ui.status(&format!(
            "no one is registered in {}",
            ws.display_path(&people::path(&ws)).display()
        ));
        ui.hint("add the people who sign records with  sopctl people add \"Name\" --email EMAIL --role ROLE --key KEY.pub");
        return Ok(());
    }
    let header = ["NAME", "EMAIL", "ROLES", "KEYS"].map(String::from);
    let rows: Vec<Vec<String>> = registry
        .people
        .iter()
        .map(|p| {
            vec![
                p.name.clone(),
                p.email.clone(),
                or_dash(&p.roles),
                or_dash(&fingerprints(p)),
            ]
        })
        .collect();
    for line in crate::cli::ui::table(&header, &rows) {
        ui.line(&line)?;
    }
    Ok(())
}

fn fingerprints(person: &Person) -> Vec<String> {
    person.keys.iter().map(|k| k.fingerprint.clone()).collect()
}

fn or_none(list: &[String]) -> String {
    if list.is_empty() {
        "none".to_string()
    } else {
        list.join(", ")
    }
}

fn or_dash(list: &[String]) -> String {
    if list.is_empty() {
        "-".to_string()
    } else {
        list.join(", ")
    }
}
