//! HC006 and HC007 on small workspaces: each kind of probe, the cases that must not be judged, and the HC006
//! fix applied and re-audited.

use crate::{audit, Audit, Edit, Finding, Profile, Status, Workspace};

fn run(files: &[(&str, &str)]) -> Audit {
    audit(
        &Workspace::from_texts(files.iter().copied()),
        Profile::Standard,
    )
}

fn status(a: &Audit, code: &str) -> Option<Status> {
    a.checks.iter().find(|c| c.code == code).map(|c| c.status)
}

fn of<'a>(a: &'a Audit, code: &str) -> Vec<&'a Finding> {
    a.findings.iter().filter(|f| f.code == code).collect()
}

/// The text `f`'s range covers in `text`.
fn shown<'t>(f: &Finding, text: &'t str) -> &'t str {
    f.range.and_then(|r| text.get(r.start..r.end)).unwrap_or("")
}

const FLASK_APP: &str =
    "from flask import Flask, Blueprint\n\nops = Blueprint('ops', __name__)\n\n\
@ops.route('/status')\ndef status():\n    return 'ok'\n\napp = Flask(__name__)\n\
app.register_blueprint(ops, url_prefix='/ops')\n";
const FLASK_IMAGE: &str =
    "FROM python:3.12-slim\nCOPY . /srv\nCMD [\"gunicorn\", \"-b\", \"0.0.0.0:5000\", \"app:app\"]\n";

#[test]
fn a_compose_probe_of_a_path_outside_the_blueprint_prefix_is_fixed_to_the_health_route() {
    let compose =
        "services:\n  web:\n    build: ./web\n    ports: [\"5000:5000\"]\n    healthcheck:\n      \
test: [\"CMD\", \"curl\", \"-f\", \"http://localhost:5000/status\"]\n";
    let files = [
        ("compose.yaml", compose),
        ("web/Dockerfile", FLASK_IMAGE),
        ("web/app.py", FLASK_APP),
    ];
    let a = run(&files);
    let found = of(&a, "HC006");
    assert_eq!(found.len(), 1, "{found:#?}");
    let f = found[0];
    assert_eq!(f.file.as_deref(), Some("compose.yaml"));
    assert_eq!(shown(f, compose), "/status");
    assert!(f.message.contains("`/ops/status`"), "{}", f.message);
    assert_eq!(f.related.len(), 1);
    assert_eq!(f.related[0].file, "web/app.py");
    let Some(Edit::Replace {
        range, new_text, ..
    }) = f.fix.as_ref().and_then(|x| x.edits.first())
    else {
        panic!("no fix: {f:#?}");
    };
    assert!(range.is_empty(), "fixes only insert");
    let mut fixed = compose.to_owned();
    fixed.insert_str(range.start, new_text);
    assert!(
        fixed.contains("http://localhost:5000/ops/status\""),
        "{fixed}"
    );
    let after = run(&[
        ("compose.yaml", &fixed),
        ("web/Dockerfile", FLASK_IMAGE),
        ("web/app.py", FLASK_APP),
    ]);
    // The gap is closed, so nothing is offered again: applying twice cannot duplicate the prefix.
    assert!(of(&after, "HC006").is_empty());
    assert_eq!(status(&after, "HC006"), Some(Status::Pass));
}

#[test]
fn a_root_probe_of_an_app_without_a_root_route_gets_the_path_appended() {
    let image = "FROM python:3.12-slim\nCOPY . /srv\nHEALTHCHECK CMD wget -q --spider http://localhost:5000 || exit 1\n\
CMD [\"gunicorn\", \"-b\", \"0.0.0.0:5000\", \"app:app\"]\n";
    let a = run(&[("Dockerfile", image), ("app.py", FLASK_APP)]);
    let found = of(&a, "HC006");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(shown(found[0], image), "http://localhost:5000");
    let Some(Edit::Replace {
        range, new_text, ..
    }) = found[0].fix.as_ref().and_then(|x| x.edits.first())
    else {
        panic!("no fix");
    };
    assert_eq!(new_text, "/ops/status");
    assert_eq!(range.start, image.find(" || exit").unwrap_or(0));
}

#[test]
fn probes_under_something_mounted_that_is_not_known_are_not_judged() {
    let app = "from fastapi import FastAPI\nfrom starlette.middleware.wsgi import WSGIMiddleware\nfrom legacy import old\n\n\
app = FastAPI()\napp.mount('/legacy', WSGIMiddleware(old))\n\n@app.get('/health')\ndef health():\n    return {}\n";
    let image = |path: &str| {
        format!(
            "FROM python:3.12-slim\nCOPY . /srv\nHEALTHCHECK CMD curl -f http://localhost:8000{path} || exit 1\n\
CMD [\"uvicorn\", \"main:app\", \"--host\", \"0.0.0.0\"]\n"
        )
    };
    let legacy = image("/legacy/ping");
    let a = run(&[("Dockerfile", &legacy), ("main.py", app)]);
    assert!(of(&a, "HC006").is_empty());
    assert_eq!(status(&a, "HC006"), Some(Status::NotApplicable));
    // Elsewhere the routes are known: `/healthz` is not served, FastAPI's `/docs` is.
    let wrong = image("/healthz");
    assert_eq!(
        of(&run(&[("Dockerfile", &wrong), ("main.py", app)]), "HC006").len(),
        1
    );
    let docs = image("/docs");
    assert!(of(&run(&[("Dockerfile", &docs), ("main.py", app)]), "HC006").is_empty());
}

#[test]
fn catch_all_routes_and_parameters_are_reached() {
    let app = "from fastapi import FastAPI\n\napp = FastAPI()\n\n@app.get('/{full_path:path}')\n\
def spa(full_path: str):\n    return {}\n";
    let image = "FROM python:3.12-slim\nCOPY . /srv\nHEALTHCHECK CMD curl -f http://localhost:8000/anything/here\n\
CMD [\"uvicorn\", \"main:app\"]\n";
    let a = run(&[("Dockerfile", image), ("main.py", app)]);
    assert_eq!(status(&a, "HC006"), Some(Status::Pass));
}

#[test]
fn a_probe_script_is_judged_in_the_script() {
    let image = "FROM python:3.12-slim\nCOPY . /srv\nHEALTHCHECK CMD python /srv/probe.py\n\
CMD [\"uvicorn\", \"main:app\"]\n";
    let script =
        "import urllib.request\nurllib.request.urlopen('http://127.0.0.1:8000/ready', timeout=2)\n";
    let app = "from fastapi import FastAPI\n\napp = FastAPI()\n\n@app.get('/readyz')\ndef readyz():\n    return {}\n";
    let a = run(&[
        ("Dockerfile", image),
        ("probe.py", script),
        ("main.py", app),
    ]);
    let found = of(&a, "HC006");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].file.as_deref(), Some("probe.py"));
    assert_eq!(shown(found[0], script), "/ready");
}

#[test]
fn job_images_and_unknown_apps_are_not_judged() {
    // No app the image runs is known: a Django service.
    let image = "FROM python:3.12-slim\nCOPY . /srv\nHEALTHCHECK CMD curl -f http://localhost:8000/nowhere\n\
CMD [\"gunicorn\", \"site.wsgi\"]\n";
    let a = run(&[("Dockerfile", image), ("manage.py", "import django\n")]);
    assert!(of(&a, "HC006").is_empty());
}

const CDK_APP: &str = "import aws_cdk as cdk\nfrom stack import WebStack\n\napp = cdk.App()\nWebStack(app, 'Web')\napp.synth()\n";
const SERVICE_IMAGE: &str = "FROM python:3.12-slim\nCOPY . /srv\nCMD [\"uvicorn\", \"main:app\", \"--host\", \"0.0.0.0\"]\n";
const SERVICE_APP: &str = "from fastapi import FastAPI, APIRouter\n\nrouter = APIRouter(prefix='/api')\n\n\
@router.get('/health')\ndef health():\n    return {}\n\napp = FastAPI()\napp.include_router(router)\n";

#[test]
fn a_target_group_health_check_path_must_be_served() {
    let stack = "from aws_cdk import Stack, aws_ecs as ecs, aws_elasticloadbalancingv2 as elbv2\n\n\
class WebStack(Stack):\n    def build(self, vpc, service):\n        image = ecs.ContainerImage.from_asset('service')\n\
        elbv2.ApplicationTargetGroup(self, 'T', vpc=vpc, port=8000, targets=[service],\n\
            health_check=elbv2.HealthCheck(path='/health'))\n";
    let files = [
        ("cdk.json", "{\"app\": \"python3 app.py\"}"),
        ("app.py", CDK_APP),
        ("stack.py", stack),
        ("service/Dockerfile", SERVICE_IMAGE),
        ("service/main.py", SERVICE_APP),
    ];
    let a = run(&files);
    let found = of(&a, "HC006");
    assert_eq!(found.len(), 1, "{:#?}", a.findings);
    assert_eq!(found[0].file.as_deref(), Some("stack.py"));
    assert_eq!(shown(found[0], stack), "/health");
    assert!(found[0].message.contains("`/api/health`"));
    // The target group has a health check: HC007 passes.
    assert_eq!(status(&a, "HC007"), Some(Status::Pass));
}

#[test]
fn a_file_deploying_two_images_is_not_judged() {
    let stack = "from aws_cdk import Stack, aws_ecs as ecs, aws_ecs_patterns as patterns\n\n\
class WebStack(Stack):\n    def build(self):\n        worker = ecs.ContainerImage.from_registry('nginx')\n\
        patterns.ApplicationLoadBalancedFargateService(self, 'S',\n\
            task_image_options=patterns.ApplicationLoadBalancedTaskImageOptions(image=ecs.ContainerImage.from_asset('service')))\n";
    let a = run(&[
        ("cdk.json", "{\"app\": \"python3 app.py\"}"),
        ("app.py", CDK_APP),
        ("stack.py", stack),
        ("service/Dockerfile", SERVICE_IMAGE),
        ("service/main.py", SERVICE_APP),
    ]);
    assert!(of(&a, "HC007").is_empty());
    let one = stack.replace(
        "        worker = ecs.ContainerImage.from_registry('nginx')\n",
        "",
    );
    let b = run(&[
        ("cdk.json", "{\"app\": \"python3 app.py\"}"),
        ("app.py", CDK_APP),
        ("stack.py", &one),
        ("service/Dockerfile", SERVICE_IMAGE),
        ("service/main.py", SERVICE_APP),
    ]);
    let found = of(&b, "HC007");
    assert_eq!(found.len(), 1, "{:#?}", b.findings);
    assert!(shown(found[0], &one).starts_with("patterns.ApplicationLoadBalancedFargateService("));
    assert!(found[0].message.contains("`/api/health`"));
}

#[test]
fn the_default_probe_fix_configures_the_health_route_once() {
    let stack = "from aws_cdk import Stack, aws_ecs as ecs, aws_ecs_patterns as patterns\n\n\
class WebStack(Stack):\n    def build(self):\n        svc = (\n            patterns.ApplicationLoadBalancedFargateService(self, 'S',\n\
                task_image_options=patterns.ApplicationLoadBalancedTaskImageOptions(image=ecs.ContainerImage.from_asset('service')))\n\
        )\n        svc.service.auto_scale_task_count(max_capacity=2)\n";
    let with = |stack: &str| {
        run(&[
            ("cdk.json", "{\"app\": \"python3 app.py\"}"),
            ("app.py", CDK_APP),
            ("stack.py", stack),
            ("service/Dockerfile", SERVICE_IMAGE),
            ("service/main.py", SERVICE_APP),
        ])
    };
    let a = with(stack);
    let found = of(&a, "HC007");
    assert_eq!(found.len(), 1, "{:#?}", a.findings);
    let Some(Edit::Replace {
        range, new_text, ..
    }) = found[0].fix.as_ref().and_then(|x| x.edits.first())
    else {
        panic!("no fix");
    };
    assert!(range.is_empty());
    let mut fixed = stack.to_owned();
    fixed.insert_str(range.start, new_text);
    assert!(
        fixed.contains(")\n        svc.target_group.configure_health_check(path=\"/api/health\")\n        svc.service"),
        "{fixed}"
    );
    let after = with(&fixed);
    assert_eq!(status(&after, "HC007"), Some(Status::Pass));
    assert!(of(&after, "HC007").is_empty());
    assert!(of(&after, "HC006").is_empty());
}

#[test]
fn an_app_handed_to_a_library_that_adds_routes_is_not_judged() {
    let app = "from flask import Flask\nfrom flask_restful import Api\n\napp = Flask(__name__)\napi = Api(app)\n\
api.add_resource(Health, '/health')\n";
    let image = "FROM python:3.12-slim\nCOPY . /srv\nHEALTHCHECK CMD curl -f http://localhost:5000/health\n\
CMD [\"gunicorn\", \"app:app\"]\n";
    let a = run(&[("Dockerfile", image), ("app.py", app)]);
    assert!(of(&a, "HC006").is_empty(), "{:#?}", a.findings);
}

#[test]
fn a_listener_target_group_on_the_default_probe_is_reported() {
    let stack = "from aws_cdk import Stack, aws_ecs as ecs\n\nclass WebStack(Stack):\n    def build(self, listener, task):\n\
        task.add_container('web', image=ecs.ContainerImage.from_asset('service'))\n\
        group = listener.add_targets('Web', port=8000, targets=[self.service])\n";
    let a = run(&[
        ("cdk.json", "{\"app\": \"python3 app.py\"}"),
        ("app.py", CDK_APP),
        ("stack.py", stack),
        ("service/Dockerfile", SERVICE_IMAGE),
        ("service/main.py", SERVICE_APP),
    ]);
    let found = of(&a, "HC007");
    assert_eq!(found.len(), 1, "{:#?}", a.findings);
    assert!(shown(found[0], stack).starts_with("listener.add_targets("));
    let Some(Edit::Replace { new_text, .. }) = found[0].fix.as_ref().and_then(|x| x.edits.first())
    else {
        panic!("no fix");
    };
    assert_eq!(
        new_text,
        "group.configure_health_check(path=\"/api/health\")\n"
    );
}

#[test]
fn an_ecs_container_health_check_command_is_judged_like_a_healthcheck() {
    let stack = "from aws_cdk import Stack, aws_ecs as ecs\n\nclass WebStack(Stack):\n    def build(self, task):\n\
        task.add_container('web', image=ecs.ContainerImage.from_asset('service'),\n\
            health_check=ecs.HealthCheck(command=['CMD-SHELL', 'curl -f http://localhost:8000/healthz || exit 1']))\n";
    let a = run(&[
        ("cdk.json", "{\"app\": \"python3 app.py\"}"),
        ("app.py", CDK_APP),
        ("stack.py", stack),
        ("service/Dockerfile", SERVICE_IMAGE),
        ("service/main.py", SERVICE_APP),
    ]);
    let found = of(&a, "HC006");
    assert_eq!(found.len(), 1, "{:#?}", a.findings);
    assert_eq!(shown(found[0], stack), "/healthz");
    // `/healthz` cannot become `/api/health` by inserting alone: no fix, the message names the route.
    assert!(found[0].fix.is_none());
    assert!(found[0].message.contains("`/api/health`"));
}
