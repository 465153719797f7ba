//! Golden snapshots of every example spec, in every format and style, and determinism.

use planb::{Engine, Format, RenderOptions, Style};

fn render(path: &std::path::Path, format: Format, style: Style) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let spec = planb::parse_spec(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Engine::new().unwrap().render(&spec, RenderOptions { format, style }).unwrap()
}

macro_rules! snapshot_test {
    ($name:ident, $format:expr, $style:expr) => {
        #[test]
        fn $name() {
            insta::glob!("../examples", "*.{yaml,json}", |path| {
                insta::assert_snapshot!(render(path, $format, $style));
            });
        }
    };
}

snapshot_test!(detailed_markdown, Format::Markdown, Style::Detailed);
snapshot_test!(brief_markdown, Format::Markdown, Style::Brief);
snapshot_test!(detailed_text, Format::Text, Style::Detailed);
snapshot_test!(brief_text, Format::Text, Style::Brief);
snapshot_test!(html_document, Format::Html, Style::Detailed);
snapshot_test!(html_fragment, Format::HtmlFragment, Style::Detailed);
snapshot_test!(confluence, Format::Confluence, Style::Detailed);
snapshot_test!(wiki, Format::Wiki, Style::Detailed);
snapshot_test!(slack_brief, Format::Slack, Style::Brief);
snapshot_test!(slack_detailed, Format::Slack, Style::Detailed);
snapshot_test!(servicenow, Format::Servicenow, Style::Detailed);
snapshot_test!(json, Format::Json, Style::Detailed);
snapshot_test!(mermaid, Format::Mermaid, Style::Detailed);
snapshot_test!(svg, Format::Svg, Style::Detailed);

#[test]
fn the_same_spec_renders_the_same_bytes_with_separate_engines() {
    for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/examples")).unwrap() {
        let path = entry.unwrap().path();
        for info in planb::render::FORMATS {
            let first = render(&path, info.format, Style::Detailed);
            let second = render(&path, info.format, Style::Detailed);
            assert_eq!(first, second, "{} {}", path.display(), info.key);
        }
    }
}

#[test]
fn there_are_examples_for_each_required_case() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples");
    let names: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    for required in [
        "harness-canary-first-deploy.yaml",
        "harness-blue-green-destructive.yaml",
        "harness-rolling-no-kill-switch.yaml",
        "argo-rollouts-canary.yaml",
        "minimal.yaml",
    ] {
        assert!(names.iter().any(|n| n == required), "examples/{required} is missing");
    }
}

#[test]
fn every_example_file_is_embedded_for_the_page() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples");
    let mut on_disk: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    on_disk.sort();
    let mut embedded: Vec<String> = planb::examples::ALL.iter().map(|(n, _)| n.to_string()).collect();
    embedded.sort();
    assert_eq!(embedded, on_disk);
}
