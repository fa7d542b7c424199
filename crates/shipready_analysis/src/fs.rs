//! The file-system seam: analysis reads files through [`FileSystem`] so tests and the server can supply text.

use std::io;
use std::path::Path;

/// Reads file contents. Implementations must not follow the workspace's code: reading is all they do.
pub trait FileSystem: Sync {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>>;
}

/// The real disk.
#[derive(Clone, Copy, Debug, Default)]
pub struct RealFs;

impl FileSystem for RealFs {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        std::fs::read(path)
    }
}
