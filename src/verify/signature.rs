//! Signatures checked as `git verify-tag` and `git verify-commit` check them (issue 15 items 5
//! and 7), but in process for SSH: one [`Verifier`] reads git's allowed-signers file once and
//! checks every SSHSIG (OpenSSH `PROTOCOL.sshsig`, namespace `git`) with the `ssh-key` crate,
//! instead of running `ssh-keygen -Y verify` once per record. OpenPGP and X.509 signatures are
//! checked by the program git would call (`gpg`, `gpgsm`, with `--status-fd`), one run each,
//! only when a repository uses them.
//!
//! Who may sign is decided in one place, [`signer_problem`]: today the keys of
//! `gpg.ssh.allowedSignersFile` (ssh-keygen(1), ALLOWED SIGNERS); the signers registry of
//! issue 15 item 2 takes its place there.

use std::io::Write;
use std::process::{Command, Stdio};

use ssh_key::{HashAlg, PublicKey, SshSig};

use crate::repo::inspect::{StoredSignature, VerifySettings};

/// The SSHSIG namespace git signs in (`ssh-keygen -Y sign -n git`).
const NAMESPACE: &str = "git";

/// The kind of signature, from the line that opens it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// SSH (`-----BEGIN SSH SIGNATURE-----`).
    Ssh,
    /// OpenPGP (`-----BEGIN PGP SIGNATURE-----`).
    Openpgp,
    /// X.509 (`-----BEGIN SIGNED MESSAGE-----`).
    X509,
}

impl Format {
    fn of(armor: &str) -> Format {
        if armor.starts_with("-----BEGIN SSH SIGNATURE-----") {
            Format::Ssh
        } else if armor.starts_with("-----BEGIN SIGNED MESSAGE-----") {
            Format::X509
        } else {
            Format::Openpgp
        }
    }

    /// How the key is named in messages.
    pub fn key_words(self) -> &'static str {
        match self {
            Format::Ssh => "SSH key",
            Format::Openpgp => "OpenPGP key",
            Format::X509 => "X.509 certificate",
        }
    }
}

/// What a record's signature is worth.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The record carries no signature.
    Unsigned,
    /// Intact, made by a key the trust list names.
    Good {
        /// The format.
        format: Format,
        /// The key's fingerprint (`SHA256:…` for SSH, the hex fingerprint for OpenPGP).
        key: String,
        /// Whom the trust list names for the key: the principals (e-mails or patterns) of the
        /// allowed-signers file, or the OpenPGP user ID.
        signers: Vec<String>,
    },
    /// Intact, but nothing says whose key it is: git has no allowed-signers file.
    KeyNotChecked {
        /// The format.
        format: Format,
        /// The key's fingerprint.
        key: String,
    },
    /// Intact, made by a key the trust list does not name (or not for git, or not at the
    /// time the record was made).
    UnknownKey {
        /// The format.
        format: Format,
        /// The key's fingerprint.
        key: String,
    },
    /// The signature does not match the record: it was changed after it was signed, or the
    /// signature is damaged, expired or revoked.
    Bad {
        /// The format.
        format: Format,
        /// The key's fingerprint, when it can be read.
        key: Option<String>,
        /// What is wrong, in plain words.
        reason: String,
    },
    /// The signature could not be checked (the program is missing, the trust list unreadable).
    NotChecked {
        /// The format.
        format: Format,
        /// Why, in plain words.
        reason: String,
    },
}

impl Verdict {
    /// A stable one-word state for `--json`: `unsigned`, `good`, `key-not-checked`,
    /// `unknown-key`, `bad`, `not-checked`.
    pub fn state(&self) -> &'static str {
        match self {
            Verdict::Unsigned => "unsigned",
            Verdict::Good { .. } => "good",
            Verdict::KeyNotChecked { .. } => "key-not-checked",
            Verdict::UnknownKey { .. } => "unknown-key",
            Verdict::Bad { .. } => "bad",
            Verdict::NotChecked { .. } => "not-checked",
        }
    }

    /// The format, for a signed record.
    pub fn format(&self) -> Option<Format> {
        match self {
            Verdict::Unsigned => None,
            Verdict::Good { format, .. }
            | Verdict::KeyNotChecked { format, .. }
            | Verdict::UnknownKey { format, .. }
            | Verdict::Bad { format, .. }
            | Verdict::NotChecked { format, .. } => Some(*format),
        }
    }

    /// The key's fingerprint, when known.
    pub fn key(&self) -> Option<&str> {
        match self {
            Verdict::Good { key, .. }
            | Verdict::KeyNotChecked { key, .. }
            | Verdict::UnknownKey { key, .. } => Some(key),
            Verdict::Bad { key, .. } => key.as_deref(),
            Verdict::Unsigned | Verdict::NotChecked { .. } => None,
        }
    }
}

impl std::fmt::Display for Verdict {
    /// In words: `signed by owner@example.org (SSH key SHA256:…)`, `unsigned`, …
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Verdict::Unsigned => write!(f, "unsigned"),
            Verdict::Good {
                format,
                key,
                signers,
            } => write!(
                f,
                "signed by {} ({} {key})",
                signers.join(", "),
                format.key_words()
            ),
            Verdict::KeyNotChecked { format, key } => write!(
                f,
                "signed with {} {key} (whose key it is is not checked: git has no allowed signers file)",
                format.key_words()
            ),
            Verdict::UnknownKey { format, key } => write!(
                f,
                "signed with {} {key}, which git's allowed signers do not list",
                format.key_words()
            ),
            Verdict::Bad { reason, .. } => write!(f, "signature broken: {reason}"),
            Verdict::NotChecked { reason, .. } => write!(f, "signature not checked: {reason}"),
        }
    }
}

/// Whether the signer of a record may sign it, as a problem in plain words (`None`: nothing
/// wrong). `email` is whom the record says signed it (an approver's `Approval-Email`), `role`
/// the role it was signed in. The one place that decides: today a signature that is broken, by
/// a key git's allowed signers do not list, or by a key they list for someone else; the signers
/// registry (`signatures = "required"`, issue 15 item 2) adds its rules here.
pub fn signer_problem(
    verdict: &Verdict,
    email: Option<&str>,
    role: Option<&str>,
) -> Option<String> {
    let _ = role;
    match verdict {
        Verdict::Unsigned | Verdict::KeyNotChecked { .. } => None,
        Verdict::Bad { reason, .. } => Some(format!("its signature is broken: {reason}")),
        Verdict::NotChecked { reason, .. } => {
            Some(format!("its signature could not be checked: {reason}"))
        }
        Verdict::UnknownKey { format, key } => Some(format!(
            "it is signed with {} {key}, which git's allowed signers (gpg.ssh.allowedSignersFile) do not list",
            format.key_words()
        )),
        Verdict::Good {
            format,
            key,
            signers,
        } => match email {
            Some(email)
                if !email.is_empty() && !signers.iter().any(|p| principal_matches(p, email)) =>
            {
                Some(format!(
                    "it names {email}, but it is signed with the {} of {} ({key})",
                    format.key_words(),
                    signers.join(", ")
                ))
            }
            _ => None,
        },
    }
}

/// One line of an allowed-signers file.
#[derive(Debug, Clone)]
struct Allowed {
    principals: String,
    key: ssh_key::public::KeyData,
    namespaces: Option<String>,
    valid_after: Option<i64>,
    valid_before: Option<i64>,
}

/// An allowed-signers file (ssh-keygen(1), ALLOWED SIGNERS): `principals [options] key`.
/// Certificate authorities (`cert-authority`) are not read; lines that cannot be read are
/// skipped, as `ssh-keygen` skips them.
#[derive(Debug, Clone, Default)]
pub struct AllowedSigners {
    entries: Vec<Allowed>,
}

/// Splits `text` at the characters `at` says separate, outside double quotes, dropping empty
/// pieces when `drop_empty` (blanks between fields) and keeping them otherwise (options).
fn split_unquoted(text: &str, at: impl Fn(char) -> bool, drop_empty: bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in text.chars() {
        if c == '"' {
            quoted = !quoted;
        }
        if at(c) && !quoted {
            out.push(std::mem::take(&mut current));
        } else {
            current.push(c);
        }
    }
    out.push(current);
    if drop_empty {
        out.retain(|f| !f.is_empty());
    }
    out
}

/// A line's fields, split at blanks outside double quotes.
fn fields(line: &str) -> Vec<String> {
    split_unquoted(line, |c| c == ' ' || c == '\t', true)
}

/// A time of an allowed-signers option, `YYYYMMDD[HHMM[SS]][Z]`, as seconds since the epoch
/// (UTC with `Z`, else the computer's time zone).
fn option_time(value: &str) -> Option<i64> {
    let value = value.trim_matches('"');
    let (digits, utc) = match value.strip_suffix(['Z', 'z']) {
        Some(d) => (d, true),
        None => (value, false),
    };
    let padded = format!("{digits:0<14}");
    let dt = jiff::civil::DateTime::strptime("%Y%m%d%H%M%S", padded.get(..14)?).ok()?;
    let tz = if utc {
        jiff::tz::TimeZone::UTC
    } else {
        jiff::tz::TimeZone::system()
    };
    Some(dt.to_zoned_datetime(tz).ok()?.timestamp().as_second())
}

impl AllowedSigners {
    /// Reads the text of an allowed-signers file.
    pub fn parse(text: &str) -> AllowedSigners {
        let mut entries = Vec::new();
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let f = fields(line);
            let Some(principals) = f.first() else {
                continue;
            };
            let is_key_type =
                |s: &str| s.starts_with("ssh-") || s.starts_with("ecdsa-") || s.starts_with("sk-");
            let (options, rest) = match f.get(1) {
                Some(t) if is_key_type(t) => (None, f.get(1..).unwrap_or_default()),
                Some(o) => (Some(o.as_str()), f.get(2..).unwrap_or_default()),
                None => continue,
            };
            let (Some(kind), Some(data)) = (rest.first(), rest.get(1)) else {
                continue;
            };
            let Ok(key) = PublicKey::from_openssh(&format!("{kind} {data}")) else {
                continue;
            };
            let mut entry = Allowed {
                principals: principals.trim_matches('"').to_string(),
                key: key.key_data().clone(),
                namespaces: None,
                valid_after: None,
                valid_before: None,
            };
            let mut certificate = false;
            for option in options.map(split_options).unwrap_or_default() {
                let (name, value) = option.split_once('=').unwrap_or((option.as_str(), ""));
                match name.to_ascii_lowercase().as_str() {
                    "cert-authority" => certificate = true,
                    "namespaces" => entry.namespaces = Some(value.trim_matches('"').to_string()),
                    "valid-after" => entry.valid_after = option_time(value),
                    "valid-before" => entry.valid_before = option_time(value),
                    _ => {}
                }
            }
            if !certificate {
                entries.push(entry);
            }
        }
        AllowedSigners { entries }
    }

    /// The principals allowed to sign for git with `key` at `time` (seconds since the epoch).
    fn principals(&self, key: &ssh_key::public::KeyData, time: i64) -> Vec<String> {
        self.entries
            .iter()
            .filter(|e| &e.key == key)
            .filter(|e| {
                e.namespaces
                    .as_deref()
                    .is_none_or(|n| pattern_list_matches(n, NAMESPACE))
            })
            .filter(|e| e.valid_after.is_none_or(|t| time >= t))
            .filter(|e| e.valid_before.is_none_or(|t| time <= t))
            .map(|e| e.principals.clone())
            .collect()
    }
}

/// Options split at commas outside double quotes.
fn split_options(options: &str) -> Vec<String> {
    split_unquoted(options, |c| c == ',', false)
}

/// A shell-style pattern with `*` and `?` (OpenSSH's `match_pattern`), case-sensitive.
fn glob(pattern: &[char], text: &[char]) -> bool {
    match pattern.split_first() {
        None => text.is_empty(),
        Some(('*', rest)) => {
            (0..=text.len()).any(|i| glob(rest, text.get(i..).unwrap_or_default()))
        }
        Some((p, rest)) => match text.split_first() {
            Some((t, more)) if *p == '?' || p == t => glob(rest, more),
            _ => false,
        },
    }
}

/// OpenSSH's `match_pattern_list`: comma-separated patterns, `!` negates (a negated match
/// wins).
fn pattern_list_matches(list: &str, text: &str) -> bool {
    let text: Vec<char> = text.chars().collect();
    let mut matched = false;
    for pattern in list.split(',').map(str::trim) {
        let (negated, pattern) = match pattern.strip_prefix('!') {
            Some(p) => (true, p),
            None => (false, pattern),
        };
        let chars: Vec<char> = pattern.chars().collect();
        if glob(&chars, &text) {
            if negated {
                return false;
            }
            matched = true;
        }
    }
    matched
}

/// Whether a principal of the trust list (a pattern list) names `email`.
pub fn principal_matches(principals: &str, email: &str) -> bool {
    pattern_list_matches(principals, email)
}

/// Checks signatures: reads the trust list once, then checks each record.
#[derive(Debug)]
pub struct Verifier {
    settings: VerifySettings,
    allowed: Result<Option<AllowedSigners>, String>,
}

impl Verifier {
    /// A verifier for git's settings; the allowed-signers file is read here, once.
    pub fn new(settings: VerifySettings) -> Verifier {
        let allowed = match &settings.allowed_signers {
            None => Ok(None),
            Some(path) => std::fs::read_to_string(path)
                .map(|text| Some(AllowedSigners::parse(&text)))
                .map_err(|e| {
                    format!(
                        "git's allowed signers file {} cannot be read: {}",
                        path.display(),
                        crate::fsx::plain_reason(&e).0
                    )
                }),
        };
        Verifier { settings, allowed }
    }

    /// What `signature` is worth; `time` is when the record was made (seconds since the epoch),
    /// for the `valid-after` and `valid-before` limits of the trust list.
    pub fn check(&self, signature: Option<&StoredSignature>, time: i64) -> Verdict {
        let Some(sig) = signature else {
            return Verdict::Unsigned;
        };
        match Format::of(&sig.armor) {
            Format::Ssh => self.check_ssh(sig, time),
            format @ Format::Openpgp => {
                check_with_program(&self.settings.openpgp_program, format, sig)
            }
            format @ Format::X509 => check_with_program(&self.settings.x509_program, format, sig),
        }
    }

    fn check_ssh(&self, sig: &StoredSignature, time: i64) -> Verdict {
        let format = Format::Ssh;
        let parsed = match SshSig::from_pem(sig.armor.trim_end()) {
            Ok(parsed) => parsed,
            Err(_) => {
                return Verdict::Bad {
                    format,
                    key: None,
                    reason: "the signature is damaged and cannot be read".into(),
                };
            }
        };
        let key_data = parsed.public_key().clone();
        let key = key_data.fingerprint(HashAlg::Sha256).to_string();
        if parsed.namespace() != NAMESPACE {
            return Verdict::Bad {
                format,
                key: Some(key),
                reason: format!(
                    "it was made for `{}`, not for git records",
                    parsed.namespace()
                ),
            };
        }
        if PublicKey::from(key_data.clone())
            .verify(NAMESPACE, &sig.payload, &parsed)
            .is_err()
        {
            return Verdict::Bad {
                format,
                key: Some(key),
                reason: "it does not match the record: the record was changed after it was signed"
                    .into(),
            };
        }
        match &self.allowed {
            Err(reason) => Verdict::NotChecked {
                format,
                reason: reason.clone(),
            },
            Ok(None) => Verdict::KeyNotChecked { format, key },
            Ok(Some(allowed)) => {
                let signers = allowed.principals(&key_data, time);
                if signers.is_empty() {
                    Verdict::UnknownKey { format, key }
                } else {
                    Verdict::Good {
                        format,
                        key,
                        signers,
                    }
                }
            }
        }
    }
}

/// Checks an OpenPGP or X.509 signature with `program` as git does
/// (`PROGRAM --status-fd=1 --verify SIGFILE -`, the payload on standard input), reading its
/// status lines (GnuPG's `doc/DETAILS`).
fn check_with_program(program: &str, format: Format, sig: &StoredSignature) -> Verdict {
    let not_checked = |reason: String| Verdict::NotChecked { format, reason };
    let Ok(mut file) = tempfile::NamedTempFile::new() else {
        return not_checked("no temporary file could be made for the signature".into());
    };
    if file.write_all(sig.armor.as_bytes()).is_err() {
        return not_checked("no temporary file could be made for the signature".into());
    }
    let child = Command::new(program)
        .args(["--status-fd=1", "--verify"])
        .arg(file.path())
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(e) => {
            return not_checked(format!(
                "{program} could not be run ({})",
                crate::fsx::plain_reason(&e).0
            ));
        }
    };
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(&sig.payload);
    }
    let Ok(out) = child.wait_with_output() else {
        return not_checked(format!("{program} stopped before it answered"));
    };
    read_status(&String::from_utf8_lossy(&out.stdout), format)
}

/// The verdict in GnuPG's status lines (`[GNUPG:] GOODSIG …`, `VALIDSIG`, `BADSIG`, `ERRSIG`,
/// `EXPKEYSIG`, `REVKEYSIG`, `NO_PUBKEY`).
fn read_status(status: &str, format: Format) -> Verdict {
    let mut key = None;
    let mut signer = None;
    let mut verdict = None;
    for line in status.lines() {
        let Some(rest) = line.strip_prefix("[GNUPG:] ") else {
            continue;
        };
        let mut words = rest.splitn(3, ' ');
        let (Some(kind), id, more) = (words.next(), words.next(), words.next()) else {
            continue;
        };
        match kind {
            "VALIDSIG" => key = id.map(str::to_string),
            "GOODSIG" => {
                signer = more.map(str::to_string);
                key = key.or_else(|| id.map(str::to_string));
                verdict = verdict.or(Some("good"));
            }
            "BADSIG" => verdict = Some("bad"),
            "EXPKEYSIG" => verdict = Some("expired"),
            "REVKEYSIG" => verdict = Some("revoked"),
            "NO_PUBKEY" | "ERRSIG" => {
                key = key.or_else(|| id.map(str::to_string));
                verdict = verdict.or(Some("unknown"));
            }
            _ => {}
        }
    }
    let reason = |words: &str| Verdict::Bad {
        format,
        key: key.clone(),
        reason: words.to_string(),
    };
    match (verdict, key.clone()) {
        (Some("good"), Some(key)) => Verdict::Good {
            format,
            key,
            signers: signer.into_iter().collect(),
        },
        (Some("bad"), _) => {
            reason("it does not match the record: the record was changed after it was signed")
        }
        (Some("expired"), _) => reason("it was made with a key that has expired"),
        (Some("revoked"), _) => reason("it was made with a key that was revoked"),
        (Some("unknown"), Some(key)) => Verdict::UnknownKey { format, key },
        _ => Verdict::NotChecked {
            format,
            reason: "the signature program gave no verdict".into(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBdDq3m2qtwLgXcCrbfGkJkAJ0ww2OHcXKXb/daVqsPh";

    #[test]
    fn allowed_signers_lines_with_options_and_patterns() {
        let text = format!(
            "# team\nqa@example.org {KEY}\n\"a@x.org,*@lab.example\" namespaces=\"git,file\",valid-after=20250101 {KEY} comment\nold@x.org valid-before=\"20200101Z\" {KEY}\nca@x.org cert-authority {KEY}\nbroken line\n"
        );
        let allowed = AllowedSigners::parse(&text);
        let key = PublicKey::from_openssh(KEY)
            .expect("key")
            .key_data()
            .clone();
        let in_2026 = 1_770_000_000;
        assert_eq!(
            allowed.principals(&key, in_2026),
            ["qa@example.org", "a@x.org,*@lab.example"]
        );
        assert_eq!(
            allowed.principals(&key, 1_500_000_000),
            ["qa@example.org", "old@x.org"]
        );
        assert!(principal_matches(
            "a@x.org,*@lab.example",
            "dana@lab.example"
        ));
        assert!(!principal_matches(
            "*@lab.example,!eve@lab.example",
            "eve@lab.example"
        ));
        assert!(!principal_matches("qa@example.org", "qa@example.org.evil"));
        assert!(pattern_list_matches("file,git", "git") && !pattern_list_matches("file", "git"));
    }

    #[test]
    fn gnupg_status_lines_give_the_verdict() {
        let good = "[GNUPG:] NEWSIG\n[GNUPG:] GOODSIG 0123ABCD Dana <dana@example.org>\n[GNUPG:] VALIDSIG 89ABCDEF0123 2026-01-01\n";
        assert_eq!(
            read_status(good, Format::Openpgp),
            Verdict::Good {
                format: Format::Openpgp,
                key: "89ABCDEF0123".into(),
                signers: vec!["Dana <dana@example.org>".into()]
            }
        );
        let bad = "[GNUPG:] BADSIG 0123ABCD Dana <dana@example.org>\n";
        assert_eq!(read_status(bad, Format::Openpgp).state(), "bad");
        let unknown =
            "[GNUPG:] ERRSIG 0123ABCD 22 10 00 1767225600 9\n[GNUPG:] NO_PUBKEY 0123ABCD\n";
        assert_eq!(
            read_status(unknown, Format::Openpgp),
            Verdict::UnknownKey {
                format: Format::Openpgp,
                key: "0123ABCD".into()
            }
        );
        assert_eq!(read_status("", Format::X509).state(), "not-checked");
    }

    #[test]
    fn a_damaged_ssh_signature_is_bad_and_none_is_unsigned() {
        let verifier = Verifier::new(VerifySettings {
            allowed_signers: None,
            openpgp_program: "gpg".into(),
            x509_program: "gpgsm".into(),
        });
        assert_eq!(verifier.check(None, 0), Verdict::Unsigned);
        let damaged = StoredSignature {
            armor: "-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----\n".into(),
            payload: b"x".to_vec(),
        };
        assert_eq!(verifier.check(Some(&damaged), 0).state(), "bad");
    }
}
