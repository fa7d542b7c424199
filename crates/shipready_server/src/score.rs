//! Readiness scores in editor terms: the `shipready/score` notification's payload and the code lens titles.

use shipready_analysis::ScoreSummary;
use shipready_rules::Category;
use tower_lsp::lsp_types::Url;

use crate::outbox::{CategoryScoreParams, ScoreParams};

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
}
