//! Parsing `planb`'s arguments into a [`Command`].

use std::ffi::OsString;
use std::path::PathBuf;

use crate::render::FORMATS;
use crate::report::ReportFormat;
use crate::spec::Tool;
use crate::{Format, Style};
use lexopt::prelude::*;

pub const HELP: &str = "\
planb: fallback plans for deployments that cannot roll back

Usage: planb <COMMAND> [OPTIONS]

Commands:
  init      Write a commented starter spec
  render    Render the fallback plan for a spec
  check     List the gaps in a spec or a pipeline file (exit 1 on any error-level finding)
  import    Write a spec from pipeline files, each field naming the line it came from
  build     Turn a folder of specs into a static site of plans
  link      Print the page's permalink for a spec
  embed     Print the code that embeds a spec's plan in a wiki page
  schema    Print the JSON Schema of the spec
  help      Print this help, or a command's help

Options:
  -h, --help     Print help
  -V, --version  Print version

Examples:
  planb init --tool harness -o spec.yaml
  planb check spec.yaml
  planb import rollout.yaml analysis.yaml -o spec.yaml
  planb check .gitlab-ci.yml
  planb render spec.yaml --style brief
  planb render spec.yaml -o plan.md
  planb render spec.yaml --format servicenow > fields.json
  cat spec.json | planb render - --format text
  planb link spec.yaml --base https://plans.example.com/
  planb build specs/ -o public/ --base-url https://plans.example.com/

A spec is YAML or JSON; `-` reads it from standard input.

Exit codes:
  0  success (for check: no error-level finding)
  1  check found an error-level finding
  2  invalid input or usage; the message names the file, line, column and field
";

const INIT_HELP: &str = "\
Write a commented starter spec

Usage: planb init [--tool TOOL] [-o FILE] [--force]

Options:
  --tool TOOL      harness, argo-rollouts, argo-cd, flagger, spinnaker, github-actions,
                   gitlab, jenkins, octopus, codedeploy or other [default: harness]
  -o, --output FILE  Write to FILE instead of standard output (refuses to overwrite without --force)
  --force          Overwrite FILE if it exists
";

const RENDER_HELP: &str = "\
Render the fallback plan for a spec

Usage: planb render <SPEC> [--format FORMAT] [--style STYLE] [-o FILE]

Arguments:
  <SPEC>  The spec file (YAML or JSON), or - for standard input

Options:
  --format FORMAT    [default: markdown]
                       markdown       GitHub/GitLab Markdown
                       text           plain text, for email or chat
                       html           one self-contained HTML file (inline CSS, no script)
                       html-fragment  the plan as an HTML <article>
                       confluence     Confluence storage format (XHTML)
                       wiki           Confluence/Jira wiki markup
                       slack          Slack mrkdwn
                       servicenow     ServiceNow change fields, JSON keyed by field
                       json           the whole plan and its findings (schema/plan.schema.json)
                       mermaid        the fallback ladder as a Mermaid flowchart
                       svg            the fallback ladder as an SVG picture
                       checklist      the change window's checklist: numbered steps, each with a
                                      box and blanks for the time and initials, to print or paste
                       checklist-markdown  the same checklist as a Markdown task list
  --style STYLE      detailed (the whole plan) or brief (a reply to the deployment support team);
                     formats without a brief form render the whole plan [default: detailed]
  -o, --output FILE  Write to FILE (atomically) instead of standard output

Examples:
  planb render spec.yaml -o plan.md
  planb render spec.yaml --format checklist > change-window.txt
  planb render spec.yaml --format servicenow
";

const BUILD_HELP: &str = "\
Turn a folder of specs (YAML or JSON, searched recursively) into a static site of plans

Usage: planb build <SPECS_DIR> -o <SITE_DIR> [--base-url URL] [--keep-going] [--jobs N]

Each spec becomes plans/<name>.html (standalone, printable) with its .md, .txt, .confluence.xml and
.json beside it; index.html lists every plan (each column header links to that sort) with a roll-up
of the findings. The site is built beside SITE_DIR and swapped in at the end, so a failed build
leaves the old site as it was; SITE_DIR is replaced only if planb wrote it (or it is empty).

Options:
  -o, --output SITE_DIR  Where the site goes
  --base-url URL         The hosted page's address, for an \"Open in editor\" link on every plan
  --keep-going           Build the other specs when one is invalid, list the failures, exit 1
  --jobs N               Worker threads [default: one per core]

Exit codes: 0 built, 1 built with --keep-going but some specs failed, 2 invalid spec or folder.
";

const LINK_HELP: &str = "\
Print the page's permalink for a spec (the whole spec, compressed, in the URL's fragment), or with
--decode the spec a link holds, as YAML

Usage: planb link <SPEC> [--base URL]
       planb link --decode <LINK>

Options:
  --base URL  The page's address [default: none: print the fragment alone]
  --decode    Read a link (a whole address or its #v1.… fragment; - for standard input) and print
              its spec

Links longer than 2000 characters get a warning: chat tools and wikis may cut them. render and check
also take a link where they take a spec file.

Examples:
  planb link spec.yaml --base https://plans.example.com/
  planb link --decode 'https://plans.example.com/#v1.q1YqSs1LzVGyUqpWyk…' > spec.yaml
  planb check 'https://plans.example.com/#v1.q1YqSs1LzVGyUqpWyk…'
";

const EMBED_HELP: &str = "\
Print the code that embeds a spec's plan in a wiki page (the page's embed view in an iframe)

Usage: planb embed <SPEC> --base URL [--confluence]

Options:
  --base URL      The page's address (where embed.html is served)
  --confluence    Print Confluence Cloud's iframe macro in storage format instead of HTML
";

const CHECK_HELP: &str = "\
List the gaps in specs and pipeline files; exit 1 if any is an error

Usage: planb check <FILE>... [--format FORMAT]

Arguments:
  <FILE>...  Spec files (YAML or JSON), pipeline files (the formats `planb import` reads, checked
             together: a Rollout and its AnalysisTemplate may be in two files), or - for standard input

Exit codes: 0 no error-level finding, 1 an error-level finding in any file, 2 an invalid file
(every other file is still checked, and reported in the format asked for).

Examples:
  planb check spec.yaml
  planb check rollout.yaml analysis-templates.yaml
  planb check .github/workflows/deploy.yml .gitlab-ci.yml --format json
  planb check deploy/*.yaml --format sarif > planb.sarif      # for github/codeql-action/upload-sarif
  planb check .gitlab-ci.yml --format gitlab > gl-code-quality-report.json

Options:
  --format FORMAT  text      one line a finding, for people [default]
                   json      planb's JSON: one object a file
                   sarif     SARIF 2.1.0, for GitHub code scanning and other SARIF viewers
                   github    GitHub Actions workflow commands: annotations on the pull request
                   gitlab    GitLab's Code Quality report, for artifacts:reports:codequality
";

const IMPORT_HELP: &str = "\
Write a spec from pipeline files: each field names the line it came from; what the files cannot
say (first deployment or update, owners, kill switches) is left as a commented question to confirm

Usage: planb import <FILE>... [-o SPEC]

Arguments:
  <FILE>...  Pipeline files read together, or - for standard input. The format is told from the
             content (and the names .gitlab-ci.yml, .github/workflows/, Jenkinsfile, *.ocl):
               Argo Rollouts   Rollout, AnalysisTemplate, ClusterAnalysisTemplate (multi-document)
               Flagger         Canary, MetricTemplate, AlertProvider
               GitHub Actions  a workflow: deploy, verify and fallback jobs, needs, if, environment
               GitLab CI       jobs, stages, when, needs, environment, extends, anchors; an include
                               is named as not followed
               Harness CD      v0 YAML: a pipeline, a pipeline or stage template; Deployment stages,
                               steps and step groups, rollbackSteps, failureStrategies, Verify,
                               approvals; <+input> and other expressions kept and marked to confirm
               Argo CD         Application, ApplicationSet: automated sync, selfHeal, prune,
                               finalizers, ignoreApplicationDifferences
               Spinnaker       pipeline JSON: the stage graph, deploy, judgment, canary and fallback
                               stages, failPipeline and continuePipeline, stageEnabled, triggers
               AWS CodeDeploy  an AppSpec file (ECS, Lambda, EC2) and a deployment group as
                               `aws deploy get-deployment-group` prints it
               Octopus Deploy  config as code: deployment_process.ocl (steps, run conditions,
                               manual interventions, environments)
               Jenkins         a declarative Jenkinsfile (stages, input, options { timeout },
                               post, when); a line that is no declarative call is named, not guessed
             Recognised and refused, not guessed: Harness's newer v1 YAML, Spinnaker templated
             pipelines, Jenkins scripted pipelines (node { … })

Options:
  -o, --output SPEC  Write to SPEC (atomically) instead of standard output

Examples:
  planb import rollout.yaml analysis-templates.yaml -o spec.yaml
  planb import canary.yaml metric-templates.yaml > spec.yaml
  planb import .github/workflows/deploy.yml -o spec.yaml
  planb import .gitlab-ci.yml -o spec.yaml
  planb import harness/payments-pipeline.yaml -o spec.yaml
  planb import argocd/payments-app.yaml -o spec.yaml
  planb import appspec.yaml deployment-group.json -o spec.yaml
  planb import .octopus/payments-api/deployment_process.ocl -o spec.yaml
  planb import Jenkinsfile -o spec.yaml
  kubectl get rollout payments-api -o yaml | planb import -
  spin pipeline get --application checkout --name deploy | planb import -
";

const SCHEMA_HELP: &str = "\
Print the JSON Schema of the spec, for editor completion

Usage: planb schema
";

/// A parsed command line. `Decode` is `planb link --decode`: the link's text, or `-` for standard input.
#[derive(Debug)]
pub enum Command {
    Help(&'static str),
    Version,
    Init { tool: Tool, output: Option<PathBuf>, force: bool },
    Render { spec: PathBuf, format: Format, style: Style, output: Option<PathBuf> },
    Check { specs: Vec<PathBuf>, format: ReportFormat },
    Import { files: Vec<PathBuf>, output: Option<PathBuf> },
    Link { spec: PathBuf, base: Option<String> },
    Decode { link: String },
    Build { specs: PathBuf, out: PathBuf, base_url: Option<String>, keep_going: bool, jobs: usize },
    Embed { spec: PathBuf, base: String, confluence: bool },
    Schema,
}

fn help_for(command: &str) -> Option<&'static str> {
    Some(match command {
        "init" => INIT_HELP,
        "render" => RENDER_HELP,
        "check" => CHECK_HELP,
        "import" => IMPORT_HELP,
        "schema" => SCHEMA_HELP,
        "link" => LINK_HELP,
        "build" => BUILD_HELP,
        "embed" => EMBED_HELP,
        _ => return None,
    })
}

pub fn parse(argv: Vec<OsString>) -> Result<Command, String> {
    let mut p = lexopt::Parser::from_args(argv);
    let name = match p.next().map_err(|e| e.to_string())? {
        None => return Ok(Command::Help(HELP)),
        Some(Short('h') | Long("help")) => return Ok(Command::Help(HELP)),
        Some(Short('V') | Long("version")) => return Ok(Command::Version),
        Some(Value(v)) => v.string().map_err(|e| e.to_string())?,
        Some(other) => return Err(other.unexpected().to_string()),
    };
    let result = match name.as_str() {
        "help" => match p.next().map_err(|e| e.to_string())? {
            Some(Value(v)) => {
                let c = v.string().map_err(|e| e.to_string())?;
                help_for(&c).map(Command::Help).ok_or_else(|| format!("unknown command `{c}`"))
            }
            _ => Ok(Command::Help(HELP)),
        },
        "init" => parse_init(&mut p),
        "render" => parse_render(&mut p),
        "check" => parse_check(&mut p),
        "import" => parse_import(&mut p),
        "link" | "embed" => parse_share(&mut p, &name),
        "build" => parse_build(&mut p),
        "schema" => match p.next().map_err(|e| e.to_string())? {
            None => Ok(Command::Schema),
            Some(Short('h') | Long("help")) => Ok(Command::Help(SCHEMA_HELP)),
            Some(other) => Err(other.unexpected().to_string()),
        },
        other => Err(format!(
            "unknown command `{other}`; expected init, render, check, import, build, link, embed, schema or help"
        )),
    };
    result.map_err(|e| match help_for(&name) {
        Some(_) => format!("{e} (see `planb {name} --help`)"),
        None => e,
    })
}

fn value_str(p: &mut lexopt::Parser) -> Result<String, String> {
    p.value().map_err(|e| e.to_string())?.string().map_err(|e| e.to_string())
}

fn choice<T>(option: &str, value: &str, choices: &[(&str, T)]) -> Result<T, String>
where
    T: Copy,
{
    choices.iter().find(|(k, _)| *k == value).map(|(_, v)| *v).ok_or_else(|| {
        let names: Vec<&str> = choices.iter().map(|(k, _)| *k).collect();
        format!("invalid value `{value}` for {option}; expected one of: {}", names.join(", "))
    })
}

fn parse_init(p: &mut lexopt::Parser) -> Result<Command, String> {
    let (mut tool, mut output, mut force) = (Tool::Harness, None, false);
    while let Some(arg) = p.next().map_err(|e| e.to_string())? {
        match arg {
            Short('h') | Long("help") => return Ok(Command::Help(INIT_HELP)),
            Long("tool") => {
                let tools: Vec<(&str, Tool)> = Tool::ALL.iter().map(|t| (t.key(), *t)).collect();
                tool = choice("--tool", &value_str(p)?, &tools)?;
            }
            Short('o') | Long("output") => output = Some(PathBuf::from(p.value().map_err(|e| e.to_string())?)),
            Long("force") => force = true,
            other => return Err(other.unexpected().to_string()),
        }
    }
    Ok(Command::Init { tool, output, force })
}

fn parse_render(p: &mut lexopt::Parser) -> Result<Command, String> {
    let (mut spec, mut format, mut style, mut output) = (None, Format::Markdown, Style::Detailed, None);
    while let Some(arg) = p.next().map_err(|e| e.to_string())? {
        match arg {
            Short('h') | Long("help") => return Ok(Command::Help(RENDER_HELP)),
            Long("format") => {
                let value = value_str(p)?;
                format = Format::from_key(&value).ok_or_else(|| {
                    let keys: Vec<&str> = FORMATS.iter().map(|f| f.key).collect();
                    format!("invalid value `{value}` for --format; expected one of: {}", keys.join(", "))
                })?;
            }
            Long("style") => {
                style = choice("--style", &value_str(p)?, &[("detailed", Style::Detailed), ("brief", Style::Brief)])?;
            }
            Short('o') | Long("output") => output = Some(PathBuf::from(p.value().map_err(|e| e.to_string())?)),
            Value(v) if spec.is_none() => spec = Some(PathBuf::from(v)),
            other => return Err(other.unexpected().to_string()),
        }
    }
    let spec = spec.ok_or("missing the spec file (use - for standard input)")?;
    Ok(Command::Render { spec, format, style, output })
}

fn parse_check(p: &mut lexopt::Parser) -> Result<Command, String> {
    let (mut specs, mut format) = (Vec::new(), ReportFormat::Text { colour: false });
    while let Some(arg) = p.next().map_err(|e| e.to_string())? {
        match arg {
            Short('h') | Long("help") => return Ok(Command::Help(CHECK_HELP)),
            Long("format") => {
                let name = value_str(p)?;
                format = ReportFormat::named(&name).ok_or_else(|| {
                    format!("invalid value `{name}` for --format; expected one of: {}", ReportFormat::NAMES.join(", "))
                })?;
            }
            Value(v) => specs.push(PathBuf::from(v)),
            other => return Err(other.unexpected().to_string()),
        }
    }
    if specs.is_empty() {
        return Err("missing the spec file (use - for standard input)".into());
    }
    Ok(Command::Check { specs, format })
}

fn parse_import(p: &mut lexopt::Parser) -> Result<Command, String> {
    let (mut files, mut output) = (Vec::new(), None);
    while let Some(arg) = p.next().map_err(|e| e.to_string())? {
        match arg {
            Short('h') | Long("help") => return Ok(Command::Help(IMPORT_HELP)),
            Short('o') | Long("output") => output = Some(PathBuf::from(p.value().map_err(|e| e.to_string())?)),
            Value(v) => files.push(PathBuf::from(v)),
            other => return Err(other.unexpected().to_string()),
        }
    }
    if files.is_empty() {
        return Err("missing the pipeline files (use - for standard input)".into());
    }
    Ok(Command::Import { files, output })
}

fn parse_share(p: &mut lexopt::Parser, command: &str) -> Result<Command, String> {
    let (mut spec, mut base, mut confluence, mut decode) = (None, None, false, false);
    while let Some(arg) = p.next().map_err(|e| e.to_string())? {
        match arg {
            Short('h') | Long("help") => {
                return Ok(Command::Help(if command == "link" { LINK_HELP } else { EMBED_HELP }))
            }
            Long("base") => base = Some(value_str(p)?),
            Long("confluence") if command == "embed" => confluence = true,
            Long("decode") if command == "link" => decode = true,
            Value(v) if spec.is_none() => spec = Some(v),
            other => return Err(other.unexpected().to_string()),
        }
    }
    if decode {
        if base.is_some() {
            return Err("--base makes a link; --decode reads one: give one of them".into());
        }
        let link = spec.ok_or("missing the link to decode (use - for standard input)")?;
        let link = link.into_string().map_err(|_| "the link is not UTF-8 text".to_string())?;
        return Ok(Command::Decode { link });
    }
    let spec = PathBuf::from(spec.ok_or("missing the spec file (use - for standard input)")?);
    if command == "link" {
        return Ok(Command::Link { spec, base });
    }
    let base = base.ok_or("missing --base URL: the address where the page (and its embed.html) is served")?;
    Ok(Command::Embed { spec, base, confluence })
}

fn parse_build(p: &mut lexopt::Parser) -> Result<Command, String> {
    let (mut specs, mut out, mut base_url, mut keep_going, mut jobs) = (None, None, None, false, 0);
    while let Some(arg) = p.next().map_err(|e| e.to_string())? {
        match arg {
            Short('h') | Long("help") => return Ok(Command::Help(BUILD_HELP)),
            Short('o') | Long("output") => out = Some(PathBuf::from(p.value().map_err(|e| e.to_string())?)),
            Long("base-url") => base_url = Some(value_str(p)?),
            Long("keep-going") => keep_going = true,
            Long("jobs") => {
                let value = value_str(p)?;
                jobs = value
                    .parse()
                    .map_err(|_| format!("invalid value `{value}` for --jobs; expected a whole number"))?;
            }
            Value(v) if specs.is_none() => specs = Some(PathBuf::from(v)),
            other => return Err(other.unexpected().to_string()),
        }
    }
    let specs = specs.ok_or("missing the folder of specs")?;
    let out = out.ok_or("missing -o SITE_DIR: where the site goes")?;
    Ok(Command::Build { specs, out, base_url, keep_going, jobs })
}
