//! Git LFS: files whose blob in git is a pointer, the content kept in
//! `<common git dir>/lfs/objects/<oid[0..2]>/<oid[2..4]>/<oid>` (`cases/` B40).
//!
//! The pointer format is the Git LFS specification's (`docs/spec.md` in git-lfs): UTF-8 text
//! under 1024 bytes, `version https://git-lfs.github.com/spec/v1` first, then sorted `key value`
//! lines holding at least `oid sha256:<64 hex>` and `size <bytes>`.

use std::path::PathBuf;

use super::Repo;

/// The largest pointer file the specification allows.
const MAX_POINTER: usize = 1024;

/// An LFS pointer read from a blob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pointer {
    /// The SHA-256 of the content, 64 lowercase hex digits.
    pub oid: String,
    /// The content's size in bytes.
    pub size: u64,
}

impl Pointer {
    /// The pointer `bytes` hold, if they are one.
    pub fn parse(bytes: &[u8]) -> Option<Pointer> {
        if bytes.len() >= MAX_POINTER {
            return None;
        }
        let text = std::str::from_utf8(bytes).ok()?;
        let mut lines = text.lines();
        if !lines
            .next()?
            .starts_with("version https://git-lfs.github.com/spec/")
        {
            return None;
        }
        let (mut oid, mut size) = (None, None);
        for line in lines {
            match line.split_once(' ') {
                Some(("oid", value)) => oid = value.strip_prefix("sha256:"),
                Some(("size", value)) => size = value.parse().ok(),
                _ => {}
            }
        }
        let oid = oid?;
        (oid.len() == 64 && oid.bytes().all(|b| b.is_ascii_hexdigit())).then(|| Pointer {
            oid: oid.to_ascii_lowercase(),
            size: size.unwrap_or(0),
        })
    }
}

/// What a file of a commit holds once LFS is taken into account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// The file's bytes (from git, or from the LFS store for a pointer).
    Bytes(Vec<u8>),
    /// The file (or its LFS object) holds more bytes than asked for: its size, not read.
    TooLarge(u64),
    /// The blob is an LFS pointer whose object is not in the local LFS store (`git lfs pull`
    /// brings it).
    LfsMissing(Pointer),
}

impl Repo {
    /// Where the LFS object of `pointer` lives (whether or not it is there).
    pub fn lfs_object_path(&self, pointer: &Pointer) -> PathBuf {
        let (a, b) = (
            pointer.oid.get(0..2).unwrap_or("00"),
            pointer.oid.get(2..4).unwrap_or("00"),
        );
        self.common_dir()
            .join("lfs/objects")
            .join(a)
            .join(b)
            .join(&pointer.oid)
    }

    /// The file at `path` in commit `commit`, with an LFS pointer replaced by its object from
    /// the local LFS store, read only when it holds at most `max` bytes (its size is taken from
    /// git's object header or the LFS object's metadata first); `None` when the commit or the
    /// file does not exist.
    pub fn content_at_commit(
        &self,
        commit: &str,
        path: &std::path::Path,
        max: u64,
    ) -> Option<Content> {
        let oid = git2::Oid::from_str(commit).ok()?;
        let tree = self.inner.find_commit(oid).ok()?.tree().ok()?;
        let id = tree.get_path(path).ok()?.id();
        let (size, _) = self.inner.odb().ok()?.read_header(id).ok()?;
        let size = u64::try_from(size).unwrap_or(u64::MAX);
        // A pointer is small: anything larger is the file itself.
        if size >= MAX_POINTER as u64 && size > max {
            return Some(Content::TooLarge(size));
        }
        let bytes = self.inner.find_blob(id).ok()?.content().to_vec();
        let Some(pointer) = Pointer::parse(&bytes) else {
            if size > max {
                return Some(Content::TooLarge(size));
            }
            return Some(Content::Bytes(bytes));
        };
        let object = self.lfs_object_path(&pointer);
        match std::fs::metadata(&object) {
            Ok(meta) if meta.len() > max => Some(Content::TooLarge(meta.len())),
            Ok(_) => match std::fs::read(&object) {
                Ok(bytes) => Some(Content::Bytes(bytes)),
                Err(_) => Some(Content::LfsMissing(pointer)),
            },
            Err(_) => Some(Content::LfsMissing(pointer)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pointer_is_read_and_other_files_are_not_pointers() {
        let text = "version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n";
        assert_eq!(
            Pointer::parse(text.as_bytes()),
            Some(Pointer {
                oid: "4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393".into(),
                size: 12345
            })
        );
        assert_eq!(Pointer::parse(b"\x89PNG\r\n\x1a\n"), None);
        assert_eq!(
            Pointer::parse(b"version https://git-lfs.github.com/spec/v1\noid sha256:abc\n"),
            None
        );
    }
}
