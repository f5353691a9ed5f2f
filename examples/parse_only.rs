//! The floor for the benchmark: discover and parse every file into facts, nothing else.
//! `cargo run --release --example parse_only -- DIR` prints files, lines and facts.

use privlint::discover::{DiscoverOptions, discover};

// Parsing and the analysis allocate many small values on several threads; mimalloc does that
// faster than the system allocator (ruff and oxc make the same choice). The parse-only floor
// uses it too, so the benchmark compares like with like.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use privlint::lang::FRONTENDS;
use rayon::prelude::*;
use std::path::PathBuf;

fn main() {
    let roots: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    let found = match discover(&roots, &DiscoverOptions::default()) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .stack_size(64 * 1024 * 1024)
        .build()
        .expect("thread pool");
    let (lines, functions) = pool.install(|| {
        found
            .files
            .par_iter()
            .map(|f| {
                let frontend = FRONTENDS
                    .iter()
                    .map(|(_, fe)| *fe)
                    .find(|fe| fe.language() == f.language)
                    .expect("discovered files have a frontend");
                let functions = frontend
                    .facts(&f.text)
                    .map_or(0, |facts| facts.functions.len());
                (f.text.lines().count(), functions)
            })
            .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
    });
    println!(
        "{} files, {lines} lines, {functions} functions",
        found.files.len()
    );
}
