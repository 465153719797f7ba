//! Pipeline files to the spec they imply and the findings on them: what `planb import` prints and
//! what the page's importer hands to the form.

use serde::Serialize;

use crate::error::Error;
use crate::findings::{self, Finding};
use crate::pipeline::{self, PipelineFile, Provenance};

/// What importing pipeline files gives.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Imported {
    /// The spec as YAML, each field with its source in a comment and each question commented out.
    pub spec: String,
    /// Each field's source, or its question to confirm, as the spec's comments say them.
    pub provenance: Vec<Provenance>,
    /// What the files hold or refer to that planb did not read (an `include:`, a template), or
    /// read with a guess.
    pub notes: Vec<String>,
    /// The lint's findings on the files, most severe first, each with its file, line and column.
    pub findings: Vec<Finding>,
}

/// Reads pipeline files together and lints them.
pub fn import(files: &[PipelineFile<'_>]) -> Result<Imported, Error> {
    let reading = pipeline::read(files)?;
    Ok(Imported {
        spec: reading.draft.to_yaml(),
        provenance: reading.draft.provenance(),
        notes: reading.draft.notes().to_vec(),
        findings: findings::check_pipeline(&reading.subjects)?,
    })
}
