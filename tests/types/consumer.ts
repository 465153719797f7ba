// A program that uses planb's npm package (target/pkg, built by scripts/build-site.sh) as a consumer
// would. tests/browser/types.test.mjs compiles it with `strict` and fails on any diagnostic, so each
// typed use below must type-check, and each `@ts-expect-error` line must stay an error: it shows the
// types reject a wrong field or value.
import init, { check, decodeLink, encodeLink, examples, plan, render, schema } from "../../target/pkg/planb.js";
import type { Finding, PlanbError, RenderOptions, Rung, Severity, Spec } from "../../target/pkg/planb.js";

await init();

// The spec's type: the functions take its JSON (or YAML) text.
const spec: Spec = {
  component: { name: "payments-api", tier: "critical", user_facing: true },
  deployment: { tool: "harness", platform: "kubernetes", first_deployment: false, previous_version: "5.1.3" },
  rollout: { strategy: "canary", steps: [10, { percent: "50%", bake_time: "15m" }, 100] },
  kill_switches: [{ kind: "feature-flag", flag_key: "payments-v2", owner: "Ana", tested: true }],
  people: { deployer: "Ana", stakeholders: [{ name: "Bo", contact: "#payments" }] },
};
const text = JSON.stringify(spec);

// What the functions return is not annotated here: the uses below type-check only through their types.
const p = plan(text);
const owner: string = p.ladder[0].owner;
const back: Rung | undefined = p.ladder.find((rung) => rung.kind === "tool-rollback");
const previous: string | null = p.previous_version;
const snippet: string | undefined = p.snippet?.body;
const level: "low" | "medium" | "high" | "critical" = p.risk.level;

const findings = check(text);
const errors: Finding[] = findings.filter((finding) => finding.severity === "error");
const severity: Severity = findings[0].severity;
const where: string = findings[0].path;

const options: RenderOptions = { format: "markdown", style: "brief" };
const markdown: string = render(text, options);
const svg: string = render(text, { format: "svg" });
const detailed: string = render(text); // the options may be left out

const required: string[] | undefined = schema().required;
const names: string[] = examples().map((example) => example.name);
const link: string = encodeLink(examples()[0].text);
const json: string = decodeLink(link);

try {
  plan("component: [");
} catch (e) {
  const error = e as PlanbError;
  const kind: "syntax" | "invalid_spec" | "render" = error.kind;
  const line: number | null = error.line;
  const field: string | null = error.path;
  console.log(kind, line, field, error.message);
}

// @ts-expect-error: a plan has no `owner`; its rungs do
p.owner;
// @ts-expect-error: `ladder` is a list of rungs
p.ladder.owner;
// @ts-expect-error: "pdf" is not one of the formats
render(text, { format: "pdf" });
// @ts-expect-error: "short" is not a style
const wrongStyle: RenderOptions = { style: "short" };
// @ts-expect-error: render options have no `theme`
render(text, { format: "html", theme: "dark" });
// @ts-expect-error: the severities are "error", "warning" and "info"
if (findings[0].severity === "fatal") console.log("never");
// @ts-expect-error: a spec's component needs a name
const nameless: Spec = { component: { tier: "low" } };
// @ts-expect-error: an example is a name and a text
examples()[0].spec;
// @ts-expect-error: "helm" is not a tool planb knows
const unknownTool: Spec = { component: { name: "a" }, deployment: { tool: "helm" } };
// @ts-expect-error: plan() takes the spec's text, not the object
plan(spec);

console.log(owner, back, previous, snippet, level, errors, severity, where, markdown, svg, detailed);
console.log(required, names, json, wrongStyle, nameless, unknownTool);
