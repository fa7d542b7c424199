//! ## What it checks
//! That an error tracker is initialised with its DSN from the environment or settings, not written into the
//! code: `sentry_sdk.init(dsn="https://<key>@o1.ingest.sentry.io/2")` is a finding; `sentry_sdk.init(dsn=
//! os.environ["SENTRY_DSN"])`, `dsn=settings.SENTRY_DSN` or no `dsn` at all (the SDK reads `SENTRY_DSN`) pass.
//! An empty string (which turns reporting off) is not judged. Messages show at most the DSN's first two
//! characters.
//!
//! ## Why it matters
//! A DSN in the code sends every environment's errors (development, CI, staging) to the production project,
//! cannot be rotated without a release, and lets anyone who reads the repository flood the project with events.
//!
//! ## Example
//! ```python
//! sentry_sdk.init(dsn="https://1a2b3c@o123.ingest.sentry.io/456", traces_sample_rate=0.1)
//! ```
//!
//! ## Fix
//! ```python
//! sentry_sdk.init(dsn=os.environ.get("SENTRY_DSN"), traces_sample_rate=0.1)
//! ```

use shipready_syntax::FileKind;

use crate::rules::data_safety::observe;
use crate::rules::security::mask;
use crate::{Category, Context, Finding, Outcome, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    name: "literal-error-tracking-dsn",
    category: Category::Observability,
    severity: Severity::Medium,
    title: "Error tracking is initialised with a DSN written in the code",
    impact: "Every environment reports into one project, and the key cannot be rotated without a release.",
    recommendation: "Read the DSN from the environment (SENTRY_DSN) or the settings.",
    effort: "15 minutes",
    source: include_str!("literal_error_tracking_dsn.rs"),
    check,
};

fn check(ctx: &Context) -> Outcome {
    let mut inits = Vec::new();
    let mut findings = Vec::new();
    for file in ctx.workspace.of_kind(FileKind::Python) {
        let Some(facts) = observe(&file.facts) else {
            continue;
        };
        for init in &facts.error_tracking {
            inits.push(file.path.clone());
            let Some((literal, range)) = init
                .dsn
                .as_ref()
                .and_then(|d| Some((d.literal.as_deref()?, d.range)))
            else {
                continue;
            };
            findings.push(Finding::at(
                &file.path,
                range,
                format!(
                    "{}(dsn=\"{}\") writes the DSN into the code: read it from the environment (SENTRY_DSN) instead.",
                    init.function,
                    mask(literal)
                ),
            ));
        }
    }
    inits.dedup();
    if inits.is_empty() {
        return super::not_applicable("no error tracker is initialised");
    }
    if findings.is_empty() {
        return Outcome::pass("error tracking reads its DSN from the environment", inits);
    }
    let n = findings.len();
    let details = format!(
        "{} with a literal DSN",
        super::super::plural(n, "error tracker", "error trackers")
    );
    Outcome::fail(details, findings)
        .with_evidence(inits)
        .needing(n)
}

#[cfg(test)]
mod tests {
    use crate::{audit, Profile, Workspace};

    #[test]
    fn the_dsn_never_shows_in_a_finding() {
        let dsn = "https://0123456789abcdef@o99.ingest.sentry.io/42";
        let app = format!(
            "import sentry_sdk\nfrom fastapi import FastAPI\n\nsentry_sdk.init(\"{dsn}\")\napp = FastAPI()\n"
        );
        let ws = Workspace::from_texts([("main.py", app.as_str())]);
        let report = audit(&ws, Profile::Standard);
        let found: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.code == "OB003")
            .collect();
        assert_eq!(found.len(), 1, "{:#?}", report.findings);
        for f in &report.findings {
            assert!(!f.message.contains("0123456789"), "{}", f.message);
        }
        assert!(found[0].message.contains("\"ht…\""), "{}", found[0].message);
    }
}
