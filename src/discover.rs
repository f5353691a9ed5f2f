//! Which files are scanned, in which language, and which are skipped and why.
//!
//! Walking honours `.gitignore` (also outside git checkouts), `.ignore` and `.privlintignore`,
//! skips hidden entries and a short list of dependency and cache directories (`target`,
//! `node_modules`, `vendor`, `__pycache__`, `.tox`, `.nox`, virtual environments), follows
//! symbolic links (a loop is reported as a skipped file, not an error), and keeps only files
//! whose extension a frontend knows. Files that are too large, binary, not UTF-8, generated or
//! unreadable are reported in [`Discovery::skipped`] with the reason.

use crate::finding::SkippedFile;
use crate::ir::Language;
use crate::lang::{FRONTENDS, frontend_for_extension};
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use rayon::prelude::*;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

#[derive(Clone, Debug)]
pub struct DiscoverOptions {
    /// Only paths matching one of these globs are scanned (all when empty).
    pub include: Vec<String>,
    /// Paths matching one of these globs are not scanned.
    pub exclude: Vec<String>,
    /// Files larger than this many bytes are skipped with a note.
    pub max_file_size: u64,
}

impl Default for DiscoverOptions {
    fn default() -> Self {
        Self {
            include: Vec::new(),
            exclude: Vec::new(),
            max_file_size: 4 * 1024 * 1024,
        }
    }
}

/// A file to scan, read into memory.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// The path as found on disk.
    pub path: PathBuf,
    /// The path as shown to users: as walked from the root given on the command line, with `/`
    /// separators and no leading `./`.
    pub display: String,
    pub language: Language,
    pub text: String,
}

#[derive(Debug, Default)]
pub struct Discovery {
    /// Sorted by `display`.
    pub files: Vec<SourceFile>,
    /// Sorted by path.
    pub skipped: Vec<SkippedFile>,
}

#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    #[error("path does not exist: {0}")]
    Missing(PathBuf),
    #[error("invalid glob `{glob}`: {message}")]
    BadGlob { glob: String, message: String },
}

/// The name of privlint's own ignore file, read like `.gitignore`.
pub const IGNORE_FILENAME: &str = ".privlintignore";

/// Directories never descended into (unless given as a root): dependencies, build output and
/// caches. Virtual environments are also recognised by their `pyvenv.cfg`, whatever their name.
pub const SKIPPED_DIRS: &[&str] = &[
    "target",
    "node_modules",
    "vendor",
    "__pycache__",
    ".venv",
    "venv",
    ".tox",
    ".nox",
    ".git",
    ".mypy_cache",
];

/// How many bytes are checked for a NUL byte to tell binary files apart.
const BINARY_PROBE: usize = 8 * 1024;
/// How many leading lines are searched for a "generated file" marker.
const GENERATED_PROBE_LINES: usize = 5;

/// A file the walker found that a frontend can read, not yet read.
struct Candidate {
    path: PathBuf,
    display: String,
    language: Language,
}

/// Finds and reads the files under `roots`.
pub fn discover(roots: &[PathBuf], options: &DiscoverOptions) -> Result<Discovery, DiscoverError> {
    let filter = PathFilter::new(&options.include, &options.exclude)?;
    for root in roots {
        // `exists` follows links: a dangling symlink given as a root is missing too.
        if !root.exists() {
            return Err(DiscoverError::Missing(root.clone()));
        }
    }

    let candidates = Mutex::new(Vec::new());
    let skipped = Mutex::new(Vec::new());
    for root in roots {
        if root.is_dir() {
            walk_dir(root, &filter, &candidates, &skipped);
        } else {
            explicit_file(root, &filter, &candidates, &skipped);
        }
    }
    let mut candidates = candidates
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut skipped = skipped
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);

    candidates.sort_by(|a, b| a.display.cmp(&b.display));
    // Overlapping roots (`.` and `src`) find the same file under the same display path.
    candidates.dedup_by(|a, b| a.display == b.display);

    let read: Vec<Result<SourceFile, SkippedFile>> = candidates
        .into_par_iter()
        .map(|c| read_candidate(c, options.max_file_size))
        .collect();
    let mut files = Vec::with_capacity(read.len());
    for r in read {
        match r {
            Ok(file) => files.push(file),
            Err(skip) => skipped.push(skip),
        }
    }

    skipped.sort();
    skipped.dedup();
    Ok(Discovery { files, skipped })
}

/// A root that is a file: scanned when its language is known, whatever ignore files say.
/// `--include`/`--exclude` still apply, so a hook passing every changed file can exclude some.
fn explicit_file(
    root: &Path,
    filter: &PathFilter,
    candidates: &Mutex<Vec<Candidate>>,
    skipped: &Mutex<Vec<SkippedFile>>,
) {
    let display = display_path(root);
    let name = root
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if !filter.allows_file(&display, &name) {
        return;
    }
    match language_of(root) {
        Some(language) => lock(candidates).push(Candidate {
            path: root.to_path_buf(),
            display,
            language,
        }),
        None => lock(skipped).push(SkippedFile {
            path: display,
            reason: format!("unknown language: privlint reads {}", known_extensions()),
        }),
    }
}

fn walk_dir(
    root: &Path,
    filter: &PathFilter,
    candidates: &Mutex<Vec<Candidate>>,
    skipped: &Mutex<Vec<SkippedFile>>,
) {
    let mut builder = ignore::WalkBuilder::new(root);
    builder
        .require_git(false)
        .follow_links(true)
        .add_custom_ignore_filename(IGNORE_FILENAME);
    let prune_root = root.to_path_buf();
    let prune_filter = filter.clone();
    builder.filter_entry(move |entry| {
        if entry.depth() == 0 || !entry.file_type().is_some_and(|t| t.is_dir()) {
            return true;
        }
        if is_skipped_dir(entry.path()) {
            return false;
        }
        let display = display_path(entry.path());
        let relative = relative_display(entry.path(), &prune_root);
        !prune_filter.excludes(&display, &relative)
    });

    builder.build_parallel().run(|| {
        Box::new(move |result| {
            match result {
                Ok(entry) => {
                    if entry.file_type().is_some_and(|t| t.is_file())
                        && let Some(language) = language_of(entry.path())
                    {
                        let display = display_path(entry.path());
                        let relative = relative_display(entry.path(), root);
                        if filter.allows_file(&display, &relative) {
                            lock(candidates).push(Candidate {
                                path: entry.into_path(),
                                display,
                                language,
                            });
                        }
                    }
                }
                Err(err) => {
                    if let Some(skip) = walk_error(&err) {
                        lock(skipped).push(skip);
                    }
                }
            }
            ignore::WalkState::Continue
        })
    });
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A walk error as a skipped file, or `None` when it concerns a file privlint would not read
/// anyway (a dangling link to a `.txt` file).
fn walk_error(err: &ignore::Error) -> Option<SkippedFile> {
    let (path, reason) = describe_walk_error(err);
    let Some(path) = path else {
        return Some(SkippedFile {
            path: String::from("<walk>"),
            reason,
        });
    };
    let unknown_extension = path
        .extension()
        .is_some_and(|ext| frontend_for_extension(&ext.to_string_lossy()).is_none());
    if unknown_extension && reason != "symlink loop" {
        return None;
    }
    Some(SkippedFile {
        path: display_path(&path),
        reason,
    })
}

/// The path an ignore error is about, if any, and a reason for users.
fn describe_walk_error(err: &ignore::Error) -> (Option<PathBuf>, String) {
    match err {
        ignore::Error::Loop { child, .. } => (Some(child.clone()), String::from("symlink loop")),
        ignore::Error::WithPath { path, err } => {
            let (inner, reason) = describe_walk_error(err);
            (inner.or_else(|| Some(path.clone())), reason)
        }
        ignore::Error::WithDepth { err, .. } => describe_walk_error(err),
        ignore::Error::WithLineNumber { line, err } => {
            let (path, reason) = describe_walk_error(err);
            (path, format!("line {line}: {reason}"))
        }
        ignore::Error::Partial(errs) => match errs.first() {
            Some(first) => describe_walk_error(first),
            None => (None, err.to_string()),
        },
        ignore::Error::Io(io) => (None, io.to_string()),
        other => (None, other.to_string()),
    }
}

fn is_skipped_dir(path: &Path) -> bool {
    let named = path
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| SKIPPED_DIRS.contains(&n));
    named || path.join("pyvenv.cfg").is_file()
}

fn language_of(path: &Path) -> Option<Language> {
    let ext = path.extension()?.to_str()?;
    frontend_for_extension(ext).map(crate::lang::Frontend::language)
}

fn known_extensions() -> String {
    let exts: Vec<String> = FRONTENDS
        .iter()
        .flat_map(|(exts, _)| exts.iter().map(|e| format!(".{e}")))
        .collect();
    exts.join(", ")
}

/// `path` with `/` separators and without `.` components (so no leading `./`).
fn display_path(path: &Path) -> String {
    let mut out = String::new();
    for component in path.components() {
        let part = match component {
            Component::CurDir => continue,
            Component::RootDir => {
                out.push('/');
                continue;
            }
            Component::Prefix(p) => p.as_os_str().to_string_lossy(),
            Component::ParentDir => "..".into(),
            Component::Normal(s) => s.to_string_lossy(),
        };
        if !out.is_empty() && !out.ends_with('/') {
            out.push('/');
        }
        out.push_str(&part);
    }
    if out.is_empty() {
        out.push('.');
    }
    out
}

/// `path` relative to the root it was walked from, in display form.
fn relative_display(path: &Path, root: &Path) -> String {
    path.strip_prefix(root)
        .map_or_else(|_| display_path(path), display_path)
}

/// `--include` and `--exclude`, compiled.
#[derive(Clone)]
struct PathFilter {
    include: Option<GlobSet>,
    exclude: GlobSet,
}

impl PathFilter {
    fn new(include: &[String], exclude: &[String]) -> Result<Self, DiscoverError> {
        let include = if include.is_empty() {
            None
        } else {
            Some(compile_globs(include)?)
        };
        Ok(Self {
            include,
            exclude: compile_globs(exclude)?,
        })
    }

    fn excludes(&self, display: &str, relative: &str) -> bool {
        self.exclude.is_match(display) || self.exclude.is_match(relative)
    }

    fn allows_file(&self, display: &str, relative: &str) -> bool {
        if self.excludes(display, relative) {
            return false;
        }
        match &self.include {
            None => true,
            Some(set) => set.is_match(display) || set.is_match(relative),
        }
    }
}

/// Compiles user globs with gitignore-like meaning: `*` does not cross `/`, `**` does; a pattern
/// without `/` matches a name at any depth; a pattern matching a directory matches everything
/// below it.
fn compile_globs(patterns: &[String]) -> Result<GlobSet, DiscoverError> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        let trimmed = pattern.trim_start_matches("./").trim_end_matches('/');
        let base = if trimmed.contains('/') {
            trimmed.trim_start_matches('/').to_string()
        } else {
            format!("**/{trimmed}")
        };
        for glob in [base.clone(), format!("{base}/**")] {
            let compiled = GlobBuilder::new(&glob)
                .literal_separator(true)
                .build()
                .map_err(|e| DiscoverError::BadGlob {
                    glob: pattern.clone(),
                    message: e.kind().to_string(),
                })?;
            builder.add(compiled);
        }
    }
    builder.build().map_err(|e| DiscoverError::BadGlob {
        glob: patterns.join(", "),
        message: e.to_string(),
    })
}

fn read_candidate(candidate: Candidate, max_file_size: u64) -> Result<SourceFile, SkippedFile> {
    let Candidate {
        path,
        display,
        language,
    } = candidate;
    let skip = |reason: String| SkippedFile {
        path: display.clone(),
        reason,
    };
    if let Some(pattern) = generated_name(&path) {
        return Err(skip(format!("generated file (name matches `{pattern}`)")));
    }
    let metadata = std::fs::metadata(&path).map_err(|e| skip(e.to_string()))?;
    if metadata.len() > max_file_size {
        return Err(skip(format!(
            "larger than {} ({}): raise --max-file-size to scan it",
            limit_size(max_file_size),
            actual_size(metadata.len())
        )));
    }
    let bytes = std::fs::read(&path).map_err(|e| skip(e.to_string()))?;
    // The file may have grown since the metadata was read.
    if bytes.len() as u64 > max_file_size {
        return Err(skip(format!(
            "larger than {} ({}): raise --max-file-size to scan it",
            limit_size(max_file_size),
            actual_size(bytes.len() as u64)
        )));
    }
    if bytes[..bytes.len().min(BINARY_PROBE)].contains(&0) {
        return Err(skip(String::from(
            "binary file (NUL byte in the first 8 KiB)",
        )));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        skip(format!(
            "not valid UTF-8 at byte {}",
            e.utf8_error().valid_up_to()
        ))
    })?;
    if let Some((line, marker)) = generated_marker(&text) {
        return Err(skip(format!("generated file (`{marker}` on line {line})")));
    }
    Ok(SourceFile {
        path,
        display,
        language,
        text,
    })
}

/// The name pattern that marks this file as generated, if any.
fn generated_name(path: &Path) -> Option<&'static str> {
    let name = path.file_name()?.to_str()?;
    if name.ends_with("_pb2.py") || name.ends_with("_pb2.pyi") {
        Some("*_pb2.py")
    } else if name.ends_with("_pb2_grpc.py") {
        Some("*_pb2_grpc.py")
    } else if name.ends_with(".pb.rs") {
        Some("*.pb.rs")
    } else if name.contains(".min.") {
        Some("*.min.*")
    } else {
        None
    }
}

/// The 1-based line and the marker found, when one of the first lines says the file is
/// generated.
fn generated_marker(text: &str) -> Option<(usize, &'static str)> {
    for (index, line) in text.lines().take(GENERATED_PROBE_LINES).enumerate() {
        let marker = if line.contains("@generated") {
            Some("@generated")
        } else if line.contains("DO NOT EDIT") {
            Some("DO NOT EDIT")
        } else {
            let lower = line.to_ascii_lowercase();
            if lower.contains("autogenerated") || lower.contains("auto-generated") {
                Some("autogenerated")
            } else {
                None
            }
        };
        if let Some(marker) = marker {
            return Some((index + 1, marker));
        }
    }
    None
}

const KIB: u64 = 1024;
const MIB: u64 = 1024 * 1024;

/// A size limit as users would write it: `4 MiB`, `512 KiB`, `1000 bytes`.
fn limit_size(bytes: u64) -> String {
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= KIB && bytes.is_multiple_of(KIB) {
        format!("{} KiB", bytes / KIB)
    } else {
        format!("{bytes} bytes")
    }
}

/// A file size with one decimal: `10.0 MiB`, `4.5 KiB`, `900 bytes`.
#[allow(
    clippy::cast_precision_loss,
    reason = "one decimal of a file size does not need 53 bits"
)]
fn actual_size(bytes: u64) -> String {
    if bytes >= MIB {
        format!("{:.1} MiB", bytes as f64 / MIB as f64)
    } else if bytes >= KIB {
        format!("{:.1} KiB", bytes as f64 / KIB as f64)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use tempfile::TempDir;

    fn write(root: &Path, rel: &str, contents: &[u8]) {
        let path = root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, contents).unwrap();
    }

    fn run(root: &Path, options: &DiscoverOptions) -> Discovery {
        discover(&[root.to_path_buf()], options).unwrap()
    }

    /// Display paths relative to `root`.
    fn rel(root: &Path, display: &str) -> String {
        let prefix = format!("{}/", display_path(root));
        display.strip_prefix(&prefix).unwrap_or(display).to_string()
    }

    fn files(root: &Path, d: &Discovery) -> Vec<String> {
        d.files.iter().map(|f| rel(root, &f.display)).collect()
    }

    fn skipped(root: &Path, d: &Discovery) -> Vec<(String, String)> {
        d.skipped
            .iter()
            .map(|s| (rel(root, &s.path), s.reason.clone()))
            .collect()
    }

    #[test]
    fn finds_known_languages_only_sorted() {
        let dir = TempDir::new().unwrap();
        let root = dir.path();
        write(root, "b.py", b"x = 1\n");
        write(root, "a/z.rs", b"fn main() {}\n");
        write(root, "a/y.pyi", b"x: int\n");
        write(root, "README.md", b"# hi\n");
        write(root, "data.json", b"{}\n");
        let d = run(root, &DiscoverOptions::default());
        assert_eq!(files(root, &d), ["a/y.pyi", "a/z.rs", "b.py"]);
        assert!(d.skipped.is_empty(), "{:?}", d.skipped);
        assert_eq!(d.files[1].language, Language::Rust);
        assert_eq!(d.files[2].language, Language::Python);
        assert_eq!(d.files[2].text, "x = 1\n");
        // Deterministic: a second run gives the same order.
        let again = run(root, &DiscoverOptions::default());
        assert_eq!(files(root, &again), files(root, &d));
    }

    #[test]
    fn gitignore_honoured_outside_git() {
        let dir = TempDir::new().unwrap();
        let root = dir.path();
        write(root, ".gitignore", b"ignored/\nsecret.py\n");
        write(root, "ignored/a.py", b"");
        write(root, "secret.py", b"");
        write(root, "kept.py", b"");
        let d = run(root, &DiscoverOptions::default());
        assert_eq!(files(root, &d), ["kept.py"]);
    }

    #[test]
    fn privlintignore_and_dot_ignore_honoured() {
        let dir = TempDir::new().unwrap();
        let root = dir.path();
        write(root, ".privlintignore", b"fixtures/\n");
        write(root, "sub/.ignore", b"*.rs\n");
        write(root, "fixtures/a.py", b"");
        write(root, "sub/b.rs", b"");
        write(root, "sub/c.py", b"");
        let d = run(root, &DiscoverOptions::default());
        assert_eq!(files(root, &d), ["sub/c.py"]);
    }

    #[test]
    fn dependency_and_cache_dirs_skipped_silently() {
        let dir = TempDir::new().unwrap();
        let root = dir.path();
        for rel in [
            "target/debug/a.rs",
            "node_modules/x/a.py",
            "vendor/a.rs",
            "__pycache__/a.py",
            "venv/lib/a.py",
            ".venv/lib/a.py",
            ".tox/a.py",
            "myenv/lib/a.py",
            ".hidden/a.py",
            "src/.hidden.py",
        ] {
            write(root, rel, b"");
        }
        write(root, "myenv/pyvenv.cfg", b"home = /usr\n");
        write(root, "src/ok.py", b"");
        write(root, "site-packages/pkg/mod.py", b"");
        write(root, "build/gen.py", b"");
        let d = run(root, &DiscoverOptions::default());
        assert_eq!(
            files(root, &d),
            ["build/gen.py", "site-packages/pkg/mod.py", "src/ok.py"]
        );
        assert!(d.skipped.is_empty(), "{:?}", d.skipped);

        // A skipped directory given as a root is scanned.
        let d = run(&root.join("vendor"), &DiscoverOptions::default());
        assert_eq!(d.files.len(), 1);
    }

    #[test]
    fn size_cap_binary_utf8_generated_notes() {
        let dir = TempDir::new().unwrap();
        let root = dir.path();
        write(root, "big.py", &vec![b'#'; 3 * 1024]);
        write(root, "bin.rs", b"fn a() {}\0\0");
        write(root, "latin1.py", b"name = 'Jos\xe9'\n");
        write(
            root,
            "gen.rs",
            b"// Code generated by tool. DO NOT EDIT.\nfn a() {}\n",
        );
        write(root, "gen2.py", b"#!/usr/bin/env python\n# @generated\n");
        write(root, "api_pb2.py", b"x = 1\n");
        write(root, "ok.py", b"x = 1\n");
        let options = DiscoverOptions {
            max_file_size: 2 * 1024,
            ..DiscoverOptions::default()
        };
        let d = run(root, &options);
        assert_eq!(files(root, &d), ["ok.py"]);
        let skipped = skipped(root, &d);
        let reasons: Vec<(&str, &str)> = skipped
            .iter()
            .map(|(p, r)| (p.as_str(), r.as_str()))
            .collect();
        assert_eq!(
            reasons,
            [
                ("api_pb2.py", "generated file (name matches `*_pb2.py`)"),
                (
                    "big.py",
                    "larger than 2 KiB (3.0 KiB): raise --max-file-size to scan it"
                ),
                ("bin.rs", "binary file (NUL byte in the first 8 KiB)"),
                ("gen.rs", "generated file (`DO NOT EDIT` on line 1)"),
                ("gen2.py", "generated file (`@generated` on line 2)"),
                ("latin1.py", "not valid UTF-8 at byte 11"),
            ]
        );
    }

    #[test]
    fn size_message_default_limit() {
        assert_eq!(limit_size(4 * MIB), "4 MiB");
        assert_eq!(actual_size(10 * MIB), "10.0 MiB");
        assert_eq!(limit_size(1000), "1000 bytes");
    }

    #[test]
    fn include_and_exclude() {
        let dir = TempDir::new().unwrap();
        let root = dir.path();
        for rel in [
            "src/a.py",
            "src/deep/b.py",
            "src/c.rs",
            "tests/t.py",
            "src/tests/u.py",
        ] {
            write(root, rel, b"");
        }
        let options = DiscoverOptions {
            include: vec!["src/**".into()],
            exclude: vec!["tests".into(), "*.rs".into()],
            ..DiscoverOptions::default()
        };
        let d = run(root, &options);
        assert_eq!(files(root, &d), ["src/a.py", "src/deep/b.py"]);

        let options = DiscoverOptions {
            include: vec!["*.rs".into()],
            ..DiscoverOptions::default()
        };
        assert_eq!(files(root, &run(root, &options)), ["src/c.rs"]);

        let options = DiscoverOptions {
            exclude: vec!["src/*.py".into()],
            ..DiscoverOptions::default()
        };
        assert_eq!(
            files(root, &run(root, &options)),
            ["src/c.rs", "src/deep/b.py", "src/tests/u.py", "tests/t.py"]
        );
    }

    #[test]
    fn bad_glob_is_an_error() {
        let dir = TempDir::new().unwrap();
        let options = DiscoverOptions {
            exclude: vec!["src/[a".into()],
            ..DiscoverOptions::default()
        };
        let err = discover(&[dir.path().to_path_buf()], &options).unwrap_err();
        assert!(matches!(err, DiscoverError::BadGlob { ref glob, .. } if glob == "src/[a"));
    }

    #[test]
    fn missing_root_is_an_error() {
        let dir = TempDir::new().unwrap();
        let missing = dir.path().join("nope");
        let err =
            discover(std::slice::from_ref(&missing), &DiscoverOptions::default()).unwrap_err();
        assert!(matches!(err, DiscoverError::Missing(p) if p == missing));
    }

    #[test]
    fn file_root_scanned_even_if_ignored() {
        let dir = TempDir::new().unwrap();
        let root = dir.path();
        write(root, ".gitignore", b"a.py\n");
        write(root, "a.py", b"x = 1\n");
        write(root, "notes.txt", b"");
        let d = discover(
            &[root.join("a.py"), root.join("notes.txt")],
            &DiscoverOptions::default(),
        )
        .unwrap();
        assert_eq!(files(root, &d), ["a.py"]);
        assert_eq!(d.skipped.len(), 1);
        assert!(d.skipped[0].reason.starts_with("unknown language"));
    }

    #[test]
    fn display_paths() {
        assert_eq!(display_path(Path::new("./src/app.py")), "src/app.py");
        assert_eq!(
            display_path(Path::new("fixtures/demo/./src/app.py")),
            "fixtures/demo/src/app.py"
        );
        assert_eq!(display_path(Path::new("/abs/x.py")), "/abs/x.py");
        assert_eq!(display_path(Path::new("../x.py")), "../x.py");
        assert_eq!(display_path(Path::new(".")), ".");
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loop_reported_not_fatal() {
        let dir = TempDir::new().unwrap();
        let root = dir.path();
        write(root, "a/x.py", b"");
        std::os::unix::fs::symlink(root, root.join("a/up")).unwrap();
        let d = run(root, &DiscoverOptions::default());
        assert_eq!(files(root, &d), ["a/x.py"]);
        assert_eq!(
            skipped(root, &d),
            [("a/up".to_string(), "symlink loop".to_string())]
        );
    }

    #[cfg(unix)]
    #[test]
    fn unreadable_file_reported() {
        use std::os::unix::fs::PermissionsExt;
        let dir = TempDir::new().unwrap();
        let root = dir.path();
        write(root, "locked.py", b"x = 1\n");
        let locked = root.join("locked.py");
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
        if fs::read(&locked).is_ok() {
            // Running as root: permissions do not stop us, nothing to check.
            return;
        }
        let d = run(root, &DiscoverOptions::default());
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o644)).unwrap();
        assert!(d.files.is_empty());
        let skipped = skipped(root, &d);
        assert_eq!(skipped.len(), 1);
        assert_eq!(skipped[0].0, "locked.py");
        assert!(
            skipped[0].1.contains("ermission denied"),
            "{:?}",
            skipped[0]
        );
    }

    #[test]
    fn relative_root_display_has_no_dot_prefix() {
        // Walking `.`-prefixed roots yields `./…` paths; display drops the prefix.
        let dir = TempDir::new().unwrap();
        write(dir.path(), "sub/m.py", b"");
        let root = dir.path().join(".").join("sub");
        let d = run(&root, &DiscoverOptions::default());
        assert_eq!(d.files.len(), 1);
        assert!(
            !d.files[0].display.contains("/./"),
            "{}",
            d.files[0].display
        );
        assert!(d.files[0].display.ends_with("sub/m.py"));
    }
}
