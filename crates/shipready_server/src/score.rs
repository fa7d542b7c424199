//! Readiness scores in editor terms: the `shipready/score` notification's payload and the code lens titles.

use shipready_analysis::ScoreSummary;
use shipready_rules::Category;
use tower_lsp::lsp_types::Url;

use crate::outbox::{CategoryScoreParams, ScoreParams};

pub fn params(root: &Url, s: &ScoreSummary) -> ScoreParams {
    ScoreParams {
        root: root.clone(),
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

/// "Readiness 72.0/100 - Almost Ready".
pub fn headline(s: &ScoreSummary) -> String {
    format!("Readiness {:.1}/100 - {}", s.overall, s.band.title())
}

/// "Docker 50.0 · CDK n/a · Guide 25.0 · Rollback 0.0 · Health 40.0".
pub fn categories_line(s: &ScoreSummary) -> String {
    s.categories
        .iter()
        .map(|(c, score)| match score {
            Some(v) => format!("{} {v:.1}", short(*c)),
            None => format!("{} n/a", short(*c)),
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

pub fn short(c: Category) -> &'static str {
    match c {
        Category::Docker => "Docker",
        Category::Cdk => "CDK",
        Category::Guide => "Guide",
        Category::Rollback => "Rollback",
        Category::Health => "Health",
    }
}
