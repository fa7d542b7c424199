//! Readiness scores in editor terms: the `shipready/score` notification's payload and the code lens titles.

use std::collections::HashMap;
use std::sync::Arc;

use shipready_analysis::ScoreSummary;
use shipready_rules::Category;
use tower_lsp::lsp_types::Url;

use crate::outbox::{CategoryScoreParams, ScoreParams};

/// Each unit's score message, kept between snapshots by the address of the unit's audit (kept alive with it, so
/// the address is not reused): a keystroke re-audits one unit, and the other units' messages (a URL joined and
/// a dozen strings each, 200 units in a large monorepo) are not built again.
#[derive(Default)]
pub struct UnitScores {
    entries: HashMap<(Url, String), UnitScore>,
    generation: u64,
}

struct UnitScore {
    audit: Arc<shipready_rules::Audit>,
    params: Arc<ScoreParams>,
    generation: u64,
}

impl UnitScores {
    /// Start a snapshot: entries not asked for during it are dropped by [`UnitScores::sweep`].
    pub fn begin(&mut self) {
        self.generation += 1;
    }

    /// The score message of the unit in `folder` of the root at `root` (a directory URI), built by `make` when
    /// the unit's audit is not the one it was built from.
    pub fn get(
        &mut self,
        root: &Url,
        folder: &str,
        audit: &Arc<shipready_rules::Audit>,
        make: impl FnOnce() -> Option<ScoreParams>,
    ) -> Option<Arc<ScoreParams>> {
        let generation = self.generation;
        let key = (root.clone(), folder.to_owned());
        if let Some(e) = self.entries.get_mut(&key) {
            if Arc::ptr_eq(&e.audit, audit) {
                e.generation = generation;
                return Some(Arc::clone(&e.params));
            }
        }
        let params = Arc::new(make()?);
        self.entries.insert(
            key,
            UnitScore {
                audit: Arc::clone(audit),
                params: Arc::clone(&params),
                generation,
            },
        );
        Some(params)
    }

    /// Drop the units no snapshot asked for since [`UnitScores::begin`].
    pub fn sweep(&mut self) {
        let generation = self.generation;
        self.entries.retain(|_, e| e.generation == generation);
    }
}

pub fn params(root: &Url, s: &ScoreSummary) -> ScoreParams {
    ScoreParams {
        root: root.clone(),
        unit: s.unit.clone(),
        overall: s.overall,
        band: s.band.title().to_owned(),
        categories: s
            .categories
            .iter()
            .map(|(c, score)| CategoryScoreParams {
                id: c.id().to_owned(),
                title: c.title().to_owned(),
                score: *score,
            })
            .collect(),
    }
}

/// "Readiness 72.0/100 - Almost Ready", with "· unit api" when the score is one unit's.
pub fn headline(s: &ScoreSummary) -> String {
    let unit = s
        .unit
        .as_ref()
        .map(|u| format!(" · unit {u}"))
        .unwrap_or_default();
    format!(
        "Readiness {}/100 - {}{unit}",
        num(s.overall),
        s.band.title()
    )
}

/// "Docker 50.0 · CDK n/a · Guide 25.0 · Rollback 0.0 · Health 40.0".
pub fn categories_line(s: &ScoreSummary) -> String {
    s.categories
        .iter()
        .map(|(c, score)| match score {
            Some(v) => format!("{} {}", short(*c), num(*v)),
            None => format!("{} n/a", short(*c)),
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// One decimal when that is exact (72.0, 4.0), else two (3.13, 18.75).
pub fn num(x: f64) -> String {
    if ((x * 10.0).round() - x * 10.0).abs() < 1e-9 {
        format!("{x:.1}")
    } else {
        format!("{x:.2}")
    }
}

pub fn short(c: Category) -> &'static str {
    match c {
        Category::Docker => "Docker",
        Category::Cdk => "CDK",
        Category::Guide => "Guide",
        Category::Rollback => "Rollback",
        Category::Health => "Health",
        Category::Security => "Security",
        Category::Runtime => "Runtime",
        Category::Pipelines => "Pipelines",
        Category::Observability => "Observability",
        Category::DataSafety => "Data",
    }
}

#[cfg(test)]
mod tests {
    use super::num;

    #[test]
    fn numbers_keep_their_meaningful_decimals() {
        assert_eq!(num(72.0), "72.0");
        assert_eq!(num(4.0), "4.0");
        assert_eq!(num(3.13), "3.13");
        assert_eq!(num(18.75), "18.75");
    }

    /// A unit whose audit is the same is given the message built before; a re-audited unit a new one; a unit
    /// no snapshot asks for any more is forgotten.
    #[test]
    fn unit_score_messages_are_rebuilt_only_for_re_audited_units() {
        use std::sync::Arc;

        use shipready_rules::{audit, Profile, Workspace};
        use tower_lsp::lsp_types::Url;

        let one = |text: &str| {
            Arc::new(audit(
                &Workspace::from_texts([("Dockerfile", text)]),
                Profile::Standard,
            ))
        };
        let Ok(root) = Url::parse("file:///w/") else {
            panic!("bad test URI");
        };
        let (api, web) = (one("FROM python:3.12\n"), one("FROM nginx:1.27\n"));
        let mut cache = super::UnitScores::default();
        let mut built = 0;
        let mut get =
            |cache: &mut super::UnitScores, folder: &str, a: &Arc<shipready_rules::Audit>| {
                cache.get(&root, folder, a, || {
                    built += 1;
                    Some(super::ScoreParams {
                        root: root.clone(),
                        unit: Some(folder.to_owned()),
                        overall: a.score.overall,
                        band: String::new(),
                        categories: Vec::new(),
                    })
                })
            };
        cache.begin();
        let first = get(&mut cache, "api", &api);
        get(&mut cache, "web", &web);
        cache.sweep();
        cache.begin();
        let again = get(&mut cache, "api", &api);
        let pinned = one("FROM nginx:1.27.3\n");
        get(&mut cache, "web", &pinned);
        cache.sweep();
        assert!(matches!((&first, &again), (Some(a), Some(b)) if Arc::ptr_eq(a, b)));
        assert_eq!(cache.entries.len(), 2);
        cache.begin();
        get(&mut cache, "web", &pinned);
        cache.sweep();
        assert_eq!(cache.entries.len(), 1);
        assert_eq!(built, 3);
    }
}
