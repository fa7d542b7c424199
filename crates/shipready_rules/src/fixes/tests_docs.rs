//! Fix tests for the guide and script fixes: missing guide sections (GD002), the Rollback section and its
//! procedures (RB001/RB002), a new deployment guide (GD001) and a rollback script (RB003).

use super::tests::{any, audit_files, check_fix, files, finding};
use crate::{Applicability, Edit, Status};

const GUIDE_2: &str = "# Deployment Guide\n\nIntro.\n\n## Prerequisites\n\n- Docker\n\n## Production Deployment\n\nRun `make deploy`.\n";

#[test]
fn missing_section_goes_after_its_canonical_predecessor_at_level_two() {
    let ws = files(&[("DEPLOYMENT.md", GUIDE_2)]);
    let done = check_fix(&ws, "GD002", |f| f.message.contains("Local Setup"));
    assert_eq!(done.fix.applicability, Applicability::Unsafe);
    let text = &done.after["DEPLOYMENT.md"];
    let local = text
        .find("## Local Setup\n\n")
        .expect("inserted at level 2");
    assert!(text.find("## Prerequisites").unwrap_or(usize::MAX) < local);
    assert!(local < text.find("## Production Deployment").unwrap_or(0));
    assert!(text.contains("- Docker\n\n## Local Setup\n\n"), "{text}");
    assert!(text.contains("```\n\n## Production Deployment"), "{text}");
}

#[test]
fn level_one_sections_and_the_first_section_goes_before_the_others() {
    let ws = files(&[(
        "docs/deploy.md",
        "# Local development\n\nRun it.\n\n# Deploying\n\nSteps.",
    )]);
    let done = check_fix(&ws, "GD002", |f| f.message.contains("Prerequisites"));
    let text = &done.after["docs/deploy.md"];
    assert!(text.starts_with("# Prerequisites\n\n"), "{text}");
    assert!(text.contains("\n\n# Local development\n"), "{text}");
    // The last section of a file without a final line break.
    let done = check_fix(&ws, "GD002", |f| f.message.contains("Rollback"));
    let text = &done.after["docs/deploy.md"];
    assert!(text.contains("Steps.\n\n# Rollback\n\n"), "{text}");
    assert!(text.ends_with("```\n") || text.ends_with(".\n"), "{text}");
}

#[test]
fn every_missing_section_can_be_added_one_after_another() {
    let mut ws = files(&[("DEPLOYMENT.md", "# Deploy\n\nNothing yet.\n")]);
    for _ in 0..7 {
        let audit = audit_files(&ws);
        let Some(fix) = finding(&audit, "GD002", |f| f.fix.is_some()).and_then(|f| f.fix.clone())
        else {
            break;
        };
        ws = super::tests::apply(&ws, &fix);
    }
    let audit = audit_files(&ws);
    let gd002 = audit.checks.iter().find(|c| c.code == "GD002");
    assert_eq!(
        gd002.map(|c| c.status),
        Some(Status::Pass),
        "{}",
        ws["DEPLOYMENT.md"]
    );
    assert!(finding(&audit, "GD002", any).is_none());
}

#[test]
fn rollback_section_in_a_crlf_guide_after_non_ascii_text() {
    let guide = "# Guide de déploiement\r\n\r\n## Prerequisites\r\n\r\nÇa marche – 🚀\r\n\r\n## Monitoring\r\n\r\nWatch it.\r\n\r\n## Troubleshooting\r\n\r\nLogs.\r\n";
    let ws = files(&[
        ("DEPLOYMENT.md", guide),
        ("alembic/env.py", ""),
        ("requirements.txt", "fastapi\nalembic\n"),
        ("compose.yaml", "services:\n  api:\n    build: .\n"),
    ]);
    let done = check_fix(&ws, "RB001", any);
    let text = &done.after["DEPLOYMENT.md"];
    assert!(!text.replace("\r\n", "").contains('\n'), "{text:?}");
    assert!(text.contains("Logs.\r\n\r\n## Rollback\r\n\r\n"), "{text}");
    for tailored in [
        "docker compose up -d --build",
        "alembic downgrade -1",
        "Disable the change",
    ] {
        assert!(text.contains(tailored), "{tailored}: {text}");
    }
    // The inserted section documents enough procedures for RB002 too.
    assert!(finding(&done.audit, "RB002", any).is_none());
}

#[test]
fn short_rollback_section_gets_the_missing_procedures_appended() {
    let guide = "## Deploy\n\nSteps.\n\n## Rollback\n\n- Redeploy the previous image tag.\n\n## Appendix\n\nMore.\n";
    let ws = files(&[("DEPLOYMENT.md", guide)]);
    let done = check_fix(&ws, "RB002", any);
    let inserted = done.inserted("DEPLOYMENT.md");
    assert!(
        !inserted.contains("Redeploy the previous version"),
        "covered already: {inserted}"
    );
    assert!(inserted.contains("- **Disable the change.**"), "{inserted}");
    assert!(inserted.contains("- **Restore the data.**"), "{inserted}");
    assert!(done.after["DEPLOYMENT.md"].contains("tag.\n\n- **Disable"));
    assert!(done.after["DEPLOYMENT.md"].contains("\n\n## Appendix\n"));
}

const CDK_APP: &str = "import aws_cdk as cdk\nfrom aws_cdk import Stack, aws_ecs as ecs, aws_rds as rds\n\n\nclass ApiStack(Stack):\n    def __init__(self, scope, id):\n        super().__init__(scope, id)\n        ecs.FargateService(self, \"Api\", cluster=None, task_definition=None)\n        rds.DatabaseInstance(self, \"Db\", engine=None)\n\n\napp = cdk.App()\nApiStack(app, \"Api\")\napp.synth()\n";

#[test]
fn new_guide_is_created_from_the_workspace_and_closes_the_guide_gaps() {
    let ws = files(&[
        ("README.md", "# Service\n"),
        ("infra/cdk.json", "{\"app\": \"python3 app.py\"}"),
        ("infra/app.py", CDK_APP),
        (
            "app/main.py",
            "import os\nfrom fastapi import FastAPI\nDB = os.environ[\"DATABASE_URL\"]\napp = FastAPI()\n@app.get(\"/healthz\")\ndef hz():\n    return {}\n",
        ),
    ]);
    let done = check_fix(&ws, "GD001", any);
    assert!(matches!(&done.fix.edits[..], [Edit::Create { file, .. }] if file == "DEPLOYMENT.md"));
    let guide = &done.after["DEPLOYMENT.md"];
    for expected in [
        "cd infra && cdk bootstrap aws://<account>/<region>",
        "cd infra && cdk deploy --all",
        "`DATABASE_URL`",
        "`/healthz`",
        "aws ecs update-service",
        "aws rds restore-db-instance-to-point-in-time",
    ] {
        assert!(guide.contains(expected), "{expected}:\n{guide}");
    }
    for code in ["GD002", "GD003", "GD005", "GD006", "RB001", "RB002"] {
        assert!(
            finding(&done.audit, code, any).is_none(),
            "{code} still fails:\n{guide}"
        );
    }
}

#[test]
fn new_guide_for_a_unit_that_does_not_deploy_to_aws_has_no_aws_setup_section() {
    let ws = files(&[
        ("README.md", "# Service\n"),
        ("requirements.txt", "fastapi\nboto3\n"),
        (
            "app/main.py",
            "from fastapi import FastAPI\napp = FastAPI()\n@app.get(\"/health\")\ndef h():\n    return {}\n",
        ),
    ]);
    let done = check_fix(&ws, "GD001", any);
    assert_eq!(
        done.fix.title,
        "Create DEPLOYMENT.md with the six required sections"
    );
    let guide = &done.after["DEPLOYMENT.md"];
    assert!(!guide.contains("## AWS Setup"), "{guide}");
    assert!(!guide.contains("aws configure"), "{guide}");
    for code in ["GD002", "GD003", "GD006", "RB001", "RB002"] {
        assert!(
            finding(&done.audit, code, any).is_none(),
            "{code} still fails:\n{guide}"
        );
    }
}

#[test]
fn rollback_script_is_created_once() {
    let ws = files(&[
        ("DEPLOYMENT.md", GUIDE_2),
        ("compose.yaml", "services:\n  web:\n    build: .\n"),
    ]);
    let done = check_fix(&ws, "RB003", any);
    let script = &done.after["scripts/rollback.sh"];
    assert!(script.starts_with("#!/usr/bin/env bash\n"));
    assert!(script.contains("set -euo pipefail"));
    assert!(script.contains("docker compose up -d --build"));
    let audit = audit_files(&done.after);
    assert!(finding(&audit, "RB003", any).is_none());
}
