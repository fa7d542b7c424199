//! The one table that assigns rule codes. Codes are stable: never renumber or reuse one.

use crate::rules::{
    cdk, compose, data_safety, docker, guide, health, observability, pipelines, rollback, runtime,
    security,
};
use crate::Rule;

/// A rule with its code.
#[derive(Clone, Copy)]
pub struct Registered {
    pub code: &'static str,
    pub rule: &'static Rule,
    /// Whether the check counts in its category's score. GD001 (no guide) does not: the seed scores the
    /// guide's five qualities, and without a guide all five fail anyway.
    pub scored: bool,
    /// Whether the seed auditor has this check: the `seed` profile runs only those. Rules added beyond the
    /// seed in one of its categories (compose checks in containerization, say) are `standard` only.
    pub seed: bool,
}

/// Where each rule's documentation page lives (the pages in `docs/rules/`, named `<CODE>.md`).
pub const RULE_DOCS: &str = "https://github.com/shipready/shipready/blob/main/docs/rules/";

impl Registered {
    /// The address of this rule's documentation page: diagnostics, SARIF and Markdown reports link to it.
    pub fn help_uri(&self) -> String {
        format!("{RULE_DOCS}{}.md", self.code)
    }

    const fn scored(code: &'static str, rule: &'static Rule) -> Self {
        Registered {
            code,
            rule,
            scored: true,
            seed: true,
        }
    }

    /// A scored check the seed auditor does not have: run under the `standard` profile only.
    const fn beyond_seed(code: &'static str, rule: &'static Rule) -> Self {
        Registered {
            code,
            rule,
            scored: true,
            seed: false,
        }
    }

    /// Whether the `seed` profile runs this check.
    pub fn in_seed(&self) -> bool {
        self.seed && self.rule.category.in_seed()
    }

    const fn unscored(code: &'static str, rule: &'static Rule) -> Self {
        Registered {
            code,
            rule,
            scored: false,
            seed: true,
        }
    }
}

/// Every rule, in report order.
pub static RULES: &[Registered] = &[
    Registered::scored("DK001", &docker::no_dockerfile::RULE),
    Registered::scored("DK002", &docker::missing_compose::RULE),
    Registered::scored("DK003", &docker::single_stage_build::RULE),
    Registered::scored("DK004", &docker::unpinned_base_image::RULE),
    Registered::beyond_seed("DK005", &compose::missing_restart::RULE),
    Registered::beyond_seed("DK006", &compose::unhealthy_dependency::RULE),
    Registered::beyond_seed("DK007", &compose::database_without_volume::RULE),
    Registered::beyond_seed("DK008", &compose::database_port_exposed::RULE),
    Registered::beyond_seed("DK009", &compose::service_without_healthcheck::RULE),
    Registered::beyond_seed("DK010", &compose::no_production_compose::RULE),
    Registered::scored("CD001", &cdk::no_cdk_app::RULE),
    Registered::scored("CD002", &cdk::missing_cdk_json::RULE),
    Registered::scored("CD003", &cdk::few_stacks::RULE),
    Registered::scored("CD004", &cdk::low_infrastructure_coverage::RULE),
    Registered::scored("CD005", &cdk::missing_cdk_requirements::RULE),
    Registered::scored("CD006", &cdk::missing_cdk_readme::RULE),
    Registered::scored("CD007", &cdk::cannot_synthesize::RULE),
    Registered::unscored("GD001", &guide::no_deployment_guide::RULE),
    Registered::scored("GD002", &guide::missing_sections::RULE),
    Registered::scored("GD003", &guide::no_code_examples::RULE),
    Registered::scored("GD004", &guide::unmentioned_aws_services::RULE),
    Registered::scored("GD005", &guide::missing_environment_docs::RULE),
    Registered::scored("GD006", &guide::missing_guide_health_docs::RULE),
    Registered::beyond_seed("GD007", &guide::undocumented_required_setting::RULE),
    Registered::beyond_seed("GD008", &guide::guide_health_path_not_served::RULE),
    Registered::beyond_seed("GD009", &guide::guide_setting_not_read::RULE),
    Registered::scored("RB001", &rollback::no_rollback_section::RULE),
    Registered::scored("RB002", &rollback::few_rollback_procedures::RULE),
    Registered::scored("RB003", &rollback::no_rollback_script::RULE),
    Registered::scored("RB004", &rollback::no_infrastructure_rollback::RULE),
    Registered::scored("HC001", &health::no_health_route::RULE),
    Registered::scored("HC002", &health::few_services_with_health_checks::RULE),
    Registered::scored("HC003", &health::main_app_without_health::RULE),
    Registered::scored("HC004", &health::no_dependency_health::RULE),
    Registered::scored("HC005", &health::undocumented_health_endpoints::RULE),
    Registered::beyond_seed("HC006", &health::probe_reaches_no_route::RULE),
    Registered::beyond_seed("HC007", &health::target_group_default_probe::RULE),
    Registered::beyond_seed("SC001", &security::root_user::RULE),
    Registered::beyond_seed("SC002", &security::secret_literal::RULE),
    Registered::beyond_seed("SC003", &security::pipe_to_shell::RULE),
    Registered::beyond_seed("SC004", &security::ssh_port::RULE),
    Registered::beyond_seed("SC005", &security::docker_socket::RULE),
    Registered::beyond_seed("SC006", &security::placeholder_secret::RULE),
    Registered::beyond_seed("SC007", &security::cors_any_origin::RULE),
    Registered::beyond_seed("SC009", &security::debug_enabled::RULE),
    Registered::beyond_seed("RT001", &runtime::dev_server::RULE),
    Registered::beyond_seed("RT002", &runtime::single_worker::RULE),
    Registered::beyond_seed("RT003", &runtime::port_mismatch::RULE),
    Registered::beyond_seed("CI001", &pipelines::no_test_workflow::RULE),
    Registered::beyond_seed("CI002", &pipelines::no_image_build::RULE),
    Registered::beyond_seed("CI003", &pipelines::no_deploy_step::RULE),
    Registered::beyond_seed("CI004", &pipelines::no_vulnerability_scan::RULE),
    Registered::beyond_seed("CI005", &pipelines::no_post_deploy_check::RULE),
    Registered::beyond_seed("CI006", &pipelines::unpinned_action::RULE),
    Registered::beyond_seed("OB001", &observability::no_metrics::RULE),
    Registered::beyond_seed("OB002", &observability::no_configured_logging::RULE),
    Registered::beyond_seed("OB003", &observability::literal_error_tracking_dsn::RULE),
    Registered::beyond_seed("DS001", &data_safety::empty_downgrade::RULE),
    Registered::beyond_seed("DS002", &data_safety::undocumented_backups::RULE),
    Registered::beyond_seed("DS003", &data_safety::unprotected_database::RULE),
    Registered::beyond_seed("DS004", &data_safety::stateful_resource_destroyed::RULE),
];

/// The rule with `code` (case-insensitive) or kebab-case `name`.
pub fn rule_by_code(code: &str) -> Option<&'static Registered> {
    RULES
        .iter()
        .find(|r| r.code.eq_ignore_ascii_case(code) || r.rule.name == code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Category;

    #[test]
    fn codes_and_names_are_unique_and_categories_match_the_seed() {
        let mut codes: Vec<&str> = RULES.iter().map(|r| r.code).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), RULES.len());
        let mut names: Vec<&str> = RULES.iter().map(|r| r.rule.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), RULES.len());
        let count = |c| {
            RULES
                .iter()
                .filter(|r| r.in_seed() && r.rule.category == c)
                .count()
        };
        assert_eq!(
            [
                count(Category::Docker),
                count(Category::Cdk),
                count(Category::Guide),
                count(Category::Rollback),
                count(Category::Health)
            ],
            [4, 7, 6, 4, 5]
        );
    }

    #[test]
    fn every_rule_is_documented_with_the_four_headings() {
        for r in RULES {
            let doc = r.rule.doc();
            for heading in [
                "## What it checks",
                "## Why it matters",
                "## Example",
                "## Fix",
            ] {
                assert!(doc.contains(heading), "{} lacks {heading}", r.code);
            }
            assert!(!r.rule.summary().is_empty(), "{}", r.code);
        }
    }

    #[test]
    fn lookup_by_code_or_name() {
        assert_eq!(rule_by_code("hc001").map(|r| r.code), Some("HC001"));
        assert_eq!(
            rule_by_code("no-health-route").map(|r| r.code),
            Some("HC001")
        );
        assert!(rule_by_code("XX999").is_none());
    }
}
