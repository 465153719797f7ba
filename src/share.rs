//! Sharing a plan: the page's permalink for a spec, and snippets that embed the plan in a wiki.

use crate::render::escape;
use crate::spec::Spec;

/// The page URL holding the spec: `base` (the page's address) with the permalink as its fragment.
pub fn link(base: &str, spec: &Spec) -> String {
    format!("{}#{}", base.split('#').next().unwrap_or(base), crate::permalink::encode(spec))
}

/// The address of the embed view, which shows the plan alone, next to the page at `base`.
pub fn embed_url(base: &str, spec: &Spec) -> String {
    let base = base.split('#').next().unwrap_or(base);
    let dir = match base.rfind('/') {
        Some(i) if base[..i].ends_with('/') => base, // "https://host" has no path: keep it whole
        Some(i) => &base[..=i],
        None => "",
    };
    let dir = if dir.ends_with('/') { dir.to_string() } else { format!("{dir}/") };
    format!("{dir}embed.html#{}", crate::permalink::encode(spec))
}

/// An `<iframe>` for Notion, SharePoint or any HTML that allows one.
pub fn iframe(base: &str, spec: &Spec) -> String {
    let src = escape::xml(&embed_url(base, spec));
    let title = escape::xml(&format!("Fallback plan: {}", spec.component.name));
    format!("<iframe src=\"{src}\" title=\"{title}\" width=\"100%\" height=\"900\" loading=\"lazy\"></iframe>")
}

/// Confluence Cloud's iframe macro, in storage format.
pub fn confluence_iframe(base: &str, spec: &Spec) -> String {
    let src = escape::xml(&embed_url(base, spec));
    format!(
        "<ac:structured-macro ac:name=\"iframe\"><ac:parameter ac:name=\"src\"><ri:url ri:value=\"{src}\"/></ac:parameter>\
         <ac:parameter ac:name=\"width\">100%</ac:parameter><ac:parameter ac:name=\"height\">900</ac:parameter></ac:structured-macro>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> Spec {
        crate::parse_spec("component: { name: \"a<b>\" }").unwrap()
    }

    #[test]
    fn links_and_embeds_point_at_the_page_and_its_embed_view() {
        let s = spec();
        let code = crate::permalink::encode(&s);
        assert_eq!(link("https://plans.example.com/tool/#old", &s), format!("https://plans.example.com/tool/#{code}"));
        assert_eq!(
            embed_url("https://plans.example.com/tool/index.html", &s),
            format!("https://plans.example.com/tool/embed.html#{code}")
        );
        assert_eq!(embed_url("https://plans.example.com", &s), format!("https://plans.example.com/embed.html#{code}"));
        let html = iframe("https://plans.example.com/", &s);
        assert!(html.contains("title=\"Fallback plan: a&lt;b&gt;\""), "{html}");
        assert!(confluence_iframe("https://plans.example.com/", &s)
            .contains("ri:value=\"https://plans.example.com/embed.html#v1."));
    }
}
