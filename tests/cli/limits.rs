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

#[test]
fn a_fifty_megabyte_document_is_refused_before_it_is_read() {
    let env = TestEnv::repo();
    let paragraph = "The operator checks each valve and records the reading. ".repeat(20);
    let mut body = String::with_capacity(50_100_000);
    body.push_str(FRONT);
    while body.len() < 50_000_000 {
        body.push_str(&paragraph);
        body.push_str("\n\n");
    }
    env.write("sops/big.md", &body);
    let size = sopctl::fsx::thousands(body.len() as u64);
    let render = env.run(&["render", "sops/big.md"]);
    render.expect_code(1);
    assert_eq!(
        render.stderr,
        format!(
            "error: sops/big.md is {size} bytes, more than the 10 MB (10,000,000 bytes) an SOP may be\nhint: split it into several SOPs, or attach large data as files instead of pasting it in\n"
        )
    );
    let check = env.run(&["check"]);
    check.expect_code(1);
    assert!(check.stdout.starts_with(&format!(
        "sops/big.md:1:1: error: the file is {size} bytes, more than the 10 MB (10,000,000 bytes) an SOP may be; split it into several SOPs, or attach large data as files instead of pasting it in\n"
    )), "{}", check.stdout);
    assert!(!env.path("dist").exists());
}

#[test]
fn a_one_megabyte_paragraph_on_one_line_keeps_every_word() {
    let env = TestEnv::new();
    let words: Vec<String> = (0..160_000).map(|i| format!("w{i}")).collect();
    let line = words.join(" ");
    assert!(line.len() > 1_000_000);
    let text = render(&env, "line", &format!("{line}\n"));
    let found: Vec<&str> = text
        .split_whitespace()
        .filter(|w| w.starts_with('w') && w[1..].chars().all(|c| c.is_ascii_digit()))
        .collect();
    assert_eq!(found.len(), words.len());
    assert!(
        found.iter().zip(&words).all(|(a, b)| a == b),
        "words in order"
    );
}

#[test]
fn ten_thousand_headings_each_get_an_outline_entry() {
    let env = TestEnv::new();
    let body: String = (0..10_000)
        .map(|i| format!("## Heading {i}\n\nText {i}.\n\n"))
        .collect();
    let text = render(&env, "headings", &body);
    assert!(text.contains("Heading 0\n") && text.contains("Heading 9999\n"));
    let outline = std::process::Command::new("qpdf")
        .args(["--json", "--json-key=outlines"])
        .arg(env.path("out/headings.pdf"))
        .output()
        .expect("qpdf is installed");
    let json: serde_json::Value = serde_json::from_slice(&outline.stdout).expect("qpdf json");
    let entries = json["outlines"].as_array().expect("outlines").len();
    assert_eq!(entries, 10_000);
}

#[test]
fn a_list_nested_ten_thousand_deep_keeps_its_deepest_item() {
    let env = TestEnv::new();
    // `- - - … item` opens a list inside a list at every dash.
    let text = render(
        &env,
        "list",
        &format!("{}deepest item\n", "- ".repeat(10_000)),
    );
    assert!(text.contains("deepest item"), "{text}");
}

#[test]
fn a_table_of_5000_rows_and_40_columns_is_printed_as_records_with_every_value() {
    let env = TestEnv::new();
    let header: Vec<String> = (0..40).map(|c| format!("H{c}")).collect();
    let mut body = format!("| {} |\n|{}\n", header.join(" | "), "---|".repeat(40));
    for r in 0..5_000 {
        let row: Vec<String> = (0..40).map(|c| format!("r{r}c{c}")).collect();
        body.push_str(&format!("| {} |\n", row.join(" | ")));
    }
    let text = render(&env, "table", &body);
    assert!(
        text.contains(
            "A table of 40 columns, too many to print side by side: each row follows as a record."
        ),
        "{}",
        &text[..2000.min(text.len())]
    );
    let values = text
        .split_whitespace()
        .filter(|w| {
            w.strip_prefix('r')
                .and_then(|rest| rest.split_once('c'))
                .is_some_and(|(r, c)| r.parse::<u32>().is_ok() && c.parse::<u32>().is_ok())
        })
        .count();
    assert_eq!(values, 5_000 * 40);
    assert!(text.contains("H39: r4999c39"));
}

#[test]
fn a_table_too_wide_for_one_glyph_a_column_and_a_row_taller_than_a_page_lose_nothing() {
    let env = TestEnv::new();
    // 300 columns: not one letter fits a column of a grid.
    let mut body = format!(
        "| {} |\n|{}\n",
        (0..300)
            .map(|c| format!("C{c}"))
            .collect::<Vec<_>>()
            .join(" | "),
        "---|".repeat(300)
    );
    body.push_str(&format!(
        "| {} |\n\n",
        (0..300)
            .map(|c| format!("v{c}"))
            .collect::<Vec<_>>()
            .join(" | ")
    ));
    // One cell of 3,000 words: about six pages.
    let cell: Vec<String> = (0..3_000).map(|i| format!("word{i}")).collect();
    body.push_str(&format!(
        "| Step | Notes |\n|---|---|\n| 1 | {} |\n| 2 | last row |\n\nAfter.\n",
        cell.join(" ")
    ));
    let text = render(&env, "wide", &body);
    assert!(text.contains("C299: v299"), "{text}");
    let words: Vec<&str> = text
        .split_whitespace()
        .filter(|w| w.starts_with("word"))
        .collect();
    assert_eq!(words.len(), 3_000);
    assert!(
        words.iter().zip(&cell).all(|(a, b)| a == b),
        "words in order"
    );
    assert!(text.contains("last row") && text.contains("After."));
}
