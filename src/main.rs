//! The command line: parse arguments, call the library, map errors to exit codes.
//! Exit 0: nothing at or above `--fail-on`; 1: findings; 2: usage, configuration or input error.

use clap::{Parser, Subcommand, ValueEnum};

// Parsing and the analysis allocate many small values on several threads; mimalloc does that
// faster than the system allocator (ruff and oxc make the same choice). The parse-only floor
// uses it too, so the benchmark compares like with like.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use privlint::config::{Config, FailOn};
use privlint::report::{self, Format, RenderOptions};
use privlint::{DatamapChoice, ScanOptions, checks, discover::DiscoverOptions, rules::Rules};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "privlint",
    version,
    about = "Finds where personal data flows in code: identifiers in logs, undeclared processing."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Scan files and folders and report findings.
    Check(CheckArgs),
    /// Explain a check: what it finds, why it matters, how to fix it.
    Explain {
        /// The check ID (`identifier-in-log`); without it, lists the checks.
        id: Option<String>,
    },
    /// List the built-in rules: checks, data categories, log sinks, sanitizers, recipients,
    /// jurisdiction profiles.
    Rules(RulesArgs),
    /// Propose a data map from what a scan finds; never overwrites an existing one.
    Init(InitArgs),
    /// Draw which personal data each store holds and which code erases it (Mermaid, DOT, JSON).
    Graph(GraphArgs),
    /// Make a data map from Fides manifests (`system`, `dataset`, `organization`); never
    /// overwrites an existing one.
    ImportFides(ImportFidesArgs),
    /// Write the data map as a Fides manifest.
    ExportFides(ExportFidesArgs),
    /// Write a baseline: the findings of now, which `check --baseline FILE` then leaves out.
    Baseline(BaselineArgs),
    /// Write the record of processing activities (GDPR Art. 30) from the data map and the code:
    /// HTML, Markdown, CSV, JSON or XLSX; merge the JSON records of many systems; or list what
    /// changed in processing since a git revision.
    Report(ReportArgs),
    /// Print the JSON Schema of the data map (`datamap.yml`), for editors and validators.
    Schema {
        /// Write the schema to this file (atomically) instead of standard output.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

#[derive(clap::Args)]
#[allow(clippy::struct_excessive_bools)] // one flag per section to list
struct RulesArgs {
    /// Only the data categories.
    #[arg(long)]
    categories: bool,
    /// Only the log sinks.
    #[arg(long)]
    sinks: bool,
    /// Only the sanitizers.
    #[arg(long)]
    sanitizers: bool,
    /// Only the checks.
    #[arg(long)]
    checks: bool,
    /// Only the recipients catalog (third-party SDKs and API hosts).
    #[arg(long)]
    recipients: bool,
    /// Only the jurisdiction profiles.
    #[arg(long)]
    profiles: bool,
    /// Extra rule directories to load as well.
    #[arg(long = "rules", value_name = "DIR")]
    rules_dirs: Vec<PathBuf>,
}

#[derive(clap::Args)]
struct GraphArgs {
    /// Files and folders to scan.
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = report::graph::GraphFormat::Mermaid)]
    format: report::graph::GraphFormat,
    /// Only this data element (a data map key, or a category key without a data map).
    #[arg(long, value_name = "ELEMENT")]
    data: Option<String>,
    /// Only this store (its table, model or data-map key).
    #[arg(long, value_name = "STORE")]
    store: Option<String>,
    /// Only the elements this purpose declares.
    #[arg(long, value_name = "PURPOSE")]
    purpose: Option<String>,
    /// The data map (default: found as `privlint check` finds it).
    #[arg(long, value_name = "PATH")]
    datamap: Option<PathBuf>,
    /// Write the graph to this file (atomically) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(clap::Args)]
struct InitArgs {
    /// The folder to scan; the proposal is written there as `datamap.yml`.
    #[arg(default_value = ".")]
    path: PathBuf,
    /// Write the proposal here instead.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Extra rule directories to load as well.
    #[arg(long = "rules", value_name = "DIR")]
    rules_dirs: Vec<PathBuf>,
}

#[derive(clap::Args)]
struct ImportFidesArgs {
    /// The folder holding the Fides manifests (`*.yml`, `*.yaml`, read recursively).
    dir: PathBuf,
    /// Write the data map here instead of `DIR/datamap.yml`.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(clap::Args)]
struct ExportFidesArgs {
    /// The data map: a YAML file or a folder of them. Default: found as `privlint check`
    /// finds it, from the current folder.
    #[arg(long, value_name = "PATH")]
    datamap: Option<PathBuf>,
    /// Write the manifest to this file (atomically) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// The `fides_key` of the system. Default: the name of the data map's folder.
    #[arg(long, value_name = "KEY")]
    system_key: Option<String>,
}

/// What to scan and with which rules and data map: shared by `check` and `baseline`.
#[derive(clap::Args)]
struct ScanArgs {
    /// Files and folders to scan.
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    /// Only scan paths matching this glob (repeatable; replaces `include` of `.privlint.yml`).
    #[arg(long, value_name = "GLOB")]
    include: Vec<String>,
    /// Do not scan paths matching this glob (repeatable; replaces `exclude` of `.privlint.yml`).
    #[arg(long, value_name = "GLOB")]
    exclude: Vec<String>,
    /// Extra rule directories: YAML files with sinks, sanitizers, categories (repeatable).
    #[arg(long = "rules", value_name = "DIR")]
    rules_dirs: Vec<PathBuf>,
    /// Skip files larger than this many bytes (with a note).
    #[arg(long, value_name = "BYTES", default_value_t = 4 * 1024 * 1024)]
    max_file_size: u64,
    /// The data map: a YAML file or a folder of them. Default: `datamap.yml` in the first
    /// path or the nearest parent folder up to the repository root.
    #[arg(long, value_name = "PATH", conflicts_with = "no_datamap")]
    datamap: Option<PathBuf>,
    /// Do not look for a data map; run only the checks that need none.
    #[arg(long)]
    no_datamap: bool,
    /// Jurisdiction profiles, comma-separated (`kz,gdpr`). Default: from the controller's
    /// country in the data map.
    #[arg(long, value_name = "IDS", value_delimiter = ',')]
    profile: Option<Vec<String>>,
    /// The configuration file. Default: `.privlint.yml` in the first path or the nearest
    /// parent folder up to the repository root.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    config: Option<PathBuf>,
    /// Do not read `.privlint.yml`.
    #[arg(long)]
    no_config: bool,
}

#[derive(clap::Args)]
struct CheckArgs {
    #[command(flatten)]
    scan: ScanArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Write the report to this file (atomically) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Exit 1 when a finding at or above this severity is reported [default: `fail-on` of
    /// `.privlint.yml`, else warning].
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,
    /// Colour in text output: auto, always, never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Leave out the findings recorded in this baseline (written by `privlint baseline`).
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Report only findings that do not exist at this git revision (read from git's objects;
    /// nothing is checked out).
    #[arg(long, value_name = "REV")]
    diff_base: Option<String>,
    /// List the suppressed findings with their reasons (text output).
    #[arg(long)]
    show_suppressed: bool,
}

#[derive(clap::Args)]
struct ReportArgs {
    #[command(flatten)]
    scan: ScanArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = report::record::RecordFormat::Html)]
    format: report::record::RecordFormat,
    /// Write the record to this file (atomically) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// The repository's web address, for permalinks to the evidence (default: from GitHub
    /// Actions or GitLab CI, else git's `origin` remote).
    #[arg(long, value_name = "URL")]
    repo_url: Option<String>,
    /// The commit the permalinks point at (default: git's HEAD).
    #[arg(long, value_name = "SHA")]
    commit: Option<String>,
    /// How permalinks are spelled (default: gitlab when the address's host says so, else
    /// github).
    #[arg(long, value_enum)]
    link_style: Option<privlint::record::source::LinkStyle>,
    /// The system's name in the record (default: the repository's folder name).
    #[arg(long, value_name = "NAME")]
    system: Option<String>,
    /// Combine the JSON records of several systems (`report --format json` of each
    /// repository) into one record; nothing is scanned.
    #[arg(long, value_name = "JSON", num_args = 1.., conflicts_with = "diff_base")]
    merge: Vec<PathBuf>,
    /// List what changed in processing since this git revision (elements, purposes,
    /// recipients, stores, flows), as `md` or `json`.
    #[arg(long, value_name = "REV")]
    diff_base: Option<String>,
    /// Print the JSON Schema of the JSON record and exit.
    #[arg(long, conflicts_with_all = ["merge", "diff_base"])]
    schema: bool,
}

#[derive(clap::Args)]
struct BaselineArgs {
    #[command(flatten)]
    scan: ScanArgs,
    /// Where to write the baseline.
    #[arg(long, short, value_name = "FILE", default_value = privlint::gate::DEFAULT_BASELINE)]
    output: PathBuf,
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

fn main() -> ExitCode {
    privlint::timings::start();
    // A frontend panic is caught per file and reported as a skipped file; keep the default hook
    // from printing a backtrace-like message on top of that.
    std::panic::set_hook(Box::new(|_| {}));
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match cli.command {
        Command::Check(args) => check(&args),
        Command::Baseline(args) => baseline(&args),
        Command::Report(args) => record_report(&args),
        Command::Explain { id } => explain(id.as_deref()),
        Command::Rules(args) => list_rules(&args),
        Command::Schema { output } => schema(output.as_deref()),
        Command::Init(args) => init(&args),
        Command::Graph(args) => graph(&args),
        Command::ImportFides(args) => import_fides(&args),
        Command::ExportFides(args) => export_fides(&args),
    }
}

/// The scan options from the flags and `.privlint.yml` (flags win), and the configuration.
fn scan_options(args: &ScanArgs) -> Result<(ScanOptions, Config), ExitCode> {
    let config_path = if args.no_config {
        None
    } else {
        args.config.clone().or_else(|| {
            privlint::config::find(args.paths.first().map_or(Path::new("."), PathBuf::as_path))
        })
    };
    let config = match config_path.map(|p| Config::load(&p)).transpose() {
        Ok(c) => c.unwrap_or_default(),
        Err(e) => {
            eprintln!("error: {e}");
            return Err(ExitCode::from(2));
        }
    };
    let or = |flag: &Vec<String>, file: &Vec<String>| {
        if flag.is_empty() {
            file.clone()
        } else {
            flag.clone()
        }
    };
    let mut rules_dirs = config.rules.clone();
    rules_dirs.extend(args.rules_dirs.iter().cloned());
    let options = ScanOptions {
        paths: args.paths.clone(),
        discover: DiscoverOptions {
            include: or(&args.include, &config.include),
            exclude: or(&args.exclude, &config.exclude),
            max_file_size: args.max_file_size,
        },
        rules_dirs,
        datamap: if args.no_datamap {
            DatamapChoice::Off
        } else {
            args.datamap
                .clone()
                .or_else(|| config.datamap.clone())
                .map_or(DatamapChoice::Find, DatamapChoice::Path)
        },
        profiles: args.profile.clone().or_else(|| config.profiles.clone()),
    };
    Ok((options, config))
}

/// Scans as the flags and `.privlint.yml` say; the configuration is not applied yet.
fn scanned(
    args: &ScanArgs,
) -> Result<(ScanOptions, Config, privlint::finding::ScanResult), ExitCode> {
    let (options, config) = scan_options(args)?;
    match privlint::scan(&options) {
        Ok(result) => Ok((options, config, result)),
        Err(e) => {
            eprintln!("error: {e}");
            Err(ExitCode::from(2))
        }
    }
}

fn baseline(args: &BaselineArgs) -> ExitCode {
    let (_, config, mut result) = match scanned(&args.scan) {
        Ok(s) => s,
        Err(code) => return code,
    };
    if result.datamap_invalid {
        eprintln!("error: the data map cannot be read; run `privlint check` to see why");
        return ExitCode::from(2);
    }
    config.apply(&mut result);
    let baseline = privlint::gate::Baseline::of(&result);
    if let Err(e) = write_atomically(&args.output, baseline.to_json().as_bytes()) {
        eprintln!("error: cannot write {}: {e}", args.output.display());
        return ExitCode::from(2);
    }
    eprintln!(
        "wrote {}: {} findings; `privlint check --baseline {}` leaves them out",
        args.output.display(),
        baseline.findings.len(),
        args.output.display()
    );
    ExitCode::SUCCESS
}

fn check(args: &CheckArgs) -> ExitCode {
    let (options, config, mut result) = match scanned(&args.scan) {
        Ok(s) => s,
        Err(code) => return code,
    };
    config.apply(&mut result);
    let gated = (|| -> Result<(), String> {
        if let Some(revision) = &args.diff_base {
            privlint::gate::against_base(&options, revision, &mut result, &|r| config.apply(r))
                .map_err(|e| e.to_string())?;
        }
        if let Some(path) = &args.baseline {
            let baseline = privlint::gate::Baseline::read(path).map_err(|e| e.to_string())?;
            privlint::gate::subtract(&mut result, &baseline.findings);
        }
        Ok(())
    })();
    if let Err(e) = gated {
        eprintln!("error: {e}");
        return ExitCode::from(2);
    }
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            args.output.is_none()
                && std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none()
        }
    };
    let rendered = report::render(
        &result,
        args.format,
        &RenderOptions {
            color,
            width: terminal_width(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            show_suppressed: args.show_suppressed,
        },
    );
    privlint::timings::phase("render");
    let written = if let Some(path) = &args.output {
        write_atomically(path, rendered.as_bytes())
    } else {
        let mut out = std::io::stdout().lock();
        out.write_all(rendered.as_bytes())
            .and_then(|()| out.flush())
    };
    privlint::timings::phase("write");
    if let Err(e) = written {
        let target = args.output.as_ref().map_or_else(
            || "standard output".to_string(),
            |p| p.display().to_string(),
        );
        eprintln!("error: cannot write {target}: {e}");
        return ExitCode::from(2);
    }
    let threshold = args
        .fail_on
        .or(config.fail_on)
        .unwrap_or(FailOn::Warning)
        .threshold();
    if result.datamap_invalid {
        return ExitCode::from(2);
    }
    if result.datamap.is_none() && !args.scan.no_datamap && matches!(args.format, Format::Text) {
        eprintln!(
            "hint: no datamap.yml found here or above, so the data-map checks did not run; \
             `privlint init` proposes one from this scan"
        );
    }
    let failing = threshold.is_some_and(|t| result.active().any(|f| f.severity >= t));
    ExitCode::from(u8::from(failing))
}

/// When the record is written: `SOURCE_DATE_EPOCH` (reproducible builds) or now, in UTC.
fn generated_at() -> String {
    let now = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|s| time::OffsetDateTime::from_unix_timestamp(s).ok())
        .unwrap_or_else(time::OffsetDateTime::now_utc);
    now.replace_nanosecond(0)
        .unwrap_or(now)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// Writes `bytes` to `output`, or to standard output; `false` (with a message) on failure.
fn emit(output: Option<&Path>, bytes: &[u8], what: &str) -> bool {
    let written = if let Some(path) = output {
        write_atomically(path, bytes)
    } else {
        let mut out = std::io::stdout().lock();
        out.write_all(bytes).and_then(|()| out.flush())
    };
    match written {
        Ok(()) => true,
        Err(e) => {
            let target = output.map_or_else(
                || "standard output".to_string(),
                |p| p.display().to_string(),
            );
            eprintln!("error: cannot write the {what} to {target}: {e}");
            false
        }
    }
}

fn print_invalid(invalid: &privlint::finding::ScanResult) {
    let text = report::render(
        invalid,
        Format::Text,
        &RenderOptions {
            color: false,
            width: terminal_width(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            show_suppressed: false,
        },
    );
    eprint!("{text}");
}

fn record_report(args: &ReportArgs) -> ExitCode {
    use report::record::RecordFormat;
    if args.schema {
        let text = privlint::record::json_schema_text();
        return if emit(args.output.as_deref(), text.as_bytes(), "schema") {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(2)
        };
    }
    if args.diff_base.is_some() && !matches!(args.format, RecordFormat::Md | RecordFormat::Json) {
        eprintln!(
            "error: the privacy diff is written as Markdown or JSON\n  help: add `--format md` \
             or `--format json`"
        );
        return ExitCode::from(2);
    }
    if args.format == RecordFormat::Xlsx && args.output.is_none() && std::io::stdout().is_terminal()
    {
        eprintln!(
            "error: an XLSX workbook is binary and would garble the terminal\n  help: add \
             `--output record.xlsx`"
        );
        return ExitCode::from(2);
    }
    let generated_at = generated_at();
    if !args.merge.is_empty() {
        let record = match privlint::record::merge::merge(&args.merge, &generated_at) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        };
        return write_record(&record, args);
    }
    let (options, config) = match scan_options(&args.scan) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let first = options
        .paths
        .first()
        .cloned()
        .unwrap_or_else(|| PathBuf::from("."));
    let request = privlint::record::source::LinkRequest {
        repo_url: args.repo_url.clone(),
        commit: args.commit.clone(),
        style: args.link_style,
    };
    if let Some(url) = &args.repo_url
        && privlint::record::source::normalise(url).is_none()
    {
        eprintln!(
            "error: `--repo-url {url}` is not an http(s) address\n  help: give the repository's \
             web address, e.g. `--repo-url https://github.com/owner/repo`"
        );
        return ExitCode::from(2);
    }
    let (links, commit) = privlint::record::source::resolve(&request, &first);
    let datamap = privlint::gate::datamap_path(&options);
    // The system is named after the folder of its data map (the repository, usually).
    let system = args.system.clone().unwrap_or_else(|| {
        let folder = datamap.clone().unwrap_or_else(|| first.clone());
        let folder = std::fs::canonicalize(&folder).unwrap_or(folder);
        let folder = if folder.is_file() {
            folder.parent().map(Path::to_path_buf).unwrap_or(folder)
        } else {
            folder
        };
        folder.file_name().map_or_else(
            || "system".to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    });
    let record_options = privlint::record::RecordOptions {
        system,
        links,
        commit,
        generated_at,
        datamap: datamap.map(|p| privlint::findings::display_path(&p)),
    };
    let adjust = |r: &mut privlint::finding::ScanResult| config.apply(r);
    let (record, result) = match privlint::record(&options, &record_options, &adjust) {
        Ok(privlint::RecordRun::Ready(ready)) => *ready,
        Ok(privlint::RecordRun::Invalid(invalid)) => {
            print_invalid(&invalid);
            return ExitCode::from(2);
        }
        Ok(privlint::RecordRun::NoDatamap) => {
            eprintln!(
                "error: no data map found in {} or above: the record of processing is written \
                 from one\n  help: `privlint init {}` proposes a datamap.yml from the code, or \
                 pass `--datamap PATH`",
                first.display(),
                first.display()
            );
            return ExitCode::from(2);
        }
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    if let Some(revision) = &args.diff_base {
        let diff = match privlint::gate::record_diff(
            &options,
            revision,
            &record_options,
            &record,
            &result,
            &adjust,
        ) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        };
        let text = if args.format == RecordFormat::Json {
            report::record::diff::json(&diff)
        } else {
            report::record::diff::markdown(&diff)
        };
        return if emit(args.output.as_deref(), text.as_bytes(), "privacy diff") {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(2)
        };
    }
    write_record(&record, args)
}

fn write_record(record: &privlint::record::Record, args: &ReportArgs) -> ExitCode {
    let bytes = match report::record::render(record, args.format) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    if emit(args.output.as_deref(), &bytes, "record") {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    }
}

fn schema(output: Option<&Path>) -> ExitCode {
    let text = privlint::datamap::json_schema_text();
    if emit(output, text.as_bytes(), "schema") {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    }
}

fn graph(args: &GraphArgs) -> ExitCode {
    let options = ScanOptions {
        paths: args.paths.clone(),
        datamap: args
            .datamap
            .clone()
            .map_or(DatamapChoice::Find, DatamapChoice::Path),
        ..ScanOptions::default()
    };
    let filter = privlint::erasure::picture::Filter {
        data: args.data.clone(),
        store: args.store.clone(),
        purpose: args.purpose.clone(),
    };
    let picture = match privlint::picture(&options, &filter) {
        Ok(Ok(p)) => p,
        Ok(Err(invalid)) => {
            print_invalid(&invalid);
            return ExitCode::from(2);
        }
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let text = report::graph::render(&picture, args.format);
    if emit(args.output.as_deref(), text.as_bytes(), "graph") {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    }
}

fn init(args: &InitArgs) -> ExitCode {
    let target = match new_datamap_target(&args.path, args.output.as_deref(), "proposal") {
        Ok(t) => t,
        Err(code) => return code,
    };
    let options = ScanOptions {
        paths: vec![args.path.clone()],
        rules_dirs: args.rules_dirs.clone(),
        datamap: DatamapChoice::Off,
        ..ScanOptions::default()
    };
    let inventory = match privlint::inventory(&options) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let text = inventory.render();
    if let Err(e) = write_new(&target, text.as_bytes()) {
        eprintln!("error: cannot write {}: {e}", target.display());
        return ExitCode::from(2);
    }
    eprintln!(
        "wrote {}: {} elements, {} purposes, {} recipients, {} stores; check every line marked \
         `confirm`, then run `privlint check`",
        target.display(),
        inventory.elements.len(),
        inventory
            .areas
            .values()
            .filter(|a| !a.categories.is_empty())
            .count(),
        inventory.recipients.len(),
        inventory.stores.len()
    );
    ExitCode::SUCCESS
}

fn import_fides(args: &ImportFidesArgs) -> ExitCode {
    let target = match new_datamap_target(&args.dir, args.output.as_deref(), "data map") {
        Ok(t) => t,
        Err(code) => return code,
    };
    let (manifest, files) = match privlint::fides::read_dir(&args.dir) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let taxonomy = privlint::taxonomy::Taxonomy::builtin();
    let imported = privlint::fides::import(&manifest, &taxonomy);
    let text = imported.render(&args.dir.display().to_string());
    // The data map must load as written: check the very bytes before they take the name.
    let written = write_new_checked(&target, text.as_bytes(), |tmp| {
        privlint::datamap::load(tmp, &taxonomy).map(|_| ())
    });
    match written {
        Ok(Ok(())) => {}
        Ok(Err(problems)) => {
            eprintln!(
                "error: the data map made from the Fides manifests does not load (a privlint \
                 bug; nothing written):"
            );
            for p in problems {
                eprintln!("  {p}");
            }
            return ExitCode::from(2);
        }
        Err(e) => {
            eprintln!("error: cannot write {}: {e}", target.display());
            return ExitCode::from(2);
        }
    }
    for note in &imported.notes {
        eprintln!("note: {note}");
    }
    let map = &imported.map;
    eprintln!(
        "wrote {} from {} manifest files: {} elements, {} purposes, {} recipients, {} stores; \
         check every line marked `confirm`, then run `privlint check`",
        target.display(),
        files.len(),
        map.data.len(),
        map.purposes.len(),
        map.recipients.len(),
        map.stores.len()
    );
    ExitCode::SUCCESS
}

fn export_fides(args: &ExportFidesArgs) -> ExitCode {
    let Some(path) = args
        .datamap
        .clone()
        .or_else(|| privlint::datamap::find(Path::new(".")))
    else {
        eprintln!(
            "error: no datamap.yml found here or in a parent folder up to the repository root; \
             pass `--datamap PATH`"
        );
        return ExitCode::from(2);
    };
    let taxonomy = privlint::taxonomy::Taxonomy::builtin();
    let map = match privlint::datamap::load(&path, &taxonomy) {
        Ok(m) => m,
        Err(problems) => {
            for p in &problems {
                eprintln!("{p}");
            }
            eprintln!(
                "error: {} has {} problem(s); fix them, then export again",
                path.display(),
                problems.len()
            );
            return ExitCode::from(2);
        }
    };
    let system_key = args.system_key.clone().unwrap_or_else(|| {
        let root = std::fs::canonicalize(&map.root).unwrap_or_else(|_| map.root.clone());
        let name = root
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        privlint::fides::snake_key(&name, "system")
    });
    if !privlint::fides::is_fides_key(&system_key) {
        eprintln!("error: `{system_key}` is not a Fides key: use letters, digits, `_`, `.`, `-`");
        return ExitCode::from(2);
    }
    let text = privlint::fides::export(&map, &system_key, &path.display().to_string());
    let written = if let Some(out) = &args.output {
        write_atomically(out, text.as_bytes())
    } else {
        let mut out = std::io::stdout().lock();
        out.write_all(text.as_bytes()).and_then(|()| out.flush())
    };
    if let Err(e) = written {
        let target = args.output.as_ref().map_or_else(
            || "standard output".to_string(),
            |p| p.display().to_string(),
        );
        eprintln!("error: cannot write {target}: {e}");
        return ExitCode::from(2);
    }
    ExitCode::SUCCESS
}

/// Writes a new file atomically after `check` accepts the temporary file holding the bytes;
/// fails if a file appeared at `path` meanwhile. A rejected file is removed.
fn write_new_checked<E>(
    path: &Path,
    bytes: &[u8],
    check: impl FnOnce(&Path) -> Result<(), E>,
) -> std::io::Result<Result<(), E>> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut tmp = tempfile::Builder::new().suffix(".yml").tempfile_in(&dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    if let Err(e) = check(tmp.path()) {
        return Ok(Err(e));
    }
    tmp.persist_noclobber(path).map_err(|e| e.error)?;
    Ok(Ok(()))
}

/// Where a new data map goes: `--output`, or `datamap.yml` in `dir`. An existing data map there
/// (any of the names `privlint check` looks for) is never replaced: exit 2.
fn new_datamap_target(dir: &Path, output: Option<&Path>, what: &str) -> Result<PathBuf, ExitCode> {
    let target = output.map_or_else(|| dir.join("datamap.yml"), Path::to_path_buf);
    let existing = if output.is_some() {
        target.exists().then(|| target.clone())
    } else {
        ["datamap.yml", "datamap.yaml", "datamap"]
            .iter()
            .map(|n| dir.join(n))
            .find(|p| p.exists())
    };
    if let Some(existing) = existing {
        eprintln!(
            "error: {} already exists and is left as it is; remove it or pass `--output FILE` \
             to write the {what} elsewhere",
            existing.display()
        );
        return Err(ExitCode::from(2));
    }
    Ok(target)
}

/// Writes a new file atomically, failing if one appeared at `path` meanwhile.
fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(&dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist_noclobber(path).map_err(|e| e.error)?;
    Ok(())
}

/// Writes to a temporary file beside `path`, then renames it into place, so a reader never sees
/// a half-written report and a failed run leaves the old one intact.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    // A report is for others to read: the mode of the file it replaces, else what the umask
    // leaves of 0666 (as any editor would write it), not the temporary file's private 0600.
    #[cfg(unix)]
    let permissions = std::fs::metadata(path).map_or_else(
        |_| std::os::unix::fs::PermissionsExt::from_mode(0o666),
        |m| m.permissions(),
    );
    #[cfg(unix)]
    builder.permissions(permissions);
    let mut tmp = builder.tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100)
}

fn explain(id: Option<&str>) -> ExitCode {
    match id {
        None => {
            println!("Checks (run `privlint explain ID` for one):\n");
            for c in checks::CHECKS {
                println!("  {:<22} {:<8} {}", c.id, c.severity.as_str(), c.summary);
            }
            ExitCode::SUCCESS
        }
        Some(id) => {
            if let Some(c) = checks::find(id) {
                println!("{}", privlint::checks::doc_text(c));
                ExitCode::SUCCESS
            } else {
                eprintln!(
                    "error: no check `{id}`; the checks are: {}",
                    checks::CHECKS
                        .iter()
                        .map(|c| c.id)
                        .collect::<Vec<_>>()
                        .join(", ")
                );
                ExitCode::from(2)
            }
        }
    }
}

fn print_recipients(catalog: &privlint::rules::Catalog) {
    println!("Recipients (id, country, name, usual purposes; then what matches):");
    let mut list: Vec<_> = catalog.iter().map(|(_, r)| r).collect();
    list.sort_by(|a, b| a.id.cmp(&b.id));
    for r in list {
        println!(
            "  {:<22} {:<3} {:<44} {}",
            r.id,
            r.country,
            r.name,
            r.purposes.join(", ")
        );
        println!("  {:<22} {}", "", r.describe_matchers());
    }
    println!();
}

fn print_profiles(profiles: &privlint::rules::Profiles) {
    println!("Jurisdiction profiles:");
    for p in profiles.iter() {
        println!("  {:<6} {}", p.id, p.name);
        println!("  {:<6} home:       {}", "", p.home.join(" "));
        println!("  {:<6} adequate:   {}", "", p.adequate.join(" "));
        println!("  {:<6} safeguards: {}", "", p.safeguards.join(", "));
    }
}

fn list_rules(args: &RulesArgs) -> ExitCode {
    let rules = match Rules::load(&args.rules_dirs) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: invalid rules: {e}");
            return ExitCode::from(2);
        }
    };
    let all = !(args.categories
        || args.sinks
        || args.sanitizers
        || args.checks
        || args.recipients
        || args.profiles);
    if all || args.checks {
        println!("Checks:");
        for c in checks::CHECKS {
            println!("  {:<22} {:<8} {}", c.id, c.severity.as_str(), c.summary);
        }
        println!();
    }
    if all || args.categories {
        println!("Data categories (Fides taxonomy key, name, flagged in logs):");
        let mut list: Vec<_> = rules.classifier.categories().iter().collect();
        list.sort_by(|a, b| a.key.cmp(&b.key));
        for c in list {
            let kind = if c.identifier {
                "identifier"
            } else if c.pseudonymous {
                "pseudonymous, not flagged"
            } else {
                "not flagged"
            };
            println!("  {:<60} {:<32} {kind}", c.key, c.name);
        }
        println!();
    }
    if all || args.sinks {
        println!("Log sinks:");
        for (language, lr) in &rules.languages {
            for s in &lr.sinks {
                println!("  {:<8} {:<18} {}", language.name(), s.id, s.describe());
            }
        }
        println!();
    }
    if all || args.sanitizers {
        let mut words: Vec<_> = rules.sanitizer_words.iter().cloned().collect();
        words.sort();
        let mut types: Vec<_> = rules.sanitizer_types.iter().cloned().collect();
        types.sort();
        println!(
            "Sanitizers (words in a callee's name):\n  {}",
            words.join(", ")
        );
        println!("Redacting types:\n  {}", types.join(", "));
        println!();
    }
    if all || args.recipients {
        print_recipients(&rules.recipients);
    }
    if all || args.profiles {
        print_profiles(&rules.profiles);
    }
    ExitCode::SUCCESS
}
