//! Gating a change on new findings only: baselines (`privlint baseline`, `--baseline FILE`),
//! the diff base (`--diff-base REV`), and the privacy changes between the base and the change.
//!
//! Findings are matched, one to one, first by what their fingerprint is made of (check, file,
//! data categories, the sink's code without whitespace: not the line, so inserted code above a
//! finding changes nothing), then, for what is left on both sides, by the same without the
//! file, so a finding in a renamed or moved file is still the old one. Each old finding
//! absorbs at most one new one: a leak copied into a second file is new.

use crate::finding::{Delta, Finding, PrivacyChanges, ScanResult};
use crate::findings::code_hash;
use crate::{DatamapChoice, ScanOptions};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;

/// Where `privlint baseline` writes and what `--baseline` is usually given.
pub const DEFAULT_BASELINE: &str = ".privlint-baseline.json";
/// The format version of baseline files.
pub const BASELINE_VERSION: u32 = 1;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read the baseline {0}: {1}")]
    ReadBaseline(String, String),
    #[error("{0} is not a privlint baseline: {1} (write one with `privlint baseline -o {0}`)")]
    BadBaseline(String, String),
    #[error("--diff-base needs a git repository, and {0} is not inside one")]
    NotGit(String),
    #[error(
        "--diff-base: `{0}` is not a commit of this repository (in a shallow clone, fetch it \
         first: `git fetch origin {0}`, or check out with `fetch-depth: 0`)"
    )]
    UnknownRevision(String),
    #[error("--diff-base: {0}")]
    Git(String),
    #[error("--diff-base: the path {0} is outside the repository")]
    OutsideRepository(String),
}

/// A baseline file: the findings a project has accepted for now.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    /// Sorted by path, check, fingerprint.
    pub findings: Vec<Entry>,
}

/// One accepted finding.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub path: String,
    pub check: String,
    pub fingerprint: String,
    /// Fides keys of the data categories.
    pub data: Vec<String>,
    /// The hash of the sink's code without whitespace.
    pub code: String,
    /// For the reader; not used to match.
    pub message: String,
}

impl Entry {
    fn of(finding: &Finding, sources: &BTreeMap<String, Arc<str>>) -> Self {
        Entry {
            path: finding.location.path.clone(),
            check: finding.check.to_string(),
            fingerprint: finding.fingerprint.clone(),
            data: finding.data.iter().map(|d| d.category.clone()).collect(),
            code: code_hash(code_of(finding, sources)),
            message: finding.message.clone(),
        }
    }
}

/// The code a finding points at, from the sources the scan kept; the message when the file's
/// text is not at hand.
fn code_of<'a>(finding: &'a Finding, sources: &'a BTreeMap<String, Arc<str>>) -> &'a str {
    sources
        .get(&finding.location.path)
        .and_then(|text| text.get(finding.location.start as usize..finding.location.end as usize))
        .filter(|code| !code.trim().is_empty())
        .unwrap_or(&finding.message)
}

impl Baseline {
    /// The active findings of a scan.
    pub fn of(result: &ScanResult) -> Self {
        let mut findings: Vec<Entry> = result
            .active()
            .map(|f| Entry::of(f, &result.sources))
            .collect();
        findings.sort();
        Baseline {
            version: BASELINE_VERSION,
            findings,
        }
    }

    pub fn to_json(&self) -> String {
        let mut out = serde_json::to_string_pretty(self).unwrap_or_default();
        out.push('\n');
        out
    }

    pub fn read(path: &Path) -> Result<Self, Error> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::ReadBaseline(shown.clone(), e.to_string()))?;
        let baseline: Baseline = serde_json::from_str(&text)
            .map_err(|e| Error::BadBaseline(shown.clone(), e.to_string()))?;
        if baseline.version != BASELINE_VERSION {
            return Err(Error::BadBaseline(
                shown,
                format!(
                    "version {} is not supported (this privlint writes version {BASELINE_VERSION})",
                    baseline.version
                ),
            ));
        }
        Ok(baseline)
    }
}

/// Removes from `result` the active findings `old` already has (see the module comment), and
/// counts them in `result.baselined`. Suppressed findings stay, as they are.
pub fn subtract(result: &mut ScanResult, old: &[Entry]) {
    let new: Vec<(usize, Entry)> = result
        .findings
        .iter()
        .enumerate()
        .filter(|(_, f)| f.suppressed.is_none())
        .map(|(i, f)| (i, Entry::of(f, &result.sources)))
        .collect();
    let mut old: Vec<&Entry> = old.iter().collect();
    old.sort();
    let mut used = vec![false; old.len()];
    let mut matched = BTreeSet::new();
    let same_place = |a: &Entry, b: &Entry| {
        a.path == b.path && a.check == b.check && a.data == b.data && a.code == b.code
    };
    let same_code =
        |a: &Entry, b: &Entry| a.check == b.check && a.data == b.data && a.code == b.code;
    for pass in [&same_place as &dyn Fn(&Entry, &Entry) -> bool, &same_code] {
        for (i, entry) in &new {
            if matched.contains(i) {
                continue;
            }
            if let Some(j) = (0..old.len()).find(|&j| !used[j] && pass(old[j], entry)) {
                used[j] = true;
                matched.insert(*i);
            }
        }
    }
    let mut index = 0;
    result.findings.retain(|_| {
        let keep = !matched.contains(&index);
        index += 1;
        keep
    });
    result.baselined += matched.len();
}

/// The tree of a revision, written to a temporary folder from git's objects (the working tree
/// and the index are not touched).
pub struct BaseTree {
    dir: tempfile::TempDir,
    /// The folder of the temporary tree that corresponds to the current directory.
    root: PathBuf,
    revision: String,
}

pub(crate) fn git(args: &[&str], cwd: Option<&Path>) -> Result<std::process::Output, Error> {
    let mut cmd = Command::new("git");
    if let Some(cwd) = cwd {
        cmd.current_dir(cwd);
    }
    cmd.args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| Error::Git(format!("cannot run git: {e}")))
}

pub(crate) fn stdout_line(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout)
        .trim_end_matches(['\n', '\r'])
        .to_string()
}

impl BaseTree {
    /// Writes the tree of `revision` (of the repository holding the current directory) to a
    /// temporary folder.
    pub fn extract(revision: &str) -> Result<Self, Error> {
        let here = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        let top = git(&["rev-parse", "--show-toplevel"], None)?;
        if !top.status.success() {
            return Err(Error::NotGit(here.display().to_string()));
        }
        let top = PathBuf::from(stdout_line(&top));
        let prefix = stdout_line(&git(&["rev-parse", "--show-prefix"], None)?);
        let spec = format!("{revision}^{{commit}}");
        let commit = git(
            &[
                "rev-parse",
                "--verify",
                "--quiet",
                "--end-of-options",
                &spec,
            ],
            None,
        )?;
        if revision.starts_with('-') || !commit.status.success() {
            return Err(Error::UnknownRevision(revision.to_string()));
        }
        let commit = stdout_line(&commit);
        let dir = tempfile::Builder::new()
            .prefix("privlint-base-")
            .tempdir()
            .map_err(|e| Error::Git(format!("cannot make a temporary folder: {e}")))?;
        let mut archive = Command::new("git")
            .current_dir(&top)
            .args(["archive", "--format=tar", &commit])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| Error::Git(format!("cannot run git archive: {e}")))?;
        let tar_in = archive
            .stdout
            .take()
            .ok_or_else(|| Error::Git("git archive gave no output".into()))?;
        let tar = Command::new("tar")
            .arg("-x")
            .arg("-f")
            .arg("-")
            .arg("-C")
            .arg(dir.path())
            .stdin(tar_in)
            .stderr(Stdio::piped())
            .output()
            .map_err(|e| Error::Git(format!("cannot run tar: {e}")))?;
        let archived = archive
            .wait_with_output()
            .map_err(|e| Error::Git(format!("git archive failed: {e}")))?;
        if !archived.status.success() {
            return Err(Error::Git(format!(
                "git archive {revision} failed: {}",
                String::from_utf8_lossy(&archived.stderr).trim()
            )));
        }
        if !tar.status.success() {
            return Err(Error::Git(format!(
                "unpacking the tree of {revision} failed: {}",
                String::from_utf8_lossy(&tar.stderr).trim()
            )));
        }
        // The search for a data map stops at the folder holding `.git`, as in the checkout.
        std::fs::create_dir_all(dir.path().join(".git"))
            .map_err(|e| Error::Git(format!("cannot write the base tree: {e}")))?;
        let root = dir.path().join(prefix);
        Ok(BaseTree {
            dir,
            root,
            revision: revision.to_string(),
        })
    }

    /// The options of the head's scan, pointed at the base tree.
    pub fn options(&self, head: &ScanOptions) -> Result<ScanOptions, Error> {
        let here = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        let inside = |p: &Path| -> Result<PathBuf, Error> {
            let relative = if p.is_absolute() {
                p.strip_prefix(&here)
                    .map(Path::to_path_buf)
                    .map_err(|_| Error::OutsideRepository(p.display().to_string()))?
            } else {
                p.to_path_buf()
            };
            // `..` may leave the current folder, but not the repository.
            let mut depth = self
                .root
                .strip_prefix(self.dir.path())
                .map_or(0, |r| r.components().count());
            for c in relative.components() {
                match c {
                    Component::ParentDir if depth == 0 => {
                        return Err(Error::OutsideRepository(p.display().to_string()));
                    }
                    Component::ParentDir => depth -= 1,
                    Component::Normal(_) => depth += 1,
                    _ => {}
                }
            }
            Ok(self.root.join(relative))
        };
        let paths = head
            .paths
            .iter()
            .map(|p| inside(p))
            .collect::<Result<Vec<_>, _>>()?;
        let datamap = match &head.datamap {
            DatamapChoice::Find => DatamapChoice::Find,
            DatamapChoice::Off => DatamapChoice::Off,
            DatamapChoice::Path(p) => {
                let there = inside(p)?;
                if there.exists() {
                    DatamapChoice::Path(there)
                } else {
                    DatamapChoice::Off
                }
            }
        };
        Ok(ScanOptions {
            paths,
            datamap,
            ..head.clone()
        })
    }

    /// A base scan's result with its paths as the head's scan shows them.
    pub fn relocate(&self, result: &mut ScanResult) {
        let prefix = format!("{}/", crate::findings::display_path(&self.root));
        let strip = |path: &mut String| {
            if let Some(rest) = path.strip_prefix(&prefix) {
                *path = rest.to_string();
            }
        };
        for f in &mut result.findings {
            strip(&mut f.location.path);
            for hop in &mut f.path {
                strip(&mut hop.location.path);
            }
        }
        result.sources = std::mem::take(&mut result.sources)
            .into_iter()
            .map(|(mut k, v)| {
                strip(&mut k);
                (k, v)
            })
            .collect();
    }

    pub fn revision(&self) -> &str {
        &self.revision
    }
}

/// Scans the tree of `revision` with the options of the head's scan, runs `adjust` on that
/// result (the configuration's check settings), then leaves out of `head` what the base has and
/// records the privacy changes between them.
pub fn against_base(
    options: &ScanOptions,
    revision: &str,
    head: &mut ScanResult,
    adjust: &dyn Fn(&mut ScanResult),
) -> Result<(), Error> {
    let tree = BaseTree::extract(revision)?;
    let base_options = tree.options(options)?;
    let mut base =
        crate::scan(&base_options).map_err(|e| Error::Git(format!("scanning {revision}: {e}")))?;
    tree.relocate(&mut base);
    adjust(&mut base);
    let changes = privacy_changes(
        revision,
        datamap_path(&base_options).as_deref(),
        datamap_path(options).as_deref(),
        &base,
        head,
    );
    if !head.datamap_invalid {
        // Only the base's active findings: one suppressed there whose suppression the change
        // removes is new.
        subtract(head, &Baseline::of(&base).findings);
    }
    head.changes = Some(changes);
    Ok(())
}

/// What changed in processing between `revision` and the scanned tree: the head's record and
/// scan result against the base's, written the same way from the tree of `revision`. A base
/// without a data map (or with one that cannot be read) has an empty record.
pub fn record_diff(
    options: &ScanOptions,
    revision: &str,
    record_options: &crate::record::RecordOptions,
    head_record: &crate::record::Record,
    head_result: &ScanResult,
    adjust: &dyn Fn(&mut ScanResult),
) -> Result<crate::record::diff::RecordDiff, Error> {
    let tree = BaseTree::extract(revision)?;
    let base_options = tree.options(options)?;
    let base = crate::record(&base_options, record_options, adjust)
        .map_err(|e| Error::Git(format!("scanning {revision}: {e}")))?;
    let (base_record, base_result) = match base {
        crate::RecordRun::Ready(ready) => *ready,
        crate::RecordRun::NoDatamap | crate::RecordRun::Invalid(_) => {
            (crate::record::Record::default(), ScanResult::default())
        }
    };
    Ok(crate::record::diff::RecordDiff::between(
        revision,
        &base_record,
        head_record,
        &base_result.processing,
        &head_result.processing,
    ))
}

/// The data map file or folder a scan with these options reads, if any.
pub fn datamap_path(options: &ScanOptions) -> Option<PathBuf> {
    match &options.datamap {
        DatamapChoice::Find => options.paths.first().and_then(|p| crate::datamap::find(p)),
        DatamapChoice::Path(p) => Some(p.clone()),
        DatamapChoice::Off => None,
    }
}

/// What the head declares and processes that the base does not, and the other way round.
/// `base_result` and `head_result` are the full results (before subtracting).
pub fn privacy_changes(
    revision: &str,
    base_map: Option<&Path>,
    head_map: Option<&Path>,
    base_result: &ScanResult,
    head_result: &ScanResult,
) -> PrivacyChanges {
    let taxonomy = crate::taxonomy::Taxonomy::builtin();
    let load = |p: Option<&Path>| p.and_then(|p| crate::datamap::load(p, &taxonomy).ok());
    // The same comparison as `privlint report --diff-base`.
    let record = |map: Option<&Path>, result: &ScanResult| {
        load(map).map_or_else(crate::record::Record::default, |m| {
            crate::record::Record::build(&m, result, &[], &crate::record::RecordOptions::default())
        })
    };
    let diff = crate::record::diff::RecordDiff::between(
        revision,
        &record(base_map, base_result),
        &record(head_map, head_result),
        &base_result.processing,
        &head_result.processing,
    );
    let categories = |r: &ScanResult| -> BTreeSet<String> {
        r.findings
            .iter()
            .flat_map(|f| f.data.iter().map(|d| d.category.clone()))
            .collect()
    };
    let (b, h) = (categories(base_result), categories(head_result));
    let mut changed = Vec::new();
    for (what, changes) in [
        ("element", &diff.elements),
        ("purpose", &diff.purposes),
        ("recipient", &diff.recipients),
        ("store", &diff.stores),
    ] {
        for c in &changes.changed {
            changed.push(format!("{what} `{}`: {}", c.key, c.differences.join("; ")));
        }
    }
    PrivacyChanges {
        base: revision.to_string(),
        elements: diff.elements.delta(),
        purposes: diff.purposes.delta(),
        recipients: diff.recipients.delta(),
        stores: diff.stores.delta(),
        categories_found: Delta::between(
            b.iter().map(String::as_str),
            h.iter().map(String::as_str),
        ),
        flows: diff.flows,
        changed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{DataRef, Location, Severity};

    fn finding(path: &str, code: &str, start: u32) -> (Finding, (String, Arc<str>)) {
        let text = format!("{}{code}\n", "\n".repeat(start as usize));
        let location = Location {
            path: path.into(),
            line: start + 1,
            column: 1,
            start,
            end: start + code.len() as u32,
        };
        let data = vec![DataRef {
            category: "user.contact.email".into(),
            name: "Email".into(),
        }];
        let f = Finding {
            check: "identifier-in-log",
            severity: Severity::Error,
            message: "m".into(),
            fingerprint: crate::findings::fingerprint("identifier-in-log", path, &data, code),
            location,
            data,
            path: Vec::new(),
            help: "h".into(),
            suppressed: None,
        };
        (f, (path.to_string(), Arc::from(text)))
    }

    fn result(list: &[(&str, &str, u32)]) -> ScanResult {
        let mut r = ScanResult::default();
        for (path, code, start) in list {
            let (f, (p, text)) = finding(path, code, *start);
            r.findings.push(f);
            r.sources.insert(p, text);
        }
        r
    }

    #[test]
    fn matches_moved_lines_and_renamed_files_one_to_one() {
        let base = Baseline::of(&result(&[
            ("a.py", "log(email)", 3),
            ("old.py", "print(email)", 0),
        ]));
        let mut head = result(&[
            ("a.py", "log(email)", 9),
            ("b.py", "log(email)", 0),
            ("new.py", "print( email )", 5),
        ]);
        subtract(&mut head, &base.findings);
        assert_eq!(head.baselined, 2);
        let left: Vec<&str> = head
            .findings
            .iter()
            .map(|f| f.location.path.as_str())
            .collect();
        assert_eq!(left, ["b.py"]);
    }

    #[test]
    fn baseline_round_trips_and_rejects_other_versions() {
        let b = Baseline::of(&result(&[("a.py", "log(email)", 3)]));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.json");
        std::fs::write(&path, b.to_json()).unwrap();
        assert_eq!(Baseline::read(&path).unwrap(), b);
        std::fs::write(
            &path,
            b.to_json().replace("\"version\": 1", "\"version\": 9"),
        )
        .unwrap();
        assert!(matches!(Baseline::read(&path), Err(Error::BadBaseline(..))));
    }
}
