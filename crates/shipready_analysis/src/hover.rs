//! Hover data: what a finding at a cursor costs and what a construct that satisfies a check earns, as plain
//! data (byte ranges, numbers, bands). The server renders it as Markdown; nothing here knows LSP.

use shipready_rules::{
    band_of, rule_by_code, Audit, Band, Category, Finding, Satisfier, WorkspaceAudit,
};
use shipready_text::TextRange;

use crate::Analysis;

/// What a hover at one offset shows.
#[derive(Clone, Debug, PartialEq)]
pub enum HoverItem {
    Finding(FindingHover),
    Satisfier(SatisfierHover),
}

/// A readiness gap under the cursor, with its cost and the score after fixing it.
#[derive(Clone, Debug, PartialEq)]
pub struct FindingHover {
    pub code: &'static str,
    pub title: &'static str,
    /// The first paragraph of the rule's documentation.
    pub summary: String,
    pub message: String,
    pub category: Category,
    /// The category's score now, `None` when none of its checks applies.
    pub category_score: Option<f64>,
    /// Overall points fixing this finding is worth.
    pub points: f64,
    pub overall_now: f64,
    pub band_now: Band,
    pub overall_after: f64,
    pub band_after: Band,
    pub range: TextRange,
    /// The deployable unit the scores are of, when the workspace has several.
    pub unit: Option<String>,
}

/// A construct that makes a check pass, and what that check is worth.
#[derive(Clone, Debug, PartialEq)]
pub struct SatisfierHover {
    pub code: &'static str,
    pub title: &'static str,
    pub points: f64,
    pub range: TextRange,
    /// The deployable unit whose check it satisfies, when the workspace has several.
    pub unit: Option<String>,
}

impl Analysis {
    /// Everything a hover at byte `offset` of `file` should show: findings whose range holds the offset, then
    /// the checks the construct there satisfies.
    pub fn hover(&mut self, file: &str, offset: usize) -> Vec<HoverItem> {
        hover(&self.audit(), file, offset)
    }
}

/// The hover items of `audit` at byte `offset` of `file`.
pub fn hover(audit: &WorkspaceAudit, file: &str, offset: usize) -> Vec<HoverItem> {
    let unit_name = |i: usize| {
        audit
            .is_multi_unit()
            .then(|| audit.unit(i).map(|u| u.name.clone()))
            .flatten()
    };
    let findings = audit
        .findings_in(file)
        .filter(|f| f.range.is_some_and(|r| r.contains_inclusive(offset)))
        .filter_map(|f| {
            let unit = &audit.unit(f.unit)?.audit;
            let mut h = finding_hover(unit, f)?;
            h.unit = unit_name(f.unit);
            Some(HoverItem::Finding(h))
        });
    let satisfiers = audit
        .satisfiers()
        .iter()
        .filter(|s| s.file == file && s.range.contains_inclusive(offset))
        .map(|s| {
            let mut h = satisfier_hover(s);
            h.unit = unit_name(s.unit);
            HoverItem::Satisfier(h)
        });
    findings.chain(satisfiers).collect()
}

/// A finding's hover, scored within `audit` (the audit of the finding's unit).
fn finding_hover(audit: &Audit, f: &Finding) -> Option<FindingHover> {
    let registered = rule_by_code(f.code)?;
    let rule = registered.rule;
    let overall_after = score_after_fixing(audit, f);
    Some(FindingHover {
        code: f.code,
        title: rule.title,
        summary: rule.summary(),
        message: f.message.clone(),
        category: rule.category,
        category_score: audit.score.category(rule.category).and_then(|c| c.score),
        points: round2(f.points),
        overall_now: audit.score.overall,
        band_now: audit.score.band,
        overall_after,
        band_after: band_of(overall_after),
        range: f.range.unwrap_or_default(),
        unit: None,
    })
}

fn satisfier_hover(s: &Satisfier) -> SatisfierHover {
    SatisfierHover {
        code: s.code,
        title: rule_by_code(s.code).map(|r| r.rule.title).unwrap_or(""),
        points: round2(s.points),
        range: s.range,
        unit: None,
    }
}

/// The overall score once `finding` is fixed. When it is its check's only finding, fixing it makes the check
/// pass, so the score is recomputed exactly; otherwise the finding's share of the check is added.
pub fn score_after_fixing(audit: &Audit, finding: &Finding) -> f64 {
    let siblings = audit
        .findings
        .iter()
        .filter(|f| f.code == finding.code)
        .count();
    if siblings <= 1 {
        let statuses: Vec<_> = audit
            .checks
            .iter()
            .filter(|c| c.scored)
            .map(|c| {
                let status = if c.code == finding.code {
                    shipready_rules::Status::Pass
                } else {
                    c.status
                };
                (c.category, status)
            })
            .collect();
        return audit.score.recompute(&statuses).overall;
    }
    round2(audit.score.overall + finding.points).min(100.0)
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Profile;

    const MAIN: &str = "from fastapi import FastAPI\napp = FastAPI()\n";

    #[test]
    fn a_finding_hover_says_what_fixing_it_is_worth() {
        let mut a = Analysis::new("/w", Profile::Standard);
        a.set_file_text("app/main.py", MAIN);
        let at = MAIN.find("app =").unwrap_or(0);
        let items = a.hover("app/main.py", at);
        let hc001 = items.iter().find_map(|i| match i {
            HoverItem::Finding(f) if f.code == "HC001" => Some(f),
            _ => None,
        });
        let Some(h) = hc001 else {
            panic!("no HC001 hover in {items:?}");
        };
        assert!(h.points > 0.0);
        assert!(h.overall_after > h.overall_now);
        assert_eq!(h.category, Category::Health);
    }

    #[test]
    fn a_health_route_says_what_it_earns() {
        let text = "from fastapi import FastAPI\napp = FastAPI()\n\n@app.get(\"/health\")\ndef health():\n    return {}\n";
        let mut a = Analysis::new("/w", Profile::Standard);
        a.set_file_text("app/main.py", text);
        let at = text.find("@app.get").unwrap_or(0) + 2;
        let items = a.hover("app/main.py", at);
        assert!(
            items.iter().any(
                |i| matches!(i, HoverItem::Satisfier(s) if s.code == "HC001" && s.points > 0.0)
            ),
            "{items:?}"
        );
    }
}
