//! Inline suppressions: "not here, and why". A comment `shipready: ignore[HC003] reason` on a finding's line, or
//! alone on the line above it, suppresses that finding; `shipready: ignore-file[DK004] reason` anywhere in a file
//! suppresses the codes for the whole file. Comments are `#` comments in Dockerfiles, Python, YAML and shell
//! files, and `<!-- ... -->` in Markdown. Codes are rule codes or prefixes (`HC` for every health rule).
//!
//! A suppressed finding is still reported (as suppressed) and still costs its points: suppressing says a gap is
//! accepted, not that it is closed. A suppression that suppresses nothing is reported as unused.

use serde::Serialize;
use shipready_syntax::FileKind;
use shipready_text::TextRange;

use crate::{Finding, SourceFile};

/// The marker every suppression comment starts with.
const MARKER: &str = "shipready: ignore";

/// One suppression comment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Suppression {
    pub file: String,
    /// The comment's text from the marker to the end of the comment.
    pub range: TextRange,
    /// Upper-case rule codes or code prefixes.
    pub codes: Vec<String>,
    pub reason: String,
    /// `ignore-file[...]`: every finding of the file with one of the codes.
    pub file_level: bool,
    /// The byte range of the line whose findings it suppresses (the comment's own line when code precedes it,
    /// else the next line that is not blank); unused for file-level suppressions.
    pub target: TextRange,
}

impl Suppression {
    /// Whether this suppression covers `finding` (in the same file).
    pub fn covers(&self, finding: &Finding) -> bool {
        if finding.file.as_deref() != Some(self.file.as_str()) || !self.names(finding.code) {
            return false;
        }
        self.file_level
            || finding
                .range
                .is_some_and(|r| r.start >= self.target.start && r.start <= self.target.end)
    }

    fn names(&self, code: &str) -> bool {
        self.codes.iter().any(|c| code.starts_with(c.as_str()))
    }
}

/// The comment syntax of a file kind: `#` comments, or HTML comments in Markdown; `None` when the format has no
/// comments (`cdk.json`, `package.json`).
fn comment_style(file: &SourceFile) -> Option<&'static str> {
    match file.kind {
        FileKind::Markdown => Some("<!--"),
        FileKind::CdkJson => None,
        FileKind::Script if file.name().eq_ignore_ascii_case("package.json") => None,
        _ => Some("#"),
    }
}

/// Every suppression comment of `file`.
pub fn scan(file: &SourceFile) -> Vec<Suppression> {
    let Some(opener) = comment_style(file) else {
        return Vec::new();
    };
    let text = &*file.text;
    if !text.contains(MARKER) {
        return Vec::new();
    }
    let lines: Vec<(usize, &str)> = line_starts(text);
    let mut out = Vec::new();
    for (i, &(start, line)) in lines.iter().enumerate() {
        let Some(at) = line.find(MARKER) else {
            continue;
        };
        let Some(comment_at) = line[..at].rfind(opener) else {
            continue;
        };
        let rest = &line[at + MARKER.len()..];
        let (file_level, rest) = match rest.strip_prefix("-file") {
            Some(r) => (true, r),
            None => (false, rest),
        };
        let Some(rest) = rest.strip_prefix('[') else {
            continue;
        };
        let Some(close) = rest.find(']') else {
            continue;
        };
        let codes: Vec<String> = rest[..close]
            .split(',')
            .map(|c| c.trim().to_ascii_uppercase())
            .filter(|c| !c.is_empty() && c.chars().all(|ch| ch.is_ascii_alphanumeric()))
            .collect();
        if codes.is_empty() {
            continue;
        }
        let reason = rest[close + 1..]
            .trim()
            .trim_end_matches("-->")
            .trim()
            .to_owned();
        let end = line.trim_end_matches(['\r', '\n']).len();
        let code_before = !line[..comment_at].trim().is_empty();
        let target = if code_before {
            TextRange::new(start, start + end)
        } else {
            lines[i + 1..]
                .iter()
                .find(|(_, l)| !l.trim().is_empty())
                .map(|&(s, l)| TextRange::new(s, s + l.trim_end_matches(['\r', '\n']).len()))
                .unwrap_or_else(|| TextRange::empty(start + end))
        };
        out.push(Suppression {
            file: file.path.clone(),
            range: TextRange::new(start + at, start + end),
            codes,
            reason,
            file_level,
            target,
        });
    }
    out
}

/// `(byte offset, line with its line break)` for every line of `text`.
fn line_starts(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        out.push((offset, line));
        offset += line.len();
    }
    out
}

/// The comment that suppresses `code` on the line of `range` in `file`, written in the file's comment syntax
/// with `indent`, for a code action to insert above that line; `None` for formats without comments.
pub fn comment_for(
    file: &SourceFile,
    code: &str,
    indent: &str,
    line_break: &str,
) -> Option<String> {
    let opener = comment_style(file)?;
    let body = format!("{MARKER}[{code}] <why this gap is accepted>");
    Some(if opener == "#" {
        format!("{indent}# {body}{line_break}")
    } else {
        format!("{indent}<!-- {body} -->{line_break}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan_text(path: &str, text: &str) -> Vec<Suppression> {
        let kind = FileKind::classify(path).unwrap_or(FileKind::Python);
        scan(&SourceFile::new(path, kind, text))
    }

    /// A file's suppressions are its scan, scanned once: every audit of its unit reads the same list.
    #[test]
    fn a_files_suppressions_are_scanned_once() {
        let text = "FROM python\nRUN x  # shipready: ignore[DK003]\n";
        let file = SourceFile::new("Dockerfile", FileKind::Dockerfile, text);
        assert_eq!(file.suppressions(), scan(&file).as_slice());
        assert_eq!(file.suppressions().len(), 1);
        assert!(std::ptr::eq(file.suppressions(), file.suppressions()));
    }

    #[test]
    fn a_comment_above_or_after_the_code_names_codes_and_a_reason() {
        let text = "FROM python\n# shipready: ignore[DK004, hc] the base is pinned by digest in CI\nFROM node\nRUN x  # shipready: ignore[DK003]\n";
        let s = scan_text("Dockerfile", text);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].codes, ["DK004", "HC"]);
        assert_eq!(s[0].reason, "the base is pinned by digest in CI");
        assert_eq!(&text[s[0].target.start..s[0].target.end], "FROM node");
        assert_eq!(
            &text[s[1].target.start..s[1].target.end],
            "RUN x  # shipready: ignore[DK003]"
        );
        assert!(!s[0].file_level);
    }

    #[test]
    fn markdown_uses_html_comments_and_files_can_be_suppressed_whole() {
        let text = "<!-- shipready: ignore-file[GD] this is a library README -->\n# Lib\n";
        let s = scan_text("README.md", text);
        assert_eq!(s.len(), 1);
        assert!(s[0].file_level);
        assert_eq!(s[0].reason, "this is a library README");
        // The marker outside a comment is text, not a suppression.
        assert!(scan_text(
            "README.md",
            "Write shipready: ignore[GD002] in a comment.\n"
        )
        .is_empty());
        assert!(scan_text("cdk.json", "{\"x\": \"# shipready: ignore[CD002]\"}").is_empty());
    }

    #[test]
    fn a_suppression_covers_findings_on_its_target_line_with_its_codes() {
        let text = "# shipready: ignore[HC001]\napp = FastAPI()\n";
        let s = &scan_text("main.py", text)[0];
        let at = text.find("app").unwrap_or(0);
        let finding = |code: &'static str| {
            let mut f = Finding::at("main.py", TextRange::new(at, at + 3), "x");
            f.code = code;
            f
        };
        assert!(s.covers(&finding("HC001")));
        assert!(!s.covers(&finding("HC003")));
        let mut elsewhere = finding("HC001");
        elsewhere.file = Some("other.py".to_owned());
        assert!(!s.covers(&elsewhere));
    }
}
