//! shipready's language server: readiness gaps as diagnostics while typing, hovers that say what a gap costs,
//! quick fixes from the engine's fixes, and the score in code lenses.
//!
//! The server is thin. [`Server`](server::Server) forwards each LSP method to its handler under `handlers/`;
//! the [`Session`](session::Session) holds one `shipready_analysis::Analysis` per workspace root plus the open
//! documents (ropes, and incrementally reparsed trees for Python); positions convert in [`conv`] only; and a
//! single outbox task talks to the client, so diagnostics are published in the order of the states they
//! describe. The server never executes workspace code and never reaches the network.

mod config;
pub mod conv;
mod delta;
mod diagnostics;
mod document;
mod edits;
mod first_write;
mod framing;
mod handlers;
mod outbox;
mod pending;
mod publisher;
mod scan;
mod score;
mod server;
mod session;

pub use framing::Ending;
pub use outbox::WriteMessage;
pub use outbox::{CategoryScoreParams, ScoreParams};
pub use server::{serve, serve_with};
