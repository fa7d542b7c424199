//! Fixes as data: each module turns what the workspace shows into a [`Fix`](crate::Fix) for one kind of gap
//! (a health route, a readiness route, a `HEALTHCHECK`, a guide section, a whole guide, a rollback script).
//!
//! Every fix is a pure function of the audit [`Context`](crate::Context) that returns `None` when it cannot
//! be built without guessing at the structure of a file, and never returns an edit that would duplicate what
//! is already there (a second `HEALTHCHECK`, a second Rollback heading, an existing file). Insertions are made
//! at line starts, in the file's own line ending, so nothing outside the inserted text changes.

pub(crate) mod cdk_kwarg;
pub(crate) mod compose_healthcheck;
pub(crate) mod compose_restart;
pub(crate) mod create_guide;
pub(crate) mod guide_section;
pub(crate) mod gunicorn_access_log;
pub(crate) mod health_endpoint;
pub(crate) mod healthcheck;
mod markdown;
pub(crate) mod port;
mod py_layout;
mod py_scan;
pub(crate) mod python;
mod readiness_clients;
pub(crate) mod readiness_endpoint;
pub(crate) mod rollback_script;
pub(crate) mod rollback_section;
mod starlette;
mod text;
pub(crate) mod workspace_facts;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_cdk_kwarg;
#[cfg(test)]
mod tests_compose;
#[cfg(test)]
mod tests_docker;
#[cfg(test)]
mod tests_docs;
#[cfg(test)]
mod tests_fixtures;
#[cfg(test)]
pub(crate) use tests_fixtures::workspaces as fixture_workspaces;
#[cfg(test)]
mod tests_gunicorn_access_log;
#[cfg(test)]
mod tests_props;
#[cfg(test)]
mod tests_python;
#[cfg(test)]
mod tests_real;
#[cfg(test)]
mod tests_starlette;
