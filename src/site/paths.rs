//! Finding the specs, naming their pages, and swapping the finished site into place.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// Every spec under `dir` (`.yaml`, `.yml`, `.json`), recursively, sorted; hidden entries are skipped.
pub fn spec_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    if !dir.is_dir() {
        return Err(format!("{}: not a folder of specs", dir.display()));
    }
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = fs::read_dir(&d).map_err(|e| format!("{}: cannot read: {e}", d.display()))?;
        for entry in entries {
            let entry = entry.map_err(|e| format!("{}: cannot read: {e}", d.display()))?;
            let path = entry.path();
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            // The entry's type comes with the listing; only a link needs a look at what it points to
            // (a stat of every file took a tenth of the fixed cost of a build).
            let kind = entry.file_type().map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
            if kind.is_dir() || (kind.is_symlink() && path.is_dir()) {
                stack.push(path);
            } else if matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json")) {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// A safe, unique file name for each spec, from its path: `team/payments api.yaml` → `team-payments-api`.
pub fn page_names(specs: &[PathBuf]) -> Vec<String> {
    let root = common_root(specs);
    let mut used: BTreeMap<String, usize> = BTreeMap::new();
    specs
        .iter()
        .map(|p| {
            let rel = p.strip_prefix(&root).unwrap_or(p).with_extension("");
            let base = slug(&rel.to_string_lossy());
            let n = used.entry(base.clone()).or_insert(0);
            *n += 1;
            if *n == 1 {
                base
            } else {
                format!("{base}-{n}")
            }
        })
        .collect()
}

fn common_root(specs: &[PathBuf]) -> PathBuf {
    specs.first().and_then(|p| p.parent()).map(Path::to_path_buf).map_or_else(PathBuf::new, |mut root| {
        while !specs.iter().all(|p| p.starts_with(&root)) {
            if !root.pop() {
                break;
            }
        }
        root
    })
}

/// Lowercase ASCII letters and digits, words joined by single dashes, at most 80 characters.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out: String = out.trim_end_matches('-').chars().take(80).collect();
    if out.is_empty() {
        "plan".to_string()
    } else {
        out.trim_end_matches('-').to_string()
    }
}

/// A fresh folder beside `out` to build in, so a failed build never touches the old site.
pub fn staging_dir(out: &Path) -> Result<PathBuf, String> {
    let parent = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(|e| format!("{}: cannot create: {e}", parent.display()))?;
    let name = out.file_name().map_or("site".into(), |n| n.to_string_lossy().into_owned());
    let tmp = parent.join(format!(".{name}.planb-{}", std::process::id()));
    let _ = fs::remove_dir_all(&tmp);
    Ok(tmp)
}

/// Replaces `out` with the finished `tmp`. An existing `out` is replaced only when it is empty or
/// was made by planb (it holds `marker`): planb never deletes a folder it did not write.
pub fn replace_dir(tmp: &Path, out: &Path, marker: &str) -> Result<(), String> {
    fs::write(tmp.join(marker), "This folder is written by `planb build`; a rebuild replaces it.\n")
        .map_err(|e| format!("{}: {e}", tmp.display()))?;
    if out.exists() {
        let ours = out.join(marker).exists();
        let empty = fs::read_dir(out).map(|mut d| d.next().is_none()).unwrap_or(false);
        if !ours && !empty {
            let _ = fs::remove_dir_all(tmp);
            return Err(format!(
                "{}: exists and was not written by planb build; choose another output folder or remove it",
                out.display()
            ));
        }
        fs::remove_dir_all(out).map_err(|e| format!("{}: cannot remove the old site: {e}", out.display()))?;
    }
    fs::rename(tmp, out).map_err(|e| format!("{}: cannot move the new site into place: {e}", out.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_safe_and_names_unique() {
        assert_eq!(slug("Team A/Payments API (v2)"), "team-a-payments-api-v2");
        assert_eq!(slug("../../etc/passwd"), "etc-passwd");
        assert_eq!(slug("日本"), "plan");
        let specs: Vec<PathBuf> = ["/s/a_b.yaml", "/s/a-b.json", "/s/x/c.yaml"].iter().map(PathBuf::from).collect();
        assert_eq!(page_names(&specs), ["a-b", "a-b-2", "x-c"]);
    }
}
