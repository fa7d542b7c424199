//! The shell commands a code block runs, and the title in a document's front matter: facts computed once per
//! file so rules can ask "does this guide run `cdk deploy`?" without re-reading code block text.

use shipready_text::TextRange;

use crate::Spanned;

/// Fence languages whose content is shell commands. An unlabelled fence or an indented block counts too: guides
/// leave the language off most often on one-line commands.
const SHELL_LANGS: &[&str] = &[
    "bash",
    "sh",
    "shell",
    "zsh",
    "fish",
    "console",
    "terminal",
    "shell-session",
    "shellsession",
    "sh-session",
    "powershell",
    "pwsh",
    "ps",
    "ps1",
    "cmd",
    "bat",
    "text",
    "txt",
    "plaintext",
];

/// The commands in a code block's `content`: one entry per command, with a shell prompt (`$ `, `% `, `PS> `),
/// `sudo` and leading `NAME=value` assignments removed, `&&`/`||`/`;` chains split, `\` continuations joined
/// and whitespace collapsed. Comment lines are skipped; in a transcript (some lines start with a prompt) only
/// prompted lines are commands, the rest is output. Empty for code in other languages.
pub(super) fn commands(lang: Option<&str>, content: &str) -> Vec<String> {
    if lang.is_some_and(|l| !SHELL_LANGS.contains(&l)) {
        return Vec::new();
    }
    let lines = logical_lines(content);
    let transcript = lines.iter().any(|l| prompt_stripped(l).is_some());
    let mut out = Vec::new();
    for line in &lines {
        let line = match prompt_stripped(line) {
            Some(rest) => rest,
            None if transcript => continue,
            None => line.trim(),
        };
        if line.starts_with('#') || line.starts_with("//") || line.starts_with("::") {
            continue;
        }
        for part in line
            .split("&&")
            .flat_map(|p| p.split("||"))
            .flat_map(|p| p.split(';'))
        {
            if let Some(command) = normalized(part) {
                out.push(command);
            }
        }
    }
    out
}

/// Lines with `\` continuations joined.
fn logical_lines(content: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in content.lines() {
        let trimmed = line.trim_end();
        match trimmed.strip_suffix('\\') {
            Some(head) => {
                current.push_str(head);
                current.push(' ');
            }
            None => {
                current.push_str(trimmed);
                out.push(std::mem::take(&mut current));
            }
        }
    }
    if !current.trim().is_empty() {
        out.push(current);
    }
    out
}

/// The line after a shell prompt, or `None` when it has none.
fn prompt_stripped(line: &str) -> Option<&str> {
    let line = line.trim_start();
    ["$ ", "% ", "PS> ", "> "]
        .iter()
        .find_map(|p| line.strip_prefix(p))
        .or_else(|| {
            // `PS C:\app> cmd`
            let rest = line.strip_prefix("PS ")?;
            rest.split_once("> ").map(|(_, cmd)| cmd)
        })
        .map(str::trim)
}

/// One command with whitespace collapsed, `sudo` and leading variable assignments removed.
fn normalized(part: &str) -> Option<String> {
    let mut words = part.split_whitespace().peekable();
    while let Some(word) = words.peek() {
        let assignment = word.split_once('=').is_some_and(|(name, _)| {
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        });
        if assignment || *word == "sudo" || *word == "env" {
            words.next();
        } else {
            break;
        }
    }
    let command = words.collect::<Vec<_>>().join(" ");
    (!command.is_empty()).then_some(command)
}

/// The `title` of a YAML (`title: Installation`) or TOML (`title = "Installation"`) front matter block, with
/// the range of its value. `block` is the block's text, starting at `offset` in the document.
pub(super) fn front_matter_title(block: &str, offset: usize) -> Option<Spanned<String>> {
    let mut at = offset;
    for line in block.split_inclusive('\n') {
        let start = at;
        at += line.len();
        let Some(rest) = line.strip_prefix("title") else {
            continue;
        };
        let Some(value) = rest
            .trim_start()
            .strip_prefix(':')
            .or_else(|| rest.trim_start().strip_prefix('='))
        else {
            continue;
        };
        let value = value.trim_end_matches(['\n', '\r']);
        let lead = value.len() - value.trim_start().len();
        let value = value.trim();
        let unquoted = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
            .unwrap_or(value);
        if unquoted.trim().is_empty() {
            return None;
        }
        let quote = usize::from(unquoted.len() != value.len());
        let value_start =
            start + (line.len() - rest.len()) + (rest.len() - rest.trim_start().len());
        // `title` + spaces + `:` + spaces + opening quote.
        let begin = value_start + 1 + lead + quote;
        let range = TextRange::new(begin, begin + unquoted.len());
        return Some(Spanned::new(unquoted.to_owned(), range));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_commands_are_normalised() {
        let content = "# build and ship\n$ cd infra && AWS_PROFILE=prod npx cdk deploy --all\nStack deployed\n$ sudo  docker compose   up -d\n";
        assert_eq!(
            commands(Some("console"), content),
            ["cd infra", "npx cdk deploy --all", "docker compose up -d"]
        );
        assert_eq!(
            commands(None, "helm upgrade --install api ./chart \\\n  --namespace prod\nkubectl apply -f k8s/; echo ok\n"),
            [
                "helm upgrade --install api ./chart --namespace prod",
                "kubectl apply -f k8s/",
                "echo ok"
            ]
        );
        assert_eq!(
            commands(Some("powershell"), "PS C:\\app> fly deploy\n"),
            ["fly deploy"]
        );
    }

    #[test]
    fn code_in_other_languages_runs_no_commands() {
        assert!(commands(Some("python"), "cdk deploy\n").is_empty());
        assert!(commands(Some("yaml"), "run: cdk deploy\n").is_empty());
        assert!(commands(None, "").is_empty());
        assert!(commands(None, "\\").is_empty());
    }

    #[test]
    fn front_matter_titles() {
        let block = "---\nsidebar_position: 2\ntitle: \"Installation\"\n---";
        let title = front_matter_title(block, 10).expect("title");
        assert_eq!(title.value, "Installation");
        let start = block.find("Installation").unwrap_or(0) + 10;
        assert_eq!(title.range, TextRange::new(start, start + 12));

        let block = "+++\ntitle = 'Going live'\n+++";
        let title = front_matter_title(block, 0).expect("title");
        assert_eq!(title.range.slice(block), "Going live");

        let block = "---\ntitle:   Deploy\r\n---";
        let title = front_matter_title(block, 0).expect("title");
        assert_eq!(title.range.slice(block), "Deploy");

        assert_eq!(front_matter_title("---\ntitle:\n---", 0), None);
        assert_eq!(front_matter_title("---\nsubtitle: x\n---", 0), None);
        assert_eq!(front_matter_title("---\ntitles: x\n---", 0), None);
    }
}
