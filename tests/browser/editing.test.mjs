// Filling the spec: live preview, the error banner for an invalid value, lists and findings.
import assert from "node:assert/strict";
import { field, planHeading, setField, useSuite } from "./support.mjs";

const suite = useSuite();

/** What the page shows about the current error. */
function errorState(page, path) {
  return page.evaluate((p) => {
    const banner = document.getElementById("error-banner");
    const message = document.getElementById(`e-${p}`);
    return {
      banner: banner.hidden ? null : banner.textContent,
      bannerRole: banner.getAttribute("role"),
      invalid: [...document.querySelectorAll("[aria-invalid=true]")].map((e) => e.id),
      message: message && !message.hidden ? message.textContent : null,
    };
  }, path);
}

suite.test("typing a name updates the preview; an invalid step shows where it is until fixed", async (s) => {
  const { page } = await s.open();
  await setField(page, "component.name", "checkout-gateway");
  assert.equal(await planHeading(page), "Fallback plan: checkout-gateway");

  const step = "rollout.steps.0.percent";
  const planBefore = await page.locator("#preview").innerHTML();
  await setField(page, step, "150");
  const error = await errorState(page, step);
  assert.equal(error.bannerRole, "alert");
  assert.ok(error.banner, "the error banner is shown");
  assert.match(error.banner, /rollout\.steps\[0\]/, "the banner names the field's path");
  assert.match(error.banner, /\b\d+:\d+\b/, "the banner gives a line:column");
  assert.match(error.banner, /150/, "the banner quotes the bad value");
  assert.deepEqual(error.invalid, [`f-${step}`], "only the bad field is marked aria-invalid");
  assert.match(error.message ?? "", /percentage|150/, "the field's own message explains the problem");
  assert.equal(await page.locator("#preview").innerHTML(), planBefore, "the preview keeps the last valid plan");
  assert.equal(await planHeading(page), "Fallback plan: checkout-gateway");

  await setField(page, step, "25");
  assert.deepEqual(await errorState(page, step), { banner: null, bannerRole: "alert", invalid: [], message: null });
  assert.match(await page.locator("#preview article.plan").innerText(), /25% of traffic/, "the preview shows the fixed step");
});

suite.test("a destructive data change without a tested restore raises PB003, which leads to its field", async (s) => {
  const { page } = await s.open();
  const rows = page.locator('fieldset[data-list="data_changes"] fieldset.row');
  const n = await rows.count();
  assert.equal(await page.locator("#findings-list li.finding.sev-error", { hasText: "PB003" }).count(), 0);

  await page.click("#add-data_changes");
  assert.equal(await rows.count(), n + 1, "Add adds a row");
  assert.equal(
    await page.evaluate(() => document.activeElement.dataset.path),
    `data_changes.${n}.description`,
    "the new row's first field has the focus",
  );
  await setField(page, `data_changes.${n}.description`, "drop column orders.legacy_ref");
  await setField(page, `data_changes.${n}.kind`, "destructive");

  const finding = page.locator("#findings-list li.finding.sev-error", { hasText: "PB003" });
  assert.equal(await finding.count(), 1, "an error finding PB003 is listed");
  assert.match(await finding.textContent(), /drop column orders\.legacy_ref/);
  assert.match(await page.locator("#findings-summary").textContent(), /\b1 error/);
  const button = finding.locator("button[data-path]");
  assert.equal(await button.getAttribute("data-path"), `data_changes.${n}.restore_tested`);

  await page.focus('[id="f-component.name"]');
  await button.click();
  assert.equal(
    await page.evaluate(() => document.activeElement.id),
    `f-data_changes.${n}.restore_tested`,
    "selecting the finding focuses its field",
  );

  await setField(page, `data_changes.${n}.backup_taken`, "yes");
  await setField(page, `data_changes.${n}.restore_tested`, "yes");
  assert.equal(await finding.count(), 0, "a backup with a tested restore clears PB003");

  await setField(page, `data_changes.${n}.restore_tested`, "no");
  assert.equal(await finding.count(), 1, "PB003 is back when the restore is untested");
  await rows.nth(n).locator("button.remove").click();
  assert.equal(await rows.count(), n, "Remove removes the row");
  assert.equal(await finding.count(), 0, "removing the data change clears PB003");
  assert.equal(await page.evaluate(() => document.activeElement.id), "add-data_changes", "focus goes to the list's Add button");
});

suite.test("a finding about an empty list focuses that list's Add button", async (s) => {
  const { page } = await s.open();
  // Remove every kill switch: the plan then has no way to turn the component off.
  const rows = page.locator('fieldset[data-list="kill_switches"] fieldset.row');
  while ((await rows.count()) > 0) await rows.first().locator("button.remove").click();

  const finding = page.locator("#findings-list li.finding", { has: page.locator('button[data-path="kill_switches"]') });
  assert.ok((await finding.count()) >= 1, "a finding points at the empty kill switch list");
  assert.equal(await finding.first().locator("button").getAttribute("data-path"), "kill_switches");
  await page.focus('[id="f-component.name"]');
  await finding.first().locator("button").click();
  assert.equal(await page.evaluate(() => document.activeElement.id), "add-kill_switches");

  await page.click("#add-kill_switches");
  await setField(page, "kill_switches.0.kind", "feature-flag");
  await setField(page, "kill_switches.0.flag_key", "checkout-enabled");
  assert.equal(await field(page, "kill_switches.0.flag_key").inputValue(), "checkout-enabled");
  assert.match(await page.locator("#preview article.plan").innerText(), /checkout-enabled/, "the plan uses the new kill switch");
});

suite.test("every finding of every example leads to a field of the form", async (s) => {
  const { page } = await s.open();
  const examples = (await page.locator("#presets option").evaluateAll((els) => els.map((e) => e.value))).filter(Boolean);
  let checked = 0;
  for (const name of examples) {
    await page.locator("#presets").selectOption(name);
    await page.waitForFunction((n) => document.getElementById("status-text").textContent.includes(n), name);
    const buttons = page.locator("#findings-list li.finding button[data-path]");
    const count = await buttons.count();
    for (let i = 0; i < count; i++) {
      const path = await buttons.nth(i).getAttribute("data-path");
      await page.focus("#presets");
      await buttons.nth(i).click();
      const focused = await page.evaluate(() => ({
        id: document.activeElement.id,
        path: document.activeElement.dataset.path ?? null,
        list: document.activeElement.dataset.list ?? null,
      }));
      const ok =
        focused.path === path ||
        focused.path?.startsWith(`${path}.`) ||
        (focused.list === path && focused.id.startsWith("add-"));
      assert.ok(ok, `${name}: the finding for ${path} focused ${JSON.stringify(focused)}`);
      checked++;
    }
  }
  assert.ok(checked > 10, `findings checked: ${checked}`);
});

suite.test("the preview updated part by part while typing is exactly the plan rendered whole", async (s) => {
  const { page } = await s.open();
  const preview = page.locator("#preview");
  // Edits that change one part (the header), several parts (the name is everywhere), and the
  // number of parts (a kill switch adds a rung and its section lines).
  await setField(page, "component.description", "Card payments <b>now</b> & later");
  await setField(page, "component.name", "checkout & co");
  await setField(page, "people.deployer.name", "Dana <Kim>");
  await page.click("#add-kill_switches");
  await setField(page, "kill_switches.0.flag_key", "checkout-enabled");
  const typed = await preview.innerHTML();
  assert.match(typed, /Card payments &lt;b&gt;now&lt;\/b&gt; &amp; later/, "the text typed shows literally");
  assert.equal(await preview.locator("article.plan").count(), 1, "one article");

  // Another tab and back renders the whole plan afresh.
  await page.click("#tab-text");
  await page.click("#tab-plan");
  assert.equal(await preview.innerHTML(), typed, "the same HTML, node for node");
});
