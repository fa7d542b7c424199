//! ## What it checks
//! That no `RUN` instruction pipes a download into a shell (`curl ... | sh`, `wget -qO- ... | bash`) without
//! `pipefail`: a `set -o pipefail` in the same command, or a `SHELL ["/bin/bash", "-o", "pipefail", "-c"]`
//! before it.
//!
//! ## Why it matters
//! Without `pipefail` the pipeline's status is the shell's: when the download fails halfway, the shell runs what
//! arrived and the build goes on with a half-installed tool. The script also runs unreviewed code with the
//! build's rights.
//!
//! ## Example
//! ```dockerfile
//! RUN curl -fsSL https://example.com/install.sh | sh
//! ```
//!
//! ## Fix
//! ```dockerfile
//! SHELL ["/bin/bash", "-o", "pipefail", "-c"]
//! RUN curl -fsSL https://example.com/install.sh | sh
//! ```
//! Better still: download a pinned release, check its checksum, then run it.

use shipready_syntax::FileKind;

use crate::index::docker::dockerfile;
use crate::{Category, Context, Finding, Outcome, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    name: "pipe-to-shell",
    category: Category::Security,
    severity: Severity::Medium,
    title: "A download is piped into a shell without pipefail",
    impact: "A failed or tampered download is executed and the build carries on.",
    recommendation:
        "Set pipefail (SHELL with -o pipefail) or download, verify and then run the script.",
    effort: "15 minutes",
    source: include_str!("pipe_to_shell.rs"),
    check,
};

/// Whether a shell command pipes `curl`/`wget` output into a shell.
pub(crate) fn pipes_download_to_shell(command: &str) -> bool {
    command.split("&&").chain(command.split(';')).any(|part| {
        let mut stages = part.split('|').map(str::trim);
        let Some(first) = stages.next() else {
            return false;
        };
        let downloads = first.split_whitespace().any(|w| w == "curl" || w == "wget");
        downloads
            && stages.any(|s| {
                let program = s.split_whitespace().find(|w| *w != "sudo").unwrap_or("");
                let program = program.rsplit('/').next().unwrap_or(program);
                matches!(
                    program,
                    "sh" | "bash" | "zsh" | "dash" | "ash" | "python" | "python3"
                )
            })
    })
}

fn check(ctx: &Context) -> Outcome {
    let mut seen = 0;
    let mut findings = Vec::new();
    for file in ctx.workspace.of_kind(FileKind::Dockerfile) {
        let Some(d) = dockerfile(&file.facts) else {
            continue;
        };
        seen += 1;
        let shell_pipefail = file.text.lines().any(|l| {
            let t = l.trim_start();
            t.get(..5).is_some_and(|w| w.eq_ignore_ascii_case("shell")) && t.contains("pipefail")
        });
        for stage in &d.stages {
            for run in &stage.runs {
                if pipes_download_to_shell(&run.text)
                    && !run.text.contains("pipefail")
                    && !shell_pipefail
                {
                    findings.push(Finding::at(
                        &file.path,
                        run.range,
                        "This RUN pipes a download into a shell without pipefail: a failed download still runs and the build goes on. Set `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]`, or download, verify and run.",
                    ));
                }
            }
        }
    }
    if seen == 0 {
        return super::not_applicable("no Dockerfile");
    }
    if findings.is_empty() {
        return Outcome::pass("no download piped into a shell", Vec::new());
    }
    let n = findings.len();
    Outcome::fail(format!("{n} RUN piping a download into a shell"), findings).needing(n)
}

#[cfg(test)]
mod tests {
    use super::pipes_download_to_shell as p;

    #[test]
    fn downloads_piped_into_shells() {
        assert!(p("curl -fsSL https://x.sh | sh"));
        assert!(p("apt-get update && wget -qO- https://x | sudo bash -s --"));
        assert!(!p("curl -fsSL https://x -o x.tgz && tar xzf x.tgz"));
        assert!(!p("cat file | sh"));
        assert!(!p("curl https://x | tee out"));
    }

    #[test]
    fn a_dockerfile_starting_with_non_ascii_text_is_read_safely() {
        let ws = crate::Workspace::from_texts([(
            "Dockerfile",
            "# é✓ 日本語\nFROM debian:12\nRUN curl -fsSL https://x | sh\n",
        )]);
        let a = crate::audit(&ws, crate::Profile::Standard);
        assert!(a.findings.iter().any(|f| f.code == "SC003"));
    }
}
