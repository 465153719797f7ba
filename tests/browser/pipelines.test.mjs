// Importing pipeline files in the page (issue 18, item 4): chosen, dropped or pasted, they fill the
// form with each field's source under it, the findings on the files are listed with their lines, and
// one Undo restores the spec from before. The fixtures are tests/pipelines/; every expected line is
// found in the fixture's text, and every expected value follows from what the tool does with it.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, field, formValues, planHeading, setField, statusAlert, useSuite, waitForStatus } from "./support.mjs";

const suite = useSuite();

const fixture = (path) => readFileSync(join(ROOT, "tests/pipelines", path), "utf8");
const GITLAB = fixture("gitlab/.gitlab-ci.yml");
const ROLLOUT = fixture("argo-rollouts/background-analysis/rollout.yaml");
const TEMPLATES = fixture("argo-rollouts/background-analysis/analysis-templates.yaml");
const WORKFLOW = fixture("github-actions/deploy.yml");
const BLUE_GREEN = fixture("argo-rollouts/bluegreen-auto-promotion.yaml");
const ARGO_CD_APP = fixture("argo-cd/payments-app.yaml");
const SPINNAKER = fixture("spinnaker/checkout-manifest.json");
const APPSPEC = fixture("codedeploy/ecs/appspec.yaml");
const GROUP = fixture("codedeploy/ecs/deployment-group.json");
const JENKINSFILE = fixture("jenkins/ledger/Jenkinsfile");
const OCL = fixture("octopus/payments-api/deployment_process.ocl");

/** The 1-based column at which `needle` starts on the given 1-based line of `text`. */
function columnOf(text, line, needle) {
  const at = text.split("\n")[line - 1].indexOf(needle);
  assert.ok(at >= 0, `no ${needle} on line ${line}`);
  return at + 1;
}

/** The 1-based line of the first line containing `needle` after the line containing `after`. */
function lineOf(text, needle, after = null) {
  const lines = text.split("\n");
  const start = after === null ? 0 : lines.findIndex((l) => l.includes(after));
  assert.ok(start >= 0, `no line with ${after}`);
  const at = lines.findIndex((l, i) => i >= start && l.includes(needle));
  assert.ok(at >= 0, `no line with ${needle}`);
  return at + 1;
}

const choose = (page, files) =>
  page.setInputFiles("#import-file", files.map(([name, text]) => ({ name, mimeType: "application/yaml", buffer: Buffer.from(text) })));

/** The text shown under a field or list row as its source, or null. */
const sourceOf = (page, path) =>
  page.evaluate((p) => document.getElementById(`s-${p}`)?.textContent ?? null, path);

/** The imported panel's findings as "ID file:line:column", and its questions' paths. */
const panel = (page) =>
  page.evaluate(() => {
    const section = document.getElementById("imported");
    return {
      hidden: section.hidden,
      title: section.querySelector("h3")?.textContent ?? null,
      findings: [...section.querySelectorAll(".file-findings li")].map(
        (li) => `${li.querySelector(".id").textContent} ${li.querySelector(".where").textContent}`,
      ),
      questions: [...section.querySelectorAll(".questions button")].map((b) => b.dataset.path),
    };
  });

/** The URLs of the importer's files the page has requested so far. */
function importerRequests(page) {
  const urls = [];
  page.on("request", (r) => {
    if (r.url().includes("planb_import")) urls.push(r.url());
  });
  return urls;
}

suite.test("a GitLab CI file fills the form with each field's source, lists its findings by line, and Undo restores the spec", async (s) => {
  const { page } = await s.open();
  const loaded = importerRequests(page);
  await setField(page, "component.name", "before-import");
  const before = await formValues(page);
  assert.deepEqual(loaded, [], "a first visit does not load the importer");

  await choose(page, [[".gitlab-ci.yml", GITLAB]]);
  const status = await waitForStatus(page, "Imported .gitlab-ci.yml");
  assert.equal(status.alert, false, status.text);
  assert.equal(status.undo, true, "Undo is offered");
  assert.equal(loaded.length, 2, `the importer's script and Wasm were loaded once: ${loaded}`);

  // deploy-production is the job with an environment and `kubectl apply`; its environment's name is
  // the component's environment, and the file is GitLab's.
  assert.equal(await field(page, "deployment.tool").inputValue(), "gitlab");
  assert.equal(await field(page, "component.environment").inputValue(), "production");
  const environmentLine = lineOf(GITLAB, "name: production", "deploy-production:");
  assert.equal(await sourceOf(page, "component.environment"), `From .gitlab-ci.yml:${environmentLine}`);
  // The source is read out with the field.
  const described = await field(page, "component.environment").getAttribute("aria-describedby");
  assert.ok(described.split(" ").includes("s-component.environment"), described);
  // The manual deploy comes from `.deploy-base`'s `when: manual`, which `extends` brings in.
  assert.equal(await field(page, "rollout.approval").inputValue(), "manual");
  assert.match(await sourceOf(page, "rollout.approval"), new RegExp(`^From \\.gitlab-ci\\.yml:${lineOf(GITLAB, "when: manual", ".deploy-base:")}\\b`));
  // What the file cannot say stays empty, marked to confirm.
  assert.equal(await field(page, "deployment.first_deployment").inputValue(), "");
  assert.match(await sourceOf(page, "deployment.first_deployment"), /^To confirm: /);

  // The findings on the file, each at its line: the manual rollback job in a later stage is skipped
  // once an earlier job fails (GitLab: when: manual jobs run only if earlier stages succeed); the
  // smoke test may fail without failing the pipeline (allow_failure: true); the include is not read.
  const shown = await panel(page);
  assert.equal(shown.hidden, false);
  assert.equal(shown.title, "Imported from .gitlab-ci.yml");
  const expected = [
    `PB231 .gitlab-ci.yml:${lineOf(GITLAB, "when: manual", "rollback:")}:3`,
    `PB233 .gitlab-ci.yml:${lineOf(GITLAB, "allow_failure: true", "smoke-test:")}:3`,
    `PB235 .gitlab-ci.yml:${lineOf(GITLAB, "- template: Jobs/SAST")}:5`,
  ];
  assert.deepEqual([...shown.findings].sort(), [...expected].sort());
  assert.ok(shown.questions.includes("deployment.first_deployment"), shown.questions);

  // A question takes the user to its field.
  await page.click('#imported .questions button[data-path="deployment.first_deployment"]');
  assert.equal(await page.evaluate(() => document.activeElement.id), "f-deployment.first_deployment");

  // The plan is the imported spec's: the component is the deploy job.
  await page.waitForFunction(() => document.querySelector("#preview article.plan h1")?.textContent.includes("deploy-production"));

  await page.click("#undo");
  await waitForStatus(page, "Restored");
  assert.deepEqual(await formValues(page), before, "Undo restores every field");
  assert.equal((await panel(page)).hidden, true, "the import's panel goes with it");
  assert.equal(await sourceOf(page, "component.environment"), null, "and so do the sources under the fields");
  assert.equal(await planHeading(page), "Fallback plan: before-import");
});

suite.test("a Rollout and its AnalysisTemplate chosen together are read as one pipeline", async (s) => {
  const { page } = await s.open();
  await choose(page, [["rollout.yaml", ROLLOUT], ["analysis-templates.yaml", TEMPLATES]]);
  await waitForStatus(page, "Imported rollout.yaml, analysis-templates.yaml");
  assert.equal(await field(page, "deployment.tool").inputValue(), "argo-rollouts");
  // The Rollout's analysis names the template in the other file; its metrics become the KPIs, each
  // row showing the line of its condition there.
  assert.equal(await field(page, "verification.kpis.0.metric").inputValue(), "error-ratio");
  assert.equal(await sourceOf(page, "verification.kpis.0"), null, "a row's source is not a field's");
  const rows = await page.locator("#rows-kpis .row .from").allTextContents();
  assert.deepEqual(rows, [
    `From analysis-templates.yaml:${lineOf(TEMPLATES, "failureCondition: result[0] > 0.02")}`,
    `From analysis-templates.yaml:${lineOf(TEMPLATES, "successCondition: result[0] <= 0.8")}`,
  ]);
  assert.equal(await field(page, "verification.kpis.1.metric").inputValue(), "p99-latency-seconds");

  // One file of several documents (a Rollout and its template, `---` between them) is read as well.
  await choose(page, [["bluegreen.yaml", BLUE_GREEN]]);
  await waitForStatus(page, "Imported bluegreen.yaml");
  assert.equal(await field(page, "rollout.strategy").inputValue(), "blue-green");
});

suite.test("a dropped file is imported, and a drag over the page shows where it may go", async (s) => {
  const { page } = await s.open();
  const drag = (type, files) =>
    page.evaluate(
      ({ type, files }) => {
        const transfer = new DataTransfer();
        for (const [name, text] of files) transfer.items.add(new File([text], name));
        document.getElementById("spec-form").dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
      },
      { type, files },
    );
  await drag("dragenter", [["deploy.yml", WORKFLOW]]);
  assert.equal(await page.evaluate(() => document.body.classList.contains("dropping")), true);
  await drag("drop", [["deploy.yml", WORKFLOW]]);
  assert.equal(await page.evaluate(() => document.body.classList.contains("dropping")), false);
  await waitForStatus(page, "Imported deploy.yml");
  assert.equal(await field(page, "deployment.tool").inputValue(), "github-actions");
});

suite.test("text pasted outside a field is imported; pasted into a field it is the field's", async (s) => {
  const { page } = await s.open();
  const paste = (selector, text) =>
    page.evaluate(
      ({ selector, text }) => {
        const data = new DataTransfer();
        data.setData("text/plain", text);
        document.querySelector(selector).dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
      },
      { selector, text },
    );
  const before = await formValues(page);
  await paste('[id="f-component.name"]', WORKFLOW);
  await page.waitForTimeout(300);
  assert.deepEqual(await formValues(page), before, "a paste into a field imports nothing");

  await paste("main", WORKFLOW);
  await waitForStatus(page, "Imported pasted text");
  assert.equal(await field(page, "deployment.tool").inputValue(), "github-actions");
  const environmentLine = lineOf(WORKFLOW, "name: production", "environment:");
  assert.equal(await sourceOf(page, "component.environment"), `From pasted text:${environmentLine}`);
});

suite.test("a spec file never loads the importer; a file that is neither says so and changes nothing", async (s) => {
  const { page } = await s.open();
  const loaded = importerRequests(page);
  await choose(page, [["spec.yaml", "component:\n  name: plain-spec\n"]]);
  await waitForStatus(page, "Imported spec.yaml");
  assert.deepEqual(loaded, [], "a spec is read by the page's own module");
  const before = await formValues(page);
  // Nor does a spec refused for its syntax: no pipeline file planb reads could be read either.
  await choose(page, [["broken.yaml", "component:\n  name: [unclosed\n"]]);
  await waitForStatus(page, "broken.yaml:");
  assert.deepEqual(loaded, [], "a file that is not well-formed YAML is not handed to the importer");

  // A Kubernetes ConfigMap is neither a spec nor a pipeline file: the spec's error is the one shown.
  await choose(page, [["config.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\n"]]);
  await waitForStatus(page, "config.yaml");
  const alert = await statusAlert(page);
  assert.match(alert, /config\.yaml:1:1\b/, alert);
  assert.match(alert, /nothing was changed/, alert);
  assert.deepEqual(await formValues(page), before);

  // Harness's v1 YAML is recognised and refused, never read as something else.
  const v1 = "version: 1\nkind: pipeline\nspec:\n  stages:\n    - type: deployment\n      spec: {}\n";
  await choose(page, [["v1.yaml", v1]]);
  await waitForStatus(page, "Harness v1 YAML");
  assert.match(await statusAlert(page), /v1\.yaml.*nothing was changed/s);
  assert.deepEqual(await formValues(page), before);
  assert.equal((await panel(page)).hidden, true);
});

suite.test("Argo CD, Spinnaker and CodeDeploy files are imported in the page with their findings at their lines", async (s) => {
  const { page } = await s.open();
  // An Application with automated sync and selfHeal: a hand-made fallback is synced back (PB251, at
  // selfHeal); Argo CD only syncs, so the strategy is left to confirm.
  await choose(page, [["payments-app.yaml", ARGO_CD_APP]]);
  await waitForStatus(page, "Imported payments-app.yaml");
  assert.equal(await field(page, "deployment.tool").inputValue(), "argo-cd");
  assert.equal(await field(page, "deployment.namespace").inputValue(), "payments");
  assert.equal(await field(page, "rollout.strategy").inputValue(), "");
  const selfHeal = lineOf(ARGO_CD_APP, "selfHeal: true");
  assert.deepEqual((await panel(page)).findings, [`PB251 payments-app.yaml:${selfHeal}:${columnOf(ARGO_CD_APP, selfHeal, "selfHeal")}`]);

  // A Spinnaker pipeline (JSON): the Deployment in the deploy stage's manifest gives the namespace
  // and workload; the Manual Judgment waits for a person, with no stageTimeoutMs (PB264, at its type).
  await choose(page, [["checkout-manifest.json", SPINNAKER]]);
  await waitForStatus(page, "Imported checkout-manifest.json");
  assert.equal(await field(page, "deployment.tool").inputValue(), "spinnaker");
  assert.equal(await field(page, "deployment.workload").inputValue(), "deployment/checkout-api");
  assert.equal(await field(page, "rollout.approval").inputValue(), "manual");
  assert.equal(await sourceOf(page, "deployment.namespace"), `From checkout-manifest.json:${lineOf(SPINNAKER, '"namespace": "checkout"')}`);
  const judgment = lineOf(SPINNAKER, '"type": "manualJudgment"');
  assert.deepEqual((await panel(page)).findings, [`PB264 checkout-manifest.json:${judgment}:${columnOf(SPINNAKER, judgment, '"type"')}`]);

  // An ECS AppSpec and its deployment group, chosen together: ECSCanary10Percent5Minutes is a
  // canary; the group has no alarm (PB272, at the group it describes).
  await choose(page, [["appspec.yaml", APPSPEC], ["deployment-group.json", GROUP]]);
  await waitForStatus(page, "Imported appspec.yaml, deployment-group.json");
  assert.equal(await field(page, "deployment.tool").inputValue(), "codedeploy");
  assert.equal(await field(page, "deployment.platform").inputValue(), "ecs");
  assert.equal(await field(page, "rollout.strategy").inputValue(), "canary");
  const group = lineOf(GROUP, '"deploymentGroupInfo"');
  assert.deepEqual((await panel(page)).findings, [`PB272 deployment-group.json:${group}:${columnOf(GROUP, group, "{")}`]);
});

suite.test("a Jenkinsfile chosen and an Octopus process pasted are imported, though neither is YAML", async (s) => {
  const { page } = await s.open();
  // The gate's stage timeout ends the build ABORTED and the post has only `always` (PB291, at the
  // input directive); nothing runs on failure (PB294, at the post).
  await choose(page, [["Jenkinsfile", JENKINSFILE]]);
  await waitForStatus(page, "Imported Jenkinsfile");
  assert.equal(await field(page, "deployment.tool").inputValue(), "jenkins");
  assert.equal(await field(page, "rollout.approval").inputValue(), "manual");
  const input = lineOf(JENKINSFILE, "input {");
  const post = lineOf(JENKINSFILE, "post {");
  assert.deepEqual([...(await panel(page)).findings].sort(), [
    `PB291 Jenkinsfile:${input}:${columnOf(JENKINSFILE, input, "input")}`,
    `PB294 Jenkinsfile:${post}:${columnOf(JENKINSFILE, post, "post")}`,
  ]);

  // Pasted OCL has no name: its first line (`step "…" {`) sends it to the importer.
  await page.evaluate((text) => {
    const data = new DataTransfer();
    data.setData("text/plain", text);
    document.querySelector("main").dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  }, OCL);
  await waitForStatus(page, "Imported pasted text");
  assert.equal(await field(page, "deployment.tool").inputValue(), "octopus");
  assert.equal(await field(page, "rollout.strategy").inputValue(), "rolling");
  const gate = lineOf(OCL, 'step "approve-production"');
  assert.deepEqual((await panel(page)).findings, [`PB282 pasted text:${gate}:1`]);
});
