//! privlint: a data-processing-as-code compliance linter.
//!
//! The pipeline, as one function a test can call ([`scan`]):
//! discover files → facts (one frontend per language) → classify → flow graph → checks →
//! findings, which the reporters render.

pub mod attribution;
pub mod checks;
pub mod classify;
pub mod config;
pub mod datamap;
pub mod discover;
pub mod erasure;
pub mod fides;
pub mod finding;
pub mod findings;
pub mod gate;
pub mod graph;
pub mod init;
pub mod ir;
pub mod lang;
pub mod processing;
pub mod record;
pub mod report;
pub mod rules;
pub mod stores;
pub mod taxonomy;
pub mod timings;

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
    /// Which data map to hold the code against.
    pub datamap: DatamapChoice,
    /// Jurisdiction profiles (`--profile kz,gdpr`); `None`: from the controller's country.
    pub profiles: Option<Vec<String>>,
}

/// Where the data map comes from.
#[derive(Clone, Debug, Default)]
pub enum DatamapChoice {
    /// `datamap.yml` (or `.yaml`, or a `datamap/` folder) in the first scanned folder or the
    /// nearest parent, up to the repository root.
    #[default]
    Find,
    /// This file or folder.
    Path(PathBuf),
    /// None: only the checks that need no data map run.
    Off,
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
    #[error("unknown profile `{0}`: the profiles are {1}")]
    UnknownProfile(String, String),
}

/// Stack size of the worker threads: parsers recurse, and nesting is capped well below what
/// this allows.
const WORKER_STACK: usize = 64 * 1024 * 1024;

/// Runs a whole scan with the built-in rules plus `options.rules_dirs`, against the data map
/// `options.datamap` picks. A data map that cannot be read gives a result holding only its
/// `invalid-datamap` findings (see [`ScanResult::datamap_invalid`]).
pub fn scan(options: &ScanOptions) -> Result<ScanResult, Error> {
    match prepare(options)? {
        Prepared::Ready(ready) => {
            let (rules, map) = *ready;
            scan_against(&rules, options, map.as_ref(), &mut |_, _, _| {})
        }
        Prepared::Invalid(result) => Ok(*result),
    }
}

/// The rules and the data map a run uses, or the problems of a data map that cannot be read.
enum Prepared {
    Ready(Box<(Rules, Option<datamap::DataMap>)>),
    Invalid(Box<ScanResult>),
}

fn prepare(options: &ScanOptions) -> Result<Prepared, Error> {
    let path = match &options.datamap {
        DatamapChoice::Find => options.paths.first().and_then(|p| datamap::find(p)),
        DatamapChoice::Path(p) => Some(p.clone()),
        DatamapChoice::Off => None,
    };
    let Some(path) = path else {
        return Ok(Prepared::Ready(Box::new((
            Rules::load(&options.rules_dirs)?,
            None,
        ))));
    };
    let taxonomy = taxonomy::Taxonomy::builtin();
    let map = match datamap::load(&path, &taxonomy) {
        Ok(map) => map,
        Err(problems) => {
            return Ok(Prepared::Invalid(Box::new(invalid_datamap(
                &problems, options,
            ))));
        }
    };
    let rules = rules_for(&options.rules_dirs, &map, &taxonomy)?;
    Ok(Prepared::Ready(Box::new((rules, Some(map)))))
}

/// The picture `privlint graph` draws: which personal data each store holds and which code
/// erases it. `Err` carries the result of a run whose data map cannot be read.
pub fn picture(
    options: &ScanOptions,
    filter: &erasure::picture::Filter,
) -> Result<Result<erasure::picture::Picture, ScanResult>, Error> {
    let (rules, map) = match prepare(options)? {
        Prepared::Ready(ready) => *ready,
        Prepared::Invalid(result) => return Ok(Err(*result)),
    };
    let mut picture = erasure::picture::Picture::default();
    scan_against(
        &rules,
        options,
        map.as_ref(),
        &mut |program, hits, calls| {
            let stores = erasure::Stores::build(program, calls, hits);
            picture = erasure::picture::Picture::build(program, &stores, map.as_ref(), filter);
        },
    )?;
    Ok(Ok(picture))
}

/// What `privlint report` gets from a scan.
pub enum RecordRun {
    /// The record and the scan result it was written from.
    Ready(Box<(record::Record, ScanResult)>),
    /// No data map was found or given: a record needs one.
    NoDatamap,
    /// The data map cannot be read: the result holds its problems.
    Invalid(Box<ScanResult>),
}

/// Scans with the data map and writes the record of processing. `adjust` runs on the scan's
/// result first (the configuration's check settings), so the record's findings are the ones
/// `privlint check` reports.
pub fn record(
    options: &ScanOptions,
    record_options: &record::RecordOptions,
    adjust: &dyn Fn(&mut ScanResult),
) -> Result<RecordRun, Error> {
    let (rules, map) = match prepare(options)? {
        Prepared::Ready(ready) => *ready,
        Prepared::Invalid(result) => return Ok(RecordRun::Invalid(result)),
    };
    let Some(map) = map else {
        return Ok(RecordRun::NoDatamap);
    };
    let profiles = profiles_for(&rules, options, Some(&map))?;
    let mut result = scan_against(&rules, options, Some(&map), &mut |_, _, _| {})?;
    adjust(&mut result);
    let record = record::Record::build(&map, &result, &profiles, record_options);
    Ok(RecordRun::Ready(Box::new((record, result))))
}

/// Runs a whole scan with the given rules and no data map.
pub fn scan_with_rules(rules: &Rules, options: &ScanOptions) -> Result<ScanResult, Error> {
    scan_against(rules, options, None, &mut |_, _, _| {})
}

/// What a scan without a data map finds, for `privlint init` to propose one from.
pub fn inventory(options: &ScanOptions) -> Result<init::Inventory, Error> {
    let rules = Rules::load(&options.rules_dirs)?;
    let root = options
        .paths
        .first()
        .cloned()
        .unwrap_or_else(|| PathBuf::from("."));
    let mut inventory = init::Inventory::default();
    scan_against(&rules, options, None, &mut |program, hits, _| {
        inventory = init::Inventory::collect(program, hits, &root);
    })?;
    Ok(inventory)
}

/// Called once the flow graph is built, before the checks run.
type Inspect<'i> = dyn FnMut(&Program<'_>, &[graph::SinkHit], &graph::calls::CallGraph) + Send + 'i;

/// The rules, with what the data map adds: its custom categories, the categories of its
/// elements the built-in classifier does not know (so `fields:` can point at them), and its
/// recipients' own hosts and packages.
fn rules_for(
    dirs: &[PathBuf],
    map: &datamap::DataMap,
    taxonomy: &taxonomy::Taxonomy,
) -> Result<Rules, Error> {
    let mut rules = Rules::load(dirs)?;
    let mut extra: Vec<classify::CategoryRule> = Vec::new();
    for (key, c) in &map.categories {
        if rules.classifier.category_id(key).is_none() {
            extra.push(classify::CategoryRule {
                key: key.clone(),
                name: c.name.clone(),
                identifier: c.identifier,
                names: c.names.clone(),
                ..classify::CategoryRule::default()
            });
        }
    }
    for e in map.data.values() {
        if rules.classifier.category_id(&e.category).is_none()
            && !extra.iter().any(|c| c.key == e.category)
        {
            extra.push(classify::CategoryRule {
                key: e.category.clone(),
                name: taxonomy
                    .category_name(&e.category)
                    .unwrap_or(&e.category)
                    .to_string(),
                ..classify::CategoryRule::default()
            });
        }
    }
    if !extra.is_empty() {
        rules = Rules::load_with_categories(dirs, extra)?;
    }
    for (key, r) in &map.recipients {
        if r.hosts.is_empty() && r.packages.is_empty() {
            continue;
        }
        let mut entry = rules.recipients.by_key(key).map_or_else(
            || rules::recipients::Recipient {
                id: key.clone(),
                name: r.name.clone().unwrap_or_else(|| key.clone()),
                country: r.country.clone().unwrap_or_default(),
                ..rules::recipients::Recipient::default()
            },
            |id| rules.recipients.get(id).clone(),
        );
        entry.hosts.extend(r.hosts.iter().cloned());
        entry.python.extend(r.packages.iter().cloned());
        entry.rust.extend(r.packages.iter().cloned());
        rules.recipients.add(entry);
    }
    Ok(rules)
}

/// The result of a run whose data map could not be read: its problems, as findings.
fn invalid_datamap(problems: &[datamap::Problem], options: &ScanOptions) -> ScanResult {
    let mut sources = BTreeMap::new();
    let findings = problems
        .iter()
        .map(|p| {
            let path = findings::display_path(&p.file);
            if let Ok(text) = std::fs::read_to_string(&p.file) {
                sources
                    .entry(path.clone())
                    .or_insert_with(|| Arc::from(text));
            }
            let location = finding::Location {
                path,
                line: p.line,
                column: p.column,
                start: p.start as u32,
                end: p.end as u32,
            };
            finding::Finding {
                check: checks::invalid_datamap::CHECK.id,
                severity: checks::invalid_datamap::CHECK.severity,
                fingerprint: findings::fingerprint(
                    checks::invalid_datamap::CHECK.id,
                    &location.path,
                    &[],
                    &p.message,
                ),
                message: p.message.clone(),
                location,
                data: Vec::new(),
                path: Vec::new(),
                help: p.help.clone(),
                suppressed: None,
            }
        })
        .collect();
    ScanResult {
        findings,
        roots: options.paths.clone(),
        sources,
        datamap_invalid: true,
        ..ScanResult::default()
    }
}

fn scan_against(
    rules: &Rules,
    options: &ScanOptions,
    map: Option<&datamap::DataMap>,
    inspect: &mut Inspect<'_>,
) -> Result<ScanResult, Error> {
    let profiles = profiles_for(rules, options, map)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(WORKER_STACK)
        .build()
        .map_err(|e| Error::Threads(e.to_string()))?;
    pool.install(|| scan_in_pool(rules, options, map, &profiles, inspect))
}

/// The profiles asked for, or those of the controller's country.
fn profiles_for<'r>(
    rules: &'r Rules,
    options: &ScanOptions,
    map: Option<&datamap::DataMap>,
) -> Result<Vec<&'r rules::jurisdictions::Profile>, Error> {
    if let Some(ids) = &options.profiles {
        return ids
            .iter()
            .map(|id| {
                rules.profiles.get(id).ok_or_else(|| {
                    let known: Vec<String> = rules
                        .profiles
                        .iter()
                        .map(|p| format!("`{}`", p.id))
                        .collect();
                    Error::UnknownProfile(id.clone(), known.join(", "))
                })
            })
            .collect();
    }
    Ok(map
        .and_then(|m| m.controller.as_ref())
        .and_then(|c| c.country.as_deref())
        .map(|country| rules.profiles.for_controller_country(country))
        .unwrap_or_default())
}

fn scan_in_pool(
    rules: &Rules,
    options: &ScanOptions,
    map: Option<&datamap::DataMap>,
    profiles: &[&rules::jurisdictions::Profile],
    inspect: &mut Inspect<'_>,
) -> Result<ScanResult, Error> {
    timings::phase("setup");
    let discovery = discover::discover(&options.paths, &options.discover)?;
    timings::phase("discover");
    let mut skipped = discovery.skipped;
    let parsed: Vec<Result<(Unit, Option<SkippedFile>), SkippedFile>> = discovery
        .files
        .into_par_iter()
        .map(|file| parse(rules, file))
        .collect();
    timings::phase("parse");
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
    let lines: Vec<usize> = units.par_iter().map(|u| u.text.lines().count()).collect();
    let mut counts: BTreeMap<&'static str, LanguageCount> = BTreeMap::new();
    for (unit, lines) in units.iter().zip(lines) {
        let c = counts
            .entry(unit.language.name())
            .or_insert_with(|| LanguageCount {
                language: unit.language.name().to_string(),
                ..LanguageCount::default()
            });
        c.files += 1;
        c.lines += lines;
    }

    let declared = map.map(|m| declared(rules, m, &units)).unwrap_or_default();
    let program = Program::with_declared(rules, units, declared);
    timings::phase("index");
    let (hits, calls) = graph::calls::propagate(&program);
    timings::phase("flow");
    inspect(&program, &hits, &calls);
    let attribution = map.map(|m| attribution::Attribution::new(m, &program));
    let stores = map.map(|_| erasure::Stores::build(&program, &calls, &hits));
    timings::phase("stores");
    let cx = checks::Context {
        program: &program,
        hits: &hits,
        datamap: attribution.as_ref(),
        profiles,
        // With files left out by `--include`/`--exclude`, what is missing may just be unread.
        covers_datamap: map.is_some_and(|m| covers(&options.paths, &m.root))
            && options.discover.include.is_empty()
            && options.discover.exclude.is_empty(),
        stores: stores.as_ref(),
        calls: Some(&calls),
    };
    let mut findings: Vec<finding::Finding> =
        checks::CHECKS.iter().flat_map(|c| (c.run)(&cx)).collect();
    timings::phase("checks");
    let processing = attribution
        .as_ref()
        .map(|att| processing::collect(&program, &hits, att))
        .unwrap_or_default();
    let erasure = match (map, &stores) {
        (Some(m), Some(s)) => erasure::verdict::of(&program, s, &calls, m),
        _ => Vec::new(),
    };
    findings::apply_suppressions(&program, &mut findings, cx.datamap.is_some());
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
    if let Some(m) = map {
        for (path, text) in &m.files {
            let shown = findings::display_path(path);
            if findings.iter().any(|f| f.location.path == shown) {
                sources.insert(shown, Arc::from(text.as_str()));
            }
        }
    }
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
    timings::phase("collect");
    // Freeing every file's facts, the indexes and the flows takes a noticeable share of a
    // large scan; nothing waits for it, so it happens on a thread of its own.
    let analysed = (program.into_owned(), hits, calls);
    std::thread::spawn(move || drop(analysed));
    Ok(ScanResult {
        findings,
        skipped,
        scanned: counts.into_values().collect(),
        roots: options.paths.clone(),
        sources,
        datamap: map.map(|m| {
            m.files
                .first()
                .map_or_else(|| m.root.clone(), |(p, _)| p.clone())
        }),
        datamap_invalid: false,
        processing,
        erasure,
        ..ScanResult::default()
    })
}

/// What the data map's `fields:` and the `privlint: data(...)` annotations mark as personal.
fn declared(rules: &Rules, map: &datamap::DataMap, units: &[Unit]) -> graph::Declared {
    let category_of = |element: &str| {
        map.data
            .get(element)
            .and_then(|e| rules.classifier.category_id(&e.category))
    };
    let mut out = graph::Declared::default();
    for (key, e) in &map.data {
        for field in &e.fields {
            if let Some(c) = category_of(key) {
                out.fields.insert(field.clone(), c);
            }
        }
    }
    for (u, unit) in units.iter().enumerate() {
        for (line, elements) in attribution::data_annotations_of(unit) {
            let Some(c) = elements.iter().find_map(|e| category_of(e)) else {
                continue;
            };
            let (start, end) = attribution::line_span(&unit.text, line);
            out.lines.entry(u as u32).or_default().push((start, end, c));
        }
    }
    out
}

/// Whether the scanned paths include the data map's folder (or a folder above it).
fn covers(paths: &[PathBuf], root: &std::path::Path) -> bool {
    let Ok(root) = std::fs::canonicalize(root) else {
        return false;
    };
    paths
        .iter()
        .any(|p| std::fs::canonicalize(p).is_ok_and(|p| p.is_dir() && root.starts_with(&p)))
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
            path: file.path,
            language: file.language,
            text: Arc::from(file.text),
            facts,
            handles,
            constants,
            is_test,
            line_starts: std::sync::OnceLock::new(),
        },
        note,
    ))
}
