//! The risk level of a change and the reasons that set it.

use serde::Serialize;

use super::Counts;
use crate::spec::{Spec, Strategy, Tier};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum RiskLevel {
    Low,
    Medium,
    High,
    Critical,
}

impl RiskLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            RiskLevel::Low => "low",
            RiskLevel::Medium => "medium",
            RiskLevel::High => "high",
            RiskLevel::Critical => "critical",
        }
    }
}

/// A level and every reason that contributed to it, most severe first.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Risk {
    pub level: RiskLevel,
    pub reasons: Vec<Reason>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct Reason {
    pub level: RiskLevel,
    pub text: String,
}

/// Assesses the risk: the level is the highest any single reason calls for.
pub fn assess(spec: &Spec, counts: &Counts) -> Risk {
    let mut reasons: Vec<Reason> = Vec::new();
    let mut add = |level, text: String| reasons.push(Reason { level, text });

    if spec.cannot_roll_back() {
        add(RiskLevel::Medium, "First deployment: the tool's rollback has no earlier version to return to.".into());
    }
    match spec.component.tier {
        Some(Tier::Critical) => add(RiskLevel::High, "The component is tier critical.".into()),
        Some(Tier::High) => add(RiskLevel::Medium, "The component is tier high.".into()),
        _ => {}
    }
    for change in &spec.data_changes {
        if !change.is_one_way() {
            continue;
        }
        let what = change.description.as_deref().unwrap_or("a data change");
        if change.restore_tested == Some(true) {
            add(RiskLevel::High, format!("Irreversible data change ({what}), with a tested restore."));
        } else {
            add(RiskLevel::Critical, format!("Irreversible data change ({what}) without a tested restore."));
        }
    }
    if !spec.shared_resources.is_empty() {
        let n = spec.shared_resources.len();
        let noun = if n == 1 { "resource" } else { "resources" };
        add(RiskLevel::Medium, format!("Changes {n} shared {noun} that a workload rollback does not revert."));
    }
    let everyone_at_once = matches!(spec.rollout.strategy, Some(Strategy::AllAtOnce) | None)
        && spec.rollout.exposure.is_none_or(|e| e == crate::spec::Exposure::Everyone);
    if everyone_at_once && spec.kill_switches.is_empty() && spec.is_user_facing() {
        add(RiskLevel::High, "Every user is exposed at once and there is no kill switch.".into());
    }
    if counts.errors > 0 {
        let noun = if counts.errors == 1 { "gap" } else { "gaps" };
        add(RiskLevel::High, format!("{} error-level {noun} in the plan (see Gaps).", counts.errors));
    }

    // Most severe first, in the order found within a level.
    let mut reasons: Vec<Reason> = [RiskLevel::Critical, RiskLevel::High, RiskLevel::Medium, RiskLevel::Low]
        .iter()
        .flat_map(|level| reasons.iter().filter(move |r| r.level == *level).cloned())
        .collect();
    let level = reasons.first().map_or(RiskLevel::Low, |r| r.level);
    if reasons.is_empty() {
        reasons.push(Reason {
            level,
            text: "Not a first deployment, staged, with no data or shared-resource changes.".into(),
        });
    }
    Risk { level, reasons }
}
