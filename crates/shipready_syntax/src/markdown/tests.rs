//! Tests of the Markdown facts on small hand-written guides; ranges are checked by slicing the input.

use super::*;

fn heading_texts(facts: &MarkdownFacts) -> Vec<(u8, &str)> {
    facts
        .headings
        .iter()
        .map(|h| (h.level, h.text.as_str()))
        .collect()
}

#[test]
fn empty_and_blank_inputs() {
    for text in ["", "\n", "   \r\n\t", "\u{feff}"] {
        let facts = parse(text);
        assert_eq!(facts, MarkdownFacts::default(), "{text:?}");
        assert_eq!(facts.title(), None);
        assert_eq!(facts.section_of(0), None);
    }
}

#[test]
fn atx_headings_drop_markup_closing_hashes_and_attributes() {
    let text =
        "# Deploy *the* `api` #\n\n## [Rollback](#rollback) {#rollback}\n###   Spaced   ###   \n";
    let facts = parse(text);
    assert_eq!(
        heading_texts(&facts),
        [(1, "Deploy the api"), (2, "Rollback"), (3, "Spaced")]
    );
    let ranges: Vec<&str> = facts.headings.iter().map(|h| h.range.slice(text)).collect();
    assert_eq!(
        ranges,
        [
            "# Deploy *the* `api` #",
            "## [Rollback](#rollback) {#rollback}",
            "###   Spaced   ###"
        ]
    );
}

#[test]
fn braces_that_are_not_attributes_stay_in_the_heading() {
    let text =
        "### GET /items/{item_id}\n## Deploy to {env}\n## Setup {.wide}\n## Keys {data-x=1}\n";
    let facts = parse(text);
    assert_eq!(
        heading_texts(&facts),
        [
            (3, "GET /items/{item_id}"),
            (2, "Deploy to {env}"),
            (2, "Setup"),
            (2, "Keys")
        ]
    );
    assert!(facts
        .plain_text_lower
        .starts_with("get /items/{item_id}\ndeploy to {env}\nsetup\n"));
}

#[test]
fn setext_headings_cover_both_lines() {
    let text = "Deployment\r\nguide\r\n==========\r\n\r\nSteps\n-----\nbody\n";
    let facts = parse(text);
    assert_eq!(
        heading_texts(&facts),
        [(1, "Deployment guide"), (2, "Steps")]
    );
    assert_eq!(
        facts.headings[0].range.slice(text),
        "Deployment\r\nguide\r\n=========="
    );
    assert_eq!(facts.headings[1].range.slice(text), "Steps\n-----");
    assert_eq!(facts.sections[1].body.slice(text), "body\n");
}

#[test]
fn non_ascii_and_indented_headings() {
    let text = "## Déploiement en production\n   ## 回滚\n#\tTabbed\n";
    let facts = parse(text);
    assert_eq!(
        heading_texts(&facts),
        [(2, "Déploiement en production"), (2, "回滚"), (1, "Tabbed")]
    );
    assert_eq!(facts.headings[1].range.slice(text), "## 回滚");
    assert_eq!(facts.headings[2].range.slice(text), "#\tTabbed");
}

#[test]
fn half_typed_heading_is_an_empty_heading() {
    let text = "# Guide\n##";
    let facts = parse(text);
    assert_eq!(heading_texts(&facts), [(1, "Guide"), (2, "")]);
    assert_eq!(facts.headings[1].range.slice(text), "##");
    assert_eq!(facts.sections[1].body, TextRange::empty(text.len()));
    // Seven hashes are not a heading.
    assert!(parse("####### x").headings.is_empty());
}

#[test]
fn sections_nest_by_level() {
    let text = "# Guide\nintro\n## Build\nb\n### Detail\nd\n## Rollback\nr\n# Appendix\n";
    let facts = parse(text);
    let slices: Vec<(&str, &str)> = facts
        .sections
        .iter()
        .map(|s| (s.range.slice(text), s.body.slice(text)))
        .collect();
    assert_eq!(
        slices,
        [
            (
                "# Guide\nintro\n## Build\nb\n### Detail\nd\n## Rollback\nr\n",
                "intro\n## Build\nb\n### Detail\nd\n## Rollback\nr\n"
            ),
            ("## Build\nb\n### Detail\nd\n", "b\n### Detail\nd\n"),
            ("### Detail\nd\n", "d\n"),
            ("## Rollback\nr\n", "r\n"),
            ("# Appendix\n", ""),
        ]
    );
    assert!(facts
        .sections
        .iter()
        .enumerate()
        .all(|(i, s)| s.heading == i));
}

#[test]
fn section_body_starts_after_crlf_and_setext_underline() {
    let text = "## Health checks\r\ncurl /health\r\n";
    let facts = parse(text);
    assert_eq!(facts.sections[0].body.slice(text), "curl /health\r\n");
    assert_eq!(facts.sections[0].range.slice(text), text);
}

#[test]
fn section_of_finds_the_innermost_section() {
    let text = "intro\n# Guide\n## Build\nb\n## Rollback\nr";
    let facts = parse(text);
    assert_eq!(facts.section_of(0), None);
    let at = |needle: &str| {
        facts
            .section_of(text.find(needle).expect("needle in text"))
            .map(|s| facts.headings[s.heading].text.as_str())
    };
    assert_eq!(at("# Guide"), Some("Guide"));
    assert_eq!(at("## Build"), Some("Build"));
    assert_eq!(at("b\n"), Some("Build"));
    assert_eq!(at("## Rollback"), Some("Rollback"));
    // The end of the text still belongs to the last section.
    assert_eq!(facts.section_of(text.len()).map(|s| s.heading), Some(2));
    assert_eq!(facts.section_of(text.len() + 1), None);
}

#[test]
fn title_prefers_the_first_level_one_heading() {
    assert_eq!(
        parse("## Setup\n# Shipping guide\n# Other")
            .title()
            .map(|h| h.text.as_str()),
        Some("Shipping guide")
    );
    assert_eq!(
        parse("### Notes\n## Setup")
            .title()
            .map(|h| h.text.as_str()),
        Some("Notes")
    );
}

#[test]
fn fenced_code_blocks_with_info_strings() {
    let text = "```bash title=\"deploy.sh\"\ncdk deploy\n```\n\n~~~{.python}\nprint(1)\n~~~\n\n```\nplain\n```\n";
    let facts = parse(text);
    let blocks: Vec<(Option<&str>, &str, &str)> = facts
        .code_blocks
        .iter()
        .map(|c| (c.lang.as_deref(), c.range.slice(text), c.content.as_str()))
        .collect();
    assert_eq!(
        blocks,
        [
            (
                Some("bash"),
                "```bash title=\"deploy.sh\"\ncdk deploy\n```",
                "cdk deploy\n"
            ),
            (Some("python"), "~~~{.python}\nprint(1)\n~~~", "print(1)\n"),
            (None, "```\nplain\n```", "plain\n"),
        ]
    );
}

#[test]
fn indented_code_block_starts_at_its_indentation() {
    let text = "Run:\n\n    make deploy\n    make smoke\n\nDone.\n";
    let facts = parse(text);
    assert_eq!(facts.code_blocks.len(), 1);
    let block = &facts.code_blocks[0];
    assert_eq!(block.lang, None);
    assert_eq!(block.range.slice(text), "    make deploy\n    make smoke");
    assert_eq!(block.content, "make deploy\nmake smoke\n");
}

#[test]
fn unclosed_fence_runs_to_the_end() {
    let text = "# Deploy\n```sh\nkubectl apply -f k8s/\n\n";
    let facts = parse(text);
    let block = &facts.code_blocks[0];
    assert_eq!(block.lang.as_deref(), Some("sh"));
    assert_eq!(block.range.slice(text), "```sh\nkubectl apply -f k8s/");
    assert_eq!(block.content, "kubectl apply -f k8s/\n\n");
    assert!(facts.plain_text_lower.contains("kubectl apply"));
}

#[test]
fn headings_inside_code_are_not_headings() {
    let facts = parse("```\n# not a heading\n```\n    # nor this\n");
    assert!(facts.headings.is_empty());
}

#[test]
fn lists_keep_top_level_items_and_nested_lists_separately() {
    let text = "- build\n- deploy\n  1. staging\n  2. prod\n\n* last\n";
    let facts = parse(text);
    let lists: Vec<(bool, &str, Vec<&str>)> = facts
        .lists
        .iter()
        .map(|l| {
            (
                l.ordered,
                l.range.slice(text),
                l.items.iter().map(|i| i.slice(text)).collect(),
            )
        })
        .collect();
    assert_eq!(
        lists,
        [
            (
                false,
                "- build\n- deploy\n  1. staging\n  2. prod",
                vec!["- build", "- deploy\n  1. staging\n  2. prod"]
            ),
            (true, "1. staging\n  2. prod", vec!["1. staging", "2. prod"]),
            (false, "* last", vec!["* last"]),
        ]
    );
}

#[test]
fn task_lists_are_lists() {
    let text = "- [x] tests pass\n- [ ] smoke test\n";
    let facts = parse(text);
    assert_eq!(facts.lists[0].items.len(), 2);
    assert_eq!(facts.plain_text_lower, "tests pass\nsmoke test");
}

#[test]
fn inline_reference_and_autolinks() {
    let text = "See [the runbook](docs/RUNBOOK.md \"t\"), [status][s] and <https://status.example.com>.\n\n\
                [s]: https://example.com/status\n";
    let facts = parse(text);
    let links: Vec<(&str, &str)> = facts
        .links
        .iter()
        .map(|l| (l.dest.as_str(), l.range.slice(text)))
        .collect();
    assert_eq!(
        links,
        [
            ("docs/RUNBOOK.md", "[the runbook](docs/RUNBOOK.md \"t\")"),
            ("https://example.com/status", "[status][s]"),
            ("https://status.example.com", "<https://status.example.com>"),
        ]
    );
    assert_eq!(
        facts.plain_text_lower,
        "see the runbook, status and https://status.example.com."
    );
}

#[test]
fn images_are_not_links() {
    let facts = parse("![diagram](arch.png)");
    assert!(facts.links.is_empty());
    assert_eq!(facts.plain_text_lower, "diagram");
}

#[test]
fn front_matter_is_not_a_heading() {
    let text = "---\ntitle: Deploy\ntags: [aws]\n---\n# Guide\n## Steps\n";
    let facts = parse(text);
    assert_eq!(heading_texts(&facts), [(1, "Guide"), (2, "Steps")]);
    assert_eq!(facts.headings[0].range.slice(text), "# Guide");
    assert!(facts.lists.is_empty());
    assert_eq!(
        facts.plain_text_lower,
        "title: deploy\ntags: [aws]\nguide\nsteps"
    );
}

#[test]
fn dashes_in_the_middle_of_a_document_do_not_swallow_headings() {
    let text = "Intro\n\n---\n## Rollback\nUndo it.\n---\n";
    let facts = parse(text);
    assert_eq!(heading_texts(&facts), [(2, "Rollback"), (2, "Undo it.")]);
}

#[test]
fn byte_order_mark_is_skipped_but_offsets_stay_in_the_original_text() {
    let text = "\u{feff}# Guide\n```sh\nmake\n```\n";
    let facts = parse(text);
    assert_eq!(facts.headings[0].text, "Guide");
    assert_eq!(facts.headings[0].range.slice(text), "# Guide");
    assert_eq!(facts.code_blocks[0].range.slice(text), "```sh\nmake\n```");
    assert_eq!(
        facts.sections[0].range.slice(text),
        "# Guide\n```sh\nmake\n```\n"
    );

    let text = "\u{feff}---\ntitle: x\n---\n## After";
    assert_eq!(parse(text).headings[0].range.slice(text), "## After");
}

#[test]
fn plain_text_separates_blocks_and_cells() {
    let text = "# Health\nCheck **/health**\nthen done.\n\n| Env | URL |\n|---|---|\n| prod | `x` |\n\n<details>\n\
                <summary>Rollback plan</summary>\n\n<!-- hidden note -->\n</details>\n\n- a\n- b\n";
    let facts = parse(text);
    let words: Vec<&str> = facts.plain_text_lower.split_whitespace().collect();
    assert_eq!(
        words,
        [
            "health", "check", "/health", "then", "done.", "env", "url", "prod", "x", "rollback",
            "plan", "a", "b"
        ]
    );
    assert!(!facts.plain_text_lower.contains("summary"));
}

#[test]
fn plain_text_is_lower_cased_unicode() {
    assert_eq!(
        parse("## ÉTAPES\nDÉPLOYER").plain_text_lower,
        "étapes\ndéployer"
    );
}

#[test]
fn headings_in_block_quotes_and_list_items_count() {
    let text = "> ## Note\n> text\n\n- ### Step one\n";
    let facts = parse(text);
    assert_eq!(heading_texts(&facts), [(2, "Note"), (3, "Step one")]);
    assert_eq!(facts.headings[0].range.slice(text), "## Note");
    assert_eq!(facts.headings[1].range.slice(text), "### Step one");
}

#[test]
fn every_range_is_on_char_boundaries_for_odd_inputs() {
    let inputs = [
        "##",
        "# \u{feff}",
        "```",
        "~~~\n",
        "- ",
        "1.",
        "[x](",
        "<http://",
        "---\n",
        "---\na\n",
        "+++\n+++",
        "\r\r\n\r",
        "\t\t# x",
        "# 回滚\r\n====\r\n",
        "| a |\n|---|\n| 回 |",
        "<!-- unclosed\n# Heading",
        "[^1]\n\n[^1]: 注",
        "# a {#",
        "x\n===\n",
        "    \u{00e9}\u{00e9}",
    ];
    for text in inputs {
        let facts = parse(text);
        let ranges = facts
            .headings
            .iter()
            .map(|h| h.range)
            .chain(facts.sections.iter().flat_map(|s| [s.range, s.body]))
            .chain(facts.code_blocks.iter().map(|c| c.range))
            .chain(
                facts
                    .lists
                    .iter()
                    .flat_map(|l| std::iter::once(l.range).chain(l.items.iter().copied())),
            )
            .chain(facts.links.iter().map(|l| l.range));
        for range in ranges {
            assert!(
                text.get(range.start..range.end).is_some(),
                "{text:?}: {range:?}"
            );
        }
        assert_eq!(facts.sections.len(), facts.headings.len());
    }
}

#[test]
fn long_lines_and_deep_nesting_do_not_panic() {
    let long = format!("# {}\n", "deploy ".repeat(50_000));
    assert_eq!(parse(&long).headings.len(), 1);
    let nested = format!("{}x", "> - ".repeat(500));
    let _ = parse(&nested);
    let many = "## s\n".repeat(5_000);
    assert_eq!(parse(&many).sections.len(), 5_000);
}

#[test]
fn code_blocks_know_the_commands_they_run() {
    let text = "## Ship\n\n```bash\nexport AWS_REGION=eu-west-1\ncd infra && cdk deploy --all\n```\n\n```python\nprint('cdk deploy')\n```\n\n    docker compose up -d\n";
    let facts = parse(text);
    let commands: Vec<&[String]> = facts
        .code_blocks
        .iter()
        .map(|b| b.commands.as_slice())
        .collect();
    assert_eq!(
        commands,
        [
            &[
                "export AWS_REGION=eu-west-1",
                "cd infra",
                "cdk deploy --all"
            ][..],
            &[][..],
            &["docker compose up -d"][..],
        ]
    );
}

#[test]
fn front_matter_title_points_at_its_value() {
    let text = "\u{feff}---\nid: install\ntitle: 'Installation'\n---\n\n## Going to Production\n";
    let facts = parse(text);
    let title = facts
        .front_matter_title
        .as_ref()
        .map(|t| (t.value.as_str(), t.range.slice(text)));
    assert_eq!(title, Some(("Installation", "Installation")));
    assert_eq!(parse("# No front matter\n").front_matter_title, None);
}

#[test]
fn inline_code_spans_keep_the_range_of_their_text() {
    let text = "Set `DATABASE_URL` and `` SECRET_KEY `` in a table:\n\n| Name | Use |\n| --- | --- |\n| `PORT` | listen |\n\n```sh\nexport NOT_INLINE=1\n```\n";
    let facts = parse(text);
    let got: Vec<(&str, &str)> = facts
        .inline_code
        .iter()
        .map(|c| (c.value.as_str(), &text[c.range.start..c.range.end]))
        .collect();
    assert_eq!(
        got,
        [
            ("DATABASE_URL", "DATABASE_URL"),
            ("SECRET_KEY", "SECRET_KEY"),
            ("PORT", "PORT")
        ]
    );
}
