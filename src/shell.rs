//! Commands shown in hints and messages, written so that pasting them into a POSIX shell runs
//! exactly the command shown and nothing else.
//!
//! Hints quote text that comes from documents, settings, git or the command line (IDs, roles,
//! paths, tag names, versions): a role written as `QA $(touch pwned)` in an SOP's front matter
//! appears as `--role 'QA $(touch pwned)'`, which a shell passes on as one word instead of running
//! `touch`. The quoting is [`shlex`]'s (POSIX shell rules, also safe in bash, zsh and fish): a
//! word that needs no quoting (`SOP-001`, `sops/a.md`, `1.0`) is shown as it is, anything else
//! in single quotes (double quotes when it holds a `'`).
//!
//! Fixed example text in a hint (`-m "What changed and why"`) is not quoted here: it is the
//! wording's own, not the user's.

use std::borrow::Cow;
use std::path::Path;

/// `word` as one argument for a POSIX shell: unchanged when it needs no quoting (`SOP-001`,
/// `QA`, `sops/a.md`), else quoted (`'QA Manager'`, `'QA $(touch pwned)'`, `"Dana's role"`).
///
/// A NUL character, which no shell argument can hold, is left out.
pub fn quote(word: &str) -> Cow<'_, str> {
    match shlex::try_quote(word) {
        Ok(quoted) => quoted,
        Err(_) => {
            let cleaned = word.replace('\0', "");
            Cow::Owned(
                shlex::try_quote(&cleaned).map_or_else(|_| "''".to_string(), Cow::into_owned),
            )
        }
    }
}

/// A path as one argument for a POSIX shell, as [`quote`] does (a name that is not UTF-8 is
/// shown with replacement characters, as everywhere in sopctl's messages).
pub fn quote_path(path: &Path) -> String {
    quote(&path.to_string_lossy()).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_words_stay_as_they_are() {
        for word in [
            "SOP-001",
            "QA",
            "sops/a.md",
            "SOP-1/v1.0.0",
            "1.0",
            "/tmp/site",
        ] {
            assert_eq!(quote(word), word);
        }
    }

    #[test]
    fn words_a_shell_would_read_otherwise_are_quoted() {
        assert_eq!(quote("QA Manager"), "'QA Manager'");
        assert_eq!(quote("QA $(touch pwned)"), "'QA $(touch pwned)'");
        assert_eq!(quote("a`id`"), "'a`id`'");
        assert_eq!(quote("x; rm -rf ~"), "'x; rm -rf ~'");
        assert_eq!(quote("Dana's role"), "\"Dana's role\"");
        assert_eq!(quote(""), "''");
        assert_eq!(quote("a\0b"), "ab");
        assert_eq!(quote_path(Path::new("my sops/a.md")), "'my sops/a.md'");
    }
}
