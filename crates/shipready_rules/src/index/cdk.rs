//! The workspace's CDK app: its `cdk.json`, the entry file the `app` command names, stacks, constructs and the
//! infrastructure areas they cover.

use shipready_syntax::cdk_json::CdkJsonFacts;
use shipready_syntax::python::cdk::{Construct, StackClass, StackInstance};
use shipready_syntax::{FileFacts, FileKind};

use crate::Workspace;

/// An infrastructure area a production deployment is expected to cover.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Area {
    Network,
    Compute,
    ApiOrLoadBalancing,
    Database,
    Storage,
    Monitoring,
    Secrets,
    CdnDns,
}

impl Area {
    pub const ALL: [Area; 8] = [
        Area::Network,
        Area::Compute,
        Area::ApiOrLoadBalancing,
        Area::Database,
        Area::Storage,
        Area::Monitoring,
        Area::Secrets,
        Area::CdnDns,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Area::Network => "network",
            Area::Compute => "compute",
            Area::ApiOrLoadBalancing => "API/load balancing",
            Area::Database => "database",
            Area::Storage => "storage",
            Area::Monitoring => "monitoring",
            Area::Secrets => "secrets/security",
            Area::CdnDns => "CDN/DNS",
        }
    }

    /// The area a construct provisions, if any.
    pub fn of(c: &Construct) -> Option<Area> {
        let m = c.module.as_str();
        Some(match m {
            "ec2" if c.name == "Instance" || c.name == "AutoScalingGroup" => Area::Compute,
            "ec2" => Area::Network,
            "ecs"
            | "eks"
            | "lambda"
            | "lambda_python"
            | "lambda_python_alpha"
            | "batch"
            | "apprunner"
            | "autoscaling"
            | "stepfunctions" => Area::Compute,
            "ecs_patterns" if c.name.contains("LoadBalanced") => Area::ApiOrLoadBalancing,
            "ecs_patterns" => Area::Compute,
            "apigateway" | "apigatewayv2" | "elbv2" | "elasticloadbalancingv2" | "appsync" => {
                Area::ApiOrLoadBalancing
            }
            "rds" | "dynamodb" | "docdb" | "elasticache" | "neptune" | "opensearchservice"
            | "redshift" => Area::Database,
            "s3" | "efs" | "ecr" | "s3_deployment" | "backup" => Area::Storage,
            "cloudwatch" | "cloudwatch_actions" | "logs" | "xray" | "sns" | "synthetics" => {
                Area::Monitoring
            }
            "secretsmanager" | "ssm" | "kms" | "iam" | "wafv2" | "cognito"
            | "certificatemanager" => Area::Secrets,
            "cloudfront" | "cloudfront_origins" | "route53" | "route53_targets" => Area::CdnDns,
            _ => return None,
        })
    }
}

/// The CDK side of the workspace.
#[derive(Clone, Debug, Default)]
pub struct CdkIndex {
    /// `cdk.json` files, shallowest first.
    pub cdk_json: Vec<String>,
    /// The entry file the first `cdk.json` names (workspace path), whether or not it exists.
    pub entry: Option<String>,
    /// Files that create an `App()` and call `synth()`.
    pub app_files: Vec<String>,
    pub stack_classes: Vec<(String, StackClass)>,
    pub instances: Vec<(String, StackInstance)>,
    pub constructs: Vec<(String, Construct)>,
    /// The workspace shows some sign of CDK: a `cdk.json`, an `aws_cdk` import or a dependency on it.
    pub present: bool,
}

impl CdkIndex {
    /// Stacks: stack classes plus direct `Stack(...)` instances. A class that only serves as the base of other
    /// stack classes (`class BillingStack(ServiceStack)`) and is never instantiated itself deploys nothing, so it
    /// is not a stack.
    pub fn stack_count(&self) -> usize {
        let names_class =
            |written: &str, name: &str| written == name || written.ends_with(&format!(".{name}"));
        let deployed = self
            .stack_classes
            .iter()
            .filter(|(_, class)| {
                let name = class.name.value.as_str();
                let is_base = self
                    .stack_classes
                    .iter()
                    .any(|(_, c)| names_class(&c.base, name));
                !is_base
                    || self
                        .instances
                        .iter()
                        .any(|(_, i)| names_class(&i.class, name))
            })
            .count();
        deployed
            + self
                .instances
                .iter()
                .filter(|(_, i)| is_direct_stack(&i.class))
                .count()
    }

    pub fn areas(&self) -> Vec<Area> {
        let mut areas: Vec<Area> = self
            .constructs
            .iter()
            .filter_map(|(_, c)| Area::of(c))
            .collect();
        areas.sort();
        areas.dedup();
        areas
    }

    /// The folder of the CDK app: the first `cdk.json`'s folder, else the entry file's.
    pub fn root(&self) -> Option<&str> {
        let path = self.cdk_json.first().or(self.app_files.first())?;
        Some(path.rsplit_once('/').map(|(d, _)| d).unwrap_or(""))
    }
}

pub fn is_direct_stack(class: &str) -> bool {
    matches!(
        class,
        "Stack" | "cdk.Stack" | "core.Stack" | "aws_cdk.Stack"
    )
}

pub fn cdk_json(facts: &FileFacts) -> Option<&CdkJsonFacts> {
    match facts {
        FileFacts::CdkJson(c) => Some(c),
        _ => None,
    }
}

pub fn build(ws: &Workspace) -> CdkIndex {
    let mut index = CdkIndex::default();
    let mut jsons: Vec<&str> = ws
        .of_kind(FileKind::CdkJson)
        .map(|f| f.path.as_str())
        .collect();
    jsons.sort_by_key(|p| (p.matches('/').count(), p.to_string()));
    index.cdk_json = jsons.iter().map(|p| p.to_string()).collect();
    if let Some(first) = ws.file(jsons.first().copied().unwrap_or("")) {
        if let Some(entry) = cdk_json(&first.facts).and_then(|c| c.entry.as_deref()) {
            let dir = first.dir();
            index.entry = Some(if dir.is_empty() {
                entry.to_owned()
            } else {
                format!("{dir}/{entry}")
            });
        }
    }
    index.present = !jsons.is_empty();
    for file in ws.files() {
        match &file.facts {
            FileFacts::Python(py) => {
                let cdk = &py.cdk;
                index.present |= cdk.imports_cdk;
                if !cdk.apps.is_empty() && !cdk.synth_calls.is_empty() {
                    index.app_files.push(file.path.clone());
                }
                index.stack_classes.extend(
                    cdk.stack_classes
                        .iter()
                        .map(|s| (file.path.clone(), s.clone())),
                );
                index.instances.extend(
                    cdk.stack_instances
                        .iter()
                        .map(|s| (file.path.clone(), s.clone())),
                );
                index.constructs.extend(
                    cdk.constructs
                        .iter()
                        .map(|c| (file.path.clone(), c.clone())),
                );
            }
            FileFacts::Requirements(r) => {
                index.present |= r.declares("aws-cdk-lib") || r.declares("aws-cdk-core");
            }
            _ => {}
        }
    }
    // The entry file named by cdk.json comes first among app files.
    if let Some(entry) = &index.entry {
        if let Some(pos) = index.app_files.iter().position(|f| f == entry) {
            let e = index.app_files.remove(pos);
            index.app_files.insert(0, e);
        }
    }
    index
}
