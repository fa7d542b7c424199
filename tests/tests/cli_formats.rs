//! The output formats of `shipready check`, each parsed back by a real consumer and compared with the JSON
//! report of the same workspace: SARIF validated against the official SARIF 2.1.0 schema, GitHub workflow
//! commands parsed as the runner parses them, JUnit XML read by a JUnit parser, GitLab code quality checked
//! against the fields GitLab requires, Markdown for a pull-request comment; and the `--fail-on` gate.

use std::path::PathBuf;
use std::process::Command;

use serde_json::{json, Value};
use shipready_e2e::cli::{fixture, repo_root, rule_codes, shipready, shipready_env, Run};

/// Workspaces of every shape: the seed example, one app with fixes to offer, three units beside set-aside
/// files.
const WORKSPACES: [&str; 3] = ["seed-example", "fix-app", "units-two"];

fn check(dir: &str, format: &str) -> Run {
    let path = fixture(dir);
    let run = shipready(&["check", &path.to_string_lossy(), "--format", format]);
    assert_eq!(run.code, Some(0), "{dir} --format {format}: {run:#?}");
    run
}

fn json_report(dir: &str) -> Value {
    check(dir, "json").json()
}

/// The official SARIF 2.1.0 schema, fetched from its registry package into the test cache on first use.
fn sarif_schema() -> Value {
    let script = repo_root().join("tests/tools/sarif-schema.sh");
    let out = Command::new("bash")
        .arg(&script)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", script.display()));
    assert!(
        out.status.success(),
        "{}: {}",
        script.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let path = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut schema: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    // Two `language` patterns end in an unescaped `]`, which JavaScript regexes (ECMA-262 Annex B) read as a
    // literal and Rust's regex syntax refuses. Escaping it keeps the JavaScript meaning exactly.
    let patched = escape_stray_bracket(&mut schema);
    assert_eq!(patched, 2, "the two known `language` patterns");
    schema
}

fn escape_stray_bracket(v: &mut Value) -> usize {
    const STRAY: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
    match v {
        Value::Object(map) => {
            let mut n = 0;
            for (key, value) in map.iter_mut() {
                if key == "pattern" && value == STRAY {
                    *value = json!("^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$");
                    n += 1;
                } else {
                    n += escape_stray_bracket(value);
                }
            }
            n
        }
        Value::Array(items) => items.iter_mut().map(escape_stray_bracket).sum(),
        _ => 0,
    }
}

/// The byte offset of a 1-based line and 1-based UTF-16 column in `text` (lines end at `\n`).
fn offset(text: &str, line: &Value, column: &Value) -> usize {
    let line = line.as_u64().unwrap_or(1) as usize;
    let column = column.as_u64().unwrap_or(1) as usize;
    let start: usize = text
        .split_inclusive('\n')
        .take(line - 1)
        .map(str::len)
        .sum();
    let mut units = 0;
    for (i, c) in text[start..].char_indices() {
        if units >= column - 1 || c == '\n' {
            return start + i;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// What a CommonMark reader sees in a Markdown report: level-3 headings (their text), tables, link targets.
struct Outline {
    h3: Vec<String>,
    tables: usize,
    links: Vec<String>,
}

fn outline(md: &str) -> Outline {
    use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
    let mut out = Outline {
        h3: Vec::new(),
        tables: 0,
        links: Vec::new(),
    };
    let mut heading: Option<String> = None;
    for event in Parser::new_ext(md, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H3,
                ..
            }) => heading = Some(String::new()),
            Event::End(TagEnd::Heading(HeadingLevel::H3)) => out.h3.extend(heading.take()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = heading.as_mut() {
                    h.push_str(&t);
                }
            }
            Event::Start(Tag::Table(_)) => out.tables += 1,
            Event::Start(Tag::Link { dest_url, .. }) => out.links.push(dest_url.to_string()),
            _ => {}
        }
    }
    out
}

/// The findings of a JSON report no inline suppression accepts.
fn open_findings(report: &Value) -> Vec<Value> {
    report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["suppressed"].is_null())
        .cloned()
        .collect()
}

/// `(file, startLine, startColumn, endLine, endColumn)` of a JSON report finding.
fn place(f: &Value) -> (String, u64, u64, u64, u64) {
    let r = &f["range"];
    let n = |v: &Value| v.as_u64().unwrap_or(0);
    (
        f["file"].as_str().unwrap_or("").to_owned(),
        n(&r["start"]["line"]),
        n(&r["start"]["column"]),
        n(&r["end"]["line"]),
        n(&r["end"]["column"]),
    )
}

#[test]
fn sarif_is_valid_sarif_2_1_0_with_rules_regions_fixes_units_and_the_score() {
    let schema = sarif_schema();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap_or_else(|e| panic!("the SARIF schema does not compile: {e}"));
    let mut fixes = 0;
    let mut suppressed = 0;
    for dir in WORKSPACES {
        let log = check(dir, "sarif").json();
        let errors: Vec<String> = validator
            .iter_errors(&log)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{dir}: {errors:#?}");
        // The validator does reject what the schema forbids.
        let mut broken = log.clone();
        broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
            ["startLine"] = json!(0);
        broken["runs"][0]["tool"]["driver"]["rules"][0]["helpUri"] = json!("not a uri");
        assert_eq!(validator.iter_errors(&broken).count(), 2, "{dir}");
        let report = json_report(dir);
        let run = &log["runs"][0];
        assert_eq!(run["properties"]["score"], report["overall"], "{dir}");
        assert_eq!(run["properties"]["band"], report["band"], "{dir}");
        assert_eq!(run["columnKind"], "utf16CodeUnits");
        let rules = run["tool"]["driver"]["rules"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert_eq!(rules.len(), rule_codes().len(), "every rule is described");
        for rule in &rules {
            let id = rule["id"].as_str().unwrap_or("");
            let uri = rule["helpUri"].as_str().unwrap_or("");
            assert!(uri.ends_with(&format!("/docs/rules/{id}.md")), "{uri}");
            assert!(
                repo_root().join(format!("docs/rules/{id}.md")).is_file(),
                "{id}"
            );
            assert!(rule["shortDescription"]["text"].is_string());
        }
        let findings = report["findings"].as_array().cloned().unwrap_or_default();
        let results = run["results"].as_array().cloned().unwrap_or_default();
        assert_eq!(results.len(), findings.len(), "{dir}");
        for (f, r) in findings.iter().zip(&results) {
            assert_eq!(r["ruleId"], f["code"]);
            // An inline suppression is an in-source SARIF suppression with its reason.
            match f["suppressed"].as_str() {
                Some(reason) => {
                    assert_eq!(r["suppressions"][0]["kind"], "inSource");
                    assert_eq!(r["suppressions"][0]["justification"], reason);
                    suppressed += 1;
                }
                None => assert!(r["suppressions"].is_null()),
            }
            let index = r["ruleIndex"].as_u64().unwrap_or(999) as usize;
            assert_eq!(
                rules[index]["id"], f["code"],
                "ruleIndex points at the rule"
            );
            assert_eq!(r["message"]["text"], f["message"]);
            assert_eq!(
                r["properties"]["unit"], f["unit"],
                "{dir}: the unit is carried"
            );
            let loc = &r["locations"][0]["physicalLocation"];
            let region = &loc["region"];
            let n = |v: &Value| v.as_u64().unwrap_or(0);
            assert_eq!(
                (
                    loc["artifactLocation"]["uri"]
                        .as_str()
                        .unwrap_or("")
                        .to_owned(),
                    n(&region["startLine"]),
                    n(&region["startColumn"]),
                    n(&region["endLine"]),
                    n(&region["endColumn"]),
                ),
                place(f),
                "{dir}: the exact region"
            );
            assert_eq!(loc["artifactLocation"]["uriBaseId"], "SRCROOT");
            if !f["fix"].is_null() {
                fixes += 1;
                let fix = &r["fixes"][0];
                assert_eq!(fix["description"]["text"], f["fix"]["title"]);
                // Each replacement's region, read back in UTF-16 columns, is the JSON edit's byte range.
                let replacements: Vec<(String, usize, usize, String)> = fix["artifactChanges"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .flat_map(|c| {
                        let file = c["artifactLocation"]["uri"]
                            .as_str()
                            .unwrap_or("")
                            .to_owned();
                        let text =
                            std::fs::read_to_string(fixture(dir).join(&file)).unwrap_or_default();
                        c["replacements"]
                            .as_array()
                            .into_iter()
                            .flatten()
                            .map(move |r| {
                                let d = &r["deletedRegion"];
                                let at = |l: &Value, c: &Value| offset(&text, l, c);
                                let start = at(&d["startLine"], &d["startColumn"]);
                                let end = at(&d["endLine"], &d["endColumn"]);
                                let new = r["insertedContent"]["text"]
                                    .as_str()
                                    .unwrap_or("")
                                    .to_owned();
                                (file.clone(), start, end, new)
                            })
                    })
                    .collect();
                let edits: Vec<(String, usize, usize, String)> = f["fix"]["edits"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|e| {
                        let n = |v: &Value| v.as_u64().unwrap_or(0) as usize;
                        let new = e["new_text"]
                            .as_str()
                            .or(e["contents"].as_str())
                            .unwrap_or("");
                        let file = e["file"].as_str().unwrap_or("").to_owned();
                        (
                            file,
                            n(&e["range"]["start"]),
                            n(&e["range"]["end"]),
                            new.to_owned(),
                        )
                    })
                    .collect();
                let mut sorted = replacements.clone();
                let mut expected = edits.clone();
                sorted.sort();
                expected.sort();
                assert_eq!(sorted, expected, "{dir}: {}", f["code"]);
            }
        }
        let units: Vec<&Value> = run["properties"]["units"]
            .as_array()
            .map(|u| u.iter().collect())
            .unwrap_or_default();
        assert_eq!(units.len(), report["units"].as_array().map_or(0, Vec::len));
    }
    assert!(fixes > 0, "some result carries a fix");
    assert!(suppressed > 0, "fix-app suppresses a gap");
}

/// One workflow command, parsed as the Actions runner parses `::name k=v,k=v::message`.
#[derive(Debug)]
struct Workflow {
    name: String,
    props: Vec<(String, String)>,
    message: String,
}

fn unescape(s: &str) -> String {
    s.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

fn parse_command(line: &str) -> Option<Workflow> {
    let rest = line.strip_prefix("::")?;
    let (head, message) = rest.split_once("::")?;
    let (name, props) = head.split_once(' ').unwrap_or((head, ""));
    let props = props
        .split(',')
        .filter(|p| !p.is_empty())
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| (k.to_owned(), unescape(v)))
        .collect();
    Some(Workflow {
        name: name.to_owned(),
        props,
        message: unescape(message),
    })
}

#[test]
fn github_annotations_parse_back_to_the_findings_and_the_summary_is_written() {
    for dir in WORKSPACES {
        let temp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let summary = temp.path().join("summary.md");
        std::fs::write(&summary, "earlier step\n").unwrap_or_else(|e| panic!("{e}"));
        let path = fixture(dir);
        let run = shipready_env(
            &["check", &path.to_string_lossy(), "--format", "github"],
            &[("GITHUB_STEP_SUMMARY", summary.as_path())],
        );
        assert_eq!(run.code, Some(0), "{run:#?}");
        let commands: Vec<Workflow> = run
            .stdout
            .lines()
            .map(|l| parse_command(l).unwrap_or_else(|| panic!("not a workflow command: {l}")))
            .collect();
        let report = json_report(dir);
        // Suppressed gaps are accepted: no annotation.
        let findings: Vec<Value> = open_findings(&report);
        let several = report["units"].as_array().map_or(0, Vec::len) > 1;
        assert_eq!(
            commands.len(),
            findings.len() + 1,
            "{dir}: one per gap, plus the score"
        );
        for (f, c) in findings.iter().zip(&commands) {
            let expected = match f["severity"].as_str() {
                Some("CRITICAL" | "HIGH") => "error",
                Some("MEDIUM") => "warning",
                _ => "notice",
            };
            assert_eq!(c.name, expected);
            let get = |k: &str| c.props.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
            let (file, line, col, end_line, end_col) = place(f);
            let num = |k: &str| get(k).and_then(|v| v.parse::<u64>().ok());
            assert_eq!(get("file"), Some(file));
            assert_eq!(num("line"), Some(line));
            assert_eq!(num("col"), Some(col));
            assert_eq!(num("endLine"), Some(end_line));
            assert_eq!(num("endColumn"), Some(end_col));
            let title = get("title").unwrap_or_default();
            assert!(
                title.starts_with(f["code"].as_str().unwrap_or("?")),
                "{title}"
            );
            if several {
                let unit = format!("unit {}", f["unit"].as_str().unwrap_or("?"));
                assert!(title.contains(&unit), "{title}");
            }
            let message = f["message"].as_str().unwrap_or("");
            assert!(c.message.starts_with(message), "{c:?}");
        }
        let last = commands
            .last()
            .map(|c| c.message.clone())
            .unwrap_or_default();
        assert!(
            last.contains(&format!(
                "{:.2}/100",
                report["overall"].as_f64().unwrap_or(-1.0)
            )),
            "{last}"
        );
        let written = std::fs::read_to_string(&summary).unwrap_or_default();
        assert!(
            written.starts_with("earlier step\n"),
            "appended, not replaced"
        );
        assert!(written.contains("Deployment readiness"), "{written}");
    }
    // Without $GITHUB_STEP_SUMMARY nothing but stdout is written.
    let run = check("seed-example", "github");
    assert!(run.stdout.lines().all(|l| l.starts_with("::")));
}

#[test]
fn junit_is_read_by_a_junit_parser_one_suite_per_unit_one_case_per_check() {
    for dir in WORKSPACES {
        let run = check(dir, "junit");
        let suites = junit_parser::from_reader(std::io::Cursor::new(run.stdout.as_bytes()))
            .unwrap_or_else(|e| panic!("{dir}: not JUnit XML: {e}\n{}", run.stdout));
        let report = json_report(dir);
        let units = report["units"].as_array().cloned().unwrap_or_default();
        assert_eq!(suites.suites.len(), units.len(), "{dir}");
        let mut failures = 0;
        for (suite, unit) in suites.suites.iter().zip(&units) {
            assert_eq!(
                suite.name,
                format!("shipready: {}", unit["name"].as_str().unwrap_or("?"))
            );
            assert_eq!(
                suite.properties.hashmap.get("score").map(String::as_str),
                Some(format!("{:.2}", unit["overall"].as_f64().unwrap_or(-1.0)).as_str())
            );
            let checks: Vec<&Value> = unit["categories"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|c| c["checks"].as_array())
                .flatten()
                .collect();
            assert_eq!(suite.cases.len(), checks.len());
            for (case, k) in suite.cases.iter().zip(&checks) {
                let code = k["code"].as_str().unwrap_or("?");
                assert_eq!(
                    case.classname.as_deref(),
                    Some(format!("shipready.{}", category_of(unit, code)).as_str())
                );
                assert!(
                    case.original_name.starts_with(code),
                    "{}",
                    case.original_name
                );
                match k["status"].as_str() {
                    Some("fail") => {
                        let gaps: Vec<&Value> = unit["findings"]
                            .as_array()
                            .into_iter()
                            .flatten()
                            .filter(|f| f["code"] == code)
                            .collect();
                        // A check failing only through suppressed gaps is accepted: skipped.
                        if gaps.iter().all(|f| f["suppressed"].is_string()) && !gaps.is_empty() {
                            assert!(case.status.is_skipped(), "{code}");
                            continue;
                        }
                        failures += 1;
                        assert!(case.status.is_failure(), "{code}");
                        let text = &case.status.failure_as_ref().text;
                        assert_eq!(text.lines().count(), gaps.len(), "{code}: {text}");
                    }
                    Some("pass") => assert!(case.status.is_success(), "{code}"),
                    _ => assert!(case.status.is_skipped(), "{code}"),
                }
            }
            assert_eq!(
                suite.failures as usize,
                suite.cases.iter().filter(|c| c.status.is_failure()).count()
            );
        }
        assert_eq!(suites.failures as usize, failures, "{dir}");
    }
}

/// The category id of check `code` in a unit of the JSON report.
fn category_of(unit: &Value, code: &str) -> String {
    unit["categories"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| {
            c["checks"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|k| k["code"] == code)
        })
        .and_then(|c| c["id"].as_str())
        .unwrap_or("?")
        .to_owned()
}

/// The fields GitLab reads from a code quality report (its documented "Code Quality report format").
fn gitlab_schema() -> Value {
    json!({
        "type": "array",
        "items": {
            "type": "object",
            "required": ["description", "check_name", "fingerprint", "severity", "location"],
            "properties": {
                "description": { "type": "string", "minLength": 1 },
                "check_name": { "type": "string", "minLength": 1 },
                "fingerprint": { "type": "string", "minLength": 1 },
                "severity": { "enum": ["info", "minor", "major", "critical", "blocker"] },
                "location": {
                    "type": "object",
                    "required": ["path"],
                    "properties": {
                        "path": { "type": "string", "minLength": 1 },
                        "lines": { "type": "object", "required": ["begin"],
                                   "properties": { "begin": { "type": "integer", "minimum": 1 } } },
                        "positions": { "type": "object", "required": ["begin"],
                                       "properties": { "begin": { "type": "object", "required": ["line"],
                                           "properties": { "line": { "type": "integer", "minimum": 1 } } } } }
                    },
                    "oneOf": [{ "required": ["lines"] }, { "required": ["positions"] }]
                }
            }
        }
    })
}

#[test]
fn gitlab_code_quality_has_the_fields_gitlab_reads_and_unique_stable_fingerprints() {
    let validator = jsonschema::validator_for(&gitlab_schema()).unwrap_or_else(|e| panic!("{e}"));
    for dir in WORKSPACES {
        let issues = check(dir, "gitlab").json();
        let errors: Vec<String> = validator
            .iter_errors(&issues)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{dir}: {errors:#?}");
        let report = json_report(dir);
        let findings = open_findings(&report);
        let issues = issues.as_array().cloned().unwrap_or_default();
        assert_eq!(issues.len(), findings.len());
        for (f, i) in findings.iter().zip(&issues) {
            let (file, line, ..) = place(f);
            assert_eq!(i["location"]["path"], file.as_str());
            assert_eq!(i["location"]["positions"]["begin"]["line"], line);
        }
        let mut prints: Vec<&str> = issues
            .iter()
            .filter_map(|i| i["fingerprint"].as_str())
            .collect();
        let again = check(dir, "gitlab").json();
        let again: Vec<&str> = again
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|i| i["fingerprint"].as_str())
            .collect();
        assert_eq!(prints, again, "stable across runs");
        prints.sort();
        prints.dedup();
        assert_eq!(prints.len(), issues.len(), "{dir}: unique");
    }
}

#[test]
fn markdown_is_a_pull_request_comment_with_units_gaps_and_rule_links() {
    let md = check("units-two", "markdown").stdout;
    let report = json_report("units-two");
    assert!(md.starts_with("## "), "{md}");
    assert!(md.contains(&format!(
        "{:.2}/100",
        report["overall"].as_f64().unwrap_or(-1.0)
    )));
    for unit in report["units"].as_array().into_iter().flatten() {
        let name = unit["name"].as_str().unwrap_or("?");
        assert!(
            md.contains(&format!("### Unit `{name}`")),
            "a section per unit: {name}"
        );
    }
    for f in report["findings"].as_array().into_iter().flatten() {
        let code = f["code"].as_str().unwrap_or("?");
        assert!(md.contains(&format!(
            "[{code}](https://github.com/shipready/shipready/blob/main/docs/rules/{code}.md)"
        )));
    }
    assert!(md.contains("Set aside"), "{md}");
    // Read as CommonMark with GFM tables: a unit table plus a gap table per unit with gaps, a level-3 heading per
    // unit, and every rule link a real link to the rule's page.
    let outline = outline(&md);
    let units = report["units"].as_array().cloned().unwrap_or_default();
    let headings: Vec<String> = units
        .iter()
        .map(|u| format!("Unit {}: ", u["name"].as_str().unwrap_or("?")))
        .collect();
    assert_eq!(outline.h3.len(), units.len(), "{:?}", outline.h3);
    for (h, want) in outline.h3.iter().zip(&headings) {
        assert!(h.starts_with(want.as_str()), "{h} / {want}");
    }
    let with_gaps = units
        .iter()
        .filter(|u| u["findings"].as_array().is_some_and(|f| !f.is_empty()))
        .count();
    assert_eq!(outline.tables, 1 + with_gaps);
    for f in report["findings"].as_array().into_iter().flatten() {
        let url = format!(
            "https://github.com/shipready/shipready/blob/main/docs/rules/{}.md",
            f["code"].as_str().unwrap_or("?")
        );
        assert!(outline.links.contains(&url), "{url}");
    }
    // Every table row has as many cells as its header.
    for table in md.split("\n\n").filter(|b| b.starts_with('|')) {
        let cells = |l: &str| l.matches('|').count() - l.matches("\\|").count();
        let width = cells(table.lines().next().unwrap_or(""));
        assert!(table.lines().all(|l| cells(l) == width), "{table}");
    }
    let fixed = check("fix-app", "markdown").stdout;
    assert!(
        fixed.contains("Suppressed (1, still counted in the score)"),
        "{fixed}"
    );
    assert!(
        fixed.contains("the database is probed by the platform"),
        "{fixed}"
    );
    let single = check("seed-example", "markdown").stdout;
    assert!(single.contains("| Health Check Endpoints |"), "{single}");
    assert!(single.contains("HC003"));
}

#[test]
fn fail_on_gates_on_the_most_serious_gap() {
    let seed = fixture("seed-example");
    let seed = seed.to_string_lossy();
    // The seed example's most serious gap is HIGH (HC003).
    let high = shipready(&["check", &seed, "--profile", "seed", "--fail-on", "high"]);
    assert_eq!(high.code, Some(1), "{high:#?}");
    assert!(high.stderr.contains("--fail-on high"), "{}", high.stderr);
    let critical = shipready(&["check", &seed, "--profile", "seed", "--fail-on", "critical"]);
    assert_eq!(critical.code, Some(0), "{critical:#?}");
    let both = shipready(&[
        "check",
        &seed,
        "--profile",
        "seed",
        "--fail-on",
        "critical",
        "--min-score",
        "90",
    ]);
    assert_eq!(both.code, Some(1));
    let bad = shipready(&["check", &seed, "--fail-on", "severe"]);
    assert_eq!(bad.code, Some(2), "{bad:#?}");
}

#[test]
fn check_help_lists_every_format_and_flag() {
    let help = shipready(&["check", "--help"]);
    assert_eq!(help.code, Some(0));
    for word in [
        "sarif",
        "github",
        "junit",
        "gitlab",
        "markdown",
        "--fail-on",
        "--fix",
        "--diff",
        "--unsafe-fixes",
        "--min-score",
    ] {
        assert!(help.stdout.contains(word), "{word}: {}", help.stdout);
    }
}

#[test]
fn fail_on_counts_only_gaps_no_suppression_accepts() {
    let temp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = temp.path();
    for file in [
        "Dockerfile",
        "compose.yaml",
        "DEPLOYMENT.md",
        "requirements.txt",
        "app/__init__.py",
        "app/main.py",
    ] {
        let to = root.join(file);
        std::fs::create_dir_all(to.parent().unwrap_or(root)).unwrap_or_else(|e| panic!("{e}"));
        std::fs::copy(fixture("fix-app").join(file), &to).unwrap_or_else(|e| panic!("{file}: {e}"));
    }
    let dir = root.to_string_lossy().into_owned();
    let before = shipready(&["check", &dir, "--fail-on", "critical"]);
    assert_eq!(
        before.code,
        Some(1),
        "fix-app has CRITICAL gaps: {before:#?}"
    );
    // Accept every CRITICAL gap where it is.
    let report = shipready(&["check", &dir, "--format", "json"]).json();
    for f in open_findings(&report)
        .iter()
        .filter(|f| f["severity"] == "CRITICAL")
    {
        let file = f["file"].as_str().unwrap_or("?");
        let line = f["range"]["start"]["line"].as_u64().unwrap_or(1) as usize;
        let path = root.join(file);
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        let code = f["code"].as_str().unwrap_or("?");
        lines[line - 1].push_str(&format!(
            "  # shipready: ignore[{code}] accepted for this test"
        ));
        std::fs::write(&path, lines.join("\n") + "\n").unwrap_or_else(|e| panic!("{e}"));
    }
    let after = shipready(&["check", &dir, "--fail-on", "critical", "--format", "json"]);
    let accepted = after.json()["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["severity"] == "CRITICAL")
        .all(|f| f["suppressed"].is_string());
    assert!(accepted, "{}", after.stdout);
    assert_eq!(after.code, Some(0), "{after:#?}");
    let high = shipready(&["check", &dir, "--fail-on", "high"]);
    assert_eq!(high.code, Some(1), "open HIGH gaps remain");
}
