//! The rules. Sources for the facts behind them are in `../shared/reference/domain.md` (section D)
//! and in the tool knowledge files.

use super::{Rule, Severity};
use crate::spec::{Analysis, Duration, FailureAction, NotifyEvent, Tool};
use crate::tools::Unsupported;

pub static RULES: &[Rule] = &[
    Rule {
        id: "PB001",
        name: "first-deploy-tool-rollback-only",
        severity: Severity::Error,
        why: "On a first deployment the tool's rollback has no earlier version to return to. Harness's Kubernetes Rolling Rollback, for one, logs that it cannot roll back and still reports success, leaving the new workload up.",
        fix: "Add a kill switch under `kill_switches`, or explicit steps under `fallback.steps`; the plan's fallback ladder proposes removal steps to adopt.",
        example: "component: { name: payments-api }\ndeployment: { tool: harness, first_deployment: true }\n",
        fixed: "component: { name: payments-api }\ndeployment: { tool: harness, first_deployment: true }\nkill_switches:\n  - { kind: feature-flag, flag_key: payments-api-enabled }\n",
        check: |spec, k, out| {
            if spec.cannot_roll_back() && spec.kill_switches.is_empty() && spec.fallback.steps.is_empty() {
                let rollback = &k.tool(spec.tool()).words.rollback;
                out.push("kill_switches", format!(
                    "first deployment with no kill switch and no explicit fallback step: the only fallback is {rollback}, which has no earlier version to return to"
                ));
            }
        },
    },
    Rule {
        id: "PB002",
        name: "redeploy-previous-wording",
        severity: Severity::Error,
        why: "\"Redeploy the previous release\" is the boilerplate backout text of many change templates; on a first deployment there is no previous release, so the plan promises a step that cannot happen.",
        fix: "Replace it with the steps that remove or disable the new component (kill switch, route removal, removal of the workload).",
        example: "component: { name: payments-api }\ndeployment: { first_deployment: true }\nfallback:\n  notes: Roll back to the previous version via the pipeline.\n",
        fixed: "component: { name: payments-api }\ndeployment: { first_deployment: true }\nfallback:\n  notes: Turn the payments-api-enabled flag off, then delete the release.\n",
        check: |spec, _, out| {
            if !spec.cannot_roll_back() {
                return;
            }
            let mut texts: Vec<(String, &str)> = Vec::new();
            if let Some(notes) = &spec.fallback.notes {
                texts.push(("fallback.notes".into(), notes));
            }
            for (i, step) in spec.fallback.steps.iter().enumerate() {
                if let Some(action) = &step.action {
                    texts.push((format!("fallback.steps[{i}].action"), action));
                }
            }
            for (i, trigger) in spec.abort.triggers.iter().enumerate() {
                texts.push((format!("abort.triggers[{i}]"), trigger));
            }
            for (path, text) in texts {
                if let Some(phrase) = previous_version_phrase(text) {
                    out.push(path, format!("says \"{phrase}\", but a first deployment has no previous version"));
                }
            }
        },
    },
    Rule {
        id: "PB003",
        name: "irreversible-data-untested-restore",
        severity: Severity::Error,
        why: "A destructive or contracting data change cannot be backed out by removing the workload. Without a tested restore, or an expand/contract split that keeps the old shape working, the fallback cannot bring the data back.",
        fix: "Split it into expand now and contract after the fallback window, or take a backup right before it and test the restore (`backup_taken: true`, `restore_tested: true`).",
        example: "component: { name: ledger }\ndata_changes:\n  - { description: drop column legacy_ref, kind: destructive, backup_taken: true }\n",
        fixed: "component: { name: ledger }\ndata_changes:\n  - { description: drop column legacy_ref, kind: destructive, backup_taken: true, restore_tested: true }\n",
        check: |spec, _, out| {
            for (i, change) in spec.data_changes.iter().enumerate() {
                if change.is_one_way() && change.restore_tested != Some(true) {
                    let what = change.description.as_deref().unwrap_or("a data change");
                    let backup = if change.backup_taken == Some(true) { "a backup but no tested restore" } else { "no backup and no tested restore" };
                    out.push(format!("data_changes[{i}].restore_tested"), format!("\"{what}\" cannot be undone and has {backup}"));
                }
            }
        },
    },
    Rule {
        id: "PB004",
        name: "shared-resource-without-revert",
        severity: Severity::Warning,
        why: "Workload rollbacks revert workloads only: schema, queues, DNS, IAM and shared configuration changed alongside stay changed.",
        fix: "Say how to revert each shared resource (`revert`), who does it (`owner`) and how long it takes (`revert_time`).",
        example: "component: { name: orders }\nshared_resources:\n  - { kind: topic, name: orders.v2 }\n",
        fixed: "component: { name: orders }\nshared_resources:\n  - { kind: topic, name: orders.v2, revert: delete the topic after consumers detach, owner: Platform team, revert_time: 10m }\n",
        check: |spec, _, out| {
            for (i, r) in spec.shared_resources.iter().enumerate() {
                if r.revert.as_deref().is_none_or(|t| t.trim().is_empty()) {
                    let name = r.name.as_deref().unwrap_or("a shared resource");
                    out.push(format!("shared_resources[{i}].revert"), format!("{name} changes outside the workload and has no revert step"));
                }
            }
        },
    },
    Rule {
        id: "PB005",
        name: "no-kill-switch",
        severity: Severity::Warning,
        why: "A kill switch turns user-facing behaviour off in seconds, without a deployment; without one the fastest fallback is removing the workload, while users see errors.",
        fix: "Put the new behaviour behind a feature flag or another switch and list it under `kill_switches`, with its owner and time to take effect; or set `component.user_facing: false`.",
        example: "component: { name: checkout-ui }\n",
        fixed: "component: { name: checkout-ui }\nkill_switches:\n  - { kind: feature-flag, flag_key: new-checkout, owner: On-call SRE, takes_effect: 30s }\n",
        check: |spec, _, out| {
            if spec.is_user_facing() && spec.kill_switches.is_empty() {
                out.push("kill_switches", "user-facing change with no kill switch");
            }
        },
    },
    Rule {
        id: "PB006",
        name: "no-abort-criteria",
        severity: Severity::Error,
        why: "Without a metric, a threshold and a duration nobody can say when to fall back, so the decision is made late, under pressure.",
        fix: "List the KPIs under `verification.kpis` with metric, comparison, threshold and duration, or name triggers under `abort.triggers`.",
        example: "component: { name: search }\n",
        fixed: "component: { name: search }\nverification:\n  kpis:\n    - { metric: http_5xx_ratio, comparison: above, threshold: 1, unit: \"%\", duration: 5m }\n",
        check: |spec, _, out| {
            if spec.verification.kpis.is_empty() && spec.abort.triggers.is_empty() {
                out.push("verification.kpis", "no abort criteria: no KPI with a threshold and no abort trigger");
            }
        },
    },
    Rule {
        id: "PB007",
        name: "abort-criterion-incomplete",
        severity: Severity::Warning,
        why: "An abort criterion needs a metric, a threshold and how long it must be crossed; without any one of them it cannot fire.",
        fix: "Give every KPI its `metric`, `threshold` and `duration`.",
        example: "component: { name: search }\nverification:\n  kpis:\n    - { metric: p99_latency_ms, threshold: 800 }\n",
        fixed: "component: { name: search }\nverification:\n  kpis:\n    - { metric: p99_latency_ms, threshold: 800, duration: 10m }\n",
        check: |spec, _, out| {
            for (i, kpi) in spec.verification.kpis.iter().enumerate() {
                let mut missing = Vec::new();
                if kpi.metric.as_deref().is_none_or(|m| m.trim().is_empty()) {
                    missing.push("metric");
                }
                if kpi.threshold.is_none() {
                    missing.push("threshold");
                }
                if kpi.duration.is_none() {
                    missing.push("duration");
                }
                if let Some(first) = missing.first() {
                    out.push(format!("verification.kpis[{i}].{first}"), format!("KPI without {}", missing.join(", ")));
                }
            }
        },
    },
    Rule {
        id: "PB008",
        name: "no-decision-owner",
        severity: Severity::Warning,
        why: "Someone must own the call to fall back, with a time limit; otherwise the team debates while users are affected.",
        fix: "Name `abort.decision_owner` (or `people.incident_lead`) and set `abort.decision_window`.",
        example: "component: { name: search }\n",
        fixed: "component: { name: search }\nabort: { decision_owner: Dana Kim, decision_window: 10m }\n",
        check: |spec, _, out| {
            let owner = spec.abort.decision_owner.as_deref().is_some_and(|o| !o.trim().is_empty())
                || spec.people.incident_lead.as_ref().is_some_and(|p| p.name.is_some());
            if !owner {
                out.push("abort.decision_owner", "nobody owns the decision to fall back");
            } else if spec.abort.decision_window.is_none() {
                out.push("abort.decision_window", "the decision to fall back has no time limit");
            }
        },
    },
    Rule {
        id: "PB009",
        name: "baseline-verification-first-deploy",
        severity: Severity::Warning,
        why: "Baseline and machine-learning verification compare the new version with the one before it. A first deployment may have no baseline (Kayenta, Flagger and Argo Rollouts skip or weaken analysis then; Harness's Load Test verification compares with the last passed verification, which a first deployment lacks), so verification can pass without evidence.",
        fix: "Use threshold analysis with absolute thresholds (`verification.analysis: threshold`) for the first deployment.",
        example: "component: { name: search }\ndeployment: { first_deployment: true }\nverification: { analysis: ml }\n",
        fixed: "component: { name: search }\ndeployment: { first_deployment: true }\nverification: { analysis: threshold }\n",
        check: |spec, _, out| {
            if spec.cannot_roll_back() && matches!(spec.verification.analysis, Some(Analysis::Baseline | Analysis::Ml)) {
                out.push("verification.analysis", "first deployment relies on baseline or machine-learning verification, which may have no baseline");
            }
        },
    },
    Rule {
        id: "PB010",
        name: "verify-passes-without-data",
        severity: Severity::Warning,
        why: "In Harness, a Verify step with no data to analyse passes unless Fail On No Analysis (`failOnNoAnalysis`) is on. Harness offers it for Auto, Rolling, Canary, Blue Green and Load Test verification, not for Simple Verification (threshold analysis), whose form hides and clears it; there the step's `failIfAnyCustomMetricInNoAnalysis` fails custom metrics without analysis (see PB110).",
        fix: "With baseline or machine-learning analysis, set `verification.fail_on_no_analysis: true` and turn on Fail On No Analysis in the Verify step; with threshold analysis, set the Verify step's `failIfAnyCustomMetricInNoAnalysis` instead (planb's snippet does).",
        example: "component: { name: search }\ndeployment: { tool: harness }\nverification: { analysis: baseline }\n",
        fixed: "component: { name: search }\ndeployment: { tool: harness }\nverification: { analysis: baseline, fail_on_no_analysis: true }\n",
        check: |spec, _, out| {
            let compares = matches!(spec.verification.analysis, Some(Analysis::Baseline | Analysis::Ml));
            if spec.tool() == Tool::Harness && compares && spec.verification.fail_on_no_analysis != Some(true) {
                out.push("verification.fail_on_no_analysis", "Verify may pass with no data: Fail On No Analysis (failOnNoAnalysis) is not on");
            }
        },
    },
    Rule {
        id: "PB011",
        name: "manual-intervention-without-timeout-action",
        severity: Severity::Warning,
        why: "A Manual Intervention waits for a person; without a timeout and a timeout action the stage either waits indefinitely or takes a default nobody chose.",
        fix: "Give the strategy a `timeout` (the decision window) and an `on_timeout` action such as `rollback-stage` or `abort`.",
        example: "component: { name: search }\ndeployment:\n  failure_strategies:\n    - { errors: [verification], action: manual-intervention }\n",
        fixed: "component: { name: search }\ndeployment:\n  failure_strategies:\n    - { errors: [verification], action: manual-intervention, timeout: 15m, on_timeout: rollback-stage }\n",
        check: |spec, _, out| {
            for (i, fs) in spec.deployment.failure_strategies.iter().enumerate() {
                if fs.action == Some(FailureAction::ManualIntervention) {
                    if fs.on_timeout.is_none() {
                        out.push(format!("deployment.failure_strategies[{i}].on_timeout"), "Manual Intervention without a timeout action");
                    } else if fs.timeout.is_none() {
                        out.push(format!("deployment.failure_strategies[{i}].timeout"), "Manual Intervention without a timeout");
                    }
                }
            }
        },
    },
    Rule {
        id: "PB012",
        name: "no-failure-notification",
        severity: Severity::Warning,
        why: "If a failed or stuck deployment notifies nobody, the fallback starts only when someone happens to look.",
        fix: "Add a notification on a failure event (pipeline-failed, stage-failed or step-failed) to the incident channel or pager.",
        example: "component: { name: search }\n",
        fixed: "component: { name: search }\nnotifications:\n  - { on: pipeline-failed, channel: slack, target: \"#search-oncall\" }\n",
        check: |spec, _, out| {
            if !spec.notifications.iter().any(|n| n.on.is_some_and(NotifyEvent::is_failure)) {
                out.push("notifications", "no notification fires when the deployment fails");
            }
        },
    },
    Rule {
        id: "PB013",
        name: "fallback-not-rehearsed",
        severity: Severity::Warning,
        why: "A fallback that was never tried tends to fail on a missing permission, a wrong name or a step nobody knew; a rehearsal also gives its real duration.",
        fix: "Run the fallback ladder in staging, time it, and record it under `rehearsal`.",
        example: "component: { name: search }\n",
        fixed: "component: { name: search }\nrehearsal: { done: true, environment: staging, took: 18m }\n",
        check: |spec, _, out| {
            if spec.rehearsal.done != Some(true) {
                out.push("rehearsal.done", "the fallback has not been rehearsed");
            }
        },
    },
    Rule {
        id: "PB014",
        name: "fallback-duration-unknown",
        severity: Severity::Warning,
        why: "A change board weighs the fallback by how long users are affected; a rehearsal without a measured duration does not tell them.",
        fix: "Record how long the rehearsed fallback took in `rehearsal.took`.",
        example: "component: { name: search }\nrehearsal: { done: true, environment: staging }\n",
        fixed: "component: { name: search }\nrehearsal: { done: true, environment: staging, took: 18m }\n",
        check: |spec, _, out| {
            if spec.rehearsal.done == Some(true) && spec.rehearsal.took.is_none() {
                out.push("rehearsal.took", "the rehearsal has no stated duration");
            }
        },
    },
    Rule {
        id: "PB015",
        name: "window-without-incident-lead",
        severity: Severity::Error,
        why: "A change window with nobody leading the response means nobody is sure to call and coordinate the fallback.",
        fix: "Name `people.incident_lead` with a contact, available for the whole window.",
        example: "component: { name: search }\nchange:\n  window: { start: \"2026-12-03 20:00\", end: \"2026-12-03 22:00\", timezone: UTC }\n",
        fixed: "component: { name: search }\nchange:\n  window: { start: \"2026-12-03 20:00\", end: \"2026-12-03 22:00\", timezone: UTC }\npeople:\n  incident_lead: { name: Dana Kim, contact: \"@dana\" }\n",
        check: |spec, _, out| {
            let lead = spec.people.incident_lead.as_ref().is_some_and(|p| p.name.as_deref().is_some_and(|n| !n.trim().is_empty()));
            if spec.change.window.is_some() && !lead {
                out.push("people.incident_lead", "the change window has no incident lead");
            }
        },
    },
    Rule {
        id: "PB016",
        name: "failure-ignored",
        severity: Severity::Warning,
        why: "Ignore Failure and Mark as Success turn a failed deployment or verification green: the fallback never starts, and in Harness such runs cannot use post-deployment rollback.",
        fix: "Use Manual Intervention with a timeout action, or Rollback Stage with explicit removal steps.",
        example: "component: { name: search }\ndeployment:\n  failure_strategies:\n    - { scope: Verify, action: ignore-failure }\n",
        fixed: "component: { name: search }\ndeployment:\n  failure_strategies:\n    - { scope: Verify, action: manual-intervention, timeout: 15m, on_timeout: rollback-stage }\n",
        check: |spec, _, out| {
            for (i, fs) in spec.deployment.failure_strategies.iter().enumerate() {
                for (field, action) in [("action", fs.action), ("on_timeout", fs.on_timeout)] {
                    if matches!(action, Some(FailureAction::IgnoreFailure | FailureAction::MarkAsSuccess)) {
                        let scope = fs.scope.as_deref().unwrap_or("the stage");
                        out.push(format!("deployment.failure_strategies[{i}].{field}"), format!("failures of {scope} are marked as success or ignored"));
                    }
                }
            }
        },
    },
    Rule {
        id: "PB017",
        name: "chained-pipelines",
        severity: Severity::Warning,
        why: "A chained child pipeline does not roll back when its parent does, so what it deployed stays.",
        fix: "Give every child pipeline its own fallback steps and list them under `fallback.steps`.",
        example: "component: { name: search }\ndeployment: { chained_pipelines: true }\n",
        fixed: "component: { name: search }\ndeployment: { chained_pipelines: false }\n",
        check: |spec, _, out| {
            if spec.deployment.chained_pipelines == Some(true) && spec.fallback.steps.is_empty() {
                out.push("deployment.chained_pipelines", "child pipelines do not roll back with their parent, and no fallback step covers them");
            }
        },
    },
    Rule {
        id: "PB018",
        name: "window-too-short",
        severity: Severity::Warning,
        why: "If the rollout's bake times and the fallback do not fit in the change window, the team must either cut verification short or fall back outside the window.",
        fix: "Lengthen the window, shorten bake times, or split the rollout over two windows.",
        example: "component: { name: search }\nchange:\n  window: { start: \"2026-12-03 20:00\", end: \"2026-12-03 21:00\" }\nrollout: { strategy: canary, steps: [10, 50, 100], bake_time: 30m }\n",
        fixed: "component: { name: search }\nchange:\n  window: { start: \"2026-12-03 20:00\", end: \"2026-12-04 00:00\" }\nrollout: { strategy: canary, steps: [10, 50, 100], bake_time: 30m }\n",
        check: |spec, _, out| {
            let Some(w) = &spec.change.window else { return };
            let (Some(start), Some(end)) = (w.start, w.end) else { return };
            let window = start.minutes_until(end);
            let fastest = spec.kill_switches.iter().filter_map(|k| k.takes_effect).min().unwrap_or(FALLBACK_ESTIMATE);
            let needed = spec.total_bake().saturating_add(fastest).as_secs().div_ceil(60);
            if window > 0 && i64::from(needed) > window {
                out.push("change.window.end", format!(
                    "the window is {window} minutes, but the rollout's bake times and the fastest fallback need about {needed}"
                ));
            }
        },
    },
    Rule {
        id: "PB019",
        name: "window-ends-before-start",
        severity: Severity::Error,
        why: "A window that ends before it starts is a typo that makes the schedule meaningless.",
        fix: "Correct `change.window.start` or `change.window.end`.",
        example: "component: { name: search }\nchange:\n  window: { start: \"2026-12-03 22:00\", end: \"2026-12-03 20:00\" }\n",
        fixed: "component: { name: search }\nchange:\n  window: { start: \"2026-12-03 20:00\", end: \"2026-12-03 22:00\" }\n",
        check: |spec, _, out| {
            let Some(w) = &spec.change.window else { return };
            if let (Some(start), Some(end)) = (w.start, w.end) {
                if start.minutes_until(end) <= 0 {
                    out.push("change.window.end", format!("the window ends ({end}) before or when it starts ({start})"));
                }
            }
        },
    },
    Rule {
        id: "PB020",
        name: "kill-switch-incomplete",
        severity: Severity::Warning,
        why: "A kill switch is only as good as the person allowed to flip it and the time it takes to act.",
        fix: "Give every kill switch an `owner` and `takes_effect`.",
        example: "component: { name: search }\nkill_switches:\n  - { kind: feature-flag, flag_key: new-search }\n",
        fixed: "component: { name: search }\nkill_switches:\n  - { kind: feature-flag, flag_key: new-search, owner: On-call SRE, takes_effect: 30s }\n",
        check: |spec, _, out| {
            for (i, ks) in spec.kill_switches.iter().enumerate() {
                if ks.owner.as_deref().is_none_or(|o| o.trim().is_empty()) {
                    out.push(format!("kill_switches[{i}].owner"), "nobody is named to flip this kill switch");
                } else if ks.takes_effect.is_none() {
                    out.push(format!("kill_switches[{i}].takes_effect"), "how long this kill switch takes to act is unknown");
                }
            }
        },
    },
    Rule {
        id: "PB021",
        name: "first-deployment-unstated",
        severity: Severity::Info,
        why: "planb assumes a first deployment when the spec does not say; the plan is more cautious than it may need to be.",
        fix: "Set `deployment.first_deployment` to true or false.",
        example: "component: { name: search }\n",
        fixed: "component: { name: search }\ndeployment: { first_deployment: true }\n",
        check: |spec, _, out| {
            if spec.deployment.first_deployment.is_none() {
                out.push("deployment.first_deployment", "not stated; the plan assumes a first deployment");
            }
        },
    },
    Rule {
        id: "PB022",
        name: "tool-without-specific-knowledge",
        severity: Severity::Info,
        why: "planb words the plan in the tool's own terms only for tools it has knowledge of; for others it uses neutral wording that the team should map to their tool.",
        fix: "Set `deployment.tool` to a tool planb knows (harness, argo-rollouts, argo-cd, flagger, spinnaker, github-actions, gitlab, jenkins, octopus, codedeploy), or check the neutral steps against your tool.",
        example: "component: { name: search }\ndeployment: { tool: other }\n",
        fixed: "component: { name: search }\ndeployment: { tool: harness }\n",
        check: |spec, k, out| {
            let tool = spec.tool();
            if !k.knows(tool) {
                let name = if spec.deployment.tool.is_none() { "no tool is named" } else { tool.display_name() };
                out.push("deployment.tool", format!("{name}: the plan uses tool-neutral wording"));
            }
        },
    },
    Rule {
        id: "PB023",
        name: "tool-cannot-deploy-this-way",
        severity: Severity::Error,
        why: "A plan for a platform or strategy the tool does not support describes steps that cannot be run; its snippet would be wrong by construction, so planb prints none.",
        fix: "Name the platform and strategy the tool really deploys with (`docs/tools.md` lists them per tool), or the tool that deploys this way.",
        example: "component: { name: search }
deployment: { tool: argo-rollouts, platform: ecs }
",
        fixed: "component: { name: search }
deployment: { tool: argo-rollouts, platform: kubernetes }
",
        check: |spec, k, out| {
            let (platform, strategy) = (spec.deployment.platform, spec.rollout.strategy);
            if let Some(why) = k.tool(spec.tool()).unsupported(platform, strategy, spec.situation()) {
                let tool = spec.tool().display_name();
                let (path, message) = match why {
                    Unsupported::Platform => {
                        ("deployment.platform", format!("{tool} does not deploy to {}", platform.map_or("it", |p| p.key())))
                    }
                    Unsupported::Case(why) => ("rollout.strategy", format!("{tool} cannot deploy this way: {why}")),
                };
                out.push(path, message);
            }
        },
    },
    Rule {
        id: "PB024",
        name: "first-deployment-with-earlier-version",
        severity: Severity::Warning,
        why: "A first deployment has no earlier version, yet the spec names one: the plan cannot both remove the new component and return to an earlier one, and planb takes the first-deployment side.",
        fix: "Set `deployment.first_deployment: false` when an earlier version runs, or drop `deployment.previous_version`.",
        example: "component: { name: search }
deployment: { first_deployment: true, previous_version: \"5.1.3\" }
",
        fixed: "component: { name: search }
deployment: { first_deployment: false, previous_version: \"5.1.3\" }
",
        check: |spec, _, out| {
            let earlier = spec.deployment.previous_version.as_ref().is_some_and(|p| p.exists());
            if spec.deployment.first_deployment == Some(true) && earlier {
                out.push(
                    "deployment.previous_version",
                    "names an earlier version, but deployment.first_deployment says there is none; the plan treats it as a first deployment",
                );
            }
        },
    },
];

/// The fallback time assumed without a kill switch: routing traffic away and removing the workload.
const FALLBACK_ESTIMATE: Duration = Duration::from_mins(15);

/// Phrases that promise a return to an earlier version.
const PREVIOUS_VERSION_PHRASES: &[&str] = &[
    "previous version",
    "previous release",
    "previous build",
    "previous deployment",
    "prior version",
    "prior release",
    "earlier version",
    "last known good",
    "last good release",
    "old version",
];

/// The first previous-version phrase in a text, compared case-insensitively.
fn previous_version_phrase(text: &str) -> Option<&'static str> {
    let lower = text.to_ascii_lowercase();
    PREVIOUS_VERSION_PHRASES.iter().copied().find(|p| lower.contains(p))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::parse_spec;
    use crate::tools::Knowledge;

    #[test]
    fn every_rule_fires_on_its_example_and_not_on_its_fix() {
        let knowledge = Knowledge::load().unwrap();
        for rule in RULES {
            let fires = crate::findings::check(&parse_spec(rule.example).unwrap(), &knowledge);
            assert!(fires.iter().any(|f| f.id == rule.id), "{} does not fire on its example", rule.id);
            let quiet = crate::findings::check(&parse_spec(rule.fixed).unwrap(), &knowledge);
            assert!(!quiet.iter().any(|f| f.id == rule.id), "{} fires on its fixed example", rule.id);
        }
    }

    #[test]
    fn rule_ids_are_unique_and_sequential() {
        for (i, rule) in RULES.iter().enumerate() {
            assert_eq!(rule.id, format!("PB{:03}", i + 1));
        }
    }

    #[test]
    fn previous_version_wording_is_found_in_any_case() {
        assert_eq!(previous_version_phrase("Redeploy the PREVIOUS Release"), Some("previous release"));
        assert_eq!(previous_version_phrase("turn the flag off"), None);
    }
}
