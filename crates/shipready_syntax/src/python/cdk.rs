//! AWS CDK facts: `App()` instances and `.synth()` calls, `Stack` subclasses, stack instantiations, and the
//! constructs each file uses by module (ec2, ecs, lambda, ...) with their keyword arguments.

use serde::Serialize;
use shipready_text::TextRange;

use crate::Spanned;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CdkFacts {
    /// The file imports `aws_cdk` (v2) or `aws_cdk.*`/`constructs`.
    pub imports_cdk: bool,
    /// Variables bound to `App()` / `cdk.App()` / `core.App()`.
    pub apps: Vec<Spanned<String>>,
    /// `<app>.synth()` calls.
    pub synth_calls: Vec<TextRange>,
    /// `class X(Stack)` / `class X(cdk.Stack)` / subclasses of other local stacks (`base` names the parent).
    pub stack_classes: Vec<StackClass>,
    /// Instantiations of stack classes: `XStack(app, "X")` and direct `Stack(app, "X")`.
    pub stack_instances: Vec<StackInstance>,
    pub constructs: Vec<Construct>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StackClass {
    /// The class name and its range (the identifier only).
    pub name: Spanned<String>,
    /// The base class as written (`Stack`, `cdk.Stack`, `BaseStack`).
    pub base: String,
    /// The whole class definition.
    pub range: TextRange,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StackInstance {
    /// The class called (`NetworkStack`, or `Stack` for a direct instance).
    pub class: String,
    /// The construct id (second positional argument) when a string literal.
    pub id: Option<String>,
    pub range: TextRange,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Construct {
    /// The CDK module in canonical form: `ec2`, `ecs`, `ecs_patterns`, `lambda`, `apigateway`, `apigatewayv2`,
    /// `elbv2`, `rds`, `dynamodb`, `s3`, `cloudwatch`, `secretsmanager`, `cloudfront`, `route53`, `codedeploy`,
    /// `sqs`, `sns`, `iam`, `kms`, `logs`, `elasticache`, `ecr`, `wafv2`, `certificatemanager`, ...: the
    /// `aws_cdk.aws_<module>` suffix whatever alias the file imported it under.
    pub module: String,
    /// The construct class or factory (`Vpc`, `FargateService`, `DeploymentCircuitBreaker`, `LambdaDeploymentGroup`).
    pub name: String,
    /// The call expression.
    pub range: TextRange,
    /// Keyword arguments as `(name, source text of the value)`.
    pub kwargs: Vec<(String, String)>,
}
