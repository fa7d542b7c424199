//! What the generated guide text and rollback script can say about this workspace: how it runs locally,
//! how it deploys (compose, CDK, ECS), where its data lives (Alembic, RDS), its health paths and the
//! environment it reads. Everything here is read from the audit's index; nothing is assumed.

use shipready_syntax::python::web::Framework;
use shipready_syntax::FileFacts;

use crate::index::docker::compose;
use crate::index::web::WebIndex;
use crate::Context;

/// The deployment-relevant facts of a workspace.
#[derive(Debug)]
pub(crate) struct WorkspaceFacts {
    /// The first compose file and its services.
    pub compose: Option<(String, Vec<String>)>,
    /// The CDK app's folder (`""` at the root) when the workspace has one.
    pub cdk_dir: Option<String>,
    pub ecs: bool,
    pub rds: bool,
    pub alembic: bool,
    pub dockerfile: Option<String>,
    /// Health paths the apps serve, the main app's first.
    pub health_paths: Vec<String>,
    /// Environment variables the code and compose services read, sorted.
    pub env_vars: Vec<String>,
    /// The command that runs the main app locally, e.g. `uvicorn app.main:app --reload`.
    pub run_command: Option<String>,
    /// The port the app listens on locally.
    pub port: u16,
}

impl WorkspaceFacts {
    /// The facts of the audited workspace, computed on first use and kept in its index.
    pub fn of(ctx: &Context) -> std::sync::Arc<WorkspaceFacts> {
        ctx.index
            .workspace_facts
            .get_or_init(|| std::sync::Arc::new(WorkspaceFacts::compute(ctx)))
            .clone()
    }

    fn compute(ctx: &Context) -> WorkspaceFacts {
        let ws = ctx.workspace;
        let index = ctx.index;
        let compose_facts = index.docker().compose_files.first().and_then(|path| {
            let c = compose(&ws.file(path)?.facts)?;
            Some((path.clone(), c))
        });
        let cdk = &index.cdk();
        let has = |module: &str| cdk.constructs.iter().any(|(_, c)| c.module == module);
        let alembic = ws.files().iter().any(|f| {
            f.path.split('/').any(|seg| seg == "alembic")
                || matches!(&f.facts, FileFacts::Requirements(r) if r.declares("alembic"))
        });
        let web = &index.web();
        let mut health_paths: Vec<String> = Vec::new();
        let main_first = web
            .health_routes()
            .filter(|r| web.main_app.is_some_and(|m| r.served_by(m)))
            .chain(web.health_routes());
        for route in main_first {
            let path = WebIndex::display_path(route);
            if !health_paths.iter().any(|p| p == path) {
                health_paths.push(path.to_owned());
            }
        }
        let mut env_vars: Vec<String> = ws
            .files()
            .iter()
            .filter_map(|f| match &f.facts {
                FileFacts::Python(py) => Some(
                    py.web
                        .env_vars
                        .iter()
                        .map(|e| e.value.clone())
                        .collect::<Vec<_>>(),
                ),
                _ => None,
            })
            .flatten()
            .collect();
        if let Some((_, c)) = &compose_facts {
            env_vars.extend(
                c.services
                    .iter()
                    .flat_map(|s| s.environment.iter().map(|e| e.value.0.clone())),
            );
        }
        env_vars.retain(|v| !v.is_empty());
        env_vars.sort();
        env_vars.dedup();
        let main = web.main_app.and_then(|m| web.apps.get(m));
        let framework = main.map(|a| a.app.framework);
        let target = index
            .docker()
            .starts
            .first()
            .map(|(_, t)| t.clone())
            .or_else(|| {
                main.map(|a| {
                    format!(
                        "{}:{}",
                        a.file.trim_end_matches(".py").replace('/', "."),
                        a.app.var
                    )
                })
            });
        let run_command = target.map(|t| match framework {
            Some(Framework::Flask) => {
                let app = t.trim_end_matches("()");
                format!("flask --app {app} run --debug")
            }
            _ => format!("uvicorn {t} --reload"),
        });
        let port = if framework == Some(Framework::Flask) {
            5000
        } else {
            8000
        };
        WorkspaceFacts {
            compose: compose_facts
                .map(|(p, c)| (p, c.services.iter().map(|s| s.name.value.clone()).collect())),
            cdk_dir: cdk.present.then(|| cdk.root().unwrap_or("").to_owned()),
            ecs: has("ecs") || has("ecs_patterns"),
            rds: has("rds"),
            alembic,
            dockerfile: index.docker().main_dockerfile.clone(),
            health_paths,
            env_vars,
            run_command,
            port,
        }
    }

    /// `cd <dir> && ` in front of CDK commands when the CDK app is not at the root.
    pub fn cdk_cd(&self) -> String {
        match self.cdk_dir.as_deref() {
            Some(dir) if !dir.is_empty() => format!("cd {dir} && "),
            _ => String::new(),
        }
    }

    /// The first health path, or `/health`.
    pub fn health_path(&self) -> &str {
        self.health_paths
            .first()
            .map(String::as_str)
            .unwrap_or("/health")
    }
}
