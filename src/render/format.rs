//! The output formats: what each is called, which templates render it, how it is downloaded.

use serde::{Deserialize, Serialize};

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// GitHub / GitLab flavoured Markdown.
    #[default]
    Markdown,
    /// Plain text, for email and chat.
    Text,
    /// One self-contained HTML file: inline CSS, no script, printable.
    Html,
    /// The plan as an HTML `<article>`, as the page and the embed view show it.
    HtmlFragment,
    /// Confluence storage format (XHTML with core macros), for the storage editor and the REST API.
    Confluence,
    /// Confluence and Jira wiki markup.
    Wiki,
    /// Slack mrkdwn.
    Slack,
    /// ServiceNow change request fields, as JSON keyed by field name.
    Servicenow,
    /// The whole plan with its findings, as JSON (`schema/plan.schema.json`).
    Json,
    /// The fallback ladder as a Mermaid flowchart.
    Mermaid,
    /// The fallback ladder as an SVG picture.
    Svg,
    /// The plan as a checklist for the change window, in plain text: numbered steps, each with a box
    /// and blanks for the time and initials, to print or paste.
    Checklist,
    /// The checklist in Markdown, its boxes task-list items.
    ChecklistMarkdown,
}

/// How much to say: a short reply, or the whole plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Style {
    Brief,
    #[default]
    Detailed,
}

/// What to render; the CLI's `--format` and `--style`, the page's tabs and the Wasm API share it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct RenderOptions {
    pub format: Format,
    pub style: Style,
}

/// Facts about one format.
pub struct FormatInfo {
    pub format: Format,
    /// The CLI's spelling (`--format`).
    pub key: &'static str,
    pub label: &'static str,
    /// The file extension of downloads.
    pub extension: &'static str,
    pub media_type: &'static str,
    /// Whether a brief style exists; formats without one always render the whole plan.
    pub has_brief: bool,
}

/// Every format, in the order the CLI's help and the page list them.
pub const FORMATS: &[FormatInfo] = &[
    FormatInfo {
        format: Format::Markdown,
        key: "markdown",
        label: "Markdown",
        extension: "md",
        media_type: "text/markdown;charset=utf-8",
        has_brief: true,
    },
    FormatInfo {
        format: Format::Text,
        key: "text",
        label: "Plain text",
        extension: "txt",
        media_type: "text/plain;charset=utf-8",
        has_brief: true,
    },
    FormatInfo {
        format: Format::Html,
        key: "html",
        label: "HTML file",
        extension: "html",
        media_type: "text/html;charset=utf-8",
        has_brief: true,
    },
    FormatInfo {
        format: Format::HtmlFragment,
        key: "html-fragment",
        label: "HTML fragment",
        extension: "html",
        media_type: "text/html;charset=utf-8",
        has_brief: true,
    },
    FormatInfo {
        format: Format::Confluence,
        key: "confluence",
        label: "Confluence storage",
        extension: "xml",
        media_type: "application/xml;charset=utf-8",
        has_brief: false,
    },
    FormatInfo {
        format: Format::Wiki,
        key: "wiki",
        label: "Confluence/Jira wiki",
        extension: "txt",
        media_type: "text/plain;charset=utf-8",
        has_brief: false,
    },
    FormatInfo {
        format: Format::Slack,
        key: "slack",
        label: "Slack",
        extension: "txt",
        media_type: "text/plain;charset=utf-8",
        has_brief: true,
    },
    FormatInfo {
        format: Format::Servicenow,
        key: "servicenow",
        label: "ServiceNow fields",
        extension: "json",
        media_type: "application/json",
        has_brief: false,
    },
    FormatInfo {
        format: Format::Json,
        key: "json",
        label: "JSON",
        extension: "json",
        media_type: "application/json",
        has_brief: false,
    },
    FormatInfo {
        format: Format::Mermaid,
        key: "mermaid",
        label: "Mermaid",
        extension: "mmd",
        media_type: "text/plain;charset=utf-8",
        has_brief: false,
    },
    FormatInfo {
        format: Format::Svg,
        key: "svg",
        label: "SVG picture",
        extension: "svg",
        media_type: "image/svg+xml",
        has_brief: false,
    },
    FormatInfo {
        format: Format::Checklist,
        key: "checklist",
        label: "Checklist",
        extension: "txt",
        media_type: "text/plain;charset=utf-8",
        has_brief: false,
    },
    FormatInfo {
        format: Format::ChecklistMarkdown,
        key: "checklist-markdown",
        label: "Checklist (Markdown)",
        extension: "md",
        media_type: "text/markdown;charset=utf-8",
        has_brief: false,
    },
];

impl Format {
    pub fn info(self) -> &'static FormatInfo {
        // Every variant has a row; the test below keeps it so.
        FORMATS.iter().find(|f| f.format == self).unwrap_or(&FORMATS[0])
    }

    pub fn key(self) -> &'static str {
        self.info().key
    }

    pub fn extension(self) -> &'static str {
        self.info().extension
    }

    pub fn media_type(self) -> &'static str {
        self.info().media_type
    }

    /// The format with this CLI spelling.
    pub fn from_key(key: &str) -> Option<Format> {
        FORMATS.iter().find(|f| f.key == key).map(|f| f.format)
    }
}

impl Style {
    pub fn key(self) -> &'static str {
        match self {
            Style::Brief => "brief",
            Style::Detailed => "detailed",
        }
    }
}

/// One output the page offers as a tab.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Output {
    pub id: &'static str,
    pub label: &'static str,
    pub options: RenderOptions,
}

const fn output(id: &'static str, label: &'static str, format: Format, style: Style) -> Output {
    Output { id, label, options: RenderOptions { format, style } }
}

/// Every output the page shows, in tab order.
pub const OUTPUTS: &[Output] = &[
    output("plan", "Plan", Format::HtmlFragment, Style::Detailed),
    output("reply", "Short reply", Format::Text, Style::Brief),
    output("markdown", "Markdown", Format::Markdown, Style::Detailed),
    output("markdown-brief", "Markdown (brief)", Format::Markdown, Style::Brief),
    output("text", "Text", Format::Text, Style::Detailed),
    output("html", "HTML file", Format::Html, Style::Detailed),
    output("confluence", "Confluence", Format::Confluence, Style::Detailed),
    output("wiki", "Wiki markup", Format::Wiki, Style::Detailed),
    output("servicenow", "ServiceNow", Format::Servicenow, Style::Detailed),
    output("slack", "Slack", Format::Slack, Style::Brief),
    output("mermaid", "Mermaid", Format::Mermaid, Style::Detailed),
    output("svg", "Picture", Format::Svg, Style::Detailed),
    output("json", "JSON", Format::Json, Style::Detailed),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_has_one_row_and_a_unique_key() {
        for (i, f) in FORMATS.iter().enumerate() {
            assert_eq!(f.format.info().key, f.key);
            assert_eq!(Format::from_key(f.key), Some(f.format));
            assert!(FORMATS[..i].iter().all(|g| g.key != f.key && g.format != f.format), "{} twice", f.key);
        }
        let json = serde_json::to_value(FORMATS.iter().map(|f| f.format).collect::<Vec<_>>()).unwrap();
        let keys: Vec<&str> = FORMATS.iter().map(|f| f.key).collect();
        assert_eq!(json, serde_json::json!(keys), "serde names match the CLI keys");
    }
}
