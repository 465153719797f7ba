//! Updating the HTML preview by parts: a keystroke usually changes one section of the plan, and
//! parsing only that section's HTML keeps typing fast on large plans.

use std::cell::RefCell;

use web_sys::Element;

thread_local! {
    /// The HTML the preview shows now, when it was set by [`show`].
    static SHOWN: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// A plan this long (in bytes of HTML; a thousand KPIs make about 150 KB) is marked large.
const LARGE: usize = 100_000;

/// Tags that start a top-level part of a rendered plan article (templates/plan/*.html.j2).
const PART_STARTS: [&str; 4] = ["<header", "<section", "<footer", "</article>"];

/// Shows `html` in `preview`, replacing only the article's parts that differ from what it shows.
///
/// Anything unexpected (another shape, a different article tag, parts added or removed) replaces
/// the whole preview, so the result is always what setting the whole HTML would give.
pub fn show(preview: &Element, html: &str) {
    // Large plans are laid out lazily, section by section (see `.large` in www/style.css).
    let _ = preview.class_list().toggle_with_force("large", html.len() > LARGE);
    let patched = SHOWN.with_borrow(|shown| shown.as_deref().is_some_and(|old| patch(preview, old, html)));
    if !patched {
        super::dom::fill(preview, html);
    }
    SHOWN.set(Some(html.to_string()));
}

/// Forgets what the preview shows, for when something else replaces its content.
pub fn forget() {
    SHOWN.set(None);
    if let Some(preview) = super::dom::by_id("preview") {
        let _ = preview.class_list().remove_1("large");
    }
}

fn patch(preview: &Element, old: &str, new: &str) -> bool {
    let (old_parts, new_parts) = (parts(old), parts(new));
    // The first part is the article's opening tag, the last its closing tag and what follows.
    if old_parts.len() != new_parts.len() || old_parts.len() < 3 || old_parts[0] != new_parts[0] {
        return false;
    }
    let Some(article) = preview.first_element_child().filter(|a| a.tag_name() == "ARTICLE") else { return false };
    let children = article.children();
    if children.length() as usize != old_parts.len() - 2 || old_parts.last() != new_parts.last() {
        return false;
    }
    for (i, (old, new)) in old_parts[1..old_parts.len() - 1].iter().zip(&new_parts[1..]).enumerate() {
        if old != new {
            let Some(child) = children.item(i as u32) else { return false };
            // Trimmed: the blank lines between parts stay as they are, and do not pile up.
            child.set_outer_html(new.trim());
        }
    }
    true
}

/// Splits an article's HTML where a line starts a top-level part. User text cannot start one:
/// it is escaped, so `<` never begins a line from it.
fn parts(html: &str) -> Vec<&str> {
    let mut starts = vec![0];
    let mut at = 0;
    for line in html.split_inclusive('\n') {
        if at > 0 && PART_STARTS.iter().any(|tag| line.starts_with(tag)) {
            starts.push(at);
        }
        at += line.len();
    }
    starts.push(html.len());
    starts.windows(2).map(|w| &html[w[0]..w[1]]).collect()
}
