//! `planb build` on the terminal: a progress bar for builds that take a while, then one summary line.

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use planb::site::{self, BuildError, BuildOptions};
use planb::Engine;

use planb::cli::output::{self, Paint};
use planb::cli::{exit, Host, Stream};

/// The bar appears only after this long, so quick builds stay quiet.
const SHOW_AFTER: Duration = Duration::from_secs(1);

pub fn run(host: &dyn Host, engine: &Engine, options: &BuildOptions) -> Result<i32, String> {
    let started = Instant::now();
    let terminal = std::io::stderr().is_terminal();
    let bar: Mutex<Option<ProgressBar>> = Mutex::new(None);
    let progress = |done: usize, total: usize| {
        if !terminal || started.elapsed() < SHOW_AFTER {
            return;
        }
        let mut bar = bar.lock().unwrap_or_else(|p| p.into_inner());
        let bar = bar.get_or_insert_with(|| {
            let b = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
            if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} plans  {per_sec}  eta {eta}") {
                b.set_style(style);
            }
            b
        });
        bar.set_position(done as u64);
    };
    let result = site::build(engine, options, &progress);
    if let Some(bar) = bar.lock().unwrap_or_else(|p| p.into_inner()).take() {
        bar.finish_and_clear();
    }
    let elapsed = started.elapsed();
    match result {
        Err(BuildError::Io(message)) => Err(message),
        Err(BuildError::Spec(failure)) => {
            Err(format!("{} (nothing was written; --keep-going builds the rest)", failure.error))
        }
        Ok(report) => {
            for failure in &report.failures {
                output::error(host, &failure.error.to_string());
            }
            let paint = Paint::of(host, Stream::Stdout);
            let rate = report.plans as f64 / elapsed.as_secs_f64().max(1e-9);
            let failed = if report.failures.is_empty() {
                String::new()
            } else {
                paint.red(&format!(", {} failed", output::counted(report.failures.len(), "spec", "specs")))
            };
            println!(
                "built {} into {} in {:.2}s ({:.0} plans/s): {}, {}{failed}",
                output::counted(report.plans, "plan", "plans"),
                options.out.display(),
                elapsed.as_secs_f64(),
                rate,
                output::counted(report.errors, "error", "errors"),
                output::counted(report.warnings, "warning", "warnings"),
            );
            Ok(if report.failures.is_empty() { exit::OK } else { exit::FINDINGS })
        }
    }
}
