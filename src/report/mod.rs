//! One file per output format. Reporters only render a [`ScanResult`]; they decide nothing.

use crate::finding::ScanResult;

pub mod github;
pub mod graph;
pub mod json;
pub mod markdown;
pub mod record;
pub mod sarif;
pub mod text;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    Sarif,
    /// GitHub Actions workflow commands (`::error file=...::message`): annotations on the diff.
    Github,
    /// A Markdown summary, for `$GITHUB_STEP_SUMMARY`.
    Markdown,
}

#[derive(Clone, Debug, Default)]
pub struct RenderOptions {
    /// ANSI colours in text output.
    pub color: bool,
    /// Terminal width for text output.
    pub width: usize,
    /// privlint's version, for SARIF `tool.driver.version` and JSON.
    pub version: String,
    /// List suppressed findings with their reasons in text output.
    pub show_suppressed: bool,
}

pub fn render(result: &ScanResult, format: Format, options: &RenderOptions) -> String {
    match format {
        Format::Text => text::render(result, options),
        Format::Json => json::render(result, options),
        Format::Sarif => sarif::render(result, options),
        Format::Github => github::render(result, options),
        Format::Markdown => markdown::render(result, options),
    }
}
