//! `.privlint.yml`: a project's settings, found in the first scanned folder or the nearest
//! parent up to the one holding `.git`. Command-line flags override it.
//!
//! ```yaml
//! include: ["src/**"]
//! exclude: ["src/legacy/**"]
//! rules: [privlint-rules]          # extra rule folders, relative to this file
//! profiles: [kz, gdpr]
//! fail-on: error                   # error | warning | note | never
//! datamap: docs/datamap.yml        # relative to this file
//! checks:
//!   stale-declaration: { enabled: false }
//!   undeclared-data: { severity: warning }
//! ```

use crate::finding::{ScanResult, Severity};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The file name looked for.
pub const FILE_NAME: &str = ".privlint.yml";

/// When `privlint check` exits 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    Error,
    Warning,
    Note,
    Never,
}

impl FailOn {
    /// The lowest severity that fails the run.
    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Note => Some(Severity::Note),
            FailOn::Never => None,
        }
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    #[serde(default)]
    pub include: Vec<String>,
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Extra rule folders, relative to the file (made absolute-ish on load: joined to `dir`).
    #[serde(default)]
    pub rules: Vec<PathBuf>,
    pub profiles: Option<Vec<String>>,
    pub fail_on: Option<FailOn>,
    /// The data map, relative to the file (joined to `dir` on load).
    pub datamap: Option<PathBuf>,
    /// Per check: `enabled: false`, or another `severity`.
    #[serde(default)]
    pub checks: BTreeMap<String, CheckSetting>,
    /// The file read.
    #[serde(skip)]
    pub path: PathBuf,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckSetting {
    pub enabled: Option<bool>,
    pub severity: Option<Severity>,
}

/// Why the configuration cannot be used (exit 2). Shown as `file:line:column: message`.
#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}:{column}: {message}")]
pub struct Error {
    pub file: String,
    pub line: u64,
    pub column: u64,
    pub message: String,
}

/// `.privlint.yml` in `start` (or, for a file, its folder) or the nearest parent folder that
/// has one, stopping after the folder that holds `.git`.
pub fn find(start: &Path) -> Option<PathBuf> {
    let dir = if start.is_dir() {
        start.to_path_buf()
    } else {
        start.parent()?.to_path_buf()
    };
    let shown = if dir.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        dir
    };
    let mut dir = std::fs::canonicalize(&shown).ok()?;
    let mut ups = 0usize;
    loop {
        if dir.join(FILE_NAME).is_file() {
            let mut path = shown.clone();
            for _ in 0..ups {
                path.push("..");
            }
            return Some(path.join(FILE_NAME));
        }
        if dir.join(".git").exists() {
            return None;
        }
        dir = dir.parent()?.to_path_buf();
        ups += 1;
    }
}

impl Config {
    /// Reads and checks a configuration file: unknown keys (with a did-you-mean) and unknown
    /// check IDs are errors with their line and column.
    pub fn load(path: &Path) -> Result<Self, Error> {
        let file = crate::findings::display_path(path);
        let text = std::fs::read_to_string(path).map_err(|e| Error {
            file: file.clone(),
            line: 1,
            column: 1,
            message: format!("cannot read the configuration: {e}"),
        })?;
        let mut config = Self::parse(&text).map_err(|(line, column, message)| Error {
            file: file.clone(),
            line,
            column,
            message,
        })?;
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        for r in &mut config.rules {
            *r = dir.join(&*r);
        }
        if let Some(d) = &mut config.datamap {
            *d = dir.join(&*d);
        }
        config.path = path.to_path_buf();
        Ok(config)
    }

    /// Parses the text of a configuration file; errors as (line, column, message).
    pub fn parse(text: &str) -> Result<Self, (u64, u64, String)> {
        let config: Config = if text.trim().is_empty() {
            Config::default()
        } else {
            serde_saphyr::from_str(text).map_err(|e| describe(&e))?
        };
        for id in config.checks.keys() {
            if crate::checks::find(id).is_none() {
                let (line, column) = key_position(text, id);
                let ids = crate::checks::CHECKS.iter().map(|c| c.id);
                let hint = crate::taxonomy::did_you_mean(id, ids)
                    .map_or_else(String::new, |m| format!(" (did you mean `{m}`?)"));
                return Err((
                    line,
                    column,
                    format!("`{id}` is not a privlint check{hint}; `privlint explain` lists them"),
                ));
            }
        }
        Ok(config)
    }

    /// Drops the findings of disabled checks and applies severity overrides.
    pub fn apply(&self, result: &mut ScanResult) {
        if self.checks.is_empty() {
            return;
        }
        result.findings.retain(|f| {
            self.checks
                .get(f.check)
                .and_then(|c| c.enabled)
                .unwrap_or(true)
        });
        for f in &mut result.findings {
            if let Some(severity) = self.checks.get(f.check).and_then(|c| c.severity) {
                f.severity = severity;
            }
        }
    }
}

fn describe(e: &serde_saphyr::Error) -> (u64, u64, String) {
    use serde_saphyr::Error as E;
    let (line, column) = e
        .location()
        .filter(|l| l.line() > 0)
        .map_or((1, 1), |l| (l.line(), l.column()));
    let mut inner = e;
    while let E::AliasError { error, .. } | E::WithSnippet { error, .. } = inner {
        inner = error;
    }
    let message = match inner {
        E::SerdeUnknownField {
            field, expected, ..
        } => {
            let hint = crate::taxonomy::did_you_mean(field, expected.iter().copied())
                .map_or_else(String::new, |m| format!(": did you mean `{m}`?"));
            format!(
                "unknown key `{field}`{hint} (the keys here are {})",
                expected
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
        E::SerdeUnknownVariant {
            variant, expected, ..
        } => {
            let hint = crate::taxonomy::did_you_mean(variant, expected.iter().copied())
                .map_or_else(String::new, |m| format!(": did you mean `{m}`?"));
            format!(
                "unknown value `{variant}`{hint} (one of {})",
                expected
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
        other => {
            let text = other.to_string();
            let first = text.lines().next().unwrap_or_default();
            first
                .split(" at line ")
                .next()
                .unwrap_or(first)
                .trim()
                .to_string()
        }
    };
    (line, column, message)
}

/// Where `key:` is written (1-based line and column), or the start of the file.
fn key_position(text: &str, key: &str) -> (u64, u64) {
    for (i, line) in text.lines().enumerate() {
        for quote in ["", "\"", "'"] {
            let needle = format!("{quote}{key}{quote}:");
            if let Some(at) = line.find(&needle) {
                return (i as u64 + 1, line[..at].chars().count() as u64 + 1);
            }
        }
    }
    (1, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_key() {
        let c = Config::parse(
            "include: [\"src/**\"]\nexclude: [\"src/legacy/**\"]\nrules: [r]\nprofiles: [kz]\n\
             fail-on: error\ndatamap: d.yml\nchecks:\n  stale-declaration: { enabled: false }\n  \
             undeclared-data: { severity: warning }\n",
        )
        .unwrap();
        assert_eq!(c.include, ["src/**"]);
        assert_eq!(c.fail_on, Some(FailOn::Error));
        assert_eq!(c.checks["stale-declaration"].enabled, Some(false));
        assert_eq!(
            c.checks["undeclared-data"].severity,
            Some(Severity::Warning)
        );
    }

    #[test]
    fn unknown_key_has_did_you_mean_and_position() {
        let (line, column, message) = Config::parse("include: []\nexlude: [x]\n").unwrap_err();
        assert_eq!((line, column), (2, 1), "{message}");
        assert!(
            message.contains("unknown key `exlude`: did you mean `exclude`?"),
            "{message}"
        );
        let (line, _, message) =
            Config::parse("checks:\n  identifier-in-log: { severty: note }\n").unwrap_err();
        assert_eq!(line, 2);
        assert!(message.contains("did you mean `severity`?"), "{message}");
    }

    #[test]
    fn unknown_check_and_value_are_errors() {
        let (line, column, message) =
            Config::parse("checks:\n  identifer-in-log: { enabled: false }\n").unwrap_err();
        assert_eq!((line, column), (2, 3));
        assert!(
            message.contains("did you mean `identifier-in-log`?"),
            "{message}"
        );
        let (_, _, message) = Config::parse("fail-on: warn\n").unwrap_err();
        assert!(message.contains("`warning`"), "{message}");
    }
}
