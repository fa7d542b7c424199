//! Queries the language server asks about one file: the findings in a range and the fixes they carry.

use shipready_rules::{Applicability, Finding, Fix, WorkspaceAudit as Audit};
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
}
