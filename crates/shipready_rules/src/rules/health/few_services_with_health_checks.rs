//! ## What it checks
//! That at least 3 services have health checks. A service counts once, with any of: a web application that
//! serves a health route, a compose service with a `healthcheck` (its own, or its image's `HEALTHCHECK` in the
//! stage its `build.target` names, else the final stage), or a Dockerfile not built by any compose service whose
//! final stage has a `HEALTHCHECK`. A stage has the `HEALTHCHECK` and the command of the stage it is built
//! `FROM` unless it sets its own. `HEALTHCHECK NONE` and `disable: true` do not count. A service repeated in
//! another compose file of its folder (`docker-compose.prod.yml` merged over `docker-compose.yml`) is one
//! service, and a compose service or Dockerfile and the app its command starts are one service.
//!
//! Under the `standard` profile it applies to deployable units that run a network service; CLI, job and Lambda
//! images are not services and are not counted.
//!
//! ## Why it matters
//! Every process that can hang needs a probe, not only the API: workers, schedulers and sidecars fail
//! silently otherwise.
//!
//! ## Example
//! A compose file with `api`, `worker` and `db` where only `api` has a health check.
//!
//! ## Fix
//! Add a `healthcheck` to each compose service (`pg_isready` for Postgres, `redis-cli ping` for Redis, an HTTP
//! probe for web services) and a `HEALTHCHECK` to each Dockerfile. The quick fix inserts the image's own probe
//! into compose services that run a well-known database, cache, broker or search image, an HTTP probe of the
//! app's health route into a service whose stock Python image runs a web server, and a `HEALTHCHECK` into the
//! stage a service builds, each on the port the app binds (the server command, `ENV PORT`, `EXPOSE`, `ports`).

use std::collections::{BTreeMap, BTreeSet};

use super::compose_services::{self, Own};
use crate::index::docker::{
    built_stage, command_line, dockerfile, final_stage, healthcheck, targets_in,
};
use crate::index::modules;
use crate::{Category, Context, Finding, Outcome, Rule, Severity};

const MIN_SERVICES: usize = 3;

pub(crate) static RULE: Rule = Rule {
    name: "few-services-with-health-checks",
    category: Category::Health,
    severity: Severity::Medium,
    title: "Fewer than 3 services with health checks",
    impact: "Workers, databases and sidecars can hang without anyone noticing.",
    recommendation: "Give every service a health check: compose healthcheck, Dockerfile HEALTHCHECK or a health route.",
    effort: "1-2 hours",
    source: include_str!("few_services_with_health_checks.rs"),
    check,
};

fn check(ctx: &Context) -> Outcome {
    if !super::applies(ctx) {
        return super::not_applicable(ctx);
    }
    let ws = ctx.workspace;
    // Services are identified by the folder they are built from, so an app, its Dockerfile and its compose
    // service count once.
    let mut services: BTreeSet<String> = BTreeSet::new();
    let mut evidence = BTreeSet::new();
    let mut built_by_compose = BTreeSet::new();
    let mut build_dirs: Vec<String> = Vec::new();
    let mut unchecked = Vec::new();
    // The compose service (by name, so an override file's copy is the same one) that first builds each folder.
    let mut folder_owner: BTreeMap<String, String> = BTreeMap::new();
    // The health checks that make services count, for hovers on them.
    let mut places = Vec::new();
    // The app each image runs, so its health route adds nothing to the service that runs it.
    let mut app_owner: BTreeMap<usize, String> = BTreeMap::new();
    for service in compose_services::services(ctx) {
        let name = &service.first.name.value;
        let dockerfile_path = service.paths.as_ref().map(|p| p.dockerfile.clone());
        if let Some(p) = &dockerfile_path {
            built_by_compose.insert(p.clone());
        }
        let target = service.target;
        let image_check = dockerfile_path
            .as_deref()
            .and_then(|p| ws.file(p))
            .is_some_and(|f| healthcheck_range(&f.facts, target).is_some());
        // A service built from a folder is that folder's service; an image-only one is known by its compose
        // folder and name (one project, whichever file repeats it). Other services built from the same folder
        // (a scheduler or worker sharing the web image through an `x-` anchor) are processes of their own that
        // each need a probe, so they are known by folder and name.
        let key = match &service.paths {
            Some(p) => {
                let first = folder_owner
                    .entry(p.context.clone())
                    .or_insert_with(|| name.clone());
                if first == name {
                    format!("dir:{}", p.context)
                } else {
                    format!("dir:{}#{name}", p.context)
                }
            }
            None => {
                let dir = service.file.rsplit_once('/').map_or("", |(d, _)| d);
                format!("compose:{dir}#{name}")
            }
        };
        if let Some(p) = &service.paths {
            build_dirs.push(p.context.clone());
            let command = match service.command {
                Some(c) => c.to_owned(),
                None => dockerfile_path
                    .as_deref()
                    .map(|d| image_command(ctx, d, target))
                    .unwrap_or_default(),
            };
            for app in apps_run(ctx, &p.context, &command) {
                app_owner.entry(app).or_insert_with(|| key.clone());
            }
        }
        let checked = match &service.healthcheck {
            Own::Enabled(file, range) => {
                places.push((file.clone(), *range));
                evidence.insert(file.clone());
                true
            }
            Own::Disabled => false,
            Own::Unset => {
                if image_check {
                    evidence.insert(service.file.to_owned());
                }
                image_check
            }
        };
        if checked {
            services.insert(key);
            continue;
        }
        // The image's own HEALTHCHECK closes the gap unless the service disables checks itself.
        let own_unset = service.healthcheck == Own::Unset;
        let fix = match dockerfile_path.filter(|p| own_unset && ws.file(p).is_some()) {
            Some(p) => crate::fixes::healthcheck::fix_stage(ctx, &p, target),
            None if !service.builds && own_unset => {
                crate::fixes::compose_healthcheck::fix(ctx, service.file, service.first)
            }
            None => None,
        };
        unchecked.push((
            service.file.to_owned(),
            service.first.name.range,
            name.clone(),
            fix,
        ));
    }
    let mut unchecked_dockerfiles = Vec::new();
    for path in &ctx.index.docker().dockerfiles {
        // A CLI, job or Lambda image is no service: nothing probes it.
        if built_by_compose.contains(path) || !ctx.index.workload().image_serves(path) {
            continue;
        }
        let Some(file) = ws.file(path) else { continue };
        build_dirs.push(file.dir().to_owned());
        for app in apps_run(ctx, file.dir(), &image_command(ctx, path, None)) {
            app_owner
                .entry(app)
                .or_insert_with(|| format!("dir:{}", file.dir()));
        }
        if let Some(range) = healthcheck_range(&file.facts, None) {
            services.insert(format!("dir:{}", file.dir()));
            evidence.insert(path.clone());
            places.push((path.clone(), range));
        } else if let Some(stage) = dockerfile(&file.facts).and_then(final_stage) {
            unchecked_dockerfiles.push((path.clone(), stage.from_range));
        }
    }
    let web = &ctx.index.web();
    let main_dockerfile_dir = ctx
        .index
        .docker()
        .main_dockerfile
        .as_deref()
        .map(|p| p.rsplit_once('/').map(|(d, _)| d).unwrap_or("").to_owned());
    let served_count = web.served_apps().count();
    for (i, app) in web.served_apps() {
        if let Some(route) = web
            .health_routes()
            .find(|r| r.served_by(i) || r.file == app.file)
        {
            places.push((route.file.clone(), route.route.range));
            // An app inside a folder a compose service or Dockerfile builds is that service. So is the main app
            // when the command that starts it comes from a build folder, or when a start names it (or it is the
            // only app) and it lies inside the main Dockerfile's folder, the root one too: that image is what
            // runs it (`python main.py` in a root Dockerfile runs `src/api/server.py`). A main app picked only
            // by its file name proves nothing, so the root image does not swallow it.
            let dir = app.file.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
            let is_main = web.main_app == Some(i);
            let named = web.main_start_dir.is_some() || served_count == 1;
            let started_in = web
                .main_start_dir
                .as_deref()
                .filter(|d| is_main && build_dirs.iter().any(|b| b == d));
            let main_image_dir = main_dockerfile_dir.as_deref().filter(|d| {
                is_main && named && (d.is_empty() || dir == *d || dir.starts_with(&format!("{d}/")))
            });
            let owner = started_in
                .or(main_image_dir)
                .unwrap_or_else(|| owning_dir(dir, &build_dirs));
            // The service whose image runs this app, when its command names it, is this app's service.
            let key = app_owner
                .get(&i)
                .cloned()
                .unwrap_or_else(|| format!("dir:{owner}"));
            services.insert(key);
            evidence.insert(app.file.clone());
        }
    }
    let count = services.len();
    let details = format!(
        "{} with health checks",
        super::super::plural(count, "service", "services")
    );
    let evidence: Vec<String> = evidence.into_iter().collect();
    if count >= MIN_SERVICES {
        return Outcome::pass(details, evidence).satisfied_by(places);
    }
    let needed = MIN_SERVICES - count;
    let have = match count {
        0 => "no service has one".to_owned(),
        1 => "only 1 service has one".to_owned(),
        n => format!("only {n} services have one"),
    };
    let mut findings: Vec<Finding> = unchecked
        .into_iter()
        .map(|(file, range, name, fix)| {
            Finding::at(&file, range, format!("Compose service `{name}` has no health check ({have}; at least {MIN_SERVICES} should)."))
                .with_fix(fix)
        })
        .collect();
    if findings.is_empty() {
        // No compose service to blame: each Dockerfile without a HEALTHCHECK is, at its final stage.
        findings.extend(unchecked_dockerfiles.iter().map(|(path, from)| {
            Finding::at(path, *from, format!("{path} has no HEALTHCHECK in its final stage ({have}; at least {MIN_SERVICES} services should)."))
                .with_fix(crate::fixes::healthcheck::fix(ctx, path))
        }));
    }
    if findings.is_empty() {
        let message = format!("Only {count} of at least {MIN_SERVICES} services have health checks: give every service a probe.");
        let anchor = super::super::main_dockerfile_anchor(ctx)
            .or_else(|| super::super::main_app_anchor(ctx));
        findings.push(Finding::anchored(anchor, message));
    }
    let needed = needed.min(findings.len());
    Outcome::fail(details, findings)
        .needing(needed)
        .with_evidence(evidence)
}

/// The enabled `HEALTHCHECK` in effect in the stage built for `target` (the final stage without one): its own
/// or one inherited from the stage it is built `FROM`.
fn healthcheck_range(
    facts: &shipready_syntax::FileFacts,
    target: Option<&str>,
) -> Option<shipready_text::TextRange> {
    let d = dockerfile(facts)?;
    built_stage(d, target)
        .and_then(|s| healthcheck(d, s))
        .filter(|h| !h.disabled)
        .map(|h| h.range)
}

/// The start command of the stage a build of the Dockerfile at `path` produces, inherited ones included.
fn image_command(ctx: &Context, path: &str, target: Option<&str>) -> String {
    ctx.workspace
        .file(path)
        .and_then(|f| dockerfile(&f.facts))
        .and_then(|d| built_stage(d, target).map(|s| command_line(d, s)))
        .unwrap_or_default()
}

/// The served apps a start command names (`uvicorn app.main:app`), with modules resolved from the build
/// context `dir`.
fn apps_run(ctx: &Context, dir: &str, command: &str) -> Vec<usize> {
    let web = &ctx.index.web();
    let near = if dir.is_empty() {
        "x.py".to_owned()
    } else {
        format!("{dir}/x.py")
    };
    let mut out = Vec::new();
    for target in targets_in(command) {
        let (module, var) = target.split_once(':').unwrap_or((target.as_str(), "app"));
        let var = var.trim_end_matches("()");
        let Some(file) = modules::resolve(ctx.workspace, &near, module, 0) else {
            continue;
        };
        let named = web
            .served_apps()
            .find(|(_, a)| a.file == file && a.app.var == var)
            .or_else(|| web.served_apps().find(|(_, a)| a.file == file));
        out.extend(named.map(|(n, _)| n));
    }
    out
}

/// The deepest build folder that contains `dir` (the root folder only contains itself: a root Dockerfile does
/// not make every app in the repository one service), else `dir` itself.
fn owning_dir<'a>(dir: &'a str, build_dirs: &'a [String]) -> &'a str {
    build_dirs
        .iter()
        .filter(|b| !b.is_empty() && (dir == b.as_str() || dir.starts_with(&format!("{b}/"))))
        .max_by_key(|b| b.len())
        .map(String::as_str)
        .unwrap_or(dir)
}

#[cfg(test)]
mod tests_once;

#[cfg(test)]
mod tests;
