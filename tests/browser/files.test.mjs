// Importing spec files and loading the examples, each with Undo.
import assert from "node:assert/strict";
import { field, formValues, planHeading, setField, useSuite, waitForStatus } from "./support.mjs";

const suite = useSuite();

const importFile = (page, name, text, mimeType = "application/yaml") =>
  page.setInputFiles("#import-file", { name, mimeType, buffer: Buffer.from(text) });

suite.test("importing a malformed file reports file:line:column and changes nothing", async (s) => {
  const { page } = await s.open();
  const opened = await page.evaluate(() => location.hash);
  await setField(page, "component.name", "kept-as-it-was");
  // Typing is saved after a pause, the spec and then its link: the snapshot waits for both (on a busy
  // machine it was once taken before them, and the save then looked like a change the import made).
  await page.waitForFunction(
    (old) =>
      localStorage.getItem("planb.spec.v1")?.includes("kept-as-it-was") &&
      location.hash !== old &&
      localStorage.getItem("planb.link.v1") === location.hash.slice(1),
    opened,
  );
  const before = await formValues(page);
  const saved = await page.evaluate(() => JSON.stringify({ ...localStorage }));

  // A value out of range: rollout.steps[1] on line 4, column 15.
  await importFile(page, "bad.yaml", "component:\n  name: x\nrollout:\n  steps: [10, 150]\n");
  let status = await waitForStatus(page, "bad.yaml");
  assert.equal(status.alert, true, "the status is an alert");
  assert.match(status.text, /bad\.yaml:4:15\b/, status.text);
  assert.match(status.text, /rollout\.steps\[1\]/, status.text);
  assert.match(status.text, /nothing was changed/, status.text);
  assert.equal(status.undo, false, "there is nothing to undo");
  assert.deepEqual(await formValues(page), before, "the form keeps its values");
  assert.equal(await planHeading(page), "Fallback plan: kept-as-it-was");

  // Broken YAML syntax.
  await importFile(page, "broken-syntax.yml", "component:\n  name: [unclosed\nrollout: {\n");
  status = await waitForStatus(page, "broken-syntax.yml");
  assert.equal(status.alert, true);
  assert.match(status.text, /broken-syntax\.yml:\d+:\d+/, status.text);
  assert.match(status.text, /nothing was changed/, status.text);
  assert.deepEqual(await formValues(page), before);

  // Broken JSON, and a field planb does not know.
  await importFile(page, "spec.json", '{"component": {"name": "x"},\n "rollout": {"steps": [10, 20}\n', "application/json");
  status = await waitForStatus(page, "spec.json");
  assert.equal(status.alert, true);
  assert.match(status.text, /spec\.json:\d+:\d+/, status.text);
  await importFile(page, "unknown.yaml", "component:\n  name: x\n  colour: blue\n");
  status = await waitForStatus(page, "unknown.yaml");
  assert.equal(status.alert, true);
  assert.match(status.text, /unknown\.yaml:3:\d+/, status.text);
  assert.match(status.text, /colour/, status.text);
  assert.deepEqual(await formValues(page), before);
  assert.equal(await page.evaluate(() => JSON.stringify({ ...localStorage })), saved, "what is saved is untouched");
});

suite.test("importing a valid file replaces the spec, and Undo brings the previous one back", async (s) => {
  const { page } = await s.open();
  await setField(page, "component.name", "before-import");
  const before = await formValues(page);

  const yaml = [
    "# a hand-written spec, with shorthand",
    "component:",
    "  name: imported-svc",
    "  tier: low",
    "rollout:",
    "  strategy: rolling",
    "  steps: [25, { percent: 100, bake_time: 1h }]",
    "people:",
    "  stakeholders: [Support, { name: Finance, contact: fin@example.com }]",
    "",
  ].join("\n");
  await importFile(page, "good.yaml", yaml);
  const status = await waitForStatus(page, "good.yaml");
  assert.equal(status.alert, false, status.text);
  assert.equal(status.undo, true, "Undo is offered");
  assert.equal(await field(page, "component.name").inputValue(), "imported-svc");
  assert.equal(await planHeading(page), "Fallback plan: imported-svc");
  const after = await formValues(page);
  assert.equal(after["component.tier"], "low");
  assert.equal(after["rollout.strategy"], "rolling");
  assert.equal(after["rollout.steps.0.percent"], "25");
  assert.equal(after["rollout.steps.1.percent"], "100");
  assert.equal(after["rollout.steps.1.bake_time"], "1h");
  assert.equal(after["people.stakeholders.0.name"], "Support");
  assert.equal(after["people.stakeholders.1.contact"], "fin@example.com");
  assert.equal(after["component.description"], "", "fields the file leaves out are empty");
  assert.equal(after["kill_switches.0.kind"], undefined, "lists the file leaves out have no rows");

  await page.click("#undo");
  await waitForStatus(page, "Restored");
  assert.ok(await page.locator("#undo").isHidden(), "Undo is used up");
  assert.deepEqual(await formValues(page), before, "Undo restores every field");
  assert.equal(await planHeading(page), "Fallback plan: before-import");

  // The same file can be imported again (the input is reset after each import).
  await importFile(page, "good.yaml", yaml);
  await page.waitForFunction(() => document.getElementById("f-component.name").value === "imported-svc");
});

suite.test("choosing an example loads it, and Undo restores the spec from before", async (s) => {
  const { page } = await s.open();
  await setField(page, "component.name", "my-own-spec");
  await setField(page, "rollout.strategy", "rolling");
  const before = await formValues(page);

  await page.locator("#presets").selectOption("harness-blue-green-destructive.yaml");
  const status = await waitForStatus(page, "harness-blue-green-destructive.yaml");
  assert.equal(status.alert, false);
  assert.equal(status.undo, true, "Undo is offered");
  assert.equal(await page.locator("#presets").inputValue(), "", "the menu goes back to its prompt");
  const loaded = await formValues(page);
  assert.notEqual(loaded["component.name"], "my-own-spec");
  assert.equal(loaded["rollout.strategy"], "blue-green");
  assert.equal(await planHeading(page), `Fallback plan: ${loaded["component.name"]}`);
  assert.equal(
    await page.locator("#findings-list li.finding.sev-error", { hasText: "PB003" }).count(),
    1,
    "the destructive example has its PB003 finding",
  );

  await page.click("#undo");
  await waitForStatus(page, "Restored");
  assert.deepEqual(await formValues(page), before);
  assert.equal(await planHeading(page), "Fallback plan: my-own-spec");
  assert.equal(await page.locator("#findings-list li", { hasText: "PB003" }).count(), 0);
});

suite.test("every example loads into the form and the plan", async (s) => {
  const { page } = await s.open();
  const examples = (await page.locator("#presets option").evaluateAll((els) => els.map((e) => e.value))).filter(Boolean);
  const names = new Set();
  for (const example of examples) {
    await page.locator("#presets").selectOption(example);
    const status = await waitForStatus(page, example);
    assert.equal(status.alert, false, status.text);
    assert.ok(await page.locator("#error-banner").isHidden(), `${example}: no error`);
    const name = await field(page, "component.name").inputValue();
    assert.ok(name, `${example}: the form has the name`);
    assert.equal(await planHeading(page), `Fallback plan: ${name}`, example);
    names.add(name);
  }
  assert.equal(names.size, examples.length, "each example is a different component");
});
