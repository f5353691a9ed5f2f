//! Language frontends: one file per language behind the [`Frontend`] trait, and the one table
//! that says which file extensions each language owns.

use crate::ir::{FileFacts, Language};

pub mod comments;
pub mod python;
pub mod rust;
pub mod sql;

/// Why a frontend could not produce facts for a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based line and column of the problem, where known.
    pub line: u32,
    pub column: u32,
    pub message: String,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

/// Turns one source file into facts. Implementations must not panic on any input and must not
/// recurse without bound: deeply nested input is cut off with a note in [`FileFacts::notes`].
pub trait Frontend: Sync {
    fn language(&self) -> Language;
    /// Parses `source` (the file's whole text) into facts.
    fn facts(&self, source: &str) -> Result<FileFacts, ParseError>;
}

/// How deep a frontend follows nested expressions and blocks before it stops with a note.
/// Deep enough for any hand-written code, shallow enough that an 8 MiB stack never overflows.
pub const MAX_NESTING: usize = 200;

/// The language table: extension → frontend. The only place that lists languages.
pub static FRONTENDS: &[(&[&str], &dyn Frontend)] = &[
    (&["rs"], &rust::RustFrontend),
    (&["py", "pyi"], &python::PythonFrontend),
    (&["sql"], &sql::SqlFrontend),
];

/// The frontend that reads files with this extension, if any.
pub fn frontend_for_extension(ext: &str) -> Option<&'static dyn Frontend> {
    FRONTENDS
        .iter()
        .find(|(exts, _)| exts.contains(&ext))
        .map(|(_, f)| *f)
}
