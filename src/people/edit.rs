//! Edits of `people.toml` in place (`sopctl people add` and `remove`): one `[[person]]` block is
//! added at the end or taken out, and every other byte of the file (comments, order, quoting,
//! line endings) stays as it was. Edits work on text that [`super::Registry::parse`] accepted.

use super::Person;

/// The opening comment of a registry that `sopctl people add` creates.
pub const HEADER: &str = "# The signers registry: who may sign this repository's records, in which roles, with which\n# keys. Change it with  sopctl people add  and  sopctl people remove  (each change is a record).\n";

/// Why the file cannot be edited.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    /// Not TOML that can be edited in place, or `person` is not a list of `[[person]]` blocks.
    #[error("people.toml cannot be edited in place: {0}")]
    Unreadable(String),
    /// No person has this e-mail address.
    #[error("no one in people.toml has the e-mail address {0}")]
    NoSuchPerson(String),
}

/// `text` (empty for a new file) with `person` added at the end as a `[[person]]` block.
///
/// # Errors
/// [`EditError::Unreadable`].
pub fn add(text: &str, person: &Person) -> Result<String, EditError> {
    let crlf = text.contains("\r\n");
    let base = text.replace("\r\n", "\n");
    let mut doc = parse(&base)?;
    // Without a `[[person]]` yet, the file holds comments only (nothing else is allowed), which
    // stay on top: the new block is written below them.
    let preamble = match doc.get("person") {
        Some(_) => None,
        None if base.trim().is_empty() => Some(HEADER.to_string()),
        None => Some(format!("{}\n", base.trim_end())),
    };
    if preamble.is_some() {
        doc = toml_edit::DocumentMut::new();
    }
    let mut table = toml_edit::Table::new();
    table.decor_mut().set_prefix("\n");
    table.insert("name", toml_edit::value(person.name.as_str()));
    table.insert("email", toml_edit::value(person.email.as_str()));
    let roles: toml_edit::Array = person.roles.iter().map(String::as_str).collect();
    table.insert("roles", toml_edit::value(roles));
    let mut keys: toml_edit::Array = person.keys.iter().map(|k| k.openssh.as_str()).collect();
    if !keys.is_empty() {
        // One key per line: they are long.
        for key in keys.iter_mut() {
            key.decor_mut().set_prefix("\n    ");
        }
        keys.set_trailing_comma(true);
        keys.set_trailing("\n");
    }
    table.insert("keys", toml_edit::value(keys));
    people(&mut doc)?.push(table);
    let mut out = preamble.unwrap_or_default() + &doc.to_string();
    if !out.ends_with('\n') {
        out.push('\n');
    }
    Ok(if crlf { out.replace('\n', "\r\n") } else { out })
}

/// `text` without the `[[person]]` block whose e-mail address is `email` (capitals aside).
///
/// # Errors
/// [`EditError::NoSuchPerson`], [`EditError::Unreadable`].
pub fn remove(text: &str, email: &str) -> Result<String, EditError> {
    let crlf = text.contains("\r\n");
    let mut doc = parse(&text.replace("\r\n", "\n"))?;
    let list = people(&mut doc)?;
    let index = list
        .iter()
        .position(|t| {
            t.get("email")
                .and_then(|v| v.as_str())
                .is_some_and(|e| e.trim().eq_ignore_ascii_case(email.trim()))
        })
        .ok_or_else(|| EditError::NoSuchPerson(email.to_string()))?;
    let removed = list.remove(index);
    // Comments right above the block are the person's and go with it; those set apart by a
    // blank line (the file's opening comment) stay, before whatever followed the block.
    let prefix = removed
        .decor()
        .prefix()
        .and_then(|p| p.as_str())
        .unwrap_or("");
    let kept = prefix
        .rfind("\n\n")
        .map_or("", |i| prefix.get(..=i).unwrap_or(""));
    match list.get_mut(index) {
        Some(next) => {
            let after = next.decor().prefix().and_then(|p| p.as_str()).unwrap_or("");
            let joined = format!("{kept}{after}");
            next.decor_mut().set_prefix(joined);
        }
        None => {
            let after = doc.trailing().as_str().unwrap_or("").to_string();
            doc.set_trailing(format!("{kept}{after}"));
        }
    }
    if people(&mut doc)?.is_empty() {
        doc.remove("person");
    }
    let out = doc.to_string();
    Ok(if crlf { out.replace('\n', "\r\n") } else { out })
}

fn parse(text: &str) -> Result<toml_edit::DocumentMut, EditError> {
    text.parse::<toml_edit::DocumentMut>()
        .map_err(|e| EditError::Unreadable(e.message().to_string()))
}

/// The `[[person]]` blocks of `doc`, made when there are none.
fn people(doc: &mut toml_edit::DocumentMut) -> Result<&mut toml_edit::ArrayOfTables, EditError> {
    doc.entry("person")
        .or_insert(toml_edit::Item::ArrayOfTables(
            toml_edit::ArrayOfTables::new(),
        ))
        .as_array_of_tables_mut()
        .ok_or_else(|| EditError::Unreadable("`person` is not a list of [[person]] blocks".into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::people::{Key, Registry};

    fn person(name: &str, email: &str, roles: &[&str], keys: &[&str]) -> Person {
        Person {
            name: name.into(),
            email: email.into(),
            roles: roles.iter().map(|r| r.to_string()).collect(),
            keys: keys
                .iter()
                .map(|k| Key {
                    openssh: k.to_string(),
                    fingerprint: String::new(),
                })
                .collect(),
            line: 0,
        }
    }

    #[test]
    fn the_first_person_makes_the_file_and_later_ones_are_appended() {
        let one = add(
            "",
            &person(
                "Dana Quality",
                "dana@example.org",
                &["QA Manager"],
                &["ssh-ed25519 AAAA dana@laptop"],
            ),
        )
        .expect("add");
        assert_eq!(
            one,
            format!(
                "{HEADER}\n[[person]]\nname = \"Dana Quality\"\nemail = \"dana@example.org\"\nroles = [\"QA Manager\"]\nkeys = [\n    \"ssh-ed25519 AAAA dana@laptop\",\n]\n"
            )
        );
        let two = add(
            &one,
            &person("Erin \"E\" Ops", "erin@example.org", &["A", "B"], &[]),
        )
        .expect("add");
        assert_eq!(
            two,
            format!(
                "{one}\n[[person]]\nname = 'Erin \"E\" Ops'\nemail = \"erin@example.org\"\nroles = [\"A\", \"B\"]\nkeys = []\n"
            )
        );
        let (registry, problems) = Registry::parse(&two);
        assert_eq!(
            problems.len(),
            1,
            "the made-up key does not parse: {problems:?}"
        );
        assert_eq!(registry.people[1].name, "Erin \"E\" Ops");
    }

    #[test]
    fn removing_keeps_everything_else_byte_for_byte() {
        let text = "# Our signers\r\n\r\n[[person]] # first\r\nname = 'A'\r\nemail = \"a@x.org\"\r\n\r\n# the second\r\n[[person]]\r\nname = \"B\"\r\nemail = \"B@x.org\"\r\n";
        assert_eq!(
            remove(text, "b@X.org").expect("remove"),
            "# Our signers\r\n\r\n[[person]] # first\r\nname = 'A'\r\nemail = \"a@x.org\"\r\n"
        );
        assert_eq!(
            remove(text, "c@x.org"),
            Err(EditError::NoSuchPerson("c@x.org".into()))
        );
        assert_eq!(
            remove("[[person]]\nname = \"A\"\nemail = \"a@x.org\"\n", "a@x.org").expect("last"),
            ""
        );
        // The file's opening comment stays when the first person goes.
        let two = "# Signers\n\n# Dana's block\n[[person]]\nname = \"A\"\nemail = \"a@x.org\"\n\n[[person]]\nname = \"B\"\nemail = \"b@x.org\"\n";
        assert_eq!(
            remove(two, "a@x.org").expect("first"),
            "# Signers\n\n[[person]]\nname = \"B\"\nemail = \"b@x.org\"\n"
        );
        let one = remove(two, "b@x.org").expect("second");
        assert_eq!(remove(&one, "a@x.org").expect("both"), "# Signers\n");
    }
}
