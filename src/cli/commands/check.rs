//! `sopctl check`: every rule of SPEC §4 on one, several or all SOPs.

use std::path::PathBuf;

use crate::cli::{CliError, Env, Ui};
use crate::doc::{Finding, Severity, Sop};
use crate::workspace::{Entry, Workspace, WorkspaceError};

/// Arguments of `sopctl check`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  sopctl check                        every SOP in the repository\n  sopctl check SOP-OPS-007            one SOP, by ID\n  sopctl check sops/cleaning.md --strict   warnings count as errors\n\nEach problem is printed as  file:line:column: error|warning: message.\nExit status: 0 no errors, 1 errors found (or warnings with --strict)."
)]
pub struct CheckArgs {
    /// SOPs by ID or path (default: every SOP)
    #[arg(add = crate::cli::complete::sop())]
    pub docs: Vec<String>,
    /// Treat warnings as errors
    #[arg(long)]
    pub strict: bool,
    /// Print the findings as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(serde::Serialize)]
struct Report<'a> {
    checked: usize,
    errors: usize,
    warnings: usize,
    findings: &'a [Finding],
}

/// Checks the named SOPs (or all) and prints each finding.
///
/// # Errors
/// Exit 1 when errors are found (or warnings with `--strict`), or when a named SOP does not
/// exist; a bad `sopctl.toml` or repository.
pub fn run(env: &Env, ui: &mut Ui, args: &CheckArgs) -> Result<(), CliError> {
    let ws = env.workspace(ui)?;
    let mut pool = ws.documents();
    let wanted = target_paths(&ws, &mut pool, &args.docs)?;
    // SOPs deleted in the working copy: reported when checking everything.
    let deleted = if args.docs.is_empty() {
        ws.deleted_findings()
    } else {
        Vec::new()
    };
    let vanished = if args.docs.is_empty() {
        ws.vanished_documents(&pool)
    } else {
        Vec::new()
    };
    if wanted.is_empty() && deleted.is_empty() && vanished.is_empty() {
        if !ws.is_sop_repository() {
            return Err(super::new::not_a_repository());
        }
        return Err(WorkspaceError::NoDocuments {
            folders: ws.describe_folders(),
            hint: ws.no_documents_hint(),
        }
        .into());
    }

    let mut findings = Vec::new();
    for entry in pool.iter().filter(|e| wanted.contains(&e.path)) {
        ui.verbose(&format!(
            "checking {}",
            ws.display_path(&entry.path).display()
        ));
        match &entry.sop {
            Ok(sop) => findings.extend(ws.check_document(sop)),
            Err(e) => findings.push(e.to_finding(&ws.display_path(&entry.path))),
        }
    }
    // Unique IDs across the repository, reported for the files being checked.
    let shown: Vec<PathBuf> = wanted.iter().map(|p| ws.display_path(p)).collect();
    findings.extend(
        ws.duplicate_ids(&pool)
            .into_iter()
            .filter(|f| shown.contains(&f.path)),
    );
    findings.extend(deleted);
    if args.docs.is_empty() {
        findings.extend(ws.shared_tag_format(&pool));
        findings.extend(ws.bad_out_setting());
        findings.extend(ws.interrupted_record());
        findings.extend(template_findings(&ws));
        findings.extend(vanished);
    }
    findings.sort_by(|a, b| (&a.path, a.location).cmp(&(&b.path, b.location)));

    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = findings.len() - errors;
    if args.json {
        let report = Report {
            checked: wanted.len(),
            errors,
            warnings,
            findings: &findings,
        };
        crate::cli::json::print(ui, &report)?;
    } else {
        for f in &findings {
            ui.finding(f)?;
        }
        ui.status(&summary(wanted.len(), errors, warnings));
    }
    let failed = errors > 0 || (args.strict && warnings > 0);
    if failed {
        if !args.json && errors == 0 {
            ui.hint("--strict counts warnings as errors");
        }
        return Err(CliError::silent(1));
    }
    Ok(())
}

/// An error at each template in `templates/` that leads outside the repository
/// ([`crate::templates::outside_overrides`]): `render`, `publish` and `release` refuse it.
fn template_findings(ws: &Workspace) -> Vec<Finding> {
    crate::templates::outside_overrides(&ws.root)
        .into_iter()
        .map(|outside| {
            Finding::error(
                ws.display_path(&ws.root.join(&outside.shown)),
                crate::doc::Location { line: 1, column: 1 },
                format!(
                    "{}; sopctl does not read it: put the file itself here, or delete the link to use the built-in template",
                    outside.sentence("this template")
                ),
            )
        })
        .collect()
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn summary(checked: usize, errors: usize, warnings: usize) -> String {
    let sops = plural(checked, "SOP", "SOPs");
    if errors == 0 && warnings == 0 {
        format!("checked {sops}: no problems found")
    } else {
        format!(
            "checked {sops}: {}, {}",
            plural(errors, "error", "errors"),
            plural(warnings, "warning", "warnings")
        )
    }
}

/// The files to check: every SOP, or the named ones (by path, or by ID). A named file that is
/// not among the repository's SOPs (a path outside `docs`) is read and added to `pool`.
fn target_paths(
    ws: &Workspace,
    pool: &mut Vec<Entry>,
    names: &[String],
) -> Result<Vec<PathBuf>, CliError> {
    if names.is_empty() {
        return Ok(pool.iter().map(|e| e.path.clone()).collect());
    }
    let mut out = Vec::new();
    for name in names {
        let as_path = ws.cwd.join(name);
        if as_path.exists() {
            // A link is checked as the link it is (an error), never as the file it leads to.
            if let Err(e) = ws.refuse_symbolic_link(&as_path) {
                let path = ws.cwd.join(name);
                if !pool.iter().any(|entry| entry.path == path) {
                    pool.push(Entry {
                        sop: Err(e),
                        path: path.clone(),
                    });
                }
                out.push(path);
                continue;
            }
            let canonical = as_path.canonicalize().unwrap_or(as_path);
            if !pool.iter().any(|e| e.path == canonical) {
                pool.push(Entry {
                    sop: Sop::load(&canonical),
                    path: canonical.clone(),
                });
            }
            out.push(canonical);
            continue;
        }
        let found: Vec<&Entry> = pool
            .iter()
            .filter(|e| {
                e.sop
                    .as_ref()
                    .ok()
                    .and_then(Sop::id)
                    .is_some_and(|id| id.as_str() == name)
            })
            .collect();
        if found.len() > 1 {
            return Err(WorkspaceError::Ambiguous {
                candidates: found
                    .iter()
                    .map(|e| ws.display_path(&e.path).display().to_string())
                    .collect(),
            }
            .into());
        }
        match found.first() {
            Some(e) => out.push(e.path.clone()),
            None => {
                let ids: Vec<String> = pool
                    .iter()
                    .filter_map(|e| e.sop.as_ref().ok()?.id().map(ToString::to_string))
                    .collect();
                let suggestion = crate::suggest::nearest(name, ids.iter().map(String::as_str))
                    .map(str::to_string);
                return Err(WorkspaceError::UnknownDocument {
                    name: name.clone(),
                    suggestion,
                }
                .into());
            }
        }
    }
    Ok(out)
}
