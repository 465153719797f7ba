//! `planb build`: a folder of specs becomes a static site of plans.
//!
//! Every spec becomes a standalone HTML page with its Markdown, text, Confluence and JSON beside it,
//! plus index pages sorted by each column and a roll-up of the findings. One engine (one compiled
//! template environment) serves every page; specs are rendered in parallel, each file straight into
//! a buffered file as it renders, so memory stays flat however many there are.

mod index;
mod paths;

use std::fs;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::render::{Format, Link, RenderOptions, Style};
use crate::{Engine, Error, Severity};

pub use index::Row;

/// A file in an output folder that marks it as planb's, so a rebuild may replace it.
const MARKER: &str = ".planb-site";

/// The formats written beside each plan's page: (format, file suffix, link label).
const BESIDE: &[(Format, &str, &str)] = &[
    (Format::Markdown, ".md", "Markdown"),
    (Format::Text, ".txt", "Text"),
    (Format::Confluence, ".confluence.xml", "Confluence storage"),
    (Format::Json, ".json", "JSON"),
];

/// What to build.
pub struct BuildOptions {
    pub specs: PathBuf,
    pub out: PathBuf,
    /// The address of the hosted page, for "Open in editor" links.
    pub base_url: Option<String>,
    /// Build the rest when a spec is invalid (and report the failures) instead of stopping.
    pub keep_going: bool,
    /// Worker threads; 0 means one per core.
    pub jobs: usize,
}

/// What a build did.
#[derive(Debug, Default)]
pub struct BuildReport {
    pub plans: usize,
    pub failures: Vec<Failure>,
    pub errors: usize,
    pub warnings: usize,
}

/// A spec that could not be built.
#[derive(Debug)]
pub struct Failure {
    pub file: PathBuf,
    pub error: Error,
}

/// Why a build stopped before writing the site.
#[derive(Debug)]
pub enum BuildError {
    /// The folders are unusable (missing, unreadable, or not planb's to replace).
    Io(String),
    /// A spec is invalid and `keep_going` was off.
    Spec(Failure),
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BuildError::Io(message) => f.write_str(message),
            BuildError::Spec(failure) => write!(f, "{}", failure.error),
        }
    }
}

/// Builds the site; `progress(done, total)` is called as specs finish (from worker threads).
pub fn build(
    engine: &Engine,
    options: &BuildOptions,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<BuildReport, BuildError> {
    let specs = paths::spec_files(&options.specs).map_err(BuildError::Io)?;
    let names = paths::page_names(&specs);
    let tmp = paths::staging_dir(&options.out).map_err(BuildError::Io)?;
    let result = build_into(engine, options, &specs, &names, &tmp, progress);
    match result {
        Ok(report) => {
            paths::replace_dir(&tmp, &options.out, MARKER).map_err(BuildError::Io)?;
            Ok(report)
        }
        Err(e) => {
            let _ = fs::remove_dir_all(&tmp);
            Err(e)
        }
    }
}

fn build_into(
    engine: &Engine,
    options: &BuildOptions,
    specs: &[PathBuf],
    names: &[String],
    tmp: &Path,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<BuildReport, BuildError> {
    let io = |e: std::io::Error| BuildError::Io(format!("{}: {e}", tmp.display()));
    fs::create_dir_all(tmp.join("plans")).map_err(io)?;
    let jobs = match options.jobs {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    }
    .clamp(1, specs.len().max(1));
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let rows: Mutex<Vec<(usize, Row)>> = Mutex::new(Vec::with_capacity(specs.len()));
    let failures: Mutex<Vec<(usize, Failure)>> = Mutex::new(Vec::new());
    let stop = std::sync::atomic::AtomicBool::new(false);

    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= specs.len() || stop.load(Ordering::Relaxed) {
                    break;
                }
                match build_one(engine, options, &specs[i], &names[i], tmp) {
                    Ok(row) => rows.lock().unwrap_or_else(|p| p.into_inner()).push((i, row)),
                    Err(error) => {
                        if !options.keep_going {
                            stop.store(true, Ordering::Relaxed);
                        }
                        let failure = Failure { file: specs[i].clone(), error };
                        failures.lock().unwrap_or_else(|p| p.into_inner()).push((i, failure));
                    }
                }
                progress(done.fetch_add(1, Ordering::Relaxed) + 1, specs.len());
            });
        }
    });

    let mut failures = failures.into_inner().unwrap_or_else(|p| p.into_inner());
    failures.sort_by_key(|(i, _)| *i);
    let mut failures: Vec<Failure> = failures.into_iter().map(|(_, f)| f).collect();
    if !options.keep_going && !failures.is_empty() {
        return Err(BuildError::Spec(failures.remove(0)));
    }
    let mut rows = rows.into_inner().unwrap_or_else(|p| p.into_inner());
    rows.sort_by_key(|(i, _)| *i);
    let rows: Vec<Row> = rows.into_iter().map(|(_, r)| r).collect();
    let failed: Vec<(String, String)> =
        failures.iter().map(|f| (relative(&options.specs, &f.file), f.error.to_string())).collect();
    index::write(engine, tmp, &rows, &failed).map_err(BuildError::Io)?;
    Ok(BuildReport {
        plans: rows.len(),
        errors: rows.iter().map(|r| r.errors).sum(),
        warnings: rows.iter().map(|r| r.warnings).sum(),
        failures,
    })
}

/// Builds one spec's page and files; returns its index row.
fn build_one(engine: &Engine, options: &BuildOptions, file: &Path, name: &str, tmp: &Path) -> Result<Row, Error> {
    let origin = relative(&options.specs, file);
    let text = fs::read_to_string(file)
        .map_err(|e| Error::new(crate::ErrorKind::InvalidSpec, format!("cannot read: {e}")).with_origin(&origin))?;
    let spec = crate::parse_spec(&text).map_err(|e| e.with_origin(&origin))?;
    let prepared = engine.prepare(&spec)?;
    let plan = prepared.plan();
    let templates = engine.templates();
    let dir = tmp.join("plans");
    let mut nav = vec![Link { label: "All plans".into(), href: "../index.html".into() }];
    if let Some(base) = &options.base_url {
        nav.push(Link { label: "Open in editor".into(), href: crate::share::link(base, &spec) });
    }
    for (_, suffix, label) in BESIDE {
        nav.push(Link { label: (*label).into(), href: format!("{name}{suffix}") });
    }
    let page = (Format::Html, ".html", &nav[..]);
    let files = BESIDE.iter().map(|(format, suffix, _)| (*format, *suffix, &[][..])).chain([page]);
    let written = files.clone().try_for_each(|(format, suffix, nav)| {
        let options = RenderOptions { format, style: Style::Detailed };
        write_streamed(&dir.join(format!("{name}{suffix}")), |out| {
            templates.render_prepared_to(&prepared, options, nav, out)
        })
        .map_err(|e| Error::new(crate::ErrorKind::Render, format!("cannot write {name}{suffix}: {e}")))
    });
    if let Err(e) = written {
        // No part of a failed plan is left behind (it matters with `--keep-going`).
        files.for_each(|(_, suffix, _)| drop(fs::remove_file(dir.join(format!("{name}{suffix}")))));
        return Err(e);
    }
    Row {
        page: format!("plans/{name}.html"),
        source: origin,
        component: plan.component.name.clone(),
        owner: plan.component.owner_team.clone(),
        tool: plan.tool.name.clone(),
        window: plan.change.window.clone(),
        risk: plan.risk.level,
        errors: plan.findings.iter().filter(|f| f.severity == Severity::Error).count(),
        warnings: plan.findings.iter().filter(|f| f.severity == Severity::Warning).count(),
        findings: plan.findings.iter().map(|f| (f.id, f.rule, f.severity)).collect(),
        html: String::new(),
    }
    .render(engine)
}

/// Creates `file` and renders into it as the render goes, through a buffer (streaming writes: no
/// page is held whole in memory, or copied as a string grows).
fn write_streamed(
    file: &Path,
    render: impl FnOnce(&mut crate::render::BufferedFile) -> Result<(), Error>,
) -> Result<(), String> {
    let mut out = BufWriter::with_capacity(64 * 1024, fs::File::create(file).map_err(|e| e.to_string())?);
    render(&mut out).map_err(|e| e.message)?;
    out.into_inner().map(drop).map_err(|e| e.error().to_string())
}

fn relative(root: &Path, file: &Path) -> String {
    file.strip_prefix(root).unwrap_or(file).to_string_lossy().replace('\\', "/")
}
