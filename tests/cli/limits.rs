//! Resource limits (SPEC §9): hostile sizes and depths finish, in bounded time, with every word
//! kept, and never overflow the stack. Speed itself is measured in `benches/`, not here.

use crate::harness::TestEnv;

const FRONT: &str = "---\nid: SOP-001\ntitle: Limits\nowner: QA\n---\n\n";

fn render(env: &TestEnv, name: &str, body: &str) -> String {
    env.write(&format!("{name}.md"), format!("{FRONT}{body}"));
    env.run(&["render", &format!("{name}.md"), "-o", "out"])
        .expect_code(0);
    let out = std::process::Command::new("pdftotext")
        .arg(env.path(&format!("out/{name}.pdf")))
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn block_quotes_and_lists_nested_thousands_deep_render_without_overflowing_the_stack() {
    let env = TestEnv::new();
    let quotes = format!("{}deepest words\n", "> ".repeat(10_000));
    let text = render(&env, "quotes", &quotes);
    assert!(text.contains("deepest words"), "{text}");
    let lists: String = (0..500)
        .map(|depth| format!("{}- level {depth}\n", "  ".repeat(depth)))
        .collect();
    let text = render(&env, "lists", &lists);
    assert!(
        text.contains("level 0") && text.contains("level 499"),
        "{text}"
    );
    let html = env.read("out/lists.html");
    assert!(html.contains("level 499"));
}

#[test]
fn a_one_megabyte_token_is_broken_across_lines_and_pages_and_nothing_is_lost() {
    let env = TestEnv::new();
    let token: String = (0..1_000_000u32)
        .map(|i| char::from(b'a' + (i % 26) as u8))
        .collect();
    let text = render(&env, "token", &format!("{token}\n"));
    // The token's lines, in order, without the page furniture between pages.
    let lines: String = text
        .lines()
        .filter(|l| l.len() > 20 && l.chars().all(|c| c.is_ascii_lowercase()))
        .collect();
    assert_eq!(lines.len(), token.len(), "every letter is on some page");
    assert!(lines == token, "the letters come out in their order");
}
