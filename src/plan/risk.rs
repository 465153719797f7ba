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

/// One rule of the risk level: what raises it, and to which level. `docs/findings.md` prints them as
/// a table; the level of a change is the highest any rule calls for, low when none applies.
pub struct Factor {
    /// Read by the docs (`docs/findings.md`), which the Wasm build leaves out.
    #[cfg_attr(target_arch = "wasm32", allow(dead_code))]
    pub when: &'static str,
    pub level: RiskLevel,
}

const FIRST_DEPLOYMENT: Factor = Factor {
    when: "A first deployment (or no earlier version), unless contained as in the next row",
    level: RiskLevel::Medium,
};
const FIRST_DEPLOYMENT_CONTAINED: Factor = Factor {
    when:
        "A first deployment that is not user-facing, of tier low, with a kill switch tested and the fallback rehearsed",
    level: RiskLevel::Low,
};
const TIER_CRITICAL: Factor = Factor { when: "Tier critical", level: RiskLevel::High };
const TIER_HIGH: Factor = Factor { when: "Tier high", level: RiskLevel::Medium };
const ONE_WAY_DATA: Factor = Factor {
    when: "A one-way data change (destructive, contract, or not reversible) without a tested restore",
    level: RiskLevel::Critical,
};
const ONE_WAY_DATA_RESTORE_TESTED: Factor =
    Factor { when: "A one-way data change with a tested restore", level: RiskLevel::High };
const SHARED_RESOURCES: Factor =
    Factor { when: "Shared resources changed (a workload rollback does not revert them)", level: RiskLevel::Medium };
const EVERYONE_NO_SWITCH: Factor = Factor {
    when: "User-facing, every user exposed at once (all-at-once or unstated, exposure everyone or unstated), no kill switch",
    level: RiskLevel::High,
};
const ERROR_GAPS: Factor = Factor { when: "An error-level finding", level: RiskLevel::High };

/// Every rule, in the order `assess` applies them.
#[cfg(not(target_arch = "wasm32"))]
pub const FACTORS: [Factor; 9] = [
    FIRST_DEPLOYMENT,
    FIRST_DEPLOYMENT_CONTAINED,
    TIER_CRITICAL,
    TIER_HIGH,
    ONE_WAY_DATA,
    ONE_WAY_DATA_RESTORE_TESTED,
    SHARED_RESOURCES,
    EVERYONE_NO_SWITCH,
    ERROR_GAPS,
];

/// A first deployment whose failure stays small: nobody outside the team sees it, the component is of
/// the lowest tier, and the way out has been tried (a kill switch flipped in a test, the fallback
/// rehearsed). Every condition must hold: each missing one is a risk the change carries.
fn contained(spec: &Spec) -> bool {
    !spec.is_user_facing()
        && spec.component.tier == Some(Tier::Low)
        && spec.kill_switches.iter().any(|k| k.tested == Some(true))
        && spec.rehearsal.done == Some(true)
}

/// Assesses the risk: the level is the highest any single reason calls for.
pub fn assess(spec: &Spec, counts: &Counts) -> Risk {
    let mut reasons: Vec<Reason> = Vec::new();
    let mut add = |factor: Factor, text: String| reasons.push(Reason { level: factor.level, text });

    if spec.cannot_roll_back() {
        if contained(spec) {
            add(
                FIRST_DEPLOYMENT_CONTAINED,
                "First deployment, contained: not user-facing, tier low, a tested kill switch and a rehearsed fallback."
                    .into(),
            );
        } else {
            add(FIRST_DEPLOYMENT, "First deployment: the tool's rollback has no earlier version to return to.".into());
        }
    }
    match spec.component.tier {
        Some(Tier::Critical) => add(TIER_CRITICAL, "The component is tier critical.".into()),
        Some(Tier::High) => add(TIER_HIGH, "The component is tier high.".into()),
        _ => {}
    }
    for change in &spec.data_changes {
        if !change.is_one_way() {
            continue;
        }
        let what = change.description.as_deref().unwrap_or("a data change");
        if change.restore_tested == Some(true) {
            add(ONE_WAY_DATA_RESTORE_TESTED, format!("Irreversible data change ({what}), with a tested restore."));
        } else {
            add(ONE_WAY_DATA, format!("Irreversible data change ({what}) without a tested restore."));
        }
    }
    if !spec.shared_resources.is_empty() {
        let n = spec.shared_resources.len();
        let noun = if n == 1 { "resource" } else { "resources" };
        add(SHARED_RESOURCES, format!("Changes {n} shared {noun} that a workload rollback does not revert."));
    }
    let everyone_at_once = matches!(spec.rollout.strategy, Some(Strategy::AllAtOnce) | None)
        && spec.rollout.exposure.is_none_or(|e| e == crate::spec::Exposure::Everyone);
    if everyone_at_once && spec.kill_switches.is_empty() && spec.is_user_facing() {
        add(EVERYONE_NO_SWITCH, "Every user is exposed at once and there is no kill switch.".into());
    }
    if counts.errors > 0 {
        let noun = if counts.errors == 1 { "gap" } else { "gaps" };
        add(ERROR_GAPS, format!("{} error-level {noun} in the plan (see Gaps).", counts.errors));
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
