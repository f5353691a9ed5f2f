//! Which files are scanned, in which language, and which are skipped and why.
//! (stub: to be implemented)

use crate::finding::SkippedFile;
use crate::ir::Language;
use std::path::PathBuf;

#[derive(Clone, Debug)]
pub struct DiscoverOptions {
    /// Only paths matching one of these globs are scanned (all when empty).
    pub include: Vec<String>,
    /// Paths matching one of these globs are not scanned.
    pub exclude: Vec<String>,
    /// Files larger than this many bytes are skipped with a note.
    pub max_file_size: u64,
}

impl Default for DiscoverOptions {
    fn default() -> Self {
        Self {
            include: Vec::new(),
            exclude: Vec::new(),
            max_file_size: 4 * 1024 * 1024,
        }
    }
}

/// A file to scan, read into memory.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// The path as found on disk.
    pub path: PathBuf,
    /// The path as shown to users: as walked from the root given on the command line, with `/`
    /// separators and no leading `./`.
    pub display: String,
    pub language: Language,
    pub text: String,
}

#[derive(Debug, Default)]
pub struct Discovery {
    /// Sorted by `display`.
    pub files: Vec<SourceFile>,
    /// Sorted by path.
    pub skipped: Vec<SkippedFile>,
}

#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    #[error("path does not exist: {0}")]
    Missing(PathBuf),
    #[error("invalid glob `{glob}`: {message}")]
    BadGlob { glob: String, message: String },
}

pub fn discover(roots: &[PathBuf], options: &DiscoverOptions) -> Result<Discovery, DiscoverError> {
    let _ = (roots, options);
    Ok(Discovery::default())
}
