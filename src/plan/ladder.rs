//! The fallback ladder: ordered actions from least to most drastic.
//!
//! Kill switches → the team's own steps → route traffic away → take the workload out of
//! service → revert shared resources → restore data → fix forward.

use super::{Ctx, Rung, RungKind};
use crate::spec::KillSwitchKind::{ConfigToggle, EndpointDisable, FeatureFlag, RouteRemoval, ScaleToZero};
use crate::spec::{DataChangeKind, Duration, KillSwitch, KillSwitchKind, Spec, Strategy};

/// planb's own estimates where the spec gives no duration; shown as estimates, never as facts.
const ESTIMATE_ROUTE_AWAY: Duration = Duration::from_mins(5);
const ESTIMATE_REMOVE: Duration = Duration::from_mins(10);

pub(super) fn build(cx: &mut Ctx<'_>) -> Vec<Rung> {
    let spec = cx.spec;
    let owner = cx.decision_owner();
    let mut rungs: Vec<Rung> = Vec::new();
    let first_trigger = format!("An abort criterion is met and {owner} calls the fallback.");
    let previous = |rungs: &Vec<Rung>| match rungs.len() {
        0 => first_trigger.clone(),
        n => format!("Step {n} did not bring every KPI back within its threshold."),
    };
    let kpi_check = kpi_check(spec);

    // Least drastic first; grouped rather than sorted, which keeps the Wasm build small.
    let order =
        [None, Some(FeatureFlag), Some(ConfigToggle), Some(EndpointDisable), Some(RouteRemoval), Some(ScaleToZero)];
    let switches = order.iter().flat_map(|kind| spec.kill_switches.iter().filter(move |k| k.kind == *kind));
    for ks in switches {
        let (title, how) = kill_switch_words(cx, ks);
        let owner = ks.owner.clone().unwrap_or_else(|| owner.clone());
        let duration = timed(cx, ks.takes_effect, "time for the kill switch to take effect");
        let precondition = previous(&rungs);
        let verify = format!("Requests reaching the new code path drop to zero and {kpi_check}.");
        rungs.push(Rung::new(RungKind::KillSwitch, title, how, owner, duration, precondition, verify));
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
    let (tool, platform) = (cx.tool, cx.platform);

    let routes_by_switch = spec.kill_switches.iter().any(|k| k.kind == Some(KillSwitchKind::RouteRemoval));
    if !routes_by_switch {
        let key = spec.rollout.strategy.map_or("default", Strategy::key);
        let how = cx.fill(tool.how.route_away.get(key), &[]);
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

    let platform_command = cx.fill(&platform.remove, &[]);
    let platform_key = spec.deployment.platform.map_or("default", |p| p.key());
    let how = cx.fill(tool.how.remove_workload.get(platform_key), &[("platform_command", platform_command.as_str())]);
    let verify = format!("{}.", cx.fill(&platform.verify_removed, &[]));
    let precondition = previous(&rungs);
    let removal_step = rungs.len() + 1;
    rungs.push(Rung::new(
        RungKind::RemoveWorkload,
        format!("Take {component} out of service"),
        how,
        deployer,
        format!("{ESTIMATE_REMOVE} (estimate)"),
        precondition,
        verify,
    ));

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
            format!("{component} is out of service (step {removal_step}), so nothing writes to {name} any more."),
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
            format!("{component} is out of service (step {removal_step}); the data is confirmed wrong or lost, and {owner} accepts losing {loss}."),
            "Integrity checks and row counts match the backup; dependent services read consistent data.".to_string(),
        ));
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
            let phrase = &cx.platform.scale_to_zero;
            let how = cx.fill(phrase, &[("workload", workload.as_str())]);
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
