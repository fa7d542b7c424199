//! The fix for DK005: `restart: unless-stopped` as the first key of each compose service of one file that has
//! no restart policy, on the line after the service's key, at the indentation of its own keys and in the
//! file's line ending. One fix covers every such service of the file (each finding offers it), so applying it
//! leaves no finding offering the same line again. A service written as a flow mapping or an alias gets no
//! edit: an insertion would break its shape. The tests also cover DK009, which reuses HC002's healthcheck fixes.

use shipready_syntax::compose::ComposeService;

use super::compose_healthcheck::{after_key, body_indent, opens_block};
use super::text;
use crate::{Applicability, Context, Edit, Fix};

/// `restart: unless-stopped` for each of `services` of the compose file at `path` that can take it.
pub(crate) fn fix(ctx: &Context, path: &str, services: &[&ComposeService]) -> Option<Fix> {
    let file = ctx.workspace.file(path)?;
    let src: &str = &file.text;
    let mut names = Vec::new();
    let mut edits = Vec::new();
    for service in services {
        if let Some(edit) = edit(path, src, service) {
            names.push(format!("`{}`", service.name.value));
            edits.push(edit);
        }
    }
    if edits.is_empty() {
        return None;
    }
    let what = if names.len() == 1 {
        "service"
    } else {
        "services"
    };
    Some(Fix {
        title: format!(
            "Add `restart: unless-stopped` to compose {what} {}",
            names.join(", ")
        ),
        applicability: Applicability::Safe,
        edits,
    })
}

fn edit(path: &str, src: &str, service: &ComposeService) -> Option<Edit> {
    if service.restart.is_some() || service.restart_policy.is_some() {
        return None;
    }
    if !opens_block(after_key(src, service)) {
        return None;
    }
    let own_indent = text::indent_at(src, service.name.range.start);
    let body = body_indent(src, service)?;
    if body.len() <= own_indent.len() || body.contains('\t') {
        return None;
    }
    let line = format!("{body}restart: unless-stopped{}", text::eol(src));
    Some(text::insert_lines_after(
        path,
        src,
        service.name.range.end,
        &line,
    ))
}

#[cfg(test)]
mod tests {
    use super::super::tests::{check_fix, files};
    use crate::Applicability;

    #[test]
    fn restart_goes_first_in_the_service_and_closes_the_gap() {
        let compose = "services:\r\n    api:   # the API\r\n        build: .\r\n    db:\r\n        image: postgres:16\r\n        restart: always\r\n        volumes:\r\n          - data:/var/lib/postgresql/data\r\nvolumes:\r\n    data:\r\n";
        let done = check_fix(&files(&[("compose.yaml", compose)]), "DK005", |f| {
            f.message.contains("`api`")
        });
        assert_eq!(done.fix.applicability, Applicability::Safe);
        assert_eq!(
            done.after["compose.yaml"],
            compose.replace(
                "# the API\r\n",
                "# the API\r\n        restart: unless-stopped\r\n"
            )
        );
        assert!(!done.audit.findings.iter().any(|f| f.code == "DK005"));
    }

    #[test]
    fn one_fix_covers_every_service_of_the_file() {
        let compose = "services:\n  api:\n    build: .\n  db:\n    image: postgres:16\n    volumes:\n      - data:/var/lib/postgresql/data\nvolumes:\n  data:\n";
        let done = check_fix(&files(&[("compose.yaml", compose)]), "DK005", |f| {
            f.message.contains("`db`")
        });
        assert_eq!(
            done.fix.title,
            "Add `restart: unless-stopped` to compose services `api`, `db`"
        );
        assert!(!done.audit.findings.iter().any(|f| f.code == "DK005"));
    }

    /// DK009 reuses HC002's fixes: the probe a well-known image ships goes into its compose service.
    #[test]
    fn dk009_gets_the_probe_the_image_ships() {
        let stack = "services:\n  api:\n    build: .\n  db:\n    image: postgres:16\n    healthcheck:\n      test: pg_isready\n  queue:\n    image: rabbitmq:3\n    healthcheck:\n      test: rabbitmq-diagnostics -q ping\n  cache:\n    image: redis:7\n";
        let image = "FROM python:3.12-slim\nHEALTHCHECK CMD curl -f http://localhost:8000/health\nCMD [\"uvicorn\", \"app:app\"]\n";
        let ws = files(&[("compose.yaml", stack), ("Dockerfile", image)]);
        let done = check_fix(&ws, "DK009", |f| f.message.contains("`cache`"));
        assert!(done.inserted("compose.yaml").contains("redis-cli ping"));
        assert!(!done.audit.findings.iter().any(|f| f.code == "DK009"));
    }

    #[test]
    fn flow_mappings_get_no_fix() {
        let ws =
            crate::Workspace::from_texts([("compose.yaml", "services:\n  api: {image: app}\n")]);
        let index = crate::Index::build(&ws);
        let ctx = crate::Context {
            workspace: &ws,
            index: &index,
            profile: crate::Profile::Standard,
        };
        let facts = crate::index::docker::compose(&ws.files()[0].facts);
        let service = facts.and_then(|c| c.services.first());
        let fix = service.and_then(|s| super::fix(&ctx, "compose.yaml", &[s]));
        assert!(fix.is_none());
    }
}
