//! What planb says about each tool, held against the tool's own documentation and source: one module
//! a tool (`tests/tool_truth/<tool>.rs`), each expected value reasoned from the source its comment
//! cites, never copied from planb's output. The snippets' validators run in `tests/tool_validators.rs`;
//! these tests read the plan and the snippet's structure.

#[path = "tool_truth/support.rs"]
mod support;

#[path = "tool_truth/argo_cd.rs"]
mod argo_cd;
#[path = "tool_truth/argo_rollouts.rs"]
mod argo_rollouts;
#[path = "tool_truth/codedeploy.rs"]
mod codedeploy;
#[path = "tool_truth/every_tool.rs"]
mod every_tool;
#[path = "tool_truth/flagger.rs"]
mod flagger;
#[path = "tool_truth/github_actions.rs"]
mod github_actions;
#[path = "tool_truth/gitlab.rs"]
mod gitlab;
#[path = "tool_truth/harness.rs"]
mod harness;
#[path = "tool_truth/jenkins.rs"]
mod jenkins;
#[path = "tool_truth/octopus.rs"]
mod octopus;
#[path = "tool_truth/spinnaker.rs"]
mod spinnaker;
