//! `shipready rules`: list the rule catalog, or write its pages.

use std::process::ExitCode;

use anyhow::Context;
use shipready_rules::RULES;

use crate::cli::{Format, RulesArgs};

pub fn run(args: RulesArgs) -> anyhow::Result<ExitCode> {
    if let Some(dir) = &args.write_docs {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        for entry in RULES {
            let path = dir.join(format!("{}.md", entry.code));
            std::fs::write(&path, crate::explain::page(entry))
                .with_context(|| format!("writing {}", path.display()))?;
        }
        eprintln!("wrote {} rule pages to {}", RULES.len(), dir.display());
        return Ok(ExitCode::SUCCESS);
    }
    match args.format {
        Format::Text => {
            for e in RULES {
                println!(
                    "{}  {:<32} {:<9} {:<8} {}",
                    e.code,
                    e.rule.name,
                    e.rule.category.id(),
                    e.rule.severity.as_str(),
                    e.rule.title
                );
            }
        }
        Format::Json => {
            let list: Vec<serde_json::Value> = RULES
                .iter()
                .map(|e| {
                    serde_json::json!({
                        "code": e.code, "name": e.rule.name, "category": e.rule.category.id(),
                        "severity": e.rule.severity.as_str(), "title": e.rule.title, "scored": e.scored,
                        "summary": e.rule.summary(),
                    })
                })
                .collect();
            println!("{}", serde_json::to_string_pretty(&list)?);
        }
    }
    Ok(ExitCode::SUCCESS)
}
