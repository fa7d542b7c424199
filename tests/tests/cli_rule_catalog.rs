//! The rule catalog: `shipready rules` lists the 61 rules, `shipready explain CODE` prints a rule's page, and
//! the committed pages in `docs/rules/` are exactly what `explain` prints (regenerate them with
//! `cargo run -p shipready -- rules --write-docs docs/rules`).

use shipready_e2e::cli::{repo_root, rule_codes as codes, shipready};

#[test]
fn rules_json_lists_all_38_rules_with_their_metadata() {
    let run = shipready(&["rules", "--format", "json"]);
    let rules = run.json();
    let rules = rules.as_array().cloned().unwrap_or_default();
    assert_eq!(rules.len(), 61);
    for rule in &rules {
        for field in ["code", "name", "category", "severity", "title", "summary"] {
            let value = rule[field].as_str().unwrap_or_default();
            assert!(!value.is_empty(), "{field} of {rule}");
        }
    }
    let unscored: Vec<&str> = rules
        .iter()
        .filter(|r| r["scored"] == false)
        .filter_map(|r| r["code"].as_str())
        .collect();
    assert_eq!(unscored, ["GD001"]);
    let text = shipready(&["rules"]);
    assert_eq!(text.stdout.lines().count(), 61, "{}", text.stdout);
}

#[test]
fn explain_prints_the_rule_page() {
    let run = shipready(&["explain", "HC001"]);
    assert_eq!(run.code, Some(0), "{run:#?}");
    assert!(
        run.stdout
            .starts_with("# HC001 no-health-route: No health route\n"),
        "{}",
        run.stdout
    );
    for heading in [
        "## What it checks",
        "## Why it matters",
        "## Example",
        "## Fix",
        "## Impact",
        "## Recommendation",
    ] {
        assert!(
            run.stdout.contains(heading),
            "{heading} missing:\n{}",
            run.stdout
        );
    }
    // Codes are case-insensitive and names work too.
    assert_eq!(shipready(&["explain", "hc001"]).stdout, run.stdout);
    assert_eq!(
        shipready(&["explain", "no-health-route"]).stdout,
        run.stdout
    );
}

#[test]
fn docs_rules_pages_match_explain() {
    let docs = repo_root().join("docs/rules");
    let codes = codes();
    assert_eq!(codes.len(), 61);
    for code in &codes {
        let path = docs.join(format!("{code}.md"));
        let page = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "{}: {e} (run `cargo run -p shipready -- rules --write-docs docs/rules`)",
                path.display()
            )
        });
        let explained = shipready(&["explain", code]);
        assert_eq!(
            page,
            explained.stdout,
            "{} is stale: regenerate it",
            path.display()
        );
    }
    let pages = std::fs::read_dir(&docs)
        .map(|entries| {
            entries
                .flatten()
                .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
                .count()
        })
        .unwrap_or_default();
    assert_eq!(
        pages,
        codes.len(),
        "docs/rules has pages for rules that do not exist"
    );
}
