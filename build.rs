//! Writes the lint rules' data without their documentation to `OUT_DIR/lint/` for the Wasm modules
//! of the page and the importer (see src/findings/lint_docs.rs for why).

#[path = "src/findings/lint_docs.rs"]
mod lint_docs;

fn main() {
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("lint");
    std::fs::create_dir_all(&out).expect("OUT_DIR is writable");
    println!("cargo:rerun-if-changed=templates/lint");
    println!("cargo:rerun-if-changed=src/findings/lint_docs.rs");
    let mut entries: Vec<_> = std::fs::read_dir("templates/lint").expect("templates/lint").flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let text = std::fs::read_to_string(entry.path()).expect("a lint file reads");
        std::fs::write(out.join(entry.file_name()), lint_docs::strip(&text)).expect("OUT_DIR is writable");
    }
}
