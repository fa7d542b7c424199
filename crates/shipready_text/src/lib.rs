//! Text primitives shared by every shipready layer: byte ranges, line indexes and position conversion.
//!
//! Everything inside shipready speaks byte offsets into UTF-8 text. Editors speak (line, column) positions
//! in UTF-8 or UTF-16 code units; [`LineIndex`] is the one place where the two meet.

mod displacement;
mod line_index;
mod range;

pub use displacement::Displacement;
pub use line_index::{LineCol, LineIndex, PositionEncoding};
pub use range::TextRange;
