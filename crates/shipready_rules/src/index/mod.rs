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

use crate::Workspace;

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
        }
    }
}
