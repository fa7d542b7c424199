//! The scoring model, exactly as the seed defines it: a category's score is the sum of the points of its passed
//! checks (each check is worth an equal share of 100), and the overall score is the mean of the category
//! scores. Bands: >= 80 Production Ready, 60-79.99 Almost Ready, < 60 Significant Work Required.

use serde::Serialize;

use crate::{Category, Status};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Band {
    ProductionReady,
    AlmostReady,
    SignificantWorkRequired,
}

impl Band {
    pub fn title(self) -> &'static str {
        match self {
            Band::ProductionReady => "Production Ready",
            Band::AlmostReady => "Almost Ready",
            Band::SignificantWorkRequired => "Significant Work Required",
        }
    }
}

pub fn band_of(score: f64) -> Band {
    if score >= 80.0 {
        Band::ProductionReady
    } else if score >= 60.0 {
        Band::AlmostReady
    } else {
        Band::SignificantWorkRequired
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CategoryScore {
    pub category: Category,
    /// 0-100; `None` when no check of the category applies (it then leaves the overall mean).
    pub score: Option<f64>,
    /// Points one passed check of this category is worth inside the category.
    pub check_points: f64,
    pub passed: usize,
    pub applicable: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Score {
    pub categories: Vec<CategoryScore>,
    pub overall: f64,
    pub band: Band,
    /// Category weights in the overall mean, as configured (empty: every category weighs 1).
    #[serde(skip)]
    pub weights: Vec<(Category, f64)>,
}

impl Score {
    /// Score the statuses of every check, given as `(category, status)`.
    pub fn compute(checks: &[(Category, Status)]) -> Score {
        Score::compute_weighted(checks, &[])
    }

    /// [`Score::compute`] with the overall score a weighted mean of the category scores.
    pub fn compute_weighted(checks: &[(Category, Status)], weights: &[(Category, f64)]) -> Score {
        // The categories the checks belong to, in report order (the seed profile has no security checks).
        let categories: Vec<CategoryScore> = Category::ALL
            .iter()
            .filter(|c| checks.iter().any(|(k, _)| k == *c))
            .map(|&category| {
                let of_cat = checks.iter().filter(|(c, _)| *c == category);
                let applicable = of_cat
                    .clone()
                    .filter(|(_, s)| *s != Status::NotApplicable)
                    .count();
                let passed = of_cat.filter(|(_, s)| *s == Status::Pass).count();
                let check_points = if applicable == 0 {
                    0.0
                } else {
                    100.0 / applicable as f64
                };
                let score = (applicable > 0).then(|| round2(check_points * passed as f64));
                CategoryScore {
                    category,
                    score,
                    check_points,
                    passed,
                    applicable,
                }
            })
            .collect();
        let weight = |c: Category| weight_of(weights, c);
        let scored: Vec<(f64, f64)> = categories
            .iter()
            .filter_map(|c| c.score.map(|s| (s, weight(c.category))))
            .collect();
        let total: f64 = scored.iter().map(|(_, w)| w).sum();
        let overall = if scored.is_empty() || total <= 0.0 {
            0.0
        } else {
            round2(scored.iter().map(|(s, w)| s * w).sum::<f64>() / total)
        };
        Score {
            band: band_of(overall),
            categories,
            overall,
            weights: weights.to_vec(),
        }
    }

    /// The score of other statuses under the same weights (what fixing a finding would give).
    pub fn recompute(&self, checks: &[(Category, Status)]) -> Score {
        Score::compute_weighted(checks, &self.weights)
    }

    pub fn category(&self, category: Category) -> Option<&CategoryScore> {
        self.categories.iter().find(|c| c.category == category)
    }

    /// How many overall points passing one more check of `category` is worth.
    pub fn overall_points_per_check(&self, category: Category) -> f64 {
        let total: f64 = self
            .categories
            .iter()
            .filter(|c| c.score.is_some())
            .map(|c| weight_of(&self.weights, c.category))
            .sum();
        if total <= 0.0 {
            return 0.0;
        }
        self.category(category)
            .map(|c| c.check_points * weight_of(&self.weights, category) / total)
            .unwrap_or(0.0)
    }
}

fn weight_of(weights: &[(Category, f64)], category: Category) -> f64 {
    weights
        .iter()
        .find(|(c, _)| *c == category)
        .map(|(_, w)| *w)
        .unwrap_or(1.0)
}

/// Round to two decimals, as the report prints, so sums of sevenths add up to exactly 100.00.
fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use Category::*;
    use Status::*;

    #[test]
    fn seed_example_scores_86() {
        let mut checks = vec![
            (Docker, Pass),
            (Docker, Fail),
            (Docker, Fail),
            (Docker, Pass),
        ];
        checks.extend(std::iter::repeat_n((Cdk, Pass), 7));
        checks.extend(std::iter::repeat_n((Guide, Pass), 5));
        checks.extend(std::iter::repeat_n((Rollback, Pass), 4));
        checks.extend([
            (Health, Pass),
            (Health, Pass),
            (Health, Pass),
            (Health, Pass),
            (Health, Fail),
        ]);
        let s = Score::compute(&checks);
        assert_eq!(s.category(Docker).and_then(|c| c.score), Some(50.0));
        assert_eq!(s.category(Cdk).and_then(|c| c.score), Some(100.0));
        assert_eq!(s.category(Health).and_then(|c| c.score), Some(80.0));
        assert_eq!(s.overall, 86.0);
        assert_eq!(s.band, Band::ProductionReady);
        assert!((s.overall_points_per_check(Health) - 4.0).abs() < 1e-9);
    }

    #[test]
    fn not_applicable_categories_leave_the_mean() {
        let checks = [(Docker, Pass), (Docker, Fail), (Cdk, NotApplicable)];
        let s = Score::compute(&checks);
        assert_eq!(s.category(Cdk).and_then(|c| c.score), None);
        // Docker 50; guide, rollback, health have no checks at all and are not applicable either.
        assert_eq!(s.overall, 50.0);
    }

    #[test]
    fn weights_make_the_overall_score_a_weighted_mean() {
        let checks = [(Docker, Pass), (Docker, Fail), (Health, Pass)];
        let s = Score::compute_weighted(&checks, &[(Health, 3.0)]);
        // Docker 50 (weight 1), health 100 (weight 3): (50 + 300) / 4.
        assert_eq!(s.overall, 87.5);
        assert!((s.overall_points_per_check(Docker) - 12.5).abs() < 1e-9);
        assert_eq!(Score::compute(&checks).overall, 75.0);
    }

    #[test]
    fn bands() {
        assert_eq!(band_of(80.0), Band::ProductionReady);
        assert_eq!(band_of(79.99), Band::AlmostReady);
        assert_eq!(band_of(60.0), Band::AlmostReady);
        assert_eq!(band_of(59.99), Band::SignificantWorkRequired);
    }
}
