//! What a configuration names directly in the cross-file index: the deployment guide (`[guide] paths`) and
//! extra health paths (`[health] paths`, globs over full route paths such as `/status` or `/api/*/alive`).

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::index::guide::{self, FoundBy, GuideIndex};
use crate::{Index, Settings, Workspace};
use std::sync::Arc;

/// Compile health path globs; the glob's text with the reason when one does not parse.
pub fn health_globs(patterns: &[String]) -> Result<Option<GlobSet>, String> {
    if patterns.is_empty() {
        return Ok(None);
    }
    let mut builder = GlobSetBuilder::new();
    for p in patterns {
        builder.add(Glob::new(p).map_err(|e| format!("`{p}` is not a glob: {e}"))?);
    }
    builder.build().map(Some).map_err(|e| e.to_string())
}

/// Apply the configured guide and health paths to `index`.
pub fn apply(index: &mut Index, ws: &Workspace, settings: &Settings) {
    let configured = settings.guides.iter().find_map(|path| {
        let file = ws.file(path.trim_start_matches("./"))?;
        let md = guide::markdown(file)?;
        Some(GuideIndex {
            path: file.path.clone(),
            sections: guide::match_sections(md, index.aws().is_some()),
            found_by: FoundBy::Configured,
        })
    });
    if configured.is_some() {
        index.set_guide(configured);
    }
    if let Some(globs) = &settings.health_paths {
        let named = |route: &crate::index::web::ResolvedRoute| {
            globs.is_match(&route.route.path) || route.mounts.iter().any(|(p, _)| globs.is_match(p))
        };
        // The route table is shared with the unit's memo: copied only when a route is newly marked.
        if index.web().routes.iter().any(|r| !r.probed && named(r)) {
            for route in Arc::make_mut(&mut index.web_mut().routes)
                .iter_mut()
                .map(Arc::make_mut)
            {
                route.probed |= named(route);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{audit_with, Status};

    fn status(settings: &Settings, files: &[(&str, &str)], code: &str) -> Status {
        let a = audit_with(&Workspace::from_texts(files.iter().copied()), settings);
        a.checks
            .iter()
            .find(|c| c.code == code)
            .map(|c| c.status)
            .unwrap_or(Status::NotApplicable)
    }

    const APP: &str = "from fastapi import FastAPI\napp = FastAPI()\n\n@app.get(\"/__alive\")\ndef alive():\n    return {}\n";

    #[test]
    fn a_configured_health_path_is_a_health_route() {
        let files = [("main.py", APP)];
        assert_eq!(status(&Settings::default(), &files, "HC001"), Status::Fail);
        let settings = Settings {
            health_paths: health_globs(&["/__alive".into()]).ok().flatten(),
            ..Settings::default()
        };
        assert_eq!(status(&settings, &files, "HC001"), Status::Pass);
    }

    #[test]
    fn a_configured_guide_is_the_guide() {
        let files = [
            ("main.py", APP),
            (
                "docs/runbook-ops.md",
                "# Operating the service\n\n## Rollback\n\nRedeploy the last tag.\n",
            ),
        ];
        let settings = Settings {
            guides: vec!["docs/runbook-ops.md".into()],
            ..Settings::default()
        };
        assert_eq!(status(&settings, &files, "GD001"), Status::Pass);
        assert_eq!(status(&settings, &files, "RB001"), Status::Pass);
    }
}
