//! Only what belongs (issue 20 item 4): after a run, the files that earlier runs of `publish`
//! wrote into the site's folder and that no release accounts for any more are removed — the
//! renditions of a version no longer offered, a page an older layout made — so that a copied
//! site holds nothing stale.
//!
//! Removing files from a folder someone named is dangerous, so it is guarded:
//! - **Only what sopctl wrote there.** Each run records the files of the site it made in the
//!   folder's manifest, `.sopctl-site.json`, with the repository's identity (its first commit).
//!   A file is removed only when the manifest lists it: a file a person put in the folder
//!   never is, whatever its name, and a folder sopctl never published into loses nothing.
//! - **Only from this repository's site.** A manifest written for another repository (another
//!   first commit) removes nothing.
//! - **Only files of SOPs on the site now.** The files of an SOP that is not on the site this
//!   time (a clone without tags, a changed `tag_format`, an SOP whose file cannot be read) stay.
//! - Symbolic links are never followed or removed.
//!
//! The one exception: `drafts/` inside the repository's own `out` folder (default `dist/`),
//! where an older `sopctl render` wrote working copies, is emptied.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::SopEntry;

/// The manifest's name, at the site's root.
pub const MANIFEST: &str = ".sopctl-site.json";

/// What the manifest says: which repository published the folder and the files it made.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Manifest {
    /// The publishing repository's first commit (hex id), or empty when unknown.
    pub repository: String,
    /// The site's files, relative to its root with `/` separators.
    pub files: BTreeSet<String>,
}

impl Manifest {
    /// The manifest in `out`, if there is a readable one.
    pub fn read(out: &Path) -> Option<Manifest> {
        let bytes = std::fs::read(out.join(MANIFEST)).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// Whether another repository than `repository` (a first commit) wrote it. A manifest
    /// that names none is nobody's: it is not taken as this repository's either.
    pub fn is_another_repositorys(&self, repository: &str) -> bool {
        !self.repository.is_empty() && self.repository != repository
    }

    /// The manifest's text: pretty JSON, the files sorted, so it only changes with the site.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".to_string())
    }
}

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

/// What [`prune`] did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Pruned {
    /// Files removed: written by an earlier run, accounted for by no release now.
    pub removed: Vec<PathBuf>,
    /// Files sopctl did not write (the manifest does not list them): left as they are.
    pub foreign: Vec<PathBuf>,
}

/// What to prune `out` against.
#[derive(Debug)]
pub struct Against<'a> {
    /// The site's files now.
    pub keep: &'a BTreeSet<String>,
    /// The manifest an earlier run left, if any.
    pub previous: Option<&'a Manifest>,
    /// This repository's identity ([`Manifest::repository`]).
    pub repository: &'a str,
    /// The IDs of the SOPs on the site now: only their files are removed.
    pub on_site: &'a BTreeSet<String>,
    /// Whether `out` is the repository's own `out` folder, whose `drafts/` is emptied.
    pub own_folder: bool,
}

/// Removes from `out` what [`Against`] allows (see the module's rules), then the folders left
/// empty; lists the files below `out` that sopctl did not write. A file that cannot be removed
/// is left and not listed.
pub fn prune(out: &Path, against: &Against<'_>) -> Pruned {
    let mut pruned = Pruned::default();
    let ours = against
        .previous
        .filter(|m| !m.repository.is_empty() && !m.is_another_repositorys(against.repository));
    let mut candidates: BTreeSet<PathBuf> = BTreeSet::new();
    if let Some(manifest) = ours {
        for file in manifest.files.difference(against.keep) {
            let sop = file.split('/').next().unwrap_or_default();
            if file.contains('/') && against.on_site.contains(sop) {
                candidates.insert(out.join(file));
            }
        }
    }
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
        let is_file = entry.file_type().is_file();
        let draft = against.own_folder && relative.starts_with("drafts/");
        if is_file && (draft || candidates.contains(path)) {
            if std::fs::remove_file(path).is_ok() {
                pruned.removed.push(path.to_path_buf());
            }
        } else if !against.keep.contains(&relative)
            && !ours.is_some_and(|m| m.files.contains(&relative))
        {
            pruned.foreign.push(path.to_path_buf());
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

    fn set(items: &[&str]) -> BTreeSet<String> {
        items.iter().map(ToString::to_string).collect()
    }

    fn files(out: &Path, names: &[&str]) {
        for file in names {
            let path = out.join(file);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(&path, b"x").expect("write");
        }
    }

    #[test]
    fn only_files_an_earlier_run_wrote_for_an_sop_on_the_site_go() {
        let dir = tempfile::tempdir().expect("temp");
        let out = dir.path();
        files(
            out,
            &[
                "index.html",
                "SOP-1/index.html",
                "SOP-1/1.0/SOP-1-v1.0.pdf",
                "SOP-1/1.0/SOP-1-v1.0-superseded.pdf",
                "SOP-1/1.0/SOP-1-v1.0-annotated.pdf",
                "SOP-9/1.0/SOP-9-v1.0.pdf",
                "about/index.html",
                "notes.txt",
                ".htaccess",
            ],
        );
        let elsewhere = tempfile::tempdir().expect("temp");
        files(elsewhere.path(), &["1.0/SOP-5-v1.0.pdf"]);
        std::os::unix::fs::symlink(elsewhere.path(), out.join("SOP-5")).expect("link");
        let previous = Manifest {
            repository: "abc".into(),
            files: set(&[
                "index.html",
                "SOP-1/index.html",
                "SOP-1/1.0/SOP-1-v1.0.pdf",
                "SOP-1/1.0/SOP-1-v1.0-superseded.pdf",
                "SOP-9/1.0/SOP-9-v1.0.pdf",
                "SOP-5/1.0/SOP-5-v1.0.pdf",
            ]),
        };
        let keep = set(&["index.html", "SOP-1/index.html", "SOP-1/1.0/SOP-1-v1.0.pdf"]);
        let on_site = set(&["SOP-1", "SOP-5"]);
        let against = Against {
            keep: &keep,
            previous: Some(&previous),
            repository: "abc",
            on_site: &on_site,
            own_folder: false,
        };
        let pruned = prune(out, &against);
        // SOP-9 is not on the site (a clone without its tags): its files stay.
        assert_eq!(
            pruned.removed,
            vec![out.join("SOP-1/1.0/SOP-1-v1.0-superseded.pdf")]
        );
        assert_eq!(
            pruned.foreign,
            vec![
                out.join("SOP-1/1.0/SOP-1-v1.0-annotated.pdf"),
                out.join("SOP-5"),
                out.join("about/index.html"),
                out.join("notes.txt"),
            ]
        );
        assert!(out.join("SOP-9/1.0/SOP-9-v1.0.pdf").is_file());
        assert!(elsewhere.path().join("1.0/SOP-5-v1.0.pdf").is_file());

        // Another repository's manifest, or none: nothing is removed.
        for previous in [
            None,
            Some(&Manifest {
                repository: "other".into(),
                ..previous.clone()
            }),
        ] {
            files(out, &["SOP-1/1.0/SOP-1-v1.0-superseded.pdf"]);
            let pruned = prune(
                out,
                &Against {
                    previous,
                    ..against
                },
            );
            assert_eq!(pruned.removed, Vec::<PathBuf>::new());
        }
    }

    #[test]
    fn drafts_go_only_from_the_repositorys_own_folder() {
        let dir = tempfile::tempdir().expect("temp");
        let out = dir.path();
        files(out, &["drafts/SOP-1/SOP-1-working-copy.pdf"]);
        let (keep, on_site) = (set(&[]), set(&[]));
        let mut against = Against {
            keep: &keep,
            previous: None,
            repository: "abc",
            on_site: &on_site,
            own_folder: false,
        };
        assert_eq!(prune(out, &against).removed, Vec::<PathBuf>::new());
        against.own_folder = true;
        assert_eq!(
            prune(out, &against).removed,
            vec![out.join("drafts/SOP-1/SOP-1-working-copy.pdf")]
        );
        assert!(!out.join("drafts").exists());
    }
}
