//! git's allowed-signers file (ssh-keygen(1), ALLOWED SIGNERS), read once: `principals
//! [options] key` per line, with OpenSSH's pattern lists for principals and namespaces
//! (`match_pattern_list`) and the `valid-after` / `valid-before` limits.

use ssh_key::PublicKey;

use super::signature::NAMESPACE;

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
    /// The keys of the signers registry (people.toml) as an allowed-signers list: each key
    /// allowed for its holder's e-mail address, for git records only (issue 15 item 2).
    pub fn of_registry(registry: &crate::people::Registry) -> AllowedSigners {
        let text: String = registry
            .people
            .iter()
            .flat_map(|person| {
                person.keys.iter().map(move |key| {
                    format!(
                        "\"{}\" namespaces=\"{NAMESPACE}\" {}\n",
                        person.email.replace('"', ""),
                        key.openssh
                    )
                })
            })
            .collect();
        AllowedSigners::parse(&text)
    }

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
    pub(crate) fn principals(&self, key: &ssh_key::public::KeyData, time: i64) -> Vec<String> {
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
}
