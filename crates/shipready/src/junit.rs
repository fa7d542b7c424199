//! `--format junit`: the report as JUnit XML for CI test reports. Each deployable unit is a test suite and each
//! of its checks a test case (class name `shipready.<category>`): a failing check is a failure listing its gaps,
//! a check that does not apply, or fails only through gaps inline suppressions accept, is skipped. The scores
//! are suite properties.

use std::io::{self, Write};

use shipready_analysis::{Report, ReportCheck, ReportUnit};
use shipready_rules::Status;

pub fn render(out: &mut impl Write, r: &Report) -> io::Result<()> {
    let all = r
        .units
        .iter()
        .map(totals)
        .fold((0, 0, 0), |a, b| (a.0 + b.0, a.1 + b.1, a.2 + b.2));
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="shipready" tests="{}" failures="{}" errors="0" skipped="{}">"#,
        all.0, all.1, all.2
    )?;
    for u in &r.units {
        let (tests, failures, skipped) = totals(u);
        writeln!(
            out,
            r#"  <testsuite name="{}" tests="{tests}" failures="{failures}" errors="0" skipped="{skipped}">"#,
            attr(&format!("shipready: {}", u.name)),
        )?;
        writeln!(out, "    <properties>")?;
        let props = [
            ("unit", u.name.clone()),
            ("kinds", u.kinds.join(",")),
            ("score", format!("{:.2}", u.overall)),
            ("band", u.band.to_owned()),
            ("workspace_score", format!("{:.2}", r.overall)),
            ("profile", r.profile.to_owned()),
        ];
        for (name, value) in props {
            writeln!(
                out,
                r#"      <property name="{name}" value="{}"/>"#,
                attr(&value)
            )?;
        }
        writeln!(out, "    </properties>")?;
        for c in &u.categories {
            for k in &c.checks {
                // The file of the check's first gap, else of its first evidence.
                let file = u
                    .findings
                    .iter()
                    .filter(|f| f.code == k.code)
                    .find_map(|f| f.file.as_deref())
                    .or(k.evidence.first().map(String::as_str))
                    .map(|f| format!(r#" file="{}""#, attr(f)))
                    .unwrap_or_default();
                let open = format!(
                    r#"    <testcase classname="shipready.{}" name="{}"{file}"#,
                    c.id,
                    attr(&format!("{} {}", k.code, k.name)),
                );
                match outcome(u, k) {
                    Case::Pass => writeln!(out, "{open}/>")?,
                    Case::Skipped(why) => {
                        writeln!(out, "{open}>")?;
                        writeln!(out, r#"      <skipped message="{}"/>"#, attr(&why))?;
                        writeln!(out, "    </testcase>")?;
                    }
                    Case::Fail => {
                        writeln!(out, "{open}>")?;
                        writeln!(
                            out,
                            r#"      <failure message="{}" type="{}">{}</failure>"#,
                            attr(&format!("{}: {}", k.title, k.details)),
                            k.code,
                            text(&gaps(u, k.code))
                        )?;
                        writeln!(out, "    </testcase>")?;
                    }
                }
            }
        }
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")
}

/// What a check is as a test case.
enum Case {
    Pass,
    Fail,
    /// Not applicable, or failing only through gaps inline suppressions accept.
    Skipped(String),
}

fn outcome(u: &ReportUnit, k: &ReportCheck) -> Case {
    match k.status {
        Status::Pass => Case::Pass,
        Status::NotApplicable => Case::Skipped(format!("not applicable: {}", k.details)),
        Status::Fail => {
            let gaps: Vec<_> = u.findings.iter().filter(|f| f.code == k.code).collect();
            let accepted: Vec<&str> = gaps
                .iter()
                .filter_map(|f| f.suppressed.as_deref())
                .collect();
            if !gaps.is_empty() && accepted.len() == gaps.len() {
                Case::Skipped(format!("suppressed: {}", accepted.join("; ")))
            } else {
                Case::Fail
            }
        }
    }
}

/// `(tests, failures, skipped)` of a unit.
fn totals(u: &ReportUnit) -> (usize, usize, usize) {
    let mut t = (0, 0, 0);
    for k in u.categories.iter().flat_map(|c| &c.checks) {
        t.0 += 1;
        match outcome(u, k) {
            Case::Pass => {}
            Case::Fail => t.1 += 1,
            Case::Skipped(_) => t.2 += 1,
        }
    }
    t
}

/// The gaps of check `code` in unit `u`, one per line: `SEVERITY file:line:column message [points]`.
fn gaps(u: &ReportUnit, code: &str) -> String {
    let mut lines = Vec::new();
    for f in u.findings.iter().filter(|f| f.code == code) {
        let place = match (&f.file, &f.range) {
            (Some(file), Some(r)) => format!("{file}:{}:{}", r.start.line, r.start.column),
            (Some(file), None) => file.clone(),
            (None, _) => "(workspace)".to_owned(),
        };
        let accepted = match &f.suppressed {
            Some(reason) => format!(" (suppressed: {reason})"),
            None => String::new(),
        };
        lines.push(format!(
            "{} {place} {} [{:.2} points]{accepted}",
            f.severity, f.message, f.points
        ));
    }
    lines.join("\n")
}

/// Text for an attribute value: markup characters and line breaks escaped, characters XML 1.0 cannot carry
/// dropped.
fn attr(s: &str) -> String {
    escape(s)
}

/// Text for element content, as CDATA (JUnit consumers show it verbatim); a `]]>` inside is split across
/// two sections.
fn text(s: &str) -> String {
    let clean: String = s.chars().filter(|&c| xml_char(c)).collect();
    format!("<![CDATA[{}]]>", clean.replace("]]>", "]]]]><![CDATA[>"))
}

/// Whether XML 1.0 can carry `c`.
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().filter(|&c| xml_char(c)) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c => out.push(c),
        }
    }
    out
}
