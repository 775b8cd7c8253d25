//! The site's search (issue 20 item 2): an index generated at publish time and a small script
//! in `index.html` that searches it in the browser, with no server.
//!
//! The index is a script file, `search-index.js`, that sets `window.sopctlSearch` to the
//! list of [`Document`]s; `index.html` loads it with a `<script>` element the first time the
//! search box is used. A `<script src>` loads from `file://` as well as from a web server,
//! where a `fetch` of an index file is blocked by the browser: that is why the index is a
//! script and not JSON, and why no library that fetches its index (Pagefind, lunr's serialized
//! indexes) is used. See `docs/architecture.md`.

use comrak::Arena;
use comrak::nodes::NodeValue;

use super::SopEntry;
use crate::doc::Sop;

/// The file the index is written to, at the site's root.
pub const FILE: &str = "search-index.js";

/// At most this many distinct words of one SOP's body are indexed: bounds the index of a very
/// long SOP (its title, headings and first words still find it).
pub const MAX_WORDS: usize = 4000;

/// One SOP as search sees it: the version in force (the last version, once withdrawn).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Document {
    /// Document ID.
    pub id: String,
    /// Title.
    pub title: String,
    /// Owner.
    pub owner: String,
    /// The SOP's page, relative to the site root.
    pub page: String,
    /// The version described (SOP form), or empty before the first release takes effect.
    pub version: String,
    /// Its standing in words: `in force`, `pending`, `superseded`, `obsolete`.
    pub status: String,
    /// The headings of its body, in order.
    pub headings: Vec<String>,
    /// The distinct words of its body, lowercased, in the order first met, separated by
    /// spaces (at most [`MAX_WORDS`]).
    pub words: String,
}

/// The search entry of `entry`, whose text is `sop` (the version it describes).
pub fn document(entry: &SopEntry, sop: &Sop) -> Document {
    let arena = Arena::new();
    let (root, _) = crate::doc::markdown::parse(&arena, sop.body());
    let mut headings = Vec::new();
    let mut text = String::new();
    for node in root.descendants() {
        match &node.data().value {
            NodeValue::Heading(_) => headings.push(crate::doc::markdown::plain_text(node)),
            NodeValue::Text(t) => text.push_str(t),
            NodeValue::Code(c) => text.push_str(&c.literal),
            NodeValue::CodeBlock(c) => text.push_str(&c.literal),
            _ => {}
        }
        // Blocks and line breaks separate words; inline markup (emphasis, links) does not.
        if node.data().value.block()
            || matches!(
                node.data().value,
                NodeValue::SoftBreak | NodeValue::LineBreak
            )
        {
            text.push(' ');
        }
    }
    let status = if entry.retired {
        entry.status.clone()
    } else if entry.version.is_empty() {
        "pending".to_string()
    } else {
        "in force".to_string()
    };
    Document {
        id: entry.id.clone(),
        title: entry.title.clone(),
        owner: entry.owner.clone(),
        page: entry.page.clone(),
        version: entry.version.clone(),
        status,
        headings,
        words: distinct_words(&text, MAX_WORDS),
    }
}

/// The distinct words of `text`, lowercased, in the order first met, at most `limit`, joined
/// by spaces. A word is a run of letters, digits and combining marks (Unicode `Alphabetic`,
/// `Numeric` and category M); single letters are left out.
pub fn distinct_words(text: &str, limit: usize) -> String {
    let mut seen = std::collections::HashSet::new();
    let mut out = String::new();
    // Combining marks (Unicode category M: a virama, a Thai tone mark, an accent written
    // apart) belong to their word, as the page's script reads them (`[\p{L}\p{N}\p{M}]`).
    let in_word =
        |c: char| c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c);
    for word in text.split(|c: char| !in_word(c)) {
        if seen.len() >= limit {
            break;
        }
        if word.is_empty() || (word.chars().count() < 2 && !word.chars().all(char::is_numeric)) {
            continue;
        }
        let word = word.to_lowercase();
        if seen.insert(word.clone()) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&word);
        }
    }
    out
}

/// The index file's text: `window.sopctlSearch = [...];` with one [`Document`] per SOP.
pub fn script(documents: &[Document]) -> String {
    let json = serde_json::to_string(documents).unwrap_or_else(|_| "[]".to_string());
    format!(
        "// The search index of the SOP site, made by sopctl publish; read by index.html.\nwindow.sopctlSearch = {json};\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_distinct_lowercased_and_in_order() {
        assert_eq!(
            distinct_words(
                "Open the Privacy page; open it, then a 2FA check: Privacy.",
                100
            ),
            "open the privacy page it then 2fa check"
        );
        assert_eq!(distinct_words("Größe größe Ärger", 100), "größe ärger");
        assert_eq!(distinct_words("a b c step 1 2", 100), "step 1 2");
        assert_eq!(distinct_words("one two three four", 2), "one two");
        // Devanagari with a virama and a nukta, Thai with a tone mark: whole words.
        assert_eq!(
            distinct_words("मशीन की सफ़ाई करें। दुनिया ล้างเครื่องผสม ทุกวัน", 100),
            "मशीन की सफ़ाई करें दुनिया ล้างเครื่องผสม ทุกวัน"
        );
    }

    #[test]
    fn the_index_is_a_script_that_sets_one_variable() {
        let doc = Document {
            id: "SOP-1".into(),
            title: "T </script>".into(),
            owner: "O".into(),
            page: "SOP-1/index.html".into(),
            version: "1.0".into(),
            status: "in force".into(),
            headings: vec!["Purpose".into()],
            words: "purpose scope".into(),
        };
        let text = script(&[doc]);
        assert!(text.starts_with("// The search index"));
        assert!(text.contains(
            "window.sopctlSearch = [{\"id\":\"SOP-1\",\"title\":\"T </script>\",\"owner\":\"O\","
        ));
        assert!(text.ends_with("}];\n"));
    }
}
