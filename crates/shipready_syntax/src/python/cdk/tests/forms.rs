//! Every import form CDK code uses (v1 dotted, 0.x, pipelines), direct stacks and inline apps, string ids,
//! and text that is broken, empty, non-ASCII or CRLF.

use super::*;

#[test]
fn every_import_form_resolves_to_the_canonical_module() {
    let src = "import aws_cdk as cdk\nimport aws_cdk.aws_sqs as sqs\nimport aws_cdk.aws_sns\n\
        from aws_cdk import aws_elasticloadbalancingv2 as elb, aws_certificatemanager as acm, aws_lambda\n\
        from aws_cdk import aws_apigatewayv2_alpha as apigwv2, aws_lambda_python_alpha\n\
        from aws_cdk.aws_ecs import Cluster, FargateService as Svc\nfrom aws_cdk.aws_elasticloadbalancingv2_targets import IpTarget\n\
        from aws_cdk import pipelines\n\
        sqs.Queue(s, 'Q')\naws_cdk.aws_sns.Topic(s, 'T')\nelb.ApplicationLoadBalancer(s, 'Alb')\n\
        acm.Certificate(s, 'Cert')\naws_lambda.Function(s, 'F')\napigwv2.HttpApi(s, 'H')\n\
        aws_lambda_python_alpha.PythonFunction(s, 'P')\nCluster(s, 'C')\nSvc(s, 'S')\nIpTarget('10.0.0.1')\n\
        cdk.aws_ec2.Vpc(s, 'V')\ncdk.aws_ec2.InstanceType.of(a, b)\npipelines.CodePipeline(s, 'Pipe')\n\
        cdk.Duration.minutes(5)\ncdk.CfnOutput(s, 'O', value='v')\ncdk.Stack.of(s)\nunknown.Vpc(s, 'X')\n";
    let f = parse(src);
    assert!(f.imports_cdk);
    assert_eq!(
        names(&f),
        [
            ("sqs", "Queue"),
            ("sns", "Topic"),
            ("elbv2", "ApplicationLoadBalancer"),
            ("certificatemanager", "Certificate"),
            ("lambda", "Function"),
            ("apigatewayv2", "HttpApi"),
            ("lambda_python", "PythonFunction"),
            ("ecs", "Cluster"),
            ("ecs", "FargateService"),
            ("elbv2_targets", "IpTarget"),
            ("ec2", "Vpc"),
            ("ec2", "InstanceType"),
            ("pipelines", "CodePipeline"),
        ]
    );
    assert!(f.stack_instances.is_empty());
}

#[test]
fn direct_stack_instances_and_inline_app() {
    let src = "import aws_cdk as cdk\nfrom aws_cdk import Stack as CdkStack, App\n\
        stack = cdk.Stack(cdk.App(), 'Direct')\nother = CdkStack(App(), id='Other')\n\
        cdk.App().synth()\nnot_app.synth()\n";
    let f = parse(src);
    assert_eq!(
        instances(&f),
        [("Stack", Some("Direct")), ("Stack", Some("Other"))]
    );
    assert_eq!(
        f.synth_calls
            .iter()
            .map(|r| r.slice(src))
            .collect::<Vec<_>>(),
        ["cdk.App().synth()"]
    );
    assert!(f.apps.is_empty());
}

#[test]
fn app_bound_in_a_function_and_on_self() {
    let src = "import aws_cdk as cdk\ndef main() -> None:\n    app: cdk.App = cdk.App(context={'env': 'prod'})\n    \
        app.synth()\n\nclass Runner:\n    def run(self):\n        self.app = cdk.App()\n        self.app.synth()\n";
    let f = parse(src);
    assert_eq!(
        f.apps
            .iter()
            .map(|a| a.range.slice(src))
            .collect::<Vec<_>>(),
        ["app", "self.app"]
    );
    assert_eq!(f.synth_calls.len(), 2);
}

#[test]
fn star_import_of_aws_cdk() {
    let src = "from aws_cdk import *\nclass S(Stack):\n    def __init__(self, a, b):\n        super().__init__(a, b)\n        \
        aws_s3.Bucket(self, 'B')\napp = App()\nS(app, 's')\napp.synth()\n";
    let f = parse(src);
    assert_eq!(f.stack_classes[0].base, "Stack");
    assert_eq!(names(&f), [("s3", "Bucket")]);
    assert_eq!(instances(&f), [("S", Some("s"))]);
    assert_eq!(f.apps.len(), 1);
    assert_eq!(f.synth_calls.len(), 1);
}

#[test]
fn string_ids_decode_escapes_and_reject_interpolation() {
    let src = "from aws_cdk import App\nfrom stacks import AStack\napp = App()\nAStack(app, 'it\\'s')\n\
        AStack(app, r'raw\\n')\nAStack(app, (\"paren\"))\nAStack(app, name)\nAStack(app)\nAStack(app, f'plain')\n";
    let f = parse(src);
    let ids: Vec<Option<&str>> = f.stack_instances.iter().map(|s| s.id.as_deref()).collect();
    assert_eq!(
        ids,
        [
            Some("it's"),
            Some("raw\\n"),
            Some("paren"),
            None,
            None,
            Some("plain")
        ]
    );
}

#[test]
fn non_ascii_crlf_and_tabs() {
    let src = "# -*- coding: utf-8 -*-\r\nimport aws_cdk as cdk\r\nfrom aws_cdk import aws_s3 as s3\r\n\r\n\
        class DonnéesStack(cdk.Stack):\r\n\tdef __init__(self, scope, cid):\r\n\t\tsuper().__init__(scope, cid)\r\n\
        \t\ts3.Bucket(self, \"Bücher\", bucket_name=\"données-🚀\")\r\n\r\napp = cdk.App()\r\n\
        DonnéesStack(app, \"Données-Prod\")\r\napp.synth()\r\n";
    let f = parse(src);
    assert_eq!(f.stack_classes[0].name.range.slice(src), "DonnéesStack");
    assert_eq!(instances(&f), [("DonnéesStack", Some("Données-Prod"))]);
    let bucket = construct(&f, "Bucket");
    assert_eq!(
        bucket.range.slice(src),
        "s3.Bucket(self, \"Bücher\", bucket_name=\"données-🚀\")"
    );
    assert_eq!(kwarg(bucket, "bucket_name"), Some("\"données-🚀\""));
    assert_eq!(f.synth_calls[0].slice(src), "app.synth()");
}

#[test]
fn half_typed_code_still_yields_facts() {
    let src = "from aws_cdk import Stack, aws_ec2 as ec2, aws_ecs as ecs\n\nclass NetStack(Stack):\n    \
        def __init__(self, scope, cid):\n        super().__init__(scope, cid)\n        vpc = ec2.Vpc(self, 'Vpc', max_azs=2)\n        \
        cluster = ecs.Cluster(self, 'C', vpc=vpc,\n        ecs.FargateService(self, 'Svc', cluster=\n\n    def broken(:\n";
    let f = parse(src);
    assert!(f.imports_cdk);
    assert_eq!(f.stack_classes.len(), 1);
    assert_eq!(
        names(&f),
        [
            ("ec2", "Vpc"),
            ("ecs", "Cluster"),
            ("ecs", "FargateService")
        ]
    );
    // The unclosed calls are recovered from the `ERROR` node up to their last argument.
    let cluster = construct(&f, "Cluster");
    assert_eq!(cluster.range.slice(src), "ecs.Cluster(self, 'C', vpc=vpc");
    assert_eq!(cluster.kwargs, [("vpc".to_owned(), "vpc".to_owned())]);
    assert!(construct(&f, "FargateService")
        .range
        .slice(src)
        .starts_with("ecs.FargateService(self, 'Svc'"));
}

#[test]
fn unclosed_stack_instance_at_end_of_file() {
    let src = "import aws_cdk as cdk\nfrom stacks import NetworkStack\napp = cdk.App()\nNetworkStack(app, 'Net', env=\n";
    let f = parse(src);
    assert_eq!(f.apps.len(), 1);
    assert_eq!(f.stack_instances.len(), 1, "{f:?}");
    assert_eq!(f.stack_instances[0].class, "NetworkStack");
    assert!(f.stack_instances[0]
        .range
        .slice(src)
        .starts_with("NetworkStack(app, 'Net'"));
}

#[test]
fn empty_and_unrelated_files() {
    assert_eq!(parse(""), CdkFacts::default());
    assert_eq!(parse("\u{feff}"), CdkFacts::default());
    let web = parse(
        "from fastapi import FastAPI\napp = FastAPI()\n@app.get('/')\ndef root():\n    return {}\n",
    );
    assert_eq!(web, CdkFacts::default());
    // A name only *called* `ec2` is not a CDK module unless it was imported from `aws_cdk`.
    let boto =
        parse("import boto3\nec2 = boto3.client('ec2')\nec2.describe_instances()\nec2.Vpc('x')\n");
    assert!(boto.constructs.is_empty() && !boto.imports_cdk);
}

#[test]
fn cdk_v1_dotted_imports_and_core_names() {
    let src = "import aws_cdk.core as cdk\nimport aws_cdk.aws_lambda as _lambda\nfrom aws_cdk.core import App, Stack\n\
        from aws_cdk.aws_dynamodb import Table, Attribute as Attr\n\n\
        class Tables(Stack):\n    def __init__(self, scope, id):\n        super().__init__(scope, id)\n        \
        Table(self, 'T', partition_key=Attr(name='pk', type=None))\n        _lambda.Function(self, 'F')\n\n\
        a = App()\nTables(a, 'tables')\nb = cdk.App()\nb.synth()\na.synth()\n";
    let f = parse(src);
    assert_eq!(
        f.apps.iter().map(|a| a.value.as_str()).collect::<Vec<_>>(),
        ["a", "b"]
    );
    assert_eq!(
        f.synth_calls
            .iter()
            .map(|r| r.slice(src))
            .collect::<Vec<_>>(),
        ["b.synth()", "a.synth()"]
    );
    assert_eq!(f.stack_classes[0].base, "Stack");
    assert_eq!(instances(&f), [("Tables", Some("tables"))]);
    assert_eq!(
        names(&f),
        [
            ("dynamodb", "Table"),
            ("dynamodb", "Attribute"),
            ("lambda", "Function")
        ]
    );
}

#[test]
fn cdk_zero_x_module_and_legacy_run() {
    // Before v1, `App` and `Stack` lived in `aws_cdk.cdk` and an app was synthesised with `app.run()`.
    let src = "from aws_cdk import aws_ec2 as ec2, cdk\n\nclass LbStack(cdk.Stack):\n    def __init__(self, app, id):\n        \
        super().__init__(app, id)\n        ec2.Vpc(self, 'VPC')\n\napp = cdk.App()\nLbStack(app, 'Lb')\napp.run()\n";
    let f = parse(src);
    assert_eq!(f.apps.len(), 1);
    assert_eq!(
        f.synth_calls
            .iter()
            .map(|r| r.slice(src))
            .collect::<Vec<_>>(),
        ["app.run()"]
    );
    assert_eq!(instances(&f), [("LbStack", Some("Lb"))]);
    // `.run()` on anything not bound to `App()` (a Flask app in a CDK-importing file) is not a synth.
    let flask =
        parse("import aws_cdk\nfrom flask import Flask\napp = Flask(__name__)\napp.run()\n");
    assert!(flask.synth_calls.is_empty());
}

#[test]
fn cdk_pipelines_are_recorded_as_their_own_module() {
    let src = "import aws_cdk as cdk\nfrom aws_cdk.pipelines import CodePipeline, CodePipelineSource, ShellStep\n\
        class PipelineStack(cdk.Stack):\n    def __init__(self, scope, cid):\n        super().__init__(scope, cid)\n        \
        CodePipeline(self, 'Pipeline', synth=ShellStep('Synth', input=CodePipelineSource.git_hub('o/r', 'main'),\n            \
        commands=['cdk synth']))\n";
    let f = parse(src);
    assert_eq!(
        names(&f),
        [
            ("pipelines", "CodePipeline"),
            ("pipelines", "ShellStep"),
            ("pipelines", "CodePipelineSource")
        ]
    );
    assert_eq!(
        kwarg(construct(&f, "ShellStep"), "commands"),
        Some("['cdk synth']")
    );
}

#[test]
fn deep_nesting_and_long_chains_do_not_exhaust_the_stack() {
    let depth = 20_000;
    let nested = format!(
        "from aws_cdk import aws_s3 as s3\nx = {}s3.Bucket(self, 'B'){}\n",
        "(".repeat(depth),
        ")".repeat(depth)
    );
    assert_eq!(names(&parse(&nested)), [("s3", "Bucket")]);
    let chain = format!(
        "import aws_cdk as cdk\nclass A(cdk.{}Stack):\n    pass\n",
        "a.".repeat(depth)
    );
    assert_eq!(parse(&chain).stack_classes.len(), 1);
    let calls = format!(
        "from stacks import XStack\n{}\n",
        "XStack(app, 'x')(".repeat(depth)
    );
    assert!(!parse(&calls).stack_instances.is_empty());
}

#[test]
fn a_class_called_with_the_app_as_scope_is_a_stack_whatever_its_name() {
    // airmonitor/cdk-opinionated-constructs: the monitoring stack's class name ends in `Monitoring`.
    let src = "import aws_cdk as cdk\nfrom stacks.lmb_stack import TestAWSPythonLambdaFunctionStack\n\
        from stacks.lmb_monitoring_stack import TestAWSPythonLambdaFunctionStackMonitoring as Mon\n\
        from stacks.stage import ProdStage\n\
        app = cdk.App()\nTestLambdaStack = TestAWSPythonLambdaFunctionStack(\n    app,\n    'TestAWSLambdaFunctionStack',\n)\n\
        TestLambdaMonitoringStack = Mon(\n    app,\n    'TestAWSLambdaFunctionMonitoringStack',\n    props=TestLambdaStack.output_props,\n)\n\
        ProdStage(app, 'Prod')\nHelper(other, 'X')\nprint(app)\napp.synth()\n";
    let f = parse(src);
    assert_eq!(
        instances(&f),
        [
            (
                "TestAWSPythonLambdaFunctionStack",
                Some("TestAWSLambdaFunctionStack")
            ),
            (
                "TestAWSPythonLambdaFunctionStackMonitoring",
                Some("TestAWSLambdaFunctionMonitoringStack")
            ),
        ]
    );
}
