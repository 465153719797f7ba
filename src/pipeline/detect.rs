//! Which tool a pipeline file is for, from its content (and its name where the tool fixes it).

use crate::error::{Error, ErrorKind, Mark};
use crate::source::node::Node;

/// A pipeline file format planb recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    /// Argo CD resources: Application, ApplicationSet.
    ArgoCd,
    /// Argo Rollouts resources: Rollout, AnalysisTemplate, ClusterAnalysisTemplate.
    ArgoRollouts,
    /// AWS CodeDeploy: an AppSpec file, or a deployment group as `aws deploy get-deployment-group`
    /// prints it.
    CodeDeploy,
    /// Flagger resources: Canary, MetricTemplate, AlertProvider.
    Flagger,
    /// A GitHub Actions workflow (`.github/workflows/*.yml`).
    GithubActions,
    /// A GitLab CI/CD configuration (`.gitlab-ci.yml`).
    GitlabCi,
    /// Harness CD NextGen YAML (v0): a pipeline, or a stage or pipeline template.
    Harness,
    /// Harness's newer YAML (`version: 1`), recognised so that it is never read as something else.
    HarnessV1,
    /// A Jenkins declarative pipeline (a Jenkinsfile's `pipeline { … }`).
    Jenkins,
    /// A Jenkins scripted pipeline (`node { … }`), recognised and refused: its flow is Groovy code.
    JenkinsScripted,
    /// Octopus Deploy's config-as-code deployment process (`deployment_process.ocl`).
    Octopus,
    /// A Spinnaker pipeline as Deck saves it and `spin pipeline get` prints it (JSON).
    Spinnaker,
    /// A Spinnaker pipeline made from a template (`schema: "v2"` with a `template` reference): its
    /// stages live in the template, so it is recognised and refused.
    SpinnakerTemplated,
}

/// The formats in the order an error lists them.
const TRIED: &str = "Harness CD pipeline or template, Argo Rollouts (Rollout, AnalysisTemplate), Flagger (Canary, \
                     MetricTemplate, AlertProvider), Argo CD (Application, ApplicationSet), Spinnaker pipeline JSON, \
                     AWS CodeDeploy (AppSpec, deployment group), Octopus deployment process (OCL), Jenkins declarative \
                     pipeline (Jenkinsfile), GitHub Actions workflow, GitLab CI configuration";

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::ArgoCd => "Argo CD",
            Format::ArgoRollouts => "Argo Rollouts",
            Format::CodeDeploy => "AWS CodeDeploy",
            Format::Flagger => "Flagger",
            Format::GithubActions => "GitHub Actions workflow",
            Format::GitlabCi => "GitLab CI configuration",
            Format::Harness => "Harness pipeline",
            Format::HarnessV1 => "Harness v1 YAML",
            Format::Jenkins => "Jenkins declarative pipeline",
            Format::JenkinsScripted => "Jenkins scripted pipeline",
            Format::Octopus => "Octopus deployment process",
            Format::Spinnaker => "Spinnaker pipeline",
            Format::SpinnakerTemplated => "Spinnaker templated pipeline",
        }
    }

    /// Why planb does not read this format yet, when it does not.
    pub fn not_read(self) -> Option<&'static str> {
        match self {
            Format::ArgoCd
            | Format::ArgoRollouts
            | Format::CodeDeploy
            | Format::Flagger
            | Format::GithubActions
            | Format::GitlabCi
            | Format::Harness
            | Format::Jenkins
            | Format::Octopus
            | Format::Spinnaker => None,
            Format::HarnessV1 => Some(
                "recognised (`version: 1`, or stages without a `stage:` wrapper) but not read yet: planb reads \
                 Harness's v0 YAML (`pipeline:` with `identifier` and `stages` of `stage:`)",
            ),
            Format::JenkinsScripted => Some(
                "recognised (`node { … }` at the top level) but not read: its flow is Groovy code, which planb does \
                 not guess; planb reads declarative pipelines (`pipeline { … }`)",
            ),
            Format::SpinnakerTemplated => Some(
                "recognised (`schema: \"v2\"` with a `template` reference) but not read: its stages live in the \
                 pipeline template; give planb the pipeline as it runs (Deck's \"Pipeline actions › Edit as JSON\", \
                 or `spin pipeline get`) once planned from the template",
            ),
        }
    }
}

/// The format of a file's documents. Kubernetes resources are told apart by `apiVersion` and
/// `kind`; a file may mix resources of one tool with plain Kubernetes ones (its Services).
pub(super) fn format(name: &str, documents: &[Node]) -> Result<Format, Error> {
    let mut found = None;
    for doc in documents {
        let Some(format) = of_document(name, doc) else { continue };
        match found {
            None => found = Some((format, doc.mark)),
            Some((first, _)) if first == format => {}
            Some((first, _)) => {
                let message = format!(
                    "holds both {} and {} documents; give each tool's resources in files of their own",
                    first.name(),
                    format.name()
                );
                return Err(Error::new(ErrorKind::InvalidSpec, message).at(doc.mark));
            }
        }
    }
    // Kubernetes resources that only Argo CD's annotations mark (a PostSync hook Job, a resource in a
    // sync wave) are an Argo CD file when nothing else in it is of another tool.
    if found.is_none() && documents.iter().any(super::argo_cd::annotated) {
        return Ok(Format::ArgoCd);
    }
    found.map(|(format, _)| format).ok_or_else(|| {
        let mark = documents.first().map_or(Mark { line: 1, column: 1 }, |d| d.mark);
        let what = if documents.iter().any(|d| d.get("component").is_some()) {
            " (it looks like a planb spec: use `planb check` or `planb render` on it)"
        } else {
            ""
        };
        Error::new(ErrorKind::InvalidSpec, format!("not a pipeline file planb reads{what}; tried: {TRIED}")).at(mark)
    })
}

fn of_document(name: &str, doc: &Node) -> Option<Format> {
    let api = doc.get("apiVersion").and_then(Node::text).unwrap_or("");
    let kind = doc.get("kind").and_then(Node::text).unwrap_or("");
    let group = api.split('/').next().unwrap_or("");
    match (group, kind) {
        ("argoproj.io", "Rollout" | "AnalysisTemplate" | "ClusterAnalysisTemplate") => {
            return Some(Format::ArgoRollouts)
        }
        ("flagger.app", "Canary" | "MetricTemplate" | "AlertProvider") => return Some(Format::Flagger),
        ("argoproj.io", "Application" | "ApplicationSet") => return Some(Format::ArgoCd),
        _ if !api.is_empty() => return None,
        _ => {}
    }
    // Harness v1: a `version: 1` root (the 2023 shape adds `kind: pipeline` and `spec`), or a
    // `pipeline:` whose stages have no `stage:` or `parallel:` wrapper (harness-schema
    // v1/pipeline.json: `StageItems`). v0 pipelines have `identifier` and wrapped stages
    // (v0/pipeline.json). Either way `pipeline:` is the root of both.
    let version = doc.get("version").and_then(Node::text);
    if version == Some("1") || (kind == "pipeline" && doc.get("spec").is_some()) {
        return Some(Format::HarnessV1);
    }
    if let Some(pipeline) = doc.get("pipeline") {
        let stages = pipeline.get("stages").map(Node::items).unwrap_or_default();
        let wrapped = |s: &Node| s.get("stage").is_some() || s.get("parallel").is_some();
        if stages.iter().any(|s| !wrapped(s)) || (pipeline.get("identifier").is_none() && pipeline.get("id").is_some())
        {
            return Some(Format::HarnessV1);
        }
        if pipeline.get("stages").is_some() || pipeline.get("identifier").is_some() {
            return Some(Format::Harness);
        }
    }
    if let Some(template) = doc.get("template") {
        if matches!(template.get("type").and_then(Node::text), Some("Stage" | "Pipeline" | "StepGroup" | "Step")) {
            return Some(Format::Harness);
        }
    }
    if let Some(format) = spinnaker(doc).or_else(|| codedeploy(name, doc)) {
        return Some(format);
    }
    let file = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let in_workflows = name.replace('\\', "/").contains(".github/workflows/");
    if doc.get("jobs").is_some() && (doc.get("on").is_some() || in_workflows) {
        return Some(Format::GithubActions);
    }
    if file == ".gitlab-ci.yml" || file == ".gitlab-ci.yaml" {
        return Some(Format::GitlabCi);
    }
    // Elsewhere a GitLab file is a mapping of jobs, each with a `script` (or `trigger`) and a
    // `stage`, or a file of `stages:` and `include:`.
    let jobs = doc.entries().iter().filter(|(_, v)| v.get("script").is_some() || v.get("trigger").is_some());
    if doc.get("stages").is_some() || jobs.count() > 0 {
        return Some(Format::GitlabCi);
    }
    None
}

/// A Spinnaker pipeline: `stages` of objects, each with a `type` (GitLab's `stages` are names), and
/// the pipeline's `application`, or stage `refId`s. A templated one names its template instead.
fn spinnaker(doc: &Node) -> Option<Format> {
    let template = doc.get("template").is_some_and(|t| t.get("reference").is_some());
    if doc.get("schema").and_then(Node::text) == Some("v2") && template {
        return Some(Format::SpinnakerTemplated);
    }
    let stages = doc.get("stages")?.items();
    let typed = !stages.is_empty() && stages.iter().all(|s| s.get("type").is_some_and(|t| t.text().is_some()));
    let pipeline = doc.get("application").is_some() || stages.iter().any(|s| s.get("refId").is_some());
    (typed && pipeline).then_some(Format::Spinnaker)
}

/// An AppSpec file (`version: 0.0` beside its sections; CodeDeploy's only version) or a deployment
/// group: `aws deploy get-deployment-group`'s `deploymentGroupInfo`, or the group itself.
fn codedeploy(name: &str, doc: &Node) -> Option<Format> {
    let file = name.rsplit(['/', '\\']).next().unwrap_or(name).to_ascii_lowercase();
    let sections = ["Resources", "Hooks", "hooks", "files", "os", "permissions"];
    let appspec = doc.get("version").and_then(Node::text) == Some("0.0")
        && (sections.iter().any(|s| doc.get(s).is_some()) || file.starts_with("appspec."));
    let group = doc.get("deploymentGroupInfo").unwrap_or(doc);
    let group = group.get("deploymentGroupName").is_some() && group.get("applicationName").is_some();
    (appspec || group).then_some(Format::CodeDeploy)
}

/// The formats that are not YAML, told by the file's name: a Jenkinsfile, an OCL file.
pub(super) fn by_name(name: &str) -> Option<Format> {
    let file = name.rsplit(['/', '\\']).next().unwrap_or(name).to_ascii_lowercase();
    if file == "jenkinsfile" || file.starts_with("jenkinsfile.") || file.ends_with(".jenkinsfile") {
        return Some(Format::Jenkins);
    }
    file.ends_with(".ocl").then_some(Format::Octopus)
}

/// Whether a file is likely one of the formats that are not YAML, by its name or its first line
/// that is not a comment (`pipeline {`, `node {`, `step "…" {`): cheap enough for the page to ask of
/// a file that fails as a spec before it loads the importer, which reads it properly.
pub fn looks_like_text_format(name: &str, text: &str) -> bool {
    if by_name(name).is_some() {
        return true;
    }
    let first = text.lines().map(str::trim).find(|l| {
        !l.is_empty() && !l.starts_with("//") && !l.starts_with("#") && !l.starts_with("/*") && !l.starts_with('@')
    });
    let Some(line) = first else { return false };
    let word: String = line.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
    let rest = line[word.len()..].trim_start();
    match word.as_str() {
        "pipeline" => rest.starts_with('{'),
        "node" => rest.starts_with('{') || rest.starts_with('('),
        "step" => rest.starts_with('"'),
        _ => false,
    }
}
