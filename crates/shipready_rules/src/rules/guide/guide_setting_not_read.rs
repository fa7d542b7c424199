//! ## What it checks
//! That every environment variable the deployment guide tells the deployer to set is one the unit uses. The
//! guide sets a variable in its shell blocks (`export NAME=...`, `NAME=value command`, `docker run -e NAME=...`),
//! in env-file blocks (`NAME=value` lines of an `env`/`dotenv`/`ini` block), or names it as inline code
//! (`` `DATABASE_URL` ``, in prose, lists or tables) under a heading about the environment, configuration,
//! settings, variables or secrets. A variable the guide's own commands expand (`PROJECT_ID=...` then
//! `gcloud ... $PROJECT_ID`) is the reader's shell variable, not a setting, and is not judged. The unit uses it when its Python code reads it (`os.environ`, `os.getenv`, a
//! pydantic settings field, prefixes resolved), when any other file of the unit shipready reads names it
//! (a compose `environment:` or `${NAME}`, a Dockerfile `ENV`/`ARG`, a script, a CI workflow, CDK code), when a
//! platform or tool reads it (`AWS_PROFILE`, `DOCKER_BUILDKIT`, `PYTHONPATH`, ...), or when it is in the
//! namespace of a library the unit imports or declares (`SENTRY_DSN` with `sentry_sdk`, `OPENAI_API_KEY` with
//! `openai`, `CELERY_BROKER_URL` with `celery`).
//!
//! Not judged: units whose Python code reads no environment variable, units whose code reads names shipready
//! cannot list (a computed key, the whole environment passed on, django-environ, python-decouple, dynaconf,
//! starlette's `Config`), and units with code in other languages (a `package.json`, a Node, Go, Java, Ruby,
//! PHP or .NET image), which may read the name.
//!
//! ## Why it matters
//! A setting the guide documents but the code never reads is a renamed or removed variable: the deployer sets
//! `STRIPE_KEY`, the code reads `STRIPE_API_KEY`, and the first request that needs it fails in production while
//! every step of the guide was followed.
//!
//! ## Example
//! ````markdown
//! ## Environment
//! ```sh
//! export STRIPE_KEY=sk_live_...
//! ```
//! ````
//! while the code reads `os.environ["STRIPE_API_KEY"]`.
//!
//! ## Fix
//! Document the name the code reads (`export STRIPE_API_KEY=...`), or remove the variable from the guide when the
//! code no longer needs it.

use shipready_syntax::markdown::MarkdownFacts;
use shipready_syntax::{FileFacts, FileKind};
use shipready_text::TextRange;

use crate::index::docker::dockerfile;
use crate::{Category, Context, Finding, Outcome, Rule, Severity, SourceFile};

pub(crate) static RULE: Rule = Rule {
    name: "guide-setting-not-read",
    category: Category::Guide,
    severity: Severity::Low,
    title: "The guide sets an environment variable nothing reads",
    impact: "The deployer sets a variable that does nothing while the code reads another name, and the deployment fails where the guide said it would work.",
    recommendation: "Document the names the code reads; drop variables the code no longer uses.",
    effort: "5 minutes",
    source: include_str!("guide_setting_not_read.rs"),
    check,
};

/// Exact names shells and tools read, beyond those the platforms set ([`super::PLATFORM_NAMES`]).
const TOOL_NAMES: &[&str] = &[
    "SHELL",
    "TERM",
    "TZ",
    "LANG",
    "EDITOR",
    "HOST",
    "DEBIAN_FRONTEND",
    "VIRTUAL_ENV",
    "KUBECONFIG",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "NO_PROXY",
    "REQUESTS_CA_BUNDLE",
    "SSL_CERT_FILE",
    "CURL_CA_BUNDLE",
    "WEB_CONCURRENCY",
    "FORWARDED_ALLOW_IPS",
];

/// Name prefixes of platforms and tools (cloud CLIs, Docker, CI systems, Python and Node tooling).
const TOOL_PREFIXES: &[&str] = &[
    "AWS_",
    "CDK_",
    "AMAZON_",
    "ECS_",
    "LAMBDA_",
    "DOCKER_",
    "COMPOSE_",
    "BUILDKIT_",
    "BUILDX_",
    "PYTHON",
    "PIP_",
    "POETRY_",
    "PIPENV_",
    "UV_",
    "CONDA",
    "NODE_",
    "NPM_",
    "YARN_",
    "GITHUB_",
    "GITLAB_",
    "CI_",
    "RUNNER_",
    "GIT_",
    "SSH_",
    "GPG_",
    "KUBE",
    "HELM_",
    "TF_",
    "GOOGLE_",
    "GCLOUD_",
    "CLOUDSDK_",
    "GCP_",
    "AZURE_",
    "ARM_",
    "HEROKU_",
    "FLY_",
    "RENDER_",
    "VERCEL_",
    "RAILWAY_",
    "NETLIFY_",
    "LC_",
    "XDG_",
    "GUNICORN_",
    "UVICORN_",
    "HYPERCORN_",
];

/// Library namespaces whose environment prefix differs from their import name.
const NAMESPACES: &[(&str, &str)] = &[
    ("OTEL_", "opentelemetry"),
    ("DD_", "ddtrace"),
    ("NEW_RELIC_", "newrelic"),
    ("HF_", "huggingface"),
    ("HF_", "transformers"),
    ("SENTRY_", "sentry"),
    ("SQLALCHEMY_", "sqlalchemy"),
];

/// Shell and env-file languages whose blocks set variables.
const SETTING_LANGS: &[&str] = &[
    "sh",
    "bash",
    "shell",
    "console",
    "shell-session",
    "zsh",
    "env",
    "dotenv",
    "ini",
    "properties",
    "text",
    "plaintext",
];

/// Words of a heading whose section documents settings.
const SETTINGS_HEADINGS: &[&str] = &[
    "environment",
    "env var",
    "variables",
    "configuration",
    "configure",
    "config",
    "settings",
    "secrets",
];

/// Base images of other languages' runtimes and builds.
const OTHER_LANGUAGE_IMAGES: &[&str] = &[
    "node",
    "nodejs",
    "golang",
    "go",
    "rust",
    "openjdk",
    "eclipse-temurin",
    "amazoncorretto",
    "java",
    "maven",
    "gradle",
    "ruby",
    "php",
    "elixir",
    "erlang",
    "deno",
    "bun",
    "provided",
];

/// A variable the guide sets or names, with the range of its name.
#[derive(Debug, PartialEq)]
struct Named {
    name: String,
    range: TextRange,
}

fn check(ctx: &Context) -> Outcome {
    let na = Outcome::not_applicable_because;
    let Ok((guide, md)) = super::guide(ctx) else {
        return na("no deployment guide");
    };
    let mut named = guide_names(&guide.text, md);
    if named.is_empty() {
        return na("the guide sets no environment variable");
    }
    let python: Vec<(&SourceFile, &shipready_syntax::python::PythonFacts)> = ctx
        .workspace
        .of_kind(FileKind::Python)
        .filter_map(|f| match &f.facts {
            FileFacts::Python(py) => Some((f, &**py)),
            _ => None,
        })
        .collect();
    let reads: Vec<(&str, &str, TextRange)> = python
        .iter()
        .flat_map(|(f, py)| {
            py.web
                .env_vars
                .iter()
                .map(|v| (v.value.as_str(), f.path.as_str(), v.range))
        })
        .collect();
    if reads.is_empty() {
        return na("no Python code of the unit reads an environment variable");
    }
    if python.iter().any(|(_, py)| py.web.env_unlisted) {
        return na("the code reads environment variables whose names shipready cannot list (a computed key, the whole environment, a configuration library)");
    }
    if let Some(why) = other_language(ctx) {
        return na(&format!(
            "part of the unit is {why}, whose code shipready does not read"
        ));
    }
    let libraries = libraries(ctx);
    named.sort_by_key(|n| n.range.start);
    let mut seen: Vec<&str> = Vec::new();
    let mut judged = 0;
    let mut findings = Vec::new();
    for n in &named {
        if seen.contains(&n.name.as_str()) {
            continue;
        }
        seen.push(&n.name);
        judged += 1;
        let used = reads
            .iter()
            .any(|(r, _, _)| r.eq_ignore_ascii_case(&n.name))
            || provided(&n.name)
            || in_namespace(&n.name, &libraries)
            || ctx
                .workspace
                .files()
                .iter()
                .filter(|f| f.kind != FileKind::Markdown)
                .any(|f| super::names_word(&f.text, &n.name));
        if used {
            continue;
        }
        let closest = closest(&n.name, &reads);
        let fix = match closest {
            Some((read, _, _)) => format!("The code reads `{read}`: if that is the setting meant, document it under that name."),
            None => "Document the name the code reads, or drop the variable from the guide if the code no longer needs it.".to_owned(),
        };
        let message = format!(
            "The guide has the deployer set `{}`, but nothing in this unit reads it (no code, compose file, Dockerfile, script or workflow names it): setting it does nothing, and the setting the code does read stays unset. {fix}",
            n.name
        );
        let mut finding = Finding::at(&guide.path, n.range, message);
        if let Some((read, file, range)) = closest {
            finding = finding.with_related(file, range, format!("the code reads `{read}` here"));
        }
        findings.push(finding);
    }
    if findings.is_empty() {
        let verb = if judged == 1 { "is" } else { "are" };
        let details = format!(
            "{} the guide sets {verb} read by the unit",
            super::super::plural(judged, "environment variable", "environment variables")
        );
        return Outcome::pass(details, vec![guide.path.clone()]);
    }
    let n = findings.len();
    let details = format!(
        "{n} of {} the guide sets read by nothing",
        super::super::plural(judged, "environment variable", "environment variables")
    );
    Outcome::fail(details, findings).needing(n)
}

/// The variables the guide sets in its shell and env-file blocks, and the ones it names as inline code under a
/// heading about settings.
fn guide_names(text: &str, md: &MarkdownFacts) -> Vec<Named> {
    let mut out = Vec::new();
    for block in &md.code_blocks {
        let setting_lang = block
            .lang
            .as_deref()
            .is_none_or(|l| SETTING_LANGS.contains(&l));
        if !setting_lang {
            continue;
        }
        let Some(raw) = text.get(block.range.start..block.range.end) else {
            continue;
        };
        let mut offset = block.range.start;
        for line in raw.split_inclusive('\n') {
            assignments(line, offset, &mut out);
            offset += line.len();
        }
    }
    for code in &md.inline_code {
        let name = code.value.split_once('=').map_or(&*code.value, |(n, _)| n);
        let assigned = code.value.contains('=');
        if !is_env_name(name) || !(assigned || name.contains('_')) {
            continue;
        }
        let under_settings = md
            .sections
            .iter()
            .filter(|s| s.range.start <= code.range.start && code.range.start < s.range.end)
            .filter_map(|s| md.headings.get(s.heading))
            .any(|h| {
                let lower = h.text.to_lowercase();
                SETTINGS_HEADINGS.iter().any(|w| lower.contains(w))
            });
        if under_settings {
            let start = code.range.start;
            out.push(Named {
                name: name.to_owned(),
                range: TextRange::new(start, start + name.len()),
            });
        }
    }
    // A variable the guide's own commands expand (`PROJECT_ID=my-project`, then `gcloud ... $PROJECT_ID` in
    // that block or a later one) is the reader's shell variable, not a setting of the app.
    let code: Vec<&str> = md
        .code_blocks
        .iter()
        .filter_map(|b| text.get(b.range.start..b.range.end))
        .collect();
    out.retain(|n| {
        let dollar = format!("${}", n.name);
        let braced = format!("${{{}", n.name);
        !code
            .iter()
            .any(|c| super::names_word(c, &dollar) || c.contains(&braced))
    });
    out
}

/// The `NAME=` assignments of one line of a shell or env-file block starting at byte `offset`: a leading
/// `NAME=value` (after a prompt and `export`), and `-e`/`--env` flags.
fn assignments(line: &str, offset: usize, out: &mut Vec<Named>) {
    let mut words = Vec::new();
    let mut at = 0;
    for word in line.split_inclusive([' ', '\t', '\n', '\r']) {
        let trimmed = word.trim_end();
        if !trimmed.is_empty() {
            words.push((at, trimmed));
        }
        at += word.len();
    }
    // A comment (`# OLD_NAME=1` in an env file) sets nothing.
    if words.first().is_some_and(|(_, w)| w.starts_with('#')) {
        return;
    }
    let mut i = 0;
    if words.first().is_some_and(|(_, w)| matches!(*w, "$" | ">")) {
        i += 1;
    }
    if words.get(i).is_some_and(|(_, w)| *w == "export") {
        i += 1;
    }
    // Leading assignments: `NAME=value cmd` or a whole env-file line.
    while let Some(&(start, word)) = words.get(i) {
        let Some((name, _)) = word.split_once('=').filter(|(n, _)| is_env_name(n)) else {
            break;
        };
        push(out, name, offset + start);
        i += 1;
    }
    for pair in words.windows(2) {
        let [(_, flag), (start, value)] = pair else {
            continue;
        };
        if matches!(*flag, "-e" | "--env") {
            let quote = usize::from(value.starts_with(['"', '\'']));
            let unquoted = &value[quote..];
            if let Some((name, _)) = unquoted.split_once('=').filter(|(n, _)| is_env_name(n)) {
                push(out, name, offset + start + quote);
            }
        }
    }
    for &(start, word) in &words {
        if let Some(pair) = word.strip_prefix("--env=") {
            if let Some((name, _)) = pair.split_once('=').filter(|(n, _)| is_env_name(n)) {
                push(out, name, offset + start + "--env=".len());
            }
        }
    }
}

fn push(out: &mut Vec<Named>, name: &str, start: usize) {
    out.push(Named {
        name: name.to_owned(),
        range: TextRange::new(start, start + name.len()),
    });
}

/// An upper-case shell variable name (`DATABASE_URL`, `PORT`).
fn is_env_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && name.len() >= 2
        && chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// Names platforms, shells and tools read.
fn provided(name: &str) -> bool {
    super::PLATFORM_NAMES.contains(&name)
        || TOOL_NAMES.contains(&name)
        || TOOL_PREFIXES.iter().any(|p| name.starts_with(p))
}

/// The top-level modules the unit's Python imports and the packages it declares, lower-cased with `-` as `_`.
fn libraries(ctx: &Context) -> Vec<String> {
    let mut out = Vec::new();
    for file in ctx
        .workspace
        .of_kinds(&[FileKind::Python, FileKind::Requirements])
    {
        match &file.facts {
            FileFacts::Python(py) => out.extend(
                py.imports
                    .iter()
                    .filter(|i| i.level == 0)
                    .filter_map(|i| i.module.split('.').next())
                    .map(str::to_ascii_lowercase),
            ),
            FileFacts::Requirements(r) => out.extend(
                r.packages
                    .iter()
                    .map(|p| p.value.to_ascii_lowercase().replace('-', "_")),
            ),
            _ => {}
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Whether `name` is in the namespace of a library the unit uses: its first word is the library's name or the
/// start of it (`SENTRY_DSN` and `sentry_sdk`, `CELERY_BROKER_URL` and `celery`), or a known alias.
fn in_namespace(name: &str, libraries: &[String]) -> bool {
    let first = name.split('_').next().unwrap_or(name).to_ascii_lowercase();
    let own = first.len() >= 3
        && libraries
            .iter()
            .any(|l| l == &first || l.starts_with(&format!("{first}_")));
    own || NAMESPACES.iter().any(|(prefix, library)| {
        name.starts_with(prefix) && libraries.iter().any(|l| l.starts_with(library))
    })
}

/// Why part of the unit is in a language shipready does not read: a `package.json`, or a build stage on a
/// Node, Go, Java, Ruby, PHP or .NET image.
fn other_language(ctx: &Context) -> Option<String> {
    if let Some(file) = ctx
        .workspace
        .of_kind(FileKind::Script)
        .find(|f| f.name() == "package.json")
    {
        return Some(format!("JavaScript (`{}`)", file.path));
    }
    for file in ctx.workspace.of_kind(FileKind::Dockerfile) {
        let Some(d) = dockerfile(&file.facts) else {
            continue;
        };
        for stage in &d.stages {
            let name = stage.image.name.to_ascii_lowercase();
            let last = name.rsplit('/').next().unwrap_or(&name);
            if OTHER_LANGUAGE_IMAGES.contains(&last) || name.contains("dotnet") {
                return Some(format!("built on `{}` (`{}`)", stage.image.text, file.path));
            }
        }
    }
    None
}

/// The read whose name is nearest `name` (the name with a prefix in front, as a settings `env_prefix` adds, or
/// edits to at most a third of the longer name), to suggest in the message.
fn closest<'a>(
    name: &str,
    reads: &[(&'a str, &'a str, TextRange)],
) -> Option<(&'a str, &'a str, TextRange)> {
    reads
        .iter()
        .map(|&(r, f, range)| {
            let upper = r.to_ascii_uppercase();
            let longer = name.len().max(r.len());
            let prefixed = upper.len() > name.len()
                && upper.ends_with(name)
                && upper.as_bytes()[upper.len() - name.len() - 1] == b'_';
            let d = if prefixed { 1 } else { distance(name, &upper) };
            (d, longer, (r, f, range))
        })
        .filter(|&(d, longer, _)| d > 0 && d <= longer / 3)
        .map(|(d, _, read)| (d, read))
        .min_by_key(|(d, (r, _, _))| (*d, *r))
        .map(|(_, read)| read)
}

/// Levenshtein distance over bytes (names are ASCII).
fn distance(a: &str, b: &str) -> usize {
    let b = b.as_bytes();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.bytes().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            let next = (row[j] + 1).min(row[j + 1] + 1).min(diagonal + cost);
            diagonal = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(md: &str) -> Vec<(String, &str)> {
        let facts = shipready_syntax::markdown::parse(md);
        guide_names(md, &facts)
            .into_iter()
            .map(|n| (n.name, &md[n.range.start..n.range.end]))
            .collect()
    }

    #[test]
    fn names_set_in_shell_and_env_blocks_with_their_ranges() {
        let md = "# Deploy\n\n```sh\nPROJECT_ID=my-project\n```\n\n```sh\ngcloud run deploy --project $PROJECT_ID\n```\n\n```sh\n$ export STRIPE_KEY=sk_test\nDEBUG=0 LOG_FORMAT=json uvicorn app:app\ndocker run -e \"REDIS_URL=redis://r\" --env=TOKEN_TTL=60 img\necho $NOT_SET\nHOST_DIR=/srv rsync \"${HOST_DIR}/\" x\nLOCAL_VAR=1\necho $LOCAL_VAR\n```\n\n```env\nDATABASE_URL=postgres://db\n# COMMENTED=1\n```\n\n```python\nX_Y = 1\n```\n";
        let got = named(md);
        let names: Vec<&str> = got.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "STRIPE_KEY",
                "DEBUG",
                "LOG_FORMAT",
                "REDIS_URL",
                "TOKEN_TTL",
                "DATABASE_URL"
            ]
        );
        assert!(got.iter().all(|(n, span)| n == span), "{got:?}");
    }

    #[test]
    fn inline_code_counts_only_under_a_settings_heading() {
        let md = "# App\n\nUses `SOME_FLAG` somewhere.\n\n## Configuration\n\n| Name | Use |\n| --- | --- |\n| `DATABASE_URL` | the database |\n| `PORT=8000` | port |\n| `AWS` | no underscore |\n\n### Secrets\n\n- `API_TOKEN`: the token\n";
        let got = named(md);
        let names: Vec<&str> = got.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["DATABASE_URL", "PORT", "API_TOKEN"]);
    }

    #[test]
    fn namespaces_and_suggestions() {
        let libs = vec![
            "sentry_sdk".to_owned(),
            "celery".to_owned(),
            "opentelemetry".to_owned(),
        ];
        assert!(in_namespace("SENTRY_DSN", &libs));
        assert!(in_namespace("CELERY_BROKER_URL", &libs));
        assert!(in_namespace("OTEL_SERVICE_NAME", &libs));
        assert!(!in_namespace("STRIPE_KEY", &libs));
        let reads = [("STRIPE_API_KEY", "app.py", TextRange::new(0, 1))];
        assert_eq!(
            closest("STRIPE_KEY", &reads).map(|r| r.0),
            Some("STRIPE_API_KEY")
        );
        assert_eq!(closest("REDIS_HOST", &reads), None);
        let prefixed = [("BILLING_STRIPE_API_KEY", "s.py", TextRange::new(0, 1))];
        assert_eq!(
            closest("STRIPE_API_KEY", &prefixed).map(|r| r.0),
            Some("BILLING_STRIPE_API_KEY")
        );
        assert_eq!(distance("kitten", "sitting"), 3);
    }
}
