//! Helpers shared by the end-to-end tests: locating the built binary and the fixture workspaces.
pub mod cli;
pub mod lsp_client;
