//! Queries the language server asks about one file: the findings in a range and the fixes they carry.

use shipready_rules::{Applicability, Edit, Finding, Fix, SourceFile, WorkspaceAudit as Audit};
use shipready_text::TextRange;

/// Findings of `file` whose range intersects `range` (a cursor or a selection).
pub fn findings_in_range<'a>(
    audit: &'a Audit,
    file: &'a str,
    range: TextRange,
) -> impl Iterator<Item = &'a Finding> {
    audit
        .findings_in(file)
        .filter(move |f| f.range.is_some_and(|r| r.intersects(range)))
}

/// The safe fixes of every finding anchored in `file`, once each (several findings may carry the same fix).
pub fn safe_fixes<'a>(audit: &'a Audit, file: &'a str) -> Vec<&'a Fix> {
    let mut fixes: Vec<&Fix> = Vec::new();
    for fix in audit.findings_in(file).filter_map(|f| f.fix.as_ref()) {
        if fix.applicability == Applicability::Safe && !fixes.contains(&fix) {
            fixes.push(fix);
        }
    }
    fixes
}

/// The fix that accepts `finding` where it is: a `shipready: ignore[CODE]` comment on its own line above the
/// finding's line, in the file's comment syntax, indentation and line ending. `None` for formats without
/// comments (`cdk.json`) and findings without a place.
pub fn ignore_fix(file: &SourceFile, finding: &Finding) -> Option<Fix> {
    let at = finding.range?.start.min(file.text.len());
    let text = &*file.text;
    let line_start = text[..at].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let line = &text[line_start..];
    let indent: String = line
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let line_break = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let comment = shipready_rules::suppress::comment_for(file, finding.code, &indent, line_break)?;
    Some(Fix {
        title: format!(
            "Ignore {} on this line (shipready: ignore comment)",
            finding.code
        ),
        applicability: Applicability::Unsafe,
        edits: vec![Edit::Replace {
            file: file.path.clone(),
            range: TextRange::empty(line_start),
            new_text: comment,
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Analysis, Profile};

    #[test]
    fn only_findings_touching_the_range_are_returned() {
        let text = "from fastapi import FastAPI\napp = FastAPI()\n";
        let mut a = Analysis::new("/w", Profile::Standard);
        a.set_file_text("app/main.py", text);
        let audit = a.audit();
        let at = text.find("app =").unwrap_or(0);
        let hit: Vec<&str> = findings_in_range(&audit, "app/main.py", TextRange::empty(at))
            .map(|f| f.code)
            .collect();
        assert!(hit.contains(&"HC001"), "{hit:?}");
        let miss = findings_in_range(&audit, "app/main.py", TextRange::empty(0)).count();
        assert_eq!(miss, 0);
    }

    #[test]
    fn an_ignore_comment_above_the_line_suppresses_the_finding_and_is_used() {
        let text = "from fastapi import FastAPI\n\n    \napp = FastAPI()\n";
        let mut a = Analysis::new("/w", Profile::Standard);
        a.set_file_text("main.py", text);
        let audit = a.audit();
        let hc001 = audit.findings().iter().find(|f| f.code == "HC001").cloned();
        let file = a.file("main.py").cloned();
        let (Some(hc001), Some(file)) = (hc001, file) else {
            panic!("no HC001 finding or no file");
        };
        let Some(fix) = ignore_fix(&file, &hc001) else {
            panic!("no ignore fix");
        };
        let Some(Edit::Replace {
            range, new_text, ..
        }) = fix.edits.first()
        else {
            panic!("not an insertion");
        };
        let mut edited = text.to_owned();
        edited.insert_str(range.start, new_text);
        assert_eq!(
            edited,
            "from fastapi import FastAPI\n\n    \n# shipready: ignore[HC001] <why this gap is accepted>\napp = FastAPI()\n"
        );
        a.set_file_text("main.py", edited.as_str());
        let after = a.audit();
        let suppressed: Vec<&str> = after
            .findings()
            .iter()
            .filter(|f| f.suppressed.is_some())
            .map(|f| f.code)
            .collect();
        assert_eq!(suppressed, ["HC001"]);
        assert!(after.unused_suppressions.is_empty());
        // The score does not move: a suppressed gap still costs its points.
        assert_eq!(after.score.overall, audit.score.overall);
    }
}
