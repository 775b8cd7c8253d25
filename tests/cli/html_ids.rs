//! Ids in the HTML renditions, read with a real HTML tokenizer (html5ever): no id is given twice,
//! and every in-page link (`href="#…"`) has its target. Used by the footnote tests (B26); here,
//! the ids the page template adds around the body.

use std::cell::RefCell;
use std::collections::BTreeSet;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{BufferQueue, StartTag, Token, TokenSink, TokenSinkResult, Tokenizer};

use crate::harness::{DANA, TestEnv};

/// The ids and the in-page link targets (`href="#…"`) of a page, read by html5ever's tokenizer
/// (character references decoded, `<style>` and `<script>` read as the browser reads them).
#[derive(Default)]
struct Anchors {
    ids: RefCell<Vec<String>>,
    targets: RefCell<Vec<String>>,
}

impl TokenSink for Anchors {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let Token::TagToken(tag) = token else {
            return TokenSinkResult::Continue;
        };
        if tag.kind != StartTag {
            return TokenSinkResult::Continue;
        }
        for attr in &tag.attrs {
            match &*attr.name.local {
                "id" => self.ids.borrow_mut().push(attr.value.to_string()),
                "href" => {
                    if let Some(target) = attr.value.strip_prefix('#') {
                        self.targets.borrow_mut().push(target.to_string());
                    }
                }
                _ => {}
            }
        }
        match &*tag.name {
            "style" => TokenSinkResult::RawData(RawKind::Rawtext),
            "script" => TokenSinkResult::RawData(RawKind::ScriptData),
            "title" | "textarea" => TokenSinkResult::RawData(RawKind::Rcdata),
            _ => TokenSinkResult::Continue,
        }
    }
}

/// Parses `html` and asserts that no id is given twice and that every `href="#…"` names an id.
/// Returns the ids.
#[track_caller]
pub(crate) fn assert_ids_unique_and_links_resolve(html: &str) -> Vec<String> {
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let tokenizer = Tokenizer::new(Anchors::default(), Default::default());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let ids = tokenizer.sink.ids.take();
    let targets = tokenizer.sink.targets.take();
    let mut seen = BTreeSet::new();
    let repeated: Vec<&String> = ids.iter().filter(|id| !seen.insert(*id)).collect();
    assert!(repeated.is_empty(), "ids given twice: {repeated:?}");
    let missing: Vec<&String> = targets.iter().filter(|t| !seen.contains(t)).collect();
    assert!(missing.is_empty(), "links to no id: {missing:?}");
    assert!(!targets.is_empty(), "no in-page links read");
    ids
}

// A heading "Approvals title" took the anchor of the approvals block's own heading
// (`approvals-title`) on a published page: two elements had that id.
#[test]
fn a_published_page_keeps_its_ids_unique_whatever_the_headings_are_called() {
    let env = TestEnv::repo();
    env.write(
        "sops/a.md",
        "---\nid: SOP-1\ntitle: Alpha\nversion: 1.0\nowner: QA\napprovers: [QA Manager]\n---\n\n## Approvals title\n\nWhy.\n",
    );
    env.commit("Add SOP-1");
    env.run_in(&env.root, &["approve", "--role", "QA Manager"], &DANA)
        .expect_code(0);
    env.run(&["release", "-m", "First"]).expect_code(0);
    env.run(&["publish", "-o", "site"]).expect_code(0);
    let html = env.read("site/SOP-1/1.0/SOP-1-v1.0.html");
    assert!(html.contains("Dana Quality"), "no approvals block: {html}");
    let ids = assert_ids_unique_and_links_resolve(&html);
    assert!(ids.iter().any(|id| id == "approvals-title"), "{ids:?}");
}
