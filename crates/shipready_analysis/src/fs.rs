//! The file-system seam: analysis reads files through [`FileSystem`] so tests and the server can supply text.

use std::io;
use std::path::Path;

/// Reads file contents. Implementations must not follow the workspace's code: reading is all they do.
pub trait FileSystem: Sync {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>>;

    /// Whether something exists at `path` (a fix that creates a file never overwrites one).
    fn exists(&self, path: &Path) -> bool {
        self.read(path).is_ok()
    }
}

/// The real disk.
#[derive(Clone, Copy, Debug, Default)]
pub struct RealFs;

impl FileSystem for RealFs {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        std::fs::read(path)
    }

    fn exists(&self, path: &Path) -> bool {
        path.exists()
    }
}
