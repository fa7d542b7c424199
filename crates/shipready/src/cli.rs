//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(
    name = "shipready",
    version,
    about = "How ready a repository is to deploy: readiness gaps, score and fixes."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// When to colour output.
    #[arg(long, value_enum, default_value_t = Color::Auto, global = true)]
    pub color: Color,
}

#[derive(Subcommand)]
pub enum Command {
    /// Audit a workspace and print the readiness report.
    Check(CheckArgs),
    /// Run the language server over stdio (for editors).
    Lsp,
    /// Print a rule's documentation (by code, e.g. HC001, or name).
    Explain { code: String },
    /// List every rule.
    Rules(RulesArgs),
    /// Write a commented shipready.toml with the deployable units detected in a folder.
    Init {
        /// The workspace folder.
        #[arg(default_value = ".")]
        path: PathBuf,
    },
}

#[derive(Args)]
pub struct CheckArgs {
    /// The workspace folder to audit.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// How to print the report.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
    /// Scoring profile: `seed` scores exactly as the seed auditor; `standard` (the default) leaves out checks that
    /// do not apply. Overrides the configuration file's `profile`.
    #[arg(long, value_enum)]
    pub profile: Option<ProfileArg>,
    /// Exit with status 1 when the overall score is below this.
    #[arg(long, value_name = "N", value_parser = parse_score)]
    pub min_score: Option<f64>,
    /// Exit with status 1 when a gap of this severity or a more serious one remains.
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,
    /// Apply the safe fixes (the editor's quick fixes) to the files, then report on the fixed workspace.
    #[arg(long, conflicts_with = "diff")]
    pub fix: bool,
    /// Print the fixes `--fix` would apply as a unified diff, write nothing; exit status 1 when there are some.
    #[arg(long)]
    pub diff: bool,
    /// With `--fix` or `--diff`: apply the unsafe fixes too (placeholders and guessed commands to review).
    #[arg(long)]
    pub unsafe_fixes: bool,
}

/// The output formats of `shipready check`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// For people: scores, checks, gaps and recommendations.
    Text,
    /// Everything, in the versioned schema of docs/json-schema.md.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow annotations, plus a Markdown summary appended to $GITHUB_STEP_SUMMARY when set.
    Github,
    /// JUnit XML: a test suite per deployable unit, a test case per check.
    Junit,
    /// A GitLab code quality report.
    Gitlab,
    /// A pull-request comment in Markdown.
    Markdown,
}

/// The least serious severity that fails `--fail-on`.
#[derive(Clone, Copy, ValueEnum)]
pub enum FailOn {
    /// Fail on CRITICAL gaps.
    Critical,
    /// Fail on HIGH gaps or worse.
    High,
    /// Fail on MEDIUM gaps or worse.
    Medium,
    /// Fail on any gap.
    Low,
}

impl FailOn {
    pub fn severity(self) -> shipready_rules::Severity {
        match self {
            FailOn::Critical => shipready_rules::Severity::Critical,
            FailOn::High => shipready_rules::Severity::High,
            FailOn::Medium => shipready_rules::Severity::Medium,
            FailOn::Low => shipready_rules::Severity::Low,
        }
    }
}

#[derive(Args)]
pub struct RulesArgs {
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write one Markdown page per rule into this folder (the rule pages in docs/rules).
    #[arg(long, value_name = "DIR")]
    pub write_docs: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ProfileArg {
    Seed,
    Standard,
}

impl ProfileArg {
    pub fn profile(self) -> shipready_analysis::Profile {
        match self {
            ProfileArg::Seed => shipready_analysis::Profile::Seed,
            ProfileArg::Standard => shipready_analysis::Profile::Standard,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

impl Color {
    pub fn write_global(self) {
        let choice = match self {
            Color::Auto => anstream::ColorChoice::Auto,
            Color::Always => anstream::ColorChoice::Always,
            Color::Never => anstream::ColorChoice::Never,
        };
        choice.write_global();
    }
}

fn parse_score(s: &str) -> Result<f64, String> {
    let v: f64 = s.parse().map_err(|_| format!("`{s}` is not a number"))?;
    if (0.0..=100.0).contains(&v) {
        Ok(v)
    } else {
        Err(format!("{v} is outside 0-100"))
    }
}
