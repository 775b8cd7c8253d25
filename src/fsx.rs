//! File I/O whose errors name the path, and atomic writes.
//!
//! Every read and write sopctl does on a user's files goes through here, so that an error always
//! says which file it was about, and a write is never left half done: [`write_atomic`] writes a
//! temporary file in the target's own folder, flushes it to disk and renames it over the target.

use std::io::Write;
use std::path::{Path, PathBuf};

/// A file operation that failed, with the path it was about.
#[derive(Debug, thiserror::Error)]
#[error("{action} {path}: {source}")]
pub struct FsError {
    /// What was being done: "cannot read", "cannot write", …
    pub action: &'static str,
    /// The file or folder concerned.
    pub path: PathBuf,
    /// The operating system's reason.
    #[source]
    pub source: std::io::Error,
}

impl FsError {
    fn new(action: &'static str, path: &Path, source: std::io::Error) -> Self {
        FsError {
            action,
            path: path.to_path_buf(),
            source,
        }
    }
}

/// The operating system's reason for a failed file operation in plain words (its own text
/// names error numbers), with what to do where that is clear.
pub fn plain_reason(err: &std::io::Error) -> (String, Option<&'static str>) {
    use std::io::ErrorKind as K;
    match err.kind() {
        K::NotFound => (
            "it does not exist".to_string(),
            Some("check the spelling of the path"),
        ),
        K::PermissionDenied => (
            "you are not allowed to".to_string(),
            Some("check that you may read and write this file"),
        ),
        K::NotADirectory => (
            "a part of the path is a file, not a folder".to_string(),
            Some("give a path through folders only"),
        ),
        K::IsADirectory => (
            "this is a folder, not a file".to_string(),
            Some("give the name of a file in it"),
        ),
        K::AlreadyExists => (
            "a file of that name is in the way".to_string(),
            Some("give the name of a folder, or move the file away"),
        ),
        K::StorageFull => (
            "the disk is full".to_string(),
            Some("free some space and run the command again"),
        ),
        K::ReadOnlyFilesystem => (
            "the disk is read-only".to_string(),
            Some("choose a folder you can write to"),
        ),
        _ => (err.to_string(), None),
    }
}

/// Reads a whole file as bytes.
///
/// # Errors
/// [`FsError`] naming the path when the file cannot be opened or read (missing, a directory,
/// no permission).
pub fn read(path: &Path) -> Result<Vec<u8>, FsError> {
    if path.is_dir() {
        return Err(FsError::new(
            "cannot read",
            path,
            std::io::Error::new(
                std::io::ErrorKind::IsADirectory,
                "this is a folder, not a file",
            ),
        ));
    }
    std::fs::read(path).map_err(|e| FsError::new("cannot read", path, e))
}

/// What [`read_at_most`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Capped {
    /// The whole file, no larger than the limit.
    Read(Vec<u8>),
    /// The file is larger than the limit; it was not read.
    TooLarge {
        /// Its size in bytes (at least limit + 1).
        bytes: u64,
    },
}

/// Reads a whole file if it holds at most `max` bytes. The size is looked at before anything is
/// read, and no more than `max + 1` bytes are ever read (a file that grows meanwhile is still
/// refused), so memory stays bounded by `max` whatever the file's size (issue 13: a sparse
/// 2 GB image must not be loaded to find out it is too large).
///
/// # Errors
/// As [`read`].
pub fn read_at_most(path: &Path, max: u64) -> Result<Capped, FsError> {
    use std::io::Read as _;
    let fail = |e| FsError::new("cannot read", path, e);
    if path.is_dir() {
        return read(path).map(Capped::Read);
    }
    let file = std::fs::File::open(path).map_err(fail)?;
    let size = file.metadata().map_err(fail)?.len();
    if size > max {
        return Ok(Capped::TooLarge { bytes: size });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(fail)?;
    let read = bytes.len() as u64;
    if read > max {
        return Ok(Capped::TooLarge { bytes: read });
    }
    Ok(Capped::Read(bytes))
}

/// `n` with a comma between groups of three digits: `10,000,001`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A size above a limit of whole megabytes (10^6 bytes), in words whose two numbers never read
/// as equal: `10,000,001 bytes, more than the 10 MB (10,000,000 bytes)`.
pub fn over_limit(bytes: u64, limit: u64) -> String {
    format!(
        "{} bytes, more than the {} MB ({} bytes)",
        thousands(bytes),
        limit / 1_000_000,
        thousands(limit)
    )
}

/// Writes `contents` to `path` atomically: readers see either the old file or the new one,
/// never a mix, and a failure leaves the old file untouched.
///
/// The parent folder is created if needed. An existing file keeps its permissions.
///
/// # Errors
/// [`FsError`] naming the path when the folder cannot be created or the file cannot be written
/// or renamed into place.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<(), FsError> {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent)
        .map_err(|e| FsError::new("cannot create folder", &parent, e))?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".sopctl-").suffix(".tmp");
    #[cfg(unix)]
    {
        // Like any new file: readable by others unless the umask says otherwise (tempfile's own
        // default, 0600, would hide SOPs from colleagues and web servers).
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder
        .tempfile_in(&parent)
        .map_err(|e| FsError::new("cannot write", path, e))?;
    tmp.write_all(contents)
        .map_err(|e| FsError::new("cannot write", path, e))?;
    if let Ok(meta) = std::fs::metadata(path) {
        // Keep the mode of the file being replaced; a failure here only loses the mode.
        let _ = tmp.as_file().set_permissions(meta.permissions());
    }
    tmp.as_file()
        .sync_all()
        .map_err(|e| FsError::new("cannot write", path, e))?;
    tmp.persist(path)
        .map_err(|e| FsError::new("cannot write", path, e.error))?;
    Ok(())
}

/// Writes `contents` to `path` atomically, unless the file already holds exactly these bytes:
/// then nothing is written and `false` is returned. Keeps a re-run that changes nothing from
/// rewriting (and flushing) every page.
///
/// # Errors
/// As [`write_atomic`].
pub fn write_if_changed(path: &Path, contents: &[u8]) -> Result<bool, FsError> {
    if std::fs::read(path).is_ok_and(|old| old == contents) {
        return Ok(false);
    }
    write_atomic(path, contents)?;
    Ok(true)
}

/// Creates a folder and its parents.
///
/// # Errors
/// [`FsError`] naming the folder.
pub fn create_dir_all(path: &Path) -> Result<(), FsError> {
    std::fs::create_dir_all(path).map_err(|e| FsError::new("cannot create folder", path, e))
}

/// `path` (absolute) with symbolic links resolved in the part that exists, and `.` and `..`
/// worked out by name in the part that does not yet exist: where a folder about to be created
/// will really be.
pub fn resolve_existing_prefix(path: &Path) -> PathBuf {
    let mut existing = path.to_path_buf();
    let mut missing: Vec<PathBuf> = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            let mut out = real;
            for part in missing.iter().rev() {
                match part.as_os_str().to_str() {
                    Some("..") => {
                        out.pop();
                    }
                    Some(".") => {}
                    _ => out.push(part),
                }
                // After a `..`, the path may lead into a folder that exists (and may be a
                // symbolic link): `missing/../link/x` goes where `link` leads (issue-13 trial).
                if let Ok(real) = out.canonicalize() {
                    out = real;
                }
            }
            return out;
        }
        // A last part `..` is kept too, so `dist/../../x` with no `dist` yet is worked out
        // rather than returned as written (where it would seem to lie below the root).
        match (existing.components().next_back(), existing.parent()) {
            (Some(last), Some(parent)) => {
                missing.push(PathBuf::from(last.as_os_str()));
                existing = parent.to_path_buf();
            }
            _ => return path.to_path_buf(),
        }
    }
}

/// `path` made relative to `base` when it lies below it, for display; otherwise `path` itself.
pub fn display_relative(path: &Path, base: &Path) -> PathBuf {
    path.strip_prefix(base)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_content_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let target = dir.path().join("a.md");
        write_atomic(&target, b"one").expect("first write");
        write_atomic(&target, b"two").expect("second write");
        assert_eq!(std::fs::read(&target).expect("read"), b"two");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("a.md")]);
    }

    #[cfg(unix)]
    #[test]
    fn new_files_get_ordinary_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let target = dir.path().join("new.md");
        write_atomic(&target, b"x").expect("write");
        let mode = std::fs::metadata(&target)
            .expect("meta")
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(
            mode & 0o044,
            0o044,
            "group and others may read (mode {mode:o})"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_link_reached_after_a_missing_folder_and_dotdot_is_followed() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().canonicalize().expect("canonical");
        std::fs::create_dir_all(root.join("repo")).expect("repo");
        std::fs::create_dir_all(root.join("elsewhere")).expect("elsewhere");
        std::os::unix::fs::symlink(root.join("elsewhere"), root.join("repo/lnk")).expect("link");
        assert_eq!(
            resolve_existing_prefix(&root.join("repo/newdir/../lnk/x")),
            root.join("elsewhere/x")
        );
    }

    #[test]
    fn parent_steps_in_the_missing_part_are_worked_out() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().canonicalize().expect("canonical");
        assert_eq!(
            resolve_existing_prefix(&root.join("repo/dist/../../x")),
            root.join("x")
        );
        assert_eq!(
            resolve_existing_prefix(&root.join("dist/../sops")),
            root.join("sops")
        );
    }

    #[test]
    fn sizes_over_a_limit_never_read_as_equal_to_it() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(2_147_483_648), "2,147,483,648");
        assert_eq!(
            over_limit(10_000_001, 10_000_000),
            "10,000,001 bytes, more than the 10 MB (10,000,000 bytes)"
        );
    }

    #[test]
    fn a_file_over_the_limit_is_not_read() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("big.bin");
        let file = std::fs::File::create(&path).expect("create");
        // Sparse: two gigabytes on paper, nothing on disk.
        file.set_len(2 << 30).expect("set_len");
        assert_eq!(
            read_at_most(&path, 20).expect("size"),
            Capped::TooLarge { bytes: 2 << 30 }
        );
        std::fs::write(&path, b"twenty bytes exactly").expect("write");
        assert_eq!(
            read_at_most(&path, 20).expect("read"),
            Capped::Read(b"twenty bytes exactly".to_vec())
        );
        assert_eq!(
            read_at_most(&path, 19).expect("size"),
            Capped::TooLarge { bytes: 20 }
        );
    }

    #[test]
    fn reading_a_folder_names_it() {
        let dir = tempfile::tempdir().expect("temp dir");
        let err = read(dir.path()).expect_err("a folder is not a file");
        assert!(err.to_string().contains("this is a folder"), "{err}");
    }
}
