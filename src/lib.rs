//! planb turns a short deployment spec into a concrete, tool-accurate fallback plan for
//! deployments that cannot roll back, above all a component's first deployment.
//!
//! One pipeline serves the CLI, the page and the site builder:
//!
//! ```text
//! text ──source──▶ Spec ──findings──▶ [Finding] ──plan──▶ Plan ──render──▶ Markdown / text / …
//! ```
//!
//! - [`source`]: YAML or JSON text to a [`Spec`], with errors naming line, column and field;
//! - [`spec`]: the spec's types;
//! - [`findings`]: the lint rules that name the gaps, in a spec or in a pipeline file;
//! - [`pipeline`]: the team's own pipeline files read: the spec they imply and the facts the lint checks;
//! - [`import`]: pipeline files to that spec, each field's source, and the findings on the files;
//! - [`tools`]: tool and platform knowledge, as data files (a matrix of cases per tool);
//! - [`plan`]: the plan logic;
//! - [`render`]: minijinja templates and per-format escaping;
//! - [`report`]: what `planb check` found, in the formats CI systems read (SARIF, GitHub, GitLab);
//! - [`Engine`]: the pipeline, loaded once;
//! - [`cli`]: the command line, the same in the native binary and in Node.
//!
//! ```
//! let engine = planb::Engine::new().unwrap();
//! let spec = planb::parse_spec("component: { name: payments-api }").unwrap();
//! let text = engine.render(&spec, planb::RenderOptions::default()).unwrap();
//! assert!(text.contains("payments-api"));
//! ```

/// In Wasm only in the npm package's module, whose `planb` command runs it in Node.
#[cfg(any(not(target_arch = "wasm32"), feature = "node-cli"))]
pub mod cli;
#[cfg(not(target_arch = "wasm32"))]
pub mod docs;
mod engine;
mod error;
pub mod examples;
pub mod findings;
pub mod form;
pub mod import;
pub mod names;
pub mod permalink;
pub mod pipeline;
pub mod plan;
pub mod render;
pub mod report;
mod severity;
pub mod share;
#[cfg(not(target_arch = "wasm32"))]
pub mod site;
pub mod source;
pub mod spec;
pub mod tools;
#[cfg(target_family = "wasm")]
mod wasm;
/// The functions the Wasm build exports to JavaScript (also callable from Rust on wasm32, for tests).
#[cfg(all(target_family = "wasm", feature = "page"))]
pub use wasm::api as wasm_api;
/// The pipeline importer the page loads on demand (also callable from Rust on wasm32, for tests).
#[cfg(all(target_family = "wasm", feature = "import"))]
pub use wasm::import as wasm_import;

pub use engine::Engine;
pub use error::{Error, ErrorKind, Mark};
pub use findings::{Finding, Severity};
pub use plan::Plan;
pub use render::{Format, RenderOptions, Style};
pub use source::{parse_spec, parse_spec_json, SpecReader};
pub use spec::Spec;

/// The JSON Schema of the spec, generated from the spec's types (see `schema/spec.schema.json`).
pub const SPEC_SCHEMA: &str = include_str!("../schema/spec.schema.json");

#[cfg(test)]
mod property_tests;
#[cfg(test)]
mod typescript;

#[cfg(test)]
pub(crate) mod test_support {
    /// Asserts that a generated file in the repository is current, or rewrites it with `PLANB_BLESS=1`.
    pub fn assert_generated(relative: &str, generated: &str) {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
        if std::env::var_os("PLANB_BLESS").is_some() {
            std::fs::write(&path, generated).unwrap();
            return;
        }
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(current == generated, "{relative} is stale: run `PLANB_BLESS=1 cargo test` and commit it");
    }
}
