//! Phase timings on standard error, for benchmarks: with `PRIVLINT_TIMINGS=1` set, each phase
//! of a scan prints the time since the process started and since the phase before, so
//! `benches/scan.sh` can show where a check spends the time it takes beyond parsing.

use std::sync::Mutex;
use std::sync::OnceLock;
use std::time::Instant;

struct Clock {
    start: Instant,
    last: Mutex<Instant>,
}

fn clock() -> Option<&'static Clock> {
    static CLOCK: OnceLock<Option<Clock>> = OnceLock::new();
    CLOCK
        .get_or_init(|| {
            std::env::var_os("PRIVLINT_TIMINGS").map(|_| {
                let now = Instant::now();
                Clock {
                    start: now,
                    last: Mutex::new(now),
                }
            })
        })
        .as_ref()
}

/// Starts the clock (when timings are on); the first phase is measured from here.
pub fn start() {
    let _ = clock();
}

/// Marks the end of `phase`: prints its duration and the time since the clock started.
pub fn phase(phase: &str) {
    let Some(clock) = clock() else {
        return;
    };
    let now = Instant::now();
    let mut last = clock
        .last
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    eprintln!(
        "timing: {phase:<12} {:>8.1} ms   (at {:>8.1} ms)",
        (now - *last).as_secs_f64() * 1e3,
        (now - clock.start).as_secs_f64() * 1e3
    );
    *last = now;
}
