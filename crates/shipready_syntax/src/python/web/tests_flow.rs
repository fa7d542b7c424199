//! Tests of how apps are composed across functions: subclasses of the framework's app class, Werkzeug's
//! `DispatcherMiddleware`, helpers that receive the app, the calls that pass it and factories that return one.

use crate::python::parse;
use crate::python::web::{AppKind, Framework, WebFacts};

fn web(src: &str) -> WebFacts {
    parse(src).web
}

#[test]
fn instances_of_the_files_own_app_subclasses_are_apps() {
    let src = "from flask import Flask\n\nclass WebApp(Base):\n    pass\n\nclass Base(Flask):\n    pass\n\n\
               def create_app():\n    app = WebApp(__name__)\n    return app\n\nother = Unrelated(__name__)\n";
    let facts = web(src);
    let apps: Vec<_> = facts
        .apps
        .iter()
        .map(|a| (a.var.as_str(), a.framework, a.kind, a.range.slice(src)))
        .collect();
    assert_eq!(
        apps,
        vec![(
            "app",
            Framework::Flask,
            AppKind::App,
            "app = WebApp(__name__)"
        )]
    );
    assert_eq!(facts.factories.len(), 1);
    assert_eq!(
        (
            facts.factories[0].function.as_str(),
            facts.factories[0].returns.as_str()
        ),
        ("create_app", "app")
    );
}

#[test]
fn dispatcher_middleware_mounts_each_prefix() {
    let src = "from flask import Flask\nfrom werkzeug.middleware.dispatcher import DispatcherMiddleware\n\
               from ops import ops_app\n\napp = Flask(__name__)\n\
               app.wsgi_app = DispatcherMiddleware(app.wsgi_app, {\"/ops\": ops_app, \"/admin\": admin.wsgi_app})\n";
    let facts = web(src);
    let got: Vec<_> = facts
        .includes
        .iter()
        .map(|i| {
            (
                i.parent.as_str(),
                i.child.as_str(),
                i.prefix.as_deref(),
                i.range.slice(src),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("app", "ops_app", Some("/ops"), "\"/ops\": ops_app"),
            ("app", "admin", Some("/admin"), "\"/admin\": admin.wsgi_app"),
        ]
    );
}

#[test]
fn helpers_that_receive_the_app_and_calls_that_pass_it() {
    let helper = "from flask import Blueprint\n\nops = Blueprint(\"ops\", __name__)\n\n\
                  def register_views(app, *, prefix=\"/ops\"):\n    app.register_blueprint(ops, url_prefix=prefix)\n\n\
                  class Ext:\n    def init_app(self, application):\n        @application.route(\"/ping\")\n        def ping():\n            return \"ok\"\n\n\
                  def unrelated(x):\n    return x\n";
    let facts = web(helper);
    let params: Vec<_> = facts
        .app_params
        .iter()
        .map(|p| (p.function.as_str(), p.param.as_str(), p.position))
        .collect();
    assert_eq!(
        params,
        vec![("register_views", "app", 0), ("init_app", "application", 0)]
    );
    let caller = "from flask import Flask\nfrom web.views import register_views\nfrom web import ext\n\n\
                  def create_app():\n    app = Flask(__name__)\n    register_views(app)\n    ext.init_app(application=app)\n\
                  \x20   print(app.name, len(app))\n    return app\n";
    let facts = web(caller);
    let passes: Vec<_> = facts
        .app_passes
        .iter()
        .map(|p| {
            (
                p.callee.as_str(),
                p.arg.as_str(),
                p.position,
                p.keyword.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        passes,
        vec![
            ("register_views", "app", Some(0), None),
            ("ext.init_app", "app", None, Some("application")),
            ("len", "app", Some(0), None),
        ]
    );
}

#[test]
fn instances_of_imported_classes_are_kept_when_used_like_an_app() {
    let base = "from flask import Flask\n\nclass WebApp(Flask):\n    pass\n";
    let classes: Vec<_> = web(base)
        .app_classes
        .into_iter()
        .map(|c| (c.name, c.framework, c.kind))
        .collect();
    assert_eq!(
        classes,
        vec![("WebApp".to_owned(), Framework::Flask, AppKind::App)]
    );
    let src = "from web.base import WebApp\nfrom web.models import User\nfrom web import views\n\n\
               def create_app():\n    app = WebApp(__name__)\n    views.init_app(app)\n    return app\n\n\
               user = User(name=\"x\")\nserver = WebApp(\"s\")\n\n@server.route(\"/ping\")\ndef ping(): ...\n";
    let facts = web(src);
    let got: Vec<_> = facts
        .class_instances
        .iter()
        .map(|i| {
            (
                i.class.as_str(),
                i.var.as_str(),
                i.range.slice(src),
                i.indent.as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("WebApp", "app", "app = WebApp(__name__)", "    "),
            ("WebApp", "server", "server = WebApp(\"s\")", ""),
        ]
    );
    assert_eq!(facts.factories.len(), 1);
}

#[test]
fn app_params_come_from_registrations_inside_each_function_only() {
    // Nested functions, a registration before and after the function, two params of which one registers, and
    // a function whose only registration is on a name that is not its parameter: the sorted lookup must find
    // exactly the registrations inside each function's span, at any nesting.
    let src = "from flask import Blueprint\nbp = Blueprint('b', __name__)\n\n\
               def before(app):\n    return app\n\n\
               def outer(app, api):\n    def inner(site):\n        site.register_blueprint(bp)\n\
               \x20   api.add_url_rule('/x', view_func=f)\n    return inner\n\n\
               def other(app):\n    bp.add_url_rule('/y', view_func=f)\n\n\
               def last(server):\n    @server.route('/z')\n    def z():\n        return 'z'\n";
    let facts = web(src);
    let params: Vec<_> = facts
        .app_params
        .iter()
        .map(|p| (p.function.as_str(), p.param.as_str(), p.position))
        .collect();
    assert_eq!(
        params,
        vec![
            ("outer", "api", 1),
            ("inner", "site", 0),
            ("last", "server", 0)
        ]
    );
}
