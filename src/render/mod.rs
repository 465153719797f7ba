//! Rendering plans to text with minijinja templates embedded at compile time.
//!
//! The escaping rules follow the template's extension (`.md.j2`, `.txt.j2`, `.yaml.j2`), so a
//! template author cannot forget them.

pub mod escape;

use minijinja::syntax::SyntaxConfig;
use minijinja::value::{Serde, Value};
use minijinja::{AutoEscape, Environment};
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind};
use crate::plan::Plan;

/// Every template, by name. Names starting with `_` are partials, never rendered directly.
const TEMPLATES: &[(&str, &str)] = &[
    ("plan/detailed.md.j2", include_str!("../../templates/plan/detailed.md.j2")),
    ("plan/brief.md.j2", include_str!("../../templates/plan/brief.md.j2")),
    ("plan/detailed.txt.j2", include_str!("../../templates/plan/detailed.txt.j2")),
    ("plan/brief.txt.j2", include_str!("../../templates/plan/brief.txt.j2")),
    ("plan/detailed.html.j2", include_str!("../../templates/plan/detailed.html.j2")),
    ("plan/brief.html.j2", include_str!("../../templates/plan/brief.html.j2")),
    ("messages/start.txt.j2", include_str!("../../templates/messages/start.txt.j2")),
    ("messages/abort.txt.j2", include_str!("../../templates/messages/abort.txt.j2")),
    ("messages/all_clear.txt.j2", include_str!("../../templates/messages/all_clear.txt.j2")),
    ("snippets/harness.yaml.j2", include_str!("../../templates/snippets/harness.yaml.j2")),
    ("init.yaml.j2", include_str!("../../templates/init.yaml.j2")),
];

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    #[default]
    Markdown,
    Text,
    /// An HTML fragment (`<article>`), as the page shows it.
    Html,
}

/// How much to say: a short reply, or the whole plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Style {
    Brief,
    #[default]
    Detailed,
}

/// What to render; the same options drive the CLI and (later) the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RenderOptions {
    pub format: Format,
    pub style: Style,
}

impl Format {
    pub fn key(self) -> &'static str {
        match self {
            Format::Markdown => "markdown",
            Format::Text => "text",
            Format::Html => "html",
        }
    }

    /// The file extension of the format's templates and downloads.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Text => "txt",
            Format::Html => "html",
        }
    }

    /// The media type of a download in this format.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Markdown => "text/markdown;charset=utf-8",
            Format::Text => "text/plain;charset=utf-8",
            Format::Html => "text/html;charset=utf-8",
        }
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

/// One output the page offers as a tab, and the CLI as `--format` and `--style`.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Output {
    pub id: &'static str,
    pub label: &'static str,
    pub options: RenderOptions,
}

/// Every output, in the order the page shows them.
pub const OUTPUTS: &[Output] = &[
    Output { id: "plan", label: "Plan", options: RenderOptions { format: Format::Html, style: Style::Detailed } },
    Output { id: "reply", label: "Short reply", options: RenderOptions { format: Format::Text, style: Style::Brief } },
    Output {
        id: "markdown",
        label: "Markdown",
        options: RenderOptions { format: Format::Markdown, style: Style::Detailed },
    },
    Output {
        id: "markdown-brief",
        label: "Markdown (brief)",
        options: RenderOptions { format: Format::Markdown, style: Style::Brief },
    },
    Output { id: "text", label: "Text", options: RenderOptions { format: Format::Text, style: Style::Detailed } },
];

/// The compiled templates, shared by every render.
pub struct Templates {
    env: Environment<'static>,
}

impl Templates {
    pub fn new() -> Result<Templates, Error> {
        let mut env = Environment::new();
        let syntax = SyntaxConfig::builder()
            .keep_trailing_newline(true)
            .trim_blocks(true)
            .lstrip_blocks(true)
            .build()
            .map_err(render_error)?;
        env.set_syntax(syntax);
        env.set_auto_escape_callback(|name| {
            if name.ends_with(".html.j2") {
                AutoEscape::Html
            } else if name.ends_with(".md.j2") {
                AutoEscape::Custom("markdown".into())
            } else if name.ends_with(".yaml.j2") {
                AutoEscape::Custom("yaml".into())
            } else {
                AutoEscape::Custom("text".into())
            }
        });
        env.set_formatter(|out, state, value| {
            if value.is_undefined() || value.is_none() {
                return Ok(());
            }
            let AutoEscape::Custom(kind) = state.auto_escape() else {
                return minijinja::escape_formatter(out, state, value);
            };
            let escaped = match (value.as_str(), value.is_safe()) {
                (Some(s), false) => match kind.as_ref() {
                    "markdown" => escape::markdown(s),
                    "yaml" => escape::yaml(s),
                    _ => escape::text(s),
                },
                _ => value.to_string(),
            };
            out.write_str(&escaped).map_err(minijinja::Error::from)
        });
        env.add_filter("join", |items: Vec<Value>, sep: Option<String>| -> String {
            let sep = sep.unwrap_or_else(|| ", ".to_string());
            items.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(&sep)
        });
        env.add_filter("count", |items: Vec<Value>| items.len());
        env.add_filter("lower_first", |s: String| {
            let mut chars = s.chars();
            // ASCII only: the first letter of our own sentences, never a word in another script.
            chars.next().map(|c| c.to_ascii_lowercase().to_string() + chars.as_str()).unwrap_or_default()
        });
        env.add_filter("ident", |s: String| identifier(&s));
        env.add_filter("fence", |body: String| code_fence(&body));
        // Compiled on first use: the page starts faster when it compiles only what it shows.
        env.set_loader(|name| Ok(TEMPLATES.iter().find(|(n, _)| *n == name).map(|(_, source)| *source)));
        Ok(Templates { env })
    }

    /// Renders a template by name with any serializable context.
    ///
    /// The context goes through `serde_json::Value` first: every type then serializes with one
    /// serializer only, which keeps the Wasm build small, and the JSON output shares the code.
    pub fn render<S: Serialize>(&self, name: &str, context: S) -> Result<String, Error> {
        let json = serde_json::to_value(context).map_err(|e| Error::new(ErrorKind::Render, e.to_string()))?;
        self.render_json(name, &json)
    }

    /// Renders a template by name with a JSON context.
    pub fn render_json(&self, name: &str, context: &serde_json::Value) -> Result<String, Error> {
        let template = self.env.get_template(name).map_err(render_error)?;
        template.render(Value::from(Serde(context))).map_err(render_error)
    }

    /// Renders a plan in a format and style.
    pub fn render_plan(&self, plan: &Plan, options: RenderOptions) -> Result<String, Error> {
        #[derive(Serialize)]
        struct Context<'a> {
            plan: &'a Plan,
        }
        let name = format!("plan/{}.{}.j2", options.style.key(), options.format.extension());
        self.render(&name, Context { plan })
    }
}

fn render_error(e: minijinja::Error) -> Error {
    Error::new(ErrorKind::Render, e.to_string())
}

/// A backtick fence longer than any backtick run in `body`, so the body cannot close it.
fn code_fence(body: &str) -> String {
    let longest = body.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    "`".repeat(longest.max(2) + 1)
}

/// A Harness-style identifier: letters, digits and underscores, starting with a letter.
fn identifier(s: &str) -> String {
    let mut id: String = s.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
    if !id.starts_with(|c: char| c.is_ascii_alphabetic()) {
        id.insert_str(0, "planb_");
    }
    id.truncate(64);
    id
}
