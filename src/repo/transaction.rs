//! The release transaction: a commit and an annotated tag, all or nothing (SPEC §5.5).
//!
//! Git objects are written first (blob, tree, commit, tag object); none of them is visible until
//! a ref points at it. Then, in order: the branch moves (compare-and-swap against the commit
//! it pointed at when the release was planned), the tag ref is created (never overwritten), the
//! document is written in the work tree (atomically), and its index entry is updated. A failure
//! at any step undoes the steps already done, in reverse. Unreferenced objects are harmless
//! and left to git's garbage collection.

use std::path::Path;

use super::{Identity, Repo, RepoError};
use crate::fsx;

/// A place where tests make the transaction fail, to prove it undoes itself. Read from
/// `SOPCTL_TEST_FAIL_AT` in debug builds only; release builds ignore it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultPoint {
    /// After the objects are written, before any ref moves.
    Objects,
    /// After the branch moved.
    Branch,
    /// After the tag ref was created.
    Tag,
    /// After the document was written.
    File,
    /// After the renditions were written.
    Renditions,
    /// Before the index is written (the last step).
    Index,
}

impl FaultPoint {
    /// The fault point named by `SOPCTL_TEST_FAIL_AT` (`objects`, `branch`, `tag`, `file`,
    /// `index`), in debug builds.
    pub fn from_env() -> Option<FaultPoint> {
        if !cfg!(debug_assertions) {
            return None;
        }
        match std::env::var("SOPCTL_TEST_FAIL_AT").ok()?.as_str() {
            "objects" => Some(FaultPoint::Objects),
            "branch" => Some(FaultPoint::Branch),
            "tag" => Some(FaultPoint::Tag),
            "file" => Some(FaultPoint::File),
            "index" => Some(FaultPoint::Index),
            "renditions" => Some(FaultPoint::Renditions),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            FaultPoint::Objects => "objects",
            FaultPoint::Branch => "branch",
            FaultPoint::Tag => "tag",
            FaultPoint::File => "file",
            FaultPoint::Index => "index",
            FaultPoint::Renditions => "renditions",
        }
    }
}

/// Files to write: absolute path and bytes.
pub type Files = Vec<(std::path::PathBuf, Vec<u8>)>;

/// Makes the renditions from the new commit's id, or says why it cannot.
pub type RenditionMaker<'a> = dyn Fn(&str) -> Result<Files, String> + 'a;

/// What a release writes.
pub struct ReleaseWrite<'a> {
    /// The document in the work tree (absolute path).
    pub file: &'a Path,
    /// The same, relative to the work tree (the path in the commit).
    pub relative: &'a Path,
    /// The document's new bytes.
    pub new_bytes: &'a [u8],
    /// The commit message.
    pub commit_message: &'a str,
    /// The tag's name (without `refs/tags/`).
    pub tag_name: &'a str,
    /// The tag's message.
    pub tag_message: &'a str,
    /// Committer and tagger.
    pub identity: &'a Identity,
    /// Commit and tag time in seconds since the Unix epoch (UTC); `None`: now.
    pub time: Option<i64>,
    /// Makes the renditions once the commit id is known (it is printed on them): files to
    /// write (absolute paths) and their bytes, or a reason they cannot be made.
    pub renditions: &'a RenditionMaker<'a>,
}

/// What a release wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// The new commit's id.
    pub commit: String,
    /// The tag object's id.
    pub tag: String,
}

/// Steps done so far, for undoing.
struct Done {
    branch: Option<(String, Option<git2::Oid>, git2::Oid)>,
    tag_ref: Option<String>,
    file: Option<Option<Vec<u8>>>,
    renditions: Vec<(std::path::PathBuf, Option<Vec<u8>>)>,
}

impl Repo {
    /// Carries out a release: see the module docs for the order and the undo.
    ///
    /// # Errors
    /// [`RepoError::Moved`] when the branch or the tag changed since the plan (another release
    /// ran at once); [`RepoError::Git`] or a file error when a step fails. In every case the
    /// branch, the tags, the document and the index are as they were.
    pub fn write_release(
        &self,
        w: &ReleaseWrite<'_>,
        fault: Option<FaultPoint>,
    ) -> Result<Written, RepoError> {
        // Whatever happens below, the tags may change: list them afresh next time.
        self.forget_tag_names();
        let result = self.write_release_steps(w, fault);
        self.forget_tag_names();
        result
    }

    fn write_release_steps(
        &self,
        w: &ReleaseWrite<'_>,
        fault: Option<FaultPoint>,
    ) -> Result<Written, RepoError> {
        let repo = &self.inner;
        let fail = |point: FaultPoint| {
            if fault == Some(point) {
                Err(RepoError::Injected(point.name()))
            } else {
                Ok(())
            }
        };

        // Where HEAD points: a branch (maybe unborn).
        let head_ref = repo
            .find_reference("HEAD")
            .map_err(|e| RepoError::git("read HEAD", &e))?;
        let branch = match head_ref.symbolic_target() {
            Ok(Some(target)) => target.to_string(),
            _ => {
                return Err(RepoError::Git {
                    action: "release",
                    message: "HEAD is not on a branch".into(),
                });
            }
        };
        let parent = repo
            .find_reference(&branch)
            .ok()
            .and_then(|r| r.peel_to_commit().ok());
        let old = parent.as_ref().map(git2::Commit::id);

        // 1. Objects.
        let blob = repo
            .blob(w.new_bytes)
            .map_err(|e| RepoError::git("write the document", &e))?;
        let mut index = git2::Index::new().map_err(|e| RepoError::git("build the commit", &e))?;
        let mut mode = 0o100_644;
        if let Some(p) = &parent {
            let tree = p
                .tree()
                .map_err(|e| RepoError::git("read the last commit", &e))?;
            index
                .read_tree(&tree)
                .map_err(|e| RepoError::git("read the last commit", &e))?;
            if let Ok(entry) = tree.get_path(w.relative) {
                mode = u32::try_from(entry.filemode()).unwrap_or(0o100_644);
            }
        }
        let path_bytes = w.relative.to_string_lossy().replace('\\', "/").into_bytes();
        let entry = git2::IndexEntry {
            ctime: git2::IndexTime::new(0, 0),
            mtime: git2::IndexTime::new(0, 0),
            dev: 0,
            ino: 0,
            mode,
            uid: 0,
            gid: 0,
            file_size: u32::try_from(w.new_bytes.len()).unwrap_or(u32::MAX),
            id: blob,
            flags: 0,
            flags_extended: 0,
            path: path_bytes,
        };
        index
            .add(&entry)
            .map_err(|e| RepoError::git("build the commit", &e))?;
        let tree_id = index
            .write_tree_to(repo)
            .map_err(|e| RepoError::git("build the commit", &e))?;
        let tree = repo
            .find_tree(tree_id)
            .map_err(|e| RepoError::git("build the commit", &e))?;
        let signature = match w.time {
            Some(t) => {
                git2::Signature::new(&w.identity.name, &w.identity.email, &git2::Time::new(t, 0))
            }
            None => git2::Signature::now(&w.identity.name, &w.identity.email),
        }
        .map_err(|e| RepoError::git("sign the commit", &e))?;
        let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
        let commit = repo
            .commit(
                None,
                &signature,
                &signature,
                w.commit_message,
                &tree,
                &parents,
            )
            .map_err(|e| RepoError::git("write the commit", &e))?;
        let commit_obj = repo
            .find_object(commit, None)
            .map_err(|e| RepoError::git("write the tag", &e))?;
        let tag = repo
            .tag_annotation_create(w.tag_name, &commit_obj, &signature, w.tag_message)
            .map_err(|e| RepoError::git("write the tag", &e))?;
        let renditions = (w.renditions)(&commit.to_string()).map_err(|message| RepoError::Git {
            action: "make the renditions",
            message,
        })?;
        fail(FaultPoint::Objects)?;

        // 2. Publish, undoing on failure.
        let mut done = Done {
            branch: None,
            tag_ref: None,
            file: None,
            renditions: Vec::new(),
        };
        let result = self.publish(w, &branch, old, commit, tag, &renditions, &mut done, &fail);
        match result {
            Ok(()) => Ok(Written {
                commit: commit.to_string(),
                tag: tag.to_string(),
            }),
            Err(e) => {
                self.undo(w, done);
                Err(e)
            }
        }
    }

    #[allow(
        clippy::too_many_arguments,
        reason = "the steps share this state; a struct would only rename it"
    )]
    fn publish(
        &self,
        w: &ReleaseWrite<'_>,
        branch: &str,
        old: Option<git2::Oid>,
        commit: git2::Oid,
        tag: git2::Oid,
        renditions: &[(std::path::PathBuf, Vec<u8>)],
        done: &mut Done,
        fail: &dyn Fn(FaultPoint) -> Result<(), RepoError>,
    ) -> Result<(), RepoError> {
        let repo = &self.inner;
        let log = format!("sopctl release: {}", w.tag_name);
        let moved = match old {
            Some(old) => repo.reference_matching(branch, commit, true, old, &log),
            None => repo.reference(branch, commit, false, &log),
        };
        moved.map_err(|e| match e.code() {
            git2::ErrorCode::Modified | git2::ErrorCode::Exists => RepoError::Moved {
                what: format!("branch {branch}"),
            },
            _ => RepoError::git("move the branch", &e),
        })?;
        done.branch = Some((branch.to_string(), old, commit));
        fail(FaultPoint::Branch)?;

        let tag_ref = format!("refs/tags/{}", w.tag_name);
        repo.reference(&tag_ref, tag, false, &log)
            .map_err(|e| match e.code() {
                git2::ErrorCode::Exists => RepoError::Moved {
                    what: format!("tag {}", w.tag_name),
                },
                _ => RepoError::git("create the tag", &e),
            })?;
        done.tag_ref = Some(tag_ref);
        fail(FaultPoint::Tag)?;

        let previous = std::fs::read(w.file).ok();
        fsx::write_atomic(w.file, w.new_bytes).map_err(|e| RepoError::Git {
            action: "write the document",
            message: e.to_string(),
        })?;
        done.file = Some(previous);
        fail(FaultPoint::File)?;

        for (path, bytes) in renditions {
            let previous = std::fs::read(path).ok();
            fsx::write_atomic(path, bytes).map_err(|e| RepoError::Git {
                action: "write the renditions",
                message: e.to_string(),
            })?;
            done.renditions.push((path.clone(), previous));
        }
        fail(FaultPoint::Renditions)?;

        // Last: the index entry, so that `git status` shows a clean work tree.
        let mut index = repo
            .index()
            .map_err(|e| RepoError::git("update the index", &e))?;
        index
            .add_path(w.relative)
            .map_err(|e| RepoError::git("update the index", &e))?;
        fail(FaultPoint::Index)?;
        index
            .write()
            .map_err(|e| RepoError::git("update the index", &e))?;
        Ok(())
    }

    /// Undoes published steps in reverse order; each undo is tried even if another fails.
    fn undo(&self, w: &ReleaseWrite<'_>, done: Done) {
        let repo = &self.inner;
        for (path, previous) in done.renditions.into_iter().rev() {
            match previous {
                Some(bytes) => {
                    let _ = fsx::write_atomic(&path, &bytes);
                }
                None => {
                    let _ = std::fs::remove_file(&path);
                }
            }
        }
        if let Some(previous) = done.file {
            match previous {
                Some(bytes) => {
                    let _ = fsx::write_atomic(w.file, &bytes);
                }
                None => {
                    let _ = std::fs::remove_file(w.file);
                }
            }
        }
        if let Some(tag_ref) = done.tag_ref
            && let Ok(mut r) = repo.find_reference(&tag_ref)
        {
            let _ = r.delete();
        }
        if let Some((branch, old, new)) = done.branch {
            match old {
                Some(old) => {
                    let _ =
                        repo.reference_matching(&branch, old, true, new, "sopctl release: undone");
                }
                None => {
                    if let Ok(mut r) = repo.find_reference(&branch) {
                        let _ = r.delete();
                    }
                }
            }
        }
    }
}
