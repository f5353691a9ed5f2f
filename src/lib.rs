//! privlint: a data-processing-as-code compliance linter.
//!
//! The pipeline, as one function a test can call ([`scan`]):
//! discover files → facts (one frontend per language) → classify → flow graph → checks →
//! findings, which the reporters render.

pub mod checks;
pub mod classify;
pub mod datamap;
pub mod discover;
pub mod finding;
pub mod findings;
pub mod graph;
pub mod ir;
pub mod lang;
pub mod report;
pub mod rules;
pub mod taxonomy;

use discover::{DiscoverError, DiscoverOptions, SourceFile};
use finding::{LanguageCount, ScanResult, SkippedFile};
use graph::{Program, Unit};
use rayon::prelude::*;
use rules::{RuleError, Rules};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

/// What to scan and how.
#[derive(Clone, Debug, Default)]
pub struct ScanOptions {
    pub paths: Vec<PathBuf>,
    pub discover: DiscoverOptions,
    /// Extra rule directories (`--rules DIR`).
    pub rules_dirs: Vec<PathBuf>,
}

/// Why a scan could not run at all (exit code 2). Problems with single files are not errors:
/// they are reported in [`ScanResult::skipped`] and the scan goes on.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Discover(#[from] DiscoverError),
    #[error("invalid rules: {0}")]
    Rules(#[from] RuleError),
    #[error("could not start worker threads: {0}")]
    Threads(String),
}

/// Stack size of the worker threads: parsers recurse, and nesting is capped well below what
/// this allows.
const WORKER_STACK: usize = 64 * 1024 * 1024;

/// Runs a whole scan with the built-in rules plus `options.rules_dirs`.
pub fn scan(options: &ScanOptions) -> Result<ScanResult, Error> {
    let rules = Rules::load(&options.rules_dirs)?;
    scan_with_rules(&rules, options)
}

/// Runs a whole scan with the given rules.
pub fn scan_with_rules(rules: &Rules, options: &ScanOptions) -> Result<ScanResult, Error> {
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(WORKER_STACK)
        .build()
        .map_err(|e| Error::Threads(e.to_string()))?;
    pool.install(|| scan_in_pool(rules, options))
}

fn scan_in_pool(rules: &Rules, options: &ScanOptions) -> Result<ScanResult, Error> {
    let discovery = discover::discover(&options.paths, &options.discover)?;
    let mut skipped = discovery.skipped;
    let parsed: Vec<Result<(Unit, Option<SkippedFile>), SkippedFile>> = discovery
        .files
        .into_par_iter()
        .map(|file| parse(rules, file))
        .collect();
    let mut units = Vec::with_capacity(parsed.len());
    for p in parsed {
        match p {
            Ok((unit, note)) => {
                units.push(unit);
                skipped.extend(note);
            }
            Err(s) => skipped.push(s),
        }
    }
    let mut counts: BTreeMap<&'static str, LanguageCount> = BTreeMap::new();
    for unit in &units {
        let c = counts
            .entry(unit.language.name())
            .or_insert_with(|| LanguageCount {
                language: unit.language.name().to_string(),
                ..LanguageCount::default()
            });
        c.files += 1;
        c.lines += unit.text.lines().count();
    }

    let program = Program::new(rules, units);
    let (hits, _calls) = graph::calls::propagate(&program);
    let cx = checks::Context {
        program: &program,
        hits: &hits,
    };
    let mut findings: Vec<finding::Finding> =
        checks::CHECKS.iter().flat_map(|c| (c.run)(&cx)).collect();
    findings::apply_suppressions(&program, &mut findings);
    findings.sort_by(|a, b| {
        (
            &a.location.path,
            a.location.line,
            a.location.column,
            a.check,
        )
            .cmp(&(
                &b.location.path,
                b.location.line,
                b.location.column,
                b.check,
            ))
    });

    let by_path: std::collections::HashMap<&str, &Arc<str>> = program
        .units
        .iter()
        .map(|u| (u.display.as_str(), &u.text))
        .collect();
    let mut sources = BTreeMap::new();
    for f in &findings {
        for path in std::iter::once(&f.location.path).chain(f.path.iter().map(|h| &h.location.path))
        {
            if let Some(text) = by_path.get(path.as_str()) {
                sources
                    .entry(path.clone())
                    .or_insert_with(|| Arc::clone(text));
            }
        }
    }
    skipped.sort();
    // Freeing every file's facts takes a noticeable share of a large scan; nothing waits for
    // it, so it happens on a thread of its own.
    let units = program.into_units();
    std::thread::spawn(move || drop(units));
    Ok(ScanResult {
        findings,
        skipped,
        scanned: counts.into_values().collect(),
        roots: options.paths.clone(),
        sources,
    })
}

/// Parses one file. A parse error or a panic in a frontend skips the file with a note.
fn parse(rules: &Rules, file: SourceFile) -> Result<(Unit, Option<SkippedFile>), SkippedFile> {
    let Some(frontend) = lang::FRONTENDS
        .iter()
        .map(|(_, f)| *f)
        .find(|f| f.language() == file.language)
    else {
        return Err(SkippedFile {
            path: file.display,
            reason: "no frontend for this language".into(),
        });
    };
    let result =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| frontend.facts(&file.text)));
    let facts = match result {
        Ok(Ok(facts)) => facts,
        Ok(Err(e)) => {
            return Err(SkippedFile {
                path: file.display,
                reason: format!(
                    "syntax error at line {}, column {}: {} (the file was not analysed)",
                    e.line, e.column, e.message
                ),
            });
        }
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            return Err(SkippedFile {
                path: file.display,
                reason: format!(
                    "internal error in the {} frontend, file not analysed (please report it): {what}",
                    file.language.name()
                ),
            });
        }
    };
    let note = (!facts.notes.is_empty()).then(|| SkippedFile {
        path: file.display.clone(),
        reason: if facts.functions.is_empty() && facts.types.is_empty() {
            format!("not analysed: {}", facts.notes.join("; "))
        } else {
            format!("partly analysed: {}", facts.notes.join("; "))
        },
    });
    let is_test = graph::is_test_path(&file.display);
    let handles = graph::handles_of(&facts, rules.language(file.language));
    let constants = graph::constants_of(&facts);
    Ok((
        Unit {
            module: graph::module_of(&file.display),
            display: file.display,
            language: file.language,
            text: Arc::from(file.text),
            facts,
            handles,
            constants,
            is_test,
        },
        note,
    ))
}
