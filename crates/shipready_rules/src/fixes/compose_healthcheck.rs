//! The fix for HC002 on a compose service that runs a well-known image without building one: a `healthcheck:`
//! block with the probe that image ships (`pg_isready` for Postgres, `redis-cli ping` for Redis, ...), or, for a
//! stock Python image whose `command:` starts a web server, an HTTP probe of the app's health route on the port
//! the command binds.
//!
//! The block goes after the service's last line (after a comment on it), at the indentation of the service's own keys, with the file's
//! indent unit for its fields and the file's line ending, so a service that merges defaults (`<<: *defaults`)
//! gets it in its own mapping. Images whose probe is unknown, or that ship no probe tool (memcached, nginx),
//! get no fix; neither does a service written as a flow mapping or an alias, whose shape an insertion would break.
//! Probes that read the container's environment escape `$` as `$$`, because Compose would otherwise substitute
//! the variable from the host when it reads the file.

use shipready_syntax::compose::ComposeService;

use super::{port, text};
use crate::index::docker::targets_in;
use crate::{Applicability, Context, Fix};

/// A `healthcheck:` for the image-only compose `service` of the compose file at `path`.
pub(crate) fn fix(ctx: &Context, path: &str, service: &ComposeService) -> Option<Fix> {
    if service.build.is_some() || service.healthcheck.is_some() {
        return None;
    }
    let file = ctx.workspace.file(path)?;
    let src: &str = &file.text;
    let image = service.image.as_ref()?;
    let (probe, applicability) =
        probe(&image.value, service).or_else(|| python_server_probe(ctx, &image.value, service))?;
    let key_line = text::line_start(src, service.name.range.start);
    let own_indent = text::indent_at(src, key_line);
    if !opens_block(after_key(src, service)) {
        return None;
    }
    let body_indent = body_indent(src, service)?;
    let unit = body_indent.len().checked_sub(own_indent.len())?;
    if unit == 0 || body_indent.contains('\t') || own_indent.contains('\t') {
        return None;
    }
    let field = format!("{body_indent}{}", " ".repeat(unit));
    let eol = text::eol(src);
    let test = yaml_quoted(&probe);
    let block = [
        format!("{body_indent}healthcheck:"),
        format!("{field}test: [\"CMD-SHELL\", {test}]"),
        format!("{field}interval: 10s"),
        format!("{field}timeout: 5s"),
        format!("{field}retries: 5"),
    ];
    let block: String = block.iter().map(|l| format!("{l}{eol}")).collect();
    Some(Fix {
        title: format!(
            "Add a healthcheck running `{probe}` to compose service `{}`",
            service.name.value
        ),
        applicability,
        edits: vec![text::insert_lines_after(
            path,
            src,
            service.range.end,
            &block,
        )],
    })
}

/// The probe for an image, and how sure it is to work as written.
fn probe(image: &str, service: &ComposeService) -> Option<(String, Applicability)> {
    let (name, major) = name_and_major(image)?;
    let env = |key: &str| {
        service
            .environment
            .iter()
            .find(|e| e.value.0 == key)
            .and_then(|e| e.value.1.as_deref())
    };
    let safe = |p: &str| Some((p.to_owned(), Applicability::Safe));
    match name.as_str() {
        "postgres" | "postgis" => safe("pg_isready -U $${POSTGRES_USER:-postgres}"),
        "redis" | "valkey" => safe("redis-cli ping"),
        "mysql" => safe("mysqladmin ping -h localhost"),
        // MariaDB 11 images dropped the `mysql*` names of its tools; `mariadb-admin` exists since 10.4.
        "mariadb" if major.is_some_and(|m| m < 11) => safe("mysqladmin ping -h localhost"),
        "mariadb" => safe("mariadb-admin ping -h localhost"),
        // The `mongo` shell was replaced by `mongosh` in MongoDB 5 and removed in 6.
        "mongo" if major.is_some_and(|m| m < 5) => {
            safe("mongo --quiet --eval \"db.adminCommand('ping')\"")
        }
        "mongo" => safe("mongosh --quiet --eval \"db.adminCommand('ping')\""),
        "rabbitmq" => safe("rabbitmq-diagnostics -q ping"),
        // Security (TLS and a password) is on by default from Elasticsearch 8 and in OpenSearch; a plain HTTP
        // probe only works when the service turns it off, so otherwise the fix is for review.
        "elasticsearch" => {
            let open =
                major.is_some_and(|m| m < 8) || env("xpack.security.enabled") == Some("false");
            cluster_probe(open)
        }
        "opensearch" => {
            let open = env("DISABLE_SECURITY_PLUGIN") == Some("true")
                || env("plugins.security.disabled") == Some("true");
            cluster_probe(open)
        }
        _ => None,
    }
}

/// A stock Python image whose `command:` starts a web server (`gunicorn -b 0.0.0.0:5000 app:app` on
/// `python:3.12-slim` with the code mounted): an HTTP probe with the image's own `urllib`, on the port the
/// command binds (else the container side of `ports`, else the server's default) and the main app's health
/// route. Safe only when both the port and the path were read, not assumed.
fn python_server_probe(
    ctx: &Context,
    image: &str,
    service: &ComposeService,
) -> Option<(String, Applicability)> {
    let (name, _) = name_and_major(image)?;
    let command = &service.command.as_ref()?.value;
    if !name.starts_with("python") || targets_in(command).is_empty() {
        return None;
    }
    let read_port = port::port_in_command(command).or_else(|| {
        service
            .ports
            .iter()
            .find_map(|p| port::container_port(&p.value))
    });
    let web = &ctx.index.web();
    let path = web.main_app.and_then(|main| {
        let route = web.health_routes().find(|r| r.served_by(main))?;
        route
            .mounts
            .iter()
            .find(|(_, a)| *a == Some(main))
            .map(|(p, _)| p.clone())
    });
    let url = format!(
        "http://127.0.0.1:{}{}",
        read_port.unwrap_or(8000),
        path.as_deref().unwrap_or("/health")
    );
    let probe =
        format!("python -c \"import urllib.request; urllib.request.urlopen('{url}', timeout=3)\"");
    let applicability = if read_port.is_some() && path.is_some() {
        Applicability::Safe
    } else {
        Applicability::Unsafe
    };
    Some((probe, applicability))
}

fn cluster_probe(open: bool) -> Option<(String, Applicability)> {
    let probe = "curl -fsS http://localhost:9200/_cluster/health || exit 1".to_owned();
    Some((
        probe,
        if open {
            Applicability::Safe
        } else {
            Applicability::Unsafe
        },
    ))
}

/// The image's repository name without registry and namespace (`docker.io/library/postgres:16` -> `postgres`),
/// and the major version of its tag when the tag starts with one. Templated names are unknown.
fn name_and_major(image: &str) -> Option<(String, Option<u32>)> {
    if image.contains('$') {
        return None;
    }
    let image = image.split('@').next().unwrap_or(image);
    let last = image.rsplit('/').next().unwrap_or(image);
    let (name, tag) = last.split_once(':').unwrap_or((last, ""));
    let digits: String = tag.chars().take_while(char::is_ascii_digit).collect();
    Some((name.to_ascii_lowercase(), digits.parse().ok()))
}

/// The text after the service's name on its line (`:`, `: &db`, `": {image: x}`).
pub(super) fn after_key<'a>(src: &'a str, service: &ComposeService) -> &'a str {
    let end = service.name.range.end;
    let line_end = text::line_start(src, end) + text::line_at(src, end).len();
    src.get(end..line_end).unwrap_or("")
}

/// Whether the rest of the service key's line (`:`, `: &db`, `: # comment`) leaves the value to the following
/// lines, as a block mapping.
pub(super) fn opens_block(rest: &str) -> bool {
    let rest = rest.trim_start_matches(['"', '\'']).trim_start();
    let Some(rest) = rest.strip_prefix(':') else {
        return false;
    };
    let rest = rest.split(" #").next().unwrap_or(rest).trim();
    rest.is_empty() || rest.starts_with('#') || rest.starts_with('&') && !rest.contains(' ')
}

/// The indentation of the service's own keys: that of the first content line after its key.
pub(super) fn body_indent<'a>(src: &'a str, service: &ComposeService) -> Option<&'a str> {
    let mut at = text::next_line_start(src, service.name.range.end)?;
    while at < service.range.end {
        let line = text::line_at(src, at);
        let trimmed = line.trim_start_matches([' ', '\t']);
        if !trimmed.is_empty() && !trimmed.starts_with('#') {
            return Some(text::indent_at(src, at));
        }
        at = text::next_line_start(src, at)?;
    }
    None
}

/// A YAML double-quoted scalar holding `s`.
fn yaml_quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_names_and_versions() {
        let of = |i: &str| name_and_major(i);
        assert_eq!(
            of("postgres:16-alpine"),
            Some(("postgres".into(), Some(16)))
        );
        assert_eq!(of("docker.io/library/redis"), Some(("redis".into(), None)));
        assert_eq!(
            of("localhost:5000/team/mongo:4.4@sha256:abc"),
            Some(("mongo".into(), Some(4)))
        );
        assert_eq!(of("${DB_IMAGE:-postgres}"), None);
        assert_eq!(yaml_quoted("a \"b\""), "\"a \\\"b\\\"\"");
        assert!(opens_block(":") && opens_block(": &db # main") && opens_block("\": "));
        assert!(!opens_block(": {image: redis}") && !opens_block(": *db"));
    }
}
