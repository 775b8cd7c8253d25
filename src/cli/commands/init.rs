//! `sopctl init`: start a repository of SOPs (SPEC §4).

use std::path::PathBuf;

use crate::cli::{CliError, Env, Ui};
use crate::config;
use crate::fsx;
use crate::repo::Repo;

/// Arguments of `sopctl init`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  sopctl init                 in the current folder\n  sopctl init quality-sops    in a new folder\n\nExisting files are kept: init only adds what is missing."
)]
pub struct InitArgs {
    /// The folder (default: the current one); created if missing
    pub dir: Option<PathBuf>,
    /// Add the bundled example SOP with a real release history
    #[arg(long)]
    pub example: bool,
}

/// Creates what is missing of `sopctl.toml`, `sops/`, `.gitignore` entries for the output
/// folder and the controlled copies, and a git repository.
///
/// # Errors
/// When a file cannot be written or git cannot create the repository; `--example` is refused
/// until the release stage exists, before anything is written.
pub fn run(env: &Env, ui: &mut Ui, args: &InitArgs) -> Result<(), CliError> {
    let dir = match &args.dir {
        Some(d) => env.cwd.join(d),
        None => env.cwd.clone(),
    };
    if dir.exists() && !dir.is_dir() {
        return Err(
            CliError::new(format!("{} is a file, not a folder", dir.display()))
                .hint("name a folder for the new repository"),
        );
    }
    // The example gets a repository of its own (its history is made up): refuse a folder that
    // already is a repository with history.
    if args.example
        && dir.join(".git").exists()
        && let Some(repo) = Repo::discover(&dir)?
        && repo.has_commits()
    {
        return Err(CliError::new(format!(
            "{} is a git repository that already has history; the example adds commits and tags of its own",
            dir.display()
        ))
        .hint("make the example in a new folder:  sopctl init --example another-name"));
    }
    fsx::create_dir_all(&dir)?;
    let mut created = Vec::new();

    let settings = dir.join(config::FILE_NAME);
    if settings.exists() {
        ui.status(&format!("kept the existing {}", config::FILE_NAME));
    } else {
        fsx::write_atomic(&settings, config::DEFAULT_FILE.as_bytes())?;
        created.push(config::FILE_NAME.to_string());
    }
    let sops = dir.join("sops");
    if !sops.is_dir() {
        fsx::create_dir_all(&sops)?;
        created.push("sops/".to_string());
    }

    let gitignore = dir.join(".gitignore");
    let existing = if gitignore.exists() {
        String::from_utf8_lossy(&fsx::read(&gitignore)?).into_owned()
    } else {
        String::new()
    };
    let mut text = existing.clone();
    for (folder, comment) in [
        ("dist", "renditions made by sopctl"),
        (
            "drafts",
            "working copies rendered by sopctl render, marked DRAFT",
        ),
        ("copies", "controlled copies printed by sopctl copy issue"),
    ] {
        let listed = existing.lines().any(|l| {
            let l = l.trim();
            l.trim_start_matches('/').trim_end_matches('/') == folder
        });
        if !listed {
            if !text.is_empty() && !text.ends_with('\n') {
                text.push('\n');
            }
            text.push_str(&format!("# {comment}\n/{folder}/\n"));
        }
    }
    if text != existing {
        fsx::write_atomic(&gitignore, text.as_bytes())?;
        created.push(".gitignore".to_string());
    }

    let shown = fsx::display_relative(&dir, &env.cwd);
    let shown = if shown.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        shown
    };
    match Repo::discover(&dir)? {
        Some(repo)
            if !args.example
                || repo.workdir() == dir.canonicalize().unwrap_or_else(|_| dir.clone()) =>
        {
            if repo.workdir() != dir.canonicalize().unwrap_or_else(|_| dir.clone()) {
                ui.status(&format!(
                    "using the git repository at {}",
                    repo.workdir().display()
                ));
            }
        }
        _ => {
            Repo::init(&dir)?;
            ui.status(&format!("created a git repository in {}", shown.display()));
        }
    }
    if args.example {
        let history = crate::example::create(&dir, env.clock).map_err(|e| match e {
            crate::example::ExampleError::Exists { .. } => {
                CliError::new(e.to_string()).hint("run  sopctl init --example  in a new folder")
            }
            other => CliError::new("cannot create the example").cause(other.to_string()),
        })?;
        created.push(format!(
            "the example SOP {} with releases {}",
            crate::example::PATH,
            history.tags.join(" and ")
        ));
    }
    if created.is_empty() {
        ui.status(&format!(
            "{} already holds a repository of SOPs; nothing to add",
            shown.display()
        ));
    } else {
        ui.status(&format!(
            "created {} in {}",
            created.join(", "),
            shown.display()
        ));
    }
    let cd = if args.dir.is_some() {
        format!("cd {} && ", crate::shell::quote_path(&shown))
    } else {
        String::new()
    };
    if args.example {
        ui.hint(&format!("try:  {cd}sopctl log  and  sopctl list"));
    } else {
        ui.hint(&format!(
            "next, write your first SOP:  {cd}sopctl new \"Title of the procedure\""
        ));
    }
    Ok(())
}
