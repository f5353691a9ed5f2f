//! The sarif reporter. (stub)
use super::RenderOptions;
use crate::finding::ScanResult;

pub fn render(result: &ScanResult, options: &RenderOptions) -> String {
    let _ = (result, options);
    String::new()
}
