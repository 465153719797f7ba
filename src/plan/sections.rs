//! The plan's sections other than the ladder and the risk.

use super::{
    AbortCriterion, AbortPlan, ChangeView, Check, Comms, CommsRow, ComponentView, Ctx, DataItem, Messages, Note,
    PlatformCommands, Rung, RungKind, Stage, Status,
};
use crate::spec::{
    ApprovalKind, Comparison, DataChangeKind, NotifyEvent, SharedResourceKind, Situation, Strategy, Tier,
};

pub(super) fn component(cx: &mut Ctx<'_>) -> ComponentView {
    let c = &cx.spec.component;
    ComponentView {
        name: c.name.clone(),
        description: c.description.clone(),
        owner_team: cx.or_confirm(c.owner_team.as_deref(), "owner team"),
        tier: c.tier.map(|t| tier_word(t).to_string()),
        artifact: c.artifact.clone(),
        version: c.version.clone(),
        environment: cx.or_confirm(c.environment.as_deref(), "target environment"),
        user_facing: cx.spec.is_user_facing(),
    }
}

fn tier_word(t: Tier) -> &'static str {
    match t {
        Tier::Critical => "critical",
        Tier::High => "high",
        Tier::Medium => "medium",
        Tier::Low => "low",
    }
}

pub(super) fn change(cx: &mut Ctx<'_>) -> ChangeView {
    let c = &cx.spec.change;
    let window = match &c.window {
        Some(w) => {
            let start = w.start.map(|s| s.to_string());
            let start = cx.or_confirm(start.as_deref(), "window start");
            let end = w.end.map(|e| e.to_string());
            let end = cx.or_confirm(end.as_deref(), "window end");
            let tz = cx.or_confirm(w.timezone.as_deref(), "time zone");
            format!("{start} to {end} ({tz})")
        }
        None => cx.confirm("change window"),
    };
    ChangeView {
        id: cx.or_confirm(c.id.as_deref(), "change id"),
        window,
        approvers: if c.approvers.is_empty() { cx.confirm("approvers") } else { c.approvers.join(", ") },
        cab: c.cab.clone(),
    }
}

pub(super) fn stages(cx: &mut Ctx<'_>) -> Vec<Stage> {
    let spec = cx.spec;
    let owner = cx.decision_owner();
    let default_bake = spec.rollout.bake_time;
    let bake_of = |cx: &mut Ctx<'_>, d: Option<crate::spec::Duration>| match d.or(default_bake) {
        Some(d) => d.to_string(),
        None => cx.confirm("bake time"),
    };
    let gate = |bake: &str| {
        format!(
            "Go when every abort criterion stays clear for {bake}; {owner} decides. No-go: start the fallback ladder."
        )
    };
    let approval = spec.rollout.approval.and_then(approval_phrase).map(str::to_string);
    let mut stages = Vec::new();
    let exposure = match spec.rollout.exposure {
        Some(crate::spec::Exposure::Internal) => Some("internal users only".to_string()),
        Some(crate::spec::Exposure::BetaCohort) => Some("the beta cohort".to_string()),
        Some(crate::spec::Exposure::PercentOfUsers) => Some(match spec.rollout.exposure_percent {
            Some(p) => format!("{p} of users"),
            None => cx.confirm("share of users exposed"),
        }),
        Some(crate::spec::Exposure::Everyone) | None => None,
    };
    if let Some(audience) = exposure {
        let bake = bake_of(cx, None);
        stages.push(Stage { name: "Limited exposure".into(), traffic: audience, gate: gate(&bake), bake });
    }
    match spec.rollout.strategy {
        Some(Strategy::Canary) => {
            if spec.rollout.steps.is_empty() {
                let steps = cx.confirm("canary steps");
                let bake = bake_of(cx, None);
                stages.push(Stage { name: "Canary".into(), traffic: steps, gate: gate(&bake), bake });
            }
            for (i, step) in spec.rollout.steps.iter().enumerate() {
                let traffic = match step.percent {
                    Some(p) => format!("{p} of traffic"),
                    None => cx.confirm("share of traffic of a canary step"),
                };
                let bake = bake_of(cx, step.bake_time);
                stages.push(Stage { name: format!("Canary step {}", i + 1), traffic, gate: gate(&bake), bake });
            }
        }
        Some(Strategy::BlueGreen) => {
            let approval = approval.clone().unwrap_or_else(|| cx.tool.words.approval.clone());
            let bake = bake_of(cx, None);
            stages.push(Stage {
                name: "Deploy beside production".into(),
                traffic: "none (test traffic only)".into(),
                gate: format!("Smoke tests pass, then {approval}."),
                bake: "until approved".into(),
            });
            stages.push(Stage {
                name: "Switch traffic".into(),
                traffic: "100% of traffic".into(),
                gate: gate(&bake),
                bake,
            });
        }
        Some(Strategy::Rolling) | Some(Strategy::AllAtOnce) => {
            let bake = bake_of(cx, None);
            stages.push(Stage {
                name: "Full rollout".into(),
                traffic: "100% of traffic".into(),
                gate: gate(&bake),
                bake,
            });
        }
        None => {
            let strategy = cx.confirm("rollout strategy");
            let bake = bake_of(cx, None);
            stages.push(Stage { name: "Rollout".into(), traffic: strategy, gate: gate(&bake), bake });
        }
    }
    if let (Some(approval), Some(first)) = (approval, stages.first_mut()) {
        if spec.rollout.strategy != Some(Strategy::BlueGreen) {
            first.gate = format!("Starts once {approval} is granted. {}", first.gate);
        }
    }
    stages
}

/// The approval gate in words, or `None` when the spec says there is none.
fn approval_phrase(kind: ApprovalKind) -> Option<&'static str> {
    match kind {
        ApprovalKind::Harness => Some("a Harness Approval step"),
        ApprovalKind::Jira => Some("a Jira Approval step"),
        ApprovalKind::Servicenow => Some("a ServiceNow Approval step"),
        ApprovalKind::Manual => Some("a manual approval"),
        ApprovalKind::None => None,
    }
}

pub(super) fn abort(cx: &mut Ctx<'_>) -> AbortPlan {
    let spec = cx.spec;
    let owner = cx.decision_owner();
    let window = match spec.abort.decision_window {
        Some(w) => w.to_string(),
        None => cx.confirm("decision window"),
    };
    let mut criteria = Vec::new();
    for kpi in &spec.verification.kpis {
        let metric = cx.or_confirm(kpi.metric.as_deref(), "KPI metric");
        let side = match kpi.comparison {
            Some(Comparison::Below) => "below",
            _ => "above",
        };
        let threshold = match kpi.threshold {
            Some(t) => format!("{t}{}", kpi.unit.as_deref().unwrap_or("")),
            None => cx.confirm(&format!("threshold for {metric}")),
        };
        let duration = match kpi.duration {
            Some(d) => d.to_string(),
            None => cx.confirm(&format!("duration for {metric}")),
        };
        criteria.push(AbortCriterion {
            trigger: format!("{metric} {side} {threshold} for {duration}"),
            owner: owner.clone(),
            time_limit: window.clone(),
        });
    }
    for trigger in &spec.abort.triggers {
        criteria.push(AbortCriterion { trigger: trigger.clone(), owner: owner.clone(), time_limit: window.clone() });
    }
    if criteria.is_empty() {
        let trigger = cx.confirm("abort criteria (metric, threshold, duration)");
        criteria.push(AbortCriterion { trigger, owner: owner.clone(), time_limit: window.clone() });
    }
    let verification = cx.tool.words.verification.clone();
    criteria.push(AbortCriterion {
        trigger: format!("{verification} fails, or reports no data"),
        owner: owner.clone(),
        time_limit: window.clone(),
    });
    AbortPlan { criteria, decision_owner: owner, decision_window: window }
}

pub(super) fn validation(cx: &mut Ctx<'_>) -> Vec<Check> {
    let spec = cx.spec;
    let mut checks = vec![
        Check {
            item: "Unit, integration and end-to-end tests pass in a production-like staging environment.".into(),
            status: Status::ToConfirm,
        },
        Check { item: "QA has walked through the critical user paths by hand.".into(), status: Status::ToConfirm },
    ];
    let rehearsal = &spec.rehearsal;
    checks.push(match rehearsal.done {
        Some(true) => {
            let place = rehearsal.environment.as_deref().unwrap_or("a non-production environment");
            let took = rehearsal.took.map(|t| format!(", took {t}")).unwrap_or_default();
            Check { item: format!("Fallback rehearsed in {place}{took}."), status: Status::Done }
        }
        _ => Check { item: "Rehearse the fallback ladder in staging and time it.".into(), status: Status::ToDo },
    });
    for ks in &spec.kill_switches {
        let name = ks.flag_key.as_deref().or(ks.target.as_deref()).unwrap_or("the kill switch");
        let status = if ks.tested == Some(true) { Status::Done } else { Status::ToDo };
        checks.push(Check { item: format!("Kill switch {name} flipped and restored outside production."), status });
    }
    for change in &spec.data_changes {
        let what = change.description.as_deref().unwrap_or("the data change");
        let status = match (change.backup_taken, change.restore_tested) {
            (Some(true), Some(true)) => Status::Done,
            (Some(false), _) | (_, Some(false)) => Status::ToDo,
            _ => Status::ToConfirm,
        };
        checks.push(Check { item: format!("Backup taken right before \"{what}\", and its restore tested."), status });
    }
    let source = spec.verification.health_source.map(|s| s.display_name().to_string());
    let dashboards = match (&source, spec.verification.kpis.is_empty()) {
        (Some(source), false) => {
            Check { item: format!("Dashboards and alerts for every KPI in {source}."), status: Status::ToConfirm }
        }
        _ => Check {
            item: "Choose the KPIs, their thresholds and the health source; build their alerts.".into(),
            status: Status::ToDo,
        },
    };
    checks.push(dashboards);
    let failure_route = spec.notifications.iter().any(|n| n.on.is_some_and(NotifyEvent::is_failure));
    checks.push(Check {
        item: "Pipeline failures notify the incident lead's channel.".into(),
        status: if failure_route { Status::Done } else { Status::ToDo },
    });
    let snippet = cx.tool.snippet.is_some();
    match cx.situation {
        Situation::First => {
            checks.push(Check {
                item: format!(
                    "Explicit removal steps stand in for {}, which has no earlier version to return to (see the fallback ladder), and have been tried.",
                    cx.tool.words.rollback
                ),
                status: Status::ToDo,
            });
            if snippet {
                // The snippet's fallback removes the workload; kept in the pipeline, it would remove
                // the running version when a later release fails.
                checks.push(Check {
                    item: format!(
                        "Once {} runs, the first-deployment fallback is taken out of the pipeline or replaced by the update one (plan it again with first_deployment: false): left in place, it removes the running version when a later release fails.",
                        spec.component.name
                    ),
                    status: Status::ToDo,
                });
            }
        }
        Situation::Update => {
            let previous = cx.previous_version();
            checks.push(Check {
                item: format!(
                    "The rollback to {previous} has been tried outside production, and {previous}'s artifact can still be deployed."
                ),
                status: Status::ToConfirm,
            });
            if snippet {
                checks.push(Check {
                    item: format!(
                        "After this change, the fallback in the pipeline is planned again for the next release: this one returns to {previous}."
                    ),
                    status: Status::ToDo,
                });
            }
        }
    }
    let approvers = spec.change.approvers.join(", ");
    checks.push(Check {
        item: if approvers.is_empty() { "Change approved.".into() } else { format!("Change approved by {approvers}.") },
        status: Status::ToConfirm,
    });
    let lead = cx.person(spec.people.incident_lead.as_ref(), "incident lead");
    let deployer = cx.person(spec.people.deployer.as_ref(), "deployer");
    checks.push(Check {
        item: format!("{lead} (incident lead) and {deployer} (deployer) are available for the whole window."),
        status: Status::ToConfirm,
    });
    checks
}

pub(super) fn comms(cx: &mut Ctx<'_>) -> Comms {
    let spec = cx.spec;
    let comms = cx.person(spec.people.communications.as_ref(), "communications lead");
    let lead = cx.person(spec.people.incident_lead.as_ref(), "incident lead");
    let stakeholders = if spec.people.stakeholders.is_empty() {
        cx.confirm("stakeholders")
    } else {
        spec.people.stakeholders.iter().filter_map(|p| p.name.clone()).collect::<Vec<_>>().join(", ")
    };
    let chat = cx.or_confirm(spec.channels.chat.as_deref(), "chat channel");
    let email = spec.channels.email.clone();
    let bridge = spec.channels.bridge.clone().unwrap_or_else(|| chat.clone());
    let updates = match &email {
        Some(email) => format!("{chat} and {email}"),
        None => chat.clone(),
    };
    let mut abort_channel = updates.clone();
    if spec.is_user_facing() {
        match &spec.channels.status_page {
            Some(page) => abort_channel = format!("{abort_channel}; status page {page}"),
            None => abort_channel = format!("{abort_channel}; {}", cx.confirm("status page")),
        }
    }
    let rows = vec![
        CommsRow {
            when: "Before the change starts".into(),
            who: comms.clone(),
            audience: stakeholders.clone(),
            channel: updates.clone(),
        },
        CommsRow {
            when: "An abort criterion is met".into(),
            who: lead.clone(),
            audience: "deployer and decision owner".into(),
            channel: bridge,
        },
        CommsRow {
            when: "The fallback is called".into(),
            who: comms.clone(),
            audience: stakeholders.clone(),
            channel: abort_channel,
        },
        CommsRow {
            when: "Every 30 minutes until all clear".into(),
            who: comms.clone(),
            audience: stakeholders.clone(),
            channel: updates.clone(),
        },
        CommsRow { when: "The fallback is verified".into(), who: comms, audience: stakeholders, channel: updates },
    ];
    Comms { rows, messages: Messages::default() }
}

pub(super) fn data(cx: &mut Ctx<'_>) -> Vec<DataItem> {
    let spec = cx.spec;
    let mut items = Vec::new();
    for change in &spec.data_changes {
        let description = cx.or_confirm(change.description.as_deref(), "description of a data change");
        let kind = change.kind.map_or_else(|| cx.confirm("kind of a data change"), |k| k.key().to_string());
        let reversible = match change.reversible {
            Some(true) => "yes".to_string(),
            Some(false) => "no".to_string(),
            None => cx.confirm(&format!("whether {description} is reversible")),
        };
        let backup = match (change.backup_taken, change.restore_tested) {
            (Some(true), Some(true)) => "taken; restore tested".to_string(),
            (Some(true), _) => "taken; restore NOT tested".to_string(),
            (Some(false), _) => "none".to_string(),
            (None, _) => cx.confirm(&format!("backup before {description}")),
        };
        let handling = match change.kind {
            Some(DataChangeKind::Expand) => {
                "Backward compatible: leave it in place on fallback, and remove it later in a separate contract change."
                    .to_string()
            }
            Some(DataChangeKind::Backfill) => {
                "Stop the backfill first; rows it wrote stay unless restored.".to_string()
            }
            Some(DataChangeKind::Contract) => {
                "Runs only after the fallback window closes; until then the old shape must still work.".to_string()
            }
            Some(DataChangeKind::Destructive) => {
                "One-way: only a restore from backup undoes it, losing writes made since the backup.".to_string()
            }
            None => cx.confirm(&format!("how {description} is handled on fallback")),
        };
        items.push(DataItem { description, kind, reversible, backup, handling });
    }
    items
}

pub(super) fn platform_commands(cx: &mut Ctx<'_>) -> PlatformCommands {
    let platform = cx.platform;
    PlatformCommands {
        remove: cx.commands(&platform.remove),
        remove_script: cx.script(&platform.remove),
        scale_to_zero: cx.commands(&platform.scale_to_zero),
        scale_to_zero_script: cx.script(&platform.scale_to_zero),
        verify_removed: cx.fill(&platform.verify_removed, &[]),
    }
}

pub(super) fn post_fallback(cx: &mut Ctx<'_>) -> Vec<String> {
    let spec = cx.spec;
    let platform = cx.platform;
    let first = match cx.situation {
        Situation::First => {
            let removed = cx.fill(&platform.verify_removed, &[]);
            format!("{} receives no traffic: {removed}.", spec.component.name)
        }
        Situation::Update => {
            let previous = cx.previous_version();
            let check = cx.case.undo.as_ref().map(|u| u.verify.clone());
            let check = check.map(|c| cx.fill(&c, &[])).unwrap_or_else(|| "it serves all traffic".to_string());
            format!("{} runs {previous} again: {}.", spec.component.name, lower_first(check.trim_end_matches('.')))
        }
    };
    let mut checks = vec![
        first,
        "Every KPI is back to its level before the change for at least 15 minutes.".to_string(),
        "Error rates of the services that call or are called by the component are back to normal.".to_string(),
    ];
    for resource in &spec.shared_resources {
        let name = resource.name.as_deref().unwrap_or("the shared resource");
        checks.push(format!("{name} matches its state before the change."));
    }
    for change in &spec.data_changes {
        let what = change.description.as_deref().unwrap_or("the data change");
        checks.push(format!("Integrity checks pass for the data touched by \"{what}\"."));
    }
    if cx.situation == Situation::First {
        checks.push(
            "The pipeline run is recorded as failed and fallen back, not as \"rolled back\": nothing was rolled back to.".to_string(),
        );
    }
    let id = spec.change.id.as_deref().unwrap_or("the change record");
    checks.push(format!("{id} is updated with the outcome and the time each step took."));
    let team = spec.component.owner_team.as_deref().unwrap_or("the owner team");
    checks.push(format!("A root-cause review with {team} is booked before the next attempt."));
    checks
}

pub(super) fn residual_risk(cx: &mut Ctx<'_>, ladder_total: &str) -> Vec<String> {
    let spec = cx.spec;
    let mut risks = Vec::new();
    for change in &spec.data_changes {
        let what = change.description.as_deref().unwrap_or("a data change");
        if change.is_one_way() {
            let loss = change.recovery_point.map_or_else(|| "an unknown amount".to_string(), |d| format!("up to {d}"));
            let tested = if change.restore_tested == Some(true) { "tested" } else { "untested" };
            risks.push(format!(
                "\"{what}\" cannot be undone: only a restore ({tested}) brings the data back, losing {loss} of writes."
            ));
        }
    }
    for resource in &spec.shared_resources {
        let name = resource.name.as_deref().unwrap_or("a shared resource");
        if matches!(resource.kind, Some(SharedResourceKind::Queue | SharedResourceKind::Topic)) {
            risks.push(format!(
                "Messages already published to {name} cannot be recalled; consumers must tolerate them."
            ));
        }
        if resource.revert.as_deref().is_none_or(|r| r.trim().is_empty()) {
            risks.push(format!("{name} is changed outside the workload and has no stated way back."));
        }
    }
    match cx.situation {
        Situation::First if spec.is_user_facing() => risks.push(format!(
            "Whatever users did with {} while it was live stays done; removing it does not undo their actions.",
            spec.component.name
        )),
        Situation::Update => risks.push(format!(
            "Whatever the new version of {} wrote stays written: the earlier version must read it after the rollback.",
            spec.component.name
        )),
        Situation::First => {}
    }
    if spec.kill_switches.is_empty() {
        risks.push(match cx.situation {
            Situation::First => format!(
                "With no kill switch, the fastest fallback is removing the workload ({ladder_total} for the whole ladder), and users see errors meanwhile."
            ),
            Situation::Update => format!(
                "With no kill switch, the fastest fallback is {} ({ladder_total} for the whole ladder), and users meet the new version until it completes.",
                cx.tool.words.rollback
            ),
        });
    }
    if risks.is_empty() {
        risks
            .push("No irreversible step found: the fallback returns the system to its state before the change.".into());
    }
    risks
}

pub(super) fn tool_notes(cx: &mut Ctx<'_>) -> Vec<Note> {
    let t = cx.tool;
    let spec = cx.spec;
    let mut notes = Vec::new();
    if !spec.verification.kpis.is_empty() || spec.verification.analysis.is_some() {
        let (title, facts) = match cx.situation {
            Situation::First => ("Verification without a baseline", &t.verification.first_deploy),
            Situation::Update => ("Verification of an update", &t.verification.update),
        };
        notes.push(Note {
            title: title.into(),
            text: format!("{} {}", facts.trim(), t.verification.remedy.trim()),
            sources: cx.sources(&t.verification.sources),
        });
    }
    notes.push(Note {
        title: "Failure strategy".into(),
        text: t.failure_strategy.clone(),
        sources: cx.sources(&t.failure_strategy_sources),
    });
    notes.push(Note { title: "Approvals".into(), text: t.approvals.clone(), sources: cx.sources(&t.approval_sources) });
    notes.push(Note {
        title: "Notifications".into(),
        text: t.notifications.clone(),
        sources: cx.sources(&t.notification_sources),
    });
    if spec.deployment.chained_pipelines == Some(true) {
        notes.push(Note {
            title: "Chained pipelines".into(),
            text: t.chained_pipelines.clone(),
            sources: cx.sources(&t.chained_sources),
        });
    }
    notes.push(Note {
        title: "Redeploying an earlier release".into(),
        text: t.post_deployment_rollback.clone(),
        sources: cx.sources(&t.post_deployment_sources),
    });
    notes
}

pub(super) fn summary(cx: &mut Ctx<'_>, ladder: &[Rung], total: &str) -> String {
    let spec = cx.spec;
    let c = &spec.component;
    let version = c.version.as_deref().map(|v| format!(" {v}")).unwrap_or_default();
    let env = c.environment.as_deref().unwrap_or("its target environment");
    // The tool's own name, also where the plan uses neutral knowledge (a combination it cannot deploy).
    let tool = spec.tool().display_name();
    let first = ladder.first().map(|r| lower_first(&r.title)).unwrap_or_default();
    let mut text = match cx.situation {
        Situation::First => format!(
            "First deployment of {}{version} to {env} with {tool}. There is no earlier version to return to, so {} is not the fallback.",
            c.name, cx.tool.words.rollback
        ),
        Situation::Update => {
            let previous = cx.previous_version();
            format!("Update of {}{version} in {env} with {tool}, replacing {previous}.", c.name)
        }
    };
    let (pivot_kind, pivot_words) = match cx.situation {
        Situation::First => (RungKind::RemoveWorkload, "the component is out of service"),
        Situation::Update => (RungKind::ToolRollback, "the earlier version serves again"),
    };
    let pivot = ladder.iter().find(|r| r.kind == pivot_kind).map(|r| r.step).unwrap_or(1);
    text.push_str(&format!(
        " The fallback starts with: {first}; by step {pivot} {pivot_words}. The whole ladder takes {total}."
    ));
    text
}

/// The text with its first letter lowercased, to go on inside a sentence (ASCII only: our own
/// sentences, never a word in another script). A first word with a capital inside it is a name
/// (GitLab, ServiceNow, LaunchDarkly) and stays as it is.
pub(crate) fn lower_first(s: &str) -> String {
    let first_word = s.split(' ').next().unwrap_or_default();
    if first_word.chars().skip(1).any(|c| c.is_ascii_uppercase()) {
        return s.to_string();
    }
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_ascii_lowercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::lower_first;

    #[test]
    fn a_sentence_goes_on_in_lower_case_and_a_name_keeps_its_capitals() {
        assert_eq!(lower_first("Turn off the flag"), "turn off the flag");
        assert_eq!(
            lower_first("GitLab job stop-production (started by hand)"),
            "GitLab job stop-production (started by hand)"
        );
        assert_eq!(lower_first("ServiceNow"), "ServiceNow");
        // An all-capitals first word is a name too (AWS, DNS); one letter is a word, not a name.
        assert_eq!(lower_first("DNS cut-over"), "DNS cut-over");
        assert_eq!(lower_first("A rollback"), "a rollback");
        assert_eq!(lower_first(""), "");
    }
}
