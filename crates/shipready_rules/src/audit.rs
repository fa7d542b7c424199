//! [`audit`]: runs every registered rule over a workspace and scores the result.

use serde::Serialize;
use shipready_text::TextRange;

use std::sync::Arc;

use crate::registry::{Registered, RULES};
use crate::rule_memo::RuleMemo;
use crate::{Category, Context, Finding, Index, Profile, Score, Status, Workspace};

/// One check's result, as the report lists it.
#[derive(Clone, Debug, Serialize)]
pub struct CheckResult {
    pub code: &'static str,
    pub name: &'static str,
    pub category: Category,
    pub title: &'static str,
    pub status: Status,
    pub details: String,
    pub evidence: Vec<String>,
    /// Points this check is worth inside its category (0 when not applicable or not scored).
    pub points: f64,
    /// Whether the check counts in the score (GD001 is a gate, not a scored quality).
    pub scored: bool,
}

/// A construct that makes a check pass, and what it earns.
#[derive(Clone, Debug, Serialize)]
pub struct Satisfier {
    pub code: &'static str,
    pub file: String,
    pub range: TextRange,
    /// Overall points the check it satisfies is worth.
    pub points: f64,
    /// The index of the deployable unit (see `WorkspaceAudit::units`).
    #[serde(skip)]
    pub unit: usize,
}

/// The outcome of an audit: every check, every finding (with its cost) and the score.
#[derive(Clone, Debug, Serialize)]
pub struct Audit {
    pub profile: Profile,
    pub checks: Vec<CheckResult>,
    pub findings: Vec<Finding>,
    pub satisfiers: Vec<Satisfier>,
    pub score: Score,
    /// Inline suppressions that suppressed nothing.
    pub unused_suppressions: Vec<crate::suppress::Suppression>,
    /// The files that show the unit's readiness at their top (its guide, Dockerfiles and main app file), taken
    /// from the index the audit built.
    pub lens_files: Vec<String>,
}

impl Audit {
    pub fn checks_of(&self, category: Category) -> impl Iterator<Item = &CheckResult> {
        self.checks.iter().filter(move |c| c.category == category)
    }

    /// Findings anchored in `file`, in range order.
    pub fn findings_in<'a>(&'a self, file: &'a str) -> impl Iterator<Item = &'a Finding> {
        self.findings
            .iter()
            .filter(move |f| f.file.as_deref() == Some(file))
    }

    /// Evidence files of a category's checks, deduplicated and sorted.
    pub fn evidence_of(&self, category: Category) -> Vec<String> {
        let mut files: Vec<String> = self
            .checks_of(category)
            .flat_map(|c| c.evidence.iter().cloned())
            .collect();
        files.sort();
        files.dedup();
        files
    }
}

/// Run every rule over `ws` and score the outcome under `profile`.
pub fn audit(ws: &Workspace, profile: Profile) -> Audit {
    audit_with(ws, &crate::Settings::with_profile(profile))
}

/// [`audit`] under a team's settings: rules and categories switched off leave the score, severities and
/// category weights as configured.
pub fn audit_with(ws: &Workspace, settings: &crate::Settings) -> Audit {
    let profile = settings.profile;
    let mut index = Index::build(ws);
    crate::configured::apply(&mut index, ws, settings);
    let ctx = Context {
        workspace: ws,
        index: &index,
        profile,
    };
    // The last audit of this unit, rule by rule, and what changed since (see `rule_memo`).
    let slot = ws.unit_memo().filter(|m| m.audited_again).map(|m| &m.rules);
    let last = slot
        .and_then(|s| s.lock().unwrap_or_else(|p| p.into_inner()).take())
        .filter(|m| m.profile == profile && m.collection == ws.collection());
    let changed = last.as_ref().map(|m| m.changed(ws, &index));
    let mut memo = Vec::with_capacity(RULES.len());
    let mut outcomes = Vec::with_capacity(RULES.len());
    for (at, entry) in RULES.iter().enumerate() {
        if profile == Profile::Seed && !entry.in_seed() {
            // The seed auditor has five categories and 26 checks: the others are not run, not listed, not scored.
            memo.push(None);
            continue;
        }
        if let Some(why) = settings.off(entry.code, entry.rule.category) {
            // Switched off: not applicable under every profile, with nothing to report.
            let mut outcome = crate::Outcome::pass(why, Vec::new());
            outcome.status = Status::NotApplicable;
            memo.push(None);
            outcomes.push((entry, Arc::new(outcome)));
            continue;
        }
        let kept = last.as_ref().zip(changed).and_then(|(m, c)| m.kept(at, c));
        #[cfg(test)]
        if last.is_some() {
            tally::count(kept.is_some());
        }
        let (reads, outcome) = kept.unwrap_or_else(|| {
            let (outcome, reads) = crate::reads::recording(|| run(&ctx, entry));
            (reads, Arc::new(outcome))
        });
        memo.push(Some((reads, Arc::clone(&outcome))));
        outcomes.push((entry, outcome));
    }
    let statuses: Vec<(Category, Status)> = outcomes
        .iter()
        .filter(|(e, _)| e.scored)
        .map(|(e, o)| (e.rule.category, o.status))
        .collect();
    let weights: Vec<(Category, f64)> = Category::ALL
        .iter()
        .map(|&c| (c, settings.weight(c)))
        .filter(|(_, w)| (*w - 1.0).abs() > f64::EPSILON)
        .collect();
    let score = Score::compute_weighted(&statuses, &weights);
    let mut checks = Vec::with_capacity(outcomes.len());
    let mut findings = Vec::new();
    let mut satisfiers = Vec::new();
    for (entry, outcome) in &outcomes {
        let Registered {
            code, rule, scored, ..
        } = **entry;
        let category_points = if scored {
            score
                .category(rule.category)
                .map(|c| c.check_points)
                .unwrap_or(0.0)
        } else {
            0.0
        };
        let overall_points = if scored {
            score.overall_points_per_check(rule.category)
        } else {
            0.0
        };
        if outcome.status == Status::Pass {
            satisfiers.extend(outcome.satisfied_by.iter().map(|(file, range)| Satisfier {
                code,
                file: file.clone(),
                range: *range,
                points: overall_points,
                unit: 0,
            }));
        }
        if outcome.status == Status::Fail {
            let share = overall_points / outcome.needed.max(1) as f64;
            let severity = settings.severity_of(code).unwrap_or(rule.severity);
            findings.extend(outcome.findings.iter().cloned().map(|mut f| {
                f.code = code;
                f.severity = severity;
                f.points = share;
                f
            }));
        }
        checks.push(CheckResult {
            code,
            name: rule.name,
            category: rule.category,
            title: rule.title,
            status: outcome.status,
            details: outcome.details.clone(),
            evidence: outcome.evidence.clone(),
            points: if outcome.status == Status::NotApplicable {
                0.0
            } else {
                category_points
            },
            scored,
        });
    }
    findings.sort_by(|a, b| {
        (&a.file, a.range.map(|r| r.start), a.code).cmp(&(
            &b.file,
            b.range.map(|r| r.start),
            b.code,
        ))
    });
    let unused_suppressions = apply_suppressions(ws, &mut findings);
    satisfiers
        .sort_by(|a, b| (&a.file, a.range.start, a.code).cmp(&(&b.file, b.range.start, b.code)));
    let lens_files = lens_files(&index);
    if let Some(slot) = slot {
        *slot.lock().unwrap_or_else(|p| p.into_inner()) = Some(RuleMemo {
            profile,
            collection: ws.collection(),
            files: Arc::clone(ws.shared_files()),
            index,
            outcomes: memo,
        });
    }
    Audit {
        profile,
        checks,
        findings,
        satisfiers,
        score,
        unused_suppressions,
        lens_files,
    }
}

/// One rule's outcome: its category's gate or its check, "not applicable" failing under the seed profile, and
/// findings with no place of their own put on the unit's anchor.
fn run(ctx: &Context, entry: &Registered) -> crate::Outcome {
    let profile = ctx.profile;
    let mut outcome = crate::applies::category_gate(ctx, entry.code, entry.rule.category)
        .unwrap_or_else(|| (entry.rule.check)(ctx));
    // The seed profile scores every check: "not applicable" is a failure there.
    if profile == Profile::Seed && outcome.status == Status::NotApplicable {
        outcome.status = Status::Fail;
    }
    // Every finding has a place: one with none of its own sits on the unit's README, Dockerfile, app or
    // cdk.json (only an empty workspace has none of them). Looked for only when needed: what the anchor
    // reads is then not a read of every rule.
    let placeless = outcome.findings.iter().any(|f| f.file.is_none());
    if let Some((file, range)) = placeless.then(|| crate::rules::unit_anchor(ctx)).flatten() {
        for f in outcome.findings.iter_mut().filter(|f| f.file.is_none()) {
            f.file = Some(file.to_owned());
            f.range = Some(range);
        }
    }
    outcome
}

/// The guide, each Dockerfile and the main application file, sorted and deduplicated.
fn lens_files(index: &Index) -> Vec<String> {
    let mut out: Vec<String> = index.docker().dockerfiles.clone();
    out.extend(index.guide().as_ref().map(|g| g.path.clone()));
    out.extend(
        index
            .web()
            .main_app
            .and_then(|i| index.web().apps.get(i))
            .map(|a| a.file.clone()),
    );
    out.sort();
    out.dedup();
    out
}

/// Mark the findings inline suppressions accept; returns the suppressions that accepted none.
fn apply_suppressions(
    ws: &Workspace,
    findings: &mut [Finding],
) -> Vec<crate::suppress::Suppression> {
    let mut unused = Vec::new();
    for file in ws.files() {
        for s in file.suppressions().iter().cloned() {
            let mut used = false;
            for f in findings.iter_mut().filter(|f| s.covers(f)) {
                f.suppressed = Some(s.reason.clone());
                used = true;
            }
            if !used {
                unused.push(s);
            }
        }
    }
    unused
}

/// How many rules this thread kept and ran, for the memo's tests.
#[cfg(test)]
pub(crate) mod tally {
    use std::cell::Cell;

    thread_local! {
        static KEPT_AND_RUN: Cell<(usize, usize)> = const { Cell::new((0, 0)) };
    }

    pub(crate) fn count(kept: bool) {
        KEPT_AND_RUN.with(|c| {
            let (k, r) = c.get();
            c.set(if kept { (k + 1, r) } else { (k, r + 1) });
        });
    }

    /// Rules kept and rules run again on this thread so far, in audits that had a memo.
    pub(crate) fn get() -> (usize, usize) {
        KEPT_AND_RUN.with(Cell::get)
    }
}
