//! One file per output format. Reporters only render a [`ScanResult`]; they decide nothing.

use crate::finding::ScanResult;

pub mod graph;
pub mod json;
pub mod sarif;
pub mod text;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    Sarif,
}

#[derive(Clone, Debug)]
pub struct RenderOptions {
    /// ANSI colours in text output.
    pub color: bool,
    /// Terminal width for text output.
    pub width: usize,
    /// privlint's version, for SARIF `tool.driver.version` and JSON.
    pub version: String,
}

pub fn render(result: &ScanResult, format: Format, options: &RenderOptions) -> String {
    match format {
        Format::Text => text::render(result, options),
        Format::Json => json::render(result, options),
        Format::Sarif => sarif::render(result, options),
    }
}
