// planb's types, generated from its Rust types by src/typescript.rs: do not edit.
// `PLANB_BLESS=1 cargo test` rewrites this file; a stale copy fails the tests.

// How to render: `render(spec, options)`.

/** What to render; the CLI's `--format` and `--style`, the page's tabs and the Wasm API share it. */
export interface RenderOptions {
    format?: Format;
    style?: Style;
}

/** An output format. */
export type Format =
    /** GitHub / GitLab flavoured Markdown. */
    | "markdown"
    /** Plain text, for email and chat. */
    | "text"
    /** One self-contained HTML file: inline CSS, no script, printable. */
    | "html"
    /** The plan as an HTML `<article>`, as the page and the embed view show it. */
    | "html-fragment"
    /** Confluence storage format (XHTML with core macros), for the storage editor and the REST API. */
    | "confluence"
    /** Confluence and Jira wiki markup. */
    | "wiki"
    /** Slack mrkdwn. */
    | "slack"
    /** ServiceNow change request fields, as JSON keyed by field name. */
    | "servicenow"
    /** The whole plan with its findings, as JSON (`schema/plan.schema.json`). */
    | "json"
    /** The fallback ladder as a Mermaid flowchart. */
    | "mermaid"
    /** The fallback ladder as an SVG picture. */
    | "svg"
    /**
     * The plan as a checklist for the change window, in plain text: numbered steps, each with a box
     * and blanks for the time and initials, to print or paste.
     */
    | "checklist"
    /** The checklist in Markdown, its boxes task-list items. */
    | "checklist-markdown";

/** How much to say: a short reply, or the whole plan. */
export type Style = "brief" | "detailed";

// What the functions throw, and what `examples()` and `schema()` return.

/** The broad class of an error, so callers can react without parsing messages. */
export type ErrorKind =
    /** The text is not well-formed in its format (YAML, JSON, OCL, a Jenkinsfile). */
    | "syntax"
    /** The document is well-formed but does not describe a valid spec. */
    | "invalid_spec"
    /** A template failed to render (a bug in planb, never the user's fault). */
    | "render";

/**
 * What every function throws for bad input: an `Error` named `PlanbError`. Its `message` is the whole
 * text (position, field and detail); the fields let a caller react without parsing it.
 */
export interface PlanbError extends Error {
    name: "PlanbError";
    kind: ErrorKind;
    /** The message alone, without position and field. */
    detail: string;
    /** The field path, e.g. `rollout.steps[1]`; null for the document root or when unknown. */
    path: string | null;
    /** The line in the spec text (1-based); null when unknown. */
    line: number | null;
    /** The column (1-based, counting characters); null when unknown. */
    column: number | null;
}

/**
 * A file given to the importer's `importPipeline()`: the name it is reported under (a conventional
 * name such as `.gitlab-ci.yml` helps tell its format) and its text.
 */
export interface PipelineFile {
    name: string;
    text: string;
}

/**
 * What `runCli(args, host)` runs the command line over: the npm package's `planb.mjs` passes Node's
 * `fs` and `process`. Each function is synchronous; a failure is thrown as an `Error` whose message
 * is the reason in a few words ("no such file").
 */
export interface CliHost {
    readFile(path: string): Uint8Array;
    readStdin(): Uint8Array;
    exists(path: string): boolean;
    writeFile(path: string, text: string): void;
    rename(from: string, to: string): void;
    removeFile(path: string): void;
    write(stream: "stdout" | "stderr", text: string): void;
    isTerminal(stream: "stdout" | "stderr"): boolean;
    env(name: string): string | undefined;
    cwd(): string;
    runId(): number;
}

/** An example spec shipped with planb: its file name and its text (YAML or JSON). */
export interface Example {
    name: string;
    text: string;
}

/** A JSON Schema (draft 2020-12) document: `schema()` returns the spec's (`schema/spec.schema.json`). */
export interface JsonSchema {
    $schema?: string;
    title?: string;
    description?: string;
    type?: string | string[];
    properties?: { [name: string]: JsonSchema };
    required?: string[];
    $defs?: { [name: string]: JsonSchema };
    [keyword: string]: unknown;
}

// The spec (input; `schema/spec.schema.json`). The functions take its YAML or JSON text,
// such as `JSON.stringify(spec)` of a `Spec`.

/** A deployment that may not be able to roll back, described for its fallback plan. */
export interface Spec {
    /** The component being deployed. Only `component.name` is required. */
    component: Component;
    /** The change record: id, window and approvals. */
    change?: Change;
    /** How and where it is deployed. */
    deployment?: Deployment;
    /** How exposure grows: strategy, steps and bake times. */
    rollout?: Rollout;
    /** Ways to turn the component off without a deployment, least drastic first. */
    kill_switches?: KillSwitch[];
    /** Schema and data changes shipped with the component. */
    data_changes?: DataChange[];
    /** Things outside the workload that this change alters and a workload rollback would not revert. */
    shared_resources?: SharedResource[];
    /** How health is measured while the rollout runs. */
    verification?: Verification;
    /** Who calls the fallback, and how fast. */
    abort?: Abort;
    /** Named people and their roles. */
    people?: People;
    /** Where updates are posted. */
    channels?: Channels;
    /** Pipeline notifications configured in the deployment tool. */
    notifications?: Notification[];
    /** Whether the fallback has been tried, where, and how long it took. */
    rehearsal?: Rehearsal;
    /** The team's own fallback notes and extra steps. */
    fallback?: Fallback;
}

/** The component being deployed. */
export interface Component {
    /** The component's name, as the change board knows it. Required. */
    name: string;
    /** One sentence on what it does. */
    description?: string | null;
    /** The team that owns it. */
    owner_team?: string | null;
    /** How critical it is to the business. */
    tier?: Tier | null;
    /** Whether end users see its behaviour (unset: assumed yes). */
    user_facing?: boolean | null;
    /** The artifact deployed, e.g. an image reference. */
    artifact?: string | null;
    /** The version being deployed. */
    version?: string | null;
    /** The target environment, e.g. production. */
    environment?: string | null;
}

/** How critical a component is. */
export type Tier = "critical" | "high" | "medium" | "low";

/** The change record. */
export interface Change {
    /** The change ticket id, e.g. CHG0012345. */
    id?: string | null;
    /** When the change may run. */
    window?: Window | null;
    /** People or groups who approve the change. */
    approvers?: string[];
    /** The change advisory board meeting, e.g. "CAB 2026-12-01". */
    cab?: string | null;
}

/** A change window in local time. */
export interface Window {
    /** Start, `YYYY-MM-DD HH:MM`. */
    start?: LocalTime | null;
    /** End, `YYYY-MM-DD HH:MM`. */
    end?: LocalTime | null;
    /** IANA time zone name, e.g. Europe/London. */
    timezone?: string | null;
}

/** Local date and time, YYYY-MM-DD HH:MM. */
export type LocalTime = string;

/** How and where the component is deployed. */
export interface Deployment {
    /** The deployment tool. */
    tool?: Tool | null;
    /** What it runs on. */
    platform?: Platform | null;
    /** Whether this is the component's first deployment to this environment (unset: assumed yes). */
    first_deployment?: boolean | null;
    /** Whether an earlier version runs that a rollback could return to: true, false, or the version, e.g. "5.1.3". */
    previous_version?: PreviousVersion | null;
    /** The pipeline's name in the tool. */
    pipeline?: string | null;
    /** The Kubernetes namespace or equivalent. */
    namespace?: string | null;
    /** The workload, e.g. deployment/payments-api or an ECS service name. */
    workload?: string | null;
    /** Whether the pipeline starts child pipelines (their deployments do not roll back with it). */
    chained_pipelines?: boolean | null;
    /** The failure strategies configured on the stage or its steps. */
    failure_strategies?: FailureStrategy[];
    /** Settings of the deployment tool that change what its rollback does. */
    tool_settings?: ToolSettings;
}

/** A deployment tool planb knows. */
export type Tool =
    | "harness"
    | "argo-rollouts"
    | "argo-cd"
    | "flagger"
    | "spinnaker"
    | "github-actions"
    | "gitlab"
    | "jenkins"
    | "octopus"
    | "codedeploy"
    | "other";

/** A runtime platform. */
export type Platform = "kubernetes" | "ecs" | "serverless" | "vm" | "other";

/** Whether an earlier version runs: true or false, or its version, e.g. "5.1.3". */
export type PreviousVersion = boolean | string;

/** One failure strategy: which errors it catches and what it does. */
export interface FailureStrategy {
    /** The step or stage it is attached to, e.g. "Verify" (unset: the stage). */
    scope?: string | null;
    /** The error types it applies to (unset: all errors). */
    errors?: ErrorType[];
    /** What it does. */
    action?: FailureAction | null;
    /** For manual intervention: how long to wait for a person. */
    timeout?: Duration | null;
    /** For manual intervention: what happens when nobody acts in time. */
    on_timeout?: FailureAction | null;
}

/** A failure type a strategy can catch (Harness's error types). */
export type ErrorType =
    | "all-errors"
    | "timeout"
    | "verification"
    | "approval-rejection"
    | "delegate-restart"
    | "policy-evaluation";

/** What a failure strategy does (Harness's failure actions). */
export type FailureAction =
    | "manual-intervention"
    | "retry"
    | "mark-as-success"
    | "ignore-failure"
    | "abort"
    | "mark-as-failure"
    | "rollback-stage"
    | "rollback-step-group"
    | "rollback-pipeline"
    | "proceed-with-default-values";

/** A duration such as 90s, 15m, 1h30m or 2d (at most 30d). */
export type Duration = string;

/** Settings of the deployment tool that decide whether its own rollback or analysis can be trusted. */
export interface ToolSettings {
    /** Argo CD: whether the Application's automated sync policy is on. */
    auto_sync?: boolean | null;
    /** Whether the tool's automatic rollback (e.g. CodeDeploy's rollback on failure or alarm) is relied on as the fallback. */
    auto_rollback?: boolean | null;
    /** Whether the tool's canary analysis (Kayenta, Flagger metric checks, an Argo Rollouts AnalysisTemplate) is the only signal that aborts the rollout. */
    canary_analysis_only?: boolean | null;
    /** Flagger: whether the Canary sets `spec.skipAnalysis: true`, which promotes without any analysis. */
    skip_analysis?: boolean | null;
}

/** How exposure grows. */
export interface Rollout {
    /** The rollout strategy. */
    strategy?: Strategy | null;
    /** For canary: the traffic share of each step, in order, e.g. [10, 50, 100]. */
    steps?: RolloutStep[];
    /** How long to watch each step before going on, unless a step says otherwise. */
    bake_time?: Duration | null;
    /** Who sees the new component first. */
    exposure?: Exposure | null;
    /** For exposure `percent-of-users`: the share of users. */
    exposure_percent?: Percent | null;
    /** The approval gate before traffic moves to the new version. */
    approval?: ApprovalKind | null;
}

/** A rollout strategy. */
export type Strategy = "canary" | "blue-green" | "rolling" | "all-at-once";

/** A rollout step: a percentage, or { percent, bake_time }. */
export type RolloutStep = Percent | {
    percent?: Percent;
    bake_time?: Duration;
};

/** A percentage, 1–100 (a trailing % is allowed in a string). */
export type Percent = number | string;

/** Who sees the new component first. */
export type Exposure = "internal" | "beta-cohort" | "percent-of-users" | "everyone";

/** An approval gate. */
export type ApprovalKind = "harness" | "jira" | "servicenow" | "manual" | "none";

/** A way to turn the component off without deploying. */
export interface KillSwitch {
    /** What kind of switch it is. */
    kind?: KillSwitchKind | null;
    /** What it acts on: the route, endpoint, config key or workload. */
    target?: string | null;
    /** For a feature flag: the flag key. */
    flag_key?: string | null;
    /** For a feature flag: the flag system, e.g. Harness FME or LaunchDarkly. */
    flag_system?: string | null;
    /** The state that turns the component off, e.g. "off" (unset: off). */
    safe_state?: string | null;
    /** Who may flip it. */
    owner?: string | null;
    /** How long it takes to take effect once flipped. */
    takes_effect?: Duration | null;
    /** Whether flipping it has been tried in a non-production environment. */
    tested?: boolean | null;
}

/** A kind of kill switch, from least to most drastic. */
export type KillSwitchKind =
    | "feature-flag"
    | "config-toggle"
    | "endpoint-disable"
    | "route-removal"
    | "scale-to-zero";

/** A schema or data change shipped with the component. */
export interface DataChange {
    /** What changes, e.g. "add table payment_intents". */
    description?: string | null;
    /** Its place in an expand / backfill / contract sequence, or destructive. */
    kind?: DataChangeKind | null;
    /** Whether it can be undone without a restore. */
    reversible?: boolean | null;
    /** Whether a backup is taken right before it runs. */
    backup_taken?: boolean | null;
    /** Whether restoring that backup has been tested. */
    restore_tested?: boolean | null;
    /** The most data that may be lost by a restore (recovery point objective). */
    recovery_point?: Duration | null;
    /** How long a restore takes. */
    restore_time?: Duration | null;
}

/** The kind of a data change (parallel change: expand, migrate, contract). */
export type DataChangeKind = "expand" | "backfill" | "contract" | "destructive";

/** A resource outside the workload that this change alters. */
export interface SharedResource {
    /** What kind of resource it is. */
    kind?: SharedResourceKind | null;
    /** Its name, e.g. the topic, DNS record or IAM role. */
    name?: string | null;
    /** How to revert the change to it. */
    revert?: string | null;
    /** Who reverts it. */
    owner?: string | null;
    /** How long reverting it takes. */
    revert_time?: Duration | null;
}

/** A kind of shared resource. */
export type SharedResourceKind = "schema" | "queue" | "topic" | "dns" | "iam" | "shared-config" | "other";

/** How health is measured during the rollout. */
export interface Verification {
    /** Where the metrics come from. */
    health_source?: HealthSource | null;
    /** How the verification step decides: fixed thresholds, or against a baseline or a model. */
    analysis?: Analysis | null;
    /** Whether verification fails when it has no data to analyse (Harness: the Verify step's Fail On No Analysis, `failOnNoAnalysis`, offered for baseline and machine-learning analysis but not for Simple Verification, i.e. threshold analysis). */
    fail_on_no_analysis?: boolean | null;
    /** The key indicators and their abort thresholds. */
    kpis?: Kpi[];
}

/** A metrics or logs source. */
export type HealthSource =
    | "prometheus"
    | "datadog"
    | "new-relic"
    | "cloudwatch"
    | "appdynamics"
    | "dynatrace"
    | "splunk"
    | "elastic"
    | "other";

/** How a verification step decides. */
export type Analysis = "threshold" | "baseline" | "ml";

/** A key indicator with its abort threshold. */
export interface Kpi {
    /** The metric, e.g. http_5xx_ratio or p99 latency. */
    metric?: string | null;
    /** Whether crossing means going above or below the threshold. */
    comparison?: Comparison | null;
    /** The threshold value. */
    threshold?: number | null;
    /** The unit of the threshold, e.g. "%" or "ms". */
    unit?: string | null;
    /** How long the threshold must be crossed before it counts. */
    duration?: Duration | null;
}

/** Which side of a threshold is bad. */
export type Comparison = "above" | "below";

/** Who calls the fallback, and how fast. */
export interface Abort {
    /** The person who decides to fall back. */
    decision_owner?: string | null;
    /** How long they have to decide once a trigger fires. */
    decision_window?: Duration | null;
    /** Further abort triggers in words, e.g. "support reports failed payments". */
    triggers?: string[];
}

/** Named people and their roles. */
export interface People {
    /** Runs the deployment. */
    deployer?: Person | null;
    /** Leads the response if something goes wrong. */
    incident_lead?: Person | null;
    /** Sends updates to stakeholders. */
    communications?: Person | null;
    /** Approves the change. */
    approver?: Person | null;
    /** Who must hear about the change and any fallback. */
    stakeholders?: Person[];
}

/** A person: a name, or { name, contact }. */
export type Person = string | {
    name?: string;
    contact?: string;
};

/** Where updates are posted. */
export interface Channels {
    /** The chat channel, e.g. #payments-deploy. */
    chat?: string | null;
    /** The email list. */
    email?: string | null;
    /** The status page for user-facing incidents. */
    status_page?: string | null;
    /** The incident call or bridge. */
    bridge?: string | null;
}

/** A pipeline notification rule. */
export interface Notification {
    /** The pipeline event. */
    on?: NotifyEvent | null;
    /** The channel it goes to. */
    channel?: NotifyChannel | null;
    /** The address, channel name or service. */
    target?: string | null;
}

/** A pipeline event (Harness's notification events). */
export type NotifyEvent =
    | "pipeline-start"
    | "pipeline-end"
    | "pipeline-success"
    | "pipeline-failed"
    | "stage-start"
    | "stage-success"
    | "stage-failed"
    | "step-failed"
    | "trigger-failed";

/** A notification channel. */
export type NotifyChannel = "email" | "slack" | "teams" | "pagerduty" | "webhook";

/** Whether the fallback has been tried. */
export interface Rehearsal {
    /** Whether it was rehearsed. */
    done?: boolean | null;
    /** Where, e.g. staging. */
    environment?: string | null;
    /** How long the whole fallback took. */
    took?: Duration | null;
    /** When, e.g. 2026-11-20. */
    date?: string | null;
}

/** The team's own fallback notes and extra steps. */
export interface Fallback {
    /** Existing backout text, e.g. pasted from the change ticket. */
    notes?: string | null;
    /** Extra explicit fallback steps, run after the kill switches. */
    steps?: CustomStep[];
    /** How long a hotfix through the normal pipeline takes. */
    fix_forward_time?: Duration | null;
}

/** An extra fallback step the team wrote. */
export interface CustomStep {
    /** What to do. */
    action?: string | null;
    /** Who does it. */
    owner?: string | null;
    /** How long it takes. */
    duration?: Duration | null;
    /** How to tell it worked. */
    verify?: string | null;
}

// The plan (output of `plan()`; `schema/plan.schema.json`) and its findings (`check()`).

/** A complete fallback plan. */
export interface Plan {
    schema_version: number;
    component: ComponentView;
    change: ChangeView;
    tool: ToolView;
    platform: string;
    /** The platform's commands for this workload. */
    platform_commands: PlatformCommands;
    /** The workload, as the snippets name it. */
    workload: Workload;
    /** True when there is no earlier version to return to. */
    first_deployment: boolean;
    /** True when the spec did not say, and planb assumed a first deployment. */
    first_deployment_assumed: boolean;
    /** First deployment or update: which way the fallback goes. */
    situation: Situation;
    /** The version running before this change, when the spec names it. */
    previous_version: string | null;
    strategy: string | null;
    summary: string;
    risk: Risk;
    /** What the tool's own rollback does here, and why it is not the fallback. */
    tool_rollback: ToolRollback;
    validation: Check[];
    stages: Stage[];
    abort: AbortPlan;
    /** Ordered fallback actions, least drastic first. */
    ladder: Rung[];
    /** The known total time of the ladder up to (not including) fixing forward. */
    ladder_total: string;
    comms: Comms;
    data: DataItem[];
    post_fallback: string[];
    residual_risk: string[];
    /** Facts about the tool that matter for this plan, with their sources. */
    tool_notes: Note[];
    snippet: Snippet | null;
    findings: Finding[];
    counts: Counts;
    /** What the spec left out, in the order the plan needed it. */
    to_confirm: string[];
}

export interface ComponentView {
    name: string;
    description: string | null;
    owner_team: string;
    tier: string | null;
    artifact: string | null;
    version: string | null;
    environment: string;
    user_facing: boolean;
}

export interface ChangeView {
    id: string;
    window: string;
    approvers: string;
    cab: string | null;
}

export interface ToolView {
    key: string;
    name: string;
    /** Whether planb has knowledge specific to this tool. */
    known: boolean;
    rollback_word: string;
    verification_word: string;
    approval_word: string;
}

/** The platform's commands for this workload, for people and for scripts. */
export interface PlatformCommands {
    remove: string;
    /** `remove` as a bash script: values quoted, what the spec lacks stops it with a message. */
    remove_script: string;
    scale_to_zero: string;
    scale_to_zero_script: string;
    verify_removed: string;
}

/** The workload the deployment creates or replaces. */
export interface Workload {
    /**
     * Its name without a kind (`payments-api` of `deployment/payments-api`); the component's name
     * when the spec names no workload.
     */
    name: string;
    /** The kind before the slash, when the spec gives one (`deployment`). */
    kind: string | null;
    /** Whether the spec names the workload (else `name` is the component's). */
    stated: boolean;
}

/** Whether an earlier version runs that the deployment replaces: what decides the fallback. */
export type Situation =
    /** No earlier version: the fallback removes or disables the new one. */
    | "first"
    /** An earlier version runs: the fallback returns to it. */
    | "update";

/** A level and every reason that contributed to it, most severe first. */
export interface Risk {
    level: RiskLevel;
    reasons: Reason[];
}

export type RiskLevel = "low" | "medium" | "high" | "critical";

export interface Reason {
    level: RiskLevel;
    text: string;
}

export interface ToolRollback {
    /**
     * What the tool's own rollback does in this situation, on this platform, with this strategy,
     * ending with the ids of its sources.
     */
    effect: string;
    steps: string[];
    sources: Source[];
    /** Set when the tool cannot deploy this way: why. */
    unsupported: string | null;
}

export interface Source {
    key: string;
    url: string;
}

export interface Check {
    item: string;
    status: Status;
}

export type Status = "done" | "to-do" | "to-confirm";

export interface Stage {
    name: string;
    traffic: string;
    bake: string;
    gate: string;
}

export interface AbortPlan {
    criteria: AbortCriterion[];
    decision_owner: string;
    decision_window: string;
}

export interface AbortCriterion {
    trigger: string;
    owner: string;
    time_limit: string;
}

/** One action of the fallback ladder. */
export interface Rung {
    step: number;
    kind: RungKind;
    title: string;
    /** How to do it with this tool and platform. */
    how: string;
    owner: string;
    duration: string;
    precondition: string;
    verify: string;
}

export type RungKind =
    | "kill-switch"
    | "team-step"
    | "route-away"
    | "remove-workload"
    | "revert-shared"
    | "restore-data"
    | "fix-forward"
    /** An update: the tool's own way back to the version that ran before. */
    | "tool-rollback";

export interface Comms {
    rows: CommsRow[];
    /** Message texts, filled in by the engine from `templates/messages/`. */
    messages: Messages;
}

export interface CommsRow {
    when: string;
    who: string;
    audience: string;
    channel: string;
}

export interface Messages {
    start: string;
    abort: string;
    all_clear: string;
}

export interface DataItem {
    description: string;
    kind: string;
    reversible: string;
    backup: string;
    handling: string;
}

export interface Note {
    title: string;
    text: string;
    sources: Source[];
}

export interface Snippet {
    title: string;
    language: string;
    /** The tool's own validator that accepts it (planb's tests run it on every snippet). */
    validated_by: string;
    /** Filled in by the engine from the tool's snippet template. */
    body: string;
}

/** One gap found in a spec. */
export interface Finding {
    /** Stable id, e.g. `PB001`. */
    id: string;
    /** Short kebab-case name of the rule. */
    rule: string;
    severity: Severity;
    message: string;
    /** The spec field it concerns, e.g. `data_changes[0].restore_tested`. */
    path: string;
    /** How to close the gap. */
    fix: string;
    /** The file as it was given (a path, or `<stdin>`). */
    file?: string;
    /** 1-based. */
    line?: number;
    /** 1-based, in characters. */
    column?: number;
}

/** A finding's severity; `planb check` exits 1 when any finding is an error. */
export type Severity = "error" | "warning" | "info";

export interface Counts {
    errors: number;
    warnings: number;
    infos: number;
}

// What the importer's `importPipeline(files)` returns (the page's second module, `planb_import.js`).

/** What importing pipeline files gives. */
export interface Imported {
    /** The spec as YAML, each field with its source in a comment and each question commented out. */
    spec: string;
    /** Each field's source, or its question to confirm, as the spec's comments say them. */
    provenance: Provenance[];
    /**
     * What the files hold or refer to that planb did not read (an `include:`, a template), or
     * read with a guess.
     */
    notes: string[];
    /** The lint's findings on the files, most severe first, each with its file, line and column. */
    findings: Finding[];
}

/**
 * Where one field of a draft came from, or what to confirm about it: what the YAML's comment on
 * that field says, for a page that shows it beside the field.
 */
export interface Provenance {
    /** The field, dotted, a list's item by its index: `deployment.namespace`, `verification.kpis.0`. */
    path: string;
    /** `from rollout.yaml:12`, with a remark after it where there is one; or `to confirm: …`. */
    text: string;
    /** Whether the field is a question the files cannot answer (it is left empty). */
    question: boolean;
}
