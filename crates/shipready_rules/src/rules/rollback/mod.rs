//! Rollback rules (4 checks of 25 points).

pub mod few_rollback_procedures;
pub mod no_infrastructure_rollback;
pub mod no_rollback_script;
pub mod no_rollback_section;
