//! Signing commits and tags the way git signs them (issue 15): by calling the programs git
//! calls, configured as git configures them, so that `git verify-commit` and `git verify-tag`
//! accept what sopctl writes.
//!
//! Settings read (git-config(1)): `commit.gpgSign`, `tag.gpgSign`, `gpg.format` (`openpgp`,
//! `ssh`, `x509`), `user.signingKey`, `gpg.program` (or `gpg.openpgp.program`),
//! `gpg.ssh.program`, `gpg.x509.program`. The programs are invoked as git's
//! `gpg-interface.c` does: `gpg --status-fd=2 -bsau KEY` with the payload on standard input for
//! OpenPGP and X.509 (`gpgsm`), `ssh-keygen -Y sign -n git -f KEYFILE FILE` for SSH.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::{Repo, RepoError};

/// Whether to sign, from `--sign` / `--no-sign` or git's configuration.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SignWhen {
    /// As git's configuration says (`commit.gpgSign`, `tag.gpgSign`).
    #[default]
    Config,
    /// Always (`--sign`).
    Always,
    /// Never (`--no-sign`).
    Never,
}

/// What is signed: the setting that asks for it differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signed {
    /// A commit (`commit.gpgSign`).
    Commit,
    /// A tag (`tag.gpgSign`).
    Tag,
}

/// The signature format (`gpg.format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// OpenPGP through `gpg`.
    OpenPgp,
    /// SSH signatures (SSHSIG) through `ssh-keygen`.
    Ssh,
    /// X.509 through `gpgsm`.
    X509,
}

/// A configured way to sign.
#[derive(Debug, Clone)]
pub struct Signer {
    /// The format.
    pub format: Format,
    /// The program to run.
    pub program: String,
    /// `user.signingKey`, or for OpenPGP and X.509 the committer's `Name <email>` when unset.
    pub key: String,
}

impl Repo {
    /// How to sign `what`, or `None` when it is not to be signed.
    ///
    /// # Errors
    /// [`RepoError::Signing`] for an unknown `gpg.format` or an SSH format without
    /// `user.signingKey`.
    pub fn signer(
        &self,
        what: Signed,
        when: SignWhen,
        committer: &super::Identity,
    ) -> Result<Option<Signer>, RepoError> {
        let config = self
            .inner
            .config()
            .map_err(|e| RepoError::git("read git's settings", &e))?;
        let setting = match what {
            Signed::Commit => "commit.gpgSign",
            Signed::Tag => "tag.gpgSign",
        };
        let wanted = match when {
            SignWhen::Always => true,
            SignWhen::Never => false,
            SignWhen::Config => config.get_bool(setting).unwrap_or(false),
        };
        if !wanted {
            return Ok(None);
        }
        let text = |key: &str| config.get_string(key).ok().filter(|v| !v.trim().is_empty());
        let format = match text("gpg.format").as_deref().map(str::to_ascii_lowercase) {
            None => Format::OpenPgp,
            Some(f) if f == "openpgp" => Format::OpenPgp,
            Some(f) if f == "ssh" => Format::Ssh,
            Some(f) if f == "x509" => Format::X509,
            Some(other) => {
                return Err(RepoError::Signing {
                    message: format!(
                        "git's setting gpg.format is `{other}`, which git does not know"
                    ),
                    hint: "set it to openpgp, ssh or x509:  git config gpg.format ssh".into(),
                });
            }
        };
        let program = match format {
            Format::OpenPgp => text("gpg.openpgp.program")
                .or_else(|| text("gpg.program"))
                .unwrap_or_else(|| "gpg".into()),
            Format::Ssh => text("gpg.ssh.program").unwrap_or_else(|| "ssh-keygen".into()),
            Format::X509 => text("gpg.x509.program").unwrap_or_else(|| "gpgsm".into()),
        };
        let key = match (text("user.signingKey"), format) {
            (Some(key), _) => key,
            (None, Format::Ssh) => {
                return Err(RepoError::Signing {
                    message: "signing is asked for with SSH keys, but no key is set".into(),
                    hint: "name your key:  git config user.signingKey ~/.ssh/id_ed25519.pub".into(),
                });
            }
            (None, _) => format!("{} <{}>", committer.name, committer.email),
        };
        Ok(Some(Signer {
            format,
            program,
            key,
        }))
    }
}

impl Signer {
    /// The detached, armored signature of `payload`.
    ///
    /// # Errors
    /// [`RepoError::Signing`] when the program is missing or fails (no key, a locked agent),
    /// with its own words and what to do.
    pub fn sign(&self, payload: &[u8], scratch: &Path) -> Result<String, RepoError> {
        match self.format {
            Format::Ssh => self.sign_ssh(payload, scratch),
            Format::OpenPgp | Format::X509 => self.sign_gpg(payload),
        }
    }

    fn failed(&self, words: &str) -> RepoError {
        let words = words.trim();
        RepoError::Signing {
            message: format!(
                "{} could not sign{}",
                self.program,
                if words.is_empty() {
                    String::new()
                } else {
                    format!(": {words}")
                }
            ),
            hint: match self.format {
                Format::Ssh => format!(
                    "check that the key {} exists and, if it has a passphrase, that ssh-agent holds it (ssh-add); or run the command with --no-sign",
                    self.key
                ),
                _ => format!(
                    "check that {} has the secret key {} and that gpg-agent can ask for its passphrase; or run the command with --no-sign",
                    self.program, self.key
                ),
            },
        }
    }

    fn sign_gpg(&self, payload: &[u8]) -> Result<String, RepoError> {
        let mut child = Command::new(&self.program)
            .args(["--status-fd=2", "-bsau", &self.key])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| self.failed(&crate::fsx::plain_reason(&e).0))?;
        if let Some(mut stdin) = child.stdin.take() {
            stdin
                .write_all(payload)
                .map_err(|e| self.failed(&e.to_string()))?;
        }
        let out = child
            .wait_with_output()
            .map_err(|e| self.failed(&e.to_string()))?;
        let status = String::from_utf8_lossy(&out.stderr);
        if !out.status.success() || !status.contains("[GNUPG:] SIG_CREATED ") {
            let words: Vec<&str> = status
                .lines()
                .filter(|l| !l.starts_with("[GNUPG:]"))
                .collect();
            return Err(self.failed(&words.join("; ")));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    fn sign_ssh(&self, payload: &[u8], scratch: &Path) -> Result<String, RepoError> {
        std::fs::create_dir_all(scratch).map_err(|e| RepoError::io(scratch, &e))?;
        let file = tempfile::Builder::new()
            .prefix("sign-")
            .tempfile_in(scratch)
            .map_err(|e| RepoError::io(scratch, &e))?;
        std::fs::write(file.path(), payload).map_err(|e| RepoError::io(file.path(), &e))?;
        // A literal key (`key::ssh-ed25519 AAAA…` or `ssh-…`) is written to a file and signed
        // with through the agent (`-U`), as git does.
        let literal = self
            .key
            .strip_prefix("key::")
            .or_else(|| self.key.starts_with("ssh-").then_some(self.key.as_str()));
        let key_file = tempfile::Builder::new()
            .prefix("key-")
            .tempfile_in(scratch)
            .map_err(|e| RepoError::io(scratch, &e))?;
        let (key_path, agent): (PathBuf, bool) = match literal {
            Some(key) => {
                std::fs::write(key_file.path(), format!("{key}\n"))
                    .map_err(|e| RepoError::io(key_file.path(), &e))?;
                (key_file.path().to_path_buf(), true)
            }
            None => (expand_home(&self.key), false),
        };
        let mut command = Command::new(&self.program);
        command
            .args(["-Y", "sign", "-n", "git", "-f"])
            .arg(&key_path);
        if agent {
            command.arg("-U");
        }
        let out = command
            .arg(file.path())
            .stdin(Stdio::null())
            .output()
            .map_err(|e| self.failed(&crate::fsx::plain_reason(&e).0))?;
        let mut sig = file.path().as_os_str().to_owned();
        sig.push(".sig");
        let sig = PathBuf::from(sig);
        let signature = std::fs::read_to_string(&sig);
        let _ = std::fs::remove_file(&sig);
        match signature {
            Ok(text) if out.status.success() => Ok(text),
            _ => Err(self.failed(&String::from_utf8_lossy(&out.stderr))),
        }
    }
}

/// `~/…` as the shell would expand it (git does for `user.signingKey`).
fn expand_home(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => PathBuf::from(path),
    }
}
