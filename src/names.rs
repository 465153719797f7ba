//! Names as the tools accept them: a Kubernetes object name, a Harness identifier. Snippets print
//! them through template filters, and plans through placeholders, so both spell a name the same way.

/// A Kubernetes object name (RFC 1123 label): lowercase letters, digits and `-`, starting and
/// ending with a letter or digit, at most 63 characters; `planb` when nothing of `s` is left.
pub fn kubernetes_name(s: &str) -> String {
    let mut name = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        match c {
            'a'..='z' | '0'..='9' => name.push(c),
            _ if !name.is_empty() && !name.ends_with('-') => name.push('-'),
            _ => {}
        }
    }
    name.truncate(63);
    let name = name.trim_end_matches('-');
    if name.is_empty() {
        "planb".to_string()
    } else {
        name.to_string()
    }
}

/// A Harness-style identifier: letters, digits and underscores, starting with a letter.
pub fn identifier(s: &str) -> String {
    let mut id: String = s.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
    if !id.starts_with(|c: char| c.is_ascii_alphabetic()) {
        id.insert_str(0, "planb_");
    }
    id.truncate(64);
    id
}

#[cfg(test)]
mod tests {
    #[test]
    fn kubernetes_names_keep_only_what_an_rfc_1123_label_allows() {
        assert_eq!(super::kubernetes_name("Payments API"), "payments-api");
        assert_eq!(super::kubernetes_name("--a__b.c--"), "a-b-c");
        assert_eq!(super::kubernetes_name("ÉTÉ"), "t");
        assert_eq!(super::kubernetes_name("ÉÉ"), "planb");
        assert_eq!(super::kubernetes_name(&"x".repeat(70)).len(), 63);
        assert_eq!(super::kubernetes_name(&format!("{}-y", "x".repeat(62))), "x".repeat(62));
    }
}
