//! The spec: a short, structured description of one deployment.
//!
//! Every field is optional except `component.name`; whatever is missing becomes a
//! "to confirm" placeholder in the plan and a finding that says what to add.

mod shorthand;
mod units;

use serde::{Deserialize, Serialize};

pub use shorthand::{Person, PreviousVersion, RolloutStep};
pub use units::{Duration, LocalTime, Percent};

/// Derives shared by every spec type: serde both ways, plus schema and fuzzing support in tests.
macro_rules! spec_type {
    ($(#[$meta:meta])* $vis:vis struct $($rest:tt)*) => {
        #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
        #[cfg_attr(test, derive(schemars::JsonSchema, arbitrary::Arbitrary))]
        #[serde(deny_unknown_fields, default)]
        $(#[$meta])* $vis struct $($rest)*
    };
    ($(#[$meta:meta])* $vis:vis enum $($rest:tt)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[cfg_attr(test, derive(schemars::JsonSchema, arbitrary::Arbitrary))]
        #[serde(rename_all = "kebab-case")]
        $(#[$meta])* $vis enum $($rest)*
    };
}

/// A deployment that may not be able to roll back, described for its fallback plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema, arbitrary::Arbitrary))]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// The component being deployed. Only `component.name` is required.
    pub component: Component,
    /// The change record: id, window and approvals.
    #[serde(default)]
    pub change: Change,
    /// How and where it is deployed.
    #[serde(default)]
    pub deployment: Deployment,
    /// How exposure grows: strategy, steps and bake times.
    #[serde(default)]
    pub rollout: Rollout,
    /// Ways to turn the component off without a deployment, least drastic first.
    #[serde(default)]
    pub kill_switches: Vec<KillSwitch>,
    /// Schema and data changes shipped with the component.
    #[serde(default)]
    pub data_changes: Vec<DataChange>,
    /// Things outside the workload that this change alters and a workload rollback would not revert.
    #[serde(default)]
    pub shared_resources: Vec<SharedResource>,
    /// How health is measured while the rollout runs.
    #[serde(default)]
    pub verification: Verification,
    /// Who calls the fallback, and how fast.
    #[serde(default)]
    pub abort: Abort,
    /// Named people and their roles.
    #[serde(default)]
    pub people: People,
    /// Where updates are posted.
    #[serde(default)]
    pub channels: Channels,
    /// Pipeline notifications configured in the deployment tool.
    #[serde(default)]
    pub notifications: Vec<Notification>,
    /// Whether the fallback has been tried, where, and how long it took.
    #[serde(default)]
    pub rehearsal: Rehearsal,
    /// The team's own fallback notes and extra steps.
    #[serde(default)]
    pub fallback: Fallback,
}

/// The component being deployed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema, arbitrary::Arbitrary))]
#[serde(deny_unknown_fields)]
pub struct Component {
    /// The component's name, as the change board knows it. Required.
    #[serde(deserialize_with = "non_empty")]
    #[cfg_attr(test, schemars(length(min = 1)))]
    pub name: String,
    /// One sentence on what it does.
    #[serde(default)]
    pub description: Option<String>,
    /// The team that owns it.
    #[serde(default)]
    pub owner_team: Option<String>,
    /// How critical it is to the business.
    #[serde(default)]
    pub tier: Option<Tier>,
    /// Whether end users see its behaviour (unset: assumed yes).
    #[serde(default)]
    pub user_facing: Option<bool>,
    /// The artifact deployed, e.g. an image reference.
    #[serde(default)]
    pub artifact: Option<String>,
    /// The version being deployed.
    #[serde(default)]
    pub version: Option<String>,
    /// The target environment, e.g. production.
    #[serde(default)]
    pub environment: Option<String>,
}

/// Reads a string that must not be blank.
fn non_empty<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    struct NonEmpty;
    impl serde::de::Visitor<'_> for NonEmpty {
        type Value = String;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a non-empty name")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<String, E> {
            if v.trim().is_empty() {
                Err(E::custom("expected a non-empty name"))
            } else {
                Ok(v.to_string())
            }
        }
    }
    d.deserialize_str(NonEmpty)
}

spec_type! {
    /// How critical a component is.
    pub enum Tier {
        Critical,
        High,
        Medium,
        Low,
    }
}

spec_type! {
    /// The change record.
    pub struct Change {
        /// The change ticket id, e.g. CHG0012345.
        pub id: Option<String>,
        /// When the change may run.
        pub window: Option<Window>,
        /// People or groups who approve the change.
        pub approvers: Vec<String>,
        /// The change advisory board meeting, e.g. "CAB 2026-12-01".
        pub cab: Option<String>,
    }
}

spec_type! {
    /// A change window in local time.
    pub struct Window {
        /// Start, `YYYY-MM-DD HH:MM`.
        pub start: Option<LocalTime>,
        /// End, `YYYY-MM-DD HH:MM`.
        pub end: Option<LocalTime>,
        /// IANA time zone name, e.g. Europe/London.
        pub timezone: Option<String>,
    }
}

spec_type! {
    /// How and where the component is deployed.
    pub struct Deployment {
        /// The deployment tool.
        pub tool: Option<Tool>,
        /// What it runs on.
        pub platform: Option<Platform>,
        /// Whether this is the component's first deployment to this environment (unset: assumed yes).
        pub first_deployment: Option<bool>,
        /// Whether an earlier version runs that a rollback could return to: true, false, or the version, e.g. "5.1.3".
        pub previous_version: Option<PreviousVersion>,
        /// The pipeline's name in the tool.
        pub pipeline: Option<String>,
        /// The Kubernetes namespace or equivalent.
        pub namespace: Option<String>,
        /// The workload, e.g. deployment/payments-api or an ECS service name.
        pub workload: Option<String>,
        /// Whether the pipeline starts child pipelines (their deployments do not roll back with it).
        pub chained_pipelines: Option<bool>,
        /// The failure strategies configured on the stage or its steps.
        pub failure_strategies: Vec<FailureStrategy>,
        /// Settings of the deployment tool that change what its rollback does.
        #[serde(skip_serializing_if = "ToolSettings::is_unset")]
        pub tool_settings: ToolSettings,
    }
}

spec_type! {
    /// Settings of the deployment tool that decide whether its own rollback or analysis can be trusted.
    pub struct ToolSettings {
        /// Argo CD: whether the Application's automated sync policy is on.
        pub auto_sync: Option<bool>,
        /// Whether the tool's automatic rollback (e.g. CodeDeploy's rollback on failure or alarm) is relied on as the fallback.
        pub auto_rollback: Option<bool>,
        /// Whether the tool's canary analysis (Kayenta, Flagger metric checks, an Argo Rollouts AnalysisTemplate) is the only signal that aborts the rollout.
        pub canary_analysis_only: Option<bool>,
        /// Flagger: whether the Canary sets `spec.skipAnalysis: true`, which promotes without any analysis.
        pub skip_analysis: Option<bool>,
    }
}

impl ToolSettings {
    /// Whether no setting is given (then the spec is written without `tool_settings`).
    pub fn is_unset(&self) -> bool {
        *self == ToolSettings::default()
    }
}

spec_type! {
    /// A deployment tool planb knows.
    pub enum Tool {
        Harness,
        ArgoRollouts,
        ArgoCd,
        Flagger,
        Spinnaker,
        GithubActions,
        Gitlab,
        Jenkins,
        Octopus,
        Codedeploy,
        Other,
    }
}

spec_type! {
    /// A runtime platform.
    pub enum Platform {
        Kubernetes,
        Ecs,
        Serverless,
        Vm,
        Other,
    }
}

spec_type! {
    /// One failure strategy: which errors it catches and what it does.
    pub struct FailureStrategy {
        /// The step or stage it is attached to, e.g. "Verify" (unset: the stage).
        pub scope: Option<String>,
        /// The error types it applies to (unset: all errors).
        pub errors: Vec<ErrorType>,
        /// What it does.
        pub action: Option<FailureAction>,
        /// For manual intervention: how long to wait for a person.
        pub timeout: Option<Duration>,
        /// For manual intervention: what happens when nobody acts in time.
        pub on_timeout: Option<FailureAction>,
    }
}

spec_type! {
    /// A failure type a strategy can catch (Harness's error types).
    pub enum ErrorType {
        AllErrors,
        Timeout,
        Verification,
        ApprovalRejection,
        DelegateRestart,
        PolicyEvaluation,
    }
}

spec_type! {
    /// What a failure strategy does (Harness's failure actions).
    pub enum FailureAction {
        ManualIntervention,
        Retry,
        MarkAsSuccess,
        IgnoreFailure,
        Abort,
        MarkAsFailure,
        RollbackStage,
        RollbackStepGroup,
        RollbackPipeline,
        ProceedWithDefaultValues,
    }
}

spec_type! {
    /// How exposure grows.
    pub struct Rollout {
        /// The rollout strategy.
        pub strategy: Option<Strategy>,
        /// For canary: the traffic share of each step, in order, e.g. [10, 50, 100].
        pub steps: Vec<RolloutStep>,
        /// How long to watch each step before going on, unless a step says otherwise.
        pub bake_time: Option<Duration>,
        /// Who sees the new component first.
        pub exposure: Option<Exposure>,
        /// For exposure `percent-of-users`: the share of users.
        pub exposure_percent: Option<Percent>,
        /// The approval gate before traffic moves to the new version.
        pub approval: Option<ApprovalKind>,
    }
}

spec_type! {
    /// A rollout strategy.
    pub enum Strategy {
        Canary,
        BlueGreen,
        Rolling,
        AllAtOnce,
    }
}

spec_type! {
    /// Who sees the new component first.
    pub enum Exposure {
        Internal,
        BetaCohort,
        PercentOfUsers,
        Everyone,
    }
}

spec_type! {
    /// An approval gate.
    pub enum ApprovalKind {
        Harness,
        Jira,
        Servicenow,
        Manual,
        None,
    }
}

spec_type! {
    /// A way to turn the component off without deploying.
    pub struct KillSwitch {
        /// What kind of switch it is.
        pub kind: Option<KillSwitchKind>,
        /// What it acts on: the route, endpoint, config key or workload.
        pub target: Option<String>,
        /// For a feature flag: the flag key.
        pub flag_key: Option<String>,
        /// For a feature flag: the flag system, e.g. Harness FME or LaunchDarkly.
        pub flag_system: Option<String>,
        /// The state that turns the component off, e.g. "off" (unset: off).
        pub safe_state: Option<String>,
        /// Who may flip it.
        pub owner: Option<String>,
        /// How long it takes to take effect once flipped.
        pub takes_effect: Option<Duration>,
        /// Whether flipping it has been tried in a non-production environment.
        pub tested: Option<bool>,
    }
}

spec_type! {
    /// A kind of kill switch, from least to most drastic.
    pub enum KillSwitchKind {
        FeatureFlag,
        ConfigToggle,
        EndpointDisable,
        RouteRemoval,
        ScaleToZero,
    }
}

spec_type! {
    /// A schema or data change shipped with the component.
    pub struct DataChange {
        /// What changes, e.g. "add table payment_intents".
        pub description: Option<String>,
        /// Its place in an expand / backfill / contract sequence, or destructive.
        pub kind: Option<DataChangeKind>,
        /// Whether it can be undone without a restore.
        pub reversible: Option<bool>,
        /// Whether a backup is taken right before it runs.
        pub backup_taken: Option<bool>,
        /// Whether restoring that backup has been tested.
        pub restore_tested: Option<bool>,
        /// The most data that may be lost by a restore (recovery point objective).
        pub recovery_point: Option<Duration>,
        /// How long a restore takes.
        pub restore_time: Option<Duration>,
    }
}

spec_type! {
    /// The kind of a data change (parallel change: expand, migrate, contract).
    pub enum DataChangeKind {
        Expand,
        Backfill,
        Contract,
        Destructive,
    }
}

spec_type! {
    /// A resource outside the workload that this change alters.
    pub struct SharedResource {
        /// What kind of resource it is.
        pub kind: Option<SharedResourceKind>,
        /// Its name, e.g. the topic, DNS record or IAM role.
        pub name: Option<String>,
        /// How to revert the change to it.
        pub revert: Option<String>,
        /// Who reverts it.
        pub owner: Option<String>,
        /// How long reverting it takes.
        pub revert_time: Option<Duration>,
    }
}

spec_type! {
    /// A kind of shared resource.
    pub enum SharedResourceKind {
        Schema,
        Queue,
        Topic,
        Dns,
        Iam,
        SharedConfig,
        Other,
    }
}

spec_type! {
    /// How health is measured during the rollout.
    pub struct Verification {
        /// Where the metrics come from.
        pub health_source: Option<HealthSource>,
        /// How the verification step decides: fixed thresholds, or against a baseline or a model.
        pub analysis: Option<Analysis>,
        /// Whether verification fails when it has no data to analyse (Harness: the Verify step's Fail On No Analysis, `failOnNoAnalysis`, offered for baseline and machine-learning analysis but not for Simple Verification, i.e. threshold analysis).
        pub fail_on_no_analysis: Option<bool>,
        /// The key indicators and their abort thresholds.
        pub kpis: Vec<Kpi>,
    }
}

spec_type! {
    /// A metrics or logs source.
    pub enum HealthSource {
        Prometheus,
        Datadog,
        NewRelic,
        Cloudwatch,
        Appdynamics,
        Dynatrace,
        Splunk,
        Elastic,
        Other,
    }
}

spec_type! {
    /// How a verification step decides.
    pub enum Analysis {
        Threshold,
        Baseline,
        Ml,
    }
}

spec_type! {
    /// A key indicator with its abort threshold.
    pub struct Kpi {
        /// The metric, e.g. http_5xx_ratio or p99 latency.
        pub metric: Option<String>,
        /// Whether crossing means going above or below the threshold.
        pub comparison: Option<Comparison>,
        /// The threshold value.
        pub threshold: Option<f64>,
        /// The unit of the threshold, e.g. "%" or "ms".
        pub unit: Option<String>,
        /// How long the threshold must be crossed before it counts.
        pub duration: Option<Duration>,
    }
}

spec_type! {
    /// Which side of a threshold is bad.
    pub enum Comparison {
        #[serde(alias = ">")]
        Above,
        #[serde(alias = "<")]
        Below,
    }
}

spec_type! {
    /// Who calls the fallback, and how fast.
    pub struct Abort {
        /// The person who decides to fall back.
        pub decision_owner: Option<String>,
        /// How long they have to decide once a trigger fires.
        pub decision_window: Option<Duration>,
        /// Further abort triggers in words, e.g. "support reports failed payments".
        pub triggers: Vec<String>,
    }
}

spec_type! {
    /// Named people and their roles.
    pub struct People {
        /// Runs the deployment.
        pub deployer: Option<Person>,
        /// Leads the response if something goes wrong.
        pub incident_lead: Option<Person>,
        /// Sends updates to stakeholders.
        pub communications: Option<Person>,
        /// Approves the change.
        pub approver: Option<Person>,
        /// Who must hear about the change and any fallback.
        pub stakeholders: Vec<Person>,
    }
}

spec_type! {
    /// Where updates are posted.
    pub struct Channels {
        /// The chat channel, e.g. #payments-deploy.
        pub chat: Option<String>,
        /// The email list.
        pub email: Option<String>,
        /// The status page for user-facing incidents.
        pub status_page: Option<String>,
        /// The incident call or bridge.
        pub bridge: Option<String>,
    }
}

spec_type! {
    /// A pipeline notification rule.
    pub struct Notification {
        /// The pipeline event.
        pub on: Option<NotifyEvent>,
        /// The channel it goes to.
        pub channel: Option<NotifyChannel>,
        /// The address, channel name or service.
        pub target: Option<String>,
    }
}

spec_type! {
    /// A pipeline event (Harness's notification events).
    pub enum NotifyEvent {
        PipelineStart,
        PipelineEnd,
        PipelineSuccess,
        PipelineFailed,
        StageStart,
        StageSuccess,
        StageFailed,
        StepFailed,
        TriggerFailed,
    }
}

spec_type! {
    /// A notification channel.
    pub enum NotifyChannel {
        Email,
        Slack,
        Teams,
        Pagerduty,
        Webhook,
    }
}

spec_type! {
    /// Whether the fallback has been tried.
    pub struct Rehearsal {
        /// Whether it was rehearsed.
        pub done: Option<bool>,
        /// Where, e.g. staging.
        pub environment: Option<String>,
        /// How long the whole fallback took.
        pub took: Option<Duration>,
        /// When, e.g. 2026-11-20.
        pub date: Option<String>,
    }
}

spec_type! {
    /// The team's own fallback notes and extra steps.
    pub struct Fallback {
        /// Existing backout text, e.g. pasted from the change ticket.
        pub notes: Option<String>,
        /// Extra explicit fallback steps, run after the kill switches.
        pub steps: Vec<CustomStep>,
        /// How long a hotfix through the normal pipeline takes.
        pub fix_forward_time: Option<Duration>,
    }
}

spec_type! {
    /// An extra fallback step the team wrote.
    pub struct CustomStep {
        /// What to do.
        pub action: Option<String>,
        /// Who does it.
        pub owner: Option<String>,
        /// How long it takes.
        pub duration: Option<Duration>,
        /// How to tell it worked.
        pub verify: Option<String>,
    }
}

/// Whether an earlier version runs that the deployment replaces: what decides the fallback.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Situation {
    /// No earlier version: the fallback removes or disables the new one.
    First,
    /// An earlier version runs: the fallback returns to it.
    Update,
}

impl Situation {
    pub const ALL: [Situation; 2] = [Situation::First, Situation::Update];

    pub fn key(self) -> &'static str {
        match self {
            Situation::First => "first",
            Situation::Update => "update",
        }
    }
}

impl Spec {
    /// First deployment or update (see [`Spec::cannot_roll_back`]).
    pub fn situation(&self) -> Situation {
        if self.cannot_roll_back() {
            Situation::First
        } else {
            Situation::Update
        }
    }

    /// Whether the deployment has no earlier version to return to.
    ///
    /// Unstated means yes: planb exists for first deployments, and assuming the worse case is safe.
    pub fn cannot_roll_back(&self) -> bool {
        self.deployment.first_deployment.unwrap_or(true)
            || self.deployment.previous_version.as_ref().is_some_and(|p| !p.exists())
    }

    /// The version running before this change, when the spec names it.
    pub fn previous_version(&self) -> Option<&str> {
        self.deployment.previous_version.as_ref().and_then(PreviousVersion::version).map(str::trim)
    }

    /// Whether end users see the component's behaviour (unstated means yes, unless exposure is internal).
    pub fn is_user_facing(&self) -> bool {
        self.component.user_facing.unwrap_or(self.rollout.exposure != Some(Exposure::Internal))
    }

    /// The sum of the rollout's bake times: every canary step, or the single watch period.
    pub fn total_bake(&self) -> Duration {
        let default = self.rollout.bake_time.unwrap_or(Duration::ZERO);
        let staged = match self.rollout.strategy {
            Some(Strategy::Canary) if !self.rollout.steps.is_empty() => self
                .rollout
                .steps
                .iter()
                .fold(Duration::ZERO, |sum, s| sum.saturating_add(s.bake_time.unwrap_or(default))),
            _ => default,
        };
        let limited =
            matches!(self.rollout.exposure, Some(Exposure::Internal | Exposure::BetaCohort | Exposure::PercentOfUsers));
        if limited {
            staged.saturating_add(default)
        } else {
            staged
        }
    }

    /// The deployment tool, `other` when unstated.
    pub fn tool(&self) -> Tool {
        self.deployment.tool.unwrap_or(Tool::Other)
    }
}

impl Tool {
    /// The tool's name as its users write it.
    pub fn display_name(self) -> &'static str {
        match self {
            Tool::Harness => "Harness CD",
            Tool::ArgoRollouts => "Argo Rollouts",
            Tool::ArgoCd => "Argo CD",
            Tool::Flagger => "Flagger",
            Tool::Spinnaker => "Spinnaker",
            Tool::GithubActions => "GitHub Actions",
            Tool::Gitlab => "GitLab CI/CD",
            Tool::Jenkins => "Jenkins",
            Tool::Octopus => "Octopus Deploy",
            Tool::Codedeploy => "AWS CodeDeploy",
            Tool::Other => "the deployment tool",
        }
    }
}

impl DataChangeKind {
    /// The spec's spelling.
    pub fn key(self) -> &'static str {
        match self {
            DataChangeKind::Expand => "expand",
            DataChangeKind::Backfill => "backfill",
            DataChangeKind::Contract => "contract",
            DataChangeKind::Destructive => "destructive",
        }
    }
}

impl DataChange {
    /// Whether only a restore undoes it: destructive or contracting changes, or any marked irreversible.
    pub fn is_one_way(&self) -> bool {
        matches!(self.kind, Some(DataChangeKind::Destructive | DataChangeKind::Contract))
            || self.reversible == Some(false)
    }
}

impl NotifyEvent {
    /// Whether the event fires when a deployment fails.
    pub fn is_failure(self) -> bool {
        matches!(
            self,
            NotifyEvent::PipelineFailed | NotifyEvent::StageFailed | NotifyEvent::StepFailed | NotifyEvent::PipelineEnd
        )
    }
}

impl HealthSource {
    /// The product's own spelling.
    pub fn display_name(self) -> &'static str {
        match self {
            HealthSource::Prometheus => "Prometheus",
            HealthSource::Datadog => "Datadog",
            HealthSource::NewRelic => "New Relic",
            HealthSource::Cloudwatch => "CloudWatch",
            HealthSource::Appdynamics => "AppDynamics",
            HealthSource::Dynatrace => "Dynatrace",
            HealthSource::Splunk => "Splunk",
            HealthSource::Elastic => "Elastic",
            HealthSource::Other => "the monitoring system",
        }
    }
}

#[cfg(test)]
mod generated_files {
    //! `schema/spec.schema.json` is generated from the types above; this test keeps it current.
    //! Run `PLANB_BLESS=1 cargo test` to rewrite it after changing the spec.

    use super::Spec;

    #[test]
    fn schema_file_matches_the_spec_types() {
        let mut schema = schemars::schema_for!(Spec);
        schema.insert("title".into(), "planb spec".into());
        let generated = serde_json::to_string_pretty(&schema).unwrap() + "\n";
        crate::test_support::assert_generated("schema/spec.schema.json", &generated);
    }
}
