//! Code lens data: the files that show the workspace's readiness at their top (the deployment guide, each
//! Dockerfile and the main application file) and the score they show.

use shipready_rules::{Band, Category};

use crate::Analysis;

/// The readiness summary a lens shows.
#[derive(Clone, Debug, PartialEq)]
pub struct ScoreSummary {
    pub overall: f64,
    pub band: Band,
    /// Each category with its score, `None` when none of its checks applies.
    pub categories: Vec<(Category, Option<f64>)>,
    /// The deployable unit these scores are of, when the workspace has several (`None`: the workspace's).
    pub unit: Option<String>,
}

impl Analysis {
    /// The workspace-relative paths that carry a readiness lens (each unit's guide, Dockerfiles and main
    /// application file), sorted and deduplicated: read from the cached audit, no index is built again.
    pub fn lens_files(&mut self) -> Vec<String> {
        let audit = self.audit();
        let mut out: Vec<String> = audit
            .units
            .iter()
            .flat_map(|u| u.audit.lens_files.iter().cloned())
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// The workspace's overall score, its band and the category scores.
    pub fn score_summary(&mut self) -> ScoreSummary {
        let audit = self.audit();
        ScoreSummary {
            overall: audit.score.overall,
            band: audit.score.band,
            categories: categories(&audit.score),
            unit: None,
        }
    }

    /// Each deployable unit's score as `(unit folder, summary)`, when the workspace has several units.
    pub fn unit_score_summaries(&mut self) -> Vec<(String, ScoreSummary)> {
        let audit = self.audit();
        if !audit.is_multi_unit() {
            return Vec::new();
        }
        audit
            .units
            .iter()
            .map(|u| (u.root.clone(), unit_summary(u)))
            .collect()
    }

    /// The score of the unit `file` belongs to (the workspace's when it has one unit or the file is in none).
    pub fn score_summary_of(&mut self, file: &str) -> ScoreSummary {
        let audit = self.audit();
        let unit = audit
            .is_multi_unit()
            .then(|| audit.unit_of_file(file).and_then(|i| audit.unit(i)))
            .flatten();
        match unit {
            Some(u) => ScoreSummary {
                overall: u.audit.score.overall,
                band: u.audit.score.band,
                categories: categories(&u.audit.score),
                unit: Some(u.name.clone()),
            },
            None => self.score_summary(),
        }
    }
}

/// One unit's score as the editor shows it.
pub fn unit_summary(u: &shipready_rules::UnitAudit) -> ScoreSummary {
    ScoreSummary {
        overall: u.audit.score.overall,
        band: u.audit.score.band,
        categories: categories(&u.audit.score),
        unit: Some(u.name.clone()),
    }
}

fn categories(score: &shipready_rules::Score) -> Vec<(Category, Option<f64>)> {
    score
        .categories
        .iter()
        .map(|c| (c.category, c.score))
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::{Analysis, Profile};

    #[test]
    fn the_guide_dockerfiles_and_main_app_carry_lenses() {
        let mut a = Analysis::new("/w", Profile::Standard);
        a.set_file_text(
            "Dockerfile",
            "FROM python:3.12\nCMD [\"uvicorn\", \"app.main:app\"]\n",
        );
        a.set_file_text("DEPLOYMENT.md", "# Deployment\n");
        a.set_file_text(
            "app/main.py",
            "from fastapi import FastAPI\napp = FastAPI()\n",
        );
        a.set_file_text("app/other.py", "import os\n");
        assert_eq!(
            a.lens_files(),
            ["DEPLOYMENT.md", "Dockerfile", "app/main.py"]
        );
        let s = a.score_summary();
        // The seed's five and the standard profile's five more.
        assert_eq!(s.categories.len(), 10);
    }
}
