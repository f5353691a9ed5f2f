//! The Python frontend, through tree-sitter. (stub)
use super::{Frontend, ParseError};
use crate::ir::{FileFacts, Language};

pub struct PythonFrontend;

impl Frontend for PythonFrontend {
    fn language(&self) -> Language {
        Language::Python
    }
    fn facts(&self, source: &str) -> Result<FileFacts, ParseError> {
        let _ = source;
        Ok(FileFacts::default())
    }
}
