//! The index pages: a table of every plan, sorted by each column (one page per sort, no script),
//! and a roll-up of the findings.

use std::path::Path;

use minijinja::{context, Value};
use serde::Serialize;

use crate::plan::RiskLevel;
use crate::render::{context_value, Context};
use crate::{Engine, Severity};

/// One plan in the index.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub page: String,
    pub source: String,
    pub component: String,
    pub owner: String,
    pub tool: String,
    pub window: String,
    pub risk: RiskLevel,
    pub errors: usize,
    pub warnings: usize,
    #[serde(skip)]
    pub findings: Vec<(&'static str, &'static str, Severity)>,
    /// The row as HTML (see [`Row::render`]).
    #[serde(skip)]
    pub html: String,
}

impl Row {
    /// Renders the row's HTML once, in the worker that built its plan: every index page lists the
    /// same rows, and rendering them on each of the seven pages cost the end of a build of 10,000
    /// plans about 60 ms.
    pub fn render(mut self, engine: &Engine) -> Result<Row, crate::Error> {
        self.html = engine.templates().render("site/row.html.j2", &self)?;
        Ok(self)
    }
}

/// The sorts: (file, column id, column label).
const SORTS: &[(&str, &str, &str)] = &[
    ("index.html", "component", "Component"),
    ("by-owner.html", "owner", "Owner"),
    ("by-tool.html", "tool", "Tool"),
    ("by-window.html", "window", "Change window"),
    ("by-risk.html", "risk", "Risk"),
    ("by-errors.html", "errors", "Errors"),
    ("by-warnings.html", "warnings", "Warnings"),
];

#[derive(Serialize)]
struct Rollup {
    id: &'static str,
    rule: &'static str,
    severity: Severity,
    plans: usize,
}

/// Writes every index page into `dir`.
pub fn write(engine: &Engine, dir: &Path, rows: &[Row], failures: &[(String, String)]) -> Result<(), String> {
    let mut rollup: Vec<Rollup> = Vec::new();
    for row in rows {
        let mut seen: Vec<&str> = Vec::new();
        for (id, rule, severity) in &row.findings {
            if seen.contains(id) {
                continue;
            }
            seen.push(id);
            match rollup.iter_mut().find(|r| r.id == *id) {
                Some(r) => r.plans += 1,
                None => rollup.push(Rollup { id, rule, severity: *severity, plans: 1 }),
            }
        }
    }
    rollup.sort_by(|a, b| b.plans.cmp(&a.plans).then(a.id.cmp(b.id)));
    let html: Vec<Value> = rows.iter().map(|row| Value::from_safe_string(row.html.clone())).collect();
    let columns: Vec<Value> = SORTS.iter().map(|&(file, id, label)| context! { file, id, label }).collect();
    let failures: Vec<Value> =
        failures.iter().map(|(file, error)| context! { file => file.as_str(), error => error.as_str() }).collect();
    let totals = context! {
        plans => rows.len(),
        errors => rows.iter().map(|r| r.errors).sum::<usize>(),
        warnings => rows.iter().map(|r| r.warnings).sum::<usize>(),
    };
    let rollup = context_value(&rollup).map_err(|e| e.to_string())?;
    let page = |file: &str, key: &str| -> Result<(), String> {
        let mut order: Vec<usize> = (0..rows.len()).collect();
        order.sort_by(|&a, &b| {
            let (a, b) = (&rows[a], &rows[b]);
            let by = match key {
                "owner" => a.owner.cmp(&b.owner),
                "tool" => a.tool.cmp(&b.tool),
                "window" => a.window.cmp(&b.window),
                "risk" => b.risk.cmp(&a.risk),
                "errors" => b.errors.cmp(&a.errors),
                "warnings" => b.warnings.cmp(&a.warnings),
                _ => std::cmp::Ordering::Equal,
            };
            by.then_with(|| a.component.cmp(&b.component)).then_with(|| a.source.cmp(&b.source))
        });
        let rows: Vec<Value> = order.into_iter().map(|i| html[i].clone()).collect();
        let cx = context! {
            rows,
            sort => key,
            columns => columns.clone(),
            rollup => rollup.clone(),
            failures => failures.clone(),
            totals => totals.clone(),
            css => crate::render::PLAN_CSS,
        };
        // Streamed: a page lists every plan (2.6 MB for 10,000).
        let path = dir.join(file);
        super::write_streamed(&path, |out| {
            engine.templates().render_context_to("site/index.html.j2", &Context::from_value(cx), out)
        })
        .map_err(|e| format!("{}: {e}", path.display()))
    };
    let page = &page;
    // The pages are independent: a thread each. (A pool of one thread per core measured the same.)
    std::thread::scope(|scope| {
        let pages: Vec<_> = SORTS.iter().map(|(file, key, _)| scope.spawn(move || page(file, key))).collect();
        pages.into_iter().try_for_each(|p| p.join().unwrap_or_else(|_| Err("an index page failed".into())))
    })
}
