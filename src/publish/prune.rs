//! Only what belongs (issue 20 item 4): after a run, the files in the site's folder that
//! sopctl made and no release accounts for any more are removed — a working copy an older
//! sopctl left in `drafts/`, the renditions of a version or an SOP no longer on the site — so
//! that a copied site holds nothing stale.
//!
//! Removing is guarded three ways, because the folder may be one a person named by mistake:
//! - only a folder that is a site already (it holds the `index.json` sopctl writes) or the
//!   repository's own `out` folder is pruned at all ([`is_site`]);
//! - only files shaped as sopctl names them are removed ([`made_by_sopctl`]); anything else
//!   is left and reported as foreign;
//! - names starting with `.` (`.htaccess`, `.well-known/`) and symbolic links are never
//!   touched or followed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::SopEntry;

/// Every file the site is made of, relative to its root with `/` separators: each version's
/// offered and record copies and redlines, each SOP's page, and the site's `extra` pages.
pub fn accounted(sops: &[SopEntry], extra: &[&str]) -> BTreeSet<String> {
    let mut files: BTreeSet<String> = extra.iter().map(ToString::to_string).collect();
    for sop in sops {
        files.insert(sop.page.clone());
        for v in &sop.versions {
            files.insert(v.html.clone());
            files.extend(v.pdf.clone());
            files.insert(v.record.html.clone());
            files.insert(v.record.pdf.clone());
            files.extend(v.changes.clone());
            files.extend(v.redline_pdf.clone());
        }
        for c in &sop.coming {
            files.insert(c.html.clone());
            files.insert(c.pdf.clone());
        }
    }
    files
}

/// Whether `out` is a site sopctl published: it holds an `index.json` with a `sops` list.
pub fn is_site(out: &Path) -> bool {
    std::fs::read(out.join("index.json"))
        .ok()
        .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
        .is_some_and(|index| index.get("sops").is_some_and(serde_json::Value::is_array))
}

/// Whether the file at `relative` (`/`-separated, below the site's root) has a name sopctl
/// gives: the site's own files, anything below `drafts/`, an SOP's page `{ID}/index.html`, a
/// rendition `{ID}/{version}/{ID}-v{version}….pdf` or `.html`.
pub fn made_by_sopctl(relative: &str) -> bool {
    let parts: Vec<&str> = relative.split('/').collect();
    match parts.as_slice() {
        [name] => matches!(*name, "index.html" | "index.json" | super::search::FILE),
        ["drafts", ..] => true,
        [_, "index.html"] => true,
        [id, version, name] => {
            name.starts_with(&format!("{id}-v{version}"))
                && (name.ends_with(".pdf") || name.ends_with(".html"))
        }
        _ => false,
    }
}

/// What [`prune`] did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Pruned {
    /// Files sopctl made that no release accounts for: removed.
    pub removed: Vec<PathBuf>,
    /// Files sopctl did not make: left as they are.
    pub foreign: Vec<PathBuf>,
}

/// Removes every file below `out` that sopctl made ([`made_by_sopctl`]) and that is not in
/// `keep` (paths relative to `out`), then the folders left empty; lists the files it did not
/// make. Hidden names and symbolic links are skipped. A file that cannot be removed is left and
/// not listed; a missing `out` removes nothing.
pub fn prune(out: &Path, keep: &BTreeSet<String>) -> Pruned {
    let mut pruned = Pruned::default();
    let mut folders = Vec::new();
    let walk = walkdir::WalkDir::new(out)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walk.flatten() {
        let path = entry.path();
        if entry.file_type().is_dir() {
            folders.push(path.to_path_buf());
            continue;
        }
        let relative = super::relative_url(out, path);
        if keep.contains(&relative) {
            continue;
        }
        if entry.path_is_symlink() || !made_by_sopctl(&relative) {
            pruned.foreign.push(path.to_path_buf());
        } else if std::fs::remove_file(path).is_ok() {
            pruned.removed.push(path.to_path_buf());
        }
    }
    // Deepest first, so a folder emptied by its sub-folders' removal goes too.
    for folder in folders.iter().rev() {
        let _ = std::fs::remove_dir(folder);
    }
    pruned
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_stale_files_sopctl_made_go_and_everything_else_stays() {
        let dir = tempfile::tempdir().expect("temp");
        let out = dir.path();
        for file in [
            "index.html",
            "SOP-1/index.html",
            "SOP-1/1.0/SOP-1-v1.0.pdf",
            "SOP-1/1.0/SOP-1-v1.0-copy-1.pdf",
            "drafts/SOP-1/SOP-1-working-copy.pdf",
            "SOP-9/1.0/SOP-9-v1.0.pdf",
            "SOP-9/index.html",
            "notes.txt",
            "SOP-1/SOP-1-v1.1-copy-1.pdf",
            ".htaccess",
            ".well-known/security.txt",
        ] {
            let path = out.join(file);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(&path, b"x").expect("write");
        }
        let elsewhere = tempfile::tempdir().expect("temp");
        std::fs::create_dir_all(elsewhere.path().join("1.0")).expect("mkdir");
        std::fs::write(elsewhere.path().join("1.0/SOP-5-v1.0.pdf"), b"x").expect("write");
        std::os::unix::fs::symlink(elsewhere.path(), out.join("SOP-5")).expect("link");
        let keep: BTreeSet<String> = ["index.html", "SOP-1/index.html", "SOP-1/1.0/SOP-1-v1.0.pdf"]
            .iter()
            .map(ToString::to_string)
            .collect();
        let pruned = prune(out, &keep);
        assert_eq!(
            pruned.removed,
            vec![
                out.join("SOP-1/1.0/SOP-1-v1.0-copy-1.pdf"),
                out.join("SOP-9/1.0/SOP-9-v1.0.pdf"),
                out.join("SOP-9/index.html"),
                out.join("drafts/SOP-1/SOP-1-working-copy.pdf"),
            ]
        );
        assert_eq!(
            pruned.foreign,
            vec![
                out.join("SOP-1/SOP-1-v1.1-copy-1.pdf"),
                out.join("SOP-5"),
                out.join("notes.txt"),
            ]
        );
        assert!(!out.join("drafts").exists());
        assert!(!out.join("SOP-9").exists());
        assert!(out.join(".htaccess").is_file());
        assert!(out.join(".well-known/security.txt").is_file());
        assert!(elsewhere.path().join("1.0/SOP-5-v1.0.pdf").is_file());
        assert!(out.join("SOP-5").is_symlink());
    }

    #[test]
    fn a_site_is_a_folder_with_sopctls_index() {
        let dir = tempfile::tempdir().expect("temp");
        assert!(!is_site(dir.path()));
        std::fs::write(dir.path().join("index.json"), b"{\"name\": \"app\"}").expect("write");
        assert!(!is_site(dir.path()));
        std::fs::write(
            dir.path().join("index.json"),
            b"{\"organization\": \"\", \"sops\": []}",
        )
        .expect("write");
        assert!(is_site(dir.path()));
    }
}
