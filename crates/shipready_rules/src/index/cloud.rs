//! Whether the workspace deploys to AWS, and what shows it: a CDK app, or an AWS deployment command in a script,
//! a GitHub workflow or the deployment guide. Cloud-specific guide requirements (an "AWS Setup" section) apply
//! only where this holds. Using an AWS SDK (`boto3`) is not deploying to AWS: any app may call S3.

use shipready_syntax::markdown::MarkdownFacts;
use shipready_syntax::{FileFacts, FileKind};

use super::cdk::CdkIndex;
use super::guide::{GuideIndex, Words};
use crate::Workspace;

/// What shows that the workspace deploys to AWS.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AwsSignal {
    /// The file that shows it.
    pub file: String,
    /// Why, as a phrase: "a CDK app", "`aws ecs`", "an aws-actions step".
    pub why: String,
}

/// The AWS signal in the workspace's files other than the guide: its CDK app, scripts and workflows.
pub fn in_files(ws: &Workspace, cdk: &CdkIndex) -> Option<AwsSignal> {
    if cdk.present {
        let file = cdk
            .cdk_json
            .first()
            .or(cdk.app_files.first())
            .cloned()
            .or_else(|| cdk_dependency(ws))
            .unwrap_or_default();
        return Some(AwsSignal {
            file,
            why: "a CDK app".to_owned(),
        });
    }
    ws.of_kind(FileKind::Script).find_map(|file| {
        let why = file.text.lines().find_map(|line| {
            if line.contains("aws-actions/") {
                return Some("an aws-actions step".to_owned());
            }
            aws_command(line).map(|c| format!("`{c}`"))
        })?;
        Some(AwsSignal {
            file: file.path.clone(),
            why,
        })
    })
}

/// The AWS signal in the guide: an AWS deployment command in its code blocks, or a deployment heading that
/// names AWS ("Deploy the application on AWS").
pub fn in_guide(ws: &Workspace, guide: &GuideIndex) -> Option<AwsSignal> {
    let md = super::guide::markdown(ws.file(&guide.path)?)?;
    Some(AwsSignal {
        file: guide.path.clone(),
        why: in_markdown(md)?,
    })
}

/// Why a Markdown document shows a deployment to AWS, if it does.
pub fn in_markdown(md: &MarkdownFacts) -> Option<String> {
    let command = md
        .code_blocks
        .iter()
        .flat_map(|b| &b.commands)
        .find_map(|c| aws_command(c));
    if let Some(command) = command {
        return Some(format!("`{command}`"));
    }
    md.headings.iter().find_map(|h| {
        let w = Words::of(&h.text);
        let deploys = w.any(&["deploy*", "production", "going live", "go live"]);
        let names_aws = w.any(&[
            "aws",
            "amazon",
            "lambda",
            "ecs",
            "fargate",
            "cloudformation",
            "elastic beanstalk",
            "app runner",
        ]);
        (deploys && names_aws).then(|| format!("the \"{}\" heading", h.text))
    })
}

/// The first file that declares or imports the CDK, for a CDK sign without `cdk.json` or app file.
fn cdk_dependency(ws: &Workspace) -> Option<String> {
    ws.files().iter().find_map(|f| {
        let shows = match &f.facts {
            FileFacts::Requirements(r) => r.declares("aws-cdk-lib") || r.declares("aws-cdk-core"),
            FileFacts::Python(py) => py.cdk.imports_cdk,
            _ => false,
        };
        shows.then(|| f.path.clone())
    })
}

/// The AWS deployment command a line of shell runs (`cdk deploy`, `sam deploy`, `aws ecs ...`,
/// `aws cloudformation ...`, `copilot svc deploy`, `eb deploy`), as its first two words.
pub fn aws_command(line: &str) -> Option<&'static str> {
    let words: Vec<&str> = line
        .split(|c: char| {
            c.is_whitespace() || matches!(c, '"' | '\'' | '`' | ';' | '(' | ')' | '&' | '|')
        })
        .filter(|w| !w.is_empty())
        .collect();
    const PAIRS: &[(&str, &[&str], &str)] = &[
        ("cdk", &["deploy"], "cdk deploy"),
        ("cdk", &["bootstrap"], "cdk bootstrap"),
        ("sam", &["deploy"], "sam deploy"),
        ("eb", &["deploy"], "eb deploy"),
        ("aws", &["ecs"], "aws ecs"),
        ("aws", &["cloudformation"], "aws cloudformation"),
        ("aws", &["deploy"], "aws deploy"),
        ("aws", &["ecr"], "aws ecr"),
        ("aws", &["lambda"], "aws lambda"),
        (
            "copilot",
            &["deploy", "svc", "app", "env", "job", "pipeline", "init"],
            "copilot",
        ),
    ];
    words.windows(2).find_map(|pair| {
        let [first, second] = pair else { return None };
        let first = first.rsplit('/').next().unwrap_or(first);
        PAIRS
            .iter()
            .find(|(tool, subs, _)| first == *tool && subs.contains(second))
            .map(|(_, _, name)| *name)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aws_deployment_commands() {
        assert_eq!(aws_command("npx cdk deploy --all"), Some("cdk deploy"));
        assert_eq!(
            aws_command("  run: ./node_modules/.bin/cdk deploy"),
            Some("cdk deploy")
        );
        assert_eq!(
            aws_command("aws ecs update-service --cluster prod"),
            Some("aws ecs")
        );
        assert_eq!(
            aws_command("\"deploy\": \"sam deploy --guided\""),
            Some("sam deploy")
        );
        assert_eq!(
            aws_command("copilot svc deploy --env prod"),
            Some("copilot")
        );
        assert_eq!(aws_command("pip install boto3"), None);
        assert_eq!(aws_command("aws s3 ls"), None);
        assert_eq!(aws_command("# uses GitHub Copilot"), None);
        assert_eq!(aws_command("fly deploy"), None);
    }

    #[test]
    fn a_guide_that_deploys_on_aws() {
        let md = shipready_syntax::markdown::parse(
            "# App\n\n## Deploy the application on AWS\n\nUse the console.\n",
        );
        assert!(in_markdown(&md).is_some());
        let md = shipready_syntax::markdown::parse(
            "# App\n\n## Deploy\n\n## AWS credentials for tests\n",
        );
        assert_eq!(in_markdown(&md), None);
        let md = shipready_syntax::markdown::parse("```sh\nsam deploy\n```\n");
        assert_eq!(in_markdown(&md), Some("`sam deploy`".to_owned()));
    }

    #[test]
    fn boto3_alone_is_not_deploying_to_aws() {
        let ws = Workspace::from_texts([
            ("requirements.txt", "boto3==1.34\nfastapi\n"),
            ("app.py", "import boto3\ns3 = boto3.client('s3')\n"),
        ]);
        let cdk = crate::index::cdk::build(&ws);
        assert_eq!(in_files(&ws, &cdk), None);
    }

    #[test]
    fn scripts_and_cdk_apps_deploy_to_aws_workflows_do_not_decide() {
        let ws = Workspace::from_texts([(
            ".github/workflows/release.yml",
            "jobs:\n  ship:\n    steps:\n      - uses: aws-actions/configure-aws-credentials@v4\n",
        )]);
        let cdk = crate::index::cdk::build(&ws);
        // Workflows are CI files (judged by the pipelines rules): they never decided the seed categories, whose
        // results stay as they were.
        assert_eq!(in_files(&ws, &cdk), None);
        let ws = Workspace::from_texts([(
            "scripts/release.sh",
            "#!/bin/sh\n# uses aws-actions/configure-aws-credentials in CI\n",
        )]);
        let cdk = crate::index::cdk::build(&ws);
        let signal = in_files(&ws, &cdk).map(|s| (s.file, s.why));
        assert_eq!(
            signal,
            Some((
                "scripts/release.sh".to_owned(),
                "an aws-actions step".to_owned()
            ))
        );

        let ws = Workspace::from_texts([(
            "scripts/ship.sh",
            "#!/bin/sh\nsam deploy --no-confirm-changeset\n",
        )]);
        let cdk = crate::index::cdk::build(&ws);
        assert_eq!(
            in_files(&ws, &cdk).map(|s| s.file),
            Some("scripts/ship.sh".to_owned())
        );

        let ws = Workspace::from_texts([("infra/requirements.txt", "aws-cdk-lib==2.150.0\n")]);
        let cdk = crate::index::cdk::build(&ws);
        assert_eq!(
            in_files(&ws, &cdk).map(|s| s.file),
            Some("infra/requirements.txt".to_owned())
        );
    }
}
