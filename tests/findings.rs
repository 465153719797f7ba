//! Every finding rule, table-driven: its severity, the field it points at, each input that makes it
//! fire and each that keeps it quiet, reasoned from the rule's documented meaning in
//! `docs/findings.md` (not from planb's output); then the exit code of `planb check` for each
//! severity, and the order findings come in.

use std::io::Write;
use std::process::{Command, Stdio};

use planb::{Engine, Severity};

struct Rule {
    id: &'static str,
    severity: Severity,
    /// Specs it must fire on, with the path it must name.
    fires: &'static [(&'static str, &'static str)],
    /// Specs it must stay quiet on.
    quiet: &'static [&'static str],
}

const N: &str = "component: { name: a }\n";

const RULES: &[Rule] = &[
    // A first deployment whose only fallback is the tool's rollback: no kill switch, no own step.
    Rule {
        id: "PB001",
        severity: Severity::Error,
        fires: &[
            ("component: { name: a }\ndeployment: { first_deployment: true }\n", "kill_switches"),
            // Unstated means a first deployment; `previous_version: false` too.
            ("component: { name: a }\n", "kill_switches"),
            ("component: { name: a }\ndeployment: { first_deployment: false, previous_version: false }\n", "kill_switches"),
        ],
        quiet: &[
            "component: { name: a }\ndeployment: { first_deployment: true }\nkill_switches: [{ kind: feature-flag }]\n",
            "component: { name: a }\ndeployment: { first_deployment: true }\nfallback: { steps: [{ action: delete it }] }\n",
            "component: { name: a }\ndeployment: { first_deployment: false, previous_version: \"1.2\" }\n",
            "component: { name: a }\ndeployment: { first_deployment: false }\n",
        ],
    },
    // "Previous version" promises on a first deployment, in notes, step actions and triggers.
    Rule {
        id: "PB002",
        severity: Severity::Error,
        fires: &[
            ("component: { name: a }\nfallback: { notes: Redeploy the previous release. }\n", "fallback.notes"),
            ("component: { name: a }\nfallback: { steps: [{ action: roll back to the LAST KNOWN GOOD build }] }\n", "fallback.steps[0].action"),
            ("component: { name: a }\nabort: { triggers: [errors rise; go back to the old version] }\n", "abort.triggers[0]"),
        ],
        quiet: &[
            "component: { name: a }\nfallback: { notes: Turn the flag off. }\n",
            // An update has a previous version: the words are true there.
            "component: { name: a }\ndeployment: { first_deployment: false, previous_version: \"2.0\" }\nfallback: { notes: Redeploy the previous release. }\n",
        ],
    },
    // One-way data changes (destructive, contract, or irreversible) without a tested restore.
    Rule {
        id: "PB003",
        severity: Severity::Error,
        fires: &[
            ("component: { name: a }\ndata_changes: [{ kind: destructive }]\n", "data_changes[0].restore_tested"),
            ("component: { name: a }\ndata_changes: [{ kind: expand }, { kind: contract, backup_taken: true }]\n", "data_changes[1].restore_tested"),
            ("component: { name: a }\ndata_changes: [{ kind: backfill, reversible: false, restore_tested: false }]\n", "data_changes[0].restore_tested"),
        ],
        quiet: &[
            "component: { name: a }\ndata_changes: [{ kind: destructive, restore_tested: true }]\n",
            "component: { name: a }\ndata_changes: [{ kind: expand }]\n",
            "component: { name: a }\ndata_changes: [{ kind: backfill, reversible: true }]\n",
        ],
    },
    // A shared resource with no (or a blank) revert.
    Rule {
        id: "PB004",
        severity: Severity::Warning,
        fires: &[
            ("component: { name: a }\nshared_resources: [{ kind: dns, name: a.example.com }]\n", "shared_resources[0].revert"),
            ("component: { name: a }\nshared_resources: [{ revert: x }, { revert: \"  \" }]\n", "shared_resources[1].revert"),
        ],
        quiet: &["component: { name: a }\nshared_resources: [{ revert: delete the record }]\n", N],
    },
    // User-facing (unstated counts as yes unless exposure is internal) with no kill switch.
    Rule {
        id: "PB005",
        severity: Severity::Warning,
        fires: &[(N, "kill_switches"), ("component: { name: a, user_facing: true }\nrollout: { exposure: internal }\n", "kill_switches")],
        quiet: &[
            "component: { name: a, user_facing: false }\n",
            "component: { name: a }\nrollout: { exposure: internal }\n",
            "component: { name: a }\nkill_switches: [{ kind: config-toggle }]\n",
        ],
    },
    // No KPI and no trigger.
    Rule {
        id: "PB006",
        severity: Severity::Error,
        fires: &[(N, "verification.kpis")],
        quiet: &[
            "component: { name: a }\nverification: { kpis: [{ metric: m }] }\n",
            "component: { name: a }\nabort: { triggers: [support reports errors] }\n",
        ],
    },
    // A KPI missing metric, threshold or duration: the path names the first missing one.
    Rule {
        id: "PB007",
        severity: Severity::Warning,
        fires: &[
            ("component: { name: a }\nverification: { kpis: [{ threshold: 1, duration: 5m }] }\n", "verification.kpis[0].metric"),
            ("component: { name: a }\nverification: { kpis: [{ metric: m, duration: 5m }] }\n", "verification.kpis[0].threshold"),
            ("component: { name: a }\nverification: { kpis: [{ metric: m, threshold: 1 }] }\n", "verification.kpis[0].duration"),
            ("component: { name: a }\nverification: { kpis: [{ metric: \" \", threshold: 1, duration: 5m }] }\n", "verification.kpis[0].metric"),
        ],
        quiet: &["component: { name: a }\nverification: { kpis: [{ metric: m, threshold: 1, duration: 5m }] }\n", N],
    },
    // Nobody owns the decision, or it has no time limit.
    Rule {
        id: "PB008",
        severity: Severity::Warning,
        fires: &[
            (N, "abort.decision_owner"),
            ("component: { name: a }\nabort: { decision_owner: Dana }\n", "abort.decision_window"),
            ("component: { name: a }\npeople: { incident_lead: Dana }\n", "abort.decision_window"),
        ],
        quiet: &[
            "component: { name: a }\nabort: { decision_owner: Dana, decision_window: 10m }\n",
            "component: { name: a }\npeople: { incident_lead: Dana }\nabort: { decision_window: 10m }\n",
        ],
    },
    // Baseline or ML verification on a first deployment.
    Rule {
        id: "PB009",
        severity: Severity::Warning,
        fires: &[
            ("component: { name: a }\nverification: { analysis: baseline }\n", "verification.analysis"),
            ("component: { name: a }\ndeployment: { first_deployment: true }\nverification: { analysis: ml }\n", "verification.analysis"),
        ],
        quiet: &[
            "component: { name: a }\nverification: { analysis: threshold }\n",
            "component: { name: a }\ndeployment: { first_deployment: false }\nverification: { analysis: ml }\n",
        ],
    },
    // Harness verification that compares with a baseline or a model and may pass with no data;
    // threshold analysis (Simple Verification) has no Fail On No Analysis to turn on.
    Rule {
        id: "PB010",
        severity: Severity::Warning,
        fires: &[
            ("component: { name: a }\ndeployment: { tool: harness }\nverification: { analysis: baseline }\n", "verification.fail_on_no_analysis"),
            ("component: { name: a }\ndeployment: { tool: harness }\nverification: { analysis: ml, fail_on_no_analysis: false }\n", "verification.fail_on_no_analysis"),
        ],
        quiet: &[
            "component: { name: a }\ndeployment: { tool: harness }\nverification: { analysis: baseline, fail_on_no_analysis: true }\n",
            "component: { name: a }\ndeployment: { tool: harness }\nverification: { analysis: threshold }\n",
            "component: { name: a }\ndeployment: { tool: harness }\n",
            "component: { name: a }\ndeployment: { tool: gitlab }\nverification: { analysis: ml }\n",
        ],
    },
    // Manual intervention without a timeout action, or without a timeout.
    Rule {
        id: "PB011",
        severity: Severity::Warning,
        fires: &[
            ("component: { name: a }\ndeployment: { failure_strategies: [{ action: manual-intervention, timeout: 5m }] }\n", "deployment.failure_strategies[0].on_timeout"),
            ("component: { name: a }\ndeployment: { failure_strategies: [{ action: abort }, { action: manual-intervention, on_timeout: abort }] }\n", "deployment.failure_strategies[1].timeout"),
        ],
        quiet: &[
            "component: { name: a }\ndeployment: { failure_strategies: [{ action: manual-intervention, timeout: 5m, on_timeout: abort }] }\n",
            "component: { name: a }\ndeployment: { failure_strategies: [{ action: rollback-stage }] }\n",
        ],
    },
    // No notification on a failure event.
    Rule {
        id: "PB012",
        severity: Severity::Warning,
        fires: &[(N, "notifications"), ("component: { name: a }\nnotifications: [{ on: pipeline-success }]\n", "notifications")],
        quiet: &[
            "component: { name: a }\nnotifications: [{ on: stage-failed }]\n",
            "component: { name: a }\nnotifications: [{ on: pipeline-end }]\n",
            "component: { name: a }\nnotifications: [{ on: step-failed }]\n",
        ],
    },
    Rule {
        id: "PB013",
        severity: Severity::Warning,
        fires: &[(N, "rehearsal.done"), ("component: { name: a }\nrehearsal: { done: false }\n", "rehearsal.done")],
        quiet: &["component: { name: a }\nrehearsal: { done: true }\n"],
    },
    Rule {
        id: "PB014",
        severity: Severity::Warning,
        fires: &[("component: { name: a }\nrehearsal: { done: true }\n", "rehearsal.took")],
        quiet: &["component: { name: a }\nrehearsal: { done: true, took: 10m }\n", N],
    },
    // A window with no named incident lead.
    Rule {
        id: "PB015",
        severity: Severity::Error,
        fires: &[
            ("component: { name: a }\nchange: { window: {} }\n", "people.incident_lead"),
            ("component: { name: a }\nchange: { window: {} }\npeople: { incident_lead: { contact: \"@x\" } }\n", "people.incident_lead"),
        ],
        quiet: &[N, "component: { name: a }\nchange: { window: {} }\npeople: { incident_lead: Dana }\n"],
    },
    // Ignore failure or mark as success, as the action or the timeout action.
    Rule {
        id: "PB016",
        severity: Severity::Warning,
        fires: &[
            ("component: { name: a }\ndeployment: { failure_strategies: [{ action: ignore-failure }] }\n", "deployment.failure_strategies[0].action"),
            ("component: { name: a }\ndeployment: { failure_strategies: [{ action: manual-intervention, timeout: 5m, on_timeout: mark-as-success }] }\n", "deployment.failure_strategies[0].on_timeout"),
        ],
        quiet: &["component: { name: a }\ndeployment: { failure_strategies: [{ action: abort, on_timeout: mark-as-failure }] }\n"],
    },
    Rule {
        id: "PB017",
        severity: Severity::Warning,
        fires: &[("component: { name: a }\ndeployment: { chained_pipelines: true }\n", "deployment.chained_pipelines")],
        quiet: &[
            "component: { name: a }\ndeployment: { chained_pipelines: true }\nfallback: { steps: [{ action: run the child's fallback }] }\n",
            "component: { name: a }\ndeployment: { chained_pipelines: false }\n",
        ],
    },
    // Bake times plus the fastest fallback (15 minutes without a kill switch) longer than the window.
    Rule {
        id: "PB018",
        severity: Severity::Warning,
        fires: &[
            // 3 × 30 min + 15 min = 105 min > 60.
            ("component: { name: a }\nchange: { window: { start: \"2026-12-03 20:00\", end: \"2026-12-03 21:00\" } }\nrollout: { strategy: canary, steps: [10, 50, 100], bake_time: 30m }\n", "change.window.end"),
            // 50 min + 15 min = 65 > 60.
            ("component: { name: a }\nchange: { window: { start: \"2026-12-03 20:00\", end: \"2026-12-03 21:00\" } }\nrollout: { strategy: rolling, bake_time: 50m }\n", "change.window.end"),
        ],
        quiet: &[
            // 50 min + a 1-minute kill switch = 51 ≤ 60.
            "component: { name: a }\nchange: { window: { start: \"2026-12-03 20:00\", end: \"2026-12-03 21:00\" } }\nrollout: { strategy: rolling, bake_time: 50m }\nkill_switches: [{ takes_effect: 1m }]\n",
            // 45 + 15 = 60 fits exactly.
            "component: { name: a }\nchange: { window: { start: \"2026-12-03 20:00\", end: \"2026-12-03 21:00\" } }\nrollout: { strategy: rolling, bake_time: 45m }\n",
            // A window that ends when it starts (or before) is PB019's error, not a short window.
            "component: { name: a }\nchange: { window: { start: \"2026-12-03 22:00\", end: \"2026-12-03 22:00\" } }\nrollout: { strategy: rolling, bake_time: 45m }\n",
            "component: { name: a }\nchange: { window: { start: \"2026-12-03 22:00\", end: \"2026-12-03 21:00\" } }\nrollout: { strategy: rolling, bake_time: 45m }\n",
        ],
    },
    Rule {
        id: "PB019",
        severity: Severity::Error,
        fires: &[
            ("component: { name: a }\nchange: { window: { start: \"2026-12-03 22:00\", end: \"2026-12-03 20:00\" } }\n", "change.window.end"),
            ("component: { name: a }\nchange: { window: { start: \"2026-12-03 22:00\", end: \"2026-12-03 22:00\" } }\n", "change.window.end"),
        ],
        quiet: &["component: { name: a }\nchange: { window: { start: \"2026-12-03 20:00\", end: \"2026-12-03 20:01\" } }\n", "component: { name: a }\nchange: { window: { start: \"2026-12-03 20:00\" } }\n"],
    },
    Rule {
        id: "PB020",
        severity: Severity::Warning,
        fires: &[
            ("component: { name: a }\nkill_switches: [{ kind: feature-flag }]\n", "kill_switches[0].owner"),
            ("component: { name: a }\nkill_switches: [{ owner: SRE, takes_effect: 1m }, { owner: SRE }]\n", "kill_switches[1].takes_effect"),
        ],
        quiet: &["component: { name: a }\nkill_switches: [{ owner: SRE, takes_effect: 1m }]\n", N],
    },
    Rule {
        id: "PB021",
        severity: Severity::Info,
        fires: &[(N, "deployment.first_deployment")],
        quiet: &["component: { name: a }\ndeployment: { first_deployment: false }\n", "component: { name: a }\ndeployment: { first_deployment: true }\n"],
    },
    Rule {
        id: "PB022",
        severity: Severity::Info,
        fires: &[(N, "deployment.tool"), ("component: { name: a }\ndeployment: { tool: other }\n", "deployment.tool")],
        quiet: &["component: { name: a }\ndeployment: { tool: jenkins }\n"],
    },
    // A platform or strategy the tool does not deploy with (docs/tools.md).
    Rule {
        id: "PB023",
        severity: Severity::Error,
        fires: &[
            ("component: { name: a }\ndeployment: { tool: argo-cd, platform: vm }\n", "deployment.platform"),
            ("component: { name: a }\ndeployment: { tool: flagger, platform: serverless }\n", "deployment.platform"),
            ("component: { name: a }\ndeployment: { tool: argo-rollouts, platform: kubernetes }\nrollout: { strategy: all-at-once }\n", "rollout.strategy"),
        ],
        quiet: &[
            "component: { name: a }\ndeployment: { tool: argo-cd, platform: kubernetes }\n",
            "component: { name: a }\ndeployment: { tool: argo-rollouts }\n",
            "component: { name: a }\ndeployment: { tool: other, platform: vm }\n",
        ],
    },
    // A first deployment that names an earlier version.
    Rule {
        id: "PB024",
        severity: Severity::Warning,
        fires: &[
            ("component: { name: a }\ndeployment: { first_deployment: true, previous_version: \"1.0\" }\n", "deployment.previous_version"),
            ("component: { name: a }\ndeployment: { first_deployment: true, previous_version: true }\n", "deployment.previous_version"),
        ],
        quiet: &[
            "component: { name: a }\ndeployment: { first_deployment: true, previous_version: false }\n",
            "component: { name: a }\ndeployment: { first_deployment: false, previous_version: \"1.0\" }\n",
            "component: { name: a }\ndeployment: { previous_version: \"1.0\" }\n",
        ],
    },
];

/// The tools' own findings (`findings:` in `templates/tools/<tool>.yaml`), each reasoned from its
/// row in `docs/findings.md`. A tool's finding stays quiet for every other tool.
const DATA_RULES: &[Rule] = &[
    // Argo Rollouts skips analysis on a Rollout's initial deploy: a first deployment that counts on
    // it (the setting, or baseline/ml analysis with no kill switch) has no abort.
    Rule {
        id: "PB101",
        severity: Severity::Warning,
        fires: &[
            ("component: { name: a }\ndeployment: { tool: argo-rollouts, tool_settings: { canary_analysis_only: true } }\n", "deployment.tool_settings.canary_analysis_only"),
            ("component: { name: a }\ndeployment: { tool: argo-rollouts }\nverification: { analysis: baseline }\n", "deployment.tool_settings.canary_analysis_only"),
            ("component: { name: a }\ndeployment: { tool: argo-rollouts, previous_version: false }\nverification: { analysis: ml }\n", "deployment.tool_settings.canary_analysis_only"),
        ],
        quiet: &[
            "component: { name: a }\ndeployment: { tool: argo-rollouts, first_deployment: false, tool_settings: { canary_analysis_only: true } }\n",
            "component: { name: a }\ndeployment: { tool: argo-rollouts }\nverification: { analysis: baseline }\nkill_switches: [{ kind: feature-flag }]\n",
            "component: { name: a }\ndeployment: { tool: argo-rollouts, tool_settings: { canary_analysis_only: false } }\nkill_switches: [{ kind: feature-flag }]\n",
            "component: { name: a }\ndeployment: { tool: harness, tool_settings: { canary_analysis_only: true } }\n",
        ],
    },
    // Argo CD refuses `argocd app rollback` while automated sync is on, first deployment or not.
    Rule {
        id: "PB102",
        severity: Severity::Error,
        fires: &[
            ("component: { name: a }\ndeployment: { tool: argo-cd, tool_settings: { auto_sync: true } }\n", "deployment.tool_settings.auto_sync"),
            ("component: { name: a }\ndeployment: { tool: argo-cd, first_deployment: false, previous_version: \"1\", tool_settings: { auto_sync: true } }\n", "deployment.tool_settings.auto_sync"),
        ],
        quiet: &[
            "component: { name: a }\ndeployment: { tool: argo-cd, tool_settings: { auto_sync: false } }\n",
            "component: { name: a }\ndeployment: { tool: argo-cd }\n",
            "component: { name: a }\ndeployment: { tool: argo-rollouts, tool_settings: { auto_sync: true } }\n",
        ],
    },
    // Flagger runs no analysis when it initialises a Canary: a first deployment with nothing but
    // that analysis (the setting, or no kill switch and no trigger) has no abort.
    Rule {
        id: "PB103",
        severity: Severity::Warning,
        fires: &[
            ("component: { name: a }\ndeployment: { tool: flagger, tool_settings: { canary_analysis_only: true } }\nkill_switches: [{ kind: feature-flag }]\n", "deployment.tool_settings.canary_analysis_only"),
            ("component: { name: a }\ndeployment: { tool: flagger }\n", "deployment.tool_settings.canary_analysis_only"),
        ],
        quiet: &[
            "component: { name: a }\ndeployment: { tool: flagger, first_deployment: false, tool_settings: { canary_analysis_only: true } }\n",
            "component: { name: a }\ndeployment: { tool: flagger }\nkill_switches: [{ kind: feature-flag }]\n",
            "component: { name: a }\ndeployment: { tool: flagger }\nabort: { triggers: [support reports errors] }\n",
        ],
    },
    // Kayenta compares the canary with a baseline from the running version; a first deployment has none.
    Rule {
        id: "PB104",
        severity: Severity::Warning,
        fires: &[
            ("component: { name: a }\ndeployment: { tool: spinnaker, tool_settings: { canary_analysis_only: true } }\n", "deployment.tool_settings.canary_analysis_only"),
            ("component: { name: a }\ndeployment: { tool: spinnaker }\nrollout: { strategy: canary }\n", "deployment.tool_settings.canary_analysis_only"),
        ],
        quiet: &[
            "component: { name: a }\ndeployment: { tool: spinnaker, first_deployment: false, tool_settings: { canary_analysis_only: true } }\n",
            "component: { name: a }\ndeployment: { tool: spinnaker }\nrollout: { strategy: canary }\nverification: { kpis: [{ metric: m }] }\n",
            "component: { name: a }\ndeployment: { tool: spinnaker }\nrollout: { strategy: canary }\nabort: { triggers: [errors] }\n",
            "component: { name: a }\ndeployment: { tool: spinnaker, platform: kubernetes }\nrollout: { strategy: blue-green }\n",
        ],
    },
    // A production environment with no review before the deploy job runs.
    Rule {
        id: "PB105",
        severity: Severity::Warning,
        fires: &[
            ("component: { name: a, environment: production }\ndeployment: { tool: github-actions }\n", "rollout.approval"),
            ("component: { name: a, environment: prod }\ndeployment: { tool: github-actions }\nrollout: { approval: none }\n", "rollout.approval"),
        ],
        quiet: &[
            "component: { name: a, environment: production }\ndeployment: { tool: github-actions }\nrollout: { approval: manual }\n",
            "component: { name: a, environment: staging }\ndeployment: { tool: github-actions }\n",
            "component: { name: a, environment: production }\ndeployment: { tool: gitlab }\n",
        ],
    },
    // GitLab's Rollback environment re-runs an earlier deployment job; a first deployment has none.
    Rule {
        id: "PB106",
        severity: Severity::Error,
        fires: &[("component: { name: a }\ndeployment: { tool: gitlab, tool_settings: { auto_rollback: true } }\n", "deployment.tool_settings.auto_rollback")],
        quiet: &[
            "component: { name: a }\ndeployment: { tool: gitlab, first_deployment: false, tool_settings: { auto_rollback: true } }\n",
            "component: { name: a }\ndeployment: { tool: gitlab, tool_settings: { auto_rollback: false } }\n",
            "component: { name: a }\ndeployment: { tool: github-actions, tool_settings: { auto_rollback: true } }\n",
        ],
    },
    // A Jenkins input step with no decision window waits for ever.
    Rule {
        id: "PB107",
        severity: Severity::Warning,
        fires: &[("component: { name: a }\ndeployment: { tool: jenkins }\nrollout: { approval: manual }\n", "abort.decision_window")],
        quiet: &[
            "component: { name: a }\ndeployment: { tool: jenkins }\nrollout: { approval: manual }\nabort: { decision_window: 30m }\n",
            "component: { name: a }\ndeployment: { tool: jenkins }\nrollout: { approval: none }\n",
            "component: { name: a }\ndeployment: { tool: gitlab }\nrollout: { approval: manual }\n",
        ],
    },
    // Octopus redeploys the previous release of the environment; a first deployment has none.
    Rule {
        id: "PB108",
        severity: Severity::Error,
        fires: &[("component: { name: a }\ndeployment: { tool: octopus, tool_settings: { auto_rollback: true } }\n", "deployment.tool_settings.auto_rollback")],
        quiet: &[
            "component: { name: a }\ndeployment: { tool: octopus, first_deployment: false, tool_settings: { auto_rollback: true } }\n",
            "component: { name: a }\ndeployment: { tool: octopus }\n",
        ],
    },
    // CodeDeploy's automatic rollback redeploys the last known good revision; a first deployment has none.
    Rule {
        id: "PB109",
        severity: Severity::Error,
        fires: &[("component: { name: a }\ndeployment: { tool: codedeploy, first_deployment: true, tool_settings: { auto_rollback: true } }\n", "deployment.tool_settings.auto_rollback")],
        quiet: &[
            "component: { name: a }\ndeployment: { tool: codedeploy, first_deployment: false, previous_version: \"7\", tool_settings: { auto_rollback: true } }\n",
            "component: { name: a }\ndeployment: { tool: codedeploy, tool_settings: { auto_rollback: false } }\n",
            "component: { name: a }\ndeployment: { tool: octopus, first_deployment: false, tool_settings: { auto_rollback: true } }\n",
        ],
    },
    // Fail On No Analysis is a setting of Harness's Canary and Blue Green verification only.
    Rule {
        id: "PB110",
        severity: Severity::Warning,
        fires: &[("component: { name: a }\ndeployment: { tool: harness }\nverification: { analysis: threshold, fail_on_no_analysis: true }\n", "verification.fail_on_no_analysis")],
        quiet: &[
            "component: { name: a }\ndeployment: { tool: harness }\nverification: { analysis: baseline, fail_on_no_analysis: true }\n",
            "component: { name: a }\ndeployment: { tool: harness }\nverification: { analysis: threshold, fail_on_no_analysis: false }\n",
            "component: { name: a }\ndeployment: { tool: argo-rollouts }\nverification: { analysis: threshold, fail_on_no_analysis: true }\n",
        ],
    },
    // Flagger's skipAnalysis promotes every revision unchecked, first deployment or update.
    Rule {
        id: "PB111",
        severity: Severity::Warning,
        fires: &[
            ("component: { name: a }\ndeployment: { tool: flagger, tool_settings: { skip_analysis: true } }\n", "deployment.tool_settings.skip_analysis"),
            ("component: { name: a }\ndeployment: { tool: flagger, first_deployment: false, tool_settings: { skip_analysis: true } }\n", "deployment.tool_settings.skip_analysis"),
        ],
        quiet: &[
            "component: { name: a }\ndeployment: { tool: flagger, tool_settings: { skip_analysis: false } }\n",
            "component: { name: a }\ndeployment: { tool: argo-rollouts, tool_settings: { skip_analysis: true } }\n",
        ],
    },
];

#[test]
fn every_rule_fires_where_it_should_with_its_severity_and_path_and_nowhere_else() {
    let engine = Engine::new().unwrap();
    for rule in RULES.iter().chain(DATA_RULES) {
        for (spec, path) in rule.fires {
            let findings = engine.check(&planb::parse_spec(spec).unwrap());
            let hits: Vec<_> = findings.iter().filter(|f| f.id == rule.id).collect();
            assert!(!hits.is_empty(), "{} does not fire on:\n{spec}", rule.id);
            for f in &hits {
                assert_eq!(f.severity, rule.severity, "{} severity", rule.id);
            }
            assert!(hits.iter().any(|f| f.path == *path), "{} names {:?}, not {path}, on:\n{spec}", rule.id, hits);
        }
        for spec in rule.quiet {
            let findings = engine.check(&planb::parse_spec(spec).unwrap());
            assert!(!findings.iter().any(|f| f.id == rule.id), "{} fires on:\n{spec}", rule.id);
        }
    }
}

/// The table covers every built-in rule: a new rule needs its rows.
#[test]
fn the_table_covers_every_rule() {
    let ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
    let all: Vec<&str> = planb::findings::RULES.iter().map(|r| r.id).collect();
    assert_eq!(ids, all);
    for (r, built_in) in RULES.iter().zip(planb::findings::RULES) {
        assert_eq!(r.severity, built_in.severity, "{}", r.id);
    }
    let knowledge = planb::tools::Knowledge::load().unwrap();
    let mut data: Vec<(&str, Severity)> =
        knowledge.known_tools().flat_map(|(_, k)| k.findings.iter().map(|f| (f.id.as_str(), f.severity))).collect();
    data.sort();
    let table: Vec<(&str, Severity)> = DATA_RULES.iter().map(|r| (r.id, r.severity)).collect();
    assert_eq!(table, data, "the tools' own findings and their severities");
}

fn check_exit(spec: &str) -> i32 {
    let mut child = Command::new(env!("CARGO_BIN_EXE_planb"))
        .args(["check", "-"])
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(spec.as_bytes()).unwrap();
    child.wait().unwrap().code().unwrap()
}

/// `planb check` exits 1 when an error-level finding fires, 0 when the worst is a warning or a
/// note (README, exit codes).
#[test]
fn check_exits_by_the_worst_severity() {
    let quiet_base = "component: { name: a, user_facing: false }\ndeployment: { tool: gitlab, first_deployment: false, previous_version: \"1.0\" }\n\
        verification: { kpis: [{ metric: m, threshold: 1, duration: 5m }] }\nabort: { decision_owner: D, decision_window: 5m }\n\
        notifications: [{ on: pipeline-failed }]\nrehearsal: { done: true, took: 5m }\n";
    let engine = Engine::new().unwrap();
    assert!(engine.check(&planb::parse_spec(quiet_base).unwrap()).is_empty(), "the base has no finding");
    assert_eq!(check_exit(quiet_base), 0);
    let info = quiet_base.replace("tool: gitlab", "tool: other");
    assert_eq!(engine.check(&planb::parse_spec(&info).unwrap())[0].severity, Severity::Info);
    assert_eq!(check_exit(&info), 0, "a note alone");
    let warning = format!("{quiet_base}kill_switches: [{{ kind: feature-flag }}]\n");
    assert_eq!(engine.check(&planb::parse_spec(&warning).unwrap())[0].severity, Severity::Warning);
    assert_eq!(check_exit(&warning), 0, "warnings alone");
    let error = format!("{quiet_base}data_changes: [{{ kind: destructive }}]\n");
    assert_eq!(check_exit(&error), 1, "an error");
}

/// Findings come most severe first; within a severity built-in rules by id, then the tool's own
/// (PB1xx), and within a rule in the order of the spec's fields.
#[test]
fn findings_come_by_severity_then_id_then_spec_order() {
    let spec = "component: { name: a }\ndeployment: { tool: argo-rollouts, first_deployment: true, tool_settings: { canary_analysis_only: true } }\n\
        kill_switches: [{ kind: feature-flag }, { kind: feature-flag }]\ndata_changes: [{ kind: destructive }, { kind: contract }]\n";
    let findings = Engine::new().unwrap().check(&planb::parse_spec(spec).unwrap());
    let rank = |s: Severity| match s {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
    };
    let key = |f: &planb::Finding| (rank(f.severity), f.id.starts_with("PB1"), f.id);
    for pair in findings.windows(2) {
        assert!(key(&pair[0]) <= key(&pair[1]), "{} before {}", pair[0].id, pair[1].id);
    }
    let pb003: Vec<&str> = findings.iter().filter(|f| f.id == "PB003").map(|f| f.path.as_str()).collect();
    assert_eq!(pb003, ["data_changes[0].restore_tested", "data_changes[1].restore_tested"]);
    let pb020: Vec<&str> = findings.iter().filter(|f| f.id == "PB020").map(|f| f.path.as_str()).collect();
    assert_eq!(pb020, ["kill_switches[0].owner", "kill_switches[1].owner"]);
    assert!(findings.iter().any(|f| f.id == "PB101"), "the tool's own finding is there, after the built-in warnings");
}

/// A finding's message says what the spec states: PB003 names the change and whether a backup exists.
#[test]
fn messages_carry_what_the_spec_says() {
    let engine = Engine::new().unwrap();
    let message = |spec: &str, id: &str| {
        let findings = engine.check(&planb::parse_spec(spec).unwrap());
        findings.iter().find(|f| f.id == id).map(|f| f.message.clone()).unwrap_or_else(|| panic!("{id} on {spec}"))
    };
    let with_backup = message(
        "component: { name: a }\ndata_changes: [{ description: drop t, kind: destructive, backup_taken: true }]\n",
        "PB003",
    );
    assert!(
        with_backup.contains("\"drop t\"") && with_backup.contains("a backup but no tested restore"),
        "{with_backup}"
    );
    let without = message("component: { name: a }\ndata_changes: [{ kind: contract, backup_taken: false }]\n", "PB003");
    assert!(without.contains("\"a data change\"") && without.contains("no backup and no tested restore"), "{without}");
}
