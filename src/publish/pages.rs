//! The site's pages: each SOP's page, `index.html`, the search index and `index.json`.

use std::path::Path;

use super::{PublishError, Report, SopEntry};
use crate::fsx;
use crate::templates;
use crate::workspace::Workspace;

/// The site's own files at its root, besides each SOP's page.
pub(super) const FILES: [&str; 3] = ["index.html", "index.json", super::search::FILE];

/// Writes each SOP's page, `index.html`, the search index and `index.json` (only those whose bytes change).
pub(super) fn write(
    ws: &Workspace,
    out: &Path,
    (sops, found): (&[SopEntry], &[super::search::Document]),
    report: &mut Report,
) -> Result<(), PublishError> {
    let css = templates::source(&ws.root, templates::STYLE)?;
    let organization = ws.settings.organization.clone();
    for sop in sops {
        let page = templates::render(
            &ws.root,
            templates::SITE_SOP,
            minijinja::context! {
                sop => minijinja::value::Value::from(minijinja::value::Serde(sop)),
                organization => organization.clone(),
                css => minijinja::value::Value::from_safe_string(css.clone()),
                root => "../",
            },
        )?;
        let path = out.join(&sop.id).join("index.html");
        if fsx::write_if_changed(&path, page.as_bytes())? {
            report.written.push(path);
        }
    }
    let index = templates::render(
        &ws.root,
        templates::SITE_INDEX,
        minijinja::context! {
            sops => minijinja::value::Value::from(minijinja::value::Serde(sops)),
            organization => organization,
            css => minijinja::value::Value::from_safe_string(css),
            root => "",
            search_index => super::search::FILE,
            search_script => minijinja::value::Value::from_safe_string(
                templates::source(&ws.root, templates::SEARCH_SCRIPT)?,
            ),
        },
    )?;
    let path = out.join("index.html");
    if fsx::write_if_changed(&path, index.as_bytes())? {
        report.written.push(path);
    }
    #[derive(serde::Serialize)]
    struct Index<'a> {
        organization: &'a str,
        sops: &'a [SopEntry],
    }
    let json = serde_json::to_string_pretty(&Index {
        organization: &ws.settings.organization,
        sops,
    })
    .unwrap_or_else(|_| "{}".to_string());
    let path = out.join(super::search::FILE);
    if fsx::write_if_changed(&path, super::search::script(found).as_bytes())? {
        report.written.push(path);
    }
    let path = out.join("index.json");
    if fsx::write_if_changed(&path, json.as_bytes())? {
        report.written.push(path);
    }
    Ok(())
}
