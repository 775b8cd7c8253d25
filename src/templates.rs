//! Templates: the built-in ones compiled into the binary, each overridable by a file of the same
//! name in the SOP repository's own `templates/` folder (SPEC §2).
//!
//! Templates are Jinja2 (minijinja) with strict undefined variables, so a misspelt variable in
//! an organisation's own template is an error instead of a silent blank.
//!
//! An override is read only when it lies in the repository ([`override_file`]): a committed
//! symbolic link `templates/style.css` → `/etc/passwd` is refused, never inlined into a page.

use std::path::{Path, PathBuf};

use minijinja::{Environment, UndefinedBehavior};

use crate::fsx::{self, FsError};
use crate::paths::{self, Outside};

/// The new-SOP skeleton: variables `id`, `title`, `owner`.
pub const SKELETON: &str = "skeleton.md";
/// The HTML page around a rendition's body: variables `meta`, `mark`, `toc`, `body`, `css`,
/// `page_size`, `generator`.
pub const PAGE: &str = "page.html";
/// The stylesheet inlined into HTML renditions (not a template: used as it is).
pub const STYLE: &str = "style.css";

/// The published site's front page: variables `sops`, `organization`, `css`, `root`,
/// `search_script`, `search_index`.
pub const SITE_INDEX: &str = "site-index.html";
/// The published site's page of one SOP: variables `sop`, `organization`, `css`, `root`.
pub const SITE_SOP: &str = "site-sop.html";
/// The site's search script, inlined into the front page (not a template: used as it is).
pub const SEARCH_SCRIPT: &str = "search.js";

const BUILT_IN: [(&str, &str); 6] = [
    (SKELETON, include_str!("../templates/skeleton.md")),
    (PAGE, include_str!("../templates/page.html")),
    (STYLE, include_str!("../templates/style.css")),
    (SITE_INDEX, include_str!("../templates/site-index.html")),
    (SITE_SOP, include_str!("../templates/site-sop.html")),
    (SEARCH_SCRIPT, include_str!("../templates/search.js")),
];

/// The sentences of the built-in new-SOP template that stand in for the author's own words
/// ("1. First step."): its body lines that are not headings, table rows or filled-in values.
pub fn skeleton_placeholders() -> impl Iterator<Item = &'static str> {
    let skeleton = include_str!("../templates/skeleton.md");
    let body = skeleton.splitn(3, "---\n").nth(2).unwrap_or_default();
    body.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with(['#', '|']) && !l.contains("{{"))
}

/// The text of template file `name`: the repository's `templates/{name}` under `root` if it
/// exists, else the built-in one.
///
/// # Errors
/// [`TemplateError::Outside`] when the repository's file leads outside `root` through a
/// symbolic link; [`TemplateError::Io`] when it cannot be read.
pub fn source(root: &Path, name: &str) -> Result<String, TemplateError> {
    Ok(load(root, name)?.0)
}

/// The repository's own file for template `name` (`templates/{name}` under `root`), where it
/// really is, or `None` when there is none and the built-in one applies. The file is followed
/// through symbolic links and must stay in the repository ([`paths::resolve_inside`], with
/// `root` as the repository): a link to a file elsewhere on the machine is never read.
///
/// # Errors
/// [`TemplateError::Outside`] naming `templates/{name}` and where it leads.
pub fn override_file(root: &Path, name: &str) -> Result<Option<PathBuf>, TemplateError> {
    let written = Path::new("templates").join(name);
    if !root.join(&written).is_file() {
        return Ok(None);
    }
    Ok(Some(paths::resolve_inside(root, root, &written)?))
}

/// Every override in `root`'s `templates/` that leads outside the repository, in the order of
/// the built-in templates; empty when all are inside (or there are none). `check` reports
/// them, and `release`, `render` and `publish` refuse before writing anything.
pub fn outside_overrides(root: &Path) -> Vec<Outside> {
    BUILT_IN
        .iter()
        .filter_map(|(name, _)| match override_file(root, name) {
            Err(TemplateError::Outside(outside)) => Some(outside),
            _ => None,
        })
        .collect()
}

/// Refuses when any override in `root`'s `templates/` leads outside the repository
/// ([`outside_overrides`]), so a command refuses before it writes its first file.
///
/// # Errors
/// [`TemplateError::Outside`] for the first such template.
pub fn verify(root: &Path) -> Result<(), TemplateError> {
    match outside_overrides(root).into_iter().next() {
        Some(outside) => Err(TemplateError::Outside(outside)),
        None => Ok(()),
    }
}

fn load(root: &Path, name: &str) -> Result<(String, String), TemplateError> {
    if let Some(override_path) = override_file(root, name)? {
        let bytes = fsx::read(&override_path)?;
        Ok((
            String::from_utf8_lossy(&bytes).into_owned(),
            override_path.display().to_string(),
        ))
    } else {
        let built_in = BUILT_IN
            .iter()
            .find(|(n, _)| *n == name)
            .map_or("", |(_, t)| *t);
        Ok((built_in.to_string(), format!("{name} (built in)")))
    }
}

/// A template that cannot be loaded or rendered.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    /// The repository's own template cannot be read.
    #[error(transparent)]
    Io(#[from] FsError),
    /// The repository's own template is a symbolic link (or lies in a linked folder) that
    /// leads outside the repository; it is not read.
    #[error("the template {0}")]
    Outside(#[from] Outside),
    /// The template is wrong, or uses a variable that does not exist.
    #[error("template {name}: {message}")]
    Render {
        /// The template's name (and where it came from).
        name: String,
        /// minijinja's message.
        message: String,
    },
}

/// Renders template `name` with `context`: the repository's `templates/{name}` under `root` if
/// it exists, else the built-in one.
///
/// # Errors
/// [`TemplateError`] when the override cannot be read or either template fails to render.
pub fn render(
    root: &Path,
    name: &str,
    context: impl serde::Serialize,
) -> Result<String, TemplateError> {
    let (source, shown) = load(root, name)?;
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    let syntax = minijinja::syntax::SyntaxConfig::builder()
        .keep_trailing_newline(true)
        .build()
        .map_err(|e| TemplateError::Render {
            name: name.to_string(),
            message: e.to_string(),
        })?;
    env.set_syntax(syntax);
    env.add_filter("yaml", yaml_scalar);
    env.add_filter("cell", |value: String| value.replace('|', "\\|"));
    // Dates and IDs that a browser must not break at their hyphens ([`crate::render::html::keep_whole`]).
    env.add_filter("keep_whole", |value: String| {
        minijinja::Value::from_safe_string(
            crate::render::html::keep_whole(&crate::render::html::escape(&value)).into_owned(),
        )
    });
    // The last part of a site path, `SOP-1/1.0/SOP-1-v1.0.pdf` → `SOP-1-v1.0.pdf`.
    env.add_filter("basename", |value: String| {
        value.rsplit('/').next().unwrap_or_default().to_string()
    });
    let fail = |e: minijinja::Error| TemplateError::Render {
        name: shown.clone(),
        message: e.to_string(),
    };
    env.add_template_owned(name.to_string(), source)
        .map_err(fail)?;
    env.get_template(name)
        .map_err(fail)?
        .render(minijinja::value::Serde(&context))
        .map_err(fail)
}

/// A string as a YAML scalar: plain when that reads back as the same string, else
/// double-quoted (JSON's string syntax is valid YAML double-quoted syntax).
fn yaml_scalar(value: String) -> String {
    let plain_safe = !value.is_empty()
        && value
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || c == '(')
        && value
            .chars()
            .all(|c| c.is_alphanumeric() || " .,()/&'-_".contains(c))
        && !value.ends_with(' ')
        && !matches!(
            value.to_ascii_lowercase().as_str(),
            "yes" | "no" | "true" | "false" | "null" | "on" | "off" | "~"
        )
        && value.parse::<f64>().is_err();
    if plain_safe {
        value
    } else {
        serde_json::Value::String(value).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_scalars_are_quoted_only_when_needed() {
        assert_eq!(
            yaml_scalar("Cleaning the mixer".into()),
            "Cleaning the mixer"
        );
        assert_eq!(yaml_scalar("Spills: large".into()), "\"Spills: large\"");
        assert_eq!(yaml_scalar("# not a comment".into()), "\"# not a comment\"");
        assert_eq!(yaml_scalar("1.10".into()), "\"1.10\"");
        assert_eq!(yaml_scalar("yes".into()), "\"yes\"");
        assert_eq!(yaml_scalar("Say \"hi\"".into()), "\"Say \\\"hi\\\"\"");
    }

    #[test]
    fn a_repository_template_overrides_the_built_in_one_and_strict_variables_catch_typos() {
        let dir = tempfile::tempdir().expect("tmp");
        let ctx = serde_json::json!({"id": "SOP-001", "title": "T", "owner": "QA"});
        let built_in = render(dir.path(), SKELETON, &ctx).expect("built in");
        assert!(
            built_in.starts_with("---\nid: SOP-001\ntitle: T\n"),
            "{built_in}"
        );
        std::fs::create_dir_all(dir.path().join("templates")).expect("mkdir");
        std::fs::write(
            dir.path().join("templates/skeleton.md"),
            "{{ id }} by {{ ownr }}",
        )
        .expect("write");
        let err = render(dir.path(), SKELETON, &ctx).expect_err("typo");
        assert!(err.to_string().contains("undefined"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn an_override_linked_outside_the_repository_is_never_read() {
        let dir = tempfile::tempdir().expect("tmp");
        let root = dir.path().join("repo");
        std::fs::create_dir_all(root.join("templates")).expect("mkdir");
        std::fs::create_dir_all(root.join("shared")).expect("mkdir");
        std::fs::write(dir.path().join("secret.css"), "secret").expect("outside");
        std::fs::write(root.join("shared/site.css"), "inside").expect("inside");
        std::os::unix::fs::symlink(
            dir.path().join("secret.css"),
            root.join("templates/style.css"),
        )
        .expect("link out");
        let err = source(&root, STYLE).expect_err("outside");
        let target = dir
            .path()
            .canonicalize()
            .expect("canonical")
            .join("secret.css");
        assert_eq!(
            err.to_string(),
            format!(
                "the template templates/style.css leads outside the repository through a symbolic link (to {})",
                target.display()
            )
        );
        assert_eq!(outside_overrides(&root).len(), 1);
        assert!(verify(&root).is_err());
        // A link that stays in the repository is followed.
        std::fs::remove_file(root.join("templates/style.css")).expect("rm");
        std::os::unix::fs::symlink(
            root.join("shared/site.css"),
            root.join("templates/style.css"),
        )
        .expect("link in");
        assert_eq!(source(&root, STYLE).expect("inside"), "inside");
        assert_eq!(outside_overrides(&root), Vec::new());
    }
}
