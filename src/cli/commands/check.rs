//! `sopctl check`: every rule of SPEC §4 on one, several or all SOPs ([`crate::check`]).

use std::path::PathBuf;

use crate::check;
use crate::cli::{CliError, Env, Ui};
use crate::doc::{Finding, Sop};
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
    let scope = if args.docs.is_empty() {
        check::Scope::Everything
    } else {
        check::Scope::Files(&wanted)
    };
    for path in &wanted {
        ui.verbose(&format!("checking {}", ws.display_path(path).display()));
    }
    let report = check::repository(&ws, &pool, scope);
    // Nothing to check, and nothing deleted or vanished to report either.
    if wanted.is_empty() && report.findings.is_empty() {
        if !ws.is_sop_repository() {
            return Err(super::new::not_a_repository());
        }
        return Err(WorkspaceError::NoDocuments {
            folders: ws.describe_folders(),
            hint: ws.no_documents_hint(),
        }
        .into());
    }
    let findings = &report.findings;
    let errors = report.error_count();
    let warnings = report.warning_count();
    if args.json {
        let json = Report {
            checked: wanted.len(),
            errors,
            warnings,
            findings,
        };
        crate::cli::json::print(ui, &json)?;
    } else {
        for f in findings {
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
