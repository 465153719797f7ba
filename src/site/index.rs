//! The index pages: a table of every plan, sorted by each column (one page per sort, no script),
//! and a roll-up of the findings.

use std::fs;
use std::path::Path;

use serde::Serialize;

use crate::plan::RiskLevel;
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
    let columns: Vec<serde_json::Value> =
        SORTS.iter().map(|(file, id, label)| serde_json::json!({ "file": file, "id": id, "label": label })).collect();
    for (file, key, _) in SORTS {
        let mut sorted: Vec<&Row> = rows.iter().collect();
        sorted.sort_by(|a, b| {
            let by = match *key {
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
        let cx = serde_json::json!({
            "rows": sorted,
            "sort": key,
            "columns": columns,
            "rollup": rollup,
            "failures": failures.iter().map(|(f, e)| serde_json::json!({ "file": f, "error": e })).collect::<Vec<_>>(),
            "totals": {
                "plans": rows.len(),
                "errors": rows.iter().map(|r| r.errors).sum::<usize>(),
                "warnings": rows.iter().map(|r| r.warnings).sum::<usize>(),
            },
            "css": crate::render::PLAN_CSS,
        });
        let html = engine.templates().render_json("site/index.html.j2", &cx).map_err(|e| e.to_string())?;
        fs::write(dir.join(file), html).map_err(|e| format!("{}: {e}", dir.join(file).display()))?;
    }
    Ok(())
}
