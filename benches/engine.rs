//! Criterion benchmarks of the engine: render one detailed plan, check one spec, build one site page,
//! import each pipeline fixture and plan it. Run with `cargo bench --bench engine` (or
//! `cargo bench --bench engine -- import` for the imports alone); figures are printed, nothing is
//! asserted.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use planb::render::{Format, RenderOptions, Style, Syntax};
use planb::Engine;

fn detailed_spec() -> planb::Spec {
    planb::parse_spec(include_str!("../examples/harness-canary-first-deploy.yaml")).unwrap()
}

fn benches(c: &mut Criterion) {
    let engine = Engine::new().unwrap();
    let spec = detailed_spec();
    let plan = engine.plan(&spec).unwrap();
    let prepared = engine.prepare(&spec).unwrap();
    let text = include_str!("../examples/harness-canary-first-deploy.yaml");
    let json = serde_json::to_string(&spec).unwrap();

    c.bench_function("parse a detailed spec (YAML)", |b| b.iter(|| planb::parse_spec(black_box(text)).unwrap()));
    c.bench_function("parse a detailed spec (JSON)", |b| b.iter(|| planb::parse_spec(black_box(&json)).unwrap()));
    c.bench_function("check a spec (findings)", |b| b.iter(|| engine.check(black_box(&spec))));
    c.bench_function("plan a spec (findings, ladder, messages, snippet)", |b| {
        b.iter(|| engine.plan(black_box(&spec)).unwrap())
    });
    c.bench_function("prepare a spec (plan, converted for the templates)", |b| {
        b.iter(|| engine.prepare(black_box(&spec)).unwrap())
    });
    for (name, format) in [
        ("markdown", Format::Markdown),
        ("text", Format::Text),
        ("confluence", Format::Confluence),
        ("json", Format::Json),
        ("html fragment", Format::HtmlFragment),
        ("standalone html", Format::Html),
    ] {
        let options = RenderOptions { format, style: Style::Detailed };
        c.bench_function(&format!("render a prepared detailed plan ({name})"), |b| {
            b.iter(|| engine.templates().render_prepared(black_box(&prepared), options, &[]).unwrap())
        });
    }
    c.bench_function("render a planned detailed plan, converting it (markdown)", |b| {
        b.iter(|| engine.render_plan(black_box(&plan), RenderOptions::default()).unwrap())
    });
    // Escaping is a tenth of a render: every value a template prints goes through it. The tool
    // knowledge is the prose plans print most.
    let prose = planb::docs::tools_markdown(&planb::tools::Knowledge::load().unwrap());
    for syntax in [Syntax::Text, Syntax::Markdown, Syntax::Xml] {
        c.bench_function(&format!("escape {} KB of prose ({})", prose.len() / 1000, syntax.name()), |b| {
            b.iter(|| syntax.escape(black_box(&prose)))
        });
    }
    // Issue 18's goal: import + plan of a pipeline file in ≤ 1 ms (median), for each fixture of
    // tests/pipelines (a file read alone, or a folder's files together).
    for (name, files) in pipeline_fixtures() {
        let given: Vec<planb::pipeline::PipelineFile> =
            files.iter().map(|(n, t)| planb::pipeline::PipelineFile { name: n, text: t }).collect();
        c.bench_function(&format!("import + plan {name}"), |b| {
            b.iter(|| {
                let imported = engine.import(black_box(&given)).unwrap();
                let spec = planb::parse_spec(&imported.spec).unwrap();
                (engine.plan(&spec).unwrap(), imported.findings)
            })
        });
    }
    c.bench_function("spec text to detailed Markdown (everything)", |b| {
        b.iter(|| {
            let spec = planb::parse_spec(black_box(text)).unwrap();
            engine.render(&spec, RenderOptions::default()).unwrap()
        })
    });
}

/// The fixtures of tests/pipelines/<tool>/: each file alone, or each folder's files together.
fn pipeline_fixtures() -> Vec<(String, Vec<(String, String)>)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/pipelines");
    let sorted = |dir: &std::path::Path| {
        let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
        entries.sort();
        entries
    };
    let read = |p: &std::path::Path| (p.display().to_string(), std::fs::read_to_string(p).unwrap());
    let mut out = Vec::new();
    for tool in sorted(&root).into_iter().filter(|p| p.is_dir()) {
        for entry in sorted(&tool) {
            let name = entry.strip_prefix(&root).unwrap().display().to_string();
            let files =
                if entry.is_dir() { sorted(&entry).iter().map(|p| read(p)).collect() } else { vec![read(&entry)] };
            out.push((name, files));
        }
    }
    out
}

criterion_group!(engine_benches, benches);
criterion_main!(engine_benches);
