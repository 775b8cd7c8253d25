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

use std::collections::HashMap;
use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};

use ssh_key::public::KeyData;
use ssh_key::{HashAlg, PublicKey, SshSig};

pub use super::allowed::{AllowedSigners, principal_matches};
use crate::people::Registry;

use crate::repo::inspect::{StoredSignature, VerifySettings};

/// The SSHSIG namespace git signs in (`ssh-keygen -Y sign -n git`).
pub(crate) const NAMESPACE: &str = "git";

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
                "signed with {} {key}, which is not among the trusted keys",
                format.key_words()
            ),
            Verdict::Bad { reason, .. } => write!(f, "signature broken: {reason}"),
            Verdict::NotChecked { reason, .. } => write!(f, "signature not checked: {reason}"),
        }
    }
}

/// Whether the signer of a record may sign it, as a problem in plain words (`None`: nothing
/// wrong). `email` is whom the record says signed it (an approver's `Approval-Email`, a
/// release's tagger), `role` the role it was signed in. The one place that decides, for
/// `verify` and for `release`: a signature that is broken, by a key the trust list does not
/// list, or by a key it lists for someone else. With `registry` (`signatures = "required"`,
/// issue 15 item 2; the verdict then comes from [`Verifier::for_registry`]) a record must also
/// be signed, with an SSH key of the signers registry held by the person the record names, who
/// must hold `role`.
pub fn signer_problem(
    verdict: &Verdict,
    email: Option<&str>,
    role: Option<&str>,
    registry: Option<&Registry>,
) -> Option<String> {
    match verdict {
        Verdict::Unsigned if registry.is_some() => Some(
            "it is not signed, and this repository requires records signed by registered people (signatures = \"required\" in sopctl.toml)".into(),
        ),
        Verdict::Unsigned | Verdict::KeyNotChecked { .. } => None,
        Verdict::Bad { reason, .. } => Some(format!("its signature is broken: {reason}")),
        Verdict::NotChecked { reason, .. } => {
            Some(format!("its signature could not be checked: {reason}"))
        }
        Verdict::UnknownKey { format, key } if registry.is_some() => Some(format!(
            "it is signed with {} {key}, which the signers registry (people.toml) does not list",
            format.key_words()
        )),
        Verdict::UnknownKey { format, key } => Some(format!(
            "it is signed with {} {key}, which git's allowed signers (gpg.ssh.allowedSignersFile) do not list",
            format.key_words()
        )),
        Verdict::Good { format, .. } if registry.is_some() && *format != Format::Ssh => {
            Some(format!(
                "it is signed with {}, and the signers registry (people.toml) holds SSH keys only",
                format.key_words()
            ))
        }
        Verdict::Good {
            format,
            key,
            signers,
        } => {
            if let Some(email) = email.filter(|e| !e.is_empty())
                && !signers.iter().any(|p| principal_matches(p, email))
            {
                return Some(format!(
                    "it names {email}, but it is signed with the {} of {} ({key})",
                    format.key_words(),
                    signers.join(", ")
                ));
            }
            let registry = registry?;
            let role = role.filter(|r| !r.trim().is_empty())?;
            let holder = registry.holder_of(key)?;
            (!holder.holds(role)).then(|| {
                let held = if holder.roles.is_empty() {
                    "people.toml gives them no role".to_string()
                } else {
                    format!("their roles in people.toml are {}", holder.roles.join(", "))
                };
                format!(
                    "it is signed by {}, who may not sign as {role}: {held}",
                    holder.label()
                )
            })
        }
    }
}

/// Checks signatures: reads the trust list once, then checks each record.
#[derive(Debug)]
pub struct Verifier {
    settings: VerifySettings,
    allowed: Result<Option<AllowedSigners>, String>,
    /// The SSH signatures already checked against their records, shared by the verifiers of
    /// one run.
    intact: Arc<IntactSignatures>,
}

/// What an SSH signature says of itself, whoever is trusted: the key that made it, or why it
/// does not match its record (a [`Verdict::Bad`]).
type Intact = Result<(KeyData, String), Verdict>;

/// An Ed25519 key decoded: its curve point and its fingerprint (`SHA256:…`).
type Ed25519Key = (ed25519_dalek::VerifyingKey, String);

/// SSH signatures checked against the records they sign, each once (issue 15 item 7). Whether
/// a signature matches its record does not depend on whom a trust list names, so `verify`
/// checks every signature while it still reads the history the trust list comes from, and the
/// trust list is applied afterwards ([`Verifier::check`]). Keyed by the signature and the exact
/// bytes it signs.
#[derive(Debug, Default)]
pub struct IntactSignatures {
    checked: Mutex<HashMap<(String, Vec<u8>), Intact>>,
    /// Each Ed25519 key met, decoded once: a curve point and its fingerprint.
    keys: Mutex<HashMap<[u8; 32], Option<Ed25519Key>>>,
}

impl IntactSignatures {
    /// Checks `sig` (an SSH signature) against its record, unless it was checked before.
    pub fn check(&self, sig: &StoredSignature) {
        if Format::of(&sig.armor) == Format::Ssh {
            let _ = self.intact(sig);
        }
    }

    /// The key that made `sig`, or why it does not match its record.
    fn intact(&self, sig: &StoredSignature) -> Intact {
        let key = (sig.armor.clone(), sig.payload.clone());
        let lock = || self.checked.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(known) = lock().get(&key) {
            return known.clone();
        }
        let found = self.ssh_intact(sig);
        lock().insert(key, found.clone());
        found
    }

    /// The Ed25519 key `bytes` as a curve point, with its fingerprint (`SHA256:…`), decoded
    /// once; `None` when the bytes are not a point of the curve.
    fn ed25519_key(&self, bytes: &[u8; 32]) -> Option<Ed25519Key> {
        let lock = || self.keys.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(known) = lock().get(bytes) {
            return known.clone();
        }
        let key = ed25519_dalek::VerifyingKey::from_bytes(bytes)
            .ok()
            .map(|point| {
                let data = KeyData::Ed25519(ssh_key::public::Ed25519PublicKey(*bytes));
                (point, data.fingerprint(HashAlg::Sha256).to_string())
            });
        lock().insert(*bytes, key.clone());
        key
    }

    /// The key that made the SSH signature `sig`, or why it does not match its record:
    /// OpenSSH's `PROTOCOL.sshsig`, namespace `git`, checked with the `ssh-key` crate. An
    /// Ed25519 signature is checked as `ssh-key` checks it (the same signed data, the same
    /// `ed25519-dalek` verification), with each key decoded once instead of once a signature.
    fn ssh_intact(&self, sig: &StoredSignature) -> Intact {
        let format = Format::Ssh;
        let parsed = match SshSig::from_pem(sig.armor.trim_end()) {
            Ok(parsed) => parsed,
            Err(_) => {
                return Err(Verdict::Bad {
                    format,
                    key: None,
                    reason: "the signature is damaged and cannot be read".into(),
                });
            }
        };
        let key_data = parsed.public_key().clone();
        let ed25519 = key_data
            .ed25519()
            .filter(|_| parsed.signature().algorithm() == ssh_key::Algorithm::Ed25519)
            .filter(|_| parsed.reserved().is_empty())
            .and_then(|k| self.ed25519_key(&k.0));
        let key = match &ed25519 {
            Some((_, fingerprint)) => fingerprint.clone(),
            None => key_data.fingerprint(HashAlg::Sha256).to_string(),
        };
        if parsed.namespace() != NAMESPACE {
            return Err(Verdict::Bad {
                format,
                key: Some(key),
                reason: format!(
                    "it was made for `{}`, not for git records",
                    parsed.namespace()
                ),
            });
        }
        let matches = match &ed25519 {
            Some((point, _)) => {
                use ed25519_dalek::Verifier as _;
                SshSig::signed_data(NAMESPACE, parsed.hash_alg(), &sig.payload)
                    .ok()
                    .zip(ed25519_dalek::Signature::from_slice(parsed.signature_bytes()).ok())
                    .is_some_and(|(signed, signature)| point.verify(&signed, &signature).is_ok())
            }
            None => PublicKey::from(key_data.clone())
                .verify(NAMESPACE, &sig.payload, &parsed)
                .is_ok(),
        };
        if !matches {
            return Err(Verdict::Bad {
                format,
                key: Some(key),
                reason: "it does not match the record: the record was changed after it was signed"
                    .into(),
            });
        }
        Ok((key_data, key))
    }
}

impl Verifier {
    /// A verifier for git's settings; the allowed-signers file is read here, once.
    pub fn new(settings: VerifySettings) -> Verifier {
        Verifier::sharing(settings, Arc::default())
    }

    /// As [`Verifier::new`], with the SSH signatures checked so far in this run (`intact`).
    pub fn sharing(settings: VerifySettings, intact: Arc<IntactSignatures>) -> Verifier {
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
        Verifier {
            settings,
            allowed,
            intact,
        }
    }

    /// A verifier whose trust list is the signers registry (people.toml) instead of git's
    /// allowed-signers file: `signatures = "required"` (issue 15 item 2). OpenPGP and X.509
    /// signatures are still checked by their programs, and [`signer_problem`] refuses them.
    pub fn for_registry(
        settings: VerifySettings,
        registry: &Registry,
        intact: Arc<IntactSignatures>,
    ) -> Verifier {
        Verifier {
            settings,
            allowed: Ok(Some(AllowedSigners::of_registry(registry))),
            intact,
        }
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
        let (key_data, key) = match self.intact.intact(sig) {
            Ok(intact) => intact,
            Err(bad) => return bad,
        };
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
