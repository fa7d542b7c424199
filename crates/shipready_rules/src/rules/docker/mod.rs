//! Docker containerization rules (4 checks of 25 points).

pub mod missing_compose;
pub mod no_dockerfile;
pub mod single_stage_build;
pub mod unpinned_base_image;
