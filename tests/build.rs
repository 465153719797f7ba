//! `planb build`: a folder of specs becomes a static site, deterministically and safely.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use planb::{Format, RenderOptions, Style};

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// A folder of specs: the examples, one in a subfolder, and any extra (name, text) files.
fn specs(dir: &Path, extra: &[(&str, &str)]) -> PathBuf {
    let specs = dir.join("specs");
    fs::create_dir_all(specs.join("team")).unwrap();
    for (name, text) in planb::examples::ALL {
        fs::write(specs.join(name), text).unwrap();
    }
    fs::write(specs.join("team/minimal.yaml"), "component: { name: inventory-sync }\n").unwrap();
    fs::write(specs.join(".hidden.yaml"), "not: a spec").unwrap();
    fs::write(specs.join("notes.txt"), "ignored").unwrap();
    for (name, text) in extra {
        fs::write(specs.join(name), text).unwrap();
    }
    specs
}

fn planb(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_planb")).args(args).env("NO_COLOR", "1").output().unwrap();
    (out.status.code().unwrap(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(p.strip_prefix(dir).unwrap().to_string_lossy().into_owned(), fs::read(&p).unwrap());
            }
        }
    }
    out
}

#[test]
fn every_spec_gets_a_page_and_its_formats_and_the_index_lists_them() {
    let dir = scratch("build-basic");
    let specs = specs(&dir, &[]);
    let site = dir.join("site");
    let (code, stdout, _) = planb(&[
        "build",
        specs.to_str().unwrap(),
        "-o",
        site.to_str().unwrap(),
        "--base-url",
        "https://plans.example.com/",
    ]);
    assert_eq!(code, 0);
    let n = planb::examples::ALL.len() + 1;
    assert!(stdout.starts_with(&format!("built {n} plans into ")), "{stdout}");
    let files = tree(&site);
    for name in ["harness-canary-first-deploy", "team-minimal"] {
        for suffix in [".html", ".md", ".txt", ".confluence.xml", ".json"] {
            assert!(files.contains_key(&format!("plans/{name}{suffix}")), "{name}{suffix}");
        }
    }
    assert!(!files.keys().any(|f| f.contains("hidden") || f.contains("notes")));
    let page = String::from_utf8(files["plans/harness-canary-first-deploy.html"].clone()).unwrap();
    assert!(page.contains("href=\"https://plans.example.com/#v1."), "Open in editor link");
    assert!(page.contains("href=\"harness-canary-first-deploy.md\""));
    assert!(!page.contains("<script"));
    // Files are streamed as they render; each is byte for byte the format rendered to a string.
    let engine = planb::Engine::new().unwrap();
    let text = planb::examples::ALL.iter().find(|(n, _)| n.starts_with("harness-canary-first-deploy")).unwrap().1;
    let prepared = engine.prepare(&planb::parse_spec(text).unwrap()).unwrap();
    for (suffix, format) in [
        (".md", Format::Markdown),
        (".txt", Format::Text),
        (".confluence.xml", Format::Confluence),
        (".json", Format::Json),
    ] {
        let options = RenderOptions { format, style: Style::Detailed };
        let rendered = engine.templates().render_prepared(&prepared, options, &[]).unwrap();
        let file = &files[&format!("plans/harness-canary-first-deploy{suffix}")];
        assert!(file == rendered.as_bytes(), "{suffix} differs from the format rendered to a string");
    }
    let index = String::from_utf8(files["index.html"].clone()).unwrap();
    assert_eq!(index.matches("<tr><td><a href=\"plans/").count(), n);
    assert!(index.contains("PB001"), "findings roll-up");
    let by_risk = String::from_utf8(files["by-risk.html"].clone()).unwrap();
    let first_row = by_risk.split("<tbody>").nth(1).unwrap();
    assert!(first_row.find("ledger-service").unwrap() < first_row.find("payments-api").unwrap(), "critical first");
}

#[test]
fn builds_are_byte_identical_and_remove_stale_files() {
    let dir = scratch("build-determinism");
    let specs = specs(&dir, &[]);
    let site = dir.join("site");
    let arg = |p: &Path| p.to_str().unwrap().to_string();
    assert_eq!(planb(&["build", &arg(&specs), "-o", &arg(&site), "--jobs", "1"]).0, 0);
    let first = tree(&site);
    fs::remove_file(specs.join("minimal.yaml")).unwrap();
    fs::write(site.join("plans/stale.html"), "old").unwrap();
    assert_eq!(planb(&["build", &arg(&specs), "-o", &arg(&site), "--jobs", "2"]).0, 0);
    let second = tree(&site);
    assert!(!second.contains_key("plans/stale.html") && !second.contains_key("plans/minimal.html"));
    for (file, bytes) in &second {
        if !file.starts_with("by-") && *file != "index.html" {
            assert_eq!(Some(bytes), first.get(file), "{file} differs between builds");
        }
    }
    fs::write(specs.join("minimal.yaml"), planb::examples::ALL.iter().find(|(n, _)| *n == "minimal.yaml").unwrap().1)
        .unwrap();
    assert_eq!(planb(&["build", &arg(&specs), "-o", &arg(&site), "--jobs", "2"]).0, 0);
    assert_eq!(tree(&site), first, "same specs, same site, whatever the thread count");
}

#[test]
fn a_bad_spec_fails_the_build_naming_file_line_and_column_and_keeps_the_old_site() {
    let dir = scratch("build-broken");
    let specs = specs(&dir, &[]);
    let site = dir.join("site");
    let arg = |p: &Path| p.to_str().unwrap().to_string();
    assert_eq!(planb(&["build", &arg(&specs), "-o", &arg(&site)]).0, 0);
    let before = tree(&site);
    fs::write(specs.join("team/broken.yaml"), "component:\n  name: x\nrollout:\n  steps: [10, 150]\n").unwrap();
    let (code, _, stderr) = planb(&["build", &arg(&specs), "-o", &arg(&site)]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("team/broken.yaml:4:15: rollout.steps[1]: expected a percentage 1–100, found 150"),
        "{stderr}"
    );
    assert_eq!(tree(&site), before, "the old site is untouched");
    assert!(
        fs::read_dir(&dir).unwrap().all(|e| !e.unwrap().file_name().to_string_lossy().contains("planb-")),
        "no staging folder left"
    );

    let (code, stdout, stderr) = planb(&["build", &arg(&specs), "-o", &arg(&site), "--keep-going"]);
    assert_eq!(code, 1);
    assert!(stdout.contains("1 spec failed"), "{stdout}");
    assert!(stderr.contains("team/broken.yaml:4:15"), "{stderr}");
    let index = String::from_utf8(fs::read(site.join("index.html")).unwrap()).unwrap();
    assert!(index.contains("Specs that could not be built") && index.contains("team/broken.yaml"));
    assert!(site.join("plans/harness-canary-first-deploy.html").exists(), "the rest was built");
}

#[test]
fn a_folder_planb_did_not_write_is_never_replaced() {
    let dir = scratch("build-foreign");
    let specs = specs(&dir, &[]);
    let site = dir.join("site");
    fs::create_dir_all(&site).unwrap();
    fs::write(site.join("precious.txt"), "keep me").unwrap();
    let (code, _, stderr) = planb(&["build", specs.to_str().unwrap(), "-o", site.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(stderr.contains("was not written by planb build"), "{stderr}");
    assert_eq!(fs::read_to_string(site.join("precious.txt")).unwrap(), "keep me");
}

#[test]
fn hostile_names_make_safe_files_and_escaped_pages() {
    let dir = scratch("build-hostile");
    let specs = specs(&dir, &[("Evil name (1) &amp;.yaml", "component: { name: \"<script>alert(1)</script>\" }\n")]);
    let site = dir.join("site");
    assert_eq!(planb(&["build", specs.to_str().unwrap(), "-o", site.to_str().unwrap()]).0, 0);
    let files = tree(&site);
    assert!(
        files.keys().all(|f| f.chars().all(|c| c.is_ascii_alphanumeric() || "-./_".contains(c))),
        "{:?}",
        files.keys()
    );
    let index = String::from_utf8(files["index.html"].clone()).unwrap();
    assert!(!index.contains("<script>alert(1)") && index.contains("&lt;script&gt;alert(1)"));
}

#[test]
fn one_plan_is_counted_as_one() {
    let dir = scratch("build-one");
    let specs = dir.join("specs");
    fs::create_dir_all(&specs).unwrap();
    fs::write(specs.join("only.yaml"), "component: { name: only }\n").unwrap();
    let site = dir.join("site");
    let (code, stdout, _) = planb(&["build", specs.to_str().unwrap(), "-o", site.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("built 1 plan into "), "{stdout}");
    let index = fs::read_to_string(site.join("index.html")).unwrap();
    assert!(index.contains("<p>1 plan. Errors: "), "{index}");
}
