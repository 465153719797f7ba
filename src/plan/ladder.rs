//! The fallback ladder: ordered actions from least to most drastic.
//!
//! First deployment: kill switches → the team's own steps → route traffic away → take the new
//! workload out of service → revert shared resources → restore data → fix forward.
//!
//! Update: kill switches that turn the new behaviour off → the team's own steps → the tool's own
//! rollback to the earlier version → revert shared resources → restore data → and only then, said
//! plainly to be an outage, whatever takes the workload down (the earlier version serves behind it
//! too) → fix forward.
//!
//! Kill switches go least drastic first: feature flag (or a switch of unstated kind), config toggle,
//! endpoint disable, route removal, scale to zero. On a first deployment a route-removal switch is
//! the way traffic is routed away, so there is no separate step for it.

use super::{Ctx, Rung, RungKind};
use crate::spec::KillSwitchKind::{ConfigToggle, EndpointDisable, FeatureFlag, RouteRemoval, ScaleToZero};
use crate::spec::{DataChangeKind, Duration, KillSwitch, KillSwitchKind, Situation, Spec};

/// planb's own estimates where the spec gives no duration; shown as estimates, never as facts.
const ESTIMATE_ROUTE_AWAY: Duration = Duration::from_mins(5);
const ESTIMATE_REMOVE: Duration = Duration::from_mins(10);
const ESTIMATE_ROLLBACK: Duration = Duration::from_mins(10);

/// Kill switches least drastic first, and in the spec's order within a kind; one of unstated kind
/// is a feature flag, as its words in the plan are. Grouped rather than sorted, which keeps the
/// Wasm build small.
const SWITCH_ORDER: [KillSwitchKind; 5] = [FeatureFlag, ConfigToggle, EndpointDisable, RouteRemoval, ScaleToZero];

/// Whether a kill switch takes the whole workload down rather than the new behaviour.
fn takes_workload_down(kind: Option<KillSwitchKind>) -> bool {
    matches!(kind, Some(RouteRemoval | ScaleToZero))
}

pub(super) fn build(cx: &mut Ctx<'_>) -> Vec<Rung> {
    let spec = cx.spec;
    let update = cx.situation == Situation::Update;
    let owner = cx.decision_owner();
    let mut rungs: Vec<Rung> = Vec::new();
    let first_trigger = format!("An abort criterion is met and {owner} calls the fallback.");
    let previous = |rungs: &Vec<Rung>| match rungs.len() {
        0 => first_trigger.clone(),
        n => format!("Step {n} did not bring every KPI back within its threshold."),
    };
    let kpi_check = kpi_check(spec);
    let switches = || {
        SWITCH_ORDER
            .iter()
            .flat_map(|kind| spec.kill_switches.iter().filter(move |k| k.kind.unwrap_or(FeatureFlag) == *kind))
    };

    // On an update a switch that takes the workload down takes the earlier version down with it:
    // it waits until the rollback has been tried.
    for ks in switches().filter(|k| !(update && takes_workload_down(k.kind))) {
        let rung = kill_switch_rung(cx, ks, &owner, previous(&rungs), &kpi_check, false);
        rungs.push(rung);
    }

    for step in &spec.fallback.steps {
        let title = cx.or_confirm(step.action.as_deref(), "action of a fallback step");
        let who = step.owner.clone().unwrap_or_else(|| owner.clone());
        let duration = timed(cx, step.duration, "duration of a fallback step");
        let verify = cx.or_confirm(step.verify.as_deref(), "how to verify a fallback step");
        let precondition = previous(&rungs);
        rungs.push(Rung::new(RungKind::TeamStep, title.clone(), title, who, duration, precondition, verify));
    }

    let deployer = cx.person(spec.people.deployer.as_ref(), "deployer");
    let component = spec.component.name.clone();
    let (tool, case) = (cx.tool, cx.case);

    // The step after which the new version no longer runs, which later steps rely on.
    let pivot_step = if update {
        let undo = case.undo.as_ref();
        let title = undo.map_or_else(|| "Roll back to the earlier version".to_string(), |u| cx.fill(&u.title, &[]));
        let how = match undo {
            Some(u) => cx.fill(&u.how, &[]),
            None => cx.confirm("how the tool returns to the earlier version"),
        };
        let check = undo.map_or_else(|| "The earlier version serves again".to_string(), |u| cx.fill(&u.verify, &[]));
        let precondition = previous(&rungs);
        rungs.push(Rung::new(
            RungKind::ToolRollback,
            title,
            how,
            deployer.clone(),
            format!("{ESTIMATE_ROLLBACK} (estimate)"),
            precondition,
            format!("{}; {kpi_check}.", check.trim_end_matches('.')),
        ));
        rungs.len()
    } else {
        let routes_by_switch = spec.kill_switches.iter().any(|k| k.kind == Some(KillSwitchKind::RouteRemoval));
        if !routes_by_switch {
            let phrase = case.route_away.as_deref().unwrap_or(&tool.how.route_away);
            let how = cx.fill(phrase, &[]);
            let precondition = previous(&rungs);
            rungs.push(Rung::new(
                RungKind::RouteAway,
                format!("Route traffic away from {component}"),
                how,
                deployer.clone(),
                format!("{ESTIMATE_ROUTE_AWAY} (estimate)"),
                precondition,
                format!("No user request reaches {component} and {kpi_check}."),
            ));
        }
        let rung = removal_rung(cx, &deployer, previous(&rungs), false);
        rungs.push(rung);
        rungs.len()
    };
    let pivot = if update {
        format!("The earlier version serves again (step {pivot_step})")
    } else {
        format!("{component} is out of service (step {pivot_step})")
    };

    for resource in &spec.shared_resources {
        let name = cx.or_confirm(resource.name.as_deref(), "name of a shared resource");
        let how = match resource.revert.as_deref().filter(|r| !r.trim().is_empty()) {
            Some(revert) => revert.to_string(),
            None => {
                let placeholder = cx.confirm(&format!("how to revert {name}"));
                format!("{} {placeholder}", cx.fill(&tool.how.revert_shared, &[("resource", name.as_str())]))
            }
        };
        let who = cx.or_confirm(resource.owner.as_deref(), &format!("owner of {name}"));
        let duration = timed(cx, resource.revert_time, &format!("time to revert {name}"));
        rungs.push(Rung::new(
            RungKind::RevertShared,
            format!("Revert {name}"),
            how,
            who,
            duration,
            format!("{pivot}, so nothing of the new version writes to {name} any more."),
            format!("{name} matches its state before the change."),
        ));
    }

    for change in spec.data_changes.iter().filter(|c| needs_restore(c.kind, c.reversible)) {
        let what = cx.or_confirm(change.description.as_deref(), "description of a data change");
        let team = cx.or_confirm(spec.component.owner_team.as_deref(), "owner team");
        let loss = match change.recovery_point {
            Some(rpo) => format!("up to {rpo} of writes"),
            None => cx.confirm(&format!("recovery point of {what}")),
        };
        let duration = timed(cx, change.restore_time, &format!("restore time of {what}"));
        rungs.push(Rung::new(
            RungKind::RestoreData,
            format!("Restore the data changed by: {what}"),
            cx.tool.how.restore_data.clone(),
            team,
            duration,
            format!("{pivot}; the data is confirmed wrong or lost, and {owner} accepts losing {loss}."),
            "Integrity checks and row counts match the backup; dependent services read consistent data.".to_string(),
        ));
    }

    if update {
        // Last, and said to be an outage: the workload, earlier version included, out of service.
        for ks in switches().filter(|k| takes_workload_down(k.kind)) {
            let rung = kill_switch_rung(cx, ks, &owner, outage_precondition(&owner, &component), &kpi_check, true);
            rungs.push(rung);
        }
        if !spec.kill_switches.iter().any(|k| k.kind == Some(ScaleToZero)) {
            let rung = removal_rung(cx, &deployer, outage_precondition(&owner, &component), true);
            rungs.push(rung);
        }
    }

    let team = cx.or_confirm(spec.component.owner_team.as_deref(), "owner team");
    let pipeline = spec.deployment.pipeline.as_deref().unwrap_or("the normal pipeline");
    let duration = timed(cx, spec.fallback.fix_forward_time, "time to ship a hotfix");
    rungs.push(Rung::new(
        RungKind::FixForward,
        "Fix forward".to_string(),
        format!("Ship a fix through {pipeline} with the same staged rollout and abort criteria as this change."),
        team,
        duration,
        "The component must come back, or a step above cannot be carried out.".to_string(),
        format!("The fixed version passes every stage gate; {kpi_check}."),
    ));
    for (i, rung) in rungs.iter_mut().enumerate() {
        rung.step = i + 1;
    }
    rungs
}

fn outage_precondition(owner: &str, component: &str) -> String {
    format!("The rollback did not bring every KPI back, and {owner} accepts an outage of {component}: the earlier version stops serving too.")
}

/// The step that takes the workload out of service: on a first deployment the tool's own way to
/// remove the new workload; on an update, scaling it to zero as a last resort, an outage.
fn removal_rung(cx: &mut Ctx<'_>, deployer: &str, precondition: String, outage: bool) -> Rung {
    let component = cx.spec.component.name.clone();
    let platform = cx.platform;
    if outage {
        let (how, verify) = match cx.case.outage.clone() {
            Some(o) => (cx.fill(&o.how, &[]), cx.fill(&o.verify, &[])),
            None => (
                format!("Scale it to zero, the earlier version included: {}.", cx.commands(&platform.scale_to_zero)),
                cx.fill(&platform.verify_stopped, &[]),
            ),
        };
        let verify = format!("{}.", verify.trim_end_matches('.'));
        return Rung::new(
            RungKind::RemoveWorkload,
            format!("Last resort: take {component} out of service (an outage)"),
            format!("{how} Users get errors until it is back."),
            deployer.to_string(),
            format!("{ESTIMATE_REMOVE} (estimate)"),
            precondition,
            verify,
        );
    }
    let verify = format!("{}.", cx.fill(&platform.verify_removed, &[]));
    let command = cx.commands(&platform.remove);
    let command = match &platform.remove_note {
        Some(note) => format!("{command} ({})", cx.fill(note, &[])),
        None => command,
    };
    let phrase = cx.case.remove.clone();
    let how = match phrase {
        Some(p) => cx.fill(&p, &[("platform_command", command.as_str())]),
        None => format!("Take the workload out of service: {command}."),
    };
    Rung::new(
        RungKind::RemoveWorkload,
        format!("Take {component} out of service"),
        how,
        deployer.to_string(),
        format!("{ESTIMATE_REMOVE} (estimate)"),
        precondition,
        verify,
    )
}

fn kill_switch_rung(
    cx: &mut Ctx<'_>,
    ks: &KillSwitch,
    owner: &str,
    precondition: String,
    kpi_check: &str,
    outage: bool,
) -> Rung {
    let (mut title, how) = kill_switch_words(cx, ks);
    if outage {
        title.push_str(" (an outage: the earlier version stops serving too)");
    }
    let owner = ks.owner.clone().unwrap_or_else(|| owner.to_string());
    let duration = timed(cx, ks.takes_effect, "time for the kill switch to take effect");
    let verify = format!("Requests reaching the new code path drop to zero and {kpi_check}.");
    Rung::new(RungKind::KillSwitch, title, how, owner, duration, precondition, verify)
}

impl Rung {
    #[allow(clippy::too_many_arguments)]
    fn new(
        kind: RungKind,
        title: String,
        how: String,
        owner: String,
        duration: String,
        precondition: String,
        verify: String,
    ) -> Rung {
        Rung { step: 0, kind, title, how, owner, duration, precondition, verify }
    }
}

/// The total time of the known durations before fixing forward, with the unknown ones counted.
pub(super) fn total(rungs: &[Rung]) -> String {
    let mut sum = Duration::ZERO;
    let mut unknown = 0;
    for rung in rungs.iter().filter(|r| r.kind != RungKind::FixForward) {
        match parse_shown(&rung.duration) {
            Some(d) => sum = sum.saturating_add(d),
            None => unknown += 1,
        }
    }
    match unknown {
        0 => format!("about {sum}"),
        1 => format!("about {sum} plus 1 step of unknown duration"),
        n => format!("about {sum} plus {n} steps of unknown duration"),
    }
}

/// Reads back a duration as the ladder shows it ("15m" or "10m (estimate)").
fn parse_shown(shown: &str) -> Option<Duration> {
    Duration::parse(shown.trim_end_matches(" (estimate)")).ok()
}

fn timed(cx: &mut Ctx<'_>, duration: Option<Duration>, what: &str) -> String {
    match duration {
        Some(d) => d.to_string(),
        None => cx.confirm(what),
    }
}

/// Whether a data change needs a restore (or an undo) in the ladder; expand-only changes stay.
fn needs_restore(kind: Option<DataChangeKind>, reversible: Option<bool>) -> bool {
    !matches!(kind, Some(DataChangeKind::Expand)) || reversible == Some(false)
}

fn kill_switch_words(cx: &mut Ctx<'_>, ks: &KillSwitch) -> (String, String) {
    let state = ks.safe_state.clone().unwrap_or_else(|| "off".to_string());
    let target = ks.target.clone();
    match ks.kind {
        Some(KillSwitchKind::FeatureFlag) | None => {
            let key = cx.or_confirm(ks.flag_key.as_deref().or(target.as_deref()), "feature flag key");
            let system = cx.or_confirm(ks.flag_system.as_deref(), "flag system");
            let phrase = &cx.tool.how.kill_switch;
            let how = cx.fill(phrase, &[("flag_system", system.as_str())]);
            (format!("Turn feature flag {key} {state}"), how)
        }
        Some(KillSwitchKind::ConfigToggle) => {
            let key = cx.or_confirm(target.as_deref(), "config key of the kill switch");
            (format!("Set {key} to {state}"), format!("Change {key} to {state} and reload the configuration."))
        }
        Some(KillSwitchKind::EndpointDisable) => {
            let endpoint = cx.or_confirm(target.as_deref(), "endpoint to disable");
            (
                format!("Disable the endpoint {endpoint}"),
                format!("Disable {endpoint} at the gateway so that callers get a clear error."),
            )
        }
        Some(KillSwitchKind::RouteRemoval) => {
            let route = cx.or_confirm(target.as_deref(), "route or DNS record to remove");
            (format!("Remove the route {route}"), format!("Remove {route} so that no request reaches the component."))
        }
        Some(KillSwitchKind::ScaleToZero) => {
            let workload = match target.as_deref() {
                Some(t) => t.to_string(),
                None => cx.workload(),
            };
            let lines = &cx.platform.scale_to_zero;
            let uses_namespace = lines.iter().filter_map(|l| l.run.as_deref()).any(|t| t.contains("{namespace}"));
            let namespace = if uses_namespace { cx.namespace() } else { String::new() };
            let values = [("workload", workload.as_str()), ("namespace", namespace.as_str())];
            let how = crate::tools::script::prose(lines, &values);
            (format!("Scale {workload} to zero"), how)
        }
    }
}

/// "every KPI is back within its threshold", naming the first KPI when there is one.
fn kpi_check(spec: &Spec) -> String {
    match spec.verification.kpis.iter().find_map(|k| k.metric.as_deref()) {
        Some(metric) => format!("{metric} is back within its threshold"),
        None => "every KPI is back within its threshold".to_string(),
    }
}
