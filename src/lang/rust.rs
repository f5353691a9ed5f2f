//! The Rust frontend, through syn. (stub)
use super::{Frontend, ParseError};
use crate::ir::{FileFacts, Language};

pub struct RustFrontend;

impl Frontend for RustFrontend {
    fn language(&self) -> Language {
        Language::Rust
    }
    fn facts(&self, source: &str) -> Result<FileFacts, ParseError> {
        let _ = source;
        Ok(FileFacts::default())
    }
}
