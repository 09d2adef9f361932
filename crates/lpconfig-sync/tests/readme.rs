//! The README's sync example is `examples/sync_records.rs`: same text, and it runs.

#[allow(dead_code)]
#[path = "../examples/sync_records.rs"]
mod example;

mod common;

fn between(text: &str, begin: &str, end: &str) -> String {
    let start = text.find(begin).expect("begin marker") + begin.len();
    let stop = text[start..].find(end).expect("end marker") + start;
    text[start..stop].to_owned()
}

/// Lines with the common indentation removed.
fn dedent(block: &str) -> String {
    let lines: Vec<&str> = block.lines().filter(|l| !l.trim().is_empty() || !l.is_empty()).collect();
    let indent = lines.iter().filter(|l| !l.trim().is_empty()).map(|l| l.len() - l.trim_start().len()).min();
    let indent = indent.unwrap_or(0);
    lines
        .iter()
        .map(|l| l.get(indent..).unwrap_or("").trim_end())
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_owned()
}

#[test]
fn the_readme_shows_the_example() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let example =
        std::fs::read_to_string(root.join("crates/lpconfig-sync/examples/sync_records.rs")).unwrap();
    let shown = dedent(&between(
        &readme,
        "<!-- sync example begin -->\n```rust,ignore\n",
        "```\n<!-- sync example end -->",
    ));
    let code = dedent(&between(&example, "// README begin\n", "    // README end"));
    assert_eq!(shown, code, "README.md's sync example differs from examples/sync_records.rs");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_readme_example_runs() {
    let acc = common::Account::start().await;
    example::sync_staff(&acc.client).await.expect("the README example runs");
}
