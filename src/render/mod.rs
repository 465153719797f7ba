//! Rendering plans with minijinja templates embedded at compile time.
//!
//! Escaping follows the template's extension (`.md.j2`, `.txt.j2`, `.html.j2`, `.xml.j2`, `.wiki.j2`,
//! `.slack.j2`, `.mmd.j2`, `.yaml.j2`, `.actions.yaml.j2`, `.json.j2`, `.groovy.j2`, `.ocl.j2`), so a
//! template author cannot forget it.
//! The picture of the fallback ladder is drawn in Rust (`figure.rs`).

mod context;
pub mod escape;
mod figure;
mod format;
#[cfg(not(target_arch = "wasm32"))]
mod json;

use minijinja::syntax::SyntaxConfig;
use minijinja::value::Value;
use minijinja::{AutoEscape, Environment};
use serde::Serialize;
use std::borrow::Cow;
use std::fmt::Write;

pub(crate) use context::value as context_value;
use context::Document;
pub use context::{Context, Prepared};
pub use escape::Syntax;
pub use figure::Figure;
pub use format::{Format, FormatInfo, Output, RenderOptions, Style, FORMATS, OUTPUTS};

use crate::error::{Error, ErrorKind};
use crate::plan::Plan;

/// Every template, by name.
const TEMPLATES: &[(&str, &str)] = &[
    ("plan/detailed.md.j2", include_str!("../../templates/plan/detailed.md.j2")),
    ("plan/brief.md.j2", include_str!("../../templates/plan/brief.md.j2")),
    ("plan/detailed.txt.j2", include_str!("../../templates/plan/detailed.txt.j2")),
    ("plan/brief.txt.j2", include_str!("../../templates/plan/brief.txt.j2")),
    ("plan/detailed.html.j2", include_str!("../../templates/plan/detailed.html.j2")),
    ("plan/brief.html.j2", include_str!("../../templates/plan/brief.html.j2")),
    ("plan/document.html.j2", include_str!("../../templates/plan/document.html.j2")),
    ("plan/detailed.xml.j2", include_str!("../../templates/plan/detailed.xml.j2")),
    ("plan/detailed.wiki.j2", include_str!("../../templates/plan/detailed.wiki.j2")),
    ("plan/detailed.slack.j2", include_str!("../../templates/plan/detailed.slack.j2")),
    ("plan/brief.slack.j2", include_str!("../../templates/plan/brief.slack.j2")),
    ("plan/ladder.mmd.j2", include_str!("../../templates/plan/ladder.mmd.j2")),
    ("plan/checklist.txt.j2", include_str!("../../templates/plan/checklist.txt.j2")),
    ("plan/checklist.md.j2", include_str!("../../templates/plan/checklist.md.j2")),
    ("servicenow/implementation_plan.txt.j2", include_str!("../../templates/servicenow/implementation_plan.txt.j2")),
    ("servicenow/backout_plan.txt.j2", include_str!("../../templates/servicenow/backout_plan.txt.j2")),
    ("servicenow/test_plan.txt.j2", include_str!("../../templates/servicenow/test_plan.txt.j2")),
    ("servicenow/risk_impact_analysis.txt.j2", include_str!("../../templates/servicenow/risk_impact_analysis.txt.j2")),
    ("servicenow/justification.txt.j2", include_str!("../../templates/servicenow/justification.txt.j2")),
    ("messages/start.txt.j2", include_str!("../../templates/messages/start.txt.j2")),
    ("messages/abort.txt.j2", include_str!("../../templates/messages/abort.txt.j2")),
    ("messages/all_clear.txt.j2", include_str!("../../templates/messages/all_clear.txt.j2")),
    ("snippets/harness.yaml.j2", include_str!("../../templates/snippets/harness.yaml.j2")),
    ("snippets/argo-rollouts.yaml.j2", include_str!("../../templates/snippets/argo-rollouts.yaml.j2")),
    ("snippets/argo-cd.yaml.j2", include_str!("../../templates/snippets/argo-cd.yaml.j2")),
    ("snippets/flagger.yaml.j2", include_str!("../../templates/snippets/flagger.yaml.j2")),
    ("snippets/spinnaker.json.j2", include_str!("../../templates/snippets/spinnaker.json.j2")),
    (
        "snippets/github-actions.actions.yaml.j2",
        include_str!("../../templates/snippets/github-actions.actions.yaml.j2"),
    ),
    ("snippets/gitlab.yaml.j2", include_str!("../../templates/snippets/gitlab.yaml.j2")),
    ("snippets/jenkins.groovy.j2", include_str!("../../templates/snippets/jenkins.groovy.j2")),
    ("snippets/octopus.ocl.j2", include_str!("../../templates/snippets/octopus.ocl.j2")),
    ("snippets/codedeploy.json.j2", include_str!("../../templates/snippets/codedeploy.json.j2")),
];

/// The templates of the command line alone (`planb init`, and `planb build` natively), left out of
/// the page.
#[cfg(not(target_arch = "wasm32"))]
const CLI_TEMPLATES: &[(&str, &str)] = &[
    ("init.yaml.j2", include_str!("../../templates/init.yaml.j2")),
    ("site/index.html.j2", include_str!("../../templates/site/index.html.j2")),
    ("site/row.html.j2", include_str!("../../templates/site/row.html.j2")),
];
#[cfg(all(target_arch = "wasm32", feature = "node-cli"))]
const CLI_TEMPLATES: &[(&str, &str)] = &[("init.yaml.j2", include_str!("../../templates/init.yaml.j2"))];
#[cfg(all(target_arch = "wasm32", not(feature = "node-cli")))]
const CLI_TEMPLATES: &[(&str, &str)] = &[];

/// The templates of the page alone: its tabs, its list of gaps and an import's panel, rendered in the browser and, for
/// the first example, into the page by the site build (`src/wasm/app/prerender.rs`).
#[cfg(target_arch = "wasm32")]
const PAGE_TEMPLATES: &[(&str, &str)] = &[
    ("page/tabs.html.j2", include_str!("../../templates/page/tabs.html.j2")),
    ("page/findings.html.j2", include_str!("../../templates/page/findings.html.j2")),
    ("page/summary.html.j2", include_str!("../../templates/page/summary.html.j2")),
    ("page/imported.html.j2", include_str!("../../templates/page/imported.html.j2")),
];
#[cfg(not(target_arch = "wasm32"))]
const PAGE_TEMPLATES: &[(&str, &str)] = &[];

/// The plan's stylesheet, shared by the standalone HTML file and the page.
pub const PLAN_CSS: &str = include_str!("../../templates/plan/plan.css");

/// ServiceNow change request fields, in the order of the change form.
/// Field names from ServiceNow's DevOps change GitHub Action (see `../shared/reference/domain.md`, SN1).
pub const SERVICENOW_FIELDS: &[(&str, &str)] = &[
    ("implementation_plan", "Implementation plan"),
    ("backout_plan", "Backout plan"),
    ("test_plan", "Test plan"),
    ("risk_impact_analysis", "Risk and impact analysis"),
    ("justification", "Justification"),
];

/// The compiled templates, shared by every render.
pub struct Templates {
    env: Environment<'static>,
    /// [`PLAN_CSS`] as a safe string, converted once for every standalone HTML file.
    css: Value,
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
        env.set_auto_escape_callback(|name| AutoEscape::Custom(Syntax::of_template(name).name().into()));
        env.set_formatter(|out, state, value| {
            if value.is_undefined() || value.is_none() {
                return Ok(());
            }
            let syntax = match state.auto_escape() {
                AutoEscape::Custom(name) => Syntax::from_name(name),
                _ => None,
            };
            match (value.as_str(), syntax) {
                (Some(s), Some(syntax)) if !value.is_safe() => syntax.write(out, s),
                // A safe string (an article inside its document) is copied as it is, without the
                // machinery of `Display`.
                (Some(s), _) => out.write_str(s),
                _ => write!(out, "{value}"),
            }
            .map_err(minijinja::Error::from)
        });
        env.add_filter("join", |items: &Value, sep: Option<&str>| -> Result<String, minijinja::Error> {
            let mut joined = String::new();
            for (i, item) in items.try_iter()?.enumerate() {
                if i > 0 {
                    joined.push_str(sep.unwrap_or(", "));
                }
                // Strings are copied as they are, without the machinery of `Display`.
                match item.as_str() {
                    Some(s) => joined.push_str(s),
                    None => write!(joined, "{item}").map_err(minijinja::Error::from)?,
                }
            }
            Ok(joined)
        });
        // minijinja's own `safe` copies a string twice (through `Display`, then into a new value):
        // a string marked safe already is passed on as it is, any other string copied once.
        env.add_filter("safe", |value: &Value| match value.as_str() {
            _ if value.is_safe() => value.clone(),
            Some(s) => Value::from_safe_string(s.into()),
            None => Value::from_safe_string(value.to_string()),
        });
        env.add_filter("count", |items: &Value| items.len().unwrap_or(0));
        // `Cow` borrows a string value rather than copying it (a snippet's body is kilobytes).
        env.add_filter("lower_first", |s: Cow<'_, str>| crate::plan::lower_first(&s));
        env.add_filter("ident", |s: Cow<'_, str>| crate::names::identifier(&s));
        env.add_filter("k8s_name", |s: Cow<'_, str>| crate::names::kubernetes_name(&s));
        // Scripts in snippets: a value quoted for the shell, and the line that stops an unfilled step.
        env.add_filter("sh", |s: Cow<'_, str>| crate::tools::script::quote(&s).into_owned());
        env.add_filter("sh_todo", |s: Cow<'_, str>| crate::tools::script::todo_line(&s));
        // Every occurrence of a text replaced (minijinja's own `replace` is not compiled in).
        env.add_filter("replace", |s: Cow<'_, str>, from: Cow<'_, str>, to: Cow<'_, str>| s.replace(&*from, &to));
        // Spinnaker's orca reads every string of a stage as a Spring template with `${…}` expressions
        // (PipelineExpressionEvaluator: TemplateParserContext("${", "}")): a literal `${` in user text
        // is written `${'$'}{`, an expression that evaluates to "$" followed by a plain `{`.
        env.add_filter("spel", |s: Cow<'_, str>| s.replace("${", "${'$'}{"));
        // A spec duration ("1h30m") in seconds, for tools that count time in numbers.
        env.add_filter("seconds", |s: Cow<'_, str>| -> Result<u32, minijinja::Error> {
            crate::spec::Duration::parse(&s)
                .map(crate::spec::Duration::as_secs)
                .map_err(|e| minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, e))
        });
        env.add_filter("fence", |body: Cow<'_, str>| code_fence(&body));
        env.add_filter("cdata", |body: Cow<'_, str>| Value::from_safe_string(escape::cdata(&body)));
        // Compiled on first use: the page starts faster when it compiles only what it shows.
        env.set_loader(|name| {
            Ok(TEMPLATES
                .iter()
                .chain(CLI_TEMPLATES)
                .chain(PAGE_TEMPLATES)
                .find(|(n, _)| *n == name)
                .map(|(_, source)| *source))
        });
        Ok(Templates { env, css: Value::from_safe_string(PLAN_CSS.into()) })
    }

    /// Renders a template by name with any serializable context (see [`Context::from_serialize`]).
    pub fn render<S: Serialize>(&self, name: &str, context: S) -> Result<String, Error> {
        self.render_context(name, &Context::from_serialize(&context)?)
    }

    /// Renders a template with a context converted once (see [`Context`]).
    pub fn render_context(&self, name: &str, context: &Context) -> Result<String, Error> {
        Sink::text(|sink| self.render_into(name, context, sink))
    }

    fn render_into(&self, name: &str, context: &Context, sink: &mut Sink) -> Result<(), Error> {
        let template = self.env.get_template(name).map_err(render_error)?;
        match sink {
            Sink::Text(_) => sink.put(template.render(context.0.clone()).map_err(render_error)?),
            #[cfg(not(target_arch = "wasm32"))]
            Sink::Stream(out) => {
                template.render_captured_to(context.0.clone(), &mut **out).map(drop).map_err(render_error)
            }
        }
    }

    /// Renders a template into a file as it goes (see [`BufferedFile`]).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn render_context_to(&self, name: &str, context: &Context, out: &mut BufferedFile) -> Result<(), Error> {
        self.render_into(name, context, &mut Sink::Stream(out))
    }

    /// Renders a plan in a format and style.
    pub fn render_plan(&self, plan: &Plan, options: RenderOptions) -> Result<String, Error> {
        let context = Context::of_plan(context_value(plan)?);
        Sink::text(|sink| self.render_with(plan, &context, options, &[], sink))
    }

    /// Renders a prepared plan; `nav` links are added at the top of a standalone HTML file.
    pub fn render_prepared(&self, prepared: &Prepared, options: RenderOptions, nav: &[Link]) -> Result<String, Error> {
        Sink::text(|sink| self.render_with(prepared.plan(), prepared.context(), options, nav, sink))
    }

    /// Renders a prepared plan into a file as it goes (see [`BufferedFile`]).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn render_prepared_to(
        &self,
        prepared: &Prepared,
        options: RenderOptions,
        nav: &[Link],
        out: &mut BufferedFile,
    ) -> Result<(), Error> {
        self.render_with(prepared.plan(), prepared.context(), options, nav, &mut Sink::Stream(out))
    }

    fn render_with(
        &self,
        plan: &Plan,
        context: &Context,
        options: RenderOptions,
        nav: &[Link],
        sink: &mut Sink,
    ) -> Result<(), Error> {
        let style = if options.format.info().has_brief { options.style } else { Style::Detailed };
        match options.format {
            Format::Json => {
                // Natively straight from the plan; in Wasm through one serializer (see `Context`).
                #[cfg(not(target_arch = "wasm32"))]
                return sink.json(plan);
                #[cfg(target_arch = "wasm32")]
                return sink.json(&to_json(plan)?);
            }
            Format::Servicenow => {
                let mut fields = serde_json::Map::new();
                for (field, _) in SERVICENOW_FIELDS {
                    let text = self.render_context(&format!("servicenow/{field}.txt.j2"), context)?;
                    fields.insert((*field).to_string(), text.trim_end().into());
                }
                fields.insert("risk".into(), plan.risk.level.as_str().into());
                sink.json(&fields)
            }
            Format::Svg => sink.put(svg(plan)),
            Format::Mermaid => self.render_into("plan/ladder.mmd.j2", context, sink),
            Format::Checklist => self.render_into("plan/checklist.txt.j2", context, sink),
            Format::ChecklistMarkdown => self.render_into("plan/checklist.md.j2", context, sink),
            Format::Html => {
                let article = self.render_context(&format!("plan/{}.html.j2", style.key()), context)?;
                let document = Context::of_document(Document {
                    name: Value::from(plan.component.name.as_str()),
                    article: Value::from_safe_string(article),
                    figure: Value::from_safe_string(svg(plan)),
                    css: self.css.clone(),
                    nav: context_value(&nav)?,
                });
                self.render_into("plan/document.html.j2", &document, sink)
            }
            format => {
                let ext = match format {
                    Format::Markdown => "md",
                    Format::HtmlFragment => "html",
                    Format::Confluence => "xml",
                    Format::Wiki => "wiki",
                    Format::Slack => "slack",
                    _ => "txt",
                };
                self.render_into(&format!("plan/{}.{ext}.j2", style.key()), context, sink)
            }
        }
    }
}

/// A file written through a buffer, as `planb build` writes them. A concrete type, not `dyn Write`:
/// a render writes many small pieces, and a call through a vtable for each made a build 2.5% slower.
#[cfg(not(target_arch = "wasm32"))]
pub type BufferedFile = std::io::BufWriter<std::fs::File>;

/// Where a render goes: a string, or natively a file, written as the render goes, so a page is
/// never held whole in memory or copied as its string grows.
enum Sink<'a> {
    Text(&'a mut String),
    #[cfg(not(target_arch = "wasm32"))]
    Stream(&'a mut BufferedFile),
}

impl Sink<'_> {
    /// The text a render into a fresh string gives.
    fn text(render: impl FnOnce(&mut Sink) -> Result<(), Error>) -> Result<String, Error> {
        let mut text = String::new();
        render(&mut Sink::Text(&mut text))?;
        Ok(text)
    }

    /// Adds a finished text (into an empty string without a copy).
    fn put(&mut self, text: String) -> Result<(), Error> {
        match self {
            Sink::Text(out) if out.is_empty() => **out = text,
            Sink::Text(out) => out.push_str(&text),
            #[cfg(not(target_arch = "wasm32"))]
            Sink::Stream(out) => std::io::Write::write_all(*out, text.as_bytes()).map_err(write_error)?,
        }
        Ok(())
    }

    /// Pretty JSON and a final line break.
    fn json<S: Serialize + ?Sized>(&mut self, value: &S) -> Result<(), Error> {
        match self {
            Sink::Text(_) => {
                let mut text = serde_json::to_string_pretty(value).map_err(json_error)?;
                text.push('\n');
                self.put(text)
            }
            #[cfg(not(target_arch = "wasm32"))]
            Sink::Stream(out) => {
                json::write_pretty(&mut **out, value).map_err(|e| Error::new(ErrorKind::Render, e.to_string()))?;
                std::io::Write::write_all(*out, b"\n").map_err(write_error)
            }
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn write_error(e: std::io::Error) -> Error {
    Error::new(ErrorKind::Render, format!("cannot write: {e}"))
}

/// A navigation link in a standalone HTML file.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub label: String,
    pub href: String,
}

#[cfg(target_arch = "wasm32")]
fn to_json<S: Serialize>(value: S) -> Result<serde_json::Value, Error> {
    serde_json::to_value(value).map_err(json_error)
}

/// The fallback ladder of a plan as an SVG document.
fn svg(plan: &Plan) -> String {
    let mut out = String::with_capacity(8 * 1024);
    Figure::ladder(plan).write_svg(&plan.component.name, &mut out);
    out
}

fn json_error(e: serde_json::Error) -> Error {
    Error::new(ErrorKind::Render, e.to_string())
}

fn render_error(e: minijinja::Error) -> Error {
    Error::new(ErrorKind::Render, e.to_string())
}

/// A backtick fence longer than any backtick run in `body`, so the body cannot close it.
fn code_fence(body: &str) -> String {
    // Found by `find`, which skips to the next backtick many bytes at a time: a snippet is kilobytes.
    let (mut longest, mut from) = (0, 0);
    while let Some(at) = body[from..].find('`') {
        let run = body[from + at..].bytes().take_while(|&b| b == b'`').count();
        longest = longest.max(run);
        from += at + run;
    }
    "`".repeat(longest.max(2) + 1)
}

#[cfg(test)]
mod tests {
    use minijinja::{context, Value};

    /// planb's `safe` does what minijinja's does: the value printed as it is, whatever it was.
    #[test]
    fn safe_prints_any_value_unescaped() {
        let templates = super::Templates::new().unwrap();
        let source = "{{ a|safe }} {{ b|safe }} {{ n|safe }} {{ missing|safe }}| {{ a }} {{ (a|safe) ~ '&' }}";
        let template = templates.env.template_from_named_str("t.html.j2", source).unwrap();
        let cx = context! { a => "<b>", b => Value::from_safe_string("<i>".into()), n => 3 };
        assert_eq!(template.render(cx).unwrap(), "<b> <i> 3 | &lt;b&gt; <b>&amp;");
    }

    #[test]
    fn a_code_fence_is_longer_than_every_backtick_run() {
        assert_eq!(super::code_fence(""), "```");
        assert_eq!(super::code_fence("echo `date`"), "```");
        assert_eq!(super::code_fence("a ```` b ` c"), "`````");
        assert_eq!(super::code_fence("``````"), "```````");
        assert_eq!(super::code_fence("é`é``é```"), "````");
    }
}
