//! The cross-file index: views of the whole workspace that rules share, built once per audit from the
//! per-file facts (the deployment guide, the route table with full paths, the main app, the CDK app, whether
//! the workspace deploys to AWS).

pub mod cdk;
pub mod cloud;
pub mod docker;
pub mod guide;
pub mod modules;
pub mod web;
pub mod workload;

use std::sync::Mutex;

use crate::Workspace;

/// What a unit keeps from one audit to the next (see `UnitCache`), each part reused while what it was
/// computed from is unchanged: the route table ([`web::RoutingMemo`]) and the guide ([`guide::GuideMemo`]).
#[derive(Debug, Default)]
pub(crate) struct UnitMemo {
    pub(crate) routing: Mutex<Option<web::RoutingMemo>>,
    pub(crate) guide: Mutex<Option<guide::GuideMemo>>,
}

#[derive(Clone, Debug, Default)]
pub struct Index {
    pub docker: docker::DockerIndex,
    pub guide: Option<guide::GuideIndex>,
    pub web: web::WebIndex,
    pub cdk: cdk::CdkIndex,
    pub workload: workload::WorkloadIndex,
    /// What shows that the workspace deploys to AWS; `None` when nothing does.
    pub aws: Option<cloud::AwsSignal>,
    /// What generated guide sections and scripts say of the workspace, computed once per audit on first use
    /// (every guide-section and rollback fix reads it: thousands of times per audit of a large unit).
    pub(crate) workspace_facts:
        std::sync::OnceLock<std::sync::Arc<crate::fixes::workspace_facts::WorkspaceFacts>>,
    /// Where findings about the unit as a whole belong (`rules::readme_anchor`), found once per audit on
    /// first use: every rule that falls back to it would otherwise search the unit's files again.
    pub(crate) readme_anchor: std::sync::OnceLock<Option<(String, shipready_text::TextRange)>>,
    /// What the unit mounts or prefixes that shipready cannot resolve (`rules::health::probe_routes`), on
    /// first use.
    pub(crate) unknowns: std::sync::OnceLock<crate::rules::health::probe_routes::Unknowns>,
}

impl Index {
    pub fn build(ws: &Workspace) -> Index {
        let docker = docker::build(ws);
        let web = web::build(ws, &docker.starts);
        let workload = workload::build(ws, &web);
        let cdk = cdk::build(ws);
        let aws_in_files = cloud::in_files(ws, &cdk);
        let guide = guide::find_with(ws, aws_in_files.is_some());
        let aws = aws_in_files.or_else(|| cloud::in_guide(ws, guide.as_ref()?));
        Index {
            workload,
            guide,
            cdk,
            aws,
            docker,
            web,
            workspace_facts: std::sync::OnceLock::new(),
            readme_anchor: std::sync::OnceLock::new(),
            unknowns: std::sync::OnceLock::new(),
        }
    }
}
