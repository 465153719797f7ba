// Every output tab: its preview, Copy and Download; and exporting the spec as YAML and JSON.
import assert from "node:assert/strict";
import {
  FIRST_EXAMPLE,
  TABS,
  clipboardAfter,
  downloadAfter,
  field,
  formValues,
  planHeading,
  setField,
  useSuite,
  waitForStatus,
} from "./support.mjs";

const suite = useSuite();

suite.test("each tab previews its format, and Copy and Download give exactly that text", async (s) => {
  const { page } = await s.open();
  const texts = {};
  for (const { id, ext } of TABS) {
    await page.click(`#tab-${id}`);
    assert.equal(await page.getAttribute(`#tab-${id}`, "aria-selected"), "true");
    assert.equal(await page.locator('#tabs [aria-selected="true"]').count(), 1);

    const copied = await clipboardAfter(page, () => page.click("#copy"));
    const { name, text } = await downloadAfter(page, () => page.click("#download"));
    texts[id] = copied;
    assert.equal(name, `${FIRST_EXAMPLE}-${id}.${ext}`, `${id}: download name`);
    assert.equal(text, copied, `${id}: the download holds exactly the copied text`);
    assert.match(copied, new RegExp(FIRST_EXAMPLE), `${id}: the output names the component`);

    if (id === "plan") {
      assert.equal(await page.locator("#preview > article.plan").count(), 1, "the Plan tab previews HTML");
      assert.equal(await page.locator("#preview > pre").count(), 0);
      assert.match(copied, /^<article class="plan"/, "the copied plan is the HTML article");
      // The copied HTML is what the preview shows (compared after the browser parses both).
      const same = await page.evaluate((html) => {
        const t = document.createElement("template");
        t.innerHTML = html;
        return t.innerHTML === document.getElementById("preview").innerHTML;
      }, copied);
      assert.ok(same, "the copied HTML is the previewed plan");
    } else {
      assert.equal(await page.locator("#preview > pre.source").count(), 1, `${id}: a text tab previews a <pre>`);
      assert.equal(await page.locator("#preview article").count(), 0);
      assert.equal(await page.locator("#preview pre.source").textContent(), copied, `${id}: Copy gives the previewed text`);
    }
  }
  assert.match(texts.markdown, /^# Fallback plan: payments-api\n/);
  assert.match(texts["markdown-brief"], /payments-api/);
  assert.doesNotMatch(texts.text, /<[a-z]+[ >]/, "the text output has no HTML tags");
  assert.doesNotMatch(texts.reply, /<[a-z]+[ >]/, "the short reply has no HTML tags");
  assert.ok(texts["markdown-brief"].length < texts.markdown.length, "the brief Markdown is shorter than the full one");
  assert.ok(texts.reply.length < texts.text.length, "the short reply is shorter than the full text");
  assert.equal(new Set(Object.values(texts)).size, TABS.length, "every tab gives a different text");

  // The outputs follow the spec: a new name reaches the visible tab and its download name.
  await page.click("#tab-text");
  await setField(page, "component.name", "Orders API (EU)");
  const { name, text } = await downloadAfter(page, () => page.click("#download"));
  assert.equal(name, "orders-api-eu-text.txt");
  assert.match(text, /Orders API \(EU\)/);
});

/**
 * The tabs beside the core ones (support.mjs's TABS): one for every other format planb renders
 * (README, "Formats"; src/render/format.rs), with the extension of that format's files. The core
 * tabs already give `html-fragment` (Plan), `markdown` and `text`.
 */
const OTHER_TABS = {
  html: "html", // one self-contained file
  confluence: "xml", // Confluence storage format
  wiki: "txt", // Confluence/Jira wiki markup
  slack: "txt",
  servicenow: "json", // change-ticket fields keyed by name
  json: "json", // the whole plan
  mermaid: "mmd", // the fallback ladder, as Mermaid source
  svg: "svg", // the fallback ladder as a picture
};

suite.test("every other output tab: Copy and Download give the same text, named after the component", async (s) => {
  const { page } = await s.open();
  const extra = (await page.locator("#tabs [role=tab]").evaluateAll((els) => els.map((e) => e.id.replace(/^tab-/, ""))))
    .filter((id) => !TABS.some((tab) => tab.id === id));
  assert.deepEqual([...extra].sort(), Object.keys(OTHER_TABS).sort(), "a tab for every other format");
  for (const id of extra) {
    await page.click(`#tab-${id}`);
    assert.equal(await page.getAttribute(`#tab-${id}`, "aria-selected"), "true");
    assert.ok((await page.locator("#preview").innerText()).trim() || (await page.locator("#preview svg").count()), `${id}: a preview`);
    const copied = await clipboardAfter(page, () => page.click("#copy"));
    const { name, text } = await downloadAfter(page, () => page.click("#download"));
    assert.equal(name, `${FIRST_EXAMPLE}-${id}.${OTHER_TABS[id]}`, `${id}: download name`);
    assert.equal(text, copied, `${id}: the download holds exactly the copied text`);
    if (name.endsWith(".json")) assert.doesNotThrow(() => JSON.parse(text), `${id}: the JSON parses`);
  }
});

suite.test("Export YAML downloads a spec that imports back to the same form", async (s) => {
  const { page } = await s.open();
  await setField(page, "component.name", "exported-svc");
  await setField(page, "component.description", 'Quotes " and: colons, # hashes, yes/no, 1.0 and "off"');
  await setField(page, "change.approvers", "Payments CAB\nSecurity: on call");
  await setField(page, "rollout.strategy", "blue-green");
  await setField(page, "fallback.notes", "line one\n  indented line two\n- a dash");
  const before = await formValues(page);

  const yaml = await downloadAfter(page, () => page.click("#export-yaml"));
  assert.match(yaml.name, /\.ya?ml$/, `YAML export name: ${yaml.name}`);
  assert.match(yaml.name, /^exported-svc\b/);
  assert.match(yaml.text, /^\s*name: "?exported-svc"?$/m, "the YAML holds the name");
  assert.doesNotMatch(yaml.text, /^\s*[{[]/, "the YAML export is not JSON");

  await setField(page, "component.name", "changed-after-export");
  await setField(page, "rollout.strategy", "rolling");
  await page.setInputFiles("#import-file", { name: yaml.name, mimeType: "application/yaml", buffer: Buffer.from(yaml.text) });
  const status = await waitForStatus(page, yaml.name);
  assert.equal(status.alert, false, status.text);
  assert.equal(await field(page, "component.name").inputValue(), "exported-svc");
  assert.equal(await planHeading(page), "Fallback plan: exported-svc");
  assert.deepEqual(await formValues(page), before, "every field comes back from the exported YAML");
});

suite.test("Export JSON downloads the spec as JSON that parses and imports back", async (s) => {
  const { page } = await s.open();
  await setField(page, "component.name", "json-svc");
  await setField(page, "verification.kpis.0.threshold", "2.5");
  await setField(page, "component.user_facing", "no");
  const before = await formValues(page);

  const json = await downloadAfter(page, () => page.click("#export-json"));
  assert.match(json.name, /^json-svc.*\.json$/, `JSON export name: ${json.name}`);
  const spec = JSON.parse(json.text);
  assert.equal(spec.component.name, "json-svc");
  assert.equal(spec.component.user_facing, false);
  assert.equal(spec.verification.kpis[0].threshold, 2.5);
  assert.equal(spec.rollout.steps.length, 3);

  await setField(page, "component.name", "changed-after-export");
  await page.setInputFiles("#import-file", { name: json.name, mimeType: "application/json", buffer: Buffer.from(json.text) });
  await waitForStatus(page, json.name);
  assert.deepEqual(await formValues(page), before, "every field comes back from the exported JSON");
});

suite.test("with an invalid value, Export JSON keeps it as typed and Export YAML explains why it cannot", async (s) => {
  const { page } = await s.open();
  await setField(page, "rollout.steps.1.percent", "150");
  assert.ok(await page.locator("#error-banner").isVisible());

  const json = await downloadAfter(page, () => page.click("#export-json"));
  assert.equal(JSON.parse(json.text).rollout.steps[1].percent, 150, "nothing typed is lost");

  let downloads = 0;
  page.on("download", () => downloads++);
  await page.click("#export-yaml");
  const status = await waitForStatus(page, "YAML");
  assert.equal(status.alert, true, "the YAML refusal is an alert");
  assert.match(status.text, /rollout\.steps\[1\]/);
  assert.equal(downloads, 0, "no YAML file is downloaded");
});
