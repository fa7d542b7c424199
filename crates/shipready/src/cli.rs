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
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Scoring profile: `seed` scores exactly as the seed auditor; `standard` (the default) leaves out checks that
    /// do not apply. Overrides the configuration file's `profile`.
    #[arg(long, value_enum)]
    pub profile: Option<ProfileArg>,
    /// Exit with status 1 when the overall score is below this.
    #[arg(long, value_name = "N", value_parser = parse_score)]
    pub min_score: Option<f64>,
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
