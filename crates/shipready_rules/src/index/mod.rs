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

use crate::reads::{note, Lazy, Part, Reads};
use crate::Workspace;

/// What a unit keeps from one audit to the next (see `UnitCache`), each part reused while what it was
/// computed from is unchanged: the route table ([`web::RoutingMemo`]) and the guide ([`guide::GuideMemo`]).
#[derive(Debug, Default)]
pub(crate) struct UnitMemo {
    pub(crate) routing: Mutex<Option<web::RoutingMemo>>,
    pub(crate) guide: Mutex<Option<guide::GuideMemo>>,
    /// Each rule's outcome and reads from the last audit (see `crate::rule_memo`).
    pub(crate) rules: Mutex<Option<crate::rule_memo::RuleMemo>>,
    /// Whether the unit is audited again later (an editor's session): a one-off audit (`shipready check`)
    /// keeps no rule memo, which would only hold every unit's index and outcomes until it ends.
    pub(crate) audited_again: bool,
}

/// The unit's cross-file index. Its parts are read through accessors that record the read for the running rule
/// (see `crate::reads`): a keystroke re-runs only the rules that read a part it changed.
#[derive(Clone, Debug, Default)]
pub struct Index {
    docker: docker::DockerIndex,
    guide: Option<guide::GuideIndex>,
    web: web::WebIndex,
    cdk: cdk::CdkIndex,
    workload: workload::WorkloadIndex,
    /// What shows that the workspace deploys to AWS; `None` when nothing does.
    aws: Option<cloud::AwsSignal>,
    /// What generated guide sections and scripts say of the workspace, computed once per audit on first use
    /// (every guide-section and rollback fix reads it: thousands of times per audit of a large unit).
    pub(crate) workspace_facts: Lazy<std::sync::Arc<crate::fixes::workspace_facts::WorkspaceFacts>>,
    /// Where findings about the unit as a whole belong (`rules::readme_anchor`), found once per audit on
    /// first use: every rule that falls back to it would otherwise search the unit's files again.
    pub(crate) readme_anchor: Lazy<Option<(String, shipready_text::TextRange)>>,
    /// What the unit mounts or prefixes that shipready cannot resolve (`rules::health::probe_routes`), on
    /// first use.
    pub(crate) unknowns: Lazy<crate::rules::health::probe_routes::Unknowns>,
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
            workspace_facts: Lazy::default(),
            readme_anchor: Lazy::default(),
            unknowns: Lazy::default(),
        }
    }

    /// The unit's Dockerfiles and compose files, what they start and build.
    pub fn docker(&self) -> &docker::DockerIndex {
        note(Reads::part(Part::Docker));
        &self.docker
    }

    /// The deployment guide, when the unit has one.
    pub fn guide(&self) -> &Option<guide::GuideIndex> {
        note(Reads::part(Part::Guide));
        &self.guide
    }

    /// The unit's web apps and routes with their full paths.
    pub fn web(&self) -> &web::WebIndex {
        note(Reads::part(Part::Web));
        &self.web
    }

    /// The unit's CDK app.
    pub fn cdk(&self) -> &cdk::CdkIndex {
        note(Reads::part(Part::Cdk));
        &self.cdk
    }

    /// What the unit's images and services run.
    pub fn workload(&self) -> &workload::WorkloadIndex {
        note(Reads::part(Part::Workload));
        &self.workload
    }

    /// What shows that the unit deploys to AWS; `None` when nothing does.
    pub fn aws(&self) -> &Option<cloud::AwsSignal> {
        note(Reads::part(Part::Aws));
        &self.aws
    }

    pub(crate) fn set_guide(&mut self, guide: Option<guide::GuideIndex>) {
        self.guide = guide;
    }

    pub(crate) fn web_mut(&mut self) -> &mut web::WebIndex {
        &mut self.web
    }

    /// The parts of the index that differ from `other`'s (compared by value; shared route tables by address
    /// first).
    pub(crate) fn changed_parts(&self, other: &Index) -> Reads {
        let mut out = Reads::default();
        let mut differ = |same: bool, part: Part| {
            if !same {
                out = out.with(Reads::part(part));
            }
        };
        differ(self.docker == other.docker, Part::Docker);
        differ(self.guide == other.guide, Part::Guide);
        differ(self.web == other.web, Part::Web);
        differ(self.cdk == other.cdk, Part::Cdk);
        differ(self.workload == other.workload, Part::Workload);
        differ(self.aws == other.aws, Part::Aws);
        out
    }
}
