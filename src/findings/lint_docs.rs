//! The lint rules' data without their documentation, for the Wasm modules of the page and the
//! importer: they report findings (id, message, fix, place) but never show a rule's reasons,
//! example files or sources, which are 60% of `templates/lint/` (56 of 94 KB raw). Used by the
//! build script, which writes the stripped files to `OUT_DIR`, and by the test that checks them.
//!
//! The files are planb's own and keep one layout (a rule's keys indented by four spaces), so a line
//! filter serves; the test reads both versions with the real parser and compares every rule.

/// The keys of a rule that only its documentation reads.
const DOCUMENTATION: &[&str] = &["why", "bad", "good", "sources"];

/// `text` without the documentation keys of its rules, and without the lines their values span.
pub fn strip(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut skipping = false;
    for line in text.lines() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        if skipping && (line.trim().is_empty() || indent > 4) {
            continue;
        }
        let key = line.trim_start().split(':').next().unwrap_or("");
        skipping = indent == 4 && line[indent..].contains(':') && DOCUMENTATION.contains(&key);
        if !skipping {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}
