//! `sopctl new`: a new SOP from the skeleton, with the next free ID (SPEC §4).

use std::collections::BTreeMap;

use crate::cli::{CliError, Env, Ui};
use crate::doc::{DocId, Sop};
use crate::fsx;
use crate::templates;

/// Arguments of `sopctl new`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  sopctl new \"Cleaning the mixer\"\n  sopctl new \"Line clearance\" --id SOP-OPS-019 --owner \"Production Manager\"\n\nWithout --id the next free number is taken: after SOP-OPS-007 comes SOP-OPS-008.\nWithout --owner your git name (user.name) is used.\nThe skeleton comes from templates/skeleton.md in the repository when it exists."
)]
pub struct NewArgs {
    /// The title of the procedure
    pub title: String,
    /// The document ID (default: the next free one)
    #[arg(long)]
    pub id: Option<String>,
    /// The owning person, role or department (default: your git name)
    #[arg(long)]
    pub owner: Option<String>,
}

/// Writes `{docs[0]}/{id}.md` from the skeleton.
///
/// # Errors
/// An invalid or taken ID, an existing file, no owner, an empty title, a template or write error.
pub fn run(env: &Env, ui: &mut Ui, args: &NewArgs) -> Result<(), CliError> {
    let ws = env.workspace(ui)?;
    if !ws.is_sop_repository() {
        return Err(not_a_repository());
    }
    let title = args.title.trim();
    if title.is_empty() {
        return Err(CliError::usage("the title is empty").hint("sopctl new \"Cleaning the mixer\""));
    }
    let documents: Vec<Sop> = ws
        .documents()
        .into_iter()
        .filter_map(|e| e.sop.ok())
        .collect();
    // IDs released before stay taken, even when their file is gone: tags and records keep them.
    let released = ws
        .repo
        .as_ref()
        .map(|r| r.released_ids(&crate::repo::TagFormat::new(&ws.settings.tag_format)))
        .unwrap_or_default();
    let existing: Vec<String> = documents
        .iter()
        .filter_map(|s| s.id().map(ToString::to_string))
        .chain(released.iter().map(ToString::to_string))
        .collect();
    let id = match &args.id {
        Some(text) => DocId::parse(text.trim()).map_err(|e| CliError::new(e.to_string()))?,
        None => DocId::parse(&next_free_id(&existing)).map_err(|e| CliError::new(e.to_string()))?,
    };
    let same = |other: &DocId| other.as_str().eq_ignore_ascii_case(id.as_str());
    if let Some(other) = documents.iter().find(|s| s.id().is_some_and(same)) {
        return Err(CliError::new(format!(
            "the ID {id} is already used by {}",
            ws.display_path(other.path()).display()
        ))
        .hint("leave out --id to take the next free one"));
    }
    if let Some(old) = released.iter().find(|r| same(r)) {
        return Err(CliError::new(format!(
            "the ID {id} belongs to an SOP released before ({old}); an ID is never given to another SOP"
        ))
        .hint("leave out --id to take the next free one"));
    }
    let owner = match args
        .owner
        .as_deref()
        .map(str::trim)
        .filter(|o| !o.is_empty())
    {
        Some(o) => o.to_string(),
        None => ws
            .repo
            .as_ref()
            .and_then(|r| r.user_name())
            .ok_or_else(|| {
                CliError::new("who owns this SOP? sopctl cannot tell: git has no user.name")
                    .hint("give the owner:  sopctl new \"…\" --owner \"Quality Manager\"")
            })?,
    };
    let folder = ws
        .doc_folders()
        .into_iter()
        .next()
        .unwrap_or_else(|| ws.root.join("sops"));
    let path = folder.join(format!("{id}.md"));
    if path.exists() {
        return Err(CliError::new(format!(
            "{} already exists",
            ws.display_path(&path).display()
        ))
        .hint("choose another ID with --id"));
    }
    let context = BTreeMap::from([
        ("id", id.to_string()),
        ("title", title.to_string()),
        ("owner", owner),
    ]);
    let text = templates::render(&ws.root, templates::SKELETON, context)
        .map_err(|e| match e {
            templates::TemplateError::Render { .. } => CliError::new("cannot fill in the new-SOP template")
                .cause(e.to_string())
                .hint("fix the template in templates/ of the repository, or delete it to use the built-in one"),
            other => CliError::from(other),
        })?;
    fsx::write_atomic(&path, text.as_bytes())?;
    ui.line(&ws.display_path(&path).display().to_string())?;
    ui.status(&format!(
        "created {id} \"{title}\", version 1.0, status draft"
    ));
    ui.hint("write the procedure, then check it with  sopctl check");
    Ok(())
}

/// The refusal for commands run outside any repository of SOPs.
pub(crate) fn not_a_repository() -> CliError {
    CliError::new("this folder is not in a repository of SOPs (no sopctl.toml and no git repository here or above)")
        .hint("go to your SOP repository first (cd …), or start one here with  sopctl init")
}

/// The next ID in the most used numbering scheme: after `SOP-OPS-007` comes `SOP-OPS-008`
/// (same prefix, number plus one, same width). `SOP-001` in an empty repository.
pub(crate) fn next_free_id(existing: &[String]) -> String {
    // prefix -> (count, highest number, digits)
    let mut schemes: BTreeMap<&str, (usize, u64, usize)> = BTreeMap::new();
    for id in existing {
        let digits = id.chars().rev().take_while(char::is_ascii_digit).count();
        if digits == 0 || digits > 18 {
            continue;
        }
        let (prefix, number) = id.split_at(id.len() - digits);
        let Ok(n) = number.parse::<u64>() else {
            continue;
        };
        let slot = schemes.entry(prefix).or_insert((0, 0, digits));
        slot.0 += 1;
        slot.1 = slot.1.max(n);
        slot.2 = slot.2.max(digits);
    }
    let best = schemes
        .iter()
        .max_by_key(|(prefix, (count, _, _))| (*count, std::cmp::Reverse(*prefix)));
    match best {
        Some((prefix, (_, highest, width))) => {
            let mut candidate = highest + 1;
            loop {
                let id = format!("{prefix}{candidate:0width$}");
                if !existing.contains(&id) {
                    return id;
                }
                candidate += 1;
            }
        }
        None => "SOP-001".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::next_free_id;

    #[test]
    fn the_next_id_continues_the_most_used_scheme() {
        let ids = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(next_free_id(&[]), "SOP-001");
        assert_eq!(
            next_free_id(&ids(&["SOP-OPS-007", "SOP-OPS-002"])),
            "SOP-OPS-008"
        );
        assert_eq!(next_free_id(&ids(&["QA-9", "SOP-01", "SOP-02"])), "SOP-03");
        assert_eq!(next_free_id(&ids(&["SOP-099"])), "SOP-100");
        assert_eq!(next_free_id(&ids(&["Cleaning"])), "SOP-001");
    }
}
