//! The pipeline every face shares: spec → plan → findings → rendered output.

use crate::error::Error;
use crate::findings::{self, Finding};
use crate::import::Imported;
use crate::pipeline::{self, PipelineFile};
use crate::plan::{self, Plan};
use crate::render::{Context, Prepared, RenderOptions, Templates};
use crate::report::{Checked, Origin, ReportFormat, Written};
use crate::spec::Spec;
use crate::tools::Knowledge;

/// Knowledge and compiled templates, loaded once and shared by every plan.
pub struct Engine {
    knowledge: Knowledge,
    templates: Templates,
}

impl Engine {
    /// Loads the embedded knowledge files and compiles the templates.
    pub fn new() -> Result<Engine, Error> {
        Ok(Engine { knowledge: Knowledge::load()?, templates: Templates::new()? })
    }

    /// The findings for a spec, most severe first.
    pub fn check(&self, spec: &Spec) -> Vec<Finding> {
        findings::check(spec, &self.knowledge)
    }

    /// Reads pipeline files together and lints them (`planb check` on pipeline files), findings
    /// most severe first.
    pub fn check_pipeline(&self, files: &[PipelineFile<'_>]) -> Result<Vec<Finding>, Error> {
        findings::check_pipeline(&pipeline::read(files)?.subjects)
    }

    /// The spec that pipeline files imply, as YAML with each field's source (`planb import`), and
    /// the findings on the files. The spec is read back before it is returned: it always parses.
    pub fn import(&self, files: &[PipelineFile<'_>]) -> Result<Imported, Error> {
        let imported = crate::import::import(files)?;
        crate::source::parse_spec(&imported.spec).map_err(|e| {
            let message = format!("internal error, please report it: the imported spec does not read back ({e})");
            Error::new(crate::error::ErrorKind::Render, message)
        })?;
        Ok(imported)
    }

    /// The report of checked files in a format (`planb check --format`); SARIF's list of rules is
    /// every rule planb has, the tools' own included.
    pub fn report(&self, checked: &[Checked], format: ReportFormat, origin: &Origin) -> Written {
        crate::report::write(checked, format, &self.knowledge, origin)
    }

    /// The complete plan for a spec, its messages and config snippet rendered.
    pub fn plan(&self, spec: &Spec) -> Result<Plan, Error> {
        Ok(self.planned(spec)?.0)
    }

    /// The plan for a spec, ready to render in several formats (see [`Templates::render_prepared`]).
    pub fn prepare(&self, spec: &Spec) -> Result<Prepared, Error> {
        let (plan, value) = self.planned(spec)?;
        Prepared::filled(plan, value)
    }

    /// The plan, and its template value from before the messages and snippet were filled in.
    fn planned(&self, spec: &Spec) -> Result<(Plan, minijinja::Value), Error> {
        let mut plan = plan::build(spec, &self.knowledge, self.check(spec));
        // One context for the messages and the snippet; neither reads the other.
        let value = crate::render::context_value(&plan)?;
        let cx = Context::of_plan_and_spec(value.clone(), crate::render::context_value(spec)?);
        let render = |name: &str| self.templates.render_context(name, &cx).map(|m| m.trim_end().to_string());
        plan.comms.messages = plan::Messages {
            start: render("messages/start.txt.j2")?,
            abort: render("messages/abort.txt.j2")?,
            all_clear: render("messages/all_clear.txt.j2")?,
        };
        if let Some(snippet) = plan.snippet.as_mut() {
            snippet.body = self.templates.render_context(&snippet.template, &cx)?;
        }
        Ok((plan, value))
    }

    /// Renders a plan.
    pub fn render_plan(&self, plan: &Plan, options: RenderOptions) -> Result<String, Error> {
        self.templates.render_plan(plan, options)
    }

    /// Builds and renders the plan for a spec in one call.
    pub fn render(&self, spec: &Spec, options: RenderOptions) -> Result<String, Error> {
        self.templates.render_prepared(&self.prepare(spec)?, options, &[])
    }

    /// The compiled templates, to render a prepared plan in several formats (see [`Engine::prepare`]).
    pub fn templates(&self) -> &Templates {
        &self.templates
    }

    /// A commented starter spec for a tool (`planb init`).
    #[cfg(any(not(target_arch = "wasm32"), feature = "node-cli"))]
    pub fn starter_spec(&self, tool: crate::spec::Tool) -> Result<String, Error> {
        #[derive(serde::Serialize)]
        struct Starter {
            tool: &'static str,
        }
        self.templates.render("init.yaml.j2", Starter { tool: tool.key() })
    }
}
