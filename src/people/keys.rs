//! Public keys of the signers registry: read from the registry's text, from a `.pub` file given
//! to `sopctl people add --key`, and from git's `user.signingKey`, and compared by their SHA-256
//! fingerprint (`SHA256:` and 43 characters of base64, as `ssh-keygen -l` prints it).
//!
//! Only OpenSSH public keys are registered (`ssh-ed25519 AAAA… comment`, also `ecdsa-sha2-…`,
//! `ssh-rsa`, and the `sk-…` security-key forms), parsed with the `ssh-key` crate. A private key
//! given by mistake is recognised and refused without its contents ever being shown or kept.

use std::path::{Path, PathBuf};

use crate::doc::Location;
use crate::fsx::FsError;

/// A public key: its OpenSSH line as written and its fingerprint.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Key {
    /// The key in OpenSSH form, one line: `ssh-ed25519 AAAA… comment`.
    pub openssh: String,
    /// The SHA-256 fingerprint, `SHA256:…`, as `ssh-keygen -l` prints it.
    pub fingerprint: String,
}

/// Why a text is not a public key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// The text is a private key (PEM `… PRIVATE KEY-----` or a PuTTY key file).
    #[error("this is a private key, which must stay secret")]
    Private,
    /// Nothing is written.
    #[error("the key is empty")]
    Empty,
    /// Not an OpenSSH public key; `reason` is what did not fit, in plain words.
    #[error("this is not an OpenSSH public key ({reason})")]
    NotAKey {
        /// What did not fit.
        reason: String,
    },
}

/// Why a key file given on the command line cannot be registered.
#[derive(Debug, thiserror::Error)]
pub enum KeyFileError {
    /// The file cannot be read.
    #[error(transparent)]
    Io(#[from] FsError),
    /// The file holds a private key.
    #[error("{} is a private key, which must stay secret and never goes into the registry", path.display())]
    Private {
        /// The file, as given.
        path: PathBuf,
    },
    /// The file holds something other than one public key.
    #[error("{}:{}:{}: {error}", path.display(), location.line, location.column)]
    NotAKey {
        /// The file, as given.
        path: PathBuf,
        /// Where the problem is.
        location: Location,
        /// What is wrong.
        error: KeyError,
    },
    /// The file holds more than one key.
    #[error("{} holds {count} keys; give one key per --key", path.display())]
    SeveralKeys {
        /// The file, as given.
        path: PathBuf,
        /// How many key lines it holds.
        count: usize,
    },
}

/// Whether `text` looks like a private key: PEM armour of any private key, or a PuTTY key file.
pub fn is_private(text: &str) -> bool {
    text.contains("PRIVATE KEY-----") || text.trim_start().starts_with("PuTTY-User-Key-File")
}

/// Parses one OpenSSH public-key line.
///
/// # Errors
/// [`KeyError::Private`] for a private key, [`KeyError::Empty`], [`KeyError::NotAKey`].
pub fn parse(text: &str) -> Result<Key, KeyError> {
    if is_private(text) {
        return Err(KeyError::Private);
    }
    let line = text.trim();
    if line.is_empty() {
        return Err(KeyError::Empty);
    }
    if line.contains(['\n', '\r']) {
        return Err(KeyError::NotAKey {
            reason: "a key is one line".into(),
        });
    }
    let key = ssh_key::PublicKey::from_openssh(line).map_err(|e| KeyError::NotAKey {
        reason: plain_reason(line, &e),
    })?;
    Ok(Key {
        openssh: line.to_string(),
        fingerprint: key.fingerprint(ssh_key::HashAlg::Sha256).to_string(),
    })
}

/// What the `ssh-key` crate's error means for a person holding the text.
fn plain_reason(line: &str, error: &ssh_key::Error) -> String {
    let first = line.split_whitespace().next().unwrap_or("");
    let typed = ["ssh-", "ecdsa-", "sk-"]
        .iter()
        .any(|p| first.starts_with(p));
    if !typed {
        return format!(
            "it starts with `{}` where a key type such as ssh-ed25519 belongs",
            first.chars().take(20).collect::<String>()
        );
    }
    match error {
        ssh_key::Error::AlgorithmUnknown | ssh_key::Error::AlgorithmUnsupported { .. } => {
            format!("the key type `{first}` is not one sopctl reads, or does not match the key")
        }
        _ => "the key's letters after the type are damaged or cut off".to_string(),
    }
}

/// Reads the public key in `path` (shown as `shown`): one key line, comment lines (`#`) and
/// blank lines aside.
///
/// # Errors
/// [`KeyFileError`]: unreadable, a private key, not a key (located), several keys.
pub fn read_file(path: &Path, shown: &Path) -> Result<Key, KeyFileError> {
    let bytes = crate::fsx::read(path)?;
    let text = String::from_utf8_lossy(&bytes);
    if is_private(&text) {
        return Err(KeyFileError::Private {
            path: shown.to_path_buf(),
        });
    }
    let lines: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .collect();
    let not_a_key = |line: usize, error: KeyError| KeyFileError::NotAKey {
        path: shown.to_path_buf(),
        location: Location { line, column: 1 },
        error,
    };
    match lines.as_slice() {
        [] => Err(not_a_key(1, KeyError::Empty)),
        [(number, line)] => parse(line).map_err(|e| not_a_key(number + 1, e)),
        more => Err(KeyFileError::SeveralKeys {
            path: shown.to_path_buf(),
            count: more.len(),
        }),
    }
}

/// Why git's signing key cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("git's signing key {setting} (user.signingKey) cannot be read: {reason}")]
pub struct SigningKeyError {
    /// `user.signingKey` as set.
    pub setting: String,
    /// Why, in plain words.
    pub reason: String,
}

/// The public key of git's SSH signing key, from `user.signingKey` as git reads it
/// (git-config(1)): a literal key (`key::ssh-ed25519 AAAA…`, or `ssh-…` itself), or the path of
/// a key file (`~/` expanded), public or private; for a private key file, its `.pub` beside it,
/// else the public half the OpenSSH private-key file carries (readable without the passphrase).
///
/// # Errors
/// [`SigningKeyError`] when the file is missing or is no key.
pub fn signing_key(setting: &str) -> Result<Key, SigningKeyError> {
    let failed = |reason: String| SigningKeyError {
        setting: setting.to_string(),
        reason,
    };
    let literal = setting
        .strip_prefix("key::")
        .or_else(|| setting.starts_with("ssh-").then_some(setting));
    if let Some(line) = literal {
        return parse(line).map_err(|e| failed(e.to_string()));
    }
    let path = home_expanded(setting);
    let text =
        std::fs::read_to_string(&path).map_err(|e| failed(crate::fsx::plain_reason(&e).0))?;
    if !is_private(&text) {
        return parse(&text).map_err(|e| failed(e.to_string()));
    }
    let mut public = path.into_os_string();
    public.push(".pub");
    if let Ok(text) = std::fs::read_to_string(PathBuf::from(public))
        && let Ok(key) = parse(&text)
    {
        return Ok(key);
    }
    let private = ssh_key::PrivateKey::from_openssh(text.as_bytes())
        .map_err(|_| failed("it is a private key sopctl cannot read the public half of".into()))?;
    let line = private
        .public_key()
        .to_openssh()
        .map_err(|_| failed("its public half cannot be written out".into()))?;
    parse(&line).map_err(|e| failed(e.to_string()))
}

/// `~/…` as the shell expands it; git does so for `user.signingKey`.
fn home_expanded(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => PathBuf::from(path),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Made with `ssh-keygen -t ed25519 -C dana@laptop`; fingerprint from `ssh-keygen -l`.
    const DANA: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINNB4p82+dmnnMcktYKadeOdNAZ/49DBhNewI39Ol2tQ dana@laptop";

    #[test]
    fn a_public_key_gives_its_fingerprint() {
        let key = parse(&format!("  {DANA}\n")).expect("key");
        assert_eq!(key.openssh, DANA);
        assert_eq!(
            key.fingerprint,
            "SHA256:RtgS5MHawoaRvSY7B5utzVQraqHLDNWDV3as7p/F3pc"
        );
    }

    #[test]
    fn what_is_not_a_public_key_says_why() {
        assert_eq!(parse(""), Err(KeyError::Empty));
        assert_eq!(
            parse("-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn…\n"),
            Err(KeyError::Private)
        );
        assert_eq!(
            parse("hello world").map_err(|e| e.to_string()),
            Err("this is not an OpenSSH public key (it starts with `hello` where a key type such as ssh-ed25519 belongs)".to_string())
        );
        assert_eq!(
            parse("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINNB4p82+dmnn").map_err(|e| e.to_string()),
            Err("this is not an OpenSSH public key (the key's letters after the type are damaged or cut off)".to_string())
        );
    }

    #[test]
    fn the_signing_key_may_be_a_literal() {
        let key = signing_key(&format!("key::{DANA}")).expect("literal");
        assert_eq!(key, parse(DANA).expect("key"));
        let err = signing_key("/nonexistent/key").expect_err("missing");
        assert_eq!(err.setting, "/nonexistent/key");
    }
}
