//! Whole categories that do not apply to a unit under the `standard` profile, decided once before its rules
//! run. A repository whose only image is a command-line tool or a job (yq, a linter's image) releases that
//! image; a library has no Dockerfile, compose file, CDK app or web app at all: neither deploys anything, so a
//! deployment guide and rollback procedures are not their gaps. CDK code with no `cdk.json` and no `App()` is
//! a construct library, not a CDK app.

use crate::index::workload::Workload;
use crate::{Category, Context, Finding, Outcome, Profile};
use shipready_syntax::FileKind;

/// The not-applicable outcome every check of `category` gets in this unit, or `None` when its rules decide.
pub(crate) fn category_gate(ctx: &Context, code: &str, category: Category) -> Option<Outcome> {
    if ctx.profile != Profile::Standard {
        return None;
    }
    if let Some(reason) = library(ctx) {
        return Some(Outcome::not_applicable(
            format!("nothing deployed: {reason}"),
            Finding::report_only(format!(
                "Nothing in this unit is deployed ({reason}); the seed profile judges it anyway."
            )),
        ));
    }
    let cdk = &ctx.index.cdk();
    if (category == Category::Cdk || code == "RB004")
        && cdk.present
        && cdk.cdk_json.is_empty()
        && cdk.app_files.is_empty()
    {
        return Some(Outcome::not_applicable(
            "CDK constructs, no CDK app",
            Finding::report_only("CDK code with no cdk.json and no App(): a construct library deploys nothing itself."),
        ));
    }
    if !matches!(category, Category::Guide | Category::Rollback) {
        return None;
    }
    let reason = released_not_deployed(ctx).or_else(|| nothing_deployable(ctx))?;
    Some(Outcome::not_applicable(
        format!("nothing deployed: {reason}"),
        Finding::report_only(format!(
            "Nothing in this unit is deployed ({reason}); the seed profile asks for deployment documents anyway."
        )),
    ))
}

/// Why the unit only releases images: every image is a job or CLI, and there is no compose project, CDK app or
/// web application.
pub(crate) fn released_not_deployed(ctx: &Context) -> Option<String> {
    let index = ctx.index;
    let images = &index.workload().images;
    let only_jobs = !images.is_empty() && images.iter().all(|(_, w)| w.kind == Workload::Job);
    if !only_jobs
        || !index.docker().compose_files.is_empty()
        || index.cdk().present
        || !index.web().apps.is_empty()
    {
        return None;
    }
    let (path, w) = images.first()?;
    Some(format!("{path} is a {} ({})", w.kind.id(), w.reason))
}

/// Why the unit has nothing to deploy at all: no Dockerfile, compose file, CDK app, web application or
/// deployment guide (a library, an empty folder). A guide alone says something is deployed, by tools shipready
/// does not read.
fn nothing_deployable(ctx: &Context) -> Option<String> {
    let index = ctx.index;
    let nothing = index.docker().dockerfiles.is_empty()
        && index.docker().compose_files.is_empty()
        && index.cdk().cdk_json.is_empty()
        && index.cdk().app_files.is_empty()
        && index.web().apps.is_empty()
        && index.guide().is_none();
    nothing.then(|| "no Dockerfile, compose file, CDK app or web application".to_owned())
}

/// Why a unit with web code is a library rather than an application: no Dockerfile, compose file, CDK app,
/// Procfile or guide deploys it, no command or runner starts an app, and no app sits in an entry module
/// (`app.py`, `main.py`, `wsgi.py`... at the top or one folder down). A web framework's own test app, or a
/// package of routers other projects mount, looks like this.
fn library(ctx: &Context) -> Option<String> {
    let index = ctx.index;
    // Routers and blueprints alone are judged as before: the health route goes on them.
    if index.web().served_apps().next().is_none()
        || index.workload().lambda_wrapped
        || !index.docker().dockerfiles.is_empty()
        || !index.docker().compose_files.is_empty()
        || !index.cdk().cdk_json.is_empty()
        || !index.cdk().app_files.is_empty()
        || index.guide().is_some()
        || index.web().main_start_dir.is_some()
    {
        return None;
    }
    let root = ctx.workspace.root();
    let depth = |path: &str| {
        let rel = path
            .strip_prefix(root)
            .unwrap_or(path)
            .trim_start_matches('/');
        rel.matches('/').count()
    };
    const ENTRY: &[&str] = &[
        "app.py",
        "main.py",
        "wsgi.py",
        "asgi.py",
        "server.py",
        "run.py",
        "application.py",
        "autoapp.py",
        "manage.py",
    ];
    let entry = index.web().served_apps().any(|(_, a)| {
        let name = a.file.rsplit('/').next().unwrap_or(&a.file);
        ENTRY.contains(&name) && depth(&a.file) <= 1
    });
    let procfile = ctx
        .workspace
        .of_kind(FileKind::Script)
        .any(|f| f.name().eq_ignore_ascii_case("procfile"));
    (!entry && !procfile).then(|| {
        "web code that nothing starts or deploys: no Dockerfile, compose file, Procfile, runner or entry module".to_owned()
    })
}
