//! The cross-file index: views of the whole workspace that rules share, built once per audit from the
//! per-file facts (the deployment guide, the route table with full paths, the main app, the CDK app).

pub mod cdk;
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
}

impl Index {
    pub fn build(ws: &Workspace) -> Index {
        let docker = docker::build(ws);
        let web = web::build(ws, &docker.starts);
        let workload = workload::build(ws, &web);
        Index {
            workload,
            guide: guide::find(ws),
            cdk: cdk::build(ws),
            docker,
            web,
        }
    }
}
