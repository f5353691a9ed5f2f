//! A small [`ScanResult`] shared by the reporters' tests.

use crate::finding::{
    DataRef, Finding, Hop, LanguageCount, Location, ScanResult, Severity, SkippedFile,
};
use std::sync::Arc;

pub const APP: &str = "import logging\nlogger = logging.getLogger()\ndef signup(user):\n    email = user.email\n    logger.info(\"signup %s\", email)\n    logger.info(\"phone %s\", user.phone)  # privlint: ignore[identifier-in-log] test data\n";
pub const MODELS: &str = "class User:\n    email: str\n    phone: str\n";

fn loc(path: &str, text: &str, needle: &str) -> Location {
    let start = text.find(needle).expect("needle in text");
    let before = &text[..start];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    Location {
        path: path.to_string(),
        line: line as u32,
        column: column as u32,
        start: start as u32,
        end: (start + needle.len()) as u32,
    }
}

/// Plain text options: no colour, 80 columns, a fixed version.
pub fn options() -> crate::report::RenderOptions {
    crate::report::RenderOptions {
        color: false,
        width: 80,
        version: "0.1.0".into(),
        show_suppressed: false,
    }
}

pub fn sample_result() -> ScanResult {
    let email = DataRef {
        category: "user.contact.email".into(),
        name: "Email address".into(),
    };
    let phone = DataRef {
        category: "user.contact.phone_number".into(),
        name: "Telephone number".into(),
    };
    let sink = loc("src/app.py", APP, "logger.info(\"signup %s\", email)");
    let active = Finding {
        check: "identifier-in-log",
        severity: Severity::Error,
        message: "an email address is written to a log".into(),
        // Line 5, column 5.
        location: sink.clone(),
        data: vec![email],
        path: vec![
            Hop {
                location: loc("src/models.py", MODELS, "email: str"),
                note: "`User.email` holds an email address".into(),
            },
            Hop {
                location: loc("src/app.py", APP, "email = user.email"),
                note: "`user.email` is read".into(),
            },
            Hop {
                location: sink,
                note: "`email` is logged".into(),
            },
        ],
        help: "log a hashed or redacted form, or an opaque user id".into(),
        fingerprint: "0123456789abcdef".into(),
        suppressed: None,
    };
    let phone_sink = loc("src/app.py", APP, "logger.info(\"phone %s\", user.phone)");
    let suppressed = Finding {
        check: "identifier-in-log",
        severity: Severity::Warning,
        message: "a phone number is written to a log".into(),
        location: phone_sink.clone(),
        data: vec![phone],
        path: vec![Hop {
            location: phone_sink,
            note: "`user.phone` is logged".into(),
        }],
        help: "log a hashed or redacted form".into(),
        fingerprint: "fedcba9876543210".into(),
        suppressed: Some("test data".into()),
    };
    ScanResult {
        findings: vec![active, suppressed],
        skipped: vec![SkippedFile {
            path: "big.py".into(),
            reason: "larger than 4 MiB (10.0 MiB): raise --max-file-size to scan it".into(),
        }],
        scanned: vec![
            LanguageCount {
                language: "python".into(),
                files: 2,
                lines: 1200,
            },
            LanguageCount {
                language: "rust".into(),
                files: 1,
                lines: 34,
            },
        ],
        roots: vec![".".into()],
        sources: [
            ("src/app.py".to_string(), Arc::<str>::from(APP)),
            ("src/models.py".to_string(), Arc::<str>::from(MODELS)),
        ]
        .into_iter()
        .collect(),
        datamap: None,
        datamap_invalid: false,
        ..ScanResult::default()
    }
}
