//! The workspace's CDK app: its `cdk.json`, the entry file the `app` command names, stacks, constructs and the
//! infrastructure areas they cover.

use shipready_syntax::cdk_json::CdkJsonFacts;
use shipready_syntax::python::cdk::{Construct, StackClass, StackInstance};
use shipready_syntax::{FileFacts, FileKind};

use std::collections::BTreeSet;

use super::modules;
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
#[derive(Clone, Debug, Default, PartialEq)]
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

/// The workspace path of the entry file a `cdk.json` names. A script (`python3 app.py`) is relative to the
/// `cdk.json` folder. A module (`python3 -m pkg.app`) is found the way Python finds it: next to `cdk.json`
/// first, else from any source root, because monorepos keep the code in `src/`, `bases/` or an installed
/// package while `cdk.json` sits in a project folder.
fn entry_path(ws: &Workspace, dir: &str, facts: &CdkJsonFacts) -> Option<String> {
    let entry = facts.entry.as_deref()?;
    let local = if dir.is_empty() {
        entry.to_owned()
    } else {
        format!("{dir}/{entry}")
    };
    let is_module = facts
        .app
        .as_ref()
        .is_some_and(|a| a.value.split_whitespace().any(|w| w == "-m"));
    if !is_module || ws.file(&local).is_some() {
        return Some(local);
    }
    let module = entry.trim_end_matches(".py").replace('/', ".");
    let near = if dir.is_empty() {
        "cdk.json".to_owned()
    } else {
        format!("{dir}/cdk.json")
    };
    // `python -m pkg` runs the package's `__main__.py`.
    modules::resolve(ws, &near, &module, 0)
        .filter(|p| !p.ends_with("__init__.py"))
        .or_else(|| modules::resolve(ws, &near, &format!("{module}.__main__"), 0))
        .map(str::to_owned)
        .or(Some(local))
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
        if let Some(facts) = cdk_json(&first.facts) {
            index.entry = entry_path(ws, first.dir(), facts);
        }
    }
    // A CDK app in TypeScript, Java, Go or C# is not one shipready can read: its checks do not apply (unless
    // Python CDK code shows up beside it).
    index.present = jsons.iter().any(|p| {
        ws.file(p)
            .and_then(|f| cdk_json(&f.facts))
            .is_some_and(|c| !c.non_python)
    });
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
    // A repository of several CDK apps (one `cdk.json` each, like aws-cdk-examples): the audited app is the
    // first one, so only the stacks and constructs its entry reaches through local imports are its own.
    if jsons.len() > 1 {
        if let Some(entry) = index.entry.clone().filter(|e| ws.file(e).is_some()) {
            let own = reachable(ws, &entry);
            index.app_files.retain(|f| own.contains(f));
            index.stack_classes.retain(|(f, _)| own.contains(f));
            index.instances.retain(|(f, _)| own.contains(f));
            index.constructs.retain(|(f, _)| own.contains(f));
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

/// The Python files `entry` imports, directly or through other workspace files, itself included.
fn reachable(ws: &Workspace, entry: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::from([entry.to_owned()]);
    let mut queue = vec![entry.to_owned()];
    while let Some(path) = queue.pop() {
        let Some(FileFacts::Python(py)) = ws.file(&path).map(|f| &f.facts) else {
            continue;
        };
        for import in &py.imports {
            // `from pkg import mod` may name a submodule; `from pkg.mod import Stack` names the module.
            let submodule = import.name.as_ref().map(|n| {
                if import.module.is_empty() {
                    n.clone()
                } else {
                    format!("{}.{n}", import.module)
                }
            });
            let found = submodule
                .and_then(|m| modules::resolve(ws, &path, &m, import.level))
                .into_iter()
                .chain(modules::resolve(ws, &path, &import.module, import.level));
            for file in found {
                if seen.insert(file.to_owned()) {
                    queue.push(file.to_owned());
                }
            }
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;

    const APP: &str = "import aws_cdk as cdk\nfrom cdk_workshop.stack.core import WorkshopStack\n\napp = cdk.App()\nWorkshopStack(app, \"w\")\napp.synth()\n";

    #[test]
    fn module_entry_is_found_from_any_source_root() {
        // A polylith monorepo: cdk.json in a project folder runs a module that lives under `bases/`.
        let ws = Workspace::from_texts([
            (
                "projects/cdk_app/cdk.json",
                r#"{"app": "python3 -m cdk_workshop.workshop_app.core"}"#,
            ),
            ("bases/cdk_workshop/workshop_app/__init__.py", ""),
            ("bases/cdk_workshop/workshop_app/core.py", APP),
        ]);
        let index = build(&ws);
        assert_eq!(
            index.entry.as_deref(),
            Some("bases/cdk_workshop/workshop_app/core.py")
        );
        assert_eq!(index.app_files, ["bases/cdk_workshop/workshop_app/core.py"]);
    }

    #[test]
    fn module_entry_next_to_cdk_json_wins() {
        let ws = Workspace::from_texts([
            ("infra/cdk.json", r#"{"app": "python -m app"}"#),
            ("infra/app.py", APP),
            ("other/app.py", APP),
        ]);
        assert_eq!(build(&ws).entry.as_deref(), Some("infra/app.py"));
    }

    #[test]
    fn package_module_entry_runs_its_main() {
        let ws = Workspace::from_texts([
            ("cdk.json", r#"{"app": "python3 -m infra"}"#),
            ("src/infra/__init__.py", ""),
            ("src/infra/__main__.py", APP),
        ]);
        assert_eq!(build(&ws).entry.as_deref(), Some("src/infra/__main__.py"));
    }

    #[test]
    fn several_apps_count_only_the_audited_apps_stacks() {
        // aws-cdk-examples: one folder per sample, each with its own cdk.json and stacks.
        let app = |stack: &str, module: &str| {
            format!("from aws_cdk import App, Stack, {module}\nfrom .stacks import helper\n\nclass {stack}(Stack):\n    def __init__(self, scope, id):\n        super().__init__(scope, id)\n        {module}.X(self, \"x\")\n\napp = App()\n{stack}(app, \"s\")\napp.synth()\n")
        };
        let lambda_app = app("ApiStack", "aws_lambda");
        let ecs_app = app("EcsStack", "aws_ecs");
        let helper = "from aws_cdk import Stack, aws_s3\n\nclass Storage(Stack):\n    def __init__(self, scope, id):\n        super().__init__(scope, id)\n        aws_s3.Bucket(self, \"b\")\n";
        let ws = Workspace::from_texts([
            ("python/api/cdk.json", r#"{"app": "python3 app.py"}"#),
            ("python/api/app.py", lambda_app.as_str()),
            ("python/api/stacks.py", helper),
            ("python/ecs/cdk.json", r#"{"app": "python3 app.py"}"#),
            ("python/ecs/app.py", ecs_app.as_str()),
        ]);
        let index = build(&ws);
        assert_eq!(index.entry.as_deref(), Some("python/api/app.py"));
        assert_eq!(index.stack_count(), 2);
        assert_eq!(index.areas(), [Area::Compute, Area::Storage]);
        assert_eq!(index.app_files, ["python/api/app.py"]);
    }

    #[test]
    fn script_entry_stays_relative_to_cdk_json() {
        // A missing script is reported by CD007 at the path cdk.json names, not searched for elsewhere.
        let ws = Workspace::from_texts([
            ("deploy/cdk.json", r#"{"app": "python3 main.py"}"#),
            ("main.py", APP),
        ]);
        assert_eq!(build(&ws).entry.as_deref(), Some("deploy/main.py"));
    }
}
