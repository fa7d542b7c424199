//! The fix for RB003: create `scripts/rollback.sh`, a bash script that takes the version to return to and
//! runs the workspace's own way back (the previous ECS task definition, `cdk deploy` of the previous tag, or
//! `docker compose up` of it), followed by the Alembic downgrade when the workspace uses Alembic and a probe
//! of the health endpoint.
//!
//! The file is never overwritten. Commands use placeholders read from the environment (`CLUSTER`, `SERVICE`),
//! so the fix is Unsafe.

use super::workspace_facts::WorkspaceFacts;
use crate::{Applicability, Context, Edit, Fix};

pub(crate) const SCRIPT_PATH: &str = "scripts/rollback.sh";

/// A new rollback script, or `None` when the workspace already has a file at its path.
pub(crate) fn fix(ctx: &Context) -> Option<Fix> {
    if ctx.workspace.file(SCRIPT_PATH).is_some() {
        return None;
    }
    let facts = WorkspaceFacts::of(ctx);
    Some(Fix {
        title: format!("Create {SCRIPT_PATH}"),
        applicability: Applicability::Unsafe,
        edits: vec![Edit::Create {
            file: SCRIPT_PATH.to_owned(),
            contents: contents(&facts),
        }],
    })
}

fn contents(facts: &WorkspaceFacts) -> String {
    let mut out = String::from(
        "#!/usr/bin/env bash\n# Roll the deployment back to a previous version.\n# Usage: scripts/rollback.sh <previous-version>\nset -euo pipefail\n\nif [ $# -ne 1 ]; then\n  echo \"usage: $0 <previous-version>\" >&2\n  exit 2\nfi\nPREVIOUS=\"$1\"\ncd \"$(dirname \"$0\")/..\"\n\n",
    );
    if facts.ecs {
        out.push_str(
            "# The ECS service goes back to the task definition revision of the previous version.\n: \"${CLUSTER:?set CLUSTER to the ECS cluster name}\"\n: \"${SERVICE:?set SERVICE to the ECS service name}\"\n: \"${TASK_FAMILY:?set TASK_FAMILY to the task definition family}\"\naws ecs update-service --cluster \"$CLUSTER\" --service \"$SERVICE\" \\\n  --task-definition \"$TASK_FAMILY:$PREVIOUS\"\naws ecs wait services-stable --cluster \"$CLUSTER\" --services \"$SERVICE\"\n",
        );
    } else if facts.cdk_dir.is_some() {
        let dir = facts
            .cdk_dir
            .as_deref()
            .filter(|d| !d.is_empty())
            .unwrap_or(".");
        out.push_str(&format!(
            "# Deploy the stacks as they were at the previous version.\ngit checkout \"$PREVIOUS\"\n(cd {dir} && cdk deploy --all --require-approval never)\n"
        ));
    } else if facts.compose.is_some() {
        out.push_str(
            "# Restart the services from the previous version.\ngit checkout \"$PREVIOUS\"\ndocker compose up -d --build\n",
        );
    } else {
        out.push_str(
            ": \"${IMAGE:?set IMAGE to the image repository}\"\ndocker pull \"$IMAGE:$PREVIOUS\"\ndocker rm -f app 2>/dev/null || true\ndocker run -d --name app \"$IMAGE:$PREVIOUS\"\n",
        );
    }
    if facts.alembic {
        out.push_str(
            "\n# Undo the migration the failed release applied (one revision; adjust when it applied more).\nalembic downgrade -1\n",
        );
    }
    out.push_str(&format!(
        "\n# Check that the service is healthy again.\nURL=\"${{HEALTH_URL:-http://localhost:{}{}}}\"\ncurl -fsS --retry 5 --retry-delay 5 \"$URL\"\necho \"rolled back to $PREVIOUS\"\n",
        facts.port,
        facts.health_path()
    ));
    out
}
