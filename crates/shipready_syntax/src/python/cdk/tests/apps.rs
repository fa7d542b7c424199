//! Realistic CDK apps: a multi-stack platform, the v1 form, local base stacks, entry files, ECS
//! patterns with a circuit breaker and Lambda canary deployments.

use super::*;

const PLATFORM: &str = r#"#!/usr/bin/env python3
"""Shop platform: one file, every tier in its own stack."""
import os

import aws_cdk as cdk
from aws_cdk import (
    Duration,
    RemovalPolicy,
    Stack,
    Tags,
    aws_ec2 as ec2,
    aws_ecs as ecs,
    aws_ecs_patterns as ecs_patterns,
    aws_elasticloadbalancingv2 as elbv2,
    aws_rds as rds,
    aws_s3 as s3,
    aws_cloudwatch as cloudwatch,
    aws_secretsmanager as secretsmanager,
    aws_cloudfront as cloudfront,
    aws_cloudfront_origins as origins,
    aws_apigateway as apigw,
    aws_lambda as _lambda,
)
from constructs import Construct

class NetworkStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.vpc = ec2.Vpc(self, "Vpc", max_azs=2, nat_gateways=1)

class SecretsStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.db_secret = secretsmanager.Secret(self, "DbSecret", secret_name="shop/db")

class DatabaseStack(cdk.Stack):
    def __init__(self, scope: Construct, construct_id: str, vpc: ec2.IVpc, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.db = rds.DatabaseInstance(
            self,
            "Postgres",
            engine=rds.DatabaseInstanceEngine.postgres(version=rds.PostgresEngineVersion.VER_15),
            instance_type=ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.MICRO),
            vpc=vpc,
            multi_az=False,
            removal_policy=RemovalPolicy.DESTROY,
        )

class ComputeStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, vpc: ec2.IVpc, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)
        cluster = ecs.Cluster(self, "Cluster", vpc=vpc)
        self.service = ecs_patterns.ApplicationLoadBalancedFargateService(
            self,
            "Web",
            cluster=cluster,
            cpu=512,
            desired_count=2,
            task_image_options=ecs_patterns.ApplicationLoadBalancedTaskImageOptions(
                image=ecs.ContainerImage.from_asset("../app"),
                container_port=8000,
            ),
            health_check_grace_period=Duration.seconds(60),
        )
        self.service.target_group.configure_health_check(path="/healthz")
        elbv2.ApplicationListenerRule(self, "Rule", listener=self.service.listener, priority=10)

class ApiStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)
        fn = _lambda.Function(
            self,
            "Handler",
            runtime=_lambda.Runtime.PYTHON_3_12,
            handler="main.handler",
            code=_lambda.Code.from_asset("lambda"),
            timeout=Duration.seconds(10),
        )
        apigw.LambdaRestApi(self, "Api", handler=fn)

class StorageStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.bucket = s3.Bucket(self, "Assets", versioned=True, removal_policy=RemovalPolicy.RETAIN)

class CdnStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, bucket: s3.IBucket, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)
        cloudfront.Distribution(
            self,
            "Cdn",
            default_behavior=cloudfront.BehaviorOptions(origin=origins.S3Origin(bucket)),
        )

class MonitoringStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)
        cloudwatch.Dashboard(self, "Dashboard", dashboard_name="shop")
        Tags.of(self).add("team", "platform")
        Stack.of(self).region

env = cdk.Environment(account=os.getenv("CDK_DEFAULT_ACCOUNT"), region="eu-west-1")
app = cdk.App()
network = NetworkStack(app, "Network", env=env)
secrets = SecretsStack(app, "Secrets", env=env)
database = DatabaseStack(app, "Database", vpc=network.vpc, env=env)
ComputeStack(app, "Compute", vpc=network.vpc, env=env)
ApiStack(app, "Api", env=env)
storage = StorageStack(app, "Storage", env=env)
CdnStack(app, "Cdn", bucket=storage.bucket, env=env)
MonitoringStack(app, "Monitoring", env=env)
app.synth()
"#;

#[test]
fn multi_stack_app() {
    let f = parse(PLATFORM);
    assert!(f.imports_cdk);

    let classes: Vec<(&str, &str)> = f
        .stack_classes
        .iter()
        .map(|s| (s.name.value.as_str(), s.base.as_str()))
        .collect();
    assert_eq!(
        classes,
        [
            ("NetworkStack", "Stack"),
            ("SecretsStack", "Stack"),
            ("DatabaseStack", "cdk.Stack"),
            ("ComputeStack", "Stack"),
            ("ApiStack", "Stack"),
            ("StorageStack", "Stack"),
            ("CdnStack", "Stack"),
            ("MonitoringStack", "Stack"),
        ]
    );
    for class in &f.stack_classes {
        assert_eq!(class.name.range.slice(PLATFORM), class.name.value);
        assert!(class
            .range
            .slice(PLATFORM)
            .starts_with(&format!("class {}(", class.name.value)));
    }
    let network = &f.stack_classes[0];
    assert!(network
        .range
        .slice(PLATFORM)
        .trim_end()
        .ends_with("max_azs=2, nat_gateways=1)"));

    assert_eq!(
        instances(&f),
        [
            ("NetworkStack", Some("Network")),
            ("SecretsStack", Some("Secrets")),
            ("DatabaseStack", Some("Database")),
            ("ComputeStack", Some("Compute")),
            ("ApiStack", Some("Api")),
            ("StorageStack", Some("Storage")),
            ("CdnStack", Some("Cdn")),
            ("MonitoringStack", Some("Monitoring")),
        ]
    );
    assert_eq!(
        f.stack_instances[0].range.slice(PLATFORM),
        r#"NetworkStack(app, "Network", env=env)"#
    );

    assert_eq!(f.apps.len(), 1);
    assert_eq!(f.apps[0].value, "app");
    assert_eq!(f.apps[0].range.slice(PLATFORM), "app");
    assert_eq!(
        PLATFORM.get(f.apps[0].range.start..f.apps[0].range.start + 15),
        Some("app = cdk.App()")
    );
    assert_eq!(f.synth_calls.len(), 1);
    assert_eq!(f.synth_calls[0].slice(PLATFORM), "app.synth()");

    assert_eq!(
        names(&f),
        [
            ("ec2", "Vpc"),
            ("secretsmanager", "Secret"),
            ("rds", "DatabaseInstance"),
            ("rds", "DatabaseInstanceEngine"),
            ("ec2", "InstanceType"),
            ("ecs", "Cluster"),
            ("ecs_patterns", "ApplicationLoadBalancedFargateService"),
            ("ecs_patterns", "ApplicationLoadBalancedTaskImageOptions"),
            ("ecs", "ContainerImage"),
            ("elbv2", "ApplicationListenerRule"),
            ("lambda", "Function"),
            ("lambda", "Code"),
            ("apigateway", "LambdaRestApi"),
            ("s3", "Bucket"),
            ("cloudfront", "Distribution"),
            ("cloudfront", "BehaviorOptions"),
            ("cloudfront_origins", "S3Origin"),
            ("cloudwatch", "Dashboard"),
        ]
    );
    let vpc = construct(&f, "Vpc");
    assert_eq!(
        vpc.range.slice(PLATFORM),
        r#"ec2.Vpc(self, "Vpc", max_azs=2, nat_gateways=1)"#
    );
    assert_eq!(
        vpc.kwargs,
        [
            ("max_azs".to_owned(), "2".to_owned()),
            ("nat_gateways".to_owned(), "1".to_owned())
        ]
    );
    let db = construct(&f, "DatabaseInstance");
    assert_eq!(kwarg(db, "multi_az"), Some("False"));
    assert_eq!(kwarg(db, "removal_policy"), Some("RemovalPolicy.DESTROY"));
    let engine = construct(&f, "DatabaseInstanceEngine");
    assert!(engine
        .range
        .slice(PLATFORM)
        .starts_with("rds.DatabaseInstanceEngine.postgres("));
    assert_eq!(
        kwarg(engine, "version"),
        Some("rds.PostgresEngineVersion.VER_15")
    );
    let service = construct(&f, "ApplicationLoadBalancedFargateService");
    assert_eq!(
        kwarg(service, "health_check_grace_period"),
        Some("Duration.seconds(60)")
    );
    assert!(kwarg(service, "task_image_options").is_some_and(|v| v.contains("container_port=8000")));
}

#[test]
fn every_prefix_of_a_real_app_is_handled() {
    // Cut the platform file at every character boundary: each prefix must extract without panicking and every
    // range must slice the prefix.
    for (cut, _) in PLATFORM.char_indices().step_by(7) {
        let src = &PLATFORM[..cut];
        let f = parse(src);
        for c in &f.constructs {
            assert!(src.get(c.range.start..c.range.end).is_some());
        }
        for s in &f.stack_instances {
            assert!(src.get(s.range.start..s.range.end).is_some());
        }
    }
}

#[test]
fn cdk_v1_core_form() {
    let src = "from aws_cdk import core\nfrom aws_cdk import aws_lambda, aws_apigateway as apigw\n\n\
        class HelloStack(core.Stack):\n    def __init__(self, scope: core.Construct, id: str, **kwargs) -> None:\n        \
        super().__init__(scope, id, **kwargs)\n        fn = aws_lambda.Function(self, 'Hello', handler='hello.handler',\n            \
        code=aws_lambda.Code.asset('lambda'), runtime=aws_lambda.Runtime.PYTHON_3_8)\n        \
        apigw.LambdaRestApi(self, 'Endpoint', handler=fn)\n        core.CfnOutput(self, 'Url', value='x')\n\n\
        app = core.App()\nHelloStack(app, 'hello', env=core.Environment(region='us-east-1'))\napp.synth()\n";
    let f = parse(src);
    assert!(f.imports_cdk);
    assert_eq!(f.stack_classes.len(), 1);
    assert_eq!(f.stack_classes[0].base, "core.Stack");
    assert_eq!(f.apps[0].range.slice(src), "app");
    assert_eq!(f.synth_calls.len(), 1);
    assert_eq!(instances(&f), [("HelloStack", Some("hello"))]);
    assert_eq!(
        names(&f),
        [
            ("lambda", "Function"),
            ("lambda", "Code"),
            ("apigateway", "LambdaRestApi")
        ]
    );
    assert_eq!(
        kwarg(construct(&f, "Function"), "handler"),
        Some("'hello.handler'")
    );
}

#[test]
fn stack_deriving_a_local_base_stack() {
    // `ServiceStack` derives from `Base` (no `Stack` suffix) which derives from `cdk.Stack` further down.
    let src = "import aws_cdk as cdk\n\nclass ServiceStack(Base):\n    pass\n\nclass Worker(ServiceStack):\n    pass\n\n\
        class Base(cdk.Stack):\n    pass\n\nclass Helper(object):\n    pass\n\nclass Mixed(Mixin, ServiceStack):\n    pass\n\n\
        app = cdk.App()\nWorker(app, 'Worker')\nBase(app, construct_id='Base')\nHelper()\n";
    let f = parse(src);
    let classes: Vec<(&str, &str)> = f
        .stack_classes
        .iter()
        .map(|s| (s.name.value.as_str(), s.base.as_str()))
        .collect();
    assert_eq!(
        classes,
        [
            ("ServiceStack", "Base"),
            ("Worker", "ServiceStack"),
            ("Base", "cdk.Stack"),
            ("Mixed", "ServiceStack")
        ]
    );
    assert_eq!(
        instances(&f),
        [("Worker", Some("Worker")), ("Base", Some("Base"))]
    );
    assert_eq!(
        f.stack_classes[1].range.slice(src),
        "class Worker(ServiceStack):\n    pass"
    );
}

#[test]
fn entry_file_importing_stacks_from_a_local_package() {
    let src = "#!/usr/bin/env python3\nimport os\nimport aws_cdk as cdk\n\
        from infra.stacks.network import NetworkStack\nfrom infra.stacks import compute\n\
        from .stacks.data import DataStack as Data\nfrom infra import stacks\n\n\
        app = cdk.App()\nenv = cdk.Environment(account=os.environ['CDK_DEFAULT_ACCOUNT'], region='eu-central-1')\n\
        net = NetworkStack(app, 'Network', env=env)\ncompute.ComputeStack(app, f'Compute-{env.region}', vpc=net.vpc)\n\
        Data(app, 'Data')\nstacks.EdgeStack(app, \"Edge\" \"Prod\")\ncdk.Tags.of(app).add('project', 'shop')\n\
        app.synth()\n";
    let f = parse(src);
    assert!(f.stack_classes.is_empty());
    assert_eq!(
        instances(&f),
        [
            ("NetworkStack", Some("Network")),
            ("ComputeStack", None),
            ("DataStack", Some("Data")),
            ("EdgeStack", Some("EdgeProd"))
        ]
    );
    assert_eq!(
        f.stack_instances[1].range.slice(src),
        "compute.ComputeStack(app, f'Compute-{env.region}', vpc=net.vpc)"
    );
    assert!(f.constructs.is_empty());
    assert_eq!(f.synth_calls.len(), 1);
}

#[test]
fn ecs_patterns_with_circuit_breaker() {
    let src = r#"from aws_cdk import Stack, aws_ecs as ecs, aws_ecs_patterns as ecs_patterns
from constructs import Construct

class WebStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, **kwargs):
        super().__init__(scope, construct_id, **kwargs)
        svc = ecs_patterns.ApplicationLoadBalancedFargateService(
            self, "Svc",
            memory_limit_mib=1024,
            circuit_breaker=ecs.DeploymentCircuitBreaker(rollback=True),
            task_image_options=ecs_patterns.ApplicationLoadBalancedTaskImageOptions(
                image=ecs.ContainerImage.from_registry("nginx:1.27"),
            ),
            min_healthy_percent=100,
            **extra,
        )
"#;
    let f = parse(src);
    let outer = construct(&f, "ApplicationLoadBalancedFargateService");
    assert_eq!(outer.module, "ecs_patterns");
    assert_eq!(
        kwarg(outer, "circuit_breaker"),
        Some("ecs.DeploymentCircuitBreaker(rollback=True)")
    );
    assert_eq!(kwarg(outer, "min_healthy_percent"), Some("100"));
    assert_eq!(outer.kwargs.len(), 4);
    let breaker = construct(&f, "DeploymentCircuitBreaker");
    assert_eq!(breaker.module, "ecs");
    assert_eq!(breaker.kwargs, [("rollback".to_owned(), "True".to_owned())]);
    assert_eq!(
        breaker.range.slice(src),
        "ecs.DeploymentCircuitBreaker(rollback=True)"
    );
    assert_eq!(
        construct(&f, "ContainerImage").range.slice(src),
        r#"ecs.ContainerImage.from_registry("nginx:1.27")"#
    );
}

#[test]
fn lambda_alias_and_deployment_group() {
    let src = "from aws_cdk import Stack, Duration\nfrom aws_cdk import aws_lambda as lambda_\n\
        from aws_cdk import aws_codedeploy as codedeploy\nfrom aws_cdk import aws_cloudwatch as cw\n\n\
        class FnStack(Stack):\n    def __init__(self, scope, construct_id):\n        super().__init__(scope, construct_id)\n        \
        fn = lambda_.Function(self, 'Fn', runtime=lambda_.Runtime.PYTHON_3_12, handler='app.handler', code=lambda_.Code.from_asset('src'))\n        \
        alias = lambda_.Alias(self, 'Live', alias_name='live', version=fn.current_version)\n        \
        alarm = cw.Alarm(self, 'Errors', metric=alias.metric_errors(), threshold=1, evaluation_periods=1)\n        \
        codedeploy.LambdaDeploymentGroup(self, 'Deploy', alias=alias,\n            \
        deployment_config=codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES, alarms=[alarm])\n        \
        imported = lambda_.Function.from_function_arn(self, 'Other', 'arn:aws:lambda:eu-west-1:1:function:x')\n";
    let f = parse(src);
    assert_eq!(
        names(&f),
        [
            ("lambda", "Function"),
            ("lambda", "Code"),
            ("lambda", "Alias"),
            ("cloudwatch", "Alarm"),
            ("codedeploy", "LambdaDeploymentGroup"),
            ("lambda", "Function"),
        ]
    );
    assert_eq!(kwarg(construct(&f, "Alias"), "alias_name"), Some("'live'"));
    let group = construct(&f, "LambdaDeploymentGroup");
    assert_eq!(
        kwarg(group, "deployment_config"),
        Some("codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES")
    );
    assert_eq!(kwarg(group, "alarms"), Some("[alarm]"));
    assert!(f.constructs[5]
        .range
        .slice(src)
        .starts_with("lambda_.Function.from_function_arn("));
    // A file without `App()` binds nothing and synthesises nothing.
    assert!(f.apps.is_empty() && f.synth_calls.is_empty());
}
