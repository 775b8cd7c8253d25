//! Only what belongs (issue 20 item 4): after a run, every file in the site's folder that no
//! release accounts for is removed — a working copy left in `drafts/`, the renditions of a
//! version or an SOP no longer on the site, a page an older sopctl wrote — so that a copied
//! site holds nothing stale. Entries whose name starts with `.` (`.htaccess`, `.well-known/`)
//! belong to the web server, not to the site, and are left alone.

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

/// Removes every file below `out` that is not in `keep` (paths relative to `out`), then the
/// folders left empty. Returns the files removed, sorted. A file that cannot be removed is
/// left and not listed; a missing `out` removes nothing.
pub fn prune(out: &Path, keep: &BTreeSet<String>) -> Vec<PathBuf> {
    let mut removed = Vec::new();
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
        if !keep.contains(&relative) && std::fs::remove_file(path).is_ok() {
            removed.push(path.to_path_buf());
        }
    }
    // Deepest first, so a folder emptied by its sub-folders' removal goes too.
    for folder in folders.iter().rev() {
        let _ = std::fs::remove_dir(folder);
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_files_accounted_for_and_hidden_ones_stay() {
        let dir = tempfile::tempdir().expect("temp");
        let out = dir.path();
        for file in [
            "index.html",
            "SOP-1/index.html",
            "SOP-1/1.0/SOP-1-v1.0.pdf",
            "drafts/SOP-1/SOP-1-working-copy.pdf",
            "SOP-9/1.0/SOP-9-v1.0.pdf",
            ".htaccess",
            ".well-known/security.txt",
        ] {
            let path = out.join(file);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(&path, b"x").expect("write");
        }
        let keep: BTreeSet<String> = ["index.html", "SOP-1/index.html", "SOP-1/1.0/SOP-1-v1.0.pdf"]
            .iter()
            .map(ToString::to_string)
            .collect();
        let removed = prune(out, &keep);
        assert_eq!(
            removed,
            vec![
                out.join("SOP-9/1.0/SOP-9-v1.0.pdf"),
                out.join("drafts/SOP-1/SOP-1-working-copy.pdf"),
            ]
        );
        assert!(!out.join("drafts").exists());
        assert!(!out.join("SOP-9").exists());
        assert!(out.join(".htaccess").is_file());
        assert!(out.join(".well-known/security.txt").is_file());
        assert!(out.join("SOP-1/1.0/SOP-1-v1.0.pdf").is_file());
    }
}
